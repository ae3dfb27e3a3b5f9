"""Table-level decisions and remarks of an import: the year, text conversions, provenance, columns.

The year (given, the 'Năm' column, the title rows or the file name), a notice when report
48/BC-BCĐ has no figures for it, notices of text the reader converted, the refusal (or the
knowing acceptance) of an export of the app's illustrative data, and remarks on the columns
(missing criteria, two columns for one field, columns not recognised, indicator columns of
another framework).
"""

from __future__ import annotations

import re

from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.criteria.frameworks import Framework, all_frameworks
from ntm_geo.datasets import framework_indicators
from ntm_geo.datasets.importing import registry
from ntm_geo.datasets.importing.limits import EMPTY_RUN_END, column_letter, file_error
from ntm_geo.datasets.importing.reading import RawTable, col_label
from ntm_geo.datasets.importing.report import RowIssue
from ntm_geo.datasets.provenance import (
    Provenance,
    has_illustrative_note,
    illustrative_title,
    read_provenance,
)

_YEAR_RE = re.compile(r"(?<!\d)(20[0-4]\d|19[5-9]\d)(?!\d)")


def year_of(text: str) -> int | None:
    """A 4-digit year cell ("2015", "2015.0") -> 2015; None for anything else."""
    t = re.sub(r"\.0+$", "", str(text).strip())
    return int(t) if re.fullmatch(r"(19|20)\d\d", t) else None


def choose_year(raw: RawTable, year: int | None) -> tuple[int, list[RowIssue]]:
    """The table's year and a notice saying where it came from: ``year`` when given, else the single
    year of the 'Năm' column, else a single year in the title rows, else in the file name.

    Raises DataError for several years in the column, or none found anywhere."""
    if year is not None:
        return int(year), []
    col = raw.column_of("year")
    if col is not None:
        years = sorted({y for _, cells in raw.rows if (y := year_of(cells[col])) is not None})
        if len(years) == 1:
            return years[0], []
        if len(years) > 1:
            listed = ", ".join(map(str, years))
            raise file_error(
                raw.file,
                f"the file has rows for several years ({listed}); import one year at a time "
                "(choose the year; --year on the command line).",
                f"tệp có dòng của nhiều năm ({listed}); "
                "hãy nhập từng năm một (chọn năm; --year khi dùng dòng lệnh).",
                sheet=raw.sheet,
                column=raw.headers[col],
            )
    for where_vi, where_en, texts in (
        ("dòng tiêu đề", "title row", raw.title),
        ("tên tệp", "file name", (raw.file,)),
    ):
        found = sorted({int(y) for t in texts for y in _YEAR_RE.findall(t)})
        if len(found) == 1:
            note = RowIssue.about_table(
                raw.sheet,
                f"năm {found[0]} lấy từ {where_vi}; nếu sai, hãy chọn năm.",
                f"year {found[0]} taken from the {where_en}; choose the year if it is wrong.",
                value=str(found[0]),
            )
            return found[0], [note]
    raise file_error(
        raw.file,
        "no year: add a 'Năm' (year) column or give the year (--year on the command line).",
        "không có năm: hãy thêm cột 'Năm' hoặc chọn năm (--year khi dùng dòng lệnh).",
        sheet=raw.sheet,
    )


def year_notices(raw: RawTable, year: int) -> list[RowIssue]:
    """A notice when report 48/BC-BCĐ has no figures for ``year``: its checks cannot run."""
    from ntm_geo.criteria.report_check import report_years

    known = report_years()
    if year in known:
        return []
    years = ", ".join(map(str, known))
    return [
        RowIssue.about_table(
            raw.sheet,
            f"Báo cáo 48/BC-BCĐ không có số liệu năm {year} (chỉ có năm {years}): không đối chiếu được số "
            "xã đạt từng tiêu chí, số xã theo nhóm số tiêu chí đạt, số tiêu chí bình quân một xã, tỷ lệ hộ "
            "nghèo và các chỉ tiêu hạ tầng với báo cáo. Số liệu vẫn nhập được; hãy kiểm tra năm.",
            f"report 48/BC-BCĐ has no figures for {year} (only for {years}): the checks of criteria met "
            "per criterion, communes by number of criteria met, mean criteria per commune, poverty rate "
            "and infrastructure against the report cannot run. The table still imports; check the year.",
            value=str(year),
        )
    ]


