"""The position feed at a glance: stored and refused fixes by reason, and unknown trackers to bind."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QHeaderView, QInputDialog, QLabel, QMessageBox, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from console.messages import local_hm
from data.feeds.devices import DeviceError, bind_device
from data.messages import GridWatchError
from data.store.core import Store

REASON_ORDER = ("accepted", "duplicate", "inaccurate", "impossible_jump", "past", "future", "out_of_range", "nan", "null_island",
                "invalid", "unknown_device", "dropped_speed", "dropped_heading", "dropped_battery", "dropped_accuracy")


def reason_label(key: str) -> str:
    Q = QCoreApplication
    # Spelled out so that pyside6-lupdate finds each string with its context.
    return {
        "accepted": Q.translate("FeedReasons", "Stored"),
        "duplicate": Q.translate("FeedReasons", "Duplicate (same device and time)"),
        "inaccurate": Q.translate("FeedReasons", "Accuracy worse than the threshold"),
        "impossible_jump": Q.translate("FeedReasons", "Impossible jump"),
        "past": Q.translate("FeedReasons", "Time more than 7 days before receipt"),
        "future": Q.translate("FeedReasons", "Time more than 5 min ahead"),
        "dropped_speed": Q.translate("FeedReasons", "Impossible speed dropped (position kept)"),
        "dropped_heading": Q.translate("FeedReasons", "Impossible heading dropped (position kept)"),
        "dropped_battery": Q.translate("FeedReasons", "Impossible battery level dropped (position kept)"),
        "dropped_accuracy": Q.translate("FeedReasons", "Negative accuracy dropped (position kept)"),
        "out_of_range": Q.translate("FeedReasons", "Coordinates out of range"),
        "nan": Q.translate("FeedReasons", "Coordinates not a number"),
        "null_island": Q.translate("FeedReasons", "Position (0, 0)"),
        "invalid": Q.translate("FeedReasons", "Marked invalid by the tracker"),
        "unknown_device": Q.translate("FeedReasons", "Unknown device"),
    }.get(key, key)


class FeedPanel(QWidget):
    bound = Signal(str)

    def __init__(self, store: Store, parent=None):
        super().__init__(parent)
        self.store = store
        self.listening = QLabel(self)
        self.counters = QTableWidget(0, 2, self)
        self.counters.setObjectName("feedCounters")
        self.unknown = QTableWidget(0, 3, self)
        self.unknown.setObjectName("unknownDevices")
        for t in (self.counters, self.unknown):
            t.verticalHeader().setVisible(False)
            t.setEditTriggers(QAbstractItemView.NoEditTriggers)
            t.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.unknown.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.unknown_title = QLabel(self)
        self.bind_button = QPushButton(self, clicked=self.bind_selected)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.listening)
        lay.addWidget(self.counters)
        lay.addWidget(self.unknown_title)
        lay.addWidget(self.unknown)
        lay.addWidget(self.bind_button)
        self._counts: dict[str, int] = {}
        self._unknown: list = []
        self.retranslate()

    def retranslate(self) -> None:
        self.counters.setHorizontalHeaderLabels([self.tr("Fixes"), self.tr("Count")])
        self.unknown.setHorizontalHeaderLabels([self.tr("Device id"), self.tr("Last report"), self.tr("Reports")])
        self.unknown_title.setText(self.tr("Trackers bound to no team"))
        self.bind_button.setText(self.tr("Bind to a team…"))
        self.show_state(self._counts, self._unknown)

    def set_listening(self, where: str | None) -> None:
        self.listening.setText(self.tr("Listening for trackers on %1").replace("%1", where) if where
                               else self.tr("Not listening in this console (a feed process may be)"))

    def show_state(self, counts: dict[str, int], unknown: list[tuple[str, datetime, int]]) -> None:
        self._counts, self._unknown = counts, unknown
        keys = [k for k in REASON_ORDER if k in counts] + sorted(k for k in counts if k not in REASON_ORDER)
        self.counters.setRowCount(len(keys))
        for r, k in enumerate(keys):
            self.counters.setItem(r, 0, QTableWidgetItem(reason_label(k)))
            item = QTableWidgetItem(f"{counts[k]:,}")
            item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            self.counters.setItem(r, 1, item)
        self.unknown.setRowCount(len(unknown))
        for r, (dev, last, n) in enumerate(unknown):
            self.unknown.setItem(r, 0, QTableWidgetItem(dev))
            self.unknown.setItem(r, 1, QTableWidgetItem(local_hm(last, "%m-%d %H:%M:%S")))
            self.unknown.setItem(r, 2, QTableWidgetItem(str(n)))
        self.bind_button.setEnabled(bool(unknown))

    def bind_selected(self, team_code: str | None = None) -> bool:
        row = self.unknown.currentRow()
        if row < 0:
            row = 0
        if row >= self.unknown.rowCount():
            return False
        device = self.unknown.item(row, 0).text()
        if not team_code:
            from data.snapshot import team_choices
            teams = [f"{c}  {n}" for c, n in team_choices(self.store)]
            choice, ok = QInputDialog.getItem(self, self.tr("Bind tracker"),
                                              self.tr("Team for tracker %1:").replace("%1", device), teams, 0, False)
            if not ok:
                return False
            team_code = choice.split()[0]
        try:
            msg = bind_device(self.store, device, team_code, by=self.window().dispatch.signed_in)
        except DeviceError as exc:
            QMessageBox.warning(self, self.tr("Bind tracker"), str(exc))
            return False
        except GridWatchError as exc:  # not signed in, or the account may not bind trackers
            self.window().refuse(exc)
            return False
        self.unknown.removeRow(row)
        self.bound.emit(msg)
        return True
