"""The ledgers' services (data/ledgers): schedules and escalation at the edges of the interval, masking
and audit for every role, imports that report every bad row and import nothing, visit evidence,
mediation and petition rules, and the demo at the seed's scale. On GeoPackage and PostgreSQL."""

from __future__ import annotations

import json
import os
from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import func, select

from data import accounts as A
from data.domain import LOCAL_TZ, SIX_FOR_ONE
from data.ledgers import imports as LI
from data.ledgers import mediation as M
from data.ledgers import people as P
from data.ledgers import petitions as T
from data.ledgers.rules import (DEFAULT_RULES, id_check_digit, id_number_problem, kind_rules, make_id_number, mask_id_number,
                                mask_name, schedule)
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import open_store
from tests.conftest import DEMO_UNTIL, who
from tests.test_district import _xlsx  # noqa: F401  (test_ledgers_console takes it from here)
from tests.test_migrations import gridwatch

pytestmark = pytest.mark.both_backends

KEEPER, DISPATCHER, SUPERVISOR = "廖雪梅", "刘建平", "谭海"
PASSWORD = "gridwatch"


@pytest.fixture
def store(demo_copy):
    s = open_store(demo_copy)
    yield s
    s.close()


def office_time(day: date, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime.combine(day, time(hh, mm, ss), LOCAL_TZ).astimezone(timezone.utc)


def inside_point(store, code: str = "FS-03") -> tuple[float, float]:
    with store.session() as s:
        g = s.scalars(select(m.Grid.geom).where(m.Grid.code == code)).first()
    p = g.representative_point()
    return p.x, p.y


def person_record(store, kind="correction", risk="medium", since="2026-01-05", serial=901, **extra) -> dict:
    lon, lat = inside_point(store)
    helpers = {r: {"name": f"{r}-人"} for r in DEFAULT_RULES[kind].helpers}
    return dict(kind=kind, name="测试人", id_number=make_id_number("500101", date(1985, 3, 4), serial), risk=risk,
                lon=lon, lat=lat, since_day=since, address="测试路1号", helpers=helpers, **extra)


# --- rules -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(DEFAULT_RULES))
@pytest.mark.parametrize("risk", ["low", "medium", "high"])
def test_the_schedule_at_the_edges_of_the_interval(kind, risk):
    rule = DEFAULT_RULES[kind]
    n, tol = rule.interval_days[risk], rule.tolerance_days
    visited = office_time(date(2026, 3, 10), 16, 45)
    due = date(2026, 3, 10) + timedelta(days=n)
    at = lambda d: schedule(rule, risk, date(2026, 1, 1), None, visited, True, d)
    assert at(due - timedelta(days=3)).state == "ok"
    assert at(due - timedelta(days=2)).state == "due"
    assert at(due).state == "due" and at(due).days_late == 0
    assert at(due + timedelta(days=1)).state == "overdue" and at(due + timedelta(days=1)).days_late == 1
    assert at(due + timedelta(days=tol)).state == "overdue"
    assert at(due + timedelta(days=tol + 1)).state == "lost" and at(due + timedelta(days=tol + 1)).days_late == tol + 1
    # not found at the last visit: out of supervision at once, whatever the day
    assert schedule(rule, risk, date(2026, 1, 1), None, visited, False, date(2026, 3, 11)).state == "lost"
    # no visit yet: counted from the start of supervision; after the end: ended
    assert schedule(rule, risk, date(2026, 3, 10), None, None, True, due).state == "due"
    assert schedule(rule, risk, date(2026, 1, 1), date(2026, 3, 1), visited, True, due + timedelta(days=90)).state == "ended"


def test_id_numbers_are_checked_by_their_check_digit():
    assert id_number_problem("11010519491231002X") is None  # GB 11643's own example
    n = make_id_number("500101", date(1990, 1, 31), 7)
    assert id_number_problem(n) is None and id_check_digit(n[:17]) == n[17]
    wrong = n[:17] + ("0" if n[17] != "0" else "1")
    assert id_number_problem(wrong) == "checksum"
    assert id_number_problem(n[:16] + str((int(n[16]) + 1) % 10) + n[17]) == "checksum"  # one digit mistyped
    assert id_number_problem("500101199002300071") == "birth_date"
    assert id_number_problem("50010119900131") == "format"
    assert mask_id_number(n) == n[:3] + "*" * 11 + n[-4:] and mask_name("欧阳娜娜") == "欧***" and mask_name("张三") == "张*"


def test_an_office_sets_its_own_intervals_and_a_broken_override_is_ignored():
    rules = kind_rules({"ledgers.rules": json.dumps({"mental": {"interval_days": {"low": 60}, "tolerance_days": 2}})})
    assert rules["mental"].interval_days["low"] == 60 and rules["mental"].tolerance_days == 2
    assert rules["mental"].interval_days["high"] == 7  # what was not overridden stays
    assert kind_rules({"ledgers.rules": "{not json"}) == DEFAULT_RULES
    assert kind_rules({"ledgers.rules": json.dumps({"martian": {}})}) == DEFAULT_RULES


# --- the overdue board and escalation --------------------------------------------------------------

def test_the_board_and_escalation_follow_the_office_day_at_the_edges(store):
    keeper = who(store, KEEPER)
    [pid] = P.add_people(store, keeper, [person_record(store, kind="correction", risk="medium")], at=DEMO_UNTIL)
    first = date(2026, 11, 2)
    P.record_visit(store, keeper, pid, t=office_time(first, 10), visitor="测试网格员", now=DEMO_UNTIL)
    n, tol = 14, DEFAULT_RULES["correction"].tolerance_days
    due = first + timedelta(days=n)

    def state(t: datetime) -> str | None:
        rows = [r for r in P.visits_due(store, keeper, t) if r.id == pid]
        return rows[0].schedule.state if rows else None
    assert state(office_time(due - timedelta(days=3), 23, 59, 59)) is None
    assert state(office_time(due - timedelta(days=2), 0, 0)) == "due"
    assert state(office_time(due, 23, 59, 59)) == "due"
    assert state(office_time(due + timedelta(days=1), 0, 0)) == "overdue"
    last_overdue = office_time(due + timedelta(days=tol), 23, 59, 59)
    assert state(last_overdue) == "overdue"
    assert [e for e in P.escalate_lost(store, last_overdue) if e.person_id == pid] == []
    lost_at = office_time(due + timedelta(days=tol + 1), 0, 0)
    assert state(lost_at) == "lost"
    cases_before = _count(store, m.Incident)
    esc = [e for e in P.escalate_lost(store, lost_at) if e.person_id == pid]
    assert len(esc) == 1 and esc[0].due_day == due
    with store.session() as s:
        inc = s.get(m.Incident, esc[0].incident_id)
        assert (inc.category, inc.subcategory, inc.source, inc.priority) == ("special_population", "special_population.lost_contact",
                                                                             "ledger", "high")
        ledger_no = s.get(m.SupervisedPerson, pid).ledger_no
        assert ledger_no in inc.description and "测试人" not in inc.description  # the number, never the name
        assert inc.grid_code == "FS-03"
    # Once per missed visit, whoever looks next (another seat, the cron job, an hour later).
    assert [e for e in P.escalate_lost(store, lost_at + timedelta(hours=1)) if e.person_id == pid] == []
    assert _count(store, m.Incident) >= cases_before + 1
    # A visit that finds the person ends it; one that does not is out of supervision again at once.
    found_at = lost_at + timedelta(hours=3)
    P.record_visit(store, keeper, pid, t=found_at, visitor="测试网格员", now=found_at)
    assert state(found_at) is None
    P.record_visit(store, keeper, pid, t=found_at + timedelta(days=2), visitor="测试网格员", found=False,
                   findings="人不在家，家属称已外出", now=found_at + timedelta(days=2))
    assert state(found_at + timedelta(days=2)) == "lost"
    again = [e for e in P.escalate_lost(store, found_at + timedelta(days=2)) if e.person_id == pid]
    assert len(again) == 1 and again[0].incident_id != esc[0].incident_id


def test_two_seats_escalating_at_once_open_one_case(demo_copy):
    import threading
    stores = [open_store(demo_copy) for _ in range(2)]
    try:
        with stores[0].session() as s:
            lost_before = s.scalar(select(func.count()).select_from(m.PersonEscalation))
        at = DEMO_UNTIL + timedelta(minutes=5)
        results, barrier = [], threading.Barrier(2)

        def seat(st):
            barrier.wait()
            results.append(P.escalate_lost(st, at))
        threads = [threading.Thread(target=seat, args=(st,)) for st in stores]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        opened = [e for r in results for e in r]
        with stores[0].session() as s:
            rows = s.scalars(select(m.PersonEscalation)).all()
        assert len(opened) >= 1 and len(rows) == lost_before + len(opened)
        assert len({(r.person_id, r.due_day) for r in rows}) == len(rows)
        assert len({e.incident_id for e in opened}) == len(opened)
    finally:
        for st in stores:
            st.close()


def _count(store, model) -> int:
    with store.session() as s:
        return s.scalar(select(func.count()).select_from(model))


# --- masking and audit, for each role --------------------------------------------------------------

ROLES = {"admin": None, "冉小东": None, "访客": None, DISPATCHER: "masked", SUPERVISOR: "personal", KEEPER: "personal"}


@pytest.mark.parametrize("name", list(ROLES))
def test_each_role_reads_what_it_may_and_every_reading_is_audited(store, name):
    reader = who(store, name)
    expect = ROLES[name]
    audits = _count(store, m.AuditEntry)
    if expect is None:  # administrators, planners and viewers: counts on the map, nothing else
        for read in (lambda: P.people(store, reader, now=DEMO_UNTIL), lambda: P.person(store, reader, 1, DEMO_UNTIL),
                     lambda: M.mediations(store, reader, now=DEMO_UNTIL), lambda: T.petitions(store, reader, now=DEMO_UNTIL),
                     lambda: P.visits_due(store, reader, DEMO_UNTIL)):
            with pytest.raises(A.AuthError) as exc:
                read()
            assert exc.value.code == "auth.forbidden"
        assert _count(store, m.AuditEntry) == audits
        counts = P.grid_counts(store, DEMO_UNTIL)
        assert counts and all(isinstance(c.people, int) and isinstance(c.grid_code, str) for c in counts.values())
        return
    with store.session() as s:
        real = {p.id: p for p in s.scalars(select(m.SupervisedPerson))}
        relatives = {h.person_id: h.name for h in s.scalars(select(m.PersonHelper).where(m.PersonHelper.role == "relative"))}
    rows = P.people(store, reader, now=DEMO_UNTIL)
    assert len(rows) == len(real)
    for r in rows:
        p = real[r.id]
        if expect == "personal":
            assert (r.name, r.id_number, r.address, r.masked) == (p.name, p.id_number, p.address, False) and r.lon == p.lon
        else:
            assert r.masked and r.name == mask_name(p.name) and r.id_number == mask_id_number(p.id_number)
            assert r.address == "" and r.lon is None and r.lat is None and p.name not in repr(r)
            assert r.helper("relative") is None or r.helper("relative").name == mask_name(relatives[r.id])
    detail = P.person(store, reader, rows[0].id, DEMO_UNTIL)
    assert detail.person.masked == (expect == "masked") and detail.visits
    meds = M.mediations(store, reader, now=DEMO_UNTIL)
    pets = T.petitions(store, reader, now=DEMO_UNTIL)
    with store.session() as s:
        real_parties = set(json.loads(s.scalars(select(m.Mediation.parties)).first()))
        petitioners = set(s.scalars(select(m.Petition.petitioner)))
    shown_parties = {n for r in meds for n in r.parties}
    assert bool(real_parties & shown_parties) == (expect == "personal")
    assert bool(petitioners & {r.petitioner for r in pets}) == (expect == "personal")
    with store.session() as s:
        new = s.scalars(select(m.AuditEntry).where(m.AuditEntry.id > audits).order_by(m.AuditEntry.id)).all()
    assert [e.action for e in new] == ["ledgers.read", "person.read", "mediation.read", "petitions.read"]
    assert all(e.username == reader.username and json.loads(e.after)["personal"] == (expect == "personal") for e in new)
    assert new[1].object_id == str(rows[0].id)


def test_a_community_scoped_account_reads_only_its_communities(store):
    admin = who(store, "admin")
    A.add_account(store, admin, "scoped", "社区专干", PASSWORD, ("ledger_keeper",), communities=[1], must_change=False)
    scoped = A.sign_in(store, "scoped", PASSWORD)
    rows = P.people(store, scoped, now=DEMO_UNTIL)
    assert rows and {r.community_id for r in rows} == {1}
    other = next(r for r in P.people(store, who(store, KEEPER), now=DEMO_UNTIL) if r.community_id != 1)
    with pytest.raises(GridWatchError):
        P.person(store, scoped, other.id, DEMO_UNTIL)


def test_an_export_carries_the_ledgers_only_for_a_role_that_may_read_them(demo_copy, tmp_path):
    from data.store.transfer import export_geopackage
    st = open_store(demo_copy)
    try:
        dispatcher, keeper = who(st, DISPATCHER), who(st, KEEPER)
        people = _count(st, m.SupervisedPerson)
    finally:
        st.close()
    for name, by, expect in (("nobody", None, 0), ("dispatcher", dispatcher, 0), ("keeper", keeper, people)):
        out = tmp_path / f"{name}.gpkg"
        report = export_geopackage(str(demo_copy), out, by=by)
        assert bool(report.left_out) == (expect == 0)
        ex = open_store(out)
        try:
            assert _count(ex, m.SupervisedPerson) == expect and (_count(ex, m.Visit) > 0) == (expect > 0)
            assert _count(ex, m.Incident) > 0  # everything else went
        finally:
            ex.close()
    st = open_store(demo_copy)
    try:
        with st.session() as s:
            e = s.scalars(select(m.AuditEntry).where(m.AuditEntry.action == "ledgers.export")).all()
        assert len(e) == 1 and e[0].username == KEEPER and json.loads(e[0].after)["rows"]["supervised_people"] == people
    finally:
        st.close()
    r = gridwatch("export", "--store", str(demo_copy), "--out", str(tmp_path / "cli.gpkg"))
    assert r.returncode == 0 and "ledgers" in r.stderr and "left out" in r.stderr


# --- imports ---------------------------------------------------------------------------------------

PEOPLE_HEADER = ["姓名", "身份证号", "人员类别", "风险等级", "经度", "纬度", "纳入管理日期", "驻村/居领导", "综治干部", "社区民警",
                 "社区领导", "直系亲属", "社区志愿者", "网格员"]


def _people_row(store, name, number, lon=None, lat=None, **over):
    x, y = inside_point(store)
    with store.session() as s:
        worker = s.scalars(select(m.Member.name).join(m.Team, m.Team.id == m.Member.team_id)
                           .where(m.Team.kind == "grid_worker")).first()
    row = {"姓名": name, "身份证号": number, "人员类别": "社区矫正", "风险等级": "中风险", "经度": lon or x, "纬度": lat or y,
           "纳入管理日期": "2026-06-01", "驻村/居领导": KEEPER, "综治干部": KEEPER, "社区民警": "民警甲", "社区领导": KEEPER,
           "直系亲属": name[0] + "某", "社区志愿者": "志愿者乙", "网格员": worker}
    row.update(over)
    return [row[h] for h in PEOPLE_HEADER]


def test_a_people_import_reports_every_bad_row_and_imports_nothing(store, tmp_path):
    keeper = who(store, KEEPER)
    with store.session() as s:
        taken = s.scalars(select(m.SupervisedPerson.id_number)).first()
    good = make_id_number("500101", date(1979, 8, 8), 311)
    bad_digit = good[:17] + ("1" if good[17] != "1" else "2")
    rows = [_people_row(store, "甲一", good),
            _people_row(store, "乙二", bad_digit),
            _people_row(store, "丙三", good),  # the same number again in the file
            _people_row(store, "丁四", taken),  # already on the ledger
            _people_row(store, "戊五", make_id_number("500101", date(1980, 1, 1), 312), lon=100.0, lat=30.0),
            _people_row(store, "己六", make_id_number("500101", date(1980, 1, 2), 313), **{"网格员": "查无此人"}),
            _people_row(store, "庚七", make_id_number("500101", date(1980, 1, 3), 314), **{"直系亲属": None})]
    path = _xlsx(tmp_path / "people.xlsx", PEOPLE_HEADER, rows)
    before = _count(store, m.SupervisedPerson)
    plan = LI.plan_people(store, path)
    codes = sorted((p.fields.get("row"), p.code) for p in plan.problems)
    assert codes == [(3, "row.id_checksum"), (4, "row.duplicate"), (5, "row.id_in_store"), (6, "row.outside_district"),
                     (7, "row.unknown_helper"), (8, "row.helpers_missing")]
    assert plan.records == [] and not plan.ok
    with pytest.raises(GridWatchError):
        LI.commit(store, keeper, plan)
    assert _count(store, m.SupervisedPerson) == before
    masked = next(p for p in plan.problems if p.code == "row.id_in_store")
    assert taken not in masked.text("en")  # a refusal does not print someone's number
    env = dict(os.environ, GRIDWATCH_PASSWORD=PASSWORD)
    import subprocess
    import sys
    r = subprocess.run([sys.executable, "-m", "console.cli", "ledgers", "import", "people", str(path), "--store", str(store.label),
                        "--as", KEEPER], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 1 and "row 8" in r.stderr and "nothing was imported" in r.stderr and "Traceback" not in r.stderr
    assert _count(store, m.SupervisedPerson) == before
    ok = _xlsx(tmp_path / "ok.xlsx", PEOPLE_HEADER, [rows[0]])
    plan = LI.plan_people(store, ok)
    assert plan.ok and LI.commit(store, keeper, plan) == 1
    with store.session() as s:
        p = s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.id_number == good)).one()
        helpers = {h.role: h for h in s.scalars(select(m.PersonHelper).where(m.PersonHelper.person_id == p.id))}
    assert set(SIX_FOR_ONE) <= set(helpers) and helpers["grid_worker"].team_id is not None and p.grid_code == "FS-03"


