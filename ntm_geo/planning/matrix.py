"""The criteria gap matrix: communes × criteria (met / not met), and how many xã miss each."""

from __future__ import annotations

import pandas as pd

from ntm_geo.criteria.framework import CRITERION_COLUMNS


# --------------------------------------------------------------------------- gap matrix
def gap_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Communes × 19 criteria (met / not met) for the assessed xã of ``table``, in its row order.

    Columns: ``commune_code``, ``name``, ``district_name``, ``criteria_met`` (Int64), ``gap``
    (Int64) and ``c01``..``c19`` (boolean: True met, False not met, NA no data). Sort it with
    :meth:`DataFrame.sort_values` (e.g. by ``gap`` or a criterion column) — every column sorts.
    """
    rows = table.loc[table["assessed"].astype(bool)]
    return rows[
        ["commune_code", "name", "district_name", "criteria_met", "gap", *CRITERION_COLUMNS]
    ].reset_index(drop=True)


def not_met_counts(matrix: pd.DataFrame) -> pd.Series:
    """For each criterion column ``c01``..``c19``: how many xã of the matrix do not meet it."""
    return pd.Series({c: int((matrix[c] == False).fillna(False).sum()) for c in CRITERION_COLUMNS})  # noqa: E712 - elementwise; NA is not "not met"
