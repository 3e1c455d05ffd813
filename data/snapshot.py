"""Read what the map shows from the store, converted once to map metres.

Each loader returns a FeatureTable: a shapely geometry array in map metres and attribute columns.
Positions and stages are derived here from the append-only fixes and case events.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Sequence

import numpy as np
import shapely
from sqlalchemy import and_, func, select, type_coerce

from data.store import models as m
from data.cases.rules import busy_teams_of, case_states
from data.store.core import Store
from data.store.types import RawGeometry, decode_geometries

STALE_AFTER = timedelta(minutes=2)
OFFLINE_AFTER = timedelta(minutes=10)


@dataclass
class FeatureTable:
    """Features of one kind: geometries (map metres) and parallel attribute columns."""

    geoms: np.ndarray
    attrs: dict[str, Sequence[Any]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.geoms)

    def row(self, i: int) -> dict[str, Any]:
        return {k: v[i] for k, v in self.attrs.items()}

    def column(self, name: str) -> Sequence[Any]:
        return self.attrs[name]

    def bounds(self) -> tuple[float, float, float, float] | None:
        if len(self.geoms) == 0:
            return None
        return tuple(float(v) for v in shapely.total_bounds(self.geoms))


def _select_with_geoms(store: Store, model, columns: list, where=None, order=None) -> tuple[np.ndarray, dict]:
    q = select(type_coerce(model.geom, RawGeometry), *columns)
    if where is not None:
        q = q.where(where)
    q = q.order_by(*(order if order is not None else [model.id]))
    with store.session() as s:
        rows = s.execute(q).all()
    geoms = decode_geometries(store.engine.dialect.name, [r[0] for r in rows])
    geoms = store.projection.to_map(geoms) if len(geoms) else np.array([], dtype=object)
    attrs = {c.key: [r[k + 1] for r in rows] for k, c in enumerate(columns)}
    return geoms, attrs


def load_district(store: Store) -> shapely.Geometry | None:
    geoms = load_district_table(store).geoms
    return shapely.union_all(geoms) if len(geoms) else None


def load_district_table(store: Store) -> FeatureTable:
    """The district boundary as a layer's features (map metres)."""
    geoms, attrs = _select_with_geoms(store, m.District, [m.District.name])
    return FeatureTable(geoms, {"name": attrs.get("name", [])})


def grid_set_in_force(store: Store, at: datetime | None = None) -> m.GridSet | None:
    at = at or datetime.now(timezone.utc)
    with store.session() as s:
        return s.scalars(select(m.GridSet).where(m.GridSet.status == "published", m.GridSet.effective_from <= at)
                         .order_by(m.GridSet.effective_from.desc(), m.GridSet.id.desc()).limit(1)).first()


def grid_set_schedule(store: Store) -> list[tuple[datetime, int]]:
    """(effective from, grid set id) of every published set, oldest first: for asking "which set at
    t" many times without a store read each time (replay), with `set_in_force`."""
    with store.session() as s:
        return [tuple(r) for r in s.execute(select(m.GridSet.effective_from, m.GridSet.id)
                                            .where(m.GridSet.status == "published")
                                            .order_by(m.GridSet.effective_from, m.GridSet.id))]


def grid_set_id_in_force(conn, at: datetime) -> int | None:
    """grid_set_in_force on an open connection (inside an import's transaction)."""
    schedule = [tuple(r) for r in conn.execute(select(m.GridSet.effective_from, m.GridSet.id)
                                               .where(m.GridSet.status == "published")
                                               .order_by(m.GridSet.effective_from, m.GridSet.id))]
    return set_in_force(schedule, at)


def set_in_force(schedule: list[tuple[datetime, int]], at: datetime) -> int | None:
    """The rule of grid_set_in_force on a schedule: the latest effective_from <= at, the newest set
    among equals (the schedule is sorted by both)."""
    k = bisect.bisect_right([e for e, _ in schedule], at)
    return schedule[k - 1][1] if k else None


