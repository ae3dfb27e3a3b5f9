"""The naive peer's map: what a newcomer writes with ``GeoDataFrame.explore()``.

Same data as the app (full-resolution ``load_boundaries().communes`` joined with the 2015
illustrative dataset), ``gdf.explore(column="criteria_met", tooltip=[...])``, shown with
``st_folium``. One fairness fix so it renders offline like the app: every script/style URL
points at the locally served Leaflet (``local_asset_urls()``) and nothing else is loaded:

* ``m.default_js`` / ``m.default_css``: jQuery, Bootstrap, Font Awesome and awesome-markers
  (folium's CDN defaults, unused by a choropleth) are dropped, Leaflet is localised;
* ``tiles=None``: the OpenStreetMap tiles would be requests to another host (the app shows no
  tiles by default either);
* ``legend=False``: explore's colour-bar legend is a branca colormap, for which st_folium
  always adds d3 from two CDNs. Dropping it makes the peer do *less* work than the app (which
  draws a legend), so the comparison is conservative.

Used by ``bench/peer_app.py`` (the running peer) and by ``bench/run_bench.py`` (Python-side
figures), so both measure the same map.
"""

from __future__ import annotations

import folium
import geopandas as gpd

from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.geo.boundaries import load_boundaries
from ntm_geo.maps.webassets import local_asset_urls

MAP_HEIGHT = 560
TOOLTIP = ["name_with_type", "district_name", "criteria_met"]


def peer_gdf() -> gpd.GeoDataFrame:
    """Full-resolution communes with the 2015 illustrative columns (plain ``merge``)."""
    return load_boundaries().communes.merge(load_illustrative(2015), on="commune_code", how="left")


def peer_map(gdf: gpd.GeoDataFrame) -> folium.Map:
    m = gdf.explore(column="criteria_met", tooltip=TOOLTIP, tiles=None, legend=False)
    urls = local_asset_urls()
    m.default_js = list(urls.js)  # fairness fix: local Leaflet, no CDN
    m.default_css = list(urls.css)
    return m


def st_folium_kwargs() -> dict:
    return dict(height=MAP_HEIGHT, use_container_width=True)
