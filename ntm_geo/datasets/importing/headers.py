"""Header recognition: which field a column's header names, and where the header row is.

:data:`HEADER_ALIASES` (identification fields) and the schema registry
(:mod:`ntm_geo.datasets.schema`: every value column's key, aliases, labels and headers) and the
criteria frameworks' criterion names make one alias table, compared after folding (no
diacritics, lower case, punctuation and a trailing "(unit)" removed). :func:`find_header` scans
the first :data:`HEADER_SCAN_ROWS` rows for the best header, one or two lines (``Tiêu chí`` over
``1 … 19``, or a Vietnamese line over an English one).
"""

from __future__ import annotations

import re
import unicodedata
from contextvars import ContextVar

from ntm_geo.criteria.framework import load_criteria
from ntm_geo.criteria.frameworks import builtin_frameworks
from ntm_geo.datasets import framework_indicators, schema
from ntm_geo.geo.units import ascii_fold

HEADER_SCAN_ROWS = 40

#: Recognised headers -> field. Compared after folding (no diacritics, lower case, punctuation
#: and a trailing "(unit)" removed), so "Mã xã", "MÃ XÃ", "Ma xa" and "Mã xã (GSO)" all match.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": (
        "tên xã",
        "xã",
        "tên đơn vị",
        "tên đơn vị hành chính",
        "đơn vị",
        "đơn vị hành chính",
        "xã phường thị trấn",
        "tên xã phường thị trấn",
        "tên",
        "name",
        "commune",
        "commune name",
        "name_with_type",
        "unit",
        "unit name",
        "name as written",
        "name_as_written",
    ),
    "district": (
        "huyện",
        "tên huyện",
        "huyện thành phố",
        "huyện tp",
        "đơn vị cấp huyện",
        "huyện thị xã thành phố",
        "district",
        "district name",
        "district_name",
    ),
    "district_code": ("mã huyện", "district_code", "district code"),
    "unit_type": ("loại", "loại đơn vị", "loại đvhc", "cấp", "type", "unit type", "unit_type"),
    "population": ("dân số", "số dân", "dân số người", "tổng dân số", "population", "population_2009"),
    # 51/2025/QĐ-TTg sets its thresholds for three commune groups (xã nhóm 1, 2, 3)
    "commune_group": ("nhóm xã", "xã nhóm", "nhóm xã (1/2/3)", "commune group", "group"),
    "_ignore": ("stt", "tt", "số tt", "số thứ tự", "no", "#", "ghi chú", "note", "notes", "year imported"),
}
#: Extra criterion names seen in provincial tables (older titles of the 19 criteria).
EXTRA_CRITERION_NAMES: dict[int, tuple[str, ...]] = {
    6: ("văn hóa cơ sở vật chất",),
    7: ("chợ",),
    9: ("nhà ở",),
    12: ("cơ cấu lao động", "lao động"),
    13: ("hình thức tổ chức sx",),
    18: ("hệ thống chính trị", "hệ thống tổ chức chính trị"),
    19: ("an ninh trật tự", "an ninh trật tự xã hội"),
}

_NUMBERING = re.compile(r"^\(?[0-9a-zA-Z]{1,3}\)?$")


