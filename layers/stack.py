"""The console's layer stack for a store, bottom first. Qt-free: the loading runs on a worker."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from data import snapshot
from data.hotspots import key_areas
from data.ledgers.people import grid_counts
from data.patrol.plans import plans
from data.store.core import Store
from layers.basemap import BuildingLayer, StreetLayer, WaterLayer
from layers.cameras import CameraLayer
from layers.coverage import CoverageLayer
from layers.grids import ChoroplethLayer, CommunityLayer, DistrictLayer, GridLayer
from layers.hotspots import HeatLayer, HotspotLayer, KeyAreaLayer
from layers.incidents import IncidentLayer
from layers.ledgers import SupervisionLayer
from layers.model import MapLayer
from layers.patrols import TeamLayer, TeamTrails, TrailLayer
from layers.plans import PatrolPlanLayer
from layers.raster import RasterBasemapLayer
from layers.routes import ImportPreviewLayer, RouteLayer


def build_layer_stack(store: Store, now: datetime | None = None, trail_minutes: float = 10.0) -> list[MapLayer]:
    now = now or datetime.now(timezone.utc)
    grids = snapshot.load_grids(store, now)
    return basemap_layers(store) + [
        WaterLayer(snapshot.load_water(store)),
        BuildingLayer(snapshot.load_buildings(store)),
        StreetLayer(snapshot.load_streets(store)),
        CommunityLayer(snapshot.community_outlines(grids)),
        ChoroplethLayer(grids),
        HeatLayer(),
        HotspotLayer(),
        KeyAreaLayer(key_areas(store)),
        PatrolPlanLayer(plans(store)),
        district_layer(store, grids),
        GridLayer(grids),
        CameraLayer(snapshot.load_cameras(store)),
        SupervisionLayer(grids, grid_counts(store, now)),
        IncidentLayer(snapshot.load_incidents(store, now)),
        trail_layer(store, now, timedelta(minutes=trail_minutes)),
        RouteLayer(),
        CoverageLayer(),
        TeamLayer(snapshot.load_teams(store, now, grids)),
        ImportPreviewLayer(),
    ]


def district_layer(store: Store, grids) -> DistrictLayer:
    """The boundary, shown while the district has no grids (the communities' outlines draw the same
    edge once it has, and a thick antialiased outline costs 2 ms a frame); always in the layer panel."""
    layer = DistrictLayer(snapshot.load_district_table(store))
    layer.visible = len(grids) == 0
    return layer


def basemap_layers(store: Store) -> list[MapLayer]:
    """The office's raster basemap, when one is set (gridwatch basemap …), beneath everything."""
    from data.basemap import TileFetcher, load_basemap_config
    config = load_basemap_config(store)
    if config is None:
        return []
    return [RasterBasemapLayer(config, TileFetcher(config, store.path), store.projection)]


def trail_layer(store: Store, now: datetime, window: timedelta = timedelta(minutes=10)) -> TrailLayer:
    """Trails of the last `window`, read from the stored fixes."""
    from data.feeds.tracks import fixes_since
    trails = TeamTrails(window=window)
    batch = fixes_since(store, now - trails.window, now)
    trails.add(batch.team_id, batch.t, batch.x, batch.y)
    layer = TrailLayer(trails)
    layer.set_time(now)
    return layer
