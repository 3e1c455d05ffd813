"""Accounts in the real window, by clicking: signing in (and a store's first administrator), what a
viewer cannot press, a case's audit, the reporter's number masked until revealed (audited), changing
one's password, the administrators' panel, and the idle lock."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from data import accounts as A
from data import audit
from data.demo.generator import DEMO_PASSWORD
from tests.conftest import choose_menu, open_incident_dialog, show_grid


def sign_in_by_dialog(qtbot, win, user: str, password: str):
    dlg = win.dispatch.sign_in_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible())
    dlg.username.clear()
    qtbot.keyClicks(dlg.username, user) if user.isascii() else dlg.username.setText(user)
    qtbot.keyClicks(dlg.password, password)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    return dlg


def log_case(win, qtbot, contact: str | None = None) -> int:
    show_grid(win)
    dlg = open_incident_dialog(qtbot, win, "public_order")
    dlg.reporter.setText("王先生")
    if contact:
        qtbot.keyClicks(dlg.contact, contact)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    return win.dispatch.current_case


def test_the_console_asks_who_is_working_and_refuses_a_wrong_password(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False, ask_sign_in=True)
    dlg = sign_in_by_dialog(qtbot, win, "谭海", "wrong-password")
    assert dlg.isVisible() and "Wrong user name or password" in dlg.error.text()
    assert win.dispatch.signed_in is None and not win.act_sign_out.isEnabled()
    qtbot.keyClicks(dlg.password, DEMO_PASSWORD)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dlg.isVisible() and win.dispatch.signed_in.username == "谭海"
    assert "谭海" in win.act_on_duty.text() and win.act_sign_out.isEnabled() and not win.act_accounts.isEnabled()
    actions = [e.action for e in audit.entries_for(win.store, "account", win.dispatch.signed_in.account_id)]
    assert actions[-2:] == ["sign_in.failed", "sign_in"]


def test_a_store_without_accounts_creates_its_administrator_at_first_start(open_window, tmp_path, qtbot):
    from tests.test_district import _box_file
    from data.district.imports import init_district
    init_district(tmp_path / "new.gpkg", _box_file(tmp_path, "b.geojson", 108.37, 30.80, size=0.03)).close()
    win = open_window(tmp_path / "new.gpkg", live=False, ask_sign_in=True)
    dlg = win.dispatch.sign_in_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible())
    assert dlg.first_admin and dlg.password2.isVisible()
    qtbot.keyClicks(dlg.username, "chief")
    dlg.display_name.setText("主任")
    qtbot.keyClicks(dlg.password, "a-long-password")
    qtbot.keyClicks(dlg.password2, "a-long-passwort")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dlg.isVisible() and dlg.error.isVisible()  # the two differ: nothing created
    assert not A.has_accounts(win.store)
    qtbot.keyClicks(dlg.password, "a-long-password")
    qtbot.keyClicks(dlg.password2, "a-long-password")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert win.dispatch.signed_in.roles == frozenset({"administrator"}) and win.act_accounts.isEnabled()


def test_a_viewer_sees_cases_but_every_action_is_greyed_out(open_window, demo_copy, qtbot):
    from tests.conftest import click_tree_item
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("访客", DEMO_PASSWORD)
    board = win.case_board
    group = board.tree.topLevelItem(0)
    click_tree_item(qtbot, board.tree, group.child(0))
    qtbot.waitUntil(lambda: win.dispatch_panel.row is not None)
    panel = win.dispatch_panel
    assert not any(b.isEnabled() for b in panel.buttons.values())
    assert not panel.assign_other.isEnabled() and not panel.audit_button.isEnabled()
    # And the services refuse whatever a viewer might still try.
    assert not win.dispatch.act_on_case("park", note="x")
    assert "may not" in win.last_refusal.text()


def test_a_case_shows_its_audit_and_the_reporters_number_only_on_request(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    case = log_case(win, qtbot, contact="13812345678")
    panel = win.dispatch_panel
    qtbot.mouseClick(panel.buttons["accept"], Qt.LeftButton)
    assert "138****5678" in panel.reporter.text() and "13812345678" not in panel.reporter.text()
    assert panel.reveal.isVisible() and panel.reveal.isEnabled()
    qtbot.mouseClick(panel.reveal, Qt.LeftButton)
    assert "13812345678" in panel.reporter.text()
    # The audit, as a supervisor reads it: the report, the acceptance and the reading of the number.
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    win.dispatch.show_case(case)
    assert "138****5678" in panel.reporter.text()  # masked again for the next person
    assert panel.audit_button.isEnabled()
    qtbot.mouseClick(panel.audit_button, Qt.LeftButton)
    dlg = win.dispatch.audit_dialog
    qtbot.waitUntil(dlg.isVisible)
    rows = [[dlg.table.item(r, c).text() for c in range(4)] for r in range(dlg.table.rowCount())]
    assert [r[1] for r in rows] == ["吴敏", "吴敏", "吴敏"]
    assert rows[0][2] == "Report" and rows[1][2] == "Accept" and rows[2][2] == "Read the reporter's number"
    assert "Reported → Accepted" in rows[1][3]
    dlg.close()


def test_changing_ones_password_and_the_administrators_panel(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_account, win.act_change_password)
    dlg = win.password_dialog
    qtbot.waitUntil(dlg.isVisible)
    qtbot.keyClicks(dlg.old, DEMO_PASSWORD)
    qtbot.keyClicks(dlg.new, "liu-new-password")
    qtbot.keyClicks(dlg.again, "liu-new-password")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dlg.isVisible()
    assert A.sign_in(win.store, "刘建平", "liu-new-password").username == "刘建平"
    # The administrator adds an account and disables it, by clicks.
    assert win.dispatch.sign_in("admin", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_account, win.act_accounts)
    panel = win.accounts_dialog
    qtbot.waitUntil(panel.isVisible)
    n = panel.table.rowCount()
    qtbot.keyClicks(panel.username, "night-shift")
    qtbot.keyClicks(panel.password, "night-password")
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert panel.table.rowCount() == n + 1 and "night-shift" in panel.message.text()
    r = [panel.table.item(k, 0).text() for k in range(panel.table.rowCount())].index("night-shift")
    panel.table.selectRow(r)
    qtbot.mouseClick(panel.toggle_button, Qt.LeftButton)
    assert panel.table.item(r, 3).text() == "disabled"
    try:
        A.sign_in(win.store, "night-shift", "night-password")
        raise AssertionError("a disabled account signed in")
    except A.AuthError as exc:
        assert exc.code == "auth.disabled"
    # Roles: tick planner only, give them to 刘建平; the panel shows it and his next session is a planner's.
    r = [panel.table.item(k, 0).text() for k in range(panel.table.rowCount())].index("刘建平")
    panel.table.selectRow(r)
    for code, box in panel.role_boxes.items():
        box.setChecked(code == "planner")
    qtbot.mouseClick(panel.roles_button, Qt.LeftButton)
    assert panel.table.item(r, 2).text() == "Planner"
    assert A.sign_in(win.store, "刘建平", "liu-new-password").roles == frozenset({"planner"})
    # A bad user name is refused in the panel, saying why; nothing is added.
    qtbot.keyClicks(panel.username, "x")
    qtbot.keyClicks(panel.password, "night-password")
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)
    assert panel.table.rowCount() == n + 1 and "user name is" in panel.message.text()
    panel.close()


def test_the_console_locks_itself_after_the_idle_time(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False, settings={"security/idle_lock_minutes": 0.01})
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: win.dispatch.signed_in is None, timeout=5000)
    dlg = win.dispatch.sign_in_dialog
    assert dlg.isVisible() and dlg.username.text() == "刘建平"



def test_a_new_account_chooses_its_own_password_at_the_first_sign_in(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    admin = A.sign_in(win.store, "admin", DEMO_PASSWORD)
    A.add_account(win.store, admin, "newcomer", "新人", "set-by-admin", ["dispatcher"])
    win.dispatch.ask_sign_in()
    sign_in_by_dialog(qtbot, win, "newcomer", "set-by-admin")
    dlg = win.password_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible())
    assert dlg.forced and win.dispatch.signed_in.must_change
    qtbot.keyClicks(dlg.old, "set-by-admin")
    qtbot.keyClicks(dlg.new, "newcomers-own")
    qtbot.keyClicks(dlg.again, "newcomers-own")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dlg.isVisible() and not win.dispatch.signed_in.must_change
    case = log_case(win, qtbot)
    assert case is not None  # the renewed session acts
