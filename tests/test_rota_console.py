"""The Rota dock, used as a supervisor uses it: open it from View, read the week by team and by grid
with its gaps, move to the next week, import a rota file (a bad one refused row by row, nothing
imported), and swap a shift to another person with a reason (refused without one, nothing lost)."""

from __future__ import annotations

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog

from data.patrol import rota
from data.store.core import open_store
from tests.conftest import choose_combo, choose_menu

SUPERVISOR, PASSWORD = "谭海", "gridwatch"


def open_rota(qtbot, win, user: str = SUPERVISOR):
    assert win.dispatch.sign_in(user, PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_rota.toggleViewAction())
    qtbot.waitUntil(win.dock_rota.isVisible, timeout=3000)
    panel = win.rota_panel
    try:
        qtbot.waitUntil(lambda: panel.view_week is not None, timeout=20000)
    except Exception:
        raise AssertionError(panel.message.text())
    return panel


def rota_file(path, rows: list[list]):
    wb = openpyxl.Workbook()
    wb.active.append(["日期", "开始时间", "结束时间", "队伍编号", "姓名"])
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


def click_cell(qtbot, table, row: int, col: int) -> None:
    index = table.model().index(row, col)
    table.scrollTo(index)
    qtbot.mouseClick(table.viewport(), Qt.LeftButton, pos=table.visualRect(index).center())


def test_the_week_by_team_and_by_grid_shows_who_is_on_and_the_gaps(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    panel = open_rota(qtbot, win)
    w = panel.view_week
    assert w.monday.isoformat() == "2026-11-23" and len(w.shifts) > 1000  # the demo's week
    model = panel.model
    assert model.rowCount() == len(w.teams) and model.columnCount() == 168
    # A round-the-clock team has someone at every hour; its cells are numbers, not gaps.
    row = next(k for k, t in enumerate(w.teams) if t[1].startswith("BA"))
    assert all(model.data(model.index(row, h)) for h in range(168))
    choose_combo(qtbot, panel.by, "By grid")
    assert model.rowCount() == len(w.grids)
    gap_grid, first, hours = w.gaps[0]
    g = w.grids.index(gap_grid)
    assert model.data(model.index(g, first)) == "" and model.data(model.index(g, first), Qt.BackgroundRole).name() == "#f4c7c3"
    assert "grid-hours" in panel.summary.text()
    qtbot.mouseClick(panel.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: panel.view_week.monday.isoformat() == "2026-11-30", timeout=20000)
    assert "2026-11-30" in panel.week_label.text()


def test_a_bad_rota_file_is_refused_row_by_row_and_a_good_one_shows_in_the_week(open_window, demo_copy, qtbot, tmp_path,
                                                                                monkeypatch):
    win = open_window(demo_copy, live=False)
    panel = open_rota(qtbot, win)
    bad = rota_file(tmp_path / "bad.xlsx", [["2026-12-16", "08:00", "20:00", "NOPE", ""],
                                            ["2026-12-16", "25:00", "20:00", "XL001", ""]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    qtbot.mouseClick(panel.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "nothing was imported" in panel.message.text(), timeout=20000)
    assert "row 2" in panel.message.text() and "row 3" in panel.message.text()
    good = rota_file(tmp_path / "good.xlsx", [["2026-12-16", "08:00", "20:00", "XL001", ""]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    qtbot.mouseClick(panel.import_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "1 shifts imported" in panel.message.text(), timeout=20000)
    for _ in range(3):  # to the week of 14 December
        week = panel.view_week.monday
        qtbot.mouseClick(panel.next_button, Qt.LeftButton)
        qtbot.waitUntil(lambda: panel.view_week.monday > week, timeout=20000)
    w = panel.view_week
    row = [t[1] for t in w.teams].index("XL001")
    assert panel.model.data(panel.model.index(row, 2 * 24 + 9)) == "2"  # the whole team (two people), Wednesday 09:00


def test_a_shift_is_swapped_from_the_week_with_its_reason(open_window, demo_copy, qtbot):
    win = open_window(demo_copy, live=False)
    panel = open_rota(qtbot, win)
    w = panel.view_week
    # Saturday 10:00 (after the demo's now): a patrol team's hour with someone on shift.
    hour = 5 * 24 + 10
    row = next(k for k, t in enumerate(w.teams) if t[1].startswith("XL") and w.people[k, hour] > 0)
    click_cell(qtbot, panel.table, row, hour)
    qtbot.mouseClick(panel.swap_button, Qt.LeftButton)
    dlg = panel.swap_dialog
    qtbot.waitUntil(dlg.isVisible, timeout=3000)
    shift_id = dlg.shift.currentData()
    shift = next(s for s in w.shifts if s.id == shift_id)
    busy = {s.member_id for s in w.shifts if s.starts_at < shift.ends_at and shift.starts_at < s.ends_at}
    taker = next(dlg.person.itemData(i) for i in range(dlg.person.count()) if dlg.person.itemData(i) not in busy)
    dlg.person.setCurrentIndex(dlg.person.findData(taker))
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dlg.isVisible() and "why" in dlg.message.text()  # no reason: refused, the dialog stays
    qtbot.keyClicks(dlg.reason, "sick leave")  # (typed: non-ASCII key clicks abort Qt offscreen)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=3000)
    assert "swapped" in panel.message.text()
    store = open_store(demo_copy)
    try:
        assert [s["reason"] for s in rota.swaps_of(store, shift_id)] == ["sick leave"]
        assert rota.swaps_of(store, shift_id)[0]["to_member_id"] == taker
    finally:
        store.close()
