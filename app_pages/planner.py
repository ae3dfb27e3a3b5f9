"""Planner page ("Lập kế hoạch"): find and rank candidate xã, shortlist them, export a decision
sheet, and follow the province's progress toward the 2020 targets of Report 48/BC-BCĐ.

Widgets -> :mod:`ntm_geo.planning.ranking` / :mod:`ntm_geo.planning.decision_sheet` -> display. Reruns: every
widget change reruns the script; tables come from the cached joined tables
(:mod:`app_pages.common`), the ranking itself takes a few milliseconds.

Selection model: the selected communes are kept as codes (``pl_selected``). The table's
selection (row positions) is rebuilt from the codes before each render, so a selection survives
filtering and re-ranking; a click on the map adds or removes that commune's row. The shortlist
lives in the URL (``?shortlist=05980,06010``, :mod:`ntm_geo.views.viewstate`) and is written with
:func:`app_pages.urlsync.sync_query`. Notes are per session (not in the link: they can be long
and private) and travel in the exported decision sheet.
"""

from __future__ import annotations

from dataclasses import replace

import altair as alt
import pandas as pd
import streamlit as st

import app_pages.vintage_view  # noqa: F401  registers the texts of the 2025 units (t keys)
from app_pages.common import (
    boundaries,
    boundaries_or_stop,
    candidates,
    joined_table,
    lang,
    lang_keyed,
    unit_boundaries,
    view,
)
from app_pages.leaflet_map import clicked, map_spec, show_map
from app_pages.urlsync import read_link, show_link_notices, sync_query
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.datasets import catalog, schema
from ntm_geo.errors import NtmGeoError
from ntm_geo.i18n import register, t
from ntm_geo.maps.mapbuild import build_view_spec
from ntm_geo.maps.themes import NO_COLOR, YES_COLOR
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.decision_sheet import decision_sheet_xlsx, shortlist_map_png
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.viewstate import DEFAULT, to_query, view_units

