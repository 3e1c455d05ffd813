"""The selected case: its details and timeline, the actions its stage allows, and the teams
recommended for it by road travel time, with Assign."""

from __future__ import annotations

from typing import Callable


from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QGridLayout, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from console.messages import local_hm, note_text, say
from data.cases.rules import ACTIONS, NON_STAGE_ACTIONS, allowed_actions
from data.domain import ACTION_NAMES, PRIORITIES, RESULTS, STAGES, SUBCATEGORIES, TEAM_KINDS, TRANSPORT
from data.routing.recommender import Recommendation



def action_label(action: str, lang: str | None = None) -> str:
    """An action's name in the interface language (data.domain.ACTION_NAMES is the one vocabulary)."""
    from console import i18n
    return ACTION_NAMES[action].label(lang or i18n.current_language())


class DispatchPanel(QWidget):
    actionRequested = Signal(str)
    assignRequested = Signal(int)  # team id
    manualAssignRequested = Signal()  # any team, by hand, with a reason
    rankAgainRequested = Signal()  # rank the teams again for a case that already has one
    candidateChosen = Signal(int)  # team id (draw its route)
    auditRequested = Signal()  # show the case's audit
    revealRequested = Signal()  # show the reporter's whole number (audited)

    EXCLUDED_HEIGHT = 120  # px for the reasons while teams are ranked above them
    ACTION_COLUMNS = 4  # 12 actions in three rows (a fourth row pushed the reasons below 768 px)

    def __init__(self, lang: str, parent=None):
        super().__init__(parent)
        self.lang = lang
        self.header = QLabel(self)
        self.header.setObjectName("caseHeader")
        self.header.setWordWrap(True)
        self.history = QLabel(self)
        self.timeline = QTableWidget(0, 4, self)
        self.timeline.setObjectName("caseTimeline")
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for k, action in enumerate(ACTIONS):
            if action == "dispatch":
                continue  # dispatching is the Assign button below
            b = QPushButton(self)
            b.setObjectName(f"action_{action}")
            b.clicked.connect(lambda _=False, a=action: self.actionRequested.emit(a))
            self.buttons[action] = b
            k = len(self.buttons) - 1
            grid.addWidget(b, k // self.ACTION_COLUMNS, k % self.ACTION_COLUMNS)
        # Five columns fit a 360 px dock at 1366x768: the kind and the straight-line distance are in
        # the reasons and the tooltips, not columns of their own (the reasons were pushed off screen).
        self.recs = QTableWidget(0, 5, self)
        self.recs.setObjectName("recommendations")
        self.excluded = QTableWidget(0, 2, self)
        self.excluded.setObjectName("excludedTeams")
        self.no_team = QLabel(self)
        self.no_team.setWordWrap(True)
        self.no_team.setStyleSheet("color: #b00020;")
        self.assign = QPushButton(self, clicked=self._assign)
        self.assign.setObjectName("assignButton")
        # When nobody qualifies, or the dispatcher knows better: any team, with a reason on record.
        self.assign_other = QPushButton(self, clicked=lambda: self.manualAssignRequested.emit())
        self.assign_other.setObjectName("assignOtherButton")
        self.rank_again = QPushButton(self, clicked=lambda: self.rankAgainRequested.emit())
        self.rank_again.setObjectName("rankAgainButton")
        for t in (self.timeline, self.recs, self.excluded):
            t.verticalHeader().setVisible(False)
            t.setEditTriggers(QAbstractItemView.NoEditTriggers)
            t.setSelectionBehavior(QAbstractItemView.SelectRows)
            t.horizontalHeader().setStretchLastSection(True)
            t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
            t.setWordWrap(False)
            t.verticalHeader().setDefaultSectionSize(t.fontMetrics().height() + 6)  # compact rows: more teams in view
            t.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            t.setTextElideMode(Qt.ElideRight)
        self.recs.setSelectionMode(QAbstractItemView.SingleSelection)
        self.recs.currentCellChanged.connect(lambda r, *_: self._chosen(r))
        self.timeline.setMaximumHeight(112)  # four events; the rest scroll, the ranking keeps the room
        self.excluded.setMaximumHeight(self.EXCLUDED_HEIGHT)
        self.rec_title, self.ex_title = QLabel(self), QLabel(self)
        self.audit_button = QPushButton(self, clicked=lambda: self.auditRequested.emit())
        self.audit_button.setObjectName("caseAuditButton")
        # Who reported the case: the number masked until a role that needs it asks (and is audited).
        self.reporter = QLabel(self)
        self.reporter.setObjectName("caseReporter")
        self.reveal = QPushButton(self, clicked=lambda: self.revealRequested.emit())
        self.reveal.setObjectName("revealContact")
        reporter_row = QHBoxLayout()
        reporter_row.addWidget(self.reporter, 1)
        reporter_row.addWidget(self.reveal)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        header_row = QHBoxLayout()  # the case's title, and its record of who did what beside it
        header_row.addWidget(self.header, 1)
        header_row.addWidget(self.audit_button, 0, Qt.AlignTop)
        lay.addLayout(header_row)
        lay.addLayout(reporter_row)
        lay.addWidget(self.history)
        lay.addWidget(self.timeline)
        lay.addLayout(grid)
        lay.addWidget(self.rec_title)
        lay.addWidget(self.no_team)
        lay.addWidget(self.recs, 1)
        lay.addWidget(self.assign)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.assign_other)
        row_buttons.addWidget(self.rank_again)
        lay.addLayout(row_buttons)
        lay.addWidget(self.ex_title)
        lay.addWidget(self.excluded)
        lay.addStretch(0)  # takes the room the ranking leaves when it is hidden, so the case stays at the top
        self.recommendation: Recommendation | None = None
        self.row, self.stage = None, None
        # Whether the signed-in account may take an action (set by the dispatch controller): the panel
        # disables only what the case services would refuse anyway; they decide.
        self.may: Callable[[str], bool] = lambda action: True
        self.retranslate(lang)
        self.show_case(None, [], None, [])

    def heightForWidth(self, width: int) -> int:
        # The scroll area holding the panel sizes it by height-for-width (the header wraps), which
        # Qt answers with the preferred height: a scroll bar appeared at 768 px although everything
        # fitted at its minimum. The tables shrink; only what cannot shrink needs a scroll bar.
        return self.layout().minimumHeightForWidth(width)

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.timeline.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Stage"), self.tr("By"), self.tr("Note")])
        self.recs.setHorizontalHeaderLabels([self.tr("#"), self.tr("Team"), self.tr("ETA"), self.tr("Road"), self.tr("Why")])
        self.excluded.setHorizontalHeaderLabels([self.tr("Team"), self.tr("Not recommended because")])
        self.assign.setText(self.tr("Assign the selected team"))
        self.assign_other.setText(self.tr("Assign another team by hand…"))
        self.rank_again.setText(self.tr("Rank teams again"))
        self.rec_title.setText(self.tr("Recommended teams (by road travel time)"))
        self.ex_title.setText(self.tr("Not recommended"))
        self.audit_button.setText(self.tr("Audit…"))
        self.reveal.setText(self.tr("Show number"))
        for a, b in self.buttons.items():
            b.setText(action_label(a, self.lang))
        if self.row is None:
            self.header.setText(self.tr("Select a case on the board, or right-click the map to log a new incident."))

    def show_case(self, row, events, stage: str | None, history: list, team_names: dict[int, str] | None = None) -> None:
        self.row, self.stage = row, stage
        team_names = team_names or {}
        if row is None:
            self.header.setText(self.tr("Select a case on the board, or right-click the map to log a new incident."))
            self.history.clear()
            self.timeline.setRowCount(0)
            for b in self.buttons.values():
                b.setEnabled(False)
            self.assign.setEnabled(False)
            self.assign_other.setEnabled(False)
            self.rank_again.setEnabled(False)
            self.audit_button.setEnabled(False)
            self.show_reporter(None, None, False, False)
            self.show_recommendation(None)
            return
        self.header.setText(f"<b>{row.case_no}</b>  {SUBCATEGORIES[row.subcategory].label(self.lang)} · "
                            f"{PRIORITIES[row.priority].label(self.lang)} · {STAGES[stage].label(self.lang) if stage else ''} · "
                            f"{row.grid_code or self.tr('outside jurisdiction')}")
        text = self.tr("%1 past incident(s) within 50 m in the last 90 days").replace("%1", str(len(history)))
        if history:
            text += ": " + ", ".join(f"{h.case_no} {SUBCATEGORIES[h.subcategory].label(self.lang)} ({h.distance_m:.0f} m)"
                                     for h in history[:6]) + (" …" if len(history) > 6 else "")
        self.history.setText(text)
        self.history.setWordWrap(True)
        self.timeline.setRowCount(len(events))
        for r, e in enumerate(events):
            # A dispatch row names the team sent (and an arrival the team that arrived).
            team = team_names.get(e.team_id, "") if e.team_id is not None and e.action in ("dispatch", "arrive") else ""
            result = RESULTS[e.result].label(self.lang) if e.result in RESULTS else (e.result or "")
            note = " ".join(x for x in (team and f"→ {team}", result, note_text(e.note, self.lang)) if x)
            # An event that does not move the case (a merged duplicate report) says what it was, not the stage.
            what = ACTION_NAMES[e.action].label(self.lang) if e.action in NON_STAGE_ACTIONS else STAGES[e.to_stage].label(self.lang)
            for c, text in enumerate((local_hm(e.t, "%m-%d %H:%M:%S"), what, e.actor, note)):
                self.timeline.setItem(r, c, QTableWidgetItem(text))
        self.timeline.scrollToBottom()
        allowed = set(allowed_actions(stage))
        for a, b in self.buttons.items():
            b.setEnabled(a in allowed and self.may(a))
        can_dispatch = "dispatch" in allowed and self.may("dispatch")
        self.assign.setEnabled(can_dispatch and bool(self.recommendation and self.recommendation.candidates))
        self.assign_other.setEnabled(can_dispatch)
        self.rank_again.setEnabled(can_dispatch and stage not in ("reported", "accepted"))

    def show_recommendation(self, rec: Recommendation | None) -> None:
        self.recommendation = rec
        # The ranking is shown while a team is to be chosen; otherwise its tables make way.
        cands = rec.candidates if rec else []
        excl = rec.excluded if rec else []
        for w in (self.rec_title, self.assign, self.ex_title, self.excluded):
            w.setVisible(rec is not None)
        # Nobody to rank: the empty table gives its room to the reasons why.
        self.recs.setVisible(rec is not None and bool(cands))
        self.excluded.setMaximumHeight(self.EXCLUDED_HEIGHT if cands else 16777215)
        self.recs.setRowCount(len(cands))
        for r, c in enumerate(cands):
            why = [TEAM_KINDS[c.kind].label(self.lang) + (self.tr(", same grid") if c.same_grid else "")]
            age = c.position_age_s or 0
            why.append(self.tr("position %1 min old").replace("%1", str(int(age // 60))) if age >= 60 else self.tr("position current"))
            why.append(TRANSPORT[c.transport].label(self.lang))
            reasons = self.tr("; ").join(why)  # a list separator is a word too: "；" in Chinese
            tips = ("", TEAM_KINDS[c.kind].label(self.lang), "",
                    self.tr("%1 m in a straight line").replace("%1", f"{c.straight_m:.0f}"), reasons)
            for col, text in enumerate((str(c.rank), c.name, self.tr("%1 min").replace("%1", f"{c.eta_s / 60:.1f}"),
                                        f"{c.road_m:.0f} m", reasons)):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, c.team_id)
                if tips[col]:
                    item.setToolTip(tips[col])
                self.recs.setItem(r, col, item)
        self.excluded.setRowCount(len(excl))
        for r, c in enumerate(excl):
            self.excluded.setItem(r, 0, QTableWidgetItem(c.name))
            reason = QTableWidgetItem(say(c.excluded, self.lang))
            reason.setToolTip(reason.text())
            self.excluded.setItem(r, 1, reason)
        msg = say(rec.message_if_none(), self.lang) if rec else None
        self.no_team.setText(msg or "")
        self.no_team.setVisible(bool(msg))
        if cands:
            self.recs.selectRow(0)
        self.assign.setEnabled(bool(cands) and self.row is not None and "dispatch" in allowed_actions(self.stage)
                               and self.may("dispatch"))

    def show_reporter(self, name: str | None, contact: str | None, masked: bool, may_reveal: bool) -> None:
        """The reporter's name and number (masked: 138****1234) with *Show number* for roles that may."""
        if not name and not contact:
            self.reporter.hide()
            self.reveal.hide()
            return
        self.reporter.setText(self.tr("Reporter: %1 %2").replace("%1", name or "—").replace("%2", contact or ""))
        self.reporter.show()
        self.reveal.setVisible(masked)
        self.reveal.setEnabled(masked and may_reveal)

    def selected_team(self) -> int | None:
        r = self.recs.currentRow()
        item = self.recs.item(r, 0) if r >= 0 else None
        return item.data(Qt.UserRole) if item else None

    def _chosen(self, row: int) -> None:
        item = self.recs.item(row, 0) if row >= 0 else None
        if item is not None:
            self.candidateChosen.emit(item.data(Qt.UserRole))

    def _assign(self) -> None:
        team = self.selected_team()
        if team is not None:
            self.assignRequested.emit(team)
