"""Exports of a dataset on the 65 units of 1 July 2025 (issue 13's last export gap): every file
drawn on the 65 units, no district column, criteria against the dataset's framework (N/10 under
51/2025), the framework and commune groups said, carried values labelled derived."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import geopandas as gpd
import pytest
from openpyxl import load_workbook
from PIL import Image

from ntm_geo import __main__ as cli
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.errors import ConfigError
from ntm_geo.exports.formats import export_filename, standalone_html, table_export
from ntm_geo.exports.geopackage import (
    LAYER_COMMUNES,
    LAYER_COMMUNES_VN2000,
    LAYER_DISTRICTS,
    LAYER_FORMER_DISTRICTS,
    TABLE_METADATA,
    build_geopackage,
)
from ntm_geo.exports.static_map import prepare, render_map
from ntm_geo.exports.view_data import export_data
from ntm_geo.geo.vintages import units_2025
from ntm_geo.views.viewstate import ViewState

PASSWORD = "s3cret"


def _table_2026() -> bytes:
    """A 2026 table under 51/2025 (10 criteria, commune group) on the 65 units of 2025."""
    units = units_2025()
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Năm",
        "Nhóm xã",
        *[f"TC{i}" for i in range(1, 11)],
        "Tỷ lệ hộ nghèo (%)",
    ]
    lines = [",".join(header)]
    for i, (code, name, kind) in enumerate(
        zip(units["commune_code"], units["name_with_type"], units["unit_type"], strict=True)
    ):
        xa = kind == "xa"
        met = ["1" if j < 4 + i % 7 else "0" for j in range(10)] if xa else [""] * 10
        group = str(1 + i % 3) if xa else ""
        lines.append(",".join([code, name, "2026", group, *met, f"{1.5 + (i % 11) * 1.1:.1f}"]))
    return ("\n".join(lines) + "\n").encode()


def save_2026() -> DatasetInfo:
    """:func:`_table_2026` imported (51/2025, the 65 units of 2025) and saved as «NTM 2026» in the
    configured store."""
    from ntm_geo.datasets import store
    from ntm_geo.datasets.importing.table import import_table

    report = import_table(_table_2026(), "ntm_2026.csv")
    assert report.vintage == "2025" and report.framework_id == "qd51_2025" and report.ok_rows() == 65
    return store.save_import(
        report.table,
        2026,
        report.to_json(),
        name="NTM 2026",
        source="VPĐP",
        uploaded_by="t",
        password=PASSWORD,
    )


@pytest.fixture(scope="module")
def dataset_2026(tmp_path_factory, boundaries, boundaries_2025):
    """The id of a saved 2026 dataset under 51/2025 on the 2025 units (store in a temporary folder)."""
    from ntm_geo import auth
    from ntm_geo.datasets import store

    mp = pytest.MonkeyPatch()
    mp.setenv("NTM_GEO_DATA_DIR", str(tmp_path_factory.mktemp("store") / "data"))
    mp.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    store.configure(None)
    auth.configure(None)
    yield save_2026().id
    mp.undo()
    store.configure(None)
    auth.configure(None)


def _gpkg(tmp_path: Path, state: ViewState, former_districts: bool = False) -> Path:
    path = tmp_path / "export.gpkg"
    path.write_bytes(build_geopackage(state, former_districts=former_districts))
    return path


def test_the_spec_of_a_2025_dataset_is_on_the_65_units_whatever_was_asked(dataset_2026):
    data = export_data(ViewState(dataset_2026, 2026, var="criteria_met"))  # units="2015" asked
    assert data.state.units == "2025" and len(data.joined) == 65 and not data.has_districts
    assert data.framework is not None and data.framework.decision == "51/2025/QĐ-TTg"
    shown = set(data.view.display_values)
    assert "10/10" in shown and "4/10" in shown and not any("/19" in v for v in shown)
    groups = data.commune_groups()
    assert set(groups) == {1, 2, 3} and sum(groups.values()) == 61  # the 61 xã; wards have no group
    assert data.derived is False


def test_static_maps_are_drawn_on_the_65_units_with_the_framework_s_classes(dataset_2026):
    printed = prepare(ViewState(dataset_2026, 2026, var="criteria_met"))
    assert len(printed.communes) == 65 and len(printed.districts) == 0 and not printed.former
    labels = [label for _, label, _ in printed.view.classification.legend_entries("vi")]
    assert labels[0] == "10 tiêu chí (đạt chuẩn NTM)" and "0–2 tiêu chí" in labels
    slide = Image.open(
        io.BytesIO(render_map(ViewState(dataset_2026, 2026, var="criteria_met"), "png", "slide"))
    )
    assert slide.size == (1920, 1080)
    former = prepare(ViewState(dataset_2026, 2026, var="poverty_rate_pct"), former_districts=True)
    assert former.former and len(former.districts) == 11  # the 11 former districts as context
    pdf = render_map(ViewState(dataset_2026, 2026, var="c03", lang="en"), "pdf", "a4", former_districts=True)
    from ntm_geo.cli.export_map import describe

    assert describe(pdf, "pdf", "en") == "PDF 1 page, 210×297 mm"


def test_standalone_html_holds_the_65_units_and_no_district(dataset_2026):
    page = standalone_html(ViewState(dataset_2026, 2026, var="criteria_met"))
    units = units_2025()
    for code, name in zip(units["commune_code"], units["name_with_type"], strict=True):
        assert code in page
        assert name in page or json.dumps(name)[1:-1] in page
    assert "Đơn vị hành chính 2025" in page and "QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí)" in page
    assert "Không còn cấp huyện" in page or "không còn cấp huyện" in page
    assert "nhóm 1" in page
    with_former = standalone_html(ViewState(dataset_2026, 2026, var="criteria_met"), former_districts=True)
    label = "huyện cũ (trước 1/7/2025)"
    assert label in with_former or json.dumps(label)[1:-1] in with_former


def test_geopackage_has_65_features_in_epsg_4326_and_no_district_columns(dataset_2026, tmp_path):
    path = _gpkg(tmp_path, ViewState(dataset_2026, 2026, var="criteria_met"))
    communes = gpd.read_file(path, layer=LAYER_COMMUNES)
    assert len(communes) == 65 and communes.crs.to_epsg() == 4326
    assert "district_code" not in communes and "district_name" not in communes
    assert {"c01", "c10", "criteria_met", "commune_group", "map_value", "class_color"} <= set(
        communes.columns
    )
    assert "c11" not in communes  # only the 10 criteria of 51/2025
    assert communes.loc[communes["criteria_met"] == 10, "map_value"].eq("10/10").all()
    vn2000 = gpd.read_file(path, layer=LAYER_COMMUNES_VN2000)
    assert len(vn2000) == 65 and vn2000.crs.is_projected
    import pyogrio

    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert LAYER_DISTRICTS not in layers and LAYER_FORMER_DISTRICTS not in layers
    with sqlite3.connect(path) as con:
        meta = dict(con.execute(f"SELECT key, value FROM {TABLE_METADATA}").fetchall())
    assert meta["unit_vintage"] == "2025" and meta["framework"] == "51/2025/QĐ-TTg" and meta["units"] == "65"
    assert "vietnamese-provinces-database" in meta["vintage"] and meta["derived"] == "false"


def test_geopackage_former_districts_layer_when_asked(dataset_2026, tmp_path):
    path = _gpkg(tmp_path, ViewState(dataset_2026, 2026, var="poverty_rate_pct"), former_districts=True)
    former = gpd.read_file(path, layer=LAYER_FORMER_DISTRICTS)
    assert len(former) == 11 and former.crs.to_epsg() == 4326 and former["units"].sum() == 65
    assert set(former["label"]) == {"huyện cũ (trước 1/7/2025)"}
    with sqlite3.connect(path) as con:
        (qml,) = con.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = ?", (LAYER_FORMER_DISTRICTS,)
        ).fetchone()
    assert 'value="dash"' in qml


def test_excel_and_csv_tables_of_the_65_units(dataset_2026):
    book = load_workbook(io.BytesIO(table_export(ViewState(dataset_2026, 2026, var="criteria_met"), "xlsx")))
    sheet = book.worksheets[0]
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert "Đơn vị hành chính 2025" in rows[0][0]
    keys_row = next(i for i, r in enumerate(rows) if r[0] == "commune_code")
    keys = rows[keys_row]
    assert "district_code" not in keys and "district_name" not in keys and "year" in keys
    assert "c10" in keys and "c11" not in keys
    body = rows[keys_row + 2 :]
    assert len(body) == 65
    shown = {r[-1] for r in body}
    assert "10/10" in shown and not any(str(v).endswith("/19") for v in shown)
    assert any("51/2025" in str(r[0]) for r in rows[:keys_row])
    csv = table_export(ViewState(dataset_2026, 2026, var="poverty_rate_pct", lang="en"), "csv").decode(
        "utf-8-sig"
    )
    assert "district_name" not in csv and "2025 units" in csv
    from ntm_geo.datasets.importing.reading import read_table

    assert len(read_table(csv.encode("utf-8"), "t.csv").rows) == 65


def test_a_2015_dataset_carried_to_2025_units_is_labelled_derived(boundaries_2025, tmp_path):
    spec = ViewState("illustrative", 2015, var="poverty_rate_pct", units="2025", lang="en")
    page = standalone_html(spec)
    assert "DERIVED VALUES" in page and "ILLUSTRATIVE DATA" in page
    path = _gpkg(tmp_path, spec)
    assert len(gpd.read_file(path, layer=LAYER_COMMUNES)) == 65
    with sqlite3.connect(path) as con:
        meta = dict(con.execute(f"SELECT key, value FROM {TABLE_METADATA}").fetchall())
    assert meta["derived"] == "derived" and meta["provenance.derived"] == "true"
    # criteria of former communes are 'k of n', not a map: refused with the variables that have values
    with pytest.raises(ConfigError, match="no value in any unit.*poverty_rate_pct"):
        render_map(ViewState("illustrative", 2015, var="criteria_met", units="2025"))


@pytest.mark.parametrize(
    ("state", "former", "match"),
    [
        (ViewState(units="2030"), False, "Unknown unit vintage '2030'; allowed: 2015, 2025"),
        (ViewState(units="2025", district="186"), False, "no district level"),
        (ViewState(), True, "Former district outlines are drawn on the 2025 units only"),
    ],
)
def test_bad_specs_on_units_are_refused(state, former, match, boundaries):
    with pytest.raises(ConfigError, match=match):
        render_map(state, boundaries=boundaries, former_districts=former)


def test_a_criterion_outside_the_framework_is_refused(dataset_2026):
    with pytest.raises(ConfigError, match="not part of Decision 51/2025"):
        build_geopackage(ViewState(dataset_2026, 2026, var="c15"))


def test_cli_exports_a_2025_dataset_by_name(dataset_2026, tmp_path, capsys):
    out = tmp_path / "ntm.gpkg"
    code = cli.main(
        [
            "export-map",
            "--dataset",
            "NTM 2026",
            "--theme",
            "criteria",
            "--year",
            "2026",
            "--lang",
            "en",
            str(out),
        ]
    )
    assert code == 0, capsys.readouterr()
    assert "GeoPackage, 65 units" in capsys.readouterr().out
    png = tmp_path / "carried.png"
    args = [
        "export-map",
        "--theme",
        "poverty",
        "--year",
        "2015",
        "--units",
        "2025",
        "--former-districts",
        str(png),
    ]
    assert cli.main(args) == 0
    assert Image.open(png).size == (1920, 1080)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--units", "2030"], "--units '2030'"),
        (["--units", "2025", "--district", "186"], "no district"),
        (["--former-districts"], "--former-districts"),
    ],
)
def test_cli_refuses_bad_unit_options(extra, message, tmp_path, capsys, boundaries):
    code = cli.main(["export-map", "--theme", "poverty", "--year", "2015", *extra, str(tmp_path / "x.png")])
    assert code == 2
    assert message in capsys.readouterr().err


def test_the_export_panel_offers_every_file_of_a_2025_dataset(dataset_2026):
    """The map page's export panel (AppTest): seven files, the table note on the 65 units."""
    from streamlit.testing.v1 import AppTest

    script = (
        "from app_pages.export_ui import render_exports\n"
        "from ntm_geo.views.viewstate import ViewState\n"
        f"render_exports(ViewState(dataset={dataset_2026!r}, year=2026, units='2025'))\n"
    )
    at = AppTest.from_string(script, default_timeout=240).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [d.proto.label.split(" · ")[0] for d in at.get("download_button")]
    assert len(labels) == 7 and "GeoPackage cho QGIS (có sẵn màu)" in labels
    assert any("65 đơn vị 2025 (không còn cấp huyện)" in c.value for c in at.caption)


def test_file_names_on_the_2025_units_say_so():
    carried = ViewState("illustrative", 2015, var="poverty_rate_pct", units="2025")
    assert (
        export_filename(carried, "png", "slide")
        == "ntm_lang_son_illustrative_2015_units2025_poverty_rate_pct_slide.png"
    )
    assert (
        export_filename(ViewState(var="poverty_rate_pct"), "png")
        == "ntm_lang_son_illustrative_2015_poverty_rate_pct.png"
    )