STRINGS: dict[str, tuple[str, str]] = {
    "pl_title": (
        "Lập kế hoạch: chọn xã, theo dõi mục tiêu 2020",
        "Planner: choosing communes, tracking the 2020 targets",
    ),
    "pl_filters": ("Bộ lọc", "Filters"),
    "pl_districts": ("Huyện", "Districts"),
    "pl_groups": ("Nhóm (số tiêu chí đạt)", "Group (criteria met)"),
    "pl_not_standard": (
        "Chỉ xã chưa đạt chuẩn (dưới 19 tiêu chí)",
        "Only xã not yet meeting the standard (< 19)",
    ),
    "pl_criterion_not_met": ("Chưa đạt tiêu chí", "Criterion not met"),
    "pl_any": ("— bất kỳ —", "— any —"),
    "pl_choose": ("Chọn (để trống: tất cả)", "Choose (empty: all)"),
    "pl_choose_xa": ("Chọn xã…", "Choose communes…"),
    "pl_flags": ("Đặc điểm (cột có/không)", "Flags (yes/no columns)"),
    "pl_flag_yes": ("{label}: có", "{label}: yes"),
    "pl_flag_no": ("{label}: không", "{label}: no"),
    "pl_tab_rank": ("🎯 Tìm và xếp hạng xã", "🎯 Find and rank"),
    "pl_tab_matrix": ("▦ Ma trận tiêu chí", "▦ Criteria gap matrix"),
    "pl_tab_shortlist": ("📋 Danh sách đề xuất", "📋 Shortlist"),
    "pl_tab_districts": ("🏘️ Theo huyện", "🏘️ Districts"),
    "pl_tab_progress": ("📈 Mục tiêu 2020 và kịch bản", "📈 2020 targets and scenario"),
    "pl_preset": ("Cách xếp hạng", "Ranking"),
    "pl_custom": ("Tự đặt trọng số", "Custom weights"),
    "pl_weights": ("Trọng số (0–10)", "Weights (0–10)"),
    "pl_count": (
        "{n} xã phù hợp bộ lọc (trên {total} xã); {na} phường, thị trấn {where} không đánh giá theo bộ "
        "tiêu chí ({listed} có trong bảng).",
        "{n} xã match the filters (of {total}); {na} wards/townships {where} are not assessed against the "
        "criteria ({listed} listed).",
    ),
    "pl_where_province": ("của tỉnh", "of the province"),
    "pl_where_districts": ("của huyện đã chọn", "of the chosen districts"),
    "pl_table_help": (
        "Chọn dòng (ô bên trái) để tô đậm xã trên bản đồ; bấm vào bản đồ để chọn dòng. Bấm tiêu đề cột để sắp xếp.",
        "Select rows (left boxes) to outline them on the map; click the map to select a row. Click a header to sort.",
    ),
    "pl_selected": ("Đang chọn: {names}", "Selected: {names}"),
    "pl_add_selected": ("➕ Thêm xã đang chọn vào danh sách đề xuất", "➕ Add selected to the shortlist"),
    "pl_add_top": ("➕ Thêm {n} xã xếp hạng cao nhất", "➕ Add the {n} best ranked"),
    "pl_clear_selection": ("Bỏ chọn", "Clear selection"),
    "pl_outside": (
        "{name} không nằm trong bộ lọc hiện tại (hoặc không được đánh giá).",
        "{name} is outside the current filters (or not assessed).",
    ),
    "pl_map_caption": (
        "Màu: số tiêu chí đạt. Viền đen đậm: xã đang chọn; viền tím nét đứt: danh sách đề xuất.",
        "Colour: criteria met. Thick black border: selected; dashed purple: shortlist.",
    ),
    "pl_matrix_caption": (
        "{n} xã của bộ lọc, theo thứ tự xếp hạng. ✓ đạt, ✗ chưa đạt; bấm tiêu đề cột để sắp xếp. Dòng cuối: số xã chưa đạt từng tiêu chí.",
        "{n} xã of the filters, in ranking order. ✓ met, ✗ not met; click a header to sort. Last line: xã not meeting each criterion.",
    ),
    "pl_not_met_row": ("Số xã chưa đạt", "Xã not meeting"),
    "pl_shortlist": ("Danh sách xã đề xuất", "Shortlisted communes"),
    "pl_shortlist_help": (
        "Danh sách nằm trong liên kết của trang: chia sẻ liên kết để người khác thấy đúng danh sách này.",
        "The shortlist is kept in this page's link: share the link to show the same list.",
    ),
    "pl_shortlist_empty": (
        "Chưa có xã nào. Thêm xã từ bảng xếp hạng (tab đầu) hoặc chọn ở ô trên.",
        "No commune yet. Add communes from the ranking (first tab) or pick them above.",
    ),
    "pl_compare": ("So sánh", "Comparison"),
    "pl_notes": ("Ghi chú cho từng xã", "Note per commune"),
    "pl_note_for": ("Ghi chú — {name}", "Note — {name}"),
    "pl_note_label": ("Ghi chú", "Note"),
    "pl_export": ("Xuất phiếu đề xuất", "Export the decision sheet"),
    "pl_download_xlsx": ("⬇️ Phiếu đề xuất (Excel)", "⬇️ Decision sheet (Excel)"),
    "pl_download_png": ("⬇️ Bản đồ (PNG)", "⬇️ Map (PNG)"),
    "pl_png_title": ("Các xã đề xuất — {year} — {source}", "Shortlisted communes — {year} — {source}"),
    "pl_district_table": ("Tổng hợp theo huyện", "Summary by district"),
    "pl_district_chart": (
        "Số xã đạt chuẩn theo huyện, {before} và {now}",
        "Xã meeting the standard by district, {before} and {now}",
    ),
    "pl_district_one_year": (
        "Số xã đạt chuẩn theo huyện, {now} (bộ dữ liệu không có năm nào trước đó để so sánh)",
        "Xã meeting the standard by district, {now} (the dataset has no earlier year to compare)",
    ),
    "pl_series_year": ("Năm {year}", "{year}"),
    "pl_xa": ("Số xã", "Xã"),
    "pl_meeting": ("Xã đạt chuẩn", "Meeting the standard"),
    "pl_meeting_before": ("Xã đạt chuẩn {year}", "Meeting {year}"),
    "pl_meeting_change": ("Tăng số xã đạt chuẩn", "Change in xã meeting"),
    "pl_mean": ("Bình quân tiêu chí/xã", "Mean criteria per xã"),
    "pl_mean_change": ("Tăng bình quân từ {year}", "Mean change since {year}"),
    "pl_poverty_change": ("Thay đổi hộ nghèo từ {year} (điểm %)", "Poverty change since {year} (pp)"),
    "pl_poverty_note": (
        "Tỷ lệ hộ nghèo của huyện: bình quân các xã, phường, thị trấn theo dân số 2009.",
        "District poverty rate: mean of its units weighted by 2009 population.",
    ),
    "pl_progress_chart": (
        "Số xã theo nhóm: 2011, 2015, mục tiêu 2020 và kịch bản",
        "Xã per group: 2011, 2015, 2020 target and scenario",
    ),
    "pl_series_2011": ("Năm 2011", "2011"),
    "pl_series_2015": ("Năm 2015", "2015"),
    "pl_series_target": ("Mục tiêu 2020", "2020 target"),
    "pl_series_scenario": ("Kịch bản 2020", "2020 scenario"),
    "pl_mean_metric": ("Bình quân tiêu chí/xã {label}", "Mean criteria per xã {label}"),
    "pl_criteria_progress": (
        "Số xã đạt từng tiêu chí, 2011 và 2015",
        "Xã meeting each criterion, 2011 and 2015",
    ),
    "pl_scenario": (
        "Kịch bản: những xã dự kiến đạt chuẩn vào năm 2020",
        "Scenario: xã expected to reach the standard by 2020",
    ),
    "pl_scenario_pick": (
        "Xã dự kiến đạt chuẩn (19 tiêu chí) vào năm 2020",
        "Xã expected to meet all 19 criteria by 2020",
    ),
    "pl_scenario_shortlist": ("Thêm danh sách đề xuất", "Add the shortlist"),
    "pl_scenario_nearest": ("Thêm {n} xã gần chuẩn nhất", "Add the {n} xã nearest the standard"),
    "pl_scenario_clear": ("Xóa", "Clear"),
    "pl_group": ("Nhóm", "Group"),
    "pl_now": ("2015", "2015"),
    "pl_projected": ("Dự kiến 2020", "Projected 2020"),
    "pl_target": ("Mục tiêu 2020", "2020 target"),
    "pl_difference": ("Chênh lệch so với mục tiêu", "Difference from target"),
    "pl_no_year": ("Bộ dữ liệu này không có số liệu năm {year}.", "This dataset has no {year} table."),
    "pl_criterion_col": ("Tiêu chí", "Criterion"),
    "pl_count_col": ("Số xã", "Xã"),
    "pl_year_col": ("Năm", "Year"),
}
register(STRINGS)

