"""Presentation page (projector): the map alone, full screen, stepping through a slide sequence.

* Chrome hidden by static CSS (no data text in any HTML): header, toolbar, sidebar, padding.
  The map(s) are the app's one map component (:mod:`app_pages.leaflet_map`, in the page, no
  iframe) with ``height: calc(100vh - BAR_PX - 20px)`` — Streamlit cannot read the viewport, CSS
  can — so the map fills the screen at any size; two maps side by side are one sync group.
* Large title (escaped Markdown), legend and labels >= 24 px, a source line on the map,
  high-contrast styling (opaque fills, thicker white commune borders, black district outlines).
* Slides (:mod:`ntm_geo.views.slides`) from the ``slides`` URL parameter (default sequence when
  absent), current one in ``slide``; ◀ / ▶ buttons, and the keys ←/→, PageUp/PageDown (what
  presentation clickers send), which the map module turns into clicks on those buttons
  (``keys`` option: data, no page script).
* The URL is rewritten after every step (:func:`app_pages.urlsync.sync_query`), so the address
  bar is always a link to this very slide; a bad link opens the default with a notice.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import app_pages.vintage_view  # noqa: F401  registers the texts of the 2025 units (t keys)
from app_pages.common import (
    boundaries_or_stop,
    joined_table,
    lang,
    unit_boundaries,
    view,
    warm_classifier,
)
from app_pages.leaflet_map import map_spec, show_map
from app_pages.urlsync import read_link, show_link_notices, sync_query, url_changed_outside
from ntm_geo.datasets import catalog
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo.boundary_upload import boundaries_source_line
from ntm_geo.i18n import register, t
from ntm_geo.maps.change import change_table, compute_change_view
from ntm_geo.maps.labels import commune_label_spec, district_label_spec, short_district_name
from ntm_geo.maps.mapbuild import ViewSpec, build_view_spec
from ntm_geo.maps.themes import year_variable
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.slides import Slide, format_slides, parse_slides, slide_index, with_slide_hint
from ntm_geo.views.viewstate import DEFAULT, to_query, view_units

register(
    {
        "present_prev": ("◀ Trước", "◀ Back"),
        "present_next": ("Tiếp ▶", "Next ▶"),
        "present_slides": ("Các trang chiếu", "Slides"),
        "present_exit": ("Thoát trình chiếu", "Leave presentation"),
        "present_lang": ("EN", "VI"),
        "present_source": ("Nguồn số liệu: {source}.", "Data: {source}."),
        "present_illustrative_source": (
            "Dữ liệu minh họa (không phải số liệu thật), khớp số liệu toàn tỉnh của Báo cáo 48/BC-BCĐ ngày 05/5/2016",
            "Illustrative data (not real values), calibrated to the province figures of report 48/BC-BCĐ, 5 May 2016",
        ),
        "present_compare": ("So sánh hai bản đồ", "Two maps compared"),
        "present_keys": (
            "Phím ← → hoặc PageUp/PageDown để chuyển trang",
            "Keys ← → or PageUp/PageDown change slides",
        ),
    }
)

LEGEND_PX = 24  # legend and labels: readable from the back of a meeting room at 1024x768
LABEL_PX = 24
COMMUNE_LABEL_PX = 24
BAR_PX = 72  # title bar above the map (kept in step with the CSS below)
COMMUNE_LABEL_ZOOM = 11.5
SOURCE_LINE_PX = 30  # the source line under the two comparison maps
# the source line: read from a meeting room, 18 px and more from 1920 px wide, 14 px at 1024
SOURCE_FONT = "clamp(14px, 0.95vw, 22px)"
# a link's notices: one collapsed line above the map (its height and the gap under it), the map
# shorter by as much while they show, so it stays on a 768-pixel screen (trial 8, m5)
NOTICE_PX = 38
# ←/→ and PageUp/PageDown (what clickers send) click the ◀/▶ buttons (by their st-key-* class)
SLIDE_KEYS = {"ArrowRight": "ntm_next", "PageDown": "ntm_next", "ArrowLeft": "ntm_prev", "PageUp": "ntm_prev"}

# Static CSS only (no data text): hide Streamlit's chrome.
PAGE_CSS = f"""<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stStatusWidget"],
[data-testid="stSidebarNav"], footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{ padding: 2px 10px 0 10px !important; max-width: none !important; }}
[data-testid="stMain"] [data-testid="stVerticalBlock"] {{ gap: 4px; }}
.st-key-ntm_title {{ overflow: visible; }}
.st-key-ntm_title p {{ font-size: clamp(22px, 2.3vw, 40px); font-weight: 700; line-height: 1.15; margin: 0; color: #111;
  display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; }}
.st-key-ntm_bar {{ height: {BAR_PX}px !important; min-height: {BAR_PX}px; justify-content: center; }}
.st-key-ntm_counter p {{ font-size: clamp(18px, 1.8vw, 30px); font-weight: 700; margin: 0; text-align: center;
  white-space: nowrap; line-height: 2.2; }}
