"""The one map component of every page: a Streamlit custom component v2 (public API, no iframe)
that takes DATA, not code.

* Python sends a JSON spec (:func:`ntm_geo.maps.mapbuild.build_view_spec` plus labels, texts and
  options): styles per unit, legend, bounds, texts -- a few KB; a theme change sends nothing else.
  It goes as compact UTF-8 JSON bytes (:func:`ntm_geo.maps.mapbuild.wire_bytes`: Streamlit's own
  JSON of a dict escapes every Vietnamese letter to 6 bytes), decoded by the module.
* The topology is a content-hashed static file (``/app/static/topo/<sha>.json``, written once per
  boundary set by :func:`ntm_geo.maps.webassets.publish_topology`) that the browser fetches once.
* ONE versioned JavaScript module owns Leaflet: ``ntm_geo/maps/static/ntm_map.js``, published as
  ``/app/static/ntm/ntm_map-<sha>.js``. The component's own script is a one-line loader that
  imports it, so the module is not resent with every rerun and the browser caches it.

When the app reruns: a click on a unit (``on_click``, the code is in :func:`clicked`) and, once,
when the map is drawn (``on_ready``). A style, legend, label or text change restyles the existing
map (zoom and pan kept); new bounds re-fit it; a new topology redraws the units in the same map.

DOM hooks (browser tests, page CSS): the map box is ``div.ntm-map-box`` (plus ``cls``) inside the
component's element (``.st-key-<key>``), its Leaflet map is ``box.__ntmMap``; paths, legend,
labels and tooltips keep their ``ntm-*`` classes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import streamlit as st

from app_pages.common import APP_CSS, lang
from ntm_geo.i18n import t
from ntm_geo.maps.mapbuild import ViewSpec, wire_bytes
from ntm_geo.maps.webassets import loader_js, local_asset_urls, map_module_url, publish_topology

MODULE_URL = map_module_url()
"""URL path of the published map module (content-hashed: a new version is a new URL)."""

_ASSETS = local_asset_urls()

# The component's script: a small loader (ntm_geo/maps/static/ntm_loader.js) that imports the
# one module and hands it the component, asking for Leaflet and the view's topology meanwhile
# (bench/README.md, session 8). It travels with every map message, so it is minified.
LOADER_JS = loader_js(MODULE_URL, _ASSETS)
_COMPONENT = st.components.v2.component("ntm_geo.map", js=LOADER_JS, isolate_styles=False)

TILES: dict[str, dict[str, str]] = {
    "openstreetmap": {
        "url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "attribution": "© OpenStreetMap contributors",
    }
}
"""Base tiles the map may show (only with internet; off by default)."""


def _ignore() -> None:
    """Default callback: a trigger without a callback still reruns the app, which is all it needs."""


_PUBLISHED: dict[int, tuple[dict, str]] = {}


def _topology_url(topo: dict) -> str:
    """The published topology's URL, written once per boundary set. Remembered per topology
    object (``commune_topology`` returns the same cached object for the same boundaries), so a
    rerun does not serialise it again."""
    hit = _PUBLISHED.get(id(topo))
    if hit is not None and hit[0] is topo:
        return hit[1]
    url = publish_topology(topo)
    if len(_PUBLISHED) >= 16:
        _PUBLISHED.pop(next(iter(_PUBLISHED)))
    _PUBLISHED[id(topo)] = (topo, url)  # (the topology is kept alive with its URL)
    return url


def map_spec(view: ViewSpec, **extra: Any) -> dict[str, Any]:
    """The spec of ``view`` with its topology published (URL instead of geometry) and ``extra``
    fields (``labels``, ``texts``, ``marked``...: see ``ntm_map.js``)."""
    return view.with_topology_url(_topology_url(view.topology), **extra)


def payload(
    spec: Mapping[str, Any],
    *,
    ready: bool,
    error: str,
    options: Mapping[str, Any] | None = None,
    page: Mapping[str, str] | None = None,
    page_css: bool = False,
) -> dict[str, Any]:
    """What the browser receives for one run: ``spec`` (not mutated) with the options, the texts
    around the map (``page``: title, note, caption; set as text, never HTML), Leaflet's URLs, the
    ready flag, the error text and, with ``page_css``, the app's CSS (for a first paint that
    comes before the page's own CSS element; the module keeps it)."""
    return {
        **spec,
        "options": {**spec.get("options", {}), **(options or {})},
        "page": dict(page or {}),
        "css": APP_CSS if page_css else "",
        "assets": {"js": [u for _, u in _ASSETS.js], "css": [u for _, u in _ASSETS.css]},
        "ready": ready,
        "error": error,
    }


def show_map(
    spec: Mapping[str, Any],
    *,
    key: str,
    on_click: Callable[[], None] | None = None,
    on_ready: Callable[[], None] | None = None,
    height: int | str = 560,
    title: str = "",
    note: str = "",
    caption: str = "",
    **options: Any,
) -> str | None:
    """Show the map of ``spec`` (from :func:`map_spec`) in the page.

    Parameters
    ----------
    key : str
        Widget key; the clicked unit is in ``st.session_state[key]["click"]`` inside ``on_click``.
    on_click : callable, optional
        Called (as a widget callback, before the rerun) when a unit is clicked.
    on_ready : callable, optional
        Called (then the app reruns) once the map is drawn in the browser -- or could not be:
        the page may hold back its other elements until then (see ``app_pages/map.py``).
    height : int or str
        Map height in CSS px, or a CSS length such as ``"calc(100vh - 92px)"``.
    title, note, caption : str
        A heading and a warning above the map, a line under it: plain texts drawn by the
        component itself, so the page's first paint needs no other element before the map.
    **options
        ``cls`` (CSS class of the box), ``look`` ("projector"), ``tiles`` (a key of
        :data:`TILES` or None), ``keyboard`` (Leaflet's arrow-key panning), ``sync`` (maps of one
        sync group keep the same view), ``keys`` ({key name: button key} clicked by the key).

    Returns
    -------
    str or None
        The unit code clicked in the browser just before this run, else None.
    """
    tiles = options.pop("tiles", None)
    data = payload(
        spec,
        ready=on_ready is not None,
        error=t("map_error", lang()),
        options={"height": height, "tiles": TILES.get(tiles) if tiles else None, **options},
        page={"title": title, "note": note, "caption": caption},
        page_css=on_ready is not None,  # the first paint: the page's CSS element comes later
    )
    result = _COMPONENT(
        data=wire_bytes(data),  # compact UTF-8 JSON, values packed: a theme change stays small
        key=key,
        on_click_change=on_click or _ignore,
        on_ready_change=on_ready or _ignore,
    )
    click = getattr(result, "click", None)
    return click.get("id") if isinstance(click, dict) else None


def clicked(key: str) -> str | None:
    """Inside an ``on_click`` callback: the unit code that was clicked on map ``key``."""
    value = st.session_state.get(key)
    click = value.get("click") if hasattr(value, "get") else None
    return click.get("id") if isinstance(click, dict) else None
