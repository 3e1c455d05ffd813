"""The supervisors' Hotspots dock: where incidents of a period concentrate (a heat map), which grids
or hexagons are significant Gi* hot or cold spots, and the key rectification areas adopted from them
with their effect (incidents per month after the start against before, and against a year earlier).

Computation is in data/hotspots.py, on a Python thread; the map layers are layers/hotspots.py."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta

import shapely
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from console.messages import say
from console import workers
from console.tables import pause, resume
from data.domain import CATEGORIES, LOCAL_TZ, local_time
from data.hotspots import HOTSPOT_CLASSES

log = logging.getLogger(__name__)


class AdoptDialog(QDialog):
    """Name, category, start day and owner of a new key rectification area."""

    def __init__(self, panel: "HotspotsPanel", category: str | None, cells: int):
        super().__init__(panel)
        self.setObjectName("adoptDialog")
        self.name = QLineEdit(self)
        self.name.setObjectName("areaName")
        self.category = QComboBox(self)
        lang = panel.window.lang
        self.category.addItem(self.tr("Every category"), None)
        for code, term in CATEGORIES.items():
            self.category.addItem(term.label(lang), code)
        self.category.setCurrentIndex(max(0, self.category.findData(category)))
        self.start = QDateEdit(QDate.currentDate(), self)
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("yyyy-MM-dd")
        today = local_time(panel.window.clock()).date()
        self.start.setDate(QDate(today.year, today.month, today.day))
        self.owner = QLineEdit(self)
        self.owner.setObjectName("areaOwner")
        form = QFormLayout()
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Work starts"), self.start)
        form.addRow(self.tr("Owner"), self.owner)
        self.message = QLabel(self.tr("{n} cells are merged into one area.").format(n=cells), self)
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.setWindowTitle(self.tr("Adopt as a key rectification area"))


class AreaSketch:
    """A map tool: click the corners of a key area, double-click (or Enter) to finish, Esc to give up.
    The canvas hands it mouse input before panning (as the planner's editing tool)."""

    def __init__(self, panel: "HotspotsPanel"):
        self.panel, self.canvas = panel, panel.window.canvas
        self.points: list[tuple[float, float]] = []

    def press(self, pos) -> bool:
        self.points.append(self.canvas.view().to_world(pos.x(), pos.y()))
        self.canvas.update()
        return True

    def move(self, pos) -> bool:
        return False

    def release(self, pos) -> bool:
        return True

    def double_click(self, pos) -> bool:
        self.panel.finish_sketch()
        return True

    def key(self, key: int, pos) -> bool:
        if key in (Qt.Key_Return, Qt.Key_Enter):
            self.panel.finish_sketch()
            return True
        if key == Qt.Key_Escape:
            self.panel.cancel_sketch()
            return True
        return False

    def polygon(self) -> shapely.Geometry | None:
        pts = list(dict.fromkeys(self.points))  # a double-click also pressed: drop the repeated corner
        if len(pts) < 3:
            return None
        return shapely.make_valid(shapely.Polygon(pts))

    def paint(self, p, view) -> None:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QColor, QPen
        if not self.points:
            return
        p.resetTransform()
        pts = [QPointF(*(float(c) for c in view.to_device(*xy))) for xy in self.points]
        p.setPen(QPen(QColor("#67001f"), 2, Qt.DashLine))
        for a, b in zip(pts, pts[1:] + pts[:1]):
            p.drawLine(a, b)


class HotspotsPanel(QWidget):
    UNITS = ("grid", "hex")

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.hotspots = None
        self.effects: list[tuple[object, dict]] = []
        self._jobs = workers.Jobs(self, "hotspots", self._on_done)
        today = local_time(window.clock()).date()
        self.start_edit, self.end_edit = QDateEdit(self), QDateEdit(self)
        for e in (self.start_edit, self.end_edit):
            e.setCalendarPopup(True)
            e.setDisplayFormat("yyyy-MM-dd")
        self.start_edit.setDate(QDate(today.year, today.month, today.day).addMonths(-3))
        self.end_edit.setDate(QDate(today.year, today.month, today.day))
        self.category = QComboBox(self)
        self.category.setObjectName("hotspotsCategory")
        self.unit = QComboBox(self)
        self.unit.setObjectName("hotspotsUnit")
        self.heat = QCheckBox(self)
        self.heat.setObjectName("hotspotsHeat")
        self.heat.toggled.connect(self._heat_toggled)
        self.find_button = QPushButton(self, clicked=self.find)
        self.find_button.setObjectName("hotspotsFind")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("hotspotsTable")
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.adopt_button = QPushButton(self, clicked=self.adopt)
        self.adopt_button.setObjectName("hotspotsAdopt")
        self.adopt_button.setEnabled(False)
        self.draw_button = QPushButton(self, clicked=self.start_sketch)
        self.draw_button.setObjectName("hotspotsDraw")
        self.sketch: AreaSketch | None = None
        self.areas = QTableWidget(0, 6, self)
        self.areas.setObjectName("keyAreasTable")
        self.areas.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.areas.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.areas.verticalHeader().hide()
        self.areas_title = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(self.start_edit)
        top.addWidget(QLabel("–", self))
        top.addWidget(self.end_edit)
        second = QHBoxLayout()
        second.addWidget(self.category, 1)
        second.addWidget(self.unit, 1)
        third = QHBoxLayout()
        third.addWidget(self.heat)
        third.addStretch(1)
        third.addWidget(self.find_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addLayout(second)
        lay.addLayout(third)
        lay.addWidget(self.message)
        lay.addWidget(self.table, 3)
        buttons = QHBoxLayout()
        buttons.addWidget(self.adopt_button, 1)
        buttons.addWidget(self.draw_button)
        lay.addLayout(buttons)
        lay.addWidget(self.areas_title)
        lay.addWidget(self.areas, 2)
        self.retranslate()

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        lang = self.window.lang
        for combo, texts in ((self.category, [self.tr("All categories")] + [t.label(lang) for t in CATEGORIES.values()]),
                             (self.unit, [self.tr("By grid"), self.tr("By hexagon (250 m)")])):
            cur = combo.currentIndex()
            combo.clear()
            combo.addItems(texts)
            combo.setCurrentIndex(max(0, cur))
        self.heat.setText(self.tr("Heat map"))
        self.find_button.setText(self.tr("Find hotspots (Gi*)"))
        self.adopt_button.setText(self.tr("Adopt selected as key area…"))
        self.draw_button.setText(self.tr("Draw an area…"))
        self.draw_button.setToolTip(self.tr("Click its corners on the map; double-click or Enter to finish, Esc to give up"))
        self.areas_title.setText(self.tr("Key rectification areas: incidents per month"))
        self.table.setHorizontalHeaderLabels([self.tr("Cell"), self.tr("Incidents"), self.tr("z"), self.tr("Class")])
        self.areas.setHorizontalHeaderLabels([self.tr("Area"), self.tr("Owner"), self.tr("Since"), self.tr("After"),
                                              self.tr("vs before"), self.tr("Year on year")])
        if self.hotspots is not None:
            self._show_hotspots()
        self._show_areas()

    # --- choices ----------------------------------------------------------------------------------
    def period(self) -> tuple[datetime, datetime]:
        a, b = self.start_edit.date().toPython(), self.end_edit.date().toPython()
        return datetime.combine(a, time(0), LOCAL_TZ), datetime.combine(b, time(0), LOCAL_TZ) + timedelta(days=1)

    def chosen_category(self) -> str | None:
        k = self.category.currentIndex()
        return list(CATEGORIES)[k - 1] if k > 0 else None

    # --- work off the GUI thread ------------------------------------------------------------------
    def _run(self, what: str, job) -> None:
        self._jobs.run(what, job)

    def wait(self, timeout: float = 60) -> bool:
        return self._jobs.wait(timeout)

    def _heat_toggled(self, on: bool) -> None:
        layer = self.window.canvas.layer("heat")
        if layer is None:
            return
        if not on:
            self.window.canvas.set_layer_visible("heat", False)
            return
        start, end = self.period()
        category, store, reader = self.chosen_category(), self.window.store, self.window.dispatch.signed_in
        grids = self.window.canvas.layer("grids")
        district = grids.extent() if grids is not None else None  # read here, on the GUI thread

        def job():
            from data.accounts import require
            from data.hotspots import incident_points, kernel_density
            require(reader, "indicators.read")
            x, y = incident_points(store, start, end, category)
            extent = district or ((x.min(), y.min(), x.max(), y.max()) if len(x) else (0, 0, 1, 1))
            return kernel_density(x, y, extent)
        self._run("heat", job)

    def find(self) -> None:
        start, end = self.period()
        if end <= start:
            self.message.setText(self.tr("The period ends before it starts."))
            return
        category, unit = self.chosen_category(), self.UNITS[self.unit.currentIndex()]
        store, reader = self.window.store, self.window.dispatch.signed_in
        self.message.setText(self.tr("Computing…"))
        if self.heat.isChecked():  # the heat map follows the same period and category
            self._heat_toggled(True)

        def job():
            from data.hotspots import gi_star
            return gi_star(store, start, end, reader=reader, category=category, unit=unit)
        self._run("gi", job)

    def refresh_areas(self) -> None:
        store, reader = self.window.store, self.window.dispatch.signed_in
        now = self.window.clock()

        def job():
            from data.hotspots import area_effect, key_areas
            return [(a, area_effect(store, a, now, reader=reader)) for a in key_areas(store)]
        self._run("areas", job)

    def _on_done(self, what: str, result, error) -> None:
        if error is not None:
            self.message.setText(error if isinstance(error, str) else say(error, self.window.lang))
            if what == "heat":
                self.heat.setChecked(False)
            return
        canvas = self.window.canvas
        if what == "heat":
            canvas.layer("heat").set_density(result)
            canvas.set_layer_visible("heat", self.heat.isChecked())
            self.message.setText(self.tr("{n} incidents in the heat map.").format(n=result.incidents))
        elif what == "gi":
            self.hotspots = result
            canvas.layer("hotspots").set_result(result)
            canvas.set_layer_visible("hotspots", True)
            self._show_hotspots()
        elif what == "areas":
            self.effects = result
            self._show_areas()
        elif what == "adopt":
            canvas.layer("key_areas").set_areas(result)
            self.message.setText(self.tr("The key area is recorded."))
            self.refresh_areas()

    # --- showing ----------------------------------------------------------------------------------
    def _significant(self) -> list[int]:
        h = self.hotspots
        if h is None:
            return []
        rows = [i for i, c in enumerate(h.classes) if c != "none"]
        return sorted(rows, key=lambda i: -h.z[i])  # hottest first, coldest last

    def _show_hotspots(self) -> None:
        h, lang = self.hotspots, self.window.lang
        rows = self._significant()
        paused = pause(self.table)
        self.table.setRowCount(len(rows))
        for r, i in enumerate(rows):
            for c, text in enumerate((h.codes[i], f"{int(h.counts[i])}", f"{h.z[i]:.2f}", HOTSPOT_CLASSES[h.classes[i]].label(lang))):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, i)
                self.table.setItem(r, c, item)
        resume(self.table, paused)
        hot = sum(1 for i in rows if h.classes[i].startswith("hot"))
        self.message.setText(self.tr("{hot} hot and {cold} cold cells of {n} ({perm} permutations).").format(
            hot=hot, cold=len(rows) - hot, n=len(h.codes), perm=h.permutations))

    def _selection_changed(self) -> None:
        picked = self.selected_cells()
        self.adopt_button.setEnabled(bool(picked) and self.window.dispatch.signed_in is not None)

    def selected_cells(self) -> list[int]:
        return sorted({self.table.item(ix.row(), 0).data(Qt.UserRole) for ix in self.table.selectionModel().selectedRows()})

    def adopt(self) -> None:
        cells = self.selected_cells()
        if not cells or self.hotspots is None:
            return
        self.adopt_dialog = dlg = AdoptDialog(self, self.hotspots.category, len(cells))
        dlg.accepted.connect(lambda: self._adopt(dlg, cells))
        dlg.show()

    def start_sketch(self) -> None:
        """Draw a key area's outline on the map (the map tool takes the clicks until it is done)."""
        canvas = self.window.canvas
        if canvas.tool is not None and not isinstance(canvas.tool, AreaSketch):
            self.message.setText(self.tr("Finish the grid editing first."))
            return
        self.sketch = canvas.tool = AreaSketch(self)
        canvas.setFocus()
        self.message.setText(self.tr("Click the corners of the area on the map; double-click to finish."))

    def cancel_sketch(self) -> None:
        if self.window.canvas.tool is self.sketch:
            self.window.canvas.tool = None
        self.sketch = None
        self.window.canvas.update()
        self.message.setText("")

    def finish_sketch(self) -> None:
        sketch = self.sketch
        geom = sketch.polygon() if sketch is not None else None
        self.cancel_sketch()
        if geom is None or geom.is_empty or geom.area <= 0:
            self.message.setText(self.tr("An area needs at least three corners."))
            return
        self.adopt_dialog = dlg = AdoptDialog(self, self.chosen_category(), 0)
        dlg.message.setText(self.tr("The area drawn: {ha:.1f} ha.").format(ha=geom.area / 1e4))
        dlg.accepted.connect(lambda: self._adopt(dlg, geom=geom))
        dlg.show()

    def _adopt(self, dlg: AdoptDialog, cells: list[int] | None = None, geom=None) -> None:
        if geom is None:
            geom = shapely.union_all(self.hotspots.geoms[cells])
        name, owner, category = dlg.name.text(), dlg.owner.text(), dlg.category.currentData()
        start_day = dlg.start.date().toPython()
        store, by = self.window.store, self.window.dispatch.signed_in

        def job():
            from data.hotspots import add_key_area, key_areas
            add_key_area(store, name=name, geom=geom, start_day=start_day, owner=owner, by=by, category=category)
            return key_areas(store)
        self._run("adopt", job)

    def _show_areas(self) -> None:
        lang = self.window.lang
        self.areas.setRowCount(len(self.effects))

        def pct(v):
            return "—" if v is None else f"{v:+.1%}"
        for r, (area, eff) in enumerate(self.effects):
            cat = CATEGORIES[area.category].label(lang) if area.category in CATEGORIES else ""
            cells = (f"{area.name}" + (f" · {cat}" if cat else ""), area.owner, area.start_day.isoformat(),
                     "—" if eff["after_mean"] is None else f"{eff['after_mean']:.1f}", pct(eff["change_vs_before"]),
                     pct(eff["change_vs_year_earlier"]))
            for c, text in enumerate(cells):
                self.areas.setItem(r, c, QTableWidgetItem(text))