def test_a_visit_log_with_a_future_visit_or_a_stranger_imports_nothing(store, tmp_path):
    keeper = who(store, KEEPER)
    with store.session() as s:
        p = s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.kind == "correction")).first()
        worker = s.scalar(select(m.PersonHelper.name).where(m.PersonHelper.person_id == p.id, m.PersonHelper.role == "grid_worker"))
    header = ["档案编号", "走访时间", "走访人", "是否见到本人", "走访情况"]
    local = DEMO_UNTIL.astimezone(LOCAL_TZ)
    rows = [[p.ledger_no, (local - timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"), worker, "是", "在家"],
            [p.ledger_no, (local + timedelta(days=1)).strftime("%Y-%m-%d %H:%M"), worker, "是", "明天的走访"],
            ["ZD-99999", "2026-11-20 10:00", worker, "是", ""],
            [p.id_number, "2026-11-21 10:00", "路人甲", "是", ""],
            [p.ledger_no, "2001-01-01 10:00", worker, "是", "监管开始之前"],
            [p.ledger_no, "2026-11-22 25:00", worker, "是", ""]]
    path = _xlsx(tmp_path / "visits.xlsx", header, rows)
    before = _count(store, m.Visit)
    plan = LI.plan_visits(store, path, now=DEMO_UNTIL)
    assert sorted((x.fields["row"], x.code) for x in plan.problems) == [
        (3, "row.in_future"), (4, "row.unknown_person"), (5, "row.not_a_helper"), (6, "row.before_supervision"), (7, "row.bad_datetime")]
    assert plan.records == []
    assert _count(store, m.Visit) == before
    good = LI.plan_visits(store, _xlsx(tmp_path / "ok.xlsx", header, rows[:1]), now=DEMO_UNTIL)
    assert good.ok and LI.commit(store, keeper, good, now=DEMO_UNTIL) == 1 and _count(store, m.Visit) == before + 1


# --- visits: evidence, follow-up cases --------------------------------------------------------------

def test_a_trackers_fix_near_the_home_is_the_visits_evidence(store):
    keeper = who(store, KEEPER)
    with store.session() as s:
        p = s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.kind == "correction")).first()
        h = s.scalars(select(m.PersonHelper).where(m.PersonHelper.person_id == p.id, m.PersonHelper.role == "grid_worker")).one()
        device = s.scalar(select(m.TrackerDevice.device_id).where(m.TrackerDevice.team_id == h.team_id))
    at = DEMO_UNTIL - timedelta(minutes=30)
    x, y = store.projection.lonlat_to_xy(p.lon, p.lat)
    near_lon, near_lat = store.projection.xy_to_lonlat(float(x) + 40, float(y))
    with store.session() as s:
        s.add(m.Fix(device_id=device, team_id=h.team_id, t=at - timedelta(minutes=10), lon=float(near_lon), lat=float(near_lat),
                    received_at=at))
        s.commit()
    near = P.record_visit(store, keeper, p.id, t=at, helper_id=h.id, now=DEMO_UNTIL)
    assert near.evidence_m is not None and 35 <= near.evidence_m <= 45
    # an hour and a half later the fix is outside the window: no evidence (recorded all the same)
    later = P.record_visit(store, keeper, p.id, t=at + timedelta(minutes=90), helper_id=h.id, now=DEMO_UNTIL + timedelta(hours=2))
    assert later.evidence_m is None
    with pytest.raises(GridWatchError) as exc:
        P.record_visit(store, keeper, p.id, t=DEMO_UNTIL + timedelta(hours=1), helper_id=h.id, now=DEMO_UNTIL)
    assert exc.value.code == "ledger.visit_in_future"


