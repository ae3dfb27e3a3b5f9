"""A tiny Streamlit app that shows an ``ntm_geo.maps.mapview`` map with st_folium, for browser tests.

Five made-up communes in two made-up districts near Lạng Sơn; a selectbox recolours them by
swapping the feature group only (no map re-creation). One name contains ``<script>`` to prove
escaping in the browser. Run by ``tests/browser/conftest.py`` from a temporary folder whose
``static/`` holds the Leaflet files (``STATIC_DIR`` env var), never by the real app.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas
import streamlit as st
from shapely.geometry import box
from streamlit_folium import st_folium

from ntm_geo.maps import legend, mapstyle, mapview, webassets

STATIC_DIR = Path(os.environ.get("NTM_GEO_FIXTURE_STATIC", Path(__file__).parent / "static"))

PALETTES = {
    "Xanh / Green": ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"],
    "Đỏ / Red": ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"],
}


@st.cache_resource
def _assets() -> Path:
    return webassets.install_leaflet(STATIC_DIR)


@st.cache_data
def _communes() -> geopandas.GeoDataFrame:
    cells = [box(106.4 + 0.2 * i, 21.6, 106.6 + 0.2 * i, 21.9) for i in range(5)]
    return geopandas.GeoDataFrame(
        {
            "commune_code": ["06001", "06004", "06007", "06010", "06013"],
            "name": ["Xã Một", "Xã Hai", "<script>alert('x')</script>", "Xã Bốn", "Xã Năm"],
            "district": ["A", "A", "A", "B", "B"],
            "rank": [0, 1, 2, 3, 4],
        },
        geometry=cells,
        crs=4326,
    )


_assets()
communes = _communes()
districts = communes.dissolve("district").reset_index()
palette_name = st.selectbox("Bảng màu / Palette", list(PALETTES))
colours = PALETTES[palette_name]
shown = communes.assign(fill=[colours[r] for r in communes["rank"]])

base = mapview.build_base_map(tuple(communes.total_bounds))
layer = mapview.choropleth_layer(
    shown,
    tooltip_columns=[("name", "Xã / Commune"), ("commune_code", "Mã / Code")],
    name="communes",
    dimmed_codes={"06013"},
)
layer.add_child(
    legend.legend_element(
        palette_name,
        [(c, f"Lớp {i + 1}", 1) for i, c in enumerate(colours)]
        + [(mapstyle.NO_DATA_FILL, mapstyle.NO_DATA_LABEL, 0)],
        note="Dữ liệu giả / Made-up data",
    )
)
outlines = mapview.district_outline_layer(districts, name="districts")
result = st_folium(
    base,
    feature_group_to_add=[layer, outlines],
    key="map",
    returned_objects=["last_active_drawing"],
    height=500,
    use_container_width=True,
)
st.write("Clicked:", mapview.clicked_commune_code(result))
