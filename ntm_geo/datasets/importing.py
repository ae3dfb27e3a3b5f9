"""Importing a commune table as provincial offices produce it (CSV or Excel .xlsx).

Two steps, both pure (bytes in, values out):

:func:`read_table`
    Bytes -> :class:`RawTable` (all cells as text, exactly as written). Checks that the file is
    what its extension says; decodes CSV text (UTF-8 with or without BOM, UTF-16 "Unicode text",
    Windows-1258 validated on Vietnamese letters, Windows-1252; anything else must be named with
    ``encoding=``), finds the delimiter (``,`` ``;`` tab ``|``), skips title rows, reads merged
    and two-line headers (``Tiêu chí`` over ``1 … 19``, or a Vietnamese line over an English
    one) and recognises Vietnamese and English header aliases (:data:`HEADER_ALIASES`).
:func:`import_table`
    RawTable -> :class:`ImportReport`: each row matched to a unit (:mod:`ntm_geo.datasets.matching`),
    values parsed (``11,9``, ``1.474.000``, criteria as 1/0, x, ✓, Đạt/Chưa đạt, TRUE/FALSE,
    Có/Không; blank = no data, never 0) and checked; every row not imported is kept with its
    reason (:meth:`ImportReport.rejected_rows`). Nothing is saved here.

File-level problems raise :class:`~ntm_geo.errors.DataError` naming the file (and sheet, row,
column) in Vietnamese and English; row-level problems are :class:`RowIssue` values.

Row numbers are 1-based rows of the file as the user sees it: the Excel row, or the CSV line.

Examples
--------
>>> csv = "Mã xã,Tên xã,Năm,Tỷ lệ hộ nghèo (%)\\n6628,Xã Đình Lập,2015,\\"11,9\\"\\n".encode()
>>> report = import_table(csv, "ket_qua.csv")
>>> report.matched[0]["commune_code"], report.matched[0]["rule"], float(report.table["poverty_rate_pct"][0])
('06628', 'code', 11.9)
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import functools
import io
import math
import re
import time
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from ntm_geo.criteria.detect import choose_framework
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.criteria.frameworks import builtin_frameworks
from ntm_geo.datasets import schema
from ntm_geo.datasets.matching import UnitIndex, is_district_heading, normalise_code
from ntm_geo.datasets.provenance import (
    Provenance,
    has_illustrative_note,
    illustrative_title,
    read_provenance,
)
from ntm_geo.errors import DataError
from ntm_geo.geo.units import ascii_fold, official_units
from ntm_geo.geo.vintage_match import RowNotice, VintageDecision, detect_table_vintage
from ntm_geo.geo.vintages import get_vintage

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read
    from openpyxl import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

PCT_COLUMNS: tuple[str, ...] = schema.pct_keys()
INDICATOR_COLUMNS: tuple[str, ...] = schema.column_keys("indicator")  # numbers, range from the registry
_INDICATOR_SPECS: dict[str, schema.Column] = {
    c.key: c for c in schema.value_columns() if c.kind == "indicator"
}
FLAG_COLUMNS: tuple[str, ...] = schema.column_keys("flag")
TABLE_COLUMNS: tuple[str, ...] = schema.column_keys()
TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")
HEADER_SCAN_ROWS = 40

# ---------------------------------------------------------------------------- bounds
# Every upload is bounded in size, rows, columns and time before any per-row work (issue 10): a
# province table has 226 units, so a few hundred rows (several years, title rows, notes) and a
# few dozen columns. Measured on hostile files in bench/hostile_uploads.py.

#: Largest file read (bytes). The data page's uploader allows the same.
MAX_FILE_BYTES = 10 * 2**20
#: Most non-empty rows a sheet or CSV may have (title, header and data rows).
MAX_ROWS = 2_000
#: Most columns a table may use (a non-empty cell further right refuses the file).
MAX_COLUMNS = 200
#: This many consecutive empty rows end a sheet: formatted empty cells far below the table
#: (a "ghost" cell at row 1,048,576) are never read, whatever the sheet's declared size.
EMPTY_RUN_END = 1_000
#: Longest cell (characters); a commune table's cells hold a name, a number or a short note.
MAX_CELL_CHARS = 10_000
#: Workbook (zip) limits, checked on the zip directory before anything is decompressed: the
#: largest member, all members together (uncompressed bytes), and the largest compression ratio
#: of a member over 1 MiB (real workbooks: 3-30; a zip bomb: hundreds to millions).
MAX_XLSX_MEMBER_BYTES = 64 * 2**20
MAX_XLSX_TOTAL_BYTES = 128 * 2**20
MAX_XLSX_RATIO = 100
#: Wall-clock budget of one import (read + match + check), seconds.
IMPORT_TIME_BUDGET_S = 15.0
#: Unmatched rows that get name suggestions (rapidfuzz over 226 units costs ~3 ms a row).
MAX_SUGGESTED_ROWS = 100

#: Recognised headers -> field. Compared after folding (no diacritics, lower case, punctuation
#: and a trailing "(unit)" removed), so "Mã xã", "MÃ XÃ", "Ma xa" and "Mã xã (GSO)" all match.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "tên xã",
        "xã",
        "tên đơn vị",
        "tên đơn vị hành chính",
        "đơn vị",
        "đơn vị hành chính",
        "xã phường thị trấn",
        "tên xã phường thị trấn",
        "tên",
        "name",
        "commune",
        "commune name",
        "name_with_type",
        "unit",
        "unit name",
        "name as written",
        "name_as_written",
    ),
    "district": (
        "huyện",
        "tên huyện",
        "huyện thành phố",
        "huyện tp",
        "đơn vị cấp huyện",
        "huyện thị xã thành phố",
        "district",
        "district name",
        "district_name",
    ),
    "district_code": ("mã huyện", "district_code", "district code"),
    "unit_type": ("loại", "loại đơn vị", "loại đvhc", "cấp", "type", "unit type", "unit_type"),
    "population": ("dân số", "số dân", "dân số người", "tổng dân số", "population", "population_2009"),
    # 51/2025/QĐ-TTg sets its thresholds for three commune groups (xã nhóm 1, 2, 3)
    "commune_group": ("nhóm xã", "xã nhóm", "nhóm xã (1/2/3)", "commune group", "group"),
    "_ignore": ("stt", "tt", "số tt", "số thứ tự", "no", "#", "ghi chú", "note", "notes", "year imported"),
}
#: Extra criterion names seen in provincial tables (older titles of the 19 criteria).
EXTRA_CRITERION_NAMES: dict[int, tuple[str, ...]] = {
    6: ("văn hóa cơ sở vật chất",),
    7: ("chợ",),
    9: ("nhà ở",),
    12: ("cơ cấu lao động", "lao động"),
    13: ("hình thức tổ chức sx",),
    18: ("hệ thống chính trị", "hệ thống tổ chức chính trị"),
    19: ("an ninh trật tự", "an ninh trật tự xã hội"),
}

_TRUE = {"1", "x", "✓", "✔", "☑", "v", "đạt", "dat", "true", "có", "co", "yes", "y", "met", "đ"}
_FALSE = {
    "0",
    "chưa đạt",
    "chua dat",
    "không đạt",
    "khong dat",
    "false",
    "không",
    "khong",
    "no",
    "n",
    "✗",
    "✘",
    "☐",
    "not met",
    "chưa",
}
_BLANK = {
    "",
    "-",
    "–",
    "—",
    "...",
    "…",
    "n/a",
    "na",
    "không đánh giá",
    "khong danh gia",
    "kđg",
    "not assessed",
}
_TOTAL_WORDS = ("tổng cộng", "tổng số", "toàn tỉnh", "cộng", "tổng", "total", "grand total")
_NUMBERING = re.compile(r"^\(?[0-9a-zA-Z]{1,3}\)?$")


# ============================================================================ values


@dataclass(frozen=True)
class RowIssue:
    """One problem with one row (or, with ``row`` None, with the file), located for the user.

    ``row`` is the 1-based row of the file (Excel row / CSV line); ``column`` the user's header
    text; ``value`` the cell exactly as written.
    """

    row: int | None
    sheet: str | None
    column: str | None
    commune_code: str | None
    value: str | None
    reason_vi: str
    reason_en: str

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "sheet": self.sheet,
            "column": self.column,
            "commune_code": self.commune_code,
            "value": self.value,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
        }


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip().lower()


def parse_flag(text: str) -> bool | None:
    """Criterion / yes-no cell -> True, False or None (blank, no data).

    >>> [parse_flag(v) for v in ("1", "x", "✓", "Đạt", "TRUE", "Có", "0", "Chưa đạt", "FALSE", "Không", "", "-")]
    [True, True, True, True, True, True, False, False, False, False, None, None]

    Raises
    ------
    ValueError
        For anything else (the caller reports the cell).
    """
    t = _clean(text)
    if t in _BLANK:
        return None
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    try:
        number = float(t.replace(",", "."))
    except ValueError:
        raise ValueError(text) from None
    if number in (0.0, 1.0):
        return number == 1.0
    raise ValueError(text)


def parse_number(text: str, *, integer: bool = False) -> float | None:
    """A number as written in Vietnamese or English tables; None for a blank (no data).

    ``11,9`` and ``11.9`` -> 11.9; ``1.474.000``, ``1,474,000`` and ``1 474 000`` -> 1474000;
    ``1.474,5`` -> 1474.5; ``12,5%`` -> 12.5. With ``integer=True`` (counts of people) a single
    group ``1.474`` or ``1,474`` is read as thousands.

    Scientific notation as spreadsheets write it is read too: ``1E+26``, ``1,5E-05``.

    >>> parse_number("11,9"), parse_number("1.474.000"), parse_number("1.474", integer=True), parse_number("")
    (11.9, 1474000.0, 1474.0, None)
    >>> parse_number("1e308"), parse_number("1,5E-05")
    (1e+308, 1.5e-05)

    Raises
    ------
    ValueError
        When the text is not a number.
    """
    t = unicodedata.normalize("NFC", str(text)).strip()
    if _clean(t) in _BLANK:
        return None
    t = re.sub(r"[\s\u00a0\u202f]", "", t).rstrip("%")
    t = t.replace("\u2212", "-")
    if re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+", t):  # scientific, as Excel writes 1E+26 or 1,5E-05
        value = float(t.replace(",", "."))
        if math.isinf(value):
            raise ValueError(text)
        return value
    if not re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", t):
        raise ValueError(text)
    if "." in t and "," in t:
        decimal = "." if t.rfind(".") > t.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        t = t.replace(thousands, "").replace(decimal, ".")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        groups = re.fullmatch(r"[-+]?\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", t)
        if groups and (t.count(sep) > 1 or integer):
            t = t.replace(sep, "")
        elif t.count(sep) > 1:
            raise ValueError(text)
        else:
            t = t.replace(",", ".")
    return float(t)


def _fold_header(text: str) -> str:
    t = ascii_fold(unicodedata.normalize("NFC", str(text)))
    t = t.replace("_", " ")
    t = re.sub(r"[\"'`*:;,./\\|\-–—]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _column_aliases(col: schema.Column) -> tuple[str, ...]:
    unit_free = (re.sub(r"\([^)]*\)\s*$", "", h) for h in (col.header.vi, col.header.en))
    return (col.key, *col.aliases, col.label.vi, col.label.en, col.header.vi, col.header.en, *unit_free)


def _alias_table() -> dict[str, str]:
    """Folded header -> field: the registry's columns (:mod:`ntm_geo.datasets.schema`: key, aliases,
    labels, headers), then the identification fields of :data:`HEADER_ALIASES`, then criterion names."""
    table: dict[str, str] = {}
    registry = [(c.key, _column_aliases(c)) for c in schema.columns() if c.kind != "criterion"]
    for key, aliases in (*registry, *HEADER_ALIASES.items()):
        for alias in aliases:
            table.setdefault(_fold_header(alias), key)
    for c in load_criteria():
        for name in (c.name_vi, c.name_en, *EXTRA_CRITERION_NAMES.get(c.number, ())):
            table.setdefault(_fold_header(name), c.code)
    for fw in builtin_frameworks():  # names of 1980, 318, 51/2025 (no name means two numbers)
        for fc in fw.criteria:
            for name in (fc.name_vi, fc.name_en):
                table.setdefault(_fold_header(name), fc.key)
    return table


_ALIASES = _alias_table()


def _registry_changed() -> None:
    """Rebuild what this module derives from the schema registry (see :func:`schema.extended`)."""
    global PCT_COLUMNS, INDICATOR_COLUMNS, FLAG_COLUMNS, TABLE_COLUMNS
    PCT_COLUMNS, INDICATOR_COLUMNS, FLAG_COLUMNS, TABLE_COLUMNS = (
        schema.pct_keys(),
        schema.column_keys("indicator"),
        schema.column_keys("flag"),
        schema.column_keys(),
    )
    _ALIASES.clear()
    _ALIASES.update(_alias_table())
    _INDICATOR_SPECS.clear()
    _INDICATOR_SPECS.update({c.key: c for c in schema.value_columns() if c.kind == "indicator"})


schema.on_change(_registry_changed)
_CRITERION_RE = re.compile(r"^(?:tieu chi(?: so)?|tc|c|criterion|crit)\s?0?([1-9]|1[0-9])(?:\s.*)?$")
_NUMBERED_RE = re.compile(r"^0?([1-9]|1[0-9])\s+(.+)$")


def header_field(text: str) -> str | None:
    """The field a header names ("Mã xã" -> "commune_code", "TC1" -> "c01"), or None.

    >>> header_field("Tỷ lệ hộ nghèo (%)"), header_field("Tiêu chí 1"), header_field("c19"), header_field("Ghi chú")
    ('poverty_rate_pct', 'c01', 'c19', '_ignore')
    """
    folded = _fold_header(text)
    if not folded:
        return None
    candidates = [folded, _fold_header(re.sub(r"\([^)]*\)\s*$", "", str(text)))]
    for cand in candidates:
        if cand in _ALIASES:
            return _ALIASES[cand]
        m = _CRITERION_RE.match(cand)
        if m:
            return f"c{int(m.group(1)):02d}"
        m = _NUMBERED_RE.match(cand)
        if m and _ALIASES.get(m.group(2)) == f"c{int(m.group(1)):02d}":
            return f"c{int(m.group(1)):02d}"
    return None


# ============================================================================ reading


@dataclass(frozen=True, eq=False)
class RawTable:
    """A table read from a file, every cell as text exactly as written.

    Attributes
    ----------
    file, sheet : str
        File name; sheet name for Excel (None for CSV).
    sheets : tuple of str
        All sheets of the workbook (empty for CSV).
    encoding : str or None
        Text encoding used for a CSV (None for Excel).
    header_row : int
        1-based row of the (first line of the) header; ``header_lines`` is 1 or 2.
    headers : tuple of str
        The user's header text per column (two lines joined).
    fields : tuple of (str or None)
        Recognised field per column (see :data:`HEADER_ALIASES`; ``c01``..``c19``), None if unknown.
    rows : tuple of (int, tuple of str)
        Every row below the header: (file row, cells), cells padded to ``len(headers)``.
    title : tuple of str
        Text of the rows above the header (e.g. "Kết quả ... năm 2015").
    repaired : tuple of (int, int, str, str)
        Cells repaired from double-encoded UTF-8 (:func:`repair_mojibake`): (file row, column
        index, text as found, text repaired).
    tcvn3_cells : int
        Cells of a Unicode file typed in a TCVN3 font and converted (:func:`tcvn3_to_unicode`).
    same_as, same_fields : tuple
        Per column: for a second column naming a field an earlier column already names (two
        "Tỷ lệ hộ nghèo" columns), the index of that earlier column and the field; else None.
        Its ``fields`` entry is None; :func:`import_table` compares the two row by row.
    """

    file: str
    sheet: str | None
    sheets: tuple[str, ...]
    encoding: str | None
    header_row: int
    header_lines: int
    headers: tuple[str, ...]
    fields: tuple[str | None, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    title: tuple[str, ...] = ()
    repaired: tuple[tuple[int, int, str, str], ...] = ()
    tcvn3_cells: int = 0
    same_as: tuple[int | None, ...] = ()
    same_fields: tuple[str | None, ...] = ()

    def column_of(self, field_name: str) -> int | None:
        """Index of the first column recognised as ``field_name``."""
        return self.fields.index(field_name) if field_name in self.fields else None


def _where(
    file: str, sheet: str | None = None, row: int | None = None, column: str | None = None
) -> tuple[str, str]:
    vi = (
        file
        + (f", trang tính «{sheet}»" if sheet else "")
        + (f", dòng {row}" if row else "")
        + (f", cột «{column}»" if column else "")
    )
    en = (
        file
        + (f", sheet «{sheet}»" if sheet else "")
        + (f", row {row}" if row else "")
        + (f", column «{column}»" if column else "")
    )
    return vi, en


def _error(
    file: str,
    en: str,
    vi: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> DataError:
    where_vi, where_en = _where(file, sheet, row, column)
    return DataError(f"{where_en}: {en}", f"{where_vi}: {vi}", file=file, row=row, column=column)


def _n(value: int, lang: str) -> str:
    """Thousands grouped as each language writes them (2,000 / 2.000)."""
    return f"{value:,}" if lang == "en" else f"{value:,}".replace(",", ".")


class ImportBudget:
    """Wall-clock budget of one import (:data:`IMPORT_TIME_BUDGET_S` by default).

    :meth:`check` is called inside every loop over rows or cells and raises
    :class:`~ntm_geo.errors.DataError` (naming the file and the row reached) once the time is spent.
    """

    def __init__(self, file: str, seconds: float = IMPORT_TIME_BUDGET_S) -> None:
        self.file = file
        self.seconds = float(seconds)
        self.deadline = time.monotonic() + self.seconds

    def check(self, row: int | None = None, sheet: str | None = None) -> None:
        """Raise DataError when the budget is spent (``row``: the file row reached)."""
        if time.monotonic() > self.deadline:
            err = _error(
                self.file,
                f"the import took more than {self.seconds:g} s and was stopped. A province table "
                "(a few hundred rows) takes about a second: check that the file holds only the table.",
                f"việc nhập tệp quá {self.seconds:g} giây nên đã dừng. Bảng của tỉnh (vài trăm dòng) "
                "chỉ mất khoảng một giây: hãy kiểm tra tệp chỉ chứa bảng số liệu.",
                sheet=sheet,
                row=row,
            )
            raise BudgetSpentError(err.message_en, err.message_vi, file=err.file, row=err.row)


class BudgetSpentError(DataError):
    """The import's wall-clock budget is spent (:class:`ImportBudget`)."""


