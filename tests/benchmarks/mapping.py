"""Pan and zoom repaints of a live canvas: the same measurement for the demo and an imported district."""

from __future__ import annotations

import time


def pan_repaints(canvas, home, n: int = 60) -> list[float]:
    """The cached background shifted plus the moving layers, one repaint per mouse move (ms)."""
    canvas.set_view(home.cx, home.cy, home.resolution, render_now=True)
    canvas.wait_rendered()
    out = []
    for _ in range(n):
        canvas.set_view(canvas.view().cx + 3 * home.resolution, canvas.view().cy, home.resolution)
        t = time.perf_counter()
        canvas.repaint()
        out.append((time.perf_counter() - t) * 1000)
    canvas._render_timer.stop()
    return out


def zoom_repaints(canvas, home, width: int, height: int, n: int = 30) -> list[float]:
    """A wheel step's preview repaint (the worker re-renders afterwards), in ms."""
    from PySide6.QtCore import QPointF
    out = []
    for k in range(n):
        canvas.set_view(home.cx, home.cy, home.resolution, render_now=True)
        canvas.wait_rendered()
        canvas.zoom_by(1.25 if k % 2 else 1 / 1.25, QPointF(width * 0.4, height * 0.6))
        t = time.perf_counter()
        canvas.repaint()
        out.append((time.perf_counter() - t) * 1000)
    canvas._render_timer.stop()
    return out
