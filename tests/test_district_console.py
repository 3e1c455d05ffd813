"""File → New district… and File → Import… in the real window, pressed as a person does: the preview
shows converted points on the map before anything is written, bad rows are listed in the user's
language and nothing is written, and an import shows up on the map when it is written."""

from __future__ import annotations

from data.demo.generator import DEMO_PASSWORD  # noqa: E402
from tests.conftest import who  # noqa: E402

import hashlib
from datetime import datetime, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from data.district import coords as C
from data.district.imports import commit_import, import_history, init_district, plan_import
from data.store.core import checkpoint, open_store
from tests.conftest import choose_menu


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture()
def district(tmp_path) -> Path:
    box = shapely.box(108.37, 30.80, 108.40, 30.818)
    gpd.GeoDataFrame({"name": ["测试街道"]}, geometry=[box], crs=4326).to_file(tmp_path / "b.geojson")
    st = init_district(tmp_path / "d.gpkg", tmp_path / "b.geojson")
    xs, ys = np.linspace(108.37, 108.40, 4), np.linspace(30.80, 30.818, 4)
    cells = [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(3) for j in range(3)]
    gpd.GeoDataFrame({"code": [f"G{i}{j}" for i in range(3) for j in range(3)], "community": ["东"] * 9},
                     geometry=cells, crs=4326).to_file(tmp_path / "grids.geojson")
    commit_import(st, plan_import(st, "grids", tmp_path / "grids.geojson"), actor=who(st, "chief", ("administrator",)))
    checkpoint(st)
    st.close()
    return tmp_path / "d.gpkg"


