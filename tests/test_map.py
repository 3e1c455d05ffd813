"""The map canvas and the main window, driven with qtbot on the demo district (offscreen)."""

from __future__ import annotations

import time

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QColor, QImage, QInputMethodEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from layers import style as S
from layers.model import ViewState
from tests.conftest import DEMO_UNTIL


@pytest.fixture
def window(open_window, demo_path):
    return open_window(demo_path, now=DEMO_UNTIL, size=(1200, 800))


def colour_near(img: QImage, x: float, y: float, hex_colour: str, radius: int = 3, tol: int = 18) -> bool:
    """Whether a pixel within `radius` of (x, y) has the colour (each channel within tol)."""
    want = QColor(hex_colour)
    for dx in range(-radius, radius + 1):
        for dy in range(-radius, radius + 1):
            px, py = int(round(x)) + dx, int(round(y)) + dy
            if 0 <= px < img.width() and 0 <= py < img.height():
                c = img.pixelColor(px, py)
                if abs(c.red() - want.red()) <= tol and abs(c.green() - want.green()) <= tol and abs(c.blue() - want.blue()) <= tol:
                    return True
    return False


def render_only(canvas, name: str, view: ViewState) -> QImage:
    from console.map_canvas import render_static_image
    layer = canvas.layer(name)
    return render_static_image([layer], canvas.layer_painters, view)


def test_wheel_zooms_at_the_cursor(window):
    canvas = window.canvas
    before = canvas.view()
    pos = QPointF(300, 200)
    anchor = before.to_world(pos.x(), pos.y())
    ev = QWheelEvent(pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, 120), Qt.NoButton, Qt.NoModifier,
                     Qt.NoScrollPhase, False)
    QApplication.sendEvent(canvas, ev)
    after = canvas.view()
    assert after.resolution == pytest.approx(before.resolution / 1.25)
    assert after.to_world(pos.x(), pos.y()) == pytest.approx(anchor, abs=1e-6)
    ev = QWheelEvent(pos, canvas.mapToGlobal(pos), QPoint(0, 0), QPoint(0, -240), Qt.NoButton, Qt.NoModifier,
                     Qt.NoScrollPhase, False)
    QApplication.sendEvent(canvas, ev)
    assert canvas.view().resolution == pytest.approx(before.resolution * 1.25)


def test_drag_pans_by_the_dragged_distance(window, qtbot):
    canvas = window.canvas
    v0 = canvas.view()
    qtbot.mousePress(canvas, Qt.LeftButton, pos=QPoint(400, 300))
    qtbot.mouseMove(canvas, QPoint(450, 330))
    qtbot.mouseMove(canvas, QPoint(500, 360))
    qtbot.mouseRelease(canvas, Qt.LeftButton, pos=QPoint(500, 360))
    v1 = canvas.view()
    assert v1.resolution == v0.resolution
    assert v1.cx == pytest.approx(v0.cx - 100 * v0.resolution)
    assert v1.cy == pytest.approx(v0.cy + 60 * v0.resolution)
    # The point that was under the mouse at the start is under it at the end.
    assert v1.to_world(500, 360) == pytest.approx(v0.to_world(400, 300))


def test_zoom_to_district_shows_all_grids(window, qtbot):
    canvas = window.canvas
    canvas.set_view(0, 0, 0.2)
    window.act_home.trigger()
    minx, miny, maxx, maxy = canvas.view().world_rect
    gx0, gy0, gx1, gy1 = canvas.layer("grids").extent()
    assert minx <= gx0 and miny <= gy0 and maxx >= gx1 and maxy >= gy1
    assert (maxx - minx) < 2 * (gx1 - gx0) or (maxy - miny) < 2 * (gy1 - gy0)


