"""A ward or township row with criteria values: the row is imported, its criteria are not.

Phường and thị trấn are not assessed for NTM (never "0 criteria"). A province table that gives
one a criteria count or criterion values used to lose the WHOLE row (its poverty rate and
infrastructure too); now the row's other values are imported, its criteria stay NA, and each
ignored cell is a notice naming the file, row, column and unit, listed in the downloadable list
of what was not used (:meth:`ImportReport.rejected_rows`, issue ``ignored``). CSV and Excel,
2015 units (phường, thị trấn) and 2025 units (phường).
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from openpyxl import Workbook

from ntm_geo.datasets.importing.report import issue_message
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.datasets.template import template_csv
from ntm_geo.geo.units import official_units
from tests.import_tables import NAMES_51, csv_bytes

TC = [f"TC{k}" for k in range(1, 20)]
HEADER_2015 = [
    "Mã xã",
    "Năm",
    *TC,
    "Số tiêu chí đạt",
    "Tỷ lệ hộ nghèo (%)",
    "Tỷ lệ hộ sử dụng điện (%)",
    "Dân số",
]
ROWS_2015: list[list[object]] = [
    ["06628", 2015, *[1] * 10, *[0] * 9, 10, 11.9, 97.5, 3474],  # Xã Đình Lập: assessed
    ["05971", 2015, *[1] * 19, 19, 1.2, 100, 12000],  # Phường Hoàng Văn Thụ, "19 criteria"
    ["06613", 2015, *[""] * 19, 0, 4.5, 99, 5000],  # Thị trấn Đình Lập, "0 criteria" (count only)
]

HEADER_2026 = ["Mã đơn vị", "Tên đơn vị", "Năm", *NAMES_51, "Số tiêu chí đạt", "Tỷ lệ hộ nghèo (%)"]
ROWS_2026: list[list[object]] = [
    ["06001", "Xã Đoàn Kết", 2026, *[1] * 6, *[0] * 4, 6, 8.4],
    ["05977", "Phường Đông Kinh", 2026, *["Đạt"] * 7, *["Chưa đạt"] * 3, 7, 1.8],
    ["05983", "Phường Lương Văn Tri", 2026, *[""] * 10, "", 2.2],  # blank criteria: nothing to say
]


def xlsx_bytes(header: list[str], rows: list[list[object]]) -> bytes:
    """An .xlsx with a title row above the header, numbers typed as numbers, codes as text."""
    book = Workbook()
    ws = book.active
    ws.title = "Biểu 01"
    ws.append(["BIỂU TỔNG HỢP KẾT QUẢ XÂY DỰNG NÔNG THÔN MỚI"])
    ws.append(header)
    for row in rows:
        ws.append([None if c == "" else c for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES = {"csv": ("bao_cao.csv", csv_bytes, 0, None), "xlsx": ("bao_cao.xlsx", xlsx_bytes, 1, "Biểu 01")}


@pytest.mark.parametrize("kind", FILES)
def test_a_2015_ward_and_township_keep_poverty_infrastructure_and_population(kind):
    name, make, shift, sheet = FILES[kind]
    report = import_table(make(HEADER_2015, ROWS_2015), name)
    assert report.vintage == "2015" and report.out_of_range == [] and report.ok_rows() == 3
    t = report.table.set_index("commune_code")
    # the ward and the township: their other values imported, criteria not assessed (NA, never 0)
    other = ["poverty_rate_pct", "electricity_hh_pct", "population"]
    assert t.loc["05971", other].tolist() == [1.2, 100, 12000]
    assert t.loc["06613", other].tolist() == [4.5, 99, 5000]
    criteria = [*(f"c{k:02d}" for k in range(1, 20)), "criteria_met"]
    assert t.loc[["05971", "06613"], criteria].isna().all().all()
    assert t.loc["06628", "criteria_met"] == 10  # the xã: assessed as before
    # one notice per ignored cell, located (sheet, row, column) and naming the unit
    ward_row, town_row = 3 + shift, 4 + shift
    located = [(i.sheet, i.row, i.column, i.commune_code, i.value) for i in report.ignored]
    assert located == [
        *((sheet, ward_row, f"TC{k}", "05971", "1") for k in range(1, 20)),
        (sheet, ward_row, "Số tiêu chí đạt", "05971", "19"),
        (sheet, town_row, "Số tiêu chí đạt", "06613", "0"),
    ]
    where = f"{name}, trang tính «Biểu 01», " if sheet else f"{name}, "
    assert issue_message(report.ignored[-1], name, "vi") == (
        f"{where}dòng {town_row}, cột «Số tiêu chí đạt»: Thị trấn Đình Lập (06613) là thị trấn, không thuộc "
        "diện đánh giá NTM — giá trị bỏ qua (tiêu chí của đơn vị để trống: không đánh giá; các số liệu khác "
        "của dòng vẫn được nhập). (giá trị «0»)"
    )
    assert "ward Phường Hoàng Văn Thụ (05971) is not assessed for NTM — value ignored" in (
        issue_message(report.ignored[0], name, "en")
    )
    # the downloadable list of what was not used: the two rows, their cells kept, once each
    rejected = report.rejected_rows().set_index("row")
    assert list(rejected.index) == [ward_row, town_row]
    assert set(rejected["issue"]) == {"ignored"}
    assert rejected.loc[ward_row, "Số tiêu chí đạt"] == "19" and rejected.loc[ward_row, "TC1"] == "1"
    assert rejected.loc[town_row, "column"] == "Số tiêu chí đạt"
    payload = report.to_json()
    assert payload["counts"]["ignored"] == 21 and payload["counts"]["ignored_rows"] == 2
    assert payload["ignored"][-1]["commune_code"] == "06613"


@pytest.mark.parametrize("kind", FILES)
def test_a_2025_ward_keeps_its_poverty_rate_under_51_2025(kind):
    name, make, shift, sheet = FILES[kind]
    report = import_table(make(HEADER_2026, ROWS_2026), name)
    assert report.vintage == "2025" and report.framework_id == "qd51_2025"
    assert report.out_of_range == [] and report.to_confirm == [] and report.ok_rows() == 3
    t = report.table.set_index("commune_code")
    assert t.loc["05977", "poverty_rate_pct"] == 1.8 and t.loc["05983", "poverty_rate_pct"] == 2.2
    assert t.loc["05977", [*(f"c{k:02d}" for k in range(1, 11)), "criteria_met"]].isna().all()
    assert t.loc["06001", "criteria_met"] == 6
    row = 3 + shift
    assert {i.sheet for i in report.ignored} == {sheet}
    assert [(i.row, i.column, i.value) for i in report.ignored] == [
        *((row, c, "Đạt") for c in NAMES_51[:7]),
        *((row, c, "Chưa đạt") for c in NAMES_51[7:]),
        (row, "Số tiêu chí đạt", "7"),
    ]
    assert all(
        "Phường Đông Kinh (05977) là phường, không thuộc diện đánh giá NTM" in i.reason_vi
        for i in report.ignored
    )
    assert "— giá trị bỏ qua" in report.ignored[0].reason_vi
    rejected = report.rejected_rows()
    assert rejected["row"].tolist() == [row] and rejected["issue"].tolist() == ["ignored"]


def test_a_ward_row_rejected_for_another_value_is_listed_once_as_rejected():
    """A ward row with a bad poverty rate is not imported (as any row): its criteria cells are not
    also listed as 'ignored' in a row that was not imported at all."""
    rows = [list(r) for r in ROWS_2015]
    rows[1][-3] = 150  # the ward's poverty rate
    report = import_table(csv_bytes(HEADER_2015, rows), "bao_cao.csv")
    assert [(i.row, i.column) for i in report.out_of_range] == [(3, "Tỷ lệ hộ nghèo (%)")]
    assert {i.commune_code for i in report.ignored} == {"06613"}
    assert report.rejected_rows().set_index("row")["issue"].to_dict() == {3: "out_of_range", 4: "ignored"}


def _template_with_extra_criteria(extra: int) -> tuple[list[str], list[list[str]]]:
    """The 2015 template (226 units) + ``extra`` criteria-like columns "TC1. Tiêu chí thêm k"
    (trial 8, M2): a poverty rate on every row; "1" in the extra columns on the phường/thị trấn
    rows (blank template criteria); the xã rows' 19 template criteria filled (10 met),
    their extra columns blank — except the first xã, whose TC1 is blank in the template and "1"
    in the first extra column."""
    rows = list(csv.reader(io.StringIO(template_csv(2015).decode("utf-8-sig"))))
    header = rows[0]
    tc = [header.index(h) for h in header if re.match(r"TC\d+\. ", h)]
    poverty = header.index("Tỷ lệ hộ nghèo (%)")
    out = []
    first_xa = True
    for r in rows[1:]:
        r = list(r)
        ward = r[header.index("Loại đơn vị")] in ("Phường", "Thị trấn")
        r[poverty] = "5,5" if ward else "12,5"
        more = ["1" if ward else ""] * extra
        if not ward:
            for k, i in enumerate(tc):
                r[i] = "1" if k < 10 else "0"
            if first_xa:
                r[tc[0]], more[0], first_xa = "", "1", False
        out.append(r + more)
    return header + [f"TC1. Tiêu chí thêm {k}" for k in range(extra)], out


def test_a_wards_criteria_in_extra_columns_never_refuse_a_row_and_a_blank_takes_the_other_column():
    """Trial 8, M2: extra columns for criterion 1, "1" on the ward rows and blank on the xã rows,
    used to refuse every row ("two columns for c01 differ": «» vs «1») — the wards' poverty lost
    although their criteria are ignored anyway. Now: all 226 rows imported; a ward's criteria
    cells, in every column, are listed as ignored; a blank cell never conflicts, and a xã whose
    template TC1 is blank takes the extra column's value, a notice naming that column."""
    header, rows = _template_with_extra_criteria(3)
    report = import_table(csv_bytes(header, rows), "mau_2015.csv")
    assert report.out_of_range == [] and report.ok_rows() == 226
    t = report.table.set_index("commune_code")
    units = official_units().set_index("commune_code")["unit_type"]
    wards = units.index[units.isin(["phuong", "thi-tran"])]
    assert len(wards) == 19
    assert (t.loc[wards, "poverty_rate_pct"] == 5.5).all()  # the wards' poverty kept
    assert t.loc[wards, ["c01", "criteria_met"]].isna().all().all()  # their criteria ignored
    xa = t.drop(index=wards)
    assert (xa["c01"] == True).all() and (xa["criteria_met"] == 10).all()  # noqa: E712  boolean dtype
    # each ward's three "1" cells are ignored, named by their own column
    extra = {f"TC1. Tiêu chí thêm {k}" for k in range(3)}
    assert len(report.ignored) == 19 * 3 and {i.column for i in report.ignored} == extra
    assert all(i.value == "1" for i in report.ignored)
    first_xa = next(r for r in rows if r[0] not in set(wards))
    taken = [n for n in report.notices if "lấy từ cột «TC1. Tiêu chí thêm 0»" in n.reason_vi]
    assert len(taken) == 1 and "trống ở 1 dòng" in taken[0].reason_vi
    assert "taken from column «TC1. Tiêu chí thêm 0»" in taken[0].reason_en
    assert t.loc[first_xa[0], "c01"] == True  # noqa: E712  boolean dtype


