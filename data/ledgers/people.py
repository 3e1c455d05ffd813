"""People under community supervision (重点人员), their responsible persons and their visits (走访).

Services the console, the command line, the imports and the demo all call. Reading a person's data
takes `ledgers.read` and gives masked rows unless the account also has `ledgers.read_personal`;
every such reading is audited (who, how many, masked or not). Counts per grid (the map) carry no
names and need no permission beyond a signed-in console.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Iterable

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal, mask_phone, require, sign_out, system_actor
from data.domain import HELPER_ROLES, PERSON_KINDS, RISK_LEVELS
from data.ledgers.rules import (DEFAULT_FOLLOW_UP_SUBCATEGORY, EVIDENCE_RADIUS_M, FOLLOW_UP_SUBCATEGORY, EVIDENCE_WINDOW, SCHEDULE_STATES, KindRule, Schedule, id_number_problem,
                                kind_rules, mask_id_number, mask_name, office_day, schedule)
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import Store, write_lock, write_session

log = logging.getLogger(__name__)

PRIVATE_HELPER_ROLES = frozenset({"relative"})
# A visit recorded this far ahead of the clock is refused: phones and PCs disagree by a minute or two.
CLOCK_SLACK = timedelta(minutes=5)


class LedgerError(GridWatchError):
    """A refused ledger change: codes "ledger.*", "mediation.*", "petition.*"."""


@dataclass(frozen=True)
class HelperRow:
    id: int
    role: str
    name: str
    phone: str | None
    team_id: int | None


@dataclass(frozen=True)
class PersonRow:
    """One person as the reader may see them: masked (name 张*, ID 110***…1234, no address or
    position) for roles without `ledgers.read_personal`."""

    id: int
    ledger_no: str
    kind: str
    name: str
    id_number: str
    phone: str | None
    address: str
    lon: float | None
    lat: float | None
    grid_code: str | None
    community_id: int | None
    risk: str
    since_day: str
    until_day: str | None
    schedule: Schedule
    helpers: tuple[HelperRow, ...]
    masked: bool

    def helper(self, role: str) -> HelperRow | None:
        return next((h for h in self.helpers if h.role == role), None)


@dataclass(frozen=True)
class VisitRow:
    id: int
    t: datetime
    visitor: str
    helper_role: str | None
    found: bool
    findings: str
    follow_up: str
    incident_id: int | None
    evidence_m: float | None  # the visiting team's tracker fix this far from the address; None: none near


@dataclass(frozen=True)
class PersonDetail:
    person: PersonRow
    visits: tuple[VisitRow, ...]
    escalations: tuple[tuple[str, int], ...] = ()  # (missed due day, case id)


@dataclass(frozen=True)
class GridCount:
    """People under supervision in one grid and how many need a visit now: no names."""

    grid_code: str
    people: int
    alerts: int  # overdue or out of supervision
    lost: int


@dataclass
class Escalation:
    person_id: int
    ledger_no: str
    due_day: date
    incident_id: int
    case_no: str


# --- reading ---------------------------------------------------------------------------------------

def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _last_visits(s: Session, person_ids: Iterable[int] | None = None) -> dict[int, tuple[datetime, bool]]:
    """Each person's latest visit (time, found)."""
    V = m.Visit
    latest = select(V.person_id, func.max(V.t).label("t")).group_by(V.person_id)
    if person_ids is not None:
        latest = latest.where(V.person_id.in_(list(person_ids)))
    latest = latest.subquery()
    rows = s.execute(select(V.person_id, V.t, V.found).join(latest, (V.person_id == latest.c.person_id) & (V.t == latest.c.t))
                     .order_by(V.id)).all()
    return {pid: (t, bool(found)) for pid, t, found in rows}


def _schedule(p: m.SupervisedPerson, rules: dict[str, KindRule], last: tuple[datetime, bool] | None, today: date) -> Schedule:
    return schedule(rules[p.kind], p.risk, _day(p.since_day), _day(p.until_day), last[0] if last else None,
                    last[1] if last else True, today)


