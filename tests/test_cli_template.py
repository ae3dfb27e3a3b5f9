"""python -m ntm_geo template --year [--framework] [--format] [-o]: the data page's template as a file."""

from __future__ import annotations

import io

import openpyxl
import pytest

from ntm_geo import __main__ as cli
from ntm_geo.datasets.template import HEADER_ROW


def test_the_2015_excel_template_has_the_491_342_indicator_columns(tmp_path, capsys):
    out = tmp_path / "mau.xlsx"
    assert cli.main(["template", "--year", "2015", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert (
        "QĐ 491/QĐ-TTg; 342/QĐ-TTg (2011–2015, 19 tiêu chí)" in printed
        and "9 chỉ tiêu / indicators" in printed
    )
    ws = openpyxl.load_workbook(io.BytesIO(out.read_bytes()))["Dữ liệu"]
    heads = [ws.cell(HEADER_ROW, j).value for j in range(1, ws.max_column + 1)]
    assert "CT10.1. Thu nhập bình quân đầu người khu vực nông thôn (triệu đồng/người/năm)" in heads
    assert "Tỷ lệ hộ sử dụng điện (%)" in heads and not [h for h in heads if str(h).startswith("CT4.2")]


def test_csv_of_a_named_framework_in_the_default_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", "--year", "2018", "--framework", "qd1980", "--format", "csv"]) == 0
    text = (tmp_path / "mau_ntm_2018_qd1980.csv").read_bytes().decode("utf-8-sig")
    assert "CT4.1. Hệ thống điện đạt chuẩn" in text.splitlines()[0]


def test_the_2026_template_says_it_lists_the_65_units_of_2025(tmp_path, capsys):
    out_file = tmp_path / "m.csv"
    assert cli.main(["template", "--year", "2026", "--format", "csv", "-o", str(out_file)]) == 0
    assert "Đơn vị hành chính 2025 (65 xã, phường; không còn cấp huyện)" in capsys.readouterr().out
    assert len(out_file.read_bytes().decode("utf-8-sig").splitlines()) == 66


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2040"], "No criteria framework covers the year 2040"),
        (["--year", "2015", "--framework", "qd1"], "Unknown criteria framework 'qd1'"),
    ],
)
def test_unknown_framework_or_year_is_refused_in_both_languages(tmp_path, capsys, args, message):
    assert cli.main(["template", *args, "-o", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err
    assert message in err and "Lỗi:" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_the_format_comes_from_the_output_extension(tmp_path, capsys):
    # m3 (trial 8): `template -o x.csv` wrote an Excel workbook into a file named .csv
    csv_out, xlsx_out = tmp_path / "mau.csv", tmp_path / "mau.XLSX"
    assert cli.main(["template", "--year", "2015", "-o", str(csv_out)]) == 0
    assert not csv_out.read_bytes().startswith(b"PK")  # not a zip (xlsx)
    assert len(csv_out.read_bytes().decode("utf-8-sig").splitlines()) == 227  # header + 226 units
    assert cli.main(["template", "--year", "2015", "-o", str(xlsx_out)]) == 0
    assert "Dữ liệu" in openpyxl.load_workbook(io.BytesIO(xlsx_out.read_bytes())).sheetnames


@pytest.mark.parametrize(
    ("args", "vi", "en"),
    [
        (
            ["--format", "xlsx", "-o", "x.csv"],
            "x.csv: --format xlsx không khớp với phần mở rộng .csv của tệp",
            "x.csv: --format xlsx does not match the file's extension .csv",
        ),
        (
            ["-o", "x.xls"],
            "x.xls: phần mở rộng .xls không được hỗ trợ; đặt tên tệp .xlsx (Excel) hoặc .csv.",
            "x.xls: unknown file extension .xls; name the file .xlsx (Excel) or .csv.",
        ),
    ],
)
def test_a_format_that_contradicts_the_extension_is_refused(tmp_path, monkeypatch, capsys, args, vi, en):
    monkeypatch.chdir(tmp_path)
    assert cli.main(["template", "--year", "2015", *args]) == 2
    err = capsys.readouterr().err
    assert f"Lỗi: {vi}" in err and f"Error: {en}" in err
    assert list(tmp_path.iterdir()) == []  # nothing written