def _too_many_rows(file: str, sheet: str | None, row: int) -> DataError:
    return _error(
        file,
        f"the table has more than {_n(MAX_ROWS, 'en')} non-empty rows (limit reached at row "
        f"{_n(row, 'en')}); a province table has a few hundred rows (226 communes, one row each "
        "per year). Remove the rows that are not the table, or split the file; the file is refused.",
        f"bảng có hơn {_n(MAX_ROWS, 'vi')} dòng có dữ liệu (vượt giới hạn ở dòng {_n(row, 'vi')}); "
        "bảng của tỉnh chỉ có vài trăm dòng (226 xã, mỗi xã một dòng cho mỗi năm). Hãy xóa các dòng "
        "không thuộc bảng hoặc tách tệp; tệp bị từ chối.",
        sheet=sheet,
        row=row,
    )


def _too_many_columns(file: str, sheet: str | None, row: int) -> DataError:
    letter = column_letter(MAX_COLUMNS)
    return _error(
        file,
        f"the table uses more than {MAX_COLUMNS} columns (a value in column {letter} or further "
        f"right); a commune table has a few dozen. Delete the columns beyond {column_letter(MAX_COLUMNS - 1)}; "
        "the file is refused.",
        f"bảng dùng quá {MAX_COLUMNS} cột (có giá trị ở cột {letter} hoặc xa hơn); bảng số liệu xã "
        f"chỉ có vài chục cột. Hãy xóa các cột sau cột {column_letter(MAX_COLUMNS - 1)}; tệp bị từ chối.",
        sheet=sheet,
        row=row,
        column=letter,
    )


def _too_long_cell(
    file: str, sheet: str | None, row: int, column: str | None, length: int | None
) -> DataError:
    size_en = f"{_n(length, 'en')} characters" if length else "too many characters"
    size_vi = f"{_n(length, 'vi')} ký tự" if length else "quá nhiều ký tự"
    return _error(
        file,
        f"the cell holds {size_en}; a cell of a commune table holds at most "
        f"{_n(MAX_CELL_CHARS, 'en')} (a name, a number or a short note). The file is refused.",
        f"ô có {size_vi}; ô của bảng số liệu xã chứa tối đa {_n(MAX_CELL_CHARS, 'vi')} ký tự (tên, "
        "số hoặc ghi chú ngắn). Tệp bị từ chối.",
        sheet=sheet,
        row=row,
        column=column,
    )


def _bounded_row(cells: list[str], file: str, sheet: str | None, row: int, nonempty: int) -> list[str]:
    """The row's cells cut to :data:`MAX_COLUMNS`; raises when a bound is passed."""
    if nonempty > MAX_ROWS:
        raise _too_many_rows(file, sheet, row)
    if any(c.strip() for c in cells[MAX_COLUMNS:]):
        raise _too_many_columns(file, sheet, row)
    cells = cells[:MAX_COLUMNS]
    while cells and not cells[-1].strip():
        cells.pop()
    for i, c in enumerate(cells):
        if len(c) > MAX_CELL_CHARS:
            raise _too_long_cell(file, sheet, row, column_letter(i), len(c))
    return cells


#: Magic bytes -> kind, for files that are none of the accepted ones (the message says what they are).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "xls"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"SQLite format 3\x00", "sqlite"),
    (b"\x00\x00\x27\x0a", "shp"),
    (b"\x7fELF", "program"),
    (b"MZ", "program"),
)


def _file_kind(data: bytes) -> str:
    """What the content is, from its first bytes (never from the name): "xlsx", "text" or
    another key of :data:`_KIND_LABEL`."""
    if data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06":
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
            return "zip"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        if "mimetype" in names and "content.xml" in names:
            return "ods"
        return "zip"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    head = data[:4096]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:15].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "text"
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if head and min(even, odd) * 10 <= len(head) // 2 < max(even, odd) * 2:
        return "text"  # ASCII letters of UTF-16 without a BOM: one NUL byte in two
    control = sum(b < 32 and b not in (9, 10, 13, 12) for b in head)
    if control * 20 > len(head):
        return "binary"
    return "text"


