"""Schema 12: patrol plans (data/patrol): who patrols which route, area or stake-out point on which days
and hours, and the days off their pattern. New tables only; nothing existing changes. patrol_plans is a
feature table (its geometry a route line, an area polygon or a stake-out point), so QGIS draws plans
beside the grids; on SQLite `migrate.upgrade` lists it in gpkg_contents and gives it its R-tree.

The tables are written out here as they were at this revision (not taken from the models, which
will move on).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

from data.store.types import Geometry, UTCDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "patrol_plans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id")),
        sa.Column("team_kind", sa.String(32)),
        sa.Column("days", sa.String(7), nullable=False),
        sa.Column("start_min", sa.Integer, nullable=False),
        sa.Column("end_min", sa.Integer, nullable=False),
        sa.Column("key", sa.Boolean, nullable=False),
        sa.Column("target_pct", sa.Integer, nullable=False),
        sa.Column("checkpoints", sa.Text, nullable=False),
        sa.Column("grid_codes", sa.Text, nullable=False),
        sa.Column("radius_m", sa.Double, nullable=False),
        sa.Column("valid_from", sa.String(10), nullable=False),
        sa.Column("valid_to", sa.String(10)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id")),
        sa.Column("geom", Geometry("GEOMETRY"), nullable=False))
    op.create_table(
        "patrol_exceptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("plan_id", sa.Integer, sa.ForeignKey("patrol_plans.id"), nullable=False, index=True),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("cancelled", sa.Boolean, nullable=False),
        sa.Column("start_min", sa.Integer),
        sa.Column("end_min", sa.Integer),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("accounts.id")),
        sa.UniqueConstraint("plan_id", "day", name="uq_patrol_exceptions_plan_day"))
    if op.get_bind().dialect.name == "postgresql":  # GiST, as every other geometry column of an office
        op.execute("CREATE INDEX IF NOT EXISTS patrol_plans_geom_gist ON patrol_plans USING gist (geom)")
    op.execute("UPDATE gridwatch_meta SET value = '12' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
