"""Groups of communes by criteria met: the five groups of Report 48/BC-BCĐ (19 criteria) and, under
a framework of another size (51/2025: 10 criteria), "all met" / "not all met".

Source of the five groups: Report 48/BC-BCĐ (Lạng Sơn, 5 May 2016), which counts xã with 19,
15–18, 10–14, 5–9 and under 5 criteria. Phường and thị trấn are never assessed (group
``not_assessed``); a xã without a count is ``no_data``.

Examples
--------
>>> [group_key(v, True) for v in (19, 12, 3)]
['19', '10-14', '<5']
>>> group_key(10, True, total=10)
'all_met'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import not_assessed_label

STANDARD = 19  # criteria: a xã meeting all 19 "đạt chuẩn nông thôn mới" (491/342, 1980, 318)
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


def group_label(key: str, lang: str = "vi", *, unit_types: Iterable[object] | None = None) -> str:
    """Human label of a group key (see :func:`group_key`); unknown keys raise :class:`ConfigError`.

    ``unit_types`` (the ``unit_type`` of the units not assessed) names them in the not-assessed
    label (:func:`ntm_geo.maps.classify.not_assessed_label`): "(phường)" on the 2025 units, which
    have no thị trấn; None: the 2011–2025 units' "(phường, thị trấn)"."""
    if key in GROUPS:
        return GROUPS[key].label(lang)
    if key == NOT_ASSESSED_GROUP and unit_types is not None:
        return Bilingual(*not_assessed_label(unit_types)).pick(lang)
    if key in _SPECIAL_GROUPS:
        return Bilingual(*_SPECIAL_GROUPS[key]).pick(lang)
    allowed = ", ".join([*GROUPS, *_SPECIAL_GROUPS])
    raise ConfigError(
        f"Unknown group {key!r}; allowed: {allowed}.",
        f"Nhóm không hợp lệ {key!r}; các nhóm hợp lệ: {allowed}.",
    )


def group_keys(total: int = STANDARD) -> tuple[str, ...]:
    """The groups xã are counted in under a framework of ``total`` criteria, in order: the
    report's five groups for 19 criteria, else ``("all_met", "not_all_met")``.

    >>> group_keys(10)
    ('all_met', 'not_all_met')
    """
    return tuple(GROUPS) if total == STANDARD else (ALL_MET_GROUP, NOT_ALL_MET_GROUP)