def _row(p: m.SupervisedPerson, sched: Schedule, helpers: list[m.PersonHelper], personal: bool) -> PersonRow:
    # The office's helpers are named on the masked board too (the board is chased by helper); a
    # relative's name would point at the family, so it is masked like the person's.
    hs = tuple(HelperRow(h.id, h.role, h.name if personal or h.role not in PRIVATE_HELPER_ROLES else mask_name(h.name),
                         h.phone if personal else mask_phone(h.phone), h.team_id)
               for h in sorted(helpers, key=lambda h: list(HELPER_ROLES).index(h.role) if h.role in HELPER_ROLES else 99))
    if personal:
        return PersonRow(p.id, p.ledger_no, p.kind, p.name, p.id_number, p.phone, p.address, p.lon, p.lat, p.grid_code,
                         p.community_id, p.risk, p.since_day, p.until_day, sched, hs, False)
    return PersonRow(p.id, p.ledger_no, p.kind, mask_name(p.name), mask_id_number(p.id_number), mask_phone(p.phone), "",
                     None, None, p.grid_code, p.community_id, p.risk, p.since_day, p.until_day, sched, hs, True)


def _in_scope(by: Principal, community_id: int | None) -> bool:
    return by.communities is None or community_id in by.communities


def people(store: Store, by: Principal, *, now: datetime | None = None, kind: str | None = None,
           states: Iterable[str] | None = None, grid_code: str | None = None, include_ended: bool = False) -> list[PersonRow]:
    """The people ledger as `by` may read it, worst schedule first (out of supervision, overdue, due,
    then by due day). Audited: who read how many rows, masked or not."""
    require(by, "ledgers.read")
    now = now or datetime.now(timezone.utc)
    personal = by.may("ledgers.read_personal")
    out = _people(store, now, personal, by.communities, kind, states, grid_code, include_ended)
    _audit_read(store, by, "ledgers.read", "ledger", None, {"rows": len(out), "personal": personal, "kind": kind,
                                                            "states": sorted(states) if states else None, "grid": grid_code}, now)
    return out


def alert_board(store: Store, now: datetime | None = None) -> list[PersonRow]:
    """The overdue-visit board for a headless alert (`gridwatch visits due` without an account):
    masked rows only (ledger number, kind, grid, days late, helpers' roles with masked names).
    Audited as read by the system."""
    now = now or datetime.now(timezone.utc)
    out = _people(store, now, False, None, None, ("due", "overdue", "lost"), None, False)
    with write_session(store) as s:
        audit.append(s, account_id=None, username="system", action="ledgers.read_alerts", object_type="ledger",
                     after={"rows": len(out), "personal": False}, at=now)
    return out


def _people(store: Store, now: datetime, personal: bool, communities, kind, states, grid_code, include_ended) -> list[PersonRow]:
    today = office_day(now)
    rules = kind_rules(store.meta)
    wanted = set(states) if states is not None else None
    with store.session() as s:
        q = select(m.SupervisedPerson)
        if kind:
            q = q.where(m.SupervisedPerson.kind == kind)
        if grid_code:
            q = q.where(m.SupervisedPerson.grid_code == grid_code)
        rows = [p for p in s.scalars(q) if communities is None or p.community_id in communities]
        last = _last_visits(s)
        helpers: dict[int, list[m.PersonHelper]] = {}
        for h in s.scalars(select(m.PersonHelper)):
            helpers.setdefault(h.person_id, []).append(h)
        out = []
        for p in rows:
            sched = _schedule(p, rules, last.get(p.id), today)
            if sched.state == "ended" and not include_ended:
                continue
            if wanted is not None and sched.state not in wanted:
                continue
            out.append(_row(p, sched, helpers.get(p.id, []), personal))
    out.sort(key=lambda r: (SCHEDULE_STATES.index(r.schedule.state), -r.schedule.days_late, r.schedule.due_day, r.ledger_no))
    return out


def visits_due(store: Store, by: Principal, now: datetime | None = None) -> list[PersonRow]:
    """The overdue-visit board: everyone whose visit is due, overdue or who is out of supervision."""
    return people(store, by, now=now, states=("due", "overdue", "lost"))


