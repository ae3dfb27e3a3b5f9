"""Boundary upload: formats, CRS (VN-2000 with/without datum), province check, encodings, matching.

Test files are made here from the real boundaries (subsets, reprojected, written to tmp dirs);
none is committed.
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from ntm_geo import auth
from ntm_geo.datasets import store
from ntm_geo.errors import BoundaryError, DataError
from ntm_geo.geo import boundary_upload as bu

PW = "pw"
BAD_TM3 = "+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def communes(boundaries):
    return boundaries.communes


@pytest.fixture
def table(communes):
    """Commune polygons with attribute names as a province office writes them."""
    return communes[["commune_code", "name_with_type", "district_name", "geometry"]].rename(
        columns={"commune_code": "MA_XA", "name_with_type": "TEN_XA", "district_name": "HUYEN"}
    )


def shapefile_zip(
    frame: gpd.GeoDataFrame,
    folder: Path,
    *,
    encoding="UTF-8",
    prefix="ranh_gioi/",
    drop=(),
    cpg: str | None = None,
) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame, folder / "xa.shp", encoding=encoding)
    if cpg is not None:
        (folder / "xa.cpg").write_text(cpg)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.iterdir()):
            if path.suffix not in drop:
                archive.write(path, prefix + path.name)
    return buffer.getvalue()


def written(frame: gpd.GeoDataFrame, path: Path, **kw) -> bytes:
    pyogrio.write_dataframe(frame, path, **kw)
    return path.read_bytes()


def offsets_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame):
    pa = gpd.GeoSeries(a.geometry.centroid.to_numpy(), crs=4326).to_crs(bu.bnd.WORK_CRS)
    pb = gpd.GeoSeries(
        b.set_index("commune_code").loc[a["commune_code"]].geometry.centroid.to_numpy(), crs=4326
    ).to_crs(bu.bnd.WORK_CRS)
    return pa.distance(pb)


# ---------------------------------------------------------------- formats and CRS
def test_zipped_shapefile_in_subfolder_vn2000_tm3_without_datum(table, communes, tmp_path):
    data = shapefile_zip(table.to_crs(bu.VN2000_LANG_SON_TM3), tmp_path / "shp")
    prj = zipfile.ZipFile(io.BytesIO(data)).read("ranh_gioi/xa.prj").decode()
    assert "TOWGS84" not in prj  # Esri .prj drops the datum parameters: the real-world trap
    result = bu.import_boundaries(data, "ranh_gioi.zip", reference=communes)
    assert result.complete and len(result.report["matched"]) == 226
    assert {r["rule"] for r in result.report["matched"]} == {"code"}
    assert "224 m" in result.notes[0][1] and "lệch khoảng 224 m" in result.notes[0][0]
    assert offsets_m(result.communes, communes).max() < 0.01  # datum restored: centimetres
    assert list(result.communes.columns) == bu.bnd.COMMUNE_COLUMNS and result.communes.crs == "EPSG:4326"
    pop = communes.set_index("commune_code")["population_2009"]
    assert (result.communes.set_index("commune_code")["population_2009"] == pop).all()
    assert result.communes["area_km2"].sum() == pytest.approx(communes["area_km2"].sum(), rel=1e-4)


def test_datum_shift_without_parameters_is_hundreds_of_metres(table, communes):
    shift = bu.datum_shift_m(bu.boundary_crs.CRS(BAD_TM3), bu.boundary_crs.CRS(bu.VN2000_LANG_SON_TM3))
    assert 200 < shift < 250  # measured: 223.7 m at 106.76 E, 21.85 N
    # reading true VN-2000 coordinates with the datum-less definition moves every commune that far
    naive = table.to_crs(bu.VN2000_LANG_SON_TM3).set_crs(BAD_TM3, allow_override=True).to_crs(4326)
    moved = offsets_m(naive.rename(columns={"MA_XA": "commune_code"}), communes)
    assert moved.min() > 215 and moved.max() < 235
    # EPSG:3405 (PROJ uses EPSG transformation 6960, coordinate-frame rotations) vs the +towgs84 string
    utm = "+proj=utm +zone=48 +ellps=WGS84 " + bu.VN2000_TOWGS84
    a = bu.boundary_crs.Transformer.from_crs(4326, 3405, always_xy=True).transform(106.76, 21.85)
    b = bu.boundary_crs.Transformer.from_crs(4326, utm, always_xy=True).transform(106.76, 21.85)
    assert 0.5 < ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 < 1.0


def test_geopackage_vn2000_utm48(table, communes, tmp_path):
    data = written(table.to_crs("EPSG:3405"), tmp_path / "x.gpkg")
    result = bu.import_boundaries(data, "x.gpkg", reference=communes)
    assert result.complete and [en for _, en in result.notes] == [
        f"CRS used: {result.source_crs}. Median offset from the reference boundaries: 0 m."
    ]
    assert "VN-2000" in result.source_crs
    assert offsets_m(result.communes, communes).max() < 0.01


def test_geojson_subset_is_matched_but_cannot_be_saved(table, communes, tmp_path, monkeypatch):
    data = written(table.head(10), tmp_path / "x.geojson")
    result = bu.import_boundaries(data, "x.geojson", reference=communes)
    assert len(result.report["matched"]) == 10 and len(result.report["units_without_feature"]) == 216
    assert not result.complete
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    with pytest.raises(DataError, match="cannot save: 216 unit"):
        bu.save(result, "x", "A", password=PW)


def test_missing_prj_asks_for_the_crs_then_accepts_a_choice(table, communes, tmp_path):
    data = shapefile_zip(table.to_crs("EPSG:3405"), tmp_path / "s", drop=(".prj",))
    with pytest.raises(BoundaryError, match=r"no \.prj\)\. Choose the CRS") as info:
        bu.import_boundaries(data, "x.zip", reference=communes)
    assert "vn2000-utm48" in info.value.message_en and "thiếu tệp .prj" in info.value.message_vi
    result = bu.import_boundaries(data, "x.zip", crs="vn2000-utm48", reference=communes)
    assert result.complete and offsets_m(result.communes, communes).max() < 0.01
    with pytest.raises(BoundaryError, match="unknown CRS 'EPSG:99999'"):
        bu.import_boundaries(data, "x.zip", crs="EPSG:99999", reference=communes)


def test_swapped_axes_are_refused(table, tmp_path):
    swapped = table.head(5).copy()
    swapped["geometry"] = bu.shapely.transform(swapped.geometry.to_numpy(), lambda c: c[:, ::-1])
    data = written(swapped, tmp_path / "x.geojson")
    with pytest.raises(BoundaryError, match="5 of 5 features land outside Lạng Sơn.*x and y look swapped"):
        bu.import_boundaries(data, "x.geojson")


def test_wrong_zone_is_refused_with_the_fitting_choice(table, tmp_path):
    in_49 = table.head(5).to_crs("EPSG:3406").set_crs("EPSG:3405", allow_override=True)
    data = written(in_49, tmp_path / "x.gpkg")
    with pytest.raises(BoundaryError, match="outside Lạng Sơn.*choose vn2000-utm49") as info:
        bu.import_boundaries(data, "x.gpkg")
    assert "múi chiếu" in info.value.message_vi


def test_far_away_data_is_refused(table, tmp_path):
    away = table.head(3).assign(
        geometry=table.head(3).translate(xoff=-2.0)
    )  # 2 degrees west: another province
    with pytest.raises(BoundaryError, match="check the CRS .* and that the file is Lạng Sơn's"):
        bu.import_boundaries(written(away, tmp_path / "x.geojson"), "x.geojson")


# ---------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    "encoding, cpg, expected",
    [
        ("cp1258", None, "cp1258"),  # legacy Vietnamese ANSI, no .cpg: detected
        ("cp1258", "1258", "cp1258"),  # code page number in .cpg
        ("UTF-8", None, "utf-8"),  # UTF-8 without .cpg: detected
        ("UTF-8", "UTF-8", "utf-8"),
    ],
)
def test_shapefile_encodings_keep_vietnamese_names(table, communes, tmp_path, encoding, cpg, expected):
    named = table.drop(columns="MA_XA").head(8)  # match by district + name only: names must survive
    folder = tmp_path / "s"
    data = shapefile_zip(named, folder, encoding=encoding, drop=(".cpg",) if cpg is None else (), cpg=cpg)
    raw = bu.read_file(data, "x.zip")
    assert raw.encoding == expected
    assert list(raw.features["TEN_XA"]) == list(named["TEN_XA"])  # NFC, last letter kept (GDAL CP1258 bug)
    assert list(raw.features.columns[:2]) == ["TEN_XA", "HUYEN"]
    result = bu.import_boundaries(data, "x.zip", reference=communes)
    assert {r["rule"] for r in result.report["matched"]} == {"district+name"}
    assert len(result.report["matched"]) == 8


def test_encoding_choice_overrides_and_bad_names(table, tmp_path):
    data = shapefile_zip(table.head(2), tmp_path / "s", encoding="cp1258", drop=(".cpg",))
    assert bu.read_file(data, "x.zip", encoding="windows-1258").encoding_how == "chosen"
    with pytest.raises(BoundaryError, match="unknown text encoding 'klingon'"):
        bu.read_file(data, "x.zip", encoding="klingon")
    data = shapefile_zip(table.head(2), tmp_path / "t", cpg="BOGUS-42")
    with pytest.raises(BoundaryError, match="the .cpg names an unknown code page 'BOGUS-42'"):
        bu.read_file(data, "x.zip")


# ---------------------------------------------------------------- refusals
def test_size_limit(monkeypatch, table, tmp_path):
    monkeypatch.setattr(bu.upload_files, "MAX_BYTES", 100)
    with pytest.raises(BoundaryError, match=r"MB; the limit is 0 MB"):
        bu.read_file(b"{" + b" " * 200, "x.geojson")


@pytest.mark.parametrize(
    "name, content, match",
    [
        ("x.zip", b"SQLite format 3\x00....", r"the content is not a \.zip file"),
        ("x.gpkg", b"PK\x03\x04....", r"the content is not a \.gpkg file"),
        ("x.geojson", b"\x89PNG....", r"the content is not a \.geojson file"),
        ("x.kml", b"<kml/>", r"unsupported file type \.kml; upload \.zip, \.gpkg"),
        ("x", b"", r"unsupported file type \(none\)"),
        ("x.shp", b"\x00\x00\x27\x0a", r"a \.shp file alone has no attributes or CRS: zip it"),
        ("x.zip", b"PK\x03\x04 broken", "the zip archive is damaged"),
    ],
)
def test_file_is_not_what_its_extension_says(name, content, match):
    with pytest.raises(BoundaryError, match=match):
        bu.read_file(content, name)


def test_zip_content_errors(table, tmp_path):
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "no shapes")
    with pytest.raises(BoundaryError, match="the zip holds no .shp file"):
        bu.read_file(empty.getvalue(), "x.zip")
    data = shapefile_zip(table.head(2), tmp_path / "a", drop=(".dbf",))
    with pytest.raises(BoundaryError, match=r"ranh_gioi/xa.shp comes without \.dbf"):
        bu.read_file(data, "x.zip")
    two = io.BytesIO()
    one = shapefile_zip(table.head(2), tmp_path / "b")
    with zipfile.ZipFile(two, "w") as archive, zipfile.ZipFile(io.BytesIO(one)) as source:
        for member in source.namelist():
            archive.writestr(member, source.read(member))
            archive.writestr(member.replace("ranh_gioi/", "copy/"), source.read(member))
    with pytest.raises(BoundaryError, match="the zip holds 2 shapefiles"):
        bu.read_file(two.getvalue(), "x.zip")


def test_zip_bomb_is_refused(monkeypatch, table, tmp_path):
    monkeypatch.setattr(bu.upload_files, "MAX_UNZIPPED_BYTES", 10)
    with pytest.raises(BoundaryError, match="the zip unpacks to more than"):
        bu.read_file(shapefile_zip(table.head(1), tmp_path / "a"), "x.zip")


def test_corrupt_geopackage(tmp_path):
    with pytest.raises(BoundaryError, match="an SQLite database but not a GeoPackage"):
        bu.read_file(b"SQLite format 3\x00" + b"\x00" * 500, "x.gpkg")
    damaged = b"SQLite format 3\x00" + b"\x00" * 52 + b"GPKG" + b"\x00" * 500
    with pytest.raises(BoundaryError, match="could not be read as vector data"):
        bu.read_file(damaged, "x.gpkg")


def test_points_and_empty_files(table, tmp_path):
    points = table.head(3).assign(geometry=table.head(3).geometry.centroid)
    with pytest.raises(BoundaryError, match="the geometries are Point; commune boundaries must be polygons"):
        bu.read_file(written(points, tmp_path / "p.geojson"), "p.geojson")
    empty = b'{"type": "FeatureCollection", "features": []}'
    with pytest.raises(BoundaryError, match="the file has no features"):
        bu.read_file(empty, "e.geojson")


def test_geopackage_with_two_polygon_layers(table, tmp_path):
    path = tmp_path / "two.gpkg"
    pyogrio.write_dataframe(table.head(2), path, layer="xa")
    pyogrio.write_dataframe(table.head(2), path, layer="xa_cu", append=True)
    with pytest.raises(BoundaryError, match=r"2 polygon layers \(xa, xa_cu\)"):
        bu.read_file(path.read_bytes(), "two.gpkg")


# ---------------------------------------------------------------- matching
def test_no_code_or_name_column(table, tmp_path):
    data = written(table[["geometry"]].head(2).assign(foo="x"), tmp_path / "x.geojson")
    with pytest.raises(BoundaryError, match="no unit code or name column found among: foo"):
        bu.import_boundaries(data, "x.geojson")


def test_nothing_matched(table, communes, tmp_path):
    data = written(table.head(2).assign(MA_XA="99999", TEN_XA="Không có"), tmp_path / "x.geojson")
    with pytest.raises(BoundaryError, match="no feature could be matched to a Lạng Sơn unit"):
        bu.import_boundaries(data, "x.geojson", reference=communes)


def test_unmatched_reasons_suggestions_confirmation_duplicates(table, communes, tmp_path):
    rows = table.head(7).copy()
    rows["MA_XA"] = rows["MA_XA"].astype(object)
    rows.iloc[0, rows.columns.get_loc("MA_XA")] = None
    rows.iloc[0, rows.columns.get_loc("TEN_XA")] = "Phường Hoàng Văn Thu"  # misspelt: suggestion only
    rows.iloc[1, rows.columns.get_loc("MA_XA")] = "12345"  # unknown code, and a name of no unit
    rows.iloc[1, rows.columns.get_loc("TEN_XA")] = "<script>alert(1)</script>"
    rows.iloc[5, rows.columns.get_loc("MA_XA")] = "54321"  # unknown code, name still matches
    rows.iloc[2, rows.columns.get_loc("MA_XA")] = rows.iloc[3]["MA_XA"]  # two features, one unit
    rows.iloc[2, rows.columns.get_loc("TEN_XA")] = rows.iloc[3]["TEN_XA"]
    rows.iloc[4, rows.columns.get_loc("MA_XA")] = None
    rows.iloc[4, rows.columns.get_loc("HUYEN")] = "Huyện Không Có"
    rows.iloc[6, rows.columns.get_loc("MA_XA")] = table["MA_XA"].iloc[0]  # a code naming another unit
    data = written(rows, tmp_path / "x.geojson")
    result = bu.import_boundaries(data, "x.geojson", reference=communes)
    unmatched = {r["row"]: r for r in result.report["unmatched"]}
    assert set(unmatched) == {1, 2, 5, 7}
    assert unmatched[1]["reason_en"].startswith("no unit named «Phường Hoàng Văn Thu» (Phường) in ")
    assert unmatched[1]["suggestions"][0]["code"] == "05971" and unmatched[1]["code"] is None
    assert unmatched[2]["reason_en"].startswith("no unit named «<script>alert(1)</script>» in ")
    assert unmatched[5]["reason_en"].startswith("unknown district «Huyện Không Có»; districts: ")
    assert unmatched[7]["reason_en"].startswith(f"code {table['MA_XA'].iloc[0]} is Phường Hoàng Văn Thụ")
    assert "but the row gives another name" in unmatched[7]["reason_en"]
    assert [r["row"] for r in result.report["duplicates"]] == [3, 4]
    assert result.report["duplicates"][0]["reason_en"] == "several features match this unit"
    assert len(result.communes) == 1  # only the unit matched exactly once (row 6)
    (row6,) = result.report["matched"]
    assert row6["rule"] == "district+name"
    assert row6["reason_en"].startswith("code 54321 is not a Lạng Sơn commune-level unit")
    assert row6["reason_en"].endswith("matched by name instead.")
    assert unmatched[2]["name"] == "<script>alert(1)</script>"  # kept as written; the page escapes it
    again = bu.import_boundaries(data, "x.geojson", confirmed={1: "05971"}, reference=communes)
    assert [r["rule"] for r in again.report["matched"] if r["row"] == 1] == ["confirmed"]
    json.dumps(again.report, ensure_ascii=False)  # the report is JSON-ready (saved in the store)


def test_same_name_in_two_districts_is_never_merged(communes):
    from ntm_geo.geo.units import official_units

    units = official_units()
    twice = units.groupby("name_key").filter(lambda g: g["district_code"].nunique() > 1)
    assert len(twice) >= 2
    key = twice["name_key"].iloc[0]
    rows = twice[twice["name_key"] == key]
    frame = communes.set_index("commune_code").loc[rows["commune_code"]].reset_index()
    features = gpd.GeoDataFrame(
        {"TEN_XA": rows["name_with_type"].to_numpy(), "HUYEN": rows["district_name"].to_numpy()},
        geometry=frame.geometry.to_numpy(),
        crs=4326,
    )
    codes, report = bu.match_features(features, "x")
    assert codes == list(rows["commune_code"]) and not report["duplicates"]
    # without the district, a name shared by two districts is never given to either
    bare = features.drop(columns="HUYEN").assign(TEN_XA=[n.split(" ", 1)[1] for n in rows["name_with_type"]])
    codes, report = bu.match_features(bare, "x")
    assert codes == [None] * len(rows)
    assert report["unmatched"][0]["reason_en"].startswith("missing district: several units are named")


# ---------------------------------------------------------------- saving
def test_save_and_activate(table, communes, tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    result = bu.import_boundaries(written(table, tmp_path / "x.gpkg"), "x.gpkg", reference=communes)
    with pytest.raises(auth.PasswordError, match="Wrong editor password"):
        bu.save(result, "Ranh giới 2020", "A", password="no")
    assert store.active_boundaries() is None
    assert "censusVN2009" in bu.boundaries_source_line("en")
    record = bu.save(result, "Ranh giới 2020", "A", password=PW)
    line = bu.boundaries_source_line("en")  # the maps' source line names the boundaries in use
    assert "censusVN2009" not in line and "«Ranh giới 2020»" in line and "boundaries-1" in line
    assert "«Ranh giới 2020» do tỉnh tải lên" in bu.boundaries_source_line("vi")
    assert record.id == "boundaries-1" and record.name == "Ranh giới 2020"
    active = store.active_boundaries()
    assert len(active) == 226 and list(active.columns) == bu.bnd.COMMUNE_COLUMNS
    built = bu.to_boundaries(active)
    assert len(built.districts_web) == 11 and len(built.communes_web) == 226
    assert store.list_boundary_sets()[0].sha256 and "WGS 84" in store.list_boundary_sets()[0].source_crs


# ---------------------------------------------------------------- checks against the reference (issue 14)
def test_codes_shifted_by_one_row_beside_names_are_not_matched(table):
    shifted = table.copy()
    shifted["MA_XA"] = [*table["MA_XA"].iloc[1:], table["MA_XA"].iloc[0]]  # every code one row up
    codes, report = bu.match_features(shifted, "x.gpkg")
    assert codes == [None] * 226  # the name beside each code names another unit
    first = report["unmatched"][0]
    assert first["reason_en"].startswith(f"code {table['MA_XA'].iloc[1]} is Phường Tam Thanh")
    assert first["suggestions"][0]["code"] == table["MA_XA"].iloc[1]


def test_codes_shifted_by_one_row_are_refused_naming_the_units(table, communes, tmp_path, monkeypatch):
    shifted = table[["MA_XA", "geometry"]].copy()  # codes only: nothing to contradict them but the map
    shifted["MA_XA"] = [*table["MA_XA"].iloc[1:], table["MA_XA"].iloc[0]]  # every code one row up
    result = bu.import_boundaries(written(shifted, tmp_path / "x.gpkg"), "x.gpkg", reference=communes)
    assert len(result.report["matched"]) == 226  # every code is a real code: matching alone accepts it
    misplaced = result.report["misplaced"]
    assert len(misplaced) > 200 and not result.complete
    first = next(m for m in misplaced if m["code"] == table["MA_XA"].iloc[1])
    assert first["row"] == 1 and first["lies_in"]["code"] == table["MA_XA"].iloc[0]
    assert "km from the reference boundary" in first["reason_en"]
    assert "disagreeing with the reference" in result.summary("en")
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    with pytest.raises(DataError, match=r"disagree with the reference boundaries \("):
        bu.save(result, "x", "A", password=PW)


def test_a_genuine_file_has_no_misplaced_unit_and_reports_its_offset(table, communes, tmp_path):
    result = bu.import_boundaries(
        written(table.to_crs("EPSG:3405"), tmp_path / "x.gpkg"), "x.gpkg", reference=communes
    )
    assert result.report["misplaced"] == [] and result.report["crs_suggestion"] is None
    assert result.offset_m < 1
    assert any("Median offset from the reference boundaries: 0 m" in en for _, en in result.notes)


GENERIC_VN2000 = (
    "+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs"
)


def test_generic_vn2000_prj_is_measured_and_the_provincial_definition_suggested(table, communes, tmp_path):
    """Coordinates made in Lạng Sơn's VN-2000 TM-3° (k = 0.9999, with datum shift) but a .prj with
    k = 0.9996 and no datum parameters: read as written, everything moves ~860 m."""
    generic = table.to_crs(bu.VN2000_LANG_SON_TM3).set_crs(GENERIC_VN2000, allow_override=True)
    data = shapefile_zip(generic, tmp_path / "s")
    result = bu.import_boundaries(data, "x.zip", reference=communes)
    assert 800 < result.offset_m < 900  # measured: the scale and datum errors together
    suggestion = result.report["crs_suggestion"]
    assert suggestion["key"] == "vn2000-lang-son-tm3" and suggestion["offset_m"] < 1
    assert not result.complete
    assert any("choose the CRS vn2000-lang-son-tm3" in en for _, en in result.notes)
    assert any(f"CRS used: {result.source_crs}" in en for _, en in result.notes)
    again = bu.import_boundaries(data, "x.zip", crs="vn2000-lang-son-tm3", reference=communes)
    assert again.complete and again.offset_m < 1


@pytest.mark.parametrize(
    "encoding, cpg, expected",
    [
        ("cp1258", "UTF-8", "cp1258"),  # legacy ANSI text, .cpg claims UTF-8
        ("cp1258", "1252", "cp1258"),  # Western European code page named instead of Vietnamese
        ("UTF-8", "1258", "utf-8"),  # UTF-8 text, .cpg says Windows-1258
    ],
)
def test_a_cpg_naming_the_wrong_code_page_is_detected_with_a_sample(
    table, communes, tmp_path, encoding, cpg, expected
):
    named = table.drop(columns="MA_XA").head(20)  # matched by name only: the names must decode
    data = shapefile_zip(named, tmp_path / "s", encoding=encoding, cpg=cpg)
    raw = bu.read_file(data, "x.zip")
    assert raw.encoding == expected and raw.encoding_how == "cpg"
    assert list(raw.features["TEN_XA"]) == list(named["TEN_XA"])
    vi, en = raw.encoding_note
    assert f"the .cpg says {bu.upload_files._codec(cpg)} but the names decode better as {expected}" in en
    assert "e.g. «" in en and "instead of «" in en and "tệp .cpg ghi" in vi
    result = bu.import_boundaries(data, "x.zip", reference=communes)
    assert len(result.report["matched"]) == 20 and (vi, en) in result.notes
    assert (
        bu.read_file(data, "x.zip", encoding=bu.upload_files._codec(cpg)).encoding_note is None
    )  # a choice is kept


def test_preview_over_the_reference(table, communes, tmp_path):
    from PIL import Image

    shifted = table[["MA_XA", "geometry"]].head(30).copy()
    shifted["MA_XA"] = [*shifted["MA_XA"].iloc[1:], shifted["MA_XA"].iloc[0]]
    result = bu.import_boundaries(written(shifted, tmp_path / "x.gpkg"), "x.gpkg", reference=communes)
    codes = [m["code"] for m in result.report["misplaced"]]
    png = bu.boundary_crs.preview_png(result.communes, communes, misplaced=codes, offset_m=result.offset_m)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (640, 640)
    reds = sum(1 for r, g, b in image.getdata() if r > 200 and g < 140 and b < 140)
    assert reds > 500  # the misplaced units are filled in red
    clean = bu.boundary_crs.preview_png(result.communes, communes, misplaced=[], lang="en")
    image = Image.open(io.BytesIO(clean)).convert("RGB")
    assert sum(1 for r, g, b in image.getdata() if r > 200 and g < 140 and b < 140) < 50
