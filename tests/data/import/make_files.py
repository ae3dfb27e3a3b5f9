"""Builds the binary and legacy-encoded test inputs of the import suite (one small file per kind).

The plain UTF-8 CSV inputs are committed next to this script; the files below are built here
because they are binary (Excel, UTF-16, legacy code pages, impostor files). The tests call
:func:`build`; ``python tests/data/import/make_files.py [DIR]`` writes them all to DIR (default:
a ``generated/`` folder beside this script) for looking at them in Excel or a hex viewer.
"""

from __future__ import annotations

import io
import sys
import unicodedata
import zipfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
TONES = "\u0300\u0301\u0303\u0309\u0323"


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 as Windows writes it: precomposed where the code page has the letter,
    else base letter (â, ơ, ư...) followed by a combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out += (base + tones).encode("cp1258")
    return bytes(out)


def utf8_bom() -> bytes:
    return ('\ufeffMã xã,Tên xã,Năm,Tỷ lệ hộ nghèo (%)\r\n06628,Xã Đình Lập,2015,"11,9"\r\n').encode("utf-8")


def utf16_unicode_text() -> bytes:
    """Excel "Unicode text": UTF-16 LE with BOM, tab-separated, CRLF."""
    text = "Tên xã\tHuyện\tNăm\tTỷ lệ hộ nghèo (%)\r\nXã Hòa Bình\tVăn Quan\t2015\t11,9\r\n"
    return text.encode("utf-16")


def utf16_no_bom() -> bytes:
    return "Mã xã,Tên xã,Năm\r\n6628,Xã Đình Lập,2015\r\n".encode("utf-16-le")


def windows_1258() -> bytes:
    text = "Tên xã,Huyện,Năm\r\nXã Thụy Hùng,Văn Lãng,2015\r\nThị trấn Đồng Đăng,Cao Lộc,2015\r\n"
    return encode_cp1258(text)


def tcvn3() -> bytes:
    """ "Tên xã, Huyện, Năm / Xã Đình Lập, Đình Lập" typed with a TCVN3 (.VnTime) font."""
    return "Tªn x·,HuyÖn,N¨m\r\nX· §×nh LËp,§×nh LËp,2015\r\nX· B¾c X¹,§×nh LËp,2015\r\n".encode("cp1252")


def vni() -> bytes:
    """ "Tên xã, Huyện, Năm / Xã Đình Lập, Đình Lập" typed with a VNI Windows font."""
    return "Teân xaõ,Huyeän,Naêm\r\nXaõ Ñình Laäp,Ñình Laäp,2015\r\n".encode("cp1252")


def koi8r() -> bytes:
    """A table in a code page the importer does not guess (KOI8-R)."""
    return "Ma xa,Ten xa,Ghi chu\r\n06628,Dinh Lap,Москва и область\r\n".encode("koi8-r")


def _xlsx(build: Callable) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def merged_header_xlsx() -> bytes:
    """Title row, vertically merged headers, "Tiêu chí" merged over 1..19, district merged down
    the data rows, codes typed as numbers, TRUE/FALSE criteria, a %-formatted poverty cell."""

    def build(book):
        ws = book.active
        ws.title = "Biểu 01"
        ws["A1"] = "BIỂU TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI NĂM 2015"
        ws.merge_cells("A1:Z1")
        for col, text in (
            ("A", "STT"),
            ("B", "Mã xã"),
            ("C", "Huyện"),
            ("D", "Tên xã"),
            ("X", "Số tiêu chí đạt"),
            ("Y", "Tỷ lệ hộ nghèo"),
            ("Z", "Ghi chú"),
        ):
            ws[f"{col}3"] = text
            ws.merge_cells(f"{col}3:{col}4")
        ws["E3"] = "Tiêu chí"
        ws.merge_cells("E3:W3")
        for k in range(1, 20):
            ws.cell(4, 4 + k, k)
        rows = [
            (
                1,
                6628,
                "Xã Đình Lập",
                [True] * 12 + [False] * 7,
                12,
                0.119,
                '=HYPERLINK("http://evil.example")',
            ),
            (2, 6619, "Xã Bắc Xa", [1, 0] * 9 + [1], 10, 25.5, None),
            (3, 6613, "Thị trấn Đình Lập", [None] * 19, None, 3.2, None),
            (4, None, "Xã Thái Bình", [0] * 19, 0, None, None),
        ]
        for i, (n, code, name, crit, met, pov, note) in enumerate(rows):
            r = 5 + i
            ws.cell(r, 1, n)
            ws.cell(r, 2, code)
            ws.cell(r, 4, name)
            for k, v in enumerate(crit):
                ws.cell(r, 5 + k, v)
            ws.cell(r, 24, met)
            cell = ws.cell(r, 25, pov)
            if pov is not None and pov < 1:
                cell.number_format = "0.0%"
            if note is not None:
                c = ws.cell(r, 26, note)
                c.data_type = "s"  # text, not a formula
        ws["C5"] = "Đình Lập"
        ws.merge_cells("C5:C8")

    return _xlsx(build)


def two_sheets_xlsx() -> bytes:
    """An instructions sheet first; the data on the second sheet."""

    def build(book):
        notes = book.active
        notes.title = "Hướng dẫn"
        notes["A1"] = "Điền số liệu vào trang Số liệu."
        data = book.create_sheet("Số liệu")
        data.append(["Mã xã", "Năm", "Tỷ lệ hộ nghèo (%)"])
        data.append(["06628", 2015, 11.9])

    return _xlsx(build)


def fake_excel() -> bytes:
    """Text saved under an .xlsx name."""
    return "Mã xã,Năm\n06628,2015\n".encode()


def fake_csv() -> bytes:
    """A workbook saved under a .csv name."""
    return two_sheets_xlsx()


def old_excel() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def zip_not_excel() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("communes.shp", b"\x00\x00\x27\x0a")
    return buf.getvalue()


def picture() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


#: File name -> builder.
FILES: dict[str, Callable[[], bytes]] = {
    "utf8_bom.csv": utf8_bom,
    "utf16_unicode_text.txt": utf16_unicode_text,
    "utf16_no_bom.csv": utf16_no_bom,
    "windows_1258.csv": windows_1258,
    "tcvn3.csv": tcvn3,
    "vni.csv": vni,
    "koi8r.csv": koi8r,
    "merged_header.xlsx": merged_header_xlsx,
    "two_sheets.xlsx": two_sheets_xlsx,
    "fake_excel.xlsx": fake_excel,
    "fake_csv.csv": fake_csv,
    "old_excel.xls": old_excel,
    "zip_not_excel.xlsx": zip_not_excel,
    "picture.csv": picture,
    "picture.xlsx": picture,
    "scan.xlsx": lambda: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)),
    "unknown_binary.csv": lambda: bytes(range(256)) * 4,
    "web_page.xlsx": lambda: b"<!DOCTYPE html><html><body><table><tr><td>X</td></tr></table></body></html>",
    "empty.csv": lambda: b"",
}


def build(name: str) -> bytes:
    """Bytes of one generated file (or of a committed one: ``title_rows.csv``…)."""
    if name in FILES:
        return FILES[name]()
    return (HERE / name).read_bytes()


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (out / name).write_bytes(make())
        print(out / name)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "generated")
