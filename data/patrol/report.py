"""Coverage of the patrol plans over a time window, from the teams' own tracks: per plan and duty
window, then by team, by grid and for the key plans; and the live alerts (a team that has not started
its route 15 minutes into its shift, a key area with nobody in it during its key hours).

The fixes come through the replay index (data/replay/index.py: one read into columns, from the fix
cache on a big store), so a day of every plan is a few array slices per window, not a query each.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

import numpy as np
import shapely
from sqlalchemy import select

from data.patrol import coverage as C
from data.patrol.plans import Plan, exceptions, plans, windows
from data.store import models as m
from data.store.core import Store

SPEED_OF = {"foot": C.WALK_MAX_MPS, "ebike": 8.0, "car": 20.0}  # the fastest a team of each transport moves
LATE_START = timedelta(minutes=15)
CHUNK = timedelta(days=1)  # a longer period is measured a day at a time
KEY_AREA_EMPTY = timedelta(minutes=10)


@dataclass(frozen=True)
class WindowCoverage:
    """One plan in one duty window."""

    plan_id: int
    plan_name: str
    kind: str
    key: bool
    target_pct: int
    team_ids: tuple[int, ...]
    start: datetime
    end: datetime
    planned_m: float
    walked_m: float
    pct: float  # route/area: share of the line walked; stake-out: share of the window held
    checkpoints: int
    reached: int
    dwell_s: float
    gaps: tuple[tuple[datetime, datetime], ...]
    started_at: datetime | None  # the first fix on the plan's line, area or point
    grid_codes: tuple[str, ...] = ()
    in_progress: bool = False  # the window is still running: measured up to the report's end

    @property
    def met(self) -> bool:
        return self.pct + 1e-9 >= self.target_pct

    @property
    def late_start(self) -> bool:
        return self.started_at is None or self.started_at - self.start > LATE_START

    def as_dict(self) -> dict:
        return {"plan": self.plan_id, "name": self.plan_name, "kind": self.kind, "key": self.key, "teams": list(self.team_ids),
                "start": self.start.isoformat(), "end": self.end.isoformat(), "planned_m": round(self.planned_m),
                "walked_m": round(self.walked_m), "pct": round(self.pct, 1), "target_pct": self.target_pct, "met": self.met,
                "checkpoints": self.checkpoints, "reached": self.reached, "dwell_s": round(self.dwell_s),
                "started_at": self.started_at.isoformat() if self.started_at else None, "late_start": self.late_start,
                "gaps": [[a.isoformat(), b.isoformat()] for a, b in self.gaps], "grids": list(self.grid_codes),
                "in_progress": self.in_progress}


@dataclass
class CoverageReport:
    start: datetime
    end: datetime
    windows: list[WindowCoverage] = field(default_factory=list)

    def _group(self, key) -> dict:
        out: dict = {}
        for w in self.windows:
            if w.in_progress:
                continue  # not yet a result: it counts once its window has ended
            for k in key(w):
                g = out.setdefault(k, {"windows": 0, "met": 0, "planned_m": 0.0, "walked_m": 0.0, "pct_sum": 0.0})
                g["windows"] += 1
                g["met"] += int(w.met)
                g["planned_m"] += w.planned_m
                g["walked_m"] += w.walked_m
                g["pct_sum"] += w.pct
        for g in out.values():
            g["pct"] = round(g.pop("pct_sum") / g["windows"], 1) if g["windows"] else 0.0
            g["planned_m"], g["walked_m"] = round(g["planned_m"]), round(g["walked_m"])
        return out

    def by_team(self) -> dict[int, dict]:
        return self._group(lambda w: w.team_ids)

    def by_grid(self) -> dict[str, dict]:
        return self._group(lambda w: w.grid_codes)

    def key_plans(self) -> dict[int, dict]:
        return self._group(lambda w: (w.plan_id,) if w.key else ())

    def ranked(self, by: str, team_labels: dict[int, str]) -> list[tuple[str, dict]]:
        """The groups by "team", "grid" or "key" plan with their names, the least covered first (what a
        supervisor and a report's reader look for): the docks and the monthly report show these."""
        groups = {"team": self.by_team, "grid": self.by_grid, "key": self.key_plans}[by]()
        names = {w.plan_id: w.plan_name for w in self.windows}
        label = {"team": lambda k: team_labels.get(k, str(k)), "grid": str, "key": lambda k: names.get(k, str(k))}[by]
        return [(label(k), g) for k, g in sorted(groups.items(), key=lambda kv: (kv[1]["pct"], str(kv[0])))]

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "windows": [w.as_dict() for w in self.windows],
                "by_team": {str(k): v for k, v in self.by_team().items()}, "by_grid": self.by_grid(),
                "key_plans": {str(k): v for k, v in self.key_plans().items()}}


