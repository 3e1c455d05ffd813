"""Position ingest: the OsmAnd protocol in both forms, filters, unknown devices, bad input, and a
real listener on 127.0.0.1 writing into a real GeoPackage store."""

from __future__ import annotations

from tests.conftest import another_connection, who  # noqa: E402

import http.client
import json
import socket
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from data.store import models as m
from data.feeds.filters import FilterSettings
from data.feeds.ingest import FixIngest
from data.feeds.listener import ListenerSettings, OsmAndListener
from data.feeds.osmand import KNOT_MPS, BadReport, parse_request, parse_timestamp
from data.store.core import open_store

# Every test on the demo runs on a GeoPackage and on PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.both_backends

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)


# --- the protocol, as Traccar decodes it -------------------------------------------------------------

def test_query_form_samples_from_traccar():
    r = parse_request("GET", "/?id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0"
                             "&altitude=224.0&speed=0.0", None, b"", NOW)
    assert (r.device_id, r.lat, r.lon) == ("902064", 42.06288, -88.23412)
    assert r.t == datetime(2016, 1, 27, 18, 55, 47, tzinfo=timezone.utc)
    r = parse_request("GET", "/?id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579", None, b"", NOW)
    assert r.t == datetime.fromtimestamp(1442068686.579, tz=timezone.utc)  # milliseconds
    r = parse_request("GET", "/?lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0"
                             "&id=353861053849681", None, b"", NOW)
    assert r.t == datetime(2014, 6, 4, 9, 10, 11, tzinfo=timezone.utc)
    r = parse_request("GET", "/?lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456", None, b"", NOW)
    assert r.device_id == "123456" and r.t == NOW  # no timestamp: the time of arrival
    r = parse_request("GET", "/?id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&batt=87",
                      None, b"", NOW)
    assert r.battery_pct == 87.0
    r = parse_request("GET", "/?id=123456&timestamp=1377177267&location=60.0,30.0", None, b"", NOW)
    assert (r.lat, r.lon) == (60.0, 30.0) and r.t == datetime.fromtimestamp(1377177267, tz=timezone.utc)
    r = parse_request("GET", "/?id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571"
                             "&bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24", None, b"", NOW)
    assert r.speed_mps == pytest.approx(40 * KNOT_MPS) and r.heading_deg == pytest.approx(7.19889788244)


def test_post_with_a_form_body():
    r = parse_request("POST", "/", "application/x-www-form-urlencoded", b"id=7&lat=30.8&lon=108.38&accuracy=12.5", NOW)
    assert (r.device_id, r.accuracy_m) == ("7", 12.5)


def test_json_form_of_traccar_client():
    body = {"location": {"timestamp": "2025-06-15T13:45:12.862Z", "coords": {"latitude": 37.4219983, "longitude": -122.084,
            "accuracy": 5, "speed": 18.67, "heading": -1, "altitude": 5}, "is_moving": False, "odometer": 0,
            "event": "motionchange", "battery": {"level": 0.79, "is_charging": False}, "activity": {"type": "still"},
            "extras": {}}, "device_id": "48241179"}
    r = parse_request("POST", "/", "application/json; charset=utf-8", json.dumps(body).encode(), NOW)
    assert r.device_id == "48241179" and (r.lat, r.lon) == (37.4219983, -122.084)
    assert r.speed_mps == 18.67  # metres per second in this form
    assert r.heading_deg is None  # -1: not known
    assert r.battery_pct == pytest.approx(79.0)
    assert r.t == datetime(2025, 6, 15, 13, 45, 12, 862000, tzinfo=timezone.utc)
    body["location"]["battery"]["level"] = -1  # iOS: unknown
    assert parse_request("POST", "/", "application/json", json.dumps(body).encode(), NOW).battery_pct is None


@pytest.mark.parametrize("method,target,ctype,body,status,words", [
    ("GET", "/?lat=1&lon=2", None, b"", 400, "no device id"),
    ("GET", "/?id=1&lat=1", None, b"", 400, "no position"),
    ("GET", "/?id=1&lat=abc&lon=2", None, b"", 400, "not a number"),
    ("GET", "/?id=1&lat=1&lon=2&timestamp=yesterday", None, b"", 400, "timestamp"),
    ("GET", "/?id=1&location=1", None, b"", 400, "lat,lon"),
    ("GET", "/", None, b"", 400, "no report parameters"),
    ("GET", "/?id=%ff&lat=1&lon=2", None, b"", 400, "UTF-8"),
    ("POST", "/", "application/json", b"{not json", 400, "not valid JSON"),
    ("POST", "/", "application/json", b"\xff\xfe{}", 400, "UTF-8"),
    ("POST", "/", "application/json", b"[1, 2]", 400, "not an object"),
    ("POST", "/", "application/json", b'{"device_id": "1", "location": {}}', 400, "coords"),
    ("POST", "/", "image/png", b"id=1&lat=1&lon=2", 415, "content type"),
    ("PUT", "/?id=1&lat=1&lon=2", None, b"", 405, "method"),
    ("GET", "/?id=" + "x" * 80 + "&lat=1&lon=2", None, b"", 400, "longer than"),
])
def test_bad_requests_are_refused_with_a_reason(method, target, ctype, body, status, words):
    with pytest.raises(BadReport) as info:
        parse_request(method, target, ctype, body, NOW)
    assert info.value.status == status and words in info.value.reason


