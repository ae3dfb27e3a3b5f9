"""Streamlit pages of ntm-geo (front end only: widgets -> ntm_geo core -> display)."""
