"""Which units an imported table's rows are matched against: the 2015 or the 2025 vintage."""

from __future__ import annotations

import pandas as pd

from ntm_geo.datasets.importing.reading import RawTable
from ntm_geo.geo.units import official_units
from ntm_geo.geo.vintage_match import VintageDecision, detect_table_vintage
from ntm_geo.geo.vintages import FIRST_YEAR_2025_UNITS, get_vintage, vintage_of_year


def vintage_units(vintage: str) -> pd.DataFrame:
    """The unit table rows are matched against for a vintage ("2015" | "2025").

    "2015": :func:`ntm_geo.geo.units.official_units` (226 units, 11 districts). "2025": the 65
    units of ``data/units_2025.tsv`` with empty ``district_code``/``district_name`` (no district
    level since 1 July 2025). Unknown vintage raises :class:`~ntm_geo.errors.ConfigError`.
    """
    if str(vintage) == "2015":
        return official_units()
    units = get_vintage(vintage).load_units().copy()
    units["district_code"] = units["district_code"].fillna("").astype(str)
    units["district_name"] = units["district_name"].fillna("").astype(str)
    return units


__all__ = ["FIRST_YEAR_2025_UNITS", "decide_vintage", "vintage_units"]


def decide_vintage(raw: RawTable, year: int) -> VintageDecision | None:
    """The table's vintage from all its rows, or None when it has no code or name column.

    On a tie (e.g. only codes that both vintages know) the year decides: 2025 units from
    :data:`FIRST_YEAR_2025_UNITS` (:func:`ntm_geo.geo.vintages.vintage_of_year`), else 2015.
    """
    if raw.column_of("commune_code") is None and raw.column_of("name") is None:
        return None
    return detect_table_vintage(raw, prefer=vintage_of_year(year))
