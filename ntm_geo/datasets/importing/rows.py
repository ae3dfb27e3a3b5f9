"""Row validation: the typed values of one matched data row, every problem as a :class:`RowIssue`.

:func:`parse_values` reads the criteria of the table's framework, the criteria count (checked
against the criteria), the registry's indicators (each in its valid range), flags, population
and the commune group; :func:`typed_table` gives the dtypes of the dataset contract.
"""

from __future__ import annotations

import contextlib
import math
import re

import pandas as pd

from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.datasets import framework_indicators, schema
from ntm_geo.datasets.importing import registry
from ntm_geo.datasets.importing.limits import column_letter
from ntm_geo.datasets.importing.reading import RawTable
from ntm_geo.datasets.importing.report import RowIssue
from ntm_geo.datasets.importing.values import BLANK, clean_cell, parse_flag, parse_number


class DataRow:
    """One data row: cells by field, with issue helpers."""

    def __init__(self, raw: RawTable, row: int, cells: tuple[str, ...]) -> None:
        self.raw, self.row, self.cells = raw, row, cells
        self.issues: list[RowIssue] = []
        self.code: str | None = None

    def get(self, name: str) -> str:
        i = self.raw.column_of(name)
        return self.cells[i] if i is not None else ""

    def header(self, name: str) -> str | None:
        i = self.raw.column_of(name)
        return (self.raw.headers[i] or f"(cột {column_letter(i)})") if i is not None else None

    def issue(self, name: str | None, vi: str, en: str, value: str | None = None) -> RowIssue:
        col = self.header(name) if name else None
        if value is None and name:
            value = self.get(name)
        found = RowIssue(self.row, self.raw.sheet, col, self.code, value, vi, en)
        self.issues.append(found)
        return found


def has_data(row: DataRow) -> bool:
    """Does the row hold any value (criterion, count, indicator, flag, population)?"""
    value_fields = {
        *CRITERION_COLUMNS,
        "criteria_met",
        *registry.INDICATOR_COLUMNS,
        *registry.FLAG_COLUMNS,
        "population",
    }
    return any(
        row.cells[i].strip()
        for i, f in enumerate(row.raw.fields)
        if f in value_fields or (f and framework_indicators.is_indicator_key(f))
    )


def _num(value: float) -> str:
    return f"{value:.15g}"


def _indicator_value(row: DataRow, spec: schema.Column) -> float | None:
    """The value of indicator ``spec`` in ``row`` (None for a blank or a bad cell, reported in
    ``row.issues`` with its range): a number in ``spec.valid_range``; an indicator without a unit
    (a framework's yes/no standard, e.g. 4.1) also takes Đạt/Chưa đạt, 1/0, x (stored 1 / 0)."""
    low, high = spec.valid_range or (-math.inf, math.inf)
    pct = spec.unit == "%"
    vi_what, en_what = ("tỷ lệ", "percentage") if pct else ("giá trị", "value")
    bounds = f"{_num(low)}–{_num(high)}" if high < math.inf else f"≥ {_num(low)}"
    span = f"{bounds} {spec.unit}".strip()
    text = row.get(spec.key)
    try:
        value = parse_number(text)
    except ValueError:
        flag = None
        if not spec.unit and spec.framework is not None:
            with contextlib.suppress(ValueError):
                flag = parse_flag(text)
        if flag is None:
            yes_no_vi, yes_no_en = (
                ("" if spec.unit else ", hoặc Đạt/Chưa đạt"),
                ("" if spec.unit else ", or Đạt/Chưa đạt"),
            )
            row.issue(
                spec.key,
                f"không phải là số ({vi_what}{' %' if pct else ''}, {bounds}{yes_no_vi}).",
                f"not a number ({en_what}, {bounds}{yes_no_en}).",
            )
            return None
        value = 1.0 if flag else 0.0
    if value is not None and not low <= value <= high:
        row.issue(
            spec.key,
            f"{vi_what} {_num(value)} nằm ngoài {span}.",
            f"{en_what} {_num(value)} is outside {span}.",
        )
        return None
    return value