def test_a_follow_up_case_and_its_visit_are_written_together_or_not_at_all(store):
    keeper, dispatcher = who(store, KEEPER), who(store, DISPATCHER)
    with store.session() as s:
        p = s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.kind == "mental")).first()
        other = s.scalars(select(m.PersonHelper).where(m.PersonHelper.person_id != p.id)).first()
    incidents, visits = _count(store, m.Incident), _count(store, m.Visit)
    with pytest.raises(GridWatchError) as exc:  # someone else's helper: neither the case nor the visit
        P.record_visit(store, keeper, p.id, t=DEMO_UNTIL - timedelta(hours=1), helper_id=other.id, follow_up="复诊",
                       open_case=dict(subcategory="special_population.mental"), now=DEMO_UNTIL)
    assert exc.value.code == "ledger.not_a_helper"
    assert (_count(store, m.Incident), _count(store, m.Visit)) == (incidents, visits)
    res = P.record_visit(store, keeper, p.id, t=DEMO_UNTIL - timedelta(hours=1), visitor="社区书记", follow_up="停药两周，需送医复诊",
                         open_case=dict(subcategory="special_population.mental", priority="high"), now=DEMO_UNTIL)
    assert res.case_no and (_count(store, m.Incident), _count(store, m.Visit)) == (incidents + 1, visits + 1)
    with store.session() as s:
        assert s.get(m.Visit, res.visit_id).incident_id == res.incident_id
    with pytest.raises(A.AuthError):  # a dispatcher reads the board but does not record visits
        P.record_visit(store, dispatcher, p.id, t=DEMO_UNTIL, visitor="x", now=DEMO_UNTIL)


