"""Office mode: the store on a PostgreSQL/PostGIS server that several consoles and feeds share.

What differs from the embedded GeoPackage lives here (data/store/core.py keeps the GeoPackage side):
- connecting by a libpq URL or service name, with the password only ever in ~/.pgpass or the
  service file (a URL that carries one is refused, so it cannot reach a shell history or a log);
- the schema's PostgreSQL extras: PostGIS geometry columns with GiST indexes, the fixes table
  partitioned by month, append-only triggers, and NOTIFY triggers that wake every console when
  fixes, case events, grid sets or device bindings are committed (data/store/changes.py listens);
- partition upkeep and retention of raw fixes (`gridwatch office maintain`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta, timezone

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.engine import make_url
from sqlalchemy.schema import CreateIndex

from data.messages import GridWatchError
from data.store.models import APPEND_ONLY_TABLES, Base, spatial_tables
from data.store.types import Geometry, UTCDateTime, as_declared, encode_ewkb

log = logging.getLogger(__name__)

URL_PREFIXES = ("postgresql://", "postgres://", "postgresql+psycopg://", "service=")
# One channel per kind of change; the payload says which (a case id), or nothing (read since a watermark).
CHANNELS = {"fixes": "gridwatch_fixes", "cases": "gridwatch_cases", "grids": "gridwatch_grids",
            "devices": "gridwatch_devices"}
FIX_PARTITION_MONTHS_AHEAD = 3
DEFAULT_RETENTION_DAYS = 180  # raw fixes kept this long, then thinned to one per device per minute


class OfficeError(Exception):
    """Raised for a URL that cannot be used; core turns it into a StoreError."""


def is_office_url(target) -> bool:
    return isinstance(target, str) and target.startswith(URL_PREFIXES)


def sqlalchemy_url(target: str) -> str:
    """The SQLAlchemy URL (psycopg 3 driver) for a libpq URL or `service=NAME`."""
    if target.startswith("service="):
        return f"postgresql+psycopg:///?service={target.split('=', 1)[1]}"
    for prefix in ("postgresql+psycopg://", "postgresql://", "postgres://"):
        if target.startswith(prefix):
            return "postgresql+psycopg://" + target[len(prefix):]
    raise OfficeError(f"{target}: not a PostgreSQL URL")


def safe_label(target: str) -> str:
    """How the store is named in messages, titles and logs: never with a password."""
    if target.startswith("service="):
        return target
    return make_url(sqlalchemy_url(target)).set(drivername="postgresql").render_as_string(hide_password=True)


def libpq_dsn(target: str) -> str:
    """The libpq connection string for psycopg used directly (LISTEN, COPY): the same server and database."""
    url = make_url(sqlalchemy_url(target))
    parts = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username}
    parts.update({k: v for k, v in url.query.items() if isinstance(v, str)})
    return " ".join(f"{k}={v}" for k, v in parts.items() if v not in (None, ""))


def office_engine(target: str) -> Engine:
    url = make_url(sqlalchemy_url(target))
    if url.password or "password" in url.query:
        raise OfficeError(f"{safe_label(target)}: the URL carries a password. Put it in ~/.pgpass (or a service file, "
                          "~/.pg_service.conf) so that it never lands in a shell history, the store or a log")
    # A short connect timeout and TCP keepalives: a dead server is said within seconds, not after the
    # OS's two minutes; pre-ping replaces connections the server dropped, so a seat reconnects by itself.
    engine = create_engine(url, future=True, pool_pre_ping=True, pool_size=4, max_overflow=8,
                           connect_args={"connect_timeout": 3, "application_name": "gridwatch", "keepalives": 1,
                                         "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2})

    @event.listens_for(engine, "handle_error")
    def _unreachable(ctx):
        # Losing the server is a refusal a person can act on (in their language), never a traceback:
        # every caller that already says GridWatchErrors to its user says this one too.
        if ctx.is_pre_ping:
            # The pool's check of a connection taken from it: a dropped one is replaced by a new one, which
            # SQLAlchemy does only if the error stays a disconnect (replacing it here made a seat whose server
            # had come back refuse its next action, on a pooled connection from before the cut).
            return None
        orig = ctx.original_exception
        sqlstate = getattr(orig, "sqlstate", None) or ""
        lost = isinstance(ctx.sqlalchemy_exception, OperationalError) and (not sqlstate or sqlstate.startswith(("08", "57P")))
        if ctx.is_disconnect or lost:  # connection failures and shutdowns, not lock timeouts or deadlocks
            return GridWatchError("store.unreachable")
        return None
    return engine


def database_name(target: str) -> str | None:
    return make_url(sqlalchemy_url(target)).database


# --- schema -------------------------------------------------------------------------------------------
def create_schema(conn) -> None:
    """Every table of the current models on PostgreSQL/PostGIS, plus the office extras."""
    try:
        conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
    except Exception as exc:
        raise OfficeError("PostGIS is not installed in this database and this account may not install it: ask the "
                          "server's administrator to run CREATE EXTENSION postgis in it (Debian: package "
                          f"postgresql-<version>-postgis-3) ({exc.__class__.__name__})") from None
    tables = [t for t in Base.metadata.sorted_tables if t.name != "fixes"]
    Base.metadata.create_all(conn, tables=tables)
    create_fixes_table(conn)
    for t, (c, _gtype) in spatial_tables().items():
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS {t}_{c}_gist ON {t} USING gist ({c})")
    create_triggers(conn)


def create_fixes_table(conn) -> None:
    """fixes, partitioned by month of the fix time (declarative partitioning). The key must contain
    the partition key, hence (id, t); a DEFAULT partition takes fixes of months not yet created, so a
    fix is never refused for want of a partition."""
    table = Base.metadata.tables["fixes"]
    cols = []
    for c in table.columns:
        if c.name == "id":
            cols.append("id BIGSERIAL NOT NULL")
            continue
        spec = c.type.compile(dialect=conn.dialect)
        fk = "".join(f" REFERENCES {fk.column.table.name}({fk.column.name})" for fk in c.foreign_keys)
        cols.append(f"{c.name} {spec}{'' if c.nullable else ' NOT NULL'}{fk}")
    conn.exec_driver_sql(f"CREATE TABLE fixes ({', '.join(cols)}, PRIMARY KEY (id, t)) PARTITION BY RANGE (t)")
    conn.exec_driver_sql("CREATE TABLE fixes_default PARTITION OF fixes DEFAULT")
    for index in table.indexes:
        conn.execute(CreateIndex(index))
    now = datetime.now(timezone.utc)
    ensure_fix_partitions(conn, [_month(now) + k for k in range(-1, FIX_PARTITION_MONTHS_AHEAD + 1)])


def _month(t: datetime) -> int:
    """A month as a number (year * 12 + month - 1), so neighbours are +1 / -1."""
    return t.year * 12 + t.month - 1


def _month_start(n: int) -> datetime:
    return datetime(n // 12, n % 12 + 1, 1)


def partition_name(n: int) -> str:
    return f"fixes_{n // 12:04d}_{n % 12 + 1:02d}"


def existing_partitions(conn) -> set[str]:
    return {r[0] for r in conn.exec_driver_sql(
        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'fixes'")}


def ensure_fix_partitions(conn, months) -> list[str]:
    """Create the monthly partitions of `months` that do not exist yet (rows of such a month already in
    the default partition move into it). Owner's work: an application role without CREATE leaves
    fixes in the default partition until `gridwatch office maintain` runs."""
    have = existing_partitions(conn)
    made = []
    for n in sorted(set(months)):
        name = partition_name(n)
        if name in have:
            continue
        lo, hi = _month_start(n), _month_start(n + 1)
        conn.exec_driver_sql("SELECT pg_advisory_xact_lock(4712)")  # two feeds creating one month
        if name in existing_partitions(conn):
            continue
        stray = conn.execute(text("SELECT count(*) FROM fixes_default WHERE t >= :lo AND t < :hi"), dict(lo=lo, hi=hi)).scalar()
        if stray:
            # A partition cannot be added over rows the default holds: detach the default, add the
            # month, move its rows (the append-only trigger is the table owner's to lift, here only).
            conn.exec_driver_sql("ALTER TABLE fixes DETACH PARTITION fixes_default")
            conn.exec_driver_sql(f"CREATE TABLE {name} PARTITION OF fixes FOR VALUES FROM ('{lo:%Y-%m-%d}') TO ('{hi:%Y-%m-%d}')")
            conn.exec_driver_sql("ALTER TABLE fixes_default DISABLE TRIGGER USER")
            conn.execute(text(f"WITH moved AS (DELETE FROM fixes_default WHERE t >= :lo AND t < :hi RETURNING *) "
                              f"INSERT INTO {name} SELECT * FROM moved"), dict(lo=lo, hi=hi))
            conn.exec_driver_sql("ALTER TABLE fixes_default ENABLE TRIGGER USER")
            conn.exec_driver_sql("ALTER TABLE fixes ATTACH PARTITION fixes_default DEFAULT")
        else:
            conn.exec_driver_sql(f"CREATE TABLE {name} PARTITION OF fixes FOR VALUES FROM ('{lo:%Y-%m-%d}') TO ('{hi:%Y-%m-%d}')")
        made.append(name)
    return made


def create_triggers(conn) -> None:
    conn.exec_driver_sql("""
        CREATE OR REPLACE FUNCTION gridwatch_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '%% is append-only', TG_TABLE_NAME USING ERRCODE = 'integrity_constraint_violation'; END $$""")
    for table in APPEND_ONLY_TABLES:
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_append_only_{op.lower()} ON {table}")
            conn.exec_driver_sql(f"CREATE TRIGGER {table}_append_only_{op.lower()} BEFORE {op} ON {table} "
                                 "FOR EACH ROW EXECUTE FUNCTION gridwatch_append_only()")
    # NOTIFY is delivered at commit, to every listening session: exactly "this is now readable".
    conn.exec_driver_sql("""
        CREATE OR REPLACE FUNCTION gridwatch_notify_statement() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify(TG_ARGV[0], ''); RETURN NULL; END $$""")
    conn.exec_driver_sql(f"""
        CREATE OR REPLACE FUNCTION gridwatch_notify_case() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN PERFORM pg_notify('{CHANNELS["cases"]}', NEW.incident_id::text); RETURN NULL; END $$""")
    for table, channel, ops in (("fixes", CHANNELS["fixes"], "INSERT"),
                                ("grid_sets", CHANNELS["grids"], "INSERT OR UPDATE OR DELETE"),
                                ("grids", CHANNELS["grids"], "INSERT OR UPDATE OR DELETE"),
                                ("tracker_devices", CHANNELS["devices"], "INSERT OR UPDATE OR DELETE")):
        conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {table}_notify ON {table}")
        conn.exec_driver_sql(f"CREATE TRIGGER {table}_notify AFTER {ops} ON {table} FOR EACH STATEMENT "
                             f"EXECUTE FUNCTION gridwatch_notify_statement('{channel}')")
    conn.exec_driver_sql("DROP TRIGGER IF EXISTS case_events_notify ON case_events")
    conn.exec_driver_sql("CREATE TRIGGER case_events_notify AFTER INSERT ON case_events FOR EACH ROW "
                         "EXECUTE FUNCTION gridwatch_notify_case()")


FIX_COLUMNS = tuple(c.name for c in Base.metadata.tables["fixes"].columns if c.name != "id")
_FIX_TYPES = {"id": "int8", "device_id": "varchar", "team_id": "int4", "t": "timestamp", "lon": "float8", "lat": "float8",
              "speed_mps": "float8", "heading_deg": "float8", "accuracy_m": "float8", "battery_pct": "float8",
              "received_at": "timestamp"}


def copy_fixes(conn, rows: list[dict], *, skip_stored: bool = False) -> None:
    """Append fixes with COPY (psycopg 3) inside the caller's transaction: one round trip for a whole
    batch, several times the rate of INSERTs. Ids come from the sequence unless the rows carry them.

    `skip_stored` (ingest): a fix already stored for its device and time (another feed took it, or the
    phone resent it after a crash) is left out rather than failing the batch. COPY cannot skip a row,
    so the batch goes to a temporary table first and on with INSERT … ON CONFLICT DO NOTHING."""
    cols = ("id",) + FIX_COLUMNS if rows and "id" in rows[0] else FIX_COLUMNS
    types = [_FIX_TYPES[c] for c in cols]
    times = [k for k, c in enumerate(cols) if types[k] == "timestamp"]
    raw = conn.connection.driver_connection
    target = "fixes"
    if skip_stored:
        # One per connection, emptied at each commit: no catalogue churn per batch.
        conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS fixes_incoming ON COMMIT DELETE ROWS AS "
                             f"SELECT {', '.join(cols)} FROM fixes WITH NO DATA")
        target = "fixes_incoming"
    # Binary COPY: psycopg's C dumpers pack numbers and times without formatting them as text.
    with raw.cursor() as cur, cur.copy(f"COPY {target} ({', '.join(cols)}) FROM STDIN (FORMAT binary)") as cp:
        cp.set_types(types)
        for r in rows:
            row = [r.get(c) for c in cols]
            for k in times:
                row[k] = naive_utc(row[k])
            cp.write_row(row)
    if skip_stored:
        names = ", ".join(cols)
        conn.exec_driver_sql(f"INSERT INTO fixes ({names}) SELECT {names} FROM fixes_incoming "
                             "ON CONFLICT (device_id, t) DO NOTHING")


def copy_rows(conn, table, rows: list[dict]) -> None:
    """Append rows (ids included) to any table with COPY in text form: geometries as hex EWKB, times
    as UTC, which PostgreSQL parses as it would the same literals in an INSERT."""
    if not rows:
        return
    cols = [c for c in table.columns if c.name in rows[0]]
    convert = []
    for c in cols:
        if isinstance(c.type, Geometry):
            convert.append(lambda g, srs=c.type.srs_id, declared=c.type.geometry_type: None if g is None else
                           encode_ewkb([as_declared(g, declared)], srs)[0])
        elif isinstance(c.type, UTCDateTime):
            convert.append(naive_utc)
        else:
            convert.append(None)
    names = [c.name for c in cols]
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as cp:
        for r in rows:
            cp.write_row([v if f is None else f(v) for f, v in zip(convert, (r[n] for n in names))])


def naive_utc(v):
    """A datetime as PostgreSQL's `timestamp` columns hold it (UTC, no zone); anything else unchanged."""
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None)
    return v


