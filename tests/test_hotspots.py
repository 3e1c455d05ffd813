"""Hotspots and key rectification areas on histories built by hand where the answer is known:
a cluster of incidents in one grid is the hot spot; a key area's monthly counts give the seed's
"同比下降 9.7%"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta

import numpy as np
import pytest
import shapely

from data import hotspots as HS
from data.cases.dispatch import create_incident
from data.demo.generator import DEMO_PASSWORD
from data.domain import LOCAL_TZ
from data.snapshot import load_grids
from data.store.core import open_store
from tests.conftest import copy_store, who

# A quiet stretch after the demo's history: only what the tests add happens in it.
Q0 = datetime(2027, 3, 1, tzinfo=LOCAL_TZ)
Q1 = datetime(2027, 4, 1, tzinfo=LOCAL_TZ)
START = date(2028, 3, 10)  # the key area's work starts; after = Apr–Jun 2028, before = Dec 2027–Feb 2028


def _neighbours_and_far(store, code: str = "FS-03") -> tuple[list[str], str]:
    """Two grids touching `code`, and the grid farthest from it."""
    grids = load_grids(store)
    codes = list(grids.column("code"))
    g = grids.geoms[codes.index(code)]
    near = sorted(c for c, h in zip(codes, grids.geoms) if c != code and h.intersects(g.buffer(1)))
    far = max(zip(codes, grids.geoms), key=lambda ch: ch[1].distance(g))[0]
    return near[:2], far


def _points_in(store, code: str, n: int, rng) -> list[tuple[float, float]]:
    """n random longitude/latitude points inside grid `code`."""
    grids = load_grids(store)
    g = grids.geoms[list(grids.column("code")).index(code)]
    minx, miny, maxx, maxy = g.bounds
    out = []
    while len(out) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if g.contains(shapely.Point(x, y)):
            out.append((x, y))
    lon, lat = store.projection.xy_to_lonlat(np.array([p[0] for p in out]), np.array([p[1] for p in out]))
    return list(zip(lon, lat))


@pytest.fixture(scope="module")
def built(tmp_path_factory, demo_path):
    path = tmp_path_factory.mktemp("hot") / "hot.gpkg"
    copy_store(demo_path, path)
    store = open_store(path)
    lead = who(store, "吴敏")
    rng = np.random.default_rng(3)

    def log(code, n, at, category="public_order", sub="public_order.theft"):
        for k, (lon, lat) in enumerate(_points_in(store, code, n, rng)):
            create_incident(store, category=category, subcategory=sub, priority="normal", source="hotline", lon=lon, lat=lat,
                            actor=lead, at=at + timedelta(hours=7 * k + 1))

    # March 2027: 24 thefts in FS-03 and 3 in each of two neighbours; 1 in the farthest grid.
    (n1, n2), far = _neighbours_and_far(store)
    log("FS-03", 24, Q0)
    log(n1, 3, Q0)
    log(n2, 3, Q0)
    log(far, 1, Q0)
    # The key area (FS-03) a year earlier (Apr–Jun 2027): 10, 10, 11 thefts; just before (Dec 2027 –
    # Feb 2028): 12 a month; after (Apr–Jun 2028): 9, 9, 10. Also a dispute inside it (another
    # category) and thefts just outside it (in a neighbour), neither of which counts.
    for month, n in (("2027-04", 10), ("2027-05", 10), ("2027-06", 11), ("2027-12", 12), ("2028-01", 12),
                     ("2028-02", 12), ("2028-04", 9), ("2028-05", 9), ("2028-06", 10)):
        at = datetime.fromisoformat(month + "-02T00:00:00").replace(tzinfo=LOCAL_TZ)
        log("FS-03", n, at)
        log(n1, 2, at)
        log("FS-03", 1, at, "dispute", "dispute.neighbour")
    yield store
    store.close()


def test_gi_star_finds_the_cluster_as_a_hot_spot(built):
    store = built
    h = HS.gi_star(store, Q0, Q1, reader=who(store, "谭海"), category="public_order", unit="grid")
    cls = dict(zip(h.codes, h.classes))
    counts = dict(zip(h.codes, h.counts))
    (n1, n2), far = _neighbours_and_far(store)
    assert counts["FS-03"] == 24 and counts[n1] == 3 and counts[n2] == 3 and counts[far] == 1
    assert cls["FS-03"] == "hot_99"  # 24 of 31 in one grid and its neighbours: p ≤ 0.01
    assert not cls[far].startswith("hot")
    assert sum(c.startswith("hot") for c in h.classes) <= 8  # the cluster, not the district
    # The same with another seed gives the same cluster (permutation noise does not decide it).
    again = HS.gi_star(store, Q0, Q1, reader=who(store, "谭海"), category="public_order", unit="grid", seed=7)
    assert dict(zip(again.codes, again.classes))["FS-03"] == "hot_99"


def test_a_hexagon_lattice_covers_the_district_and_finds_the_same_place(built):
    store = built
    h = HS.gi_star(store, Q0, Q1, reader=who(store, "谭海"), category="public_order", unit="hex", hex_m=300)
    grids = load_grids(store)
    fs03 = grids.geoms[list(grids.column("code")).index("FS-03")]
    district = shapely.union_all(grids.geoms)
    assert shapely.union_all(h.geoms).covers(district.buffer(-1))  # every part of the district is in a cell
    hottest = int(np.argmax(h.z))
    assert h.classes[hottest] == "hot_99" and h.geoms[hottest].intersects(fs03)
    assert int(h.counts.sum()) == 31  # every theft counted once


def test_the_kernel_density_peaks_at_the_cluster_and_keeps_the_count(built):
    store = built
    x, y = HS.incident_points(store, Q0, Q1, "public_order")
    grids = load_grids(store)
    d = HS.kernel_density(x, y, shapely.total_bounds(grids.geoms), cell_m=25, bandwidth_m=150)
    total = float(d.values.sum()) * d.cell_m ** 2 / 1e6
    assert abs(total - len(x)) < 0.05 * len(x)  # a density: it integrates to the incidents
    i, j = np.unravel_index(np.argmax(d.values), d.values.shape)
    peak = shapely.Point(d.x0 + (j + 0.5) * d.cell_m, d.y_top - (i + 0.5) * d.cell_m)
    fs03 = grids.geoms[list(grids.column("code")).index("FS-03")]
    assert fs03.buffer(150).contains(peak)


def test_a_key_area_compares_months_before_after_and_a_year_earlier(built):
    store = built
    grids = load_grids(store)
    fs03 = grids.geoms[list(grids.column("code")).index("FS-03")]
    tan = who(store, "谭海")
    aid = HS.add_key_area(store, name="丰收3 盗窃整治", geom=fs03, start_day=START, owner="谭海",
                          category="public_order", by=tan)
    area = next(a for a in HS.key_areas(store) if a.id == aid)
    assert area.category == "public_order" and area.start_day == START
    eff = HS.area_effect(store, area, datetime(2028, 7, 15, tzinfo=LOCAL_TZ), reader=tan)
    assert eff["months"] == 3
    assert [r["incidents"] for r in eff["after"]] == [9, 9, 10]
    assert [r["incidents"] for r in eff["before"]] == [12, 12, 12]
    assert [r["incidents"] for r in eff["year_earlier"]] == [10, 10, 11]
    assert eff["change_vs_before"] == round(28 / 36 - 1, 4)  # −22.22%
    assert eff["change_vs_year_earlier"] == -0.0968  # 28 against 31: 同比下降 9.7%
    # Audited, and refused to those who may not set key areas, and for bad input.
    from data.audit import entries_for
    assert [e.action for e in entries_for(store, "key_area", aid)] == ["areas.add"]
    from data.messages import GridWatchError
    for kwargs, code in (({"by": who(store, "刘建平", ("dispatcher",))}, "auth.forbidden"), ({"name": " "}, "areas.no_name"),
                         ({"owner": ""}, "areas.no_owner"), ({"geom": shapely.LineString([(0, 0), (1, 1)])}, "areas.bad_geometry")):
        args = dict(name="x", geom=fs03, start_day=START, owner="y", by=tan) | kwargs
        with pytest.raises(GridWatchError) as info:
            HS.add_key_area(store, **args)
        assert info.value.code == code


def test_the_commands_print_hotspots_and_adopt_an_area(built, tmp_path):
    store = built
    env = dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD)
    r = subprocess.run([sys.executable, "-m", "console.cli", "hotspots", "--store", str(store.path), "--from", "2027-03-01",
                        "--to", "2027-04-01", "--category", "public_order", "--json", "--as", "谭海"],
                       capture_output=True, text=True, timeout=180, env=env)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    cells = {c["code"]: c for c in doc["cells"]}
    assert cells["FS-03"]["class"] == "hot_99" and cells["FS-03"]["incidents"] == 24
    # Adopt the hot grids as a key area from the command line, then list it with its effect.
    add = subprocess.run([sys.executable, "-m", "console.cli", "areas", "add", "--store", str(store.path), "--name", "命令行整治区",
                          "--grids", "FS-03", "--category", "public_order", "--start", "2028-03-10", "--owner", "吴敏",
                          "--as", "谭海"], capture_output=True, text=True, timeout=180, env=env)
    assert add.returncode == 0, add.stderr
    listed = subprocess.run([sys.executable, "-m", "console.cli", "areas", "list", "--store", str(store.path), "--at",
                             "2028-07-15", "--json", "--as", "谭海"], capture_output=True, text=True, timeout=180, env=env)
    assert listed.returncode == 0, listed.stderr
    effect = next(a for a in json.loads(listed.stdout) if a["area"] == "命令行整治区")
    assert effect["change_vs_year_earlier"] == -0.0968
    bad = subprocess.run([sys.executable, "-m", "console.cli", "areas", "add", "--store", str(store.path), "--name", "x",
                          "--grids", "NO-SUCH", "--start", "2028-03-10", "--owner", "y", "--as", "谭海"],
                         capture_output=True, text=True, timeout=180, env=env)
    assert bad.returncode == 2 and "NO-SUCH" in bad.stderr and "Traceback" not in bad.stderr


def test_the_dock_finds_hotspots_draws_them_and_adopts_a_key_area(open_window, built, qtbot):
    from PySide6.QtCore import QDate, QPoint, Qt
    from PySide6.QtWidgets import QDialogButtonBox
    from tests.conftest import choose_combo, choose_menu
    store = built
    win = open_window(store.path, live=False)
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_hotspots.toggleViewAction())
    panel = win.hotspots_panel
    panel.start_edit.setDate(QDate(2027, 3, 1))
    panel.end_edit.setDate(QDate(2027, 3, 31))
    choose_combo(qtbot, panel.category, "Public order")
    qtbot.mouseClick(panel.find_button, Qt.LeftButton)
    assert panel.wait() and panel.hotspots is not None, panel.message.text()
    assert panel.table.item(0, 0).text() == "FS-03" and "99%" in panel.table.item(0, 3).text()
    layer = win.canvas.layer("hotspots")
    assert layer.visible and "FS-03" in list(layer.features.column("code"))
    # The heat map, ticked.
    qtbot.mouseClick(panel.heat, Qt.LeftButton, pos=QPoint(8, panel.heat.height() // 2))
    assert panel.wait() and win.canvas.layer("heat").visible and win.canvas.layer("heat").density.incidents == 31
    # Select FS-03's row and adopt it.
    rect = panel.table.visualItemRect(panel.table.item(0, 0))
    qtbot.mouseClick(panel.table.viewport(), Qt.LeftButton, pos=rect.center())
    assert panel.adopt_button.isEnabled()
    qtbot.mouseClick(panel.adopt_button, Qt.LeftButton)
    dlg = panel.adopt_dialog
    qtbot.keyClicks(dlg.name, "Harvest 3 thefts")
    qtbot.keyClicks(dlg.owner, "Tan Hai")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert panel.wait() and panel.wait()
    assert "Harvest 3 thefts" in [a.name for a in HS.key_areas(store)]
    assert "Harvest 3 thefts" in list(win.canvas.layer("key_areas").features.column("name"))
    names = [panel.areas.item(r, 0).text() for r in range(panel.areas.rowCount())]
    assert any(n.startswith("Harvest 3 thefts") for n in names)
    # Or draw one: three corners clicked on the map, a double-click to finish.
    from PySide6.QtCore import QPoint as _P
    qtbot.mouseClick(panel.draw_button, Qt.LeftButton)
    canvas = win.canvas
    w, h = canvas.width(), canvas.height()
    corners = [_P(w // 2 - 60, h // 2 - 40), _P(w // 2 + 60, h // 2 - 40), _P(w // 2, h // 2 + 60)]
    for c in corners:
        qtbot.mouseClick(canvas, Qt.LeftButton, pos=c)
    qtbot.mouseDClick(canvas, Qt.LeftButton, pos=corners[-1])
    dlg = panel.adopt_dialog
    assert dlg.isVisible() and "ha" in dlg.message.text()
    qtbot.keyClicks(dlg.name, "Drawn area")
    qtbot.keyClicks(dlg.owner, "Wu Min")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert panel.wait()
    drawn = next(a for a in HS.key_areas(store) if a.name == "Drawn area")
    res = canvas.view().resolution
    assert abs(drawn.geom.area - 0.5 * 120 * 100 * res * res) < 0.05 * drawn.geom.area  # the triangle clicked
    assert canvas.tool is None  # the map pans again
