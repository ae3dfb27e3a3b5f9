"""Hostile table uploads of issue 10 (item 2 and 5) and issue 14, built in memory, never committed.

Each builder returns the bytes of one file; :data:`HOSTILE` maps a file name to its builder.
``python bench/hostile_files.py DIR`` writes them all to DIR (for a look, or for the command line:
``python -m ntm_geo import-table DIR/rows_1000001.xlsx --dry-run``).

- ``rows_1000001.xlsx``: a header and 1,000,000 short data rows (one shared string each, no row numbers), ~0.2 MB
  zipped, ~50 MB of sheet XML: the workbook that cost ~8 GB and ~1 CPU-hour.
- ``rows_1000001_numbered.xlsx``: the same with row and cell numbers, ~5 MB (ratio ~11: it passes
  the zip checks and meets the row cap).
- ``ghost_200000.xlsx`` / ``ghost_1048576.xlsx``: a 3-row table plus one formatted *empty* cell
  at row 200,000 / 1,048,576 (the last row Excel has), a few KB: ``max_row`` says 1,048,576.
- ``wide_16384.xlsx``: a 3-row table plus one formatted empty cell in column XFD (16,384).
- ``big_cell.csv``: a CSV with a 200,000-character cell (``_csv.Error: field larger than field
  limit (131072)``).
- ``rows_1000001.csv``: the same million rows as a 19 MB CSV; ``unmatched_1999.csv``: 1,999 rows
  (under the row cap), every name unknown; ``baseline.csv``: a correct one-row table (the cost of
  starting Python and importing the app's modules).
- ``worst_utf8.csv`` / ``worst_cp1258.csv``: just under every cap, ~2 MB: 1,990 unknown communes
  of a real district, each with a 1,000-character Vietnamese note (UTF-8 / Windows-1258).
- ``bomb.xlsx``: a zip bomb, ~0.5 MB holding a 500 MB sheet whose last row is 2,000,000
  (``ValueError: Row numbers must be between 1 and 1048576`` after reading it all).
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'styles" Target="styles.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="0" fillId="1" borderId="0" xfId="0" applyFill="1"/></cellXfs>'
    "</styleSheet>"
)
#: Shared strings: 0-2 the header, 3 a commune name no unit has (so every row is unmatched and,
#: before the fix, got fuzzy name suggestions), 4 a real name.
_STRINGS = ("Tên xã", "Huyện", "Năm", "Xã Không Có", "Xã Đình Lập", "Đình Lập")
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _shared_strings() -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in _STRINGS)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(_STRINGS)}" uniqueCount="{len(_STRINGS)}">{items}</sst>'
    )


def _header_rows() -> str:
    return (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c><c r="C2"><v>2015</v></c></row>'
    )


def _workbook(sheet_parts: Iterator[str], dimension: str) -> bytes:
    import io

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        z.writestr("xl/styles.xml", _STYLES)
        z.writestr("xl/sharedStrings.xml", _shared_strings())
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write((_SHEET_HEAD + f'<dimension ref="{dimension}"/><sheetData>').encode())
            chunk: list[str] = []
            for part in sheet_parts:
                chunk.append(part)
                if len(chunk) >= 10000:
                    f.write("".join(chunk).encode())
                    chunk.clear()
            f.write("".join(chunk).encode())
            f.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def rows_1000001() -> bytes:
    """Header + 1,000,000 data rows (1,000,001 rows), every row an unknown commune name."""

    def parts() -> Iterator[str]:
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        for _ in range(1_000_000):
            yield '<row><c t="s"><v>3</v></c></row>'  # row and cell numbers are optional

    return _workbook(parts(), "A1:C1000001")


def rows_1000001_numbered() -> bytes:
    """The same million rows with their row and cell numbers: ~5 MB, a compression ratio of ~11 that
    passes the zip checks, so the row cap is what stops it."""

    def parts() -> Iterator[str]:
        yield '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c></row>'
        for r in range(2, 1_000_002):
            yield f'<row r="{r}"><c r="A{r}" t="s"><v>3</v></c></row>'

    return _workbook(parts(), "A1:C1000001")


def _ghost(row: int, column: str = "A") -> bytes:
    def parts() -> Iterator[str]:
        yield _header_rows()
        yield f'<row r="{row}"><c r="{column}{row}" s="1"/></row>'

    return _workbook(parts(), f"A1:{column if column > 'C' else 'C'}{row}")


def ghost_200000() -> bytes:
    return _ghost(200_000)


def ghost_1048576() -> bytes:
    return _ghost(1_048_576)


def wide_16384() -> bytes:
    return _ghost(3, "XFD")


def bomb() -> bytes:
    """~500 MB of sheet XML (rows of 100 empty formatted cells), then a row numbered 2,000,000."""
    cells = '<c s="1"/>' * 100

    def parts() -> Iterator[str]:
        yield _header_rows()
        block = f"<row>{cells}</row>"
        for _ in range(500_000_000 // len(block)):
            yield block
        yield '<row r="2000000"><c r="A2000000" t="s"><v>3</v></c></row>'

    return _workbook(parts(), "A1:C3")


def big_cell() -> bytes:
    return ("Tên xã,Huyện,Năm,Ghi chú\r\nXã Đình Lập,Đình Lập,2015," + "x" * 200_000 + "\r\n").encode()


def rows_1000001_csv() -> bytes:
    return ("Tên xã,Huyện,Năm\r\n" + "Xã Không Có,,2015\r\n" * 1_000_000).encode()


def unmatched_1999() -> bytes:
    """Under the row cap, every row an unknown name (the per-row suggestions were ~3.6 ms each)."""
    rows = "".join(f"Xã Không Có {i},Không Có,2015\r\n" for i in range(1999))
    return ("Tên xã,Huyện,Năm\r\n" + rows).encode()


def _worst_text() -> str:
    """Just under every cap: 1,990 rows, each an unknown commune of a real district and a
    1,000-character Vietnamese note (~2 MB)."""
    note = "Thị trấn Đồng Đăng Cao Lộc Việt Nam ghi chú dài " * 20
    rows = "".join(f"Xã Không Có {i},Cao Lộc,2015,{note}\r\n" for i in range(1990))
    return "Tên xã,Huyện,Năm,Ghi chú\r\n" + rows


def worst_utf8() -> bytes:
    return _worst_text().encode()


def worst_cp1258() -> bytes:
    """The same in Windows-1258, precomposed letters where the code page has them, else a base
    letter and a combining tone mark (as Windows writes it); decoding it validates every letter."""
    import unicodedata

    out = bytearray()
    for ch in _worst_text():
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            nfd = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize(
                "NFC", "".join(c for c in nfd if c not in "\u0300\u0301\u0303\u0309\u0323")
            )
            out += (base + "".join(c for c in nfd if c in "\u0300\u0301\u0303\u0309\u0323")).encode("cp1258")
    return bytes(out)


def baseline() -> bytes:
    """A correct one-row table: the cost of starting Python and importing the app's modules."""
    return "Mã xã,Tên xã,Năm\r\n06628,Xã Đình Lập,2015\r\n".encode()


HOSTILE: dict[str, Callable[[], bytes]] = {
    "baseline.csv": baseline,
    "rows_1000001.xlsx": rows_1000001,
    "rows_1000001_numbered.xlsx": rows_1000001_numbered,
    "ghost_200000.xlsx": ghost_200000,
    "ghost_1048576.xlsx": ghost_1048576,
    "wide_16384.xlsx": wide_16384,
    "big_cell.csv": big_cell,
    "bomb.xlsx": bomb,
    "rows_1000001.csv": rows_1000001_csv,
    "unmatched_1999.csv": unmatched_1999,
    "worst_utf8.csv": worst_utf8,
    "worst_cp1258.csv": worst_cp1258,
}


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "artifacts/hostile")
    out.mkdir(parents=True, exist_ok=True)
    for name, build in HOSTILE.items():
        data = build()
        (out / name).write_bytes(data)
        print(f"{name}: {len(data):,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
