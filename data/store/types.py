"""Column types whose storage differs by database: geometry and UTC timestamps.

This module and data/store/core.py are the only places that know about SQL dialects. Services above
them speak SQLAlchemy and shapely.

Geometry on SQLite is an OGC GeoPackage geometry blob (header + ISO WKB) in a column declared with
its geometry type name, so GDAL and QGIS read the very file the console writes. On PostgreSQL (office
mode) it is a PostGIS `geometry(TYPE, 4490)` column: values go in and come out as hex EWKB, which
PostGIS parses and prints by itself and shapely reads and writes vectorised, so no SQL function
wraps the column (GeoAlchemy2 would do the same with a dependency and per-row wrappers).
"""

from __future__ import annotations

import struct
from datetime import datetime, timezone
from typing import Iterable, Sequence

import numpy as np
import shapely
from sqlalchemy import DateTime, LargeBinary, String, Text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import TypeDecorator, UserDefinedType

from data.geo import STORE_EPSG

_GPKG_MAGIC = b"GP"
# Envelope sizes by the 3-bit envelope indicator in the flags byte (GeoPackage 1.3, 2.1.3).
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def encode_gpkg(geoms: Sequence[shapely.Geometry] | np.ndarray, srs_id: int = STORE_EPSG) -> list[bytes | None]:
    """GeoPackage geometry blobs (little endian, xy envelope) for an array of geometries."""
    arr = np.asarray(geoms, dtype=object)
    out: list[bytes | None] = [None] * len(arr)
    present = np.array([g is not None for g in arr], dtype=bool)
    if not present.any():
        return out
    valid = arr[present]
    wkbs = shapely.to_wkb(valid, flavor="iso", byte_order=1, output_dimension=2)
    bounds = shapely.bounds(valid)
    empty = shapely.is_empty(valid)
    idx = np.flatnonzero(present)
    for k, i in enumerate(idx):
        if empty[k]:
            # Empty geometries carry the empty flag (bit 4) and no envelope.
            header = _GPKG_MAGIC + bytes([0, 0b00010001]) + struct.pack("<i", srs_id)
        else:
            minx, miny, maxx, maxy = bounds[k]
            header = (_GPKG_MAGIC + bytes([0, 0b00000011]) + struct.pack("<i", srs_id)
                      + struct.pack("<4d", minx, maxx, miny, maxy))
        out[i] = header + wkbs[k]
    return out


def _wkb_part(blob: bytes) -> bytes:
    if blob[:2] != _GPKG_MAGIC:
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    env = _ENVELOPE_BYTES.get((flags >> 1) & 0b111)
    if env is None:
        raise ValueError("invalid GeoPackage envelope indicator")
    return blob[8 + env:]


def decode_gpkg(blobs: Iterable[bytes | None]) -> np.ndarray:
    """Shapely geometries from GeoPackage blobs (vectorised WKB parsing)."""
    blobs = list(blobs)
    wkbs = np.array([None if b is None else _wkb_part(bytes(b)) for b in blobs], dtype=object)
    return shapely.from_wkb(wkbs)


class Geometry(UserDefinedType):
    """A geometry column holding shapely geometries in store coordinates (lon/lat)."""

    cache_ok = True

    def __init__(self, geometry_type: str = "GEOMETRY", srs_id: int = STORE_EPSG):
        self.geometry_type = geometry_type.upper()
        self.srs_id = srs_id

    def get_col_spec(self, **kw) -> str:  # PostgreSQL/PostGIS
        return f"geometry({self.geometry_type}, {self.srs_id})"

    def bind_processor(self, dialect):
        srs = self.srs_id
        if dialect.name == "sqlite":
            return lambda g: None if g is None else encode_gpkg([g], srs)[0]
        declared = self.geometry_type
        return lambda g: None if g is None else encode_ewkb([as_declared(g, declared)], srs)[0]

    def result_processor(self, dialect, coltype):
        if dialect.name == "sqlite":
            return lambda b: None if b is None else decode_gpkg([b])[0]
        return lambda b: None if b is None else decode_ewkb([b])[0]


