"""Name labels on the map: district names always, commune names when zoomed in.

Each label is a non-interactive Leaflet marker with a ``divIcon`` placed at the unit's *pole of
inaccessibility* (:func:`shapely.ops.polylabel`, the inside point farthest from the border —
better centred than a centroid and always inside the polygon). The names are sent as JSON and
set with ``textContent`` in the browser: no name is ever parsed as HTML.

Visibility of commune labels is CSS: they are hidden unless the map container carries the class
``ntm-zoomed`` (set by a ``zoomend`` handler when the zoom reaches ``min_zoom``) or the label is
marked ``ntm-always`` (the communes of the selected district). The CSS (:data:`LABEL_CSS`) has
to go in the *base map's header* — ``st_folium`` keeps header styles but drops the ones a
feature group adds — with :func:`add_label_css`.

DOM hooks for browser tests: ``.ntm-label.ntm-district-label`` and
``.ntm-label.ntm-commune-label`` (the marker icons), ``.ntm-label-text`` (the text).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import branca.element
import folium
import geopandas as gpd
from shapely.ops import polylabel

from ntm_geo.errors import ConfigError
from ntm_geo.maps.mapview import is_wgs84

DISTRICT_LABEL_CLASS = "ntm-district-label"
COMMUNE_LABEL_CLASS = "ntm-commune-label"
ALWAYS_CLASS = "ntm-always"
ZOOMED_CLASS = "ntm-zoomed"

DISTRICT_LABEL_OFFSETS: dict[str, tuple[float, float]] = {
    "184": (0.0, -0.09),  # Văn Quan: its pole lies on the city's border; move west, off "TP Lạng Sơn"
}
"""Hand placement (degrees lat, lon) where the automatic point collides, as cartographers do."""

LABEL_CSS = f"""<style>
.ntm-label {{ background: none; border: none; width: 0 !important; height: 0 !important; pointer-events: none; }}
.ntm-label-text {{ position: absolute; transform: translate(-50%, -50%); white-space: nowrap; line-height: 1.1;
  font-family: "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111; font-weight: 700;
  text-shadow: -2px -2px 0 #fff, 2px -2px 0 #fff, -2px 2px 0 #fff, 2px 2px 0 #fff, 0 0 4px #fff, 0 0 6px #fff; }}
.{DISTRICT_LABEL_CLASS} .ntm-label-text {{ color: #000; letter-spacing: 0.01em; }}
.{COMMUNE_LABEL_CLASS} .ntm-label-text {{ font-weight: 600; color: #1a1a1a; }}
.{COMMUNE_LABEL_CLASS} {{ display: none; }}
.{ZOOMED_CLASS} .{COMMUNE_LABEL_CLASS}, .{COMMUNE_LABEL_CLASS}.{ALWAYS_CLASS} {{ display: block; }}
.{ZOOMED_CLASS} .{DISTRICT_LABEL_CLASS} .ntm-label-text {{ opacity: 0.55; }}
.ntm-text {{ background: rgba(255,255,255,0.92); color: #111; padding: 3px 8px; border-radius: 3px; line-height: 1.25;
  box-shadow: 0 1px 3px rgba(0,0,0,0.3); max-width: 55vw; }}
.ntm-caption {{ font-weight: 800; padding: 2px 12px; }}
</style>"""


def short_district_name(name: str) -> str:
    """ "Huyện Đình Lập" -> "Đình Lập"; "Thành phố Lạng Sơn" -> "TP Lạng Sơn" (labels stay short)."""
    name = str(name).strip()
    for prefix, short in (("Huyện ", ""), ("Thành phố ", "TP "), ("Thị xã ", "TX ")):
        if name.startswith(prefix):
            return short + name[len(prefix) :]
    return name


def label_point(geometry) -> tuple[float, float]:
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


_POINTS: dict[int, tuple[object, list[tuple[float, float] | None]]] = {}


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


class _Labels(branca.element.MacroElement):
    """Markers with text labels added to the parent feature group, plus the zoom class toggle."""

    _template = branca.element.Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var items = {{ this.items_js }};
            var texts = [];
            items.forEach(function (it) {
                var el = document.createElement("div");
                el.className = "ntm-label-text";
                el.style.fontSize = {{ this.font_px }} + "px";
                el.textContent = it[2];
                texts.push(el);
                var icon = L.divIcon({html: el, className: "ntm-label " + it[3], iconSize: null});
                L.marker([it[0], it[1]], {icon: icon, interactive: false, keyboard: false}).addTo(group);
            });
            var refresh = function () {
                var map = group._map;
                if (!map) { return; }
                {% if this.min_zoom is not none %}
                map.getContainer().classList.toggle({{ this.zoomed_js }}, map.getZoom() >= {{ this.min_zoom }});
                {% endif %}
                {% if this.cull %}
                // Hide a label that would overlap a district label or a label placed before it
                // (items come in priority order: selected district first, then larger units).
                var kept = [];
                map.getContainer().querySelectorAll(".ntm-district-label .ntm-label-text").forEach(function (d) {
                    if (texts.indexOf(d) < 0) { kept.push(d.getBoundingClientRect()); }
                });
                texts.forEach(function (el) {
                    el.style.visibility = "";
                    var r = el.getBoundingClientRect();
                    if (r.width === 0) { return; }
                    var hit = kept.some(function (k) {
                        return r.left < k.right && r.right > k.left && r.top < k.bottom && r.bottom > k.top;
                    });
                    if (hit) { el.style.visibility = "hidden"; } else { kept.push(r); }
                });
                {% endif %}
                {% if this.nudge %}
                // Move a label (by up to 1.7 line heights, 0.45 widths) until it no longer overlaps
                // a label placed before it (items come smallest district first: they have the
                // least room); if every position overlaps, the one that overlaps least is kept.
                var placed = [];
                map.getContainer().querySelectorAll(".ntm-caption").forEach(function (c) {
                    placed.push(c.getBoundingClientRect());  // a big caption ("2015") is not covered
                });
                // (x in label widths, y in label heights), nearest first
                var MOVES = [[0, 0], [0, -0.75], [0, 0.75], [-0.3, 0], [0.3, 0], [-0.3, -0.75], [0.3, -0.75],
                             [-0.3, 0.75], [0.3, 0.75], [0, -1.25], [0, 1.25], [-0.45, -1.25], [0.45, -1.25],
                             [-0.45, 1.25], [0.45, 1.25], [0, -1.7], [0, 1.7]];
                var overlap = function (a, b) {  // (with a 4-pixel gap: touching counts as overlapping)
                    var w = Math.min(a.right, b.right) - Math.max(a.left, b.left) + 4;
                    var h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + 4;
                    return w > 0 && h > 0 ? w * h : 0;
                };
                texts.forEach(function (el) {
                    el.style.transform = "";
                    var r0 = el.getBoundingClientRect();
                    if (r0.width === 0) { return; }
                    var best = null;
                    MOVES.some(function (m) {
                        var dx = m[0] * r0.width, dy = m[1] * r0.height;
                        var r = {left: r0.left + dx, right: r0.right + dx, top: r0.top + dy, bottom: r0.bottom + dy};
                        var hit = placed.reduce(function (sum, k) { return sum + overlap(r, k); }, 0);
                        if (best === null || hit < best.hit) { best = {dx: dx, dy: dy, r: r, hit: hit}; }
                        return hit === 0;
                    });
                    el.style.visibility = "";
                    {% if this.hide_crowded %}
                    if (best.hit > 0) { el.style.visibility = "hidden"; return; }  // no room: left out
                    {% endif %}
                    if (best.dx || best.dy) {  // (after the centring of LABEL_CSS)
                        el.style.transform = "translate(-50%, -50%) translate(" + best.dx + "px," + best.dy + "px)";
                    }
                    placed.push(best.r);
                });
                {% endif %}
            };
            // (deferred: on "zoomend" the markers may not be at their new positions yet)
            var later = function () { setTimeout(refresh, 30); setTimeout(refresh, 350); };
            var attach = function () {
                group._map.on("zoomend resize viewreset", later);
                refresh();
                later();
            };
            group.on("add", attach);
            group.on("remove", function (e) { if (e.target._map) { e.target._map.off("zoomend resize viewreset", later); } });
            if (group._map) { attach(); }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        items: list[list],
        font_px: int,
        min_zoom: float | None,
        cull: bool = False,
        nudge: bool = False,
        hide_crowded: bool = False,
    ) -> None:
        super().__init__()
        self.cull = bool(cull)
        self.nudge = bool(nudge)
        self.hide_crowded = bool(hide_crowded)
        self._name = "NtmLabels"
        self.items_js = json.dumps(items, ensure_ascii=False).replace("</", "<\\/")
        self.font_px = int(font_px)
        self.min_zoom = None if min_zoom is None else float(min_zoom)
        self.zoomed_js = json.dumps(ZOOMED_CLASS)


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
) -> dict:
    """District names (short form), always shown, at ``font_px`` CSS px.

    ``districts``: one row per district with ``district_name``, ``district_code`` and geometry
    (any CRS); ``exclude``: district codes left unlabelled (e.g. the one a slide is about, whose
    communes are labelled instead). Positions: :func:`label_point`, moved by
    :data:`DISTRICT_LABEL_OFFSETS`; in the browser a label that overlaps one placed before it
    (smallest district first) is moved by up to 1.7 line heights or 0.45 label widths; with
    ``hide_crowded`` (small maps) a label that still overlaps is hidden instead of misplaced.

    Raises
    ------
    ConfigError
        Not a GeoDataFrame with a CRS, no ``district_name`` column, or ``font_px`` not 8-60.
    """
    _check_font(font_px, "district_label_spec")
    gdf = _require(districts, ["district_name", "district_code"], "district_label_layer")
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


def district_label_layer(
    districts: gpd.GeoDataFrame,
    *,
    font_px: int = 24,
    exclude: Iterable[str] = (),
    name: str = "district-labels",
    hide_crowded: bool = False,
) -> folium.FeatureGroup:
    """:func:`district_label_spec` as a folium feature group (standalone maps)."""
    spec = district_label_spec(districts, font_px=font_px, exclude=exclude, hide_crowded=hide_crowded)
    group = folium.FeatureGroup(name=name)
    group.add_child(_Labels(spec["items"], font_px, None, nudge=True, hide_crowded=hide_crowded))
    return group


def commune_label_spec(
    communes: gpd.GeoDataFrame,
    *,
    font_px: int = 18,
    min_zoom: float = 11.0,
    always_district: str = "",
) -> dict:
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
    gdf = _require(communes, ["name", "district_code"], "commune_label_layer")
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


def commune_label_layer(
    communes: gpd.GeoDataFrame,
    *,
    font_px: int = 18,
    min_zoom: float = 11.0,
    always_district: str = "",
    name: str = "commune-labels",
) -> folium.FeatureGroup:
    """:func:`commune_label_spec` as a folium feature group (standalone maps)."""
    spec = commune_label_spec(communes, font_px=font_px, min_zoom=min_zoom, always_district=always_district)
    group = folium.FeatureGroup(name=name)
    group.add_child(_Labels(spec["items"], font_px, min_zoom, cull=True))
    return group


def add_label_css(m: folium.Map) -> folium.Map:
    """Put :data:`LABEL_CSS` in the header of ``m`` (needed for the labels to look right)."""
    m.get_root().header.add_child(branca.element.Element(LABEL_CSS), name="ntm_label_css")
    return m


class _TextControl(branca.element.MacroElement):
    """A Leaflet control holding one line of text (set with textContent), following its parent group."""

    _template = branca.element.Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var host = {{ this._parent.get_name() }};
            var box = L.control({position: {{ this.position_js }}});
            box.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_js }});
                div.textContent = {{ this.text_js }};
                div.style.fontSize = {{ this.font_px }} + "px";
                return div;
            };
            if (host instanceof L.Map) { box.addTo(host); } else {
                host.on("add", function () { box.addTo(host._map); });
                host.on("remove", function () { box.remove(); });
                if (host._map) { box.addTo(host._map); }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, text: str, position: str, font_px: int, css_class: str) -> None:
        super().__init__()
        self._name = "NtmText"
        self.text_js = json.dumps(str(text), ensure_ascii=False).replace("</", "<\\/")
        self.position_js = json.dumps(position)
        self.css_js = json.dumps(f"ntm-text {css_class}")
        self.font_px = int(font_px)


TEXT_POSITIONS = ("topleft", "topright", "bottomleft", "bottomright")


def text_control(
    text: str, *, position: str = "bottomleft", font_px: int = 16, css_class: str = "ntm-source"
) -> branca.element.MacroElement:
    """A text box on the map (source line, a big year caption...). Add it to a feature group so
    ``st_folium`` swaps it with the layer, or to a ``folium.Map`` for a fixed box.

    Raises
    ------
    ConfigError
        ``position`` not one of :data:`TEXT_POSITIONS`, or ``font_px`` not 8-60.
    """
    if position not in TEXT_POSITIONS:
        raise ConfigError(
            f"text_control: position {position!r} must be one of {', '.join(TEXT_POSITIONS)}.",
            f"text_control: vị trí {position!r} phải là một trong {', '.join(TEXT_POSITIONS)}.",
        )
    _check_font(font_px, "text_control")
    return _TextControl(text, position, font_px, css_class)


class _SyncViews(branca.element.MacroElement):
    """Pan/zoom sync between the maps of sibling ``st_folium`` iframes (same origin).

    Each map registers itself as ``window.__ntmSyncMap`` of its iframe; after a move it sets the
    same centre and zoom on the other registered maps (no animation; a flag stops the echo).
    No plugin file is needed (Leaflet.Sync would have to be served locally, and it links maps
    of one page, not of two iframes).
    """

    _template = branca.element.Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var group = {{ this._parent.get_name() }};
            var setup = function (map) {
                window.__ntmSyncMap = map;
                if (map.__ntmSyncOn) { return; }
                map.__ntmSyncOn = true;
                map.on("moveend", function () {
                    if (map.__ntmSyncing || window.__ntmSyncMap !== map) { return; }
                    var frames = window.parent.document.querySelectorAll("iframe");
                    for (var i = 0; i < frames.length; i++) {
                        var other = null;
                        try { if (frames[i].contentWindow !== window) { other = frames[i].contentWindow.__ntmSyncMap; } } catch (e) { other = null; }
                        if (!other || !other.getContainer().isConnected) { continue; }
                        var c = map.getCenter(), z = map.getZoom(), oc = other.getCenter();
                        if (other.getZoom() === z && Math.abs(oc.lat - c.lat) < 1e-7 && Math.abs(oc.lng - c.lng) < 1e-7) { continue; }
                        other.__ntmSyncing = true;
                        try { other.setView(c, z, {animate: false}); } finally { other.__ntmSyncing = false; }
                    }
                });
            };
            group.on("add", function () { setup(group._map); });
            group.on("remove", function () { if (window.__ntmSyncMap) { window.__ntmSyncMap = null; } });
            if (group._map) { setup(group._map); }
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "NtmSyncViews"


def view_sync_element() -> branca.element.MacroElement:
    """Add to a feature group of each of two side-by-side maps to keep their pan/zoom in sync."""
    return _SyncViews()


__all__ = [
    "LABEL_CSS",
    "add_label_css",
    "commune_label_layer",
    "commune_label_spec",
    "district_label_layer",
    "district_label_spec",
    "label_point",
    "short_district_name",
    "text_control",
    "view_sync_element",
]
