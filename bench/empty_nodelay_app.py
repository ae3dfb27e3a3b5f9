"""The framework floor with ntm-geo's one server fix: the empty page of ``empty_app.py`` plus
:func:`app_pages.server_socket.enable_tcp_nodelay` once per session, as ``app.py`` does.

Measured beside the stock empty page so the first-paint ratio can be read both ways: against
Streamlit as shipped, and against Streamlit with the same fix (``bench/README.md``).
"""

import streamlit as st

from app_pages.server_socket import enable_tcp_nodelay

st.set_page_config(page_title="empty", layout="wide")
if "tcp_nodelay" not in st.session_state:
    enable_tcp_nodelay()
    st.session_state["tcp_nodelay"] = True
st.markdown("bench-empty-ready")
