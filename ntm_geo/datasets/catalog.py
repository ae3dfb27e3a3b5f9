"""The datasets the app can show: the illustrative one (always there) and saved ones.

One façade for every page: :func:`list_datasets`, :func:`get_dataset`, :func:`load_year`.
Saved datasets (imported by the provincial coordination office) come from the SQLite store of
:mod:`ntm_geo.datasets.store` when it is configured; the illustrative dataset is always listed first and
is always labelled illustrative (:attr:`DatasetInfo.illustrative`).

Each year's table has the column contract of :func:`ntm_geo.datasets.contract.load_dataset_csv`: one row
per unit, ``commune_code`` (str), ``c01``..``c19`` ("boolean", NA = not assessed / no data),
``criteria_met`` ("Int64"), indicator percentages (float, %), flags ("boolean").
"""

from __future__ import annotations

import pandas as pd

from ntm_geo.datasets import store
from ntm_geo.datasets.contract import ILLUSTRATIVE, DatasetInfo, load_illustrative
from ntm_geo.errors import ConfigError

ILLUSTRATIVE_ID = ILLUSTRATIVE.id


def _stored() -> list[DatasetInfo]:
    """Saved datasets from the store (none when no store is configured)."""
    return store.list_infos() if store.is_configured() else []


def list_datasets() -> list[DatasetInfo]:
    """All datasets, the illustrative one first."""
    return [ILLUSTRATIVE, *_stored()]


def all_years() -> tuple[int, ...]:
    """Every year some dataset has a table for, newest first (the years come from the data)."""
    return tuple(sorted({y for d in list_datasets() for y in d.years}, reverse=True))


def dataset_exists(dataset_id: str) -> bool:
    """Whether ``dataset_id`` names a dataset (used to validate shared links)."""
    return any(d.id == dataset_id for d in list_datasets())


def get_dataset(dataset_id: str) -> DatasetInfo:
    """Look a dataset up; raises :class:`ConfigError` listing the available ids."""
    for info in list_datasets():
        if info.id == dataset_id:
            return info
    allowed = ", ".join(d.id for d in list_datasets())
    raise ConfigError(
        f"Unknown dataset {dataset_id!r}; available: {allowed}.",
        f"Không có bộ dữ liệu {dataset_id!r}; các bộ hiện có: {allowed}.",
    )


def load_year(dataset_id: str, year: int) -> pd.DataFrame:
    """The table of ``dataset_id`` for ``year``.

    Raises
    ------
    ConfigError
        Unknown dataset, or the dataset has no table for ``year`` (message lists its years).
    """
    info = get_dataset(dataset_id)
    if year not in info.years:
        allowed = ", ".join(map(str, info.years))
        raise ConfigError(
            f"Dataset {dataset_id!r} has no table for {year}; its years: {allowed}.",
            f"Bộ dữ liệu {dataset_id!r} không có số liệu năm {year}; các năm có: {allowed}.",
        )
    if info.illustrative and info.id == ILLUSTRATIVE_ID:
        return load_illustrative(year)
    return store.load_table(dataset_id, year)
