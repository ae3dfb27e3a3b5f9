"""Planner tools: choosing pilot communes and tracking progress toward the 2020 targets.

Pure functions of joined tables (:func:`ntm_geo.maps.themes.join_dataset`); no Streamlit. The page
``app_pages/planner.py`` only turns widgets into calls of this module and displays the values.

Source of the targets: Report 48/BC-BCĐ (Lạng Sơn, 5 May 2016), "Mục tiêu đến năm 2020": 72 xã
with 19 criteria, 8 with 15–18, 37 with 10–14, 90 with 5–9, none below 5; 11.8 criteria per xã on
average; and "Ban Chỉ đạo tỉnh lựa chọn 05 xã [đặc biệt khó khăn] để chỉ đạo điểm … phấn đấu đạt
chuẩn trong giai đoạn 2016–2018".

Units: counts are communes (xã); ``poverty_rate_pct`` and the infrastructure indicators are
percent (%); ``population`` is people (2009 census); ``score`` is points on 0–100.

Only xã are assessed against the 19 criteria. Phường and thị trấn are kept in
:func:`candidate_table` (group ``not_assessed``) so the interface can show them *as not assessed*,
but they are never ranked, never counted in a group and never "0 criteria".

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"criteria_met": [19, 12, 3]})
>>> [group_key(v, True) for v in t["criteria_met"]]
['19', '10-14', '<5']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.criteria.reference import Distribution, load_reference
from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError
from ntm_geo.i18n import register
from ntm_geo.maps.classify import format_number
from ntm_geo.maps.themes import INFRA_CRITERIA, table_framework

if TYPE_CHECKING:  # folium and geopandas are imported where the map layer is built
    import folium
    import geopandas as gpd

STANDARD = 19  # criteria: a xã meeting all 19 "đạt chuẩn nông thôn mới"
INFRA_TOTAL = len(INFRA_CRITERIA)  # 8 infrastructure criteria (2–9)
#: The infrastructure indicators of the schema registry (:mod:`ntm_geo.datasets.schema`).
INDICATOR_COLUMNS: tuple[str, ...] = tuple(
    c.key for c in schema.value_columns() if c.theme == "infrastructure"
)
NOT_ASSESSED_GROUP = "not_assessed"
NO_DATA_GROUP = "no_data"
#: Groups of a table under a framework other than the 19 criteria (the report's five groups count
#: 19 criteria): meets all of its criteria, or not yet (issue 13).
ALL_MET_GROUP = "all_met"
NOT_ALL_MET_GROUP = "not_all_met"


# --------------------------------------------------------------------------- groups of the report
@dataclass(frozen=True)
class GroupBand:
    """A group of the report: xã meeting ``low..high`` criteria (inclusive)."""

    key: str
    low: int
    high: int
    label_vi: str
    label_en: str

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)


#: The report's five groups, in its order (nhóm 1 … nhóm 5); keys match ``report_48_2016_lang_son.yaml``.
GROUP_BANDS: tuple[GroupBand, ...] = (
    GroupBand("19", 19, 19, "Nhóm 1: 19 tiêu chí (đạt chuẩn)", "Group 1: 19 criteria (meets the standard)"),
    GroupBand("15-18", 15, 18, "Nhóm 2: 15–18 tiêu chí", "Group 2: 15–18 criteria"),
    GroupBand("10-14", 10, 14, "Nhóm 3: 10–14 tiêu chí", "Group 3: 10–14 criteria"),
    GroupBand("5-9", 5, 9, "Nhóm 4: 5–9 tiêu chí", "Group 4: 5–9 criteria"),
    GroupBand("<5", 0, 4, "Nhóm 5: dưới 5 tiêu chí", "Group 5: under 5 criteria"),
)
GROUPS: dict[str, GroupBand] = {g.key: g for g in GROUP_BANDS}
_SPECIAL_GROUPS = {
    NOT_ASSESSED_GROUP: ("Không đánh giá (phường, thị trấn)", "Not assessed (ward, township)"),
    NO_DATA_GROUP: ("Không có dữ liệu", "No data"),
    ALL_MET_GROUP: ("Đạt đủ các tiêu chí (đạt chuẩn)", "All criteria met (meets the standard)"),
    NOT_ALL_MET_GROUP: ("Chưa đạt đủ các tiêu chí", "Not all criteria met"),
}


def group_key(criteria_met: float | None, assessed: bool = True, total: int = STANDARD) -> str:
    """The report group of a unit: ``"19"``, ``"15-18"``, ``"10-14"``, ``"5-9"``, ``"<5"``,
    ``"not_assessed"`` (phường, thị trấn) or ``"no_data"`` (xã without a count: None, NaN or NA). Under a
    framework of ``total`` ≠ 19 criteria (51/2025: 10) the report's groups do not apply: the
    group is ``"all_met"`` or ``"not_all_met"``."""
    if not assessed:
        return NOT_ASSESSED_GROUP
    if criteria_met is None or pd.isna(criteria_met):
        return NO_DATA_GROUP
    n = int(criteria_met)
    if total != STANDARD and 0 <= n <= total:
        return ALL_MET_GROUP if n == total else NOT_ALL_MET_GROUP
    for band in GROUP_BANDS:
        if band.low <= n <= band.high:
            return band.key
    raise ConfigError(
        f"criteria_met = {criteria_met!r} is outside 0–19; fix the dataset (criteria_met counts c01..c19).",
        f"criteria_met = {criteria_met!r} nằm ngoài 0–19; hãy sửa bộ dữ liệu (criteria_met là số tiêu chí c01..c19 đạt).",
    )


def group_label(key: str, lang: str = "vi") -> str:
    """Human label of a group key (see :func:`group_key`); unknown keys raise :class:`ConfigError`."""
    if key in GROUPS:
        return GROUPS[key].label(lang)
    if key in _SPECIAL_GROUPS:
        return Bilingual(*_SPECIAL_GROUPS[key]).pick(lang)
    allowed = ", ".join([*GROUPS, *_SPECIAL_GROUPS])
    raise ConfigError(
        f"Unknown group {key!r}; allowed: {allowed}.",
        f"Nhóm không hợp lệ {key!r}; các nhóm hợp lệ: {allowed}.",
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


# --------------------------------------------------------------------------- filters
@dataclass(frozen=True)
class Filters:
    """What the planner narrows the candidates to. Empty / ``False`` / ``None`` = no filter.

    ``districts``: district codes (3 digits); ``groups``: group keys (:data:`GROUPS`, or
    ``not_assessed``); ``not_meeting_standard``: only xã with fewer than 19 criteria;
    ``criterion_not_met``: a criterion number 1–19 the xã must *not* meet; ``flags``: yes/no
    column names that must be yes — prefix ``!`` for "must be no" (``"!car_access_all_season"``).
    """

    districts: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    not_meeting_standard: bool = False
    criterion_not_met: int | None = None
    flags: tuple[str, ...] = ()


def apply_filters(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of a :func:`candidate_table` that pass every filter (row order kept).

    Raises
    ------
    ConfigError
        Unknown group key, criterion number outside 1–19, or a flag that is not a yes/no column
        of the table (the message lists the allowed values).
    """
    keep = pd.Series(True, index=table.index)
    if filters.districts:
        keep &= table["district_code"].isin(filters.districts)
    if filters.groups:
        allowed = [*GROUPS, NOT_ASSESSED_GROUP, NO_DATA_GROUP, ALL_MET_GROUP, NOT_ALL_MET_GROUP]
        bad = [g for g in filters.groups if g not in allowed]
        if bad:
            raise ConfigError(
                f"Unknown group filter {bad[0]!r}; allowed: {', '.join(allowed)}.",
                f"Bộ lọc nhóm không hợp lệ {bad[0]!r}; các giá trị hợp lệ: {', '.join(allowed)}.",
            )
        keep &= table["group"].isin(filters.groups)
    if filters.not_meeting_standard:
        keep &= table["assessed"] & (table["criteria_met"] < _total(table)).fillna(False).astype(bool)
    if filters.criterion_not_met is not None:
        number = filters.criterion_not_met
        top = _total(table)
        if not isinstance(number, (int, np.integer)) or not 1 <= int(number) <= top:
            raise ConfigError(
                f"criterion_not_met = {number!r}; use a criterion number 1–{top} or None.",
                f"criterion_not_met = {number!r}; hãy dùng số tiêu chí 1–{top} hoặc None.",
            )
        col = CRITERION_COLUMNS[int(number) - 1]
        keep &= (table[col] == False).fillna(False).astype(bool)  # noqa: E712 - NA (no data) is not "not met"
    allowed_flags = flag_columns(table)
    for flag in filters.flags:
        name, wanted = (flag[1:], False) if flag.startswith("!") else (flag, True)
        if name not in allowed_flags:
            raise ConfigError(
                f"Flag {flag!r} is not a yes/no column of the dataset; allowed: {', '.join(allowed_flags)} "
                f"(prefix '!' for 'no').",
                f"Cờ lọc {flag!r} không phải cột có/không của bộ dữ liệu; các cột hợp lệ: {', '.join(allowed_flags)} "
                f"(thêm '!' ở đầu để lọc 'không').",
            )
        keep &= (table[name] == wanted).fillna(False).astype(bool)
    return table.loc[keep]


