"""File → New district… and File → Import…: an office sets up its own district from its files.

The dialogs only collect choices and show results; the work is done by data/district (plan, then
commit) on Python threads (console/controllers/district.py), so the window stays responsive and
Cancel leaves the store unchanged.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QListWidget, QPlainTextEdit, QProgressBar, QPushButton, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget, QWizard, QWizardPage)

from data.district.coords import COORD_SYSTEMS
from data.district.imports import GEO_KINDS, KINDS, LAYER_FIELDS
from data.district.rosters import ROSTERS
from layers.model import QT_TRANSLATE_NOOP

KIND_LABELS = {
    "streets": QT_TRANSLATE_NOOP("district", "Streets"), "buildings": QT_TRANSLATE_NOOP("district", "Buildings"),
    "water": QT_TRANSLATE_NOOP("district", "Water"), "grids": QT_TRANSLATE_NOOP("district", "Grids"),
    "cameras": QT_TRANSLATE_NOOP("district", "Cameras"), "teams": QT_TRANSLATE_NOOP("district", "Teams"),
    "members": QT_TRANSLATE_NOOP("district", "Team members"), "staff": QT_TRANSLATE_NOOP("district", "Office staff"),
    "devices": QT_TRANSLATE_NOOP("district", "Trackers (handsets)"),
}


# The fields of GIS layers an import looks for (data/district/imports.LAYER_FIELDS), as shown.
FIELD_LABELS = {
    "name": QT_TRANSLATE_NOOP("district", "Name"), "class": QT_TRANSLATE_NOOP("district", "Road class"),
    "oneway": QT_TRANSLATE_NOOP("district", "One-way"), "foot": QT_TRANSLATE_NOOP("district", "Open to pedestrians"),
    "ebike": QT_TRANSLATE_NOOP("district", "Open to e-bikes"), "car": QT_TRANSLATE_NOOP("district", "Open to cars"),
    "floors": QT_TRANSLATE_NOOP("district", "Floors"), "use": QT_TRANSLATE_NOOP("district", "Use"),
    "kind": QT_TRANSLATE_NOOP("district", "Kind"), "code": QT_TRANSLATE_NOOP("district", "Code"),
    "community": QT_TRANSLATE_NOOP("district", "Community"),
}

# What an import found or wrote (data/district's count keys), as the user reads them.
COUNT_LABELS = {
    "outside": QT_TRANSLATE_NOOP("district", "left out (outside the district)"), "segments": QT_TRANSLATE_NOOP("district", "street segments"),
    "nodes": QT_TRANSLATE_NOOP("district", "junctions and ends"), "pieces": QT_TRANSLATE_NOOP("district", "pieces of the street graph"),
    "length_km": QT_TRANSLATE_NOOP("district", "length (km)"), "oneway": QT_TRANSLATE_NOOP("district", "one-way segments"),
    "no_cars": QT_TRANSLATE_NOOP("district", "segments closed to cars"), "replaces": QT_TRANSLATE_NOOP("district", "now in the store (replaced)"),
    "ways": QT_TRANSLATE_NOOP("district", "OpenStreetMap ways read"), "buildings": QT_TRANSLATE_NOOP("district", "buildings"),
    "water": QT_TRANSLATE_NOOP("district", "water areas"), "grids": QT_TRANSLATE_NOOP("district", "grids"),
    "communities": QT_TRANSLATE_NOOP("district", "communities"), "problems": QT_TRANSLATE_NOOP("district", "grid problems"),
    "cameras": QT_TRANSLATE_NOOP("district", "cameras"), "teams": QT_TRANSLATE_NOOP("district", "teams"),
    "members": QT_TRANSLATE_NOOP("district", "members"), "staff": QT_TRANSLATE_NOOP("district", "staff"),
    "devices": QT_TRANSLATE_NOOP("district", "trackers"), "added": QT_TRANSLATE_NOOP("district", "added"),
    "changed": QT_TRANSLATE_NOOP("district", "changed"), "removed": QT_TRANSLATE_NOOP("district", "removed"),
    "rows": QT_TRANSLATE_NOOP("district", "rows"), "communities_added": QT_TRANSLATE_NOOP("district", "new communities"),
    "grid_set": QT_TRANSLATE_NOOP("district", "grid set"), "published": QT_TRANSLATE_NOOP("district", "published (1) or draft (0)"),
}


def count_text(counts: dict) -> list[str]:
    return [f"{district_text(COUNT_LABELS.get(k, k))}: {v}" for k, v in counts.items()]


def district_text(text: str) -> str:
    """A label marked with QT_TRANSLATE_NOOP("district", ...) in the reader's language."""
    return QCoreApplication.translate("district", text)


