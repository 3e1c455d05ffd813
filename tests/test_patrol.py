"""Patrol coverage from a team's own track (issue 16), on hand-made tracks with known answers."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from data.patrol.coverage import Track, checkpoints_reached, dwell_s, gaps, line_walked, without_jumps

# The tests on the demo run on a GeoPackage and on PostgreSQL (tests/conftest.py); the geometry ones on neither.
pytestmark = pytest.mark.both_backends

STEP_S = 10.0
SPEED = 1.4  # m/s, on foot


def walk(path: shapely.LineString, start_m: float = 0.0, end_m: float | None = None, t0: float = 0.0,
         noise_m: float = 0.0, seed: int = 1) -> Track:
    """A fix every 10 s walking along `path` from start_m to end_m (backwards when end < start)."""
    end_m = path.length if end_m is None else end_m
    n = int(abs(end_m - start_m) / (SPEED * STEP_S)) + 1
    s = np.linspace(start_m, end_m, n)
    pts = shapely.line_interpolate_point(path, s)
    x, y = shapely.get_x(pts), shapely.get_y(pts)
    if noise_m:
        rng = np.random.default_rng(seed)
        ang, r = rng.uniform(0, 2 * np.pi, n), noise_m * np.sqrt(rng.uniform(0, 1, n))  # anywhere within noise_m
        x, y = x + r * np.cos(ang), y + r * np.sin(ang)
    return Track.of(t0 + np.arange(n) * STEP_S, x, y)


ROUTE = shapely.LineString([(0, 0), (600, 0), (600, 400)])  # 1,000 m, one corner


def test_a_route_walked_whole_forwards_or_backwards_is_covered_whole():
    fwd = line_walked(ROUTE, walk(ROUTE))
    back = line_walked(ROUTE, walk(ROUTE, ROUTE.length, 0.0))
    assert fwd.planned_m == pytest.approx(1000.0)
    assert fwd.fraction > 0.99 and back.fraction > 0.99


def test_half_a_route_walked_is_half_covered():
    half = line_walked(ROUTE, walk(ROUTE, 0.0, 500.0))
    assert half.fraction == pytest.approx(0.5, abs=0.04)  # the tolerance reaches a few metres past where they turned


def test_gps_noise_of_15_m_does_not_lose_the_route():
    noisy = line_walked(ROUTE, walk(ROUTE, noise_m=15.0))
    assert noisy.fraction > 0.97


def test_a_gap_in_the_track_is_not_counted_as_walked():
    t = walk(ROUTE)
    cut = (t.t < 300) | (t.t > 480)  # the phone silent for 3 minutes: ~250 m unseen
    gap_track = Track(t.t[cut], t.x[cut], t.y[cut])
    cov = line_walked(ROUTE, gap_track)
    assert 0.70 < cov.fraction < 0.82
    assert gaps(gap_track.t, 0.0, t.t[-1]) == [(pytest.approx(290.0), pytest.approx(490.0))]


def test_a_fix_jumping_across_the_river_walks_nothing_and_reaches_nothing_there():
    # The route goes out along the north bank and back along the south bank (a bridge at x = 1000).
    route = shapely.LineString([(0, 0), (1000, 0), (1000, -200), (0, -200)])
    t = walk(shapely.LineString([(0, 0), (1000, 0)]))  # only the north bank is walked
    x, y = t.x.copy(), t.y.copy()
    k = len(x) // 2
    x[k], y[k] = x[k], -200.0  # one fix across the river, on the south bank's path
    jumpy = Track(t.t, x, y)
    assert len(without_jumps(jumpy)) == len(t) - 1
    cov = line_walked(route, jumpy)
    assert cov.fraction == pytest.approx(1000 / 2200, abs=0.03)
    north, south = (500.0, 0.0), (float(x[k]), -200.0)
    reached = checkpoints_reached(np.array([north, south]), jumpy)
    assert reached[0] is not None and reached[1] is None


def test_an_area_s_streets_count_the_share_walked():
    streets = shapely.MultiLineString([[(0, 0), (400, 0)], [(0, 100), (400, 100)], [(0, 200), (400, 200)],
                                       [(200, 0), (200, 200)]])  # 1,400 m of streets
    track = walk(shapely.LineString([(0, 0), (400, 0)]))
    second = walk(shapely.LineString([(0, 100), (400, 100)]), t0=track.t[-1] + 600)  # after a 10-min break
    both = Track.of(np.concatenate([track.t, second.t]), np.concatenate([track.x, second.x]), np.concatenate([track.y, second.y]))
    cov = line_walked(streets, both)
    # Two of the three streets walked, and where they cross the middle street, the tolerance's worth of it.
    assert cov.fraction == pytest.approx((800 + 2 * 30) / 1400, abs=0.03)


def test_a_stake_out_is_held_for_the_time_inside_its_radius():
    rng = np.random.default_rng(3)
    t = np.arange(0, 1800, STEP_S)  # 30 min: 20 min at the post, then walking away
    at_post = t < 1200
    x = np.where(at_post, rng.normal(0, 8, len(t)), (t - 1200) * SPEED + 60)
    y = np.where(at_post, rng.normal(0, 8, len(t)), 0.0)
    assert dwell_s((0.0, 0.0), Track.of(t, x, y)) == pytest.approx(1190, abs=20)


def test_nothing_walked_with_no_fixes_or_one():
    assert line_walked(ROUTE, Track.of([], [], [])).fraction == 0.0
    assert line_walked(ROUTE, Track.of([0.0], [0.0], [0.0])).fraction == 0.0
    assert gaps(Track.of([], [], []).t, 0.0, 600.0) == [(0.0, 600.0)]


# --- plans in a store, their windows, coverage from stored fixes, alerts, the command line ----------------

from datetime import date, datetime, timedelta, timezone  # noqa: E402

from sqlalchemy import func, insert, select  # noqa: E402

from data.domain import LOCAL_TZ  # noqa: E402
from data.store import models as m  # noqa: E402
from tests.conftest import who  # noqa: E402

DAY = date(2026, 12, 1)  # a Tuesday after the demo's fixes end: every fix that day is the test's own


def _team(store, transport="foot") -> tuple[int, str]:
    with store.session() as s:
        t = s.scalars(select(m.Team).where(m.Team.transport == transport).order_by(m.Team.id)).first()
        return t.id, t.code


def _centres(store, codes) -> np.ndarray:
    from data.snapshot import load_grids
    grids = load_grids(store)
    have = list(grids.column("code"))
    return np.array([[grids.geoms[have.index(c)].centroid.x, grids.geoms[have.index(c)].centroid.y] for c in codes])


def _store_walk(store, team_id: int, line: shapely.LineString, start: datetime, fraction: float = 1.0,
                device: str = "TEST-WALK") -> None:
    """Fixes every 10 s walking the first `fraction` of a line (map metres) from `start`."""
    n = int(line.length * fraction / (SPEED * STEP_S)) + 1
    pts = shapely.line_interpolate_point(line, np.linspace(0, line.length * fraction, n))
    lon, lat = store.projection.xy_to_lonlat(shapely.get_x(pts), shapely.get_y(pts))
    rows = [dict(device_id=device, team_id=team_id, t=start + timedelta(seconds=STEP_S * k), lon=float(lon[k]), lat=float(lat[k]),
                 received_at=start + timedelta(seconds=STEP_S * k)) for k in range(n)]
    with store.engine.begin() as conn:
        conn.execute(insert(m.Fix), rows)


@pytest.fixture
def plan_store(demo_copy):
    from data.store.core import open_store
    store = open_store(demo_copy)
    yield store
    store.close()


def test_windows_follow_days_hours_midnight_and_exceptions(plan_store):
    from data.patrol.plans import add_exception, add_plan, exceptions, plans, windows
    store = plan_store
    planner = who(store, "冉小东")
    team, _ = _team(store)
    pid = add_plan(store, name="夜市巡逻", kind="stakeout", geom=shapely.Point(*_centres(store, ["FS-03"])[0]), by=planner,
                   team_id=team, days="2345", start_min=20 * 60, end_min=2 * 60, key=True, valid_from=DAY)
    plan = next(p for p in plans(store) if p.id == pid)
    assert plan.overnight and plan.target_pct == 100
    week = windows(plan, datetime(2026, 11, 30, tzinfo=LOCAL_TZ), datetime(2026, 12, 7, tzinfo=LOCAL_TZ))
    # Tue to Fri from 20:00 to 02:00 the next morning, office time.
    assert [(a.astimezone(LOCAL_TZ).strftime("%a %H:%M"), b.astimezone(LOCAL_TZ).strftime("%a %H:%M")) for a, b in week] == \
        [("Tue 20:00", "Wed 02:00"), ("Wed 20:00", "Thu 02:00"), ("Thu 20:00", "Fri 02:00"), ("Fri 20:00", "Sat 02:00")]
    add_exception(store, pid, date(2026, 12, 2), by=planner, cancelled=True, reason="元旦调休")
    add_exception(store, pid, date(2026, 12, 3), by=planner, start_min=18 * 60, end_min=23 * 60, reason="活动")
    week = windows(plan, datetime(2026, 11, 30, tzinfo=LOCAL_TZ), datetime(2026, 12, 7, tzinfo=LOCAL_TZ), exceptions(store))
    assert [a.astimezone(LOCAL_TZ).strftime("%a %H:%M") for a, _ in week] == ["Tue 20:00", "Thu 18:00", "Fri 20:00"]


def test_a_plan_is_refused_with_a_reason_and_only_for_those_who_plan(plan_store):
    from data.accounts import AuthError
    from data.patrol.plans import PatrolError, add_plan
    store = plan_store
    team, _ = _team(store)
    point = shapely.Point(*_centres(store, ["FS-03"])[0])
    common = dict(kind="stakeout", geom=point, team_id=team, start_min=480, end_min=600, valid_from=DAY)
    with pytest.raises(AuthError):
        add_plan(store, name="x", by=who(store, "刘建平"), **common)  # a dispatcher does not plan patrols
    planner = who(store, "冉小东")
    for bad, code in ((dict(name=" "), "patrol.no_name"), (dict(days="89"), "patrol.bad_days"),
                      (dict(start_min=600, end_min=600), "patrol.bad_hours"),
                      (dict(kind="route"), "patrol.bad_geometry"), (dict(team_kind="police_patrol"), "patrol.team_or_kind"),
                      (dict(target_pct=0), "patrol.bad_target")):
        args = {**common, "name": "x", **bad}
        with pytest.raises(PatrolError) as exc:
            add_plan(store, by=planner, **args)
        assert exc.value.code == code


def test_coverage_of_a_route_from_the_stored_track_whole_half_and_not_walked(plan_store):
    from data.patrol.plans import add_plan, route_through
    from data.patrol.report import coverage
    store = plan_store
    planner = who(store, "冉小东")
    team, _ = _team(store)
    other, _ = _team(store, "ebike")
    route, order = route_through(store, _centres(store, ["FS-03", "FS-04", "FS-05"]), closed=True)
    assert route.length > 300 and len(order) == 3
    whole = add_plan(store, name="白班环线", kind="route", geom=route, checkpoints=order, by=planner, team_id=team,
                     start_min=9 * 60, end_min=10 * 60 + 30, valid_from=DAY, valid_to=DAY)
    half = add_plan(store, name="电动车环线", kind="route", geom=route, checkpoints=order, by=planner, team_id=other,
                    start_min=9 * 60, end_min=10 * 60 + 30, valid_from=DAY, valid_to=DAY)
    start = datetime(2026, 12, 1, 9, 5, tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    _store_walk(store, team, route, start)
    _store_walk(store, other, route, start + timedelta(minutes=25), fraction=0.5, device="TEST-HALF")
    rep = coverage(store, datetime(2026, 12, 1, tzinfo=LOCAL_TZ), datetime(2026, 12, 2, tzinfo=LOCAL_TZ))
    by_plan = {w.plan_id: w for w in rep.windows}
    assert by_plan[whole].pct > 97 and by_plan[whole].met and by_plan[whole].reached == 3
    assert by_plan[whole].started_at == start and not by_plan[whole].late_start
    assert 45 < by_plan[half].pct < 56 and not by_plan[half].met and by_plan[half].late_start  # began 30 min in
    assert rep.by_team()[team]["met"] == 1
    assert set(rep.by_grid()) >= {"FS-03", "FS-04", "FS-05"}


def test_alerts_a_route_not_started_and_a_key_area_empty(plan_store):
    from data.patrol.plans import add_plan, area_from_grids
    from data.patrol.report import alerts
    store = plan_store
    planner = who(store, "冉小东")
    team, _ = _team(store)
    area = area_from_grids(store, ["FS-03"])
    pid = add_plan(store, name="重点小区", kind="area", geom=area, grid_codes=("FS-03",), by=planner, team_id=team, key=True,
                   start_min=20 * 60, end_min=2 * 60, valid_from=DAY)
    at = datetime(2026, 12, 1, 20, 20, tzinfo=LOCAL_TZ).astimezone(timezone.utc)
    ours = lambda: [a for a in alerts(store, at) if a.plan_id == pid]  # noqa: E731 (the demo's own plans alert too)
    assert {a.code for a in ours()} == {"patrol.not_started", "patrol.key_area_empty"}
    inside = area.representative_point()
    _store_walk(store, team, shapely.LineString([(inside.x, inside.y), (inside.x + 5, inside.y)]), at - timedelta(minutes=3))
    assert ours() == []


def test_the_coverage_command_prints_json_and_refuses_a_bad_range(plan_store, demo_copy):
    import subprocess
    import sys
    from data.patrol.plans import add_plan
    store = plan_store
    team, _ = _team(store)
    pid = add_plan(store, name="定点守候", kind="stakeout", geom=shapely.Point(*_centres(store, ["FS-03"])[0]), by=who(store, "冉小东"),
                   team_id=team, start_min=9 * 60, end_min=10 * 60, valid_from=DAY, valid_to=DAY)
    r = subprocess.run([sys.executable, "-m", "console.cli", "coverage", "--store", str(demo_copy), "--from", "2026-12-01",
                        "--to", "2026-12-01", "--plan", str(pid), "--json"], capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr
    doc = __import__("json").loads(r.stdout)
    assert [w["name"] for w in doc["windows"]] == ["定点守候"] and doc["windows"][0]["pct"] == 0.0
    assert doc["windows"][0]["late_start"] is True
    bad = subprocess.run([sys.executable, "-m", "console.cli", "coverage", "--store", str(demo_copy), "--from", "2026-12-05",
                          "--to", "2026-12-01"], capture_output=True, text=True)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr and "after --from" in bad.stderr


DEMO_MONDAY = datetime(2026, 11, 23, tzinfo=LOCAL_TZ)


def test_a_week_measured_a_day_at_a_time_is_the_week_measured_whole(plan_store, monkeypatch):
    from data.patrol import report
    from tests.conftest import DEMO_UNTIL
    daily = report.coverage(plan_store, DEMO_MONDAY, DEMO_UNTIL)
    monkeypatch.setattr(report, "CHUNK", timedelta(days=30))  # the whole week in one read
    whole = report.coverage(plan_store, DEMO_MONDAY, DEMO_UNTIL)
    key = lambda w: (w.plan_id, w.start)  # noqa: E731
    assert [key(w) for w in daily.windows] == [key(w) for w in whole.windows]
    assert len({key(w) for w in daily.windows}) == len(daily.windows) > 0  # each window once, the night's too
    assert any(local.date() != w.start.astimezone(LOCAL_TZ).date() for w in daily.windows
               for local in [w.end.astimezone(LOCAL_TZ)])
    for a, b in zip(daily.windows, whole.windows):
        assert a.pct == pytest.approx(b.pct) and a.reached == b.reached and a.started_at == b.started_at


def test_the_demo_s_teams_follow_their_plans_with_a_few_misses_and_one_team_not_out_now(plan_store):
    from data.patrol.report import alerts, coverage
    from tests.conftest import DEMO_UNTIL
    week = coverage(plan_store, DEMO_MONDAY, DEMO_UNTIL)
    met = [w for w in week.windows if w.met]
    assert 0.8 <= len(met) / len(week.windows) < 1.0  # mostly met
    routes_half = [w for w in week.windows if w.kind == "route" and 40 < w.pct < 80]
    held_short = [w for w in week.windows if w.kind == "stakeout" and not w.met]
    late_but_walked = [w for w in week.windows if w.started_at and w.late_start and w.met]
    assert routes_half and held_short and late_but_walked
    now = alerts(plan_store, DEMO_UNTIL)
    assert [a.code for a in now] == ["patrol.not_started"]
    # It is not out: no fix of its team since its window began.
    with plan_store.session() as s:
        n = s.scalar(select(func.count()).select_from(m.Fix).where(m.Fix.team_id.in_(now[0].team_ids),
                                                                    m.Fix.t >= now[0].since - timedelta(minutes=15)))
    assert n == 0


def test_the_monthly_report_has_coverage_by_team_grid_and_key_plan(plan_store, tmp_path, app):
    import openpyxl
    from pypdf import PdfReader
    from console.report_pdf import write_month_pdf
    from data.reports import month_report, write_month_xlsx
    from data.snapshot import load_grids
    from tests.conftest import DEMO_UNTIL
    store = plan_store
    reader = who(store, "谭海")
    rep = month_report(store, "2026-11", reader=reader, now=DEMO_UNTIL)
    assert rep.patrol.windows and all(w.end <= DEMO_UNTIL and not w.in_progress for w in rep.patrol.windows)
    out = write_month_xlsx(store, "2026-11", tmp_path / "m.xlsx", reader=reader, report=rep)
    ws = openpyxl.load_workbook(out)["巡逻覆盖"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    team_head = next(i for i, r in enumerate(rows) if r[0] == "按队伍")
    block = rows[team_head + 1:]
    block = block[:next(i for i, r in enumerate(block) if r[0] is None)]  # up to the blank row before the grids
    teams = {r[0]: r for r in block}
    by_team = rep.patrol.by_team()
    assert len(teams) == len(block) == len(by_team)
    for team_id, g in by_team.items():
        row = teams[rep.team_labels[team_id]]
        assert (row[1], row[2]) == (g["windows"], g["met"]) and row[3].startswith("=IF(")
    assert any(r[0] == "重点计划" for r in rows)
    pdf = write_month_pdf(store, rep, tmp_path / "m.pdf", lang="zh_CN")
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "巡逻计划覆盖" in text and rep.team_labels[next(iter(by_team))].split()[0] in text
    # One community's report: only the windows in its grids.
    grids = load_grids(store, DEMO_UNTIL)
    community_of = dict(zip(grids.column("code"), grids.column("community")))
    one = community_of[rep.patrol.windows[0].grid_codes[0]]
    mine = month_report(store, "2026-11", reader=reader, community=one, now=DEMO_UNTIL)
    assert mine.patrol.windows and all(any(community_of[g] == one for g in w.grid_codes) for w in mine.patrol.windows)
    assert len(mine.patrol.windows) < len(rep.patrol.windows)
