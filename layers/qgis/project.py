"""Write a QGIS project (.qgz) showing a GridWatch store as the console does.

Run by QGIS's Python:  python3 -m layers.qgis.project STORE.gpkg OUT.qgz
(`gridwatch qgis-project` does this with only our `layers` package on the path.)
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from layers import style as S  # noqa: E402  (plain data: colours and widths)

TITLES = {  # zh_CN, as the console shows them by default
    "water": "水系", "buildings": "建筑", "streets": "道路", "communities": "社区", "grids": "网格",
    "cameras": "天网点位", "incidents": "事件", "teams": "巡逻队伍（最新定位）",
}


def _rows(store: str, table: str) -> list[dict]:
    """Attribute rows through OGR, as QGIS reads them."""
    from qgis.core import QgsVectorLayer
    layer = QgsVectorLayer(f"{store}|layername={table}", table, "ogr")
    names = [f.name() for f in layer.fields()]
    rows = [dict(zip(names, f.attributes())) for f in layer.getFeatures()]
    del layer
    return rows


def grid_set_in_force(store: str) -> int | None:
    from datetime import datetime, timezone
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
    sets = [r for r in _rows(store, "grid_sets") if r["status"] == "published" and r["effective_from"]]
    def when(r):
        v = r["effective_from"]
        return v.toString("yyyy-MM-ddTHH:mm:ss") if hasattr(v, "toString") else str(v)
    sets = [r for r in sets if when(r) <= now]
    return max(sets, key=lambda r: (when(r), r["id"]))["id"] if sets else None


def build(store: str, out: str) -> dict[str, int]:
    from qgis.core import (QgsCategorizedSymbolRenderer, QgsCoordinateReferenceSystem, QgsFillSymbol, QgsLineSymbol,
                           QgsMarkerSymbol, QgsPalLayerSettings, QgsProject, QgsRendererCategory,
                           QgsSimpleLineSymbolLayer, QgsTextBufferSettings, QgsTextFormat, QgsUnitTypes,
                           QgsVectorLayer, QgsVectorLayerSimpleLabeling, QgsVirtualLayerDefinition)
    from qgis.PyQt.QtGui import QColor

    project = QgsProject.instance()
    project.clear()
    # The district's own metric CRS, as the store records it (a Gauss-Krüger zone in China, UTM elsewhere).
    import sqlite3  # gridwatch_meta is not a listed GeoPackage table, so OGR does not show it
    con = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        meta = dict(con.execute("SELECT key, value FROM gridwatch_meta").fetchall())
    finally:
        con.close()
    project.setCrs(QgsCoordinateReferenceSystem(f"EPSG:{meta.get('map_epsg', '4490')}"))
    gs = grid_set_in_force(store)
    counts: dict[str, int] = {}

    def ogr(table: str, title: str) -> QgsVectorLayer:
        return QgsVectorLayer(f"{store}|layername={table}", title, "ogr")

    def virtual(title: str, query: str, *tables: str) -> QgsVectorLayer:
        # A subset string on an OGR layer of this GeoPackage broke every other OGR layer of it in QGIS
        # 3.22 ("unable to open database file"); virtual layers read it without that trouble.
        d = QgsVirtualLayerDefinition()
        for t in tables:
            d.addSource(t, f"{store}|layername={t}", "ogr")
        d.setQuery(query)
        return QgsVectorLayer(d.toString(), title, "virtual")

    def fill(fs: S.FillStyle, colour: str | None = None, alpha: float | None = None) -> QgsFillSymbol:
        c = QColor(colour or fs.fill or "#000000")
        c.setAlphaF(alpha if alpha is not None else (fs.fill_alpha if (colour or fs.fill) else 0.0))
        sym = QgsFillSymbol.createSimple({"color": c.name(QColor.HexArgb) if False else f"{c.red()},{c.green()},{c.blue()},{c.alpha()}",
                                          "outline_color": fs.stroke or "0,0,0,0", "outline_width": str(fs.stroke_px),
                                          "outline_width_unit": "Pixel", "style": "solid" if (colour or fs.fill) else "no"})
        if not fs.stroke:
            sym.symbolLayer(0).setStrokeStyle(0)
        return sym

    def line(ls: S.LineStyle) -> QgsLineSymbol:
        sym = QgsLineSymbol()
        sym.deleteSymbolLayer(0)
        for colour, width in ((ls.casing, ls.casing_px), (ls.stroke, ls.width_px)):
            if colour:
                sl = QgsSimpleLineSymbolLayer(QColor(colour), width * 0.6)
                sl.setWidthUnit(QgsUnitTypes.RenderPixels)
                sym.appendSymbolLayer(sl)
        return sym

    def marker(ms: S.MarkerStyle) -> QgsMarkerSymbol:
        shape = {"circle": "circle", "square": "square", "triangle": "triangle", "diamond": "diamond",
                 "pentagon": "pentagon", "hexagon": "hexagon", "star": "star", "pin": "circle",
                 "camera": "square"}[ms.shape]  # QGIS has no camera glyph among its simple markers
        return QgsMarkerSymbol.createSimple({"name": shape, "color": ms.fill, "outline_color": ms.stroke,
                                             "size": str(ms.size_px), "size_unit": "Pixel"})

    def categorized(layer, field, cats):
        layer.setRenderer(QgsCategorizedSymbolRenderer(field, [QgsRendererCategory(v, sym, label) for v, sym, label in cats]))

    layers = []
    water = ogr("water", TITLES["water"])
    water.renderer().setSymbol(fill(S.WATER))
    layers.append(("water", water))
    buildings = ogr("buildings", TITLES["buildings"])
    buildings.renderer().setSymbol(fill(S.BUILDING))
    buildings.setScaleBasedVisibility(True)
    buildings.setMinimumScale(1.6 / (0.0254 / 96))  # as the console: footprints once a pixel is 1.6 m or less
    buildings.setMaximumScale(1.0)
    layers.append(("buildings", buildings))
    streets = ogr("street_segments", TITLES["streets"])
    categorized(streets, "road_class", [(k, line(S.STREETS[k]), k) for k in ("minor", "secondary", "main", "bridge")])
    layers.append(("streets", streets))
    grid_query = f"SELECT * FROM grids WHERE grid_set_id = {gs or -1}"
    communities = virtual(TITLES["communities"], grid_query, "grids")
    community_ids = sorted(r["id"] for r in _rows(store, "communities"))
    categorized(communities, "community_id",
                [(cid, fill(S.FillStyle(fill=S.community_colour(k), stroke=None), alpha=S.COMMUNITY_FILL_ALPHA), str(cid))
                 for k, cid in enumerate(community_ids)])
    layers.append(("communities", communities))
    grids = virtual(TITLES["grids"], grid_query, "grids")
    grids.renderer().setSymbol(fill(S.GRID))
    label = QgsPalLayerSettings()
    label.fieldName = "name"
    fmt = QgsTextFormat()
    fmt.setColor(QColor(S.GRID_LABEL))
    fmt.setSize(9)
    buf = QgsTextBufferSettings()
    buf.setEnabled(True)
    buf.setColor(QColor("#ffffff"))
    fmt.setBuffer(buf)
    label.setFormat(fmt)
    label.placement = QgsPalLayerSettings.OverPoint
    grids.setLabeling(QgsVectorLayerSimpleLabeling(label))
    grids.setLabelsEnabled(True)
    layers.append(("grids", grids))
    cameras = ogr("cameras", TITLES["cameras"])
    categorized(cameras, "hd", [(1, marker(S.CAMERA_HD), "HD"), (0, marker(S.CAMERA_SD), "SD")])
    layers.append(("cameras", cameras))
    # Incidents with their current stage, derived from the case events as the console derives it.
    incidents = virtual(TITLES["incidents"],
                        "SELECT i.id, i.case_no, i.category, i.priority, i.reported_at, "
                        "(SELECT e.to_stage FROM case_events e WHERE e.incident_id = i.id ORDER BY e.t DESC, e.id DESC LIMIT 1)"
                        " AS stage, i.geometry FROM incidents i", "incidents", "case_events")
    categorized(incidents, "stage", [(k, marker(S.MarkerStyle(fill=c, size_px=9)), k) for k, c in S.STAGE_COLOURS.items()])
    layers.append(("incidents", incidents))
    teams = virtual(TITLES["teams"], "SELECT t.code, t.name, t.kind, f.t AS last_fix, MakePoint(f.lon, f.lat, 4490) AS geometry "
                    "FROM fixes f JOIN teams t ON t.id = f.team_id WHERE f.id IN (SELECT max(id) FROM fixes GROUP BY team_id)",
                    "fixes", "teams")
    categorized(teams, "kind", [(k, marker(S.MarkerStyle(fill=S.TEAM_STATUS_COLOURS["available"], shape=shape, size_px=8)), k)
                                for k, shape in S.TEAM_KIND_SHAPES.items()])
    layers.append(("teams", teams))
    for name, layer in layers:
        if not layer.isValid():
            raise SystemExit(f"layer {name} is not valid: {layer.dataProvider().error().message() if layer.dataProvider() else ''}")
        project.addMapLayer(layer)
        counts[name] = layer.featureCount()
    if not project.write(out):
        raise SystemExit(f"could not write {out}")
    project.clear()  # layers must not outlive exitQgis()
    return counts


def main() -> None:
    import json
    from qgis.core import QgsApplication
    store, out = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False)
    app.initQgis()
    try:
        counts = build(store, out)
    finally:
        from qgis.core import QgsProject
        QgsProject.instance().clear()
        app.exitQgis()
    print(json.dumps(counts), flush=True)


if __name__ == "__main__":
    main()
