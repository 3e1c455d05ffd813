"""Replay in the real window: open a window, drive the slider and play, check the map against the
raw tables, switch grid sets at a version's effective time, export, and return to live."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt

from data.grids import sets as G
from tests.conftest import DEMO_UNTIL, who


def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@pytest.fixture
def win(open_window, demo_copy):
    return open_window(demo_copy)


def test_slider_play_and_the_map_at_time_t(win, qtbot, demo_copy, tmp_path):
    panel = win.replay_panel
    start, end = DEMO_UNTIL - timedelta(minutes=14), DEMO_UNTIL
    panel.open_window(start, end)
    assert panel.wait_built()
    assert win.replay.active and win.live.paused and not win.dock_replay.isHidden()
    # The timeline says what its lines are: one legend entry per stage drawn, in the user's language,
    # and the event ticks; and it is tall enough to read.
    from data.domain import STAGES
    labels = [label.text for _sample, label in panel.legend.items]
    assert len(labels) >= 2 and "case events (click one to go there)" in labels
    assert set(labels[:-1]) <= {t.en for t in STAGES.values()}
    assert panel.plot.height() >= 180
    # Halfway on the slider: every team stands at its last fix before that time.
    panel.slider.setValue(5000)
    t = panel.t
    assert abs((t - (start + (end - start) / 2)).total_seconds()) < 1
    teams = win.canvas.layer("teams")
    con = sqlite3.connect(demo_copy)
    checked = 0
    for k, tid in enumerate(teams.features.column("id")):
        row = con.execute("SELECT lon, lat FROM fixes WHERE team_id=? AND t<=? AND t>=? ORDER BY t DESC LIMIT 1",
                          (tid, iso(t), iso(start - timedelta(minutes=20)))).fetchone()
        if row:
            x, y = win.projection.lonlat_to_xy(*row)
            assert tuple(teams.xy[k]) == pytest.approx((float(x), float(y)), abs=1e-6)
            assert teams.features.column("status")[k] != "offline"
            checked += 1
    assert checked > 100
    # The case board shows the cases open at t.
    assert {r.id for r in win.case_board.rows} == {i for i, (st, _s, _t) in panel.index.stages_at(t).items()
                                                  if st not in ("closed", "voided")}
    # Play at 600x for a moment: the clock moves forward.
    panel.speed.setCurrentIndex(panel.speed.findData(600))
    panel.toggle_play()
    qtbot.waitUntil(lambda: panel.t > t + timedelta(seconds=60), timeout=3000)
    panel.toggle_play()
    t2 = panel.t
    panel.step(-1)
    assert panel.t == t2 - timedelta(seconds=10 * 600) or panel.t == panel.index.start
    # Exports.
    panel.export("png", str(tmp_path / "map.png"))
    panel.export("geojson", str(tmp_path / "state.geojson"))
    assert (tmp_path / "map.png").stat().st_size > 10000
    assert json.loads((tmp_path / "state.geojson").read_text())["features"]
    # Back to live.
    panel.exit_replay()
    assert not win.replay.active and not win.live.paused and win.dock_replay.isHidden()


def test_grid_set_in_force_switches_at_its_effective_time(win, qtbot):
    store = win.store
    eff = DEMO_UNTIL - timedelta(minutes=30)
    draft = G.create_draft(store, "merge two", at=eff - timedelta(days=1), by=who(store, "冉小东"))
    data = G.load_grid_set(store, draft)
    i, j = next((a, b) for a in range(len(data.codes)) for b in range(a + 1, len(data.codes))
                if data.geoms[a].intersection(data.geoms[b]).length > 50)
    from data.grids.edit import merge_grids
    G.save_draft(store, draft, merge_grids(data, i, j), by=who(store, "冉小东"))
    G.publish(store, draft, eff, by=who(store, "冉小东"))
    panel = win.replay_panel
    panel.open_window(eff - timedelta(minutes=20), eff + timedelta(minutes=20))
    assert panel.wait_built()
    panel.seek(eff - timedelta(minutes=1))
    assert len(win.canvas.layer("grids").features) == 101
    panel.seek(eff + timedelta(minutes=1))
    assert len(win.canvas.layer("grids").features) == 100
    panel.exit_replay()


def test_an_overlong_window_is_refused_and_an_empty_one_says_so(win):
    panel = win.replay_panel
    panel.open_window(DEMO_UNTIL - timedelta(days=45), DEMO_UNTIL)
    panel.wait_built()
    assert not win.replay.active and "31 days" in panel.message.text()
    from datetime import datetime, timezone
    far = datetime(2021, 3, 1, tzinfo=timezone.utc)
    panel.open_window(far, far + timedelta(hours=1))
    assert panel.wait_built()
    assert "Nothing happened" in panel.message.text()
    panel.exit_replay()


def test_incident_replay_shows_its_stages_against_their_limits(win, qtbot, tmp_path):
    from sqlalchemy import select
    from data.store import models as m
    with win.store.session() as s:
        iid = s.scalars(select(m.CaseEvent.incident_id).where(m.CaseEvent.to_stage == "closed",
                                                              m.CaseEvent.t > DEMO_UNTIL - timedelta(days=20))).first()
        case_no = s.get(m.Incident, iid).case_no
    # A case closed days ago is on neither the board nor the map: the dispatcher finds it by number
    # (Ctrl+F, type, Enter), which opens it in the case panel, and replays it from there.
    assert iid not in list(win.canvas.layer("incidents").features.column("id"))
    qtbot.keyClicks(win.search, case_no)
    qtbot.keyClick(win.search, Qt.Key_Return)
    assert win.dispatch.current_case == iid and case_no in win.status_message.text()
    panel = win.replay_panel
    qtbot.mouseClick(panel.incident_button, Qt.LeftButton)
    assert panel.wait_built() and panel.incident_id == iid
    assert "Recommended then" in panel.review.text()
    assert panel.last_review.assigned and panel.last_review.travel_s is not None
    assert "arrived after" in panel.review.text()
    stages = [b[0] for b in panel.bands]
    assert stages[:3] == ["reported", "accepted", "dispatched"]
    assert all(isinstance(b[4], bool) for b in panel.bands)
    panel.export("csv", str(tmp_path / "case.csv"))
    lines = (tmp_path / "case.csv").read_text().splitlines()
    assert lines[0].startswith("time_utc") and len(lines) == len(panel.bands) + 2
    panel.exit_replay()


def test_the_window_defaults_to_the_last_hour_in_office_time_and_the_axis_speaks_digits(win):
    from data.domain import LOCAL_TZ
    panel = win.replay_panel
    end = panel.end_edit.dateTime().toPython()
    office_now = win.clock().astimezone(LOCAL_TZ).replace(tzinfo=None)
    assert abs((office_now - end).total_seconds()) < 120  # this machine runs in UTC: 8 hours off before
    assert (end - panel.start_edit.dateTime().toPython()).total_seconds() == 3600
    from console.replay_panel import OfficeTimeAxis
    t = DEMO_UNTIL.timestamp()
    labels = OfficeTimeAxis(orientation="bottom").tickStrings([t, t + 86400], 1.0, 86400) + \
        OfficeTimeAxis(orientation="bottom").tickStrings([t], 1.0, 600)
    assert all(not any(c.isalpha() for c in label) for label in labels), labels
