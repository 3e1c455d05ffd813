"""Mediation of disputes (矛盾纠纷排查调解): the mediation record of a dispute case (parties, mediators,
sessions, the agreement and its written reference, the follow-up visit 30 days on and whether the
dispute came back), the periodic sweep (排查) per grid, and the indicators: mediation success rate
and recurrence rate, beside 结案率.

The case's own result (mediated / not mediated, data/cases) says how the team left it; this record
is the mediation committee's ledger behind it. Parties are personal data: masked for roles without
`ledgers.read_personal`, every reading audited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal, require
from data.ledgers.people import LedgerError, _audit_read
from data.ledgers.rules import mask_name, office_day
from data.store import models as m
from data.store.core import Store, write_session

FOLLOW_UP_AFTER = timedelta(days=30)


@dataclass(frozen=True)
class MediationRow:
    id: int
    incident_id: int
    case_no: str
    grid_code: str | None
    parties: tuple[str, ...]
    mediators: tuple[str, ...]
    opened_day: str
    sessions: int
    outcome: str  # pending | agreed | failed
    agreement_ref: str | None
    concluded_day: str | None
    follow_up_due: str | None  # agreed: the day the follow-up visit is due
    follow_up_day: str | None
    recurred: bool | None
    masked: bool

    def follow_up_overdue(self, today: date) -> bool:
        return self.follow_up_due is not None and self.follow_up_day is None and today > date.fromisoformat(self.follow_up_due)


@dataclass(frozen=True)
class SessionRow:
    day: str
    mediator: str
    note: str


@dataclass(frozen=True)
class MediationStats:
    """A period's mediation indicators (concluded in the period)."""

    concluded: int
    agreed: int
    followed_up: int
    recurred: int
    sweeps_planned: int
    sweeps_done: int
    disputes_found: int

    @property
    def success_rate(self) -> float | None:  # 调解成功率
        return self.agreed / self.concluded if self.concluded else None

    @property
    def recurrence_rate(self) -> float | None:  # 纠纷复发率, of the agreements followed up
        return self.recurred / self.followed_up if self.followed_up else None


def _today(now: datetime | None) -> date:
    return office_day(now or datetime.now(timezone.utc))


def open_mediation(store: Store, by: Principal, incident_id: int, parties: list[str], mediators: list[str],
                   day: date | None = None, at: datetime | None = None) -> int:
    """Start the mediation record of a dispute case."""
    require(by, "mediation.record")
    parties = [p.strip() for p in parties if p and p.strip()]
    mediators = [p.strip() for p in mediators if p and p.strip()]
    if len(parties) < 1 or not mediators:
        raise LedgerError("mediation.needs_parties")
    at = at or datetime.now(timezone.utc)
    day = day or office_day(at)
    with write_session(store) as s:
        inc = s.get(m.Incident, incident_id)
        if inc is None:
            raise LedgerError("ledger.not_found", what="case", id=incident_id)
        require(by, "mediation.record", community_id=inc.community_id)
        if inc.category != "dispute":
            raise LedgerError("mediation.not_a_dispute", case_no=inc.case_no)
        if s.scalar(select(m.Mediation.id).where(m.Mediation.incident_id == incident_id)) is not None:
            raise LedgerError("mediation.exists", case_no=inc.case_no)
        rec = m.Mediation(incident_id=incident_id, parties=json.dumps(parties, ensure_ascii=False),
                          mediators=json.dumps(mediators, ensure_ascii=False), opened_day=day.isoformat(), outcome="pending")
        s.add(rec)
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="mediation.open", object_type="case",
                     object_id=incident_id, after={"mediation": rec.id, "parties": len(parties), "mediators": mediators}, at=at)
        return rec.id


def record_mediations(store: Store, by: Principal, records: list[dict], at: datetime | None = None) -> int:
    """Many finished or running mediation records at once, all or none (the demo; an office moving
    its paper ledger in): incident_id, parties, mediators, opened_day, sessions [(day, mediator,
    note)], outcome, agreement_ref, concluded_day, follow_up_day, recurred. The rules of the
    one-at-a-time services apply: disputes only, one record per case, a reference for an agreement,
    the follow-up no earlier than 30 days after it."""
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    with write_session(store) as s:
        cats = dict(s.execute(select(m.Incident.id, m.Incident.category).where(
            m.Incident.id.in_([r["incident_id"] for r in records]))).all())
        have = set(s.scalars(select(m.Mediation.incident_id)))
        for r in records:
            if cats.get(r["incident_id"]) != "dispute":
                raise LedgerError("mediation.not_a_dispute", case_no=str(r["incident_id"]))
            if r["incident_id"] in have:
                raise LedgerError("mediation.exists", case_no=str(r["incident_id"]))
            have.add(r["incident_id"])
            if not r.get("parties") or not r.get("mediators"):
                raise LedgerError("mediation.needs_parties")
            if r.get("outcome") == "agreed" and not r.get("agreement_ref"):
                raise LedgerError("mediation.needs_reference")
            if r.get("follow_up_day") and (r.get("outcome") != "agreed" or date.fromisoformat(r["follow_up_day"])
                                           < date.fromisoformat(r["concluded_day"]) + FOLLOW_UP_AFTER):
                raise LedgerError("mediation.follow_up_early", day=r.get("concluded_day"))
            rec = m.Mediation(incident_id=r["incident_id"], parties=json.dumps(r["parties"], ensure_ascii=False),
                              mediators=json.dumps(r["mediators"], ensure_ascii=False), opened_day=r["opened_day"],
                              outcome=r.get("outcome", "pending"), agreement_ref=r.get("agreement_ref"),
                              concluded_day=r.get("concluded_day"), follow_up_day=r.get("follow_up_day"), recurred=r.get("recurred"))
            s.add(rec)
            s.flush()
            for day, mediator, note in r.get("sessions", ()):
                s.add(m.MediationSession(mediation_id=rec.id, day=day, mediator=mediator, note=note))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="mediation.record_many", object_type="ledger",
                     after={"count": len(records)}, at=at)
    return len(records)


