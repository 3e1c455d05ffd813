"""The GeoPackage store: round trip, GeoPackage conformance, append-only tables, bad files."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import struct
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import shapely
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from data.store import models as m
from data.geo import Projection
from data.store.core import (CorruptStore, NotAGridWatchStore, StoreExists, StoreNotFound, StoreTooNew, create_office,
                             create_store, open_store)
from data.store.types import decode_gpkg, encode_gpkg

# Every test on the demo runs on a GeoPackage and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=timezone.utc)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def empty_store(backend, request, tmp_path):
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        store = create_office(server.url(server.new_database(postgis=False)), Projection(4545))
    else:
        store = create_store(tmp_path / "s.gpkg", Projection(4545))
    yield store
    store.close()


def test_round_trip_of_every_kind_of_row(empty_store):
    s = empty_store
    grid_poly = shapely.Polygon([(108.37, 30.80), (108.38, 30.80), (108.38, 30.81), (108.37, 30.81)])
    with s.session() as ses, ses.begin():
        ses.add(m.District(id=1, name="d", geom=shapely.MultiPolygon([grid_poly])))
        ses.add(m.Community(id=1, code="C1", name="八角井社区"))
        ses.add(m.GridSet(id=1, name="v1", status="published", effective_from=T0, created_at=T0))
        ses.add(m.Team(id=1, code="T1", name="巡逻1队", kind="patrol_volunteer", transport="foot", home_grid_code="G1",
                       duty_start_min=480, duty_end_min=1200))
        ses.flush()
        ses.add(m.Member(id=1, team_id=1, name="张三", phone="13800000000", role="leader"))
        ses.flush()
        ses.add(m.Grid(id=1, grid_set_id=1, code="G1", name="第1网格", community_id=1, worker_member_id=1, geom=grid_poly))
        ses.add(m.Camera(id=1, code="TW1", name="cam", hd=True, heading_deg=45.0, fov_deg=90.0, range_m=100.0,
                         status="online", geom=shapely.Point(108.375, 30.805)))
        ses.add(m.TrackerDevice(device_id="dev1", team_id=1, bound_at=T0))
        ses.add(m.Fix(device_id="dev1", team_id=1, t=T0 + timedelta(seconds=1.5), lon=108.3751234, lat=30.8051234,
                      speed_mps=1.2, heading_deg=90.0, accuracy_m=5.0, battery_pct=80.0, received_at=T0))
        ses.add(m.StreetSegment(id=1, name="白岩路", road_class="main", from_node=0, to_node=1, oneway=True, length_m=95.5,
                                geom=shapely.LineString([(108.37, 30.80), (108.371, 30.80)])))
        ses.add(m.Building(id=1, floors=7, kind="residential", geom=grid_poly.buffer(-0.001)))
        ses.add(m.Incident(id=1, case_no="ZGL-20260501-0001", category="dispute", subcategory="dispute.neighbour",
                           priority="normal", source="hotline", description="噪音", reported_at=T0, grid_code="G1",
                           community_id=1, geom=shapely.Point(108.375, 30.805)))
        ses.flush()
        ses.add(m.CaseEvent(incident_id=1, t=T0, actor="a", action="report", to_stage="reported"))
    with s.session() as ses:
        g = ses.scalars(select(m.Grid)).one()
        assert g.geom.equals_exact(grid_poly, 0) and g.name == "第1网格" and g.worker_member_id == 1
        f = ses.scalars(select(m.Fix)).one()
        assert f.t == T0 + timedelta(seconds=1.5) and f.t.tzinfo is not None
        assert (f.lon, f.lat, f.speed_mps) == (108.3751234, 30.8051234, 1.2)
        seg = ses.scalars(select(m.StreetSegment)).one()
        assert seg.oneway is True and seg.geom.geom_type == "LineString"
        assert ses.scalars(select(m.District)).one().geom.geom_type == "MultiPolygon"
        assert ses.scalars(select(m.Camera)).one().geom.equals(shapely.Point(108.375, 30.805))
        assert ses.scalars(select(m.Incident)).one().case_no == "ZGL-20260501-0001"


def test_naive_datetimes_are_refused(empty_store):
    with pytest.raises(Exception, match="naive datetime"):
        with empty_store.session() as ses, ses.begin():
            ses.add(m.GridSet(name="x", status="draft", created_at=datetime(2026, 1, 1)))


@pytest.mark.gpkg_only
def test_file_is_a_geopackage(empty_store):
    con = sqlite3.connect(empty_store.path)
    assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
    assert con.execute("PRAGMA user_version").fetchone()[0] == 10300
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    srs = {r[0] for r in con.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")}
    assert {-1, 0, 4326, 4490, 4545} <= srs
    cols = dict(con.execute("SELECT table_name, geometry_type_name FROM gpkg_geometry_columns").fetchall())
    assert cols == {"district": "MULTIPOLYGON", "grids": "POLYGON", "cameras": "POINT", "incidents": "POINT",
                    "street_segments": "LINESTRING", "buildings": "POLYGON", "water": "MULTIPOLYGON",
                    "key_areas": "MULTIPOLYGON", "patrol_plans": "GEOMETRY"}
    kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    assert kinds["grids"] == "features" and kinds["case_events"] == "attributes"
    # Requirement 25: the geometry column is declared with its geometry type name.
    decl = {r[1]: r[2] for r in con.execute("PRAGMA table_info(grids)")}
    assert decl["geom"] == "POLYGON"
    con.close()


def test_geometry_blob_layout():
    p = shapely.Polygon([(1, 2), (3, 2), (3, 5)])
    blob = encode_gpkg([p], 4490)[0]
    assert blob[:2] == b"GP" and blob[2] == 0
    flags = blob[3]
    assert flags & 1 == 1 and (flags >> 1) & 7 == 1  # little endian, xy envelope
    assert struct.unpack("<i", blob[4:8])[0] == 4490
    assert struct.unpack("<4d", blob[8:40]) == (1.0, 3.0, 2.0, 5.0)  # minx, maxx, miny, maxy
    assert shapely.from_wkb(blob[40:]).equals(p)
    assert decode_gpkg([blob])[0].equals(p)
    empty = encode_gpkg([shapely.Polygon()], 4490)[0]
    assert empty[3] & 0b10000 and decode_gpkg([empty])[0].is_empty


def test_decode_accepts_other_envelopes():
    """Files edited in QGIS/GDAL may use other envelope types; we read them all."""
    p = shapely.Point(108.1, 30.2)
    wkb = shapely.to_wkb(p)
    for indicator, n in ((0, 0), (2, 6), (4, 8)):
        blob = b"GP" + bytes([0, 1 | (indicator << 1)]) + struct.pack("<i", 4490) + struct.pack(f"<{n}d", *([0.0] * n)) + wkb
        assert decode_gpkg([blob])[0].equals(p)


def test_fixes_and_case_events_are_append_only(demo_copy):
    store = open_store(demo_copy)
    with store.engine.connect() as conn:
        for table in ("fixes", "case_events"):
            with pytest.raises(IntegrityError, match="append-only"):
                conn.execute(text(f"UPDATE {table} SET id = id WHERE id = (SELECT min(id) FROM {table})"))
            conn.rollback()  # PostgreSQL ends a transaction at its first error
            with pytest.raises(IntegrityError, match="append-only"):
                conn.execute(text(f"DELETE FROM {table}"))
            conn.rollback()
    store.close()


@pytest.mark.gpkg_only
def test_create_refuses_existing_file(empty_store):
    before = sha(empty_store.path)
    with pytest.raises(StoreExists):
        create_store(empty_store.path, Projection(4545))
    assert sha(empty_store.path) == before


# --- bad stores: a clear message and the file left untouched --------------------------------------

def _assert_refused(path: Path, exc_type, *words):
    before = sha(path)
    mtime = path.stat().st_mtime_ns
    with pytest.raises(exc_type) as info:
        open_store(path)
    msg = str(info.value)
    assert str(path.name) in msg
    for w in words:
        assert w in msg, msg
    assert sha(path) == before and path.stat().st_mtime_ns == mtime
    return msg


def test_missing_file(tmp_path):
    with pytest.raises(StoreNotFound, match="no such file"):
        open_store(tmp_path / "nope.gpkg")


def test_random_bytes_are_refused(tmp_path):
    p = tmp_path / "junk.gpkg"
    p.write_bytes(os.urandom(4096))
    _assert_refused(p, CorruptStore, "not a GeoPackage/SQLite file")


def test_text_file_is_refused(tmp_path):
    p = tmp_path / "notes.gpkg"
    p.write_text("these are not the droids\n" * 20)
    _assert_refused(p, CorruptStore, "header")


@pytest.mark.gpkg_only
def test_damaged_store_is_refused(demo_copy):
    data = bytearray(demo_copy.read_bytes())
    # Keep the SQLite header but overwrite the schema page and what follows.
    data[100:8192] = os.urandom(8092)
    demo_copy.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(str(demo_copy) + suffix).unlink(missing_ok=True)
    _assert_refused(demo_copy, CorruptStore, "damaged")


def test_foreign_geopackage_is_refused(tmp_path):
    import geopandas as gpd
    p = tmp_path / "other.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(1, 2)], crs=4326).to_file(p, driver="GPKG")
    msg = _assert_refused(p, NotAGridWatchStore, "GeoPackage", "not a GridWatch store")
    assert "gridwatch_meta" in msg


def test_plain_sqlite_database_is_refused(tmp_path):
    p = tmp_path / "plain.gpkg"
    con = sqlite3.connect(p)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    _assert_refused(p, NotAGridWatchStore, "SQLite database")


@pytest.mark.gpkg_only
def test_store_from_newer_gridwatch_is_refused(demo_copy):
    con = sqlite3.connect(demo_copy)
    con.execute("UPDATE gridwatch_meta SET value='99' WHERE key='schema_version'")
    con.execute("UPDATE gridwatch_meta SET value='GridWatch 9.0' WHERE key='written_by'")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    msg = _assert_refused(demo_copy, StoreTooNew, "newer GridWatch", "GridWatch 9.0", "schema 99")
    assert "Update GridWatch" in msg


def test_console_reports_a_bad_store_without_traceback(tmp_path):
    p = tmp_path / "junk.gpkg"
    p.write_bytes(b"\0" * 2048)
    before = sha(p)
    out = subprocess.run([sys.executable, "-m", "console.cli", "screenshot", "--store", str(p), "--out", str(tmp_path / "x.png")],
                         capture_output=True, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 2
    assert "not a GeoPackage/SQLite file" in out.stderr
    assert "Traceback" not in out.stderr
    assert sha(p) == before and not (tmp_path / "x.png").exists()