class _Tracks:
    """Every team's fixes of the window, once, in (team, time) order; a team's track is a slice."""

    def __init__(self, store: Store, start: datetime, end: datetime):
        from data.replay.index import ReplayIndex
        idx = ReplayIndex(store, start, end)
        self.team, self.t, self.x, self.y = idx.f_team, idx.f_t, idx.f_x, idx.f_y

    def of(self, team_id: int, start: datetime, end: datetime) -> C.Track:
        a, b = np.searchsorted(self.team, team_id, "left"), np.searchsorted(self.team, team_id, "right")
        t = self.t[a:b]
        i, j = np.searchsorted(t, start.timestamp(), "left"), np.searchsorted(t, end.timestamp(), "right")
        return C.Track(t[i:j], self.x[a:b][i:j], self.y[a:b][i:j])


def team_labels(store: Store) -> dict[int, str]:
    """Each team's "code name", as reports name teams."""
    with store.session() as s:
        return {tid: f"{code} {name}" for tid, code, name in s.execute(select(m.Team.id, m.Team.code, m.Team.name))}


def _plan_teams(plan: Plan, teams: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
    if plan.team_id is not None:
        return [(tid, tr) for tid, _k, tr in teams if tid == plan.team_id]
    return [(tid, tr) for tid, kind, tr in teams if kind == plan.team_kind]


def _streets_in(area, streets) -> shapely.Geometry:
    tree = shapely.STRtree(streets.geoms)
    hit = tree.query(area, predicate="intersects")
    parts = shapely.intersection(streets.geoms[hit], area)
    lines = [g for g in shapely.get_parts(parts) if g.geom_type == "LineString" and g.length > 0]
    return shapely.MultiLineString(lines) if lines else shapely.MultiLineString()


class _Setting:
    """What measuring plans reads once, however long the period: the teams, the streets (for area
    plans) and the grids; each plan's line, teams and speed worked out once."""

    def __init__(self, store: Store, chosen: list[Plan], at: datetime):
        from data.snapshot import load_grids, load_streets
        with store.session() as s:
            self.teams = [(r[0], r[1], r[2]) for r in s.execute(select(m.Team.id, m.Team.kind, m.Team.transport))]
        self.streets = load_streets(store) if any(p.kind == "area" for p in chosen) else None
        self.grids = load_grids(store, at)
        self._grid_tree = shapely.STRtree(self.grids.geoms)
        self._lines: dict[int, object] = {}

    def grids_of(self, plan: Plan) -> tuple[str, ...]:
        if plan.grid_codes:
            return plan.grid_codes
        hit = self._grid_tree.query(plan.geom, predicate="intersects")
        return tuple(sorted(str(self.grids.column("code")[i]) for i in hit))

    def line_of(self, plan: Plan):
        """The line to be walked: the route, or the area's streets (None for a stake-out)."""
        if plan.id not in self._lines:
            self._lines[plan.id] = plan.geom if plan.kind == "route" else \
                _streets_in(plan.geom, self.streets) if plan.kind == "area" else None
        return self._lines[plan.id]

    def members(self, plan: Plan) -> tuple[list[int], float]:
        """The plan's teams, and the fastest any of them moves (a fix further than that is a jump)."""
        members = _plan_teams(plan, self.teams)
        return [tid for tid, _ in members], max((SPEED_OF.get(tr, C.WALK_MAX_MPS) for _tid, tr in members),
                                                default=C.WALK_MAX_MPS)


class _Measure:
    """One stretch of time: every team's fixes of it read once; then each plan's window is array slices."""

    def __init__(self, store: Store, setting: _Setting, start: datetime, end: datetime):
        self.setting = setting
        self.tracks = _Tracks(store, start, end)

    def window(self, plan: Plan, w0: datetime, w1: datetime) -> tuple["WindowCoverage", list[C.Track]]:
        team_ids, speed = self.setting.members(plan)
        tracks = [self.tracks.of(tid, w0, w1) for tid in team_ids]
        return _window(plan, self.setting.line_of(plan), tracks, team_ids, w0, w1, speed, self.setting.grids_of(plan)), tracks


def coverage(store: Store, start: datetime, end: datetime, plan_ids: list[int] | None = None, *,
             so_far: bool = False) -> CoverageReport:
    """Coverage of every plan (or those named) in each of its duty windows that ends within [start, end];
    with `so_far`, also the windows still running at `end`, measured up to it (marked in_progress,
    left out of the groups)."""
    report = CoverageReport(start, end)
    chosen = [p for p in plans(store) if plan_ids is None or p.id in plan_ids]
    if not chosen:
        return report
    excepted = exceptions(store)
    setting = _Setting(store, chosen, end)
    if end - start > CHUNK:
        # A week or a month a day at a time: one day of every team's fixes in memory, not a month's. A
        # window is counted in the day it ends (the chunks' windows end within them, and never at a start).
        a = start
        while a < end:
            b = min(end, a + CHUNK)
            report.windows += _measured(store, setting, chosen, excepted, a, b, so_far and b == end)
            a = b
    else:
        report.windows += _measured(store, setting, chosen, excepted, start, end, so_far)
    report.windows.sort(key=lambda w: (w.start, w.plan_id))
    return report


def _measured(store: Store, setting: _Setting, chosen: list[Plan], excepted, start: datetime, end: datetime,
              so_far: bool) -> list[WindowCoverage]:
    out: list[WindowCoverage] = []
    late = timedelta(seconds=1)
    spans = {p.id: [w for w in windows(p, start, end, excepted) if w[1] <= end + late or (so_far and w[0] < end)]
             for p in chosen}
    all_w = [w for ws in spans.values() for w in ws]
    if not all_w:
        return out
    measure = _Measure(store, setting, min(a for a, _ in all_w), min(end, max(b for _, b in all_w)))
    for plan in chosen:
        for w0, w1 in spans[plan.id]:
            wc = measure.window(plan, w0, min(w1, end))[0]
            out.append(replace(wc, in_progress=True) if w1 > end + late else wc)
    return out


def _window(plan: Plan, line, tracks: list[C.Track], team_ids: list[int], w0: datetime, w1: datetime, speed: float,
            grid_codes: tuple[str, ...]) -> WindowCoverage:
    span_s = (w1 - w0).total_seconds()
    checkpoints, reached, dwell, walked_m, planned_m = len(plan.checkpoints), 0, 0.0, 0.0, 0.0
    if plan.kind == "stakeout":
        p = (plan.geom.x, plan.geom.y)
        dwell = max((C.dwell_s(p, t, plan.radius_m) for t in tracks), default=0.0)
        pct = 100.0 * min(1.0, dwell / span_s) if span_s > 0 else 0.0
        on_plan = [t.t[np.hypot(t.x - p[0], t.y - p[1]) <= plan.radius_m] for t in tracks]
    else:
        cov = C.line_walked(line, tracks, max_speed_mps=speed)
        walked_m, planned_m, pct = cov.walked_m, cov.planned_m, 100.0 * cov.fraction
        if checkpoints:
            firsts = [C.checkpoints_reached(plan.checkpoints, t, plan.radius_m, speed) for t in tracks]
            reached = sum(1 for k in range(checkpoints) if any(f[k] is not None for f in firsts))
        if plan.kind == "area":
            inside = shapely.contains_xy(plan.geom, *(np.concatenate([t.x for t in tracks] or [np.zeros(0)]),
                                                      np.concatenate([t.y for t in tracks] or [np.zeros(0)])))
            all_t = np.concatenate([t.t for t in tracks] or [np.zeros(0)])
            on_plan = [all_t[inside]]
        else:
            on_plan = [t.t[shapely.dwithin(line, shapely.points(t.x, t.y), C.TOLERANCE_M)] for t in tracks]
    firsts_on = [float(v.min()) for v in on_plan if len(v)]
    started = datetime.fromtimestamp(min(firsts_on), tz=timezone.utc) if firsts_on else None
    seen = np.sort(np.concatenate([t.t for t in tracks] or [np.zeros(0)]))  # any of the plan's teams
    gap_list = tuple((datetime.fromtimestamp(a, tz=timezone.utc), datetime.fromtimestamp(b, tz=timezone.utc))
                     for a, b in C.gaps(seen, w0.timestamp(), w1.timestamp()))
    return WindowCoverage(plan.id, plan.name, plan.kind, plan.key, plan.target_pct, tuple(team_ids), w0, w1, planned_m, walked_m,
                          pct, checkpoints, reached, dwell, gap_list, started, grid_codes)


@dataclass(frozen=True)
class PatrolAlert:
    code: str  # patrol.not_started | patrol.key_area_empty
    plan_id: int
    plan_name: str
    since: datetime
    team_ids: tuple[int, ...]


def alerts(store: Store, now: datetime | None = None) -> list[PatrolAlert]:
    """What needs a dispatcher now: a plan whose window began 15 minutes ago with no fix of its team on
    its route or in its area yet; a key plan in its key hours with nobody within it for 10 minutes."""
    now = now or datetime.now(timezone.utc)
    out: list[PatrolAlert] = []
    excepted = exceptions(store)
    current = [(p, w) for p in plans(store) for w in windows(p, now - timedelta(hours=24), now, excepted) if w[0] <= now < w[1]]
    if not current:
        return out
    setting = _Setting(store, [p for p, _ in current], now)
    measure = _Measure(store, setting, min(w[0] for _, w in current), now)
    for plan, (w0, _w1) in current:
        line = setting.line_of(plan)
        wc, tracks = measure.window(plan, w0, now)  # the window so far
        if now - w0 >= LATE_START and wc.started_at is None:
            out.append(PatrolAlert("patrol.not_started", plan.id, plan.name, w0 + LATE_START, wc.team_ids))
        if plan.key and now - w0 >= KEY_AREA_EMPTY:
            recent = [t.window((now - KEY_AREA_EMPTY).timestamp(), now.timestamp()) for t in tracks]
            if not _near_plan(plan, line, recent):
                out.append(PatrolAlert("patrol.key_area_empty", plan.id, plan.name, now - KEY_AREA_EMPTY, wc.team_ids))
    return out


def _near_plan(plan: Plan, line, tracks: list[C.Track]) -> bool:
    for t in tracks:
        if not len(t):
            continue
        pts = shapely.points(t.x, t.y)
        if plan.kind == "area" and shapely.contains_xy(plan.geom, t.x, t.y).any():
            return True
        target = plan.geom if plan.kind == "stakeout" else line
        radius = plan.radius_m if plan.kind == "stakeout" else C.TOLERANCE_M
        if target is not None and not target.is_empty and shapely.dwithin(target, pts, radius).any():
            return True
    return False


@dataclass(frozen=True)
class CoverageOnMap:
    """One plan's window drawn walked against planned (map metres): the line cut into walked and not
    walked, the checkpoints reached and not, the stake-out point and its radius, the teams' tracks."""

    plan_id: int
    kind: str
    key: bool
    walked: shapely.Geometry
    missed: shapely.Geometry
    reached: np.ndarray  # (k, 2)
    unreached: np.ndarray  # (k, 2)
    point: tuple[float, float] | None
    radius_m: float
    held: bool  # a stake-out: held to its target
    tracks: tuple[np.ndarray, ...]  # each (n, 2), the fixes in time order

    def extent(self) -> tuple[float, float, float, float]:
        geoms = [g for g in (self.walked, self.missed) if not g.is_empty]
        if self.point is not None:
            geoms.append(shapely.Point(self.point).buffer(self.radius_m))
        return tuple(shapely.total_bounds(np.array(geoms, dtype=object))) if geoms else (0.0, 0.0, 0.0, 0.0)


def on_map(store: Store, plan_id: int, start: datetime, end: datetime) -> CoverageOnMap:
    """What to draw for one plan over [start, end] (one of its duty windows, or the part of it so far)."""
    chosen = [p for p in plans(store) if p.id == plan_id]
    if not chosen:
        from data.patrol.plans import PatrolError
        raise PatrolError("patrol.unknown_plan", plan=plan_id)
    plan = chosen[0]
    setting = _Setting(store, chosen, end)
    line = setting.line_of(plan)
    wc, tracks = _Measure(store, setting, start, end).window(plan, start, end)
    _teams, speed = setting.members(plan)
    empty = shapely.MultiLineString()
    walked, missed = C.walked_pieces(line, tracks, max_speed_mps=speed) if line is not None else (empty, empty)
    cps = np.asarray(plan.checkpoints, float).reshape(-1, 2)
    hit = np.zeros(len(cps), bool)
    for t in tracks:
        hit |= np.array([v is not None for v in C.checkpoints_reached(cps, t, plan.radius_m, speed)], bool).reshape(-1)
    point = (plan.geom.x, plan.geom.y) if plan.kind == "stakeout" else None
    return CoverageOnMap(plan.id, plan.kind, plan.key, walked, missed, cps[hit], cps[~hit], point, plan.radius_m, wc.met,
                         tuple(np.column_stack([t.x, t.y]) for t in tracks if len(t)))
