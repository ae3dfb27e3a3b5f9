"""The app's default map, built exactly as ``app_pages/map.py`` builds it (pure, no Streamlit import).

Mirrors the map part of the map page for its default widget values (language ``vi``, year 2015,
theme *criteria*, variable ``criteria_met``, all districts, no tiles, nothing selected):
``build_view_spec`` (styles, legend, bounds: data) + the topology (a static file fetched once) +
the map module (a static file fetched once), so the Python-side figures (payload bytes, build
time) describe what the running app sends. If the page changes how it builds the map,
change this file too (the browser-side figures measure the real app and so catch drift: compare
"py payload" with "ws bytes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.geo import boundaries as bnd
from ntm_geo.i18n import t
from ntm_geo.maps.themes import compute_view, join_dataset

YEAR = 2015
VARIABLE = "criteria_met"
SCHEME, K = "natural_breaks", 5
LANG = "vi"
MAP_HEIGHT = 560


@dataclass
class OursMap:
    """What the map page hands to ``app_pages.leaflet_map.show_map`` for the default view."""

    spec: Any  # ntm_geo.maps.mapbuild.ViewSpec (or the folium pair of a revision before it)
    feature_groups: list[Any] | None = None

    def component_data(self) -> dict[str, Any]:
        """The map's message, as ``app_pages.leaflet_map.show_map`` builds it."""
        from app_pages import leaflet_map

        if self.feature_groups is not None:  # a revision with the folium component (bench --ref)
            return leaflet_map.component_data(  # type: ignore[attr-defined]
                self.spec, key="map", feature_group_to_add=self.feature_groups, height=MAP_HEIGHT
            )
        return leaflet_map.payload(
            leaflet_map.map_spec(self.spec), ready=True, error="", options={"height": MAP_HEIGHT}, page={},
            page_css=True,
        )  # fmt: skip

    def first_load_files(self) -> dict[str, int]:
        """Bytes of the files the browser fetches once for the map (besides Leaflet, which the
        peer loads too): the topology and the map module."""
        if self.feature_groups is not None:
            return {}
        from ntm_geo.maps import webassets

        module = webassets.REPO_ROOT / "static" / webassets.map_module_url().removeprefix("/app/static/")
        return {
            "topology file": len(webassets.topology_bytes(self.spec.topology)),
            "map module": module.stat().st_size,  # as published (minified)
        }


def build_ours(boundaries: bnd.Boundaries, *, lang: str = LANG, variable: str = VARIABLE) -> OursMap:
    """join -> classify (compute_view) -> build_view_spec (data) -- as ``app_pages/common.map_data``."""
    table = join_dataset(boundaries.communes_web, load_illustrative(YEAR))
    result = compute_view(table, variable, scheme=SCHEME, k=K, lang=lang)
    try:
        from ntm_geo.maps.mapbuild import build_view_spec
    except ImportError:  # a revision before the data-driven component (bench --ref)
        from ntm_geo.maps.mapbuild import build_view_layers

        layers = build_view_layers(
            table, boundaries.districts_web, result, year=YEAR, source=t("illustrative_data", lang), lang=lang,
            scheme=SCHEME, district="", highlight=set(),
        )  # fmt: skip
        return OursMap(layers.base_map(tiles=None), layers.feature_groups)
    spec = build_view_spec(
        table, boundaries.districts_web, result, year=YEAR, source=t("illustrative_data", lang), lang=lang,
        scheme=SCHEME, district="", highlight=set(),
    )  # fmt: skip
    return OursMap(spec)
