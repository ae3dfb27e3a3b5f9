"""Criteria frameworks, the values: a framework, its criteria, indicators, thresholds and sources.

What one framework file (``data/frameworks/*.yaml``, format in :mod:`ntm_geo.criteria.frameworks`)
describes, as frozen dataclasses. Reading and validating a file is
:mod:`ntm_geo.criteria.framework_file`; the JSON and text listings are
:mod:`ntm_geo.criteria.framework_listing`; the registry (national, province, by id, by year) is
:mod:`ntm_geo.criteria.frameworks`, which re-exports all of these names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError

#: Lạng Sơn's region (vùng) in the region-kind frameworks (491/342, 1980, 318): the thresholds a
#: commune of this province is held to. Source: every national framework file's ``threshold_areas``.
HOME_REGION = "tdmnpb"


@dataclass(frozen=True)
class Source:
    """Where a line of a framework comes from: a title and, when known, a URL."""

    key: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Threshold:
    """A commune meets the indicator when ``value <op> self.value`` (same unit as the indicator)."""

    op: str
    value: float

    def met(self, value: float) -> bool:
        """Whether ``value`` satisfies this threshold."""
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "<": value < self.value,
            "==": value == self.value,
        }[self.op]


@dataclass(frozen=True)
class Indicator:
    """One indicator (chỉ tiêu) of a criterion; ``thresholds`` pairs an area key (region or
    commune group of the framework's ``threshold_areas``) with its threshold. ``column`` names the
    schema registry column that measures it (``poverty_rate_pct`` for 11.1 "Tỷ lệ hộ nghèo"), or
    None when the indicator has its own column ``cNN_M`` (:attr:`key`)."""

    number: str
    name_vi: str
    name_en: str
    source: str
    unit: str | None = None
    note: str | None = None
    thresholds: tuple[tuple[str, Threshold], ...] = ()
    confidence: str | None = None
    column: str | None = None

    @property
    def data_column(self) -> str:
        """The dataset column holding the indicator's values: the registry column it is linked to
        (``column``), else its own ``cNN_M`` (:attr:`key`)."""
        return self.column or self.key

    @property
    def key(self) -> str:
        """The indicator's column in dataset tables: ``"c04_2"`` for indicator 4.2 (the criterion's
        column, ``_`` and the indicator's own number)."""
        crit, sub = self.number.split(".")
        return f"c{int(crit):02d}_{int(sub)}"

    def name(self, lang: str = "vi") -> str:
        return Bilingual.of(self, "name").pick(lang)

    def threshold(self, area: str) -> Threshold | None:
        """The threshold for ``area`` (a region or commune-group key), or None when the text found
        gives none."""
        return dict(self.thresholds).get(area)


@dataclass(frozen=True)
class Criterion:
    """One criterion of a framework; ``key`` (``c01``..) is its column in dataset tables."""

    number: int
    key: str
    name_vi: str
    name_en: str
    source: str
    group: str | None = None
    indicators: tuple[Indicator, ...] = ()

    @property
    def code(self) -> str:
        """The dataset column (same as ``key``; the name :mod:`ntm_geo.datasets.schema` reads)."""
        return self.key

    def name(self, lang: str = "vi") -> str:
        return Bilingual.of(self, "name").pick(lang)

    def label(self, lang: str = "vi") -> str:
        """ "3. Thủy lợi và phòng, chống thiên tai" / "3. Irrigation and disaster prevention"."""
        return f"{self.number}. {self.name(lang)}"


@dataclass(frozen=True)
class Group:
    """A content group of criteria (e.g. "Hạ tầng kinh tế - xã hội")."""

    key: str
    name_vi: str
    name_en: str
    source: str


@dataclass(frozen=True)
class ThresholdArea:
    """A region (vùng) or commune group (xã nhóm) the thresholds are set for."""

    key: str
    name_vi: str
    name_en: str
    source: str
    definition_vi: str | None = None
    definition_en: str | None = None


@dataclass(frozen=True)
class Level:
    """A recognition level of the framework: standard, advanced (nâng cao), model (kiểu mẫu),
    modern (hiện đại)…; ``decision`` is set when another decision than the framework's gives it."""

    key: str
    name_vi: str
    name_en: str
    source: str
    decision: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Framework:
    """A criteria framework read from one file (see the module docstring for the format).

    ``years`` is the inclusive period (first, last); ``indicator_count`` the total number of
    indicators the legal text states (None when no source found gives it), which can exceed the
    indicators listed in ``criteria`` (see ``not_found``). ``file`` is the file's name (no folder),
    ``builtin`` whether it ships with the app.
    """

    id: str
    decision: str
    title_vi: str
    title_en: str
    years: tuple[int, int]
    criteria: tuple[Criterion, ...]
    levels: tuple[Level, ...]
    sources: tuple[Source, ...]
    area_kind: str = "none"
    areas: tuple[ThresholdArea, ...] = ()
    groups: tuple[Group, ...] = ()
    signed: str | None = None
    in_force: str | None = None
    source: str | None = None
    in_force_source: str | None = None
    indicator_count: int | None = None
    indicator_count_source: str | None = None
    notes: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    file: str = ""
    builtin: bool = field(default=False, compare=False)

    @property
    def criterion_keys(self) -> tuple[str, ...]:
        """Dataset column names of the criteria, in number order (``("c01", …)``)."""
        return tuple(c.key for c in self.criteria)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator listed, in criterion order."""
        return tuple(i for c in self.criteria for i in c.indicators)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def criterion(self, number: int) -> Criterion:
        """The criterion with this number; ConfigError listing the allowed numbers otherwise."""
        for c in self.criteria:
            if c.number == number and type(number) is int:
                return c
        n = len(self.criteria)
        raise ConfigError(
            f"Framework {self.decision} has no criterion {number!r}; allowed numbers: 1-{n}.",
            f"Bộ tiêu chí {self.decision} không có tiêu chí {number!r}; số tiêu chí hợp lệ: 1-{n}.",
        )

    def group(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise ConfigError(
            f"Framework {self.decision} has no criteria group {key!r}; groups: {', '.join(g.key for g in self.groups) or '(none)'}.",
            f"Bộ tiêu chí {self.decision} không có nhóm tiêu chí {key!r}; các nhóm: {', '.join(g.key for g in self.groups) or '(không có)'}.",
        )

    def source_of(self, key: str) -> Source:
        return next(s for s in self.sources if s.key == key)

    def label(self, lang: str = "vi") -> str:
        """ "QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí)" / "Decision … (2026–2030, 10 criteria)"."""
        span = f"{self.years[0]}–{self.years[1]}"
        n = len(self.criteria)
        return Bilingual(
            f"QĐ {self.decision} ({span}, {n} tiêu chí)", f"Decision {self.decision} ({span}, {n} criteria)"
        ).pick(lang)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (what ``python -m ntm_geo frameworks --json`` prints); see
        :func:`ntm_geo.criteria.framework_listing.framework_to_dict`."""
        from ntm_geo.criteria.framework_listing import framework_to_dict

        return framework_to_dict(self)
