"""`gridwatch qgis-plugin install`: copy the plugin into a QGIS profile and record how to run GridWatch."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

PLUGIN_SRC = Path(__file__).resolve().parent / "plugin" / "gridwatch_planner"


def default_profile() -> Path:
    return Path.home() / ".local" / "share" / "QGIS" / "QGIS3" / "profiles" / "default"


def install(profile_dir: str | None = None) -> Path:
    dest = Path(profile_dir).expanduser() if profile_dir else default_profile()
    dest = dest / "python" / "plugins" / "gridwatch_planner"
    tmp = dest.with_name(dest.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(PLUGIN_SRC, tmp, ignore=shutil.ignore_patterns("__pycache__", "config.json"))
    # The plugin runs GridWatch through this interpreter and module (the console's venv).
    (tmp / "config.json").write_text(json.dumps({"command": [sys.executable, "-m", "console.cli"]}), encoding="utf-8")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.replace(dest)
    return dest
