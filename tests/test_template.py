"""Import templates: Excel (validation, locked cells, instructions) and CSV; a filled template imports."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.criteria.frameworks import framework
from ntm_geo.datasets import framework_indicators
from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.datasets.template import (
    GROUP_COLUMN,
    HEADER_ROW,
    ID_COLUMNS,
    ID_COLUMNS_2025,
    headers,
    indicator_columns,
    template_csv,
    template_xlsx,
)
from ntm_geo.errors import ConfigError
from ntm_geo.geo.vintages import units_2025

FIRST = HEADER_ROW + 2
FIELDS = [
    "commune_code",
    "district",
    "unit_type",
    "name",
    "year",
    *CRITERION_COLUMNS,
    "poverty_rate_pct",
    "road_hardened_pct",
    "electricity_hh_pct",
    "irrigated_cropland_pct",
    "hygienic_water_hh_pct",
    "car_access_all_season",
    "especially_difficult",
    "notes",
]


@pytest.fixture(scope="module")
def book_bytes() -> bytes:
    return template_xlsx(2015)


@pytest.fixture(scope="module")
def book(book_bytes):
    return openpyxl.load_workbook(io.BytesIO(book_bytes))


def test_layout_and_prefilled_units(book):
    assert book.sheetnames == ["Dữ liệu", "Hướng dẫn"]
    ws = book["Dữ liệu"]
    assert "NĂM 2015" in ws["A1"].value
    assert (
        ws.cell(HEADER_ROW, 1).value == "Mã xã (GSO)"
        and ws.cell(HEADER_ROW + 1, 1).value == "Commune code (GSO)"
    )
    assert (
        ws.cell(HEADER_ROW, 6).value == "TC1. Quy hoạch" and ws.cell(HEADER_ROW + 1, 6).value == "C1 Planning"
    )
    assert ws.max_column == len(ID_COLUMNS) + 19 + len(indicator_columns(framework("qd491_342")))
    rows = [[ws.cell(r, j).value for j in range(1, 6)] for r in range(FIRST, FIRST + 226)]
    assert rows[0] == ["05971", "Thành phố Lạng Sơn", "Phường", "Phường Hoàng Văn Thụ", 2015]
    assert len({r[0] for r in rows}) == 226 and ws.cell(FIRST + 226, 1).value is None
    assert ws.cell(FIRST, 1).number_format == "@"  # codes stay text (leading zero)


def test_data_validation(book):
    ws = book["Dữ liệu"]
    rules = {dv.formula1: dv for dv in ws.data_validations.dataValidation}
    crit = rules['"1,0,Đạt,Chưa đạt"']
    assert crit.type == "list"
    pct = next(dv for dv in ws.data_validations.dataValidation if dv.type == "decimal")
    assert (pct.operator, pct.formula1, pct.formula2) == ("between", "0", "100")
    # the registry's five percentages, then 491/342's own indicators in % (2.1-2.3, 12.1); 4.2,
    # 11.1 and 17.1 are the registry's electricity, poverty and hygienic-water columns
    assert str(pct.sqref) == (
        "Y6:Y231 Z6:Z231 AA6:AA231 AB6:AB231 AC6:AC231 AF6:AF231 AG6:AG231 AH6:AH231 AK6:AK231"
    )
    assert rules['"1,0"'].type == "list"
    # criteria validation only on xã rows (row 6 is Phường Hoàng Văn Thụ)
    sqref = str(crit.sqref)
    assert "F6:X6" not in sqref  # Phường Hoàng Văn Thụ: not assessed
    xa_row = next(r for r in range(FIRST, FIRST + 226) if ws.cell(r, 3).value == "Xã")
    assert f"F{xa_row}:X{xa_row}" in sqref


def test_not_assessed_cells_are_grey_and_locked(book):
    ws = book["Dữ liệu"]
    assert ws.protection.sheet is True
    phuong, xa = FIRST, next(r for r in range(FIRST, FIRST + 226) if ws.cell(r, 3).value == "Xã")
    assert ws.cell(phuong, 6).protection.locked is True and ws.cell(phuong, 6).fill.fgColor.rgb.endswith(
        "D9D9D9"
    )
    assert ws.cell(xa, 6).protection.locked is False
    assert ws.cell(phuong, 1).protection.locked is True  # the code cannot be edited
    assert ws.cell(phuong, 25).protection.locked is False  # poverty is asked of every unit


def test_instructions_vietnamese_then_english(book):
    lines = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    assert lines[0].startswith("HƯỚNG DẪN")
    english = next(i for i, line in enumerate(lines) if line.startswith("HOW TO FILL"))
    assert english > 5 and "Phường và thị trấn" in " ".join(lines[:english])


def test_english_workbook_names_and_unknown_lang():
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(2011, lang="en")))
    assert book.sheetnames == ["Data", "Instructions"]
    assert book["Data"].cell(HEADER_ROW, 1).value == "Mã xã (GSO)"  # headers stay Vietnamese first
    with pytest.raises(ConfigError, match="Unknown language 'fr'; allowed: vi, en"):
        template_xlsx(2015, lang="fr")


def test_empty_templates_import_with_226_units_and_no_data(book_bytes):
    for data, name in ((book_bytes, "mau.xlsx"), (template_csv(2015), "mau.csv")):
        report = import_table(data, name)
        assert report.ok_rows() == 226 and report.year == 2015
        assert report.unmatched == [] and report.out_of_range == [] and report.notices == []
        assert report.table[list(CRITERION_COLUMNS)].isna().all().all()  # blank = no data, never 0
        assert report.table["poverty_rate_pct"].isna().all()


def test_csv_template_is_utf8_with_bom():
    data = template_csv(2011)
    assert data.startswith(b"\xef\xbb\xbfM\xc3\xa3 x\xc3\xa3 (GSO),")
    lines = data.decode("utf-8-sig").splitlines()
    assert len(lines) == 227 and lines[1].startswith(
        "05971,Thành phố Lạng Sơn,Phường,Phường Hoàng Văn Thụ,2011,"
    )


def test_filled_template_imports_to_the_illustrative_table(book_bytes):
    ref = load_illustrative(2015)
    by_code = ref.set_index("commune_code")
    wb = openpyxl.load_workbook(io.BytesIO(book_bytes))
    ws = wb["Dữ liệu"]
    for r in range(FIRST, FIRST + 226):
        code = ws.cell(r, 1).value
        for j, field in enumerate(FIELDS, start=1):
            if field in by_code.columns and field != "year":
                value = by_code.at[code, field]
                if not pd.isna(value):
                    ws.cell(r, j).value = (
                        int(value)
                        if isinstance(value, (bool, int))
                        or field in (*CRITERION_COLUMNS, "car_access_all_season", "especially_difficult")
                        else float(value)
                    )
    out = io.BytesIO()
    wb.save(out)
    report = import_table(out.getvalue(), "filled.xlsx")
    assert report.ok_rows() == 226
    assert {m["rule"] for m in report.matched} == {"code"}
    assert (
        report.unmatched == report.out_of_range == report.duplicates == [] and report.units_without_row == []
    )
    own = [c.key for c in framework_indicators.indicator_columns("qd491_342")]  # left blank
    assert report.table[own].isna().all().all()
    pd.testing.assert_frame_equal(report.table.drop(columns=["name_as_written", *own]), ref)
    assert report.table["name_as_written"].iloc[0] == "Phường Hoàng Văn Thụ"


# --- templates per criteria framework (issue 13) -------------------------------------------


def _fill_xa(ws, n_crit: int, met: int, ids=ID_COLUMNS, group: int | None = None) -> list[int]:
    """Fill the criteria of every xã row: the first ``met`` criteria met, the rest not met (and
    the commune group, when ``group`` is given, in the template's «Nhóm xã» column)."""
    type_col = 1 + [vi for vi, _, _ in ids].index("Loại đơn vị")
    rows = []
    for r in range(FIRST, ws.max_row + 1):
        if ws.cell(r, type_col).value == "Xã":
            for k in range(n_crit):
                ws.cell(r, len(ids) + 1 + k, 1 if k < met else 0)
            if group is not None:
                ws.cell(r, 1 + ids.index(GROUP_COLUMN), group)
            rows.append(r)
    return rows


def test_2026_template_follows_51_2025_on_the_65_units_and_imports_back():
    """Trial 6, finding 4: the 2026 template listed the 226 units of 2015 (gone since 1 July 2025)."""
    data = template_xlsx(2026)
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book["Dữ liệu"]
    ids = ID_COLUMNS_2025
    assert [ws.cell(HEADER_ROW, j).value for j in range(1, len(ids) + 1)] == [
        "Mã xã (GSO)",
        "Loại đơn vị",
        "Tên đơn vị",
        "Năm",
        "Nhóm xã (1/2/3)",
    ]  # no district column: no district level since 1 July 2025
    units = units_2025()
    codes = [ws.cell(r, 1).value for r in range(FIRST, FIRST + len(units))]
    assert codes == list(units["commune_code"]) and len(codes) == 65
    assert ws.cell(FIRST + 65, 1).value is None
    assert ws.cell(FIRST, 3).value == units["name_with_type"].iloc[0]
    assert '"1,2,3"' in {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert ws.cell(FIRST, 5).protection.locked is False  # the commune group is the editor's to fill
    crit = [ws.cell(HEADER_ROW, len(ids) + 1 + k).value for k in range(10)]
    assert crit[0] == "TC1. Quy hoạch" and crit[5] == "TC6. Giảm nghèo và an sinh xã hội"
    assert crit[9] == "TC10. Tiếp cận pháp luật và an ninh, quốc phòng"
    assert ws.cell(HEADER_ROW, len(ids) + 11).value == indicator_columns()[0][0]
    assert ws.max_column == len(ids) + 10 + len(indicator_columns())
    help_lines = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    assert help_lines[1].startswith("Bộ tiêu chí: QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí)")
    assert any(line.startswith("3. 10 tiêu chí (TC1–TC10)") for line in help_lines)
    assert any(line.startswith("3. The 10 criteria (TC1–TC10)") for line in help_lines)
    assert any("65 đơn vị, không còn cấp huyện" in line for line in help_lines)
    assert any("«Nhóm xã / Commune group»: 1, 2 or 3" in line for line in help_lines)
    rows = _fill_xa(ws, 10, 6, ids, group=2)
    out = io.BytesIO()
    book.save(out)
    report = import_table(out.getvalue(), "mau_2026.xlsx")
    assert report.framework_id == "qd51_2025" and report.year == 2026 and report.vintage == "2025"
    assert len(report.matched) == 65 and not report.out_of_range and not report.to_confirm
    assert report.units_without_row == []
    assert (report.table.dropna(subset=["criteria_met"])["commune_group"] == 2).all()
    xa = report.table.dropna(subset=["criteria_met"])
    assert len(xa) == len(rows) and (xa["criteria_met"] == 6).all()
    assert xa[[f"c{i:02d}" for i in range(11, 20)]].isna().all().all()


def test_2017_template_names_1980_criteria_and_imports_under_it():
    csv_text = template_csv(2017).decode("utf-8-sig")
    header = csv_text.splitlines()[0].split(",")
    assert "TC11. Hộ nghèo" in header and "TC13. Tổ chức sản xuất" in header
    assert "TC11. Hộ nghèo" not in template_csv(2022).decode("utf-8-sig")
    assert "TC11. Nghèo đa chiều" in template_csv(2022).decode("utf-8-sig")
    report = import_table(template_csv(2017), "mau_2017.csv")
    assert report.framework_id == "qd1980"


def test_template_of_a_named_framework_and_unknown_ones():
    assert "TC3. Thủy lợi và phòng, chống thiên tai" in template_csv(2019, "qd318").decode("utf-8-sig")
    with pytest.raises(ConfigError, match=r"Unknown criteria framework 'qd1'"):
        template_csv(2019, "qd1")
    with pytest.raises(ConfigError, match=r"No criteria framework covers the year 2040"):
        template_xlsx(2040)


# --- the framework's indicator columns (issue 13) -------------------------------------------


def test_2015_template_has_491_342_indicators_with_units_and_thresholds(book_bytes):
    """After the registry's columns: CT2.1 … CT12.1 over I2.1 … I12.1 (the indicators with their
    own column), each header's comment and the instructions give the unit and the threshold for
    Lạng Sơn's region; ≥ 0 for other units. 4.2, 11.1 and 17.1 are asked once, in the registry's
    column, whose comment names the indicator and its threshold."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    ws = book["Dữ liệu"]
    heads = {ws.cell(HEADER_ROW, j).value: j for j in range(1, ws.max_column + 1)}
    j = heads["Tỷ lệ hộ sử dụng điện (%)"]
    comment = ws.cell(HEADER_ROW, j).comment.text
    assert "Chỉ tiêu 4.2 (Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn)" in comment
    assert "ngưỡng: Trung du và miền núi phía Bắc: ≥ 95 %" in comment
    assert "threshold: Northern midlands and mountains: ≥ 95 %" in comment
    poverty = ws.cell(HEADER_ROW, heads["Tỷ lệ hộ nghèo (%)"]).comment.text
    assert "Chỉ tiêu 11.1" in poverty and "ngưỡng: Trung du và miền núi phía Bắc: < 10 %" in poverty
    assert "Indicator 11.1 (Share of poor households)" in poverty
    j = heads["CT12.1. Tỷ lệ người có việc làm trên dân số trong độ tuổi lao động (%)"]
    assert ws.cell(HEADER_ROW + 1, j).value == "I12.1 Employed share of the working-age population (%)"
    assert "ngưỡng: Trung du và miền núi phía Bắc: ≥ 90 %" in ws.cell(HEADER_ROW, j).comment.text
    income = heads["CT10.1. Thu nhập bình quân đầu người khu vực nông thôn (triệu đồng/người/năm)"]
    assert "no threshold in the framework file" in ws.cell(HEADER_ROW, income).comment.text
    number = next(dv for dv in ws.data_validations.dataValidation if dv.operator == "greaterThanOrEqual")
    assert (number.formula1, str(number.sqref)) == ("0", "AI6:AI231 AJ6:AJ231")  # 2.4 (no unit), 10.1
    help_lines = [c.value for c in book["Hướng dẫn"]["A"] if c.value]
    assert any(line.startswith("9. Các chỉ tiêu của bộ tiêu chí") for line in help_lines)
    assert any(
        "Chỉ tiêu 17.1 (Tỷ lệ hộ được sử dụng nước hợp vệ sinh): cột «Tỷ lệ hộ dùng nước hợp vệ sinh (%)»: "
        "số từ 0 đến 100; ngưỡng: Trung du và miền núi phía Bắc: ≥ 70 %." in line
        for line in help_lines
    )
    assert any(
        "«I2.4 Main field roads for farm vehicles (where needed)»: 1 = met, 0 = not met" in line
        for line in help_lines
    )


def test_filled_indicator_columns_of_the_template_import_back(book_bytes):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    ws = book["Dữ liệu"]
    heads = {ws.cell(HEADER_ROW + 1, j).value: j for j in range(1, ws.max_column + 1)}
    employed = heads["I12.1 Employed share of the working-age population (%)"]
    water = heads["Households with hygienic water (%)"]
    ws.cell(FIRST, employed, 96.5)
    ws.cell(FIRST, water, 65)
    out = io.BytesIO()
    book.save(out)
    report = import_table(out.getvalue(), "mau_2015.xlsx")
    row = report.table.set_index("commune_code").loc[ws.cell(FIRST, 1).value]
    assert (row["c12_1"], row["hygienic_water_hh_pct"]) == (96.5, 65.0)
    assert "c17_1" not in report.table.columns


def test_the_2015_template_asks_once_per_quantity():
    """Issue 11: poverty, electricity and hygienic water are one column each (the registry's),
    not a registry column and an indicator column "CT11.1 …" side by side."""
    vi_heads = [vi for vi, _ in headers(framework("qd491_342"))]
    assert [h for h in vi_heads if "tỷ lệ hộ nghèo" in h.lower()] == ["Tỷ lệ hộ nghèo (%)"]
    assert [h for h in vi_heads if "sử dụng điện" in h.lower()] == ["Tỷ lệ hộ sử dụng điện (%)"]
    assert [h for h in vi_heads if "vệ sinh" in h.lower()] == ["Tỷ lệ hộ dùng nước hợp vệ sinh (%)"]
    csv_head = template_csv(2017).decode("utf-8-sig").splitlines()[0]
    assert "CT4.2." not in csv_head and "CT11.1." not in csv_head and "CT4.1." in csv_head


def test_the_template_csv_has_the_framework_indicators_and_51_2025_has_none_listed():
    header = template_csv(2017).decode("utf-8-sig").splitlines()[0]
    assert "CT4.1. Hệ thống điện đạt chuẩn" in header and "CT10.1." in header
    assert "CT" not in template_csv(2027).decode("utf-8-sig").splitlines()[0].replace("TC", "")


def test_the_2026_csv_template_lists_the_65_units_with_a_commune_group_and_no_district():
    lines = template_csv(2026).decode("utf-8-sig").splitlines()
    head = lines[0].split(",")
    assert head[:5] == ["Mã xã (GSO)", "Loại đơn vị", "Tên đơn vị", "Năm", "Nhóm xã (1/2/3)"]
    assert "Huyện/thành phố" not in head
    assert [line.split(",")[0] for line in lines[1:]] == list(units_2025()["commune_code"])
    assert template_csv(2025).decode("utf-8-sig").count("\n") == 227  # 2025: still the 226 units
    report = import_table(template_csv(2026), "mau_2026.csv")
    assert report.vintage == "2025" and report.ok_rows() == 65 and not report.to_confirm
