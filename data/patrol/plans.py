"""Patrol plans (巡逻计划): who patrols what, on which days and hours; their exceptions; routes drawn
along the streets through chosen checkpoints. The coverage of a plan comes from the tracks
(data/patrol/report.py). Qt-free; the console and the command line call these."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import shapely
from sqlalchemy import select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal, require
from data.domain import LOCAL_TZ, TEAM_KINDS
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import Store, write_lock

KINDS = ("route", "area", "stakeout")
GEOMETRY_OF = {"route": ("LineString",), "area": ("Polygon", "MultiPolygon"), "stakeout": ("Point",)}


class PatrolError(GridWatchError):
    """A plan that cannot be saved as given; the code and fields say why (data/messages.CATALOGUE)."""


@dataclass(frozen=True)
class Plan:
    id: int
    name: str
    kind: str
    team_id: int | None
    team_kind: str | None
    days: str
    start_min: int
    end_min: int
    key: bool
    target_pct: int
    checkpoints: np.ndarray  # (k, 2) map metres, in order
    grid_codes: tuple[str, ...]
    radius_m: float
    valid_from: date
    valid_to: date | None
    note: str
    geom: shapely.Geometry  # map metres

    @property
    def overnight(self) -> bool:
        return self.end_min <= self.start_min


@dataclass(frozen=True)
class Exception_:
    plan_id: int
    day: date
    cancelled: bool
    start_min: int | None
    end_min: int | None
    reason: str


def _check_minutes(start_min: int, end_min: int) -> None:
    for v in (start_min, end_min):
        if not (isinstance(v, int) and 0 <= v <= 24 * 60):
            raise PatrolError("patrol.bad_hours")
    if start_min == end_min:
        raise PatrolError("patrol.bad_hours")


def add_plan(store: Store, *, name: str, kind: str, geom: shapely.Geometry, by: Principal, start_min: int, end_min: int,
             valid_from: date, team_id: int | None = None, team_kind: str | None = None, days: str = "1234567",
             key: bool = False, target_pct: int | None = None, checkpoints: np.ndarray | None = None,
             grid_codes: tuple[str, ...] = (), radius_m: float | None = None, valid_to: date | None = None, note: str = "",
             at: datetime | None = None) -> int:
    """Save a plan (geometry and checkpoints in map metres); audited. Refused with a coded error."""
    require(by, "patrol.plan")
    name = (name or "").strip()
    if not name:
        raise PatrolError("patrol.no_name")
    if kind not in KINDS:
        raise PatrolError("patrol.unknown_kind", plan_kind=kind)
    if (team_id is None) == (team_kind is None):
        raise PatrolError("patrol.team_or_kind")
    if team_kind is not None and team_kind not in TEAM_KINDS:
        raise PatrolError("patrol.unknown_team_kind", kind=team_kind)
    if not days or any(d not in "1234567" for d in days) or len(set(days)) != len(days):
        raise PatrolError("patrol.bad_days", days=days)
    _check_minutes(start_min, end_min)
    if geom is None or geom.is_empty or geom.geom_type not in GEOMETRY_OF[kind] or not geom.is_valid:
        raise PatrolError("patrol.bad_geometry", plan_kind=kind)
    if valid_to is not None and valid_to < valid_from:
        raise PatrolError("patrol.bad_period")
    target = target_pct if target_pct is not None else (100 if key else 80)
    if not 1 <= target <= 100:
        raise PatrolError("patrol.bad_target")
    cps = np.zeros((0, 2)) if checkpoints is None else np.asarray(checkpoints, dtype=float).reshape(-1, 2)
    radius = float(radius_m if radius_m is not None else (50.0 if kind == "stakeout" else 30.0))
    if not 5.0 <= radius <= 500.0:
        raise PatrolError("patrol.bad_radius")
    at = at or datetime.now(timezone.utc)
    stored = store.projection.to_store(np.array([geom], dtype=object))[0]
    cps_ll = np.column_stack(store.projection.xy_to_lonlat(cps[:, 0], cps[:, 1])) if len(cps) else np.zeros((0, 2))
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            if team_id is not None and s.get(m.Team, team_id) is None:
                raise PatrolError("patrol.unknown_team", team=team_id)
            row = m.PatrolPlan(name=name, kind=kind, team_id=team_id, team_kind=team_kind, days="".join(sorted(days)),
                               start_min=start_min, end_min=end_min, key=bool(key), target_pct=target,
                               checkpoints=json.dumps([[round(float(a), 7), round(float(b), 7)] for a, b in cps_ll]),
                               grid_codes=json.dumps(list(grid_codes), ensure_ascii=False), radius_m=radius,
                               valid_from=valid_from.isoformat(), valid_to=valid_to.isoformat() if valid_to else None,
                               note=note, created_at=at, created_by=by.account_id, geom=stored)
            s.add(row)
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="patrol.plan_add", object_type="patrol_plan",
                         object_id=row.id, after={"name": name, "kind": kind, "team_id": team_id, "team_kind": team_kind,
                                                  "days": days, "hours": [start_min, end_min], "key": bool(key),
                                                  "target_pct": target}, at=at)
            return row.id


def add_exception(store: Store, plan_id: int, day: date, *, by: Principal, cancelled: bool = False,
                  start_min: int | None = None, end_min: int | None = None, reason: str = "",
                  at: datetime | None = None) -> None:
    """One day off a plan's pattern: cancelled, or other hours; audited. One exception per plan and day."""
    require(by, "patrol.plan")
    if not cancelled:
        if start_min is None or end_min is None:
            raise PatrolError("patrol.exception_needs_hours")
        _check_minutes(start_min, end_min)
    at = at or datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            if s.get(m.PatrolPlan, plan_id) is None:
                raise PatrolError("patrol.unknown_plan", plan=plan_id)
            if s.scalar(select(m.PatrolException.id).where(m.PatrolException.plan_id == plan_id,
                                                           m.PatrolException.day == day.isoformat())) is not None:
                raise PatrolError("patrol.exception_twice", day=day.isoformat())
            s.add(m.PatrolException(plan_id=plan_id, day=day.isoformat(), cancelled=cancelled, start_min=start_min,
                                    end_min=end_min, reason=reason, created_at=at, created_by=by.account_id))
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="patrol.exception", object_type="patrol_plan",
                         object_id=plan_id, after={"day": day.isoformat(), "cancelled": cancelled,
                                                   "hours": [start_min, end_min], "reason": reason}, at=at)


