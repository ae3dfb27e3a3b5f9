"""Decision sheet: three sheets, one row per shortlisted xã with notes, formulas neutralised,
provenance (illustrative label), and a PNG map drawn with Vietnamese text."""

from __future__ import annotations

import io
from datetime import date

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.datasets.contract import ILLUSTRATIVE, DatasetInfo
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.decision_sheet import decision_sheet_xlsx, shortlist_map_png
from tests.test_planning import joined, unit

REAL = DatasetInfo(
    "tinh-2016", "Số liệu tỉnh 2016", "Province data 2016", (2015,), "Văn phòng Điều phối NTM", False, "", ""
)


@pytest.fixture()
def rows():
    table = pl.candidate_table(
        joined(
            [
                unit("00001", "Xã An", met=17, poverty=12.5),
                unit("00002", "Xã Bình", met=9),
                unit("00003", "=cmd|' /C calc'!A0", met=5),
            ]
        ),
        "vi",
    )
    return pl.shortlist_rows(table, ["00002", "00001", "00003"], "vi")


def _open(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def test_three_sheets_one_row_per_commune_with_notes(rows):
    notes = {"00001": "Ưu tiên vốn giao thông", "00002": "@SUM(A1:A9)\x07 chuông"}
    wb = _open(decision_sheet_xlsx(rows, notes, ILLUSTRATIVE, None, "vi", year=2015, today=date(2016, 5, 5)))
    assert wb.sheetnames == ["Danh sách xã", "Bản đồ", "Bộ dữ liệu"]
    data = list(wb["Danh sách xã"].iter_rows(values_only=True))
    header, body = data[0], data[1:]
    assert header[:4] == ("STT", "Mã xã", "Xã", "Huyện") and header[-1] == "Ghi chú"
    assert len(body) == 3
    assert [r[2] for r in body] == ["Xã Bình", "Xã An", "'=cmd|' /C calc'!A0"]  # formula neutralised
    assert [r[1] for r in body] == ["00002", "00001", "00003"]  # codes stay text (leading zeros)
    assert body[1][-1] == "Ưu tiên vốn giao thông"
    assert body[0][-1] == "'@SUM(A1:A9) chuông"  # control character dropped, formula neutralised
    assert body[2][-1] is None
    assert body[1][header.index("Tỷ lệ hộ nghèo (%)")] == 12.5
    c18 = next(i for i, h in enumerate(header) if str(h).startswith("18. "))
    assert (body[1][c18], body[1][c18 - 1]) == ("✗", "✓")  # Xã An: 17 met, 18 and 19 missing
    for row in wb["Danh sách xã"].iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formulas anywhere
    assert wb["Bản đồ"]["A3"].value == "Không có hình bản đồ."


def test_provenance_sheet_says_illustrative(rows):
    wb = _open(decision_sheet_xlsx(rows, {}, ILLUSTRATIVE, None, "en", year=2015, today=date(2016, 5, 5)))
    assert wb.sheetnames == ["Shortlist", "Map", "Dataset"]
    info = {r[0]: r[1] for r in wb["Dataset"].iter_rows(values_only=True)}
    assert info["Illustrative data?"].startswith("YES — ILLUSTRATIVE DATA")
    assert info["Provenance / note"] == ILLUSTRATIVE.note_en
    assert info["Dataset id"] == "illustrative" and info["Data year"] == "2015"
    assert info["Exported on"] == "2016-05-05"
    assert "72" in info["2020 targets"]


def test_real_dataset_is_not_labelled_illustrative(rows):
    wb = _open(decision_sheet_xlsx(rows, {}, REAL, None, "vi"))
    info = {r[0]: r[1] for r in wb["Bộ dữ liệu"].iter_rows(values_only=True)}
    assert info["Dữ liệu minh họa?"] == "Không"
    assert info["Bộ dữ liệu"] == "Số liệu tỉnh 2016"


def test_map_png_is_embedded_and_drawn():
    communes = gpd.GeoDataFrame(
        {"commune_code": ["00001", "00002", "00003"], "name_with_type": ["Xã Đông Quan", "Xã Bình", "Xã Ải"]},
        geometry=[
            box(106.0, 21.5, 106.1, 21.6),
            box(106.1, 21.5, 106.2, 21.6),
            box(106.2, 21.5, 106.3, 21.6),
        ],
        crs=4326,
    )
    districts = gpd.GeoDataFrame(
        {"district_code": ["189"]}, geometry=[box(106.0, 21.5, 106.3, 21.6)], crs=4326
    )
    png = shortlist_map_png(
        communes, districts, ["00003", "00001"], title="Các xã đề xuất", note="Dữ liệu minh họa"
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    rows = pd.DataFrame({"Xã": ["Xã Ải"]}, index=pd.Index(["00003"], name="commune_code"))
    wb = _open(decision_sheet_xlsx(rows, {}, ILLUSTRATIVE, png, "vi"))
    assert len(wb["Bản đồ"]._images) == 1


def test_labels_of_neighbouring_shortlisted_xa_do_not_overlap(boundaries):
    from ntm_geo.planning.decision_sheet import _shortlist_figure

    codes = ["06247", "06214", "06220", "06250", "06202", "06196", "06238"]  # 7 neighbours in Cao Lộc
    fig, labels = _shortlist_figure(
        boundaries.communes_web,
        boundaries.districts_web,
        codes,
        title="Đề xuất",
        note="",
        lang="vi",
        width_in=8.0,
        dpi=110,
    )
    assert [lab.get_text().split(".")[0] for lab in labels] == [str(i) for i in range(1, 8)]
    fig.canvas.draw()  # (the label boxes follow the moved texts at drawing time)
    renderer = fig.canvas.get_renderer()
    boxes = [lab.get_bbox_patch().get_window_extent(renderer) for lab in labels]
    overlapping = [
        (labels[i].get_text(), labels[j].get_text())
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if boxes[i].overlaps(boxes[j])
    ]
    assert overlapping == []