# --------------------------------------------------------------------------- ranking
@dataclass(frozen=True)
class Component:
    """One ranking component: the raw value it is computed from and its direction."""

    key: str
    label_vi: str
    label_en: str
    direction_vi: str
    direction_en: str

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)


#: The four components of the priority score, in the order of :class:`RankingWeights`.
COMPONENTS: dict[str, Component] = {
    c.key: c
    for c in (
        Component(
            "closeness",
            "gần chuẩn",
            "closeness to the standard",
            "1 − số tiêu chí còn thiếu/19: càng ít tiêu chí thiếu càng được ưu tiên",
            "1 − criteria missing/19: the fewer criteria missing, the higher",
        ),
        Component(
            "poverty",
            "tỷ lệ hộ nghèo",
            "poverty rate",
            "tỷ lệ hộ nghèo càng cao càng được ưu tiên, vì nhu cầu lớn hơn",
            "the higher the poverty rate, the higher, as the need is greater",
        ),
        Component(
            "population",
            "dân số được hưởng lợi",
            "population served",
            "dân số năm 2009 càng đông càng được ưu tiên",
            "the more people in 2009, the higher",
        ),
        Component(
            "missing_infrastructure",
            "thiếu hạ tầng",
            "missing infrastructure",
            "càng thiếu nhiều tiêu chí hạ tầng 2–9 càng được ưu tiên",
            "the more infrastructure criteria 2–9 not met, the higher",
        ),
    )
}


