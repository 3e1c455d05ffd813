"""Grid layers: the district outline, communities (社区) and grids (网格) with their names."""

from __future__ import annotations

import numpy as np
import shapely

from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


def inscribed_circles(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(centre xy, radius) of the largest circle inside each polygon: where its name goes, and how
    long a name fits there."""
    if len(geoms) == 0:
        return np.zeros((0, 2)), np.zeros(0)
    mic = shapely.maximum_inscribed_circle(geoms, 1.0)
    return shapely.get_coordinates(shapely.get_point(mic, 0)), shapely.length(mic)


class DistrictLayer(MapLayer):
    """The jurisdiction's boundary: what an office sees first, before it has imported its grids."""

    name = "district"
    title = QT_TRANSLATE_NOOP("layers", "District boundary")

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.DISTRICT)

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Name"), r["name"]),
                (QT_TRANSLATE_NOOP("fields", "Area (km²)"), f"{shapely.area(self.features.geoms[i]) / 1e6:.2f}")]

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "District boundary"), S.DISTRICT)]

    def hit_test(self, x, y, resolution):
        return None  # the outline is a frame, not something to click


class CommunityLayer(MapLayer):
    name = "communities"
    title = QT_TRANSLATE_NOOP("layers", "Communities")

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.COMMUNITY_OUTLINE)
        self._labels: tuple[np.ndarray, np.ndarray] | None = None

    def set_features(self, features: FeatureTable) -> None:
        self._labels = None
        super().set_features(features)

    def label_anchors(self) -> tuple[np.ndarray, np.ndarray]:
        if self._labels is None:
            self._labels = inscribed_circles(self.features.geoms)
        return self._labels

    def colour(self, i: int) -> str:
        return S.community_colour(i)

    def attributes(self, i):
        r = self.features.row(i)
        area = shapely.area(self.features.geoms[i])
        return [(QT_TRANSLATE_NOOP("fields", "Community"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Grids"), r["grids"]), (QT_TRANSLATE_NOOP("fields", "Area (km²)"), f"{area / 1e6:.2f}")]

    def legend(self):
        return [LegendEntry(n, S.FillStyle(fill=self.colour(i), stroke=S.COMMUNITY_OUTLINE.stroke,
                                           fill_alpha=0.35), value=n)
                for i, n in enumerate(self.features.column("name"))]

    def hit_test(self, x, y, resolution):
        idx = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return int(idx[0]) if len(idx) else None


class GridLayer(MapLayer):
    name = "grids"
    title = QT_TRANSLATE_NOOP("layers", "Grids")

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.GRID)
        self._labels: tuple[np.ndarray, np.ndarray] | None = None

    def set_features(self, features: FeatureTable) -> None:
        self._labels = None  # label places belong to the old boundaries (reset before telling anyone)
        super().set_features(features)

    def label_anchors(self) -> tuple[np.ndarray, np.ndarray]:
        """(xy of each grid's label, radius of the largest circle inside it) in map metres.

        A label is drawn only when it fits that circle at the current scale.
        """
        if self._labels is None:
            self._labels = inscribed_circles(self.features.geoms)
        return self._labels

    def label(self, i: int) -> str:
        # "八角井社区第3网格" is long; on the map the short form "八角井3" reads as well.
        name = self.features.column("name")[i]
        return name.replace("社区第", "").replace("网格", "")

    def hit_test(self, x, y, resolution):
        idx = self.tree.query(shapely.Point(x, y), predicate="intersects")
        return int(idx[0]) if len(idx) else None

    def attributes(self, i):
        r = self.features.row(i)
        area = shapely.area(self.features.geoms[i])
        return [(QT_TRANSLATE_NOOP("fields", "Code"), r["code"]), (QT_TRANSLATE_NOOP("fields", "Name"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Community"), r["community"]),
                (QT_TRANSLATE_NOOP("fields", "Grid worker"), r["worker"] or "—"), (QT_TRANSLATE_NOOP("fields", "Area (m²)"), f"{area:,.0f}"), (QT_TRANSLATE_NOOP("fields", "Grid set"), r["grid_set"])]

    def search_keys(self, i):
        r = self.features.row(i)
        return [r["code"], r["name"], self.label(i)]  # what the map shows ("丰收3") finds it too


class ChoroplethLayer(MapLayer):
    """An indicator per grid (the Indicators dock's 按期结案率 by grid), as classes of a colour ramp.
    Hidden until the dock fills it; its legend gives each class's range."""

    name = "choropleth"
    title = QT_TRANSLATE_NOOP("layers", "On-time closure rate by grid")

    def __init__(self, features: FeatureTable):
        super().__init__(features, None, visible=False)
        self.values: dict[str, float] = {}

    def set_values(self, values: dict[str, float | None]) -> None:
        self.values = {k: v for k, v in values.items() if v is not None}
        self.changed()

    def value_class(self, i: int) -> int | None:
        v = self.values.get(self.features.column("code")[i]) if len(self.features) else None
        if v is None:
            return None
        return int(np.searchsorted(S.CHOROPLETH_BREAKS, v, side="right"))

    def legend(self):
        b = S.CHOROPLETH_BREAKS
        ranges = [f"< {b[0]:.0%}"] + [f"{lo:.0%} – {hi:.0%}" for lo, hi in zip(b, b[1:])] + [f"≥ {b[-1]:.0%}"]
        return [LegendEntry(r, S.FillStyle(fill=c, stroke=None, fill_alpha=S.CHOROPLETH_ALPHA), value=r)
                for r, c in zip(ranges, S.CHOROPLETH_COLOURS)]

    def hit_test(self, x, y, resolution):
        return None  # the grids layer above answers clicks
