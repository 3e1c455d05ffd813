"""The dispatcher's loop in the console: who is on duty, logging an incident, the case panel, the
ranking of teams, the route, assigning and the other case actions.

A controller: it wires the case board, the case panel and the map to the services in data/cases and
data/routing, which decide everything (the rules, refusals with codes). Refusals are shown through
console.messages in the user's language; nothing here reads message text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QInputDialog, QMenu, QMessageBox

from console.dispatch_panel import action_label
from console.incident_dialog import IncidentDialog
from console.messages import say
from console.sign_in import SignInDialog
from data.cases import dispatch as D
from data.accounts import Principal
from data.messages import GridWatchError, Message, encode_note
from data.routing.recommender import Recommendation, Recommender, record_recommendation
from data.snapshot import load_incidents

if TYPE_CHECKING:
    from console.main_window import MainWindow
    from console.manual_assign import ManualAssignDialog

log = logging.getLogger(__name__)


class DispatchController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.w = window
        self.store = window.store
        self.signed_in: Principal | None = None  # the account working at this console
        self.sign_in_dialog: SignInDialog | None = None
        self.current_case: int | None = None
        self.incident_dialog: IncidentDialog | None = None
        self.context_menu: QMenu | None = None
        self._recommender: Recommender | None = None
        self._history: tuple[int | None, list] = (None, [])  # (case, incidents near it before it)
        panel = window.dispatch_panel
        panel.may = lambda action: self.signed_in is None or self.signed_in.may(f"case.{action}")
        window.case_board.caseSelected.connect(self.show_case)
        panel.actionRequested.connect(self._on_action_requested)
        panel.assignRequested.connect(self.assign_team)
        panel.manualAssignRequested.connect(self.assign_by_hand)
        panel.rankAgainRequested.connect(self.recommend_for_case)  # another team for a case already served
        panel.candidateChosen.connect(self.draw_route)
        panel.auditRequested.connect(self.show_case_audit)
        panel.revealRequested.connect(lambda: self._show_reporter(reveal=True))
        window.canvas.contextRequested.connect(self._on_context)

    # --- who is signed in --------------------------------------------------------------------------
    @property
    def on_duty(self) -> str:
        """The name of the signed-in person (what case timelines show), or "" when nobody is."""
        return self.signed_in.name if self.signed_in is not None else ""

    def ask_sign_in(self) -> SignInDialog:
        """Open the sign-in dialog (or, on a store without accounts, the first administrator's)."""
        from data.accounts import has_accounts
        dlg = SignInDialog(self.store, self.w.lang, self.w, username=str(QSettings().value("duty/last_user", "") or ""),
                           first_admin=not has_accounts(self.store))
        dlg.signedIn.connect(self._signed_in)
        self.sign_in_dialog = dlg
        dlg.open()
        return dlg

    def choose_on_duty(self) -> str:
        """Change who works at this console: sign in (again)."""
        self.ask_sign_in()
        return self.on_duty

    def sign_in(self, username: str, password: str) -> bool:
        """Sign in without the dialog (command line, scripts); a refusal is shown."""
        from data.accounts import sign_in
        try:
            principal = sign_in(self.store, username, password)
        except GridWatchError as exc:
            self.w.refuse(exc)
            return False
        self._signed_in(principal)
        return True

    def _signed_in(self, principal: Principal) -> None:
        """Every case event records this account (so 'verified by someone else' holds by account)."""
        from data.accounts import sign_out
        if self.signed_in is not None and self.signed_in.token != principal.token:
            sign_out(self.signed_in)
        self.signed_in = principal
        QSettings().setValue("duty/last_user", principal.username)
        self.w.act_on_duty.setText(self.on_duty_label())
        self.w.status_message.setText(self.tr("Signed in: %1").replace("%1", principal.name))
        self.w.signed_in_changed()
        if principal.must_change:  # a password an administrator set: the person's own first
            self.w.change_password()

    def password_changed(self, renewed: Principal) -> None:
        """The same person, their session renewed by the change (the old one ended)."""
        self.signed_in = renewed
        self.w.signed_in_changed()

    def sign_out(self) -> None:
        from data.accounts import sign_out
        if self.signed_in is not None:
            sign_out(self.signed_in)
        self.signed_in = None
        self.w.act_on_duty.setText(self.on_duty_label())
        self.w.signed_in_changed()

    def on_duty_label(self) -> str:
        return self.tr("Signed in: %1 (sign in as someone else…)").replace("%1", self.on_duty or self.tr("nobody"))

    def _require_on_duty(self) -> bool:
        if not self.w.server_up:  # office mode, server lost: refused now, never queued for later
            self.w.refuse(GridWatchError("store.unreachable"))
            return False
        if self.signed_in is None:
            self.ask_sign_in()
            return False
        return True

    # --- intake -----------------------------------------------------------------------------------
    def _on_context(self, x: float, y: float, global_pos) -> None:
        menu = QMenu(self.w)
        menu.setObjectName("mapContextMenu")
        menu.addAction(self.tr("New incident here…"), lambda: self.new_incident_at(x, y))
        self.context_menu = menu
        menu.popup(global_pos)

    def new_incident_at_centre(self) -> None:
        v = self.w.canvas.view()
        self.new_incident_at(v.cx, v.cy)

    def new_incident_at(self, x: float, y: float) -> IncidentDialog | None:
        """Open the incident form for a map point (non-modal; on OK the case is logged)."""
        if not self._require_on_duty():
            return None
        lon, lat = (float(v) for v in self.store.projection.xy_to_lonlat(x, y))
        now = self.w.clock()
        place = D.locate(self.store, lon, lat, now)
        dlg = IncidentDialog(place, D.cameras_seeing(self.store, lon, lat), self.w.lang,
                             duplicates_for=lambda cat: D.possible_duplicates(self.store, lon, lat, cat, self.w.clock()),
                             parent=self.w)
        dlg.accepted.connect(lambda: self.create_incident(place, dlg.values()))
        self.incident_dialog = dlg
        dlg.open()
        return dlg

    def create_incident(self, place: D.Place, values: dict):
        try:
            inc = D.create_incident(self.store, lon=place.lon, lat=place.lat, actor=self.signed_in, at=self.w.clock(), **values)
        except GridWatchError as exc:
            self.w.refuse(exc)
            return None
        self.refresh_cases()
        target = values.get("duplicate_of") or inc.id
        self.w.status_message.setText(self.tr("Logged %1").replace("%1", inc.case_no) +
                                      (self.tr(" (outside jurisdiction)") if place.outside else ""))
        self.w.case_board.select_case(target)
        self.show_case(target)
        return inc

    # --- cases on the board and the map -------------------------------------------------------------
    def refresh_cases(self) -> None:
        now = self.w.clock()
        self.on_cases(D.open_cases(self.store, now), load_incidents(self.store, now))

    def on_cases(self, rows, incidents) -> None:
        if self.w.replay.active:
            return  # the board shows the replay's time until the replay ends
        self.w.case_board.set_cases(rows, self.w.clock())
        if incidents is not None:
            self.w.canvas.set_layer_features("incidents", incidents)
            ids = list(incidents.column("id"))
            if self.current_case in ids:  # keep the case being worked on highlighted
                self.w.canvas.selection = (self.w.canvas.layer("incidents"), ids.index(self.current_case))
        if self.current_case is not None:
            self._refresh_case_detail()
            row = self.w.dispatch_panel.row
            if row is not None and getattr(self, "_shown_stage", None) != (row.id, row.stage):
                self.show_team_or_ranking()  # the case moved on (here or elsewhere): what the panel offers changes

    def show_case(self, incident_id: int | None) -> None:
        """Show a case: its details, timeline and actions, its pin highlighted, the teams ranked."""
        canvas = self.w.canvas
        self.current_case = incident_id
        if incident_id is None:
            canvas.highlighted_teams = set()
            self.w.dispatch_panel.show_case(None, [], None, [])
            return
        self._refresh_case_detail()
        row = self.w.dispatch_panel.row
        if row is None:
            return
        layer = canvas.layer("incidents")
        ids = list(layer.features.column("id")) if layer else []
        if incident_id in ids:
            canvas.selection = (layer, ids.index(incident_id))
        x, y = (float(v) for v in self.store.projection.lonlat_to_xy(row.lon, row.lat))
        canvas.highlighted_teams = set(row.teams)  # the teams on this case, ringed on the map
        canvas.set_view(x, y, min(canvas.view().resolution, 2.0))
        self.w.dock_dispatch.raise_()
        self.show_team_or_ranking()

    def show_team_or_ranking(self) -> None:
        """The ranking while a team is to be chosen; once one is on its way, that team's route (from
        where it is now); after it arrives, neither."""
        row = self.w.dispatch_panel.row
        if row is None:
            return
        self._shown_stage = (row.id, row.stage)
        if row.stage in ("reported", "accepted"):  # a team is yet to be chosen
            self.recommend_for_case()
            return
        self.w.dispatch_panel.show_recommendation(None)
        layer = self.w.canvas.layer("route")
        if layer is None:
            return
        teams = self.w.canvas.layer("teams")
        team_id = row.teams[-1] if row.teams else None
        i = teams.index_of(team_id) if (teams is not None and team_id is not None) else None
        if row.stage != "dispatched" or i is None or self.recommender().graph.empty:
            layer.set_path(None)
            return
        x, y = (float(v) for v in self.store.projection.lonlat_to_xy(row.lon, row.lat))
        tx, ty = teams.xy[i]
        transport = teams.features.column("transport")[i] or "car"
        layer.set_path(self.recommender().graph.route_between(float(tx), float(ty), x, y, transport))

    def _refresh_case_detail(self) -> None:
        row = next((r for r in self.w.case_board.rows if r.id == self.current_case), None)
        if row is None and self.current_case is not None:
            row = D.case_row(self.store, self.current_case)  # closed, or not on the board
        events = D.case_timeline(self.store, self.current_case) if self.current_case else []
        # The incidents near a case in the 90 days before it do not change: read them once per case,
        # not on every refresh of the board (every few seconds while the case is open).
        if self._history[0] != self.current_case:
            self._history = (self.current_case, D.nearby_history(self.store, self.current_case) if row is not None else [])
        teams = self.w.canvas.layer("teams")
        names = dict(zip(teams.features.column("id"), teams.features.column("name"))) if teams is not None else {}
        self.w.dispatch_panel.show_case(row, events, row.stage if row else None, self._history[1], names)
        if row is not None:
            self.w.dispatch_panel.audit_button.setEnabled(self.signed_in is not None and self.signed_in.may("audit.read"))
            self._show_reporter()

    def _show_reporter(self, reveal: bool = False) -> None:
        """The case's reporter, masked unless revealed by a role that may (each reveal audited)."""
        from data.accounts import case_reporter
        panel = self.w.dispatch_panel
        if self.current_case is None or self.signed_in is None:
            panel.show_reporter(None, None, False, False)
            return
        try:
            r = case_reporter(self.store, self.current_case, self.signed_in, reveal=reveal)
        except GridWatchError as exc:
            if reveal:
                self.w.refuse(exc)
            panel.show_reporter(None, None, False, False)
            return
        panel.show_reporter(r.name, r.contact, r.masked, self.signed_in.may("case.read_personal"))

    def show_case_audit(self):
        """The case's audit (who did what, when), for the roles that may read the audit trail."""
        from console.accounts_ui import CaseAuditDialog
        from data.accounts import case_audit
        if self.current_case is None or not self._require_on_duty():
            return None
        try:
            entries = case_audit(self.store, self.current_case, self.signed_in)
        except GridWatchError as exc:
            self.w.refuse(exc)
            return None
        row = self.w.dispatch_panel.row
        self.audit_dialog = CaseAuditDialog(entries, row.case_no if row else str(self.current_case), self.w.lang, self.w)
        self.audit_dialog.open()
        return self.audit_dialog

    # --- ranking, route, assignment ------------------------------------------------------------------
    def forget_recommender(self) -> None:
        """Streets or teams changed (an import): the next recommendation builds the graph again."""
        self._recommender = None

    def recommender(self) -> Recommender:
        if self._recommender is None:
            self._recommender = Recommender(self.store)
        return self._recommender

    def recommend_for_case(self) -> Recommendation | None:
        row = self.w.dispatch_panel.row
        if row is None:
            return None
        x, y = (float(v) for v in self.store.projection.lonlat_to_xy(row.lon, row.lat))
        # Positions and busy teams as the map shows them (kept live in memory); who is on shift is one
        # small read of the day's rota (data/patrol/rota.DutyNow).
        teams = self.w.canvas.layer("teams")
        positions = teams.positions() if teams is not None else None
        live = self.w.live
        busy = dict(live.busy) if live is not None else None
        try:
            rec = self.recommender().recommend(x, y, row.category, row.grid_code, self.w.clock(), positions=positions, busy=busy)
        except GridWatchError as exc:  # a district still being set up (no streets yet): said, not raised
            self.w.refuse(exc)
            return None
        self.w.dispatch_panel.show_recommendation(rec)
        self.draw_route(rec.candidates[0].team_id if rec.candidates else None)
        return rec

    def draw_route(self, team_id: int | None) -> None:
        layer = self.w.canvas.layer("route")
        rec = self.w.dispatch_panel.recommendation
        if layer is None:
            return
        cand = next((c for c in rec.candidates if c.team_id == team_id), None) if rec and team_id is not None else None
        if cand is None:
            layer.set_path(None)
        else:
            g = self.recommender().graph
            layer.set_path(g.route_between(cand.x, cand.y, *rec.xy, cand.transport))

    def assign_by_hand(self) -> "ManualAssignDialog | None":
        """Any team, chosen by the dispatcher, with the reason recorded beside the ranking of the time."""
        if self.current_case is None or not self._require_on_duty():
            return None
        from console.manual_assign import ManualAssignDialog
        from data.snapshot import team_choices
        dlg = ManualAssignDialog(team_choices(self.store), self.w)
        self.manual_dialog = dlg
        dlg.chosen.connect(lambda code, reason: self.assign_team(self._team_id(code), reason=reason))
        dlg.open()
        return dlg

    def _team_id(self, code: str) -> int:
        from data.snapshot import team_ids_by_code
        return team_ids_by_code(self.store)[code]

    def assign_team(self, team_id: int, confirm_reassign: bool | None = None, reason: str | None = None) -> bool:
        if self.current_case is None or not self._require_on_duty():
            return False
        rec = self.w.dispatch_panel.recommendation
        # A team chosen by hand carries the dispatcher's reason (shown in the timeline and in replay).
        note = encode_note(Message("note.assigned_by_hand", {"reason": reason})) if reason else ""
        try:
            D.transition(self.store, self.current_case, "dispatch", self.signed_in, team_id=team_id, at=self.w.clock(), note=note)
        except GridWatchError as exc:
            if exc.code != "case.team_busy":
                self.w.refuse(exc)
                return False
            if confirm_reassign is None:
                confirm_reassign = QMessageBox.question(self.w, self.tr("Reassign team?"),
                                                        say(exc, self.w.lang)) == QMessageBox.Yes
            if not confirm_reassign:
                return False
            try:
                D.transition(self.store, self.current_case, "dispatch", self.signed_in, team_id=team_id, at=self.w.clock(),
                             reassign=True, note=note)
            except GridWatchError as again:  # the case moved on meanwhile (another console)
                self.w.refuse(again)
                return False
        if rec is not None:
            record_recommendation(self.store, self.current_case, rec)
        self.w.canvas.highlighted_teams.add(team_id)
        self.draw_route(team_id)
        if self.w.live is not None:
            self.w.live.busy[team_id] = "dispatched"
            self.w.live.tick()
        self.refresh_cases()
        self.show_team_or_ranking()  # the team on its way and its route, no longer the ranking
        self.w.status_message.setText(self.tr("Team dispatched"))
        return True

    # --- the other actions ------------------------------------------------------------------------------
    def _on_action_requested(self, action: str) -> None:
        kw = {}
        row = self.w.dispatch_panel.row
        title = action_label(action, self.w.lang)
        if action == "resolve":
            if row is not None and row.category == "dispute":
                items = [self.tr("Mediated successfully"), self.tr("Mediation failed")]
                choice, ok = QInputDialog.getItem(self.w, title, self.tr("Result"), items, 0, False)
                if not ok:
                    return
                kw["result"] = "mediated" if choice == items[0] else "not_mediated"
            else:
                kw["result"] = "done"
        elif action == "callback":
            from data.domain import SATISFACTION
            items = [t.label(self.w.lang) for t in SATISFACTION.values()]
            choice, ok = QInputDialog.getItem(self.w, title, self.tr("The reporter says"), items, 0, False)
            if not ok:
                return
            kw["result"] = list(SATISFACTION)[items.index(choice)]
        elif action == "extend":
            # The approver signs in here with their own password: approval by account, not a name picked.
            dlg = SignInDialog(self.store, self.w.lang, self.w, title=title,
                               prompt=self.tr("An extension is approved by a verifier: they sign in here."))
            self.approval_dialog = dlg
            dlg.signedIn.connect(lambda approver: self.act_on_case("extend", approved_by=approver))
            dlg.open()
            return
        elif action in ("void", "return", "send_back", "park"):
            note, ok = QInputDialog.getText(self.w, title, self.tr("Reason"))
            if not ok:
                return
            kw["note"] = note
        self.act_on_case(action, **kw)

    def act_on_case(self, action: str, **kw) -> bool:
        """Take an action on the current case as the person on duty; a refusal is shown, not raised."""
        if self.current_case is None or not self._require_on_duty():
            return False
        try:
            D.transition(self.store, self.current_case, action, self.signed_in, at=self.w.clock(), **kw)
        except GridWatchError as exc:
            self.w.refuse(exc)
            return False
        self.refresh_cases()
        self.w.status_message.setText(action_label(action, self.w.lang))
        return True
