"""Python threads for the supervisors' docks and dialogs: run a job off the GUI thread, and (tests,
screenshots) wait for it while the GUI thread keeps delivering its queued results."""

from __future__ import annotations

import threading
import time
import logging
from typing import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QObject, Signal

from data.messages import GridWatchError

log = logging.getLogger(__name__)


class Done(QObject):
    """What a job sends back to the GUI thread: (what, result, error); error is a GridWatchError or a
    one-line text, result None then. Give it a Qt parent (the panel) so Qt deletes it on the GUI thread."""

    done = Signal(str, object, object)


class Jobs:
    """A dock's jobs on Python threads of their own, each answering through one `Done` signal:
    refusals as the coded error, anything else logged and said in one line, never a silent thread."""

    def __init__(self, parent: QObject, name: str, receiver: Callable[[str, object, object], None]):
        self.name = name
        self.signals = Done(parent)
        self.signals.done.connect(receiver)
        self.threads: list[threading.Thread] = []

    def run(self, what: str, job: Callable[[], object]) -> None:
        done = self.signals.done

        def answer(*args) -> None:
            try:
                done.emit(*args)
            except RuntimeError:  # the dock was deleted with its window meanwhile: nobody to tell
                log.info("%s: %s finished after its window closed", self.name, what)

        def work():
            try:
                result = job()
            except GridWatchError as exc:
                answer(what, None, exc)
            except Exception as exc:  # logged and said, never a silent thread
                log.exception("%s: %s failed", self.name, what)
                answer(what, None, f"{type(exc).__name__}: {exc}")
            else:
                answer(what, result, None)
        self.threads = [t for t in self.threads if t.is_alive()] + [start(work, f"{self.name}-{what}")]

    def wait(self, timeout: float = 60) -> bool:
        return wait_for(self.threads, timeout)


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
