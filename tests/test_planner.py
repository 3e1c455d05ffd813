"""Planner mode in the real window: drag a shared vertex, split, merge, undo, validate, publish."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from data.grids import sets as G
from data.snapshot import grid_set_in_force
from tests.conftest import DEMO_UNTIL, choose_menu


@pytest.fixture
def win(open_window, demo_copy):
    from data.demo.generator import DEMO_PASSWORD
    w = open_window(demo_copy, live=False)
    assert w.dispatch.sign_in("冉小东", DEMO_PASSWORD)  # a planner
    return w


def shared_vertex(data, i):
    from data.grids.edit import vertices
    for v in vertices(data, i):
        users = [k for k, g in enumerate(data.geoms)
                 if np.any(np.hypot(*(shapely.get_coordinates(g.exterior) - v).T) < 1e-6)]
        if len(users) >= 2:
            return (float(v[0]), float(v[1])), users
    raise AssertionError("no shared vertex")


def test_drag_a_shared_vertex_split_merge_undo_and_publish(win, qtbot):
    panel = win.planner_panel
    canvas = win.canvas
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    planner = panel.planner
    assert planner.active and planner.draft_id is not None
    start = planner.data
    n0 = len(start.codes)
    # Select a grid by clicking inside it.
    i = 10
    c = start.geoms[i].point_on_surface()
    canvas.set_view(c.x, c.y, 0.5, render_now=True)
    canvas.wait_rendered()
    dx, dy = canvas.view().to_device(c.x, c.y)
    qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(dx), int(dy)))
    assert planner.selected == i and panel.merge_with.count() >= 2
    # Drag one of its vertices that a neighbour shares, 14 px to the right.
    (vx, vy), users = shared_vertex(planner.data, i)
    canvas.set_view(vx, vy, 0.5, render_now=True)
    canvas.wait_rendered()
    px, py = (int(round(float(v))) for v in canvas.view().to_device(vx, vy))
    qtbot.mousePress(canvas, Qt.LeftButton, pos=QPoint(px, py))
    qtbot.mouseMove(canvas, QPoint(px + 7, py + 3))
    qtbot.mouseMove(canvas, QPoint(px + 14, py + 6))
    qtbot.mouseRelease(canvas, Qt.LeftButton, pos=QPoint(px + 14, py + 6))
    moved = planner.data
    for k in users:
        coords = shapely.get_coordinates(moved.geoms[k].exterior)
        assert not np.any(np.hypot(coords[:, 0] - vx, coords[:, 1] - vy) < 1e-6), "the vertex moved in every grid"
    assert G.validate(moved.codes, moved.geoms, G.district_geometry(win.store)) == []
    assert planner.undo_stack.count() == 1
    # Split the grid along a line across it, then merge a neighbour into it.
    g = planner.data.geoms[i]
    minx, miny, maxx, maxy = g.bounds
    cy = g.centroid.y
    assert planner.split(i, shapely.LineString([(minx - 5, cy), (maxx + 5, cy)]))
    assert len(planner.data.codes) == n0 + 1
    assert G.validate(planner.data.codes, planner.data.geoms, G.district_geometry(win.store)) == []
    j = planner.neighbours(i)[0]
    assert planner.merge(min(i, j), max(i, j))
    assert len(planner.data.codes) == n0
    assert G.validate(planner.data.codes, planner.data.geoms, G.district_geometry(win.store)) == []
    # The draft is what the map shows and what the store holds.
    assert len(win.canvas.layer("grids").features) == n0
    assert sorted(G.load_grid_set(win.store, planner.draft_id).codes) == sorted(planner.data.codes)
    # Rename, move to another community, leave without a grid worker (the impact report will say so).
    panel.select_grid(i)
    panel.name_edit.setText("新建小区网格")
    panel.community_combo.setCurrentIndex(1)
    panel.worker_combo.setCurrentIndex(0)
    panel.apply_button.click()
    assert planner.data.names[i] == "新建小区网格" and planner.data.worker_ids[i] is None
    assert planner.data.community_ids[i] == panel.community_combo.itemData(1)
    imp = G.impact_report(win.store, planner.draft_id, DEMO_UNTIL)
    assert planner.data.codes[i] in imp.grids_without_worker
    # Undo everything: back to the set as it started.
    for _ in range(4):
        win.act_undo.trigger()
    assert planner.data.codes == start.codes
    assert all(a.equals(b) for a, b in zip(planner.data.geoms, start.geoms))
    win.act_redo.trigger()
    assert planner.undo_stack.index() == 1
    # Publish: the impact report is made, the draft becomes the set in force.
    published_before = grid_set_in_force(win.store).id
    # Publish as a planner does: the button, then Yes in the confirmation that shows the impact report.
    answered = []

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            answered.append(box.detailedText())
            qtbot.mouseClick(box.button(QMessageBox.Yes), Qt.LeftButton)
        else:
            QTimer.singleShot(50, answer)
    QTimer.singleShot(50, answer)
    qtbot.mouseClick(panel.publish_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: not planner.active, timeout=10000)
    assert answered and "cameras changing grid" in answered[0]
    assert "cameras changing grid" in panel.last_impact
    now = grid_set_in_force(win.store, DEMO_UNTIL + timedelta(minutes=3))
    assert now.id == planner.draft_id != published_before
    assert not planner.active


def test_publishing_a_draft_with_problems_is_refused(win, qtbot):
    panel = win.planner_panel
    qtbot.mouseClick(panel.start_button, Qt.LeftButton)
    planner = panel.planner
    bad = G.GridSetData(planner.data.id, planner.data.name, "draft", list(planner.data.codes), list(planner.data.names),
                        list(planner.data.community_ids), list(planner.data.worker_ids), np.array(list(planner.data.geoms)))
    bad.geoms[0] = shapely.affinity.translate(bad.geoms[0], 25, 0)
    planner.apply(bad)
    problems = panel.validate()
    assert {p.kind for p in problems} >= {"overlap", "gap"}
    # In Chinese, the list is Chinese: the grid codes and numbers are the only Latin characters.
    choose_menu(qtbot, win, win.menu_lang, win.act_lang["zh_CN"])
    qtbot.mouseClick(panel.validate_button, Qt.LeftButton)
    texts = [panel.problems.item(i).text() for i in range(panel.problems.count())]
    assert len(texts) == len(problems) and any("重叠" in t for t in texts) and any("不属于任何网格" in t for t in texts)
    codes = set(c for p in problems for c in p.grids)
    for t in texts:
        for code in codes:
            t = t.replace(code, "")
        assert not re.search(r"[A-Za-z]{2,}", t.replace("m²", "")), t
    choose_menu(qtbot, win, win.menu_lang, win.act_lang["en"])
    # The problem list zooms to each problem.
    item = panel.problems.item(0)
    panel._zoom_to_problem(item)
    v = win.canvas.view()
    assert (v.cx, v.cy) == pytest.approx(item.data(Qt.UserRole))
    qtbot.mouseClick(panel.publish_button, Qt.LeftButton)  # refused before any dialog: nothing to answer
    assert "refused" in win.last_refusal.text()
    assert grid_set_in_force(win.store).status == "published" and grid_set_in_force(win.store).id != planner.draft_id
