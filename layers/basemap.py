"""Basemap layers: water, streets and (once zoomed in) buildings."""

from __future__ import annotations

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

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.STREETS)

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
