"""The demo office's patrol plans, drawn through the plan service as its planner would: the
night-market street (夜市街) as a key route every night 20:00–02:00 for the patrol team of the grid it
runs through, two key rectification compounds (重点整治小区) held as key stake-outs in the evening by
their compound guards, and an ordinary daytime route for a few more patrol teams. The rota does not
cover the night market past 22:00: the week view shows that key period short, as an office would
find it the first week it kept both.

Its own random stream (seed + 1700): nothing else of the demo changes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import shapely
from sqlalchemy import select

from data.domain import LOCAL_TZ
from data.patrol.plans import add_plan, route_through
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
            add_plan(store, name=f"重点整治小区{k + 1}", kind="stakeout", geom=shapely.Point(*spot), by=planner,
                     start_min=19 * 60, end_min=23 * 60, valid_from=monday, team_id=guard_id, key=True, at=until)
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
