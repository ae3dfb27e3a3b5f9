"""Planner tab 5: progress toward the programme target the dataset's framework is measured on (the
2020 target of Report 48/BC-BCĐ; no tab otherwise) and the scenario of xã reaching the standard."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import candidates, joined_table
from app_pages.planner_sections.context import PlannerContext
from ntm_geo.bilingual import Bilingual
from ntm_geo.i18n import t
from ntm_geo.maps.classify import format_number
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.profile import escape_markdown

ss = st.session_state


def _pick(frame: pd.DataFrame, stem: str, lang: str) -> list[str]:
    """The ``<stem>_vi`` / ``<stem>_en`` column of ``frame`` in ``lang``, row by row."""
    pairs = zip(frame[f"{stem}_vi"], frame[f"{stem}_en"], strict=True)
    return [Bilingual(vi, en).pick(lang) for vi, en in pairs]


def render(ctx: PlannerContext) -> None:
    """Draw the tab (only while it is open; ``ctx.target`` is not None)."""
    L, year, candidates_all, xa_names = ctx.lang, ctx.year, ctx.candidates_all, ctx.xa_names
    dataset_id, info = ctx.dataset_id, ctx.info
    joined_2015 = joined_table(dataset_id, 2015) if 2015 in info.years else None
    joined_2011 = joined_table(dataset_id, 2011) if 2011 in info.years else None
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
        (st.success if (sc.table["difference"] >= 0).all() else st.info)(escape_markdown(sc.explanation(L)))
        st.dataframe(
            pd.DataFrame(
                {
                    t("pl_group", L): _pick(sc.table, "label", L),
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

        def fmt(v: float) -> str:
            return "—" if pd.isna(v) else format_number(v, L, 2)

        m1.metric(t("pl_mean_metric", L, label="2011"), fmt(prog.means["2011"]))
        m2.metric(t("pl_mean_metric", L, label="2015"), fmt(prog.means["2015"]))
        m3.metric(t("pl_mean_metric", L, label=t("pl_series_scenario", L)), fmt(sc.projected_mean))
        m4.metric(t("pl_mean_metric", L, label=t("pl_series_target", L)), fmt(prog.means["2020_target"]))
        series = [("y2011", t("pl_series_2011", L)), ("y2015", t("pl_series_2015", L))]
        frames = [
            pd.DataFrame({"g": _pick(prog.groups, "label", L), "s": name, "n": prog.groups[col]})
            for col, name in series
        ]
        frames.append(
            pd.DataFrame(
                {
                    "g": _pick(sc.table, "label", L),
                    "s": t("pl_series_scenario", L),
                    "n": sc.table["projected"],
                }
            )
        )
        frames.append(
            pd.DataFrame(
                {
                    "g": _pick(prog.groups, "label", L),
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
                    sort=list(_pick(prog.groups, "label", L)),
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
        crit = prog.criteria
        labels_c = [f"{n}. {nm}" for n, nm in zip(crit["number"], _pick(crit, "name", L), strict=True)]
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
                y=alt.Y("c:N", title=None, sort=labels_c, axis=alt.Axis(labelFontSize=13, labelLimit=320)),
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
