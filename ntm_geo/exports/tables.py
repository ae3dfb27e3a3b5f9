"""Exports of the table behind a map view.

CSV is written as UTF-8 **with BOM** so Excel shows Vietnamese correctly, and every text cell
that begins with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return) is prefixed with an
apostrophe so a spreadsheet never runs it as a formula (CSV/formula injection; OWASP).
Numbers are left as numbers.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from ntm_geo.errors import ConfigError

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CellValue: TypeAlias = bool | int | float | Decimal | str | datetime | date | time | timedelta | None
"""A value an openpyxl cell stores as that type (pandas' Timestamp is a datetime)."""


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot start a spreadsheet formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    out.columns = [
        "'" + c if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) else c for c in out.columns
    ]
    return out


def table_csv_bytes(df: pd.DataFrame, *, note: str | None = None) -> bytes:
    """CSV bytes (UTF-8 with BOM). ``note`` (e.g. "Dữ liệu minh họa: …") becomes a first
    comment line starting with ``#`` so the provenance travels with the file."""
    body = neutralise_formulas(df).to_csv(index=False, lineterminator="\r\n")
    head = f"# {note}\r\n" if note else ""
    return ("\ufeff" + head + str(body)).encode("utf-8")


def new_workbook() -> tuple[Workbook, Worksheet]:
    """A new openpyxl workbook and the worksheet it is created with.

    openpyxl types ``Workbook.active`` as optional (a workbook may have no sheet, or a chart
    sheet, active); a new workbook always has one worksheet, and this checks it.

    Raises
    ------
    ConfigError
        If the installed openpyxl creates a workbook without a worksheet.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise ConfigError(
            "openpyxl created a workbook without a worksheet; check the installed openpyxl.",
            "openpyxl tạo sổ tính không có trang tính; hãy kiểm tra phiên bản openpyxl đã cài.",
        )
    return book, sheet
