"""Issue 13: the import reads the indicator columns of the table's criteria framework (``c10_1`` for
indicator 10.1), the store keeps them, the profile shows them with threshold and ✓/✗, the exports
carry them; columns of another framework's indicators are reported, never silently dropped.
An indicator the framework file links to a registry column (4.2 -> ``electricity_hh_pct``, 11.1 ->
``poverty_rate_pct``, 17.1 -> ``hygienic_water_hh_pct`` under 491/342) imports into that column:
one column per quantity (issue 11)."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_geo import auth
from ntm_geo.criteria import frameworks as fw
from ntm_geo.datasets import framework_indicators, schema, store
from ntm_geo.datasets.importing.headers import header_field
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import DataError
from ntm_geo.maps.themes import join_dataset
from ntm_geo.planning.profile import commune_profile


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(f'"{c}"' if "," in c else c for c in r) for r in (header, *rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def table_2015() -> bytes:
    """A 2015 table (491/342) with indicators 4.2 and 17.1 (linked to registry columns) and 10.1
    (its own column) of that framework."""
    return csv_bytes(
        ["Mã xã", "Năm", "c04_2", "c17_1", "c10_1"],
        [
            ["6628", "2015", "96,5", "65", "14,5"],
            ["5971", "2015", "90", "71,2", "20"],
            ["6625", "2015", "", "80", ""],
        ],
    )


def test_2015_table_with_c04_2_and_c17_1_imports_them_into_the_registry_columns():
    """Under 491/342, 4.2 and 17.1 are the registry's electricity and hygienic-water columns: no
    separate c04_2 / c17_1 column; 10.1 has its own (c10_1)."""
    report = import_table(table_2015(), "chi_tieu_2015.csv")
    assert report.framework_id == "qd491_342"
    assert not report.out_of_range and not report.unmatched
    t = report.table.set_index("commune_code")
    assert "c04_2" not in t.columns and "c17_1" not in t.columns
    assert t["electricity_hh_pct"].dtype == "float64" and t["c10_1"].dtype == "float64"
    assert t.loc["06628", "electricity_hh_pct"] == 96.5 and t.loc["05971", "hygienic_water_hh_pct"] == 71.2
    assert t.loc["06628", "c10_1"] == 14.5
    assert pd.isna(t.loc["06625", "electricity_hh_pct"])  # blank = no data, never 0
    assert (
        report.columns["c04_2"] == "electricity_hh_pct" and report.columns["c17_1"] == "hygienic_water_hh_pct"
    )
    assert not [n for n in report.notices if n.column in ("c04_2", "c17_1")]  # not "not recognised"


def test_c11_1_lands_in_poverty_rate_pct_under_491_342_and_1980():
    for year, fw_id in (("2015", "qd491_342"), ("2017", "qd1980")):
        data = csv_bytes(["Mã xã", "Năm", "c11_1"], [["6628", year, "8,5"]])
        report = import_table(data, f"ngheo_{year}.csv")
        assert report.framework_id == fw_id and report.columns["c11_1"] == "poverty_rate_pct"
        assert report.table["poverty_rate_pct"].tolist() == [8.5] and "c11_1" not in report.table.columns


def test_a_table_giving_11_1_and_the_poverty_rate_twice_rejects_rows_where_they_differ():
    """Both "Tỷ lệ hộ nghèo (%)" and "Chỉ tiêu 11.1": a row where they agree is imported once; a
    row where they differ is rejected naming both columns and values, in Vietnamese and English."""
    data = csv_bytes(
        ["Mã xã", "Năm", "Tỷ lệ hộ nghèo (%)", "Chỉ tiêu 11.1"],
        [["6628", "2015", "8,5", "8.5"], ["5971", "2015", "12", "9"]],
    )
    report = import_table(data, "hai_cot.csv")
    assert report.table.set_index("commune_code")["poverty_rate_pct"].to_dict() == {"06628": 8.5}
    [issue] = report.out_of_range
    assert (issue.row, issue.column, issue.value) == (3, "Tỷ lệ hộ nghèo (%) / Chỉ tiêu 11.1", "12 / 9")
    assert "two columns both give poverty_rate_pct and differ" in issue.reason_en
    assert "hai cột cùng cho poverty_rate_pct nhưng khác nhau" in issue.reason_vi


def test_under_a_framework_without_the_link_the_indicator_keeps_its_own_column(province):
    """The link is the framework's: ls_2031 lists 2.3 without ``column``, so it stays c02_3."""
    assert framework_indicators.linked_columns("ls_2031") == {}
    assert framework_indicators.linked_columns("qd491_342")["c11_1"] == "poverty_rate_pct"
    assert schema.column("c11_1").key == "poverty_rate_pct"


