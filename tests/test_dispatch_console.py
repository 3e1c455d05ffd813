"""The dispatcher's whole loop in the real window: click the map to log an incident, take the first
recommendation, assign, the team's tracker reaches the pin (on scene recorded by itself), resolve,
verification refused for the resolver and done by someone else, close."""

from __future__ import annotations

import http.client
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from data.demo.generator import DEMO_PASSWORD
from data.store import models as m
from tests.conftest import open_incident_dialog, show_grid


@pytest.fixture
def win(open_window, demo_copy):
    return open_window(demo_copy, settings={"feed/listen": "127.0.0.1:0"})


def events_of(store, incident_id):
    with store.session() as s:
        return s.execute(select(m.CaseEvent.to_stage, m.CaseEvent.actor, m.CaseEvent.team_id)
                         .where(m.CaseEvent.incident_id == incident_id).order_by(m.CaseEvent.t, m.CaseEvent.id)).all()


def test_the_whole_dispatch_loop(win, qtbot):
    win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    canvas = win.canvas
    show_grid(win)
    # Right-click the map, choose "New incident here".
    dlg = open_incident_dialog(qtbot, win, "public_order")
    assert "FS-03" in dlg.where.text() or "丰收" in dlg.where.text()
    dlg.subcategory.setCurrentIndex(dlg.subcategory.findData("public_order.fight"))
    dlg.priority.setCurrentIndex(dlg.priority.findData("urgent"))
    dlg.source.setCurrentIndex(dlg.source.findData("camera"))
    dlg.description.setPlainText("two men fighting outside the market")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    case_id = win.dispatch.current_case
    assert case_id is not None
    row = next(r for r in win.case_board.rows if r.id == case_id)
    assert row.grid_code == "FS-03" and row.stage == "reported"
    assert win.case_board.selected_case() == case_id
    # The board counts down against the urgent limit.
    win.case_board.tick(win.clock())
    panel = win.dispatch_panel
    assert panel.recs.rowCount() > 0 and panel.recs.item(0, 0).text() == "1"
    assert win.canvas.layer("route").path is not None
    assert not panel.assign.isEnabled()  # not accepted yet
    qtbot.mouseClick(panel.buttons["accept"], Qt.LeftButton)
    assert panel.assign.isEnabled()
    first = panel.recommendation.candidates[0]
    panel.recs.selectRow(0)
    qtbot.mouseClick(panel.assign, Qt.LeftButton)
    ev = events_of(win.store, case_id)
    assert [e[0] for e in ev] == ["reported", "accepted", "dispatched"] and ev[-1][2] == first.team_id
    # Dispatched: the ranking gives way to the team on its way; the timeline names it; its route is drawn.
    assert panel.recs.rowCount() == 0 and not panel.assign.isEnabled()
    assert first.name in panel.timeline.item(panel.timeline.rowCount() - 1, 3).text()
    path = win.canvas.layer("route").path
    assert path is not None and len(path) >= 2
    assert panel.rank_again.isEnabled()  # a second team for the same case: the ranking on request
    qtbot.mouseClick(panel.rank_again, Qt.LeftButton)
    assert panel.recs.rowCount() > 0 and all(c.team_id != first.team_id for c in panel.recommendation.candidates)
    # The assigned team is ringed on the map, in the highlight colour, where it stands.
    assert first.team_id in canvas.highlighted_teams
    teams = canvas.layer("teams")
    tx, ty = teams.xy[teams.index_of(first.team_id)]
    canvas.set_view(tx, ty, 1.0, render_now=True)
    canvas.wait_rendered()
    img = canvas.grab().toImage()
    cx, cy = canvas.width() // 2, canvas.height() // 2
    ring = [img.pixelColor(cx + 12, cy + d).name() for d in range(-2, 3)] + [img.pixelColor(cx - 12, cy + d).name() for d in range(-2, 3)]
    assert any(abs(int(c[1:3], 16) - 0xE0) < 30 and abs(int(c[3:5], 16) - 0x21) < 40 and abs(int(c[5:7], 16) - 0x8A) < 40 for c in ring)
    assert all(e[1] == "吴敏" for e in ev)
    with win.store.session() as s:
        assert s.scalar(select(m.Recommendation.team_id).where(m.Recommendation.incident_id == case_id,
                                                               m.Recommendation.rank == 1)) == first.team_id
        dev = s.scalars(select(m.TrackerDevice.device_id).where(m.TrackerDevice.team_id == first.team_id)).first()
    # The team's tracker reports from 10 m beside the pin: on scene is recorded by itself.
    win.act_listen.setChecked(True)
    inc_lon, inc_lat = row.lon, row.lat
    x, y = win.projection.lonlat_to_xy(inc_lon, inc_lat)
    flon, flat = win.projection.xy_to_lonlat(float(x) + 8, float(y) + 6)
    conn = http.client.HTTPConnection("127.0.0.1", win.live.listener.port, timeout=10)
    conn.request("GET", f"/?id={dev}&lat={float(flat):.7f}&lon={float(flon):.7f}&timestamp={int(win.clock().timestamp())}")
    assert conn.getresponse().status == 200
    conn.close()
    qtbot.waitUntil(lambda: events_of(win.store, case_id)[-1][0] == "on_scene", timeout=8000)
    assert events_of(win.store, case_id)[-1][1] == "系统"
    win.dispatch.refresh_cases()
    assert panel.buttons["resolve"].isEnabled()
    assert win.dispatch.act_on_case("resolve", result="done")
    # The resolver cannot verify: refused, saying why, and nothing is written.
    assert not win.dispatch.act_on_case("verify")
    assert "different person" in win.last_refusal.text()
    win.last_refusal.close()
    assert events_of(win.store, case_id)[-1][0] == "resolved"
    win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    assert win.dispatch.act_on_case("verify")
    assert win.dispatch.act_on_case("close")
    ev = events_of(win.store, case_id)
    assert [e[0] for e in ev] == ["reported", "accepted", "dispatched", "on_scene", "resolved", "verified", "closed"]
    assert ev[-2][1] == "谭海" and ev[4][1] == "吴敏"
    assert case_id not in [r.id for r in win.case_board.rows]
    # 回访: the reporter is called back; the supervisor presses Callback and picks the answer.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QInputDialog

    def answer():
        box = QApplication.activeModalWidget()
        if isinstance(box, QInputDialog):
            box.setTextValue("Basically satisfied")
            box.accept()
        else:
            QTimer.singleShot(50, answer)
    QTimer.singleShot(50, answer)
    win.dispatch.show_case(case_id)
    assert panel.buttons["callback"].isEnabled()
    qtbot.mouseClick(panel.buttons["callback"], Qt.LeftButton)
    with win.store.session() as s:
        last = s.execute(select(m.CaseEvent.action, m.CaseEvent.result, m.CaseEvent.to_stage)
                         .where(m.CaseEvent.incident_id == case_id).order_by(m.CaseEvent.id.desc()).limit(1)).one()
    assert tuple(last) == ("callback", "basically_satisfied", "closed")


