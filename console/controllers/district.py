"""Wires File → New district… and File → Import… to the import services (data/district).

Planning and writing run on Python threads (docs/ARCHITECTURE.md, "Threads"); their results come
back through Qt signals. Cancel sets a flag the service checks between chunks; a write cancelled
or failed is rolled back as one transaction, so the store is as it was.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Callable

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QMessageBox

from console.district_wizard import KIND_LABELS, ImportWizard, NewDistrictDialog, count_text, district_text
from console.messages import say
from data import snapshot
from data.district.imports import ImportOptions, commit_import, init_district, plan_import
from data.district.rosters import write_template
from data.messages import GridWatchError

log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(str, object)  # stage, fraction or None
    finished = Signal(object, object)  # result, error (GridWatchError or str)


class Task:
    """A function on a Python thread; `finished` arrives on the GUI thread."""

    def __init__(self, parent: QObject, fn: Callable[..., Any]):
        self.signals = _Signals(parent)
        self.cancelled = threading.Event()
        self._fn = fn
        self.thread = threading.Thread(target=self._run, name="district-import", daemon=True)

    def start(self) -> "Task":
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            result = self._fn(progress=lambda stage, frac: self.signals.progress.emit(stage, frac),
                              cancel=self.cancelled.is_set)
        except GridWatchError as exc:
            self.signals.finished.emit(None, exc)
            return
        except Exception as exc:  # shown as a message; the traceback goes to the log
            log.exception("an import failed")
            self.signals.finished.emit(None, f"{type(exc).__name__}: {exc}")
            return
        self.signals.finished.emit(result, None)


class DistrictController:
    """File → New district… and File → Import… for one main window."""

    def __init__(self, window):
        self.window = window
        self.task: Task | None = None
        self.wizard: ImportWizard | None = None
        self.new_dialog: NewDistrictDialog | None = None
        self.last_counts: dict | None = None

    # --- new district ------------------------------------------------------------------------------
    def new_district(self) -> NewDistrictDialog:
        dlg = NewDistrictDialog(self.window)
        self.new_dialog = dlg
        dlg.createRequested.connect(lambda: self._create(dlg))
        dlg.btn_open.clicked.connect(lambda: (self.window.openRequested.emit(dlg.out.text().strip()), dlg.accept()))
        dlg.show()
        return dlg

    def _create(self, dlg: NewDistrictDialog) -> None:
        boundary, out = dlg.boundary.text().strip(), dlg.out.text().strip()
        if not boundary or not out:
            dlg.result.setText(QCoreApplication.translate("district", "Choose the boundary file and where to write the new store."))
            return
        if Path(out).exists() and QMessageBox.question(
                dlg, QCoreApplication.translate("district", "New district"), QCoreApplication.translate("district", "%1 exists. Replace it?").replace("%1", out)) != QMessageBox.Yes:
            return
        dlg.btn_create.setEnabled(False)
        dlg.progress.show()
        dlg.result.setText(QCoreApplication.translate("district", "Creating…"))
        name, crs, coords = dlg.name.text().strip() or None, dlg.crs.text().strip() or None, dlg.coords.currentData()

        def work(progress, cancel):
            store = init_district(out, boundary, name=name, crs=crs, coords=coords, overwrite=True,
                                  actor=self.window.actor_name())
            info = (store.meta.get("district_name"), store.projection.map_epsg)
            store.close()
            return info

        self.task = Task(self.window, work)
        self.task.signals.finished.connect(lambda res, err: self._created(dlg, res, err))
        self.task.start()

    def _created(self, dlg: NewDistrictDialog, result, error) -> None:
        dlg.progress.hide()
        dlg.btn_create.setEnabled(True)
        if error is not None:
            dlg.result.setText(self._problem_text(error))
            return
        name, epsg = result
        dlg.result.setText(QCoreApplication.translate("district", "District “%1” created, measured in EPSG:%2. Open it and import its streets, grids, "
                                  "cameras and teams with File → Import….").replace("%1", str(name)).replace("%2", str(epsg)))
        dlg.btn_open.show()

    # --- import wizard -----------------------------------------------------------------------------
    def open_import(self) -> ImportWizard:
        if self.wizard is None:
            self.wizard = ImportWizard(self, self.window)
            self.wizard.source.btn_template.clicked.connect(self._write_template)
            self.wizard.check.btn_cancel.clicked.connect(self.cancel_running)
            self.wizard.check.btn_recheck.clicked.connect(lambda: self.start_plan(self.wizard, keep_mapping=True))
            self.wizard.finished.connect(lambda _r: self._clear_preview())
        self.wizard.restart()
        self.wizard.show()
        self.wizard.raise_()
        return self.wizard

    def _write_template(self) -> None:
        kind = self.wizard.source.kind_code()
        path, _ = QFileDialog.getSaveFileName(self.wizard, QCoreApplication.translate("district", "Excel template"), f"{kind}.xlsx", "Excel (*.xlsx)")
        if path:
            write_template(kind, path, "zh" if self.window.lang.startswith("zh") else "en")

    def _options(self, wiz: ImportWizard, keep_mapping: bool) -> ImportOptions:
        src = wiz.source
        return ImportOptions(mapping=wiz.mapping() if keep_mapping else {}, crs=src.crs.text().strip() or None,
                             coords=src.coords.currentData(), layer=src.layer.currentText().strip() or None)

    def start_plan(self, wiz: ImportWizard, keep_mapping: bool = False) -> None:
        self.cancel_running()
        page = wiz.check
        page.plan = None
        page.completeChanged.emit()
        page.summary.setPlainText(QCoreApplication.translate("district", "Reading and checking the file…"))
        page.problems.clear()
        page.progress.setRange(0, 0)
        page.progress.show()
        page.btn_cancel.setEnabled(True)
        kind, path = wiz.source.kind_code(), wiz.source.file.text().strip()
        options = self._options(wiz, keep_mapping)
        store = self.window.store
        self.task = Task(self.window, lambda progress, cancel: plan_import(store, kind, path, options, progress=progress, cancel=cancel))
        self.task.signals.finished.connect(lambda plan, err, t=self.task: self._planned(wiz, t, plan, err))
        self.task.start()

    def _planned(self, wiz: ImportWizard, task: Task, plan, error) -> None:
        if task is not self.task:
            return  # an earlier check, superseded
        page = wiz.check
        page.progress.hide()
        page.btn_cancel.setEnabled(False)
        lang = self.window.lang
        if error is not None:
            page.summary.setPlainText(self._problem_text(error))
            for p in getattr(error, "problems", [])[:2000]:
                QListWidgetItem(say(p, lang), page.problems)
            wiz.show_mapping_part(True)
            wiz.show_mapping(wiz.source.kind_code(), getattr(error, "file_columns", []), wiz.mapping())
            return
        page.plan = plan
        lines = [f"{district_text(KIND_LABELS[plan.kind])}: {plan.file.name}"]
        lines += ["  " + line for line in count_text(plan.found)]
        lines += ["  " + say(n, lang) for n in plan.notes[:200]]
        if plan.diff is not None and not plan.diff.empty:
            lines.append(QCoreApplication.translate("district", "Would add %1, change %2, remove %3 (%4 unchanged).").replace("%1", str(len(plan.diff.added)))
                         .replace("%2", str(len(plan.diff.changed))).replace("%3", str(len(plan.diff.removed)))
                         .replace("%4", str(plan.diff.unchanged)))
            for label, keys in ((QCoreApplication.translate("district", "add"), plan.diff.added), (QCoreApplication.translate("district", "change"), plan.diff.changed), (QCoreApplication.translate("district", "remove"), plan.diff.removed)):
                lines += [f"    {label}: {k}" for k in keys[:30]]
        page.summary.setPlainText("\n".join(lines))
        wiz.show_mapping_part(bool(plan.preview_header))
        wiz.show_mapping(plan.kind, [c for c in plan.columns if c], plan.mapped)
        wiz.show_preview(plan.preview_header, plan.preview_rows)
        self._show_preview(plan)
        page.completeChanged.emit()

    def _show_preview(self, plan) -> None:
        layer = self.window.canvas.layer("import_preview")
        if layer is None:
            return
        proj = self.window.projection
        pts = None
        if plan.preview_lonlat is not None and len(plan.preview_lonlat):
            x, y = proj.lonlat_to_xy(plan.preview_lonlat[:, 0], plan.preview_lonlat[:, 1])
            pts = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])
        geoms = proj.to_map(plan.preview_geoms) if plan.preview_geoms is not None and len(plan.preview_geoms) else None
        layer.show(pts, geoms)
        extent = layer.preview_extent()
        if extent is not None:
            self.window.canvas.zoom_to(extent)

    def _clear_preview(self) -> None:
        layer = self.window.canvas.layer("import_preview")
        if layer is not None:
            layer.clear()

    def write_question(self, wiz: ImportWizard) -> str:
        plan = wiz.check.plan
        if plan is None:
            return ""
        if plan.found.get("replaces"):
            return QCoreApplication.translate("district", "This replaces the %1 %2 in the store with %3 from %4.").replace("%1", str(plan.found["replaces"])) \
                .replace("%2", district_text(KIND_LABELS[plan.kind])).replace("%3", str(plan.found.get(plan.kind, plan.found.get("segments", "")))) \
                .replace("%4", plan.file.name)
        if plan.diff is not None and not plan.diff.empty:
            return QCoreApplication.translate("district", "Add %1, change %2 and remove %3 entries from %4?").replace("%1", str(len(plan.diff.added))) \
                .replace("%2", str(len(plan.diff.changed))).replace("%3", str(len(plan.diff.removed))).replace("%4", plan.file.name)
        return QCoreApplication.translate("district", "Write what %1 holds into the store?").replace("%1", plan.file.name)

    def start_commit(self, wiz: ImportWizard) -> None:
        plan = wiz.check.plan
        page = wiz.write
        if plan is None:
            return
        page.btn_write.setEnabled(False)
        page.btn_cancel.setEnabled(True)
        page.progress.setValue(0)
        page.result.setText(QCoreApplication.translate("district", "Writing…"))
        store, actor = self.window.store, self.window.dispatch.signed_in
        self.task = Task(self.window, lambda progress, cancel: commit_import(store, plan, actor=actor, progress=progress, cancel=cancel))
        self.task.signals.progress.connect(lambda _s, f: page.progress.setValue(int((f or 0) * 100)))
        self.task.signals.finished.connect(lambda counts, err: self._committed(wiz, plan, counts, err))
        self.task.start()

    def _committed(self, wiz: ImportWizard, plan, counts, error) -> None:
        page = wiz.write
        page.btn_cancel.setEnabled(False)
        if error is not None:
            page.btn_write.setEnabled(True)
            page.result.setText(self._problem_text(error))
            return
        self.last_counts = counts
        page.progress.setValue(100)
        page.result.setText(QCoreApplication.translate("district", "Imported: %1").replace("%1", QCoreApplication.translate("district", "; ").join(count_text(counts))))
        page.done = True
        page.completeChanged.emit()
        self._clear_preview()
        self.reload(plan.kind)

    def cancel_running(self) -> None:
        if self.task is not None:
            self.task.cancelled.set()

    def _problem_text(self, error) -> str:
        if isinstance(error, GridWatchError):
            return say(error, self.window.lang)
        return str(error)

    # --- after an import -----------------------------------------------------------------------------
    def reload(self, kind: str) -> None:
        """Show what was imported: the layers it changed are read again."""
        w, store = self.window, self.window.store
        if kind == "streets":
            w.canvas.set_layer_features("streets", snapshot.load_streets(store))
            w.dispatch.forget_recommender()
        elif kind == "buildings":
            w.canvas.set_layer_features("buildings", snapshot.load_buildings(store))
        elif kind == "water":
            w.canvas.set_layer_features("water", snapshot.load_water(store))
        elif kind == "grids":
            w.map_panels.reload_grids()
        elif kind == "cameras":
            w.canvas.set_layer_features("cameras", snapshot.load_cameras(store))
        elif kind in ("teams", "members", "devices"):
            grids = w.canvas.layer("grids")
            w.canvas.set_layer_features("teams", snapshot.load_teams(store, w.clock(), grids.features if grids else None))
            w.team_panel.model.refresh(w.clock())
            w.dispatch.forget_recommender()
        w.map_panels.build_search_index()
