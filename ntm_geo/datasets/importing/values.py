"""Cell values as offices write them: criterion / yes-no flags and numbers.

:func:`parse_flag` (1/0, x, ✓, Đạt/Chưa đạt, TRUE/FALSE, Có/Không; blank = no data, never 0) and
:func:`parse_number` (``11,9``, ``1.474.000``, ``12,5%``, ``1E+26``). Pure text in, value out.
"""

from __future__ import annotations

import math
import re
import unicodedata

_TRUE = {"1", "x", "✓", "✔", "☑", "v", "đạt", "dat", "true", "có", "co", "yes", "y", "met", "đ"}
_FALSE = {
    "0",
    "chưa đạt",
    "chua dat",
    "không đạt",
    "khong dat",
    "false",
    "không",
    "khong",
    "no",
    "n",
    "✗",
    "✘",
    "☐",
    "not met",
    "chưa",
}
BLANK = {
    "",
    "-",
    "–",
    "—",
    "...",
    "…",
    "n/a",
    "na",
    "không đánh giá",
    "khong danh gia",
    "kđg",
    "not assessed",
}
TOTAL_WORDS = ("tổng cộng", "tổng số", "toàn tỉnh", "cộng", "tổng", "total", "grand total")


def clean_cell(text: str) -> str:
    """NFC, whitespace collapsed, stripped, lower case: a cell as the word lists compare it."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text))).strip().lower()


def is_blank(text: str) -> bool:
    """Is the cell blank — no data (empty, "-", "n/a", "không đánh giá" …, :data:`BLANK`)?"""
    return clean_cell(text) in BLANK


def parse_flag(text: str) -> bool | None:
    """Criterion / yes-no cell -> True, False or None (blank, no data).

    >>> [parse_flag(v) for v in ("1", "x", "✓", "Đạt", "TRUE", "Có", "0", "Chưa đạt", "FALSE", "Không", "", "-")]
    [True, True, True, True, True, True, False, False, False, False, None, None]

    Raises
    ------
    ValueError
        For anything else (the caller reports the cell).
    """
    t = clean_cell(text)
    if t in BLANK:
        return None
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    try:
        number = float(t.replace(",", "."))
    except ValueError:
        raise ValueError(text) from None
    if number in (0.0, 1.0):
        return number == 1.0
    raise ValueError(text)


def parse_number(text: str, *, integer: bool = False) -> float | None:
    """A number as written in Vietnamese or English tables; None for a blank (no data).

    ``11,9`` and ``11.9`` -> 11.9; ``1.474.000``, ``1,474,000`` and ``1 474 000`` -> 1474000;
    ``1.474,5`` -> 1474.5; ``12,5%`` -> 12.5. With ``integer=True`` (counts of people) a single
    group ``1.474`` or ``1,474`` is read as thousands.

    Scientific notation as spreadsheets write it is read too: ``1E+26``, ``1,5E-05``.

    >>> parse_number("11,9"), parse_number("1.474.000"), parse_number("1.474", integer=True), parse_number("")
    (11.9, 1474000.0, 1474.0, None)
    >>> parse_number("1e308"), parse_number("1,5E-05")
    (1e+308, 1.5e-05)

    Raises
    ------
    ValueError
        When the text is not a number.
    """
    t = unicodedata.normalize("NFC", str(text)).strip()
    if clean_cell(t) in BLANK:
        return None
    t = re.sub(r"[\s\u00a0\u202f]", "", t).rstrip("%")
    t = t.replace("\u2212", "-")
    if re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d+", t):  # scientific, as Excel writes 1E+26 or 1,5E-05
        value = float(t.replace(",", "."))
        if math.isinf(value):
            raise ValueError(text)
        return value
    if not re.fullmatch(r"[-+]?[\d.,]*\d[\d.,]*", t):
        raise ValueError(text)
    if "." in t and "," in t:
        decimal = "." if t.rfind(".") > t.rfind(",") else ","
        thousands = "," if decimal == "." else "."
        t = t.replace(thousands, "").replace(decimal, ".")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        groups = re.fullmatch(r"[-+]?\d{1,3}(?:" + re.escape(sep) + r"\d{3})+", t)
        if groups and (t.count(sep) > 1 or integer):
            t = t.replace(sep, "")
        elif t.count(sep) > 1:
            raise ValueError(text)
        else:
            t = t.replace(",", ".")
    return float(t)


#: "k/n" (criteria met as the app's tables display it): compared by its numerator ``k``.
_FRACTION = re.compile(r"^\s*(\d+)\s*/\s*\d+\s*$")


def same_value(a: str, b: str, flag: bool) -> bool:
    """Do two cells give the same value (``11,9`` = ``11.9``, ``x`` = ``1`` for a ``flag``; blank = blank)?"""
    if clean_cell(a) == clean_cell(b):
        return True
    a, b = _FRACTION.sub(r"\1", a), _FRACTION.sub(r"\1", b)  # "19/19" as a display writes criteria met
    parse = parse_flag if flag else parse_number
    try:
        return parse(a) == parse(b)
    except ValueError:
        return False