def test_each_static_layer_draws_its_colour_where_its_features_are(window):
    canvas = window.canvas
    W, H = 400, 300
    # Buildings: centre of the largest footprint, zoomed in.
    b = canvas.layer("buildings").features.geoms
    big = b[int(np.argmax(shapely.area(b)))]
    c = big.centroid
    img = render_only(canvas, "buildings", ViewState(c.x, c.y, 0.5, W, H))
    assert colour_near(img, W / 2, H / 2, S.BUILDING.fill, radius=0, tol=4)
    # Zoomed out past its level of detail, the building layer draws nothing.
    img = render_only(canvas, "buildings", ViewState(c.x, c.y, 4.0, W, H))
    assert colour_near(img, W / 2, H / 2, S.BACKGROUND, radius=0, tol=2)
    # Water: inside the river.
    river = canvas.layer("water").features.geoms[0]
    p = river.intersection(shapely.box(*canvas.home_extent)).point_on_surface()
    img = render_only(canvas, "water", ViewState(p.x, p.y, 2.0, W, H))
    assert colour_near(img, W / 2, H / 2, S.WATER.fill, radius=0, tol=4)
    # Streets: the middle of a main road.
    streets = canvas.layer("streets")
    i = list(streets.features.column("road_class")).index("main")
    mid = streets.features.geoms[i].interpolate(0.5, normalized=True)
    img = render_only(canvas, "streets", ViewState(mid.x, mid.y, 0.5, W, H))
    assert colour_near(img, W / 2, H / 2, S.STREETS["main"].stroke, radius=1, tol=6)
    # Grids: the outline at a point of a grid boundary.
    g0 = canvas.layer("grids").features.geoms[0]
    q = g0.exterior.interpolate(0.3, normalized=True)
    img = render_only(canvas, "grids", ViewState(q.x, q.y, 1.0, W, H))
    assert colour_near(img, W / 2, H / 2, S.GRID.stroke, radius=1, tol=40)
    # Grid names are drawn (in the label pass) where they fit, centred in the grid.
    from console.map_canvas import render_map_image
    grids = canvas.layer("grids")
    anchors, radius = grids.label_anchors()
    k = int(np.argmax(radius))
    ax, ay = anchors[k]
    img = render_map_image([grids], canvas.layer_painters, ViewState(ax, ay, 1.0, W, H))
    assert colour_near(img, W / 2, H / 2, S.GRID_LABEL, radius=8, tol=30)
    img = render_map_image([grids], canvas.layer_painters, ViewState(ax, ay, 40.0, W, H))  # far too small to fit
    assert not colour_near(img, W / 2, H / 2, S.GRID_LABEL, radius=8, tol=30)
    # Communities: a pale fill of the community's colour inside it.
    com = canvas.layer("communities")
    inner = com.features.geoms[0].point_on_surface()
    img = render_only(canvas, "communities", ViewState(inner.x, inner.y, 1.0, W, H))
    base, tint = QColor(S.BACKGROUND), QColor(com.colour(0))
    a = S.COMMUNITY_FILL_ALPHA
    blend = QColor(*(round(getattr(base, ch)() * (1 - a) + getattr(tint, ch)() * a) for ch in ("red", "green", "blue")))
    assert colour_near(img, W / 2, H / 2, blend.name(), radius=0, tol=3)
    # Cameras: the marker of an online HD camera, with its view wedge when zoomed in.
    cams = canvas.layer("cameras")
    k = next(i for i in range(len(cams.features)) if cams.features.column("hd")[i] and cams.features.column("status")[i] == "online")
    cp = cams.features.geoms[k]
    img = render_only(canvas, "cameras", ViewState(cp.x, cp.y, 0.5, W, H))
    assert colour_near(img, W / 2, H / 2, S.CAMERA_HD.fill, radius=1, tol=6)
    h = np.radians(cams.features.column("heading_deg")[k])
    wx, wy = cp.x + 40 * np.sin(h), cp.y + 40 * np.cos(h)  # 40 m along the camera's heading, inside its wedge
    v = ViewState(cp.x, cp.y, 0.5, W, H)
    dx, dy = v.to_device(wx, wy)
    assert not colour_near(img, float(dx), float(dy), S.BACKGROUND, radius=0, tol=1)


def test_dynamic_layers_draw_teams_and_incident_pins(window):
    canvas = window.canvas
    teams = canvas.layer("teams")
    i = 0
    x, y = teams.xy[i]
    canvas.set_view(x, y, 0.8, render_now=True)
    canvas.wait_rendered()
    img = canvas.grab().toImage()
    dx, dy = canvas.view().to_device(x, y)
    assert colour_near(img, float(dx), float(dy), teams.colour(i), radius=2, tol=12)
    inc = canvas.layer("incidents")
    for other in ("teams", "grids", "cameras", "trails"):  # nothing else over the pin
        canvas.set_layer_visible(other, False)
    j = 0
    p = inc.features.geoms[j]
    canvas.set_view(p.x, p.y, 0.8, render_now=True)
    canvas.wait_rendered()
    img = canvas.grab().toImage()
    dx, dy = canvas.view().to_device(p.x, p.y)
    head_y = float(dy) - inc.size_px(j) * 0.62
    assert colour_near(img, float(dx), head_y, inc.colour(j), radius=6, tol=12)


