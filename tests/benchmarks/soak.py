"""Soak of the tracker feed under hostile and busy conditions (issue 17): fixes/s and p99 answer time
of 50 trackers reporting as fast as they are answered, through `gridwatch feed` on the embedded store,

  (a) alone (the solo figure every other line is compared with),
  (b) beside 2,000 idle connections, with the feed's open-file limit at the common 1,024,
  (c) beside a client sending 30,000 made-up device ids as fast as it is answered,
  (d) beside two case writers in their own processes, each logging and working cases with no pause
      (report, accept, dispatch, arrive, resolve: five write transactions per case),
  (d0) the same two writers on a copy of the store: what the feed keeps when it shares only the CPU
      (on a 2-core machine four busy processes share two cores whatever the store does; (d) against
      (d0) is the cost of sharing the store itself),

and the 5xx answers the trackers got. Each load and each disturbance runs in its own process, so no
two share a GIL. `python -m tests.benchmarks.soak [SECONDS]` (default 20 s a scenario; the issue's
test length is 60).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent.parent


def start_feed(store: Path, nofile: int | None = None) -> tuple[subprocess.Popen, int]:
    def limit() -> None:
        if nofile:
            resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(store), "--listen", "127.0.0.1:0"],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    line = proc.stdout.readline()
    return proc, int(re.search(r":(\d+),", line).group(1))


def stop_feed(proc: subprocess.Popen) -> str:
    proc.send_signal(2)
    try:
        _out, err = proc.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        _out, err = proc.communicate()
    return err


# --- children ------------------------------------------------------------------------------------------

async def _tracker(port: int, dev: str, t0: int, stop_at: float, out: dict) -> None:
    reader = writer = None
    k = 0
    while time.perf_counter() < stop_at:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            lat = 30.80 + (k % 100) * 1e-6
            started = time.perf_counter()
            writer.write(f"GET /?id={dev}&lat={lat:.7f}&lon=108.38&timestamp={t0 + k} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            if length:
                await reader.readexactly(length)
            status = int(head[9:12])
            out["latency"].append(time.perf_counter() - started)
            out["status"][status] = out["status"].get(status, 0) + 1
            if status == 200 and b"Not-Stored" not in head:
                out["acked"] += 1
            if b"Connection: close" in head:
                writer.close()
                writer = None
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError):
            out["errors"] += 1
            writer = None
            await asyncio.sleep(0.05)
        k += 1
    if writer is not None:
        writer.close()


def child_load(port: int, seconds: float, devs: list[str]) -> None:
    out = {"latency": [], "status": {}, "acked": 0, "errors": 0}
    t0 = int(time.time()) - 86400 + random.randint(0, 3600)  # a day ago, inside the filters, unique per run

    async def main() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(_tracker(port, d, t0, stop_at, out) for d in devs))
    started = time.perf_counter()
    asyncio.run(main())
    lat = np.array(out["latency"]) * 1000
    print(json.dumps({"rate": out["acked"] / (time.perf_counter() - started), "acked": out["acked"],
                      "p99": float(np.percentile(lat, 99)) if len(lat) else float("nan"), "status": out["status"],
                      "errors": out["errors"]}))


def child_idle(port: int, n: int, seconds: float) -> None:
    held = []
    for _ in range(n):
        try:
            held.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            break
    print(json.dumps({"held": len(held)}), flush=True)
    time.sleep(seconds)
    for s in held:
        s.close()


def child_unknown(port: int, n: int, seconds: float) -> None:
    answers: dict[int, int] = {}
    sent = [0]

    async def one(stop_at: float) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while sent[0] < n and time.perf_counter() < stop_at:
            k = sent[0]
            sent[0] += 1
            writer.write(f"GET /?id=MADE-UP-{k}&lat=30.81&lon=108.38 HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (OSError, asyncio.IncompleteReadError):
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            length = int(head.split(b"Content-Length: ")[1].split(b"\r\n")[0])
            if length:
                await reader.readexactly(length)
            status = int(head[9:12])
            answers[status] = answers.get(status, 0) + 1
            if b"Connection: close" in head:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.close()

    async def main() -> None:
        stop_at = time.perf_counter() + seconds
        await asyncio.gather(*(one(stop_at) for _ in range(20)))
    asyncio.run(main())
    print(json.dumps({"sent": sent[0], "answers": answers}))


def child_writer(store_path: str, seconds: float, who: str) -> None:
    from data import accounts
    from data.cases.dispatch import create_incident, transition
    from data.demo.generator import DEMO_PASSWORD
    from data.store.core import open_store
    store = open_store(store_path)
    actor = accounts.sign_in(store, who, DEMO_PASSWORD)
    con = sqlite3.connect(store_path)
    places = con.execute("SELECT lon, lat FROM fixes ORDER BY id DESC LIMIT 500").fetchall()
    teams = [r[0] for r in con.execute("SELECT id FROM teams ORDER BY id")]
    con.close()
    rng = random.Random(who)
    cases = writes = failures = 0
    stop_at = time.perf_counter() + seconds
    while time.perf_counter() < stop_at:
        lon, lat = rng.choice(places)
        try:
            inc = create_incident(store, category="public_order", subcategory="public_order.noise", priority="normal",
                                  source="hotline", lon=lon + rng.uniform(-0.002, 0.002), lat=lat + rng.uniform(-0.002, 0.002),
                                  actor=actor, description="soak")
            writes += 1
            transition(store, inc.id, "accept", actor)
            transition(store, inc.id, "dispatch", actor, team_id=rng.choice(teams), reassign=True)
            transition(store, inc.id, "arrive", actor)
            transition(store, inc.id, "resolve", actor, note="soak")
            writes += 4
            cases += 1
        except Exception as exc:  # counted: a writer that fails is part of the figure
            failures += 1
            print(f"writer {who}: {type(exc).__name__}: {exc}", file=sys.stderr)
    store.close()
    print(json.dumps({"cases": cases, "writes": writes, "failures": failures}))


# --- the scenarios -------------------------------------------------------------------------------------

def devices(store: Path, n: int) -> list[str]:
    con = sqlite3.connect(store)
    out = [r[0] for r in con.execute("SELECT device_id FROM tracker_devices ORDER BY device_id LIMIT ?", (n,))]
    con.close()
    return out


def child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.benchmarks.soak", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def result_of(proc: subprocess.Popen, timeout: float) -> dict:
    out, err = proc.communicate(timeout=timeout)
    lines = [ln for ln in out.splitlines() if ln.startswith("{")]
    if not lines:
        raise RuntimeError(f"a soak child printed no result: {err[-2000:]}")
    return json.loads(lines[-1])


def scenario(store: Path, kind: str, seconds: float) -> dict:
    proc, port = start_feed(store, nofile=1024 if kind == "idle" else None)
    others: list[subprocess.Popen] = []
    try:
        if kind == "idle":
            others.append(child("idle", str(port), "2000", str(seconds + 5)))
            held = json.loads(others[0].stdout.readline())["held"]
        elif kind == "unknown":
            others.append(child("unknown", str(port), "30000", str(seconds)))
        elif kind in ("writers", "writers elsewhere"):
            # "elsewhere": the same two writers on a copy of the store, sharing only the CPU with the feed
            target = store if kind == "writers" else store.with_name("elsewhere.gpkg")
            if kind != "writers":
                shutil.copy(store, target)
            others += [child("writer", str(target), str(seconds + 1), name) for name in ("刘建平", "周晓燕")]
            time.sleep(1.0)  # both signed in and writing
        load = child("load", str(port), str(seconds), *devices(store, 50))
        res = result_of(load, seconds + 60)
        extra = [result_of(p, seconds + 60) for p in others] if kind != "idle" else []
    finally:
        for p in others:
            if p.poll() is None:
                p.kill()
        err = stop_feed(proc)
    res["extra"] = extra
    res["held"] = held if kind == "idle" else None
    res["emfile_lines"] = err.count("Too many open files")
    res["s5xx"] = sum(n for s, n in res["status"].items() if int(s) >= 500)
    return res


def run(store: Path, line, seconds: float = 20.0) -> None:
    print(f"\nFeed soak (50 trackers as fast as answered, {seconds:.0f} s a scenario, embedded store)")
    work = Path(tempfile.mkdtemp()) / "soak.gpkg"
    shutil.copy(store, work)
    try:
        solo = scenario(work, "solo", seconds)
        line("(a) solo", f"{solo['rate']:7.0f} fixes/s  p99 {solo['p99']:6.1f} ms  5xx {solo['s5xx']}")
        control = None
        for kind, label, target in (("idle", "(b) 2,000 idle connections", "≥ 70% of solo, no 5xx"),
                                    ("unknown", "(c) 30,000 unknown ids", "≥ 70% of solo, no 5xx"),
                                    ("writers elsewhere", "(d0) the writers on a copy", "CPU only: the machine's share"),
                                    ("writers", "(d) two busy case writers", "≥ 70% of solo, no 5xx")):
            r = scenario(work, kind, seconds)
            ratio = r["rate"] / solo["rate"] if solo["rate"] else float("nan")
            writers = lambda: ("cases " + " + ".join(str(e["cases"]) for e in r["extra"])  # noqa: E731
                               + f", writer failures {sum(e['failures'] for e in r['extra'])}")
            detail = {"idle": lambda: f"held {r['held']}, 'Too many open files' lines {r['emfile_lines']}",
                      "unknown": lambda: f"sent {r['extra'][0]['sent']}, answers {r['extra'][0]['answers']}",
                      "writers elsewhere": writers,
                      "writers": lambda: writers() + (f"; {r['rate'] / control['rate']:.0%} of (d0)" if control else "")}[kind]()
            if kind == "writers elsewhere":
                control = r
            line(label, f"{r['rate']:7.0f} fixes/s ({ratio:4.0%} of solo)  p99 {r['p99']:6.1f} ms (solo {solo['p99']:.1f})"
                        f"  5xx {r['s5xx']}; {detail}", target)
    finally:
        shutil.rmtree(work.parent, ignore_errors=True)


if __name__ == "__main__":
    mode = sys.argv[1] if len(sys.argv) > 1 else ""
    if mode == "load":
        child_load(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4:])
    elif mode == "idle":
        child_idle(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "unknown":
        child_unknown(int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]))
    elif mode == "writer":
        child_writer(sys.argv[2], float(sys.argv[3]), sys.argv[4])
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from data.demo.generator import generate_demo
        path = Path(tempfile.mkdtemp()) / "soak-demo.gpkg"
        generate_demo(path).close()
        run(path, lambda n, t, target="": print(f"  {n:<30} {t}{('   target ' + target) if target else ''}"),
            float(mode) if mode else 20.0)
