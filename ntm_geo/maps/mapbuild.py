"""From a classified view to the map: one place that every page (map, presentation, planner)
and every export uses, so they all show the same colours, legend and labels.

The app's pages use :func:`build_view_spec`: the map as DATA (a JSON-safe dict read by the one
map module ``ntm_geo/maps/static/ntm_map.js``, see its header for every field) plus the topology,
which the app publishes once per boundary set as a content-hashed static file
(:func:`ntm_geo.maps.webassets.publish_topology`). A colour, legend or language change sends only
the style (palette indices, tooltip values, legend: a few KB); the geometry is fetched once.

The standalone HTML export keeps folium (:func:`build_view_layers`, below), where it is the
right tool: one self-contained file.

Two ways to hand a view to the map element (``app_pages.leaflet_map.leaflet_map`` on the map and
planner pages, ``st_folium`` on the presentation page; both draw the same map):

* **recommended** -- geometry in the base map, colours in a tiny feature group::

      layers = build_view_layers(...)
      st_folium(layers.base_map(tiles=None), feature_group_to_add=layers.feature_groups, key="map", ...)

  The base map's script (communes + district borders as a compact topology) is identical
  whenever the extent and tiles are, so st_folium keeps the map; a colour, legend, language or
  highlight change sends only ``layers.style`` (palette indices, tooltip values, legend: a few
  KB) and the browser restyles the existing paths (no flicker, zoom kept).
* **self-contained** (``build_base_map(layers.bounds)`` + ``[layers.communes, layers.outlines]``):
  the commune group carries the geometry too, so every rerun that changes it resends it
  (compact, but ~25 KB instead of ~3 KB).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import branca.element
import folium
import geopandas as gpd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError
from ntm_geo.i18n import register, t
from ntm_geo.maps.classify import scheme_label
from ntm_geo.maps.legend import check_legend, legend_element
from ntm_geo.maps.mapstyle import (
    COMMUNE_STYLE,
    DIMMED_STYLE,
    DISTRICT_STYLE,
    HIGHLIGHT_STYLE,
    HOVER_STYLE,
    NO_DATA_FILL,
    style_modes,
)
from ntm_geo.maps.mapview import build_base_map, geometry_element, outline_element, style_element
from ntm_geo.maps.themes import ChoroplethView
from ntm_geo.maps.topology import commune_topology, json_safe

register(
    {
        "legend_show": ("Hiện chú giải", "Show the legend"),
        "legend_hide": ("Thu gọn chú giải", "Hide the legend"),
    }
)


@dataclass(frozen=True)
class ViewLayers:
    """The feature groups of a view and the extent to show.

    ``communes`` holds the filled commune polygons (geometry included) and the legend;
    ``outlines`` the district borders (draw after communes; they reuse the communes' arcs);
    ``bounds`` is (minx, miny, maxx, maxy) in EPSG:4326 degrees — the district's extent when one
    is selected, else the province's. ``style`` holds only colours, tooltip values, classes and
    the legend, for a base map from :meth:`base_map` (which carries the geometry).
    """

    communes: folium.FeatureGroup
    outlines: folium.FeatureGroup
    bounds: tuple[float, float, float, float]
    title: str
    style: folium.FeatureGroup | None = None
    topology: dict[str, Any] | None = None

    def base_map(self, tiles: str | None = None) -> folium.Map:
        """A fresh base map (``build_base_map(bounds, tiles=tiles)``) that draws the communes and
        district borders itself; pass it with :attr:`feature_groups` to ``st_folium``."""
        m = build_base_map(self.bounds, tiles=tiles)
        if self.topology is not None:
            m.add_child(geometry_element(self.topology), name="ntm_geometry")
        return m

    @property
    def feature_groups(self) -> list[folium.FeatureGroup]:
        """What goes with :meth:`base_map`: the style group (falls back to communes + outlines)."""
        return (
            [self.style]
            if self.style is not None and self.topology is not None
            else [self.communes, self.outlines]
        )


def _commune_word(table: gpd.GeoDataFrame) -> str:
    """The tooltip's unit header key: "Xã/phường" when the units have no thị trấn (the 65 units of
    1 July 2025), "Xã/phường/thị trấn" otherwise (a table without ``unit_type``: the 2015 units)."""
    if "unit_type" in table.columns and not (table["unit_type"] == "thi-tran").any():
        return "tooltip_commune_2025"
    return "tooltip_commune"


def legend_title(view: ChoroplethView, lang: str) -> str:
    """Legend heading: the variable and its unit, e.g. "Tỷ lệ hộ nghèo (%)"."""
    var = view.variable
    unit = Bilingual.of(var, "unit").pick(lang)
    return f"{var.label(lang)} ({unit})" if unit else var.label(lang)


def view_title(view: ChoroplethView, *, year: int | str, source: str, lang: str) -> str:
    """Map title: theme variable, year (or a span such as "2011→2015") and data source."""
    return t("map_title", lang, variable=view.variable.label(lang), year=year, source=source)


def build_view_layers(
    table: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    view: ChoroplethView,
    *,
    year: int | str,
    source: str,
    lang: str = "vi",
    scheme: str | None = None,
    district: str = "",
    highlight: Iterable[str] = (),
    legend_font_px: int = 15,
    name: str = "communes",
) -> ViewLayers:
    """Build the commune and district layers of one view.

    Parameters
    ----------
    table : GeoDataFrame
        Joined table (:func:`ntm_geo.maps.themes.join_dataset`), EPSG:4326, same row order as ``view``;
        columns used: ``commune_code``, ``name_with_type``, ``district_code``, ``district_name``.
    districts : GeoDataFrame
        District polygons (``district_code``, geometry).
    view : ChoroplethView
        From :func:`ntm_geo.maps.themes.compute_view` on ``table``.
    year, source : shown in the title and the legend's note ("2015 · Dữ liệu minh họa").
    scheme : classification scheme key, named in the legend note for data-driven schemes.
    district : a district code to zoom to (others dimmed), or "" for the province.
    highlight : commune codes drawn with a thick outline (selected or shortlisted communes).
    """
    var = view.variable
    if district:
        inside = set(table.loc[table["district_code"] == district, "commune_code"])
        dimmed = set(table["commune_code"]) - inside
        bounds = tuple(districts.loc[districts["district_code"] == district].total_bounds)
    else:
        dimmed = set()
        bounds = tuple(table.total_bounds)
    topo = commune_topology(
        table[["commune_code", "name_with_type", "district_name", "geometry"]],
        name_column="name_with_type",
        district_column="district_name",
    )
    # the topology lists communes by code: put the view's colours and values in that order
    row_codes = table["commune_code"].astype(str).tolist()
    order = sorted(range(len(row_codes)), key=row_codes.__getitem__)
    codes = [row_codes[i] for i in order]
    fills = [NO_DATA_FILL if _display(view.fills[i]) is None else str(view.fills[i]).lower() for i in order]
    values = [_display(view.display_values[i]) for i in order]
    labels = [t(_commune_word(table), lang), t("tooltip_district", lang), var.label(lang)]
    note = f"{year} · {source}"
    if var.kind == "scheme" and scheme:
        note += f" · {scheme_label(scheme, lang)}"

    within = (table["district_code"] == district).to_numpy() if district else None
    if district:  # counts for the district shown; classes (and colours) stay the province's
        note += " · " + t("legend_counts_district", lang)

    def legend() -> branca.element.MacroElement:
        entries = view.classification.legend_entries(lang, within=within)
        return legend_element(legend_title(view, lang), entries, note=note, font_px=legend_font_px)

    def styled(group_name: str) -> folium.FeatureGroup:
        group = folium.FeatureGroup(name=group_name)
        group.add_child(
            style_element(topo["key"], codes, fills, values, labels, dimmed=dimmed, highlight=set(highlight))
        )
        group.add_child(legend())
        return group

    communes = folium.FeatureGroup(name=name)
    communes.add_child(geometry_element(topo, outlines=False))
    communes.add_child(
        style_element(topo["key"], codes, fills, values, labels, dimmed=dimmed, highlight=set(highlight))
    )
    communes.add_child(legend())
    outlines = folium.FeatureGroup(name=f"{name}-districts")
    outlines.add_child(outline_element(topo))
    return ViewLayers(
        communes,
        outlines,
        bounds,
        view_title(view, year=year, source=source, lang=lang),
        style=styled(f"{name}-style"),
        topology=topo,
    )


def _display(value: object) -> object:
    """A display value for the tooltip: numbers as they are, text HTML-escaped, NaN -> None."""
    return json_safe(value)


SPEC_VERSION = 1
"""Version of the map spec (``spec["v"]``) that ``ntm_map.js`` reads."""


@dataclass(frozen=True)
class ViewSpec:
    """One view as data for the map component.

    ``spec``: JSON-safe dict (``v``, ``bounds`` [[south, west], [north, east]] in EPSG:4326
    degrees, ``style`` -- ``f`` palette index and ``m`` mode per unit as base-36 strings, ``m``
    "" when every unit is normal --, ``legend``, ``outline``); ``topology``: the TopoJSON topology of the units
    (:func:`ntm_geo.maps.topology.commune_topology`, names not escaped), published apart;
    ``title``: the map title.
    """

    spec: dict[str, Any]
    topology: dict[str, Any] = field(repr=False)
    title: str

    def with_topology_url(self, url: str, **extra: Any) -> dict[str, Any]:
        """The spec with ``topology = {url, key}`` and ``extra`` fields (labels, texts...)."""
        return {**self.spec, "topology": {"url": url, "key": self.topology["key"]}, **extra}


def build_view_spec(
    table: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame | None,
    view: ChoroplethView,
    *,
    year: int | str,
    source: str,
    lang: str = "vi",
    scheme: str | None = None,
    district: str = "",
    highlight: Iterable[str] = (),
    legend_font_px: int = 15,
) -> ViewSpec:
    """One view as data (:class:`ViewSpec`) for ``ntm_map.js``; same arguments as
    :func:`build_view_layers`. ``districts`` may be ``None`` (a unit vintage without districts:
    no borders, bounds of the units); nothing here assumes a number of units.

    Raises
    ------
    ConfigError
        From the legend check (no entries, a colour that is not hex, a negative count).
    """
    var = view.variable
    has_districts = "district_code" in table.columns and districts is not None
    if district and has_districts and districts is not None:
        inside = set(table.loc[table["district_code"] == district, "commune_code"])
        dimmed = set(table["commune_code"]) - inside
        minx, miny, maxx, maxy = districts.loc[districts["district_code"] == district].total_bounds
    else:
        district, dimmed = "", set()
        minx, miny, maxx, maxy = table.total_bounds
    group_column = "district_name" if "district_name" in table.columns else None
    columns = ["commune_code", "name_with_type", *([group_column] if group_column else []), "geometry"]
    topo = commune_topology(
        table[columns], name_column="name_with_type", district_column=group_column, escape=False
    )
    row_codes = table["commune_code"].astype(str).tolist()
    order = sorted(range(len(row_codes)), key=row_codes.__getitem__)  # the topology's order
    codes = [row_codes[i] for i in order]
    fills = [NO_DATA_FILL if json_safe(view.fills[i]) is None else str(view.fills[i]).lower() for i in order]
    values = [json_safe(view.display_values[i], escape=False) for i in order]
    labels = [t(_commune_word(table), lang), *([t("tooltip_district", lang)] if group_column else [])]
    labels.append(var.label(lang))
    note = f"{year} · {source}"
    if var.kind == "scheme" and scheme:
        note += f" · {scheme_label(scheme, lang)}"
    within = (table["district_code"] == district).to_numpy() if district else None
    if district:  # counts for the district shown; classes (and colours) stay the province's
        note += " · " + t("legend_counts_district", lang)
    entries = view.classification.legend_entries(lang, within=within)
    check_legend(entries, legend_font_px)
    palette = list(dict.fromkeys(fills))
    spec = {
        "v": SPEC_VERSION,
        "bounds": [[float(miny), float(minx)], [float(maxy), float(maxx)]],
        "style": {
            "p": palette,
            "f": _digits([palette.index(f) for f in fills]),
            "v": values,
            "l": labels,
            "m": _digits(style_modes(codes, dimmed, set(highlight))),
            "st": [COMMUNE_STYLE, DIMMED_STYLE, HIGHLIGHT_STYLE, HOVER_STYLE],
        },
        "legend": {
            "title": legend_title(view, lang),
            "entries": [[c, str(label), None if n is None else int(n)] for c, label, n in entries],
            "note": note,
            "font_px": legend_font_px,
            "show_text": t("legend_show", lang),
            "hide_text": t("legend_hide", lang),
        },
        "outline": {k: v for k, v in DISTRICT_STYLE.items() if k != "fill"},
    }
    title = view_title(view, year=year, source=source, lang=lang)
    return ViewSpec(spec, topo, title)


_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _digits(indices: list[int]) -> str:
    """Small indices (palette index, mode) as one base-36 character each, "" when all are 0:
    226 units cost 226 bytes instead of ~680 of a JSON list (a theme change sends this).

    Raises
    ------
    ConfigError
        An index outside 0-35 (more than 36 palette colours).
    """
    if any(not 0 <= i < len(_DIGITS) for i in indices):
        raise ConfigError(
            f"The map spec holds at most {len(_DIGITS)} colours; got index {max(indices)}.",
            f"Bản đồ chỉ có tối đa {len(_DIGITS)} màu; nhận được chỉ số {max(indices)}.",
        )
    return "" if not any(indices) else "".join(_DIGITS[i] for i in indices)


def spec_payload_bytes(spec: Mapping[str, Any]) -> int:
    """Bytes of a spec as JSON (what Streamlit sends for it, give or take the envelope)."""
    return len(json.dumps(spec, ensure_ascii=False, separators=(",", ":")).encode())


_SEPARATORS = "|~^`;\t"
"""Characters tried, in order, to join the packed tooltip values (the first one no value holds)."""


def pack_values(values: list[Any]) -> dict[str, str] | None:
    """The tooltip values of a style (one per unit: text or None) as one string, for the wire.

    Returns ``{"vs": stems joined by "vsep", "vsep": separator, "vx": suffix}``: every non-empty
    value is ``stem + vx`` (``vx`` the longest suffix all of them share, e.g. ``" %"``, kept only
    while every stem stays non-empty), None is ``""``. ``ntm_map.js`` (``unpackStyle``) rebuilds
    the list. 226 poverty rates cost ~0.9 KB instead of ~1.9 KB of a JSON list. Returns None
    (send the list as it is) when a value is not text or None, or every separator occurs in
    the values.
    """
    if not all(v is None or isinstance(v, str) for v in values):
        return None
    texts = ["" if v is None else v for v in values]
    sep = next((c for c in _SEPARATORS if not any(c in v for v in texts)), None)
    if sep is None:
        return None
    full = [v for v in texts if v]
    suffix = ""
    if full:
        shortest = min(len(v) for v in full)
        n = 0
        while n < shortest - 1 and len({v[-1 - n] for v in full}) == 1:
            n += 1
        suffix = full[0][len(full[0]) - n :] if n else ""
    stems = [v[: len(v) - len(suffix)] if v else "" for v in texts]
    return {"vs": sep.join(stems), "vsep": sep, "vx": suffix}


def wire_bytes(payload: Mapping[str, Any]) -> bytes:
    """What the browser receives for one run of the map component: ``payload`` (not mutated)
    as compact UTF-8 JSON (Streamlit's own ``json.dumps`` of a dict writes every Vietnamese
    letter as a 6-byte ``\\uXXXX`` escape and spaces after separators), with the style's
    tooltip values packed (:func:`pack_values`). ``ntm_map.js`` decodes it (``decodeSpec``).
    A theme change sends this and the page's other elements (~10 KB in all, budget 12 KiB).
    """
    out = dict(payload)
    style = out.get("style")
    if isinstance(style, Mapping) and isinstance(style.get("v"), list):
        packed = pack_values(style["v"])
        if packed is not None:
            out["style"] = {**{k: v for k, v in style.items() if k != "v"}, **packed}
    return json.dumps(out, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")
