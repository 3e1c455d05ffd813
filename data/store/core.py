"""Opening and creating GridWatch stores.

The embedded store is one OGC GeoPackage 1.3 file (SQLite underneath, WAL journal): QGIS and GDAL
open the very file the console uses and list every spatial table as a layer. A store is checked
read-only before anything writes to it, so a file that is not ours, is newer than us or is damaged
is refused with a clear message and left byte-for-byte untouched.

An office store is a PostgreSQL/PostGIS database named by a libpq URL (data/store/office.py). Both
are opened here, and both are refused with the command to run when their schema needs migrating
(data/store/migrate.py): nothing changes a store's schema behind its users' backs.
"""

from __future__ import annotations

import logging

import sqlite3
import struct
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import shapely
from sqlalchemy import Engine, bindparam, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from data import __version__
from data.messages import GridWatchError
from data.geo import STORE_EPSG, Projection, srs_definition
from data.store import migrate, office  # (migrate imports this module inside its upgrade only)
from data.store.models import APPEND_ONLY_TABLES, LEDGER_TABLES, PATROL_TABLES, ROTA_TABLES, Base, Meta, spatial_tables  # noqa: F401 (re-exported)
from data.store.types import decode_gpkg

SCHEMA_VERSION = 13  # 2: unknown_devices, feed_counters; 3: recommendations; 4: R-tree indexes, INTEGER keys;
# 5: street access (foot, ebike, car), import_log; 6: accounts, audit_log (chained), case_events.account_id;
# 7: key_areas (重点整治区域, a feature table); 8: Alembic revisions (data/store/migrations), fixes by device and time;
# 9: the ledgers (data/ledgers: people under supervision, visits, mediation, petitions); 10: one fix per device and time;
# 11: case events by team (a dispatch's busy check under the write lock); 12: patrol plans (data/patrol);
# 13: the duty rota (shifts, shift swaps: data/patrol/rota.py)
log = logging.getLogger(__name__)
GPKG_APPLICATION_ID = 0x47504B47  # "GPKG"
GPKG_USER_VERSION = 10300  # GeoPackage 1.3.0
# Our own bookkeeping, not a layer: kept out of gpkg_contents (its key is text, which GeoPackage
# does not allow for listed tables).
UNLISTED_TABLES = ("gridwatch_meta", "alembic_version")
RTREE_EXTENSION = ("gpkg_rtree_index", "http://www.geopackage.org/spec120/#extension_rtree", "write-only")


class StoreError(Exception):
    """A store cannot be used; the message says which file and why, in words a user can act on."""


class StoreNotFound(StoreError):
    pass


class NotAGridWatchStore(StoreError):
    pass


class StoreTooNew(StoreError):
    pass


class CorruptStore(StoreError):
    pass


class StoreExists(StoreError):
    pass


class StoreNeedsMigration(StoreError):
    pass


class StoreUnreachable(StoreError):
    """The office's database server does not answer (or refused the connection)."""

    @classmethod
    def of(cls, label: str, exc: Exception) -> "StoreUnreachable":
        """The refusal for `label`, with the driver's own first line about why."""
        cause = getattr(exc, "orig", None) or exc.__cause__ or exc.__context__ or exc
        lines = str(cause).strip().splitlines()
        return cls(f"{label}: the database server cannot be reached or refused the connection "
                   f"({lines[0] if lines else type(cause).__name__})")


@dataclass
class Store:
    """An open store: the engine, a session factory and the district's map projection."""

    engine: Engine
    path: Path | None
    projection: Projection
    meta: dict[str, str]
    url: str | None = None  # office mode: the libpq URL or service name it was opened with (no password)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def is_office(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @property
    def identity(self) -> str:
        """Which store this is, for keys of caches kept outside it: the resolved file path, or the
        database URL without any password."""
        return office.safe_label(self.url) if self.url is not None else str(Path(self.path).resolve())

    @property
    def label(self) -> str:
        """How to name this store to a person (a file path, or the database URL without any password)."""
        if self.url is not None:
            return office.safe_label(self.url)
        return str(self.path)

    @property
    def short_label(self) -> str:
        """For a window title: the file name, or the database name."""
        if self.url is not None:
            return office.database_name(self.url) or self.label
        return self.path.name if self.path else ""

    def session(self) -> Session:
        return self._sessions()

    def set_meta(self, key: str, value: str) -> None:
        with self.session() as s, s.begin():
            s.merge(Meta(key=key, value=value))
        self.meta[key] = value

    def close(self) -> None:
        self.engine.dispose()
        gate = _GATES.pop(self.engine, None)
        if gate is not None:
            from data.store.writers import let_go
            let_go(gate)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def write_lock(conn) -> None:
    """Take the store's write lock at the start of a transaction, so that check-then-write services
    (assigning a team, numbering a case) cannot interleave: exactly one of two racing writers wins.

    SQLite: a no-op write takes the RESERVED lock now rather than at the first real write (the
    other writer waits on busy_timeout and then sees the first one's rows). PostgreSQL: a
    transaction-scoped advisory lock.
    """
    if conn.dialect.name == "sqlite":
        queue_for_write(conn)
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4711)")


