"""What the main window remembers between runs (QSettings): its geometry and dock layout, and the
last map extent of each store."""

from __future__ import annotations

from PySide6.QtCore import QSettings


def _extent_key(window) -> str:
    return "extent/" + window.store.label.replace("/", "|")


def has_layout() -> bool:
    """Whether the user's own dock layout was saved (then the default sizes are not imposed)."""
    return QSettings().value("window/state") is not None


def restore_layout(window) -> None:
    s = QSettings()
    geo = s.value("window/geometry")
    if geo is not None:
        window.restoreGeometry(geo)
    else:  # first run: most of the screen, not Qt's small default (the map needs the room)
        screen = window.screen().availableGeometry()
        window.resize(int(screen.width() * 0.92), int(screen.height() * 0.92))
    state = s.value("window/state")
    if state is not None:
        window.restoreState(state)


def restore_extent(window) -> bool:
    v = QSettings().value(_extent_key(window))
    try:
        cx, cy, res = (float(x) for x in v)
    except (TypeError, ValueError):  # never saved, or not three numbers: the caller zooms home
        return False
    home = window.canvas.home_extent
    if home is not None:
        # A file at the same path may now hold another district (gridwatch init --force, a copy
        # from a colleague): a remembered view far from this district's is not restored.
        w, h = home[2] - home[0], home[3] - home[1]
        if not (home[0] - w <= cx <= home[2] + w and home[1] - h <= cy <= home[3] + h) or res <= 0:
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
