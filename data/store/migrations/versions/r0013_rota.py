"""Schema 13: the duty rota (data/patrol/rota.py): shifts of a person or a whole team, posted to a
grid, and the swaps of a shift from one person to another with their reasons. New tables only.

The tables are written out here as they were at this revision (not taken from the models, which
will move on).

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

from data.store.types import UTCDateTime

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "shifts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id")),
        sa.Column("starts_at", UTCDateTime, nullable=False),
        sa.Column("ends_at", UTCDateTime, nullable=False),
        sa.Column("grid_code", sa.String(32)),
        sa.Column("post", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id")))
    op.create_index("ix_shifts_starts_at", "shifts", ["starts_at"])
    op.create_index("ix_shifts_team_starts_at", "shifts", ["team_id", "starts_at"])
    op.create_index("ix_shifts_member_id", "shifts", ["member_id"])
    op.create_table(
        "shift_swaps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("shift_id", sa.Integer, sa.ForeignKey("shifts.id"), nullable=False),
        sa.Column("from_member_id", sa.Integer, sa.ForeignKey("members.id")),
        sa.Column("to_member_id", sa.Integer, sa.ForeignKey("members.id"), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id")))
    op.create_index("ix_shift_swaps_shift_id", "shift_swaps", ["shift_id"])
    op.execute("UPDATE gridwatch_meta SET value = '13' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