def queue_for_write(conn, batch: bool = False) -> None:
    """SQLite: wait for this writer's turn in the store's writers' queue (data/store/writers.py), then
    take the write lock at once. Every writer of the embedded store comes through here, the tracker
    feed's batches included, so that each gets its turn. PostgreSQL: nothing (its row locks and the
    advisory lock of write_lock queue their waiters in order).

    batch: a group commit that carries many waiting senders (the tracker feed's): it alternates with
    the queued writers instead of queueing behind all of them."""
    if conn.dialect.name != "sqlite":
        return
    gate = _GATES.get(conn.engine)
    if gate is not None and not conn.info.get("writers_gate") and gate.acquire(batch):
        conn.info["writers_gate"] = True  # let go when the connection goes back to the pool (after the commit)
    conn.exec_driver_sql("UPDATE gridwatch_meta SET value = value WHERE key = 'schema_version'")


@contextmanager
def write_session(store: "Store") -> Iterator[Session]:
    """A short write transaction holding the store's write lock (check-then-write services and the
    audit chain need one writer at a time); committed when the block ends, rolled back if it raises."""
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            yield s
            s.flush()


def checkpoint(store: "Store") -> None:
    """Fold the WAL into the main file so that other readers of the file (GDAL, QGIS) see every
    committed row: GDAL's read-only opens were seen here to miss rows still in the WAL."""
    if store.engine.dialect.name == "sqlite":
        with store.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(FULL)")


