"""Static maps rendered on the server with matplotlib (no browser): PNG for slides, PNG/PDF for reports.

One call, :func:`render_map`, turns a :class:`MapSpec` (the same choices as the app: dataset,
year, variable, classification, district, language) into the bytes of a finished map page:

* the choropleth of :func:`ntm_geo.maps.themes.compute_view` on the joined commune table — the same
  classes, colours and counts as the interactive map (no data / not assessed included);
* district outlines on top; with a district chosen, the map zooms to it, the other districts are
  dimmed and its communes are labelled (else the district names are);
* title (variable, year, district), dataset name, an orange "Dữ liệu minh họa" badge when the
  dataset is illustrative; a legend with swatches, labels and unit counts; scale bar; north arrow;
  source line (boundaries: censusVN2009, MIT; data source) and export date.

Page sizes (:data:`SIZES`): ``slide`` = 1920×1080 px (16:9, 150 dpi; legend in a side panel) and
``a4`` = A4 portrait at 300 dpi = 2480×3508 px (legend below the map). Portrait because the
reports of the province are A4 portrait and Lạng Sơn is about as wide (132 km) as high (125 km):
the map gets the full page width and the legend never covers the province. A PDF has one page of
the same size (A4: 595.2×841.9 pt).

Geometry is drawn in UTM zone 48N (EPSG:32648, metres), so the scale bar is measured directly in
map units (scale error under 0.05 % across the province) and grid north is true north within
0.6° (meridian convergence at 106.7° E, 22° N) — the arrow points up.

Text uses DejaVu Sans from matplotlib's own data folder (loaded by file path, so a system font
can never replace it): it has every Vietnamese letter (ạ…ỹ, đ, Đ) as a precomposed glyph; all
text is normalised to Unicode NFC before drawing. PDFs embed the font as TrueType (Type 42), so
the Vietnamese text can be searched and copied.

Pure logic: no Streamlit import; the Agg/PDF canvases are used directly (no pyplot), so renders
in parallel threads do not share state.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import matplotlib
import numpy as np
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch, Polygon, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.patheffects import AbstractPathEffect
from matplotlib.text import Text
from matplotlib.textpath import TextToPath
from matplotlib.transforms import Bbox

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.exports.spec import (
    FORMATS,
    LANGS,
    SIZES,
    MapSpec,
    PageSize,
    check_format,
    check_size,
    check_spec,
    district_names,
    resolve_district,
)
from ntm_geo.exports.view_data import FORMER_DISTRICT_LABEL, ExportData, export_data, former_district_outlines
from ntm_geo.geo.boundaries import WORK_CRS, Boundaries, dissolve_districts, load_boundaries
from ntm_geo.i18n import register, t
from ntm_geo.maps.classify import (
    NO_DATA,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    NOT_ASSESSED,
    NOT_ASSESSED_COLOR,
    NOT_ASSESSED_LABEL,
    scheme_label,
)
from ntm_geo.maps.mapbuild import legend_title
from ntm_geo.maps.themes import ChoroplethView

__all__ = [
    "FONT_BOLD",
    "FONT_REGULAR",
    "FORMATS",
    "LANGS",
    "SIZES",
    "MapSpec",
    "PageSize",
    "check_format",
    "check_size",
    "check_spec",
    "district_names",
    "prepare",
    "render_map",
    "resolve_district",
]

FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
FONT_REGULAR = FONT_DIR / "DejaVuSans.ttf"
FONT_BOLD = FONT_DIR / "DejaVuSans-Bold.ttf"

ILLUSTRATIVE_COLOR = "#b35806"  # dark orange (ColorBrewer PuOr): warning badge, readable on white
DIMMED_ALPHA = 0.22
EDGE_COLOR = "#ffffff"
DISTRICT_EDGE = "#303030"
FORMER_EDGE = "#5a5a5a"  # former district outlines (context on the 2025 units): grey, dashed
CITY_CODE = "178"  # Thành phố Lạng Sơn

STRINGS: dict[str, tuple[str, str]] = {
    "static_title": ("{variable} — năm {year}", "{variable} — {year}"),
    "static_illustrative": (
        "DỮ LIỆU MINH HỌA — không phải số liệu thật",
        "ILLUSTRATIVE DATA — not real figures",
    ),
    "static_units": ("số đơn vị", "units"),
    "static_units_district": ("số đơn vị trong huyện", "units in the district"),
    "static_data_source": ("Số liệu: {source}.", "Data: {source}."),
    "static_exported": ("Ngày xuất: {date} · ntm-geo", "Exported: {date} · ntm-geo"),
    "static_scheme": ("Phân lớp: {scheme}, {k} lớp.", "Classes: {scheme}, {k} classes."),
    "static_north": ("B", "N"),
    "static_province": ("Tỉnh Lạng Sơn", "Lạng Sơn province"),
    "static_derived": (
        "SỐ LIỆU SUY RA — chuyển từ 226 đơn vị 2015",
        "DERIVED VALUES — carried from the 226 units of 2015",
    ),
    "static_group": ("nhóm", "group"),
    "static_groups": ("Số đơn vị theo nhóm xã", "Units per commune group"),
}
register(STRINGS)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class MapData:
    """Everything drawn: projected tables (EPSG:32648), the view, the dataset, labels.

    ``districts`` are the 2015 districts dissolved from ``communes`` (edges match exactly), none
    on the 2025 units — or there, with ``former_districts``, the former districts drawn along the
    2025 unit edges (:func:`ntm_geo.exports.view_data.former_district_outlines`)."""

    communes: gpd.GeoDataFrame  # joined table, UTM 48N, same row order as ``view``
    districts: gpd.GeoDataFrame
    view: ChoroplethView
    info: DatasetInfo
    district_name: str
    data: ExportData

    @property
    def former(self) -> bool:
        """Whether ``districts`` are the former districts (context on the 2025 units)."""
        return not self.data.has_districts and len(self.districts) > 0


def prepare(spec: MapSpec, boundaries: Boundaries | None = None) -> MapData:
    """Check ``spec``, join the dataset to the full-resolution units and classify (as the app does)."""
    data = export_data(spec, boundaries)
    communes = data.joined.to_crs(WORK_CRS)
    if data.has_districts:
        districts = dissolve_districts(communes)
        b = boundaries if boundaries is not None and len(boundaries.districts_web) else load_boundaries()
        name = district_names(b).get(spec.district, "") if spec.district else ""
    elif data.spec.former_districts:
        districts, name = former_district_outlines(communes), ""
    else:
        districts, name = communes.iloc[:0][["geometry"]].assign(district_code="", district_name=""), ""
    return MapData(communes, districts, data.view, data.info, name, data)


# --------------------------------------------------------------------------- layout


@dataclass(frozen=True)
class _Layout:
    """Positions in inches from the page's bottom-left corner; font sizes in points."""

    margin: float
    map_box: tuple[
        float, float, float, float
    ]  # left, bottom, width, height (0: down to bottom) under the title
    legend_x: float
    legend_width: float
    notes_x: float | None  # None: notes follow the legend in the same column
    notes_width: float
    title_pt: float
    subtitle_pt: float
    legend_title_pt: float
    legend_pt: float
    note_pt: float
    footer_pt: float
    label_pt: float
    commune_label_pt: float
    swatch: tuple[float, float]  # width, height in inches


