"""Office mode on a real PostgreSQL server: seats see each other's changes at once (LISTEN/NOTIFY), two
processes racing for one team get one winner and the loser is told who won, and losing the server is
said, refused in words and recovered from without a restart (a TCP proxy in front of the server is cut
and restored, as a network or a server restart would).
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from data.cases.dispatch import create_incident, transition
from data.snapshot import busy_teams
from data.store import models as m
from data.store.core import open_store
from tests.conftest import DEMO_UNTIL, who

pytestmark = pytest.mark.both_backends
AT = DEMO_UNTIL + timedelta(minutes=1)


class Proxy:
    """A TCP proxy on 127.0.0.1 that can be cut (every connection dropped, new ones refused) and restored
    on the same port: the server "goes away" for the console without touching the real server."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._server: socket.socket | None = None
        self.start()

    def start(self) -> None:
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", self.port))
        srv.listen(64)
        self._server = srv
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def _accept(self, srv: socket.socket) -> None:
        while True:
            try:
                client, _ = srv.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(a: socket.socket, b: socket.socket) -> None:
        try:
            while data := a.recv(65536):
                b.sendall(data)
        except OSError:
            pass
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        if self._server is not None:
            try:  # wakes the accepting thread (close alone would leave the port held by its accept)
                self._server.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self._server.close()
            self._server = None
        with self._lock:
            socks, self._socks = self._socks, []
        for s in socks:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def url_through(self, url: str) -> str:
        return make_url(url).set(host="127.0.0.1", port=self.port).render_as_string(hide_password=False)


@contextlib.contextmanager
def session_of(target):
    """A session on a store opened for it, and the store closed after (no idle server connection left)."""
    store = open_store(target)
    try:
        with store.session() as s:
            yield s
    finally:
        store.close()


def _office(backend, demo_copy):
    if backend != "postgresql":
        pytest.skip("office mode: PostgreSQL only")
    return str(demo_copy)


def _writer(url: str, code: str) -> subprocess.CompletedProcess:
    """Another seat, in another process: runs `code` with `store` open and prints what it prints."""
    script = textwrap.dedent(f"""
        import json, sys, time
        from datetime import datetime, timedelta, timezone
        import shapely
        from sqlalchemy import select
        from data.store import models as m
        from data.store.core import open_store
        from data.cases.dispatch import create_incident, transition
        from tests.conftest import who, DEMO_UNTIL
        store = open_store({url!r})
    """) + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)


@pytest.mark.office_only
def test_another_seat_sees_a_new_case_and_a_new_position_without_polling(backend, demo_copy, open_window, qtbot):
    url = _office(backend, demo_copy)
    win = open_window(url, now=AT)
    poller = win.live._poller
    qtbot.waitUntil(lambda: poller.changes is not None and poller.changes.connected.is_set(), timeout=5000)
    board = win.case_board

    def on_board(case_no: str) -> bool:
        return any(case_no == r.case_no for r in board.rows)

    # A case logged at another seat (another process) reaches this board at once: NOTIFY wakes the
    # poller; the slow poll (every 3 s) is not what brings it (the wait below is shorter).
    r = _writer(url, """
        store2 = store
        lon, lat = 108.38, 30.815
        inc = create_incident(store2, category="public_order", subcategory="public_order.fight", priority="urgent",
                              source="hotline", lon=lon, lat=lat, actor=who(store2, "周晓燕"),
                              at=DEMO_UNTIL + timedelta(minutes=1))
        print(inc.case_no)
    """)
    assert r.returncode == 0, r.stderr
    case_no = r.stdout.strip().splitlines()[-1]
    qtbot.waitUntil(lambda: on_board(case_no), timeout=1500)

    # A team's new position, committed by another process, moves its marker at once.
    teams = win.canvas.layer("teams")
    with session_of(url) as s:
        team_id = s.scalars(select(m.Team.id).order_by(m.Team.id)).first()
    row = teams.index_of(team_id)
    before = tuple(teams.xy[row])
    r = _writer(url, f"""
        from sqlalchemy import insert
        now = datetime.now(timezone.utc)
        with store.engine.begin() as conn:
            conn.execute(insert(m.Fix).values(device_id="seat2", team_id={team_id}, t=DEMO_UNTIL + timedelta(seconds=50),
                                              lon=108.3901, lat=30.8201, received_at=now))
    """)
    assert r.returncode == 0, r.stderr
    qtbot.waitUntil(lambda: tuple(teams.xy[row]) != before, timeout=1500)
    x, y = win.store.projection.lonlat_to_xy(108.3901, 30.8201)
    assert tuple(teams.xy[row]) == pytest.approx((float(x), float(y)), abs=0.01)


