"""From a classified view to the map's layers: one place that every page (map, presentation,
planner) and every export uses, so they all show the same colours, legend and labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import folium
import geopandas as gpd

from ntm_geo.classify import scheme_label
from ntm_geo.i18n import t
from ntm_geo.mapview import choropleth_layer, district_outline_layer, legend_element
from ntm_geo.themes import ChoroplethView


@dataclass(frozen=True)
class ViewLayers:
    """The two feature groups of a view and the extent to show.

    ``communes`` holds the filled commune polygons and the legend; ``outlines`` the district
    borders (draw after communes); ``bounds`` is (minx, miny, maxx, maxy) in EPSG:4326 degrees —
    the district's extent when one is selected, else the province's.
    """

    communes: folium.FeatureGroup
    outlines: folium.FeatureGroup
    bounds: tuple[float, float, float, float]
    title: str


def legend_title(view: ChoroplethView, lang: str) -> str:
    """Legend heading: the variable and its unit, e.g. "Tỷ lệ hộ nghèo (%)"."""
    var = view.variable
    unit = var.unit_vi if lang == "vi" else var.unit_en
    return f"{var.label(lang)} ({unit})" if unit else var.label(lang)


def view_title(view: ChoroplethView, *, year: int, source: str, lang: str) -> str:
    """Map title: theme variable, year and data source."""
    return t("map_title", lang, variable=view.variable.label(lang), year=year, source=source)


def build_view_layers(
    table: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    view: ChoroplethView,
    *,
    year: int,
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
        Joined table (:func:`ntm_geo.themes.join_dataset`), EPSG:4326, same row order as ``view``;
        columns used: ``commune_code``, ``name_with_type``, ``district_code``, ``district_name``.
    districts : GeoDataFrame
        District polygons (``district_code``, geometry).
    view : ChoroplethView
        From :func:`ntm_geo.themes.compute_view` on ``table``.
    year, source : shown in the title and the legend's note ("2015 · Dữ liệu minh họa").
    scheme : classification scheme key, named in the legend note for data-driven schemes.
    district : a district code to zoom to (others dimmed), or "" for the province.
    highlight : commune codes drawn with a thick outline (selected or shortlisted communes).
    """
    var = view.variable
    layer = table[["commune_code", "name_with_type", "district_name", "geometry"]].copy()
    layer["fill"] = list(view.fills)
    layer["value"] = list(view.display_values)
    if district:
        inside = set(table.loc[table["district_code"] == district, "commune_code"])
        dimmed = set(table["commune_code"]) - inside
        bounds = tuple(districts.loc[districts["district_code"] == district].total_bounds)
    else:
        dimmed = set()
        bounds = tuple(table.total_bounds)
    communes = choropleth_layer(
        layer,
        tooltip_columns=[
            ("name_with_type", t("tooltip_commune", lang)),
            ("district_name", t("tooltip_district", lang)),
            ("value", var.label(lang)),
        ],
        name=name,
        dimmed_codes=dimmed,
        highlight_codes=set(highlight),
    )
    note = f"{year} · {source}"
    if var.kind == "scheme" and scheme:
        note += f" · {scheme_label(scheme, lang)}"
    communes.add_child(
        legend_element(legend_title(view, lang), view.classification.legend_entries(lang), note=note, font_px=legend_font_px)
    )
    outlines = district_outline_layer(districts, name=f"{name}-districts")
    return ViewLayers(communes, outlines, bounds, view_title(view, year=year, source=source, lang=lang))  # type: ignore[arg-type]
