"""The house: the store passes GDAL's GeoPackage validator and keeps R-tree indexes, old stores are
upgraded to it, layers tell their painters when they change and renders draw snapshots, the office
time zone has one home, refusals reach the user translated, and failures are logged."""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import numpy as np
import pytest
import shapely
from PySide6.QtCore import Qt

from data.store.core import SCHEMA_VERSION, open_store
from tests.conftest import who, DEMO_UNTIL

ROOT = Path(__file__).resolve().parent.parent
VALIDATOR = next((p for p in (Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"),
                              Path("/usr/share/doc/python3-gdal/examples/validate_gpkg.py")) if p.exists()), None)
SYSTEM_PYTHON = shutil.which("python3", path="/usr/bin:/bin")


def validate(path: Path) -> str:
    """GDAL's own GeoPackage conformance checker (Debian: python3-gdal); '' when the file passes."""
    if VALIDATOR is None or SYSTEM_PYTHON is None:
        pytest.skip("GDAL's validate_gpkg.py is not installed (Debian: apt-get install python3-gdal)")
    r = subprocess.run([SYSTEM_PYTHON, str(VALIDATOR), "-k", "--warning-as-error", str(path)],
                       capture_output=True, text=True, timeout=300)
    return (r.stdout + r.stderr).strip() if r.returncode else ""


def test_demo_store_passes_gdals_geopackage_validator(demo_copy):
    s = open_store(demo_copy)
    from data.store.core import checkpoint
    checkpoint(s)  # GDAL reads the main file
    s.close()
    assert validate(demo_copy) == ""


def test_feature_tables_have_rtree_indexes_kept_current(demo_copy):
    s = open_store(demo_copy)
    from data.store import models as m
    from data.store.models import spatial_tables
    with s.engine.connect() as c:
        ext = {r[0] for r in c.exec_driver_sql("SELECT table_name FROM gpkg_extensions WHERE extension_name='gpkg_rtree_index'")}
        assert ext == set(spatial_tables())
        for t, (col, _) in spatial_tables().items():
            n_rows = c.exec_driver_sql(f"SELECT count(*) FROM {t}").scalar()
            n_idx = c.exec_driver_sql(f"SELECT count(*) FROM rtree_{t}_{col}").scalar()
            assert n_rows == n_idx, t
    # A building written through the store lands in its index where it is.
    with s.session() as ses, ses.begin():
        b = m.Building(floors=3, kind="residential", geom=shapely.box(108.001, 30.001, 108.002, 30.002))
        ses.add(b)
        ses.flush()
        bid = b.id
    with s.engine.connect() as c:
        row = c.exec_driver_sql(f"SELECT minx, maxx, miny, maxy FROM rtree_buildings_geom WHERE id={bid}").one()
    assert np.allclose(row, (108.001, 108.002, 30.001, 30.002), atol=1e-5)
    s.close()


