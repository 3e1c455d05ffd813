"""Editing a draft grid set with shared boundaries (Qt-free; the console wraps each edit in an undo
command).

Boundaries are shared: a vertex is identified by its coordinates, and moving it moves it in every
grid that has it, so ordinary edits cannot open gaps or overlaps. Every operation returns a new
GridSetData and leaves the old one untouched, which makes undo a matter of keeping the old one.
"""

from __future__ import annotations

import copy
from dataclasses import replace

import numpy as np
import shapely
from shapely.ops import split as split_geometry

from data.grids.sets import GridSetData

SNAP_EPS = 1e-6  # metres: coordinates this close are the same vertex


class EditError(Exception):
    """An edit that cannot be made; the message says why."""


def _clone(data: GridSetData) -> GridSetData:
    return replace(data, codes=list(data.codes), names=list(data.names), community_ids=list(data.community_ids),
                   worker_ids=list(data.worker_ids), geoms=np.array(list(data.geoms), dtype=object))


def vertices(data: GridSetData, i: int) -> np.ndarray:
    return shapely.get_coordinates(data.geoms[i].exterior)[:-1]


def nearest_vertex(data: GridSetData, x: float, y: float, tolerance: float, only: int | None = None) -> tuple[float, float] | None:
    best, best_d = None, tolerance
    for i in ([only] if only is not None else range(len(data.geoms))):
        v = vertices(data, i)
        d = np.hypot(v[:, 0] - x, v[:, 1] - y)
        k = int(np.argmin(d))
        if d[k] <= best_d:
            best, best_d = (float(v[k, 0]), float(v[k, 1])), float(d[k])
    return best


def move_vertex(data: GridSetData, old: tuple[float, float], new: tuple[float, float]) -> GridSetData:
    """Move a vertex in every grid that shares it."""
    out = _clone(data)
    moved = 0
    for i, g in enumerate(out.geoms):
        ring = shapely.get_coordinates(g.exterior)
        hit = np.hypot(ring[:, 0] - old[0], ring[:, 1] - old[1]) <= SNAP_EPS
        if hit.any():
            ring = ring.copy()
            ring[hit] = new
            poly = shapely.Polygon(ring, [list(r.coords) for r in g.interiors])
            if not poly.is_valid:
                raise EditError(f"moving this vertex would make grid {out.codes[i]} invalid "
                                f"({shapely.is_valid_reason(poly)})")
            out.geoms[i] = poly
            moved += 1
    if not moved:
        raise EditError("there is no vertex there")
    return out


def insert_vertex(data: GridSetData, x: float, y: float, tolerance: float) -> tuple[GridSetData, tuple[float, float]]:
    """Add a vertex on the nearest edge (in every grid that shares that edge)."""
    p = shapely.Point(x, y)
    best = None
    for i, g in enumerate(data.geoms):
        ring = g.exterior
        d = ring.distance(p)
        if d <= tolerance and (best is None or d < best[0]):
            best = (d, i)
    if best is None:
        raise EditError("click on a grid boundary to add a vertex")
    ring = data.geoms[best[1]].exterior
    q = ring.interpolate(ring.project(p))
    coords = shapely.get_coordinates(ring)
    seg = int(np.argmin([shapely.LineString(coords[k:k + 2]).distance(q) for k in range(len(coords) - 1)]))
    a, b = tuple(coords[seg]), tuple(coords[seg + 1])
    out = _clone(data)
    for i, g in enumerate(out.geoms):
        c = shapely.get_coordinates(g.exterior)
        for k in range(len(c) - 1):
            ends = {tuple(c[k]), tuple(c[k + 1])}
            if ends == {a, b}:
                c = np.insert(c, k + 1, [q.x, q.y], axis=0)
                out.geoms[i] = shapely.Polygon(c, [list(r.coords) for r in g.interiors])
                break
    return out, (q.x, q.y)