# --- mediation and petitions -----------------------------------------------------------------------

def test_mediation_rules_and_its_rates(store):
    from data.cases.dispatch import create_incident
    keeper, dispatcher = who(store, KEEPER), who(store, DISPATCHER)
    lon, lat = inside_point(store)
    day = DEMO_UNTIL.astimezone(LOCAL_TZ).date()
    dispute = create_incident(store, category="dispute", subcategory="dispute.neighbour", priority="normal", source="walk_in",
                              lon=lon, lat=lat, actor=dispatcher, at=DEMO_UNTIL)
    fire = create_incident(store, category="fire", subcategory="fire.corridor", priority="normal", source="walk_in",
                           lon=lon, lat=lat, actor=dispatcher, at=DEMO_UNTIL)
    with pytest.raises(GridWatchError) as exc:
        M.open_mediation(store, keeper, fire.id, ["甲"], ["调解员"], at=DEMO_UNTIL)
    assert exc.value.code == "mediation.not_a_dispute"
    mid = M.open_mediation(store, keeper, dispute.id, ["张某", "李某"], ["调解员王"], at=DEMO_UNTIL)
    with pytest.raises(GridWatchError) as exc:
        M.open_mediation(store, keeper, dispute.id, ["张某"], ["调解员王"], at=DEMO_UNTIL)
    assert exc.value.code == "mediation.exists"
    M.add_session(store, keeper, mid, day, "调解员王", "背靠背调解", at=DEMO_UNTIL)
    with pytest.raises(GridWatchError) as exc:
        M.conclude(store, keeper, mid, True, "", day, at=DEMO_UNTIL)
    assert exc.value.code == "mediation.needs_reference"
    stats_before = M.mediation_stats(store, day, day + timedelta(days=1))
    M.conclude(store, keeper, mid, True, "高调协字〔2026〕第9001号", day, at=DEMO_UNTIL)
    stats = M.mediation_stats(store, day, day + timedelta(days=1))
    assert (stats.concluded, stats.agreed) == (stats_before.concluded + 1, stats_before.agreed + 1)
    with pytest.raises(GridWatchError) as exc:
        M.follow_up(store, keeper, mid, False, day + timedelta(days=29), at=DEMO_UNTIL + timedelta(days=29))
    assert exc.value.code == "mediation.follow_up_early"
    M.follow_up(store, keeper, mid, True, day + timedelta(days=30), at=DEMO_UNTIL + timedelta(days=30))
    stats = M.mediation_stats(store, day, day + timedelta(days=1))
    assert stats.recurred == stats_before.recurred + 1 and stats.recurrence_rate == stats.recurred / stats.followed_up
    row = next(r for r in M.mediations(store, keeper, now=DEMO_UNTIL) if r.id == mid)
    assert (row.outcome, row.sessions, row.recurred, row.parties) == ("agreed", 1, True, ("张某", "李某"))


