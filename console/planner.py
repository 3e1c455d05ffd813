"""Planner mode: redraw grid boundaries in a draft grid set, with shared vertices, split, merge,
undo/redo, validation that zooms to each problem, and publishing with an impact report."""

from __future__ import annotations

from datetime import datetime

import numpy as np
import shapely
from PySide6.QtCore import QObject, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen, QUndoCommand, QUndoStack
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QMessageBox, QPushButton, QVBoxLayout, QWidget)

from console.messages import say
from data.accounts import require
from data.grids import edit as E
from data.grids import sets as G
from data.messages import GridWatchError
from data.snapshot import FeatureTable
from layers.model import ViewState

HANDLE_PX = 8.0


class EditCommand(QUndoCommand):
    """One edit: the draft before and after (edits return new data, so undo is swapping back)."""

    def __init__(self, planner: "Planner", text: str, before: G.GridSetData, after: G.GridSetData):
        super().__init__(text)
        self.planner, self.before, self.after = planner, before, after

    def redo(self) -> None:
        self.planner.apply(self.after)

    def undo(self) -> None:
        self.planner.apply(self.before)


class Planner(QObject):
    """Owns the draft being edited and turns map clicks into edits while planner mode is on."""

    changed = Signal()
    message = Signal(object)  # a coded refusal (GridWatchError) or text, shown by the window

    def __init__(self, window):
        super().__init__(window)
        self.window, self.store, self.canvas = window, window.store, window.canvas
        self.undo_stack = QUndoStack(self)
        self.draft_id: int | None = None
        self.data: G.GridSetData | None = None
        self.selected: int | None = None
        self.mode = "vertex"  # vertex | split
        self._drag: tuple[float, float] | None = None
        self._drag_to: tuple[float, float] | None = None
        self._split_points: list[tuple[float, float]] = []
        self.active = False
        from data.snapshot import community_names, member_names
        self.communities = community_names(self.store)
        self.members = member_names(self.store)

    # --- mode -----------------------------------------------------------------------------------
    @property
    def by(self):
        """The signed-in account the planner edits as (data/grids checks it may)."""
        return self.window.dispatch.signed_in

    def start(self) -> int:
        """Enter planner mode on the latest draft (a new one from the set in force if none); refused
        (AuthError) unless the signed-in account may edit grids."""
        require(self.by, "grids.edit")
        self.draft_id = G.latest_draft(self.store) or G.create_draft(self.store, "draft " + datetime.now().strftime("%Y-%m-%d %H:%M"),
                                                                     by=self.by)
        self.data = G.load_grid_set(self.store, self.draft_id)
        self.undo_stack.clear()
        self.active = True
        self.canvas.tool = self
        self._show(self.data)
        return self.draft_id

    def stop(self) -> None:
        self.active = False
        self.canvas.tool = None
        self._split_points = []
        self.window.map_panels.reload_grids()

    # --- edits ----------------------------------------------------------------------------------
    def apply(self, data: G.GridSetData) -> None:
        """Make `data` the draft: saved in the store at once (a draft is a working copy), shown on the map."""
        try:
            G.save_draft(self.store, self.draft_id, data, by=self.by)
        except GridWatchError as exc:  # signed out meanwhile: nothing changes, and it says why
            self.message.emit(exc)
            return
        self.data = data
        if self.selected is not None and self.selected >= len(data.codes):
            self.selected = None
        self._show(data)
        self.changed.emit()

    def edit(self, text: str, fn, *args) -> bool:
        try:
            after = fn(self.data, *args)
        except E.EditError as exc:
            self.message.emit(str(exc))
            return False
        if isinstance(after, tuple):
            after = after[0]
        self.undo_stack.push(EditCommand(self, text, self.data, after))
        return True

    def move_vertex(self, old, new) -> bool:
        return self.edit(self.tr("Move vertex"), E.move_vertex, old, new)

    def split(self, i: int, line: shapely.LineString) -> bool:
        return self.edit(self.tr("Split grid"), E.split_grid, i, line)

    def merge(self, i: int, j: int) -> bool:
        return self.edit(self.tr("Merge grids"), E.merge_grids, i, j)

    def rename(self, i: int, name: str) -> bool:
        return self.edit(self.tr("Rename grid"), lambda d, k, n: E.set_attributes(d, k, name=n), i, name)

    def set_attributes(self, i: int, name: str, community_id: int, worker_id: int | None) -> bool:
        return self.edit(self.tr("Grid attributes"),
                         lambda d, k: E.set_attributes(d, k, name=name, community_id=community_id, worker_id=worker_id), i)

    def neighbours(self, i: int) -> list[int]:
        g = self.data.geoms[i]
        return [k for k, o in enumerate(self.data.geoms) if k != i and g.intersection(o).length > 0]

    # --- the map --------------------------------------------------------------------------------
    def _show(self, data: G.GridSetData) -> None:
        feats = FeatureTable(np.array(list(data.geoms), dtype=object), {
            "code": list(data.codes), "name": list(data.names),
            "community": [self.communities.get(c, "") for c in data.community_ids],
            "worker": [self.members.get(w) if w else None for w in data.worker_ids],
            "grid_set": [f"{self.tr('draft')} {self.draft_id}"] * len(data.codes)})
        self.window.map_panels.show_grids(feats)

    def _tolerance(self) -> float:
        return HANDLE_PX * self.canvas.view().resolution

    def _snap(self, x: float, y: float, moving: tuple[float, float]) -> tuple[float, float]:
        """Snap to another grid's vertex, else to a grid edge, else to a street, within 8 px."""
        tol = self._tolerance()
        best = None
        for i, g in enumerate(self.data.geoms):
            v = E.vertices(self.data, i)
            d = np.hypot(v[:, 0] - x, v[:, 1] - y)
            far = np.hypot(v[:, 0] - moving[0], v[:, 1] - moving[1]) > E.SNAP_EPS
            d = np.where(far, d, np.inf)
            k = int(np.argmin(d))
            if d[k] <= tol and (best is None or d[k] < best[0]):
                best = (d[k], (float(v[k, 0]), float(v[k, 1])))
        if best:
            return best[1]
        # Then onto a grid edge (not one that ends at the vertex being moved).
        p = shapely.Point(x, y)
        for g in self.data.geoms:
            c = shapely.get_coordinates(g.exterior)
            for a, b in zip(c[:-1], c[1:]):
                if np.hypot(*(a - moving)) <= E.SNAP_EPS or np.hypot(*(b - moving)) <= E.SNAP_EPS:
                    continue
                seg = shapely.LineString([a, b])
                d = seg.distance(p)
                if d <= tol and (best is None or d < best[0]):
                    q = seg.interpolate(seg.project(p))
                    best = (d, (q.x, q.y))
        if best:
            return best[1]
        streets = self.canvas.layer("streets")
        on_street = streets.snap(x, y, tol) if streets is not None else None
        return on_street or (x, y)

    def press(self, pos: QPointF) -> bool:
        if not self.active:
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        if self.mode == "split":
            self._split_points.append((x, y))
            self.canvas.update()
            return True
        if self.selected is not None:
            v = E.nearest_vertex(self.data, x, y, self._tolerance(), only=self.selected)
            if v is not None:
                self._drag, self._drag_to = v, v
                return True
        return False

    def move(self, pos: QPointF) -> bool:
        if self._drag is None:
            return False
        self._drag_to = self.canvas.view().to_world(pos.x(), pos.y())
        self.canvas.update()
        return True

    def release(self, pos: QPointF) -> bool:
        if self._drag is None:
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        old, self._drag, self._drag_to = self._drag, None, None
        new = self._snap(x, y, old)
        if np.hypot(new[0] - old[0], new[1] - old[1]) > E.SNAP_EPS:
            self.move_vertex(old, new)
        self.canvas.update()
        return True

    def double_click(self, pos: QPointF) -> bool:
        if not self.active:
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        if self.mode == "split":
            if self.selected is not None and len(self._split_points) >= 2:
                self.split(self.selected, shapely.LineString(self._split_points))
            self._split_points = []
            self.mode = "vertex"
            return True
        return self.edit(self.tr("Add vertex"), E.insert_vertex, x, y, self._tolerance())

    def key(self, key: int, pos: QPointF) -> bool:
        if not self.active or key not in (Qt.Key_Delete, Qt.Key_Backspace):
            return False
        x, y = self.canvas.view().to_world(pos.x(), pos.y())
        v = E.nearest_vertex(self.data, x, y, self._tolerance())
        return v is not None and self.edit(self.tr("Delete vertex"), E.delete_vertex, v)

    def paint(self, p: QPainter, view: ViewState) -> None:
        """Vertex handles of the selected grid, the vertex being dragged, the split line."""
        if not self.active or self.data is None:
            return
        p.resetTransform()
        if self.selected is not None:
            v = E.vertices(self.data, self.selected)
            dx, dy = view.to_device(v[:, 0], v[:, 1])
            p.setPen(QPen(QColor("#ff6f00"), 1.5))
            p.setBrush(QColor("#ffffff"))
            for a, b in zip(dx, dy):
                p.drawRect(int(a - 4), int(b - 4), 8, 8)
        if self._drag is not None and self._drag_to is not None:
            a = view.to_device(*self._drag)
            b = view.to_device(*self._drag_to)
            p.setPen(QPen(QColor("#ff6f00"), 2, Qt.DashLine))
            p.drawLine(QPointF(float(a[0]), float(a[1])), QPointF(float(b[0]), float(b[1])))
        if self._split_points:
            pts = [QPointF(*(float(c) for c in view.to_device(*xy))) for xy in self._split_points]
            p.setPen(QPen(QColor("#d62728"), 2))
            for a, b in zip(pts, pts[1:]):
                p.drawLine(a, b)