def test_moving_a_team_repaints_it_at_its_new_place(window):
    canvas = window.canvas
    teams = canvas.layer("teams")
    x, y = teams.xy[0]
    canvas.set_view(x, y, 0.8, render_now=True)
    canvas.wait_rendered()
    tid = teams.features.column("id")[0]
    canvas.move_team(tid, x + 60, y)  # 75 px to the right
    img = canvas.grab().toImage()
    v = canvas.view()
    nx, ny = v.to_device(x + 60, y)
    ox, oy = v.to_device(x, y)
    assert colour_near(img, float(nx), float(ny), teams.colour(0), radius=2, tol=12)
    assert tuple(teams.xy[0]) == (x + 60, y)
    # Nothing of the old marker's colour remains at its old centre (unless another team is there).
    others = np.hypot(teams.xy[1:, 0] - x, teams.xy[1:, 1] - y).min()
    if others > 30:
        assert not colour_near(img, float(ox), float(oy), teams.colour(0), radius=1, tol=12)


def test_clicking_a_camera_shows_its_attributes(window, qtbot):
    canvas = window.canvas
    cams = canvas.layer("cameras")
    p = cams.features.geoms[5]
    canvas.set_view(p.x, p.y, 0.7, render_now=True)
    canvas.wait_rendered()
    # Hide the moving layers so the click cannot land on a team or pin standing over the camera.
    canvas.set_layer_visible("teams", False)
    canvas.set_layer_visible("incidents", False)
    dx, dy = canvas.view().to_device(p.x, p.y)
    qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(dx), int(dy)))
    table = window.feature_table
    values = [table.item(r, 1).text() for r in range(table.rowCount())]
    assert cams.features.column("code")[5] in values
    assert canvas.selection[0] is cams and canvas.selection[1] == 5
    # A click on empty land outside the district selects nothing and clears the panel.
    minx, miny, maxx, maxy = canvas.home_extent
    canvas.set_view(minx - 3000, miny - 3000, 1.0)
    qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(100, 100))
    assert window.feature_table.rowCount() == 0 and canvas.selection is None


