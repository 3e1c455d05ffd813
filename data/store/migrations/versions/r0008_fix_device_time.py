"""Schema 8: an index on fixes (device_id, t). The device list's "last report" (max t per device), the
office's duplicate checks and per-device replay read by device and time; without it each is a scan
of every fix ever stored.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Batch mode on SQLite: an index needs no table rebuild, so the GeoPackage's triggers and R-trees
    # are untouched; on PostgreSQL the index on the partitioned table reaches every month.
    with op.batch_alter_table("fixes") as batch:
        batch.create_index("ix_fixes_device_t", ["device_id", "t"])
    op.execute("UPDATE gridwatch_meta SET value = '8' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
