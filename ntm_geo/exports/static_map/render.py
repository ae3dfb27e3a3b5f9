"""One static map page, composed and saved: title block, map, legend and notes, footer
(:func:`render_map`). A PDF embeds the font as TrueType (Type 42), so the Vietnamese text can be
searched and copied.
"""

from __future__ import annotations

import io
from datetime import date

import matplotlib
from matplotlib.figure import Figure

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.spec import PageSize, check_format, check_size
from ntm_geo.exports.static_map.data import MapData, prepare
from ntm_geo.exports.static_map.drawing import draw_map
from ntm_geo.exports.static_map.legend import draw_legend, map_notes
from ntm_geo.exports.static_map.page import (
    ILLUSTRATIVE_COLOR,
    LAYOUTS,
    Layout,
    Page,
    day_text,
    nfc,
    text_width_in,
    wrap,
)
from ntm_geo.geo.boundaries import Boundaries
from ntm_geo.i18n import t
from ntm_geo.views.viewstate import ViewState


def title_block(page: Page, lay: Layout, data: MapData, state: ViewState) -> float:
    lang = state.lang
    x, y = lay.margin, page.height - lay.margin
    parts = [t("static_title", lang, variable=data.view.variable.label(lang), year=state.year)]
    if data.district_name:
        parts.append(data.district_name)
    width = page.width - 2 * lay.margin
    lines: list[str] = []
    for part in parts:  # break at " — " first, so "Thành phố Lạng Sơn" stays on one line
        if lines and text_width_in(f"{lines[-1]} — {part}", page.bold, lay.title_pt) <= width:
            lines[-1] += f" — {part}"
        else:
            if lines:
                lines[-1] += " —"
            lines += wrap(part, width, lay.title_pt, page.bold)
    y = page.lines(x, y, lines, lay.title_pt, bold=True, spacing=1.25)
    y -= lay.subtitle_pt * 0.25 / 72
    name = Bilingual(data.info.name_vi, data.info.name_en).pick(lang)
    subtitle = f"{t('static_province', lang)} · {t('dataset', lang)}: {name}"
    if not data.data.has_districts:  # the 65 units of 2025
        subtitle += " · " + Bilingual(data.data.vintage.label_vi, data.data.vintage.label_en).pick(lang)
    if framework := data.data.framework_line(lang):
        subtitle += " · " + framework
    y = page.lines(x, y, wrap(subtitle, width, lay.subtitle_pt), lay.subtitle_pt, color="#333333")
    badges = [t("static_illustrative", lang)] if data.info.illustrative else []
    if data.data.derived:
        badges.append(t("static_derived", lang))
    for badge in badges:
        y = page.lines(x, y, [badge], lay.subtitle_pt, bold=True, color=ILLUSTRATIVE_COLOR)
    return y


def footer(data: MapData, state: ViewState, today: date) -> list[str]:
    lang = state.lang
    name = Bilingual(data.info.name_vi, data.info.name_en).pick(lang)
    source = name if data.info.illustrative else f"{name} ({data.info.source})"
    return [
        data.data.boundary_line(lang),
        t("static_data_source", lang, source=source)
        + "  "
        + t("static_exported", lang, date=day_text(today, lang)),
    ]


def compose(size: PageSize, data: MapData, state: ViewState, today: date) -> Figure:
    lay = LAYOUTS[size.key]
    page = Page(size)
    top = title_block(page, lay, data, state) - 0.12
    full = page.width - 2 * lay.margin
    footer_lines = [line for text in footer(data, state, today) for line in wrap(text, full, lay.footer_pt)]
    footer_h = len(footer_lines) * lay.footer_pt * 1.3 / 72
    page.lines(lay.margin, lay.margin * 0.6 + footer_h, footer_lines, lay.footer_pt, color="#444444")
    left, bottom, width, height = lay.map_box
    if height:  # fixed map height under the title (A4): legend and notes go below it
        box = (left, top - height, width, height)
    else:  # map from the title down to ``bottom`` (slide): legend in the side panel
        box = (left, bottom, width, top - bottom)
    left, bottom, width, height = draw_map(page, lay, data, state, box)
    notes = [
        line for text in map_notes(data, state) for line in [*wrap(text, lay.notes_width, lay.note_pt), ""]
    ]
    if lay.notes_x is None:
        y = draw_legend(page, lay, data, state, lay.legend_x, top - 0.1)
        page.lines(lay.legend_x, y - 0.25, notes, lay.note_pt, color="#333333")
    else:
        y = bottom - 0.2
        draw_legend(page, lay, data, state, lay.legend_x, y)
        page.lines(lay.notes_x, y, notes, lay.note_pt, color="#333333")
    return page.fig


def render_map(
    state: ViewState,
    fmt: str = "png",
    size: str = "slide",
    *,
    boundaries: Boundaries | None = None,
    today: date | None = None,
    former_districts: bool = False,
) -> bytes:
    """Render one static map page.

    Parameters
    ----------
    state : ViewState
        The view to show, as the page shows it (dataset, year, var, scheme, k, district, lang,
        units; checked by :func:`check_view`).
    fmt : {"png", "pdf"}
    size : {"slide", "a4"}
        ``slide``: 1920×1080 px at 150 dpi; ``a4``: A4 portrait, 2480×3508 px at 300 dpi (the PNG
        records its dpi in the pHYs chunk); a PDF has one page of the same size in inches.
    boundaries : Boundaries, optional
        Already loaded boundaries (the app passes its cached copy); default: load from the cache.
    today : date, optional
        Date printed as the export date (default: today).
    former_districts : bool
        On the 2025 units: the former (2015) district outlines drawn dashed as context.

    Returns
    -------
    bytes
        The PNG or PDF file.

    Raises
    ------
    ConfigError
        Invalid ``state``, ``fmt`` or ``size`` (messages list the allowed values), or a variable
        with no value to classify.
    """
    check_format(fmt)
    page = check_size(size)
    data = prepare(state, boundaries, former_districts=former_districts)
    state = data.data.state  # units as drawn
    fig = compose(page, data, state, today or date.today())
    title = t("static_title", state.lang, variable=data.view.variable.label(state.lang), year=state.year)
    buf = io.BytesIO()
    if fmt == "png":
        metadata = {
            "Title": nfc(title),
            "Software": "ntm-geo (matplotlib)",
            "Source": data.data.vintage.boundary_source,
        }
    else:
        metadata = {
            "Title": nfc(title),
            "Creator": "ntm-geo (matplotlib)",
            "Subject": data.data.boundary_line(state.lang),
        }
    with matplotlib.rc_context({"pdf.fonttype": 42, "pdf.compression": 9}):
        fig.savefig(buf, format=fmt, dpi=page.dpi, metadata=metadata, facecolor="white")
    return buf.getvalue()
