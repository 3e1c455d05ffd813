"""Live sync between seats of an office: PostgreSQL LISTEN/NOTIFY.

The office schema's triggers (data/store/office.create_triggers) notify at commit: one channel per
kind of change (fixes committed, a case event, a grid set or grid changed, device bindings). A
`ChangeListener` holds one connection of its own that listens on them, on a Python thread, and calls
back with the kind (and the case id for case events): the console then reads only what changed, at
once, instead of polling the whole database. It also watches its connection: `on_state(False)`
within a few seconds of losing the server, `on_state(True)` when it is back (it reconnects by itself).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from data.store.office import CHANNELS, libpq_dsn

log = logging.getLogger(__name__)
KIND_OF = {channel: kind for kind, channel in CHANNELS.items()}
HEARTBEAT_S = 1.0  # how often the listening connection proves the server is there


class ChangeListener:
    def __init__(self, target: str, on_change: Callable[[str, str], None],
                 on_state: Callable[[bool], None] | None = None):
        self.dsn = libpq_dsn(target)
        self.on_change, self.on_state = on_change, on_state
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="office-listen", daemon=True)
        self._up: bool | None = None

    def start(self) -> "ChangeListener":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(5)

    def _state(self, up: bool) -> None:
        if up == self._up:
            return
        self._up = up
        (self.connected.set if up else self.connected.clear)()
        if self.on_state is not None:
            try:
                self.on_state(up)
            except Exception:
                log.exception("the connection-state callback failed")

    def _run(self) -> None:
        import psycopg
        backoff = 0.5
        while not self._stop.is_set():
            try:
                # keepalives: a server that vanished without closing the socket is noticed too
                with psycopg.connect(self.dsn, autocommit=True, connect_timeout=3, keepalives=1, keepalives_idle=2,
                                     keepalives_interval=1, keepalives_count=2, application_name="gridwatch-listen") as conn:
                    for channel in CHANNELS.values():
                        conn.execute(f"LISTEN {channel}")
                    backoff = 0.5
                    self._state(True)
                    # Whatever happened while we were away is read again by the callers' full refresh.
                    self._emit("reconnected", "")
                    self._listen(conn)
            except psycopg.Error as exc:
                if not self._stop.is_set():
                    log.info("office server unreachable (%s); retrying in %.1f s", type(exc).__name__, backoff)
            except Exception:
                log.exception("the office change listener failed; starting it again")
            if self._stop.is_set():
                break
            self._state(False)
            self._stop.wait(backoff)
            backoff = min(backoff * 2, 4.0)

    def _listen(self, conn) -> None:
        last_beat = time.monotonic()
        while not self._stop.is_set():
            for note in conn.notifies(timeout=0.25):
                kind = KIND_OF.get(note.channel)
                if kind is not None:
                    self._emit(kind, note.payload)
            if time.monotonic() - last_beat >= HEARTBEAT_S:
                # A query on this connection fails at once if the server went away.
                conn.execute("SELECT 1")
                last_beat = time.monotonic()

    def _emit(self, kind: str, payload: str) -> None:
        try:
            self.on_change(kind, payload)
        except Exception:
            log.exception("handling an office change (%s) failed", kind)
