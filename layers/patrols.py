"""Patrol teams: a symbol by kind, a colour by status, placed at their latest fix, with trails."""

from __future__ import annotations

import bisect
from collections import deque
from datetime import datetime, timedelta

import numpy as np
import shapely

from data.domain import TEAM_KINDS, TEAM_STATUS, TRANSPORT
from data.snapshot import OFFLINE_AFTER, STALE_AFTER, FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class TeamLayer(MapLayer):
    name = "teams"
    title = QT_TRANSLATE_NOOP("layers", "Patrol teams")
    static = False  # moves: drawn over the cached background every frame
    hit_px = 8.0

    # The columns a team table must have: the live poller, replay and the panels write these.
    COLUMNS = ("id", "code", "name", "kind", "transport", "home_grid", "status", "stale", "last_fix", "from_fix",
               "members", "speed_mps", "heading_deg", "accuracy_m", "battery_pct")

    def __init__(self, features: FeatureTable):
        super().__init__(self._checked(features), None)
        self._reindex()

    @classmethod
    def _checked(cls, features: FeatureTable) -> FeatureTable:
        """The layer's contract: every column present (filled with None / False when a source lacks
        it), so that no writer meets a KeyError after another replaced the features."""
        n = len(features)
        for col in cls.COLUMNS:
            if col not in features.attrs:
                features.attrs[col] = [False] * n if col in ("stale", "from_fix") else [None] * n
        return features

    def _reindex(self) -> None:
        features = self.features
        self._xy = shapely.get_coordinates(features.geoms) if len(features) else np.zeros((0, 2))
        self._index = {int(tid): i for i, tid in enumerate(features.column("id"))} if len(features) else {}
        self._geoms_stale = False

    def set_features(self, features: FeatureTable) -> None:
        self.features = self._checked(features)
        self._reindex()
        self._tree = None
        self.changed()

    def positions(self) -> dict[int, tuple[float, float, datetime]]:
        """team id -> (x, y, time) of the latest fix shown, for teams placed by a fix (not at home)."""
        a = self.features.attrs
        return {int(tid): (float(xy[0]), float(xy[1]), last)
                for tid, xy, last, from_fix in zip(a["id"], self._xy, a["last_fix"], a["from_fix"])
                if from_fix and last is not None}

    def set_states(self, status: list, last_fix: list, stale: list) -> None:
        """Replay: every team's status, last fix time and staleness at the replayed instant."""
        a = self.features.attrs
        a["status"], a["last_fix"], a["stale"] = list(status), list(last_fix), list(stale)
        self.changed("status")

    @property
    def xy(self) -> np.ndarray:
        return self._xy

    def move(self, team_ids, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        """Move teams (arrays, or one id and position); returns (old xy, new xy) of those known.

        The positions array is the truth, as in pyqtgraph's scatter plot; geometries and the spatial
        index are rebuilt from it only when something asks for them (hit test, search).
        """
        ids = np.atleast_1d(team_ids)
        rows = np.array([self._index.get(int(t), -1) for t in ids], dtype=int)
        known = rows >= 0
        rows = rows[known]
        old = self._xy[rows].copy()
        self._xy[rows, 0] = np.atleast_1d(np.asarray(xs, float))[known]
        self._xy[rows, 1] = np.atleast_1d(np.asarray(ys, float))[known]
        self._tree = None
        self._geoms_stale = True
        # No change event: the canvas moves teams itself (MapCanvas.move_teams), repainting only
        # the small rectangles they left and entered, which a whole-layer event would defeat.
        return old, self._xy[rows]

    @property
    def tree(self) -> shapely.STRtree:
        if getattr(self, "_geoms_stale", False):
            self.features.geoms = shapely.points(self._xy)
            self._geoms_stale = False
            self._tree = None
        return super().tree

    def stroke(self, i: int) -> str:
        return S.TEAM_OFFLINE_STROKE if self.features.column("status")[i] == "offline" else "#ffffff"

    def colour(self, i: int) -> str:
        colour = S.TEAM_STATUS_COLOURS[self.features.column("status")[i]]
        if self.features.attrs.get("stale") and self.features.attrs["stale"][i]:
            return S.greyed(colour)
        return colour

    def index_of(self, team_id: int) -> int | None:
        return self._index.get(int(team_id))

    def apply_fixes(self, team_ids, ts, xs, ys, extras: dict[str, list]) -> tuple[list[int], list[float], list[float]]:
        """Take new fixes (any order); a team moves only to a fix newer than the one it shows, so a
        late, out-of-order fix never moves it backwards. Returns the (id, x, y) moves to make."""
        last = self.features.attrs["last_fix"]
        newest: dict[int, int] = {}
        for k, (tid, t) in enumerate(zip(team_ids, ts)):
            i = self._index.get(int(tid))
            if i is None:
                continue
            cur = newest.get(i)
            if (last[i] is None or t > last[i]) and (cur is None or t > ts[cur]):
                newest[i] = k
        ids, mx, my = [], [], []
        for i, k in newest.items():
            last[i] = ts[k]
            self.features.attrs["from_fix"][i] = True
            for name, values in extras.items():
                self.features.attrs[name][i] = values[k]
            ids.append(self.features.column("id")[i])
            mx.append(float(xs[k]))
            my.append(float(ys[k]))
        return ids, mx, my

    def refresh_status(self, now: datetime, busy: dict[int, str]) -> bool:
        """Derive each team's status from the age of its last fix and its cases; True if any changed."""
        attrs = self.features.attrs
        attrs.setdefault("stale", [False] * len(self.features))
        changed = False
        for i, (tid, last) in enumerate(zip(attrs["id"], attrs["last_fix"])):
            age = None if last is None else now - last
            status = "offline" if age is None or age > OFFLINE_AFTER else busy.get(tid, "available")
            stale = age is not None and STALE_AFTER < age <= OFFLINE_AFTER
            if status != attrs["status"][i] or stale != attrs["stale"][i]:
                attrs["status"][i], attrs["stale"][i] = status, stale
                changed = True
        self.now = now
        if changed:
            self.changed("status")
        return changed

    def shape(self, i: int) -> str:
        return S.TEAM_KIND_SHAPES[self.features.column("kind")[i]]

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Team"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Code"), r["code"]), (QT_TRANSLATE_NOOP("fields", "Kind"), TEAM_KINDS[r["kind"]]), (QT_TRANSLATE_NOOP("fields", "Members"), r["members"]),
                (QT_TRANSLATE_NOOP("fields", "Transport"), TRANSPORT[r["transport"]]), (QT_TRANSLATE_NOOP("fields", "Home grid"), r["home_grid"]), (QT_TRANSLATE_NOOP("fields", "Status"), TEAM_STATUS[r["status"]]),
                (QT_TRANSLATE_NOOP("fields", "Last fix"), r["last_fix"] or "—"),
                (QT_TRANSLATE_NOOP("fields", "Speed (m/s)"), "—" if r["speed_mps"] is None else f"{r['speed_mps']:.1f}"),
                (QT_TRANSLATE_NOOP("fields", "Accuracy (m)"), "—" if r["accuracy_m"] is None else f"{r['accuracy_m']:.0f}"),
                (QT_TRANSLATE_NOOP("fields", "Battery (%)"), "—" if r["battery_pct"] is None else f"{r['battery_pct']:.0f}")]

    def legend(self):
        kinds = [LegendEntry(TEAM_KINDS[k], S.MarkerStyle(fill="#555555", shape=shape, size_px=12), value=k)
                 for k, shape in S.TEAM_KIND_SHAPES.items()]
        statuses = [LegendEntry(TEAM_STATUS[k], S.MarkerStyle(fill=c, shape="circle", size_px=12,
                                                              stroke=S.TEAM_OFFLINE_STROKE if k == "offline" else "#ffffff"), value=k)
                    for k, c in S.TEAM_STATUS_COLOURS.items()]
        return kinds + statuses

    def search_keys(self, i):
        r = self.features.row(i)
        return [r["code"], r["name"]]


