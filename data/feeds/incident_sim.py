"""New incidents for the demo: a camera operator's report, a hotline call, a grid worker's report,
arriving at random (Poisson) in the district's category mix, logged through the same service the
dispatcher uses, so the demo's case board is live from the first minute."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

import numpy as np
import shapely
from sqlalchemy import select

from data.store import models as m
from data.demo.generator import SOURCE_ACTOR, pick_category, pick_priority
from data.accounts import system_actor
from data.cases.dispatch import CaseError, create_incident
from data.snapshot import load_grids
from data.store.core import Store

DEMO_RATE_PER_HOUR = 12.0  # a busy hour: the district logs about 11 a day, too few to watch


class IncidentSimulator:
    def __init__(self, store: Store, rate_per_hour: float = DEMO_RATE_PER_HOUR, seed: int = 5):
        self.store, self.rate = store, rate_per_hour
        self.rng = np.random.default_rng(seed)
        self.created: list[str] = []
        self._stop = threading.Event()
        grids = load_grids(store)
        with store.session() as s:
            segs = s.scalars(select(m.StreetSegment.geom)).all()
        mids = store.projection.to_map(np.array([shapely.line_interpolate_point(g, 0.5, normalized=True) for g in segs],
                                                dtype=object))
        inside = shapely.contains(shapely.union_all(grids.geoms), mids)
        self.spots = shapely.get_coordinates(mids[inside])  # incidents happen along streets

    def _actor(self, source: str):
        """The simulated reporter (a camera operator, the hotline …) acts as the system: it may only report."""
        actors = self.__dict__.setdefault("_actors", {})
        if source not in actors:
            actors[source] = system_actor(SOURCE_ACTOR[source])
        return actors[source]

    def create_one(self, at: datetime | None = None) -> str | None:
        cat, sub = pick_category(self.rng)
        source = str(self.rng.choice(["camera", "hotline", "grid_worker"], p=[0.3, 0.4, 0.3]))
        x, y = self.spots[int(self.rng.integers(len(self.spots)))] + self.rng.normal(0, 12, 2)
        lon, lat = (float(v) for v in self.store.projection.xy_to_lonlat(x, y))
        try:
            inc = create_incident(self.store, category=cat, subcategory=sub, priority=pick_priority(self.rng, sub),
                                  source=source, lon=lon, lat=lat, actor=self._actor(source),
                                  description="", at=at or datetime.now(timezone.utc))
        except CaseError:
            return None
        self.created.append(inc.case_no)
        return inc.case_no

    def run(self) -> None:
        while not self._stop.wait(float(self.rng.exponential(3600.0 / self.rate))):
            self.create_one()

    def start_in_thread(self) -> "IncidentSimulator":
        threading.Thread(target=self.run, daemon=True, name="incident-sim").start()
        return self

    def stop(self) -> None:
        self._stop.set()
