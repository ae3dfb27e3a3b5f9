"""District summary, progress toward the 2020 targets and the 2020 scenario.

Source of the targets: Report 48/BC-BCĐ (Lạng Sơn, 5 May 2016), "Mục tiêu đến năm 2020": 72 xã
with 19 criteria, 8 with 15–18, 37 with 10–14, 90 with 5–9, none below 5; 11.8 criteria per xã on
average; and "Ban Chỉ đạo tỉnh lựa chọn 05 xã [đặc biệt khó khăn] để chỉ đạo điểm … phấn đấu đạt
chuẩn trong giai đoạn 2016–2018".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import load_criteria
from ntm_geo.criteria.reference import Distribution
from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import format_number
from ntm_geo.planning.candidates import criteria_of, table_framework_of
from ntm_geo.planning.groups import GROUP_BANDS, GROUPS, STANDARD, group_key
from ntm_geo.planning.targets import report_48_target


# --------------------------------------------------------------------------- district summary
def _weighted_poverty(frame: pd.DataFrame) -> float:
    """Poverty rate (%) of a set of units weighted by 2009 population; the plain mean of the units
    when none has a population (the 2025 units: no census population), NaN without values."""
    if "population_2009" not in frame.columns or frame["population_2009"].isna().all():
        values = frame["poverty_rate_pct"].dropna().astype(float)
        return float(values.mean()) if len(values) else float("nan")
    ok = frame["poverty_rate_pct"].notna() & frame["population_2009"].notna()
    pop = frame.loc[ok, "population_2009"].astype(float)
    if pop.sum() <= 0:
        return float("nan")
    return float((frame.loc[ok, "poverty_rate_pct"].astype(float) * pop).sum() / pop.sum())


#: What :func:`district_summary` groups the units by: their district (2011–2025 units) or their
#: commune group (xã nhóm 1/2/3 of Decision 51/2025, when the table gives it).
SUMMARY_BY: tuple[str, ...] = ("district", "commune_group")


def _area_columns(joined: pd.DataFrame, by: str) -> pd.DataFrame:
    """``district_code`` / ``district_name`` of each unit for ``by`` (a commune group's are its
    number and name, "Xã nhóm 3")."""
    if by not in SUMMARY_BY:
        raise ConfigError(
            f"Summary by {by!r}; allowed: {', '.join(SUMMARY_BY)}.",
            f"Tổng hợp theo {by!r} không hợp lệ; các giá trị hợp lệ: {', '.join(SUMMARY_BY)}.",
        )
    if by == "district":
        return joined.assign(district_code=joined["district_code"].astype(str))
    if "commune_group" not in joined.columns:
        raise ConfigError(
            "Summary by commune group: this dataset gives no commune group (xã nhóm 1/2/3).",
            "Tổng hợp theo nhóm xã: bộ dữ liệu này không có cột nhóm xã (xã nhóm 1/2/3).",
        )
    group = joined["commune_group"].astype("Int64")
    fw = table_framework_of(joined)
    names = {int(a.key[1:]): a.name_vi for a in fw.areas if a.key[1:].isdigit()} if fw is not None else {}
    keep = joined.loc[group.notna().to_numpy()]
    g = group.dropna().astype(int)
    return keep.assign(
        district_code=[str(v) for v in g], district_name=[names.get(v, f"Nhóm {v}") for v in g]
    )


def _district_stats(joined: pd.DataFrame, by: str = "district") -> pd.DataFrame:
    total = len(criteria_of(joined))
    rows = []
    areas = _area_columns(joined, by)
    for (code, name), frame in areas.groupby(["district_code", "district_name"], sort=True):
        xa = frame.loc[frame["assessed"].astype(bool)]
        met = xa["criteria_met"].astype("Float64")
        rows.append(
            {
                "district_code": code,
                "district_name": name,
                "xa": len(xa),
                "meeting_standard": int((met == total).fillna(False).sum()),
                "mean_criteria_met": float(met.mean()) if met.notna().any() else float("nan"),
                "poverty_rate_pct": _weighted_poverty(frame),
            }
        )
    columns = [
        "district_code",
        "district_name",
        "xa",
        "meeting_standard",
        "mean_criteria_met",
        "poverty_rate_pct",
    ]
    return pd.DataFrame(rows, columns=columns)


def district_summary(
    joined_2015: pd.DataFrame, joined_2011: pd.DataFrame | None, *, by: str = "district"
) -> pd.DataFrame:
    """Per district (or per commune group, ``by="commune_group"``): xã meeting the standard, mean
    criteria met, poverty rate and change since an earlier year.

    ``joined_2015`` is the year shown and ``joined_2011`` the earlier year compared (any years:
    the names are historical). Returns one row per district (sorted by code) with
    ``district_code``, ``district_name`` (for a commune group: its number and name, "Xã nhóm 3"),
    ``xa`` (xã assessed), ``meeting_standard`` (xã meeting all criteria of that year's framework:
    19, or 10 under 51/2025), ``mean_criteria_met`` (criteria per xã), ``poverty_rate_pct`` (% of
    households, all units of the district weighted by their 2009 population; the plain mean of
    the units where there is no population, as on the 2025 units), and — NaN when
    ``joined_2011`` is ``None`` — ``meeting_standard_2011``, ``mean_criteria_met_2011``,
    ``poverty_rate_pct_2011``, ``meeting_standard_change`` (xã), ``mean_change`` (criteria) and
    ``poverty_change_pp`` (percentage points).

    Raises
    ------
    ConfigError
        ``by`` not in :data:`SUMMARY_BY`, or ``"commune_group"`` on a table without that column.
    """
    now = _district_stats(joined_2015, by)
    if joined_2011 is None or (by == "commune_group" and "commune_group" not in joined_2011.columns):
        before = now[["district_code"]].assign(
            meeting_standard=np.nan, mean_criteria_met=np.nan, poverty_rate_pct=np.nan
        )
    else:
        before = _district_stats(joined_2011, by)[
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
    """The report's 2020 target distribution (72 / 8 / 37 / 90 / 0 xã, mean 11.8); which datasets
    it applies to: :func:`ntm_geo.planning.targets.target_for`."""
    return report_48_target().distribution


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


_SCENARIO: dict[str, Bilingual] = {
    "head": Bilingual(
        "Nếu {marked} xã được đánh dấu đạt chuẩn vào năm 2020 ({new} xã mới) và các xã khác giữ nguyên số "
        "tiêu chí năm 2015, toàn tỉnh có {reached} xã đạt chuẩn",
        "If the {marked} marked xã reach the standard by 2020 ({new} new) and every other xã keeps its 2015 "
        "count, the province has {reached} xã meeting the standard",
    ),
    "short": Bilingual(
        " — còn thiếu {short} xã so với mục tiêu {goal}.", " — {short} short of the target of {goal}."
    ),
    "met": Bilingual(" — đạt mục tiêu {goal} xã", " — the target of {goal} is met"),
    "over": Bilingual(" (vượt {over}).", " (by {over} more)."),
    "below5": Bilingual(
        " Còn {n} xã dưới 5 tiêu chí (mục tiêu: 0).", " {n} xã remain below 5 criteria (target: 0)."
    ),
    "none_below5": Bilingual(
        " Không còn xã dưới 5 tiêu chí (đạt mục tiêu).", " No xã remains below 5 criteria (target met)."
    ),
    "mean": Bilingual(
        " Bình quân {m} tiêu chí/xã (mục tiêu {tm}).", " Mean {m} criteria per xã (target {tm})."
    ),
    "gain": Bilingual(
        " Các xã còn lại cũng cần tăng tiêu chí để đạt mức bình quân.",
        " The other xã must also gain criteria to reach the mean.",
    ),
}


def _explain_scenario(
    table: pd.DataFrame, mean: float, target_mean: float, new: int, marked: int, lang: str
) -> str:
    row = table.set_index("group")
    reached, goal = int(row.loc["19", "projected"]), int(row.loc["19", "target"])
    below5 = int(row.loc["<5", "projected"])
    parts = [_SCENARIO["head"].format(marked=marked, new=new, reached=reached)]
    if reached < goal:
        parts.append(_SCENARIO["short"].format(short=goal - reached, goal=goal))
    else:
        parts.append(_SCENARIO["met"].format(goal=goal))
        parts.append(_SCENARIO["over"].format(over=reached - goal) if reached > goal else Bilingual(".", "."))
    parts.append(_SCENARIO["below5"].format(n=below5) if below5 else _SCENARIO["none_below5"])
    m, tm = format_number(mean, lang, 1), format_number(target_mean, lang, 1)
    parts.append(_SCENARIO["mean"].format(m=m, tm=tm))
    if mean < target_mean:
        parts.append(_SCENARIO["gain"])
    return "".join(p.pick(lang) for p in parts)
