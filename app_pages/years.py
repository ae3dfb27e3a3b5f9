"""Over the years: a timeline (step through the dataset's years, or play) and small multiples.

Both use one classification computed over the years concerned
(:func:`ntm_geo.views.years.shared_views`), so a colour means the same range in every year:
the timeline over all the dataset's years, the small multiples over the years shown.

* **Timeline** — ◀ / ▶ step one year, ⏵ plays (one year every :data:`PLAY_SECONDS`, stopping
  at the last year), the slider jumps. The map is the app's map component
  (:func:`app_pages.leaflet_map.show_map`): stepping swaps only the colours, so zoom and pan are
  kept. Play reruns only the timeline fragment (``st.fragment(run_every=…)``).
* **Small multiples** — up to six years side by side as inline SVG with one shared legend
  (:mod:`ntm_geo.maps.multiples`, which says why SVG rather than six Leaflet maps or PNGs).

The view lives in the link: ``?dataset=…&year=2017&theme=…`` for the timeline and
``mode=multiples&panels=2016,2017,2018,2019`` for the small multiples.
"""

from __future__ import annotations

import time
from dataclasses import replace

import streamlit as st

from app_pages.common import (
    boundaries_or_stop,
    lang,
    lang_keyed,
    panels_geometry,
    shared_views_of,
    timeline_map_data,
    warm_classifier,
)
from app_pages.leaflet_map import show_map
from app_pages.urlsync import read_link, show_link_notices, sync_query, url_changed_outside
from ntm_geo.datasets import catalog
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo.boundary_upload import boundaries_source_line
from ntm_geo.i18n import register, t
from ntm_geo.maps.classify import K_RANGE, SCHEMES, scheme_label
from ntm_geo.maps.mapbuild import legend_title
from ntm_geo.maps.multiples import small_multiples_html
from ntm_geo.maps.themes import THEMES, VARIABLES
from ntm_geo.views.viewstate import DEFAULT, to_query
from ntm_geo.views.years import MAX_PANELS, check_panels, spread_years, step_year

PLAY_SECONDS = 2.0
# st.html sanitises with DOMPurify's HTML profile, which drops SVG: the small multiples are set
# by this component instead (in the page, no iframe). The markup is the app's own
# (ntm_geo.maps.multiples: fixed tags, every text escaped); the script only sets it when it changed.
_PANELS_JS = """
export default function (component) {
  const { data, parentElement: root } = component;
  if (root.__ntmHtml !== data.html) {
    root.innerHTML = data.html;
    root.__ntmHtml = data.html;
  }
}
"""
_PANELS = st.components.v2.component("ntm_geo.small_multiples", js=_PANELS_JS, isolate_styles=False)
# at 1024x768 the map and its source line fit under the heading, the year buttons, the title and
# the banner (400 px); at most 560 px, at least 340 px
MAP_HEIGHT = "max(340px, min(560px, calc(100vh - 400px)))"

register(
    {
        "yr_mode": ("Cách xem", "View"),
        "yr_timeline": ("Dòng thời gian", "Timeline"),
        "yr_multiples": ("Nhiều năm cạnh nhau", "Years side by side"),
        "yr_prev": ("◀ Năm trước", "◀ Previous"),
        "yr_next": ("Năm sau ▶", "Next ▶"),
        "yr_play": ("Chạy", "Play"),
        "yr_pause": ("Dừng", "Pause"),
        "yr_panels": ("Các năm (tối đa 6)", "Years (at most 6)"),
        "yr_shared_note": (
            "Cùng một cách phân lớp cho mọi năm ({years}): một màu là cùng một khoảng giá trị ở mọi năm.",
            "One classification over all years ({years}): a colour means the same range in every year.",
        ),
        "yr_one_year": (
            "Bộ dữ liệu này chỉ có năm {year}; hãy nạp thêm bảng của các năm khác ở trang Dữ liệu của tỉnh.",
            "This dataset has only {year}; load tables of other years on the Province data page.",
        ),
    }
)

