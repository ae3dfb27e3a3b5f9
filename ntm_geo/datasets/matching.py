"""Matching the rows of an uploaded table to the official commune-level units.

Rules, in order (:meth:`UnitIndex.match`):

1. **GSO code** (``"code"``): a code of 1–5 digits (a lost leading zero is restored:
   ``5971`` -> ``05971``) that is in the unit list. When the row also gives a name or district
   that clearly names *another* unit, the row is not matched (the conflict is reported with
   both candidates as suggestions) — a wrong code must not put data on the wrong commune.
2. **District + name** (``"name"``): the canonical key of :func:`ntm_geo.geo.units.split_unit_name`
   (NFC, one tone-mark convention, look-alike Đ, type words and abbreviations, spacing, case)
   within the row's district. A type word (written in the name or in a type column)
   disambiguates *Xã Đình Lập* from *Thị trấn Đình Lập*. Without a district, a name is matched
   only when it is unique in the province; the same name in two districts is never merged.
3. Otherwise the row is unmatched, with a reason and **suggestions** from rapidfuzz (never
   applied: the user confirms them, see ``confirmed`` in :func:`ntm_geo.datasets.importing.table.import_table`).

Unit tables need the columns ``commune_code``, ``name_with_type``, ``unit_type``,
``district_code`` and ``district_name`` (e.g. :func:`ntm_geo.geo.units.official_units`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from rapidfuzz import fuzz

from ntm_geo.geo.units import UNIT_TYPES, ascii_fold, name_key, split_unit_name

#: A suggestion: (commune_code, "name_with_type — district_name", score 0-100).
Suggestion = tuple[str, str, float]

SUGGESTION_MIN_SCORE = 70.0
SUGGESTION_LIMIT = 3
#: Points taken off a similarity found only without diacritics (Hòa and Hóa are different names).
FOLD_PENALTY = 5.0
#: Name similarity (0-100) above which a name beside a known code counts as a spelling of it.
CODE_NAME_TOLERANCE = 85.0

# Words written in a "type" column -> unit type key.
_TYPE_WORDS: dict[str, str] = {
    "xã": "xa",
    "xa": "xa",
    "x.": "xa",
    "commune": "xa",
    "rural commune": "xa",
    "phường": "phuong",
    "phuong": "phuong",
    "p.": "phuong",
    "ward": "phuong",
    "thị trấn": "thi-tran",
    "thi tran": "thi-tran",
    "thi-tran": "thi-tran",
    "tt": "thi-tran",
    "tt.": "thi-tran",
    "township": "thi-tran",
    "town": "thi-tran",
}
_DISTRICT_WORDS = ("huyện", "thành phố", "tp.", "tp", "h.", "thị xã", "tx.", "tx")


def normalise_code(text: str | None) -> str | None:
    """A 5-digit GSO code from what a spreadsheet left of it, or None when it is not a code.

    >>> normalise_code("5971"), normalise_code("'05971"), normalise_code("5971.0"), normalise_code("59a")
    ('05971', '05971', '05971', None)
    """
    if text is None:
        return None
    t = str(text).strip().lstrip("'").strip()
    t = re.sub(r"\.0+$", "", t)
    return t.zfill(5) if re.fullmatch(r"\d{1,5}", t) else None


def unit_type_from_text(text: str | None) -> str | None:
    """Unit type key from a type cell ("Xã", "TT", "ward"...), or None."""
    if not text or not str(text).strip():
        return None
    key = unicodedata.normalize("NFC", str(text)).strip().lower()
    key = re.sub(r"\s+", " ", key)
    return _TYPE_WORDS.get(key) or _TYPE_WORDS.get(ascii_fold(key))


def is_district_heading(name: str) -> bool:
    """True for names written with a district-level word ("Huyện Tràng Định", "TP. Lạng Sơn")."""
    key = name_key(name, strip_type=False)
    return key.startswith(_DISTRICT_PREFIXES)


# Keys of the district words as name_key writes them (tone mark moved: "huyện" -> "huyêṇ").
_DISTRICT_PREFIXES = tuple(name_key(w, strip_type=False) + " " for w in _DISTRICT_WORDS)


@dataclass(frozen=True)
class Match:
    """Outcome of matching one row.

    ``commune_code`` and ``rule`` (``"code"`` | ``"name"``) are set when matched; otherwise
    ``reason_vi``/``reason_en`` say why and ``column`` names the field at fault (``"commune_code"``,
    ``"name"`` or ``"district"``). ``suggestions`` are candidates for the user to confirm.
    ``note_vi``/``note_en``: a remark on a matched row (e.g. an unknown code, matched by name).
    """

    commune_code: str | None = None
    rule: str | None = None
    reason_vi: str | None = None
    reason_en: str | None = None
    column: str | None = None
    suggestions: tuple[Suggestion, ...] = ()
    note_vi: str | None = None
    note_en: str | None = None


@dataclass
class UnitIndex:
    """Lookup structures over a unit table (see module docstring for the columns)."""

    units: pd.DataFrame
    _by_code: dict[str, dict[str, Any]] = field(init=False, repr=False)
    _district_by_key: dict[str, str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        units = self.units.copy()
        units["commune_code"] = units["commune_code"].astype(str)
        units["district_code"] = units["district_code"].astype(str)
        units["match_type"], units["match_key"] = zip(
            *units["name_with_type"].map(split_unit_name), strict=True
        )
        units["match_fold"] = units["match_key"].map(ascii_fold)
        self.units = units.reset_index(drop=True)
        self._by_code = {r["commune_code"]: r for r in self.units.to_dict("records")}
        districts = self.units[["district_code", "district_name"]].drop_duplicates()
        self._district_by_key = {}
        for code, name in zip(districts["district_code"], districts["district_name"], strict=True):
            self._district_by_key[name_key(name)] = code
            self._district_by_key[code] = code
        self._district_list = ", ".join(districts["district_name"])
        self._district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
        # Plain tuples for the per-row loops (pandas indexing costs ~1 ms a call).
        self._records = list(self.units.to_dict("records"))
        self._by_key: dict[str, list[dict[str, Any]]] = {}
        for r in self._records:
            self._by_key.setdefault(r["match_key"], []).append(r)

    # ------------------------------------------------------------------ lookups
    def codes(self) -> list[str]:
        """All unit codes, in table order."""
        return list(self.units["commune_code"])

    def has(self, code: str) -> bool:
        return code in self._by_code

    def unit_type(self, code: str) -> str:
        return str(self._by_code[code]["unit_type"])

    def label(self, code: str) -> str:
        """ "Xã Đình Lập — Huyện Đình Lập" for a code."""
        row = self._by_code[code]
        return f"{row['name_with_type']} — {row['district_name']}"

    def district_code(self, text: str | None) -> str | None:
        """District code from a district cell (name in any spelling, or 3-digit code)."""
        if text is None or not str(text).strip():
            return None
        t = str(text).strip()
        if re.fullmatch(r"\d{1,3}(\.0+)?", t):
            return self._district_by_key.get(re.sub(r"\.0+$", "", t).zfill(3))
        return self._district_by_key.get(name_key(t))

    # ------------------------------------------------------------------ suggestions
    def suggest(self, name: str, district_code: str | None = None) -> list[Suggestion]:
        """Up to 3 units whose name resembles ``name`` (score >= 70), best first.

        Searched in the district when given (then in the province if nothing there); scores are
        the best of rapidfuzz ``ratio`` on the canonical keys and (minus :data:`FOLD_PENALTY`) on
        their diacritic-free forms; a type word that differs costs 10 points.
        """
        type_, key = split_unit_name(name)
        fold = ascii_fold(key)
        pools = [self._records]
        if district_code is not None:
            pools = [[r for r in self._records if r["district_code"] == district_code], self._records]
        for pool in pools:
            scored = []
            for row in pool:
                score = max(
                    fuzz.ratio(key, row["match_key"]), fuzz.ratio(fold, row["match_fold"]) - FOLD_PENALTY
                )
                if type_ is not None and row["match_type"] != type_:
                    score -= 10
                if score >= SUGGESTION_MIN_SCORE:
                    code = row["commune_code"]
                    scored.append((code, self.label(code), round(float(score), 1)))
            if scored:
                scored.sort(key=lambda s: (-s[2], s[0]))
                return scored[:SUGGESTION_LIMIT]
        return []

    # ------------------------------------------------------------------ matching
    def match(
        self,
        code: str | None = None,
        name: str | None = None,
        district: str | None = None,
        unit_type: str | None = None,
        *,
        suggest: bool = True,
    ) -> Match:
        """Match one row given its code, name, district and type cells (any may be None/blank).

        With ``suggest=False`` no fuzzy name suggestions are computed (~3 ms a row; the importer
        caps them at its first unmatched rows); exact candidates are still listed.

        Returns
        -------
        Match
            Matched (``rule`` "code" or "name") or not (reason, column, suggestions).
        """
        code = (code or "").strip() or None
        name = (name or "").strip() or None
        district = (district or "").strip() or None
        type_hint = unit_type_from_text(unit_type)
        district_code = self.district_code(district)
        if district and district_code is None:
            known = self._district_list
            return Match(
                reason_vi=f"không có huyện/thành phố «{district}» trong tỉnh; các huyện: {known}.",
                reason_en=f"unknown district «{district}»; districts: {known}.",
                column="district",
                suggestions=tuple(self.suggest(name)) if name and suggest else (),
            )
        note: tuple[str | None, str | None] = (None, None)
        if code is not None:
            gso = normalise_code(code)
            if gso is not None and gso in self._by_code:
                return self._check_code(gso, name, district, district_code, type_hint, suggest)
            why_vi = (
                f"mã «{code}» không phải mã GSO 5 chữ số"
                if gso is None
                else f"mã {gso} không thuộc danh mục đơn vị hành chính của Lạng Sơn (GSO 2015)"
            )
            why_en = (
                f"code «{code}» is not a 5-digit GSO code"
                if gso is None
                else f"code {gso} is not a Lạng Sơn commune-level unit (GSO 2015 list)"
            )
            if name is None:
                return Match(reason_vi=why_vi + ".", reason_en=why_en + ".", column="commune_code")
            note = (why_vi + "; đã khớp theo tên.", why_en + "; matched by name instead.")
        if name is None:
            return Match(
                reason_vi="dòng không có mã xã cũng không có tên xã.",
                reason_en="the row has neither a commune code nor a commune name.",
                column="name",
            )
        found = self._match_name(name, district_code, type_hint, suggest)
        if found.commune_code is not None and note[0]:
            return Match(found.commune_code, found.rule, note_vi=note[0], note_en=note[1])
        return found

    def _check_code(
        self,
        code: str,
        name: str | None,
        district: str | None,
        district_code: str | None,
        type_hint: str | None,
        suggest: bool = True,
    ) -> Match:
        unit = self._by_code[code]
        conflicts_vi, conflicts_en = [], []
        if district_code is not None and district_code != unit["district_code"]:
            conflicts_vi.append("huyện")
            conflicts_en.append("district")
        if name is not None:
            type_, key = split_unit_name(name)
            type_ = type_ or type_hint
            similar = max(fuzz.ratio(key, unit["match_key"]), fuzz.ratio(ascii_fold(key), unit["match_fold"]))
            if similar < CODE_NAME_TOLERANCE or (type_ is not None and type_ != unit["match_type"]):
                conflicts_vi.append("tên")
                conflicts_en.append("name")
        if not conflicts_vi:
            return Match(code, "code")
        others = [s for s in (self.suggest(name, district_code) if name and suggest else []) if s[0] != code]
        suggestions = ((code, self.label(code), 100.0), *others)
        given_vi = ", ".join(f"{w} «{v}»" for w, v in (("tên", name), ("huyện", district)) if v)
        given_en = ", ".join(f"{w} «{v}»" for w, v in (("name", name), ("district", district)) if v)
        return Match(
            reason_vi=(
                f"mã {code} là {self.label(code)} nhưng dòng ghi {' và '.join(conflicts_vi)} khác "
                f"({given_vi}); hãy sửa mã hoặc tên/huyện, hoặc xác nhận một gợi ý."
            ),
            reason_en=(
                f"code {code} is {self.label(code)} but the row gives another {' and '.join(conflicts_en)} "
                f"({given_en}); correct the code or the name/district, or confirm a suggestion."
            ),
            column="commune_code",
            suggestions=suggestions,
        )

    def _match_name(
        self, name: str, district_code: str | None, type_hint: str | None, suggest: bool = True
    ) -> Match:
        type_, key = split_unit_name(name)
        type_ = type_ or type_hint
        candidates = [
            r
            for r in self._by_key.get(key, [])
            if (district_code is None or r["district_code"] == district_code)
            and (type_ is None or r["match_type"] == type_)
        ]
        if len(candidates) == 1:
            return Match(str(candidates[0]["commune_code"]), "name")
        if len(candidates) == 0:
            where_vi = f" trong {self._district_name(district_code)}" if district_code else " trong tỉnh"
            where_en = f" in {self._district_name(district_code)}" if district_code else " in the province"
            kind = f" ({UNIT_TYPES[type_][0]})" if type_ else ""
            return Match(
                reason_vi=f"không tìm thấy đơn vị tên «{name}»{kind}{where_vi}.",
                reason_en=f"no unit named «{name}»{kind}{where_en}.",
                column="name",
                suggestions=tuple(self.suggest(name, district_code)) if suggest else (),
            )
        options = tuple((r["commune_code"], self.label(r["commune_code"]), 100.0) for r in candidates)
        listed = "; ".join(label for _, label, _ in options)
        if district_code is None and len({r["district_code"] for r in candidates}) > 1:
            return Match(
                reason_vi=f"thiếu huyện: có nhiều đơn vị tên «{name}» ({listed}); hãy ghi huyện hoặc mã xã.",
                reason_en=f"missing district: several units are named «{name}» ({listed}); give the district "
                "or the commune code.",
                column="district",
                suggestions=options,
            )
        return Match(
            reason_vi=f"tên «{name}» không rõ là đơn vị nào ({listed}); hãy ghi loại đơn vị (Xã / Phường / "
            "Thị trấn) hoặc mã xã.",
            reason_en=f"ambiguous name «{name}» ({listed}); write the unit type (Xã / Phường / Thị trấn) or "
            "the commune code.",
            column="name",
            suggestions=options,
        )

    def _district_name(self, district_code: str) -> str:
        return str(self._district_names[district_code])