def test_timestamp_forms():
    assert parse_timestamp("1700000000") == datetime.fromtimestamp(1700000000, tz=timezone.utc)
    assert parse_timestamp(1700000000123) == datetime.fromtimestamp(1700000000.123, tz=timezone.utc)
    assert parse_timestamp("2026-11-27T10:00:00+08:00") == datetime(2026, 11, 27, 2, tzinfo=timezone.utc)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "PUT", "HEAD"]), target=st.text(max_size=200),
       ctype=st.one_of(st.none(), st.sampled_from(["application/json", "application/x-www-form-urlencoded", "text/xml"]), st.text(max_size=30)),
       body=st.binary(max_size=300))
def test_parser_never_fails_except_with_a_reason(method, target, ctype, body):
    try:
        parse_request(method, "/?" + target, ctype, body, NOW)
    except BadReport as exc:
        assert exc.reason and 400 <= exc.status < 500


@settings(max_examples=200, deadline=None)
@given(device=st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126, exclude_characters="&=#%+"), min_size=1, max_size=20),
       lat=st.floats(allow_nan=True, allow_infinity=True), lon=st.floats(allow_nan=True, allow_infinity=True),
       speed=st.floats(min_value=0, max_value=500))
def test_parser_reads_back_what_a_tracker_sends(device, lat, lon, speed):
    from urllib.parse import quote
    r = parse_request("GET", f"/?id={quote(device)}&lat={quote(repr(lat))}&lon={quote(repr(lon))}&speed={quote(repr(speed))}",
                      None, b"", NOW)
    assert r.device_id == device
    assert (r.lat == lat or (lat != lat and r.lat != r.lat)) and (r.lon == lon or (lon != lon and r.lon != r.lon))
    assert r.speed_mps == pytest.approx(speed * KNOT_MPS)


# --- a real listener on 127.0.0.1 ----------------------------------------------------------------------