_KIND_LABEL = {
    "xlsx": ("an Excel workbook (.xlsx)", "bảng tính Excel (.xlsx)"),
    "xls": (
        "an old Office 97-2003 file (Excel .xls or Word .doc)",
        "tệp Office 97-2003 (Excel .xls hoặc Word .doc)",
    ),
    "docx": ("a Word document (.docx)", "văn bản Word (.docx)"),
    "ods": ("an OpenDocument spreadsheet (.ods)", "bảng tính OpenDocument (.ods)"),
    "zip": ("a ZIP archive", "tệp nén ZIP"),
    "pdf": ("a PDF document", "tài liệu PDF"),
    "png": ("a PNG image", "ảnh PNG"),
    "jpeg": ("a JPEG image (photo or scan)", "ảnh JPEG (ảnh chụp hoặc ảnh quét)"),
    "gif": ("a GIF image", "ảnh GIF"),
    "gzip": ("a gzip archive", "tệp nén gzip"),
    "7z": ("a 7-Zip archive", "tệp nén 7-Zip"),
    "rar": ("a RAR archive", "tệp nén RAR"),
    "sqlite": ("an SQLite database (or GeoPackage)", "cơ sở dữ liệu SQLite (hoặc GeoPackage)"),
    "shp": ("a shapefile geometry file (.shp)", "tệp hình học shapefile (.shp)"),
    "program": ("a program (executable)", "chương trình (tệp thực thi)"),
    "html": (
        "a web page (HTML), e.g. Excel's 'Web Page' format",
        "trang web (HTML), ví dụ dạng 'Web Page' của Excel",
    ),
    "binary": (
        "binary data of an unknown kind, not text",
        "dữ liệu nhị phân không rõ loại, không phải văn bản",
    ),
    "text": ("a text file", "tệp văn bản"),
}


def _check_kind(data: bytes, filename: str) -> str:
    ext = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise _error(
            filename,
            f"the file is {len(data) / 2**20:.1f} MB; a commune table is at most "
            f"{MAX_FILE_BYTES // 2**20} MB. The file is refused.",
            f"tệp có dung lượng {len(data) / 2**20:.1f} MB; bảng số liệu xã tối đa "
            f"{MAX_FILE_BYTES // 2**20} MB. Tệp bị từ chối.".replace(".", ",", 1),
        )
    kind = _file_kind(data)
    if not data.strip():
        raise _error(filename, "the file is empty.", "tệp rỗng.")
    if ext == ".xls" or (kind == "xls" and ext in EXCEL_EXTENSIONS):
        raise _error(
            filename,
            "old Excel 97-2003 format (.xls) is not read; open it in Excel and save as "
            "'Excel Workbook (.xlsx)'.",
            "không đọc định dạng Excel 97-2003 (.xls); hãy mở bằng Excel và "
            "lưu thành 'Excel Workbook (.xlsx)'.",
        )
    if ext not in TEXT_EXTENSIONS + EXCEL_EXTENSIONS:
        raise _error(
            filename,
            f"unsupported file type «{ext or '(none)'}»; upload a .csv or .xlsx file.",
            f"không hỗ trợ loại tệp «{ext or '(không có)'}»; hãy tải lên tệp .csv hoặc .xlsx.",
        )
    expected = "xlsx" if ext in EXCEL_EXTENSIONS else "text"
    if kind != expected:
        en, vi = _KIND_LABEL[kind]
        raise _error(
            filename,
            f"the name ends in {ext} but the content is {en}; the file is refused. Save it "
            "again in the format its name says.",
            f"tên tệp có đuôi {ext} nhưng nội dung là {vi}; tệp bị "
            "từ chối. Hãy lưu lại đúng định dạng theo đuôi tệp.",
        )
    return kind


# ---------------------------------------------------------------------------- encodings

_VIET_BASE = set("abcdefghijklmnopqrstuvwxyzđ")
_VIET_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_OK_SYMBOLS = set("“”‘’–—…°•·€±×÷§²³½¼¾µ«»\u00a0\ufeff\u2026\u2212✓✔✗✘☑☐")
# Bytes of TCVN3 (ABC, ".VnTime" fonts) and VNI font-encoded text, as Windows code pages show them.
_FONT_GARBAGE = set("¸¹µ¶·¨¬®©ª«¤¥¦§¡¢£¾½¼»ºÞß¿")
#: VNI Windows text read as Windows-1252: a vowel followed by a tone/shape byte ("Huyeän",
#: "Xaõ", "Ñình Laäp") -- letters each on its own, so only the pairs give it away.
_VNI_PAIR = re.compile("[aeiouyAEIOUY][øùûõïâàáåãäèéúüëöôÂÀÁÅÃÄÈÉÚÜËÖÔ]|[Ññ][a-zì]")


def _is_font_text(cell: str) -> bool:
    return any(ch in _FONT_GARBAGE for ch in cell) or bool(_VNI_PAIR.search(cell))


def _is_viet_letter(ch: str) -> bool:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    return decomposed[0] in _VIET_BASE and all(m in _VIET_MARKS for m in decomposed[1:])


@functools.lru_cache(maxsize=8192)
def _odd_char(ch: str) -> bool:
    """A character a correctly decoded Vietnamese/English table would not contain."""
    if ch in "\t\r\n" or (" " <= ch <= "~"):
        return False
    return bool(
        unicodedata.combining(ch)
        or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Cs")
        or not (_is_viet_letter(ch) or ch in _OK_SYMBOLS)
    )


def _suspicious(text: str) -> int:
    """How many characters a correctly decoded Vietnamese/English table would not contain
    (each distinct character classified once)."""
    if text.isascii():
        return 0
    nfc = unicodedata.normalize("NFC", text)
    return sum(nfc.count(ch) for ch in set(nfc) if _odd_char(ch))


#: TCVN3 (TCVN 5712:1993 "ABC", the .VnTime fonts): byte -> letter. One byte per lower-case letter
#: with its tone, plus the seven capitals without tone (toned capitals are the same bytes shown in
#: an upper-case font, .VnTimeH). Checked letter by letter on the 226 unit names and the header
#: aliases in tests/test_import_text.py.
TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip


