"""The planner's candidate table: one row per unit with what a planner needs to choose among xã,
and the display headers of its columns.

Units: counts are communes (xã); ``poverty_rate_pct`` and the infrastructure indicators are
percent (%); ``population`` is people (2009 census).

Only xã are assessed against the criteria. Phường and thị trấn are kept (group
``not_assessed``) so the interface can show them *as not assessed*, but they are never ranked,
never counted in a group and never "0 criteria".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.datasets import schema
from ntm_geo.i18n import register
from ntm_geo.maps.themes import INFRA_CRITERIA, table_framework
from ntm_geo.planning.groups import STANDARD, group_key, group_label

INFRA_TOTAL = len(INFRA_CRITERIA)  # 8 infrastructure criteria (2–9)
#: The infrastructure indicators of the schema registry (:mod:`ntm_geo.datasets.schema`).
INDICATOR_COLUMNS: tuple[str, ...] = tuple(
    c.key for c in schema.value_columns() if c.theme == "infrastructure"
)


# --------------------------------------------------------------------------- candidate table
def candidate_table(joined: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """One row per unit with what a planner needs to choose among xã.

    Parameters
    ----------
    joined : DataFrame or GeoDataFrame
        A joined table (:func:`ntm_geo.maps.themes.join_dataset`): ``commune_code``, ``name_with_type``,
        ``district_code``, ``district_name``, ``unit_type``, ``assessed``, ``population_2009``,
        ``c01``..``c19``, ``criteria_met``, ``infra_criteria_met`` and the indicators (missing
        indicator columns become NA).
    lang : "vi" or "en" — language of ``group_label`` and ``missing_label``.

    Returns
    -------
    DataFrame (same row order, no geometry) with columns

    ``commune_code``, ``name``, ``district_code``, ``district_name``, ``unit_type``, ``assessed``;
    ``criteria_met`` (Int64, 0–19; NA if not assessed / no data); ``gap`` (Int64, criteria still
    missing = 19 − criteria_met); ``group`` (key of :data:`GROUPS`, or ``not_assessed`` /
    ``no_data``) and ``group_label``; ``missing`` (tuple of criterion numbers not met) and
    ``missing_label`` ("2. Giao thông; 3. Thủy lợi"); ``poverty_rate_pct`` (%); ``population``
    (people, 2009 census); the infrastructure indicators of :data:`INDICATOR_COLUMNS` (% or
    yes/no); ``infra_criteria_met`` (Int64, of criteria 2–9) and ``infra_missing`` (Int64,
    8 − infra_criteria_met); ``especially_difficult`` (boolean); ``c01``..``c19`` (boolean); and
    every other yes/no column of the dataset (usable as a filter flag); ``criteria_total`` (Int64:
    the number of criteria of the table's framework, 19, or 10 under 51/2025 — ``gap`` and
    ``missing`` count that framework's criteria, named after it).
    """
    fw = table_framework(joined)
    if fw is not None:
        names = {c.number: c.label(lang) for c in fw.criteria}
        keys = fw.criterion_keys
    else:
        names = {c.number: c.label(lang) for c in load_criteria()}
        keys = CRITERION_COLUMNS
    total = len(keys)
    n = len(joined)

    def column(name: str, dtype: str) -> pd.Series:
        if name in joined.columns:
            return (
                pd.Series(joined[name].to_numpy(), dtype=dtype)
                if dtype != "boolean"
                else joined[name].astype("boolean").reset_index(drop=True)
            )
        return pd.Series([np.nan if dtype == "float64" else pd.NA] * n, dtype=dtype)  # absent: no data

    assessed = pd.Series(joined["assessed"].to_numpy(dtype=bool))
    met = column("criteria_met", "Int64").where(assessed, pd.NA)
    crit = {c: column(c, "boolean").where(assessed, pd.NA) for c in CRITERION_COLUMNS}
    not_met = pd.DataFrame({c: (crit[c] == False).fillna(False).astype(bool) for c in keys})  # noqa: E712 - elementwise; NA is not "not met"
    missing = [tuple(int(c[1:]) for c in keys if row[c]) for _, row in not_met.iterrows()]
    groups = [group_key(m, a, total) for m, a in zip(met, assessed, strict=True)]
    infra_met = column("infra_criteria_met", "Int64").where(assessed, pd.NA)
    out = pd.DataFrame(
        {
            "commune_code": joined["commune_code"].astype(str).to_numpy(),
            "name": joined["name_with_type"].astype(str).to_numpy(),
            "district_code": joined["district_code"].astype(str).to_numpy(),
            "district_name": joined["district_name"].astype(str).to_numpy(),
            "unit_type": joined["unit_type"].astype(str).to_numpy() if "unit_type" in joined.columns else "",
            "assessed": assessed,
            "criteria_met": met,
            "gap": (total - met).astype("Int64"),
            "group": groups,
            "group_label": [group_label(g, lang) for g in groups],
            "missing": missing,
            "missing_label": ["; ".join(names[k] for k in m) for m in missing],
            "poverty_rate_pct": column("poverty_rate_pct", "float64"),
            "population": column("population_2009", "Int64"),
        }
    )
    for name in INDICATOR_COLUMNS:
        out[name] = column(name, schema.column(name).dtype)
    out["infra_criteria_met"] = infra_met
    out["infra_missing"] = (INFRA_TOTAL - infra_met).astype("Int64")
    out["especially_difficult"] = column("especially_difficult", "boolean")
    for c in CRITERION_COLUMNS:
        out[c] = crit[c]
    out["criteria_total"] = pd.array([total] * n, dtype="Int64")
    for name in joined.columns:  # any other yes/no column of the dataset
        if name not in out.columns and name != "assessed" and isinstance(joined[name].dtype, pd.BooleanDtype):
            out[name] = joined[name].astype("boolean").reset_index(drop=True)
    return out


def flag_columns(table: pd.DataFrame) -> tuple[str, ...]:
    """The yes/no columns of a candidate table usable as filter flags (not the 19 criteria)."""
    return tuple(
        c
        for c in table.columns
        if c not in CRITERION_COLUMNS and c != "assessed" and isinstance(table[c].dtype, pd.BooleanDtype)
    )


def criteria_total(table: pd.DataFrame) -> int:
    """The number of criteria of a candidate table's framework (``criteria_total``; 19 when absent)."""
    if "criteria_total" in table.columns and len(table) and pd.notna(table["criteria_total"].iloc[0]):
        return int(table["criteria_total"].iloc[0])
    return STANDARD


# --------------------------------------------------------------------------- labels
_COLUMNS: dict[str, tuple[str, str]] = {
    "rank": ("Hạng", "Rank"),
    "score": ("Điểm ưu tiên", "Priority score"),
    "commune_code": ("Mã xã", "Code"),
    "name": ("Xã", "Commune"),
    "district_name": ("Huyện", "District"),
    "criteria_met": ("Số tiêu chí đạt", "Criteria met"),
    "gap": ("Còn thiếu", "Missing"),
    "group_label": ("Nhóm", "Group"),
    "missing_label": ("Các tiêu chí chưa đạt", "Criteria not met"),
    "population": ("Dân số 2009", "Population 2009"),
    "infra_criteria_met": ("Tiêu chí hạ tầng đạt (/8)", "Infrastructure criteria met (/8)"),
    "infra_missing": ("Tiêu chí hạ tầng thiếu", "Infrastructure criteria missing"),
    "shortlisted": ("Rút gọn", "Shortlisted"),
} | {c.key: (c.header.vi, c.header.en) for c in schema.value_columns()}


def column_label(column: str, lang: str = "vi") -> str:
    """Display header of a candidate-table column; a column without a label keeps its name."""
    pair = _COLUMNS.get(column)
    if pair is None:
        return column
    return Bilingual(*pair).pick(lang)


register({f"pl_col_{k}": v for k, v in _COLUMNS.items()})