class Feed:
    def __init__(self, store, require_key: bool = False, **listener_kw):
        self.store = store
        self.ingest = FixIngest(store, FilterSettings(max_accuracy_m=50.0, max_speed_mps=30.0), require_key=require_key)
        self.listener = OsmAndListener(self.ingest, ListenerSettings(port=0, **listener_kw)).start_in_thread()
        self.port = self.listener.port

    def request(self, method, target, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request(method, target, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read().decode()
        conn.close()
        return resp.status, data, resp

    def close(self):
        self.listener.stop()
        self.ingest.close()


@pytest.fixture
def feed(demo_copy):
    store = open_store(demo_copy)
    f = Feed(store, request_timeout=0.6)
    yield f
    f.close()
    store.close()


def a_device(store) -> tuple[str, int]:
    with store.session() as s:
        d = s.scalars(select(m.TrackerDevice).order_by(m.TrackerDevice.device_id)).first()
        return d.device_id, d.team_id


def stored_fixes(store, device):
    with store.session() as s:
        return s.scalars(select(m.Fix).where(m.Fix.device_id == device).order_by(m.Fix.id)).all()


def test_reports_land_in_the_store_with_values_and_units(feed):
    dev, team = a_device(feed.store)
    before = len(stored_fixes(feed.store, dev))
    t = int(time.time())
    status, _, _ = feed.request("GET", f"/?id={dev}&lat=30.8123456&lon=108.3812345&timestamp={t}&speed=10&bearing=90"
                                       f"&accuracy=8&batt=55")
    assert status == 200
    # Acknowledged means committed: another connection sees it at once.
    with another_connection(feed.store) as con:
        F = m.Fix
        row = tuple(con.execute(select(F.lat, F.lon, F.speed_mps, F.heading_deg, F.accuracy_m, F.battery_pct, F.team_id)
                                .where(F.device_id == dev).order_by(F.id.desc()).limit(1)).one())
    assert row[:2] == (30.8123456, 108.3812345)
    assert row[2] == pytest.approx(10 * KNOT_MPS) and row[3] == 90 and row[4] == 8 and row[5] == 55 and row[6] == team
    body = {"device_id": dev, "location": {"timestamp": datetime.fromtimestamp(t + 10, tz=timezone.utc).isoformat(),
                                           "coords": {"latitude": 30.8124, "longitude": 108.3813, "speed": 1.5, "heading": 45,
                                                      "accuracy": 6}, "battery": {"level": 0.5}}}
    status, _, _ = feed.request("POST", "/", json.dumps(body), {"Content-Type": "application/json"})
    assert status == 200
    status, _, _ = feed.request("POST", "/", f"id={dev}&lat=30.8125&lon=108.3814&timestamp={t + 20}",
                                {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 200
    fixes = stored_fixes(feed.store, dev)
    assert len(fixes) == before + 3
    assert fixes[-2].speed_mps == 1.5 and fixes[-2].battery_pct == 50.0
    assert fixes[-1].t == datetime.fromtimestamp(t + 20, tz=timezone.utc)


def test_unknown_devices_are_listed_not_stored(feed):
    from data.feeds.devices import bind_device, list_devices
    for k in range(3):
        status, body, _ = feed.request("GET", f"/?id=NEW-PHONE-1&lat=30.81&lon=108.38&timestamp={int(time.time()) + k}")
        assert status == 400 and "not bound to a team" in body
    assert stored_fixes(feed.store, "NEW-PHONE-1") == []
    _, unknown = list_devices(feed.store)
    assert [(u.device_id, u.reports) for u in unknown] == [("NEW-PHONE-1", 3)]
    bind_device(feed.store, "NEW-PHONE-1", "XL001", by=who(feed.store, "admin"))
    time.sleep(0.6)  # bindings are reread within half a second of an unknown id
    status, _, _ = feed.request("GET", f"/?id=NEW-PHONE-1&lat=30.81&lon=108.38&timestamp={int(time.time()) + 9}")
    assert status == 200 and len(stored_fixes(feed.store, "NEW-PHONE-1")) == 1
    assert list_devices(feed.store)[1] == []


def test_filters_refuse_and_count_by_reason(feed):
    dev, _ = a_device(feed.store)
    t = int(time.time())
    cases = [
        (f"lat=nan&lon=108.38&timestamp={t}", "nan"),
        (f"lat=95&lon=108.38&timestamp={t}", "out_of_range"),
        (f"lat=0&lon=0&timestamp={t}", "null_island"),
        (f"lat=30.81&lon=108.38&timestamp={t + 3 * 86400}", "future"),
        (f"lat=30.81&lon=108.38&timestamp={t}&accuracy=500", "inaccurate"),
        (f"lat=30.81&lon=108.38&timestamp={t}&valid=false", "invalid"),
    ]
    n0 = len(stored_fixes(feed.store, dev))
    for query, reason in cases:
        status, body, resp = feed.request("GET", f"/?id={dev}&{query}")
        assert status == 200 and resp.getheader("X-GridWatch-Not-Stored") == reason, (query, body)
    assert feed.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={t}")[0] == 200
    _, _, resp = feed.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={t}")
    assert resp.getheader("X-GridWatch-Not-Stored") == "duplicate"
    # 30 m/s is the limit: 5 km in 10 s is not a patrol.
    _, _, resp = feed.request("GET", f"/?id={dev}&lat=30.855&lon=108.38&timestamp={t + 10}")
    assert resp.getheader("X-GridWatch-Not-Stored") == "impossible_jump"
    assert len(stored_fixes(feed.store, dev)) == n0 + 1
    counts = feed.ingest.stats.counts
    for _, reason in cases:
        assert counts[reason] == 1
    assert counts["duplicate"] == 1 and counts["impossible_jump"] == 1
    with feed.store.session() as s:
        saved = dict(s.execute(select(m.FeedCounter.reason, m.FeedCounter.count)).all())
    assert saved["null_island"] == 1 and saved["accepted"] >= 1


def test_a_late_fix_is_stored_but_never_moves_a_team_backwards(feed):
    from data.snapshot import latest_fixes, load_teams
    dev, team = a_device(feed.store)
    t = int(time.time())
    feed.request("GET", f"/?id={dev}&lat=30.8100&lon=108.3800&timestamp={t}")
    status, _, resp = feed.request("GET", f"/?id={dev}&lat=30.8101&lon=108.3801&timestamp={t - 60}")
    assert status == 200 and resp.getheader("X-GridWatch-Not-Stored") is None
    assert len([f for f in stored_fixes(feed.store, dev) if f.t >= datetime.fromtimestamp(t - 60, tz=timezone.utc)]) == 2
    assert latest_fixes(feed.store)[team].lat == 30.81
    # The map's team layer also keeps the newer position when the late fix arrives.
    from layers.patrols import TeamLayer
    layer = TeamLayer(load_teams(feed.store, datetime.now(timezone.utc)))
    i = layer.index_of(team)
    x, y = layer.xy[i].copy()
    late = datetime.fromtimestamp(t - 60, tz=timezone.utc)
    ids, _, _ = layer.apply_fixes([team], [late], [x + 50], [y + 50], {})
    assert ids == [] and tuple(layer.xy[i]) == (x, y)


def test_oversized_slow_and_malformed_requests(feed):
    dev, _ = a_device(feed.store)
    status, body, _ = feed.request("POST", "/", "id=1&" + "x" * 20000, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and "larger than" in body
    # A half-open request: the listener answers 408 and closes, and serves others meanwhile.
    slow = socket.create_connection(("127.0.0.1", feed.port))
    slow.sendall(b"GET /?id=1&lat=1 HTTP/1.1\r\nHost: x\r\n")
    t = int(time.time())
    assert feed.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={t + 500}")[0] == 200
    slow.settimeout(5)
    answer = slow.recv(1000)
    assert answer.startswith(b"HTTP/1.1 408")
    assert slow.recv(1000) == b""  # closed
    slow.close()
    raw = socket.create_connection(("127.0.0.1", feed.port))
    raw.sendall(b"THIS IS NOT HTTP\r\n\r\n")
    raw.settimeout(5)
    assert raw.recv(1000).startswith(b"HTTP/1.1 400")
    raw.close()
    assert feed.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={t + 501}")[0] == 200


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(raw=st.binary(min_size=1, max_size=400))
def test_random_bytes_never_stop_the_listener(feed, raw):
    s = socket.create_connection(("127.0.0.1", feed.port))
    s.settimeout(3)
    try:
        s.sendall(b"GET /?" + raw + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = s.recv(200)
        assert answer == b"" or answer.startswith(b"HTTP/1.1 ")
    except (ConnectionResetError, socket.timeout):
        pass
    finally:
        s.close()
    assert feed.request("GET", "/?lat=1&lon=2")[0] == 400  # still serving


def test_concurrent_clients_every_acknowledged_report_is_stored(feed):
    with feed.store.session() as s:
        devices = s.scalars(select(m.TrackerDevice.device_id).order_by(m.TrackerDevice.device_id).limit(20)).all()
    t0 = int(time.time()) - 3600
    acks = []

    def client(dev):
        conn = http.client.HTTPConnection("127.0.0.1", feed.port, timeout=10)
        ok = 0
        for k in range(40):
            conn.request("GET", f"/?id={dev}&lat={30.80 + k * 1e-5:.6f}&lon=108.38&timestamp={t0 + k * 10}")
            r = conn.getresponse()
            r.read()
            ok += r.status == 200 and r.getheader("X-GridWatch-Not-Stored") is None
        acks.append(ok)
        conn.close()

    threads = [threading.Thread(target=client, args=(d,)) for d in devices]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    with another_connection(feed.store) as con:
        stored = con.execute(select(func.count()).select_from(m.Fix).where(
            m.Fix.t >= datetime.fromtimestamp(t0, tz=timezone.utc), m.Fix.t < datetime.fromtimestamp(t0 + 400, tz=timezone.utc))).scalar()
    assert sum(acks) == 20 * 40 == stored


def test_the_simulator_reports_through_http_along_the_streets(feed):
    from data.feeds.simulator import Simulator
    import numpy as np
    import shapely
    from data.snapshot import load_streets
    sim = Simulator(feed.store, f"http://127.0.0.1:{feed.port}/", speedup=30, seed=3)
    # Drive the clock by hand so the test does not depend on the time of day: everyone on duty at 10:00.
    now = datetime(2026, 11, 27, 2, 0, tzinfo=timezone.utc)
    for t in sim.teams:
        t.duty = (0, 24 * 60)
    for s in sim._senders:
        s.start()
    clock = 0.0
    for step in range(20):
        clock += 1.0
        sim.step(1.0, now=now + timedelta(seconds=clock), clock=clock)
    sim._out.join()
    sim.stop()
    assert sim.acknowledged > 200 and sim.failed == 0
    with feed.store.session() as s:
        rows = s.execute(select(m.Fix.lon, m.Fix.lat).where(m.Fix.t >= now)).all()
    assert len(rows) >= sim.acknowledged * 0.9
    streets = load_streets(feed.store)
    x, y = feed.store.projection.lonlat_to_xy(np.array([r[0] for r in rows]), np.array([r[1] for r in rows]))
    tree = shapely.STRtree(streets.geoms)
    _, dist = tree.query_nearest(shapely.points(x, y), return_distance=True, all_matches=False)
    assert np.percentile(dist, 95) < 15  # on the streets, give or take GPS noise


def test_feed_command_serves_as_soon_as_it_says_so_and_reports_on_stop(demo_copy):
    import signal
    import socket as _s
    with _s.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess_popen(["feed", "--store", str(demo_copy), "--listen", f"127.0.0.1:{port}"])
    try:
        first = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in first
        store = open_store(demo_copy)
        dev, _ = a_device(store)
        store.close()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={int(time.time())}")
        assert conn.getresponse().status == 200
        conn.close()
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=15)
    assert "stored 1 fixes" in out


def subprocess_popen(args):
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-m", "console.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)


# --- device keys and the address allow-list (optional; the default stays Traccar-compatible) -------------

def test_with_keys_required_a_report_needs_its_devices_key(demo_copy):
    import base64
    from data.feeds.devices import issue_device_key
    store = open_store(demo_copy)
    dev, _team = a_device(store)
    key = issue_device_key(store, dev, by=who(store, "admin"))
    f = Feed(store, require_key=True)
    try:
        t = int(NOW.timestamp())
        base = f"/?id={dev}&lat=30.81&lon=108.38&timestamp={{}}"
        status, body, _ = f.request("GET", base.format(t))
        assert status == 401 and "key" in body
        status, _, _ = f.request("GET", base.format(t + 1) + "&key=wrong-key")
        assert status == 401
        status, _, _ = f.request("GET", base.format(t + 2) + f"&key={key}")
        assert status == 200
        status, _, _ = f.request("GET", base.format(t + 3), headers={"Authorization": f"Bearer {key}"})
        assert status == 200
        basic = base64.b64encode(f"{dev}:{key}".encode()).decode()
        status, _, _ = f.request("GET", base.format(t + 4), headers={"Authorization": f"Basic {basic}"})
        assert status == 200
        # Traccar Client 9's JSON form, with the key in the URL.
        doc = {"device_id": dev, "location": {"timestamp": NOW.isoformat(), "coords": {"latitude": 30.811, "longitude": 108.381}}}
        status, _, _ = f.request("POST", f"/?key={key}", body=json.dumps(doc), headers={"Content-Type": "application/json"})
        assert status == 200
        f.ingest.close()
        assert len(stored_fixes(store, dev)) >= 4
        assert f.ingest.stats.counts["bad_key"] == 2
        with store.session() as s:
            kept = s.scalar(select(m.TrackerDevice.key_sha256).where(m.TrackerDevice.device_id == dev))
        assert kept and key not in kept  # only its hash is kept
    finally:
        f.listener.stop()
        store.close()


def test_an_address_outside_the_allow_list_is_refused(demo_copy):
    from data.feeds.listener import parse_allow
    store = open_store(demo_copy)
    dev, _team = a_device(store)
    f = Feed(store, allow=parse_allow("10.0.0.0/8"))
    g = Feed(store, allow=parse_allow("127.0.0.0/8, ::1"))
    try:
        status, body, _ = f.request("GET", f"/?id={dev}&lat=30.81&lon=108.38")
        assert status == 403 and "allow" in body
        status, _, _ = g.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={int(NOW.timestamp())}")
        assert status == 200
    finally:
        f.close()
        g.close()
        store.close()
    with pytest.raises(ValueError, match="not an address"):
        parse_allow("10.0.0.0/8, the office")


# --- hostile and broken clients (issue 17) -----------------------------------------------------------

def test_a_fix_from_before_the_past_limit_is_refused_and_never_stored(feed):
    """The request that froze the live map: a timestamp of year 385, answered 200 and stored."""
    dev, _ = a_device(feed.store)
    t = int(time.time())
    n0 = len(stored_fixes(feed.store, dev))
    for stamp in (-50000000000, t - 8 * 86400, 946684799):  # year 385; 8 days ago; 1999-12-31
        status, _, resp = feed.request("GET", f"/?id={dev}&timestamp={stamp}&lat=30.81&lon=108.38")
        assert status == 200 and resp.getheader("X-GridWatch-Not-Stored") == "past", stamp
    status, _, resp = feed.request("GET", f"/?id={dev}&timestamp={t - 6 * 86400}&lat=30.81&lon=108.38")
    assert status == 200 and resp.getheader("X-GridWatch-Not-Stored") is None  # a late upload of last week's track
    # Five minutes' clock skew is a phone; 23 hours ahead is not (it was let through, up to 24 h).
    assert feed.request("GET", f"/?id={dev}&timestamp={t + 240}&lat=30.8101&lon=108.3801")[2].getheader("X-GridWatch-Not-Stored") is None
    _, _, resp = feed.request("GET", f"/?id={dev}&timestamp={t + 23 * 3600}&lat=30.81&lon=108.38")
    assert resp.getheader("X-GridWatch-Not-Stored") == "future"
    fixes = stored_fixes(feed.store, dev)
    assert len(fixes) == n0 + 2 and all(f.t.year >= 2000 for f in fixes)
    assert feed.ingest.stats.counts["past"] == 3 and feed.ingest.stats.counts["future"] == 1


def test_impossible_extras_are_dropped_and_the_position_kept(feed):
    dev, _ = a_device(feed.store)
    t = int(time.time())
    status, _, resp = feed.request("GET", f"/?id={dev}&timestamp={t}&lat=30.8123&lon=108.3812&speed=inf&bearing=-720"
                                          f"&batt=1e300&accuracy=-3")
    assert status == 200 and resp.getheader("X-GridWatch-Not-Stored") is None
    f = stored_fixes(feed.store, dev)[-1]
    assert (round(f.lat, 4), round(f.lon, 4)) == (30.8123, 108.3812)
    assert (f.speed_mps, f.heading_deg, f.battery_pct, f.accuracy_m) == (None, None, None, None)
    status, _, _ = feed.request("GET", f"/?id={dev}&timestamp={t + 5}&lat=30.8124&lon=108.3812&speed=-25.7&bearing=90"
                                       f"&batt=-5&accuracy=8")
    g = stored_fixes(feed.store, dev)[-1]
    assert (g.speed_mps, g.heading_deg, g.battery_pct, g.accuracy_m) == (None, 90.0, None, 8.0)
    counts = feed.ingest.stats.counts
    assert (counts["dropped_speed"], counts["dropped_heading"], counts["dropped_battery"], counts["dropped_accuracy"]) == (2, 1, 2, 1)
    with feed.store.session() as s:
        saved = dict(s.execute(select(m.FeedCounter.reason, m.FeedCounter.count)).all())
    assert saved["dropped_speed"] == 2 and saved["dropped_battery"] == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(stamp=st.one_of(st.integers(min_value=-10**14, max_value=10**14), st.floats(allow_nan=True, allow_infinity=True)),
       speed=st.floats(allow_nan=True, allow_infinity=True), bearing=st.floats(allow_nan=True, allow_infinity=True),
       batt=st.floats(allow_nan=True, allow_infinity=True), accuracy=st.floats(allow_nan=True, allow_infinity=True),
       jitter=st.floats(min_value=-0.001, max_value=0.001))
def test_whatever_a_client_sends_what_is_stored_reads_back_sane(feed, stamp, speed, bearing, batt, accuracy, jitter):
    """parse → filter → store → read, over any numbers: nothing the store cannot read back, no time
    outside the window, no extra outside its physical range."""
    dev, _ = a_device(feed.store)
    if stamp == 0 or (isinstance(stamp, int) and abs(stamp) < 10**6):
        stamp = int(time.time()) + stamp % 600 - 300  # now and then a plausible time, so some are stored
    q = (f"/?id={dev}&timestamp={stamp}&lat={30.81 + jitter}&lon={108.38 + jitter}&speed={speed}&bearing={bearing}"
         f"&batt={batt}&accuracy={accuracy}")
    status = feed.request("GET", q)[0]
    assert status in (200, 400)
    now = datetime.now(timezone.utc)
    for f in stored_fixes(feed.store, dev)[-3:]:
        assert now - timedelta(days=7, minutes=1) <= f.t <= now + timedelta(minutes=6)
        assert f.speed_mps is None or 0 <= f.speed_mps <= 100
        assert f.heading_deg is None or 0 <= f.heading_deg <= 360
        assert f.battery_pct is None or 0 <= f.battery_pct <= 100
        assert f.accuracy_m is None or 0 <= f.accuracy_m <= 50


def test_an_arrival_is_never_recorded_in_the_future(demo_copy):
    """A fix dated ahead of its receipt, at the incident's place: on scene when it was received."""
    from data.cases.dispatch import ArrivalWatcher, create_incident, transition
    from data.cases.rules import case_states
    from data.feeds.osmand import Report
    store = open_store(demo_copy)
    try:
        dev, team = a_device(store)
        with store.session() as s:
            g = s.scalars(select(m.Grid.geom)).first().representative_point()
        now = datetime.now(timezone.utc)
        actor = who(store, "刘建平")
        inc = create_incident(store, category="fire", subcategory="fire.corridor", priority="high", source="grid_worker",
                              lon=g.x, lat=g.y, actor=actor, at=now)
        transition(store, inc.id, "accept", actor)
        transition(store, inc.id, "dispatch", actor, team_id=team, reassign=True)
        ingest = FixIngest(store, on_stored=ArrivalWatcher(store).check)
        answers = []
        ahead = Report(dev, now + timedelta(minutes=4), g.y, g.x, accuracy_m=5.0)  # within the clock tolerance
        ingest.submit(ahead, answers.append)
        ingest.close()
        assert answers and answers[0].reason == "stored"
        with store.session() as s:
            arrive = s.scalars(select(m.CaseEvent).where(m.CaseEvent.incident_id == inc.id, m.CaseEvent.action == "arrive")).one()
            received = s.scalar(select(m.Fix.received_at).where(m.Fix.device_id == dev).order_by(m.Fix.id.desc()).limit(1))
            assert arrive.t <= received < ahead.t
            # and the dispatcher's next step is stamped now, not minutes ahead
        transition(store, inc.id, "resolve", actor, result="done")
        with store.session() as s:
            resolve = s.scalars(select(m.CaseEvent).where(m.CaseEvent.incident_id == inc.id, m.CaseEvent.action == "resolve")).one()
            assert resolve.t < ahead.t
            assert case_states(s)[inc.id].stage == "resolved"
    finally:
        store.close()


def test_a_fix_received_twice_is_stored_once_and_acknowledged_both_times(demo_copy):
    """Two feeds on one store, and a phone resending after a restart: duplicate detection used to live
    in each feed's memory (201 of 201 stored twice)."""
    from data.feeds.osmand import Report
    stores = [open_store(demo_copy) for _ in range(3)]
    try:
        dev, _ = a_device(stores[0])
        now = datetime.now(timezone.utc).replace(microsecond=0)
        fixes = [Report(dev, now - timedelta(seconds=30 - k), 30.81 + k * 1e-5, 108.38, accuracy_m=5.0) for k in range(20)]
        feeds = [FixIngest(st) for st in stores[:2]]
        answers: list = []
        lock = threading.Lock()

        def answer(o):
            with lock:
                answers.append(o.reason)
        for r in fixes:
            for f in feeds:
                f.submit(r, answer)
        for f in feeds:
            f.close()
        assert answers == ["stored"] * 40  # each feed acknowledges: the fix is stored
        restarted = FixIngest(stores[2])
        again: list = []
        for r in fixes[:5]:
            restarted.submit(r, lambda o: again.append(o.reason))
        restarted.close()
        assert again == ["stored"] * 5
        with stores[0].session() as s:
            n = s.scalar(select(func.count()).select_from(m.Fix).where(m.Fix.device_id == dev, m.Fix.t >= fixes[0].t))
        assert n == 20
    finally:
        for st in stores:
            st.close()


@pytest.mark.gpkg_only
@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_the_feed_stops_within_two_seconds_of_sigterm_under_load_losing_nothing_it_acknowledged(demo_copy, signame):
    """SIGTERM (a service manager) or Ctrl+C while 20 trackers report as fast as they can: out within
    2 s, every acknowledged fix stored."""
    import re
    import signal
    import subprocess
    import sys
    store = open_store(demo_copy)
    with store.session() as s:
        devices = [d for d in s.scalars(select(m.TrackerDevice.device_id).order_by(m.TrackerDevice.id).limit(20))]
    store.close()
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(demo_copy), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()
        port = int(re.search(r":(\d+),", line).group(1))
        acked: list[tuple[str, int]] = []
        stop = threading.Event()

        def tracker(dev: str, base: int) -> None:
            k = 0
            while not stop.is_set():
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                    t = base + k
                    conn.request("GET", f"/?id={dev}&timestamp={t}&lat={30.81 + k * 1e-6:.7f}&lon=108.38")
                    resp = conn.getresponse()
                    resp.read()
                    if resp.status == 200 and resp.getheader("X-GridWatch-Not-Stored") is None:
                        acked.append((dev, t))
                    conn.close()
                except OSError:
                    return  # the feed has gone: a tracker would send it again later
                k += 1
        base = int(time.time()) - 3600
        threads = [threading.Thread(target=tracker, args=(d, base)) for d in devices]
        for t in threads:
            t.start()
        time.sleep(1.5)
        sent = time.monotonic()
        proc.send_signal(getattr(signal, signame))
        proc.wait(timeout=10)
        took = time.monotonic() - sent
        stop.set()
        for t in threads:
            t.join(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert took <= 2.0, took
    assert len(acked) > 50
    store = open_store(demo_copy)
    try:
        with store.session() as s:
            stored = set(s.execute(select(m.Fix.device_id, m.Fix.t).where(m.Fix.device_id.in_(devices),
                                                                           m.Fix.t >= datetime.fromtimestamp(base, timezone.utc))).all())
    finally:
        store.close()
    stored = {(d, int(t.replace(tzinfo=timezone.utc).timestamp()) if t.tzinfo is None else int(t.timestamp())) for d, t in stored}
    assert {a for a in acked} <= stored  # nothing acknowledged is missing


# --- limits: connections, unknown ids, the log (issue 17, finding 4) -----------------------------------

def _raw(port: int, data: bytes = b"") -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    if data:
        s.sendall(data)
    return s


def test_at_the_connection_cap_an_idle_connection_makes_room_and_busy_ones_get_503(demo_copy):
    store = open_store(demo_copy)
    f = Feed(store, max_connections=20, request_timeout=30.0)
    idle = []
    try:
        dev, _ = a_device(store)
        idle = [_raw(f.port) for _ in range(40)]  # say nothing: idle
        time.sleep(0.3)
        status, _, _ = f.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={int(time.time())}")
        assert status == 200  # a tracker still gets in: the connection idle longest made room
        st = f.listener.status()
        assert st["connections"] <= 20 and st["closed_for_room"] >= 20
        # Every held connection mid-request (half a request line each): nothing to close, so 503.
        for s in idle:
            s.close()
        busy = [_raw(f.port, b"GET /?id=" + dev.encode()) for _ in range(20)]
        time.sleep(0.3)
        s = _raw(f.port)
        answer = s.recv(4096)
        s.close()
        assert answer.startswith(b"HTTP/1.1 503") and b"Retry-After: 5" in answer
        assert f.listener.status()["refused_full"] >= 1
        for b in busy:
            b.close()
    finally:
        for s in idle:
            s.close()
        f.close()
        store.close()


@pytest.mark.gpkg_only  # about the feed process, not the store
def test_two_thousand_idle_connections_do_not_stop_the_trackers_at_an_open_file_limit_of_1024(demo_copy):
    """The trial: 2,000 idle connections against a feed whose hard open-file limit is 1,024. Trackers
    are still answered at once, and the log holds no flood of "Too many open files"."""
    import re
    import resource
    import subprocess
    import sys
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 2300:
        pytest.skip(f"this test opens 2,000 connections itself; the hard open-file limit here is {hard}")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 2300) if hard == resource.RLIM_INFINITY else hard, hard))
    store = open_store(demo_copy)
    dev, _ = a_device(store)
    store.close()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 1024))  # the feed raises 256 to its hard limit, 1,024
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(demo_copy), "--listen", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=limit)
    idle: list[socket.socket] = []
    try:
        line = proc.stdout.readline()
        port = int(re.search(r":(\d+),", line).group(1))
        assert f"at most {1024 - 64 - 4 * 128} connections" in line
        for _ in range(2000):
            try:
                idle.append(_raw(port))
            except OSError:
                break
        time.sleep(0.5)
        answered = []
        for k in range(6):
            started = time.monotonic()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={int(time.time()) - 60 + k}")
            resp = conn.getresponse()
            resp.read()
            conn.close()
            answered.append((resp.status, time.monotonic() - started))
        assert [s for s, _ in answered] == [200] * 6, answered
        assert max(t for _, t in answered) < 2.0, answered
    finally:
        for s in idle:
            s.close()
        proc.terminate()
        _out, err = proc.communicate(timeout=10)
    assert err.count("Too many open files") <= 1, err[-2000:]


