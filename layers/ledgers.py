"""People under supervision on the map: per grid, how many there are and whether any visit is overdue
or anyone is out of supervision (脱管): a count badge at the grid's centre, never a name or a home.

A small model (data from data/ledgers/people.grid_counts) that tells its painter when it changes."""

from __future__ import annotations

import numpy as np
import shapely

from data.ledgers.people import GridCount
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer


class SupervisionLayer(MapLayer):
    name = "supervision"
    title = QT_TRANSLATE_NOOP("layers", "People under supervision (per grid)")
    max_resolution = 12.0  # m/px: badges once a few grids fill the screen

    def __init__(self, grids: FeatureTable, counts: dict[str, GridCount]):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), None, visible=False)
        self.set_counts(grids, counts)

    def set_counts(self, grids: FeatureTable, counts: dict[str, GridCount]) -> None:
        """One badge per grid with anyone under supervision, at the grid's representative point."""
        codes = list(grids.column("code")) if len(grids) else []
        keep = [k for k, c in enumerate(codes) if c in counts]
        pts = shapely.point_on_surface(grids.geoms[keep]) if keep else np.array([], dtype=object)
        rows = [counts[codes[k]] for k in keep]
        self.set_features(FeatureTable(np.asarray(pts, dtype=object), {
            "code": [r.grid_code for r in rows], "people": [r.people for r in rows], "alerts": [r.alerts for r in rows],
            "lost": [r.lost for r in rows], "state": [self.state_of(r) for r in rows]}))

    @staticmethod
    def state_of(c: GridCount) -> str:
        return "lost" if c.lost else ("overdue" if c.alerts else "ok")

    def legend(self):
        label = {"ok": QT_TRANSLATE_NOOP("legend", "Visits on time"), "overdue": QT_TRANSLATE_NOOP("legend", "A visit overdue"),
                 "lost": QT_TRANSLATE_NOOP("legend", "Someone out of supervision")}
        return [LegendEntry(label[k], S.FillStyle(fill=c, stroke=None, fill_alpha=1.0), value=k)
                for k, c in S.SUPERVISION_COLOURS.items()]

    def attributes(self, i: int):
        f = self.features.row(i)
        return [("Grid", f["code"]), ("People under supervision", f["people"]), ("Visits overdue", f["alerts"]),
                ("Out of supervision", f["lost"])]
