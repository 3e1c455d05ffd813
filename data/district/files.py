"""Reading an office's GIS files: Shapefile, GeoPackage, GeoJSON, KML, DXF, anything GDAL reads.

Every reader returns geometries in the store's lon/lat (EPSG:4490) or raises a coded
GridWatchError naming the file and the reason; nothing here writes. A file without a CRS is refused
unless one is declared; shifted web-map coordinates (GCJ-02, BD-09) are converted when declared.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from data.district.coords import COORD_SYSTEMS, SHIFTED, geoms_to_true
from data.messages import GridWatchError, Message

log = logging.getLogger(__name__)

MAX_FEATURES = 3_000_000  # beyond this a file is not one district's layer; say so instead of running out of memory
WANT_TYPES = {"point": ("Point", "MultiPoint"), "line": ("LineString", "MultiLineString"),
              "polygon": ("Polygon", "MultiPolygon")}


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def parse_crs(value: str | int | None) -> CRS | None:
    """--crs: 'EPSG:4545', '4545', a WKT or PROJ string; None when not given."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise GridWatchError("import.bad_crs", crs=str(value), reason=str(exc).split(":")[-1].strip()) from None


def check_coords(coords: str | None) -> str:
    coords = (coords or "wgs84").lower().replace("-", "").replace("_", "")
    if coords not in COORD_SYSTEMS:
        raise GridWatchError("import.unknown_coords", coords=coords)
    return coords


@dataclass
class FileFeatures:
    """A file's features in store lon/lat, with their attribute columns (plain Python lists)."""

    file: Path
    layer: str | None
    geoms: np.ndarray  # shapely geometries, EPSG:4490 lon/lat, None where the feature had none
    columns: dict[str, list]
    source_crs: str

    def __len__(self) -> int:
        return len(self.geoms)


def _pick_layer(path: Path, layer: str | None, want: str | None) -> str | None:
    import pyogrio
    try:
        layers = pyogrio.list_layers(path)
    except Exception as exc:  # pyogrio/GDAL errors say what the driver found wrong
        raise GridWatchError("import.unreadable", file=path.name, what="a GIS file", reason=_short(exc)) from None
    names = [str(n) for n, _t in layers]
    if layer:
        if layer not in names:
            raise GridWatchError("import.no_layer", file=path.name, layer=layer, layers=", ".join(names))
        return layer
    if len(names) <= 1:
        return names[0] if names else None
    if want:
        fitting = [str(n) for n, t in layers if t and any(str(t).startswith(w) for w in WANT_TYPES[want])]
        if len(fitting) == 1:
            return fitting[0]
    raise GridWatchError("import.which_layer", file=path.name, layers=", ".join(names))


