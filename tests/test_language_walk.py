"""Every word in the user's language: walk the console's journeys in Chinese and in English, by
clicking, and read every text a person can see on the way (labels, buttons, menus, tabs, table
cells and headers, tooltips, dialogs, message boxes, the replay timeline's legend and axis).

Chinese screens may show Latin letters only in codes and numbers (FS-03, CASE-…), units (m, km,
min is not one: it is 分钟) and proper names (QGIS, OpenStreetMap, HD …). English screens may show
Chinese only in the district's own names (grids, communities, teams, people, streets), which are
read from the store, not from a list written here.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from PySide6.QtCore import QAbstractListModel, QPoint, Qt
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QApplication, QComboBox, QDialogButtonBox, QDockWidget,
                               QGraphicsSimpleTextItem, QGraphicsTextItem, QGraphicsView, QGroupBox, QHeaderView, QLabel, QLineEdit,
                               QMenu, QMessageBox, QPlainTextEdit, QTabBar, QTextEdit, QWidget)
from sqlalchemy import select

from data.store import models as m
from tests.conftest import DEMO_UNTIL, choose_menu, open_incident_dialog, show_grid

# Words a Chinese screen may show in Latin letters: proper names of products, formats and standards.
PROPER_NAMES = ("GridWatch", "OpenStreetMap", "OSM", "QGIS", "GeoPackage", "GeoJSON", "Shapefile", "OsmAnd", "Traccar",
                "PostgreSQL", "PostGIS", "contributors", "XLSX", "CSV", "KML", "DXF", "PNG", "GPKG", "CRS", "EPSG",
                "WGS", "CGCS", "UTM", "HD", "SD", "GPS", "ID", "IP", "HTTP", "URL", "UTC", "Esri", "Qt",
                "Home", "Ctrl", "Shift", "Alt", "Enter", "Esc", "Del", "Tab", "Space")  # key names as printed on keys
LANGUAGE_NAMES = ("English", "中文")  # each language is named in itself in the language menu
UNITS = ("km/h", "km²", "m²", "km", "m", "s", "h")


def _strip_markup(text: str) -> str:
    return re.sub(r"&nbsp;", " ", re.sub(r"<[^>]+>", " ", text))


def _model_texts(view: QAbstractItemView, limit: int = 400) -> list[str]:
    model = view.model()
    if model is None:
        return []
    out: list[str] = []
    flat = isinstance(model, QAbstractListModel)  # a list widget's model hides columnCount
    for section in range(1 if flat else model.columnCount()):
        out.append(str(model.headerData(section, Qt.Horizontal, Qt.DisplayRole) or ""))

    def rows(parent, depth=0):
        for r in range(min(model.rowCount(parent), limit)):
            for c in range(1 if flat else model.columnCount(parent)):
                idx = model.index(r, c, parent)
                for role in (Qt.DisplayRole, Qt.ToolTipRole):
                    v = model.data(idx, role)
                    if isinstance(v, str):
                        out.append(v)
            if depth < 3 and not flat:
                rows(model.index(r, 0, parent), depth + 1)
    rows(view.rootIndex())
    return out


def _menu_texts(menu: QMenu) -> list[str]:
    out = [menu.title()]
    for a in menu.actions():
        out += [a.text(), a.toolTip() if a.toolTip() != a.text().replace("&", "") else "", a.statusTip()]
        if a.menu() is not None:
            out += _menu_texts(a.menu())
    return out


def visible_texts() -> list[tuple[str, str]]:
    """(where, text) for everything readable on the screen now."""
    found: list[tuple[str, str]] = []

    def add(w: QWidget, *texts: str) -> None:
        for t in texts:
            if t and t.strip():
                found.append((f"{type(w).__name__}:{w.objectName() or ''}", _strip_markup(t)))

    for w in QApplication.allWidgets():
        if not w.isVisible():
            continue
        if w.isWindow():
            add(w, w.windowTitle())
        add(w, w.toolTip())
        if isinstance(w, QLabel):
            add(w, w.text())
        elif isinstance(w, QAbstractButton):
            add(w, w.text())
        elif isinstance(w, QGroupBox):
            add(w, w.title())
        elif isinstance(w, QLineEdit):
            add(w, w.placeholderText())
            if w.isReadOnly():
                add(w, w.text())
        elif isinstance(w, QComboBox):
            add(w, *[w.itemText(i) for i in range(w.count())])
        elif isinstance(w, QTabBar):
            add(w, *[w.tabText(i) for i in range(w.count())], *[w.tabToolTip(i) for i in range(w.count())])
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):  # a header reads its table's model
            add(w, *_model_texts(w))
        elif isinstance(w, QDockWidget):
            add(w, w.windowTitle())
        elif isinstance(w, (QTextEdit, QPlainTextEdit)) and w.isReadOnly():
            add(w, w.toPlainText())
        elif isinstance(w, QMessageBox):
            add(w, w.text(), w.informativeText(), w.detailedText())
        elif isinstance(w, QGraphicsView) and w.scene() is not None:
            for item in w.scene().items():
                if isinstance(item, QGraphicsTextItem) and item.isVisible():
                    add(w, item.toPlainText())
                elif isinstance(item, QGraphicsSimpleTextItem) and item.isVisible():
                    add(w, item.text())
    for top in QApplication.topLevelWidgets():
        if top.isVisible() and hasattr(top, "menuBar"):
            for a in top.menuBar().actions():
                if a.menu() is not None:
                    found += [("menu", t) for t in _menu_texts(a.menu()) if t and t.strip()]
    return found


def district_names(store) -> list[str]:
    """The district's own names (proper nouns in any language), longest first."""
    names: set[str] = set()
    with store.session() as s:
        for col in (m.District.name, m.Community.name, m.Grid.name, m.Camera.name, m.Team.name, m.Member.name,
                    m.Staff.name, m.StreetSegment.name, m.Water.name, m.GridSet.name, m.CaseEvent.actor,
                    m.Account.username, m.Account.display_name, m.Incident.reporter):
            names.update(v for v in s.scalars(select(col).distinct()) if v)
        # The ledgers' data: people, helpers, petitions, visits and mediation as the office wrote them.
        import json
        from data.ledgers.rules import mask_name
        for col in (m.SupervisedPerson.name, m.SupervisedPerson.address, m.PersonHelper.name, m.Visit.visitor,
                    m.Visit.findings, m.Visit.follow_up, m.Petition.petitioner, m.Petition.subject, m.Petition.working_group,
                    m.PetitionResponsible.name, m.PetitionContact.note, m.ZeroReport.report, m.Mediation.agreement_ref,
                    m.MediationSession.mediator, m.Incident.description):
            names.update(v for v in s.scalars(select(col).distinct()) if v)
        for col in (m.Mediation.parties, m.Mediation.mediators):
            names.update(n for v in s.scalars(select(col).distinct()) for n in json.loads(v))
        names.update({mask_name(n) for n in list(names) if 1 < len(n) <= 4})
    short = {n.replace("社区第", "").replace("网格", "") for n in names}  # grid labels as the map shows them
    return sorted(names | short, key=len, reverse=True)


