"""Schema 7, the last schema before Alembic: what `create_store` of GridWatch 0.1 wrote (district, grids,
cameras, teams, fixes, cases, accounts, the audit trail, key areas). A store without an alembic_version
table and with schema_version 7 is at this revision; older ones are brought here by
data/store/core.legacy_upgrade first.

Revision ID: 0007
Revises:
"""

revision = "0007"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Stores at schema 7 were created whole by create_store (and offices by data/store/office); this
    # revision only names that state, so nothing is done here.
    pass


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