def person(store: Store, by: Principal, person_id: int, now: datetime | None = None) -> PersonDetail:
    """One person's ledger page: the row, the visits (newest first) and the escalations. Audited."""
    require(by, "ledgers.read")
    now = now or datetime.now(timezone.utc)
    personal = by.may("ledgers.read_personal")
    with store.session() as s:
        p = s.get(m.SupervisedPerson, person_id)
        if p is None or not _in_scope(by, p.community_id):
            raise LedgerError("ledger.not_found", what="person", id=person_id)
        helpers = s.scalars(select(m.PersonHelper).where(m.PersonHelper.person_id == person_id)).all()
        role_of = {h.id: h.role for h in helpers}
        visits = s.scalars(select(m.Visit).where(m.Visit.person_id == person_id).order_by(m.Visit.t.desc(), m.Visit.id.desc())).all()
        last = (visits[0].t, bool(visits[0].found)) if visits else None
        row = _row(p, _schedule(p, kind_rules(store.meta), last, office_day(now)), list(helpers), personal)
        vrows = tuple(VisitRow(v.id, v.t, v.visitor if personal else mask_name(v.visitor), role_of.get(v.helper_id), bool(v.found),
                               v.findings, v.follow_up, v.incident_id, v.evidence_m) for v in visits)
        esc = tuple((e.due_day, e.incident_id) for e in s.scalars(
            select(m.PersonEscalation).where(m.PersonEscalation.person_id == person_id).order_by(m.PersonEscalation.id)))
    _audit_read(store, by, "person.read", "person", person_id, {"ledger_no": row.ledger_no, "personal": personal}, now)
    return PersonDetail(row, vrows, esc)


def grid_counts(store: Store, now: datetime | None = None) -> dict[str, GridCount]:
    """Per grid: people under supervision, and how many need a visit now. No names: the map shows it
    to every role."""
    now = now or datetime.now(timezone.utc)
    today = office_day(now)
    rules = kind_rules(store.meta)
    out: dict[str, list[int]] = {}
    with store.session() as s:
        last = _last_visits(s)
        for p in s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.grid_code.is_not(None))):
            sched = _schedule(p, rules, last.get(p.id), today)
            if sched.state == "ended":
                continue
            c = out.setdefault(p.grid_code, [0, 0, 0])
            c[0] += 1
            c[1] += sched.alert
            c[2] += sched.state == "lost"
    return {g: GridCount(g, *c) for g, c in out.items()}


def _audit_read(store: Store, by: Principal, action: str, object_type: str, object_id, after: dict, at: datetime) -> None:
    with write_session(store) as s:
        audit.append(s, account_id=by.account_id, username=by.username, action=action, object_type=object_type,
                     object_id=object_id, after=after, at=at)


# --- writing people --------------------------------------------------------------------------------

def _next_ledger_no(s: Session, n: int = 1) -> list[str]:
    last = s.scalar(select(func.max(m.SupervisedPerson.ledger_no)).where(m.SupervisedPerson.ledger_no.like("ZD-%")))
    start = int(last[3:]) + 1 if last and last[3:].isdigit() else 1
    return [f"ZD-{k:05d}" for k in range(start, start + n)]


def _locate_many(store: Store, lon: list[float], lat: list[float]) -> tuple[list[str | None], list[int | None], list[bool]]:
    """Grid code, community and whether inside the district, for many points at once."""
    from data.snapshot import grid_set_in_force
    gs = grid_set_in_force(store)
    codes: list[str | None] = [None] * len(lon)
    comms: list[int | None] = [None] * len(lon)
    with store.session() as s:
        district = s.scalars(select(m.District.geom)).all()
        grids = s.execute(select(m.Grid.code, m.Grid.community_id, m.Grid.geom).where(m.Grid.grid_set_id == gs.id)).all() if gs else []
    x, y = list(lon), list(lat)
    inside = [True] * len(x)
    if district:
        area = shapely.union_all(district)
        inside = list(shapely.covers_xy(area, x, y)) if hasattr(shapely, "covers_xy") else list(shapely.contains_xy(area, x, y))
    if grids:
        tree = shapely.STRtree([g[2] for g in grids])
        pts = shapely.points(x, y)
        pi, gi = tree.query(pts, predicate="intersects")
        for a, b in zip(pi.tolist(), gi.tolist()):
            if codes[a] is None:
                codes[a], comms[a] = grids[b][0], grids[b][1]
    return codes, comms, [bool(v) for v in inside]


