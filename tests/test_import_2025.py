"""Importing a table keyed by the 2025 units (issue 12): the vintage decided on the whole table and
said, rows matched against data/units_2025.tsv, former communes named with what they became, the
vintage saved with the dataset and printed by import-table."""

from __future__ import annotations

import re
import sqlite3

import pandas as pd
import pytest

from ntm_geo import __main__ as cli
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import DataError
from ntm_geo.geo.vintages import units_2025
from tests.import_tables import NAMES_51, csv_bytes


def poverty_2026_on_codes() -> tuple[bytes, dict[str, float]]:
    """A 2026 poverty table on the 65 codes of 2025 (codes only: most are 2015 codes too)."""
    units = units_2025()
    rates = {code: round(1.5 + (i % 17) * 0.7, 1) for i, code in enumerate(units["commune_code"])}
    data = csv_bytes(
        ["Mã đơn vị", "Năm", "Tỷ lệ hộ nghèo (%)"], [[c, "2026", str(r)] for c, r in rates.items()]
    )
    return data, rates


@pytest.fixture()
def store_dir(tmp_path, monkeypatch):
    from ntm_geo import auth
    from ntm_geo.datasets import store

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", "s3cret")
    store.configure(None)
    auth.configure(None)
    yield store


def test_2026_poverty_table_on_2025_codes_matches_the_65_units_and_says_so():
    data, rates = poverty_2026_on_codes()
    report = import_table(data, "ngheo_2026.csv")
    assert report.vintage == "2025"
    # the 65 codes are (nearly all) 2015 codes too: the year broke the tie, and the report says so
    assert "2025 units (65 communes and wards" in report.vintage_en and "table's year" in report.vintage_en
    assert "Đơn vị hành chính 2025" in report.vintage_vi
    assert report.ok_rows() == 65 and not report.unmatched and not report.units_without_row
    got = dict(zip(report.table["commune_code"], report.table["poverty_rate_pct"], strict=True))
    assert got == pytest.approx(rates)
    assert report.to_json()["vintage"]["key"] == "2025"


def test_2026_table_under_51_2025_on_2025_names():
    units = units_2025()
    units = units[units["unit_type"] == "xa"].iloc[:12]  # criteria are assessed on xã only
    rows = [
        [n, "2026", *(["1"] * 10 if i % 2 else ["1"] * 6 + ["0"] * 4)]
        for i, n in enumerate(units["name_with_type"])
    ]
    report = import_table(csv_bytes(["Tên đơn vị", "Năm", *NAMES_51], rows), "tieu_chi_2026.csv")
    assert report.framework_id == "qd51_2025" and report.vintage == "2025"
    assert "2025 units" in report.vintage_en and "tied" not in report.vintage_en  # names decided, no tie
    assert list(report.table["commune_code"]) == sorted(units["commune_code"])
    met = dict(zip(report.table["commune_code"], report.table["criteria_met"], strict=True))
    assert [int(met[c]) for c in units["commune_code"]] == [6, 10] * 6
    assert report.table[[f"c{i:02d}" for i in range(11, 20)]].isna().all().all()
    # the 53 units without a row are 2025 units, named as such in the JSON report
    without = report.to_json()["units_without_row"]
    assert len(without) == 53 and all(u["unit"] for u in without)


def test_a_row_naming_a_former_commune_is_named_with_its_new_unit_never_dropped_silently():
    units = units_2025()
    rows = [
        [c, n, "2026", "4.5"] for c, n in zip(units["commune_code"], units["name_with_type"], strict=True)
    ]
    rows = [r for r in rows if r[0] != "05986"]  # Phường Tam Thanh is given by a former commune's row
    rows.append(["", "Xã Hoàng Đồng", "2026", "3.1"])
    rows.append(["", "Xã Bính Xá", "2026", "7.0"])  # split between two 2025 units
    report = import_table(csv_bytes(["Mã xã", "Tên xã", "Năm", "Tỷ lệ hộ nghèo (%)"], rows), "ngheo_2026.csv")
    assert report.vintage == "2025" and report.ok_rows() == 64
    hoang_dong, binh_xa = report.unmatched
    assert (hoang_dong.row, hoang_dong.column, hoang_dong.value) == (66, "Tên xã", "Xã Hoàng Đồng")
    assert "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15" in hoang_dong.reason_en
    assert "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15" in hoang_dong.reason_vi
    assert "not imported" in hoang_dong.reason_en and "không được nhập" in hoang_dong.reason_vi
    assert "Xã Bính Xá → Xã Đình Lập + Xã Kiên Mộc (split), 1672/NQ-UBTVQH15" in binh_xa.reason_en
    notices = {n.row: n.reason_en for n in report.notices if n.row}
    assert notices[66] == "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15"
    # not remapped: Phường Tam Thanh has no row, and says so
    assert "05986" not in set(report.table["commune_code"]) and report.units_without_row == ["05986"]


