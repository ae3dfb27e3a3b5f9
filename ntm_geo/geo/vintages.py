"""Unit vintages: which set of commune-level units (and boundaries) a map or table is on.

A *vintage* is a set of units with codes, names, types, a parent level (district or none) and
boundaries. Two are registered in :data:`VINTAGES`:

``2015``
    226 units (207 xã, 14 thị trấn, 5 phường) in 11 districts: GSO 2015 code list
    (``data/units_gso2015.tsv``) on the censusVN2009 polygons (:mod:`ntm_geo.geo.boundaries`).
    The NTM report 48/BC-BCĐ (2016) and the illustrative data are on this vintage.
``2025``
    65 units (61 xã, 4 phường), no district level, from 1 July 2025 (Resolution
    1672/NQ-UBTVQH15 of 16 June 2025): ``data/units_2025.tsv`` on the boundaries of
    :mod:`ntm_geo.geo.boundaries_2025`. Codes are GSO codes kept from one former unit each (a
    new unit often keeps a former unit's code *or* name: decide a table's vintage on the whole
    table, never row by row).

Between them (public facts, not units of this registry): Resolution 818/NQ-UBTVQH14 of
21 November 2019 (226 → 200 units) and a 2024 round (→ 194 units, the units that the legal
mapping of 2025 starts from: ``data/legal_2024_2025.tsv``, see :mod:`ntm_geo.geo.crosswalk`).

Look a vintage up with :func:`get_vintage` (unknown keys raise :class:`ConfigError` listing the
allowed ones).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError, unknown_key
from ntm_geo.geo.units import UNIT_TYPES, official_units

if TYPE_CHECKING:  # the boundaries modules are imported only when boundaries are loaded
    from ntm_geo.geo.boundaries import Boundaries

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
UNITS_2025_TSV = DATA_DIR / "units_2025.tsv"

#: The resolution that made the 2025 units (for notices and source lines).
RESOLUTION_2025 = "1672/NQ-UBTVQH15"
RESOLUTION_2019 = "818/NQ-UBTVQH14"


@dataclass(frozen=True)
class Vintage:
    """One registered vintage.

    Attributes
    ----------
    key : str
        "2015" or "2025" (what links, ``--from``/``--to`` and exports say).
    label_vi, label_en : str
        Human label for source lines ("Đơn vị hành chính 2025 (65 xã, phường)").
    unit_count : int
        Number of commune-level units (226, 65).
    has_districts : bool
        Whether units have a district parent (False from 1 July 2025).
    legal_basis : str
        Where the units come from.
    load_units : callable() -> DataFrame
        The unit list: ``commune_code``, ``name_with_type``, ``name``, ``unit_type``,
        ``assessed``, ``district_code``, ``district_name`` (None when no districts).
    load_boundaries : callable() -> Boundaries
        :class:`ntm_geo.geo.boundaries.Boundaries` (cached in ``shapes/``).
    boundary_source : str
        Citation of the boundary file.
    """

    key: str
    label_vi: str
    label_en: str
    unit_count: int
    has_districts: bool
    legal_basis: str
    load_units: Callable[[], pd.DataFrame]
    load_boundaries: Callable[[], Boundaries]
    boundary_source: str

    def source_line(self, lang: str = "vi") -> str:
        """One line for a map's source note: the vintage and its boundary source."""
        label = Bilingual.of(self, "label").pick(lang)
        return f"{label}; {self.boundary_source}"


