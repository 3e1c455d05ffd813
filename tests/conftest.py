"""Shared fixtures: an offscreen Qt, isolated settings and data folders, and one demo district.

The demo district is generated once per test session (a few seconds) with a fixed seed and end
time; tests that change a store work on a copy.
"""

from __future__ import annotations

import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO_SEED = 11
DEMO_UNTIL = datetime(2026, 11, 27, 2, 30, tzinfo=timezone.utc)  # 10:30 China time


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_dirs(tmp_path_factory):
    """QSettings and the default store go to a temp folder, never the developer's home."""
    home = tmp_path_factory.mktemp("home")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    yield home


@pytest.fixture(scope="session")
def demo_path(tmp_path_factory) -> Path:
    from data.demo.generator import generate_demo
    path = tmp_path_factory.mktemp("demo") / "demo.gpkg"
    generate_demo(path, seed=DEMO_SEED, until=DEMO_UNTIL).close()
    return path


def copy_store(src: Path, dst: Path) -> Path:
    """A consistent copy of a store that may be open (and written) elsewhere in this process: SQLite's
    online backup, with what is still in its WAL. A byte copy could catch a checkpoint half-way (a
    torn file: "disk I/O error" later), and its open()/close() drops this process's locks on `src`."""
    import sqlite3
    source = sqlite3.connect(f"file:{src}?mode=ro", uri=True)
    target = sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return dst


# --- both backends -----------------------------------------------------------------------------------
# A module with `pytestmark = pytest.mark.both_backends` runs every test that uses the demo (demo_copy,
# demo_target, demo_store) once on a GeoPackage and once on PostgreSQL; `@pytest.mark.gpkg_only` keeps a
# test that is about the file itself to the GeoPackage. The PostgreSQL server: $GRIDWATCH_TEST_PG (a URL
# of a database on a server where this user may create databases), else the local one on 127.0.0.1:5432
# (./dev.sh test starts a throwaway cluster when there is none). Each run makes its own databases and
# drops them at the end.
BACKENDS = ("gpkg", "postgresql")


def pytest_configure(config):
    config.addinivalue_line("markers", "both_backends: run the module's demo tests on GeoPackage and on PostgreSQL")
    config.addinivalue_line("markers", "gpkg_only: a test about the GeoPackage file itself")
    config.addinivalue_line("markers", "office_only: a test of office mode (PostgreSQL) only")


def pytest_generate_tests(metafunc):
    # "backend" is in the closure of every demo fixture, so this catches each test that uses the demo.
    if "backend" not in metafunc.fixturenames or metafunc.definition.get_closest_marker("both_backends") is None:
        return
    if metafunc.definition.get_closest_marker("office_only") is not None:
        metafunc.parametrize("backend", ["postgresql"], indirect=True, scope="session")
        return
    only = metafunc.definition.get_closest_marker("gpkg_only") is not None
    metafunc.parametrize("backend", ["gpkg"] if only else list(BACKENDS), indirect=True, scope="session")


@pytest.fixture(scope="session")
def backend(request) -> str:
    return getattr(request, "param", "gpkg")


