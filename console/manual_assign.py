"""Assigning a team by hand: any team, with the dispatcher's reason (required, recorded)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout


class ManualAssignDialog(QDialog):
    chosen = Signal(str, str)  # team code, reason

    def __init__(self, teams: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        self.setObjectName("manualAssignDialog")
        self.setWindowTitle(self.tr("Assign a team by hand"))
        self.team = QComboBox(self)
        self.team.setObjectName("manualTeam")
        self.team.setEditable(True)  # type a code or a name: hundreds of teams
        self.team.setInsertPolicy(QComboBox.NoInsert)
        for code, name in teams:
            self.team.addItem(f"{code}  {name}", code)
        self.team.completer().setFilterMode(Qt.MatchContains)
        self.team.completer().setCompletionMode(QCompleter.PopupCompletion)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("manualReason")
        self.reason.setPlaceholderText(self.tr("why this team (kept with the case, shown in replay)"))
        self.hint = QLabel(self.tr("The ranking of the moment is recorded beside your choice."), self)
        self.hint.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Team"), self.team)
        form.addRow(self.tr("Reason"), self.reason)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.button(QDialogButtonBox.Ok).setText(self.tr("Assign"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._enable)
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.hint)
        lay.addWidget(self.buttons)
        self._enable()

    def _enable(self) -> None:
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(bool(self.reason.text().strip()))

    def _accept(self) -> None:
        code = self.team.currentData()
        if code is None or not self.reason.text().strip():
            return
        self.accept()
        self.chosen.emit(code, self.reason.text().strip())
