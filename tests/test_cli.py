"""Command line: python -m ntm_geo check-report / generate-illustrative."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from ntm_geo import __main__ as cli
from ntm_geo.datasets import illustrative as il

REPO = Path(__file__).resolve().parent.parent


def synthetic_units() -> pd.DataFrame:
    u = pd.read_csv(REPO / "data" / "units_gso2015.tsv", sep="\t", dtype=str)
    return u.rename(columns={"type": "unit_type"}).assign(population_2009=3000, area_km2=40.0)


def tiny_units():
    """Four units in one district (thị trấn + 3 xã), 0.05° squares."""
    import geopandas as gpd
    from shapely.geometry import box

    rows = [
        {
            "commune_code": f"0000{i}",
            "district_code": "189",
            "unit_type": "thi-tran" if i == 1 else "xa",
            "population_2009": 2000 + 100 * i,
            "area_km2": 20.0 + i,
            "geometry": box(107 + 0.05 * i, 21.5, 107.05 + 0.05 * i, 21.55),
        }
        for i in range(1, 5)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


@pytest.fixture()
def real_units_loader():
    try:
        units = il.load_units()
    except Exception as exc:
        pytest.skip(f"real boundaries unavailable (set NTM_GEO_BOUNDARY_MIRROR): {exc}")
    return lambda: units


@pytest.mark.parametrize("year", [2011, 2015])
def test_check_report_table_passes(capsys, monkeypatch, real_units_loader, year):
    monkeypatch.setattr(il, "load_units", real_units_loader)
    assert cli.main(["check-report", "--year", str(year)]) == 0
    out = capsys.readouterr().out
    assert "Báo cáo" in out and "✓" in out and "✗" not in out
    assert "Tỷ lệ hộ nghèo toàn tỉnh" in out


def test_check_report_numbers_are_written_as_the_reader_writes_them(capsys, monkeypatch):
    """trial 8, m4: "Bình quân số tiêu chí/xã: 7.4 / 9.4638" in Vietnamese text; now the report's
    precision and the language's decimal separator (synthetic weights: the poverty rate differs)."""
    monkeypatch.setattr(il, "load_units", synthetic_units)
    cli.main(["check-report", "--year", "2015"])
    vi = {line.split("  ")[0]: line.split()[-3:] for line in capsys.readouterr().out.splitlines()[1:32]}
    cli.main(["check-report", "--year", "2015", "--lang", "en"])
    en = {line.split("  ")[0]: line.split()[-3:] for line in capsys.readouterr().out.splitlines()[1:32]}
    assert vi["Bình quân số tiêu chí/xã"] == ["7,4", "7,4", "✓"]
    assert en["Mean criteria per commune"] == ["7.4", "7.4", "✓"]
    report, computed, mark = vi["Tỷ lệ hộ nghèo toàn tỉnh"]
    assert mark == "✗" and report == "11,9" and re.fullmatch(r"\d+,\d", computed)
    assert en["Poor households, province"][1] == computed.replace(",", ".")


