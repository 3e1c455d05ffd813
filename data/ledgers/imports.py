"""The ledgers from Excel: people under supervision (with their responsible persons in columns) and
visit logs. Read and checked with the rosters' machinery (data/district/rosters.py: one definition
per sheet serves the template, the reader and the checks), then checked against the store: an ID
number already on the ledger, an address outside the district, a responsible person who is not one
of the office's people, a helper a kind needs missing, a visit in the future or before supervision
began, a visitor who is not one of that person's responsible persons. Every bad row is reported;
a file with any bad row imports nothing.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Mapping

import numpy as np
from sqlalchemy import select

from data.accounts import Principal, require
from data.district.coords import to_true
from data.district.rosters import ImportPlan, Roster, RosterField, Sheet, check_rows, read_sheet, write_template
from data.domain import HELPER_ROLES, LOCAL_TZ, OFFICE_HELPER_ROLES, PERSON_KINDS, RISK_LEVELS
from data.ledgers.people import CLOCK_SLACK, _locate_many, add_people, record_visits
from data.ledgers.rules import kind_rules, mask_id_number, office_day
from data.messages import GridWatchError, Message
from data.store import models as m
from data.store.core import Store

LEDGER_ROSTERS: dict[str, Roster] = {r.kind: r for r in (
    Roster("people", ("id_number",), (
        RosterField("ledger_no", "档案编号", "Ledger number", aliases=("编号", "ledger_no"), example="ZD-00001"),
        RosterField("name", "姓名", "Name", required=True, aliases=("name",), example="张三"),
        RosterField("id_number", "身份证号", "ID number", "id_number", required=True,
                    aliases=("身份证号码", "公民身份号码", "证件号码", "id_number"), example="11010519491231002X"),
        RosterField("kind", "人员类别", "Kind", "choice", required=True, choices=PERSON_KINDS, aliases=("类别", "kind"), example="社区矫正"),
        RosterField("risk", "风险等级", "Risk", "choice", required=True, choices=RISK_LEVELS, aliases=("风险", "risk"), example="低风险"),
        RosterField("phone", "联系电话", "Phone", "phone", aliases=("电话", "手机", "phone"), example="13800000000"),
        RosterField("address", "居住地址", "Address", aliases=("地址", "住址", "address"), example="高笋塘街道白岩路12号"),
        RosterField("lon", "经度", "Longitude", "lon", required=True, aliases=("lon", "lng", "x"), example=108.3801),
        RosterField("lat", "纬度", "Latitude", "lat", required=True, aliases=("lat", "y"), example=30.8102),
        RosterField("since_day", "纳入管理日期", "Under supervision since", "date", required=True,
                    aliases=("起始日期", "开始日期", "since"), example="2026-01-15"),
        RosterField("until_day", "解除日期", "Until", "date", aliases=("结束日期", "until"), example=""),
        *(RosterField(f"helper.{code}", t.zh, t.en, aliases=(code,), example="") for code, t in HELPER_ROLES.items()),
        RosterField("note", "备注", "Note", aliases=("note",), example=""),
    )),
    Roster("visits", ("person", "t"), (
        RosterField("person", "档案编号或身份证号", "Ledger number or ID number", required=True,
                    aliases=("档案编号", "身份证号", "被走访人", "person"), example="ZD-00001"),
        RosterField("t", "走访时间", "Visited at", "datetime", required=True, aliases=("时间", "走访日期", "t"), example="2026-03-05 09:30"),
        RosterField("visitor", "走访人", "Visitor", required=True, aliases=("走访人员", "visitor"), example="王伟"),
        RosterField("found", "是否见到本人", "Person found", "bool", aliases=("见到本人", "found"), example="是"),
        RosterField("findings", "走访情况", "Findings", aliases=("情况", "findings"), example="在家，情绪稳定"),
        RosterField("follow_up", "后续事项", "Follow-up", aliases=("后续", "follow_up"), example=""),
    )),
)}




def write_ledger_template(kind: str, out: str | Path, lang: str = "zh") -> Path:
    if kind not in LEDGER_ROSTERS:
        raise GridWatchError("import.unknown_kind", kind=kind)
    return write_template(LEDGER_ROSTERS[kind], out, lang)


def _office_names(store: Store) -> dict[str, int | None]:
    """The office's own people by name -> their team (members) or None (staff, accounts)."""
    with store.session() as s:
        names: dict[str, int | None] = {n: None for n in s.scalars(select(m.Staff.name))}
        names.update({n: None for n in s.scalars(select(m.Account.display_name))})
        for name, team in s.execute(select(m.Member.name, m.Member.team_id).order_by(m.Member.id)):
            names.setdefault(name, team)
            if names[name] is None:
                names[name] = team
    return names