def _short(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__


def read_features(path: str | Path, *, want: str | None = None, layer: str | None = None,
                  crs: str | int | None = None, coords: str | None = None) -> FileFeatures:
    """The features of one layer of a GIS file, in store lon/lat.

    `crs` declares (or overrides) the file's CRS; `coords` says which lon/lat the file's longitudes
    and latitudes are (wgs84, cgcs2000, gcj02, bd09)."""
    import pyogrio
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise GridWatchError("import.no_file", file=str(path))
    coords = check_coords(coords)
    declared = parse_crs(crs)
    layer = _pick_layer(path, layer, want)
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as exc:
        raise GridWatchError("import.unreadable", file=path.name, what="a GIS file", reason=_short(exc)) from None
    count = int(info.get("features") or 0)
    if count > MAX_FEATURES:
        raise GridWatchError("import.too_big", file=path.name, count=count, limit=MAX_FEATURES)
    try:
        encoding = shapefile_encoding(path)
        try:
            df = pyogrio.read_dataframe(path, layer=layer, **({"encoding": encoding} if encoding else {}))
        except UnicodeDecodeError:
            df = pyogrio.read_dataframe(path, layer=layer, encoding="gb18030")
    except Exception as exc:
        raise GridWatchError("import.unreadable", file=path.name, what="a GIS file", reason=_short(exc)) from None
    if len(df) == 0:
        raise GridWatchError("import.empty", file=path.name)
    source = declared or df.crs
    if source is None:
        raise GridWatchError("import.no_crs", file=path.name)
    source = CRS.from_user_input(source)
    if coords in SHIFTED and not source.is_geographic:
        raise GridWatchError("import.shift_needs_lonlat", coords=coords, file=path.name, crs=source.to_string())
    df = df.set_crs(source, allow_override=True)
    if want == "polygon":
        # Boundaries and grids are compared edge to edge: an edge that is straight in the file's CRS
        # is a curve in another, so polygons get a vertex every ~20 m before they are converted
        # (otherwise a grid edge and the district edge it runs along part by up to a metre).
        step = 0.0002 if source.is_geographic else 20.0 / (source.axis_info[0].unit_conversion_factor or 1.0)
        df = df.set_geometry(shapely.segmentize(df.geometry.values, step))
    df = df.to_crs(epsg=4490)
    geoms = np.asarray(df.geometry.values, dtype=object)
    geoms = np.array([g if g is not None and not g.is_empty else None for g in geoms], dtype=object)
    present = np.array([g is not None for g in geoms])
    if present.any():
        minx, miny, maxx, maxy = shapely.total_bounds(geoms[present])
        if not (np.isfinite([minx, miny, maxx, maxy]).all() and -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            raise GridWatchError("import.out_of_range", file=path.name, crs=source.to_string(),
                                 x=f"{minx:.6g}", y=f"{miny:.6g}")
        if coords in SHIFTED:
            geoms[present] = geoms_to_true(geoms[present], coords)
    if want == "polygon":
        geoms = _rings_as_polygons(geoms)
    columns = {str(c): df[c].tolist() for c in df.columns if c != df.geometry.name}
    return FileFeatures(path, layer, geoms, columns, source.to_string())


def shapefile_encoding(path: Path) -> str | None:
    """The text encoding of a shapefile that does not say it (no .cpg, no code page in the .dbf).

    GDAL then reads ISO-8859-1, which turns Chinese names into mojibake; Chinese offices' files are
    UTF-8 or, from older tools, GBK. The .dbf's own bytes decide: UTF-8 if they decode as UTF-8,
    else GB18030 (a superset of GBK)."""
    if path.suffix.lower() != ".shp":
        return None
    if any(path.with_suffix(ext).exists() for ext in (".cpg", ".CPG")):
        return None
    dbf = next((p for p in (path.with_suffix(".dbf"), path.with_suffix(".DBF")) if p.exists()), None)
    if dbf is None:
        return None
    with open(dbf, "rb") as fh:
        head = fh.read(1 << 16)
    if len(head) < 33 or head[29] not in (0, 0x57):  # a code page mark GDAL understands by itself
        return None
    header_len = int.from_bytes(head[8:10], "little")
    # The text: field names (the first 11 bytes of each 32-byte descriptor) and the records; not the
    # descriptors' binary lengths, which may be >= 0x80.
    names = b"".join(head[k:k + 11] for k in range(32, min(header_len, len(head)) - 1, 32))
    text = names + head[header_len:]
    if all(b < 0x80 for b in text):
        return None
    try:
        text.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(text) - 4 and exc.reason == "unexpected end of data":  # cut mid-character by the read
            return "UTF-8"
        return "GB18030"


def _rings_as_polygons(geoms: np.ndarray) -> np.ndarray:
    """Boundaries drawn in CAD come as closed polylines (DWG exported to DXF): a closed ring read
    where polygons are wanted is the polygon it encloses."""
    out = geoms.copy()
    for k, g in enumerate(geoms):
        if g is not None and g.geom_type in ("LineString", "MultiLineString"):
            rings = shapely.get_parts(g)
            if len(rings) and all(r.is_closed and shapely.get_num_coordinates(r) >= 4 for r in rings):
                polys = shapely.get_parts(shapely.polygonize(rings))
                if len(polys):
                    out[k] = polys[0] if len(polys) == 1 else shapely.MultiPolygon(list(polys))
    return out


def check_geometries(table: FileFeatures, want: str) -> list[Message]:
    """A problem for every feature that is empty, of another kind of geometry, or invalid."""
    problems: list[Message] = []
    ok = WANT_TYPES[want]
    for k, g in enumerate(table.geoms):
        if g is None:
            problems.append(Message("feature.empty", {"row": k + 1}))
        elif g.geom_type == "GeometryCollection" or g.geom_type not in ok:
            problems.append(Message("feature.wrong_type", {"row": k + 1, "gtype": g.geom_type, "want": want}))
        elif not g.is_valid:
            problems.append(Message("feature.invalid", {"row": k + 1, "reason": shapely.is_valid_reason(g)}))
    return problems


