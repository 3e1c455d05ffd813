"""Office-mode figures, beside the embedded store's in the same run (`./dev.sh bench`, or
`python -m tests.benchmarks.office`):

- ingest: `gridwatch feed` processes answering 50 HTTP clients (loopback, OsmAnd query form; the load
  from two other processes), acknowledged and stored fixes per second, embedded vs PostgreSQL (one feed,
  and two feeds on one office database, which only the office allows);
- sync latency seat → seat: another process commits a case or a fix; this process runs the console
  (offscreen) and times when its board / its map has it (p50, p95);
- recommendation p95 on the office store; replay open and seek on a day of 7.5 M fixes in
  PostgreSQL; peak RSS of a console process on the office store.

The server is $GRIDWATCH_TEST_PG, else the local one on 127.0.0.1:5432 (./dev.sh bench starts a
throwaway one when there is none); the benchmark's databases are dropped at the end.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import subprocess
import sys
import tempfile
import textwrap
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent


def admin_url() -> str | None:
    import psycopg
    url = os.environ.get("GRIDWATCH_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/postgres"
    try:
        with psycopg.connect(url, connect_timeout=3):
            return url
    except Exception:
        return None


class Databases:
    def __init__(self, admin: str):
        from sqlalchemy.engine import make_url
        self.admin, self.made, self._url = admin, [], make_url(admin)

    def new(self, template: str | None = None) -> tuple[str, str]:
        import psycopg
        name = f"gwbench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(self.admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        return name, self._url.set(database=name).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        import psycopg
        with psycopg.connect(self.admin, autocommit=True) as c:
            for name in self.made:
                c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                c.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _pct(a) -> str:
    a = np.asarray(a, float)
    return f"p50 {np.percentile(a, 50):7.1f} ms   p95 {np.percentile(a, 95):7.1f} ms  (n={len(a)})"


# --- ingest --------------------------------------------------------------------------------------------
def _count_fixes(target) -> int:
    from sqlalchemy import func, select
    from data.store import models as m
    from data.store.core import open_store
    store = open_store(target)
    try:
        with store.session() as s:
            return int(s.scalar(select(func.count()).select_from(m.Fix)))
    finally:
        store.close()


def _devices(target, n: int) -> list[str]:
    from sqlalchemy import select
    from data.store import models as m
    from data.store.core import open_store
    store = open_store(target)
    try:
        with store.session() as s:
            return list(s.scalars(select(m.TrackerDevice.device_id).order_by(m.TrackerDevice.device_id).limit(n)))
    finally:
        store.close()


def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _load(ports: list[int], devs: list[str], seconds: float) -> int:
    acks = [0]
    stop_at = time.perf_counter() + seconds
    t0 = int(time.time()) - 86400  # a day ago: inside the filters, one fix per device and second
    from tests.benchmarks.ingest import _client  # one tracker: a request in flight at a time, like a phone
    await asyncio.gather(*(_client(ports[k % len(ports)], d, t0 + 1000 * k, stop_at, None, acks, None)
                           for k, d in enumerate(devs)))
    return acks[0]


def start_feeds(target, n: int) -> tuple[list[int], list[subprocess.Popen]]:
    """`n` `gridwatch feed` processes on free ports of 127.0.0.1, each serving once it says so."""
    ports = [_free_port() for _ in range(n)]
    procs = [subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(target), "--listen",
                               f"127.0.0.1:{p}"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
             for p in ports]
    for p in procs:
        p.stdout.readline()  # "listening ..."
    return ports, procs


def ingest(target, *, feeds: int = 1, clients: int = 50, seconds: float = 10.0, loaders: int = 2) -> tuple[float, int, int]:
    """Acknowledged fixes/s of `feeds` feed processes under `clients` unthrottled clients spread over
    `loaders` load processes; returns (rate, acknowledged, stored)."""
    before = _count_fixes(target)
    ports, procs = start_feeds(target, feeds)
    devs = _devices(target, clients)
    try:
        t = time.perf_counter()
        load = [subprocess.Popen([sys.executable, "-m", "tests.benchmarks.office", "load", ",".join(map(str, ports)),
                                  str(seconds), *devs[k::loaders]], cwd=ROOT, stdout=subprocess.PIPE, text=True)
                for k in range(loaders)]
        acked = sum(int(p.communicate(timeout=seconds + 120)[0].strip().splitlines()[-1]) for p in load)
        elapsed = time.perf_counter() - t
    finally:
        for p in procs:
            p.send_signal(2)
            p.wait(20)
    return acked / elapsed, acked, _count_fixes(target) - before


WRK_SCRIPT = """
-- 50 trackers as wrk connections: each request is one fix of one device, (device, time) never repeated.
local devs, k, made = {}, 0, 0
function setup(thread)
  thread:set("offset", made * 20000)
  made = made + 1