def grid_codes_in_force(store: Store, at: datetime | None = None) -> list[str]:
    """The codes of the grid set in force, without their geometries (checks and tables that only name grids)."""
    gs = grid_set_in_force(store, at)
    if gs is None:
        return []
    with store.session() as s:
        return list(s.scalars(select(m.Grid.code).where(m.Grid.grid_set_id == gs.id).order_by(m.Grid.id)))


def load_grids(store: Store, at: datetime | None = None) -> FeatureTable:
    gs = grid_set_in_force(store, at)
    if gs is None:
        return FeatureTable(np.array([], dtype=object), {"code": [], "name": [], "community": [], "worker": []})
    worker = select(m.Member.name).where(m.Member.id == m.Grid.worker_member_id).scalar_subquery()
    community = select(m.Community.name).where(m.Community.id == m.Grid.community_id).scalar_subquery()
    geoms, attrs = _select_with_geoms(store, m.Grid, [m.Grid.code, m.Grid.name, community.label("community"),
                                                      worker.label("worker")], where=m.Grid.grid_set_id == gs.id)
    attrs["grid_set"] = [gs.name] * len(geoms)
    return FeatureTable(geoms, attrs)


def community_outlines(grids: FeatureTable) -> FeatureTable:
    """Community boundaries as the union of their grids (so they follow the grid set in force)."""
    names = np.array(grids.column("community"), dtype=object)
    out_names = sorted(set(names))
    geoms = np.array([shapely.coverage_union_all(grids.geoms[names == n]) for n in out_names], dtype=object)
    counts = [int((names == n).sum()) for n in out_names]
    return FeatureTable(geoms, {"name": out_names, "grids": counts})


def load_cameras(store: Store) -> FeatureTable:
    C = m.Camera
    geoms, attrs = _select_with_geoms(store, C, [C.code, C.name, C.hd, C.heading_deg, C.fov_deg, C.range_m, C.status, C.stream_url])
    return FeatureTable(geoms, attrs)


def load_streets(store: Store) -> FeatureTable:
    S = m.StreetSegment
    return FeatureTable(*_select_with_geoms(store, S, [S.id, S.name, S.road_class, S.oneway, S.length_m]))


def load_buildings(store: Store) -> FeatureTable:
    B = m.Building
    return FeatureTable(*_select_with_geoms(store, B, [B.id, B.floors, B.kind]))


def load_water(store: Store) -> FeatureTable:
    W = m.Water
    return FeatureTable(*_select_with_geoms(store, W, [W.name, W.kind]))


def latest_fixes(store: Store, at: datetime | None = None) -> dict[int, m.Fix]:
    """Each team's latest fix at or before `at` (the append-only table is the truth)."""
    F = m.Fix
    inner = select(F.team_id, func.max(F.t).label("mt"))
    if at is not None:
        inner = inner.where(F.t <= at)
    inner = inner.group_by(F.team_id).subquery()
    q = select(F).join(inner, and_(F.team_id == inner.c.team_id, F.t == inner.c.mt)).order_by(F.team_id, F.id)
    with store.session() as s:
        return {f.team_id: f for f in s.scalars(q)}