def test_overdue_cases_turn_red_and_alert_until_acknowledged(win, qtbot):
    from data.cases.dispatch import create_incident
    win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    g = win.canvas.layer("grids").features.geoms[0].point_on_surface()
    lon, lat = win.projection.xy_to_lonlat(g.x, g.y)
    t0 = win.clock()
    inc = create_incident(win.store, category="traffic", subcategory="traffic.collision", priority="urgent", source="hotline",
                          lon=float(lon), lat=float(lat), actor=win.dispatch.signed_in, at=t0)
    win.dispatch.refresh_cases()
    board = win.case_board
    board.tick(t0 + timedelta(minutes=2))
    assert inc.id not in board.overdue
    board.acknowledge()  # whatever the demo history left overdue has been seen
    assert board.alert.isHidden()
    board.tick(t0 + timedelta(minutes=6))  # urgent: accept within 5 minutes
    assert inc.id in board.overdue and not board.ack.isHidden()
    assert "overdue" in board.alert.text()
    board.select_case(inc.id)
    item = board.tree.currentItem()
    assert item.text(1).startswith("-") and item.foreground(0).color().name() == "#d62728"
    # The alert pulses while the Acknowledge button stays where the pointer goes for it. (The live
    # clock is stopped: its ticks are at the real time, when this case is not yet overdue.)
    win.live.stop()
    board.tick(t0 + timedelta(minutes=6))
    win.dock_cases.raise_()
    qtbot.waitUntil(lambda: board.ack.isVisible())
    places, looks = set(), set()
    for k in range(12):  # at least four looks; more while a loaded machine is late with the blink's ticks
        qtbot.wait(board._blink.interval() + 50)
        places.add(board.ack.mapTo(board, board.ack.rect().topLeft()).toTuple())
        looks.add(board.alert.styleSheet())
        if k >= 3 and len(looks) == 2:
            break
    assert len(places) == 1 and len(looks) == 2 and board.alert.isVisible()
    qtbot.mouseClick(board.ack, Qt.LeftButton)
    assert board.alert.isHidden() and board.ack.isHidden()