@pytest.mark.office_only
def test_losing_the_server_is_said_refused_in_words_and_recovered_from(backend, demo_copy, open_window, qtbot):
    url = _office(backend, demo_copy)
    u = make_url(url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    through = proxy.url_through(url)
    win = open_window(through, now=AT)
    assert win.dispatch.sign_in("刘建平", "gridwatch")
    qtbot.waitUntil(lambda: win.live._poller.changes.connected.is_set(), timeout=5000)
    assert "connected" in win.status_server.text()

    proxy.cut()
    t0 = time.monotonic()
    qtbot.waitUntil(lambda: not win.server_up, timeout=5000)  # said within 5 s
    assert "unreachable" in win.status_server.text() and "read only" in win.status_server.text()
    assert time.monotonic() - t0 < 5
    # An action is refused in words, and nothing is queued: the map's context menu, New incident here…
    canvas = win.canvas
    qtbot.mouseClick(canvas, Qt.RightButton, pos=canvas.rect().center())
    menu = win.dispatch.context_menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(menu.actions()[0]).center())
    qtbot.waitUntil(lambda: getattr(win, "last_refusal", None) is not None and win.last_refusal.isVisible(), timeout=3000)
    assert "cannot be reached" in win.last_refusal.text() and "nothing was saved" in win.last_refusal.text()
    win.last_refusal.close()

    proxy.start()  # the server is back: the console reconnects by itself
    qtbot.waitUntil(lambda: win.server_up, timeout=15000)
    assert "connected" in win.status_server.text()
    qtbot.mouseClick(canvas, Qt.RightButton, pos=canvas.rect().center())
    menu = win.dispatch.context_menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(menu.actions()[0]).center())
    qtbot.waitUntil(lambda: win.dispatch.incident_dialog is not None and win.dispatch.incident_dialog.isVisible(), timeout=5000)
    win.dispatch.incident_dialog.reject()
    proxy.cut()


@pytest.mark.office_only
def test_the_feed_answers_503_while_the_server_is_away_and_recovers_by_itself(backend, demo_copy):
    url = _office(backend, demo_copy)
    u = make_url(url)
    proxy = Proxy(u.host or "127.0.0.1", u.port or 5432)
    through = proxy.url_through(url)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with session_of(url) as s:
        dev = s.scalars(select(m.TrackerDevice.device_id).order_by(m.TrackerDevice.device_id)).first()
    proc = subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", through, "--listen", f"127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert f"127.0.0.1:{port}" in proc.stdout.readline()

        def send(k: int) -> int:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
            conn.request("GET", f"/?id={dev}&lat=30.81&lon=108.38{k:02d}&timestamp={int(time.time()) + k}")
            status = conn.getresponse().status
            conn.close()
            return status

        began = datetime.now(timezone.utc)
        assert send(1) == 200
        proxy.cut()
        assert send(2) == 503  # not stored, so not acknowledged: the phone keeps it and sends it again
        assert send(3) == 503
        proxy.start()
        deadline = time.monotonic() + 20
        while (status := send(4)) != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert status == 200  # recovered without a restart
        with session_of(url) as s:
            lons = sorted(round(v, 4) for v in s.scalars(select(m.Fix.lon).where(m.Fix.device_id == dev,
                                                                                   m.Fix.received_at >= began)))
        assert lons == [108.3801, 108.3804]  # exactly what was acknowledged
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
        proxy.cut()