def check_person(rec: dict, rules: dict[str, KindRule]) -> LedgerError | None:
    """What is wrong with one person's record before anything is written (None: nothing). The
    import checks rows with the same rules and reports each by its row."""
    if rec.get("kind") not in PERSON_KINDS:
        return LedgerError("ledger.bad_value", field="kind", value=rec.get("kind"))
    if rec.get("risk") not in RISK_LEVELS:
        return LedgerError("ledger.bad_value", field="risk", value=rec.get("risk"))
    if not (rec.get("name") or "").strip():
        return LedgerError("ledger.bad_value", field="name", value="")
    if id_number_problem(rec.get("id_number") or ""):
        return LedgerError("ledger.bad_id_number", value=rec.get("id_number"))
    lon, lat = rec.get("lon"), rec.get("lat")
    if not (isinstance(lon, (int, float)) and isinstance(lat, (int, float)) and math.isfinite(lon) and math.isfinite(lat)):
        return LedgerError("ledger.bad_value", field="lon/lat", value=f"{lon}, {lat}")
    helpers = rec.get("helpers") or {}
    if any(r not in HELPER_ROLES for r in helpers):
        return LedgerError("ledger.bad_value", field="helper", value=", ".join(r for r in helpers if r not in HELPER_ROLES))
    missing = [r for r in rules[rec["kind"]].helpers if not (helpers.get(r) or {}).get("name")]
    if missing:
        return LedgerError("ledger.helpers_missing", person_kind=rec["kind"], helper_roles=missing)
    try:
        date.fromisoformat(str(rec.get("since_day")))
        if rec.get("until_day"):
            date.fromisoformat(str(rec["until_day"]))
    except ValueError:
        return LedgerError("ledger.bad_value", field="since_day", value=rec.get("since_day"))
    return None


def add_people(store: Store, by: Principal, records: list[dict], *, at: datetime | None = None,
               source: str | None = None) -> list[int]:
    """Put people on the ledger, all or none. A record: kind, name, id_number, risk, lon, lat,
    address, phone, since_day (YYYY-MM-DD), until_day, note, ledger_no (else numbered ZD-00001 …),
    helpers {role: {"name", "phone", "team_id"}}. The address must lie in the district; its grid is
    found from the grid set in force. Audited as one entry (the numbers added, not the names)."""
    require(by, "ledgers.edit")
    at = at or datetime.now(timezone.utc)
    rules = kind_rules(store.meta)
    for rec in records:
        problem = check_person(rec, rules)
        if problem is not None:
            raise problem
    codes, comms, inside = _locate_many(store, [float(r["lon"]) for r in records], [float(r["lat"]) for r in records])
    for rec, ok in zip(records, inside):
        if not ok:
            raise LedgerError("ledger.outside_district", lon=f"{rec['lon']:.6f}", lat=f"{rec['lat']:.6f}")
    for rec, cid in zip(records, comms):
        if cid is not None:
            require(by, "ledgers.edit", community_id=cid)
    ids: list[int] = []
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            numbers = [r["id_number"].strip().upper() for r in records]
            known = dict(s.execute(select(m.SupervisedPerson.id_number, m.SupervisedPerson.ledger_no)
                                   .where(m.SupervisedPerson.id_number.in_(numbers))).all())
            seen: set[str] = set()
            for n in numbers:
                if n in known or n in seen:
                    raise LedgerError("ledger.id_in_store", value=mask_id_number(n), ledger_no=known.get(n, "—"))
                seen.add(n)
            auto = iter(_next_ledger_no(s, sum(1 for r in records if not r.get("ledger_no"))))
            people_rows = []
            for rec, n, code, cid in zip(records, numbers, codes, comms):
                p = m.SupervisedPerson(ledger_no=rec.get("ledger_no") or next(auto), kind=rec["kind"], name=rec["name"].strip(),
                                       id_number=n, phone=rec.get("phone") or None, address=rec.get("address") or "",
                                       lon=float(rec["lon"]), lat=float(rec["lat"]), grid_code=code, community_id=cid,
                                       risk=rec["risk"], since_day=str(rec["since_day"]), until_day=rec.get("until_day") or None,
                                       note=rec.get("note") or "", created_at=at)
                s.add(p)
                people_rows.append((p, rec))
            s.flush()
            for p, rec in people_rows:
                for role, h in (rec.get("helpers") or {}).items():
                    if h and h.get("name"):
                        s.add(m.PersonHelper(person_id=p.id, role=role, name=h["name"].strip(), phone=h.get("phone") or None,
                                             team_id=h.get("team_id")))
                ids.append(p.id)
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="ledgers.add_people", object_type="ledger",
                         after={"count": len(ids), "ledger_nos": [p.ledger_no for p, _ in people_rows], "source": source}, at=at)
    return ids