def test_two_different_values_for_one_criterion_still_refuse_a_communes_row():
    header, rows = _template_with_extra_criteria(1)
    xa = next(i for i, r in enumerate(rows) if r[2] == "Xã" and r[-1] == "")
    rows[xa][-1] = "0"  # template TC1 = 1, extra column = 0
    report = import_table(csv_bytes(header, rows), "mau_2015.csv")
    assert report.ok_rows() == 225
    [issue] = report.out_of_range
    assert issue.row == xa + 2 and issue.column == "TC1. Quy hoạch / TC1. Tiêu chí thêm 0"
    assert issue.value == "1 / 0"


def test_a_table_with_no_usable_value_says_why_and_one_value_is_enough():
    """Trial 8, M1: the one rule both fronts apply before saving (ImportReport.no_usable_value)."""
    wards = [r for r in ROWS_2015 if r[0] != "06628"]
    for r in wards:
        r[-3:] = ["", "", ""]  # no poverty, electricity or population: only the ignored criteria
    report = import_table(csv_bytes(HEADER_2015, wards), "allwards.csv")
    assert report.ok_rows() == 2 and len(report.ignored) == 21
    why = report.no_usable_value()
    assert why is not None and why.vi.startswith(
        "Bảng «allwards.csv» không có giá trị nào dùng được: cả 2 dòng nhập được là phường, thị trấn"
    )
    assert report.to_json()["no_usable_value"]["reason_en"] == why.en
    # a commune row with nothing but its name, and the wards: still nothing usable
    mixed = [*wards, ["06628", 2015, *[""] * 24]]
    why = import_table(csv_bytes(HEADER_2015, mixed), "mixed.csv").no_usable_value()
    assert why is not None and "trừ 21 giá trị tiêu chí của 2 phường, thị trấn" in why.vi
    # one population value is a usable value
    wards[0][-1] = 5000
    report = import_table(csv_bytes(HEADER_2015, wards), "allwards.csv")
    assert report.no_usable_value() is None and report.to_json()["no_usable_value"] is None