def plans(store: Store) -> list[Plan]:
    """Every plan, geometry and checkpoints in map metres."""
    with store.session() as s:
        rows = s.scalars(select(m.PatrolPlan).order_by(m.PatrolPlan.id)).all()
    if not rows:
        return []
    geoms = store.projection.to_map(np.array([r.geom for r in rows], dtype=object))
    out = []
    for r, g in zip(rows, geoms):
        ll = np.asarray(json.loads(r.checkpoints or "[]"), dtype=float).reshape(-1, 2)
        cps = np.column_stack(store.projection.lonlat_to_xy(ll[:, 0], ll[:, 1])) if len(ll) else np.zeros((0, 2))
        out.append(Plan(r.id, r.name, r.kind, r.team_id, r.team_kind, r.days, r.start_min, r.end_min, bool(r.key), r.target_pct,
                        cps, tuple(json.loads(r.grid_codes or "[]")), float(r.radius_m), date.fromisoformat(r.valid_from),
                        date.fromisoformat(r.valid_to) if r.valid_to else None, r.note or "", g))
    return out


def exceptions(store: Store) -> dict[tuple[int, date], Exception_]:
    with store.session() as s:
        rows = s.scalars(select(m.PatrolException)).all()
    return {(r.plan_id, date.fromisoformat(r.day)): Exception_(r.plan_id, date.fromisoformat(r.day), bool(r.cancelled),
                                                               r.start_min, r.end_min, r.reason or "") for r in rows}