def file_row(parent: QWidget, edit: QLineEdit, browse: QPushButton) -> QWidget:
    w = QWidget(parent)
    lay = QHBoxLayout(w)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.addWidget(edit, 1)
    lay.addWidget(browse)
    return w


def coords_combo(parent: QWidget) -> QComboBox:
    box = QComboBox(parent)
    for code, label in COORD_SYSTEMS.items():
        box.addItem(district_text(label), code)
    return box


class NewDistrictDialog(QDialog):
    """Create a store from a boundary file. `create` is pressed; the controller does the work."""

    createRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newDistrictDialog")
        self.setWindowTitle(self.tr("New district"))
        self.boundary = QLineEdit(self)
        self.boundary.setObjectName("boundaryFile")
        self.btn_boundary = QPushButton(self.tr("Browse…"), self)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("from the file when it names the district"))
        self.coords = coords_combo(self)
        self.crs = QLineEdit(self)
        self.crs.setPlaceholderText(self.tr("as the file says; e.g. EPSG:4545 when it has no .prj"))
        self.out = QLineEdit(self)
        self.out.setObjectName("storeFile")
        self.btn_out = QPushButton(self.tr("Save as…"), self)
        form = QFormLayout()
        form.addRow(self.tr("Boundary file"), file_row(self, self.boundary, self.btn_boundary))
        form.addRow(self.tr("District name"), self.name)
        form.addRow(self.tr("Coordinates are"), self.coords)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow(self.tr("New store file"), file_row(self, self.out, self.btn_out))
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.result = QLabel(self)
        self.result.setObjectName("result")
        self.result.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.btn_create = self.buttons.addButton(self.tr("Create"), QDialogButtonBox.AcceptRole)
        self.btn_create.setObjectName("create")
        self.btn_open = self.buttons.addButton(self.tr("Open it"), QDialogButtonBox.ActionRole)
        self.btn_open.setObjectName("open")
        self.btn_open.hide()
        self.btn_close = self.buttons.addButton(self.tr("Close"), QDialogButtonBox.RejectRole)
        self.buttons.rejected.connect(self.reject)
        self.btn_create.clicked.connect(self.createRequested.emit)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.progress)
        lay.addWidget(self.result)
        lay.addWidget(self.buttons)
        self.btn_boundary.clicked.connect(self._browse_boundary)
        self.btn_out.clicked.connect(self._browse_out)
        self.resize(640, 300)

    def _browse_boundary(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("District boundary"), "",
                                              self.tr("GIS files (*.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)"))
        if path:
            self.boundary.setText(path)
            if not self.out.text():
                self.out.setText(str(Path(path).with_suffix(".gridwatch.gpkg")))

    def _browse_out(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("New store file"), self.out.text(), self.tr("GeoPackage (*.gpkg)"))
        if path:
            self.out.setText(path if path.endswith(".gpkg") else path + ".gpkg")


class SourcePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard)
        self.setObjectName("sourcePage")
        self.kind = QComboBox(self)
        self.kind.setObjectName("kind")
        for k in KINDS:
            self.kind.addItem(district_text(KIND_LABELS[k]), k)
        self.file = QLineEdit(self)
        self.file.setObjectName("file")
        self.btn_browse = QPushButton(self.tr("Browse…"), self)
        self.layer = QComboBox(self)
        self.layer.setObjectName("layer")
        self.layer.setEditable(True)
        self.coords = coords_combo(self)
        self.coords.setObjectName("coords")
        self.crs = QLineEdit(self)
        self.crs.setObjectName("crs")
        self.crs.setPlaceholderText(self.tr("as the file says; e.g. EPSG:4545 when it has no .prj"))
        self.btn_template = QPushButton(self.tr("Write an Excel template…"), self)
        self.btn_template.setObjectName("template")
        self.hint = QLabel(self)
        self.hint.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("What to import"), self.kind)
        form.addRow(self.tr("File"), file_row(self, self.file, self.btn_browse))
        form.addRow(self.tr("Layer or sheet"), self.layer)
        form.addRow(self.tr("Coordinates are"), self.coords)
        form.addRow(self.tr("Coordinate system"), self.crs)
        form.addRow("", self.btn_template)
        form.addRow(self.hint)
        self.file.textChanged.connect(lambda _t: self.completeChanged.emit())
        self.file.editingFinished.connect(self._fill_layers)
        self.kind.currentIndexChanged.connect(self._on_kind)
        self.btn_browse.clicked.connect(self._browse)
        self._on_kind()

    def kind_code(self) -> str:
        return self.kind.currentData()

    def isComplete(self) -> bool:
        return bool(self.file.text().strip())

    def _on_kind(self) -> None:
        roster = self.kind_code() not in GEO_KINDS
        self.btn_template.setVisible(roster)
        if roster:
            self.hint.setText(self.tr("Excel (.xlsx) or CSV, one row per entry, headers as in the template. "
                                      "Every bad row is listed; nothing is imported until all rows are good."))
        else:
            self.hint.setText(self.tr("An OpenStreetMap extract (.osm.pbf) or any GIS file (Shapefile, GeoPackage, "
                                      "GeoJSON, KML, DXF) in any coordinate system."))

    def _browse(self) -> None:
        roster = self.kind_code() not in GEO_KINDS
        filters = (self.tr("Rosters (*.xlsx *.csv);;All files (*)") if roster else
                   self.tr("OpenStreetMap and GIS files (*.pbf *.osm *.shp *.gpkg *.geojson *.json *.kml *.dxf);;All files (*)"))
        path, _ = QFileDialog.getOpenFileName(self, self.tr("File to import"), "", filters)
        if path:
            self.file.setText(path)
            self._fill_layers()

    def _fill_layers(self) -> None:
        """The file's layers (GIS) or sheets (Excel), so the user picks rather than types."""
        path = Path(self.file.text().strip())
        names: list[str] = []
        try:
            if path.suffix.lower() in (".xlsx", ".xlsm"):
                from openpyxl import load_workbook
                wb = load_workbook(path, read_only=True)
                names = list(wb.sheetnames)
                wb.close()
            elif path.suffix.lower() in (".gpkg", ".kml", ".gdb", ".sqlite"):
                import pyogrio
                names = [str(n) for n, _t in pyogrio.list_layers(path)]
        except Exception:  # the plan step reports a broken file with its reason; nothing to list here
            names = []
        current = self.layer.currentText()
        self.layer.clear()
        self.layer.addItem("")
        self.layer.addItems(names)
        if current in names:
            self.layer.setCurrentText(current)


class CheckPage(QWizardPage):
    """Reads and checks the file (nothing written), shows what it found, the first rows as mapped,
    what would change, and every problem; the points are drawn on the map."""

    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard)
        self.setObjectName("checkPage")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.btn_cancel = QPushButton(self.tr("Cancel checking"), self)
        self.btn_cancel.setObjectName("cancelCheck")
        self.summary = QPlainTextEdit(self)
        self.summary.setObjectName("summary")
        self.summary.setReadOnly(True)
        self.problems = QListWidget(self)
        self.problems.setObjectName("problems")
        self.mapping = QTableWidget(0, 2, self)
        self.mapping.setObjectName("mapping")
        self.mapping.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.mapping.verticalHeader().hide()
        self.mapping_title = QLabel(self.tr("Which column holds which field"), self)
        self.btn_recheck = QPushButton(self.tr("Check again with this mapping"), self)
        self.btn_recheck.setObjectName("recheck")
        self.preview = QTableWidget(0, 0, self)
        self.preview.setObjectName("preview")
        self.preview.setEditTriggers(QTableWidget.NoEditTriggers)
        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.btn_cancel)
        left = QWidget(self)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(self.tr("Found"), self))
        ll.addWidget(self.summary, 2)
        ll.addWidget(QLabel(self.tr("Problems (nothing is imported while there are any)"), self))
        ll.addWidget(self.problems, 2)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.mapping_title)
        rl.addWidget(self.mapping, 2)
        rl.addWidget(self.btn_recheck)
        split = QSplitter(Qt.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 3)
        self.preview_title = QLabel(self.tr("First rows of the file"), self)
        lay.addWidget(self.preview_title)
        lay.addWidget(self.preview, 2)
        self.plan = None

    def isComplete(self) -> bool:
        return self.plan is not None

    def initializePage(self) -> None:
        self.wizard().controller.start_plan(self.wizard())

    def cleanupPage(self) -> None:
        self.wizard().controller.cancel_running()


