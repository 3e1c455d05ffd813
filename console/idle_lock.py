"""Lock the console after a spell without input: the account is signed out and the sign-in dialog
asks for the password again (setting security/idle_lock_minutes, 15 by default, 0 never)."""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = {QEvent.KeyPress, QEvent.MouseButtonPress, QEvent.MouseMove, QEvent.Wheel, QEvent.TouchBegin}


class IdleLock(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.w = window
        self.minutes = float(QSettings().value("security/idle_lock_minutes", 15.0, type=float))
        self.last_input = time.monotonic()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        if self.minutes > 0:
            # Checked a few times per period, at most every 15 s: a lock comes at most that late.
            self.timer.start(int(min(15.0, self.minutes * 60 / 4) * 1000))
            QApplication.instance().installEventFilter(self)

    def stop(self) -> None:
        self.timer.stop()
        QApplication.instance().removeEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() in INPUT_EVENTS:
            self.last_input = time.monotonic()
        return False

    def check(self) -> None:
        if self.w.dispatch.signed_in is None or self.minutes <= 0:
            return
        if time.monotonic() - self.last_input >= self.minutes * 60:
            self.w.dispatch.sign_out()
            self.w.status_message.setText(self.tr("Locked after %1 minutes without use: sign in again.")
                                          .replace("%1", f"{self.minutes:g}"))
            self.w.dispatch.ask_sign_in()