def set_helper(store: Store, by: Principal, person_id: int, role: str, name: str, phone: str | None = None,
               team_id: int | None = None, at: datetime | None = None) -> None:
    """Name (or replace) one responsible person of someone under supervision. Audited with before/after."""
    require(by, "ledgers.edit")
    if role not in HELPER_ROLES:
        raise LedgerError("ledger.bad_value", field="helper", value=role)
    if not (name or "").strip():
        raise LedgerError("ledger.bad_value", field="name", value="")
    at = at or datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            p = s.get(m.SupervisedPerson, person_id)
            if p is None:
                raise LedgerError("ledger.not_found", what="person", id=person_id)
            require(by, "ledgers.edit", community_id=p.community_id)
            h = s.scalar(select(m.PersonHelper).where(m.PersonHelper.person_id == person_id, m.PersonHelper.role == role))
            before = {"name": h.name, "phone": h.phone} if h else None
            if h is None:
                h = m.PersonHelper(person_id=person_id, role=role, name=name.strip())
                s.add(h)
            h.name, h.phone, h.team_id = name.strip(), phone or None, team_id
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="ledgers.set_helper", object_type="person",
                         object_id=person_id, before=before, after={"role": role, "name": h.name, "phone": h.phone}, at=at)


_UNSET = object()


def update_person(store: Store, by: Principal, person_id: int, *, risk: str | None = None, until_day=_UNSET,
                  note: str | None = None, at: datetime | None = None) -> None:
    """Change a person's risk level (and with it the visit interval), end or resume their supervision
    (`until_day`: a day, or None to resume), or their note. Audited with before and after."""
    require(by, "ledgers.edit")
    if risk is not None and risk not in RISK_LEVELS:
        raise LedgerError("ledger.bad_value", field="risk", value=risk)
    at = at or datetime.now(timezone.utc)
    with write_session(store) as s:
        p = s.get(m.SupervisedPerson, person_id)
        if p is None:
            raise LedgerError("ledger.not_found", what="person", id=person_id)
        require(by, "ledgers.edit", community_id=p.community_id)
        before = {"risk": p.risk, "until_day": p.until_day, "note": p.note}
        if until_day is not _UNSET:
            day = until_day.isoformat() if isinstance(until_day, date) else until_day
            if day is not None and day < p.since_day:
                raise LedgerError("ledger.visit_before_supervision", t=day, since=p.since_day)
            p.until_day = day
        if risk is not None:
            p.risk = risk
        if note is not None:
            p.note = note
        s.flush()
        audit.append(s, account_id=by.account_id, username=by.username, action="ledgers.update_person", object_type="person",
                     object_id=person_id, before=before, after={"risk": p.risk, "until_day": p.until_day, "note": p.note}, at=at)


# --- visits ----------------------------------------------------------------------------------------

def _evidence(s: Session, store: Store, team_id: int | None, lon: float, lat: float, t: datetime) -> tuple[int | None, float | None]:
    """The visiting team's fix nearest the address within the evidence window, if within the radius."""
    if team_id is None:
        return None, None
    F = m.Fix
    fixes = s.execute(select(F.id, F.lon, F.lat).where(F.team_id == team_id, F.t >= t - EVIDENCE_WINDOW,
                                                       F.t <= t + EVIDENCE_WINDOW)).all()
    if not fixes:
        return None, None
    hx, hy = store.projection.lonlat_to_xy(lon, lat)
    fx, fy = store.projection.lonlat_to_xy([f[1] for f in fixes], [f[2] for f in fixes])
    best, best_d = None, math.inf
    for f, x, y in zip(fixes, list(fx), list(fy)):
        d = math.hypot(float(x) - float(hx), float(y) - float(hy))
        if d < best_d:
            best, best_d = f[0], d
    return (best, round(best_d, 1)) if best_d <= EVIDENCE_RADIUS_M else (None, None)


