"""SQLAlchemy models of the store: one table per kind of fact.

Geometry columns hold lon/lat (EPSG:4490). Append-only tables (position fixes, case events) are
protected by triggers in the store; the current stage of a case and a team's current position are
derived from them, never stored twice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import BigInteger, Boolean, Double, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from data.store.types import Geometry, UTCDateTime


class Base(DeclarativeBase):
    pass


class Meta(Base):
    """Key/value facts about the store itself (schema version, map CRS, generator)."""

    __tablename__ = "gridwatch_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class District(Base):
    __tablename__ = "district"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)


class Community(Base):
    """社区. Its outline is the union of its grids in the grid set in force, so it is not stored."""

    __tablename__ = "communities"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(64))


class GridSet(Base):
    """A version of the grid boundaries; the published set with the latest effective_from <= t is in force at t."""

    __tablename__ = "grid_sets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16))  # draft | published
    effective_from: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class Grid(Base):
    """网格. `code` is the grid's identity across versions; `id` is one version of it."""

    __tablename__ = "grids"
    __table_args__ = (UniqueConstraint("grid_set_id", "code"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_set_id: Mapped[int] = mapped_column(ForeignKey("grid_sets.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id"))
    worker_member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("members.id"), nullable=True)
    geom = mapped_column(Geometry("POLYGON"), nullable=False)


class Camera(Base):
    """天网 camera point with its view wedge (heading clockwise from north, field of view, range)."""

    __tablename__ = "cameras"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(128))
    hd: Mapped[bool] = mapped_column(Boolean)
    heading_deg: Mapped[float] = mapped_column(Double)
    fov_deg: Mapped[float] = mapped_column(Double)
    range_m: Mapped[float] = mapped_column(Double)
    stream_url: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="online")  # online | offline | fault
    geom = mapped_column(Geometry("POINT"), nullable=False)


class Team(Base):
    __tablename__ = "teams"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32))  # see data.domain.TEAM_KINDS
    transport: Mapped[str] = mapped_column(String(8))  # foot | ebike | car
    home_grid_code: Mapped[str] = mapped_column(String(32))
    duty_start_min: Mapped[int] = mapped_column(Integer)  # minutes after local midnight
    duty_end_min: Mapped[int] = mapped_column(Integer)  # may be < start for night shifts


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    phone: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(16))  # leader | member


class Staff(Base):
    """Office staff who act on cases (dispatchers, supervisors, planners)."""

    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    role: Mapped[str] = mapped_column(String(16))


class TrackerDevice(Base):
    __tablename__ = "tracker_devices"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # GeoPackage Req 119
    device_id: Mapped[str] = mapped_column(String(64), unique=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # SHA-256 of the device's key (schema 6; data/feeds/devices.issue_device_key), None: no key issued.
    key_sha256: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)


class UnknownDevice(Base):
    """Tracker ids that reported but are bound to no team: listed for an administrator to bind."""

    __tablename__ = "unknown_devices"
    # An INTEGER key: GeoPackage requires one on every table it lists (Req 119).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64), unique=True)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime)
    reports: Mapped[int] = mapped_column(Integer, default=0)