def _cameras_xlsx(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    wb.active.append(["点位编号", "点位名称", "经度", "纬度", "是否高清"])
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def _choose(combo, data) -> None:
    combo.setCurrentIndex(combo.findData(data))


def _fill_source(qtbot, wiz, kind: str, path: Path, coords: str = "wgs84") -> None:
    src = wiz.source
    _choose(src.kind, kind)
    src.file.clear()
    qtbot.keyClicks(src.file, str(path))
    _choose(src.coords, coords)
    qtbot.mouseClick(wiz.button(QWizard.NextButton), Qt.LeftButton)


def test_an_office_imports_its_cameras_seeing_them_on_the_map_first(open_window, qtbot, district, tmp_path):
    true = [(108.375, 30.805), (108.385, 30.81), (108.395, 30.815)]
    shifted = [tuple(float(v) for v in C.from_true(lon, lat, "gcj02")) for lon, lat in true]  # copied from 高德
    f = _cameras_xlsx(tmp_path / "cams.xlsx", [[f"TW{k}", f"点位{k}", lon, lat, "是"] for k, (lon, lat) in enumerate(shifted)])
    win = open_window(district, live=False)
    assert win.dispatch.sign_in("chief", DEMO_PASSWORD)  # an administrator imports
    choose_menu(qtbot, win, win.menu_file, win.act_import)
    wiz = win.district.wizard
    qtbot.waitUntil(wiz.isVisible)
    _fill_source(qtbot, wiz, "cameras", f, "gcj02")
    qtbot.waitUntil(lambda: wiz.check.plan is not None, timeout=10000)
    # The points are on the map, where they truly are, before anything is written.
    preview = win.canvas.layer("import_preview")
    expect = np.column_stack(win.projection.lonlat_to_xy(*np.array(true).T))
    assert np.abs(preview.points - expect).max() < 0.01
    assert len(win.canvas.layer("cameras").features) == 0
    assert wiz.check.preview.rowCount() == 3 and "TW0" in wiz.check.preview.item(0, 0).text()
    assert "add" in wiz.check.summary.toPlainText()
    qtbot.mouseClick(wiz.button(QWizard.NextButton), Qt.LeftButton)
    assert not wiz.button(QWizard.FinishButton).isEnabled()
    qtbot.mouseClick(wiz.write.btn_write, Qt.LeftButton)
    qtbot.waitUntil(lambda: wiz.write.done, timeout=10000)
    assert len(win.canvas.layer("cameras").features) == 3  # on the map now, from the store
    assert len(preview.points) == 0
    assert wiz.button(QWizard.FinishButton).isEnabled()
    got = np.array([[g.x, g.y] for g in win.canvas.layer("cameras").features.geoms])
    assert np.abs(np.sort(got, axis=0) - np.sort(expect, axis=0)).max() < 0.01
    with open_store(district) as st:
        assert import_history(st)[-1]["kind"] == "cameras" and import_history(st)[-1]["file"] == "cams.xlsx"


def test_bad_rows_are_listed_in_chinese_and_nothing_is_written(open_window, qtbot, district, tmp_path):
    f = _cameras_xlsx(tmp_path / "bad.xlsx", [["TW1", "甲", 108.38, 30.81, "是"], ["TW1", "乙", 108.38, 30.81, "是"],
                                              ["TW3", "丙", "东经", 30.81, "是"], ["TW4", "丁", 108.9, 30.81, "是"]])
    before = sha(district)
    win = open_window(district, live=False)
    assert win.dispatch.sign_in("chief", DEMO_PASSWORD)  # an administrator imports
    choose_menu(qtbot, win, win.menu_lang, win.act_lang["zh_CN"])
    choose_menu(qtbot, win, win.menu_file, win.act_import)
    wiz = win.district.wizard
    _fill_source(qtbot, wiz, "cameras", f)
    qtbot.waitUntil(lambda: wiz.check.problems.count() > 0, timeout=10000)
    rows = [wiz.check.problems.item(i).text() for i in range(wiz.check.problems.count())]
    assert len(rows) == 3
    assert any("第 3 行" in r or "3" in r for r in rows)
    assert all(not any(w in r for w in ("row", "missing", "outside", "appears")) for r in rows), rows
    assert "没有导入" in wiz.check.summary.toPlainText() or "未导入" in wiz.check.summary.toPlainText()
    assert not wiz.button(QWizard.NextButton).isEnabled()
    wiz.close()
    win.close()
    assert sha(district) == before


def test_a_new_district_is_created_from_its_boundary_and_offered_to_open(open_window, qtbot, district, tmp_path):
    boundary = tmp_path / "hel.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(24.925, 60.163, 24.955, 60.178)], crs=4326).to_file(boundary)
    win = open_window(district, live=False)
    assert win.dispatch.sign_in("chief", DEMO_PASSWORD)  # an administrator imports
    choose_menu(qtbot, win, win.menu_file, win.act_new_district)
    dlg = win.district.new_dialog
    qtbot.waitUntil(dlg.isVisible)
    qtbot.keyClicks(dlg.boundary, str(boundary))
    qtbot.keyClicks(dlg.out, str(tmp_path / "new.gpkg"))
    qtbot.mouseClick(dlg.btn_create, Qt.LeftButton)
    qtbot.waitUntil(dlg.btn_open.isVisible, timeout=10000)
    assert "32635" in dlg.result.text()
    with open_store(tmp_path / "new.gpkg") as st:
        assert st.projection.map_epsg == 32635
    with qtbot.waitSignal(win.openRequested, timeout=2000) as sig:
        qtbot.mouseClick(dlg.btn_open, Qt.LeftButton)
    assert sig.args == [str(tmp_path / "new.gpkg")]


def test_unknown_headers_are_mapped_in_the_wizard_and_checked_again(open_window, qtbot, district, tmp_path):
    # A roster exported from another system: its own headers, GBK-encoded CSV as Excel in China saves it.
    f = tmp_path / "staff.csv"
    f.write_bytes("人员姓名,工作岗位\n刘建平,调度员\n谭海,督导员\n".encode("gbk"))
    win = open_window(district, live=False)
    assert win.dispatch.sign_in("chief", DEMO_PASSWORD)  # an administrator imports
    choose_menu(qtbot, win, win.menu_file, win.act_import)
    wiz = win.district.wizard
    _fill_source(qtbot, wiz, "staff", f)
    qtbot.waitUntil(lambda: "人员姓名" in wiz.check.summary.toPlainText(), timeout=10000)  # the columns it has are named
    assert wiz.check.plan is None and not wiz.button(QWizard.NextButton).isEnabled()
    table = wiz.check.mapping
    rows = {table.item(r, 0).data(Qt.UserRole): r for r in range(table.rowCount())}
    for key, column in (("name", "人员姓名"), ("role", "工作岗位")):
        box = table.cellWidget(rows[key], 1)
        box.setCurrentIndex(box.findData(column))
    qtbot.mouseClick(wiz.check.btn_recheck, Qt.LeftButton)
    qtbot.waitUntil(lambda: wiz.check.plan is not None, timeout=10000)
    assert wiz.check.plan.payload == [{"name": "刘建平", "role": "dispatcher"}, {"name": "谭海", "role": "supervisor"}]
    qtbot.mouseClick(wiz.button(QWizard.NextButton), Qt.LeftButton)
    qtbot.mouseClick(wiz.write.btn_write, Qt.LeftButton)
    qtbot.waitUntil(lambda: wiz.write.done, timeout=10000)
    from data.cases.dispatch import staff_names
    with open_store(district) as st:
        assert sorted(staff_names(st)) == sorted(["刘建平", "谭海"])
        assert import_history(st)[-1]["options"]["mapping"] == {"name": "人员姓名", "role": "工作岗位"}  # recorded how it was read


def test_the_boundary_is_drawn_until_the_district_has_grids(open_window, qtbot, district, tmp_path):
    gpd.GeoDataFrame(geometry=[shapely.box(108.37, 30.80, 108.40, 30.818)], crs=4326).to_file(tmp_path / "only.geojson")
    init_district(tmp_path / "bare.gpkg", tmp_path / "only.geojson").close()
    bare = open_window(tmp_path / "bare.gpkg", live=False)
    assert bare.canvas.layer("district").visible and bare.canvas.home_extent is not None
    bare.close()
    full = open_window(district, live=False, now=datetime.now(timezone.utc))  # its grids are in force from their import
    assert not full.canvas.layer("district").visible  # the communities' outlines draw that edge now
    assert full.map_panels.tree_title("district")  # still in the layer panel, to turn on