def test_petitions_need_their_five_plus_one_and_zero_reports_are_missing_from_noon(store):
    keeper = who(store, KEEPER)
    day = DEMO_UNTIL.astimezone(LOCAL_TZ).date()
    five = {"party_leader": "何涛", "official": "罗静", "cadre": "张桂", "police": "民警甲", "informant": "信息员乙"}
    with pytest.raises(GridWatchError) as exc:
        T.add_petition(store, keeper, petitioner="赵某", subject="补偿", responsibles={**five, "informant": ""},
                       working_group="专班", opened_day=day, at=DEMO_UNTIL)
    assert exc.value.code == "petition.incomplete"
    pid = T.add_petition(store, keeper, petitioner="赵某", subject="补偿", responsibles=five, working_group="补偿工作专班",
                         opened_day=day, at=DEMO_UNTIL)
    mine = lambda t: [r for r in T.zero_report_status(store, keeper, day, now=t) if r.petition_id == pid]
    assert len(mine(office_time(day, 11, 59, 59))) == 5 and not any(r.missing for r in mine(office_time(day, 11, 59, 59)))
    assert all(r.missing for r in mine(office_time(day, 12, 0)))
    first = mine(office_time(day, 12, 0))[0]
    T.submit_zero_reports(store, keeper, [dict(responsible_id=first.responsible_id, day=day, nothing=True)], at=office_time(day, 12, 5))
    after = {r.responsible_id: r for r in mine(office_time(day, 12, 10))}
    assert after[first.responsible_id].submitted and not after[first.responsible_id].missing
    assert sum(r.missing for r in after.values()) == 4
    for bad, code in (([dict(responsible_id=first.responsible_id, day=day, nothing=True)], "petition.already_reported"),
                      ([dict(responsible_id=first.responsible_id, day=day + timedelta(days=1), nothing=True)], "petition.future_day"),
                      ([dict(responsible_id=first.responsible_id, day=day - timedelta(days=1), nothing=False, report="")],
                       "ledger.bad_value")):
        with pytest.raises(GridWatchError) as exc:
            T.submit_zero_reports(store, keeper, bad, at=office_time(day, 12, 20))
        assert exc.value.code == code