def _fold_header(text: str) -> str:
    t = ascii_fold(unicodedata.normalize("NFC", str(text)))
    t = t.replace("_", " ")
    t = re.sub(r"[\"'`*:;,./\\|\-–—]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _column_aliases(col: schema.Column) -> tuple[str, ...]:
    unit_free = (re.sub(r"\([^)]*\)\s*$", "", h) for h in (col.header.vi, col.header.en))
    return (col.key, *col.aliases, col.label.vi, col.label.en, col.header.vi, col.header.en, *unit_free)


def _alias_table() -> dict[str, str]:
    """Folded header -> field: the registry's columns (:mod:`ntm_geo.datasets.schema`: key, aliases,
    labels, headers), then the identification fields of :data:`HEADER_ALIASES`, then criterion names."""
    table: dict[str, str] = {}
    registry = [(c.key, _column_aliases(c)) for c in schema.columns() if c.kind != "criterion"]
    for key, aliases in (*registry, *HEADER_ALIASES.items()):
        for alias in aliases:
            table.setdefault(_fold_header(alias), key)
    for c in load_criteria():
        for name in (c.name_vi, c.name_en, *EXTRA_CRITERION_NAMES.get(c.number, ())):
            table.setdefault(_fold_header(name), c.code)
    for fw in builtin_frameworks():  # names of 1980, 318, 51/2025 (no name means two numbers)
        for fc in fw.criteria:
            for name in (fc.name_vi, fc.name_en):
                table.setdefault(_fold_header(name), fc.key)
    return table


_ALIASES = _alias_table()


def _registry_changed() -> None:
    """Rebuild the alias table from the schema registry (see :func:`schema.extended`)."""
    _ALIASES.clear()
    _ALIASES.update(_alias_table())


schema.on_change(_registry_changed)
# an indicator by its number, folded: "c04 2" (c04_2), "chi tieu 4 2", "ct 4 2", "indicator 4 2"; after
# "chỉ tiêu", "CT", "Indicator" or "I" a name may follow, as the template writes it ("CT4.2. Tỷ lệ…", "I4.2 Share…")
_INDICATOR_RE = re.compile(
    r"^(?:(?:chi tieu(?: so)?|ct|indicator|i)\s?0?([1-9]|1[0-9]) 0?([1-9][0-9]?)(?:\s.*)?"
    r"|(?:c|tc|tieu chi(?: so)?)\s?0?([1-9]|1[0-9]) 0?([1-9][0-9]?))$"
)
# "4.2 Tỷ lệ hộ sử dụng điện …": the number, then the indicator's own name
_NUMBERED_INDICATOR_RE = re.compile(r"^0?([1-9]|1[0-9]) 0?([1-9][0-9]?)\s+(.+)$")
_BARE_INDICATOR_RE = re.compile(r"^\s*([1-9]|1[0-9])\.([1-9][0-9]?)\s*$")  # "4.2" as written (not "4,2")
_CRITERION_RE = re.compile(r"^(?:tieu chi(?: so)?|tc|c|criterion|crit)\s?0?([1-9]|1[0-9])(?:\s.*)?$")
_NUMBERED_RE = re.compile(r"^0?([1-9]|1[0-9])\s+(.+)$")


def header_field(text: str) -> str | None:
    """The field a header names ("Mã xã" -> "commune_code", "TC1" -> "c01"), or None.

    >>> header_field("Tỷ lệ hộ nghèo (%)"), header_field("Tiêu chí 1"), header_field("c19"), header_field("Ghi chú")
    ('poverty_rate_pct', 'c01', 'c19', '_ignore')

    A framework's indicator N.M (:mod:`ntm_geo.datasets.framework_indicators`) by number or name:

    >>> header_field("c04_2"), header_field("Chỉ tiêu 4.2 (%)"), header_field("CT 17.1"), header_field("4.2")
    ('c04_2', 'c04_2', 'c17_1', 'c04_2')
    >>> header_field("Share of households using electricity regularly and safely")
    'c04_2'
    """
    folded = _fold_header(text)
    if not folded:
        return None
    unit_free = re.sub(r"\([^)]*\)\s*$", "", str(text))
    candidates = [folded, _fold_header(unit_free)]
    for cand in candidates:  # a known header or an indicator ("Tiêu chí 4.2 (%)"), before a criterion
        if cand in _ALIASES:
            return _ALIASES[cand]
        indicator = _indicator_field(cand, unit_free)
        if indicator:
            return indicator
    for cand in candidates:
        m = _CRITERION_RE.match(cand)
        if m:
            return f"c{int(m.group(1)):02d}"
        m = _NUMBERED_RE.match(cand)
        if m and _ALIASES.get(m.group(2)) == f"c{int(m.group(1)):02d}":
            return f"c{int(m.group(1)):02d}"
    return None


def _indicator_field(folded: str, written: str) -> str | None:
    """The indicator column (``c04_2``) a folded header names by number ("Chỉ tiêu 4.2", "CT4.2. …",
    "Tiêu chí 4.2", "TC4.2"), by an indicator name of a framework (national or the province's,
    :mod:`ntm_geo.datasets.framework_indicators`) or by both ("4.2 Tỷ lệ hộ sử dụng điện …"); a
    bare "4.2" counts only when some framework lists indicator 4.2 (else it may be a value)."""
    m = _INDICATOR_RE.match(folded)
    if m:
        crit, sub = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        return f"c{int(crit):02d}_{int(sub)}"
    bare = _BARE_INDICATOR_RE.match(written)
    if bare:
        key = f"c{int(bare.group(1)):02d}_{int(bare.group(2))}"
        return key if key in _indicator_tables()[1] else None
    numbered = _NUMBERED_INDICATOR_RE.match(folded)
    if numbered:
        key = f"c{int(numbered.group(1)):02d}_{int(numbered.group(2))}"
        return key if _indicator_tables()[0].get(numbered.group(3)) == key else None
    return _indicator_tables()[0].get(folded)


_Tables = tuple[dict[str, str], frozenset[str]]
_TABLES_CACHE: dict[tuple[int, ...], _Tables] = {}
#: The tables of one header search (:func:`find_header`): the frameworks are looked up once per
#: file, not once per cell (a province folder is listed and stat'ed on each look-up).
_SNAPSHOT: ContextVar[_Tables | None] = ContextVar("indicator_tables", default=None)


def _indicator_tables() -> _Tables:
    """(folded indicator name -> key, every indicator key) over the frameworks in use (national and
    the province's), rebuilt when they change."""
    snapshot = _SNAPSHOT.get()
    if snapshot is not None:
        return snapshot
    from ntm_geo.criteria.frameworks import all_frameworks

    stamp = tuple(id(fw) for fw in all_frameworks())
    if stamp not in _TABLES_CACHE:
        _TABLES_CACHE.clear()
        names = framework_indicators.indicator_names()
        folded = {_fold_header(n): k for n, k in reversed(list(names.items()))}
        _TABLES_CACHE[stamp] = (folded, frozenset(framework_indicators.known_indicator_keys()))
    return _TABLES_CACHE[stamp]


def _join_header(upper: str, lower: str) -> str:
    upper, lower = upper.strip(), lower.strip()
    if not upper or upper == lower:
        return lower
    if not lower:
        return upper
    return f"{upper} {lower}" if len(lower) <= 3 else f"{upper} / {lower}"


def _fields_single(cells: list[str]) -> list[str | None]:
    return [header_field(c) for c in cells]


def _fields_double(upper: list[str], lower: list[str]) -> list[str | None]:
    out = []
    for up, low in zip(upper, lower, strict=True):
        found = None
        for text in (low, f"{up} {low}", up):
            if text.strip():
                found = header_field(text)
                if found:
                    break
        out.append(found)
    return out


def _score(fields: list[str | None]) -> int:
    known = {f for f in fields if f and f != "_ignore"}
    if not known & {"commune_code", "name"}:
        return 0
    return len(known)


def dedupe_fields(fields: list[str | None]) -> list[str | None]:
    """``fields`` with every repeat of a field (after its first column) replaced by None."""
    seen: set[str] = set()
    out: list[str | None] = []
    for f in fields:
        if f and f != "_ignore" and f in seen:
            out.append(None)
        else:
            out.append(f)
            if f:
                seen.add(f)
    return out


def find_header(grid: list[tuple[int, list[str]]]) -> tuple[int, int, list[str], list[str | None]] | None:
    """(index in grid, header lines, header texts, fields) of the best header candidate."""
    token = _SNAPSHOT.set(_indicator_tables())
    try:
        return _find_header(grid)
    finally:
        _SNAPSHOT.reset(token)


def _find_header(grid: list[tuple[int, list[str]]]) -> tuple[int, int, list[str], list[str | None]] | None:
    best = None
    nonempty = [i for i, (_, cells) in enumerate(grid) if any(c.strip() for c in cells)]
    for i in nonempty[:HEADER_SCAN_ROWS]:
        cells = grid[i][1]
        single = _fields_single(cells)
        s1 = _score(single)
        candidate = (s1, 1, [c.strip() for c in cells], single)
        if i + 1 < len(grid):
            lower = grid[i + 1][1]
            double = _fields_double(cells, lower)
            s2, s_lower = _score(double), _score(_fields_single(lower))
            if s2 > s1 or (s2 >= s1 and s_lower >= 2):
                candidate = (s2, 2, [_join_header(u, lo) for u, lo in zip(cells, lower, strict=True)], double)
        if candidate[0] >= 2 and (best is None or candidate[0] > best[0][0]):
            best = (candidate, i)
    if best is None:
        return None
    (_, lines, headers, fields), i = best
    return i, lines, headers, list(fields)


def is_numbering_row(cells: list[str]) -> bool:
    """A column-numbering row under the header: "(1) (2) (3) …", "(A) (B) …" or "1 2 3 …"."""
    filled = [c.strip() for c in cells if c.strip()]
    if len(filled) < 3:
        return False
    bracketed = all(_NUMBERING.match(c) for c in filled) and all(c.startswith("(") for c in filled)
    return bracketed or filled == [str(k) for k in range(1, len(filled) + 1)]
