"""The Qt-free part of a map layer: its features, style, extent, level of detail and hit test.

Drawing lives in layers.painters (one painter per layer type, as napari pairs each layer model with
its visual); a style change therefore redraws without reloading data.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import shapely

from data.snapshot import FeatureTable


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a string for Qt's translation tools (pyside6-lupdate reads this name) without Qt.

    The console translates it with QCoreApplication.translate(context, text).
    """
    return text


@dataclass(frozen=True)
class ViewState:
    """What the map shows: centre (map metres), resolution (metres per pixel) and pixel size."""

    cx: float
    cy: float
    resolution: float
    width: int
    height: int

    @property
    def world_rect(self) -> tuple[float, float, float, float]:
        hw, hh = self.width * self.resolution / 2, self.height * self.resolution / 2
        return self.cx - hw, self.cy - hh, self.cx + hw, self.cy + hh

    def to_device(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        return ((np.asarray(x) - self.cx) / self.resolution + self.width / 2,
                (self.cy - np.asarray(y)) / self.resolution + self.height / 2)

    def to_world(self, px: float, py: float) -> tuple[float, float]:
        return (self.cx + (px - self.width / 2) * self.resolution, self.cy - (py - self.height / 2) * self.resolution)

    def scale_denominator(self, dpi: float = 96.0) -> float:
        return self.resolution / (0.0254 / dpi)


log = logging.getLogger(__name__)

# What changed in a layer: its features ("data"), whether it is shown ("visibility"), or per-feature
# state of a moving layer ("status").
DATA, VISIBILITY, STATUS = "data", "visibility", "status"


class LayerEvents:
    """A layer's change signal, Qt-free (layers are shared with QGIS's Python), as napari's
    layer.events: the map canvas subscribes and renews the layer's painter; nobody bumps versions
    or invalidates painters by hand."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[["MapLayer", str], None]] = []

    def connect(self, callback: Callable[["MapLayer", str], None]) -> None:
        if callback not in self._subscribers:
            self._subscribers.append(callback)

    def disconnect(self, callback: Callable[["MapLayer", str], None]) -> None:
        if callback in self._subscribers:
            self._subscribers.remove(callback)

    def emit(self, layer: "MapLayer", kind: str) -> None:
        for cb in list(self._subscribers):
            try:
                cb(layer, kind)
            except Exception:  # one broken subscriber must not stop the others, nor the caller
                log.exception("layer %s: a subscriber failed on a %s change", layer.name, kind)


@dataclass(frozen=True)
class LegendEntry:
    label: Any  # English source text in the "legend" context, or a data.domain.Term
    style: Any
    value: str | None = None


class MapLayer:
    """A named, ordered, optionally visible set of features drawn at some scales."""

    # stable id used in settings and tests
    name = "layer"
    # English title (translated in the console through the "layers" context)
    title = QT_TRANSLATE_NOOP("layers", "Layer")
    # static layers are drawn into the cached background; dynamic ones on every frame
    static = True
    listed = True  # shown in the layer panel (a transient overlay such as the import preview is not)
    # hidden when the map is coarser than this many metres per pixel (None: always drawn)
    max_resolution: float | None = None
    # hit-test tolerance in pixels
    hit_px = 4.0

    def __init__(self, features: FeatureTable, style: Any = None, visible: bool = True):
        self.features = features
        self.style = style
        self.visible = visible
        self._tree: shapely.STRtree | None = None
        self.events = LayerEvents()
        self.generation = 0  # counts changes: painters key their caches on it

    def changed(self, kind: str = DATA) -> None:
        """Tell the painters (through the canvas) that this layer changed."""
        self.generation += 1
        self.events.emit(self, kind)

    def set_features(self, features: FeatureTable) -> None:
        """New features (a new table: a FeatureTable handed to a layer is never edited in place,
        so a render on a worker can keep reading the old one)."""
        self.features = features
        self._tree = None
        self.changed(DATA)

    def set_visible(self, visible: bool) -> None:
        if visible != self.visible:
            self.visible = visible
            self.changed(VISIBILITY)

    def snapshot(self) -> "MapLayer":
        """A frozen copy for a render on a worker thread (as QGIS's layer renderers copy what they
        draw on the GUI thread): it keeps the features, style and visibility of this moment, and
        later changes to this layer do not reach it. Cheap: the feature table is shared, not copied."""
        snap = copy.copy(self)
        snap.events = LayerEvents()  # a snapshot never notifies anyone
        return snap

    def visible_at(self, resolution: float) -> bool:
        return self.visible and (self.max_resolution is None or resolution <= self.max_resolution)

    def extent(self) -> tuple[float, float, float, float] | None:
        return self.features.bounds()

    @property
    def tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree(self.features.geoms)
        return self._tree

    def in_rect(self, rect: tuple[float, float, float, float]) -> np.ndarray:
        """Indices of the features whose envelope meets a world rectangle (culling)."""
        if len(self.features) == 0:
            return np.array([], dtype=int)
        return np.sort(self.tree.query(shapely.box(*rect)))

    def hit_test(self, x: float, y: float, resolution: float) -> int | None:
        """The feature under a map point: nearest within the tolerance, topmost polygon containing it."""
        if len(self.features) == 0:
            return None
        p = shapely.Point(x, y)
        tol = self.hit_px * resolution
        idx = self.tree.query(p, predicate="dwithin", distance=tol)
        if len(idx) == 0:
            return None
        d = shapely.distance(self.features.geoms[idx], p)
        return int(idx[int(np.argmin(d))])

    def attributes(self, i: int) -> list[tuple[str, Any]]:
        """(English field label, value) rows for the feature panel."""
        return [(k, v) for k, v in self.features.row(i).items()]

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(self.title, self.style)]

    def search_keys(self, i: int) -> list[str]:
        """Texts a user may type to find feature i (codes, names); empty when not searchable."""
        return []
