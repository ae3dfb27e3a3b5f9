"""Map page: choropleth of one variable, district zoom, commune profile, report check, table.

Reruns: any widget change reruns this script. Boundaries, joined tables and classifications come
from caches (:mod:`app_pages.common`); the map component (:mod:`app_pages.leaflet_map`, one JS
module, no iframe) receives only the new styles and legend as data, so the map keeps its zoom and
does not flicker. A district change re-fits the map (new bounds). A session's first run sends the
map alone; the controls follow once the browser has drawn it (``FIRST_PAINT``). On later runs the
view is read from the widgets' state first, the map is sent, and the sidebar widgets are drawn
after a short pause (``MAP_FLUSH_S``) so the browser recolours before React re-renders the sidebar.
Every choice is mirrored in the URL (:mod:`app_pages.urlsync`), so the address bar is always a link
to exactly this view.

Why over 500 lines: the page's run order is its speed (the map first, then the controls, then the
profile, report check and exports), and that order is only visible when the sections stay in one
script; the logic of each section lives in ``ntm_geo`` and :mod:`app_pages.common`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import streamlit as st

from app_pages import vintage_view
from app_pages.common import (
    boundaries_or_stop,
    joined_table,
    lang,
    localized_numbers,
    map_data,
    map_view,
    remember,
    report_rows,
    set_map_view,
    view,
    view_value,
    view_widget,
    view_widgets_done,
    warm_classifier,
)
from app_pages.export_ui import render_exports
from app_pages.leaflet_map import clicked, show_map
from app_pages.urlsync import (
    bare_query,
    last_synced,
    read_link,
    share_url,
    show_link_notices,
    sync_query,
    url_changed_outside,
)
from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import default_framework
from ntm_geo.datasets import catalog
from ntm_geo.errors import NtmGeoError
from ntm_geo.exports.formats import display_table, view_table
from ntm_geo.exports.tables import table_csv_bytes
from ntm_geo.geo.boundary_upload import boundaries_source_line
from ntm_geo.geo.units import official_units, vi_sort_key
from ntm_geo.i18n import t
from ntm_geo.maps.classify import K_RANGE, SCHEMES, scheme_label
from ntm_geo.maps.themes import THEMES, theme_variables
from ntm_geo.maps.themes import variable as variable_def
from ntm_geo.planning.profile import commune_profile, escape_markdown, markdown_table
from ntm_geo.views.viewstate import ADJUSTED, Notice, ViewState, to_query, view_units

MAP_HEIGHT = 560
# In CSS: at most MAP_HEIGHT, less on a short screen (a 768-pixel projector shows the whole map
# and the source line under it below the title and the banner: 300 px = the page's top margin,
# title, banner and two lines of source), at least 360 px.
MAP_BOX_HEIGHT = f"max(360px, min({MAP_HEIGHT}px, calc(100vh - 300px)))"
L = lang()
MAP_FLUSH_S = 0.04  # after the map's element: the server sends it before the rest (see below)
# First paint: on the session's first run of this page, only the map with its title and notices
# is sent; the widgets and the rest follow as soon as the browser has drawn the map (the map's
# ``on_ready``). Their ~40 script files would otherwise be fetched before the map's own and
# hold the map back by ~0.4 s (bench/README.md). The values come from the link or the defaults.
FIRST_PAINT = not st.session_state.get("map_drawn")
PICK = "pick"  # one key in every language: set from the selected commune before the list is drawn

bounds_data = boundaries_or_stop(L)
districts = bounds_data.districts_web


# ---------------------------------------------------------------- link -> widgets (once per session)
def _apply_link(query: dict | None = None) -> None:
    link = read_link("map", query)  # parameters of other pages (slides, shortlist …): said, then dropped
    state, notices = link.state, list(link.notices)
    ss = st.session_state
    set_map_view(state)  # the widgets take their values from it (common.view_widget)
    ss["tiles"] = state.tiles == "osm"  # the background toggle (drawn after the first paint)
    ss["selected_commune"] = state.communes[0] if state.communes else None
    if len(state.communes) > 1:  # the map page shows one commune's profile: say which, drop none silently
        first = state.communes[0]
        notices = [
            *notices,
            Notice(
                "communes",
                ",".join(state.communes[1:]),
                t("link_one_profile", "vi", code=first),
                t("link_one_profile", "en", code=first),
                ADJUSTED,
            ),
        ]
    ss["link_notices"] = notices
    ss["link_given"] = link.given  # what the link asked for (a default is not the link's)
    ss["_view_lang"] = None  # the widgets take their values from the new view (common.view_widget)


# A switch to this page from the menu leaves a bare "/" in the browser's history before the view's
# own address; Back to that entry shows the view the switch showed, not a default view.
bare_address = bare_query()
if st.session_state.get("page_switched") and bare_address and last_synced("map") is not None:
    st.session_state["map_switch_query"] = last_synced("map")
if st.session_state.get("page_switched"):
    # the widgets take their values from the session's view: the map page has two addresses, "/"
    # and the alias /map (app.py, MAP_ALIAS), and Streamlit keeps a widget's state per page, so
    # Back from "/" to /map would otherwise draw /map's widgets at their defaults
    st.session_state["_view_lang"] = None
if "view" not in st.session_state or url_changed_outside("map"):
    _apply_link((bare_address and st.session_state.get("map_switch_query")) or None)


# ---------------------------------------------------------------- widgets -> link
def current_state() -> ViewState:
    """The view as the widgets describe it: :func:`~app_pages.common.map_view` with the selected
    commune, the language and the background tiles."""
    ss = st.session_state
    selected = ss.get("selected_commune")
    return replace(
        map_view(),
        communes=(selected,) if selected else (),
        lang=ss.get("lang", "vi"),
        tiles="osm" if ss.get("tiles") else "",
    )


def on_map_click() -> None:
    code = clicked("map")
    if code:
        st.session_state["selected_commune"] = code
        st.session_state[PICK] = code
        st.session_state["profile_toast"] = code  # the profile opens below the map: say so


def on_pick() -> None:
    st.session_state["selected_commune"] = st.session_state.get(PICK) or None


# ---------------------------------------------------------------- widgets
# Order of a rerun (issue 11 item 7, the theme change): Streamlit sends the elements in the order
# the script makes them, and the browser's React renders the sidebar widgets that arrive before
# the map's message before the map module gets its new styles (~70-160 ms on the bench machine,
# bench/README.md, session 6). So every run first reads the view the widgets hold
# (``controls(draw=False)``: their session-state values, as the first paint does), sends the map,
# and only then draws the widgets with the same keys (``controls(draw=True)``), which return the
# same values.
@dataclass(frozen=True)
class Controls:
    """The view the sidebar widgets describe (and what the page derives from it)."""

    dataset_id: str
    info: Any
    year: int
    units: str
    native_2025: bool
    year_framework: Any
    theme_key: str
    variable_key: str
    scheme: str
    k: int
    district: str
    former_districts: bool
    tiles: bool


def _peek(name: str, options: list, default):
    """The value the view widget ``name`` will have when it is drawn in this run: its key's
    session state (set from the canonical view when needed, :func:`~app_pages.common.view_widget`);
    on the first paint (no widget drawn yet) the canonical view's value."""
    if FIRST_PAINT:
        value = view_value(name, default)
    else:
        value = st.session_state.get(view_widget(name, options, default))
    return value if value in options else default


