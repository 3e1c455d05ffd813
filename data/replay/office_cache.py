"""Replay's fixes from an office database, through a local cache by hour.

Reading a day of fixes (7.5 million for 868 people at one per 10 s) out of PostgreSQL takes about ten
seconds whatever the query: the server formats every row (~4 s) and the client library hands them
over one row at a time. The embedded store keeps a columnar copy beside the file (FixCache); an
office keeps one per hour in the user's cache folder (keyed by the database URL, never its password),
made the first time an hour is replayed:

- each closed hour is a set of .npy columns (id, team, epoch time, x, y in map metres) sorted by team
  and time, with the hour's row count and largest id;
- an open is checked against the server with one grouped count per hour of the window (an index-only
  pass); an hour whose count and largest id still match is read from disk (memory-mapped), one that
  gained fixes (late reports, a second feed) gets only the rows above its largest id minus a margin
  (ids are not commit order across transactions), and anything else is read again whole;
- the current hour is never written (it is still filling);
- hours are concatenated in time order, so a stable sort on team alone gives (team, time) order.

A cache, not a copy of the truth: delete the folder and it is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
from sqlalchemy import text

from data.cachedir import user_cache_dir
from data.store.core import Store
from data.store.office import naive_utc

log = logging.getLogger(__name__)
MARGIN = 20_000
NAMES = ("id", "team", "ts", "x", "y")
PG_EPOCH_US = 946_684_800_000_000  # 2000-01-01 in Unix microseconds: binary COPY's timestamp origin
# COPY … (FORMAT binary) of (id int8, team_id int4, t timestamp, lon float8, lat float8): never NULL,
# so every row has this fixed layout (field count, then each field's length and big-endian value).
_ROW = np.dtype([("n", ">i2"), ("l0", ">i4"), ("id", ">i8"), ("l1", ">i4"), ("team", ">i4"), ("l2", ">i4"), ("t", ">i8"),
                 ("l3", ">i4"), ("lon", ">f8"), ("l4", ">i4"), ("lat", ">f8")])




class OfficeFixCache:
    def __init__(self, store: Store):
        self.store = store
        identity = store.identity + "|" + store.meta.get("created_at", "")  # a database made again is another store
        self.dir = user_cache_dir() / "replay" / hashlib.sha256(identity.encode()).hexdigest()[:20]

    def window(self, lo: datetime, hi: datetime) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(team, epoch seconds, x, y) of the fixes with lo <= t <= hi, sorted by team and time."""
        first = lo.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        last = hi.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        open_hour = datetime.now(timezone.utc).replace(minute=0, second=0, microsecond=0)
        parts = []
        with self.store.engine.connect() as conn:
            stats = {h.replace(tzinfo=timezone.utc): (int(n), int(mx)) for h, n, mx in conn.execute(text(
                "SELECT date_trunc('hour', t), count(*), max(id) FROM fixes WHERE t >= :a AND t < :b GROUP BY 1"),
                dict(a=first.replace(tzinfo=None), b=(last + timedelta(hours=1)).replace(tzinfo=None)))}
            hour = first
            while hour <= last:
                count, max_id = stats.get(hour, (0, 0))
                if count:
                    parts.append(self._hour(conn, hour, count, max_id, keep=hour < open_hour))
                hour += timedelta(hours=1)
        if not parts:
            z = np.zeros(0)
            return np.zeros(0, np.int64), z, z, z
        team = np.concatenate([p[1] for p in parts]).astype(np.int64)
        ts, x, y = (np.concatenate([p[k] for p in parts]) for k in (2, 3, 4))
        keep = (ts >= lo.timestamp()) & (ts <= hi.timestamp())
        team, ts, x, y = team[keep], ts[keep], x[keep], y[keep]
        order = np.argsort(team, kind="stable")  # hours are in time order and each is (team, time) sorted
        return team[order], ts[order], x[order], y[order]

    # --- one hour -------------------------------------------------------------------------------------
    def _hour(self, conn, hour: datetime, count: int, max_id: int, keep: bool):
        d = self.dir / hour.strftime("%Y%m%d%H")
        meta = _read_meta(d)
        if meta is not None and meta["count"] == count and meta["max_id"] == max_id:
            return [np.load(d / f"{k}.npy", mmap_mode="r") for k in NAMES]
        cols = None
        if meta is not None and count > meta["count"]:
            old = [np.load(d / f"{k}.npy") for k in NAMES]
            new = self._read(conn, hour, after_id=meta["max_id"] - MARGIN)
            fresh = ~np.isin(new[0], old[0])
            if len(old[0]) + int(fresh.sum()) == count:
                cols = self._sorted([np.concatenate([o, n[fresh]]) for o, n in zip(old, new)])
        if cols is None:
            cols = self._sorted(self._read(conn, hour))
        if keep:
            self._write(d, cols, count, int(cols[0].max()) if len(cols[0]) else 0)
        return cols

    def _read(self, conn, hour: datetime, after_id: int | None = None) -> list[np.ndarray]:
        where = f"t >= '{naive_utc(hour).isoformat()}' AND t < '{naive_utc(hour + timedelta(hours=1)).isoformat()}'"
        if after_id is not None:
            where += f" AND id > {int(after_id)}"
        buf = bytearray()
        raw = conn.connection.driver_connection
        with raw.cursor() as cur, cur.copy(f"COPY (SELECT id, team_id::int4, t, lon::float8, lat::float8 FROM fixes "
                                           f"WHERE {where}) TO STDOUT (FORMAT binary)") as cp:
            for block in cp:
                buf += block
        rows = np.frombuffer(memoryview(buf)[19:len(buf) - 2], dtype=_ROW)  # past the header, before the trailer
        ts = (rows["t"].astype(np.int64) + PG_EPOCH_US) / 1e6
        x, y = self.store.projection.lonlat_to_xy(rows["lon"].astype(float), rows["lat"].astype(float))
        return [rows["id"].astype(np.int64), rows["team"].astype(np.int32), np.round(ts, 3),
                np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(y, float))]

    @staticmethod
    def _sorted(cols: list[np.ndarray]) -> list[np.ndarray]:
        order = np.lexsort((cols[0], cols[2], cols[1]))  # team, then time, then id
        return [c[order] for c in cols]

    def _write(self, d: Path, cols, count: int, max_id: int) -> None:
        tmp = d.with_name(d.name + f".{os.getpid()}.part")
        try:
            shutil.rmtree(tmp, ignore_errors=True)
            tmp.mkdir(parents=True)
            for k, c in zip(NAMES, cols):
                np.save(tmp / f"{k}.npy", np.ascontiguousarray(c))
            (tmp / "meta.json").write_text(json.dumps({"count": count, "max_id": max_id}))
            shutil.rmtree(d, ignore_errors=True)
            tmp.replace(d)
        except OSError:
            log.warning("could not keep replay's cache of %s in %s", d.name, d.parent, exc_info=True)
            shutil.rmtree(tmp, ignore_errors=True)


def _read_meta(d: Path) -> dict | None:
    try:
        meta = json.loads((d / "meta.json").read_text())
        if all((d / f"{k}.npy").exists() for k in NAMES):
            return meta
    except (OSError, ValueError):
        pass
    return None
