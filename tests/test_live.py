"""The console with live positions: a report over HTTP moves the team's marker; silence turns a
team stale, then offline; the team list searches, centres and follows; the feed panel binds."""

from __future__ import annotations

import http.client
import time
from datetime import timedelta

import pytest

from layers import style as S


@pytest.fixture
def live_window(open_window, demo_copy):
    # Wall-clock time: reports sent now must count as fresh.
    return open_window(demo_copy, now=None, settings={"feed/listen": "127.0.0.1:0"}, size=(1300, 850))


def report(port: int, query: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/?" + query)
    status = conn.getresponse().status
    conn.close()
    return status


def team_device(win, row: int) -> str:
    from sqlalchemy import select
    from data.store import models as m
    tid = win.canvas.layer("teams").features.column("id")[row]
    with win.store.session() as s:
        return s.scalars(select(m.TrackerDevice.device_id).where(m.TrackerDevice.team_id == tid)).first()


def test_a_report_moves_the_team_marker_and_grows_its_trail(live_window, qtbot):
    win = live_window
    win.act_listen.setChecked(True)
    assert win.live.listener is not None and win.live.listener.port
    assert "Listening" in win.feed_panel.listening.text()
    teams = win.canvas.layer("teams")
    row = 5
    dev = team_device(win, row)
    x0, y0 = teams.xy[row]
    lon, lat = win.projection.xy_to_lonlat(x0 + 40, y0 + 30)
    now = int(time.time())
    assert report(win.live.listener.port, f"id={dev}&lat={float(lat):.7f}&lon={float(lon):.7f}&timestamp={now}&speed=3") == 200
    qtbot.waitUntil(lambda: abs(teams.xy[row][0] - (x0 + 40)) < 0.5, timeout=3000)
    assert teams.xy[row][1] == pytest.approx(y0 + 30, abs=0.5)
    assert teams.features.column("status")[row] != "offline"
    lon2, lat2 = win.projection.xy_to_lonlat(x0 + 60, y0 + 30)
    assert report(win.live.listener.port, f"id={dev}&lat={float(lat2):.7f}&lon={float(lon2):.7f}&timestamp={now + 10}") == 200
    qtbot.waitUntil(lambda: abs(teams.xy[row][0] - (x0 + 60)) < 0.5, timeout=3000)
    segs, ages = win.canvas.layer("trails").trails.segments(win.clock())
    assert any(abs(s[2] - (x0 + 60)) < 0.5 for s in segs)
    # The marker is drawn where the team now is.
    win.canvas.set_view(x0 + 60, y0 + 30, 0.8, render_now=True)
    win.canvas.wait_rendered()
    img = win.canvas.grab().toImage()
    c = img.pixelColor(win.canvas.width() // 2, win.canvas.height() // 2)
    want = teams.colour(row)
    from PySide6.QtGui import QColor
    w = QColor(want)
    assert abs(c.red() - w.red()) < 25 and abs(c.green() - w.green()) < 25 and abs(c.blue() - w.blue()) < 25
    # The feed panel counts what was stored.
    qtbot.waitUntil(lambda: win.feed_panel.counters.rowCount() > 0, timeout=4000)


def test_silent_teams_turn_stale_then_offline(live_window):
    win = live_window
    teams = win.canvas.layer("teams")
    ids = teams.features.column("id")
    row = next(i for i, lf in enumerate(teams.features.column("last_fix")) if lf is not None and ids[i] not in win.live.busy)
    last = teams.features.column("last_fix")[row]
    win.live.clock = lambda: last + timedelta(minutes=1)
    win.live.tick()
    assert teams.features.column("status")[row] == "available" and not teams.features.attrs["stale"][row]
    assert teams.colour(row) == S.TEAM_STATUS_COLOURS["available"]
    win.live.clock = lambda: last + timedelta(minutes=3)
    win.live.tick()
    assert teams.features.attrs["stale"][row] and teams.colour(row) == S.greyed(S.TEAM_STATUS_COLOURS["available"])
    win.team_panel.model.refresh(last + timedelta(minutes=3))
    model = win.team_panel.model
    assert "stale" in model.data(model.index(row, 2)) and model.data(model.index(row, 3)) == "3 min ago"
    win.live.clock = lambda: last + timedelta(minutes=11)
    win.live.tick()
    assert teams.features.column("status")[row] == "offline" and not teams.features.attrs["stale"][row]


def test_team_list_searches_centres_and_follows(live_window, qtbot):
    win = live_window
    panel = win.team_panel
    teams = win.canvas.layer("teams")
    total = panel.proxy.rowCount()
    assert total == len(teams.features)
    name = teams.features.column("name")[12]
    panel.search.setText(name)
    assert 1 <= panel.proxy.rowCount() < total
    panel.search.clear()
    panel.kind.setCurrentIndex(panel.kind.findData("mediator"))
    assert panel.proxy.rowCount() == 101
    panel.kind.setCurrentIndex(0)
    panel.search.setText(name)
    panel.table.setCurrentIndex(panel.proxy.index(0, 0))
    row = panel.selected_row()
    v = win.canvas.view()
    assert (v.cx, v.cy) == pytest.approx(tuple(teams.xy[row]))
    assert win.canvas.selection == (teams, row)
    panel.follow.setChecked(True)
    assert win.live.follow_team == teams.features.column("id")[row]
    win.act_listen.setChecked(True)
    dev = team_device(win, row)
    x0, y0 = teams.xy[row]
    lon, lat = win.projection.xy_to_lonlat(x0 + 200, y0 - 100)
    assert report(win.live.listener.port, f"id={dev}&lat={float(lat):.7f}&lon={float(lon):.7f}&timestamp={int(time.time())}") == 200
    qtbot.waitUntil(lambda: abs(win.canvas.view().cx - (x0 + 200)) < 0.5, timeout=3000)
    assert win.canvas.view().cy == pytest.approx(y0 - 100, abs=0.5)


def test_feed_panel_lists_unknown_trackers_and_binds_them(live_window, qtbot):
    win = live_window
    from data.demo.generator import DEMO_PASSWORD
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)  # dispatchers bind trackers
    win.act_listen.setChecked(True)
    assert report(win.live.listener.port, f"id=PHONE-42&lat=30.81&lon=108.38&timestamp={int(time.time())}") == 400
    panel = win.feed_panel
    qtbot.waitUntil(lambda: panel.unknown.rowCount() == 1, timeout=4000)
    assert panel.unknown.item(0, 0).text() == "PHONE-42"
    panel.unknown.selectRow(0)
    assert panel.bind_selected("XL002")
    assert panel.unknown.rowCount() == 0
    assert "bound to team XL002" in win.status_message.text()
    from data.feeds.devices import list_devices
    bound, unknown = list_devices(win.store)
    assert any(d.device_id == "PHONE-42" and d.team_code == "XL002" for d in bound) and unknown == []


def test_demo_mode_starts_the_listener_and_simulated_teams(open_window, qtbot, demo_copy):
    win = open_window(demo_copy, now=None, demo=True, settings={"feed/listen": "127.0.0.1:0"})
    assert win.live.listener is not None and win.live.simulator is not None
    assert win.act_listen.isChecked() and win.act_simulate.isChecked()
    sim = win.live.simulator
    for t in sim.teams:  # on duty whatever the time of day the test runs at
        t.duty = (0, 24 * 60)
        t.next_report = 0
    qtbot.waitUntil(lambda: sim.acknowledged > 50, timeout=15000)
    fresh = lambda: sum(1 for s in win.canvas.layer("teams").features.column("status") if s != "offline")  # noqa: E731
    qtbot.waitUntil(lambda: fresh() > 50, timeout=8000)


def test_trail_length_is_a_setting(open_window, demo_copy):
    win = open_window(demo_copy, live=False, settings={"map/trail_minutes": 3})
    assert win.canvas.layer("trails").trails.window == timedelta(minutes=3)