.st-key-ntm_bar button {{ padding: 2px 8px; min-height: 40px; }}
.st-key-ntm_bar button p {{ font-size: clamp(16px, 1.4vw, 24px); font-weight: 600; white-space: nowrap; }}
.st-key-ntm_link_notices [data-testid="stExpander"] details {{ border-color: #e0b000; background: #fffbe6; }}
.st-key-ntm_link_notices summary {{ padding: 2px 10px; min-height: 0; height: {NOTICE_PX - 6}px; }}
.st-key-ntm_link_notices summary p {{ font-size: 15px; line-height: 1.2; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.st-key-ntm_compare_source p {{ font-size: {SOURCE_FONT}; margin: 0; color: #222; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
</style>"""


L = lang()
st.markdown(PAGE_CSS, unsafe_allow_html=True)

bounds_data = boundaries_or_stop(L)
districts = bounds_data.districts_web
district_codes = set(districts["district_code"])
district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
infos = {d.id: d for d in catalog.list_datasets()}
ss = st.session_state


# ---------------------------------------------------------------- link -> state
def _apply_link() -> None:
    link = read_link("present")  # a map link's theme, year …: said (with the slide that shows it), dropped
    state, notices = link.state, with_slide_hint(link.notices, link.asked)
    dataset = state.dataset if state.dataset in infos else "illustrative"
    slides, more = parse_slides(state.slides, known_districts=district_codes, years=infos[dataset].years)
    index, clamp = slide_index(state.slide, len(slides))
    if more:  # the sequence is not the one the link meant: its slide number is meaningless
        index = 0
    ss["present_dataset"], ss["present_slides"], ss["present_index"] = dataset, slides, index
    ss["present_notices"] = [*notices, *more, *clamp]


def _query() -> dict[str, str]:
    state = replace(
        DEFAULT,
        dataset=ss["present_dataset"],
        lang=L,
        slide=ss["present_index"] + 1,
        slides=format_slides(ss["present_slides"], infos[ss["present_dataset"]].years),
    )
    return to_query(state)


if "present_slides" not in ss or url_changed_outside("present"):
    _apply_link()  # first visit, a pasted link, or the browser's Back/Forward buttons


def _step(delta: int) -> None:
    ss["present_index"] = max(0, min(len(ss["present_slides"]) - 1, ss["present_index"] + delta))


def _jump() -> None:
    ss["present_index"] = int(ss["present_jump"])


def _switch_lang() -> None:
    ss["lang"] = "en" if ss.get("lang", "vi") == "vi" else "vi"


slides: tuple[Slide, ...] = ss["present_slides"]
index: int = ss["present_index"]
slide = slides[index]
dataset_id = ss["present_dataset"]
info = infos[dataset_id]
units = view_units(info.vintage, "2015")  # a dataset keyed by the 2025 units is shown on them (issue 12)
if units == "2025":  # 65 units, no district level: no district outlines or labels
    bounds_data = unit_boundaries(units)
    districts = bounds_data.districts_web
source_label = t("illustrative_data", L) if info.illustrative else info.name.pick(L)


maps_planned = slide.views if slide.kind == "compare" else (None,)  # how many maps this slide shows


# ---------------------------------------------------------------- spec of one view
def _map_spec(
    var: str, year: int, caption: str = "", *, source: bool = True, district_labels: bool = True
) -> tuple[dict, str]:
    table = joined_table(dataset_id, year, units)
    result = view(dataset_id, year, var, "natural_breaks", 5, L, units)
    spec = build_view_spec(
        table,
        districts,
        result,
        year=year,
        source=source_label,
        lang=L,
        scheme="natural_breaks",
        district=slide.district,
        legend_font_px=LEGEND_PX,
    )
    return _decorate(spec, caption, source=source, district_labels=district_labels), spec.title


@st.cache_resource(show_spinner=False)
def _change(dataset: str, before: int, after: int, lang_key: str):
    units_of = view_units(catalog.get_dataset(dataset).vintage, "2015")
    table = change_table(joined_table(dataset, before, units_of), joined_table(dataset, after, units_of))
    return table, compute_change_view(table, before=before, after=after, lang=lang_key)


def _source_text() -> str:
    source = t("present_illustrative_source", L) if info.illustrative else info.source[:200]
    boundaries_line = t("units_source_2025_native", L) if units == "2025" else boundaries_source_line(L)
    return t("present_source", L, source=source) + " " + boundaries_line


def _decorate(spec: ViewSpec, caption: str, *, source: bool = True, district_labels: bool = True) -> dict:
    """The view's spec with the source line, the caption, district and commune labels."""
    texts = []
    if source:
        texts.append(
            {"text": _source_text(), "position": "bottomleft", "font_px": SOURCE_FONT, "cls": "ntm-source"}
        )
    if caption:
        big = caption.isdigit()
        texts.append({"text": caption, "position": "topleft", "font_px": 40 if big else 24, "cls": "ntm-big"})
    labels = [
        district_label_spec(
            districts,
            font_px=LABEL_PX,
            hide_crowded=len(maps_planned) > 1,
            exclude={slide.district} if district_labels else set(district_codes),
        ),
        commune_label_spec(
            bounds_data.communes_web,
            font_px=COMMUNE_LABEL_PX,
            min_zoom=COMMUNE_LABEL_ZOOM,
            always_district=slide.district,
        ),
    ]
    out = map_spec(spec, texts=texts, labels=labels)
    if len(maps_planned) > 1:
        # half a 1024-pixel projector each: the 24 px legend at the bottom right without its title
        # (the slide title names the variable) and note (the caption names the year)
        out["legend"] = {**out["legend"], "position": "bottomright", "compact": True}
    return out


def map_height(*, compare: bool, notices: bool) -> str:
    """The map's CSS height: the screen less the title bar, the link notices' line (when shown)
    and, under two compared maps, their source line."""
    room = BAR_PX + 20 + (NOTICE_PX if notices else 0) + (SOURCE_LINE_PX if compare else 0)
    return f"calc(100vh - {room}px)"


def _show(spec: dict, key: str, compare: bool, notices: bool) -> None:
    show_map(
        spec,
        key=key,
        height=map_height(compare=compare, notices=notices),
        look="projector",
        keyboard=False,  # arrow keys step slides, even after a click on the map
        keys=SLIDE_KEYS,
        sync="present" if compare else None,
    )


# ---------------------------------------------------------------- title bar
try:
    if slide.kind == "map":
        one = slide.views[0]
        spec, title = _map_spec(one.var, one.year)  # variable — year — source
        maps = [(spec, "pmap")]
    elif slide.kind == "compare":
        maps = []
        same_var = slide.views[0].var == slide.views[1].var
        for side, spec in zip(("left", "right"), slide.views, strict=True):
            caption = (
                str(spec.year) if same_var else f"{year_variable(spec.var, spec.year).label(L)} — {spec.year}"
            )
            # district names on the left map only: the same geography twice, the right one uncluttered
            spec, _ = _map_spec(spec.var, spec.year, caption, source=False, district_labels=side == "left")
            maps.append((spec, f"pcmp_{side}"))
        left, right = slide.views
        if same_var:
            title = (
                f"{year_variable(left.var, left.year).label(L)}: {left.year} ↔ {right.year} — {source_label}"
            )
        else:
            years = str(left.year) if left.year == right.year else f"{left.year} ↔ {right.year}"
            title = f"{t('present_compare', L)} — {years} — {source_label}"
    else:
        before, after = (v.year for v in slide.views)  # any two years of the dataset
        table, result = _change(dataset_id, before, after, L)
        years = f"{before}→{after}"
        change = build_view_spec(
            table, districts, result, year=years, source=source_label, lang=L,
            district=slide.district, legend_font_px=LEGEND_PX,
        )  # fmt: skip
        maps = [(_decorate(change, ""), "pmap")]
        title = slide.label(L) + " — " + source_label
except NtmGeoError as err:
    st.error(err.message(L))
    st.stop()
if slide.district:
    title = f"{district_names.get(slide.district, slide.district)} — {title}"

with st.container(key="ntm_bar"):
    bar = st.columns([10, 1.4, 1.1, 1.4, 0.8, 0.8], vertical_alignment="center", gap="small")
with bar[0], st.container(key="ntm_title"):
    st.markdown(escape_markdown(title))
with bar[1]:
    st.button(
        t("present_prev", L),
        key="ntm_prev",
        on_click=_step,
        args=(-1,),
        disabled=index == 0,
        help=t("present_keys", L),
        width="stretch",
    )
with bar[2], st.container(key="ntm_counter"):
    st.markdown(f"{index + 1} / {len(slides)}")
with bar[3]:
    st.button(
        t("present_next", L),
        key="ntm_next",
        on_click=_step,
        args=(1,),
        disabled=index == len(slides) - 1,
        help=t("present_keys", L),
        width="stretch",
    )
with bar[4], st.popover("", icon=":material/list:", width="stretch"):
    ss["present_jump"] = index
    st.radio(
        t("present_slides", L),
        range(len(slides)),
        key="present_jump",
        on_change=_jump,
        format_func=lambda i: (
            f"{i + 1}. {slides[i].label(L, short_district_name(district_names.get(slides[i].district, '')))}"
        ),
    )
    st.page_link("app_pages/map.py", label=t("present_exit", L), icon="🗺️")
with bar[5]:
    st.button(t("present_lang", L), key="ntm_lang", on_click=_switch_lang, width="stretch")

noticed = show_link_notices(ss.pop("present_notices", []), L, compact=True)

query = _query()
sync_query(query, "present")

# ---------------------------------------------------------------- map(s)
if len(maps) == 1:
    _show(*maps[0], compare=False, notices=noticed)
else:
    with st.container(key="ntm_compare"):
        for column, (spec, key) in zip(st.columns(2, gap="small"), maps, strict=True):
            with column:
                _show(spec, key, compare=True, notices=noticed)
    with st.container(key="ntm_compare_source"):
        st.markdown(escape_markdown(_source_text()))
# the map is on its way: mapclassify imported before a classified view is asked for
warm_classifier(2.0)
