"""Coverage of a patrol plan from the team's own track: which checkpoints were reached, how much of a
route or of an area's streets was walked, how long a stake-out was held, and where the track has gaps.

Everything is measured in map metres (the store's projection) on numpy arrays; geometry questions go
to shapely 2's vectorised functions and STRtree. Written here rather than taken from a map-matching
library (Valhalla's Meili, FMM, Barefoot): those match a track to the whole road graph to recover the
path driven; a plan asks a narrower question, "was this planned line walked?", which needs no graph,
only the track held against the line, robust to the GPS's noise, gaps and jumps. It is the product's
edge, and written to be read.

How a line (a route, or an area's streets) counts as walked: the line is sampled every SAMPLE_M
metres; a sample is walked when a *track leg* (two consecutive fixes no more than MAX_GAP_S apart, at
a speed the team can move) passes within the tolerance of it. So a route walked backwards counts the
same as forwards, a gap in the track leaves its stretch unwalked, and a fix that jumps across a river
(too fast from the fix before and back again) is dropped before the legs are made.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

SAMPLE_M = 5.0  # a line is judged every this many metres
TOLERANCE_M = 30.0  # a phone's fix in a street is within ~15 m of the truth; twice that holds it to the street
CHECKPOINT_RADIUS_M = 30.0
STAKEOUT_RADIUS_M = 50.0
MAX_GAP_S = 120.0  # fixes further apart are not joined: the stretch between them was not seen walked
WALK_MAX_MPS = 4.0  # on foot; a plan's team may move faster (ebike 8, car 20): callers pass its speed


@dataclass(frozen=True)
class Track:
    """One team's fixes in a window, in time order: t in epoch seconds, x/y in map metres."""

    t: np.ndarray
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def of(cls, t, x, y) -> "Track":
        t, x, y = (np.asarray(v, dtype=float) for v in (t, x, y))
        order = np.argsort(t, kind="stable")
        return cls(t[order], x[order], y[order])

    def __len__(self) -> int:
        return len(self.t)

    def window(self, start: float, end: float) -> "Track":
        keep = (self.t >= start) & (self.t <= end)
        return Track(self.t[keep], self.x[keep], self.y[keep])


def without_jumps(track: Track, max_speed_mps: float = WALK_MAX_MPS) -> Track:
    """The track less fixes that jump away and back: a fix reached from the one before, and left for
    the one after, faster than the team can move, while those two neighbours agree with each other (a
    reflection off a tower, a fix across the river). Repeated until none is left."""
    t, x, y = track.t, track.x, track.y
    limit = max_speed_mps * 1.5 + 1e-9  # a little slack: fixes' times and places are not exact
    while len(t) >= 3:
        dt = np.maximum(np.diff(t), 1e-3)
        speed = np.hypot(np.diff(x), np.diff(y)) / dt
        fast_in, fast_out = speed[:-1] > limit, speed[1:] > limit
        # The two neighbours of each middle fix, joined directly.
        skip_dt = np.maximum(t[2:] - t[:-2], 1e-3)
        skip_ok = np.hypot(x[2:] - x[:-2], y[2:] - y[:-2]) / skip_dt <= limit
        bad = np.flatnonzero(fast_in & fast_out & skip_ok) + 1
        if not len(bad):
            break
        keep = np.ones(len(t), bool)
        keep[bad] = False
        t, x, y = t[keep], x[keep], y[keep]
    return Track(t, x, y)


def legs(track: Track, max_gap_s: float = MAX_GAP_S, max_speed_mps: float = WALK_MAX_MPS) -> np.ndarray:
    """LineStrings of the track's legs: consecutive fixes within max_gap_s, at a believable speed."""
    if len(track) < 2:
        return np.empty(0, dtype=object)
    dt = np.diff(track.t)
    dist = np.hypot(np.diff(track.x), np.diff(track.y))
    ok = (dt <= max_gap_s) & (dist <= max_speed_mps * 1.5 * np.maximum(dt, 1.0) + TOLERANCE_M)
    i = np.flatnonzero(ok)
    coords = np.stack([np.column_stack([track.x[i], track.y[i]]), np.column_stack([track.x[i + 1], track.y[i + 1]])], axis=1)
    return shapely.linestrings(coords)


def sample(line, step_m: float = SAMPLE_M) -> np.ndarray:
    """Points every step_m along a line or multi-line (each part's ends included)."""
    out = []
    for part in shapely.get_parts(np.asarray([line], dtype=object)):
        n = max(1, int(np.ceil(part.length / step_m)))
        out.append(shapely.line_interpolate_point(part, np.linspace(0.0, part.length, n + 1)))
    return np.concatenate(out) if out else np.empty(0, dtype=object)


