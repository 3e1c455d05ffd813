"""Grid validation, drafts and published versions, the impact report, and grid files in and out."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta

import geopandas as gpd
import numpy as np
import pytest
import shapely
from sqlalchemy import select

from data.grids import sets as G
from data.store import models as m
from data.snapshot import grid_set_in_force, load_grids
from data.store.core import open_store
from tests.conftest import who, DEMO_UNTIL

# Every test on the demo runs on a GeoPackage and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends


def square(x0, y0, w=200.0, h=200.0):
    return shapely.box(x0, y0, x0 + w, y0 + h)


DISTRICT = shapely.box(0, 0, 600, 400)


def good_set():
    codes = [f"G{i}" for i in range(6)]
    geoms = [square(x, y) for y in (0, 200) for x in (0, 200, 400)]
    return codes, geoms


def kinds(problems):
    return sorted(p.kind for p in problems)


def test_a_tiling_set_is_valid():
    assert G.validate(*good_set(), DISTRICT) == []


def test_gap_overlap_sliver_outside_and_duplicate_are_found_with_their_grids_and_place():
    codes, geoms = good_set()
    geoms[0] = square(0, 0, 180, 200)  # leaves a 20 m gap beside G1
    geoms[4] = shapely.box(190, 200, 400, 400)  # overlaps G3 by 10 m
    geoms[5] = shapely.box(400, 200, 640, 400)  # reaches 40 m outside the district
    codes.append("G2")  # duplicate code, and a sliver
    geoms.append(shapely.box(100, 100, 101, 110))
    probs = G.validate(codes, geoms, DISTRICT)
    k = kinds(probs)
    assert "gap" in k and "overlap" in k and "outside" in k and "duplicate_code" in k and "too_small" in k
    gap = next(p for p in probs if p.kind == "gap")
    assert 180 <= gap.x <= 200 and "G0" in gap.grids
    overlap = next(p for p in probs if p.kind == "overlap" and set(p.grids) == {"G3", "G4"})
    assert 190 <= overlap.x <= 200 and "2,000.0 m²" in overlap.detail
    outside = next(p for p in probs if p.kind == "outside")
    assert outside.grids == ("G5",) and outside.x > 600


def test_invalid_and_multi_polygons_are_reported():
    codes, geoms = good_set()
    geoms[1] = shapely.Polygon([(200, 0), (400, 200), (400, 0), (200, 200)])  # bow-tie
    geoms[2] = shapely.MultiPolygon([square(400, 0, 100), square(500, 100, 100, 100)])
    probs = G.validate(codes, geoms, DISTRICT)
    inv = [p for p in probs if p.kind == "invalid"]
    assert {p.grids[0] for p in inv} == {"G1", "G2"}
    assert any("Self-intersection" in p.detail for p in inv) and any("MultiPolygon" in p.detail for p in inv)


def test_demo_grids_are_valid(demo_store):
    gs = grid_set_in_force(demo_store, DEMO_UNTIL)
    assert G.validate_grid_set(demo_store, gs.id) == []


def test_draft_publish_versions_and_the_set_in_force(demo_copy):
    store = open_store(demo_copy)
    first = grid_set_in_force(store, DEMO_UNTIL)
    draft = G.create_draft(store, "2026 adjustment", at=DEMO_UNTIL, by=who(store, "冉小东"))
    data = G.load_grid_set(store, draft)
    # Merge the first two grids of 八角井 that touch (a boundary change), keep the rest.
    i, j = next((a, b) for a in range(len(data.codes)) for b in range(a + 1, len(data.codes))
                if data.geoms[a].intersection(data.geoms[b]).length > 50)
    merged = shapely.union(data.geoms[i], data.geoms[j])
    data.geoms[i] = merged
    for arr in (data.codes, data.names, data.community_ids, data.worker_ids):
        del arr[j]
    data.geoms = np.delete(data.geoms, j)
    G.save_draft(store, draft, data, by=who(store, "冉小东"))
    assert G.validate_grid_set(store, draft) == []
    imp = G.impact_report(store, draft, DEMO_UNTIL)
    assert imp.grids_without_worker == [] and imp.teams  # the removed grid's teams are listed
    eff = DEMO_UNTIL + timedelta(days=1)
    G.publish(store, draft, eff, by=who(store, "冉小东"))
    assert grid_set_in_force(store, DEMO_UNTIL).id == first.id  # before: the old set
    assert grid_set_in_force(store, eff + timedelta(seconds=1)).id == draft
    assert len(load_grids(store, eff + timedelta(hours=1))) == 100
    assert len(load_grids(store, DEMO_UNTIL)) == 101
    # Replay asks the same question of a schedule read once: the same answer at every instant.
    from data.snapshot import grid_set_schedule, set_in_force
    schedule = grid_set_schedule(store)
    for t in (DEMO_UNTIL - timedelta(days=400), DEMO_UNTIL, eff, eff + timedelta(seconds=1), eff + timedelta(days=9)):
        gs = grid_set_in_force(store, t)
        assert set_in_force(schedule, t) == (gs.id if gs else None)
    with pytest.raises(ValueError, match="only drafts"):
        G.save_draft(store, draft, data, by=who(store, "冉小东"))
    store.close()


def test_publishing_is_refused_while_validation_fails(demo_copy):
    store = open_store(demo_copy)
    draft = G.create_draft(store, "bad", at=DEMO_UNTIL, by=who(store, "冉小东"))
    data = G.load_grid_set(store, draft)
    data.geoms[0] = shapely.affinity.translate(data.geoms[0], 30, 0)  # opens a gap and an overlap
    G.save_draft(store, draft, data, by=who(store, "冉小东"))
    with pytest.raises(G.PublishRefused, match="problem"):
        G.publish(store, draft, DEMO_UNTIL + timedelta(days=1), by=who(store, "冉小东"))
    with store.session() as s:
        assert s.get(m.GridSet, draft).status == "draft"
    store.close()


def test_export_then_import_round_trip_in_another_crs(demo_copy, tmp_path):
    store = open_store(demo_copy)
    set_id = grid_set_in_force(store).id
    out = tmp_path / "grids.shp"
    assert G.write_grid_file(store, set_id, out, epsg=3857) == 101
    df = gpd.read_file(out)
    assert df.crs.to_epsg() == 3857 and len(df) == 101
    draft = G.import_grid_file(store, out, by=who(store, "冉小东"))
    assert G.validate_grid_set(store, draft) == []
    a, b = G.load_grid_set(store, set_id), G.load_grid_set(store, draft)
    assert a.codes == b.codes and a.worker_ids == b.worker_ids
    assert max(x.symmetric_difference(y).area for x, y in zip(a.geoms, b.geoms)) < 1.0
    store.close()


@pytest.mark.parametrize("bad,reason", [
    (shapely.Polygon([(108.38, 30.81), (108.39, 30.82), (108.39, 30.81), (108.38, 30.82)]), "invalid polygon"),
    (shapely.Polygon(), "empty geometry"),
    (shapely.MultiPolygon([shapely.box(108.37, 30.80, 108.371, 30.801), shapely.box(108.375, 30.80, 108.376, 30.801)]),
     "multipolygon of 2 parts"),
    (shapely.LineString([(108.38, 30.81), (108.39, 30.82)]), "not a polygon"),
])
def test_bad_files_are_reported_feature_by_feature_and_nothing_is_imported(demo_copy, tmp_path, bad, reason):
    store = open_store(demo_copy)
    good = shapely.box(108.37, 30.80, 108.372, 30.802)
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "OK-1"}, "geometry": shapely.geometry.mapping(good)},
        {"type": "Feature", "properties": {"code": "BAD-2"}, "geometry": shapely.geometry.mapping(bad) if not bad.is_empty else None},
    ]}))
    with store.session() as s:
        before = s.scalar(select(m.GridSet.id).order_by(m.GridSet.id.desc()).limit(1))
    with pytest.raises(G.GridFileError) as info:
        G.import_grid_file(store, path, by=who(store, "冉小东"))
    assert "nothing was imported" in str(info.value)
    assert len(info.value.problems) == 1 and "BAD-2" in info.value.problems[0] and reason in info.value.problems[0]
    with store.session() as s:
        assert s.scalar(select(m.GridSet.id).order_by(m.GridSet.id.desc()).limit(1)) == before
    store.close()


@pytest.mark.filterwarnings("ignore:'crs' was not provided")
def test_a_file_without_crs_is_refused(tmp_path, demo_copy):
    store = open_store(demo_copy)
    path = tmp_path / "nocrs.gpkg"
    gpd.GeoDataFrame({"code": ["A"]}, geometry=[shapely.box(0, 0, 100, 100)]).to_file(path, driver="GPKG")
    with pytest.raises(G.GridFileError, match="no coordinate reference system"):
        G.import_grid_file(store, path, by=who(store, "冉小东"))
    store.close()


def test_validate_command_exits_non_zero_on_problems(demo_target, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "console.cli", "grids", "validate", str(demo_target)], capture_output=True, text=True)
    assert ok.returncode == 0 and "valid" in ok.stdout
    codes, geoms = good_set()
    geoms[1] = shapely.box(200, 0, 400, 180)  # a strip between G1 and G4 belongs to nobody
    geoms[3] = shapely.box(0, 200, 230, 400)  # overlaps G4
    gdf = gpd.GeoDataFrame({"code": codes}, geometry=[shapely.affinity.translate(g, 536000, 3410000) for g in geoms],
                           crs="EPSG:4545")
    path = tmp_path / "g.gpkg"
    gdf.to_file(path, driver="GPKG")
    bad = subprocess.run([sys.executable, "-m", "console.cli", "grids", "validate", str(path)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "overlap" in bad.stdout and "gap" in bad.stdout and "problem(s)" in bad.stdout
