"""Petitions (信访) under 5+1 responsibility: the petitioner (personal data, masked for other roles),
the subject, five responsible persons (包案领导, 责任干部, 社区干部, 社区民警, 信息员) and one working
group; the receptions, appointments and home visits (接访/约访/下访); and the zero-report (零报告):
every responsible person reports each day, "nothing to report" or what happened. A report missing at
noon is flagged (the office chases it in the afternoon); a day that has passed without one stays
missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from sqlalchemy import func, select

from data import audit
from data.accounts import Principal, require
from data.domain import LOCAL_TZ, PETITION_CONTACTS, PETITION_ROLES
from data.ledgers.people import LedgerError, _audit_read
from data.ledgers.rules import mask_name, office_day
from data.store import models as m
from data.store.core import Store, write_session

ZERO_REPORT_BY = time(12, 0)  # office time: a report not in by noon is missing


@dataclass(frozen=True)
class PetitionRow:
    id: int
    petition_no: str
    petitioner: str
    subject: str
    opened_day: str
    working_group: str
    status: str
    grid_code: str | None
    responsibles: tuple[tuple[int, str, str], ...]  # (id, role, name), in 5+1 order
    contacts: int
    last_contact: datetime | None
    masked: bool


@dataclass(frozen=True)
class ZeroReportRow:
    """One responsible person's report for one petition and day."""

    petition_id: int
    petition_no: str
    responsible_id: int
    role: str
    name: str
    submitted: bool
    nothing: bool | None  # True: "nothing to report"; False: a report; None: not in
    report: str
    missing: bool  # not in, and past noon (or the day is over)


def add_petition(store: Store, by: Principal, *, petitioner: str, subject: str, responsibles: dict[str, str],
                 working_group: str, opened_day: date, person_id: int | None = None, grid_code: str | None = None,
                 petition_no: str | None = None, at: datetime | None = None) -> int:
    """Put a petition on the ledger with its 5+1: all five responsible persons and the working group."""
    require(by, "petitions.edit")
    at = at or datetime.now(timezone.utc)
    missing = [r for r in PETITION_ROLES if not (responsibles.get(r) or "").strip()]
    if missing or not (working_group or "").strip():
        raise LedgerError("petition.incomplete", petition_roles=missing or list(PETITION_ROLES))
    if not (petitioner or "").strip() or not (subject or "").strip():
        raise LedgerError("ledger.bad_value", field="petitioner/subject", value="")
    with write_session(store) as s:
        if petition_no is None:
            n = s.scalar(select(func.count()).select_from(m.Petition)) + 1
            petition_no = f"XF-{opened_day:%Y}-{n:04d}"
        p = m.Petition(petition_no=petition_no, person_id=person_id, petitioner=petitioner.strip(), subject=subject.strip(),
                       opened_day=opened_day.isoformat(), working_group=working_group.strip(), status="open", grid_code=grid_code)
        s.add(p)
        s.flush()
        for role in PETITION_ROLES:
            s.add(m.PetitionResponsible(petition_id=p.id, role=role, name=responsibles[role].strip()))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="petition.add", object_type="petition",
                     object_id=p.id, after={"petition_no": petition_no, "working_group": working_group}, at=at)
        return p.id


def add_contact(store: Store, by: Principal, petition_id: int, kind: str, t: datetime, by_name: str, note: str = "",
                at: datetime | None = None) -> None:
    """A reception, appointment or home visit with the petitioner (接访/约访/下访)."""
    record_contacts(store, by, [dict(petition_id=petition_id, kind=kind, t=t, by=by_name, note=note)], at=at)


def record_contacts(store: Store, by: Principal, contacts: list[dict], at: datetime | None = None) -> int:
    """Contacts with petitioners (petition_id, kind, t, by, note), all or none; none in the future."""
    require(by, "petitions.edit")
    at = at or datetime.now(timezone.utc)
    with write_session(store) as s:
        known = set(s.scalars(select(m.Petition.id)))
        for c in contacts:
            if c["kind"] not in PETITION_CONTACTS:
                raise LedgerError("ledger.bad_value", field="kind", value=c["kind"])
            if c["t"] > at:
                raise LedgerError("ledger.visit_in_future", t=c["t"].isoformat(timespec="minutes"))
            if c["petition_id"] not in known:
                raise LedgerError("ledger.not_found", what="petition", id=c["petition_id"])
            s.add(m.PetitionContact(petition_id=c["petition_id"], kind=c["kind"], t=c["t"],
                                    contact_by=(c.get("by") or "").strip() or by.display_name, note=c.get("note") or ""))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="petition.contact", object_type="ledger",
                     after={"count": len(contacts), "petitions": sorted({c["petition_id"] for c in contacts})}, at=at)
    return len(contacts)


