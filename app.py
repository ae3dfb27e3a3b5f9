"""ntm-geo — Streamlit entry point: page setup, language, navigation between the pages.

Run: ``streamlit run app.py``. Pages live in ``app_pages/`` (front end only); all logic is in the
``ntm_geo`` package. A page is listed when its file exists, so each page is added by creating its
file and one row of :data:`PAGES`.

The app runs in :func:`main`, only when this file is the script Streamlit runs (``__main__``). A
``multiprocessing`` child -- the import worker, :mod:`ntm_geo.datasets.import_worker` -- re-reads
the parent's main script as ``__mp_main__`` before it starts: it then gets these definitions and
nothing else (before, every upload's worker imported Streamlit and ran the whole map page in
Streamlit's bare mode).
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent

#: (file, title key in ntm_geo.i18n, icon, url path); the first is the default page, served at
#: ``/`` (its url path, :data:`DEFAULT_URL_PATH`, is Streamlit's internal name for it). Icons are
#: emoji on purpose: a page icon becomes the favicon, and Streamlit fetches Material-symbol
#: favicons from Google's font CDN (an external request, and nothing offline).
PAGES: list[tuple[str, str, str, str]] = [
    ("app_pages/map.py", "page_map", "🗺️", ""),
    ("app_pages/present.py", "page_present", "📽️", "present"),
    ("app_pages/planner.py", "page_planner", "🎯", "planner"),
    ("app_pages/years.py", "page_years", "📅", "years"),
    ("app_pages/data.py", "page_data", "📥", "data"),
]

#: Streamlit 1.67 serves the default page at ``/`` only (``/<its url_path>`` gets the "Page not
#: found" dialog), yet its ``url_path`` is the page's id and must be unique: a name no link uses,
#: so that ``map`` can be the alias's.
DEFAULT_URL_PATH = "index"
#: ``/map?...`` (older links, addresses typed by hand) opens the map page with that view: a hidden
#: page of the same file, which a session's first run switches to ``/`` with the same query.
MAP_ALIAS = "map"


def main() -> None:
    """The app: page setup, language, navigation, then the chosen page (one Streamlit run)."""
    import streamlit as st

    from app_pages.common import APP_CSS, run_page
    from app_pages.server_socket import enable_tcp_nodelay
    from ntm_geo.i18n import LANGUAGES, t
    from ntm_geo.maps.webassets import install_leaflet

    st.set_page_config(page_title="NTM Lạng Sơn", page_icon="🗺️", layout="wide")
    if "tcp_nodelay" not in st.session_state:  # once per session: the connections it opened, and
        # the listening socket (new connections inherit it); see app_pages/server_socket.py
        enable_tcp_nodelay()
        st.session_state["tcp_nodelay"] = True

    @st.cache_resource(show_spinner=False)
    def _log_handler() -> None:
        """The app's log lines (sign-in failures, unexpected errors with their id and traceback) on
        the server's standard error, with time and level, once per process."""
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger = logging.getLogger("ntm_geo")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)

    _log_handler()

    def _map_first_paint() -> bool:
        """True for a session's first run when it opens on the map page. That run sends the map
        before anything else (app_pages/map.py, FIRST_PAINT): the page menu comes with the controls,
        just after the map is drawn, and the app's CSS with the map component -- the browser renders
        the menu and loads the ``st.html`` renderer before the map otherwise, ~0.1-0.2 s later paint
        (bench/README.md, session 4). Once shown, the menu stays (no flicker when the map page is
        opened later from the menu)."""
        if st.session_state.get("menu_shown") or st.session_state.get("map_drawn"):
            return False
        path = urlparse(st.context.url or "").path.strip("/")
        base = (st.get_option("server.baseUrlPath") or "").strip("/")
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base) :].strip("/")
        return path in ("", MAP_ALIAS)

    @st.cache_resource(show_spinner=False)
    def _install_leaflet() -> None:
        """Leaflet into static/vendor/ before any page asks for it (a fresh clone has none yet)."""
        install_leaflet()

    _install_leaflet()
    MAP_FIRST_PAINT = _map_first_paint()  # decided once per run: the menu and the CSS follow it
    # The app's CSS (style only: Streamlit places it in its event container, where it takes no room).
    # Not on a session's first run of the map page: that run sends the map before anything else
    # (app_pages/map.py, FIRST_PAINT), and the map component brings the same CSS.
    if not MAP_FIRST_PAINT:
        st.html(f"<style>{APP_CSS}</style>")

    if "lang" not in st.session_state:  # a shared link may set the language
        st.session_state["lang"] = (
            st.query_params.get("lang", "vi") if st.query_params.get("lang") in LANGUAGES else "vi"
        )

    def _sync_lang() -> None:  # in a callback, so the URL shows the language at once
        if st.session_state["lang"] == "vi":
            st.query_params.pop("lang", None)
        else:
            st.query_params["lang"] = st.session_state["lang"]

    lang = st.session_state["lang"]
    pages = [
        st.Page(
            HERE / path,
            title=t(title_key, lang),
            icon=icon,
            url_path=url or DEFAULT_URL_PATH,
            default=(i == 0),
        )
        for i, (path, title_key, icon, url) in enumerate(PAGES)
        if (HERE / path).exists()
    ]
    map_alias = st.Page(
        HERE / PAGES[0][0], title=pages[0].title, icon=PAGES[0][2], url_path=MAP_ALIAS, visibility="hidden"
    )
    page = st.navigation([*pages, map_alias], position="hidden" if MAP_FIRST_PAINT else "sidebar")
    if page.url_path == MAP_ALIAS and "page_now" not in st.session_state:
        # a link opened at /map: the same view at "/", the address the app writes (st.switch_page pushes
        # it, so Back from "/" comes to /map in this session, which shows the map where it is: no loop)
        st.switch_page(
            pages[0], query_params=[(k, v) for k in st.query_params for v in st.query_params.get_all(k)]
        )
    if not MAP_FIRST_PAINT:
        st.session_state["menu_shown"] = True
    # The map page's first run sends the map alone (app_pages/map.py, FIRST_PAINT): no widget here either.
    if page.url_path not in ("", MAP_ALIAS) or st.session_state.get("map_drawn"):
        st.sidebar.radio(
            "Ngôn ngữ / Language",
            list(LANGUAGES),
            format_func=LANGUAGES.get,
            horizontal=True,
            key="lang",
            on_change=_sync_lang,
        )
    st.sidebar.title(t("app_title", lang))
    # Pages tell a switch from the sidebar (the new page's URL has no query) from Back/Forward or a
    # pasted link within a page (a query that differs from the one the page last wrote).
    st.session_state["page_switched"] = st.session_state.get("page_now") != page.url_path
    st.session_state["page_now"] = page.url_path
    run_page(page.run)  # an exception in a page: logged with an id, shown as that id (never a traceback)


if __name__ == "__main__":  # `streamlit run app.py` (not a multiprocessing child's __mp_main__)
    main()