def _make_schema_3(path: Path) -> None:
    """Turn a current store back into what GridWatch wrote before schema 4 (text keys, no R-trees;
    nor schema 5's street access columns and import log)."""
    con = sqlite3.connect(path)
    con.executescript("""
        DROP TABLE IF EXISTS tmp;
        DROP TABLE alembic_version; DROP INDEX ix_fixes_device_t; DROP INDEX ix_case_events_team_t;
        CREATE TABLE feed_counters_old (reason VARCHAR(32) NOT NULL PRIMARY KEY, count INTEGER NOT NULL, updated_at DATETIME NOT NULL);
        INSERT INTO feed_counters_old SELECT reason, count, updated_at FROM feed_counters;
        DROP TABLE feed_counters; ALTER TABLE feed_counters_old RENAME TO feed_counters;
        INSERT OR REPLACE INTO feed_counters VALUES ('accepted', 41, '2026-11-01T00:00:00.000Z');
        INSERT INTO gpkg_contents (table_name, data_type, identifier) VALUES ('gridwatch_meta', 'attributes', 'gridwatch_meta');
        UPDATE gridwatch_meta SET value='3' WHERE key='schema_version';
    """)
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='trigger' AND name LIKE 'rtree_%'").fetchall():
        con.execute(f"DROP TRIGGER {name}")
    for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'rtree_%' AND sql LIKE 'CREATE VIRTUAL%'").fetchall():
        con.execute(f"DROP TABLE {name}")
    con.execute("DROP TABLE gpkg_extensions")
    for mode in ("foot", "ebike", "car"):
        con.execute(f"ALTER TABLE street_segments DROP COLUMN {mode}")
    con.execute("DELETE FROM gpkg_contents WHERE table_name='import_log'")
    con.execute("DROP TABLE import_log")
    # Nor schema 7's key areas (a feature table).
    con.execute("DELETE FROM gpkg_geometry_columns WHERE table_name='key_areas'")
    con.execute("DELETE FROM gpkg_contents WHERE table_name='key_areas'")
    con.execute("DROP TABLE key_areas")
    # Nor schema 13's rota nor schema 12's patrol plans (revisions 0013 and 0012 add them).
    for table in ("shift_swaps", "shifts", "patrol_exceptions", "patrol_plans"):
        con.execute(f"DELETE FROM gpkg_contents WHERE table_name='{table}'")
        con.execute(f"DELETE FROM gpkg_geometry_columns WHERE table_name='{table}'")
        con.execute(f"DROP TABLE {table}")
    # Nor schema 9's ledgers (revision 0009 adds them).
    from data.store.models import LEDGER_TABLES
    for table in reversed(LEDGER_TABLES):
        con.execute(f"DELETE FROM gpkg_contents WHERE table_name='{table}'")
        con.execute(f"DROP TABLE {table}")
    con.commit()
    con.close()


def test_an_older_store_is_upgraded_to_a_valid_geopackage(demo_copy):
    _make_schema_3(demo_copy)
    # Nothing changes a store's schema by itself: the console and every command refuse it, naming the command.
    from data.store.core import StoreNeedsMigration, migrate_store
    with pytest.raises(StoreNeedsMigration, match="gridwatch migrate"):
        open_store(demo_copy)
    s, done = migrate_store(demo_copy)
    assert [rev for rev, _ in done.steps] == ["legacy", "0008", "0009", "0010", "0011", "0012", "0013"]
    assert s.meta["schema_version"] == str(SCHEMA_VERSION)
    from data.feeds.devices import feed_state
    counters, _ = feed_state(s)
    assert counters["accepted"] == 41  # rows kept through the rebuild
    # Schema 5: every street of an older store is open to everyone, and imports are logged.
    from data.routing.recommender import RoadGraph
    g = RoadGraph.from_store(s)
    assert len(g.a) > 1000 and all(g.access[mode].all() for mode in ("foot", "ebike", "car"))
    from data.district.imports import import_history
    assert import_history(s) == []
    # Schema 7: the key areas table is a layer (features with a geometry column), and usable.
    from sqlalchemy import text
    with s.session() as ses:
        kinds = dict(ses.execute(text("SELECT table_name, data_type FROM gpkg_contents")).all())
        geo = ses.execute(text("SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name='key_areas'")).scalar()
    assert kinds["key_areas"] == "features" and geo == "MULTIPOLYGON"
    from datetime import date
    from data.hotspots import add_key_area, key_areas
    from data.snapshot import load_grids
    add_key_area(s, name="测试区", geom=load_grids(s).geoms[0], start_day=date(2026, 10, 1), owner="谭海", by=who(s, "谭海"))
    assert [a.name for a in key_areas(s)] == ["测试区"]
    from data.store.core import checkpoint
    checkpoint(s)
    s.close()
    assert validate(demo_copy) == ""


