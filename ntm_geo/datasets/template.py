"""Import templates: an Excel workbook and a CSV with one row per unit, ready to fill in.

The workbook (:func:`template_xlsx`, openpyxl) has a data sheet — title rows, a Vietnamese
header line over an English one, one row per unit (226) pre-filled with GSO code, district,
type, name and year — and an instructions sheet (Vietnamese, then English). Excel data
validation guards the cells: criteria take ``1, 0, Đạt, Chưa đạt``; percentages are decimals
0–100; the two yes/no indicators take ``1, 0``; the year is a whole number. Criteria cells of
phường and thị trấn (not assessed) are grey and locked (the sheet is protected without a
password, so only those cells and the pre-filled identity cells are locked). The number of
criteria met is not asked: the import computes it from the 19 columns.

Both templates import unchanged through :func:`ntm_geo.datasets.importing.import_table`.
"""

from __future__ import annotations

import csv
import io

from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError
from ntm_geo.geo.units import UNIT_TYPES, official_units

#: Fixed columns before the criteria: (Vietnamese header, English header, width).
ID_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("Mã xã (GSO)", "Commune code (GSO)", 12),
    ("Huyện/thành phố", "District", 22),
    ("Loại đơn vị", "Unit type", 11),
    ("Tên đơn vị", "Name", 26),
    ("Năm", "Year", 7),
)
NOTES_HEADER = ("Ghi chú", "Notes")


def indicator_columns() -> tuple[tuple[str, str, str], ...]:
    """Columns after the criteria: (Vietnamese header, English header, kind ``pct``/``flag``/``text``).

    The template's indicators and flags of the schema registry (:mod:`ntm_geo.datasets.schema`,
    ``in_template``), in registry order, then a free-text notes column.
    """
    cols = tuple(
        (c.header.vi, c.header.en, "pct")
        if c.unit == "%"
        else (f"{c.header.vi} (1/0)", f"{c.header.en} (1/0)", "flag")
        for c in schema.value_columns()
        if c.in_template
    )
    return (*cols, (*NOTES_HEADER, "text"))


HEADER_ROW = 4  # Vietnamese line; English on HEADER_ROW + 1; data from HEADER_ROW + 2
CRITERIA_LIST = '"1,0,Đạt,Chưa đạt"'
LANGS = ("vi", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "data_sheet": ("Dữ liệu", "Data"),
    "help_sheet": ("Hướng dẫn", "Instructions"),
    "title": (
        "KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI THEO XÃ — TỈNH LẠNG SƠN — NĂM {year}",
        "NEW RURAL DEVELOPMENT RESULTS BY COMMUNE — LẠNG SƠN PROVINCE — {year}",
    ),
    "subtitle": (
        "Mẫu nhập liệu ntm-geo: xem trang «Hướng dẫn» trước khi điền. / ntm-geo import template: read the "
        "«Instructions» sheet first.",
        "ntm-geo import template: read the «Instructions» sheet first. / Mẫu nhập liệu ntm-geo: xem trang "
        "«Hướng dẫn» trước khi điền.",
    ),
}

