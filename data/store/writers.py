"""One queue of writers per store file on this machine, first come first served.

SQLite lets one writer in at a time and makes the others wait in its busy handler, which sleeps 1, 2,
5, 10 … up to 100 ms between tries. A writer that commits and comes straight back finds the lock free
again before a sleeping one wakes: two case writers working without pause kept the tracker feed out
(measured: the feed fell from 4,600 to 150 fixes a second). Here every writer of the embedded store
queues first, in order of arrival, across threads and processes, and takes SQLite's lock on its turn.

The queue is a CLH queue lock made of the kernel's byte-range locks on one small file in the
temporary folder, named after the store's device and inode (every process that opens the store finds
the same file; nothing is left beside the store):

- bytes 0–7 hold the next ticket; a writer takes ticket n under a lock on those bytes and, before
  letting go of them, locks its own slot byte (n mod SLOTS);
- its turn comes when the slot of ticket n − 1 is free: that writer has finished, or died (the kernel
  drops a dead process's locks, so a crash never stalls the queue);
- it frees its own slot when its connection goes back to the pool, after the commit.

A writer that has just committed and comes back queues behind everyone already waiting, so the
tracker feed's group commit gets its turn every few case writes. A process's threads queue on a lock
of their own first: byte-range locks belong to the process, so two threads would both "have" one.

Written here rather than taken from a library: the queue is the piece of the store's concurrency that
is ours (PostgreSQL queues its lock waiters itself and needs none of this).
"""

from __future__ import annotations

import fcntl
import logging
import os
import struct
import tempfile
import threading
import time
from pathlib import Path

log = logging.getLogger(__name__)

GATE_WAIT_S = 5.0  # as SQLite's busy timeout: after this a writer goes on without its turn (and says so)
SLOTS = 4096  # more writers than this waiting at once would share slots (never seen: a feed and a few seats)
_SLOT_BASE = 64


class WriterGate:
    """The queue of one store file: shared by every Store of this process on that file (one descriptor
    per process: closing another descriptor of a locked file would drop this process's locks on it)."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd = fd
        self._local = threading.RLock()
        self._depth = 0
        self._slot: int | None = None
        self.users = 0

    def _lock(self, start: int, length: int, blocking: bool) -> bool:
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB), length, start)
            return True
        except (BlockingIOError, PermissionError):
            return False

    def _unlock(self, start: int, length: int) -> None:
        fcntl.lockf(self._fd, fcntl.LOCK_UN, length, start)

    def acquire(self) -> bool:
        """Wait for this writer's turn; False when it could not be had in time (then go on without)."""
        if not self._local.acquire(timeout=GATE_WAIT_S):
            log.warning("waited %.0f s for another writer of this process; writing without the queue", GATE_WAIT_S)
            return False
        if self._depth:  # this thread is in its turn already (a write inside a write)
            self._depth += 1
            return True
        try:
            # Take a ticket, and hold its slot before anyone can take the next one.
            self._lock(0, 8, blocking=True)
            try:
                raw = os.pread(self._fd, 8, 0)
                ticket = struct.unpack("<Q", raw)[0] if len(raw) == 8 else 0
                os.pwrite(self._fd, struct.pack("<Q", ticket + 1), 0)
                mine = _SLOT_BASE + ticket % SLOTS
                self._lock(mine, 1, blocking=True)  # free: its last holder was SLOTS tickets ago
            finally:
                self._unlock(0, 8)
            self._slot = mine
            before = _SLOT_BASE + (ticket - 1) % SLOTS
            deadline = time.monotonic() + GATE_WAIT_S
            pause = 0.0001
            # The one ahead holds its slot until its transaction is over: when we can lock it, it is our turn.
            while not self._lock(before, 1, blocking=False):
                if time.monotonic() >= deadline:
                    log.warning("waited %.0f s for the writer ahead in the queue; writing out of turn", GATE_WAIT_S)
                    break
                time.sleep(pause)
                pause = min(pause * 1.5, 0.0005)
            else:
                self._unlock(before, 1)
            self._depth = 1
            return True
        except OSError as exc:
            log.warning("the writers' queue failed (%s); writing without it", exc)
            if self._slot is not None:
                self._unlock(self._slot, 1)
                self._slot = None
            self._local.release()
            return False

    def release(self) -> None:
        try:
            self._depth -= 1
            if self._depth == 0 and self._slot is not None:
                self._unlock(self._slot, 1)  # the writer behind us goes next
                self._slot = None
            self._local.release()
        except (RuntimeError, OSError):
            log.exception("releasing the writers' queue failed")


_gates: dict[Path, WriterGate] = {}
_gates_lock = threading.Lock()


def gate_for(store_path: Path) -> WriterGate | None:
    """This process's queue for a store file (None when the lock file cannot be made: then writers
    wait in SQLite's busy handler as before, and a warning says so)."""
    try:
        st = os.stat(store_path)
    except OSError:
        return None
    path = Path(tempfile.gettempdir()) / f"gridwatch-writers-{st.st_dev}-{st.st_ino}.lock"
    with _gates_lock:
        gate = _gates.get(path)
        if gate is None:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
            except OSError as exc:
                log.warning("no writers' queue for %s (%s): writers wait in SQLite's busy handler", store_path, exc)
                return None
            try:
                os.fchmod(fd, 0o666)  # another user's console on the same store queues too
            except PermissionError:
                pass  # made by another user, who has opened it to everyone already
            gate = _gates[path] = WriterGate(path, fd)
        gate.users += 1
        return gate


def let_go(gate: WriterGate) -> None:
    """A Store of this process closed; the descriptor is closed with the last one."""
    with _gates_lock:
        gate.users -= 1
        if gate.users <= 0 and _gates.get(gate.path) is gate:
            del _gates[gate.path]
            os.close(gate._fd)
