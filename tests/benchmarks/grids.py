"""Grid validation figures: the demo's 101 grids, and a synthetic set of 10,000 grids."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import shapely


def run(store_path: Path, line) -> None:
    from data.grids import sets as G
    from data.snapshot import grid_set_in_force
    from data.store.core import open_store
    print("\nGrid validation")
    store = open_store(store_path)
    gs = grid_set_in_force(store)
    data = G.load_grid_set(store, gs.id)
    district = G.district_geometry(store)
    store.close()
    ts = []
    for _ in range(10):
        t = time.perf_counter()
        problems = G.validate(data.codes, data.geoms, district)
        ts.append((time.perf_counter() - t) * 1000)
    line("validate demo (101 grids)", f"median {np.median(ts):6.1f} ms  ({len(problems)} problems)", "≤ 100 ms")
    # 10,000 Voronoi cells tiling a 20 km square.
    rng = np.random.default_rng(4)
    pts = rng.uniform(0, 20000, (10000, 2))
    box = shapely.box(0, 0, 20000, 20000)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=box))
    cells = shapely.set_precision(shapely.intersection(cells, box), 0.01)
    codes = [f"S{i:05d}" for i in range(len(cells))]
    ts = []
    for _ in range(3):
        t = time.perf_counter()
        problems = G.validate(codes, cells, box, G.ValidationSettings(area_min_m2=1000, area_max_m2=1e7))
        ts.append((time.perf_counter() - t) * 1000)
    line(f"validate synthetic ({len(cells):,} grids)", f"median {np.median(ts):6.0f} ms  ({len(problems)} problems)", "≤ 2 s")