def controls(draw: bool) -> Controls:
    """The map's view from the sidebar widgets; with ``draw``, the widgets themselves are drawn
    (after the map, see above), else only their values are read."""
    sidebar = st.sidebar

    def widget(make, name: str, options: list, default):
        if not draw:
            return _peek(name, options, default)
        return make(view_widget(name, options, default))

    infos = {d.id: d for d in catalog.list_datasets()}
    dataset_id = widget(
        lambda key: sidebar.selectbox(
            t("dataset", L),
            list(infos),
            format_func=lambda d: infos[d].name.pick(L),
            key=key,
        ),
        "dataset",
        list(infos),
        "illustrative",
    )
    remember("dataset", dataset_id)
    info = infos[dataset_id]
    years = sorted(info.years, reverse=True)  # a saved dataset may hold other years than the report
    year = widget(
        lambda key: sidebar.segmented_control(t("year", L), years, key=key, required=True) or years[0],
        "year",
        years,
        years[0],
    )
    remember("year", year)
    # unit vintage (issue 12): 2015 units, or the 65 units of 2025 with the data carried to them; a
    # dataset keyed by the 2025 units is drawn on them (view_units), with its own values
    native_2025 = info.vintage == "2025"
    units = (
        widget(
            lambda key: (
                sidebar.segmented_control(
                    t("units", L),
                    vintage_view.OPTIONS,
                    format_func=lambda u: vintage_view.label(u, L),
                    key=key,
                    required=True,
                )
                or "2015"
            ),
            "units",
            vintage_view.OPTIONS,
            "2015",
        )
        if not native_2025
        else "2025"
    )
    units = view_units(info.vintage, units)
    if native_2025 and draw:
        sidebar.caption(f"{t('units', L)}: {vintage_view.label('2025', L)} — {t('units_native', L)}")
    remember("units", units)
    on_2025 = units == "2025"
    carried_2025 = on_2025 and not native_2025  # values derived from the 2015 units
    try:  # the criteria are those of the year's framework (19, or 10 from 2026; issue 13)
        year_framework = default_framework(int(year))
    except NtmGeoError:
        year_framework = None

    def on_units(key: str) -> list[str]:
        """A theme's variables that have values on the 2025 units (carried, or the dataset's own)."""
        carried = joined_table(dataset_id, year, units)
        return [
            v
            for v in theme_variables(key, year_framework)
            if v in carried.columns and carried[v].notna().any()
        ]

    # criteria carried to 2025 units are k of n, shown below the map; a 2025 dataset has its own, and
    # only its themes with values are offered
    themes = [k for k in THEMES if not (carried_2025 and k == "criteria")]
    if on_2025:
        themes = [k for k in themes if on_units(k)] or themes
    asked_theme = map_view().theme
    if (
        on_2025
        and "theme" in st.session_state.get("link_given", ())  # the link's own theme, not a default
        and asked_theme in THEMES
        and asked_theme not in themes
        and not st.session_state.get("theme_said")
    ):
        # a link asked for a theme the 2025 units cannot show as a choropleth: say why it changed
        # (trial 5, M4), once per session
        st.session_state["theme_said"] = True
        st.session_state.setdefault("link_notices", []).append(
            Notice(
                "theme",
                asked_theme,
                "trên 65 đơn vị 2025, tiêu chí của các xã cũ được ghi dạng «k/n xã cũ đạt» ở bảng dưới bản "
                f"đồ, không tô màu; bản đồ mở chủ đề «{THEMES[themes[0]].label('vi')}»",
                "on the 65 units of 2025 the former communes' criteria are given as 'k of n former "
                f"communes met' in the table below the map, not coloured; the map opens on "
                f"'{THEMES[themes[0]].label('en')}'",
                ADJUSTED,  # the parameter is valid: the view differs from it, nothing was ignored
            )
        )
    theme_key = widget(
        lambda key: sidebar.radio(t("theme", L), themes, format_func=lambda k: THEMES[k].label(L), key=key),
        "theme",
        themes,
        themes[0],
    )
    remember("theme", theme_key)
    theme_vars = theme_variables(theme_key, year_framework)
    if on_2025:  # only what has values (carried criteria and flags become k of n, shown below)
        theme_vars = on_units(theme_key) or theme_vars
    if len(theme_vars) > 1:
        label = t("criterion_view", L) if theme_key == "criteria" else t("variable", L)
        variable_key = widget(
            lambda key: sidebar.selectbox(
                label,
                theme_vars,
                format_func=lambda k: (
                    t("all_criteria", L)
                    if k == "criteria_met" and year_framework is None
                    else variable_def(k, year_framework).label(L)
                ),
                key=key,
            ),
            f"variable_{theme_key}",
            list(theme_vars),
            theme_vars[0],
        )
    else:
        variable_key = theme_vars[0]
    remember(f"variable_{theme_key}", variable_key)
    scheme, k = map_view().scheme, map_view().k
    if variable_def(variable_key, year_framework).kind == "scheme":
        scheme = widget(
            lambda key: sidebar.selectbox(
                t("scheme", L), list(SCHEMES), format_func=lambda s: scheme_label(s, L), key=key
            ),
            "scheme",
            list(SCHEMES),
            "natural_breaks",
        )
        k = widget(
            lambda key: sidebar.select_slider(t("k", L), options=list(K_RANGE), key=key),
            "k",
            list(K_RANGE),
            5,
        )
        remember("scheme", scheme)
        remember("k", k)
    if on_2025 and draw:
        carried_note = (
            " " + t("units_no_criteria", L) if carried_2025 else ""
        )  # a native 2025 table has its own criteria
        sidebar.caption(t("units_no_districts", L) + carried_note)
    district = (
        ""
        if on_2025
        else widget(
            lambda key: sidebar.selectbox(
                t("district", L),
                ["", *districts["district_code"]],
                format_func=lambda c: district_names.get(c, t("all_districts", L)),
                key=key,
            ),
            "district",
            ["", *districts["district_code"]],
            "",
        )
    )
    remember("district", district)
    former_districts = bool(st.session_state.get("former_districts", False)) and on_2025
    if on_2025 and draw:  # the 2015 districts drawn along the 2025 unit edges
        former_districts = sidebar.toggle(t("units_former_districts", L), key="former_districts")
    tiles = bool(st.session_state.get("tiles", False))
    if draw:
        view_widgets_done()
        tiles = sidebar.toggle(t("tiles", L), value=False, key="tiles")
    return Controls(
        dataset_id, info, year, units, native_2025, year_framework, theme_key, variable_key,
        scheme, k, district, former_districts, tiles,
    )  # fmt: skip