def tcvn3_to_unicode(text: str) -> str | None:
    """Text typed in a TCVN3 font (its bytes read as Latin-1/Windows-1252) -> Unicode (NFC), or
    None when a character is not part of TCVN3.

    >>> tcvn3_to_unicode("X· §×nh LËp"), tcvn3_to_unicode("HuyÖn B¾c S¬n")
    ('Xã Đình Lập', 'Huyện Bắc Sơn')
    """
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(ch)
        elif code in TCVN3:
            out.append(TCVN3[code])
        else:
            return None
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Words with diacritics of the unit names, district names, header aliases and criteria."""
    texts = [a for aliases in HEADER_ALIASES.values() for a in aliases]
    units = official_units()
    texts += list(units["name_with_type"]) + list(units["district_name"])
    texts += [c.name_vi for c in load_criteria()]
    words = {w for t in texts for w in re.findall(r"\w+", unicodedata.normalize("NFC", t).lower())}
    return frozenset(w for w in words if not w.isascii())


def _known_share(text: str) -> float:
    """Share of the distinct non-ASCII words of ``text`` that are in :func:`_vocabulary`."""
    words = {w for w in re.findall(r"\w+", text.lower()) if not w.isascii()}
    if not words:
        return 0.0
    vocab = _vocabulary()
    return sum(w in vocab for w in words) / len(words)


def _sloppy_encode(text: str, codec: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))  # a byte the code page leaves undefined, kept as U+0080..U+00FF
    return bytes(out)


def repair_mojibake(text: str) -> str | None:
    """UTF-8 text that was read as Windows-1252/Latin-1 or Windows-1258 and saved again
    (``BÃ¬nh Gia``, ``XĂ£``) -> the original, or None when no unambiguous repair exists.

    ftfy (``fix_encoding``) first; then the Windows-1258 reading, which ftfy does not know. A
    repair counts only when the result holds no character a Vietnamese/English table would not
    contain. Measured on the 237 unit and district names double-encoded each way
    (``bench/mojibake_vietnamese.py``).

    >>> repair_mojibake("BÃ¬nh Gia"), repair_mojibake("Bình Gia")
    ('Bình Gia', None)
    """
    import ftfy

    if _suspicious(text) == 0:
        return None
    # A whole-text reversal that yields valid UTF-8 first (random text almost never does), then
    # ftfy, which also mends mixed or partly garbled text.
    for codec in ("cp1252", "cp1258"):
        try:
            fixed = unicodedata.normalize("NFC", _sloppy_encode(text, codec).decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and _suspicious(fixed) == 0:
            return fixed
    fixed = unicodedata.normalize("NFC", ftfy.fix_encoding(text))
    return fixed if fixed != text and _suspicious(fixed) == 0 else None


def _looks_mojibake(text: str) -> bool:
    from ftfy.badness import is_bad

    return is_bad(text) or bool(re.search("[ÃÄÆáĂ][\u0080-\u00bf\u2018-\u203a¬]", text))


def _convert_tcvn3_cells(
    grid: list[tuple[int, list[str]]], filename: str, sheet: str | None
) -> list[tuple[int, int, str, str]]:
    """Convert cells typed in a TCVN3 font inside a Unicode file (an .xlsx, or a CSV saved as
    UTF-8 from such a sheet): [(row, column index, before, after)].

    A cell is a candidate when it holds TCVN3 letters and characters a Vietnamese table would not
    contain; the candidates are converted together only when most Vietnamese words they yield are
    known ones (unit names, headers), so VNI text is never "converted" into other letters. Three or
    more candidates that do not convert are refused with the Unikey steps.
    """
    candidates = [
        (number, i, cell)
        for number, cells in grid
        for i, cell in enumerate(cells)
        if not cell.isascii()
        and max(cell) <= "\u00ff"  # a font-typed cell holds single-byte characters only
        and any(ch in _FONT_GARBAGE for ch in cell)
        and _suspicious(cell)
    ]
    vni = [
        (number, i, cell)
        for number, cells in grid
        for i, cell in enumerate(cells)
        if not cell.isascii() and _VNI_PAIR.search(cell) and _suspicious(cell)
    ]
    converted: list[tuple[int, int, str, str]] = []
    for number, i, cell in candidates:
        after = tcvn3_to_unicode(cell)
        if after is None or _suspicious(after):
            converted = []
            break
        converted.append((number, i, cell, after))
    if converted and _known_share(" ".join(after for *_, after in converted)) >= 0.5:
        rows = dict(grid)
        for number, i, _, after in converted:
            rows[number][i] = after
        return converted
    bad = candidates if len(candidates) >= 3 else vni if len(vni) >= 3 else []
    if bad:
        number, i, cell = bad[0]
        raise _error(filename, *_font_advice(cell[:40]), sheet=sheet, row=number, column=column_letter(i))
    return []


def _repair_grid(
    grid: list[tuple[int, list[str]]], filename: str, sheet: str | None, budget: ImportBudget
) -> list[tuple[int, int, str, str]]:
    """Repair double-encoded UTF-8 cells in place; [(row, column index, before, after)].

    Raises DataError naming the first cell that looks double-encoded but has no unambiguous repair.
    """
    repairs = []
    for number, cells in grid:
        if number % 128 == 0:
            budget.check(number, sheet)
        for i, cell in enumerate(cells):
            if cell.isascii():
                continue
            fixed = repair_mojibake(cell)
            if fixed is not None:
                repairs.append((number, i, cell, fixed))
                cells[i] = fixed
            elif _suspicious(cell) and _looks_mojibake(cell):
                raise _error(
                    filename,
                    f"the text «{cell[:40]}» looks like Vietnamese saved with the wrong encoding (UTF-8 "
                    "read as another code page and saved again), and it cannot be repaired "
                    "unambiguously. Open the original file and save it as 'CSV UTF-8' (or .xlsx).",
                    f"văn bản «{cell[:40]}» có vẻ là tiếng Việt bị lưu sai bảng mã (UTF-8 bị đọc theo bảng "
                    "mã khác rồi lưu lại) và không sửa lại chắc chắn được. Hãy mở tệp gốc và lưu dạng "
                    "'CSV UTF-8' (hoặc .xlsx).",
                    sheet=sheet,
                    row=number,
                    column=column_letter(i),
                )
    return repairs


def _decode(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    if encoding and encoding.lower().replace("-", "").replace(" ", "") in ("tcvn3", "abc", "vntime"):
        converted = tcvn3_to_unicode(data.decode("latin-1"))
        if converted is None:
            raise _error(
                filename,
                "the file cannot be read as TCVN3 (ABC): it holds bytes TCVN3 does not use.",
                "không đọc được tệp theo bảng mã TCVN3 (ABC): tệp có byte TCVN3 không dùng.",
            )
        return converted, "tcvn3"
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise _error(
                filename,
                f"unknown encoding «{encoding}»; e.g. utf-8, utf-16, cp1258, cp1252.",
                f"không có bảng mã «{encoding}»; ví dụ: utf-8, utf-16, cp1258, cp1252.",
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise _error(
                filename,
                f"the file cannot be read as {encoding} (byte {err.start}); choose another encoding.",
                f"không đọc được tệp theo bảng mã {encoding} (byte {err.start}); hãy chọn bảng mã khác.",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", filename), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", filename), "utf-16"
    head = data[:4000]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) >= 4 and max(even, odd) * 2 >= len(head) // 2 and min(even, odd) * 10 <= len(head) // 2:
        name = "utf-16-le" if odd > even else "utf-16-be"  # ASCII letters of UTF-16 without a BOM
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            text = "\x00"
        _refuse_binary(text, filename)
        return text, name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        _refuse_binary(text, filename)
        return text, "utf-8"
    for name in ("cp1258", "cp1252"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        _refuse_binary(text, filename)
        if _suspicious(text) == 0:
            return unicodedata.normalize("NFC", text), name
    text = data.decode("cp1252", errors="replace")
    if sum(ch in _FONT_GARBAGE for ch in text) >= 3:
        converted = tcvn3_to_unicode(data.decode("latin-1"))
        # Accepted only when most Vietnamese words it yields are known ones (unit names, headers):
        # VNI text read as TCVN3 also gives Vietnamese letters, but not words.
        if converted is not None and _suspicious(converted) == 0 and _known_share(converted) >= 0.5:
            _refuse_binary(converted, filename)
            return converted, "tcvn3"
        row, column, value = _first_font_garbage(text)
        raise _error(filename, *_font_advice(value), row=row, column=column)
    if len(_VNI_PAIR.findall(text)) >= 3:
        row, column, value = _first_font_garbage(text)
        raise _error(filename, *_font_advice(value), row=row, column=column)
    raise _error(
        filename,
        "cannot tell the text encoding (not UTF-8, and not valid Vietnamese in Windows-1258). "
        "Save the file as 'CSV UTF-8' in Excel, or give its encoding to the command line "
        "(python -m ntm_geo import-table FILE --encoding utf-16|cp1258|cp1252).",
        "không xác định được bảng mã của tệp (không phải UTF-8, cũng không phải tiếng Việt Windows-1258 hợp "
        "lệ). Hãy lưu tệp dạng 'CSV UTF-8' trong Excel, hoặc nêu bảng mã khi nhập bằng dòng lệnh "
        "(python -m ntm_geo import-table TỆP --encoding utf-16|cp1258|cp1252).",
    )


def _font_advice(value: str) -> tuple[str, str]:
    """(en, vi) advice for text typed in a VNI (or unconvertible TCVN3) font: steps that work."""
    return (
        f"the text looks typed with a VNI or TCVN3 (ABC, .VnTime) font, not Unicode (e.g. «{value}»), "
        "and could not be converted automatically (TCVN3 is; VNI is not). Convert it with Unikey: copy "
        "the table's cells, open Unikey > 'Công cụ chuyển mã' (Ctrl+Shift+F6), source 'VNI Windows' "
        "(or 'TCVN3 (ABC)'), target 'Unicode', press 'Chuyển mã clipboard', paste the cells back and "
        "save as 'CSV UTF-8' or .xlsx. (No --encoding makes such a file readable: it is not a code page.)",
        f"văn bản có vẻ gõ bằng phông VNI hoặc TCVN3 (ABC, .VnTime), không phải Unicode (ví dụ "
        f"«{value}»), và không tự chuyển được (tự chuyển được TCVN3, không chuyển được VNI). Hãy chuyển "
        "bằng Unikey: chép các ô của bảng, mở Unikey > 'Công cụ chuyển mã' (Ctrl+Shift+F6), bảng mã "
        "nguồn 'VNI Windows' (hoặc 'TCVN3 (ABC)'), bảng mã đích 'Unicode', bấm 'Chuyển mã clipboard', "
        "dán lại các ô rồi lưu dạng 'CSV UTF-8' hoặc .xlsx. (Không có --encoding nào đọc được tệp "
        "như vậy: đây không phải một bảng mã.)",
    )


def _first_font_garbage(text: str) -> tuple[int | None, str | None, str]:
    """(file row, header text of its column, cell text) of the first cell typed in a font encoding,
    for the error message; the header is the first row (title rows make it approximate)."""
    lines = text.splitlines()
    dialect = csv.excel_tab if lines and lines[0].count("\t") > lines[0].count(",") else csv.excel
    header = next(csv.reader(lines[:1], dialect), [])
    for number, line in enumerate(lines, start=1):
        if _is_font_text(line):
            cells = next(csv.reader([line], dialect), [line])
            for i, cell in enumerate(cells):
                if _is_font_text(cell):
                    return (
                        number,
                        (header[i].strip() or None) if i < len(header) and number > 1 else None,
                        cell.strip(),
                    )
    return None, None, ""


def _has_binary(text: str) -> bool:
    """C0 control characters (NUL…) other than tab and line ends; the C1 ones (U+0080-U+009F)
    are left to :func:`repair_mojibake` (UTF-8 read as Latin-1 and saved again holds them)."""
    return any((ch < " " and ch not in "\t\r\n\f") or ch == "\x7f" for ch in text[:20000])


def _refuse_binary(text: str, filename: str) -> None:
    if _has_binary(text):
        raise _error(
            filename,
            "the file contains binary data, not a text table; upload a .csv or .xlsx table.",
            "tệp chứa dữ liệu nhị phân, không phải bảng văn bản; hãy tải lên bảng .csv hoặc .xlsx.",
        )


def _strict(data: bytes, name: str, filename: str) -> str:
    try:
        text = data.decode(name)
    except UnicodeDecodeError as err:
        raise _error(
            filename,
            f"the file starts like {name} text but byte {err.start} is invalid; save it again "
            "as 'CSV UTF-8'.",
            f"tệp có dạng văn bản {name} nhưng byte {err.start} không hợp lệ; hãy lưu lại dạng 'CSV UTF-8'.",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_binary(text, filename)
    return text


def _csv_grid(text: str, filename: str, budget: ImportBudget) -> list[tuple[int, list[str]]]:
    """The CSV text as [(first line of the record, cells)], bounded like a sheet.

    The delimiter (``,`` ``;`` tab ``|``) is the one giving the most rows of one width in the
    first 60 lines. A quote opened in a cell and not closed on its line (``Văn Lãng,"Xã Tân Tác,2015``)
    makes the CSV reader swallow the following lines into that cell: such a cell — one holding
    line breaks followed by whole rows of the table — is refused, naming its row and column.
    """
    sample = text[:200_000].splitlines()[:60]
    best, best_score, best_width = ",", -1.0, 1
    for delim in (",", ";", "\t", "|"):
        try:
            widths = [len(r) for r in csv.reader(sample, delimiter=delim) if len(r) > 1]
        except csv.Error:
            continue
        if not widths:
            continue
        mode = max(set(widths), key=lambda w: (widths.count(w), w))
        score = widths.count(mode) * mode
        if score > best_score:
            best, best_score, best_width = delim, score, mode
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=best)
    rows: list[tuple[int, list[str]]] = []
    start = nonempty = empty_run = 0
    while True:
        start = reader.line_num + 1
        if start % 128 == 0:
            budget.check(start)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            if "field larger than field limit" in str(err):
                raise _too_long_cell(filename, None, start, None, None) from None
            raise _error(
                filename,
                f"the CSV cannot be read from this row on ({err}); save the file again as 'CSV UTF-8'.",
                f"không đọc được CSV từ dòng này ({err}); hãy lưu lại tệp dạng 'CSV UTF-8'.",
                row=start,
            ) from None
        if not any(c.strip() for c in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_END:
                break
            rows.append((start, []))
            continue
        empty_run = 0
        nonempty += 1
        if reader.line_num > start or any(c.endswith(("\n", "\r")) for c in cells):
            _check_quotes(cells, filename, start, reader.line_num, best, best_width)
        rows.append((start, _bounded_row(cells, filename, None, start, nonempty)))
    while rows and not rows[-1][1]:
        rows.pop()
    return rows


def _check_quotes(cells: list[str], filename: str, start: int, end: int, delim: str, width: int) -> None:
    """Refuse a cell that swallowed whole rows after an unbalanced opening quote."""
    for i, cell in enumerate(cells):
        if "\n" not in cell and "\r" not in cell:
            continue
        swallowed = [line for line in cell.splitlines()[1:] if line.count(delim) >= max(1, (width - 1) // 2)]
        # A quoted cell never ends with a line break unless its quote ran to the end of the file.
        if swallowed or (cell.endswith(("\n", "\r")) and delim in cell):
            first = cell.splitlines()[0][:40]
            raise _error(
                filename,
                f'the cell starts with a quote (") that is not closed on its line, so lines {start}–{end} '
                f'were read as one cell (it begins «"{first}»). Remove the stray quote or close it, then '
                "import again; the file is refused.",
                f'ô bắt đầu bằng dấu ngoặc kép (") không được đóng trên cùng dòng, nên các dòng {start}–{end} '
                f'bị đọc thành một ô (ô bắt đầu «"{first}»). Hãy xóa dấu ngoặc kép thừa hoặc đóng nó lại '
                "rồi nhập lại; tệp bị từ chối.",
                row=start,
                column=column_letter(i),
            )


# ---------------------------------------------------------------------------- Excel


def _cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        number = float(value)
        percent = "%" in (number_format or "")
        if percent:
            number = round(number * 100, 10)
        text = str(int(number)) if number.is_integer() else format(number, ".15g")
        return text + ("%" if percent else "")
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse a workbook whose zip directory promises more than a table (a zip bomb), before
    anything is decompressed. Decompression never yields more than a member's declared size
    (Python's zipfile stops there and checks the CRC), so the declared sizes bound the work."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _error(
            filename,
            "the Excel file is damaged (its zip structure cannot be read); open it in Excel and save it again as .xlsx.",
            "tệp Excel bị hỏng (không đọc được cấu trúc zip); hãy mở bằng Excel và lưu lại dạng .xlsx.",
        ) from None
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if (
            info.file_size > MAX_XLSX_MEMBER_BYTES
            or total > MAX_XLSX_TOTAL_BYTES
            or (info.file_size > 2**20 and ratio > MAX_XLSX_RATIO)
        ):
            part = info.filename[:60]
            raise _error(
                filename,
                f"the workbook unpacks to far more than a table: its part «{part}» is "
                f"{info.file_size / 2**20:,.0f} MB from {info.compress_size / 2**10:,.0f} KB (ratio "
                f"{ratio:,.0f}; limits {MAX_XLSX_MEMBER_BYTES // 2**20} MB a part, "
                f"{MAX_XLSX_TOTAL_BYTES // 2**20} MB in all, ratio {MAX_XLSX_RATIO}). The file is refused; "
                "copy the table alone into a new workbook and save it.",
                f"bảng tính khi giải nén lớn hơn nhiều so với một bảng số liệu: phần «{part}» có "
                f"{info.file_size / 2**20:,.0f} MB từ {info.compress_size / 2**10:,.0f} KB (tỷ lệ "
                f"{ratio:,.0f}; giới hạn {MAX_XLSX_MEMBER_BYTES // 2**20} MB mỗi phần, "
                f"{MAX_XLSX_TOTAL_BYTES // 2**20} MB tổng cộng, tỷ lệ {MAX_XLSX_RATIO}). Tệp bị từ chối; "
                "hãy chép riêng bảng sang một bảng tính mới rồi lưu.",
            )


_MERGE_RE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}[0-9]{1,7}):([A-Z]{1,3}[0-9]{1,7})\"")
_REF_RE = re.compile(r"([A-Z]+)([0-9]+)")
MAX_MERGED_RANGES = 10_000


def _ref(text: bytes) -> tuple[int, int]:
    """'B12' -> (row 12, column 2)."""
    letters, digits = _REF_RE.fullmatch(text.decode()).groups()  # type: ignore[union-attr]  # _MERGE_RE captured it
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


def _merged_ranges(
    book: Workbook, ws: ReadOnlyWorksheet, budget: ImportBudget
) -> list[tuple[int, int, int, int]]:
    """(min_row, min_col, max_row, max_col) of the sheet's merged cells.

    openpyxl's read-only sheets do not report them, so the sheet's XML is scanned for
    ``<mergeCell ref=…>`` in 1 MiB chunks (bounded by :func:`_check_zip`'s member limit).
    """
    found: list[tuple[int, int, int, int]] = []
    # Private attributes of openpyxl 3.1's read-only workbook and sheet (pinned in requirements.txt).
    with book._archive.open(ws._worksheet_path) as src:  # type: ignore[attr-defined]  # private, see above
        tail = b""
        while chunk := src.read(2**20):
            budget.check(sheet=ws.title)
            buf = tail + chunk
            cut = max(0, len(buf) - 100)
            for m in _MERGE_RE.finditer(buf):  # a match starting before `cut` is complete in buf
                if m.start() < cut:
                    (r1, c1), (r2, c2) = _ref(m.group(1)), _ref(m.group(2))
                    found.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
                    if len(found) >= MAX_MERGED_RANGES:
                        return found
            tail = buf[cut:]
        for m in _MERGE_RE.finditer(tail):
            (r1, c1), (r2, c2) = _ref(m.group(1)), _ref(m.group(2))
            found.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return found


def _sheet_rows(ws: ReadOnlyWorksheet, filename: str, budget: ImportBudget) -> list[tuple[int, list[str]]]:
    """The sheet's rows as text, streamed and bounded (:data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
    :data:`EMPTY_RUN_END`). The sheet's declared size is never trusted."""
    title = ws.title
    ws.reset_dimensions()  # ignore <dimension ref="A1:XFD1048576">
    rows: list[tuple[int, list[str]]] = []
    empty_run = nonempty = 0
    for number, row in enumerate(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1), start=1):  # type: ignore[misc]  # types-openpyxl declares it as Worksheet.iter_rows (self type)
        if number % 128 == 0:
            budget.check(number, title)
        cells = [_cell_text(c.value, getattr(c, "number_format", None) or "") for c in row]
        if not any(c.strip() for c in cells):
            empty_run += 1
            if empty_run >= EMPTY_RUN_END:
                break
            rows.append((number, []))
            continue
        empty_run = 0
        nonempty += 1
        rows.append((number, _bounded_row(cells, filename, title, number, nonempty)))
    while rows and not rows[-1][1]:
        rows.pop()
    return rows


