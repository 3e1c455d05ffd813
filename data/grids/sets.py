"""Grid sets: validation, drafts, publishing new versions, and grid files in and out.

One validation function serves the console, the command line and the QGIS plugin. Grid sets are
versions: publishing never changes a published set; it adds one with an effective-from time, and
whatever asks "which grid" at time t gets the set in force at t.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import numpy as np
import shapely
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from data import audit
from data.accounts import Principal, require
from data.messages import Message
from data.store import models as m
from data.store.core import Store, write_lock

AREA_MIN_M2 = 20_000.0  # a grid smaller than 2 ha is a sliver or a mistake
AREA_MAX_M2 = 2_000_000.0
TOLERANCE_M2 = 1.0  # overlaps and gaps smaller than this are rounding, not problems
# ... and so are longer ones thinner than this: two files in different CRSs disagree by millimetres
# along a kilometre-long edge (a straight line in one is a curve in the other).
SLIVER_WIDTH_M = 0.10


@dataclass(frozen=True)
class Problem:
    kind: str  # invalid | empty | overlap | gap | outside | duplicate_code | too_small | too_large
    grids: tuple[str, ...]  # codes involved
    x: float  # where (map metres), for zooming to it
    y: float
    detail: str  # English, for the command line and files
    code: str = ""  # the coded message (data/messages.py) the console shows in the user's language
    params: tuple[tuple[str, object], ...] = ()

    def describe(self) -> str:
        who = ", ".join(self.grids) if self.grids else "—"
        return f"{self.kind}: {who}: {self.detail}"

    @property
    def message(self) -> Message:
        return Message(self.code or f"grid.{self.kind}", {"grids": ", ".join(self.grids) or "—", **dict(self.params)})


@dataclass
class ValidationSettings:
    area_min_m2: float = AREA_MIN_M2
    area_max_m2: float = AREA_MAX_M2
    tolerance_m2: float = TOLERANCE_M2
    sliver_width_m: float = SLIVER_WIDTH_M

    def matters(self, piece: shapely.Geometry) -> bool:
        """A gap, overlap or outside piece big and thick enough to be a real problem."""
        return piece.area > self.tolerance_m2 and not shapely.buffer(piece, -self.sliver_width_m / 2).is_empty


def validate(codes: Sequence[str], geoms: Sequence[shapely.Geometry], district: shapely.Geometry | None,
             settings: ValidationSettings | None = None) -> list[Problem]:
    """Every problem of a grid set (map metres): invalid or empty polygons, overlaps, gaps inside the
    district, parts outside it, duplicate codes, areas out of bounds. Empty list: the set is valid."""
    s = settings or ValidationSettings()
    codes = list(codes)
    g = np.asarray(list(geoms), dtype=object)
    out: list[Problem] = []
    seen: dict[str, int] = {}
    for code in codes:
        seen[code] = seen.get(code, 0) + 1
    for code, n in seen.items():
        if n > 1:
            i = codes.index(code)
            c = shapely.point_on_surface(g[i]) if g[i] is not None and not g[i].is_empty else shapely.Point(0, 0)
            out.append(Problem("duplicate_code", (code,), c.x, c.y, f"{n} grids share the code {code}", params=(("n", n), ("code", code))))
    usable = np.zeros(len(g), dtype=bool)
    for i, (code, geom) in enumerate(zip(codes, g)):
        if geom is None or geom.is_empty:
            out.append(Problem("empty", (code,), 0.0, 0.0, "no geometry"))
            continue
        if geom.geom_type != "Polygon":
            c = geom.representative_point()
            out.append(Problem("invalid", (code,), c.x, c.y, f"a grid must be one polygon, not a {geom.geom_type}", "grid.not_polygon",
                               (("gtype", geom.geom_type),)))
            continue
        if not geom.is_valid:
            reason = shapely.is_valid_reason(geom)
            loc = shapely.get_coordinates(shapely.get_point(shapely.boundary(geom), 0))
            xy = _reason_location(reason) or (float(loc[0, 0]), float(loc[0, 1]))
            out.append(Problem("invalid", (code,), xy[0], xy[1], reason, params=(("reason", reason),)))
            continue
        usable[i] = True
        area = geom.area
        c = geom.representative_point()
        if area < s.area_min_m2:
            out.append(Problem("too_small", (code,), c.x, c.y, f"{area:,.0f} m² is below {s.area_min_m2:,.0f} m²",
                               params=(("area", f"{area:,.0f}"), ("limit", f"{s.area_min_m2:,.0f}"))))
        elif area > s.area_max_m2:
            out.append(Problem("too_large", (code,), c.x, c.y, f"{area:,.0f} m² is above {s.area_max_m2:,.0f} m²",
                               params=(("area", f"{area:,.0f}"), ("limit", f"{s.area_max_m2:,.0f}"))))
    idx = np.flatnonzero(usable)
    good = g[idx]
    if len(good):
        tree = shapely.STRtree(good)
        # GEOS's coverage check finds, per polygon, edges that do not match a neighbour's exactly
        # (fast: no overlay). Only those polygons can overlap, so only they are intersected pairwise.
        bad_edges = shapely.coverage_invalid_edges(good)
        suspect = np.flatnonzero(~shapely.is_empty(bad_edges))
        if len(suspect):
            left, right = tree.query(good[suspect], predicate="intersects")
            left = suspect[left]
            pairs = left != right
            left, right = np.minimum(left[pairs], right[pairs]), np.maximum(left[pairs], right[pairs])
            uniq = np.unique(np.column_stack([left, right]), axis=0)
            left, right = uniq[:, 0], uniq[:, 1]
        else:
            left = right = np.array([], dtype=int)
        if len(left):
            inter = shapely.intersection(good[left], good[right])
            areas = shapely.area(inter)
            for a, b, geom, area in zip(left, right, inter, areas):
                if area > s.tolerance_m2 and s.matters(geom):
                    c = shapely.point_on_surface(geom)
                    out.append(Problem("overlap", (codes[idx[a]], codes[idx[b]]), c.x, c.y, f"{area:,.1f} m² overlap",
                                       params=(("area", f"{area:,.1f}"),)))
        # A matching coverage unions fast and exactly; otherwise the general overlay.
        union = shapely.coverage_union_all(good) if not len(suspect) else shapely.union_all(good)
        if district is None:
            # No district boundary (a plain grid file): holes enclosed by the grids are still gaps.
            district = shapely.union_all([shapely.Polygon(p.exterior) for p in shapely.get_parts(union)])
        if district is not None:
            for part in shapely.get_parts(shapely.difference(district, union)):
                if s.matters(part):
                    c = shapely.point_on_surface(part)
                    near = tuple(codes[idx[k]] for k in tree.query(part.buffer(1.0), predicate="intersects"))
                    out.append(Problem("gap", near, c.x, c.y, f"{part.area:,.1f} m² inside the district belongs to no grid",
                                       params=(("area", f"{part.area:,.1f}"),)))
            outside = shapely.difference(good, district)
            for k, part in enumerate(outside):
                if part is not None and not part.is_empty and s.matters(part):
                    c = shapely.point_on_surface(part)
                    out.append(Problem("outside", (codes[idx[k]],), c.x, c.y, f"{part.area:,.1f} m² outside the district",
                                       params=(("area", f"{part.area:,.1f}"),)))
    return out


def _reason_location(reason: str) -> tuple[float, float] | None:
    # GEOS says e.g. "Self-intersection[536000.1 3410000.2]"
    if "[" in reason and reason.endswith("]"):
        try:
            x, y = (float(v) for v in reason[reason.index("[") + 1:-1].split()[:2])
            return x, y
        except ValueError:
            return None
    return None


# --- grid sets in the store ---------------------------------------------------------------------

@dataclass
class GridSetData:
    id: int | None
    name: str
    status: str
    codes: list[str]
    names: list[str]
    community_ids: list[int]
    worker_ids: list[int | None]
    geoms: np.ndarray  # map metres


def load_grid_set(store: Store, grid_set_id: int) -> GridSetData:
    with store.session() as s:
        gs = s.get(m.GridSet, grid_set_id)
        if gs is None:
            raise ValueError(f"there is no grid set {grid_set_id}")
        rows = s.execute(select(m.Grid.code, m.Grid.name, m.Grid.community_id, m.Grid.worker_member_id, m.Grid.geom)
                         .where(m.Grid.grid_set_id == grid_set_id).order_by(m.Grid.code)).all()
    geoms = store.projection.to_map(np.array([r[4] for r in rows], dtype=object)) if rows else np.array([], dtype=object)
    return GridSetData(gs.id, gs.name, gs.status, [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows],
                       [r[3] for r in rows], geoms)


def district_geometry(store: Store) -> shapely.Geometry | None:
    with store.session() as s:
        geoms = s.scalars(select(m.District.geom)).all()
    return store.projection.to_map(shapely.union_all(geoms)) if geoms else None


def validate_grid_set(store: Store, grid_set_id: int, settings: ValidationSettings | None = None) -> list[Problem]:
    gs = load_grid_set(store, grid_set_id)
    return validate(gs.codes, gs.geoms, district_geometry(store), settings)


def latest_draft(store: Store) -> int | None:
    with store.session() as s:
        return s.scalar(select(m.GridSet.id).where(m.GridSet.status == "draft").order_by(m.GridSet.id.desc()).limit(1))


def _digest(data: GridSetData) -> dict:
    """What the audit trail keeps of a grid set: how many grids and a hash of their codes and shapes."""
    h = hashlib.sha256()
    for c, g in zip(data.codes, data.geoms):
        h.update(str(c).encode())
        h.update(shapely.to_wkb(g))
    return {"grids": len(data.codes), "sha256": h.hexdigest()}


def create_draft(store: Store, name: str, data: GridSetData | None = None, from_set: int | None = None,
                 at: datetime | None = None, *, by: Principal) -> int:
    """A new draft grid set: a copy of `from_set` (default: the set in force), or the given grids."""
    require(by, "grids.edit")
    at = at or datetime.now(timezone.utc)
    if data is None:
        if from_set is None:
            from data.snapshot import grid_set_in_force
            gs = grid_set_in_force(store, at)
            if gs is None:
                raise ValueError("there is no published grid set to start a draft from")
            from_set = gs.id
        data = load_grid_set(store, from_set)
    with store.engine.begin() as conn:
        write_lock(conn)
        res = conn.execute(insert(m.GridSet).values(name=name, status="draft", effective_from=None, created_at=at,
                                                    note=f"draft from set {from_set}" if from_set else "imported"))
        gid = res.inserted_primary_key[0]
        geoms = store.projection.to_store(data.geoms)
        if len(geoms):
            conn.execute(insert(m.Grid), [dict(grid_set_id=gid, code=c, name=n, community_id=cid, worker_member_id=w, geom=g)
                                          for c, n, cid, w, g in zip(data.codes, data.names, data.community_ids,
                                                                     data.worker_ids, geoms)])
        with Session(bind=conn) as s:
            audit.append(s, account_id=by.account_id, username=by.username, action="grids.create_draft", object_type="grid_set",
                         object_id=gid, after={"name": name, "from_set": from_set, **_digest(data)}, at=at)
    return gid


def save_draft(store: Store, grid_set_id: int, data: GridSetData, *, by: Principal) -> None:
    """Replace a draft's grids (drafts are working copies; published sets are never changed)."""
    require(by, "grids.edit")
    with store.engine.begin() as conn:
        write_lock(conn)
        status = conn.execute(select(m.GridSet.status).where(m.GridSet.id == grid_set_id)).scalar()
        if status != "draft":
            raise ValueError(f"grid set {grid_set_id} is {status}: only drafts can be edited")
        conn.execute(m.Grid.__table__.delete().where(m.Grid.grid_set_id == grid_set_id))
        geoms = store.projection.to_store(data.geoms)
        if len(geoms):
            conn.execute(insert(m.Grid), [dict(grid_set_id=grid_set_id, code=c, name=n, community_id=cid,
                                               worker_member_id=w, geom=g)
                                          for c, n, cid, w, g in zip(data.codes, data.names, data.community_ids,
                                                                     data.worker_ids, geoms)])
        with Session(bind=conn) as s:
            audit.append(s, account_id=by.account_id, username=by.username, action="grids.save_draft", object_type="grid_set",
                         object_id=grid_set_id, after=_digest(data))


