"""Hotspots and key rectification areas (重点整治区域).

- `kernel_density`: where incidents of a period concentrate, as a raster of incidents per km² (a
  Gaussian kernel over binned counts: the binned estimate every GIS heat map uses at this scale,
  scipy.ndimage does the convolution).
- `gi_star`: which grids (or hexagons of a lattice) are statistically significant hot or cold spots,
  by Getis-Ord Gi* (esda.G_Local with star=True, conditional permutations for the pseudo p-values;
  contiguity weights from libpysal). No statistic is written here by hand.
- Key areas: a supervisor adopts hotspot cells (or a polygon drawn in QGIS) as a key area with a
  category, a start day and an owner; `area_effect` compares its incidents per month after the start
  with the months just before and with the same months a year earlier (同比).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timezone

import numpy as np
import shapely
from sqlalchemy import select, type_coerce

from data import audit
from data.accounts import Principal, require
from data.domain import CATEGORIES, LOCAL_TZ, _terms
from data.messages import GridWatchError
from data.store import models as m
from data.store.core import Store, write_lock
from data.store.types import RawGeometry, decode_geometries

log = logging.getLogger(__name__)

# Gi* classes by the sign of z and the pseudo p-value (the usual 90/95/99% confidence bins).
HOTSPOT_CLASSES = _terms(
    ("hot_99", "热点（99% 置信）", "Hot spot, 99% confidence"),
    ("hot_95", "热点（95% 置信）", "Hot spot, 95% confidence"),
    ("hot_90", "热点（90% 置信）", "Hot spot, 90% confidence"),
    ("none", "不显著", "Not significant"),
    ("cold_90", "冷点（90% 置信）", "Cold spot, 90% confidence"),
    ("cold_95", "冷点（95% 置信）", "Cold spot, 95% confidence"),
    ("cold_99", "冷点（99% 置信）", "Cold spot, 99% confidence"),
)
UNITS = ("grid", "hex")
HEX_AREA_PER_SIZE2 = np.sqrt(3) / 2  # a hexagon's area for a size of 1 across flats


def _utc(t: datetime) -> datetime:
    return t if t.tzinfo else t.replace(tzinfo=timezone.utc)


def incident_points(store: Store, start: datetime, end: datetime, category: str | None = None,
                    *, with_times: bool = False):
    """Where the cases (not duplicate reports) of [start, end) were reported: x, y in map metres (and,
    with_times, their report times in epoch seconds, in the same order)."""
    import pandas as pd
    from sqlalchemy import String
    I = m.Incident
    q = select(type_coerce(I.geom, RawGeometry), type_coerce(I.reported_at, String)) \
        .where(I.reported_at >= _utc(start), I.reported_at < _utc(end), I.duplicate_of.is_(None))
    if category:
        q = q.where(I.category == category)
    with store.session() as s:
        rows = s.execute(q).all()
    raw = [r[0] for r in rows]
    geoms = decode_geometries(store.engine.dialect.name, raw)
    if not len(geoms):
        empty = np.zeros(0)
        return (empty, empty, empty) if with_times else (empty, empty)
    geoms = store.projection.to_map(geoms)
    x, y = shapely.get_x(geoms), shapely.get_y(geoms)
    if not with_times:
        return x, y
    times = pd.to_datetime(pd.Series([r[1] for r in rows], dtype=object), utc=True, format="ISO8601")
    return x, y, ((times - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(seconds=1)).to_numpy(dtype=np.int64)


@dataclass(frozen=True)
class Density:
    """Incidents per km² on a raster: row 0 is the northern edge; cell (i, j) covers
    x0 + j·cell … and y_top − i·cell …"""
    values: np.ndarray  # (rows, cols) float32
    x0: float
    y_top: float
    cell_m: float
    bandwidth_m: float
    incidents: int

    @property
    def extent(self) -> tuple[float, float, float, float]:
        rows, cols = self.values.shape
        return self.x0, self.y_top - rows * self.cell_m, self.x0 + cols * self.cell_m, self.y_top


def kernel_density(x: np.ndarray, y: np.ndarray, extent: tuple[float, float, float, float], *, cell_m: float = 25.0,
                   bandwidth_m: float = 200.0) -> Density:
    """A Gaussian kernel density of the points over `extent` (map metres), incidents per km²."""
    from scipy.ndimage import gaussian_filter
    minx, miny, maxx, maxy = extent
    pad = 3 * bandwidth_m
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    cols = max(1, int(np.ceil((maxx - minx) / cell_m)))
    rows = max(1, int(np.ceil((maxy - miny) / cell_m)))
    counts, _, _ = np.histogram2d(y, x, bins=(rows, cols), range=((miny, miny + rows * cell_m), (minx, minx + cols * cell_m)))
    smooth = gaussian_filter(counts, sigma=bandwidth_m / cell_m, mode="constant")
    per_km2 = (smooth / (cell_m * cell_m) * 1e6)[::-1].astype(np.float32)  # north up
    return Density(per_km2, minx, miny + rows * cell_m, cell_m, bandwidth_m, int(len(x)))


def hex_lattice(area: shapely.Geometry, size_m: float) -> np.ndarray:
    """Flat-topped hexagons of `size_m` across flats covering `area` (those that touch it)."""
    r = size_m / np.sqrt(3)  # circumradius
    minx, miny, maxx, maxy = area.bounds
    dx, dy = 1.5 * r, size_m
    cols = int(np.ceil((maxx - minx) / dx)) + 2
    rows = int(np.ceil((maxy - miny) / dy)) + 2
    angles = np.radians(np.arange(0, 360, 60))
    ring = np.stack([r * np.cos(angles), r * np.sin(angles)], axis=1)
    cells = []
    for c in range(cols):
        cx = minx + c * dx
        for k in range(rows):
            cy = miny + k * dy + (dy / 2 if c % 2 else 0)
            cells.append(shapely.Polygon(ring + (cx, cy)))
    cells = np.array(cells, dtype=object)
    shapely.prepare(area)
    return cells[shapely.intersects(area, cells)]


def _merge_slivers(cells: np.ndarray, min_area: float) -> np.ndarray:
    """Cells smaller than `min_area` (the district's edge cut them) joined to the neighbour they
    share the longest border with: no incident is lost, and no sliver's density is read as a spot."""
    cells = np.array([c for c in cells if not c.is_empty], dtype=object)
    small = shapely.area(cells) < min_area
    keep = list(cells[~small])
    if not keep:
        return cells
    tree = shapely.STRtree(np.array(keep, dtype=object))
    for piece in cells[small]:
        near = tree.query(piece, predicate="intersects")
        if not len(near):
            near = np.array([tree.nearest(piece)])
        shared = [shapely.length(shapely.intersection(shapely.boundary(piece), shapely.boundary(tree.geometries[k]))) for k in near]
        k = int(near[int(np.argmax(shared))])
        keep[k] = shapely.union(keep[k], piece)
    return np.array(keep, dtype=object)


@dataclass(frozen=True)
class Hotspots:
    unit: str
    codes: list[str]  # grid codes, or H-<n> for hexagons
    geoms: np.ndarray  # map metres
    counts: np.ndarray
    z: np.ndarray
    p: np.ndarray
    classes: list[str]
    start: datetime
    end: datetime
    category: str | None
    permutations: int

    def as_dict(self) -> dict:
        return {"unit": self.unit, "from": self.start.isoformat(), "to": self.end.isoformat(), "category": self.category,
                "permutations": self.permutations,
                "cells": [{"code": c, "incidents": int(n), "z": round(float(z), 3), "p": round(float(p), 4), "class": k}
                          for c, n, z, p, k in zip(self.codes, self.counts, self.z, self.p, self.classes)]}


def classify(z: np.ndarray, p: np.ndarray) -> list[str]:
    out = []
    for zi, pi in zip(z, p):
        level = "99" if pi <= 0.01 else "95" if pi <= 0.05 else "90" if pi <= 0.10 else None
        out.append("none" if level is None or not np.isfinite(zi) or zi == 0 else f"{'hot' if zi > 0 else 'cold'}_{level}")
    return out


def gi_star(store: Store, start: datetime, end: datetime, *, reader: Principal, category: str | None = None,
            unit: str = "grid", hex_m: float = 250.0, permutations: int = 999, seed: int = 12345) -> Hotspots:
    """Getis-Ord Gi* of the cases' counts per grid (the grid set in force at `end`) or per hexagon of a
    lattice over the district, with queen-contiguity weights (a cell and the cells touching it)."""
    import geopandas as gpd
    from esda.getisord import G_Local
    from libpysal.graph import Graph
    from data import snapshot
    require(reader, "indicators.read")
    if unit not in UNITS:
        raise GridWatchError("hotspots.unknown_unit", unit=unit, known=", ".join(UNITS))
    if category is not None and category not in CATEGORIES:
        raise GridWatchError("case.unknown_category", category=category)
    start, end = _utc(start), _utc(end)
    if unit == "grid":
        grids = snapshot.load_grids(store, end)
        geoms, codes = grids.geoms, [str(c) for c in grids.column("code")]
    else:
        district = snapshot.load_district(store)
        if district is None:
            raise GridWatchError("hotspots.no_district")
        # Clipped to the district: a hexagon half outside it is not half as busy (its incidents
        # are compared per km² below, so the edge does not read as a cold spot).
        geoms = _merge_slivers(shapely.intersection(hex_lattice(district, hex_m), district), 0.5 * HEX_AREA_PER_SIZE2 * hex_m * hex_m)
        codes = [f"H-{k + 1}" for k in range(len(geoms))]
    if len(geoms) < 5:
        raise GridWatchError("hotspots.too_few_cells", cells=len(geoms))
    x, y = incident_points(store, start, end, category)
    counts = np.zeros(len(geoms))
    if len(x):
        tree = shapely.STRtree(geoms)
        pts, cells = tree.query(shapely.points(x, y), predicate="intersects")
        # A point on a shared edge counts once: for the first cell it touches.
        first = np.unique(pts, return_index=True)[1]
        np.add.at(counts, cells[first], 1)
    if counts.sum() == 0:
        z = np.zeros(len(geoms))
        p = np.ones(len(geoms))
    else:
        import warnings
        # In-process (n_jobs=1): never fork from the console. Warnings such as "not fully connected"
        # (a river splits the district) go to the log, not to the user's terminal.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            w = Graph.build_contiguity(gpd.GeoSeries(geoms), rook=False, strict=False).to_W()
            # Grids are compared by their counts (the unit an office is judged by); clipped hexagons
            # by incidents per km² (their areas differ at the district's edge).
            y = counts if unit == "grid" else counts / (shapely.area(geoms) / 1e6)
            g = G_Local(y, w, transform="B", permutations=permutations, star=True, seed=seed, keep_simulations=False,
                        n_jobs=1)
        for warning in caught:
            log.info("hotspots: %s", str(warning.message).strip())
        # Two-sided pseudo p-values: esda's directed ones doubled (esda's announced default), so
        # "99%" means what a reader of a two-tailed test expects.
        z, p = np.nan_to_num(np.asarray(g.Zs, dtype=float)), np.minimum(1.0, 2 * np.asarray(g.p_sim, dtype=float))
    return Hotspots(unit, codes, geoms, counts, z, p, classify(z, p), start, end, category, permutations)


# --- key rectification areas ----------------------------------------------------------------------

@dataclass(frozen=True)
class KeyArea:
    id: int
    name: str
    category: str | None
    start_day: date
    owner: str
    note: str
    geom: shapely.Geometry  # map metres


def add_key_area(store: Store, *, name: str, geom: shapely.Geometry, start_day: date, owner: str, by: Principal,
                 category: str | None = None, note: str = "", at: datetime | None = None) -> int:
    """Record a key rectification area (geometry in map metres); audited."""
    from sqlalchemy.orm import Session
    require(by, "areas.manage")
    name, owner = (name or "").strip(), (owner or "").strip()
    if not name:
        raise GridWatchError("areas.no_name")
    if not owner:
        raise GridWatchError("areas.no_owner")
    if category is not None and category not in CATEGORIES:
        raise GridWatchError("case.unknown_category", category=category)
    if geom is None or geom.is_empty or geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid or geom.area <= 0:
        raise GridWatchError("areas.bad_geometry")
    if geom.geom_type == "Polygon":
        geom = shapely.MultiPolygon([geom])
    at = at or datetime.now(timezone.utc)
    stored = store.projection.to_store(np.array([geom], dtype=object))[0]
    with store.engine.begin() as conn:
        write_lock(conn)
        with Session(bind=conn) as s:
            row = m.KeyArea(name=name, category=category, start_day=start_day.isoformat(), owner=owner, note=note,
                            created_at=at, created_by=by.account_id, geom=stored)
            s.add(row)
            s.flush()
            audit.append(s, account_id=by.account_id, username=by.username, action="areas.add", object_type="key_area",
                         object_id=row.id, after={"name": name, "category": category, "start_day": start_day.isoformat(),
                                                  "owner": owner, "area_m2": round(geom.area)}, at=at)
            s.commit()
            return row.id


def key_areas(store: Store) -> list[KeyArea]:
    from data.snapshot import _select_with_geoms
    K = m.KeyArea
    geoms, a = _select_with_geoms(store, K, [K.id, K.name, K.category, K.start_day, K.owner, K.note])
    return [KeyArea(a["id"][k], a["name"][k], a["category"][k], date.fromisoformat(a["start_day"][k]), a["owner"][k],
                    a["note"][k] or "", geoms[k]) for k in range(len(geoms))]


def _month_start(d: date, shift: int = 0) -> datetime:
    y, mo = d.year, d.month + shift
    y += (mo - 1) // 12
    mo = (mo - 1) % 12 + 1
    return datetime(y, mo, 1, tzinfo=LOCAL_TZ)


def area_effect(store: Store, area: KeyArea, until: datetime, *, reader: Principal, max_months: int = 12) -> dict:
    """Incidents of the area's category inside it, per month: the whole months after the start
    (the start's own month is the work's first and not counted), as many months just before the
    start, and the after months a year earlier. Changes are of the monthly means (−9.7% = down 9.7%)."""
    require(reader, "indicators.read")
    until = _utc(until).astimezone(LOCAL_TZ)
    first_after = _month_start(area.start_day, 1)
    n = 0
    while n < max_months and _month_start(first_after.date(), n + 1) <= until:
        n += 1
    after = [(_month_start(first_after.date(), k), _month_start(first_after.date(), k + 1)) for k in range(n)]
    before = [(_month_start(area.start_day, -n + k), _month_start(area.start_day, -n + k + 1)) for k in range(n)]
    year_earlier = [(_month_start(a.date(), -12), _month_start(a.date(), -11)) for a, _b in after]
    spans = after + before + year_earlier
    if not spans:
        return {"area": area.name, "months": 0, "after": [], "before": [], "year_earlier": [], "after_mean": None,
                "before_mean": None, "year_earlier_mean": None, "change_vs_before": None, "change_vs_year_earlier": None}
    lo, hi = min(a for a, _ in spans), max(b for _, b in spans)
    x, y, times = incident_points(store, lo, hi, area.category, with_times=True)
    times = times[shapely.contains_xy(area.geom, x, y)] if len(x) else times

    def per_month(ranges):
        return [{"month": a.strftime("%Y-%m"), "incidents": int(((times >= a.timestamp()) & (times < b.timestamp())).sum())}
                for a, b in ranges]

    rows = {"after": per_month(after), "before": per_month(before), "year_earlier": per_month(year_earlier)}
    means = {k: (sum(r["incidents"] for r in v) / len(v) if v else None) for k, v in rows.items()}

    def change(a, b):
        return None if a is None or not b else round(a / b - 1, 4)

    return {"area": area.name, "category": area.category, "start_day": area.start_day.isoformat(), "months": n, **rows,
            "after_mean": means["after"], "before_mean": means["before"], "year_earlier_mean": means["year_earlier"],
            "change_vs_before": change(means["after"], means["before"]),
            "change_vs_year_earlier": change(means["after"], means["year_earlier"])}
