"""The patrol plans on the map: ticked in the layer panel, the demo's night-market route is drawn in
the key plans' colour over its streets, ordinary routes in theirs; unticked, neither is."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from layers import style as S
from tests.conftest import choose_combo, choose_menu


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


def open_patrol(qtbot, win):
    choose_menu(qtbot, win, win.menu_view, win.dock_patrol.toggleViewAction())
    qtbot.waitUntil(win.dock_patrol.isVisible, timeout=3000)
    panel = win.patrol_panel
    try:
        qtbot.waitUntil(lambda: panel.report is not None and panel.alert_list.count() > 0, timeout=30000)
    except Exception:
        raise AssertionError(panel.message.text())
    return panel


def test_the_patrol_dock_shows_coverage_the_alerts_and_a_window_walked_against_planned(open_window, demo_copy, qtbot):
    from data.patrol.report import alerts, coverage
    from data.store.core import open_store
    from console.patrol_panel import MISSED_COLOUR, period_bounds
    from tests.test_rota_console import click_cell
    win = open_window(demo_copy, live=False)
    panel = open_patrol(qtbot, win)
    # The alerts of now, as the service finds them, on the list and on the dock's tab.
    store = open_store(demo_copy)
    try:
        now_alerts = alerts(store, win.clock())
        start, end = period_bounds("this_week", win.clock())
        week = coverage(store, start, end, so_far=True)
    finally:
        store.close()
    assert now_alerts, "the demo has a team not out this morning"
    assert panel.alert_list.count() == len(now_alerts)
    assert all(a.plan_name in panel.alert_list.item(i).text() for i, a in enumerate(now_alerts))
    assert win.dock_patrol.windowTitle().endswith(f"⚠{len(now_alerts)}")
    choose_combo(qtbot, panel.period, "This week")
    qtbot.waitUntil(lambda: panel.report is not None and panel.report.start == start, timeout=30000)
    table = panel.table
    assert table.rowCount() == len(week.windows) > 0
    short = [r for r in range(table.rowCount()) if table.item(r, 0).background().color() == MISSED_COLOUR]
    ended = [w for w in week.windows if not w.in_progress]
    assert len(short) == sum(not w.met for w in ended) >= 1 and len(short) < len(ended)  # mostly met, a few misses
    assert f"{len(ended)} duty windows ended in the period, {sum(w.met for w in ended)} met" in panel.summary.text()
    # A route walked only in part, chosen in the table: on the map, walked and not walked.
    half = next(r for r in short if table.item(r, 5).text() not in ("—",) and "/" in table.item(r, 5).text())
    click_cell(qtbot, table, half, 0)
    layer = win.canvas.layer("coverage")
    qtbot.waitUntil(lambda: layer.shown is not None, timeout=20000)
    plan_id = table.item(half, 0).data(Qt.UserRole)[1]  # ("window", plan id, start, end)
    assert layer.shown.plan_id == plan_id and layer.visible
    assert layer.shown.walked.length > 100 and layer.shown.missed.length > 100 and len(layer.shown.unreached) >= 1
    win.canvas.wait_rendered(5000)
    qtbot.waitUntil(lambda: share_near(win, S.COVERAGE_MISSED.stroke) > 0.0005, timeout=5000)
    assert share_near(win, S.COVERAGE_WALKED.stroke) > 0.0005
    # By team: one row a team, the teams short of their target coloured.
    choose_combo(qtbot, panel.group, "By team")
    assert table.rowCount() == len(week.by_team())
    assert table.horizontalHeaderItem(0).text() == "Team"
    # Closed, the dock takes its window off the map.
    choose_menu(qtbot, win, win.menu_view, win.dock_patrol.toggleViewAction())
    qtbot.waitUntil(lambda: layer.shown is None, timeout=3000)


def test_the_indicators_dock_shows_the_plans_coverage_of_its_period_by_team(open_window, demo_copy, qtbot):
    from data.patrol.report import coverage
    from data.store.core import open_store
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("谭海", "gridwatch")
    choose_menu(qtbot, win, win.menu_view, win.dock_indicators.toggleViewAction())
    panel = win.indicators_panel
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait() and panel.report is not None
    start, end = panel.period()  # this month up to today (the console's clock)
    store = open_store(demo_copy)
    try:
        month = coverage(store, start, min(end, win.clock()))
    finally:
        store.close()
    ended = [w for w in month.windows if not w.in_progress]
    assert ended
    assert f"{len(ended)} duty windows ended, {sum(w.met for w in ended)} met their target" in panel.patrol_line.text()
    worst = min(ended, key=lambda w: w.pct)
    assert worst.plan_name in panel.patrol_line.text()
    bar = panel.charts.tabBar()
    tab = next(i for i in range(bar.count()) if bar.tabText(i) == "Patrol coverage")
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(tab).center())
    assert panel.charts.currentWidget() is panel.patrol_tab
    by_team = month.by_team()
    assert panel.patrol_table.rowCount() == len(by_team)
    assert panel.patrol_table.item(0, 3).text() == f"{min(g['pct'] for g in by_team.values()):.0f}%"  # least covered first
    choose_combo(qtbot, panel.patrol_by, "By grid")
    by_grid = month.by_grid()
    assert panel.patrol_table.rowCount() == len(by_grid) and panel.patrol_table.horizontalHeaderItem(0).text() == "Grid"
    assert {panel.patrol_table.item(r, 0).text() for r in range(len(by_grid))} == set(by_grid)


def test_a_planner_draws_a_route_on_the_map_snapped_to_streets_and_saves_it(open_window, demo_copy, qtbot):
    import numpy as np
    import shapely
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QDialogButtonBox
    from data.patrol.plans import plans
    from data.store.core import open_store
    win = open_window(demo_copy, live=False)
    # A dispatcher does not draw plans: told so, and the map stays as it was.
    assert win.dispatch.sign_in("刘建平", "gridwatch")
    panel = open_patrol(qtbot, win)
    qtbot.mouseClick(panel.draw_button, Qt.LeftButton)
    assert win.canvas.tool is None and "planner" in panel.message.text()
    win.dispatch.sign_out()
    assert win.dispatch.sign_in("冉小东", "gridwatch")
    qtbot.mouseClick(panel.draw_button, Qt.LeftButton)
    assert win.canvas.tool is panel.tool and panel.draw_bar.isVisible()
    canvas = win.canvas
    view = canvas.view()
    streets = canvas.layer("streets").features.geoms
    tree = shapely.STRtree(streets)
    wanted = [(-110, -70), (120, -50), (10, 110)]
    on_street = []
    for dx, dy in wanted:  # a point on a street near each place (a person clicks on the street they see)
        p = shapely.Point(view.cx + dx * view.resolution, view.cy + dy * view.resolution)
        line = streets[tree.nearest(p)]
        q = line.interpolate(line.project(p))
        on_street.append((q.x, q.y))

    def click(x, y, off=(0, 0)):
        (px,), (py,) = canvas.view().to_device([x], [y])
        qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(round(px)) + off[0], int(round(py)) + off[1]))

    click(*on_street[0], off=(4, 3))  # a few pixels off the street: put on it
    click(*on_street[1])
    qtbot.waitUntil(lambda: panel.tool.route is not None, timeout=20000)
    assert len(panel.tool.points) == 2
    every_street = shapely.union_all(streets)
    assert every_street.distance(shapely.Point(panel.tool.points[0])) < 0.5
    click(*on_street[2])
    qtbot.keyClick(canvas, Qt.Key_Backspace)  # the last one taken back, then placed again
    assert len(panel.tool.points) == 2
    click(*on_street[2])
    qtbot.waitUntil(lambda: panel.tool.route is not None and len(panel.tool.points) == 3, timeout=20000)
    route = panel.tool.route
    assert route.is_closed and every_street.buffer(1.0).contains(route)  # along the streets, back to its start
    assert "3 checkpoints" in panel.draw_hint.text()
    qtbot.mouseClick(panel.save_plan_button, Qt.LeftButton)
    dlg = panel.plan_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    save = dlg.buttons.button(QDialogButtonBox.Save)
    qtbot.mouseClick(save, Qt.LeftButton)  # no name: refused, the dialog stays with what was chosen
    assert dlg.isVisible() and dlg.message.text()
    qtbot.keyClicks(dlg.name, "Evening loop")
    qtbot.mouseClick(dlg.key, Qt.LeftButton, pos=QPoint(8, dlg.key.height() // 2))  # on its box
    assert dlg.target.value() == 100
    team, _kind = dlg.chosen_team()
    qtbot.mouseClick(save, Qt.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert "Evening loop" in panel.message.text() and win.canvas.tool is None
    store = open_store(demo_copy)
    try:
        saved = [p for p in plans(store) if p.name == "Evening loop"]
    finally:
        store.close()
    assert len(saved) == 1 and saved[0].team_id == team and saved[0].key and saved[0].kind == "route"
    assert np.allclose(np.sort(saved[0].checkpoints, axis=0), np.sort(np.array(panel.tool.points), axis=0), atol=0.01)
    assert saved[0].geom.length == pytest.approx(route.length, rel=1e-6)
    layer = win.canvas.layer("patrol_plans")
    assert "Evening loop" in list(layer.features.column("name")) and layer.visible
    item = next(win.layer_tree.topLevelItem(i) for i in range(win.layer_tree.topLevelItemCount())
                if win.layer_tree.topLevelItem(i).data(0, Qt.UserRole) == "patrol_plans")
    assert item.checkState(0) == Qt.Checked  # the layer panel follows


def test_a_planner_draws_an_area_for_every_team_of_a_kind_and_a_crossed_outline_is_refused(open_window, demo_copy, qtbot):
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QDialogButtonBox
    from data.patrol.plans import plans
    from data.store.core import open_store
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("冉小东", "gridwatch")
    panel = open_patrol(qtbot, win)
    qtbot.mouseClick(panel.draw_button, Qt.LeftButton)
    choose_combo(qtbot, panel.shape, "Area (its corners)")
    assert not panel.shortest.isVisible()
    canvas = win.canvas
    w, h = canvas.width(), canvas.height()
    # A bow tie first (its outline crosses itself), then the same corners in a sound order.
    for fx, fy in ((0.3, 0.3), (0.7, 0.7), (0.7, 0.3), (0.3, 0.7)):
        qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(w * fx), int(h * fy)))
    assert "4 corners" in panel.draw_hint.text() and panel.tool.route is None
    qtbot.mouseClick(panel.save_plan_button, Qt.LeftButton)
    dlg = panel.plan_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    qtbot.keyClicks(dlg.name, "Market area")
    choose_combo(qtbot, dlg.team, "Every team: Patrol volunteers")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    assert dlg.isVisible() and dlg.message.text()  # refused: the outline crosses itself; what was typed stays
    assert dlg.name.text() == "Market area"
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
    for _ in range(4):
        qtbot.keyClick(canvas, Qt.Key_Backspace)
    assert panel.tool.points == []
    corners = ((0.3, 0.3), (0.7, 0.3), (0.7, 0.7), (0.3, 0.7))
    for fx, fy in corners:
        qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(w * fx), int(h * fy)))
    qtbot.keyClick(canvas, Qt.Key_Return)  # Enter finishes: the dialog
    qtbot.waitUntil(lambda: panel.plan_dialog is not dlg and panel.plan_dialog.isVisible(), timeout=3000)
    dlg = panel.plan_dialog
    assert "km²" in dlg.what.text()
    qtbot.keyClicks(dlg.name, "Market area")
    choose_combo(qtbot, dlg.team, "Every team: Patrol volunteers")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    store = open_store(demo_copy)
    try:
        saved = [p for p in plans(store) if p.name == "Market area"]
    finally:
        store.close()
    assert len(saved) == 1 and saved[0].kind == "area" and saved[0].team_kind == "patrol_volunteer" and saved[0].team_id is None
    view = canvas.view()
    expected = [view.to_world(w * fx, h * fy) for fx, fy in corners]
    assert saved[0].geom.area == pytest.approx(abs(expected[1][0] - expected[0][0]) * abs(expected[2][1] - expected[1][1]), rel=0.02)


def test_a_patrol_alert_shows_in_the_status_bar_and_a_click_opens_the_dock(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert not win.status_patrol.isVisible() and not win.dock_patrol.isVisible()
    panel = win.patrol_panel
    panel.alert_timer.setInterval(50)  # the minute's check, sooner: what a dispatcher sees after a minute
    qtbot.waitUntil(win.status_patrol.isVisible, timeout=30000)
    panel.alert_timer.setInterval(60_000)
    assert win.status_patrol.text() == f"⚠ Patrol alerts: {len(panel.alerts)}" and panel.alerts
    qtbot.mouseClick(win.status_patrol, Qt.LeftButton)
    qtbot.waitUntil(win.dock_patrol.isVisible, timeout=3000)
    qtbot.waitUntil(lambda: panel.report is not None, timeout=30000)
    assert panel.alerts[0].plan_name in panel.alert_list.item(0).text()


def test_a_planner_cancels_a_plan_for_a_day_and_its_alert_goes_and_a_second_change_that_day_is_refused(
        open_window, demo_copy, qtbot):
    from PySide6.QtWidgets import QDialogButtonBox
    from data.patrol.plans import exceptions
    from data.domain import local_time
    from data.store.core import open_store
    from tests.test_rota_console import click_cell
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("冉小东", "gridwatch")
    panel = open_patrol(qtbot, win)
    assert panel.alerts, "the demo's team not out this morning"
    late = panel.alerts[0]
    choose_combo(qtbot, panel.group, "Plans")
    table = panel.table
    assert table.rowCount() == len(panel.plan_list) and not panel.exception_button.isEnabled()
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text().endswith(late.plan_name))
    click_cell(qtbot, table, row, 0)
    assert panel.exception_button.isEnabled()

    def cancel_today(reason: str):
        qtbot.mouseClick(panel.exception_button, Qt.LeftButton)
        dlg = panel.exception_dialog
        qtbot.waitUntil(dlg.isVisible, timeout=3000)
        assert dlg.cancelled.isChecked() and not dlg.start.isEnabled()
        qtbot.keyClicks(dlg.reason, reason)
        qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Save), Qt.LeftButton)
        return dlg

    dlg = cancel_today("training day")
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    today = local_time(win.clock()).date()
    store = open_store(demo_copy)
    try:
        ex = exceptions(store)[(late.plan_id, today)]
    finally:
        store.close()
    assert ex.cancelled and ex.reason == "training day"
    # No longer on duty today: its alert goes at the next check, and the Plans view lists the day.
    qtbot.waitUntil(lambda: not panel.alerts and panel.plan_exceptions.get((late.plan_id, today)) is not None, timeout=30000)
    assert win.status_patrol.isHidden()
    assert today.strftime("%m-%d") in table.item(row, 7).text()
    click_cell(qtbot, table, row, 0)
    again = cancel_today("twice")
    assert again.isVisible() and today.isoformat() in again.message.text()  # refused, said, the dialog kept
