"""Patrol coverage figures (issue 16): the coverage of one day for every plan of the district, with 868
people each carrying a phone (a fix every 10 s, ~7.5 million fixes: the replay benchmark's day) and one
route plan per person (an 8-hour shift over three grids near their home grid, ~2–3 km of route).

`python -m tests.benchmarks.patrol` (a demo is generated first); part of `./dev.sh bench`.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np


def make_plans(store, day: date) -> int:
    """One route plan per one-person team of the replay day (teams coded P####), written in one go."""
    import json
    import shapely
    from sqlalchemy import insert, select
    from data.snapshot import load_grids
    from data.store import models as m
    grids = load_grids(store)
    centres = np.array([[g.centroid.x, g.centroid.y] for g in grids.geoms])
    codes = list(grids.column("code"))
    with store.session() as s:
        teams = s.execute(select(m.Team.id, m.Team.home_grid_code, m.Team.duty_start_min).where(m.Team.code.like("P%"))).all()
    rows = []
    now = datetime.now(timezone.utc)
    for tid, home, start in teams:
        k = codes.index(home) if home in codes else 0
        near = np.argsort(np.hypot(*(centres - centres[k]).T))[:3]
        line = shapely.LineString(np.vstack([centres[near], centres[near[:1]]]))
        stored = store.projection.to_store(np.array([line], dtype=object))[0]
        ll = np.column_stack(store.projection.xy_to_lonlat(centres[near][:, 0], centres[near][:, 1]))
        rows.append(dict(name=f"route {tid}", kind="route", team_id=tid, team_kind=None, days="1234567",
                         start_min=int(start), end_min=int((start + 8 * 60) % (24 * 60)), key=False, target_pct=80,
                         checkpoints=json.dumps(ll.round(7).tolist()), grid_codes="[]", radius_m=30.0,
                         valid_from=(day - timedelta(days=1)).isoformat(), valid_to=None, note="", created_at=now,
                         created_by=None, geom=stored))
    with store.engine.begin() as conn:
        conn.execute(insert(m.PatrolPlan), rows)
    return len(rows)


def run(store_path: Path, line) -> None:
    from data.domain import LOCAL_TZ
    from data.patrol.report import alerts, coverage
    from data.store.core import open_store
    from tests.benchmarks.replay import make_day
    print("\nPatrol coverage (the replay day: 868 people, a fix every 10 s; one route plan each)")
    work = store_path.parent / "patrol-day.gpkg"
    day_end = datetime.now(timezone.utc).replace(microsecond=0)
    n, start, end = make_day(store_path, work, day_end)
    store = open_store(work)
    try:
        day = (end.astimezone(LOCAL_TZ) - timedelta(hours=12)).date()
        plans = make_plans(store, day)
        lo = datetime.combine(day, datetime.min.time(), tzinfo=LOCAL_TZ)
        hi = lo + timedelta(days=1)
        coverage(store, lo, hi)  # builds the fix cache once, as replay does (the replay figures time that)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            rep = coverage(store, lo, hi)
            times.append(time.perf_counter() - t0)
        pct = np.array([w.pct for w in rep.windows])
        line("coverage of a day, every plan", f"{min(times):6.2f} s  ({plans} plans, {len(rep.windows)} duty windows, "
             f"{n:,} fixes; median coverage {np.median(pct) if len(pct) else 0:.0f}%)", "≤ 5 s")
        # The Patrol dock's check, once a minute on its thread: every plan running at 14:00.
        at = lo + timedelta(hours=14)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            found = alerts(store, at)
            times.append(time.perf_counter() - t0)
        line("alerts at 14:00 (the dock's minute)", f"{min(times):6.2f} s  ({len(found)} alerts)", "well under a minute")
    finally:
        store.close()
        work.unlink(missing_ok=True)
        import shutil
        shutil.rmtree(work.with_name(work.name + ".replay-cache"), ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from data.demo.generator import generate_demo
    path = Path(tempfile.mkdtemp()) / "patrol-demo.gpkg"
    generate_demo(path).close()
    run(path, lambda n, t, target="": print(f"  {n:<34} {t}{('   target ' + target) if target else ''}"))
