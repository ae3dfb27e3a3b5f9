"""Administrative units of Lạng Sơn (GSO 2015 codes) and the canonical Vietnamese name key.

The official list of the 226 commune-level units (207 xã, 5 phường, 14 thị trấn) in 11
districts is committed as ``data/units_gso2015.tsv`` (public facts: General Statistics Office
code list of administrative units, 2015). Columns: ``commune_code`` (5 digits, leading zero),
``name_with_type``, ``type`` (``xa`` | ``phuong`` | ``thi-tran``), ``district_code`` (3 digits),
``district_name``.

:func:`name_key` turns the many ways a Vietnamese place name is written (old/new tone-mark
placement, decomposed Unicode, look-alike Đ, unit-type prefixes and their abbreviations,
spacing and case) into one comparison key. It is used to match boundary files and uploaded
tables to units; it never replaces the name a user wrote.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import unknown_key

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
UNITS_TSV = DATA_DIR / "units_gso2015.tsv"

#: Unit types: key -> (Vietnamese label, English label, assessed against the NTM criteria?)
UNIT_TYPES: dict[str, tuple[str, str, bool]] = {
    "xa": ("Xã", "Rural commune", True),
    "phuong": ("Phường", "Ward", False),
    "thi-tran": ("Thị trấn", "Township", False),
}

# Combining tone marks (the five Vietnamese tones besides level tone).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
# Look-alike capitals/lower-case letters typed instead of Đ/đ.
_LOOKALIKE_D = str.maketrans({"\u00d0": "đ", "\u0189": "đ", "\u00f0": "đ", "\u0111": "đ", "\u0110": "đ"})


# Đ/đ and their look-alikes -> D/d (NFD does not decompose them).
_FOLD_D = str.maketrans({"\u0110": "D", "\u00d0": "D", "\u0189": "D", "\u0111": "d", "\u00f0": "d"})


def ascii_fold(text: str, *, lower: bool = True) -> str:
    """``text`` without any diacritics, đ/Đ -> d/D, lower-cased unless ``lower=False``: the one
    accent folding of the project (similarity scores, column aliases, ASCII ids, file names).

    >>> ascii_fold("Hữu Lũng"), ascii_fold("Đình Lập", lower=False)
    ('huu lung', 'Dinh Lap')
    """
    text = str(text).translate(_FOLD_D)
    text = text.lower() if lower else text
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _syllable_key(syllable: str) -> str:
    """Move the tone mark of one decomposed syllable to its end (hoà/hòa -> hoa + grave)."""
    tones = [ch for ch in syllable if ch in _TONES]
    base = "".join(ch for ch in syllable if ch not in _TONES)
    return base + "".join(tones[:1])


def name_key(name: str, *, strip_type: bool = True) -> str:
    """Canonical comparison key of a Vietnamese administrative name.

    Parameters
    ----------
    name : str
        A unit name as written anywhere ("Xã Hoà Bình", "X. Hòa  Bình", "TT. Đồng Đăng",
        "NT Thái Bình", "ĐỒNG ĐĂNG").
    strip_type : bool, default True
        Remove a leading unit-type word or abbreviation (Xã/X., Phường/P., Thị trấn/TT.,
        Huyện/H., Thành phố/TP., "Thị trấn Nông trường"/NT).

    Returns
    -------
    str
        Lower-case NFC key with one tone-mark convention (tone at the end of each syllable),
        look-alike Đ folded, single spaces. Two spellings of the same name give the same key;
        the key is for comparison only and is never shown.

    Examples
    --------
    >>> name_key("Xã Hoà Bình") == name_key("hòa bình")
    True
    >>> name_key("TT. Đồng Đăng") == name_key("Thị trấn ĐỒNG ĐĂNG")
    True
    """
    text = unicodedata.normalize("NFC", str(name)).translate(_LOOKALIKE_D).lower()
    text = re.sub(r"[\s\u00a0]+", " ", text).strip()
    text = re.sub(r"\s*\.\s*", ". ", text).strip()  # "TT.Đồng" -> "tt. đồng"
    decomposed = unicodedata.normalize("NFD", text)
    key = " ".join(_syllable_key(s) for s in decomposed.split(" ") if s)
    key = unicodedata.normalize("NFC", key)
    if strip_type:
        key = _strip_prefix(key)
    return key


# Type word or abbreviation -> unit type key (None: a district-level word, dropped only).
_PREFIX_TYPES: dict[str, str | None] = {
    "thị trấn nông trường": "thi-tran",
    "thành phố": None,
    "thị xã": None,
    "thị trấn": "thi-tran",
    "phường": "phuong",
    "huyện": None,
    "xã": "xa",
    "tt.": "thi-tran",
    "tx.": None,
    "tp.": None,
    "tt": "thi-tran",
    "tx": None,
    "tp": None,
    "nt": "thi-tran",
    "x.": "xa",
    "p.": "phuong",
    "h.": None,
}


def _prefix_keys() -> tuple[tuple[str, str | None], ...]:
    pairs = [(name_key(word, strip_type=False), kind) for word, kind in _PREFIX_TYPES.items()]
    return tuple(sorted(pairs, key=lambda item: len(item[0]), reverse=True))


def split_unit_name(name: str) -> tuple[str | None, str]:
    """Split a written unit name into (unit type key or None, name key).

    >>> split_unit_name("TT. Đình Lập") == ("thi-tran", name_key("Đình Lập"))
    True
    >>> split_unit_name("Đình Lập")[0] is None
    True
    """
    key = name_key(name, strip_type=False)
    found: str | None = None
    stripped = True
    while stripped:  # "Thị trấn NT Thái Bình": strip both words
        stripped = False
        for prefix, kind in _PREFIX_KEYS:
            if key.startswith(prefix + " ") or (prefix.endswith(".") and key.startswith(prefix)):
                rest = key[len(prefix) :].strip()
                if rest:
                    key, found, stripped = rest, found or kind, True
                    break
    return found, key


def _strip_prefix(key: str) -> str:
    return split_unit_name(key)[1]


_PREFIX_KEYS = _prefix_keys()


# Vietnamese alphabet order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
_ALPHABET = [
    "a",
    "ă",
    "â",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "ê",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "o",
    "ô",
    "ơ",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "ư",
    "v",
    "w",
    "x",
    "y",
    "z",
]
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_TONE_ORDER = {
    "": 0,
    "\u0300": 1,
    "\u0309": 2,
    "\u0303": 3,
    "\u0301": 4,
    "\u0323": 5,
}  # ngang huyền hỏi ngã sắc nặng


def vi_sort_key(text: str) -> tuple[object, ...]:
    """Sort key in Vietnamese dictionary order (Ă after A, Đ after D, Ư after U; tones break ties).

    >>> sorted(["Đồng Đăng", "Yên Bình", "Dân Chủ", "Ái Quốc"], key=vi_sort_key)
    ['Ái Quốc', 'Dân Chủ', 'Đồng Đăng', 'Yên Bình']
    """
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", str(text)).lower():
        parts = unicodedata.normalize("NFD", ch)
        tone = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        letters.append(_RANK.get(base, 100 + ord(base[0]) if base else 0))
        tones.append(_TONE_ORDER.get(tone, 0))
    return tuple(letters), tuple(tones)


@dataclass(frozen=True)
class UnitType:
    """A unit type with its labels; ``assessed`` is True only for xã (NTM criteria apply)."""

    key: str
    label_vi: str
    label_en: str
    assessed: bool


def unit_type(key: str) -> UnitType:
    """Look up a unit type by key; raises :class:`ConfigError` listing the allowed keys."""
    if key not in UNIT_TYPES:
        raise unknown_key(key, UNIT_TYPES, Bilingual("Loại đơn vị", "unit type"))
    vi, en, assessed = UNIT_TYPES[key]
    return UnitType(key, vi, en, assessed)


@lru_cache(maxsize=1)
def _official_units() -> pd.DataFrame:
    table = pd.read_csv(UNITS_TSV, sep="\t", dtype=str, keep_default_na=False)
    table = table.rename(columns={"type": "unit_type"})
    # the GSO list is kept verbatim; a doubled space in it (06178 "Xã  Hoàng Văn Thụ") is not
    # part of the name and must not reach labels, tables or the name without its type word
    for column in ("name_with_type", "district_name"):
        table[column] = table[column].map(lambda text: " ".join(text.split()))
    table["name"] = [
        _drop_type_words(n, t) for n, t in zip(table["name_with_type"], table["unit_type"], strict=True)
    ]
    table["assessed"] = table["unit_type"].map(lambda t: UNIT_TYPES[t][2])
    table["name_key"] = table["name_with_type"].map(lambda n: split_unit_name(n)[1])
    table["district_key"] = table["district_name"].map(name_key)
    return table


def official_units() -> pd.DataFrame:
    """The 226 official units of Lạng Sơn (GSO 2015 code list).

    Returns
    -------
    pandas.DataFrame
        226 rows; columns ``commune_code``, ``name_with_type``, ``unit_type``,
        ``district_code``, ``district_name``, ``name`` (without type word), ``assessed`` (bool),
        ``name_key``, ``district_key``. A copy: callers may modify it.

    Source: ``data/units_gso2015.tsv`` (GSO administrative unit codes, 2015).
    """
    return _official_units().copy()


def _drop_type_words(name_with_type: str, type_key: str) -> str:
    label = UNIT_TYPES[type_key][0]
    if name_with_type.startswith(label + " "):
        return name_with_type[len(label) + 1 :]
    return name_with_type


def districts() -> pd.DataFrame:
    """The 11 districts: columns ``district_code``, ``district_name`` (GSO 2015), in code order."""
    table = _official_units()[["district_code", "district_name"]].drop_duplicates()
    return table.sort_values("district_code").reset_index(drop=True)