def _xlsx_grids(
    data: bytes, filename: str, budget: ImportBudget
) -> list[tuple[str, list[tuple[int, list[str]]]]]:
    """Every sheet as (name, [(row, cells)]), read with openpyxl in read-only (streaming) mode.

    openpyxl ``read_only=True`` was measured against python-calamine on the hostile files of
    ``bench/hostile_uploads.py`` (--readers): it stops after the first rows that pass a bound,
    where calamine decodes the whole sheet first (9 s and 200 MB on the zip bomb, 0.9 s and 145 MB
    on 1,000,001 rows, against 0.3-0.6 s and 40 MB), and it keeps the cells' number formats
    (a cell shown as 12% is 0.12).
    """
    import openpyxl

    _check_zip(data, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:
        raise _error(
            filename,
            f"the Excel file cannot be read ({type(err).__name__}); open it in Excel and save it "
            "again as .xlsx.",
            f"không đọc được tệp Excel ({type(err).__name__}); hãy mở bằng Excel và lưu lại dạng .xlsx.",
        ) from None
    grids = []
    try:
        for sheet in book.worksheets:
            ws = cast("ReadOnlyWorksheet", sheet)  # load_workbook(read_only=True) makes only these
            rows = _sheet_rows(ws, filename, budget)
            grid = {number: cells for number, cells in rows}
            last = rows[-1][0] if rows else 0
            for r1, c1, r2, c2 in _merged_ranges(book, ws, budget):
                budget.check(r1, ws.title)
                top = grid.get(r1, [])
                value = top[c1 - 1] if c1 - 1 < len(top) else ""
                if not value or c1 > MAX_COLUMNS:
                    continue
                for r in range(r1 + 1, min(r2, last) + 1):
                    cells = grid.setdefault(r, [])
                    cells.extend([""] * (min(c2, MAX_COLUMNS) - len(cells)))
                    for c in range(c1, min(c2, MAX_COLUMNS) + 1):
                        cells[c - 1] = value
                for c in range(c1 + 1, min(c2, MAX_COLUMNS) + 1):
                    top.extend([""] * (c - len(top)))
                    top[c - 1] = value
            grids.append((ws.title, sorted(grid.items())))
    except DataError:
        raise
    except Exception as err:  # a damaged part (bad CRC, bad XML, row numbers out of range...)
        raise _error(
            filename,
            f"the Excel file is damaged and cannot be read ({type(err).__name__}); open it in Excel "
            "and save it again as .xlsx.",
            f"tệp Excel bị hỏng, không đọc được ({type(err).__name__}); hãy mở bằng Excel và lưu lại dạng .xlsx.",
        ) from None
    finally:
        book.close()
    return grids


# ---------------------------------------------------------------------------- header


def _join_header(upper: str, lower: str) -> str:
    upper, lower = upper.strip(), lower.strip()
    if not upper or upper == lower:
        return lower
    if not lower:
        return upper
    return f"{upper} {lower}" if len(lower) <= 3 else f"{upper} / {lower}"


def _fields_single(cells: list[str]) -> list[str | None]:
    return [header_field(c) for c in cells]


def _fields_double(upper: list[str], lower: list[str]) -> list[str | None]:
    out = []
    for up, low in zip(upper, lower, strict=True):
        found = None
        for text in (low, f"{up} {low}", up):
            if text.strip():
                found = header_field(text)
                if found:
                    break
        out.append(found)
    return out


def _score(fields: list[str | None]) -> int:
    known = {f for f in fields if f and f != "_ignore"}
    if not known & {"commune_code", "name"}:
        return 0
    return len(known)


def _dedupe_fields(fields: list[str | None]) -> list[str | None]:
    seen: set[str] = set()
    out: list[str | None] = []
    for f in fields:
        if f and f != "_ignore" and f in seen:
            out.append(None)
        else:
            out.append(f)
            if f:
                seen.add(f)
    return out


def _find_header(grid: list[tuple[int, list[str]]]) -> tuple[int, int, list[str], list[str | None]] | None:
    """(index in grid, header lines, header texts, fields) of the best header candidate."""
    best = None
    nonempty = [i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)]
    for i in nonempty[:HEADER_SCAN_ROWS]:
        cells = grid[i][1]
        single = _fields_single(cells)
        s1 = _score(single)
        candidate = (s1, 1, [c.strip() for c in cells], single)
        if i + 1 < len(grid):
            lower = grid[i + 1][1]
            double = _fields_double(cells, lower)
            s2, s_lower = _score(double), _score(_fields_single(lower))
            if s2 > s1 or (s2 >= s1 and s_lower >= 2):
                candidate = (s2, 2, [_join_header(u, lo) for u, lo in zip(cells, lower, strict=True)], double)
        if candidate[0] >= 2 and (best is None or candidate[0] > best[0][0]):
            best = (candidate, i)
    if best is None:
        return None
    (_, lines, headers, fields), i = best
    return i, lines, headers, list(fields)


