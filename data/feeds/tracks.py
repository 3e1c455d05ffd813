"""Reading the append-only fixes for live display: new fixes after a watermark, and recent trails.

The console polls with these (every 100 ms) whatever process wrote the fixes: its own listener,
a headless `gridwatch feed`, or another console's.
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


def fixes_since(store: Store, since: datetime, until: datetime | None = None) -> FixBatch:
    """Fixes with a time in [since, until], ordered by team and time (trails at start-up)."""
    q = select(*_COLS).where(m.Fix.t >= since)
    if until is not None:
        q = q.where(m.Fix.t <= until)
    with store.session() as s:
        rows = s.execute(q.order_by(m.Fix.team_id, m.Fix.t)).all()
    return _batch(store, rows)
