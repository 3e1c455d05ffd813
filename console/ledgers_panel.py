"""The Ledgers dock (台账): the overdue-visit board, people under supervision with their responsible
persons and visits, mediation records, and petitions with today's zero-reports.

Reads go through data/ledgers (each is audited there, so each is a short write too) and come back as
immutable rows; they and the writes (a visit, a session, a zero-report) are short transactions on the
GUI thread, as the case panel's are; an import's check of its Excel file runs on a Python thread.
Roles without `ledgers.read` see a line saying so, and the map's per-grid counts. Names appear only for roles with `ledgers.read_personal`; the services mask them for everyone else.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDateEdit, QDateTimeEdit, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from console import workers
from console.tables import pause as _pause, resume as _resume
from console.messages import local_hm, say
from data.domain import (HELPER_ROLES, LOCAL_TZ, MEDIATION_OUTCOMES, PERSON_KINDS, PETITION_CONTACTS, PETITION_ROLES,
                         RISK_LEVELS, local_time)
from data.ledgers.rules import SCHEDULE_STATES
from data.messages import GridWatchError

log = logging.getLogger(__name__)

STATE_COLOURS = {"lost": "#882255", "overdue": "#b35900", "due": "#0072B2", "ok": "#333333", "ended": "#888888"}
ESCALATE_EVERY_MS = 5 * 60 * 1000  # the console looks for people out of supervision this often


class _Item(QTableWidgetItem):
    """A cell that sorts by its key (a state by severity, a number as a number), not by its text."""

    def __lt__(self, other: QTableWidgetItem) -> bool:
        a, b = self.data(SORT_ROLE), other.data(SORT_ROLE)
        if a is not None and b is not None:
            return a < b
        return self.text() < other.text()  # (QTableWidgetItem.__lt__ would call this one again)


SORT_ROLE = Qt.UserRole + 1


def _item(text, colour: str | None = None, bold: bool = False, data=None, key=None) -> QTableWidgetItem:
    it = _Item("" if text is None else str(text))
    if key is not None:
        it.setData(SORT_ROLE, key)
    if colour:
        it.setForeground(QColor(colour))
    if bold:
        f = QFont(it.font())
        f.setBold(True)
        it.setFont(f)
    if data is not None:
        it.setData(Qt.UserRole, data)
    return it


def _table(parent, name: str, columns: int) -> QTableWidget:
    t = QTableWidget(0, columns, parent)
    t.setObjectName(name)
    t.setEditTriggers(QAbstractItemView.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectRows)
    t.setSelectionMode(QAbstractItemView.SingleSelection)
    t.verticalHeader().hide()
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
    t.horizontalHeader().setStretchLastSection(True)
    return t


class _Pending(Exception):
    """A submit that started work on a thread: the dialog stays open for its answer."""


class FormDialog(QDialog):
    """A small form whose OK calls `submit()`; a refusal is said inside the dialog and nothing typed
    is lost (the dialog stays open)."""

    def __init__(self, parent, name: str, title: str):
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.message = QLabel(self)
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020")
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(self.form)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)
        self.submit = lambda: None
        self.lang = "en"

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.Ok)

    def _ok(self) -> None:
        try:
            self.submit()
        except _Pending:
            return  # the check runs on a thread; the dialog says when it is done
        except GridWatchError as exc:
            self.message.setText(say(exc, self.lang))
            return
        self.accept()


def _date_edit(parent, day: date) -> QDateEdit:
    e = QDateEdit(QDate(day.year, day.month, day.day), parent)
    e.setCalendarPopup(True)
    e.setDisplayFormat("yyyy-MM-dd")
    return e


def _datetime_edit(parent, t: datetime) -> QDateTimeEdit:
    lt = local_time(t)
    e = QDateTimeEdit(QDateTime(QDate(lt.year, lt.month, lt.day), lt.time().replace(second=0, microsecond=0)), parent)
    e.setCalendarPopup(True)
    e.setDisplayFormat("yyyy-MM-dd HH:mm")
    return e


def _utc(edit: QDateTimeEdit) -> datetime:
    """What a date-time box shows, read as office time."""
    d, t = edit.date().toPython(), edit.time().toPython()
    return datetime.combine(d, t, LOCAL_TZ).astimezone(timezone.utc)


class LedgersPanel(QWidget):
    def __init__(self, window, parent=None):
        super().__init__(parent)
        self.window = window
        self.board_rows: list = []
        self.people_rows: list = []
        self.mediation_rows: list = []
        self.sweep_rows: list = []
        self.petition_rows: list = []
        self.zero_rows: list = []
        self.stats = None
        self.detail = None
        self.current_person: int | None = None
        self._jobs = workers.Jobs(self, "ledgers", self._on_done)
        self.dialog: FormDialog | None = None
        self._escalated_text = ""

        self.alert = QLabel(self)
        self.alert.setObjectName("ledgerAlert")
        self.alert.setWordWrap(True)
        self.denied = QLabel(self)
        self.denied.setObjectName("ledgerDenied")
        self.denied.setWordWrap(True)
        self.refresh_button = QPushButton(self, clicked=lambda: self.refresh())
        self.refresh_button.setObjectName("ledgerRefresh")
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("ledgerTabs")

        # the overdue-visit board
        board = QWidget(self)
        self.board = _table(board, "visitBoard", 7)
        self.board.setSortingEnabled(True)
        self.board.itemSelectionChanged.connect(lambda: self._select_from(self.board))
        QVBoxLayout(board).addWidget(self.board)
        # the people ledger
        people = QWidget(self)
        self.kind_filter = QComboBox(people)
        self.kind_filter.setObjectName("ledgerKind")
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._fill_people())
        self.people_table = _table(people, "peopleTable", 7)
        self.people_table.setSortingEnabled(True)
        self.people_table.sortItems(6, Qt.AscendingOrder)
        self.people_table.itemSelectionChanged.connect(lambda: self._select_from(self.people_table))
        self.import_people_button = QPushButton(people, clicked=lambda: self.import_dialog("people"))
        self.import_people_button.setObjectName("importPeople")
        self.import_visits_button = QPushButton(people, clicked=lambda: self.import_dialog("visits"))
        self.import_visits_button.setObjectName("importVisits")
        pl = QVBoxLayout(people)
        pl.addWidget(self.kind_filter)
        pl.addWidget(self.people_table)
        ib = QHBoxLayout()
        ib.addWidget(self.import_people_button)
        ib.addWidget(self.import_visits_button)
        pl.addLayout(ib)
        # mediation
        med = QWidget(self)
        self.mediation_stats = QLabel(med)
        self.mediation_stats.setObjectName("mediationStats")
        self.mediation_stats.setWordWrap(True)
        self.mediation_table = _table(med, "mediationTable", 7)
        self.new_mediation_button = QPushButton(med, clicked=self.new_mediation)
        self.new_mediation_button.setObjectName("newMediation")
        self.session_button = QPushButton(med, clicked=self.add_session)
        self.session_button.setObjectName("addSession")
        self.outcome_button = QPushButton(med, clicked=self.record_outcome)
        self.outcome_button.setObjectName("recordOutcome")
        self.follow_up_button = QPushButton(med, clicked=self.record_follow_up)
        self.follow_up_button.setObjectName("recordFollowUp")
        self.sweeps_title = QLabel(med)
        self.sweeps_table = _table(med, "sweepsTable", 4)
        self.sweep_button = QPushButton(med, clicked=self.record_sweep)
        self.sweep_button.setObjectName("recordSweep")
        ml = QVBoxLayout(med)
        ml.addWidget(self.mediation_stats)
        ml.addWidget(self.mediation_table, 3)
        mb = QHBoxLayout()
        for b in (self.new_mediation_button, self.session_button, self.outcome_button, self.follow_up_button):
            mb.addWidget(b)
        ml.addLayout(mb)
        ml.addWidget(self.sweeps_title)
        ml.addWidget(self.sweeps_table, 2)
        ml.addWidget(self.sweep_button)
        # petitions
        pet = QWidget(self)
        self.petition_table = _table(pet, "petitionTable", 6)
        self.zero_title = QLabel(pet)
        self.zero_table = _table(pet, "zeroReportTable", 4)
        self.zero_button = QPushButton(pet, clicked=self.record_zero_report)
        self.zero_button.setObjectName("recordZeroReport")
        self.contact_button = QPushButton(pet, clicked=self.record_contact)
        self.contact_button.setObjectName("recordContact")
        tl = QVBoxLayout(pet)
        tl.addWidget(self.petition_table, 2)
        tl.addWidget(self.contact_button)
        tl.addWidget(self.zero_title)
        tl.addWidget(self.zero_table, 3)
        tl.addWidget(self.zero_button)
        for t in (self.mediation_table, self.petition_table, self.zero_table, self.sweeps_table):
            t.itemSelectionChanged.connect(self._enable)
        self.tabs.addTab(board, "")
        self.tabs.addTab(people, "")
        self.tabs.addTab(med, "")
        self.tabs.addTab(pet, "")
        self.tabs.currentChanged.connect(lambda _i: self._show_detail_box())

        # one person's page, below the board and the people ledger
        self.detail_box = QGroupBox(self)
        self.detail_box.setObjectName("personDetail")
        self.person_title = QLabel(self.detail_box)
        self.person_title.setObjectName("personTitle")
        self.person_title.setWordWrap(True)
        self.helpers_table = _table(self.detail_box, "helpersTable", 3)
        self.visits_table = _table(self.detail_box, "visitsTable", 5)
        self.record_visit_button = QPushButton(self.detail_box, clicked=self.record_visit)
        self.record_visit_button.setObjectName("recordVisit")
        self.edit_person_button = QPushButton(self.detail_box, clicked=self.edit_person)
        self.edit_person_button.setObjectName("editPerson")
        self.show_person_button = QPushButton(self.detail_box, clicked=self.show_person)
        self.show_person_button.setObjectName("showPerson")
        dl = QVBoxLayout(self.detail_box)
        dl.addWidget(self.person_title)
        dl.addWidget(self.helpers_table, 2)
        dl.addWidget(self.visits_table, 3)
        db = QHBoxLayout()
        db.addWidget(self.record_visit_button, 1)
        db.addWidget(self.edit_person_button)
        db.addWidget(self.show_person_button)
        dl.addLayout(db)

        top = QHBoxLayout()
        top.addWidget(self.alert, 1)
        top.addWidget(self.refresh_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(top)
        lay.addWidget(self.denied)
        lay.addWidget(self.tabs, 3)
        lay.addWidget(self.detail_box, 2)
        self.escalation_timer = QTimer(self)
        self.escalation_timer.setInterval(ESCALATE_EVERY_MS)
        self.escalation_timer.timeout.connect(self.escalate)
        self.retranslate()
        self.signed_in_changed()

    # --- who is here --------------------------------------------------------------------------------
    @property
    def who(self):
        return self.window.dispatch.signed_in if hasattr(self.window, "dispatch") else None

    def may(self, permission: str) -> bool:
        who = self.who
        return who is not None and who.may(permission)

    def signed_in_changed(self) -> None:
        allowed = self.may("ledgers.read")
        self.tabs.setVisible(allowed)
        self.denied.setVisible(not allowed)
        self.alert.setVisible(allowed)
        self.refresh_button.setEnabled(allowed)
        if not allowed:
            self.board_rows, self.people_rows, self.mediation_rows, self.petition_rows, self.zero_rows = [], [], [], [], []
            self.sweep_rows = []
            self.detail, self.current_person = None, None
            self._fill()
        self._show_detail_box()
        self._enable()
        live = self.who is not None and getattr(self.window, "live_enabled", False)
        if live and not self.escalation_timer.isActive():
            self.escalation_timer.start()  # first look in a few minutes; opening the dock looks at once
        elif not live:
            self.escalation_timer.stop()
        if allowed and self.isVisible():
            self.refresh()

    def _enable(self) -> None:
        has_person = self.detail is not None
        self.record_visit_button.setEnabled(has_person and self.may("visits.record"))
        self.show_person_button.setEnabled(has_person)
        self.edit_person_button.setEnabled(has_person and self.may("ledgers.edit"))
        med = self.may("mediation.record")
        self.new_mediation_button.setEnabled(med)
        selected_med = self._selected(self.mediation_table, self.mediation_rows)
        self.session_button.setEnabled(med and selected_med is not None and selected_med.outcome == "pending")
        self.outcome_button.setEnabled(med and selected_med is not None and selected_med.outcome == "pending")
        today = local_time(self.window.clock()).date()
        self.follow_up_button.setEnabled(med and selected_med is not None and selected_med.outcome == "agreed"
                                         and selected_med.follow_up_day is None and selected_med.follow_up_due is not None
                                         and today >= date.fromisoformat(selected_med.follow_up_due))
        selected_sweep = self._selected(self.sweeps_table, self.sweep_rows)
        self.sweep_button.setEnabled(med and selected_sweep is not None and selected_sweep.done_day is None)
        self.import_people_button.setEnabled(self.may("ledgers.edit"))
        self.import_visits_button.setEnabled(self.may("visits.record"))
        pet = self.may("petitions.edit")
        self.zero_button.setEnabled(pet and self._selected(self.zero_table, self.zero_rows) is not None)
        self.contact_button.setEnabled(pet and self._selected(self.petition_table, self.petition_rows) is not None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.may("ledgers.read") and not self.board_rows and not self.people_rows:
            self.refresh()

    # --- words ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        lang = self.window.lang
        self.refresh_button.setText(self.tr("Refresh"))
        self.denied.setText(self.tr("Your role sees the number of people under supervision per grid on the map; "
                                    "the ledgers are for the ledger keeper, dispatchers and supervisors."))
        for k, text in enumerate((self.tr("Visits due"), self.tr("People"), self.tr("Mediation"), self.tr("Petitions"))):
            self.tabs.setTabText(k, text)
        self.board.setHorizontalHeaderLabels([self.tr("State"), self.tr("Days late"), self.tr("Number"), self.tr("Name"),
                                              self.tr("Kind"), self.tr("Grid"), self.tr("Grid worker")])
        self.people_table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Name"), self.tr("Kind"), self.tr("Risk"),
                                                     self.tr("Grid"), self.tr("Next visit"), self.tr("State")])
        cur = self.kind_filter.currentIndex()
        self.kind_filter.blockSignals(True)
        self.kind_filter.clear()
        self.kind_filter.addItem(self.tr("Every kind"), None)
        for code, term in PERSON_KINDS.items():
            self.kind_filter.addItem(term.label(lang), code)
        self.kind_filter.setCurrentIndex(max(0, cur))
        self.kind_filter.blockSignals(False)
        self.mediation_table.setHorizontalHeaderLabels([self.tr("Case"), self.tr("Parties"), self.tr("Mediator"), self.tr("Sessions"),
                                                        self.tr("Outcome"), self.tr("Agreement"), self.tr("Follow-up")])
        self.new_mediation_button.setText(self.tr("New…"))
        self.session_button.setText(self.tr("Session…"))
        self.outcome_button.setText(self.tr("Outcome…"))
        self.follow_up_button.setText(self.tr("Follow-up…"))
        self.petition_table.setHorizontalHeaderLabels([self.tr("Number"), self.tr("Petitioner"), self.tr("Subject"),
                                                       self.tr("Working group"), self.tr("Responsible (5+1)"), self.tr("Last contact")])
        self.zero_table.setHorizontalHeaderLabels([self.tr("Petition"), self.tr("Responsible"), self.tr("Name"), self.tr("Today")])
        self.zero_button.setText(self.tr("Record zero-report…"))
        self.sweeps_table.setHorizontalHeaderLabels([self.tr("Grid"), self.tr("Planned"), self.tr("Done"), self.tr("Disputes found")])
        self.sweep_button.setText(self.tr("Record sweep result…"))
        self.import_people_button.setText(self.tr("Import people…"))
        self.import_visits_button.setText(self.tr("Import visit log…"))
        self.contact_button.setText(self.tr("Record a contact…"))
        self.helpers_table.setHorizontalHeaderLabels([self.tr("Responsible as"), self.tr("Name"), self.tr("Phone")])
        self.visits_table.setHorizontalHeaderLabels([self.tr("Visited"), self.tr("Visitor"), self.tr("Found"), self.tr("Findings"),
                                                     self.tr("Tracker evidence")])
        self.record_visit_button.setText(self.tr("Record a visit…"))
        self.show_person_button.setText(self.tr("Show on map"))
        self.edit_person_button.setText(self.tr("Risk / end…"))
        self.detail_box.setTitle(self.tr("Person"))
        self._fill()

    def state_text(self, state: str) -> str:
        return {"lost": self.tr("Out of supervision"), "overdue": self.tr("Overdue"), "due": self.tr("Due"),
                "ok": self.tr("On schedule"), "ended": self.tr("Ended")}[state]

    # --- reading, off the GUI thread ----------------------------------------------------------------
    def _run(self, what: str, job) -> None:
        """The ledgers' reads are audited, so each is also a write: they run on the GUI thread, one
        short transaction after another like the case panel's, never beside another writer of this
        process (two writers of one SQLite file racing in one process failed in the test suite, and
        these reads take milliseconds at an office's scale). Checking an Excel file for an import reads
        the file and the store only, and runs on a Python thread."""
        if what == "plan":
            self._jobs.run(what, job)
            return
        try:
            result, error = job(), None
        except GridWatchError as exc:
            result, error = None, exc
        except Exception as exc:  # logged and said, never a silent failure
            log.exception("ledgers: %s failed", what)
            result, error = None, f"{type(exc).__name__}: {exc}"
        self._on_done(what, result, error)

    def wait(self, timeout: float = 60) -> bool:
        return self._jobs.wait(timeout)

    def refresh(self, escalate: bool = True) -> None:
        """Everything the dock shows, read again, anyone newly out of supervision given their case
        first. A live console also escalates every few minutes with the dock closed."""
        who = self.who
        if who is None or not who.may("ledgers.read"):
            return
        store, now = self.window.store, self.window.clock()

        def job():
            from data.ledgers import mediation as M
            from data.ledgers import people as P
            from data.ledgers import petitions as T
            escalated = P.escalate_lost(store, now) if escalate else []
            today = local_time(now).date()
            return dict(escalated=escalated, board=P.visits_due(store, who, now), people=P.people(store, who, now=now),
                        mediations=M.mediations(store, who, now=now, since=today - timedelta(days=365)),
                        stats=M.mediation_stats(store, today - timedelta(days=365), today + timedelta(days=1)),
                        sweeps=M.sweeps(store, who, today.replace(day=1), (today.replace(day=1) + timedelta(days=32)).replace(day=1)),
                        petitions=T.petitions(store, who, now=now), zero=T.zero_report_status(store, who, now=now),
                        counts=P.grid_counts(store, now))
        self._run("all", job)

    def escalate(self) -> None:
        """Look for people out of supervision and open their cases (the system acts, not the account)."""
        store, now = self.window.store, self.window.clock()

        def job():
            from data.ledgers.people import escalate_lost, grid_counts
            return dict(escalated=escalate_lost(store, now), counts=grid_counts(store, now))
        self._run("escalate", job)

    def load_person(self, person_id: int) -> None:
        who, store, now = self.who, self.window.store, self.window.clock()

        def job():
            from data.ledgers.people import person
            return person(store, who, person_id, now)
        self._run("person", job)

    def _on_done(self, what: str, result, error) -> None:
        if what == "plan":
            self._planned(result, error)
            return
        if error is not None:
            self.window.refuse(error if isinstance(error, GridWatchError) else str(error))
            return
        if what in ("all", "escalate"):
            if result["escalated"]:
                self._escalated_text = self.tr("Out of supervision: case %1 opened").replace(
                    "%1", ", ".join(e.case_no for e in result["escalated"]))
                self.window.status_message.setText(self._escalated_text)
                self.window.dispatch.refresh_cases()
            self.window.show_ledger_alerts(sum(c.alerts for c in result["counts"].values()))
            layer = self.window.canvas.layer("supervision")
            grids = self.window.canvas.layer("grids")
            if layer is not None and grids is not None:
                layer.set_counts(grids.features, result["counts"])
            if what == "escalate":
                return
            self.board_rows, self.people_rows = result["board"], result["people"]
            self.mediation_rows, self.stats, self.sweep_rows = result["mediations"], result["stats"], result["sweeps"]
            self.petition_rows, self.zero_rows = result["petitions"], result["zero"]
            self._fill()
            if self.current_person is not None:
                self.load_person(self.current_person)
        elif what == "person":
            self.detail = result
            self._fill_detail()
        self._enable()

    # --- showing ------------------------------------------------------------------------------------
    def _fill(self) -> None:
        lang = self.window.lang
        lost = sum(r.schedule.state == "lost" for r in self.board_rows)
        overdue = sum(r.schedule.state == "overdue" for r in self.board_rows)
        due = sum(r.schedule.state == "due" for r in self.board_rows)
        self.alert.setText(self.tr("%1 out of supervision · %2 overdue · %3 due").replace("%1", str(lost))
                           .replace("%2", str(overdue)).replace("%3", str(due)))
        self.alert.setStyleSheet(f"color: {STATE_COLOURS['lost'] if lost else STATE_COLOURS['overdue'] if overdue else '#333333'};"
                                 "font-weight: bold")
        self.board.setSortingEnabled(False)
        paused = _pause(self.board)
        self.board.setRowCount(len(self.board_rows))
        for i, r in enumerate(self.board_rows):
            colour = STATE_COLOURS[r.schedule.state]
            worker = r.helper("grid_worker")
            severity = SCHEDULE_STATES.index(r.schedule.state)
            cells = [_item(self.state_text(r.schedule.state), colour, True, r.id, key=severity),
                     _item(r.schedule.days_late, colour, key=r.schedule.days_late),
                     _item(r.ledger_no), _item(r.name), _item(PERSON_KINDS[r.kind].label(lang)), _item(r.grid_code or "—"),
                     _item(worker.name if worker else "—")]
            for c, it in enumerate(cells):
                self.board.setItem(i, c, it)
        _resume(self.board, paused)
        self.board.setSortingEnabled(True)
        self.board.sortItems(0, Qt.AscendingOrder)  # worst first, as the services order them
        self._fill_people()
        self._fill_mediation()
        self._fill_sweeps()
        self._fill_petitions()

    def _fill_people(self) -> None:
        lang = self.window.lang
        kind = self.kind_filter.currentData()
        rows = [r for r in self.people_rows if kind is None or r.kind == kind]
        self.people_table.setSortingEnabled(False)
        paused = _pause(self.people_table)
        self.people_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            colour = STATE_COLOURS[r.schedule.state]
            for c, it in enumerate([_item(r.ledger_no, data=r.id), _item(r.name), _item(PERSON_KINDS[r.kind].label(lang)),
                                    _item(RISK_LEVELS[r.risk].label(lang)), _item(r.grid_code or "—"),
                                    _item(r.schedule.due_day.isoformat(), colour),
                                    _item(self.state_text(r.schedule.state), colour, key=SCHEDULE_STATES.index(r.schedule.state))]):
                self.people_table.setItem(i, c, it)
        _resume(self.people_table, paused)
        self.people_table.setSortingEnabled(True)
        self.people_table.sortItems(6, Qt.AscendingOrder)

    def _fill_mediation(self) -> None:
        lang = self.window.lang
        st = self.stats
        if st is not None:
            rate = lambda v: "—" if v is None else f"{v:.1%}"
            self.mediation_stats.setText(self.tr("Last 12 months: %1 mediated, success %2, recurrence %3 of %4 followed up; "
                                                 "sweeps %5 of %6 done, %7 disputes found")
                                         .replace("%1", str(st.concluded)).replace("%2", rate(st.success_rate))
                                         .replace("%3", rate(st.recurrence_rate)).replace("%4", str(st.followed_up))
                                         .replace("%5", str(st.sweeps_done)).replace("%6", str(st.sweeps_planned))
                                         .replace("%7", str(st.disputes_found)))
        today = local_time(self.window.clock()).date()
        paused = _pause(self.mediation_table)
        self.mediation_table.setRowCount(len(self.mediation_rows))
        for i, r in enumerate(self.mediation_rows):
            if r.follow_up_day:
                follow = (self.tr("recurred") if r.recurred else self.tr("no recurrence")) + f" ({r.follow_up_day})"
            elif r.follow_up_due:
                follow = self.tr("due %1").replace("%1", r.follow_up_due)
            else:
                follow = "—"
            late = r.follow_up_overdue(today)
            cells = [_item(r.case_no, data=r.id), _item("、".join(r.parties)), _item("、".join(r.mediators)), _item(r.sessions),
                     _item(MEDIATION_OUTCOMES[r.outcome].label(lang), "#b00020" if r.outcome == "failed" else None),
                     _item(r.agreement_ref or "—"), _item(follow, STATE_COLOURS["overdue"] if late else None)]
            for c, it in enumerate(cells):
                self.mediation_table.setItem(i, c, it)
        _resume(self.mediation_table, paused)

    def _fill_sweeps(self) -> None:
        today = local_time(self.window.clock()).date()
        late = sum(r.late(today) for r in self.sweep_rows)
        self.sweeps_title.setText(self.tr("This month's sweeps (排查): %1 of %2 done, %3 late")
                                  .replace("%1", str(sum(r.done_day is not None for r in self.sweep_rows)))
                                  .replace("%2", str(len(self.sweep_rows))).replace("%3", str(late)))
        paused = _pause(self.sweeps_table)
        self.sweeps_table.setRowCount(len(self.sweep_rows))
        for i, r in enumerate(self.sweep_rows):
            colour = "#b00020" if r.late(today) else ("#888888" if r.done_day is None else None)
            cells = [_item(r.grid_code, data=r.id), _item(r.planned_day, colour), _item(r.done_day or "—", colour),
                     _item(r.found if r.done_day else "—")]
            for c, it in enumerate(cells):
                self.sweeps_table.setItem(i, c, it)
        _resume(self.sweeps_table, paused)

    def _fill_petitions(self) -> None:
        lang = self.window.lang
        paused = _pause(self.petition_table)
        self.petition_table.setRowCount(len(self.petition_rows))
        for i, r in enumerate(self.petition_rows):
            five = "；".join(f"{PETITION_ROLES[role].label(lang)} {name}" for _id, role, name in r.responsibles)
            cells = [_item(r.petition_no, data=r.id), _item(r.petitioner), _item(r.subject), _item(r.working_group), _item(five),
                     _item(local_hm(r.last_contact) if r.last_contact else "—")]
            for c, it in enumerate(cells):
                self.petition_table.setItem(i, c, it)
        _resume(self.petition_table, paused)
        missing = sum(r.missing for r in self.zero_rows)
        self.zero_title.setText(self.tr("Today's zero-reports: %1 of %2 in, %3 missing (due by 12:00)")
                                .replace("%1", str(sum(r.submitted for r in self.zero_rows)))
                                .replace("%2", str(len(self.zero_rows))).replace("%3", str(missing)))
        paused = _pause(self.zero_table)
        self.zero_table.setRowCount(len(self.zero_rows))
        for i, r in enumerate(self.zero_rows):
            if r.submitted:
                state, colour = (self.tr("Nothing to report") if r.nothing else self.tr("Report: %1").replace("%1", r.report)), None
            elif r.missing:
                state, colour = self.tr("Missing"), "#b00020"
            else:
                state, colour = self.tr("Not yet"), "#888888"
            cells = [_item(r.petition_no, data=r.responsible_id), _item(PETITION_ROLES[r.role].label(lang)), _item(r.name),
                     _item(state, colour, r.missing)]
            for c, it in enumerate(cells):
                self.zero_table.setItem(i, c, it)
        _resume(self.zero_table, paused)

    def _fill_detail(self) -> None:
        lang = self.window.lang
        d = self.detail
        self.helpers_table.setRowCount(0)
        self.visits_table.setRowCount(0)
        if d is None:
            self.person_title.setText("")
            return
        p = d.person
        text = (f"{p.ledger_no}  {p.name}  {PERSON_KINDS[p.kind].label(lang)} · {RISK_LEVELS[p.risk].label(lang)} · "
                f"{p.grid_code or '—'}\n" + self.tr("ID %1 · phone %2 · since %3").replace("%1", p.id_number)
                .replace("%2", p.phone or "—").replace("%3", p.since_day))
        if p.address:
            text += "\n" + p.address
        text += "\n" + self.tr("%1: next visit due %2").replace("%1", self.state_text(p.schedule.state)).replace(
            "%2", p.schedule.due_day.isoformat())
        self.person_title.setText(text)
        self.person_title.setStyleSheet(f"color: {STATE_COLOURS[p.schedule.state]}")
        paused = _pause(self.helpers_table)
        self.helpers_table.setRowCount(len(p.helpers))
        for i, h in enumerate(p.helpers):
            for c, it in enumerate([_item(HELPER_ROLES[h.role].label(lang)), _item(h.name), _item(h.phone or "—")]):
                self.helpers_table.setItem(i, c, it)
        _resume(self.helpers_table, paused)
        paused = _pause(self.visits_table)
        self.visits_table.setRowCount(len(d.visits))
        for i, v in enumerate(d.visits):
            evidence = self.tr("%1 m from home").replace("%1", f"{v.evidence_m:.0f}") if v.evidence_m is not None else "—"
            cells = [_item(local_hm(v.t)), _item(v.visitor), _item(self.tr("yes") if v.found else self.tr("NOT FOUND"),
                                                                    None if v.found else "#b00020", not v.found),
                     _item(v.findings + (f" → {v.follow_up}" if v.follow_up else "")), _item(evidence)]
            for c, it in enumerate(cells):
                self.visits_table.setItem(i, c, it)
        _resume(self.visits_table, paused)

    def _show_detail_box(self) -> None:
        self.detail_box.setVisible(not self.tabs.isHidden() and self.tabs.currentIndex() in (0, 1) and self.may("ledgers.read"))

    @staticmethod
    def _selected(table: QTableWidget, rows: list):
        r = table.currentRow()
        if r < 0 or table.item(r, 0) is None:
            return None
        key = table.item(r, 0).data(Qt.UserRole)
        return next((x for x in rows if getattr(x, "id", getattr(x, "responsible_id", None)) == key), None)

    def _select_from(self, table: QTableWidget) -> None:
        r = table.currentRow()
        if r < 0 or table.item(r, 0) is None:
            return
        self.current_person = table.item(r, 0).data(Qt.UserRole)
        self.load_person(self.current_person)

    # --- writing (each one short transaction, on the GUI thread) -----------------------------------
    def _dialog(self, name: str, title: str) -> FormDialog:
        dlg = FormDialog(self, name, title)
        dlg.lang = self.window.lang
        self.dialog = dlg
        return dlg

    def _written(self, text: str) -> None:
        """Say what was written, after reading the ledgers again (and with any case that opened)."""
        self._escalated_text = ""
        self.refresh()
        self.window.status_message.setText(text + (f" · {self._escalated_text}" if self._escalated_text else ""))

    def record_visit(self) -> FormDialog | None:
        if self.detail is None:
            return None
        p = self.detail.person
        lang = self.window.lang
        dlg = self._dialog("visitDialog", self.tr("Visit to %1").replace("%1", f"{p.ledger_no} {p.name}"))
        visitor = QComboBox(dlg)
        visitor.setObjectName("visitVisitor")
        for h in p.helpers:
            visitor.addItem(f"{HELPER_ROLES[h.role].label(lang)} {h.name}", h.id)
        when = _datetime_edit(dlg, self.window.clock())
        when.setObjectName("visitTime")
        found = QCheckBox(self.tr("The person was found"), dlg)
        found.setObjectName("visitFound")
        found.setChecked(True)
        findings = QLineEdit(dlg)
        findings.setObjectName("visitFindings")
        follow_up = QLineEdit(dlg)
        follow_up.setObjectName("visitFollowUp")
        open_case = QCheckBox(self.tr("Open a case for the follow-up"), dlg)
        open_case.setObjectName("visitOpenCase")
        dlg.form.addRow(self.tr("Visitor"), visitor)
        dlg.form.addRow(self.tr("When"), when)
        dlg.form.addRow("", found)
        dlg.form.addRow(self.tr("Findings"), findings)
        dlg.form.addRow(self.tr("Follow-up"), follow_up)
        dlg.form.addRow("", open_case)
        store, who, person_id = self.window.store, self.who, p.id

        def submit():
            from data.ledgers.people import record_visit
            case = dict(description=follow_up.text().strip()) if open_case.isChecked() else None  # the kind's subcategory
            res = record_visit(store, who, person_id, t=_utc(when), helper_id=visitor.currentData(), found=found.isChecked(),
                               findings=findings.text().strip(), follow_up=follow_up.text().strip(), open_case=case,
                               now=self.window.clock())
            evidence = (self.tr("tracker %1 m from the address").replace("%1", f"{res.evidence_m:.0f}")
                        if res.evidence_m is not None else self.tr("no tracker fix near the address"))
            text = self.tr("Visit recorded (%1)").replace("%1", evidence)
            if res.case_no:
                text += " · " + self.tr("case %1 opened").replace("%1", res.case_no)
                self.window.dispatch.refresh_cases()
            self._written(text)
        dlg.submit = submit
        dlg.open()
        return dlg

    def edit_person(self) -> FormDialog | None:
        """Change the risk level (the visit interval follows) or end the supervision (解除)."""
        if self.detail is None:
            return None
        p = self.detail.person
        lang = self.window.lang
        dlg = self._dialog("personDialog", p.ledger_no + " " + p.name)
        risk = QComboBox(dlg)
        risk.setObjectName("personRisk")
        for code, term in RISK_LEVELS.items():
            risk.addItem(term.label(lang), code)
        risk.setCurrentIndex(risk.findData(p.risk))
        ended = QCheckBox(self.tr("Supervision ended on"), dlg)
        ended.setObjectName("personEnded")
        ended.setChecked(p.until_day is not None)
        until = _date_edit(dlg, date.fromisoformat(p.until_day) if p.until_day else local_time(self.window.clock()).date())
        until.setObjectName("personUntil")
        dlg.form.addRow(self.tr("Risk"), risk)
        dlg.form.addRow(ended, until)
        store, who, person_id = self.window.store, self.who, p.id

        def submit():
            from data.ledgers.people import update_person
            update_person(store, who, person_id, risk=risk.currentData(),
                          until_day=until.date().toPython() if ended.isChecked() else None, at=self.window.clock())
            self._written(self.tr("%1 updated").replace("%1", p.ledger_no))
        dlg.submit = submit
        dlg.open()
        return dlg

    def show_person(self) -> None:
        """Centre the map on the person's home (roles that may read it) or on their grid."""
        if self.detail is None:
            return
        p = self.detail.person
        canvas = self.window.canvas
        if p.lon is not None:
            x, y = (float(v) for v in self.window.projection.lonlat_to_xy(p.lon, p.lat))
            canvas.zoom_to((x - 150, y - 150, x + 150, y + 150))
            return
        grids = canvas.layer("grids")
        if grids is not None and p.grid_code:
            codes = list(grids.features.column("code"))
            if p.grid_code in codes:
                canvas.zoom_to(grids.features.geoms[codes.index(p.grid_code)].bounds)
        canvas.set_layer_visible("supervision", True)

    def new_mediation(self) -> FormDialog:
        dlg = self._dialog("mediationDialog", self.tr("New mediation record"))
        case_no, parties, mediators = QLineEdit(dlg), QLineEdit(dlg), QLineEdit(dlg)
        case_no.setObjectName("mediationCase")
        parties.setObjectName("mediationParties")
        mediators.setObjectName("mediationMediators")
        parties.setPlaceholderText(self.tr("names, separated by 、 or ,"))
        dlg.form.addRow(self.tr("Dispute case number"), case_no)
        dlg.form.addRow(self.tr("Parties"), parties)
        dlg.form.addRow(self.tr("Mediators"), mediators)
        store, who = self.window.store, self.who

        def split(text: str) -> list[str]:
            import re
            return [t for t in re.split(r"[、,，;；\s]+", text) if t]

        def submit():
            from data.cases.dispatch import find_cases
            from data.ledgers.mediation import open_mediation
            from data.ledgers.people import LedgerError
            hits = [i for i, no in find_cases(store, case_no.text()) if no == case_no.text().strip()]
            if not hits:
                raise LedgerError("ledger.not_found", what="case", id=case_no.text().strip())
            open_mediation(store, who, hits[0], split(parties.text()), split(mediators.text()), at=self.window.clock())
            self._written(self.tr("Mediation record started"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def add_session(self) -> FormDialog | None:
        rec = self._selected(self.mediation_table, self.mediation_rows)
        if rec is None:
            return None
        dlg = self._dialog("sessionDialog", self.tr("Mediation session for %1").replace("%1", rec.case_no))
        day = _date_edit(dlg, local_time(self.window.clock()).date())
        mediator, note = QLineEdit(rec.mediators[0] if rec.mediators else "", dlg), QLineEdit(dlg)
        dlg.form.addRow(self.tr("Day"), day)
        dlg.form.addRow(self.tr("Mediator"), mediator)
        dlg.form.addRow(self.tr("Note"), note)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.mediation import add_session
            add_session(store, who, rec.id, day.date().toPython(), mediator.text(), note.text(), at=self.window.clock())
            self._written(self.tr("Session recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def record_outcome(self) -> FormDialog | None:
        rec = self._selected(self.mediation_table, self.mediation_rows)
        if rec is None:
            return None
        dlg = self._dialog("outcomeDialog", self.tr("Outcome of %1").replace("%1", rec.case_no))
        agreed = QCheckBox(self.tr("Agreement reached"), dlg)
        agreed.setObjectName("outcomeAgreed")
        agreed.setChecked(True)
        ref = QLineEdit(dlg)
        ref.setObjectName("outcomeReference")
        dlg.form.addRow("", agreed)
        dlg.form.addRow(self.tr("Written agreement no."), ref)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.mediation import conclude
            conclude(store, who, rec.id, agreed.isChecked(), ref.text(), at=self.window.clock())
            self._written(self.tr("Outcome recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def record_follow_up(self) -> FormDialog | None:
        rec = self._selected(self.mediation_table, self.mediation_rows)
        if rec is None:
            return None
        dlg = self._dialog("followUpDialog", self.tr("Follow-up visit for %1").replace("%1", rec.case_no))
        day = _date_edit(dlg, local_time(self.window.clock()).date())
        recurred = QCheckBox(self.tr("The dispute came back"), dlg)
        recurred.setObjectName("followUpRecurred")
        dlg.form.addRow(self.tr("Day"), day)
        dlg.form.addRow("", recurred)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.mediation import follow_up
            follow_up(store, who, rec.id, recurred.isChecked(), day.date().toPython(), at=self.window.clock())
            self._written(self.tr("Follow-up recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def record_sweep(self) -> FormDialog | None:
        row = self._selected(self.sweeps_table, self.sweep_rows)
        if row is None:
            return None
        dlg = self._dialog("sweepDialog", self.tr("Sweep of grid %1").replace("%1", row.grid_code))
        day = _date_edit(dlg, local_time(self.window.clock()).date())
        found = QSpinBox(dlg)
        found.setObjectName("sweepFound")
        found.setRange(0, 999)
        note = QLineEdit(dlg)
        note.setObjectName("sweepNote")
        dlg.form.addRow(self.tr("Day"), day)
        dlg.form.addRow(self.tr("Disputes found"), found)
        dlg.form.addRow(self.tr("Note"), note)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.mediation import complete_sweep
            complete_sweep(store, who, row.id, found.value(), note.text().strip(), day.date().toPython(), at=self.window.clock())
            self._written(self.tr("Sweep recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def import_dialog(self, kind: str) -> FormDialog:
        """Which file (and, for people, what its coordinates are), then every row checked on a thread:
        the problems by row and nothing imported, or how many would be, to confirm."""
        title = self.tr("Import people from Excel") if kind == "people" else self.tr("Import a visit log from Excel")
        dlg = self._dialog("importDialog", title)
        path = QLineEdit(dlg)
        path.setObjectName("importPath")
        browse = QPushButton(self.tr("Browse…"), dlg)
        browse.clicked.connect(lambda: path.setText(QFileDialog.getOpenFileName(
            dlg, title, path.text(), self.tr("Excel or CSV (*.xlsx *.xlsm *.csv)"))[0] or path.text()))
        row = QHBoxLayout()
        row.addWidget(path, 1)
        row.addWidget(browse)
        dlg.form.addRow(self.tr("File"), row)
        coords = QComboBox(dlg)
        coords.setObjectName("importCoords")
        for code, label in (("wgs84", self.tr("GPS / CGCS2000")), ("gcj02", self.tr("GCJ-02 (Amap, Tencent)")),
                            ("bd09", self.tr("BD-09 (Baidu)"))):
            coords.addItem(label, code)
        if kind == "people":
            dlg.form.addRow(self.tr("Coordinates"), coords)
        dlg.message.setStyleSheet("")
        store, who, now = self.window.store, self.who, self.window.clock()
        planned: dict = {}

        def submit():
            from data.ledgers import imports as LI
            from data.ledgers.people import LedgerError
            plan = planned.get("plan")
            if plan is not None and plan.ok and planned.get("path") == path.text():
                n = LI.commit(store, who, plan, now=self.window.clock())
                self._written(self.tr("%1 rows imported from %2").replace("%1", str(n)).replace("%2", plan.file))
                return
            if not path.text().strip():
                raise LedgerError("import.no_file", file="—")
            planned.clear()

            def job():
                return LI.plan_people(store, path.text().strip(), coords=coords.currentData()) if kind == "people" \
                    else LI.plan_visits(store, path.text().strip(), now=now)
            dlg.ok_button().setEnabled(False)
            dlg.message.setText(self.tr("Checking every row…"))
            self._run("plan", job)
            raise _Pending()
        dlg.submit = submit
        self._import = (dlg, planned, path)
        dlg.open()
        return dlg

    def _planned(self, plan, error) -> None:
        """The import's check is done: show the problems (nothing imported) or ask to confirm."""
        dlg, planned, path = self._import
        dlg.ok_button().setEnabled(True)
        if error is not None:
            dlg.message.setStyleSheet("color: #b00020")
            dlg.message.setText(say(error, self.window.lang) if isinstance(error, GridWatchError) else str(error))
            return
        if plan.problems:
            shown = plan.problems[:30]
            more = len(plan.problems) - len(shown)
            dlg.message.setStyleSheet("color: #b00020")
            dlg.message.setText(self.tr("%1 bad row(s); nothing was imported:").replace("%1", str(len(plan.problems))) + "\n"
                                + "\n".join(say(p, self.window.lang) for p in shown)
                                + (("\n" + self.tr("… and %1 more").replace("%1", str(more))) if more else ""))
            return
        planned.update(plan=plan, path=path.text())
        dlg.message.setStyleSheet("")
        dlg.message.setText(self.tr("Every row is good: OK imports %1 row(s).").replace("%1", str(len(plan.records))))

    def record_zero_report(self) -> FormDialog | None:
        row = self._selected(self.zero_table, self.zero_rows)
        if row is None:
            return None
        dlg = self._dialog("zeroReportDialog", self.tr("Zero-report of %1 (%2)").replace("%1", row.name).replace("%2", row.petition_no))
        nothing = QCheckBox(self.tr("Nothing to report"), dlg)
        nothing.setObjectName("zeroNothing")
        nothing.setChecked(True)
        report = QLineEdit(dlg)
        report.setObjectName("zeroReport")
        dlg.form.addRow("", nothing)
        dlg.form.addRow(self.tr("Report"), report)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.petitions import submit_zero_reports
            now = self.window.clock()
            submit_zero_reports(store, who, [dict(responsible_id=row.responsible_id, day=local_time(now).date(),
                                                  nothing=nothing.isChecked(), report=report.text().strip(), t=now)], at=now)
            self._written(self.tr("Zero-report recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg

    def record_contact(self) -> FormDialog | None:
        row = self._selected(self.petition_table, self.petition_rows)
        if row is None:
            return None
        lang = self.window.lang
        dlg = self._dialog("contactDialog", self.tr("Contact with the petitioner of %1").replace("%1", row.petition_no))
        kind = QComboBox(dlg)
        for code, term in PETITION_CONTACTS.items():
            kind.addItem(term.label(lang), code)
        when = _datetime_edit(dlg, self.window.clock())
        note = QLineEdit(dlg)
        dlg.form.addRow(self.tr("Kind"), kind)
        dlg.form.addRow(self.tr("When"), when)
        dlg.form.addRow(self.tr("Note"), note)
        store, who = self.window.store, self.who

        def submit():
            from data.ledgers.petitions import add_contact
            add_contact(store, who, row.id, kind.currentData(), _utc(when), who.display_name, note.text(), at=self.window.clock())
            self._written(self.tr("Contact recorded"))
        dlg.submit = submit
        dlg.open()
        return dlg