def parse_values(
    row: DataRow,
    unit_type: str,
    keys: tuple[str, ...] = CRITERION_COLUMNS,
    indicators: tuple[schema.Column, ...] = (),
) -> dict[str, object]:
    """Typed values of a matched row; problems are added to ``row.issues``. ``keys`` are the
    criterion columns of the table's framework (``c01``..``cNN``); the others stay NA.
    ``indicators`` are the framework's indicator columns the table has (``c04_2``,
    :mod:`ntm_geo.datasets.framework_indicators`), read as the registry's indicators are."""
    raw = row.raw
    n = len(keys)
    out: dict[str, object] = {"criteria_met": None, **{c: None for c in CRITERION_COLUMNS}}
    present = [c for c in keys if raw.column_of(c) is not None]
    invalid = False
    for c in keys:
        value: bool | float | None = None  # a criterion flag here; numbers below
        if c in present:
            try:
                value = parse_flag(row.get(c))
            except ValueError:
                invalid = True
                row.issue(
                    c,
                    "không phải giá trị tiêu chí; hãy ghi 1/0, Đạt/Chưa đạt, x, ✓ hoặc để trống (không có "
                    "số liệu).",
                    "not a criterion value; write 1/0, Đạt/Chưa đạt, x, ✓ or leave blank (no data).",
                )
        out[c] = value
    met_text = row.get("criteria_met")
    met = None
    try:
        met = parse_number(met_text)
    except ValueError:
        row.issue(
            "criteria_met", "số tiêu chí đạt không phải là số.", "the number of criteria met is not a number."
        )
    if met is not None and not (float(met).is_integer() and 0 <= met <= n):
        row.issue(
            "criteria_met",
            f"số tiêu chí đạt {_num(met)} nằm ngoài 0–{n} (số nguyên).",
            f"criteria met {_num(met)} is outside 0–{n} (whole number).",
        )
        met = None
    filled = [c for c in present if out[c] is not None]
    if unit_type != "xa":
        kind_vi, kind_en = (
            ("phường", "ward (phường)") if unit_type == "phuong" else ("thị trấn", "township (thị trấn)")
        )
        bad = filled + (["criteria_met"] if met_text.strip() and clean_cell(met_text) not in BLANK else [])
        if bad:
            row.issue(
                bad[0],
                f"đơn vị là {kind_vi}, không đánh giá theo bộ tiêu chí NTM: hãy để trống các tiêu chí "
                "và số tiêu chí đạt.",
                f"the unit is a {kind_en}, not assessed against the NTM criteria: leave "
                "the criteria and the criteria count blank.",
            )
        out.update({c: None for c in CRITERION_COLUMNS})
        out["criteria_met"] = None
    elif invalid:
        pass  # reported above
    elif len(present) == n and 0 < len(filled) < n:
        blank = next(c for c in present if out[c] is None)
        row.issue(
            blank,
            f"{n - len(filled)} tiêu chí để trống trong khi {len(filled)} tiêu chí có giá trị; hãy "
            f"điền đủ {n} (Chưa đạt = 0, không để trống) hoặc để trống cả {n}.",
            f"{n - len(filled)} criteria are blank while {len(filled)} are filled; fill all {n} (not met = 0, "
            f"never blank) or leave all {n} blank.",
        )
    elif len(present) == n and len(filled) == n:
        computed = sum(bool(out[c]) for c in present)
        if met is not None and met != computed:
            row.issue(
                "criteria_met",
                f"số tiêu chí đạt ghi {_num(met)} nhưng {n} cột tiêu chí có {computed} tiêu chí đạt.",
                f"criteria met is given as {_num(met)} but {computed} of the {n} criterion columns are met.",
            )
        out["criteria_met"] = computed
    elif len(present) == n and met is not None:
        row.issue(
            "criteria_met",
            f"số tiêu chí đạt ghi {_num(met)} nhưng {n} cột tiêu chí để trống.",
            f"criteria met is given as {_num(met)} but the {n} criterion columns are blank.",
        )
    else:
        out["criteria_met"] = met
    for spec in (*(registry.INDICATOR_SPECS[c] for c in registry.INDICATOR_COLUMNS), *indicators):
        out[spec.key] = _indicator_value(row, spec)
    for c in registry.FLAG_COLUMNS:
        try:
            out[c] = parse_flag(row.get(c))
        except ValueError:
            out[c] = None
            row.issue(
                c,
                "không phải giá trị có/không; hãy ghi 1/0, Có/Không hoặc để trống.",
                "not a yes/no value; write 1/0, Có/Không or leave blank.",
            )
    if raw.column_of("population") is not None:
        value = None
        try:
            value = parse_number(row.get("population"), integer=True)
        except ValueError:
            row.issue("population", "dân số không phải là số.", "population is not a number.")
        if value is not None and value < 0:
            row.issue("population", f"dân số âm ({_num(value)}).", f"negative population ({_num(value)}).")
            value = None
        out["population"] = value
    if raw.column_of("commune_group") is not None:
        text = clean_cell(row.get("commune_group"))
        group = None
        if text and text not in BLANK:
            m = re.fullmatch(r"(?:(?:xa )?nhom |xã nhóm |nhóm |group )?([123])(?:[.,]0+)?", text)
            if m:
                group = int(m.group(1))
            else:
                row.issue(
                    "commune_group",
                    "nhóm xã phải là 1, 2 hoặc 3 (QĐ 51/2025/QĐ-TTg).",
                    "the commune group must be 1, 2 or 3 (Decision 51/2025/QĐ-TTg).",
                )
        out["commune_group"] = group
    return out


def empty_table(
    with_population: bool, with_group: bool = False, indicators: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The import's table with no rows, typed as :func:`typed_table` makes it (``indicators``:
    the framework's indicator columns of the table, after the registry's columns)."""
    return typed_table(
        pd.DataFrame(
            columns=[
                *registry.TABLE_COLUMNS,
                *indicators,
                "name_as_written",
                *(["population"] if with_population else []),
                *(["commune_group"] if with_group else []),
            ]
        )
    )


def typed_table(table: pd.DataFrame) -> pd.DataFrame:
    """The matched records typed as the dataset contract says (codes str, year int64, criteria and
    flags "boolean", ``criteria_met`` and ``commune_group`` "Int64", numbers — the registry's and
    the framework's indicators ``cNN_M`` — float64), sorted by code."""
    out = table.copy()
    out["commune_code"] = out["commune_code"].astype(str)
    out["year"] = out["year"].astype("int64")
    for c in (*CRITERION_COLUMNS, *registry.FLAG_COLUMNS):
        out[c] = out[c].astype("boolean")
    out["criteria_met"] = out["criteria_met"].astype("Int64")
    framework_keys = tuple(c for c in out.columns if framework_indicators.is_indicator_key(c))
    for c in (
        *registry.INDICATOR_COLUMNS,
        *framework_keys,
        *(("population",) if "population" in out.columns else ()),
    ):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["name_as_written"] = out["name_as_written"].astype(str)
    if "commune_group" in out.columns:
        out["commune_group"] = out["commune_group"].astype("Int64")
    return out.sort_values("commune_code").reset_index(drop=True)
