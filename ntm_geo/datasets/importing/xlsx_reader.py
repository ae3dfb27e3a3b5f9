"""Excel .xlsx workbook -> rows of cells per sheet, streamed and bounded.

The zip directory is checked before anything is decompressed (:func:`_check_zip`: zip bombs);
openpyxl reads in read-only (streaming) mode; merged cells are filled from their top-left value.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import TYPE_CHECKING, cast

from ntm_geo.datasets.importing.limits import (
    MAX_COLUMNS,
    MAX_XLSX_MEMBER_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_TOTAL_BYTES,
    BoundedGrid,
    ImportBudget,
    file_error,
)
from ntm_geo.errors import DataError

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read
    from openpyxl import Workbook
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet


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
        raise file_error(
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
            raise file_error(
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
    grid = BoundedGrid(filename, title)
    for number, row in enumerate(ws.iter_rows(min_row=1, max_col=MAX_COLUMNS + 1), start=1):  # type: ignore[misc]  # types-openpyxl declares it as Worksheet.iter_rows (self type)
        if number % 128 == 0:
            budget.check(number, title)
        cells = [_cell_text(c.value, getattr(c, "number_format", None) or "") for c in row]
        if not grid.add(number, cells):
            budget.stops.append((title, number))
            break
    return grid.rows


def xlsx_grids(
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
        raise file_error(
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
        raise file_error(
            filename,
            f"the Excel file is damaged and cannot be read ({type(err).__name__}); open it in Excel "
            "and save it again as .xlsx.",
            f"tệp Excel bị hỏng, không đọc được ({type(err).__name__}); hãy mở bằng Excel và lưu lại dạng .xlsx.",
        ) from None
    finally:
        book.close()
    return grids
