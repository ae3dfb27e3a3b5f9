"""What an uploaded file is, proven from its content (never from its name).

:func:`check_kind` refuses a file larger than :data:`~ntm_geo.datasets.importing.limits.MAX_FILE_BYTES`,
an empty one, an old .xls, an unsupported extension, and a file whose content is not what its
extension says (the message names what the content is: PDF, image, Word document, ZIP…).
"""

from __future__ import annotations

import codecs
import io
import zipfile
from pathlib import PurePath

from ntm_geo.datasets.importing.limits import MAX_FILE_BYTES, file_error

TEXT_EXTENSIONS = (".csv", ".txt", ".tsv")
EXCEL_EXTENSIONS = (".xlsx", ".xlsm")


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


def check_kind(data: bytes, filename: str) -> str:
    """The file's kind ("xlsx" or "text") when its content is what its extension says.

    Raises DataError (naming what the content is) for a file over the size limit, an empty file,
    .xls, an unsupported extension, or content of another kind."""
    ext = PurePath(filename).suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise file_error(
            filename,
            f"the file is {len(data) / 2**20:.1f} MB; a commune table is at most "
            f"{MAX_FILE_BYTES // 2**20} MB. The file is refused.",
            f"tệp có dung lượng {len(data) / 2**20:.1f} MB; bảng số liệu xã tối đa "
            f"{MAX_FILE_BYTES // 2**20} MB. Tệp bị từ chối.".replace(".", ",", 1),
        )
    kind = _file_kind(data)
    if not data.strip():
        raise file_error(filename, "the file is empty.", "tệp rỗng.")
    if ext == ".xls" or (kind == "xls" and ext in EXCEL_EXTENSIONS):
        raise file_error(
            filename,
            "old Excel 97-2003 format (.xls) is not read; open it in Excel and save as "
            "'Excel Workbook (.xlsx)'.",
            "không đọc định dạng Excel 97-2003 (.xls); hãy mở bằng Excel và "
            "lưu thành 'Excel Workbook (.xlsx)'.",
        )
    if ext not in TEXT_EXTENSIONS + EXCEL_EXTENSIONS:
        raise file_error(
            filename,
            f"unsupported file type «{ext or '(none)'}»; upload a .csv or .xlsx file.",
            f"không hỗ trợ loại tệp «{ext or '(không có)'}»; hãy tải lên tệp .csv hoặc .xlsx.",
        )
    expected = "xlsx" if ext in EXCEL_EXTENSIONS else "text"
    if kind != expected:
        en, vi = _KIND_LABEL[kind]
        raise file_error(
            filename,
            f"the name ends in {ext} but the content is {en}; the file is refused. Save it "
            "again in the format its name says.",
            f"tên tệp có đuôi {ext} nhưng nội dung là {vi}; tệp bị "
            "từ chối. Hãy lưu lại đúng định dạng theo đuôi tệp.",
        )
    return kind
