"""Python threads for the supervisors' docks and dialogs: run a job off the GUI thread, and (tests,
screenshots) wait for it while the GUI thread keeps delivering its queued results."""

from __future__ import annotations

import threading
import time
from typing import Iterable

from PySide6.QtCore import QCoreApplication


def start(work, name: str) -> threading.Thread:
    """`work` on a Python thread of its own (not Qt's pool: see docs/ARCHITECTURE.md, Threads)."""
    thread = threading.Thread(target=work, name=name, daemon=True)
    thread.start()
    return thread


def wait_for(threads: Iterable[threading.Thread | None], timeout: float = 60, also=lambda: False) -> bool:
    """Process events until every thread has ended (and `also()` is false), or `timeout` seconds;
    True when they all ended."""
    threads = [t for t in threads if t is not None]
    end = time.monotonic() + timeout
    while (also() or any(t.is_alive() for t in threads)) and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    QCoreApplication.processEvents()
    return not any(t.is_alive() for t in threads)
