"""Step 1 of an import: bytes -> :class:`RawTable` (every cell as text, header recognised).

:func:`read_table` checks the file's kind from its content (:mod:`.sniff`), reads the cells
(:mod:`.csv_reader` after :mod:`.encodings`, or :mod:`.xlsx_reader`), repairs garbled text, skips
title rows and finds the header (:mod:`.headers`). Nothing is matched or checked here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ntm_geo.datasets.importing.csv_reader import csv_grid
from ntm_geo.datasets.importing.encodings import (
    convert_tcvn3_cells,
    decode_text,
    repair_grid,
)
from ntm_geo.datasets.importing.headers import (
    HEADER_SCAN_ROWS,
    dedupe_fields,
    find_header,
    is_numbering_row,
)
from ntm_geo.datasets.importing.limits import (
    BudgetSpentError,
    ImportBudget,
    column_letter,
    file_error,
)
from ntm_geo.datasets.importing.sniff import check_kind
from ntm_geo.datasets.importing.xlsx_reader import xlsx_grids
from ntm_geo.errors import DataError


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
        Recognised field per column (see :data:`~.headers.HEADER_ALIASES`; ``c01``..``c19``), None if unknown.
    rows : tuple of (int, tuple of str)
        Every row below the header: (file row, cells), cells padded to ``len(headers)``.
    title : tuple of str
        Text of the rows above the header (e.g. "Kết quả ... năm 2015").
    repaired : tuple of (int, int, str, str)
        Cells repaired from double-encoded UTF-8 (:func:`~.encodings.repair_mojibake`): (file row, column
        index, text as found, text repaired).
    tcvn3_cells : int
        Cells of a Unicode file typed in a TCVN3 font and converted (:func:`~.encodings.tcvn3_to_unicode`).
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


def _field_layout(
    all_fields: list[str | None],
) -> tuple[tuple[str | None, ...], tuple[int | None, ...], tuple[str | None, ...]]:
    """(fields, same_as, same_fields) of :class:`RawTable` from the field every column names."""
    fields = dedupe_fields(all_fields)
    first_of: dict[str, int] = {}
    same_as: list[int | None] = []
    for k, f in enumerate(all_fields):
        same_as.append(first_of.get(f) if f and f != "_ignore" and fields[k] is None else None)
        if f and f not in first_of:
            first_of[f] = k
    same_fields = tuple(all_fields[k] if same_as[k] is not None else None for k in range(len(all_fields)))
    return tuple(fields), tuple(same_as), same_fields


def relabel_fields(raw: RawTable, renamed: dict[str, str]) -> RawTable:
    """``raw`` with the fields in ``renamed`` read as others: a framework indicator linked to a
    registry column (``{"c11_1": "poverty_rate_pct"}``,
    :func:`ntm_geo.datasets.framework_indicators.linked_columns`). A column that then names a field
    an earlier one names becomes a second column of it (``same_as``), compared row by row."""
    if not renamed:
        return raw
    every = [
        f if f is not None else (raw.same_fields[k] if raw.same_fields else None)
        for k, f in enumerate(raw.fields)
    ]
    fields, same_as, same_fields = _field_layout([renamed.get(f, f) if f else f for f in every])
    return replace(raw, fields=fields, same_as=same_as, same_fields=same_fields)


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
    cell, workbook zip limits (:func:`.xlsx_reader._check_zip`); a sheet ends after :data:`~.limits.EMPTY_RUN_END`
    consecutive empty rows.

    Raises
    ------
    DataError
        Wrong or unsupported file type (named from its content), undetectable encoding, unknown
        sheet, no header found (the message lists the recognised header names), a bound passed,
        an unbalanced quote, the time budget spent.
    """
    budget = budget or ImportBudget(filename)
    kind = check_kind(data, filename)
    grids: Sequence[tuple[str | None, list[tuple[int, list[str]]]]]  # (sheet name or None for CSV, rows)
    names: tuple[str, ...]
    if kind == "xlsx":
        sheets = xlsx_grids(data, filename, budget)
        names = tuple(name for name, _ in sheets)
        if sheet is not None:
            if sheet not in names:
                raise file_error(
                    filename,
                    f"no sheet «{sheet}»; sheets: {', '.join(names)}.",
                    f"không có trang tính «{sheet}»; các trang tính: {', '.join(names)}.",
                )
            sheets = [g for g in sheets if g[0] == sheet]
        grids = sheets
        enc = None
    else:
        text, enc = decode_text(data, filename, encoding)
        grids, names = [(None, csv_grid(text, filename, budget))], ()
    first_text_error: DataError | None = None  # raised when no sheet has a header (garbled headers)
    for name, grid in grids:
        # Text problems count only on the sheet that holds the table (not on an instructions sheet).
        text_error: DataError | None = None
        repaired, tcvn3_cells = [], []
        try:
            repaired = repair_grid(grid, filename, name, budget)
            tcvn3_cells = convert_tcvn3_cells(grid, filename, name) if enc != "tcvn3" else []
        except BudgetSpentError:
            raise
        except DataError as err:
            text_error = err
        grid = _pad(grid)
        found = find_header(grid)
        if found is None:
            first_text_error = first_text_error or text_error
            continue
        if text_error is not None:
            raise text_error
        i, lines, headers, all_fields = found
        fields, same_as, same_fields = _field_layout(all_fields)
        body = grid[i + lines :]
        while body and is_numbering_row(body[0][1]):
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
            same_as=same_as,
            same_fields=same_fields,
        )
    if first_text_error is not None:
        raise first_text_error
    where = f" (sheet(s): {', '.join(names)})" if names else ""
    where_vi = f" (trang tính: {', '.join(names)})" if names else ""
    raise file_error(
        filename,
        f"no header row found in the first {HEADER_SCAN_ROWS} rows{where}. The header needs a commune code "
        "or name column (e.g. 'Mã xã', 'Tên xã', 'commune_code') and at least one other known column "
        "('Huyện', 'Năm', 'Tiêu chí 1'…'Tiêu chí 19', 'Tỷ lệ hộ nghèo (%)'…). Download the template to see them.",
        f"không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN_ROWS} dòng đầu{where_vi}. Tiêu đề cần cột mã xã hoặc "
        "tên xã (ví dụ 'Mã xã', 'Tên xã') và ít nhất một cột khác đã biết ('Huyện', 'Năm', 'Tiêu chí 1'…'Tiêu chí 19', "
        "'Tỷ lệ hộ nghèo (%)'…). Tải mẫu nhập liệu để xem các tên cột.",
    )


def col_label(raw: RawTable, i: int) -> str:
    """The user's header of column ``i``, or "(cột F)" when it is empty."""
    return raw.headers[i].strip() or f"(cột {column_letter(i)})"
