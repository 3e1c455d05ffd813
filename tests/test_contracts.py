"""The layering rules of docs/ARCHITECTURE.md, checked by tools rather than by review."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_linter_contracts_hold():
    # In a subprocess: import-linter configures logging with dictConfig, which disables every logger
    # that exists in the test process (the console's own logs then vanish from later tests).
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports; import sys; "
                          "sys.exit(lint_imports(config_filename='setup.cfg'))"], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "KEPT" in out.stdout or "kept" in out.stdout.lower()


def test_data_and_layer_models_import_with_qt_unavailable():
    # Make PySide6/PyQt/pyqtgraph/qgis unimportable, then import the Qt-free packages.
    code = (
        "import sys\n"
        "for name in ('PySide6', 'PyQt5', 'PyQt6', 'pyqtgraph', 'qgis'):\n"
        "    sys.modules[name] = None\n"
        "import data.store.core, data.demo.generator, data.snapshot, data.cases.rules, data.domain\n"
        "import layers.stack, layers.style, layers.model\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_forbidden_import_is_caught(tmp_path):
    """The contract check itself can fail: a copy of data/ that imports Qt breaks it."""
    import shutil
    work = tmp_path / "tree"
    for pkg in ("data", "layers", "console"):
        shutil.copytree(ROOT / pkg, work / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "setup.cfg", work / "setup.cfg")
    (work / "data" / "leak.py").write_text("from PySide6 import QtCore\n")
    out = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports; import sys; "
                          "sys.exit(lint_imports(config_filename='setup.cfg'))"],
                         cwd=work, capture_output=True, text=True, env={"PYTHONPATH": str(work), "PATH": "/usr/bin:/bin"})
    assert out.returncode != 0
    assert "BROKEN" in out.stdout or "broken" in out.stdout.lower()
