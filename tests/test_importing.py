"""Import of tables as offices produce them: one small file per awkward kind, exact outcomes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.datasets.importing.headers import header_field
from ntm_geo.datasets.importing.reading import read_table
from ntm_geo.datasets.importing.report import issue_message
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.datasets.importing.values import parse_flag, parse_number
from ntm_geo.errors import DataError

HERE = Path(__file__).resolve().parent / "data" / "import"
_spec = importlib.util.spec_from_file_location("make_import_files", HERE / "make_files.py")
make_files = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_files)


def load(name: str, **kw):
    return import_table(make_files.build(name), name, **kw)


def matched(report) -> dict[int, tuple[str, str]]:
    return {m["row"]: (m["commune_code"], m["rule"]) for m in report.matched}


# ------------------------------------------------------------------ files that import


@pytest.mark.parametrize(
    ("name", "encoding", "header_row", "expected"),
    [
        ("utf8_bom.csv", "utf-8-sig", 1, {2: ("06628", "code")}),
        ("utf16_unicode_text.txt", "utf-16", 1, {2: ("06274", "name")}),  # tab-separated "Unicode text"
        ("utf16_no_bom.csv", "utf-16-le", 1, {2: ("06628", "code")}),  # 6628: leading zero restored
        ("windows_1258.csv", "cp1258", 1, {2: ("06136", "name"), 3: ("06184", "name")}),
        ("title_rows.csv", "utf-8", 4, {6: ("06628", "code"), 7: ("05971", "code")}),
        ("two_sheets.xlsx", None, 1, {2: ("06628", "code")}),
        (
            "merged_header.xlsx",
            None,
            3,
            {5: ("06628", "code"), 6: ("06619", "code"), 7: ("06613", "code"), 8: ("06631", "name")},
        ),
    ],
)
def test_files_import_with_exact_matches(name, encoding, header_row, expected):
    report = load(name)
    assert report.encoding == encoding
    assert report.header_row == header_row
    assert matched(report) == expected
    assert report.year == 2015
    assert report.unmatched == [] and report.out_of_range == [] and report.duplicates == []


def test_windows_1258_names_are_decoded_intact():
    report = load("windows_1258.csv")
    assert list(report.table["name_as_written"]) == ["Xã Thụy Hùng", "Thị trấn Đồng Đăng"]


def test_title_rows_numbering_row_and_signature():
    report = load("title_rows.csv")
    assert report.table.set_index("commune_code")["poverty_rate_pct"].to_dict() == {
        "05971": 0.8,
        "06628": 11.9,
    }
    assert [(s.row, s.reason_en) for s in report.skipped] == [
        (9, "row with no code, name or values (a note, signature…).")
    ]
    assert (
        report.notices[0].reason_en == "year 2015 taken from the title row; choose the year if it is wrong."
    )


def test_merged_headers_percent_cell_and_merged_district():
    report = load("merged_header.xlsx")
    assert report.sheet == "Biểu 01"
    t = report.table.set_index("commune_code")
    assert t.loc["06628", "poverty_rate_pct"] == pytest.approx(11.9)  # 0.119 formatted 0.0 %
    assert t.loc["06628", "criteria_met"] == 12
    assert list(t.loc["06628", ["c01", "c12", "c13", "c19"]]) == [True, True, False, False]
    assert t.loc["06619", "criteria_met"] == 10
    assert t.loc["06613", ["c01", "criteria_met"]].isna().all()  # thị trấn: not assessed
    assert t.loc["06631", "criteria_met"] == 0  # matched by name under the merged district cell
    assert report.columns["Tiêu chí 1"] == "c01" and report.columns["Tiêu chí 19"] == "c19"


def test_table_follows_the_dataset_contract():
    report = load("merged_header.xlsx")
    ref = load_illustrative(2015)
    table = report.table.drop(columns="name_as_written")
    assert list(table.columns) == list(ref.columns)
    assert table.dtypes.to_dict() == ref.dtypes.to_dict()


def test_illustrative_csv_imports_identically():
    data = (
        Path(__file__).resolve().parent.parent / "data" / "illustrative" / "lang_son_ntm_2011.csv"
    ).read_bytes()
    report = import_table(data, "lang_son_ntm_2011.csv")
    assert report.ok_rows() == 226 and report.units_without_row == []
    pd.testing.assert_frame_equal(report.table.drop(columns="name_as_written"), load_illustrative(2011))


# ------------------------------------------------------------------ values


@pytest.mark.parametrize(
    ("text", "integer", "value"),
    [
        ("11,9", False, 11.9),
        ("11.9", False, 11.9),
        ("1.474.000", False, 1474000.0),
        ("1,474,000", False, 1474000.0),
        ("1 474 000", False, 1474000.0),
        ("1.474,5", False, 1474.5),
        ("1,474.5", False, 1474.5),
        ("12,5%", False, 12.5),
        ("1.474", True, 1474.0),
        ("1.474", False, 1.474),
        ("", False, None),
        ("-", False, None),
        ("-15", True, -15.0),
        ("1E+26", False, 1e26),
        ("1e308", False, 1e308),
        ("1,5E-05", False, 1.5e-05),
    ],
)
def test_parse_number(text, integer, value):
    assert parse_number(text, integer=integer) == value


@pytest.mark.parametrize("text", ["abc", "1.2.3,4,5", "12 ha", "1e999", "e5", "inf"])
def test_parse_number_refuses_text(text):
    with pytest.raises(ValueError):
        parse_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", True),
        ("x", True),
        ("X", True),
        ("✓", True),
        ("Đạt", True),
        ("ĐẠT", True),
        ("Đa\u0323t", True),
        ("TRUE", True),
        ("Có", True),
        ("1.0", True),
        ("0", False),
        ("Chưa đạt", False),
        ("Không đạt", False),
        ("FALSE", False),
        ("Không", False),
        ("✗", False),
        ("", None),
        ("  ", None),
        ("-", None),
        ("Không đánh giá", None),
    ],
)
def test_parse_flag(text, value):
    assert parse_flag(text) is value


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Mã xã", "commune_code"),
        ("Mã ĐVHC", "commune_code"),
        ("MA XA", "commune_code"),
        ("commune_code", "commune_code"),
        ("code", "commune_code"),
        ("Tên xã", "name"),
        ("Xã", "name"),
        ("Huyện", "district"),
        ("district", "district"),
        ("Tiêu chí 1", "c01"),
        ("TC1", "c01"),
        ("c01", "c01"),
        ("Quy hoạch", "c01"),
        ("TC10. Thu nhập", "c10"),
        ("1. Quy hoạch", "c01"),
        ("Tiêu chí số 19", "c19"),
        ("Hộ nghèo", "c11"),
        ("Tỷ lệ hộ nghèo (%)", "poverty_rate_pct"),
        ("Tỉ lệ hộ nghèo", "poverty_rate_pct"),
        ("poverty", "poverty_rate_pct"),
        ("Năm", "year"),
        ("year", "year"),
        ("Số tiêu chí đạt", "criteria_met"),
        ("Dân số", "population"),
        ("STT", "_ignore"),
        ("Ghi chú", "_ignore"),
        ("Diện tích (ha)", None),
        ("Tiêu chí 20", None),
    ],
)
def test_header_aliases(header, field):
    assert header_field(header) == field


def test_criteria_words_and_consistency():
    report = load("criteria_words.csv")
    t = report.table.set_index("commune_code")
    assert t.loc["06628", "criteria_met"] == 10  # given 10, agrees
    assert t.loc["06619", "criteria_met"] == 3  # x / Chưa đạt
    assert t.loc["06622", "criteria_met"] == 10  # ✓ / ✗
    assert t.loc["06625", "criteria_met"] == 17  # Đạt / Chưa đạt, given 17
    assert t.loc["06631", "criteria_met"] == 10  # TRUE / FALSE
    assert t.loc["06634", "criteria_met"] == 10  # Có / Không
    assert t.loc["06643", ["c01", "criteria_met"]].isna().all()  # all blank: no data, never 0
    assert t.loc["06613", ["c01", "criteria_met"]].isna().all()  # thị trấn with "-": not assessed
    issues = [(i.row, i.column, i.value, i.reason_en) for i in report.out_of_range]
    assert issues == [
        (
            8,
            "Số tiêu chí đạt",
            "12",
            "criteria met is given as 12 but 10 of the 19 criterion columns are met.",
        ),
        (
            9,
            "TC4",
            "",
            "16 criteria are blank while 3 are filled; fill all 19 (not met = 0, never blank) or leave "
            "all 19 blank.",
        ),
        (
            13,
            "TC19",
            "có lẽ",
            "not a criterion value; write 1/0, Đạt/Chưa đạt, x, ✓ or leave blank (no data).",
        ),
    ]
    # row 12, Phường Hoàng Văn Thụ with "0" in every criterion and count: imported, criteria not
    # assessed (never "0 criteria"), each of its 20 cells a notice naming row, column and unit
    assert t.loc["05971", ["c01", "c19", "criteria_met"]].isna().all()
    assert [(i.row, i.column, i.value, i.commune_code) for i in report.ignored] == [
        (12, f"TC{k}", "0", "05971") for k in range(1, 20)
    ] + [(12, "Số tiêu chí đạt", "0", "05971")]
    assert issue_message(report.ignored[-1], "criteria_words.csv", "vi") == (
        "criteria_words.csv, dòng 12, cột «Số tiêu chí đạt»: Phường Hoàng Văn Thụ (05971) là phường, không "
        "thuộc diện đánh giá NTM — giá trị bỏ qua (tiêu chí của đơn vị để trống: không đánh giá; các số liệu "
        "khác của dòng vẫn được nhập). (giá trị «0»)"
    )
    assert issue_message(report.ignored[0], "criteria_words.csv", "en").startswith(
        "criteria_words.csv, row 12, column «TC1»: ward Phường Hoàng Văn Thụ (05971) is not assessed for "
        "NTM — value ignored"
    )
    rejected = report.rejected_rows().set_index("row")
    assert list(rejected.index) == [8, 9, 12, 13]
    assert rejected["issue"].to_dict() == {
        8: "out_of_range",
        9: "out_of_range",
        12: "ignored",
        13: "out_of_range",
    }
    assert rejected.loc[13, "TC19"] == "có lẽ"  # original cells kept
    assert rejected.loc[12, "column"] == "; ".join([*(f"TC{k}" for k in range(1, 20)), "Số tiêu chí đạt"])
    assert rejected.loc[12, "reason_en"] == report.ignored[0].reason_en  # said once, not 20 times


def test_values_out_of_range_semicolon_file():
    report = load("values.csv")
    assert matched(report) == {2: ("06628", "code"), 7: ("06634", "code")}
    t = report.table.set_index("commune_code")
    assert t.loc["06628", "poverty_rate_pct"] == 11.9 and t.loc["06628", "electricity_hh_pct"] == 97.5
    assert t.loc["06628", "population"] == 3474.0 and bool(t.loc["06628", "especially_difficult"]) is True
    assert t.loc["06634"].drop(["commune_code", "year", "name_as_written"], errors="ignore").isna().all()
    assert [(i.row, i.column, i.value, i.reason_en) for i in report.out_of_range] == [
        (3, "Tỷ lệ hộ nghèo (%)", "120", "percentage 120 is outside 0–100 %."),
        (4, "Tỷ lệ hộ nghèo (%)", "abc", "not a number (percentage, 0–100)."),
        (5, "Dân số", "-15", "negative population (-15)."),
        (6, "Tỷ lệ hộ sử dụng điện (%)", "1.474.000", "percentage 1474000 is outside 0–100 %."),
        (6, "Xã đặc biệt khó khăn", "có lẽ", "not a yes/no value; write 1/0, Có/Không or leave blank."),
    ]
    assert "06619" not in report.units_without_row  # it has a row, rejected for its value


# ------------------------------------------------------------------ matching outcomes per row


def test_names_file_row_by_row():
    report = load("names.csv", year=2015)
    assert matched(report) == {
        2: ("06274", "name"),  # X. Hoà Bình, H. Văn Quan
        3: ("06184", "name"),  # TT.Đồng Đăng
        4: ("06613", "name"),  # thị trấn  ĐÌNH LẬP
        6: ("06616", "name"),  # NT Thái Bình
        9: ("06136", "name"),  # Xã Thuỵ Hùng, Văn Lãng
        10: ("06208", "name"),  # Xã Thụy Hùng, Cao Lộc: same name, other district, not merged
        14: ("06628", "name"),  # Xã Ðình Lập (eth), unique with its type word
        16: ("06034", "name"),  # Chi Lăng under the "Huyện Tràng Định" heading
    }
    names = {m["row"]: m["name_as_written"] for m in report.matched}
    assert names[2] == "X. Hoà Bình" and names[4] == "thị trấn  ĐÌNH LẬP"  # as the user wrote it
    unmatched = {i.row: (i.column, i.reason_en.split(":")[0].split(" «")[0]) for i in report.unmatched}
    assert unmatched == {
        5: ("Tên xã", "ambiguous name"),
        7: ("Tên xã", "ambiguous name"),
        8: (None, "missing district"),
        11: ("Tên xã", "no unit named"),
        12: ("Tên xã", "no unit named"),
        13: ("Huyện", "unknown district"),
    }
    assert [s[0] for s in report.suggestions[5]] == ["06613", "06628"]
    assert [s[0] for s in report.suggestions[8]] == ["06250", "06379", "06442"]
    assert report.suggestions[11][0][:2] == (
        "06100",
        "Xã Hoàng Văn Thụ — Huyện Bình Gia",
    )  # offered, not applied
    assert [(s.row, s.reason_en) for s in report.skipped] == [
        (
            15,
            "district heading or subtotal row, not a commune; its district applies to the rows below that give none.",
        ),
        (17, "total row, not a commune."),
    ]


def test_confirmed_suggestions_are_applied_only_when_given():
    report = load("names.csv", year=2015, confirmed={11: "06100", 5: "6628", 12: "99999"})
    rules = matched(report)
    assert rules[11] == ("06100", "confirmed_suggestion")
    assert rules[5] == ("06628", "confirmed_suggestion")
    assert 12 in {i.row for i in report.unmatched}  # an unknown confirmed code does nothing
    # a confirmation cannot override a row that matched by its own data
    again = load("names.csv", year=2015, confirmed={2: "06103"})
    assert matched(again)[2] == ("06274", "name")


def test_duplicates_keep_the_first_row():
    report = load("duplicates.csv")
    assert matched(report) == {2: ("06628", "code")}
    assert [(d.row, d.commune_code, d.reason_en) for d in report.duplicates] == [
        (3, "06628", "same unit (Xã Đình Lập — Huyện Đình Lập) as row 2; only row 2 is kept."),
        (4, "06628", "same unit (Xã Đình Lập — Huyện Đình Lập) as row 2; only row 2 is kept."),
    ]
    assert float(report.table["poverty_rate_pct"].iloc[0]) == 11.9


def test_code_problems():
    report = load("code_problems.csv")
    assert matched(report) == {2: ("06628", "name"), 6: ("06631", "code")}  # 6: "Xa Thai Binh" spells 06631
    reasons = {i.row: i.reason_en for i in report.unmatched}
    assert reasons[3] == "code «12ab» is not a 5-digit GSO code."
    assert reasons[4] == "code 99998 is not a Lạng Sơn commune-level unit (GSO 2015 list)."
    assert reasons[5].startswith("code 06628 is Xã Đình Lập — Huyện Đình Lập but the row gives another name")
    assert reasons[7].startswith(
        "code 06634 is Xã Cường Lợi — Huyện Đình Lập but the row gives another district"
    )
    assert report.suggestions[5][0] == ("06628", "Xã Đình Lập — Huyện Đình Lập", 100.0)
    assert report.notices[0].row == 2 and "matched by name instead" in report.notices[0].reason_en


def test_multi_year_file():
    with pytest.raises(
        DataError,
        match=r"multi_year.csv, column «Năm»: the file has rows for several years "
        r"\(2011, 2015\); import one year at a time",
    ):
        load("multi_year.csv")
    report = load("multi_year.csv", year=2015)
    assert matched(report) == {3: ("06628", "code"), 4: ("06619", "code")}
    assert [(s.row, s.value) for s in report.skipped] == [(2, "2011")]
    assert matched(load("multi_year.csv", year=2011)) == {2: ("06628", "code")}


# ------------------------------------------------------------------ hostile text


def test_hostile_text_is_kept_exactly_as_text():
    report = load("hostile.csv")
    assert matched(report) == {4: ("06622", "code")}
    rejected = report.rejected_rows().set_index("row")
    assert rejected.loc[2, "Tên xã"] == "<script>alert(1)</script>"
    assert rejected.loc[3, "Tên xã"] == '=HYPERLINK("http://evil.example","Bắc Xa")'
    assert rejected.loc[5, "Tên xã"] == "<b>Xã Ma</b>"
    assert "<script>alert(1)</script>" in rejected.loc[2, "reason_en"]
    payload = json.loads(json.dumps(report.to_json(), ensure_ascii=False))
    assert payload["unmatched"][1]["reason_en"].count('=HYPERLINK("http://evil.example","Bắc Xa")') == 1
    assert report.raw.rows[2][1][3] == "<img src=x onerror=alert(1)>"  # ignored column, kept in the raw table


def test_xlsx_text_starting_with_equals_stays_text():
    raw = read_table(make_files.build("merged_header.xlsx"), "merged_header.xlsx")
    notes = raw.headers.index("Ghi chú")
    assert raw.rows[0][1][notes] == '=HYPERLINK("http://evil.example")'


# ------------------------------------------------------------------ refused files (message names the file)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "fake_excel.xlsx",
            r"fake_excel.xlsx: the name ends in .xlsx but the content is a text file; the file is refused",
        ),
        (
            "fake_csv.csv",
            r"fake_csv.csv: the name ends in .csv but the content is an Excel workbook \(.xlsx\)",
        ),
        (
            "zip_not_excel.xlsx",
            r"zip_not_excel.xlsx: the name ends in .xlsx but the content is a ZIP archive",
        ),
        ("old_excel.xls", r"old_excel.xls: old Excel 97-2003 format \(.xls\) is not read"),
        ("picture.csv", r"picture.csv: the name ends in .csv but the content is a PNG image"),
        # issue 14, item 9: a picture renamed .xlsx was called "a text file"
        ("picture.xlsx", r"picture.xlsx: the name ends in .xlsx but the content is a PNG image"),
        ("scan.xlsx", r"scan.xlsx: the name ends in .xlsx but the content is a JPEG image"),
        ("web_page.xlsx", r"web_page.xlsx: the name ends in .xlsx but the content is a web page \(HTML\)"),
        (
            "unknown_binary.csv",
            r"unknown_binary.csv: .* the content is binary data of an unknown kind, not text",
        ),
        ("empty.csv", r"empty.csv: the file is empty"),
        (
            "vni.csv",
            r"vni.csv, row 1: the text looks typed with a VNI or TCVN3 \(ABC, .VnTime\) font, not "
            r"Unicode \(e.g. «Teân xaõ»\), and could not be converted automatically .* Unikey",
        ),
        ("koi8r.csv", r"koi8r.csv: cannot tell the text encoding .* import-table FILE --encoding"),
        ("no_header.csv", r"no_header.csv: no header row found in the first 40 rows"),
    ],
)
def test_refused_files(name, message):
    with pytest.raises(DataError, match=message) as err:
        load(name, year=2015)
    assert err.value.file == name
    assert err.value.message_vi.startswith((name + ":", name + ","))  # the file first (then row, column)


def test_unsupported_extension_and_unknown_sheet_and_encoding():
    with pytest.raises(
        DataError, match=r"data.ods: unsupported file type «.ods»; upload a .csv or .xlsx file"
    ):
        import_table(b"abc", "data.ods")
    with pytest.raises(DataError, match=r"two_sheets.xlsx: no sheet «Nope»; sheets: Hướng dẫn, Số liệu"):
        load("two_sheets.xlsx", sheet="Nope")
    with pytest.raises(DataError, match=r"unknown encoding «klingon»"):
        load("utf8_bom.csv", encoding="klingon")
    with pytest.raises(DataError, match=r"cannot be read as utf-8 \(byte \d+\); choose another encoding"):
        load("windows_1258.csv", encoding="utf-8")


def test_encoding_can_be_chosen():
    report = load("koi8r.csv", encoding="koi8-r", year=2015)
    assert report.encoding == "koi8-r" and matched(report) == {2: ("06628", "code")}


def test_no_year_anywhere():
    with pytest.raises(DataError, match=r"names.csv: no year: add a 'Năm' \(year\) column or give the year"):
        load("names.csv")


# ------------------------------------------------------------------ the report


def test_report_json_and_rejected_rows_keep_everything():
    report = load("names.csv", year=2015)
    payload = report.to_json()
    for key in (
        "matched",
        "unmatched",
        "duplicates",
        "units_without_row",
        "out_of_range",
        "suggestions",
        "file",
        "year",
    ):
        assert key in payload
    json.dumps(payload, ensure_ascii=False)
    assert payload["unmatched"][0] == {
        "row": 5,
        "sheet": None,
        "column": "Tên xã",
        "commune_code": None,
        "value": "Đình Lập",
        "reason_vi": report.unmatched[0].reason_vi,
        "reason_en": report.unmatched[0].reason_en,
    }
    assert len(payload["units_without_row"]) == 226 - 8
    assert payload["units_without_row"][0]["row"] is None and payload["units_without_row"][0]["commune_code"]
    assert payload["suggestions"]["11"][0]["commune_code"] == "06100"
    rejected = report.rejected_rows()
    data_rows = {r for r, cells in report.raw.rows if any(c.strip() for c in cells)}
    assert set(rejected["row"]) | {m["row"] for m in report.matched} == data_rows  # nothing dropped silently
    assert list(rejected.columns[:5]) == ["row", "sheet", "Tên xã", "Huyện", "Ghi chú"]


def test_issue_message_names_file_sheet_row_column_in_both_languages():
    report = load("values.csv")
    issue = report.out_of_range[0]
    assert issue_message(issue, "values.csv", "vi") == (
        "values.csv, dòng 3, cột «Tỷ lệ hộ nghèo (%)»: tỷ lệ 120 nằm ngoài 0–100 %. (giá trị «120»)"
    )
    assert issue_message(issue, "values.csv", "en") == (
        "values.csv, row 3, column «Tỷ lệ hộ nghèo (%)»: percentage 120 is outside 0–100 %. (value «120»)"
    )


def test_font_encoded_cell_is_named_by_row_and_column():
    data = "Ma xa,Ten don vi,Nam\r\n06628,Dinh Lap,2015\r\n06631,Xaõ Baéc Xa Huyeän Ñình Laäp,2015\r\n"
    with pytest.raises(DataError) as err:
        import_table(data.encode("cp1252"), "xa_vni.csv", year=2015)
    assert (err.value.row, err.value.column) == (3, "Ten don vi")
    assert err.value.message_vi.startswith(
        "xa_vni.csv, dòng 3, cột «Ten don vi»: văn bản có vẻ gõ bằng phông VNI"
    )
    assert "«Xaõ Baéc Xa Huyeän Ñình Laäp»" in err.value.message_en
    # issue 14, item 7: the advice must work -- it no longer sends the user to --encoding cp1258,
    # which cannot read such a file
    assert "--encoding cp1258" not in err.value.message_en and "Công cụ chuyển mã" in err.value.message_en
