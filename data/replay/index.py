"""Replay: the state of the district at any instant of a past window, derived from the stored fixes
and case events (the only truth); the arrays here are an index rebuilt from them, never a copy
that could drift.

Fixes of the window are read once into arrays sorted by (team, time); a seek is then a binary search
per team (numpy, all teams at once), and case stages at t come from the events the same way.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import numpy as np
from sqlalchemy import select, text

from data.messages import GridWatchError, Message, decode_note
from data.store import models as m
from data.cases.rules import CaseFold, CaseState, busy_teams_of, moves_stage
from data.snapshot import OFFLINE_AFTER
from data.store.core import Store, checkpoint

log = logging.getLogger(__name__)

MAX_WINDOW = timedelta(days=31)
TRAIL = timedelta(minutes=10)
GAP = timedelta(minutes=2)  # fixes further apart are not joined: the trail shows the gap


class ReplayError(GridWatchError):
    """A window that cannot be replayed; the message says why and what to do."""


def _epoch(dt: datetime) -> float:
    return dt.timestamp()


def _iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class TeamState:
    team_id: np.ndarray
    x: np.ndarray  # NaN: no fix yet in the window
    y: np.ndarray
    last_t: np.ndarray  # epoch seconds of the fix shown (NaN: none)
    status: list[str]


class ReplayIndex:
    def __init__(self, store: Store, start: datetime, end: datetime):
        if end <= start:
            raise ReplayError("replay.backwards")
        if end - start > MAX_WINDOW:
            raise ReplayError("replay.too_long", days=(end - start).days, limit=MAX_WINDOW.days)
        self.store, self.start, self.end = store, start, end
        self._load_fixes()
        self._load_events()

    # --- fixes ----------------------------------------------------------------------------------
    def _load_fixes(self) -> None:
        lo, hi = self.start - TRAIL - OFFLINE_AFTER, self.end
        if self.store.engine.dialect.name == "sqlite" and self.store.path is not None:
            cached = self._load_fixes_cached(lo, hi)
            if cached is not None:
                self.f_team, self.f_t, self.f_x, self.f_y = cached
                self._finish_fix_index()
                return
        if self.store.is_office:  # by the office's local cache by hour (data/replay/office_cache.py)
            from data.replay.office_cache import OfficeFixCache
            self.f_team, self.f_t, self.f_x, self.f_y = OfficeFixCache(self.store).window(lo, hi)
            self._finish_fix_index()
            return
        # Times as epoch milliseconds computed by the database (no per-row parsing in Python).
        q = text("SELECT team_id, CAST(ROUND((julianday(t) - 2440587.5) * 86400000.0) AS INTEGER), lon, lat "
                 "FROM fixes WHERE t >= :lo AND t <= :hi ORDER BY team_id, t, id") \
            if self.store.engine.dialect.name == "sqlite" else \
            text("SELECT team_id, CAST(EXTRACT(EPOCH FROM t) * 1000 AS BIGINT), lon, lat FROM fixes "
                 "WHERE t >= :lo AND t <= :hi ORDER BY team_id, t, id")
        params = {"lo": _iso(lo), "hi": _iso(hi)} if self.store.engine.dialect.name == "sqlite" else {"lo": lo, "hi": hi}
        with self.store.engine.connect() as conn:
            rows = conn.execute(q, params).fetchall()
        if rows:
            # Plain tuples: numpy probes a Row for its array interfaces, and each probe is an exception
            # inside SQLAlchemy (55,000 fixes took 1.9 s that way, 0.1 s as tuples).
            arr = np.array([tuple(r) for r in rows], dtype=float)
            self.f_team = arr[:, 0].astype(np.int64)
            self.f_t = arr[:, 1] / 1000.0
            self.f_x, self.f_y = (np.asarray(v, float) for v in self.store.projection.lonlat_to_xy(arr[:, 2], arr[:, 3]))
        else:
            self.f_team = np.zeros(0, np.int64)
            self.f_t = self.f_x = self.f_y = np.zeros(0)
        self._finish_fix_index()

    def _load_fixes_cached(self, lo: datetime, hi: datetime):
        """The window's fixes from a columnar cache of the fixes table (positions already in map
        metres), brought up to date from the table first. Fixes are append-only, so everything up
        to the cache's highest fix id is already right; only newer rows are read."""
        cache = FixCache(self.store)
        cols = cache.load_updated(self)
        if cols is None:
            return None
        fid, team, ts, x, y = cols
        keep = (ts >= lo.timestamp()) & (ts <= hi.timestamp())
        team, ts, x, y = team[keep], ts[keep], x[keep], y[keep]
        order = np.lexsort((ts, team))
        return team[order].astype(np.int64), ts[order], x[order], y[order]

    def _finish_fix_index(self) -> None:
        with self.store.session() as s:
            self.team_ids = np.array(s.scalars(select(m.Team.id).order_by(m.Team.id)).all(), dtype=np.int64)
        # Each team's slice of the (team, time)-sorted arrays, and a time order for trail windows.
        self._first = np.searchsorted(self.f_team, self.team_ids, "left")
        self._last = np.searchsorted(self.f_team, self.team_ids, "right")
        self._by_time = np.argsort(self.f_t, kind="stable")
        self._t_sorted = self.f_t[self._by_time]

    def is_empty(self) -> bool:
        in_window = (self.f_t >= _epoch(self.start)) & (self.f_t <= _epoch(self.end))
        return not in_window.any() and not len(self.e_t_window())

    def teams_at(self, t: datetime, busy: dict[int, str] | None = None) -> TeamState:
        """Every team's position at t: its latest fix at or before t within the window's reach."""
        ts = _epoch(t)
        n = len(self.team_ids)
        x = np.full(n, np.nan)
        y = np.full(n, np.nan)
        last = np.full(n, np.nan)
        # For each team, the last index in its slice with f_t <= ts (vectorised over teams).
        for k in range(n):  # slices are contiguous; searchsorted within each (few hundred teams)
            a, b = self._first[k], self._last[k]
            if a == b:
                continue
            j = a + np.searchsorted(self.f_t[a:b], ts, "right") - 1
            if j >= a:
                x[k], y[k], last[k] = self.f_x[j], self.f_y[j], self.f_t[j]
        busy = busy or {}
        status = []
        for k, tid in enumerate(self.team_ids):
            age = ts - last[k] if not np.isnan(last[k]) else None
            if age is None or age > OFFLINE_AFTER.total_seconds():
                status.append("offline")
            else:
                status.append(busy.get(int(tid), "available"))
        return TeamState(self.team_ids, x, y, last, status)

    def trail_segments(self, t: datetime, window: timedelta = TRAIL) -> tuple[np.ndarray, np.ndarray]:
        """Trail segments (x0, y0, x1, y1) of fixes in (t - window, t], and their age; gaps > 2 min broken."""
        ts, lo = _epoch(t), _epoch(t) - window.total_seconds()
        a0 = np.searchsorted(self._t_sorted, lo, "right")
        b0 = np.searchsorted(self._t_sorted, ts, "right")
        idx = np.sort(self._by_time[a0:b0])  # back into (team, time) order: neighbours are consecutive
        if len(idx) < 2:
            return np.zeros((0, 4)), np.zeros(0)
        a, b = idx[:-1], idx[1:]
        joined = (b == a + 1) & (self.f_team[a] == self.f_team[b]) & (self.f_t[b] - self.f_t[a] <= GAP.total_seconds())
        a, b = a[joined], b[joined]
        return (np.column_stack([self.f_x[a], self.f_y[a], self.f_x[b], self.f_y[b]]), ts - self.f_t[b])

    # --- case events --------------------------------------------------------------------------------
    def _load_events(self) -> None:
        """Case events of the window (and 30 days before it), each with the case's state right after
        it, folded once by the one set of case rules (data/cases/rules.py): the state at any t is
        then the state after the case's last event at or before t."""
        since = self.start - timedelta(days=30)
        E = m.CaseEvent
        with self.store.session() as s:
            rows = s.execute(select(E.incident_id, E.t, E.to_stage, E.team_id, E.action, E.from_stage, E.actor)
                             .where(E.t >= since, E.t <= self.end).order_by(E.incident_id, E.t, E.id)).all()
        self.e_inc = np.array([r[0] for r in rows], dtype=np.int64)
        self.e_t = np.array([_epoch(r[1]) for r in rows], dtype=float)
        self.e_stage = np.array([r[2] for r in rows], dtype=object)
        self.e_team = np.array([r[3] if r[3] is not None else -1 for r in rows], dtype=np.int64)
        self.e_action = np.array([r[4] for r in rows], dtype=object)
        states: list[CaseState] = []
        fold: CaseFold | None = None
        for r in rows:
            if fold is None or fold.incident_id != r[0]:
                fold = CaseFold(r[0])
            fold.apply(r[1], r[4], r[5], r[2], r[3], r[6])
            states.append(fold.state)
        self.e_state = np.array(states + [None], dtype=object)[:-1]  # object array of CaseState
        # Events in time order, for "the last event of each case at or before t" by one search.
        self._e_by_time = np.argsort(self.e_t, kind="stable")
        self._e_t_sorted = self.e_t[self._e_by_time]

    def e_t_window(self) -> np.ndarray:
        return self.e_t[(self.e_t >= _epoch(self.start)) & (self.e_t <= _epoch(self.end))]

    def states_at(self, t: datetime) -> dict[int, CaseState]:
        """incident id -> its CaseState at t, for cases with an event at or before t."""
        k = int(np.searchsorted(self._e_t_sorted, _epoch(t), "right"))
        if k == 0:
            return {}
        idx = np.sort(self._e_by_time[:k])  # back into (incident, time) order
        inc = self.e_inc[idx]
        last = idx[np.r_[inc[1:] != inc[:-1], True]]
        return {int(i): st for i, st in zip(self.e_inc[last], self.e_state[last])}

    def stages_at(self, t: datetime) -> dict[int, tuple[str, float, tuple[int, ...]]]:
        """incident id -> (stage, since (epoch), dispatched teams) at t, for cases reported by t."""
        return {iid: (st.stage, st.since.timestamp(), st.teams) for iid, st in self.states_at(t).items()}

    def busy_at(self, t: datetime) -> dict[int, str]:
        return busy_teams_of(self.states_at(t).values())

    def open_counts(self, times: np.ndarray) -> dict[str, np.ndarray]:
        """Open cases by stage at each of the given instants (epoch seconds), for the timeline."""
        stages = ["reported", "accepted", "dispatched", "on_scene", "resolved", "verified"]
        out = {s: np.zeros(len(times)) for s in stages}
        for k, ts in enumerate(times):
            for st in self.states_at(datetime.fromtimestamp(ts, tz=timezone.utc)).values():
                if st.stage in out:
                    out[st.stage][k] += 1
        return out


