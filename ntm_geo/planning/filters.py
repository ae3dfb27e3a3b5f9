"""Filters of the planner: districts, groups, "not yet meeting the standard", one criterion not
met, and yes/no flags — applied to a :func:`ntm_geo.planning.candidates.candidate_table`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_geo.errors import ConfigError
from ntm_geo.planning.candidates import criteria_of, flag_columns
from ntm_geo.planning.candidates import criteria_total as _total
from ntm_geo.planning.groups import (
    ALL_MET_GROUP,
    GROUPS,
    NO_DATA_GROUP,
    NOT_ALL_MET_GROUP,
    NOT_ASSESSED_GROUP,
)


# --------------------------------------------------------------------------- filters
@dataclass(frozen=True)
class Filters:
    """What the planner narrows the candidates to. Empty / ``False`` / ``None`` = no filter.

    ``districts``: district codes (3 digits; units of 2011–2025); ``commune_groups``: commune
    groups 1–3 (Decision 51/2025; units whose table gives one); ``groups``: group keys
    (:func:`ntm_geo.planning.groups.group_keys`, or ``not_assessed``); ``not_meeting_standard``:
    only xã with fewer than all N criteria of the table's framework; ``criterion_not_met``: a
    criterion number 1–N the xã must *not* meet; ``flags``: yes/no column names that must be yes
    — prefix ``!`` for "must be no" (``"!car_access_all_season"``).
    """

    districts: tuple[str, ...] = ()
    commune_groups: tuple[int, ...] = ()
    groups: tuple[str, ...] = ()
    not_meeting_standard: bool = False
    criterion_not_met: int | None = None
    flags: tuple[str, ...] = ()


def apply_filters(table: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Rows of a :func:`candidate_table` that pass every filter (row order kept).

    Raises
    ------
    ConfigError
        Unknown group key, criterion number outside 1–N (the table's framework), or a flag that is not a yes/no column
        of the table (the message lists the allowed values).
    """
    keep = pd.Series(True, index=table.index)
    if filters.districts:
        keep &= table["district_code"].isin(filters.districts)
    if filters.commune_groups:
        if "commune_group" not in table.columns:
            raise ConfigError(
                "Commune group filter: this dataset gives no commune group (xã nhóm 1/2/3).",
                "Bộ lọc nhóm xã: bộ dữ liệu này không có cột nhóm xã (xã nhóm 1/2/3).",
            )
        keep &= table["commune_group"].isin(filters.commune_groups).fillna(False).astype(bool)
    if filters.groups:
        allowed = [*GROUPS, NOT_ASSESSED_GROUP, NO_DATA_GROUP, ALL_MET_GROUP, NOT_ALL_MET_GROUP]
        bad = [g for g in filters.groups if g not in allowed]
        if bad:
            raise ConfigError(
                f"Unknown group filter {bad[0]!r}; allowed: {', '.join(allowed)}.",
                f"Bộ lọc nhóm không hợp lệ {bad[0]!r}; các giá trị hợp lệ: {', '.join(allowed)}.",
            )
        keep &= table["group"].isin(filters.groups)
    if filters.not_meeting_standard:
        keep &= table["assessed"] & (table["criteria_met"] < _total(table)).fillna(False).astype(bool)
    if filters.criterion_not_met is not None:
        number = filters.criterion_not_met
        top = _total(table)
        if not isinstance(number, (int, np.integer)) or not 1 <= int(number) <= top:
            raise ConfigError(
                f"criterion_not_met = {number!r}; use a criterion number 1–{top} or None.",
                f"criterion_not_met = {number!r}; hãy dùng số tiêu chí 1–{top} hoặc None.",
            )
        col = criteria_of(table)[int(number) - 1].code
        keep &= (table[col] == False).fillna(False).astype(bool)  # noqa: E712 - NA (no data) is not "not met"
    allowed_flags = flag_columns(table)
    for flag in filters.flags:
        name, wanted = (flag[1:], False) if flag.startswith("!") else (flag, True)
        if name not in allowed_flags:
            raise ConfigError(
                f"Flag {flag!r} is not a yes/no column of the dataset; allowed: {', '.join(allowed_flags)} "
                f"(prefix '!' for 'no').",
                f"Cờ lọc {flag!r} không phải cột có/không của bộ dữ liệu; các cột hợp lệ: {', '.join(allowed_flags)} "
                f"(thêm '!' ở đầu để lọc 'không').",
            )
        keep &= (table[name] == wanted).fillna(False).astype(bool)
    return table.loc[keep]
