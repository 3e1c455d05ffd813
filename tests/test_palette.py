"""The map's symbols: each meaning has one look, and the looks of one layer stay apart for people
with colour-blindness and on a greyscale printout (simulated with colorspacious, after Machado et
al. 2009, at full severity; distances in CAM02-UCS, where about 20 is clearly different)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from layers import style as S

MIN_DELTA_E = 20.0  # perceptual distance between two meanings of one layer, under each vision
MIN_DELTA_L = 12.0  # lightness difference on a greyscale printout
VISIONS = (None, "deuteranomaly", "protanomaly", "tritanomaly")


def rgb(hex_colour: str) -> np.ndarray:
    h = hex_colour.lstrip("#")
    return np.array([int(h[k:k + 2], 16) / 255 for k in (0, 2, 4)])


def seen(hex_colour: str, vision: str | None) -> np.ndarray:
    if vision is None:
        return rgb(hex_colour)
    return np.clip(cspace_convert(rgb(hex_colour), {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}, "sRGB1"), 0, 1)


def lightness(hex_colour: str) -> float:
    return float(cspace_convert(rgb(hex_colour), "sRGB1", "CIELab")[0])


# The colour-coded meanings of each layer (offline teams and cameras are hollow: told by their fill).
MEANINGS = {
    "team status": {k: c for k, c in S.TEAM_STATUS_COLOURS.items() if k != "offline"},
    "incident pin": dict(S.PIN_GROUP_COLOURS),
    "camera": {"HD": S.CAMERA_HD.fill, "SD": S.CAMERA_SD.fill, "offline": S.CAMERA_OFFLINE.fill},
    "coverage": {"walked": S.COVERAGE_WALKED.stroke, "not walked": S.COVERAGE_MISSED.stroke},
}


@pytest.mark.parametrize("layer", list(MEANINGS))
def test_the_meanings_of_a_layer_stay_apart_for_every_eye_and_in_greyscale(layer):
    for (a, ca), (b, cb) in itertools.combinations(MEANINGS[layer].items(), 2):
        for vision in VISIONS:
            d = deltaE(seen(ca, vision), seen(cb, vision), input_space="sRGB1")
            assert d >= MIN_DELTA_E, f"{layer}: {a} and {b} look alike to {vision or 'normal vision'} (ΔE {d:.0f})"
        assert abs(lightness(ca) - lightness(cb)) >= MIN_DELTA_L, f"{layer}: {a} and {b} alike in greyscale"


def test_no_colour_means_two_things_and_no_shape_is_shared_between_kinds_of_thing():
    teams = {c for k, c in S.TEAM_STATUS_COLOURS.items() if k != "offline"}
    pins = set(S.PIN_GROUP_COLOURS.values())
    cameras = {S.CAMERA_HD.fill, S.CAMERA_SD.fill}
    others = {S.ROUTE.stroke, S.TRAIL_COLOUR, S.GRID.stroke, S.PLAN.stroke, S.PLAN_KEY.stroke, S.COVERAGE_WALKED.stroke,
              S.COVERAGE_MISSED.stroke}
    groups = [teams, pins, cameras, others]
    for g1, g2 in itertools.combinations(groups, 2):
        assert not ({c.lower() for c in g1} & {c.lower() for c in g2})
    # Red is an incident waiting for someone, never a team's state (it meant both).
    for c in teams:
        assert deltaE(rgb(c), rgb(S.PIN_GROUP_COLOURS["new"]), input_space="sRGB1") >= MIN_DELTA_E
    # Shapes: a camera glyph is only a camera, a pin only an incident, each team kind its own shape.
    team_shapes = list(S.TEAM_KIND_SHAPES.values())
    assert len(set(team_shapes)) == len(team_shapes)
    assert {"camera", "pin"}.isdisjoint(team_shapes)
    assert {S.CAMERA_HD.shape, S.CAMERA_SD.shape, S.CAMERA_OFFLINE.shape} == {"camera"}
    # Trails are dashed and dark; streets are solid and pale; water is pale blue.
    assert S.TRAIL_DASH and all(st.dash is None for st in S.STREETS.values())
    assert lightness(S.TRAIL_COLOUR) + 30 < min(lightness(st.stroke) for st in S.STREETS.values())
    assert deltaE(rgb(S.TRAIL_COLOUR), rgb(S.WATER.fill), input_space="sRGB1") >= MIN_DELTA_E


def test_every_stage_has_a_pin_colour_and_the_legend_shows_each_meaning_once():
    from data.domain import STAGES
    from layers.incidents import IncidentLayer
    from layers.patrols import TeamLayer
    from layers.cameras import CameraLayer
    from data.snapshot import FeatureTable
    assert set(S.STAGE_COLOURS) == set(STAGES)
    empty = FeatureTable(np.array([], dtype=object), {})
    pins = IncidentLayer(empty).legend()
    assert [e.style.fill for e in pins] == list(S.PIN_GROUP_COLOURS.values())
    assert all(e.style.shape == "pin" for e in pins)
    teams = TeamLayer(empty).legend()
    status_fills = [e.style.fill for e in teams if e.value in S.TEAM_STATUS_COLOURS]
    assert status_fills == list(S.TEAM_STATUS_COLOURS.values())
    offline = next(e for e in teams if e.value == "offline")
    assert offline.style.stroke == S.TEAM_OFFLINE_STROKE  # hollow, rimmed
    cams = [e.style for e in CameraLayer(FeatureTable(np.array([], dtype=object), {
        "heading_deg": [], "fov_deg": [], "range_m": []})).legend()]
    assert {c.shape for c in cams} == {"camera"}


def test_the_camera_glyph_is_not_a_square(app):
    """Drawn, the camera's glyph leaves the corners of a square empty where its lens narrows."""
    from layers.painters import marker_image
    cam = marker_image("camera", S.SLATE, "#ffffff", 20)
    square = marker_image("square", S.SLATE, "#ffffff", 20)

    def opaque(img) -> int:
        return sum(1 for x in range(img.width()) for y in range(img.height()) if img.pixelColor(x, y).alpha() > 128)
    assert opaque(cam) < 0.8 * opaque(square)
    w = cam.width()
    assert cam.pixelColor(w // 2, w // 2).name() == S.SLATE.lower()