def _is_numbering_row(cells: list[str]) -> bool:
    """A column-numbering row under the header: "(1) (2) (3) …", "(A) (B) …" or "1 2 3 …"."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 3:
        return False
    bracketed = all(_NUMBERING.match(c) for c in filled) and all(c.startswith("(") for c in filled)
    return bracketed or filled == [str(k) for k in range(1, len(filled) + 1)]


def _pad(grid: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    width = max((len(c) for _, c in grid), default=0)
    return [(r, list(c) + [""] * (width - len(c))) for r, c in grid]


def read_table(
    data: bytes,
    filename: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    budget: ImportBudget | None = None,
) -> RawTable:
    """Read a CSV or .xlsx upload into a :class:`RawTable` (cells as text, header recognised).

    Parameters
    ----------
    data : bytes
        The file content.
    filename : str
        The file name as uploaded; its extension must match the content (.csv/.txt/.tsv text,
        .xlsx/.xlsm workbook).
    sheet : str, optional
        Excel sheet; default: the first sheet with a recognisable header.
    encoding : str, optional
        Text encoding of a CSV (any Python codec name); default: detected.
    budget : ImportBudget, optional
        Wall-clock budget (default: a new one of :data:`IMPORT_TIME_BUDGET_S`).

    Bounds (checked while reading, before any per-row work): :data:`MAX_FILE_BYTES`,
    :data:`MAX_ROWS` non-empty rows, :data:`MAX_COLUMNS` columns, :data:`MAX_CELL_CHARS` per
    cell, workbook zip limits (:func:`_check_zip`); a sheet ends after :data:`EMPTY_RUN_END`
    consecutive empty rows.

    Raises
    ------
    DataError
        Wrong or unsupported file type (named from its content), undetectable encoding, unknown
        sheet, no header found (the message lists the recognised header names), a bound passed,
        an unbalanced quote, the time budget spent.
    """
    budget = budget or ImportBudget(filename)
    kind = _check_kind(data, filename)
    grids: Sequence[tuple[str | None, list[tuple[int, list[str]]]]]  # (sheet name or None for CSV, rows)
    names: tuple[str, ...]
    if kind == "xlsx":
        sheets = _xlsx_grids(data, filename, budget)
        names = tuple(name for name, _ in sheets)
        if sheet is not None:
            if sheet not in names:
                raise _error(
                    filename,
                    f"no sheet «{sheet}»; sheets: {', '.join(names)}.",
                    f"không có trang tính «{sheet}»; các trang tính: {', '.join(names)}.",
                )
            sheets = [g for g in sheets if g[0] == sheet]
        grids = sheets
        enc = None
    else:
        text, enc = _decode(data, filename, encoding)
        grids, names = [(None, _csv_grid(text, filename, budget))], ()
    first_text_error: DataError | None = None  # raised when no sheet has a header (garbled headers)
    for name, grid in grids:
        # Text problems count only on the sheet that holds the table (not on an instructions sheet).
        text_error: DataError | None = None
        repaired, tcvn3_cells = [], []
        try:
            repaired = _repair_grid(grid, filename, name, budget)
            tcvn3_cells = _convert_tcvn3_cells(grid, filename, name) if enc != "tcvn3" else []
        except BudgetSpentError:
            raise
        except DataError as err:
            text_error = err
        grid = _pad(grid)
        found = _find_header(grid)
        if found is None:
            first_text_error = first_text_error or text_error
            continue
        if text_error is not None:
            raise text_error
        i, lines, headers, all_fields = found
        fields = _dedupe_fields(all_fields)
        first_of: dict[str, int] = {}
        same_as: list[int | None] = []
        for k, f in enumerate(all_fields):
            same_as.append(first_of.get(f) if f and f != "_ignore" and fields[k] is None else None)
            if f and f not in first_of:
                first_of[f] = k
        body = grid[i + lines :]
        while body and _is_numbering_row(body[0][1]):
            body = body[1:]
        title = tuple(" ".join(c.strip() for c in cells if c.strip()) for _, cells in grid[:i])
        return RawTable(
            file=filename,
            sheet=name,
            sheets=names,
            encoding=enc,
            header_row=grid[i][0],
            header_lines=lines,
            headers=tuple(headers),
            fields=tuple(fields),
            rows=tuple((r, tuple(c)) for r, c in body),
            title=tuple(t for t in title if t),
            repaired=tuple(repaired),
            tcvn3_cells=len(tcvn3_cells),
            same_as=tuple(same_as),
            same_fields=tuple(
                all_fields[k] if same_as[k] is not None else None for k in range(len(all_fields))
            ),
        )
    if first_text_error is not None:
        raise first_text_error
    where = f" (sheet(s): {', '.join(names)})" if names else ""
    where_vi = f" (trang tính: {', '.join(names)})" if names else ""
    raise _error(
        filename,
        f"no header row found in the first {HEADER_SCAN_ROWS} rows{where}. The header needs a commune code "
        "or name column (e.g. 'Mã xã', 'Tên xã', 'commune_code') and at least one other known column "
        "('Huyện', 'Năm', 'Tiêu chí 1'…'Tiêu chí 19', 'Tỷ lệ hộ nghèo (%)'…). Download the template to see them.",
        f"không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN_ROWS} dòng đầu{where_vi}. Tiêu đề cần cột mã xã hoặc "
        "tên xã (ví dụ 'Mã xã', 'Tên xã') và ít nhất một cột khác đã biết ('Huyện', 'Năm', 'Tiêu chí 1'…'Tiêu chí 19', "
        "'Tỷ lệ hộ nghèo (%)'…). Tải mẫu nhập liệu để xem các tên cột.",
    )


# ============================================================================ import


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True, eq=False)
class ImportReport:
    """The match report of one import (nothing is saved by making it).

    Attributes
    ----------
    file, sheet, year
        What was read; ``year`` is the year the table is for.
    table : pandas.DataFrame
        The matched rows in the dataset contract of :mod:`ntm_geo.datasets.contract` (``commune_code`` str,
        ``year`` int64, ``c01``..``c19`` "boolean" with NA = not assessed / no data,
        ``criteria_met`` "Int64", ``*_pct`` float64 in %, flags "boolean"), plus
        ``name_as_written`` (the name as the user wrote it) and, when the file has one,
        ``population`` (people, float). One row per unit, sorted by code.
    matched : list of dict
        ``{"row", "commune_code", "rule", "name_as_written"}`` per imported row; ``rule`` is
        ``"code"``, ``"name"`` or ``"confirmed_suggestion"``.
    unmatched, duplicates, out_of_range : list of RowIssue
        Rows not imported: no unit found (with reason), same unit as an earlier row, a value
        outside its range or unreadable (one issue per bad cell).
    units_without_row : list of str
        Codes of units no row matched.
    suggestions : dict
        File row -> ``[(commune_code, "name_with_type — district", score)]``; never applied
        unless confirmed (``confirmed`` of :func:`import_table`).
    encoding, header_row
        CSV encoding used (None for Excel); first row of the header.
    skipped : list of RowIssue
        Rows that are not commune data (district headings, totals, rows of another year, notes).
    notices : list of RowIssue
        Remarks that did not stop a row (year taken from the title, missing criteria columns,
        an unknown code matched by name, ignored columns).
    columns : dict
        Header text -> recognised field.
    framework_id, framework_reason_vi, framework_reason_en
        The criteria framework the table was read under (:mod:`ntm_geo.criteria.detect`: by
        year, confirmed by the criterion names of the columns) and why, one sentence per language.
        Under a framework of N criteria only ``c01``..``cNN`` are read; the others stay NA. A
        framework given to :func:`import_table` (not the year's default) is also kept in a
        ``framework_id`` column of :attr:`table`, so the saved dataset is mapped under it.
    provenance : Provenance or None
        Where the table comes from when it is an export of this app
        (:mod:`ntm_geo.datasets.provenance`), else None.
    vintage, vintage_vi, vintage_en
        The unit vintage the rows were matched against ("2015" | "2025",
        :mod:`ntm_geo.geo.vintages`), decided on the whole table by
        :func:`ntm_geo.geo.vintage_match.detect_vintage`, and one sentence per language saying so.
        A row naming a former unit of a 2025 table is not imported; its issue (and a notice) names
        the unit it became part of and the resolution.
    """

    file: str
    sheet: str | None
    year: int
    table: pd.DataFrame
    matched: list[dict[str, Any]]
    unmatched: list[RowIssue]
    duplicates: list[RowIssue]
    units_without_row: list[str]
    out_of_range: list[RowIssue]
    suggestions: dict[int, list[tuple[str, str, float]]]
    encoding: str | None
    header_row: int
    skipped: list[RowIssue] = field(default_factory=list)
    notices: list[RowIssue] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    raw: RawTable | None = field(default=None, repr=False)
    framework_id: str = ""
    framework_reason_vi: str = ""
    framework_reason_en: str = ""
    provenance: Provenance | None = None
    vintage: str = "2015"
    vintage_vi: str = ""
    vintage_en: str = ""

    def ok_rows(self) -> int:
        """Number of rows imported (= rows of :attr:`table`)."""
        return len(self.matched)

    def _issue_groups(self) -> list[tuple[str, list[RowIssue]]]:
        return [
            ("unmatched", self.unmatched),
            ("duplicate", self.duplicates),
            ("out_of_range", self.out_of_range),
            ("skipped", self.skipped),
        ]

    def to_json(self) -> dict[str, Any]:
        """JSON-safe dict: file, sheet, year, encoding, header_row, counts, matched, unmatched,
        duplicates, units_without_row (with name, district and reason), out_of_range, skipped,
        notices, suggestions (keys are row numbers as text), columns."""
        index = UnitIndex(vintage_units(self.vintage))
        without = []
        for code in self.units_without_row:
            label = index.label(code) if index.has(code) else code
            without.append(
                {
                    "row": None,
                    "commune_code": code,
                    "unit": label,
                    "reason_vi": "không có dòng nào trong tệp khớp với đơn vị này.",
                    "reason_en": "no row of the file matches this unit.",
                }
            )
        return {
            "file": self.file,
            "sheet": self.sheet,
            "year": self.year,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "counts": {
                "matched": len(self.matched),
                "unmatched": len(self.unmatched),
                "duplicates": len(self.duplicates),
                "out_of_range_rows": len({i.row for i in self.out_of_range}),
                "units_without_row": len(self.units_without_row),
                "skipped": len(self.skipped),
            },
            "matched": [dict(m) for m in self.matched],
            "unmatched": [i.to_json() for i in self.unmatched],
            "duplicates": [i.to_json() for i in self.duplicates],
            "units_without_row": without,
            "out_of_range": [i.to_json() for i in self.out_of_range],
            "skipped": [i.to_json() for i in self.skipped],
            "notices": [i.to_json() for i in self.notices],
            "suggestions": {
                str(row): [{"commune_code": c, "unit": label, "score": score} for c, label, score in s]
                for row, s in self.suggestions.items()
            },
            "columns": dict(self.columns),
            "framework": {
                "id": self.framework_id,
                "reason_vi": self.framework_reason_vi,
                "reason_en": self.framework_reason_en,
            },
            "provenance": None if self.provenance is None else dataclasses.asdict(self.provenance),
            "vintage": {"key": self.vintage, "reason_vi": self.vintage_vi, "reason_en": self.vintage_en},
        }

    def rejected_rows(self) -> pd.DataFrame:
        """Every row of the file not imported, with its original cells and the reasons.

        Columns: ``row`` (file row), ``sheet``, the file's own headers (cells exactly as written;
        empty headers shown as "(cột F)"), ``issue`` (unmatched | duplicate | out_of_range |
        skipped), ``column`` (where the problem is), ``reason_vi``, ``reason_en``. A row with
        several problems appears once, reasons joined with " | ".
        """
        headers = _unique_headers(self.raw.headers) if self.raw else []
        cells: dict[int | None, tuple[str, ...]] = {r: c for r, c in self.raw.rows} if self.raw else {}
        by_row: dict[int | None, dict[str, Any]] = {}
        for kind, issues in self._issue_groups():
            for issue in issues:
                entry = by_row.setdefault(issue.row, {"issue": kind, "column": [], "vi": [], "en": []})
                if issue.column and issue.column not in entry["column"]:
                    entry["column"].append(issue.column)
                entry["vi"].append(issue.reason_vi)
                entry["en"].append(issue.reason_en)
        records = []
        for row in sorted(by_row, key=lambda r: (r is None, r or 0)):
            entry = by_row[row]
            record: dict[str, object] = {"row": row, "sheet": self.sheet}
            record.update(dict(zip(headers, cells.get(row, ("",) * len(headers)), strict=True)))
            record.update(
                {
                    "issue": entry["issue"],
                    "column": "; ".join(entry["column"]),
                    "reason_vi": " | ".join(entry["vi"]),
                    "reason_en": " | ".join(entry["en"]),
                }
            )
            records.append(record)
        columns = ["row", "sheet", *headers, "issue", "column", "reason_vi", "reason_en"]
        return pd.DataFrame(records, columns=columns).astype({"row": "Int64"})


def _unique_headers(headers: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(headers):
        name = h.strip() or f"(cột {column_letter(i)})"
        base, n = name, 2
        while name in out or name in ("row", "sheet", "issue", "column", "reason_vi", "reason_en"):
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


_YEAR_RE = re.compile(r"(?<!\d)(20[0-4]\d|19[5-9]\d)(?!\d)")


def _year_of(text: str) -> int | None:
    t = re.sub(r"\.0+$", "", str(text).strip())
    return int(t) if re.fullmatch(r"(19|20)\d\d", t) else None


def _choose_year(raw: RawTable, year: int | None) -> tuple[int, list[RowIssue]]:
    if year is not None:
        return int(year), []
    col = raw.column_of("year")
    if col is not None:
        years = sorted({y for _, cells in raw.rows if (y := _year_of(cells[col])) is not None})
        if len(years) == 1:
            return years[0], []
        if len(years) > 1:
            listed = ", ".join(map(str, years))
            raise _error(
                raw.file,
                f"the file has rows for several years ({listed}); import one year at a time "
                "(choose the year; --year on the command line).",
                f"tệp có dòng của nhiều năm ({listed}); "
                "hãy nhập từng năm một (chọn năm; --year khi dùng dòng lệnh).",
                sheet=raw.sheet,
                column=raw.headers[col],
            )
    for where_vi, where_en, texts in (
        ("dòng tiêu đề", "title row", raw.title),
        ("tên tệp", "file name", (raw.file,)),
    ):
        found = sorted({int(y) for t in texts for y in _YEAR_RE.findall(t)})
        if len(found) == 1:
            note = RowIssue(
                None,
                raw.sheet,
                None,
                None,
                str(found[0]),
                f"năm {found[0]} lấy từ {where_vi}; nếu sai, hãy chọn năm.",
                f"year {found[0]} taken from the {where_en}; choose the year if it is wrong.",
            )
            return found[0], [note]
    raise _error(
        raw.file,
        "no year: add a 'Năm' (year) column or give the year (--year on the command line).",
        "không có năm: hãy thêm cột 'Năm' hoặc chọn năm (--year khi dùng dòng lệnh).",
        sheet=raw.sheet,
    )


class _Row:
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


def _has_data(row: _Row) -> bool:
    value_fields = {*CRITERION_COLUMNS, "criteria_met", *INDICATOR_COLUMNS, *FLAG_COLUMNS, "population"}
    return any(row.cells[i].strip() for i, f in enumerate(row.raw.fields) if f in value_fields)


def _num(value: float) -> str:
    return f"{value:.15g}"


def _parse_values(row: _Row, unit_type: str, keys: tuple[str, ...] = CRITERION_COLUMNS) -> dict[str, object]:
    """Typed values of a matched row; problems are added to ``row.issues``. ``keys`` are the
    criterion columns of the table's framework (``c01``..``cNN``); the others stay NA."""
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
        bad = filled + (["criteria_met"] if met_text.strip() and _clean(met_text) not in _BLANK else [])
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
    for c in INDICATOR_COLUMNS:
        spec = _INDICATOR_SPECS[c]
        low, high = spec.valid_range or (-math.inf, math.inf)
        value = None
        pct = spec.unit == "%"
        vi_what, en_what = ("tỷ lệ", "percentage") if pct else ("giá trị", "value")
        bounds = f"{_num(low)}–{_num(high)}"
        span = f"{bounds} {spec.unit}".strip()
        try:
            value = parse_number(row.get(c))
        except ValueError:
            row.issue(
                c,
                f"không phải là số ({vi_what}{' %' if pct else ''}, {bounds}).",
                f"not a number ({en_what}, {bounds}).",
            )
        if value is not None and not low <= value <= high:
            row.issue(
                c, f"{vi_what} {_num(value)} nằm ngoài {span}.", f"{en_what} {_num(value)} is outside {span}."
            )
            value = None
        out[c] = value
    for c in FLAG_COLUMNS:
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
        text = _clean(row.get("commune_group"))
        group = None
        if text and text not in _BLANK:
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


