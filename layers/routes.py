"""The chosen team's route to an incident, drawn over the map."""

from __future__ import annotations

import numpy as np

from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class RouteLayer(MapLayer):
    name = "route"
    title = QT_TRANSLATE_NOOP("layers", "Route")
    static = False

    def __init__(self):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), S.ROUTE)
        self.path: np.ndarray | None = None  # (n, 2) map metres

    def set_path(self, path: np.ndarray | None) -> None:
        self.path = path
        self.changed()

    def hit_test(self, x, y, resolution):
        return None

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Route of the chosen team"), S.ROUTE)]


class ImportPreviewLayer(MapLayer):
    """What an import would write, drawn over the map before it is committed: points (cameras) as
    rings and lines/outlines (streets, grids ...), so a 500 m offset is seen before it is stored."""

    name = "import_preview"
    title = QT_TRANSLATE_NOOP("layers", "Import preview")
    static = False
    listed = False  # shown only while the import wizard checks a file

    def __init__(self):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), S.IMPORT_PREVIEW)
        self.points: np.ndarray = np.zeros((0, 2))  # map metres
        self.geoms: np.ndarray = np.array([], dtype=object)  # map metres

    def show(self, points: np.ndarray | None, geoms: np.ndarray | None) -> None:
        self.points = np.zeros((0, 2)) if points is None else np.asarray(points, float).reshape(-1, 2)
        self.geoms = np.array([], dtype=object) if geoms is None else np.asarray(geoms, dtype=object)
        self.changed()

    def clear(self) -> None:
        self.show(None, None)

    def preview_extent(self) -> tuple[float, float, float, float] | None:
        import shapely
        boxes = []
        if len(self.points):
            boxes.append((*self.points.min(axis=0), *self.points.max(axis=0)))
        if len(self.geoms):
            boxes.append(tuple(shapely.total_bounds(self.geoms)))
        if not boxes:
            return None
        b = np.array(boxes)
        return float(b[:, 0].min()), float(b[:, 1].min()), float(b[:, 2].max()), float(b[:, 3].max())

    def hit_test(self, x, y, resolution):
        return None

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "To be imported (not stored yet)"), S.IMPORT_PREVIEW)]
