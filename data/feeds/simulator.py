"""A stand-in for the district's phones: every team on duty walks, rides or drives patrol loops in
its home grid along the street network and reports over HTTP exactly as a real tracker does (the
OsmAnd query form, and the JSON form of Traccar Client 9+ for some teams), with GPS noise, a
report interval like real clients and occasional drop-outs.

With --speedup N teams move N times faster and report N times as often; timestamps stay real time,
so the console's "last seen" and stale/offline states mean what they always mean.
"""

from __future__ import annotations

import http.client
import json
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

import numpy as np
import shapely
from sqlalchemy import select

from data.store import models as m
from data.domain import TRANSPORT_SPEED_MPS, on_duty
from data.snapshot import load_grids
from data.store.core import Store

REPORT_INTERVAL_S = (8.0, 14.0)  # Traccar Client's default is 10 s when moving
DROPOUT_PROB = 0.004  # per report: the phone goes quiet (tunnel, flat battery, app killed)
DROPOUT_S = (120.0, 720.0)
GPS_NOISE_M = 4.0
KNOT_MPS = 1852.0 / 3600.0


@dataclass
class SimTeam:
    team_id: int
    device_id: str
    transport: str
    duty: tuple[int, int]
    home_nodes: set[int]
    node: int
    path: list[int] = field(default_factory=list)
    along: float = 0.0  # metres along the current edge
    speed: float = 1.0
    next_report: float = 0.0
    quiet_until: float = 0.0
    json_form: bool = False
    battery: float = 90.0
    heading: float = 0.0


