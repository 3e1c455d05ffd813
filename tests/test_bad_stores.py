"""Bad store files are refused whole, before anything uses them, by every command, with a message and
never a traceback or a hang, and leave nothing beside them (issue 17, finding 7)."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from data.store.core import CorruptStore, StoreError, open_store
from tests.conftest import copy_store


def _damaged_page(path: Path) -> None:
    """Garbage over one page in the middle of the file (a bad sector, a torn copy)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.execute("PRAGMA journal_mode=DELETE")
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    size = path.stat().st_size
    with open(path, "r+b") as f:
        f.seek((size // page // 2) * page)
        f.write(b"\xde\xad\xbe\xef" * (page // 4))


def _sql(*statements: str):
    def make(path: Path) -> None:
        con = sqlite3.connect(path)
        for st in statements:
            con.execute(st)
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    return make


BAD = {
    "damaged page": (_damaged_page, "damaged"),
    "missing table": (_sql("DELETE FROM gpkg_contents WHERE table_name = 'recommendations'", "DROP TABLE recommendations"),
                      "table recommendations"),
    "missing column": (_sql("ALTER TABLE teams DROP COLUMN transport"), "teams.transport"),
    "unknown CRS": (_sql("UPDATE gridwatch_meta SET value = '999999' WHERE key = 'map_epsg'"), "EPSG:999999"),
    "CRS in degrees": (_sql("UPDATE gridwatch_meta SET value = '4326' WHERE key = 'map_epsg'"), "not a projected CRS"),
}


@pytest.fixture(params=list(BAD))
def bad_store(request, demo_path, tmp_path):
    make, words = BAD[request.param]
    path = copy_store(demo_path, tmp_path / "bad.gpkg")
    make(path)
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path, words


def test_a_bad_store_is_refused_at_the_door_and_left_as_found(bad_store):
    path, words = bad_store
    before = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert isinstance(exc.value, CorruptStore) and words in str(exc.value)
    assert sorted(p.name for p in path.parent.iterdir()) == before  # no -wal or -shm left beside it


COMMANDS = [
    ["recommend", "--store", "{s}", "--at", "108.38,30.815"],
    ["devices", "list", "--store", "{s}"],
    ["visits", "due", "--store", "{s}"],
    ["snapshot", "--store", "{s}", "--at", "2026-11-27T10:30", "--out", "{tmp}/snap.geojson"],
    ["grids", "list", "--store", "{s}"],
    ["indicators", "--store", "{s}", "--from", "2026-10-01", "--to", "2026-11-01"],
    ["audit", "verify", "--store", "{s}"],
    ["export", "--store", "{s}", "--out", "{tmp}/out.gpkg"],
    ["screenshot", "--store", "{s}", "--out", "{tmp}/shot.png"],
]


def test_every_command_refuses_a_bad_store_with_a_message(bad_store, tmp_path):
    path, words = bad_store
    for args in COMMANDS:
        argv = [a.format(s=path, tmp=tmp_path) for a in args]
        r = subprocess.run([sys.executable, "-m", "console.cli", *argv], capture_output=True, text=True, timeout=90,
                           env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
        assert r.returncode != 0, (argv, r.stdout)
        assert "Traceback" not in r.stderr and words in r.stderr, (argv, r.stderr[-500:])
    assert not (tmp_path / "shot.png").exists() and not (tmp_path / "out.gpkg").exists()
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
    r = subprocess.run([sys.executable, "-m", "console.cli", "grids", "validate", str(path)], capture_output=True, text=True,
                       timeout=90)
    assert r.returncode != 0 and "Traceback" not in r.stderr and words in r.stderr, r.stderr[-500:]


def test_a_grid_file_with_one_code_twice_is_refused_with_its_features_named(demo_path, tmp_path):
    import os
    import geopandas as gpd
    from sqlalchemy import select
    from data.store import models as m
    store_path = copy_store(demo_path, tmp_path / "s.gpkg")
    with open_store(store_path) as st, st.session() as s:
        grids = s.scalars(select(m.Grid).order_by(m.Grid.id).limit(3)).all()
        rows = [dict(code=code, name=g.name, geometry=g.geom) for code, g in zip(("A-1", "A-2", "A-1"), grids)]
    gpd.GeoDataFrame(rows, crs=4490).to_file(tmp_path / "dup.geojson")
    r = subprocess.run([sys.executable, "-m", "console.cli", "grids", "import", str(tmp_path / "dup.geojson"), "--store",
                        str(store_path), "--as", "冉小东"], capture_output=True, text=True, timeout=120,
                       env={**os.environ, "GRIDWATCH_PASSWORD": "gridwatch"})
    assert r.returncode == 1 and "Traceback" not in r.stderr and "feature 3 (A-1): the code A-1 again (first on feature 1)" in r.stderr
