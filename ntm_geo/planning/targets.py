"""Which programme target a dataset's planner may show, derived from the dataset's criteria framework.

The only per-commune target this project holds is the **2020 target of Report 48/BC-BCĐ**
(Lạng Sơn, 5 May 2016, "Mục tiêu đến năm 2020"): xã counted in the report's five groups of the
19 criteria (72 / 8 / 37 / 90 / 0, mean 11.8; ``data/report_48_2016_lang_son.yaml``). It is a
target of the 2016–2020 programme measured on a 19-criteria framework, so it applies to a dataset
whose framework (:mod:`ntm_geo.criteria.frameworks`)

* has 19 criteria (the report's groups count 19), and
* starts no later than the target year (491/342 for 2011–2015, 1980 for 2016–2020): a framework
  of a later period (318 for 2021–2025, 51/2025 for 2026–2030) is measured against its own
  programme's targets, not the 2020 one.

No target of the 2026–2035 programme (Resolution 257/2025/QH15, Decision 51/2025/QĐ-TTg) is held
here: the national texts give shares of communes for the whole country, not a per-commune
distribution for Lạng Sơn, so a 2026 dataset gets no target tab rather than a wrong one. A
province target can be added as another :class:`ProgrammeTarget` with its source.

Examples
--------
>>> from ntm_geo.criteria.frameworks import framework
>>> target_for(framework("qd491_342")).year
2020
>>> target_for(framework("qd51_2025")) is None
True
"""

from __future__ import annotations

from dataclasses import dataclass

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import Framework
from ntm_geo.criteria.reference import Distribution, load_reference
from ntm_geo.planning.groups import STANDARD


@dataclass(frozen=True)
class ProgrammeTarget:
    """A target distribution of xã by criteria met, for one year, under ``criteria_count`` criteria.

    ``distribution``: the target counts per group (``Distribution.groups``: labels "19", "15-18" …)
    and the mean criteria per xã; ``source``: where it is printed.
    """

    year: int
    criteria_count: int
    distribution: Distribution
    source: Bilingual

    def applies_to(self, fw: Framework | None) -> bool:
        """Whether a dataset under ``fw`` (None: a table without a declared framework, read as the
        19 criteria of 491/342) is measured against this target (see the module docstring)."""
        if fw is None:
            return self.criteria_count == STANDARD
        return len(fw.criteria) == self.criteria_count and fw.years[0] <= self.year


def report_48_target() -> ProgrammeTarget:
    """The 2020 target of Report 48/BC-BCĐ (19 criteria; 72 / 8 / 37 / 90 / 0 xã, mean 11.8)."""
    return ProgrammeTarget(
        year=2020,
        criteria_count=STANDARD,
        distribution=load_reference().distributions["2020_target"],
        source=Bilingual(
            "Báo cáo 48/BC-BCĐ ngày 05/5/2016, Mục tiêu đến năm 2020",
            "Report 48/BC-BCĐ of 5 May 2016, targets for 2020",
        ),
    )


def target_for(fw: Framework | None) -> ProgrammeTarget | None:
    """The programme target the planner shows for a dataset under ``fw``, or None (no target tab)."""
    target = report_48_target()
    return target if target.applies_to(fw) else None