@dataclass(frozen=True)
class RankingWeights:
    """Relative weights (any non-negative numbers; only their proportions matter)."""

    closeness: float = 1.0
    poverty: float = 0.0
    population: float = 0.0
    missing_infrastructure: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: float(getattr(self, k)) for k in COMPONENTS}

    def shares(self) -> dict[str, float]:
        """Each weight as a share of their sum (0–1); all zero when every weight is zero."""
        w = self.as_dict()
        total = sum(w.values())
        return {k: (v / total if total else 0.0) for k, v in w.items()}


@dataclass(frozen=True)
class Preset:
    """A ready-made ranking for one of the report's strategy groups: weights and the filters it
    implies (both presets look only at xã not yet meeting the standard)."""

    key: str
    label_vi: str
    label_en: str
    description_vi: str
    description_en: str
    weights: RankingWeights
    filters: Filters = Filters()

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)

    def description(self, lang: str = "vi") -> str:
        return Bilingual(self.description_vi, self.description_en).pick(lang)


#: Presets for the report's strategy groups (section 9 of "Nhiệm vụ và giải pháp 2016–2020").
PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "near_standard",
            "Nhóm xã phấn đấu đạt chuẩn (gần chuẩn)",
            "Communes striving for the standard (near it)",
            "Ưu tiên xã còn thiếu ít tiêu chí nhất, rồi xã đông dân: đạt chuẩn nhanh, nhiều người hưởng lợi.",
            "Favours the xã with the fewest criteria missing, then the most populous: quick to reach the "
            "standard, many people served.",
            RankingWeights(closeness=4, poverty=0, population=1, missing_infrastructure=0),
            Filters(not_meeting_standard=True),
        ),
        Preset(
            "especially_difficult",
            "Xã đặc biệt khó khăn (chọn 5 xã chỉ đạo điểm)",
            "Especially difficult communes (choose 5 pilots)",
            "Chỉ xét xã đặc biệt khó khăn; ưu tiên xã nghèo, thiếu hạ tầng, nhưng vẫn tính mức gần chuẩn vì "
            "5 xã điểm phải đạt chuẩn trong 2016–2018.",
            "Only especially difficult xã; favours poor communes lacking infrastructure, but still counts "
            "closeness since the 5 pilots must reach the standard in 2016–2018.",
            RankingWeights(closeness=2, poverty=2, population=0, missing_infrastructure=1),
            Filters(not_meeting_standard=True, flags=("especially_difficult",)),
        ),
    )
}


def preset(key: str) -> Preset:
    """Look a preset up; raises :class:`ConfigError` listing the allowed keys."""
    if key not in PRESETS:
        allowed = ", ".join(PRESETS)
        raise ConfigError(
            f"Unknown ranking preset {key!r}; allowed: {allowed}.",
            f"Mẫu xếp hạng không hợp lệ {key!r}; các mẫu hợp lệ: {allowed}.",
        )
    return PRESETS[key]


@dataclass(frozen=True)
class RankingResult:
    """A ranked candidate table and the explanation of the ranking.

    ``table``: the ranked xã first (by ``rank`` 1..n), then the units that cannot be ranked
    (not assessed, no data) with NA ``score`` and ``rank``. Added columns: ``score`` (points,
    0–100), ``rank`` (Int64), and one ``n_<component>`` column per component (0–1 after min–max
    normalisation) and ``p_<component>`` (its contribution to the score, points).
    """

    table: pd.DataFrame
    explanation_vi: str
    explanation_en: str
    weights: RankingWeights = field(default_factory=RankingWeights)

    def explanation(self, lang: str = "vi") -> str:
        return Bilingual(self.explanation_vi, self.explanation_en).pick(lang)


def _total(table: pd.DataFrame) -> int:
    """The number of criteria of a candidate table's framework (``criteria_total``; 19 when absent)."""
    if "criteria_total" in table.columns and len(table) and pd.notna(table["criteria_total"].iloc[0]):
        return int(table["criteria_total"].iloc[0])
    return STANDARD


