"""The console's account windows: a case's audit, changing one's own password, and the
administrators' accounts panel. Every change goes through data/accounts.py, which decides and
audits; refusals are shown in the user's language."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout)

from console.messages import local_hm, say
from data import accounts as A
from data.domain import ACTION_NAMES, RESULTS, ROLE_NAMES, STAGES
from data.messages import GridWatchError
from data.store.core import Store


def _change_text(entry, lang: str) -> str:
    """What a case audit entry changed, in words: stage before → after, the team, the result, the approver."""
    before = json.loads(entry.before) if entry.before else {}
    after = json.loads(entry.after) if entry.after else {}
    parts = []
    b, a = before.get("stage"), after.get("stage")
    if a:
        parts.append(" → ".join(STAGES[s].label(lang) for s in (b, a) if s in STAGES))
    if after.get("result") in RESULTS:
        parts.append(RESULTS[after["result"]].label(lang))
    if after.get("approved_by"):
        parts.append(after["approved_by"])
    if after.get("case_no"):
        parts.append(after["case_no"])
    return " · ".join(p for p in parts if p)


class CaseAuditDialog(QDialog):
    """The audit of one case: who did what, when, and what it changed (read from the chained trail)."""

    def __init__(self, entries, case_no: str, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("caseAuditDialog")
        self.setWindowTitle(self.tr("Audit of case %1").replace("%1", case_no))
        self.table = QTableWidget(len(entries), 4, self)
        self.table.setObjectName("caseAudit")
        self.table.setHorizontalHeaderLabels([self.tr("Time"), self.tr("Account"), self.tr("Action"), self.tr("Change")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        for r, e in enumerate(entries):
            action = e.action.split(".", 1)[1] if e.action.startswith("case.") else e.action
            label = ACTION_NAMES[action].label(lang) if action in ACTION_NAMES else \
                (self.tr("Read the reporter's number") if action == "read_personal" else action)
            for c, text in enumerate((local_hm(e.t, "%Y-%m-%d %H:%M:%S"), e.username, label, _change_text(e, lang))):
                self.table.setItem(r, c, QTableWidgetItem(text))
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Every action on the case, from the audit trail (its entries are chained, "
                                     "so a changed or removed entry is detected)."), self))
        lay.addWidget(self.table)
        lay.addWidget(buttons)
        self.resize(720, 360)


class ChangePasswordDialog(QDialog):
    changed = Signal(object)  # the renewed Principal

    def __init__(self, store: Store, who: A.Principal, lang: str, parent=None, *, forced: bool = False):
        super().__init__(parent)
        self.setObjectName("changePasswordDialog")
        self.store, self.who, self.lang = store, who, lang
        self.setWindowTitle(self.tr("Change my password"))
        self.forced = forced
        self.old, self.new, self.again = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        for w in (self.old, self.new, self.again):
            w.setEchoMode(QLineEdit.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("Current password"), self.old)
        form.addRow(self.tr("New password"), self.new)
        form.addRow(self.tr("New password again"), self.again)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        if forced:
            note = QLabel(self.tr("An administrator set your password: choose your own before you continue."), self)
            note.setWordWrap(True)
            lay.addWidget(note)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)

    def _try(self) -> None:
        if self.new.text() != self.again.text():
            self._show(self.tr("The two passwords differ."))
            return
        try:
            renewed = A.change_own_password(self.store, self.who, self.old.text(), self.new.text())
        except GridWatchError as exc:
            self._show(say(exc, self.lang))
            return
        self.changed.emit(renewed)
        self.accept()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()


class AccountsDialog(QDialog):
    """Administrators: the accounts with their roles and state; add, disable or enable, reset a password."""

    def __init__(self, store: Store, admin: A.Principal, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.store, self.admin, self.lang = store, admin, lang
        self.setWindowTitle(self.tr("Accounts"))
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("accountsTable")
        self.table.setHorizontalHeaderLabels([self.tr("User name"), self.tr("Name"), self.tr("Roles"), self.tr("State")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        header = self.table.horizontalHeader()
        for c in range(4):  # the roles take the room (an account may hold several); the rest fit their text
            header.setSectionResizeMode(c, QHeaderView.Stretch if c == 2 else QHeaderView.ResizeToContents)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        # The form to add one.
        self.username, self.display_name, self.password = QLineEdit(self), QLineEdit(self), QLineEdit(self)
        self.username.setObjectName("newUser")
        self.password.setEchoMode(QLineEdit.Password)
        self.role_boxes = {code: QCheckBox(term.label(lang), self) for code, term in ROLE_NAMES.items()}
        self.role_boxes["dispatcher"].setChecked(True)
        self.add_button = QPushButton(self.tr("Add account"), self, clicked=self.add)
        self.add_button.setObjectName("addAccount")
        self.toggle_button = QPushButton(self.tr("Disable / enable the selected account"), self, clicked=self.toggle)
        self.reset_button = QPushButton(self.tr("Set the selected account's password"), self, clicked=self.reset)
        self.roles_button = QPushButton(self.tr("Give the selected account the ticked roles"), self, clicked=self.set_roles)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Name shown in case timelines"), self.display_name)
        form.addRow(self.tr("First password (changed at the first sign-in)"), self.password)
        roles = QHBoxLayout()
        for box in self.role_boxes.values():
            roles.addWidget(box)
        form.addRow(self.tr("Roles"), roles)
        row = QHBoxLayout()
        row.addWidget(self.toggle_button)
        row.addWidget(self.reset_button)
        row.addWidget(self.roles_button)
        close = QDialogButtonBox(QDialogButtonBox.Close, self)
        close.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.table)
        lay.addLayout(row)
        lay.addLayout(form)
        lay.addWidget(self.add_button)
        lay.addWidget(self.message)
        lay.addWidget(close)
        self.resize(760, 520)
        self.refill()

    def refill(self) -> None:
        rows = A.list_accounts(self.store, self.admin)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for r, a in enumerate(rows):
            state = self.tr("disabled") if a.disabled else (self.tr("locked") if a.locked else self.tr("active"))
            roles = "、".join(ROLE_NAMES[x].label(self.lang) for x in a.roles if x in ROLE_NAMES) if self.lang.startswith("zh") \
                else ", ".join(ROLE_NAMES[x].label(self.lang) for x in a.roles if x in ROLE_NAMES)
            for c, text in enumerate((a.username, a.display_name, roles, state)):
                item = QTableWidgetItem(text)
                item.setData(Qt.UserRole, a.username)
                self.table.setItem(r, c, item)

    def _selected(self) -> A.AccountRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def _run(self, fn, *args, done: str) -> bool:
        try:
            fn(*args)
        except GridWatchError as exc:
            self.message.setStyleSheet("color: #b00020;")
            self.message.setText(say(exc, self.lang))
            return False
        self.message.setStyleSheet("")
        self.message.setText(done)
        self.refill()
        return True

    def add(self) -> bool:
        roles = [code for code, box in self.role_boxes.items() if box.isChecked()]
        ok = self._run(A.add_account, self.store, self.admin, self.username.text(), self.display_name.text(),
                       self.password.text(), roles, done=self.tr("Account %1 added.").replace("%1", self.username.text().strip()))
        self.password.clear()
        if ok:  # ready for the next one; a refused one stays for correcting
            self.username.clear()
            self.display_name.clear()
        return ok

    def toggle(self) -> bool:
        a = self._selected()
        if a is None:
            return False
        return self._run(A.set_disabled, self.store, self.admin, a.username, not a.disabled,
                         done=self.tr("%1: done.").replace("%1", a.username))

    def set_roles(self) -> bool:
        a = self._selected()
        if a is None:
            return False
        roles = [code for code, box in self.role_boxes.items() if box.isChecked()]
        return self._run(A.set_roles, self.store, self.admin, a.username, roles, a.communities,
                         done=self.tr("%1: done.").replace("%1", a.username))

    def reset(self) -> bool:
        a = self._selected()
        if a is None or not self.password.text():
            self.message.setText(self.tr("Select an account and type its new password in the password field."))
            return False
        ok = self._run(A.reset_password, self.store, self.admin, a.username, self.password.text(),
                       done=self.tr("%1: new password set; changed at the next sign-in.").replace("%1", a.username))
        self.password.clear()
        return ok
