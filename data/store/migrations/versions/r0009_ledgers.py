"""Schema 9: the office's ledgers (data/ledgers): people under supervision with their responsible
persons, visits, out-of-supervision escalations, mediation records and sessions, dispute sweeps,
petitions with their 5+1, contacts and zero-reports. New tables only; nothing existing changes. Visits
and zero-reports are append-only.

The tables are written out here as they were at this revision (not taken from the models, which
will move on). On SQLite `migrate.upgrade` lists them in gpkg_contents afterwards.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from data.store.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer, primary_key=True)


def _day(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.String(10), nullable=nullable)


def upgrade() -> None:
    big = sa.BigInteger().with_variant(sa.Integer, "sqlite")
    op.create_table(
        "supervised_people", _id(),
        sa.Column("ledger_no", sa.String(32), nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False, index=True),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("id_number", sa.String(18), nullable=False, unique=True),
        sa.Column("phone", sa.String(20)),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("lon", sa.Double, nullable=False),
        sa.Column("lat", sa.Double, nullable=False),
        sa.Column("grid_code", sa.String(32), index=True),
        sa.Column("community_id", sa.Integer, sa.ForeignKey("communities.id")),
        sa.Column("risk", sa.String(8), nullable=False),
        _day("since_day"), _day("until_day", True),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False))
    op.create_table(
        "person_helpers", _id(),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("supervised_people.id"), nullable=False, index=True),
        sa.Column("role", sa.String(24), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("phone", sa.String(20)),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id")),
        sa.UniqueConstraint("person_id", "role"))
    op.create_table(
        "visits", _id(),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("supervised_people.id"), nullable=False),
        sa.Column("t", UTCDateTime, nullable=False, index=True),
        sa.Column("helper_id", sa.Integer, sa.ForeignKey("person_helpers.id")),
        sa.Column("visitor", sa.String(32), nullable=False),
        sa.Column("found", sa.Boolean, nullable=False),
        sa.Column("findings", sa.Text, nullable=False),
        sa.Column("follow_up", sa.Text, nullable=False),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id")),
        sa.Column("evidence_fix_id", big),
        sa.Column("evidence_m", sa.Double),
        sa.Column("recorded_by", sa.Integer, sa.ForeignKey("accounts.id")),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.Index("ix_visits_person_t", "person_id", "t"))
    op.create_table(
        "person_escalations", _id(),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("supervised_people.id"), nullable=False, index=True),
        _day("due_day"),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False),
        sa.Column("t", UTCDateTime, nullable=False),
        sa.UniqueConstraint("person_id", "due_day"))
    op.create_table(
        "mediations", _id(),
        sa.Column("incident_id", sa.Integer, sa.ForeignKey("incidents.id"), nullable=False, unique=True),
        sa.Column("parties", sa.Text, nullable=False),
        sa.Column("mediators", sa.Text, nullable=False),
        _day("opened_day"),
        sa.Column("outcome", sa.String(8), nullable=False),
        sa.Column("agreement_ref", sa.String(64)),
        _day("concluded_day", True), _day("follow_up_day", True),
        sa.Column("recurred", sa.Boolean))
    op.create_table(
        "mediation_sessions", _id(),
        sa.Column("mediation_id", sa.Integer, sa.ForeignKey("mediations.id"), nullable=False, index=True),
        _day("day"),
        sa.Column("mediator", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False))
    op.create_table(
        "sweeps", _id(),
        sa.Column("grid_code", sa.String(32), nullable=False, index=True),
        _day("planned_day"), _day("done_day", True),
        sa.Column("swept_by", sa.String(32), nullable=False),
        sa.Column("found", sa.Integer, nullable=False),
        sa.Column("note", sa.Text, nullable=False))
    op.create_table(
        "petitions", _id(),
        sa.Column("petition_no", sa.String(32), nullable=False, unique=True),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("supervised_people.id")),
        sa.Column("petitioner", sa.String(32), nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        _day("opened_day"),
        sa.Column("working_group", sa.String(64), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("grid_code", sa.String(32)))
    op.create_table(
        "petition_responsibles", _id(),
        sa.Column("petition_id", sa.Integer, sa.ForeignKey("petitions.id"), nullable=False, index=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("name", sa.String(32), nullable=False),
        sa.UniqueConstraint("petition_id", "role"))
    op.create_table(
        "petition_contacts", _id(),
        sa.Column("petition_id", sa.Integer, sa.ForeignKey("petitions.id"), nullable=False, index=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("t", UTCDateTime, nullable=False),
        sa.Column("contact_by", sa.String(32), nullable=False),
        sa.Column("note", sa.Text, nullable=False))
    op.create_table(
        "zero_reports", _id(),
        sa.Column("responsible_id", sa.Integer, sa.ForeignKey("petition_responsibles.id"), nullable=False, index=True),
        _day("day"),
        sa.Column("nothing_to_report", sa.Boolean, nullable=False),
        sa.Column("report", sa.Text, nullable=False),
        sa.Column("t", UTCDateTime, nullable=False),
        sa.Index("ix_zero_reports_day", "day"),
        sa.UniqueConstraint("responsible_id", "day"))
    # Visits and zero-reports are evidence: append-only like fixes and case events. SQLite gets its
    # triggers from migrate.upgrade (core.finish_geopackage); PostgreSQL here, on the office's function.
    if op.get_bind().dialect.name == "postgresql":
        for table in ("visits", "zero_reports"):
            for what in ("UPDATE", "DELETE"):
                op.execute(f"CREATE TRIGGER {table}_append_only_{what.lower()} BEFORE {what} ON {table} "
                           "FOR EACH ROW EXECUTE FUNCTION gridwatch_append_only()")
    op.execute("UPDATE gridwatch_meta SET value = '9' WHERE key = 'schema_version'")


def downgrade() -> None:
    raise NotImplementedError("GridWatch stores are never downgraded: restore a backup instead")
