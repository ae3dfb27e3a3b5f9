"""Small multiples: up to six years of one variable side by side as inline SVG, one shared legend.

Why SVG and not one Leaflet map per panel: every Leaflet map carries its own copy of the
geometry, tile panes, event handlers and a script to evaluate, and six of them on one page made
the page heavy on the 2-core machines and the projector laptop; a small multiple needs no pan or
zoom. Why not PNG images from :mod:`ntm_geo.exports.static_map`: each render takes about a
second, text in an image does not scale with the browser's zoom, and a test cannot read colours
from it. Here the commune outlines are projected and written as SVG path data **once** per
boundary set (:func:`panel_geometry`, cached by the page), and each panel only adds a fill
colour and a tooltip (``<title>``: name and value) per commune: 0.14 MB per panel, drawn by
the browser at once, crisp at any size.

The classes come from :func:`ntm_geo.views.years.shared_views` (one classification over all
shown years), so the single legend is true for every panel; it lists each class with the number
of units per year.

DOM hooks: ``div.ntm-multiples`` holds ``div.ntm-panel[data-year]`` (an ``svg`` with
``path.ntm-sm-commune[fill]``) and exactly one ``table.ntm-shared-legend``.

Geometry is drawn in UTM zone 48N (EPSG:32648, metres), like the static maps, so shapes are not
stretched; north is up. All text is escaped (names come from boundary files, labels from data).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np

from ntm_geo.bilingual import Bilingual
from ntm_geo.views.years import SharedViews

WIDTH = 1000.0  # viewBox width; the height follows the province's shape
DISTRICT_STROKE = "#303030"


@dataclass(frozen=True)
class PanelGeometry:
    """Projected outlines as SVG path data, shared by every panel.

    Attributes
    ----------
    communes : tuple of str
        Path data per commune, same order as the frame given to :func:`panel_geometry`.
    districts : tuple of str
        Path data per district outline.
    height : float
        The viewBox height for :data:`WIDTH` (EPSG:32648, same scale both ways).
    """

    communes: tuple[str, ...]
    districts: tuple[str, ...]
    height: float


def _path(geom: Any, x0: float, y1: float, scale: float) -> str:
    if geom is None or geom.is_empty:
        return ""
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            pts = np.column_stack(((xy[:, 0] - x0) * scale, (y1 - xy[:, 1]) * scale)).round(1)
            body = " ".join(f"{x:g},{y:g}" for x, y in pts)
            parts.append(f"M{body}Z")
    return "".join(parts)


def panel_geometry(communes: gpd.GeoDataFrame, districts: gpd.GeoDataFrame | None = None) -> PanelGeometry:
    """Project ``communes`` (and ``districts``) to EPSG:32648 and write them as SVG path data.

    Parameters
    ----------
    communes, districts : GeoDataFrame
        Polygons in any CRS (``communes_web``/``districts_web`` of the boundaries: EPSG:4326,
        already simplified). Rows without geometry get an empty path.
    """
    utm = communes.to_crs(32648)
    x0, y0, x1, y1 = utm.total_bounds
    scale = WIDTH / (x1 - x0)
    paths = tuple(_path(g, x0, y1, scale) for g in utm.geometry)
    outlines: tuple[str, ...] = ()
    if districts is not None:
        outlines = tuple(_path(g, x0, y1, scale) for g in districts.to_crs(32648).geometry)
    return PanelGeometry(paths, outlines, round(float((y1 - y0) * scale), 1))


def _panel(geom: PanelGeometry, year: int, fills: Sequence[str], tips: Sequence[str]) -> str:
    cells = "".join(
        f'<path class="ntm-sm-commune" d="{d}" fill="{fill}"><title>{html.escape(tip)}</title></path>'
        for d, fill, tip in zip(geom.communes, fills, tips, strict=True)
        if d
    )
    lines = "".join(f'<path d="{d}"/>' for d in geom.districts if d)
    return (
        f'<div class="ntm-panel" data-year="{int(year)}"><div class="ntm-panel-year">{int(year)}</div>'
        f'<svg viewBox="0 0 {WIDTH:g} {geom.height:g}" role="img" aria-label="{int(year)}">'
        f'<g stroke="#ffffff" stroke-width="1.2" stroke-linejoin="round">{cells}</g>'
        f'<g fill="none" stroke="{DISTRICT_STROKE}" stroke-width="3" stroke-linejoin="round">{lines}</g>'
        "</svg></div>"
    )


CSS = (
    ".ntm-multiples {display: flex; flex-direction: column; gap: 0.75rem}"
    " .ntm-panels {display: grid; gap: 0.5rem}"
    " .ntm-panel {border: 1px solid #d0d0d0; border-radius: 4px; padding: 2px 4px; background: #fff}"
    " .ntm-panel svg {width: 100%; height: auto; display: block}"
    " .ntm-panel-year {font-size: 1.5rem; font-weight: 700; line-height: 1.2; color: #111}"
    " .ntm-shared-legend {border-collapse: collapse; font-size: 1.1rem; color: #111; width: auto}"
    " .ntm-shared-legend caption {text-align: left; font-weight: 700; padding-bottom: 0.3rem;"
    " caption-side: top}"
    " .ntm-shared-legend td, .ntm-shared-legend th {padding: 0.15rem 0.45rem; text-align: right}"
    " .ntm-shared-legend td.ntm-label {text-align: left}"
    " .ntm-swatch {display: inline-block; width: 1.4rem; height: 1.1rem; border: 1px solid #555;"
    " vertical-align: middle}"
)


def small_multiples_html(
    geom: PanelGeometry,
    shared: SharedViews,
    names: Sequence[str],
    *,
    legend_title: str,
    lang: str = "vi",
    columns: int | None = None,
) -> str:
    """The panels and the one legend as an HTML fragment (with its ``<style>``).

    Parameters
    ----------
    geom : PanelGeometry
        From :func:`panel_geometry` on the same units, in the same order, as each year's frame.
    shared : SharedViews
        :func:`ntm_geo.views.years.shared_views` of the years shown.
    names : sequence of str
        Unit name per row (tooltips), same order.
    legend_title : str
        The variable's label (with unit), shown above the legend.
    columns : int, optional
        Panels per row (default: all in one row up to four years, else 3 per row): at 1024×768
        four panels and the legend below them fit on one screen.

    Raises
    ------
    ValueError
        ``names`` or a year's view does not have one entry per unit of ``geom``.
    """
    n = len(geom.communes)
    if len(names) != n or any(len(v.fills) != n for v in shared.by_year.values()):
        raise ValueError(f"small_multiples_html: every year and the names need {n} units (one per path).")
    cols = columns or (len(shared.years) if len(shared.years) <= 4 else 3)
    panels = "".join(
        _panel(
            geom,
            y,
            shared.by_year[y].fills,
            [f"{name}: {value}" for name, value in zip(names, shared.by_year[y].display_values, strict=True)],
        )
        for y in shared.years
    )
    head = "".join(f"<th>{int(y)}</th>" for y in shared.years)
    rows = "".join(
        f'<tr><td class="ntm-label"><span class="ntm-swatch" style="background:{color}"></span> '
        f"{html.escape(label)}</td>" + "".join(f"<td>{c}</td>" for c in counts) + "</tr>"
        for color, label, counts in shared.legend_rows(lang)
    )
    units = Bilingual("Số đơn vị theo năm", "Units per year").pick(lang)
    legend = (
        f'<table class="ntm-shared-legend"><caption>{html.escape(legend_title)}</caption>'
        f'<thead><tr><th class="ntm-label" style="text-align:left">{units}</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>"
    )
    return (
        f"<style>{CSS}</style><div class='ntm-multiples'>"
        f"<div class='ntm-panels' style='grid-template-columns: repeat({cols}, minmax(0, 1fr))'>{panels}</div>"
        f"{legend}</div>"
    )
