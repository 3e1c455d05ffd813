"""What the main window remembers between runs (QSettings): its geometry and dock layout, and the
last map extent of each store."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def _extent_key(window) -> str:
    return "extent/" + (str(window.store.path).replace("/", "|") if window.store.path else "store")


def restore_layout(window) -> None:
    s = QSettings()
    geo = s.value("window/geometry")
    if geo is not None:
        window.restoreGeometry(geo)
    state = s.value("window/state")
    if state is not None:
        window.restoreState(state)


def restore_extent(window) -> bool:
    v = QSettings().value(_extent_key(window))
    try:
        cx, cy, res = (float(x) for x in v)
    except (TypeError, ValueError):  # never saved, or not three numbers: the caller zooms home
        return False
    window.canvas.set_view(cx, cy, res)
    return True


def save(window) -> None:
    s = QSettings()
    s.setValue("window/geometry", window.saveGeometry())
    s.setValue("window/state", window.saveState())
    if window.ready:
        v = window.canvas.view()
        s.setValue(_extent_key(window), [v.cx, v.cy, v.resolution])
    s.sync()
