"""SQLite store: save/load with exact dtypes, ids never reused, transactions, passwords, errors."""

from __future__ import annotations

import json
import sqlite3

import pandas as pd
import pytest

from ntm_geo import auth
from ntm_geo.datasets import catalog, store
from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.errors import ConfigError, DataError

PW = "editor-pw"


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    store.configure(None)
    auth.configure(None)
    yield tmp_path / "data"
    store.configure(None)


@pytest.fixture(scope="module")
def tables():
    return {2011: load_illustrative(2011), 2015: load_illustrative(2015)}


def save(tables, name="Kết quả NTM Lạng Sơn", **kw):
    reports = {y: {"matched": [{"row": 2, "code": "05971"}], "unmatched": []} for y in tables}
    return store.save_dataset(name, "VP Điều phối NTM", "Nguyễn Văn A", tables, reports, password=PW, **kw)


def test_nothing_configured_until_first_save(_store):
    assert not store.is_configured()
    assert store.list_infos() == [] and store.list_boundary_sets() == []
    assert not _store.exists()  # viewing never writes


def test_round_trip_exact_dtypes_and_metadata(tables, _store):
    info = save(tables)
    assert info.id == "ket-qua-ntm-lang-son-1"
    assert info.years == (2011, 2015) and not info.illustrative
    assert "Nguyễn Văn A" in info.note_vi and "VP Điều phối NTM" in info.note_en
    for year, table in tables.items():
        pd.testing.assert_frame_equal(store.load_table(info.id, year), table)
    record = store.get_record(info.id)
    assert record.sha256 == store.content_sha256(tables) and len(record.sha256) == 64
    assert record.uploaded_at.endswith("+00:00") and record.rows == (226, 226)
    assert store.get_report(info.id, 2015)["matched"][0]["code"] == "05971"
    conn = sqlite3.connect(_store / store.DB_FILE)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchall() == [(store.SCHEMA_VERSION,)]


def test_catalog_lists_saved_dataset_after_illustrative(tables):
    info = save({2015: tables[2015]})
    assert [d.id for d in catalog.list_datasets()] == ["illustrative", info.id]
    pd.testing.assert_frame_equal(catalog.load_year(info.id, 2015), tables[2015])


def test_configure_overrides_environment(tmp_path, tables):
    store.configure(tmp_path / "elsewhere")
    save({2015: tables[2015]})
    assert (tmp_path / "elsewhere" / store.DB_FILE).exists()
    assert not (tmp_path / "data").exists()


def test_ids_are_never_reused_after_delete(tables):
    first = save({2015: tables[2015]}, name="NTM")
    store.delete_dataset(first.id, password=PW)
    second = save({2015: tables[2015]}, name="NTM")
    assert (first.id, second.id) == ("ntm-1", "ntm-2")
    assert [i.id for i in store.list_infos()] == ["ntm-2"]


def test_slug_is_short_ascii():
    assert store.slug("Đường GTNT — Điện 2015!") == "duong-gtnt-dien-2015"
    assert store.slug("<script>") == "script"
    assert store.slug("学校") == "dataset"
    assert len(store.slug("x" * 100)) == 24


def test_replace_keeps_id_and_replaces_years(tables):
    info = save(tables)
    changed = tables[2015].assign(poverty_rate_pct=1.0)
    again = store.replace_dataset(info.id, "Bản mới", "nguồn 2", "B", {2015: changed}, password=PW)
    assert again.id == info.id and again.years == (2015,) and again.name_vi == "Bản mới"
    assert store.load_table(info.id, 2015)["poverty_rate_pct"].eq(1.0).all()
    assert store.get_record(info.id).sha256 == store.content_sha256({2015: changed})


def test_interrupted_save_leaves_previous_state(tables, monkeypatch, _store):
    info = save({2015: tables[2015]})
    before = store.list_records()
    calls = []

    def boom(table):
        calls.append(1)
        if len(calls) == 2:  # the second year's table: half-way through the write
            raise RuntimeError("power cut")
        return real(table)

    real = store._table_blob
    monkeypatch.setattr(store, "_table_blob", boom)
    with pytest.raises(RuntimeError, match="power cut"):
        save(tables, name="Bộ thứ hai")
    calls.clear()
    with pytest.raises(RuntimeError, match="power cut"):
        store.replace_dataset(info.id, "x", "y", "z", tables, password=PW)
    monkeypatch.setattr(store, "_table_blob", real)
    assert store.list_records() == before
    pd.testing.assert_frame_equal(store.load_table(info.id, 2015), tables[2015])
    conn = sqlite3.connect(_store / store.DB_FILE)
    assert conn.execute("SELECT COUNT(*) FROM datasets").fetchone()[0] == 1
    assert conn.execute("SELECT COUNT(*) FROM dataset_years").fetchone()[0] == 1
    assert save({2015: tables[2015]}, name="NTM").id == "ntm-2"  # the rolled-back insert left no trace


