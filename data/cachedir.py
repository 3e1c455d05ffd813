"""The user's cache folder for GridWatch's derived files (indicator facts, replay's hour cache): caches,
never truth, so deleting the folder only costs a rebuild."""

from __future__ import annotations

import os
from pathlib import Path


def user_cache_dir() -> Path:
    """$GRIDWATCH_CACHE_DIR, else $XDG_CACHE_HOME/gridwatch, else ~/.cache/gridwatch."""
    base = os.environ.get("GRIDWATCH_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gridwatch")
    return Path(base)
