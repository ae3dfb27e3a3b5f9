"""The map page on the 2025 units (``units=2025``): the parts that differ from the 2015 view.

The map itself is the page's own (same pipeline, other boundaries and the carried table, see
:func:`app_pages.common.joined_table`); this module holds the texts, the vintage choice and
what is shown below the map on the 2025 units: the unit's carried values with their former
units, the carried table and its CSV. Every value here is derived from the 2015 units
(:mod:`ntm_geo.datasets.carry`) and says so.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.common import lang_keyed
from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets.carry import CARRY_RULES, carry_note
from ntm_geo.geo.vintages import VINTAGES
from ntm_geo.i18n import register, t
from ntm_geo.planning.profile import escape_markdown

register(
    {
        "units": ("Đơn vị hành chính", "Administrative units"),
        "units_2015": ("2015 (226 xã)", "2015 (226 units)"),
        "units_2025": ("2025 (65 xã, phường)", "2025 (65 units)"),
        "units_no_districts": (
            "Từ 01/7/2025 không còn cấp huyện (Nghị quyết 1672/NQ-UBTVQH15).",
            "No district level since 1 July 2025 (Resolution 1672/NQ-UBTVQH15).",
        ),
        "units_no_criteria": (
            "Trên đơn vị 2025, tiêu chí được ghi là 'k trên n xã cũ đạt' (xem bảng bên dưới bản đồ), "
            "không thành số tiêu chí.",
            "On the 2025 units criteria are shown as 'k of n former communes met' (see the table below "
            "the map), never as a criterion count.",
        ),
        "units_derived_source": ("số liệu suy ra từ đơn vị 2015", "derived from the 2015 units"),
        "units_derived_note": (
            "Số liệu suy ra từ 226 đơn vị 2015 (chồng lớp diện tích; tỷ lệ gia quyền dân số 2009).",
            "Values derived from the 226 units of 2015 (area overlay; rates weighted by 2009 population).",
        ),
        "units_former_districts": (
            "Ranh giới huyện cũ (2015), theo cạnh đơn vị 2025",
            "Former district outlines (2015), along the 2025 unit edges",
        ),
        "units_unit": ("Đơn vị 2025", "2025 unit"),
        "units_sources": ("Gồm các đơn vị cũ", "Made of the former units"),
        "units_split_flag": (
            "Có đơn vị cũ bị chia: giá trị của nó được chia theo tỷ lệ diện tích (không có số liệu dân "
            "số chi tiết hơn).",
            "A former unit was split: its values are apportioned by area share (no finer population "
            "data exists).",
        ),
        "units_criterion": ("Tiêu chí", "Criterion"),
        "units_source_2025": (
            "Ranh giới 65 đơn vị từ 01/7/2025 (Nghị quyết 1672/NQ-UBTVQH15): vietnamese-provinces-database "
            "(thanglequoc, giấy phép MIT), bản cd58063; số liệu chuyển từ đơn vị 2015 (censusVN2009, chồng "
            "lớp diện tích, gia quyền dân số 2009).",
            "Boundaries of the 65 units from 1 July 2025 (Resolution 1672/NQ-UBTVQH15): "
            "vietnamese-provinces-database (thanglequoc, MIT licence) @cd58063; data carried from the 2015 "
            "units (censusVN2009, area overlay, 2009 population weights).",
        ),
        "units_native": (
            "bộ dữ liệu theo đơn vị 2025 (số liệu của chính nó, không suy ra)",
            "a dataset keyed by the 2025 units (its own values, not derived)",
        ),
        "units_source_2025_native": (
            "Ranh giới 65 đơn vị từ 01/7/2025 (Nghị quyết 1672/NQ-UBTVQH15): vietnamese-provinces-database "
            "(thanglequoc, giấy phép MIT), bản cd58063; số liệu của bộ dữ liệu theo đơn vị 2025.",
            "Boundaries of the 65 units from 1 July 2025 (Resolution 1672/NQ-UBTVQH15): "
            "vietnamese-provinces-database (thanglequoc, MIT licence) @cd58063; data of a dataset keyed by "
            "the 2025 units.",
        ),
        "units_native_no_profile": (
            "Bộ dữ liệu này theo đơn vị 2025: bấm vào một đơn vị để xem hồ sơ; tệp xuất vẽ trên 65 đơn vị. "
            "Đối chiếu Báo cáo 48/BC-BCĐ dùng đơn vị 2015.",
            "This dataset is on the 2025 units: click a unit for its profile; exports are drawn on the 65 "
            "units. The report check uses the 2015 units.",
        ),
        "units_met": ("{k}/{n} xã cũ đạt", "{k} of {n} former communes met"),
        "units_standard": ("Đạt chuẩn NTM", "Met the NTM standard"),
        "units_table": ("Bảng số liệu trên đơn vị 2025 (suy ra)", "Table on the 2025 units (derived)"),
        "units_no_report": (
            "Đối chiếu Báo cáo 48/BC-BCĐ dùng đơn vị 2015; chọn '2015' để dùng.",
            "The report check uses the 2015 units; choose '2015' for it.",
        ),
    }
)

OPTIONS = list(VINTAGES)


def label(units: str, lang: str) -> str:
    """Option label of a vintage ("2025 (65 xã, phường)")."""
    return t(f"units_{units}", lang)


def _former_names() -> dict[str, str]:
    from ntm_geo.geo.units import official_units

    return dict(zip(official_units()["commune_code"], official_units()["name_with_type"], strict=True))


def _criteria_frame(row: pd.Series, lang: str) -> pd.DataFrame:
    from ntm_geo.criteria.framework import load_criteria

    rows = []
    for c in load_criteria():
        key = f"c{c.number:02d}"
        k, n = row.get(f"{key}_met"), row.get(f"{key}_of")
        if pd.isna(n) or int(n) == 0:
            continue
        rows.append(
            {
                "#": c.number,
                t("units_criterion", lang): Bilingual.of(c, "name").pick(lang),
                "k/n": t("units_met", lang, k=int(k), n=int(n)),
            }
        )
    return pd.DataFrame(rows)


def details(
    table: pd.DataFrame, selected: str | None, lang: str, csv: bytes, file_name: str, note: str
) -> None:
    """Below the map on the 2025 units: the chosen unit's carried values, the table and its CSV."""
    st.caption(t("units_no_report", lang))
    names = dict(zip(table["commune_code"], table["name_with_type"], strict=True))
    options = ["", *sorted(names, key=lambda c: names[c])]
    if st.session_state.get("pick2025") not in options:  # kept across a language switch (one key)
        st.session_state["pick2025"] = selected if selected in options else ""
    pick = st.selectbox(
        t("units_unit", lang), options, format_func=lambda c: names.get(c, "—"), **lang_keyed("pick2025", "")
    )
    if pick:
        row = table.loc[table["commune_code"] == pick].iloc[0]
        former = _former_names()
        sources = [former.get(c, c) for c in str(row["sources"]).split(";") if c]
        st.markdown(f"**{escape_markdown(names[pick])}** ({pick})")
        st.caption(note)
        st.markdown(f"{t('units_sources', lang)}: {escape_markdown(', '.join(sources))}")
        if bool(row.get("apportioned")):
            st.info(t("units_split_flag", lang))
        if not pd.isna(row.get("ntm_standard_of")) and int(row["ntm_standard_of"]) > 0:
            met = t("units_met", lang, k=int(row["ntm_standard_met"]), n=int(row["ntm_standard_of"]))
            st.markdown(f"**{t('units_standard', lang)}: {met}**")
        frame = _criteria_frame(row, lang)
        if len(frame):
            st.dataframe(frame, hide_index=True, width="stretch")
    if st.toggle(t("units_table", lang), key="show_table_2025"):
        st.caption(note)
        st.caption(carry_note(lang))
        rule = CARRY_RULES["indicator"]
        st.caption(Bilingual.of(rule, "rule").pick(lang))
        shown = table.drop(columns=[c for c in ("geometry", "district_code", "district_name") if c in table])
        st.dataframe(pd.DataFrame(shown), hide_index=True, width="stretch", placeholder="")
        st.download_button(t("download_csv", lang), data=csv, file_name=file_name, mime="text/csv")
