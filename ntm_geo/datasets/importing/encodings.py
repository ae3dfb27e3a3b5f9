"""Text encodings of CSV uploads and repair of garbled Vietnamese text.

:func:`decode_text` decodes CSV bytes (UTF-8 with or without BOM, UTF-16 with or without BOM,
Windows-1258 validated on Vietnamese letters, Windows-1252, TCVN3 "ABC" font text; anything else
must be named). :func:`repair_grid` repairs double-encoded UTF-8 cells (:func:`repair_mojibake`,
ftfy plus the Windows-1258 reading ftfy does not know); :func:`convert_tcvn3_cells` converts
cells typed in a TCVN3 font inside a Unicode file. VNI font text cannot be converted: the error
gives the Unikey steps.
"""

from __future__ import annotations

import codecs
import csv
import functools
import re
import unicodedata

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import load_criteria
from ntm_geo.datasets.importing.headers import HEADER_ALIASES
from ntm_geo.datasets.importing.limits import ImportBudget, column_letter, file_error
from ntm_geo.geo.units import official_units

_VIET_BASE = set("abcdefghijklmnopqrstuvwxyzđ")
_VIET_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_OK_SYMBOLS = set("“”‘’–—…°•·€±×÷§²³½¼¾µ«»\u00a0\ufeff\u2026\u2212✓✔✗✘☑☐")
# Bytes of TCVN3 (ABC, ".VnTime" fonts) and VNI font-encoded text, as Windows code pages show them.
_FONT_GARBAGE = set("¸¹µ¶·¨¬®©ª«¤¥¦§¡¢£¾½¼»ºÞß¿")
#: VNI Windows text read as Windows-1252: a vowel followed by a tone/shape byte ("Huyeän",
#: "Xaõ", "Ñình Laäp") -- letters each on its own, so only the pairs give it away.
_VNI_PAIR = re.compile("[aeiouyAEIOUY][øùûõïâàáåãäèéúüëöôÂÀÁÅÃÄÈÉÚÜËÖÔ]|[Ññ][a-zì]")


def _is_font_text(cell: str) -> bool:
    return any(ch in _FONT_GARBAGE for ch in cell) or bool(_VNI_PAIR.search(cell))


def _is_viet_letter(ch: str) -> bool:
    decomposed = unicodedata.normalize("NFD", ch.lower())
    return decomposed[0] in _VIET_BASE and all(m in _VIET_MARKS for m in decomposed[1:])


@functools.lru_cache(maxsize=8192)
def _odd_char(ch: str) -> bool:
    """A character a correctly decoded Vietnamese/English table would not contain."""
    if ch in "\t\r\n" or (" " <= ch <= "~"):
        return False
    return bool(
        unicodedata.combining(ch)
        or unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Cs")
        or not (_is_viet_letter(ch) or ch in _OK_SYMBOLS)
    )


def _suspicious(text: str) -> int:
    """How many characters a correctly decoded Vietnamese/English table would not contain
    (each distinct character classified once)."""
    if text.isascii():
        return 0
    nfc = unicodedata.normalize("NFC", text)
    return sum(nfc.count(ch) for ch in set(nfc) if _odd_char(ch))


#: TCVN3 (TCVN 5712:1993 "ABC", the .VnTime fonts): byte -> letter. One byte per lower-case letter
#: with its tone, plus the seven capitals without tone (toned capitals are the same bytes shown in
#: an upper-case font, .VnTimeH). Checked letter by letter on the 226 unit names and the header
#: aliases in tests/test_import_text.py.
TCVN3: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ",
    0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ",
    0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ",
    0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ",
    0xD7: "ì", 0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị",
    0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó", 0xE4: "ọ",
    0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ",
    0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ",
}  # fmt: skip


def tcvn3_to_unicode(text: str) -> str | None:
    """Text typed in a TCVN3 font (its bytes read as Latin-1/Windows-1252) -> Unicode (NFC), or
    None when a character is not part of TCVN3.

    >>> tcvn3_to_unicode("X· §×nh LËp"), tcvn3_to_unicode("HuyÖn B¾c S¬n")
    ('Xã Đình Lập', 'Huyện Bắc Sơn')
    """
    out = []
    for ch in text:
        code = ord(ch)
        if code < 0x80:
            out.append(ch)
        elif code in TCVN3:
            out.append(TCVN3[code])
        else:
            return None
    return unicodedata.normalize("NFC", "".join(out))


