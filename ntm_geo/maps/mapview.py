"""The folium map of the standalone HTML export: base map, commune and district layers, rendering.

The app's pages do not use folium: they send data to the one map component
(:func:`ntm_geo.maps.mapbuild.build_view_spec`, ``static/ntm_map.js``). What both need lives
beside this module: :mod:`ntm_geo.maps.topology` (prepare for the web; the TopoJSON geometry),
:mod:`ntm_geo.maps.legend` (legend check, the export's legend control) and
:mod:`ntm_geo.maps.mapstyle` (path styles, DOM classes, no-data fill and labels). This module
keeps the folium layers of the one-file HTML export (``ntm_geo/exports/formats.py``), where folium
is the right tool, and re-exports the names above: its API (``__all__``) is unchanged. Pure logic.

``build_base_map(bounds)`` + the groups of :func:`ntm_geo.maps.mapbuild.build_view_layers`: the
commune group carries the geometry (:func:`geometry_element`) and the style
(:func:`style_element`), the inlined runtime draws SVG paths (so every commune path carries the
class ``ntm-commune``, district outlines ``ntm-district``: hooks for browser tests; 226 communes
are far below the size where canvas pays off). :func:`ntm_geo.maps.webassets.inline_assets` makes
the file work offline. Every text shown in folium's HTML is HTML-escaped (names may come from
uploaded files and contain ``<script>``).
"""

from __future__ import annotations

import html
import math
import re
import warnings
from collections.abc import Mapping
from typing import Any, cast

import branca.element
import folium
import geopandas
from jinja2 import Template  # the class branca.element uses (and imports without re-exporting)

from ntm_geo.errors import ConfigError, DataError
from ntm_geo.maps.legend import check_legend, legend_element
from ntm_geo.maps.mapstyle import (
    BACKGROUND,
    COMMUNE_CLASS,
    COMMUNE_STYLE,
    DIMMED_STYLE,
    DISTRICT_STYLE,
    HEX_COLOUR,
    HIGHLIGHT_STYLE,
    HOVER_STYLE,
    LEGEND_CLASS,
    NO_DATA_FILL,
    NO_DATA_LABEL,
    NOT_ASSESSED_LABEL,
    TOOLTIP_CLASS,
    style_modes,
)
from ntm_geo.maps.topology import (
    COORD_DECIMALS,
    TOPO_SCALE,
    commune_topology,
    decode_topology,
    drop_empty,
    encode_topology,
    is_wgs84,
    js_json,
    json_safe,
    require_columns,
    to_wgs84,
)
from ntm_geo.maps.webassets import AssetUrls, client_script, inline_assets, local_asset_urls

__all__ = [
    "COMMUNE_CLASS",
    "COORD_DECIMALS",
    "NOT_ASSESSED_LABEL",
    "NO_DATA_LABEL",
    "TILE_PROVIDERS",
    "TOPO_SCALE",
    "build_base_map",
    "check_legend",
    "choropleth_layer",
    "clicked_commune_code",
    "commune_topology",
    "decode_topology",
    "district_outline_layer",
    "encode_topology",
    "geometry_element",
    "is_wgs84",
    "legend_element",
    "map_html",
    "map_payload_bytes",
    "outline_element",
    "style_element",
]


TILE_PROVIDERS: dict[str, str] = {
    "OpenStreetMap": "OpenStreetMap",  # (CartoDB tiles now need an API key: left out)
}
"""Optional base tiles (key -> folium ``tiles`` name; keys match ignoring case, spaces and
underscores). They need internet: offline the tiles fail silently and the plain background
shows."""


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", str(name)).lower()


_TILE_KEYS = {_key(name): name for name in TILE_PROVIDERS}

