"""The patrol plans on the map (巡逻计划): routes as dashed lines along their streets, areas outlined,
stake-out points as a ring of their radius; key plans (重点区域、重点时段) in their own colour, with
their names. Off until ticked in the layer panel: a planner's and supervisor's layer, not the
dispatcher's everyday map."""

from __future__ import annotations

import numpy as np

from data.patrol.plans import Plan
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class PatrolPlanLayer(MapLayer):
    name = "patrol_plans"
    title = QT_TRANSLATE_NOOP("layers", "Patrol plans")

    def __init__(self, plans: list[Plan]):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), S.PLAN, visible=False)
        self.set_plans(plans)

    def set_plans(self, plans: list[Plan]) -> None:
        self.set_features(FeatureTable(np.array([p.geom for p in plans], dtype=object), {
            "name": [p.name for p in plans], "kind": [p.kind for p in plans], "key": [p.key for p in plans],
            "radius_m": [p.radius_m for p in plans],
            "hours": [f"{p.start_min // 60:02d}:{p.start_min % 60:02d}–{p.end_min // 60:02d}:{p.end_min % 60:02d}" for p in plans]}))

    def legend(self):
        return [LegendEntry(QT_TRANSLATE_NOOP("legend", "Patrol plan"), S.PLAN),
                LegendEntry(QT_TRANSLATE_NOOP("legend", "Key area or key period"), S.PLAN_KEY)]

    def hit_test(self, x, y, resolution):
        return None  # the grids layer above answers clicks
