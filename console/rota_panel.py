"""The Rota dock (排班): a week of the duty rota by the hour, per team or per grid, with the hours and
grids nobody covers and the key periods short; the rota imported from Excel, and a shift swapped to
another person with its reason.

The week is read on a Python thread (data/patrol/rota.week, an immutable WeekView) and shown through
a table model over its arrays: a week of 400 teams is 67,000 cells, too many for table items.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QPushButton, QTableView, QVBoxLayout, QWidget)

from console import workers
from console.messages import say
from data.domain import LOCAL_TZ, local_time
from data.messages import GridWatchError

log = logging.getLogger(__name__)

GAP_COLOUR = QColor("#f4c7c3")  # nobody on shift: what the supervisor looks for first
_CENTRE = int(Qt.AlignCenter)
# Roles as plain ints: comparing each call's role with Qt's enum members costs more than the answer.
_DISPLAY, _BACKGROUND, _ALIGN, _TIP = (r.value for r in (Qt.DisplayRole, Qt.BackgroundRole, Qt.TextAlignmentRole, Qt.ToolTipRole))
DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")


class WeekModel(QAbstractTableModel):
    """Rows are teams or grids, columns the week's 168 hours; a cell is the number of people on shift."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.counts = np.zeros((0, 168), np.int32)
        self.labels: list[str] = []
        self.days = DAYS_EN
        self.monday: date | None = None
        self._text: list[list[str]] = []
        self._brush: list[list[QColor]] = []

    def show(self, labels: list[str], counts: np.ndarray, monday: date, days) -> None:
        self.beginResetModel()
        self.labels, self.counts, self.monday, self.days = labels, counts, monday, days
        top = max(1, int(counts.max())) if counts.size else 1
        # What each cell shows, made once per week: Qt asks every visible cell for several roles on
        # every paint, and a Python call each is the cost of the view.
        self._text = [[str(v) if v else "" for v in row] for row in counts.tolist()]
        shades = [GAP_COLOUR] + [QColor(235 - int(120 * min(1.0, k / top)), 245 - int(120 * min(1.0, k / top)), 255)
                                 for k in range(1, top + 1)]
        self._brush = [[shades[min(v, top)] for v in row] for row in counts.tolist()]
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 (Qt's name)
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() or not self.labels else 168  # no week read yet: no header either

    def data(self, index: QModelIndex, role=_DISPLAY):
        role = getattr(role, "value", role)
        if role == _DISPLAY:
            return self._text[index.row()][index.column()]
        if role == _BACKGROUND:
            return self._brush[index.row()][index.column()]
        if role == _ALIGN:
            return _CENTRE
        if role == _TIP:
            d, h = divmod(index.column(), 24)
            return f"{self.labels[index.row()]}  {self.days[d]} {h:02d}:00–{h + 1:02d}:00  {int(self.counts[index.row(), index.column()])}"
        return None

    def headerData(self, section: int, orientation, role=Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        if orientation == Qt.Vertical:
            return self.labels[section] if section < len(self.labels) else None
        d, h = divmod(section, 24)
        return self.days[d] if h == 0 else f"{h:02d}"  # the day where it begins; its hours after


class SwapDialog(QDialog):
    """Give one shift to another person: the shift, the person taking it, and why (required)."""

    def __init__(self, shifts: list[tuple[int, str]], people: list[tuple[int, str]], parent=None):
        super().__init__(parent)
        self.setObjectName("rotaSwapDialog")
        self.shift = QComboBox(self)
        for sid, text in shifts:
            self.shift.addItem(text, sid)
        self.person = QComboBox(self)
        self.person.setEditable(False)
        for mid, name in people:
            self.person.addItem(name, mid)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("swapReason")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #c62828;")
        form = QFormLayout(self)
        form.addRow(self.tr("Shift"), self.shift)
        form.addRow(self.tr("Given to"), self.person)
        form.addRow(self.tr("Reason"), self.reason)
        form.addRow(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Swap"))
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self.setWindowTitle(self.tr("Swap a shift"))


class RotaPanel(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.w = window
        self.store = window.store
        self.view_week = None  # the week shown (data.patrol.rota.WeekView)
        self.monday = local_time(window.clock()).date()
        self.monday -= timedelta(days=self.monday.weekday())
        self._jobs = workers.Jobs(self, "rota", self._on_done)
        self.prev_button, self.next_button = QPushButton("◀", self), QPushButton("▶", self)
        self.prev_button.setObjectName("rotaPrev")
        self.next_button.setObjectName("rotaNext")
        self.week_label = QLabel(self)
        self.by = QComboBox(self)
        self.by.setObjectName("rotaBy")
        self.by.addItems(["", ""])
        self.import_button = QPushButton(self)
        self.import_button.setObjectName("rotaImport")
        self.swap_button = QPushButton(self)
        self.swap_button.setObjectName("rotaSwap")
        top = QHBoxLayout()
        for wdg in (self.prev_button, self.week_label, self.next_button, self.by):
            top.addWidget(wdg)
        top.addStretch(1)
        top.addWidget(self.import_button)
        top.addWidget(self.swap_button)
        self.model = WeekModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("rotaWeek")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Fixed)
        self.table.horizontalHeader().setDefaultSectionSize(26)
        self.table.verticalHeader().setDefaultSectionSize(18)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.short_title = QLabel(self)
        self.short = QListWidget(self)
        self.short.setObjectName("rotaShort")
        self.short.setMaximumHeight(110)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.summary)
        lay.addWidget(self.short_title)
        lay.addWidget(self.short)
        lay.addWidget(self.message)
        self.prev_button.clicked.connect(lambda: self.go(-7))
        self.next_button.clicked.connect(lambda: self.go(7))
        self.by.currentIndexChanged.connect(lambda _i: self._show())
        self.import_button.clicked.connect(self.import_rota)
        self.swap_button.clicked.connect(self.open_swap)
        self.retranslate()

    # --- reading the week ---------------------------------------------------------------------------

    def go(self, days: int) -> None:
        self.monday += timedelta(days=days)
        self.refresh()

    def refresh(self) -> None:
        from data.patrol.rota import week
        monday, store = self.monday, self.store
        if not self.message.text():  # what an import or a swap just said stays
            self.message.setText(self.tr("Reading the rota…"))
        self._jobs.run("week", lambda: week(store, monday))

    def wait(self, timeout: float = 60) -> bool:
        return self._jobs.wait(timeout)

    def _on_done(self, what: str, result, error) -> None:
        if error is not None:
            self.message.setText(say(error, self.w.lang))  # a refusal translated, a failure as its line
            return
        if what == "week":
            if result.monday != self.monday:
                return  # an older week's answer after the user moved on
            self.view_week = result
            if self.message.text() == self.tr("Reading the rota…"):
                self.message.setText("")
            self._show()
        elif what == "plan":
            self._planned(result)

    def _days(self):
        return DAYS_ZH if self.w.lang.startswith("zh") else DAYS_EN

    def _show(self) -> None:
        w = self.view_week
        self.week_label.setText(self.tr("Week of {day}").format(day=self.monday.isoformat()))
        if w is None:
            return
        if self.by.currentIndex() == 0:
            labels = [f"{code} {name}" for _i, code, name in w.teams]
            counts = w.people
        else:
            labels = list(w.grids)
            counts = w.by_grid
        self.model.show(labels, counts, w.monday, self._days())
        grids_empty = len({g for g, _a, _n in w.gaps})
        self.summary.setText(self.tr("{shifts} shifts. Grids with nobody planned at some hour: {grids} of {all} "
                                     "({hours} grid-hours).").format(shifts=len(w.shift_table), grids=grids_empty, all=len(w.grids),
                                                                     hours=sum(n for _g, _a, n in w.gaps)))
        self.short.clear()
        days = self._days()
        for _pid, name, a, n, k in w.under:
            d, h = divmod(a, 24)
            self.short.addItem(self.tr("{plan}: {day} {hour:02d}:00 for {n} h, {k} on shift").format(
                plan=name, day=days[d], hour=h, n=n, k=k))

    # --- import ------------------------------------------------------------------------------------

    def import_rota(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a rota"), "", self.tr("Rota (*.xlsx *.csv)"))
        if not path:
            return
        from data.patrol.rota import plan_shifts
        store = self.store
        self.message.setText(self.tr("Checking {file}…").format(file=path))
        self._jobs.run("plan", lambda: plan_shifts(store, path))

    def _planned(self, plan) -> None:
        from data.patrol.rota import import_shifts
        lang = self.w.lang
        if plan.problems:
            shown = "\n".join(say(p, lang) for p in plan.problems[:20])
            more = len(plan.problems) - 20
            self.message.setText(self.tr("{file}: {n} bad rows; nothing was imported.").format(file=plan.file, n=len(plan.problems))
                                 + "\n" + shown + (f"\n… (+{more})" if more > 0 else ""))
            return
        try:
            n = import_shifts(self.store, self.w.dispatch.signed_in, plan)
        except GridWatchError as exc:
            self.message.setText(say(exc, lang))
            return
        self.message.setText(self.tr("{file}: {n} shifts imported.").format(file=plan.file, n=n))
        self.refresh()

    # --- swaps -------------------------------------------------------------------------------------

    def open_swap(self) -> SwapDialog | None:
        """Swap one of the shifts at the selected team and hour (select a cell of the team view first)."""
        from data.patrol.rota import team_people
        w = self.view_week
        idx = self.table.currentIndex()
        if w is None or not idx.isValid() or self.by.currentIndex() != 0:
            self.message.setText(self.tr("Select a team's hour in the week (by team) first."))
            return None
        team_id = w.teams[idx.row()][0]
        at = datetime.combine(w.monday, datetime.min.time(), tzinfo=LOCAL_TZ) + timedelta(hours=idx.column())
        at = at.astimezone(timezone.utc)
        names = dict(team_people(self.store))
        here = w.shifts_at(team_id, at)
        if not here:
            self.message.setText(self.tr("Nobody of that team is on shift then."))
            return None
        shifts = [(s.id, f"{names.get(s.member_id, ('—', 0))[0]}  {local_time(s.starts_at):%m-%d %H:%M}–"
                         f"{local_time(s.ends_at):%H:%M}") for s in here]
        people = sorted(((mid, f"{name} ({code})") for mid, (name, code) in names.items()), key=lambda p: p[1])
        own = [p for p in people if p[1].endswith(f"({w.teams[idx.row()][1]})")]
        dlg = SwapDialog(shifts, own + [p for p in people if p not in own], self)
        dlg.buttons.accepted.connect(lambda: self._swap(dlg))
        self.swap_dialog = dlg
        dlg.open()
        return dlg

    def _swap(self, dlg: SwapDialog) -> None:
        from data.patrol.rota import swap
        try:
            swap(self.store, dlg.shift.currentData(), dlg.person.currentData(), dlg.reason.text(), self.w.dispatch.signed_in,
                 at=self.w.clock())
        except GridWatchError as exc:
            dlg.message.setText(say(exc, self.w.lang))  # the dialog stays open: nothing typed is lost
            return
        dlg.accept()
        self.message.setText(self.tr("The shift is swapped."))
        self.refresh()

    def retranslate(self) -> None:
        self.prev_button.setToolTip(self.tr("The week before"))
        self.next_button.setToolTip(self.tr("The week after"))
        self.by.setItemText(0, self.tr("By team"))
        self.by.setItemText(1, self.tr("By grid"))
        self.import_button.setText(self.tr("Import rota…"))
        self.swap_button.setText(self.tr("Swap a shift…"))
        self.short_title.setText(self.tr("Key periods short of people"))
        self.week_label.setText(self.tr("Week of {day}").format(day=self.monday.isoformat()))
        self.model.days = self._days()
        self.model.headerDataChanged.emit(Qt.Horizontal, 0, max(0, self.model.columnCount() - 1))
        self._show()
