"""The app's default map, built exactly as ``app_pages/map.py`` builds it (pure, no Streamlit import).

Mirrors the map part of the map page for its default widget values (language ``vi``, year 2015,
theme *criteria*, variable ``criteria_met``, all districts, no tiles, nothing selected):
``build_view_layers`` -> ``layers.base_map()`` (geometry, sent once per map) +
``layers.feature_groups`` (colours, tooltips, legend), so the Python-side figures (payload bytes,
build time) describe what the running app sends. If the page changes how it builds the map,
change this file too (the browser-side figures measure the real app and so catch drift: compare
"py payload" with "ws bytes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium

from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.geo import boundaries as bnd
from ntm_geo.i18n import t
from ntm_geo.maps.mapbuild import build_view_layers
from ntm_geo.maps.themes import compute_view, join_dataset

YEAR = 2015
VARIABLE = "criteria_met"
SCHEME, K = "natural_breaks", 5
LANG = "vi"
MAP_HEIGHT = 560


@dataclass
class OursMap:
    """What the map page hands to ``app_pages.leaflet_map.leaflet_map`` for the default view."""

    base: folium.Map
    feature_groups: list[folium.FeatureGroup]

    def component_data(self) -> dict[str, Any]:
        """The map's message, as ``app_pages.leaflet_map.leaflet_map`` builds it."""
        from app_pages.leaflet_map import component_data

        return component_data(
            self.base, key="map", feature_group_to_add=self.feature_groups, height=MAP_HEIGHT
        )


def build_ours(boundaries: bnd.Boundaries, *, lang: str = LANG, variable: str = VARIABLE) -> OursMap:
    """join -> classify (compute_view) -> build_view_layers -> base map with geometry + style group."""
    table = join_dataset(boundaries.communes_web, load_illustrative(YEAR))
    result = compute_view(table, variable, scheme=SCHEME, k=K, lang=lang)
    layers = build_view_layers(
        table, boundaries.districts_web, result, year=YEAR, source=t("illustrative_data", lang), lang=lang,
        scheme=SCHEME, district="", highlight=set(),
    )  # fmt: skip
    if not hasattr(layers, "base_map"):  # a revision before ViewLayers.base_map (bench --ref)
        from ntm_geo.maps.mapview import build_base_map

        return OursMap(build_base_map(layers.bounds, tiles=None), [layers.communes, layers.outlines])
    return OursMap(layers.base_map(tiles=None), layers.feature_groups)
