"""Provenance of an exported table: written by the exports, read back by the importer.

An exported table (Excel or CSV, :mod:`ntm_geo.exports.tables`) carries rows of three cells
``[MARKER, key, value]`` — in CSV above the header, in Excel on a sheet of their own
(:data:`SHEET`) — with the keys of :class:`Provenance` (dataset id, name, year, source,
illustrative, derived, app version, export time). The rows survive a re-save in Excel or
LibreOffice (they are ordinary cells), and the importer's header search skips them.

:func:`read_provenance` finds them in an upload; :func:`illustrative_title` recognises an older
export (before this module) by the illustrative note in its title rows. The importer refuses a
table whose provenance says *illustrative* unless the user accepts it knowingly
(:func:`ntm_geo.datasets.importing.table.import_table`, ``accept_illustrative``): issue 14, item 1.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, fields, replace

MARKER = "ntm_geo:provenance"
"""First cell of every provenance row."""
SHEET = "Nguồn gốc (provenance)"
"""Excel sheet holding the provenance rows (31 characters at most)."""
MAX_SCAN_LINES = 60
"""CSV lines (from the top) searched for provenance rows."""
MAX_SCAN_BYTES = 256 * 1024
"""CSV bytes (from the top) searched for provenance rows."""

_TRUE = {"1", "true", "yes", "có", "co"}


@dataclass(frozen=True)
class Provenance:
    """Where an exported table comes from.

    Attributes
    ----------
    dataset_id, dataset_name : str
        The dataset of :mod:`ntm_geo.datasets.catalog` ("illustrative" or a saved dataset's id).
    year : str
        The year of the table ("2015"); text, as read back.
    source : str
        The dataset's source line.
    illustrative : bool
        The values are the app's illustrative (generated) data, not the province's.
    derived : bool
        The values were derived (e.g. carried across boundary vintages), not measured.
    app_version, exported_at : str
        ntm-geo version and export time (ISO 8601, UTC).
    """

    dataset_id: str = ""
    dataset_name: str = ""
    year: str = ""
    source: str = ""
    illustrative: bool = False
    derived: bool = False
    app_version: str = ""
    exported_at: str = ""

    def rows(self) -> list[tuple[str, str, str]]:
        """``[(MARKER, key, value)]``, one per field; booleans as "true"/"false"."""
        out = []
        for key, value in asdict(self).items():
            text = ("true" if value else "false") if isinstance(value, bool) else str(value)
            out.append((MARKER, key, text))
        return out

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> Provenance:
        """From key -> text (unknown keys ignored, missing keys default)."""
        base = cls()
        values: dict[str, str | bool] = {}
        for f in fields(cls):
            if f.name not in pairs:
                continue
            text = str(pairs[f.name]).strip()
            values[f.name] = text.lower() in _TRUE if isinstance(getattr(base, f.name), bool) else text
        return replace(base, **values)  # type: ignore[arg-type]  # keys are the dataclass's own fields


def _pairs(rows: list[list[str]]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for cells in rows:
        cells = [str(c if c is not None else "").strip() for c in cells]
        if len(cells) >= 3 and cells[0].lstrip("#").strip() == MARKER and cells[1]:
            pairs.setdefault(cells[1], cells[2])
    return pairs


def _xlsx_rows(data: bytes) -> list[list[str]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return []
    rows: list[list[str]] = []
    try:
        for ws in book.worksheets:
            for i, row in enumerate(ws.iter_rows(max_col=3, values_only=True)):
                if i >= MAX_SCAN_LINES:
                    break
                rows.append(["" if v is None else str(v) for v in row])
    finally:
        book.close()
    return rows


def _csv_lines(data: bytes) -> list[str]:
    head = data[:MAX_SCAN_BYTES]
    # Excel's "Unicode text" is UTF-16 with a byte-order mark; anything else is read as UTF-8
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    text = head.decode("utf-16" if utf16 else "utf-8-sig", errors="replace")
    return text.splitlines()[:MAX_SCAN_LINES]


def _csv_rows(data: bytes) -> list[list[str]]:
    lines = _csv_lines(data)
    rows: list[list[str]] = []
    for delimiter in (",", ";", "\t"):
        rows.extend(list(csv.reader(lines, delimiter=delimiter)))
    return rows


def read_provenance(data: bytes, filename: str) -> Provenance | None:
    """The provenance rows of an upload, or None when it has none.

    ``filename``'s extension chooses the reader (.xlsx/.xlsm: every sheet's first
    :data:`MAX_SCAN_LINES` rows; otherwise CSV text, its first :data:`MAX_SCAN_BYTES` bytes
    read as UTF-16 when it starts with a byte-order mark, else as UTF-8 — the marker is ASCII,
    so a file re-saved in a one-byte code page is still read; delimiters , ; and tab).
    A file that cannot be read gives None: the importer reports the file's own problems.
    """
    is_excel = filename.lower().endswith((".xlsx", ".xlsm"))
    pairs = _pairs(_xlsx_rows(data) if is_excel else _csv_rows(data))
    return Provenance.from_pairs(pairs) if pairs else None


def _fold(text: str) -> str:
    """Words only: a CSV reader may have split the note at its commas and dropped them."""
    return " ".join(re.sub(r"[\W_]+", " ", unicodedata.normalize("NFC", text)).split()).casefold()


def illustrative_title(title_rows: tuple[str, ...]) -> bool:
    """Whether title rows carry the illustrative-data note (how exports said it before provenance rows)."""
    from ntm_geo.datasets.contract import ILLUSTRATIVE

    notes = (_fold(ILLUSTRATIVE.note_vi), _fold(ILLUSTRATIVE.note_en))
    return any(note in _fold(row) for row in title_rows for note in notes)


def has_illustrative_note(data: bytes, filename: str) -> bool:
    """Whether the first lines of an upload carry the illustrative-data note (an export made before
    provenance rows, or the map page's plain table CSV). Read as :func:`read_provenance` reads."""
    if filename.lower().endswith((".xlsx", ".xlsm")):
        lines = [" ".join(cells) for cells in _xlsx_rows(data)]
    else:
        lines = _csv_lines(data)
    return illustrative_title(tuple(lines))