def test_an_address_guessing_ids_is_answered_429_and_its_known_devices_still_report(demo_copy):
    store = open_store(demo_copy)
    f = Feed(store, unknown_burst=5, unknown_per_minute=6.0)
    try:
        dev, _ = a_device(store)
        now = int(time.time())
        statuses = []
        for k in range(20):
            status, body, resp = f.request("GET", f"/?id=GUESS-{k}&lat=30.81&lon=108.38&timestamp={now - k}")
            statuses.append(status)
            if status == 429:
                assert resp.getheader("Retry-After") == "5" and "unknown devices" in body
        assert statuses[:5] == [400] * 5 and statuses[-10:] == [429] * 10
        status, _, _ = f.request("GET", f"/?id={dev}&lat=30.81&lon=108.38&timestamp={now}")
        assert status == 200  # a bound device behind the same address is not held back
        with store.session() as s:
            assert s.scalar(select(func.count()).select_from(m.UnknownDevice).where(m.UnknownDevice.device_id.like("GUESS-%"))) <= 6
        assert f.listener.status()["unknown_limited"] >= 10
    finally:
        f.close()
        store.close()


def test_the_list_of_unknown_ids_keeps_only_the_newest(demo_copy, monkeypatch):
    from data.feeds import ingest as ingest_module
    from data.feeds.devices import list_devices
    monkeypatch.setattr(ingest_module, "UNKNOWN_KEPT", 10)
    store = open_store(demo_copy)
    f = Feed(store, unknown_burst=1000)
    try:
        now = int(time.time())
        for k in range(30):
            assert f.request("GET", f"/?id=MADE-UP-{k:02d}&lat=30.81&lon=108.38&timestamp={now}")[0] == 400
        _, unknown = list_devices(store)
        assert sorted(u.device_id for u in unknown) == [f"MADE-UP-{k:02d}" for k in range(20, 30)]
        assert len(f.ingest.stats.unknown) == 10
    finally:
        f.close()
        store.close()


