"""Copying a whole store between backends: a GeoPackage into a new office database
(`gridwatch office create URL --from STORE.gpkg`) and an office back into a GeoPackage
(`gridwatch export --store URL --out FILE.gpkg`: for QGIS, a backup, a field laptop).

Rows keep their ids, tables go parent before child, every table's count is checked against the
source at the end, and the destination is all-or-nothing: one transaction into PostgreSQL, a `.part`
file renamed into place for a GeoPackage.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sqlalchemy import func, insert, select

from data.store.core import (Store, StoreError, create_office, create_store, open_store, update_extents)
from data.store import models as m
from data.store import office
from data.store.models import LEDGER_TABLES, Base

if TYPE_CHECKING:
    from data.accounts import Principal

log = logging.getLogger(__name__)
CHUNK = 5000
# Meta keys that describe the store's schema, not its district: the destination writes its own.
_OWN_META = {"schema_version", "written_by"}
Progress = Callable[[str, int, int], None]  # table, rows copied, rows in it


@dataclass
class CopyReport:
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows copied (and found at the end)
    left_out: tuple[str, ...] = ()  # tables left empty: the ledgers, for an exporter who may not read them


def _audit_export(src: Store, by: "Principal", out: Path, report: CopyReport) -> None:
    """Personal data left the store: who took it, where to, how many rows of each ledger."""
    from data import audit
    from data.store.core import write_session
    with write_session(src) as s:
        audit.append(s, account_id=by.account_id, username=by.username, action="ledgers.export", object_type="ledger",
                     after={"file": out.name, "rows": {t: report.counts.get(t, 0) for t in LEDGER_TABLES}})


def _tables():
    return [t for t in Base.metadata.sorted_tables if t.name != "gridwatch_meta"]


def _count(conn, table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar() or 0)


def _copy_tables(src: Store, dst_conn, progress: Progress | None, leave_out: tuple[str, ...] = ()) -> CopyReport:
    report = CopyReport()
    to_office = dst_conn.dialect.name == "postgresql"
    tables = [t for t in _tables() if t.name not in leave_out]
    with src.engine.connect() as sconn:
        totals = {t.name: _count(sconn, t) for t in tables}
        for table in tables:
            total, done = totals[table.name], 0
            if progress:
                progress(table.name, 0, total)
            key = table.primary_key.columns.values()
            result = sconn.execution_options(stream_results=True, yield_per=CHUNK).execute(select(table).order_by(*key))
            for rows in result.partitions(CHUNK):
                dicts = [r._asdict() for r in rows]
                if to_office and table.name == "fixes":
                    office.copy_fixes(dst_conn, dicts)
                elif to_office:
                    office.copy_rows(dst_conn, table, dicts)  # COPY: millions of case events in seconds
                else:
                    dst_conn.execute(insert(table), dicts)
                done += len(dicts)
                if progress:
                    progress(table.name, done, total)
            report.counts[table.name] = done
    for table in tables:  # the check the issue asks for: what arrived is what was there
        have = _count(dst_conn, table)
        if have != report.counts[table.name] or have != totals[table.name]:
            raise StoreError(f"copying {table.name}: {totals[table.name]} rows in the source, {have} arrived; nothing was kept")
    return report


def _fix_months(src: Store) -> list[int]:
    with src.session() as s:
        lo, hi = s.execute(select(func.min(m.Fix.t), func.max(m.Fix.t))).one()
    if lo is None:
        return []
    first, last = lo.year * 12 + lo.month - 1, hi.year * 12 + hi.month - 1
    return list(range(first, last + 1))


def create_office_from(target: str, source: str | Path, *, progress: Progress | None = None,
                       app_role: str | None = None) -> tuple[Store, CopyReport]:
    """A new office store in the (empty) database `target`, holding everything of the GeoPackage `source`."""
    src = open_store(source)
    try:
        meta = {k: v for k, v in src.meta.items() if k not in _OWN_META}
        dst = create_office(target, src.projection, meta=meta)
        try:
            with dst.engine.begin() as conn:
                office.ensure_fix_partitions(conn, _fix_months(src))
                # The office is the same store moved to a server: everything goes, ledgers included.
                report = _copy_tables(src, conn, progress)
                office.reset_sequences(conn)
                # Statistics now, not whenever autovacuum gets to it: without them the planner guesses,
                # and a read of a thousand cases' events scanned all five million (seen here).
                conn.exec_driver_sql("ANALYZE")
                if app_role:
                    office.grant_application_role(conn, app_role)
        except BaseException:
            # The schema was made in its own transaction: take it away again, so the database is as
            # empty as it was and the command can simply be run again.
            _drop_everything(dst)
            dst.close()
            raise
    finally:
        src.close()
    return dst, report


def _drop_everything(store: Store) -> None:
    try:
        with store.engine.begin() as conn:
            for table in reversed(Base.metadata.sorted_tables):
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table.name} CASCADE")
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version, gridwatch_thinned CASCADE")
    except Exception:
        log.exception("could not remove the half-made office schema from %s", store.label)


def export_geopackage(source: str, out: str | Path, *, progress: Progress | None = None,
                      overwrite: bool = False, by: "Principal | None" = None) -> CopyReport:
    """Write a whole store (an office database, or another GeoPackage) into a new GeoPackage file.

    The ledgers (people under supervision, visits, mediation, petitions: models.LEDGER_TABLES) go
    only into an export made by an account that may read them (`by` with ledgers.read_personal),
    and that export is audited in the source; anyone else's export has the tables, empty."""
    out = Path(out).expanduser().resolve()
    if out.exists() and not overwrite:
        raise StoreError(f"{out} already exists; choose another file or allow overwriting it")
    part = out.with_name(out.name + ".part")
    src = open_store(source)
    try:
        dst = create_store(part, src.projection, overwrite=True)
        try:
            with dst.engine.begin() as conn:
                personal = by is not None and by.may("ledgers.read_personal")
                if personal:
                    from data.accounts import require
                    require(by, "ledgers.read_personal")
                report = _copy_tables(src, conn, progress, () if personal else LEDGER_TABLES)
                report.left_out = () if personal else LEDGER_TABLES
                from data.store.models import Meta
                meta = {**src.meta, **{k: dst.meta[k] for k in _OWN_META}}  # the district's facts, our schema's
                conn.exec_driver_sql("DELETE FROM gridwatch_meta")
                conn.execute(insert(Meta.__table__), [{"key": k, "value": v} for k, v in meta.items()])
            update_extents(dst)
            with dst.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            dst.close()
        os.replace(part, out)
        if not report.left_out:
            _audit_export(src, by, out, report)
    except BaseException:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(part) + suffix).unlink(missing_ok=True)
        raise
    finally:
        src.close()
    for suffix in ("-wal", "-shm"):
        Path(str(part) + suffix).unlink(missing_ok=True)
    return report

