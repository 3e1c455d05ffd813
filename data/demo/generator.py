"""The demo district: a deterministic, plausible sub-district on both banks of a river.

Modelled on a real sub-district (101 grids in seven communities, 137 天网 cameras of which 86
are HD, 868 people in seven kinds of team) and placed around 108.38°E 30.81°N. Everything is built
in map metres and converted to lon/lat once, when written. The same seed and `until` give the same
content, so tests and screenshots can rely on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable

import numpy as np
import shapely
from scipy.cluster.vq import kmeans2
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sqlalchemy import insert

from data.store import models as m
from data.domain import DISTRICT_HEADCOUNT, LOCAL_TZ, STAGE_LIMIT_MIN, SUBCATEGORIES, SUITABLE_KINDS, on_duty
from data.geo import Projection
from data.district.imports import import_roster_rows, write_buildings, write_grid_set, write_streets, write_water
from data.district.rosters import ROSTERS
from data.district.streets import StreetNetwork
from data.store.core import Store, create_store, update_extents

CENTER_LON, CENTER_LAT = 108.38, 30.81
N_GRIDS = 101
N_CAMERAS, N_HD = 137, 86
STREET_SPACING_M = 80.0
TARGET_BUILDINGS = 20_000
PRECISION_M = 0.01  # shared grid vertices are snapped to 1 cm so neighbours match exactly

# (name, code, bank) — north bank first. 玉安 is where burglaries cluster.
COMMUNITIES = [
    ("八角井", "BJJ", "north"), ("丰收", "FS", "north"), ("玉安", "YA", "north"), ("棉花地", "MHD", "north"),
    ("百步", "BB", "south"), ("陶家坪", "TJP", "south"), ("红光", "HG", "south"),
]
MAIN_STREET_NAMES = ["北山大道", "白岩路", "太白路", "沙龙路", "国本路", "电报路", "双河口路", "高笋塘路",
                     "江南大道", "滨江路", "天城大道", "王牌路", "龙都路", "南山路", "枇杷坪路", "鞍子坝路"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强玉兰红梅海燕春燕德明文斌晓东丽娟小红永强思远子豪欣怡雨涵浩然梓涵俊杰诗琪一鸣佳怡"

# Team make-up per kind: (people per team, transport mix, duty start, duty end) in local minutes.
TEAM_PLAN = {
    "patrol_volunteer": (2, {"foot": 0.75, "ebike": 0.25}, 8 * 60, 22 * 60),
    "property_security": (3, {"ebike": 0.85, "car": 0.15}, 0, 24 * 60),
    "compound_guard": (3, {"foot": 1.0}, 0, 24 * 60),
    "cleaner": (7, {"foot": 0.7, "ebike": 0.3}, 5 * 60, 18 * 60),
    "grid_worker": (1, {"ebike": 0.7, "foot": 0.3}, 8 * 60 + 30, 17 * 60 + 30),
    "volunteer": (5, {"foot": 1.0}, 8 * 60, 20 * 60),
    "mediator": (1, {"foot": 0.6, "ebike": 0.4}, 8 * 60 + 30, 17 * 60 + 30),
}
KIND_PREFIX = {"patrol_volunteer": "XL", "property_security": "BA", "compound_guard": "YL", "cleaner": "HW",
               "grid_worker": "WG", "volunteer": "ZY", "mediator": "TJ"}
KIND_TEAM_NAME = {"patrol_volunteer": "巡逻{n}队", "property_security": "物业保安{n}组", "compound_guard": "院落守护{n}组",
                  "cleaner": "保洁{n}班", "grid_worker": "{grid}网格员", "volunteer": "志愿服务{n}队", "mediator": "{grid}调解员"}

# Incidents per year by category; disputes as in the district's records (~856 mediated a year).
YEARLY_INCIDENTS = {"dispute": 856, "public_order": 520, "fire": 300, "traffic": 480, "municipal": 650,
                    "sanitation": 820, "special_population": 140, "petition": 60, "other": 110}
# The demo's accounts (README, "Accounts"): every staff member signs in with their name and this
# password; 吴敏 leads a shift and holds both the dispatcher's and the verifier's roles.
DEMO_PASSWORD = "gridwatch"
DEMO_ADMIN = "admin"
DEMO_EXTRA_ROLES = {"吴敏": ("dispatcher", "supervisor")}
DEMO_VIEWER = "访客"

STAFF = [("刘建平", "dispatcher"), ("周晓燕", "dispatcher"), ("陈志刚", "dispatcher"), ("杨丽", "dispatcher"),
         ("黄国强", "dispatcher"), ("吴敏", "dispatcher"), ("谭海", "supervisor"), ("向红梅", "supervisor"),
         ("冉小东", "planner"), ("牟婷", "planner"), ("廖雪梅", "ledger_keeper")]


@dataclass
class DemoDistrict:
    """The generated district in map metres, before it is written."""

    projection: Projection
    until: datetime
    district: shapely.Geometry = None
    banks: list = field(default_factory=list)
    river: shapely.Geometry = None
    grid_geoms: list = field(default_factory=list)
    grid_rows: list = field(default_factory=list)  # dicts without geom
    node_xy: np.ndarray = None
    edges: np.ndarray = None  # (n, 2) node indices
    edge_class: list = field(default_factory=list)
    edge_name: list = field(default_factory=list)
    edge_oneway: np.ndarray = None
    buildings: np.ndarray = None
    building_floors: np.ndarray = None
    building_kind: list = field(default_factory=list)
    water: list = field(default_factory=list)  # (name, kind, geom)


def parse_until(value: str | None) -> datetime:
    """--until: a date (its 00:00 China time) or an ISO datetime; default now, to the minute."""
    if not value:
        return datetime.now(timezone.utc).replace(second=0, microsecond=0)
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--until {value!r} is not a date (YYYY-MM-DD) or date and time (YYYY-MM-DDTHH:MM)") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=LOCAL_TZ)
    return dt.astimezone(timezone.utc)


def generate_demo(out: str | Path, *, seed: int = 7, until: datetime | None = None, overwrite: bool = False,
                  progress: Callable[[str, float], None] | None = None) -> Store:
    """Write the demo district to a new store at `out` and return it open."""
    until = (until or parse_until(None)).astimezone(timezone.utc)
    report = progress or (lambda _msg, _frac: None)
    projection = Projection.for_longitude(CENTER_LON)
    rng = np.random.default_rng(seed)
    d = DemoDistrict(projection=projection, until=until)
    cx, cy = (float(v) for v in projection.lonlat_to_xy(CENTER_LON, CENTER_LAT))
    report("district and river", 0.05)
    _make_district(d, rng, cx, cy)
    report("grids", 0.15)
    _make_grids(d, rng)
    report("streets", 0.3)
    _make_streets(d, rng, cx, cy)
    report("buildings", 0.45)
    _make_buildings(d, rng)
    report("writing the store", 0.55)
    store = create_store(out, projection, overwrite=overwrite)
    _write(store, d, rng, report)
    report("accounts", 0.95)
    write_demo_accounts(store, until)
    report("ledgers", 0.97)
    from data.demo.ledgers import write_demo_ledgers
    write_demo_ledgers(store, until, seed, DEMO_PASSWORD)
    report("patrol plans and rota", 0.98)
    from data.demo.patrol import write_demo_patrol_tracks, write_demo_plans
    from data.demo.rota import write_demo_rota
    write_demo_plans(store, until, seed, DEMO_PASSWORD)
    write_demo_patrol_tracks(store, until, seed)
    write_demo_rota(store, until, seed, DEMO_PASSWORD)
    update_extents(store)
    store.set_meta("demo_seed", str(seed))
    store.set_meta("demo_until", until.isoformat())
    store.set_meta("created_at", until.isoformat())  # deterministic content: no wall-clock time inside
    report("done", 1.0)
    return store


# --- geometry -------------------------------------------------------------------------------------

def _make_district(d: DemoDistrict, rng: np.random.Generator, cx: float, cy: float) -> None:
    theta = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, 3)
    r = 1 + 0.10 * np.sin(2 * theta + phase[0]) + 0.06 * np.sin(3 * theta + phase[1]) + 0.035 * np.sin(5 * theta + phase[2])
    blob = shapely.Polygon(np.column_stack([cx + 2700 * r * np.cos(theta), cy + 2050 * r * np.sin(theta)]))
    # The river runs west to east, meandering, 220-300 m wide (the Yangtze is wider; a demo needs land).
    xs = np.linspace(cx - 4500, cx + 4500, 181)
    ys = cy - 150 + 320 * np.sin((xs - cx) / 1700 + phase[0]) + 0.08 * (xs - cx)
    centre = shapely.LineString(np.column_stack([xs, ys]))
    river = shapely.buffer(centre, 130, quad_segs=4)
    parts = [p for p in shapely.get_parts(shapely.difference(blob, river)) if p.area > 1e5]
    parts.sort(key=lambda p: -p.centroid.y)  # north bank first
    assert len(parts) == 2, "the river must cut the district into two banks"
    d.banks = parts
    d.river = river


def _lloyd_cells(bank: shapely.Geometry, n: int, rng: np.random.Generator) -> list:
    minx, miny, maxx, maxy = bank.bounds
    shapely.prepare(bank)
    pts = np.empty((0, 2))
    while len(pts) < n:
        cand = rng.uniform([minx, miny], [maxx, maxy], size=(n * 4, 2))
        cand = cand[shapely.contains_xy(bank, cand[:, 0], cand[:, 1])]
        pts = np.vstack([pts, cand])[:n]
    envelope = shapely.box(minx - 2000, miny - 2000, maxx + 2000, maxy + 2000)
    for _ in range(6):  # Lloyd relaxation: even, roughly convex cells like hand-drawn grids
        cells = _voronoi_clip(pts, bank, envelope)
        pts = shapely.get_coordinates(shapely.centroid(cells))
    return _voronoi_clip(pts, bank, envelope)


def _voronoi_clip(pts: np.ndarray, bank, envelope) -> np.ndarray:
    vor = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=envelope)
    cells = np.array(shapely.get_parts(vor))
    # voronoi_polygons does not keep the input order: match each cell to the seed it contains.
    order = np.empty(len(pts), dtype=int)
    for i, c in enumerate(cells):
        hit = np.flatnonzero(shapely.contains_xy(c, pts[:, 0], pts[:, 1]))
        order[hit[0]] = i
    return shapely.intersection(cells[order], bank)


def _single_polygons(cells: list) -> list:
    """Cells clipped to a concave bank can fall in pieces: give stray pieces to the neighbour
    that shares most of their boundary, so every grid is one polygon and the tiling is kept."""
    cells = list(cells)
    strays = []
    for i, c in enumerate(cells):
        if c.geom_type != "Polygon":
            parts = sorted(shapely.get_parts(c), key=lambda p: -p.area)
            cells[i] = parts[0]
            strays.extend(p for p in parts[1:] if p.area > 0)
    for piece in strays:
        shared = [shapely.length(shapely.intersection(piece.boundary, c.boundary)) for c in cells]
        k = int(np.argmax(shared))
        cells[k] = shapely.union(cells[k], piece)
    return cells


def _make_grids(d: DemoDistrict, rng: np.random.Generator) -> None:
    areas = np.array([b.area for b in d.banks])
    n_north = int(round(N_GRIDS * areas[0] / areas.sum()))
    counts = [n_north, N_GRIDS - n_north]
    all_cells, bank_of = [], []
    for b, (bank, n) in enumerate(zip(d.banks, counts)):
        cells = _single_polygons(_lloyd_cells(bank, n, rng))
        all_cells.extend(cells)
        bank_of.extend([b] * len(cells))
    cells = shapely.set_precision(np.array(all_cells, dtype=object), PRECISION_M)
    assert all(c.geom_type == "Polygon" for c in cells) and len(cells) == N_GRIDS
    assert shapely.coverage_is_valid(cells), "demo grids must tile without gaps or overlaps"
    d.district = shapely.MultiPolygon([shapely.coverage_union_all(cells[np.array(bank_of) == b]) for b in (0, 1)])
    bank_of = np.array(bank_of)
    cent = shapely.get_coordinates(shapely.centroid(cells))
    # Communities: k-means of grid centroids on each bank, named west to east.
    community_of = np.empty(N_GRIDS, dtype=int)
    offset = 0
    for b, bank_name in enumerate(("north", "south")):
        names = [i for i, c in enumerate(COMMUNITIES) if c[2] == bank_name]
        idx = np.flatnonzero(bank_of == b)
        _, labels = kmeans2(cent[idx], len(names), seed=int(rng.integers(1 << 30)), minit="++")
        centres = [cent[idx][labels == k, 0].mean() if (labels == k).any() else 1e12 for k in range(len(names))]
        rank = np.argsort(np.argsort(centres))
        community_of[idx] = [names[rank[lab]] for lab in labels]
        offset += len(names)
    # Grid numbers inside each community: north to south, then west to east, like a reading order.
    rows = []
    order = np.lexsort((cent[:, 0], -np.round(cent[:, 1] / 400)))
    counters: dict[int, int] = {}
    for i in order:
        c = community_of[i]
        counters[c] = counters.get(c, 0) + 1
        name, code, _ = COMMUNITIES[c]
        rows.append((i, dict(code=f"{code}-{counters[c]:02d}", name=f"{name}社区第{counters[c]}网格", community_index=int(c))))
    rows.sort(key=lambda r: (r[1]["community_index"], r[1]["code"]))
    d.grid_geoms = [cells[i] for i, _ in rows]
    d.grid_rows = [r for _, r in rows]


def _make_streets(d: DemoDistrict, rng: np.random.Generator, cx: float, cy: float) -> None:
    s = STREET_SPACING_M
    ni, nj = 80, 62  # lattice columns (west-east) and rows (south-north)
    ii, jj = np.meshgrid(np.arange(ni), np.arange(nj), indexing="ij")
    u = (ii - ni / 2) * s
    v = (jj - nj / 2) * s
    ang = math.radians(11)
    # A smooth warp bends the lattice into streets that follow the hillside, plus per-node jitter.
    x = cx + u * math.cos(ang) - v * math.sin(ang) + 35 * np.sin(v / 430) + rng.normal(0, 4, u.shape)
    y = cy + u * math.sin(ang) + v * math.cos(ang) + 30 * np.sin(u / 520) + rng.normal(0, 4, u.shape)
    land = shapely.buffer(d.district, 25)
    shapely.prepare(land)
    keep = shapely.contains_xy(land, x, y) & ~shapely.contains_xy(shapely.buffer(d.river, 8), x, y)
    node_id = -np.ones(keep.shape, dtype=int)
    node_id[keep] = np.arange(int(keep.sum()))
    xy = np.column_stack([x[keep], y[keep]])
    edges, klass, names = [], [], []
    river = d.river
    shapely.prepare(river)

    def line_name(kind: str, k: int) -> str:
        return MAIN_STREET_NAMES[(k // 5 + (0 if kind == "col" else 7)) % len(MAIN_STREET_NAMES)]

    for (di, dj, kind) in ((1, 0, "row"), (0, 1, "col")):
        a = node_id[: ni - di, : nj - dj]
        b = node_id[di:, dj:]
        ok = (a >= 0) & (b >= 0)
        for (i, j) in zip(*np.nonzero(ok)):
            line_index = j if kind == "row" else i
            main = line_index % 5 == 0
            secondary = not main and line_index % 5 == 3 and (i + j) % 2 == 0
            if not main and rng.random() < 0.13:
                continue  # a missing link makes blocks of different sizes
            edges.append((a[i, j], b[i, j]))
            klass.append("main" if main else ("secondary" if secondary else "minor"))
            base = line_name(kind, line_index)
            names.append(base if main else f"{base}{(line_index % 5)}支路")
    edges = np.array(edges)
    segs = shapely.linestrings(np.stack([xy[edges[:, 0]], xy[edges[:, 1]]], axis=1))
    wet = shapely.intersects(segs, river)
    edges = edges[~wet]
    klass = [k for k, w in zip(klass, wet) if not w]
    names = [n for n, w in zip(names, wet) if not w]
    # Bridges: three main-road columns continue across the river.
    bridge_cols = [ni // 2 - 20, ni // 2, ni // 2 + 15]
    for k, col in enumerate(bridge_cols):
        col -= col % 5
        ids = node_id[col]
        ys = y[col]
        north = [(ys[j], ids[j]) for j in range(nj) if ids[j] >= 0 and _bank_of(d, x[col, j], y[col, j]) == 0]
        south = [(ys[j], ids[j]) for j in range(nj) if ids[j] >= 0 and _bank_of(d, x[col, j], y[col, j]) == 1]
        if north and south:
            edges = np.vstack([edges, [[min(north)[1], max(south)[1]]]])
            klass.append("bridge")
            names.append(["万州长江一桥", "万州长江二桥", "驸马长江大桥"][k])
    # Keep the largest connected piece so every street is reachable.
    n = len(xy)
    g = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    main_label = np.bincount(labels[edges[:, 0]]).argmax()
    keep_e = labels[edges[:, 0]] == main_label
    edges = edges[keep_e]
    klass = [k for k, ok in zip(klass, keep_e) if ok]
    names = [nm for nm, ok in zip(names, keep_e) if ok]
    used = np.unique(edges)
    remap = -np.ones(n, dtype=int)
    remap[used] = np.arange(len(used))
    d.node_xy = xy[used]
    d.edges = remap[edges]
    d.edge_class = klass
    d.edge_name = names
    d.edge_oneway = _one_way_flags(d.edges, klass, rng)


def _bank_of(d: DemoDistrict, x: float, y: float) -> int:
    p = shapely.Point(x, y)
    dist = [b.distance(p) for b in d.banks]
    return int(np.argmin(dist))


def _one_way_flags(edges: np.ndarray, klass: list, rng: np.random.Generator) -> np.ndarray:
    """About 8% of minor streets are one-way, as long as every node can still reach every other."""
    n = int(edges.max()) + 1
    oneway = np.array([k == "minor" and rng.random() < 0.08 for k in klass])
    while True:
        src = np.concatenate([edges[:, 0], edges[~oneway, 1]])
        dst = np.concatenate([edges[:, 1], edges[~oneway, 0]])
        g = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
        ncomp, labels = connected_components(g, directed=True, connection="strong")
        if ncomp == 1:
            return oneway
        big = np.bincount(labels).argmax()
        bad = oneway & ((labels[edges[:, 0]] != big) | (labels[edges[:, 1]] != big))
        if not bad.any():
            return np.zeros(len(edges), dtype=bool)
        oneway[bad] = False


def _make_buildings(d: DemoDistrict, rng: np.random.Generator) -> None:
    """Building footprints in the street blocks: lots laid out by bilinear interpolation of each
    block's corners, so buildings follow the warped streets."""
    xy = d.node_xy
    # Blocks: for each node, the quad (n, right, right-up, up) when the lattice neighbours exist.
    # Recover neighbours geometrically: nearest node in the lattice directions.
    from scipy.spatial import cKDTree
    tree = cKDTree(xy)
    ang = math.radians(11)
    ex = np.array([math.cos(ang), math.sin(ang)]) * STREET_SPACING_M
    ey = np.array([-math.sin(ang), math.cos(ang)]) * STREET_SPACING_M
    quads = []
    for off in (ex, ey, ex + ey):
        dist, idx = tree.query(xy + off, distance_upper_bound=STREET_SPACING_M * 0.45)
        quads.append(np.where(np.isinf(dist), -1, idx))
    right, up, diag = quads
    ok = (right >= 0) & (up >= 0) & (diag >= 0)
    corners = np.stack([xy[ok], xy[right[ok]], xy[diag[ok]], xy[up[ok]]], axis=1)  # (nb, 4, 2)
    nb = len(corners)
    lots = 4
    parks = rng.random(nb) < 0.04
    keep_p = min(1.0, TARGET_BUILDINGS / max(1, (~parks).sum() * lots * lots) * 1.08)
    # Lot (a, b) of a block spans fractions [f0, f1] in both directions inside a 9 m street setback.
    edge = np.linspace(0.12, 0.88, lots + 1)
    polys, floors, kinds = [], [], []
    for a in range(lots):
        for b in range(lots):
            inset = rng.uniform(0.08, 0.22, size=(nb, 4))
            u0 = edge[a] + (edge[a + 1] - edge[a]) * inset[:, 0]
            u1 = edge[a + 1] - (edge[a + 1] - edge[a]) * inset[:, 1]
            v0 = edge[b] + (edge[b + 1] - edge[b]) * inset[:, 2]
            v1 = edge[b + 1] - (edge[b + 1] - edge[b]) * inset[:, 3]
            pts = [_bilinear(corners, uu, vv) for uu, vv in ((u0, v0), (u1, v0), (u1, v1), (u0, v1))]
            ring = np.stack(pts, axis=1)
            take = (~parks) & (rng.random(nb) < keep_p)
            polys.append(ring[take])
            floors.append(rng.choice([2, 3, 5, 6, 7, 9, 11, 18, 26, 32], size=int(take.sum()),
                                     p=[.08, .1, .12, .2, .16, .1, .1, .07, .04, .03]))
            kinds.append(np.where(rng.random(int(take.sum())) < 0.15, "commercial", "residential"))
    ring = np.concatenate(polys)
    fl = np.concatenate(floors)
    kd = np.concatenate(kinds)
    geoms = shapely.polygons(ring)
    district = d.district
    shapely.prepare(district)
    inside = shapely.contains(district, geoms)
    d.buildings = geoms[inside]
    d.building_floors = fl[inside]
    d.building_kind = list(kd[inside])
    d.water = [("长江", "river", d.river)]
    # Two ponds in park blocks.
    for k, i in enumerate(np.flatnonzero(parks)[:2]):
        c = corners[i].mean(axis=0)
        pond = shapely.buffer(shapely.Point(c), 22, quad_segs=6)
        if shapely.contains(district, pond):
            d.water.append((f"公园水塘{k + 1}", "pond", pond))