_LAYOUTS: dict[str, _Layout] = {
    # 12.8 × 7.2 in: map on the left, legend and notes in a side panel (text ≥ 24 px at 1920×1080).
    "slide": _Layout(
        margin=0.3,
        map_box=(0.2, 0.55, 7.4, 0.0),
        legend_x=7.85,
        legend_width=4.65,
        notes_x=None,
        notes_width=4.65,
        title_pt=22,
        subtitle_pt=13,
        legend_title_pt=14,
        legend_pt=13.5,
        note_pt=9.5,
        footer_pt=8.5,
        label_pt=10.5,
        commune_label_pt=8,
        swatch=(0.42, 0.24),
    ),
    # 8.27 × 11.69 in (A4 portrait): map across the page width, legend and notes below it.
    "a4": _Layout(
        margin=0.55,
        map_box=(0.45, 0.0, 7.37, 7.0),
        legend_x=0.6,
        legend_width=3.9,
        notes_x=4.7,
        notes_width=3.0,
        title_pt=17,
        subtitle_pt=11,
        legend_title_pt=11,
        legend_pt=10.5,
        note_pt=8,
        footer_pt=7,
        label_pt=9,
        commune_label_pt=6.5,
        swatch=(0.36, 0.2),
    ),
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text))


_TEXT_PATH = TextToPath()


