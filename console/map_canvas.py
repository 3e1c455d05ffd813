"""The map widget: a QWidget painting layers with QPainter, the view in map metres.

Static layers are rendered into a cached image on a worker thread (newest request wins, stale
results are dropped); while panning or zooming the cached image is shown transformed, and the
dynamic layers (teams, incidents) are drawn over it every frame, so a moving team repaints only the
small rectangles it left and entered.
"""

from __future__ import annotations

import logging
import copy
import math

import numpy as np
import shapely
from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QWidget

from layers import style as S
from layers.model import DATA, VISIBILITY, MapLayer, ViewState
from layers.painters import (LayerPainter, TeamPainter, draw_labels, layout_labels, paint_labels, paint_layers, painter_for,
                             polygon_path, render_layers,
                             world_transform)

log = logging.getLogger(__name__)

ZOOM_STEP = 1.25
MIN_RESOLUTION = 0.05  # metres per pixel: about 1:190 at 96 dpi
MAX_RESOLUTION = 60.0


class _RenderSignals(QObject):
    done = Signal(int, object, object, object)  # request id, view, image, label layout


class _RenderJob(QRunnable):
    """Renders the static layers for one view; the GUI thread keeps only the newest result.

    It draws immutable snapshots: each static layer's painter holds a frozen copy of its layer
    (MapLayer.snapshot), made on the GUI thread, and a change makes a new painter rather than
    editing the one a render may be using (docs/ARCHITECTURE.md, "Threads")."""

    def __init__(self, request_id: int, layers: list[MapLayer], painters: dict, view: ViewState, dpr: float, signals):
        super().__init__()
        self.request_id, self.layers, self.layer_painters, self.view, self.dpr = request_id, layers, painters, view, dpr
        self.signals = signals

    def run(self) -> None:
        try:
            img = render_static_image(self.layers, self.layer_painters, self.view, self.dpr)
            # The labels are placed here too, off the GUI thread (street names cost ~10 ms a view),
            # and drawn over everything on each frame.
            labels = layout_labels(self.layers, self.layer_painters, self.view)
        except Exception:  # a render that fails leaves the old background up, and says so in the log
            log.exception("rendering the map background failed")
            img, labels = None, None
        self.signals.done.emit(self.request_id, self.view, img, labels)


def prepare_painters(painters: dict, layers: list[MapLayer], view: ViewState) -> None:
    """Work a painter must do on the GUI thread before a render for `view` (PROJ did not survive
    Qt's pool threads here: the basemap's tile corners are converted now, not in the render)."""
    for lyr in layers:
        prep = getattr(painters.get(lyr.name), "prepare", None)
        if prep is not None and lyr.visible:
            prep(view)