@functools.lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    """Words with diacritics of the unit names, district names, header aliases and criteria."""
    texts = [a for aliases in HEADER_ALIASES.values() for a in aliases]
    units = official_units()
    texts += list(units["name_with_type"]) + list(units["district_name"])
    texts += [c.name_vi for c in load_criteria()]
    words = {w for t in texts for w in re.findall(r"\w+", unicodedata.normalize("NFC", t).lower())}
    return frozenset(w for w in words if not w.isascii())


def _known_share(text: str) -> float:
    """Share of the distinct non-ASCII words of ``text`` that are in :func:`_vocabulary`."""
    words = {w for w in re.findall(r"\w+", text.lower()) if not w.isascii()}
    if not words:
        return 0.0
    vocab = _vocabulary()
    return sum(w in vocab for w in words) / len(words)


def _sloppy_encode(text: str, codec: str) -> bytes:
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode(codec)
        except UnicodeEncodeError:
            if ord(ch) > 0xFF:
                raise
            out.append(ord(ch))  # a byte the code page leaves undefined, kept as U+0080..U+00FF
    return bytes(out)


def repair_mojibake(text: str) -> str | None:
    """UTF-8 text that was read as Windows-1252/Latin-1 or Windows-1258 and saved again
    (``BÃ¬nh Gia``, ``XĂ£``) -> the original, or None when no unambiguous repair exists.

    ftfy (``fix_encoding``) first; then the Windows-1258 reading, which ftfy does not know. A
    repair counts only when the result holds no character a Vietnamese/English table would not
    contain. Measured on the 237 unit and district names double-encoded each way
    (``bench/mojibake_vietnamese.py``).

    >>> repair_mojibake("BÃ¬nh Gia"), repair_mojibake("Bình Gia")
    ('Bình Gia', None)
    """
    import ftfy

    if _suspicious(text) == 0:
        return None
    # A whole-text reversal that yields valid UTF-8 first (random text almost never does), then
    # ftfy, which also mends mixed or partly garbled text.
    for codec in ("cp1252", "cp1258"):
        try:
            fixed = unicodedata.normalize("NFC", _sloppy_encode(text, codec).decode("utf-8"))
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != text and _suspicious(fixed) == 0:
            return fixed
    fixed = unicodedata.normalize("NFC", ftfy.fix_encoding(text))
    return fixed if fixed != text and _suspicious(fixed) == 0 else None


def _looks_mojibake(text: str) -> bool:
    from ftfy.badness import is_bad

    return is_bad(text) or bool(re.search("[ÃÄÆáĂ][\u0080-\u00bf\u2018-\u203a¬]", text))


def convert_tcvn3_cells(
    grid: list[tuple[int, list[str]]], filename: str, sheet: str | None
) -> list[tuple[int, int, str, str]]:
    """Convert cells typed in a TCVN3 font inside a Unicode file (an .xlsx, or a CSV saved as
    UTF-8 from such a sheet): [(row, column index, before, after)].

    A cell is a candidate when it holds TCVN3 letters and characters a Vietnamese table would not
    contain; the candidates are converted together only when most Vietnamese words they yield are
    known ones (unit names, headers), so VNI text is never "converted" into other letters. Three or
    more candidates that do not convert are refused with the Unikey steps.
    """
    candidates = [
        (number, i, cell)
        for number, cells in grid
        for i, cell in enumerate(cells)
        if not cell.isascii()
        and max(cell) <= "\u00ff"  # a font-typed cell holds single-byte characters only
        and any(ch in _FONT_GARBAGE for ch in cell)
        and _suspicious(cell)
    ]
    vni = [
        (number, i, cell)
        for number, cells in grid
        for i, cell in enumerate(cells)
        if not cell.isascii() and _VNI_PAIR.search(cell) and _suspicious(cell)
    ]
    converted: list[tuple[int, int, str, str]] = []
    for number, i, cell in candidates:
        after = tcvn3_to_unicode(cell)
        if after is None or _suspicious(after):
            converted = []
            break
        converted.append((number, i, cell, after))
    if converted and _known_share(" ".join(after for *_, after in converted)) >= 0.5:
        rows = dict(grid)
        for number, i, _, after in converted:
            rows[number][i] = after
        return converted
    bad = candidates if len(candidates) >= 3 else vni if len(vni) >= 3 else []
    if bad:
        number, i, cell = bad[0]
        raise file_error(filename, *_font_advice(cell[:40]), sheet=sheet, row=number, column=column_letter(i))
    return []