RACER = textwrap.dedent("""
    import json, sys, time
    from datetime import datetime, timedelta, timezone
    from data.store.core import open_store
    from data.cases.dispatch import transition, CaseError
    from tests.conftest import who
    store = open_store(sys.argv[1])
    me = who(store, sys.argv[2])
    print("ready", flush=True)
    for line in sys.stdin:
        incident, team, start, at = line.split()
        time.sleep(max(0.0, float(start) - time.time()))  # both seats press at the same instant
        try:
            transition(store, int(incident), "dispatch", me, team_id=int(team), at=datetime.fromisoformat(at))
            print(json.dumps({"ok": True}), flush=True)
        except CaseError as exc:
            print(json.dumps({"ok": False, "code": exc.code, "fields": dict(exc.fields)}), flush=True)
""")


def test_two_processes_assigning_one_team_at_the_same_instant_get_one_winner_100_times(backend, demo_copy):
    store = open_store(demo_copy)
    lon, lat = 108.38, 30.815
    a = who(store, "刘建平")
    busy = busy_teams(store, AT)
    with store.session() as s:
        teams = [t for t in s.scalars(select(m.Team.id).order_by(m.Team.id)) if t not in busy][:100]
    assert len(teams) == 100
    pairs = []
    for k in range(100):
        i1, i2 = (create_incident(store, category="public_order", subcategory="public_order.fight", priority="urgent",
                                  source="hotline", lon=lon, lat=lat, actor=a, at=AT) for _ in range(2))
        for inc in (i1, i2):
            transition(store, inc.id, "accept", a, at=AT)
        pairs.append((i1, i2))
    seats = [subprocess.Popen([sys.executable, "-c", RACER, str(demo_copy), name], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("刘建平", "周晓燕")]
    try:
        for seat in seats:
            assert seat.stdout.readline().strip() == "ready"
        at = (AT + timedelta(minutes=2)).isoformat()
        for k, ((i1, i2), team) in enumerate(zip(pairs, teams)):
            start = time.time() + 0.05
            seats[0].stdin.write(f"{i1.id} {team} {start} {at}\n")
            seats[1].stdin.write(f"{i2.id} {team} {start} {at}\n")
            for seat in seats:
                seat.stdin.flush()
            answers = [json.loads(seat.stdout.readline()) for seat in seats]
            winners = [n for n, ans in enumerate(answers) if ans["ok"]]
            assert len(winners) == 1, f"round {k}: {answers}"
            loser = answers[1 - winners[0]]
            won_case = (i1, i2)[winners[0]]
            assert loser["code"] == "case.team_busy", f"round {k}: {loser}"
            assert loser["fields"]["case_no"] == won_case.case_no  # told which case won ...
            assert loser["fields"]["by"] == ("刘建平", "周晓燕")[winners[0]]  # ... and who sent the team there
    finally:
        for seat in seats:
            seat.stdin.close()
            seat.wait(30)
    store.close()


@pytest.mark.office_only
def test_indicators_and_hotspots_read_the_same_from_an_office_as_from_its_geopackage(backend, demo_target, demo_path):
    """The supervisors' readers (columnar facts, bulk geometry) give the office the file's answers."""
    from data.hotspots import incident_points
    from data.indicators import indicators
    office, gpkg = open_store(demo_target), open_store(demo_path)
    try:
        start, end = DEMO_UNTIL - timedelta(days=120), DEMO_UNTIL
        a = indicators(office, start, end, "community", reader=who(office, "谭海"))
        b = indicators(gpkg, start, end, "community", reader=who(gpkg, "谭海"))
        assert a.overall == b.overall and a.groups == b.groups and a.overall["reported"] > 100
        xa, ya = incident_points(office, start, end)
        xb, yb = incident_points(gpkg, start, end)
        assert len(xa) == len(xb) > 100 and sorted(xa) == pytest.approx(sorted(xb))
    finally:
        office.close()
        gpkg.close()


@pytest.mark.office_only
def test_a_seat_role_may_add_fixes_events_and_audit_rows_but_never_change_them(backend, demo_copy, pg_server):
    import psycopg
    role = f"{pg_server.run}_seat"
    with psycopg.connect(pg_server.admin_url, autocommit=True) as c:
        c.execute(f'CREATE ROLE "{role}"')
    try:
        r = subprocess.run([sys.executable, "-m", "console.cli", "office", "grant", str(demo_copy), role],
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0, r.stderr
        with psycopg.connect(str(demo_copy), autocommit=True) as c:
            c.execute(f'SET ROLE "{role}"')
            assert c.execute("SELECT count(*) FROM case_events").fetchone()[0] > 0
            c.execute("INSERT INTO fixes (device_id, team_id, t, lon, lat, received_at) "
                      "VALUES ('seat', 1, now(), 108.38, 30.81, now())")
            c.execute("UPDATE incidents SET description = description WHERE id = 1")  # ordinary tables: allowed
            for sql in ("UPDATE fixes SET lon = 0", "DELETE FROM case_events", "UPDATE audit_log SET hash = ''",
                        "DELETE FROM audit_log", "TRUNCATE fixes"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    c.execute(sql)
    finally:
        with psycopg.connect(pg_server.admin_url, autocommit=True) as c, \
                psycopg.connect(str(demo_copy), autocommit=True) as d:
            d.execute(f'DROP OWNED BY "{role}"')
            c.execute(f'DROP ROLE "{role}"')


@pytest.mark.office_only
def test_upkeep_makes_partitions_and_thins_old_fixes_while_replay_still_reads_them(backend, demo_copy):
    from sqlalchemy import insert
    from data.replay.index import ReplayIndex
    store = open_store(demo_copy)
    old = DEMO_UNTIL.replace(month=3, day=10, hour=2, minute=0, second=0)  # eight months back: past a 30-day retention
    with store.engine.begin() as conn:
        conn.execute(insert(m.Fix), [dict(device_id="old", team_id=1, t=old + timedelta(seconds=10 * k), lon=108.38 + k * 1e-5,
                                          lat=30.81, received_at=old + timedelta(seconds=10 * k)) for k in range(60)])
    r = subprocess.run([sys.executable, "-m", "console.cli", "office", "maintain", str(demo_copy), "--retention-days", "30"],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "fixes_2026_03" in r.stdout and "60 raw fixes thinned to 10" in r.stdout
    with store.engine.connect() as conn:
        parts = {row[0] for row in conn.exec_driver_sql(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent "
            "WHERE p.relname = 'fixes'")}
        ahead = datetime.now(timezone.utc) + timedelta(days=62)
        assert f"fixes_{ahead.year:04d}_{ahead.month:02d}" in parts  # the months ahead exist before fixes arrive
        assert conn.execute(select(func.count()).select_from(m.Fix).where(m.Fix.device_id == "old")).scalar() == 10
        with pytest.raises(Exception, match="append-only"):  # the rewritten month is append-only like the rest
            conn.exec_driver_sql("UPDATE fixes SET lon = 0 WHERE device_id = 'old'")
    idx = ReplayIndex(store, old, old + timedelta(minutes=10))  # replay reads the thinned month as before
    assert (idx.f_team == 1).sum() == 10
    x, _y = store.projection.lonlat_to_xy(108.38 + 54 * 1e-5, 30.81)
    k = int(list(idx.team_ids).index(1))
    assert idx.teams_at(old + timedelta(minutes=9, seconds=55)).x[k] == pytest.approx(float(x), abs=0.01)
    again = subprocess.run([sys.executable, "-m", "console.cli", "office", "maintain", str(demo_copy), "--retention-days", "30"],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "thinned" not in again.stdout  # once per month
    store.close()


def test_a_password_in_the_url_is_refused_and_never_written_anywhere(tmp_path):
    from console.logs import log_dir
    r = subprocess.run([sys.executable, "-m", "console.cli", "recommend", "--store", "postgresql://seat:s3cret-pw@127.0.0.1:1/office",
                        "--at", "108.38,30.81"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and ".pgpass" in r.stderr and "Traceback" not in r.stderr
    assert "s3cret-pw" not in r.stderr + r.stdout
    log = (log_dir() / "gridwatch.log").read_text(encoding="utf-8")
    assert "postgresql://seat:***@127.0.0.1:1/office" in log and "s3cret-pw" not in log


@pytest.mark.office_only
def test_a_seat_connects_by_service_name(backend, demo_copy, tmp_path):
    u = make_url(str(demo_copy))
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[office]\nhost={u.host}\nport={u.port or 5432}\ndbname={u.database}\nuser={u.username}\n")
    env = {**os.environ, "PGSERVICEFILE": str(services)}
    r = subprocess.run([sys.executable, "-m", "console.cli", "grids", "list", "--store", "service=office"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 0, r.stderr
    assert "101 grids" in r.stdout


@pytest.mark.office_only
def test_replays_hour_cache_follows_late_and_out_of_order_fixes(backend, demo_copy, tmp_path, monkeypatch):
    from sqlalchemy import insert
    from data.replay.index import ReplayIndex
    monkeypatch.setenv("GRIDWATCH_CACHE_DIR", str(tmp_path / "cache"))
    store = open_store(demo_copy)
    start, end = DEMO_UNTIL - timedelta(hours=3), DEMO_UNTIL

    def direct(team_id: int) -> list:
        with store.session() as s:
            lo = start - timedelta(minutes=22)  # the index reads a trail's length and the offline time before
            return [round(v, 7) for v in s.scalars(select(m.Fix.lon).where(m.Fix.team_id == team_id, m.Fix.t >= lo,
                                                                            m.Fix.t <= end).order_by(m.Fix.t, m.Fix.id))]

    def replayed(team_id: int) -> list:
        idx = ReplayIndex(store, start, end)
        lon, _ = store.projection.xy_to_lonlat(idx.f_x[idx.f_team == team_id], idx.f_y[idx.f_team == team_id])
        return [round(float(v), 7) for v in np.atleast_1d(lon)]

    first = replayed(1)
    assert first == direct(1) and len(first) > 10
    assert any((tmp_path / "cache").rglob("meta.json"))  # closed hours are kept
    late = DEMO_UNTIL - timedelta(hours=2, minutes=30)
    with store.engine.begin() as conn:  # a late report for a cached hour ...
        conn.execute(insert(m.Fix).values(device_id="late", team_id=1, t=late, lon=108.3999, lat=30.81, received_at=DEMO_UNTIL))
        top = conn.execute(select(func.max(m.Fix.id))).scalar()
    assert replayed(1) == direct(1) != first
    with store.engine.begin() as conn:  # ... and one whose id is below the hour's largest (a later commit of an earlier id)
        conn.execute(insert(m.Fix).values(id=top - 3 if top - 3 > 0 else 1, device_id="slow", team_id=1,
                                          t=late + timedelta(seconds=5), lon=108.3998, lat=30.81, received_at=DEMO_UNTIL))
    assert 108.3998 in replayed(1) and replayed(1) == direct(1)
    store.close()


@pytest.mark.office_only
def test_office_create_copies_everything_checks_counts_and_export_writes_a_valid_geopackage(backend, pg_server, demo_path,
                                                                                          tmp_path):
    from sqlalchemy import func
    from data.store.models import Base
    url = pg_server.url(pg_server.new_database(postgis=False))
    r = subprocess.run([sys.executable, "-m", "console.cli", "office", "create", url, "--from", str(demo_path)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    assert "every count checked" in r.stdout and "case_events" in r.stderr  # the progress, table by table
    again = subprocess.run([sys.executable, "-m", "console.cli", "office", "create", url, "--from", str(demo_path)],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 2 and "already holds a GridWatch store" in again.stderr and "Traceback" not in again.stderr
    out = tmp_path / "back.gpkg"
    # As the ledger keeper: the whole store comes back, the ledgers too (others' exports leave them out:
    # tests/test_ledgers.py).
    r = subprocess.run([sys.executable, "-m", "console.cli", "export", "--store", url, "--out", str(out), "--as", "廖雪梅"],
                       capture_output=True, text=True, timeout=600, env=dict(os.environ, GRIDWATCH_PASSWORD="gridwatch"))
    assert r.returncode == 0, r.stderr
    assert "left out" not in r.stderr
    refused = subprocess.run([sys.executable, "-m", "console.cli", "export", "--store", url, "--out", str(out)],
                             capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "already exists" in refused.stderr
    a, b, c = open_store(demo_path), open_store(url), open_store(out)
    try:
        for table in Base.metadata.sorted_tables:
            counts = {}
            for st in (a, b, c):
                with st.session() as ses:
                    counts[st.label] = ses.scalar(select(func.count()).select_from(table))
            if table.name == "audit_log":  # the keeper's sign-in came along; the export's own entry came after
                assert list(counts.values()) == [counts[a.label], counts[a.label] + 2, counts[a.label] + 1], counts
                continue
            assert len(set(counts.values())) == 1, (table.name, counts)
        facts = [{k: v for k, v in st.meta.items() if k not in ("schema_version", "written_by")} for st in (a, b, c)]
        assert facts[0] == facts[1] == facts[2] and "demo_seed" in facts[0]  # the district's facts travel along
        with a.session() as s1, c.session() as s3:
            assert [g.geom.wkt for g in s1.scalars(select(m.Grid).order_by(m.Grid.id))] == \
                   [g.geom.wkt for g in s3.scalars(select(m.Grid).order_by(m.Grid.id))]
    finally:
        for s in (a, b, c):
            s.close()
    from tests.test_house import validate
    assert validate(out) == ""


@pytest.mark.office_only
def test_a_failed_office_create_leaves_the_database_as_empty_as_it_was(backend, pg_server, demo_path):
    from data.store.core import NotAGridWatchStore
    from data.store.transfer import create_office_from
    url = pg_server.url(pg_server.new_database(postgis=False))

    def progress(table, done, total):
        if table == "case_events" and done:
            raise KeyboardInterrupt  # someone pressed Ctrl+C half-way
    with pytest.raises(KeyboardInterrupt):
        create_office_from(url, demo_path, progress=progress)
    with pytest.raises(NotAGridWatchStore, match="gridwatch office create"):
        open_store(url)
    store, report = create_office_from(url, demo_path)  # and it can simply be run again
    assert report.counts["case_events"] > 1000
    store.close()


@pytest.mark.office_only
def test_each_kind_of_change_is_notified_at_commit(backend, demo_copy):
    from data.store.changes import ChangeListener
    got: list[tuple[str, str]] = []
    listener = ChangeListener(str(demo_copy), lambda kind, payload: got.append((kind, payload))).start()
    try:
        assert listener.connected.wait(10)
        store = open_store(demo_copy)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO fixes (device_id, team_id, t, lon, lat, received_at) "
                                 "VALUES ('n', 1, now(), 108.38, 30.81, now())")
            assert not [k for k, _ in got if k == "fixes"]  # nothing before the commit ...
        inc = create_incident(store, category="public_order", subcategory="public_order.fight", priority="urgent",
                              source="hotline", lon=108.38, lat=30.815, actor=who(store, "刘建平"), at=AT)
        with store.engine.begin() as conn:
            conn.exec_driver_sql("UPDATE grid_sets SET note = note")
            conn.exec_driver_sql("UPDATE tracker_devices SET team_id = team_id WHERE id = 1")
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not {"fixes", "cases", "grids", "devices"} <= {k for k, _ in got}:
            time.sleep(0.05)
        assert ("cases", str(inc.id)) in got  # ... the case's id in its notification
        assert {"fixes", "grids", "devices"} <= {k for k, _ in got}
        store.close()
    finally:
        listener.stop()


def test_two_processes_numbering_cases_at_once_never_give_one_number_twice(backend, demo_copy):
    script = textwrap.dedent("""
        import sys, time
        from datetime import datetime, timedelta, timezone
        from data.store.core import open_store
        from data.cases.dispatch import create_incident
        from tests.conftest import who, DEMO_UNTIL
        store = open_store(sys.argv[1])
        me = who(store, sys.argv[2])
        time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
        for k in range(25):
            inc = create_incident(store, category="traffic", subcategory="traffic.parking", priority="low", source="patrol",
                                  lon=108.38, lat=30.815, actor=me, at=DEMO_UNTIL + timedelta(minutes=1))
            print(inc.case_no, flush=True)
    """)
    start = str(time.time() + 3)
    seats = [subprocess.Popen([sys.executable, "-c", script, str(demo_copy), name, start], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for name in ("刘建平", "周晓燕")]
    outs = [seat.communicate(timeout=180) for seat in seats]
    assert all(seat.returncode == 0 for seat in seats), [o[1][-500:] for o in outs]
    numbers = [n for out, _err in outs for n in out.split()]
    assert len(numbers) == 50 and len(set(numbers)) == 50  # every case its own number, whoever logged it
    tails = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert tails == list(range(tails[0], tails[0] + 50))  # and the day's numbers run on without a gap


@pytest.mark.office_only
def test_two_feeds_on_one_office_store_what_they_acknowledge_and_never_fail_each_other(backend, demo_copy):
    with session_of(str(demo_copy)) as s:
        devs = list(s.scalars(select(m.TrackerDevice.device_id).order_by(m.TrackerDevice.device_id).limit(20)))
    ports, feeds = [], []
    for _ in range(2):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            ports.append(probe.getsockname()[1])
        # Every tracker reports from 127.0.0.1 here: the unknown ids' limit per address is raised above the test's 60.
        feeds.append(subprocess.Popen([sys.executable, "-m", "console.cli", "feed", "--store", str(demo_copy), "--listen",
                                       f"127.0.0.1:{ports[-1]}", "--unknown-per-minute", "1000"],
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    began = datetime.now(timezone.utc)
    statuses: list[int] = []
    t0 = int(time.time()) - 3600
    try:
        for f, port in zip(feeds, ports):
            assert f"127.0.0.1:{port}" in f.stdout.readline()

        def tracker(k: int, dev: str) -> None:
            conns = [http.client.HTTPConnection("127.0.0.1", p, timeout=30) for p in ports]
            for j in range(30):  # each fix to one feed, alternately, and a few new unknown ids on both
                c = conns[j % 2]
                c.request("GET", f"/?id={dev}&lat=30.81&lon={108.38 + j * 1e-5:.5f}&timestamp={t0 + j}")
                r = c.getresponse()
                r.read()
                statuses.append(r.status)
                if j % 10 == 0:
                    c.request("GET", f"/?id=stranger-{j}&lat=30.81&lon=108.38&timestamp={t0 + j}")
                    r = c.getresponse()
                    r.read()
            for c in conns:
                c.close()
        threads = [threading.Thread(target=tracker, args=(k, d)) for k, d in enumerate(devs)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
    finally:
        for f in feeds:
            f.send_signal(2)
            f.communicate(timeout=20)
    assert statuses.count(200) == 20 * 30 and not [s for s in statuses if s >= 500]
    with session_of(str(demo_copy)) as s:
        stored = s.scalar(select(func.count()).select_from(m.Fix).where(m.Fix.received_at >= began))
        strangers = dict(s.execute(select(m.UnknownDevice.device_id, m.UnknownDevice.reports)
                                   .where(m.UnknownDevice.device_id.like("stranger-%"))).all())
    assert stored == 20 * 30
    assert strangers == {"stranger-0": 20, "stranger-10": 20, "stranger-20": 20}  # counted by both feeds, none lost


@pytest.mark.office_only
def test_pooled_connections_the_server_dropped_are_replaced_not_refused(backend, demo_copy, pg_server):
    """After the server drops every connection (a restart, a cut), the next read takes a new one: the
    pool's check of a dropped connection must stay a disconnect to SQLAlchemy, which then reconnects
    (turned into "the office cannot be reached" there, the seat refused its first action after the
    server came back)."""
    import psycopg
    from sqlalchemy import text
    store = open_store(demo_copy)
    try:
        conns = [store.engine.connect() for _ in range(3)]  # three pooled connections, all to be dropped
        for c in conns:
            c.execute(text("SELECT 1"))
        for c in conns:
            c.close()
        with psycopg.connect(pg_server.admin_url, autocommit=True) as admin:
            gone = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                 "WHERE datname = %s AND pid <> pg_backend_pid()", (make_url(str(demo_copy)).database,)).fetchone()[0]
        assert gone >= 3
        for _ in range(4):  # every pooled connection in turn
            with store.engine.connect() as c:
                assert c.execute(text("SELECT count(*) FROM teams")).scalar() > 0
    finally:
        store.close()
