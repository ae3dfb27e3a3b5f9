"""The map frame of a static map: choropleth polygons, outlines (districts; on the 2025 units the
optional former districts, dashed), scale bar and north arrow, fitted at 1:1 into the layout's box.

Geometry is in UTM zone 48N (EPSG:32648, metres), so the scale bar is measured directly in map
units (scale error under 0.05 % across the province) and grid north is true north within 0.6°
(meridian convergence at 106.7° E, 22° N) — the arrow points up.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PatchCollection
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.static_map.data import MapData
from ntm_geo.exports.static_map.labels import district_labels, unit_labels
from ntm_geo.exports.static_map.page import (
    DIMMED_ALPHA,
    DISTRICT_EDGE,
    EDGE_COLOR,
    FORMER_EDGE,
    Layout,
    Page,
    halo,
)
from ntm_geo.i18n import t
from ntm_geo.views.viewstate import ViewState


def draw_polygons(
    ax: Axes,
    gdf: gpd.GeoDataFrame,
    facecolors: Iterable[str],
    *,
    edgecolor: str,
    linewidth: float,
    alpha: float = 1.0,
    zorder: int = 1,
    linestyle: str | tuple[float, tuple[float, ...]] = "solid",
) -> None:
    patches = []
    colours = []
    for geom, colour in zip(gdf.geometry, facecolors, strict=True):
        if geom is None or geom.is_empty:
            continue
        for poly in getattr(geom, "geoms", [geom]):
            rings = [np.asarray(poly.exterior.coords)] + [np.asarray(r.coords) for r in poly.interiors]
            codes = []
            for ring in rings:
                c = np.full(len(ring), MplPath.LINETO, dtype=np.uint8)
                c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
                codes.append(c)
            patches.append(PathPatch(MplPath(np.concatenate(rings), np.concatenate(codes))))
            colours.append(colour)
    coll = PatchCollection(
        patches,
        facecolors=colours,
        edgecolors=edgecolor,
        linewidths=linewidth,
        alpha=alpha,
        zorder=zorder,
        joinstyle="round",
        linestyles=linestyle,
    )
    ax.add_collection(coll)


def nice_length(max_m: float) -> float:
    """Largest 'round' length (1, 2, 5 × 10^n metres) not above ``max_m`` (its half is round too)."""
    exponent = 10 ** np.floor(np.log10(max_m))
    for step in (5, 2, 1):
        if step * exponent <= max_m:
            return float(step * exponent)
    return float(exponent)


def scale_bar(ax: Axes, page: Page, pt: float, lang: str) -> None:
    """Four-segment black/white scale bar in the map's lower-left corner (map units are metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = nice_length((x1 - x0) * 0.22)
    seg = length / 4
    bx, by = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.045
    height = (y1 - y0) * 0.011
    for i in range(4):
        ax.add_patch(
            Rectangle(
                (bx + i * seg, by),
                seg,
                height,
                facecolor="#111111" if i % 2 == 0 else "white",
                edgecolor="#111111",
                linewidth=0.8,
                zorder=20,
            )
        )
    font = page.regular.copy()
    font.set_size(pt)
    km = length / 1000

    def fmt(v: float) -> str:
        text = f"{v:g}"
        return Bilingual(text.replace(".", ","), text).pick(lang)

    for value, x in ((0, bx), (km / 2, bx + length / 2), (km, bx + length)):
        ax.text(
            x,
            by + height * 1.8,
            fmt(value),
            fontproperties=font,
            ha="center",
            va="bottom",
            zorder=21,
            path_effects=halo(3),
        )
    ax.text(
        bx + length + seg * 0.35,
        by + height / 2,
        "km",
        fontproperties=font,
        ha="left",
        va="center",
        zorder=21,
        path_effects=halo(3),
    )


