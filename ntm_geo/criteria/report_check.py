"""Compare a per-commune dataset with the province figures of report 48/BC-BCĐ (2016).

Each figure the report prints for a year is recomputed from the per-commune data, the documented
way (the ``weighting`` of each column in :mod:`ntm_geo.datasets.schema`):

* counts of xã meeting each criterion (2015), groups by number of criteria met, mean criteria
  per xã (over the 207 xã; tolerance: half a unit of the last printed digit);
* poverty rate: population-weighted (``population_2009``) over all 226 units, ± 0.05 points;
  districts below 10 %: population-weighted district means over all their units (2015);
* road hardening and cropland irrigated: area-weighted (``area_km2``, a proxy for road length
  and cropland) over the xã; households using electricity: population-weighted over all units;
  households with hygienic water: population-weighted over the xã (the report speaks of rural
  households); all-season car access: share of xã (unweighted); ± 0.5 points.

Examples
--------
>>> from ntm_geo.datasets.contract import load_illustrative          # doctest: +SKIP
>>> rows = compare(load_illustrative(2015), units, 2015)     # doctest: +SKIP
>>> all(r.ok for r in rows)                                  # doctest: +SKIP
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS, criterion
from ntm_geo.criteria.reference import ReportReference, load_reference
from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError, DataError
from ntm_geo.maps.classify import format_number

POVERTY_DISTRICT_THRESHOLD_PCT = 10.0
#: Units of the figures that count units (printed without decimals).
COUNT_UNITS = ("xã", "huyện", "đơn vị")

#: 2015 infrastructure figures: (key, report field, dataset column). Labels come from the schema
#: registry: a percentage's header without its unit, a flag's label (as a share of xã).
INFRASTRUCTURE: tuple[tuple[str, str, str], ...] = (
    ("road_hardened_pct", "rural_road_hardened_pct", "road_hardened_pct"),
    ("electricity_hh_pct", "households_using_electricity_pct", "electricity_hh_pct"),
    ("irrigated_cropland_pct", "irrigated_cropland_pct", "irrigated_cropland_pct"),
    ("hygienic_water_hh_pct", "households_hygienic_water_pct", "hygienic_water_hh_pct"),
    ("car_access_all_season_pct", "road_car_access_commune_centre_all_season_pct", "car_access_all_season"),
)


def _figure_label(col: str) -> Bilingual:
    c = schema.column(col)
    if c.kind == "flag":
        return c.label
    return Bilingual(*(re.sub(r"\s*\([^)]*\)$", "", h) for h in (c.header.vi, c.header.en)))


@dataclass(frozen=True)
class FigureComparison:
    """One report figure next to the value recomputed from the data.

    ``unit`` is ``"xã"`` (count of communes), ``"huyện"`` (count of districts), ``"tiêu chí"``
    (criteria per commune) or ``"%"``. ``computed_value`` is NaN when the data lack the column.
    """

    key: str
    label_vi: str
    label_en: str
    report_value: float
    computed_value: float
    tolerance: float
    unit: str
    ok: bool

    @property
    def label(self) -> Bilingual:
        return Bilingual(self.label_vi, self.label_en)

    @property
    def decimals(self) -> int:
        """The decimals the report prints this figure with: 0 for counts (xã, huyện, đơn vị),
        else as many as the report's value has (``11.9`` → 1, ``100`` → 0; at most 2)."""
        if self.unit in COUNT_UNITS:
            return 0
        text = f"{self.report_value:.2f}".rstrip("0").rstrip(".")
        return len(text.partition(".")[2])

    def value_text(self, value: float, lang: str = "vi") -> str:
        """``value`` (this figure's report or computed value) as the reader writes numbers, at the
        report's precision (:attr:`decimals`) with :func:`ntm_geo.maps.classify.format_number`:
        Vietnamese ``11,9``, English ``11.9``; "—" for NaN (the data lack the column)."""
        if not np.isfinite(value):
            return "—"
        return format_number(value, lang, self.decimals)


def _figure(
    key: str,
    label_vi: str,
    label_en: str,
    report: float,
    computed_or_none: float | None,
    tolerance: float,
    unit: str,
) -> FigureComparison:
    computed = float(computed_or_none) if computed_or_none is not None else float("nan")
    ok = bool(np.isfinite(computed) and abs(computed - float(report)) <= tolerance + 1e-9)
    return FigureComparison(key, label_vi, label_en, float(report), computed, float(tolerance), unit, ok)


