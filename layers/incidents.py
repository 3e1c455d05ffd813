"""Incident pins: colour by case stage, size by priority."""

from __future__ import annotations

from data.domain import CATEGORIES, PRIORITIES, SOURCES, STAGES, SUBCATEGORIES
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class IncidentLayer(MapLayer):
    name = "incidents"
    title = QT_TRANSLATE_NOOP("layers", "Incidents")
    static = False
    hit_px = 12.0

    def __init__(self, features: FeatureTable):
        super().__init__(features, None)

    def colour(self, i: int) -> str:
        return S.STAGE_COLOURS.get(self.features.column("stage")[i], "#444444")

    def size_px(self, i: int) -> float:
        return S.PRIORITY_SIZE_PX.get(self.features.column("priority")[i], 18.0)

    def attributes(self, i):
        r = self.features.row(i)
        return [(QT_TRANSLATE_NOOP("fields", "Case"), r["case_no"]), (QT_TRANSLATE_NOOP("fields", "Category"), CATEGORIES[r["category"]]), (QT_TRANSLATE_NOOP("fields", "Type"), SUBCATEGORIES[r["subcategory"]]),
                (QT_TRANSLATE_NOOP("fields", "Priority"), PRIORITIES[r["priority"]]), (QT_TRANSLATE_NOOP("fields", "Source"), SOURCES[r["source"]]), (QT_TRANSLATE_NOOP("fields", "Stage"), STAGES[r["stage"]]),
                (QT_TRANSLATE_NOOP("fields", "Reported"), r["reported_at"]), (QT_TRANSLATE_NOOP("fields", "In stage since"), r["stage_since"]), (QT_TRANSLATE_NOOP("fields", "Grid"), r["grid_code"] or "—"),
                (QT_TRANSLATE_NOOP("fields", "Description"), r["description"])]

    GROUP_TITLES = {"new": QT_TRANSLATE_NOOP("legend", "New: to accept and dispatch"),
                    "handling": QT_TRANSLATE_NOOP("legend", "Being handled: team on its way or on scene"),
                    "to_verify": QT_TRANSLATE_NOOP("legend", "Resolved: to verify and close"),
                    "done": QT_TRANSLATE_NOOP("legend", "Closed")}

    def legend(self):
        return [LegendEntry(self.GROUP_TITLES[g], S.MarkerStyle(fill=c, stroke=S.PIN_STROKE, shape="pin", size_px=14), value=g)
                for g, c in S.PIN_GROUP_COLOURS.items()]

    def search_keys(self, i):
        return [self.features.column("case_no")[i]]
