"""The planner's candidate table: one row per unit with what a planner needs to choose among xã,
and the display headers of its columns.

Units: counts are communes (xã); ``poverty_rate_pct`` and the infrastructure indicators are
percent (%); ``population`` is people (2009 census).

Only xã are assessed against the criteria. Phường and thị trấn are kept (group
``not_assessed``) so the interface can show them *as not assessed*, but they are never ranked,
never counted in a group and never "0 criteria".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.criteria.frameworks import Framework
from ntm_geo.criteria.frameworks import framework as framework_by_id
from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError
from ntm_geo.i18n import register
from ntm_geo.maps.themes import INFRA_CRITERIA
from ntm_geo.planning.groups import STANDARD, group_key, group_label

INFRA_TOTAL = len(INFRA_CRITERIA)  # 8 infrastructure criteria (2–9)
#: The infrastructure indicators of the schema registry (:mod:`ntm_geo.datasets.schema`).
INDICATOR_COLUMNS: tuple[str, ...] = tuple(
    c.key for c in schema.value_columns() if c.theme == "infrastructure"
)


# --------------------------------------------------------------------------- the table's framework and places
class CriterionLike(Protocol):
    """A criterion of a table's framework: :class:`ntm_geo.criteria.frameworks.Criterion`, or the
    19-criteria catalogue's :class:`ntm_geo.criteria.framework.Criterion` for a table without one."""

    @property
    def number(self) -> int: ...

    @property
    def code(self) -> str: ...

    def label(self, lang: str = "vi") -> str: ...


#: What names the place of a unit beside its name: its district (2011–2025 units), its commune
#: group (xã nhóm 1/2/3 of Decision 51/2025, when the table gives it), the former district it
#: lies in, labelled as former (:func:`with_former_districts`), or nothing (the 2025 units have
#: no district level).
PLACE_KINDS: tuple[str, ...] = ("district", "commune_group", "former_district", "none")
_PLACE_HEADERS: dict[str, Bilingual] = {
    "district": Bilingual("Huyện", "District"),
    "commune_group": Bilingual("Nhóm xã", "Commune group"),
    "former_district": Bilingual("Huyện cũ (trước 1/7/2025)", "Former district (before 1 July 2025)"),
    "none": Bilingual("", ""),
}
_FORMER = Bilingual("{name} cũ", "former {name}")


def table_framework_of(table: pd.DataFrame) -> Framework | None:
    """The framework a joined or candidate table declares in ``framework_id`` (None when it has none)."""
    if "framework_id" not in table.columns or not len(table):
        return None
    ids = [str(v) for v in pd.unique(table["framework_id"].dropna()) if str(v)]
    return framework_by_id(ids[0]) if ids else None


def criteria_of(table: pd.DataFrame) -> tuple[CriterionLike, ...]:
    """The criteria a joined or candidate table is assessed against, in number order: those of its
    ``framework_id`` (51/2025: 10), else the 19 criteria of 491/342 (``data/criteria.csv``)."""
    fw = table_framework_of(table)
    return tuple(fw.criteria) if fw is not None else tuple(load_criteria())


def place_kind(table: pd.DataFrame) -> str:
    """What names a unit's place in ``table`` (a candidate table): ``"district"`` when any unit has a
    district name, else ``"commune_group"`` when any unit has a commune group, else ``"none"``."""
    if "district_name" in table.columns and (table["district_name"].fillna("").astype(str) != "").any():
        return "district"
    if "commune_group" in table.columns and table["commune_group"].notna().any():
        return "commune_group"
    if "former_district" in table.columns and (table["former_district"].fillna("").astype(str) != "").any():
        return "former_district"
    return "none"


def with_former_districts(table: pd.DataFrame, former: Mapping[str, str], lang: str = "vi") -> pd.DataFrame:
    """A copy of a candidate table of units without district or commune group (``place_kind`` =
    ``"none"``, the 2025 units) whose ``place`` names the former district each unit mostly lies
    in, labelled as former ("Huyện Đình Lập cũ" / "former Huyện Đình Lập"), and a
    ``former_district`` column (the plain name). ``former``: commune code -> former district name
    (:func:`ntm_geo.geo.crosswalk.former_districts_2025`, by area share). Any other table is
    returned unchanged (a district or commune group is the unit's own place)."""
    if place_kind(table) != "none":
        return table
    names = [str(former.get(str(code), "")) for code in table["commune_code"]]
    return table.assign(
        former_district=names,
        place=[_FORMER.format(name=n).pick(lang) if n else "" for n in names],
    )


def place_header(kind: str, lang: str = "vi") -> str:
    """Header of the ``place`` column for a :func:`place_kind` ("Huyện", "Nhóm xã", or "")."""
    if kind not in _PLACE_HEADERS:
        raise ConfigError(
            f"Unknown place kind {kind!r}; allowed: {', '.join(PLACE_KINDS)}.",
            f"Loại địa bàn không hợp lệ {kind!r}; các giá trị hợp lệ: {', '.join(PLACE_KINDS)}.",
        )
    return _PLACE_HEADERS[kind].pick(lang)


def has_data(table: pd.DataFrame, column: str) -> bool:
    """Whether ``table`` has ``column`` with at least one value (a column the dataset does not
    give is all NA after the join: the planner leaves it out rather than show an empty column)."""
    return column in table.columns and bool(table[column].notna().any())


