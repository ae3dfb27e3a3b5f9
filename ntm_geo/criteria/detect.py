"""Which criteria framework a commune table is read under: from its year and its columns.

A table's criterion columns are numbered by the framework of its year (``c01``..``c19`` under
491/342, 1980 and 318; ``c01``..``c10`` under 51/2025), so the year decides by default
(:func:`~ntm_geo.criteria.frameworks.default_framework`): a 2016-2025 table is never read as if
it were 491/342. The columns confirm or contradict that choice: a header that is the name of a
criterion of only some frameworks ("Nghèo đa chiều" — 318 only; "Chợ nông thôn" — 491/342 only;
"Giảm nghèo và an sinh xã hội" — 51/2025 only) is evidence. When it names a criterion of a
framework with another number of criteria (a 51/2025 name in a 2017 table, a 19-criteria name in
a 2026 table) the table is refused: its columns are numbered differently. When it is an older
name of the same slot ("Hộ nghèo" in a 2022 table, criterion 11 of 318 being "Nghèo đa chiều")
the table is read under the year's framework and the reason says so. Every choice comes with a sentence in Vietnamese and English saying which
framework was chosen and why; the import report shows it.

Examples
--------
>>> choice = choose_framework(2017, ["Mã xã", "Tổ chức sản xuất"])
>>> choice.framework.id, choice.evidence
('qd1980', ('Tổ chức sản xuất',))
>>> choice.reason_en
"Criteria framework: Decision 1980/QĐ-TTg (2016–2020, 19 criteria), chosen by the year 2017; column names that match it: 'Tổ chức sản xuất'."
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ntm_geo.criteria.frameworks import Framework, all_frameworks, default_framework, framework
from ntm_geo.errors import ConfigError, DataError


def fold(text: str) -> str:
    """Header text compared without case, diacritics, punctuation or a trailing "(unit)"."""
    t = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    t = "".join(ch for ch in t if unicodedata.category(ch) != "Mn").lower()
    t = re.sub(r"\([^)]*\)\s*$", "", t)
    t = re.sub(r"[\"'`*:;,./\\|\-–—_]+", " ", t)
    t = re.sub(r"^(?:tieu chi(?: so)?|tc|c)\s?0?\d{1,2}\s+", "", t.strip())  # "TC11 Nghèo đa chiều"
    t = re.sub(r"^0?\d{1,2}\s+", "", t)  # "11 Nghèo đa chiều"
    return re.sub(r"\s+", " ", t).strip()


def criterion_names(frameworks: Sequence[Framework]) -> dict[str, dict[str, str]]:
    """Folded criterion name (vi and en) -> {framework id: criterion key} for every framework."""
    out: dict[str, dict[str, str]] = {}
    for fw in frameworks:
        for c in fw.criteria:
            for name in (c.name_vi, c.name_en):
                out.setdefault(fold(name), {})[fw.id] = c.key
    return out


@dataclass(frozen=True)
class FrameworkChoice:
    """The framework a table is read under, and why (one sentence in each language)."""

    framework: Framework
    reason_vi: str
    reason_en: str
    #: Headers that are criterion names of only some frameworks (all agreeing with the choice).
    evidence: tuple[str, ...] = ()
    #: Columns named after a criterion of another framework numbered alike, read as this
    #: framework's criterion of that number: (header, remark vi, remark en). The import asks the
    #: editor to confirm each (finding 10 of trial 6: never read silently under another numbering).
    renamed: tuple[tuple[str, str, str], ...] = ()


def _span(fw: Framework) -> str:
    return f"{fw.years[0]}–{fw.years[1]}"


def choose_framework(
    year: int,
    headers: Sequence[str],
    *,
    declared: str | None = None,
    file: str | None = None,
    frameworks: Sequence[Framework] | None = None,
) -> FrameworkChoice:
    """The framework for a table of ``year`` with these header texts.

    ``declared`` (a framework id) overrides the year, for a province table that says which
    framework it follows. Headers that are criterion names of some frameworks only must agree
    with the choice.

    Raises
    ------
    DataError
        A header names a criterion of other frameworks only (e.g. "Nghèo đa chiều" in a 2017
        table), or no framework covers ``year``; the message names ``file`` and the column.
    ConfigError
        ``declared`` is not a known framework id.
    """
    items = all_frameworks() if frameworks is None else tuple(frameworks)
    if declared:
        fw = framework(declared, items)
        why_vi, why_en = f"theo khai báo của bảng ({declared})", f"as the table declares ({declared})"
    else:
        try:
            fw = default_framework(year, items)
        except ConfigError as err:  # no framework for the year
            raise DataError(err.message_en, err.message_vi, file=file, column="year") from None
        why_vi, why_en = f"chọn theo năm {year}", f"chosen by the year {year}"
    names = criterion_names(items)
    every = {f.id for f in items}
    evidence: list[str] = []
    older: list[tuple[str, str, str]] = []
    for header in headers:
        owners = names.get(fold(header)) if header else None
        if not owners or set(owners) == every:
            continue
        if fw.id not in owners:
            others = [f for f in items if f.id in owners]
            listed_vi = "; ".join(f"QĐ {f.decision} ({_span(f)})" for f in others)
            listed_en = "; ".join(f"Decision {f.decision} ({_span(f)})" for f in others)
            if all(len(f.criteria) != len(fw.criteria) for f in others):
                raise DataError(
                    f"{file + ': ' if file else ''}column '{header}' is a criterion of {listed_en}, but the "
                    f"table is read under Decision {fw.decision} ({_span(fw)}, {len(fw.criteria)} criteria, "
                    f"{why_en}): its criteria are numbered differently. Check the year of the table, or use "
                    "the template of its framework.",
                    f"{file + ': ' if file else ''}cột '{header}' là tiêu chí của {listed_vi}, nhưng bảng được "
                    f"đọc theo QĐ {fw.decision} ({_span(fw)}, {len(fw.criteria)} tiêu chí, {why_vi}): các tiêu "
                    "chí đánh số khác nhau. Hãy kiểm tra năm của bảng hoặc dùng mẫu của bộ tiêu chí đó.",
                    file=file,
                    column=header,
                )
            key = owners[others[0].id]
            older.append(
                (
                    header,
                    f"cột '{header}' là tên tiêu chí của {listed_vi}; được đọc là tiêu chí {int(key[1:])} "
                    f"({fw.criterion(int(key[1:])).name_vi}) của QĐ {fw.decision}",
                    f"column '{header}' is a criterion name of {listed_en}; read as criterion {int(key[1:])} "
                    f"({fw.criterion(int(key[1:])).name_en}) of Decision {fw.decision}",
                )
            )
            continue
        evidence.append(header)
    reason_vi = f"Bộ tiêu chí: QĐ {fw.decision} ({_span(fw)}, {len(fw.criteria)} tiêu chí), {why_vi}"
    reason_en = (
        f"Criteria framework: Decision {fw.decision} ({_span(fw)}, {len(fw.criteria)} criteria), {why_en}"
    )
    if evidence:
        shown = ", ".join(f"'{h}'" for h in evidence[:3])
        reason_vi += f"; tên cột khớp bộ này: {shown}"
        reason_en += f"; column names that match it: {shown}"
    for _, vi, en in older:
        reason_vi += f"; {vi}"
        reason_en += f"; {en}"
    return FrameworkChoice(fw, reason_vi + ".", reason_en + ".", tuple(evidence), tuple(older))
