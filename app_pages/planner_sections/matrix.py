"""Planner tab 2: the criteria gap matrix of the filtered xã, over the dataset framework's criteria."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.planner_sections.context import PlannerContext
from ntm_geo.i18n import t
from ntm_geo.maps.themes import NO_COLOR, YES_COLOR
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.profile import escape_markdown

ss = st.session_state


def render(ctx: PlannerContext) -> None:
    """Draw the tab (only while it is open)."""
    L, place, ranked, criteria = ctx.lang, ctx.place, ctx.ranked, ctx.criteria
    matrix = pl.gap_matrix(ranked)
    st.caption(t("pl_matrix_caption", L, n=len(matrix)))
    if len(matrix):
        labels = {c.code: str(c.number) for c in criteria}
        keys = list(labels)
        grid = pd.DataFrame(
            {
                pl.column_label("rank", L): list(ranked.loc[ranked["assessed"], "rank"]),
                pl.column_label("name", L): matrix["name"],
            }
        )
        if place != "none":  # the district ("Huyện " dropped for width) or the commune group
            grid[pl.place_header(place, L)] = (
                ranked.loc[ranked["assessed"], "place"].str.replace("Huyện ", "", regex=False).to_numpy()
            )
        grid[pl.column_label("criteria_met", L)] = matrix["criteria_met"]
        for code in keys:
            grid[labels[code]] = ["—" if pd.isna(v) else ("✓" if v else "✗") for v in matrix[code]]
        counts = pl.not_met_counts(matrix)
        footer = {col: None for col in grid.columns}
        footer[pl.column_label("name", L)] = t("pl_not_met_row", L)
        footer.update({labels[c]: str(int(counts[c])) for c in keys})
        grid = pd.concat([grid, pd.DataFrame([footer])], ignore_index=True)

        def colour(value: object) -> str:
            if value == "✓":
                return f"background-color: {YES_COLOR}; color: white; font-weight: bold; text-align: center"
            if value == "✗":
                return f"background-color: {NO_COLOR}; color: black; font-weight: bold; text-align: center"
            return ""

        styled = grid.style.map(colour, subset=[labels[c] for c in keys])
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
