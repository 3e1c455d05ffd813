"""The dispatcher's main window: the map in the centre, a layer panel, a feature panel, a status
bar with lon/lat and scale, and search for grids, cameras, teams and cases."""

from __future__ import annotations

import threading

from datetime import datetime, timedelta, timezone
from typing import Any

import numpy as np
import shapely
from PySide6.QtCore import QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QIcon, QKeySequence, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCompleter, QDockWidget, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QMainWindow, QMessageBox, QPushButton, QTableWidget, QTableWidgetItem,
                               QToolBar, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from console import i18n
from console.map_canvas import MapCanvas
from data.domain import Term
from data.geo import Projection
from data.store.core import Store
from layers import style as S
from layers.model import LegendEntry, MapLayer
from layers.painters import marker_image
from layers.stack import build_layer_stack
from console.feed_panel import FeedPanel
from console.live import LiveController, utc_now
from console.team_panel import TeamPanel
from console.case_board import CaseBoard
from console.dispatch_panel import DispatchPanel, action_label
from console.incident_dialog import IncidentDialog
from console.planner import PlannerPanel
from console.replay_panel import ReplayPanel, ReplayTrails
from data.feeds.tracks import last_fix_id

LOCAL_TZ_NAME = "Asia/Shanghai"


class _LoadSignals(QObject):
    loaded = Signal(object, object, int)  # layers, error message, last fix id when loading began


class _LoadJob:
    """Loads the layers on a plain Python thread. (Python work that touches SQLite, GEOS and PROJ
    runs on Python threads here, not Qt's: a Qt pool thread crashed inside SQLite now and then.)"""

    def __init__(self, store: Store, now: datetime, signals: _LoadSignals, trail_minutes: float):
        self.store, self.now, self.signals, self.trail_minutes = store, now, signals, trail_minutes
        self.thread = threading.Thread(target=self.run, name="load-layers", daemon=True)

    def start(self) -> "_LoadJob":
        self.thread.start()
        return self

    def run(self) -> None:
        try:
            # The watermark first: fixes stored while the layers load are picked up by the poller.
            after_id = last_fix_id(self.store)
            layers = build_layer_stack(self.store, self.now, self.trail_minutes)
        except Exception as exc:  # reported in the status bar and a message box, never a traceback
            self.signals.loaded.emit(None, f"{type(exc).__name__}: {exc}", 0)
            return
        self.signals.loaded.emit(layers, None, after_id)