# Static CSS shipped in the base map's header (the st_folium iframe keeps header <style>s but
# loses the ones folium adds while rendering a feature group, e.g. the tooltip table style).
_BASE_CSS = f"""<style>
html body .leaflet-container {{ background: {BACKGROUND}; }}
.{TOOLTIP_CLASS} {{ font-size: 14px; line-height: 1.3; }}
.{TOOLTIP_CLASS} table {{ margin: auto; border-collapse: collapse; }}
.{TOOLTIP_CLASS} tr {{ text-align: left; }}
.{TOOLTIP_CLASS} th {{ padding: 1px 8px 1px 2px; font-weight: 600; }}
.{TOOLTIP_CLASS} td {{ padding: 1px 2px; }}
.leaflet-interactive:focus {{ outline: none; }}
.{LEGEND_CLASS} {{ transition: opacity 0.12s; }}
.{LEGEND_CLASS}.ntm-under-tooltip {{ opacity: 0.06; }}
</style>"""


# --------------------------------------------------------------------------- base map


def build_base_map(
    bounds: tuple[float, float, float, float],
    *,
    tiles: str | None = None,
    asset_urls: AssetUrls | None = local_asset_urls(),  # noqa: B008 - frozen value
    prefer_canvas: bool = False,
) -> folium.Map:
    """An empty map fitted to ``bounds``, loading Leaflet from ``asset_urls``.

    Parameters
    ----------
    bounds : (minx, miny, maxx, maxy)
        Extent to show, EPSG:4326 degrees (``GeoDataFrame.total_bounds`` of the communes).
    tiles : str, optional
        A key of :data:`TILE_PROVIDERS` ("OpenStreetMap", "openstreetmap"...: case,
        spaces and underscores ignored); default ``None``: no tiles, plain light
        background.
    asset_urls : AssetUrls or None, default ``webassets.local_asset_urls()``
        Where Leaflet's js/css come from. ``None`` keeps folium's CDN defaults (needs internet).
    prefer_canvas : bool, default False
        Draw paths on a canvas instead of SVG. Faster only for thousands of shapes, and the
        ``ntm-commune`` DOM hooks disappear.

    Returns
    -------
    folium.Map
        With zoom control, scale bar, and a fit-to-bounds step.

    Raises
    ------
    ConfigError
        If ``bounds`` is not four finite numbers with min < max inside lon/lat limits, or
        ``tiles`` is not a known key.
    """
    minx, miny, maxx, maxy = _check_bounds(bounds)
    tile_name = _TILE_KEYS.get(_key(tiles)) if tiles is not None else None
    if tiles is not None and tile_name is None:
        raise ConfigError(
            f"Unknown tiles {tiles!r}; use None (no background map) or one of {sorted(TILE_PROVIDERS)}.",
            f"Nền bản đồ {tiles!r} không hợp lệ; dùng None (không có nền) hoặc một trong "
            f"{sorted(TILE_PROVIDERS)}.",
        )
    m = folium.Map(
        location=[(miny + maxy) / 2, (minx + maxx) / 2],
        zoom_start=9,
        tiles=TILE_PROVIDERS[tile_name] if tile_name else None,
        prefer_canvas=prefer_canvas,
        zoom_control=True,
        control_scale=True,
        min_zoom=6,
        max_zoom=16,
        zoom_snap=0.25,  # fit the province snugly instead of to the next whole zoom level
        zoom_delta=0.5,
    )
    if asset_urls is not None:
        m.default_js = list(asset_urls.js)
        m.default_css = list(asset_urls.css)
    root = cast(branca.element.Figure, m.get_root())  # a folium.Map is created inside a branca Figure
    root.header.add_child(branca.element.Element(_BASE_CSS), name="ntm_base_css")
    m.add_child(_NtmRuntime(), name="ntm_runtime")
    m.fit_bounds([[miny, minx], [maxy, maxx]])
    return m


def _check_bounds(bounds: Any) -> tuple[float, float, float, float]:
    try:
        values = tuple(float(v) for v in bounds)
    except (TypeError, ValueError):
        values = ()
    ok = (
        len(values) == 4
        and all(math.isfinite(v) for v in values)
        and -180 <= values[0] < values[2] <= 180
        and -90 <= values[1] < values[3] <= 90
    )
    if not ok:
        raise ConfigError(
            f"bounds must be (minx, miny, maxx, maxy) in EPSG:4326 degrees with min < max, "
            f"got {bounds!r}; pass gdf.to_crs(4326).total_bounds.",
            f"bounds phải là (minx, miny, maxx, maxy) theo độ EPSG:4326, min < max; "
            f"nhận được {bounds!r}; hãy dùng gdf.to_crs(4326).total_bounds.",
        )
    minx, miny, maxx, maxy = values  # four, checked above
    return minx, miny, maxx, maxy


