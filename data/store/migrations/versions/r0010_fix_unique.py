"""Schema 10: one fix per device and time. Duplicate detection lived in each feed's memory, so the same
fix sent to two feeds, or resent after a restart or a crash, was stored twice; a unique key on
(device_id, t) lets every feed insert-or-ignore (ingest) and store it once whichever receives it.

Fixes stored twice before are folded to their first copy. fixes is append-only, so its DELETE
trigger is taken off for that one statement and put back (SQLite's by migrate.upgrade, which
restores the GeoPackage's triggers after every migration; PostgreSQL's here, on the partitioned
table, whose trigger reaches every month).

Revision ID: 0010
Revises: 0009
"""

import logging

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS fixes_append_only_delete")
        gone = bind.exec_driver_sql("DELETE FROM fixes WHERE id NOT IN (SELECT min(id) FROM fixes GROUP BY device_id, t)").rowcount
    else:
        op.execute("DROP TRIGGER IF EXISTS fixes_append_only_delete ON fixes")
        gone = bind.exec_driver_sql("DELETE FROM fixes f USING fixes g WHERE f.device_id = g.device_id AND f.t = g.t "
                                    "AND f.id > g.id").rowcount
        op.execute("CREATE TRIGGER fixes_append_only_delete BEFORE DELETE ON fixes "
                   "FOR EACH ROW EXECUTE FUNCTION gridwatch_append_only()")
    if gone:
        log.warning("%d fixes stored twice (same device and time) were folded to their first copy", gone)
    op.execute("DROP INDEX IF EXISTS ix_fixes_device_t")
    op.execute("CREATE UNIQUE INDEX ix_fixes_device_t ON fixes (device_id, t)")
    op.execute("UPDATE gridwatch_meta SET value = '10' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