def load_teams(store: Store, now: datetime | None = None, grids: FeatureTable | None = None) -> FeatureTable:
    """Teams placed at their latest fix, else (flagged) in their home grid, with a derived status."""
    now = now or datetime.now(timezone.utc)
    grids = grids if grids is not None else load_grids(store, now)
    home_pt = dict(zip(grids.column("code"), shapely.point_on_surface(grids.geoms))) if len(grids) else {}
    with store.session() as s:
        teams = s.scalars(select(m.Team).order_by(m.Team.id)).all()
        sizes = dict(s.execute(select(m.Member.team_id, func.count()).group_by(m.Member.team_id)).all())
    fixes = latest_fixes(store, now)
    busy = busy_teams(store, now)
    attrs = {k: [] for k in ("id", "code", "name", "kind", "transport", "members", "home_grid",
                                             "status", "stale", "last_fix", "from_fix", "speed_mps", "heading_deg",
                                             "accuracy_m", "battery_pct")}
    lon, lat, placed = [], [], []
    for t in teams:
        f = fixes.get(t.id)
        if f is not None:
            lon.append(f.lon)
            lat.append(f.lat)
        else:
            lon.append(np.nan)
            lat.append(np.nan)
        placed.append(f is not None)
        age = now - f.t if f is not None else None
        if age is None or age > OFFLINE_AFTER:
            status = "offline"
        else:
            status = busy.get(t.id, "available")
        stale = age is not None and STALE_AFTER < age <= OFFLINE_AFTER
        for k, v in (("id", t.id), ("code", t.code), ("name", t.name), ("kind", t.kind), ("transport", t.transport),
                     ("members", sizes.get(t.id, 0)), ("home_grid", t.home_grid_code), ("status", status),
                     ("stale", stale), ("last_fix", f.t if f is not None else None), ("from_fix", f is not None),
                     ("speed_mps", f.speed_mps if f is not None else None),
                     ("heading_deg", f.heading_deg if f is not None else None),
                     ("accuracy_m", f.accuracy_m if f is not None else None),
                     ("battery_pct", f.battery_pct if f is not None else None)):
            attrs[k].append(v)
    x, y = store.projection.lonlat_to_xy(np.array(lon, float), np.array(lat, float))
    x, y = np.atleast_1d(x).copy(), np.atleast_1d(y).copy()
    for i, t in enumerate(teams):
        if not placed[i] and t.home_grid_code in home_pt:
            # Spread teams that share a home grid on a small circle so they do not hide each other.
            p = home_pt[t.home_grid_code]
            ang = (t.id * 2.399963) % (2 * np.pi)
            x[i], y[i] = p.x + 35 * np.cos(ang), p.y + 35 * np.sin(ang)
    return FeatureTable(shapely.points(x, y) if len(teams) else np.array([], dtype=object), attrs)


def case_states_recent(store: Store, now: datetime, lookback: timedelta = timedelta(days=30)):
    with store.session() as s:
        return case_states(s, at=now, since=now - lookback)


def busy_teams(store: Store, now: datetime) -> dict[int, str]:
    """team id -> "dispatched" | "on_scene" for teams on an open case (derived from case events)."""
    return busy_teams_of(case_states_recent(store, now).values())


def load_incidents(store: Store, now: datetime | None = None, closed_within: timedelta = timedelta(hours=24),
                   lookback: timedelta = timedelta(days=30)) -> FeatureTable:
    """Open incidents and those closed within `closed_within` of `now`, with their derived stage."""
    now = now or datetime.now(timezone.utc)
    states = case_states_recent(store, now, lookback)
    show = [iid for iid, st in states.items() if st.is_open or (st.closed_at and now - st.closed_at <= closed_within)]
    I = m.Incident
    cols = [I.id, I.case_no, I.category, I.subcategory, I.priority, I.source, I.description, I.reported_at, I.grid_code]
    geoms, attrs = _select_with_geoms(store, I, cols, where=I.id.in_(show))
    attrs["stage"] = [states[i].stage for i in attrs["id"]]
    attrs["stage_since"] = [states[i].since for i in attrs["id"]]
    return FeatureTable(geoms, attrs)


def community_names(store: Store) -> dict[int, str]:
    with store.session() as s:
        return dict(s.execute(select(m.Community.id, m.Community.name)).all())


def team_choices(store: Store) -> list[tuple[str, str]]:
    """(code, name) of every team, by code: what a person picks a team from."""
    with store.session() as s:
        return [tuple(r) for r in s.execute(select(m.Team.code, m.Team.name).order_by(m.Team.code))]


def team_ids_by_code(store: Store) -> dict[str, int]:
    with store.session() as s:
        return dict(s.execute(select(m.Team.code, m.Team.id)).all())


def member_names(store: Store) -> dict[int, str]:
    with store.session() as s:
        return dict(s.execute(select(m.Member.id, m.Member.name)).all())


def grid_worker_choices(store: Store) -> list[tuple[int, str, str]]:
    """(member id, name, team code) of every grid worker, by team code."""
    with store.session() as s:
        return [tuple(r) for r in s.execute(select(m.Member.id, m.Member.name, m.Team.code).join(m.Team)
                                            .where(m.Team.kind == "grid_worker").order_by(m.Team.code))]