def with_place(name: str, place: object) -> str:
    """ "Xã Tân Tiến (Huyện Đình Lập)", or the name alone when the unit has no place ("")."""
    text = "" if place is None or pd.isna(place) else str(place)
    return f"{name} ({text})" if text else name


def _group_names(fw: Framework | None, lang: str) -> dict[int, str]:
    """Commune group number -> its name under ``fw`` ("Xã nhóm 3"); the number alone otherwise."""
    names = {}
    if fw is not None and fw.area_kind == "commune_group":
        for area in fw.areas:
            if area.key[1:].isdigit():
                names[int(area.key[1:])] = Bilingual(area.name_vi, area.name_en).pick(lang)
    return names


# --------------------------------------------------------------------------- candidate table
def candidate_table(joined: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """One row per unit with what a planner needs to choose among xã.

    Parameters
    ----------
    joined : DataFrame or GeoDataFrame
        A joined table (:func:`ntm_geo.maps.themes.join_dataset`): ``commune_code``, ``name_with_type``,
        ``district_code``, ``district_name`` ("" on the 2025 units), ``unit_type``, ``assessed``,
        ``population_2009``, ``c01``..``c19``, ``criteria_met``, ``infra_criteria_met``,
        ``framework_id``, the indicators and, when the table gives it, ``commune_group`` (1–3,
        Decision 51/2025); absent columns become NA.
    lang : "vi" or "en" — language of ``group_label``, ``missing_label`` and ``place``.

    Returns
    -------
    DataFrame (same row order, no geometry) with columns

    ``commune_code``, ``name``, ``district_code``, ``district_name``, ``unit_type``, ``assessed``;
    ``commune_group`` (Int64, NA when not given) and ``place`` (the district name, else the
    commune group's name "Xã nhóm 3", else ""; see :func:`place_kind`); ``criteria_met`` (Int64,
    0–N; NA if not assessed / no data); ``gap`` (Int64, criteria still missing = N −
    criteria_met); ``group`` (a key of :func:`ntm_geo.planning.groups.group_keys`, or
    ``not_assessed`` / ``no_data``) and ``group_label``; ``missing`` (tuple of criterion numbers
    not met) and ``missing_label`` ("2. Giao thông; 3. Thủy lợi"); ``poverty_rate_pct`` (%);
    ``population`` (people, 2009 census); the infrastructure indicators of
    :data:`INDICATOR_COLUMNS` (% or yes/no); ``infra_criteria_met`` (Int64, of criteria 2–9) and
    ``infra_missing`` (Int64, 8 − infra_criteria_met; NA under a framework without that block);
    ``especially_difficult`` (boolean); ``c01``..``c19`` (boolean); every other yes/no column of
    the dataset (usable as a filter flag); ``criteria_total`` (Int64: N, the number of criteria
    of the table's framework — 19, or 10 under 51/2025; ``gap`` and ``missing`` count that
    framework's criteria, named after it) and ``framework_id`` (str, "" when none).
    """
    fw = table_framework_of(joined)
    criteria = criteria_of(joined)
    names = {c.number: c.label(lang) for c in criteria}
    keys = tuple(c.code for c in criteria)
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
    # the not-assessed units' kinds name their group: "(phường)" on the 2025 units (no thị trấn)
    kinds = joined["unit_type"].to_numpy()[~assessed.to_numpy()] if "unit_type" in joined.columns else None
    infra_met = column("infra_criteria_met", "Int64").where(assessed, pd.NA)
    district_name = joined["district_name"].fillna("").astype(str).to_numpy()
    commune_group = column("commune_group", "Int64")
    group_names = _group_names(fw, lang)
    place = [
        d if d else ("" if pd.isna(g) else group_names.get(int(g), str(int(g))))
        for d, g in zip(district_name, commune_group, strict=True)
    ]
    out = pd.DataFrame(
        {
            "commune_code": joined["commune_code"].astype(str).to_numpy(),
            "name": joined["name_with_type"].astype(str).to_numpy(),
            "district_code": joined["district_code"].fillna("").astype(str).to_numpy(),
            "district_name": district_name,
            "unit_type": joined["unit_type"].astype(str).to_numpy() if "unit_type" in joined.columns else "",
            "assessed": assessed,
            "commune_group": commune_group,
            "place": place,
            "criteria_met": met,
            "gap": (total - met).astype("Int64"),
            "group": groups,
            "group_label": [group_label(g, lang, unit_types=kinds) for g in groups],
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
    out["framework_id"] = fw.id if fw is not None else ""
    for name in joined.columns:  # any other yes/no column of the dataset
        if name not in out.columns and name != "assessed" and isinstance(joined[name].dtype, pd.BooleanDtype):
            out[name] = joined[name].astype("boolean").reset_index(drop=True)
    return out


def flag_columns(table: pd.DataFrame) -> tuple[str, ...]:
    """The yes/no columns of a candidate table usable as filter flags (not the criteria), those
    with at least one value (a flag the dataset does not give cannot filter anything)."""
    return tuple(
        c
        for c in table.columns
        if c not in CRITERION_COLUMNS
        and c != "assessed"
        and isinstance(table[c].dtype, pd.BooleanDtype)
        and has_data(table, c)
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
    "commune_group": ("Nhóm xã", "Commune group"),
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
