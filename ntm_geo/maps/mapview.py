"""The map geometry (TopoJSON) and the folium map of the standalone HTML export.

The app's pages do not use folium: they send data to the one map component
(:func:`ntm_geo.maps.mapbuild.build_view_spec`, ``app_pages/leaflet_map.py``,
``static/ntm_map.js``). This module owns what both need -- the topology of the units
(:func:`encode_topology`, :func:`commune_topology`), the legend check, the path styles -- and the
folium layers of the one-file HTML export (``ntm_geo/exports/formats.py``), where folium is the
right tool.

Pure logic (no Streamlit import). All geometries are in EPSG:4326 (longitude, latitude in
degrees) when they reach the browser.

Prepare-for-the-web checklist (:func:`choropleth_layer`, :func:`commune_topology` and
:func:`district_outline_layer` do it all, in one place): reproject to EPSG:4326, drop empty
geometries, keep only the properties shown, make values JSON-safe (numpy scalars -> Python,
NaN/NaT/None -> ``null``) and HTML-escape every text shown in folium's HTML (names may come from
uploaded files and contain ``<script>``; the map component gets them raw and sets them as text).

Geometry transport: a TopoJSON topology (:func:`encode_topology`). Coordinates are snapped to a
1e-4 degree grid (:data:`TOPO_SCALE`: <= 5.6 m per axis, a tenth of the 60 m simplification
tolerance, under a pixel up to zoom 14); the ``topojson`` library cuts the rings into *arcs* at
the junctions of the coverage, each arc is stored once (a shared commune edge is sent once, not
twice) and delta-encoded as small integers; district borders are lists of commune arcs (no
coordinates of their own). Short property keys (``n`` name, ``d`` district index). In the app the
topology is a static file (``static/topo/<sha>.json``); in the HTML export the small runtime
``static/folium_runtime.js`` is inlined into the page. :func:`decode_topology` is the Python
twin of both decoders (tests; GDAL's TopoJSON driver reads the same data). For the real
communes: 673 arcs, ~75 KB instead of ~300 KB of GeoJSON.

DOM hooks for browser tests: every commune path carries the CSS class ``ntm-commune`` (plus
``ntm-dimmed`` / ``ntm-highlight``), district outlines ``ntm-district``, the legend box
``ntm-legend``, tooltips ``ntm-tooltip``. This needs the SVG renderer, the default here
(``prefer_canvas=False``); 226 communes are far below the size where canvas pays off, and with
canvas no path is in the DOM.

The folium layers (HTML export)
------------------------------
``build_base_map(bounds)`` + the groups of :func:`ntm_geo.maps.mapbuild.build_view_layers`
(or :func:`choropleth_layer` + :func:`district_outline_layer`): the commune group carries the
geometry (:func:`geometry_element`) and the style (:func:`style_element`: palette + palette
index, tooltip value, dimmed/highlight mode per commune, in the topology's order), the runtime
draws SVG paths. Leaflet comes from the base map's ``default_js`` / ``default_css`` and is inlined
by :func:`ntm_geo.maps.webassets.inline_assets` for a file that works offline.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, cast

import branca.element
import folium
import geopandas
import numpy as np
import pandas as pd
import pyproj
import shapely
import topojson
from jinja2 import Template  # the class branca.element uses (and imports without re-exporting)

from ntm_geo.errors import ConfigError, DataError
from ntm_geo.maps.webassets import AssetUrls, client_script, inline_assets, local_asset_urls

__all__ = [
    "COMMUNE_CLASS",
    "COORD_DECIMALS",
    "NOT_ASSESSED_LABEL",
    "NO_DATA_LABEL",
    "TILE_PROVIDERS",
    "TOPO_SCALE",
    "build_base_map",
    "choropleth_layer",
    "clicked_commune_code",
    "commune_topology",
    "decode_topology",
    "district_outline_layer",
    "encode_topology",
    "geometry_element",
    "legend_element",
    "map_html",
    "map_payload_bytes",
    "outline_element",
    "style_element",
]

COORD_DECIMALS = 5
"""Decimals of :func:`_rounded_geometries` (1e-5 degree ~ 1.1 m at 22° N); the map itself uses
:data:`TOPO_SCALE`."""

TOPO_SCALE = 1e-4
"""Grid step of the map's geometry, in degrees (4 decimals): 1e-4 degree is 11.1 m north-south
and 10.3 m east-west at 22° N, so a vertex moves by at most 5.6 m per axis (7.6 m diagonally) --
about a tenth of the 60 m coverage-simplification tolerance (``boundaries.WEB_TOLERANCE_M``) that
already decides where the drawn edges are, and under one screen pixel up to zoom 14 (8.9 m/px at
22° N; the app shows zoom 8-12). 5 decimals would add ~10 KB (+20 %) for no visible change.
Shared vertices snap to the same grid point on both sides, so the coverage stays gap-free."""

COMMUNE_CLASS = "ntm-commune"
DIMMED_CLASS = "ntm-dimmed"
HIGHLIGHT_CLASS = "ntm-highlight"
DISTRICT_CLASS = "ntm-district"
LEGEND_CLASS = "ntm-legend"
TOOLTIP_CLASS = "ntm-tooltip"

NO_DATA_LABEL = "Không có dữ liệu / No data"
NOT_ASSESSED_LABEL = "Không đánh giá / Not assessed"
NO_DATA_FILL = "#d9d9d9"
"""Fill used (with a warning) for a commune whose fill colour is null."""

BACKGROUND = "#f4f3ee"
"""Map background when there are no tiles (or they fail to load offline)."""

TILE_PROVIDERS: dict[str, str] = {
    "OpenStreetMap": "OpenStreetMap",  # (CartoDB tiles now need an API key: left out)
}
"""Optional base tiles (key -> folium ``tiles`` name; keys match ignoring case, spaces and
underscores). They need internet: offline the tiles fail silently and the plain background
shows."""


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "", str(name)).lower()


_TILE_KEYS = {_key(name): name for name in TILE_PROVIDERS}

_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

_COMMUNE_STYLE = {"color": "#ffffff", "weight": 0.7, "opacity": 1.0, "fillOpacity": 0.85}
_DIMMED_STYLE = {"color": "#bbbbbb", "weight": 0.5, "opacity": 1.0, "fillOpacity": 0.25}
_HIGHLIGHT_STYLE = {"color": "#000000", "weight": 3.0, "opacity": 1.0, "fillOpacity": 0.9}
_HOVER_STYLE = {"color": "#222222", "weight": 2.5, "opacity": 1.0}
_DISTRICT_STYLE = {"color": "#333333", "weight": 2.2, "opacity": 0.9, "fill": False}

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


# --------------------------------------------------------------------------- web preparation


def _json_safe(value: Any, escape: bool = True) -> Any:
    """A value JSON can carry: numpy scalars -> Python, NaN/NaT/None -> None, text HTML-escaped
    (with ``escape``; the map component sets text with ``textContent`` and needs it raw)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (bool, int)):
        return value
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.isoformat()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return html.escape(str(value)) if escape else str(value)


