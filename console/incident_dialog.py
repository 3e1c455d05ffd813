"""The new-incident form: category (two levels), priority, source, description, reporter; the place
with its grid, the cameras that see it, and any open case it may duplicate."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QListWidget,
                               QPlainTextEdit, QVBoxLayout)

from data.cases.dispatch import CameraView, IncidentSummary, Place
from data.domain import CATEGORIES, PRIORITIES, SOURCES, SUBCATEGORIES, SYSTEM_SOURCES


class IncidentDialog(QDialog):
    def __init__(self, place: Place, cameras: list[CameraView], lang: str, duplicates_for=None, parent=None):
        super().__init__(parent)
        self.place, self.lang = place, lang
        self.duplicates_for = duplicates_for  # category -> open cases it may duplicate
        self.setWindowTitle(self.tr("New incident"))
        self.category = QComboBox(self)
        for code, term in CATEGORIES.items():
            self.category.addItem(term.label(lang), code)
        self.subcategory = QComboBox(self)
        self.priority = QComboBox(self)
        for code, term in PRIORITIES.items():
            self.priority.addItem(term.label(lang), code)
        self.priority.setCurrentIndex(self.priority.findData("normal"))
        self.source = QComboBox(self)
        for code, term in SOURCES.items():
            if code not in SYSTEM_SOURCES:
                self.source.addItem(term.label(lang), code)
        self.description = QPlainTextEdit(self)
        self.description.setMaximumHeight(70)
        self.reporter = QLineEdit(self)
        self.contact = QLineEdit(self)
        where = (self.tr("%1, grid %2 (%3)").replace("%1", f"{place.lon:.6f}°E {place.lat:.6f}°N")
                 .replace("%2", place.grid_name or "").replace("%3", place.community or "")
                 if not place.outside else
                 self.tr("%1: outside jurisdiction, no grid").replace("%1", f"{place.lon:.6f}°E {place.lat:.6f}°N"))
        self.where = QLabel(where, self)
        self.where.setObjectName("incidentWhere")
        self.cameras = QListWidget(self)
        self.cameras.setMaximumHeight(90)
        for c in cameras:
            self.cameras.addItem(f"{c.code}  {c.name}  {c.distance_m:.0f} m" + ("  HD" if c.hd else ""))
        if not cameras:
            self.cameras.addItem(self.tr("No camera sees this place"))
        self.merge = QComboBox(self)
        self.merge.addItem(self.tr("No: a new case"), None)
        self.merge_label = QLabel(self.tr("Merge into an open case nearby?"), self)
        form = QFormLayout()
        form.addRow(self.tr("Location"), self.where)
        form.addRow(self.tr("Category"), self.category)
        form.addRow(self.tr("Type"), self.subcategory)
        form.addRow(self.tr("Priority"), self.priority)
        form.addRow(self.tr("Source"), self.source)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Reporter"), self.reporter)
        form.addRow(self.tr("Contact"), self.contact)
        form.addRow(self.tr("Cameras that see it"), self.cameras)
        form.addRow(self.merge_label, self.merge)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.buttons)
        self.category.currentIndexChanged.connect(self._fill_subcategories)
        self._fill_subcategories()

    def _fill_subcategories(self) -> None:
        cat = self.category.currentData()
        self.subcategory.clear()
        for code, term in SUBCATEGORIES.items():
            if code.startswith(cat + "."):
                self.subcategory.addItem(term.label(self.lang), code)
        self.set_duplicates(self.duplicates_for(cat) if self.duplicates_for else [])

    def set_duplicates(self, dups: list[IncidentSummary]) -> None:
        """Offer to merge into open cases of the same category within 100 m and 30 minutes."""
        while self.merge.count() > 1:
            self.merge.removeItem(1)
        for d in dups:
            self.merge.addItem(f"{d.case_no}  {SUBCATEGORIES[d.subcategory].label(self.lang)}  {d.distance_m:.0f} m", d.id)
        self.merge.setVisible(bool(dups))
        self.merge_label.setVisible(bool(dups))
        self.merge.setCurrentIndex(0)  # offered, never chosen for the dispatcher: a new case unless they say so

    def values(self) -> dict:
        return dict(category=self.category.currentData(), subcategory=self.subcategory.currentData(),
                    priority=self.priority.currentData(), source=self.source.currentData(),
                    description=self.description.toPlainText().strip(), reporter=self.reporter.text().strip() or None,
                    contact=self.contact.text().strip() or None, duplicate_of=self.merge.currentData())