def _group_key(label: str) -> str:
    return "group_" + label.replace("<", "lt").replace("-", "_")


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    mask = values.notna()
    if not mask.any():
        return float("nan")
    v = values[mask].astype(float)
    w = weights[mask].astype(float)
    return float((v * w).sum() / w.sum())


def _merge(dataset: pd.DataFrame, units: pd.DataFrame, year: int) -> pd.DataFrame:
    rows = dataset[dataset["year"] == year] if "year" in dataset.columns else dataset
    if rows.empty:
        raise DataError(
            f"The dataset has no rows for {year}.",
            f"Bộ dữ liệu không có dòng nào cho năm {year}.",
            column="year",
        )
    need = ["commune_code", "unit_type", "district_code", "population_2009", "area_km2"]
    missing = [c for c in need if c not in units.columns]
    if missing:
        raise DataError(
            f"The unit table lacks column(s) {', '.join(missing)} needed for weighting.",
            f"Bảng đơn vị thiếu cột {', '.join(missing)} cần cho việc tính trọng số.",
            column=missing[0],
        )
    merged = rows.merge(pd.DataFrame(units[need]), on="commune_code", how="left", validate="one_to_one")
    unknown = merged["unit_type"].isna()
    if unknown.any():
        code = merged.loc[unknown, "commune_code"].iloc[0]
        raise DataError(
            f"Commune code {code} of the dataset is not in the unit table.",
            f"Mã xã {code} của bộ dữ liệu không có trong bảng đơn vị.",
            column="commune_code",
        )
    return merged


def report_years(reference: ReportReference | None = None) -> tuple[int, ...]:
    """Years the report gives commune figures for (from the reference file: 2011, 2015; its
    targets, keyed by text such as ``"2020_target"``, are not years of data)."""
    return tuple(sorted(y for y in (reference or load_reference()).distributions if isinstance(y, int)))


def check_table(
    table: pd.DataFrame, units: pd.DataFrame, year: int, reference: ReportReference | None = None
) -> list[FigureComparison]:
    """The report check of an imported or saved table — the one path of the data page and the
    command line.

    Returns :func:`compare`'s rows, or ``[]`` when the report has no figures for ``year`` (see
    :func:`report_years`) or the table has no rows. Raises as :func:`compare` does.
    """
    ref = reference or load_reference()
    if year not in report_years(ref) or not len(table):
        return []
    return compare(table, units, year, ref)