def record_sweeps(store: Store, by: Principal, rows: list[dict], at: datetime | None = None) -> int:
    """Many sweeps at once (grid_code, planned_day, done_day, by, found, note), all or none."""
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    with write_session(store) as s:
        for r in rows:
            if int(r.get("found", 0)) < 0:
                raise LedgerError("ledger.bad_value", field="found", value=r.get("found"))
            s.add(m.Sweep(grid_code=r["grid_code"], planned_day=r["planned_day"], done_day=r.get("done_day"), swept_by=r.get("by", ""),
                          found=int(r.get("found", 0)), note=r.get("note", "")))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="sweep.record_many", object_type="ledger",
                     after={"count": len(rows)}, at=at)
    return len(rows)


def _get(s: Session, by: Principal, mediation_id: int) -> tuple[m.Mediation, m.Incident]:
    rec = s.get(m.Mediation, mediation_id)
    if rec is None:
        raise LedgerError("ledger.not_found", what="mediation", id=mediation_id)
    inc = s.get(m.Incident, rec.incident_id)
    require(by, "mediation.record", community_id=inc.community_id)
    return rec, inc


def add_session(store: Store, by: Principal, mediation_id: int, day: date, mediator: str, note: str = "",
                at: datetime | None = None) -> None:
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    if day > office_day(at):
        raise LedgerError("ledger.visit_in_future", t=day.isoformat())
    if not (mediator or "").strip():
        raise LedgerError("mediation.needs_parties")
    with write_session(store) as s:
        rec, inc = _get(s, by, mediation_id)
        if rec.outcome != "pending":
            raise LedgerError("mediation.concluded", outcome=rec.outcome)
        s.add(m.MediationSession(mediation_id=mediation_id, day=day.isoformat(), mediator=mediator.strip(), note=note))
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="mediation.session", object_type="case",
                     object_id=inc.id, after={"day": day.isoformat(), "mediator": mediator}, at=at)


def conclude(store: Store, by: Principal, mediation_id: int, agreed: bool, agreement_ref: str | None = None,
             day: date | None = None, at: datetime | None = None) -> None:
    """End the mediation: an agreement (with its written reference, 调解协议书编号) or none."""
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    day = day or office_day(at)
    if agreed and not (agreement_ref or "").strip():
        raise LedgerError("mediation.needs_reference")
    with write_session(store) as s:
        rec, inc = _get(s, by, mediation_id)
        if rec.outcome != "pending":
            raise LedgerError("mediation.concluded", outcome=rec.outcome)
        rec.outcome = "agreed" if agreed else "failed"
        rec.agreement_ref = agreement_ref.strip() if agreed else None
        rec.concluded_day = day.isoformat()
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="mediation.conclude", object_type="case",
                     object_id=inc.id, after={"outcome": rec.outcome, "agreement_ref": rec.agreement_ref, "day": rec.concluded_day}, at=at)


def follow_up(store: Store, by: Principal, mediation_id: int, recurred: bool, day: date | None = None,
              at: datetime | None = None) -> None:
    """The visit 30 days after an agreement: did the dispute come back?"""
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    day = day or office_day(at)
    with write_session(store) as s:
        rec, inc = _get(s, by, mediation_id)
        if rec.outcome != "agreed":
            raise LedgerError("mediation.not_concluded")
        earliest = date.fromisoformat(rec.concluded_day) + FOLLOW_UP_AFTER
        if day < earliest:
            raise LedgerError("mediation.follow_up_early", day=earliest.isoformat())
        rec.follow_up_day, rec.recurred = day.isoformat(), bool(recurred)
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="mediation.follow_up", object_type="case",
                     object_id=inc.id, after={"day": rec.follow_up_day, "recurred": rec.recurred}, at=at)


