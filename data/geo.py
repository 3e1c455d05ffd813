"""Coordinate reference systems: lon/lat in the store, metres on the map.

The store keeps CGCS2000 longitude/latitude (EPSG:4490, which equals WGS84 to well under a metre).
Everything that measures or draws works in a local 3-degree Gauss-Kruger projection (CGCS2000 /
3-degree GK CM nnnE, EPSG:4534..4554), converted once at the store boundary through pyproj.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import CRS, Transformer

STORE_EPSG = 4490  # CGCS2000 geographic 2D


def gauss_kruger_3deg_epsg(lon: float) -> int:
    """EPSG code of the CGCS2000 3-degree Gauss-Kruger zone (no zone prefix) for a longitude.

    EPSG:4534 is CM 75E and the codes step by one per 3 degrees up to EPSG:4554 (CM 135E).
    """
    cm = int(round(lon / 3.0)) * 3
    cm = min(max(cm, 75), 135)
    return 4534 + (cm - 75) // 3


_local = threading.local()
# pyproj objects are per thread (a shared Transformer is recreated for each thread that uses it);
# creating them is serialised, and so are the calls, which are vectorised and short.
_proj_lock = threading.RLock()


def _transformer(src: int, dst: int) -> Transformer:
    cache = getattr(_local, "transformers", None)
    if cache is None:
        cache = _local.transformers = {}
    t = cache.get((src, dst))
    if t is None:
        with _proj_lock:
            t = cache[(src, dst)] = Transformer.from_crs(src, dst, always_xy=True)
    return t


@dataclass(frozen=True)
class Projection:
    """Converts between store lon/lat and map metres for one district."""

    map_epsg: int
    store_epsg: int = STORE_EPSG

    @classmethod
    def for_longitude(cls, lon: float) -> "Projection":
        return cls(gauss_kruger_3deg_epsg(lon))

    # pyproj transformers must not be shared between threads (a shared one crashed here when the
    # live poller and the GUI converted at once), so each thread gets its own pair.
    @property
    def _forward(self) -> Transformer:
        return _transformer(self.store_epsg, self.map_epsg)

    @property
    def _inverse(self) -> Transformer:
        return _transformer(self.map_epsg, self.store_epsg)

    def lonlat_to_xy(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        t = self._forward
        with _proj_lock:
            return t.transform(np.asarray(lon, float), np.asarray(lat, float))

    def xy_to_lonlat(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        t = self._inverse
        with _proj_lock:
            return t.transform(np.asarray(x, float), np.asarray(y, float))

    def to_map(self, geoms):
        """Store geometries (lon/lat) to map geometries (metres); arrays or single geometries."""
        return shapely.transform(geoms, self._fwd_coords)

    def to_store(self, geoms):
        """Map geometries (metres) to store geometries (lon/lat)."""
        return shapely.transform(geoms, self._inv_coords)

    def _fwd_coords(self, coords: np.ndarray) -> np.ndarray:
        x, y = self.lonlat_to_xy(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    def _inv_coords(self, coords: np.ndarray) -> np.ndarray:
        x, y = self.xy_to_lonlat(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])


def srs_definition(epsg: int) -> tuple[str, str]:
    """(name, WKT) of an EPSG CRS for gpkg_spatial_ref_sys."""
    with _proj_lock:
        crs = CRS.from_epsg(epsg)
        return crs.name, crs.to_wkt("WKT1_GDAL")
