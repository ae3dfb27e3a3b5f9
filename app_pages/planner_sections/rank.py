"""Planner tab 1, find and rank: the ranking choice and weights, the explanation, the table and the
map (selection both ways), and adding to the shortlist. The ranking widgets are drawn only while
this tab is open, so their values live in plain session keys (``pl_preset_value``,
``pl_weight_values``) copied into the widgets each time they are drawn."""

from __future__ import annotations

import streamlit as st

from app_pages.common import view
from app_pages.leaflet_map import clicked, map_spec, show_map
from app_pages.planner_sections.context import PlannerContext
from ntm_geo.errors import NtmGeoError
from ntm_geo.i18n import t
from ntm_geo.maps.mapbuild import build_view_spec
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.profile import escape_markdown

ss = st.session_state

#: Widget key of each component's weight slider.
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


def add_to_shortlist(codes: list[str], allowed: dict[str, str]) -> None:
    current = list(ss["pl_shortlist_codes"])
    ss["pl_shortlist_codes"] = current + [c for c in codes if c in allowed and c not in current]


def render(ctx: PlannerContext) -> None:
    """Draw the tab (only while it is open)."""
    L, place, candidates_all, ranked = ctx.lang, ctx.place, ctx.candidates_all, ctx.ranked
    dataset_id, year, units, districts = ctx.dataset_id, ctx.year, ctx.units, ctx.districts
    filtered, ranking, ranked_codes, xa_names = ctx.filtered, ctx.ranking, ctx.ranked_codes, ctx.xa_names
    n_criteria, sel_districts, source_label, table_full = (
        ctx.n_criteria,
        ctx.sel_districts,
        ctx.source_label,
        ctx.table_full,
    )
    NUM = st.column_config.NumberColumn
    column_config = {
        "rank": NUM(pl.column_label("rank", L), format="%d", width="small"),
        "score": st.column_config.ProgressColumn(
            pl.column_label("score", L), min_value=0, max_value=100, format="%.1f"
        ),
        "shortlisted": st.column_config.TextColumn(pl.column_label("shortlisted", L), width="small"),
        "name": st.column_config.TextColumn(pl.column_label("name", L), pinned=True),
        "place": pl.place_header(place, L),
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
    # Only the columns the dataset has: no place column on units with neither district nor commune
    # group, no indicator, population or infrastructure count the table does not give.
    column_config = {
        k: v
        for k, v in column_config.items()
        if k in ("rank", "score", "shortlisted", "name")
        or (k == "place" and place != "none")
        or (k != "place" and pl.has_data(candidates_all, k))
    }
    c_preset, *c_weights = st.columns([2.2, 1, 1, 1, 1])
    with c_preset:
        # A radio, not a selectbox: at 1024 px a selectbox cut the preset's name ("Nhóm xã phấn
        # đấu đạt chuẩn (g"); radio labels wrap, and the full name heads the caption below.
        options = [*pl.available_presets(candidates_all), "custom"]
        ss["pl_preset"] = ss["pl_preset_value"]
        st.radio(
            t("pl_preset", L),
            options,
            key="pl_preset",
            on_change=on_preset,
            format_func=lambda k: t("pl_custom", L) if k == "custom" else pl.PRESETS[k].short_label(L),
        )
        if ss["pl_preset_value"] in pl.PRESETS:
            chosen = pl.PRESETS[ss["pl_preset_value"]]
            st.caption(f"**{escape_markdown(chosen.label(L))}.** {escape_markdown(chosen.description(L))}")
    usable = pl.available_components(candidates_all)
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
                help=comp.direction(L, n_criteria) if k in usable else t("pl_no_data_weight", L),
                disabled=k not in usable,
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
            kinds=t("pl_kinds_towns" if (area["unit_type"] == "thi-tran").any() else "pl_kinds_wards", L),
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
            if outside in row.index:  # its place too: the same name exists in several districts
                name = pl.with_place(name, row["place"][outside])
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
        args=(list(ss["pl_selected"]), xa_names),
        disabled=not ss["pl_selected"],
        key="pl_add_sel",
    )
    top = [c for c in ranked.loc[ranked["rank"].notna(), "commune_code"]][:5]
    b2.button(
        t("pl_add_top", L, n=len(top)),
        on_click=add_to_shortlist,
        args=(top, xa_names),
        disabled=not top,
        key="pl_add_top",
    )
    b3.button(
        t("pl_clear_selection", L),
        on_click=lambda: ss.update(pl_selected=[]),
        disabled=not ss["pl_selected"],
        key="pl_clear",
    )
