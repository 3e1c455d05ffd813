"""Dispatch services: intake, cameras, duplicates, the case flow and its refusals, ranking by road
travel time (checked against networkx), races, and automatic arrival."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import contextlib
import threading
from datetime import datetime, timedelta, timezone

import networkx as nx
import numpy as np
import pytest
import shapely
from sqlalchemy import insert, select

from data.store import models as m
from data.messages import GridWatchError
from data.cases.dispatch import (ArrivalWatcher, CaseError, cameras_seeing, create_incident, locate, nearby_history,
                           possible_duplicates, transition)
from data.routing.recommender import RoadGraph, Recommender
from data.store.core import open_store
from tests.conftest import who, DEMO_UNTIL

# Every test on the demo runs on a GeoPackage and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

AT = DEMO_UNTIL + timedelta(minutes=1)  # 10:31 China time: day shifts on duty



@contextlib.contextmanager
def refused(code: str):
    """The action is refused with this code (the console translates codes; nobody matches text)."""
    with pytest.raises(GridWatchError) as info:
        yield info
    assert info.value.code == code, f"refused with {info.value.code}, expected {code}"

@pytest.fixture
def store(demo_copy):
    s = open_store(demo_copy)
    yield s
    s.close()


def grid_centre(store, code="BJJ-03"):
    with store.session() as s:
        g = s.scalars(select(m.Grid).where(m.Grid.code == code)).one()
    p = g.geom.point_on_surface()
    return p.x, p.y


def test_intake_fills_grid_case_number_and_cameras(store):
    lon, lat = grid_centre(store)
    place = locate(store, lon, lat, AT)
    assert place.grid_code == "BJJ-03" and place.community == "八角井社区"
    inc = create_incident(store, category="traffic", subcategory="traffic.ebike_collision", priority="urgent",
                          source="camera", lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    day = AT.astimezone(timezone(timedelta(hours=8))).strftime("%Y%m%d")
    assert inc.case_no.startswith(f"ZGL-{day}-") and inc.grid_code == "BJJ-03"
    second = create_incident(store, category="other", subcategory="other.other", priority="low", source="walk_in",
                             lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    assert int(second.case_no[-4:]) == int(inc.case_no[-4:]) + 1
    # Outside the district: allowed, no grid.
    out = create_incident(store, category="other", subcategory="other.other", priority="low", source="walk_in",
                          lon=108.30, lat=30.70, actor=who(store, "刘建平"), at=AT)
    assert out.grid_code is None and locate(store, 108.30, 30.70, AT).outside
    with refused("case.bad_subcategory"):
        create_incident(store, category="fire", subcategory="traffic.parking", priority="low", source="other",
                        lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    # A name is not an identity: only a signed-in account acts (data/accounts.py).
    for forged in ("", "谭海"):
        with refused("auth.not_signed_in"):
            create_incident(store, category="other", subcategory="other.other", priority="low", source="other",
                            lon=lon, lat=lat, actor=forged, at=AT)


def test_cameras_that_see_a_point(store):
    with store.session() as s:
        cam = s.scalars(select(m.Camera).where(m.Camera.code == "TW0010")).one()
    x0, y0 = store.projection.lonlat_to_xy(cam.geom.x, cam.geom.y)
    h = math.radians(cam.heading_deg)
    ahead = store.projection.xy_to_lonlat(x0 + 0.5 * cam.range_m * math.sin(h), y0 + 0.5 * cam.range_m * math.cos(h))
    behind = store.projection.xy_to_lonlat(x0 - 0.5 * cam.range_m * math.sin(h), y0 - 0.5 * cam.range_m * math.cos(h))
    assert "TW0010" in [c.code for c in cameras_seeing(store, float(ahead[0]), float(ahead[1]))]
    assert "TW0010" not in [c.code for c in cameras_seeing(store, float(behind[0]), float(behind[1]))]
    views = cameras_seeing(store, float(ahead[0]), float(ahead[1]))
    assert [v.distance_m for v in views] == sorted(v.distance_m for v in views)


def test_duplicates_are_offered_and_merged(store):
    lon, lat = grid_centre(store, "YA-02")
    first = create_incident(store, category="public_order", subcategory="public_order.noise", priority="normal",
                            source="hotline", lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    near = store.projection.xy_to_lonlat(*(np.array(store.projection.lonlat_to_xy(lon, lat)) + [30, 20]))
    dups = possible_duplicates(store, float(near[0]), float(near[1]), "public_order", AT + timedelta(minutes=10))
    assert [d.case_no for d in dups] == [first.case_no]
    assert possible_duplicates(store, float(near[0]), float(near[1]), "fire", AT + timedelta(minutes=10)) == []
    assert possible_duplicates(store, float(near[0]), float(near[1]), "public_order", AT + timedelta(minutes=40)) == []
    # Merging is refused where the rule does not hold: another category, or too late.
    with refused("case.not_a_duplicate"):
        create_incident(store, category="fire", subcategory="fire.corridor", priority="normal", source="hotline",
                        lon=float(near[0]), lat=float(near[1]), actor=who(store, "周晓燕"), at=AT + timedelta(minutes=10), duplicate_of=first.id)
    with refused("case.not_a_duplicate"):
        create_incident(store, category="public_order", subcategory="public_order.noise", priority="normal", source="hotline",
                        lon=float(near[0]), lat=float(near[1]), actor=who(store, "周晓燕"), at=AT + timedelta(minutes=40), duplicate_of=first.id)
    dup = create_incident(store, category="public_order", subcategory="public_order.noise", priority="normal",
                          source="hotline", lon=float(near[0]), lat=float(near[1]), actor=who(store, "周晓燕"),
                          at=AT + timedelta(minutes=10), duplicate_of=first.id)
    # A merged report takes no number of the day: it carries its case's number, and the next case
    # gets the next number.
    assert dup.case_no == f"{first.case_no}-R1"
    nxt = create_incident(store, category="fire", subcategory="fire.corridor", priority="normal", source="hotline",
                          lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT + timedelta(minutes=11))
    assert int(nxt.case_no.rsplit("-", 1)[1]) == int(first.case_no.rsplit("-", 1)[1]) + 1
    with store.session() as s:
        assert s.get(m.Incident, dup.id).duplicate_of == first.id
        notes = s.scalars(select(m.CaseEvent.note).where(m.CaseEvent.incident_id == first.id)).all()
    assert any(dup.case_no in n for n in notes)
    assert first.case_no in [h.case_no for h in nearby_history(store, dup.id)]  # 36 m away, 10 min earlier
    hist = nearby_history(store, first.id)
    assert all(h.distance_m <= 50 for h in hist)


def test_case_flow_and_its_refusals(store):
    lon, lat = grid_centre(store, "FS-03")
    inc = create_incident(store, category="dispute", subcategory="dispute.neighbour", priority="normal", source="hotline",
                          lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    t = AT
    with refused("case.wrong_stage"):
        transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=1, at=t)
    transition(store, inc.id, "accept", who(store, "刘建平"), at=t + timedelta(minutes=1))
    with store.session() as s:
        team = s.scalars(select(m.Team).where(m.Team.kind == "mediator")).first()
    transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=team.id, at=t + timedelta(minutes=2))
    transition(store, inc.id, "arrive", who(store, "刘建平"), at=t + timedelta(minutes=9))
    with refused("case.dispute_result_needed"):
        transition(store, inc.id, "resolve", who(store, "刘建平"), at=t + timedelta(minutes=30))
    # 吴敏 leads the shift (dispatcher and verifier): he resolves, so he may not verify; by account.
    transition(store, inc.id, "resolve", who(store, "吴敏"), result="mediated", at=t + timedelta(minutes=30))
    with refused("case.same_account_verifier"):
        transition(store, inc.id, "verify", who(store, "吴敏"), at=t + timedelta(minutes=40))
    with refused("auth.forbidden"):  # a dispatcher does not verify at all
        transition(store, inc.id, "verify", who(store, "周晓燕"), at=t + timedelta(minutes=40))
    transition(store, inc.id, "send_back", who(store, "谭海"), note="补充调解协议", at=t + timedelta(minutes=41))
    transition(store, inc.id, "resolve", who(store, "吴敏"), result="mediated", at=t + timedelta(minutes=50))
    transition(store, inc.id, "verify", who(store, "谭海"), at=t + timedelta(minutes=55))
    with refused("case.wrong_stage"):
        transition(store, inc.id, "extend", who(store, "刘建平"), approved_by=who(store, "谭海"), at=t + timedelta(minutes=56))
    with refused("auth.forbidden"):
        transition(store, inc.id, "close", who(store, "刘建平"), at=t + timedelta(minutes=60))
    transition(store, inc.id, "close", who(store, "谭海"), at=t + timedelta(minutes=60))
    with store.session() as s:
        events = s.execute(select(m.CaseEvent.action, m.CaseEvent.from_stage, m.CaseEvent.to_stage, m.CaseEvent.actor)
                           .where(m.CaseEvent.incident_id == inc.id).order_by(m.CaseEvent.t, m.CaseEvent.id)).all()
    assert [e[2] for e in events] == ["reported", "accepted", "dispatched", "on_scene", "resolved", "rework", "resolved",
                                      "verified", "closed"]
    assert all(e[1] is not None for e in events[1:])
    with refused("case.wrong_stage"):
        transition(store, inc.id, "accept", who(store, "刘建平"))


def test_extension_needs_approval_and_resume_returns(store):
    lon, lat = grid_centre(store, "FS-04")
    inc = create_incident(store, category="municipal", subcategory="municipal.road", priority="normal", source="grid_worker",
                          lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT)
    transition(store, inc.id, "accept", who(store, "刘建平"), at=AT)
    transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=5, at=AT)
    transition(store, inc.id, "arrive", who(store, "刘建平"), at=AT + timedelta(minutes=5))
    with refused("case.extension_approval"):
        transition(store, inc.id, "extend", who(store, "刘建平"), approved_by=who(store, "刘建平"))
    r = transition(store, inc.id, "extend", who(store, "刘建平"), approved_by=who(store, "谭海"), at=AT + timedelta(minutes=6))
    assert r.to_stage == "extended"
    assert transition(store, inc.id, "resume", who(store, "刘建平"), at=AT + timedelta(minutes=7)).to_stage == "on_scene"


def test_a_busy_team_needs_confirmation_and_two_racing_assignments_give_one(store):
    lon, lat = grid_centre(store, "MHD-02")
    incs = [create_incident(store, category="public_order", subcategory="public_order.fight", priority="urgent",
                            source="hotline", lon=lon, lat=lat, actor=who(store, "刘建平"), at=AT) for _ in range(3)]
    for inc in incs:
        transition(store, inc.id, "accept", who(store, "刘建平"), at=AT)
    from data.snapshot import busy_teams
    busy = busy_teams(store, AT)
    with store.session() as s:
        team = next(t for t in s.scalars(select(m.Team).where(m.Team.kind == "patrol_volunteer")) if t.id not in busy)
    results = []

    def assign(inc):
        try:
            transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=team.id, at=AT + timedelta(minutes=1))
            results.append("ok")
        except CaseError as exc:
            results.append(exc.code)

    threads = [threading.Thread(target=assign, args=(i,)) for i in incs[:2]]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert results.count("ok") == 1 and [r for r in results if r != "ok"] == ["case.team_busy"]
    transition(store, incs[2].id, "dispatch", who(store, "刘建平"), team_id=team.id, at=AT + timedelta(minutes=2), reassign=True)


def test_ranking_matches_an_independent_shortest_path(store):
    graph = RoadGraph.from_store(store)
    G_drive, G_walk = nx.DiGraph(), nx.Graph()
    for a, b, length, oneway in zip(graph.a, graph.b, graph.length, graph.oneway):
        for (u, v) in ([(a, b)] if oneway else [(a, b), (b, a)]):
            if not G_drive.has_edge(u, v) or G_drive[u][v]["w"] > length:
                G_drive.add_edge(int(u), int(v), w=float(length))
        if not G_walk.has_edge(a, b) or G_walk[a][b]["w"] > length:
            G_walk.add_edge(int(a), int(b), w=float(length))
    lon, lat = grid_centre(store, "HG-05")
    x, y = (float(v) for v in store.projection.lonlat_to_xy(lon, lat))
    rec = Recommender(store, graph).recommend(x, y, "public_order", "HG-05", AT)
    assert len(rec.candidates) >= 5
    target = rec.target
    for c in rec.candidates[:12]:
        src = graph.snap(c.x, c.y)
        drive = c.transport != "foot"
        G = G_drive if drive else G_walk
        best = math.inf
        starts = [(src.b, src.length - src.along)]
        if not (drive and graph.oneway[src.seg]):
            starts.append((src.a, src.along))
        ends = [(target.a, target.along)]
        if not (drive and graph.oneway[target.seg]):
            ends.append((target.b, target.length - target.along))
        lengths = {}
        for s_node, lead in starts:
            lengths[s_node] = nx.single_source_dijkstra_path_length(G, s_node, weight="w")
            for e_node, tail in ends:
                if e_node in lengths[s_node]:
                    best = min(best, lead + lengths[s_node][e_node] + tail)
        if src.seg == target.seg and (not (drive and graph.oneway[src.seg]) or target.along >= src.along):
            best = min(best, abs(target.along - src.along))
        assert c.road_m == pytest.approx(best + src.off + target.off, rel=1e-9, abs=1e-6)
    etas = [c.eta_s for c in rec.candidates]
    assert etas == sorted(etas)
    assert all(c.kind in ("patrol_volunteer", "property_security") for c in rec.candidates)


def test_no_team_and_unreachable_teams_are_explained(store):
    lon, lat = grid_centre(store, "BB-02")
    x, y = (float(v) for v in store.projection.lonlat_to_xy(lon, lat))
    # 03:00 China time: day-shift kinds are off duty, so disputes get nobody, and the reason says so.
    night = DEMO_UNTIL.replace(hour=19)
    rec = Recommender(store).recommend(x, y, "dispute", "BB-02", night)
    assert rec.candidates == [] and rec.message_if_none().code == "recommend.none"
    assert "off duty" in str(rec.message_if_none())
    # A street piece on its own (a disconnected graph) with a team standing on it: unreachable, listed.
    with store.session() as s:
        team = s.scalars(select(m.Team).where(m.Team.kind == "property_security")).first()
        dev = s.scalars(select(m.TrackerDevice).where(m.TrackerDevice.team_id == team.id)).first()
    island = store.projection.to_store(shapely.LineString([(x + 4000, y + 4000), (x + 4100, y + 4000)]))
    with store.engine.begin() as conn:
        conn.execute(insert(m.StreetSegment).values(name="孤立路", road_class="minor", from_node=90001, to_node=90002,
                                                   oneway=False, length_m=100.0, geom=island))
        p = island.interpolate(0.5, normalized=True)
        conn.execute(insert(m.Fix).values(device_id=dev.device_id, team_id=team.id, t=AT, lon=p.x, lat=p.y,
                                          received_at=AT))
    rec = Recommender(store).recommend(x, y, "public_order", "BB-02", AT + timedelta(seconds=30))
    unreachable = [c for c in rec.excluded if c.team_id == team.id]
    assert unreachable and unreachable[0].excluded.code == "exclude.unreachable"


def test_arrival_is_recorded_when_the_team_comes_within_30_m(store):
    lon, lat = grid_centre(store, "TJP-03")
    inc = create_incident(store, category="fire", subcategory="fire.corridor", priority="high", source="grid_worker",
                          lon=lon, lat=lat, actor=who(store, "刘建平"), at=datetime.now(timezone.utc))
    transition(store, inc.id, "accept", who(store, "刘建平"))
    with store.session() as s:
        team = s.scalars(select(m.Team).where(m.Team.kind == "compound_guard")).first()
    transition(store, inc.id, "dispatch", who(store, "刘建平"), team_id=team.id)
    watcher = ArrivalWatcher(store)
    far = store.projection.xy_to_lonlat(*(np.array(store.projection.lonlat_to_xy(lon, lat)) + [60, 0]))
    near = store.projection.xy_to_lonlat(*(np.array(store.projection.lonlat_to_xy(lon, lat)) + [20, 5]))
    now = datetime.now(timezone.utc)
    assert watcher.check([dict(team_id=team.id, lon=float(far[0]), lat=float(far[1]), t=now)]) == []
    done = watcher.check([dict(team_id=team.id, lon=float(near[0]), lat=float(near[1]), t=now + timedelta(seconds=10))])
    assert [d.to_stage for d in done] == ["on_scene"]


def test_recommend_command_prints_json(demo_target):
    r = subprocess.run([sys.executable, "-m", "console.cli", "recommend", "--store", str(demo_target), "--at", "108.38,30.815",
                        "--category", "public_order", "--time", (DEMO_UNTIL + timedelta(minutes=1)).isoformat(), "--json"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["ranked"] and out["ranked"][0]["rank"] == 1
    assert all(set(c) >= {"eta_s", "road_m", "straight_m", "reasons"} for c in out["ranked"])
    assert [c["eta_s"] for c in out["ranked"]] == sorted(c["eta_s"] for c in out["ranked"])
    bad = subprocess.run([sys.executable, "-m", "console.cli", "recommend", "--store", str(demo_target), "--at", "east"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "LON,LAT" in bad.stderr


def test_demo_incidents_arrive_in_the_district_mix(store):
    from data.feeds.incident_sim import IncidentSimulator
    sim = IncidentSimulator(store, seed=2)
    made = [sim.create_one(at=AT + timedelta(minutes=k)) for k in range(30)]
    assert all(made)
    with store.session() as s:
        rows = s.execute(select(m.Incident.category, m.Incident.grid_code, m.Incident.source)
                         .where(m.Incident.case_no.in_(made))).all()
    assert len(rows) == 30 and all(r[1] is not None for r in rows)  # along streets inside the district
    assert {r[2] for r in rows} <= {"camera", "hotline", "grid_worker"} and len({r[0] for r in rows}) >= 4
