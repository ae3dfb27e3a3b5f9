"""Catalogue of the 19 national NTM criteria of 2011-2015 (Bộ tiêu chí quốc gia về nông thôn mới).

Source: Decision 491/QĐ-TTg of 16/4/2009, as revised by Decision 342/QĐ-TTg of 20/2/2013 (the set
in force for the 2011-2015 period of the seed report). This module is a view of that framework's
file, ``data/frameworks/qd491_342.yaml`` (:data:`CATALOGUE_FILE`, read by
:mod:`ntm_geo.criteria.frameworks`, which owns the concept): it gives each criterion the flat
shape the 2011-2015 code reads — ``number`` (1-19), ``code`` (``c01``..``c19``, the column name
in dataset tables), ``name_vi``, ``name_en``, ``group`` (a key of :data:`GROUPS`), and, where the
file gives the criterion an indicator with a threshold for Trung du miền núi phía Bắc (Lạng Sơn's
region), ``threshold_indicator_vi/en``, ``threshold_op``, ``threshold_pct`` (%),
``threshold_source`` (the indicator's note: decision, indicator, region) and
``threshold_confidence``.

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

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework_file import load_framework
from ntm_geo.criteria.framework_model import HOME_REGION, Framework, Threshold
from ntm_geo.criteria.framework_model import Criterion as FrameworkCriterion
from ntm_geo.errors import ConfigError

#: The framework file this catalogue is read from (the 2011-2015 framework of
#: :mod:`ntm_geo.criteria.frameworks`; ``data/criteria.csv`` before issue 11 merged the two).
CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "data" / "frameworks" / "qd491_342.yaml"

#: Column names of the 19 criteria in every dataset table (1 = met, 0 = not met, empty = not assessed).
CRITERION_COLUMNS: tuple[str, ...] = tuple(f"c{n:02d}" for n in range(1, 20))


@dataclass(frozen=True)
class CriterionGroup:
    """One of the five groups of the national criteria set."""

    key: str
    label_vi: str
    label_en: str
    numbers: tuple[int, ...]


def _groups() -> dict[str, CriterionGroup]:
    """The framework file's groups, each with the numbers of its criteria."""
    fw = _framework()
    return {
        g.key: CriterionGroup(
            g.key, g.name_vi, g.name_en, tuple(c.number for c in fw.criteria if c.group == g.key)
        )
        for g in fw.groups
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
        return f"{self.number}. {Bilingual.of(self, 'name').pick(lang)}"

    def meets_threshold(self, value: float) -> bool:
        """Whether ``value`` (%) satisfies the recorded threshold; ConfigError when none is recorded."""
        if self.threshold_pct is None or self.threshold_op is None:
            raise ConfigError(
                f"Criterion {self.number} has no numeric threshold in the catalogue "
                f"(thresholds are recorded for criteria {', '.join(map(str, _with_threshold()))}).",
                f"Tiêu chí {self.number} không có ngưỡng số trong danh mục "
                f"(chỉ có ngưỡng cho các tiêu chí {', '.join(map(str, _with_threshold()))}).",
            )
        return Threshold(self.threshold_op, self.threshold_pct).met(value)


def _framework() -> Framework:
    return _framework_at(str(CATALOGUE_FILE))


@lru_cache(maxsize=2)
def _framework_at(path: str) -> Framework:
    return load_framework(path, builtin=True)


def _legacy(c: FrameworkCriterion) -> Criterion:
    """The flat 2011-2015 shape of one criterion: its first indicator with a threshold for
    Lạng Sơn's region (:data:`HOME_REGION`) that the file does not mark ``confidence: low``, if
    any, gives the ``threshold_*`` fields (the project relies on no low-confidence threshold)."""
    if c.group is None:
        raise ConfigError(
            f"{CATALOGUE_FILE.name}: criterion {c.number} has no group; the 2011-2015 catalogue needs one.",
            f"{CATALOGUE_FILE.name}: tiêu chí {c.number} không có nhóm; danh mục 2011-2015 cần nhóm.",
        )
    ind = next(
        (i for i in c.indicators if i.threshold(HOME_REGION) is not None and i.confidence != "low"), None
    )
    if ind is None:
        return Criterion(c.number, c.key, c.name_vi, c.name_en, c.group)
    t = ind.threshold(HOME_REGION)
    assert t is not None
    return Criterion(
        number=c.number,
        code=c.key,
        name_vi=c.name_vi,
        name_en=c.name_en,
        group=c.group,
        threshold_indicator_vi=ind.name_vi,
        threshold_indicator_en=ind.name_en,
        threshold_op=t.op,
        threshold_pct=t.value,
        threshold_source=ind.note,
        threshold_confidence=ind.confidence,
    )


@lru_cache(maxsize=1)
def load_criteria() -> tuple[Criterion, ...]:
    """The 19 criteria in number order, read from :data:`CATALOGUE_FILE`.

    Raises
    ------
    FrameworkError
        The file breaks the framework format (an unknown group key, criteria not numbered
        1, 2, 3…); the message names the file, the field and the line.
    ConfigError
        If the file does not list exactly the numbers 1..19.
    """
    fw = _framework()
    items = tuple(_legacy(c) for c in fw.criteria)
    if [c.number for c in items] != list(range(1, 20)):
        raise ConfigError(
            f"{CATALOGUE_FILE.name} must list criteria 1..19 once each; found {[c.number for c in items]}.",
            f"{CATALOGUE_FILE.name} phải liệt kê mỗi tiêu chí 1..19 đúng một lần; "
            f"đang có {[c.number for c in items]}.",
        )
    return items


#: The five groups of Decision 491/QĐ-TTg (keys ``planning``, ``infrastructure``, ``economy``,
#: ``culture_society_environment``, ``political_security``), as the framework file gives them.
GROUPS: dict[str, CriterionGroup] = _groups()


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