def _empty_table(with_population: bool, with_group: bool = False) -> pd.DataFrame:
    return _typed(
        pd.DataFrame(
            columns=[
                *TABLE_COLUMNS,
                "name_as_written",
                *(["population"] if with_population else []),
                *(["commune_group"] if with_group else []),
            ]
        )
    )


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    out["commune_code"] = out["commune_code"].astype(str)
    out["year"] = out["year"].astype("int64")
    for c in (*CRITERION_COLUMNS, *FLAG_COLUMNS):
        out[c] = out[c].astype("boolean")
    out["criteria_met"] = out["criteria_met"].astype("Int64")
    for c in INDICATOR_COLUMNS + (("population",) if "population" in out.columns else ()):
        out[c] = pd.to_numeric(out[c]).astype("float64")
    out["name_as_written"] = out["name_as_written"].astype(str)
    if "commune_group" in out.columns:
        out["commune_group"] = out["commune_group"].astype("Int64")
    return out.sort_values("commune_code").reset_index(drop=True)


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


#: First year whose tables are on the 2025 units (they took effect on 1 July 2025).
FIRST_YEAR_2025_UNITS = 2026


def _decide_vintage(raw: RawTable, year: int) -> VintageDecision | None:
    """The table's vintage from all its rows, or None when it has no code or name column.

    On a tie (e.g. only codes that both vintages know) the year decides: 2025 units from
    :data:`FIRST_YEAR_2025_UNITS`, else 2015.
    """
    if raw.column_of("commune_code") is None and raw.column_of("name") is None:
        return None
    return detect_table_vintage(raw, prefer="2025" if year >= FIRST_YEAR_2025_UNITS else "2015")


def import_table(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    confirmed: Mapping[int, str] | None = None,
    units: pd.DataFrame | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    time_budget_s: float = IMPORT_TIME_BUDGET_S,
    framework: str | None = None,
    accept_illustrative: bool = False,
) -> ImportReport:
    """Read, match and check an uploaded table; returns the match report (nothing is saved).

    Parameters
    ----------
    data, filename
        The upload (see :func:`read_table`).
    year : int, optional
        The year of the table. Default: the single year of the 'Năm' column, else a single
        year in the title rows, else in the file name (a notice says so).
    confirmed : mapping, optional
        File row -> commune code the user confirmed (e.g. from :attr:`ImportReport.suggestions`)
        for rows that did not match; applied with rule ``"confirmed_suggestion"``.
    units : DataFrame, optional
        Unit table. Default: the units of the vintage the whole table is keyed by
        (:func:`ntm_geo.geo.vintage_match.detect_vintage`: 2015 or 2025, said in
        :attr:`ImportReport.vintage_vi`/``vintage_en``; see :func:`vintage_units`). A row of a
        2025 table naming a former commune is not imported: its issue names the 2025 unit it
        became part of and the resolution ("Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15").
    sheet, encoding
        Passed to :func:`read_table`.
    framework : str, optional
        Id of the criteria framework the table follows (default: chosen by the year and checked
        against the columns' criterion names, :func:`ntm_geo.criteria.detect.choose_framework`).
    time_budget_s : float
        Wall-clock budget of the whole import, seconds (:data:`IMPORT_TIME_BUDGET_S`).
    accept_illustrative : bool
        Import a table that is an export of the app's illustrative data (its provenance rows, or
        the illustrative note in its title, say so) knowingly; a notice says so. Default: refuse.

    Name suggestions are computed for the first :data:`MAX_SUGGESTED_ROWS` unmatched rows only
    (a notice says so when there are more).

    Raises
    ------
    DataError
        File-level problems (see :func:`read_table`), several years without ``year``, no year,
        a table exported from illustrative data without ``accept_illustrative``, no framework
        for the year, a column naming a criterion of a framework numbered
        differently, or a criterion column beyond the framework's count (``TC11`` under the 10
        criteria of 51/2025), or the time budget spent.
    """
    budget = ImportBudget(filename, time_budget_s)
    raw = read_table(data, filename, sheet=sheet, encoding=encoding, budget=budget)
    provenance, notices = _check_provenance(data, raw, accept_illustrative)
    year, year_notices = _choose_year(raw, year)
    notices.extend(year_notices)
    choice = choose_framework(year, raw.headers, declared=framework, file=filename)
    keys = choice.framework.criterion_keys
    for c in CRITERION_COLUMNS[len(keys) :]:
        i = raw.column_of(c)
        if i is not None:
            header = raw.headers[i] or f"(cột {column_letter(i)})"
            fw = choice.framework
            raise DataError(
                f"{filename}: column '{header}' is criterion {int(c[1:])}, but Decision {fw.decision} "
                f"({fw.years[0]}–{fw.years[1]}, the framework of {year}) has {len(keys)} criteria. If the table "
                "is of another year, give that year; else use the template of this framework.",
                f"{filename}: cột '{header}' là tiêu chí {int(c[1:])}, nhưng QĐ {fw.decision} "
                f"({fw.years[0]}–{fw.years[1]}, bộ tiêu chí của năm {year}) chỉ có {len(keys)} tiêu chí. Nếu bảng "
                "là của năm khác, hãy ghi đúng năm; nếu không, hãy dùng mẫu của bộ tiêu chí này.",
                file=filename,
                column=header,
            )
    decision = _decide_vintage(raw, year) if units is None else None
    vintage = decision.vintage if decision is not None else "2015"
    # former units are those gone by 2025: their notices concern tables on the 2025 units only
    former: dict[int, RowNotice] = (
        {n.row: n for n in decision.notices} if decision is not None and vintage == "2025" else {}
    )
    with_districts = get_vintage(vintage).has_districts
    index = UnitIndex(vintage_units(vintage) if units is None else units)
    confirmed = dict(confirmed or {})
    columns = {
        h or f"(cột {column_letter(i)})": f
        for i, (h, f) in enumerate(zip(raw.headers, raw.fields, strict=True))
        if f
    }
    notices.extend(_text_notices(raw))
    notices.extend(_year_notices(raw, year))
    missing = [c for c in keys if raw.column_of(c) is None]
    if 0 < len(missing) < len(keys):
        notices.append(
            RowIssue(
                None,
                raw.sheet,
                None,
                None,
                ", ".join(missing),
                f"tệp thiếu cột tiêu chí {', '.join(missing)}: các tiêu chí này để trống (không có số "
                "liệu) và số tiêu chí đạt lấy theo cột của tệp.",
                f"the file lacks criterion column(s) {', '.join(missing)}: they are left blank (no "
                "data) and the criteria count is taken from the file's column.",
            )
        )
    value_fields = {
        *CRITERION_COLUMNS,
        *keys,
        "criteria_met",
        *PCT_COLUMNS,
        *INDICATOR_COLUMNS,
        *FLAG_COLUMNS,
        "population",
        "year",
    }
    flag_fields = {*CRITERION_COLUMNS, *keys, *FLAG_COLUMNS}
    compared: list[tuple[int, int, str]] = []  # (first column, second column, field)
    for j, i in enumerate(raw.same_as):
        if i is None:
            continue
        f = raw.same_fields[j]
        first, second = _col_label(raw, i), _col_label(raw, j)
        if f in value_fields:
            compared.append((i, j, f))
            vi = (
                f"cột «{second}» cho cùng số liệu với cột «{first}» ({f}): hai cột được so từng dòng; dòng nào "
                "hai cột khác nhau thì không nhập."
            )
            en = (
                f"column «{second}» gives the same field as column «{first}» ({f}): the two are compared row by row; "
                "a row where they differ is not imported."
            )
        else:
            vi = f"cột «{second}» cho cùng thông tin với cột «{first}» ({f}): chỉ dùng cột «{first}» để khớp đơn vị."
            en = f"column «{second}» gives the same field as column «{first}» ({f}): only «{first}» is used for matching."
        notices.append(RowIssue(None, raw.sheet, second, None, None, vi, en))
    for i, (h, f) in enumerate(zip(raw.headers, raw.fields, strict=True)):
        if i < len(raw.same_as) and raw.same_as[i] is not None:
            continue
        if f is None and (h.strip() or any(cells[i].strip() for _, cells in raw.rows)):
            label = h.strip() or f"(cột {column_letter(i)})"
            notices.append(
                RowIssue(
                    None,
                    raw.sheet,
                    label,
                    None,
                    None,
                    "cột không nhận ra, không nhập.",
                    "column not recognised; not imported.",
                )
            )

    matched, unmatched, duplicates, out_of_range, skipped = [], [], [], [], []
    suggestions: dict[int, list[tuple[str, str, float]]] = {}
    first_row: dict[str, int] = {}
    records = []
    heading_district: str | None = None
    unmatched_named = 0
    for file_row, cells in raw.rows:
        budget.check(file_row, raw.sheet)
        if not any(c.strip() for c in cells):
            continue
        row = _Row(raw, file_row, cells)
        code, name = row.get("commune_code").strip(), row.get("name").strip()
        code_known = bool(code) and index.has(_norm_code(code))
        if name and not code_known and is_district_heading(name):
            heading_district = name
            skipped.append(
                row.issue(
                    "name",
                    "dòng tiêu đề/tổng của huyện, không phải xã; tên huyện dùng cho các dòng "
                    "bên dưới không ghi huyện.",
                    "district heading or subtotal row, not a commune; "
                    "its district applies to the rows below that give none.",
                )
            )
            continue
        if name and not code_known and _clean(name).startswith(_TOTAL_WORDS):
            skipped.append(row.issue("name", "dòng tổng cộng, không phải xã.", "total row, not a commune."))
            continue
        if not code and not name:
            if _has_data(row):
                unmatched.append(
                    row.issue(
                        None,
                        "dòng có số liệu nhưng không có mã xã hay tên xã.",
                        "the row has values but neither a commune code nor a name.",
                    )
                )
            else:
                skipped.append(
                    row.issue(
                        None,
                        "dòng không có mã, tên hay số liệu (ghi chú, chữ ký…).",
                        "row with no code, name or values (a note, signature…).",
                    )
                )
            continue
        row_year = row.get("year").strip()
        if row_year and _clean(row_year) not in _BLANK:
            y = _year_of(row_year)
            if y is None:
                out_of_range.append(
                    row.issue("year", "năm không hợp lệ (cần 4 chữ số).", "not a valid 4-digit year.")
                )
                continue
            if y != year:
                skipped.append(
                    row.issue(
                        "year",
                        f"dòng của năm {y}, không phải năm đang nhập ({year}).",
                        f"row for year {y}, not the year being imported ({year}).",
                    )
                )
                continue
        district = row.get("district").strip() or row.get("district_code").strip() or heading_district
        if not with_districts:  # 2025 units have no district: a former district names nothing
            district = None
        found = index.match(
            code, name, district, row.get("unit_type"), suggest=unmatched_named < MAX_SUGGESTED_ROWS
        )
        rule = found.rule
        unit = found.commune_code
        if unit is None and file_row in confirmed:
            chosen = _norm_code(confirmed[file_row])
            if index.has(chosen):
                unit, rule = chosen, "confirmed_suggestion"
        if unit is None and file_row in former:
            moved = former[file_row]
            moved_field = "name" if name else "commune_code"
            unmatched.append(
                row.issue(
                    moved_field,
                    f"đơn vị cũ, không còn trong {get_vintage(vintage).label_vi}: {moved.message_vi}. Dòng "
                    "không được nhập; hãy ghi số liệu cho đơn vị mới.",
                    f"a former unit, not of the {get_vintage(vintage).label_en}: {moved.message_en}. The row is "
                    "not imported; give its values on the new unit.",
                    moved.value,
                )
            )
            notices.append(
                RowIssue(
                    file_row,
                    raw.sheet,
                    row.header(moved_field),
                    None,
                    moved.value,
                    moved.message_vi,
                    moved.message_en,
                )
            )
            unmatched_named += 1
            if found.suggestions:
                suggestions[file_row] = list(found.suggestions)
            continue
        if unit is None:
            blank_district: dict[str | None, str | None] = {
                "district": "district" if row.get("district").strip() else None
            }
            field_name = blank_district.get(found.column, found.column)
            unmatched.append(row.issue(field_name, found.reason_vi or "", found.reason_en or ""))
            unmatched_named += 1
            if found.suggestions:
                suggestions[file_row] = list(found.suggestions)
            continue
        row.code = unit
        if unit in first_row:
            duplicates.append(
                row.issue(
                    "commune_code" if code else "name",
                    f"trùng đơn vị {index.label(unit)} với dòng {first_row[unit]}; chỉ giữ dòng "
                    f"{first_row[unit]}.",
                    f"same unit ({index.label(unit)}) as row "
                    f"{first_row[unit]}; only row {first_row[unit]} is kept.",
                )
            )
            continue
        first_row[unit] = file_row
        if found.note_vi:
            notices.append(
                RowIssue(
                    file_row,
                    raw.sheet,
                    row.header("commune_code"),
                    unit,
                    code,
                    found.note_vi,
                    found.note_en or "",
                )
            )
        for i, j, f in compared:
            a, b = cells[i], cells[j]
            if _same_value(a, b, f in flag_fields):
                continue
            first, second = _col_label(raw, i), _col_label(raw, j)
            row.issues.append(
                RowIssue(
                    file_row,
                    raw.sheet,
                    f"{first} / {second}",
                    unit,
                    f"{a} / {b}",
                    f"hai cột cùng cho {f} nhưng khác nhau: «{first}» = «{a}», «{second}» = «{b}»; hãy giữ "
                    "một cột hoặc sửa cho khớp.",
                    f"two columns both give {f} and differ: «{first}» = «{a}», «{second}» = «{b}»; keep one "
                    "column or make them agree.",
                )
            )
        values = _parse_values(row, index.unit_type(unit), keys)
        if row.issues:
            out_of_range.extend(row.issues)
            continue
        written = name or index.label(unit).split(" — ")[0]
        records.append({"commune_code": unit, "year": year, **values, "name_as_written": written})
        matched.append({"row": file_row, "commune_code": unit, "rule": rule, "name_as_written": written})

    if unmatched_named > MAX_SUGGESTED_ROWS:
        notices.append(
            RowIssue(
                None,
                raw.sheet,
                None,
                None,
                None,
                f"{unmatched_named} dòng không khớp: chỉ {MAX_SUGGESTED_ROWS} dòng đầu có gợi ý tên.",
                f"{unmatched_named} rows did not match: name suggestions are given for the first "
                f"{MAX_SUGGESTED_ROWS} only.",
            )
        )
    with_pop = raw.column_of("population") is not None
    with_group = raw.column_of("commune_group") is not None
    table = _typed(pd.DataFrame(records)) if records else _empty_table(with_pop, with_group)
    if not with_pop and "population" in table.columns:
        table = table.drop(columns="population")
    order = [
        *TABLE_COLUMNS,
        "name_as_written",
        *(["population"] if with_pop else []),
        *(["commune_group"] if with_group else []),
    ]
    table = table[order]
    if framework:  # a declared framework travels with the table (the year's default needs no column)
        table = table.assign(framework_id=pd.Series([choice.framework.id] * len(table), dtype="string"))
    without = [c for c in index.codes() if c not in first_row]
    return ImportReport(
        file=filename,
        sheet=raw.sheet,
        year=year,
        table=table,
        matched=matched,
        unmatched=unmatched,
        duplicates=duplicates,
        units_without_row=sorted(without),
        out_of_range=out_of_range,
        suggestions=suggestions,
        encoding=raw.encoding,
        header_row=raw.header_row,
        skipped=skipped,
        notices=notices,
        columns=columns,
        raw=raw,
        framework_id=choice.framework.id,
        framework_reason_vi=choice.reason_vi,
        framework_reason_en=choice.reason_en,
        provenance=provenance,
        vintage=vintage,
        vintage_vi=decision.message("vi") if decision is not None else "",
        vintage_en=decision.message("en") if decision is not None else "",
    )