def windows(plan: Plan, start: datetime, end: datetime,
            excepted: dict[tuple[int, date], Exception_] | None = None) -> list[tuple[datetime, datetime]]:
    """The plan's duty windows (UTC) that overlap [start, end]: on its weekdays, within its validity,
    with its exceptions; a window that runs past midnight belongs to the day it starts on."""
    excepted = excepted or {}
    first = (start.astimezone(LOCAL_TZ) - timedelta(days=1)).date()  # yesterday's overnight window may reach in
    last = end.astimezone(LOCAL_TZ).date()
    out = []
    d = first
    while d <= last:
        if plan.valid_from <= d and (plan.valid_to is None or d <= plan.valid_to) and str(d.isoweekday()) in plan.days:
            a, b = plan.start_min, plan.end_min
            ex = excepted.get((plan.id, d))
            if ex is not None:
                if ex.cancelled:
                    d += timedelta(days=1)
                    continue
                a, b = ex.start_min, ex.end_min
            midnight = datetime.combine(d, time(0), tzinfo=LOCAL_TZ)
            w0 = midnight + timedelta(minutes=a)
            w1 = midnight + timedelta(minutes=b + (24 * 60 if b <= a else 0))
            if w1 > start and w0 < end:
                out.append((w0.astimezone(timezone.utc), w1.astimezone(timezone.utc)))
        d += timedelta(days=1)
    return out


def team_id_of(store: Store, code: str) -> int:
    """A team's id by its code (as rosters and the command line name teams); refused if there is none."""
    with store.session() as s:
        tid = s.scalar(select(m.Team.id).where(m.Team.code == code))
    if tid is None:
        raise PatrolError("patrol.unknown_team", team=code)
    return tid


def area_from_grids(store: Store, codes: list[str], at: datetime | None = None) -> shapely.Geometry:
    """The union of grids (map metres), for an area plan made of grids."""
    from data.snapshot import load_grids
    grids = load_grids(store, at)
    have = list(grids.column("code"))
    missing = [c for c in codes if c not in have]
    if missing or not codes:
        raise PatrolError("patrol.unknown_grids", grids=", ".join(missing) or "—")
    return shapely.union_all([grids.geoms[have.index(c)] for c in codes])


def route_through(store: Store, checkpoints_xy: np.ndarray, *, closed: bool = True, shortest: bool = False,
                  transport: str = "foot", graph=None) -> tuple[shapely.LineString, np.ndarray]:
    """A route along the streets through the checkpoints (map metres), and the checkpoints in the order
    it visits them: in the order given, or, with `shortest`, the order of the shortest closed tour by
    road (every order for up to 8 checkpoints; nearest neighbour then 2-opt beyond)."""
    from data.routing.recommender import RoadGraph
    pts = np.asarray(checkpoints_xy, dtype=float).reshape(-1, 2)
    if len(pts) < 2:
        raise PatrolError("patrol.route_needs_two")
    graph = graph or RoadGraph.from_store(store)
    legs: dict[tuple[int, int], np.ndarray] = {}

    def leg(i: int, j: int) -> np.ndarray:
        if (i, j) not in legs:
            coords = graph.route_between(pts[i, 0], pts[i, 1], pts[j, 0], pts[j, 1], transport)
            if coords is None:
                raise PatrolError("patrol.no_road_between", a=i + 1, b=j + 1)
            legs[(i, j)] = np.asarray(coords, dtype=float)
        return legs[(i, j)]

    def length(c: np.ndarray) -> float:
        return float(np.hypot(*np.diff(c, axis=0).T).sum()) if len(c) > 1 else 0.0

    order = list(range(len(pts)))
    if shortest and len(pts) > 2:
        def tour_len(o) -> float:
            seq = list(o) + ([o[0]] if closed else [])
            return sum(length(leg(a, b)) for a, b in zip(seq, seq[1:]))
        if len(pts) <= 8:
            order = [0] + list(min(itertools.permutations(range(1, len(pts))), key=lambda p: tour_len([0, *p])))
        else:
            left, order = set(range(1, len(pts))), [0]
            while left:
                nxt = min(left, key=lambda j: length(leg(order[-1], j)))
                order.append(nxt)
                left.discard(nxt)
            improved = True
            while improved:
                improved = False
                for i in range(1, len(order) - 1):
                    for j in range(i + 1, len(order)):
                        cand = order[:i] + order[i:j + 1][::-1] + order[j + 1:]
                        if tour_len(cand) < tour_len(order) - 1e-6:
                            order, improved = cand, True
    seq = order + ([order[0]] if closed else [])
    coords = [leg(a, b) for a, b in zip(seq, seq[1:])]
    line = np.concatenate([coords[0]] + [c[1:] for c in coords[1:]])
    return shapely.LineString(line), pts[order]
