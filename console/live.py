"""Live positions in the console.

A poller on its own thread reads new fixes from the store (whoever wrote them: this console's
listener, a headless `gridwatch feed`, another seat) plus the teams busy on cases, the open cases
and the feed's counters; the GUI thread applies each batch: markers move (coalesced to one repaint
per frame), trails grow, and a 1 Hz tick turns silent teams stale, then offline.

On a GeoPackage it polls (fixes every 100 ms, the rest every few seconds). In an office the
database says what changed (LISTEN/NOTIFY, data/store/changes.py) and the poller reads at once, only
that; the slow polls stay as a safety net. The same listener tells the window when the server is
lost and back.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from data.feeds.filters import FilterSettings
from data.feeds.ingest import FixIngest
from data.feeds.listener import ListenerSettings, OsmAndListener
from data.feeds.simulator import Simulator
from data.cases.dispatch import open_cases
from data.feeds.devices import feed_state
from data.snapshot import busy_teams, load_incidents
from data.store.core import Store
from data.feeds.tracks import FixBatch, FixFollower

POLL_MS = 100
log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class _Poller(QObject):
    """Polls the store on a Python thread; results reach the GUI thread through queued signals.

    Not a QThread worker: PySide gives each slot call on a QThread a fresh Python thread state, so
    thread-local state such as pyproj's per-thread PROJ context does not survive between polls (it
    crashed inside PROJ on the second conversion). A plain Python thread keeps its state.
    """

    fixes = Signal(object)  # FixBatch
    busy = Signal(object)  # {team id: "dispatched" | "on_scene"}
    feed = Signal(object, object)  # counters {reason: count}, unknown devices [(id, last seen, reports)]
    cases = Signal(object, object)  # open CaseRows, incident FeatureTable (other consoles' changes too)
    connection = Signal(bool)  # office mode: the server was lost (False) or is back (True)
    grids = Signal()  # office mode: another seat published or edited grids

    def __init__(self, store: Store, after_id: int, clock: Callable[[], datetime], parent: QObject | None = None):
        super().__init__(parent)
        self.store, self.clock = store, clock
        self.follower = FixFollower(store, after_id)
        self._stop = threading.Event()
        self._wake_fixes, self._wake_cases = threading.Event(), threading.Event()
        self.changes = None
        if store.is_office:
            from data.store.changes import ChangeListener
            self.changes = ChangeListener(store.url, self._on_change, self.connection.emit)
        self._last_logged: dict[str, float] = {}  # per poller: another console's failures do not silence ours
        # Two threads: new fixes every 100 ms must not wait behind the slower case and feed reads.
        self._threads = [threading.Thread(target=self._run_fixes, name="live-fixes", daemon=True),
                         threading.Thread(target=self._run_state, name="live-state", daemon=True)]

    @property
    def after_id(self) -> int:
        return self.follower.after_id

    def start(self) -> None:
        for t in self._threads:
            t.start()
        if self.changes is not None:
            self.changes.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake_fixes.set()
        self._wake_cases.set()
        if self.changes is not None:
            self.changes.stop()
        for t in self._threads:
            if t.is_alive():
                t.join(3)

    def _on_change(self, kind: str, payload: str) -> None:
        """Called on the listener's thread for each notification (several arrive per second at most
        per kind: reads coalesce, since an Event set twice wakes once)."""
        if kind == "fixes":
            self._wake_fixes.set()
        elif kind in ("cases", "devices"):
            self._wake_cases.set()
        elif kind == "grids":
            self.grids.emit()
        elif kind == "reconnected":  # whatever happened while the server was away
            self._wake_fixes.set()
            self._wake_cases.set()

    def _run_fixes(self) -> None:
        # Office: woken by NOTIFY; the 2 s poll is only a safety net. GeoPackage: every 100 ms.
        period = 2.0 if self.changes is not None else POLL_MS / 1000
        while not self._stop.is_set():
            t0 = time.monotonic()
            self.poll_fixes()
            if self.changes is not None:
                self._wake_fixes.wait(period)
                self._wake_fixes.clear()
            else:
                self._stop.wait(max(0.0, period - (time.monotonic() - t0)))

    def _run_state(self) -> None:
        ticks = 0
        self.poll_state(ticks)
        while not self._stop.is_set():
            if self._wake_cases.wait(1.0):
                self._wake_cases.clear()
                if not self._stop.is_set():
                    self.poll_cases()
                continue
            ticks += 1
            self.poll_state(ticks)

    def poll_cases(self) -> None:
        """Another seat (or a feed) changed a case: the board, the busy teams and the counters, now."""
        try:
            now = self.clock()
            self.cases.emit(open_cases(self.store, now), load_incidents(self.store, now))
            self.busy.emit(busy_teams(self.store, now))
            self.feed.emit(*feed_state(self.store))
        except Exception:
            _log_limited(self._last_logged, "state", "reading cases and feed state failed; trying again")

    def poll_fixes(self) -> None:
        try:
            batch = self.follower.new()
            if len(batch):
                self.fixes.emit(batch)
        except Exception:  # a locked or vanished store: said in the log (once a minute), tried again next tick
            _log_limited(self._last_logged, "fixes", "reading new fixes failed; trying again")

    def poll_state(self, ticks: int = 0) -> None:
        try:
            if ticks % 5 == 0:
                self.busy.emit(busy_teams(self.store, self.clock()))
            if ticks % 2 == 0:
                self.feed.emit(*feed_state(self.store))
            if ticks % 3 == 1:
                now = self.clock()
                self.cases.emit(open_cases(self.store, now), load_incidents(self.store, now))
        except Exception:  # a locked or vanished store: said in the log (once a minute), tried again next second
            _log_limited(self._last_logged, "state", "reading cases and feed state failed; trying again")


def _log_limited(last_logged: dict[str, float], key: str, text: str, every_s: float = 60.0) -> None:
    """Log a repeating failure with its traceback, at most once a minute per kind (not 10 times a second)."""
    now = time.monotonic()
    if now - last_logged.get(key, -every_s) >= every_s:
        last_logged[key] = now
        log.exception(text)


class LiveController(QObject):
    """Connects the store's new fixes to the map, and runs the in-process listener and simulator."""

    teamsChanged = Signal()
    feedChanged = Signal(object, object)
    followMoved = Signal(float, float)
    casesChanged = Signal(object, object)
    tick_signal = Signal(object)  # now, once a second

    def __init__(self, window, store: Store, after_id: int, clock: Callable[[], datetime] = utc_now):
        super().__init__(window)
        self.window, self.store, self.clock = window, store, clock
        self.canvas = window.canvas
        self.busy: dict[int, str] = {}
        self.follow_team: int | None = None
        self.paused = False  # replaying: fixes are still stored, but the map shows the replay
        self.listener: OsmAndListener | None = None
        self.ingest: FixIngest | None = None
        self.simulator: Simulator | None = None
        self._poller = _Poller(store, after_id, clock, self)  # owned by Qt: deleted on the GUI thread
        self._poller.fixes.connect(self.apply_fixes)
        self._poller.busy.connect(self._on_busy)
        self._poller.feed.connect(self.feedChanged)
        self._poller.cases.connect(self.casesChanged)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self.tick)

    @classmethod
    def attach(cls, window, after_id: int) -> "LiveController":
        """Wire live positions, cases and feed counters into a loaded main window, and start them
        (with the in-process listener and, in demo mode, the simulator) unless the window is static."""
        from PySide6.QtCore import QSettings
        live = cls(window, window.store, after_id, window.clock)
        window.live = live  # before the Feed actions below: their controller acts through window.live
        # The team list follows at most once a second, however fast fixes arrive.
        timer = QTimer(window, singleShot=True, interval=1000)
        timer.timeout.connect(lambda: window.team_panel.model.refresh(window.clock()))
        live.teamsChanged.connect(lambda: timer.isActive() or timer.start())
        live.feedChanged.connect(window.feed_panel.show_state)
        live.followMoved.connect(lambda x, y: window.canvas.set_view(x, y, window.canvas.view().resolution))
        live.casesChanged.connect(window.dispatch.on_cases)
        live._poller.connection.connect(window.on_server_state)
        live._poller.grids.connect(live.grids_changed)
        live.tick_signal.connect(lambda now: None if window.replay.active else window.case_board.tick(now))
        window.team_panel.teamChosen.connect(live.centre_on_team)
        window.team_panel.followChanged.connect(live.set_follow)
        window.dispatch.refresh_cases()
        if window.live_enabled:
            live.start()
            if window.demo or QSettings().value("feed/listen_in_console", False, type=bool):
                window.act_listen.setChecked(True)
            if window.demo:
                window.act_simulate.setChecked(True)
        return live

    def grids_changed(self) -> None:
        """Another seat published or changed grids: the set in force is drawn again (not while this
        seat plans, where the draft is on the map)."""
        planner = self.window.planner_panel.planner
        if self.paused or (planner is not None and planner.active):
            return
        try:
            self.window.map_panels.reload_grids()
        except Exception:
            log.warning("reloading the grids after another seat's change failed", exc_info=True)

    def centre_on_team(self, row: int) -> None:
        teams = self.canvas.layer("teams")
        if teams is None:
            return
        x, y = teams.xy[row]
        self.canvas.set_view(x, y, min(self.canvas.view().resolution, 1.2))
        self.canvas.select(teams, row)

    def set_follow(self, team_id) -> None:
        self.follow_team = team_id

    def start(self) -> None:
        self._poller.start()
        self._tick.start()
        self.tick()

    def stop(self) -> None:
        self._tick.stop()
        self._poller.stop()
        self.stop_simulator()
        self.stop_listener()

    # --- applying fixes ---------------------------------------------------------------------------
    @Slot(object)
    def apply_fixes(self, batch: FixBatch) -> None:
        if self.paused:
            return
        teams = self.canvas.layer("teams")
        trails = self.canvas.layer("trails")
        if teams is None:
            return
        extras = {"speed_mps": batch.speed_mps, "heading_deg": batch.heading_deg,
                  "accuracy_m": batch.accuracy_m, "battery_pct": batch.battery_pct}
        ids, xs, ys = teams.apply_fixes(batch.team_id, batch.t, batch.x, batch.y, extras)
        if trails is not None:
            trails.add_fixes(batch.team_id, batch.t, batch.x, batch.y)
        if ids:
            self.canvas.move_teams(ids, xs, ys)
            self.tick(repaint=False)
            if self.follow_team in ids:
                k = ids.index(self.follow_team)
                self.followMoved.emit(xs[k], ys[k])
            self.teamsChanged.emit()

    @Slot(object)
    def _on_busy(self, busy: dict) -> None:
        self.busy = busy
        if self.paused:
            return
        self.tick()

    @Slot()
    def tick(self, repaint: bool = True) -> None:
        """Statuses by the clock: a team silent for 2 minutes turns stale, after 10 offline."""
        if self.paused:
            return
        now = self.clock()
        teams, trails = self.canvas.layer("teams"), self.canvas.layer("trails")
        changed = teams.refresh_status(now, self.busy) if teams is not None else False
        if trails is not None:
            trails.trails.prune(now)
            trails.set_time(now)
        if repaint:
            self.canvas.update()  # trails fade a little every second
            self.tick_signal.emit(now)
        if changed:
            self.teamsChanged.emit()

    # --- in-process listener and simulator ---------------------------------------------------------
    def start_listener(self, host: str = "127.0.0.1", port: int = 5055, fallback_port: bool = False) -> str:
        """Run the OsmAnd listener on a worker thread of this process; returns where it listens."""
        if self.listener is not None:
            return f"{self.listener.settings.host}:{self.listener.port}"
        from PySide6.QtCore import QSettings
        from data.cases.dispatch import ArrivalWatcher
        from data.feeds.listener import parse_allow
        # The same options as `gridwatch feed`: settings feed/require_key and feed/allow (networks).
        settings = QSettings()
        try:
            allow = parse_allow(str(settings.value("feed/allow", "") or ""))
        except ValueError:
            log.warning("setting feed/allow is not a list of networks: %r; refusing every address",
                        settings.value("feed/allow"))
            allow = (parse_allow("255.255.255.255/32")[0],)
        require_key = settings.value("feed/require_key", False, type=bool)
        self.ingest = FixIngest(self.store, FilterSettings(), on_stored=ArrivalWatcher(self.store).check,
                                require_key=require_key)
        try:
            self.listener = OsmAndListener(self.ingest, ListenerSettings(host=host, port=port, allow=allow)).start_in_thread()
        except OSError:
            if not fallback_port:
                self.ingest.close()
                self.ingest = None
                raise
            # The demo must run even when another program holds 5055: take any free port.
            self.listener = OsmAndListener(self.ingest, ListenerSettings(host=host, port=0, allow=allow)).start_in_thread()
        return f"{host}:{self.listener.port}"

    def stop_listener(self) -> None:
        if self.listener is not None:
            self.listener.stop()
            self.listener = None
        if self.ingest is not None:
            self.ingest.close()
            self.ingest = None

    def start_simulator(self, url: str | None = None, speedup: float = 1.0) -> None:
        if self.simulator is not None:
            return
        if url is None:
            if self.listener is None:
                raise RuntimeError("no listener to send to")
            url = f"http://127.0.0.1:{self.listener.port}/"
        self.simulator = Simulator(self.store, url, speedup=speedup).start_in_thread()
        from data.feeds.incident_sim import IncidentSimulator
        self.incidents = IncidentSimulator(self.store).start_in_thread()

    def stop_simulator(self) -> None:
        if self.simulator is not None:
            self.simulator.stop()
            self.simulator = None
        if getattr(self, "incidents", None) is not None:
            self.incidents.stop()
            self.incidents = None
