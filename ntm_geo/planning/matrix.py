"""The criteria gap matrix: communes × the criteria of the table's framework (met / not met), and
how many xã miss each."""

from __future__ import annotations

import re

import pandas as pd

from ntm_geo.planning.candidates import criteria_of

_CRITERION = re.compile(r"^c\d{2}$")


def gap_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Communes × criteria (met / not met) for the assessed xã of ``table``, in its row order.

    Columns: ``commune_code``, ``name``, ``district_name``, ``criteria_met`` (Int64), ``gap``
    (Int64) and one boolean column per criterion of the table's framework — ``c01``..``c19``, or
    ``c01``..``c10`` under 51/2025 (True met, False not met, NA no data). Sort it with :meth:`DataFrame.sort_values` (e.g. by ``gap`` or a criterion column).
    """
    rows = table.loc[table["assessed"].astype(bool)]
    keys = [c.code for c in criteria_of(table)]
    return rows[["commune_code", "name", "district_name", "criteria_met", "gap", *keys]].reset_index(
        drop=True
    )


def not_met_counts(matrix: pd.DataFrame) -> pd.Series:
    """For each criterion column of the matrix (``c01``..): how many xã of the matrix do not meet it."""
    keys = [c for c in matrix.columns if _CRITERION.match(str(c))]
    return pd.Series({c: int((matrix[c] == False).fillna(False).sum()) for c in keys})  # noqa: E712 - elementwise; NA is not "not met"
