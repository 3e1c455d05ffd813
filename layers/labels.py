"""Label placement on screen: labels along lines (street names) and a register of the room labels
already take, so no two labels overlap.

Written here rather than taken from a library: map label placement is the product's edge (QGIS's
PAL engine does this in C++ and is not available to the console process), and what is needed is
small: characters set one by one along a line, kept upright, refused where the line bends too
sharply or another label is in the way. Pure numpy, no Qt: painters measure glyphs and draw.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


class LabelSpace:
    """The screen rectangles (x0, y0, x1, y1 in device pixels) already taken by labels this frame."""

    def __init__(self) -> None:
        self._boxes = np.zeros((0, 4))
        self._labels = 0

    def free(self, boxes: np.ndarray, margin: float = 2.0) -> bool:
        boxes = np.atleast_2d(boxes)
        if len(self._boxes) == 0 or len(boxes) == 0:
            return True
        t = self._boxes
        # Every new box against every taken one, in one vectorised step.
        hit = ((boxes[:, None, 0] - margin < t[None, :, 2]) & (boxes[:, None, 2] + margin > t[None, :, 0]) &
               (boxes[:, None, 1] - margin < t[None, :, 3]) & (boxes[:, None, 3] + margin > t[None, :, 1]))
        return not bool(hit.any())

    def take(self, boxes: np.ndarray) -> int:
        """Take the room of one label (one box, or one per character); returns the label's number."""
        self._boxes = np.vstack([self._boxes, np.atleast_2d(boxes)])
        self._labels += 1
        return self._labels

    def __len__(self) -> int:
        return len(self._boxes)


@dataclass(frozen=True)
class Placement:
    """Where each character of a label goes: centres (device px), rotation in degrees (clockwise,
    as Qt rotates), and the boxes it covers."""

    x: np.ndarray
    y: np.ndarray
    angle_deg: np.ndarray
    boxes: np.ndarray


def _interp(xy: np.ndarray, cum: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return np.interp(d, cum, xy[:, 0]), np.interp(d, cum, xy[:, 1])


def is_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)


def place_along(xy: np.ndarray, widths: list[float], height: float, at: float, *, upright_cjk: bool = False,
                max_turn_deg: float = 25.0) -> Placement | None:
    """Set a label's characters along a polyline (device pixels), centred `at` pixels from its start.

    Text reads left to right (the line is walked backwards when it runs leftwards). On a steep line
    Chinese reads top to bottom with upright characters, as Chinese maps set it (`upright_cjk`).
    None when the label does not fit the line there or the line turns more than `max_turn_deg`
    between neighbouring characters.
    """
    if len(xy) < 2 or not widths:
        return None
    seg = np.hypot(*np.diff(xy, axis=0).T)
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    total = float(cum[-1])
    span = float(sum(widths))
    start, end = at - span / 2, at + span / 2
    if start < 0 or end > total:
        return None
    (x0, x1), (y0, y1) = _interp(xy, cum, np.array([start, end]))
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0))  # device y points down: clockwise degrees
    steep = 50.0 < abs(angle) < 130.0
    if upright_cjk and steep:
        # Stacked upright, top to bottom: each character advances by its height along the line.
        advances = [height * 0.92] * len(widths)
        span = float(sum(advances))
        start, end = at - span / 2, at + span / 2
        if start < 0 or end > total:
            return None
        if y1 < y0:  # walk the line downwards
            xy, at = xy[::-1], total - at
            cum = np.concatenate([[0.0], np.cumsum(seg[::-1])])
            start, end = at - span / 2, at + span / 2
        upright = True
    else:
        advances = list(widths)
        if x1 < x0:  # walk the line rightwards so the text is not upside down
            xy, at = xy[::-1], total - at
            cum = np.concatenate([[0.0], np.cumsum(seg[::-1])])
            start, end = at - span / 2, at + span / 2
        upright = False
    adv = np.asarray(advances, dtype=float)
    centres = start + np.cumsum(adv) - adv / 2
    cx, cy = _interp(xy, cum, centres)
    # Each character's direction: the chord across its own width (smoother than the segment's).
    ax, ay = _interp(xy, cum, np.clip(centres - adv / 2, 0, total))
    bx, by = _interp(xy, cum, np.clip(centres + adv / 2, 0, total))
    angles = np.degrees(np.arctan2(by - ay, bx - ax))
    if len(angles) > 1:
        turn = np.abs((np.diff(angles) + 180.0) % 360.0 - 180.0)
        if float(turn.max()) > max_turn_deg:
            return None
    if upright:
        angles = np.zeros_like(angles)
    r = np.maximum(np.asarray(widths, dtype=float), height) / 2  # a rotated glyph stays inside this square
    boxes = np.column_stack([cx - r, cy - r, cx + r, cy + r])
    return Placement(cx, cy, angles, boxes)


def candidate_offsets(length_px: float, span_px: float, repeat_px: float = 320.0) -> list[list[float]]:
    """Where along a line of `length_px` to try a label of `span_px`, as groups of alternatives: the
    middle first, then (on a long line) further copies every `repeat_px` or more, so a long street
    is named more than once. Within a group the first offset that works is taken; the others slide
    the label along the line, past a bend or another label."""
    if length_px < span_px + 16:
        return []
    mid = length_px / 2
    step = max(repeat_px, span_px * 3)
    anchors = [mid]
    k = 1
    while mid + k * step + span_px / 2 < length_px:
        anchors += [mid + k * step, mid - k * step]
        k += 1
    slide = [0.0, 0.5, -0.5, 1.0, -1.0, 1.5, -1.5]
    lo, hi = span_px / 2, length_px - span_px / 2
    return [[a + s * span_px for s in slide if lo <= a + s * span_px <= hi] for a in anchors]