@dataclass
class Impact:
    """What publishing a draft would change, grid by grid."""

    cameras: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # code, old grid, new grid
    open_incidents: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    past_incidents: int = 0
    teams: list[tuple[str, str]] = field(default_factory=list)  # team code, home grid that no longer exists
    grids_without_worker: list[str] = field(default_factory=list)

    def messages(self) -> list[Message | str]:
        """The report as coded headings (Message) and plain item lines, for any language."""
        out: list[Message | str] = [Message("impact.cameras", {"n": len(self.cameras)})]
        out += [f"  {c}: {a or '—'} → {b or '—'}" for c, a, b in self.cameras[:50]]
        out.append(Message("impact.open_incidents", {"n": len(self.open_incidents)}))
        out += [f"  {c}: {a or '—'} → {b or '—'}" for c, a, b in self.open_incidents[:50]]
        out.append(Message("impact.past_incidents", {"n": self.past_incidents}))
        out.append(Message("impact.teams", {"n": len(self.teams)}))
        out += [f"  {t}: {g}" for t, g in self.teams[:50]]
        out.append(Message("impact.no_worker", {"n": len(self.grids_without_worker)}))
        out += [f"  {g}" for g in self.grids_without_worker[:50]]
        return out

    def lines(self) -> list[str]:
        return [m.text("en") if isinstance(m, Message) else m for m in self.messages()]