L = lang()
ss = st.session_state
bounds = boundaries_or_stop(L)
infos = {d.id: d for d in catalog.list_datasets()}


# ---------------------------------------------------------------- link -> state
def _apply_link() -> None:
    link = read_link("years")  # a map link's district, units …: said, then dropped
    state, notices = link.state, list(link.notices)
    years = sorted(infos[state.dataset].years)
    ss["yr_dataset"] = state.dataset
    ss["yr_year"] = state.year if state.year in years else years[-1]
    ss["yr_theme"] = state.theme
    ss["yr_var"] = state.var
    ss["yr_scheme"], ss["yr_k"] = state.scheme, state.k
    ss["yr_mode"] = "multiples" if state.mode == "multiples" else "timeline"
    ss["yr_panels"] = list(state.panels or spread_years(years, 4))
    ss["yr_notices"] = notices


if "yr_dataset" not in ss or url_changed_outside("years"):
    _apply_link()
if ss.get("yr_dataset") not in infos:
    ss["yr_dataset"] = "illustrative"

# ---------------------------------------------------------------- sidebar
dataset_id = st.sidebar.selectbox(
    t("dataset", L),
    list(infos),
    format_func=lambda d: infos[d].name.pick(L),
    **lang_keyed("yr_dataset", "illustrative"),
)
info = infos[dataset_id]
years = tuple(sorted(info.years))
if ss.get("yr_year") not in years:
    ss["yr_year"] = years[-1]
ss["yr_panels"] = [y for y in ss.get("yr_panels", []) if y in years] or list(spread_years(years, 4))
theme_key = st.sidebar.radio(
    t("theme", L),
    list(THEMES),
    format_func=lambda k: THEMES[k].label(L),
    **lang_keyed("yr_theme", "criteria"),
)
if ss.get("yr_var") not in THEMES[theme_key].variables:
    ss["yr_var"] = THEMES[theme_key].variables[0]
var = st.sidebar.selectbox(
    t("variable", L),
    THEMES[theme_key].variables,
    format_func=lambda v: VARIABLES[v].label(L),
    **lang_keyed("yr_var", "criteria_met"),
)
scheme = st.sidebar.selectbox(
    t("scheme", L),
    list(SCHEMES),
    format_func=lambda s: scheme_label(s, L),
    **lang_keyed("yr_scheme", "natural_breaks"),
)
k = st.sidebar.select_slider(t("k", L), list(K_RANGE), key="yr_k")
source = t("illustrative_data", L) if info.illustrative else info.name.pick(L)

show_link_notices(ss.pop("yr_notices", []), L)
heading, mode_column = st.columns([1, 1.4], vertical_alignment="center")
# the page's heading, as the other pages have one (beside the view switch: no room lost at 768 px)
heading.markdown(
    f"#### {t('page_years', L)} · {years[0]}–{years[-1]}" if len(years) > 1 else f"#### {t('page_years', L)}"
)
mode = mode_column.segmented_control(
    t("yr_mode", L),
    ["timeline", "multiples"],
    format_func=lambda m: t(f"yr_{m}", L),
    **lang_keyed("yr_mode", "timeline"),
    required=True,
    label_visibility="collapsed",
)
if len(years) < 2:
    st.info(t("yr_one_year", L, year=years[0]))


def _query() -> dict[str, str]:
    state = replace(
        DEFAULT,
        dataset=dataset_id,
        year=ss["yr_year"],
        theme=theme_key,
        var=var,
        scheme=scheme,
        k=k,
        lang=L,
        mode="multiples" if mode == "multiples" else "",
        panels=tuple(ss["yr_panels"]) if mode == "multiples" else (),
    )
    query = to_query(state)
    if state.year == DEFAULT.year and "year" not in query and mode != "multiples":
        query["year"] = str(state.year)  # the timeline's year is always in its link
    return query


def _sync() -> None:
    query = _query()
    sync_query(query, "years")