INSTRUCTIONS_VI: tuple[str, ...] = (
    "HƯỚNG DẪN ĐIỀN MẪU (tiếng Việt)",
    "1. Mỗi dòng là một xã, phường, thị trấn (226 đơn vị). Không sửa mã xã, huyện, loại đơn vị, tên đơn vị; "
    "không thêm hoặc xóa dòng.",
    "2. Cột «Năm»: năm của số liệu (đã điền sẵn).",
    "3. 19 tiêu chí (TC1–TC19): ghi 1 (hoặc «Đạt») nếu đạt, 0 (hoặc «Chưa đạt») nếu chưa đạt. Với mỗi xã, điền "
    "đủ 19 tiêu chí hoặc để trống cả 19 nếu chưa có số liệu. Không để trống thay cho «chưa đạt».",
    "4. Phường và thị trấn không đánh giá theo bộ tiêu chí nông thôn mới: các ô tiêu chí tô xám và bị khóa, để trống.",
    "5. Số tiêu chí đạt được tính tự động khi nhập từ 19 cột tiêu chí.",
    "6. Các tỷ lệ (%) ghi số từ 0 đến 100, ví dụ 11,9 hoặc 11.9. Ô trống nghĩa là không có số liệu (không phải 0).",
    "7. «Đường ô tô 4 mùa» và «Xã đặc biệt khó khăn»: 1 = có, 0 = không, trống = không có số liệu.",
    "8. Lưu tệp dạng Excel (.xlsx) rồi tải lên trang «Dữ liệu» của ứng dụng, hoặc chạy: "
    "python -m ntm_geo import-table TEN_TEP.xlsx --year NĂM. Báo cáo đối chiếu được hiện trước khi lưu.",
)
INSTRUCTIONS_EN: tuple[str, ...] = (
    "HOW TO FILL IN THE TEMPLATE (English)",
    "1. One row per commune-level unit (226). Do not change the code, district, type or name; do not add or "
    "delete rows.",
    "2. «Năm / Year»: the year of the data (pre-filled).",
    "3. The 19 criteria (TC1–TC19): 1 (or «Đạt») when met, 0 (or «Chưa đạt») when not. For each xã fill all 19, "
    "or leave all 19 blank when there is no data. Never leave a cell blank to mean «not met».",
    "4. Wards (phường) and townships (thị trấn) are not assessed against the NTM criteria: their criteria cells "
    "are grey and locked; leave them blank.",
    "5. The number of criteria met is computed from the 19 columns when the file is imported.",
    "6. Percentages (%) are numbers from 0 to 100, e.g. 11,9 or 11.9. A blank cell means no data (not 0).",
    "7. «All-season car road» and «Especially difficult commune»: 1 = yes, 0 = no, blank = no data.",
    "8. Save as Excel (.xlsx) and upload it on the app's «Data» page, or run: "
    "python -m ntm_geo import-table FILE.xlsx --year YEAR. A match report is shown before anything is saved.",
)


def _check_lang(lang: str) -> int:
    if lang not in LANGS:
        raise ConfigError(
            f"Unknown language {lang!r}; allowed: {', '.join(LANGS)}.",
            f"Ngôn ngữ không hợp lệ {lang!r}; các giá trị hợp lệ: {', '.join(LANGS)}.",
        )
    return LANGS.index(lang)


def headers() -> list[tuple[str, str]]:
    """(Vietnamese, English) header of every template column, in order."""
    crit = [(c.header.vi, c.header.en) for c in schema.criterion_columns()]
    return [(vi, en) for vi, en, _ in ID_COLUMNS] + crit + [(vi, en) for vi, en, _ in indicator_columns()]


def _unit_rows(year: int) -> list[list[object]]:
    units = official_units()
    return [
        [code, district, UNIT_TYPES[kind][0], name, year]
        for code, district, kind, name in zip(
            units["commune_code"],
            units["district_name"],
            units["unit_type"],
            units["name_with_type"],
            strict=True,
        )
    ]