def repair_grid(
    grid: list[tuple[int, list[str]]], filename: str, sheet: str | None, budget: ImportBudget
) -> list[tuple[int, int, str, str]]:
    """Repair double-encoded UTF-8 cells in place; [(row, column index, before, after)].

    Raises DataError naming the first cell that looks double-encoded but has no unambiguous repair.
    """
    repairs = []
    for number, cells in grid:
        if number % 128 == 0:
            budget.check(number, sheet)
        for i, cell in enumerate(cells):
            if cell.isascii():
                continue
            fixed = repair_mojibake(cell)
            if fixed is not None:
                repairs.append((number, i, cell, fixed))
                cells[i] = fixed
            elif _suspicious(cell) and _looks_mojibake(cell):
                raise file_error(
                    filename,
                    f"the text «{cell[:40]}» looks like Vietnamese saved with the wrong encoding (UTF-8 "
                    "read as another code page and saved again), and it cannot be repaired "
                    "unambiguously. Open the original file and save it as 'CSV UTF-8' (or .xlsx).",
                    f"văn bản «{cell[:40]}» có vẻ là tiếng Việt bị lưu sai bảng mã (UTF-8 bị đọc theo bảng "
                    "mã khác rồi lưu lại) và không sửa lại chắc chắn được. Hãy mở tệp gốc và lưu dạng "
                    "'CSV UTF-8' (hoặc .xlsx).",
                    sheet=sheet,
                    row=number,
                    column=column_letter(i),
                )
    return repairs


