"""The demo office's patrol plans, drawn through the plan service as its planner would: the
night-market street (夜市街) as a key route every night 20:00–02:00 for the patrol team of the grid it
runs through, two key rectification compounds (重点整治小区) held as key stake-outs in the evening by
their compound guards, and an ordinary daytime route for a few more patrol teams. The rota does not
cover the night market past 22:00: the week view shows that key period short, as an office would
find it the first week it kept both.

Then the tracks of those teams since the plans began (write_demo_patrol_tracks): they walk their
routes and hold their stake-outs, so coverage is mostly met, with the misses an office sees in a
week: a team that starts late, one that walks half its route, a phone off for two hours, a night
the market's far end is skipped, a stake-out left early, and, this morning, a team not yet out.

Its own random streams (seed + 1700, seed + 1800): nothing else of the demo changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import shapely
from sqlalchemy import insert, select

from data.domain import LOCAL_TZ, TRANSPORT_SPEED_MPS
from data.patrol.plans import add_plan, exceptions, plans, route_through, windows
from data.store import models as m
from data.store.core import Store

PLANNER = "冉小东"  # a planner of the demo office (data/demo/generator.STAFF)
DAY_ROUTES = 6  # patrol teams with an ordinary daytime route besides the night market's


def _team(store: Store, kind: str, k: int) -> tuple[int, str]:
    with store.session() as s:
        rows = s.execute(select(m.Team.id, m.Team.home_grid_code).where(m.Team.kind == kind).order_by(m.Team.code)).all()
    return rows[k % len(rows)]


def _grid_points(store: Store, graph, code: str, n: int, rng: np.random.Generator) -> np.ndarray:
    """n street nodes inside a grid, spread out (each the farthest from those chosen)."""
    from data.snapshot import load_grids
    grids = load_grids(store)
    geom = grids.geoms[list(grids.column("code")).index(code)]
    inside = graph.xy[shapely.contains_xy(geom, graph.xy[:, 0], graph.xy[:, 1])]
    if len(inside) < n:
        return inside
    chosen = [inside[int(rng.integers(len(inside)))]]
    while len(chosen) < n:
        d = np.min(np.hypot(*(inside[:, None, :] - np.array(chosen)[None, :, :]).transpose(2, 0, 1)), axis=1)
        chosen.append(inside[int(np.argmax(d))])
    return np.array(chosen)


def write_demo_plans(store: Store, until: datetime, seed: int, password: str) -> int:
    from data.accounts import sign_in, sign_out
    from data.routing.recommender import RoadGraph
    rng = np.random.default_rng(seed + 1700)
    planner = sign_in(store, PLANNER, password, at=until)
    graph = RoadGraph.from_store(store)
    monday = until.astimezone(LOCAL_TZ).date()
    monday -= timedelta(days=monday.weekday())
    made = 0
    try:
        team_id, grid = _team(store, "patrol_volunteer", 0)
        pts = _grid_points(store, graph, grid, 4, rng)
        line, cps = route_through(store, pts, closed=True, shortest=True, transport="foot", graph=graph)
        add_plan(store, name="夜市街夜间巡逻", kind="route", geom=line, by=planner, start_min=20 * 60, end_min=2 * 60,
                 valid_from=monday, team_id=team_id, key=True, checkpoints=cps, note="夜市街 20:00–02:00 重点时段", at=until)
        made += 1
        for k in range(2):
            guard_id, guard_grid = _team(store, "compound_guard", k)
            spot = _grid_points(store, graph, guard_grid, 1, rng)[0]
            # 90%, not a key plan's default 100%: a guard who takes five minutes to arrive has still held it.
            add_plan(store, name=f"重点整治小区{k + 1}", kind="stakeout", geom=shapely.Point(*spot), by=planner,
                     start_min=19 * 60, end_min=23 * 60, valid_from=monday, team_id=guard_id, key=True, target_pct=90,
                     at=until)
            made += 1
        for k in range(1, 1 + DAY_ROUTES):
            team_id, grid = _team(store, "patrol_volunteer", k)
            pts = _grid_points(store, graph, grid, 3, rng)
            if len(pts) < 2:
                continue
            line, cps = route_through(store, pts, closed=True, shortest=True, transport="foot", graph=graph)
            add_plan(store, name=f"{grid} 日间巡逻", kind="route", geom=line, by=planner, start_min=9 * 60, end_min=17 * 60,
                     valid_from=monday, team_id=team_id, days="12345", checkpoints=cps, at=until)
            made += 1
    finally:
        sign_out(planner)
    return made


FIX_EVERY_S = 20  # the history's fixes; the live quarter hour before "now" is every 10 s (generator._recent_fixes)
GPS_NOISE_M = 8.0


NOT_OUT = 4  # the day route (1..DAY_ROUTES) whose team is not out on Friday: the live "not started" alert


def not_out_team(patrol_codes: list[str], until: datetime) -> str | None:
    """The code of the patrol team that is not out at `until` (it sends no fix either), when `until`
    falls in its Friday day route past its 15 minutes' grace; the generator leaves its live fixes out."""
    local = until.astimezone(LOCAL_TZ)
    codes = sorted(patrol_codes)
    if local.weekday() != 4 or not (9 * 60 + 15 <= local.hour * 60 + local.minute < 17 * 60) or len(codes) <= NOT_OUT:
        return None
    return codes[NOT_OUT]


