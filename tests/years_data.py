"""A saved dataset with one imported table per year (2016-2019 by default), for the tests of
years from the data: each year is the illustrative 2015 table with more criteria met and less
poverty (seeded), written as a CSV, read by the data page's importer and saved by its save path."""

from __future__ import annotations

import numpy as np

from ntm_geo.datasets import store
from ntm_geo.datasets.contract import DatasetInfo, load_illustrative
from ntm_geo.datasets.importing.table import import_table

CRITERIA = [f"c{n:02d}" for n in range(1, 20)]


def year_csv(year: int, *, first: int = 2016, seed: int = 7) -> bytes:
    """CSV bytes of ``year``: criteria met grow and poverty falls with each year after ``first``."""
    table = load_illustrative(2015)[["commune_code", *CRITERIA, "poverty_rate_pct"]].copy()
    table.insert(1, "year", year)
    rng = np.random.default_rng(seed)
    draws = rng.random((len(table), len(CRITERIA)))  # the same draw every year: progress is cumulative
    share = 0.2 * (year - first + 1)
    for i, c in enumerate(CRITERIA):
        gain = table[c].notna() & (table[c] == False) & (draws[:, i] < share)  # noqa: E712  pandas boolean NA
        table.loc[gain, c] = True
    table["poverty_rate_pct"] = (table["poverty_rate_pct"] * (1 - 0.15 * (year - first + 1))).round(1)
    return (
        table.astype(object)
        .where(table.notna(), "")
        .replace({True: 1, False: 0})
        .to_csv(index=False)
        .encode()
    )


def save_years(years: tuple[int, ...] = (2016, 2017, 2018, 2019), *, password: str) -> DatasetInfo:
    """Import ``year_csv(y)`` for each year and save them as one dataset (store must be configured)."""
    info = None
    for year in years:
        report = import_table(year_csv(year, first=years[0]), f"ntm_{year}.csv", year=year)
        info = store.save_import(
            report.table,
            year,
            None,
            name="NTM theo năm",
            source="Thử nghiệm",
            uploaded_by="test",
            password=password,
            into=info.id if info else None,
        )
    assert info is not None
    return info