def _raw_components(table: pd.DataFrame) -> dict[str, pd.Series]:
    return {
        "closeness": 1.0 - table["gap"].astype("Float64").astype(float) / _total(table),
        "poverty": table["poverty_rate_pct"].astype(float),
        "population": table["population"].astype("Float64").astype(float),
        "missing_infrastructure": table["infra_missing"].astype("Float64").astype(float),
    }


def _minmax(values: pd.Series) -> pd.Series:
    """Scale to 0–1 over the values present; a constant or absent component scores 0; NaN -> 0."""
    lo, hi = values.min(skipna=True), values.max(skipna=True)
    if pd.isna(lo) or hi == lo:
        return pd.Series(0.0, index=values.index)
    return ((values - lo) / (hi - lo)).fillna(0.0)


def rank(table: pd.DataFrame, weights: RankingWeights) -> RankingResult:
    """Rank the xã of a candidate table by a weighted priority score.

    score = 100 × Σ wᵢ·nᵢ / Σ wᵢ, where nᵢ is component i min–max normalised to 0–1 over the xã
    being ranked (see :data:`COMPONENTS` for each direction: closeness = 1 − gap/19, higher
    poverty = more need, more people = more served, more infrastructure criteria missing = more
    need). A component with no spread or no data scores 0 for everyone. Ties (equal score to
    1e-9) are broken by ``gap`` (fewer missing first), then ``commune_code`` — deterministic.

    Raises
    ------
    ConfigError
        A negative or non-finite weight.
    """
    w = weights.as_dict()
    for key, value in w.items():
        if not np.isfinite(value) or value < 0:
            raise ConfigError(
                f"Ranking weight {key} = {value!r}; weights must be non-negative numbers.",
                f"Trọng số xếp hạng {key} = {value!r}; trọng số phải là số không âm.",
            )
    shares = weights.shares()
    rankable = table["assessed"].astype(bool) & table["criteria_met"].notna()
    ranked = table.loc[rankable].copy()
    rest = table.loc[~rankable].copy()
    raw = _raw_components(ranked)
    score = pd.Series(0.0, index=ranked.index)
    for key in COMPONENTS:
        ranked[f"n_{key}"] = _minmax(raw[key])
        ranked[f"p_{key}"] = 100.0 * shares[key] * ranked[f"n_{key}"]
        score += ranked[f"p_{key}"]
    ranked["score"] = score
    ranked["_key"] = -score.round(9)
    ranked = ranked.sort_values(["_key", "gap", "commune_code"], kind="mergesort").drop(columns="_key")
    ranked["rank"] = pd.array(range(1, len(ranked) + 1), dtype="Int64")
    for key in COMPONENTS:
        rest[f"n_{key}"] = np.nan
        rest[f"p_{key}"] = np.nan
    rest["score"] = np.nan
    rest["rank"] = pd.array([pd.NA] * len(rest), dtype="Int64")
    out = pd.concat([ranked, rest]) if len(rest) else ranked
    out = out.reset_index(drop=True)
    return RankingResult(out, _explain(ranked, weights, "vi"), _explain(ranked, weights, "en"), weights)


def _pct(value: float, lang: str) -> str:
    return format_number(100 * value, lang, 0) + " %"


def _facts(row: pd.Series, lang: str) -> str:
    vi = lang == "vi"
    pov = (
        "—"
        if pd.isna(row["poverty_rate_pct"])
        else format_number(float(row["poverty_rate_pct"]), lang, 1) + " %"
    )
    pop = "—" if pd.isna(row["population"]) else format_number(float(row["population"]), lang, 0)
    infra = "—" if pd.isna(row["infra_missing"]) else str(int(row["infra_missing"]))
    total = (
        int(row["criteria_total"])
        if "criteria_total" in row.index and pd.notna(row["criteria_total"])
        else 19
    )
    if vi:
        return (
            f"đạt {int(row['criteria_met'])}/{total} tiêu chí (còn thiếu {int(row['gap'])}), tỷ lệ hộ nghèo {pov}, "
            f"dân số {pop} người, thiếu {infra}/8 tiêu chí hạ tầng"
        )
    return (
        f"{int(row['criteria_met'])}/{total} criteria met ({int(row['gap'])} missing), poverty rate {pov}, "
        f"population {pop}, {infra} of 8 infrastructure criteria missing"
    )