def _to_wgs84(gdf: Any, what: str) -> geopandas.GeoDataFrame:
    if not isinstance(gdf, geopandas.GeoDataFrame):
        raise ConfigError(
            f"{what} must be a geopandas.GeoDataFrame, got {type(gdf).__name__}.",
            f"{what} phải là geopandas.GeoDataFrame, nhận được {type(gdf).__name__}.",
        )
    if gdf.crs is None:
        raise ConfigError(
            f"{what} has no CRS; set it first, e.g. gdf.set_crs(4326) for longitude/latitude.",
            f"{what} chưa có hệ tọa độ (CRS); hãy đặt trước, ví dụ gdf.set_crs(4326).",
        )
    if not is_wgs84(gdf.crs):
        gdf = gdf.to_crs(4326)
    return gdf


def is_wgs84(crs: Any) -> bool:
    """True when ``crs`` (a ``pyproj.CRS``) is EPSG:4326, longitude/latitude in degrees.

    Remembered per CRS definition (its ``srs`` string): pyproj keeps one PROJ context per
    thread and Streamlit runs each script run in a new thread, where the first comparison costs
    ~13 ms of PROJ database start-up (~30 ms per map page run, measured with cProfile).
    """
    return _is_wgs84_srs(crs.srs) if getattr(crs, "srs", None) else bool(crs.equals(4326))