def _grid_of(points: np.ndarray, codes: list[str], geoms: np.ndarray) -> list[str | None]:
    if len(points) == 0:
        return []
    tree = shapely.STRtree(geoms)
    pts = shapely.points(points)
    p_idx, g_idx = tree.query(pts, predicate="intersects")
    out: list[str | None] = [None] * len(points)
    for p, g in zip(p_idx, g_idx):
        if out[p] is None:
            out[p] = codes[g]
    return out


def impact_report(store: Store, draft_id: int, at: datetime | None = None) -> Impact:
    from datetime import timedelta
    from data.cases.rules import case_states
    from data.snapshot import grid_set_in_force
    at = at or datetime.now(timezone.utc)
    draft = load_grid_set(store, draft_id)
    current_set = grid_set_in_force(store, at)
    current = load_grid_set(store, current_set.id) if current_set else None
    imp = Impact()
    with store.session() as s:
        cams = s.execute(select(m.Camera.code, m.Camera.geom)).all()
        since = at - timedelta(days=90)
        incs = s.execute(select(m.Incident.id, m.Incident.case_no, m.Incident.geom).where(m.Incident.reported_at >= since)).all()
        states = case_states(s, at=at, since=since)
        teams = s.execute(select(m.Team.code, m.Team.home_grid_code)).all()
    def old_new(rows):
        if not rows:
            return [], [], []
        xy = np.column_stack(store.projection.lonlat_to_xy(np.array([r[-1].x for r in rows]), np.array([r[-1].y for r in rows])))
        old = _grid_of(xy, current.codes, current.geoms) if current else [None] * len(rows)
        new = _grid_of(xy, draft.codes, draft.geoms)
        return xy, old, new
    _, old, new = old_new(cams)
    imp.cameras = [(c[0], a, b) for c, a, b in zip(cams, old, new) if a != b]
    _, old, new = old_new(incs)
    for r, a, b in zip(incs, old, new):
        if a != b:
            st = states.get(r[0])
            if st is not None and st.is_open:
                imp.open_incidents.append((r[1], a, b))
            else:
                imp.past_incidents += 1
    codes = set(draft.codes)
    imp.teams = [(t, g) for t, g in teams if g not in codes]
    imp.grids_without_worker = [c for c, w in zip(draft.codes, draft.worker_ids) if w is None]
    return imp