def _text_width_in(text: str, font: FontProperties, pt: float) -> float:
    """Width of ``text`` in inches, measured with the font's glyph metrics."""
    f = font.copy()
    f.set_size(pt)
    width, _, _ = _TEXT_PATH.get_text_width_height_descent(text, f, ismath=False)
    return width / 72


def _wrap(text: str, width_in: float, pt: float, font: FontProperties | None = None) -> list[str]:
    """Greedy word wrap of ``text`` to ``width_in`` inches at ``pt`` points (measured, not guessed)."""
    font = font or FontProperties(fname=FONT_REGULAR)
    lines: list[str] = []
    for word in _nfc(text).split():
        if lines and _text_width_in(lines[-1] + " " + word, font, pt) <= width_in:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class _Page:
    """A figure plus a text cursor in inches (y grows upwards, as in matplotlib)."""

    def __init__(self, size: PageSize) -> None:
        w, h = size.inches
        self.fig = Figure(figsize=(w, h), dpi=size.dpi, facecolor="white")
        self.width, self.height = w, h
        self.regular = FontProperties(fname=FONT_REGULAR)
        self.bold = FontProperties(fname=FONT_BOLD)

    def text(
        self,
        x: float,
        y: float,
        s: str,
        pt: float,
        *,
        bold: bool = False,
        color: str = "#111111",
        ha: str = "left",
        va: str = "top",
        **kw: Any,
    ) -> None:
        font = (self.bold if bold else self.regular).copy()
        font.set_size(pt)
        self.fig.text(
            x,
            y,
            _nfc(s),
            fontproperties=font,
            color=color,
            ha=ha,
            va=va,
            transform=self.fig.dpi_scale_trans,
            **kw,
        )

    def lines(
        self, x: float, y: float, lines: list[str], pt: float, *, spacing: float = 1.3, **kw: Any
    ) -> float:
        """Draw lines top-down from ``y``; return the y below the last one."""
        for line in lines:
            self.text(x, y, line, pt, **kw)
            y -= pt * spacing / 72
        return y


# --------------------------------------------------------------------------- drawing


def _short_district(name: str, lang: str) -> str:
    if name.startswith("Thành phố "):
        return (
            ("TP. " if lang == "vi" else "") + name[len("Thành phố ") :] + ("" if lang == "vi" else " city")
        )
    return name.removeprefix("Huyện ")


