"""Planner tab 4: the summary by district, or by commune group on units without districts —
xã meeting the standard, mean criteria, poverty, and the change since the dataset's first year."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages.common import joined_table
from app_pages.planner_sections.context import PlannerContext
from ntm_geo.datasets import schema
from ntm_geo.i18n import t
from ntm_geo.planning import ranking as pl

ss = st.session_state


def render(ctx: PlannerContext) -> None:
    """Draw the tab (only while it is open; ``ctx.summary_by`` is not None)."""
    L, place, year, first_year, dataset_id = ctx.lang, ctx.place, ctx.year, ctx.first_year, ctx.dataset_id
    summary_by = ctx.summary_by or "district"
    by_group = summary_by == "commune_group"
    summary = pl.district_summary(
        joined_table(dataset_id, year),
        joined_table(dataset_id, first_year) if first_year < year else None,
        by=summary_by,
    )
    st.markdown(f"**{t('pl_group_table' if by_group else 'pl_district_table', L)}**")
    shown_d = pd.DataFrame(
        {
            pl.place_header(place, L): summary["district_name"],
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
    if first_year >= year:  # no earlier year: no comparison columns (all empty)
        shown_d = shown_d.iloc[:, [0, 1, 2, 5, 7]]
    st.dataframe(shown_d, hide_index=True, width="stretch", height=38 + 35 * len(shown_d))
    st.caption(t("pl_poverty_note_plain" if by_group else "pl_poverty_note", L))
    chart_title = (
        t("pl_group_chart" if by_group else "pl_district_chart", L, before=first_year, now=year)
        if first_year < year
        else t("pl_group_one_year" if by_group else "pl_district_one_year", L, now=year)
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
            color=alt.Color("y:N", title=t("pl_year_col", L), scale=alt.Scale(range=["#a6bddb", "#0570b0"])),
            tooltip=[
                alt.Tooltip("d:N", title=pl.place_header(place, L)),
                alt.Tooltip("y:N", title=t("pl_year_col", L)),
                alt.Tooltip("n:Q", title=t("pl_meeting", L)),
            ],
        )
        .properties(height=340)
    )
    st.altair_chart(chart, width="stretch")