def test_the_download_of_what_was_not_used_is_named_for_what_it_holds():
    """Trial 8, m1: only ignored values -> «…_khong_dung.csv»; a row not imported -> «…_rejected.csv»."""
    from ntm_geo.datasets.importing.report import not_used_file_name

    report = import_table(csv_bytes(HEADER_2015, ROWS_2015), "bao_cao.csv")
    assert not_used_file_name(report.file, report.rejected_rows()) == "bao_cao_khong_dung.csv"
    rows = [list(r) for r in ROWS_2015]
    rows[0][-3] = 150  # the xã's poverty rate: its row is not imported
    report = import_table(csv_bytes(HEADER_2015, rows), "bao_cao.csv")
    assert not_used_file_name(report.file, report.rejected_rows()) == "bao_cao_rejected.csv"


def test_a_2025_wards_conflicting_criteria_columns_are_ignored_not_refused():
    """The same on the 2025 units (51/2025): a phường whose two columns for criterion 1 and for
    the count differ (Đạt/0, 7/3) is imported — every criteria cell listed as ignored — while a
    xã with a blank second column keeps its row."""
    header = [*HEADER_2026, "TC1. Tiêu chí thêm", "Số tiêu chí đạt (bản 2)"]
    rows = [[*ROWS_2026[0], "", ""], [*ROWS_2026[1], "0", "3"], [*ROWS_2026[2], "1", ""]]
    report = import_table(csv_bytes(header, rows), "bao_cao_2026.csv")
    assert report.vintage == "2025" and report.out_of_range == [] and report.ok_rows() == 3
    t = report.table.set_index("commune_code")
    assert t.loc["06001", "criteria_met"] == 6 and t.loc["05977", "poverty_rate_pct"] == 1.8
    assert t.loc[["05977", "05983"], ["c01", "criteria_met"]].isna().all().all()
    assert [(i.row, i.column, i.value) for i in report.ignored][-3:] == [
        (3, "TC1. Tiêu chí thêm", "0"),
        (3, "Số tiêu chí đạt (bản 2)", "3"),
        (4, "TC1. Tiêu chí thêm", "1"),
    ]


def test_a_second_year_column_is_not_taken_when_the_first_is_blank():
    """The row's year is checked on the first year column before matching: a blank there and
    another year in a second column still refuse the row (never a 2016 row in a 2015 table)."""
    header = ["Mã xã", "Năm", "Tỷ lệ hộ nghèo (%)", "Năm báo cáo"]
    report = import_table(csv_bytes(header, [["06628", "", 11.9, 2016], ["06619", 2015, 8.0, ""]]), "x.csv")
    assert [m["commune_code"] for m in report.matched] == ["06619"]
    assert [(i.row, i.column) for i in report.out_of_range] == [(2, "Năm / Năm báo cáo")]
