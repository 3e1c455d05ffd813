"""The gridwatch command: screenshot renders the real window offscreen."""

import os
import subprocess
import sys

from PySide6.QtGui import QImage

from layers import style as S


def test_screenshot_writes_a_png_of_the_requested_size(demo_path, tmp_path, app):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    r = subprocess.run([sys.executable, "-m", "console.cli", "screenshot", "--store", str(demo_path), "--out", str(out),
                        "--size", "900x600", "--lang", "zh_CN"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (900, 600)
    # The map is drawn: land background and water colours are both present.
    colours = {img.pixelColor(x, y).name() for x in range(0, 900, 7) for y in range(0, 600, 7)}
    assert S.WATER.fill in colours
    assert not (tmp_path / "shot.png.part.png").exists()


def test_screenshot_rejects_a_bad_size(demo_path, tmp_path):
    r = subprocess.run([sys.executable, "-m", "console.cli", "screenshot", "--store", str(demo_path), "--out",
                        str(tmp_path / "x.png"), "--size", "huge"], capture_output=True, text=True)
    assert r.returncode == 2 and "WIDTHxHEIGHT" in r.stderr and "Traceback" not in r.stderr