_MULTI_OF = {"MULTIPOLYGON": ("Polygon", shapely.multipolygons), "MULTILINESTRING": ("LineString", shapely.multilinestrings),
             "MULTIPOINT": ("Point", shapely.multipoints)}


def as_declared(g: shapely.Geometry, declared: str) -> shapely.Geometry:
    """A single part made a multi of one where the column is declared multi: PostGIS holds a column to
    its declared type, while GeoPackage readers take a part for its multi."""
    single, make = _MULTI_OF.get(declared, (None, None))
    return make([g]) if single == g.geom_type else g


def encode_ewkb(geoms: Sequence[shapely.Geometry] | np.ndarray, srs_id: int = STORE_EPSG) -> list[str | None]:
    """Hex EWKB with the SRID, as PostGIS reads a geometry literal (a text parameter cast to geometry)."""
    arr = np.asarray(geoms, dtype=object)
    out: list[str | None] = [None] * len(arr)
    present = np.flatnonzero(np.array([g is not None for g in arr], dtype=bool))
    if len(present):
        hexes = shapely.to_wkb(shapely.set_srid(arr[present], srs_id), hex=True, include_srid=True, output_dimension=2)
        for k, i in enumerate(present):
            out[i] = hexes[k]
    return out


def decode_ewkb(values: Iterable[str | bytes | None]) -> np.ndarray:
    """Shapely geometries from PostGIS output (hex EWKB text, or EWKB bytes from a binary cursor)."""
    vals = [None if v is None else (bytes(v) if isinstance(v, memoryview) else v) for v in values]
    return shapely.from_wkb(np.array(vals, dtype=object))


def decode_geometries(dialect_name: str, raw: Iterable) -> np.ndarray:
    """Geometries from raw column values read with `RawGeometry` (bulk loads, no per-row processing)."""
    return decode_gpkg(raw) if dialect_name == "sqlite" else decode_ewkb(raw)


@compiles(Geometry, "sqlite")
def _geometry_sqlite(type_: Geometry, compiler, **kw) -> str:
    # GeoPackage requirement 25: the column is declared with its geometry type name.
    return type_.geometry_type


@compiles(String, "sqlite")
def _string_sqlite(type_: String, compiler, **kw) -> str:
    # GeoPackage knows TEXT(n), not VARCHAR(n); GDAL warns about and drops the latter's width.
    return f"TEXT({type_.length})" if type_.length else "TEXT"


_GPKG_DATETIME = "%Y-%m-%dT%H:%M:%S.%f"


class UTCDateTime(TypeDecorator):
    """Timezone-aware datetimes in UTC.

    On SQLite they are GeoPackage DATETIME text (YYYY-MM-DDTHH:MM:SS.SSSZ, fixed width, so text order
    is time order and GDAL/QGIS read them as times); elsewhere a timestamp column holding UTC.
    """

    impl = DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(_GpkgDateTimeText())
        return dialect.type_descriptor(DateTime())

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a timezone")
        value = value.astimezone(timezone.utc).replace(tzinfo=None)
        if dialect.name == "sqlite":
            return value.strftime(_GPKG_DATETIME)[:-3] + "Z"
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value.rstrip("Z"))
        return value.replace(tzinfo=timezone.utc)


class _GpkgDateTimeText(Text):
    """Text storage declared as DATETIME, the GeoPackage column type for timestamps."""


@compiles(_GpkgDateTimeText, "sqlite")
def _gpkg_datetime_sqlite(type_, compiler, **kw) -> str:
    return "DATETIME"


RawBlob = LargeBinary  # for selecting geometry blobs without per-row decoding (bulk loads)


class RawGeometry(TypeDecorator):
    """A geometry column read as its stored value (GeoPackage blob, or hex EWKB on PostGIS), for bulk
    loads that decode a whole column at once with `decode_geometries`."""

    impl = LargeBinary
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(LargeBinary() if dialect.name == "sqlite" else Text())
