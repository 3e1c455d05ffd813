"""The dispatcher's services: log an incident, find its grid and the cameras that see it, offer
duplicates, move a case through its stages, and notice teams arriving on scene.

Every change is an append-only case event written here (the console, the command line, tests and
other consoles all come through these functions); the current stage is derived from the events.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

import shapely
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import SYSTEM, Principal, require
from data.store import models as m
from data.cases.rules import ACTIONS, CaseError, CaseState, case_states, derive_state, resume_stage
from data.domain import CATEGORIES, LOCAL_TZ, PRIORITIES, SATISFACTION, SOURCES, STAGE_LIMIT_MIN, SUBCATEGORIES
from data.messages import Message, encode_note
from data.snapshot import grid_set_in_force
from data.store.core import Store, write_lock

log = logging.getLogger(__name__)

DUPLICATE_RADIUS_M, DUPLICATE_WINDOW = 100.0, timedelta(minutes=30)
HISTORY_RADIUS_M, HISTORY_WINDOW = 50.0, timedelta(days=90)
ARRIVAL_RADIUS_M = 30.0


@dataclass(frozen=True)
class Place:
    """Where an incident is, as of the grid set in force."""

    lon: float
    lat: float
    grid_code: str | None
    grid_name: str | None
    community_id: int | None
    community: str | None

    @property
    def outside(self) -> bool:
        return self.grid_code is None


@dataclass(frozen=True)
class CameraView:
    code: str
    name: str
    distance_m: float
    hd: bool


@dataclass
class IncidentSummary:
    id: int
    case_no: str
    category: str
    subcategory: str
    priority: str
    reported_at: datetime
    distance_m: float
    stage: str


def locate(store: Store, lon: float, lat: float, at: datetime | None = None) -> Place:
    gs = grid_set_in_force(store, at)
    p = shapely.Point(lon, lat)
    if gs is not None:
        with store.session() as s:
            rows = s.execute(select(m.Grid.code, m.Grid.name, m.Grid.community_id, m.Grid.geom)
                             .where(m.Grid.grid_set_id == gs.id)).all()
            names = dict(s.execute(select(m.Community.id, m.Community.name)).all())
        for code, name, cid, geom in rows:
            if geom.covers(p):
                return Place(lon, lat, code, name, cid, names.get(cid))
    return Place(lon, lat, None, None, None, None)


def _xy(store: Store, lon, lat) -> tuple[float, float]:
    x, y = store.projection.lonlat_to_xy(lon, lat)
    return float(x), float(y)


def cameras_seeing(store: Store, lon: float, lat: float) -> list[CameraView]:
    """Online or not, the cameras whose view wedge (heading, field of view, range) holds the point,
    nearest first."""
    x, y = _xy(store, lon, lat)
    out = []
    with store.session() as s:
        cams = s.scalars(select(m.Camera)).all()
    for c in cams:
        cx, cy = _xy(store, c.geom.x, c.geom.y)
        d = math.hypot(x - cx, y - cy)
        if d > c.range_m:
            continue
        bearing = math.degrees(math.atan2(x - cx, y - cy)) % 360
        off = abs((bearing - c.heading_deg + 180) % 360 - 180)
        if d < 1.0 or off <= c.fov_deg / 2:
            out.append(CameraView(c.code, c.name, d, c.hd))
    return sorted(out, key=lambda v: v.distance_m)


def _near(store: Store, lon: float, lat: float, radius: float, since: datetime, until: datetime,
          category: str | None = None, open_only: bool = False) -> list[IncidentSummary]:
    x, y = _xy(store, lon, lat)
    dlat = radius / 111_000 * 1.5
    dlon = dlat / max(0.1, math.cos(math.radians(lat)))
    I = m.Incident
    q = select(I).where(I.reported_at >= since, I.reported_at <= until, I.duplicate_of.is_(None))
    if category:
        q = q.where(I.category == category)
    with store.session() as s:
        cands = [i for i in s.scalars(q) if abs(i.geom.x - lon) <= dlon and abs(i.geom.y - lat) <= dlat]
        states = case_states(s, at=until) if cands else {}
    out = []
    for i in cands:
        ix, iy = _xy(store, i.geom.x, i.geom.y)
        d = math.hypot(ix - x, iy - y)
        st = states.get(i.id)
        stage = st.stage if st else "reported"
        if d <= radius and (not open_only or st is None or st.is_open):
            out.append(IncidentSummary(i.id, i.case_no, i.category, i.subcategory, i.priority, i.reported_at, d, stage))
    return sorted(out, key=lambda r: r.distance_m)


def possible_duplicates(store: Store, lon: float, lat: float, category: str, at: datetime | None = None) -> list[IncidentSummary]:
    """Open cases of the same category within 100 m reported in the last 30 minutes."""
    at = at or datetime.now(timezone.utc)
    return _near(store, lon, lat, DUPLICATE_RADIUS_M, at - DUPLICATE_WINDOW, at, category, open_only=True)


def nearby_history(store: Store, incident_id: int) -> list[IncidentSummary]:
    """Past incidents within 50 m of this one in the 90 days before it."""
    with store.session() as s:
        inc = s.get(m.Incident, incident_id)
    rows = _near(store, inc.geom.x, inc.geom.y, HISTORY_RADIUS_M, inc.reported_at - HISTORY_WINDOW, inc.reported_at)
    return [r for r in rows if r.id != incident_id]


def _next_case_no(session, at: datetime) -> str:
    day = at.astimezone(LOCAL_TZ).strftime("%Y%m%d")
    prefix = f"ZGL-{day}-"
    # Duplicate reports carry their case's number with a suffix and take none of the day's numbers.
    # A range on the unique index of case_no (a LIKE would scan every case: SQLite's LIKE ignores case).
    last = session.scalar(select(func.max(m.Incident.case_no)).where(m.Incident.case_no >= prefix, m.Incident.case_no < prefix + "~",
                                                                      m.Incident.duplicate_of.is_(None)))
    n = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{n:04d}"


def create_incident(store: Store, *, category: str, subcategory: str, priority: str, source: str, lon: float, lat: float,
                    actor: Principal, description: str = "", reporter: str | None = None, contact: str | None = None,
                    at: datetime | None = None, duplicate_of: int | None = None,
                    within: Callable[[Session, m.Incident], None] | None = None) -> m.Incident:
    """Log an incident (a new case, or a duplicate report kept on an open case), as a signed-in
    account with the permission to (data/accounts.py); audited with the case's first event.

    `within(session, incident)` runs in the same transaction once the case is written, for a record
    that must exist exactly when the case does (the visit that opened it, an escalation); whatever it
    raises undoes the case too."""
    require(actor, "case.report")
    at = at or datetime.now(timezone.utc)
    if category not in CATEGORIES:
        raise CaseError("case.unknown_category", category=category)
    if subcategory not in SUBCATEGORIES or not subcategory.startswith(category + "."):
        raise CaseError("case.bad_subcategory", subcategory=subcategory, category=category)
    if priority not in PRIORITIES:
        raise CaseError("case.unknown_priority", priority=priority)
    if source not in SOURCES:
        raise CaseError("case.unknown_source", source=source)
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        raise CaseError("case.bad_location")
    place = locate(store, lon, lat, at)
    if place.community_id is not None:
        require(actor, "case.report", community_id=place.community_id)
    if duplicate_of is not None and duplicate_of not in {d.id for d in possible_duplicates(store, lon, lat, category, at)}:
        # One rule for what is a duplicate: the same category, within 100 m and 30 minutes, still open.
        with store.session() as s:
            target = s.get(m.Incident, duplicate_of)
            still_open = target is not None and (st0 := derive_state(duplicate_of, _events(s, duplicate_of))) is not None and st0.is_open
        if not still_open:
            raise CaseError("case.merge_target_closed")
        raise CaseError("case.not_a_duplicate", case_no=target.case_no, radius_m=int(DUPLICATE_RADIUS_M),
                        minutes=int(DUPLICATE_WINDOW.total_seconds() // 60))
    with store.engine.begin() as conn:
        write_lock(conn)
        from sqlalchemy.orm import Session
        with Session(bind=conn) as s:
            if duplicate_of is not None:
                parent = s.get(m.Incident, duplicate_of)
                st = derive_state(duplicate_of, _events(s, duplicate_of))
                if parent is None or st is None or not st.is_open:
                    raise CaseError("case.merge_target_closed")
                n_dup = s.scalar(select(func.count()).select_from(m.Incident).where(m.Incident.duplicate_of == duplicate_of))
                case_no = f"{parent.case_no}-R{n_dup + 1}"  # a duplicate report: no number of its own
            else:
                case_no = _next_case_no(s, at)
            inc = m.Incident(case_no=case_no, category=category, subcategory=subcategory, priority=priority,
                             source=source, description=description, reporter=reporter or None, contact=contact or None,
                             reported_at=at, grid_code=place.grid_code, community_id=place.community_id,
                             duplicate_of=duplicate_of, geom=shapely.Point(lon, lat))
            s.add(inc)
            s.flush()
            s.add(m.CaseEvent(incident_id=inc.id, t=at, actor=actor.name, account_id=actor.account_id, action="report",
                              from_stage=None, to_stage="reported",
                              note="" if place.grid_code else encode_note(Message("note.outside_jurisdiction"))))
            if duplicate_of is not None:
                # Kept as a duplicate report on the open case: this record is closed as merged, and
                # the open case notes it (an event that leaves its stage as it is).
                s.add(m.CaseEvent(incident_id=inc.id, t=at, actor=actor.name, account_id=actor.account_id, action="merge", from_stage="reported",
                                  to_stage="voided", note=encode_note(Message("note.duplicate_of", {"case_no": parent.case_no}))))
                # A note on the open case: it leaves the stage and the stage's clock as they are
                # (data/cases/rules.NON_STAGE_ACTIONS).
                s.add(m.CaseEvent(incident_id=duplicate_of, t=max(at, st.last_t), actor=actor.name, account_id=actor.account_id,
                                  action="duplicate_report",
                                  from_stage=st.stage, to_stage=st.stage,
                                  note=encode_note(Message("note.duplicate_report", {"case_no": inc.case_no}))))
            s.flush()
            audit.append(s, account_id=actor.account_id, username=actor.username, action="case.report", object_type="case",
                         object_id=inc.id, after={"case_no": case_no, "category": category, "subcategory": subcategory,
                                                  "priority": priority, "source": source, "grid": place.grid_code,
                                                  "duplicate_of": duplicate_of}, at=at)
            if within is not None:
                within(s, inc)
                s.flush()
            s.expunge(inc)
        # leaving the block commits
    return inc


@dataclass
class TransitionResult:
    incident_id: int
    action: str
    from_stage: str
    to_stage: str
    at: datetime


def _events(s, incident_id: int) -> list[m.CaseEvent]:
    return s.scalars(select(m.CaseEvent).where(m.CaseEvent.incident_id == incident_id)
                     .order_by(m.CaseEvent.t, m.CaseEvent.id)).all()


@dataclass
class _Decision:
    """What a transition will write, decided from the case as read (and the case's newest event then)."""

    last_event_id: int | None
    stage: str | None
    to_stage: str
    team_id: int | None
    note: str
    at: datetime


def _decide(s, incident_id: int, action: str, actor: Principal, team_id: int | None, result: str | None, note: str,
            approved_by: Principal | None, at: datetime) -> _Decision:
    """Every check of one action on one case by the case rules (data/cases/rules.py); raises CaseError."""
    allowed_from, to_stage = ACTIONS[action]
    inc = s.get(m.Incident, incident_id)
    if inc is None:
        raise CaseError("case.not_found", incident_id=incident_id)
    require(actor, f"case.{action}", community_id=inc.community_id)
    events = _events(s, incident_id)
    state = derive_state(incident_id, events)
    stage = state.stage if state else None
    if stage not in allowed_from:
        raise CaseError("case.wrong_stage", case_no=inc.case_no, stage=stage or "", action=action,
                        allowed=tuple(sorted(allowed_from)))
    if action == "resume":
        to_stage = resume_stage(state)
    if action == "resolve" and inc.category == "dispute" and result not in ("mediated", "not_mediated"):
        raise CaseError("case.dispute_result_needed")
    if action == "callback" and result not in SATISFACTION:
        raise CaseError("case.callback_result_needed")
    if action == "verify":
        # Separation of duties by account: the one who resolved may not verify (a resolve
        # recorded before accounts is matched by the name it carries).
        resolve = next((e for e in reversed(events) if e.action == "resolve"), None)
        if resolve is not None and (resolve.account_id == actor.account_id if resolve.account_id is not None
                                    else resolve.actor == actor.name):
            raise CaseError("case.same_account_verifier")
    if action == "extend":
        if approved_by is None or approved_by.account_id is None or approved_by.account_id == actor.account_id:
            raise CaseError("case.extension_approval")
        require(approved_by, "case.approve_extension", community_id=inc.community_id)
        note = encode_note(Message("note.approved_by_reason", {"approver": approved_by.name, "reason": note}) if note
                           else Message("note.approved_by", {"approver": approved_by.name}))
    if action == "arrive" and team_id is None:
        team_id = state.teams[-1] if state.teams else None
    if state.last_t is not None and at < state.last_t:
        at = state.last_t  # events never go back in time
    return _Decision(events[-1].id if events else None, stage, to_stage, team_id, note, at)


def transition(store: Store, incident_id: int, action: str, actor: Principal, *, team_id: int | None = None,
               result: str | None = None, note: str = "", approved_by: Principal | None = None,
               at: datetime | None = None, reassign: bool = False) -> TransitionResult:
    """Take one action on a case as a signed-in account; refused (a coded error) when its roles do
    not allow the action, the case is outside its communities, or the case rules do not allow it.
    Audited in the same transaction.

    The case is read and every check made before the store's write lock is taken; under the lock only
    the case's newest event is read again (if another seat moved the case meanwhile, the checks are
    made again there) and, for a dispatch, whether the team went busy: the lock is held for the writes,
    so other seats and the tracker feed wait milliseconds, not the time of the reads."""
    at = at or datetime.now(timezone.utc)
    if action not in ACTIONS:
        raise CaseError("case.unknown_action", action=action)
    require(actor, f"case.{action}")
    with store.session() as s:
        decided = _decide(s, incident_id, action, actor, team_id, result, note, approved_by, at)
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            newest = s.scalar(select(func.max(m.CaseEvent.id)).where(m.CaseEvent.incident_id == incident_id))
            if newest != decided.last_event_id:  # the case moved since it was read: decide again, under the lock
                decided = _decide(s, incident_id, action, actor, team_id, result, note, approved_by, at)
            if action == "dispatch":
                _check_team(s, decided.team_id, incident_id, reassign, decided.at)
            # Plain INSERTs (not the ORM's unit of work) under the lock: its time is every writer's.
            s.execute(insert(m.CaseEvent), [dict(incident_id=incident_id, t=decided.at, actor=actor.name,
                                                 account_id=actor.account_id, action=action, from_stage=decided.stage,
                                                 to_stage=decided.to_stage, team_id=decided.team_id, result=result,
                                                 note=decided.note)])
            audit.append(s, account_id=actor.account_id, username=actor.username, action=f"case.{action}", object_type="case",
                         object_id=incident_id, before={"stage": decided.stage},
                         after={"stage": decided.to_stage, "team_id": decided.team_id, "result": result, "note": decided.note,
                                "approved_by": approved_by.username if approved_by else None}, at=decided.at)
    return TransitionResult(incident_id, action, decided.stage, decided.to_stage, decided.at)


def _check_team(s, team_id: int | None, incident_id: int, reassign: bool, at: datetime) -> None:
    team = s.get(m.Team, team_id) if team_id is not None else None
    if team is None:
        raise CaseError("case.no_team")
    # Under the write lock: only the cases this team was sent to (by index), never a month of events.
    states = case_states(s, at=at, since=at - timedelta(days=30), team_id=team_id)
    busy = [st for st in states.values() if st.busy and team_id in st.teams]
    if any(st.incident_id == incident_id for st in busy):
        raise CaseError("case.team_on_this_case")
    if busy and not reassign:
        other = s.get(m.Incident, busy[0].incident_id)
        # Who sent it there: a dispatcher who lost a race to another seat is told who won it.
        by = s.scalar(select(m.CaseEvent.actor).where(m.CaseEvent.incident_id == other.id, m.CaseEvent.action == "dispatch",
                                                      m.CaseEvent.team_id == team_id).order_by(m.CaseEvent.id.desc()).limit(1))
        raise CaseError("case.team_busy", team=team.name, case_no=other.case_no, stage=busy[0].stage, by=by or "?")


# --- time limits ------------------------------------------------------------------------------------

def time_left(priority: str, stage: str, since: datetime, now: datetime) -> timedelta | None:
    """Time left before the case is overdue in its stage (negative: overdue); None: no limit."""
    limit = STAGE_LIMIT_MIN.get(priority, {}).get(stage)
    if limit is None:
        return None
    return since + timedelta(minutes=limit) - now


# --- arrivals -----------------------------------------------------------------------------------------

@dataclass
class ArrivalWatcher:
    """Records 'on scene' when an assigned team's fix comes within 30 m of its case.

    Fed with every batch of stored fixes (by the ingest writer); keeps the dispatched cases in
    memory and rereads them every few seconds.
    """

    store: Store
    refresh_s: float = 2.0
    _cases: dict[int, list[tuple[int, float, float]]] = field(default_factory=dict)  # team -> [(incident, x, y)]
    _loaded_at: float = 0.0

    def _reload(self) -> None:
        import time
        now = datetime.now(timezone.utc)
        with self.store.session() as s:
            states = case_states(s, at=now, since=now - timedelta(days=30))
            open_ids = [st.incident_id for st in states.values() if st.stage == "dispatched"]
            incs = {i.id: i for i in s.scalars(select(m.Incident).where(m.Incident.id.in_(open_ids)))} if open_ids else {}
        cases: dict[int, list] = {}
        for iid in open_ids:
            inc = incs[iid]
            x, y = _xy(self.store, inc.geom.x, inc.geom.y)
            for tid in states[iid].teams:
                cases.setdefault(tid, []).append((iid, x, y))
        self._cases, self._loaded_at = cases, time.monotonic()

    def check(self, fixes: list[dict]) -> list[TransitionResult]:
        import time
        if time.monotonic() - self._loaded_at > self.refresh_s:
            self._reload()
        done = []
        for f in fixes:
            for iid, x, y in self._cases.get(f["team_id"], []):
                fx, fy = _xy(self.store, f["lon"], f["lat"])
                if math.hypot(fx - x, fy - y) <= ARRIVAL_RADIUS_M:
                    try:
                        # Never from the future: a fix that claims a later time than it was received
                        # (a clock ahead, or a forged time) arrives when it was received.
                        at = min(f["t"], f.get("received_at") or datetime.now(timezone.utc))
                        done.append(transition(self.store, iid, "arrive", SYSTEM, team_id=f["team_id"], at=at,
                                               note=encode_note(Message("note.arrived_by_tracker",
                                                                        {"radius_m": int(ARRIVAL_RADIUS_M)}))))
                    except CaseError as exc:  # already on scene (another console, or the dispatcher)
                        log.debug("arrival of team %s at case %s not recorded: %s", f["team_id"], iid, exc)
                    self._cases[f["team_id"]] = [c for c in self._cases[f["team_id"]] if c[0] != iid]
        return done


@dataclass
class CaseRow:
    """One case as the case board shows it (derived from its incident and events)."""

    id: int
    case_no: str
    category: str
    subcategory: str
    priority: str
    source: str
    grid_code: str | None
    community_id: int | None
    reported_at: datetime
    stage: str
    since: datetime
    teams: tuple[int, ...]
    lon: float
    lat: float
    description: str

    def time_left(self, now: datetime) -> timedelta | None:
        return time_left(self.priority, self.stage, self.since, now)

    @classmethod
    def of(cls, i: m.Incident, st: CaseState | None) -> "CaseRow":
        """A case's row from its incident and its derived state (None: no events yet, just reported)."""
        stage, since, teams = (st.stage, st.since, st.teams) if st else ("reported", i.reported_at, ())
        return cls(i.id, i.case_no, i.category, i.subcategory, i.priority, i.source, i.grid_code, i.community_id,
                   i.reported_at, stage, since, teams, i.geom.x, i.geom.y, i.description)


def open_cases(store: Store, now: datetime | None = None, lookback: timedelta = timedelta(days=30)) -> list[CaseRow]:
    """Every open case (not closed or voided), with its stage and how long it has been in it."""
    now = now or datetime.now(timezone.utc)
    with store.session() as s:
        states = {k: v for k, v in case_states(s, at=now, since=now - lookback).items() if v.is_open}
        if not states:
            return []
        incs = s.scalars(select(m.Incident).where(m.Incident.id.in_(list(states)))).all()
    return [CaseRow.of(i, states[i.id]) for i in incs]


def case_timeline(store: Store, incident_id: int) -> list[m.CaseEvent]:
    with store.session() as s:
        return s.scalars(select(m.CaseEvent).where(m.CaseEvent.incident_id == incident_id)
                         .order_by(m.CaseEvent.t, m.CaseEvent.id)).all()


def staff_names(store: Store) -> list[str]:
    with store.session() as s:
        return s.scalars(select(m.Staff.name).order_by(m.Staff.id)).all()


def find_cases(store: Store, text: str, limit: int = 20) -> list[tuple[int, str]]:
    """(id, case number) of cases whose number contains `text`, newest first: search reaches every
    case, closed ones included, not only those on the map."""
    q = text.strip()
    if not q:
        return []
    with store.session() as s:
        rows = s.execute(select(m.Incident.id, m.Incident.case_no).where(m.Incident.case_no.ilike(f"%{q}%"))
                         .order_by(m.Incident.reported_at.desc()).limit(limit)).all()
    return [(int(r[0]), r[1]) for r in rows]


def case_row(store: Store, incident_id: int) -> CaseRow | None:
    """One case as the board shows it, open or closed (search and history reach closed cases)."""
    with store.session() as s:
        i = s.get(m.Incident, incident_id)
        if i is None:
            return None
        return CaseRow.of(i, derive_state(incident_id, _events(s, incident_id)))
