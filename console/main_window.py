"""The dispatcher's main window: it builds the window — the map in the centre, docks, menus, the
status bar, settings — and wires the controllers (console/controllers/) that do the work: dispatch,
replay, the feed, the panels around the map. docs/ARCHITECTURE.md describes the split."""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QDockWidget, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow,
                               QMessageBox, QPushButton, QScrollArea, QTableWidget, QToolBar, QTreeWidget, QVBoxLayout,
                               QWidget)

from console import i18n
from console.case_board import CaseBoard
from console.controllers.dispatch import DispatchController
from console.controllers.district import DistrictController
from console.controllers.feed import FeedController
from console.controllers.loading import LoadJob, LoadSignals
from console.controllers.map_panels import MapPanelsController
from console.controllers.replay import ReplayController
from console.dispatch_panel import DispatchPanel
from console.feed_panel import FeedPanel
from console.live import LiveController, utc_now
from console import window_state
from console.map_canvas import MapCanvas
from console.messages import say
from console.planner import PlannerPanel
from console.replay_panel import ReplayPanel
from console.team_panel import TeamPanel
from data.messages import GridWatchError, Message
from data.snapshot import community_names
from data.store.core import Store
from layers.model import MapLayer

log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    layersLoaded = Signal()
    openRequested = Signal(str)  # another store to open (File → New district… → Open it)

    def __init__(self, store: Store, lang: str, now: datetime | None = None, *, live: bool = True, demo: bool = False,
                 remember: bool = True, ask_sign_in: bool = True):
        """remember=False: neither restore nor save the user's window layout (screenshots show the default one).
        ask_sign_in: open the sign-in dialog once the district is loaded (a console a person uses)."""
        super().__init__()
        self.remember = remember
        self.ask_sign_in = ask_sign_in
        self.store, self.lang = store, lang
        self.now = now or datetime.now(timezone.utc)
        if now is None:
            self.clock = utc_now
        else:  # a fixed start (tests, screenshots of a past moment): the clock runs on from it
            t0 = time.monotonic()
            self.clock = lambda: now + timedelta(seconds=time.monotonic() - t0)
        self.live_enabled, self.demo = live, demo
        self.live: LiveController | None = None
        self.projection = store.projection
        self.ready = False
        self.setObjectName("GridWatchMainWindow")
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self._build_actions()
        self._build_docks()
        self._build_menus()
        self._build_status_bar()
        # The controllers: each wires a part of the window to the services in data/.
        self.map_panels = MapPanelsController(self)
        self.replay = ReplayController(self)
        self.dispatch = DispatchController(self)
        self.feed = FeedController(self)
        self.district = DistrictController(self)
        self.canvas.cursorMoved.connect(self._on_cursor)
        self.canvas.viewChanged.connect(self._on_view)
        self.retranslate()
        self.signed_in_changed()  # nobody yet: the account menu greyed out
        from console.idle_lock import IdleLock
        self.idle_lock = IdleLock(self)
        if remember:
            window_state.restore_layout(self)
        self._loader_signals = LoadSignals(self)
        self._loader_signals.loaded.connect(self._on_loaded)
        self.status_message.setText(self.tr("Loading the district…"))
        # Trail length is a setting (map/trail_minutes, default 10).
        trail_minutes = QSettings().value("map/trail_minutes", 10.0, type=float)
        self._loader = LoadJob(store, self.now, self._loader_signals, max(1.0, min(trail_minutes, 120.0))).start()
        log.info("console opened on %s", store.label)

    # --- construction ---------------------------------------------------------------------------
    def _build_actions(self) -> None:
        self.act_home = QAction(self, shortcut=QKeySequence(Qt.Key_Home), triggered=self.canvas.zoom_home)
        self.act_zoom_in = QAction(self, shortcut=QKeySequence.ZoomIn, triggered=lambda: self.canvas.zoom_by(1.5))
        self.act_zoom_out = QAction(self, shortcut=QKeySequence.ZoomOut, triggered=lambda: self.canvas.zoom_by(1 / 1.5))
        self.act_quit = QAction(self, shortcut=QKeySequence.Quit, triggered=self.close)
        self.act_find = QAction(self, shortcut=QKeySequence.Find, triggered=lambda: self.search.setFocus())
        self.lang_group = QActionGroup(self)
        self.act_lang = {}
        for code, label in (("zh_CN", "中文"), ("en", "English")):
            a = QAction(label, self, checkable=True)
            a.setData(code)
            a.setChecked(code == self.lang)
            self.lang_group.addAction(a)
            self.act_lang[code] = a
        self.lang_group.triggered.connect(lambda a: self.set_language(a.data()))

        self.menu_file = self.menuBar().addMenu("")
        self.act_new_district = QAction(self, triggered=lambda: self.district.new_district())
        self.act_import = QAction(self, shortcut=QKeySequence("Ctrl+I"), triggered=lambda: self.district.open_import())
        self.act_report = QAction(self, triggered=self.open_report)
        self.menu_file.addActions([self.act_new_district, self.act_import])
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_report)
        self.menu_file.addSeparator()
        self.menu_file.addAction(self.act_quit)
        self.menu_view = self.menuBar().addMenu("")
        self.menu_view.addActions([self.act_home, self.act_zoom_in, self.act_zoom_out, self.act_find])
        self.menu_lang = self.menuBar().addMenu("")
        self.menu_lang.addActions(list(self.act_lang.values()))

        self.toolbar = QToolBar(self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.toolbar.addActions([self.act_home, self.act_zoom_in, self.act_zoom_out])
        self.toolbar.addSeparator()
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.toolbar.addWidget(self.search)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

    def _dock(self, name: str, widget: QWidget, area, tab_with: QDockWidget | None = None) -> QDockWidget:
        dock = QDockWidget(self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        if tab_with is not None:
            self.tabifyDockWidget(tab_with, dock)
        return dock

    def _build_docks(self) -> None:
        self.layer_tree = QTreeWidget(self)
        self.layer_tree.setObjectName("layerTree")
        self.layer_tree.setHeaderHidden(True)
        self.layer_tree.setIconSize(QSize(16, 16))
        self.btn_up, self.btn_down = QPushButton(self), QPushButton(self)
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.layer_tree)
        row = QHBoxLayout()
        row.addWidget(self.btn_up)
        row.addWidget(self.btn_down)
        lay.addLayout(row)
        self.dock_layers = self._dock("dockLayers", box, Qt.LeftDockWidgetArea)
        self.feature_table = QTableWidget(0, 2, self)
        self.feature_table.setObjectName("featureTable")
        self.feature_table.verticalHeader().setVisible(False)
        self.feature_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.feature_table.horizontalHeader().setStretchLastSection(True)
        self.feature_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.feature_table.setWordWrap(True)
        self.dock_feature = self._dock("dockFeature", self.feature_table, Qt.LeftDockWidgetArea)
        self.team_panel = TeamPanel(self)
        self.dock_teams = self._dock("dockTeams", self.team_panel, Qt.RightDockWidgetArea)
        self.feed_panel = FeedPanel(self.store, self)
        self.dock_feed = self._dock("dockFeed", self.feed_panel, Qt.RightDockWidgetArea, self.dock_teams)
        self.case_board = CaseBoard(self.lang, community_names(self.store), self)
        self.dock_cases = self._dock("dockCases", self.case_board, Qt.RightDockWidgetArea, self.dock_feed)
        self.dispatch_panel = DispatchPanel(self.lang, self)
        # In a scroll area: the panel is tall, and small screens (and screenshots) must still fit.
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.dispatch_panel)
        self.dock_dispatch = self._dock("dockDispatch", scroll, Qt.LeftDockWidgetArea, self.dock_feature)
        # The dispatcher's tools get whole columns (1366x768 office screens): the case and its ranking
        # on the left, the board on the right; layers and feature details are tabs beside the case.
        self.planner_panel = PlannerPanel(self, self)
        self.dock_planner = self._dock("dockPlanner", self.planner_panel, Qt.RightDockWidgetArea, self.dock_cases)
        self.replay_panel = ReplayPanel(self, self)
        self.dock_replay = self._dock("dockReplay", self.replay_panel, Qt.BottomDockWidgetArea)
        from console.indicators_panel import IndicatorsPanel
        self.indicators_panel = IndicatorsPanel(self, self)
        self.dock_indicators = self._dock("dockIndicators", self.indicators_panel, Qt.RightDockWidgetArea, self.dock_planner)
        from console.hotspots_panel import HotspotsPanel
        self.hotspots_panel = HotspotsPanel(self, self)
        self.dock_hotspots = self._dock("dockHotspots", self.hotspots_panel, Qt.RightDockWidgetArea, self.dock_indicators)
        self.dock_hotspots.visibilityChanged.connect(lambda shown: shown and self.hotspots_panel.refresh_areas())
        from console.ledgers_panel import LedgersPanel
        self.ledgers_panel = LedgersPanel(self, self)
        self.dock_ledgers = self._dock("dockLedgers", self.ledgers_panel, Qt.RightDockWidgetArea, self.dock_hotspots)
        from console.rota_panel import RotaPanel
        self.rota_panel = RotaPanel(self, self)
        self.dock_rota = self._dock("dockRota", self.rota_panel, Qt.RightDockWidgetArea, self.dock_ledgers)
        # Opened from View it comes to the front of its tabs, and reads its week the first time.
        self.dock_rota.toggleViewAction().toggled.connect(self._rota_opened)
        from console.patrol_panel import PatrolPanel
        self.patrol_panel = PatrolPanel(self, self)
        self.dock_patrol = self._dock("dockPatrol", self.patrol_panel, Qt.RightDockWidgetArea, self.dock_rota)
        self.dock_patrol.toggleViewAction().toggled.connect(self._patrol_opened)
        # The per-grid counts are on the map while the ledgers are open (and from the layer panel).
        self.dock_ledgers.visibilityChanged.connect(self._ledgers_shown)
        # Opened from View it comes to the front of its tab group (else it opens as a tab behind another).
        self.dock_ledgers.toggleViewAction().toggled.connect(
            lambda on: on and QTimer.singleShot(0, self.dock_ledgers.raise_))
        self.tabifyDockWidget(self.dock_dispatch, self.dock_layers)
        self.dock_dispatch.raise_()
        self.dock_cases.raise_()
        self.dock_replay.hide()
        self.dock_indicators.hide()  # supervisors open it from View
        self.dock_hotspots.hide()
        self.dock_ledgers.hide()  # the ledger keeper opens it from View
        self.dock_rota.hide()
        self.dock_patrol.hide()
        self.dock_cases.raise_()
        self._default_docks_pending = True
        self.feed_panel.bound.connect(lambda msg: self.status_message.setText(msg))

    ledger_alerts = 0

    def show_ledger_alerts(self, n: int) -> None:
        """Visits overdue or people out of supervision, on the Ledgers dock's tab even while it is closed."""
        self.ledger_alerts = n
        self.dock_ledgers.setWindowTitle(self.tr("Ledgers") + (f" ⚠{n}" if n else ""))

    patrol_alerts = 0

    def show_patrol_alerts(self, n: int) -> None:
        """Plans not started or key areas empty now, on the Patrol dock's tab even while it is closed."""
        self.patrol_alerts = n
        self.dock_patrol.setWindowTitle(self.tr("Patrol") + (f" ⚠{n}" if n else ""))
        self.status_patrol.setText("⚠ " + self.tr("Patrol alerts: %1").replace("%1", str(n)))
        self.status_patrol.setVisible(n > 0)

    def _patrol_opened(self, on: bool) -> None:
        if not on:
            self.canvas.layer("coverage").clear()  # the chosen window leaves the map with its dock
            return
        QTimer.singleShot(0, self.dock_patrol.raise_)
        if self.patrol_panel.report is None:
            self.patrol_panel.refresh()

    def _rota_opened(self, on: bool) -> None:
        if not on:
            return
        QTimer.singleShot(0, self.dock_rota.raise_)
        if self.rota_panel.view_week is None:
            self.rota_panel.refresh()

    def _ledgers_shown(self, shown: bool) -> None:
        """The per-grid counts go on the map while the ledgers are open (the layer panel turns them
        off again), and the dock takes room enough for its board's columns."""
        if not shown:
            return
        self.canvas.set_layer_visible("supervision", True)
        if self.dock_ledgers.width() < 520 and not self.dock_ledgers.isFloating():
            self.resizeDocks([self.dock_ledgers], [min(620, self.width() // 2)], Qt.Horizontal)

    def _build_menus(self) -> None:
        self.menu_view.addSeparator()
        for dock in (self.dock_layers, self.dock_feature, self.dock_teams, self.dock_feed, self.dock_cases,
                     self.dock_dispatch, self.dock_planner, self.dock_replay, self.dock_indicators, self.dock_hotspots,
                     self.dock_ledgers, self.dock_rota, self.dock_patrol):
            self.menu_view.addAction(dock.toggleViewAction())
        self.menu_edit = self.menuBar().addMenu("")
        self.act_undo = QAction(self, shortcut=QKeySequence.Undo)
        self.act_redo = QAction(self, shortcut=QKeySequence.Redo)
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_dispatch = self.menuBar().addMenu("")
        self.act_new_incident = QAction(self, shortcut=QKeySequence.New, triggered=lambda: self.dispatch.new_incident_at_centre())
        self.act_on_duty = QAction(self, triggered=lambda: self.dispatch.choose_on_duty())
        self.menu_dispatch.addActions([self.act_new_incident, self.act_on_duty])
        self.menu_feed = self.menuBar().addMenu("")
        self.act_listen = QAction(self, checkable=True)
        self.act_simulate = QAction(self, checkable=True)
        self.menu_feed.addActions([self.act_listen, self.act_simulate])
        self.menu_account = self.menuBar().addMenu("")
        self.act_change_password = QAction(self, triggered=self.change_password)
        self.act_sign_out = QAction(self, triggered=lambda: self.dispatch.sign_out())
        self.act_accounts = QAction(self, triggered=self.open_accounts)
        self.menu_account.addActions([self.act_change_password, self.act_sign_out, self.act_accounts])
        self.menu_help = self.menuBar().addMenu("")
        self.act_about = QAction(self, triggered=self.show_about)
        self.menu_help.addAction(self.act_about)

    def _build_status_bar(self) -> None:
        self.status_message = QLabel(self)
        self.status_coords = QLabel(self)
        self.status_coords.setObjectName("statusCoords")
        self.status_coords.setMinimumWidth(220)
        self.status_scale = QLabel(self)
        self.status_scale.setObjectName("statusScale")
        self.status_scale.setMinimumWidth(110)
        # Office mode: whether the database server answers (data/store/changes.py says so within seconds).
        self.server_up = True
        self.status_server = QLabel(self)
        self.status_server.setObjectName("statusServer")
        self.status_server.setVisible(self.store.is_office)
        # Patrol alerts (the Patrol dock checks every minute), for whoever has the dock closed: a click opens it.
        self.status_patrol = QPushButton(self)
        self.status_patrol.setObjectName("statusPatrol")
        self.status_patrol.setFlat(True)
        self.status_patrol.setStyleSheet("color: #b71c1c; font-weight: bold; border: none; padding: 0 6px;")
        # A label's height: the status bar is as tall as its tallest item, shown or not (the map and the
        # dispatch dock would lose that much at 1366×768).
        self.status_patrol.setMaximumHeight(self.fontMetrics().height() + 2)
        self.status_patrol.setVisible(False)
        self.status_patrol.clicked.connect(lambda: self.dock_patrol.raise_() if self.dock_patrol.isVisible()
                                           else self.dock_patrol.toggleViewAction().trigger())
        sb = self.statusBar()
        sb.addWidget(self.status_message, 1)
        sb.addPermanentWidget(self.status_patrol)
        sb.addPermanentWidget(self.status_server)
        sb.addPermanentWidget(self.status_coords)
        sb.addPermanentWidget(self.status_scale)

    def open_report(self) -> None:
        """File → Monthly report…: a month's PDF or workbook (console/report_dialog.py)."""
        from console.report_dialog import ReportDialog
        self.report_dialog = ReportDialog(self)
        self.report_dialog.show()

    # --- language -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("GridWatch — grid governance dispatch console") + f" — {self.store.short_label}")
        self._show_server_state()
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_lang.setTitle(self.tr("&Language"))
        self.act_home.setText(self.tr("Zoom to district"))
        self.act_home.setToolTip(self.tr("Show the whole district (Home)"))
        self.act_zoom_in.setText(self.tr("Zoom in"))
        self.act_zoom_out.setText(self.tr("Zoom out"))
        self.act_quit.setText(self.tr("Quit"))
        self.act_new_district.setText(self.tr("New district…"))
        self.act_import.setText(self.tr("Import…"))
        self.act_report.setText(self.tr("Monthly report…"))
        self.act_find.setText(self.tr("Find grid or camera"))
        self.search.setPlaceholderText(self.tr("Find a grid, camera, team or case by code or name"))
        self.dock_layers.setWindowTitle(self.tr("Layers"))
        self.dock_feature.setWindowTitle(self.tr("Feature"))
        self.btn_up.setText(self.tr("Move up"))
        self.btn_down.setText(self.tr("Move down"))
        self.feature_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.dock_teams.setWindowTitle(self.tr("Teams"))  # dock titles are tabs at 1366 px: short words
        self.dock_feed.setWindowTitle(self.tr("Feed"))
        self.menu_feed.setTitle(self.tr("&Feed"))
        self.act_listen.setText(self.tr("Listen for trackers in this console"))
        self.act_simulate.setText(self.tr("Simulate the district's teams (demo)"))
        self.team_panel.retranslate(self.lang)
        self.case_board.retranslate(self.lang)
        self.dispatch_panel.retranslate(self.lang)
        self.dock_cases.setWindowTitle(self.tr("Cases"))
        self.dock_planner.setWindowTitle(self.tr("Planning"))
        self.dock_replay.setWindowTitle(self.tr("Replay"))
        self.dock_indicators.setWindowTitle(self.tr("Indicators"))
        self.indicators_panel.retranslate()
        self.dock_hotspots.setWindowTitle(self.tr("Hotspots"))
        self.hotspots_panel.retranslate()
        self.show_ledger_alerts(self.ledger_alerts)
        self.ledgers_panel.retranslate()
        self.dock_rota.setWindowTitle(self.tr("Rota"))
        self.rota_panel.retranslate()
        self.show_patrol_alerts(self.patrol_alerts)
        self.patrol_panel.retranslate()
        self.replay_panel.retranslate()
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.act_undo.setText(self.tr("Undo grid edit"))
        self.act_redo.setText(self.tr("Redo grid edit"))
        self.planner_panel.retranslate()
        self.dock_dispatch.setWindowTitle(self.tr("Case and dispatch"))
        self.menu_dispatch.setTitle(self.tr("&Dispatch"))
        self.act_new_incident.setText(self.tr("New incident at the map centre"))
        self.act_on_duty.setText(self.dispatch.on_duty_label())
        self.act_about.setText(self.tr("About GridWatch…"))
        self.menu_help.setTitle(self.tr("&Help"))
        self.menu_account.setTitle(self.tr("&Account"))
        self.act_change_password.setText(self.tr("Change my password…"))
        self.act_sign_out.setText(self.tr("Sign out"))
        self.act_accounts.setText(self.tr("Accounts…"))
        self.feed_panel.retranslate()
        self.feed_panel.set_listening(self.feed.listening_at())
        if self.canvas.layers:
            self.map_panels.fill_layer_tree()
            self.map_panels.show_feature(*(self.map_panels.selected or (None, None)))
        self._on_view(self.canvas.view())

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = i18n.install_language(lang)
        QSettings().setValue("language", lang)
        self.act_lang[lang].setChecked(True)
        self.retranslate()
        self._refill_contents()
        self.canvas.update()

    def show_summary(self) -> None:
        """The district at a glance in the status bar (shown when the layers are loaded)."""
        grids, teams, incidents = (self.canvas.layer(n) for n in ("grids", "teams", "incidents"))
        n_open = sum(1 for s in incidents.features.column("stage") if s not in ("closed", "voided")) if incidents else 0
        n_avail = sum(1 for s in teams.features.column("status") if s == "available") if teams else 0
        self._summary_text = (self.tr("%1 grids · %2 open cases · %3 teams available")
                              .replace("%1", str(len(grids.features) if grids else 0)).replace("%2", str(n_open))
                              .replace("%3", str(n_avail)))
        self.status_message.setText(self._summary_text)

    def _refill_contents(self) -> None:
        """What the panels show, shown again in the new language: the case being worked on (its header,
        timeline notes, ranking), the board's rows, the planner's problem list, replay's review."""
        if not self.ready:
            return
        if self.status_message.text() == getattr(self, "_summary_text", None):
            self.show_summary()
        if self.replay.active:
            self.replay_panel.refresh_review()
        else:
            self.dispatch.refresh_cases()
            if self.dispatch.current_case is not None:
                self.dispatch.show_case(self.dispatch.current_case)
        if self.planner_panel.planner is not None and self.planner_panel.planner.active and self.planner_panel.problems.count():
            self.planner_panel.validate()

    # --- messages ---------------------------------------------------------------------------------
    def signed_in_changed(self) -> None:
        """Who works here changed: the case panel's buttons and the account menu follow what the
        account may do (the services decide; this only greys out what they would refuse)."""
        who = self.dispatch.signed_in
        self.act_change_password.setEnabled(who is not None)
        self.act_sign_out.setEnabled(who is not None)
        self.act_accounts.setEnabled(who is not None and who.may("accounts.manage"))
        self.ledgers_panel.signed_in_changed()
        if self.ready and self.dispatch.current_case is not None:
            self.dispatch.show_case(self.dispatch.current_case)

    def change_password(self):
        from console.accounts_ui import ChangePasswordDialog
        if self.dispatch.signed_in is None:
            return None
        who = self.dispatch.signed_in
        self.password_dialog = ChangePasswordDialog(self.store, who, self.lang, self, forced=who.must_change)
        self.password_dialog.changed.connect(self.dispatch.password_changed)
        self.password_dialog.accepted.connect(lambda: self.status_message.setText(self.tr("Password changed")))
        self.password_dialog.open()
        return self.password_dialog

    def open_accounts(self):
        from console.accounts_ui import AccountsDialog
        try:
            self.accounts_dialog = AccountsDialog(self.store, self.dispatch.signed_in, self.lang, self)
        except GridWatchError as exc:
            self.refuse(exc)
            return None
        self.accounts_dialog.open()
        return self.accounts_dialog

    def actor_name(self) -> str:
        """Who is working: the person on duty, else the system user (recorded with imports)."""
        import getpass
        return self.dispatch.on_duty or getpass.getuser()

    def on_server_state(self, up: bool) -> None:
        """Office mode: the server was lost or is back. While it is lost the map keeps what was last read
        and every action is refused in words (nothing is queued to be written later)."""
        was, self.server_up = self.server_up, up
        self._show_server_state()
        if was and not up:
            log.warning("office database %s unreachable: read only until it is back", self.store.label)
            self.status_message.setText(self.tr("The office database cannot be reached. The map shows what was last "
                                                "read; nothing can be saved until the connection is back."))
        elif up and not was:
            log.info("office database %s reachable again", self.store.label)
            self.status_message.setText(self.tr("Connected to the office database again."))

    def _show_server_state(self) -> None:
        if not self.store.is_office:
            return
        if self.server_up:
            self.status_server.setText(self.tr("● Office database connected"))
            self.status_server.setStyleSheet("color: #1a7f37;")
        else:
            self.status_server.setText(self.tr("● Office database unreachable: read only, reconnecting…"))
            self.status_server.setStyleSheet("color: #c62828; font-weight: bold;")

    def refuse(self, what: GridWatchError | Message | str) -> None:
        """Say what was refused and why (in the user's language), in a box that does not block the map."""
        text = say(what, self.lang)
        self.status_message.setText(text)
        box = QMessageBox(QMessageBox.Warning, self.tr("Not done"), text, QMessageBox.Ok, self)
        box.setObjectName("refusal")
        self.last_refusal = box
        box.open()

    def show_about(self) -> QMessageBox:
        from console.about import show_about
        return show_about(self)

    # --- wiring once the layers are loaded ---------------------------------------------------------------
    def _on_loaded(self, layers: list[MapLayer] | None, error: str | None, after_id: int = 0) -> None:
        if error:
            self.status_message.setText(self.tr("Could not load the district: %1").replace("%1", error))
            if _interactive():
                QMessageBox.warning(self, self.tr("GridWatch"), self.tr("Could not load the district: %1").replace("%1", error))
            return
        self.canvas.set_layers(layers)
        bounds = [lyr.extent() for lyr in layers if lyr.name in ("district", "grids", "communities") and lyr.extent()]
        if not bounds:  # a district being set up: its streets, else whatever it has
            bounds = [lyr.extent() for lyr in layers if lyr.extent()]
        if bounds:
            self.canvas.home_extent = (min(b[0] for b in bounds), min(b[1] for b in bounds),
                                       max(b[2] for b in bounds), max(b[3] for b in bounds))
        if not window_state.restore_extent(self):
            self.canvas.zoom_home()
        self.map_panels.fill_layer_tree()
        self.map_panels.build_search_index()
        supervision = self.canvas.layer("supervision")
        if supervision is not None and len(supervision.features):
            self.show_ledger_alerts(int(sum(supervision.features.column("alerts"))))
        self.show_summary()
        self.team_panel.model.set_layer(self.canvas.layer("teams"))
        self.team_panel.model.refresh(self.clock())
        self.live = LiveController.attach(self, after_id)
        self._watch_basemap()
        self.ready = True
        self.layersLoaded.emit()
        if self.ask_sign_in and self.dispatch.signed_in is None:
            self.dispatch.ask_sign_in()

    def _watch_basemap(self) -> None:
        """Tiles arrive on the fetcher's thread; the map is told here, on the GUI thread."""
        layer = self.canvas.layer("basemap")
        if layer is None:
            return
        seen = {"n": -1}

        def check() -> None:
            if layer.fetcher.arrived != seen["n"]:
                seen["n"] = layer.fetcher.arrived
                layer.changed()
        self._basemap_timer = QTimer(self, interval=250, timeout=check)
        self._basemap_timer.start()

    # --- status bar -----------------------------------------------------------------------------
    def _on_cursor(self, x: float, y: float) -> None:
        lon, lat = self.projection.xy_to_lonlat(x, y)
        self.status_coords.setText(f"{float(lon):.6f}°E  {float(lat):.6f}°N")

    def _on_view(self, view) -> None:
        self.status_scale.setText(self.tr("Scale 1:%1").replace("%1", f"{view.scale_denominator():,.0f}"))

    # --- settings -------------------------------------------------------------------------------
    def save_settings(self) -> None:
        if self.remember:
            window_state.save(self)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._default_docks_pending:
            # Dock widths are honoured only once the window has its size; set before, Qt scales
            # them with the window and the board came out 325 px wide at 1366 (its grid column cut).
            self._default_docks_pending = False
            if not (self.remember and window_state.has_layout()):
                QTimer.singleShot(0, self.size_docks)

    def size_docks(self) -> None:
        """The default layout: the case and its ranking on the left, the board on the right, the map between."""
        side = max(360, min(420, int(self.width() * 0.27)))  # the case panel needs ~350 px: no sideways scrolling
        self.resizeDocks([self.dock_dispatch, self.dock_cases], [side, side], Qt.Horizontal)

    def closeEvent(self, event) -> None:
        self.save_settings()
        self.idle_lock.stop()
        self.dispatch.sign_out()
        if self.live is not None:
            self.live.stop()
        self._loader.thread.join(5)
        # Readers on Python threads finish before the store they read is closed with the window.
        for panel in (self.ledgers_panel, self.hotspots_panel, self.indicators_panel):
            if hasattr(panel, "wait") and not panel.wait(10):
                log.warning("%s: a reader still running at close", type(panel).__name__)
        basemap = self.canvas.layer("basemap")
        if basemap is not None:
            basemap.fetcher.close()
        log.info("console closed")
        super().closeEvent(event)

    def wait_ready(self, timeout_ms: int = 20000) -> bool:
        from PySide6.QtCore import QCoreApplication, QElapsedTimer
        t = QElapsedTimer()
        t.start()
        while not self.ready and t.elapsed() < timeout_ms:
            self._loader.thread.join(0.02)
            QCoreApplication.processEvents()
        return self.ready and self.canvas.wait_rendered(max(1000, timeout_ms - t.elapsed()))


def _interactive() -> bool:
    """No modal box where nobody can close it (offscreen screenshots, tests, headless runs)."""
    from PySide6.QtGui import QGuiApplication
    return QGuiApplication.platformName() not in ("offscreen", "minimal")
