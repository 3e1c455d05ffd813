"""One queue of writers per store file on this machine: first come first served, with the tracker
feed's batches between.

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

No writer waits without end: after GATE_WAIT_S (as SQLite's busy timeout) it goes on without its
turn and says so, whether a stuck process holds the ticket bytes, its own slot or the one ahead.

A writer that has just committed and comes back queues behind everyone already waiting. The tracker
feed's group commit is a batch: it carries up to one fix of every phone waiting for its answer, so it
does not queue behind every case writer. It goes as soon as the writer in its turn lets go, unless the
turn before was a batch's too: while both are busy, batches and case writers alternate, and neither
waits more than one turn of the other (bytes 8–11: a batch waits, the turn is held, the last turn was
a batch's, the head of the queue waits). A process's threads queue on a lock of their own first:
byte-range locks belong to the process, so two threads would both "have" one.

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
_BATCH_WAITING = 8  # held by a batch (the feed's group commit) from its wish to write until its turn
_IN_TURN = 9  # held by whichever writer has its turn now, batch or queued
_LAST_WAS_BATCH = 10  # a data byte: 1 when the turn before was a batch's
_HEAD_WAITING = 11  # held by the queued writer at the head of the queue while it waits for the turn


class WriterGate:
    """The queue of one store file: shared by every Store of this process on that file (one descriptor
    per process: closing another descriptor of a locked file would drop this process's locks on it)."""

    def __init__(self, path: Path, fd: int):
        self.path = path
        self._fd = fd
        # A plain lock with its owner noted rather than an RLock: the pool may give a connection back
        # (and so end its turn) on another thread than the one that took the turn, when a forgotten
        # connection is collected; an RLock would then stay held for ever by a thread that is done.
        self._local = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._slot: int | None = None
        self._in_turn = False
        self.users = 0

    def _lock(self, start: int, length: int, blocking: bool) -> bool:
        try:
            fcntl.lockf(self._fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB), length, start)
            return True
        except (BlockingIOError, PermissionError):
            return False

    def _unlock(self, start: int, length: int) -> None:
        fcntl.lockf(self._fd, fcntl.LOCK_UN, length, start)

    def _wait_for(self, start: int, length: int, deadline: float) -> bool:
        """Lock bytes that another process may hold, waiting at most until the deadline: no writer
        ever waits without end, whatever another process does with the lock file."""
        self._wait_while(lambda: not self._lock(start, length, blocking=False), deadline)
        return self._lock(start, length, blocking=False)  # held already when the wait ended on it (a process's locks do not conflict)

    def acquire(self, batch: bool = False) -> bool:
        """Wait for this writer's turn; False when it could not be had in time (then go on without).

        batch: a group commit carrying many waiting senders (the tracker feed's batch). It does not
        queue behind the case writers: it goes after the writer in its turn now, unless the turn before
        was a batch's too; so batches and case writers alternate while both are busy."""
        me = threading.get_ident()
        if self._owner == me:  # this thread is in its turn already (a write inside a write)
            self._depth += 1
            return True
        if not self._local.acquire(timeout=GATE_WAIT_S):
            log.warning("waited %.0f s for another writer of this process; writing without the queue", GATE_WAIT_S)
            return False
        deadline = time.monotonic() + GATE_WAIT_S
        try:
            got = self._batch_turn(deadline) if batch else self._queued_turn(deadline)
        except OSError as exc:
            log.warning("the writers' queue failed (%s); writing without it", exc)
            got = False
        if not got:
            self._let_go_bytes()
            self._local.release()
            return False
        self._owner = me
        self._depth = 1
        return True

    def _queued_turn(self, deadline: float) -> bool:
        # Take a ticket, and hold its slot before anyone can take the next one.
        if not self._wait_for(0, 8, deadline):
            log.warning("waited %.0f s for a ticket of the writers' queue; writing without it", GATE_WAIT_S)
            return False
        try:
            raw = os.pread(self._fd, 8, 0)
            ticket = struct.unpack("<Q", raw)[0] if len(raw) == 8 else 0
            mine = _SLOT_BASE + ticket % SLOTS
            # Free unless a writer SLOTS tickets ago still holds it: then this writer goes without.
            if not self._lock(mine, 1, blocking=False):
                log.warning("slot %d of the writers' queue is still held; writing without the queue", mine)
                return False
            self._slot = mine
            os.pwrite(self._fd, struct.pack("<Q", ticket + 1), 0)
        finally:
            self._unlock(0, 8)
        before = _SLOT_BASE + (ticket - 1) % SLOTS
        # The one ahead holds its slot until its transaction is over: when we can lock it, it is our turn.
        if self._wait_for(before, 1, deadline):
            self._unlock(before, 1)
        else:
            log.warning("waited %.0f s for the writer ahead in the queue; writing out of turn", GATE_WAIT_S)
        # The head of the queue now: a batch waiting goes first, unless the turn before was a batch's.
        head = self._lock(_HEAD_WAITING, 1, blocking=False)
        try:
            self._wait_while(lambda: self._held(_BATCH_WAITING) and not self._last_was_batch(), deadline)
            if not self._wait_for(_IN_TURN, 1, deadline):
                log.warning("waited %.0f s for the batch in its turn; writing out of turn", GATE_WAIT_S)
            else:
                self._in_turn = True
            os.pwrite(self._fd, b"\x00", _LAST_WAS_BATCH)
        finally:
            if head:
                self._unlock(_HEAD_WAITING, 1)
        return True

    def _batch_turn(self, deadline: float) -> bool:
        # Say a batch waits (one batch at a time: a second feed waits for this byte), then take the turn
        # as soon as the writer in it now lets go.
        if not self._wait_for(_BATCH_WAITING, 1, deadline):
            log.warning("waited %.0f s behind another batch; writing without the queue", GATE_WAIT_S)
            return False
        try:
            # Two batches in a row only when no queued writer waits for the turn between them.
            self._wait_while(lambda: self._last_was_batch() and self._held(_HEAD_WAITING), deadline)
            if not self._wait_for(_IN_TURN, 1, deadline):
                log.warning("waited %.0f s for the writer in its turn; writing out of turn", GATE_WAIT_S)
            else:
                self._in_turn = True
            os.pwrite(self._fd, b"\x01", _LAST_WAS_BATCH)
        finally:
            self._unlock(_BATCH_WAITING, 1)
        return True

    def _held(self, byte: int) -> bool:
        """Whether another process holds this byte now (a short try, let go at once)."""
        if self._lock(byte, 1, blocking=False):
            self._unlock(byte, 1)
            return False
        return True

    def _last_was_batch(self) -> bool:
        return os.pread(self._fd, 1, _LAST_WAS_BATCH) == b"\x01"

    @staticmethod
    def _wait_while(condition, deadline: float) -> None:
        """Poll until the condition is false or the deadline passes (0.1 ms, growing to 0.5 ms)."""
        pause = 0.0001
        while condition() and time.monotonic() < deadline:
            time.sleep(pause)
            pause = min(pause * 1.5, 0.0005)

    def _let_go_bytes(self) -> None:
        if self._in_turn:
            self._unlock(_IN_TURN, 1)
            self._in_turn = False
        if self._slot is not None:
            self._unlock(self._slot, 1)  # the writer behind us goes next
            self._slot = None

    def release(self) -> None:
        try:
            self._depth -= 1
            if self._depth > 0:
                return
            self._let_go_bytes()
            self._owner = None
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