L = lang()
ss = st.session_state

bounds_data = boundaries_or_stop(L)
districts = bounds_data.districts_web
district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))


# ---------------------------------------------------------------- link -> state (once per session)
def _apply_link() -> None:
    xa_codes = set(bounds_data.communes.loc[bounds_data.communes["assessed"], "commune_code"])
    link = read_link("planner", known_communes=xa_codes)
    state, notices = link.state, list(link.notices)
    ss["pl_dataset"], ss["pl_year"] = state.dataset, state.year
    ss["pl_shortlist_codes"] = list(state.shortlist)
    ss["pl_link_notices"] = notices


if "pl_shortlist_codes" not in ss:
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
        (infos[d].name_vi if L == "vi" else infos[d].name_en)
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
# The ranking widgets live in the first tab, which is not rendered while another tab is open, so
# their values are kept in plain session keys (pl_preset_value, pl_weight_values) and copied into
# the widgets each time they are drawn.
WEIGHT_KEYS = {k: f"pl_w_{k}" for k in pl.COMPONENTS}


def apply_preset(key: str) -> None:
    ss["pl_preset_value"] = key
    if key in pl.PRESETS:
        p = pl.PRESETS[key]
        ss["pl_weight_values"] = {k: int(getattr(p.weights, k)) for k in pl.COMPONENTS}
        ss["pl_not_standard"] = p.filters.not_meeting_standard
        ss["pl_flags"] = list(p.filters.flags)


def on_preset() -> None:
    apply_preset(ss["pl_preset"])


def on_weight(k: str) -> None:
    ss["pl_weight_values"] = {**ss["pl_weight_values"], k: ss[WEIGHT_KEYS[k]]}
    ss["pl_preset_value"] = "custom"


if "pl_preset_value" not in ss:  # first visit: the report's main strategy (communes near the standard)
    apply_preset("near_standard")


st.sidebar.subheader(t("pl_filters", L))
table_full = joined_table(dataset_id, year)
candidates_all = candidates(dataset_id, year, L)  # cached: filters and sorting rerun often
flag_options: list[str] = []
for col in pl.flag_columns(candidates_all):
    flag_options += [col, f"!{col}"]


def _flag_label(flag: str) -> str:
    col = flag.lstrip("!")
    label = pl.column_label(col, L)
    return t("pl_flag_no" if flag.startswith("!") else "pl_flag_yes", L, label=label)


