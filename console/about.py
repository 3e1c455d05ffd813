"""Help → About: the version, the store and where the log is (console/logs.py)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication as Q, Qt
from PySide6.QtWidgets import QMessageBox

from console.logs import log_path


def show_about(window) -> QMessageBox:
    """Show the About box of a main window (non-modal); returned for tests."""
    from data import __version__
    path = log_path()
    text = (Q.translate("About", "GridWatch %1 — grid governance dispatch console").replace("%1", __version__) + "\n\n" +
            Q.translate("About", "Store: %1").replace("%1", window.store.label) + "\n" +
            Q.translate("About", "Log file: %1").replace("%1", str(path) if path else Q.translate("About", "none (logging to the terminal)")))
    box = QMessageBox(QMessageBox.Information, Q.translate("About", "About GridWatch"), text, QMessageBox.Ok, window)
    box.setObjectName("about")
    box.setTextInteractionFlags(Qt.TextSelectableByMouse)
    window.about_box = box
    box.open()
    return box