def _misses(day_routes: list[tuple[int, int]], not_out_id: int | None, rng: np.random.Generator) -> dict[tuple[int, int], str]:
    """(plan id, weekday 0=Monday) -> what went wrong that day, for a week's worth of realism.
    day_routes: (plan id, team id) of the ordinary routes."""
    out: dict[tuple[int, int], str] = {}
    others = [pid for pid, tid in day_routes if tid != not_out_id]
    if len(others) >= 3:
        a, b, c = (int(v) for v in rng.choice(others, 3, replace=False))
        out[(a, 1)] = "late"  # Tuesday: out 50 minutes late
        out[(b, 2)] = "half"  # Wednesday: walked back and forth on half the route
        out[(c, 3)] = "phone_off"  # Thursday: no fixes 14:00–16:00
    out.update({(pid, 4): "not_out" for pid, tid in day_routes if tid == not_out_id})  # Friday: not out this morning
    return out


def write_demo_patrol_tracks(store: Store, until: datetime, seed: int) -> int:
    """The plans' teams' fixes from the plans' first day up to the live quarter hour before `until`,
    following their plans with GPS noise, a fix every FIX_EVERY_S; returns the number written."""
    rng = np.random.default_rng(seed + 1800)
    live_from = until - timedelta(minutes=15)  # generator._recent_fixes has these minutes for every team on duty
    chosen = plans(store)
    if not chosen:
        return 0
    excepted = exceptions(store)
    with store.session() as s:
        device_of = dict(s.execute(select(m.TrackerDevice.team_id, m.TrackerDevice.device_id)).all())
        transport_of = dict(s.execute(select(m.Team.id, m.Team.transport)).all())
        patrol_codes = dict(s.execute(select(m.Team.code, m.Team.id).where(m.Team.kind == "patrol_volunteer")).all())
    codes = sorted(patrol_codes)
    not_out_id = patrol_codes[codes[NOT_OUT]] if len(codes) > NOT_OUT else None
    night_market = next((p.id for p in chosen if p.kind == "route" and p.key), None)
    stakeouts = [p.id for p in chosen if p.kind == "stakeout"]
    misses = _misses([(p.id, p.team_id) for p in chosen if p.kind == "route" and not p.key], not_out_id, rng)
    if night_market is not None:
        misses[(night_market, 1)] = "far_end"  # Tuesday night: the market's far end not walked
    if len(stakeouts) > 1:
        misses[(stakeouts[1], 2)] = "left_early"  # Wednesday: the guard left at 21:00
    first = min(p.valid_from for p in chosen)
    start = datetime.combine(first, datetime.min.time(), tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    rows: list[dict] = []
    for plan in chosen:
        if plan.team_id is None or plan.team_id not in device_of:
            continue
        speed = TRANSPORT_SPEED_MPS.get(transport_of.get(plan.team_id, "foot"), 1.3) * 0.6  # patrols dawdle
        for w0, w1 in windows(plan, start, live_from, excepted):
            miss = misses.get((plan.id, w0.astimezone(LOCAL_TZ).weekday()))
            t = _window_times(w0, min(w1, live_from - timedelta(seconds=5)), miss, rng)
            if not len(t):
                continue
            xy = _positions(plan, t, speed, miss, rng)
            rows += _fix_rows(store, device_of[plan.team_id], plan.team_id, t, xy, speed, rng)
    if rows:
        with store.engine.begin() as conn:
            conn.execute(insert(m.Fix), rows)
    return len(rows)


def _window_times(w0: datetime, w1: datetime, miss: str | None, rng: np.random.Generator) -> np.ndarray:
    """Epoch seconds of the fixes a team sends in a duty window: from when it sets out, with its lapses."""
    if miss == "not_out" or w1 <= w0:
        return np.zeros(0)
    out_at = w0 + timedelta(minutes=50 if miss == "late" else float(rng.uniform(1, 8)))
    end = w1 - timedelta(minutes=float(rng.uniform(0, 5)))
    if miss == "left_early":
        end = w0 + (w1 - w0) / 2
    t = np.arange(out_at.timestamp(), end.timestamp(), FIX_EVERY_S)
    if miss == "phone_off":
        day = w0.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
        off0, off1 = (day + timedelta(hours=14)).timestamp(), (day + timedelta(hours=16)).timestamp()
        t = t[(t < off0) | (t >= off1)]
    return t + rng.uniform(-1, 1, len(t))


def _positions(plan, t: np.ndarray, speed: float, miss: str | None, rng: np.random.Generator) -> np.ndarray:
    """Where the team is at each time: round and round its route, or about its stake-out point."""
    n = len(t)
    if plan.kind == "stakeout":
        centre = np.array([plan.geom.x, plan.geom.y])
        drift = np.cumsum(rng.normal(0, 1.5, (n, 2)), axis=0)
        drift = np.clip(drift, -plan.radius_m * 0.4, plan.radius_m * 0.4)  # pacing about the gate
        return centre + drift + rng.normal(0, GPS_NOISE_M, (n, 2))
    line = plan.geom
    length = line.length
    along = (t - t[0]) * speed
    if miss == "half" or miss == "far_end":
        # Back and forth on the first half (the far end never reached).
        half = length * (0.5 if miss == "half" else 0.6)
        along = half - np.abs(np.mod(along, 2 * half) - half)
    else:
        along = np.mod(along, length)
    pos = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
    return pos + rng.normal(0, GPS_NOISE_M, (n, 2))


def _fix_rows(store: Store, device_id: str, team_id: int, t: np.ndarray, xy: np.ndarray, speed: float,
              rng: np.random.Generator) -> list[dict]:
    lon, lat = store.projection.xy_to_lonlat(xy[:, 0], xy[:, 1])
    out = []
    for k in range(len(t)):
        at = datetime.fromtimestamp(float(t[k]), tz=timezone.utc)
        out.append(dict(device_id=device_id, team_id=team_id, t=at, lon=round(float(lon[k]), 7), lat=round(float(lat[k]), 7),
                        speed_mps=round(speed, 2), heading_deg=None, accuracy_m=round(float(rng.uniform(4, 15)), 1),
                        battery_pct=float(rng.integers(20, 100)), received_at=at + timedelta(seconds=1)))
    return out