@pytest.mark.parametrize(
    "header",
    [
        "c04_2",
        "C04_2",
        "Chỉ tiêu 4.2",
        "chi tieu 4.2 (%)",
        "4.2",
        "CT 4.2",
        "Indicator 4.2",
        "Tiêu chí 4.2 (%)",
        "TC4.2",
        "4.2 Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn",
        "Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn",
        "TY LE HO SU DUNG DIEN THUONG XUYEN, AN TOAN TU CAC NGUON (%)",
        "Share of households using electricity regularly and safely",
    ],
)
def test_every_header_of_indicator_4_2_lands_in_the_electricity_column(header):
    assert header_field(header) == "c04_2"
    report = import_table(csv_bytes(["Mã xã", "Năm", header], [["6628", "2015", "97"]]), "t.csv")
    assert float(report.table["electricity_hh_pct"][0]) == 97.0 and "c04_2" not in report.table.columns


def test_a_decimal_comma_value_is_not_a_header_and_criteria_stay_criteria():
    """ "4,2" is a value (Vietnamese decimal), a bare "9.9" names no indicator of any framework,
    and "TC4" / "c04" stay criterion 4."""
    assert header_field("4,2") is None and header_field("9.9") is None
    assert header_field("TC4") == "c04" and header_field("c04") == "c04"
    assert header_field("Tiêu chí 4 (%)") == "c04" and header_field("11 Hộ nghèo") == "c11"
    # a number and the name of another indicator: not read as either
    assert header_field("4.3 Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn") is None


@pytest.mark.parametrize(
    ("cell", "vi", "en"),
    [
        ("101", "tỷ lệ 101 nằm ngoài 0–100 %", "percentage 101 is outside 0–100 %"),
        ("nhiều", "không phải là số (tỷ lệ %, 0–100)", "not a number (percentage, 0–100)"),
    ],
)
def test_a_bad_indicator_value_names_its_file_row_and_column(cell, vi, en):
    data = csv_bytes(["Mã xã", "Năm", "Chỉ tiêu 4.2 (%)"], [["6628", "2015", "95"], ["5971", "2015", cell]])
    report = import_table(data, "bad.csv")
    [issue] = report.out_of_range
    assert (issue.row, issue.column, issue.value, issue.commune_code) == (
        3,
        "Chỉ tiêu 4.2 (%)",
        cell,
        "05971",
    )
    assert vi in issue.reason_vi and en in issue.reason_en
    assert list(report.table["commune_code"]) == ["06628"]  # the row is rejected, with its reason


def test_an_indicator_of_another_framework_is_reported_not_dropped_silently():
    """Indicator 4.1 is listed by 1980 only: in a 2015 table (491/342) the column is not imported
    and a notice names the column, the framework listing it and the way out."""
    data = csv_bytes(["Mã xã", "Năm", "c04_2", "Chỉ tiêu 4.1", "c09_9"], [["6628", "2015", "95", "1", "3"]])
    report = import_table(data, "khac.csv")
    assert "c04_1" not in report.table.columns and "c09_9" not in report.table.columns
    assert "Chỉ tiêu 4.1" not in report.columns and "electricity_hh_pct" in report.table.columns
    by_column = {n.column: n for n in report.notices}
    assert "Decision 1980/QĐ-TTg (2016–2020)" in by_column["Chỉ tiêu 4.1"].reason_en
    assert "is not imported" in by_column["Chỉ tiêu 4.1"].reason_en
    assert "QĐ 1980/QĐ-TTg" in by_column["Chỉ tiêu 4.1"].reason_vi
    assert "listed in no framework file" in by_column["c09_9"].reason_en
    assert "không có trong tệp bộ tiêu chí nào" in by_column["c09_9"].reason_vi


def test_a_2017_table_reads_1980_indicators_with_their_units():
    """Under 1980: 4.1 (no unit, a yes/no standard: Đạt = 1) and 10.1 (million VND, ≥ 0)."""
    data = csv_bytes(
        ["Mã xã", "Năm", "Chỉ tiêu 4.1", "Chỉ tiêu 10.1"],
        [["6628", "2017", "Đạt", "38,5"], ["5971", "2017", "0", "-3"]],
    )
    report = import_table(data, "t2017.csv")
    assert report.framework_id == "qd1980"
    t = report.table.set_index("commune_code")
    assert t.loc["06628", "c04_1"] == 1.0 and t.loc["06628", "c10_1"] == 38.5
    [issue] = report.out_of_range
    assert (
        issue.column == "Chỉ tiêu 10.1" and "value -3 is outside ≥ 0 triệu đồng/người/năm" in issue.reason_en
    )