# --- the demo --------------------------------------------------------------------------------------

def test_the_demo_keeps_its_ledgers_at_the_seeds_scale_and_rates(store):
    s_ = store  # a copy: signing in and reading the ledgers write audit rows, and the shared demo stays as made
    keeper = who(s_, KEEPER)
    year_ago = DEMO_UNTIL - timedelta(days=365)
    with s_.session() as s:
        visits = s.scalar(select(func.count()).select_from(m.Visit).where(m.Visit.t > year_ago))
        outcomes = s.execute(select(m.Mediation.outcome, func.count()).group_by(m.Mediation.outcome)).all()
        kinds = dict(s.execute(select(m.SupervisedPerson.kind, func.count()).group_by(m.SupervisedPerson.kind)).all())
        six = s.execute(select(m.PersonHelper.person_id, func.count()).join(
            m.SupervisedPerson, m.SupervisedPerson.id == m.PersonHelper.person_id).where(
            m.SupervisedPerson.kind.in_(["correction", "drug_rehab"]), m.PersonHelper.role.in_(SIX_FOR_ONE))
            .group_by(m.PersonHelper.person_id)).all()
    assert 1200 <= visits <= 1500  # the seed's office: 1,337 visit records a year
    by = dict(outcomes)
    assert 780 <= sum(by.values()) <= 900 and 0.95 <= by["agreed"] / sum(by.values()) <= 1.0  # 856 disputes, 98% mediated
    assert len(six) == kinds["correction"] + kinds["drug_rehab"] and all(n == 6 for _pid, n in six)  # 六对一, none without
    board = P.visits_due(s_, keeper, DEMO_UNTIL)
    states = [r.schedule.state for r in board]
    assert states.count("lost") == 1 and states.count("overdue") >= 2  # a few to chase right now
    zero = T.zero_report_status(s_, keeper, now=DEMO_UNTIL.astimezone(LOCAL_TZ).replace(hour=14).astimezone(timezone.utc))
    assert sum(r.missing for r in zero) == 3 and len(zero) == 5 * kinds["petitioner"]