def decode_text(data: bytes, filename: str, encoding: str | None) -> tuple[str, str]:
    """CSV bytes -> (text, encoding used): ``encoding`` when given (any Python codec, or "tcvn3"),
    else detected (BOMs, UTF-16 without BOM, UTF-8, Windows-1258/1252 checked on Vietnamese
    letters, TCVN3 when most words it yields are known). Raises DataError naming the file when
    no reading is sure (VNI/TCVN3 font text: with the Unikey steps)."""
    if encoding and encoding.lower().replace("-", "").replace(" ", "") in ("tcvn3", "abc", "vntime"):
        converted = tcvn3_to_unicode(data.decode("latin-1"))
        if converted is None:
            raise file_error(
                filename,
                "the file cannot be read as TCVN3 (ABC): it holds bytes TCVN3 does not use.",
                "không đọc được tệp theo bảng mã TCVN3 (ABC): tệp có byte TCVN3 không dùng.",
            )
        return converted, "tcvn3"
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise file_error(
                filename,
                f"unknown encoding «{encoding}»; e.g. utf-8, utf-16, cp1258, cp1252.",
                f"không có bảng mã «{encoding}»; ví dụ: utf-8, utf-16, cp1258, cp1252.",
            ) from None
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as err:
            raise file_error(
                filename,
                f"the file cannot be read as {encoding} (byte {err.start}); choose another encoding.",
                f"không đọc được tệp theo bảng mã {encoding} (byte {err.start}); hãy chọn bảng mã khác.",
            ) from None
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[3:].decode("utf-8")
        except UnicodeDecodeError:  # a few damaged bytes after the BOM: name the cells
            _refuse_damaged_utf8(data, filename)
        return _strict(data[3:], "utf-8", filename), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", filename), "utf-16"
    head = data[:4000]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if len(head) >= 4 and max(even, odd) * 2 >= len(head) // 2 and min(even, odd) * 10 <= len(head) // 2:
        name = "utf-16-le" if odd > even else "utf-16-be"  # ASCII letters of UTF-16 without a BOM
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            text = "\x00"
        _refuse_binary(text, filename)
        return text, name
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        _refuse_damaged_utf8(data, filename)  # mostly UTF-8: name the damaged cells, no font advice
    else:
        _refuse_binary(text, filename)
        return text, "utf-8"
    for name in ("cp1258", "cp1252"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        _refuse_binary(text, filename)
        if _suspicious(text) == 0:
            return unicodedata.normalize("NFC", text), name
    text = data.decode("cp1252", errors="replace")
    if sum(ch in _FONT_GARBAGE for ch in text) >= 3:
        converted = tcvn3_to_unicode(data.decode("latin-1"))
        # Accepted only when most Vietnamese words it yields are known ones (unit names, headers):
        # VNI text read as TCVN3 also gives Vietnamese letters, but not words.
        if converted is not None and _suspicious(converted) == 0 and _known_share(converted) >= 0.5:
            _refuse_binary(converted, filename)
            return converted, "tcvn3"
        row, column, value = _first_font_garbage(text)
        raise file_error(filename, *_font_advice(value), row=row, column=column)
    if len(_VNI_PAIR.findall(text)) >= 3:
        row, column, value = _first_font_garbage(text)
        raise file_error(filename, *_font_advice(value), row=row, column=column)
    raise file_error(
        filename,
        "cannot tell the text encoding (not UTF-8, and not valid Vietnamese in Windows-1258). "
        "Save the file as 'CSV UTF-8' in Excel, or give its encoding to the command line "
        "(python -m ntm_geo import-table FILE --encoding utf-16|cp1258|cp1252).",
        "không xác định được bảng mã của tệp (không phải UTF-8, cũng không phải tiếng Việt Windows-1258 hợp "
        "lệ). Hãy lưu tệp dạng 'CSV UTF-8' trong Excel, hoặc nêu bảng mã khi nhập bằng dòng lệnh "
        "(python -m ntm_geo import-table TỆP --encoding utf-16|cp1258|cp1252).",
    )


#: At most this many damaged cells are named in the message of :func:`_refuse_damaged_utf8`.
MAX_DAMAGED_LISTED = 10


def damaged_utf8(data: bytes) -> tuple[int, list[tuple[int, int, str | None, str, int]]] | None:
    """Whether ``data`` is UTF-8 text with a few damaged bytes (a broken copy/paste, a truncated
    transfer) rather than text of another encoding, and where the damage is.

    The bytes are decoded as UTF-8 with every invalid byte kept apart; the file counts as damaged
    UTF-8 when it holds at least 3 valid multi-byte UTF-8 characters (Vietnamese letters) and at
    least 4 times as many of them as invalid bytes. Text of Windows-1258, Windows-1252, TCVN3 or
    VNI fonts almost never forms valid multi-byte sequences (their letter bytes are not followed by
    continuation bytes), so it is not taken for UTF-8. Trial 6, finding 5.

    Returns
    -------
    (invalid byte count, cells) or None
        ``cells``: (file line, 1-based; column index, 0-based; header of the column or None on the
        header line; cell text with each damaged byte shown as U+FFFD; byte offset of the cell's
        first damaged byte in the file), one per damaged cell, in file order; None when ``data``
        is valid UTF-8 or not mostly UTF-8.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    bad = sum(1 for ch in text if "\udc80" <= ch <= "\udcff")
    good = sum(1 for ch in text if ch > "\x7f" and not "\ud800" <= ch <= "\udfff")
    if bad == 0 or good < 3 or good < 4 * bad:
        return None
    lines = text.split("\n")
    dialect = csv.excel_tab if lines and lines[0].count("\t") > lines[0].count(",") else csv.excel
    header = next(csv.reader([lines[0].rstrip("\r")], dialect), []) if lines else []
    cells: list[tuple[int, int, str | None, str, int]] = []
    offset = 0
    for number, line in enumerate(lines, start=1):
        size = len(line.encode("utf-8", errors="surrogateescape")) + 1
        if any("\udc80" <= ch <= "\udcff" for ch in line):
            row = next(csv.reader([line.rstrip("\r")], dialect), [line])
            for i, cell in enumerate(row):
                k = next((j for j, ch in enumerate(cell) if "\udc80" <= ch <= "\udcff"), None)
                if k is None:
                    continue
                in_line = line.find(cell) if cell else -1
                before = line[: in_line + k] if in_line >= 0 else line
                head = (
                    (header[i].strip().lstrip("\ufeff") or None) if number > 1 and i < len(header) else None
                )
                shown = (
                    "".join("\ufffd" if "\udc80" <= ch <= "\udcff" else ch for ch in cell)
                    .strip()
                    .lstrip("\ufeff")
                )
                cells.append(
                    (number, i, head, shown, offset + len(before.encode("utf-8", "surrogateescape")))
                )
        offset += size
    return bad, cells


def _refuse_damaged_utf8(data: bytes, filename: str) -> None:
    """Raise the error of :func:`damaged_utf8` (each damaged cell named by row and column, the
    advice to fix those cells) when ``data`` is mostly valid UTF-8; return otherwise."""
    found = damaged_utf8(data)
    if found is None:
        return
    bad, cells = found
    listed = cells[:MAX_DAMAGED_LISTED]
    more = len(cells) - len(listed)

    def where(lang: str) -> str:
        parts = []
        for number, i, head, shown, offset in listed:
            col = column_letter(i) + (f" «{head}»" if head else "")
            parts.append(
                Bilingual(
                    f"dòng {number}, cột {col}: «{shown[:40]}» (byte thứ {offset})",
                    f"row {number}, column {col}: «{shown[:40]}» (byte offset {offset})",
                ).pick(lang)
            )
        tail = Bilingual(f"; … (+{more} ô)", f"; … (+{more} cells)").pick(lang) if more else ""
        return "; ".join(parts) + tail

    first = cells[0] if cells else None
    raise file_error(
        filename,
        f"the file is UTF-8 text, but {bad} byte(s) in it are damaged (not valid UTF-8; shown as �): "
        f"{where('en')}. The rest of the file is valid UTF-8, so this is not a VNI/TCVN3 font file and "
        "no font conversion is needed. Retype the damaged letters in those cells of the original and "
        "save it again as 'CSV UTF-8' (or upload the original .xlsx).",
        f"tệp là văn bản UTF-8 nhưng có {bad} byte bị hỏng (không phải UTF-8 hợp lệ; hiện là �): "
        f"{where('vi')}. Phần còn lại của tệp là UTF-8 hợp lệ, nên đây không phải tệp gõ bằng phông "
        "VNI/TCVN3 và không cần chuyển mã phông. Hãy gõ lại các chữ bị hỏng trong những ô đó ở tệp gốc "
        "rồi lưu lại dạng 'CSV UTF-8' (hoặc tải lên tệp .xlsx gốc).",
        row=first[0] if first else None,
        column=column_letter(first[1]) if first else None,
    )


def _font_advice(value: str) -> tuple[str, str]:
    """(en, vi) advice for text typed in a VNI (or unconvertible TCVN3) font: steps that work."""
    return (
        f"the text looks typed with a VNI or TCVN3 (ABC, .VnTime) font, not Unicode (e.g. «{value}»), "
        "and could not be converted automatically (TCVN3 is; VNI is not). Convert it with Unikey: copy "
        "the table's cells, open Unikey > 'Công cụ chuyển mã' (Ctrl+Shift+F6), source 'VNI Windows' "
        "(or 'TCVN3 (ABC)'), target 'Unicode', press 'Chuyển mã clipboard', paste the cells back and "
        "save as 'CSV UTF-8' or .xlsx. (No --encoding makes such a file readable: it is not a code page.)",
        f"văn bản có vẻ gõ bằng phông VNI hoặc TCVN3 (ABC, .VnTime), không phải Unicode (ví dụ "
        f"«{value}»), và không tự chuyển được (tự chuyển được TCVN3, không chuyển được VNI). Hãy chuyển "
        "bằng Unikey: chép các ô của bảng, mở Unikey > 'Công cụ chuyển mã' (Ctrl+Shift+F6), bảng mã "
        "nguồn 'VNI Windows' (hoặc 'TCVN3 (ABC)'), bảng mã đích 'Unicode', bấm 'Chuyển mã clipboard', "
        "dán lại các ô rồi lưu dạng 'CSV UTF-8' hoặc .xlsx. (Không có --encoding nào đọc được tệp "
        "như vậy: đây không phải một bảng mã.)",
    )


def _first_font_garbage(text: str) -> tuple[int | None, str | None, str]:
    """(file row, header text of its column, cell text) of the first cell typed in a font encoding,
    for the error message; the header is the first row (title rows make it approximate)."""
    lines = text.splitlines()
    dialect = csv.excel_tab if lines and lines[0].count("\t") > lines[0].count(",") else csv.excel
    header = next(csv.reader(lines[:1], dialect), [])
    for number, line in enumerate(lines, start=1):
        if _is_font_text(line):
            cells = next(csv.reader([line], dialect), [line])
            for i, cell in enumerate(cells):
                if _is_font_text(cell):
                    return (
                        number,
                        (header[i].strip() or None) if i < len(header) and number > 1 else None,
                        cell.strip(),
                    )
    return None, None, ""


def _has_binary(text: str) -> bool:
    """C0 control characters (NUL…) other than tab and line ends; the C1 ones (U+0080-U+009F)
    are left to :func:`repair_mojibake` (UTF-8 read as Latin-1 and saved again holds them)."""
    return any((ch < " " and ch not in "\t\r\n\f") or ch == "\x7f" for ch in text[:20000])


def _refuse_binary(text: str, filename: str) -> None:
    if _has_binary(text):
        raise file_error(
            filename,
            "the file contains binary data, not a text table; upload a .csv or .xlsx table.",
            "tệp chứa dữ liệu nhị phân, không phải bảng văn bản; hãy tải lên bảng .csv hoặc .xlsx.",
        )


def _strict(data: bytes, name: str, filename: str) -> str:
    try:
        text = data.decode(name)
    except UnicodeDecodeError as err:
        raise file_error(
            filename,
            f"the file starts like {name} text but byte {err.start} is invalid; save it again "
            "as 'CSV UTF-8'.",
            f"tệp có dạng văn bản {name} nhưng byte {err.start} không hợp lệ; hãy lưu lại dạng 'CSV UTF-8'.",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    _refuse_binary(text, filename)
    return text