def test_status_bar_shows_lon_lat_and_scale(window, qtbot):
    canvas = window.canvas
    grids = canvas.layer("grids")
    c = grids.features.geoms[0].centroid
    canvas.set_view(c.x, c.y, 1.0)
    qtbot.mouseMove(canvas, QPoint(5, 5))  # from elsewhere: a move to where the pointer already is sends no event
    qtbot.wait(50)
    qtbot.mouseMove(canvas, QPoint(canvas.width() // 2, canvas.height() // 2))
    qtbot.wait(50)
    text = window.status_coords.text()
    lon, lat = (float(t.rstrip("°EN")) for t in text.split())
    elon, elat = window.projection.xy_to_lonlat(*canvas.view().to_world(canvas.width() // 2, canvas.height() // 2))
    assert lon == pytest.approx(float(elon), abs=2e-6) and lat == pytest.approx(float(elat), abs=2e-6)
    assert "1:3,780" in window.status_scale.text()  # 1 m/px at 96 dpi


def test_layer_panel_toggles_and_reorders_layers(window, qtbot):
    tree = window.layer_tree
    items = {tree.topLevelItem(i).data(0, Qt.UserRole): tree.topLevelItem(i) for i in range(tree.topLevelItemCount())}
    assert set(items) == {"water", "buildings", "streets", "communities", "choropleth", "heat", "hotspots", "key_areas", "patrol_plans", "district",
                          "grids", "supervision", "cameras", "incidents", "trails", "route", "coverage", "teams"}
    assert tree.topLevelItem(0).data(0, Qt.UserRole) == "teams"  # topmost first
    items["cameras"].setCheckState(0, Qt.Unchecked)
    assert window.canvas.layer("cameras").visible is False
    items["cameras"].setCheckState(0, Qt.Checked)
    assert window.canvas.layer("cameras").visible is True
    # Legend swatches: teams list their kinds and statuses.
    assert items["teams"].childCount() == 11
    order = [lyr.name for lyr in window.canvas.layers]
    tree.setCurrentItem(items["streets"])
    window.btn_up.click()
    new = [lyr.name for lyr in window.canvas.layers]
    i = order.index("streets")
    assert new[i + 1] == "streets" and new[i] == order[i + 1]


def test_search_zooms_to_a_grid_or_camera(window, qtbot):
    cams = window.canvas.layer("cameras")
    code = cams.features.column("code")[10]
    assert window.map_panels.find(code.lower())
    assert window.canvas.selection == (cams, 10)
    v = window.canvas.view()
    p = cams.features.geoms[10]
    assert (v.cx, v.cy) == pytest.approx((p.x, p.y))
    grids = window.canvas.layer("grids")
    name = grids.features.column("name")[3]
    assert window.map_panels.find(name)
    assert window.canvas.selection == (grids, 3)
    minx, miny, maxx, maxy = window.canvas.view().world_rect
    gx0, gy0, gx1, gy1 = shapely.bounds(grids.features.geoms[3])
    assert minx <= gx0 and maxx >= gx1 and miny <= gy0 and maxy >= gy1
    # The short label the map shows ("丰收3"), typed into the search box and Enter, finds that grid.
    label = grids.label(7)
    assert label != grids.features.column("name")[7]
    window.search.clear()
    window.search.setFocus()
    ime = QInputMethodEvent()  # Chinese is typed through an input method, which commits the text
    ime.setCommitString(label)
    QApplication.sendEvent(window.search, ime)
    assert window.search.text() == label
    qtbot.keyClick(window.search, Qt.Key_Return)
    assert window.canvas.selection == (grids, 7)
    assert not window.map_panels.find("no such thing")
    assert "no such thing" in window.status_message.text()


def test_language_switch_retranslates_and_is_remembered(window):
    assert window.dock_layers.windowTitle() == "Layers"
    window.set_language("zh_CN")
    assert window.dock_layers.windowTitle() == "图层"
    assert window.map_panels.tree_title("buildings") == "建筑"
    assert QSettings().value("language") == "zh_CN"
    window.set_language("en")
    assert window.dock_layers.windowTitle() == "Layers"
    assert window.map_panels.tree_title("buildings") == "Buildings"


def test_extent_is_kept_between_sessions(app, qtbot, demo_store):
    from console.main_window import MainWindow
    QSettings().clear()
    win = MainWindow(demo_store, "en", now=DEMO_UNTIL, ask_sign_in=False)
    qtbot.addWidget(win)
    win.resize(1000, 700)
    win.show()
    assert win.wait_ready()
    g = win.canvas.layer("grids").features.geoms[7].centroid
    win.canvas.set_view(g.x, g.y, 0.9)
    win.close()
    again = MainWindow(demo_store, "en", now=DEMO_UNTIL, ask_sign_in=False)
    qtbot.addWidget(again)
    again.resize(1000, 700)
    again.show()
    assert again.wait_ready()
    v = again.canvas.view()
    assert (v.cx, v.cy, v.resolution) == pytest.approx((g.x, g.y, 0.9))


def test_one_moving_team_repaints_a_small_region_once_per_frame(window, qtbot):
    from PySide6.QtCore import QEvent, QObject

    canvas = window.canvas
    teams = canvas.layer("teams")
    x, y = teams.xy[3]
    canvas.set_view(x, y, 1.0, render_now=True)
    canvas.wait_rendered()
    # Only this team moves while we count: the store poller (which redraws whatever changed in the
    # store) waits, and the style's hover/focus animations of earlier tests end first.
    window.live.paused = True  # as while replaying: the store is still read, the map left alone
    qtbot.wait(400)
    painted = []

    class Spy(QObject):
        def eventFilter(self, obj, ev):
            if obj is canvas and ev.type() == QEvent.Paint:
                painted.append(ev.region().boundingRect())
            return False

    spy = Spy()
    canvas.installEventFilter(spy)
    # Wait for a quiet map first: a background render or a layer the window loads late (the ledgers'
    # counts) repaints it whole now and then, and one landing in the frame below is not this team.
    quiet_since, deadline = len(painted), time.monotonic() + 10
    while time.monotonic() < deadline:
        qtbot.wait(250)
        if len(painted) == quiet_since:
            break
        quiet_since = len(painted)
    painted.clear()
    tid = teams.features.column("id")[3]
    for k in range(5):  # five reports within one frame
        canvas.move_team(tid, x + 10 * (k + 1), y)
    qtbot.wait(60)
    canvas.removeEventFilter(spy)
    window.live.paused = False
    assert len(painted) == 1, painted
    r = painted[0]
    assert r.width() < 150 and r.height() < 60  # the old and new spots, not the whole map
