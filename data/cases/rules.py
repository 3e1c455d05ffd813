"""Case stages derived from the append-only case events (the one source of truth)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from data.domain import FINAL_STAGES
from data.store.models import CaseEvent


@dataclass(frozen=True)
class CaseState:
    incident_id: int
    stage: str
    since: datetime  # when the case entered its current stage
    closed_at: datetime | None
    teams: tuple[int, ...]  # teams dispatched to the case and not yet released

    @property
    def is_open(self) -> bool:
        return self.stage not in FINAL_STAGES


def case_states(session: Session, at: datetime | None = None, since: datetime | None = None) -> dict[int, CaseState]:
    """The state of every case at time `at` (default: now), from events up to `at`.

    `since` limits the scan to cases with an event after it (the live board needs only recent ones).
    """
    q = select(CaseEvent.incident_id, CaseEvent.t, CaseEvent.to_stage, CaseEvent.team_id).order_by(
        CaseEvent.incident_id, CaseEvent.t, CaseEvent.id)
    if at is not None:
        q = q.where(CaseEvent.t <= at)
    if since is not None:
        recent = select(CaseEvent.incident_id).where(CaseEvent.t >= since)
        if at is not None:
            recent = recent.where(CaseEvent.t <= at)
        q = q.where(CaseEvent.incident_id.in_(recent.distinct()))
    out: dict[int, CaseState] = {}
    current: int | None = None
    stage = since_t = closed = None
    teams: list[int] = []

    def flush():
        if current is not None:
            out[current] = CaseState(current, stage, since_t, closed, tuple(teams))

    for incident_id, t, to_stage, team_id in session.execute(q):
        if incident_id != current:
            flush()
            current, teams, closed = incident_id, [], None
        stage, since_t = to_stage, t
        if to_stage == "dispatched" and team_id is not None and team_id not in teams:
            teams.append(team_id)
        if to_stage in FINAL_STAGES:
            closed = t
    flush()
    return out


# --- the case flow (GB/T 30428 and 综治 practice) -------------------------------------------------
# action -> (stages it may be taken from, stage it leads to; None: back to the stage before)
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
}


def allowed_actions(stage: str | None) -> list[str]:
    return [a for a, (frm, _) in ACTIONS.items() if stage in frm]