@lru_cache(maxsize=1)
def _units_2025() -> pd.DataFrame:
    table = pd.read_csv(UNITS_2025_TSV, sep="\t", dtype=str, keep_default_na=False)
    table = table.rename(columns={"type": "unit_type"})
    unknown = sorted(set(table["unit_type"]) - set(UNIT_TYPES))
    if unknown:
        raise ConfigError(
            f"{UNITS_2025_TSV.name}: unknown unit type(s) {unknown}; allowed: {', '.join(UNIT_TYPES)}.",
            f"{UNITS_2025_TSV.name}: loại đơn vị không hợp lệ {unknown}; hợp lệ: {', '.join(UNIT_TYPES)}.",
            file=UNITS_2025_TSV.name,
            column="type",
        )
    table["name"] = [
        n[len(UNIT_TYPES[t][0]) + 1 :] if n.startswith(UNIT_TYPES[t][0] + " ") else n
        for n, t in zip(table["name_with_type"], table["unit_type"], strict=True)
    ]
    table["assessed"] = table["unit_type"].map(lambda t: UNIT_TYPES[t][2])
    table["district_code"] = None
    table["district_name"] = None
    return table


def units_2025() -> pd.DataFrame:
    """The 65 units of 2025 (``data/units_2025.tsv``, public facts of Resolution 1672/NQ-UBTVQH15).

    Returns
    -------
    pandas.DataFrame
        65 rows in code order: ``commune_code`` (GSO, 5 digits), ``name_with_type``
        ("Phường Tam Thanh"), ``unit_type`` ("xa" | "phuong"), ``name`` ("Tam Thanh"),
        ``assessed`` (bool, xã only), ``district_code`` and ``district_name`` (None). A copy.
    """
    return _units_2025().copy()


def _units_2015() -> pd.DataFrame:
    return official_units()[
        ["commune_code", "name_with_type", "unit_type", "name", "assessed", "district_code", "district_name"]
    ]


def _boundaries_2015() -> Boundaries:
    from ntm_geo.geo.boundaries import load_boundaries

    return load_boundaries()


def _boundaries_2025() -> Boundaries:
    from ntm_geo.geo.boundaries_2025 import load_boundaries_2025

    return load_boundaries_2025()


VINTAGES: dict[str, Vintage] = {
    "2015": Vintage(
        key="2015",
        label_vi="Đơn vị hành chính 2015 (226 xã, phường, thị trấn; 11 huyện)",
        label_en="2015 units (226 communes, wards, townships; 11 districts)",
        unit_count=226,
        has_districts=True,
        legal_basis="GSO code list 2015",
        load_units=_units_2015,
        load_boundaries=_boundaries_2015,
        boundary_source="censusVN2009 (M. Choisy, L. Contamin), MIT",
    ),
    "2025": Vintage(
        key="2025",
        label_vi="Đơn vị hành chính 2025 (65 xã, phường; không còn cấp huyện)",
        label_en="2025 units (65 communes and wards; no district level)",
        unit_count=65,
        has_districts=False,
        legal_basis=f"Resolution {RESOLUTION_2025} of 16 June 2025, in force 1 July 2025",
        load_units=units_2025,
        load_boundaries=_boundaries_2025,
        boundary_source="vietnamese-provinces-database (thanglequoc), MIT, @cd58063",
    ),
}
DEFAULT_VINTAGE = "2015"

#: First year whose data are on the 2025 units. The units changed on 1 July 2025 (Resolution
#: 1672/NQ-UBTVQH15); a year's NTM results are assessed over the whole year, and 2021–2025 were
#: assessed under Decision 318 on the units that year began with, so 2025 stays on the 2015 units
#: (as far as this registry knows them) and 2026 is the first year on the 65 units.
FIRST_YEAR_2025_UNITS = 2026


def vintage_of_year(year: int) -> str:
    """The vintage a table or template of ``year`` is keyed by: "2025" from
    :data:`FIRST_YEAR_2025_UNITS` on, else "2015" (the only earlier registered vintage)."""
    return "2025" if int(year) >= FIRST_YEAR_2025_UNITS else "2015"


def get_vintage(key: str | int) -> Vintage:
    """The registered vintage ``key`` ("2015" or "2025"; an int is accepted).

    Raises
    ------
    ConfigError
        Unknown key; the message lists the allowed keys.
    """
    text = str(key).strip()
    if text not in VINTAGES:
        raise unknown_key(text, VINTAGES, Bilingual("Bộ đơn vị hành chính", "unit vintage"))
    return VINTAGES[text]