def delete_vertex(data: GridSetData, v: tuple[float, float]) -> GridSetData:
    """Remove a vertex from every grid that has it (refused where a grid would collapse)."""
    out = _clone(data)
    hit_any = False
    for i, g in enumerate(out.geoms):
        c = shapely.get_coordinates(g.exterior)[:-1]
        hit = np.hypot(c[:, 0] - v[0], c[:, 1] - v[1]) <= SNAP_EPS
        if hit.any():
            hit_any = True
            c = c[~hit]
            if len(c) < 3:
                raise EditError(f"grid {out.codes[i]} would have fewer than three vertices")
            poly = shapely.Polygon(c)
            if not poly.is_valid:
                raise EditError(f"removing this vertex would make grid {out.codes[i]} invalid")
            out.geoms[i] = poly
    if not hit_any:
        raise EditError("there is no vertex there")
    return out


def split_grid(data: GridSetData, i: int, line: shapely.LineString, new_code: str | None = None) -> GridSetData:
    """Split grid i along a line drawn across it; the second part gets a new code."""
    g = data.geoms[i]
    parts = [p for p in shapely.get_parts(split_geometry(g, line)) if p.area > 0]
    if len(parts) != 2:
        raise EditError(f"the line must cross grid {data.codes[i]} once, from edge to edge (it makes {len(parts)} parts)")
    parts.sort(key=lambda p: -p.area)
    out = _clone(data)
    # The neighbours get the new vertices where the line meets the shared boundary.
    out.geoms[i] = parts[0]
    code = new_code or _next_code(out.codes, out.codes[i])
    out.codes.append(code)
    out.names.append(out.names[i] + "（分）")
    out.community_ids.append(out.community_ids[i])
    out.worker_ids.append(None)
    out.geoms = np.append(out.geoms, np.array([parts[1]], dtype=object))
    for k, p in enumerate(out.geoms):
        if k not in (i, len(out.geoms) - 1):
            out.geoms[k] = _add_shared_points(p, [parts[0], parts[1]])
    return out


def _add_shared_points(poly: shapely.Polygon, others) -> shapely.Polygon:
    """Insert into `poly` the vertices of `others` that lie on its boundary, so edges stay shared."""
    pts = []
    for o in others:
        for c in shapely.get_coordinates(o.exterior):
            p = shapely.Point(c)
            if poly.exterior.distance(p) <= SNAP_EPS and not any(np.allclose(c, v) for v in shapely.get_coordinates(poly.exterior)):
                pts.append(p)
    if not pts:
        return poly
    ring = poly.exterior
    coords = list(shapely.get_coordinates(ring)[:-1])
    for p in pts:
        d = ring.project(p)
        dists = [ring.project(shapely.Point(c)) for c in coords]
        k = int(np.searchsorted(dists, d))
        coords.insert(k, (p.x, p.y))
    return shapely.Polygon(coords)


def _next_code(codes: list[str], base: str) -> str:
    k = 2
    while f"{base}-{k}" in codes:
        k += 1
    return f"{base}-{k}"


def merge_grids(data: GridSetData, i: int, j: int) -> GridSetData:
    """Merge grid j into grid i; they must share a boundary."""
    a, b = data.geoms[i], data.geoms[j]
    if a.intersection(b).length <= 0:
        raise EditError(f"grids {data.codes[i]} and {data.codes[j]} do not share a boundary")
    merged = shapely.coverage_union_all([a, b]) if shapely.coverage_is_valid([a, b]) else shapely.union(a, b)
    if merged.geom_type != "Polygon":
        raise EditError("the merged grid would not be one polygon")
    out = _clone(data)
    out.geoms[i] = merged
    for arr in (out.codes, out.names, out.community_ids, out.worker_ids):
        del arr[j]
    out.geoms = np.delete(out.geoms, j)
    return out


def set_attributes(data: GridSetData, i: int, *, name: str | None = None, community_id: int | None = None,
                   worker_id: int | None | str = "keep") -> GridSetData:
    out = _clone(data)
    if name is not None:
        if not name.strip():
            raise EditError("a grid needs a name")
        out.names[i] = name.strip()
    if community_id is not None:
        out.community_ids[i] = community_id
    if worker_id != "keep":
        out.worker_ids[i] = worker_id
    return out


def copy_data(data: GridSetData) -> GridSetData:
    return copy.deepcopy(data)