class _NtmCall(branca.element.MacroElement):
    """``ntmMap.<fn>(map, host, data)`` in the map script (runtime: ``static/folium_runtime.js``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        ntmMap.{{ this.fn }}({{ this.map_name() }}, {{ this._parent.get_name() }}, {{ this.data_js }});
        {% endmacro %}
        """
    )

    def __init__(self, fn: str, data_js: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is not annotated
        self._name = f"Ntm{fn.title()}"
        self.fn = fn
        self.data_js = data_js

    def map_name(self) -> str:
        parent = self._parent
        while parent is not None and not isinstance(parent, folium.Map):
            parent = getattr(parent, "_parent", None)
        return parent.get_name() if parent is not None else "null"


class _NtmRuntime(branca.element.MacroElement):
    """The map runtime (``ntm_geo/maps/static/folium_runtime.js``) inlined into the base map's script."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.code }}{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is not annotated
        self._name = "NtmRuntime"
        self.code = client_script()


def geometry_element(topo: Mapping[str, Any], *, outlines: bool = True) -> branca.element.MacroElement:
    """Draws the communes of ``topo`` (and, with ``outlines``, its district borders) on the map or
    feature group it is added to. Add it to the *base map* so the geometry is sent once and
    st_folium keeps the map across colour changes (see the module docstring)."""
    cache_key = (id(topo), outlines)
    cached = _GEOMETRY_JS.get(cache_key)
    if cached is None or cached[0] is not topo:  # (the topology is kept alive with its JSON)
        data = dict(topo)
        if not outlines:
            data["objects"] = {"c": topo["objects"]["c"]}
        if len(_GEOMETRY_JS) >= 16:
            _GEOMETRY_JS.pop(next(iter(_GEOMETRY_JS)))
        cached = _GEOMETRY_JS[cache_key] = (topo, js_json(data))
    return _NtmCall("geometry", cached[1])


_GEOMETRY_JS: dict[tuple[int, bool], tuple[Mapping[str, Any], str]] = {}


def outline_element(topo: Mapping[str, Any]) -> branca.element.MacroElement:
    """District borders of ``topo`` drawn from the arcs already on the map (no coordinates)."""
    return _NtmCall("outlines", js_json({"key": topo["key"], "objects": {"d": topo["objects"]["d"]}}))


def style_element(
    key: str,
    codes: list[str],
    fills: list[str],
    values: list[Any],
    labels: list[str],
    *,
    dimmed: set[str] | frozenset[str] = frozenset(),
    highlight: set[str] | frozenset[str] = frozenset(),
    popups: list[Any] | None = None,
) -> branca.element.MacroElement:
    """Colours, tooltip rows and dimmed/highlighted classes for communes already drawn by a
    :func:`geometry_element` with the same ``key`` (``codes`` in the topology's order)."""
    palette = list(dict.fromkeys(fills))
    data: dict[str, Any] = {
        "k": key,
        "p": palette,
        "f": [palette.index(f) for f in fills],
        "v": values,
        "l": [html.escape(str(label)) for label in labels],
        "m": style_modes(codes, set(dimmed), set(highlight)),
        "st": [COMMUNE_STYLE, DIMMED_STYLE, HIGHLIGHT_STYLE, HOVER_STYLE],
    }
    if popups is not None:
        data["pu"] = popups
    return _NtmCall("style", js_json(data))


# --------------------------------------------------------------------------- layers


def choropleth_layer(
    gdf: geopandas.GeoDataFrame,
    *,
    fill_column: str = "fill",
    tooltip_columns: list[tuple[str, str]],
    name: str,
    dimmed_codes: set[str] | frozenset[str] = frozenset(),
    highlight_codes: set[str] | frozenset[str] = frozenset(),
    popup_column: str | None = None,
) -> folium.FeatureGroup:
    """One filled, hoverable polygon per commune, in a feature group (geometry included).

    The geometry travels as a compact TopoJSON topology (:func:`encode_topology`) drawn by the
    map runtime; for reruns that only recolour, put the geometry in the base map instead
    (:func:`geometry_element` + :func:`style_element`, as :mod:`ntm_geo.maps.mapbuild` does).

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        One row per commune, any CRS (reprojected to EPSG:4326). Columns used:
        ``commune_code`` (str, unique: GSO 5-digit code, becomes the GeoJSON feature ``id``),
        ``fill_column`` (hex colour ``#rrggbb``; null -> ``NO_DATA_FILL`` with a warning),
        the tooltip columns and ``popup_column``. Other columns are not sent to the browser.
    fill_column : str, default "fill"
        Column holding the precomputed fill colour.
    tooltip_columns : list of (column, label)
        Shown on hover, in order, as ``label: value`` rows (label and value HTML-escaped;
        null shows as empty).
    name : str
        Layer name (shown if a layer control is added).
    dimmed_codes : set of str
        Communes drawn faded (fill opacity 0.25, class ``ntm-dimmed``), e.g. outside a filter.
    highlight_codes : set of str
        Communes drawn with a thick black border (class ``ntm-highlight``), e.g. a search hit.
    popup_column : str, optional
        Column whose (escaped) text opens in a popup on click.

    Returns
    -------
    folium.FeatureGroup
        Add a :func:`legend_element` to it so the legend is swapped together with the colours.

    Raises
    ------
    ConfigError
        If ``gdf`` is not a GeoDataFrame, has no CRS, or lacks a column named above.
    DataError
        If ``commune_code`` has duplicates or nulls, or a fill is not a hex colour.
    """
    gdf = _checked_communes(gdf, fill_column, tooltip_columns, popup_column, "choropleth_layer")
    topo = commune_topology(gdf)
    ordered = gdf.sort_values("commune_code", kind="stable")
    codes = ordered["commune_code"].astype(str).tolist()
    fills = _fills(ordered, fill_column)
    columns = [c for c, _ in tooltip_columns]
    rows = [[json_safe(v) for v in row] for row in ordered[columns].itertuples(index=False, name=None)]
    values = [row[0] if len(row) == 1 else row for row in rows]
    popups = ordered[popup_column].map(json_safe).tolist() if popup_column is not None else None
    group = folium.FeatureGroup(name=name)
    group.add_child(geometry_element(topo, outlines=False))
    group.add_child(style_element(topo["key"], codes, fills, values, [label for _, label in tooltip_columns],
                                  dimmed=set(dimmed_codes), highlight=set(highlight_codes), popups=popups))  # fmt: skip
    return group


def _checked_communes(
    gdf: geopandas.GeoDataFrame,
    fill_column: str,
    tooltip_columns: list[tuple[str, str]],
    popup_column: str | None,
    what: str,
) -> geopandas.GeoDataFrame:
    gdf = to_wgs84(gdf, f"{what}: gdf")
    columns = ["commune_code", fill_column, *(c for c, _ in tooltip_columns)]
    if popup_column is not None:
        columns.append(popup_column)
    require_columns(gdf, columns, f"{what}: gdf")
    gdf = drop_empty(gdf, what)
    if gdf.empty:
        raise DataError(
            f"{what}: gdf has no commune with a geometry; nothing to draw.",
            f"{what}: không có xã nào có ranh giới; không có gì để vẽ.",
        )
    codes = gdf["commune_code"]
    if codes.isna().any() or codes.duplicated().any():
        bad = sorted(set(codes[codes.duplicated()].astype(str)))
        raise DataError(
            f"commune_code must be unique and non-null; duplicated: {bad[:10]}, "
            f"null: {int(codes.isna().sum())}.",
            f"commune_code phải duy nhất và không rỗng; bị trùng: {bad[:10]}, "
            f"rỗng: {int(codes.isna().sum())}.",
            column="commune_code",
        )
    return gdf


def _fills(gdf: geopandas.GeoDataFrame, fill_column: str) -> list[str]:
    fills = gdf[fill_column]
    null = fills.map(lambda v: json_safe(v) is None)
    if null.any():
        warnings.warn(
            f"choropleth_layer: {int(null.sum())} commune(s) have no fill in column "
            f"{fill_column!r}; drawn in {NO_DATA_FILL} (no data): "
            f"{gdf.loc[null, 'commune_code'].astype(str).tolist()[:10]}",
            UserWarning,
            stacklevel=3,
        )
    out = []
    for code, fill in zip(gdf["commune_code"].astype(str), fills, strict=False):
        fill = NO_DATA_FILL if json_safe(fill) is None else str(fill)
        if not HEX_COLOUR.match(fill):
            raise DataError(
                f"Fill colour {fill!r} of commune {code} in column {fill_column!r} is not a hex "
                f"colour like '#1a9850'.",
                f"Màu tô {fill!r} của xã {code} trong cột {fill_column!r} không phải mã màu dạng '#1a9850'.",
                column=fill_column,
            )
        out.append(fill.lower())
    return out


def district_outline_layer(districts_gdf: geopandas.GeoDataFrame, *, name: str) -> folium.FeatureGroup:
    """Thick dark district borders, no fill, not interactive (hover passes to the communes).

    Parameters
    ----------
    districts_gdf : geopandas.GeoDataFrame
        One (multi)polygon per district, any CRS (reprojected to EPSG:4326). Only the geometry
        is sent to the browser (as its own small topology).
    name : str
        Layer name. Pass this group *after* the choropleth group so it is drawn on top.

    Returns
    -------
    folium.FeatureGroup

    Raises
    ------
    ConfigError
        If ``districts_gdf`` is not a GeoDataFrame or has no CRS.
    """
    gdf = to_wgs84(districts_gdf, "district_outline_layer: districts_gdf")
    gdf = drop_empty(gdf, "district_outline_layer")
    topo = encode_topology(gdf.geometry.values)
    topo.pop("_users")
    topo["objects"] = {"d": topo["objects"]["c"]}
    topo["outline"] = {k: v for k, v in DISTRICT_STYLE.items() if k != "fill"}
    group = folium.FeatureGroup(name=name)
    group.add_child(_NtmCall("outlines", js_json(topo)))
    return group


# --------------------------------------------------------------------------- rendering


def map_html(m: folium.Map, *, inline: bool = False) -> str:
    """The complete HTML page of ``m`` (as a folium ``save`` would write it).

    Parameters
    ----------
    m : folium.Map
    inline : bool, default False
        Inline Leaflet's js/css (see :func:`ntm_geo.maps.webassets.inline_assets`) for a standalone
        file that opens with no server and no internet.
    """
    page = m.get_root().render()
    if inline:
        page = inline_assets(page, AssetUrls(js=tuple(m.default_js), css=tuple(m.default_css)))
    return page


def map_payload_bytes(m: folium.Map) -> int:
    """UTF-8 size of :func:`map_html` (without the Leaflet files), in bytes."""
    return len(map_html(m).encode("utf-8"))


def clicked_commune_code(result: Mapping[str, Any] | None) -> str | None:
    """The commune code of the last clicked commune in an ``st_folium`` return value.

    Needs ``returned_objects=["last_active_drawing"]``: streamlit-folium stores the clicked
    feature's GeoJSON there, whose ``id`` is the ``commune_code`` (see :func:`choropleth_layer`).

    Examples
    --------
    >>> clicked_commune_code({"last_active_drawing": {"id": "06040", "type": "Feature"}})
    '06040'
    >>> clicked_commune_code(None) is None
    True
    """
    if not result:
        return None
    feature = result.get("last_active_drawing")
    if not isinstance(feature, Mapping):
        return None
    code = feature.get("id")
    return str(code) if code is not None else None
