"""Raster basemaps beneath the vector layers: an MBTiles file (offline) or an XYZ/WMTS tile URL.

Tiles are Web Mercator (the XYZ scheme every tile service and MBTiles use; WMTS services such as
天地图's `_w` layers are the same grid with KVP parameters). Each tile's four corners are placed on
the map through lon/lat, so tiles line up with the district's own metric CRS (Gauss-Krüger or UTM).
A source that publishes GCJ-02 imagery (高德, 腾讯 tiles) is declared as such, and its corners are
shifted back to true positions; 天地图 and MBTiles made from true data need no shift.

Tiles are read on a Python thread (SQLite and HTTP stay off Qt's threads), kept in memory, and
those fetched over HTTP are cached on disk so the map works offline after the first view.
"""

from __future__ import annotations

import json
import logging
import math
import queue
import sqlite3
import threading
import urllib.request
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from data.district.coords import to_true

log = logging.getLogger(__name__)

EARTH_CIRCUMFERENCE_M = 40075016.686
TILE_PX = 256
MEMORY_TILES = 512
USER_AGENT = "GridWatch/0.1 (grid governance dispatch console)"


@dataclass(frozen=True)
class BasemapConfig:
    kind: str  # mbtiles | xyz
    location: str  # the .mbtiles path, or the URL template with {z} {x} {y} (and {s} for subdomains)
    attribution: str = ""
    coords: str = "wgs84"  # what the imagery is drawn in: wgs84 (true) or gcj02 (shifted web maps)
    subdomains: str = ""  # e.g. "1234" for webrd0{s}
    min_zoom: int = 0
    max_zoom: int = 19

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "BasemapConfig":
        d = json.loads(text)
        return cls(**{k: v for k, v in d.items() if k in cls.__dataclass_fields__})


def load_basemap_config(store) -> BasemapConfig | None:
    raw = store.meta.get("basemap")
    if not raw:
        return None
    try:
        return BasemapConfig.from_json(raw)
    except (ValueError, TypeError):
        log.warning("the store's basemap entry is not valid; no basemap is shown", exc_info=True)
        return None


def save_basemap_config(store, config: BasemapConfig | None, *, by) -> None:
    """The office's basemap, kept in the store so every seat shows the same one ('' turns it off);
    an administrator's change, audited (data.accounts.change_setting)."""
    from data.accounts import change_setting
    change_setting(store, by, "basemap", config.to_json() if config else "")


def mbtiles_config(path: str | Path, coords: str = "wgs84") -> BasemapConfig:
    """A config for an MBTiles file, with its own attribution and zoom range (MBTiles 1.3 metadata)."""
    path = Path(path).expanduser().resolve()
    meta = MBTiles(path).metadata()
    return BasemapConfig("mbtiles", str(path), attribution=meta.get("attribution", ""), coords=coords,
                         min_zoom=int(meta.get("minzoom", 0) or 0), max_zoom=int(meta.get("maxzoom", 19) or 19))


# --- tile geometry ----------------------------------------------------------------------------------

def zoom_for(resolution_m: float, lat: float, min_zoom: int = 0, max_zoom: int = 19) -> int:
    """The tile zoom whose pixels are at least as fine as the map's (metres per pixel at `lat`)."""
    ground = EARTH_CIRCUMFERENCE_M * math.cos(math.radians(lat)) / TILE_PX
    z = math.ceil(math.log2(max(ground / max(resolution_m, 1e-6), 1.0)))
    return int(min(max(z, min_zoom), max_zoom))


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[float, float]:
    n = 2 ** z
    lat = max(min(lat, 85.05112878), -85.05112878)
    x = (lon + 180.0) / 360.0 * n
    y = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n
    return x, y


def tile_to_lonlat(x, y, z: int) -> tuple[np.ndarray, np.ndarray]:
    n = 2 ** z
    x, y = np.asarray(x, float), np.asarray(y, float)
    lon = x / n * 360.0 - 180.0
    lat = np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * y / n))))
    return lon, lat


def tiles_covering(bounds_lonlat: tuple[float, float, float, float], z: int, limit: int = 400) -> list[tuple[int, int, int]]:
    minx, miny, maxx, maxy = bounds_lonlat
    x0, y0 = lonlat_to_tile(minx, maxy, z)
    x1, y1 = lonlat_to_tile(maxx, miny, z)
    n = 2 ** z
    xs = range(max(int(math.floor(x0)), 0), min(int(math.floor(x1)), n - 1) + 1)
    ys = range(max(int(math.floor(y0)), 0), min(int(math.floor(y1)), n - 1) + 1)
    out = [(z, x, y) for y in ys for x in xs]
    return out[:limit]


