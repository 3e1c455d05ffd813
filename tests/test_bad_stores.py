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


# Values for the arguments a subcommand requires besides its store (by the argument's dest), for the
# walk below; a subcommand whose required argument has no value here fails the walk, naming it.
SAMPLES = {"device_id": "PHONE-1", "team_code": "XL001", "at": "108.38,30.815", "start": "2026-10-01",
           "end": "2026-11-01", "month": "2026-10", "name": "测试区域", "owner": "谭海", "username": "someone", "grids": "FS-03", "team": "XL001", "plan_id": "1", "day": "2026-12-01", "hours": "08:00-10:00",
           "source": "{s}", "shift_id": "1", "to_person": "王伟", "reason": "病假"}
PER_COMMAND = {  # where one dest means different things
    "snapshot": {"at": "2026-11-27T10:30", "out": "{tmp}/snap.geojson"},
    "report": {"out": "{tmp}/report.xlsx"},
    "qgis-project": {"out": "{tmp}/project.qgz"},
    "export": {"out": "{tmp}/out.gpkg"},
    "grids export": {"out": "{tmp}/grids.geojson"},
    "screenshot": {"out": "{tmp}/shot.png"},
    "areas add": {"start": "2026-11-01"},
    "import": {"kind": "teams", "file": "{tmp}/teams.xlsx"},
    "ledgers import": {"kind": "people", "file": "{tmp}/people.xlsx"},
    "rota import": {"file": "{tmp}/rota.xlsx"},
    "grids import": {"file": "{tmp}/grids.geojson.in"},
    "office create": {"target": "postgresql://postgres@127.0.0.1:5432/gw_never_made"},
}
NOT_A_STORE = {"demo", "init", "template", "ledgers template", "rota template", "qgis-plugin", "office maintain", "office grant"}


def _store_commands() -> list[list[str]]:
    """Every subcommand of `gridwatch` that opens a store, with its required arguments filled in."""
    import argparse
    from console.cli import _parser
    out: list[list[str]] = []

    def walk(parser, path):
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            name = " ".join(path)
            if name in NOT_A_STORE:
                return
            argv = list(path)
            for a in parser._actions:
                if a.dest == "help" or not (a.required or not a.option_strings or a.dest in ("cmd_store", "with_store", "shot_store")):
                    continue
                if a.dest in ("cmd_store", "with_store", "shot_store") or (a.dest == "target" and name != "office create"):
                    value = "{s}"
                else:
                    value = PER_COMMAND.get(name, {}).get(a.dest, SAMPLES.get(a.dest))
                    if value is None and a.dest == "out":
                        value = "{tmp}/" + name.replace(" ", "-") + ".out"
                    assert value is not None, f"no sample value for {a.dest} of `gridwatch {name}`: add one to SAMPLES"
                argv += [a.option_strings[0], value] if a.option_strings else [value]
            for group in parser._mutually_exclusive_groups:  # one of them required: a flag if there is one
                if group.required:
                    flag = next((a for a in group._group_actions if a.nargs == 0), None)
                    if flag is not None:
                        argv.append(flag.option_strings[0])
                        continue
                    chosen = next((a for a in group._group_actions if a.dest in SAMPLES), None)
                    assert chosen is not None, f"`gridwatch {name}` needs one of {[a.dest for a in group._group_actions]}: add one to SAMPLES"
                    argv += [chosen.option_strings[0], SAMPLES[chosen.dest]]
            out.append(argv)
            return
        for sa in subs:
            for sub, sp in sa.choices.items():
                walk(sp, path + [sub])
    walk(_parser(), [])
    return out


def test_every_subcommand_that_opens_a_store_refuses_each_bad_store_with_a_message(bad_store, tmp_path):
    """All of them, found from the command line's own parser (a new subcommand is walked too): exit
    non-zero within the time limit, the reason in words, no traceback, nothing written."""
    import os
    path, words = bad_store
    commands = _store_commands()
    assert len(commands) >= 35, [c[0] for c in commands]
    # The input files some imports read first: real ones, so that the store is what is refused.
    subprocess.run([sys.executable, "-m", "console.cli", "template", "teams", "--out", str(tmp_path / "teams.xlsx")], check=True,
                   capture_output=True)
    subprocess.run([sys.executable, "-m", "console.cli", "ledgers", "template", "people", "--out", str(tmp_path / "people.xlsx")],
                   check=True, capture_output=True)
    (tmp_path / "grids.geojson.in").write_text('{"type": "FeatureCollection", "features": []}')
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GRIDWATCH_PASSWORD": "gridwatch"}
    before = sorted(p.name for p in tmp_path.iterdir())

    def run(args: list[str]) -> tuple[list[str], subprocess.CompletedProcess]:
        argv = [a.format(s=path, tmp=tmp_path) for a in args]
        return argv, subprocess.run([sys.executable, "-m", "console.cli", *argv], capture_output=True, text=True, timeout=60,
                                    env=env, stdin=subprocess.DEVNULL)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=3) as pool:  # each is a process of its own; they only read the file
        for argv, r in pool.map(run, commands):
            assert r.returncode != 0, (argv, r.stdout[-500:])
            assert "Traceback" not in r.stderr and words in r.stderr, (argv, r.stderr[-800:])
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written, nothing left beside the store
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()
