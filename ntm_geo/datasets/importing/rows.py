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
from ntm_geo.datasets.importing.reading import RawTable, col_label
from ntm_geo.datasets.importing.report import RowIssue
from ntm_geo.datasets.importing.values import (
    BLANK,
    clean_cell,
    is_blank,
    parse_flag,
    parse_number,
    same_value,
)
from ntm_geo.geo.units import UnitType
from ntm_geo.geo.units import unit_type as unit_type_of


class DataRow:
    """One data row: cells by field, with issue helpers.

    ``issues`` stop the row (it is not imported); ``ignored`` are cells of the row that are not
    used while the row's other values are (a ward's criteria: not assessed), one per cell.
    ``source`` names, per field, the second column its value was taken from when the field's
    first column is blank (:func:`merge_columns`); :meth:`header` then names that column."""

    def __init__(self, raw: RawTable, row: int, cells: tuple[str, ...]) -> None:
        self.raw, self.row, self.cells = raw, row, cells
        self.issues: list[RowIssue] = []
        self.ignored: list[RowIssue] = []
        self.code: str | None = None
        self.source: dict[str, int] = {}

    def get(self, name: str) -> str:
        i = self.raw.column_of(name)
        return self.cells[i] if i is not None else ""

    def header(self, name: str) -> str | None:
        i = self.source.get(name, self.raw.column_of(name))
        return (self.raw.headers[i] or f"(cột {column_letter(i)})") if i is not None else None

    def columns_of(self, name: str) -> list[int]:
        """Every column of field ``name``: its first column, then the second columns naming it."""
        first = self.raw.column_of(name)
        seconds = [j for j, f in enumerate(self.raw.same_fields) if f == name]
        return [*([first] if first is not None else []), *seconds]

    def _located(self, name: str | None, vi: str, en: str, value: str | None) -> RowIssue:
        col = self.header(name) if name else None
        if value is None and name:
            value = self.get(name)
        return RowIssue(self.row, self.raw.sheet, col, self.code, value, vi, en)

    def issue(self, name: str | None, vi: str, en: str, value: str | None = None) -> RowIssue:
        """A problem of field ``name``'s cell that stops the row (appended to :attr:`issues`)."""
        found = self._located(name, vi, en, value)
        self.issues.append(found)
        return found

    def ignore(self, column: int, vi: str, en: str) -> RowIssue:
        """The cell of column ``column`` not used, the row still imported (appended to :attr:`ignored`)."""
        found = RowIssue(
            self.row, self.raw.sheet, col_label(self.raw, column), self.code, self.cells[column], vi, en
        )
        self.ignored.append(found)
        return found


#: The fields of a unit's NTM assessment: criteria and criteria count. A unit not assessed (a
#: ward, a township) has them all ignored, whatever column gives them.
ASSESSMENT_FIELDS = frozenset({*CRITERION_COLUMNS, "criteria_met"})


def merge_columns(
    row: DataRow, compared: list[tuple[int, int, str]], flag_fields: set[str], assessed: bool
) -> list[tuple[int, int, str]]:
    """Reconcile the second columns of a field with its first one in ``row`` (``compared``:
    ``(first column, second column, field)`` from :func:`~.notices.column_notices`).

    A blank cell (:data:`~.values.BLANK`) never conflicts: when the first column is blank and a
    second one is not, the row's value is taken from that second column (``row.cells`` and
    ``row.source`` updated) and the triple is returned, so the report can say which column gave
    it (not for ``year``, checked on the first column before matching: a blank there and a year in
    a second column stay a conflict). Two different non-blank values are a conflict in
    ``row.issues`` (the row is not imported) — except the assessment fields (:data:`ASSESSMENT_FIELDS`) of a unit not
    ``assessed``, which are not compared at all: every such cell is ignored
    (:func:`parse_values` lists them), so they can never refuse the row."""
    raw = row.raw
    cells = list(row.cells)
    taken: list[tuple[int, int, str]] = []
    for i, j, f in compared:
        if not assessed and f in ASSESSMENT_FIELDS:
            continue
        a, b = cells[i], cells[j]
        if is_blank(b) or same_value(a, b, f in flag_fields):
            continue
        if is_blank(a) and f != "year":  # the row's year was checked on the first column: kept strict
            cells[i] = b
            row.source[f] = j
            taken.append((i, j, f))
            continue
        first, second = col_label(raw, row.source.get(f, i)), col_label(raw, j)
        row.issues.append(
            RowIssue(
                row.row,
                raw.sheet,
                f"{first} / {second}",
                row.code,
                f"{a} / {b}",
                f"hai cột cùng cho {f} nhưng khác nhau: «{first}» = «{a}», «{second}» = «{b}»; hãy giữ "
                "một cột hoặc sửa cho khớp.",
                f"two columns both give {f} and differ: «{first}» = «{a}», «{second}» = «{b}»; keep one "
                "column or make them agree.",
            )
        )
    row.cells = tuple(cells)
    return taken


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


