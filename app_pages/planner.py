"""Planner page ("Lập kế hoạch"): find and rank candidate xã, shortlist them, export a decision
sheet, and follow the province's progress toward the target its criteria framework is measured on
(the 2020 targets of Report 48/BC-BCĐ; :mod:`ntm_geo.planning.targets`).

This module holds the page's state, sidebar and the computation every tab shares; each tab is a
module of :mod:`app_pages.planner_sections` drawn with the :class:`PlannerContext` built here.
Everything follows the dataset's criteria framework (N criteria, their names) and unit vintage
(districts, commune groups, or neither).

Widgets -> :mod:`ntm_geo.planning.ranking` / :mod:`ntm_geo.planning.decision_sheet` -> display. Reruns: every
widget change reruns the script; tables come from the cached joined tables
(:mod:`app_pages.common`), and so does the ranking (``planner_sections.ranking_cache``, keyed by dataset,
year, units, language, filters and weights: ~10-30 ms to rank, ~1 ms from the cache), so a click on
the map or the shortlist does not rank again.

Selection model: the selected communes are kept as codes (``pl_selected``). The table's
selection (row positions) is rebuilt from the codes before each render, so a selection survives
filtering and re-ranking; a click on the map adds or removes that commune's row. The shortlist
lives in the URL (``?shortlist=05980,06010``, :mod:`ntm_geo.views.viewstate`) and is written with
:func:`app_pages.urlsync.sync_query`. Notes are per session (not in the link: they can be long
and private) and travel in the exported decision sheet.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

import app_pages.planner_sections.texts
import app_pages.vintage_view  # noqa: F401  registers the texts of the 2025 units (t keys)
from app_pages.common import (
    boundaries_or_stop,
    candidates,
    joined_table,
    lang,
    lang_keyed,
    unit_boundaries,
)
from app_pages.planner_sections import matrix, progress, rank, shortlist, summary
from app_pages.planner_sections.context import PlannerContext
from app_pages.planner_sections.rank import apply_preset
from app_pages.planner_sections.ranking_cache import planner_ranking
from app_pages.urlsync import read_link, show_link_notices, sync_query, url_changed_outside
from ntm_geo.datasets import catalog
from ntm_geo.errors import NtmGeoError
from ntm_geo.i18n import t
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.viewstate import DEFAULT, to_query, view_units

L = lang()
ss = st.session_state

bounds_data = boundaries_or_stop(L)
districts = bounds_data.districts_web
district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))


@st.cache_data(show_spinner=False)
def _former_districts() -> dict[str, str]:
    """2025 unit code -> the former (2015) district holding most of its area (the crosswalk)."""
    from ntm_geo.geo.crosswalk import former_districts_2025

    former = former_districts_2025()
    return dict(zip(former["commune_code"], former["district_name"], strict=True))


# ---------------------------------------------------------------- link -> state
# Read on the first visit and whenever the address bar holds a query the planner did not write
# last (Back/Forward, a link pasted into the tab): the planner follows the address as the map
# page does (app_pages.urlsync.url_changed_outside). A switch from the menu keeps the session's view.
def _apply_link() -> None:
    xa_codes = set(bounds_data.communes.loc[bounds_data.communes["assessed"], "commune_code"])
    link = read_link("planner", known_communes=xa_codes)
    state, notices = link.state, list(link.notices)
    ss["pl_dataset"], ss["pl_year"] = state.dataset, state.year
    ss["pl_shortlist_codes"] = list(state.shortlist)
    ss["pl_link_notices"] = notices


if "pl_shortlist_codes" not in ss or url_changed_outside("planner"):
    _apply_link()
ss.setdefault("pl_selected", [])
ss.setdefault("pl_notes", {})
ss.setdefault("pl_scenario_codes", [])


def current_query() -> dict[str, str]:
    state = replace(
        DEFAULT,
        dataset=ss.get("pl_dataset", "illustrative"),
        year=ss.get("pl_year") or 2015,
        shortlist=tuple(ss.get("pl_shortlist_codes", [])),
        lang=ss.get("lang", "vi"),
    )
    return to_query(state)


# ---------------------------------------------------------------- sidebar: dataset and filters
infos = {d.id: d for d in catalog.list_datasets()}
if ss.get("pl_dataset") not in infos:
    ss["pl_dataset"] = "illustrative"
dataset_id = st.sidebar.selectbox(
    t("dataset", L),
    list(infos),
    **lang_keyed("pl_dataset", "illustrative"),
    format_func=lambda d: (
        infos[d].name.pick(L)
        + (
            f" — {t('illustrative_data', L)}"
            if infos[d].illustrative and "minh họa" not in infos[d].name_vi
            else ""
        )
    ),
)
info = infos[dataset_id]
years = sorted(info.years, reverse=True)
if ss.get("pl_year") not in years:
    ss["pl_year"] = years[0]
year = st.sidebar.segmented_control(t("year", L), years, key="pl_year") or years[0]
units = view_units(info.vintage, "2015")  # a dataset keyed by the 2025 units is planned on them (issue 12)
if units == "2025":  # 65 units and no district level: no district filter, outlines or summary
    bounds_data = unit_boundaries(units)
    districts = bounds_data.districts_web
    district_names = {}

# ---------------------------------------------------------------- ranking state (before the widgets)
# The ranking widgets live in the first tab (planner_sections.rank), which keeps their values.
if "pl_preset_value" not in ss:  # first visit: the report's main strategy (communes near the standard)
    apply_preset("near_standard")


st.sidebar.subheader(t("pl_filters", L))
table_full = joined_table(dataset_id, year)
candidates_all = candidates(dataset_id, year, L)  # cached: filters and sorting rerun often
if units == "2025":  # no district: name a unit by its commune group, else by its former district (labelled)
    candidates_all = pl.with_former_districts(candidates_all, _former_districts(), L)
if ss["pl_preset_value"] not in ("custom", *pl.available_presets(candidates_all)):
    apply_preset("near_standard")  # a preset whose flag this dataset does not give
flag_options: list[str] = []
for col in pl.flag_columns(candidates_all):
    flag_options += [col, f"!{col}"]


def _flag_label(flag: str) -> str:
    col = flag.lstrip("!")
    label = pl.column_label(col, L)
    return t("pl_flag_no" if flag.startswith("!") else "pl_flag_yes", L, label=label)


# The dataset's framework (N criteria and their names) and vintage (districts, commune groups or
# neither) decide every text, filter and column below (issue 13).
fw = pl.table_framework_of(candidates_all)
criteria = pl.criteria_of(candidates_all)
n_criteria = len(criteria)
place = pl.place_kind(candidates_all)
target = pl.target_for(fw)
sel_districts: list[str] = []
sel_commune_groups: list[int] = []
if place == "district" and district_names:
    sel_districts = st.sidebar.multiselect(
        t("pl_districts", L),
        list(district_names),
        format_func=district_names.get,
        key="pl_districts",
        persist_state="session",
        placeholder=t("pl_choose", L),
        select_all=False,
    )
elif place == "commune_group":
    group_names = dict(
        zip(candidates_all["commune_group"].dropna().astype(int), candidates_all["place"], strict=False)
    )
    sel_commune_groups = st.sidebar.multiselect(
        t("pl_commune_groups", L),
        sorted(group_names),
        format_func=lambda g: group_names.get(g, str(g)),
        **lang_keyed("pl_commune_groups", []),
        placeholder=t("pl_choose", L),
        select_all=False,
    )
# a value kept from a dataset of another framework (its groups, criterion 11..19) is dropped
ss["pl_groups"] = [g for g in ss.get("pl_groups", []) if g in pl.group_keys(n_criteria)]
if ss.get("pl_criterion", 0) > n_criteria:
    ss["pl_criterion"] = 0
sel_groups = st.sidebar.multiselect(
    t("pl_groups", L),
    list(pl.group_keys(n_criteria)),
    format_func=lambda g: pl.group_label(g, L),
    **lang_keyed("pl_groups", []),
    placeholder=t("pl_choose", L),
    select_all=False,
)
not_standard = st.sidebar.checkbox(
    t("pl_not_standard", L, total=n_criteria), key="pl_not_standard", persist_state="session"
)
crit_not_met = st.sidebar.selectbox(
    t("pl_criterion_not_met", L),
    [0, *range(1, n_criteria + 1)],
    **lang_keyed("pl_criterion", 0),
    format_func=lambda n: t("pl_any", L) if n == 0 else criteria[n - 1].label(L),
    persist_state="session",
)
if "pl_flags" in ss:  # a preset may name a flag this dataset does not have
    ss["pl_flags"] = [f for f in ss["pl_flags"] if f in flag_options]
sel_flags = st.sidebar.multiselect(
    t("pl_flags", L),
    flag_options,
    format_func=_flag_label,
    **lang_keyed("pl_flags", []),
    placeholder=t("pl_choose", L),
    select_all=False,
)
filters = pl.Filters(
    districts=tuple(sel_districts),
    commune_groups=tuple(sel_commune_groups),
    groups=tuple(sel_groups),
    not_meeting_standard=not_standard,
    criterion_not_met=crit_not_met or None,
    flags=tuple(f for f in sel_flags if f.lstrip("!") in pl.flag_columns(candidates_all)),
)

# ---------------------------------------------------------------- core
try:
    filtered = pl.apply_filters(candidates_all, filters)
except NtmGeoError as err:
    st.error(err.message(L))
    st.stop()
weights = pl.RankingWeights(**{k: float(v) for k, v in ss["pl_weight_values"].items()})
ranking = planner_ranking(dataset_id, year, units, L, filters, weights, _table=filtered)  # cached
_xa = candidates_all.loc[candidates_all["assessed"]]
xa_names = {
    code: f"{name} — {where}" if where else name
    for code, name, where in zip(_xa["commune_code"], _xa["name"], _xa["place"], strict=True)
}
ss["pl_shortlist_codes"] = [c for c in ss["pl_shortlist_codes"] if c in xa_names]


# ---------------------------------------------------------------- header
source_label = t("illustrative_data", L) if info.illustrative else info.name.pick(L)
title = t("pl_title_target", L, year=target.year) if target is not None else t("pl_title", L)
st.markdown(f"#### {escape_markdown(title)} — {year} — {escape_markdown(source_label)}")
show_link_notices(ss.pop("pl_link_notices", []), L)
if info.illustrative:
    st.warning(info.note.pick(L), icon="⚠️")

# Tabs track which one is open so the hidden ones do no work; widget values of hidden tabs are
# rebuilt from the pl_* codes above. One key per meaning (``pl_tabs``, as common.view_widget): the
# widget's value is the open tab's label, so after a language switch (a label of the other
# language) it is set, before the widget is drawn, to the label of the tab open before
# (``pl_tab_index``, by position; a tab list without that tab opens the last).
# The summary tab groups by district, or by commune group where the units have no district; the
# target tab exists only where the dataset's framework is measured on a target (planning.targets).
summary_by = {"district": "district", "commune_group": "commune_group"}.get(place)
tab_keys = ["pl_tab_rank", "pl_tab_matrix", "pl_tab_shortlist"]
if summary_by is not None:
    tab_keys.append("pl_tab_districts" if summary_by == "district" else "pl_tab_commune_groups")
if target is not None:
    tab_keys.append("pl_tab_progress")
tab_labels = [t(k, L) for k in tab_keys]
if (
    ss.get("pl_tabs") not in tab_labels
):  # (not `default=`: a changed default makes a new widget, losing the click)
    ss["pl_tabs"] = tab_labels[min(ss.get("pl_tab_index", 0), len(tab_labels) - 1)]
tab_list = st.tabs(tab_labels, key="pl_tabs", on_change="rerun")
ss["pl_tab_index"] = next((i for i, tab in enumerate(tab_list) if tab.open), 0)
tabs = dict(zip(tab_keys, tab_list, strict=True))


def is_open(key: str) -> bool:
    return key in tabs and tabs[key].open is not False  # None when the tabs do not track state


# ---------------------------------------------------------------- the tabs (app_pages/planner_sections)
ctx = PlannerContext(
    lang=L,
    dataset_id=dataset_id,
    year=year,
    info=info,
    units=units,
    source_label=source_label,
    table_full=table_full,
    districts=districts,
    candidates_all=candidates_all,
    filtered=filtered,
    ranking=ranking,
    xa_names=xa_names,
    criteria=criteria,
    place=place,
    target=target,
    sel_districts=tuple(sel_districts),
    summary_by=summary_by,
)
SECTIONS = {
    "pl_tab_rank": rank.render,
    "pl_tab_matrix": matrix.render,
    "pl_tab_shortlist": shortlist.render,
    "pl_tab_districts": summary.render,
    "pl_tab_commune_groups": summary.render,
    "pl_tab_progress": progress.render,
}
for key, tab in tabs.items():
    with tab:
        if is_open(key):
            SECTIONS[key](ctx)

# ---------------------------------------------------------------- widgets -> link (after every widget)
sync_query(current_query(), "planner")