def _check_visit(p: m.SupervisedPerson, t: datetime, now: datetime) -> None:
    if t > now + CLOCK_SLACK:
        raise LedgerError("ledger.visit_in_future", t=t.isoformat(timespec="minutes"))
    if office_day(t) < date.fromisoformat(p.since_day):
        raise LedgerError("ledger.visit_before_supervision", t=t.isoformat(timespec="minutes"), since=p.since_day)


def _write_visits(s: Session, store: Store, by: Principal, visits: list[dict], now: datetime) -> list[m.Visit]:
    pids = {int(v["person_id"]) for v in visits}
    persons = {p.id: p for p in s.scalars(select(m.SupervisedPerson).where(m.SupervisedPerson.id.in_(pids)))}
    helpers = {h.id: h for h in s.scalars(select(m.PersonHelper).where(m.PersonHelper.person_id.in_(pids)))}
    out = []
    for v in visits:
        p = persons.get(int(v["person_id"]))
        if p is None:
            raise LedgerError("ledger.not_found", what="person", id=v["person_id"])
        require(by, "visits.record", community_id=p.community_id)
        t = v["t"]
        _check_visit(p, t, now)
        h = helpers.get(v.get("helper_id")) if v.get("helper_id") is not None else None
        if v.get("helper_id") is not None and (h is None or h.person_id != p.id):
            raise LedgerError("ledger.not_a_helper")
        visitor = (h.name if h else (v.get("visitor") or "")).strip()
        if not visitor:
            raise LedgerError("ledger.no_visitor")
        team_id = v.get("team_id") if v.get("team_id") is not None else (h.team_id if h else None)
        fix_id, dist = _evidence(s, store, team_id, p.lon, p.lat, t)
        row = m.Visit(person_id=p.id, t=t, helper_id=h.id if h else None, visitor=visitor, found=bool(v.get("found", True)),
                      findings=v.get("findings") or "", follow_up=v.get("follow_up") or "", incident_id=v.get("incident_id"),
                      evidence_fix_id=fix_id, evidence_m=dist, recorded_by=by.account_id, recorded_at=now)
        s.add(row)
        out.append(row)
    s.flush()
    return out


def record_visits(store: Store, by: Principal, visits: list[dict], *, now: datetime | None = None,
                  source: str | None = None) -> list[int]:
    """Record visits, all or none (the import and the demo): person_id, t, helper_id or visitor,
    found, findings, follow_up. None may lie in the future or before the person's supervision."""
    require(by, "visits.record")
    now = now or datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            rows = _write_visits(s, store, by, visits, now)
            audit.append(s, account_id=by.account_id, username=by.username, action="visits.record", object_type="ledger",
                         after={"count": len(rows), "source": source}, at=now)
            return [r.id for r in rows]


@dataclass(frozen=True)
class VisitResult:
    visit_id: int
    evidence_m: float | None
    incident_id: int | None
    case_no: str | None


