"""Filters that keep bad fixes out of the store, each counted by reason."""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

from data.feeds.osmand import Report

EARTH_RADIUS_M = 6_371_008.8

# Reasons, in the order they are checked. "accepted" counts what passed.
REASONS = ("nan", "out_of_range", "null_island", "invalid", "future", "duplicate", "inaccurate", "impossible_jump")


@dataclass
class FilterSettings:
    max_accuracy_m: float = 100.0  # worse than this (a larger radius) is refused
    max_speed_mps: float = 50.0  # 180 km/h: faster than any team moves in town
    max_future: timedelta = timedelta(hours=24)
    duplicate_memory: int = 200_000  # (device, time) pairs remembered for duplicate checks


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


class FixFilter:
    """Decides, report by report, whether a fix is stored; not thread-safe (one ingest thread owns it).

    Jumps are judged against the device's nearest accepted fixes in time on either side, so a late,
    out-of-order fix is checked against its true neighbours rather than against the newest one.
    """

    def __init__(self, settings: FilterSettings | None = None):
        self.settings = settings or FilterSettings()
        self._seen: OrderedDict[tuple[str, datetime], None] = OrderedDict()
        self._track: dict[str, list[tuple[datetime, float, float]]] = {}  # recent accepted fixes per device

    def check(self, r: Report, now: datetime) -> str | None:
        """None when the fix may be stored, else the reason it is refused."""
        reason = self._reason(r, now)
        if reason is None:
            self._remember(r)
        return reason

    def _reason(self, r: Report, now: datetime) -> str | None:
        s = self.settings
        if not (math.isfinite(r.lat) and math.isfinite(r.lon)):
            return "nan"
        if not (-90.0 <= r.lat <= 90.0 and -180.0 <= r.lon <= 180.0):
            return "out_of_range"
        if r.lat == 0.0 and r.lon == 0.0:
            return "null_island"
        if not r.valid:
            return "invalid"
        if r.t - now > s.max_future:
            return "future"
        if (r.device_id, r.t) in self._seen:
            return "duplicate"
        if r.accuracy_m is not None and (not math.isfinite(r.accuracy_m) or r.accuracy_m > s.max_accuracy_m):
            return "inaccurate"
        for t, lat, lon in self._neighbours(r):
            dt = abs((r.t - t).total_seconds())
            d = haversine_m(lat, lon, r.lat, r.lon)
            if d > s.max_speed_mps * max(dt, 1.0):
                return "impossible_jump"
        return None

    def _neighbours(self, r: Report) -> list[tuple[datetime, float, float]]:
        """The newest accepted fix at or before r.t and the oldest after it (tracks are kept in time order)."""
        track = self._track.get(r.device_id)
        if not track:
            return []
        i = bisect.bisect_right(track, (r.t, math.inf, math.inf))
        return track[max(i - 1, 0):i + 1]

    def forget(self, r: Report) -> None:
        """Undo _remember for a fix whose write failed, so a retry of it is judged afresh."""
        self._seen.pop((r.device_id, r.t), None)
        track = self._track.get(r.device_id)
        if track and (r.t, r.lat, r.lon) in track:
            track.remove((r.t, r.lat, r.lon))

    def _remember(self, r: Report) -> None:
        self._seen[(r.device_id, r.t)] = None
        if len(self._seen) > self.settings.duplicate_memory:
            self._seen.popitem(last=False)
        track = self._track.setdefault(r.device_id, [])
        bisect.insort(track, (r.t, r.lat, r.lon))
        if len(track) > 16:  # the newest few are enough to judge jumps
            del track[0]
