"""The team list: search by name or code, filter by kind and status, centre and follow a team."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QSizePolicy, QAbstractItemView, QCheckBox, QComboBox, QHBoxLayout, QHeaderView, QLineEdit, QTableView,
                               QVBoxLayout, QWidget)

from data.domain import TEAM_KINDS, TEAM_STATUS
from layers.patrols import TeamLayer


class TeamTableModel(QAbstractTableModel):
    COLUMNS = 4

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer: TeamLayer | None = None
        self.lang = "zh_CN"
        self.now: datetime | None = None

    def set_layer(self, layer: TeamLayer | None) -> None:
        self.beginResetModel()
        self.layer = layer
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.layer is None else len(self.layer.features)

    def columnCount(self, parent=QModelIndex()) -> int:
        return self.COLUMNS

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if orientation == Qt.Horizontal and role == Qt.DisplayRole:
            return [self.tr("Team"), self.tr("Kind"), self.tr("Status"), self.tr("Last seen")][section]
        return None

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid() or self.layer is None:
            return None
        i, col = index.row(), index.column()
        f = self.layer.features
        if role == Qt.DisplayRole:
            if col == 0:
                return f.column("name")[i]
            if col == 1:
                return TEAM_KINDS[f.column("kind")[i]].label(self.lang)
            if col == 2:
                text = TEAM_STATUS[f.column("status")[i]].label(self.lang)
                stale = f.attrs.get("stale")
                return text + (self.tr(" (stale)") if stale and stale[i] else "")
            if col == 3:
                return self.last_seen(i)
        if role == Qt.ForegroundRole and col == 2:
            return QColor(self.layer.colour(i))
        if role == Qt.UserRole:  # filter keys
            return (f.column("code")[i], f.column("kind")[i], f.column("status")[i])
        if role == Qt.UserRole + 1:  # sort key for "last seen"
            last = f.column("last_fix")[i]
            return last.timestamp() if last else 0.0
        return None

    def last_seen(self, i: int) -> str:
        last = self.layer.features.column("last_fix")[i]
        if last is None or self.now is None:
            return "—"
        seconds = max(0, int((self.now - last).total_seconds()))
        if seconds < 60:
            return self.tr("%1 s ago").replace("%1", str(seconds))
        if seconds < 3600:
            return self.tr("%1 min ago").replace("%1", str(seconds // 60))
        return self.tr("%1 h ago").replace("%1", str(seconds // 3600))

    def refresh(self, now: datetime) -> None:
        self.now = now
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 1), self.index(self.rowCount() - 1, self.COLUMNS - 1))


class TeamFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.text = ""
        self.kind: str | None = None
        self.status: str | None = None
        self.setSortRole(Qt.DisplayRole)

    def set_filters(self, text: str, kind: str | None, status: str | None) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self.text, self.kind, self.status = text.strip().lower(), kind, status
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.text, self.kind, self.status = text.strip().lower(), kind, status
            self.invalidateFilter()

    def filterAcceptsRow(self, row, parent) -> bool:
        m = self.sourceModel()
        code, kind, status = m.data(m.index(row, 0), Qt.UserRole)
        name = m.data(m.index(row, 0))
        if self.kind and kind != self.kind:
            return False
        if self.status and status != self.status:
            return False
        return not self.text or self.text in name.lower() or self.text in code.lower()


class TeamPanel(QWidget):
    teamChosen = Signal(int)  # row in the team layer
    followChanged = Signal(object)  # team id or None

    def __init__(self, parent=None):
        super().__init__(parent)
        self.model = TeamTableModel(self)
        self.proxy = TeamFilter(self)
        # No re-sorting on every data change: with fixes arriving ten times a second that re-sort
        # alone (Python data() calls) saturated the GUI thread. Sorting happens on header clicks.
        self.proxy.setDynamicSortFilter(False)
        self.proxy.setSourceModel(self.model)
        self.search = QLineEdit(self)
        self.search.setObjectName("teamSearch")
        self.search.setClearButtonEnabled(True)
        self.kind = QComboBox(self)
        self.status = QComboBox(self)
        self.follow = QCheckBox(self)
        self.table = QTableView(self)
        self.table.setObjectName("teamTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        # Fixed column modes: ResizeToContents would ask every row's data on each refresh.
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setMinimumSectionSize(48)
        for col, width in ((1, 72), (2, 64), (3, 72)):
            self.table.setColumnWidth(col, width)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.search)
        row = QHBoxLayout()
        row.addWidget(self.kind)
        row.addWidget(self.status)
        lay.addLayout(row)
        lay.addWidget(self.table)
        lay.addWidget(self.follow)
        for combo in (self.kind, self.status):
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(6)
            combo.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.search.textChanged.connect(self._apply)
        self.kind.currentIndexChanged.connect(self._apply)
        self.status.currentIndexChanged.connect(self._apply)
        self.table.selectionModel().currentRowChanged.connect(self._on_row)
        self.follow.toggled.connect(self._on_follow)
        self.retranslate("zh_CN")

    def retranslate(self, lang: str) -> None:
        self.model.lang = lang
        self.search.setPlaceholderText(self.tr("Search teams by name or code"))
        self.follow.setText(self.tr("Follow the selected team"))
        for combo, terms, all_text in ((self.kind, TEAM_KINDS, self.tr("All kinds")),
                                       (self.status, TEAM_STATUS, self.tr("All statuses"))):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(all_text, None)
            for code, term in terms.items():
                combo.addItem(term.label(lang), code)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, self.model.COLUMNS - 1)
        self.model.refresh(self.model.now) if self.model.now else None

    def _apply(self) -> None:
        self.proxy.set_filters(self.search.text(), self.kind.currentData(), self.status.currentData())

    def selected_row(self) -> int | None:
        idx = self.table.currentIndex()
        return self.proxy.mapToSource(idx).row() if idx.isValid() else None

    def _on_row(self, current, _previous) -> None:
        if current.isValid():
            self.teamChosen.emit(self.proxy.mapToSource(current).row())
            if self.follow.isChecked():
                self._on_follow(True)

    def _on_follow(self, on: bool) -> None:
        row = self.selected_row()
        if on and row is not None and self.model.layer is not None:
            self.followChanged.emit(self.model.layer.features.column("id")[row])
        else:
            self.followChanged.emit(None)

    def select_team_row(self, row: int) -> None:
        src = self.model.index(row, 0)
        idx = self.proxy.mapFromSource(src)
        if idx.isValid():
            self.table.setCurrentIndex(idx)