class PublishRefused(Exception):
    pass


def publish(store: Store, draft_id: int, effective_from: datetime, name: str | None = None, *, by: Principal) -> int:
    """Publish a draft as the set in force from `effective_from`; refused while validation fails.
    The draft becomes the new published version; earlier versions stay as they are."""
    require(by, "grids.publish")
    problems = validate_grid_set(store, draft_id)
    if problems:
        raise PublishRefused(f"{len(problems)} problem(s) must be fixed before publishing: " +
                             "; ".join(p.describe() for p in problems[:5]))
    with store.engine.begin() as conn:
        write_lock(conn)
        status = conn.execute(select(m.GridSet.status).where(m.GridSet.id == draft_id)).scalar()
        if status != "draft":
            raise PublishRefused(f"grid set {draft_id} is {status}, not a draft")
        values = dict(status="published", effective_from=effective_from)
        if name:
            values["name"] = name
        conn.execute(m.GridSet.__table__.update().where(m.GridSet.id == draft_id).values(**values))
        with Session(bind=conn) as s:
            audit.append(s, account_id=by.account_id, username=by.username, action="grids.publish", object_type="grid_set",
                         object_id=draft_id, before={"status": "draft"},
                         after={"status": "published", "effective_from": effective_from.isoformat(), "name": name})
    return draft_id


# --- files ----------------------------------------------------------------------------------------