class PgServer:
    """The test run's PostgreSQL server: makes databases (from a template too) and drops them all at the end."""

    def __init__(self, admin_url: str):
        import uuid
        self.admin_url = admin_url
        self.run = f"gwt_{self._host()}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self.made: list[str] = []
        self.count = 0
        self._drop_orphans()

    @staticmethod
    def _host() -> str:
        import hashlib
        import socket
        return hashlib.sha1(socket.gethostname().encode()).hexdigest()[:4]

    def _drop_orphans(self) -> None:
        """Databases of earlier runs of this machine whose process is gone (killed before its teardown)."""
        import logging
        import re
        import psycopg
        with self._admin() as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'gwt\\_%'")]
            for name in names:
                m = re.fullmatch(rf"gwt_{self._host()}_(\d+)_[0-9a-f]{{6}}_\d+", name)
                if m is None or os.path.exists(f"/proc/{m.group(1)}"):
                    continue
                try:
                    conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (name,))
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                except psycopg.Error:
                    logging.getLogger(__name__).warning("could not drop %s, left by an earlier test run", name, exc_info=True)

    def _admin(self):
        import psycopg
        return psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5)

    def url(self, name: str) -> str:
        from sqlalchemy.engine import make_url
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def new_database(self, template: str | None = None, *, postgis: bool = True) -> str:
        self.count += 1
        name = f"{self.run}_{self.count}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.made.append(name)
        if postgis and template is None:
            import psycopg
            with psycopg.connect(self.url(name), autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return name

    def drop_all(self) -> None:
        with self._admin() as conn:
            for name in reversed(self.made):
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                             (name,))
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _find_pg() -> tuple[str | None, str]:
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed"
    candidates = [os.environ["GRIDWATCH_TEST_PG"]] if os.environ.get("GRIDWATCH_TEST_PG") else \
        ["postgresql://postgres@127.0.0.1:5432/postgres"]
    why = ""
    for url in candidates:
        try:
            with psycopg.connect(url, connect_timeout=3) as conn:
                have = conn.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'").fetchone()[0]
            if not have:
                return None, f"the PostgreSQL server at {url} has no PostGIS (install postgresql-<version>-postgis-3)"
            return url, ""
        except Exception as exc:  # no server: the PostgreSQL tests skip, saying why
            why = f"no PostgreSQL server answers at {url} ({type(exc).__name__}: {str(exc).strip()[:120]})"
    return None, why


@pytest.fixture(scope="session")
def pg_server():
    url, why = _find_pg()
    if url is None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {why}")
        pytest.skip(why)
    server = PgServer(url)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def pg_demo_template(pg_server, demo_path) -> str:
    """The demo district in an office database, made once; tests get copies (CREATE DATABASE … TEMPLATE)."""
    from data.store.transfer import create_office_from
    name = pg_server.new_database()
    store, _report = create_office_from(pg_server.url(name), demo_path)
    store.close()
    return name


@pytest.fixture
def demo_copy(backend, request, tmp_path):
    """A demo store of the test's own to change: a GeoPackage file (Path) or an office URL (str)."""
    if backend == "postgresql":
        server, template = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_demo_template")
        return server.url(server.new_database(template))
    dst = tmp_path / "copy.gpkg"
    copy_store(request.getfixturevalue("demo_path"), dst)
    return dst


@pytest.fixture(scope="session")
def demo_target(backend, request):
    """The shared demo store, read only: the GeoPackage path, or a session-wide office database."""
    if backend == "postgresql":
        server, template = request.getfixturevalue("pg_server"), request.getfixturevalue("pg_demo_template")
        return server.url(server.new_database(template))
    return request.getfixturevalue("demo_path")


@pytest.fixture(scope="session")
def demo_store(demo_target):
    from data.store.core import open_store
    store = open_store(demo_target)
    yield store
    store.close()


def another_connection(store):
    """A connection of a new engine on the same store: what another process would see (committed rows only)."""
    import contextlib
    from sqlalchemy import create_engine

    @contextlib.contextmanager
    def _conn():
        engine = create_engine(store.engine.url)
        try:
            with engine.connect() as conn:
                yield conn
        finally:
            engine.dispose()
    return _conn()


@pytest.fixture(scope="session")
def qapp_args():
    return [sys.argv[0]]


@pytest.fixture(scope="session")
def qapp_cls():
    from PySide6.QtWidgets import QApplication
    return QApplication


@pytest.fixture
def open_window(app, qtbot):
    """Open the real main window on a store file, ready (layers loaded, map drawn); closed after."""
    from datetime import timedelta
    from PySide6.QtCore import QSettings
    from console.main_window import MainWindow
    from data.store.core import open_store
    opened = []

    def _open(path, *, now=DEMO_UNTIL + timedelta(minutes=1), live=True, demo=False, settings=None, size=(1400, 900),
              ask_sign_in=False):
        QSettings().clear()
        for key, value in (settings or {}).items():
            QSettings().setValue(key, value)
        store = open_store(path)
        win = MainWindow(store, "en", now=now, live=live, demo=demo, ask_sign_in=ask_sign_in)
        qtbot.addWidget(win)
        win.resize(*size)
        win.show()
        assert win.wait_ready()
        opened.append((win, store))
        return win

    yield _open
    from PySide6.QtWidgets import QApplication
    for win, store in opened:
        win.close()
        store.close()
    for w in QApplication.topLevelWidgets():  # boxes a test left open must not be read by the next one
        if w.isVisible():
            w.close()