def _ignore_criteria(row: DataRow, kind: UnitType, unit_name: str, fields: list[str]) -> None:
    """One notice in ``row.ignored`` per non-blank cell of ``fields`` (criteria, criteria count)
    of a unit not assessed for NTM (a ward, a township), in every column giving one of them (a
    second column of a criterion too): the value is not used, the row is."""
    code = f" ({row.code})" if row.code else ""
    for column in sorted(j for name in fields for j in row.columns_of(name)):
        if is_blank(row.cells[column]):
            continue
        row.ignore(
            column,
            f"{unit_name}{code} là {kind.label_vi.lower()}, không thuộc diện đánh giá NTM — giá trị bỏ qua "
            "(tiêu chí của đơn vị để trống: không đánh giá; các số liệu khác của dòng vẫn được nhập).",
            f"{kind.label_en.lower()} {unit_name}{code} is not assessed for NTM — value ignored (its "
            "criteria stay empty: not assessed; the row's other values are imported).",
        )


def _criteria(row: DataRow, keys: tuple[str, ...]) -> dict[str, object]:
    """The criteria (``keys``) and the criteria count of an assessed unit's row, checked against
    each other; problems are added to ``row.issues``."""
    raw = row.raw
    n = len(keys)
    out: dict[str, object] = {"criteria_met": None}
    present = [c for c in keys if raw.column_of(c) is not None]
    invalid = False
    for c in keys:
        value: bool | None = None
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
    met = None
    try:
        met = parse_number(row.get("criteria_met"))
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
    if invalid:
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
    return out


def parse_values(
    row: DataRow,
    unit_type: str,
    keys: tuple[str, ...] = CRITERION_COLUMNS,
    indicators: tuple[schema.Column, ...] = (),
    unit_name: str = "",
) -> dict[str, object]:
    """Typed values of a matched row; problems are added to ``row.issues``. ``keys`` are the
    criterion columns of the table's framework (``c01``..``cNN``); the others stay NA.
    ``indicators`` are the framework's indicator columns the table has (``c04_2``,
    :mod:`ntm_geo.datasets.framework_indicators`), read as the registry's indicators are.

    A unit not assessed for NTM (``unit_type`` "phuong" or "thi-tran",
    :data:`ntm_geo.geo.units.UNIT_TYPES`) keeps its criteria and count NA whatever the file
    says: each non-blank criterion or count cell is a notice in ``row.ignored`` naming the unit
    (``unit_name``, e.g. "Phường Hoàng Văn Thụ", and ``row.code``), and the row's other values
    (poverty, infrastructure, population…) are read as for a commune (never "0 criteria")."""
    raw = row.raw
    out: dict[str, object] = {"criteria_met": None, **{c: None for c in CRITERION_COLUMNS}}
    kind = unit_type_of(unit_type)
    if kind.assessed:
        out.update(_criteria(row, keys))
    else:
        present = [c for c in keys if raw.column_of(c) is not None]
        _ignore_criteria(row, kind, unit_name or kind.label_vi, [*present, "criteria_met"])
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
