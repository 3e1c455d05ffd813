"""The rota's week view (issue 16): from opening the Rota dock (or pressing ▶ for another week) to the
week drawn in its table, on the demo district (391 teams, 868 people, two weeks of shifts, about 10,000),
and the week's reading alone (data/patrol/rota.week: shifts, grids, plans, gaps).

`python -m tests.benchmarks.rota` (a demo is generated first); part of `./dev.sh bench`.
"""

from __future__ import annotations

import os
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import numpy as np


def run(store_path: Path, line) -> None:
    from PySide6.QtWidgets import QApplication
    from console.main_window import MainWindow
    from console.workers import wait_for
    from data.domain import local_time
    from data.patrol.rota import week
    from data.store.core import open_store
    print("\nRota week view (the demo: 391 teams, 868 people, two weeks of shifts)")
    store = open_store(store_path)
    try:
        now = store.meta.get("demo_until")
        from datetime import datetime, timezone
        now = datetime.fromisoformat(now) if now else datetime.now(timezone.utc)
        monday = local_time(now).date()
        reads = []
        for k in range(5):
            t0 = time.perf_counter()
            w = week(store, monday + timedelta(days=7 * (k % 2)))
            reads.append((time.perf_counter() - t0) * 1000)
        win = MainWindow(store, "en", now=now + timedelta(minutes=1), live=False, remember=False, ask_sign_in=False)
        win.resize(1600, 1000)
        win.show()
        assert win.wait_ready()
        panel = win.rota_panel

        def shown(action) -> float:
            before = panel.view_week
            t0 = time.perf_counter()
            action()
            wait_for(panel._jobs.threads, 30, also=lambda: panel.view_week is before)
            panel.table.viewport().repaint()
            QApplication.processEvents()
            return (time.perf_counter() - t0) * 1000
        opened = shown(lambda: win.dock_rota.toggleViewAction().trigger())
        pages = [shown(lambda: panel.next_button.click() if k % 2 == 0 else panel.prev_button.click()) for k in range(6)]
        line("rota week read (data service)", f"median {np.median(reads):6.1f} ms  ({len(w.shifts):,} shifts, "
             f"{len(w.teams)} teams, {len(w.grids)} grids)")
        line("rota dock opened, week drawn", f"{opened:6.1f} ms", "≤ 300 ms")
        line("another week (▶ / ◀), drawn", f"median {np.median(pages):6.1f} ms, max {max(pages):6.1f} ms", "≤ 300 ms")
        win.close()
    finally:
        store.close()


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from console.app import make_app
    from data.demo.generator import generate_demo
    app = make_app()
    path = Path(tempfile.mkdtemp()) / "rota-demo.gpkg"
    generate_demo(path).close()
    run(path, lambda n, t, target="": print(f"  {n:<34} {t}{('   target ' + target) if target else ''}"))