class PlannerPanel(QWidget):
    """The planner's dock: the draft, the selected grid's edits, validation problems, publishing."""

    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.planner: Planner | None = None
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        self.start_button = QPushButton(self, clicked=self.toggle)
        self.start_button.setObjectName("plannerStart")
        self.undo_button = QPushButton(self)
        self.redo_button = QPushButton(self)
        self.split_button = QPushButton(self, clicked=self.begin_split)
        self.merge_with = QComboBox(self)
        self.merge_button = QPushButton(self, clicked=self.merge_selected)
        self.name_edit = QLineEdit(self)
        self.community_combo = QComboBox(self)
        self.worker_combo = QComboBox(self)
        self.apply_button = QPushButton(self, clicked=self.apply_attributes)
        self.validate_button = QPushButton(self, clicked=self.validate)
        self.problems = QListWidget(self)
        self.problems.setObjectName("gridProblems")
        self.problems.itemActivated.connect(self._zoom_to_problem)
        self.problems.itemClicked.connect(self._zoom_to_problem)
        # clicked(bool) must not reach publish()'s `confirm` parameter: a lambda drops it (with the
        # slot connected directly, clicking passed confirm=False and nothing was ever published).
        self.publish_button = QPushButton(self, clicked=lambda: self.publish())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.start_button)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addWidget(self.redo_button)
        lay.addLayout(row)
        lay.addWidget(self.split_button)
        row2 = QHBoxLayout()
        row2.addWidget(self.merge_with, 1)
        row2.addWidget(self.merge_button)
        lay.addLayout(row2)
        self.form = QFormLayout()
        self.name_label, self.community_label, self.worker_label = QLabel(self), QLabel(self), QLabel(self)
        self.form.addRow(self.name_label, self.name_edit)
        self.form.addRow(self.community_label, self.community_combo)
        self.form.addRow(self.worker_label, self.worker_combo)
        lay.addLayout(self.form)
        lay.addWidget(self.apply_button)
        lay.addWidget(self.validate_button)
        lay.addWidget(self.problems, 1)
        lay.addWidget(self.publish_button)
        self.retranslate()
        self._enable()

    def retranslate(self) -> None:
        active = self.planner is not None and self.planner.active
        self.start_button.setText(self.tr("Leave planner mode") if active else self.tr("Edit grids (planner mode)"))
        self.undo_button.setText(self.tr("Undo"))
        self.redo_button.setText(self.tr("Redo"))
        self.split_button.setText(self.tr("Split the selected grid: click a line, double-click to end"))
        self.merge_button.setText(self.tr("Merge"))
        self.apply_button.setText(self.tr("Apply name, community and grid worker"))
        self.validate_button.setText(self.tr("Validate the draft"))
        self.publish_button.setText(self.tr("Publish the draft…"))
        self.name_label.setText(self.tr("Name"))
        self.community_label.setText(self.tr("Community"))
        self.worker_label.setText(self.tr("Grid worker"))
        self._update_title()

    def _update_title(self) -> None:
        p = self.planner
        if p is None or not p.active:
            self.title.setText(self.tr("Grids are edited in a draft; the published set stays in force until the draft is published."))
            return
        sel = p.data.codes[p.selected] if p.selected is not None else self.tr("none (click a grid)")
        self.title.setText(self.tr("Draft %1 · %2 grids · selected: %3").replace("%1", str(p.draft_id))
                           .replace("%2", str(len(p.data.codes))).replace("%3", sel))

    def _enable(self) -> None:
        active = self.planner is not None and self.planner.active
        for w in (self.undo_button, self.redo_button, self.split_button, self.merge_with, self.merge_button,
                  self.validate_button, self.publish_button, self.name_edit, self.community_combo, self.worker_combo,
                  self.apply_button):
            w.setEnabled(active)

    def toggle(self) -> None:
        if self.planner is None:
            self.planner = Planner(self.window)
            self.planner.changed.connect(self._on_changed)
            self.planner.message.connect(self.window.refuse)
            self.undo_button.clicked.connect(self.planner.undo_stack.undo)
            self.redo_button.clicked.connect(self.planner.undo_stack.redo)
            self.window.act_undo.triggered.connect(self.planner.undo_stack.undo)
            self.window.act_redo.triggered.connect(self.planner.undo_stack.redo)
        if self.planner.active:
            self.planner.stop()
        else:
            try:
                self.planner.start()
            except GridWatchError as exc:
                self.window.refuse(exc)
                if self.window.dispatch.signed_in is None:
                    self.window.dispatch.ask_sign_in()
        self.retranslate()
        self._enable()

    def select_grid(self, i: int | None) -> None:
        if self.planner is None or not self.planner.active:
            return
        self.planner.selected = i
        self.merge_with.clear()
        p = self.planner
        if i is not None:
            for k in p.neighbours(i):
                self.merge_with.addItem(f"{p.data.codes[k]}  {p.data.names[k]}", k)
            self.name_edit.setText(p.data.names[i])
            if self.community_combo.count() == 0:
                for cid, name in sorted(p.communities.items()):
                    self.community_combo.addItem(name, cid)
                self.worker_combo.addItem(self.tr("(none)"), None)
                from data.snapshot import grid_worker_choices
                for mid, name, code in grid_worker_choices(p.store):
                    self.worker_combo.addItem(f"{name} ({code})", mid)
            self.community_combo.setCurrentIndex(max(0, self.community_combo.findData(p.data.community_ids[i])))
            self.worker_combo.setCurrentIndex(max(0, self.worker_combo.findData(p.data.worker_ids[i])))
        self._update_title()
        self.window.canvas.update()

    def _on_changed(self) -> None:
        self.select_grid(self.planner.selected)
        self.validate()

    def apply_attributes(self) -> None:
        p = self.planner
        if p and p.selected is not None:
            p.set_attributes(p.selected, self.name_edit.text(), self.community_combo.currentData(), self.worker_combo.currentData())

    def begin_split(self) -> None:
        if self.planner and self.planner.selected is not None:
            self.planner.mode = "split"
            self.planner._split_points = []

    def merge_selected(self) -> None:
        p = self.planner
        j = self.merge_with.currentData()
        if p and p.selected is not None and j is not None:
            i = p.selected
            if p.merge(min(i, j), max(i, j)):
                self.select_grid(min(i, j))

    def validate(self) -> list:
        p = self.planner
        if p is None or not p.active:
            return []
        problems = G.validate(p.data.codes, p.data.geoms, G.district_geometry(p.store))
        self.problems.clear()
        for pr in problems:
            item = QListWidgetItem(say(pr.message, self.window.lang))
            item.setData(Qt.UserRole, (pr.x, pr.y))
            self.problems.addItem(item)
        if not problems:
            self.problems.addItem(self.tr("No problems: the draft can be published."))
        return problems

    def _zoom_to_problem(self, item) -> None:
        xy = item.data(Qt.UserRole)
        if xy:
            self.window.canvas.set_view(xy[0], xy[1], 0.5)

    def publish(self, confirm: bool | None = None, effective_from: datetime | None = None) -> bool:
        from datetime import timezone
        p = self.planner
        if p is None or not p.active:
            return False
        eff = effective_from or self.window.clock()  # the console's clock: "now" for everything it does
        problems = self.validate()
        if problems:
            self.window.refuse(self.tr("Publishing is refused: %1 problem(s) in the draft").replace("%1", str(len(problems))))
            return False
        report = "\n".join(say(m, self.window.lang) for m in G.impact_report(p.store, p.draft_id, eff).messages())
        if confirm is None:
            box = QMessageBox(QMessageBox.Question, self.tr("Publish grid set"),
                              self.tr("Publish draft %1 as the grid set in force from now?").replace("%1", str(p.draft_id)),
                              QMessageBox.Yes | QMessageBox.No, self)
            box.setDetailedText(report)
            confirm = box.exec() == QMessageBox.Yes
        if not confirm:
            return False
        try:
            G.publish(p.store, p.draft_id, eff, by=p.by)
        except G.PublishRefused as exc:
            self.window.refuse(str(exc))
            return False
        except GridWatchError as exc:
            self.window.refuse(exc)
            return False
        self.last_impact = report
        p.stop()
        self.retranslate()
        self._enable()
        self.window.status_message.setText(self.tr("Grid set %1 published").replace("%1", str(p.draft_id)))
        return True
