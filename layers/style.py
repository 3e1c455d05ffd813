"""Layer styles as plain data (colours as #rrggbb, widths in screen pixels).

One definition, two renderers: the console turns these into Qt pens and brushes, and the QGIS
project export turns them into QGIS renderers. Nothing here imports Qt.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FillStyle:
    fill: str | None
    stroke: str | None
    stroke_px: float = 1.0
    fill_alpha: float = 1.0


@dataclass(frozen=True)
class LineStyle:
    stroke: str
    width_px: float
    casing: str | None = None  # drawn wider underneath, as street maps do
    casing_px: float = 0.0
    dash: tuple[float, ...] | None = None  # dash pattern in pen widths (None: solid)


@dataclass(frozen=True)
class MarkerStyle:
    fill: str
    stroke: str = "#ffffff"
    size_px: float = 12.0
    shape: str = "circle"  # circle | square | triangle | diamond | pin


BACKGROUND = "#f2efe9"  # land, as on common street maps

WATER = FillStyle(fill="#aad3df", stroke="#8fbfd0", stroke_px=1.0)
BUILDING = FillStyle(fill="#d9d0c9", stroke="#c4b6ab", stroke_px=0.8)
STREETS = {
    "main": LineStyle("#fcd6a4", 5.0, casing="#d9a566", casing_px=7.0),
    "bridge": LineStyle("#fcd6a4", 5.0, casing="#8a6d4a", casing_px=7.5),
    "secondary": LineStyle("#f7fabf", 3.5, casing="#c6c69a", casing_px=5.0),
    "minor": LineStyle("#ffffff", 2.0, casing="#d0c8c0", casing_px=3.2),
}
BASEMAP = FillStyle(fill="#ffffff", stroke="#bbbbbb", stroke_px=0.5)
IMPORT_PREVIEW = MarkerStyle(fill="#ff00aa", stroke="#ffffff", size_px=10, shape="circle")
DISTRICT = FillStyle(fill=None, stroke="#6a3d9a", stroke_px=3.0)
# Communities get a pale fill each (categorical) and a firm outline; grids a thin dashed-looking line.
COMMUNITY_FILLS = ["#e6550d", "#3182bd", "#31a354", "#756bb1", "#dd1c77", "#8c6d31", "#17becf", "#bcbd22"]
COMMUNITY_OUTLINE = FillStyle(fill=None, stroke="#4a1486", stroke_px=2.2)
COMMUNITY_FILL_ALPHA = 0.10
DISTRICT = FillStyle(fill=None, stroke="#303030", stroke_px=2.6)
GRID = FillStyle(fill=None, stroke="#7b4fa6", stroke_px=1.0)
GRID_LABEL = "#4a1486"
COMMUNITY_LABEL = "#2d0a5e"
STREET_LABEL = "#3c3c3c"

# --- The operational symbols: one look for each meaning -----------------------------------------
# Shape says what a thing is, colour what state it is in, and no colour means two things:
#   cameras      a camera glyph (body and lens) in slate: infrastructure, quiet; SD lighter, offline hollow
#   teams        a shape per kind (no camera glyph, no pin), filled by status; offline hollow, stale greyed
#   incidents    a pin (only incidents are pins), by stage group: new, being handled, to verify, closed
#   trails       dashed dark grey (streets are solid and pale, water is pale blue)
#   route        magenta with a white casing: the chosen team and its way (the ring round it too)
# Colours from Okabe & Ito's colour-blind-safe set plus Tol's indigo; tests/test_palette.py checks
# that the meanings of one layer stay apart in greyscale and under red-green and blue-yellow
# colour blindness (colorspacious' simulation), so a change here that breaks that fails there.
SLATE, SLATE_LIGHT = "#455a64", "#90a4ae"
CAMERA_HD = MarkerStyle(fill=SLATE, stroke="#ffffff", size_px=14, shape="camera")
CAMERA_SD = MarkerStyle(fill=SLATE_LIGHT, stroke="#ffffff", size_px=12, shape="camera")
CAMERA_OFFLINE = MarkerStyle(fill="#ffffff", stroke="#8c8c8c", size_px=12, shape="camera")
CAMERA_WEDGE = FillStyle(fill=SLATE, stroke=SLATE, stroke_px=0.8, fill_alpha=0.12)

TEAM_STATUS_COLOURS = {"available": "#009E73", "dispatched": "#E69F00", "on_scene": "#332288", "offline": "#ffffff"}
TEAM_OFFLINE_STROKE = "#8c8c8c"  # an offline team is hollow: no fill colour to be read as a status
TEAM_KIND_SHAPES = {"patrol_volunteer": "triangle", "property_security": "square", "compound_guard": "diamond",
                    "cleaner": "circle", "grid_worker": "pentagon", "volunteer": "star", "mediator": "hexagon"}
TEAM_SIZE_PX = 13.0
TRAIL_COLOUR = "#4d4d4d"
TRAIL_DASH = (3.0, 2.0)  # dash, gap in pen widths: a trail is never taken for a street
ROUTE = LineStyle("#e0218a", 5.0, casing="#ffffff", casing_px=8.0)
PIN_STROKE = "#333333"  # a dark rim: the yellow "being handled" pin stays visible on pale ground


# The indicators' grid choropleth: a sequential, colour-blind-safe ramp (ColorBrewer YlGnBu), darker = better.
CHOROPLETH_BREAKS = (0.80, 0.90, 0.95, 0.99)
CHOROPLETH_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
CHOROPLETH_ALPHA = 0.65


def greyed(hex_colour: str, amount: float = 0.6) -> str:
    """A colour faded towards grey: how a stale team (no fix for 2+ minutes) is drawn."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[k:k + 2], 16) for k in (0, 2, 4))
    grey = 0.3 * r + 0.59 * g + 0.11 * b
    mix = [round(c * (1 - amount) + (grey * 0.8 + 200 * 0.2) * amount) for c in (r, g, b)]
    return "#%02x%02x%02x" % tuple(mix)