def _view_parts(c: Controls) -> tuple:
    """The parts of :class:`Controls` the widgets set (for comparing two reads)."""
    return (c.dataset_id, c.year, c.units, c.theme_key, c.variable_key, c.scheme, c.k, c.district,
            c.former_districts, c.tiles)  # fmt: skip


district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
view_now = controls(draw=False)  # the widgets' values; the widgets are drawn after the map
dataset_id, info, year, units = view_now.dataset_id, view_now.info, view_now.year, view_now.units
native_2025, year_framework = view_now.native_2025, view_now.year_framework
theme_key, variable_key, scheme, k = view_now.theme_key, view_now.variable_key, view_now.scheme, view_now.k
district, former_districts, tiles = view_now.district, view_now.former_districts, view_now.tiles
on_2025 = units == "2025"
carried_2025 = on_2025 and not native_2025  # values derived from the 2015 units
variable = variable_def(variable_key, year_framework)
if FIRST_PAINT:
    st.sidebar.text(t("loading_controls", L))  # plain text: no renderer script to load first

# A newly chosen district drops a selected commune outside it (its profile would be out of view).
if district and st.session_state.get("_map_district") not in (None, district):
    chosen = st.session_state.get("selected_commune")
    if chosen and official_units().set_index("commune_code")["district_code"].get(chosen) != district:
        st.session_state["selected_commune"] = None