PROVINCE = """\
format: ntm-geo/criteria-framework/1
id: ls_2031
decision: 99/2030/QĐ-UBND
title_vi: Bộ tiêu chí xã nông thôn mới tỉnh Lạng Sơn 2031 - 2035
title_en: Lạng Sơn new rural commune criteria 2031-2035
years: [2031, 2035]
levels:
  - {key: standard, name_vi: Xã đạt chuẩn, name_en: New rural commune, source: s1}
threshold_areas:
  kind: commune_group
  items:
    - {key: g1, name_vi: Xã nhóm 1, name_en: Group 1, source: s1}
    - {key: g3, name_vi: Xã nhóm 3, name_en: Group 3, source: s1}
groups: []
criteria:
  - {number: 1, key: c01, name_vi: Quy hoạch, name_en: Planning, source: s1}
  - number: 2
    key: c02
    name_vi: Hạ tầng
    name_en: Infrastructure
    source: s1
    indicators:
      - number: "2.3"
        name_vi: Tỷ lệ thôn có đường ô tô cứng hóa
        name_en: Share of villages with a hardened car road
        unit: "%"
        thresholds: {g1: {op: ">=", value: 100}, g3: {op: ">=", value: 80}}
        source: s1
      - number: "2.4"
        name_vi: Chiều dài kênh mương được kiên cố hóa
        name_en: Length of lined canals
        unit: km
        source: s1
sources:
  - {key: s1, title: Quyết định của UBND tỉnh (ví dụ), url: "https://example.org/qd"}
"""


@pytest.fixture
def province(tmp_path, monkeypatch):
    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path))
    (tmp_path / "ls_2031.yaml").write_text(PROVINCE, encoding="utf-8")
    return tmp_path


def test_a_province_framework_file_with_indicators_is_read_without_a_code_change(province, boundaries_2025):
    units = boundaries_2025.communes
    xa = units[units["unit_type"] == "xa"].head(2)
    codes = list(xa["commune_code"])
    data = csv_bytes(
        ["Mã đơn vị", "Năm", "Nhóm xã", "Tỷ lệ thôn có đường ô tô cứng hóa (%)", "CT 2.4"],
        [[codes[0], "2032", "3", "85", "12,5"], [codes[1], "2032", "1", "120", "4"]],
    )
    report = import_table(data, "tinh_2032.csv")
    assert report.framework_id == "ls_2031"
    assert [c.key for c in framework_indicators.indicator_columns("ls_2031")] == ["c02_3", "c02_4"]
    assert schema.column("c02_4", "ls_2031").unit == "km"
    t = report.table.set_index("commune_code")
    assert t.loc[codes[0], "c02_3"] == 85.0 and t.loc[codes[0], "c02_4"] == 12.5
    [issue] = report.out_of_range  # 120 % is outside 0–100: the cell is named
    assert issue.column == "Tỷ lệ thôn có đường ô tô cứng hóa (%)" and issue.value == "120"
    # the profile holds the group-3 commune to the group-3 threshold (≥ 80 %): met
    joined = join_dataset(units, report.table)
    row = joined.set_index("commune_code").loc[codes[0]].copy()
    row["commune_code"] = codes[0]
    p = commune_profile(row, "en")
    shown = p.framework_indicators.set_index("Indicators")
    line = shown.loc["2.3 Share of villages with a hardened car road"]
    assert (line["Value"], line["Threshold"], line["Status"]) == ("85.0 %", ">= 80.0 %", "✓ Met")
    assert shown.loc["2.4 Length of lined canals", "Threshold"] == "—"


PW = "editor-pw"


@pytest.fixture
def data_store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    store.configure(None)
    auth.configure(None)
    yield
    store.configure(None)


def test_the_store_keeps_the_indicators_and_the_profile_shows_met_and_not_met(data_store, boundaries):
    report = import_table(table_2015(), "chi_tieu_2015.csv")
    info = store.save_import(
        report.table, 2015, report.to_json(), name="Chỉ tiêu", source="VPĐP", uploaded_by="a", password=PW
    )
    saved = store.load_table(info.id, 2015)
    assert saved["c10_1"].dtype == "float64" and list(saved["hygienic_water_hh_pct"]) == [71.2, 80.0, 65.0]
    joined = join_dataset(boundaries.communes, saved).set_index("commune_code", drop=False)
    met = commune_profile(joined.loc["06628"], "vi").framework_indicators.set_index("Chỉ tiêu")
    electricity = "4.2 Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn"
    water = "17.1 Tỷ lệ hộ được sử dụng nước hợp vệ sinh"
    assert met.loc[electricity, "Kết quả"] == "✓ Đạt"  # 96.5 ≥ 95 (Trung du và miền núi phía Bắc)
    assert met.loc[water, "Kết quả"] == "✗ Chưa đạt"  # 65 < 70
    other = commune_profile(joined.loc["05971"], "vi").framework_indicators.set_index("Chỉ tiêu")
    assert other.loc[electricity, "Kết quả"] == "✗ Chưa đạt" and other.loc[water, "Kết quả"] == "✓ Đạt"