def compare(
    dataset: pd.DataFrame, units: pd.DataFrame, year: int, reference: ReportReference | None = None
) -> list[FigureComparison]:
    """All report figures for ``year`` (2011 or 2015), each recomputed from ``dataset``.

    An indicator or flag column without any value (a table with criteria only, read by the
    import, has them empty) is no data, exactly like an absent column: its figures are left out
    (poverty) or listed without a computed value (2015 infrastructure), never counted as zero.

    Parameters
    ----------
    dataset : pandas.DataFrame
        As returned by :func:`ntm_geo.datasets.contract.load_dataset_csv` (criteria as booleans).
    units : pandas.DataFrame
        Unit table with ``commune_code``, ``unit_type``, ``district_code``, ``population_2009``
        (people) and ``area_km2`` (km²) — e.g. ``ntm_geo.geo.boundaries.load_communes()``.
    year : int
        2011 or 2015.

    Raises
    ------
    ConfigError
        For another year.
    DataError
        When the dataset has no rows for the year or codes are missing from the unit table.
    """
    ref = reference or load_reference()
    years = report_years(ref)
    if year not in years:
        raise ConfigError(
            f"The report has no figures for year {year!r}; allowed years: {', '.join(map(str, years))}.",
            f"Báo cáo không có số liệu cho năm {year!r}; các năm hợp lệ: {', '.join(map(str, years))}.",
        )
    empty = [k for k in schema.column_keys("indicator", "flag") if k in dataset and dataset[k].isna().all()]
    data = _merge(dataset.drop(columns=empty), units, year)
    xa = data[data["unit_type"] == "xa"]
    met = xa["criteria_met"].astype("Float64")
    out: list[FigureComparison] = [
        _figure(
            "units_in_dataset",
            "Số đơn vị cấp xã có trong bộ dữ liệu",
            "Commune-level units in the dataset",
            ref.commune_level_units,
            int(data["commune_code"].nunique()),
            0,
            "đơn vị",
        ),
        _figure(
            "communes_assessed",
            "Số xã được đánh giá",
            "Communes assessed",
            ref.communes_assessed,
            int(met.notna().sum()),
            0,
            "xã",
        ),
    ]

    if year == 2015:
        for n, item in sorted(ref.criteria_met_2015.items()):
            c = criterion(n)
            col = CRITERION_COLUMNS[n - 1]
            computed = int(xa[col].astype("boolean").fillna(False).sum())
            out.append(
                _figure(
                    f"criterion_{n:02d}_met",
                    f"Số xã đạt tiêu chí {n} ({c.name_vi})",
                    f"Communes meeting criterion {n} ({c.name_en})",
                    item.met,
                    computed,
                    0,
                    "xã",
                )
            )

    dist = ref.distributions[year]
    for g in dist.groups:
        computed = int(((met >= g.low) & (met <= g.high)).fillna(False).sum())
        out.append(
            _figure(
                _group_key(g.label),
                f"Số xã đạt {g.label} tiêu chí",
                f"Communes with {g.label} criteria",
                g.count,
                computed,
                0,
                "xã",
            )
        )
    if year == 2015:  # "không còn xã dưới 2 tiêu chí"
        out.append(
            _figure(
                "group_lt2",
                "Số xã đạt dưới 2 tiêu chí",
                "Communes with fewer than 2 criteria",
                0,
                int((met < 2).fillna(False).sum()),
                0,
                "xã",
            )
        )
    decimals = len(f"{dist.mean}".split(".")[1]) if "." in f"{dist.mean}" else 0
    out.append(
        _figure(
            "criteria_mean",
            "Bình quân số tiêu chí/xã",
            "Mean criteria per commune",
            dist.mean,
            float(met.mean()) if met.notna().any() else None,
            0.5 * 10**-decimals,
            "tiêu chí",
        )
    )

    if year in ref.poverty_rate_pct and "poverty_rate_pct" in data.columns:
        out.append(
            _figure(
                "poverty_rate_pct",
                "Tỷ lệ hộ nghèo toàn tỉnh",
                "Poor households, province",
                ref.poverty_rate_pct[year],
                _weighted(data["poverty_rate_pct"], data["population_2009"]),
                0.05,
                "%",
            )
        )
    if year == 2015 and "poverty_rate_pct" in data.columns:
        by_district = {
            d: _weighted(g["poverty_rate_pct"], g["population_2009"])
            for d, g in data.groupby("district_code")
        }
        below = sum(1 for v in by_district.values() if v < POVERTY_DISTRICT_THRESHOLD_PCT)
        out.append(
            _figure(
                "districts_poverty_below_10pct",
                "Số huyện, thành phố có tỷ lệ hộ nghèo dưới 10%",
                "Districts with poverty below 10 %",
                ref.districts_below_10pct_poverty_2015,
                below,
                0,
                "huyện",
            )
        )

    if year == 2015:
        for key, field, col in INFRASTRUCTURE:
            label = _figure_label(col)
            report = ref.infrastructure_2015[field]
            scope, weight = schema.column(col).weighting or ("all", "count")
            rows = xa if scope == "xa" else data
            value: float | None
            if col not in rows.columns:
                value = None
            elif weight == "count":
                flags = rows[col].astype("boolean").astype("Float64")
                value = 100.0 * float(flags.mean()) if flags.notna().any() else None
            else:
                value = _weighted(rows[col].astype(float), rows[weight])
            out.append(_figure(key, label.vi, label.en, report, value, 0.5, "%"))
    return out


def display_table(rows: list[FigureComparison], lang: str = "vi") -> pd.DataFrame:
    """The comparison as the pages show it: columns figure, report value, computed value and
    ✓/✗, headers in ``lang`` (one row per figure, in ``rows`` order). The values are text, written
    as the reader writes numbers at the report's precision (:meth:`FigureComparison.value_text`:
    ``11,9`` / ``19,7`` in Vietnamese, not ``19.6542``); "—" = the data lack the column."""
    from ntm_geo.i18n import t

    return pd.DataFrame(
        {
            t("figure", lang): [r.label.pick(lang) for r in rows],
            t("report_value", lang): [r.value_text(r.report_value, lang) for r in rows],
            t("computed_value", lang): [r.value_text(r.computed_value, lang) for r in rows],
            t("match", lang): ["✓" if r.ok else "✗" for r in rows],
        }
    )


def all_ok(rows: list[FigureComparison]) -> bool:
    return all(r.ok for r in rows)
