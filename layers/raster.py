"""The raster basemap layer: which tiles a view needs and where their corners go on the map.

Qt-free like every layer model; the painter (layers/painters.py) warps each tile image onto its
four corners. Tiles come from a data.basemap.TileFetcher (a Python thread); a tile that has not
arrived yet is asked for and left out of this frame.
"""

from __future__ import annotations

import numpy as np

from data.basemap import BasemapConfig, TileFetcher, tile_corners, tiles_covering, zoom_for
from data.geo import Projection
from data.snapshot import FeatureTable
from layers import style as S
from layers.model import QT_TRANSLATE_NOOP, LegendEntry, MapLayer, ViewState


class RasterBasemapLayer(MapLayer):
    name = "basemap"
    title = QT_TRANSLATE_NOOP("layers", "Basemap (tiles)")

    def __init__(self, config: BasemapConfig, fetcher: TileFetcher, projection: Projection):
        super().__init__(FeatureTable(np.array([], dtype=object), {}), S.BASEMAP)
        self.config, self.fetcher, self.projection = config, fetcher, projection
        self._corners: dict[tuple[int, int, int], np.ndarray] = {}

    @property
    def attribution(self) -> str:
        return self.config.attribution

    def tiles_for(self, view: ViewState) -> list[tuple[tuple[int, int, int], np.ndarray]]:
        """(tile key, its corners in map metres (4, 2)) for every tile the view needs."""
        minx, miny, maxx, maxy = view.world_rect
        lon, lat = self.projection.xy_to_lonlat(np.array([minx, maxx, maxx, minx]), np.array([miny, miny, maxy, maxy]))
        lon, lat = np.atleast_1d(lon), np.atleast_1d(lat)
        z = zoom_for(view.resolution, float(lat.mean()), self.config.min_zoom, self.config.max_zoom)
        # A GCJ-02 source shows true place p at GCJ(p): ask for the tiles around the shifted view.
        if self.config.coords != "wgs84":
            from data.district.coords import from_true
            lon, lat = from_true(lon, lat, self.config.coords)
        pad = 0.1 * (lon.max() - lon.min() + 1e-9)
        keys = tiles_covering((lon.min() - pad, lat.min() - pad, lon.max() + pad, lat.max() + pad), z)
        out = []
        for key in keys:
            corners = self._corners.get(key)
            if corners is None:
                ll = tile_corners(*key, coords=self.config.coords)
                x, y = self.projection.lonlat_to_xy(ll[:, 0], ll[:, 1])
                corners = self._corners[key] = np.column_stack([x, y])
            out.append((key, corners))
        return out

    def extent(self):
        return None  # tiles cover the world: never the reason for a zoom

    def hit_test(self, x, y, resolution):
        return None

    def legend(self):
        return [LegendEntry(self.config.attribution or self.config.location, S.BASEMAP)]