class FixCache:
    """Columns of the whole fixes table (id, team, epoch time, x, y in map metres) in .npy files
    beside the store, memory-mapped when read. A cache, not a copy of the truth: it is checked
    against the table's highest id and extended from it; delete it and it is rebuilt."""

    MIN_ROWS = 200_000  # below this the table is read directly (faster than keeping files)
    IN_PROCESS_ROWS = 200_000  # fewer new rows than this are read here; more by GDAL in a child process
    NAMES = ("id", "team", "ts", "x", "y")

    def __init__(self, store: Store):
        self.store = store
        self.dir = store.path.with_name(store.path.name + ".replay-cache")

    def _read_rows(self, after_id: int, pending: int):
        """(id, team, ts, x, y) of the fixes after after_id; None when there are none. Many rows are
        read by GDAL in a child process (data/replay/fix_dump.py says why never in this one); a
        few, or when the child fails, through this process's own SQLite."""
        cols = None
        if pending >= self.IN_PROCESS_ROWS:
            from data.replay.fix_dump import read_fixes_after
            checkpoint(self.store)  # GDAL's read-only open was seen to miss rows still in the WAL
            cols = read_fixes_after(self.store.path, after_id)
        if cols is None:
            with self.store.engine.connect() as conn:
                rows = conn.exec_driver_sql(
                    "SELECT id, team_id, (julianday(t) - 2440587.5) * 86400.0, lon, lat FROM fixes WHERE id > ? ORDER BY id",
                    (int(after_id),)).fetchall()
            if not rows:
                return None
            arr = np.array([tuple(r) for r in rows], dtype=float)  # tuples, not Rows: see _load_fixes
            cols = (arr[:, 0].astype(np.int64), arr[:, 1].astype(np.int32), np.round(arr[:, 2], 3), arr[:, 3], arr[:, 4])
        fid, team, ts, lon, lat = cols
        if len(fid) == 0:
            return None
        order = np.argsort(fid, kind="stable")  # the cache is kept in id order: its last id is its high-water mark
        x, y = self.store.projection.lonlat_to_xy(lon[order], lat[order])
        return fid[order], team[order].astype(np.int32), ts[order], np.asarray(x, float), np.asarray(y, float)

    def load_updated(self, index=None):
        with self.store.engine.connect() as conn:
            max_id, n = conn.execute(text("SELECT coalesce(max(id), 0), count(*) FROM fixes")).one()
        if n < self.MIN_ROWS:
            return None
        cols = None
        if all((self.dir / f"{k}.npy").exists() for k in self.NAMES):
            cols = [np.load(self.dir / f"{k}.npy", mmap_mode="r") for k in self.NAMES]
            have = int(cols[0][-1]) if len(cols[0]) else 0
            if have > max_id:  # a different or restored store: start again
                cols = None
        have = int(cols[0][-1]) if cols is not None and len(cols[0]) else 0
        if cols is None or have < max_id:
            new = self._read_rows(have, max_id - have)
            if new is not None:
                cols = [np.concatenate([np.asarray(c), nw]) for c, nw in zip(cols, new)] if cols is not None else list(new)
                self._write(cols)
        return cols

    def _write(self, cols) -> None:
        import shutil
        tmp = self.dir.with_name(self.dir.name + ".part")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for k, c in zip(self.NAMES, cols):
            np.save(tmp / f"{k}.npy", np.ascontiguousarray(c))
        shutil.rmtree(self.dir, ignore_errors=True)
        tmp.replace(self.dir)


