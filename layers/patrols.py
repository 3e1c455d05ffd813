"""Patrol teams: a symbol by kind, a colour by status, placed at their latest fix."""

from __future__ import annotations

import numpy as np
import shapely

from data.domain import TEAM_KINDS, TEAM_STATUS, TRANSPORT
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class TeamLayer(MapLayer):
    name = "teams"
    title = QT_TRANSLATE_NOOP("layers", "Patrol teams")
    static = False  # moves: drawn over the cached background every frame
    hit_px = 8.0

    def __init__(self, features: FeatureTable):
        super().__init__(features, None)
        self._xy = shapely.get_coordinates(features.geoms) if len(features) else np.zeros((0, 2))
        self._index = {tid: i for i, tid in enumerate(features.column("id"))} if len(features) else {}

    @property
    def xy(self) -> np.ndarray:
        return self._xy

    def move(self, team_id: int, x: float, y: float) -> tuple[float, float] | None:
        """Move one team; returns its previous position (so the map can repaint just both spots)."""
        i = self._index.get(team_id)
        if i is None:
            return None
        old = (float(self._xy[i, 0]), float(self._xy[i, 1]))
        self._xy[i] = (x, y)
        self.features.geoms[i] = shapely.Point(x, y)
        self._tree = None
        return old

    def colour(self, i: int) -> str:
        return S.TEAM_STATUS_COLOURS[self.features.column("status")[i]]

    def shape(self, i: int) -> str:
        return S.TEAM_KIND_SHAPES[self.features.column("kind")[i]]

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Team"), r["name"]), (QT_TRANSLATE_NOOP("fields", "Code"), r["code"]), (QT_TRANSLATE_NOOP("fields", "Kind"), TEAM_KINDS[r["kind"]]), (QT_TRANSLATE_NOOP("fields", "Members"), r["members"]),
                (QT_TRANSLATE_NOOP("fields", "Transport"), TRANSPORT[r["transport"]]), (QT_TRANSLATE_NOOP("fields", "Home grid"), r["home_grid"]), (QT_TRANSLATE_NOOP("fields", "Status"), TEAM_STATUS[r["status"]]),
                (QT_TRANSLATE_NOOP("fields", "Last fix"), r["last_fix"] or "—"),
                (QT_TRANSLATE_NOOP("fields", "Speed (m/s)"), "—" if r["speed_mps"] is None else f"{r['speed_mps']:.1f}"),
                (QT_TRANSLATE_NOOP("fields", "Accuracy (m)"), "—" if r["accuracy_m"] is None else f"{r['accuracy_m']:.0f}"),
                (QT_TRANSLATE_NOOP("fields", "Battery (%)"), "—" if r["battery_pct"] is None else f"{r['battery_pct']:.0f}")]

    def legend(self):
        kinds = [LegendEntry(TEAM_KINDS[k], S.MarkerStyle(fill="#555555", shape=shape, size_px=12), value=k)
                 for k, shape in S.TEAM_KIND_SHAPES.items()]
        statuses = [LegendEntry(TEAM_STATUS[k], S.MarkerStyle(fill=c, shape="circle", size_px=12), value=k)
                    for k, c in S.TEAM_STATUS_COLOURS.items()]
        return kinds + statuses

    def search_keys(self, i):
        r = self.features.row(i)
        return [r["code"], r["name"]]
