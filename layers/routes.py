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
