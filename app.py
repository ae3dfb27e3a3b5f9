"""ntm-geo — Streamlit entry point: page setup, language, navigation between the pages.

Run: ``streamlit run app.py``. Pages live in ``app_pages/`` (front end only); all logic is in the
``ntm_geo`` package. A page is listed when its file exists, so each page is added by creating its
file and one row of :data:`PAGES`.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import streamlit as st

from app_pages.common import plain_text
from app_pages.leaflet_map import preload_script
from ntm_geo.i18n import LANGUAGES, t
from ntm_geo.webassets import install_leaflet

HERE = Path(__file__).resolve().parent

#: (file, title key in ntm_geo.i18n, icon, url path); the first is the default page. Icons are
#: emoji on purpose: a page icon becomes the favicon, and Streamlit fetches Material-symbol
#: favicons from Google's font CDN (an external request, and nothing offline).
PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/map.py", "page_map", "🗺️", "map"),
    ("app_pages/present.py", "page_present", "📽️", "present"),
    ("app_pages/planner.py", "page_planner", "🎯", "planner"),
    ("app_pages/data.py", "page_data", "📥", "data"),
]

st.set_page_config(page_title="NTM Lạng Sơn", page_icon="🗺️", layout="wide")


@st.cache_resource(show_spinner=False)
def _install_leaflet() -> None:
    """Leaflet into static/vendor/ before any page asks for it (a fresh clone has none yet)."""
    install_leaflet()


_install_leaflet()
st.html(  # static CSS (less empty space above the map on a 768-pixel-high projector) and Leaflet's preload
    preload_script()
    + "<style>[data-testid='stMainBlockContainer'], .block-container {padding-top: 3.2rem; padding-bottom: 1rem}"
    " h4 {padding-top: 0.2rem}"
    # plain_text (app_pages/common.py): the map page's title, warning and captions without Markdown
    " .ntm-title {font-size: 1.5rem; font-weight: 600; line-height: 1.2; margin: 0; padding: 0.2rem 0 0.25rem}"
    " .ntm-app-title {font-size: 1.5rem; font-weight: 600; line-height: 1.2; margin: 0; padding: 1.25rem 0 0.5rem}"
    " .ntm-caption {font-size: 0.875rem; line-height: 1.6; margin: 0; opacity: 0.7}"
    " .ntm-note {display: flex; gap: 0.75rem; padding: 1rem; border-radius: 0.5rem; line-height: 1.5}"
    " .ntm-note-warning {background: rgb(255, 250, 229); color: rgb(149, 107, 15)}"
    " .ntm-note-icon {font-family: 'Material Symbols Rounded'; font-size: 1.25rem; line-height: 1.25;"
    " font-feature-settings: 'liga'; -webkit-font-smoothing: antialiased; user-select: none}"
    " @media (max-width: 1100px) {[data-testid='stMainBlockContainer'], .block-container"
    " {padding-left: 1rem; padding-right: 1rem}}</style>",
    unsafe_allow_javascript=True,  # our own static script: no data, no user text
)

if "lang" not in st.session_state:  # a shared link may set the language
    st.session_state["lang"] = st.query_params.get("lang", "vi") if st.query_params.get("lang") in LANGUAGES else "vi"


def _sync_lang() -> None:  # in a callback, so the URL shows the language at once
    if st.session_state["lang"] == "vi":
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = st.session_state["lang"]


def _map_first_paint() -> bool:
    """True for a session's first run when it opens on the map page: the page menu then comes
    with the controls, just after the map is drawn (app_pages/map.py, FIRST_PAINT) -- the browser
    renders the menu before the map otherwise, ~60 ms later paint (bench/README.md, session 4).
    Once shown, the menu stays (no flicker when the map page is opened later from the menu)."""
    if st.session_state.get("menu_shown") or st.session_state.get("map_drawn"):
        return False
    path = urlparse(st.context.url or "").path.strip("/")
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    return path in ("", "map")


lang = st.session_state["lang"]
pages = [
    st.Page(HERE / path, title=t(title_key, lang), icon=icon, url_path=url, default=(i == 0))
    for i, (path, title_key, icon, url) in enumerate(PAGES)
    if (HERE / path).exists()
]
menu_later = _map_first_paint()
page = st.navigation(pages, position="hidden" if menu_later else "sidebar")
if not menu_later:
    st.session_state["menu_shown"] = True
# The map page's first run sends the map alone (app_pages/map.py, FIRST_PAINT): no widget here either.
if page.url_path not in ("", "map") or st.session_state.get("map_drawn"):
    st.sidebar.radio(
        "Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="lang",
        on_change=_sync_lang,
    )
plain_text(t("app_title", lang), "app_title", where=st.sidebar)
# Pages tell a switch from the sidebar (the new page's URL has no query) from Back/Forward or a
# pasted link within a page (a query that differs from the one the page last wrote).
st.session_state["page_switched"] = st.session_state.get("page_now") != page.url_path
st.session_state["page_now"] = page.url_path
page.run()
