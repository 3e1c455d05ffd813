"""The routable street network of a district: edges between nodes, with class, name, one-way and
who may use them (foot, e-bike, car), built from a GIS file's lines or an OSM extract's ways.

GIS lines are noded where they cross, and where an end stops short of another line within a
tolerance (an undershoot in a surveyed file), so the graph is connected the way the streets are.
OSM ways carry their topology in shared node ids; they are split at every node two ways share, and
bridges and tunnels that cross without a shared node stay apart, as they should.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from data.geo import Projection
from data.messages import Message

NODE_PRECISION_M = 0.01  # endpoints within a centimetre are one node

# Street classes from what files and OSM call them (our codes: data.domain.ROAD_CLASSES).
CLASS_ALIASES = {
    "main": "main", "secondary": "secondary", "minor": "minor", "bridge": "bridge",
    "主干道": "main", "主干路": "main", "快速路": "main", "国道": "main", "省道": "main", "高速": "main",
    "次干道": "secondary", "次干路": "secondary", "县道": "secondary",
    "支路": "minor", "街巷": "minor", "小区道路": "minor", "乡道": "minor", "内部道路": "minor", "步行道": "minor",
    "桥": "bridge", "桥梁": "bridge",
    "motorway": "main", "trunk": "main", "primary": "main", "motorway_link": "main", "trunk_link": "main",
    "primary_link": "main", "secondary_link": "secondary", "tertiary": "secondary", "tertiary_link": "secondary",
    "residential": "minor", "unclassified": "minor", "living_street": "minor", "service": "minor",
    "pedestrian": "minor", "footway": "minor", "path": "minor", "cycleway": "minor", "steps": "minor",
    "track": "minor", "road": "minor",
}
TRUE_WORDS = {"yes", "true", "1", "t", "y", "是", "单向", "oneway"}
REVERSE_WORDS = {"-1", "reverse", "反向"}


@dataclass
class StreetNetwork:
    """Edges in map metres; a, b index node_xy; oneway means a -> b only (for e-bikes and cars)."""

    node_xy: np.ndarray
    a: np.ndarray
    b: np.ndarray
    geoms: np.ndarray
    name: list[str]
    road_class: list[str]
    oneway: np.ndarray
    foot: np.ndarray
    ebike: np.ndarray
    car: np.ndarray
    notes: list[Message] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.a)


def road_class_of(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return CLASS_ALIASES.get(text) or CLASS_ALIASES.get(text.lower())


def oneway_of(value) -> int:
    """1: one-way along the line, -1: against it, 0: both ways."""
    if value is None:
        return 0
    text = str(value).strip().lower()
    if text in REVERSE_WORDS:
        return -1
    return 1 if text in TRUE_WORDS else 0


def _nodes_of_endpoints(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    starts = shapely.get_coordinates(shapely.get_point(geoms, 0))
    ends = shapely.get_coordinates(shapely.get_point(geoms, -1))
    keys = np.round(np.vstack([starts, ends]) / NODE_PRECISION_M).astype(np.int64)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = inverse.ravel()
    node_xy = uniq.astype(float) * NODE_PRECISION_M
    n = len(geoms)
    return node_xy, inverse[:n], inverse[n:]


def network_from_lines(lines: np.ndarray, *, names: list[str], classes: list[str], oneway: np.ndarray,
                       foot: np.ndarray | None = None, ebike: np.ndarray | None = None, car: np.ndarray | None = None,
                       tolerance_m: float = 1.0) -> StreetNetwork:
    """Node single-part lines (map metres) into a graph: split where they cross or touch, and snap an
    end that stops within `tolerance_m` of another line onto it. Attributes follow each piece from
    the line it came from; a line digitised against its one-way direction is reversed first."""
    n = len(lines)
    foot = np.ones(n, bool) if foot is None else np.asarray(foot, bool)
    ebike = np.ones(n, bool) if ebike is None else np.asarray(ebike, bool)
    car = np.ones(n, bool) if car is None else np.asarray(car, bool)
    oneway = np.asarray(oneway, int)
    lines = np.array([shapely.reverse(g) if ow < 0 else g for g, ow in zip(lines, oneway)], dtype=object)
    lines = _snap_undershoots(lines, tolerance_m)
    # Snap-rounding noder: every crossing and touching becomes a node, to the centimetre.
    noded = shapely.get_parts(shapely.node(shapely.set_precision(shapely.multilinestrings(lines), NODE_PRECISION_M)))
    noded = noded[shapely.length(noded) > NODE_PRECISION_M]
    # Which input line each piece lies on (its midpoint is on that line, within the precision).
    tree = shapely.STRtree(lines)
    mids = shapely.line_interpolate_point(noded, 0.5, normalized=True)
    src = tree.query_nearest(mids, return_distance=False, all_matches=False)[1]
    src_line = lines[src]
    # shapely.node may have flipped a piece: keep the source line's direction (it carries one-way).
    head = shapely.line_locate_point(src_line, shapely.get_point(noded, 0))
    tail = shapely.line_locate_point(src_line, shapely.get_point(noded, -1))
    flip = head > tail
    if flip.any():
        noded[flip] = shapely.reverse(noded[flip])
    node_xy, a, b = _nodes_of_endpoints(noded)
    keep = a != b
    noded, a, b, src = noded[keep], a[keep], b[keep], src[keep]
    return StreetNetwork(node_xy, a, b, noded, [names[i] for i in src], [classes[i] for i in src],
                         oneway[src] != 0, foot[src], ebike[src], car[src])


def _snap_undershoots(lines: np.ndarray, tol: float) -> np.ndarray:
    """Close the small gaps of digitised streets: ends within tol of each other become one point
    (the first line's end), and an end still alone that stops short of another line within tol is
    moved onto that line."""
    if tol <= 0 or len(lines) < 2:
        return lines
    out = lines.copy()
    n = len(out)
    ends = np.vstack([shapely.get_coordinates(shapely.get_point(out, 0)), shapely.get_coordinates(shapely.get_point(out, -1))])
    pts = shapely.points(ends)
    pairs = shapely.STRtree(pts).query(pts, predicate="dwithin", distance=tol)
    m = len(ends)
    _k, label = connected_components(coo_matrix((np.ones(pairs.shape[1]), (pairs[0], pairs[1])), shape=(m, m)), directed=False)
    first = np.full(label.max() + 1, m)
    np.minimum.at(first, label, np.arange(m))
    snapped = ends[first[label]]
    alone = np.bincount(label)[label] == 1
    tree = shapely.STRtree(lines)
    for k in np.flatnonzero(alone):
        i = k % n
        near = tree.query(pts[k], predicate="dwithin", distance=tol)
        near = near[near != i]
        if len(near) == 0:
            continue
        d = shapely.distance(pts[k], lines[near])
        j = near[int(np.argmin(d))]
        if d.min() > NODE_PRECISION_M:
            snapped[k] = shapely.get_coordinates(
                shapely.line_interpolate_point(lines[j], shapely.line_locate_point(lines[j], pts[k])))[0]
    moved = np.flatnonzero(np.any(snapped != ends, axis=1))
    for k in moved:
        i, which = k % n, (0 if k < n else -1)
        coords = shapely.get_coordinates(out[i]).copy()
        coords[which] = snapped[k]
        out[i] = shapely.linestrings(coords)
    return out


@dataclass(frozen=True)
class GraphPiece:
    segments: int
    length_m: float
    lon: float
    lat: float


def graph_pieces(net: StreetNetwork, projection: Projection) -> list[GraphPiece]:
    """The weakly connected pieces of the network, biggest (by length) first, each with a place."""
    n = len(net.node_xy)
    if len(net) == 0:
        return []
    g = coo_matrix((np.ones(len(net)), (net.a, net.b)), shape=(n, n))
    _k, labels = connected_components(g, directed=False)
    edge_label = labels[net.a]
    lengths = shapely.length(net.geoms)
    pieces = []
    for lab in np.unique(edge_label):
        sel = np.flatnonzero(edge_label == lab)
        centre = shapely.line_interpolate_point(net.geoms[sel[np.argmax(lengths[sel])]], 0.5, normalized=True)
        lon, lat = projection.xy_to_lonlat(*shapely.get_coordinates(centre)[0])
        pieces.append(GraphPiece(len(sel), float(lengths[sel].sum()), round(float(lon), 6), round(float(lat), 6)))
    pieces.sort(key=lambda p: -p.length_m)
    return pieces


def pieces_report(pieces: list[GraphPiece], limit: int = 50) -> list[Message]:
    if len(pieces) <= 1:
        return []
    big = pieces[0]
    out = [Message("found.graph_pieces", {"pieces": len(pieces), "segments": big.segments, "km": f"{big.length_m / 1000:.1f}"})]
    for p in pieces[1:limit + 1]:
        out.append(Message("found.graph_piece", {"segments": p.segments, "m": int(round(p.length_m)), "lon": p.lon, "lat": p.lat}))
    return out