def test_a_layer_change_renews_its_painter_and_renders_draw_snapshots(app):
    from console.map_canvas import MapCanvas
    from data.snapshot import FeatureTable
    from layers.grids import GridLayer
    canvas = MapCanvas()
    canvas.resize(400, 300)
    one = FeatureTable(shapely.polygons([[(0, 0), (100, 0), (100, 100), (0, 100)]]), {"code": ["A"], "name": ["甲"]})
    grids = GridLayer(one)
    canvas.set_layers([grids])
    held = canvas.layer_painters["grids"]  # what a render on the worker holds
    two = FeatureTable(shapely.polygons([[(0, 0), (50, 0), (50, 50)], [(60, 60), (90, 60), (90, 90)]]),
                       {"code": ["B", "C"], "name": ["乙", "丙"]})
    grids.set_features(two)  # nobody invalidates anything by hand: the layer tells the canvas
    assert canvas.layer_painters["grids"] is not held
    assert held.layer.features is one and len(held.layer.features) == 1  # the held snapshot is unchanged
    assert canvas.layer_painters["grids"].layer.features is two
    grids.set_visible(False)
    assert canvas.layer_painters["grids"].layer.visible is False and held.layer.visible is True
    canvas.close()


def test_team_layer_keeps_its_columns_when_features_are_replaced():
    from data.snapshot import FeatureTable
    from layers.patrols import TeamLayer
    from datetime import timedelta
    layer = TeamLayer(FeatureTable(shapely.points([(0, 0), (5, 5)]), {"id": [1, 2], "status": ["available"] * 2}))
    layer.set_features(FeatureTable(shapely.points([(1, 1)]), {"id": [7], "status": ["available"]}))
    layer.refresh_status(DEMO_UNTIL, {7: "dispatched"})  # no KeyError after the table was replaced
    assert layer.features.attrs["status"] == ["offline"]  # no fix yet
    layer.features.attrs["last_fix"][0] = DEMO_UNTIL
    assert layer.refresh_status(DEMO_UNTIL + timedelta(seconds=5), {7: "dispatched"})
    assert layer.features.attrs["status"] == ["dispatched"]


def test_the_office_time_zone_has_one_home():
    offenders = []
    for p in list((ROOT / "console").rglob("*.py")) + list((ROOT / "layers").rglob("*.py")):
        text = p.read_text(encoding="utf-8")
        if re.search(r"Asia/Shanghai|hours=8\)|ZoneInfo\(", text):
            offenders.append(str(p.relative_to(ROOT)))
    assert offenders == [], "use data.domain.LOCAL_TZ / local_time"


def test_refusals_are_codes_translated_at_the_edge(app):
    from console import i18n
    from console.messages import say
    from data.cases.rules import CaseError
    from data.messages import CATALOGUE, Message
    exc = CaseError("case.wrong_stage", case_no="ZGL-20261127-0001", stage="reported", action="dispatch",
                    allowed=("accepted", "dispatched"))
    i18n.install_language("zh_CN")
    try:
        zh = say(exc, "zh_CN")
        assert "上报" in zh and "派遣" in zh and "ZGL-20261127-0001" in zh and not re.search(r"[A-Za-z]{4,}", zh.replace("ZGL", ""))
        # Every code of the catalogue has a Chinese text with the same placeholders.
        for code, template in CATALOGUE.items():
            fields = {f: "x" for f in re.findall(r"{(\w+)}", template)}
            text = Message(code, fields).text("zh_CN", lambda t: i18n.translate("messages", t))
            assert text != Message(code, fields).text("en"), code
    finally:
        i18n.install_language("en")
    assert "only possible at" in say(exc, "en")


