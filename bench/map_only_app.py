"""The map component alone: a page that holds nothing but the app's default map (the same spec,
module, Leaflet and topology as ``app.py``, see ``ours_map.py``), with the app's server fix
(``app_pages/server_socket.py``). Measured beside the empty pages, it splits the first paint
into what the map component costs (this page minus ``empty_nodelay_app.py``) and what the rest
of the app adds (``app.py`` minus this page).

Streamlit serves ``static/`` next to the script: the map module and the topology are published
into ``bench/static/`` (git-ignored) under the same URLs as the app's.
"""

from pathlib import Path

import streamlit as st

from app_pages.server_socket import enable_tcp_nodelay

HERE = Path(__file__).resolve().parent
st.set_page_config(page_title="map only", layout="wide")
if "tcp_nodelay" not in st.session_state:
    enable_tcp_nodelay()
    st.session_state["tcp_nodelay"] = True


@st.cache_resource(show_spinner=False)
def _spec() -> dict:
    from app_pages import leaflet_map
    from bench.ours_map import build_ours
    from ntm_geo.geo.boundaries import load_boundaries
    from ntm_geo.maps import webassets

    spec = build_ours(load_boundaries()).spec
    assert webassets.map_module_url(HERE / "static") == leaflet_map.MODULE_URL
    return spec.with_topology_url(webassets.publish_topology(spec.topology, HERE / "static"))


from app_pages.leaflet_map import show_map  # noqa: E402  (after the page config)

show_map(_spec(), key="map", height=560, on_ready=lambda: None)