def _bilinear(corners: np.ndarray, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    p0, p1, p2, p3 = corners[:, 0], corners[:, 1], corners[:, 2], corners[:, 3]
    u = u[:, None]
    v = v[:, None]
    return (1 - u) * (1 - v) * p0 + u * (1 - v) * p1 + u * v * p2 + (1 - u) * v * p3


# --- people, cameras, history ----------------------------------------------------------------------

def _person_names(rng: np.random.Generator, n: int) -> list[str]:
    """n different names (a roster names each member of a team once)."""
    sur = rng.integers(0, len(SURNAMES), n)
    out: list[str] = []
    for i in range(n):
        while True:
            if rng.random() < 0.5:
                name = SURNAMES[sur[i]] + GIVEN[rng.integers(len(GIVEN))]
            else:
                name = SURNAMES[sur[i]] + GIVEN[rng.integers(len(GIVEN))] + GIVEN[rng.integers(len(GIVEN))]
            if name not in out:
                break
        out.append(name)
    return out


def _roster(kind: str, records: list[dict]) -> tuple[list[str], list[list]]:
    """Rows as an office's roster file would hold them: the template's Chinese headers, one row each."""
    fields = ROSTERS[kind].fields
    return [f.zh for f in fields], [[rec.get(f.key) for f in fields] for rec in records]


def _write(store: Store, d: DemoDistrict, rng: np.random.Generator, report) -> None:
    """Everything an office would import, written through the import services (data/district), then
    the history an office would have accumulated (fixes and cases)."""
    proj = d.projection
    to_store = proj.to_store
    with store.engine.begin() as conn:
        conn.execute(insert(m.District), [dict(id=1, name="万州区高笋塘街道（演示）", geom=to_store(d.district))])
        import_roster_rows(conn, store, "staff", *_roster("staff", [dict(name=n, role=r) for n, r in STAFF]), file_name="staff.xlsx")
        effective = (d.until - timedelta(days=400)).replace(hour=16, minute=0, second=0, microsecond=0)
        community_of = [f"{COMMUNITIES[int(r['community_index'])][0]}社区" for r in d.grid_rows]
        write_grid_set(conn, store, codes=[r["code"] for r in d.grid_rows], names=[r["name"] for r in d.grid_rows],
                       communities=community_of, geoms=np.array(d.grid_geoms, dtype=object), publish=True, at=effective,
                       effective_from=effective, name="2025年网格划分", note="演示区初始网格",
                       community_codes={f"{n}社区": c for n, c, _ in COMMUNITIES})

        # Teams and members.
        grid_codes = [r["code"] for r in d.grid_rows]
        n_grid = len(grid_codes)
        teams, members, devices = [], [], []
        team_counter: dict[str, int] = {}
        for kind, (size, modes, start, end) in TEAM_PLAN.items():
            people = DISTRICT_HEADCOUNT[kind]
            n_teams = int(math.ceil(people / size))
            sizes = [size] * n_teams
            sizes[-1] = people - size * (n_teams - 1)
            mode_names, mode_p = list(modes), np.array(list(modes.values()))
            for k in range(n_teams):
                team_counter[kind] = team_counter.get(kind, 0) + 1
                tid = len(teams) + 1
                if kind in ("grid_worker", "mediator"):
                    home = grid_codes[k % n_grid]
                else:
                    home = grid_codes[int(rng.integers(n_grid))]
                grid_name = d.grid_rows[grid_codes.index(home)]["name"].replace("社区第", "").replace("网格", "")
                name = KIND_TEAM_NAME[kind].format(n=team_counter[kind], grid=f"{grid_name}网格")
                code = f"{KIND_PREFIX[kind]}{team_counter[kind]:03d}"
                teams.append(dict(id=tid, code=code, name=name, kind=kind,
                                  transport=str(rng.choice(mode_names, p=mode_p / mode_p.sum())), home_grid_code=home,
                                  duty_start_min=f"{start // 60:02d}:{start % 60:02d}", duty_end_min=f"{end // 60:02d}:{end % 60:02d}"))
                names = _person_names(rng, sizes[k])
                for j, pname in enumerate(names):
                    members.append(dict(team=code, name=pname, phone=f"1{rng.integers(30, 99)}{rng.integers(10**7, 10**8)}",
                                        role="leader" if j == 0 else "member"))
                devices.append(dict(device_id=f"86{tid:013d}", team=code, team_id=tid))
        import_roster_rows(conn, store, "teams", *_roster("teams", teams), file_name="teams.xlsx", at=d.until)
        import_roster_rows(conn, store, "members", *_roster("members", members), file_name="members.xlsx")
        import_roster_rows(conn, store, "devices", *_roster("devices", devices), file_name="devices.xlsx",
                           bound_at=d.until - timedelta(days=200))
        for t in teams:  # the schedule as minutes again, for the history below
            t["duty_start_min"], t["duty_end_min"] = (int(v[:2]) * 60 + int(v[3:]) for v in (t["duty_start_min"], t["duty_end_min"]))
        report("streets and buildings", 0.65)
        seg_geoms = shapely.linestrings(np.stack([d.node_xy[d.edges[:, 0]], d.node_xy[d.edges[:, 1]]], axis=1))
        n_seg = len(d.edges)
        write_streets(conn, store, StreetNetwork(d.node_xy, d.edges[:, 0], d.edges[:, 1], seg_geoms, list(d.edge_name),
                                                 list(d.edge_class), np.asarray(d.edge_oneway, bool), np.ones(n_seg, bool),
                                                 np.ones(n_seg, bool), np.ones(n_seg, bool)))
        write_buildings(conn, store, d.buildings, [int(f) for f in d.building_floors], list(d.building_kind))
        write_water(conn, store, [(shapely.MultiPolygon([g]) if g.geom_type == "Polygon" else g, n, k) for n, k, g in d.water])
        report("cameras", 0.75)
        cams = _cameras(d, rng)
        lonlat = [(g.x, g.y) for g in (c.pop("geom") for c in cams)]
        for c, (lon, lat) in zip(cams, lonlat):
            c["lon"], c["lat"] = lon, lat
        import_roster_rows(conn, store, "cameras", *_roster("cameras", cams), file_name="cameras.xlsx")
        report("fixes", 0.8)
        team_xy = _recent_fixes(conn, d, rng, teams, devices)
        report("twelve months of cases", 0.85)
        _history(conn, d, rng, teams, team_xy)


def _bulk_insert_geoms(conn, model, geoms, rows: list[dict]) -> None:
    for row, g in zip(rows, geoms):
        row["geom"] = g
    conn.execute(insert(model), rows)


def _cameras(d: DemoDistrict, rng: np.random.Generator) -> list[dict]:
    xy, edges = d.node_xy, d.edges
    n = len(xy)
    degree = np.bincount(edges.ravel(), minlength=n)
    on_main = np.zeros(n, dtype=bool)
    for (a, b), k in zip(edges, d.edge_class):
        if k in ("main", "bridge", "secondary"):
            on_main[a] = on_main[b] = True
    w = degree.astype(float) ** 2 * np.where(on_main, 4.0, 1.0)
    w[~shapely.contains_xy(d.district, xy[:, 0], xy[:, 1])] = 0.0  # a camera list holds the jurisdiction's own
    chosen = rng.choice(n, size=N_CAMERAS, replace=False, p=w / w.sum())
    neighbours: dict[int, list[int]] = {}
    for (a, b) in edges:
        neighbours.setdefault(int(a), []).append(int(b))
        neighbours.setdefault(int(b), []).append(int(a))
    hd = np.zeros(N_CAMERAS, dtype=bool)
    hd[rng.choice(N_CAMERAS, N_HD, replace=False)] = True
    street_of = {}
    for i, (a, b) in enumerate(edges):
        street_of.setdefault(int(a), d.edge_name[i])
    rows = []
    pts = d.projection.to_store(shapely.points(xy[chosen]))
    statuses = ["online"] * N_CAMERAS
    for k in rng.choice(N_CAMERAS, 7, replace=False)[:5]:
        statuses[k] = "offline"
    for k in rng.choice(N_CAMERAS, 2, replace=False):
        statuses[k] = "fault"
    for k, node in enumerate(chosen):
        target = xy[rng.choice(neighbours[int(node)])]
        dx, dy = target - xy[node]
        heading = (math.degrees(math.atan2(dx, dy)) + rng.normal(0, 6)) % 360
        rows.append(dict(id=k + 1, code=f"TW{k + 1:04d}", name=f"{street_of.get(int(node), '路口')}{k + 1}号点位",
                         hd=bool(hd[k]), heading_deg=round(float(heading), 1),
                         fov_deg=float(rng.choice([90.0, 100.0]) if hd[k] else rng.choice([60.0, 70.0])),
                         range_m=float(rng.choice([90.0, 110.0]) if hd[k] else rng.choice([50.0, 60.0])),
                         stream_url=f"rtsp://tianwang.local/live/TW{k + 1:04d}" if hd[k] else None,
                         status=statuses[k], geom=pts[k]))
    return rows


def _grid_nodes(d: DemoDistrict) -> dict[str, np.ndarray]:
    out = {}
    for r, g in zip(d.grid_rows, d.grid_geoms):
        out[r["code"]] = np.flatnonzero(shapely.contains_xy(g, d.node_xy[:, 0], d.node_xy[:, 1]))
    return out


def _recent_fixes(conn, d: DemoDistrict, rng: np.random.Generator, teams: list[dict], devices: list[dict]) -> dict[int, np.ndarray]:
    """The last 15 minutes of fixes for teams on duty at `until`: random walks along the streets at
    their transport's speed, one fix every 10 s (as Traccar Client sends) with GPS noise. Returns
    each team's last position."""
    from data.domain import TRANSPORT_SPEED_MPS
    grid_nodes = _grid_nodes(d)
    xy, edges = d.node_xy, d.edges
    nbrs: dict[int, list[int]] = {}
    for a, b in edges:
        nbrs.setdefault(int(a), []).append(int(b))
        nbrs.setdefault(int(b), []).append(int(a))
    from data.demo.patrol import not_out_team
    local = d.until.astimezone(LOCAL_TZ)
    rows, last = [], {}
    not_out = not_out_team([t["code"] for t in teams if t["kind"] == "patrol_volunteer"], d.until)
    for team, dev in zip(teams, devices):
        nodes = grid_nodes.get(team["home_grid_code"])
        if nodes is None or len(nodes) == 0:
            continue
        start = int(rng.choice(nodes))
        if not on_duty(team["duty_start_min"], team["duty_end_min"], local):
            continue
        speed = TRANSPORT_SPEED_MPS[team["transport"]] * rng.uniform(0.5, 0.9)  # patrols dawdle
        path = [start]
        total = 0.0
        steps, every = 91, 10  # 15 minutes at 10 s
        while total < speed * (steps - 1) * every + 1:
            nxt = int(rng.choice(nbrs[path[-1]]))
            if len(path) > 1 and nxt == path[-2] and len(nbrs[path[-1]]) > 1:
                continue
            total += float(np.hypot(*(xy[nxt] - xy[path[-1]])))
            path.append(nxt)
        line = shapely.LineString(xy[path])
        dists = np.arange(steps) * speed * every
        pos = shapely.get_coordinates(shapely.line_interpolate_point(line, dists)) + rng.normal(0, 4, (steps, 2))
        lon, lat = d.projection.xy_to_lonlat(pos[:, 0], pos[:, 1])
        # Not out (data/demo/patrol.py): its walk is still drawn, so the random stream of every later team stays.
        for k in range(steps if team["code"] != not_out else 0):
            t = d.until - timedelta(seconds=every * (steps - 1 - k))
            rows.append(dict(device_id=dev["device_id"], team_id=team["id"], t=t, lon=round(float(lon[k]), 7),
                             lat=round(float(lat[k]), 7), speed_mps=round(speed, 2), heading_deg=None,
                             accuracy_m=round(float(rng.uniform(3, 15)), 1), battery_pct=float(rng.integers(20, 100)),
                             received_at=t + timedelta(seconds=1)))
        last[team["id"]] = pos[-1]
    conn.execute(insert(m.Fix), rows)
    return last


def _history(conn, d: DemoDistrict, rng: np.random.Generator, teams: list[dict], team_xy: dict) -> None:
    """Twelve months of incidents with their case events up to `until`."""
    start = d.until - timedelta(days=365)
    grid_codes = [r["code"] for r in d.grid_rows]
    community_of = np.array([r["community_index"] for r in d.grid_rows])
    grid_nodes = _grid_nodes(d)
    yuan = [i for i, (n, _, _) in enumerate(COMMUNITIES) if n == "玉安"][0]
    teams_by_kind: dict[str, list[dict]] = {}
    for t in teams:
        teams_by_kind.setdefault(t["kind"], []).append(t)
    dispatchers = [n for n, r in STAFF if r == "dispatcher"]
    verifiers = [n for n, r in STAFF if r in ("dispatcher", "supervisor")]
    hour_w = np.array([1, .5, .4, .3, .3, .5, 1.2, 2.5, 4, 5, 5.5, 5, 4.5, 4.5, 5, 5, 5, 5, 4.5, 4, 3.5, 3, 2, 1.5])
    hour_w /= hour_w.sum()
    subcats: dict[str, list[str]] = {}
    for code in SUBCATEGORIES:
        subcats.setdefault(code.split(".")[0], []).append(code)
    items = []
    for cat, per_year in YEARLY_INCIDENTS.items():
        n = per_year
        days = rng.integers(0, 365, n)
        hours = rng.choice(24, size=n, p=hour_w)
        secs = rng.integers(0, 3600, n)
        for k in range(n):
            local_day = (start.astimezone(LOCAL_TZ) + timedelta(days=int(days[k]))).replace(hour=0, minute=0, second=0, microsecond=0)
            t0 = (local_day + timedelta(hours=int(hours[k]), seconds=int(secs[k]))).astimezone(timezone.utc)
            if t0 > d.until or t0 < start:
                continue
            sub = str(rng.choice(subcats[cat]))
            items.append((t0, cat, sub))
    # A few more in the last hours so the live board has work on it.
    for k in range(9):
        t0 = d.until - timedelta(minutes=int(rng.integers(2, 240)))
        cat = str(rng.choice(list(YEARLY_INCIDENTS)))
        items.append((t0, cat, str(rng.choice(subcats[cat]))))
    items.sort(key=lambda it: (it[0], it[2]))
    grid_w = np.ones(len(grid_codes))
    grid_w_burglary = np.where(community_of == yuan, 10.0, 1.0)
    incidents, events = [], []
    day_counter: dict[str, int] = {}
    pts_xy = []
    for iid, (t0, cat, sub) in enumerate(items, start=1):
        w = grid_w_burglary if sub == "public_order.burglary" else grid_w
        gi = int(rng.choice(len(grid_codes), p=w / w.sum()))
        code = grid_codes[gi]
        nodes = grid_nodes[code]
        if len(nodes):
            p = d.node_xy[int(rng.choice(nodes))] + rng.normal(0, 18, 2)
            if not shapely.contains_xy(d.grid_geoms[gi], p[0], p[1]):
                p = d.node_xy[int(rng.choice(nodes))]
        else:
            p = np.array(shapely.point_on_surface(d.grid_geoms[gi]).coords[0])
        pts_xy.append(p)
        prio, source = pick_priority(rng, sub), pick_source(rng)
        day = t0.astimezone(LOCAL_TZ).strftime("%Y%m%d")
        day_counter[day] = day_counter.get(day, 0) + 1
        case_no = f"ZGL-{day}-{day_counter[day]:04d}"
        incidents.append(dict(id=iid, case_no=case_no, category=cat, subcategory=sub, priority=prio, source=source,
                              description=SUBCATEGORIES[sub].zh, reporter=None, contact=None, reported_at=t0,
                              grid_code=code, community_id=int(community_of[gi]) + 1, duplicate_of=None))
        events.extend(_case_events(iid, t0, cat, prio, source, code, rng, teams_by_kind, dispatchers, verifiers, d.until))
    geoms = d.projection.to_store(shapely.points(np.array(pts_xy)))
    for row, g in zip(incidents, geoms):
        row["geom"] = g
    conn.execute(insert(m.Incident), incidents)
    conn.execute(insert(m.CaseEvent), events)


URGENT_TYPES = ("traffic.collision", "traffic.ebike_collision", "public_order.fight", "municipal.water_pipe")
SOURCE_MIX = (["camera", "hotline", "grid_worker", "patrol", "walk_in", "other"], [0.18, 0.3, 0.3, 0.12, 0.08, 0.02])
SOURCE_ACTOR = {"camera": "天网值守", "hotline": "12345热线", "grid_worker": "网格员", "patrol": "巡逻队",
                "walk_in": "来访群众", "other": "其他"}


def pick_category(rng: np.random.Generator) -> tuple[str, str]:
    """A category and type in the district's yearly mix."""
    from data.ledgers.people import ESCALATION_SUBCATEGORY
    cats = list(YEARLY_INCIDENTS)
    w = np.array([YEARLY_INCIDENTS[c] for c in cats], float)
    cat = str(rng.choice(cats, p=w / w.sum()))
    # Out-of-supervision cases come from the ledgers' escalation, not from the district's random mix.
    subs = [c for c in SUBCATEGORIES if c.startswith(cat + ".") and c != ESCALATION_SUBCATEGORY]
    return cat, str(rng.choice(subs))


def pick_priority(rng: np.random.Generator, sub: str) -> str:
    if sub in URGENT_TYPES:
        return "urgent" if rng.random() < 0.6 else "high"
    return str(rng.choice(["urgent", "high", "normal", "low"], p=[0.06, 0.16, 0.63, 0.15]))


def pick_source(rng: np.random.Generator) -> str:
    return str(rng.choice(SOURCE_MIX[0], p=SOURCE_MIX[1]))


def _case_events(iid, t0, cat, prio, source, grid_code, rng, teams_by_kind, dispatchers, verifiers, until) -> list[dict]:
    """One case's plausible life: most stages well inside their limits, a few overdue, some voided,
    some sent back for rework; events after `until` are not written (the case is still open)."""
    limits = STAGE_LIMIT_MIN[prio]

    def dur(stage: str) -> timedelta:
        lim = limits[stage]
        frac = rng.beta(2, 5) if rng.random() > 0.06 else rng.uniform(1.05, 2.5)  # ~6% overdue
        return timedelta(minutes=max(0.5, lim * frac))

    out = []
    state = {"t": t0, "stage": None}

    def add(to, actor, t, team_id=None, result=None, note="", action=None):
        if t > until:
            return False
        out.append(dict(incident_id=iid, t=t, actor=actor, action=action or to, from_stage=state["stage"], to_stage=to,
                        team_id=team_id, result=result, note=note))
        state["t"], state["stage"] = t, to
        return True

    reporter = SOURCE_ACTOR[source]
    dispatcher = str(rng.choice(dispatchers))
    if not add("reported", reporter, t0, action="report"):
        return out
    if rng.random() < 0.025:
        add("voided", dispatcher, t0 + dur("reported"), note="重复或不属实", action="void")
        return out
    if not add("accepted", dispatcher, state["t"] + dur("reported"), action="accept"):
        return out
    kinds = SUITABLE_KINDS[cat]
    pool = [t for k in kinds for t in teams_by_kind.get(k, []) if t["home_grid_code"] == grid_code] or teams_by_kind[kinds[0]]
    team = pool[int(rng.integers(len(pool)))]
    if not add("dispatched", dispatcher, state["t"] + dur("accepted"), team_id=team["id"], action="dispatch"):
        return out
    if not add("on_scene", team["name"], state["t"] + dur("dispatched"), team_id=team["id"], action="arrive"):
        return out
    result = ("mediated" if rng.random() < 0.98 else "not_mediated") if cat == "dispute" else "done"
    if not add("resolved", team["name"], state["t"] + dur("on_scene"), team_id=team["id"], result=result, action="resolve"):
        return out
    verifier = str(rng.choice(verifiers))
    if rng.random() < 0.04:
        if not add("rework", verifier, state["t"] + dur("resolved"), note="处置不到位，返工", action="send_back"):
            return out
        if not add("resolved", team["name"], state["t"] + dur("rework"), team_id=team["id"], result=result, action="resolve"):
            return out
    if not add("verified", verifier, state["t"] + dur("resolved"), action="verify"):
        return out
    add("closed", dispatcher, state["t"] + timedelta(minutes=float(rng.uniform(5, 240))), action="close")
    return out


def write_demo_accounts(store: Store, at: datetime) -> None:
    """The demo's accounts, created through the accounts service as an office's administrator would."""
    from data.accounts import add_account, create_first_administrator, sign_out
    admin = create_first_administrator(store, DEMO_ADMIN, "管理员", DEMO_PASSWORD, at=at)
    for name, role in STAFF:
        add_account(store, admin, name, name, DEMO_PASSWORD, DEMO_EXTRA_ROLES.get(name, (role,)), at=at, must_change=False)
    add_account(store, admin, DEMO_VIEWER, DEMO_VIEWER, DEMO_PASSWORD, ("viewer",), at=at, must_change=False)
    sign_out(admin)
