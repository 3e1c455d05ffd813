"""The demo district holds the numbers of the modelled district and is deterministic."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import timedelta

import numpy as np
import pyogrio
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sqlalchemy import func, select

from data.store import models as m
from data.domain import DISTRICT_HEADCOUNT, STAGE_LIMIT_MIN
from data.snapshot import load_district, load_grids
from tests.conftest import DEMO_SEED, DEMO_UNTIL, copy_store


def test_gdal_lists_every_spatial_table_with_its_features(demo_path, demo_store, tmp_path):
    # GDAL reads a copy: its own SQLite, opened in this process beside the session's open demo, would
    # delete the demo's WAL under it when it closes (data/replay/fix_dump.py says more).
    copy = copy_store(demo_path, tmp_path / "demo.gpkg")
    layers = dict(pyogrio.list_layers(copy))
    counts = {}
    with demo_store.session() as s:
        for model in (m.District, m.Grid, m.Camera, m.Incident, m.StreetSegment, m.Building, m.Water):
            counts[model.__tablename__] = s.scalar(select(func.count()).select_from(model))
    for table, n in counts.items():
        assert table in layers, f"{table} is not a layer"
        info = pyogrio.read_info(copy, layer=table)
        assert info["features"] == n
        assert info["crs"] == "EPSG:4490"
    grids = pyogrio.read_dataframe(copy, layer="grids")
    assert len(grids) == 101 and grids.geometry.is_valid.all()
    assert counts["grids"] == 101 and counts["cameras"] == 137


def test_grids_tile_the_district(demo_store):
    grids = load_grids(demo_store, DEMO_UNTIL)
    district = load_district(demo_store)
    g = grids.geoms
    assert len(g) == 101
    assert all(x.geom_type == "Polygon" and x.is_valid for x in g)
    assert shapely.coverage_is_valid(g), "grid edges must match exactly"
    union = shapely.union_all(g)
    assert shapely.area(shapely.symmetric_difference(union, district)) < 1.0  # m², over ~16 km²
    tree = shapely.STRtree(g)
    left, right = tree.query(g, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(g[left[pairs]], g[right[pairs]]))
    assert pairs.sum() > 200  # neighbours do touch
    assert overlap.max() < 1e-3
    assert len(set(grids.column("code"))) == 101
    assert 6 <= len(set(grids.column("community"))) <= 9
    assert {"八角井社区", "丰收社区", "玉安社区", "棉花地社区", "百步社区", "陶家坪社区"} <= set(grids.column("community"))


def test_district_lies_on_both_banks(demo_store):
    district = load_district(demo_store)
    lon, lat = demo_store.projection.xy_to_lonlat(*district.centroid.coords[0])
    assert abs(lon - 108.38) < 0.03 and abs(lat - 30.81) < 0.03
    assert len(shapely.get_parts(district)) == 2
    with demo_store.session() as s:
        river = s.scalars(select(m.Water).where(m.Water.kind == "river")).one()
    river_map = demo_store.projection.to_map(river.geom)
    north, south = sorted(shapely.get_parts(district), key=lambda p: -p.centroid.y)
    assert north.centroid.y > river_map.intersection(district.envelope).centroid.y > south.centroid.y


def test_cameras_people_and_teams(demo_store):
    with demo_store.session() as s:
        assert s.scalar(select(func.count()).select_from(m.Camera)) == 137
        assert s.scalar(select(func.count()).where(m.Camera.hd.is_(True))) == 86
        by_kind = dict(s.execute(select(m.Team.kind, func.count(m.Member.id)).join(m.Member).group_by(m.Team.kind)).all())
        assert by_kind == DISTRICT_HEADCOUNT and sum(by_kind.values()) == 868
        workers = s.scalars(select(m.Grid.worker_member_id)).all()
        assert len(set(workers)) == 101 and None not in workers
        cams = s.scalars(select(m.Camera)).all()
        assert all(0 <= c.heading_deg < 360 and 0 < c.fov_deg < 180 and c.range_m > 0 for c in cams)
        segs = s.execute(select(m.StreetSegment.geom)).scalars().all()
    # Cameras stand on streets.
    seg_map = demo_store.projection.to_map(np.array(segs, dtype=object))
    cam_map = demo_store.projection.to_map(np.array([c.geom for c in cams], dtype=object))
    tree = shapely.STRtree(seg_map)
    assert all(len(tree.query(c, predicate="dwithin", distance=1.0)) for c in cam_map)


def test_street_network_is_connected_and_routable(demo_store):
    with demo_store.session() as s:
        rows = s.execute(select(m.StreetSegment.from_node, m.StreetSegment.to_node, m.StreetSegment.oneway)).all()
        buildings = s.scalar(select(func.count()).select_from(m.Building))
    a = np.array([r[0] for r in rows])
    b = np.array([r[1] for r in rows])
    ow = np.array([r[2] for r in rows])
    assert 2000 <= len(rows) <= 10000
    assert 0 < ow.sum() < len(rows) * 0.2
    n = int(max(a.max(), b.max())) + 1
    und = coo_matrix((np.ones(len(a)), (a, b)), shape=(n, n))
    assert connected_components(und, directed=False)[0] == 1
    src = np.concatenate([a, b[~ow]])
    dst = np.concatenate([b, a[~ow]])
    directed = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    assert connected_components(directed, directed=True, connection="strong")[0] == 1
    assert 17000 <= buildings <= 23000


def test_twelve_months_of_plausible_cases(demo_store):
    with demo_store.session() as s:
        incidents = s.execute(select(m.Incident.id, m.Incident.category, m.Incident.subcategory, m.Incident.reported_at,
                                     m.Incident.priority, m.Incident.community_id)).all()
        events = s.execute(select(m.CaseEvent.incident_id, m.CaseEvent.t.label("at"), m.CaseEvent.to_stage, m.CaseEvent.actor,
                                  m.CaseEvent.result).order_by(m.CaseEvent.incident_id, m.CaseEvent.t, m.CaseEvent.id)).all()
        communities = dict(s.execute(select(m.Community.id, m.Community.name)).all())
    times = [r.reported_at for r in incidents]
    assert min(times) >= DEMO_UNTIL - timedelta(days=365) and max(times) <= DEMO_UNTIL
    assert max(times) > DEMO_UNTIL - timedelta(hours=6)
    by_case = defaultdict(list)
    for e in events:
        by_case[e.incident_id].append(e)
    assert set(by_case) == {r.id for r in incidents}
    prio = {r.id: r.priority for r in incidents}
    cat = {r.id: r.category for r in incidents}
    overdue = closed = 0
    mediated = Counter()
    for iid, evs in by_case.items():
        stages = [e.to_stage for e in evs]
        assert stages[0] == "reported"
        assert all(e2.at >= e1.at for e1, e2 in zip(evs, evs[1:]))
        if stages[-1] == "closed":
            closed += 1
            core = [st for st in stages if st not in ("rework",)]
            assert core[:4] == ["reported", "accepted", "dispatched", "on_scene"] and core[-2:] == ["verified", "closed"]
            resolver = [e.actor for e in evs if e.to_stage == "resolved"][-1]
            verifier = [e.actor for e in evs if e.to_stage == "verified"][-1]
            assert resolver != verifier
            if cat[iid] == "dispute":
                mediated[[e.result for e in evs if e.to_stage == "resolved"][-1]] += 1
            lim = STAGE_LIMIT_MIN[prio[iid]]
            late = any(e2.at - e1.at > timedelta(minutes=lim[e1.to_stage]) for e1, e2 in zip(evs, evs[1:])
                       if e1.to_stage in lim)
            overdue += late
    assert closed > 0.95 * len(incidents) - 40
    assert 0.02 < overdue / closed < 0.35, "most cases within their limits, some overdue"
    disputes = sum(1 for r in incidents if r.category == "dispute")
    assert 800 <= disputes <= 920
    success = mediated["mediated"] / (mediated["mediated"] + mediated["not_mediated"])
    assert 0.96 <= success <= 0.995
    # Burglaries cluster in 玉安.
    burglary = Counter(communities[r.community_id] for r in incidents if r.subcategory == "public_order.burglary")
    assert burglary.most_common(1)[0][0] == "玉安社区"
    open_now = [iid for iid, evs in by_case.items() if evs[-1].to_stage not in ("closed", "voided")]
    assert len(open_now) >= 3, "the live board has open cases"


def _content_digest(path) -> str:
    con = sqlite3.connect(path)
    h = hashlib.sha256()
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'gpkg_%' "
                                        "AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    for t in tables:
        # Password hashes are salted at random by design (argon2): the one column that must differ.
        cols = [r[1] for r in con.execute(f"PRAGMA table_info({t})") if not (t == "accounts" and r[1] == "password_hash")]
        for row in con.execute(f"SELECT {', '.join(cols)} FROM {t} ORDER BY 1"):
            h.update(repr(row).encode())
    con.close()
    return h.hexdigest()


def test_same_seed_and_until_give_the_same_content(demo_path, tmp_path):
    from data.demo.generator import generate_demo
    again = tmp_path / "again.gpkg"
    generate_demo(again, seed=DEMO_SEED, until=DEMO_UNTIL).close()
    assert _content_digest(again) == _content_digest(demo_path)
    other = tmp_path / "other.gpkg"
    generate_demo(other, seed=DEMO_SEED + 1, until=DEMO_UNTIL).close()
    assert _content_digest(other) != _content_digest(demo_path)


def test_demo_command_refuses_to_overwrite(demo_copy):
    before = demo_copy.read_bytes()
    out = subprocess.run([sys.executable, "-m", "console.cli", "demo", "--out", str(demo_copy)], capture_output=True, text=True)
    assert out.returncode == 2 and "--force" in out.stderr
    assert demo_copy.read_bytes() == before
    bad = subprocess.run([sys.executable, "-m", "console.cli", "demo", "--out", str(demo_copy) + ".new", "--until", "yesterday"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "is not a date" in bad.stderr and "Traceback" not in bad.stderr


def test_demo_command_overwrites_with_force(demo_copy):
    out = subprocess.run([sys.executable, "-m", "console.cli", "demo", "--out", str(demo_copy), "--force",
                          "--seed", "3", "--until", "2026-06-01"], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    con = sqlite3.connect(demo_copy)
    assert con.execute("SELECT value FROM gridwatch_meta WHERE key='demo_seed'").fetchone()[0] == "3"
    assert con.execute("SELECT count(*) FROM grids").fetchone()[0] == 101
