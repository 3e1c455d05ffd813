"""The case rules have one home (data/cases/rules.py): every action from every stage, the state the
store derives equals the one replay derives, a merged duplicate leaves the stage clock alone, and
"busy" means the same to the recommender, the assignment, the live map and replay."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from data.cases.dispatch import case_row, create_incident, open_cases, transition
from data.cases.rules import ACTIONS, BUSY_STAGES, CaseError, case_states
from data.replay.index import ReplayIndex
from data.routing.recommender import Recommender
from data.snapshot import busy_teams
from data.store import models as m
from data.store.core import open_store
from tests.conftest import who, DEMO_UNTIL

AT = DEMO_UNTIL + timedelta(minutes=1)

# A way to reach each stage from a new report (the actions, in order).
PATHS = {
    "reported": [],
    "accepted": ["accept"],
    "returned": ["return"],
    "voided": ["void"],
    "dispatched": ["accept", "dispatch"],
    "on_scene": ["accept", "dispatch", "arrive"],
    "resolved": ["accept", "dispatch", "arrive", "resolve"],
    "rework": ["accept", "dispatch", "arrive", "resolve", "send_back"],
    "verified": ["accept", "dispatch", "arrive", "resolve", "verify"],
    "closed": ["accept", "dispatch", "arrive", "resolve", "verify", "close"],
    "extended": ["accept", "dispatch", "extend"],
    "parked": ["accept", "park"],
}


@pytest.fixture
def store(demo_copy):
    s = open_store(demo_copy)
    yield s
    s.close()


def _teams(store, kind="grid_worker", n=80):
    with store.session() as s:
        return [t.id for t in s.scalars(select(m.Team).where(m.Team.kind == kind).order_by(m.Team.id)).all()[:n]]


def _centre(store):
    with store.session() as s:
        g = s.scalars(select(m.Grid)).first()
    p = g.geom.representative_point()
    return p.x, p.y


def _kw(action: str, team: int) -> dict:
    """Who takes an action and with what: different people resolve and verify, and an extension is
    approved by someone other than the person asking."""
    kw = {"dispatch": {"team_id": team}, "resolve": {"result": "done"}, "extend": {"approved_by": "谭海"},
          "callback": {"result": "satisfied"}}.get(action, {})
    # 周晓燕 (a dispatcher) resolves, 吴敏 (shift lead: dispatcher and verifier) does the rest.
    return {**kw, "actor": "周晓燕" if action == "resolve" else "吴敏"}


def test_every_action_from_every_stage_and_replay_derives_the_same_state(store):
    lon, lat = _centre(store)
    teams = _teams(store)
    t = AT
    k = 0
    cases = []
    for stage, path in PATHS.items():
        for action in ACTIONS:
            inc = create_incident(store, category="municipal", subcategory="municipal.road", priority="normal",
                                  source="hotline", lon=lon + 0.0002 * (k % 7), lat=lat, actor=who(store, "刘建平"), at=t)
            team = teams[k % len(teams)]
            k += 1
            for step in path:
                t += timedelta(seconds=10)
                kw = _kw(step, team)
                kw = {k2: (who(store, v) if k2 == "approved_by" else v) for k2, v in kw.items()}
                transition(store, inc.id, step, who(store, kw.pop("actor")), at=t, reassign=True, **kw)
            assert case_row(store, inc.id).stage == stage
            t += timedelta(seconds=10)
            allowed_from, to_stage = ACTIONS[action]
            kw = _kw(action, teams[(k + 40) % len(teams)])
            kw = {k2: (who(store, v) if k2 == "approved_by" else v) for k2, v in kw.items()}
            try:
                r = transition(store, inc.id, action, who(store, kw.pop("actor")), at=t, reassign=True, **kw)
            except CaseError as exc:
                assert stage not in allowed_from, f"{action} from {stage} refused: {exc.code}"
                assert exc.code == "case.wrong_stage" and exc.fields["stage"] == stage
            else:
                assert stage in allowed_from, f"{action} from {stage} was allowed"
                expected = to_stage if to_stage is not None else {"extended": "dispatched", "parked": "accepted"}[stage]
                assert r.to_stage == expected
            cases.append(inc.id)
    # The store's derivation and replay's, at several instants, agree on every case.
    idx = ReplayIndex(store, AT - timedelta(minutes=5), t + timedelta(minutes=5))
    for at in (AT + (t - AT) * f for f in (0.25, 0.5, 0.9, 1.0)):
        with store.session() as s:
            ours = case_states(s, at=at)
        theirs = idx.states_at(at)
        for iid in cases:
            if iid in ours:
                a, b = ours[iid], theirs[iid]
                assert (a.stage, a.since, a.teams, a.busy) == (b.stage, b.since, b.teams, b.busy), iid


def test_a_merged_duplicate_does_not_restart_the_stage_clock(store):
    lon, lat = _centre(store)
    inc = create_incident(store, category="fire", subcategory="fire.corridor", priority="normal", source="hotline",
                          lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    transition(store, inc.id, "accept", who(store, "刘建平"), at=AT + timedelta(minutes=1))
    before = next(r for r in open_cases(store, AT + timedelta(minutes=3)) if r.id == inc.id)
    create_incident(store, category="fire", subcategory="fire.corridor", priority="normal", source="camera",
                    lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT + timedelta(minutes=4), duplicate_of=inc.id)
    now = AT + timedelta(minutes=5)
    after = next(r for r in open_cases(store, now) if r.id == inc.id)
    assert (after.stage, after.since) == (before.stage, before.since) == ("accepted", AT + timedelta(minutes=1))
    assert after.time_left(now) == before.time_left(now)
    idx = ReplayIndex(store, AT, now)
    assert idx.states_at(now)[inc.id].since == AT + timedelta(minutes=1)


def test_busy_means_the_same_everywhere_for_an_extended_case(store):
    assert "extended" in BUSY_STAGES and "parked" not in BUSY_STAGES
    lon, lat = _centre(store)
    rec = Recommender(store)
    x, y = (float(v) for v in store.projection.lonlat_to_xy(lon, lat))
    first = rec.recommend(x, y, "public_order", None, AT)
    assert first.candidates, "the demo has patrol teams on duty"
    team = first.candidates[0].team_id
    inc = create_incident(store, category="public_order", subcategory="public_order.fight", priority="urgent",
                          source="hotline", lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    transition(store, inc.id, "accept", who(store, "刘建平"), at=AT)
    transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=team, at=AT + timedelta(minutes=1))
    transition(store, inc.id, "arrive", who(store, "刘建平"), at=AT + timedelta(minutes=3))
    transition(store, inc.id, "extend", who(store, "刘建平"), approved_by=who(store, "谭海"), at=AT + timedelta(minutes=4))
    now = AT + timedelta(minutes=5)
    # The live map, replay and the recommender (reading the store) all call the team busy ...
    assert busy_teams(store, now)[team] == "on_scene"
    assert ReplayIndex(store, AT, now).busy_at(now)[team] == "on_scene"
    again = rec.recommend(x, y, "public_order", None, now)
    assert team not in [c.team_id for c in again.candidates]
    assert next(c for c in again.excluded if c.team_id == team).excluded.code == "exclude.busy"
    # ... and so does the assignment: it asks to confirm a reassignment.
    other = create_incident(store, category="public_order", subcategory="public_order.noise", priority="normal",
                            source="hotline", lon=lon, lat=lat, actor=who(store, "刘建平"), at=now)
    transition(store, other.id, "accept", who(store, "刘建平"), at=now)
    with pytest.raises(CaseError) as info:
        transition(store, other.id, "dispatch", who(store, "刘建平"), team_id=team, at=now)
    assert info.value.code == "case.team_busy" and info.value.fields["case_no"] == inc.case_no
    # Parked frees the team everywhere.
    transition(store, inc.id, "resume", who(store, "刘建平"), at=now)
    transition(store, inc.id, "park", who(store, "刘建平"), note="等待物业", at=now + timedelta(minutes=1))
    later = now + timedelta(minutes=2)
    assert team not in busy_teams(store, later)
    assert team not in ReplayIndex(store, AT, later).busy_at(later)
