"""Framework floor: an (almost) empty Streamlit page with the app's page config.

Painted = the marker paragraph is visible in ``[data-testid="stMain"]``.
"""

import streamlit as st

st.set_page_config(page_title="empty", layout="wide")
st.markdown("bench-empty-ready")
