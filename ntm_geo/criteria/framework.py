"""Catalogue of the 19 national NTM criteria (Bộ tiêu chí quốc gia về nông thôn mới).

Source: Decision 491/QĐ-TTg of 16/4/2009, as revised by Decision 342/QĐ-TTg of 20/2/2013 (the set
in force for the 2011-2015 period of the seed report). The catalogue is committed as
``data/criteria.csv`` with columns

``number`` (1-19), ``code`` (``c01``..``c19``, the column name in dataset tables), ``name_vi``,
``name_en``, ``group`` (a key of :data:`GROUPS`), and — only for the few thresholds the
illustrative dataset relies on — ``threshold_indicator_vi/en``, ``threshold_op`` (``>=`` or
``<``), ``threshold_pct`` (%), ``threshold_source`` and ``threshold_confidence``.

Thresholds recorded (region: Trung du và miền núi phía Bắc, where Lạng Sơn lies):

* 4 Điện: households using electricity regularly and safely >= 95 % (491, indicator 4.2) — high
  confidence.
* 11 Hộ nghèo: poor households < 10 % (491 regional table) — medium confidence: we believe 342
  kept this regional target but could not check the text offline.
* 12 Lao động có việc làm thường xuyên: employed share of working-age people >= 90 % (342, which
  replaced 491's "Cơ cấu lao động") — medium confidence.
* 17 Môi trường: households with hygienic water >= 70 % (491, indicator 17.1) — medium
  confidence; criterion 17 has further indicators (waste, cemeteries, production sites) that no
  dataset here records.

No threshold is recorded for the other criteria: their sub-indicators are many and the
illustrative dataset does not need them.

Examples
--------
>>> criterion(4).name_vi
'Điện'
>>> criterion(11).threshold_pct
10.0
>>> CRITERION_COLUMNS[0], CRITERION_COLUMNS[-1]
('c01', 'c19')
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ntm_geo.errors import ConfigError

CRITERIA_CSV = Path(__file__).resolve().parents[2] / "data" / "criteria.csv"

#: Column names of the 19 criteria in every dataset table (1 = met, 0 = not met, empty = not assessed).
CRITERION_COLUMNS: tuple[str, ...] = tuple(f"c{n:02d}" for n in range(1, 20))


@dataclass(frozen=True)
class CriterionGroup:
    """One of the five groups of the national criteria set."""

    key: str
    label_vi: str
    label_en: str
    numbers: tuple[int, ...]


#: The five groups of Decision 491/QĐ-TTg, keyed by the ``group`` column of ``criteria.csv``.
GROUPS: dict[str, CriterionGroup] = {
    g.key: g
    for g in (
        CriterionGroup("planning", "Quy hoạch", "Planning", (1,)),
        CriterionGroup(
            "infrastructure", "Hạ tầng kinh tế - xã hội", "Socio-economic infrastructure", tuple(range(2, 10))
        ),
        CriterionGroup(
            "economy", "Kinh tế và tổ chức sản xuất", "Economy and production organisation", (10, 11, 12, 13)
        ),
        CriterionGroup(
            "culture_society_environment",
            "Văn hóa - xã hội - môi trường",
            "Culture, society and environment",
            (14, 15, 16, 17),
        ),
        CriterionGroup("political_security", "Hệ thống chính trị", "Political system and security", (18, 19)),
    )
}


@dataclass(frozen=True)
class Criterion:
    """One national criterion.

    ``threshold_*`` fields are set only where the project relies on a numeric threshold
    (criteria 4, 11, 12, 17); ``threshold_pct`` is in percent and ``threshold_op`` is ``">="``
    or ``"<"`` (a commune meeting the criterion has ``value <op> threshold_pct``).
    """

    number: int
    code: str
    name_vi: str
    name_en: str
    group: str
    threshold_indicator_vi: str | None = None
    threshold_indicator_en: str | None = None
    threshold_op: str | None = None
    threshold_pct: float | None = None
    threshold_source: str | None = None
    threshold_confidence: str | None = None

    @property
    def group_label_vi(self) -> str:
        return GROUPS[self.group].label_vi

    @property
    def group_label_en(self) -> str:
        return GROUPS[self.group].label_en

    def label(self, lang: str = "vi") -> str:
        """ "4. Điện" / "4. Electricity"."""
        return f"{self.number}. {self.name_vi if lang == 'vi' else self.name_en}"

    def meets_threshold(self, value: float) -> bool:
        """Whether ``value`` (%) satisfies the recorded threshold; ConfigError when none is recorded."""
        if self.threshold_pct is None or self.threshold_op is None:
            raise ConfigError(
                f"Criterion {self.number} has no numeric threshold in the catalogue "
                f"(thresholds are recorded for criteria {', '.join(map(str, _with_threshold()))}).",
                f"Tiêu chí {self.number} không có ngưỡng số trong danh mục "
                f"(chỉ có ngưỡng cho các tiêu chí {', '.join(map(str, _with_threshold()))}).",
            )
        return value >= self.threshold_pct if self.threshold_op == ">=" else value < self.threshold_pct


def _opt_str(value: object) -> str | None:
    return None if pd.isna(value) or value == "" else str(value)


@lru_cache(maxsize=1)
def load_criteria() -> tuple[Criterion, ...]:
    """The 19 criteria in number order, read from ``data/criteria.csv``.

    Raises
    ------
    ConfigError
        If the catalogue does not list exactly the numbers 1..19 or uses an unknown group key.
    """
    table = pd.read_csv(CRITERIA_CSV, dtype=str, keep_default_na=False)
    items = []
    for row in table.itertuples(index=False):
        if row.group not in GROUPS:
            raise ConfigError(
                f"{CRITERIA_CSV.name}: criterion {row.number} has unknown group {row.group!r}; "
                f"allowed: {', '.join(GROUPS)}.",
                f"{CRITERIA_CSV.name}: tiêu chí {row.number} có nhóm không hợp lệ {row.group!r}; "
                f"nhóm hợp lệ: {', '.join(GROUPS)}.",
            )
        pct = _opt_str(row.threshold_pct)
        items.append(
            Criterion(
                number=int(row.number),
                code=row.code,
                name_vi=row.name_vi,
                name_en=row.name_en,
                group=row.group,
                threshold_indicator_vi=_opt_str(row.threshold_indicator_vi),
                threshold_indicator_en=_opt_str(row.threshold_indicator_en),
                threshold_op=_opt_str(row.threshold_op),
                threshold_pct=None if pct is None else float(pct),
                threshold_source=_opt_str(row.threshold_source),
                threshold_confidence=_opt_str(row.threshold_confidence),
            )
        )
    items.sort(key=lambda c: c.number)
    if [c.number for c in items] != list(range(1, 20)):
        raise ConfigError(
            f"{CRITERIA_CSV.name} must list criteria 1..19 once each; found {[c.number for c in items]}.",
            f"{CRITERIA_CSV.name} phải liệt kê mỗi tiêu chí 1..19 đúng một lần; "
            f"đang có {[c.number for c in items]}.",
        )
    return tuple(items)


def _with_threshold() -> list[int]:
    return [c.number for c in load_criteria() if c.threshold_pct is not None]


def criterion(number: int) -> Criterion:
    """The criterion with this number (1-19).

    Raises
    ------
    ConfigError
        For any other number; the message lists the allowed numbers.
    """
    try:
        n = int(number)
    except (TypeError, ValueError):
        n = None
    if n is None or not 1 <= n <= 19 or n != number:
        raise ConfigError(
            f"Unknown criterion {number!r}; allowed numbers: 1-19 (1, 2, ..., 19).",
            f"Không có tiêu chí {number!r}; số tiêu chí hợp lệ: 1-19 (1, 2, ..., 19).",
        )
    return load_criteria()[n - 1]