def _envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage geometry blob, from its header envelope when it has
    one (ours always do), else from the geometry itself."""
    if blob is None or len(blob) < 8:
        return None
    flags = blob[3]
    if (flags >> 4) & 1:  # the empty-geometry flag
        return None
    if (flags >> 1) & 0b111:
        return struct.unpack_from("<dddd" if flags & 1 else ">dddd", blob, 8)
    g = decode_gpkg([blob])[0]
    if g is None or g.is_empty:
        return None
    minx, miny, maxx, maxy = shapely.bounds(g).tolist()
    return minx, maxx, miny, maxy


def _env_part(k: int):
    def f(blob):
        env = _envelope(blob)
        return None if env is None else env[k]
    return f


# Each embedded store's writers' queue, by its engine (data/store/writers.py).
_GATES: "weakref.WeakKeyDictionary[Engine, object]" = weakref.WeakKeyDictionary()


def register_gpkg_functions(dbapi_conn) -> None:
    """The SQL functions the GeoPackage R-tree triggers call (GeoPackage 1.3, F.3): every connection
    that writes a feature table needs them (GDAL registers its own)."""
    for k, name in enumerate(("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY")):
        dbapi_conn.create_function(name, 1, _env_part(k), deterministic=True)
    dbapi_conn.create_function("ST_IsEmpty", 1, lambda b: 1 if _envelope(b) is None else 0, deterministic=True)


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}", future=True)
    from data.store.writers import gate_for
    gate = gate_for(path)
    if gate is None:
        return _with_pragmas(engine)
    _GATES[engine] = gate

    def _next_writer(_dbapi_conn, record, *_exc):  # the transaction is over: committed, rolled back or lost
        if record is not None and record.info.pop("writers_gate", False):
            gate.release()
    event.listen(engine, "checkin", _next_writer)
    event.listen(engine, "invalidate", _next_writer)

    return _with_pragmas(engine)


def _with_pragmas(engine: Engine) -> Engine:
    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn, _record):  # every pooled connection gets the same guarantees
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before it returns, so an acknowledged write survives power loss.
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=5000")
        cur.close()
        register_gpkg_functions(dbapi_conn)

    return engine


def inspect_file(path: Path) -> dict[str, str]:
    """Check, read-only, that a file is a GridWatch store we can open; return its meta table.

    Fully, before anything uses it: SQLite's `quick_check` (a damaged page is found here, not by a
    command half-way through its work), every table and column the schema needs (at the current
    schema; an older one is migrated first), and a map CRS PROJ knows. A refused file is left as it
    was found: the -wal and -shm files SQLite makes beside it to read it are taken away again."""
    if not path.exists():
        raise StoreNotFound(f"{path}: no such file")
    if path.is_dir():
        raise NotAGridWatchStore(f"{path} is a folder, not a GridWatch store file")
    # The header is checked by SQLite itself, never by opening the file from Python: closing any other
    # descriptor of a database file drops every POSIX lock this process holds on it, and a store this
    # process already has open (the console opening it again, a test) then loses its WAL to another
    # process's checkpoint: "database disk image is malformed" (sqlite.org/howtocorrupt.html, 2.2).
    if path.stat().st_size < 100:
        raise CorruptStore(f"{path} is not a GeoPackage/SQLite file (its header is wrong: damaged or another kind of file)")
    sidecars = [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm")]
    had = [p.exists() for p in sidecars]
    try:
        return _inspect(path)
    except StoreError:
        for p, existed in zip(sidecars, had):
            if not existed:
                try:
                    p.unlink(missing_ok=True)
                except OSError as exc:  # another process may hold the file: it is theirs then
                    log.warning("could not remove %s left by reading a refused store: %s", p, exc)
        raise


def _inspect(path: Path) -> dict[str, str]:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            try:
                con.execute("PRAGMA schema_version").fetchone()
            except sqlite3.DatabaseError as exc:
                if "not a database" in str(exc):
                    raise CorruptStore(f"{path} is not a GeoPackage/SQLite file (its header is wrong: damaged or another kind "
                                       "of file)") from None
                raise
            app_id = con.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "gridwatch_meta" not in tables:
                kind = "a GeoPackage" if app_id == GPKG_APPLICATION_ID else "an SQLite database"
                raise NotAGridWatchStore(f"{path} is {kind} but not a GridWatch store (it has no gridwatch_meta table)")
            meta = dict(con.execute("SELECT key, value FROM gridwatch_meta").fetchall())
            problems = [r[0] for r in con.execute("PRAGMA quick_check(5)")]
            if problems != ["ok"]:
                raise CorruptStore(f"{path} is damaged ({'; '.join(problems)[:300]}). Restore it from a backup; "
                                   "nothing was changed.")
            if meta.get("schema_version") == str(SCHEMA_VERSION):
                missing = _missing_schema(con, tables)
                if missing:
                    raise CorruptStore(f"{path} lacks parts of a GridWatch store ({', '.join(missing[:8])}"
                                       f"{' …' if len(missing) > 8 else ''}). Restore it from a backup.")
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise CorruptStore(f"{path} is damaged and cannot be read ({exc})") from None
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError:
        raise CorruptStore(f"{path}: its schema version {meta.get('schema_version')!r} is not a number") from None
    if version > SCHEMA_VERSION:
        raise StoreTooNew(
            f"{path} was written by a newer GridWatch ({meta.get('written_by', 'unknown version')}, schema "
            f"{version}); this GridWatch {__version__} reads schema {SCHEMA_VERSION} and older. Update GridWatch to open it.")
    if version < 1 or "map_epsg" not in meta:
        raise CorruptStore(f"{path}: the GridWatch metadata is incomplete (schema version or map CRS missing)")
    _check_crs(path, meta["map_epsg"])
    return meta


def _missing_schema(con, tables: set[str]) -> list[str]:
    """Tables and columns of the current models that the file does not have."""
    missing = []
    for table in Base.metadata.sorted_tables:
        if table.name not in tables:
            missing.append(f"table {table.name}")
            continue
        have = {r[1] for r in con.execute(f'PRAGMA table_info("{table.name}")')}
        missing += [f"{table.name}.{c.name}" for c in table.columns if c.name not in have]
    return missing


def _check_crs(label, map_epsg: str) -> None:
    """The district's map CRS must be one PROJ knows and measures in metres: every distance is taken in it."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError
    try:
        crs = CRS.from_epsg(int(map_epsg))
    except (ValueError, CRSError):
        raise CorruptStore(f"{label}: its map CRS EPSG:{map_epsg} is not one GridWatch knows") from None
    unit = crs.axis_info[0].unit_name if crs.axis_info else ""
    if not crs.is_projected or unit not in ("metre", "meter"):
        raise CorruptStore(f"{label}: its map CRS EPSG:{map_epsg} ({crs.name}) is not a projected CRS in metres")


