"""GeoPackage export: read back with pyogrio (columns, CRS, rows, style = the app's legend) and with
GDAL's own command-line tools (ogrinfo, ogr2ogr) as an independent client."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS

from ntm_geo.datasets import catalog
from ntm_geo.errors import ConfigError
from ntm_geo.exports.geopackage import (
    LAYER_COMMUNES,
    LAYER_COMMUNES_VN2000,
    LAYER_DISTRICTS,
    TABLE_METADATA,
    build_geopackage,
    require_variable,
    vn2000_crs,
)
from ntm_geo.geo.boundary_upload import VN2000_LANG_SON_TM3
from ntm_geo.maps.classify import NO_DATA, NO_DATA_COLOR, NOT_ASSESSED, NOT_ASSESSED_COLOR
from ntm_geo.maps.themes import compute_view, join_dataset
from ntm_geo.views.viewstate import ViewState

NOW = datetime(2026, 12, 6, 4, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def poverty_gpkg(boundaries, tmp_path_factory) -> Path:
    spec = ViewState(var="poverty_rate_pct", scheme="quantiles", k=5)
    path = tmp_path_factory.mktemp("gpkg") / "poverty.gpkg"
    path.write_bytes(build_geopackage(spec, boundaries=boundaries, now=NOW))
    return path


def _app_view(boundaries, spec: ViewState):
    """The view exactly as the map page computes it (web-simplified units)."""
    table = join_dataset(boundaries.communes_web, catalog.load_year(spec.dataset, spec.year))
    return compute_view(table, spec.var, scheme=spec.scheme, k=spec.k, lang=spec.lang)


def _qml(path: Path, layer: str) -> ET.Element:
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT styleQML, useAsDefault FROM layer_styles WHERE f_table_name = ?", (layer,)
        ).fetchall()
    assert len(rows) == 1 and rows[0][1] == 1  # one style, the default one
    return ET.fromstring(rows[0][0].split("\n", 1)[1])  # without the DOCTYPE line


def test_layers_columns_crs_and_rows(poverty_gpkg, boundaries):
    layers = dict(pyogrio.list_layers(poverty_gpkg))
    assert {LAYER_COMMUNES, LAYER_COMMUNES_VN2000, LAYER_DISTRICTS, TABLE_METADATA} <= set(layers)
    assert layers[TABLE_METADATA] is None  # a table, no geometry
    communes = pyogrio.read_dataframe(poverty_gpkg, layer=LAYER_COMMUNES)
    assert len(communes) == 226 and communes.crs == CRS.from_epsg(4326)
    dataset = catalog.load_year("illustrative", 2015)
    expected = {
        "commune_code",
        "name_with_type",
        "district_name",
        "unit_type",
        "year",
        "map_class",
        "class_label",
    }
    assert expected | (set(dataset.columns) - {"year"}) <= set(communes.columns)
    # values equal the dataset's, codes keep their leading zeros
    merged = communes.merge(dataset, on="commune_code", suffixes=("", "_src"))
    assert len(merged) == 226 and communes["commune_code"].str.len().eq(5).all()
    np.testing.assert_allclose(merged["poverty_rate_pct"], merged["poverty_rate_pct_src"])
    assert (merged["c05"].astype("boolean") == merged["c05_src"]).fillna(True).all()
    # full precision: the very polygons of the boundary cache, not the web-simplified ones
    full = boundaries.communes.set_index("commune_code").geometry
    for code, geom in zip(communes["commune_code"], communes.geometry, strict=True):
        # (a Polygon comes back as a one-part MultiPolygon: GeoPackage layers have one geometry type)
        np.testing.assert_array_equal(shapely.get_coordinates(geom), shapely.get_coordinates(full[code]))
    assert sum(len(g.exterior.coords) for p in communes.geometry for g in getattr(p, "geoms", [p])) > sum(
        len(g.exterior.coords) for p in boundaries.communes_web.geometry for g in getattr(p, "geoms", [p])
    )


def test_vn2000_layer_is_the_provincial_crs_in_metres(poverty_gpkg):
    vn = pyogrio.read_dataframe(poverty_gpkg, layer=LAYER_COMMUNES_VN2000)
    info = pyogrio.read_info(poverty_gpkg, layer=LAYER_COMMUNES_VN2000)
    assert len(vn) == 226
    wkt = info["crs"]
    assert "107.25" in wkt and "0.9999" in wkt and "500000" in wkt
    minx, miny, maxx, maxy = vn.total_bounds
    assert 370_000 < minx < maxx < 530_000 and 2_350_000 < miny < maxy < 2_500_000  # metres, Lạng Sơn
    expected = pyogrio.read_dataframe(poverty_gpkg, layer=LAYER_COMMUNES).to_crs(VN2000_LANG_SON_TM3)
    assert np.abs(vn.geometry.centroid.x - expected.geometry.centroid.x).max() < 1e-6


def test_style_classes_colours_and_labels_equal_the_app_legend(poverty_gpkg, boundaries):
    spec = ViewState(var="poverty_rate_pct", scheme="quantiles", k=5)
    view = _app_view(boundaries, spec)
    result = view.classification
    for layer in (LAYER_COMMUNES, LAYER_COMMUNES_VN2000):
        root = _qml(poverty_gpkg, layer)
        renderer = root.find("renderer-v2")
        assert renderer.get("type") == "categorizedSymbol" and renderer.get("attr") == "map_class"
        symbols = {s.get("name"): s for s in renderer.find("symbols")}
        styled = {}
        for cat in renderer.find("categories"):
            symbol = symbols[cat.get("symbol")]
            rgba = symbol.find("layer/Option/Option[@name='color']").get("value")
            assert symbol.find("layer/prop[@k='color']").get("v") == rgba  # the form older QGIS 3 reads
            r, g, b, _ = (int(v) for v in rgba.split(","))
            styled[int(cat.get("value"))] = (f"#{r:02x}{g:02x}{b:02x}", cat.get("label"))
        app = {
            n: (color.lower(), c.label_vi)
            for n, (c, color) in enumerate(zip(result.classes, result.colors, strict=True))
        }
        app[NO_DATA] = (NO_DATA_COLOR, "Không có dữ liệu")
        app[NOT_ASSESSED] = (NOT_ASSESSED_COLOR, "Không đánh giá (phường, thị trấn)")
        assert styled == app
    # the breaks: every unit's class and range are the app's, and its colour is the map's fill
    communes = pyogrio.read_dataframe(poverty_gpkg, layer=LAYER_COMMUNES)
    codes = list(boundaries.communes_web["commune_code"])
    fills = dict(zip(codes, view.fills, strict=True))
    yb = dict(zip(codes, result.yb, strict=True))
    for row in communes.itertuples():
        assert row.map_class == yb[row.commune_code] and row.class_color == fills[row.commune_code]
        if row.map_class >= 0:
            c = result.classes[row.map_class]
            assert (row.class_low, row.class_high) == (c.low, c.high)
            assert c.low <= row.poverty_rate_pct <= c.high
    bounds = sorted({(r.class_low, r.class_high) for r in communes.itertuples() if r.map_class >= 0})
    assert bounds == [(c.low, c.high) for c in result.classes]


def test_units_without_data_stay_with_empty_values(boundaries, tmp_path):
    """Wards are not assessed against the criteria: they stay, with empty criteria, in their class."""
    path = tmp_path / "criteria.gpkg"
    path.write_bytes(build_geopackage(ViewState(var="criteria_met"), boundaries=boundaries, now=NOW))
    communes = pyogrio.read_dataframe(path, layer=LAYER_COMMUNES)
    assert len(communes) == 226
    wards = communes[communes["unit_type"] != "xa"]
    assert len(wards) == 19
    assert wards["criteria_met"].isna().all() and wards["c01"].isna().all()
    assert (wards["map_class"] == NOT_ASSESSED).all()
    assert set(wards["class_label"]) == {"Không đánh giá (phường, thị trấn)"}


def test_units_missing_from_the_dataset_are_kept_as_no_data(boundaries, tmp_path, monkeypatch):
    full = catalog.load_year("illustrative", 2015)
    dropped = list(full.loc[full["commune_code"].isin(["06628", "06631", "05971"]), "commune_code"])
    monkeypatch.setattr(
        "ntm_geo.exports.view_data.catalog.load_year", lambda *_: full[~full["commune_code"].isin(dropped)]
    )
    path = tmp_path / "partial.gpkg"
    path.write_bytes(build_geopackage(ViewState(var="poverty_rate_pct"), boundaries=boundaries, now=NOW))
    communes = pyogrio.read_dataframe(path, layer=LAYER_COMMUNES)
    assert len(communes) == 226  # nothing left out
    missing = communes[communes["commune_code"].isin(dropped)]
    assert len(missing) == 3 and missing["poverty_rate_pct"].isna().all()
    assert (missing["map_class"] == NO_DATA).all() and set(missing["class_label"]) == {"Không có dữ liệu"}
    assert set(missing["name_with_type"]) >= {"Phường Hoàng Văn Thụ"}  # the unit itself is there


def test_aliases_metadata_and_district_layer(poverty_gpkg):
    with sqlite3.connect(poverty_gpkg) as con:
        titles = dict(
            con.execute(
                "SELECT column_name, title FROM gpkg_data_columns WHERE table_name = ?", (LAYER_COMMUNES,)
            ).fetchall()
        )
        descriptions = dict(
            con.execute(
                "SELECT column_name, description FROM gpkg_data_columns WHERE table_name = ?",
                (LAYER_COMMUNES,),
            ).fetchall()
        )
        extension = con.execute(
            "SELECT extension_name FROM gpkg_extensions WHERE table_name = 'gpkg_data_columns'"
        ).fetchone()
    assert titles["commune_code"] == "Mã xã (GSO)" and titles["c01"] == "TC1. Quy hoạch"  # the schema's
    assert descriptions["c01"] == "TC1. Quy hoạch / C1 Planning"
    assert extension == ("gpkg_schema",)
    aliases = {a.get("field"): a.get("name") for a in _qml(poverty_gpkg, LAYER_COMMUNES).find("aliases")}
    assert aliases["poverty_rate_pct"] == "Tỷ lệ hộ nghèo (%)" and aliases["name_with_type"] == "Tên đơn vị"
    meta = pyogrio.read_dataframe(poverty_gpkg, layer=TABLE_METADATA)
    values = dict(zip(meta["key"], meta["value"], strict=True))
    assert values["dataset_id"] == "illustrative" and values["year"] == "2015"
    assert values["illustrative"].startswith("illustrative")
    assert values["derived"] == "false" and values["exported_at"] == "2026-12-06T04:00:00Z"
    assert "censusVN2009" in values["vintage"] and "48/BC-BCĐ" in values["source"]
    assert values["app_version"] and values["provenance.illustrative"] == "true"
    districts = pyogrio.read_dataframe(poverty_gpkg, layer=LAYER_DISTRICTS)
    assert len(districts) == 11 and districts["units"].sum() == 226
    assert districts.crs == CRS.from_epsg(4326)
    district_style = _qml(poverty_gpkg, LAYER_DISTRICTS).find("renderer-v2")
    assert district_style.get("type") == "singleSymbol"


def test_a_district_view_keeps_the_province_classes(boundaries, tmp_path):
    path = tmp_path / "huu_lung.gpkg"
    spec = ViewState(var="poverty_rate_pct", scheme="quantiles", k=5, district="186", lang="en")
    path.write_bytes(build_geopackage(spec, boundaries=boundaries, now=NOW))
    communes = pyogrio.read_dataframe(path, layer=LAYER_COMMUNES)
    assert len(communes) == 26 and set(communes["district_code"]) == {"186"}
    labels = [c.get("label") for c in _qml(path, LAYER_COMMUNES).find("renderer-v2/categories")]
    view = _app_view(boundaries, spec)
    assert labels[:5] == [c.label_en for c in reversed(view.classification.classes)]
    assert labels[5:] == ["No data", "Not assessed (wards, townships)"]


@pytest.mark.parametrize(
    ("year", "variable", "message"),
    [
        (2011, "road_hardened_pct", r"year 2011: variable 'road_hardened_pct' .* has no value in any unit"),
        (2011, "car_access_all_season", r"variable 'car_access_all_season' .* has no value in any unit"),
    ],
)
def test_a_dataset_without_the_variable_is_refused(boundaries, year, variable, message):
    with pytest.raises(
        ConfigError, match=message + r".*Variables with values: criteria_met, poverty_rate_pct"
    ):
        build_geopackage(ViewState(year=year, var=variable), boundaries=boundaries)


def test_a_missing_column_is_named():
    table = pd.DataFrame({"commune_code": ["06628"], "poverty_rate_pct": [11.9]})
    with pytest.raises(ConfigError, match=r"'criteria_met' \(.*\) has no column criteria_met.*không có cột"):
        require_variable(table, ViewState(var="criteria_met"))
    with pytest.raises(ConfigError, match=r"has no column c02, c03"):
        require_variable(table, ViewState(var="infra_criteria_met"))
    require_variable(table, ViewState(var="poverty_rate_pct"))  # present: no error


def test_vn2000_crs_is_the_upload_definition_named():
    crs = vn2000_crs()
    assert crs.source_crs.name.startswith("VN-2000 / Lạng Sơn TM-3°")
    reference = CRS.from_proj4(VN2000_LANG_SON_TM3)
    from pyproj import Transformer

    a = Transformer.from_crs(4326, crs, always_xy=True).transform(106.76, 21.85)
    b = Transformer.from_crs(4326, reference, always_xy=True).transform(106.76, 21.85)
    assert a == b


# ----------------------------------------------------------------- GDAL's own tools (gdal-bin)

needs_gdal = pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="gdal-bin (ogrinfo) not installed")


@needs_gdal
def test_ogrinfo_opens_every_layer_and_the_style(poverty_gpkg):
    out = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(poverty_gpkg)], capture_output=True, text=True, check=True
    )
    listed = re.findall(r"^\d+: (\S+)", out.stdout, re.M)
    assert {LAYER_COMMUNES, LAYER_COMMUNES_VN2000, LAYER_DISTRICTS, TABLE_METADATA, "layer_styles"} <= set(
        listed
    )
    summary = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(poverty_gpkg), LAYER_COMMUNES],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Feature Count: 226" in summary and 'ID["EPSG",4326]' in summary
    assert "poverty_rate_pct: Real" in summary and "c01: Integer(Boolean)" in summary
    sql = subprocess.run(
        [
            "ogrinfo",
            "-ro",
            str(poverty_gpkg),
            "-sql",
            "SELECT f_table_name, useAsDefault FROM layer_styles ORDER BY f_table_name",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.findall(r"f_table_name \(String\) = (\S+)", sql) == sorted(
        [LAYER_COMMUNES, LAYER_COMMUNES_VN2000, LAYER_DISTRICTS]
    )
    assert (
        sql.count("useAsDefault (Integer(Boolean)) = 1") == 3 or sql.count("useAsDefault (Integer) = 1") == 3
    )
    vn = subprocess.run(
        ["ogrinfo", "-ro", "-so", str(poverty_gpkg), LAYER_COMMUNES_VN2000],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Feature Count: 226" in vn and "VN-2000 / Lạng Sơn TM-3°" in vn and "107.25" in vn


@needs_gdal
def test_ogr2ogr_reprojects_the_vn2000_layer_onto_the_wgs84_one(poverty_gpkg, tmp_path):
    """GDAL reads the VN-2000 definition as the app wrote it (datum shift included): reprojected
    back to EPSG:4326, the first vertex lands within a centimetre of the EPSG:4326 layer's."""
    coords = {}
    for layer, extra in ((LAYER_COMMUNES, []), (LAYER_COMMUNES_VN2000, ["-t_srs", "EPSG:4326"])):
        target = tmp_path / f"{layer}.csv"
        subprocess.run(
            [
                *("ogr2ogr", "-f", "CSV", str(target), str(poverty_gpkg), layer, *extra),
                *("-lco", "GEOMETRY=AS_WKT", "-where", "commune_code = '06628'"),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        wkt = target.read_text(encoding="utf-8")
        coords[layer] = [float(v) for v in re.search(r"\(\(\(?([-\d.]+ [-\d.]+)", wkt).group(1).split()]
    (x1, y1), (x2, y2) = coords[LAYER_COMMUNES], coords[LAYER_COMMUNES_VN2000]
    metres = np.hypot((x1 - x2) * 111_320 * np.cos(np.radians(y1)), (y1 - y2) * 110_574)
    assert metres < 0.01
