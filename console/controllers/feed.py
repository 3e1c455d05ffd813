"""The Feed menu: the in-process tracker listener and the demo simulator, switched on and off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from console.main_window import MainWindow


class FeedController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.w = window
        window.act_listen.toggled.connect(self.toggle_listener)
        window.act_simulate.toggled.connect(self.toggle_simulator)

    def listening_at(self) -> str | None:
        live = self.w.live
        if live is None or live.listener is None:
            return None
        return f"{live.listener.settings.host}:{live.listener.port}"

    def toggle_listener(self, on: bool) -> None:
        w = self.w
        if w.live is None:
            return
        if on:
            listen = str(QSettings().value("feed/listen", "127.0.0.1:5055"))
            host, _, port = listen.rpartition(":")
            try:
                where = w.live.start_listener(host or "127.0.0.1", int(port or 5055), fallback_port=w.demo)
            except (OSError, ValueError) as exc:
                w.act_listen.blockSignals(True)
                w.act_listen.setChecked(False)
                w.act_listen.blockSignals(False)
                QMessageBox.warning(w, self.tr("GridWatch"),
                                    self.tr("Cannot listen for trackers on %1: %2").replace("%1", listen).replace("%2", str(exc)))
                return
            w.status_message.setText(self.tr("Listening for trackers on %1").replace("%1", where))
        else:
            w.act_simulate.setChecked(False)
            w.live.stop_listener()
        if not w.demo:
            QSettings().setValue("feed/listen_in_console", on)
        w.feed_panel.set_listening(self.listening_at())

    def toggle_simulator(self, on: bool) -> None:
        w = self.w
        if w.live is None:
            return
        if on:
            if w.live.listener is None:
                w.act_listen.setChecked(True)
            if w.live.listener is None:
                w.act_simulate.setChecked(False)
                return
            w.live.start_simulator()
        else:
            w.live.stop_simulator()