end
function init(args)
  for line in io.lines(args[1]) do table.insert(devs, line) end
  t0 = tonumber(args[2]) + (offset or 0)
end
function request()
  k = k + 1
  local dev = devs[(k % #devs) + 1]
  return wrk.format("GET", "/?id=" .. dev .. "&lat=30.81&lon=108.38&timestamp=" .. (t0 + math.floor(k / #devs)))
end
"""


def ingest_wrk(target, *, feeds: int = 1, clients: int = 50, seconds: int = 10) -> tuple[float, int, int] | None:
    """The same load from wrk (a C load generator, Debian's `wrk`), so the feed's own capacity is what
    is measured rather than a Python load generator sharing the two cores; stored fixes per second,
    with wrk's count of answers that were not 2xx (there must be none)."""
    import re
    import shutil
    if shutil.which("wrk") is None:
        return None
    work = Path(tempfile.mkdtemp(prefix="gw-wrk-"))
    (work / "devs.txt").write_text("\n".join(_devices(target, clients)) + "\n")
    (work / "fixes.lua").write_text(WRK_SCRIPT)
    before = _count_fixes(target)
    ports, procs = start_feeds(target, feeds)
    try:
        t0 = int(time.time()) - 86400
        runs = [subprocess.Popen(["wrk", "-t1", f"-c{clients // feeds}", f"-d{seconds}s", "-s", str(work / "fixes.lua"),
                                  f"http://127.0.0.1:{port}/", "--", str(work / "devs.txt"), str(t0 + 40000 * k)],
                                 stdout=subprocess.PIPE, text=True) for k, port in enumerate(ports)]
        outs = [r.communicate(timeout=seconds + 60)[0] for r in runs]
    finally:
        for p in procs:
            p.send_signal(2)
            p.wait(20)
    bad = sum(int(m.group(1)) for o in outs for m in [re.search(r"Non-2xx or 3xx responses: (\d+)", o)] if m)
    stored = _count_fixes(target) - before
    shutil.rmtree(work, ignore_errors=True)
    return stored / seconds, stored, bad


def ingest_service(target, n: int = 200_000, devices: int = 868) -> tuple[float, int, int]:
    """The store side of ingest without HTTP: reports handed to the feed's ingest (filters, group commit,
    COPY on PostgreSQL) from one thread as fast as it takes them; the rate counts only reports whose
    acknowledgement came back, which happens after their batch committed."""
    import threading
    from data.feeds.ingest import FixIngest
    from data.feeds.osmand import Report
    from data.store.core import open_store
    store = open_store(target)
    devs = _devices(target, devices)
    before = _count_fixes(target)
    done = threading.Semaphore(0)
    acked = [0]

    def answer(outcome):
        if outcome.status == 200 and outcome.reason == "stored":
            acked[0] += 1
        done.release()
    ingest = FixIngest(store)
    t0 = datetime.now(timezone.utc) - timedelta(days=1)
    start = time.perf_counter()
    for k in range(n):
        ingest.submit(Report(devs[k % len(devs)], t0 + timedelta(seconds=k // len(devs)), 30.81 + (k % 97) * 1e-6, 108.38), answer)
    for _ in range(n):
        done.acquire()
    elapsed = time.perf_counter() - start
    ingest.close()
    store.close()
    return acked[0] / elapsed, acked[0], _count_fixes(target) - before


# --- sync latency ------------------------------------------------------------------------------------------
WRITER = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timedelta, timezone
    from sqlalchemy import insert, select
    from data.store import models as m
    from data.store.core import open_store
    from data.cases.dispatch import create_incident
    from tests.conftest import who
    store = open_store(sys.argv[1])
    kind, n, gap = sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    me = who(store, "周晓燕")
    with store.session() as s:
        teams = list(s.scalars(select(m.Team.id).order_by(m.Team.id).limit(50)))
    time.sleep(1.0)
    for k in range(n):
        now = datetime.now(timezone.utc)
        if kind == "case":
            create_incident(store, category="public_order", subcategory="public_order.fight", priority="urgent",
                            source="hotline", lon=108.38, lat=30.815, actor=me, at=now)
        else:
            with store.engine.begin() as conn:
                conn.execute(insert(m.Fix).values(device_id="bench", team_id=teams[k % len(teams)], t=now,
                                                  lon=108.38 + k * 1e-5, lat=30.815, received_at=now))
        time.sleep(gap)
    print("done", flush=True)
""")


def sync_latency(target, kind: str, n: int = 60, gap: float = 0.25) -> list[float]:
    """ms from another process's commit (the time it stamped just before it) to this console having it."""
    from PySide6.QtCore import QCoreApplication
    from tests.benchmarks.ingest import open_console
    win, store = open_console(target)
    got: list[float] = []
    seen: set[int] = set()
    if kind == "case":
        def on_cases(rows, _incidents):
            now = time.time()
            for r in rows:
                if r.id not in seen:
                    seen.add(r.id)
                    if r.reported_at.timestamp() > started:
                        got.append((now - r.reported_at.timestamp()) * 1000)
        win.live.casesChanged.connect(on_cases)
    else:
        def on_fixes(batch):
            now = time.time()
            got.extend((now - t.timestamp()) * 1000 for t in batch.t if t.timestamp() > started)
        win.live._poller.fixes.connect(on_fixes)
    started = time.time()
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(target), kind, str(n), str(gap)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    while proc.poll() is None:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    end = time.time() + 4
    while time.time() < end:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    win.close()
    store.close()
    return got


def console_rss(target) -> float | None:
    r = subprocess.run([sys.executable, "-m", "tests.benchmarks.coldstart", str(target)], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])["peak_rss_mb"]


# --- replay on 7.5 M fixes ----------------------------------------------------------------------------------
def make_day_pg(url: str, day_end: datetime, interval_s: int = 10) -> tuple[int, datetime, datetime]:
    """One day of fixes for each of the 868 people (a team of one each, as tests/benchmarks/replay.py makes
    it), generated by the server itself (generate_series) into the month partitions."""
    from sqlalchemy import text
    from data.store import office
    from data.store.core import open_store
    store = open_store(url)
    start = day_end - timedelta(days=1)
    with store.engine.begin() as conn:
        office.ensure_fix_partitions(conn, [start.year * 12 + start.month - 1, day_end.year * 12 + day_end.month - 1])
        conn.execute(text("INSERT INTO teams (code, name, kind, transport, home_grid_code, duty_start_min, duty_end_min) "
                          "SELECT 'P' || lpad(m.id::text, 4, '0'), 'person ' || m.id, t.kind, t.transport, t.home_grid_code, "
                          "t.duty_start_min, t.duty_end_min FROM members m JOIN teams t ON t.id = m.team_id ORDER BY m.id"))
        n = conn.execute(text("""
            INSERT INTO fixes (device_id, team_id, t, lon, lat, received_at)
            SELECT 'm' || p.id, p.id, ts, p.cx + 0.002 * sin(k / 400.0 + p.ph), p.cy + 0.0015 * cos(k / 330.0 + p.ph), ts
            FROM (SELECT id, 108.36 + random() * 0.04 AS cx, 30.80 + random() * 0.03 AS cy, random() * 6.28 AS ph
                  FROM teams WHERE code LIKE 'P%') p,
                 generate_series(0, :steps - 1) AS k,
                 LATERAL (SELECT CAST(:start AS timestamp) + k * make_interval(secs => :dt) AS ts) s
        """), dict(steps=86400 // interval_s, start=start.replace(tzinfo=None), dt=interval_s)).rowcount
    with store.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE fixes")
    store.close()
    return n, start, day_end


def replay_figures(url: str, line) -> None:
    from data.replay.index import ReplayIndex
    from data.store.core import open_store
    t0 = time.perf_counter()
    day_end = datetime.now(timezone.utc).replace(microsecond=0)
    n, start, end = make_day_pg(url, day_end)
    line("generated fixes (server side)", f"{n:,} in {time.perf_counter() - t0:.0f} s")
    store = open_store(url)
    t0 = time.perf_counter()
    idx = ReplayIndex(store, start, end)
    line("replay: open the day, first time (fills the hour cache)", f"{time.perf_counter() - t0:6.2f} s  ({len(idx.f_t):,} fixes)")
    del idx
    opens = []
    for _ in range(3):
        t0 = time.perf_counter()
        idx = ReplayIndex(store, start, end)
        opens.append(time.perf_counter() - t0)
    line("replay: open the day (hour cache checked against the server)", f"{sorted(opens)[1]:6.2f} s (median of 3)", "≤ 3 s")
    from tests.benchmarks.replay import seek_times
    line("replay: seek to any t", _pct(seek_times(idx, start)), "p95 ≤ 50 ms")
    line("peak RSS of this process so far", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB")
    store.close()


def run(store_path: Path, line) -> None:
    print("\nOffice mode (PostgreSQL/PostGIS) beside the embedded GeoPackage")
    admin = admin_url()
    if admin is None:
        line("office mode", "skipped: no PostgreSQL server (set GRIDWATCH_TEST_PG, or run ./dev.sh bench)")
        return
    from data.store.transfer import create_office_from
    from tests.benchmarks import dispatch
    dbs = Databases(admin)
    try:
        tmpl, tmpl_url = dbs.new()
        t0 = time.perf_counter()
        create_office_from(tmpl_url, store_path)[0].close()
        line("office create from the demo", f"{time.perf_counter() - t0:6.1f} s")
        import shutil
        for label, make in (("embedded GeoPackage", lambda: _gpkg_copy(store_path)), ("PostgreSQL", lambda: dbs.new(tmpl)[1])):
            target = make()
            rate, acked, stored = ingest(target)
            line(f"ingest, 1 feed, {label}", f"{rate:8.0f} fixes/s  acknowledged {acked}, stored {stored} "
                 f"({'equal' if acked == stored else 'NOT EQUAL'})", "≥ 20,000 fixes/s (office)")
        for label, make in (("embedded GeoPackage", lambda: _gpkg_copy(store_path)), ("PostgreSQL", lambda: dbs.new(tmpl)[1])):
            rate, acked, stored = ingest_service(make())
            line(f"ingest service without HTTP, {label}", f"{rate:8.0f} fixes/s  acknowledged {acked}, stored {stored} "
                 f"({'equal' if acked == stored else 'NOT EQUAL'})", "≥ 20,000 fixes/s (office)")
        for label, make, feeds in (("embedded GeoPackage", lambda: _gpkg_copy(store_path), 1),
                                   ("PostgreSQL", lambda: dbs.new(tmpl)[1], 1), ("PostgreSQL", lambda: dbs.new(tmpl)[1], 2)):
            res = ingest_wrk(make(), feeds=feeds)
            if res is None:
                line("ingest with wrk", "skipped: wrk is not installed (Debian: apt-get install wrk)")
                break
            line(f"ingest, wrk, 50 clients, {feeds} feed(s), {label}", f"{res[0]:8.0f} fixes/s stored  "
                 f"({res[2]} answers not 2xx)", "≥ 20,000 fixes/s (office)")
        target = dbs.new(tmpl)[1]
        rate, acked, stored = ingest(target, feeds=2)
        line("ingest, 2 feeds, one PostgreSQL", f"{rate:8.0f} fixes/s  acknowledged {acked}, stored {stored} "
             f"({'equal' if acked == stored else 'NOT EQUAL'})")
        for label, make in (("embedded GeoPackage", lambda: _gpkg_copy(store_path)), ("PostgreSQL", lambda: dbs.new(tmpl)[1])):
            target = make()
            line(f"seat → seat, case event, {label}", _pct(sync_latency(target, "case")), "p95 ≤ 1,000 ms")
            target = make()
            line(f"seat → seat, position, {label}", _pct(sync_latency(target, "fix", n=200, gap=0.05)), "p95 ≤ 300 ms")
        target = dbs.new(tmpl)[1]
        dispatch.demo_district(target, lambda n, t, target_="": line(n + " (PostgreSQL)", t, target_))
        for label, target in (("embedded GeoPackage", _gpkg_copy(store_path)), ("PostgreSQL", dbs.new(tmpl)[1])):
            rss = console_rss(target)
            line(f"console peak RSS, {label}", f"{rss:6.0f} MB" if rss else "failed", "≤ 600 MB")
        replay_figures(dbs.new(tmpl)[1], line)
        shutil.rmtree(Path(tempfile.gettempdir()) / "gw-office-bench", ignore_errors=True)
    finally:
        dbs.drop_all()


def _gpkg_copy(src: Path) -> Path:
    from tests.conftest import copy_store
    work = Path(tempfile.gettempdir()) / "gw-office-bench"
    work.mkdir(exist_ok=True)
    return copy_store(src, work / f"{uuid.uuid4().hex[:8]}.gpkg")


if __name__ == "__main__" and sys.argv[1:2] == ["load"]:
    ports = [int(p) for p in sys.argv[2].split(",")]
    print(asyncio.run(_load(ports, sys.argv[4:], float(sys.argv[3]))))
elif __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from data.demo.generator import generate_demo
    path = Path(tempfile.mkdtemp()) / "office-bench.gpkg"
    generate_demo(path, seed=7, until=datetime.now(timezone.utc).replace(second=0, microsecond=0)).close()
    run(path, lambda n, t, target="": print(f"  {n:<44} {t}{('   target ' + target) if target else ''}"))
