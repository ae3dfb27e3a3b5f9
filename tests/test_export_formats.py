"""Standalone HTML map (offline, inline assets) and Excel table export."""

from __future__ import annotations

import io
import re
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from ntm_geo.datasets import catalog
from ntm_geo.errors import ConfigError
from ntm_geo.exports.formats import (
    TABLE_COLUMNS,
    display_table,
    export_filename,
    standalone_html,
    table_xlsx,
    view_table,
)
from ntm_geo.maps.themes import compute_view, join_dataset
from ntm_geo.views.viewstate import ViewState

# ----------------------------------------------------------------------------- HTML


@pytest.fixture(scope="module")
def page(boundaries) -> str:
    return standalone_html(
        ViewState(var="poverty_rate_pct", district="186"), boundaries=boundaries, today=date(2026, 5, 4)
    )


def test_html_loads_nothing_from_a_url(page):
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)  # every script is inline
    assert not re.search(r"<link[^>]*\bhref\s*=", page, re.I)  # every stylesheet is inline
    assert 'src="http' not in page and "src='http" not in page
    assert not re.search(r"href=[\"']?https?:[^>]*stylesheet", page, re.I)
    assert not re.search(
        r"@import|url\((?!data:|#)", page
    )  # CSS images are data: URIs (VML "#default" aside)
    assert "/app/static/" not in page  # no reference to the app's server either
    assert "tile.openstreetmap" not in page  # no tiles


def test_html_inlines_leaflet_and_all_units(page):
    assert "L.map(" in page and "leaflet-container" in page
    assert page.count("<script>") >= 2
    assert re.search(r"Leaflet 1\.9", page)
    assert "ntm-legend" in page


def test_html_legend_counts_the_chosen_district_only(page, boundaries):
    counts = [int(n) for n in re.findall(r'font-variant-numeric:tabular-nums\\?"?>(\d+)<', page)]
    in_district = int((boundaries.communes["district_code"] == "186").sum())
    assert len(counts) >= 3 and sum(counts) == in_district < len(boundaries.communes)


def test_html_has_title_badge_sources_and_date(page):
    assert "<title>Tỷ lệ hộ nghèo — năm 2015 — Huyện Hữu Lũng</title>" in page
    assert "DỮ LIỆU MINH HỌA" in page
    assert "censusVN2009" in page and "04/05/2026" in page


def test_html_escapes_text(boundaries, monkeypatch):
    from ntm_geo.datasets import contract as datasets

    info = datasets.ILLUSTRATIVE
    evil = type(info)(**{**info.__dict__, "name_vi": "<script>alert(1)</script>", "note_vi": "<b>x</b>"})
    monkeypatch.setattr(catalog, "list_datasets", lambda: [evil])
    out = standalone_html(ViewState(), boundaries=boundaries)
    assert "<script>alert(1)</script>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b>x</b>" not in out


def test_html_english(boundaries):
    out = standalone_html(ViewState(lang="en", var="c05"), boundaries=boundaries)
    assert "ILLUSTRATIVE DATA" in out and "Boundaries: censusVN2009" in out


def test_html_rejects_bad_spec(boundaries):
    with pytest.raises(ConfigError, match=r"Unknown map variable 'x'.*Biến bản đồ không hợp lệ"):
        standalone_html(ViewState(var="x"), boundaries=boundaries)


# ----------------------------------------------------------------------------- table


@pytest.fixture(scope="module")
def real_table(boundaries) -> pd.DataFrame:
    joined = join_dataset(boundaries.communes_web, catalog.load_year("illustrative", 2015))
    return view_table(joined, compute_view(joined, "criteria_met"), "vi")


def test_view_table_columns_and_rows(real_table):
    assert len(real_table) == 226
    assert list(real_table.columns[:4]) == [
        "commune_code",
        "name_with_type",
        "district_code",
        "district_name",
    ]
    assert set(real_table.columns[:-1]) <= set(TABLE_COLUMNS)
    assert real_table.columns[-1] == "Số tiêu chí đạt (0–19)"
    assert set(real_table.loc[real_table["unit_type"] != "xa", real_table.columns[-1]]) == {"Không đánh giá"}


