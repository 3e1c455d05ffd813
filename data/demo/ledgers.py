"""The demo office's ledgers, at the seed's scale and rates, written through the ledger services as
the office's ledger keeper (综治专干) would: about 100 people under supervision (correction and drug
rehabilitation with their 六对一), a year of visits (about 1,337) at their kinds' intervals with a few
overdue right now and one person out of supervision, a mediation record for every dispute case
(98% agreed, a few recurring), monthly sweeps per grid (a few of this month's late), and the long-standing petitions under 5+1 with
their contacts and zero-reports (three of today's not in yet).

Its own random stream (seed + 1500): the district, teams and cases stay what they were.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import numpy as np
from sqlalchemy import select

from data.domain import LOCAL_TZ
from data.ledgers import mediation as med
from data.ledgers import petitions as pet
from data.ledgers.people import add_people, record_visits
from data.ledgers.rules import DEFAULT_RULES, make_id_number, office_day
from data.store import models as m
from data.store.core import Store

LEDGER_KEEPER = "廖雪梅"  # the demo's 综治专干 (data/demo/generator.STAFF)
# People under supervision by kind, and their risk mix (low, medium, high).
PEOPLE = {"correction": (22, (0.65, 0.25, 0.10)), "drug_rehab": (14, (0.7, 0.2, 0.1)), "mental": (30, (0.62, 0.23, 0.15)),
          "released": (30, (0.8, 0.2, 0.0)), "petitioner": (8, (0.75, 0.25, 0.0))}
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国志强玉兰红梅海燕春燕德明文斌晓东丽娟小红永强思远"
SUBJECTS = ("征地补偿标准争议", "房屋拆迁安置诉求", "劳动报酬拖欠", "医疗纠纷赔偿", "退役安置待遇", "企业改制职工身份",
            "邻里采光权纠纷", "低保资格认定")
LEADERS = ("街道党工委副书记 何涛", "街道办副主任 罗静", "街道人大工委主任 邓勇", "街道党工委委员 许华")


def _name(rng: np.random.Generator, surname: str | None = None) -> str:
    s = surname or SURNAMES[int(rng.integers(len(SURNAMES)))]
    g = GIVEN[int(rng.integers(len(GIVEN)))]
    return s + g + (GIVEN[int(rng.integers(len(GIVEN)))] if rng.random() < 0.6 else "")


def _at_office_hours(day: date, rng: np.random.Generator) -> datetime:
    minutes = int(rng.integers(9 * 60, 17 * 60 + 30))
    return datetime(day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=LOCAL_TZ).astimezone(timezone.utc)


def write_demo_ledgers(store: Store, until: datetime, seed: int, password: str) -> dict[str, int]:
    from data.accounts import sign_in, sign_out
    keeper = sign_in(store, LEDGER_KEEPER, password, at=until)
    rng = np.random.default_rng(seed + 1500)
    today = office_day(until)
    try:
        counts = _people_and_visits(store, keeper, rng, until, today)
        counts["mediations"] = _mediations(store, keeper, rng, until, today)
        counts.update(_petitions(store, keeper, rng, until, today))
    finally:
        sign_out(keeper)
    return counts


def _people_and_visits(store: Store, keeper, rng, until: datetime, today: date) -> dict[str, int]:
    with store.session() as s:
        homes = [g.centroid for g in s.scalars(select(m.Building.geom).where(m.Building.kind == "residential"))]
        grids = {g.code: g.name for g in s.scalars(select(m.Grid))}
        workers: dict[str, list[tuple[str, int]]] = {}
        for name, team_id, home in s.execute(select(m.Member.name, m.Member.team_id, m.Team.home_grid_code)
                                             .join(m.Team, m.Team.id == m.Member.team_id).where(m.Team.kind == "grid_worker")):
            workers.setdefault(home, []).append((name, team_id))
        mediators = [n for n in s.scalars(select(m.Member.name).join(m.Team, m.Team.id == m.Member.team_id)
                                          .where(m.Team.kind == "mediator").order_by(m.Member.id))]
    records = []
    serial = 0
    for kind, (n, mix) in PEOPLE.items():
        for _ in range(n):
            serial += 1
            home = homes[int(rng.integers(len(homes)))]
            surname = SURNAMES[int(rng.integers(len(SURNAMES)))]
            born = date(int(rng.integers(1950, 2003)), int(rng.integers(1, 13)), int(rng.integers(1, 29)))
            risk = str(rng.choice(["low", "medium", "high"], p=mix))
            since = today - timedelta(days=int(rng.integers(40, 900)))
            helpers = {"resident_leader": {"name": mediators[int(rng.integers(len(mediators)))]},
                       "governance_cadre": {"name": LEDGER_KEEPER},
                       "police": {"name": "民警" + _name(rng)},
                       "community_leader": {"name": mediators[int(rng.integers(len(mediators)))]},
                       "relative": {"name": _name(rng, surname)},
                       "volunteer": {"name": _name(rng)}}
            if kind in ("mental", "released", "petitioner") or rng.random() < 0.5:
                helpers["grid_worker"] = None  # filled below once the grid is known
            if kind == "mental":
                helpers["doctor"] = {"name": "精防医生" + _name(rng)}
            records.append(dict(kind=kind, name=_name(rng, surname), id_number=make_id_number("500101", born, serial),
                                risk=risk, phone=f"1{int(rng.integers(30, 99))}{int(rng.integers(10**7, 10**8))}",
                                lon=float(home.x), lat=float(home.y), since_day=since.isoformat(), helpers=helpers,
                                address=""))
    from data.ledgers.people import _locate_many
    codes, _comms, _inside = _locate_many(store, [r["lon"] for r in records], [r["lat"] for r in records])
    for r, code in zip(records, codes):
        pool = workers.get(code) or [w for ws in workers.values() for w in ws]
        name, team_id = pool[int(rng.integers(len(pool)))]
        r["helpers"] = {k: v for k, v in r["helpers"].items() if k != "grid_worker"} | {"grid_worker": {"name": name, "team_id": team_id}}
        for h in r["helpers"].values():
            h["phone"] = f"1{int(rng.integers(30, 99))}{int(rng.integers(10**7, 10**8))}"
        r["address"] = f"{grids.get(code, '')}{int(rng.integers(1, 40))}栋{int(rng.integers(1, 6))}单元{int(rng.integers(1, 30))}号"
    ids = add_people(store, keeper, records, at=until, source="demo")

    # A year of visits at each kind's interval, a little early as offices do; a few late right now.
    with store.session() as s:
        helper_ids = {(h.person_id, h.role): h.id for h in s.scalars(select(m.PersonHelper))}
    visits = []
    # Four people whose visit is late right now (one of them out of supervision): chosen among those
    # under supervision long enough for a visit to be late at all.
    def late_by(k: int) -> int:
        rule = DEFAULT_RULES[records[k]["kind"]]
        return rule.interval_days[records[k]["risk"]] + rule.tolerance_days + 2
    eligible = [k for k in range(len(ids)) if date.fromisoformat(records[k]["since_day"]) < today - timedelta(days=late_by(k))]
    late = [int(k) for k in rng.choice(eligible, size=min(4, len(eligible)), replace=False)]
    start = today - timedelta(days=365)
    for k, (pid, r) in enumerate(zip(ids, records)):
        rule = DEFAULT_RULES[r["kind"]]
        interval = rule.interval_days[r["risk"]]
        day = max(date.fromisoformat(r["since_day"]), start)
        planned = []
        while True:
            step = max(1, int(round(interval * rng.uniform(0.8, 0.98))))
            if day + timedelta(days=step) > today - timedelta(days=1):
                break
            day = day + timedelta(days=step)
            planned.append(day)
        if k in late:
            extra = rule.tolerance_days + 2 if k == late[0] else int(rng.integers(1, rule.tolerance_days + 1))
            cutoff = today - timedelta(days=interval + extra)
            planned = [d for d in planned if d < cutoff] + [cutoff]
        for d in planned:
            role = "grid_worker" if rng.random() < 0.7 else "governance_cadre"
            t = _at_office_hours(d, rng)
            visits.append(dict(person_id=pid, t=t, helper_id=helper_ids.get((pid, role)), found=True,
                               findings=str(rng.choice(["在家，情绪稳定", "按时报到，表现良好", "家属反映近况正常", "已就业，生活规律",
                                                         "服药规律，病情稳定", "提醒按时参加教育学习"]))))
    record_visits(store, keeper, visits, now=until, source="demo")
    return {"people": len(ids), "visits": len(visits)}


def _mediations(store: Store, keeper, rng, until: datetime, today: date) -> int:
    with store.session() as s:
        rows = s.execute(select(m.CaseEvent.incident_id, m.CaseEvent.t, m.CaseEvent.result, m.CaseEvent.actor, m.Incident.reported_at)
                         .join(m.Incident, m.Incident.id == m.CaseEvent.incident_id)
                         .where(m.Incident.category == "dispute", m.Incident.duplicate_of.is_(None), m.CaseEvent.action == "resolve")
                         .order_by(m.CaseEvent.incident_id, m.CaseEvent.t)).all()
        mediators = [n for n in s.scalars(select(m.Member.name).join(m.Team, m.Team.id == m.Member.team_id)
                                          .where(m.Team.kind == "mediator").order_by(m.Member.id))]
    last: dict[int, tuple] = {}
    for iid, t, result, actor, reported in rows:
        last[iid] = (t, result, reported)
    records = []
    n_ref = 0
    for iid, (t, result, reported) in sorted(last.items()):
        opened = office_day(reported)
        concluded = office_day(t)
        mediator = mediators[int(rng.integers(len(mediators)))]
        sessions = [(opened.isoformat(), mediator, "听取双方陈述")]
        if concluded > opened and rng.random() < 0.5:
            sessions.append((concluded.isoformat(), mediator, "组织双方面对面调解"))
        agreed = result == "mediated"
        rec = dict(incident_id=iid, parties=[_name(rng), _name(rng)], mediators=[mediator], opened_day=opened.isoformat(),
                   sessions=sessions, outcome="agreed" if agreed else "failed", concluded_day=concluded.isoformat())
        if agreed:
            n_ref += 1
            rec["agreement_ref"] = f"高调协字〔{concluded:%Y}〕第{n_ref:04d}号"
            follow = concluded + med.FOLLOW_UP_AFTER + timedelta(days=int(rng.integers(0, 6)))
            if follow < today:
                rec["follow_up_day"], rec["recurred"] = follow.isoformat(), bool(rng.random() < 0.03)
        records.append(rec)
    med.record_mediations(store, keeper, records, at=until)
    # A sweep of every grid each month of the year (排查), the last few not yet done.
    with store.session() as s:
        gs = s.scalars(select(m.Grid.code).join(m.GridSet, m.GridSet.id == m.Grid.grid_set_id).where(m.GridSet.status == "published")).all()
    sweeps = []
    for months_ago in range(12, -1, -1):
        first = (today.replace(day=1) - timedelta(days=months_ago * 30)).replace(day=1)
        this_month = months_ago == 0
        for code in sorted(set(gs)):
            planned = first + timedelta(days=int(rng.integers(0, 28)))
            # This month: some still ahead, and a few past their day and not yet done.
            done = planned <= today - timedelta(days=1) and not (this_month and rng.random() < 0.06)
            sweeps.append(dict(grid_code=code, planned_day=planned.isoformat(), done_day=planned.isoformat() if done else None,
                               by="网格员" if done else "", found=int(rng.poisson(0.6)) if done else 0, note=""))
    med.record_sweeps(store, keeper, sweeps, at=until)
    return len(records)


def _petitions(store: Store, keeper, rng, until: datetime, today: date) -> dict[str, int]:
    with store.session() as s:
        petitioners = s.execute(select(m.SupervisedPerson.id, m.SupervisedPerson.name, m.SupervisedPerson.grid_code,
                                       m.SupervisedPerson.since_day).where(m.SupervisedPerson.kind == "petitioner")
                                .order_by(m.SupervisedPerson.id)).all()
        helpers = {(h.person_id, h.role): h.name for h in s.scalars(select(m.PersonHelper))}
    contacts, reports = [], []
    pids = []
    for k, (person_id, name, grid, since) in enumerate(petitioners):
        opened = date.fromisoformat(since)
        pid = pet.add_petition(store, keeper, petitioner=name, subject=SUBJECTS[k % len(SUBJECTS)], opened_day=opened,
                               person_id=person_id, grid_code=grid, working_group=f"{SUBJECTS[k % len(SUBJECTS)][:4]}工作专班",
                               responsibles={"party_leader": LEADERS[k % len(LEADERS)], "official": LEDGER_KEEPER,
                                             "cadre": helpers.get((person_id, "community_leader"), LEDGER_KEEPER),
                                             "police": helpers.get((person_id, "police"), "民警" + _name(rng)),
                                             "informant": helpers.get((person_id, "grid_worker"), _name(rng))}, at=until)
        pids.append(pid)
        day = max(opened, today - timedelta(days=365))
        while True:
            day += timedelta(days=int(rng.integers(20, 40)))
            if day >= today:
                break
            contacts.append(dict(petition_id=pid, kind=str(rng.choice(["reception", "appointment", "home_visit"], p=[0.2, 0.4, 0.4])),
                                 t=_at_office_hours(day, rng), by=LEDGER_KEEPER, note="了解诉求进展，做好稳控工作"))
    pet.record_contacts(store, keeper, contacts, at=until)
    with store.session() as s:
        resp = s.execute(select(m.PetitionResponsible.id, m.PetitionResponsible.petition_id)).all()
    # Zero-reports for the last 30 days; today's from all but three (flagged once noon passes).
    missing_today = set(int(k) for k in rng.choice(len(resp), size=min(3, len(resp)), replace=False))
    for back in range(30, -1, -1):
        day = today - timedelta(days=back)
        for k, (rid, _pid) in enumerate(resp):
            if back == 0 and k in missing_today:
                continue
            t = min(_at_office_hours(day, rng).replace(hour=0) + timedelta(hours=int(rng.integers(0, 3)), minutes=int(rng.integers(0, 59))), until)
            nothing = rng.random() > 0.02
            reports.append(dict(responsible_id=rid, day=day, nothing=nothing, t=t,
                                report="" if nothing else "当事人近期情绪波动，已安排约访"))
    pet.submit_zero_reports(store, keeper, reports, at=until)
    return {"petitions": len(pids), "contacts": len(contacts), "zero_reports": len(reports)}