def plan_people(store: Store, path: str | Path, *, coords: str = "wgs84", mapping: Mapping[str, str] | None = None,
                sheet: Sheet | None = None) -> ImportPlan:
    roster = LEDGER_ROSTERS["people"]
    sheet = sheet or read_sheet(path)
    checked = check_rows(roster, sheet, mapping=mapping)
    plan = ImportPlan("people", sheet.file.name, [], list(checked.problems))
    header = {key: sheet.header[k] for key, k in checked.columns.items()}
    recs, rows = checked.records, checked.row_numbers
    if recs:
        lon, lat = to_true([r["lon"] for r in recs], [r["lat"] for r in recs], coords)
        for r, a, b in zip(recs, np.asarray(lon, float), np.asarray(lat, float)):
            r["lon"], r["lat"] = float(a), float(b)
    _codes, _comms, inside = _locate_many(store, [r["lon"] for r in recs], [r["lat"] for r in recs]) if recs else ([], [], [])
    with store.session() as s:
        known = dict(s.execute(select(m.SupervisedPerson.id_number, m.SupervisedPerson.ledger_no)).all())
    office = _office_names(store)
    rules = kind_rules(store.meta)
    for rec, n, ok in zip(recs, rows, inside):
        bad = False
        if rec["id_number"] in known:
            plan.problems.append(Message("row.id_in_store", {"row": n, "column": header["id_number"],
                                                             "value": mask_id_number(rec["id_number"]), "ledger_no": known[rec["id_number"]]}))
            bad = True
        if not ok:
            plan.problems.append(Message("row.outside_district", {"row": n, "lon": f"{rec['lon']:.6f}", "lat": f"{rec['lat']:.6f}"}))
            bad = True
        helpers = {}
        for role in HELPER_ROLES:
            name = rec.pop(f"helper.{role}", None)
            if not name:
                continue
            if role in OFFICE_HELPER_ROLES and name not in office:
                plan.problems.append(Message("row.unknown_helper", {"row": n, "column": header[f"helper.{role}"], "value": name}))
                bad = True
            helpers[role] = {"name": name, "team_id": office.get(name)}
        missing = [r for r in rules[rec["kind"]].helpers if r not in helpers]
        if missing:
            plan.problems.append(Message("row.helpers_missing", {"row": n, "helper_roles": missing, "person_kind": rec["kind"]}))
            bad = True
        if bad:
            continue
        rec["helpers"] = helpers
        rec["since_day"] = rec["since_day"].isoformat()
        rec["until_day"] = rec["until_day"].isoformat() if rec.get("until_day") else None
        plan.records.append(rec)
    if plan.problems:
        plan.records = []
    return plan


def plan_visits(store: Store, path: str | Path, *, now: datetime | None = None, mapping: Mapping[str, str] | None = None,
                sheet: Sheet | None = None) -> ImportPlan:
    now = now or datetime.now(timezone.utc)
    roster = LEDGER_ROSTERS["visits"]
    sheet = sheet or read_sheet(path)
    checked = check_rows(roster, sheet, mapping=mapping)
    plan = ImportPlan("visits", sheet.file.name, [], list(checked.problems))
    header = {key: sheet.header[k] for key, k in checked.columns.items()}
    with store.session() as s:
        persons = s.scalars(select(m.SupervisedPerson)).all()
        by_key = {p.ledger_no: p for p in persons} | {p.id_number: p for p in persons}
        helpers: dict[int, dict[str, int]] = {}
        for h in s.scalars(select(m.PersonHelper)):
            helpers.setdefault(h.person_id, {})[h.name] = h.id
    for rec, n in zip(checked.records, checked.row_numbers):
        p = by_key.get(str(rec["person"]).strip().upper()) or by_key.get(str(rec["person"]).strip())
        if p is None:
            plan.problems.append(Message("row.unknown_person", {"row": n, "column": header["person"], "value": rec["person"]}))
            continue
        t = rec["t"]
        shown = t.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        if t > now + CLOCK_SLACK:
            plan.problems.append(Message("row.in_future", {"row": n, "column": header["t"], "value": shown}))
            continue
        if office_day(t).isoformat() < p.since_day:
            plan.problems.append(Message("row.before_supervision", {"row": n, "column": header["t"], "value": shown, "since": p.since_day}))
            continue
        hid = helpers.get(p.id, {}).get(rec["visitor"])
        if hid is None:
            plan.problems.append(Message("row.not_a_helper", {"row": n, "column": header["visitor"], "value": rec["visitor"]}))
            continue
        plan.records.append(dict(person_id=p.id, t=t, helper_id=hid, found=True if rec.get("found") is None else rec["found"],
                                 findings=rec.get("findings") or "", follow_up=rec.get("follow_up") or ""))
    if plan.problems:
        plan.records = []
    return plan


def commit(store: Store, by: Principal, plan: ImportPlan, now: datetime | None = None) -> int:
    """Write a plan with no problems, all rows in one transaction (the services check again)."""
    require(by, "ledgers.edit" if plan.kind == "people" else "visits.record")
    if plan.problems:
        raise GridWatchError("import.bad_features", file=plan.file, count=len(plan.problems))
    if not plan.records:
        raise GridWatchError("import.empty", file=plan.file)
    if plan.kind == "people":
        return len(add_people(store, by, plan.records, at=now, source=plan.file))
    return len(record_visits(store, by, plan.records, now=now, source=plan.file))
