"""python -m ntm_geo frameworks [--json] [--id] [--file]."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ntm_geo import __main__ as cli
from ntm_geo.criteria import frameworks as fw
from tests.test_frameworks import PROVINCE

REPO = Path(__file__).resolve().parent.parent


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["frameworks", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_lists_every_framework_with_years_criteria_and_indicators(capsys):
    code, out, _ = run(capsys, "--json")
    assert code == 0
    items = json.loads(out)["frameworks"]
    assert [(f["id"], f["decision"], f["years"], len(f["criteria"])) for f in items] == [
        ("qd491_342", "491/QĐ-TTg; 342/QĐ-TTg", [2011, 2015], 19),
        ("qd1980", "1980/QĐ-TTg", [2016, 2020], 19),
        ("qd318", "318/QĐ-TTg", [2021, 2025], 19),
        ("qd51_2025", "51/2025/QĐ-TTg", [2026, 2030], 10),
    ]
    q51 = items[3]
    assert (
        q51["criteria"][2]["number"] == 3 and q51["criteria"][2]["name_vi"] == "Phát triển kinh tế nông thôn"
    )
    assert q51["criteria"][2]["name_en"] == "Rural economic development"
    assert q51["criteria"][2]["indicators"] == []
    assert q51["indicator_count"] == 47 and q51["threshold_areas"]["kind"] == "commune_group"
    electricity = items[0]["criteria"][3]["indicators"][0]
    assert electricity["number"] == "4.2" and electricity["thresholds"] == {
        "tdmnpb": {"op": ">=", "value": 95.0}
    }
    # one column per quantity: 4.2 is measured by the registry's electricity column
    assert (electricity["column"], electricity["linked"]) == ("electricity_hh_pct", True)
    income = items[0]["criteria"][9]["indicators"][0]
    assert (income["number"], income["column"], income["linked"]) == ("10.1", "c10_1", False)
    assert all(s["title"] for f in items for s in f["sources"])


def test_text_listing_gives_counts_and_sources(capsys):
    code, out, _ = run(capsys)
    assert code == 0
    assert (
        "qd51_2025  QĐ 51/2025/QĐ-TTg  2026–2030  10 tiêu chí, 47 chỉ tiêu theo quyết định; tệp mô tả 0"
        in out
    )
    assert (
        "qd318  QĐ 318/QĐ-TTg  2021–2025  19 tiêu chí, tổng số chỉ tiêu: chưa ghi trong tệp; tệp mô tả 0 chỉ tiêu"
        in out
    )
    assert "Xã nông thôn mới kiểu mẫu (319/QĐ-TTg)" in out
    assert "<https://www.vietnamplus.vn/" in out and "chưa tìm thấy:" in out
    code, out, _ = run(capsys, "--lang", "en", "--id", "qd1980")
    assert out.startswith(
        "qd1980  Decision 1980/QĐ-TTg  2016–2020  19 criteria, total indicators: not recorded in the file; the file describes 4"
    )
    # every criterion, and under it each indicator with its thresholds per region and its source
    assert (
        "    10. Income\n      10.1 Average rural income per person by 2020 (triệu đồng/người/năm): " in out
    )
    assert "Northern midlands and mountains >= 36; Red River Delta >= 50;" in out
    assert (
        "11.1 Share of poor households (multidimensional poverty standard 2016-2020) (%) → poverty_rate_pct: "
        "no threshold [molisa_4999_2016]" in out
    )
    assert "    19. Defence and security\n" in out
    assert "qd318" not in out


def test_a_province_file_is_validated_and_listed(tmp_path, capsys):
    good = tmp_path / "ls_2031.yaml"
    good.write_text(PROVINCE, encoding="utf-8")
    code, out, _ = run(capsys, "--json", "--file", str(good), "--id", "ls_2031")
    assert code == 0
    (item,) = json.loads(out)["frameworks"]
    assert (item["id"], item["years"], item["builtin"], item["indicators_listed"]) == (
        "ls_2031",
        [2031, 2035],
        False,
        1,
    )
    code, out, _ = run(capsys, "--file", str(good), "--lang", "en")
    assert (
        "ls_2031  Decision 99/2030/QĐ-UBND  2031–2035  2 criteria" in out and "ls_2031.yaml (province)" in out
    )


def test_a_bad_province_file_exits_2_naming_file_and_field(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PROVINCE.replace("value: 5.5", "value: nhiều"), encoding="utf-8")
    code, out, err = run(capsys, "--file", str(bad))
    assert code == 2 and out == ""
    assert (
        "Lỗi: bad.yaml: trường `criteria[0].indicators[0].thresholds.g3.value` (dòng 26): cần một số" in err
    )
    assert (
        "Error: bad.yaml: field `criteria[0].indicators[0].thresholds.g3.value` (line 26): expected a number"
        in err
    )
    assert str(tmp_path) not in err
    code, out, _ = run(capsys, "--json", "--file", str(bad))
    error = json.loads(out)["error"]
    assert code == 2 and (error["file"], error["column"]) == (
        "bad.yaml",
        "criteria[0].indicators[0].thresholds.g3.value",
    )


def test_unknown_id_exits_2(capsys):
    code, _, err = run(capsys, "--id", "qd2099")
    assert (
        code == 2 and "Unknown criteria framework 'qd2099'; known: qd491_342, qd1980, qd318, qd51_2025" in err
    )


def test_province_folder_from_the_setting(tmp_path):
    (tmp_path / "ls_2031.yaml").write_text(PROVINCE, encoding="utf-8")
    env = {**os.environ, fw.FRAMEWORKS_DIR_ENV: str(tmp_path)}
    res = subprocess.run(
        [sys.executable, "-m", "ntm_geo", "frameworks", "--json"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert [f["id"] for f in json.loads(res.stdout)["frameworks"]][-1] == "ls_2031"
