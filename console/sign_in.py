"""The sign-in dialog: a user name and a password, checked by data.accounts.sign_in. Also used to
have a second person approve something (an extension) with their own password, and, on a store
without accounts, to create its first administrator."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from console.messages import say
from data import accounts as A
from data.messages import GridWatchError
from data.store.core import Store


class SignInDialog(QDialog):
    """Ask for a user name and password; `signedIn` carries the Principal once the store accepts them.
    A refusal is shown in the dialog (in the user's language) and the dialog stays open."""

    signedIn = Signal(object)  # data.accounts.Principal

    def __init__(self, store: Store, lang: str, parent=None, *, title: str | None = None, prompt: str | None = None,
                 username: str = "", first_admin: bool = False):
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.store, self.lang, self.first_admin = store, lang, first_admin
        self.setWindowTitle(title or (self.tr("Create the first administrator") if first_admin else self.tr("Sign in")))
        self.prompt = QLabel(prompt or (self.tr("This store has no accounts yet: create the administrator's account.")
                                        if first_admin else self.tr("Sign in to work at this console.")), self)
        self.prompt.setWordWrap(True)
        self.username = QLineEdit(username, self)
        self.username.setObjectName("signInUser")
        self.username.setMaxLength(64)
        self.display_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setObjectName("signInPassword")
        self.password.setEchoMode(QLineEdit.Password)
        self.password2 = QLineEdit(self)
        self.password2.setEchoMode(QLineEdit.Password)
        self.error = QLabel(self)
        self.error.setObjectName("signInError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        form = QFormLayout()
        form.addRow(self.tr("User name"), self.username)
        if first_admin:
            form.addRow(self.tr("Name shown in case timelines"), self.display_name)
        form.addRow(self.tr("Password"), self.password)
        if first_admin:
            form.addRow(self.tr("Password again"), self.password2)
        else:
            self.display_name.hide()
            self.password2.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        self.buttons.accepted.connect(self._try)
        self.buttons.rejected.connect(self.reject)
        self.setMinimumWidth(360)
        lay = QVBoxLayout(self)
        lay.addWidget(self.prompt)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        (self.password if username else self.username).setFocus()

    def _try(self) -> None:
        try:
            if self.first_admin:
                if self.password.text() != self.password2.text():
                    self.password.clear()
                    self.password2.clear()
                    self._show(self.tr("The two passwords differ."))
                    return
                principal = A.create_first_administrator(self.store, self.username.text(), self.display_name.text(),
                                                         self.password.text())
            else:
                principal = A.sign_in(self.store, self.username.text(), self.password.text())
        except GridWatchError as exc:
            self.password.clear()
            self._show(say(exc, self.lang))
            return
        self.password.clear()
        self.password2.clear()
        self.signedIn.emit(principal)
        self.accept()

    def _show(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()