def swatch_icon(style: Any, size: int = 16) -> QIcon:
    """A legend swatch for a fill, line or marker style."""
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    if isinstance(style, S.FillStyle):
        fill = QColor(style.fill) if style.fill else QColor(Qt.transparent)
        if style.fill:
            fill.setAlphaF(max(style.fill_alpha, 0.35))
        p.setBrush(fill)
        p.setPen(QPen(QColor(style.stroke), 1.5) if style.stroke else Qt.NoPen)
        p.drawRect(2, 2, size - 4, size - 4)
    elif isinstance(style, S.LineStyle):
        if style.casing:
            p.setPen(QPen(QColor(style.casing), 6))
            p.drawLine(1, size // 2, size - 1, size // 2)
        p.setPen(QPen(QColor(style.stroke), 4))
        p.drawLine(1, size // 2, size - 1, size // 2)
    elif isinstance(style, S.MarkerStyle):
        img = marker_image(style.shape, style.fill, style.stroke, min(style.size_px, size - 2))
        p.drawImage((size - img.width()) // 2, (size - img.height()) // 2, img)
    p.end()
    return QIcon(pm)


class MainWindow(QMainWindow):
    layersLoaded = Signal()

    def __init__(self, store: Store, lang: str, now: datetime | None = None, *, live: bool = True, demo: bool = False):
        super().__init__()
        self.store = store
        self.lang = lang
        self.now = now or datetime.now(timezone.utc)
        if now is None:
            self.clock = utc_now
        else:  # a fixed start (tests, screenshots of a past moment): the clock runs on from it
            import time
            t0 = time.monotonic()
            self.clock = lambda: now + timedelta(seconds=time.monotonic() - t0)
        self.live_enabled, self.demo = live, demo
        self.live: LiveController | None = None
        self.projection: Projection = store.projection
        self.setObjectName("GridWatchMainWindow")
        self.canvas = MapCanvas(self)
        self.setCentralWidget(self.canvas)
        self._search_index: list[tuple[str, str, int]] = []  # (text, layer name, index)
        self._selected: tuple[MapLayer, int] | None = None
        self._build_actions()
        self._build_docks()
        self._build_status_bar()
        self.canvas.cursorMoved.connect(self._on_cursor)
        self.canvas.viewChanged.connect(self._on_view)
        self.canvas.featureClicked.connect(self._on_feature)
        self.canvas.contextRequested.connect(self._on_context)
        self.on_duty: str = str(QSettings().value("duty/person", "") or "")
        self.current_case: int | None = None
        self.incident_dialog: IncidentDialog | None = None
        self._recommender = None
        self.retranslate()
        self._restore_settings()
        self._loader_signals = _LoadSignals()
        self._loader_signals.loaded.connect(self._on_loaded)

        self.ready = False
        self.status_message.setText(self.tr("Loading the district…"))
        # Trail length is a setting (map/trail_minutes, default 10).
        trail_minutes = QSettings().value("map/trail_minutes", 10.0, type=float)
        self._loader = _LoadJob(store, self.now, self._loader_signals, max(1.0, min(trail_minutes, 120.0))).start()

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
        self.search.returnPressed.connect(lambda: self.find(self.search.text()))
        self.toolbar.addWidget(self.search)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)

    def _build_docks(self) -> None:
        self.layer_tree = QTreeWidget(self)
        self.layer_tree.setObjectName("layerTree")
        self.layer_tree.setHeaderHidden(True)
        self.layer_tree.setIconSize(QSize(16, 16))
        self.layer_tree.itemChanged.connect(self._on_layer_item_changed)
        self.btn_up = QPushButton(self, clicked=lambda: self._move_layer(-1))
        self.btn_down = QPushButton(self, clicked=lambda: self._move_layer(+1))
        box = QWidget(self)
        lay = QVBoxLayout(box)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.layer_tree)
        row = QHBoxLayout()
        row.addWidget(self.btn_up)
        row.addWidget(self.btn_down)
        lay.addLayout(row)
        self.dock_layers = QDockWidget(self)
        self.dock_layers.setObjectName("dockLayers")
        self.dock_layers.setWidget(box)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.dock_layers)

        self.feature_table = QTableWidget(0, 2, self)
        self.feature_table.setObjectName("featureTable")
        self.feature_table.verticalHeader().setVisible(False)
        self.feature_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.feature_table.horizontalHeader().setStretchLastSection(True)
        self.feature_table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.feature_table.setWordWrap(True)
        self.dock_feature = QDockWidget(self)
        self.dock_feature.setObjectName("dockFeature")
        self.dock_feature.setWidget(self.feature_table)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.dock_feature)
        self.team_panel = TeamPanel(self)
        self.dock_teams = QDockWidget(self)
        self.dock_teams.setObjectName("dockTeams")
        self.dock_teams.setWidget(self.team_panel)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock_teams)
        self.feed_panel = FeedPanel(self.store, self)
        self.dock_feed = QDockWidget(self)
        self.dock_feed.setObjectName("dockFeed")
        self.dock_feed.setWidget(self.feed_panel)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock_feed)
        self.tabifyDockWidget(self.dock_teams, self.dock_feed)
        from sqlalchemy import select as _select
        from data.store import models as _m
        with self.store.session() as s:
            communities = dict(s.execute(_select(_m.Community.id, _m.Community.name)).all())
        self.case_board = CaseBoard(self.lang, communities, self)
        self.dock_cases = QDockWidget(self)
        self.dock_cases.setObjectName("dockCases")
        self.dock_cases.setWidget(self.case_board)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock_cases)
        self.tabifyDockWidget(self.dock_feed, self.dock_cases)
        self.dispatch_panel = DispatchPanel(self.lang, self)
        self.dock_dispatch = QDockWidget(self)
        self.dock_dispatch.setObjectName("dockDispatch")
        # In a scroll area: the panel is tall, and small screens (and screenshots) must still fit.
        from PySide6.QtWidgets import QScrollArea
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.dispatch_panel)
        self.dock_dispatch.setWidget(scroll)
        self.addDockWidget(Qt.LeftDockWidgetArea, self.dock_dispatch)
        self.tabifyDockWidget(self.dock_feature, self.dock_dispatch)
        self.planner_panel = PlannerPanel(self, self)
        self.dock_planner = QDockWidget(self)
        self.dock_planner.setObjectName("dockPlanner")
        self.dock_planner.setWidget(self.planner_panel)
        self.addDockWidget(Qt.RightDockWidgetArea, self.dock_planner)
        self.tabifyDockWidget(self.dock_cases, self.dock_planner)
        self.replay_panel = ReplayPanel(self, self)
        self.dock_replay = QDockWidget(self)
        self.dock_replay.setObjectName("dockReplay")
        self.dock_replay.setWidget(self.replay_panel)
        self.addDockWidget(Qt.BottomDockWidgetArea, self.dock_replay)
        self.dock_replay.hide()
        self.replaying = False
        self.dock_cases.raise_()
        self.case_board.caseSelected.connect(self.show_case)
        self.dispatch_panel.actionRequested.connect(self._on_action_requested)
        self.dispatch_panel.assignRequested.connect(self.assign_team)
        self.dispatch_panel.candidateChosen.connect(self.draw_route)
        self.resizeDocks([self.dock_layers, self.dock_feature], [380, 380], Qt.Horizontal)
        self.resizeDocks([self.dock_teams], [330], Qt.Horizontal)
        self.team_panel.teamChosen.connect(self._on_team_chosen)
        self.team_panel.followChanged.connect(self._on_follow)
        self.feed_panel.bound.connect(lambda msg: self.status_message.setText(msg))
        self.menu_view.addSeparator()
        self.menu_view.addAction(self.dock_layers.toggleViewAction())
        self.menu_view.addAction(self.dock_feature.toggleViewAction())
        self.menu_view.addAction(self.dock_teams.toggleViewAction())
        self.menu_view.addAction(self.dock_feed.toggleViewAction())
        self.menu_view.addAction(self.dock_cases.toggleViewAction())
        self.menu_view.addAction(self.dock_dispatch.toggleViewAction())
        self.menu_view.addAction(self.dock_planner.toggleViewAction())
        self.menu_view.addAction(self.dock_replay.toggleViewAction())
        self.menu_edit = self.menuBar().addMenu("")
        self.act_undo = QAction(self, shortcut=QKeySequence.Undo)
        self.act_redo = QAction(self, shortcut=QKeySequence.Redo)
        self.menu_edit.addActions([self.act_undo, self.act_redo])
        self.menu_dispatch = self.menuBar().addMenu("")
        self.act_new_incident = QAction(self, shortcut=QKeySequence.New, triggered=self._new_incident_at_centre)
        self.act_on_duty = QAction(self, triggered=self.choose_on_duty)
        self.menu_dispatch.addActions([self.act_new_incident, self.act_on_duty])
        self.menu_feed = self.menuBar().addMenu("")
        self.act_listen = QAction(self, checkable=True, toggled=self._toggle_listener)
        self.act_simulate = QAction(self, checkable=True, toggled=self._toggle_simulator)
        self.menu_feed.addActions([self.act_listen, self.act_simulate])

    def _build_status_bar(self) -> None:
        self.status_message = QLabel(self)
        self.status_coords = QLabel(self)
        self.status_coords.setObjectName("statusCoords")
        self.status_coords.setMinimumWidth(220)
        self.status_scale = QLabel(self)
        self.status_scale.setObjectName("statusScale")
        self.status_scale.setMinimumWidth(110)
        sb = self.statusBar()
        sb.addWidget(self.status_message, 1)
        sb.addPermanentWidget(self.status_coords)
        sb.addPermanentWidget(self.status_scale)

    # --- language -------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("GridWatch — grid governance dispatch console") + f" — {self.store.path.name if self.store.path else ''}")
        self.menu_file.setTitle(self.tr("&File"))
        self.menu_view.setTitle(self.tr("&View"))
        self.menu_lang.setTitle(self.tr("&Language"))
        self.act_home.setText(self.tr("Zoom to district"))
        self.act_home.setToolTip(self.tr("Show the whole district (Home)"))
        self.act_zoom_in.setText(self.tr("Zoom in"))
        self.act_zoom_out.setText(self.tr("Zoom out"))
        self.act_quit.setText(self.tr("Quit"))
        self.act_find.setText(self.tr("Find grid or camera"))
        self.search.setPlaceholderText(self.tr("Find a grid, camera, team or case by code or name"))
        self.dock_layers.setWindowTitle(self.tr("Layers"))
        self.dock_feature.setWindowTitle(self.tr("Feature"))
        self.btn_up.setText(self.tr("Move up"))
        self.btn_down.setText(self.tr("Move down"))
        self.feature_table.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Value")])
        self.dock_teams.setWindowTitle(self.tr("Teams"))
        self.dock_feed.setWindowTitle(self.tr("Position feed"))
        self.menu_feed.setTitle(self.tr("&Feed"))
        self.act_listen.setText(self.tr("Listen for trackers in this console"))
        self.act_simulate.setText(self.tr("Simulate the district's teams (demo)"))
        self.team_panel.retranslate(self.lang)
        self.case_board.retranslate(self.lang)
        self.dispatch_panel.retranslate(self.lang)
        self.dock_cases.setWindowTitle(self.tr("Case board"))
        self.dock_planner.setWindowTitle(self.tr("Grid planning"))
        self.dock_replay.setWindowTitle(self.tr("Replay"))
        self.replay_panel.retranslate()
        self.menu_edit.setTitle(self.tr("&Edit"))
        self.act_undo.setText(self.tr("Undo grid edit"))
        self.act_redo.setText(self.tr("Redo grid edit"))
        self.planner_panel.retranslate()
        self.dock_dispatch.setWindowTitle(self.tr("Case and dispatch"))
        self.menu_dispatch.setTitle(self.tr("&Dispatch"))
        self.act_new_incident.setText(self.tr("New incident at the map centre"))
        self.act_on_duty.setText(self.tr("On duty: %1 (change…)").replace("%1", self.on_duty or self.tr("nobody")))
        self.feed_panel.retranslate()
        self.feed_panel.set_listening(self._listening_at())
        if self.canvas.layers:
            self._fill_layer_tree()
            self._on_feature(*(self._selected or (None, None)))
        self._on_view(self.canvas.view())

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = i18n.install_language(lang)
        QSettings().setValue("language", lang)
        self.act_lang[lang].setChecked(True)
        self.retranslate()
        self.canvas.update()

    def tr_value(self, value: Any) -> str:
        """A feature attribute as the user reads it, in the interface language."""
        if value is None:
            return "—"
        if isinstance(value, Term):
            return value.label(self.lang)
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, datetime):
            from zoneinfo import ZoneInfo
            return value.astimezone(ZoneInfo(LOCAL_TZ_NAME)).strftime("%Y-%m-%d %H:%M")
        return str(value)

    def legend_label(self, entry: LegendEntry) -> str:
        if isinstance(entry.label, Term):
            return entry.label.label(self.lang)
        return i18n.translate("legend", entry.label)

    # --- layers ---------------------------------------------------------------------------------
    def _on_loaded(self, layers: list[MapLayer] | None, error: str | None, after_id: int = 0) -> None:
        if error:
            self.status_message.setText(self.tr("Could not load the district: %1").replace("%1", error))
            QMessageBox.warning(self, self.tr("GridWatch"), self.tr("Could not load the district: %1").replace("%1", error))
            return
        self.canvas.set_layers(layers)
        grids = self.canvas.layer("grids")
        bounds = [lyr.extent() for lyr in layers if lyr.name in ("grids", "communities") and lyr.extent()]
        if bounds:
            self.canvas.home_extent = (min(b[0] for b in bounds), min(b[1] for b in bounds),
                                       max(b[2] for b in bounds), max(b[3] for b in bounds))
        if not self._restore_extent():
            self.canvas.zoom_home()
        self._fill_layer_tree()
        self._build_search_index()
        teams = self.canvas.layer("teams")
        incidents = self.canvas.layer("incidents")
        n_open = sum(1 for s in incidents.features.column("stage") if s not in ("closed", "voided")) if incidents else 0
        n_avail = sum(1 for s in teams.features.column("status") if s == "available") if teams else 0
        self.status_message.setText(
            self.tr("%1 grids · %2 open cases · %3 teams available")
            .replace("%1", str(len(grids.features) if grids else 0)).replace("%2", str(n_open)).replace("%3", str(n_avail)))
        self.team_panel.model.set_layer(teams)
        self.team_panel.model.refresh(self.clock())
        self.live = LiveController(self, self.store, after_id, self.clock)
        # The team list follows at most once a second, however fast fixes arrive.
        from PySide6.QtCore import QTimer
        self._team_list_timer = QTimer(self, singleShot=True, interval=1000)
        self._team_list_timer.timeout.connect(lambda: self.team_panel.model.refresh(self.clock()))
        self.live.teamsChanged.connect(lambda: self._team_list_timer.isActive() or self._team_list_timer.start())
        self.live.feedChanged.connect(self.feed_panel.show_state)
        self.live.followMoved.connect(lambda x, y: self.canvas.set_view(x, y, self.canvas.view().resolution))
        self.live.casesChanged.connect(self._on_cases)
        self.live.tick_signal.connect(lambda now: None if self.replaying else self.case_board.tick(now))
        self.refresh_cases()
        if self.live_enabled:
            self.live.start()
            if self.demo or QSettings().value("feed/listen_in_console", False, type=bool):
                self.act_listen.setChecked(True)
            if self.demo:
                self.act_simulate.setChecked(True)
        self.ready = True
        self.layersLoaded.emit()

    # --- dispatch -----------------------------------------------------------------------------------
    def choose_on_duty(self) -> str:
        from PySide6.QtWidgets import QInputDialog
        from data.cases.dispatch import staff_names
        names = staff_names(self.store)
        current = names.index(self.on_duty) if self.on_duty in names else 0
        name, ok = QInputDialog.getItem(self, self.tr("On duty"), self.tr("Who is on duty at this console?"), names, current, False)
        if ok and name:
            self.set_on_duty(name)
        return self.on_duty

    def set_on_duty(self, name: str) -> None:
        """Every case event records this person (so 'verified by someone else' holds)."""
        self.on_duty = name
        QSettings().setValue("duty/person", name)
        self.act_on_duty.setText(self.tr("On duty: %1 (change…)").replace("%1", name))
        self.status_message.setText(self.tr("On duty: %1").replace("%1", name))

    def _require_on_duty(self) -> bool:
        return bool(self.on_duty or self.choose_on_duty())

    def _on_context(self, x: float, y: float, global_pos) -> None:
        from PySide6.QtWidgets import QMenu
        menu = QMenu(self)
        menu.setObjectName("mapContextMenu")
        menu.addAction(self.tr("New incident here…"), lambda: self.new_incident_at(x, y))
        self.context_menu = menu
        menu.popup(global_pos)

    def _new_incident_at_centre(self) -> None:
        v = self.canvas.view()
        self.new_incident_at(v.cx, v.cy)

    def new_incident_at(self, x: float, y: float) -> IncidentDialog | None:
        """Open the incident form for a map point (non-modal; on OK the case is logged)."""
        from data.cases.dispatch import cameras_seeing, locate, possible_duplicates
        if not self._require_on_duty():
            return None
        lon, lat = (float(v) for v in self.projection.xy_to_lonlat(x, y))
        now = self.clock()
        place = locate(self.store, lon, lat, now)
        dlg = IncidentDialog(place, cameras_seeing(self.store, lon, lat), self.lang,
                             duplicates_for=lambda cat: possible_duplicates(self.store, lon, lat, cat, self.clock()), parent=self)
        dlg.accepted.connect(lambda: self.create_incident(place, dlg.values()))
        self.incident_dialog = dlg
        dlg.open()
        return dlg

    def create_incident(self, place, values: dict):
        from data.cases.dispatch import CaseError, create_incident
        try:
            inc = create_incident(self.store, lon=place.lon, lat=place.lat, actor=self.on_duty, at=self.clock(), **values)
        except CaseError as exc:
            self._refused(str(exc))
            return None
        self.refresh_cases()
        target = values.get("duplicate_of") or inc.id
        self.status_message.setText(self.tr("Logged %1").replace("%1", inc.case_no) +
                                    (self.tr(" (outside jurisdiction)") if place.outside else ""))
        self.case_board.select_case(target)
        self.show_case(target)
        return inc

    def _refused(self, message: str) -> None:
        """Say what was refused and why, in a message box that does not block the live map."""
        self.status_message.setText(message)
        box = QMessageBox(QMessageBox.Warning, self.tr("Not done"), message, QMessageBox.Ok, self)
        box.setObjectName("refusal")
        self.last_refusal = box
        box.open()

    def refresh_cases(self) -> None:
        from data.cases.dispatch import open_cases
        from data.snapshot import load_incidents
        now = self.clock()
        self._on_cases(open_cases(self.store, now), load_incidents(self.store, now))

    def _on_cases(self, rows, incidents) -> None:
        if getattr(self, "replaying", False):
            return  # the board shows the replay's time until the replay ends
        self.case_board.set_cases(rows, self.clock())
        if incidents is not None:
            self.canvas.set_layer_features("incidents", incidents)
            ids = list(incidents.column("id"))
            if self.current_case in ids:  # keep the case being worked on highlighted
                self.canvas.selection = (self.canvas.layer("incidents"), ids.index(self.current_case))
        if self.current_case is not None:
            self._refresh_case_detail()

    def recommender(self):
        if self._recommender is None:
            from data.routing.recommender import Recommender
            self._recommender = Recommender(self.store)
        return self._recommender

    def show_case(self, incident_id: int | None) -> None:
        """Show a case: its details, timeline and actions, its pin highlighted, the teams ranked."""
        self.current_case = incident_id
        if incident_id is None:
            self.canvas.highlighted_teams = set()
            self.dispatch_panel.show_case(None, [], None, [])
            return
        self._refresh_case_detail()
        row = self.dispatch_panel.row
        if row is None:
            return
        layer = self.canvas.layer("incidents")
        ids = list(layer.features.column("id")) if layer else []
        if incident_id in ids:
            self.canvas.selection = (layer, ids.index(incident_id))
        x, y = (float(v) for v in self.projection.lonlat_to_xy(row.lon, row.lat))
        self.canvas.highlighted_teams = set(row.teams)  # the teams on this case, ringed on the map
        self.canvas.set_view(x, y, min(self.canvas.view().resolution, 2.0))
        self.dock_dispatch.raise_()
        self.recommend_for_case()

    def _refresh_case_detail(self) -> None:
        from data.cases.dispatch import case_timeline, nearby_history
        row = next((r for r in self.case_board.rows if r.id == self.current_case), None)
        events = case_timeline(self.store, self.current_case) if self.current_case else []
        stage_events = [e for e in events if e.from_stage != e.to_stage or e.action == "dispatch"]
        stage = stage_events[-1].to_stage if stage_events else None
        if row is None and self.current_case is not None:
            from data.cases.dispatch import CaseRow
            from data.store import models as _m
            with self.store.session() as s:
                i = s.get(_m.Incident, self.current_case)
            if i is not None:
                row = CaseRow(i.id, i.case_no, i.category, i.subcategory, i.priority, i.source, i.grid_code, i.community_id,
                              i.reported_at, stage, events[-1].t if events else i.reported_at, (), i.geom.x, i.geom.y,
                              i.description)
        history = nearby_history(self.store, self.current_case) if row is not None else []
        self.dispatch_panel.show_case(row, events, stage, history)

    def recommend_for_case(self):
        row = self.dispatch_panel.row
        if row is None:
            return None
        x, y = (float(v) for v in self.projection.lonlat_to_xy(row.lon, row.lat))
        # Positions and busy teams as the map shows them (kept live in memory): no store reads.
        teams = self.canvas.layer("teams")
        positions = None
        if teams is not None:
            positions = {tid: (float(xy[0]), float(xy[1]), last)
                         for tid, xy, last, from_fix in zip(teams.features.column("id"), teams.xy,
                                                            teams.features.column("last_fix"), teams.features.column("from_fix"))
                         if from_fix and last is not None}
        busy = dict(self.live.busy) if self.live is not None else None
        rec = self.recommender().recommend(x, y, row.category, row.grid_code, self.clock(), positions=positions, busy=busy)
        self.dispatch_panel.show_recommendation(rec)
        self._recommendation_case = row.id
        if rec.candidates:
            self.draw_route(rec.candidates[0].team_id)
        else:
            self.draw_route(None)
        return rec

    def draw_route(self, team_id: int | None) -> None:
        layer = self.canvas.layer("route")
        rec = self.dispatch_panel.recommendation
        if layer is None:
            return
        cand = next((c for c in rec.candidates if c.team_id == team_id), None) if rec and team_id is not None else None
        if cand is None:
            layer.set_path(None)
        else:
            g = self.recommender().graph
            layer.set_path(g.route(g.snap(cand.x, cand.y), rec.target, drive=cand.transport != "foot"))
        self.canvas.update()

    def assign_team(self, team_id: int, confirm_reassign: bool | None = None) -> bool:
        from data.cases.dispatch import CaseError, transition
        from data.routing.recommender import record_recommendation
        if self.current_case is None or not self._require_on_duty():
            return False
        rec = self.dispatch_panel.recommendation
        try:
            transition(self.store, self.current_case, "dispatch", self.on_duty, team_id=team_id, at=self.clock())
        except CaseError as exc:
            if "confirm to reassign" not in str(exc):
                self._refused(str(exc))
                return False
            if confirm_reassign is None:
                confirm_reassign = QMessageBox.question(self, self.tr("Reassign team?"), str(exc)) == QMessageBox.Yes
            if not confirm_reassign:
                return False
            transition(self.store, self.current_case, "dispatch", self.on_duty, team_id=team_id, at=self.clock(), reassign=True)
        if rec is not None:
            record_recommendation(self.store, self.current_case, rec)
        self.canvas.highlighted_teams.add(team_id)
        self.draw_route(team_id)
        if self.live is not None:
            self.live.busy[team_id] = "dispatched"
            self.live.tick()
        self.refresh_cases()
        self.status_message.setText(self.tr("Team dispatched"))
        return True

    def _on_action_requested(self, action: str) -> None:
        from PySide6.QtWidgets import QInputDialog
        from data.cases.dispatch import staff_names
        kw = {}
        row = self.dispatch_panel.row
        if action == "resolve":
            if row is not None and row.category == "dispute":
                items = [self.tr("Mediated successfully"), self.tr("Mediation failed")]
                choice, ok = QInputDialog.getItem(self, action_label(action), self.tr("Result"), items, 0, False)
                if not ok:
                    return
                kw["result"] = "mediated" if choice == items[0] else "not_mediated"
            else:
                kw["result"] = "done"
        elif action == "extend":
            others = [n for n in staff_names(self.store) if n != self.on_duty]
            name, ok = QInputDialog.getItem(self, action_label(action), self.tr("Approved by"), others, 0, False)
            if not ok:
                return
            kw["approved_by"] = name
        elif action in ("void", "return", "send_back", "park"):
            note, ok = QInputDialog.getText(self, action_label(action), self.tr("Reason"))
            if not ok:
                return
            kw["note"] = note
        self.act_on_case(action, **kw)

    def act_on_case(self, action: str, **kw) -> bool:
        """Take an action on the current case as the person on duty; a refusal is shown, not raised."""
        from data.cases.dispatch import CaseError, transition
        if self.current_case is None or not self._require_on_duty():
            return False
        try:
            transition(self.store, self.current_case, action, self.on_duty, at=self.clock(), **kw)
        except CaseError as exc:
            self._refused(str(exc))
            return False
        self.refresh_cases()
        self.status_message.setText(action_label(action))
        return True

    # --- replay ---------------------------------------------------------------------------------------
    def enter_replay(self, panel) -> None:
        """The map, the case board and the team list now show the replay's time t (read-only);
        live fixes keep being recorded, and the map returns to them on leaving."""
        from sqlalchemy import select
        from data.store import models as m
        from data.snapshot import load_teams
        idx = panel.index
        self.replaying = True
        self.dock_replay.show()
        if self.live is not None:
            self.live.paused = True
        self.dispatch_panel.setEnabled(False)
        self._replay_home = load_teams(self.store, idx.start)
        with self.store.session() as s:
            incs = s.scalars(select(m.Incident).where(m.Incident.reported_at >= idx.start - timedelta(days=30),
                                                      m.Incident.reported_at <= idx.end)).all()
        self._replay_incidents = {i.id: i for i in incs}
        trails = self.canvas.layer("trails")
        if trails is not None:
            self._live_trails = trails.trails
            trails.trails = ReplayTrails(idx, self._live_trails.window)
        self._replay_grid_set = None

    def show_replay_state(self, idx, t: datetime) -> None:
        from data.cases.dispatch import CaseRow
        from data.snapshot import FeatureTable, grid_set_in_force, load_grids
        busy = idx.busy_at(t)
        state = idx.teams_at(t, busy)
        teams = self.canvas.layer("teams")
        if teams is not None:
            home = self._replay_home
            hx = shapely.get_coordinates(home.geoms)
            xs = np.where(np.isnan(state.x), hx[:, 0], state.x)
            ys = np.where(np.isnan(state.y), hx[:, 1], state.y)
            teams.move(state.team_id, xs, ys)
            now_s = t.timestamp()
            for k in range(len(state.team_id)):
                teams.features.attrs["status"][k] = state.status[k]
                last = state.last_t[k]
                teams.features.attrs["last_fix"][k] = None if np.isnan(last) else datetime.fromtimestamp(last, tz=timezone.utc)
                age = None if np.isnan(last) else now_s - last
                teams.features.attrs["stale"][k] = age is not None and 120 < age <= 600
        trails = self.canvas.layer("trails")
        if trails is not None and isinstance(trails.trails, ReplayTrails):
            trails.trails.t = t
            trails.now = t
            trails.version += 1
        stages = idx.stages_at(t)
        rows, pts, attrs = [], [], {k: [] for k in ("id", "case_no", "category", "subcategory", "priority", "source",
                                                    "description", "reported_at", "grid_code", "stage", "stage_since")}
        for iid, (stage, since, tids) in stages.items():
            inc = self._replay_incidents.get(iid)
            if inc is None or inc.reported_at > t:
                continue
            closed_long_ago = stage in ("closed", "voided") and t.timestamp() - since > 86400
            if closed_long_ago:
                continue
            since_dt = datetime.fromtimestamp(since, tz=timezone.utc)
            for k, v in (("id", iid), ("case_no", inc.case_no), ("category", inc.category), ("subcategory", inc.subcategory),
                         ("priority", inc.priority), ("source", inc.source), ("description", inc.description),
                         ("reported_at", inc.reported_at), ("grid_code", inc.grid_code), ("stage", stage), ("stage_since", since_dt)):
                attrs[k].append(v)
            pts.append((inc.geom.x, inc.geom.y))
            if stage not in ("closed", "voided"):
                rows.append(CaseRow(iid, inc.case_no, inc.category, inc.subcategory, inc.priority, inc.source, inc.grid_code,
                                    inc.community_id, inc.reported_at, stage, since_dt, tids, inc.geom.x, inc.geom.y,
                                    inc.description))
        if pts:
            x, y = self.projection.lonlat_to_xy(np.array([p[0] for p in pts]), np.array([p[1] for p in pts]))
            geoms = shapely.points(np.atleast_1d(x), np.atleast_1d(y))
        else:
            geoms = np.array([], dtype=object)
        self.canvas.set_layer_features("incidents", FeatureTable(geoms, attrs))
        self.case_board.set_cases(rows, t)
        self.case_board.tick(t)
        self.team_panel.model.refresh(t)
        gs = grid_set_in_force(self.store, t)
        gid = gs.id if gs else None
        if gid != self._replay_grid_set:
            self._replay_grid_set = gid
            self.show_grids(load_grids(self.store, t))
        self.canvas.update()

    def leave_replay(self) -> None:
        """Back to live: positions, trails, cases and grids as they are now."""
        from data.snapshot import load_teams
        from layers.patrols import TeamLayer
        self.replaying = False
        trails = self.canvas.layer("trails")
        if trails is not None and getattr(self, "_live_trails", None) is not None:
            trails.trails = self._live_trails
            trails.version += 1
        now = self.clock()
        new_teams = TeamLayer(load_teams(self.store, now))
        self.canvas.set_layers([new_teams if lyr.name == "teams" else lyr for lyr in self.canvas.layers])
        self.team_panel.model.set_layer(new_teams)
        self.reload_grids()
        self.refresh_cases()
        if self.live is not None:
            self.live.paused = False
            self.live.tick()
        self.dispatch_panel.setEnabled(True)
        self.dock_replay.hide()

    # --- live feed ------------------------------------------------------------------------------
    def _listening_at(self) -> str | None:
        if self.live is None or self.live.listener is None:
            return None
        return f"{self.live.listener.settings.host}:{self.live.listener.port}"

    def _toggle_listener(self, on: bool) -> None:
        if self.live is None:
            return
        if on:
            listen = str(QSettings().value("feed/listen", "127.0.0.1:5055"))
            host, _, port = listen.rpartition(":")
            try:
                where = self.live.start_listener(host or "127.0.0.1", int(port or 5055), fallback_port=self.demo)
            except (OSError, ValueError) as exc:
                self.act_listen.blockSignals(True)
                self.act_listen.setChecked(False)
                self.act_listen.blockSignals(False)
                QMessageBox.warning(self, self.tr("GridWatch"),
                                    self.tr("Cannot listen for trackers on %1: %2").replace("%1", listen).replace("%2", str(exc)))
                return
            self.status_message.setText(self.tr("Listening for trackers on %1").replace("%1", where))
        else:
            self.act_simulate.setChecked(False)
            self.live.stop_listener()
        if not self.demo:
            QSettings().setValue("feed/listen_in_console", on)
        self.feed_panel.set_listening(self._listening_at())

    def _toggle_simulator(self, on: bool) -> None:
        if self.live is None:
            return
        if on:
            if self.live.listener is None:
                self.act_listen.setChecked(True)
            if self.live.listener is None:
                self.act_simulate.setChecked(False)
                return
            self.live.start_simulator()
        else:
            self.live.stop_simulator()

    def _on_team_chosen(self, row: int) -> None:
        teams = self.canvas.layer("teams")
        if teams is None:
            return
        x, y = teams.xy[row]
        self.canvas.set_view(x, y, min(self.canvas.view().resolution, 1.2))
        self.canvas.select(teams, row)

    def _on_follow(self, team_id) -> None:
        if self.live is not None:
            self.live.follow_team = team_id

    def _fill_layer_tree(self) -> None:
        tree = self.layer_tree
        tree.blockSignals(True)
        tree.clear()
        for layer in reversed(self.canvas.layers):  # topmost first, as GIS users expect
            item = QTreeWidgetItem([i18n.translate("layers", layer.title)])
            item.setData(0, Qt.UserRole, layer.name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(0, Qt.Checked if layer.visible else Qt.Unchecked)
            entries = layer.legend()
            if len(entries) == 1:
                item.setIcon(0, swatch_icon(entries[0].style))
            else:
                for e in entries:
                    child = QTreeWidgetItem([self.legend_label(e)])
                    child.setIcon(0, swatch_icon(e.style))
                    child.setFlags(Qt.ItemIsEnabled)
                    item.addChild(child)
            if layer.max_resolution is not None:
                item.setToolTip(0, self.tr("Shown when zoomed in to 1:%1 or closer")
                                .replace("%1", f"{layer.max_resolution / (0.0254 / 96):,.0f}"))
            tree.addTopLevelItem(item)
            item.setExpanded(layer.name in ("teams", "incidents"))
        tree.blockSignals(False)

    def _on_layer_item_changed(self, item: QTreeWidgetItem, _col: int) -> None:
        name = item.data(0, Qt.UserRole)
        if name:
            self.canvas.set_layer_visible(name, item.checkState(0) == Qt.Checked)

    def _move_layer(self, delta: int) -> None:
        item = self.layer_tree.currentItem()
        if item is None:
            return
        if item.parent() is not None:
            item = item.parent()
        names_top_first = [self.layer_tree.topLevelItem(i).data(0, Qt.UserRole) for i in range(self.layer_tree.topLevelItemCount())]
        i = names_top_first.index(item.data(0, Qt.UserRole))
        j = i + delta
        if not 0 <= j < len(names_top_first):
            return
        names_top_first[i], names_top_first[j] = names_top_first[j], names_top_first[i]
        self.canvas.set_layer_order(list(reversed(names_top_first)))
        self._fill_layer_tree()
        self.layer_tree.setCurrentItem(self.layer_tree.topLevelItem(j))

    def tree_title(self, layer_name: str) -> str | None:
        """The title the layer panel shows for a layer (tests, accessibility)."""
        for i in range(self.layer_tree.topLevelItemCount()):
            item = self.layer_tree.topLevelItem(i)
            if item.data(0, Qt.UserRole) == layer_name:
                return item.text(0)
        return None

    # --- feature panel and search ---------------------------------------------------------------
    def show_grids(self, grids) -> None:
        """Put a grid set on the map: its grids, and the communities outlined from them."""
        from data.snapshot import community_outlines
        self.canvas.set_layer_features("grids", grids)
        self.canvas.set_layer_features("communities", community_outlines(grids))

    def reload_grids(self) -> None:
        """Show the grid set in force again (after leaving planner mode or publishing)."""
        from data.snapshot import load_grids
        self.show_grids(load_grids(self.store, self.clock()))

    def _on_feature(self, layer: MapLayer | None, index: int | None) -> None:
        if layer is not None and layer.name == "grids":
            self.planner_panel.select_grid(index)
        self._selected = (layer, index) if layer is not None else None
        t = self.feature_table
        t.setRowCount(0)
        if layer is None:
            return
        rows = [(self.tr("Layer"), i18n.translate("layers", layer.title))]
        rows += [(i18n.translate("fields", k), self.tr_value(v)) for k, v in layer.attributes(index)]
        t.setRowCount(len(rows))
        for r, (k, v) in enumerate(rows):
            t.setItem(r, 0, QTableWidgetItem(k))
            t.setItem(r, 1, QTableWidgetItem(v))
        t.resizeRowsToContents()

    def _build_search_index(self) -> None:
        self._search_index = []
        for name in ("grids", "cameras", "teams", "incidents"):
            layer = self.canvas.layer(name)
            if layer is None:
                continue
            for i in range(len(layer.features)):
                keys = layer.search_keys(i)
                if keys:
                    self._search_index.append((" ".join(dict.fromkeys(keys)), name, i))
        completer = QCompleter([t for t, _, _ in self._search_index], self)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        completer.setMaxVisibleItems(15)
        completer.activated.connect(self.find)
        self.search.setCompleter(completer)

    def find(self, text: str) -> bool:
        """Zoom to and select the first grid/camera/team/case whose code or name contains `text`."""
        q = text.strip().lower()
        if not q:
            return False
        exact = [e for e in self._search_index if e[0].lower() == q]
        starts = [e for e in self._search_index if any(k.lower().startswith(q) for k in e[0].split(" "))]
        contains = [e for e in self._search_index if q in e[0].lower()]
        hits = exact or starts or contains
        if not hits:
            self.status_message.setText(self.tr("Nothing matches “%1”").replace("%1", text.strip()))
            return False
        _, name, i = hits[0]
        layer = self.canvas.layer(name)
        g = layer.features.geoms[i] if name != "teams" else shapely.Point(*layer.xy[i])
        if g.geom_type == "Point":
            self.canvas.set_view(g.x, g.y, min(self.canvas.view().resolution, 0.6))
        else:
            self.canvas.zoom_to(shapely.bounds(g).tolist(), margin=0.25)
        self.canvas.select(layer, i)
        self.status_message.setText(self.tr("Found %1").replace("%1", hits[0][0]))
        return True

    # --- status bar -----------------------------------------------------------------------------
    def _on_cursor(self, x: float, y: float) -> None:
        lon, lat = self.projection.xy_to_lonlat(x, y)
        self.status_coords.setText(f"{float(lon):.6f}°E  {float(lat):.6f}°N")

    def _on_view(self, view) -> None:
        self.status_scale.setText(self.tr("Scale 1:%1").replace("%1", f"{view.scale_denominator():,.0f}"))

    # --- settings -------------------------------------------------------------------------------
    def _settings_key(self) -> str:
        return "extent/" + (str(self.store.path).replace("/", "|") if self.store.path else "store")

    def _restore_settings(self) -> None:
        s = QSettings()
        geo = s.value("window/geometry")
        if geo is not None:
            self.restoreGeometry(geo)
        state = s.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _restore_extent(self) -> bool:
        v = QSettings().value(self._settings_key())
        try:
            cx, cy, res = (float(x) for x in v)
        except (TypeError, ValueError):
            return False
        self.canvas.set_view(cx, cy, res)
        return True

    def save_settings(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self.ready:
            v = self.canvas.view()
            s.setValue(self._settings_key(), [v.cx, v.cy, v.resolution])
        s.sync()

    def closeEvent(self, event) -> None:
        self.save_settings()
        if self.live is not None:
            self.live.stop()
        self._loader.thread.join(5)
        super().closeEvent(event)

    def wait_ready(self, timeout_ms: int = 20000) -> bool:
        from PySide6.QtCore import QCoreApplication, QElapsedTimer
        t = QElapsedTimer()
        t.start()
        while not self.ready and t.elapsed() < timeout_ms:
            self._loader.thread.join(0.02)
            QCoreApplication.processEvents()
        return self.ready and self.canvas.wait_rendered(max(1000, timeout_ms - t.elapsed()))
