"""Excel/CSV tables in the reader's language: labels, layout, round trip through the importer,
provenance read back, illustrative exports refused as province data (issue 15; issue 14, item 1)."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import openpyxl
import pandas as pd
import pytest

from ntm_geo.__main__ import main
from ntm_geo.datasets import catalog, schema
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.datasets.provenance import MARKER, SHEET, Provenance, illustrative_title, read_provenance
from ntm_geo.errors import ConfigError, DataError
from ntm_geo.exports.formats import table_export, table_xlsx, view_table
from ntm_geo.exports.tables import (
    column_label,
    localized_table,
    table_csv_bytes,
    table_csv_bytes_localized,
    value_words,
)
from ntm_geo.maps.themes import compute_view, join_dataset
from ntm_geo.views.viewstate import ViewState

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def exports(boundaries) -> dict[tuple[str, str], bytes]:
    """(format, lang) -> the map page's table export of criteria met, 2015."""
    return {
        (fmt, lang): table_export(ViewState(lang=lang), fmt, boundaries=boundaries, now=NOW)
        for fmt in ("xlsx", "csv")
        for lang in ("vi", "en")
    }


def test_column_labels_are_the_readers_words():
    # dataset columns: the schema registry's headers; unit attributes: the exports' own words
    for key in ("commune_code", "c01", "criteria_met", "poverty_rate_pct", "especially_difficult"):
        assert column_label(key) == schema.header(key, "vi") and column_label(key, "en") == schema.header(
            key, "en"
        )
    assert column_label("c01") == "TC1. Quy hoạch" and column_label("commune_code") == "Mã xã (GSO)"
    assert column_label("name_with_type") == "Tên đơn vị" and column_label("unit_type", "en") == "Unit type"
    assert column_label("c19", short=True) == "TC19" and column_label("c19", "en", short=True) == "C19"
    assert column_label("commune_code", short=True) == "Mã xã"
    assert column_label("nonsense", default="nonsense") == "nonsense"
    with pytest.raises(
        ConfigError,
        match=r"No label for column 'nonsense'; known columns: name, name_with_type, .*commune_code.*Không có nhãn",
    ):
        column_label("nonsense")


def test_coded_values_become_words():
    assert (
        value_words("unit_type", "phuong") == "Phường"
        and value_words("unit_type", "thi-tran", "en") == "Township"
    )
    assert value_words("c05", True) == "Đạt" and value_words("c05", False, "en") == "Not met"
    assert value_words("car_access_all_season", False) == "Không"
    assert value_words("c05", pd.NA) is pd.NA and value_words("poverty_rate_pct", 11.9) == 11.9
    table = pd.DataFrame(
        {
            "commune_code": ["06628"],
            "unit_type": ["xa"],
            "c01": pd.array([pd.NA], dtype="boolean"),
            "poverty_rate_pct": [11.9],
        }
    )
    values, headers = localized_table(table)
    assert headers == ["Mã xã (GSO)", "Loại đơn vị", "TC1. Quy hoạch", "Tỷ lệ hộ nghèo (%)"]
    assert values.iloc[0].tolist()[:2] == ["06628", "Xã"] and pd.isna(values.iloc[0, 2])
    assert values["poverty_rate_pct"].dtype.kind == "f"  # numbers stay numbers


def test_excel_layout_headers_keys_codes_and_provenance_sheet(exports):
    book = openpyxl.load_workbook(io.BytesIO(exports[("xlsx", "vi")]))
    assert book.sheetnames == ["Bảng số liệu", SHEET]
    ws = book["Bảng số liệu"]
    assert ws["A1"].value.startswith("Số tiêu chí đạt (0–19) — năm 2015 — Kết quả NTM từng xã (minh họa)")
    assert ws["A2"].value.startswith("Dữ liệu minh họa:")
    keys = [c.value for c in ws[4]]
    headers = [c.value for c in ws[5]]
    assert keys[:6] == [
        "commune_code",
        "name_with_type",
        "district_code",
        "district_name",
        "year",
        "unit_type",
    ]
    assert headers[:6] == ["Mã xã (GSO)", "Tên đơn vị", "Mã huyện", "Huyện", "Năm", "Loại đơn vị"]
    assert headers[keys.index("c01")] == "TC1. Quy hoạch"
    assert headers[-1] == "Giá trị trên bản đồ: Số tiêu chí đạt (0–19)" and keys[-1] == "map_value"
    assert ws.freeze_panes == "A6" and ws.auto_filter.ref.startswith("A5:")
    rows = list(ws.iter_rows(min_row=6, values_only=True))
    assert len(rows) == 226
    first = dict(zip(keys, rows[0], strict=True))
    assert first["commune_code"] == "05971" and ws["A6"].data_type == "s"  # text: the zero stays
    assert first["unit_type"] == "Phường" and first["c01"] is None and first["map_value"] == "Không đánh giá"
    assert {dict(zip(keys, r, strict=True))["c02"] for r in rows} == {"Đạt", "Chưa đạt", None}
    meta = {r[1]: r[2] for r in book[SHEET].iter_rows(values_only=True)}
    assert meta["illustrative"] == "true" and meta["dataset_id"] == "illustrative"
    assert meta["exported_at"] == "2026-12-06T04:00:00Z" and meta["year"] == "2015"
    assert {r[0] for r in book[SHEET].iter_rows(values_only=True)} == {MARKER}