def snapshot_geojson(store: Store, at: datetime) -> dict:
    """Each team's position and status and each case's stage at `at`, as GeoJSON (lon/lat)."""
    idx = ReplayIndex(store, at - timedelta(minutes=1), at)
    teams = idx.teams_at(at, idx.busy_at(at))
    with store.session() as s:
        names = {t.id: (t.code, t.name, t.kind) for t in s.scalars(select(m.Team))}
        incs = {i.id: i for i in s.scalars(select(m.Incident).where(m.Incident.reported_at <= at,
                                                                     m.Incident.reported_at >= at - timedelta(days=30)))}
    feats = []
    lon, lat = store.projection.xy_to_lonlat(teams.x, teams.y)
    for k, tid in enumerate(teams.team_id):
        if np.isnan(teams.x[k]):
            continue
        code, name, kind = names[int(tid)]
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(float(lon[k]), 7), round(float(lat[k]), 7)]},
                      "properties": {"layer": "team", "team": code, "name": name, "kind": kind, "status": teams.status[k],
                                     "last_fix": datetime.fromtimestamp(teams.last_t[k], tz=timezone.utc).isoformat()}})
    for iid, (stage, since, _teams) in idx.stages_at(at).items():
        inc = incs.get(iid)
        if inc is None or stage in ("closed", "voided"):
            continue
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [inc.geom.x, inc.geom.y]},
                      "properties": {"layer": "incident", "case": inc.case_no, "category": inc.category,
                                     "priority": inc.priority, "stage": stage,
                                     "since": datetime.fromtimestamp(since, tz=timezone.utc).isoformat()}})
    return {"type": "FeatureCollection", "name": f"GridWatch state at {at.isoformat()}", "features": feats}


