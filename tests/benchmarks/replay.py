"""Replay figures on one generated day of fixes for 868 people at 10 s intervals (~7.5 million
fixes) in the embedded store: open the window, seek, play at 60x in the console, peak RSS."""

from __future__ import annotations

import resource
import shutil
import sqlite3
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np


def make_day(src: Path, dst: Path, day_end: datetime, interval_s: int = 10) -> tuple[int, datetime, datetime]:
    shutil.copy(src, dst)
    con = sqlite3.connect(dst)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")  # a benchmark fixture, rebuilt from scratch each run
    # Every one of the 868 people carries a phone: each gets a team of one (copying their team's kind
    # and shift), so each track is one person's, as replay draws it.
    rows = con.execute("SELECT m.id, t.kind, t.transport, t.home_grid_code, t.duty_start_min, t.duty_end_min "
                       "FROM members m JOIN teams t ON t.id = m.team_id ORDER BY m.id").fetchall()
    members = []
    for mid, kind, transport, home, ds, de in rows:
        cur = con.execute("INSERT INTO teams (code, name, kind, transport, home_grid_code, duty_start_min, duty_end_min) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?)", (f"P{mid:04d}", f"person {mid}", kind, transport, home, ds, de))
        members.append((mid, cur.lastrowid))
    (minlon, minlat, maxlon, maxlat) = con.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name='grids'").fetchone()
    con.execute("DROP INDEX IF EXISTS ix_fixes_t")
    con.execute("DROP INDEX IF EXISTS ix_fixes_team_t")
    start = day_end - timedelta(days=1)
    steps = int(86400 / interval_s)
    times = [(start + timedelta(seconds=k * interval_s)).strftime("%Y-%m-%dT%H:%M:%S.000Z") for k in range(steps)]
    rng = np.random.default_rng(1)
    n = 0
    for mid, tid in members:
        cx, cy = rng.uniform(minlon, maxlon), rng.uniform(minlat, maxlat)
        ph = rng.uniform(0, 6.28)
        k = np.arange(steps)
        lon = cx + 0.002 * np.sin(k / 400 + ph)
        lat = cy + 0.0015 * np.cos(k / 330 + ph)
        con.executemany("INSERT INTO fixes (device_id, team_id, t, lon, lat, received_at) VALUES (?, ?, ?, ?, ?, ?)",
                        ((f"m{mid}", tid, times[j], float(lon[j]), float(lat[j]), times[j]) for j in range(steps)))
        n += steps
    con.commit()
    con.execute("CREATE INDEX ix_fixes_t ON fixes (t)")
    con.execute("CREATE INDEX ix_fixes_team_t ON fixes (team_id, t)")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return n, start, day_end


def seek_times(idx, start: datetime, n: int = 200) -> list[float]:
    """ms of n seeks to random instants of the day after `start`: positions, trails and case stages."""
    rng = np.random.default_rng(2)
    seeks = []
    for _ in range(n):
        t = start + timedelta(seconds=float(rng.uniform(0, 86400)))
        a = time.perf_counter()
        idx.teams_at(t, idx.busy_at(t))
        idx.trail_segments(t)
        idx.stages_at(t)
        seeks.append((time.perf_counter() - a) * 1000)
    return seeks


def run(store_path: Path, line) -> None:
    from console.main_window import MainWindow
    from data.replay.index import ReplayIndex
    from data.store.core import open_store
    print("\nReplay (one generated day: 868 people, a fix every 10 s)")
    work = store_path.parent / "replay-day.gpkg"
    t0 = time.perf_counter()
    day_end = datetime.now(timezone.utc).replace(microsecond=0)
    n, start, end = make_day(store_path, work, day_end)
    line("generated fixes", f"{n:,} in {time.perf_counter() - t0:.0f} s")
    store = open_store(work)
    t0 = time.perf_counter()
    idx = ReplayIndex(store, start, end)
    line("open the day, first time (builds the fix cache)", f"{time.perf_counter() - t0:6.2f} s  ({len(idx.f_t):,} fixes)")
    del idx
    t0 = time.perf_counter()
    idx = ReplayIndex(store, start, end)
    line("open the day (cache up to date)", f"{time.perf_counter() - t0:6.2f} s", "≤ 3 s")
    seeks = seek_times(idx, start)
    line("seek to any t (positions, trails, stages)", f"p50 {np.percentile(seeks, 50):5.1f} ms   p95 {np.percentile(seeks, 95):5.1f} ms",
         "p95 ≤ 50 ms")
    win = MainWindow(store, "zh_CN", live=False, ask_sign_in=False)
    win.resize(1600, 1000)
    win.show()
    win.wait_ready()
    panel = win.replay_panel
    panel.index = idx
    win.replay.enter(panel)
    panel._enable(True)
    panel.seek(start + timedelta(hours=10))
    frames = 0
    t_replay = start + timedelta(hours=10)
    a = time.perf_counter()
    while time.perf_counter() - a < 5.0:
        t_replay += timedelta(seconds=60 / 30)
        panel.seek(t_replay)
        win.canvas.repaint()
        frames += 1
    fps = frames / (time.perf_counter() - a)
    line("playback at 60x in the console", f"{fps:5.1f} frames/s (seek + apply + repaint per frame)", "≥ 30 fps")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line("peak RSS (whole benchmark process)", f"{rss:6.0f} MB", "≤ 1.5 GB")
    win.close()
    store.close()
    work.unlink(missing_ok=True)
    shutil.rmtree(work.with_name(work.name + ".replay-cache"), ignore_errors=True)