def text_notices(raw: RawTable) -> list[RowIssue]:
    """Notices of text the reader converted: TCVN3 letters, double-encoded UTF-8 repaired."""
    out = []
    if raw.encoding == "tcvn3" or raw.tcvn3_cells:
        out.append(
            RowIssue.about_table(
                raw.sheet,
                "tệp gõ bằng phông TCVN3 (ABC, .VnTime), đã chuyển sang Unicode; hãy kiểm tra tên xã.",
                "the file was typed with a TCVN3 (ABC, .VnTime) font and was converted to Unicode; "
                "check the commune names.",
            )
        )
    if raw.repaired:
        row, col, before, after = raw.repaired[0]
        n = len(raw.repaired)
        below_header = row >= raw.header_row + raw.header_lines and col < len(raw.headers)
        out.append(
            RowIssue(
                row,
                raw.sheet,
                col_label(raw, col)
                if below_header
                else f"(cột {column_letter(col)})",  # a data cell: its header
                None,
                before,
                f"tệp bị lưu sai bảng mã (chữ UTF-8 bị đọc theo bảng mã Windows-1252/1258 rồi lưu lại): đã "
                f"sửa {n} ô, ví dụ «{before}» → «{after}». Hãy kiểm tra tên xã, và lần sau lưu dạng 'CSV UTF-8'.",
                f"the file was saved with the wrong encoding (UTF-8 text read as Windows-1252/1258 and saved "
                f"again): {n} cell(s) repaired, e.g. «{before}» → «{after}». Check the commune names, and "
                "save as 'CSV UTF-8' next time.",
            )
        )
    return out


def check_provenance(
    data: bytes, raw: RawTable, accept_illustrative: bool
) -> tuple[Provenance | None, list[RowIssue]]:
    """The upload's provenance; refuses (or, accepted, notes) an export of illustrative data."""
    provenance = read_provenance(data, raw.file)
    if provenance is None and (illustrative_title(raw.title) or has_illustrative_note(data, raw.file)):
        provenance = Provenance(illustrative=True)
    if provenance is None or not provenance.illustrative:
        return provenance, []
    what_vi = f"bộ dữ liệu «{provenance.dataset_id}»" if provenance.dataset_id else "dữ liệu minh họa"
    what_en = f"dataset «{provenance.dataset_id}»" if provenance.dataset_id else "the illustrative data"
    when_vi = f", xuất lúc {provenance.exported_at}" if provenance.exported_at else ""
    when_en = f", exported {provenance.exported_at}" if provenance.exported_at else ""
    if not accept_illustrative:
        raise file_error(
            raw.file,
            f"this table is an export of the app's ILLUSTRATIVE data ({what_en}{when_en}): its values "
            "are generated by a model, not the province's figures, so it is not imported as province "
            "data. To import it anyway (e.g. to test), say so knowingly: --accept-illustrative on the "
            "command line, or the box 'Import an export of the illustrative data knowingly' on the data page.",
            f"bảng này được xuất từ DỮ LIỆU MINH HỌA của ứng dụng ({what_vi}{when_vi}): số liệu do mô "
            "hình sinh ra, không phải số liệu của tỉnh, nên không được nhập như số liệu của tỉnh. Nếu vẫn "
            "muốn nhập (ví dụ để thử), hãy xác nhận rõ: --accept-illustrative khi dùng dòng lệnh, hoặc ô "
            "'Nhập có chủ ý bảng xuất từ dữ liệu minh họa' trên trang Dữ liệu.",
            sheet=raw.sheet,
        )
    notice = RowIssue.about_table(
        raw.sheet,
        f"bảng được xuất từ dữ liệu minh họa ({what_vi}{when_vi}) và được nhập theo xác nhận của người "
        "dùng: số liệu này không phải số liệu thật của tỉnh.",
        f"the table is an export of illustrative data ({what_en}{when_en}), imported as the user "
        "confirmed: these values are not the province's real figures.",
        value=provenance.dataset_id or None,
    )
    return provenance, [notice]


def column_notices(raw: RawTable, keys: tuple[str, ...]) -> tuple[list[RowIssue], list[tuple[int, int, str]]]:
    """Remarks on the table's columns, and the pairs of columns to compare row by row.

    Notices: criterion columns of the framework (``keys``) missing while others are there; a
    second column naming a field an earlier one names (a value field: compared row by row; an
    identification field: only the first is used); columns not recognised (not imported).
    The pairs are ``(first column, second column, field)`` for the value fields.
    """
    notices: list[RowIssue] = []
    missing = [c for c in keys if raw.column_of(c) is None]
    if 0 < len(missing) < len(keys):
        notices.append(
            RowIssue.about_table(
                raw.sheet,
                f"tệp thiếu cột tiêu chí {', '.join(missing)}: các tiêu chí này để trống (không có số "
                "liệu) và số tiêu chí đạt lấy theo cột của tệp.",
                f"the file lacks criterion column(s) {', '.join(missing)}: they are left blank (no "
                "data) and the criteria count is taken from the file's column.",
                value=", ".join(missing),
            )
        )
    value_fields = {
        *CRITERION_COLUMNS,
        *keys,
        "criteria_met",
        *registry.PCT_COLUMNS,
        *registry.INDICATOR_COLUMNS,
        *registry.FLAG_COLUMNS,
        "population",
        "year",
        *(f for f in raw.fields if f and framework_indicators.is_indicator_key(f)),
    }
    compared: list[tuple[int, int, str]] = []  # (first column, second column, field)
    for j, i in enumerate(raw.same_as):
        if i is None:
            continue
        f = raw.same_fields[j]
        first, second = col_label(raw, i), col_label(raw, j)
        if f in value_fields:
            compared.append((i, j, f))
            vi = (
                f"cột «{second}» cho cùng số liệu với cột «{first}» ({f}): hai cột được so từng dòng; ô trống "
                "ở một cột lấy giá trị của cột kia; dòng nào hai cột có hai giá trị khác nhau thì không nhập "
                "(trừ tiêu chí của phường, thị trấn: bỏ qua, không so)."
            )
            en = (
                f"column «{second}» gives the same field as column «{first}» ({f}): the two are compared row by row; "
                "a blank cell in one takes the other's value; a row where they give two different values is not "
                "imported (except a ward's or township's criteria: ignored, not compared)."
            )
        else:
            vi = f"cột «{second}» cho cùng thông tin với cột «{first}» ({f}): chỉ dùng cột «{first}» để khớp đơn vị."
            en = f"column «{second}» gives the same field as column «{first}» ({f}): only «{first}» is used for matching."
        notices.append(RowIssue.about_table(raw.sheet, vi, en, column=second))
    for i, (h, f) in enumerate(zip(raw.headers, raw.fields, strict=True)):
        if i < len(raw.same_as) and raw.same_as[i] is not None:
            continue
        if f is None and (h.strip() or any(cells[i].strip() for _, cells in raw.rows)):
            label = h.strip() or f"(cột {column_letter(i)})"
            notices.append(
                RowIssue.about_table(
                    raw.sheet,
                    "cột không nhận ra, không nhập.",
                    "column not recognised; not imported.",
                    column=label,
                )
            )

    return notices, compared


