"""Recommendation figures: ranking teams by road travel time on the demo district, and on a
synthetic city (>= 50,000 street nodes, >= 2,000 teams) against networkx's Dijkstra on the same
graph in the same run."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import numpy as np
import shapely


def _pct(ms: list[float]) -> str:
    a = np.array(ms)
    return f"p50 {np.percentile(a, 50):6.2f} ms   p95 {np.percentile(a, 95):6.2f} ms  (n={len(a)})"


def demo_district(store_path: Path, line) -> None:
    from data.routing.recommender import Recommender
    from data.snapshot import busy_teams, latest_fixes, load_grids
    from data.store.core import open_store
    store = open_store(store_path)
    t = time.perf_counter()
    rec = Recommender(store)
    build_ms = (time.perf_counter() - t) * 1000
    grids = load_grids(store)
    rng = np.random.default_rng(3)
    fixes = latest_fixes(store)
    now = max(f.t for f in fixes.values()) + timedelta(seconds=30)
    positions = {}
    for tid, f in fixes.items():
        x, y = store.projection.lonlat_to_xy(f.lon, f.lat)
        positions[tid] = (float(x), float(y), f.t)
    busy = busy_teams(store, now)
    cats = ["dispute", "public_order", "traffic", "sanitation", "fire"]
    in_memory, with_reads = [], []
    for k in range(200):
        g = grids.geoms[int(rng.integers(len(grids)))]
        p = shapely.point_on_surface(g)
        code = grids.column("code")[list(grids.geoms).index(g)]
        t = time.perf_counter()
        rec.recommend(p.x, p.y, cats[k % 5], code, now, positions=positions, busy=busy)
        in_memory.append((time.perf_counter() - t) * 1000)
        if k < 40:
            t = time.perf_counter()
            rec.recommend(p.x, p.y, cats[k % 5], code, now)
            with_reads.append((time.perf_counter() - t) * 1000)
    store.close()
    line("graph and index build (once)", f"{build_ms:6.0f} ms")
    line("recommend, demo (console: positions in memory)", _pct(in_memory), "p95 ≤ 10 ms")
    line("recommend, demo (CLI: reading fixes and cases)", _pct(with_reads))


def synthetic_city(line, side: int = 230, n_teams: int = 2000) -> None:
    import networkx as nx
    from data.routing.recommender import RoadGraph
    rng = np.random.default_rng(8)
    ii, jj = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
    xy = np.column_stack([(ii * 80 + rng.normal(0, 6, ii.shape)).ravel(), (jj * 80 + rng.normal(0, 6, ii.shape)).ravel()])
    idx = np.arange(side * side).reshape(side, side)
    a = np.concatenate([idx[:-1, :].ravel(), idx[:, :-1].ravel()])
    b = np.concatenate([idx[1:, :].ravel(), idx[:, 1:].ravel()])
    keep = rng.random(len(a)) > 0.08
    a, b = a[keep], b[keep]
    oneway = rng.random(len(a)) < 0.05
    geoms = shapely.linestrings(np.stack([xy[a], xy[b]], axis=1))
    t = time.perf_counter()
    graph = RoadGraph(xy, a, b, shapely.length(geoms), oneway, geoms)
    build_ms = (time.perf_counter() - t) * 1000
    teams = xy[rng.integers(0, len(xy), n_teams)] + rng.normal(0, 20, (n_teams, 2))
    speeds = rng.choice([1.3, 4.0, 8.0], n_teams)
    ours, theirs = [], []
    G = nx.DiGraph()
    for u, v, w, ow in zip(a.tolist(), b.tolist(), graph.length.tolist(), oneway.tolist()):
        G.add_edge(u, v, weight=w)
        if not ow:
            G.add_edge(v, u, weight=w)
    R = G.reverse(copy=True)
    for k in range(25):
        target = xy[int(rng.integers(len(xy)))] + rng.normal(0, 15, 2)
        t = time.perf_counter()
        snap_t = graph.snap(*target)
        dist = graph.distances_to(snap_t, "car")
        arr = graph.snap_arrays(teams)
        road = graph.distances_from_many(arr, dist, snap_t)
        np.argsort(road / speeds)
        ours.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        la = nx.single_source_dijkstra_path_length(R, snap_t.a, weight="weight")
        lb = nx.single_source_dijkstra_path_length(R, snap_t.b, weight="weight")
        for b_node in arr["b"].tolist():
            min(la.get(b_node, np.inf), lb.get(b_node, np.inf))
        theirs.append((time.perf_counter() - t) * 1000)
    line(f"synthetic city: {len(xy):,} nodes, {len(a):,} segments, {n_teams:,} teams", f"graph build {build_ms:.0f} ms")
    line("recommend, synthetic (scipy csgraph)", _pct(ours), "p95 ≤ 50 ms")
    line("networkx Dijkstra on the same graph", _pct(theirs))
    line("  ours / networkx (median)", f"{np.median(ours) / np.median(theirs):.2f}")


def run(store_path: Path, line) -> None:
    print("\nDispatch recommendation (rank teams by road travel time)")
    demo_district(store_path, line)
    synthetic_city(line)