def offenders(texts: list[tuple[str, str]], lang: str, names: list[str]) -> list[tuple[str, str]]:
    bad = []
    latin_names = [n for n in names if n and re.search(r"[A-Za-z]", n)]  # once, not per text
    checked: dict[str, bool] = {}  # a text seen in many cells is judged once
    for where, text in texts:
        if text in checked:
            if checked[text]:
                bad.append((where, text))
            continue
        before = len(bad)
        _judge(where, text, lang, names, latin_names, bad)
        checked[text] = len(bad) > before
    return sorted(set(bad))


def _judge(where: str, text: str, lang: str, names: list[str], latin_names: list[str], bad: list) -> None:
    """Adds (where, text) to bad when the text has a word of the other language left after names and codes."""
    t = text
    for n in LANGUAGE_NAMES:
        t = t.replace(n, " ")
    if lang == "en":
        for n in names:
            if n and n in t:
                t = t.replace(n, " ")
        if re.search(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]", t):
            bad.append((where, text))
    else:
        t = re.sub(r"\S*\d\S*", " ", t)  # codes, numbers, times, case numbers
        t = re.sub(r"[\w.-]+\.(gpkg|csv|xlsx|png|geojson|qgs|shp)\b", " ", t)  # file names
        t = re.sub(r"\([A-Z]\)|&", " ", t)  # menu accelerators
        for word in PROPER_NAMES + UNITS:
            t = re.sub(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", " ", t)
        for n in latin_names:
            if n in t:
                t = t.replace(n, " ")
        if re.search(r"[A-Za-z]{2,}", t):
            bad.append((where, text))


@pytest.fixture
def win(open_window, demo_copy):
    return open_window(demo_copy, settings={"feed/listen": "127.0.0.1:0"}, size=(1366, 768))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_visible_word_is_in_the_language_of_the_console(win, qtbot, lang):
    seen: list[tuple[str, str]] = []
    if lang != "en":
        choose_menu(qtbot, win, win.menu_lang, win.act_lang[lang])
    look = lambda: seen.extend(visible_texts())  # noqa: E731
    look()
    # Sign in through the dialog, as a person does (a wrong password first: its refusal is read too).
    from data.demo.generator import DEMO_PASSWORD
    dlg = win.dispatch.ask_sign_in()
    qtbot.waitUntil(dlg.isVisible)
    dlg.username.setText("吴敏")
    qtbot.keyClicks(dlg.password, "wrong-password")
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dlg.isVisible() and dlg.error.isVisible()
    look()
    qtbot.keyClicks(dlg.password, DEMO_PASSWORD)
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert not dlg.isVisible() and win.dispatch.signed_in.username == "吴敏"
    canvas = win.canvas
    # A feature clicked on the map: its attributes in the feature panel.
    cams = canvas.layer("cameras")
    cx, cy = cams.features.geoms[0].x, cams.features.geoms[0].y
    canvas.set_view(cx, cy, 1.0, render_now=True)
    canvas.wait_rendered()
    qtbot.mouseClick(canvas, Qt.LeftButton, pos=QPoint(canvas.width() // 2, canvas.height() // 2))
    look()
    show_grid(win)
    # Log an incident: the dialog, then the ranking with its reasons and exclusions.
    dlg = open_incident_dialog(qtbot, win, "public_order")
    seen += [("context menu", a.text()) for a in win.dispatch.context_menu.actions()]
    dlg.reporter.setText("王先生")
    qtbot.keyClicks(dlg.contact, "13812345678")
    look()
    qtbot.mouseClick(dlg.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    panel = win.dispatch_panel
    look()
    qtbot.mouseClick(panel.buttons["accept"], Qt.LeftButton)
    look()
    # Assign by hand: the dialog, then cancel.
    qtbot.mouseClick(panel.assign_other, Qt.LeftButton)
    qtbot.waitUntil(win.dispatch.manual_dialog.isVisible)
    look()
    qtbot.mouseClick(win.dispatch.manual_dialog.buttons.button(QDialogButtonBox.Cancel), Qt.LeftButton)
    # Assign the first recommendation; the timeline names the team.
    panel.recs.selectRow(0)
    qtbot.mouseClick(panel.assign, Qt.LeftButton)
    look()
    qtbot.mouseClick(panel.buttons["arrive"], Qt.LeftButton)
    look()
    assert win.dispatch.act_on_case("resolve", result="done")
    # The resolver may not verify: the refusal, in the user's language.
    qtbot.mouseClick(panel.buttons["verify"], Qt.LeftButton)
    qtbot.waitUntil(lambda: win.last_refusal is not None and win.last_refusal.isVisible())
    look()
    win.last_refusal.close()
    # The case's audit, and the account windows.
    qtbot.mouseClick(panel.audit_button, Qt.LeftButton)
    qtbot.waitUntil(win.dispatch.audit_dialog.isVisible)
    look()
    win.dispatch.audit_dialog.close()
    choose_menu(qtbot, win, win.menu_account, win.act_change_password)
    qtbot.waitUntil(win.password_dialog.isVisible)
    look()
    win.password_dialog.close()
    # Replay the case: its stages against their limits, the review, the legend and the axis.
    replay = win.replay_panel
    qtbot.mouseClick(replay.incident_button, Qt.LeftButton)
    assert replay.wait_built()
    look()
    axis = replay.plot.getAxis("bottom")
    lo, hi = replay.plot.viewRange()[0]
    ticks = [t for spacing, values in axis.tickValues(lo, hi, 600) for t in axis.tickStrings(values, 1.0, spacing)]
    assert ticks
    seen += [("replay axis", t) for t in ticks]
    replay.exit_replay()
    # A replay window that is too long is refused, saying why.
    replay.open_window(DEMO_UNTIL - timedelta(days=45), DEMO_UNTIL)
    replay.wait_built()
    look()
    # The other docks: teams, position feed, layers with their legends.
    for dock in win.findChildren(QDockWidget):
        dock.show()
        dock.raise_()
        look()
    # The administrators' panel.
    assert win.dispatch.sign_in("admin", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_account, win.act_accounts)
    qtbot.waitUntil(win.accounts_dialog.isVisible)
    look()
    win.accounts_dialog.close()
    # Grid planning, as a planner: a draft with problems, validated; publishing it is refused.
    assert win.dispatch.sign_in("冉小东", DEMO_PASSWORD)
    planner_panel = win.planner_panel
    qtbot.mouseClick(planner_panel.start_button, Qt.LeftButton)
    import numpy as np
    import shapely
    from data.grids import sets as G
    planner = planner_panel.planner
    d = planner.data
    bad = G.GridSetData(d.id, d.name, "draft", list(d.codes), list(d.names), list(d.community_ids), list(d.worker_ids),
                        np.array(list(d.geoms)))
    bad.geoms[0] = shapely.affinity.translate(bad.geoms[0], 25, 0)
    planner.apply(bad)
    qtbot.mouseClick(planner_panel.validate_button, Qt.LeftButton)
    look()
    qtbot.mouseClick(planner_panel.publish_button, Qt.LeftButton)
    look()

    names = district_names(win.store)
    bad_texts = offenders(seen, lang, names)
    assert len(seen) > 300  # the walk saw the screens, not an empty window
    unique = sorted({(w, re.sub(r"\d+(\.\d+)?", "N", t)) for w, t in bad_texts})
    assert not unique, "\n".join(f"{w}: {t!r}" for w, t in unique)


def test_the_checker_finds_english_in_chinese_and_chinese_in_english():
    """The rule itself: what it lets through and what it catches."""
    names = ["丰收社区第3网格", "丰收3", "刘建平"]
    assert not offenders([("x", "FS-03 丰收3 距离 120 m，约 4.2 分钟 · QGIS · copy.gpkg · 显示整个辖区（Home）")], "zh_CN", names)
    assert offenders([("x", "到场：4.2 min")], "zh_CN", names) and offenders([("x", "done")], "zh_CN", names)
    assert not offenders([("x", "→ 刘建平 arrived at 丰收3 (FS-03)")], "en", names)
    assert offenders([("x", "Camera (天网)")], "en", names) and offenders([("x", "Refused: 未执行")], "en", names)
