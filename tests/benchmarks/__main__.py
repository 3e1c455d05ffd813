"""GridWatch benchmarks: figures, not pass/fail.  Run with `./dev.sh bench` (or python -m tests.benchmarks).

On the demo district at 1600x1000: full redraw, pan repaint, zoom repaint, 900 teams moved plus
repaint, cold start to first paint and peak RSS; importing a 250,000-way OSM extract and the map on
an imported real district (tests/benchmarks/district.py). When QGIS's Python is installed (python3-qgis), the
same GeoPackage is rendered with QgsMapRendererParallelJob in a subprocess and the ratio printed.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import shapely  # noqa: E402

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
W, H = 1600, 1000
TARGETS = {"pan repaint": 16.0, "zoom repaint": 16.0, "900 teams moved + repaint": 8.0, "cold start": 3000.0,
           "peak RSS": 600.0, "demo generation": 10000.0}


def stats(ms: list[float]) -> str:
    a = np.array(ms)
    return f"median {np.median(a):7.1f} ms   p95 {np.percentile(a, 95):7.1f} ms   (n={len(a)})"


def line(name: str, text: str, target: str = "") -> None:
    print(f"  {name:<34} {text}{('   target ' + target) if target else ''}")


def main() -> int:
    from console.app import make_app
    from console.main_window import MainWindow
    from console.map_canvas import render_map_image
    from data.demo.generator import generate_demo
    from data.snapshot import FeatureTable
    from layers.model import ViewState
    from layers.patrols import TeamLayer

    print(f"GridWatch benchmarks — {W}x{H}, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    work = Path(tempfile.mkdtemp(prefix="gw-bench-"))
    store_path = work / "demo.gpkg"
    t0 = time.perf_counter()
    store = generate_demo(store_path, seed=7, until=datetime.now(timezone.utc).replace(second=0, microsecond=0))
    gen_ms = (time.perf_counter() - t0) * 1000
    print("\nDemo district")
    line("demo generation", f"{gen_ms / 1000:.2f} s", "≤ 10 s")

    make_app()
    win = MainWindow(store, "zh_CN", ask_sign_in=False)
    win.resize(W, H)
    win.show()
    win.wait_ready()
    canvas = win.canvas
    canvas.resize(W, H)  # measure the map itself at 1600x1000
    canvas.wait_rendered()
    home = canvas.view()
    grids = canvas.layer("grids").features
    zoom_centre = shapely.centroid(grids.geoms[len(grids) // 2])
    views = {"district": ViewState(home.cx, home.cy, home.resolution, W, H),
             "street names (1.6 m/px)": ViewState(zoom_centre.x, zoom_centre.y, 1.6, W, H),
             "zoomed in (buildings on)": ViewState(zoom_centre.x, zoom_centre.y, 0.8, W, H)}

    # The layers QGIS draws too (its job has no live trails or team markers), from our painters.
    compared = [lyr for lyr in canvas.layers if lyr.name not in ("trails", "teams", "district", "import_preview")]

    def full_redraw(view: ViewState) -> float:
        t = time.perf_counter()
        render_map_image(compared, canvas.layer_painters, view)
        return (time.perf_counter() - t) * 1000

    print("\nMap (antialiased; full redraw: the layers QGIS draws too, labels included)")
    ours = {}
    for name, view in views.items():
        full_redraw(view)  # builds the Qt geometry once, as the first paint does
        ours[name] = [full_redraw(view) for _ in range(15)]
        line(f"full redraw, {name}", stats(ours[name]), "≤ ½ QGIS")

    from tests.benchmarks.mapping import pan_repaints, zoom_repaints
    line("pan repaint", stats(pan_repaints(canvas, home)), "≤ 16 ms median")
    line("zoom repaint (preview)", stats(zoom_repaints(canvas, home, W, H)), "≤ 16 ms median")
    settle = []
    for k in range(10):
        canvas.set_view(home.cx, home.cy, home.resolution * (0.5 if k % 2 else 0.4))
        t = time.perf_counter()
        canvas.wait_rendered()
        canvas.repaint()
        settle.append((time.perf_counter() - t) * 1000)
    line("zoom settled (worker re-render)", stats(settle))

    # 900 teams moving at once: synthetic teams spread over the district.
    rng = np.random.default_rng(1)
    minx, miny, maxx, maxy = canvas.home_extent
    n = 900
    xs, ys = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    kinds = ["patrol_volunteer", "property_security", "compound_guard",
             "cleaner", "grid_worker", "volunteer", "mediator"]
    statuses = ["available", "dispatched", "on_scene", "offline"]
    feats = FeatureTable(shapely.points(xs, ys), {"id": list(range(1, n + 1)), "kind": [kinds[i % 7] for i in range(n)],
                                                  "status": [statuses[i % 4] for i in range(n)]})
    teams = TeamLayer(feats)
    layers = [lyr for lyr in canvas.layers if lyr.name != "teams"] + [teams]
    canvas.set_layers(layers)
    canvas.set_view(home.cx, home.cy, home.resolution, render_now=True)
    canvas.wait_rendered()
    moved = []
    ids = np.arange(1, n + 1)
    for frame in range(60):
        xs += rng.normal(0, 4, n)
        ys += rng.normal(0, 4, n)
        t = time.perf_counter()
        canvas.move_teams(ids, xs, ys)
        canvas.flush_moves()  # the frame timer's coalesced repaint, issued now
        canvas.repaint()
        moved.append((time.perf_counter() - t) * 1000)
    line("900 teams moved + repaint", stats(moved), "≤ 8 ms median")
    t_paint = []
    for frame in range(30):
        t = time.perf_counter()
        canvas.repaint()
        t_paint.append((time.perf_counter() - t) * 1000)
    line("  of which a full-window repaint", stats(t_paint))
    win.close()
    store.close()

    print("\nStart-up (a fresh process)")
    t0 = time.time()
    r = subprocess.run([sys.executable, "-m", "tests.benchmarks.coldstart", str(store_path)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    if r.returncode == 0:
        res = json.loads(r.stdout.strip().splitlines()[-1])
        line("cold start to first paint", f"{(res['first_paint'] - t0) * 1000:7.0f} ms", "≤ 3 s")
        line("peak RSS (after zooming)", f"{res['peak_rss_mb']:7.0f} MB", "≤ 600 MB")
    else:
        line("cold start", "failed: " + r.stderr.strip().splitlines()[-1])

    from tests.benchmarks import dispatch, grids, indicators, ingest, office, patrol, replay, rota, soak
    # The district figures in a process of their own: their window and imports would count in the
    # replay benchmark's peak memory otherwise.
    r = subprocess.run([sys.executable, "-m", "tests.benchmarks.district"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    print(r.stdout.rstrip() if r.returncode == 0 else "\nA real office's district: failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
    ingest.run(store_path, line)
    soak.run(store_path, line, float(os.environ.get("BENCH_SOAK_S", "20")))  # the feed against floods and busy writers
    dispatch.run(store_path, line)
    grids.run(store_path, line)
    replay.run(store_path, line)
    patrol.run(store_path, line)
    rota.run(store_path, line)
    indicators.run(store_path, line)
    office.run(store_path, line)  # PostgreSQL beside the embedded store (skipped, saying why, without a server)

    print("\nQGIS comparison (QgsMapRendererParallelJob, same GeoPackage, same extents, antialiased)")
    from layers.qgis.runner import qgis_python, run_script
    exe = qgis_python()
    if exe is None:
        line("QGIS", "skipped: QGIS's Python (python3-qgis) is not installed")
        return 0
    from data.geo import Projection
    proj = Projection(4545)
    q_views = []
    for name, v in views.items():
        x0, y0, x1, y1 = v.world_rect
        lon, lat = proj.xy_to_lonlat(np.array([x0, x1]), np.array([y0, y1]))
        # Our buildings appear from 1.6 m/px; QGIS gets the same scale limit so both draw the same features.
        q_views.append({"name": name, "extent": [float(lon[0]), float(lat[0]), float(lon[1]), float(lat[1])],
                        "buildings_max_scale": 1.6 / (0.0254 / 96)})
    r = run_script(HERE / "qgis_render.py", str(store_path), str(W), str(H), "10", json.dumps(q_views), timeout=600)
    if r.returncode != 0:
        line("QGIS", "failed: " + (r.stderr.strip().splitlines() or ["?"])[-1])
        return 0
    q = json.loads(r.stdout.strip().splitlines()[-1])
    ver = subprocess.run([exe, "-c", "from qgis.core import Qgis; print(Qgis.QGIS_VERSION)"], capture_output=True, text=True).stdout.strip()
    print(f"  QGIS {ver}")
    for name in views:
        ours_med, q_med = statistics.median(ours[name]), statistics.median(q[name])
        line(f"QGIS full render, {name}", stats(q[name]))
        line("  ours / QGIS", f"{ours_med:.1f} / {q_med:.1f} ms = {ours_med / q_med:.2f}", "≤ 0.5")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
