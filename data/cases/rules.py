"""The case rules, in one place: which actions a stage allows, where each leads, how the state of a
case is derived from its append-only events, and which stages keep a team busy.

Everything that asks "what stage is this case in, since when, with which teams" — the case board,
the case panel, assignment, the recommender, the live map, replay — calls `derive_state` (or the
incremental `CaseFold` it is built on), so they cannot disagree. docs/ARCHITECTURE.md says how to
add an action.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.domain import FINAL_STAGES
from data.messages import GridWatchError
from data.store.models import CaseEvent


class CaseError(GridWatchError):
    """A refused case action or intake: a code from data.messages.CATALOGUE ("case.*") with fields."""


# action -> (stages it may be taken from, stage it leads to; None: back to the working stage before)
ACTIONS: dict[str, tuple[frozenset[str], str | None]] = {
    "accept": (frozenset({"reported", "returned"}), "accepted"),
    "void": (frozenset({"reported", "returned"}), "voided"),
    "return": (frozenset({"reported", "accepted", "dispatched"}), "returned"),
    "dispatch": (frozenset({"accepted", "dispatched", "on_scene", "rework"}), "dispatched"),
    "arrive": (frozenset({"dispatched", "rework"}), "on_scene"),
    "resolve": (frozenset({"on_scene", "rework"}), "resolved"),
    "verify": (frozenset({"resolved"}), "verified"),
    "send_back": (frozenset({"resolved"}), "rework"),
    "close": (frozenset({"verified"}), "closed"),
    "extend": (frozenset({"dispatched", "on_scene", "rework"}), "extended"),
    "park": (frozenset({"accepted", "dispatched", "on_scene", "rework"}), "parked"),
    "resume": (frozenset({"extended", "parked"}), None),
    # 回访: after closure the reporter is called back and their satisfaction recorded (GB/T 30428's
    # evaluation); it leaves the case closed.
    "callback": (frozenset({"closed"}), "closed"),
}

# A team dispatched to a case in one of these stages is busy: the recommender leaves it out, the map
# colours it, and assigning it elsewhere needs a confirmed reassignment. An extended case is still
# being worked on (the team asked for more time); a parked one is suspended and frees its teams.
BUSY_STAGES = frozenset({"dispatched", "on_scene", "rework", "extended"})

# Events that record something without moving the case (a duplicate report merged into it): they
# change neither the stage nor when it began, so the stage's countdown runs on.
NON_STAGE_ACTIONS = frozenset({"duplicate_report", "callback"})


def allowed_actions(stage: str | None) -> list[str]:
    return [a for a, (frm, _) in ACTIONS.items() if stage in frm]


def moves_stage(action: str, from_stage: str | None, to_stage: str) -> bool:
    """Whether an event starts a stage (and its clock). A dispatch always does, even from
    'dispatched' (another team, a new arrival limit); a note-only event never does."""
    if action in NON_STAGE_ACTIONS:
        return False
    return from_stage != to_stage or action == "dispatch"


@dataclass(frozen=True)
class CaseState:
    """What a case's events say about it at some instant."""

    incident_id: int
    stage: str
    since: datetime  # when the case entered its current stage (its limit counts from here)
    closed_at: datetime | None
    teams: tuple[int, ...]  # teams dispatched to the case (in order)
    resume_to: str | None = None  # the working stage an extended/parked case returns to
    last_resolver: str | None = None
    last_t: datetime | None = None  # the newest event (events never go back in time)

    @property
    def is_open(self) -> bool:
        return self.stage not in FINAL_STAGES

    @property
    def busy(self) -> bool:
        return self.stage in BUSY_STAGES

    @property
    def team_status(self) -> str | None:
        """How the case's teams show on the map: on scene, dispatched, or None when not busy."""
        if not self.busy:
            return None
        working = self.resume_to if self.stage == "extended" else self.stage
        return "on_scene" if working == "on_scene" else "dispatched"


