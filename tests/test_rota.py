"""The duty rota (issue 16): shifts from Excel checked row by row, who is on shift now (and dispatch
with it), swaps with reasons, and the week with its gaps; on a GeoPackage and on PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from data.accounts import AuthError
from data.domain import LOCAL_TZ
from data.patrol import rota
from data.store import models as m
from data.store.core import open_store
from tests.conftest import who

pytestmark = pytest.mark.both_backends

HEADER = ["日期", "开始时间", "结束时间", "队伍编号", "姓名", "网格", "岗位"]
DAY = date(2026, 12, 15)  # a Tuesday, a week after the demo's rota ends


def sheet(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def office(day: date, hh: int, mm: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


@pytest.fixture
def store(demo_copy):
    s = open_store(demo_copy)
    yield s
    s.close()


def members_of(store, code: str) -> list[str]:
    with store.session() as s:
        return list(s.scalars(select(m.Member.name).join(m.Team, m.Team.id == m.Member.team_id)
                              .where(m.Team.code == code).order_by(m.Member.id)))


def team_id(store, code: str) -> int:
    with store.session() as s:
        return s.scalar(select(m.Team.id).where(m.Team.code == code))


def test_a_rota_with_bad_rows_reports_each_and_imports_nothing(store, tmp_path):
    a, b = members_of(store, "XL001")[:2]
    other = members_of(store, "XL002")[0]
    bad = sheet(tmp_path / "bad.xlsx", [
        ["2026-12-15", "08:00", "20:00", "XL001", a, "", "夜市街"],        # 2: fine
        ["2026-12-15", "19:00", "23:00", "XL001", a, "", ""],              # 3: overlaps row 2 (same person)
        ["2026-12-15", "08:00", "20:00", "NOPE", "", "", ""],              # 4: no such team
        ["2026-12-15", "08:00", "20:00", "XL001", other, "", ""],          # 5: not a member of XL001
        ["2026-12-15", "08:00", "20:00", "XL001", b, "ZZ-99", ""],         # 6: no such grid
        ["2026-12-15", "8点", "20:00", "XL001", b, "", ""],                # 7: not a time
        ["2026-13-01", "08:00", "20:00", "XL001", b, "", ""],              # 8: not a date
    ])
    plan = rota.plan_shifts(store, bad)
    codes = sorted((p.fields["row"], p.code) for p in plan.problems)
    assert codes == [(3, "row.shift_overlap"), (4, "row.unknown_team"), (5, "row.not_a_member"), (6, "row.unknown_grid"),
                     (7, "row.bad_time"), (8, "row.bad_date")]
    assert not plan.records
    boss = who(store, "rota_chief", ("supervisor",))
    with pytest.raises(Exception):
        rota.import_shifts(store, boss, plan)
    assert rota.shifts(store, office(DAY, 0), office(DAY + timedelta(days=1), 0)) == []  # nothing imported

    good = sheet(tmp_path / "good.xlsx", [["2026-12-15", "08:00", "20:00", "XL001", a, "", "夜市街"],
                                          ["2026-12-15", "20:00", "02:00", "XL001", b, "", "夜市街"]])  # overnight
    plan = rota.plan_shifts(store, good)
    assert plan.ok and rota.import_shifts(store, boss, plan) == 2
    rows = rota.shifts(store, office(DAY, 0), office(DAY + timedelta(days=1), 0))
    assert [(r.starts_at, r.ends_at) for r in rows] == [(office(DAY, 8), office(DAY, 20)),
                                                         (office(DAY, 20), office(DAY + timedelta(days=1), 2))]
    # The same file again: each shift overlaps the person's shift in the rota now.
    again = rota.plan_shifts(store, good)
    assert [p.code for p in again.problems] == ["row.shift_in_rota", "row.shift_in_rota"]
    with store.session() as s:
        entry = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "rota.import", m.AuditEntry.username == "rota_chief")).one()
    assert json.loads(entry.after)["shifts"] == 2


def test_only_the_rota_keeper_imports_and_only_dispatch_or_supervisors_swap(store, tmp_path):
    a = members_of(store, "XL001")[0]
    plan = rota.plan_shifts(store, sheet(tmp_path / "r.xlsx", [["2026-12-15", "08:00", "20:00", "XL001", a, "", ""]]))
    viewer = who(store, "just_looking", ("viewer",))
    with pytest.raises(AuthError):
        rota.import_shifts(store, viewer, plan)
    rota.import_shifts(store, who(store, "rota_chief", ("supervisor",)), plan)
    sid = rota.shifts(store, office(DAY, 0), office(DAY, 23))[0].id
    with pytest.raises(AuthError):
        rota.swap(store, sid, 1, "sick", viewer, at=office(DAY, 6))


def test_who_is_on_shift_comes_from_the_rota_where_it_is_kept_else_the_duty_hours(store, tmp_path):
    a, b = members_of(store, "XL001")[:2]
    rota.import_shifts(store, who(store, "rota_chief", ("supervisor",)), rota.plan_shifts(store, sheet(tmp_path / "r.xlsx", [
        ["2026-12-15", "22:00", "03:00", "XL001", a, "", ""],   # past midnight
        ["2026-12-15", "06:00", "09:00", "XL001", b, "", ""],
    ])))
    xl1, xl2 = team_id(store, "XL001"), team_id(store, "XL002")  # XL002 keeps no rota: its fixed hours 08:00–22:00
    on = lambda at: {code for _i, code, _n in rota.teams_on_duty(store, at)[1]}  # noqa: E731
    assert "XL001" in on(office(DAY, 7)) and "XL001" not in on(office(DAY, 12))  # fixed hours would say on
    assert "XL001" in on(office(DAY, 23)) and "XL001" in on(office(DAY + timedelta(days=1), 2, 59))
    assert "XL001" not in on(office(DAY + timedelta(days=1), 3, 0))  # the shift ended
    assert "XL002" in on(office(DAY, 12)) and "XL002" not in on(office(DAY, 23))
    assert "XL001" not in on(office(DAY + timedelta(days=1), 12))  # keeps a rota: a day with no shift is a day off
    assert "XL001" in on(office(DAY + timedelta(days=9), 12))  # over a week after its last shift: the fixed hours again
    duty = rota.DutyNow(store, office(DAY, 12))
    assert duty.from_rota and not duty.covers(xl1, 0, 1440) and duty.covers(xl2, 480, 1320)


def test_dispatch_leaves_out_a_team_the_rota_has_off_shift(store, tmp_path):
    from data.routing.recommender import Recommender
    rec = Recommender(store)
    x, y = (float(v) for v in store.projection.lonlat_to_xy(108.385, 30.810))
    at = office(DAY, 12)
    positions = {t.id: (x + 50.0, y, at) for t in rec.teams}  # everyone close by, fresh fixes
    before = rec.recommend(x, y, "public_order", None, at, positions=positions, busy={})
    patrols = [c for c in before.candidates if c.kind == "patrol_volunteer"]
    assert patrols, "a patrol team should be a candidate at noon"
    first = patrols[0]
    code = first.code
    # The rota puts that team on the night only: at noon it is off shift, and dispatch says so.
    rota.import_shifts(store, who(store, "rota_chief", ("supervisor",)), rota.plan_shifts(store, sheet(tmp_path / "r.xlsx", [
        ["2026-12-15", "20:00", "02:00", code, "", "", ""]])))
    after = Recommender(store).recommend(x, y, "public_order", None, at, positions=positions, busy={})
    assert first.team_id not in {c.team_id for c in after.candidates}
    gone = next(c for c in after.excluded if c.team_id == first.team_id)
    assert gone.excluded.code == "exclude.off_duty"
    night = Recommender(store).recommend(x, y, "public_order", None, office(DAY, 21), positions={
        k: (px, py, office(DAY, 21)) for k, (px, py, _t) in positions.items()}, busy={})
    assert first.team_id in {c.team_id for c in night.candidates}


def test_a_swap_needs_a_reason_a_free_person_and_a_shift_not_over_and_is_kept(store, tmp_path):
    a, b, c = members_of(store, "XL001")[:2] + members_of(store, "XL002")[:1]
    boss = who(store, "rota_chief", ("supervisor",))
    rota.import_shifts(store, boss, rota.plan_shifts(store, sheet(tmp_path / "r.xlsx", [
        ["2026-12-15", "08:00", "20:00", "XL001", a, "", ""],
        ["2026-12-15", "10:00", "14:00", "XL001", b, "", ""]])))
    first, second = rota.shifts(store, office(DAY, 0), office(DAY, 23))
    disp = who(store, "night_desk", ("dispatcher",))
    with pytest.raises(rota.RotaError) as e:
        rota.swap(store, first.id, rota.member_named(store, b), "  ", disp, at=office(DAY, 6))
    assert e.value.code == "rota.swap_needs_reason"
    with pytest.raises(rota.RotaError) as e:
        rota.swap(store, first.id, rota.member_named(store, b), "sick", disp, at=office(DAY, 6))
    assert e.value.code == "rota.person_busy"  # b works 10–14 already
    with pytest.raises(rota.RotaError) as e:
        rota.swap(store, first.id, rota.member_named(store, c, "XL002"), "sick", disp, at=office(DAY, 21))
    assert e.value.code == "rota.shift_over"
    with pytest.raises(rota.RotaError) as e:
        rota.swap(store, first.id, rota.member_named(store, a, "XL001"), "sick", disp, at=office(DAY, 6))
    assert e.value.code == "rota.swap_to_same"
    rota.swap(store, first.id, rota.member_named(store, c, "XL002"), "家中有事 (family)", disp, at=office(DAY, 6))
    now = rota.shifts(store, office(DAY, 0), office(DAY, 23))[0]
    assert now.member_id == rota.member_named(store, c, "XL002") and now.team_id == team_id(store, "XL002")
    kept = rota.swaps_of(store, first.id)
    assert [(k["reason"], k["from_member_id"]) for k in kept] == [("家中有事 (family)", first.member_id)]
    with store.session() as s:
        entry = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "rota.swap")).one()
    assert entry.username == "night_desk" and json.loads(entry.before)["member_id"] == first.member_id


def test_the_week_shows_people_by_hour_the_grids_with_nobody_and_key_periods_short(store, tmp_path):
    import shapely
    from data.patrol.plans import add_plan
    names = members_of(store, "XL001")
    monday = DAY - timedelta(days=DAY.weekday())
    with store.session() as s:
        home = s.scalar(select(m.Team.home_grid_code).where(m.Team.code == "XL001"))
    rows = [[(monday + timedelta(days=d)).isoformat(), "08:00", "20:00", "XL001", names[0], "", ""] for d in range(7)]
    rows += [[DAY.isoformat(), "20:00", "23:00", "XL001", names[1], "", ""]]
    boss = who(store, "rota_chief", ("supervisor", "planner"))
    rota.import_shifts(store, boss, rota.plan_shifts(store, sheet(tmp_path / "r.xlsx", rows)))
    x, y = (float(v) for v in store.projection.lonlat_to_xy(108.385, 30.810))
    pid = add_plan(store, name="夜市街", kind="stakeout", geom=shapely.Point(x, y), by=boss, start_min=20 * 60, end_min=2 * 60,
                   valid_from=monday, team_id=team_id(store, "XL001"), key=True)
    w = rota.week(store, DAY)
    assert w.monday == monday
    k = [t[1] for t in w.teams].index("XL001")
    tue = (DAY - monday).days * 24
    assert w.people[k, tue + 8] == 1 and w.people[k, tue + 7] == 0 and w.people[k, tue + 21] == 1
    g = w.grids.index(home)
    assert w.by_grid[g, tue + 12] == 1
    assert (home, tue + 23, 9) in w.gaps  # Tuesday 23:00 to Wednesday 08:00: nobody in XL001's grid
    assert all(grid in w.grids for grid, _a, _n in w.gaps)
    short = [(a, n) for p, _name, a, n, _k in w.under if p == pid]
    # A key stake-out needs one person on shift. Tuesday 20–23 is covered; the other nights are not,
    # nor Tuesday 23:00–02:00.
    assert (tue + 23, 3) in short and not any(a <= tue + 21 < a + n for a, n in short)
    assert (0 * 24 + 20, 6) in short  # Monday night, 20:00–02:00


def test_the_rota_commands_import_show_the_week_and_who_is_on_and_refuse_with_a_message(store, demo_copy, tmp_path):
    import os
    from data.demo.generator import DEMO_PASSWORD
    store.close()
    env = dict(os.environ, GRIDWATCH_PASSWORD=DEMO_PASSWORD)
    s = open_store(demo_copy)
    try:
        who(s, "rota_chief", ("supervisor",))
        a = members_of(s, "XL001")[0]
    finally:
        s.close()
    f = sheet(tmp_path / "r.xlsx", [["2026-12-15", "08:00", "20:00", "XL001", a, "", ""]])
    run = lambda *args: subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, text=True,  # noqa: E731
                                       env=env, timeout=180)
    dry = run("rota", "import", str(f), "--store", str(demo_copy), "--dry-run", "--as", "rota_chief")
    assert dry.returncode == 0 and "1 shifts would be imported" in dry.stdout, dry.stderr
    done = run("rota", "import", str(f), "--store", str(demo_copy), "--as", "rota_chief")
    assert done.returncode == 0 and "1 shifts imported" in done.stdout, done.stderr
    again = run("rota", "import", str(f), "--store", str(demo_copy), "--as", "rota_chief")
    assert again.returncode == 1 and "nothing was imported" in again.stderr and "Traceback" not in again.stderr
    now = run("rota", "now", "--store", str(demo_copy), "--at", "2026-12-15T12:00", "--json")
    assert now.returncode == 0, now.stderr
    doc = json.loads(now.stdout)
    assert doc["from_rota"] and "XL001" in doc["teams"]
    wk = run("rota", "week", "--store", str(demo_copy), "--week", "2026-12-15", "--json")
    assert wk.returncode == 0 and json.loads(wk.stdout)["shifts"] == 1, wk.stderr
    swap = run("rota", "swap", "999999", "--store", str(demo_copy), "--to", a, "--reason", "x", "--as", "rota_chief")
    assert swap.returncode == 2 and "no shift 999999" in swap.stderr and "Traceback" not in swap.stderr
