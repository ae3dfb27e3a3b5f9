"""Naive peer app: ``gdf.explore()`` + ``st_folium``, as a newcomer would write it.

Run by ``bench/run_bench.py`` (``streamlit run bench/peer_app.py`` from the repo root). Same page
layout as the app (wide, full-width map, 560 px high) so the map has the same size.
"""

import streamlit as st
from streamlit_folium import st_folium

from bench.peer_map import peer_gdf, peer_map, st_folium_kwargs

st.set_page_config(page_title="NTM Lạng Sơn (peer)", layout="wide")


@st.cache_data
def load():
    return peer_gdf()


gdf = load()
st.markdown("### Số tiêu chí đạt (0–19), 2015")
st_folium(peer_map(gdf), **st_folium_kwargs())