def _sheet(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    return wb, wb.active


def test_xlsx_layout_title_note_frozen_header(real_table):
    data = table_xlsx(
        real_table, title="Số tiêu chí đạt — năm 2015", note="Dữ liệu minh họa: không phải số liệu thật."
    )
    wb, ws = _sheet(data)
    assert ws.title == "Bảng số liệu"
    assert ws["A1"].value == "Số tiêu chí đạt — năm 2015" and ws["A1"].font.b
    assert ws["A2"].value.startswith("Dữ liệu minh họa")
    assert [c.value for c in ws[4]][:4] == [
        "commune_code",
        "name_with_type",
        "district_code",
        "district_name",
    ]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == f"A4:{ws.cell(row=4, column=len(real_table.columns)).column_letter}230"
    assert ws.max_row == 4 + 226
    assert ws.column_dimensions["B"].width > ws.column_dimensions["A"].width >= 8
    assert wb.properties.creator == "ntm-geo"


def test_xlsx_numbers_are_numbers_and_vietnamese_intact(real_table):
    _, ws = _sheet(table_xlsx(real_table, title="T"))
    header = {c.value: c.column for c in ws[3]}  # no note: header in row 3
    first = 4
    assert ws.cell(row=first, column=header["commune_code"]).data_type == "s"  # codes keep leading zeros
    assert ws.cell(row=first, column=header["commune_code"]).value == real_table["commune_code"].iloc[0]
    pop = ws.cell(row=first, column=header["population_2009"])
    assert isinstance(pop.value, int) and pop.number_format == "#,##0"
    pct = ws.cell(row=first, column=header["poverty_rate_pct"])
    assert isinstance(pct.value, float) and pct.number_format == "0.0"
    names = [ws.cell(row=r, column=header["name_with_type"]).value for r in range(first, first + 226)]
    assert names == list(real_table["name_with_type"])
    assert any("Đ" in n or "ạ" in n for n in names)
    # not assessed units: empty cells, never 0
    ward = list(real_table["unit_type"]).index("phuong")
    assert ws.cell(row=first + ward, column=header["criteria_met"]).value is None


def test_xlsx_neutralises_formulas_and_control_characters():
    df = pd.DataFrame(
        {
            "name": ['=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "Xã Đồng Đăng", "a\x07b"],
            "=bad header": [1, 2, 3, 4, 5, 6],
            "share": pd.array([1.5, None, 2.25, 0.0, 3.0, 4.0], dtype="Float64"),
            "flag": pd.array([True, False, None, True, False, True], dtype="boolean"),
        }
    )
    _, ws = _sheet(table_xlsx(df, title="=cmd|' /C calc'!A0", note="@note"))
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert ws["A1"].value == "'=cmd|' /C calc'!A0"
    assert ws["A2"].value == "'@note"
    assert [ws.cell(row=5 + i, column=1).value for i in range(6)] == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "Xã Đồng Đăng",
        "ab",
    ]
    assert ws.cell(row=4, column=2).value == "'=bad header"
    assert ws.cell(row=5, column=2).value == 1  # numbers untouched
    assert ws.cell(row=6, column=3).value is None  # NA -> empty
    assert ws.cell(row=5, column=4).value is True and ws.cell(row=7, column=4).value is None


def test_xlsx_empty_table_and_sheet_name():
    df = pd.DataFrame({"a": pd.Series([], dtype="Int64")})
    _wb, ws = _sheet(table_xlsx(df, title="Empty", sheet="Data [2015]: a/b?" + "x" * 40))
    assert ws.title == "Data 2015 abx" + "x" * 18 and len(ws.title) == 31
    assert ws.max_row == 3


def test_export_filename():
    assert (
        export_filename(ViewState(district="186"), "png", "a4")
        == "ntm_lang_son_illustrative_2015_criteria_met_186_a4.png"
    )
    assert export_filename(ViewState(), "xlsx") == "ntm_lang_son_illustrative_2015_criteria_met.xlsx"
    with pytest.raises(
        ConfigError,
        match=r"Unknown export file type 'doc'; allowed: png, pdf, html, gpkg, xlsx, csv.*Loại tệp",
    ):
        export_filename(ViewState(), "doc")


def test_display_table_is_translated_and_keeps_numbers(real_table):
    vi = display_table(real_table, "vi")
    assert list(vi.columns[:5]) == ["Mã xã", "Đơn vị", "Mã huyện", "Huyện", "Loại"]
    assert {"TC1", "TC19", "Tỷ lệ hộ nghèo (%)", "Diện tích (km²)"} <= set(vi.columns)
    assert set(vi["Loại"]) == {"Xã", "Phường", "Thị trấn"}
    ward = vi[vi["Loại"] == "Phường"].iloc[0]
    assert ward["TC1"] == "" and pd.isna(ward["Số tiêu chí đạt"])  # not assessed: blank, never ✗ or 0
    assert set(vi.loc[vi["Loại"] == "Xã", "TC2"]) == {"✓", "✗"}
    assert vi["Tỷ lệ hộ nghèo (%)"].dtype.kind == "f"  # numbers stay numbers (the table sorts by value)
    en = display_table(real_table, "en")
    assert {"Code", "Unit", "C1", "Poverty rate (%)"} <= set(en.columns)
    assert set(en["Type"]) == {"Rural commune", "Ward", "Township"}
    assert not any(c in en.columns for c in ("commune_code", "unit_type", "c01"))