def test_the_export_table_carries_the_indicator_columns(boundaries):
    from ntm_geo.exports.formats import view_table
    from ntm_geo.maps.themes import compute_view

    report = import_table(table_2015(), "chi_tieu_2015.csv")
    joined = join_dataset(boundaries.communes, report.table)
    table = view_table(joined, compute_view(joined, "criteria_met", lang="vi"), "vi")
    assert "c10_1" in table.columns and not {"c04_2", "c17_1"} & set(table.columns)
    assert table.set_index("commune_code").loc["06628", "c10_1"] == 14.5
    assert table.set_index("commune_code").loc["06628", "electricity_hh_pct"] == 96.5


def test_the_contract_reads_indicator_columns_as_numbers_in_their_range(tmp_path):
    """A dataset CSV (the contract) with c12_1: numbers, 0–100 checked naming row and column."""
    from ntm_geo.datasets.contract import load_dataset_csv, load_illustrative

    table = load_illustrative(2015).head(3).copy()
    table["c12_1"] = ["97.125", "", "90"]
    path = tmp_path / "ds.csv"
    table.astype(object).to_csv(path, index=False)
    text = path.read_text(encoding="utf-8").replace("True", "1").replace("False", "0").replace("<NA>", "")
    path.write_text(text, encoding="utf-8")
    loaded = load_dataset_csv(path)
    assert loaded["c12_1"].dtype == "float64" and loaded["c12_1"].iloc[0] == 97.125
    path.write_text(text.replace("97.125", "197.125"), encoding="utf-8")
    with pytest.raises(DataError, match=r"ds.csv, row 2, column c12_1: percentage 197.125 is outside 0-100"):
        load_dataset_csv(path)


def test_conform_table_types_indicator_columns_as_numbers():
    from ntm_geo.datasets.contract import load_illustrative

    table = load_illustrative(2015).head(2).assign(c12_1=["96,5", None])
    table["c12_1"] = pd.to_numeric(table["c12_1"].str.replace(",", "."))
    table["c10_1"] = pd.Series([70, 80], dtype="Int64", index=table.index)
    out = store.conform_table(table, 2015)
    assert out["c12_1"].dtype == "float64" and out["c10_1"].dtype == "float64"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_csv_and_excel_exports_carry_the_indicators_and_import_back(data_store, boundaries, fmt):
    """The exported table of a saved dataset with c10_1 and the linked 4.2/17.1 has them under
    their headers ("CT10.1. …", the registry's) and imports again to the same values."""
    from ntm_geo.exports.formats import table_export
    from ntm_geo.views.viewstate import ViewState

    report = import_table(table_2015(), "chi_tieu_2015.csv")
    info = store.save_import(
        report.table, 2015, report.to_json(), name="Chỉ tiêu", source="VPĐP", uploaded_by="a", password=PW
    )
    data = table_export(ViewState(dataset=info.id, year=2015), fmt, boundaries=boundaries)
    if fmt == "csv":
        text = data.decode("utf-8-sig")
        assert "CT10.1. Thu nhập bình quân đầu người khu vực nông thôn (triệu đồng/người/năm)" in text
        assert "CT4.2." not in text
    again = import_table(data, f"xuat.{fmt}").table.set_index("commune_code")
    assert (
        again.loc["06628", "electricity_hh_pct"] == 96.5
        and again.loc["05971", "hygienic_water_hh_pct"] == 71.2
    )
    assert again.loc["06628", "c10_1"] == 14.5 and pd.isna(again.loc["06625", "c10_1"])


def test_the_header_search_looks_the_frameworks_up_once_not_per_cell(province, monkeypatch):
    """With a province folder each look-up lists and stats its files: the header search of a
    41-column template (~3,900 header_field calls) looks the frameworks up once."""
    from ntm_geo.datasets.importing.reading import read_table
    from ntm_geo.datasets.template import template_csv

    calls = []
    real = fw.all_frameworks
    monkeypatch.setattr(fw, "all_frameworks", lambda *a: calls.append(1) or real(*a))
    raw = read_table(template_csv(2015), "mau.csv")
    assert "c10_1" in raw.fields and len(calls) == 1