def tile_corners(z: int, x: int, y: int, coords: str = "wgs84") -> np.ndarray:
    """The tile's corners (top-left, top-right, bottom-right, bottom-left) as true lon/lat (4, 2):
    a GCJ-02 tile's imagery sits where GCJ-02 says, so its corners are converted back."""
    lon, lat = tile_to_lonlat([x, x + 1, x + 1, x], [y, y, y + 1, y + 1], z)
    lon, lat = to_true(lon, lat, coords)
    return np.column_stack([lon, lat])


# --- sources ----------------------------------------------------------------------------------------

class MBTiles:
    """An MBTiles 1.3 file (TMS rows: y counts from the south)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._local = threading.local()

    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            if not self.path.exists():
                raise FileNotFoundError(f"{self.path}: no such MBTiles file")
            con = self._local.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=True)
        return con

    def metadata(self) -> dict[str, str]:
        try:
            return dict(self._con().execute("SELECT name, value FROM metadata").fetchall())
        except sqlite3.DatabaseError as exc:
            raise ValueError(f"{self.path} is not an MBTiles file ({exc})") from None

    def get(self, z: int, x: int, y: int) -> bytes | None:
        row = self._con().execute("SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
                                  (z, x, (2 ** z - 1) - y)).fetchone()
        return bytes(row[0]) if row else None


class XYZ:
    """Tiles over HTTP from a URL template, cached on disk (z/x/y files, written whole)."""

    def __init__(self, template: str, cache_dir: str | Path, subdomains: str = ""):
        self.template, self.cache_dir, self.subdomains = template, Path(cache_dir), subdomains

    def url(self, z: int, x: int, y: int) -> str:
        s = self.subdomains[(x + y) % len(self.subdomains)] if self.subdomains else ""
        return self.template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y)).replace("{s}", s) \
            .replace("{-y}", str(2 ** z - 1 - y))

    def cached(self, z: int, x: int, y: int) -> Path:
        return self.cache_dir / str(z) / str(x) / f"{y}.tile"

    def get(self, z: int, x: int, y: int) -> bytes | None:
        path = self.cached(z, x, y)
        if path.exists():
            return path.read_bytes()
        req = urllib.request.Request(self.url(z, x, y), headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(req, timeout=10) as resp:
            if resp.status != 200:
                return None
            data = resp.read(4 << 20)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return data


def cache_dir_for(store_path: Path | None, config: BasemapConfig) -> Path:
    import hashlib
    base = (store_path.parent if store_path else Path.home()) / ".gridwatch-tiles"
    return base / hashlib.sha1(config.location.encode()).hexdigest()[:16]


class TileFetcher:
    """Fetches tiles on one Python thread; the map asks for what it needs and draws what has come.
    `arrived` counts tiles received, so the GUI can notice new ones on its own thread."""

    def __init__(self, config: BasemapConfig, store_path: Path | None = None):
        self.config = config
        self.source = MBTiles(config.location) if config.kind == "mbtiles" else XYZ(config.location, cache_dir_for(store_path, config),
                                                                                     config.subdomains)
        self.tiles: OrderedDict[tuple[int, int, int], bytes | None] = OrderedDict()
        self._lock = threading.Lock()
        self._wanted: set[tuple[int, int, int]] = set()
        self._queue: queue.Queue = queue.Queue()
        self.arrived = 0
        self.failures = 0
        self._thread = threading.Thread(target=self._run, name="basemap-tiles", daemon=True)
        self._thread.start()

    def get(self, key: tuple[int, int, int]) -> bytes | None:
        with self._lock:
            return self.tiles.get(key)

    def has(self, key) -> bool:
        with self._lock:
            return key in self.tiles

    def request(self, keys: list[tuple[int, int, int]]) -> None:
        with self._lock:
            new = [k for k in keys if k not in self.tiles and k not in self._wanted]
            self._wanted.update(new)
        for k in new:
            self._queue.put(k)

    def close(self) -> None:
        self._queue.put(None)

    def _run(self) -> None:
        while True:
            key = self._queue.get()
            if key is None:
                return
            try:
                data = self.source.get(*key)
            except Exception as exc:  # a tile that cannot be had is left blank; the map goes on
                self.failures += 1
                log.warning("basemap tile %s could not be read: %s", key, exc)
                data = None
            with self._lock:
                self._wanted.discard(key)
                self.tiles[key] = data
                while len(self.tiles) > MEMORY_TILES:
                    self.tiles.popitem(last=False)
                self.arrived += 1