@dataclass(frozen=True)
class LineCoverage:
    """How much of a line was walked: metres planned and walked, and the walked stretches as lines."""

    planned_m: float
    walked_m: float
    walked: np.ndarray = field(repr=False)  # per sample: seen walked
    samples: np.ndarray = field(repr=False)

    @property
    def fraction(self) -> float:
        return self.walked_m / self.planned_m if self.planned_m > 0 else 0.0


def line_walked(line, track: "Track | list[Track]", *, tolerance_m: float = TOLERANCE_M, max_gap_s: float = MAX_GAP_S,
                max_speed_mps: float = WALK_MAX_MPS) -> LineCoverage:
    """The part of a planned line (a route, or an area's streets as a multi-line) that the track walked
    (or any of several tracks: a plan for every team of a kind)."""
    pts = sample(line)
    planned = float(shapely.length(line))
    if not len(pts):
        return LineCoverage(planned, 0.0, np.zeros(0, bool), pts)
    walked = np.zeros(len(pts), bool)
    tracks = track if isinstance(track, list) else [track]
    parts = [legs(without_jumps(t, max_speed_mps), max_gap_s, max_speed_mps) for t in tracks]
    ls = np.concatenate(parts) if parts else np.empty(0, dtype=object)
    if len(ls):
        tree = shapely.STRtree(ls)
        hit_pts, _hit_legs = tree.query(pts, predicate="dwithin", distance=tolerance_m)
        walked[np.unique(hit_pts)] = True
    # Each sample stands for the stretch of line around it: its share of the length.
    return LineCoverage(planned, planned * float(walked.mean()), walked, pts)


def walked_pieces(line, tracks: list[Track], *, tolerance_m: float = TOLERANCE_M, max_gap_s: float = MAX_GAP_S,
                  max_speed_mps: float = WALK_MAX_MPS) -> tuple[shapely.Geometry, shapely.Geometry]:
    """The planned line cut into what was walked and what was not (two multi-lines), judged as
    line_walked judges it: for drawing walked against planned on the map."""
    ls = [legs(without_jumps(t, max_speed_mps), max_gap_s, max_speed_mps) for t in tracks]
    ls = np.concatenate(ls) if ls else np.empty(0, dtype=object)
    tree = shapely.STRtree(ls) if len(ls) else None
    walked, missed = [], []
    for part in shapely.get_parts(np.asarray([line], dtype=object)):
        pts = sample(part)
        if len(pts) < 2:
            continue
        hit = np.zeros(len(pts), bool)
        if tree is not None:
            hit[np.unique(tree.query(pts, predicate="dwithin", distance=tolerance_m)[0])] = True
        xy = shapely.get_coordinates(pts)
        # Runs of samples of one state; a run's line reaches halfway to the next sample's (here: to it).
        edges = np.flatnonzero(np.diff(hit.astype(np.int8))) + 1
        for a, b in zip(np.concatenate([[0], edges]), np.concatenate([edges, [len(pts)]])):
            piece = xy[a:min(b + 1, len(xy))]
            if len(piece) >= 2:
                (walked if hit[a] else missed).append(shapely.LineString(piece))
    return shapely.MultiLineString(walked), shapely.MultiLineString(missed)


def checkpoints_reached(points_xy: np.ndarray, track: Track, radius_m: float = CHECKPOINT_RADIUS_M,
                        max_speed_mps: float = WALK_MAX_MPS) -> list[float | None]:
    """For each checkpoint (x, y), the time of the first fix within radius_m of it, or None."""
    clean = without_jumps(track, max_speed_mps)
    out: list[float | None] = []
    for px, py in np.asarray(points_xy, dtype=float).reshape(-1, 2):
        near = np.flatnonzero(np.hypot(clean.x - px, clean.y - py) <= radius_m)
        out.append(float(clean.t[near[0]]) if len(near) else None)
    return out


def dwell_s(point_xy, track: Track, radius_m: float = STAKEOUT_RADIUS_M, max_gap_s: float = MAX_GAP_S) -> float:
    """Seconds the track stayed within radius_m of a stake-out point: legs with both ends inside."""
    if len(track) < 2:
        return 0.0
    inside = np.hypot(track.x - point_xy[0], track.y - point_xy[1]) <= radius_m
    dt = np.diff(track.t)
    both = inside[:-1] & inside[1:] & (dt <= max_gap_s)
    return float(dt[both].sum())


def gaps(times: np.ndarray, start: float, end: float, max_gap_s: float = MAX_GAP_S) -> list[tuple[float, float]]:
    """Stretches of [start, end] longer than max_gap_s with no fix (the phone off, no signal), from the
    fixes' times in order."""
    t = np.asarray(times, dtype=float)
    t = t[(t >= start) & (t <= end)]
    edges = np.concatenate([[start], t, [end]])
    d = np.diff(edges)
    return [(float(edges[i]), float(edges[i + 1])) for i in np.flatnonzero(d > max_gap_s)]
