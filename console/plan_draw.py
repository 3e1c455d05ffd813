"""Drawing a patrol plan on the map (the planner's tool): click checkpoints, each snapped onto the
nearest street; the route along the streets through them is proposed as they are placed (the
shortest closed tour by road, or in the order clicked: data/patrol/plans.route_through, on a Python
thread); then the plan's team (or every team of a kind), days and hours in a dialog, and it is saved
through the plan service. One checkpoint makes a stake-out point instead of a route; in area mode the
points clicked are the corners of a patrol area (its streets are what is to be walked).

Keys while drawing: Backspace removes the last checkpoint, Enter (or a double click) finishes,
Escape stops without saving.
"""

from __future__ import annotations

import logging

import numpy as np
import shapely
from PySide6.QtCore import QDate, QObject, QPointF, QRectF, Qt, QTime, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QSpinBox, QTimeEdit, QWidget)

from layers import style as S
from layers.model import ViewState
from layers.painters import device_polyline, draw_cased_line

log = logging.getLogger(__name__)

SNAP_PX = 18  # a click this near a street lands on it


class RouteDrawTool(QObject):
    """The canvas's tool while a plan is drawn: checkpoints in map metres, and the proposed route."""

    changed = Signal()  # a checkpoint added or removed: the route is proposed again
    finished = Signal()  # Enter or a double click: on to the plan's details
    cancelled = Signal()

    def __init__(self, canvas, parent=None):
        super().__init__(parent)
        self.canvas = canvas
        self.active = False
        self.points: list[tuple[float, float]] = []
        self.route: shapely.LineString | None = None  # proposed along the streets
        self.order: np.ndarray | None = None  # the checkpoints in the order the route visits them
        self.shape = "route"  # or "area": the points are an area's corners, as clicked, not on streets

    def start(self) -> None:
        self.active, self.points, self.route, self.order = True, [], None, None
        self.canvas.tool = self
        self.canvas.setCursor(Qt.CrossCursor)
        self.canvas.update()

    def stop(self) -> None:
        self.active = False
        if self.canvas.tool is self:
            self.canvas.tool = None
        self.canvas.unsetCursor()
        self.canvas.update()

    def propose(self, points: list[tuple[float, float]], route, order) -> None:
        """The route for these checkpoints (a late answer for others is dropped)."""
        if points == self.points:
            self.route, self.order = route, order
            self.canvas.update()

    def snap(self, x: float, y: float) -> tuple[float, float]:
        streets = self.canvas.layer("streets")
        on_street = streets.snap(x, y, SNAP_PX * self.canvas.view().resolution) if streets is not None else None
        return on_street or (x, y)

    # --- the canvas's tool interface (console/map_canvas.py) ------------------------------------------

    def press(self, pos: QPointF) -> bool:
        if not self.active:
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        self.points.append(self.snap(x, y) if self.shape == "route" else (x, y))
        self.route = None
        self.canvas.update()
        self.changed.emit()
        return True

    def move(self, pos: QPointF) -> bool:
        return False

    def release(self, pos: QPointF) -> bool:
        return self.active

    def double_click(self, pos: QPointF) -> bool:
        if not self.active:
            return False
        self.finished.emit()  # its first press placed the last checkpoint; this one is not a press again
        return True

    def key(self, key: int, pos: QPointF) -> bool:
        if not self.active:
            return False
        if key in (Qt.Key_Backspace, Qt.Key_Delete) and self.points:
            self.points.pop()
            self.route = None
            self.canvas.update()
            self.changed.emit()
            return True
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self.finished.emit()
            return True
        if key == Qt.Key_Escape:
            self.cancelled.emit()
            return True
        return False

    def paint(self, p: QPainter, view: ViewState) -> None:
        if not self.active:
            return
        p.resetTransform()
        st = S.PLAN_KEY
        if self.shape == "area" and len(self.points) >= 2:
            ring = np.asarray(self.points + self.points[:1], float)
            draw_cased_line(p, device_polyline(view, ring), st)
        elif self.route is not None:
            draw_cased_line(p, device_polyline(view, shapely.get_coordinates(self.route)), st)
        ordered = self.shape == "route" and self.order is not None and len(self.order) == len(self.points)
        pts = np.asarray(self.order if ordered else self.points, float).reshape(-1, 2)
        if not len(pts):
            return
        dx, dy = view.to_device(pts[:, 0], pts[:, 1])
        f = QFont(p.font())
        f.setBold(True)
        f.setPointSizeF(8)
        p.setFont(f)
        for k, (x, y) in enumerate(zip(dx.tolist(), dy.tolist()), start=1):
            p.setPen(QPen(QColor(st.stroke), 2.0))
            p.setBrush(QColor("#ffffff"))
            p.drawEllipse(QPointF(x, y), 9.0, 9.0)
            p.drawText(QRectF(x - 9, y - 9, 18, 18), Qt.AlignCenter, str(k))  # the order walked


