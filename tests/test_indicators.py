"""Indicators from case events, on a small history built by hand where every answer is known
(docs/INDICATORS.md defines each; the comments below work them out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import select

from data import indicators as IND
from data.cases.dispatch import create_incident, transition
from data.demo.generator import DEMO_PASSWORD
from data.store import models as m
from data.store.core import open_store
from tests.conftest import copy_store, who

P0 = datetime(2027, 1, 10, tzinfo=timezone.utc)  # the period: one day after the demo's history
P1 = P0 + timedelta(days=1)
T0 = datetime(2027, 1, 8, 12, tzinfo=timezone.utc)  # 36 h before it; a normal case's limit is 50 h
H = timedelta(hours=1)
MIN = timedelta(minutes=1)


@pytest.fixture(scope="module")
def history(tmp_path_factory, demo_path):
    path = tmp_path_factory.mktemp("ind") / "ind.gpkg"
    copy_store(demo_path, path)
    store = open_store(path)
    lead, zhou, tan = who(store, "吴敏"), who(store, "周晓燕"), who(store, "谭海")
    with store.session() as s:
        g = s.scalars(select(m.Grid.geom).where(m.Grid.code == "FS-03")).first().representative_point()
        mediator = s.scalar(select(m.Team.id).where(m.Team.kind == "mediator"))
        worker = s.scalar(select(m.Team.id).where(m.Team.kind == "grid_worker"))

    def case(at, category="municipal", sub="municipal.road", duplicate_of=None):
        return create_incident(store, category=category, subcategory=sub, priority="normal", source="hotline",
                               lon=g.x, lat=g.y, actor=lead, at=at, duplicate_of=duplicate_of).id

    def run(cid, steps):
        for action, t, kw in steps:
            actor = {"resolve": zhou, "verify": tan, "close": tan, "send_back": tan}.get(action, lead)
            if action == "dispatch":
                kw = {"team_id": mediator if "dispute" in kw.get("_k", "") else worker, "reassign": True}
            if action == "extend":
                kw = {"approved_by": tan}
            transition(store, cid, action, actor, at=t, **kw)

    def handled(cid, t, team_kind=""):  # accept, dispatch, arrive: 5, 10, 20 minutes after t
        run(cid, [("accept", t + 5 * MIN, {}), ("dispatch", t + 10 * MIN, {"_k": team_kind}), ("arrive", t + 20 * MIN, {})])

    ids = {}
    # A: reported 36 h before the period, deadline 14:00 in it; closed at 10:00 in it: on time.
    ids["A"] = a = case(T0)
    handled(a, T0)
    run(a, [("resolve", T0 + 2 * H, {"result": "done"}), ("verify", P0 + 8 * H, {}), ("close", P0 + 10 * H, {})])
    # B: the same deadline, only accepted: due, not closed.
    ids["B"] = b = case(T0)
    run(b, [("accept", T0 + 5 * MIN, {})])
    # C: reported and closed within the period (its deadline is two days on): due because closed; on time.
    ids["C"] = c = case(P0 + 1 * H)
    handled(c, P0 + 1 * H)  # on scene 20 minutes after the report
    # G: a duplicate report of C while it is open: a report received, not a case.
    ids["G"] = case(P0 + 1 * H + 20 * MIN, duplicate_of=c)
    run(c, [("resolve", P0 + 3 * H, {"result": "done"}), ("verify", P0 + 19 * H, {}), ("close", P0 + 20 * H, {})])
    # D: reported a day earlier (deadline the day before the period), closed in it: late.
    ids["D"] = d = case(T0 - 24 * H)
    handled(d, T0 - 24 * H)
    run(d, [("resolve", P0 - 4 * H, {"result": "done"}), ("verify", P0 + 4 * H, {}), ("close", P0 + 5 * H, {})])
    # E: extended for 6 hours (the clock stops): deadline 20:00; closed at 18:00: on time.
    ids["E"] = e = case(T0)
    handled(e, T0)
    run(e, [("extend", T0 + 1 * H, {}), ("resume", T0 + 7 * H, {}), ("resolve", P0 + 12 * H, {"result": "done"}),
            ("verify", P0 + 17 * H, {}), ("close", P0 + 18 * H, {})])
    # F: reported in the period and voided: never due.
    ids["F"] = f = case(P0 + 3 * H)
    run(f, [("void", P0 + 3 * H + 10 * MIN, {})])
    # H: sent back once at verification; closed at 12:00, before its 14:00 deadline.
    ids["H"] = h = case(T0)
    handled(h, T0)
    run(h, [("resolve", T0 + 2 * H, {"result": "done"}), ("send_back", P0 - 14 * H, {}), ("resolve", P0 - 12 * H, {"result": "done"}),
            ("verify", P0 + 11 * H, {}), ("close", P0 + 12 * H, {})])
    # I, J: disputes reported in the period; one mediated, one not.
    ids["I"] = i = case(P0 + 2 * H, "dispute", "dispute.neighbour")
    run(i, [("accept", P0 + 2 * H + 5 * MIN, {}), ("dispatch", P0 + 2 * H + 10 * MIN, {"_k": "dispute"}),
            ("arrive", P0 + 2 * H + 40 * MIN, {}), ("resolve", P0 + 5 * H, {"result": "mediated"})])
    ids["J"] = j = case(P0 + 6 * H, "dispute", "dispute.family")
    run(j, [("accept", P0 + 6 * H + 5 * MIN, {}), ("dispatch", P0 + 6 * H + 10 * MIN, {"_k": "dispute"}),
            ("arrive", P0 + 7 * H, {}), ("resolve", P0 + 9 * H, {"result": "not_mediated"})])
    # Callbacks after closure: A satisfied, C dissatisfied, D not reached, E basically satisfied.
    for cid, answer, t in ((a, "satisfied", P0 + 13 * H), (c, "dissatisfied", P0 + 21 * H), (d, "unreachable", P0 + 14 * H),
                           (e, "basically_satisfied", P0 + 19 * H)):
        transition(store, cid, "callback", lead, result=answer, at=t)
    yield store, ids
    store.close()


def test_each_indicator_has_its_worked_answer(history):
    store, _ids = history
    r = IND.indicators(store, P0, P1, reader=who(store, "谭海")).overall
    assert r["reported"] == 5 and r["duplicates"] == 1  # C, F, G, I, J reported; G is a duplicate
    assert r["accepted"] == 3 and r["acceptance_rate"] == 0.75  # C, I, J of the four cases reported
    assert r["voided"] == 1 and r["dispatched"] == 3
    assert r["closed"] == 5  # A, C, D, E, H
    assert r["due"] == 6  # deadline in the period: A, B, E, H; closed in it: A, C, D, E, H
    assert r["closure_rate"] == 0.8333
    assert r["on_time_closed"] == 4 and r["on_time_closure_rate"] == 0.6667  # D was late
    assert r["rework_rate"] == 0.2 and r["extension_rate"] == 0.2  # H sent back, E extended, of five closed
    # Report to on scene: C 20 min, I 40 min, J 60 min.
    assert r["response_median_min"] == 40.0 and r["response_p90_min"] == 56.0
    assert r["mediated"] == 1 and r["mediation_rate"] == 0.5
    # Four callbacks, one not reached: two of the three reached were (basically) satisfied.
    assert r["callbacks"] == 4 and r["unreachable"] == 1 and r["satisfaction_rate"] == 0.6667
    # The day before: D and H's first resolutions, nothing closed; A, B, E, H not yet due.
    before = IND.indicators(store, P0 - timedelta(days=1), P0, reader=who(store, "谭海")).overall
    assert before["closed"] == 0 and before["due"] == 1  # D's deadline fell on that day


def test_breakdowns_add_up_and_group_what_they_say(history):
    store, _ids = history
    r = IND.indicators(store, P0, P1, by="category", reader=who(store, "谭海"))
    assert set(r.groups) >= {"dispute", "municipal"}
    assert r.groups["dispute"]["reported"] == 2 and r.groups["dispute"]["mediation_rate"] == 0.5
    assert r.groups["municipal"]["closed"] == 5 and r.groups["dispute"]["closed"] == 0
    for key in ("reported", "closed", "due", "accepted"):
        assert sum(g[key] for g in r.groups.values()) == r.overall[key]


def test_only_roles_that_read_indicators_get_them(history):
    store, _ids = history
    from data.messages import GridWatchError
    with pytest.raises(GridWatchError) as info:
        IND.indicators(store, P0, P1, reader=who(store, "刘建平"))
    assert info.value.code == "auth.forbidden"


def test_the_command_prints_the_same_numbers_as_json(history):
    store, _ids = history
    r = subprocess.run([sys.executable, "-m", "console.cli", "indicators", "--store", str(store.path), "--from",
                        P0.isoformat(), "--to", P1.isoformat(), "--by", "category", "--json", "--as", "谭海"],
                       capture_output=True, text=True, timeout=120, env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    service = IND.indicators(store, P0, P1, by="category", reader=who(store, "谭海"))
    assert doc["overall"] == service.overall and doc["groups"] == service.groups
    assert doc["overall"]["closure_rate"] == 0.8333
    text = subprocess.run([sys.executable, "-m", "console.cli", "indicators", "--store", str(store.path), "--from",
                           "2027-01-10", "--to", "2027-01-11T00:00:00+00:00", "--as", "谭海"], capture_output=True, text=True,
                          timeout=120, env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert text.returncode == 0 and "closure_rate" in text.stdout
    bad = subprocess.run([sys.executable, "-m", "console.cli", "indicators", "--store", str(store.path), "--from", "soon",
                          "--to", "later", "--as", "谭海"], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert bad.returncode == 2 and "not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_the_monthly_workbook_has_numbers_and_formulas_that_agree_with_the_indicators(history, tmp_path):
    from openpyxl import load_workbook
    store, _ids = history
    out = tmp_path / "2027-01.xlsx"
    r = subprocess.run([sys.executable, "-m", "console.cli", "report", "--store", str(store.path), "--month", "2027-01",
                        "--out", str(out), "--as", "谭海"], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert r.returncode == 0, r.stderr
    wb = load_workbook(out)
    assert wb.sheetnames == ["全辖区", "按社区", "按网格", "按类别", "按来源", "按队伍", "按调度员", "各环节用时", "响应时间分布"]
    ws = wb["全辖区"]
    heads = [c.value for c in ws[2]]
    row = {h: c.value for h, c in zip(heads, ws[3])}
    month = IND.indicators(store, *IND.month_bounds("2027-01"), reader=who(store, "谭海")).overall
    assert row["结案数"] == month["closed"] and row["应结案数"] == month["due"]
    assert isinstance(row["结案数"], int)  # numbers, not text
    closed_col = heads.index("结案数") + 1
    due_col = heads.index("应结案数") + 1
    from openpyxl.utils import get_column_letter
    assert row["结案率"] == (f'=IF({get_column_letter(due_col)}3=0,"",{get_column_letter(closed_col)}3/'
                            f'{get_column_letter(due_col)}3)')
    assert ws.cell(row=3, column=heads.index("结案率") + 1).number_format == "0.00%"
    cats = {r[0].value: r for r in wb["按类别"].iter_rows(min_row=3)}
    assert set(cats) >= {"矛盾纠纷", "市政设施"}  # names in the report's language, not codes
    # Bad input: a clear message, no file.
    bad = subprocess.run([sys.executable, "-m", "console.cli", "report", "--store", str(store.path), "--month", "2027-13",
                          "--out", str(tmp_path / "x.xlsx"), "--as", "谭海"], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr and not (tmp_path / "x.xlsx").exists()


def test_the_console_dock_shows_the_commands_numbers(open_window, history, qtbot):
    from PySide6.QtCore import QDate, Qt
    from tests.conftest import choose_menu
    store, _ids = history
    win = open_window(store.path, live=False)
    panel = win.indicators_panel
    # As a dispatcher: refused, saying why.
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_view, win.dock_indicators.toggleViewAction())
    assert win.dock_indicators.isVisible()
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait() and "may not" in panel.message.text() and panel.table.rowCount() == 0
    # As a supervisor: the day of the hand-built history (China time covers 2027-01-10 08:00 to 01-11 08:00;
    # the service is asked the same period), by category.
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    panel.start_edit.setDate(QDate(2027, 1, 10))
    panel.end_edit.setDate(QDate(2027, 1, 10))
    panel.breakdown.setCurrentIndex(panel.BREAKDOWN_KEYS.index("category"))
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait() and panel.report is not None
    start, end = panel.period()
    service = IND.indicators(store, start, end, "category", reader=who(store, "谭海"))
    shown = {panel.table.verticalHeaderItem(r).text(): panel.table.item(r, 0).text() for r in range(panel.table.rowCount())}
    assert shown["Closed"] == str(service.overall["closed"]) and shown["Due"] == str(service.overall["due"])
    rate = service.overall["closure_rate"]
    assert shown["Closure rate"] == ("—" if rate is None else f"{rate:.2%}")
    heads = [panel.table.horizontalHeaderItem(c).text() for c in range(panel.table.columnCount())]
    assert "Disputes" in heads and len(heads) == 1 + len(service.groups)


def test_the_on_time_closure_rate_of_each_grid_colours_the_map(open_window, history, qtbot):
    from PySide6.QtCore import QDate, QPoint, Qt
    from PySide6.QtGui import QColor
    from layers import style as S
    store, _ids = history
    win = open_window(store.path, live=False)
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    win.dock_indicators.show()
    panel = win.indicators_panel
    panel.start_edit.setDate(QDate(2026, 10, 1))
    panel.end_edit.setDate(QDate(2026, 10, 31))
    qtbot.mouseClick(panel.on_map, Qt.LeftButton, pos=QPoint(8, panel.on_map.height() // 2))
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait() and panel.report is not None
    layer = win.canvas.layer("choropleth")
    start, end = panel.period()
    service = IND.indicators(store, start, end, "grid", reader=who(store, "谭海"))
    expected = {k: v["on_time_closure_rate"] for k, v in service.groups.items() if v["on_time_closure_rate"] is not None}
    assert layer.visible and layer.values == expected and len(expected) > 50
    # A grid's inside shows its class colour over the land.
    codes = list(layer.features.column("code"))
    code = next(c for c in codes if c in expected)
    i = codes.index(code)
    k = layer.value_class(i)
    p = layer.features.geoms[i].representative_point()
    win.canvas.set_view(p.x, p.y, 1.0, render_now=True)
    win.canvas.wait_rendered()
    for name in ("streets", "buildings", "teams", "trails", "incidents", "cameras", "grids", "communities", "key_areas"):
        win.canvas.set_layer_visible(name, False)
    win.canvas.wait_rendered()
    img = win.canvas.grab().toImage()
    got = img.pixelColor(win.canvas.width() // 2, win.canvas.height() // 2)
    colour, ground, a = QColor(S.CHOROPLETH_COLOURS[k]), QColor(S.BACKGROUND), S.CHOROPLETH_ALPHA
    want = [a * c + (1 - a) * g for c, g in ((colour.red(), ground.red()), (colour.green(), ground.green()),
                                             (colour.blue(), ground.blue()))]  # the class colour over the land
    assert sum(abs(x - w) for x, w in zip((got.red(), got.green(), got.blue()), want)) < 30, (got.getRgb(), want)
    # Unticked: hidden again.
    qtbot.mouseClick(panel.on_map, Qt.LeftButton, pos=QPoint(8, panel.on_map.height() // 2))
    assert not layer.visible


def test_resolution_rates_stage_times_and_response_distribution(history):
    """处置率 counts first resolutions against 处置时限 (the limits from report to on scene: 1,500 min
    for a normal case, plus pauses); stage times are over the cases closed in the period."""
    store, _ids = history
    r = IND.indicators(store, P0, P1, reader=who(store, "谭海"))
    o = r.overall
    # First resolved in the period: C (03:00), I, J, and E (12:00). E was extended for 6 h, so its
    # 处置时限 is T0 + 25 h + 6 h = P0 − 5 h: resolved late. C, I, J are well within theirs.
    assert o["resolved"] == 4
    # Due: the four resolved; no other live case's 处置时限 falls in the period (A, B and H's fell at
    # P0 − 11 h, D's a day before that; those reported in the period have theirs after it).
    assert o["due_resolved"] == 4 and o["disposal_rate"] == 1.0
    assert o["on_time_resolved"] == 3 and o["on_time_disposal_rate"] == 0.75
    # The day before: A's, B's and H's 处置时限 fell in it (P0 − 11 h), and E's (P0 − 5 h); A and H had been
    # resolved before the day (counted then, not due again), B never, E later. D was first resolved in
    # it (P0 − 4 h), 35 h after its 处置时限: due because resolved, and late. So B, D, E: 3 due.
    before = IND.indicators(store, P0 - timedelta(days=1), P0, reader=who(store, "谭海")).overall
    assert before["resolved"] == 1 and before["due_resolved"] == 3 and before["on_time_resolved"] == 0
    stages = r.stages
    # Closed in the period: A, C, D, E, H. H alone was sent back: 2 h in rework (P0-14h → P0-12h).
    assert stages["rework"]["cases"] == 1 and stages["rework"]["median_min"] == 120.0
    # Everyone passed "reported" in 5 minutes (accept 5 min after the report): none overdue (limit 15).
    assert stages["reported"]["cases"] == 5 and stages["reported"]["median_min"] == 5.0
    assert stages["reported"]["overdue_rate"] == 0.0
    # Verified → closed: A 2 h, C 1 h, D 1 h, E 1 h, H 1 h (limit 1,440): median 60, none overdue.
    assert stages["verified"]["median_min"] == 60.0 and stages["verified"]["overdue"] == 0
    # Response 20, 40, 60 min: bins 20–30, 30–45, 60–90.
    bins = {(b["from"], b["to"]): b["cases"] for b in r.response_bins}
    assert bins[(20, 30)] == 1 and bins[(30, 45)] == 1 and bins[(60, 90)] == 1 and sum(bins.values()) == 3


def test_team_and_dispatcher_breakdowns_and_filters(history):
    store, _ids = history
    tan = who(store, "谭海")
    by_team = IND.indicators(store, P0, P1, "team", reader=tan)
    assert sum(g["closed"] for g in by_team.groups.values()) == by_team.overall["closed"]
    mediators = [k for k, g in by_team.groups.items() if g["mediated"]]
    assert len(mediators) == 1  # the mediation team dispatched to I and J
    by_person = IND.indicators(store, P0, P1, "dispatcher", reader=tan)
    assert by_person.groups["吴敏"]["dispatched"] == 3  # C, I, J were dispatched that day, all by 吴敏
    only = IND.indicators(store, P0, P1, reader=tan, where={"category": "dispute"})
    assert only.overall["reported"] == 2 and only.overall["closed"] == 0
    from data.messages import GridWatchError
    with pytest.raises(GridWatchError) as info:
        IND.indicators(store, P0, P1, reader=tan, where={"colour": "red"})
    assert info.value.code == "indicators.unknown_filter"


def test_a_week_or_month_trend_adds_up_to_the_period(history):
    store, _ids = history
    facts = IND.case_facts(store, until=P1 + timedelta(days=30))
    weeks = IND.trend(facts, P0 - timedelta(days=20), P1 + timedelta(days=10), "week")
    assert all(datetime.fromisoformat(w["from"]).astimezone(IND.LOCAL_TZ).weekday() == 0 for w in weeks[1:])
    whole = IND.indicators_of(facts, P0 - timedelta(days=20), P1 + timedelta(days=10))
    for key in ("reported", "closed", "accepted", "resolved"):
        assert sum(w[key] for w in weeks) == whole[key]


def test_the_cache_follows_new_events_and_a_replaced_store(history, tmp_path):
    """The facts cache is brought up to date by the events added since, and rebuilt when the store
    it was made from is replaced by another file at the same path."""
    from data import facts_cache
    store, ids = history
    before = IND.case_facts(store, until=P1 + timedelta(days=30))
    assert pd.isna(before.loc[ids["B"], "dispatched_at"])
    at = P1 + timedelta(days=20)  # after every period the other tests look at
    with store.session() as s:
        team = s.scalar(select(m.Team.id).where(m.Team.kind == "grid_worker"))
    transition(store, ids["B"], "dispatch", who(store, "吴敏"), team_id=team, reassign=True, at=at)
    after = IND.case_facts(store, until=at + timedelta(days=1))
    assert after.loc[ids["B"], "dispatched_at"] == pd.Timestamp(at) and after.loc[ids["B"], "dispatcher"] == "吴敏"
    assert pd.isna(IND.case_facts(store, until=at).loc[ids["B"], "dispatched_at"])  # not yet, as of then
    # The same as facts computed from nothing.
    fresh, _pauses = IND._facts_from(*IND._read(store))
    cached, _p = facts_cache.cached_facts(store, IND._read, IND._facts_from)
    pd.testing.assert_frame_equal(cached.sort_index()[fresh.columns], fresh.sort_index(), check_dtype=False)


def test_the_monthly_pdf_is_a4_with_the_chinese_font_embedded_and_the_same_numbers(history, tmp_path):
    from pypdf import PdfReader
    store, _ids = history
    out = tmp_path / "2027-01.pdf"
    r = subprocess.run([sys.executable, "-m", "console.cli", "report", "--store", str(store.path), "--month", "2027-01",
                        "--out", str(out), "--as", "谭海"], capture_output=True, text=True, timeout=180,
                       env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD, QT_QPA_PLATFORM="offscreen"))
    assert r.returncode == 0, r.stderr
    pdf = PdfReader(out)
    assert len(pdf.pages) >= 3
    for page in pdf.pages:  # A4 portrait: 595 × 842 points
        assert abs(float(page.mediabox.width) - 595.3) < 1.5 and abs(float(page.mediabox.height) - 841.9) < 1.5
    fonts = [f.get_object() for page in pdf.pages for f in page["/Resources"]["/Font"].values()]
    descriptors = [f["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object() for f in fonts if "/DescendantFonts" in f]
    assert descriptors and all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)  # embedded, not referenced
    text = "".join(page.extract_text() for page in pdf.pages)
    month = IND.indicators(store, *IND.month_bounds("2027-01"), reader=who(store, "谭海")).overall
    assert "按期结案率" in text and "按社区" in text and "各环节用时" in text
    assert f"{month['closure_rate']:.2%}" in text and f"{month['on_time_closure_rate']:.2%}" in text
    # One community's report; an unknown community is refused by name, and nothing is written.
    one = subprocess.run([sys.executable, "-m", "console.cli", "report", "--store", str(store.path), "--month", "2027-01",
                          "--community", "火星社区", "--out", str(tmp_path / "mars.pdf"), "--as", "谭海"], capture_output=True,
                         text=True, timeout=180, env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD, QT_QPA_PLATFORM="offscreen"))
    assert one.returncode == 2 and "火星社区" in one.stderr and "Traceback" not in one.stderr
    assert not (tmp_path / "mars.pdf").exists()


def test_the_dock_follows_filters_and_draws_trend_histogram_and_stages(open_window, history, qtbot):
    from PySide6.QtCore import QDate, Qt
    from tests.conftest import choose_combo
    store, _ids = history
    win = open_window(store.path, live=False)
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    win.dock_indicators.show()
    panel = win.indicators_panel
    panel.start_edit.setDate(QDate(2026, 9, 1))
    panel.end_edit.setDate(QDate(2026, 11, 26))
    qtbot.mouseClick(panel.refresh_button, Qt.LeftButton)
    assert panel.wait() and panel.report is not None
    whole = panel.report.overall
    # A community chosen in the filter: the numbers are that community's, without pressing Compute.
    choose_combo(qtbot, panel.community_filter, panel._communities[0])
    assert panel.wait() and panel.report.where == {"community": panel._communities[0]}
    start, end = panel.period()
    service = IND.indicators(store, start, end, reader=who(store, "谭海"), where={"community": panel._communities[0]})
    assert panel.report.overall == service.overall and service.overall["reported"] < whole["reported"]
    shown = {panel.table.verticalHeaderItem(r).text(): panel.table.item(r, 0).text() for r in range(panel.table.rowCount())}
    assert shown["Reported"] == str(service.overall["reported"])
    # Month by month: three points (September, October, November) whose reports add up.
    choose_combo(qtbot, panel.step, "Month by month")
    assert panel.wait() and len(panel.trend) == 3
    assert sum(r["reported"] for r in panel.trend) == service.overall["reported"]
    lines = panel.trend_chart.getPlotItem().listDataItems()
    assert [list(ln.yData) for ln in lines][0] == [r["reported"] for r in panel.trend]
    # The histogram's bars are the service's bins; the stages table its medians.
    bars = [i for i in panel.histogram.getPlotItem().items if type(i).__name__ == "BarGraphItem"][0]
    assert list(bars.opts["height"]) == [b["cases"] for b in service.response_bins]
    qtbot.mouseClick(panel.charts.tabBar(), Qt.LeftButton, pos=panel.charts.tabBar().tabRect(3).center())
    assert panel.charts.currentIndex() == 3
    med = service.stages["verified"]["median_min"]
    row = [panel.stage_table.verticalHeaderItem(r).text() for r in range(panel.stage_table.rowCount())].index("Verified")
    assert panel.stage_table.item(row, 1).text() == f"{med:g}"


def test_file_report_writes_the_pdf_the_command_writes(open_window, history, qtbot, tmp_path):
    from PySide6.QtCore import QDate, Qt
    from PySide6.QtWidgets import QDialogButtonBox
    from pypdf import PdfReader
    from tests.conftest import choose_menu
    store, _ids = history
    win = open_window(store.path, live=False)
    assert win.dispatch.sign_in("谭海", DEMO_PASSWORD)
    choose_menu(qtbot, win, win.menu_file, win.act_report)
    dialog = win.report_dialog
    assert dialog.isVisible()
    dialog.month.setDate(QDate(2026, 10, 1))
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(tmp_path / "october"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.wait() and dialog.written == tmp_path / "october.pdf", dialog.message.text()
    text = "".join(p.extract_text() for p in PdfReader(dialog.written).pages)
    october = IND.indicators(store, *IND.month_bounds("2026-10"), reader=who(store, "谭海")).overall
    assert f"{october['on_time_closure_rate']:.2%}" in text
    # A dispatcher may not read indicators: told so, and no file.
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    dialog.path.clear()
    qtbot.keyClicks(dialog.path, str(tmp_path / "refused.pdf"))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)
    assert dialog.wait() and "may not" in dialog.message.text() and not (tmp_path / "refused.pdf").exists()


def test_a_parked_case_stops_its_clock_until_resumed(history):
    """Parked 48 h: its deadline moves from 50 h to 98 h after the report, so a closure at 62 h is on
    time; while still parked, its paused time runs up to the moment asked about."""
    store, _ids = history
    q = datetime(2027, 2, 1, tzinfo=timezone.utc)  # a month after the other cases: nothing else happens here
    lead, zhou, tan = who(store, "吴敏"), who(store, "周晓燕"), who(store, "谭海")
    with store.session() as s:
        g = s.scalars(select(m.Grid.geom).where(m.Grid.code == "FS-03")).first().representative_point()
        team = s.scalar(select(m.Team.id).where(m.Team.kind == "grid_worker"))
    k = create_incident(store, category="municipal", subcategory="municipal.road", priority="normal", source="hotline",
                        lon=g.x, lat=g.y, actor=lead, at=q).id
    for action, t, actor, kw in (("accept", 5 * MIN, lead, {}), ("dispatch", 10 * MIN, lead, {"team_id": team, "reassign": True}),
                                 ("arrive", 20 * MIN, lead, {}), ("park", 1 * H, lead, {}), ("resume", 49 * H, lead, {}),
                                 ("resolve", 60 * H, zhou, {"result": "done"}), ("verify", 61 * H, tan, {}),
                                 ("close", 62 * H, tan, {})):
        transition(store, k, action, actor, at=q + t, **kw)
    still_parked = IND.case_facts(store, until=q + 30 * H).loc[k]
    assert still_parked["paused_min"] == 29 * 60  # parked at 1 h, asked at 30 h
    facts = IND.case_facts(store, until=q + 4 * 24 * H).loc[k]
    assert facts["paused_min"] == 48 * 60 and facts["deadline"] == pd.Timestamp(q + 98 * H)
    day3 = IND.indicators(store, q + 48 * H, q + 72 * H, reader=tan).overall  # holds the close (62 h)
    assert day3["closed"] == 1 and day3["due"] == 1 and day3["on_time_closed"] == 1
    # Its unpaused deadline (50 h) would have fallen in that day and made it late: it did not.
    assert IND.indicators(store, q + 96 * H, q + 120 * H, reader=tan).overall["due"] == 0  # closed: not due again


def test_a_command_leaves_the_cache_written_when_it_exits(history):
    """The cache is written after the answer, at the latest when the process exits: the next
    command reads it instead of every event."""
    from data import facts_cache
    store, _ids = history
    files = facts_cache._files(store.identity)
    for f in files:
        f.unlink(missing_ok=True)
    r = subprocess.run([sys.executable, "-m", "console.cli", "indicators", "--store", str(store.path), "--from", "2027-01-10",
                        "--to", "2027-01-11", "--json", "--as", "谭海"], capture_output=True, text=True, timeout=120,
                       env=dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD))
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    assert all(f.exists() for f in files)
    meta = json.loads(files[2].read_text())
    assert meta["events"] == IND.events_version(store)[0]