def _explain(ranked: pd.DataFrame, weights: RankingWeights, lang: str) -> str:
    vi = lang == "vi"
    n = len(ranked)
    if n == 0:
        return "Không có xã nào để xếp hạng với bộ lọc này." if vi else "No xã to rank with these filters."
    shares = weights.shares()
    used = [k for k in COMPONENTS if shares[k] > 0]
    if not used:
        head = (
            "Tất cả trọng số bằng 0: các xã được xếp theo số tiêu chí còn thiếu (ít trước), rồi theo mã xã."
            if vi
            else "All weights are zero: xã are ordered by criteria missing (fewest first), then by code."
        )
    else:
        parts = [
            f"{COMPONENTS[k].label(lang)} {_pct(shares[k], lang)} ({Bilingual(COMPONENTS[k].direction_vi, COMPONENTS[k].direction_en).pick(lang)})"
            for k in used
        ]
        head = (
            f"Điểm ưu tiên (0–100) là trung bình có trọng số của: {'; '.join(parts)}. Mỗi thành phần được quy về "
            f"thang 0–1 (min–max) trong {n} xã đang xét."
            if vi
            else f"Priority score (0–100) is the weighted mean of: {'; '.join(parts)}. Each component is scaled to "
            f"0–1 (min–max) over the {n} xã considered."
        )
    first = ranked.iloc[0]
    name1 = f"{first['name']} ({first['district_name']})"
    score1 = format_number(float(first["score"]), lang, 1)
    if used:
        top = max(used, key=lambda k: (float(first[f"p_{k}"]), -list(COMPONENTS).index(k)))
        top_pts = format_number(float(first[f"p_{top}"]), lang, 1)
        why = (
            f" Đóng góp lớn nhất: {COMPONENTS[top].label(lang)} ({top_pts} điểm)."
            if vi
            else f" Largest contribution: {COMPONENTS[top].label(lang)} ({top_pts} points)."
        )
    else:
        why = ""
    text = head + (
        f" Xếp thứ 1: {name1}, {score1} điểm — {_facts(first, lang)}.{why}"
        if vi
        else f" Ranked 1st: {name1}, {score1} points — {_facts(first, lang)}.{why}"
    )
    if n >= 2:
        second = ranked.iloc[1]
        name2 = f"{second['name']} ({second['district_name']})"
        diff = float(first["score"]) - float(second["score"])
        if round(diff, 9) == 0:
            if int(first["gap"]) < int(second["gap"]):
                reason = "vì còn thiếu ít tiêu chí hơn" if vi else "because it has fewer criteria missing"
            else:
                reason = (
                    "theo mã xã (quy tắc phân định cố định)"
                    if vi
                    else "by commune code (fixed tie-break rule)"
                )
            text += (
                f" Bằng điểm với {name2}; xếp trên {reason}."
                if vi
                else f" Tied with {name2}; placed first {reason}."
            )
        elif used:
            lead = max(used, key=lambda k: float(first[f"p_{k}"]) - float(second[f"p_{k}"]))
            d = format_number(diff, lang, 1)
            text += (
                f" Hơn xã thứ 2, {name2}, {d} điểm, chủ yếu nhờ {COMPONENTS[lead].label(lang)}."
                if vi
                else f" Ahead of 2nd, {name2}, by {d} points, mainly on {COMPONENTS[lead].label(lang)}."
            )
    return text