class PlanDialog(QDialog):
    """A plan's details: name, team (or every team of a kind), days, hours, key or not, and its target."""

    def __init__(self, teams: list[tuple[int, str]], kinds: list[tuple[str, str]], kind: str, length_m: float,
                 parent=None, area_m2: float = 0.0):
        super().__init__(parent)
        self.setObjectName("planDialog")
        self.kind = kind
        self.name = QLineEdit(self)
        self.name.setObjectName("planName")
        self.team = QComboBox(self)
        self.team.setObjectName("planTeam")
        for code, label in kinds:  # every team of a kind first (a plan for all the volunteers)
            self.team.addItem(label, ("kind", code))
        for tid, label in teams:
            self.team.addItem(label, ("team", tid))
        self.days = []
        day_row = QWidget(self)
        lay = QHBoxLayout(day_row)
        lay.setContentsMargins(0, 0, 0, 0)
        for d in range(7):
            box = QCheckBox(day_row)
            box.setObjectName(f"planDay{d + 1}")
            box.setChecked(True)
            self.days.append(box)
            lay.addWidget(box)
        self.start, self.end = QTimeEdit(QTime(9, 0), self), QTimeEdit(QTime(17, 0), self)
        for w, name in ((self.start, "planStart"), (self.end, "planEnd")):
            w.setDisplayFormat("HH:mm")
            w.setObjectName(name)
        self.key = QCheckBox(self)
        self.key.setObjectName("planKey")
        self.target = QSpinBox(self)
        self.target.setObjectName("planTarget")
        self.target.setRange(1, 100)
        self.target.setSuffix(" %")
        self.target.setValue(80)
        self.key.toggled.connect(lambda on: self.target.setValue(100 if on else 80))
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.what = QLabel(self)
        form = QFormLayout(self)
        self.form = form
        form.addRow(self.what)
        self._labels = [QLabel(self) for _ in range(7)]
        for label, field in zip(self._labels, (self.name, self.team, day_row, self.start, self.end, self.key, self.target)):
            form.addRow(label, field)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.length_m, self.area_m2 = length_m, area_m2
        self.team.setCurrentIndex(len(kinds) if teams else 0)  # a team by default; kinds are above
        self.retranslate()

    def chosen_team(self) -> tuple[int | None, str | None]:
        """(team id, None) or (None, team kind), as add_plan takes them."""
        what, value = self.team.currentData()
        return (value, None) if what == "team" else (None, value)

    def chosen_days(self) -> str:
        return "".join(str(d + 1) for d, box in enumerate(self.days) if box.isChecked())

    def minutes(self, edit: QTimeEdit) -> int:
        t = edit.time()
        return t.hour() * 60 + t.minute()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New patrol plan"))
        self.what.setText({"route": self.tr("A route of {km:.2f} km along the streets").format(km=self.length_m / 1000),
                           "area": self.tr("An area of {km2:.2f} km²: its streets are to be walked").format(
                               km2=self.area_m2 / 1e6),
                           "stakeout": self.tr("A stake-out point")}[self.kind])
        for label, text in zip(self._labels, (self.tr("Name"), self.tr("Team"), self.tr("Days"), self.tr("From"), self.tr("To"),
                                              self.tr("Key area or key period"), self.tr("Target coverage"))):
            label.setText(text)
        for box, text in zip(self.days, (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"),
                                         self.tr("Sat"), self.tr("Sun"))):
            box.setText(text)


class ExceptionDialog(QDialog):
    """One day off a plan's weekly pattern: cancelled (a holiday), or other hours (an event), and why."""

    def __init__(self, plan_name: str, day, start_min: int, end_min: int, parent=None):
        super().__init__(parent)
        self.setObjectName("planExceptionDialog")
        self.plan_name = plan_name
        self.day = QDateEdit(QDate(day.year, day.month, day.day), self)
        self.day.setObjectName("exceptionDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.cancelled = QCheckBox(self)
        self.cancelled.setObjectName("exceptionCancelled")
        self.cancelled.setChecked(True)
        self.start = QTimeEdit(QTime(start_min // 60, start_min % 60), self)
        self.end = QTimeEdit(QTime(end_min // 60 % 24, end_min % 60), self)
        for w in (self.start, self.end):
            w.setDisplayFormat("HH:mm")
            w.setEnabled(False)  # other hours only when the day is not cancelled
        self.cancelled.toggled.connect(lambda on: (self.start.setEnabled(not on), self.end.setEnabled(not on)))
        self.reason = QLineEdit(self)
        self.reason.setObjectName("exceptionReason")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        self.title = QLabel(plan_name, self)
        form = QFormLayout(self)
        form.addRow(self.title)
        self._labels = [QLabel(self) for _ in range(5)]
        for label, field in zip(self._labels, (self.day, self.cancelled, self.start, self.end, self.reason)):
            form.addRow(label, field)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel, self)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.retranslate()

    def minutes(self, edit: QTimeEdit) -> int:
        t = edit.time()
        return t.hour() * 60 + t.minute()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("A day off the plan"))
        for label, text in zip(self._labels, (self.tr("Day"), self.tr("Cancelled that day"), self.tr("From"), self.tr("To"),
                                              self.tr("Reason"))):
            label.setText(text)
