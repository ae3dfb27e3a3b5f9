"""Importing a commune table as provincial offices produce it (CSV or Excel .xlsx).

Two steps, both pure (bytes in, values out):

:func:`~.reading.read_table`
    Bytes -> :class:`~.reading.RawTable` (all cells as text, exactly as written). Checks that the
    file is what its extension says; decodes CSV text (UTF-8 with or without BOM, UTF-16 "Unicode
    text", Windows-1258 validated on Vietnamese letters, Windows-1252; anything else must be named
    with ``encoding=``), finds the delimiter (``,`` ``;`` tab ``|``), skips title rows, reads
    merged and two-line headers (``Tiêu chí`` over ``1 … 19``, or a Vietnamese line over an
    English one) and recognises Vietnamese and English header aliases
    (:data:`~.headers.HEADER_ALIASES`).
:func:`~.table.import_table`
    RawTable -> :class:`~.report.ImportReport`: each row matched to a unit
    (:mod:`ntm_geo.datasets.matching`), values parsed (``11,9``, ``1.474.000``, criteria as 1/0,
    x, ✓, Đạt/Chưa đạt, TRUE/FALSE, Có/Không; blank = no data, never 0) and checked; every row not
    imported is kept with its reason, and every value of an imported row not used (the criteria a
    file gives a phường or thị trấn: not assessed, :attr:`~.report.ImportReport.ignored`) with its
    cell (:meth:`~.report.ImportReport.rejected_rows`). Nothing is saved here.

File-level problems raise :class:`~ntm_geo.errors.DataError` naming the file (and sheet, row,
column) in Vietnamese and English; row-level problems are :class:`~.report.RowIssue` values.
Row numbers are 1-based rows of the file as the user sees it: the Excel row, or the CSV line.

One module per job (the project's own code imports from these owners):

==================  ==========================================================================
``limits``          bounds of an upload (size, rows, columns, cells, zip, time), file-located errors
``sniff``           the file's kind, proven from its content
``encodings``       CSV text encodings, TCVN3 font text, double-encoded UTF-8 (ftfy)
``csv_reader``      CSV text -> bounded rows of cells
``xlsx_reader``     .xlsx -> bounded rows of cells per sheet (zip-bomb check, merged cells)
``headers``         header aliases (with :mod:`ntm_geo.datasets.schema`; framework indicators
                    ``c04_2`` by number or name), the header row
``reading``         step 1: :class:`~.reading.RawTable` and :func:`~.reading.read_table`
``values``          flags and numbers as offices write them
``registry``        the column lists derived from the schema registry (kept current)
``rows``            row validation: typed values of one row, its issues
``units``           the unit vintage rows are matched against
``notices``         the year, text-conversion notices, provenance of illustrative exports
``report``          :class:`~.report.RowIssue`, :class:`~.report.ImportReport`, messages
``table``           step 2: :func:`~.table.import_table`
==================  ==========================================================================

This package re-exports the names that were importable from the single module it replaced, so
``from ntm_geo.datasets.importing import X`` keeps working for other callers.

Examples
--------
>>> csv = "Mã xã,Tên xã,Năm,Tỷ lệ hộ nghèo (%)\\n6628,Xã Đình Lập,2015,\\"11,9\\"\\n".encode()
>>> report = import_table(csv, "ket_qua.csv")
>>> report.matched[0]["commune_code"], report.matched[0]["rule"], float(report.table["poverty_rate_pct"][0])
('06628', 'code', 11.9)
"""

from __future__ import annotations

from ntm_geo.datasets.importing import registry
from ntm_geo.datasets.importing.encodings import TCVN3, repair_mojibake, tcvn3_to_unicode
from ntm_geo.datasets.importing.headers import (
    EXTRA_CRITERION_NAMES,
    HEADER_ALIASES,
    HEADER_SCAN_ROWS,
    header_field,
)
from ntm_geo.datasets.importing.limits import (
    EMPTY_RUN_END,
    IMPORT_TIME_BUDGET_S,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SUGGESTED_ROWS,
    MAX_XLSX_MEMBER_BYTES,
    MAX_XLSX_RATIO,
    MAX_XLSX_TOTAL_BYTES,
    BudgetSpentError,
    ImportBudget,
    column_letter,
)
from ntm_geo.datasets.importing.reading import RawTable, read_table
from ntm_geo.datasets.importing.report import ImportReport, RowIssue, issue_message
from ntm_geo.datasets.importing.sniff import EXCEL_EXTENSIONS, TEXT_EXTENSIONS
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.datasets.importing.units import FIRST_YEAR_2025_UNITS, vintage_units
from ntm_geo.datasets.importing.values import parse_flag, parse_number
from ntm_geo.datasets.importing.xlsx_reader import MAX_MERGED_RANGES

#: Column lists derived from the schema registry: read live from :mod:`.registry` (they are
#: rebuilt when :func:`ntm_geo.datasets.schema.extended` adds columns), see :func:`__getattr__`.
_LIVE = ("PCT_COLUMNS", "INDICATOR_COLUMNS", "FLAG_COLUMNS", "TABLE_COLUMNS")

__all__ = [
    "EMPTY_RUN_END",
    "EXCEL_EXTENSIONS",
    "EXTRA_CRITERION_NAMES",
    "FIRST_YEAR_2025_UNITS",
    "FLAG_COLUMNS",  # live, served by __getattr__
    "HEADER_ALIASES",
    "HEADER_SCAN_ROWS",
    "IMPORT_TIME_BUDGET_S",
    "INDICATOR_COLUMNS",  # live, served by __getattr__
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_MERGED_RANGES",
    "MAX_ROWS",
    "MAX_SUGGESTED_ROWS",
    "MAX_XLSX_MEMBER_BYTES",
    "MAX_XLSX_RATIO",
    "MAX_XLSX_TOTAL_BYTES",
    "PCT_COLUMNS",  # live, served by __getattr__
    "TABLE_COLUMNS",  # live, served by __getattr__
    "TCVN3",
    "TEXT_EXTENSIONS",
    "BudgetSpentError",
    "ImportBudget",
    "ImportReport",
    "RawTable",
    "RowIssue",
    "column_letter",
    "header_field",
    "import_table",
    "issue_message",
    "parse_flag",
    "parse_number",
    "read_table",
    "repair_mojibake",
    "tcvn3_to_unicode",
    "vintage_units",
]


def __getattr__(name: str) -> tuple[str, ...]:
    """``PCT_COLUMNS``, ``INDICATOR_COLUMNS``, ``FLAG_COLUMNS``, ``TABLE_COLUMNS`` as the registry
    has them now (:mod:`.registry`); any other unknown name raises AttributeError."""
    if name in _LIVE:
        value: tuple[str, ...] = getattr(registry, name)
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
