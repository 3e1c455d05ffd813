"""The Ledgers dock, used as people use it: open it from View, pick a person off the overdue board,
record the visit in its dialog, see them leave the board; a refusal said in the dialog with nothing
lost; masking by role; the escalation case on the case board; zero-reports and mediation by clicking."""

from __future__ import annotations


import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QDialogButtonBox, QLineEdit
from sqlalchemy import func, select

from data.store import models as m
from data.store.core import open_store
from tests.conftest import DEMO_UNTIL, choose_combo, choose_menu

KEEPER, DISPATCHER, VIEWER, PASSWORD = "廖雪梅", "刘建平", "访客", "gridwatch"


def open_ledgers(qtbot, win, user: str):
    assert win.dispatch.sign_in(user, PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_ledgers.toggleViewAction())
    qtbot.waitUntil(win.dock_ledgers.isVisible, timeout=3000)
    panel = win.ledgers_panel
    assert panel.wait()
    return panel


def click_cell(qtbot, table, row: int, col: int = 0) -> None:
    item = table.item(row, col)
    table.scrollToItem(item)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualItemRect(item).center())


def click_tab(qtbot, tabs, index: int) -> None:
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.tabRect(index).center())
    qtbot.waitUntil(lambda: tabs.currentIndex() == index, timeout=2000)


def press_ok(qtbot, dlg) -> None:
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def board_row(panel, state_text: str) -> int:
    return next(i for i in range(panel.board.rowCount()) if panel.board.item(i, 0).text() == state_text)


def test_a_visit_recorded_from_the_overdue_board_takes_the_person_off_it(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert win.dock_ledgers.windowTitle() == "Ledgers ⚠4"  # known from the map's counts before anyone opens it
    panel = open_ledgers(qtbot, win, KEEPER)
    qtbot.waitUntil(lambda: panel.board.rowCount() > 0, timeout=5000)
    assert "1 out of supervision" in panel.alert.text() and "3 overdue" in panel.alert.text()
    qtbot.waitUntil(lambda: win.canvas.layer("supervision").visible, timeout=3000)
    assert len(win.canvas.layer("supervision").features) > 0
    row = board_row(panel, "Overdue")
    person_id = panel.board.item(row, 0).data(Qt.UserRole)
    name = panel.board.item(row, 3).text()
    assert "*" not in name  # the ledger keeper reads names
    click_cell(qtbot, panel.board, row)
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.person.id == person_id, timeout=5000)
    assert panel.helpers_table.rowCount() == len(panel.detail.person.helpers) >= 6
    assert panel.record_visit_button.isEnabled()
    visits_before = panel.visits_table.rowCount()

    qtbot.mouseClick(panel.record_visit_button, Qt.LeftButton)
    dlg = panel.dialog
    qtbot.waitUntil(dlg.isVisible, timeout=2000)
    visitor = dlg.findChild(QComboBox, "visitVisitor")
    worker = next(h for h in panel.detail.person.helpers if h.role == "grid_worker")
    choose_combo(qtbot, visitor, next(visitor.itemText(i) for i in range(visitor.count()) if visitor.itemData(i) == worker.id))
    # A time in the future is refused in the dialog, which keeps what was typed.
    when = dlg.findChild(QDateTimeEdit, "visitTime")
    when.setDateTime(when.dateTime().addDays(2))
    findings = dlg.findChild(QLineEdit, "visitFindings")
    qtbot.keyClicks(findings, "at home, calm")
    press_ok(qtbot, dlg)
    assert dlg.isVisible() and "future" in dlg.message.text() and findings.text() == "at home, calm"
    with open_store(demo_copy) as st, st.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Visit).where(m.Visit.person_id == person_id)) == visits_before
    when.setDateTime(when.dateTime().addDays(-2).addSecs(-600))
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert "Visit recorded" in win.status_message.text()
    assert panel.wait()
    qtbot.waitUntil(lambda: panel.visits_table.rowCount() == visits_before + 1, timeout=5000)
    assert person_id not in [panel.board.item(i, 0).data(Qt.UserRole) for i in range(panel.board.rowCount())]
    assert "2 overdue" in panel.alert.text()
    qtbot.waitUntil(lambda: win.dock_ledgers.windowTitle() == "Ledgers ⚠3", timeout=5000)
    assert panel.visits_table.item(0, 3).text() == "at home, calm" and panel.visits_table.item(0, 1).text() == worker.name
    with open_store(demo_copy) as st, st.session() as s:
        v = s.scalars(select(m.Visit).where(m.Visit.person_id == person_id).order_by(m.Visit.id.desc())).first()
        keeper_id = s.scalar(select(m.Account.id).where(m.Account.username == KEEPER))
        assert (v.findings, v.helper_id, v.recorded_by, v.found) == ("at home, calm", worker.id, keeper_id, True)


