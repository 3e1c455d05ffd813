"""Render a GridWatch GeoPackage with QGIS's QgsMapRendererParallelJob (run by QGIS's own Python).

Usage: python3 qgis_render.py STORE.gpkg WIDTH HEIGHT REPEATS VIEWS_JSON [MAP_EPSG]
VIEWS_JSON is a list of {"name", "extent": [minx, miny, maxx, maxy] in EPSG:4490, "buildings_max_scale"}.
Prints one JSON object: {view name: [milliseconds per render, ...]}.
"""

import json
import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob, QgsMapSettings,  # noqa: E402
                       QgsProject, QgsRectangle, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402


def render_views(store: str, width: int, height: int, repeats: int, views: list, map_epsg: int = 4545) -> dict:
    """All QGIS objects live in this function, so none outlives exitQgis()."""
    layers = []
    for table in ("incidents", "cameras", "grids", "street_segments", "buildings", "water"):  # top first
        lyr = QgsVectorLayer(f"{store}|layername={table}", table, "ogr")
        if not lyr.isValid():
            raise SystemExit(f"QGIS could not open layer {table}")
        layers.append(lyr)
    out = {}
    for view in views:
        buildings = layers[4]
        buildings.setScaleBasedVisibility(view.get("buildings_max_scale") is not None)
        if view.get("buildings_max_scale") is not None:
            buildings.setMaximumScale(1.0)
            buildings.setMinimumScale(view["buildings_max_scale"])
        ms = QgsMapSettings()
        ms.setLayers(layers)
        ms.setDestinationCrs(QgsCoordinateReferenceSystem(f"EPSG:{map_epsg}"))
        ms.setOutputSize(QSize(width, height))
        ms.setBackgroundColor(QColor("#f2efe9"))
        ms.setFlag(QgsMapSettings.Antialiasing, True)
        ms.setExtent(ms.layerExtentToOutputExtent(layers[3], QgsRectangle(*view["extent"])))  # any EPSG:4490 layer
        times = []
        for _ in range(repeats + 1):
            t0 = time.perf_counter()
            job = QgsMapRendererParallelJob(ms)
            job.start()
            job.waitForFinished()
            job.renderedImage()
            times.append((time.perf_counter() - t0) * 1000)
        out[view["name"]] = times[1:]  # the first run warms caches, as ours does
    return out


def main() -> None:
    store, width, height, repeats, views = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), json.loads(sys.argv[5])
    map_epsg = int(sys.argv[6]) if len(sys.argv) > 6 else 4545
    app = QgsApplication([], False)
    app.initQgis()
    try:
        out = render_views(store, width, height, repeats, views, map_epsg)
    finally:
        QgsProject.instance().removeAllMapLayers()
        app.exitQgis()
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
