"""The audit trail: every change appended to `audit_log` and chained with SHA-256.

Each row carries the hash of the row before it and a hash of its own content together with that,
so editing a row changes its hash, deleting or inserting one breaks the link of the next, and the
table's append-only triggers stop the application (and anyone using SQL who does not first drop
them) from rewriting it. What a chain cannot show on its own is rows cut off its end: the chain
head (the newest row's number and hash) is kept elsewhere by the office — `gridwatch audit head`
prints it, `gridwatch audit verify --head` checks the chain still reaches it.

What it does not guarantee: someone with the file and this code can rebuild a whole chain after
rewriting history. Against that the head must live outside the store (printed daily, sent to a
second store or a mail box), and on PostgreSQL the application's role has INSERT and SELECT only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from data.store import models as m
from data.store.core import APPEND_ONLY_TABLES, Store

GENESIS = "0" * 64


def _canonical(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str, separators=(",", ":"))


def _iso(t: datetime) -> str:
    """A time as hashed: UTC to the millisecond, the precision the store keeps (GeoPackage DATETIME)."""
    if t.tzinfo is None:
        t = t.replace(tzinfo=timezone.utc)
    t = t.astimezone(timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def row_hash(row_id: int, t: datetime, account_id: int | None, username: str, action: str, object_type: str,
             object_id: str | None, before: str | None, after: str | None, prev_hash: str) -> str:
    """The hash that seals one row: its content (every column but its own hash) and the previous hash."""
    payload = json.dumps([row_id, _iso(t), account_id, username, action, object_type, object_id, before, after, prev_hash],
                         ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, *, account_id: int | None, username: str, action: str, object_type: str,
           object_id: Any = None, before: Any = None, after: Any = None, at: datetime | None = None) -> m.AuditEntry:
    """Append one entry in the caller's transaction (which must hold the store's write lock, so two
    writers cannot both chain onto the same last row). Committed with the change it records."""
    at = at or datetime.now(timezone.utc)
    at = at.replace(microsecond=at.microsecond // 1000 * 1000)  # stored to the millisecond: hashed as stored
    last = session.execute(select(m.AuditEntry.id, m.AuditEntry.hash).order_by(m.AuditEntry.id.desc()).limit(1)).first()
    row_id = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS
    b, a = _canonical(before), _canonical(after)
    oid = None if object_id is None else str(object_id)
    values = dict(id=row_id, t=at, account_id=account_id, username=username, action=action, object_type=object_type,
                  object_id=oid, before=b, after=a, prev_hash=prev,
                  hash=row_hash(row_id, at, account_id, username, action, object_type, oid, b, a, prev))
    # A plain INSERT, not the ORM's unit of work: this runs under the store's write lock on every change,
    # and the lock's time is everybody's (the tracker feed waits for it too).
    session.execute(insert(m.AuditEntry), [values])
    return m.AuditEntry(**values)


@dataclass(frozen=True)
class ChainReport:
    """What `verify` found: rows checked, the head reached, and the first problem (None: intact)."""

    rows: int
    head_id: int | None
    head_hash: str
    broken_at: int | None = None  # the first row whose hash or link is wrong
    problem: str | None = None  # a code: audit.row_altered | audit.link_broken | audit.head_missing | audit.triggers_missing

    @property
    def ok(self) -> bool:
        return self.problem is None


def head(store: Store) -> tuple[int | None, str]:
    """(row number, hash) of the newest entry: what an office keeps outside the store."""
    with store.session() as s:
        last = s.execute(select(m.AuditEntry.id, m.AuditEntry.hash).order_by(m.AuditEntry.id.desc()).limit(1)).first()
    return (last[0], last[1]) if last else (None, GENESIS)


def verify(store: Store, expected_head: str | None = None) -> ChainReport:
    """Recompute the chain from the first row; report the first row that does not hold, a head the
    chain no longer reaches (rows cut off its end), or append-only triggers that were dropped."""
    prev, n, last_id = GENESIS, 0, None
    seen_hashes: set[str] = set()
    A = m.AuditEntry
    with store.engine.connect() as conn:
        rows = conn.execute(select(A.id, A.t, A.account_id, A.username, A.action, A.object_type, A.object_id, A.before,
                                   A.after, A.prev_hash, A.hash).order_by(A.id))
        # By position: a Row's .t is SQLAlchemy's tuple accessor, not the column named t.
        for rid, t, account_id, username, action, object_type, object_id, before, after, prev_hash, h in rows:
            if prev_hash != prev:
                return ChainReport(n, last_id, prev, rid, "audit.link_broken")
            if row_hash(rid, t, account_id, username, action, object_type, object_id, before, after, prev_hash) != h:
                return ChainReport(n, last_id, prev, rid, "audit.row_altered")
            prev, last_id, n = h, rid, n + 1
            seen_hashes.add(h)
        if conn.dialect.name == "sqlite":
            triggers = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='trigger'")}
            missing = [f"{t}_append_only_{op}" for t in APPEND_ONLY_TABLES for op in ("update", "delete")
                       if f"{t}_append_only_{op}" not in triggers]
            if missing:
                return ChainReport(n, last_id, prev, None, "audit.triggers_missing")
    if expected_head is not None and expected_head != GENESIS and expected_head not in seen_hashes:
        return ChainReport(n, last_id, prev, None, "audit.head_missing")
    return ChainReport(n, last_id, prev)


def entries(store: Store, case_no: str | None = None) -> list[m.AuditEntry] | None:
    """The whole trail, or one case's by its number (None when there is no such case), oldest first."""
    if case_no is None:
        with store.session() as s:
            rows = s.scalars(select(m.AuditEntry).order_by(m.AuditEntry.id)).all()
            for r in rows:
                s.expunge(r)
            return list(rows)
    with store.session() as s:
        iid = s.scalar(select(m.Incident.id).where(m.Incident.case_no == case_no))
    return None if iid is None else entries_for(store, "case", iid)


def entries_for(store: Store, object_type: str, object_id: Any) -> list[m.AuditEntry]:
    """The audit of one object (a case, an account …), oldest first."""
    with store.session() as s:
        rows = s.scalars(select(m.AuditEntry).where(m.AuditEntry.object_type == object_type,
                                                    m.AuditEntry.object_id == str(object_id)).order_by(m.AuditEntry.id)).all()
        for r in rows:
            s.expunge(r)
        return list(rows)
