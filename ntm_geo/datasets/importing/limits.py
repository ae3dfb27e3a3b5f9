"""The bounds of one table upload and the file-located errors the import raises.

Every upload is bounded in size, rows, columns, cell length and time before any per-row work
(issue 10): the limits (:data:`MAX_FILE_BYTES`, :data:`MAX_ROWS`, :data:`MAX_COLUMNS`,
:data:`MAX_CELL_CHARS`, the workbook zip limits, :data:`IMPORT_TIME_BUDGET_S`), the wall-clock
:class:`ImportBudget`, and :func:`file_error`, which builds the
:class:`~ntm_geo.errors.DataError` every step raises ("file, sheet «S», row R, column «C»: …" in
Vietnamese and English).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from ntm_geo.errors import DataError

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


def locate(
    file: str, sheet: str | None = None, row: int | None = None, column: str | None = None
) -> tuple[str, str]:
    """("file, trang tính «S», dòng R, cột «C»", "file, sheet «S», row R, column «C»"): the
    place of a problem as each language writes it; parts not given are left out."""
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


def file_error(
    file: str,
    en: str,
    vi: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    column: str | None = None,
) -> DataError:
    """The :class:`~ntm_geo.errors.DataError` of a file-level problem, prefixed with its place
    (:func:`locate`); ``en`` and ``vi`` are the reason in each language."""
    where_vi, where_en = locate(file, sheet, row, column)
    return DataError(f"{where_en}: {en}", f"{where_vi}: {vi}", file=file, row=row, column=column)


def grouped(value: int, lang: str) -> str:
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
        #: Where a reader stopped at a run of :data:`EMPTY_RUN_END` empty rows while the sheet went
        #: on below (sheet or None for a CSV, the file row of the stop): said in the report, so a
        #: cell far below the table is never dropped without a word.
        self.stops: list[tuple[str | None, int]] = []

    @contextmanager
    def excluded(self) -> Iterator[None]:
        """Time spent inside does not count: the project's own reference tables (the units of each
        vintage, the former-unit crosswalk) are built once per process — on a fresh clone from the
        boundary mirror, ~20 s — and are not the uploaded file's work."""
        start = time.monotonic()
        try:
            yield
        finally:
            self.deadline += time.monotonic() - start

    def check(self, row: int | None = None, sheet: str | None = None) -> None:
        """Raise DataError when the budget is spent (``row``: the file row reached)."""
        if time.monotonic() > self.deadline:
            err = file_error(
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
    return file_error(
        file,
        f"the table has more than {grouped(MAX_ROWS, 'en')} non-empty rows (limit reached at row "
        f"{grouped(row, 'en')}); a province table has a few hundred rows (226 communes, one row each "
        "per year). Remove the rows that are not the table, or split the file; the file is refused.",
        f"bảng có hơn {grouped(MAX_ROWS, 'vi')} dòng có dữ liệu (vượt giới hạn ở dòng {grouped(row, 'vi')}); "
        "bảng của tỉnh chỉ có vài trăm dòng (226 xã, mỗi xã một dòng cho mỗi năm). Hãy xóa các dòng "
        "không thuộc bảng hoặc tách tệp; tệp bị từ chối.",
        sheet=sheet,
        row=row,
    )


def _too_many_columns(file: str, sheet: str | None, row: int) -> DataError:
    letter = column_letter(MAX_COLUMNS)
    return file_error(
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


def too_long_cell(
    file: str, sheet: str | None, row: int, column: str | None, length: int | None
) -> DataError:
    """The error of a cell longer than :data:`MAX_CELL_CHARS` (``length`` None when unknown)."""
    size_en = f"{grouped(length, 'en')} characters" if length else "too many characters"
    size_vi = f"{grouped(length, 'vi')} ký tự" if length else "quá nhiều ký tự"
    return file_error(
        file,
        f"the cell holds {size_en}; a cell of a commune table holds at most "
        f"{grouped(MAX_CELL_CHARS, 'en')} (a name, a number or a short note). The file is refused.",
        f"ô có {size_vi}; ô của bảng số liệu xã chứa tối đa {grouped(MAX_CELL_CHARS, 'vi')} ký tự (tên, "
        "số hoặc ghi chú ngắn). Tệp bị từ chối.",
        sheet=sheet,
        row=row,
        column=column,
    )


class BoundedGrid:
    """The rows of one sheet or CSV as they are read, bounded before any per-row work.

    :meth:`add` keeps each row's cells cut to :data:`MAX_COLUMNS` (trailing empty cells dropped)
    and raises :class:`~ntm_geo.errors.DataError` naming the file, sheet, row (and column) once
    the table passes :data:`MAX_ROWS` non-empty rows, uses a column beyond :data:`MAX_COLUMNS`, or
    holds a cell longer than :data:`MAX_CELL_CHARS`. :data:`EMPTY_RUN_END` empty rows in a row
    end the sheet (formatted empty cells far below the table are never read). :attr:`rows` is
    ``[(file row, cells)]``, empty rows kept as ``[]`` except at the end.
    """

    def __init__(self, file: str, sheet: str | None = None) -> None:
        self.file, self.sheet = file, sheet
        self._rows: list[tuple[int, list[str]]] = []
        self._empty_run = self._nonempty = 0

    @staticmethod
    def is_empty(cells: list[str]) -> bool:
        """True when no cell holds more than white space."""
        return not any(c.strip() for c in cells)

    def add(self, number: int, cells: list[str]) -> bool:
        """Add file row ``number``; False when it ends the sheet (the caller stops reading)."""
        if self.is_empty(cells):
            self._empty_run += 1
            if self._empty_run >= EMPTY_RUN_END:
                return False
            self._rows.append((number, []))
            return True
        self._empty_run = 0
        self._nonempty += 1
        self._rows.append((number, self._bounded(cells, number)))
        return True

    @property
    def rows(self) -> list[tuple[int, list[str]]]:
        """The rows added so far, without the empty rows at the end."""
        rows = list(self._rows)
        while rows and not rows[-1][1]:
            rows.pop()
        return rows

    def _bounded(self, cells: list[str], row: int) -> list[str]:
        file, sheet = self.file, self.sheet
        if self._nonempty > MAX_ROWS:
            raise _too_many_rows(file, sheet, row)
        if any(c.strip() for c in cells[MAX_COLUMNS:]):
            raise _too_many_columns(file, sheet, row)
        cells = cells[:MAX_COLUMNS]
        while cells and not cells[-1].strip():
            cells.pop()
        for i, c in enumerate(cells):
            if len(c) > MAX_CELL_CHARS:
                raise too_long_cell(file, sheet, row, column_letter(i), len(c))
        return cells


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index (0 -> A, 26 -> AA)."""
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