@pytest.fixture
def app(qapp):
    """The QApplication set up as the console sets it up (organisation, CJK font)."""
    from console.app import make_app
    from console import i18n
    make_app()
    i18n.install_language("en")
    yield qapp
    i18n.install_language("en")


def choose_menu(qtbot, window, menu, action) -> None:
    """Open a menu of the window's menu bar and click one of its items, as a person does."""
    from PySide6.QtCore import Qt
    bar = window.menuBar()
    qtbot.mouseClick(bar, Qt.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(action).center())


def choose_combo(qtbot, combo, text: str) -> None:
    """Open a combo box's list with the mouse and click the entry `text`, as a person does."""
    from PySide6.QtCore import Qt
    qtbot.mouseClick(combo, Qt.LeftButton)
    view = combo.view()
    qtbot.waitUntil(view.isVisible, timeout=2000)
    row = combo.findText(text)
    assert row >= 0, f"{text!r} is not a choice of {combo.objectName()}"
    index = view.model().index(row, 0)
    view.scrollTo(index)
    from PySide6.QtWidgets import QApplication
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a popup ignores a release right after it opens
    qtbot.mouseClick(view.viewport(), Qt.LeftButton, pos=view.visualRect(index).center())
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=2000)


def click_tree_item(qtbot, tree, item) -> None:
    """Click a row of a tree widget (its first column)."""
    from PySide6.QtCore import Qt
    tree.scrollToItem(item)
    qtbot.mouseClick(tree.viewport(), Qt.LeftButton, pos=tree.visualItemRect(item).center())


_PEOPLE: dict[tuple, object] = {}


def who(store, name: str, roles=("dispatcher", "supervisor")):
    """The signed-in account of `name` in a test's store: the demo's own account when the store has
    one (its password is the demo's), else an account made for the test by the store's
    administrator (created first on a store without accounts). Signed in once per store and name:
    argon2 makes each sign-in cost ~50 ms on purpose."""
    from data import accounts as A
    from data.demo.generator import DEMO_ADMIN, DEMO_PASSWORD
    key = (str(store.path), id(store), name)  # tmp paths are unique per test; an id alone may be reused
    if key in _PEOPLE:
        return _PEOPLE[key]
    if not A.has_accounts(store):
        A.create_first_administrator(store, DEMO_ADMIN, "管理员", DEMO_PASSWORD)
    try:
        p = A.sign_in(store, name, DEMO_PASSWORD)
    except A.AuthError as exc:
        if exc.code != "auth.bad_credentials":
            raise
        admin = A.sign_in(store, DEMO_ADMIN, DEMO_PASSWORD)
        A.add_account(store, admin, name, name, DEMO_PASSWORD, roles, must_change=False)
        p = A.sign_in(store, name, DEMO_PASSWORD)
    _PEOPLE[key] = p
    return p


def show_grid(win, code: str = "FS-03", resolution: float = 1.0) -> None:
    """Centre the map on a grid of the demo (by its code) and wait for it to be drawn."""
    canvas = win.canvas
    grids = canvas.layer("grids")
    p = grids.features.geoms[list(grids.features.column("code")).index(code)].point_on_surface()
    canvas.set_view(p.x, p.y, resolution, render_now=True)
    canvas.wait_rendered()


def open_incident_dialog(qtbot, win, category: str, dx: int = 0):
    """Right-click the map's centre (dx pixels right of it) and click *New incident here…* in the menu,
    as a dispatcher does; the form opens with the category chosen, for the caller to fill and confirm."""
    from PySide6.QtCore import QPoint, Qt
    canvas = win.canvas
    qtbot.mouseClick(canvas, Qt.RightButton, pos=QPoint(canvas.width() // 2 + dx, canvas.height() // 2))
    menu = win.dispatch.context_menu
    qtbot.waitUntil(menu.isVisible, timeout=2000)
    qtbot.mouseClick(menu, Qt.LeftButton, pos=menu.actionGeometry(menu.actions()[0]).center())
    dlg = win.dispatch.incident_dialog
    qtbot.waitUntil(lambda: dlg is not None and dlg.isVisible(), timeout=2000)
    dlg.category.setCurrentIndex(dlg.category.findData(category))
    return dlg