st.session_state["_map_district"] = district
selected = st.session_state.get("selected_commune")
query = to_query(current_state())
sync_query(query, "map")  # the address bar is always a link to this view (ignored link parts dropped)

# ---------------------------------------------------------------- core
table = joined_table(dataset_id, year, units)
try:
    result = view(dataset_id, year, variable_key, scheme, k, L, units)
except NtmGeoError as err:
    st.error(err.message(L))
    st.stop()
note = info.note.pick(L)
source_label = t("illustrative_data", L) if info.illustrative else info.name.pick(L)
if carried_2025:  # every value carried to the 2025 units is derived, and the map says so
    source_label += f" · {t('units_derived_source', L)} · {vintage_view.label('2025', L)}"
    note = (note + " " if info.illustrative else "") + t("units_derived_note", L)
elif native_2025:  # the dataset's own values on the 65 units
    source_label += f" · {vintage_view.label('2025', L)}"
title, map_component = map_data(
    dataset_id,
    year,
    variable_key,
    scheme,
    k,
    L,
    source=source_label,
    district=district or "",
    highlight=(selected,) if selected else (),
    units=units,
    former_districts=former_districts,
)

# ---------------------------------------------------------------- display
title += f" — {district_names[district]}" if district else ""
# (kept for the rerun that follows the first paint, then shown once more and dropped)
show_link_notices(
    st.session_state.get("link_notices", []) if FIRST_PAINT else st.session_state.pop("link_notices", []), L
)
if result.classification.note_vi:
    st.info(Bilingual.of(result.classification, "note").pick(L))
