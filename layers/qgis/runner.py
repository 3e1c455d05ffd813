"""Starting QGIS's Python from the console's process (Qt-free; used by the command line and tests).

QGIS (Qt 5) never shares a process with the console (Qt 6): its Python runs as a subprocess with
only our `layers` package on its path, so neither our `console` (QGIS has its own top-level package
of that name) nor the venv's numpy or PySide6 can get in its way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

LAYERS_DIR = Path(__file__).resolve().parent.parent


def qgis_python() -> str | None:
    """The Python that has PyQGIS (Debian's python3-qgis), or None."""
    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import qgis.core"], capture_output=True, env=clean_env()).returncode == 0:
            return exe
    return None


def clean_env(path_dir: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if path_dir:
        env["PYTHONPATH"] = path_dir
    return env


def run_module(module: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    exe = qgis_python()
    if exe is None:
        raise RuntimeError("QGIS's Python is not installed (Debian: apt-get install python3-qgis)")
    with tempfile.TemporaryDirectory(prefix="gw-qgis-") as tmp:
        os.symlink(LAYERS_DIR, Path(tmp) / "layers")
        return subprocess.run([exe, "-m", module, *args], capture_output=True, text=True, timeout=timeout,
                              env=clean_env(tmp), cwd=tmp)


def run_script(script: str | Path, *args: str, extra_path: list[str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run a script file in QGIS's Python with `layers` (and extra folders) on its path."""
    exe = qgis_python()
    if exe is None:
        raise RuntimeError("QGIS's Python is not installed (Debian: apt-get install python3-qgis)")
    with tempfile.TemporaryDirectory(prefix="gw-qgis-") as tmp:
        os.symlink(LAYERS_DIR, Path(tmp) / "layers")
        path = os.pathsep.join([tmp, *(extra_path or [])])
        return subprocess.run([exe, str(script), *args], capture_output=True, text=True, timeout=timeout,
                              env=clean_env(path), cwd=tmp)
