"""Road travel times: the street graph, snapping points to it, and ranking teams for an incident.

Shortest paths are scipy's csgraph Dijkstra (C, one-to-all): one run from the incident on the
reversed graph gives every node's road distance *to* the incident, one-way streets respected, so
ranking all teams costs one search however many teams there are.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np
import shapely
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from sqlalchemy import select

from data.store import models as m
from data.domain import SUITABLE_KINDS, TEAM_KINDS, TRANSPORT_SPEED_MPS
from data.patrol.rota import DutyNow
from data.snapshot import OFFLINE_AFTER, busy_teams, latest_fixes
log = logging.getLogger(__name__)

from data.messages import GridWatchError, Message, encode_note
from data.store.core import Store

# Which kinds suit which category; "kind@grid" means only the team whose home grid is the incident's.
DEFAULT_RULES: dict[str, list[str]] = {
    "dispute": ["mediator", "grid_worker@grid"],
    "public_order": ["patrol_volunteer", "property_security"],
    "fire": ["grid_worker@grid", "property_security", "compound_guard"],
    "traffic": ["patrol_volunteer", "property_security"],
    "municipal": ["grid_worker@grid", "cleaner"],
    "sanitation": ["cleaner", "grid_worker@grid"],
    "special_population": ["grid_worker@grid", "mediator"],
    "petition": ["mediator", "grid_worker@grid"],
    "other": ["grid_worker@grid", "patrol_volunteer"],
}
assert set(DEFAULT_RULES) == set(SUITABLE_KINDS)


def dispatch_rules(store: Store) -> dict[str, list[str]]:
    """The office's rules: DEFAULT_RULES, overridden per category by the store's 'dispatch_rules'
    meta entry (JSON), so an office can change them without a new release."""
    rules = dict(DEFAULT_RULES)
    raw = store.meta.get("dispatch_rules")
    if raw:
        try:
            custom = json.loads(raw)
            rules.update({k: list(v) for k, v in custom.items() if isinstance(v, list)})
        except (ValueError, AttributeError):
            log.warning("the store's dispatch_rules entry is not valid JSON of lists; using the defaults", exc_info=True)
    return rules


@dataclass
class Snap:
    """A point placed on the street graph: the nearest segment, and the distance along it."""

    seg: int
    a: int
    b: int
    along: float  # metres from a
    length: float
    off: float  # metres from the point to the street


MODES = ("foot", "ebike", "car")


class RoadGraph:
    """The street graph per travel mode. On foot: every street open to pedestrians, both ways (one-way
    streets bind vehicles only). By e-bike or car: the streets open to that mode, one-way respected.
    A street's access (OSM's foot/bicycle/motorcar tags, or an imported field) decides which graphs
    hold it; a team is snapped to the nearest street whatever its access (it can step off a footway)."""

    def __init__(self, xy: np.ndarray, a: np.ndarray, b: np.ndarray, length: np.ndarray, oneway: np.ndarray,
                 geoms: np.ndarray, access: dict[str, np.ndarray] | None = None):
        self.xy, self.a, self.b, self.length, self.oneway, self.geoms = xy, a, b, length, oneway, geoms
        n = len(xy)
        everyone = np.ones(len(a), dtype=bool)
        self.access = {mode: np.asarray((access or {}).get(mode, everyone), dtype=bool) for mode in MODES}
        self.graphs: dict[str, csr_matrix] = {}
        for mode in MODES:
            ok = self.access[mode]
            if mode == "foot":
                src, dst, w = np.concatenate([a[ok], b[ok]]), np.concatenate([b[ok], a[ok]]), np.concatenate([length[ok], length[ok]])
            else:
                two = ok & ~oneway
                src, dst = np.concatenate([a[ok], b[two]]), np.concatenate([b[ok], a[two]])
                w = np.concatenate([length[ok], length[two]])
            self.graphs[mode] = self._shortest_edges(src, dst, w, n)
        # For distances *to* a point on a segment, each graph gets one extra node (n) standing for
        # the target, whose two edges (to the segment's ends, weighted by the distance along it)
        # are rewritten in place per query: one Dijkstra run instead of one per segment end.
        self._to_target = {mode: self._with_target_row(g.T.tocsr()) for mode, g in self.graphs.items()}
        # Which segment joins two nodes (the shortest of parallel ones), for drawing routes along
        # the streets' own shapes.
        order = np.argsort(-length)
        self._edge_of = {}
        for i in order.tolist():
            self._edge_of[(int(a[i]), int(b[i]))] = i
            self._edge_of[(int(b[i]), int(a[i]))] = i
        self.tree = shapely.STRtree(geoms)
        # Per mode, the streets it may use: a team is placed on, and an incident reached from, the
        # nearest street of its own mode (an e-bike stops at the end of a pedestrian street and
        # the last metres are walked: they count as the straight offset).
        self._mode_trees = {}
        for mode in MODES:
            idx = np.flatnonzero(self.access[mode])
            self._mode_trees[mode] = (shapely.STRtree(geoms[idx]), idx) if len(idx) else None

    @staticmethod
    def _shortest_edges(src, dst, w, n) -> csr_matrix:
        # Parallel edges: keep the shortest (csr_matrix would add them up).
        order = np.lexsort((w, dst, src))
        src, dst, w = src[order], dst[order], w[order]
        first = np.ones(len(src), dtype=bool)
        first[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
        return csr_matrix((w[first], (src[first], dst[first])), shape=(n, n))

    @staticmethod
    def _with_target_row(g: csr_matrix) -> csr_matrix:
        n = g.shape[0]
        indptr = np.concatenate([g.indptr, [g.indptr[-1] + 2]])
        indices = np.concatenate([g.indices, [n, n]]).astype(g.indices.dtype)
        data = np.concatenate([g.data, [0.0, 0.0]])
        return csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))

    @classmethod
    def from_store(cls, store: Store) -> "RoadGraph":
        S = m.StreetSegment
        with store.session() as s:
            rows = s.execute(select(S.from_node, S.to_node, S.length_m, S.oneway, S.geom, S.foot, S.ebike, S.car).order_by(S.id)).all()
        geoms = store.projection.to_map(np.array([r[4] for r in rows], dtype=object)) if rows else np.array([], dtype=object)
        a = np.array([r[0] for r in rows], dtype=np.int64)
        b = np.array([r[1] for r in rows], dtype=np.int64)
        n = int(max(a.max(), b.max())) + 1 if rows else 0
        xy = np.zeros((n, 2))
        if rows:
            xy[a] = shapely.get_coordinates(shapely.get_point(geoms, 0))
            xy[b] = shapely.get_coordinates(shapely.get_point(geoms, -1))
        length = shapely.length(geoms) if rows else np.zeros(0)
        access = {mode: np.array([bool(r[5 + k]) for r in rows], dtype=bool) for k, mode in enumerate(MODES)}
        return cls(xy, a, b, length, np.array([bool(r[3]) for r in rows], dtype=bool), geoms, access)

    @property
    def empty(self) -> bool:
        return len(self.a) == 0

    def _nearest(self, p, transport):
        if transport is None:
            return self.tree.nearest(p)
        tree = self._mode_trees[self.mode_of(transport)]
        if tree is None:  # no street at all for this mode: the nearest street, unreachable by graph
            return self.tree.nearest(p)
        return tree[1][tree[0].nearest(p)]

    def snap(self, x: float, y: float, transport: str | None = None) -> Snap:
        """The nearest street (of those `transport` may use, when given) to a point."""
        if self.empty:
            raise GridWatchError("recommend.no_streets")
        p = shapely.Point(x, y)
        seg = int(self._nearest(p, transport))
        g = self.geoms[seg]
        along = float(shapely.line_locate_point(g, p))
        return Snap(seg, int(self.a[seg]), int(self.b[seg]), along, float(self.length[seg]), float(g.distance(p)))

    @staticmethod
    def mode_of(transport) -> str:
        # True/False were "drive"/"walk" before access per mode: a car's graph is the strictest.
        if transport is True:
            return "car"
        if transport is False:
            return "foot"
        return transport if transport in MODES else "car"

    def distances_to(self, target: Snap, transport: str = "car") -> np.ndarray:
        """Road distance from every node to the snapped target for a travel mode."""
        mode = self.mode_of(transport)
        g = self._to_target[mode]
        n = g.shape[0] - 1
        # Reversed edges out of the target node: to a (reach a, then along the segment), and to b
        # unless a one-way a->b forbids coming from b (then a harmless self-loop).
        from_b_ok = not (mode != "foot" and self.oneway[target.seg])
        g.indices[-2:] = (target.a, target.b if from_b_ok else n)
        g.data[-2:] = (target.along, target.length - target.along if from_b_ok else 0.0)
        d = dijkstra(g, directed=True, indices=n)
        return d[:n]

    def snap_arrays(self, pts: np.ndarray, transport: str | None = None) -> dict[str, np.ndarray]:
        """Vectorised snapping: segment, ends, distance along, length and offset for each point."""
        p = shapely.points(pts)
        seg = self._nearest(p, transport)
        g = self.geoms[seg]
        return {"seg": seg, "a": self.a[seg], "b": self.b[seg], "along": shapely.line_locate_point(g, p),
                "length": self.length[seg], "off": shapely.distance(g, p)}

    def distances_from_many(self, src: dict[str, np.ndarray], node_dist: np.ndarray, target: Snap,
                            transport: str = "car") -> np.ndarray:
        """Road distance from many snapped starts (snap_arrays) to the target, given
        distances_to(target, transport), plus their offsets to the street."""
        mode = self.mode_of(transport)
        oneway = self.oneway[src["seg"]] & (mode != "foot")
        via_b = (src["length"] - src["along"]) + node_dist[src["b"]]
        via_a = np.where(oneway, np.inf, src["along"] + node_dist[src["a"]])
        road = np.minimum(via_a, via_b)
        same = (src["seg"] == target.seg) & (~oneway | (target.along >= src["along"]))
        road = np.where(same, np.minimum(road, np.abs(target.along - src["along"])), road)
        return road + src["off"] + target.off

    def route_between(self, x0: float, y0: float, x1: float, y1: float, transport: str = "car") -> np.ndarray | None:
        """route() between two points, each placed on the streets the mode may use."""
        return self.route(self.snap(x0, y0, transport), self.snap(x1, y1, transport), transport)

    def route(self, src: Snap, target: Snap, transport: str = "car") -> np.ndarray | None:
        """The path's coordinates (map metres) from src to target along the streets' shapes, for
        drawing; None if unreachable."""
        mode = self.mode_of(transport)
        drive = mode != "foot"
        starts = [(src.b, src.length - src.along)]
        if not (drive and self.oneway[src.seg]):
            starts.append((src.a, src.along))
        d, pred = dijkstra(self.graphs[mode], directed=True, indices=[s for s, _ in starts], return_predecessors=True)
        best = None
        for k, (node, lead) in enumerate(starts):
            for end, tail in ((target.a, target.along), (target.b, target.length - target.along)):
                if end == target.b and drive and self.oneway[target.seg]:
                    continue
                total = lead + d[k, end] + tail
                if np.isfinite(total) and (best is None or total < best[0]):
                    best = (total, k, node, end)
        if best is None:
            return None
        _, k, node, end = best
        path = [end]
        while path[-1] != node:
            prev = pred[k, path[-1]]
            if prev < 0:
                return None
            path.append(int(prev))
        path.reverse()
        parts = [self._piece(src.seg, src.along, node)]
        for u, v in zip(path[:-1], path[1:]):
            i = self._edge_of[(u, v)]
            c = shapely.get_coordinates(self.geoms[i])
            parts.append(c if self.a[i] == u else c[::-1])
        parts.append(self._piece(target.seg, target.along, end)[::-1])
        return np.vstack(parts)

    def _piece(self, seg: int, along: float, node: int) -> np.ndarray:
        """Coordinates along segment `seg` from the point `along` metres from its start to its end `node`."""
        from shapely.ops import substring
        g = self.geoms[seg]
        if node == self.a[seg]:
            return shapely.get_coordinates(substring(g, along, 0.0))
        return shapely.get_coordinates(substring(g, along, float(self.length[seg])))


@dataclass
class Candidate:
    team_id: int
    code: str
    name: str
    kind: str
    transport: str
    status: str
    rank: int | None = None
    eta_s: float | None = None
    road_m: float | None = None
    straight_m: float = 0.0
    reasons: list[str] = field(default_factory=list)  # English, for the command line and JSON
    excluded: Message | None = None  # why the team is not recommended (a coded message)
    x: float = 0.0
    y: float = 0.0
    same_grid: bool = False
    position_age_s: float | None = None

    def as_dict(self) -> dict:
        return {"team": self.code, "name": self.name, "kind": self.kind, "transport": self.transport, "status": self.status,
                "rank": self.rank, "eta_s": None if self.eta_s is None else round(self.eta_s, 1),
                "road_m": None if self.road_m is None else round(self.road_m, 1), "straight_m": round(self.straight_m, 1),
                "reasons": self.reasons, "excluded": None if self.excluded is None else str(self.excluded),
                "excluded_code": None if self.excluded is None else self.excluded.code}


@dataclass
class Recommendation:
    candidates: list[Candidate]  # ranked, fastest first
    excluded: list[Candidate]
    target: Snap
    at: datetime
    xy: tuple[float, float] = (0.0, 0.0)  # the incident, map metres

    def message_if_none(self) -> Message | None:
        if self.candidates:
            return None
        if not self.excluded:
            return Message("recommend.no_suitable_kind")
        from collections import Counter
        why = Counter(c.excluded for c in self.excluded)
        return Message("recommend.none", {"counts": tuple(Message("recommend.count", {"n": n, "reason": r})
                                                          for r, n in why.most_common())})


class Recommender:
    """Ranks teams for incidents by road travel time. Build once (graph, snapping index); each
    recommendation reads the teams' latest fixes and cases from the store."""

    def __init__(self, store: Store, graph: RoadGraph | None = None):
        self.store = store
        self.graph = graph or RoadGraph.from_store(store)
        with store.session() as s:
            self.teams = s.scalars(select(m.Team).order_by(m.Team.id)).all()  # teams change rarely

    def recommend(self, x: float, y: float, category: str, grid_code: str | None, at: datetime | None = None,
                  positions: dict[int, tuple[float, float, datetime]] | None = None,
                  busy: dict[int, str] | None = None, duty: DutyNow | None = None) -> Recommendation:
        at = at or datetime.now(timezone.utc)
        duty = duty or DutyNow(self.store, at)  # who is on shift now: the rota, else the fixed duty hours
        rules = dispatch_rules(self.store).get(category, ["grid_worker@grid"])
        kinds = {r.split("@")[0]: r.endswith("@grid") for r in rules}
        teams = [t for t in self.teams if t.kind in kinds]
        if positions is None:
            positions = {}
            for tid, f in latest_fixes(self.store, at).items():
                fx, fy = self.store.projection.lonlat_to_xy(f.lon, f.lat)
                positions[tid] = (float(fx), float(fy), f.t)
        busy = busy_teams(self.store, at) if busy is None else busy
        target = self.graph.snap(x, y)  # kept for the record; each mode snaps to its own streets
        ranked, excluded = [], []
        # Road distances for every located team at once (one search per travel mode).
        located = [t for t in teams if t.id in positions]
        road_of: dict[int, float] = {}
        if located:
            pts = np.array([positions[t.id][:2] for t in located])
            for mode in MODES:
                pick = np.array([self.graph.mode_of(t.transport) == mode for t in located])
                if pick.any():
                    mode_target = self.graph.snap(x, y, mode)
                    nd = self.graph.distances_to(mode_target, mode)
                    sub = self.graph.snap_arrays(pts[pick], mode)
                    for t, d in zip([t for t, p in zip(located, pick) if p], self.graph.distances_from_many(sub, nd, mode_target, mode)):
                        road_of[t.id] = float(d)
        for t in teams:
            if kinds[t.kind] and t.home_grid_code != grid_code:
                continue  # "that grid's grid worker": others of the kind are not candidates
            c = Candidate(t.id, t.code, t.name, t.kind, t.transport, status="available")
            pos = positions.get(t.id)
            if pos is not None:
                c.x, c.y = pos[0], pos[1]
                c.straight_m = math.hypot(pos[0] - x, pos[1] - y)
            if not duty.covers(t.id, t.duty_start_min, t.duty_end_min):
                c.excluded, c.status = Message("exclude.off_duty"), "offline"
            elif pos is None:
                c.excluded, c.status = Message("exclude.no_position"), "offline"
            elif at - pos[2] > OFFLINE_AFTER:
                c.excluded, c.status = Message("exclude.position_old", {"minutes": int((at - pos[2]).total_seconds() // 60)}), "offline"
            elif t.id in busy:
                c.excluded, c.status = Message("exclude.busy", {"stage": busy[t.id]}), busy[t.id]
            if c.excluded:
                excluded.append(c)
                continue
            road = road_of[t.id]
            if not math.isfinite(road):
                c.excluded = Message("exclude.unreachable")
                excluded.append(c)
                continue
            c.road_m = road
            c.eta_s = road / TRANSPORT_SPEED_MPS[t.transport]
            c.same_grid = t.home_grid_code == grid_code
            c.position_age_s = (at - pos[2]).total_seconds()
            c.reasons.append(TEAM_KINDS[t.kind].en.lower().rstrip("s") + (", same grid" if t.home_grid_code == grid_code else ""))
            age = (at - pos[2]).total_seconds()
            c.reasons.append(f"position {int(age // 60)} min old" if age >= 60 else "position current")
            c.reasons.append(f"{t.transport}, {c.eta_s / 60:.1f} min by road")
            ranked.append(c)
        ranked.sort(key=lambda c: (c.eta_s, c.road_m))
        for k, c in enumerate(ranked, start=1):
            c.rank = k
        return Recommendation(ranked, excluded, target, at, (x, y))


def record_recommendation(store: Store, incident_id: int, rec: Recommendation) -> None:
    """Keep what was recommended when (replay shows it against what happened)."""
    rows = [dict(incident_id=incident_id, t=rec.at, team_id=c.team_id, rank=c.rank, eta_s=c.eta_s, road_m=c.road_m,
                 straight_m=c.straight_m, reason="; ".join(c.reasons) if c.rank else (encode_note(c.excluded) if c.excluded else ""))
            for c in rec.candidates + rec.excluded]
    if rows:
        with store.engine.begin() as conn:
            from sqlalchemy import insert
            conn.execute(insert(m.Recommendation), rows)
