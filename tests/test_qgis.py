"""The QGIS side, run in QGIS's own Python (offscreen): the project export and the planner plugin.
Skipped, saying why, where python3-qgis is not installed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from layers.qgis.runner import qgis_python, run_script

HERE = Path(__file__).resolve().parent
pytestmark = pytest.mark.skipif(qgis_python() is None,
                                reason="QGIS's Python (Debian python3-qgis) is not installed; ./dev.sh test installs it where it can")


def test_project_opens_with_every_layer_valid_and_the_right_counts(demo_copy, tmp_path):
    out = tmp_path / "district.qgz"
    r = subprocess.run([sys.executable, "-m", "console.cli", "qgis-project", "--store", str(demo_copy), "--out", str(out)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert out.exists() and not (tmp_path / "district.part.qgz").exists()
    res = run_script(HERE / "qgis" / "check_project.py", str(out))
    assert res.returncode == 0, res.stderr
    layers = json.loads(res.stdout.strip().splitlines()[-1])
    con = sqlite3.connect(demo_copy)
    n = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    expected = {"水系": n("select count(*) from water"), "建筑": n("select count(*) from buildings"),
                "道路": n("select count(*) from street_segments"), "网格": 101, "社区": 101,
                "天网点位": 137, "事件": n("select count(*) from incidents"),
                "巡逻队伍（最新定位）": n("select count(distinct team_id) from fixes")}
    con.close()
    assert set(layers) == set(expected)
    for name, count in expected.items():
        valid, got, _provider = layers[name]
        assert valid and got == count, (name, got, count)


def test_plugin_loads_and_reports_a_gap_and_an_overlap(demo_copy, tmp_path):
    from layers.qgis.plugin_install import install
    profile = tmp_path / "profile"
    plugin_dir = install(str(profile))
    assert (plugin_dir / "metadata.txt").exists() and (plugin_dir / "config.json").exists()
    command = json.loads((plugin_dir / "config.json").read_text())["command"]
    res = run_script(HERE / "qgis" / "check_plugin.py", str(plugin_dir.parent), str(demo_copy), json.dumps(command))
    assert res.returncode == 0, res.stderr[-2000:]
    report = json.loads(res.stdout.strip().splitlines()[-1])
    assert report["layer_valid"] and report["features"] == 101
    assert report["clean"] == []
    kinds = {p["kind"] for p in report["problems"]}
    assert {"gap", "overlap"} <= kinds, report["problems"]
    assert report["listed"] == len(report["problems"])