@pytest.mark.gpkg_only  # about the log, not the store
def test_a_repeated_error_is_logged_once_a_minute_with_a_count(tmp_path):
    import logging
    from console.logs import setup_logging
    path = setup_logging("info", tmp_path)
    try:
        log = logging.getLogger("data.feeds.listener")
        for _ in range(1000):
            try:
                raise OSError(24, "Too many open files")
            except OSError:
                log.exception("accepting a connection failed")
        log.warning("something else")
        for h in logging.getLogger().handlers:
            h.flush()
        text = path.read_text()
        assert text.count("accepting a connection failed") == 1 and text.count("OSError: [Errno 24]") == 1
        assert "something else" in text
        # After the minute the next one is logged, saying how many were held back.
        flt = next(f for h in logging.getLogger().handlers if getattr(h, "_gridwatch", False) and hasattr(h, "baseFilename")
                   for f in h.filters)
        for seen in flt._seen.values():
            seen[0] -= 61
        try:
            raise OSError(24, "Too many open files")
        except OSError:
            log.exception("accepting a connection failed")
        for h in logging.getLogger().handlers:
            h.flush()
        assert "[999 more like this in the last 60 s not logged]" in path.read_text()
    finally:
        for h in list(logging.getLogger().handlers):
            if getattr(h, "_gridwatch", False):
                logging.getLogger().removeHandler(h)
                h.close()