def reset_sequences(conn) -> None:
    """After rows were copied in with their ids: every id sequence continues after the largest id."""
    for table in Base.metadata.sorted_tables:
        if "id" in table.columns and table.columns["id"].primary_key:
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                 f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)")


def grant_application_role(conn, role: str) -> None:
    """The grants of a seat's account (issue 13's rule, held by the server): it reads everything and
    writes what the console writes, but the append-only tables take INSERT and SELECT only, so no
    seat can rewrite a fix, a case event or an audit row even with SQL of its own."""
    ident = conn.dialect.identifier_preparer.quote(role)
    conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA public TO {ident}")
    conn.exec_driver_sql(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {ident}")
    conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {ident}")
    for table in Base.metadata.sorted_tables:
        if table.name in APPEND_ONLY_TABLES:
            conn.exec_driver_sql(f"GRANT INSERT ON {table.name} TO {ident}")
        elif table.name != "gridwatch_meta":
            conn.exec_driver_sql(f"GRANT INSERT, UPDATE, DELETE ON {table.name} TO {ident}")
    # Partitions are reached through `fixes`, whose grants are the ones checked: none needed on them.
    # Tables a later migration adds (made by this same owner) can be read by the seats at once;
    # what they may write there is granted by running `office grant` again after `migrate`.
    conn.exec_driver_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO {ident}")
    conn.exec_driver_sql(f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO {ident}")


# --- upkeep ---------------------------------------------------------------------------------------------
def maintain(conn, *, now: datetime | None = None, retention_days: int = DEFAULT_RETENTION_DAYS) -> dict:
    """Partitions for the months ahead, and raw fixes older than the retention thinned to one per
    device per minute (whole months only, once each: the month's partition is rewritten and swapped,
    so replay reads it as before). Returns what was done."""
    now = now or datetime.now(timezone.utc)
    # Months that reached the default partition (a role without CREATE was writing, or old fixes were
    # imported) get partitions of their own too, so they can be thinned like the rest.
    stray = [_month(t) for (t,) in conn.exec_driver_sql("SELECT DISTINCT date_trunc('month', t) FROM fixes_default")]
    made = ensure_fix_partitions(conn, stray + [_month(now) + k for k in range(-1, FIX_PARTITION_MONTHS_AHEAD + 1)])
    cutoff = now - timedelta(days=retention_days)
    thinned = {}
    conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS gridwatch_thinned (month TEXT PRIMARY KEY, before_rows BIGINT, "
                         "after_rows BIGINT, t TIMESTAMP NOT NULL)")
    done = {r[0] for r in conn.exec_driver_sql("SELECT month FROM gridwatch_thinned")}
    for name in sorted(existing_partitions(conn)):
        month = re.fullmatch(r"fixes_(\d{4})_(\d{2})", name)
        if month is None or name in done:  # the default partition, or one an administrator made by hand
            continue
        y, mth = int(month.group(1)), int(month.group(2))
        n = y * 12 + mth - 1
        if _month_start(n + 1) > cutoff.replace(tzinfo=None):
            continue
        lo, hi = _month_start(n), _month_start(n + 1)
        before = conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar()
        conn.exec_driver_sql(f"ALTER TABLE fixes DETACH PARTITION {name}")
        conn.exec_driver_sql(f"CREATE TABLE {name}_thin (LIKE {name} INCLUDING DEFAULTS)")
        conn.exec_driver_sql(f"INSERT INTO {name}_thin SELECT DISTINCT ON (device_id, date_trunc('minute', t)) * FROM {name} "
                             "ORDER BY device_id, date_trunc('minute', t), t")
        conn.exec_driver_sql(f"DROP TABLE {name}")
        conn.exec_driver_sql(f"ALTER TABLE {name}_thin RENAME TO {name}")
        conn.exec_driver_sql(f"ALTER TABLE fixes ATTACH PARTITION {name} FOR VALUES FROM ('{lo:%Y-%m-%d}') TO ('{hi:%Y-%m-%d}')")
        conn.exec_driver_sql(f"ANALYZE {name}")  # the rewritten month's statistics, for the planner
        after = conn.exec_driver_sql(f"SELECT count(*) FROM {name}").scalar()
        conn.execute(text("INSERT INTO gridwatch_thinned VALUES (:m, :b, :a, :t)"),
                     dict(m=name, b=before, a=after, t=now.replace(tzinfo=None)))
        thinned[name] = (before, after)
        log.info("thinned %s: %d fixes -> %d (one per device per minute)", name, before, after)
    return {"partitions_created": made, "thinned": thinned}