class WritePage(QWizardPage):
    def __init__(self, wizard: "ImportWizard"):
        super().__init__(wizard)
        self.setObjectName("writePage")
        self.setCommitPage(False)
        self.text = QLabel(self)
        self.text.setObjectName("writeText")
        self.text.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.progress.setValue(0)
        self.btn_write = QPushButton(self.tr("Write to the store"), self)
        self.btn_write.setObjectName("write")
        self.btn_cancel = QPushButton(self.tr("Cancel writing"), self)
        self.btn_cancel.setObjectName("cancelWrite")
        self.btn_cancel.setEnabled(False)
        self.result = QLabel(self)
        self.result.setObjectName("writeResult")
        self.result.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.btn_write)
        row.addWidget(self.btn_cancel)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addWidget(self.text)
        lay.addLayout(row)
        lay.addWidget(self.progress)
        lay.addWidget(self.result)
        lay.addStretch(1)
        self.done = False
        self.btn_write.clicked.connect(lambda: self.wizard().controller.start_commit(self.wizard()))
        self.btn_cancel.clicked.connect(lambda: self.wizard().controller.cancel_running())

    def initializePage(self) -> None:
        self.done = False
        self.result.setText("")
        self.progress.setValue(0)
        self.btn_write.setEnabled(True)
        self.text.setText(self.wizard().controller.write_question(self.wizard()))

    def isComplete(self) -> bool:
        return self.done


class ImportWizard(QWizard):
    """Choose → check (preview, mapping, problems, changes) → write (progress, Cancel)."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importWizard")
        self.controller = controller
        self.setWindowTitle(self.tr("Import into the district"))
        self.setWizardStyle(QWizard.ClassicStyle)
        self.setOption(QWizard.NoBackButtonOnLastPage, False)
        self.source = SourcePage(self)
        self.check = CheckPage(self)
        self.write = WritePage(self)
        self.source.setTitle(self.tr("Choose the file"))
        self.check.setTitle(self.tr("Check it"))
        self.write.setTitle(self.tr("Write it"))
        for page in (self.source, self.check, self.write):
            self.addPage(page)
        self.setWindowModality(Qt.NonModal)  # the map stays usable: the preview is drawn on it
        self.resize(860, 640)

    def mapping(self) -> dict[str, str]:
        """The field → column choices of the mapping table (only those the user set)."""
        out = {}
        for r in range(self.check.mapping.rowCount()):
            key = self.check.mapping.item(r, 0).data(Qt.UserRole)
            box = self.check.mapping.cellWidget(r, 1)
            if box is not None and box.currentData():
                out[key] = box.currentData()
        return out

    def fields_of(self, kind: str) -> list[tuple[str, str]]:
        """(field key, label) of what a kind can map."""
        if kind in ROSTERS:
            lang_zh = self.controller.window.lang.startswith("zh")
            return [(f.key, f.zh if lang_zh else f.en) for f in ROSTERS[kind].fields]
        return [(k, district_text(FIELD_LABELS.get(k, k))) for k in LAYER_FIELDS.get(kind, {})]

    def show_mapping(self, kind: str, columns: list[str], mapped: dict[str, str]) -> None:
        t = self.check.mapping
        t.setHorizontalHeaderLabels([self.tr("Field"), self.tr("Column of the file")])
        fields = self.fields_of(kind)
        t.setRowCount(len(fields))
        for r, (key, label) in enumerate(fields):
            item = QTableWidgetItem(label)
            item.setData(Qt.UserRole, key)
            item.setFlags(item.flags() & ~Qt.ItemIsEditable)
            t.setItem(r, 0, item)
            box = QComboBox(t)
            box.addItem("—", "")
            for c in columns:
                box.addItem(c, c)
            if mapped.get(key) in columns:
                box.setCurrentIndex(columns.index(mapped[key]) + 1)
            t.setCellWidget(r, 1, box)

    def show_mapping_part(self, visible: bool) -> None:
        """An OpenStreetMap extract has tags, not columns: no mapping and no rows to show."""
        for w in (self.check.mapping_title, self.check.mapping, self.check.btn_recheck, self.check.preview_title, self.check.preview):
            w.setVisible(visible)

    def show_preview(self, header: list[str], rows: list[list[str]]) -> None:
        t = self.check.preview
        t.clear()
        t.setColumnCount(len(header))
        t.setRowCount(len(rows))
        t.setHorizontalHeaderLabels(header)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                t.setItem(r, c, QTableWidgetItem(v))
        t.resizeColumnsToContents()
