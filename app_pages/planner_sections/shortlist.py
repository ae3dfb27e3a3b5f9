"""Planner tab 3: the shortlist (kept in the link), its comparison, a note per commune, and the
decision sheet (Excel) and map (PNG) exports."""

from __future__ import annotations

import streamlit as st

from app_pages.common import boundaries, unit_boundaries
from app_pages.planner_sections.context import PlannerContext
from ntm_geo.i18n import t
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.decision_sheet import decision_sheet_xlsx, shortlist_map_png
from ntm_geo.planning.profile import escape_markdown

ss = st.session_state


def on_shortlist_edit() -> None:
    ss["pl_shortlist_codes"] = list(ss.get("pl_shortlist_widget", []))


def on_note(code: str) -> None:
    ss["pl_notes"] = {**ss["pl_notes"], code: ss.get(f"pl_note_{code}", "")}


def render(ctx: PlannerContext) -> None:
    """Draw the tab (only while it is open)."""
    L, candidates_all, xa_names = ctx.lang, ctx.candidates_all, ctx.xa_names
    dataset_id, year, units, info = ctx.dataset_id, ctx.year, ctx.units, ctx.info
    source_label, target = ctx.source_label, ctx.target
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
        png_note = info.note.pick(L) if info.illustrative else ""

        @st.cache_data(show_spinner=False, max_entries=16)
        def _png(dataset: str, yr: int, shortlist: tuple[str, ...], title: str, note: str, lg: str) -> bytes:
            b = unit_boundaries(units) if units == "2025" else boundaries()
            return shortlist_map_png(
                b.communes_web, b.districts_web, shortlist, title=title, note=note, lang=lg
            )

        png = _png(dataset_id, year, tuple(codes), png_title, png_note, L)
        xlsx = decision_sheet_xlsx(
            rows, notes, info, png, L, year=year, with_target=target is not None, units=units
        )
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