def test_opening_the_ledgers_escalates_the_person_out_of_supervision_onto_the_case_board(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    panel = open_ledgers(qtbot, win, DISPATCHER)
    qtbot.waitUntil(lambda: "case" in win.status_message.text(), timeout=5000)
    with open_store(demo_copy) as st, st.session() as s:
        inc = s.scalars(select(m.Incident).where(m.Incident.source == "ledger")).one()
    qtbot.waitUntil(lambda: inc.id in [r.id for r in win.case_board.rows], timeout=5000)
    assert inc.case_no in win.status_message.text()
    # The dispatcher's board is masked, and visits are not theirs to record.
    row = board_row(panel, "Out of supervision")
    assert "*" in panel.board.item(row, 3).text()
    click_cell(qtbot, panel.board, row)
    qtbot.waitUntil(lambda: panel.detail is not None, timeout=5000)
    assert panel.detail.person.masked and "*" in panel.person_title.text() and not panel.record_visit_button.isEnabled()


def test_a_viewer_sees_counts_on_the_map_and_no_ledger(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in(VIEWER, PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_ledgers.toggleViewAction())
    panel = win.ledgers_panel
    qtbot.waitUntil(lambda: panel.denied.isVisible(), timeout=3000)
    assert not panel.tabs.isVisible() and not panel.detail_box.isVisible() and panel.board.rowCount() == 0
    layer = win.canvas.layer("supervision")
    qtbot.waitUntil(lambda: layer.visible, timeout=3000)
    assert set(layer.features.attrs) == {"code", "people", "alerts", "lost", "state"}
    assert sum(layer.features.column("people")) > 0


def test_a_zero_report_and_a_mediation_outcome_by_clicking(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False, now=DEMO_UNTIL.replace(hour=5))  # 13:00 office time: missing ones flagged
    panel = open_ledgers(qtbot, win, KEEPER)
    click_tab(qtbot, panel.tabs, 3)
    qtbot.waitUntil(lambda: panel.zero_table.rowCount() > 0, timeout=5000)
    assert "3 missing" in panel.zero_title.text()
    row = next(i for i in range(panel.zero_table.rowCount()) if panel.zero_table.item(i, 3).text() == "Missing")
    rid = panel.zero_table.item(row, 0).data(Qt.UserRole)
    click_cell(qtbot, panel.zero_table, row)
    assert panel.zero_button.isEnabled()
    qtbot.mouseClick(panel.zero_button, Qt.LeftButton)
    press_ok(qtbot, panel.dialog)
    assert panel.wait()
    qtbot.waitUntil(lambda: "2 missing" in panel.zero_title.text(), timeout=5000)
    row = next(i for i in range(panel.zero_table.rowCount()) if panel.zero_table.item(i, 0).data(Qt.UserRole) == rid)
    assert panel.zero_table.item(row, 3).text() == "Nothing to report"

    # A dispute case logged today gets its mediation record, then its outcome.
    from data.cases.dispatch import create_incident
    from tests.conftest import who
    with open_store(demo_copy) as st:
        with st.session() as s:
            grid = s.scalars(select(m.Grid.geom)).first().representative_point()
        inc = create_incident(st, category="dispute", subcategory="dispute.neighbour", priority="normal", source="walk_in",
                              lon=grid.x, lat=grid.y, actor=who(st, DISPATCHER), at=DEMO_UNTIL)
    click_tab(qtbot, panel.tabs, 2)
    qtbot.mouseClick(panel.new_mediation_button, Qt.LeftButton)
    dlg = panel.dialog
    qtbot.keyClicks(dlg.findChild(QLineEdit, "mediationCase"), inc.case_no)
    press_ok(qtbot, dlg)  # no parties yet: refused in the dialog
    assert dlg.isVisible() and dlg.message.text()
    qtbot.keyClicks(dlg.findChild(QLineEdit, "mediationParties"), "Zhang, Li")
    qtbot.keyClicks(dlg.findChild(QLineEdit, "mediationMediators"), "Wang")
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert panel.wait()
    qtbot.waitUntil(lambda: any(panel.mediation_table.item(i, 0).text() == inc.case_no
                                for i in range(panel.mediation_table.rowCount())), timeout=5000)
    row = next(i for i in range(panel.mediation_table.rowCount()) if panel.mediation_table.item(i, 0).text() == inc.case_no)
    assert panel.mediation_table.item(row, 1).text() == "Zhang、Li"
    click_cell(qtbot, panel.mediation_table, row)
    assert panel.outcome_button.isEnabled() and not panel.follow_up_button.isEnabled()
    qtbot.mouseClick(panel.outcome_button, Qt.LeftButton)
    dlg = panel.dialog
    qtbot.keyClicks(dlg.findChild(QLineEdit, "outcomeReference"), "GX-2026-0901")
    press_ok(qtbot, dlg)
    assert panel.wait()
    qtbot.waitUntil(lambda: any(panel.mediation_table.item(i, 5).text() == "GX-2026-0901"
                                for i in range(panel.mediation_table.rowCount())), timeout=5000)
    with open_store(demo_copy) as st, st.session() as s:
        rec = s.scalars(select(m.Mediation).where(m.Mediation.incident_id == inc.id)).one()
        assert (rec.outcome, rec.agreement_ref) == ("agreed", "GX-2026-0901")


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_ledgers_dock_speaks_the_users_language(open_window, demo_copy, qtbot, lang):
    from console import i18n
    win = open_window(demo_copy, live=False)
    win.set_language(lang)
    panel = open_ledgers(qtbot, win, KEEPER)
    qtbot.waitUntil(lambda: panel.board.rowCount() > 0, timeout=5000)
    texts = [panel.alert.text(), panel.tabs.tabText(0), panel.board.item(0, 0).text(), panel.board.item(0, 4).text(),
             panel.record_visit_button.text(), win.dock_ledgers.windowTitle()]
    if lang == "zh_CN":
        import re
        assert not any(re.search(r"[A-Za-z]{3,}", t) for t in texts), texts
    else:
        assert "Visits due" in texts and texts[-1].startswith("Ledgers")
    i18n.install_language("en")


def test_the_indicators_dock_shows_the_mediation_ledger_beside_the_closure_rates(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("谭海", PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_indicators.toggleViewAction())
    panel = win.indicators_panel
    qtbot.waitUntil(panel.isVisible, timeout=3000)
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait(120)
    qtbot.waitUntil(lambda: "Mediation ledger" in panel.mediation_line.text(), timeout=10000)
    st = panel.mediation
    assert st is not None and st.concluded > 0 and f"{st.success_rate:.1%}" in panel.mediation_line.text()


def test_people_imported_from_excel_in_the_dock_after_every_row_is_checked(open_window, demo_copy, qtbot, tmp_path):
    from tests.test_ledgers import PEOPLE_HEADER, _people_row, _xlsx
    from data.ledgers.rules import make_id_number
    from datetime import date
    with open_store(demo_copy) as st:
        good = _people_row(st, "Zhao", make_id_number("500101", date(1979, 8, 8), 411))
        n = make_id_number("500101", date(1979, 8, 9), 412)
        bad = _people_row(st, "Qian", n[:17] + ("1" if n[17] != "1" else "2"))  # one check digit wrong
        with st.session() as s:
            before = s.scalar(select(func.count()).select_from(m.SupervisedPerson))
    bad_file = _xlsx(tmp_path / "bad.xlsx", PEOPLE_HEADER, [good, bad])
    good_file = _xlsx(tmp_path / "good.xlsx", PEOPLE_HEADER, [good])
    win = open_window(demo_copy, live=False)
    panel = open_ledgers(qtbot, win, KEEPER)
    click_tab(qtbot, panel.tabs, 1)
    qtbot.mouseClick(panel.import_people_button, Qt.LeftButton)
    dlg = panel.dialog
    path = dlg.findChild(QLineEdit, "importPath")
    qtbot.keyClicks(path, str(bad_file))
    press_ok(qtbot, dlg)
    assert panel.wait()
    qtbot.waitUntil(lambda: "nothing was imported" in dlg.message.text(), timeout=5000)
    assert "row 3" in dlg.message.text() and "check digit" in dlg.message.text() and dlg.isVisible()
    path.clear()
    qtbot.keyClicks(path, str(good_file))
    press_ok(qtbot, dlg)
    assert panel.wait()
    qtbot.waitUntil(lambda: "Every row is good" in dlg.message.text(), timeout=5000)
    with open_store(demo_copy) as st, st.session() as s:
        assert s.scalar(select(func.count()).select_from(m.SupervisedPerson)) == before  # checked, not yet written
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert "1 rows imported" in win.status_message.text()
    assert panel.wait()
    qtbot.waitUntil(lambda: any(panel.people_table.item(i, 1).text() == "Zhao" for i in range(panel.people_table.rowCount())),
                    timeout=5000)
    with open_store(demo_copy) as st, st.session() as s:
        assert s.scalar(select(func.count()).select_from(m.SupervisedPerson)) == before + 1


def test_a_higher_risk_shortens_the_interval_and_an_ended_supervision_leaves_the_ledger(open_window, demo_copy, qtbot):
    from PySide6.QtWidgets import QCheckBox, QDateEdit
    win = open_window(demo_copy, live=False)
    panel = open_ledgers(qtbot, win, KEEPER)
    click_tab(qtbot, panel.tabs, 1)
    choose_combo(qtbot, panel.kind_filter, "Community correction")
    row = next(i for i in range(panel.people_table.rowCount()) if panel.people_table.item(i, 3).text() == "Low")
    pid = panel.people_table.item(row, 0).data(Qt.UserRole)
    click_cell(qtbot, panel.people_table, row)
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.person.id == pid, timeout=5000)
    due_before = panel.detail.person.schedule.due_day
    qtbot.mouseClick(panel.edit_person_button, Qt.LeftButton)
    dlg = panel.dialog
    choose_combo(qtbot, dlg.findChild(QComboBox, "personRisk"), "High")
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert panel.wait()
    qtbot.waitUntil(lambda: panel.detail is not None and panel.detail.person.risk == "high", timeout=5000)
    assert (due_before - panel.detail.person.schedule.due_day).days == 30 - 7  # weekly now, not monthly
    qtbot.mouseClick(panel.edit_person_button, Qt.LeftButton)
    dlg = panel.dialog
    ended = dlg.findChild(QCheckBox, "personEnded")
    from PySide6.QtCore import QPoint
    qtbot.mouseClick(ended, Qt.LeftButton, pos=QPoint(8, ended.height() // 2))  # on its box
    assert ended.isChecked()
    until = dlg.findChild(QDateEdit, "personUntil")
    until.setDate(until.date().addDays(-1))
    press_ok(qtbot, dlg)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert panel.wait()
    qtbot.waitUntil(lambda: pid not in [r.id for r in panel.people_rows], timeout=5000)
    with open_store(demo_copy) as st, st.session() as s:
        p = s.get(m.SupervisedPerson, pid)
        assert p.risk == "high" and p.until_day is not None
        actions = [a for a in s.scalars(select(m.AuditEntry.action).where(m.AuditEntry.object_id == str(pid)))]
        assert actions.count("ledgers.update_person") == 2
