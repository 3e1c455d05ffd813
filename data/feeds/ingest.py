"""Turning reports into stored fixes: device binding, filters, and one writer thread that commits
in batches (group commit) and only then lets the listener acknowledge.

A report's fate is decided on the writer thread, in arrival order, so filters see one consistent
sequence, and a batch is one transaction of at most `max_batch` fixes, started as soon as the
previous one is committed (so well within 100 ms under any load the store can take).
"""

from __future__ import annotations

import logging
import hmac
import queue
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite

from data.feeds.devices import key_digest
from data.store import models as m
from data.feeds.filters import FilterSettings, FixFilter
from data.feeds.osmand import Report
from data.store import office
from data.store.core import Store, queue_for_write

log = logging.getLogger(__name__)

UNKNOWN_KEPT = 1000  # ids bound to no team kept for an administrator to bind (the newest by last report)


@dataclass
class Outcome:
    """What happened to one report: stored, refused by a filter, or from an unknown device."""

    status: int  # HTTP status to answer
    reason: str  # "stored", or the refusal reason (a counter key)
    detail: str = ""  # words for the tracker's operator, sent in the response body

    @property
    def text(self) -> str:
        return self.detail or self.reason


STORED = Outcome(200, "stored")


@dataclass
class _Pending:
    report: Report
    received_at: datetime
    done: Callable[[Outcome], None]
    key: str | None = None


@dataclass
class IngestStats:
    counts: Counter = field(default_factory=Counter)
    unknown: dict[str, tuple[datetime, int]] = field(default_factory=dict)  # device -> (last seen, reports)


