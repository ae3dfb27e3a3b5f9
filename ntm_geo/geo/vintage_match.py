"""Which unit vintage a table is keyed by, decided on the whole table, and notices for former units.

A 2025 unit keeps the GSO code of one of its former units, and often a former unit's name:
code 05986 is *Xã Hoàng Đồng* in 2015 and *Phường Tam Thanh* in 2025, and there is a *Phường
Tam Thanh* (05974) in 2015 too. Deciding row by row would silently remap rows, so
:func:`detect_vintage` scores every registered vintage on all rows at once:

* a row whose code and name name the same unit of the vintage scores 2;
* a row with only a code, or only a name, that the vintage knows scores 1;
* a row whose code and name name two different units of the vintage scores 0 (a conflict).

The vintage with the highest score wins; on a tie the one whose units the table covers best (share
of the vintage's units named) wins, and the decision says it was a tie. Rows that name no unit of
the chosen vintage but a **former** unit (a 2015 or 2024 unit that no longer exists in 2025) get a
notice naming the unit it became part of and the resolution, e.g.
"Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15" — never a silent drop or a silent remap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from ntm_geo.bilingual import Bilingual
from ntm_geo.geo.crosswalk import FormerUnit, former_units
from ntm_geo.geo.units import split_unit_name
from ntm_geo.geo.vintages import VINTAGES, get_vintage

if TYPE_CHECKING:
    from ntm_geo.datasets.importing.reading import RawTable


@dataclass(frozen=True)
class RowNotice:
    """A row naming a unit that is not in the chosen vintage (``row`` is 0-based)."""

    row: int
    value: str
    message_vi: str
    message_en: str


@dataclass(frozen=True)
class VintageDecision:
    """The vintage of a table and why.

    Attributes
    ----------
    vintage : str
        The chosen vintage key ("2015" | "2025").
    scores : dict
        Vintage key → score (see the module docstring).
    coverage : dict
        Vintage key → share of that vintage's units the table names (0-1).
    tie : bool
        The scores tied and coverage (or the preferred vintage) decided.
    preferred : bool
        On the tie, the caller's preferred vintage (e.g. by the table's year) decided.
    notices : list of RowNotice
        Rows that name a former unit (not of the chosen vintage), with what it became.
    """

    vintage: str
    scores: dict[str, int]
    coverage: dict[str, float]
    tie: bool
    notices: list[RowNotice] = field(default_factory=list)
    preferred: bool = False

    def message(self, lang: str = "vi") -> str:
        """One sentence for the import report: the vintage detected, and how."""
        v = get_vintage(self.vintage)
        label = Bilingual.of(v, "label").pick(lang)
        parts = ", ".join(f"{k}: {s}" for k, s in sorted(self.scores.items()))
        how = Bilingual("", "")
        if self.tie:
            how = Bilingual(" (bằng điểm; chọn theo độ phủ)", " (scores tied; chosen by coverage)")
        if self.preferred:
            how = Bilingual(
                " (bằng điểm; chọn theo năm của bảng)", " (scores tied; chosen by the table's year)"
            )
        return Bilingual(
            f"Bảng được khớp với {label}{how.vi}. Điểm khớp theo bộ đơn vị: {parts}.",
            f"Table matched to {label}{how.en}. Match score per vintage: {parts}.",
        ).pick(lang)


@lru_cache(maxsize=4)
def _index(key: str) -> tuple[dict[str, tuple[str | None, str]], dict[str, list[str]]]:
    """code → (type, name key); name key → codes, for one vintage."""
    units = get_vintage(key).load_units()
    by_code = {
        c: split_unit_name(n) for c, n in zip(units["commune_code"], units["name_with_type"], strict=True)
    }
    by_name: dict[str, list[str]] = {}
    for code, (_kind, name) in by_code.items():
        by_name.setdefault(name, []).append(code)
    return by_code, by_name


def _clean(value: object) -> str:
    text = "" if value is None else str(value).strip()
    return "" if text.lower() in ("", "nan", "none", "<na>") else text


def _row_units(key: str, code: str, name: str) -> tuple[int, str | None]:
    """Score of one row for one vintage, and the unit code it names there (None if none/conflict)."""
    by_code, by_name = _index(key)
    code = code.zfill(5) if code.isdigit() else code
    kind, name_key = split_unit_name(name) if name else (None, "")
    by_name_codes = [c for c in by_name.get(name_key, []) if kind is None or by_code[c][0] == kind]
    if code and code in by_code:
        if not name:
            return 1, code
        return (2, code) if code in by_name_codes else (0, None)
    if name and by_name_codes:
        return 1, by_name_codes[0] if len(by_name_codes) == 1 else None
    return 0, None


@lru_cache(maxsize=1)
def _former_by_key() -> tuple[dict[str, list[FormerUnit]], dict[str, list[FormerUnit]]]:
    by_code: dict[str, list[FormerUnit]] = {}
    by_name: dict[str, list[FormerUnit]] = {}
    for f in former_units():
        by_code.setdefault(f.code, []).append(f)
        by_name.setdefault(split_unit_name(f.name_with_type)[1], []).append(f)
    return by_code, by_name


def load_reference_units() -> None:
    """Build (once per process) the unit lists of both vintages and the former-unit table an import
    matches against. On a fresh clone this converts the boundary mirrors into ``shapes/`` (~20 s,
    once); callers that run imports in short-lived workers (the data page) call it first, so a
    worker finds the files built and spends its time budget on the uploaded file only."""
    _index("2015")
    _index("2025")
    _former_by_key()


def former_unit_notice(code: str, name: str, row: int) -> RowNotice | None:
    """The notice for a row naming a former unit (by name, else by code), or None.

    When the name fits several former units (e.g. two Xã Hồng Phong), the code picks one; without a
    code all of them are named.
    """
    by_code, by_name = _former_by_key()
    kind, key = split_unit_name(name) if name else (None, "")
    candidates = [
        f for f in by_name.get(key, []) if kind is None or split_unit_name(f.name_with_type)[0] == kind
    ]
    if code and candidates:
        with_code = [f for f in candidates if f.code == code]
        candidates = with_code or candidates
    if not candidates and code and not name:
        candidates = by_code.get(code, [])
    if not candidates:
        return None
    seen: list[FormerUnit] = []
    for f in candidates:  # the legal notice first, one per former unit
        if all(f.code != s.code for s in seen):
            seen.append(f)
    vi = "; ".join(f.notice("vi") for f in seen)
    en = "; ".join(f.notice("en") for f in seen)
    return RowNotice(row, name or code, vi, en)


def detect_vintage(
    codes: Sequence[object], names: Sequence[object], prefer: str | None = None
) -> VintageDecision:
    """Decide the vintage of a table from all its rows (codes and names, either may be empty).

    Parameters
    ----------
    codes, names : sequences of the same length
        The table's unit code and unit name cells (None/NaN/"" when absent).
    prefer : str, optional
        The vintage to choose when the scores tie (e.g. by the table's year: a 2026 table is on
        the 2025 units); without it, or when it is not among the tied, coverage decides.

    Returns
    -------
    VintageDecision
        The vintage, the scores, and a notice for each row naming a former unit.

    Raises
    ------
    ValueError
        ``codes`` and ``names`` differ in length.
    """
    if len(codes) != len(names):
        raise ValueError(f"codes ({len(codes)}) and names ({len(names)}) must have the same length")
    rows = [(_clean(c), _clean(n)) for c, n in zip(codes, names, strict=True)]
    scores: dict[str, int] = {}
    coverage: dict[str, float] = {}
    named: dict[str, list[str | None]] = {}
    for key, vintage in VINTAGES.items():
        results = [_row_units(key, c, n) for c, n in rows]
        scores[key] = sum(s for s, _ in results)
        named[key] = [u for _, u in results]
        coverage[key] = len({u for u in named[key] if u}) / vintage.unit_count
    best = max(scores.values())
    top = [k for k, s in scores.items() if s == best]
    tie = len(top) > 1
    preferred = tie and prefer in top
    chosen = str(prefer) if preferred else max(top, key=lambda k: (coverage[k], k))
    notices = []
    for i, ((code, name), unit) in enumerate(zip(rows, named[chosen], strict=True)):
        if unit is None and (code or name):
            notice = former_unit_notice(code, name, i)
            if notice is not None:
                notices.append(notice)
    return VintageDecision(chosen, scores, coverage, tie, notices, preferred)


def detect_table_vintage(raw: RawTable, prefer: str | None = None) -> VintageDecision:
    """:func:`detect_vintage` on a table read by :func:`ntm_geo.datasets.importing.reading.read_table`.

    Uses its ``commune_code`` and ``name`` columns (either may be missing); ``prefer`` as for
    :func:`detect_vintage`. Notices keep the
    table's own row numbers (``RowNotice.row`` = the file row, 1-based, header included).

    Raises
    ------
    DataError
        The table has neither a unit code nor a unit name column.
    """
    from ntm_geo.errors import DataError

    code_col = raw.column_of("commune_code")
    name_col = raw.column_of("name")
    file_name = raw.file
    if code_col is None and name_col is None:
        raise DataError(
            f"{file_name}: no column of unit codes or unit names, so the unit vintage cannot be told.",
            f"{file_name}: không có cột mã đơn vị hay tên đơn vị nên không xác định được bộ đơn vị hành chính.",
            file=file_name,
        )
    rows = list(raw.rows)
    codes = [cells[code_col] if code_col is not None else "" for _, cells in rows]
    names = [cells[name_col] if name_col is not None else "" for _, cells in rows]
    decision = detect_vintage(codes, names, prefer)
    numbered = [RowNotice(rows[n.row][0], n.value, n.message_vi, n.message_en) for n in decision.notices]
    return VintageDecision(
        decision.vintage, decision.scores, decision.coverage, decision.tie, numbered, decision.preferred
    )