# --------------------------------------------------------------------------- gap matrix
def gap_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Communes × 19 criteria (met / not met) for the assessed xã of ``table``, in its row order.

    Columns: ``commune_code``, ``name``, ``district_name``, ``criteria_met`` (Int64), ``gap``
    (Int64) and ``c01``..``c19`` (boolean: True met, False not met, NA no data). Sort it with
    :meth:`DataFrame.sort_values` (e.g. by ``gap`` or a criterion column) — every column sorts.
    """
    rows = table.loc[table["assessed"].astype(bool)]
    return rows[
        ["commune_code", "name", "district_name", "criteria_met", "gap", *CRITERION_COLUMNS]
    ].reset_index(drop=True)


def not_met_counts(matrix: pd.DataFrame) -> pd.Series:
    """For each criterion column ``c01``..``c19``: how many xã of the matrix do not meet it."""
    return pd.Series({c: int((matrix[c] == False).fillna(False).sum()) for c in CRITERION_COLUMNS})  # noqa: E712 - elementwise; NA is not "not met"


# --------------------------------------------------------------------------- shortlist
def shortlist_rows(table: pd.DataFrame, codes: Iterable[str], lang: str = "vi") -> pd.DataFrame:
    """The shortlisted xã, one row each (in ``codes`` order), with localised column headers.

    Index: ``commune_code``. Columns: name, district, criteria met, gap, group, criteria not met,
    poverty rate (%), population (people), the infrastructure indicators and the 19 criteria
    as ✓ / ✗ (— = no data). Codes not in ``table`` are skipped. For a side-by-side comparison
    use ``shortlist_rows(...).set_index(<name column>).T``.
    """
    by_code = table.set_index("commune_code")
    wanted = [c for c in codes if c in by_code.index]
    rows = by_code.loc[wanted]
    yes, no = Bilingual("Có", "Yes").pick(lang), Bilingual("Không", "No").pick(lang)

    def yn(v: object) -> str:
        return "—" if pd.isna(v) else (yes if bool(v) else no)

    def num(v: float | None, d: int) -> float | None:
        return None if v is None or pd.isna(v) else round(float(v), d)

    out = pd.DataFrame(index=pd.Index(wanted, name="commune_code"))
    out[column_label("name", lang)] = rows["name"].to_numpy()
    out[column_label("district_name", lang)] = rows["district_name"].to_numpy()
    out[column_label("criteria_met", lang)] = [None if pd.isna(v) else int(v) for v in rows["criteria_met"]]
    out[column_label("gap", lang)] = [None if pd.isna(v) else int(v) for v in rows["gap"]]
    out[column_label("group_label", lang)] = rows["group_label"].to_numpy()
    out[column_label("missing_label", lang)] = rows["missing_label"].to_numpy()
    out[column_label("poverty_rate_pct", lang)] = [num(v, 1) for v in rows["poverty_rate_pct"]]
    out[column_label("population", lang)] = [None if pd.isna(v) else int(v) for v in rows["population"]]
    for col in INDICATOR_COLUMNS:  # the registry's infrastructure indicators: numbers, then yes/no
        kind = schema.column(col).kind
        out[column_label(col, lang)] = [num(v, 1) if kind == "indicator" else yn(v) for v in rows[col]]
    out[column_label("infra_criteria_met", lang)] = [
        None if pd.isna(v) else int(v) for v in rows["infra_criteria_met"]
    ]
    out[column_label("especially_difficult", lang)] = [yn(v) for v in rows["especially_difficult"]]
    for c in load_criteria():
        out[c.label(lang)] = ["—" if pd.isna(v) else ("✓" if bool(v) else "✗") for v in rows[c.code]]
    return out


# --------------------------------------------------------------------------- district summary
def _weighted_poverty(frame: pd.DataFrame) -> float:
    ok = frame["poverty_rate_pct"].notna() & frame["population_2009"].notna()
    pop = frame.loc[ok, "population_2009"].astype(float)
    if pop.sum() <= 0:
        return float("nan")
    return float((frame.loc[ok, "poverty_rate_pct"].astype(float) * pop).sum() / pop.sum())


def _district_stats(joined: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (code, name), frame in joined.groupby(["district_code", "district_name"], sort=True):
        xa = frame.loc[frame["assessed"].astype(bool)]
        met = xa["criteria_met"].astype("Float64")
        rows.append(
            {
                "district_code": code,
                "district_name": name,
                "xa": len(xa),
                "meeting_standard": int((met == STANDARD).fillna(False).sum()),
                "mean_criteria_met": float(met.mean()) if met.notna().any() else float("nan"),
                "poverty_rate_pct": _weighted_poverty(frame),
            }
        )
    return pd.DataFrame(rows)


def district_summary(joined_2015: pd.DataFrame, joined_2011: pd.DataFrame | None) -> pd.DataFrame:
    """Per district: xã meeting the standard, mean criteria met, poverty rate and change since 2011.

    Returns one row per district (sorted by district code) with ``district_code``,
    ``district_name``, ``xa`` (xã assessed), ``meeting_standard`` (xã with 19 criteria),
    ``mean_criteria_met`` (criteria per xã), ``poverty_rate_pct`` (% of households, all units
    of the district weighted by their 2009 population), and — NaN when ``joined_2011`` is
    ``None`` — ``meeting_standard_2011``, ``mean_criteria_met_2011``, ``poverty_rate_pct_2011``,
    ``meeting_standard_change`` (xã), ``mean_change`` (criteria) and ``poverty_change_pp``
    (percentage points).
    """
    now = _district_stats(joined_2015)
    if joined_2011 is None:
        before = now[["district_code"]].assign(
            meeting_standard=np.nan, mean_criteria_met=np.nan, poverty_rate_pct=np.nan
        )
    else:
        before = _district_stats(joined_2011)[
            ["district_code", "meeting_standard", "mean_criteria_met", "poverty_rate_pct"]
        ]
    out = now.merge(before, on="district_code", how="left", suffixes=("", "_2011"))
    out["meeting_standard_change"] = out["meeting_standard"] - out["meeting_standard_2011"]
    out["mean_change"] = out["mean_criteria_met"] - out["mean_criteria_met_2011"]
    out["poverty_change_pp"] = out["poverty_rate_pct"] - out["poverty_rate_pct_2011"]
    return out


# --------------------------------------------------------------------------- progress and scenario
def group_counts(joined: pd.DataFrame) -> dict[str, int]:
    """Xã per report group (:data:`GROUPS` keys, in order); units not assessed or without data are left out."""
    xa = joined.loc[joined["assessed"].astype(bool), "criteria_met"]
    keys = [group_key(v) for v in xa if pd.notna(v)]
    return {g.key: keys.count(g.key) for g in GROUP_BANDS}


def mean_criteria(joined: pd.DataFrame) -> float:
    """Mean criteria met per xã (criteria/xã), over the assessed xã with data."""
    xa = joined.loc[joined["assessed"].astype(bool), "criteria_met"].astype("Float64")
    return float(xa.mean()) if xa.notna().any() else float("nan")


def target_2020() -> Distribution:
    """The report's 2020 target distribution (72 / 8 / 37 / 90 / 0 xã, mean 11.8)."""
    return load_reference().distributions["2020_target"]


