"""python -m ntm_geo import-table: report (text/JSON), report check, save, exit status."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from ntm_geo import __main__ as cli

REPO = Path(__file__).resolve().parent.parent
IMPORT_DIR = REPO / "tests" / "data" / "import"
ILLUSTRATIVE_2015 = REPO / "data" / "illustrative" / "lang_son_ntm_2015.csv"


@pytest.fixture()
def store_dir(tmp_path, monkeypatch):
    """A fresh data folder and editor password for the store; reset afterwards."""
    from ntm_geo import auth
    from ntm_geo.datasets import store

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", "s3cret")
    store.configure(None)
    auth.configure(None)
    yield store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = cli.main(["import-table", *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


def test_dry_run_json_has_the_report_keys(capsys):
    status, out, _ = run(capsys, str(IMPORT_DIR / "names.csv"), "--year", "2015", "--dry-run", "--json")
    assert status == 0
    payload = json.loads(out)
    for key in (
        "matched",
        "unmatched",
        "duplicates",
        "units_without_row",
        "out_of_range",
        "suggestions",
        "report_check",
        "saved",
    ):
        assert key in payload
    assert payload["saved"] is None
    assert [m["row"] for m in payload["matched"]] == [2, 3, 4, 6, 9, 10, 14, 16]
    assert {u["row"]: u["column"] for u in payload["unmatched"]}[13] == "Huyện"
    assert all(
        {"row", "commune_code", "reason_en", "reason_vi"} <= set(u) for u in payload["units_without_row"]
    )


def test_text_report_lists_problems_with_location_and_suggestions(capsys):
    status, out, _ = run(capsys, str(IMPORT_DIR / "names.csv"), "--year", "2015", "--dry-run", "--lang", "en")
    assert status == 0
    assert out.startswith("File names.csv: year 2015, 8 rows imported; 6 unmatched, 0 duplicate")
    assert "Matched by: code 0, name 8, confirmed suggestion 0." in out
    assert "names.csv, row 11, column «Tên xã»: no unit named «Hoang Van Thu» in Huyện Bình Gia." in out
    assert "    suggestions: 06100 Xã Hoàng Văn Thụ — Huyện Bình Gia (95)" in out
    assert "--dry-run: nothing saved." in out


def test_report_check_runs_for_2011_and_2015(capsys):
    status, out, _ = run(capsys, str(ILLUSTRATIVE_2015), "--dry-run", "--lang", "en")
    assert status == 0
    found = re.search(r"Comparison with report 48/BC-BCĐ for 2015: (\d+)/(\d+) figures match\.", out)
    assert found and found.group(1) == found.group(2)
    assert "✓ Poor households, province: 11.9 / 11.9\n" in out  # the report's precision (trial 8, m4)
    assert "✓ Mean criteria per commune: 7.4 / 7.4\n" in out


def test_report_check_numbers_in_vietnamese_have_a_decimal_comma(capsys, tmp_path):
    """trial 8, m4: "Tỷ lệ hộ nghèo toàn tỉnh: 11.9 / 19.6542" — a decimal point and 4 decimals in
    Vietnamese text; now the report's precision and a decimal comma."""
    import pandas as pd

    table = pd.read_csv(ILLUSTRATIVE_2015, dtype=str, comment="#")
    table["poverty_rate_pct"] = "19.6542"  # every unit: the province rate is 19.6542 %
    path = tmp_path / "ngheo.csv"
    table.to_csv(path, index=False)
    status, out, _ = run(capsys, str(path), "--dry-run")
    assert status == 0
    assert "  ✗ Tỷ lệ hộ nghèo toàn tỉnh: 11,9 / 19,7\n" in out
    assert "  ✓ Bình quân số tiêu chí/xã: 7,4 / 7,4\n" in out


def test_vietnamese_is_the_default(capsys):
    status, out, _ = run(capsys, str(IMPORT_DIR / "duplicates.csv"), "--dry-run")
    assert status == 0
    assert out.startswith("Tệp duplicates.csv: năm 2015, 1 dòng nhập được")
    assert "duplicates.csv, dòng 3, cột «Tên xã»: trùng đơn vị Xã Đình Lập — Huyện Đình Lập với dòng 2" in out