def test_writes_need_the_password(tables, monkeypatch):
    info = save({2015: tables[2015]})
    with pytest.raises(auth.PasswordError, match="Wrong editor password"):
        store.save_dataset("x", "", "", tables, password="nope")
    with pytest.raises(auth.PasswordError, match="Wrong editor password"):
        store.delete_dataset(info.id, password="nope")
    with pytest.raises(auth.PasswordError, match="Enter the editor password"):
        store.replace_dataset(info.id, "x", "", "", tables, password="")
    monkeypatch.delenv(auth.PASSWORD_ENV)
    with pytest.raises(ConfigError, match="Uploads are disabled"):
        store.save_dataset("x", "", "", tables, password=PW)
    assert [i.id for i in store.list_infos()] == [info.id]  # reading needs no password
    assert len(store.load_table(info.id, 2015)) == 226


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"name": "  "}, "Give the dataset a name"),
        ({"name": "x" * 201}, "at most 200"),
        ({"tables": {}}, "no table to save"),
        ({"tables": {2015: "drop c05"}}, "lacks column"),
        ({"tables": {2011: "year 2015"}}, "has rows for year 2015"),
        ({"tables": {2015: "dup"}}, "unit 05971 twice"),
        ({"tables": {2015: "empty"}}, "has no rows"),
        ({"reports": {2011: {}}}, "report is given for 2011"),
    ],
)
def test_bad_inputs(tables, kwargs, match):
    base = tables[2015]
    variants = {
        "drop c05": base.drop(columns="c05"),
        "year 2015": base,
        "dup": pd.concat([base, base.head(1)]),
        "empty": base.head(0),
    }
    args = {"name": "NTM", "tables": {2015: base}, "reports": None} | kwargs
    args["tables"] = {y: variants.get(t, t) if isinstance(t, str) else t for y, t in args["tables"].items()}
    with pytest.raises(DataError, match=match):
        store.save_dataset(args["name"], "", "", args["tables"], args["reports"], password=PW)
    assert store.list_infos() == []


def test_conform_table_casts_to_contract(tables):
    loose = tables[2015].drop(columns="year").astype(object)
    out = store.conform_table(loose, 2015)
    assert out["year"].dtype == "int64" and out["criteria_met"].dtype == "Int64"
    assert out["c01"].dtype == "boolean" and out["poverty_rate_pct"].dtype == "float64"
    pd.testing.assert_frame_equal(out, tables[2015])


def test_unknown_ids_and_years(tables):
    info = save({2015: tables[2015]})
    with pytest.raises(ConfigError, match=f"No saved dataset 'nope'; saved: {info.id}"):
        store.load_table("nope", 2015)
    with pytest.raises(ConfigError, match="No saved dataset"):
        store.delete_dataset("nope", password=PW)
    with pytest.raises(ConfigError, match="No saved dataset"):
        store.replace_dataset("nope", "x", "", "", {2015: tables[2015]}, password=PW)
    with pytest.raises(ConfigError, match="has no table for 2011; its years: 2015"):
        store.get_report(info.id, 2011)


def test_newer_schema_is_refused(tables, _store):
    save({2015: tables[2015]})
    conn = sqlite3.connect(_store / store.DB_FILE)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(ConfigError, match="written by a newer ntm-geo"):
        store.list_infos()


def test_corrupt_database_file(_store):
    _store.mkdir(parents=True)
    (_store / store.DB_FILE).write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(ConfigError, match="not a readable ntm-geo database"):
        store.list_infos()


def test_unwritable_data_folder(tmp_path, tables):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store.configure(blocker / "sub")
    with pytest.raises(ConfigError, match="Cannot create the data folder"):
        save({2015: tables[2015]})


def test_boundary_sets(boundaries, monkeypatch):
    communes = boundaries.communes.head(3)
    assert store.active_boundaries() is None
    first = store.save_boundaries(
        "Ranh giới 2020", "A", communes, {"matched": 3}, source_crs="EPSG:4326", password=PW
    )
    second = store.save_boundaries("", "A", communes.head(2), None, source_crs="EPSG:3405", password=PW)
    assert (first.id, second.id, second.name) == ("boundaries-1", "boundaries-2", "boundaries")
    assert len(store.active_boundaries()) == 2
    store.delete_boundaries(second.id, password=PW)
    active = store.active_boundaries()
    assert list(active["commune_code"]) == list(communes["commune_code"]) and active.crs == communes.crs
    with pytest.raises(ConfigError, match="No saved boundary set 'boundaries-2'; saved: boundaries-1"):
        store.delete_boundaries(second.id, password=PW)
    with pytest.raises(DataError, match="no boundaries to save"):
        store.save_boundaries("x", "A", communes.head(0), None, source_crs="EPSG:4326", password=PW)
    with pytest.raises(auth.PasswordError, match="Wrong"):
        store.save_boundaries("x", "A", communes, None, source_crs="EPSG:4326", password="no")
    assert json.loads(json.dumps(store.list_boundary_sets()[0].__dict__))["source_crs"] == "EPSG:4326"