class FeedCounter(Base):
    """Running counts of the position feed (accepted, and refused by reason), kept in the store so
    that a console sees the counts of a listener running in another process."""

    __tablename__ = "feed_counters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)  # GeoPackage Req 119
    reason: Mapped[str] = mapped_column(String(32), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Fix(Base):
    """One position report. Append-only.

    lon/lat are plain columns rather than a geometry: ingest and replay scan millions of rows and
    read them straight into arrays; a QGIS project shows them as a point layer from x/y.
    """

    __tablename__ = "fixes"
    __table_args__ = (Index("ix_fixes_team_t", "team_id", "t"), Index("ix_fixes_t", "t"),
                      # One fix per device and time (schema 10): a resent or doubly received fix is stored once.
                      Index("ix_fixes_device_t", "device_id", "t", unique=True))
    # 64-bit on PostgreSQL: an office stores billions of fixes (SQLite's INTEGER key is 64-bit already).
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    device_id: Mapped[str] = mapped_column(String(64))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    t: Mapped[datetime] = mapped_column(UTCDateTime)
    lon: Mapped[float] = mapped_column(Double)
    lat: Mapped[float] = mapped_column(Double)
    speed_mps: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    heading_deg: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    accuracy_m: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    battery_pct: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Incident(Base):
    """What was reported, where and when. Its stage lives in case_events."""

    __tablename__ = "incidents"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_no: Mapped[str] = mapped_column(String(32), unique=True)
    category: Mapped[str] = mapped_column(String(32), index=True)  # top level, e.g. dispute
    subcategory: Mapped[str] = mapped_column(String(48))  # e.g. dispute.neighbour
    priority: Mapped[str] = mapped_column(String(8))  # urgent | high | normal | low
    source: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    reporter: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    contact: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    grid_code: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)  # None: outside jurisdiction
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("communities.id"), nullable=True)
    duplicate_of: Mapped[Optional[int]] = mapped_column(ForeignKey("incidents.id"), nullable=True)
    geom = mapped_column(Geometry("POINT"), nullable=False)


class CaseEvent(Base):
    """One step in a case's life (who, when, from, to, note). Append-only."""

    __tablename__ = "case_events"
    # By team: a dispatch's "is this team already on a case?" reads only that team's cases (schema 11).
    __table_args__ = (Index("ix_case_events_incident_t", "incident_id", "t"), Index("ix_case_events_team_t", "team_id", "t"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    t: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(16))
    from_stage: Mapped[Optional[str]] = mapped_column(String(16), nullable=True)
    to_stage: Mapped[str] = mapped_column(String(16))
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    result: Mapped[Optional[str]] = mapped_column(String(16), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    # The signed-in account that took the action (schema 6; None for events older than accounts and
    # for the system). Separation of duties is checked on this, not on the name in `actor`.
    account_id: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)


class Recommendation(Base):
    """What the console recommended for a case, when, with the ETAs as computed then (replay
    compares them with what happened). One row per team considered, excluded ones included."""

    __tablename__ = "recommendations"
    __table_args__ = (Index("ix_recommendations_incident", "incident_id", "t"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    t: Mapped[datetime] = mapped_column(UTCDateTime)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    rank: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)  # None: excluded
    eta_s: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    road_m: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    straight_m: Mapped[float] = mapped_column(Double)
    reason: Mapped[str] = mapped_column(Text, default="")


class StreetSegment(Base):
    """An edge of the routable street graph between two node ids."""

    __tablename__ = "street_segments"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    road_class: Mapped[str] = mapped_column(String(16))  # main | secondary | minor | bridge
    from_node: Mapped[int] = mapped_column(Integer, index=True)
    to_node: Mapped[int] = mapped_column(Integer, index=True)
    oneway: Mapped[bool] = mapped_column(Boolean, default=False)  # True: only from_node -> to_node (e-bikes, cars)
    length_m: Mapped[float] = mapped_column(Double)
    # Who may use the street (OSM access tags, or a mapped field): a footway is not for cars.
    foot: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    ebike: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    car: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    geom = mapped_column(Geometry("LINESTRING"), nullable=False)


class Building(Base):
    __tablename__ = "buildings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    floors: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # residential | commercial | public
    geom = mapped_column(Geometry("POLYGON"), nullable=False)


class Water(Base):
    __tablename__ = "water"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # river | pond
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)


class ImportRecord(Base):
    """One import into the store: who, when, which file (name and sha256), what kind, the counts
    (JSON: added, changed, removed, written ...). Kept so an office can say where its data came from."""

    __tablename__ = "import_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    t: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    file_name: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    counts: Mapped[str] = mapped_column(Text, default="{}")
    options: Mapped[str] = mapped_column(Text, default="{}")


class KeyArea(Base):
    """A key rectification area (重点整治区域): a place a supervisor decided to work on, often adopted
    from a hotspot, with the category of incident to bring down, the day the work started and who
    answers for it. data/hotspots.py compares its incidents per month before and after, and a year
    earlier."""

    __tablename__ = "key_areas"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    category: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)  # None: every category
    start_day: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD, office time: the work started that day
    owner: Mapped[str] = mapped_column(String(64))  # the person (or unit) who answers for it
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    geom = mapped_column(Geometry("MULTIPOLYGON"), nullable=False)