def _draw_polygons(
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


def _halo(width: float) -> list[AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]


def _nice_length(max_m: float) -> float:
    """Largest 'round' length (1, 2, 5 × 10^n metres) not above ``max_m`` (its half is round too)."""
    exponent = 10 ** np.floor(np.log10(max_m))
    for step in (5, 2, 1):
        if step * exponent <= max_m:
            return float(step * exponent)
    return float(exponent)


def _scale_bar(ax: Axes, page: _Page, pt: float, lang: str) -> None:
    """Four-segment black/white scale bar in the map's lower-left corner (map units are metres)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    length = _nice_length((x1 - x0) * 0.22)
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
        return text.replace(".", ",") if lang == "vi" else text

    for value, x in ((0, bx), (km / 2, bx + length / 2), (km, bx + length)):
        ax.text(
            x,
            by + height * 1.8,
            fmt(value),
            fontproperties=font,
            ha="center",
            va="bottom",
            zorder=21,
            path_effects=_halo(3),
        )
    ax.text(
        bx + length + seg * 0.35,
        by + height / 2,
        "km",
        fontproperties=font,
        ha="left",
        va="center",
        zorder=21,
        path_effects=_halo(3),
    )


def _north_arrow(ax: Axes, page: _Page, pt: float, lang: str) -> None:
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
        path_effects=_halo(3),
    )


def _legend_rows(view: ChoroplethView, lang: str, inside: np.ndarray | None) -> list[tuple[str, str, int]]:
    """(colour, label, count) rows: the app's legend; with a district, counts within it.

    The classes (breaks, colours) stay those of the whole province, as in the app, so a district
    map compares with the province map; only the counts describe what the page shows.
    """
    c = view.classification
    rows = c.legend_entries(lang)
    if inside is None:
        return rows
    yb = c.yb[inside]
    counts = [int((yb == i).sum()) for i in reversed(range(c.k))]
    out = [(colour, label, n) for (colour, label, _), n in zip(rows[: c.k], counts, strict=True)]
    idx = 0 if lang == "vi" else 1
    for code, colour, label in (
        (NO_DATA, NO_DATA_COLOR, NO_DATA_LABEL),
        (NOT_ASSESSED, NOT_ASSESSED_COLOR, NOT_ASSESSED_LABEL),
    ):
        n = int((yb == code).sum())
        if n:
            out.append((colour, label[idx], n))
    return out


def _legend(page: _Page, lay: _Layout, data: MapData, spec: MapSpec, x: float, y: float) -> float:
    """Legend (title, swatch | label | count rows); returns the y below it."""
    lang = spec.lang
    y = page.lines(
        x,
        y,
        _wrap(legend_title(data.view, lang), lay.legend_width, lay.legend_title_pt, page.bold),
        lay.legend_title_pt,
        bold=True,
    )
    inside = (data.communes["district_code"] == spec.district).to_numpy() if spec.district else None
    count_x = x + lay.legend_width
    head = t("static_units_district" if spec.district else "static_units", lang)
    page.text(count_x, y, head, lay.note_pt, color="#555555", ha="right")
    y -= lay.note_pt * 1.5 / 72
    sw, sh = lay.swatch
    row = max(sh * 1.35, lay.legend_pt * 1.55 / 72)
    for colour, label, count in _legend_rows(data.view, lang, inside):
        page.fig.add_artist(
            Rectangle(
                (x, y - sh),
                sw,
                sh,
                facecolor=colour,
                edgecolor="#555555",
                linewidth=0.6,
                transform=page.fig.dpi_scale_trans,
            )
        )
        page.text(x + sw + 0.12, y - sh / 2, label, lay.legend_pt, va="center")
        page.text(count_x, y - sh / 2, f"{count:,}".replace(",", "."), lay.legend_pt, va="center", ha="right")
        y -= row
    if data.former:  # the context outlines, as drawn on the map
        page.fig.add_artist(
            Line2D(
                [x, x + sw],
                [y - sh / 2] * 2,
                color=FORMER_EDGE,
                linewidth=1.6,
                linestyle=(0, (4, 2)),
                transform=page.fig.dpi_scale_trans,
            )
        )
        page.text(x + sw + 0.12, y - sh / 2, FORMER_DISTRICT_LABEL.pick(lang), lay.legend_pt, va="center")
        y -= row
    return y


def _declutter(page: _Page, ax: Axes, labels: list[Text]) -> None:
    """Move labels that overlap an earlier one (labels come largest unit first) to a free spot nearby.

    Tries half a line up or down, then a line up or down, then sideways; a label with no free
    spot stays where it was (better an overlap than a missing name).
    """
    renderer = FigureCanvasAgg(page.fig).get_renderer()  # type: ignore[no-untyped-call]  # matplotlib's backend_agg is not annotated
    placed: list[Bbox] = []
    to_data = ax.transData.inverted()
    for label in labels:
        box = label.get_window_extent(renderer).expanded(1.08, 1.15)
        if any(box.overlaps(p) for p in placed):
            x0, y0 = ax.transData.transform(label.get_position())
            w, h = box.width, box.height
            for dx, dy in (
                (0, 0.6 * h),
                (0, -0.6 * h),
                (0, 1.1 * h),
                (0, -1.1 * h),
                (0.55 * w, 0),
                (-0.55 * w, 0),
                (0.45 * w, 0.8 * h),
                (-0.45 * w, -0.8 * h),
                (0.45 * w, -0.8 * h),
                (-0.45 * w, 0.8 * h),
            ):
                moved = box.translated(dx, dy)
                if not any(moved.overlaps(p) for p in placed):
                    new_x, new_y = to_data.transform((x0 + dx, y0 + dy))
                    label.set_position((float(new_x), float(new_y)))
                    box = moved
                    break
        placed.append(box)


def _extent(data: MapData, spec: MapSpec) -> tuple[float, float, float, float]:
    """Padded extent (metres) of the province or of the chosen district."""
    if spec.district:
        bounds = data.districts.loc[data.districts["district_code"] == spec.district].total_bounds
    else:
        bounds = data.communes.total_bounds
    minx, miny, maxx, maxy = (float(v) for v in bounds)
    pad = 0.05 * max(maxx - minx, maxy - miny)
    return minx - pad, miny - pad, maxx + pad, maxy + pad


def _fit(
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


def _draw_map(
    page: _Page, lay: _Layout, data: MapData, spec: MapSpec, box: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """Choropleth, outlines, labels, scale bar and north arrow; returns the axes box in inches."""
    box, (minx, miny, maxx, maxy) = _fit(
        box, _extent(data, spec), fill=bool(spec.district), align_top=lay.notes_x is not None
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
    if spec.district:
        inside = (communes["district_code"] == spec.district).to_numpy()
        _draw_polygons(
            ax,
            communes[~inside],
            fills[~inside],
            edgecolor="#bbbbbb",
            linewidth=0.3,
            alpha=DIMMED_ALPHA,
            zorder=1,
        )
        _draw_polygons(ax, communes[inside], fills[inside], edgecolor=EDGE_COLOR, linewidth=0.6, zorder=2)
        focus = data.districts[data.districts["district_code"] == spec.district]
        _draw_polygons(
            ax, data.districts, ["none"] * len(data.districts), edgecolor="#8a8a8a", linewidth=0.8, zorder=3
        )
        _draw_polygons(ax, focus, ["none"], edgecolor=DISTRICT_EDGE, linewidth=2.0, zorder=4)
        _unit_labels(page, ax, communes[inside], lay.commune_label_pt)
    elif not data.data.has_districts:  # the 65 units of 2025: no district level, units named
        _draw_polygons(ax, communes, fills, edgecolor=EDGE_COLOR, linewidth=0.5, zorder=1)
        if data.former:  # context: the former districts along the 2025 unit edges, dashed
            _draw_polygons(
                ax,
                data.districts,
                ["none"] * len(data.districts),
                edgecolor=FORMER_EDGE,
                linewidth=1.3,
                zorder=3,
                linestyle=(0, (4, 2)),
            )
        _unit_labels(page, ax, communes, lay.commune_label_pt)
    else:
        _draw_polygons(ax, communes, fills, edgecolor=EDGE_COLOR, linewidth=0.35, zorder=1)
        _draw_polygons(
            ax,
            data.districts,
            ["none"] * len(data.districts),
            edgecolor=DISTRICT_EDGE,
            linewidth=1.3,
            zorder=3,
        )
        font = page.bold.copy()
        font.set_size(lay.label_pt)
        for geom, code, name in zip(
            data.districts.geometry,
            data.districts["district_code"],
            data.districts["district_name"],
            strict=True,
        ):
            p = geom.representative_point()
            x, y, va = p.x, p.y, "center"
            if code == CITY_CODE:  # small and surrounded by Cao Lộc: label it just above its outline
                x, y, va = geom.centroid.x, geom.bounds[3] + (maxy - miny) * 0.006, "bottom"
            ax.text(
                x,
                y,
                _nfc(_short_district(name, spec.lang)),
                fontproperties=font,
                ha="center",
                va=va,
                zorder=6,
                color="#1a1a1a",
                path_effects=_halo(3),
            )
    _scale_bar(ax, page, lay.note_pt, spec.lang)
    _north_arrow(ax, page, lay.legend_pt, spec.lang)
    return box


def _unit_labels(page: _Page, ax: Axes, units: gpd.GeoDataFrame, pt: float) -> None:
    """Unit names (without the type word) at each unit's representative point, largest first,
    moved off each other (:func:`_declutter`)."""
    font = page.regular.copy()
    font.set_size(pt)
    members = units.assign(_area=units.area).sort_values("_area", ascending=False)
    labels = []
    for geom, name in zip(members.geometry, members["name"], strict=True):
        p = geom.representative_point()
        labels.append(
            ax.text(
                p.x,
                p.y,
                _nfc(name),
                fontproperties=font,
                ha="center",
                va="center",
                zorder=6,
                color="#111111",
                path_effects=_halo(2.2),
                clip_on=True,
            )
        )
    _declutter(page, ax, labels)


def _title_block(page: _Page, lay: _Layout, data: MapData, spec: MapSpec) -> float:
    lang = spec.lang
    x, y = lay.margin, page.height - lay.margin
    parts = [t("static_title", lang, variable=data.view.variable.label(lang), year=spec.year)]
    if data.district_name:
        parts.append(data.district_name)
    width = page.width - 2 * lay.margin
    lines: list[str] = []
    for part in parts:  # break at " — " first, so "Thành phố Lạng Sơn" stays on one line
        if lines and _text_width_in(f"{lines[-1]} — {part}", page.bold, lay.title_pt) <= width:
            lines[-1] += f" — {part}"
        else:
            if lines:
                lines[-1] += " —"
            lines += _wrap(part, width, lay.title_pt, page.bold)
    y = page.lines(x, y, lines, lay.title_pt, bold=True, spacing=1.25)
    y -= lay.subtitle_pt * 0.25 / 72
    name = Bilingual(data.info.name_vi, data.info.name_en).pick(lang)
    subtitle = f"{t('static_province', lang)} · {t('dataset', lang)}: {name}"
    if not data.data.has_districts:  # the 65 units of 2025
        subtitle += " · " + Bilingual(data.data.vintage.label_vi, data.data.vintage.label_en).pick(lang)
    if framework := data.data.framework_line(lang):
        subtitle += " · " + framework
    y = page.lines(x, y, _wrap(subtitle, width, lay.subtitle_pt), lay.subtitle_pt, color="#333333")
    badges = [t("static_illustrative", lang)] if data.info.illustrative else []
    if data.data.derived:
        badges.append(t("static_derived", lang))
    for badge in badges:
        y = page.lines(x, y, [badge], lay.subtitle_pt, bold=True, color=ILLUSTRATIVE_COLOR)
    return y


def group_line(groups: dict[int, int], lang: str) -> str:
    """ "Nhóm xã (ngưỡng theo nhóm): nhóm 1: 20 · nhóm 2: 25 · nhóm 3: 16 đơn vị" ("" when none)."""
    if not groups:
        return ""
    parts = " · ".join(f"{t('static_group', lang)} {g}: {n}" for g, n in groups.items())
    return f"{t('static_groups', lang)}: {parts}"


def _notes(data: MapData, spec: MapSpec) -> list[str]:
    lang = spec.lang
    c = data.view.classification
    notes = []
    if data.view.variable.kind == "scheme":
        notes.append(t("static_scheme", lang, scheme=scheme_label(spec.scheme, lang), k=c.k))
    if c.note_vi and c.note_en:  # classify sets note_vi and note_en together
        notes.append(Bilingual(c.note_vi, c.note_en).pick(lang))
    if groups := group_line(data.data.commune_groups(), lang):
        notes.append(groups)
    notes += data.data.notes(lang)
    return notes


def _footer(data: MapData, spec: MapSpec, today: date) -> list[str]:
    lang = spec.lang
    name = Bilingual(data.info.name_vi, data.info.name_en).pick(lang)
    source = name if data.info.illustrative else f"{name} ({data.info.source})"
    return [
        data.data.boundary_line(lang),
        t("static_data_source", lang, source=source)
        + "  "
        + t("static_exported", lang, date=day_text(today, lang)),
    ]


def day_text(day: date, lang: str) -> str:
    """ "06/12/2026" (vi) or "2026-12-06" (en)."""
    return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()


def _compose(size: PageSize, data: MapData, spec: MapSpec, today: date) -> Figure:
    lay = _LAYOUTS[size.key]
    page = _Page(size)
    top = _title_block(page, lay, data, spec) - 0.12
    full = page.width - 2 * lay.margin
    footer_lines = [line for text in _footer(data, spec, today) for line in _wrap(text, full, lay.footer_pt)]
    footer_h = len(footer_lines) * lay.footer_pt * 1.3 / 72
    page.lines(lay.margin, lay.margin * 0.6 + footer_h, footer_lines, lay.footer_pt, color="#444444")
    left, bottom, width, height = lay.map_box
    if height:  # fixed map height under the title (A4): legend and notes go below it
        box = (left, top - height, width, height)
    else:  # map from the title down to ``bottom`` (slide): legend in the side panel
        box = (left, bottom, width, top - bottom)
    left, bottom, width, height = _draw_map(page, lay, data, spec, box)
    notes = [line for text in _notes(data, spec) for line in [*_wrap(text, lay.notes_width, lay.note_pt), ""]]
    if lay.notes_x is None:
        y = _legend(page, lay, data, spec, lay.legend_x, top - 0.1)
        page.lines(lay.legend_x, y - 0.25, notes, lay.note_pt, color="#333333")
    else:
        y = bottom - 0.2
        _legend(page, lay, data, spec, lay.legend_x, y)
        page.lines(lay.notes_x, y, notes, lay.note_pt, color="#333333")
    return page.fig


def render_map(
    spec: MapSpec,
    fmt: str = "png",
    size: str = "slide",
    *,
    boundaries: Boundaries | None = None,
    today: date | None = None,
) -> bytes:
    """Render one static map page.

    Parameters
    ----------
    spec : MapSpec
        What to show (checked by :func:`check_spec`).
    fmt : {"png", "pdf"}
    size : {"slide", "a4"}
        ``slide``: 1920×1080 px at 150 dpi; ``a4``: A4 portrait, 2480×3508 px at 300 dpi (the PNG
        records its dpi in the pHYs chunk); a PDF has one page of the same size in inches.
    boundaries : Boundaries, optional
        Already loaded boundaries (the app passes its cached copy); default: load from the cache.
    today : date, optional
        Date printed as the export date (default: today).

    Returns
    -------
    bytes
        The PNG or PDF file.

    Raises
    ------
    ConfigError
        Invalid ``spec``, ``fmt`` or ``size`` (messages list the allowed values), or a variable
        with no value to classify.
    """
    check_format(fmt)
    page = check_size(size)
    data = prepare(spec, boundaries)
    spec = data.data.spec  # units as drawn
    fig = _compose(page, data, spec, today or date.today())
    title = t("static_title", spec.lang, variable=data.view.variable.label(spec.lang), year=spec.year)
    buf = io.BytesIO()
    if fmt == "png":
        metadata = {
            "Title": _nfc(title),
            "Software": "ntm-geo (matplotlib)",
            "Source": data.data.vintage.boundary_source,
        }
    else:
        metadata = {
            "Title": _nfc(title),
            "Creator": "ntm-geo (matplotlib)",
            "Subject": data.data.boundary_line(spec.lang),
        }
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 9}):
        fig.savefig(buf, format=fmt, dpi=page.dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()