@functools.lru_cache(maxsize=32)
def _is_wgs84_srs(srs: str) -> bool:
    return bool(pyproj.CRS.from_user_input(srs).equals(4326))


def _require_columns(gdf: geopandas.GeoDataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise ConfigError(
            f"{what} lacks column(s) {missing}; available: {sorted(map(str, gdf.columns))}.",
            f"{what} thiếu cột {missing}; các cột hiện có: {sorted(map(str, gdf.columns))}.",
            column=str(missing[0]),
        )


def _drop_empty(gdf: geopandas.GeoDataFrame, what: str) -> geopandas.GeoDataFrame:
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        labels = gdf.loc[empty, "commune_code"].tolist() if "commune_code" in gdf else []
        warnings.warn(
            f"{what}: dropped {int(empty.sum())} row(s) with empty geometry {labels[:10]}",
            UserWarning,
            stacklevel=3,
        )
        gdf = gdf.loc[~empty]
    return gdf


# --------------------------------------------------------------------------- compact geometry


def _rounded_geometries(geoms: geopandas.GeoSeries) -> list[dict[str, Any]]:
    """GeoJSON dicts with coordinates rounded to ``COORD_DECIMALS`` (kept for callers/tests)."""
    rounded = shapely.transform(
        np.asarray(geoms.values, dtype=object), lambda xy: np.round(xy, COORD_DECIMALS)
    )
    return [json.loads(s) for s in shapely.to_geojson(rounded)]


def _js_json(value: Any) -> str:
    """Compact JSON for a ``<script>``: no spaces, and never a ``</`` that could close it."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("</", "<\\/")


def _quantised_rings(
    geom: Any, origin: tuple[float, float], scale: float
) -> list[list[list[tuple[int, ...]]]]:
    """Polygons -> rings -> open lists of integer grid points (duplicates and slivers dropped)."""
    polygons = []
    for poly in shapely.get_parts(geom):
        if poly.geom_type != "Polygon" or poly.is_empty:
            continue
        rings = []
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            q = np.rint((xy - np.asarray(origin)) / scale).astype(np.int64)
            keep = np.r_[True, np.any(np.diff(q, axis=0) != 0, axis=1)]
            q = q[keep]
            if len(q) > 1 and (q[0] == q[-1]).all():
                q = q[:-1]
            if len(q) >= 3:
                rings.append([tuple(p) for p in q.tolist()])
            elif not rings:  # exterior collapsed below one grid step: drop the polygon
                break
        if rings:
            polygons.append(rings)
    return polygons


def encode_topology(
    geometries: Iterable[Any],
    *,
    scale: float = TOPO_SCALE,
) -> dict[str, Any]:
    """Polygons as a TopoJSON topology: shared edges stored once, quantised, delta-encoded.

    Coordinates are first snapped to a ``scale`` grid (duplicate points and rings that collapse
    below one step dropped); the shared-edge detection (junctions, arcs stored once, ``~i`` =
    arc ``i`` reversed) is the ``topojson`` library's (PyPI, pinned in requirements.txt), which
    gave a 3 % smaller payload than the hand-written encoder it replaced on the 226 communes
    (bench/README.md). On a clean coverage every commune edge is stored once and district
    borders cost no coordinates at all.

    Parameters
    ----------
    geometries : iterable of shapely (Multi)Polygons, EPSG:4326 degrees.
    scale : float, default :data:`TOPO_SCALE` (1e-4 degree)
        Grid step. Coordinates are snapped to ``translate + k * scale`` (error <= scale / 2).

    Returns
    -------
    dict
        ``{"type": "Topology", "transform": {"scale", "translate"}, "arcs": [...],
        "objects": {"c": {"type": "GeometryCollection", "geometries": [...]}}}`` (geometries in
        input order, ``Polygon``/``MultiPolygon`` or ``null`` type when empty), plus the key
        ``"_users"``: for each arc, the sorted input indices of the geometries using it
        (remove it before sending).
    """
    geoms = list(geometries)
    bounds = shapely.total_bounds(np.asarray(geoms, dtype=object))
    origin = (math.floor(bounds[0] / scale) * scale, math.floor(bounds[1] / scale) * scale)
    origin = (round(origin[0], 10), round(origin[1], 10))
    grid = []  # (input index, polygon in grid units)
    for gi, g in enumerate(geoms):
        polys = [shapely.Polygon(rs[0], rs[1:]) for rs in _quantised_rings(g, origin, scale)]
        if polys:
            grid.append((gi, polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys)))
    out_geoms: list[dict[str, Any]] = [{"type": None} for _ in geoms]
    arcs: list[list[list[int]]] = []
    if grid:
        frame = geopandas.GeoDataFrame({"i": [gi for gi, _ in grid]}, geometry=[p for _, p in grid])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (no CRS: grid units)
            topo = topojson.Topology(  # type: ignore[attr-defined]  # (the package does not re-export it)
                frame, prequantize=False, topology=True, toposimplify=False
            ).to_dict()
        for g in topo["objects"]["data"]["geometries"]:
            out_geoms[int(g["properties"]["i"])] = {"type": g["type"], "arcs": g["arcs"]}
        for arc in topo["arcs"]:
            pts = np.rint(np.asarray(arc, dtype=float)).astype(np.int64)
            arcs.append(np.vstack([pts[:1], np.diff(pts, axis=0)]).tolist())
    users: list[set[int]] = [set() for _ in arcs]

    def walk(refs: Any, gi: int) -> None:
        for ref in refs:
            if isinstance(ref, list):
                walk(ref, gi)
            else:
                users[ref if ref >= 0 else ~ref].add(gi)

    for gi, g in enumerate(out_geoms):
        walk(g.get("arcs", []), gi)
    return {
        "type": "Topology",
        "transform": {"scale": [scale, scale], "translate": list(origin)},
        "arcs": arcs,
        "objects": {"c": {"type": "GeometryCollection", "geometries": out_geoms}},
        "_users": [sorted(u) for u in users],
    }


def decode_topology(topo: Mapping[str, Any], name: str = "c") -> list[Any]:
    """Shapely geometries of ``topo["objects"][name]`` (the inverse of :func:`encode_topology`,
    same algorithm as the browser's ``ntmMap``; used by tests and for checks)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        q = np.cumsum(np.asarray(arc, dtype=np.int64), axis=0)
        arcs.append(np.column_stack([q[:, 0] * sx + tx, q[:, 1] * sy + ty]))

    def line(ids: list[int]) -> np.ndarray:
        parts = [arcs[~i][::-1] if i < 0 else arcs[i] for i in ids]
        return np.vstack([parts[0], *(p[1:] for p in parts[1:])])

    out = []
    for g in topo["objects"][name]["geometries"]:
        kind = g.get("type")
        if kind == "Polygon":
            out.append(shapely.Polygon(line(g["arcs"][0]), [line(r) for r in g["arcs"][1:]]))
        elif kind == "MultiPolygon":
            out.append(
                shapely.MultiPolygon(
                    [shapely.Polygon(line(p[0]), [line(r) for r in p[1:]]) for p in g["arcs"]]
                )
            )
        elif kind == "MultiLineString":
            out.append(shapely.MultiLineString([line(ids) for ids in g["arcs"]]))
        else:
            out.append(None)
    return out


def _border_arcs(arc_users: list[list[int]], group_of: list[Any], groups: list[Any]) -> list[list[int]]:
    """For each group (district): the arcs on its border (one side in the group, the other
    outside it or nothing)."""
    out: list[list[int]] = [[] for _ in groups]
    where = {g: i for i, g in enumerate(groups)}
    for a, used_by in enumerate(arc_users):
        inside = {group_of[u] for u in used_by}
        for g in inside:
            if len(used_by) == 1 or any(group_of[u] != g for u in used_by):
                out[where[g]].append(a)
    return out


_TOPO_CACHE: dict[str, dict[str, Any]] = {}
_ENCODER_VERSION = f"topojson-{topojson.__version__}-1"  # part of the cache key


def commune_topology(
    gdf: geopandas.GeoDataFrame,
    *,
    name_column: str | None = None,
    district_column: str | None = None,
    escape: bool = True,
) -> dict[str, Any]:
    """The communes of ``gdf`` (sorted by ``commune_code``) as a TopoJSON topology for the map.

    Object ``c``: one geometry per commune, ``id`` = ``commune_code``, ``properties`` ``{"n":
    name (HTML-escaped), "d": district index}`` when the columns are given. With
    ``district_column``: ``districts`` (the district names, escaped, in index order) and object
    ``d``: one ``MultiLineString`` per district made of the arcs on its border (no coordinate
    is sent twice). ``key`` identifies the commune order (a style must carry the same key).
    ``escape=False`` keeps names as they are (for the map component, which sets text, not HTML).
    Cached on the geometry and column values (a rerun costs one hash).
    """
    gdf = _to_wgs84(gdf, "commune_topology: gdf")
    _require_columns(gdf, ["commune_code", *(c for c in (name_column, district_column) if c)],
                     "commune_topology: gdf")  # fmt: skip
    gdf = gdf.sort_values("commune_code", kind="stable")
    codes = gdf["commune_code"].astype(str).tolist()
    safe = functools.partial(_json_safe, escape=escape)
    names = gdf[name_column].map(safe).tolist() if name_column else None
    dists = gdf[district_column].map(safe).tolist() if district_column else None
    digest = hashlib.sha1(b"".join(shapely.to_wkb(np.asarray(gdf.geometry.values, dtype=object))))
    digest.update(json.dumps([codes, names, dists, escape, _ENCODER_VERSION]).encode())
    fingerprint = digest.hexdigest()
    cached = _TOPO_CACHE.get(fingerprint)
    if cached is not None:
        return cached
    from ntm_geo.geo.boundaries import shapes_dir  # (the boundary cache folder)

    disk = shapes_dir() / "topology" / f"{fingerprint}.json"
    try:  # encoded once per boundary set, kept beside the boundary cache (git-ignored)
        topo: dict[str, Any] = json.loads(disk.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        topo = _encode_communes(gdf, codes, names, dists)
        try:
            disk.parent.mkdir(parents=True, exist_ok=True)
            tmp = disk.with_name(f".{disk.name}.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(topo, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, disk)
        except OSError:
            pass  # a read-only cache folder: encoded again by the next process
    if len(_TOPO_CACHE) >= 8:
        _TOPO_CACHE.pop(next(iter(_TOPO_CACHE)))
    _TOPO_CACHE[fingerprint] = topo
    return topo


def _encode_communes(
    gdf: geopandas.GeoDataFrame, codes: list[str], names: list[Any] | None, dists: list[Any] | None
) -> dict[str, Any]:
    """:func:`commune_topology`'s encoding step (ids, names, district borders added)."""
    topo = encode_topology(gdf.geometry.values)
    users = topo.pop("_users")
    district_names = list(dict.fromkeys(dists)) if dists is not None else []
    for i, g in enumerate(topo["objects"]["c"]["geometries"]):
        g["id"] = codes[i]
        props = {}
        if names is not None:
            props["n"] = names[i]
        if dists is not None:
            props["d"] = district_names.index(dists[i])
        g["properties"] = props
    if dists is not None:
        topo["districts"] = district_names
        borders = _border_arcs(
            users, [district_names.index(d) for d in dists], list(range(len(district_names)))
        )
        topo["objects"]["d"] = {
            "type": "GeometryCollection",
            "geometries": [{"type": "MultiLineString", "arcs": [[a] for a in arcs]} for arcs in borders],
        }
    topo["outline"] = {k: v for k, v in _DISTRICT_STYLE.items() if k != "fill"}
    topo["key"] = hashlib.sha1("\n".join(codes).encode()).hexdigest()[:10]
    return topo


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
        cached = _GEOMETRY_JS[cache_key] = (topo, _js_json(data))
    return _NtmCall("geometry", cached[1])


_GEOMETRY_JS: dict[tuple[int, bool], tuple[Mapping[str, Any], str]] = {}


def outline_element(topo: Mapping[str, Any]) -> branca.element.MacroElement:
    """District borders of ``topo`` drawn from the arcs already on the map (no coordinates)."""
    return _NtmCall("outlines", _js_json({"key": topo["key"], "objects": {"d": topo["objects"]["d"]}}))


def _style_modes(codes: list[str], dimmed: set[str], highlight: set[str]) -> list[int]:
    return [2 if c in highlight else 1 if c in dimmed else 0 for c in codes]


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
        "m": _style_modes(codes, set(dimmed), set(highlight)),
        "st": [_COMMUNE_STYLE, _DIMMED_STYLE, _HIGHLIGHT_STYLE, _HOVER_STYLE],
    }
    if popups is not None:
        data["pu"] = popups
    return _NtmCall("style", _js_json(data))


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
    rows = [[_json_safe(v) for v in row] for row in ordered[columns].itertuples(index=False, name=None)]
    values = [row[0] if len(row) == 1 else row for row in rows]
    popups = ordered[popup_column].map(_json_safe).tolist() if popup_column is not None else None
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
    gdf = _to_wgs84(gdf, f"{what}: gdf")
    columns = ["commune_code", fill_column, *(c for c, _ in tooltip_columns)]
    if popup_column is not None:
        columns.append(popup_column)
    _require_columns(gdf, columns, f"{what}: gdf")
    gdf = _drop_empty(gdf, what)
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
    null = fills.map(lambda v: _json_safe(v) is None)
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
        fill = NO_DATA_FILL if _json_safe(fill) is None else str(fill)
        if not _HEX.match(fill):
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
    gdf = _to_wgs84(districts_gdf, "district_outline_layer: districts_gdf")
    gdf = _drop_empty(gdf, "district_outline_layer")
    topo = encode_topology(gdf.geometry.values)
    topo.pop("_users")
    topo["objects"] = {"d": topo["objects"]["c"]}
    topo["outline"] = {k: v for k, v in _DISTRICT_STYLE.items() if k != "fill"}
    group = folium.FeatureGroup(name=name)
    group.add_child(_NtmCall("outlines", _js_json(topo)))
    return group


# --------------------------------------------------------------------------- legend


class _Legend(branca.element.MacroElement):
    """A Leaflet control in the top-right (the empty corner of Lạng Sơn, which runs north-west to south-east); follows its parent feature group on/off the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var host = {{ this._parent.get_name() }};
            var legend = L.control({position: "topright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html_js }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            if (host instanceof L.Map) {
                legend.addTo(host);
            } else {
                host.on("add", function () { legend.addTo(host._map); });
                host.on("remove", function () { legend.remove(); });
                if (host._map) { legend.addTo(host._map); }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, inner_html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is not annotated
        self._name = "NtmLegend"
        self.css_class = LEGEND_CLASS
        # JSON string literal, and no "</" so it can never close the <script> it sits in.
        self.html_js = json.dumps(inner_html).replace("</", "<\\/")


def check_legend(entries: Sequence[tuple[str, str, int | None]], font_px: int) -> None:
    """Check legend rows (colour, label, count) and the font size.

    Raises
    ------
    ConfigError
        If ``entries`` is empty, a colour is not hex, a count is negative, or ``font_px`` is out
        of range (8-40).
    """
    if not entries:
        raise ConfigError(
            "legend_element: entries is empty; give at least one (colour, label, count).",
            "legend_element: danh sách chú giải rỗng; cần ít nhất một (màu, nhãn, số lượng).",
        )
    if isinstance(font_px, bool) or not isinstance(font_px, int) or not 8 <= font_px <= 40:
        raise ConfigError(
            f"legend_element: font_px must be an integer from 8 to 40, got {font_px!r}.",
            f"legend_element: font_px phải là số nguyên từ 8 đến 40, nhận được {font_px!r}.",
        )
    for colour, label, count in entries:
        if not isinstance(colour, str) or not _HEX.match(colour):
            raise ConfigError(
                f"legend_element: colour {colour!r} of entry {label!r} is not a hex colour like '#1a9850'.",
                f"legend_element: màu {colour!r} của mục {label!r} không phải mã màu dạng '#1a9850'.",
            )
        if count is not None and (isinstance(count, bool) or int(count) != count or count < 0):
            raise ConfigError(
                f"legend_element: count {count!r} of entry {label!r} must be a whole number >= 0 or None.",
                f"legend_element: số lượng {count!r} của mục {label!r} phải là số nguyên >= 0 hoặc None.",
            )


def legend_element(
    title: str,
    entries: Sequence[tuple[str, str, int | None]],
    *,
    note: str | None = None,
    font_px: int = 14,
) -> branca.element.MacroElement:
    """A legend box (swatch, label, count) in the map's top-right corner.

    Add it to the choropleth feature group (``fg.add_child(legend)``) so ``st_folium`` swaps it
    with the colours; added to a ``folium.Map`` it is fixed on that map (standalone export).

    Parameters
    ----------
    title : str
        Heading, e.g. the indicator and its unit ("Tỷ lệ hộ nghèo (%)").
    entries : list of (colour, label, count)
        ``colour`` hex ``#rrggbb``; ``label`` the class text; ``count`` number of communes or
        ``None`` to hide it. Include ``(NO_DATA_FILL, NO_DATA_LABEL, n)`` and
        ``(..., NOT_ASSESSED_LABEL, n)`` lines when they apply.
    note : str, optional
        Small print under the entries (source, year, classification scheme).
    font_px : int, default 14
        Base font size in CSS px (8-40); 16-18 reads well on a projector.

    Returns
    -------
    branca.element.MacroElement
        All text HTML-escaped.

    Raises
    ------
    ConfigError
        If ``entries`` is empty, a colour is not hex, a count is negative, or ``font_px`` is out
        of range.
    """
    check_legend(entries, font_px)
    rows = []
    for colour, label, count in entries:
        count_cell = "" if count is None else f"{int(count):,}".replace(",", ".")
        rows.append(
            '<tr><td style="padding:2px 6px 2px 0">'
            f'<span style="display:inline-block;width:1.4em;height:1em;background:{colour};'
            'border:1px solid #666;vertical-align:middle"></span></td>'
            f'<td style="padding:2px 8px 2px 0">{html.escape(str(label))}</td>'
            f'<td style="padding:2px 0;text-align:right;font-variant-numeric:tabular-nums">'
            f"{count_cell}</td></tr>"
        )
    note_html = (
        f'<div style="margin-top:4px;font-size:0.8em;color:#444;max-width:22em">{html.escape(note)}</div>'
        if note
        else ""
    )
    inner = (
        f'<div style="background:rgba(255,255,255,0.94);padding:8px 10px;border-radius:4px;'
        f"box-shadow:0 1px 4px rgba(0,0,0,0.35);font-size:{font_px}px;line-height:1.3;"
        f'color:#111;max-height:60vh;overflow:auto">'
        f'<div style="font-weight:700;margin-bottom:4px;max-width:22em">{html.escape(title)}</div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table>{note_html}</div>'
    )
    return _Legend(inner)


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
