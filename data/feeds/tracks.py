"""Reading the append-only fixes for live display: new fixes after a watermark, and recent trails.

The console reads with these whatever process wrote the fixes: its own listener, a headless
`gridwatch feed`, or another seat's. On a GeoPackage it polls every 100 ms; in an office it reads
when PostgreSQL says fixes were committed (data/store/changes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import func, select

from data.store import models as m
from data.store.core import Store


@dataclass
class FixBatch:
    """Fixes as parallel arrays, positions already in map metres."""

    id: np.ndarray
    team_id: np.ndarray
    t: list[datetime]
    x: np.ndarray
    y: np.ndarray
    speed_mps: list
    heading_deg: list
    accuracy_m: list
    battery_pct: list

    def __len__(self) -> int:
        return len(self.id)


_COLS = (m.Fix.id, m.Fix.team_id, m.Fix.t, m.Fix.lon, m.Fix.lat, m.Fix.speed_mps, m.Fix.heading_deg,
         m.Fix.accuracy_m, m.Fix.battery_pct)


def _batch(store: Store, rows) -> FixBatch:
    if not rows:
        e = np.array([], dtype=float)
        return FixBatch(np.array([], dtype=int), np.array([], dtype=int), [], e, e, [], [], [], [])
    lon = np.array([r[3] for r in rows], dtype=float)
    lat = np.array([r[4] for r in rows], dtype=float)
    x, y = store.projection.lonlat_to_xy(lon, lat)
    return FixBatch(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]), [r[2] for r in rows],
                    np.atleast_1d(x), np.atleast_1d(y), [r[5] for r in rows], [r[6] for r in rows],
                    [r[7] for r in rows], [r[8] for r in rows])


def last_fix_id(store: Store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.max(m.Fix.id))) or 0)


def fixes_after(store: Store, after_id: int, limit: int = 20000) -> FixBatch:
    """Fixes stored after `after_id`, in storage order (late fixes included: callers sort by time)."""
    with store.session() as s:
        rows = s.execute(select(*_COLS).where(m.Fix.id > after_id).order_by(m.Fix.id).limit(limit)).all()
    return _batch(store, rows)


class FixFollower:
    """New fixes as they are committed, each exactly once, whatever order their transactions commit in.

    On SQLite one writer at a time takes ids in commit order, so "id above the last one seen" is
    exact. On PostgreSQL ids come from a sequence when a row is written, and two feeds' transactions
    can commit out of order: a batch with lower ids may become visible after one with higher ids. So
    the follower looks again at a margin of ids below its watermark (ids only, off the key index) and
    fetches the ones it has not seen. The margin covers every transaction still open at a read: a
    feed's batch is at most 1,000 fixes, and a few feeds and a simulator write at once.
    """

    MARGIN = 20_000

    def __init__(self, store: Store, after_id: int):
        self.store, self.after_id = store, after_id
        self._seen: set[int] | None = None  # read on the first call, on the caller's (poller's) thread
        self._office = store.engine.dialect.name == "postgresql"

    def new(self, limit: int = 20000) -> FixBatch:
        if not self._office:
            batch = fixes_after(self.store, self.after_id, limit)
            if len(batch):
                self.after_id = int(batch.id.max())
            return batch
        low = max(self.after_id - self.MARGIN, 0)
        with self.store.session() as s:
            if self._seen is None:  # what is at or below the watermark was read already (the start-up trails)
                self._seen = set(s.scalars(select(m.Fix.id).where(m.Fix.id > low, m.Fix.id <= self.after_id)))
            ids = [i for (i,) in s.execute(select(m.Fix.id).where(m.Fix.id > low)).all() if i not in self._seen]
            if not ids:
                return _batch(self.store, [])
            ids = sorted(ids)[:limit]
            rows = s.execute(select(*_COLS).where(m.Fix.id.in_(ids)).order_by(m.Fix.id)).all()
        self._seen.update(r[0] for r in rows)
        self.after_id = max(self.after_id, max(r[0] for r in rows))
        floor = self.after_id - self.MARGIN
        self._seen = {i for i in self._seen if i > floor}
        return _batch(self.store, rows)


def fixes_since(store: Store, since: datetime, until: datetime | None = None) -> FixBatch:
    """Fixes with a time in [since, until], ordered by team and time (trails at start-up)."""
    q = select(*_COLS).where(m.Fix.t >= since)
    if until is not None:
        q = q.where(m.Fix.t <= until)
    with store.session() as s:
        rows = s.execute(q.order_by(m.Fix.team_id, m.Fix.t)).all()
    return _batch(store, rows)
