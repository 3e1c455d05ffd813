"""Replay derives the state at any instant from the stored fixes and case events; checked against
independent queries of the raw tables."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import insert, select

from data.store import models as m
from data.cases.rules import case_states
from data.replay.index import ReplayError, ReplayIndex
from data.store.core import open_store
from tests.conftest import DEMO_UNTIL

# Every test on the demo runs on a GeoPackage and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends


@pytest.mark.parametrize("minutes_before", [12, 5, 0])
def test_positions_at_an_instant_match_the_raw_fixes(demo_store, minutes_before):
    t = DEMO_UNTIL - timedelta(minutes=minutes_before, seconds=3)
    idx = ReplayIndex(demo_store, DEMO_UNTIL - timedelta(minutes=20), DEMO_UNTIL)
    state = idx.teams_at(t)
    con = demo_store.engine.connect()
    lo = DEMO_UNTIL - timedelta(minutes=40)
    checked = 0
    F = m.Fix
    for k, tid in enumerate(state.team_id):
        row = con.execute(select(F.lon, F.lat).where(F.team_id == int(tid), F.t <= t, F.t >= lo)
                          .order_by(F.t.desc(), F.id.desc()).limit(1)).first()
        if row is None:
            assert np.isnan(state.x[k])
            continue
        x, y = demo_store.projection.lonlat_to_xy(*row)
        assert (state.x[k], state.y[k]) == pytest.approx((float(x), float(y)), abs=1e-6)
        checked += 1
    con.close()
    assert checked > 100


@pytest.mark.parametrize("days_before", [200, 40, 2, 0])
def test_stages_at_an_instant_match_the_case_events(demo_store, days_before):
    t = DEMO_UNTIL - timedelta(days=days_before, hours=3)
    idx = ReplayIndex(demo_store, t - timedelta(hours=6), t)
    got = idx.stages_at(t)
    with demo_store.session() as s:
        want = case_states(s, at=t, since=t - timedelta(days=30))
    open_want = {k: v.stage for k, v in want.items() if v.is_open}
    open_got = {k: v[0] for k, v in got.items() if v[0] not in ("closed", "voided")}
    assert open_got == open_want
    assert len(got) > 0


def test_bad_windows(demo_store):
    with pytest.raises(ReplayError, match="narrow it to 31 days"):
        ReplayIndex(demo_store, DEMO_UNTIL - timedelta(days=40), DEMO_UNTIL)
    with pytest.raises(ReplayError, match="ends before it starts"):
        ReplayIndex(demo_store, DEMO_UNTIL, DEMO_UNTIL - timedelta(hours=1))
    far = datetime(2020, 1, 1, tzinfo=timezone.utc)
    assert ReplayIndex(demo_store, far, far + timedelta(hours=2)).is_empty()


def test_trails_show_gaps_instead_of_joining_them(demo_copy):
    store = open_store(demo_copy)
    t0 = DEMO_UNTIL + timedelta(hours=1)
    with store.engine.begin() as conn:
        rows = []
        for k, minutes in enumerate([0, 0.5, 1.0, 6.0, 6.5]):  # a 5-minute silence between the 3rd and 4th
            t = t0 + timedelta(minutes=minutes)
            rows.append(dict(device_id="x", team_id=1, t=t, lon=108.38 + k * 1e-4, lat=30.81, received_at=t))
        conn.execute(insert(m.Fix), rows)
    idx = ReplayIndex(store, t0, t0 + timedelta(minutes=8))
    segs, ages = idx.trail_segments(t0 + timedelta(minutes=7))
    mine = [s for s in segs if abs(s[1] - float(store.projection.lonlat_to_xy(108.38, 30.81)[1])) < 1]
    assert len(mine) == 3  # 0-0.5, 0.5-1, 6-6.5: nothing across the gap
    store.close()


def test_snapshot_command_writes_geojson(demo_target, tmp_path):
    out = tmp_path / "state.geojson"
    at = (DEMO_UNTIL - timedelta(minutes=2)).isoformat()
    r = subprocess.run([sys.executable, "-m", "console.cli", "snapshot", "--store", str(demo_target), "--at", at, "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    data = json.loads(out.read_text())
    layers = {f["properties"]["layer"] for f in data["features"]}
    assert layers == {"team", "incident"}
    assert all(-180 <= f["geometry"]["coordinates"][0] <= 180 for f in data["features"])
    bad = subprocess.run([sys.executable, "-m", "console.cli", "snapshot", "--store", str(demo_target), "--at", "noon",
                          "--out", str(out)], capture_output=True, text=True)
    assert bad.returncode == 2 and "ISO" in bad.stderr


@pytest.mark.gpkg_only  # the .npy cache beside a store file
def test_the_fix_cache_gives_the_same_answers_and_follows_new_fixes(demo_copy, monkeypatch):
    from data.replay.index import FixCache
    monkeypatch.setattr(FixCache, "MIN_ROWS", 0)  # use the cache even for the small demo
    store = open_store(demo_copy)
    start, end = DEMO_UNTIL - timedelta(minutes=20), DEMO_UNTIL
    monkeypatch.setattr(FixCache, "load_updated", lambda self, index=None: None)
    direct = ReplayIndex(store, start, end)
    monkeypatch.undo()
    monkeypatch.setattr(FixCache, "MIN_ROWS", 0)
    cached = ReplayIndex(store, start, end)
    assert (store.path.with_name(store.path.name + ".replay-cache") / "ts.npy").exists()
    t = DEMO_UNTIL - timedelta(minutes=7)
    a, b = direct.teams_at(t), cached.teams_at(t)
    assert np.allclose(a.x, b.x, equal_nan=True) and np.allclose(a.y, b.y, equal_nan=True)
    # A new fix after the cache was written is read on the next open.
    later = DEMO_UNTIL + timedelta(minutes=1)
    with store.engine.begin() as conn:
        conn.execute(insert(m.Fix).values(device_id="x", team_id=1, t=later, lon=108.39, lat=30.82, received_at=later))
    again = ReplayIndex(store, start, later)
    k = int(np.flatnonzero(again.team_ids == 1)[0])
    x, y = store.projection.lonlat_to_xy(108.39, 30.82)
    assert (again.teams_at(later).x[k], again.teams_at(later).y[k]) == pytest.approx((float(x), float(y)))
    store.close()


@pytest.mark.gpkg_only  # the store file's own WAL
@pytest.mark.parametrize("reader", ["child process", "this process"])
def test_building_the_fix_cache_leaves_the_open_store_whole(demo_copy, monkeypatch, reader):
    """GDAL's own SQLite, opened in the console's process, deleted the store's -wal and -shm under the
    console's open connections when it closed (seen here as "disk I/O error" minutes later). The cache
    is read either in a child process or by this process's own SQLite: the WAL the console writes
    into must be the same file before and after, and the store whole after more writes."""
    import os
    from data.replay.index import FixCache
    monkeypatch.setattr(FixCache, "MIN_ROWS", 0)
    monkeypatch.setattr(FixCache, "IN_PROCESS_ROWS", 0 if reader == "child process" else 10**9)
    store = open_store(demo_copy)
    wal = Path(str(store.path) + "-wal")
    with store.engine.connect() as held:  # a seat's connection stays open through the read, as in the console
        held.exec_driver_sql("SELECT count(*) FROM fixes").one()
        later = DEMO_UNTIL + timedelta(minutes=1)
        with store.engine.begin() as conn:
            conn.execute(insert(m.Fix).values(device_id="x", team_id=1, t=later, lon=108.39, lat=30.82, received_at=later))
        before = os.stat(wal).st_ino
        cols = FixCache(store).load_updated()
        assert cols is not None and int(cols[0][-1]) == held.exec_driver_sql("SELECT max(id) FROM fixes").scalar()
        assert wal.exists() and os.stat(wal).st_ino == before
        for k in range(50):
            t = later + timedelta(seconds=k + 1)
            with store.engine.begin() as conn:
                conn.execute(insert(m.Fix).values(device_id="x", team_id=1, t=t, lon=108.39, lat=30.82, received_at=t))
        assert held.exec_driver_sql("PRAGMA quick_check").scalar() == "ok"
    store.close()
    check = sqlite3.connect(demo_copy)
    assert check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM fixes WHERE device_id = 'x'").fetchone()[0] == 51
    check.close()
