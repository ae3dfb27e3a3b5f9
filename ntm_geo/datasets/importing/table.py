"""Step 2 of an import: :class:`~.reading.RawTable` -> :class:`~.report.ImportReport`.

:func:`import_table` reads the upload (:func:`~.reading.read_table`), decides the year, the
criteria framework and the unit vintage, matches each row to a unit
(:mod:`ntm_geo.datasets.matching`), checks its values (:mod:`.rows`) and keeps every row not
imported with its reason. Nothing is saved here. The row loop stays one pass: its branches
(district headings, totals, other years, former units, suggestions, duplicates, two columns of
one field) share the per-table state they build.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from ntm_geo.criteria.detect import FrameworkChoice, choose_framework
from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.datasets import framework_indicators
from ntm_geo.datasets.importing import registry
from ntm_geo.datasets.importing.limits import (
    IMPORT_TIME_BUDGET_S,
    MAX_SUGGESTED_ROWS,
    ImportBudget,
    column_letter,
)
from ntm_geo.datasets.importing.notices import (
    check_provenance,
    choose_year,
    column_notices,
    indicator_notices,
    stop_notices,
    text_notices,
    year_notices,
    year_of,
)
from ntm_geo.datasets.importing.reading import RawTable, col_label, read_table, relabel_fields
from ntm_geo.datasets.importing.report import ImportReport, RowIssue
from ntm_geo.datasets.importing.rows import (
    DataRow,
    empty_table,
    has_data,
    merge_columns,
    parse_values,
    typed_table,
)
from ntm_geo.datasets.importing.units import decide_vintage, vintage_units
from ntm_geo.datasets.importing.values import BLANK, TOTAL_WORDS, clean_cell
from ntm_geo.datasets.matching import UnitIndex, is_district_heading, normalise_code
from ntm_geo.errors import DataError
from ntm_geo.geo.units import unit_type as unit_kind
from ntm_geo.geo.vintage_match import RowNotice
from ntm_geo.geo.vintages import RESOLUTION_2025, get_vintage, vintage_of_year


def _norm_code(text: str) -> str:
    return normalise_code(text) or ""


def import_table(
    data: bytes,
    filename: str,
    *,
    year: int | None = None,
    confirmed: Mapping[int, str] | None = None,
    units: pd.DataFrame | None = None,
    sheet: str | None = None,
    encoding: str | None = None,
    time_budget_s: float = IMPORT_TIME_BUDGET_S,
    framework: str | None = None,
    accept_illustrative: bool = False,
) -> ImportReport:
    """Read, match and check an uploaded table; returns the match report (nothing is saved).

    Parameters
    ----------
    data, filename
        The upload (see :func:`read_table`).
    year : int, optional
        The year of the table. Default: the single year of the 'Năm' column, else a single
        year in the title rows, else in the file name (a notice says so).
    confirmed : mapping, optional
        File row -> commune code the user confirmed (e.g. from :attr:`ImportReport.suggestions`)
        for rows that did not match; applied with rule ``"confirmed_suggestion"``.
    units : DataFrame, optional
        Unit table. Default: the units of the vintage the whole table is keyed by
        (:func:`ntm_geo.geo.vintage_match.detect_vintage`: 2015 or 2025, said in
        :attr:`ImportReport.vintage_vi`/``vintage_en``; see :func:`vintage_units`). A row of a
        2025 table naming a former commune is not imported: its issue names the 2025 unit it
        became part of and the resolution ("Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15").
    sheet, encoding
        Passed to :func:`read_table`.
    framework : str, optional
        Id of the criteria framework the table follows (default: chosen by the year and checked
        against the columns' criterion names, :func:`ntm_geo.criteria.detect.choose_framework`).
    time_budget_s : float
        Wall-clock budget of the whole import, seconds (:data:`IMPORT_TIME_BUDGET_S`).
    accept_illustrative : bool
        Import a table that is an export of the app's illustrative data (its provenance rows, or
        the illustrative note in its title, say so) knowingly; a notice says so. Default: refuse.

    Name suggestions are computed for the first :data:`MAX_SUGGESTED_ROWS` unmatched rows only
    (a notice says so when there are more).

    The framework's indicator columns the table has (``c04_2`` for indicator 4.2, by number or
    name: :mod:`ntm_geo.datasets.framework_indicators`) are read per their unit and range and
    kept in :attr:`ImportReport.table` (float64, after the registry's columns); a column naming
    an indicator the framework does not list is not imported and a notice names it
    (:func:`~.notices.indicator_notices`).

    Raises
    ------
    DataError
        File-level problems (see :func:`read_table`), several years without ``year``, no year,
        a table exported from illustrative data without ``accept_illustrative``, no framework
        for the year, a column naming a criterion of a framework numbered
        differently, or a criterion column beyond the framework's count (``TC11`` under the 10
        criteria of 51/2025), or the time budget spent.
    """
    budget = ImportBudget(filename, time_budget_s)
    raw = read_table(data, filename, sheet=sheet, encoding=encoding, budget=budget)
    provenance, notices = check_provenance(data, raw, accept_illustrative)
    year, year_choice = choose_year(raw, year)
    notices.extend(year_choice)
    choice = choose_framework(year, raw.headers, declared=framework, file=filename)
    # an indicator measured by a registry column (11.1 -> poverty_rate_pct) imports into that column
    raw = relabel_fields(raw, framework_indicators.linked_columns(choice.framework.id))
    keys = choice.framework.criterion_keys
    for c in CRITERION_COLUMNS[len(keys) :]:
        i = raw.column_of(c)
        if i is not None:
            header = raw.headers[i] or f"(cột {column_letter(i)})"
            fw = choice.framework
            raise DataError(
                f"{filename}: column '{header}' is criterion {int(c[1:])}, but Decision {fw.decision} "
                f"({fw.years[0]}–{fw.years[1]}, the framework of {year}) has {len(keys)} criteria. If the table "
                "is of another year, give that year; else use the template of this framework.",
                f"{filename}: cột '{header}' là tiêu chí {int(c[1:])}, nhưng QĐ {fw.decision} "
                f"({fw.years[0]}–{fw.years[1]}, bộ tiêu chí của năm {year}) chỉ có {len(keys)} tiêu chí. Nếu bảng "
                "là của năm khác, hãy ghi đúng năm; nếu không, hãy dùng mẫu của bộ tiêu chí này.",
                file=filename,
                column=header,
            )
    with budget.excluded():  # the reference units of both vintages (built once), not the file's work
        decision = decide_vintage(raw, year) if units is None else None
    vintage = decision.vintage if decision is not None else "2015"
    # former units are those gone by 2025: their notices concern tables on the 2025 units only
    former: dict[int, RowNotice] = (
        {n.row: n for n in decision.notices} if decision is not None and vintage == "2025" else {}
    )
    to_confirm = renamed_criteria(choice, raw.sheet)
    if decision is not None:  # the rows were matched against the vintage they name
        to_confirm += former_units_of_a_later_year(year, vintage, raw.sheet)
    with_districts = get_vintage(vintage).has_districts
    with budget.excluded():
        index = UnitIndex(vintage_units(vintage) if units is None else units)
    confirmed = dict(confirmed or {})
    # the framework's indicator columns the table has (c04_2 …); others are reported, not imported
    indicators = tuple(
        c
        for c in framework_indicators.indicator_columns(choice.framework.id)
        if raw.column_of(c.key) is not None
    )
    foreign = {f for f in raw.fields if f and framework_indicators.is_indicator_key(f)} - {
        c.key for c in indicators
    }
    columns = {
        h or f"(cột {column_letter(i)})": f
        for i, (h, f) in enumerate(zip(raw.headers, raw.fields, strict=True))
        if f and f not in foreign
    }
    notices.extend(stop_notices(budget.stops, raw.sheet))
    notices.extend(text_notices(raw))
    notices.extend(year_notices(raw, year))
    column_remarks, compared = column_notices(raw, keys)
    notices.extend(column_remarks)
    notices.extend(indicator_notices(raw, choice.framework))
    flag_fields = {*CRITERION_COLUMNS, *keys, *registry.FLAG_COLUMNS}

    matched, unmatched, duplicates, out_of_range, skipped, ignored = [], [], [], [], [], []
    suggestions: dict[int, list[tuple[str, str, float]]] = {}
    first_row: dict[str, int] = {}
    records = []
    taken_from: dict[tuple[int, int, str], list[int]] = {}  # (first, second, field) -> rows
    heading_district: str | None = None
    unmatched_named = 0
    for file_row, cells in raw.rows:
        budget.check(file_row, raw.sheet)
        if not any(c.strip() for c in cells):
            continue
        row = DataRow(raw, file_row, cells)
        code, name = row.get("commune_code").strip(), row.get("name").strip()
        code_known = bool(code) and index.has(_norm_code(code))
        if name and not code_known and is_district_heading(name):
            heading_district = name
            skipped.append(
                row.issue(
                    "name",
                    "dòng tiêu đề/tổng của huyện, không phải xã; tên huyện dùng cho các dòng "
                    "bên dưới không ghi huyện.",
                    "district heading or subtotal row, not a commune; "
                    "its district applies to the rows below that give none.",
                )
            )
            continue
        if name and not code_known and clean_cell(name).startswith(TOTAL_WORDS):
            skipped.append(row.issue("name", "dòng tổng cộng, không phải xã.", "total row, not a commune."))
            continue
        if not code and not name:
            if has_data(row):
                unmatched.append(
                    row.issue(
                        None,
                        "dòng có số liệu nhưng không có mã xã hay tên xã.",
                        "the row has values but neither a commune code nor a name.",
                    )
                )
            else:
                skipped.append(
                    row.issue(
                        None,
                        "dòng không có mã, tên hay số liệu (ghi chú, chữ ký…).",
                        "row with no code, name or values (a note, signature…).",
                    )
                )
            continue
        row_year = row.get("year").strip()
        if row_year and clean_cell(row_year) not in BLANK:
            y = year_of(row_year)
            if y is None:
                out_of_range.append(
                    row.issue("year", "năm không hợp lệ (cần 4 chữ số).", "not a valid 4-digit year.")
                )
                continue
            if y != year:
                skipped.append(
                    row.issue(
                        "year",
                        f"dòng của năm {y}, không phải năm đang nhập ({year}).",
                        f"row for year {y}, not the year being imported ({year}).",
                    )
                )
                continue
        district = row.get("district").strip() or row.get("district_code").strip() or heading_district
        if not with_districts:  # 2025 units have no district: a former district names nothing
            district = None
        found = index.match(
            code, name, district, row.get("unit_type"), suggest=unmatched_named < MAX_SUGGESTED_ROWS
        )
        rule = found.rule
        unit = found.commune_code
        if unit is None and file_row in confirmed:
            chosen = _norm_code(confirmed[file_row])
            if index.has(chosen):
                unit, rule = chosen, "confirmed_suggestion"
        if unit is None and file_row in former:
            moved = former[file_row]
            moved_field = "name" if name else "commune_code"
            unmatched.append(
                row.issue(
                    moved_field,
                    f"đơn vị cũ, không còn trong {get_vintage(vintage).label_vi}: {moved.message_vi}. Dòng "
                    "không được nhập; hãy ghi số liệu cho đơn vị mới.",
                    f"a former unit, not of the {get_vintage(vintage).label_en}: {moved.message_en}. The row is "
                    "not imported; give its values on the new unit.",
                    moved.value,
                )
            )
            notices.append(
                RowIssue(
                    file_row,
                    raw.sheet,
                    row.header(moved_field),
                    None,
                    moved.value,
                    moved.message_vi,
                    moved.message_en,
                )
            )
            unmatched_named += 1
            if found.suggestions:
                suggestions[file_row] = list(found.suggestions)
            continue
        if unit is None:
            blank_district: dict[str | None, str | None] = {
                "district": "district" if row.get("district").strip() else None
            }
            field_name = blank_district.get(found.column, found.column)
            unmatched.append(row.issue(field_name, found.reason_vi or "", found.reason_en or ""))
            unmatched_named += 1
            if found.suggestions:
                suggestions[file_row] = list(found.suggestions)
            continue
        row.code = unit
        if unit in first_row:
            duplicates.append(
                row.issue(
                    "commune_code" if code else "name",
                    f"trùng đơn vị {index.label(unit)} với dòng {first_row[unit]}; chỉ giữ dòng "
                    f"{first_row[unit]}.",
                    f"same unit ({index.label(unit)}) as row "
                    f"{first_row[unit]}; only row {first_row[unit]} is kept.",
                )
            )
            continue
        first_row[unit] = file_row
        if found.note_vi:
            notices.append(
                RowIssue(
                    file_row,
                    raw.sheet,
                    row.header("commune_code"),
                    unit,
                    code,
                    found.note_vi,
                    found.note_en or "",
                )
            )
        taken = merge_columns(row, compared, flag_fields, unit_kind(index.unit_type(unit)).assessed)
        unit_name = index.label(unit).split(" — ")[0]
        values = parse_values(row, index.unit_type(unit), keys, indicators, unit_name=unit_name)
        if row.issues:
            out_of_range.extend(row.issues)
            continue
        ignored.extend(row.ignored)  # a ward's criteria: the row is imported, these cells are not
        for pair in taken:
            taken_from.setdefault(pair, []).append(file_row)
        written = name or unit_name
        records.append({"commune_code": unit, "year": year, **values, "name_as_written": written})
        matched.append({"row": file_row, "commune_code": unit, "rule": rule, "name_as_written": written})

    notices.extend(taken_notices(raw, taken_from))
    if unmatched_named > MAX_SUGGESTED_ROWS:
        notices.append(
            RowIssue.about_table(
                raw.sheet,
                f"{unmatched_named} dòng không khớp: chỉ {MAX_SUGGESTED_ROWS} dòng đầu có gợi ý tên.",
                f"{unmatched_named} rows did not match: name suggestions are given for the first "
                f"{MAX_SUGGESTED_ROWS} only.",
            )
        )
    with_pop = raw.column_of("population") is not None
    with_group = raw.column_of("commune_group") is not None
    indicator_keys = tuple(c.key for c in indicators)
    table = (
        typed_table(pd.DataFrame(records)) if records else empty_table(with_pop, with_group, indicator_keys)
    )
    if not with_pop and "population" in table.columns:
        table = table.drop(columns="population")
    order = [
        *registry.TABLE_COLUMNS,
        *indicator_keys,
        "name_as_written",
        *(["population"] if with_pop else []),
        *(["commune_group"] if with_group else []),
    ]
    table = table[order]
    if framework:  # a declared framework travels with the table (the year's default needs no column)
        table = table.assign(framework_id=pd.Series([choice.framework.id] * len(table), dtype="string"))
    without = [c for c in index.codes() if c not in first_row]
    return ImportReport(
        file=filename,
        sheet=raw.sheet,
        year=year,
        table=table,
        matched=matched,
        unmatched=unmatched,
        duplicates=duplicates,
        units_without_row=sorted(without),
        out_of_range=out_of_range,
        ignored=ignored,
        suggestions=suggestions,
        encoding=raw.encoding,
        header_row=raw.header_row,
        skipped=skipped,
        notices=notices,
        columns=columns,
        raw=raw,
        framework_id=choice.framework.id,
        framework_reason_vi=choice.reason_vi,
        framework_reason_en=choice.reason_en,
        provenance=provenance,
        vintage=vintage,
        vintage_vi=decision.message("vi") if decision is not None else "",
        vintage_en=decision.message("en") if decision is not None else "",
        to_confirm=to_confirm,
    )


#: Rows listed by number in a notice of values taken from a second column (then "…").
MAX_ROWS_NAMED = 10


def taken_notices(raw: RawTable, taken_from: dict[tuple[int, int, str], list[int]]) -> list[RowIssue]:
    """One notice per (first column, second column) pair saying in which imported rows the first
    column was blank and the value was taken from the second (:func:`~.rows.merge_columns`)."""
    out = []
    for (i, j, f), rows in taken_from.items():
        first, second = col_label(raw, i), col_label(raw, j)
        named = ", ".join(map(str, rows[:MAX_ROWS_NAMED])) + (" …" if len(rows) > MAX_ROWS_NAMED else "")
        out.append(
            RowIssue.about_table(
                raw.sheet,
                f"cột «{first}» trống ở {len(rows)} dòng ({named}): giá trị {f} lấy từ cột «{second}».",
                f"column «{first}» is blank in {len(rows)} row(s) ({named}): the value of {f} is taken from "
                f"column «{second}».",
                column=second,
            )
        )
    return out


def renamed_criteria(choice: FrameworkChoice, sheet: str | None) -> list[RowIssue]:
    """One issue to confirm per column named after a criterion of another framework numbered
    alike (:attr:`~ntm_geo.criteria.detect.FrameworkChoice.renamed`: "TC7. Chợ nông thôn" of
    491/342 in a 2016 table, read as criterion 7 of 1980): the editor confirms the column means
    that criterion before the table is saved (finding 10 of trial 6)."""
    fw = choice.framework
    return [
        RowIssue.about_table(
            sheet,
            f"{vi}. Hãy xác nhận cột này đúng là tiêu chí đó của QĐ {fw.decision}; nếu bảng theo bộ "
            "tiêu chí khác, hãy ghi đúng năm hoặc dùng mẫu của bộ tiêu chí của năm.",
            f"{en}. Confirm the column is that criterion of Decision {fw.decision}; if the table follows "
            "another framework, give its right year or use the template of the year's framework.",
            column=header,
        )
        for header, vi, en in choice.renamed
    ]


def former_units_of_a_later_year(year: int, vintage: str, sheet: str | None) -> list[RowIssue]:
    """The issue to confirm when a table of a year on the 2025 units (2026 on,
    :func:`~ntm_geo.geo.vintages.vintage_of_year`) is keyed by the 2015 units — units that no
    longer exist that year (finding 4 of trial 6); empty otherwise. It offers what exists: the
    template of the year (65 units, commune groups) and, for data truly on the former units, the
    map on the 2025 units (``units=2025``), which carries them through the crosswalk
    (:mod:`ntm_geo.datasets.carry`)."""
    expected = vintage_of_year(year)
    if vintage == expected or expected != "2025":  # a table of a year before 2026 may name either
        return []
    got, want = get_vintage(vintage), get_vintage(expected)
    return [
        RowIssue.about_table(
            sheet,
            f"Bảng năm {year} được khớp với {got.label_vi}, nhưng các đơn vị này không còn vào năm {year}: "
            f"từ 01/7/2025 tỉnh có {want.label_vi} (Nghị quyết {RESOLUTION_2025}). Nếu lưu, số liệu năm "
            f"{year} sẽ gắn với các đơn vị cũ (không có nhóm xã, nên ngưỡng theo nhóm xã của bộ tiêu chí "
            f"không áp dụng được). Nên tải mẫu năm {year} ({want.unit_count} đơn vị, có cột «Nhóm xã») và "
            "điền lại. Nếu đây đúng là số liệu theo đơn vị cũ: xác nhận để lưu, rồi xem trên đơn vị 2025 "
            "ở trang Bản đồ (liên kết units=2025): số liệu được chuyển qua bảng tương ứng đơn vị cũ–mới "
            "(tỷ lệ bình quân theo dân số, tiêu chí ghi «k trên n xã cũ đạt»).",
            f"The {year} table matched the {got.label_en}, but these units no longer exist in {year}: "
            f"since 1 July 2025 the province has {want.label_en} (Resolution {RESOLUTION_2025}). Saved, "
            f"the {year} values would sit on former units (with no commune groups, so the framework's "
            f"commune-group thresholds cannot apply). Better: download the {year} template "
            f"({want.unit_count} units, with a «Nhóm xã» column) and fill it in again. If these are truly "
            "values on the former units: confirm to save, then view them on the 2025 units on the Map page "
            "(link units=2025): they are carried through the former-to-new unit crosswalk (rates "
            "population-weighted, criteria read «k of n former communes met»).",
            column=None,
        )
    ]
