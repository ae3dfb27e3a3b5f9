"""A folium map drawn in the app page itself: a Streamlit custom component v2, no iframe.

Why not ``st_folium``: its map lives in an iframe that must load its own document, the
component's 54 KB script and then Leaflet, one after the other, each waiting behind the page's
widget scripts; the map was painted ~0.8 s after the empty page (bench/README.md). Here the map's
scripts run in the page as soon as the element arrives; Leaflet (served by this app, never a CDN)
is fetched once per page and shared by every map on it.

The folium map is rendered to strings exactly as streamlit-folium does (its helper functions),
so everything in :mod:`ntm_geo.maps.mapview` (base map with the geometry, feature groups with the
colours and legend) is unchanged:

* the **base map** script is hashed; the map is re-created only when that hash changes (other
  bounds, tiles, geometry) -- colour changes keep the zoom and pan;
* the **feature groups** are re-evaluated when their script changes (old groups removed first);
* a click on a commune reruns the app with ``on_click`` and returns the commune code
  (:func:`leaflet_map`); the same commune clicked twice is two clicks.

DOM hooks: the map box is ``div.ntm-map-box`` (plus ``cls``) inside the component's element
(``.st-key-<key>``); paths, legend and tooltips keep their ``ntm-*`` classes.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import _get_feature_group_string, _get_header, _get_map_string

from app_pages.common import APP_CSS, lang
from ntm_geo.i18n import t

_JS = (Path(__file__).with_name("leaflet_map.js")).read_text(encoding="utf-8")
_COMPONENT = st.components.v2.component("ntm_geo.leaflet_map", js=_JS, isolate_styles=False)

_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_RANDOM_IDS = re.compile(r"_[0-9a-f]{32}")


def _ignore() -> None:
    """Default callback: a trigger without a callback still reruns the app, which is all it needs."""


def _styles(header: str) -> list[str]:
    """The ``<style>`` texts of a folium header, minus its full-page rules (``html, body``,
    ``#map``), which would restyle the whole app page."""
    return [s.strip() for s in _STYLE.findall(header) if "html, body" not in s and "#map {" not in s]


def _links(m: folium.Map) -> tuple[list[str], list[str]]:
    """Leaflet's JS and CSS URLs of the map and its elements (deduplicated, in order)."""
    js: list[str] = []
    css: list[str] = []

    def walk(el) -> None:
        js.extend(src for _, src in getattr(el, "default_js", []))
        css.extend(href for _, href in getattr(el, "default_css", []))
        for child in getattr(el, "_children", {}).values():
            walk(child)

    walk(m)
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


def component_data(
    m: folium.Map,
    *,
    key: str,
    feature_group_to_add: Iterable[folium.FeatureGroup] | None = None,
    height: int = 560,
    cls: str = "",
    ready: bool = False,
    error: str = "",
) -> dict:
    """What :func:`leaflet_map` sends to the browser (see ``leaflet_map.js``): the folium map
    rendered to strings as streamlit-folium renders it. Also used by ``bench/`` to weigh it
    (``len(json.dumps(data))`` = bytes of the map's message)."""
    m.get_root().render()
    header = _get_header(m)  # before _get_map_string, which renames the map ("map_div")
    script = _get_map_string(m)
    groups = "".join(
        _get_feature_group_string(g, map=m, idx=i) for i, g in enumerate(feature_group_to_add or [])
    )
    js, css = _links(m)
    return {
        "uid": "ntm_map_" + re.sub(r"[^0-9A-Za-z_]", "_", key),
        "hash": hashlib.sha256(_RANDOM_IDS.sub("", script).encode()).hexdigest()[:16],
        "script": script,
        "groups": groups,
        "styles": _styles(header),
        "js": js,
        "css": css,
        "height": height,
        "cls": cls,
        "ready": ready,
        "error": error,
    }


def leaflet_map(
    m: folium.Map,
    *,
    key: str,
    feature_group_to_add: Iterable[folium.FeatureGroup] | None = None,
    height: int = 560,
    on_click: Callable[[], None] | None = None,
    on_ready: Callable[[], None] | None = None,
    cls: str = "",
) -> str | None:
    """Show ``m`` (a fresh folium map each run) with ``feature_group_to_add`` in the page.

    Parameters
    ----------
    m : folium.Map
        The base map (re-created in the browser only when its script changes).
    key : str
        Widget key; the clicked commune is in ``st.session_state[key]["click"]`` inside
        ``on_click``.
    feature_group_to_add : folium feature groups, swapped without re-creating the map.
    height : int
        Map height in CSS pixels (the width fills the column).
    on_click : callable, optional
        Called (as a widget callback, before the rerun) when a commune is clicked.
    on_ready : callable, optional
        Called (as a widget callback, then the app reruns) once the map is drawn in the
        browser -- or could not be drawn: the page may hold back its other elements until then
        so that their scripts do not delay the map (see ``app_pages/map.py``).
    cls : str
        Extra CSS class of the map box (page CSS can size it, e.g. a projector slide).

    Returns
    -------
    str or None
        The commune code clicked in the browser just before this run, else None.
    """
    data = component_data(m, key=key, feature_group_to_add=feature_group_to_add, height=height, cls=cls)
    return show_map(data, key=key, on_click=on_click, on_ready=on_ready)


def payload(data: dict, *, ready: bool, error: str, height: int | str | None, texts: dict[str, str]) -> dict:
    """The component's data for one run: ``data`` (:func:`component_data`) with the ready flag,
    the error text, the texts around the map and the app's CSS (see :func:`show_map`)."""
    out = {
        **data,
        "ready": ready,
        "error": error,
        "texts": dict(texts),
        "styles": [*data.get("styles", []), APP_CSS],
    }
    if height is not None:
        out["height"] = height
    return out


def show_map(
    data: dict,
    *,
    key: str,
    on_click: Callable[[], None] | None = None,
    on_ready: Callable[[], None] | None = None,
    height: int | str | None = None,
    title: str = "",
    note: str = "",
    caption: str = "",
) -> str | None:
    """:func:`leaflet_map` for data already made by :func:`component_data` (e.g. cached: the
    same view in every new session costs no folium rendering). Same arguments and result;
    ``height`` (px, or a CSS length such as ``"min(560px, calc(100vh - 250px))"``) replaces the
    data's.

    ``title`` (a heading above the map), ``note`` (a warning box under the title) and
    ``caption`` (a line under the map) are plain texts drawn by the component itself (as text,
    never HTML), with the app's CSS (:data:`app_pages.common.APP_CSS`): the map page's first
    paint then needs no other element, and no other renderer script, before the map."""
    data = payload(
        data,
        ready=on_ready is not None,
        error=t("map_error", lang()),
        height=height,
        texts={"title": title, "note": note, "caption": caption},
    )
    result = _COMPONENT(
        data=data, key=key, on_click_change=on_click or _ignore, on_ready_change=on_ready or _ignore
    )
    click = getattr(result, "click", None)
    return click.get("id") if isinstance(click, dict) else None


def clicked(key: str) -> str | None:
    """Inside an ``on_click`` callback: the commune code that was clicked on map ``key``."""
    value = st.session_state.get(key)
    click = value.get("click") if hasattr(value, "get") else None
    return click.get("id") if isinstance(click, dict) else None
