"""One plan's coverage on the map (巡逻覆盖): its line cut into what the team walked (solid green) and
what it did not (dashed amber), its checkpoints reached or not, a stake-out's ring, and the team's
fixes of the window as a thin track. Shown while a window is chosen in the Patrol dock."""

from __future__ import annotations

import numpy as np

from data.patrol.report import CoverageOnMap
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class CoverageLayer(MapLayer):
    name = "coverage"
    title = QT_TRANSLATE_NOOP("layers", "Patrol coverage")
    static = False  # drawn over the cached background: it changes with the chosen window

    def __init__(self):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), S.COVERAGE_WALKED)
        self.shown: CoverageOnMap | None = None

    def show(self, cov: CoverageOnMap | None) -> None:
        self.shown = cov
        self.changed()

    def clear(self) -> None:
        self.show(None)

    def hit_test(self, x, y, resolution):
        return None

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Walked"), S.COVERAGE_WALKED),
                LegendEntry(QT_TRANSLATE_NOOP("legend", "Planned, not walked"), S.COVERAGE_MISSED)]