# Incident pins by stage group (what the dispatcher has to do about it), not one colour per stage.
PIN_GROUP_COLOURS = {"new": "#D55E00", "handling": "#F0E442", "to_verify": "#56B4E9", "done": "#616161"}
PIN_GROUPS = {
    "new": ("reported", "accepted", "returned"),
    "handling": ("dispatched", "on_scene", "extended", "parked", "rework"),
    "to_verify": ("resolved", "verified"),
    "done": ("closed", "voided"),
}
STAGE_COLOURS = {stage: PIN_GROUP_COLOURS[group] for group, stages in PIN_GROUPS.items() for stage in stages}
PRIORITY_SIZE_PX = {"urgent": 26.0, "high": 22.0, "normal": 19.0, "low": 16.0}


def community_colour(index: int) -> str:
    return COMMUNITY_FILLS[index % len(COMMUNITY_FILLS)]


# Incident density (heat map): a sequential ramp from clear to dark red (ColorBrewer YlOrRd), its
# opacity growing with the density so quiet streets keep their basemap.
HEAT_RAMP = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
HEAT_MAX_ALPHA = 0.75
# Gi* hot and cold spots: a diverging ramp (ColorBrewer RdBu), darker = more confident.
HOTSPOT_COLOURS = {"hot_99": "#b2182b", "hot_95": "#ef8a62", "hot_90": "#fddbc7",
                   "cold_90": "#d1e5f0", "cold_95": "#67a9cf", "cold_99": "#2166ac"}
HOTSPOT_ALPHA = 0.6
# Key rectification areas: a heavy dark-red outline over everything of the area beneath.
KEY_AREA = FillStyle(fill=None, stroke="#67001f", stroke_px=3.0)
# Patrol plans: one hue family for one kind of thing, dashed (the grids' outlines are solid): ordinary
# plans light reddish purple, key ones (重点) deep magenta and wider (Okabe–Ito and Tol; none of the teams',
# pins' or cameras' colours, red stays the new incidents').
PLAN = LineStyle("#cc79a7", 3.0, casing="#ffffff", casing_px=5.0, dash=(3.0, 2.0))
PLAN_KEY = LineStyle("#aa4499", 4.5, casing="#ffffff", casing_px=6.5, dash=(3.0, 2.0))
# Coverage of a plan (walked against planned): walked solid green, not walked dashed amber over a white
# casing (Tol's bright green and sand; apart for every eye and in greyscale: tests/test_palette.py).
COVERAGE_WALKED = LineStyle("#117733", 5.0, casing="#ffffff", casing_px=8.0)
COVERAGE_MISSED = LineStyle("#ddaa33", 5.0, casing="#ffffff", casing_px=8.0, dash=(2.0, 1.5))
# People under supervision (台账), per grid: a count badge, coloured by the grid's worst visit state.
# No names on the map: the badge is a number, whatever the role.
SUPERVISION_COLOURS = {"ok": "#0072B2", "overdue": "#E69F00", "lost": "#882255"}
SUPERVISION_BADGE_PX = 18.0
