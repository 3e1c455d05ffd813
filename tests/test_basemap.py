"""Raster basemaps: an MBTiles file the test generates, and an XYZ tile server on 127.0.0.1 over real
HTTP with the on-disk cache; GCJ-02 sources shifted back to true positions; attribution shown."""

from __future__ import annotations

from tests.conftest import who  # noqa: E402

import http.server
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QColor, QImage

from data import basemap as B
from data.district.coords import from_true
from data.district.imports import init_district

TILE_COLOUR = "#3366cc"


def png_tile(colour: str) -> bytes:
    img = QImage(256, 256, QImage.Format_RGB32)
    img.fill(QColor(colour))
    ba = QByteArray()
    buf = QBuffer(ba)
    buf.open(QIODevice.WriteOnly)
    img.save(buf, "PNG")
    return bytes(ba)


def make_mbtiles(path: Path, bounds: tuple[float, float, float, float], zooms: range, colour: str) -> Path:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
    con.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
    con.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png"), ("attribution", "© 测试底图"),
                                                          ("minzoom", str(zooms.start)), ("maxzoom", str(zooms.stop - 1))])
    data = png_tile(colour)
    for z in zooms:
        for (_z, x, y) in B.tiles_covering(bounds, z, limit=100000):
            con.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, 2 ** z - 1 - y, data))
    con.commit()
    con.close()
    return path


@pytest.fixture()
def district(tmp_path) -> Path:
    gpd.GeoDataFrame(geometry=[shapely.box(108.37, 30.80, 108.40, 30.818)], crs=4326).to_file(tmp_path / "b.geojson")
    st = init_district(tmp_path / "d.gpkg", tmp_path / "b.geojson")
    who(st, "chief", ("administrator",))  # the office's administrator sets the basemap
    st.close()
    return tmp_path / "d.gpkg"


def as_admin() -> dict:
    """The environment a script passes the administrator's account in (never on the command line)."""
    import os
    from data.demo.generator import DEMO_PASSWORD
    return dict(os.environ, GRIDWATCH_USER="chief", GRIDWATCH_PASSWORD=DEMO_PASSWORD)


def share_of_colour(win, colour: str) -> float:
    img = win.canvas.grab().toImage()
    c = QColor(colour)
    hits = total = 0
    for x in range(5, img.width(), 17):
        for y in range(5, img.height() - 40, 17):
            total += 1
            p = img.pixelColor(x, y)
            hits += abs(p.red() - c.red()) + abs(p.green() - c.green()) + abs(p.blue() - c.blue()) < 24
    return hits / total


def test_tiles_of_an_mbtiles_file_are_drawn_beneath_the_map_with_attribution(open_window, qtbot, district, tmp_path):
    mb = make_mbtiles(tmp_path / "base.mbtiles", (108.30, 30.75, 108.47, 30.87), range(10, 17), TILE_COLOUR)
    r = subprocess.run([sys.executable, "-m", "console.cli", "basemap", "--store", str(district), "--mbtiles", str(mb)],
                       capture_output=True, text=True, env=as_admin())
    assert r.returncode == 0 and "测试底图" in r.stdout, r.stderr
    win = open_window(district, live=False)
    layer = win.canvas.layer("basemap")
    assert layer is not None and win.canvas.layers[0] is layer and layer.attribution == "© 测试底图"
    qtbot.waitUntil(lambda: share_of_colour(win, TILE_COLOUR) > 0.8, timeout=10000)
    # Hidden from the layer panel's checkbox: the background goes back to the plain land colour.
    from PySide6.QtCore import Qt
    tree = win.layer_tree
    item = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).data(0, Qt.UserRole) == "basemap")
    item.setCheckState(0, Qt.Unchecked)
    assert not layer.visible
    win.canvas.wait_rendered(5000)
    qtbot.waitUntil(lambda: share_of_colour(win, TILE_COLOUR) < 0.05, timeout=5000)


class _Tiles(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []
    body = b""

    def do_GET(self):  # noqa: N802 (http.server's name)
        type(self).requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        pass


def test_xyz_tiles_come_over_http_and_are_cached_on_disk(open_window, qtbot, district, tmp_path):
    _Tiles.body = png_tile("#cc6633")
    _Tiles.requests = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/tiles/{{z}}/{{x}}/{{y}}.png"
    r = subprocess.run([sys.executable, "-m", "console.cli", "basemap", "--store", str(district), "--xyz", url,
                        "--attribution", "© test tiles"], capture_output=True, text=True, env=as_admin())
    assert r.returncode == 0, r.stderr
    win = open_window(district, live=False)
    qtbot.waitUntil(lambda: share_of_colour(win, "#cc6633") > 0.8, timeout=15000)
    assert _Tiles.requests and all(p.startswith("/tiles/") for p in _Tiles.requests)
    layer = win.canvas.layer("basemap")
    cached = list(B.cache_dir_for(district, layer.config).rglob("*.tile"))
    assert len(cached) == len(set(_Tiles.requests))
    server.shutdown()
    # Offline now: a new fetcher serves the same tiles from the disk cache.
    fetcher = B.TileFetcher(layer.config, district)
    z, x, y = (int(v.removesuffix(".png")) for v in _Tiles.requests[0].split("/")[2:5])
    fetcher.request([(z, x, y)])
    t0 = time.time()
    while not fetcher.has((z, x, y)) and time.time() - t0 < 5:
        time.sleep(0.02)
    assert fetcher.get((z, x, y)) == _Tiles.body and fetcher.failures == 0
    fetcher.close()


def test_gcj02_tiles_are_placed_at_true_positions():
    z, x, y = 16, *(int(v) for v in B.lonlat_to_tile(108.38, 30.81, 16))
    true = B.tile_corners(z, x, y, "wgs84")
    gcj = B.tile_corners(z, x, y, "gcj02")
    # The imagery of a GCJ-02 tile shows true place p at GCJ(p): its corners, converted back, are
    # hundreds of metres from the tile's nominal corners, and map to them exactly through the shift.
    d = np.hypot((gcj[:, 0] - true[:, 0]) * 111_000 * np.cos(np.radians(30.81)), (gcj[:, 1] - true[:, 1]) * 111_000)
    assert (d > 100).all() and (d < 700).all()
    back = np.column_stack(from_true(gcj[:, 0], gcj[:, 1], "gcj02"))
    assert np.abs(back - true).max() < 1e-8


def test_zoom_follows_the_map_resolution():
    assert B.zoom_for(1.0, 30.8) == 18 and B.zoom_for(20.0, 30.8) == 13
    assert B.zoom_for(0.01, 30.8, max_zoom=16) == 16
