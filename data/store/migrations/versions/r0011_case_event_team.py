"""Schema 11: an index on case_events (team_id, t). A dispatch checks, under the store's write lock,
whether the team is already on a case; by this index it reads that team's few cases instead of every
event of the last 30 days (25–108 ms under the lock, which starved the tracker feed of its share).

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # An index needs no table rebuild on SQLite: the GeoPackage's triggers and R-trees are untouched.
    # IF NOT EXISTS: a store brought up from before schema 7 has its tables made whole from the models.
    op.execute("CREATE INDEX IF NOT EXISTS ix_case_events_team_t ON case_events (team_id, t)")
    op.execute("UPDATE gridwatch_meta SET value = '11' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