def _target_counts(targets: Distribution) -> dict[str, int]:
    counts = {g.label.replace(" ", ""): g.count for g in targets.groups}
    missing = [k for k in GROUPS if k not in counts]
    if missing:
        raise ConfigError(
            f"The target distribution lacks group(s) {', '.join(missing)}; give counts for {', '.join(GROUPS)}.",
            f"Phân bố mục tiêu thiếu nhóm {', '.join(missing)}; hãy ghi số xã cho các nhóm {', '.join(GROUPS)}.",
        )
    return {k: counts[k] for k in GROUPS}


@dataclass(frozen=True)
class Progress:
    """Province progress toward the 2020 targets.

    ``groups``: one row per report group — ``group``, ``label_vi``, ``label_en``, ``y2011``,
    ``y2015`` (xã counted from the data), ``target_2020`` (report) and ``to_go`` (target − 2015).
    ``means``: criteria per xã — keys ``"2011"``, ``"2015"``, ``"2020_target"``.
    ``criteria``: one row per criterion — ``number``, ``code``, ``name_vi``, ``name_en``,
    ``met_2011``, ``met_2015`` (xã meeting it) and ``change``.
    """

    groups: pd.DataFrame
    means: Mapping[str, float]
    criteria: pd.DataFrame


def progress(
    joined_2011: pd.DataFrame | None, joined_2015: pd.DataFrame, targets: Distribution | None = None
) -> Progress:
    """Group counts and mean for 2011, 2015 and the 2020 target; per-criterion counts 2011 vs 2015.

    ``targets`` defaults to :func:`target_2020`. 2011 values are NaN when ``joined_2011`` is ``None``.
    """
    targets = targets or target_2020()
    target = _target_counts(targets)
    now = group_counts(joined_2015)
    before = group_counts(joined_2011) if joined_2011 is not None else {k: np.nan for k in GROUPS}
    groups = pd.DataFrame(
        {
            "group": list(GROUPS),
            "label_vi": [g.label_vi for g in GROUP_BANDS],
            "label_en": [g.label_en for g in GROUP_BANDS],
            "y2011": [before[k] for k in GROUPS],
            "y2015": [now[k] for k in GROUPS],
            "target_2020": [target[k] for k in GROUPS],
        }
    )
    groups["to_go"] = groups["target_2020"] - groups["y2015"]
    means = {
        "2011": mean_criteria(joined_2011) if joined_2011 is not None else float("nan"),
        "2015": mean_criteria(joined_2015),
        "2020_target": float(targets.mean),
    }

    def met(joined: pd.DataFrame | None, code: str) -> float:
        if joined is None or code not in joined.columns:
            return np.nan
        values = joined.loc[joined["assessed"].astype(bool), code].astype("boolean")
        return int(values.fillna(False).sum())

    crit = pd.DataFrame(
        [
            {
                "number": c.number,
                "code": c.code,
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "met_2011": met(joined_2011, c.code),
                "met_2015": met(joined_2015, c.code),
            }
            for c in load_criteria()
        ]
    )
    crit["change"] = crit["met_2015"] - crit["met_2011"]
    return Progress(groups, means, crit)


@dataclass(frozen=True)
class ScenarioResult:
    """Projected 2020 groups if the marked xã reach 19 criteria and the others stay as in 2015.

    ``table``: one row per report group — ``group``, ``label_vi``, ``label_en``, ``now``
    (2015 count), ``projected``, ``target`` and ``difference`` (projected − target; negative =
    short of the target). ``projected_mean`` / ``target_mean``: criteria per xã. ``reaching``:
    the marked codes, sorted.
    """

    table: pd.DataFrame
    projected_mean: float
    target_mean: float
    reaching: tuple[str, ...]
    explanation_vi: str
    explanation_en: str

    def explanation(self, lang: str = "vi") -> str:
        return Bilingual(self.explanation_vi, self.explanation_en).pick(lang)