def record_visit(store: Store, by: Principal, person_id: int, *, t: datetime, helper_id: int | None = None,
                 visitor: str | None = None, found: bool = True, findings: str = "", follow_up: str = "",
                 open_case: dict | None = None, now: datetime | None = None) -> VisitResult:
    """Record one visit. `open_case` (category, subcategory, priority, description) opens a case at
    the person's address for the follow-up, in the same transaction as the visit: both or neither.
    Without a subcategory it is the person's kind's (rules.FOLLOW_UP_SUBCATEGORY)."""
    require(by, "visits.record")
    now = now or datetime.now(timezone.utc)
    rec = dict(person_id=person_id, t=t, helper_id=helper_id, visitor=visitor, found=found, findings=findings, follow_up=follow_up)
    if open_case is None:
        with store.engine.begin() as conn:
            write_lock(conn)
            with Session(bind=conn) as s:
                v = _write_visits(s, store, by, [rec], now)[0]
                audit.append(s, account_id=by.account_id, username=by.username, action="visit.record", object_type="person",
                             object_id=person_id, after={"visit": v.id, "found": v.found, "evidence_m": v.evidence_m}, at=now)
                return VisitResult(v.id, v.evidence_m, None, None)
    from data.cases.dispatch import create_incident
    with store.session() as s:
        p = s.get(m.SupervisedPerson, person_id)
        if p is None:
            raise LedgerError("ledger.not_found", what="person", id=person_id)
        _check_visit(p, t, now)
        lon, lat = p.lon, p.lat
        subcategory = FOLLOW_UP_SUBCATEGORY.get(p.kind, DEFAULT_FOLLOW_UP_SUBCATEGORY)
    made: list[m.Visit] = []

    def with_visit(s: Session, inc: m.Incident) -> None:
        v = _write_visits(s, store, by, [{**rec, "incident_id": inc.id}], now)[0]
        made.append(v)
        audit.append(s, account_id=by.account_id, username=by.username, action="visit.record", object_type="person",
                     object_id=person_id, after={"visit": v.id, "found": v.found, "evidence_m": v.evidence_m,
                                                 "case_no": inc.case_no}, at=now)

    inc = create_incident(store, category=open_case.get("category", "special_population"),
                          subcategory=open_case.get("subcategory") or subcategory,
                          priority=open_case.get("priority", "normal"), source="grid_worker", lon=lon, lat=lat, actor=by,
                          description=open_case.get("description") or follow_up, at=now, within=with_visit)
    return VisitResult(made[0].id, made[0].evidence_m, inc.id, inc.case_no)


# --- out of supervision ----------------------------------------------------------------------------

ESCALATION_SUBCATEGORY = "special_population.lost_contact"


def escalate_lost(store: Store, now: datetime | None = None) -> list[Escalation]:
    """Open a case for everyone out of supervision (脱管) who has none yet for the visit they missed:
    one case per person and missed due day, whichever seat or command notices first (the check and
    the case are one transaction under the write lock). The case carries the ledger number, never the
    name: dispatchers read it."""
    now = now or datetime.now(timezone.utc)
    today = office_day(now)
    rules = kind_rules(store.meta)
    with store.session() as s:
        last = _last_visits(s)
        done = {(e.person_id, e.due_day) for e in s.scalars(select(m.PersonEscalation))}
        lost = []
        for p in s.scalars(select(m.SupervisedPerson)):
            sched = _schedule(p, rules, last.get(p.id), today)
            if sched.state == "lost" and (p.id, sched.due_day.isoformat()) not in done:
                lost.append((p.id, p.ledger_no, p.kind, p.lon, p.lat, sched))
    if not lost:
        return []
    actor = system_actor("台账预警")
    try:
        return _escalate(store, actor, lost, now)
    finally:
        sign_out(actor)  # one identity per round, not one more kept for each of a console's days


def _escalate(store: Store, actor: Principal, lost: list, now: datetime) -> list[Escalation]:
    from data.cases.dispatch import create_incident
    out: list[Escalation] = []
    for pid, ledger_no, kind, lon, lat, sched in lost:
        due = sched.due_day.isoformat()

        def record(s: Session, inc: m.Incident, pid=pid, due=due) -> None:
            if s.scalar(select(m.PersonEscalation.id).where(m.PersonEscalation.person_id == pid, m.PersonEscalation.due_day == due)):
                raise _AlreadyEscalated()
            s.add(m.PersonEscalation(person_id=pid, due_day=due, incident_id=inc.id, t=now))

        why = "上次走访未见本人" if sched.not_found else f"走访逾期 {sched.days_late} 天（应于 {due} 走访）"
        try:
            inc = create_incident(store, category="special_population", subcategory=ESCALATION_SUBCATEGORY, priority="high",
                                  source="ledger", lon=lon, lat=lat, actor=actor, at=now, within=record,
                                  description=f"台账预警：{PERSON_KINDS[kind].zh}人员 {ledger_no} {why}，疑似脱管，请核实下落。")
        except _AlreadyEscalated:
            continue  # another seat escalated it a moment ago
        out.append(Escalation(pid, ledger_no, sched.due_day, inc.id, inc.case_no))
        log.warning("person %s out of supervision (due %s): case %s opened", ledger_no, due, inc.case_no)
    return out


class _AlreadyEscalated(Exception):
    """Raised inside the escalation's transaction to undo a case another seat already opened."""
