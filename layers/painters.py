"""Qt drawing of the layer models: one painter class per layer type (see PAINTERS).

Painters keep Qt geometry (QPolygonF, QLineF) built once in map metres and draw it through the
view's world transform, one draw call per feature (measured here: 10-20x faster with antialiasing
than one big QPainterPath per layer). Static painters may run on a worker thread, so they only use
QImage-based sprites, never QPixmap.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pyqtgraph.functions as pgfn
import shapely
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QPolygonF,
                           QTransform)

from layers import style as S
from layers.basemap import BuildingLayer, StreetLayer, WaterLayer
from layers.cameras import CameraLayer
from layers.grids import ChoroplethLayer, CommunityLayer, DistrictLayer, GridLayer
from layers.hotspots import HeatLayer, HotspotLayer, KeyAreaLayer
from layers.incidents import IncidentLayer
from layers.ledgers import SupervisionLayer
from layers.labels import LabelSpace, candidate_offsets, is_cjk, place_along
from layers.model import MapLayer, ViewState
from layers.patrols import TeamLayer, TrailLayer
from layers.coverage import CoverageLayer
from layers.plans import PatrolPlanLayer
from layers.raster import RasterBasemapLayer
from layers.routes import ImportPreviewLayer, RouteLayer


class PlacedGlyph(NamedTuple):
    """A label image (a whole label, or one character of a curved one) centred at (x, y) in device
    pixels, turned by angle_deg."""

    image: QImage
    x: float
    y: float
    angle_deg: float
    label: int = 0  # which label it belongs to (LabelSpace.take): characters of one label share it


def world_transform(view: ViewState) -> QTransform:
    r = view.resolution
    return QTransform(1 / r, 0, 0, -1 / r, -view.cx / r + view.width / 2, view.cy / r + view.height / 2)


def qcolor(hex_colour: str, alpha: float = 1.0) -> QColor:
    c = QColor(hex_colour)
    c.setAlphaF(alpha)
    return c


def cosmetic_pen(hex_colour: str | None, width: float, alpha: float = 1.0, cap=Qt.RoundCap) -> QPen:
    if hex_colour is None:
        return QPen(Qt.NoPen)
    pen = QPen(qcolor(hex_colour, alpha), width)
    pen.setCosmetic(True)  # width in pixels whatever the world transform
    pen.setCapStyle(cap)
    pen.setJoinStyle(Qt.RoundJoin)
    return pen


def device_polyline(view: ViewState, coords: np.ndarray) -> QPolygonF:
    """(n, 2) map metres as a polyline in device pixels."""
    dx, dy = view.to_device(coords[:, 0], coords[:, 1])
    return QPolygonF([QPointF(a, b) for a, b in zip(dx.tolist(), dy.tolist())])


def draw_cased_line(p: QPainter, poly: QPolygonF, st: S.LineStyle) -> None:
    """A line over a wider white casing, dashed when its style says (plans, coverage, a drawn route);
    the painter's transform must be the identity (device pixels)."""
    p.setBrush(Qt.NoBrush)
    if st.casing:
        p.setPen(QPen(QColor(st.casing), st.casing_px, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        p.drawPolyline(poly)
    pen = QPen(QColor(st.stroke), st.width_px, Qt.SolidLine, Qt.FlatCap if st.dash else Qt.RoundCap, Qt.RoundJoin)
    if st.dash:
        pen.setDashPattern(list(st.dash))
    p.setPen(pen)
    p.drawPolyline(poly)


def polygon_rings(geom: shapely.Geometry) -> list[QPolygonF]:
    """Exterior rings of a (multi)polygon as QPolygonF, filled through a numpy view (fast)."""
    out = []
    for part in shapely.get_parts(geom):
        coords = shapely.get_coordinates(part.exterior)
        q = pgfn.create_qpolygonf(len(coords))
        pgfn.ndarray_from_qpolygonf(q)[:] = coords
        out.append(q)
    return out


def polygon_path(geom: shapely.Geometry) -> QPainterPath:
    """A path with holes (odd-even fill), for the few large polygons such as the river."""
    path = QPainterPath()
    path.setFillRule(Qt.OddEvenFill)
    for part in shapely.get_parts(geom):
        for ring in [part.exterior, *part.interiors]:
            coords = shapely.get_coordinates(ring)
            q = pgfn.create_qpolygonf(len(coords))
            pgfn.ndarray_from_qpolygonf(q)[:] = coords
            path.addPolygon(q)
            path.closeSubpath()
    return path


@lru_cache(maxsize=256)
def marker_image(shape: str, fill: str, stroke: str, size: float, dpr: float = 1.0) -> QImage:
    """A marker symbol drawn once (an atlas entry, as pyqtgraph's scatter plot does) and blitted."""
    pad = 2
    side = int(math.ceil(size + 2 * pad))
    img = QImage(int(side * dpr), int(side * dpr), QImage.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    p.setPen(QPen(QColor(stroke), 1.6))
    p.setBrush(QColor(fill))
    c = side / 2
    r = size / 2
    if shape == "circle":
        p.drawEllipse(QPointF(c, c), r, r)
    elif shape == "square":
        p.drawRect(QRectF(c - r * 0.85, c - r * 0.85, r * 1.7, r * 1.7))
    elif shape == "camera":
        # A camera body with its lens to the right: no team kind uses it, so a camera is never
        # taken for a team (both were squares).
        path = QPainterPath()
        path.addRoundedRect(QRectF(c - r * 0.95, c - r * 0.5, r * 1.25, r * 1.0), r * 0.18, r * 0.18)
        lens = QPolygonF([QPointF(c + r * 0.3, c - r * 0.18), QPointF(c + r * 0.95, c - r * 0.55),
                          QPointF(c + r * 0.95, c + r * 0.55), QPointF(c + r * 0.3, c + r * 0.18)])
        path.addPolygon(lens)
        path.closeSubpath()
        p.drawPath(path.simplified())
    elif shape == "pin":
        path = QPainterPath()
        head = r * 0.62
        path.moveTo(c, side - pad)
        path.cubicTo(c - head * 0.6, c + head * 0.6, c - head * 1.4, c - head * 0.35, c - head, c - head * 0.9)
        path.arcTo(QRectF(c - head, pad, 2 * head, 2 * head), 200, -220)
        path.cubicTo(c + head * 1.4, c - head * 0.35, c + head * 0.6, c + head * 0.6, c, side - pad)
        p.drawPath(path)
        p.setBrush(QColor("#ffffff"))
        p.setPen(Qt.NoPen)
        p.drawEllipse(QPointF(c, pad + head), head * 0.38, head * 0.38)
    else:
        n, star = {"triangle": (3, False), "diamond": (4, False), "pentagon": (5, False),
                   "hexagon": (6, False), "star": (5, True)}[shape]
        pts = []
        steps = n * 2 if star else n
        for k in range(steps):
            a = -math.pi / 2 + k * 2 * math.pi / steps
            rr = r if (not star or k % 2 == 0) else r * 0.45
            pts.append(QPointF(c + rr * math.cos(a), c + rr * math.sin(a) + (r * 0.12 if n == 3 else 0)))
        p.drawPolygon(QPolygonF(pts))
    p.end()
    return img


class LayerPainter:
    """Draws one layer model. Subclasses build their Qt geometry lazily from the model."""

    def __init__(self, layer: MapLayer):
        self.layer = layer

    def invalidate(self) -> None:
        """The layer's features changed: drop derived Qt geometry."""

    def paint(self, p: QPainter, view: ViewState) -> None:
        raise NotImplementedError

    labels_under_markers = False  # True: the labels are the basemap's (street names), beneath teams and pins

    def place_labels(self, view: ViewState, space: LabelSpace) -> list[PlacedGlyph]:
        """This layer's labels for a view: where each label image goes (device px), taking its room
        in `space` and avoiding what is already there. Pure: safe on the render worker."""
        return []


class FillPainter(LayerPainter):
    """Polygons with one fill and outline style, culled to the view."""

    def __init__(self, layer: MapLayer):
        super().__init__(layer)
        self._rings: list[list[QPolygonF]] | None = None

    def invalidate(self):
        self._rings = None

    def rings(self) -> list[list[QPolygonF]]:
        if self._rings is None:
            self._rings = [polygon_rings(g) for g in self.layer.features.geoms]
        return self._rings

    def paint(self, p, view):
        st: S.FillStyle = self.layer.style
        rings = self.rings()
        p.setTransform(world_transform(view))
        p.setPen(cosmetic_pen(st.stroke, st.stroke_px))
        p.setBrush(QBrush(qcolor(st.fill, st.fill_alpha)) if st.fill else Qt.NoBrush)
        for i in self.layer.in_rect(view.world_rect):
            for q in rings[i]:
                p.drawPolygon(q)


class WaterPainter(LayerPainter):
    """Few, large polygons with holes: one path each."""

    def __init__(self, layer):
        super().__init__(layer)
        self._paths = None

    def invalidate(self):
        self._paths = None

    def paint(self, p, view):
        if self._paths is None:
            self._paths = [polygon_path(g) for g in self.layer.features.geoms]
        st = self.layer.style
        p.setTransform(world_transform(view))
        p.setPen(cosmetic_pen(st.stroke, st.stroke_px))
        p.setBrush(qcolor(st.fill))
        for i in self.layer.in_rect(view.world_rect):
            p.drawPath(self._paths[i])


@lru_cache(maxsize=4096)
def glyph(ch: str) -> tuple[QImage, float, float]:
    """One street-name character with its halo, and its advance and height (without the halo)."""
    img = label_image(ch, 11, S.STREET_LABEL, bold=False)
    return img, img.width() - 6.0, img.height() - 6.0


class StreetPainter(LayerPainter):
    """Street segments by class: casings first, then fills, so junctions look joined.

    Each segment is cut into its vertex-to-vertex pieces once, so a whole class is one drawLines
    call however many vertices the streets have (an imported street bends; the demo's are straight).
    """

    def __init__(self, layer: StreetLayer):
        super().__init__(layer)
        self._lines: list[QLineF] | None = None
        self._line_segment: np.ndarray | None = None  # which segment each piece belongs to

    def invalidate(self):
        self._lines = None

    labels_under_markers = True
    LABEL_MAX_RES_BY_RANK = (4.0, 2.5, 1.4)  # m/px up to which main, secondary, minor streets are named

    def place_labels(self, view, space):
        """Street names along their streets: the bigger streets first, only where the name fits the
        line and meets no other label, repeated along a long street."""
        if view.resolution > self.LABEL_MAX_RES_BY_RANK[0]:
            return []
        names, lines, ranks, tree = self.layer.label_lines()
        if not len(lines):
            return []
        rect = view.world_rect
        idx = tree.query(shapely.box(*rect))
        idx = [i for i in idx if view.resolution <= self.LABEL_MAX_RES_BY_RANK[ranks[i]]]
        idx.sort(key=lambda i: (ranks[i], -lines[i].length))
        drawn = []
        for i in idx:
            glyphs = [glyph(ch) for ch in names[i]]
            widths = [g[1] for g in glyphs]
            height = max(g[2] for g in glyphs)
            cjk = is_cjk(names[i])
            visible = shapely.clip_by_rect(lines[i], *rect)
            for part in shapely.get_parts(visible):
                xy = shapely.get_coordinates(part)
                if len(xy) < 2:
                    continue
                dx, dy = view.to_device(xy[:, 0], xy[:, 1])
                dev = np.column_stack([dx, dy])
                length = float(np.hypot(*np.diff(dev, axis=0).T).sum())
                span = sum(widths) if not cjk else max(sum(widths), height * len(widths))
                for group in candidate_offsets(length, span):
                    for at in group:
                        placed = place_along(dev, widths, height, at, upright_cjk=cjk)
                        if placed is None or not space.free(placed.boxes):
                            continue
                        label = space.take(placed.boxes)
                        drawn += [PlacedGlyph(g[0], float(x), float(y), float(a), label)
                                  for g, x, y, a in zip(glyphs, placed.x, placed.y, placed.angle_deg)]
                        break
        return drawn

    def _pieces(self) -> None:
        geoms = self.layer.features.geoms
        coords = shapely.get_coordinates(geoms)
        counts = shapely.get_num_coordinates(geoms)
        keep = np.ones(max(len(coords) - 1, 0), dtype=bool)
        ends = np.cumsum(counts)
        keep[ends[:-1] - 1] = False  # no piece from one segment's last vertex to the next one's first
        pairs = np.hstack([coords[:-1], coords[1:]])[keep] if len(coords) else np.zeros((0, 4))
        self._lines = [QLineF(a, b, c, d) for a, b, c, d in pairs.tolist()]
        self._line_segment = np.repeat(np.arange(len(geoms)), np.maximum(counts - 1, 0))
        self._piece_class = np.asarray(self.layer.features.column("road_class"), dtype=object)[self._line_segment]

    def paint(self, p, view):
        if self._lines is None:
            self._pieces()
        idx = self.layer.in_rect(view.world_rect)
        visible = np.zeros(len(self.layer.features), dtype=bool)
        visible[idx] = True
        piece_visible = visible[self._line_segment]
        piece_class = self._piece_class
        # Widths shrink when zoomed out so the network stays legible rather than a solid mass.
        zoom = float(np.clip(2.2 / view.resolution, 0.35, 1.6))
        # Round caps cost 5x square caps with antialiasing (measured: 25 vs 5 ms for 4,500
        # segments); square caps close the joints as well, so round ones only when few are drawn.
        cap = Qt.RoundCap if view.resolution < 0.6 else Qt.SquareCap
        p.setTransform(world_transform(view))
        by_class = {k: [self._lines[i] for i in np.flatnonzero(piece_visible & (piece_class == k))] for k in StreetLayer.DRAW_ORDER}
        styles = self.layer.style
        for k in StreetLayer.DRAW_ORDER:
            st = styles[k]
            if st.casing and by_class[k]:
                p.setPen(cosmetic_pen(st.casing, max(1.0, st.casing_px * zoom), cap=cap))
                p.drawLines(by_class[k])
        for k in StreetLayer.DRAW_ORDER:
            st = styles[k]
            if by_class[k]:
                p.setPen(cosmetic_pen(st.stroke, max(0.6, st.width_px * zoom), cap=cap))
                p.drawLines(by_class[k])


class ChoroplethPainter(FillPainter):
    """Each grid filled with its indicator's class colour (grids without a value stay clear)."""

    def paint(self, p, view):
        layer: ChoroplethLayer = self.layer
        if not layer.values:
            return
        rings = self.rings()
        p.setTransform(world_transform(view))
        p.setPen(Qt.NoPen)
        for i in layer.in_rect(view.world_rect):
            k = layer.value_class(i)
            if k is None:
                continue
            p.setBrush(qcolor(S.CHOROPLETH_COLOURS[k], S.CHOROPLETH_ALPHA))
            for q in rings[i]:
                p.drawPolygon(q)


class HeatPainter(LayerPainter):
    """The density raster through the heat ramp, opacity growing with density; the image is built
    once per density and scaled to the view."""

    def __init__(self, layer):
        super().__init__(layer)
        self._image: QImage | None = None

    def invalidate(self):
        self._image = None

    def image(self) -> QImage | None:
        layer: HeatLayer = self.layer
        if layer.density is None:
            return None
        if self._image is None:
            v = np.clip(layer.density.values / max(layer.scale_max(), 1e-9), 0, 1)
            ramp = np.array([[int(c[k:k + 2], 16) for k in (1, 3, 5)] for c in S.HEAT_RAMP], dtype=float)
            pos = v * (len(ramp) - 1)
            lo = np.floor(pos).astype(int).clip(0, len(ramp) - 2)
            t = (pos - lo)[..., None]
            rgb = ramp[lo] * (1 - t) + ramp[lo + 1] * t
            alpha = np.where(v > 0.02, (0.25 + 0.75 * v) * S.HEAT_MAX_ALPHA, 0.0)
            rgba = np.empty(v.shape + (4,), dtype=np.uint8)
            rgba[..., :3] = (rgb * alpha[..., None]).round()  # premultiplied
            rgba[..., 3] = (alpha * 255).round()
            rows, cols = v.shape
            self._image = QImage(rgba.tobytes(), cols, rows, cols * 4, QImage.Format_RGBA8888_Premultiplied).copy()
        return self._image

    def paint(self, p, view):
        img = self.image()
        if img is None:
            return
        x0, y0, x1, y1 = self.layer.density.extent
        (dx0, dx1), (dy1, dy0) = view.to_device([x0, x1], [y1, y0])
        p.setRenderHint(QPainter.SmoothPixmapTransform)
        p.drawImage(QRectF(float(dx0), float(dy1), float(dx1 - dx0), float(dy0 - dy1)), img)


class HotspotPainter(FillPainter):
    """Each significant cell filled by its Gi* class (not significant: left clear)."""

    def paint(self, p, view):
        layer: HotspotLayer = self.layer
        if not len(layer.features):
            return
        rings = self.rings()
        classes = layer.features.column("class")
        p.setTransform(world_transform(view))
        p.setPen(cosmetic_pen("#ffffff", 0.5))
        for i in layer.in_rect(view.world_rect):
            colour = S.HOTSPOT_COLOURS.get(classes[i])
            if colour is None:
                continue
            p.setBrush(qcolor(colour, S.HOTSPOT_ALPHA))
            for q in rings[i]:
                p.drawPolygon(q)


class KeyAreaPainter(FillPainter):
    """A heavy outline and the area's name at its centre."""

    def paint(self, p, view):
        super().paint(p, view)
        layer = self.layer
        if not len(layer.features):
            return
        p.resetTransform()
        f = p.font()
        f.setBold(True)
        f.setPointSizeF(9)
        p.setFont(f)
        p.setPen(QColor(self.layer.style.stroke))
        for i in layer.in_rect(view.world_rect):
            c = layer.features.geoms[i].representative_point()
            (x,), (y,) = view.to_device([c.x], [c.y])
            p.drawText(QRectF(float(x) - 80, float(y) - 10, 160, 20), Qt.AlignCenter, layer.features.column("name")[i])


class PlanPainter(LayerPainter):
    """Routes dashed over a white casing, areas outlined the same way, stake-outs as a ring of their
    radius; key plans in their colour and named at a point of theirs."""

    def paint(self, p, view):
        layer = self.layer
        if not len(layer.features):
            return
        keys, kinds, names = layer.features.column("key"), layer.features.column("kind"), layer.features.column("name")
        radii = layer.features.column("radius_m")
        p.resetTransform()
        for i in layer.in_rect(view.world_rect):
            st = S.PLAN_KEY if keys[i] else S.PLAN
            g = layer.features.geoms[i]
            if kinds[i] == "stakeout":
                (x,), (y,) = view.to_device([g.x], [g.y])
                r = max(6.0, float(radii[i]) / view.resolution)
                for colour, width in ((st.casing, st.casing_px), (st.stroke, st.width_px)):
                    pen = QPen(QColor(colour), width)
                    if colour == st.stroke:
                        pen.setDashPattern(list(st.dash))
                    p.setPen(pen)
                    p.setBrush(Qt.NoBrush)
                    p.drawEllipse(QPointF(float(x), float(y)), r, r)
                p.setBrush(QColor(st.stroke))
                p.drawEllipse(QPointF(float(x), float(y)), 3.0, 3.0)
            else:
                lines = [g] if g.geom_type == "LineString" else list(shapely.get_parts(shapely.boundary(g)))
                for line in lines:
                    draw_cased_line(p, device_polyline(view, shapely.get_coordinates(line)), st)
            if keys[i]:
                c = g.representative_point() if kinds[i] != "route" else shapely.Point(shapely.get_coordinates(g)[0])
                (x,), (y,) = view.to_device([c.x], [c.y])
                f = QFont(p.font())
                f.setBold(True)
                f.setPointSizeF(9)
                p.setFont(f)
                p.setPen(QColor(st.stroke))
                p.drawText(QRectF(float(x) - 90, float(y) - 26, 180, 18), Qt.AlignCenter, names[i])


class CoveragePainter(LayerPainter):
    """The chosen plan window: the team's track thin beneath, then the line walked (solid) and not
    walked (dashed) over a white casing, checkpoints as rings (filled when reached), a stake-out's
    ring in the colour of whether it was held."""

    def paint(self, p, view):
        cov = self.layer.shown
        if cov is None:
            return
        p.resetTransform()

        p.setBrush(Qt.NoBrush)
        p.setPen(cosmetic_pen(S.TRAIL_COLOUR, 1.0, 0.35))  # beneath, faint: hours of fixes overlap
        for track in cov.tracks:
            p.drawPolyline(device_polyline(view, track))
        for geom, st in ((cov.missed, S.COVERAGE_MISSED), (cov.walked, S.COVERAGE_WALKED)):
            for part in shapely.get_parts(geom):
                draw_cased_line(p, device_polyline(view, shapely.get_coordinates(part)), st)
        for pts, st, filled in ((cov.reached, S.COVERAGE_WALKED, True), (cov.unreached, S.COVERAGE_MISSED, False)):
            if not len(pts):
                continue
            dx, dy = view.to_device(pts[:, 0], pts[:, 1])
            for x, y in zip(dx.tolist(), dy.tolist()):
                p.setPen(QPen(QColor(st.stroke), 3.0))
                p.setBrush(QColor(st.stroke) if filled else QColor("#ffffff"))
                p.drawEllipse(QPointF(x, y), 7.0, 7.0)
        if cov.point is not None:
            st = S.COVERAGE_WALKED if cov.held else S.COVERAGE_MISSED
            (x,), (y,) = view.to_device([cov.point[0]], [cov.point[1]])
            r = max(8.0, cov.radius_m / view.resolution)
            p.setBrush(Qt.NoBrush)
            p.setPen(QPen(QColor(st.casing), st.casing_px))
            p.drawEllipse(QPointF(float(x), float(y)), r, r)
            p.setPen(QPen(QColor(st.stroke), st.width_px))
            p.drawEllipse(QPointF(float(x), float(y)), r, r)


class SupervisionPainter(LayerPainter):
    """A rounded badge per grid with the number of people under supervision, filled by the grid's
    worst visit state (on time, overdue, out of supervision): a number, never a name."""

    def paint(self, p, view):
        layer = self.layer
        if not len(layer.features):
            return
        p.resetTransform()
        f = QFont(p.font())
        f.setBold(True)
        f.setPointSizeF(8.5)
        p.setFont(f)
        h = S.SUPERVISION_BADGE_PX
        states, people = layer.features.column("state"), layer.features.column("people")
        idx = layer.in_rect(view.world_rect)
        if not len(idx):
            return
        xs, ys = view.to_device(shapely.get_x(layer.features.geoms[idx]), shapely.get_y(layer.features.geoms[idx]))
        for i, x, y in zip(idx.tolist(), xs.tolist(), ys.tolist()):
            text = str(people[i])
            w = max(h, 8 + 7 * len(text))
            rect = QRectF(x - w / 2, y - h / 2, w, h)
            p.setPen(QPen(QColor("#ffffff"), 1.5))
            p.setBrush(QColor(S.SUPERVISION_COLOURS[states[i]]))
            p.drawRoundedRect(rect, 4, 4)
            p.setPen(QColor("#ffffff"))
            p.drawText(rect, Qt.AlignCenter, text)


class CommunityPainter(FillPainter):
    LABEL_MIN_RESOLUTION = 6.0  # m/px: community names once the view is wide enough to hold several

    def place_labels(self, view, space):
        """Each community's name, large, at the overview scales (grids are named at closer ones)."""
        layer: CommunityLayer = self.layer
        anchors, radius = layer.label_anchors()
        if view.resolution < self.LABEL_MIN_RESOLUTION or not len(anchors):
            return []
        dx, dy = view.to_device(anchors[:, 0], anchors[:, 1])
        out = []
        for i in range(len(anchors)):
            img = label_image(layer.features.column("name")[i], 16, S.COMMUNITY_LABEL)
            if img.width() > 2.4 * radius[i] / view.resolution:
                continue
            box = _image_box(dx[i], dy[i], img)
            if not space.free(box):
                continue
            out.append(PlacedGlyph(img, float(dx[i]), float(dy[i]), 0.0, space.take(box)))
        return out

    def paint(self, p, view):
        layer: CommunityLayer = self.layer
        rings = self.rings()
        p.setTransform(world_transform(view))
        # Pale fills without antialiasing (the outline drawn next covers their edge): 3x cheaper.
        p.setRenderHint(QPainter.Antialiasing, False)
        for i in range(len(layer.features)):
            p.setPen(Qt.NoPen)
            p.setBrush(qcolor(layer.colour(i), S.COMMUNITY_FILL_ALPHA))
            for q in rings[i]:
                p.drawPolygon(q)
        p.setRenderHint(QPainter.Antialiasing, True)
        p.setBrush(Qt.NoBrush)
        p.setPen(cosmetic_pen(S.COMMUNITY_OUTLINE.stroke, S.COMMUNITY_OUTLINE.stroke_px))
        for i in range(len(layer.features)):
            for q in rings[i]:
                p.drawPolygon(q)


@lru_cache(maxsize=1024)
def label_image(text: str, pixel_size: int, colour: str, bold: bool = True, halo: str = "#ffffff") -> QImage:
    """A label with a white halo, drawn once and then blitted: text outlines are slow to stroke
    (101 grid labels took 60 ms as paths, under 1 ms as cached images)."""
    font = QFont()
    font.setPixelSize(pixel_size)
    font.setBold(bold)
    fm = QFontMetricsF(font)
    w = fm.horizontalAdvance(text)
    pad = 3
    img = QImage(int(math.ceil(w + 2 * pad)), int(math.ceil(fm.height() + 2 * pad)), QImage.Format_ARGB32_Premultiplied)
    img.fill(Qt.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.Antialiasing)
    path = QPainterPath()
    path.addText(QPointF(pad, pad + fm.ascent()), font, text)
    p.setPen(QPen(qcolor(halo, 0.9), 3.2, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
    p.drawPath(path)
    p.setPen(Qt.NoPen)
    p.setBrush(QColor(colour))
    p.drawPath(path)
    p.end()
    return img


def _image_box(x: float, y: float, img: QImage, pad: float = 3.0) -> np.ndarray:
    """The screen box of a label image centred at (x, y), without its halo padding."""
    w, h = img.width() / 2 - pad, img.height() / 2 - pad
    return np.array([x - w, y - h, x + w, y + h])


class GridPainter(FillPainter):
    """Grid outlines, and each grid's short name where it fits inside the grid."""

    def place_labels(self, view, space):
        layer: GridLayer = self.layer
        anchors, radius = layer.label_anchors()
        dx, dy = view.to_device(anchors[:, 0], anchors[:, 1]) if len(anchors) else (np.array([]), np.array([]))
        out = []
        for i in layer.in_rect(view.world_rect):
            img = label_image(layer.label(i), 12, S.GRID_LABEL)
            room = 2 * radius[i] / view.resolution
            if img.width() > room:
                continue  # does not fit: leave the grid unlabelled at this scale
            box = _image_box(dx[i], dy[i], img)
            if not space.free(box):
                continue  # a community's name is there
            out.append(PlacedGlyph(img, float(dx[i]), float(dy[i]), 0.0, space.take(box)))
        return out


class CameraPainter(LayerPainter):
    def __init__(self, layer: CameraLayer):
        super().__init__(layer)
        self._wedges: list[QPolygonF] | None = None

    def invalidate(self):
        self._wedges = None

    def paint(self, p, view):
        layer: CameraLayer = self.layer
        idx = layer.in_rect(_grow(view.world_rect, 120))
        if view.resolution <= CameraLayer.WEDGE_MAX_RESOLUTION and len(idx):
            if self._wedges is None:
                self._wedges = [polygon_rings(w)[0] for w in layer.wedges]
            st = S.CAMERA_WEDGE
            p.setTransform(world_transform(view))
            p.setPen(cosmetic_pen(st.stroke, st.stroke_px, 0.5))
            p.setBrush(qcolor(st.fill, st.fill_alpha))
            for i in idx:
                p.drawPolygon(self._wedges[i])
        p.resetTransform()
        xy = shapely.get_coordinates(layer.features.geoms[idx]) if len(idx) else np.zeros((0, 2))
        dx, dy = view.to_device(xy[:, 0], xy[:, 1])
        for k, i in enumerate(idx):
            ms = layer.marker_style(i)
            img = marker_image(ms.shape, ms.fill, ms.stroke, ms.size_px)
            p.drawImage(QPointF(dx[k] - img.width() / 2, dy[k] - img.height() / 2), img)


class TeamPainter(LayerPainter):
    def paint(self, p, view):
        layer: TeamLayer = self.layer
        xy = layer.xy
        if len(xy) == 0:
            return
        dx, dy = view.to_device(xy[:, 0], xy[:, 1])
        inside = (dx > -20) & (dx < view.width + 20) & (dy > -20) & (dy < view.height + 20)
        size = S.TEAM_SIZE_PX if view.resolution < 3 else S.TEAM_SIZE_PX * 0.8
        p.resetTransform()
        half = (size + 4) / 2
        for i in np.flatnonzero(inside):
            img = marker_image(layer.shape(i), layer.colour(i), layer.stroke(i), size)
            p.drawImage(QPointF(dx[i] - half, dy[i] - half), img)

    @staticmethod
    def footprint_px() -> float:
        return S.TEAM_SIZE_PX + 6


class TrailPainter(LayerPainter):
    """Trails as fading lines, drawn into an image of their own.

    Trails change slowly (a fix every few seconds per team) but are many segments, so they are
    rendered, age band by age band (one drawLines call each), into a cached image at most twice a
    second; every other frame just places that image, shifted and scaled as the view moves.
    """

    BANDS = 5
    MIN_REBUILD_S = 0.5  # new fixes show in the trail within half a second (the marker moves at once)

    def __init__(self, layer: TrailLayer):
        super().__init__(layer)
        self._key = None
        self._built_at = 0.0
        self._image: QImage | None = None
        self._image_view: ViewState | None = None

    def _render(self, view: ViewState) -> QImage:
        layer: TrailLayer = self.layer
        img = QImage(max(1, view.width), max(1, view.height), QImage.Format_ARGB32_Premultiplied)
        img.fill(Qt.transparent)
        segs, ages = layer.trails.segments(layer.now)
        x0, y0, x1, y1 = view.world_rect
        inside = ((np.maximum(segs[:, 0], segs[:, 2]) >= x0) & (np.minimum(segs[:, 0], segs[:, 2]) <= x1) &
                  (np.maximum(segs[:, 1], segs[:, 3]) >= y0) & (np.minimum(segs[:, 1], segs[:, 3]) <= y1))
        segs, ages = segs[inside], ages[inside]
        band = np.minimum((ages / layer.trails.window.total_seconds() * self.BANDS).astype(int), self.BANDS - 1)
        p = QPainter(img)
        p.setRenderHint(QPainter.Antialiasing)
        p.setTransform(world_transform(view))
        for b in range(self.BANDS):
            lines = [QLineF(*c) for c in segs[band == b].tolist()]
            if lines:
                alpha = 0.85 * (1 - b / self.BANDS) + 0.08
                # Flat caps: round ones made 10,000 trail segments cost 100 ms.
                pen = cosmetic_pen(S.TRAIL_COLOUR, 2.2 if b == 0 else 1.8, alpha, cap=Qt.FlatCap)
                pen.setDashPattern(list(S.TRAIL_DASH))
                p.setPen(pen)
                p.drawLines(lines)
        p.end()
        return img

    def paint(self, p, view):
        import time
        layer: TrailLayer = self.layer
        if layer.now is None:
            return
        key = (layer.generation, int(layer.now.timestamp()), view)
        due = self._image is None or (key != self._key and time.monotonic() - self._built_at >= self.MIN_REBUILD_S)
        if due:
            self._image, self._image_view = self._render(view), view
            self._key, self._built_at = key, time.monotonic()
        iv = self._image_view
        p.resetTransform()
        if iv == view:
            p.drawImage(0, 0, self._image)
        else:
            s = iv.resolution / view.resolution
            dx, dy = view.to_device(iv.world_rect[0], iv.world_rect[3])
            p.drawImage(QRectF(float(dx), float(dy), iv.width * s, iv.height * s), self._image)


class IncidentPainter(LayerPainter):
    def paint(self, p, view):
        layer: IncidentLayer = self.layer
        n = len(layer.features)
        if n == 0:
            return
        xy = shapely.get_coordinates(layer.features.geoms)
        dx, dy = view.to_device(xy[:, 0], xy[:, 1])
        p.resetTransform()
        # Bigger (more urgent) pins last, so they stay on top.
        order = sorted(range(n), key=lambda i: layer.size_px(i))
        for i in order:
            size = layer.size_px(i)
            img = marker_image("pin", layer.colour(i), S.PIN_STROKE, size)
            # The pin's tip marks the spot.
            p.drawImage(QPointF(dx[i] - img.width() / 2, dy[i] - img.height() + 2), img)


class RoutePainter(LayerPainter):
    def paint(self, p, view):
        path = self.layer.path
        if path is None or len(path) < 2:
            return
        p.resetTransform()
        draw_cased_line(p, device_polyline(view, path), self.layer.style)


_TILE_IMAGES: "OrderedDict[tuple, QImage]" = OrderedDict()  # decoded tiles, shared by painters (LRU)
_TILE_LOCK = threading.Lock()


def _tile_image(source: str, key: tuple, data: bytes) -> QImage | None:
    with _TILE_LOCK:
        img = _TILE_IMAGES.get((source, key))
        if img is not None:
            _TILE_IMAGES.move_to_end((source, key))
            return img
    img = QImage.fromData(data)
    if img.isNull():
        return None
    with _TILE_LOCK:
        _TILE_IMAGES[(source, key)] = img
        while len(_TILE_IMAGES) > 400:
            _TILE_IMAGES.popitem(last=False)
    return img


class RasterPainter(LayerPainter):
    """Each tile warped onto its four corners on the map (a projective fit of the tile square to
    the corners: exact at the corners, well under a pixel inside a tile at district scales)."""

    def __init__(self, layer):
        super().__init__(layer)
        self._plan: tuple[ViewState, list] | None = None

    def prepare(self, view: ViewState) -> None:
        """On the GUI thread: which tiles the view needs and their corners (PROJ stays here)."""
        self._plan = (view, self.layer.tiles_for(view))

    def paint(self, p, view):
        layer = self.layer
        plan = self._plan
        if plan is None or plan[0] != view:
            return  # not prepared for this view (a render for another one): drawn next time
        need = plan[1]
        missing = []
        p.resetTransform()
        p.setRenderHint(QPainter.SmoothPixmapTransform, True)
        for key, corners in need:
            data = layer.fetcher.get(key)
            if data is None:
                if not layer.fetcher.has(key):
                    missing.append(key)
                continue
            img = _tile_image(layer.config.location, key, data)
            if img is None:
                continue
            dx, dy = view.to_device(corners[:, 0], corners[:, 1])
            quad = QPolygonF([QPointF(a, b) for a, b in zip(dx.tolist(), dy.tolist())])
            square = QPolygonF([QPointF(0, 0), QPointF(img.width(), 0), QPointF(img.width(), img.height()), QPointF(0, img.height())])
            t = QTransform()
            if QTransform.quadToQuad(square, quad, t):
                p.setTransform(t)
                p.drawImage(0, 0, img)
        p.resetTransform()
        if missing:
            layer.fetcher.request(missing)


class ImportPreviewPainter(LayerPainter):
    """Magenta, above everything: what the import wizard would write."""

    def paint(self, p, view):
        layer = self.layer
        st = layer.style
        p.resetTransform()
        if len(layer.geoms):
            p.setBrush(Qt.NoBrush)
            p.setPen(QPen(QColor(st.fill), 1.6))
            for g in layer.geoms:
                for part in shapely.get_parts(g):
                    rings = [part] if part.geom_type == "LineString" else [part.exterior, *part.interiors] if part.geom_type == "Polygon" else []
                    for ring in rings:
                        p.drawPolyline(device_polyline(view, shapely.get_coordinates(ring)))
        if len(layer.points):
            dx, dy = view.to_device(layer.points[:, 0], layer.points[:, 1])
            r = st.size_px / 2
            p.setPen(QPen(QColor(st.stroke), 1.5))
            p.setBrush(QColor(st.fill))
            for a, b in zip(dx.tolist(), dy.tolist()):
                p.drawEllipse(QPointF(a, b), r, r)


def _grow(rect, d):
    return rect[0] - d, rect[1] - d, rect[2] + d, rect[3] + d


PAINTERS: dict[type, type[LayerPainter]] = {
    WaterLayer: WaterPainter,
    StreetLayer: StreetPainter,
    BuildingLayer: FillPainter,
    CommunityLayer: CommunityPainter,
    DistrictLayer: FillPainter,
    GridLayer: GridPainter,
    ChoroplethLayer: ChoroplethPainter,
    HeatLayer: HeatPainter,
    HotspotLayer: HotspotPainter,
    KeyAreaLayer: KeyAreaPainter,
    PatrolPlanLayer: PlanPainter,
    CoverageLayer: CoveragePainter,
    SupervisionLayer: SupervisionPainter,
    CameraLayer: CameraPainter,
    TeamLayer: TeamPainter,
    TrailLayer: TrailPainter,
    RouteLayer: RoutePainter,
    ImportPreviewLayer: ImportPreviewPainter,
    RasterBasemapLayer: RasterPainter,
    IncidentLayer: IncidentPainter,
}


def painter_for(layer: MapLayer) -> LayerPainter:
    return PAINTERS[type(layer)](layer)


def render_layers(image: QImage, layers: list[MapLayer], painters: dict[str, LayerPainter], view: ViewState,
                  background: str | None = S.BACKGROUND, labels: bool = False) -> None:
    """Draw the given layers (bottom first) into an image, and their labels on top when asked.
    Safe on a worker thread."""
    p = QPainter(image)
    p.setRenderHint(QPainter.Antialiasing)
    p.setRenderHint(QPainter.TextAntialiasing)
    if background:
        p.fillRect(QRectF(0, 0, view.width, view.height), QColor(background))
    if not labels:
        paint_layers(p, layers, painters, view)
    else:
        layout = layout_labels(layers, painters, view)
        paint_layers(p, [lyr for lyr in layers if lyr.static], painters, view)
        draw_labels(p, layout, view, under=True)
        paint_layers(p, [lyr for lyr in layers if not lyr.static], painters, view)
        draw_labels(p, layout, view, under=False)
    p.end()


def paint_layers(p: QPainter, layers: list[MapLayer], painters: dict[str, LayerPainter], view: ViewState) -> None:
    for layer in layers:
        if layer.visible_at(view.resolution):
            p.save()
            painters[layer.name].paint(p, view)
            p.restore()


@dataclass(frozen=True)
class LabelLayout:
    """Every label of a view, placed: computed with the background on the render worker, drawn
    over everything on each frame (moved with the map while a pan or zoom previews)."""

    view: ViewState
    glyphs: tuple[PlacedGlyph, ...]  # drawn over the markers (grid and community names)
    under: tuple[PlacedGlyph, ...] = ()  # drawn beneath them: street names are the basemap's


def layout_labels(layers: list[MapLayer], painters: dict[str, LayerPainter], view: ViewState) -> LabelLayout:
    """Every layer's labels, the topmost layer's placed first: a label lower down goes only where
    the room is still free (community names, then grid names, then street names)."""
    space = LabelSpace()
    over: list[PlacedGlyph] = []
    under: list[PlacedGlyph] = []
    for layer in reversed(layers):
        if layer.visible_at(view.resolution):
            painter = painters[layer.name]
            (under if painter.labels_under_markers else over).extend(painter.place_labels(view, space))
    return LabelLayout(view, tuple(over), tuple(under))


def draw_labels(p: QPainter, layout: LabelLayout | None, view: ViewState, under: bool = False) -> None:
    """Draw a layout's labels (those beneath the markers, or those over them) in the current view:
    at their places when the view is the one the layout was made for, else where those places have
    moved to (the glyphs keep their size: text stays crisp)."""
    glyphs = (layout.under if under else layout.glyphs) if layout is not None else ()
    if not glyphs:
        return
    lv = layout.view
    s = lv.resolution / view.resolution
    ox, oy = view.to_device(lv.world_rect[0], lv.world_rect[3])
    ox, oy = float(ox), float(oy)
    p.save()
    for g in glyphs:
        t = QTransform()
        t.translate(ox + g.x * s, oy + g.y * s)
        if g.angle_deg:
            t.rotate(g.angle_deg)
        p.setTransform(t)
        p.drawImage(QPointF(-g.image.width() / 2, -g.image.height() / 2), g.image)
    p.restore()


def paint_labels(p: QPainter, layers: list[MapLayer], painters: dict[str, LayerPainter], view: ViewState) -> None:
    """Place and draw at once (layers that move every frame)."""
    layout = layout_labels(layers, painters, view)
    draw_labels(p, layout, view, under=True)
    draw_labels(p, layout, view)
