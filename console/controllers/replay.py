"""Replay in the main window: the map, the case board and the team list show the replayed instant t
(read-only) while live fixes keep being recorded; leaving returns them to now.

Every state at t comes from data/replay (the case rules fold the events; positions come from the
fix columns); this controller only hands it to the layers and panels.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING

import numpy as np
import shapely
from PySide6.QtCore import QObject

from console.replay_panel import ReplayTrails
from data.cases.dispatch import CaseRow
from data.replay.index import ReplayIndex, incidents_between
from data.snapshot import FeatureTable, grid_set_schedule, load_grids, load_teams, set_in_force

if TYPE_CHECKING:
    from console.main_window import MainWindow

_INCIDENT_COLUMNS = ("id", "case_no", "category", "subcategory", "priority", "source", "description", "reported_at",
                     "grid_code", "stage", "stage_since")


class ReplayController(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.w = window
        self.active = False
        self._live_trails = None
        self._grid_set: int | None = None
        self._incidents: dict = {}
        self._home = None
        self._schedule: list[tuple[datetime, int]] = []

    def enter(self, panel) -> None:
        w = self.w
        idx: ReplayIndex = panel.index
        self.active = True
        w.dock_replay.show()
        if w.live is not None:
            w.live.paused = True
        w.dispatch_panel.setEnabled(False)
        self._home = shapely.get_coordinates(load_teams(w.store, idx.start).geoms)
        self._incidents = incidents_between(w.store, idx.start, idx.end)
        trails = w.canvas.layer("trails")
        if trails is not None:
            self._live_trails = trails.trails
            trails.set_trails(ReplayTrails(idx, self._live_trails.window))
        self._grid_set = None
        self._schedule = grid_set_schedule(w.store)

    def show_state(self, idx: ReplayIndex, t: datetime) -> None:
        w = self.w
        states = idx.states_at(t)
        busy = idx.busy_at(t)
        team_state = idx.teams_at(t, busy)
        teams = w.canvas.layer("teams")
        if teams is not None and self._home is not None:
            xs = np.where(np.isnan(team_state.x), self._home[:, 0], team_state.x)
            ys = np.where(np.isnan(team_state.y), self._home[:, 1], team_state.y)
            w.canvas.move_teams(team_state.team_id, xs, ys)
            now_s = t.timestamp()
            last = [None if np.isnan(v) else datetime.fromtimestamp(v, tz=timezone.utc) for v in team_state.last_t]
            stale = [not np.isnan(v) and 120 < now_s - v <= 600 for v in team_state.last_t]
            teams.set_states(list(team_state.status), last, stale)
        trails = w.canvas.layer("trails")
        if trails is not None and isinstance(trails.trails, ReplayTrails):
            trails.set_time(t)
        rows, pts = [], []
        attrs: dict[str, list] = {k: [] for k in _INCIDENT_COLUMNS}
        for iid, st in states.items():
            inc = self._incidents.get(iid)
            if inc is None or inc.reported_at > t:
                continue
            if not st.is_open and (t - st.since).total_seconds() > 86400:
                continue  # closed long before t
            for k, v in (("id", iid), ("case_no", inc.case_no), ("category", inc.category), ("subcategory", inc.subcategory),
                         ("priority", inc.priority), ("source", inc.source), ("description", inc.description),
                         ("reported_at", inc.reported_at), ("grid_code", inc.grid_code), ("stage", st.stage),
                         ("stage_since", st.since)):
                attrs[k].append(v)
            pts.append((inc.geom.x, inc.geom.y))
            if st.is_open:
                rows.append(CaseRow.of(inc, st))
        if pts:
            x, y = w.projection.lonlat_to_xy(np.array([p[0] for p in pts]), np.array([p[1] for p in pts]))
            geoms = shapely.points(np.atleast_1d(x), np.atleast_1d(y))
        else:
            geoms = np.array([], dtype=object)
        w.canvas.set_layer_features("incidents", FeatureTable(geoms, attrs))
        w.case_board.set_cases(rows, t)
        w.case_board.tick(t)
        w.team_panel.model.refresh(t)
        gid = set_in_force(self._schedule, t)  # from the schedule read on entering: no store read per frame
        if gid != self._grid_set:
            self._grid_set = gid
            w.map_panels.show_grids(load_grids(w.store, t))

    def leave(self) -> None:
        """Back to live: positions, trails, cases and grids as they are now."""
        w = self.w
        self.active = False
        trails = w.canvas.layer("trails")
        if trails is not None and self._live_trails is not None:
            trails.set_trails(self._live_trails)
        now = w.clock()
        teams = w.canvas.layer("teams")
        if teams is not None:
            teams.set_features(load_teams(w.store, now))
            w.team_panel.model.set_layer(teams)
        w.map_panels.reload_grids()
        w.dispatch.refresh_cases()
        if w.live is not None:
            w.live.paused = False
            w.live.tick()
        w.dispatch_panel.setEnabled(True)
        w.dock_replay.hide()