class GridFileError(Exception):
    """A grid file that cannot be imported; `problems` lists each bad feature with its reason."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []


def read_grid_file(path: str | Path, map_epsg: int, layer: str | None = None) -> tuple[list[str], list[str], np.ndarray]:
    """(codes, names, polygons in map metres) from a GeoPackage, GeoJSON or Shapefile in any CRS.
    Every bad feature is reported; nothing is returned unless all are good."""
    import pyogrio
    path = Path(path)
    if not path.exists():
        raise GridFileError(f"{path}: no such file")
    try:
        df = pyogrio.read_dataframe(path, layer=layer)
    except Exception as exc:  # pyogrio's errors name the driver problem
        raise GridFileError(f"{path} cannot be read as a vector file ({exc})") from None
    if df.crs is None:
        raise GridFileError(f"{path} has no coordinate reference system; set one (for example EPSG:4490) and try again")
    cols = {c.lower(): c for c in df.columns}
    if "code" not in cols:
        raise GridFileError(f"{path} has no 'code' field (columns: {', '.join(map(str, df.columns))})")
    df = df.to_crs(epsg=map_epsg)
    problems = []
    codes, names, geoms = [], [], []
    first_of: dict[str, int] = {}
    for k, (code, geom) in enumerate(zip(df[cols["code"]], df.geometry)):
        label = f"feature {k + 1} ({code})"
        if str(code) in first_of:  # a grid's code is its identity: two with one code cannot both be kept
            problems.append(f"{label}: the code {code} again (first on feature {first_of[str(code)] + 1})")
            continue
        first_of[str(code)] = k
        if geom is None or geom.is_empty:
            problems.append(f"{label}: empty geometry")
            continue
        if geom.geom_type == "MultiPolygon":
            if len(geom.geoms) == 1:
                geom = geom.geoms[0]
            else:
                problems.append(f"{label}: a multipolygon of {len(geom.geoms)} parts (a grid is one polygon)")
                continue
        if geom.geom_type != "Polygon":
            problems.append(f"{label}: a {geom.geom_type}, not a polygon")
            continue
        if not geom.is_valid:
            problems.append(f"{label}: invalid polygon ({shapely.is_valid_reason(geom)})")
            continue
        codes.append(str(code))
        names.append(str(df[cols["name"]].iloc[k]) if "name" in cols else str(code))
        geoms.append(geom)
    if problems:
        raise GridFileError(f"{path}: {len(problems)} bad feature(s); nothing was imported", problems)
    return codes, names, np.array(geoms, dtype=object)


def write_grid_file(store: Store, grid_set_id: int, out: str | Path, epsg: int = 4490) -> int:
    """Write a grid set to GeoPackage, GeoJSON or Shapefile (by extension), whole or not at all."""
    import geopandas as gpd
    out = Path(out)
    data = load_grid_set(store, grid_set_id)
    with store.session() as s:
        communities = dict(s.execute(select(m.Community.id, m.Community.name)).all())
    df = gpd.GeoDataFrame({"code": data.codes, "name": data.names,
                           "community": [communities.get(c, "") for c in data.community_ids]},
                          geometry=list(data.geoms), crs=f"EPSG:{store.projection.map_epsg}").to_crs(epsg=epsg)
    driver = {".gpkg": "GPKG", ".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "ESRI Shapefile"}.get(out.suffix.lower())
    if driver is None:
        raise GridFileError(f"{out}: use .gpkg, .geojson or .shp")
    tmp_dir = out.parent / f".{out.name}.part"
    import shutil
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    tmp = tmp_dir / out.name
    df.to_file(tmp, driver=driver, layer="grids" if driver == "GPKG" else None)
    for f in tmp_dir.iterdir():  # the written files replace the old ones only once complete
        f.replace(out.parent / f.name)
    tmp_dir.rmdir()
    return len(df)


def import_grid_file(store: Store, path: str | Path, name: str | None = None, *, by: Principal) -> int:
    """Import a grid file as a new draft set (communities and workers carried over by code)."""
    require(by, "grids.edit")  # before the file is read: a refused caller learns nothing of it
    codes, names, geoms = read_grid_file(path, store.projection.map_epsg)
    from data.snapshot import grid_set_in_force
    current = grid_set_in_force(store)
    by_code: dict[str, tuple[int, int | None]] = {}
    if current is not None:
        cur = load_grid_set(store, current.id)
        by_code = {c: (cid, w) for c, cid, w in zip(cur.codes, cur.community_ids, cur.worker_ids)}
    with store.session() as s:
        default_community = s.scalar(select(func.min(m.Community.id)))
    data = GridSetData(None, name or Path(path).stem, "draft", codes, names,
                       [by_code.get(c, (default_community, None))[0] for c in codes],
                       [by_code.get(c, (None, None))[1] for c in codes], geoms)
    return create_draft(store, name or f"import {Path(path).name}", data=data, by=by)


def grid_set_list(store: Store) -> list[dict]:
    """Every grid set (version) with its status, name, number of grids and effective time."""
    rows = []
    with store.session() as s:
        for gs in s.scalars(select(m.GridSet).order_by(m.GridSet.id)):
            n = len(s.scalars(select(m.Grid.id).where(m.Grid.grid_set_id == gs.id)).all())
            rows.append({"id": gs.id, "status": gs.status, "name": gs.name, "grids": n,
                         "effective_from": gs.effective_from.isoformat() if gs.effective_from else None})
    return rows