def scenario(
    joined_2015: pd.DataFrame, reaching: set[str] | Iterable[str], targets: Distribution | None = None
) -> ScenarioResult:
    """What the province's groups would be in 2020 if the xã in ``reaching`` reach all 19 criteria.

    Assumption (stated in the explanation): every other xã keeps its 2015 count; ``reaching``
    may include xã already at 19 (no change).

    Raises
    ------
    ConfigError
        A code that is not an assessed xã of ``joined_2015`` (unknown, phường, thị trấn or no data).
    """
    targets = targets or target_2020()
    target = _target_counts(targets)
    xa = joined_2015.loc[joined_2015["assessed"].astype(bool) & joined_2015["criteria_met"].notna()]
    codes = sorted(set(reaching))
    known = set(xa["commune_code"].astype(str))
    bad = [c for c in codes if c not in known]
    if bad:
        raise ConfigError(
            f"Scenario: {', '.join(bad[:10])} not an assessed xã with data in this dataset; only xã can reach the standard.",
            f"Kịch bản: {', '.join(bad[:10])} không phải xã được đánh giá có số liệu trong bộ dữ liệu này; chỉ xã mới xét đạt chuẩn.",
        )
    met = xa["criteria_met"].astype(int).to_numpy().copy()
    met[xa["commune_code"].astype(str).isin(codes).to_numpy()] = STANDARD
    projected_keys = [group_key(v) for v in met]
    now = group_counts(joined_2015)
    table = pd.DataFrame(
        {
            "group": list(GROUPS),
            "label_vi": [g.label_vi for g in GROUP_BANDS],
            "label_en": [g.label_en for g in GROUP_BANDS],
            "now": [now[k] for k in GROUPS],
            "projected": [projected_keys.count(k) for k in GROUPS],
            "target": [target[k] for k in GROUPS],
        }
    )
    table["difference"] = table["projected"] - table["target"]
    projected_mean = float(met.mean()) if len(met) else float("nan")
    new = int(((xa["criteria_met"].astype(int) < STANDARD) & xa["commune_code"].isin(codes)).sum())
    args = (table, projected_mean, float(targets.mean), new, len(codes))
    return ScenarioResult(
        table,
        projected_mean,
        float(targets.mean),
        tuple(codes),
        _explain_scenario(*args, "vi"),
        _explain_scenario(*args, "en"),
    )


def _explain_scenario(
    table: pd.DataFrame, mean: float, target_mean: float, new: int, marked: int, lang: str
) -> str:
    vi = lang == "vi"
    row = table.set_index("group")
    reached, goal = int(row.loc["19", "projected"]), int(row.loc["19", "target"])
    below5 = int(row.loc["<5", "projected"])
    m, tm = format_number(mean, lang, 1), format_number(target_mean, lang, 1)
    if vi:
        text = (
            f"Nếu {marked} xã được đánh dấu đạt chuẩn vào năm 2020 ({new} xã mới) và các xã khác giữ nguyên số "
            f"tiêu chí năm 2015, toàn tỉnh có {reached} xã đạt chuẩn"
        )
        text += (
            f" — còn thiếu {goal - reached} xã so với mục tiêu {goal}."
            if reached < goal
            else f" — đạt mục tiêu {goal} xã" + (f" (vượt {reached - goal})." if reached > goal else ".")
        )
        text += (
            f" Còn {below5} xã dưới 5 tiêu chí (mục tiêu: 0)."
            if below5
            else " Không còn xã dưới 5 tiêu chí (đạt mục tiêu)."
        )
        text += f" Bình quân {m} tiêu chí/xã (mục tiêu {tm})."
        if mean < target_mean:
            text += " Các xã còn lại cũng cần tăng tiêu chí để đạt mức bình quân."
        return text
    text = (
        f"If the {marked} marked xã reach the standard by 2020 ({new} new) and every other xã keeps its 2015 "
        f"count, the province has {reached} xã meeting the standard"
    )
    text += (
        f" — {goal - reached} short of the target of {goal}."
        if reached < goal
        else f" — the target of {goal} is met" + (f" (by {reached - goal} more)." if reached > goal else ".")
    )
    text += (
        f" {below5} xã remain below 5 criteria (target: 0)."
        if below5
        else " No xã remains below 5 criteria (target met)."
    )
    text += f" Mean {m} criteria per xã (target {tm})."
    if mean < target_mean:
        text += " The other xã must also gain criteria to reach the mean."
    return text


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


# --------------------------------------------------------------------------- map layer
SHORTLIST_CLASS = "ntm-shortlist"
SHORTLIST_STYLE = {"color": "#7b3294", "weight": 4, "dashArray": "8 5", "fill": False, "opacity": 1.0}


def shortlist_layer(
    communes: gpd.GeoDataFrame, codes: Iterable[str], *, name: str = "shortlist"
) -> folium.FeatureGroup:
    """A folium FeatureGroup outlining the shortlisted communes (purple dashed border, no fill,
    not interactive so clicks reach the commune below; CSS class ``ntm-shortlist``).

    ``communes``: GeoDataFrame with ``commune_code`` and geometry (reprojected to EPSG:4326).
    Only the geometry is sent to the browser (no text, nothing to escape).
    """
    import folium  # map layer only; the rest of this module needs no folium

    wanted = set(codes)
    gdf = communes.loc[communes["commune_code"].isin(wanted), ["geometry"]]
    gdf = gdf.to_crs(4326) if gdf.crs is not None else gdf
    group = folium.FeatureGroup(name=name)
    if len(gdf):
        style = {**SHORTLIST_STYLE, "className": SHORTLIST_CLASS}
        group.add_child(
            folium.GeoJson(
                gdf.__geo_interface__, name=name, style_function=lambda _: style, interactive=False
            )
        )
    return group