class PatrolPlan(Base):
    """A patrol plan (巡逻计划, schema 12): a team, or every team of a kind, patrols a route (ordered
    checkpoints along streets), an area (grids or a drawn polygon, its streets to be walked) or holds a
    stake-out point, on some days of the week and hours of the office day. A key plan (重点区域、重点
    时段, e.g. the night-market street 20:00–02:00) asks for full coverage and raises an alert when
    nobody is there. data/patrol/plans.py reads and writes them; coverage comes from the tracks."""

    __tablename__ = "patrol_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # route | area | stakeout
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)
    team_kind: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)  # every team of this kind (data.domain.TEAM_KINDS)
    days: Mapped[str] = mapped_column(String(7), default="1234567")  # ISO weekdays the plan runs on, 1 = Monday
    start_min: Mapped[int] = mapped_column(Integer)  # office time, minutes after midnight
    end_min: Mapped[int] = mapped_column(Integer)  # may be <= start: the shift runs past midnight
    key: Mapped[bool] = mapped_column(Boolean, default=False)
    target_pct: Mapped[int] = mapped_column(Integer, default=80)  # coverage asked for (key plans: 100)
    checkpoints: Mapped[str] = mapped_column(Text, default="[]")  # JSON [[lon, lat], ...], in order (routes)
    grid_codes: Mapped[str] = mapped_column(Text, default="[]")  # JSON, the grids an area plan was made from
    radius_m: Mapped[float] = mapped_column(Double, default=30.0)  # checkpoint or stake-out radius
    valid_from: Mapped[str] = mapped_column(String(10))  # YYYY-MM-DD, office days
    valid_to: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    geom = mapped_column(Geometry("GEOMETRY"), nullable=False)  # route line, area polygon or stake-out point