def write_snapshot(store: Store, at: datetime, out: str) -> int:
    from pathlib import Path
    data = snapshot_geojson(store, at)
    path = Path(out)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)  # whole, or not at all
    return len(data["features"])


def incident_timeline_csv(store: Store, incident_id: int) -> str:
    """The case's events as CSV (time, stage from, stage to, action, by, team, result, note)."""
    import csv
    import io
    E = m.CaseEvent
    with store.session() as s:
        rows = s.execute(select(E.t, E.from_stage, E.to_stage, E.action, E.actor, E.team_id, E.result, E.note)
                         .where(E.incident_id == incident_id).order_by(E.t, E.id)).all()
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["time_utc", "from_stage", "to_stage", "action", "by", "team_id", "result", "note"])
    for r in rows:
        w.writerow([r[0].isoformat(), r[1] or "", r[2], r[3], r[4], r[5] or "", r[6] or "", r[7] or ""])
    return buf.getvalue()


@dataclass
class IncidentReview:
    """How one case was handled: what was recommended then, who went, how long it took."""

    case_no: str
    recommended: list[tuple[int, str, float | None]]  # rank, team name, ETA s (as computed then)
    assigned: str | None
    dispatched_at: datetime | None
    on_scene_at: datetime | None
    eta_s: float | None  # the assigned team's ETA at dispatch
    stages: list[tuple[str, float, float | None]]  # stage, minutes spent, limit minutes
    path: np.ndarray | None  # the assigned team's fixes from dispatch to arrival (map metres)
    start_xy: tuple[float, float] | None  # where it was when dispatched
    transport: str | None = None  # the assigned team's, for drawing the route it could take
    manual_reason: str | None = None  # the dispatcher's reason when the team was chosen by hand

    @property
    def travel_s(self) -> float | None:
        if self.dispatched_at and self.on_scene_at:
            return (self.on_scene_at - self.dispatched_at).total_seconds()
        return None


