"""The panels around the map: the layer tree (visibility, order, legend), the feature panel, search,
and which grid set the map shows."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import shapely
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QCompleter, QTableWidgetItem, QTreeWidgetItem

from console import i18n
from console.messages import local_hm
from data.domain import Term
from data.snapshot import community_outlines, load_grids
from layers import style as S
from layers.model import LegendEntry, MapLayer
from layers.painters import marker_image

if TYPE_CHECKING:
    from console.main_window import MainWindow

SEARCHABLE = ("grids", "cameras", "teams", "incidents")


def swatch_icon(style: Any, size: int = 16) -> QIcon:
    """A legend swatch for a fill, line or marker style."""
    pm = QPixmap(size, size)
    pm.fill(Qt.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.Antialiasing)
    if isinstance(style, S.FillStyle):
        fill = QColor(style.fill) if style.fill else QColor(Qt.transparent)
        if style.fill:
            fill.setAlphaF(max(style.fill_alpha, 0.35))
        p.setBrush(fill)
        p.setPen(QPen(QColor(style.stroke), 1.5) if style.stroke else Qt.NoPen)
        p.drawRect(2, 2, size - 4, size - 4)
    elif isinstance(style, S.LineStyle):
        if style.casing:
            p.setPen(QPen(QColor(style.casing), 6))
            p.drawLine(1, size // 2, size - 1, size // 2)
        pen = QPen(QColor(style.stroke), 4 if not style.dash else 2.5)
        if style.dash:
            pen.setDashPattern(list(style.dash))
        p.setPen(pen)
        p.drawLine(1, size // 2, size - 1, size // 2)
    elif isinstance(style, S.MarkerStyle):
        img = marker_image(style.shape, style.fill, style.stroke, min(style.size_px, size - 2))
        p.drawImage((size - img.width()) // 2, (size - img.height()) // 2, img)
    p.end()
    return QIcon(pm)


class MapPanelsController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.w = window
        self.selected: tuple[MapLayer, int] | None = None
        self._search_index: list[tuple[str, str, int]] = []  # (text, layer name, index)
        window.layer_tree.itemChanged.connect(self._on_layer_item_changed)
        window.btn_up.clicked.connect(lambda: self.move_layer(-1))
        window.btn_down.clicked.connect(lambda: self.move_layer(+1))
        window.canvas.featureClicked.connect(self.show_feature)
        window.canvas.layerShown.connect(self._follow_layer)
        window.search.returnPressed.connect(lambda: self.find(window.search.text()))

    # --- layer tree -------------------------------------------------------------------------------
    def legend_label(self, entry: LegendEntry) -> str:
        if isinstance(entry.label, Term):
            return entry.label.label(self.w.lang)
        return i18n.translate("legend", entry.label)

    def fill_layer_tree(self) -> None:
        tree = self.w.layer_tree
        tree.blockSignals(True)
        tree.clear()
        for layer in reversed(self.w.canvas.layers):  # topmost first, as GIS users expect
            if not layer.listed:
                continue
            item = QTreeWidgetItem([i18n.translate("layers", layer.title)])
            item.setData(0, Qt.UserRole, layer.name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(0, Qt.Checked if layer.visible else Qt.Unchecked)
            entries = layer.legend()
            if len(entries) == 1:
                item.setIcon(0, swatch_icon(entries[0].style))
            else:
                for e in entries:
                    child = QTreeWidgetItem([self.legend_label(e)])
                    child.setIcon(0, swatch_icon(e.style))
                    child.setFlags(Qt.ItemIsEnabled)
                    item.addChild(child)
            if layer.max_resolution is not None:
                item.setToolTip(0, self.tr("Shown when zoomed in to 1:%1 or closer")
                                .replace("%1", f"{layer.max_resolution / (0.0254 / 96):,.0f}"))
            tree.addTopLevelItem(item)
            item.setExpanded(layer.name in ("teams", "incidents"))
        tree.blockSignals(False)

    def _follow_layer(self, name: str, visible: bool) -> None:
        """A layer turned on or off by a dock (the ledgers' counts, a plan just drawn): its box follows."""
        tree = self.w.layer_tree
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if item.data(0, Qt.UserRole) == name and (item.checkState(0) == Qt.Checked) != visible:
                tree.blockSignals(True)
                item.setCheckState(0, Qt.Checked if visible else Qt.Unchecked)
                tree.blockSignals(False)

    def _on_layer_item_changed(self, item: QTreeWidgetItem, _col: int) -> None:
        name = item.data(0, Qt.UserRole)
        if name:
            self.w.canvas.set_layer_visible(name, item.checkState(0) == Qt.Checked)

    def move_layer(self, delta: int) -> None:
        tree = self.w.layer_tree
        item = tree.currentItem()
        if item is None:
            return
        if item.parent() is not None:
            item = item.parent()
        names_top_first = [tree.topLevelItem(i).data(0, Qt.UserRole) for i in range(tree.topLevelItemCount())]
        i = names_top_first.index(item.data(0, Qt.UserRole))
        j = i + delta
        if not 0 <= j < len(names_top_first):
            return
        names_top_first[i], names_top_first[j] = names_top_first[j], names_top_first[i]
        overlays = [lyr.name for lyr in self.w.canvas.layers if not lyr.listed]  # stay on top, unlisted
        self.w.canvas.set_layer_order(list(reversed(names_top_first)) + overlays)
        self.fill_layer_tree()
        tree.setCurrentItem(tree.topLevelItem(j))

    def tree_title(self, layer_name: str) -> str | None:
        """The title the layer panel shows for a layer (tests, accessibility)."""
        tree = self.w.layer_tree
        for i in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(i)
            if item.data(0, Qt.UserRole) == layer_name:
                return item.text(0)
        return None

    # --- grids ------------------------------------------------------------------------------------
    def show_grids(self, grids) -> None:
        """Put a grid set on the map: its grids, and the communities outlined from them."""
        self.w.canvas.set_layer_features("grids", grids)
        self.w.canvas.set_layer_features("communities", community_outlines(grids))
        if self.w.canvas.layer("choropleth") is not None:
            self.w.canvas.set_layer_features("choropleth", grids)

    def reload_grids(self) -> None:
        """Show the grid set in force again (after leaving planner mode or publishing)."""
        self.show_grids(load_grids(self.w.store, self.w.clock()))

    # --- feature panel ----------------------------------------------------------------------------
    def value_text(self, value: Any) -> str:
        """A feature attribute as the user reads it, in the interface language."""
        if value is None:
            return "—"
        if isinstance(value, Term):
            return value.label(self.w.lang)
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if isinstance(value, datetime):
            return local_hm(value)
        return str(value)

    def show_feature(self, layer: MapLayer | None, index: int | None) -> None:
        if layer is not None and layer.name == "grids":
            self.w.planner_panel.select_grid(index)
        if layer is not None and layer.name == "incidents" and index is not None and not self.w.replay.active:
            self.w.dispatch.show_case(int(layer.features.column("id")[index]))  # a pin opens its case
        self.selected = (layer, index) if layer is not None else None
        t = self.w.feature_table
        t.setRowCount(0)
        if layer is None:
            return
        rows = [(self.tr("Layer"), i18n.translate("layers", layer.title))]
        rows += [(i18n.translate("fields", k), self.value_text(v)) for k, v in layer.attributes(index)]
        t.setRowCount(len(rows))
        for r, (k, v) in enumerate(rows):
            t.setItem(r, 0, QTableWidgetItem(k))
            t.setItem(r, 1, QTableWidgetItem(v))
        t.resizeRowsToContents()

    # --- search -----------------------------------------------------------------------------------
    def build_search_index(self) -> None:
        self._search_index = []
        for name in SEARCHABLE:
            layer = self.w.canvas.layer(name)
            if layer is None:
                continue
            for i in range(len(layer.features)):
                keys = layer.search_keys(i)
                if keys:
                    self._search_index.append((" ".join(dict.fromkeys(keys)), name, i))
        completer = QCompleter([t for t, _, _ in self._search_index], self.w)
        completer.setCaseSensitivity(Qt.CaseInsensitive)
        completer.setFilterMode(Qt.MatchContains)
        completer.setMaxVisibleItems(15)
        completer.activated.connect(self.find)
        self.w.search.setCompleter(completer)

    def find(self, text: str) -> bool:
        """Zoom to and select the first grid/camera/team/case whose code or name contains `text`."""
        q = text.strip().lower()
        if not q:
            return False
        idx = self._search_index
        exact = [e for e in idx if e[0].lower() == q or any(k.lower() == q for k in e[0].split(" "))]
        starts = [e for e in idx if any(k.lower().startswith(q) for k in e[0].split(" "))]
        contains = [e for e in idx if q in e[0].lower()]
        hits = exact or starts or contains
        if not hits:
            return self._find_case(text)
        _, name, i = hits[0]
        canvas = self.w.canvas
        layer = canvas.layer(name)
        g = layer.features.geoms[i] if name != "teams" else shapely.Point(*layer.xy[i])
        if g.geom_type == "Point":
            canvas.set_view(g.x, g.y, min(canvas.view().resolution, 0.6))
        else:
            canvas.zoom_to(shapely.bounds(g).tolist(), margin=0.25)
        canvas.select(layer, i)
        self.show_feature(layer, i)
        self.w.status_message.setText(self.tr("Found %1").replace("%1", hits[0][0]))
        return True

    def _find_case(self, text: str) -> bool:
        """A case not on the map (closed, older than the map shows): opened in the case panel, so it
        can be read and replayed, and the map centred where it happened."""
        from data.cases.dispatch import case_row, find_cases
        found = find_cases(self.w.store, text)
        if not found:
            self.w.status_message.setText(self.tr("Nothing matches “%1”").replace("%1", text.strip()))
            return False
        iid, case_no = found[0]
        self.w.dispatch.show_case(iid)
        row = case_row(self.w.store, iid)
        if row is not None:
            x, y = self.w.projection.lonlat_to_xy(row.lon, row.lat)
            self.w.canvas.set_view(float(x), float(y), min(self.w.canvas.view().resolution, 0.6))
        self.w.status_message.setText(self.tr("Found %1").replace("%1", case_no))
        return True