# --- short critical sections and the writers' queue (issue 17, finding 5) ------------------------------

@pytest.mark.gpkg_only  # SQLite's write lock; PostgreSQL queues its own waiters
def test_a_sign_in_checks_the_password_before_it_takes_the_write_lock(demo_copy, monkeypatch):
    """argon2 costs ~50 ms on purpose: while it runs, another writer must be able to write."""
    import sqlite3
    from data import accounts
    from data.demo.generator import DEMO_PASSWORD
    store = open_store(demo_copy)
    free_while_checking = []
    real = accounts._matches

    def checking(stored, password):
        other = sqlite3.connect(demo_copy, timeout=0)  # no waiting: locked means locked
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            free_while_checking.append(True)
        except sqlite3.OperationalError:
            free_while_checking.append(False)
        finally:
            other.close()
        return real(stored, password)
    monkeypatch.setattr(accounts, "_matches", checking)
    try:
        assert accounts.sign_in(store, "刘建平", DEMO_PASSWORD).username == "刘建平"
        with pytest.raises(accounts.AuthError):
            accounts.sign_in(store, "刘建平", "wrong password")
        with pytest.raises(accounts.AuthError):
            accounts.sign_in(store, "nobody-here", "whatever")
    finally:
        store.close()
    assert free_while_checking == [True, True, True]


