"""Logging for the console and the commands: the standard `logging` module, to a rotating file in the
user's data folder (and warnings to stderr), so a failure that the user only saw as a message can be
read afterwards with its traceback. The path is shown in Help → About and in the README.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import threading
import time
from pathlib import Path

LEVELS = ("debug", "info", "warning", "error")
_log_path: Path | None = None


def log_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "GridWatch" / "logs"


def log_path() -> Path | None:
    """Where this process writes its log (None before setup, or when the folder cannot be written)."""
    return _log_path


class RepeatFilter(logging.Filter):
    """Lets through one warning or error of a kind (logger, message, exception type) per `window`
    seconds, then says how many like it were held back. A broken client or a full disk repeats one
    failure thousands of times a second; the log must keep the first traceback, not fill the disk."""

    def __init__(self, window: float = 60.0):
        super().__init__()
        self.window = window
        self._seen: dict[tuple, list] = {}  # kind -> [when last let through, held back since]
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        exc = record.exc_info[0].__name__ if record.exc_info and record.exc_info[0] else ""
        kind = (record.name, record.levelno, str(record.msg), exc)
        now = time.monotonic()
        with self._lock:
            seen = self._seen.get(kind)
            if seen is not None and now - seen[0] < self.window:
                seen[1] += 1
                return False
            held = seen[1] if seen is not None else 0
            self._seen[kind] = [now, 0]
            if len(self._seen) > 5000:  # kinds are few; a flood of distinct ones is cut back, not kept
                self._seen.clear()
        if held:
            record.msg = f"{record.msg} [{held} more like this in the last {self.window:.0f} s not logged]"
        return True


def setup_logging(level: str = "info", folder: Path | None = None) -> Path | None:
    """Send every module's log to gridwatch.log (5 files of 2 MB, rotated) at `level`, and warnings
    and worse to stderr. Returns the file's path (None when the folder cannot be written: then only
    stderr)."""
    global _log_path
    root = logging.getLogger()
    for h in list(root.handlers):
        if getattr(h, "_gridwatch", False):
            root.removeHandler(h)
            h.close()
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s")
    folder = folder or log_dir()
    _log_path = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(folder / "gridwatch.log", maxBytes=2_000_000, backupCount=4,
                                                  encoding="utf-8")
        fh.setFormatter(fmt)
        fh.addFilter(RepeatFilter())
        fh._gridwatch = True  # type: ignore[attr-defined]
        root.addHandler(fh)
        _log_path = folder / "gridwatch.log"
    except OSError as exc:  # a read-only home: log to stderr only, and say so there
        logging.getLogger(__name__).warning("cannot write the log in %s (%s); logging to stderr only", folder, exc)
    err = logging.StreamHandler()
    err.setLevel(logging.WARNING)
    err.setFormatter(fmt)
    err.addFilter(RepeatFilter())
    err._gridwatch = True  # type: ignore[attr-defined]
    root.addHandler(err)
    return _log_path