def _import(year: int, codes: tuple[str, ...]):
    from ntm_geo.datasets.importing.table import import_table

    csv = "Mã xã,Năm,Tỷ lệ hộ nghèo (%),Dân số\n" + "".join(
        f"{code},{year},{10 + i},1000\n" for i, code in enumerate(codes)
    )
    return import_table(csv.encode(), f"t{year}.csv")


def test_save_import_drops_the_imports_columns_and_merges_a_year(_store):
    """The one save path of the data page and the command line (was page logic only)."""
    first = _import(2015, ("05971", "06628"))
    info = store.save_import(
        first.table, 2015, first.to_json(), name="Nhập", source="VPĐP", uploaded_by="a", password=PW
    )
    saved = store.load_table(info.id, 2015)
    assert not set(store.IMPORT_ONLY_COLUMNS) & set(saved.columns)
    assert list(saved["poverty_rate_pct"]) == [10.0, 11.0]
    # a second year merged into the same dataset: the id stays, 2015 is kept
    second = _import(2011, ("05971",))
    merged = store.save_import(
        second.table,
        2011,
        second.to_json(),
        name="Nhập",
        source="VPĐP",
        uploaded_by="b",
        password=PW,
        into=info.id,
    )
    assert merged.id == info.id and merged.years == (2011, 2015)
    pd.testing.assert_frame_equal(store.load_table(info.id, 2015), saved)
    assert (
        store.get_report(info.id, 2015)["file"] == "t2015.csv"
        and store.get_report(info.id, 2011)["file"] == "t2011.csv"
    )
    # the same year again replaces it
    again = _import(2015, ("06628",))
    store.save_import(
        again.table, 2015, again.to_json(), name="Nhập", source="", uploaded_by="c", password=PW, into=info.id
    )
    assert list(store.load_table(info.id, 2015)["commune_code"]) == ["06628"]
    assert list(store.load_table(info.id, 2011)["commune_code"]) == ["05971"]


def test_save_import_checks_the_password_before_reading(_store):
    report = _import(2015, ("05971",))
    with pytest.raises(auth.PasswordError):
        store.save_import(
            report.table, 2015, None, name="x", source="", uploaded_by="", password="wrong", into="nope"
        )
    assert store.list_infos() == []


def test_save_import_refuses_a_table_with_no_usable_value(_store):
    """The store enforces ImportReport.no_usable_value itself (the fronts only disable saving):
    a table of rows with every data cell empty is refused with the import's reason."""
    from ntm_geo.datasets.importing.table import import_table

    report = import_table("Mã xã,Năm,Tỷ lệ hộ nghèo (%)\n06628,2015,\n".encode(), "trong.csv")
    assert report.ok_rows() == 1 and report.no_usable_value() is not None
    with pytest.raises(DataError, match="Bảng «trong.csv» không có giá trị nào dùng được"):
        store.save_import(
            report.table, 2015, report.to_json(), name="x", source="", uploaded_by="", password=PW
        )
    with pytest.raises(DataError, match="no usable value"):  # no report: the store's own words
        store.save_import(report.table, 2015, None, name="x", source="", uploaded_by="", password=PW)
    assert store.list_infos() == []


def test_save_import_into_keeps_the_name_and_source_when_none_are_given(_store):
    """trial6: adding a year on the data page renamed the dataset to the uploaded file's name (the
    name field's default) and replaced its source; ``name=None``/``source=None`` keep them."""
    first = _import(2015, ("05971", "06628"))
    info = store.save_import(
        first.table, 2015, first.to_json(), name="NTM Lạng Sơn", source="VPĐP", uploaded_by="a", password=PW
    )
    second = _import(2011, ("05971",))
    merged = store.save_import(
        second.table,
        2011,
        second.to_json(),
        name=None,
        source=None,
        uploaded_by="b",
        password=PW,
        into=info.id,
    )
    record = store.get_record(info.id)
    assert merged.years == (2011, 2015)
    assert (record.name, record.source) == ("NTM Lạng Sơn", "VPĐP")
    with pytest.raises(DataError, match="Give the dataset a name"):  # a new one needs a name
        store.save_import(second.table, 2011, None, name=None, source=None, uploaded_by="b", password=PW)
