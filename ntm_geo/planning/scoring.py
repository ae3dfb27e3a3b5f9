"""Ranking of candidate xã by a weighted priority score, with presets for the report's strategy
groups and an explanation in words (Vietnamese and English).

score = 100 × Σ wᵢ·nᵢ / Σ wᵢ over four components (:data:`COMPONENTS`), each min–max normalised
to 0–1 over the xã being ranked; points on 0–100.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import format_number
from ntm_geo.planning.candidates import criteria_total as _total
from ntm_geo.planning.candidates import flag_columns, has_data, with_place
from ntm_geo.planning.filters import Filters
from ntm_geo.planning.groups import STANDARD


# --------------------------------------------------------------------------- ranking
@dataclass(frozen=True)
class Component:
    """One ranking component: the candidate-table ``column`` it is computed from and its direction.

    ``direction_vi`` / ``direction_en`` may hold ``{total}``, the number of criteria of the
    table's framework (:meth:`direction` fills it in).
    """

    key: str
    label_vi: str
    label_en: str
    direction_vi: str
    direction_en: str
    column: str = ""

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)

    def direction(self, lang: str = "vi", total: int = STANDARD) -> str:
        """How the component ranks, for a framework of ``total`` criteria ("1 − criteria missing/10 …")."""
        return Bilingual(self.direction_vi, self.direction_en).format(total=total).pick(lang)


#: The four components of the priority score, in the order of :class:`RankingWeights`.
COMPONENTS: dict[str, Component] = {
    c.key: c
    for c in (
        Component(
            "closeness",
            "gần chuẩn",
            "closeness to the standard",
            "1 − số tiêu chí còn thiếu/{total}: càng ít tiêu chí thiếu càng được ưu tiên",
            "1 − criteria missing/{total}: the fewer criteria missing, the higher",
            "gap",
        ),
        Component(
            "poverty",
            "tỷ lệ hộ nghèo",
            "poverty rate",
            "tỷ lệ hộ nghèo càng cao càng được ưu tiên, vì nhu cầu lớn hơn",
            "the higher the poverty rate, the higher, as the need is greater",
            "poverty_rate_pct",
        ),
        Component(
            "population",
            "dân số được hưởng lợi",
            "population served",
            "dân số năm 2009 càng đông càng được ưu tiên",
            "the more people in 2009, the higher",
            "population",
        ),
        Component(
            "missing_infrastructure",
            "thiếu hạ tầng",
            "missing infrastructure",
            "càng thiếu nhiều tiêu chí hạ tầng 2–9 càng được ưu tiên",
            "the more infrastructure criteria 2–9 not met, the higher",
            "infra_missing",
        ),
    )
}


def available_components(table: pd.DataFrame) -> tuple[str, ...]:
    """Keys of the components ``table`` has data for (a 2026 table under 51/2025 has no
    infrastructure block 2–9, and the 2025 units no 2009 population): the others score 0 for
    everyone, so the planner offers no weight for them."""
    return tuple(k for k, c in COMPONENTS.items() if has_data(table, c.column))


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
    filters: Filters = field(default_factory=Filters)
    short_vi: str = ""
    short_en: str = ""

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)

    def short_label(self, lang: str = "vi") -> str:
        """The label a narrow control shows (a 1024-pixel projector); the full one when none is set."""
        return Bilingual(self.short_vi or self.label_vi, self.short_en or self.label_en).pick(lang)

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
            "Xã gần chuẩn",
            "Near the standard",
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
            "Xã đặc biệt khó khăn",
            "Especially difficult",
        ),
    )
}


def available_presets(table: pd.DataFrame) -> tuple[str, ...]:
    """Keys of the presets usable on ``table``: those whose flags (e.g. ``especially_difficult``)
    are yes/no columns with data in it (:func:`ntm_geo.planning.candidates.flag_columns`)."""
    flags = set(flag_columns(table))
    return tuple(k for k, p in PRESETS.items() if all(f.lstrip("!") in flags for f in p.filters.flags))


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
    being ranked (see :data:`COMPONENTS` for each direction: closeness = 1 − gap/N, N the criteria
    of the table's framework (19; 10 under 51/2025), higher
    poverty = more need, more people = more served, more infrastructure criteria missing = more
    need). A component with no spread scores 0 for everyone; a component ``table`` has no data
    for (:func:`available_components`) gets weight 0 and the explanation says so. Ties (equal score to
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
    rankable = table["assessed"].astype(bool) & table["criteria_met"].notna()
    ranked = table.loc[rankable].copy()
    have = available_components(ranked)
    unused = tuple(k for k in COMPONENTS if w[k] > 0 and len(ranked) and k not in have)
    effective = RankingWeights(**{k: (0.0 if k in unused else v) for k, v in w.items()})
    shares = effective.shares()
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
    explain = {lg: _explain(ranked, effective, lg) + _no_data(unused, lg) for lg in ("vi", "en")}
    return RankingResult(out, explain["vi"], explain["en"], weights)


def _no_data(unused: tuple[str, ...], lang: str) -> str:
    if not unused:
        return ""
    names = ", ".join(COMPONENTS[k].label(lang) for k in unused)
    return _TEXTS["no_data"].format(names=names).pick(lang)


def _pct(value: float, lang: str) -> str:
    return format_number(100 * value, lang, 0) + " %"


_FACT_MET = Bilingual(
    "đạt {met}/{total} tiêu chí (còn thiếu {gap})", "{met}/{total} criteria met ({gap} missing)"
)
_FACT_POVERTY = Bilingual("tỷ lệ hộ nghèo {value} %", "poverty rate {value} %")
_FACT_POPULATION = Bilingual("dân số {value} người", "population {value}")
_FACT_INFRA = Bilingual("thiếu {value}/8 tiêu chí hạ tầng", "{value} of 8 infrastructure criteria missing")
_TEXTS: dict[str, Bilingual] = {
    "none": Bilingual("Không có xã nào để xếp hạng với bộ lọc này.", "No xã to rank with these filters."),
    "zero": Bilingual(
        "Tất cả trọng số bằng 0: các xã được xếp theo số tiêu chí còn thiếu (ít trước), rồi theo mã xã.",
        "All weights are zero: xã are ordered by criteria missing (fewest first), then by code.",
    ),
    "head": Bilingual(
        "Điểm ưu tiên (0–100) là trung bình có trọng số của: {parts}. Mỗi thành phần được quy về "
        "thang 0–1 (min–max) trong {n} xã đang xét.",
        "Priority score (0–100) is the weighted mean of: {parts}. Each component is scaled to "
        "0–1 (min–max) over the {n} xã considered.",
    ),
    "why": Bilingual(
        " Đóng góp lớn nhất: {component} ({points} điểm).",
        " Largest contribution: {component} ({points} points).",
    ),
    "first": Bilingual(
        " Xếp thứ 1: {name}, {score} điểm — {facts}.{why}",
        " Ranked 1st: {name}, {score} points — {facts}.{why}",
    ),
    "no_data": Bilingual(
        " Bộ dữ liệu không có số liệu cho: {names} — trọng số của thành phần này không được tính.",
        " The dataset has no data for: {names} — its weight is not counted.",
    ),
    "fewer": Bilingual("vì còn thiếu ít tiêu chí hơn", "because it has fewer criteria missing"),
    "by_code": Bilingual("theo mã xã (quy tắc phân định cố định)", "by commune code (fixed tie-break rule)"),
    "tied": Bilingual(
        " Bằng điểm với {name}; xếp trên {reason}.", " Tied with {name}; placed first {reason}."
    ),
    "ahead": Bilingual(
        " Hơn xã thứ 2, {name}, {diff} điểm, chủ yếu nhờ {component}.",
        " Ahead of 2nd, {name}, by {diff} points, mainly on {component}.",
    ),
}


def _facts(row: pd.Series, lang: str) -> str:
    """What the explanation says of a ranked xã: criteria met of the framework's total, and the
    poverty rate, population and infrastructure gap where the table has them (nothing for "—")."""
    total = (
        int(row["criteria_total"])
        if "criteria_total" in row.index and pd.notna(row["criteria_total"])
        else STANDARD
    )
    facts = [_FACT_MET.format(met=int(row["criteria_met"]), total=total, gap=int(row["gap"]))]
    if pd.notna(row["poverty_rate_pct"]):
        facts.append(_FACT_POVERTY.format(value=format_number(float(row["poverty_rate_pct"]), lang, 1)))
    if pd.notna(row["population"]):
        facts.append(_FACT_POPULATION.format(value=format_number(float(row["population"]), lang, 0)))
    if pd.notna(row["infra_missing"]):
        facts.append(_FACT_INFRA.format(value=int(row["infra_missing"])))
    return ", ".join(f.pick(lang) for f in facts)


def _explain(ranked: pd.DataFrame, weights: RankingWeights, lang: str) -> str:
    n = len(ranked)
    if n == 0:
        return _TEXTS["none"].pick(lang)
    total = _total(ranked)
    shares = weights.shares()
    used = [k for k in COMPONENTS if shares[k] > 0]
    if not used:
        head = _TEXTS["zero"].pick(lang)
    else:
        parts = [
            f"{COMPONENTS[k].label(lang)} {_pct(shares[k], lang)} ({COMPONENTS[k].direction(lang, total)})"
            for k in used
        ]
        head = _TEXTS["head"].format(parts="; ".join(parts), n=n).pick(lang)
    first = ranked.iloc[0]
    name1 = with_place(str(first["name"]), first.get("place", first.get("district_name", "")))
    why = ""
    if used:
        top = max(used, key=lambda k: (float(first[f"p_{k}"]), -list(COMPONENTS).index(k)))
        points = format_number(float(first[f"p_{top}"]), lang, 1)
        why = _TEXTS["why"].format(component=COMPONENTS[top].label(lang), points=points).pick(lang)
    score1 = format_number(float(first["score"]), lang, 1)
    text = head + _TEXTS["first"].format(name=name1, score=score1, facts=_facts(first, lang), why=why).pick(
        lang
    )
    if n >= 2:
        second = ranked.iloc[1]
        name2 = with_place(str(second["name"]), second.get("place", second.get("district_name", "")))
        diff = float(first["score"]) - float(second["score"])
        if round(diff, 9) == 0:
            reason = _TEXTS["fewer" if int(first["gap"]) < int(second["gap"]) else "by_code"].pick(lang)
            text += _TEXTS["tied"].format(name=name2, reason=reason).pick(lang)
        elif used:
            lead = max(used, key=lambda k: float(first[f"p_{k}"]) - float(second[f"p_{k}"]))
            d = format_number(diff, lang, 1)
            text += (
                _TEXTS["ahead"].format(name=name2, diff=d, component=COMPONENTS[lead].label(lang)).pick(lang)
            )
    return text
