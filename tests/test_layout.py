"""The default layout on common office screens (1366×768 and 1920×1080), in both languages: the
ranked teams, Assign and the reasons are on screen without scrolling, the case board shows every
column with whole case numbers, and no dock tab's title is cut."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialogButtonBox, QScrollArea, QTabBar, QWidget

from tests.conftest import choose_menu, open_incident_dialog, show_grid


def on_screen(widget: QWidget, scroll: QScrollArea) -> bool:
    """Whether the whole widget lies inside the scroll area's visible viewport (no scrolling needed)."""
    top_left = widget.mapTo(scroll.viewport(), QPoint(0, 0))
    return widget.isVisible() and scroll.viewport().rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_dispatch_panel_and_the_board_fit_the_screen(open_window, demo_copy, qtbot, size, lang):
    win = open_window(demo_copy, live=False, size=size)
    if lang != "en":
        choose_menu(qtbot, win, win.menu_lang, win.act_lang[lang])
    from data.demo.generator import DEMO_PASSWORD
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    canvas = win.canvas
    show_grid(win)
    dlg = open_incident_dialog(qtbot, win, "public_order")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    panel = win.dispatch_panel
    qtbot.mouseClick(panel.buttons["accept"], Qt.LeftButton)
    scroll = win.dock_dispatch.widget()
    assert isinstance(scroll, QScrollArea)
    # The ranking: at least three teams readable, Assign and the reasons without scrolling.
    recs = panel.recs
    assert recs.rowCount() >= 3
    shown = sum(1 for r in range(recs.rowCount()) if recs.visualRect(recs.model().index(r, 0)).bottom() <= recs.viewport().height())
    assert shown >= 3, shown
    assert on_screen(recs, scroll) and on_screen(panel.assign, scroll) and on_screen(panel.assign_other, scroll)
    assert on_screen(panel.ex_title, scroll)
    # Every column of the ranking is on screen, the reasons column included.
    header = recs.horizontalHeader()
    last = max(range(header.count()), key=lambda c: header.sectionViewportPosition(c))
    assert header.sectionViewportPosition(last) < recs.viewport().width()
    # The board: every column inside its width, each case number whole.
    tree = win.case_board.tree
    bh = tree.header()
    assert bh.sectionViewportPosition(4) + bh.sectionSize(4) <= tree.viewport().width() + 1
    fm = tree.fontMetrics()
    for g in range(tree.topLevelItemCount()):
        group = tree.topLevelItem(g)
        for k in range(group.childCount()):
            item = group.child(k)
            rect = tree.visualItemRect(item)
            assert rect.left() + fm.horizontalAdvance(item.text(0)) <= bh.sectionSize(0), item.text(0)
    # Dock tabs read whole ("Tea…" was cut at 1366 px).
    for bar in win.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for i in range(bar.count()):
            text = bar.tabText(i)
            assert bar.tabRect(i).width() >= bar.fontMetrics().horizontalAdvance(text) + 8, (text, bar.tabRect(i).width())
    assert canvas.width() >= size[0] * 0.4  # the map keeps the middle of the screen