class TeamTrails:
    """Each team's fixes of the last `window` (map metres), kept in time order even when fixes
    arrive late. Qt-free: the painter turns it into fading line segments."""

    # A trail point at most every 5 s per team: a drawn trail looks the same, and memory and drawing
    # stay bounded however often trackers report (a 10-minute run at 1,000 fixes/s grew without it).
    MIN_SPACING_S = 5.0

    def __init__(self, window: timedelta = timedelta(minutes=10), gap: timedelta = timedelta(minutes=2)):
        self.window = window
        self.gap = gap  # fixes further apart than this are not joined: the gap shows
        self._tracks: dict[int, deque] = {}

    def add(self, team_ids, ts, xs, ys) -> None:
        for tid, t, x, y in zip(team_ids, ts, xs, ys):
            track = self._tracks.setdefault(int(tid), deque())
            item = (t.timestamp(), float(x), float(y))
            if track and 0 <= item[0] - track[-1][0] < self.MIN_SPACING_S:
                continue
            if not track or item[0] >= track[-1][0]:
                track.append(item)
            else:  # a late fix: keep the trail in time order
                lst = list(track)
                bisect.insort(lst, item)
                self._tracks[int(tid)] = deque(lst)

    def prune(self, now: datetime) -> None:
        cutoff = (now - self.window).timestamp()
        for tid in list(self._tracks):
            track = self._tracks[tid]
            while track and track[0][0] < cutoff:
                track.popleft()
            if not track:
                del self._tracks[tid]

    def segments(self, now: datetime, team_ids: set[int] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(n, 4) segment coordinates and their age in seconds (at the newer end)."""
        now_s, gap = now.timestamp(), self.gap.total_seconds()
        segs, ages = [], []
        for tid, track in self._tracks.items():
            if team_ids is not None and tid not in team_ids or len(track) < 2:
                continue
            a = np.array(track)
            dt = np.diff(a[:, 0])
            keep = dt <= gap
            if keep.any():
                segs.append(np.column_stack([a[:-1, 1], a[:-1, 2], a[1:, 1], a[1:, 2]])[keep])
                ages.append(now_s - a[1:, 0][keep])
        if not segs:
            return np.zeros((0, 4)), np.zeros(0)
        return np.vstack(segs), np.concatenate(ages)

    def __len__(self) -> int:
        return sum(len(t) for t in self._tracks.values())


class TrailLayer(MapLayer):
    """The fading trails of the last minutes, drawn under the team markers."""

    name = "trails"
    title = QT_TRANSLATE_NOOP("layers", "Trails")
    static = False

    def __init__(self, trails: TeamTrails):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), None)
        self.trails = trails
        self.now: datetime | None = None

    def add_fixes(self, team_ids, ts, xs, ys) -> None:
        self.trails.add(team_ids, ts, xs, ys)
        self.changed()

    def set_trails(self, trails) -> None:
        """Another source of trails (replay's, or back to the live ones)."""
        self.trails = trails
        self.changed()

    def set_time(self, now: datetime) -> None:
        """The instant the trails fade from (live: the clock; replay: the replayed time)."""
        self.now = now
        if hasattr(self.trails, "t"):
            self.trails.t = now
        self.changed("status")

    def hit_test(self, x, y, resolution):
        return None

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Last 10 minutes, fading with age"),
                            S.LineStyle(S.TRAIL_COLOUR, 2.0, dash=S.TRAIL_DASH))]
