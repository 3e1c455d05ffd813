"""Schema migrations (Alembic) on both backends: a store written by the release before this one is refused
until `gridwatch migrate` brings it to head, which says what it will do, keeps every row, leaves a valid
GeoPackage, and never goes backwards."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from data.store import migrate as M
from data.store import models as m
from data.store.core import SCHEMA_VERSION, StoreNeedsMigration, StoreTooNew, open_store

FIXTURES = Path(__file__).parent / "fixtures"
# store-r0007.gpkg: written by GridWatch 0.1 before Alembic (schema 7) with the previous release's code.
# office-r0007.sql: pg_dump of an office at revision 0007 (the office schema before revision 0008's index).


def gridwatch(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "console.cli", *args], capture_output=True, text=True, input=stdin,
                          timeout=120)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(params=["gpkg", "postgresql"])
def old_store(request, tmp_path):
    """A store at revision 0007, as the previous release left it: a file path or an office URL."""
    if request.param == "gpkg":
        dst = tmp_path / "old.gpkg"
        shutil.copyfile(FIXTURES / "store-r0007.gpkg", dst)
        return dst
    server = request.getfixturevalue("pg_server")
    if shutil.which("psql") is None:
        pytest.skip("psql (Debian: postgresql-client) is needed to restore the office fixture's dump")
    name = server.new_database(postgis=False)
    url = server.url(name)
    r = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f", str(FIXTURES / "office-r0007.sql")],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return url


def _index_names(store) -> set[str]:
    with store.engine.connect() as conn:
        return {ix["name"] for table in ("fixes", "case_events") for ix in inspect(conn).get_indexes(table)}


def test_an_old_store_is_refused_then_migrated_to_head_keeping_every_row(old_store):
    with pytest.raises(StoreNeedsMigration, match=f"gridwatch migrate {old_store}"):
        open_store(old_store)
    before = sha(old_store) if isinstance(old_store, Path) else None
    dry = gridwatch("migrate", str(old_store), "--dry-run")
    assert dry.returncode == 0 and f"0007 -> {M.head()}" in dry.stdout and "0008: Schema 8" in dry.stdout
    assert all(f"{n:04d}: Schema {n}" in dry.stdout for n in range(9, int(M.head()) + 1)), dry.stdout
    # A fix stored twice before revision 0010 (two feeds took it): folded to one by the migration.
    from sqlalchemy import create_engine, text
    from data.store.office import sqlalchemy_url
    engine = create_engine(sqlalchemy_url(old_store) if isinstance(old_store, str) else f"sqlite:///{old_store}")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO fixes (device_id, team_id, t, lon, lat, received_at) "
                          "SELECT device_id, team_id, t, lon, lat, received_at FROM fixes ORDER BY id LIMIT 1"))
        assert conn.execute(text("SELECT count(*) FROM fixes")).scalar() == 31
    engine.dispose()
    before = sha(old_store) if isinstance(old_store, Path) else None
    no_terminal = gridwatch("migrate", str(old_store))  # no --yes and nobody to ask: refused, nothing done
    assert no_terminal.returncode == 2 and "--yes" in no_terminal.stderr
    if before is not None:
        assert sha(old_store) == before  # saying what it would do changed nothing
    done = gridwatch("migrate", str(old_store), "--yes")
    assert done.returncode == 0, done.stderr
    assert f"now at revision {M.head()}" in done.stdout
    store = open_store(old_store)
    try:
        with store.engine.connect() as conn:
            assert M.current_revision(conn) == M.head()
        assert store.meta["schema_version"] == str(SCHEMA_VERSION)
        assert {"ix_fixes_device_t", "ix_case_events_team_t"} <= _index_names(store)
        with store.session() as s:  # revision 0009: the ledgers, empty, on both backends
            for table in m.LEDGER_TABLES:
                assert s.scalar(select(func.count()).select_from(m.Base.metadata.tables[table])) == 0, table
        with store.engine.connect() as conn:  # and its evidence tables are append-only
            sql = ("SELECT name FROM sqlite_master WHERE type='trigger'" if conn.dialect.name == "sqlite"
                   else "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            triggers = {r[0] for r in conn.exec_driver_sql(sql)}
        assert {f"{t}_append_only_{op}" for t in ("visits", "zero_reports") for op in ("update", "delete")} <= triggers
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(m.Fix)) == 30  # the copy stored twice folded (0010)
            assert [e.action for e in s.scalars(select(m.CaseEvent).order_by(m.CaseEvent.id))] == ["report", "accept"]
            assert s.scalar(select(m.District.name)) == "示例街道"
    finally:
        store.close()
    again = gridwatch("migrate", str(old_store))
    assert again.returncode == 0 and "up to date" in again.stdout
    if isinstance(old_store, Path):
        from tests.test_house import validate
        assert validate(old_store) == ""


def test_a_store_from_a_newer_gridwatch_is_never_downgraded(old_store):
    store = open_store(old_store, for_migration=True)
    with store.engine.begin() as conn:
        if M.current_revision(conn) == "0007" and conn.dialect.name == "sqlite":
            M.stamp_head(conn)
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    store.close()
    with pytest.raises(StoreTooNew, match="does not know"):
        open_store(old_store)
    r = gridwatch("migrate", str(old_store), "--yes")
    assert r.returncode == 2 and "never downgrades" in r.stderr and "Traceback" not in r.stderr


def test_the_console_refuses_a_store_that_needs_migration_naming_the_command(tmp_path):
    dst = tmp_path / "old.gpkg"
    shutil.copyfile(FIXTURES / "store-r0007.gpkg", dst)
    r = gridwatch("screenshot", "--store", str(dst), "--out", str(tmp_path / "x.png"))
    assert r.returncode == 2 and f"gridwatch migrate {dst}" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "x.png").exists()
