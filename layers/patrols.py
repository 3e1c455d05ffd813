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

    def move(self, team_ids, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        """Move teams (arrays, or one id and position); returns (old xy, new xy) of those known.

        The positions array is the truth, as in pyqtgraph's scatter plot; geometries and the spatial
        index are rebuilt from it only when something asks for them (hit test, search).
        """
        ids = np.atleast_1d(team_ids)
        rows = np.array([self._index.get(int(t), -1) for t in ids], dtype=int)
        known = rows >= 0
        rows = rows[known]
        old = self._xy[rows].copy()
        self._xy[rows, 0] = np.atleast_1d(np.asarray(xs, float))[known]
        self._xy[rows, 1] = np.atleast_1d(np.asarray(ys, float))[known]
        self._tree = None
        self._geoms_stale = True
        return old, self._xy[rows]

    @property
    def tree(self) -> shapely.STRtree:
        if getattr(self, "_geoms_stale", False):
            self.features.geoms = shapely.points(self._xy)
            self._geoms_stale = False
            self._tree = None
        return super().tree

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
