"""天网 camera points, HD and SD, with their view wedges once zoomed in."""

from __future__ import annotations

import numpy as np
import shapely

from data.domain import CAMERA_STATUS
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


def view_wedges(points: np.ndarray, heading_deg, fov_deg, range_m, steps: int = 10) -> np.ndarray:
    """Sector polygons (map metres) of what each camera sees. Heading is clockwise from north."""
    out = []
    for p, h, f, r in zip(points, heading_deg, fov_deg, range_m):
        a = np.radians(np.linspace(h - f / 2, h + f / 2, steps))
        ring = np.vstack([[p.x, p.y], np.column_stack([p.x + r * np.sin(a), p.y + r * np.cos(a)])])
        out.append(shapely.Polygon(ring))
    return np.array(out, dtype=object)


class CameraLayer(MapLayer):
    name = "cameras"
    title = QT_TRANSLATE_NOOP("layers", "Cameras")
    hit_px = 7.0
    WEDGE_MAX_RESOLUTION = 0.9  # wedges only when a 100 m range spans 110+ pixels

    def __init__(self, features: FeatureTable):
        super().__init__(features, S.CAMERA_HD)
        f = features
        self.wedges = view_wedges(f.geoms, f.column("heading_deg"), f.column("fov_deg"), f.column("range_m")) \
            if len(f) else np.array([], dtype=object)

    def marker_style(self, i: int) -> S.MarkerStyle:
        if self.features.column("status")[i] != "online":
            return S.CAMERA_OFFLINE
        return S.CAMERA_HD if self.features.column("hd")[i] else S.CAMERA_SD

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Code"), r["code"]), (QT_TRANSLATE_NOOP("fields", "Name"), r["name"]), (QT_TRANSLATE_NOOP("fields", "HD"), r["hd"]), (QT_TRANSLATE_NOOP("fields", "Heading (°)"), f"{r['heading_deg']:.0f}"),
                (QT_TRANSLATE_NOOP("fields", "Field of view (°)"), f"{r['fov_deg']:.0f}"), (QT_TRANSLATE_NOOP("fields", "Range (m)"), f"{r['range_m']:.0f}"),
                (QT_TRANSLATE_NOOP("fields", "Status"), CAMERA_STATUS[r["status"]]), (QT_TRANSLATE_NOOP("fields", "Stream"), r["stream_url"] or "—")]

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "HD camera"), S.CAMERA_HD), LegendEntry(QT_TRANSLATE_NOOP("legend", "SD camera"), S.CAMERA_SD),
                LegendEntry(QT_TRANSLATE_NOOP("legend", "Camera offline"), S.CAMERA_OFFLINE)]

    def search_keys(self, i):
        r = self.features.row(i)
        return [r["code"], r["name"]]