def test_a_2015_table_stays_on_the_2015_units():
    # codes both vintages know: the year (2015) breaks the tie, no former-unit notices
    data = csv_bytes(["Mã xã", "Năm", "Tỷ lệ hộ nghèo (%)"], [["06001", "2015", "3"], ["06613", "2015", "4"]])
    report = import_table(data, "ngheo_2015.csv")
    assert report.vintage == "2015" and "2015 units" in report.vintage_en
    assert len(report.units_without_row) == 224


def test_the_saved_dataset_records_its_vintage(store_dir):
    data, _ = poverty_2026_on_codes()
    report = import_table(data, "ngheo_2026.csv")
    info = store_dir.save_import(
        report.table,
        2026,
        report.to_json(),
        name="Hộ nghèo 2026",
        source="VPĐP",
        uploaded_by="t",
        password="s3cret",
    )
    assert info.vintage == "2025"
    assert {i.id: i.vintage for i in store_dir.list_infos()} == {info.id: "2025"}
    # a 2015-unit year cannot join it: its years would need two maps
    old = import_table(csv_bytes(["Mã xã", "Năm", "Tỷ lệ hộ nghèo (%)"], [["06628", "2015", "3"]]), "a.csv")
    with pytest.raises(DataError, match="keyed by the 2025 units"):
        store_dir.save_import(
            old.table,
            2015,
            old.to_json(),
            name="x",
            source="",
            uploaded_by="t",
            password="s3cret",
            into=info.id,
        )
    assert store_dir.get_record(info.id).years == (2026,)


def test_a_database_written_before_vintages_reads_as_2015(store_dir):
    path = store_dir.db_path()
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO schema_version VALUES (1);"
        "CREATE TABLE datasets (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, name TEXT NOT "
        "NULL, source TEXT NOT NULL, uploaded_by TEXT NOT NULL, uploaded_at TEXT NOT NULL, sha256 TEXT NOT NULL);"
        "CREATE TABLE dataset_years (dataset_id TEXT NOT NULL, year INTEGER NOT NULL, n_rows INTEGER NOT NULL,"
        " table_parquet BLOB NOT NULL, report_json TEXT NOT NULL, PRIMARY KEY (dataset_id, year));"
        "INSERT INTO datasets VALUES (1, 'old-1', 'old', 's', 'u', '2024-01-01T00:00:00+00:00', 'x');"
    )
    conn.commit()
    conn.close()
    assert [i.vintage for i in store_dir.list_infos()] == ["2015"]  # read without writing
    data, _ = poverty_2026_on_codes()
    report = import_table(data, "ngheo_2026.csv")
    store_dir.save_import(
        report.table, 2026, report.to_json(), name="n", source="", uploaded_by="t", password="s3cret"
    )
    assert [i.vintage for i in store_dir.list_infos()] == ["2015", "2025"]


def test_import_table_cli_says_the_vintage_and_saves_it(capsys, store_dir, tmp_path):
    data, _ = poverty_2026_on_codes()
    path = tmp_path / "ngheo_2026.csv"
    path.write_bytes(data)
    assert cli.main(["import-table", str(path), "--name", "Hộ nghèo 2026", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Table matched to 2025 units (65 communes and wards; no district level)" in out
    saved = re.search(r"Saved dataset «Hộ nghèo 2026» \(id (\S+), 2025 units\)\.", out)
    assert saved and store_dir.get_record(saved.group(1)).vintage == "2025"
    assert cli.main(["import-table", str(path), "--dry-run"]) == 0
    assert "Bảng được khớp với Đơn vị hành chính 2025" in capsys.readouterr().out
    table = store_dir.load_table(saved.group(1), 2026)
    assert isinstance(table, pd.DataFrame) and len(table) == 65
