"""Schema migrations of a store (Alembic, both backends): what a store needs, and doing it.

Revisions live in data/store/migrations/versions. Stores from before Alembic carry only
gridwatch_meta.schema_version: 7 is revision 0007, older ones are first brought to 7 by the
hand-written upgrade they always had (core.legacy_upgrade). New stores are created whole from the
models and stamped at head (Alembic's "building from scratch"). Downgrades are refused: a store is
only ever moved forward, and a backup is the way back.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

log = logging.getLogger(__name__)
BASELINE = "0007"  # the schema of the last release before Alembic
LEGACY = "legacy"  # schema_version < 7: needs the hand-written upgrade first


def _config(conn: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


@functools.lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    """The revisions shipped with this GridWatch (read once: every open of a store checks against them)."""
    return ScriptDirectory.from_config(_config())


def head() -> str:
    return _scripts().get_current_head()


def current_revision(conn: Connection) -> str | None:
    """The store's revision: from alembic_version, or from schema_version for stores made before it."""
    rev = MigrationContext.configure(conn).get_current_revision()
    if rev is not None:
        return rev
    if "gridwatch_meta" not in inspect(conn).get_table_names():
        return None
    row = conn.exec_driver_sql("SELECT value FROM gridwatch_meta WHERE key = 'schema_version'").first()
    version = int(row[0]) if row and str(row[0]).isdigit() else 0
    return BASELINE if version == 7 else LEGACY if version < 7 else f"schema {version}"


@dataclass
class MigrationPlan:
    current: str | None
    head: str
    steps: list[tuple[str, str]]  # (revision, what it does: the first line of its docstring)
    unknown: bool = False  # the store is at a revision this GridWatch does not know (a newer one)

    @property
    def needed(self) -> bool:
        return bool(self.steps)


def plan(conn: Connection) -> MigrationPlan:
    scripts = _scripts()
    current, target = current_revision(conn), scripts.get_current_head()
    known = {s.revision for s in scripts.walk_revisions()}
    if current == LEGACY:
        steps = [(LEGACY, "Bring a store older than schema 7 up to schema 7 (the upgrade before Alembic)")]
        start = None
    elif current not in known:
        return MigrationPlan(current, target, [], unknown=True)
    else:
        steps, start = [], current
    revs = list(scripts.iterate_revisions(target, start))  # newest first
    for s in reversed(revs):
        if s.revision == BASELINE and current == LEGACY:
            continue
        steps.append((s.revision, (s.doc or "").strip().splitlines()[0] if s.doc else ""))
    return MigrationPlan(current, target, steps)


def upgrade(conn: Connection) -> MigrationPlan:
    """Run the plan on `conn` inside its transaction (the caller commits): all or nothing."""
    from data.store.core import finish_geopackage, legacy_upgrade
    p = plan(conn)
    if p.unknown:
        raise ValueError(f"revision {p.current} is not known to this GridWatch")
    cfg = _config(conn)
    if p.current == LEGACY:
        legacy_upgrade(conn)
    if p.current in (LEGACY, BASELINE) and MigrationContext.configure(conn).get_current_revision() is None:
        command.stamp(cfg, BASELINE)
    command.upgrade(cfg, "head")
    if conn.dialect.name == "sqlite":
        finish_geopackage(conn)
    return p


def stamp_head(conn: Connection) -> None:
    command.stamp(_config(conn), "head")