def test_nothing_matched_exits_1_and_saves_nothing(capsys, tmp_path, store_dir):
    path = tmp_path / "none.csv"
    path.write_text("Tên xã,Huyện,Năm\nXã Không Có,Đình Lập,2015\n", encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--lang", "en")
    assert status == 1
    assert "No row could be matched: nothing saved." in out
    assert not store_dir.db_path().exists()


def test_file_error_exits_2_in_both_languages(capsys):
    status, _, err = run(capsys, str(IMPORT_DIR / "no_header.csv"))
    assert status == 2
    assert "Lỗi: no_header.csv: không tìm thấy dòng tiêu đề cột" in err
    assert "Error: no_header.csv: no header row found" in err
    status, _, err = run(capsys, str(IMPORT_DIR / "missing.csv"))
    assert status == 2 and "missing.csv: cannot read the file" in err


def test_saves_to_the_store(capsys, store_dir):
    status, out, _ = run(
        capsys,
        str(IMPORT_DIR / "title_rows.csv"),
        "--name",
        "Kết quả 2015",
        "--source",
        "VPĐP",
        "--lang",
        "en",
    )
    assert status == 0
    saved = re.search(r"Saved dataset «Kết quả 2015» \(id (\S+), 2015 units\)\.", out)
    assert saved
    infos = {i.id: i for i in store_dir.list_infos()}
    assert infos[saved.group(1)].years == (2015,)
    table = store_dir.load_table(saved.group(1), 2015)
    assert list(table["commune_code"]) == ["05971", "06628"]
    assert store_dir.get_report(saved.group(1), 2015)["matched"][0]["row"] == 6
    # the data page's save path: the import's own columns are not saved (the CLI kept them)
    assert not {"name_as_written", "population"} & set(table.columns)


def test_json_reports_the_saved_dataset(capsys, store_dir):
    status, out, _ = run(capsys, str(IMPORT_DIR / "duplicates.csv"), "--json")
    assert status == 0
    assert json.loads(out)["saved"]["id"]


def test_without_password_exits_2_with_how_to_enable(capsys, store_dir, monkeypatch):
    monkeypatch.delenv("NTM_GEO_EDITOR_PASSWORD")
    status, out, err = run(capsys, str(IMPORT_DIR / "duplicates.csv"))
    assert status == 2
    assert "NTM_GEO_EDITOR_PASSWORD" in err
    assert out.startswith("Tệp duplicates.csv")  # the report is still printed
    assert not store_dir.db_path().exists()


def test_sheet_and_encoding_options(capsys, tmp_path):
    path = tmp_path / "legacy.csv"
    path.write_bytes("Ma xa,Nam\r\n06628,2015\r\n".encode("koi8-r"))
    status, out, _ = run(capsys, str(path), "--encoding", "koi8-r", "--dry-run", "--json")
    assert status == 0 and json.loads(out)["encoding"] == "koi8-r"
    xlsx = tmp_path / "two.xlsx"
    xlsx.write_bytes(_two_sheets())
    status, out, _ = run(capsys, str(xlsx), "--sheet", "Số liệu", "--dry-run", "--json")
    assert status == 0 and json.loads(out)["sheet"] == "Số liệu"
    status, _, err = run(capsys, str(xlsx), "--sheet", "Nope", "--dry-run")
    assert status == 2 and "two.xlsx: no sheet «Nope»; sheets: Hướng dẫn, Số liệu" in err


def _two_sheets() -> bytes:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_import_files", IMPORT_DIR / "make_files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.two_sheets_xlsx()


def test_a_year_without_report_figures_is_said_not_skipped_silently(capsys, tmp_path):
    """Issue 14, item 11: a 2013 table imported without a word about the report check."""
    path = tmp_path / "ket_qua_2013.csv"
    path.write_text("Mã xã,Năm,Số tiêu chí đạt\r\n06628,2013,9\r\n", encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--dry-run", "--lang", "en")
    assert status == 0
    assert "Report comparison not available: báo cáo không có số liệu năm 2013" in out
    assert "report 48/BC-BCĐ has no figures for 2013 (only for 2011, 2015)" in out


def test_ghost_cell_workbook_imports_its_one_row_from_the_command_line(capsys, tmp_path):
    from bench.hostile_files import ghost_1048576

    path = tmp_path / "ghost.xlsx"
    path.write_bytes(ghost_1048576())
    status, out, _ = run(capsys, str(path), "--dry-run", "--json")
    assert status == 0  # read in bounds: the one real row imports
    assert json.loads(out)["counts"]["matched"] == 1


def test_criteria_only_table_gives_the_same_report_check_as_the_data_page(capsys, tmp_path):
    """One report-check path (report_check.check_table) for the page and the command line."""
    from ntm_geo.criteria.report_check import check_table
    from ntm_geo.datasets.contract import load_illustrative
    from ntm_geo.datasets.illustrative import load_units
    from ntm_geo.datasets.importing.table import import_table

    data = load_illustrative(2015)[["commune_code", "year", *[f"c{n:02d}" for n in range(1, 20)]]]
    path = tmp_path / "criteria_only.csv"
    path.write_text(
        data.astype(object).where(data.notna(), "").replace({True: 1, False: 0}).to_csv(index=False)
    )
    status, out, _ = run(capsys, str(path), "--dry-run", "--json")
    assert status == 0
    cli_rows = json.loads(out)["report_check"]
    page_rows = check_table(import_table(path.read_bytes(), path.name).table, load_units(), 2015)
    assert [(r["key"], r["ok"]) for r in cli_rows] == [(r.key, r.ok) for r in page_rows]
    assert len(cli_rows) == 29 and "poverty_rate_pct" not in {r["key"] for r in cli_rows}


def _year_table(tmp_path: Path, year: int) -> Path:
    """The illustrative 2015 table relabelled as ``year`` (a province table of another year)."""
    text = ILLUSTRATIVE_2015.read_text(encoding="utf-8").replace(",2015,", f",{year},")
    path = tmp_path / f"ntm_{year}.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_into_adds_a_year_to_a_saved_dataset_and_keeps_its_name(capsys, tmp_path, store_dir):
    """trial6: one table per year (2016-2019) must build one dataset the timeline can step through;
    without --into each import made a new dataset (five datasets named alike, one year each)."""
    status, out, _ = run(capsys, str(_year_table(tmp_path, 2016)), "--name", "NTM Lạng Sơn", "--json")
    assert status == 0
    first = json.loads(out)["saved"]["id"]
    for year in (2017, 2018):
        status, out, _ = run(capsys, str(_year_table(tmp_path, year)), "--into", first, "--json")
        assert status == 0
        assert json.loads(out)["saved"]["id"] == first
    infos = {i.id: i for i in store_dir.list_infos()}
    assert list(infos) == [first]
    assert infos[first].years == (2016, 2017, 2018)
    assert infos[first].name_vi == "NTM Lạng Sơn"  # not renamed to the file name


def test_into_an_unknown_dataset_exits_2_naming_the_saved_ones(capsys, tmp_path, store_dir):
    status, out, _ = run(capsys, str(_year_table(tmp_path, 2016)), "--name", "A", "--json")
    first = json.loads(out)["saved"]["id"]
    status, _, err = run(capsys, str(_year_table(tmp_path, 2017)), "--into", "no-such-id")
    assert status == 2
    assert "no-such-id" in err and first in err
    assert store_dir.list_infos()[0].years == (2016,)


def test_units_without_a_row_are_named(capsys, tmp_path):
    """trial6: 'Đơn vị không có dòng nào (1): 05983' made the editor look the code up; the JSON
    report already had the unit's name."""
    lines = ILLUSTRATIVE_2015.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    code_col = header.index("commune_code")
    kept = [line for line in lines[1:] if line.split(",")[code_col] != "05983"]
    path = tmp_path / "without_one.csv"
    path.write_text("\n".join([lines[0], *kept]) + "\n", encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--year", "2015", "--dry-run")
    assert status == 0
    listed = next(line for line in out.splitlines() if line.startswith("Đơn vị không có dòng nào"))
    assert "05983 Phường Chi Lăng — Thành phố Lạng Sơn" in listed


def _old_units_2026_csv(tmp_path: Path) -> Path:
    """What the 2026 template used to be (trial 6, finding 4): the 226 units of 2015 with the
    criteria of 51/2025, year 2026."""
    import csv
    import io

    from ntm_geo.datasets.template import ID_COLUMNS, table_framework
    from ntm_geo.geo.units import UNIT_TYPES, official_units

    fw = table_framework(2026)
    units = official_units()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([*(vi for vi, _, _ in ID_COLUMNS), *(c.label("vi") for c in fw.criteria)])
    for code, district, kind, name in zip(
        units["commune_code"],
        units["district_name"],
        units["unit_type"],
        units["name_with_type"],
        strict=True,
    ):
        writer.writerow(
            [code, district, UNIT_TYPES[kind][0], name, 2026, *([1] * 10 if kind == "xa" else [])]
        )
    path = tmp_path / "tpl_2026_old.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def test_a_2026_table_on_the_2015_units_is_not_saved_without_confirmation(capsys, tmp_path, store_dir):
    path = _old_units_2026_csv(tmp_path)
    status, out, _ = run(capsys, str(path))
    assert status == 1
    assert "CẦN XÁC NHẬN TRƯỚC KHI LƯU" in out
    assert "không còn vào năm 2026" in out and "65 xã, phường" in out and "units=2025" in out
    assert "Chưa lưu" in out and "--confirm" in out and "Đã lưu" not in out
    assert store_dir.list_records() == []
    status, out, _ = run(capsys, str(path), "--lang", "en", "--json")
    payload = json.loads(out)
    assert status == 1 and payload["saved"] is None and payload["counts"]["to_confirm"] == 1
    assert "no longer exist in 2026" in payload["to_confirm"][0]["reason_en"]
    status, out, _ = run(capsys, str(path), "--confirm")
    assert status == 0 and "Đã lưu" in out
    assert [r.vintage for r in store_dir.list_records()] == ["2015"]


def test_a_2016_table_with_491_names_must_be_confirmed_column_by_column(capsys, tmp_path, store_dir):
    """Trial 6, finding 10: 491/342's "TC7. Chợ nông thôn" in a 2016 table was read as criterion 7
    of 1980 with a remark inside the framework line only, and saved."""
    from ntm_geo.datasets.template import template_csv

    rows = list(csv.reader(io.StringIO(template_csv(2015).decode("utf-8-sig").replace(",2015,", ",2016,"))))
    rows[1][rows[0].index("Tỷ lệ hộ nghèo (%)")] = "3,5"  # one value: an unfilled template is not saved
    path = tmp_path / "h491_2016.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    status, out, _ = run(capsys, str(path))
    assert status == 1 and "Đã lưu" not in out
    block = out.split("CẦN XÁC NHẬN TRƯỚC KHI LƯU")[1]
    assert "TC7. Chợ nông thôn" in block and "Hãy xác nhận cột này" in block
    assert store_dir.list_records() == []
    payload = json.loads(run(capsys, str(path), "--dry-run", "--json")[1])
    confirm = {i["column"] for i in payload["to_confirm"]}
    assert "TC7. Chợ nông thôn" in confirm and payload["counts"]["to_confirm"] == len(confirm)
    status, out, _ = run(capsys, str(path), "--confirm")
    assert status == 0 and "Đã lưu" in out


def test_a_ward_row_with_criteria_is_saved_with_its_poverty_rate_and_the_values_ignored_listed(
    capsys, tmp_path, store_dir
):
    """The command line shares the data page's import: a phường given "19 criteria" keeps its
    poverty rate (saved), its criteria stay empty, each ignored cell is listed with row and column."""
    path = tmp_path / "bao_cao.csv"
    tc = ",".join(f"TC{k}" for k in range(1, 20))
    path.write_text(
        f"Mã xã,Năm,{tc},Số tiêu chí đạt,Tỷ lệ hộ nghèo (%)\n"
        f"06628,2015,{','.join(['1'] * 10 + ['0'] * 9)},10,11.9\n"
        f"05971,2015,{','.join(['1'] * 19)},19,1.2\n",
        encoding="utf-8",
    )
    status, out, _ = run(capsys, str(path), "--lang", "en", "--name", "Phường thử")
    assert status == 0
    assert "2 rows imported; 0 unmatched, 0 duplicate, 0 with invalid values" in out
    assert (
        "Values ignored (the rows are imported: wards and townships are not assessed for NTM) "
        "(20 cells, 1 row):\n"
        "  bao_cao.csv, row 3, Phường Hoàng Văn Thụ (05971): 20 criteria cells ignored: TC1 … TC19, "
        "Số tiêu chí đạt\n"
    ) in out
    (info,) = store_dir.list_infos()
    table = store_dir.load_table(info.id, 2015).set_index("commune_code")
    assert table.loc["05971", "poverty_rate_pct"] == 1.2
    assert table.loc["05971", ["c01", "c19", "criteria_met"]].isna().all()
    assert len(store_dir.get_report(info.id, 2015)["ignored"]) == 20


def _ward_rows(n_wards: int, blank: str) -> str:
    """A 2015 table: a commune row, then ``n_wards`` phường/thị trấn rows each with 19 criteria
    and a count, criterion ``blank`` left empty."""
    from ntm_geo.geo.units import official_units

    units = official_units()
    wards = units[units["unit_type"] != "xa"]["commune_code"].tolist()[:n_wards]
    tc = ",".join(f"TC{k}" for k in range(1, 20))
    cells = ",".join("" if f"TC{k}" == blank else "1" for k in range(1, 20))
    rows = [
        f"Mã xã,Năm,{tc},Số tiêu chí đạt,Tỷ lệ hộ nghèo (%)",
        f"06628,2015,{','.join(['1'] * 19)},19,11.9",
    ]
    rows += [f"{code},2015,{cells},18,1.2" for code in wards]
    return "\n".join(rows) + "\n"


def test_the_ignored_values_are_listed_one_line_per_row(capsys, tmp_path):
    """trial 8, m2: one line per ward row (where, unit, how many cells, which columns — runs side
    by side in the file shortened), not one sentence per cell."""
    path = tmp_path / "phuong.csv"
    path.write_text(_ward_rows(2, blank="TC6"), encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--dry-run")
    assert status == 0
    block = out.split("Giá trị bỏ qua")[1].split("\n\n")[0]
    assert block.splitlines() == [
        " (dòng vẫn được nhập: phường, thị trấn không thuộc diện đánh giá NTM) (38 ô, 2 dòng):",
        "  phuong.csv, dòng 3, Phường Hoàng Văn Thụ (05971): 19 ô tiêu chí bỏ qua: TC1 … TC5, TC7 … TC19, "
        "Số tiêu chí đạt",
        "  phuong.csv, dòng 4, Phường Tam Thanh (05974): 19 ô tiêu chí bỏ qua: TC1 … TC5, TC7 … TC19, "
        "Số tiêu chí đạt",
    ]
    assert len(json.loads(run(capsys, str(path), "--dry-run", "--json")[1])["ignored"]) == 38


@pytest.mark.parametrize(
    ("lang", "more"), [("vi", "  … (+17; --json liệt kê tất cả)"), ("en", "  … (+17; --json lists them all)")]
)
def test_a_cut_list_says_that_json_gives_all_of_it(capsys, tmp_path, monkeypatch, lang, more):
    """trial 8, m2: "… (+330)" said nothing of where the rest is."""
    from ntm_geo.cli import import_table

    monkeypatch.setattr(import_table, "MAX_LISTED", 2)
    path = tmp_path / "phuong.csv"
    path.write_text(_ward_rows(19, blank=""), encoding="utf-8")
    status, out, _ = run(capsys, str(path), "--dry-run", "--lang", lang)
    assert status == 0
    block = out.split("\n\n")
    ignored = next(b for b in block if b.startswith(("Giá trị bỏ qua", "Values ignored")))
    assert len(ignored.splitlines()) == 4 and ignored.splitlines()[-1] == more
    assert re.search(
        r"\(\+204; --json (liệt kê tất cả|lists them all)\)$",
        next(b for b in block if b.startswith(("Đơn vị không", "Units without"))).splitlines()[0],
    )


def _all_wards_csv(tmp_path: Path) -> Path:
    """Trial 8, M1: only ward/township rows, every criterion "1", the count 19, no poverty rate."""
    path = tmp_path / "allwards.csv"
    tc = ",".join(f"TC{k}" for k in range(1, 20))
    rows = [f"{code},2015,{','.join(['1'] * 19)},19," for code in ("05971", "05974", "06613")]
    path.write_text(f"Mã xã,Năm,{tc},Số tiêu chí đạt,Tỷ lệ hộ nghèo (%)\n" + "\n".join(rows) + "\n", "utf-8")
    return path


def test_a_table_of_wards_whose_criteria_are_all_ignored_is_not_saved(capsys, tmp_path, store_dir):
    """Trial 8, M1: every value of the table ignored used to be saved as a dataset with no value
    (exit 0); now exit 1, nothing saved, the reason named with the file (said by --dry-run too)."""
    path = _all_wards_csv(tmp_path)
    status, out, _ = run(capsys, str(path), "--lang", "en", "--name", "Trial8 all wards")
    assert status == 1
    assert "3 rows imported" in out and "Saved dataset" not in out
    assert (
        "The table «allwards.csv» holds no usable value: all 3 imported rows are wards or townships (not "
        "assessed for NTM): their 60 criteria values are ignored and the other data columns are empty. A "
        "dataset with no values is not saved; fill in the values and upload again."
    ) in out
    assert not store_dir.db_path().exists()
    # --dry-run saves nothing anyway: the reason is said, the check itself succeeded
    status, out, _ = run(capsys, str(path), "--dry-run")
    assert status == 0 and "Bảng «allwards.csv» không có giá trị nào dùng được: cả 3 dòng nhập được" in out
    status, out, _ = run(capsys, str(path), "--dry-run", "--json")
    assert status == 0
    assert json.loads(out)["no_usable_value"]["reason_en"].startswith("The table «allwards.csv» holds no")


def test_an_unfilled_template_is_not_saved(capsys, tmp_path, store_dir):
    from ntm_geo.datasets.template import template_csv

    path = tmp_path / "empty.csv"
    path.write_bytes(template_csv(2015))
    status, out, _ = run(capsys, str(path), "--lang", "en")
    assert status == 1
    assert (
        "The table «empty.csv» holds no usable value: every data cell of the 226 imported rows is empty (an "
        "unfilled template?)."
    ) in out
    assert not store_dir.db_path().exists()
