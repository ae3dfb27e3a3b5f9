"""Name labels on the map, as data: district names always, commune names when zoomed in.

Each label sits at the unit's *pole of inaccessibility* (:func:`shapely.ops.polylabel`, the
inside point farthest from the border — better centred than a centroid and always inside the
polygon). The specs (``{items: [[lat, lng, text, class]], font_px, min_zoom, cull, nudge,
hide_crowded}``) go in the map spec's ``labels``; the map module (``static/ntm_map.js``) draws
them as non-interactive markers and sets each name with ``textContent``: no name is ever parsed
as HTML. Commune labels are hidden unless the map container carries ``ntm-zoomed`` (zoom >=
``min_zoom``) or the label is marked ``ntm-always`` (the communes of the selected district);
the module moves (``nudge``) or hides (``cull``) labels that would overlap.

DOM hooks for browser tests: ``.ntm-label.ntm-district-label`` and
``.ntm-label.ntm-commune-label`` (the marker icons), ``.ntm-label-text`` (the text).
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
from shapely.geometry.base import BaseGeometry
from shapely.ops import polylabel

from ntm_geo.errors import ConfigError
from ntm_geo.maps.topology import is_wgs84

DISTRICT_LABEL_CLASS = "ntm-district-label"
COMMUNE_LABEL_CLASS = "ntm-commune-label"
ALWAYS_CLASS = "ntm-always"
ZOOMED_CLASS = "ntm-zoomed"

DISTRICT_LABEL_OFFSETS: dict[str, tuple[float, float]] = {
    "184": (0.0, -0.09),  # Văn Quan: its pole lies on the city's border; move west, off "TP Lạng Sơn"
    # Cao Lộc wraps around the city: its pole lies just above "TP Lạng Sơn" (the two names
    # touched at 1024 px); north-east into its wide northern part, still 0.03° inside
    "183": (0.02, 0.05),
}
"""Hand placement (degrees lat, lon) where the automatic point collides, as cartographers do."""


def short_district_name(name: str) -> str:
    """ "Huyện Đình Lập" -> "Đình Lập"; "Thành phố Lạng Sơn" -> "TP Lạng Sơn" (labels stay short)."""
    name = str(name).strip()
    for prefix, short in (("Huyện ", ""), ("Thành phố ", "TP "), ("Thị xã ", "TX ")):
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def label_point(geometry: BaseGeometry | None) -> tuple[float, float]:
    """(lat, lon) inside the largest part of ``geometry``, far from its border (EPSG:4326)."""
    if geometry is None or geometry.is_empty:
        raise ConfigError(
            "label_point: empty geometry has no label point.",
            "label_point: hình rỗng không có điểm đặt nhãn.",
        )
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda g: g.area)
    try:
        point = polylabel(largest, tolerance=0.001)
    except Exception:
        point = largest.representative_point()
    if not largest.contains(point):
        point = largest.representative_point()
    return round(point.y, 5), round(point.x, 5)


_POINTS: dict[int, tuple[gpd.GeoDataFrame, list[tuple[float, float] | None]]] = {}


def _label_points(gdf: gpd.GeoDataFrame) -> list[tuple[float, float] | None]:
    """:func:`label_point` of each geometry (None for an empty one), remembered for the same
    (read-only) GeoDataFrame object: the app's boundaries are one cached object, and the
    presentation page labels them on every rerun (226 communes: ~20 ms of polylabel each time)."""
    cached = _POINTS.get(id(gdf))
    if cached is not None and cached[0] is gdf and len(cached[1]) == len(gdf):
        return cached[1]
    points = [None if g is None or g.is_empty else label_point(g) for g in gdf.geometry]
    if len(_POINTS) >= 16:
        _POINTS.pop(next(iter(_POINTS)))
    _POINTS[id(gdf)] = (gdf, points)  # (the frame is kept alive with its points)
    return points


def _check_font(font_px: int, what: str) -> None:
    if isinstance(font_px, bool) or not isinstance(font_px, int) or not 8 <= font_px <= 60:
        raise ConfigError(
            f"{what}: font_px must be an integer from 8 to 60, got {font_px!r}.",
            f"{what}: font_px phải là số nguyên từ 8 đến 60, nhận được {font_px!r}.",
        )


def _require(gdf: gpd.GeoDataFrame, columns: Iterable[str], what: str) -> gpd.GeoDataFrame:
    if not isinstance(gdf, gpd.GeoDataFrame) or gdf.crs is None:
        raise ConfigError(
            f"{what}: needs a GeoDataFrame with a CRS (EPSG:4326 preferred).",
            f"{what}: cần GeoDataFrame có hệ tọa độ (nên là EPSG:4326).",
        )
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise ConfigError(
            f"{what}: missing column(s) {missing}; available: {sorted(map(str, gdf.columns))}.",
            f"{what}: thiếu cột {missing}; các cột hiện có: {sorted(map(str, gdf.columns))}.",
            column=missing[0],
        )
    return gdf.to_crs(4326) if not is_wgs84(gdf.crs) else gdf


def district_label_spec(
    districts: gpd.GeoDataFrame,
    *,
    font_px: int = 24,
    exclude: Iterable[str] = (),
    hide_crowded: bool = False,
) -> dict[str, object]:
    """District names (short form), always shown, at ``font_px`` CSS px.

    ``districts``: one row per district with ``district_name``, ``district_code`` and geometry
    (any CRS); ``exclude``: district codes left unlabelled (e.g. the one a slide is about, whose
    communes are labelled instead). Positions: :func:`label_point`, moved by
    :data:`DISTRICT_LABEL_OFFSETS`; in the browser a label that overlaps one placed before it
    (smallest district first), or comes within a third of its line height of it (``labelGap`` in
    ``ntm_map.js``), is moved by up to 1.7 line heights or 0.45 label widths; with
    ``hide_crowded`` (small maps) a label that still overlaps is hidden instead of misplaced.

    Raises
    ------
    ConfigError
        Not a GeoDataFrame with a CRS, no ``district_name`` column, or ``font_px`` not 8-60.
    """
    _check_font(font_px, "district_label_spec")
    gdf = _require(districts, ["district_name", "district_code"], "district_label_spec")
    skip = set(exclude)
    items = []
    for code, label, geom, point in zip(
        gdf["district_code"], gdf["district_name"], gdf.geometry, _label_points(gdf), strict=True
    ):
        if code in skip or point is None:
            continue
        lat, lon = point
        dlat, dlon = DISTRICT_LABEL_OFFSETS.get(str(code), (0.0, 0.0))
        items.append(
            (
                geom.area,
                [
                    round(lat + dlat, 5),
                    round(lon + dlon, 5),
                    short_district_name(label),
                    DISTRICT_LABEL_CLASS,
                ],
            )
        )
    items.sort(key=lambda item: item[0])  # smallest first: it keeps its place, larger ones move
    return {
        "items": [item for _, item in items],
        "font_px": int(font_px),
        "min_zoom": None,
        "cull": False,
        "nudge": True,
        "hide_crowded": bool(hide_crowded),
    }


def commune_label_spec(
    communes: gpd.GeoDataFrame,
    *,
    font_px: int = 18,
    min_zoom: float = 11.0,
    always_district: str = "",
) -> dict[str, object]:
    """Commune names (without the type word, unless two units of a district share the name and
    ``name_with_type`` is given), shown at zoom >= ``min_zoom``.

    A label that would overlap a district label or a label placed before it is hidden (checked in
    the browser after each zoom); the selected district's communes come first, then larger ones.

    Parameters
    ----------
    communes : GeoDataFrame
        ``name`` (e.g. "Hoàng Văn Thụ"), ``district_code``, geometry (any CRS).
    always_district : str
        A district code whose communes are labelled at every zoom (the selected district).

    Raises
    ------
    ConfigError
        Not a GeoDataFrame with a CRS, a column missing, or ``font_px`` not 8-60.
    """
    _check_font(font_px, "commune_label_spec")
    gdf = _require(communes, ["name", "district_code"], "commune_label_spec")
    # The same name twice in a district (xã Đình Lập and thị trấn Đình Lập) keeps the type word.
    twice = gdf.duplicated(["district_code", "name"], keep=False).to_numpy()
    full = gdf["name_with_type"] if "name_with_type" in gdf else gdf["name"]
    ranked = []
    for label, long_label, same, district, geom, point in zip(
        gdf["name"], full, twice, gdf["district_code"], gdf.geometry, _label_points(gdf), strict=True
    ):
        if point is None:
            continue
        label = long_label if same else label
        always = bool(always_district) and district == always_district
        cls = COMMUNE_LABEL_CLASS + (f" {ALWAYS_CLASS}" if always else "")
        ranked.append((not always, -geom.area, [*point, str(label), cls]))
    items = [item for *_, item in sorted(ranked, key=lambda r: (r[0], r[1]))]
    return {
        "items": items,
        "font_px": int(font_px),
        "min_zoom": float(min_zoom),
        "cull": True,
        "nudge": False,
        "hide_crowded": False,
    }


__all__ = [
    "commune_label_spec",
    "district_label_spec",
    "label_point",
    "short_district_name",
]