def mediations(store: Store, by: Principal, *, now: datetime | None = None, since: date | None = None) -> list[MediationRow]:
    """The mediation ledger, newest first; parties masked unless `by` may read personal data. Audited."""
    require(by, "ledgers.read")
    now = now or datetime.now(timezone.utc)
    personal = by.may("ledgers.read_personal")
    with store.session() as s:
        q = select(m.Mediation, m.Incident.case_no, m.Incident.grid_code, m.Incident.community_id).join(
            m.Incident, m.Incident.id == m.Mediation.incident_id)
        if since is not None:
            q = q.where(m.Mediation.opened_day >= since.isoformat())
        counts = dict(s.execute(select(m.MediationSession.mediation_id, func.count()).group_by(m.MediationSession.mediation_id)).all())
        out = []
        for rec, case_no, grid, cid in s.execute(q.order_by(m.Mediation.opened_day.desc(), m.Mediation.id.desc())):
            if by.communities is not None and cid not in by.communities:
                continue
            parties = tuple(json.loads(rec.parties))
            due = ((date.fromisoformat(rec.concluded_day) + FOLLOW_UP_AFTER).isoformat()
                   if rec.outcome == "agreed" and rec.concluded_day else None)
            out.append(MediationRow(rec.id, rec.incident_id, case_no, grid, parties if personal else tuple(mask_name(p) for p in parties),
                                    tuple(json.loads(rec.mediators)), rec.opened_day, counts.get(rec.id, 0), rec.outcome,
                                    rec.agreement_ref, rec.concluded_day, due, rec.follow_up_day, rec.recurred, not personal))
    _audit_read(store, by, "mediation.read", "ledger", None, {"rows": len(out), "personal": personal}, now)
    return out


def sessions(store: Store, by: Principal, mediation_id: int) -> list[SessionRow]:
    require(by, "ledgers.read")
    with store.session() as s:
        return [SessionRow(r.day, r.mediator, r.note) for r in s.scalars(
            select(m.MediationSession).where(m.MediationSession.mediation_id == mediation_id).order_by(m.MediationSession.day, m.MediationSession.id))]


@dataclass(frozen=True)
class SweepRow:
    id: int
    grid_code: str
    planned_day: str
    done_day: str | None
    swept_by: str
    found: int
    note: str

    def late(self, today: date) -> bool:
        return self.done_day is None and today > date.fromisoformat(self.planned_day)


def sweeps(store: Store, by: Principal, start: date, end: date) -> list[SweepRow]:
    """The sweeps planned in [start, end), not yet done first (the late ones at the top), then by day."""
    require(by, "ledgers.read")
    with store.session() as s:
        rows = s.scalars(select(m.Sweep).where(m.Sweep.planned_day >= start.isoformat(), m.Sweep.planned_day < end.isoformat())).all()
        out = [SweepRow(r.id, r.grid_code, r.planned_day, r.done_day, r.swept_by, r.found, r.note) for r in rows]
    return sorted(out, key=lambda r: (r.done_day is not None, r.planned_day, r.grid_code))


def plan_sweep(store: Store, by: Principal, grid_code: str, planned_day: date, at: datetime | None = None) -> int:
    """Plan a dispute sweep (排查) of one grid on a day."""
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    with write_session(store) as s:
        sw = m.Sweep(grid_code=grid_code, planned_day=planned_day.isoformat(), swept_by="", found=0, note="")
        s.add(sw)
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="sweep.plan", object_type="sweep",
                     object_id=sw.id, after={"grid": grid_code, "day": planned_day.isoformat()}, at=at)
        return sw.id


def complete_sweep(store: Store, by: Principal, sweep_id: int, found: int, note: str = "", day: date | None = None,
                   at: datetime | None = None) -> None:
    require(by, "mediation.record")
    at = at or datetime.now(timezone.utc)
    day = day or office_day(at)
    if found < 0:
        raise LedgerError("ledger.bad_value", field="found", value=found)
    with write_session(store) as s:
        sw = s.get(m.Sweep, sweep_id)
        if sw is None:
            raise LedgerError("ledger.not_found", what="sweep", id=sweep_id)
        sw.done_day, sw.found, sw.note, sw.swept_by = day.isoformat(), int(found), note, by.display_name
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="sweep.done", object_type="sweep",
                     object_id=sweep_id, after={"found": found, "day": sw.done_day}, at=at)


def mediation_stats(store: Store, start: date, end: date) -> MediationStats:
    """Mediations concluded in [start, end) (office days): agreed, followed up, recurred; sweeps
    planned in the period and done. Counts only, no names."""
    a, b = start.isoformat(), end.isoformat()
    M, W = m.Mediation, m.Sweep
    with store.session() as s:
        rows = s.execute(select(M.outcome, M.recurred).where(M.concluded_day >= a, M.concluded_day < b)).all()
        sweeps = s.execute(select(W.done_day, W.found).where(W.planned_day >= a, W.planned_day < b)).all()
    return MediationStats(concluded=len(rows), agreed=sum(o == "agreed" for o, _ in rows),
                          followed_up=sum(o == "agreed" and r is not None for o, r in rows),
                          recurred=sum(o == "agreed" and bool(r) for o, r in rows),
                          sweeps_planned=len(sweeps), sweeps_done=sum(d is not None for d, _ in sweeps),
                          disputes_found=sum(f or 0 for d, f in sweeps if d is not None))
