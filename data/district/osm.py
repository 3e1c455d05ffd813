"""Streets, buildings and water from an OpenStreetMap extract (.osm.pbf, .osm, .osm.bz2), read with
pyosmium (libosmium's Python bindings: the C++ reader assembles node locations and multipolygons;
Python sees only the tagged ways and areas it asks for).

Streets keep OSM's topology: ways are split at every node that two highway ways share (and at
their ends), so crossings without a shared node (bridges, tunnels) stay unconnected.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import shapely

from data.district.streets import CLASS_ALIASES, StreetNetwork
from data.geo import Projection
from data.messages import GridWatchError

log = logging.getLogger(__name__)

# Not streets anyone travels on (yet): left out.
SKIP_HIGHWAY = {"proposed", "construction", "platform", "bus_stop", "raceway", "elevator", "corridor", "abandoned",
                "razed", "bus_guideway", "escape", "rest_area", "services", "via_ferrata", "no", "disused"}
NO_CARS = {"footway", "path", "cycleway", "steps", "pedestrian", "bridleway", "corridor", "track"}
NO_EBIKES = {"motorway", "motorway_link", "steps", "footway", "pedestrian"}
NO_FOOT = {"motorway", "motorway_link"}
NO_WORDS = {"no", "private", "agricultural", "forestry", "delivery", "discouraged"}


def street_access(tags: dict) -> tuple[bool, bool, bool]:
    """(foot, e-bike, car) from highway=* and the access tags (most specific wins).

    E-bikes in China ride where bicycles do (non-motorised lanes), so bicycle=* decides for them."""
    hw = tags.get("highway", "")
    base = tags.get("access")
    def allowed(default: bool, *keys: str) -> bool:
        for k in keys:  # most specific first
            v = tags.get(k)
            if v is not None:
                return v not in NO_WORDS
        if base is not None:
            return base not in NO_WORDS
        return default
    foot = allowed(hw not in NO_FOOT, "foot")
    ebike = allowed(hw not in NO_EBIKES, "bicycle", "vehicle")
    car = allowed(hw not in NO_CARS, "motorcar", "motor_vehicle", "vehicle")
    return foot, ebike, car


def street_oneway(tags: dict) -> int:
    v = tags.get("oneway")
    if v in ("yes", "true", "1"):
        return 1
    if v == "-1" or v == "reverse":
        return -1
    if v in ("no", "false", "0"):
        return 0
    if tags.get("junction") in ("roundabout", "circular") or tags.get("highway") in ("motorway", "motorway_link"):
        return 1
    return 0


def street_class(tags: dict) -> str:
    if tags.get("bridge") not in (None, "no") and CLASS_ALIASES.get(tags.get("highway", "")) in ("main", "secondary"):
        return "bridge"
    return CLASS_ALIASES.get(tags.get("highway", ""), "minor")


@dataclass
class OsmContent:
    """What an extract holds near the district, in map metres."""

    streets: StreetNetwork | None = None
    buildings: list = field(default_factory=list)  # (polygon, floors, use)
    water: list = field(default_factory=list)  # (polygon or multipolygon, name, kind)
    ways_read: int = 0
    outside: int = 0


BUILDING_USE = {
    "residential": "residential", "apartments": "residential", "house": "residential", "detached": "residential",
    "dormitory": "residential", "terrace": "residential", "semidetached_house": "residential", "bungalow": "residential",
    "commercial": "commercial", "retail": "commercial", "office": "commercial", "industrial": "commercial",
    "warehouse": "commercial", "hotel": "commercial", "supermarket": "commercial", "kiosk": "commercial",
    "school": "public", "hospital": "public", "public": "public", "civic": "public", "government": "public",
    "university": "public", "college": "public", "kindergarten": "public", "church": "public", "temple": "public",
    "train_station": "public", "transportation": "public", "fire_station": "public", "police": "public",
}


def read_osm(path: str | Path, projection: Projection, area_lonlat: shapely.Geometry, *,
             layers: tuple[str, ...] = ("streets", "buildings", "water"),
             progress: Callable[[float | None], None] | None = None, cancel: Callable[[], bool] | None = None) -> OsmContent:
    """Read the wanted layers of an extract, keeping what lies within `area_lonlat` (the district
    plus its margin). Raises GridWatchError for a file that is not a readable OSM extract."""
    import osmium
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise GridWatchError("import.no_file", file=str(path))
    keys = []
    if "streets" in layers:
        keys.append("highway")
    if "buildings" in layers:
        keys.append("building")
    if "water" in layers:
        keys += ["natural", "waterway", "water", "landuse"]
    minx, miny, maxx, maxy = area_lonlat.bounds
    shapely.prepare(area_lonlat)
    out = OsmContent()
    way_refs: list[np.ndarray] = []
    way_xy: list[np.ndarray] = []
    way_tags: list[tuple[str, str, int, bool, bool, bool]] = []
    wkb = osmium.geom.WKBFactory()
    try:
        fp = osmium.FileProcessor(str(path)).with_locations()
        if "buildings" in layers or "water" in layers:
            fp = fp.with_areas(osmium.filter.KeyFilter(*[k for k in keys if k != "highway"]))
        fp = fp.with_filter(osmium.filter.KeyFilter(*keys))
        seen = 0
        for obj in fp:
            seen += 1
            if seen % 20000 == 0:
                if cancel is not None and cancel():
                    raise GridWatchError("import.cancelled")
                if progress is not None:
                    progress(None)  # pyosmium does not say how far into the file it is: busy, not a fraction
            if isinstance(obj, osmium.osm.Way):
                tags = obj.tags
                hw = tags.get("highway")
                if hw is None or hw in SKIP_HIGHWAY or "streets" not in layers or tags.get("area") == "yes":
                    continue
                out.ways_read += 1
                try:
                    refs = np.fromiter((n.ref for n in obj.nodes), dtype=np.int64)
                    xy = np.array([(n.lon, n.lat) for n in obj.nodes], dtype=float)
                except osmium.InvalidLocationError:
                    continue  # a way cut by the extract's edge: its missing nodes are outside anyway
                if len(refs) < 2:
                    continue
                inside = (xy[:, 0] >= minx) & (xy[:, 0] <= maxx) & (xy[:, 1] >= miny) & (xy[:, 1] <= maxy)
                if not inside.any():
                    out.outside += 1
                    continue
                t = dict(tags)
                way_refs.append(refs)
                way_xy.append(xy)
                foot, ebike, car = street_access(t)
                way_tags.append((t.get("name:zh") or t.get("name", ""), street_class(t), street_oneway(t), foot, ebike, car))
            elif isinstance(obj, osmium.osm.Area):
                tags = obj.tags
                try:
                    g = shapely.from_wkb(wkb.create_multipolygon(obj))
                except Exception:  # a broken multipolygon in OSM: libosmium could not assemble it
                    log.debug("OSM area %s could not be assembled", obj.orig_id())
                    continue
                if g is None or g.is_empty or not g.intersects(area_lonlat):
                    out.outside += 1
                    continue
                if "buildings" in layers and tags.get("building") not in (None, "no"):
                    levels = tags.get("building:levels", "")
                    floors = int(float(levels)) if levels.replace(".", "", 1).isdigit() else 0
                    use = BUILDING_USE.get(tags.get("building"), "") or BUILDING_USE.get(tags.get("amenity", ""), "")
                    for part in shapely.get_parts(g):
                        out.buildings.append((part, floors, use))
                elif "water" in layers and (tags.get("natural") == "water" or tags.get("waterway") == "riverbank"
                                            or tags.get("landuse") in ("reservoir", "basin") or "water" in tags):
                    kind = "river" if tags.get("water") in ("river", "canal") or tags.get("waterway") == "riverbank" else "pond"
                    clipped = shapely.intersection(g, area_lonlat)
                    if not clipped.is_empty:
                        out.water.append((clipped, tags.get("name:zh") or tags.get("name", ""), kind))
    except GridWatchError:
        raise
    except (RuntimeError, ValueError, OSError) as exc:  # libosmium's errors: not an OSM file, truncated ...
        raise GridWatchError("import.unreadable", file=path.name, what="an OpenStreetMap extract",
                             reason=str(exc).strip().splitlines()[0][:300] if str(exc).strip() else type(exc).__name__) from None
    if "streets" in layers:
        out.streets = _split_ways(way_refs, way_xy, way_tags, projection)
    # buildings and water to map metres
    if out.buildings:
        geoms = projection.to_map(np.array([b[0] for b in out.buildings], dtype=object))
        out.buildings = [(g, f, u) for g, (_g0, f, u) in zip(geoms, out.buildings)]
    if out.water:
        geoms = projection.to_map(np.array([w[0] for w in out.water], dtype=object))
        out.water = [(g, n, k) for g, (_g0, n, k) in zip(geoms, out.water)]
    return out


def _split_ways(refs: list[np.ndarray], xys: list[np.ndarray], tags: list, projection: Projection) -> StreetNetwork:
    """Split highway ways at shared nodes; node ids become compact indices."""
    if not refs:
        empty = np.array([], dtype=object)
        return StreetNetwork(np.zeros((0, 2)), np.array([], int), np.array([], int), empty, [], [],
                             np.array([], bool), np.array([], bool), np.array([], bool), np.array([], bool))
    all_refs = np.concatenate(refs)
    uniq, inverse, counts = np.unique(all_refs, return_inverse=True, return_counts=True)
    # ends of every way are nodes too
    is_node = counts > 1
    offsets = np.cumsum([0] + [len(r) for r in refs])
    for k in range(len(refs)):
        is_node[inverse[offsets[k]]] = True
        is_node[inverse[offsets[k + 1] - 1]] = True
    all_xy = np.vstack(xys)
    mx, my = projection.lonlat_to_xy(all_xy[:, 0], all_xy[:, 1])
    map_xy = np.column_stack([mx, my])
    node_xy = np.zeros((len(uniq), 2))
    node_xy[inverse] = map_xy
    a, b, coords_list, name, klass, oneway, foot, ebike, car = [], [], [], [], [], [], [], [], []
    for k in range(len(refs)):
        lo, hi = offsets[k], offsets[k + 1]
        idx = inverse[lo:hi]
        cut = np.flatnonzero(is_node[idx])
        nm, cl, ow, f, e, c = tags[k]
        for s, t in zip(cut[:-1], cut[1:]):
            pa, pb = idx[s], idx[t]
            if pa == pb and t - s < 3:
                continue
            seg = map_xy[lo + s: lo + t + 1]
            if ow < 0:
                seg, pa, pb = seg[::-1], pb, pa
            a.append(pa); b.append(pb); coords_list.append(seg)
            name.append(nm); klass.append(cl); oneway.append(ow != 0); foot.append(f); ebike.append(e); car.append(c)
    geoms = shapely.linestrings(np.vstack(coords_list), indices=np.repeat(np.arange(len(coords_list)), [len(c) for c in coords_list]))
    # compact node numbering over the nodes actually used
    used, new = np.unique(np.concatenate([a, b]), return_inverse=True)
    n = len(a)
    return StreetNetwork(node_xy[used], new[:n], new[n:], geoms, name, klass, np.array(oneway), np.array(foot),
                         np.array(ebike), np.array(car))