def render_static_image(layers: list[MapLayer], painters: dict, view: ViewState, dpr: float = 1.0) -> QImage:
    """The cached background: static layers without labels (labels are drawn over everything)."""
    img = QImage(max(1, int(view.width * dpr)), max(1, int(view.height * dpr)), QImage.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    render_layers(img, [lyr for lyr in layers if lyr.static], painters, view)
    return img


def render_map_image(layers: list[MapLayer], painters: dict, view: ViewState, dpr: float = 1.0) -> QImage:
    """The whole map (every layer and the labels) in one image: exports and full-redraw figures."""
    prepare_painters(painters, layers, view)
    img = QImage(max(1, int(view.width * dpr)), max(1, int(view.height * dpr)), QImage.Format_ARGB32_Premultiplied)
    img.setDevicePixelRatio(dpr)
    render_layers(img, layers, painters, view, labels=True)
    return img


class MapCanvas(QWidget):
    viewChanged = Signal(object)  # ViewState
    cursorMoved = Signal(float, float)  # map metres
    featureClicked = Signal(object, object)  # layer (or None), feature index (or None)
    contextRequested = Signal(float, float, object)  # map metres, global QPoint for a menu
    staticRendered = Signal()
    layerShown = Signal(str, bool)  # a layer's name and visibility, whoever turned it (the layer panel follows)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.StrongFocus)
        self.setMinimumSize(320, 240)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.layers: list[MapLayer] = []
        self.layer_painters: dict[str, LayerPainter] = {}
        self._cx, self._cy, self._res = 0.0, 0.0, 5.0
        self._cache: QImage | None = None
        self._cache_view: ViewState | None = None
        self.label_layout = None  # the static layers' labels, placed with the background
        self._request_id = 0
        self._pending = False
        # The pool first: children are deleted in the order they were made, so the pool waits for a
        # running render before the signals object it reports through goes.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._signals = _RenderSignals(self)
        self._signals.done.connect(self._on_rendered)
        self._render_timer = QTimer(self, singleShot=True, interval=60)
        self._render_timer.timeout.connect(self.request_render)
        self._drag_origin: QPoint | None = None
        self._drag_moved = False
        self._drag_view: tuple[float, float] | None = None
        self.selection: tuple[MapLayer, int] | None = None
        self.highlighted_teams: set[int] = set()  # teams of the case being worked on, ringed
        self.tool = None  # an editing tool (planner mode) that takes mouse input before panning does
        self._tool_drag = False
        self._last_pos = QPointF()
        self._dirty_rects: list[QRect] | None = []
        self._frame_timer = QTimer(self, singleShot=True, interval=16)
        self._frame_timer.timeout.connect(self.flush_moves)
        self.home_extent: tuple[float, float, float, float] | None = None

    # --- layers and view ------------------------------------------------------------------------
    def set_layers(self, layers: list[MapLayer]) -> None:
        for old in self.layers:
            old.events.disconnect(self._on_layer_changed)
        self.layers = list(layers)
        self.layer_painters = {lyr.name: self._new_painter(lyr) for lyr in self.layers}
        for lyr in self.layers:
            lyr.events.connect(self._on_layer_changed)
        self.selection = None
        self.refresh()

    @staticmethod
    def _new_painter(layer: MapLayer) -> LayerPainter:
        # Static layers render on a worker: their painter draws a snapshot. Dynamic ones are drawn
        # on the GUI thread every frame, from the live layer.
        return painter_for(layer.snapshot() if layer.static else layer)

    def _on_layer_changed(self, layer: MapLayer, kind: str) -> None:
        """A layer said it changed (layers.model.LayerEvents): renew what draws it, and redraw."""
        if layer not in self.layers:
            return
        if kind == VISIBILITY:
            self.layerShown.emit(layer.name, layer.visible)
        if layer.static:
            old = self.layer_painters.get(layer.name)
            if kind == VISIBILITY and old is not None:
                # Same data: keep the painter's built geometry, with the new visibility.
                painter = copy.copy(old)
                painter.layer = layer.snapshot()
            else:
                painter = self._new_painter(layer)
            self.layer_painters[layer.name] = painter
            self.refresh()
        else:
            if kind == DATA:
                self.layer_painters[layer.name].invalidate()
            self.update()

    def layer(self, name: str) -> MapLayer | None:
        return next((lyr for lyr in self.layers if lyr.name == name), None)

    def set_layer_order(self, names_bottom_first: list[str]) -> None:
        by_name = {lyr.name: lyr for lyr in self.layers}
        self.layers = [by_name[n] for n in names_bottom_first if n in by_name]
        self.refresh()

    def set_layer_features(self, name: str, features) -> None:
        """New features for a layer: its painter drops the Qt geometry it built, and the map is
        drawn again (the background too when the layer is part of it)."""
        layer = self.layer(name)
        if layer is None:
            return
        if self.selection is not None and self.selection[0] is layer:
            self.selection = None
        layer.set_features(features)  # the layer tells us (_on_layer_changed)

    def set_layer_visible(self, name: str, visible: bool) -> None:
        lyr = self.layer(name)
        if lyr is not None:
            lyr.set_visible(visible)

    def view(self) -> ViewState:
        return ViewState(self._cx, self._cy, self._res, max(1, self.width()), max(1, self.height()))

    def set_view(self, cx: float, cy: float, resolution: float, *, render_now: bool = False) -> None:
        self._cx, self._cy = float(cx), float(cy)
        self._res = float(np.clip(resolution, MIN_RESOLUTION, MAX_RESOLUTION))
        self.update()
        self.viewChanged.emit(self.view())
        if render_now:
            self.request_render()
        else:
            self._render_timer.start()

    def zoom_to(self, bounds: tuple[float, float, float, float], margin: float = 0.06, min_resolution: float = 0.4) -> None:
        minx, miny, maxx, maxy = bounds
        w, h = max(1, self.width()), max(1, self.height())
        res = max((maxx - minx) / w, (maxy - miny) / h) * (1 + 2 * margin)
        self.set_view((minx + maxx) / 2, (miny + maxy) / 2, max(res, min_resolution))

    def zoom_home(self) -> None:
        if self.home_extent is not None:
            self.zoom_to(self.home_extent)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by a factor (>1 zooms in), keeping the map point under `anchor` fixed."""
        v = self.view()
        new_res = float(np.clip(self._res / factor, MIN_RESOLUTION, MAX_RESOLUTION))
        if anchor is None:
            self.set_view(self._cx, self._cy, new_res)
            return
        wx, wy = v.to_world(anchor.x(), anchor.y())
        cx = wx - (anchor.x() - v.width / 2) * new_res
        cy = wy + (anchor.y() - v.height / 2) * new_res
        self.set_view(cx, cy, new_res)

    def refresh(self) -> None:
        """Data or style of a static layer changed: render the background again now."""
        self.request_render()
        self.update()

    # --- rendering -------------------------------------------------------------------------------
    def request_render(self) -> None:
        self._request_id += 1
        self._pending = True
        painters = dict(self.layer_painters)
        snapshots = [painters[lyr.name].layer for lyr in self.layers if lyr.static]
        view = self.view()
        prepare_painters(painters, snapshots, view)
        job = _RenderJob(self._request_id, snapshots, painters, view, self.devicePixelRatioF(), self._signals)
        self._pool.start(job)

    def _on_rendered(self, request_id: int, view: ViewState, image: QImage, labels) -> None:
        if request_id != self._request_id:
            return  # an older view: a newer render is on its way
        if image is None:  # the render failed (logged): keep the old background
            self._pending = False
            return
        self._cache, self._cache_view = image, view
        self.label_layout = labels
        self._pending = False
        self.update()
        self.staticRendered.emit()

    def wait_rendered(self, timeout_ms: int = 10000) -> bool:
        """Block until the newest background render has arrived (tests, screenshots, benchmarks)."""
        from PySide6.QtCore import QCoreApplication, QElapsedTimer
        if self._render_timer.isActive():
            self._render_timer.stop()
            self.request_render()
        t = QElapsedTimer()
        t.start()
        while self._pending and t.elapsed() < timeout_ms:
            self._pool.waitForDone(20)
            QCoreApplication.processEvents()
        return not self._pending

    def paintEvent(self, event) -> None:
        p = QPainter(self)
        view = self.view()
        p.fillRect(event.rect(), QColor(S.BACKGROUND))
        if self._cache is not None and self._cache_view is not None:
            cv = self._cache_view
            if cv == view:
                p.drawImage(event.rect(), self._cache, QRectF(event.rect()).toRect() if self._cache.devicePixelRatio() == 1
                            else _scaled_rect(event.rect(), self._cache.devicePixelRatio()))
            else:
                # Preview: the cached image placed where its world rectangle now falls.
                s = cv.resolution / view.resolution
                x0, y0 = view.to_device(cv.world_rect[0], cv.world_rect[3])
                p.setRenderHint(QPainter.SmoothPixmapTransform, False)
                p.drawImage(QRectF(float(x0), float(y0), cv.width * s, cv.height * s), self._cache)
        p.setRenderHint(QPainter.Antialiasing)
        draw_labels(p, self.label_layout, view, under=True)
        paint_layers(p, [lyr for lyr in self.layers if not lyr.static], self.layer_painters, view)
        draw_labels(p, self.label_layout, view)
        paint_labels(p, [lyr for lyr in self.layers if not lyr.static], self.layer_painters, view)
        self._paint_selection(p, view)
        self._paint_team_rings(p, view)
        if self.tool is not None:
            self.tool.paint(p, view)
        p.resetTransform()
        self._paint_scale_bar(p, view)
        self._paint_attribution(p)
        p.end()

    def _paint_attribution(self, p: QPainter) -> None:
        """The tile source's attribution, bottom right, whenever its tiles are shown (their licences ask it)."""
        basemap = self.layer("basemap")
        if basemap is None or not basemap.visible or not basemap.attribution:
            return
        f = QFont(self.font())
        f.setPixelSize(11)
        p.setFont(f)
        fm = p.fontMetrics()
        text = basemap.attribution
        w, h = fm.horizontalAdvance(text) + 10, fm.height() + 4
        r = QRectF(self.width() - w - 4, self.height() - h - 4, w, h)
        p.fillRect(r, QColor(255, 255, 255, 210))
        p.setPen(QColor("#333333"))
        p.drawText(r, Qt.AlignCenter, text)

    def _paint_selection(self, p: QPainter, view: ViewState) -> None:
        if self.selection is None:
            return
        layer, i = self.selection
        if i >= len(layer.features):
            return
        g = layer.features.geoms[i]
        pen = QPen(QColor("#00e5ff"), 3.0)
        pen.setCosmetic(True)
        if g.geom_type in ("Polygon", "MultiPolygon"):
            p.setTransform(world_transform(view))
            p.setPen(pen)
            p.setBrush(QColor(0, 229, 255, 40))
            p.drawPath(polygon_path(g))
        elif g.geom_type == "LineString":
            p.setTransform(world_transform(view))
            pen.setWidthF(5.0)
            p.setPen(pen)
            p.drawPolyline([QPointF(x, y) for x, y in shapely.get_coordinates(g)])
        else:
            if layer.name == "teams":
                x, y = layer.xy[i]
            else:
                x, y = g.x, g.y
            dx, dy = view.to_device(x, y)
            p.resetTransform()
            p.setPen(pen)
            p.setBrush(Qt.NoBrush)
            p.drawEllipse(QPointF(float(dx), float(dy)), 13, 13)

    def _paint_team_rings(self, p: QPainter, view: ViewState) -> None:
        teams = self.layer("teams")
        if not self.highlighted_teams or teams is None:
            return
        p.resetTransform()
        pen = QPen(QColor("#e0218a"), 2.5)
        p.setPen(pen)
        p.setBrush(Qt.NoBrush)
        for tid in self.highlighted_teams:
            i = teams.index_of(tid)
            if i is None:
                continue
            dx, dy = view.to_device(*teams.xy[i])
            p.drawEllipse(QPointF(float(dx), float(dy)), 12, 12)

    def _paint_scale_bar(self, p: QPainter, view: ViewState) -> None:
        target_px = 120
        metres = view.resolution * target_px
        nice = 10 ** math.floor(math.log10(metres))
        for m in (5, 2, 1):
            if m * nice <= metres:
                nice *= m
                break
        px = nice / view.resolution
        x0, y0 = 16, self.height() - 18
        label = f"{nice / 1000:g} km" if nice >= 1000 else f"{nice:g} m"
        p.setRenderHint(QPainter.Antialiasing, False)
        p.fillRect(QRectF(x0 - 6, y0 - 22, px + 12 + 44, 30), QColor(255, 255, 255, 200))
        p.setPen(QPen(QColor("#222222"), 2))
        p.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
        p.drawLine(QPointF(x0, y0 - 6), QPointF(x0, y0))
        p.drawLine(QPointF(x0 + px, y0 - 6), QPointF(x0 + px, y0))
        f = QFont(self.font())
        f.setPixelSize(12)
        p.setFont(f)
        p.drawText(QPointF(x0 + px + 6, y0 + 1), label)

    # --- live updates -------------------------------------------------------------------------
    PARTIAL_REPAINT_MAX = 64  # beyond this many moved markers one whole repaint is cheaper

    def move_teams(self, team_ids, xs, ys) -> None:
        """Move team markers. Repaints are coalesced to one per frame (16 ms), and cover only the
        spots the markers left and entered when few moved."""
        layer = self.layer("teams")
        if layer is None:
            return
        old, new = layer.move(team_ids, xs, ys)
        if len(old) == 0:
            return
        if self._dirty_rects is not None:
            if len(self._dirty_rects) + 2 * len(old) > self.PARTIAL_REPAINT_MAX:
                self._dirty_rects = None  # everything
            else:
                view = self.view()
                r = TeamPainter.footprint_px()
                for xy in (old, new):
                    dx, dy = view.to_device(xy[:, 0], xy[:, 1])
                    self._dirty_rects.extend(QRect(int(a - r), int(b - r), int(2 * r) + 1, int(2 * r) + 1)
                                             for a, b in zip(dx, dy))
        if not self._frame_timer.isActive():
            self._frame_timer.start()

    def move_team(self, team_id: int, x: float, y: float) -> None:
        self.move_teams([team_id], [x], [y])

    def flush_moves(self) -> None:
        """Issue the coalesced repaint now (the frame timer does this by itself)."""
        self._frame_timer.stop()
        if self._dirty_rects is None:
            self.update()
        else:
            for rect in self._dirty_rects:
                self.update(rect)
        self._dirty_rects = []

    # --- input ----------------------------------------------------------------------------------
    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP ** steps, event.position())

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.RightButton:
            wx, wy = self.view().to_world(event.position().x(), event.position().y())
            self.contextRequested.emit(wx, wy, event.globalPosition().toPoint())
            return
        if event.button() == Qt.LeftButton and self.tool is not None and self.tool.press(event.position()):
            self._tool_drag = True
            return
        if event.button() == Qt.LeftButton:
            self._drag_origin = event.position().toPoint()
            self._drag_view = (self._cx, self._cy)
            self._drag_moved = False

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        self._last_pos = pos
        if self._tool_drag:
            self.tool.move(pos)
            return
        wx, wy = self.view().to_world(pos.x(), pos.y())
        self.cursorMoved.emit(wx, wy)
        if self._drag_origin is not None and event.buttons() & Qt.LeftButton:
            d = pos.toPoint() - self._drag_origin
            if self._drag_moved or abs(d.x()) + abs(d.y()) > 3:
                self._drag_moved = True
                self.setCursor(Qt.ClosedHandCursor)
                cx0, cy0 = self._drag_view
                self.set_view(cx0 - d.x() * self._res, cy0 + d.y() * self._res, self._res)

    def mouseReleaseEvent(self, event) -> None:
        if self._tool_drag and event.button() == Qt.LeftButton:
            self._tool_drag = False
            self.tool.release(event.position())
            return
        if event.button() != Qt.LeftButton or self._drag_origin is None:
            return
        if not self._drag_moved:
            self.select_at(event.position())
        self.unsetCursor()
        self._drag_origin = None
        self._drag_moved = False

    def select_at(self, pos: QPointF) -> tuple[MapLayer | None, int | None]:
        """Select the topmost visible feature under a pixel; emits featureClicked."""
        view = self.view()
        wx, wy = view.to_world(pos.x(), pos.y())
        hit: tuple[MapLayer | None, int | None] = (None, None)
        for layer in reversed(self.layers):
            if not layer.visible_at(view.resolution) or layer.name == "water":
                continue
            if layer.name == "incidents":
                i = _hit_pin(layer, view, pos)
            else:
                i = layer.hit_test(wx, wy, view.resolution)
            if i is not None:
                hit = (layer, i)
                break
        self.selection = hit if hit[0] is not None else None
        self.update()
        self.featureClicked.emit(*hit)
        return hit

    def select(self, layer: MapLayer, index: int) -> None:
        self.selection = (layer, index)
        self.update()
        self.featureClicked.emit(layer, index)

    def mouseDoubleClickEvent(self, event) -> None:
        if self.tool is not None and event.button() == Qt.LeftButton and self.tool.double_click(event.position()):
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if self.tool is not None and self.tool.key(event.key(), self._last_pos):
            return
        step = 80 * self._res
        moves = {Qt.Key_Left: (-step, 0), Qt.Key_Right: (step, 0), Qt.Key_Up: (0, step), Qt.Key_Down: (0, -step)}
        if event.key() in moves:
            dx, dy = moves[event.key()]
            self.set_view(self._cx + dx, self._cy + dy, self._res)
        elif event.key() in (Qt.Key_Plus, Qt.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif event.key() == Qt.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._render_timer.start()
        self.viewChanged.emit(self.view())


def _hit_pin(layer: MapLayer, view: ViewState, pos: QPointF) -> int | None:
    """Pins are hit by their drawn head, which stands above the point they mark."""
    n = len(layer.features)
    if n == 0:
        return None
    xy = shapely.get_coordinates(layer.features.geoms)
    dx, dy = view.to_device(xy[:, 0], xy[:, 1])
    sizes = np.array([layer.size_px(i) for i in range(n)])
    head_y = dy - sizes * 0.62
    d = np.hypot(dx - pos.x(), head_y - pos.y())
    i = int(np.argmin(d))
    return i if d[i] <= sizes[i] * 0.6 else None


def _scaled_rect(rect: QRect, dpr: float) -> QRect:
    return QRect(int(rect.x() * dpr), int(rect.y() * dpr), int(rect.width() * dpr), int(rect.height() * dpr))