def template_xlsx(year: int, lang: str = "vi") -> bytes:
    """The Excel template (.xlsx bytes) for ``year``.

    Parameters
    ----------
    year : int
        Pre-filled in the «Năm» column and the title.
    lang : {"vi", "en"}
        Language of the sheet names and title; headers are always Vietnamese over English and
        the instructions Vietnamese then English.

    Raises
    ------
    ConfigError
        Unknown ``lang``.
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill, Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    li = _check_lang(lang)
    book = Workbook()
    ws = book.active
    ws.title = TEXTS["data_sheet"][li]
    cols = headers()
    n_id, n_crit = len(ID_COLUMNS), len(schema.criterion_columns())
    last = get_column_letter(len(cols))
    ws["A1"] = TEXTS["title"][li].format(year=year)
    ws["A1"].font = Font(bold=True, size=13)
    ws.merge_cells(f"A1:{last}1")
    ws["A2"] = TEXTS["subtitle"][li]
    ws["A2"].font = Font(italic=True)
    ws.merge_cells(f"A2:{last}2")
    grey = PatternFill("solid", fgColor="D9D9D9")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    for j, (vi, en) in enumerate(cols, start=1):
        top = ws.cell(HEADER_ROW, j, vi)
        low = ws.cell(HEADER_ROW + 1, j, en)
        top.font, low.font = Font(bold=True), Font(italic=True, color="555555")
        top.fill = low.fill = head_fill
        top.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        low.alignment = Alignment(wrap_text=True, vertical="top", horizontal="center")
        top.comment = Comment(en, "ntm-geo")
        width = ID_COLUMNS[j - 1][2] if j <= n_id else (9 if j <= n_id + n_crit else 16)
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[HEADER_ROW].height = 60
    ws.row_dimensions[HEADER_ROW + 1].height = 45

    crit_first, crit_last = get_column_letter(n_id + 1), get_column_letter(n_id + n_crit)
    dv_crit = DataValidation(
        type="list",
        formula1=CRITERIA_LIST,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tiêu chí / Criterion",
        error="Ghi 1, 0, Đạt hoặc Chưa đạt. / Enter 1, 0, Đạt or Chưa đạt.",
    )
    dv_pct = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tỷ lệ % / Percentage",
        error="Ghi số từ 0 đến 100. / Enter a number from 0 to 100.",
    )
    dv_flag = DataValidation(
        type="list",
        formula1='"1,0"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Có/không / Yes/no",
        error="Ghi 1 hoặc 0. / Enter 1 or 0.",
    )
    dv_year = DataValidation(
        type="whole",
        operator="between",
        formula1="2000",
        formula2="2100",
        allow_blank=False,
        showErrorMessage=True,
        errorTitle="Năm / Year",
        error="Năm 4 chữ số. / A 4-digit year.",
    )
    for dv in (dv_crit, dv_pct, dv_flag, dv_year):
        ws.add_data_validation(dv)
    units = official_units()
    first = HEADER_ROW + 2
    unlocked = Protection(locked=False)
    for i, (values, kind) in enumerate(zip(_unit_rows(year), units["unit_type"], strict=True)):
        r = first + i
        for j, value in enumerate(values, start=1):
            cell = ws.cell(r, j, value)
            if j == 1:
                cell.number_format = "@"
        ws.cell(r, n_id).protection = unlocked  # year
        for j in range(n_id + 1, n_id + n_crit + 1):
            cell = ws.cell(r, j)
            cell.alignment = Alignment(horizontal="center")
            if kind == "xa":
                cell.protection = unlocked
            else:
                cell.fill = grey
        for j in range(n_id + n_crit + 1, len(cols) + 1):
            ws.cell(r, j).protection = unlocked
        if kind == "xa":
            dv_crit.add(f"{crit_first}{r}:{crit_last}{r}")
    end = first + len(units) - 1
    indicators = indicator_columns()
    ind = [n_id + n_crit + 1 + k for k in range(len(indicators))]
    for j, (_, _, kind) in zip(ind, indicators, strict=True):
        letter = get_column_letter(j)
        if kind == "pct":
            dv_pct.add(f"{letter}{first}:{letter}{end}")
            for r in range(first, end + 1):
                ws.cell(r, j).number_format = "0.0"
        elif kind == "flag":
            dv_flag.add(f"{letter}{first}:{letter}{end}")
    year_letter = get_column_letter(n_id)
    dv_year.add(f"{year_letter}{first}:{year_letter}{end}")
    ws.freeze_panes = ws.cell(first, n_id + 1)
    ws.protection.sheet = True
    for option in ("formatColumns", "formatRows", "formatCells", "autoFilter", "sort"):
        setattr(ws.protection, option, False)

    help_ws = book.create_sheet(TEXTS["help_sheet"][li])
    help_ws.column_dimensions["A"].width = 120
    lines = [*INSTRUCTIONS_VI, "", *INSTRUCTIONS_EN]
    for i, line in enumerate(lines, start=1):
        cell = help_ws.cell(i, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if line.isupper() or line.startswith(("HƯỚNG", "HOW")):
            cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_csv(year: int) -> bytes:
    """The CSV template for ``year``: UTF-8 with BOM (Excel shows Vietnamese correctly), comma-
    separated, Vietnamese header line, one row per unit with code, district, type, name, year."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    cols = headers()
    writer.writerow([vi for vi, _ in cols])
    for values in _unit_rows(year):
        writer.writerow([*values, *[""] * (len(cols) - len(values))])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