def test_reassigning_a_busy_team_needs_confirmation(win):
    from data.cases.dispatch import create_incident, transition
    win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    g = win.canvas.layer("grids").features.geoms[3].point_on_surface()
    lon, lat = (float(v) for v in win.projection.xy_to_lonlat(g.x, g.y))
    a = create_incident(win.store, category="public_order", subcategory="public_order.theft", priority="high",
                        source="hotline", lon=lon, lat=lat, actor=win.dispatch.signed_in, at=win.clock())
    b = create_incident(win.store, category="public_order", subcategory="public_order.theft", priority="high",
                        source="patrol", lon=lon, lat=lat, actor=win.dispatch.signed_in, at=win.clock())
    for inc in (a, b):
        transition(win.store, inc.id, "accept", win.dispatch.signed_in, at=win.clock())
    win.dispatch.refresh_cases()
    win.dispatch.show_case(a.id)
    team = win.dispatch_panel.recommendation.candidates[0].team_id
    assert win.dispatch.assign_team(team)
    win.dispatch.show_case(b.id)
    assert not win.dispatch.assign_team(team, confirm_reassign=False)
    assert events_of(win.store, b.id)[-1][0] == "accepted"
    assert win.dispatch.assign_team(team, confirm_reassign=True)
    assert events_of(win.store, b.id)[-1][0] == "dispatched"


def test_incident_replay_compares_recommendation_eta_and_arrival(win, qtbot):
    """After a dispatched case, replay shows what was recommended then, who went and when it arrived."""
    test_the_whole_dispatch_loop(win, qtbot)
    from sqlalchemy import select
    with win.store.session() as s:
        case = s.scalar(select(m.Recommendation.incident_id).order_by(m.Recommendation.id.desc()).limit(1))
    from data.replay.index import incident_review
    r = incident_review(win.store, case)
    assert r.recommended and r.recommended[0][0] == 1 and r.assigned
    assert r.eta_s is not None and r.travel_s is not None and r.travel_s >= 0
    assert r.stages[0][0] == "reported"


