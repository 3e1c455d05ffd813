"""The embedded store's writers' queue (data/store/writers.py): first come first served across
processes, and never a wait without end, whatever another process or thread does with it."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest

from data.store import writers


@pytest.fixture()
def gate(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this test's lock files only
    monkeypatch.setattr(writers, "GATE_WAIT_S", 0.5)
    store = tmp_path / "s.gpkg"
    store.write_bytes(b"")
    g = writers.gate_for(store)
    assert g is not None and g.path.parent == tmp_path
    yield g
    writers.let_go(g)


def holder(lock_file: Path, start: int, length: int) -> subprocess.Popen:
    """Another process that locks bytes of the lock file and keeps them (a stuck or stopped writer)."""
    code = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(lock_file)!r}, os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX, {length}, {start})
        print("held", flush=True)
        time.sleep(120)
    """)
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "held"
    return p


def acquire_in_thread(gate) -> tuple[threading.Thread, list]:
    got: list = []
    t = threading.Thread(target=lambda: got.append((gate.acquire(), time.monotonic())), daemon=True)
    t.start()
    return t, got


def test_a_turn_given_back_on_another_thread_lets_the_next_thread_in(gate):
    took, done = threading.Event(), threading.Event()

    def writer():  # takes the turn and lives on (its connection is given back elsewhere)
        assert gate.acquire()
        took.set()
        done.wait(10)
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    assert took.wait(5)
    gate.release()  # the pool gave the connection back on another thread (a collected connection)
    t2, got2 = acquire_in_thread(gate)
    t2.join(5)
    done.set()
    assert got2 and got2[0][0] is True, "the next thread waited for a turn nobody holds"
    gate.release()


def test_a_write_inside_a_write_on_one_thread_is_one_turn(gate):
    assert gate.acquire() and gate.acquire()
    gate.release()
    t, got = acquire_in_thread(gate)
    t.join(0.2)
    assert not got, "another thread got in while the outer write still held the turn"
    gate.release()
    t.join(5)
    assert got and got[0][0] is True
    gate.release()


@pytest.mark.parametrize("what", ["ticket", "own slot"])
def test_a_writer_never_waits_without_end_for_another_process(gate, what):
    # A process stuck while holding the ticket bytes, or a writer SLOTS tickets ago that never let its
    # slot go: this writer goes on without the queue after its wait, it does not wait for ever.
    start, length = (0, 8) if what == "ticket" else (writers._SLOT_BASE, 1)
    p = holder(gate.path, start, length)
    try:
        began = time.monotonic()
        t, got = acquire_in_thread(gate)
        t.join(writers.GATE_WAIT_S * 10)
        assert got, f"the writer still waits after {time.monotonic() - began:.1f} s"
        assert got[0][0] is False  # went without its turn, and said so
        t2, got2 = acquire_in_thread(gate)  # nothing of this process stays held by the failed try
        t2.join(writers.GATE_WAIT_S * 10)
        assert got2
    finally:
        p.kill()
        p.wait()
    assert gate.acquire() is True  # the holder is gone: the queue works again
    gate.release()


CHILD = textwrap.dedent("""
    import sys, tempfile, time
    store, tmp, kind, turns = sys.argv[1:5]
    tempfile.tempdir = tmp
    from data.store import writers
    writers.GATE_WAIT_S = 30
    g = writers.gate_for(store)
    print("ready", flush=True)
    for _ in range(int(turns)):
        assert g.acquire(batch=kind == "batch")
        print(kind, time.monotonic(), flush=True)
        time.sleep(0.2)
        g.release()
""")


def writer_process(tmp_path, kind: str, turns: int = 1) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", CHILD, str(tmp_path / "s.gpkg"), str(tmp_path), kind, str(turns)],
                         stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1])
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.3)  # it has taken its ticket (or said that a batch waits) by now
    return p


def turns_of(procs: list[subprocess.Popen]) -> list[tuple[float, str]]:
    turns = []
    for p in procs:
        out, _ = p.communicate(timeout=60)
        assert p.returncode == 0
        turns += [(float(t), f"{kind}{procs.index(p)}") for kind, t in (line.split() for line in out.splitlines())]
    return sorted(turns)


def test_writers_of_other_processes_go_in_the_order_they_came(gate, tmp_path):
    # This process holds the turn; three other processes queue one after the other: they get the turn
    # in the order they came, each after the one before let go.
    assert gate.acquire()
    procs = [writer_process(tmp_path, "queued") for _ in range(3)]
    gate.release()
    turns = turns_of(procs)
    assert [who for _, who in turns] == ["queued0", "queued1", "queued2"]
    assert all(b - a >= 0.19 for (a, _), (b, _) in zip(turns, turns[1:]))  # one at a time


def test_a_batch_goes_next_and_then_alternates_with_the_queued_writers(gate, tmp_path):
    # Two case writers queue, then the feed's batch comes wanting two turns: it goes before both (it
    # carries many senders), then lets one queued writer in before its second turn.
    assert gate.acquire()
    procs = [writer_process(tmp_path, "queued"), writer_process(tmp_path, "queued"), writer_process(tmp_path, "batch", 2)]
    gate.release()
    turns = turns_of(procs)
    assert [who for _, who in turns] == ["batch2", "queued0", "batch2", "queued1"]
    assert all(b - a >= 0.19 for (a, _), (b, _) in zip(turns, turns[1:]))
