"""Starting the console: the application object, the store (the demo on first run), the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from console import i18n
from console.cli import default_store_path
from data.store.core import Store, StoreError, open_store

log = logging.getLogger(__name__)

CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC")


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    if getattr(app, "_gridwatch_gc", None) is None:
        # Python's cycle collector runs on whichever thread happens to allocate when a threshold is
        # crossed: a layer loader's thread then destroyed closed windows' widgets (owned by Python,
        # kept in cycles by their controllers), leaving timers registered for objects that no longer
        # existed, and the GUI thread crashed delivering a timer event. pyqtgraph's collector turns
        # automatic collection off and collects on a timer of the GUI thread instead.
        from pyqtgraph.util.garbage_collector import GarbageCollector
        app._gridwatch_gc = GarbageCollector(interval=1.0)
    QCoreApplication.setOrganizationName("GridWatch")
    QCoreApplication.setApplicationName("GridWatch")
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:  # a font with Chinese glyphs first, or every label is boxes
        if fam in families:
            f = QFont(app.font())
            f.setFamilies([fam, *f.families()])
            app.setFont(f)
            break
    return app


class _DemoSignals(QObject):
    finished = Signal(object)
    progress = Signal(str, float)


class _DemoJob:
    """Writes the demo district on a Python thread (Python work stays off Qt's pool threads)."""

    def __init__(self, path: Path, signals: _DemoSignals):
        self.path, self.signals = path, signals

    def run(self):
        from data.demo.generator import generate_demo
        try:
            store = generate_demo(self.path, progress=lambda m, f: self.signals.progress.emit(m, f))
            store.close()
            self.signals.finished.emit(None)
        except Exception as exc:  # shown to the user as a message, with the traceback in the log
            log.exception("creating the demo district failed")
            self.signals.finished.emit(str(exc))


def _create_demo_with_progress(path: Path) -> str | None:
    """First run: write the demo district off the GUI thread with a progress dialog."""
    dlg = QProgressDialog(QCoreApplication.translate("app", "Creating the demo district…"), None, 0, 100)
    dlg.setWindowTitle("GridWatch")
    dlg.setMinimumDuration(0)
    signals = _DemoSignals()
    result: dict = {}
    signals.progress.connect(lambda m, f: dlg.setValue(int(f * 100)))
    signals.finished.connect(lambda err: (result.setdefault("err", err), dlg.close()))
    import threading
    job = _DemoJob(path, signals)
    worker = threading.Thread(target=job.run, name="demo", daemon=True)
    worker.start()
    while "err" not in result:
        QCoreApplication.processEvents()
        worker.join(0.02)
    QCoreApplication.processEvents()
    return result["err"]


def _open(store_arg: str | None, *, interactive: bool) -> Store | str:
    """The store to show, or a message saying why it cannot be opened."""
    from data.store.office import is_office_url
    if is_office_url(store_arg):  # an office database: a URL, never a path
        try:
            return open_store(store_arg)
        except StoreError as exc:
            return str(exc)
    path = Path(store_arg).expanduser() if store_arg else default_store_path()
    if store_arg is None and not path.exists():
        if interactive:
            err = _create_demo_with_progress(path)
        else:
            from data.demo.generator import generate_demo
            try:
                generate_demo(path).close()
                err = None
            except Exception as exc:
                log.exception("creating the demo district failed")
                err = str(exc)
        if err:
            return QCoreApplication.translate("app", "Could not create the demo district: %1").replace("%1", err)
    try:
        return open_store(path)
    except StoreError as exc:
        return str(exc)


def run_console(store_arg: str | None, lang: str | None) -> int:
    from console.main_window import MainWindow
    app = make_app()
    lang = i18n.install_language(i18n.preferred_language(lang))
    store = _open(store_arg, interactive=True)
    if isinstance(store, str):
        QMessageBox.critical(None, "GridWatch", QCoreApplication.translate("app", "Cannot open the store.") + "\n\n" + store)
        return 2
    # The user's default store is the demo district: it comes alive with simulated teams at once.
    windows: list = []

    def show(st: Store, demo: bool) -> None:
        win = MainWindow(st, lang, demo=demo)
        win.openRequested.connect(lambda path, old=win: switch(old, path))
        windows.append(win)
        win.show()

    def switch(old, path: str) -> None:
        """File → New district… → Open it: the new district in a new window, the old one closed."""
        new = _open(path, interactive=True)
        if isinstance(new, str):
            QMessageBox.critical(old, "GridWatch", QCoreApplication.translate("app", "Cannot open the store.") + "\n\n" + new)
            return
        show(new, False)
        old.close()

    show(store, store_arg is None)
    rc = app.exec()
    for win in windows:
        win.store.close()
    return rc


def run_screenshot(store_arg: str | None, out: str, size: tuple[int, int], lang: str | None) -> int:
    from console.main_window import MainWindow
    app = make_app()
    lang = i18n.install_language(i18n.preferred_language(lang))
    store = _open(store_arg, interactive=False)
    if isinstance(store, str):
        print(f"gridwatch: {store}", file=sys.stderr)
        return 2
    win = MainWindow(store, lang, live=False, remember=False, ask_sign_in=False)
    win.resize(*size)
    win.show()
    if not win.wait_ready():
        print("gridwatch: the map did not finish drawing in time", file=sys.stderr)
        return 1
    app.processEvents()
    img = win.grab()
    out_path = Path(out)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part.png")
    if not img.save(str(tmp), "PNG"):  # written whole, then moved into place
        print(f"gridwatch: could not write {out}", file=sys.stderr)
        return 1
    tmp.replace(out_path)
    win.close()
    store.close()
    print(f"screenshot written to {out_path}")
    return 0