def _col_label(raw: RawTable, i: int) -> str:
    return raw.headers[i].strip() or f"(cột {column_letter(i)})"


#: "k/n" (criteria met as the app's tables display it): compared by its numerator ``k``.
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*\d+\s*$")


def _same_value(a: str, b: str, flag: bool) -> bool:
    """Do two cells give the same value (``11,9`` = ``11.9``, ``x`` = ``1`` for a ``flag``; blank = blank)?"""
    if _clean(a) == _clean(b):
        return True
    a, b = _FRACTION.sub(r"\1", a), _FRACTION.sub(r"\1", b)  # "19/19" as a display writes criteria met
    parse = parse_flag if flag else parse_number
    try:
        return parse(a) == parse(b)
    except ValueError:
        return False


def _year_notices(raw: RawTable, year: int) -> list[RowIssue]:
    """A notice when report 48/BC-BCĐ has no figures for ``year``: its checks cannot run."""
    from ntm_geo.criteria.report_check import report_years

    known = report_years()
    if year in known:
        return []
    years = ", ".join(map(str, known))
    return [
        RowIssue(
            None,
            raw.sheet,
            None,
            None,
            str(year),
            f"Báo cáo 48/BC-BCĐ không có số liệu năm {year} (chỉ có năm {years}): không đối chiếu được số "
            "xã đạt từng tiêu chí, số xã theo nhóm số tiêu chí đạt, số tiêu chí bình quân một xã, tỷ lệ hộ "
            "nghèo và các chỉ tiêu hạ tầng với báo cáo. Số liệu vẫn nhập được; hãy kiểm tra năm.",
            f"report 48/BC-BCĐ has no figures for {year} (only for {years}): the checks of criteria met "
            "per criterion, communes by number of criteria met, mean criteria per commune, poverty rate "
            "and infrastructure against the report cannot run. The table still imports; check the year.",
        )
    ]


def _text_notices(raw: RawTable) -> list[RowIssue]:
    """Notices of text the reader converted: TCVN3 letters, double-encoded UTF-8 repaired."""
    out = []
    if raw.encoding == "tcvn3" or raw.tcvn3_cells:
        out.append(
            RowIssue(
                None,
                raw.sheet,
                None,
                None,
                None,
                "tệp gõ bằng phông TCVN3 (ABC, .VnTime), đã chuyển sang Unicode; hãy kiểm tra tên xã.",
                "the file was typed with a TCVN3 (ABC, .VnTime) font and was converted to Unicode; "
                "check the commune names.",
            )
        )
    if raw.repaired:
        row, col, before, after = raw.repaired[0]
        n = len(raw.repaired)
        below_header = row >= raw.header_row + raw.header_lines and col < len(raw.headers)
        out.append(
            RowIssue(
                row,
                raw.sheet,
                _col_label(raw, col)
                if below_header
                else f"(cột {column_letter(col)})",  # a data cell: its header
                None,
                before,
                f"tệp bị lưu sai bảng mã (chữ UTF-8 bị đọc theo bảng mã Windows-1252/1258 rồi lưu lại): đã "
                f"sửa {n} ô, ví dụ «{before}» → «{after}». Hãy kiểm tra tên xã, và lần sau lưu dạng 'CSV UTF-8'.",
                f"the file was saved with the wrong encoding (UTF-8 text read as Windows-1252/1258 and saved "
                f"again): {n} cell(s) repaired, e.g. «{before}» → «{after}». Check the commune names, and "
                "save as 'CSV UTF-8' next time.",
            )
        )
    return out


def _check_provenance(
    data: bytes, raw: RawTable, accept_illustrative: bool
) -> tuple[Provenance | None, list[RowIssue]]:
    """The upload's provenance; refuses (or, accepted, notes) an export of illustrative data."""
    provenance = read_provenance(data, raw.file)
    if provenance is None and (illustrative_title(raw.title) or has_illustrative_note(data, raw.file)):
        provenance = Provenance(illustrative=True)
    if provenance is None or not provenance.illustrative:
        return provenance, []
    what_vi = f"bộ dữ liệu «{provenance.dataset_id}»" if provenance.dataset_id else "dữ liệu minh họa"
    what_en = f"dataset «{provenance.dataset_id}»" if provenance.dataset_id else "the illustrative data"
    when_vi = f", xuất lúc {provenance.exported_at}" if provenance.exported_at else ""
    when_en = f", exported {provenance.exported_at}" if provenance.exported_at else ""
    if not accept_illustrative:
        raise _error(
            raw.file,
            f"this table is an export of the app's ILLUSTRATIVE data ({what_en}{when_en}): its values "
            "are generated by a model, not the province's figures, so it is not imported as province "
            "data. To import it anyway (e.g. to test), say so knowingly: --accept-illustrative on the "
            "command line, or the box 'Import an export of the illustrative data knowingly' on the data page.",
            f"bảng này được xuất từ DỮ LIỆU MINH HỌA của ứng dụng ({what_vi}{when_vi}): số liệu do mô "
            "hình sinh ra, không phải số liệu của tỉnh, nên không được nhập như số liệu của tỉnh. Nếu vẫn "
            "muốn nhập (ví dụ để thử), hãy xác nhận rõ: --accept-illustrative khi dùng dòng lệnh, hoặc ô "
            "'Nhập có chủ ý bảng xuất từ dữ liệu minh họa' trên trang Dữ liệu.",
            sheet=raw.sheet,
        )
    notice = RowIssue(
        None,
        raw.sheet,
        None,
        None,
        provenance.dataset_id or None,
        f"bảng được xuất từ dữ liệu minh họa ({what_vi}{when_vi}) và được nhập theo xác nhận của người "
        "dùng: số liệu này không phải số liệu thật của tỉnh.",
        f"the table is an export of illustrative data ({what_en}{when_en}), imported as the user "
        "confirmed: these values are not the province's real figures.",
    )
    return provenance, [notice]


def _norm_code(text: str) -> str:
    return normalise_code(text) or ""


def issue_message(issue: RowIssue, file: str, lang: str = "vi") -> str:
    """ "file, sheet «S», row R, column «C»: reason" in ``lang`` ("vi" or "en")."""
    where_vi, where_en = _where(file, issue.sheet, issue.row, issue.column)
    if lang == "vi":
        value = f" (giá trị «{issue.value}»)" if issue.value not in (None, "") else ""
        return f"{where_vi}: {issue.reason_vi}{value}"
    value = f" (value «{issue.value}»)" if issue.value not in (None, "") else ""
    return f"{where_en}: {issue.reason_en}{value}"
