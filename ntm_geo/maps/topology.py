"""The map geometry: prepare a GeoDataFrame for the web, and encode it as TopoJSON.

Prepare-for-the-web checklist (:func:`commune_topology` and the folium layers of
:mod:`ntm_geo.maps.mapview` use these, in one place): reproject to EPSG:4326 (:func:`to_wgs84`),
drop empty geometries (:func:`drop_empty`), keep only the properties shown
(:func:`require_columns`), make values JSON-safe (:func:`json_safe`: numpy scalars -> Python,
NaN/NaT/None -> ``null``, text HTML-escaped unless asked not to) and never let a ``</`` close a
``<script>`` (:func:`js_json`).

Geometry transport: a TopoJSON topology (:func:`encode_topology`). Coordinates are snapped to a
1e-4 degree grid (:data:`TOPO_SCALE`: <= 5.6 m per axis, a tenth of the 60 m simplification
tolerance, under a pixel up to zoom 14); the ``topojson`` library cuts the rings into *arcs* at
the junctions of the coverage, each arc is stored once (a shared commune edge is sent once, not
twice) and delta-encoded as small integers; district borders are lists of commune arcs (no
coordinates of their own). Short property keys (``n`` name, ``d`` district index). In the app the
topology is a static file (``static/topo/<sha>.json``); in the HTML export the small runtime
``static/folium_runtime.js`` is inlined into the page. :func:`decode_topology` is the Python
twin of both decoders (tests; GDAL's TopoJSON driver reads the same data). For the real
communes: 673 arcs, ~75 KB instead of ~300 KB of GeoJSON. All geometries are in EPSG:4326
(longitude, latitude in degrees) when they reach the browser.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import math
import os
import warnings
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

import geopandas
import numpy as np
import pandas as pd
import pyproj
import shapely
import topojson

from ntm_geo.errors import ConfigError
from ntm_geo.maps.mapstyle import DISTRICT_STYLE

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


# --------------------------------------------------------------------------- web preparation


def json_safe(value: Any, escape: bool = True) -> Any:
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


def to_wgs84(gdf: Any, what: str) -> geopandas.GeoDataFrame:
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


def require_columns(gdf: geopandas.GeoDataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise ConfigError(
            f"{what} lacks column(s) {missing}; available: {sorted(map(str, gdf.columns))}.",
            f"{what} thiếu cột {missing}; các cột hiện có: {sorted(map(str, gdf.columns))}.",
            column=str(missing[0]),
        )


def drop_empty(gdf: geopandas.GeoDataFrame, what: str) -> geopandas.GeoDataFrame:
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


def js_json(value: Any) -> str:
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
    gdf = to_wgs84(gdf, "commune_topology: gdf")
    require_columns(gdf, ["commune_code", *(c for c in (name_column, district_column) if c)],
                     "commune_topology: gdf")  # fmt: skip
    gdf = gdf.sort_values("commune_code", kind="stable")
    codes = gdf["commune_code"].astype(str).tolist()
    safe = functools.partial(json_safe, escape=escape)
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
    topo["outline"] = {k: v for k, v in DISTRICT_STYLE.items() if k != "fill"}
    topo["key"] = hashlib.sha1("\n".join(codes).encode()).hexdigest()[:10]
    return topo
