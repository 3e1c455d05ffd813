"""Drawing a patrol plan on the map (the planner's tool): click checkpoints, each snapped onto the
nearest street; the route along the streets through them is proposed as they are placed (the
shortest closed tour by road, or in the order clicked: data/patrol/plans.route_through, on a Python
thread); then the plan's team, days and hours in a dialog, and it is saved through the plan service.
One checkpoint makes a stake-out point instead of a route.

Keys while drawing: Backspace removes the last checkpoint, Enter (or a double click) finishes,
Escape stops without saving.
"""

from __future__ import annotations

import logging

import numpy as np
import shapely
from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTime, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QSpinBox, QTimeEdit, QWidget)

from layers import style as S
from layers.model import ViewState

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
        tol = SNAP_PX * self.canvas.view().resolution
        p = shapely.Point(x, y)
        if streets is not None and len(streets.features):
            idx = streets.tree.query(p, predicate="dwithin", distance=tol)
            if len(idx):
                line = min((streets.features.geoms[k] for k in idx), key=lambda s: s.distance(p))
                q = line.interpolate(line.project(p))
                return (q.x, q.y)
        return (x, y)

    # --- the canvas's tool interface (console/map_canvas.py) ------------------------------------------

    def press(self, pos: QPointF) -> bool:
        if not self.active:
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        self.points.append(self.snap(x, y))
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
        if self.route is not None:
            c = shapely.get_coordinates(self.route)
            dx, dy = view.to_device(c[:, 0], c[:, 1])
            poly = QPolygonF([QPointF(a, b) for a, b in zip(dx.tolist(), dy.tolist())])
            p.setPen(QPen(QColor(st.casing), st.casing_px, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
            p.drawPolyline(poly)
            pen = QPen(QColor(st.stroke), st.width_px, Qt.SolidLine, Qt.FlatCap, Qt.RoundJoin)
            pen.setDashPattern(list(st.dash))
            p.setPen(pen)
            p.drawPolyline(poly)
        pts = np.asarray(self.order if self.order is not None and len(self.order) == len(self.points) else self.points,
                         float).reshape(-1, 2)
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
    """A plan's details: name, team, days, hours, key or not, and its target."""

    def __init__(self, teams: list[tuple[int, str]], kind: str, length_m: float, parent=None):
        super().__init__(parent)
        self.setObjectName("planDialog")
        self.kind = kind
        self.name = QLineEdit(self)
        self.name.setObjectName("planName")
        self.team = QComboBox(self)
        self.team.setObjectName("planTeam")
        for tid, label in teams:
            self.team.addItem(label, tid)
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
        self.length_m = length_m
        self.retranslate()

    def chosen_days(self) -> str:
        return "".join(str(d + 1) for d, box in enumerate(self.days) if box.isChecked())

    def minutes(self, edit: QTimeEdit) -> int:
        t = edit.time()
        return t.hour() * 60 + t.minute()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("New patrol plan"))
        self.what.setText(self.tr("A route of {km:.2f} km along the streets").format(km=self.length_m / 1000)
                          if self.kind == "route" else self.tr("A stake-out point"))
        for label, text in zip(self._labels, (self.tr("Name"), self.tr("Team"), self.tr("Days"), self.tr("From"), self.tr("To"),
                                              self.tr("Key area or key period"), self.tr("Target coverage"))):
            label.setText(text)
        for box, text in zip(self.days, (self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"),
                                         self.tr("Sat"), self.tr("Sun"))):
            box.setText(text)
