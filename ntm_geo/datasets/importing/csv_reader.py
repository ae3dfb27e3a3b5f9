"""CSV text -> rows of cells, bounded like a sheet (delimiter sniffed, unbalanced quotes refused)."""

from __future__ import annotations

import csv
import io

from ntm_geo.datasets.importing.limits import (
    BoundedGrid,
    ImportBudget,
    column_letter,
    file_error,
    too_long_cell,
)


def csv_grid(text: str, filename: str, budget: ImportBudget) -> list[tuple[int, list[str]]]:
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
    grid = BoundedGrid(filename)
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
                raise too_long_cell(filename, None, start, None, None) from None
            raise file_error(
                filename,
                f"the CSV cannot be read from this row on ({err}); save the file again as 'CSV UTF-8'.",
                f"không đọc được CSV từ dòng này ({err}); hãy lưu lại tệp dạng 'CSV UTF-8'.",
                row=start,
            ) from None
        if not grid.is_empty(cells) and (
            reader.line_num > start or any(c.endswith(("\n", "\r")) for c in cells)
        ):
            _check_quotes(cells, filename, start, reader.line_num, best, best_width)
        if not grid.add(start, cells):
            budget.stops.append((None, start))
            break
    return grid.rows


def _check_quotes(cells: list[str], filename: str, start: int, end: int, delim: str, width: int) -> None:
    """Refuse a cell that swallowed whole rows after an unbalanced opening quote."""
    for i, cell in enumerate(cells):
        if "\n" not in cell and "\r" not in cell:
            continue
        swallowed = [line for line in cell.splitlines()[1:] if line.count(delim) >= max(1, (width - 1) // 2)]
        # A quoted cell never ends with a line break unless its quote ran to the end of the file.
        if swallowed or (cell.endswith(("\n", "\r")) and delim in cell):
            first = cell.splitlines()[0][:40]
            raise file_error(
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