class Simulator:
    def __init__(self, store: Store, url: str, *, speedup: float = 1.0, seed: int = 1, senders: int = 4):
        self.store = store
        self.url = url
        self.speedup = speedup
        self.rng = np.random.default_rng(seed)
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise ValueError(f"{url!r} is not an http:// URL")
        self.host, self.port, self.path = parts.hostname, parts.port or 80, parts.path or "/"
        self.sent = self.acknowledged = self.failed = 0
        self._stop = threading.Event()
        self._out: queue.Queue = queue.Queue(maxsize=20000)
        self._lock = threading.Lock()
        self._load()
        self._senders = [threading.Thread(target=self._send_loop, daemon=True, name=f"sim-send-{i}") for i in range(senders)]

    def _load(self) -> None:
        st = self.store
        with st.session() as s:
            segs = s.execute(select(m.StreetSegment.from_node, m.StreetSegment.to_node, m.StreetSegment.geom)).all()
            teams = s.scalars(select(m.Team).order_by(m.Team.id)).all()
            devices = {d.team_id: d.device_id for d in s.scalars(select(m.TrackerDevice).order_by(m.TrackerDevice.device_id))}
        n = max(max(a, b) for a, b, _ in segs) + 1
        xy = np.zeros((n, 2))
        self.nbrs: dict[int, list[int]] = {}
        for a, b, g in segs:
            coords = shapely.get_coordinates(st.projection.to_map(g))
            xy[a], xy[b] = coords[0], coords[-1]
            self.nbrs.setdefault(a, []).append(b)
            self.nbrs.setdefault(b, []).append(a)
        self.xy = xy
        grids = load_grids(st)
        node_ids = np.array(sorted(self.nbrs))
        home: dict[str, set[int]] = {}
        for code, g in zip(grids.column("code"), grids.geoms):
            inside = shapely.contains_xy(g, xy[node_ids, 0], xy[node_ids, 1])
            home[code] = set(node_ids[inside].tolist())
        # Teams carry on from where their last stored fix left them, so trails continue rather than
        # jumping across the map when the simulator starts.
        from scipy.spatial import cKDTree
        from data.snapshot import latest_fixes
        last = latest_fixes(st)
        tree = cKDTree(xy[node_ids])
        self.teams: list[SimTeam] = []
        for t in teams:
            dev = devices.get(t.id)
            nodes = home.get(t.home_grid_code) or set(node_ids[:50].tolist())
            if dev is None or not nodes:
                continue
            start = int(self.rng.choice(sorted(nodes)))
            fix = last.get(t.id)
            if fix is not None:
                fx, fy = st.projection.lonlat_to_xy(fix.lon, fix.lat)
                start = int(node_ids[tree.query([float(fx), float(fy)])[1]])
            self.teams.append(SimTeam(
                team_id=t.id, device_id=dev, transport=t.transport, duty=(t.duty_start_min, t.duty_end_min),
                home_nodes=nodes, node=start, speed=TRANSPORT_SPEED_MPS[t.transport] * float(self.rng.uniform(0.55, 0.95)),
                next_report=float(self.rng.uniform(0, REPORT_INTERVAL_S[1])), json_form=bool(self.rng.random() < 0.3),
                battery=float(self.rng.uniform(40, 100))))
        self.to_lonlat = st.projection.xy_to_lonlat

    def team_count(self) -> int:
        return len(self.teams)

    # --- movement -------------------------------------------------------------------------------
    def _next_node(self, team: SimTeam, at: int) -> int:
        options = self.nbrs[at]
        back = team.path[-2] if len(team.path) >= 2 else None
        home = [o for o in options if o in team.home_nodes and o != back]
        pool = home if home and self.rng.random() < 0.9 else [o for o in options if o != back] or options
        return int(pool[int(self.rng.integers(len(pool)))])

    def _advance(self, team: SimTeam, seconds: float) -> None:
        dist = team.speed * seconds
        while dist > 0:
            if not team.path or team.path[-1] == team.node:
                team.path = [team.node, self._next_node(team, team.node)]
                team.along = 0.0
            a, b = team.path[-2], team.path[-1]
            edge = float(np.hypot(*(self.xy[b] - self.xy[a])))
            if team.along + dist < edge:
                team.along += dist
                dist = 0
            else:
                dist -= edge - team.along
                team.node = b
                team.path = [a, b]
                nxt = self._next_node(team, b)
                team.path = [b, nxt]
                team.along = 0.0

    def _position(self, team: SimTeam) -> tuple[float, float, float]:
        a, b = team.path[-2], team.path[-1]
        pa, pb = self.xy[a], self.xy[b]
        edge = float(np.hypot(*(pb - pa))) or 1.0
        p = pa + (pb - pa) * min(1.0, team.along / edge)
        heading = (np.degrees(np.arctan2(pb[0] - pa[0], pb[1] - pa[1]))) % 360
        return float(p[0]), float(p[1]), float(heading)

    # --- reporting ------------------------------------------------------------------------------
    def _report(self, team: SimTeam, now: datetime) -> tuple[str, str, bytes, dict]:
        x, y, heading = self._position(team)
        x += self.rng.normal(0, GPS_NOISE_M)
        y += self.rng.normal(0, GPS_NOISE_M)
        lon, lat = (float(v) for v in self.to_lonlat(x, y))
        accuracy = round(float(self.rng.uniform(3, 15)), 1)
        team.battery = max(5.0, team.battery - 0.01)
        if team.json_form:
            body = {"device_id": team.device_id, "location": {
                "timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "coords": {"latitude": round(lat, 7), "longitude": round(lon, 7), "accuracy": accuracy,
                           "speed": round(team.speed, 2), "heading": round(heading, 1), "altitude": 180.0},
                "is_moving": True, "odometer": 0, "event": "motionchange",
                "battery": {"level": round(team.battery / 100, 2), "is_charging": False}, "extras": {}}}
            return "POST", self.path, json.dumps(body).encode(), {"Content-Type": "application/json"}
        q = urlencode({"id": team.device_id, "timestamp": int(now.timestamp()), "lat": f"{lat:.7f}", "lon": f"{lon:.7f}",
                       "speed": f"{team.speed / KNOT_MPS:.2f}", "bearing": f"{heading:.1f}", "accuracy": accuracy,
                       "batt": f"{team.battery:.0f}"})
        return "GET", f"{self.path}?{q}", b"", {}

    def step(self, real_seconds: float, now: datetime | None = None, clock: float | None = None) -> int:
        """Advance every team by real_seconds (x speedup) and queue the reports that are due."""
        now = now or datetime.now(timezone.utc)
        clock = time.monotonic() if clock is None else clock
        queued = 0
        for team in self.teams:
            if not on_duty(*team.duty, now):
                continue
            self._advance(team, real_seconds * self.speedup)
            if clock < team.next_report or clock < team.quiet_until:
                continue
            team.next_report = clock + float(self.rng.uniform(*REPORT_INTERVAL_S)) / self.speedup
            if self.rng.random() < DROPOUT_PROB:
                team.quiet_until = clock + float(self.rng.uniform(*DROPOUT_S)) / self.speedup
                continue
            try:
                self._out.put_nowait(self._report(team, now))
                queued += 1
            except queue.Full:
                pass  # the listener is not keeping up; like a phone, drop the oldest wish and go on
        return queued

    def run(self, duration: float | None = None, tick: float = 0.2) -> None:
        for s in self._senders:
            if not s.is_alive():
                s.start()
        start = last = time.monotonic()
        while not self._stop.is_set():
            now = time.monotonic()
            self.step(now - last, clock=now)
            last = now
            if duration is not None and now - start >= duration:
                break
            self._stop.wait(tick)
        self._out.join()

    def start_in_thread(self) -> "Simulator":
        threading.Thread(target=self.run, daemon=True, name="simulator").start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def _send_loop(self) -> None:
        conn: http.client.HTTPConnection | None = None
        while True:
            method, target, body, headers = self._out.get()
            try:
                for attempt in (1, 2):  # a keep-alive connection the server closed: reconnect once
                    try:
                        if conn is None:
                            conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                        conn.request(method, target, body=body or None, headers=headers)
                        resp = conn.getresponse()
                        resp.read()
                        with self._lock:
                            self.sent += 1
                            if resp.status == 200:
                                self.acknowledged += 1
                            else:
                                self.failed += 1
                        if resp.getheader("Connection", "").lower() == "close":
                            conn.close()
                            conn = None
                        break
                    except (OSError, http.client.HTTPException):
                        if conn is not None:
                            conn.close()
                        conn = None
                        if attempt == 2:
                            with self._lock:
                                self.sent += 1
                                self.failed += 1
                            if self._stop.is_set():
                                break
                            time.sleep(0.5)
            finally:
                self._out.task_done()