def north_arrow(ax: Axes, page: Page, pt: float, lang: str) -> None:
    """Arrow pointing to grid north (= true north within 0.6° here) in the map's upper-right corner."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    w, h = x1 - x0, y1 - y0
    cx, top = x1 - w * 0.05, y1 - h * 0.05
    size = h * 0.075
    half = size * 0.32
    ax.add_patch(
        Polygon(
            [(cx, top), (cx - half, top - size), (cx, top - size * 0.72)],
            closed=True,
            facecolor="#111111",
            edgecolor="#111111",
            linewidth=0.8,
            zorder=20,
        )
    )
    ax.add_patch(
        Polygon(
            [(cx, top), (cx + half, top - size), (cx, top - size * 0.72)],
            closed=True,
            facecolor="white",
            edgecolor="#111111",
            linewidth=0.8,
            zorder=20,
        )
    )
    font = page.bold.copy()
    font.set_size(pt)
    ax.text(
        cx,
        top - size * 1.08,
        t("static_north", lang),
        fontproperties=font,
        ha="center",
        va="top",
        zorder=21,
        path_effects=halo(3),
    )


def extent(data: MapData, state: ViewState) -> tuple[float, float, float, float]:
    """Padded extent (metres) of the province or of the chosen district."""
    if state.district:
        bounds = data.districts.loc[data.districts["district_code"] == state.district].total_bounds
    else:
        bounds = data.communes.total_bounds
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    pad = 0.05 * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def fit(
    box: tuple[float, float, float, float],
    extent: tuple[float, float, float, float],
    *,
    fill: bool,
    align_top: bool,
) -> tuple[tuple[float, float, float, float], tuple[float, float, float, float]]:
    """Axes box (inches) and limits (metres) at 1:1 aspect.

    ``fill``: keep the box and widen the extent to its shape (a district with its dimmed
    neighbours around it); else shrink the box to the extent's shape (the province alone), centred
    horizontally and aligned to the top when ``align_top``.
    """
    left, bottom, width, height = box
    minx, miny, maxx, maxy = extent
    dx, dy = maxx - minx, maxy - miny
    if fill:
        if dx / dy < width / height:
            grow = (dy * width / height - dx) / 2
            minx, maxx = minx - grow, maxx + grow
        else:
            grow = (dx * height / width - dy) / 2
            miny, maxy = miny - grow, maxy + grow
        return box, (minx, miny, maxx, maxy)
    if dx / dy < width / height:
        new_w = height * dx / dy
        left += (width - new_w) / 2
        width = new_w
    else:
        new_h = width * dy / dx
        bottom += height - new_h if align_top else (height - new_h) / 2
        height = new_h
    return (left, bottom, width, height), extent


def draw_map(
    page: Page, lay: Layout, data: MapData, state: ViewState, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Choropleth, outlines, labels, scale bar and north arrow; returns the axes box in inches."""
    box, (minx, miny, maxx, maxy) = fit(
        box, extent(data, state), fill=bool(state.district), align_top=lay.notes_x is not None
    )
    left, bottom, width, height = box
    ax = page.fig.add_axes(
        (left / page.width, bottom / page.height, width / page.width, height / page.height)
    )
    ax.set_axis_off()
    ax.set_xlim(minx, maxx)
    ax.set_ylim(miny, maxy)
    ax.set_aspect("equal", adjustable="box")
    communes = data.communes
    fills = np.array(data.view.fills, dtype=object)
    if state.district:
        inside = (communes["district_code"] == state.district).to_numpy()
        draw_polygons(
            ax,
            communes[~inside],
            fills[~inside],
            edgecolor="#bbbbbb",
            linewidth=0.3,
            alpha=DIMMED_ALPHA,
            zorder=1,
        )
        draw_polygons(ax, communes[inside], fills[inside], edgecolor=EDGE_COLOR, linewidth=0.6, zorder=2)
        focus = data.districts[data.districts["district_code"] == state.district]
        draw_polygons(
            ax, data.districts, ["none"] * len(data.districts), edgecolor="#8a8a8a", linewidth=0.8, zorder=3
        )
        draw_polygons(ax, focus, ["none"], edgecolor=DISTRICT_EDGE, linewidth=2.0, zorder=4)
        unit_labels(page, ax, communes[inside], lay.commune_label_pt)
    elif not data.data.has_districts:  # the 65 units of 2025: no district level, units named
        draw_polygons(ax, communes, fills, edgecolor=EDGE_COLOR, linewidth=0.5, zorder=1)
        if data.former:  # context: the former districts along the 2025 unit edges, dashed
            draw_polygons(
                ax,
                data.districts,
                ["none"] * len(data.districts),
                edgecolor=FORMER_EDGE,
                linewidth=1.3,
                zorder=3,
                linestyle=(0, (4, 2)),
            )
        unit_labels(page, ax, communes, lay.commune_label_pt)
    else:
        draw_polygons(ax, communes, fills, edgecolor=EDGE_COLOR, linewidth=0.35, zorder=1)
        draw_polygons(
            ax,
            data.districts,
            ["none"] * len(data.districts),
            edgecolor=DISTRICT_EDGE,
            linewidth=1.3,
            zorder=3,
        )
        district_labels(ax, data.districts, page.bold, lay.label_pt, state.lang)
    scale_bar(ax, page, lay.note_pt, state.lang)
    north_arrow(ax, page, lay.legend_pt, state.lang)
    return box
