"""The Patrol dock (巡逻覆盖): whether the plans were walked, from the teams' own tracks. The alerts
of now on top (a route not started 15 minutes into its shift, a key area empty in its key hours),
checked every minute; below, coverage for a period, by duty window, team, grid or key plan. A duty
window chosen in the table is drawn on the map, walked against planned (layers/coverage.py).

Everything is read on Python threads (console/workers.py) from data/patrol/report.py; the dock only
shows the immutable answers.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
import numpy as np
import shapely
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from console import tables, workers
from console.messages import say
from data.domain import TEAM_KINDS, local_time
from data.messages import GridWatchError, Message
from data.patrol.report import LATE_START

log = logging.getLogger(__name__)

ALERT_EVERY_MS = 60_000  # the alerts are minutes-grained: a team 15 minutes late, a key area empty for 10
MISSED_COLOUR = QColor("#f4c7c3")  # a window under its target: what the supervisor reads first
ALERT_COLOUR = QColor("#b71c1c")
PERIODS = ("today", "yesterday", "this_week", "last_week", "this_month")
GROUPS = ("windows", "teams", "grids", "key", "plans")


def period_bounds(period: str, now: datetime) -> tuple[datetime, datetime]:
    """[start, end] of a period in office time (China), as UTC-aware datetimes; `now` ends the current ones."""
    local = local_time(now)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    monday = midnight - timedelta(days=midnight.weekday())
    spans = {"today": (midnight, local), "yesterday": (midnight - timedelta(days=1), midnight),
             "this_week": (monday, local), "last_week": (monday - timedelta(days=7), monday),
             "this_month": (midnight.replace(day=1), local)}
    a, b = spans[period]
    return a.astimezone(now.tzinfo), b.astimezone(now.tzinfo)


class PatrolPanel(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.w = window
        self.store = window.store
        self.report = None  # the coverage shown (data.patrol.report.CoverageReport)
        self.alerts: list = []  # data.patrol.report.PatrolAlert, as of the last check
        self.team_labels: dict[int, str] = {}
        self.plan_list: list = []  # data.patrol.plans.Plan, with the coverage
        self.plan_exceptions: dict = {}
        self._asked: tuple | None = None  # the period last asked for: a late answer for another is dropped
        self._jobs = workers.Jobs(self, "patrol", self._on_done)
        self.alerts_title = QLabel(self)
        self.alert_list = QListWidget(self)
        self.alert_list.setObjectName("patrolAlerts")
        self.alert_list.setMaximumHeight(72)
        self.period = QComboBox(self)
        self.period.setObjectName("patrolPeriod")
        self.period.addItems([""] * len(PERIODS))
        self.group = QComboBox(self)
        self.group.setObjectName("patrolGroup")
        self.group.addItems([""] * len(GROUPS))
        self.refresh_button = QPushButton(self)
        self.refresh_button.setObjectName("patrolRefresh")
        self.draw_button = QPushButton(self)
        self.draw_button.setObjectName("patrolDraw")
        self.exception_button = QPushButton(self)  # a day off a plan's pattern: the plan chosen in the Plans view
        self.exception_button.setObjectName("patrolException")
        self.exception_button.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addWidget(self.group)
        top.addStretch(1)
        top.addWidget(self.exception_button)
        top.addWidget(self.draw_button)
        top.addWidget(self.refresh_button)
        # Drawing a plan (console/plan_draw.py): shown while the tool is on the map.
        from console.plan_draw import RouteDrawTool
        self.tool = RouteDrawTool(window.canvas, self)
        self.draw_bar = QWidget(self)
        self.draw_hint = QLabel(self.draw_bar)
        self.draw_hint.setWordWrap(True)
        self.shape = QComboBox(self.draw_bar)
        self.shape.setObjectName("patrolShape")
        self.shape.addItems(["", ""])
        self.shortest = QCheckBox(self.draw_bar)
        self.shortest.setObjectName("patrolShortest")
        self.shortest.setChecked(True)
        self.save_plan_button = QPushButton(self.draw_bar)
        self.save_plan_button.setObjectName("patrolSavePlan")
        self.cancel_draw_button = QPushButton(self.draw_bar)
        self.cancel_draw_button.setObjectName("patrolCancelDraw")
        bar = QHBoxLayout(self.draw_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.draw_hint, 1)
        bar.addWidget(self.shape)
        bar.addWidget(self.shortest)
        bar.addWidget(self.save_plan_button)
        bar.addWidget(self.cancel_draw_button)
        self.draw_bar.hide()
        self.table = QTableWidget(0, 0, self)
        self.table.setObjectName("patrolCoverage")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setSortingEnabled(True)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.alerts_title)
        lay.addWidget(self.alert_list)
        lay.addLayout(top)
        lay.addWidget(self.draw_bar)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.message)
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.group.currentIndexChanged.connect(lambda _i: self._show())
        self.refresh_button.clicked.connect(self.refresh)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.draw_button.clicked.connect(self.start_drawing)
        self.exception_button.clicked.connect(self.open_exception_dialog)
        self.cancel_draw_button.clicked.connect(self.stop_drawing)
        self.save_plan_button.clicked.connect(self.open_plan_dialog)
        self.shortest.toggled.connect(lambda _on: self._propose())
        self.shape.currentIndexChanged.connect(self._shape_chosen)
        self.tool.changed.connect(self._propose)
        self.tool.finished.connect(self.open_plan_dialog)
        self.tool.cancelled.connect(self.stop_drawing)
        self.alert_timer = QTimer(self)
        self.alert_timer.setInterval(ALERT_EVERY_MS)
        self.alert_timer.timeout.connect(self.check_alerts)
        self.alert_timer.start()
        self.retranslate()

    # --- reading ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Coverage of the chosen period, and the alerts of now."""
        from data.patrol.plans import exceptions, plans
        from data.patrol.report import coverage, team_labels
        start, end = period_bounds(PERIODS[self.period.currentIndex()], self.w.clock())
        store = self.store
        self._asked = (start, end)
        if not self.message.text():  # what saving a plan just said stays
            self.message.setText(self.tr("Measuring the plans from the tracks…"))
        self._jobs.run("coverage", lambda: (start, end, coverage(store, start, end, so_far=True), team_labels(store),
                                            plans(store), exceptions(store)))
        self.check_alerts()

    def check_alerts(self) -> None:
        from data.patrol.report import alerts
        store, now = self.store, self.w.clock()
        self._jobs.run("alerts", lambda: alerts(store, now))

    def wait(self, timeout: float = 60) -> bool:
        return self._jobs.wait(timeout)

    def _on_done(self, what: str, result, error) -> None:
        if error is not None:
            self.message.setText(say(error, self.w.lang))  # a refusal translated, a failure as its line
            return
        if what == "coverage":
            start, end, report, labels, plan_list, excepted = result
            if (start, end) != self._asked:
                return  # an older period's answer after the user chose another
            self.report, self.team_labels, self.plan_list, self.plan_exceptions = report, labels, plan_list, excepted
            if self.message.text() == self.tr("Measuring the plans from the tracks…"):
                self.message.setText("")
            self._show()
        elif what == "alerts":
            self.alerts = result
            self._show_alerts()
        elif what == "route":
            points, route, order = result
            self.tool.propose(points, route, order)
            if points == self.tool.points:
                self.draw_hint.setText(self.tr("{n} checkpoints, {km:.2f} km along the streets. Click more, or save.")
                                       .format(n=len(points), km=route.length / 1000))
        elif what == "map":
            layer = self.w.canvas.layer("coverage")
            layer.show(result)
            self.w.canvas.set_layer_visible("coverage", True)
            x0, y0, x1, y1 = result.extent()
            if x1 > x0 or y1 > y0:
                self.w.canvas.zoom_to((x0, y0, x1, y1), margin=0.15)

    # --- showing -----------------------------------------------------------------------------------

    def _show_alerts(self) -> None:
        self.alert_list.clear()
        for a in self.alerts:
            text = say(Message(a.code, {"plan": a.plan_name}), self.w.lang)
            item = QListWidgetItem(f"⚠ {local_time(a.since):%H:%M}  {text}")
            item.setForeground(ALERT_COLOUR)
            item.setData(Qt.UserRole, a.plan_id)
            self.alert_list.addItem(item)
        if not self.alerts:
            self.alert_list.addItem(self.tr("No alerts: every plan on duty now has started."))
        self.w.show_patrol_alerts(len(self.alerts))

    def _teams(self, ids) -> str:
        return ", ".join(self.team_labels.get(t, str(t)) for t in ids)

    def _show(self) -> None:
        rep = self.report
        if rep is None:
            return
        group = GROUPS[self.group.currentIndex()]
        pct = lambda v: f"{v:.0f}%"  # noqa: E731
        late_now: dict[int, bool] = {}
        if group == "windows":
            heads = [self.tr("Plan"), self.tr("Team"), self.tr("Duty window"), self.tr("Coverage"), self.tr("Target"),
                     self.tr("Checkpoints"), self.tr("Started"), self.tr("Gaps")]
            rows = []
            for w in rep.windows:
                started = local_time(w.started_at).strftime("%H:%M") if w.started_at else self.tr("not started")
                if w.started_at and w.late_start:
                    started += " " + self.tr("(late)")
                cps = f"{w.reached}/{w.checkpoints}" if w.checkpoints else ("—" if w.kind != "stakeout" else
                                                                             self.tr("held {m} min").format(m=round(w.dwell_s / 60)))
                state = self.tr("in progress") if w.in_progress else ""
                span = f"{local_time(w.start):%m-%d %H:%M}–{local_time(w.end):%H:%M}" + (f" ({state})" if state else "")
                rows.append(([("★ " if w.key else "") + w.plan_name, self._teams(w.team_ids), span, (w.pct, pct(w.pct)),
                              pct(w.target_pct), cps, started, str(len(w.gaps))], not w.met and not w.in_progress,
                             ("window", w.plan_id, w.start, w.end)))
                # Still running and not started past its grace: the alert's window, in the alert's colour.
                late_now[len(rows) - 1] = w.in_progress and w.started_at is None and w.end - w.start >= LATE_START
        elif group == "plans":
            heads = [self.tr("Plan"), self.tr("Kind"), self.tr("Team"), self.tr("Days"), self.tr("Hours"), self.tr("Target"),
                     self.tr("Valid"), self.tr("Days off the pattern")]
            kinds = {"route": self.tr("Route"), "area": self.tr("Area"), "stakeout": self.tr("Stake-out")}
            rows = []
            for p in self.plan_list:
                team = self.team_labels.get(p.team_id, "") if p.team_id is not None else \
                    self.tr("Every team: {kind}").format(kind=TEAM_KINDS[p.team_kind].label(self.w.lang))
                days = " ".join(self._day_names()[int(d) - 1] for d in p.days)
                hours = f"{p.start_min // 60:02d}:{p.start_min % 60:02d}–{p.end_min // 60:02d}:{p.end_min % 60:02d}"
                valid = f"{p.valid_from.isoformat()} – {p.valid_to.isoformat() if p.valid_to else ''}"
                off = sorted(d for (pid, d) in self.plan_exceptions if pid == p.id)
                rows.append(([("★ " if p.key else "") + p.name, kinds[p.kind], team, days, hours, pct(p.target_pct), valid,
                              ", ".join(d.strftime("%m-%d") for d in off)], False, ("plan", p.id)))
        else:
            by = {"teams": "team", "grids": "grid", "key": "key"}[group]
            heads = [{"team": self.tr("Team"), "grid": self.tr("Grid"), "key": self.tr("Key plan")}[by], self.tr("Windows"),
                     self.tr("Met"), self.tr("Coverage"), self.tr("Walked km")]
            rows = [([name, str(g["windows"]), str(g["met"]), (g["pct"], pct(g["pct"])), f"{g['walked_m'] / 1000:.2f}"],
                     g["met"] < g["windows"], None) for name, g in rep.ranked(by, self.team_labels)]
        state = tables.pause(self.table)
        self.table.clearContents()
        self.table.setColumnCount(len(heads))
        self.table.setHorizontalHeaderLabels(heads)
        self.table.setRowCount(len(rows))
        self.exception_button.setEnabled(False)  # until a plan is chosen in the Plans view
        for r, (cells, short, key) in enumerate(rows):
            for c, value in enumerate(cells):
                item = QTableWidgetItem()
                if isinstance(value, tuple):  # a percentage: sorted by its number
                    item.setData(Qt.EditRole, round(value[0], 1))
                    item.setData(Qt.DisplayRole, value[1])
                else:
                    item.setText(value)
                if short:
                    item.setBackground(MISSED_COLOUR)
                if late_now.get(r):
                    item.setForeground(ALERT_COLOUR)
                if c == 0 and key is not None:
                    item.setData(Qt.UserRole, key)
                self.table.setItem(r, c, item)
        for c in range(len(heads)):
            self.table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeToContents)
        tables.resume(self.table, state)
        done = [w for w in rep.windows if not w.in_progress]
        met = sum(w.met for w in done)
        self.summary.setText(self.tr("{n} duty windows ended in the period, {met} met their target ({pct}). "
                                     "Running now: {running}.").format(
            n=len(done), met=met, pct=pct(100.0 * met / len(done)) if done else "—",
            running=sum(w.in_progress for w in rep.windows)))

    def _chosen(self) -> None:
        """A duty window chosen: drawn on the map, walked against planned."""
        from data.patrol.report import on_map
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return
        item = self.table.item(rows[0].row(), 0)
        key = item.data(Qt.UserRole) if item is not None else None
        self.exception_button.setEnabled(bool(key) and key[0] == "plan")
        if not key or key[0] != "window":
            return
        _what, plan_id, start, end = key
        store = self.store
        self._jobs.run("map", lambda: on_map(store, plan_id, start, end))

    def _day_names(self) -> tuple[str, ...]:
        return (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"), self.tr("Sun"))

    # --- a day off a plan's pattern (an exception: cancelled, or other hours) ---------------------------

    def open_exception_dialog(self):
        """For the plan chosen in the Plans view: a day cancelled (a holiday) or on other hours (an event)."""
        from console.plan_draw import ExceptionDialog
        rows = self.table.selectionModel().selectedRows()
        key = self.table.item(rows[0].row(), 0).data(Qt.UserRole) if rows else None
        if not key or key[0] != "plan":
            return None
        plan = next(p for p in self.plan_list if p.id == key[1])
        dlg = ExceptionDialog(plan.name, local_time(self.w.clock()).date(), plan.start_min, plan.end_min, self)
        dlg.buttons.accepted.connect(lambda: self._save_exception(dlg, plan.id))
        self.exception_dialog = dlg
        dlg.open()
        return dlg

    def _save_exception(self, dlg, plan_id: int) -> None:
        from data.patrol.plans import add_exception
        cancelled = dlg.cancelled.isChecked()
        try:
            add_exception(self.store, plan_id, dlg.day.date().toPython(), by=self.w.dispatch.signed_in, cancelled=cancelled,
                          start_min=None if cancelled else dlg.minutes(dlg.start),
                          end_min=None if cancelled else dlg.minutes(dlg.end), reason=dlg.reason.text().strip(),
                          at=self.w.clock())
        except GridWatchError as exc:
            dlg.message.setText(say(exc, self.w.lang))  # the dialog stays open: nothing chosen is lost
            return
        dlg.accept()
        self.message.setText(self.tr("{plan}: {day} is off the pattern.").format(plan=dlg.plan_name,
                                                                                 day=dlg.day.date().toPython().isoformat()))
        self.refresh()

    # --- drawing a plan ------------------------------------------------------------------------------

    def start_drawing(self) -> None:
        """The map takes clicks as checkpoints (planners and supervisors: the plan service checks)."""
        who = self.w.dispatch.signed_in
        if who is None or not who.may("patrol.plan"):
            self.message.setText(self.tr("Only a planner or a supervisor draws patrol plans: sign in as one."))
            return
        self.tool.start()
        self.w.canvas.setFocus()
        self.draw_bar.show()
        self.draw_button.setEnabled(False)
        self.draw_hint.setText(self.tr("Click the checkpoints on the map, each is put on its street; Backspace removes "
                                       "the last. One checkpoint makes a stake-out point."))

    def _shape_chosen(self, index: int) -> None:
        """A route along the streets, or an area's corners: the points placed so far stay."""
        self.tool.shape = ("route", "area")[index]
        self.shortest.setVisible(index == 0)
        self.tool.route = None
        self.tool.canvas.update()
        self._propose()

    def stop_drawing(self) -> None:
        self.tool.stop()
        self.draw_bar.hide()
        self.draw_button.setEnabled(True)

    def _propose(self) -> None:
        """The route through the checkpoints, along the streets, on a Python thread."""
        points = list(self.tool.points)
        if self.tool.shape == "area":
            n = len(points)
            self.draw_hint.setText(self.tr("{n} corners of the area. Click more, or save.").format(n=n) if n >= 3 else
                                   self.tr("Click the area's corners on the map (three at least)."))
            return
        if len(points) < 2:
            if points:
                self.draw_hint.setText(self.tr("1 checkpoint: a stake-out point, or click more for a route."))
            return
        from data.patrol.plans import route_through
        store, shortest, dispatch = self.store, self.shortest.isChecked(), self.w.dispatch

        def job():
            # Dispatch's road graph (built once for the console, here if dispatch has not needed it yet).
            graph = dispatch.recommender().graph
            route, order = route_through(store, np.asarray(points), closed=True, shortest=shortest, graph=graph)
            return points, route, order
        self._jobs.run("route", job)

    def open_plan_dialog(self):
        """The plan's details, once its checkpoints are placed (and its route proposed)."""
        from console.plan_draw import PlanDialog
        from data.domain import TEAM_KINDS
        pts = self.tool.points
        area = self.tool.shape == "area"
        if (area and len(pts) < 3) or not pts or (not area and len(pts) > 1 and self.tool.route is None):
            self.draw_hint.setText(self.tr("Click the area's corners on the map (three at least).") if area else
                                   self.tr("Place the checkpoints first, and wait for the route to be proposed."))
            return None
        kind = "area" if area else "route" if len(pts) > 1 else "stakeout"
        teams = sorted(self.team_labels.items(), key=lambda kv: kv[1])  # read with the coverage, off this thread
        kinds = [(code, self.tr("Every team: {kind}").format(kind=term.label(self.w.lang))) for code, term in TEAM_KINDS.items()]
        dlg = PlanDialog(teams, kinds, kind, self.tool.route.length if kind == "route" else 0.0, self,
                         area_m2=shapely.Polygon(pts).area if area else 0.0)
        dlg.buttons.accepted.connect(lambda: self._save_plan(dlg))
        self.plan_dialog = dlg
        dlg.open()
        return dlg

    def _save_plan(self, dlg) -> None:
        from data.patrol.plans import add_plan, plans
        clock = self.w.clock()
        kind = dlg.kind
        geom = {"route": lambda: self.tool.route, "area": lambda: shapely.Polygon(self.tool.points),
                "stakeout": lambda: shapely.Point(self.tool.points[0])}[kind]()
        team_id, team_kind = dlg.chosen_team()
        try:
            pid = add_plan(self.store, name=dlg.name.text(), kind=kind, geom=geom, by=self.w.dispatch.signed_in,
                           start_min=dlg.minutes(dlg.start), end_min=dlg.minutes(dlg.end), valid_from=local_time(clock).date(),
                           team_id=team_id, team_kind=team_kind, days=dlg.chosen_days(), key=dlg.key.isChecked(),
                           target_pct=dlg.target.value(), checkpoints=self.tool.order if kind == "route" else None, at=clock)
        except GridWatchError as exc:
            dlg.message.setText(say(exc, self.w.lang))  # the dialog stays open: nothing typed is lost
            return
        dlg.accept()
        self.stop_drawing()
        self.w.canvas.layer("patrol_plans").set_plans(plans(self.store))
        self.w.canvas.set_layer_visible("patrol_plans", True)  # the new plan is seen where it was drawn
        self.message.setText(self.tr("Plan {name} saved (#{id}).").format(name=dlg.name.text().strip(), id=pid))
        self.refresh()

    def retranslate(self) -> None:
        self.alerts_title.setText(self.tr("Alerts now"))
        self.draw_button.setText(self.tr("Draw a plan…"))
        self.draw_button.setToolTip(self.tr("Draw a patrol route or stake-out point on the map, snapped to the streets"))
        self.shape.setItemText(0, self.tr("Route along the streets"))
        self.shape.setItemText(1, self.tr("Area (its corners)"))
        self.shortest.setText(self.tr("Shortest order"))
        self.shortest.setToolTip(self.tr("Visit the checkpoints in the order of the shortest closed tour by road"))
        self.save_plan_button.setText(self.tr("Save plan…"))
        self.cancel_draw_button.setText(self.tr("Cancel"))
        for i, text in enumerate((self.tr("Today"), self.tr("Yesterday"), self.tr("This week"), self.tr("Last week"),
                                  self.tr("This month"))):
            self.period.setItemText(i, text)
        self.exception_button.setText(self.tr("Day off the plan…"))
        self.exception_button.setToolTip(self.tr("Cancel the chosen plan on a day, or give it other hours that day"))
        for i, text in enumerate((self.tr("By duty window"), self.tr("By team"), self.tr("By grid"), self.tr("Key plans"),
                                  self.tr("Plans"))):
            self.group.setItemText(i, text)
        self.refresh_button.setText(self.tr("Refresh"))
        self.refresh_button.setToolTip(self.tr("Measure the plans again from the tracks"))
        self._show()
        if self.alerts is not None and self.alert_list.count():
            self._show_alerts()