def open_store(target: str | Path, *, for_migration: bool = False) -> Store:
    """Open an existing store (a GeoPackage path or an office URL), refusing (StoreError) anything we
    cannot use safely, and a store whose schema needs `gridwatch migrate` (unless for_migration)."""
    if office.is_office_url(target):
        return _open_office(str(target), for_migration)
    if str(target).startswith(("postgresql:", "postgres:")):
        raise StoreError(f"{target}: not a PostgreSQL URL GridWatch understands (postgresql://user@host:port/database, "
                         "or service=NAME)")
    path = Path(target).expanduser().resolve()
    meta = inspect_file(path)
    engine = _sqlite_engine(path)
    store = Store(engine=engine, path=path, projection=Projection(int(meta["map_epsg"])), meta=meta)
    if not for_migration:
        _refuse_if_migration_needed(store)
    return store


def _open_office(target: str, for_migration: bool) -> Store:
    try:
        engine = office.office_engine(target)
    except office.OfficeError as exc:
        raise StoreError(str(exc)) from None
    label = office.safe_label(target)
    try:
        with engine.connect() as conn:
            meta = dict(conn.exec_driver_sql("SELECT key, value FROM gridwatch_meta").all())
    except ProgrammingError:
        engine.dispose()
        raise NotAGridWatchStore(f"{label}: this database holds no GridWatch store (no gridwatch_meta table); "
                                 f"create one with: gridwatch office create {label} --from STORE.gpkg") from None
    except (OperationalError, GridWatchError) as exc:
        engine.dispose()
        raise StoreUnreachable.of(label, exc) from None
    version = int(meta.get("schema_version", "0") or 0)
    if version > SCHEMA_VERSION:
        engine.dispose()
        raise StoreTooNew(f"{label} was written by a newer GridWatch ({meta.get('written_by', 'unknown version')}, schema "
                          f"{version}); this GridWatch {__version__} reads schema {SCHEMA_VERSION} and older. Update GridWatch.")
    if "map_epsg" not in meta:
        engine.dispose()
        raise CorruptStore(f"{label}: the GridWatch metadata is incomplete (map CRS missing)")
    try:
        _check_crs(label, meta["map_epsg"])
        if version == SCHEMA_VERSION:
            with engine.connect() as conn:
                have: dict[str, set[str]] = {}
                for t, c in conn.exec_driver_sql("SELECT table_name, column_name FROM information_schema.columns "
                                                 "WHERE table_schema = current_schema()"):
                    have.setdefault(t, set()).add(c)
            missing = [f"table {t.name}" if t.name not in have else f"{t.name}.{c.name}"
                       for t in Base.metadata.sorted_tables for c in t.columns
                       if t.name not in have or c.name not in have[t.name]]
            missing = list(dict.fromkeys(missing))
            if missing:
                raise CorruptStore(f"{label} lacks parts of a GridWatch store ({', '.join(missing[:8])}"
                                   f"{' …' if len(missing) > 8 else ''}). Restore it from a backup.")
    except StoreError:
        engine.dispose()
        raise
    store = Store(engine=engine, path=None, projection=Projection(int(meta["map_epsg"])), meta=meta, url=target)
    if not for_migration:
        _refuse_if_migration_needed(store)
    return store


def _refuse_if_migration_needed(store: Store) -> None:
    with store.engine.connect() as conn:
        p = migrate.plan(conn)
    if p.unknown:
        store.close()
        raise StoreTooNew(f"{store.label} is at schema revision {p.current}, which this GridWatch {__version__} does not "
                          "know: it was migrated by a newer GridWatch. Update GridWatch to open it.")
    if p.needed:
        store.close()
        raise StoreNeedsMigration(
            f"{store.label} needs its schema brought up to date ({len(p.steps)} step(s), from {p.current} to {p.head}) "
            f"before this GridWatch can use it. Back it up, then run: gridwatch migrate {store.label}")


