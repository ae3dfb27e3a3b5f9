"""The app's default map, built exactly as ``app.py`` builds it (pure, no Streamlit import).

Mirrors the map part of ``app.py`` (as of commit ae7675c: full-width map, 560 px high, Leaflet
fits the bounds itself) for its default widget values (language ``vi``, year 2015,
theme *criteria*, variable ``criteria_met``, all districts, no tiles, nothing selected), so the
Python-side figures (payload bytes, build time) describe what the running app sends. If
``app.py`` changes how it builds the map, change this file too (the browser-side figures measure
the real ``app.py`` and so catch drift: compare "py payload" with "ws bytes").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import folium

from ntm_geo import boundaries as bnd
from ntm_geo.datasets import load_illustrative
from ntm_geo.i18n import t
from ntm_geo.mapview import build_base_map, choropleth_layer, district_outline_layer, legend_element
from ntm_geo.themes import VARIABLES, compute_view, join_dataset

YEAR = 2015
VARIABLE = "criteria_met"
SCHEME, K = "natural_breaks", 5
LANG = "vi"
MAP_HEIGHT = 560


@dataclass
class OursMap:
    """What ``app.py`` hands to ``st_folium`` for the default view."""

    base: folium.Map
    feature_groups: list[folium.FeatureGroup]

    def st_folium_kwargs(self) -> dict[str, Any]:
        return dict(
            feature_group_to_add=self.feature_groups,
            key="map",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_active_drawing"],
        )


def build_ours(boundaries: bnd.Boundaries, *, lang: str = LANG) -> OursMap:
    """join -> classify (compute_view) -> choropleth layer + legend + district outlines + base map."""
    table = join_dataset(boundaries.communes_web, load_illustrative(YEAR))
    result = compute_view(table, VARIABLE, scheme=SCHEME, k=K, lang=lang)
    variable = VARIABLES[VARIABLE]
    source_label = "Dữ liệu minh họa" if lang == "vi" else "Illustrative data"

    layer_gdf = table[["commune_code", "name_with_type", "district_name", "geometry"]].copy()
    layer_gdf["fill"] = list(result.fills)
    layer_gdf["value"] = list(result.display_values)
    fg = choropleth_layer(
        layer_gdf,
        tooltip_columns=[
            ("name_with_type", t("tooltip_commune", lang)),
            ("district_name", t("tooltip_district", lang)),
            ("value", variable.label(lang)),
        ],
        name="communes",
        dimmed_codes=set(),
        highlight_codes=set(),
    )
    unit = f" ({variable.unit_vi if lang == 'vi' else variable.unit_en})" if variable.unit_vi else ""
    fg.add_child(
        legend_element(
            f"{variable.label(lang)}{unit}",
            result.classification.legend_entries(lang),
            note=f"{YEAR} · {source_label}",
            font_px=15,
        )
    )
    outlines = district_outline_layer(boundaries.districts_web, name="districts")
    base = build_base_map(tuple(boundaries.communes_web.total_bounds), tiles=None)
    return OursMap(base, [fg, outlines])