def test_english_export_speaks_english(exports):
    ws = openpyxl.load_workbook(io.BytesIO(exports[("xlsx", "en")])).active
    headers = [c.value for c in ws[5]]
    assert headers[:2] == ["Commune code (GSO)", "Unit name"] and "C1 Planning" in headers
    types = {r[5] for r in ws.iter_rows(min_row=6, values_only=True)}
    assert types == {"Rural commune", "Ward", "Township"}


def test_csv_layout(exports):
    text = exports[("csv", "vi")].decode("utf-8")
    assert text.startswith("\ufeff# Số tiêu chí đạt (0–19) — năm 2015")
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[1].startswith('"# Dữ liệu minh họa:')
    assert lines[2] == f"# {MARKER},dataset_id,illustrative"
    keys = next(i for i, line in enumerate(lines) if line.startswith("commune_code,name_with_type,"))
    assert lines[keys + 1].startswith("Mã xã (GSO),Tên đơn vị,")
    assert lines[keys + 2].startswith("05971,Phường Hoàng Văn Thụ,178,Thành phố Lạng Sơn,2015,Phường,")


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_round_trip_through_the_importer(exports, fmt, lang):
    report = import_table(exports[(fmt, lang)], f"export.{fmt}", accept_illustrative=True)
    assert report.year == 2015 and report.ok_rows() == 226
    assert not report.unmatched and not report.out_of_range and not report.duplicates
    original = catalog.load_year("illustrative", 2015).reset_index(drop=True)
    back = report.table.reset_index(drop=True)
    assert list(back["commune_code"]) == list(original["commune_code"])
    for column in original.columns:
        pd.testing.assert_series_equal(back[column], original[column], check_dtype=False, check_names=False)
    assert report.provenance == read_provenance(exports[(fmt, lang)], f"export.{fmt}")
    assert report.provenance.dataset_id == "illustrative" and report.provenance.illustrative


def test_a_district_table_has_its_units_only(boundaries):
    data = table_export(ViewState(district="186", lang="en"), "xlsx", boundaries=boundaries)
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert (
        ws["A1"].value.endswith("— Hữu Lũng — NTM results per commune (illustrative)")
        or "Hữu Lũng" in ws["A1"].value
    )
    assert len(list(ws.iter_rows(min_row=6))) == 26


def test_unknown_table_format():
    with pytest.raises(ConfigError, match=r"Unknown table format 'ods'; allowed: xlsx, csv.*Định dạng bảng"):
        table_export(ViewState(), "ods")


# ------------------------------------------------------------------ provenance (issue 14, item 1)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_illustrative_export_is_refused_as_province_data(exports, fmt):
    with pytest.raises(
        DataError,
        match=r"export\.\w+.*: this table is an export of the app's ILLUSTRATIVE data \(dataset «illustrative», "
        r"exported 2026-12-06T04:00:00Z\).*--accept-illustrative.*DỮ LIỆU MINH HỌA",
    ):
        import_table(exports[(fmt, "vi")], f"export.{fmt}", year=2015)


def test_accepted_knowingly_with_a_notice(exports):
    report = import_table(exports[("xlsx", "vi")], "export.xlsx", accept_illustrative=True)
    notes = [n.reason_en for n in report.notices]
    assert any(
        n.startswith("the table is an export of illustrative data (dataset «illustrative»") for n in notes
    )
    assert report.to_json()["provenance"]["illustrative"] is True


def test_an_older_export_without_provenance_rows_is_recognised_by_its_note(boundaries):
    """The Excel export as the map page wrote it before provenance rows (issue 14, item 1)."""
    joined = join_dataset(boundaries.communes_web, catalog.load_year("illustrative", 2015))
    view = compute_view(joined, "criteria_met")
    info = catalog.get_dataset("illustrative")
    old = table_xlsx(view_table(joined, view), title="Số tiêu chí đạt — năm 2015", note=info.note_vi)
    assert read_provenance(old, "old.xlsx") is None
    with pytest.raises(DataError, match=r"ILLUSTRATIVE data \(the illustrative data\)"):
        import_table(old, "old.xlsx", year=2015)
    assert import_table(old, "old.xlsx", year=2015, accept_illustrative=True).ok_rows() == 226
    # the map page's "table behind the map" CSV (machine keys, the note as a '#' line)
    page_csv = table_csv_bytes(view_table(joined, view), note=info.note_vi)
    with pytest.raises(DataError, match=r"ILLUSTRATIVE data \(the illustrative data\)"):
        import_table(page_csv, "bang.csv", year=2015)