if (
    variable_key in table.columns and table[variable_key].isna().all()
):  # e.g. 2011 indicators the report lacks
    st.info(t("no_values_year", L, variable=variable.label(L), year=year))

# Leaflet fits the bounds to the real map size (unknown here). A district change re-creates the
# map with that district's bounds; colour changes only swap the layer (zoom and pan kept).
show_map(
    map_component,  # styles, legend, bounds; the geometry is a static file fetched once
    key="map",
    height=MAP_BOX_HEIGHT,
    on_click=on_map_click,
    on_ready=(lambda: st.session_state.update(map_drawn=True)) if FIRST_PAINT else None,
    title=title,  # the heading, the illustrative-data warning and the source line are drawn by the
    note=note if info.illustrative or carried_2025 else "",  # map component: no other element before the map
    caption=(
        t("units_source_2025_native", L)
        if native_2025
        else t("units_source_2025", L)
        if on_2025
        else boundaries_source_line(L)
    )
    + " "
    + ("" if tiles else t("no_tiles_note", L)),
    tiles="openstreetmap" if tiles else None,
)
if FIRST_PAINT:
    st.stop()  # the rest comes with the rerun the drawn map asks for
# Let the server send the map's message now, alone: Streamlit's event loop writes the queued
# messages to the websocket in its own thread, which waits for the GIL while this script runs, so
# without a pause the map's message left with the rest of the run, ~30-40 ms later. And the
# browser's React renders the messages that arrive together in one pass (45-65 ms at load ~8)
# before the map module gets its data; the map's message alone is handed over in ~5 ms. Paired
# A/B (bench/ab_recolour.py, bench/README.md session 7): this order with a 10 ms pause -52 ms
# click -> recoloured against the old order; 40 ms instead of 10 ms, another -8 / -25 ms. The
# rest of the page (sidebar widgets, profile, exports) comes 40 ms later on each rerun.
time.sleep(MAP_FLUSH_S)
drawn = controls(draw=True)  # the sidebar widgets, after the map's element (see Controls)
if _view_parts(drawn) != _view_parts(view_now) and not st.session_state.pop("_controls_rerun", False):
    # not expected (the widgets take the values read before the map); if a widget ever differs,
    # one more run draws the map of what the widgets show
    st.session_state["_controls_rerun"] = True
    st.rerun()
st.session_state.pop("_controls_rerun", None)
warm_classifier()  # the map is drawn: import mapclassify now, not on the first theme change

# Shown on request: st.code pulls a 1.5 MB highlighter script that would delay the first paint.
if st.toggle(t("share_link", L), key="show_link"):
    link = share_url(query)
    st.code(link, language=None)
    st.caption(t("share_link_help", L))

if native_2025:  # the dataset's own values on the 65 units: the profile below; the report
    st.caption(t("units_native_no_profile", L))  # check is of the 2015 units
# files made on request only; on the 2025 units drawn on the 65 units (exports/view_data.py)
render_exports(current_state(), former_districts=former_districts)  # the view its link encodes
if on_2025 and not native_2025:  # below the map on the 2025 units: carried values, the table, its CSV
    from ntm_geo.datasets.carry import carried_csv

    csv_bytes, _ = carried_csv(dataset_id, year)
    vintage_view.details(
        table, selected, L, csv_bytes, f"ntm_lang_son_{dataset_id}_{year}_units2025.csv", note
    )
    st.stop()

