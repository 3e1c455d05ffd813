"""The patrol plans on the map: ticked in the layer panel, the demo's night-market route is drawn in
the key plans' colour over its streets, ordinary routes in theirs; unticked, neither is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from layers import style as S


def share_near(win, colour: str, tol: int = 40) -> float:
    img = win.canvas.grab().toImage()
    c = QColor(colour)
    hits = total = 0
    for x in range(0, img.width(), 3):
        for y in range(0, img.height(), 3):
            total += 1
            p = img.pixelColor(x, y)
            hits += abs(p.red() - c.red()) + abs(p.green() - c.green()) + abs(p.blue() - c.blue()) < tol
    return hits / total


def test_the_plans_layer_draws_key_and_ordinary_plans_when_ticked(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    layer = win.canvas.layer("patrol_plans")
    assert layer is not None and not layer.visible and len(layer.features) == 9  # the demo's nine plans
    names = list(layer.features.column("name"))
    night = layer.features.geoms[names.index("夜市街夜间巡逻")]
    c = night.centroid
    win.canvas.set_view(c.x, c.y, 1.5, render_now=True)
    win.canvas.wait_rendered(5000)
    before = share_near(win, S.PLAN_KEY.stroke)
    tree = win.layer_tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).data(0, Qt.UserRole) == "patrol_plans")
    assert item.text(0) == "Patrol plans" and item.childCount() == 2  # its legend: ordinary and key
    item.setCheckState(0, Qt.Checked)
    assert layer.visible
    win.canvas.wait_rendered(5000)
    qtbot.waitUntil(lambda: share_near(win, S.PLAN_KEY.stroke) > before + 0.0008, timeout=5000)  # ~1.5 km of dashes
    # An ordinary daytime route, in the ordinary colour.
    day = layer.features.geoms[names.index(next(n for n in names if "日间" in n))]
    win.canvas.set_view(day.centroid.x, day.centroid.y, 1.5, render_now=True)
    win.canvas.wait_rendered(5000)
    qtbot.waitUntil(lambda: share_near(win, S.PLAN.stroke) > 0.0008, timeout=5000)
    item.setCheckState(0, Qt.Unchecked)
    win.canvas.wait_rendered(5000)
    qtbot.waitUntil(lambda: share_near(win, S.PLAN.stroke) < 0.0002, timeout=5000)