def test_province_data_exported_again_imports_without_a_word():
    table = pd.DataFrame({"commune_code": ["06628"], "year": [2015], "poverty_rate_pct": [11.9]})
    provenance = Provenance(dataset_id="tinh-2015", source="Sở NN&PTNT", illustrative=False)
    data = table_csv_bytes_localized(table, title="Tỷ lệ hộ nghèo", provenance=provenance)
    report = import_table(data, "tinh.csv")
    assert report.ok_rows() == 1 and report.provenance.dataset_id == "tinh-2015"
    assert not any("illustrative" in n.reason_en for n in report.notices)


def test_provenance_rows_survive_another_delimiter_and_marker_spacing():
    data = "Tiêu đề\n#  ntm_geo:provenance;illustrative;TRUE\nMã xã;Năm\n06628;2015\n"
    assert read_provenance(data.encode("utf-8"), "x.csv") == Provenance(illustrative=True)
    # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-delimited
    unicode_text = data.replace(";", "\t").encode("utf-16")
    assert read_provenance(unicode_text, "x.txt") == Provenance(illustrative=True)
    assert read_provenance(b"not a workbook", "x.xlsx") is None
    assert illustrative_title(("# " + catalog.get_dataset("illustrative").note_en,))
    assert not illustrative_title(("Dữ liệu của tỉnh năm 2015",))


def test_import_table_cli_refuses_then_accepts(exports, tmp_path, capsys):
    path = tmp_path / "ban_do.xlsx"
    path.write_bytes(exports[("xlsx", "vi")])
    assert main(["import-table", str(path), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "Lỗi: ban_do.xlsx, trang tính «Bảng số liệu»: bảng này được xuất từ DỮ LIỆU MINH HỌA" in err
    assert "--accept-illustrative" in err
    assert main(["import-table", str(path), "--dry-run", "--accept-illustrative", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "226 rows imported" in out and "export of illustrative data" in out


@pytest.mark.parametrize(("fmt", "expected"), [("xlsx", "Excel, 226 rows"), ("csv", "CSV (UTF-8), 226 rows")])
def test_export_map_cli_writes_the_same_table(tmp_path, capsys, boundaries, fmt, expected):
    out = tmp_path / f"bang.{fmt}"
    assert main(["export-map", "--theme", "criteria", "--year", "2015", "--lang", "en", str(out)]) == 0
    assert expected in capsys.readouterr().out
    report = import_table(out.read_bytes(), out.name, accept_illustrative=True)
    assert report.ok_rows() == 226


def test_export_map_cli_writes_a_geopackage(tmp_path, capsys, boundaries):
    out = tmp_path / "ban_do.gpkg"
    code = main(["export-map", "--theme", "poverty", "--year", "2015", "--district", "186", str(out)])
    assert code == 0
    assert (
        "GeoPackage 26 đơn vị, lớp: communes, communes_vn2000, districts, ntm_metadata"
        in capsys.readouterr().out
    )


def test_export_map_cli_refuses_a_variable_without_values(tmp_path, capsys, boundaries):
    out = tmp_path / "x.gpkg"
    argv = [
        "export-map",
        "--theme",
        "infrastructure",
        "--var",
        "electricity_hh_pct",
        "--year",
        "2011",
        str(out),
    ]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "biến 'electricity_hh_pct'" in err and "has no value in any unit" in err
    assert not out.exists()
    assert (
        main(["export-map", "--theme", "poverty", "--year", "2015", "--size", "a4", str(tmp_path / "t.csv")])
        == 2
    )
    assert "--size applies to png and pdf only, not to csv" in capsys.readouterr().err


def test_an_accepted_illustrative_export_is_saved_with_its_origin_in_the_source(
    exports, tmp_path, capsys, monkeypatch
):
    from ntm_geo import auth
    from ntm_geo.cli.import_table import ILLUSTRATIVE_SOURCE_NOTE
    from ntm_geo.datasets import store

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", "s3cret")
    store.configure(None)
    auth.configure(None)
    path = tmp_path / "ban_do.csv"
    path.write_bytes(exports[("csv", "vi")])
    argv = ["import-table", str(path), "--accept-illustrative", "--source", "Thử nghiệm", "--name", "Thử"]
    assert main(argv) == 0
    capsys.readouterr()
    (info,) = store.list_infos()
    assert info.source == f"Thử nghiệm — {ILLUSTRATIVE_SOURCE_NOTE}"
    store.configure(None)


def test_check_report_reads_an_illustrative_export_with_a_note(exports, tmp_path, capsys):
    """check-report only compares (nothing is saved): the export is read, and said to be illustrative."""
    path = tmp_path / "ban_do.xlsx"
    path.write_bytes(exports[("xlsx", "en")])
    assert main(["check-report", "--year", "2015", "--dataset", str(path)]) == 0  # the figures match
    assert "Note: ban_do.xlsx is an export of the illustrative data" in capsys.readouterr().err