class PatrolException(Base):
    """One day off a plan's weekly pattern: cancelled, or other hours (a holiday, a city event)."""

    __tablename__ = "patrol_exceptions"
    __table_args__ = (UniqueConstraint("plan_id", "day", name="uq_patrol_exceptions_plan_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("patrol_plans.id"), index=True)
    day: Mapped[str] = mapped_column(String(10))
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    start_min: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    end_min: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)


class Shift(Base):
    """One turn on duty in the rota (排班, schema 13): a person of a team, or the whole team when no
    person is named, from one time to another, posted to a grid (the team's home grid unless the rota
    says otherwise). Dispatch asks the rota who is on shift now (data/patrol/rota.py); a team with no
    rota for the day falls back to its fixed duty hours."""

    __tablename__ = "shifts"
    __table_args__ = (Index("ix_shifts_starts_at", "starts_at"), Index("ix_shifts_team_starts_at", "team_id", "starts_at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("members.id"), nullable=True, index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    grid_code: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)
    post: Mapped[str] = mapped_column(Text, default="")  # 岗位: what the turn is (a gate, a patrol, the desk)
    source: Mapped[str] = mapped_column(Text, default="")  # the file it was imported from
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)


class ShiftSwap(Base):
    """A turn given to another person (换班), with the reason: the shift row names the new person, this
    row keeps who had it before, who decided and why."""

    __tablename__ = "shift_swaps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    shift_id: Mapped[int] = mapped_column(ForeignKey("shifts.id"), index=True)
    from_member_id: Mapped[Optional[int]] = mapped_column(ForeignKey("members.id"), nullable=True)
    to_member_id: Mapped[int] = mapped_column(ForeignKey("members.id"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)


def spatial_tables() -> dict[str, tuple[str, str]]:
    """table name -> (geometry column, geometry type) for every table with a geometry."""
    out = {}
    for table in Base.metadata.sorted_tables:
        for col in table.columns:
            if isinstance(col.type, Geometry):
                out[table.name] = (col.name, col.type.geometry_type)
    return out


class Account(Base):
    """A person who signs in (data/accounts.py): roles, an optional community scope, a password hash."""

    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(Text)  # argon2id, PHC string
    roles: Mapped[str] = mapped_column(String(128))  # comma-separated role codes
    communities: Mapped[Optional[str]] = mapped_column(Text, nullable=True)  # comma-separated ids; None: all
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[Optional[datetime]] = mapped_column(UTCDateTime, nullable=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AuditEntry(Base):
    """One change, appended and chained (data/audit.py): each row's hash covers its content and the
    previous row's hash, so an edited, deleted or inserted row breaks the chain. Append-only."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    t: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    account_id: Mapped[Optional[int]] = mapped_column(Integer, nullable=True)
    username: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[Optional[str]] = mapped_column(String(64), nullable=True, index=True)
    before: Mapped[Optional[str]] = mapped_column(Text, nullable=True)  # JSON
    after: Mapped[Optional[str]] = mapped_column(Text, nullable=True)  # JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# --- the office's ledgers (data/ledgers; schema 9) -------------------------------------------------
# Personal data: no table here is a map layer (no geometry column, so QGIS does not draw names), and
# none leaves the store in an export for a role that may not read it (data/store/transfer.py).
# Days are office days as text (YYYY-MM-DD), as key areas keep theirs.

class SupervisedPerson(Base):
    """重点人员: someone the office keeps under community supervision (kind, risk, period), at home."""

    __tablename__ = "supervised_people"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ledger_no: Mapped[str] = mapped_column(String(32), unique=True)  # the ledger's own number, shown masked-safe
    kind: Mapped[str] = mapped_column(String(16), index=True)  # data.domain.PERSON_KINDS
    name: Mapped[str] = mapped_column(String(32))
    id_number: Mapped[str] = mapped_column(String(18), unique=True)  # 18-digit 居民身份证号码, checksum checked
    phone: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    address: Mapped[str] = mapped_column(Text, default="")
    lon: Mapped[float] = mapped_column(Double)
    lat: Mapped[float] = mapped_column(Double)
    grid_code: Mapped[Optional[str]] = mapped_column(String(32), nullable=True, index=True)
    community_id: Mapped[Optional[int]] = mapped_column(ForeignKey("communities.id"), nullable=True)
    risk: Mapped[str] = mapped_column(String(8))  # data.domain.RISK_LEVELS
    since_day: Mapped[str] = mapped_column(String(10))
    until_day: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # None: still under supervision
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PersonHelper(Base):
    """One of the responsible persons (六对一 …) for someone under supervision, by role."""

    __tablename__ = "person_helpers"
    __table_args__ = (UniqueConstraint("person_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("supervised_people.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))  # data.domain.HELPER_ROLES
    name: Mapped[str] = mapped_column(String(32))
    phone: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    # The helper's team, when the helper is one of the office's members: its tracker is the evidence of a visit.
    team_id: Mapped[Optional[int]] = mapped_column(ForeignKey("teams.id"), nullable=True)


class Visit(Base):
    """走访: who visited whom, when, whether the person was found, what came of it. The visiting
    team's tracker fix near the address, if any, is kept as evidence (as arrival is for cases)."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_person_t", "person_id", "t"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("supervised_people.id"))
    t: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    helper_id: Mapped[Optional[int]] = mapped_column(ForeignKey("person_helpers.id"), nullable=True)
    visitor: Mapped[str] = mapped_column(String(32))
    found: Mapped[bool] = mapped_column(Boolean)
    findings: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    incident_id: Mapped[Optional[int]] = mapped_column(ForeignKey("incidents.id"), nullable=True)  # a case it opened
    evidence_fix_id: Mapped[Optional[int]] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), nullable=True)
    evidence_m: Mapped[Optional[float]] = mapped_column(Double, nullable=True)
    recorded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("accounts.id"), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PersonEscalation(Base):
    """An out-of-supervision (脱管) alert that opened a case: one per person and missed due day."""

    __tablename__ = "person_escalations"
    __table_args__ = (UniqueConstraint("person_id", "due_day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("supervised_people.id"), index=True)
    due_day: Mapped[str] = mapped_column(String(10))
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"))
    t: Mapped[datetime] = mapped_column(UTCDateTime)


class Mediation(Base):
    """矛盾纠纷调解: the mediation record of a dispute case."""

    __tablename__ = "mediations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incidents.id"), unique=True)
    parties: Mapped[str] = mapped_column(Text)  # JSON list of names: personal data
    mediators: Mapped[str] = mapped_column(Text)  # JSON list of names
    opened_day: Mapped[str] = mapped_column(String(10))
    outcome: Mapped[str] = mapped_column(String(8), default="pending")  # data.domain.MEDIATION_OUTCOMES
    agreement_ref: Mapped[Optional[str]] = mapped_column(String(64), nullable=True)  # the written agreement's number
    concluded_day: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)
    follow_up_day: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # the visit 30 days on, when done
    recurred: Mapped[Optional[bool]] = mapped_column(Boolean, nullable=True)  # None: not followed up yet


class MediationSession(Base):
    __tablename__ = "mediation_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mediation_id: Mapped[int] = mapped_column(ForeignKey("mediations.id"), index=True)
    day: Mapped[str] = mapped_column(String(10))
    mediator: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")


class Sweep(Base):
    """排查: a planned sweep of a grid for disputes, and what it found."""

    __tablename__ = "sweeps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_code: Mapped[str] = mapped_column(String(32), index=True)
    planned_day: Mapped[str] = mapped_column(String(10))
    done_day: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)
    swept_by: Mapped[str] = mapped_column(String(32), default="")
    found: Mapped[int] = mapped_column(Integer, default=0)  # disputes found (each logged as a case)
    note: Mapped[str] = mapped_column(Text, default="")


