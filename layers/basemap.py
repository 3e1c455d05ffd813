"""Basemap layers: water, streets and (once zoomed in) buildings."""

from __future__ import annotations

import numpy as np
import shapely

from data.domain import BUILDING_USES, ROAD_CLASSES, WATER_KINDS
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class WaterLayer(MapLayer):
    name = "water"
    title = QT_TRANSLATE_NOOP("layers", "Water")

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.WATER)

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Name"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Kind"), WATER_KINDS[r["kind"]])]


class StreetLayer(MapLayer):
    name = "streets"
    title = QT_TRANSLATE_NOOP("layers", "Streets")
    hit_px = 5.0
    DRAW_ORDER = ("minor", "secondary", "main", "bridge")

    LABEL_RANK = {"main": 0, "bridge": 0, "secondary": 1, "minor": 2}  # bigger streets are named first

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.STREETS)
        self._label_lines: tuple[list[str], np.ndarray, np.ndarray, shapely.STRtree] | None = None

    def set_features(self, features: FeatureTable) -> None:
        self._label_lines = None
        super().set_features(features)

    def snap(self, x: float, y: float, tolerance_m: float) -> tuple[float, float] | None:
        """The nearest point on a street within tolerance_m of (x, y), or None: where a click meant
        to be on a street lands (a grid vertex in the planner, a patrol checkpoint)."""
        if not len(self.features):
            return None
        p = shapely.Point(x, y)
        idx = self.tree.query(p, predicate="dwithin", distance=tolerance_m)
        if not len(idx):
            return None
        line = min((self.features.geoms[k] for k in idx), key=lambda s: s.distance(p))
        q = line.interpolate(line.project(p))
        return (q.x, q.y)

    def label_lines(self) -> tuple[list[str], np.ndarray, np.ndarray, shapely.STRtree]:
        """(name, line, rank) of each named street merged from its segments, and an index of the lines.

        A street is stored as many segments (junction to junction); it is named along the line the
        segments make together, so one name is placed once along a stretch, not once per block.
        """
        if self._label_lines is None:
            names, lines, ranks = [], [], []
            col_name = self.features.column("name") if len(self.features) else []
            col_class = self.features.column("road_class") if len(self.features) else []
            by_name: dict[str, list[int]] = {}
            for i, n in enumerate(col_name):
                if n and str(n).strip():
                    by_name.setdefault(str(n).strip(), []).append(i)
            for name, idx in by_name.items():
                merged = shapely.line_merge(shapely.multilinestrings(self.features.geoms[idx]))
                rank = min(self.LABEL_RANK.get(col_class[i], 2) for i in idx)
                for part in shapely.get_parts(merged):
                    names.append(name)
                    lines.append(part)
                    ranks.append(rank)
            lines_arr = np.array(lines, dtype=object)
            self._label_lines = (names, lines_arr, np.array(ranks, dtype=int), shapely.STRtree(lines_arr))
        return self._label_lines

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Name"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Class"), ROAD_CLASSES[r["road_class"]]), (QT_TRANSLATE_NOOP("fields", "One-way"), r["oneway"]),
                (QT_TRANSLATE_NOOP("fields", "Length (m)"), f"{r['length_m']:.0f}")]

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Main road"), S.STREETS["main"]), LegendEntry(QT_TRANSLATE_NOOP("legend", "Secondary road"), S.STREETS["secondary"]),
                LegendEntry(QT_TRANSLATE_NOOP("legend", "Minor street"), S.STREETS["minor"])]


class BuildingLayer(MapLayer):
    name = "buildings"
    title = QT_TRANSLATE_NOOP("layers", "Buildings")
    max_resolution = 1.6  # footprints are noise when a pixel covers more than ~1.6 m

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.BUILDING)

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Floors"), r["floors"]), (QT_TRANSLATE_NOOP("fields", "Use"), BUILDING_USES[r["kind"]])]