def test_check_report_json(capsys, monkeypatch, real_units_loader):
    monkeypatch.setattr(il, "load_units", real_units_loader)
    assert cli.main(["check-report", "--year", "2015", "--json", "--lang", "en"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["criterion_03_met"] == {
        "label": "Communes meeting criterion 3 (Irrigation)",
        "report": 53,
        "computed": 53,
        "tolerance": 0.0,
        "unit": "xã",
        "ok": True,
    }
    assert all(v["ok"] for v in payload.values())


def test_check_report_fails_with_exit_1(capsys, monkeypatch):
    monkeypatch.setattr(il, "load_units", synthetic_units)  # wrong weights -> poverty etc. differ
    assert cli.main(["check-report", "--year", "2015", "--lang", "en"]) == 1
    out = capsys.readouterr().out
    assert "✗" in out and "Figure" in out
    assert cli.main(["check-report", "--year", "2015", "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["criterion_02_met"]["ok"] is True and payload["poverty_rate_pct"]["ok"] is False


def test_check_report_bad_dataset_exit_2(capsys, monkeypatch, tmp_path):
    monkeypatch.setattr(il, "load_units", synthetic_units)
    assert cli.main(["check-report", "--year", "2015", "--dataset", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert "Lỗi: x.csv: không tìm thấy tệp." in err and "Error: x.csv: file not found." in err


def test_check_report_reads_the_filled_excel_template(capsys, monkeypatch, real_units_loader, tmp_path):
    from tests.browser.test_data_page import BAD_CODE, filled_template

    monkeypatch.setattr(il, "load_units", real_units_loader)
    good = filled_template(tmp_path / "mau_2015.xlsx", bad_code=None)  # Vietnamese headers, title rows
    assert cli.main(["check-report", "--year", "2015", "--dataset", str(good)]) == 0
    out = capsys.readouterr().out
    assert "31/31 số liệu khớp" in out and "✗" not in out

    bad = filled_template(tmp_path / "mau_2015_loi.xlsx", bad_code=BAD_CODE)  # one row refused: 225 units
    assert cli.main(["check-report", "--year", "2015", "--dataset", str(bad), "--json"]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out)["units_in_dataset"]["computed"] == 225
    assert "1 dòng không dùng được" in captured.err and "1 row could not be used" in captured.err


def test_json_errors_are_json(capsys, tmp_path):
    empty = tmp_path / "rong.csv"
    empty.write_bytes(b"")
    assert cli.main(["check-report", "--year", "2015", "--dataset", str(empty), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["error"] == {
        "message_vi": "rong.csv: tệp rỗng.",
        "message_en": "rong.csv: the file is empty.",
        "file": "rong.csv",
        "row": None,
        "column": None,
    }
    assert "Lỗi: rong.csv: tệp rỗng." in captured.err
    assert cli.main(["import-table", str(empty), "--dry-run", "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["error"]["file"] == "rong.csv"
    with pytest.raises(SystemExit) as info:  # a bad argument: JSON on stdout too, usage on stderr
        cli.main(["check-report", "--year", "2099", "--json"])
    assert info.value.code == 2
    captured = capsys.readouterr()
    assert (
        "invalid choice: 2099" in json.loads(captured.out)["error"]["message_en"] and "usage:" in captured.err
    )


def test_check_report_year_choices(capsys):
    with pytest.raises(SystemExit) as info:
        cli.main(["check-report", "--year", "2013"])
    assert info.value.code == 2
    assert "invalid choice: 2013" in capsys.readouterr().err


def test_generate_illustrative_to_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(il, "load_units", tiny_units)
    assert cli.main(["generate-illustrative", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["lang_son_ntm_2011.csv", "lang_son_ntm_2015.csv"]
    assert (tmp_path / "lang_son_ntm_2015.csv").read_text(encoding="utf-8").startswith("commune_code,year,")


def test_register_is_extensible_and_rejects_duplicates():
    names = [c.name for c in cli.COMMANDS]
    assert names[:2] == ["check-report", "generate-illustrative"]
    with pytest.raises(ValueError, match=r"Command 'check-report' is already registered"):
        cli.register("check-report", "again", lambda p: None, lambda a: 0)


def test_subprocess_utf8_output_and_no_streamlit(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(REPO)}
    code = (
        "import sys, ntm_geo.__main__ as m, ntm_geo.criteria.report_check, ntm_geo.datasets.contract, ntm_geo.datasets.illustrative;"
        "r = m.main(['check-report', '--year', '2015', '--dataset', sys.argv[1]]);"
        "assert 'streamlit' not in sys.modules; sys.exit(r)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "thiếu.csv")],
        env=env,
        capture_output=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "không tìm thấy tệp" in proc.stderr.decode("utf-8")


def test_build_shapes_reports_topology(boundaries, capsys):
    from ntm_geo.__main__ import main

    assert main(["build-shapes"]) == 0
    out = capsys.readouterr().out
    assert "units 226" in out and "districts 11" in out and "gaps 0" in out


@pytest.mark.parametrize(
    ("argv", "vi", "en"),
    [
        (
            ["check-report"],
            "Lỗi: thiếu tham số bắt buộc: --year",
            "the following arguments are required: --year",
        ),
        (
            ["check-report", "--year", "2013"],
            "Lỗi: tham số --year: giá trị 2013 không hợp lệ (chọn một trong 2011, 2015)",
            "invalid choice: 2013",
        ),
        (
            ["frameworks", "--bogus"],
            "Lỗi: tham số không được hỗ trợ: --bogus",
            "unrecognized arguments: --bogus",
        ),
        (
            ["import-table", "x.csv", "--year", "abc"],
            "Lỗi: tham số --year: giá trị 'abc' không phải số nguyên",
            "invalid int value: 'abc'",
        ),
        (
            ["check-report", "--year", "2015", "--dataset"],
            "Lỗi: tham số --dataset: cần một giá trị",
            "expected one",
        ),
    ],
)
def test_argument_errors_are_in_vietnamese_and_english(capsys, argv, vi, en):
    """argparse's own errors were English only ("the following arguments are required")."""
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert vi in err.splitlines()
    assert en in err and "usage:" in err and "Traceback" not in err


def test_unknown_argparse_message_is_kept_after_a_vietnamese_lead_in():
    from ntm_geo.cli.argerrors import message_vi

    assert message_vi("something new") == "tham số không hợp lệ: something new"
    assert message_vi("argument --k: invalid float value: 'x'") == "tham số --k: giá trị 'x' không phải số"
