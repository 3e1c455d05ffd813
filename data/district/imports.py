"""The import services: a district's store from its boundary, and every layer and roster into it.

Each import is two steps, so that the console can show what would happen before anything is
written: `plan_import` reads and checks the file (read-only; every problem is collected, and any
problem refuses the whole file) and says what it found and what would change; `commit_import`
writes the plan in one transaction (so Cancel, a crash or a bad row leave the store as it was) and
records the import (who, when, file name, sha256, counts). The command line, the console's wizard
and the demo generator all go through here.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import numpy as np
import shapely
from sqlalchemy import delete, func, insert, select, update

from data import audit
from data.accounts import Principal, require
from data.district import rosters as R
from data.district.coords import local_metric_epsg
from data.district.files import FileFeatures, check_coords, check_geometries, read_features, sha256_of
from data.district.streets import StreetNetwork, graph_pieces, network_from_lines, oneway_of, pieces_report, road_class_of
from data.geo import Projection
from data.messages import GridWatchError, Message
from data.store import models as m
from data.store.core import Store, create_store, open_store, update_extents, write_lock

log = logging.getLogger(__name__)

GEO_KINDS = ("streets", "buildings", "water", "grids")
KINDS = GEO_KINDS + tuple(R.ROSTERS)
MARGIN_M = 500.0  # streets this far outside the boundary are kept: routes may leave and re-enter it
PREVIEW_ROWS = 20
CHUNK = 5000

Progress = Callable[[str, float | None], None]
Cancel = Callable[[], bool]

# GIS layer fields: key -> (header names and aliases looked for, required)
LAYER_FIELDS: dict[str, dict[str, tuple[tuple[str, ...], bool]]] = {
    "streets": {"name": (("name", "名称", "道路名称", "路名", "name_zh", "street", "st_name", "fullname"), False),
                "class": (("class", "road_class", "highway", "等级", "道路等级", "fclass", "type", "kind"), False),
                "oneway": (("oneway", "one_way", "单向", "是否单向"), False),
                "foot": (("foot", "步行"), False), "ebike": (("ebike", "bicycle", "非机动车"), False),
                "car": (("car", "motorcar", "机动车"), False)},
    "buildings": {"floors": (("floors", "levels", "building:levels", "层数", "楼层", "floor"), False),
                  "use": (("use", "kind", "building", "用途", "类型", "type"), False)},
    "water": {"name": (("name", "名称", "水系名称"), False), "kind": (("kind", "water", "类型", "type"), False)},
    "grids": {"code": (("code", "grid_code", "网格编号", "编号", "网格代码", "wgbm"), True),
              "name": (("name", "grid_name", "网格名称", "名称", "wgmc"), False),
              "community": (("community", "社区", "所属社区", "community_name", "sqmc"), False)},
}
LAYER_WANT = {"streets": "line", "buildings": "polygon", "water": "polygon", "grids": "polygon"}
USE_ALIASES = {"住宅": "residential", "居住": "residential", "商业": "commercial", "商住": "commercial", "办公": "commercial",
               "工业": "commercial", "公共": "public", "学校": "public", "医院": "public", "机关": "public"}


@dataclass
class ImportOptions:
    mapping: dict[str, str] = field(default_factory=dict)  # field key -> column in the file
    crs: str | None = None  # declares the file's CRS (required when the file has none)
    coords: str = "wgs84"  # what the file's lon/lat are: wgs84, cgcs2000, gcj02, bd09
    layer: str | None = None  # a layer of a multi-layer file, or a sheet of a workbook
    tolerance_m: float = 1.0  # street noding tolerance

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, {}, "")}


@dataclass
class Diff:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    @property
    def empty(self) -> bool:
        return not (self.added or self.changed or self.removed)


@dataclass
class ImportPlan:
    """What an import would write, and what it found (for the preview and the report)."""

    kind: str
    file: Path
    sha256: str
    options: ImportOptions
    found: dict[str, int] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)
    preview_header: list[str] = field(default_factory=list)
    preview_rows: list[list[str]] = field(default_factory=list)
    mapped: dict[str, str] = field(default_factory=dict)  # field key -> the file's column
    columns: list[str] = field(default_factory=list)  # every column the file has
    diff: Diff | None = None
    preview_lonlat: np.ndarray | None = None  # points to show on the map before committing (n, 2)
    preview_geoms: np.ndarray | None = None  # or lines/polygons, lon/lat
    payload: Any = None


class ImportRefused(GridWatchError):
    """A file that cannot be imported: the message says why; `problems` lists each bad row/feature."""

    def __init__(self, code: str, problems: list[Message] | None = None, **fields):
        super().__init__(code, **fields)
        self.problems = problems or []


# --- init -------------------------------------------------------------------------------------------

def read_boundary(path: str | Path, *, crs=None, coords=None, layer=None) -> tuple[shapely.Geometry, str | None]:
    """The district outline (lon/lat MultiPolygon: the union of the file's polygons) and a name
    from a name column when the file has one."""
    table = read_features(path, want="polygon", layer=layer, crs=crs, coords=coords)
    problems = check_geometries(table, "polygon")
    if problems:
        raise ImportRefused("import.bad_features", problems, file=table.file.name, count=len(problems))
    union = shapely.union_all(table.geoms)
    polys = [p for p in shapely.get_parts(union) if p.geom_type == "Polygon"]
    name = None
    for key in ("name", "名称", "NAME", "Name", "jdmc", "街道名称"):
        if key in table.columns and table.columns[key] and isinstance(table.columns[key][0], str):
            name = table.columns[key][0]
            break
    return shapely.MultiPolygon(polys), name


def init_district(out: str | Path, boundary: str | Path, *, name: str | None = None, crs=None, coords=None,
                  layer=None, overwrite: bool = False, actor: str = "init") -> Store:
    """Create an empty store for the district in `boundary`, measured in its local metric CRS.
    The store is written beside `out` and renamed into place only when complete."""
    out = Path(out).expanduser().resolve()
    if out.exists() and not overwrite:
        from data.store.core import StoreExists
        raise StoreExists(f"{out} already exists; choose another file or allow overwriting it")
    coords = check_coords(coords)
    district, file_name = read_boundary(boundary, crs=crs, coords=coords, layer=layer)
    c = district.representative_point()
    projection = Projection(local_metric_epsg(c.x, c.y))
    part = out.with_name(f".{out.name}.part")
    store = create_store(part, projection, overwrite=True)
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(m.District), [dict(id=1, name=(name or file_name or Path(boundary).stem)[:64], geom=district)])
            _record(conn, "boundary", Path(boundary), sha256_of(boundary), actor,
                    {"parts": len(district.geoms), "area_km2": round(float(projection.to_map(district).area) / 1e6, 3)},
                    ImportOptions(crs=crs, coords=coords, layer=layer))
        store.set_meta("district_name", (name or file_name or Path(boundary).stem))
        update_extents(store)
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    os.replace(part, out)
    return open_store(out)


# --- planning --------------------------------------------------------------------------------------

def _district_lonlat(store: Store) -> shapely.Geometry:
    with store.session() as s:
        geoms = s.scalars(select(m.District.geom)).all()
    if not geoms:
        raise GridWatchError("import.no_district")
    return shapely.union_all(geoms)


def _margin_area(store: Store, district: shapely.Geometry, margin_m: float = MARGIN_M) -> shapely.Geometry:
    return store.projection.to_store(store.projection.to_map(district).buffer(margin_m))


def plan_import(store: Store, kind: str, path: str | Path, options: ImportOptions | None = None, *,
                progress: Progress | None = None, cancel: Cancel | None = None) -> ImportPlan:
    """Read and check `path` as `kind` for `store`, changing nothing. Raises ImportRefused (with every
    bad row or feature) or GridWatchError (the file as a whole)."""
    options = options or ImportOptions()
    options.coords = check_coords(options.coords)
    if kind not in KINDS:
        raise GridWatchError("import.unknown_kind", kind=kind)
    path = Path(path)
    if not path.exists() or path.is_dir():
        raise GridWatchError("import.no_file", file=str(path))
    report = progress or (lambda _m, _f: None)
    report("reading", None)
    plan = ImportPlan(kind, path, sha256_of(path), options)
    district = _district_lonlat(store)
    if kind in GEO_KINDS:
        if _is_osm(path):
            if kind == "grids":
                raise GridWatchError("import.unreadable", file=path.name, what="grids", reason="OpenStreetMap has no grids")
            _plan_osm(store, plan, district, report, cancel)
        else:
            _with_columns(plan, lambda: _plan_layer(store, plan, district, report, cancel))
    else:
        _with_columns(plan, lambda: _plan_roster(store, plan, district))
    return plan


def _with_columns(plan: ImportPlan, run: Callable[[], None]) -> None:
    """A refusal carries the file's columns (`file_columns`), so the wizard can offer them for the
    mapping without reading the file again."""
    try:
        run()
    except GridWatchError as exc:
        exc.file_columns = [c for c in plan.columns if c]
        raise


def _is_osm(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith((".osm.pbf", ".pbf", ".osm", ".osm.bz2", ".osm.gz"))


def _plan_osm(store: Store, plan: ImportPlan, district, report: Progress, cancel: Cancel | None) -> None:
    from data.district.osm import read_osm
    area = _margin_area(store, district)
    content = read_osm(plan.file, store.projection, area, layers=(plan.kind,), cancel=cancel,
                       progress=lambda f: report("reading", f))
    plan.found["outside"] = content.outside
    if plan.kind == "streets":
        _finish_streets(store, plan, content.streets)
        plan.found["ways"] = content.ways_read
    elif plan.kind == "buildings":
        _finish_buildings(store, plan, [b[0] for b in content.buildings], [b[1] for b in content.buildings],
                          [b[2] for b in content.buildings])
    else:
        _finish_water(store, plan, [w[0] for w in content.water], [w[1] for w in content.water], [w[2] for w in content.water])


def _layer_columns(plan: ImportPlan, table: FileFeatures) -> dict[str, str]:
    """field key -> column of the file: the user's mapping first, then the usual names."""
    spec = LAYER_FIELDS[plan.kind]
    cols = list(table.columns)
    lower = {c.lower(): c for c in cols}
    out = {}
    for key, column in plan.options.mapping.items():
        if key not in spec:
            raise GridWatchError("import.bad_mapping", mapping=f"{key}={column}", column=key, file=plan.file.name,
                                 columns=", ".join(spec))
        if column not in table.columns and column.lower() not in lower:
            raise GridWatchError("import.bad_mapping", mapping=f"{key}={column}", column=column, file=plan.file.name,
                                 columns=", ".join(cols))
        out[key] = column if column in table.columns else lower[column.lower()]
    for key, (names, _req) in spec.items():
        if key not in out:
            hit = next((lower[n.lower()] for n in names if n.lower() in lower), None)
            if hit:
                out[key] = hit
    missing = [k for k, (_n, req) in spec.items() if req and k not in out]
    if missing:
        raise GridWatchError("import.missing_columns", file=plan.file.name, fields=", ".join(missing), columns=", ".join(cols))
    return out


def _plan_layer(store: Store, plan: ImportPlan, district, report: Progress, cancel: Cancel | None) -> None:
    o = plan.options
    want = LAYER_WANT[plan.kind]
    table = read_features(plan.file, want=want, layer=o.layer, crs=o.crs, coords=o.coords)
    plan.columns = list(table.columns)
    cols = _layer_columns(plan, table)
    plan.mapped = cols
    shown = list(cols.values()) + [c for c in table.columns if c not in cols.values()]
    plan.preview_header = shown
    plan.preview_rows = [[_text(table.columns[c][k]) for c in shown] for k in range(min(PREVIEW_ROWS, len(table)))]
    problems = check_geometries(table, want)
    if plan.kind == "grids":
        problems += _grid_part_problems(table, cols)
    if problems:
        raise ImportRefused("import.bad_features", problems, file=plan.file.name, count=len(problems))
    if cancel is not None and cancel():
        raise GridWatchError("import.cancelled")
    col = lambda key: table.columns[cols[key]] if key in cols else [None] * len(table)
    area = _margin_area(store, district)
    near = shapely.intersects(table.geoms, area)
    if not near.any():
        raise GridWatchError("import.not_in_district", file=plan.file.name)
    plan.found["outside"] = int((~near).sum()) if plan.kind != "grids" else 0
    if plan.found["outside"]:
        plan.notes.append(Message("found.skipped_outside", {"count": plan.found["outside"]}))
    idx = np.flatnonzero(near) if plan.kind != "grids" else np.arange(len(table))
    geoms_map = store.projection.to_map(table.geoms[idx])
    report("checking", 0.5)
    if plan.kind == "streets":
        parts, src = shapely.get_parts(geoms_map, return_index=True)
        raw_class = [col("class")[idx[i]] for i in src]
        classes = [road_class_of(v) for v in raw_class]
        unknown = sorted({str(v) for v, c in zip(raw_class, classes) if c is None and v is not None})
        n_unknown = sum(1 for c in classes if c is None)
        if "class" in cols and n_unknown:
            plan.notes.append(Message("found.unknown_class", {"count": n_unknown, "values": ", ".join(unknown[:10]) or "—"}))
        access = {k: np.array([_truthy(col(k)[idx[i]], True) for i in src]) for k in ("foot", "ebike", "car")}
        net = network_from_lines(parts, names=[_text(col("name")[idx[i]]) for i in src],
                                 classes=[c or "minor" for c in classes],
                                 oneway=np.array([oneway_of(col("oneway")[idx[i]]) for i in src]),
                                 tolerance_m=o.tolerance_m, **access)
        _finish_streets(store, plan, net)
    elif plan.kind == "buildings":
        parts, src = shapely.get_parts(geoms_map, return_index=True)
        floors = [_int(col("floors")[idx[i]]) for i in src]
        uses = [_use(col("use")[idx[i]]) for i in src]
        _finish_buildings(store, plan, list(parts), floors, uses)
    elif plan.kind == "water":
        _finish_water(store, plan, list(geoms_map), [_text(col("name")[i]) for i in idx],
                      ["river" if "river" in str(col("kind")[i]).lower() or "河" in str(col("kind")[i]) else "pond" for i in idx])
    else:
        _finish_grids(store, plan, table, cols, geoms_map, district)


def _grid_part_problems(table: FileFeatures, cols: dict[str, str]) -> list[Message]:
    out = []
    codes = table.columns[cols["code"]]
    for k, g in enumerate(table.geoms):
        if g is not None and g.geom_type == "MultiPolygon" and len(g.geoms) > 1:
            out.append(Message("feature.multipart_grid", {"row": k + 1, "code": codes[k], "parts": len(g.geoms)}))
        if R.blank(codes[k]):
            out.append(Message("row.missing", {"row": k + 1, "column": cols["code"]}))
    seen = {}
    for k, c in enumerate(codes):
        c = _text(c)
        if c and c in seen:
            out.append(Message("row.duplicate", {"row": k + 1, "column": cols["code"], "value": c, "first": seen[c]}))
        seen.setdefault(c, k + 1)
    return out


def _finish_streets(store: Store, plan: ImportPlan, net: StreetNetwork) -> None:
    if net is None or len(net) == 0:
        raise GridWatchError("import.empty", file=plan.file.name)
    pieces = graph_pieces(net, store.projection)
    plan.found.update(segments=len(net), nodes=len(net.node_xy), pieces=len(pieces),
                      length_km=int(round(float(shapely.length(net.geoms).sum()) / 1000)),
                      oneway=int(net.oneway.sum()), no_cars=int((~net.car).sum()))
    plan.notes += pieces_report(pieces)
    plan.payload = net
    plan.preview_geoms = store.projection.to_store(net.geoms[:: max(1, len(net) // 5000)])
    with store.session() as s:
        plan.found["replaces"] = s.scalar(select(func.count()).select_from(m.StreetSegment)) or 0


def _finish_buildings(store: Store, plan: ImportPlan, geoms: list, floors: list, uses: list) -> None:
    geoms = [g for g in geoms if g is not None and g.geom_type == "Polygon" and not g.is_empty]
    if not geoms:
        raise GridWatchError("import.empty", file=plan.file.name)
    unknown = sum(1 for u in uses if not u)
    if unknown:
        plan.notes.append(Message("found.unknown_use", {"count": unknown}))
    plan.found.update(buildings=len(geoms))
    plan.payload = (np.array(geoms, dtype=object), [int(f or 0) for f in floors], [u or "residential" for u in uses])
    with store.session() as s:
        plan.found["replaces"] = s.scalar(select(func.count()).select_from(m.Building)) or 0
    plan.preview_geoms = store.projection.to_store(plan.payload[0][:: max(1, len(geoms) // 5000)])


def _finish_water(store: Store, plan: ImportPlan, geoms: list, names: list, kinds: list) -> None:
    rows = []
    for g, n, k in zip(geoms, names, kinds):
        polys = [p for p in shapely.get_parts(g) if p.geom_type == "Polygon" and not p.is_empty]
        if polys:
            rows.append((shapely.MultiPolygon(polys), n or "", k))
    if not rows:
        raise GridWatchError("import.empty", file=plan.file.name)
    plan.found.update(water=len(rows))
    plan.payload = rows
    with store.session() as s:
        plan.found["replaces"] = s.scalar(select(func.count()).select_from(m.Water)) or 0
    plan.preview_geoms = store.projection.to_store(np.array([r[0] for r in rows], dtype=object))


def _finish_grids(store: Store, plan: ImportPlan, table: FileFeatures, cols, geoms_map, district) -> None:
    from data.grids.sets import validate
    from data.snapshot import grid_set_in_force
    codes = [_text(c) for c in table.columns[cols["code"]]]
    names = [(_text(n) or c) for n, c in zip(table.columns[cols["name"]] if "name" in cols else codes, codes)]
    communities = [_text(c) or "" for c in (table.columns[cols["community"]] if "community" in cols else [""] * len(codes))]
    polys = np.array([g if g.geom_type == "Polygon" else g.geoms[0] for g in geoms_map], dtype=object)
    problems = validate(codes, polys, store.projection.to_map(district))
    current = grid_set_in_force(store)
    plan.found.update(grids=len(codes), communities=len({c for c in communities if c}), problems=len(problems))
    for p in problems[:50]:
        plan.notes.append(p.message)
    plan.payload = {"codes": codes, "names": names, "communities": communities, "geoms": polys,
                    "publish": current is None and not problems}
    if current is not None:
        from data.grids.sets import load_grid_set
        old = set(load_grid_set(store, current.id).codes)
        plan.diff = Diff(added=sorted(set(codes) - old), removed=sorted(old - set(codes)),
                         changed=sorted(set(codes) & old), unchanged=0)
    plan.preview_geoms = store.projection.to_store(polys)


def _plan_roster(store: Store, plan: ImportPlan, district) -> None:
    from data.snapshot import grid_set_in_force
    o = plan.options
    sheet = R.read_sheet(plan.file, o.layer)
    plan.columns = list(sheet.header)
    teams = grids = None
    with store.session() as s:
        if plan.kind in ("members", "devices"):
            teams = set(s.scalars(select(m.Team.code)).all())
        if plan.kind == "teams":
            gs = grid_set_in_force(store)
            grids = set(s.scalars(select(m.Grid.code).where(m.Grid.grid_set_id == gs.id)).all()) if gs else set()
    checked = R.check_rows(plan.kind, sheet, mapping=o.mapping, coords=o.coords, teams=teams, grids=grids, district=district)
    cols = checked.columns
    plan.mapped = {k: sheet.header[i] for k, i in cols.items()}
    order = [cols[f.key] for f in R.ROSTERS[plan.kind].fields if f.key in cols]
    plan.preview_header = [sheet.header[i] for i in order]
    plan.preview_rows = [[_text(r[i]) if i < len(r) else "" for i in order] for r in sheet.rows[:PREVIEW_ROWS]]
    if checked.problems:
        raise ImportRefused("import.bad_features", checked.problems, file=plan.file.name, count=len(checked.problems))
    plan.payload = checked.records
    plan.found[plan.kind] = len(checked.records)
    if plan.kind == "cameras":
        plan.preview_lonlat = np.array([(r["lon"], r["lat"]) for r in checked.records], float).reshape(-1, 2)
    plan.diff = roster_diff(store, plan.kind, checked.records)


# --- the diff against the store ---------------------------------------------------------------------

def _current_roster(conn, kind: str) -> dict[tuple, dict]:
    """The roster as stored, keyed like the file, with the same fields."""
    out: dict[tuple, dict] = {}
    if kind == "cameras":
        for c in conn.execute(select(m.Camera.code, m.Camera.name, m.Camera.geom, m.Camera.hd, m.Camera.heading_deg, m.Camera.fov_deg,
                                     m.Camera.range_m, m.Camera.stream_url, m.Camera.status)).all():
            out[(c[0],)] = dict(code=c[0], name=c[1], lon=round(c[2].x, 7), lat=round(c[2].y, 7), hd=bool(c[3]), heading_deg=c[4],
                                fov_deg=c[5], range_m=c[6], stream_url=c[7], status=c[8])
    elif kind == "teams":
        for t in conn.execute(select(m.Team.code, m.Team.name, m.Team.kind, m.Team.transport, m.Team.home_grid_code,
                                     m.Team.duty_start_min, m.Team.duty_end_min)).all():
            out[(t[0],)] = dict(code=t[0], name=t[1], kind=t[2], transport=t[3], home_grid_code=t[4], duty_start_min=t[5], duty_end_min=t[6])
    elif kind == "members":
        for mb in conn.execute(select(m.Member.name, m.Member.phone, m.Team.code, m.Member.role).join(m.Team, m.Team.id == m.Member.team_id)).all():
            out[(mb[2], mb[0])] = dict(name=mb[0], phone=mb[1], team=mb[2], role=mb[3])
    elif kind == "staff":
        for st in conn.execute(select(m.Staff.name, m.Staff.role)).all():
            out[(st[0],)] = dict(name=st[0], role=st[1])
    elif kind == "devices":
        for d in conn.execute(select(m.TrackerDevice.device_id, m.Team.code).join(m.Team, m.Team.id == m.TrackerDevice.team_id)).all():
            out[(d[0],)] = dict(device_id=d[0], team=d[1])
    return out


def _same(new: dict, old: dict) -> bool:
    """The file's row says what the store already holds (coordinates to about 0.1 m)."""
    for k, v in new.items():
        if k not in old:
            continue
        o = old[k]
        if isinstance(v, float) or isinstance(o, float):
            if v is None or o is None or abs(float(v) - float(o)) > (1e-6 if k in ("lon", "lat") else 1e-9):
                if not (v is None and o is None):
                    return False
        elif (v or None) != (o or None):
            return False
    return True


def _compare(conn, kind: str, records: list[dict]) -> tuple[dict, dict, list, list, list]:
    """(stored rows, file rows by key, added keys, changed keys, removed keys): the one comparison
    behind the preview (roster_diff) and the write (apply_roster)."""
    key = R.ROSTERS[kind].key
    current = _current_roster(conn, kind)
    new = {tuple(r[f] for f in key): r for r in records}
    added = [k for k in new if k not in current]
    changed = [k for k in new if k in current and not _same(new[k], current[k])]
    removed = [k for k in current if k not in new]
    return current, new, added, changed, removed


def roster_diff(store: Store, kind: str, records: list[dict]) -> Diff:
    with store.engine.connect() as conn:
        _current, new, added, changed, removed = _compare(conn, kind, records)
    label = lambda k: " / ".join(map(str, k))
    return Diff([label(k) for k in added], [label(k) for k in changed], [label(k) for k in removed],
                len(new) - len(added) - len(changed))


# --- committing ------------------------------------------------------------------------------------

def commit_import(store: Store, plan: ImportPlan, *, actor: Principal, progress: Progress | None = None,
                  cancel: Cancel | None = None, at: datetime | None = None) -> dict[str, int]:
    """Write a plan in one transaction and record it (import log and audit trail) as a signed-in
    account allowed to import; returns the counts recorded. The file must still be what was
    planned (same sha256)."""
    require(actor, "district.import")
    if sha256_of(plan.file) != plan.sha256:
        raise GridWatchError("import.unreadable", file=plan.file.name, what="the file that was checked",
                             reason="it changed after it was checked; check it again")
    report = progress or (lambda _m, _f: None)
    at = at or datetime.now(timezone.utc)

    def tick(done: int, total: int) -> None:
        if cancel is not None and cancel():
            raise GridWatchError("import.cancelled")
        report("writing", done / max(total, 1))

    with store.engine.begin() as conn:
        write_lock(conn)
        counts = write_plan(conn, store, plan, tick=tick, at=at)
        _record(conn, plan.kind, plan.file, plan.sha256, actor.username, counts, plan.options, at)
        from sqlalchemy.orm import Session
        with Session(bind=conn) as s:
            audit.append(s, account_id=actor.account_id, username=actor.username, action=f"import.{plan.kind}",
                         object_type="import", object_id=plan.file.name,
                         after={"file": plan.file.name, "sha256": plan.sha256, "counts": counts}, at=at)
    if plan.kind in GEO_KINDS or plan.kind == "cameras":
        update_extents(store)
    log.info("imported %s from %s by %s: %s", plan.kind, plan.file, actor.username, counts)
    return counts


def write_plan(conn, store: Store, plan: ImportPlan, *, tick=lambda d, t: None, at: datetime | None = None) -> dict[str, int]:
    """Write a checked plan on an open transaction (the demo calls this too)."""
    kind = plan.kind
    if kind == "streets":
        return write_streets(conn, store, plan.payload, tick)
    if kind == "buildings":
        geoms, floors, uses = plan.payload
        return write_buildings(conn, store, geoms, floors, uses, tick)
    if kind == "water":
        return write_water(conn, store, plan.payload)
    if kind == "grids":
        return _write_grids(conn, store, plan.payload, at or datetime.now(timezone.utc), plan.file.name)
    return apply_roster(conn, kind, plan.payload, tick=tick)


def write_streets(conn, store: Store, net: StreetNetwork, tick=lambda d, t: None) -> dict[str, int]:
    conn.execute(delete(m.StreetSegment))
    geoms = store.projection.to_store(net.geoms)
    lengths = shapely.length(net.geoms)
    total = len(net)
    for lo in range(0, total, CHUNK):
        hi = min(lo + CHUNK, total)
        conn.execute(insert(m.StreetSegment), [
            dict(id=i + 1, name=(net.name[i] or "")[:64], road_class=net.road_class[i], from_node=int(net.a[i]), to_node=int(net.b[i]),
                 oneway=bool(net.oneway[i]), length_m=float(lengths[i]), foot=bool(net.foot[i]), ebike=bool(net.ebike[i]),
                 car=bool(net.car[i]), geom=geoms[i]) for i in range(lo, hi)])
        tick(hi, total)
    return {"segments": total, "nodes": len(net.node_xy)}


def write_buildings(conn, store: Store, geoms: np.ndarray, floors: list[int], uses: list[str], tick=lambda d, t: None) -> dict[str, int]:
    """Replace the buildings (map metres in, store lon/lat written)."""
    conn.execute(delete(m.Building))
    store_geoms = store.projection.to_store(np.asarray(geoms, dtype=object))
    total = len(store_geoms)
    for lo in range(0, total, CHUNK):
        hi = min(lo + CHUNK, total)
        conn.execute(insert(m.Building), [dict(id=i + 1, floors=int(floors[i]), kind=uses[i], geom=store_geoms[i]) for i in range(lo, hi)])
        tick(hi, total)
    return {"buildings": total}


def write_water(conn, store: Store, rows: list[tuple]) -> dict[str, int]:
    """Replace the water areas: (multipolygon in map metres, name, kind) each."""
    conn.execute(delete(m.Water))
    geoms = store.projection.to_store(np.array([r[0] for r in rows], dtype=object))
    conn.execute(insert(m.Water), [dict(id=i + 1, name=(n or "")[:64], kind=k, geom=g) for i, (g, (_g, n, k)) in enumerate(zip(geoms, rows))])
    return {"water": len(rows)}


def _write_grids(conn, store: Store, payload: dict, at: datetime, file_name: str) -> dict[str, int]:
    return write_grid_set(conn, store, codes=payload["codes"], names=payload["names"], communities=payload["communities"],
                          geoms=payload["geoms"], publish=payload["publish"], at=at, name=f"导入 {file_name}",
                          note=f"imported from {file_name}")


def write_grid_set(conn, store: Store, *, codes: list[str], names: list[str], communities: list[str], geoms: np.ndarray,
                   publish: bool, at: datetime, name: str, note: str = "", community_codes: dict[str, str] | None = None,
                   effective_from: datetime | None = None) -> dict[str, int]:
    """A new grid set (published from `effective_from`, default `at`, or a draft); communities are
    found by name or created (with the given codes, else C001 ...); grid workers carried over by
    grid code from the set in force."""
    existing = dict(conn.execute(select(m.Community.name, m.Community.id)).all())
    n_new = 0
    cid_of = {}
    for cname in dict.fromkeys(communities):
        label = cname or "—"
        if label not in existing:
            n = conn.execute(select(func.count()).select_from(m.Community)).scalar() + 1
            code = (community_codes or {}).get(cname) or f"C{n:03d}"
            res = conn.execute(insert(m.Community).values(code=code, name=label[:64]))
            existing[label] = res.inserted_primary_key[0]
            n_new += 1
        cid_of[cname] = existing[label]
    # grid workers carried over by grid code from the set in force
    from data.snapshot import grid_set_id_in_force
    current = grid_set_id_in_force(conn, at)
    workers = {}
    if current is not None:
        workers = dict(conn.execute(select(m.Grid.code, m.Grid.worker_member_id).where(m.Grid.grid_set_id == current)).all())
    res = conn.execute(insert(m.GridSet).values(name=name[:128], status="published" if publish else "draft",
                                                effective_from=(effective_from or at) if publish else None, created_at=effective_from or at,
                                                note=note))
    gid = res.inserted_primary_key[0]
    store_geoms = store.projection.to_store(np.asarray(geoms, dtype=object))
    conn.execute(insert(m.Grid), [dict(grid_set_id=gid, code=c, name=n[:64], community_id=cid_of[cm], worker_member_id=workers.get(c), geom=g)
                                  for c, n, cm, g in zip(codes, names, communities, store_geoms)])
    return {"grids": len(codes), "communities_added": n_new, "grid_set": gid, "published": int(publish)}


def import_roster_rows(conn, store: Store, kind: str, header: list[str], rows: list[list], *, coords: str = "wgs84",
                       file_name: str = "(rows)", bound_at: datetime | None = None, at: datetime | None = None) -> dict[str, int]:
    """Check rows as a roster file would be checked (same headers, same rules) and apply them, on an
    open transaction: the demo generator writes its rosters through here."""
    sheet = R.Sheet(Path(file_name), header, rows, list(range(2, len(rows) + 2)))
    teams = set(conn.execute(select(m.Team.code)).scalars()) if kind in ("members", "devices") else None
    grids = None
    if kind == "teams":
        from data.snapshot import grid_set_id_in_force
        gs = grid_set_id_in_force(conn, at or datetime.now(timezone.utc))
        grids = set(conn.execute(select(m.Grid.code).where(m.Grid.grid_set_id == gs)).scalars()) if gs else set()
    district = None
    if kind == "cameras":
        blobs = conn.execute(select(m.District.geom)).scalars().all()
        district = shapely.union_all(blobs) if blobs else None
    checked = R.check_rows(kind, sheet, coords=coords, teams=teams, grids=grids, district=district)
    if checked.problems:
        raise ImportRefused("import.bad_features", checked.problems, file=file_name, count=len(checked.problems))
    return apply_roster(conn, kind, checked.records, bound_at=bound_at)


def apply_roster(conn, kind: str, records: list[dict], *, tick=lambda d, t: None, bound_at: datetime | None = None) -> dict[str, int]:
    """Make the stored roster equal to `records`: add, change in place (ids kept, so history stays
    attached), remove what the file no longer lists unless history still points at it."""
    _current, new, added, changed, removed = _compare(conn, kind, records)
    team_id = dict(conn.execute(select(m.Team.code, m.Team.id)).all())
    bound_at = bound_at or datetime.now(timezone.utc)

    def values(rec: dict) -> dict:
        if kind == "cameras":
            v = {k: rec[k] for k in ("code", "name", "hd", "heading_deg", "fov_deg", "range_m", "stream_url", "status")}
            v["geom"] = shapely.Point(rec["lon"], rec["lat"])
            return v
        if kind == "teams":
            return {k: rec[k] for k in ("code", "name", "kind", "transport", "home_grid_code", "duty_start_min", "duty_end_min")}
        if kind == "members":
            return dict(name=rec["name"], phone=rec["phone"], role=rec["role"], team_id=team_id[rec["team"]])
        if kind == "staff":
            return dict(name=rec["name"], role=rec["role"])
        return dict(device_id=rec["device_id"], team_id=team_id[rec["team"]])

    model = {"cameras": m.Camera, "teams": m.Team, "members": m.Member, "staff": m.Staff, "devices": m.TrackerDevice}[kind]
    for k in removed:
        _remove(conn, kind, k)
    for k in changed:
        conn.execute(update(model).where(*_where(kind, k, team_id)).values(**values(new[k])))
    rows = [values(new[k]) for k in added]
    if kind == "devices":
        for r in rows:
            r["bound_at"] = bound_at
            conn.execute(delete(m.UnknownDevice).where(m.UnknownDevice.device_id == r["device_id"]))
    for lo in range(0, len(rows), CHUNK):
        conn.execute(insert(model), rows[lo:lo + CHUNK])
        tick(lo + CHUNK, len(rows))
    if kind in ("members", "teams"):
        _assign_grid_workers(conn)
    return {"added": len(added), "changed": len(changed), "removed": len(removed), "rows": len(records)}


def _where(kind: str, k: tuple, team_id: dict) -> list:
    if kind == "cameras":
        return [m.Camera.code == k[0]]
    if kind == "teams":
        return [m.Team.code == k[0]]
    if kind == "members":
        return [m.Member.team_id == team_id.get(k[0], -1), m.Member.name == k[1]]
    if kind == "staff":
        return [m.Staff.name == k[0]]
    return [m.TrackerDevice.device_id == k[0]]


def _remove(conn, kind: str, k: tuple) -> None:
    label = " / ".join(map(str, k))
    if kind == "teams":
        tid = conn.execute(select(m.Team.id).where(m.Team.code == k[0])).scalar()
        for what, q in (("position fixes", select(func.count()).select_from(m.Fix).where(m.Fix.team_id == tid)),
                        ("case events", select(func.count()).select_from(m.CaseEvent).where(m.CaseEvent.team_id == tid)),
                        ("members", select(func.count()).select_from(m.Member).where(m.Member.team_id == tid)),
                        ("trackers", select(func.count()).select_from(m.TrackerDevice).where(m.TrackerDevice.team_id == tid))):
            n = conn.execute(q).scalar()
            if n:
                raise GridWatchError("import.cannot_remove", what="team", key=label, reason=f"{n} {what} refer to it")
        conn.execute(delete(m.Recommendation).where(m.Recommendation.team_id == tid))
        conn.execute(delete(m.Team).where(m.Team.id == tid))
    elif kind == "members":
        mid = conn.execute(select(m.Member.id).join(m.Team, m.Team.id == m.Member.team_id)
                           .where(m.Team.code == k[0], m.Member.name == k[1])).scalar()
        conn.execute(update(m.Grid).where(m.Grid.worker_member_id == mid).values(worker_member_id=None))
        conn.execute(delete(m.Member).where(m.Member.id == mid))
    elif kind == "cameras":
        conn.execute(delete(m.Camera).where(m.Camera.code == k[0]))
    elif kind == "staff":
        conn.execute(delete(m.Staff).where(m.Staff.name == k[0]))
    else:
        conn.execute(delete(m.TrackerDevice).where(m.TrackerDevice.device_id == k[0]))


def _assign_grid_workers(conn) -> None:
    """A grid without a grid worker gets the leader (else the first member) of the grid-worker team
    homed in it, in every grid set: that is who the grid-worker rules dispatch."""
    rows = conn.execute(select(m.Team.home_grid_code, m.Member.id, m.Member.role).join(m.Member, m.Member.team_id == m.Team.id)
                        .where(m.Team.kind == "grid_worker").order_by(m.Member.id)).all()
    best: dict[str, tuple[bool, int]] = {}  # grid -> (is a leader, member id)
    for grid, mid, role in rows:
        if grid not in best or (role == "leader" and not best[grid][0]):
            best[grid] = (role == "leader", mid)
    best = {g: mid for g, (_leader, mid) in best.items()}
    for grid, mid in best.items():
        conn.execute(update(m.Grid).where(m.Grid.code == grid, m.Grid.worker_member_id.is_(None)).values(worker_member_id=mid))


def _record(conn, kind: str, path: Path, sha: str, actor: str, counts: dict, options: ImportOptions,
            at: datetime | None = None) -> None:
    conn.execute(insert(m.ImportRecord).values(t=at or datetime.now(timezone.utc), actor=actor[:64], kind=kind, file_name=path.name,
                                              sha256=sha, counts=json.dumps(counts, ensure_ascii=False, sort_keys=True),
                                              options=json.dumps(options.as_dict(), ensure_ascii=False, sort_keys=True)))


def import_history(store: Store) -> list[dict]:
    with store.session() as s:
        rows = s.scalars(select(m.ImportRecord).order_by(m.ImportRecord.id)).all()
    return [dict(t=r.t, actor=r.actor, kind=r.kind, file=r.file_name, sha256=r.sha256, counts=json.loads(r.counts),
                 options=json.loads(r.options or "{}")) for r in rows]


# --- small helpers -----------------------------------------------------------------------------------

def _text(v) -> str:
    if R.blank(v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _int(v) -> int:
    try:
        return max(0, int(float(v)))
    except (TypeError, ValueError):
        return 0


def _truthy(v, default: bool) -> bool:
    if R.blank(v):
        return default
    return str(v).strip().lower() not in ("no", "false", "0", "否", "n", "private")


def _use(v) -> str:
    from data.district.osm import BUILDING_USE
    t = _text(v)
    return BUILDING_USE.get(t.lower()) or USE_ALIASES.get(t) or ""