sel_districts = st.sidebar.multiselect(
    t("pl_districts", L),
    list(district_names),
    format_func=district_names.get,
    key="pl_districts",
    persist_state="session",
    placeholder=t("pl_choose", L),
    select_all=False,
)
sel_groups = st.sidebar.multiselect(
    t("pl_groups", L),
    list(pl.GROUPS),
    format_func=lambda g: pl.group_label(g, L),
    **lang_keyed("pl_groups", []),
    placeholder=t("pl_choose", L),
    select_all=False,
)
not_standard = st.sidebar.checkbox(t("pl_not_standard", L), key="pl_not_standard", persist_state="session")
criteria = load_criteria()
crit_not_met = st.sidebar.selectbox(
    t("pl_criterion_not_met", L),
    [0, *range(1, 20)],
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
ranking = pl.rank(filtered, weights)
ranked = ranking.table
xa_names = dict(
    zip(
        candidates_all.loc[candidates_all["assessed"], "commune_code"],
        candidates_all.loc[candidates_all["assessed"], "name"]
        + " — "
        + candidates_all.loc[candidates_all["assessed"], "district_name"],
        strict=True,
    )
)
ss["pl_shortlist_codes"] = [c for c in ss["pl_shortlist_codes"] if c in xa_names]
ranked_codes = list(ranked["commune_code"])


# ---------------------------------------------------------------- callbacks
def on_table_select() -> None:
    rows = (ss.get("pl_table") or {}).get("selection", {}).get("rows", [])
    codes = ss.get("pl_table_codes", [])
    ss["pl_selected"] = [codes[i] for i in rows if 0 <= i < len(codes)]


def on_map_click() -> None:
    code = clicked("pl_map")  # a click toggles the commune in the selection
    if not code:
        return
    if code not in ss.get("pl_table_codes", []):
        ss["pl_outside"] = code
        return
    selected = list(ss.get("pl_selected", []))
    ss["pl_selected"] = [c for c in selected if c != code] if code in selected else [*selected, code]


def add_to_shortlist(codes: list[str]) -> None:
    current = list(ss["pl_shortlist_codes"])
    ss["pl_shortlist_codes"] = current + [c for c in codes if c in xa_names and c not in current]


def on_shortlist_edit() -> None:
    ss["pl_shortlist_codes"] = list(ss.get("pl_shortlist_widget", []))


def on_note(code: str) -> None:
    ss["pl_notes"] = {**ss["pl_notes"], code: ss.get(f"pl_note_{code}", "")}


# ---------------------------------------------------------------- header
source_label = (
    t("illustrative_data", L) if info.illustrative else (info.name_vi if L == "vi" else info.name_en)
)
st.markdown(f"#### {escape_markdown(t('pl_title', L))} — {year} — {escape_markdown(source_label)}")
show_link_notices(ss.pop("pl_link_notices", []), L)
if info.illustrative:
    st.warning(info.note_vi if L == "vi" else info.note_en, icon="⚠️")

# Tabs track which one is open so the hidden ones do no work; widget values of hidden tabs are
# rebuilt from the pl_* codes above. The open tab is remembered by its label, so each language has
# its own key, opened on the tab (by position) that was open before a language switch.
tab_labels = [
    t(k, L)
    for k in ("pl_tab_rank", "pl_tab_matrix", "pl_tab_shortlist", "pl_tab_districts", "pl_tab_progress")
]
if f"pl_tabs@{L}" not in ss:  # (not `default=`: a changed default makes a new widget, losing the click)
    ss[f"pl_tabs@{L}"] = tab_labels[ss.get("pl_tab_index", 0)]
tabs = st.tabs(tab_labels, key=f"pl_tabs@{L}", on_change="rerun")
ss["pl_tab_index"] = next((i for i, tab in enumerate(tabs) if tab.open), 0)


def is_open(i: int) -> bool:
    return tabs[i].open is not False  # None when the tabs do not track state


# ---------------------------------------------------------------- tab 1: find and rank
NUM = st.column_config.NumberColumn
column_config = {
    "rank": NUM(pl.column_label("rank", L), format="%d", width="small"),
    "score": st.column_config.ProgressColumn(
        pl.column_label("score", L), min_value=0, max_value=100, format="%.1f"
    ),
    "shortlisted": st.column_config.TextColumn(pl.column_label("shortlisted", L), width="small"),
    "name": st.column_config.TextColumn(pl.column_label("name", L), pinned=True),
    "district_name": pl.column_label("district_name", L),
    "criteria_met": NUM(pl.column_label("criteria_met", L), format="%d"),
    "gap": NUM(pl.column_label("gap", L), format="%d"),
    "group_label": st.column_config.TextColumn(pl.column_label("group_label", L), width="medium"),
    "missing_label": st.column_config.TextColumn(pl.column_label("missing_label", L), width="large"),
    "poverty_rate_pct": NUM(pl.column_label("poverty_rate_pct", L), format="%.1f"),
    "population": NUM(pl.column_label("population", L), format="localized"),
    "infra_criteria_met": NUM(pl.column_label("infra_criteria_met", L), format="%d"),
    "road_hardened_pct": NUM(pl.column_label("road_hardened_pct", L), format="%.1f"),
    "electricity_hh_pct": NUM(pl.column_label("electricity_hh_pct", L), format="%.1f"),
    "irrigated_cropland_pct": NUM(pl.column_label("irrigated_cropland_pct", L), format="%.1f"),
    "hygienic_water_hh_pct": NUM(pl.column_label("hygienic_water_hh_pct", L), format="%.1f"),
    "car_access_all_season": st.column_config.CheckboxColumn(pl.column_label("car_access_all_season", L)),
    "especially_difficult": st.column_config.CheckboxColumn(pl.column_label("especially_difficult", L)),
}
with tabs[0]:
    if is_open(0):
        c_preset, *c_weights = st.columns([2.2, 1, 1, 1, 1])
        with c_preset:
            options = ["custom", *pl.PRESETS]
            ss["pl_preset"] = ss["pl_preset_value"]
            st.selectbox(
                t("pl_preset", L),
                options,
                key="pl_preset",
                on_change=on_preset,
                format_func=lambda k: t("pl_custom", L) if k == "custom" else pl.PRESETS[k].label(L),
            )
            if ss["pl_preset_value"] in pl.PRESETS:
                st.caption(pl.PRESETS[ss["pl_preset_value"]].description(L))
        for col, (k, comp) in zip(c_weights, pl.COMPONENTS.items(), strict=True):
            with col:
                ss[WEIGHT_KEYS[k]] = ss["pl_weight_values"][k]
                st.slider(
                    comp.label(L).capitalize(),
                    0,
                    10,
                    key=WEIGHT_KEYS[k],
                    on_change=on_weight,
                    args=(k,),
                    help=comp.direction_vi if L == "vi" else comp.direction_en,
                )
        st.info(escape_markdown(ranking.explanation(L)), icon="💡")

        shown = ranked.assign(
            score=ranked["score"].round(1),
            shortlisted=["★" if c in ss["pl_shortlist_codes"] else "" for c in ranked["commune_code"]],
        )[list(column_config)]
        ss["pl_table_codes"] = ranked_codes
        positions = [ranked_codes.index(c) for c in ss["pl_selected"] if c in ranked_codes]
        ss["pl_selected"] = [ranked_codes[i] for i in positions]
        current = (ss.get("pl_table") or {}).get("selection", {}).get("rows", None)
        if current is None or list(current) != positions:
            ss["pl_table"] = {"selection": {"rows": positions, "columns": [], "cells": []}}

        n_xa = int(filtered["assessed"].sum())
        area = (
            candidates_all[candidates_all["district_code"].isin(sel_districts)]
            if sel_districts
            else candidates_all
        )
        st.caption(
            t(
                "pl_count",
                L,
                n=n_xa,
                total=int(candidates_all["assessed"].sum()),
                na=int((~area["assessed"]).sum()),
                listed=int((~filtered["assessed"]).sum()),
                where=t("pl_where_districts" if sel_districts else "pl_where_province", L),
            )
            + " "
            + t("pl_table_help", L)
        )
        # Static CSS only: below 1280 px the table and the map stack (full width each) instead of
        # squeezing the map into a third of a 1024-pixel projector.
        st.markdown(
            "<style>@media (max-width: 1279px) {.st-key-pl_table_map [data-testid='stHorizontalBlock'] {flex-wrap: wrap}"
            " .st-key-pl_table_map [data-testid='stColumn'] {min-width: 100% !important; flex: 1 1 100% !important}}</style>",
            unsafe_allow_html=True,
        )
        table_col, map_col = st.container(key="pl_table_map").columns([1.35, 1], gap="medium")
        with table_col:
            st.dataframe(
                shown,
                key="pl_table",
                on_select=on_table_select,
                selection_mode="multi-row",
                hide_index=True,
                column_config=column_config,
                height=520,
                row_height=34,
            )
            if ss["pl_selected"]:
                names = ", ".join(xa_names.get(c, c) for c in ss["pl_selected"])
                st.markdown(escape_markdown(t("pl_selected", L, names=names)))
            if outside := ss.pop("pl_outside", None):
                row = candidates_all.set_index("commune_code")
                name = row["name"].get(outside, outside)
                if (
                    outside in row.index
                ):  # the district too: the same commune name exists in several districts
                    name += f" ({row['district_name'][outside]})"
                st.warning(escape_markdown(t("pl_outside", L, name=name)))
        with map_col:
            try:
                result = view(dataset_id, year, "criteria_met", "natural_breaks", 5, L, units)
            except NtmGeoError as err:
                st.error(err.message(L))
                st.stop()
            spec = build_view_spec(
                table_full,
                districts,
                result,
                year=year,
                source=source_label,
                lang=L,
                district=sel_districts[0] if len(sel_districts) == 1 else "",
                highlight=set(ss["pl_selected"]),
                legend_font_px=13,
            )
            shortlist = {
                "codes": list(ss["pl_shortlist_codes"]),
                "style": pl.SHORTLIST_STYLE,
                "cls": pl.SHORTLIST_CLASS,
            }
            show_map(map_spec(spec, marked=shortlist), key="pl_map", height=520, on_click=on_map_click)
            st.caption(t("pl_map_caption", L))
        b1, b2, b3 = st.columns([2, 1.4, 1])
        b1.button(
            t("pl_add_selected", L),
            on_click=add_to_shortlist,
            args=(list(ss["pl_selected"]),),
            disabled=not ss["pl_selected"],
            key="pl_add_sel",
        )
        top = [c for c in ranked.loc[ranked["rank"].notna(), "commune_code"]][:5]
        b2.button(
            t("pl_add_top", L, n=len(top)),
            on_click=add_to_shortlist,
            args=(top,),
            disabled=not top,
            key="pl_add_top",
        )
        b3.button(
            t("pl_clear_selection", L),
            on_click=lambda: ss.update(pl_selected=[]),
            disabled=not ss["pl_selected"],
            key="pl_clear",
        )

# ---------------------------------------------------------------- tab 2: criteria gap matrix
with tabs[1]:
    if is_open(1):
        matrix = pl.gap_matrix(ranked)
        st.caption(t("pl_matrix_caption", L, n=len(matrix)))
        if len(matrix):
            labels = {c.code: str(c.number) for c in criteria}
            grid = pd.DataFrame(
                {
                    pl.column_label("rank", L): list(ranked.loc[ranked["assessed"], "rank"]),
                    pl.column_label("name", L): matrix["name"],
                    pl.column_label("district_name", L): matrix["district_name"].str.replace(
                        "Huyện ", "", regex=False
                    ),
                    pl.column_label("criteria_met", L): matrix["criteria_met"],
                }
            )
            for code in CRITERION_COLUMNS:
                grid[labels[code]] = ["—" if pd.isna(v) else ("✓" if v else "✗") for v in matrix[code]]
            counts = pl.not_met_counts(matrix)
            footer = {col: None for col in grid.columns}
            footer[pl.column_label("name", L)] = t("pl_not_met_row", L)
            footer.update({labels[c]: str(int(counts[c])) for c in CRITERION_COLUMNS})
            grid = pd.concat([grid, pd.DataFrame([footer])], ignore_index=True)

            def colour(value: object) -> str:
                if value == "✓":
                    return (
                        f"background-color: {YES_COLOR}; color: white; font-weight: bold; text-align: center"
                    )
                if value == "✗":
                    return (
                        f"background-color: {NO_COLOR}; color: black; font-weight: bold; text-align: center"
                    )
                return ""

            styled = grid.style.map(colour, subset=[labels[c] for c in CRITERION_COLUMNS])
            st.dataframe(
                styled,
                hide_index=True,
                height=min(38 + 36 * len(grid), 720),
                row_height=36,
                placeholder="",
                column_config={
                    labels[c.code]: st.column_config.TextColumn(labels[c.code], help=c.label(L), width=38)
                    for c in criteria
                }
                | {
                    pl.column_label("name", L): st.column_config.TextColumn(
                        pl.column_label("name", L), pinned=True
                    )
                },
            )
            st.caption(escape_markdown(" · ".join(c.label(L) for c in criteria)))

# ---------------------------------------------------------------- tab 3: shortlist, comparison, notes, export
with tabs[2]:
    if is_open(2):
        st.subheader(t("pl_shortlist", L))
        if ss.get("pl_shortlist_widget") != ss["pl_shortlist_codes"]:
            ss["pl_shortlist_widget"] = list(ss["pl_shortlist_codes"])
        st.multiselect(
            t("pl_shortlist", L),
            sorted(xa_names, key=xa_names.get),
            format_func=xa_names.get,
            key="pl_shortlist_widget",
            on_change=on_shortlist_edit,
            label_visibility="collapsed",
            placeholder=t("pl_choose_xa", L),
            select_all=False,
        )
        st.caption(t("pl_shortlist_help", L))
        codes = list(ss["pl_shortlist_codes"])
        if not codes:
            st.info(t("pl_shortlist_empty", L))
        else:
            rows = pl.shortlist_rows(candidates_all, codes, L)
            notes = {c: ss["pl_notes"].get(c, "") for c in codes}
            st.markdown(f"**{t('pl_compare', L)}**")
            name_col = pl.column_label("name", L)
            side = rows.assign(**{t("pl_note_label", L): [notes[c] for c in rows.index]})
            side.index = [f"{i}. {n}" for i, n in enumerate(side[name_col], start=1)]
            st.dataframe(
                side.drop(columns=name_col).T.astype(str).replace({"None": "—", "nan": "—"}),
                width="stretch",
                height=38 + 35 * (len(side.columns) - 1),
                column_config={"_index": st.column_config.TextColumn(width="large")},
            )
            st.markdown(f"**{t('pl_notes', L)}**")
            note_cols = st.columns(min(3, len(codes)))
            for i, code in enumerate(codes):
                key = f"pl_note_{code}"
                if key not in ss:
                    ss[key] = ss["pl_notes"].get(code, "")
                with note_cols[i % len(note_cols)]:
                    st.text_area(
                        escape_markdown(t("pl_note_for", L, name=f"{i + 1}. {xa_names[code]}")),
                        key=key,
                        on_change=on_note,
                        args=(code,),
                        height=90,
                        max_chars=2000,
                    )

            st.markdown(f"**{t('pl_export', L)}**")
            png_title = t("pl_png_title", L, year=year, source=source_label)
            png_note = (info.note_vi if L == "vi" else info.note_en) if info.illustrative else ""

            @st.cache_data(show_spinner=False, max_entries=16)
            def _png(
                dataset: str, yr: int, shortlist: tuple[str, ...], title: str, note: str, lg: str
            ) -> bytes:
                b = unit_boundaries(units) if units == "2025" else boundaries()
                return shortlist_map_png(
                    b.communes_web, b.districts_web, shortlist, title=title, note=note, lang=lg
                )

            png = _png(dataset_id, year, tuple(codes), png_title, png_note, L)
            xlsx = decision_sheet_xlsx(rows, notes, info, png, L, year=year)
            d1, d2, _ = st.columns([1, 1, 2])
            d1.download_button(
                t("pl_download_xlsx", L),
                data=xlsx,
                file_name=f"phieu_de_xuat_ntm_{dataset_id}_{year}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                on_click="ignore",
                key="pl_dl_xlsx",
                type="primary",
            )
            d2.download_button(
                t("pl_download_png", L),
                data=png,
                file_name=f"ban_do_de_xuat_ntm_{dataset_id}_{year}.png",
                mime="image/png",
                on_click="ignore",
                key="pl_dl_png",
            )
            st.image(png, width=640)

# ---------------------------------------------------------------- tab 4: districts
joined_2015 = joined_table(dataset_id, 2015) if 2015 in info.years else None
joined_2011 = joined_table(dataset_id, 2011) if 2011 in info.years else None
# The district summary compares the year shown with the dataset's first year (years from the data).
first_year = min(info.years)
with tabs[3]:
    if is_open(3) and units == "2025":
        st.caption(t("units_no_districts", L))
    elif is_open(3):
        summary = pl.district_summary(
            joined_table(dataset_id, year),
            joined_table(dataset_id, first_year) if first_year < year else None,
        )
        st.markdown(f"**{t('pl_district_table', L)}**")
        shown_d = pd.DataFrame(
            {
                pl.column_label("district_name", L): summary["district_name"],
                t("pl_xa", L): summary["xa"],
                t("pl_meeting", L): summary["meeting_standard"],
                t("pl_meeting_before", L, year=first_year): summary["meeting_standard_2011"],
                t("pl_meeting_change", L): summary["meeting_standard_change"],
                t("pl_mean", L): summary["mean_criteria_met"].round(2),
                t("pl_mean_change", L, year=first_year): summary["mean_change"].round(2),
                schema.header("poverty_rate_pct", L): summary["poverty_rate_pct"].round(1),
                t("pl_poverty_change", L, year=first_year): summary["poverty_change_pp"].round(1),
            }
        )
        st.dataframe(shown_d, hide_index=True, width="stretch", height=38 + 35 * len(shown_d))
        st.caption(t("pl_poverty_note", L))
        chart_title = (
            t("pl_district_chart", L, before=first_year, now=year)
            if first_year < year
            else t("pl_district_one_year", L, now=year)
        )
        st.markdown(f"**{chart_title}**")
        long = pd.concat(
            [
                pd.DataFrame(
                    {
                        "d": summary["district_name"],
                        "y": t("pl_series_year", L, year=first_year),
                        "n": summary["meeting_standard_2011"],
                    }
                ),
                pd.DataFrame(
                    {
                        "d": summary["district_name"],
                        "y": t("pl_series_year", L, year=year),
                        "n": summary["meeting_standard"],
                    }
                ),
            ]
        ).dropna()
        chart = (
            alt.Chart(long)
            .mark_bar()
            .encode(
                x=alt.X(
                    "d:N",
                    title=None,
                    sort=list(summary["district_name"]),
                    axis=alt.Axis(labelAngle=-30, labelFontSize=13),
                ),
                xOffset="y:N",
                y=alt.Y("n:Q", title=t("pl_meeting", L)),
                color=alt.Color(
                    "y:N", title=t("pl_year_col", L), scale=alt.Scale(range=["#a6bddb", "#0570b0"])
                ),
                tooltip=[
                    alt.Tooltip("d:N", title=pl.column_label("district_name", L)),
                    alt.Tooltip("y:N", title=t("pl_year_col", L)),
                    alt.Tooltip("n:Q", title=t("pl_meeting", L)),
                ],
            )
            .properties(height=340)
        )
        st.altair_chart(chart, width="stretch")

# ---------------------------------------------------------------- tab 5: progress and scenario
with tabs[4]:
    if is_open(4):
        if joined_2015 is None:
            st.info(t("pl_no_year", L, year=2015))
        else:
            prog = pl.progress(joined_2011, joined_2015)
            st.markdown(f"**{t('pl_scenario', L)}**")
            not_yet = candidates_all if year == 2015 else candidates(dataset_id, 2015, L)
            not_yet = not_yet.loc[not_yet["assessed"] & (not_yet["gap"] > 0).fillna(False)].sort_values(
                ["gap", "commune_code"]
            )
            scenario_options = list(not_yet["commune_code"])
            ss["pl_scenario_codes"] = [c for c in ss["pl_scenario_codes"] if c in scenario_options]
            if ss.get("pl_scenario_widget") != ss["pl_scenario_codes"]:
                ss["pl_scenario_widget"] = list(ss["pl_scenario_codes"])
            gap_of = dict(zip(not_yet["commune_code"], not_yet["gap"], strict=True))

            def _set_scenario(codes_: list[str]) -> None:
                ss["pl_scenario_codes"] = list(dict.fromkeys(c for c in codes_ if c in gap_of))

            st.multiselect(
                t("pl_scenario_pick", L),
                scenario_options,
                key="pl_scenario_widget",
                placeholder=t("pl_choose_xa", L),
                select_all=False,
                format_func=lambda c: f"{xa_names.get(c, c)} (−{int(gap_of[c])})",
                on_change=lambda: _set_scenario(ss["pl_scenario_widget"]),
            )
            s1, s2, s3 = st.columns([1.2, 1.4, 0.5])
            s1.button(
                t("pl_scenario_shortlist", L),
                on_click=lambda: _set_scenario(ss["pl_scenario_codes"] + ss["pl_shortlist_codes"]),
                key="pl_sc_short",
            )
            needed = max(0, int(prog.groups.set_index("group").loc["19", "to_go"]))
            s2.button(
                t("pl_scenario_nearest", L, n=needed),
                on_click=lambda: _set_scenario(ss["pl_scenario_codes"] + scenario_options[:needed]),
                key="pl_sc_near",
                disabled=needed == 0,
            )
            s3.button(t("pl_scenario_clear", L), on_click=lambda: _set_scenario([]), key="pl_sc_clear")
            sc = pl.scenario(joined_2015, set(ss["pl_scenario_codes"]))
            (st.success if (sc.table["difference"] >= 0).all() else st.info)(
                escape_markdown(sc.explanation(L))
            )
            label_col = "label_vi" if L == "vi" else "label_en"
            st.dataframe(
                pd.DataFrame(
                    {
                        t("pl_group", L): sc.table[label_col],
                        t("pl_now", L): sc.table["now"],
                        t("pl_projected", L): sc.table["projected"],
                        t("pl_target", L): sc.table["target"],
                        t("pl_difference", L): sc.table["difference"],
                    }
                ),
                hide_index=True,
                width="stretch",
            )

            st.markdown(f"**{t('pl_progress_chart', L)}**")
            m1, m2, m3, m4 = st.columns(4)
            fmt = lambda v: "—" if pd.isna(v) else f"{v:.2f}".replace(".", "," if L == "vi" else ".")  # noqa: E731 - a one-line formatter for the four metrics below
            m1.metric(t("pl_mean_metric", L, label="2011"), fmt(prog.means["2011"]))
            m2.metric(t("pl_mean_metric", L, label="2015"), fmt(prog.means["2015"]))
            m3.metric(t("pl_mean_metric", L, label=t("pl_series_scenario", L)), fmt(sc.projected_mean))
            m4.metric(t("pl_mean_metric", L, label=t("pl_series_target", L)), fmt(prog.means["2020_target"]))
            series = [("y2011", t("pl_series_2011", L)), ("y2015", t("pl_series_2015", L))]
            frames = [
                pd.DataFrame({"g": prog.groups[label_col], "s": name, "n": prog.groups[col]})
                for col, name in series
            ]
            frames.append(
                pd.DataFrame(
                    {"g": sc.table[label_col], "s": t("pl_series_scenario", L), "n": sc.table["projected"]}
                )
            )
            frames.append(
                pd.DataFrame(
                    {
                        "g": prog.groups[label_col],
                        "s": t("pl_series_target", L),
                        "n": prog.groups["target_2020"],
                    }
                )
            )
            long = pd.concat(frames).dropna()
            order = [name for _, name in series] + [t("pl_series_scenario", L), t("pl_series_target", L)]
            chart = (
                alt.Chart(long)
                .mark_bar()
                .encode(
                    x=alt.X(
                        "g:N",
                        title=None,
                        sort=list(prog.groups[label_col]),
                        axis=alt.Axis(labelAngle=0, labelFontSize=13, labelLimit=220),
                    ),
                    xOffset=alt.XOffset("s:N", sort=order),
                    y=alt.Y("n:Q", title=t("pl_count_col", L)),
                    color=alt.Color(
                        "s:N",
                        sort=order,
                        title=None,
                        scale=alt.Scale(domain=order, range=["#bdd7e7", "#3182bd", "#fd8d3c", "#31a354"]),
                    ),
                    tooltip=[
                        alt.Tooltip("g:N", title=t("pl_group", L)),
                        alt.Tooltip("s:N", title=t("pl_year_col", L)),
                        alt.Tooltip("n:Q", title=t("pl_count_col", L)),
                    ],
                )
                .properties(height=360)
            )
            st.altair_chart(chart, width="stretch")

            st.markdown(f"**{t('pl_criteria_progress', L)}**")
            name_key = "name_vi" if L == "vi" else "name_en"
            crit = prog.criteria
            labels_c = [f"{n}. {nm}" for n, nm in zip(crit["number"], crit[name_key], strict=True)]
            long_c = pd.concat(
                [
                    pd.DataFrame({"c": labels_c, "y": t("pl_series_2011", L), "n": crit["met_2011"]}),
                    pd.DataFrame({"c": labels_c, "y": t("pl_series_2015", L), "n": crit["met_2015"]}),
                ]
            ).dropna()
            chart_c = (
                alt.Chart(long_c)
                .mark_bar()
                .encode(
                    y=alt.Y(
                        "c:N", title=None, sort=labels_c, axis=alt.Axis(labelFontSize=13, labelLimit=320)
                    ),
                    yOffset="y:N",
                    x=alt.X("n:Q", title=t("pl_count_col", L)),
                    color=alt.Color(
                        "y:N", title=t("pl_year_col", L), scale=alt.Scale(range=["#a6bddb", "#0570b0"])
                    ),
                    tooltip=[
                        alt.Tooltip("c:N", title=t("pl_criterion_col", L)),
                        alt.Tooltip("y:N", title=t("pl_year_col", L)),
                        alt.Tooltip("n:Q", title=t("pl_count_col", L)),
                    ],
                )
                .properties(height=19 * 34)
            )
            st.altair_chart(chart_c, width="stretch")

# ---------------------------------------------------------------- widgets -> link (after every widget)
sync_query(current_query())
