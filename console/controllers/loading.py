"""Loading the district's layers off the GUI thread."""

from __future__ import annotations

import logging
import threading
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from data.feeds.tracks import last_fix_id
from data.store.core import Store
from layers.stack import build_layer_stack

log = logging.getLogger(__name__)


class LoadSignals(QObject):
    loaded = Signal(object, object, int)  # layers, error message, last fix id when loading began


class LoadJob:
    """Loads the layers on a plain Python thread. (Python work that touches SQLite, GEOS and PROJ
    runs on Python threads here, not Qt's: a Qt pool thread crashed inside SQLite now and then;
    docs/ARCHITECTURE.md, "Threads".)"""

    def __init__(self, store: Store, now: datetime, signals: LoadSignals, trail_minutes: float):
        self.store, self.now, self.signals, self.trail_minutes = store, now, signals, trail_minutes
        self.thread = threading.Thread(target=self.run, name="load-layers", daemon=True)

    def start(self) -> "LoadJob":
        self.thread.start()
        return self

    def run(self) -> None:
        try:
            # The watermark first: fixes stored while the layers load are picked up by the poller.
            after_id = last_fix_id(self.store)
            layers = build_layer_stack(self.store, self.now, self.trail_minutes)
        except Exception as exc:  # reported in the status bar and a message box, with the traceback in the log
            log.exception("loading the district's layers failed")
            self.signals.loaded.emit(None, f"{type(exc).__name__}: {exc}", 0)
            return
        self.signals.loaded.emit(layers, None, after_id)