def submit_zero_reports(store: Store, by: Principal, reports: list[dict], at: datetime | None = None) -> int:
    """Record zero-reports: responsible_id, day, nothing (True: nothing to report) and report text.
    One report per person and day: a second is refused, as is a day after today."""
    require(by, "petitions.edit")
    at = at or datetime.now(timezone.utc)
    today = office_day(at)
    with write_session(store) as s:
        days = {str(r["day"]) for r in reports}
        have = {(rid, d) for rid, d in s.execute(select(m.ZeroReport.responsible_id, m.ZeroReport.day)
                                                 .where(m.ZeroReport.day.in_(days)))}
        known = set(s.scalars(select(m.PetitionResponsible.id)))
        for r in reports:
            day = r["day"] if isinstance(r["day"], date) else date.fromisoformat(str(r["day"]))
            if int(r["responsible_id"]) not in known:
                raise LedgerError("ledger.not_found", what="responsible", id=r["responsible_id"])
            if (int(r["responsible_id"]), day.isoformat()) in have:
                raise LedgerError("petition.already_reported", day=day.isoformat())
            have.add((int(r["responsible_id"]), day.isoformat()))
            if day > today:
                raise LedgerError("petition.future_day", day=day.isoformat())
            if not r.get("nothing", True) and not (r.get("report") or "").strip():
                raise LedgerError("ledger.bad_value", field="report", value="")
            s.add(m.ZeroReport(responsible_id=int(r["responsible_id"]), day=day.isoformat(), nothing_to_report=bool(r.get("nothing", True)),
                               report=r.get("report") or "", t=r.get("t") or at))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="petition.zero_report", object_type="ledger",
                     after={"count": len(reports)}, at=at)
    return len(reports)


def petitions(store: Store, by: Principal, *, now: datetime | None = None, include_settled: bool = False) -> list[PetitionRow]:
    """The petition ledger with its 5+1; petitioner masked unless `by` may read personal data. Audited."""
    require(by, "ledgers.read")
    now = now or datetime.now(timezone.utc)
    personal = by.may("ledgers.read_personal")
    order = list(PETITION_ROLES)
    with store.session() as s:
        q = select(m.Petition).order_by(m.Petition.petition_no)
        if not include_settled:
            q = q.where(m.Petition.status == "open")
        rows = s.scalars(q).all()
        resp: dict[int, list] = {}
        for r in s.scalars(select(m.PetitionResponsible)):
            resp.setdefault(r.petition_id, []).append((r.id, r.role, r.name))
        contacts = {pid: (n, t) for pid, n, t in s.execute(
            select(m.PetitionContact.petition_id, func.count(), func.max(m.PetitionContact.t)).group_by(m.PetitionContact.petition_id))}
    out = [PetitionRow(p.id, p.petition_no, p.petitioner if personal else mask_name(p.petitioner), p.subject, p.opened_day,
                       p.working_group, p.status, p.grid_code,
                       tuple(sorted(resp.get(p.id, []), key=lambda r: order.index(r[1]) if r[1] in order else 9)),
                       contacts.get(p.id, (0, None))[0], contacts.get(p.id, (0, None))[1], not personal) for p in rows]
    _audit_read(store, by, "petitions.read", "ledger", None, {"rows": len(out), "personal": personal}, now)
    return out


def zero_report_status(store: Store, by: Principal, day: date | None = None, now: datetime | None = None) -> list[ZeroReportRow]:
    """Every responsible person of every open petition for `day` (default today): in or not, and
    missing once noon has passed (or the day is over). Missing ones first."""
    require(by, "ledgers.read")
    now = now or datetime.now(timezone.utc)
    day = day or office_day(now)
    noon = datetime.combine(day, ZERO_REPORT_BY, LOCAL_TZ)
    late = now >= noon
    with store.session() as s:
        rows = s.execute(select(m.Petition.id, m.Petition.petition_no, m.PetitionResponsible.id, m.PetitionResponsible.role,
                                m.PetitionResponsible.name)
                         .join(m.PetitionResponsible, m.PetitionResponsible.petition_id == m.Petition.id)
                         .where(m.Petition.status == "open", m.Petition.opened_day <= day.isoformat())).all()
        got = {r.responsible_id: r for r in s.scalars(select(m.ZeroReport).where(m.ZeroReport.day == day.isoformat()))}
    order = list(PETITION_ROLES)
    out = []
    for pid, no, rid, role, name in rows:
        z = got.get(rid)
        out.append(ZeroReportRow(pid, no, rid, role, name, z is not None, bool(z.nothing_to_report) if z else None, z.report if z else "",
                                 z is None and late))
    out.sort(key=lambda r: (not r.missing, r.submitted, r.petition_no, order.index(r.role) if r.role in order else 9))
    return out
