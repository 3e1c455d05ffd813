"""Every user-visible string has a Chinese translation and the shipped .qm files are current."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TR = ROOT / "resources" / "translations"
BIN = Path(sys.executable).parent


def _lupdate(ts: Path) -> None:
    # The same list as resources/translations/update.sh: the console, its controllers, the layers, and
    # the catalogue of coded messages from data/ (data/messages.py) and the coordinate systems' names.
    srcs = (sorted(str(p) for p in (ROOT / "console").glob("*.py")) + sorted(str(p) for p in (ROOT / "console" / "controllers").glob("*.py"))
            + sorted(str(p) for p in (ROOT / "layers").glob("*.py")) + [str(ROOT / "data" / "messages.py"), str(ROOT / "data" / "district" / "coords.py")])
    subprocess.run([str(BIN / "pyside6-lupdate"), "-silent", "-no-obsolete", "-locations", "none", *srcs, "-ts", str(ts)],
                   check=True, capture_output=True)


@pytest.fixture(scope="module")
def fresh_ts(tmp_path_factory) -> Path:
    ts = tmp_path_factory.mktemp("ts") / "gridwatch_zh_CN.ts"
    shutil.copy(TR / "gridwatch_zh_CN.ts", ts)
    _lupdate(ts)
    return ts


def test_ts_file_is_up_to_date_with_the_sources(fresh_ts):
    assert fresh_ts.read_text(encoding="utf-8") == (TR / "gridwatch_zh_CN.ts").read_text(encoding="utf-8"), \
        "run resources/translations/update.sh"


def test_every_string_is_translated_to_chinese(fresh_ts):
    text = fresh_ts.read_text(encoding="utf-8")
    assert text.count("<source>") > 50
    assert 'type="unfinished"' not in text


def test_shipped_qm_files_match_their_ts(tmp_path):
    for lang in ("zh_CN", "en"):
        out = tmp_path / f"{lang}.qm"
        subprocess.run([str(BIN / "pyside6-lrelease"), "-silent", str(TR / f"gridwatch_{lang}.ts"), "-qm", str(out)],
                       check=True, capture_output=True)
        assert out.read_bytes() == (TR / f"gridwatch_{lang}.qm").read_bytes(), f"gridwatch_{lang}.qm is stale"


def test_translator_loads_and_translates(app):
    from console import i18n
    from PySide6.QtCore import QCoreApplication
    i18n.install_language("zh_CN")
    assert QCoreApplication.translate("layers", "Buildings") == "建筑"
    assert QCoreApplication.translate("MainWindow", "Layers") == "图层"
    i18n.install_language("en")
    assert QCoreApplication.translate("layers", "Buildings") == "Buildings"