# --- the command line ------------------------------------------------------------------------------

def test_visits_due_for_a_cron_job_is_masked_and_escalates_once(store):
    at = DEMO_UNTIL.astimezone(LOCAL_TZ).strftime("%Y-%m-%dT%H:%M")
    r = gridwatch("visits", "due", "--store", str(store.label), "--at", at, "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["masked"] and doc["counts"]["lost"] == 1 and len(doc["escalated"]) == 1
    with store.session() as s:
        names = set(s.scalars(select(m.SupervisedPerson.name)))
    assert not names & {p["name"] for p in doc["people"]} and all("*" in p["name"] for p in doc["people"])
    again = json.loads(gridwatch("visits", "due", "--store", str(store.label), "--at", at, "--json").stdout)
    assert again["escalated"] == [] and again["counts"] == doc["counts"]
    text = gridwatch("visits", "due", "--store", str(store.label), "--at", at, "--no-escalate")
    assert text.returncode == 0 and "1 脱管 out of supervision" in text.stdout
    import subprocess
    import sys
    bad = subprocess.run([sys.executable, "-m", "console.cli", "visits", "due", "--store", str(store.label), "--as", "nobody-here"],
                         capture_output=True, text=True, env=dict(os.environ, GRIDWATCH_PASSWORD="x"), timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.strip()


def test_the_indicators_carry_the_mediation_ledgers_rates(store):
    import subprocess
    import sys
    env = dict(os.environ, GRIDWATCH_PASSWORD=PASSWORD)
    r = subprocess.run([sys.executable, "-m", "console.cli", "indicators", "--store", str(store.label), "--from", "2026-10-01",
                        "--to", "2026-11-01", "--json", "--as", SUPERVISOR], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)["mediation_ledger"]
    want = M.mediation_stats(store, date(2026, 10, 1), date(2026, 11, 1))
    assert got["concluded"] == want.concluded > 0 and got["success_rate"] == want.success_rate
    assert got["recurrence_rate"] == want.recurrence_rate and got["sweeps_planned"] == want.sweeps_planned > 0


def test_visits_and_zero_reports_are_never_rewritten(store):
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError
    for table in ("visits", "zero_reports"):
        for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            with pytest.raises(DBAPIError, match="append-only"):
                with store.engine.begin() as conn:
                    conn.execute(text(sql))
    assert _count(store, m.Visit) > 1000 and _count(store, m.ZeroReport) > 1000


def test_a_persons_risk_and_end_of_supervision_change_the_schedule(store):
    keeper, dispatcher = who(store, KEEPER), who(store, DISPATCHER)
    [pid] = P.add_people(store, keeper, [person_record(store, kind="released", risk="low", serial=905, since="2026-06-01")],
                         at=DEMO_UNTIL)
    row = lambda: next(r for r in P.people(store, keeper, now=DEMO_UNTIL, include_ended=True) if r.id == pid)
    assert row().schedule.due_day == date(2026, 6, 1) + timedelta(days=90)
    P.update_person(store, keeper, pid, risk="medium", at=DEMO_UNTIL)
    assert row().schedule.due_day == date(2026, 6, 1) + timedelta(days=30) and row().schedule.state == "lost"
    with pytest.raises(GridWatchError) as exc:
        P.update_person(store, keeper, pid, until_day=date(2026, 5, 31), at=DEMO_UNTIL)
    assert exc.value.code == "ledger.visit_before_supervision"
    with pytest.raises(A.AuthError):
        P.update_person(store, dispatcher, pid, risk="high", at=DEMO_UNTIL)
    P.update_person(store, keeper, pid, until_day=date(2026, 11, 1), at=DEMO_UNTIL)
    assert row().schedule.state == "ended" and pid not in [r.id for r in P.visits_due(store, keeper, DEMO_UNTIL)]
    assert [e for e in P.escalate_lost(store, DEMO_UNTIL) if e.person_id == pid] == []  # ended: nobody to chase
    P.update_person(store, keeper, pid, until_day=None, at=DEMO_UNTIL)  # resumed
    assert row().schedule.state == "lost"