# ---------------------------------------------------------------- commune profile
profile_col, details_col = st.columns([1, 1], gap="large")
with profile_col:
    st.subheader(t("profile", L))
    district_part = (" — " + table["district_name"]).fillna("")  # no district level on the 2025 units
    names = dict(zip(table["commune_code"], table["name_with_type"] + district_part, strict=True))
    # The list of every unit's name (~9 KB for 226 units) is sent only while the reader asks for
    # it: Streamlit re-sends every element on each rerun, and with the list a theme change cost
    # ~21 KiB instead of ~11 KiB (bench/run_bench.py, "theme change: websocket bytes"). A click on
    # the map is the main way to open a profile; the list stays open once shown.
    if st.toggle(t("pick_from_list", L), key="pick_list"):
        options = ["", *sorted(names, key=lambda c: vi_sort_key(names[c]))]
        # every run (the empty option's label is translated: after a language switch the browser's
        # old label would match no option)
        st.session_state[PICK] = selected if selected in options else ""
        pick = st.selectbox(
            t("pick_commune", L),
            options,
            format_func=lambda c: names.get(c, t("none", L)),
            key=PICK,
            on_change=on_pick,
        )
    else:
        pick = selected if selected in names else ""
    if (toast := st.session_state.pop("profile_toast", None)) and toast == pick:  # a click on the map
        st.toast(t("profile_below", L, name=escape_markdown(names.get(pick, pick))))
    if not pick:
        st.caption(t("profile_hint", L))
    else:
        profile = commune_profile(table.loc[table["commune_code"] == pick].iloc[0], L)
        st.markdown(profile.header_md)
        st.markdown(profile.facts_md)
        if not profile.assessed:
            st.info(t("not_assessed_unit", L))
        elif profile.criteria_met is not None:
            done = f" — {t('meets_standard', L)} ✅" if profile.meets_standard else ""
            met_of = t("criteria_met_of_total", L, n=profile.criteria_met, total=profile.criteria_total)
            st.markdown(f"**{met_of}**{done}")
        if profile.criteria is not None:
            st.dataframe(
                profile.criteria, hide_index=True, width="stretch", height=38 + 35 * profile.criteria_total
            )
if pick:
    with details_col:
        st.subheader(t("indicators", L))
        # static tables wrap the long names, so values, thresholds and ✓/✗ stay inside the column
        # at 1024×768 (a data grid cut them off); their cells are Markdown: markdown_table escapes
        st.table(markdown_table(profile.indicators), hide_index=True, border="horizontal")
        if profile.framework_indicators is not None:  # indicator columns of the table's framework
            st.table(markdown_table(profile.framework_indicators), hide_index=True, border="horizontal")
        if info.illustrative:
            st.caption(note)

# ---------------------------------------------------------------- report comparison, table
# Tables are rendered only on request: a dataframe (even in a collapsed expander) makes the page
# load ~2.7 MB more JavaScript and delays the map by ~0.6 s (bench/README.md).
if not native_2025 and st.toggle(t("report_check", L) + f" — {year}", key="show_report"):
    st.caption(t("report_check_intro", L))
    try:
        check = report_rows(dataset_id, year, L)
    except NtmGeoError as err:  # the report has figures for 2011 and 2015 only
        st.info(err.message(L))
    else:
        bad = int((check[t("match", L)] == "✗").sum())
        (st.success if bad == 0 else st.error)(
            t("report_all_ok", L, n=len(check))
            if bad == 0
            else t("report_some_differ", L, bad=bad, n=len(check))
        )
        st.dataframe(check, hide_index=True, width="stretch")

if st.toggle(t("table", L), key="show_table"):
    data_table = view_table(table, result, L)  # dataset column names: the CSV can be imported again
    if district:
        data_table = data_table[data_table["district_code"] == district]
    if info.illustrative:
        st.caption(note)
    st.dataframe(
        localized_numbers(display_table(data_table.drop(columns="district_code"), L), L),
        hide_index=True,
        width="stretch",
        placeholder="",
    )  # not assessed / no data: a blank cell, not "None"
    st.download_button(
        t("download_csv", L),
        data=table_csv_bytes(data_table, note=note if info.illustrative else None),
        file_name=f"ntm_lang_son_{dataset_id}_{year}_{variable_key}{'_' + district if district else ''}.csv",
        mime="text/csv",
    )
