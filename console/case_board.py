"""The case board: open cases grouped by stage with counts, a countdown against each stage's time
limit, filters and sorting, and an overdue alert (visual and sound) until acknowledged."""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QSizePolicy, QApplication, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from data.cases.dispatch import CaseRow
from data.domain import CATEGORIES, PRIORITIES, STAGES, SUBCATEGORIES

PRIORITY_ORDER = {"urgent": 0, "high": 1, "normal": 2, "low": 3}
STAGE_ORDER = ["reported", "accepted", "returned", "dispatched", "on_scene", "rework", "extended", "parked", "resolved",
               "verified"]


def fmt_left(seconds: float) -> str:
    sign = "-" if seconds < 0 else ""
    s = int(abs(seconds))
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{sign}{s // 60:02d}:{s % 60:02d}"


def short_case_no(case_no: str) -> str:
    """The board's form of a case number: "ZGL-20261128-0001" reads "1128-0001" (day and serial).
    The office prefix and the year are the same on every open case and cost the board's narrow
    column a third of its width; the whole number is in the tooltip, the case panel and search."""
    m = re.fullmatch(r"[^-]+-(\d{4})(\d{4})-(.+)", case_no)
    return f"{m.group(2)}-{m.group(3)}" if m else case_no


class CaseBoard(QWidget):
    caseSelected = Signal(int)  # incident id

    def __init__(self, lang: str, communities: dict[int, str], parent=None):
        super().__init__(parent)
        self.lang = lang
        self.communities = communities
        self.rows: list[CaseRow] = []
        self.now: datetime | None = None
        self.acknowledged: set[int] = set()
        self.overdue: set[int] = set()
        self.sort = QComboBox(self)
        self.community = QComboBox(self)
        self.grid = QComboBox(self)
        self.category = QComboBox(self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("caseTree")
        self.tree.setColumnCount(5)
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        # At 1366 px the board's dock is ~340 px wide: every column but the type sizes to its
        # contents and the type takes what is left (elided, whole in its tooltip), so the grid
        # column is never pushed out of sight behind a horizontal scroll bar.
        header = self.tree.header()
        header.setStretchLastSection(False)
        for c in range(5):
            header.setSectionResizeMode(c, QHeaderView.Stretch if c == 3 else QHeaderView.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.Fixed)  # sized to the case numbers, not the stage groups' titles
        self.tree.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.alert = QLabel(self)
        self.alert.setObjectName("overdueAlert")
        self.alert.setStyleSheet("QLabel { background: #d62728; color: white; padding: 3px; font-weight: bold; }")
        self.alert.hide()
        self.ack = QPushButton(self, clicked=self.acknowledge)
        self.ack.hide()
        top = QHBoxLayout()
        top.addWidget(self.sort)
        top.addWidget(self.category)
        filters = QHBoxLayout()
        filters.addWidget(self.community)
        filters.addWidget(self.grid)
        alert_row = QHBoxLayout()
        alert_row.addWidget(self.alert, 1)
        alert_row.addWidget(self.ack)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(alert_row)
        lay.addLayout(top)
        lay.addLayout(filters)
        lay.addWidget(self.tree)
        for combo in (self.sort, self.community, self.grid, self.category):
            combo.currentIndexChanged.connect(self.rebuild)
            # Narrow docks stay narrow: combos size to a few characters, not to their longest item.
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.tree.currentItemChanged.connect(self._on_item)
        self._blink = QTimer(self, interval=600)
        self._blink.timeout.connect(self._blink_tick)
        self._blink_on = True
        self.retranslate(lang)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.tree.setHeaderLabels([self.tr("Case"), self.tr("Time left"), self.tr("Priority"), self.tr("Type"), self.tr("Grid")])
        self.ack.setText(self.tr("Acknowledge"))
        for combo, items in ((self.sort, [(self.tr("Sort by time left"), "left"), (self.tr("Sort by priority"), "priority"),
                                          (self.tr("Sort by age"), "age")]),
                             (self.category, [(self.tr("All categories"), None)] + [(t.label(lang), c) for c, t in CATEGORIES.items()]),
                             (self.community, [(self.tr("All communities"), None)] + [(n, i) for i, n in sorted(self.communities.items())])):
            cur = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            for text, data in items:
                combo.addItem(text, data)
            combo.setCurrentIndex(max(0, combo.findData(cur)))
            combo.blockSignals(False)
        self._fill_grids()
        if self.now is not None:
            self.tick(self.now)  # the overdue alert speaks the new language too
        self.rebuild()

    def _fill_grids(self) -> None:
        cur = self.grid.currentData()
        codes = sorted({r.grid_code for r in self.rows if r.grid_code})
        self.grid.blockSignals(True)
        self.grid.clear()
        self.grid.addItem(self.tr("All grids"), None)
        for c in codes:
            self.grid.addItem(c, c)
        self.grid.setCurrentIndex(max(0, self.grid.findData(cur)))
        self.grid.blockSignals(False)

    def set_cases(self, rows: list[CaseRow], now: datetime) -> None:
        self.rows, self.now = rows, now
        self._fill_grids()
        self.rebuild()

    ALERT_STYLES = ("QLabel { background: #d62728; color: white; padding: 3px; font-weight: bold; }",
                    "QLabel { background: #7f1416; color: white; padding: 3px; font-weight: bold; }")

    def _blink_tick(self) -> None:
        """The alert pulses by its colour, not by hiding: a hidden label let the Acknowledge button
        jump across the row twice a second, away from the pointer about to click it."""
        if not (self.overdue - self.acknowledged):
            return
        self._blink_on = not self._blink_on
        self.alert.setStyleSheet(self.ALERT_STYLES[0 if self._blink_on else 1])

    def tick(self, now: datetime) -> None:
        """Countdowns move every second; newly overdue cases raise the alert."""
        self.now = now
        newly = {r.id for r in self.rows if (r.time_left(now) or _inf()).total_seconds() < 0}
        fresh = newly - self.overdue - self.acknowledged
        self.overdue = newly
        if fresh:
            QApplication.beep()
        unacked = self.overdue - self.acknowledged
        if unacked:
            self.alert.setText(self.tr("%1 case(s) overdue").replace("%1", str(len(unacked))))
            self.ack.show()
            if not self._blink.isActive():
                self.alert.show()
                self._blink.start()
        else:
            self._blink.stop()
            self.alert.hide()
            self.ack.hide()
        self._update_countdowns()

    def acknowledge(self) -> None:
        self.acknowledged |= self.overdue
        self.tick(self.now) if self.now else None

    def visible_rows(self) -> list[CaseRow]:
        rows = self.rows
        if self.category.currentData():
            rows = [r for r in rows if r.category == self.category.currentData()]
        if self.community.currentData():
            rows = [r for r in rows if r.community_id == self.community.currentData()]
        if self.grid.currentData():
            rows = [r for r in rows if r.grid_code == self.grid.currentData()]
        key = self.sort.currentData()
        now = self.now
        if key == "priority":
            rows = sorted(rows, key=lambda r: (PRIORITY_ORDER.get(r.priority, 9), r.reported_at))
        elif key == "age":
            rows = sorted(rows, key=lambda r: r.reported_at)
        else:
            rows = sorted(rows, key=lambda r: ((r.time_left(now) or _inf()).total_seconds() if now else 0, r.reported_at))
        return rows

    def rebuild(self) -> None:
        selected = self.selected_case()
        self.tree.blockSignals(True)
        self.tree.clear()
        rows = self.visible_rows()
        by_stage: dict[str, list[CaseRow]] = {}
        for r in rows:
            by_stage.setdefault(r.stage, []).append(r)
        for stage in STAGE_ORDER + sorted(set(by_stage) - set(STAGE_ORDER)):
            if stage not in by_stage:
                continue
            group = QTreeWidgetItem([f"{STAGES[stage].label(self.lang)} ({len(by_stage[stage])})"])
            self.tree.addTopLevelItem(group)
            group.setFirstColumnSpanned(True)  # (only once in the tree: before, Qt ignores it)
            for r in by_stage[stage]:
                item = QTreeWidgetItem([short_case_no(r.case_no), "", PRIORITIES[r.priority].label(self.lang),
                                        SUBCATEGORIES[r.subcategory].label(self.lang), r.grid_code or self.tr("outside")])
                item.setData(0, Qt.UserRole, r.id)
                item.setToolTip(0, r.case_no)
                item.setToolTip(3, f"{CATEGORIES[r.category].label(self.lang)} · {SUBCATEGORIES[r.subcategory].label(self.lang)}"
                                if r.category in CATEGORIES else SUBCATEGORIES[r.subcategory].label(self.lang))
                group.addChild(item)
                if r.id == selected:
                    self.tree.setCurrentItem(item)
            group.setExpanded(True)
        self.tree.blockSignals(False)
        self._update_countdowns()
        # The stage groups span the row; the case column is as wide as its case numbers.
        fm = self.tree.fontMetrics()
        widest = max([fm.horizontalAdvance(short_case_no(r.case_no)) for r in self.rows] + [fm.horizontalAdvance(self.tr("Case"))])
        self.tree.header().resizeSection(0, widest + 2 * self.tree.indentation() + 12)  # root decoration + one level

    def _update_countdowns(self) -> None:
        if self.now is None:
            return
        rows = {r.id: r for r in self.rows}
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for k in range(group.childCount()):
                item = group.child(k)
                r = rows.get(item.data(0, Qt.UserRole))
                if r is None:
                    continue
                left = r.time_left(self.now)
                item.setText(1, "—" if left is None else fmt_left(left.total_seconds()))
                overdue = left is not None and left.total_seconds() < 0
                brush = QBrush(QColor("#d62728")) if overdue else QBrush()
                for c in range(5):
                    item.setForeground(c, brush)

    def selected_case(self) -> int | None:
        item = self.tree.currentItem()
        return item.data(0, Qt.UserRole) if item is not None else None

    def select_case(self, incident_id: int) -> bool:
        for g in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(g)
            for k in range(group.childCount()):
                if group.child(k).data(0, Qt.UserRole) == incident_id:
                    self.tree.setCurrentItem(group.child(k))
                    return True
        return False

    def _on_item(self, item, _prev) -> None:
        if item is not None and item.data(0, Qt.UserRole) is not None:
            self.caseSelected.emit(item.data(0, Qt.UserRole))


def _inf():
    from datetime import timedelta
    return timedelta(days=3650)
