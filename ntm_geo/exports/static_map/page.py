"""The page of a static map: fonts, colours, the two layouts (slide, A4) and a figure with a text
cursor in inches (:class:`Page`); measured word wrap (:func:`wrap`).

Text uses DejaVu Sans from matplotlib's own data folder (loaded by file path, so a system font
can never replace it): it has every Vietnamese letter (ạ…ỹ, đ, Đ) as a precomposed glyph; all
text is normalised to Unicode NFC before drawing (:func:`nfc`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import matplotlib
from matplotlib import patheffects
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patheffects import AbstractPathEffect
from matplotlib.textpath import TextToPath

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.spec import PageSize
from ntm_geo.i18n import register

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


@dataclass(frozen=True)
class Layout:
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


LAYOUTS: dict[str, Layout] = {
    # 12.8 × 7.2 in: map on the left, legend and notes in a side panel (text ≥ 24 px at 1920×1080).
    "slide": Layout(
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
    "a4": Layout(
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


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", str(text))


_TEXT_PATH = TextToPath()


def text_width_in(text: str, font: FontProperties, pt: float) -> float:
    """Width of ``text`` in inches, measured with the font's glyph metrics."""
    f = font.copy()
    f.set_size(pt)
    width, _, _ = _TEXT_PATH.get_text_width_height_descent(text, f, ismath=False)
    return width / 72


def wrap(text: str, width_in: float, pt: float, font: FontProperties | None = None) -> list[str]:
    """Greedy word wrap of ``text`` to ``width_in`` inches at ``pt`` points (measured, not guessed)."""
    font = font or FontProperties(fname=FONT_REGULAR)
    lines: list[str] = []
    for word in nfc(text).split():
        if lines and text_width_in(lines[-1] + " " + word, font, pt) <= width_in:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


class Page:
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
            nfc(s),
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


def day_text(day: date, lang: str) -> str:
    """ "06/12/2026" (vi) or "2026-12-06" (en)."""
    return Bilingual(day.strftime("%d/%m/%Y"), day.isoformat()).pick(lang)


def halo(width: float) -> list[AbstractPathEffect]:
    return [patheffects.withStroke(linewidth=width, foreground="white")]