def _span(fw: Framework) -> str:
    return f"{fw.years[0]}–{fw.years[1]}"


def indicator_notices(raw: RawTable, fw: Framework) -> list[RowIssue]:
    """One notice per column naming an indicator (``c10_1``, "Chỉ tiêu 10.1", its name) that the
    table's framework ``fw`` does not list: it is not imported, and the notice says which
    frameworks list it (or that none does) and how to have it read (the year, or a framework
    file of the province that lists it)."""
    listed = {ind.key for ind in fw.indicators}
    owners = framework_indicators.known_indicator_keys()
    by_id = {f.id: f for f in all_frameworks()}
    notices = []
    for i, f in enumerate(raw.fields):
        if not f or not framework_indicators.is_indicator_key(f) or f in listed:
            continue
        number = framework_indicators.indicator_number(f)
        others = [by_id[o] for o in owners.get(f, ()) if o in by_id]
        if others:
            of_vi = "; ".join(f"QĐ {o.decision} ({_span(o)})" for o in others)
            of_en = "; ".join(f"Decision {o.decision} ({_span(o)})" for o in others)
            what_vi, what_en = f"là chỉ tiêu {number} của {of_vi}", f"is indicator {number} of {of_en}"
        else:
            what_vi = f"là chỉ tiêu {number}, không có trong tệp bộ tiêu chí nào"
            what_en = f"is indicator {number}, listed in no framework file"
        notices.append(
            RowIssue.about_table(
                raw.sheet,
                f"cột {what_vi}, nhưng bảng được đọc theo QĐ {fw.decision} ({_span(fw)}), bộ tiêu chí không "
                f"liệt kê chỉ tiêu {number}: cột không được nhập. Nếu bảng là của năm khác, hãy ghi đúng năm; "
                "nếu tỉnh theo dõi chỉ tiêu này, hãy thêm nó vào tệp bộ tiêu chí của tỉnh (NTM_GEO_FRAMEWORKS_DIR).",
                f"the column {what_en}, but the table is read under Decision {fw.decision} ({_span(fw)}), "
                f"which lists no indicator {number}: the column is not imported. If the table is of another "
                "year, give that year; if the province tracks this indicator, add it to the province's "
                "framework file (NTM_GEO_FRAMEWORKS_DIR).",
                column=col_label(raw, i),
            )
        )
    return notices


def stop_notices(stops: list[tuple[str | None, int]], sheet: str | None) -> list[RowIssue]:
    """The notice that reading stopped at a run of :data:`~.limits.EMPTY_RUN_END` empty rows on the
    table's sheet while the sheet went on below (``stops``: :attr:`~.limits.ImportBudget.stops`)."""
    return [
        RowIssue(
            row,
            sheet,
            None,
            None,
            None,
            f"đọc dừng ở dòng {row:,}".replace(",", ".")
            + f" sau {EMPTY_RUN_END:,}".replace(",", ".")
            + " dòng trống liên tiếp; trang tính còn dòng bên dưới (có thể chỉ là định dạng). "
            "Nếu có số liệu ở dưới, hãy chuyển nó lên sát bảng.",
            f"reading stopped at row {row:,} after {EMPTY_RUN_END:,} empty rows in a row; the sheet goes on "
            "below (perhaps formatting only). If data lies below, move it up next to the table.",
        )
        for stop_sheet, row in stops
        if stop_sheet == sheet
    ]
