"""The coordinate systems an office's files come in, and the store's local metric CRS.

Chinese web maps publish shifted coordinates: 高德/腾讯 use GCJ-02 (WGS-84 shifted by a
state-mandated, non-linear offset of 100-700 m) and 百度 uses BD-09 (GCJ-02 shifted again). No
maintained Python library implements the conversions (the public algorithm is copied from project
to project), so it is written here, vectorised, with the inverse solved by fixed-point iteration to
better than a millimetre rather than the usual one-step approximation (which is off by up to a
couple of metres). CGCS2000 and WGS-84 differ by well under a metre and are treated as equal, as
the store does (EPSG:4490).
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from pyproj import CRS

from data.messages import QT_TRANSLATE_NOOP

# --coords values: what the lon/lat of a file are.
COORD_SYSTEMS = {
    "wgs84": QT_TRANSLATE_NOOP("district", "WGS-84 (GPS)"),
    "cgcs2000": QT_TRANSLATE_NOOP("district", "CGCS2000 (天地图, surveying)"),
    "gcj02": QT_TRANSLATE_NOOP("district", "GCJ-02 (高德, 腾讯)"),
    "bd09": QT_TRANSLATE_NOOP("district", "BD-09 (百度)"),
}
SHIFTED = ("gcj02", "bd09")

_A = 6378245.0  # Krasovsky 1940, as the GCJ-02 algorithm uses
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0


def _inside_shift_area(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Where GCJ-02 applies its offset: the rough box around China the published algorithm uses
    (outside it, GCJ-02 equals WGS-84)."""
    return (lon > 72.004) & (lon < 137.8347) & (lat > 0.8293) & (lat < 55.8271)


def _d_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    r += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return r


def _d_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    r += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    r += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    r += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return r


def wgs84_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = np.asarray(lon, float), np.asarray(lat, float)
    dlat = _d_lat(lon - 105.0, lat - 35.0)
    dlon = _d_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * np.pi
    magic = 1 - _EE * np.sin(rad) ** 2
    sq = np.sqrt(magic)
    dlat = dlat * 180.0 / ((_A * (1 - _EE)) / (magic * sq) * np.pi)
    dlon = dlon * 180.0 / (_A / sq * np.cos(rad) * np.pi)
    inside = _inside_shift_area(lon, lat)
    return np.where(inside, lon + dlon, lon), np.where(inside, lat + dlat, lat)


def _invert(forward, lon, lat, start=None) -> tuple[np.ndarray, np.ndarray]:
    """Solve forward(x) = (lon, lat) by fixed-point iteration: the shifts vary slowly, so each step
    gains about three orders of magnitude; 1e-10 degrees is about 0.01 mm."""
    tlon, tlat = np.asarray(lon, float), np.asarray(lat, float)
    xlon, xlat = (tlon.copy(), tlat.copy()) if start is None else start
    for _ in range(30):
        flon, flat = forward(xlon, xlat)
        elon, elat = flon - tlon, flat - tlat
        xlon, xlat = xlon - elon, xlat - elat
        if np.all(np.abs(elon) < 1e-10) and np.all(np.abs(elat) < 1e-10):
            break
    return xlon, xlat


def gcj02_to_wgs84(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of wgs84_to_gcj02, exact to well under a millimetre (not the usual one-step guess)."""
    return _invert(wgs84_to_gcj02, lon, lat)


def gcj02_to_bd09(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(lon, float), np.asarray(lat, float)
    z = np.sqrt(x * x + y * y) + 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) + 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta) + 0.0065, z * np.sin(theta) + 0.006


def bd09_to_gcj02(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    x, y = np.asarray(lon, float) - 0.0065, np.asarray(lat, float) - 0.006
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def bd09_to_gcj02_exact(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """bd09_to_gcj02 (the published formula, off by up to ~10 cm) refined by iteration."""
    return _invert(gcj02_to_bd09, lon, lat, start=bd09_to_gcj02(lon, lat))


def to_true(lon, lat, system: str) -> tuple[np.ndarray, np.ndarray]:
    """lon/lat declared in `system` to true (WGS-84/CGCS2000) lon/lat."""
    if system in ("wgs84", "cgcs2000", None, ""):
        return np.asarray(lon, float), np.asarray(lat, float)
    if system == "gcj02":
        return gcj02_to_wgs84(lon, lat)
    if system == "bd09":
        return gcj02_to_wgs84(*bd09_to_gcj02_exact(lon, lat))
    raise ValueError(system)


def from_true(lon, lat, system: str) -> tuple[np.ndarray, np.ndarray]:
    """True lon/lat to `system` (what a GCJ-02 tile source or 高德 would show)."""
    if system in ("wgs84", "cgcs2000", None, ""):
        return np.asarray(lon, float), np.asarray(lat, float)
    if system == "gcj02":
        return wgs84_to_gcj02(lon, lat)
    if system == "bd09":
        return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))
    raise ValueError(system)


def geoms_to_true(geoms, system: str):
    """Shapely geometries (lon/lat in `system`) to true lon/lat."""
    if system in ("wgs84", "cgcs2000", None, ""):
        return geoms

    def conv(c: np.ndarray) -> np.ndarray:
        x, y = to_true(c[:, 0], c[:, 1], system)
        return np.column_stack([x, y])
    return shapely.transform(geoms, conv)


# --- the store's local metric CRS ------------------------------------------------------------------

def _china_box() -> tuple[float, float, float, float]:
    a = CRS.from_epsg(4490).area_of_use  # CGCS2000's own area of use: China, onshore and offshore
    return a.west, a.south, a.east, a.north


def local_metric_epsg(lon: float, lat: float) -> int:
    """The metric CRS a district at (lon, lat) is measured and drawn in: the CGCS2000 3-degree
    Gauss-Krüger zone (EPSG:4534-4554, no zone prefix) inside China, else the WGS-84 UTM zone.

    Both are conformal with a scale error far below what a dispatcher could see over a district.
    """
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValueError(f"not a longitude/latitude: {lon}, {lat}")
    w, s, e, n = _china_box()
    if w <= lon <= e and s <= lat <= n:
        from data.geo import gauss_kruger_3deg_epsg
        return gauss_kruger_3deg_epsg(lon)
    zone = min(int((lon + 180) // 6) + 1, 60)
    return (32600 if lat >= 0 else 32700) + zone