class FixIngest:
    """Owns the device map, the filters and the writer thread for one store."""

    def __init__(self, store: Store, settings: FilterSettings | None = None, *, max_batch: int = 1000,
                 on_stored: Callable[[list[dict]], None] | None = None, require_key: bool = False):
        self.store = store
        # Traccar's rule by default: the device id identifies. With require_key, a report must also
        # carry the device's key (data/feeds/devices.issue_device_key), else it is refused with 401.
        self.require_key = require_key
        self._keys: dict[str, str | None] = {}
        self.filter = FixFilter(settings)
        self.max_batch = max_batch
        self.on_stored = on_stored
        self._queue: queue.SimpleQueue[_Pending | None] = queue.SimpleQueue()
        self._devices: dict[str, int] = {}
        self._devices_loaded_at = 0.0
        self.stats = IngestStats()
        self._stop = False  # the writer saw close()'s end-of-queue mark
        self._thread = threading.Thread(target=self._run, name="fix-writer", daemon=True)
        self._thread.start()

    # --- called from the listener (any thread) ------------------------------------------------
    def submit(self, report: Report, done: Callable[[Outcome], None], key: str | None = None) -> None:
        """Queue a report (with the key it came with, if any); `done(outcome)` is called on the writer
        thread once it is decided (and, when stored, committed)."""
        self._queue.put(_Pending(report, datetime.now(timezone.utc), done, key))

    def knows(self, device_id: str) -> bool:
        """Whether the id is bound to a team, by the bindings last read (any thread may ask)."""
        return device_id in self._devices

    def close(self, timeout: float = 5.0) -> None:
        """Write what is queued, then stop the writer."""
        self._queue.put(None)
        self._thread.join(timeout)

    # --- writer thread --------------------------------------------------------------------------
    def _device_team(self, device_id: str) -> int | None:
        # Bindings change rarely (an administrator binds handsets): reread them every few seconds.
        if time.monotonic() - self._devices_loaded_at > 3.0 or (device_id not in self._devices and
                                                                 time.monotonic() - self._devices_loaded_at > 0.5):
            try:
                with self.store.session() as s:
                    rows = s.execute(select(m.TrackerDevice.device_id, m.TrackerDevice.team_id, m.TrackerDevice.key_sha256)).all()
            except Exception:
                # The store cannot be read (the office's server is down): never call a bound device
                # "unknown" for that. With no bindings read yet the batch is answered 503 (phones resend).
                if not self._devices_loaded_at:
                    raise
                self._devices_loaded_at = time.monotonic() - 2.0  # try again within a second
                log.warning("reading device bindings failed; using the ones read before", exc_info=True)
                return self._devices.get(device_id)
            self._devices = {d: t for d, t, _k in rows}
            self._keys = {d: k for d, _t, k in rows}
            self._devices_loaded_at = time.monotonic()
        return self._devices.get(device_id)

    def _key_ok(self, device_id: str, key: str | None) -> bool:
        expected = self._keys.get(device_id)
        if expected is None or not key:
            return False
        return hmac.compare_digest(expected, key_digest(key))

    def _run(self) -> None:
        while not self._stop:
            item = self._queue.get()
            if item is None:
                return
            batch = [item]
            # Group commit: everything that queued up while the last batch was being written goes
            # into this one transaction (at most max_batch), so one fsync serves many reports and a
            # report never waits for a timer; and what comes while this batch waits for its turn to
            # write joins it (_decide_and_store).
            self._drain_into(batch)
            self._write(batch)

    def _drain_into(self, batch: list[_Pending]) -> int:
        """Move what is queued into the batch (up to max_batch); returns how many were added."""
        added = 0
        while len(batch) < self.max_batch and not self._stop:
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                break
            if item is None:
                self._stop = True
                break
            batch.append(item)
            added += 1
        return added

    def _write(self, batch: list[_Pending]) -> None:
        self._accepted: list[Report] = []
        try:
            self._decide_and_store(batch)
        except Exception as exc:  # nothing was stored: every report in the batch is told to come again
            log.exception("a batch of %d reports could not be handled: answered 503 so trackers resend", len(batch))
            for r in self._accepted:
                self.filter.forget(r)  # so that the retry is not taken for a duplicate
            for p in batch:
                p.done(Outcome(503, f"store error: {type(exc).__name__}"))

    def _decide(self, pending: list[_Pending], now: datetime, rows: list, answers: list, stored: list,
                dropped_counts: Counter, unknown_now: dict[str, int]) -> None:
        for p in pending:
            r = p.report
            team_id = self._device_team(r.device_id)
            if team_id is None:
                unknown_now[r.device_id] = unknown_now.get(r.device_id, 0) + 1
                self.stats.counts["unknown_device"] += 1
                answers.append((p, Outcome(400, "unknown_device", f"device {r.device_id} is not bound to a team; "
                                                                  "an administrator can bind it (gridwatch devices bind)")))
                continue
            if self.require_key and not self._key_ok(r.device_id, p.key):
                self.stats.counts["bad_key"] += 1
                answers.append((p, Outcome(401, "bad_key", f"device {r.device_id}: missing or wrong key")))
                continue
            reason = self.filter.check(r, now)
            if reason is not None:
                self.stats.counts[reason] += 1
                answers.append((p, Outcome(200, reason)))  # answered, not stored: the tracker must not resend it
                continue
            self.stats.counts["accepted"] += 1
            self._accepted.append(r)
            r, dropped = self.filter.clean(r)  # impossible extras dropped, the position kept
            for name in dropped:
                self.stats.counts[name] += 1
                dropped_counts[name] += 1
            row = dict(device_id=r.device_id, team_id=team_id, t=r.t, lon=r.lon, lat=r.lat, speed_mps=r.speed_mps,
                       heading_deg=r.heading_deg, accuracy_m=r.accuracy_m, battery_pct=r.battery_pct, received_at=p.received_at)
            rows.append(row)
            answers.append((p, STORED))
            stored.append(row)

    def _decide_and_store(self, batch: list[_Pending]) -> None:
        now = datetime.now(timezone.utc)
        rows, stored, answers = [], [], []
        dropped_counts: Counter = Counter()
        unknown_now: dict[str, int] = {}
        self._decide(batch, now, rows, answers, stored, dropped_counts, unknown_now)
        try:
            with self.store.engine.begin() as conn:
                queue_for_write(conn, batch=True)  # the embedded store's writers take turns: case writers cannot starve the feed
                # Reports that arrived while this batch waited for its turn join it: the wait fills the
                # batch instead of leaving them for the next turn (the feed keeps its share of the store).
                first_new = len(batch)
                if self._drain_into(batch):
                    self._decide(batch[first_new:], now, rows, answers, stored, dropped_counts, unknown_now)
                # Insert-or-ignore on (device, time): a fix another feed stored, or this one before a
                # restart, is stored once and acknowledged (it is stored), so the phone stops resending it.
                if rows and conn.dialect.name == "postgresql":
                    office.copy_fixes(conn, rows, skip_stored=True)  # COPY, acknowledged after the commit below
                elif rows:
                    conn.execute(sqlite.insert(m.Fix).on_conflict_do_nothing(index_elements=["device_id", "t"]), rows)
                self._save_unknown(conn, unknown_now, now)
                self._save_counters(conn, batch_counts(answers) + dropped_counts, now)
        except Exception as exc:  # the disk is full, the file was removed...: nobody is told "stored"
            log.exception("storing a batch of %d fixes failed: answered 503 so trackers resend", len(rows))
            answered = {id(p) for p, _ in answers}
            for p, outcome in answers:
                if outcome is STORED:
                    self.filter.forget(p.report)  # so that the tracker's retry is not a "duplicate"
                p.done(Outcome(503, f"store error: {type(exc).__name__}") if outcome is STORED else outcome)
            for p in batch:  # taken from the queue but not decided yet when it failed
                if id(p) not in answered:
                    p.done(Outcome(503, f"store error: {type(exc).__name__}"))
            return
        for dev, n in unknown_now.items():
            _, total = self.stats.unknown.pop(dev, (now, 0))
            self.stats.unknown[dev] = (now, total + n)  # re-inserted: the dict stays in order of last seen
        while len(self.stats.unknown) > UNKNOWN_KEPT:
            del self.stats.unknown[next(iter(self.stats.unknown))]
        for p, outcome in answers:
            p.done(outcome)
        if stored and self.on_stored is not None:
            try:
                self.on_stored(stored)
            except Exception:  # a hook's failure must not stop ingest; the fixes are committed
                log.exception("the after-store hook failed on %d fixes (they are stored)", len(stored))

    def _save_unknown(self, conn, unknown_now: dict[str, int], now: datetime) -> None:
        # Rows are locked in one order (sorted) by every feed: two feeds on one office never deadlock.
        # An upsert, not read-then-write: two feeds seeing a new id at once both count, neither fails.
        if not unknown_now:
            return
        table = m.UnknownDevice.__table__
        for dev, n in sorted(unknown_now.items()):
            stmt = _upsert(conn)(table).values(device_id=dev, first_seen=now, last_seen=now, reports=n)
            conn.execute(stmt.on_conflict_do_update(index_elements=["device_id"], set_=dict(
                last_seen=now, reports=table.c.reports + stmt.excluded.reports)))
        # Bounded: the newest UNKNOWN_KEPT ids stay for an administrator to bind; made-up ids by the
        # thousand push out only older made-up ids, never a row of any other table.
        keep = select(table.c.id).order_by(table.c.last_seen.desc(), table.c.id.desc()).limit(UNKNOWN_KEPT)
        conn.execute(delete(table).where(table.c.id.not_in(keep.scalar_subquery())))

    def _save_counters(self, conn, counts: Counter, now: datetime) -> None:
        table = m.FeedCounter.__table__
        for reason, n in sorted(counts.items()):  # one lock order for every feed (no deadlocks between feeds)
            stmt = _upsert(conn)(table).values(reason=reason, count=n, updated_at=now)
            conn.execute(stmt.on_conflict_do_update(index_elements=["reason"], set_=dict(
                count=table.c.count + stmt.excluded.count, updated_at=now)))


def _upsert(conn):
    """INSERT … ON CONFLICT of the connection's dialect (SQLite and PostgreSQL both have it)."""
    return postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert


def batch_counts(answers) -> Counter:
    c: Counter = Counter()
    for _, outcome in answers:
        c["accepted" if outcome is STORED else outcome.reason] += 1
    return c