def test_a_failing_poll_is_logged_with_its_traceback(tmp_path, caplog, demo_copy):
    from console.live import _Poller
    from console.logs import setup_logging
    path = setup_logging("info", tmp_path / "logs")
    store = open_store(demo_copy)
    poller = _Poller(store, 0, lambda: DEMO_UNTIL)
    store.engine.dispose()
    demo_copy.unlink()  # the store vanishes under the console
    (Path(str(demo_copy) + "-wal")).unlink(missing_ok=True)
    with caplog.at_level(logging.ERROR):
        poller.poll_fixes()
    assert any("reading new fixes failed" in r.message and r.exc_info for r in caplog.records)
    assert path is not None and "reading new fixes failed" in path.read_text(encoding="utf-8")
    logging.getLogger().handlers[:] = [h for h in logging.getLogger().handlers if not getattr(h, "_gridwatch", False)]


def test_about_shows_the_log_path(open_window, demo_copy, tmp_path, qtbot):
    from tests.conftest import choose_menu
    from console.logs import setup_logging
    path = setup_logging("info", tmp_path / "logs")
    win = open_window(demo_copy)
    choose_menu(qtbot, win, win.menu_help, win.act_about)  # Help → About
    qtbot.waitUntil(lambda: getattr(win, "about_box", None) is not None and win.about_box.isVisible(), timeout=2000)
    assert str(path) in win.about_box.text()
    win.about_box.close()
    logging.getLogger().handlers[:] = [h for h in logging.getLogger().handlers if not getattr(h, "_gridwatch", False)]


def test_a_refusal_reaches_a_chinese_user_in_chinese(open_window, demo_copy, qtbot):
    """Switch to 中文 from the menu, pick the case on the board, press Verify as the person who
    resolved it: the refusal names the stage rule in Chinese, with no English prose."""
    from datetime import timedelta
    from tests.conftest import choose_menu, click_tree_item
    from data.cases.dispatch import create_incident, transition
    store = open_store(demo_copy)
    with store.session() as s:
        from data.store import models as m
        g = s.query(m.Grid).first().geom.representative_point()
    at = DEMO_UNTIL - timedelta(minutes=30)
    inc = create_incident(store, category="municipal", subcategory="municipal.streetlight", priority="normal",
                          source="hotline", lon=g.x, lat=g.y, actor=who(store, "刘建平"), at=at)
    for k, (action, kw) in enumerate((("accept", {}), ("dispatch", {"team_id": 5}), ("arrive", {}),
                                      ("resolve", {"result": "done"}))):
        transition(store, inc.id, action, who(store, "吴敏"), at=at + timedelta(minutes=k + 1), reassign=True, **kw)
    store.close()
    win = open_window(demo_copy, live=False)
    from data.demo.generator import DEMO_PASSWORD
    assert win.dispatch.sign_in("吴敏", DEMO_PASSWORD)
    try:
        choose_menu(qtbot, win, win.menu_lang, win.act_lang["zh_CN"])
        assert win.lang == "zh_CN"
        tree = win.case_board.tree
        item = next(it for it in (tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                                  for j in range(tree.topLevelItem(i).childCount()))
                    if it.toolTip(0) == inc.case_no)
        click_tree_item(qtbot, tree, item)
        qtbot.waitUntil(lambda: win.dispatch.current_case == inc.id, timeout=3000)
        button = win.dispatch_panel.buttons["verify"]
        assert button.isEnabled()
        qtbot.mouseClick(button, Qt.LeftButton)
        qtbot.waitUntil(lambda: getattr(win, "last_refusal", None) is not None and win.last_refusal.isVisible(), timeout=3000)
        text = win.last_refusal.text()
        assert "核查" in text
        assert not re.search(r"[A-Za-z]{3,}", text), text
        win.last_refusal.close()
    finally:
        from console import i18n
        i18n.install_language("en")


def test_garbage_is_collected_only_on_the_gui_thread(app):
    """Closed windows are freed by the GUI thread's collector timer, never by a worker that happens
    to cross the allocation threshold (that destroyed widgets off the GUI thread, then crashed)."""
    import gc
    assert not gc.isenabled()
    assert app._gridwatch_gc.timer.isActive()