def test_a_team_assigned_by_hand_carries_its_reason_into_the_timeline_and_replay(win, qtbot):
    """Nobody qualifies, or the dispatcher knows better: any team, by hand, with a reason on record."""
    win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    show_grid(win)
    dlg = open_incident_dialog(qtbot, win, "municipal")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    case_id = win.dispatch.current_case
    panel = win.dispatch_panel
    assert not panel.assign_other.isEnabled()  # not accepted yet: nothing can be dispatched
    qtbot.mouseClick(panel.buttons["accept"], Qt.LeftButton)
    assert panel.assign_other.isEnabled()
    qtbot.mouseClick(panel.assign_other, Qt.LeftButton)
    manual = win.dispatch.manual_dialog
    qtbot.waitUntil(manual.isVisible)
    ok = manual.buttons.button(QDialogButtonBox.Ok)
    assert not ok.isEnabled()  # no reason, no assignment
    # A team the ranking would not offer for a municipal case: a mediator.
    code = next(manual.team.itemData(i) for i in range(manual.team.count()) if manual.team.itemData(i).startswith("TJ"))
    manual.team.setCurrentIndex(manual.team.findData(code))
    qtbot.keyClicks(manual.reason, "knows the shop owner; nearest by foot")
    qtbot.mouseClick(ok, Qt.LeftButton)
    ev = events_of(win.store, case_id)
    assert ev[-1][0] == "dispatched"
    from data.snapshot import team_ids_by_code
    assert ev[-1][2] == team_ids_by_code(win.store)[code]
    notes = [panel.timeline.item(r, 3).text() for r in range(panel.timeline.rowCount())]
    assert any("assigned by hand: knows the shop owner" in n for n in notes)
    from data.replay.index import incident_review
    r = incident_review(win.store, case_id)
    assert r.manual_reason == "knows the shop owner; nearest by foot" and r.assigned
    # Replay shows the choice and its reason beside what was recommended then.
    replay = win.replay_panel
    qtbot.mouseClick(replay.incident_button, Qt.LeftButton)
    assert replay.wait_built()
    text = replay.review.text()
    assert "Recommended then" in text and "Assigned by hand" in text and "knows the shop owner" in text
    replay.exit_replay()


def test_switching_language_redraws_the_open_case_and_the_board(win, qtbot):
    from data.domain import STAGES
    from tests.conftest import choose_menu, click_tree_item
    board = win.case_board
    item = board.tree.topLevelItem(0).child(0) if board.tree.topLevelItem(0).childCount() else board.tree.topLevelItem(0)
    click_tree_item(qtbot, board.tree, item)
    panel = win.dispatch_panel
    qtbot.waitUntil(lambda: panel.timeline.rowCount() > 0)
    en_stages = {t.en for t in STAGES.values()}
    assert panel.timeline.item(0, 1).text() in en_stages
    choose_menu(qtbot, win, win.menu_lang, win.act_lang["zh_CN"])
    zh_stages = {t.zh for t in STAGES.values()}
    assert panel.timeline.item(0, 1).text() in zh_stages  # the case on screen, not only the labels around it
    assert not any(w in panel.header.text() for w in ("Reported", "Normal", "Urgent", "grid"))
    groups = [board.tree.topLevelItem(i).text(0) for i in range(board.tree.topLevelItemCount())]
    assert groups and all(not any(en in g for en in en_stages) for g in groups)
    choose_menu(qtbot, win, win.menu_lang, win.act_lang["en"])
    assert panel.timeline.item(0, 1).text() in en_stages


def test_a_duplicate_is_offered_not_chosen_and_shows_as_a_duplicate_report(win, qtbot):
    win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    show_grid(win)

    def log(category: str, dx: int):
        return open_incident_dialog(qtbot, win, category, dx)

    dlg = log("sanitation", 0)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    first = win.dispatch.current_case
    dlg = log("sanitation", 20)  # 20 m away, a minute later: offered as a duplicate
    assert dlg.merge.isVisible() or dlg.merge.count() > 1
    assert dlg.merge.currentData() is None  # never preselected: a new case unless the dispatcher says so
    dlg.merge.setCurrentIndex(1)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert win.dispatch.current_case == first  # the case it was merged into
    panel = win.dispatch_panel
    stages = [panel.timeline.item(r, 1).text() for r in range(panel.timeline.rowCount())]
    assert stages[-1] == "Duplicate report" and "Dispatched" not in stages
    with win.store.session() as s:
        dup = s.scalars(select(m.Incident).where(m.Incident.duplicate_of == first)).one()
        parent = s.get(m.Incident, first)
    assert dup.case_no == parent.case_no + "-R1"
