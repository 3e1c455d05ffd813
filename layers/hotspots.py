"""Hotspot layers: incident density (a heat map), Gi* hot and cold spots, key rectification areas.

Each is a small model that tells its painter when it changes (data/hotspots.py computes them)."""

from __future__ import annotations

import numpy as np

from data.hotspots import HOTSPOT_CLASSES, Density, Hotspots, KeyArea
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


def _empty() -> FeatureTable:
    return FeatureTable(np.array([], dtype=object), {})


class HeatLayer(MapLayer):
    """Incidents per km² as a heat map; hidden until the hotspots panel computes one."""

    name = "heat"
    title = QT_TRANSLATE_NOOP("layers", "Incident density")

    def __init__(self):
        super().__init__(_empty(), None, visible=False)
        self.density: Density | None = None

    def set_density(self, density: Density | None) -> None:
        self.density = density
        self.changed()

    def extent(self):
        return self.density.extent if self.density is not None else None

    def scale_max(self) -> float:
        """The density shown at the top of the ramp: the 99.5th percentile of the cells with any,
        so one extreme cell does not wash the rest out."""
        if self.density is None:
            return 1.0
        v = self.density.values[self.density.values > 0]
        return float(np.percentile(v, 99.5)) if len(v) else 1.0

    def legend(self):
        top = self.scale_max()
        n = len(S.HEAT_RAMP)
        return [LegendEntry(f"{top * k / (n - 1):.0f} /km²" if k else "0 /km²", S.FillStyle(fill=c, stroke=None),
                            value=str(k)) for k, c in enumerate(S.HEAT_RAMP)]

    def hit_test(self, x, y, resolution):
        return None


class HotspotLayer(MapLayer):
    """Cells (grids or hexagons) that are significant Gi* hot or cold spots, by confidence."""

    name = "hotspots"
    title = QT_TRANSLATE_NOOP("layers", "Hot and cold spots (Gi*)")

    def __init__(self):
        super().__init__(_empty(), None, visible=False)
        self.result: Hotspots | None = None

    def set_result(self, result: Hotspots | None) -> None:
        self.result = result
        if result is None:
            self.set_features(_empty())
            return
        self.set_features(FeatureTable(result.geoms, {"code": list(result.codes), "class": list(result.classes),
                                                      "incidents": [int(n) for n in result.counts],
                                                      "z": [round(float(z), 2) for z in result.z],
                                                      "p": [round(float(p), 3) for p in result.p]}))

    def legend(self):
        return [LegendEntry(HOTSPOT_CLASSES[k], S.FillStyle(fill=c, stroke=None, fill_alpha=S.HOTSPOT_ALPHA), value=k)
                for k, c in S.HOTSPOT_COLOURS.items()]

    def hit_test(self, x, y, resolution):
        return None  # the grids layer above answers clicks


class KeyAreaLayer(MapLayer):
    """The office's key rectification areas (重点整治区域), outlined, with their names."""

    name = "key_areas"
    title = QT_TRANSLATE_NOOP("layers", "Key rectification areas")

    def __init__(self, areas: list[KeyArea]):
        super().__init__(_empty(), S.KEY_AREA, visible=True)
        self.set_areas(areas)

    def set_areas(self, areas: list[KeyArea]) -> None:
        self.set_features(FeatureTable(np.array([a.geom for a in areas], dtype=object),
                                       {"name": [a.name for a in areas], "owner": [a.owner for a in areas],
                                        "category": [a.category for a in areas],
                                        "start_day": [a.start_day.isoformat() for a in areas]}))

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Key rectification area"), self.style)]

    def hit_test(self, x, y, resolution):
        return None