class Petition(Base):
    """信访: a long-standing petition under 5+1 responsibility."""

    __tablename__ = "petitions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_no: Mapped[str] = mapped_column(String(32), unique=True)
    person_id: Mapped[Optional[int]] = mapped_column(ForeignKey("supervised_people.id"), nullable=True)
    petitioner: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(Text)
    opened_day: Mapped[str] = mapped_column(String(10))
    working_group: Mapped[str] = mapped_column(String(64))  # the "+1"
    status: Mapped[str] = mapped_column(String(8), default="open")  # open | settled
    grid_code: Mapped[Optional[str]] = mapped_column(String(32), nullable=True)


class PetitionResponsible(Base):
    __tablename__ = "petition_responsibles"
    __table_args__ = (UniqueConstraint("petition_id", "role"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))  # data.domain.PETITION_ROLES
    name: Mapped[str] = mapped_column(String(32))


class PetitionContact(Base):
    """接访/约访/下访 with the petitioner."""

    __tablename__ = "petition_contacts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    petition_id: Mapped[int] = mapped_column(ForeignKey("petitions.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # data.domain.PETITION_CONTACTS
    t: Mapped[datetime] = mapped_column(UTCDateTime)
    contact_by: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")


class ZeroReport(Base):
    """零报告: each responsible person's daily report on a petition, "nothing to report" or what happened."""

    __tablename__ = "zero_reports"
    __table_args__ = (UniqueConstraint("responsible_id", "day"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    responsible_id: Mapped[int] = mapped_column(ForeignKey("petition_responsibles.id"), index=True)
    day: Mapped[str] = mapped_column(String(10), index=True)
    nothing_to_report: Mapped[bool] = mapped_column(Boolean)
    report: Mapped[str] = mapped_column(Text, default="")
    t: Mapped[datetime] = mapped_column(UTCDateTime)


# Records of what happened, never rewritten: triggers refuse UPDATE and DELETE on both backends, and
# an office's seat role gets INSERT and SELECT only (data/store/office.grant_application_role).
# Visits and zero-reports are the ledgers' evidence, as fixes and case events are the cases'.
APPEND_ONLY_TABLES = ("fixes", "case_events", "audit_log", "visits", "zero_reports")

PATROL_TABLES = ("patrol_plans", "patrol_exceptions")  # schema 12 (data/patrol)
ROTA_TABLES = ("shifts", "shift_swaps")  # schema 13 (data/patrol/rota.py)
LEDGER_TABLES = ("supervised_people", "person_helpers", "visits", "person_escalations", "mediations",
                 "mediation_sessions", "sweeps", "petitions", "petition_responsibles", "petition_contacts",
                 "zero_reports")