@pytest.mark.gpkg_only  # the embedded store's writers' queue
def test_two_busy_case_writers_leave_the_feed_its_share_and_no_5xx(demo_copy, tmp_path):
    """Two case writers in their own processes, working cases with no pause, and 50 trackers reporting
    as fast as they are answered, for 8 s (the benchmark runs 60). On main before this, the feed fell to
    3–12 % of what it stored with the writers on another store (SQLite's busy handler let the writers take every turn). The comparison is
    with the writers on another store, so that what is measured is the store's sharing, not this
    machine's cores (four busy processes on two cores share the CPU whatever the store does)."""
    import shutil
    from tests.benchmarks import soak
    seconds = 8.0
    other = tmp_path / "other.gpkg"
    shutil.copy(demo_copy, other)

    def run(writers_store) -> tuple[dict, list[dict]]:
        proc, port = soak.start_feed(demo_copy)
        writers = [soak.child("writer", str(writers_store), str(seconds + 1), name) for name in ("刘建平", "周晓燕")]
        try:
            time.sleep(1.0)
            load = soak.child("load", str(port), str(seconds), *soak.devices(demo_copy, 50))
            res = soak.result_of(load, seconds + 60)
            return res, [soak.result_of(w, seconds + 60) for w in writers]
        finally:
            for w in writers:
                if w.poll() is None:
                    w.kill()
            soak.stop_feed(proc)
    control, _ = run(other)
    shared, wrote = run(demo_copy)
    assert all(w["failures"] == 0 and w["cases"] > 20 for w in wrote), wrote
    assert not [s for s in shared["status"] if int(s) >= 500] and shared["errors"] == 0, shared
    # Before the queue: 3–12 %; with a first-come queue 70–94 %; with the feed's batches alternating with
    # the case writers 95–109 % (the benchmark's 60 s figures are in the README). The issue's 70 %.
    assert shared["rate"] >= 0.7 * control["rate"], (shared["rate"], control["rate"])
