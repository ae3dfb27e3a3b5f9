"""The import report: what was imported, and every row that was not, with its reason.

:class:`RowIssue` locates one problem (file row, sheet, column, value) in Vietnamese and English;
:class:`ImportReport` holds the matched table and the issues, as JSON
(:meth:`ImportReport.to_json`, the command line's ``--json``) and as the downloadable table of
rows not used (:meth:`ImportReport.rejected_rows`).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets.importing.limits import column_letter, locate
from ntm_geo.datasets.importing.reading import RawTable
from ntm_geo.datasets.importing.units import vintage_units
from ntm_geo.datasets.matching import UnitIndex
from ntm_geo.datasets.provenance import (
    Provenance,
)


@dataclass(frozen=True)
class RowIssue:
    """One problem with one row (or, with ``row`` None, with the file), located for the user.

    ``row`` is the 1-based row of the file (Excel row / CSV line); ``column`` the user's header
    text; ``value`` the cell exactly as written.
    """

    row: int | None
    sheet: str | None
    column: str | None
    commune_code: str | None
    value: str | None
    reason_vi: str
    reason_en: str

    @classmethod
    def about_table(
        cls,
        sheet: str | None,
        reason_vi: str,
        reason_en: str,
        *,
        column: str | None = None,
        value: str | None = None,
    ) -> RowIssue:
        """A remark about the whole table, no row (a notice, or why nothing was imported)."""
        return cls(None, sheet, column, None, value, reason_vi, reason_en)

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "sheet": self.sheet,
            "column": self.column,
            "commune_code": self.commune_code,
            "value": self.value,
            "reason_vi": self.reason_vi,
            "reason_en": self.reason_en,
        }


@dataclass(frozen=True, eq=False)
class ImportReport:
    """The match report of one import (nothing is saved by making it).

    Attributes
    ----------
    file, sheet, year
        What was read; ``year`` is the year the table is for.
    table : pandas.DataFrame
        The matched rows in the dataset contract of :mod:`ntm_geo.datasets.contract` (``commune_code`` str,
        ``year`` int64, ``c01``..``c19`` "boolean" with NA = not assessed / no data,
        ``criteria_met`` "Int64", ``*_pct`` float64 in %, flags "boolean"), plus
        ``name_as_written`` (the name as the user wrote it) and, when the file has one,
        ``population`` (people, float). One row per unit, sorted by code.
    matched : list of dict
        ``{"row", "commune_code", "rule", "name_as_written"}`` per imported row; ``rule`` is
        ``"code"``, ``"name"`` or ``"confirmed_suggestion"``.
    unmatched, duplicates, out_of_range : list of RowIssue
        Rows not imported: no unit found (with reason), same unit as an earlier row, a value
        outside its range or unreadable (one issue per bad cell).
    units_without_row : list of str
        Codes of units no row matched.
    suggestions : dict
        File row -> ``[(commune_code, "name_with_type — district", score)]``; never applied
        unless confirmed (``confirmed`` of :func:`import_table`).
    encoding, header_row
        CSV encoding used (None for Excel); first row of the header.
    skipped : list of RowIssue
        Rows that are not commune data (district headings, totals, rows of another year, notes).
    notices : list of RowIssue
        Remarks that did not stop a row (year taken from the title, missing criteria columns,
        an unknown code matched by name, ignored columns).
    columns : dict
        Header text -> recognised field.
    framework_id, framework_reason_vi, framework_reason_en
        The criteria framework the table was read under (:mod:`ntm_geo.criteria.detect`: by
        year, confirmed by the criterion names of the columns) and why, one sentence per language.
        Under a framework of N criteria only ``c01``..``cNN`` are read; the others stay NA. A
        framework given to :func:`import_table` (not the year's default) is also kept in a
        ``framework_id`` column of :attr:`table`, so the saved dataset is mapped under it.
    provenance : Provenance or None
        Where the table comes from when it is an export of this app
        (:mod:`ntm_geo.datasets.provenance`), else None.
    vintage, vintage_vi, vintage_en
        The unit vintage the rows were matched against ("2015" | "2025",
        :mod:`ntm_geo.geo.vintages`), decided on the whole table by
        :func:`ntm_geo.geo.vintage_match.detect_vintage`, and one sentence per language saying so.
        A row naming a former unit of a 2025 table is not imported; its issue (and a notice) names
        the unit it became part of and the resolution.
    ignored : list of RowIssue
        Cells of imported rows whose value is not used, one per cell: the criteria and criteria
        count a file gives a unit not assessed for NTM (phường, thị trấn; on the 2025 units
        phường), whose criteria stay NA ("not assessed", never "0 criteria") while the row's
        other values are imported. Listed in :meth:`rejected_rows` (issue ``ignored``).
    to_confirm : list of RowIssue
        What the editor must read and confirm before the table is saved (the data page's
        checkbox, ``import-table --confirm``): a table of a year from 2026 (on the 2025 units
        since 1 July 2025) keyed by the 2015 units; a column named after a criterion of another
        framework numbered alike, read under this framework's numbering. Saving without the
        confirmation is refused (:meth:`needs_confirmation`).
    """

    file: str
    sheet: str | None
    year: int
    table: pd.DataFrame
    matched: list[dict[str, Any]]
    unmatched: list[RowIssue]
    duplicates: list[RowIssue]
    units_without_row: list[str]
    out_of_range: list[RowIssue]
    suggestions: dict[int, list[tuple[str, str, float]]]
    encoding: str | None
    header_row: int
    skipped: list[RowIssue] = field(default_factory=list)
    notices: list[RowIssue] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    raw: RawTable | None = field(default=None, repr=False)
    framework_id: str = ""
    framework_reason_vi: str = ""
    framework_reason_en: str = ""
    provenance: Provenance | None = None
    vintage: str = "2015"
    vintage_vi: str = ""
    vintage_en: str = ""
    to_confirm: list[RowIssue] = field(default_factory=list)
    ignored: list[RowIssue] = field(default_factory=list)

    def needs_confirmation(self) -> bool:
        """True when :attr:`to_confirm` lists anything: the table must not be saved unconfirmed."""
        return bool(self.to_confirm)

    def ok_rows(self) -> int:
        """Number of rows imported (= rows of :attr:`table`)."""
        return len(self.matched)

    def no_usable_value(self) -> Bilingual | None:
        """Why the table must not be saved although rows were imported, or None.

        The table holds no value in any data column (:func:`usable_values`: every criterion,
        count, indicator, flag and population cell empty) — every row a ward or township whose
        criteria were ignored, or an unfilled template. Saved, it would be a dataset with nothing
        to map (trial 8, M1). The one rule of the data page (save disabled, this reason shown),
        of ``import-table`` (exit 1, nothing saved) and of :func:`ntm_geo.datasets.store.save_import`
        (DataError with this reason: enforced where datasets are saved). None when no row was imported (said as
        "nothing matched") or when any value is there."""
        if not self.ok_rows() or usable_values(self.table):
            return None
        n = self.ok_rows()
        ward_rows = len({i.row for i in self.ignored})
        if ward_rows == n:
            vi = (
                f"cả {n} dòng nhập được là phường, thị trấn (không thuộc diện đánh giá NTM): {len(self.ignored)} "
                "giá trị tiêu chí của các dòng này bị bỏ qua và các cột số liệu khác đều trống"
            )
            en = (
                f"all {n} imported rows are wards or townships (not assessed for NTM): their "
                f"{len(self.ignored)} criteria values are ignored and the other data columns are empty"
            )
        elif ward_rows:
            vi = (
                f"mọi ô số liệu của {n} dòng nhập được đều trống, trừ {len(self.ignored)} giá trị tiêu chí của "
                f"{ward_rows} phường, thị trấn (bỏ qua: không thuộc diện đánh giá NTM)"
            )
            en = (
                f"every data cell of the {n} imported rows is empty, except {len(self.ignored)} criteria values "
                f"of {ward_rows} wards or townships (ignored: not assessed for NTM)"
            )
        else:
            vi = f"mọi ô số liệu của {n} dòng nhập được đều trống (mẫu chưa điền?)"
            en = f"every data cell of the {n} imported rows is empty (an unfilled template?)"
        return Bilingual(
            f"Bảng «{self.file}» không có giá trị nào dùng được: {vi}. Không lưu bộ dữ liệu không có số liệu; "
            "hãy điền số liệu rồi tải lên lại.",
            f"The table «{self.file}» holds no usable value: {en}. A dataset with no values is not saved; "
            "fill in the values and upload again.",
        )

    def _issue_groups(self) -> list[tuple[str, list[RowIssue]]]:
        return [
            ("unmatched", self.unmatched),
            ("duplicate", self.duplicates),
            ("out_of_range", self.out_of_range),
            ("skipped", self.skipped),
            ("ignored", self.ignored),
        ]

    def to_json(self) -> dict[str, Any]:
        """JSON-safe dict: file, sheet, year, encoding, header_row, counts, matched, unmatched,
        duplicates, units_without_row (with name, district and reason), out_of_range, skipped,
        notices, to_confirm, ignored (values of imported rows not used), suggestions (keys are row
        numbers as text), columns, framework, provenance, vintage, no_usable_value (None, or why
        the table is not saved: :meth:`no_usable_value`)."""
        empty = self.no_usable_value()
        index = UnitIndex(vintage_units(self.vintage))
        without = []
        for code in self.units_without_row:
            label = index.label(code) if index.has(code) else code
            without.append(
                {
                    "row": None,
                    "commune_code": code,
                    "unit": label,
                    "reason_vi": "không có dòng nào trong tệp khớp với đơn vị này.",
                    "reason_en": "no row of the file matches this unit.",
                }
            )
        return {
            "file": self.file,
            "sheet": self.sheet,
            "year": self.year,
            "encoding": self.encoding,
            "header_row": self.header_row,
            "counts": {
                "matched": len(self.matched),
                "unmatched": len(self.unmatched),
                "duplicates": len(self.duplicates),
                "out_of_range_rows": len({i.row for i in self.out_of_range}),
                "units_without_row": len(self.units_without_row),
                "skipped": len(self.skipped),
                "to_confirm": len(self.to_confirm),
                "ignored": len(self.ignored),
                "ignored_rows": len({i.row for i in self.ignored}),
            },
            "matched": [dict(m) for m in self.matched],
            "unmatched": [i.to_json() for i in self.unmatched],
            "duplicates": [i.to_json() for i in self.duplicates],
            "units_without_row": without,
            "out_of_range": [i.to_json() for i in self.out_of_range],
            "skipped": [i.to_json() for i in self.skipped],
            "notices": [i.to_json() for i in self.notices],
            "to_confirm": [i.to_json() for i in self.to_confirm],
            "ignored": [i.to_json() for i in self.ignored],
            "suggestions": {
                str(row): [{"commune_code": c, "unit": label, "score": score} for c, label, score in s]
                for row, s in self.suggestions.items()
            },
            "columns": dict(self.columns),
            "framework": {
                "id": self.framework_id,
                "reason_vi": self.framework_reason_vi,
                "reason_en": self.framework_reason_en,
            },
            "provenance": None if self.provenance is None else dataclasses.asdict(self.provenance),
            "vintage": {"key": self.vintage, "reason_vi": self.vintage_vi, "reason_en": self.vintage_en},
            "no_usable_value": None if empty is None else {"reason_vi": empty.vi, "reason_en": empty.en},
        }

    def rejected_rows(self) -> pd.DataFrame:
        """What of the file was not used: every row not imported, and every imported row with
        values not used (:attr:`ignored`), with its original cells and the reasons.

        Columns: ``row`` (file row), ``sheet``, the file's own headers (cells exactly as written;
        empty headers shown as "(cột F)"), ``issue`` (unmatched | duplicate | out_of_range |
        skipped | ignored — the row imported, the cells of ``column`` not), ``column`` (where the
        problem is), ``reason_vi``, ``reason_en``. A row with several problems appears once,
        columns and distinct reasons joined with "; " and " | ".
        """
        headers = _unique_headers(self.raw.headers) if self.raw else []
        cells: dict[int | None, tuple[str, ...]] = {r: c for r, c in self.raw.rows} if self.raw else {}
        by_row: dict[int | None, dict[str, Any]] = {}
        for kind, issues in self._issue_groups():
            for issue in issues:
                entry = by_row.setdefault(issue.row, {"issue": kind, "column": [], "vi": [], "en": []})
                if issue.column and issue.column not in entry["column"]:
                    entry["column"].append(issue.column)
                if (issue.reason_vi, issue.reason_en) in zip(entry["vi"], entry["en"], strict=True):
                    continue  # the same reason for several cells (a ward's criteria): said once
                entry["vi"].append(issue.reason_vi)
                entry["en"].append(issue.reason_en)
        records = []
        for row in sorted(by_row, key=lambda r: (r is None, r or 0)):
            entry = by_row[row]
            record: dict[str, object] = {"row": row, "sheet": self.sheet}
            record.update(dict(zip(headers, cells.get(row, ("",) * len(headers)), strict=True)))
            record.update(
                {
                    "issue": entry["issue"],
                    "column": "; ".join(entry["column"]),
                    "reason_vi": " | ".join(entry["vi"]),
                    "reason_en": " | ".join(entry["en"]),
                }
            )
            records.append(record)
        columns = ["row", "sheet", *headers, "issue", "column", "reason_vi", "reason_en"]
        return pd.DataFrame(records, columns=columns).astype({"row": "Int64"})


#: Columns of :attr:`ImportReport.table` that identify a row or class its unit, not values of it:
#: a table with only these holds nothing to map (:func:`usable_values`).
NOT_VALUE_COLUMNS = frozenset({"commune_code", "year", "name_as_written", "framework_id", "commune_group"})


def usable_values(table: pd.DataFrame) -> int:
    """Number of non-empty cells of ``table``'s data columns (criteria, count, indicators, flags,
    population: every column but :data:`NOT_VALUE_COLUMNS`); 0 = nothing to save."""
    data = table.drop(columns=[c for c in NOT_VALUE_COLUMNS if c in table.columns])
    return int(data.notna().to_numpy().sum())


def not_used_file_name(file: str, rejected: pd.DataFrame) -> str:
    """The file name of the download of :meth:`ImportReport.rejected_rows` (``rejected``), named
    for what it holds (trial 8, m1): ``<stem>_rejected.csv`` when some row was not imported,
    ``<stem>_khong_dung.csv`` ("not used") when it lists only values ignored in imported rows
    (a ward's criteria). ``file`` is the uploaded file's name (its folder, if any, dropped)."""
    stem = PurePath(file).stem or "bang"
    only_ignored = len(rejected) > 0 and bool((rejected["issue"] == "ignored").all())
    return f"{stem}_{'khong_dung' if only_ignored else 'rejected'}.csv"


def _unique_headers(headers: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for i, h in enumerate(headers):
        name = h.strip() or f"(cột {column_letter(i)})"
        base, n = name, 2
        while name in out or name in ("row", "sheet", "issue", "column", "reason_vi", "reason_en"):
            name, n = f"{base} ({n})", n + 1
        out.append(name)
    return out


def issue_message(issue: RowIssue, file: str, lang: str = "vi") -> str:
    """ "file, sheet «S», row R, column «C»: reason" in ``lang`` ("vi" or "en")."""
    where_vi, where_en = locate(file, issue.sheet, issue.row, issue.column)
    shown = issue.value not in (None, "")
    return Bilingual(
        f"{where_vi}: {issue.reason_vi}" + (f" (giá trị «{issue.value}»)" if shown else ""),
        f"{where_en}: {issue.reason_en}" + (f" (value «{issue.value}»)" if shown else ""),
    ).pick(lang)
