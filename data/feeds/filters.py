"""Filters that keep bad fixes out of the store, each counted by reason, and the field checks that drop
a report's impossible extras (a speed of Inf, a heading of −720, a battery of 1e300) while keeping its
position: nothing the store cannot read back, or that the map would draw as nonsense, is written.

Times are judged against the moment the report was received, as Traccar's `filter.past` and
`filter.future` do: a phone's clock may be a little ahead (a few minutes' tolerance), and a fix far in
the past is a replay, a dead clock or an attack, not a position."""

from __future__ import annotations

import bisect
import math
from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone

from data.feeds.osmand import Report

EARTH_RADIUS_M = 6_371_008.8

# Reasons, in the order they are checked. "accepted" counts what passed.
REASONS = ("nan", "out_of_range", "null_island", "invalid", "past", "future", "duplicate", "inaccurate", "impossible_jump")
# Extras dropped from a stored fix (the position kept), counted under these names.
DROPPED = ("dropped_speed", "dropped_heading", "dropped_battery", "dropped_accuracy")
# Whatever the settings say, a fix before this is never stored (the store's dates start here).
EARLIEST = datetime(2000, 1, 1, tzinfo=timezone.utc)


@dataclass
class FilterSettings:
    max_accuracy_m: float = 100.0  # worse than this (a larger radius) is refused
    max_speed_mps: float = 50.0  # 180 km/h: faster than any team moves in town
    max_past: timedelta = timedelta(days=7)  # older than this before its receipt: refused ("past")
    max_future: timedelta = timedelta(minutes=5)  # a phone clock ahead by more than this: refused ("future")
    max_reported_speed_mps: float = 100.0  # a reported speed above this (360 km/h), or below 0, is dropped
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
        if r.t < EARLIEST or now - r.t > s.max_past:
            return "past"
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

    def clean(self, r: Report) -> tuple[Report, list[str]]:
        """The report with its impossible extras dropped (speed, heading, battery, accuracy outside
        what a device can measure), and what was dropped. The position and time stay."""
        s = self.settings
        changes, dropped = {}, []
        checks = (("speed_mps", "dropped_speed", lambda v: 0.0 <= v <= s.max_reported_speed_mps),
                  ("heading_deg", "dropped_heading", lambda v: 0.0 <= v <= 360.0),
                  ("battery_pct", "dropped_battery", lambda v: 0.0 <= v <= 100.0),
                  ("accuracy_m", "dropped_accuracy", lambda v: v >= 0.0))
        for name, counter, ok in checks:
            v = getattr(r, name)
            if v is not None and not (math.isfinite(v) and ok(v)):
                changes[name] = None
                dropped.append(counter)
        return (replace(r, **changes) if changes else r), dropped

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