# ---------------------------------------------------------------- timeline
def _step(delta: int) -> None:
    ss["yr_year"] = step_year(ss["yr_year"], years, delta)
    ss["yr_playing"] = False


def _play() -> None:
    playing = not ss.get("yr_playing", False)
    ss["yr_playing"] = playing
    ss["yr_restart"] = True  # run_every is set when the whole page runs: rerun it
    if playing:
        if ss["yr_year"] == years[-1]:
            ss["yr_year"] = years[0]  # play from the start once the end was reached
        ss["yr_next_tick"] = time.monotonic() + PLAY_SECONDS


@st.fragment(run_every=PLAY_SECONDS if ss.get("yr_playing") else None)
def timeline() -> None:
    if ss.pop("yr_restart", False):
        st.rerun()  # play or pause pressed (a fragment-only run): the page sets the timer anew
    if ss.get("yr_playing") and time.monotonic() >= ss.get("yr_next_tick", 0):
        nxt = step_year(ss["yr_year"], years, +1)
        ss["yr_year"] = nxt
        ss["yr_next_tick"] = time.monotonic() + PLAY_SECONDS
        if nxt == years[-1]:
            ss["yr_playing"] = False
            ss["yr_stopped"] = True
    c1, c2, c3, c4 = st.columns([1.25, 1.15, 1.05, 3], vertical_alignment="bottom")
    c1.button(
        t("yr_prev", L), on_click=_step, args=(-1,), disabled=ss["yr_year"] == years[0], key="yr_prev_b"
    )
    c2.button(
        t("yr_next", L), on_click=_step, args=(+1,), disabled=ss["yr_year"] == years[-1], key="yr_next_b"
    )
    c3.button(
        t("yr_pause" if ss.get("yr_playing") else "yr_play", L),
        icon=":material/pause:" if ss.get("yr_playing") else ":material/play_arrow:",
        on_click=_play,
        disabled=len(years) < 2,
        key="yr_play_b",
    )
    if len(years) > 1:
        c4.select_slider(t("year", L), list(years), key="yr_year", label_visibility="collapsed")
    year = ss["yr_year"]
    _sync()
    try:
        title, data = timeline_map_data(dataset_id, year, years, var, scheme, k, L, source=source)
    except NtmGeoError as err:
        st.error(err.message(L))
        return
    show_map(
        data,
        key="yr_map",
        height=MAP_HEIGHT,
        title=title,
        note=info.note.pick(L) if info.illustrative else "",
        caption=t("yr_shared_note", L, years=f"{years[0]}–{years[-1]}") + " " + boundaries_source_line(L),
    )
    if ss.pop("yr_stopped", False):
        st.rerun()  # playing ended: the whole page reruns, the fragment stops its timer


# ---------------------------------------------------------------- small multiples
def multiples() -> None:
    chosen = st.multiselect(
        t("yr_panels", L), list(years), key="yr_panels", max_selections=MAX_PANELS, placeholder="…"
    )
    _sync()
    try:
        shown = check_panels(chosen, years)
        shared = shared_views_of(dataset_id, shown, var, scheme, k, L)
    except NtmGeoError as err:
        st.warning(err.message(L))
        return
    st.markdown(f"#### {VARIABLES[var].label(L)} — {', '.join(map(str, shown))} — {source}")
    if info.illustrative:
        st.caption(info.note.pick(L))
    names = list(bounds.communes_web["name_with_type"] + " (" + bounds.communes_web["district_name"] + ")")
    markup = small_multiples_html(
        panels_geometry(), shared, names, legend_title=legend_title(shared.overall, L), lang=L
    )
    _PANELS(data={"html": markup}, key="yr_panels_view")
    st.caption(t("yr_shared_note", L, years=", ".join(map(str, shown))) + " " + boundaries_source_line(L))


if mode == "multiples":
    ss["yr_playing"] = False
    multiples()
else:
    timeline()
# the map is on its way: mapclassify imported before a classified view is asked for
warm_classifier(2.0)