def legacy_upgrade(conn) -> None:
    """Bring a store older than schema 7 up to schema 7, in the caller's transaction (the upgrade GridWatch
    did by itself before Alembic): tables added in 2, 3 and 5 are created; 5 adds street access
    columns; 4 gives feed_counters and unknown_devices an INTEGER key (the tables are rebuilt, rows
    kept), takes gridwatch_meta out of gpkg_contents and adds the R-tree indexes."""
    existing = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    for name, cols in (("feed_counters", "reason, count, updated_at"), ("tracker_devices", "device_id, team_id, bound_at"),
                       ("unknown_devices", "device_id, first_seen, last_seen, reports")):
        if name in existing and "id" not in {r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({name})")}:
            conn.exec_driver_sql(f"ALTER TABLE {name} RENAME TO {name}_v3")
            Base.metadata.tables[name].create(conn)
            conn.exec_driver_sql(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM {name}_v3")
            conn.exec_driver_sql(f"DROP TABLE {name}_v3")
    if "street_segments" in existing:
        have = {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(street_segments)")}
        for mode in ("foot", "ebike", "car"):
            if mode not in have:  # schema 5: every existing street was open to everyone
                conn.exec_driver_sql(f"ALTER TABLE street_segments ADD COLUMN {mode} BOOLEAN NOT NULL DEFAULT 1")
    if "tracker_devices" in existing and "key_sha256" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(tracker_devices)")}:
        conn.exec_driver_sql("ALTER TABLE tracker_devices ADD COLUMN key_sha256 TEXT(64)")
    if "case_events" in existing and "account_id" not in {r[1] for r in conn.exec_driver_sql("PRAGMA table_info(case_events)")}:
        # schema 6: events before accounts have none (ALTER TABLE is not an UPDATE: the append-only triggers allow it)
        conn.exec_driver_sql("ALTER TABLE case_events ADD COLUMN account_id INTEGER REFERENCES accounts(id)")
    # Only schema 7's tables: later ones come from their Alembic revisions, which run next.
    later = set(LEDGER_TABLES) | set(PATROL_TABLES) | set(ROTA_TABLES)  # added by revisions 0009, 0012, 0013
    tables = [t for t in Base.metadata.sorted_tables if t.name not in existing and t.name not in later]
    Base.metadata.create_all(conn, tables=tables, checkfirst=True)
    finish_geopackage(conn)
    conn.execute(text("UPDATE gridwatch_meta SET value='7' WHERE key='schema_version'"))


def finish_geopackage(conn) -> None:
    """What a GeoPackage needs after tables were added or rebuilt (a migration, batch mode): every table
    listed in gpkg_contents (ours kept out), R-tree indexes with their triggers, append-only triggers."""
    listed = {r[0] for r in conn.exec_driver_sql("SELECT table_name FROM gpkg_contents")}
    existing = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    spatial = spatial_tables()
    for table in Base.metadata.sorted_tables:
        if table.name in listed or table.name in UNLISTED_TABLES or table.name not in existing:
            continue  # a table a later revision adds is listed when that revision has made it
        _register_table(conn, table.name, spatial)  # 7: key_areas, a feature table (a layer)
    conn.execute(text("DELETE FROM gpkg_contents WHERE table_name IN :t").bindparams(bindparam("t", expanding=True)),
                 dict(t=list(UNLISTED_TABLES)))
    _create_rtree_indexes(conn)
    _create_append_only_triggers(conn)  # the tables added since (audit_log) get theirs too


def migrate_store(target: str | Path) -> tuple[Store, "object"]:
    """Bring a store's schema to this GridWatch's head in one transaction; returns the open store and
    the plan that was carried out (empty steps: it was up to date)."""
    store = open_store(target, for_migration=True)
    try:
        with store.engine.begin() as conn:
            done = migrate.upgrade(conn)
        with store.engine.connect() as conn:
            store.meta.update(dict(conn.exec_driver_sql("SELECT key, value FROM gridwatch_meta").all()))
    except Exception:
        store.close()
        raise
    return store, done


def create_store(path: str | Path, projection: Projection, *, overwrite: bool = False) -> Store:
    """Create an empty GridWatch GeoPackage at `path` (refused if it exists unless overwrite)."""
    path = Path(path).expanduser().resolve()
    if path.exists() and not overwrite:
        raise StoreExists(f"{path} already exists; choose another file or allow overwriting it")
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.touch()  # an empty file is an empty database; the writers' queue is named after its inode
    engine = _sqlite_engine(path)
    with engine.begin() as conn:
        conn.exec_driver_sql(f"PRAGMA application_id={GPKG_APPLICATION_ID}")
        conn.exec_driver_sql(f"PRAGMA user_version={GPKG_USER_VERSION}")
        _create_gpkg_core(conn, projection)
    Base.metadata.create_all(engine)
    meta = new_meta(projection)
    with engine.begin() as conn:
        _register_contents(conn)
        _create_rtree_indexes(conn)
        _create_append_only_triggers(conn)
        conn.execute(Meta.__table__.insert(), [{"key": k, "value": v} for k, v in meta.items()])
        migrate.stamp_head(conn)
    return Store(engine=engine, path=path, projection=projection, meta=meta)


def new_meta(projection: Projection) -> dict[str, str]:
    return {
        "schema_version": str(SCHEMA_VERSION),
        "written_by": f"GridWatch {__version__}",
        "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "map_epsg": str(projection.map_epsg),
        "store_epsg": str(projection.store_epsg),
    }


def create_office(target: str, projection: Projection, meta: dict[str, str] | None = None) -> Store:
    """Create an empty GridWatch store in an (empty) PostgreSQL database: PostGIS, every table, the
    office extras (data/store/office.create_schema), stamped at the head revision. All or nothing."""
    try:
        engine = office.office_engine(target)
    except office.OfficeError as exc:
        raise StoreError(str(exc)) from None
    label = office.safe_label(target)
    meta = dict(meta or new_meta(projection))
    meta.update(schema_version=str(SCHEMA_VERSION), written_by=f"GridWatch {__version__}")
    try:
        with engine.begin() as conn:
            if conn.exec_driver_sql("SELECT to_regclass('public.gridwatch_meta')").scalar() is not None:
                raise StoreExists(f"{label} already holds a GridWatch store; create the office in a new, empty database")
            office.create_schema(conn)
            conn.execute(Meta.__table__.insert(), [{"key": k, "value": v} for k, v in meta.items()])
            migrate.stamp_head(conn)
    except office.OfficeError as exc:
        engine.dispose()
        raise StoreError(f"{label}: {exc}") from None
    except (OperationalError, GridWatchError) as exc:
        engine.dispose()
        raise StoreUnreachable.of(label, exc) from None
    except StoreError:
        engine.dispose()
        raise
    return Store(engine=engine, path=None, projection=projection, meta=meta, url=target)


def _create_gpkg_core(conn, projection: Projection) -> None:
    conn.exec_driver_sql("""
        CREATE TABLE gpkg_spatial_ref_sys (
          srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
          organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT)""")
    conn.exec_driver_sql("""
        CREATE TABLE gpkg_contents (
          table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
          description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
          min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
          CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id))""")
    conn.exec_driver_sql("""
        CREATE TABLE gpkg_geometry_columns (
          table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
          srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
          CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
          CONSTRAINT uk_gc_table_name UNIQUE (table_name),
          CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
          CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id))""")
    rows = [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
    ]
    for epsg in sorted({4326, STORE_EPSG, projection.map_epsg}):
        name, wkt = srs_definition(epsg)
        rows.append((name, epsg, "EPSG", epsg, wkt, name))
    conn.execute(text("INSERT INTO gpkg_spatial_ref_sys VALUES (:n, :i, :o, :c, :d, :desc)"),
                 [dict(n=r[0], i=r[1], o=r[2], c=r[3], d=r[4], desc=r[5]) for r in rows])


def _register_contents(conn) -> None:
    spatial = spatial_tables()
    for table in Base.metadata.sorted_tables:
        if table.name not in UNLISTED_TABLES:
            _register_table(conn, table.name, spatial)


def _register_table(conn, name: str, spatial: dict[str, tuple[str, str]]) -> None:
    """List a table in gpkg_contents: a feature layer (with its geometry column) or attributes."""
    if name in spatial:
        column, gtype = spatial[name]
        conn.execute(text("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                          "VALUES (:t, 'features', :t, :s)"), dict(t=name, s=STORE_EPSG))
        conn.execute(text("INSERT INTO gpkg_geometry_columns VALUES (:t, :c, :g, :s, 0, 0)"),
                     dict(t=name, c=column, g=gtype, s=STORE_EPSG))
    else:
        conn.execute(text("INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES (:t, 'attributes', :t)"),
                     dict(t=name))


def _create_rtree_indexes(conn) -> None:
    """A GeoPackage R-tree spatial index on every feature table (rtree_<table>_<column>, listed in
    gpkg_extensions, kept current by the standard triggers of GeoPackage 1.3 Annex F.3), so QGIS and
    GDAL read only what a view needs. Idempotent: indexes that exist are left alone."""
    conn.exec_driver_sql("""
        CREATE TABLE IF NOT EXISTS gpkg_extensions (
          table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
          scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))""")
    have = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    for t, (c, _gtype) in spatial_tables().items():
        rt = f"rtree_{t}_{c}"
        if rt in have or t not in have:  # not made yet: a later revision adds the table (and then its index)
            continue
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE {rt} USING rtree(id, minx, maxx, miny, maxy)")
        conn.exec_driver_sql(f"INSERT OR REPLACE INTO {rt} SELECT id, ST_MinX({c}), ST_MaxX({c}), ST_MinY({c}), ST_MaxY({c}) "
                             f"FROM {t} WHERE {c} NOT NULL AND NOT ST_IsEmpty({c})")
        values = f"NEW.id, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c})"
        for name, when, body in (
            ("insert", f"AFTER INSERT ON {t} WHEN (new.{c} NOT NULL AND NOT ST_IsEmpty(NEW.{c}))",
             f"INSERT OR REPLACE INTO {rt} VALUES ({values});"),
            ("update1", f"AFTER UPDATE OF {c} ON {t} WHEN OLD.id = NEW.id AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))",
             f"INSERT OR REPLACE INTO {rt} VALUES ({values});"),
            ("update2", f"AFTER UPDATE OF {c} ON {t} WHEN OLD.id = NEW.id AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))",
             f"DELETE FROM {rt} WHERE id = OLD.id;"),
            ("update3", f"AFTER UPDATE ON {t} WHEN OLD.id != NEW.id AND (NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))",
             f"DELETE FROM {rt} WHERE id = OLD.id; INSERT OR REPLACE INTO {rt} VALUES ({values});"),
            ("update4", f"AFTER UPDATE ON {t} WHEN OLD.id != NEW.id AND (NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))",
             f"DELETE FROM {rt} WHERE id IN (OLD.id, NEW.id);"),
            ("delete", f"AFTER DELETE ON {t} WHEN old.{c} NOT NULL", f"DELETE FROM {rt} WHERE id = OLD.id;"),
        ):
            conn.exec_driver_sql(f"CREATE TRIGGER {rt}_{name} {when} BEGIN {body} END")
        conn.execute(text("INSERT OR IGNORE INTO gpkg_extensions VALUES (:t, :c, :n, :d, :s)"),
                     dict(t=t, c=c, n=RTREE_EXTENSION[0], d=RTREE_EXTENSION[1], s=RTREE_EXTENSION[2]))


def _create_append_only_triggers(conn) -> None:
    # A table not there yet (a store on its way up, before the revision that adds it) gets them when it is.
    existing = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")}
    for table in APPEND_ONLY_TABLES:
        if table not in existing:
            continue
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END")


def update_extents(store: Store) -> None:
    """Refresh gpkg_contents bounds from the data (QGIS and GDAL use them for 'zoom to layer')."""

    with store.engine.begin() as conn:
        for table, (column, _gtype) in spatial_tables().items():
            blobs = [r[0] for r in conn.exec_driver_sql(f"SELECT {column} FROM {table}")]
            if not blobs:
                continue
            minx, miny, maxx, maxy = shapely.total_bounds(decode_gpkg(blobs))
            conn.execute(text("UPDATE gpkg_contents SET min_x=:a, min_y=:b, max_x=:c, max_y=:d, "
                              "last_change=strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name=:t"),
                         dict(a=minx, b=miny, c=maxx, d=maxy, t=table))

