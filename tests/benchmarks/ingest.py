"""Position ingest figures: sustained HTTP ingest from 50 concurrent clients into the embedded store,
and ingest-to-screen latency and frame time with the console open at 1,000 fixes/s.

The listener runs as `gridwatch feed` in its own process (as in production); the load comes from
this process over loopback with asyncio (one request in flight per connection, like a phone).
"""

from __future__ import annotations

import asyncio
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_feed(store: Path, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(store), "--listen", f"127.0.0.1:{port}"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    proc.stdout.readline()  # "listening ..."
    return proc


def devices(store: Path, n: int) -> list[str]:
    con = sqlite3.connect(store)
    out = [r[0] for r in con.execute("SELECT device_id FROM tracker_devices ORDER BY device_id LIMIT ?", (n,))]
    con.close()
    return out


async def _client(port: int, dev: str, t0: int, stop_at: float, rate: float | None, acks: list, sent_times: dict | None):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    k = 0
    next_at = time.perf_counter()
    while time.perf_counter() < stop_at:
        if rate:
            next_at += 1.0 / rate
            delay = next_at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
        ts_ms = int(time.time() * 1000) if sent_times is not None else (t0 + k) * 1000
        lat = 30.80 + (k % 100) * 1e-6
        req = (f"GET /?id={dev}&lat={lat:.7f}&lon=108.38&timestamp={ts_ms} HTTP/1.1\r\nHost: x\r\n\r\n").encode()
        writer.write(req)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
        if length:
            await reader.readexactly(length)
        if head.startswith(b"HTTP/1.1 200") and b"Not-Stored" not in head:
            acks[0] += 1
        k += 1
    writer.close()


async def _load(port: int, devs: list[str], seconds: float, rate_per_client: float | None, sent_times=None) -> int:
    acks = [0]
    stop_at = time.perf_counter() + seconds
    t0 = int(time.time()) - 86400  # a day ago: well inside the filters, unique per device and step
    await asyncio.gather(*(_client(port, d, t0, stop_at, rate_per_client, acks, sent_times) for d in devs))
    return acks[0]


def sustained_ingest(store: Path, clients: int = 50, seconds: float = 8.0) -> tuple[float, int, int]:
    port = free_port()
    con = sqlite3.connect(store)
    before = con.execute("SELECT count(*) FROM fixes").fetchone()[0]
    con.close()
    proc = start_feed(store, port)
    try:
        t = time.perf_counter()
        acked = asyncio.run(_load(port, devices(store, clients), seconds, None))
        elapsed = time.perf_counter() - t
    finally:
        proc.send_signal(2)
        proc.wait(10)
    con = sqlite3.connect(store)
    stored = con.execute("SELECT count(*) FROM fixes").fetchone()[0] - before
    con.close()
    return acked / elapsed, acked, stored


def open_console(target):
    """The live console (offscreen, Chinese, 1600x1000) on a store, loaded and drawn: (window, store)."""
    from console.app import make_app
    from console.main_window import MainWindow
    from data.store.core import open_store
    make_app()
    st = open_store(target)
    win = MainWindow(st, "zh_CN", ask_sign_in=False)
    win.resize(1600, 1000)
    win.show()
    win.wait_ready()
    return win, st


def console_latency(store: Path, seconds: float = 10.0, rate: float = 1000.0) -> dict:
    """Open the console on the store, feed it `rate` fixes/s through a feed process, and measure
    the time from a fix's timestamp (set when it is sent) to its marker moving, and frame times."""
    from PySide6.QtCore import QCoreApplication
    win, st = open_console(store)
    latencies: list[float] = []
    frames: list[float] = []
    original = win.live.apply_fixes

    def timed_apply(batch):
        now = time.time()
        latencies.extend(now - t.timestamp() for t in batch.t)
        original(batch)

    win.live._poller.fixes.disconnect()
    win.live._poller.fixes.connect(timed_apply)
    original_paint = win.canvas.paintEvent

    def timed_paint(ev):
        t = time.perf_counter()
        original_paint(ev)
        frames.append((time.perf_counter() - t) * 1000)

    win.canvas.paintEvent = timed_paint
    port = free_port()
    proc = start_feed(store, port)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    devs = devices(store, 200)
    # The load comes from another process, so that its Python work does not share our GIL.
    loader = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.ingest", "load", str(port), str(seconds),
                               str(rate / len(devs)), *devs], cwd=ROOT)
    end = time.time() + seconds + 1.5
    while time.time() < end:
        QCoreApplication.processEvents()
        time.sleep(0.002)
    loader.wait(30)
    proc.send_signal(2)
    proc.wait(10)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    win.close()
    st.close()
    lat = np.array(latencies) * 1000
    return {"fixes": len(lat), "p50": float(np.percentile(lat, 50)) if len(lat) else float("nan"),
            "p95": float(np.percentile(lat, 95)) if len(lat) else float("nan"),
            "frame_median": float(np.median(frames)) if frames else float("nan"), "frames": len(frames),
            "rss_before": rss0, "rss_after": rss1}


def run(store: Path, line) -> None:
    print("\nPosition ingest (HTTP on loopback, OsmAnd query form, embedded store)")
    rate, acked, stored = sustained_ingest(store)
    line("sustained ingest, 50 clients", f"{rate:7.0f} fixes/s  acknowledged {acked}, stored {stored}"
         f" ({'equal' if acked == stored else 'NOT EQUAL'})", "≥ 5,000 fixes/s")
    soak = float(os.environ.get("BENCH_SOAK", "10"))
    res = console_latency(store, seconds=soak)
    line("ingest → screen latency at 1,000/s", f"p50 {res['p50']:6.0f} ms   p95 {res['p95']:6.0f} ms  (n={res['fixes']})", "p95 ≤ 200 ms")
    line("map frame time, teams moving", f"median {res['frame_median']:5.1f} ms  (n={res['frames']})", "≤ 16 ms")
    line("peak RSS before / after", f"{res['rss_before']:.0f} / {res['rss_after']:.0f} MB over {soak:.0f} s at 1,000 fixes/s"
         " (BENCH_SOAK=600 for the 10-minute run)")


if __name__ == "__main__" and sys.argv[1:2] == ["load"]:
    # Child process: send reports stamped with their send time (for latency) at a fixed rate.
    port, seconds, per_client = int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
    asyncio.run(_load(port, sys.argv[5:], seconds, per_client, {}))
elif __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from data.demo.generator import generate_demo
    import tempfile
    path = Path(tempfile.mkdtemp()) / "ingest.gpkg"
    generate_demo(path).close()
    run(path, lambda n, t, target="": print(f"  {n:<34} {t}{('   target ' + target) if target else ''}"))
