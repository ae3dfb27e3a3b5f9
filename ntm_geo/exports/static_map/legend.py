"""The legend and notes of a static map: the app's classes (swatch, label, unit count; counts
within the district when one is chosen), the former district outline on the 2025 units, and the
notes (classification, commune groups, illustrative / derived data, no district level).
"""

from __future__ import annotations

import numpy as np
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.static_map.data import MapData
from ntm_geo.exports.static_map.page import FORMER_EDGE, Layout, Page, wrap
from ntm_geo.exports.view_data import FORMER_DISTRICT_LABEL
from ntm_geo.i18n import t
from ntm_geo.maps.classify import (
    NO_DATA,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    NOT_ASSESSED,
    NOT_ASSESSED_COLOR,
    scheme_label,
)
from ntm_geo.maps.mapbuild import legend_title
from ntm_geo.maps.themes import ChoroplethView
from ntm_geo.views.viewstate import ViewState


def legend_rows(view: ChoroplethView, lang: str, inside: np.ndarray | None) -> list[tuple[str, str, int]]:
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
    for code, colour, label in (
        (NO_DATA, NO_DATA_COLOR, NO_DATA_LABEL),
        (NOT_ASSESSED, NOT_ASSESSED_COLOR, c.not_assessed),
    ):
        n = int((yb == code).sum())
        if n:
            out.append((colour, Bilingual(*label).pick(lang), n))
    return out


def draw_legend(page: Page, lay: Layout, data: MapData, state: ViewState, x: float, y: float) -> float:
    """Legend (title, swatch | label | count rows); returns the y below it."""
    lang = state.lang
    y = page.lines(
        x,
        y,
        wrap(legend_title(data.view, lang), lay.legend_width, lay.legend_title_pt, page.bold),
        lay.legend_title_pt,
        bold=True,
    )
    inside = (data.communes["district_code"] == state.district).to_numpy() if state.district else None
    count_x = x + lay.legend_width
    head = t("static_units_district" if state.district else "static_units", lang)
    page.text(count_x, y, head, lay.note_pt, color="#555555", ha="right")
    y -= lay.note_pt * 1.5 / 72
    sw, sh = lay.swatch
    row = max(sh * 1.35, lay.legend_pt * 1.55 / 72)
    for colour, label, count in legend_rows(data.view, lang, inside):
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


def group_line(groups: dict[int, int], lang: str) -> str:
    """ "Nhóm xã (ngưỡng theo nhóm): nhóm 1: 20 · nhóm 2: 25 · nhóm 3: 16 đơn vị" ("" when none)."""
    if not groups:
        return ""
    parts = " · ".join(f"{t('static_group', lang)} {g}: {n}" for g, n in groups.items())
    return f"{t('static_groups', lang)}: {parts}"


def map_notes(data: MapData, state: ViewState) -> list[str]:
    lang = state.lang
    c = data.view.classification
    notes = []
    if data.view.variable.kind == "scheme":
        notes.append(t("static_scheme", lang, scheme=scheme_label(state.scheme, lang), k=c.k))
    if c.note_vi and c.note_en:  # classify sets note_vi and note_en together
        notes.append(Bilingual(c.note_vi, c.note_en).pick(lang))
    if groups := group_line(data.data.commune_groups(), lang):
        notes.append(groups)
    notes += data.data.notes(lang)
    return notes