class CaseFold:
    """Folds one case's events, in (time, id) order, into its state. Incremental so that replay can
    take the state after every event in one pass; plain attributes while folding (a frozen
    CaseState is built only when asked for), because the board folds 30 days of events every few
    seconds."""

    __slots__ = ("incident_id", "stage", "since", "closed_at", "teams", "resume_to", "last_resolver", "last_t")

    def __init__(self, incident_id: int):
        self.incident_id = incident_id
        self.stage: str | None = None
        self.since: datetime | None = None
        self.closed_at: datetime | None = None
        self.teams: tuple[int, ...] = ()
        self.resume_to: str | None = None
        self.last_resolver: str | None = None
        self.last_t: datetime | None = None

    def apply(self, t: datetime, action: str, from_stage: str | None, to_stage: str, team_id: int | None = None,
              actor: str | None = None) -> None:
        if self.stage is None:
            self.stage, self.since = to_stage, t
        elif moves_stage(action, from_stage, to_stage):
            if to_stage in ("extended", "parked") and self.stage not in ("extended", "parked"):
                self.resume_to = self.stage
            self.stage, self.since = to_stage, t
        if self.last_t is None or t > self.last_t:
            self.last_t = t
        if action == "dispatch" and team_id is not None and team_id not in self.teams:
            self.teams += (team_id,)
        if action == "resolve":
            self.last_resolver = actor
        if self.closed_at is None and self.stage in FINAL_STAGES:
            self.closed_at = t

    @property
    def state(self) -> CaseState | None:
        if self.stage is None:
            return None
        return CaseState(self.incident_id, self.stage, self.since, self.closed_at, self.teams, self.resume_to,
                         self.last_resolver, self.last_t)


def derive_state(incident_id: int, events: Iterable[Any]) -> CaseState | None:
    """The state of one case from its events (objects or rows with t, action, from_stage, to_stage,
    team_id, actor), in (time, id) order; None when it has none."""
    fold = CaseFold(incident_id)
    for e in events:
        fold.apply(e.t, e.action, e.from_stage, e.to_stage, e.team_id, getattr(e, "actor", None))
    return fold.state


def resume_stage(state: CaseState) -> str:
    return state.resume_to or "dispatched"


def _event_rows(session: Session, at: datetime | None, since: datetime | None, team_id: int | None = None) -> Iterator[Any]:
    E = CaseEvent
    q = select(E.incident_id, E.t, E.action, E.from_stage, E.to_stage, E.team_id, E.actor).order_by(E.incident_id, E.t, E.id)
    if at is not None:
        q = q.where(E.t <= at)
    if since is not None:
        recent = select(E.incident_id).where(E.t >= since)
        if at is not None:
            recent = recent.where(E.t <= at)
        if team_id is not None:  # by the (team, time) index: a team's few cases, not the whole month's
            recent = recent.where(E.team_id == team_id, E.action == "dispatch")
        q = q.where(E.incident_id.in_(recent.distinct()))
    elif team_id is not None:
        q = q.where(E.incident_id.in_(select(E.incident_id).where(E.team_id == team_id, E.action == "dispatch").distinct()))
    return session.execute(q)


def case_states(session: Session, at: datetime | None = None, since: datetime | None = None,
                team_id: int | None = None) -> dict[int, CaseState]:
    """The state of every case at time `at` (default: now), from its events up to `at`.

    `since` limits the scan to cases with an event after it (the live board needs only recent ones);
    `team_id` to the cases that team was dispatched to (a team is on a case only by a dispatch), which
    is what a dispatch checks under the store's write lock: a few rows by index, not a month of events.
    """
    out: dict[int, CaseState] = {}
    fold: CaseFold | None = None
    # By position: a Row's .t is SQLAlchemy's tuple accessor, not the column named t.
    for incident_id, t, action, from_stage, to_stage, team, actor in _event_rows(session, at, since, team_id):
        if fold is None or fold.incident_id != incident_id:
            if fold is not None:
                out[fold.incident_id] = fold.state
            fold = CaseFold(incident_id)
        fold.apply(t, action, from_stage, to_stage, team, actor)
    if fold is not None:
        out[fold.incident_id] = fold.state
    return out


def busy_teams_of(states: Iterable[CaseState]) -> dict[int, str]:
    """team id -> "dispatched" | "on_scene" for teams on a case in a busy stage (the newest case wins)."""
    busy: dict[int, str] = {}
    for st in sorted(states, key=lambda s: s.since):
        status = st.team_status
        if status is not None:
            for tid in st.teams:
                busy[tid] = status
    return busy