def incident_review(store: Store, incident_id: int) -> IncidentReview:
    from data.domain import STAGE_LIMIT_MIN
    with store.session() as s:
        inc = s.get(m.Incident, incident_id)
        events = s.scalars(select(m.CaseEvent).where(m.CaseEvent.incident_id == incident_id)
                           .order_by(m.CaseEvent.t, m.CaseEvent.id)).all()
        recs = s.execute(select(m.Recommendation.rank, m.Team.name, m.Recommendation.eta_s, m.Recommendation.team_id)
                         .join(m.Team, m.Team.id == m.Recommendation.team_id)
                         .where(m.Recommendation.incident_id == incident_id, m.Recommendation.rank.is_not(None))
                         .order_by(m.Recommendation.t, m.Recommendation.rank)).all()
        team_rows = s.scalars(select(m.Team)).all()
        names = {t.id: t.name for t in team_rows}
        transports = {t.id: t.transport for t in team_rows}
    dispatch = next((e for e in events if e.action == "dispatch"), None)
    arrive = next((e for e in events if e.to_stage == "on_scene"), None)
    team = dispatch.team_id if dispatch else None
    note = decode_note(dispatch.note) if dispatch else None
    manual = note.fields.get("reason") if isinstance(note, Message) and note.code == "note.assigned_by_hand" else None
    eta = next((r[2] for r in recs if r[3] == team), None)
    limits = STAGE_LIMIT_MIN.get(inc.priority, {})
    # Stage spans from the events that start a stage (the rules' moves_stage), to the next such event.
    starts = [e for k, e in enumerate(events) if k == 0 or moves_stage(e.action, e.from_stage, e.to_stage)]
    stages = [(e1.to_stage, (e2.t - e1.t).total_seconds() / 60, limits.get(e1.to_stage)) for e1, e2 in zip(starts, starts[1:])]
    path = start = None
    if dispatch and team:
        end = arrive.t if arrive else dispatch.t + timedelta(hours=1)
        with store.session() as s:
            rows = s.execute(select(m.Fix.lon, m.Fix.lat).where(m.Fix.team_id == team, m.Fix.t >= dispatch.t - timedelta(minutes=10),
                                                                m.Fix.t <= end).order_by(m.Fix.t)).all()
            before = s.execute(select(m.Fix.lon, m.Fix.lat).where(m.Fix.team_id == team, m.Fix.t <= dispatch.t)
                               .order_by(m.Fix.t.desc()).limit(1)).first()
        if rows:
            x, y = store.projection.lonlat_to_xy(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
            path = np.column_stack([np.atleast_1d(x), np.atleast_1d(y)])
        if before:
            bx, by = store.projection.lonlat_to_xy(before[0], before[1])
            start = (float(bx), float(by))
    return IncidentReview(inc.case_no, [(r[0], r[1], r[2]) for r in recs[:5]], names.get(team) if team else None,
                          dispatch.t if dispatch else None, arrive.t if arrive else None, eta, stages, path, start,
                          transports.get(team) if team else None, manual)


def incidents_between(store: Store, start: datetime, end: datetime, before: timedelta = timedelta(days=30)) -> dict[int, m.Incident]:
    """The incidents a replay window may show (reported up to `before` ahead of it), by id."""
    with store.session() as s:
        incs = s.scalars(select(m.Incident).where(m.Incident.reported_at >= start - before,
                                                  m.Incident.reported_at <= end)).all()
    return {i.id: i for i in incs}
