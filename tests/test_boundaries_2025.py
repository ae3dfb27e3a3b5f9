"""2025 boundaries (65 units) and the unit vintages registry."""

from __future__ import annotations

import json
import shutil

import pyproj
import pytest
import shapely

from ntm_geo.errors import BoundaryError, ConfigError
from ntm_geo.geo import boundaries as b2015
from ntm_geo.geo import boundaries_2025 as b2025
from ntm_geo.geo.units import split_unit_name
from ntm_geo.geo.vintages import VINTAGES, get_vintage, units_2025

# --- the unit list ---------------------------------------------------------------------------


def test_units_2025_list_shape():
    units = units_2025()
    assert len(units) == 65
    assert units["commune_code"].is_unique
    assert units["unit_type"].value_counts().to_dict() == {"xa": 61, "phuong": 4}
    assert units["district_code"].isna().all()
    row = units.set_index("commune_code").loc["05986"]
    assert (row["name_with_type"], row["name"], bool(row["assessed"])) == (
        "Phường Tam Thanh",
        "Tam Thanh",
        False,
    )


# vietnam-provinces 2025.10.1 gives 5 units another former unit's code than the boundary files
# and vietnamadminunits do (both of those agree with each other on all 65): ours -> theirs.
VIETNAM_PROVINCES_CODE_DIFFERENCES = {
    "06004": "06016",  # Xã Quốc Khánh
    "06124": "06214",  # Xã Na Sầm
    "06196": "06202",  # Xã Ba Sơn
    "06211": "06193",  # Xã Cao Lộc
    "06436": "06421",  # Xã Thiện Tân
}


def test_units_2025_agree_with_vietnam_provinces():
    """The committed list equals the maintained list of PyPI `vietnam-provinces` (MIT): every
    name, and every code but the 5 listed above (pinned so a new difference fails)."""
    from vietnam_provinces import ProvinceCode, Ward

    theirs = {w.name: f"{int(w.code.value):05d}" for w in Ward.iter_by_province(ProvinceCode(20))}
    ours = dict(zip(units_2025()["name_with_type"], units_2025()["commune_code"], strict=True))
    assert set(ours) == set(theirs)
    differ = {ours[name]: theirs[name] for name in ours if ours[name] != theirs[name]}
    assert differ == VIETNAM_PROVINCES_CODE_DIFFERENCES


def test_units_2025_agree_with_vietnamadminunits():
    """…and the list of PyPI `vietnamadminunits` (MIT): codes, names and xã/phường."""
    from vietnamadminunits.database import query

    rows = query("SELECT wardCode, ward, wardType FROM admin_units WHERE provinceKey = 'tinhlangson'")
    theirs = {r["wardCode"]: (r["ward"], r["wardType"]) for r in rows}
    label = {"xa": "Xã", "phuong": "Phường"}
    ours = {
        r.commune_code: (r.name_with_type, label[r.unit_type]) for r in units_2025().itertuples(index=False)
    }
    assert ours == theirs


def test_registry_lookup():
    assert get_vintage(2025).unit_count == 65
    assert get_vintage("2015").has_districts
    assert set(VINTAGES) == {"2015", "2025"}
    with pytest.raises(ConfigError, match="Unknown unit vintage '2019'; allowed: 2015, 2025"):
        get_vintage("2019")


def test_registry_units_match_counts():
    for vintage in VINTAGES.values():
        units = vintage.load_units()
        assert len(units) == vintage.unit_count
        assert units["district_code"].notna().all() == vintage.has_districts


# --- the boundary files ----------------------------------------------------------------------


def test_unit_list_matches_boundary_files(boundaries_2025, mirror_2025):
    """Every unit has one file whose code and name are the list's (the build checks it)."""
    mirror = mirror_2025 / "wards"
    names = {}
    for path in mirror.glob("*.geojson"):
        props = json.loads(path.read_text(encoding="utf-8"))["features"][0]["properties"]
        names[props["code"]] = split_unit_name(props["fullName"])
    ours = {r.commune_code: split_unit_name(r.name_with_type) for r in units_2025().itertuples()}
    assert ours == names
    assert list(boundaries_2025.communes["commune_code"]) == sorted(ours)


def test_source_vertex_count(mirror_2025):
    """The issue's figure: the full files hold 182,294 vertices (hence the web simplification)."""
    mirror = mirror_2025
    raw = b2025.read_unit_files({f"wards/{p.name}": p for p in (mirror / "wards").glob("*.geojson")})
    assert int(shapely.get_num_coordinates(raw.geometry.to_numpy()).sum()) == 182_294


def test_registry_lists_every_mirrored_file(mirror_2025):
    mirror = mirror_2025
    files = {"20_lang_son.geojson"} | {f"wards/{p.name}" for p in (mirror / "wards").glob("*.geojson")}
    assert set(b2025.registry()) == files
    assert len(files) == 66


def test_columns_crs_and_no_districts(boundaries_2025):
    communes = boundaries_2025.communes
    assert communes.crs.to_epsg() == 4326
    assert list(communes.columns) == [*b2015.COMMUNE_COLUMNS[:-1], "stated_area_km2", "geometry"]
    assert communes["district_code"].isna().all() and communes["district_name"].isna().all()
    assert boundaries_2025.districts_web.empty
    assert list(boundaries_2025.communes_web["commune_code"]) == list(communes["commune_code"])


def test_clean_coverage_and_area(boundaries_2025):
    report = b2015.topology_report(boundaries_2025.communes)
    assert report["coverage_valid"] == 1.0
    assert report["interior_gaps"] == 0
    assert abs(report["overlap_ratio"]) < 1e-9
    assert abs(report["sum_km2"] - 8307.7) / 8307.7 < 0.001  # SOURCE.md: 8,307.7 km²
    assert b2015.topology_report(boundaries_2025.communes_web)["coverage_valid"] == 1.0


def test_areas_are_equal_area_and_near_stated(boundaries_2025):
    """Areas are polygon areas (equal to the ellipsoidal area); most are within 0.5 % of the
    file's stated ``areaKm2`` — the ones that are not are a property of the source polygons,
    documented in the module (the stated area is the legal figure, not the polygon's)."""
    communes = boundaries_2025.communes
    geod = pyproj.Geod(ellps="WGS84")
    ellipsoidal = [abs(geod.geometry_area_perimeter(g)[0]) / 1e6 for g in communes.geometry]
    for ours, exact in zip(communes["area_km2"], ellipsoidal, strict=True):
        assert abs(ours - exact) / exact < 1e-5
    deviation = (communes["area_km2"] - communes["stated_area_km2"]).abs() / communes["stated_area_km2"]
    assert (deviation <= 0.005).sum() == 46
    assert deviation.max() < 0.09
    assert abs(communes["stated_area_km2"].sum() - communes["area_km2"].sum()) / 8307.7 < 0.0005


def test_union_matches_province_outline(boundaries_2025):
    outline = b2025.load_outline()
    union = shapely.union_all(boundaries_2025.communes.geometry.to_numpy())
    aea = pyproj.Transformer.from_crs(4326, b2015.AREA_CRS, always_xy=True).transform
    a, b = (
        shapely.transform(union, aea, interleaved=False),
        shapely.transform(outline, aea, interleaved=False),
    )
    # measured: the outline is drawn a little differently (symmetric difference 1.1 % of its
    # area, 94 km²), its area is the same to 0.02 %
    assert a.symmetric_difference(b).area / b.area < 0.02
    assert abs(a.area - b.area) / b.area < 0.0005


def test_web_payload_not_larger_than_2015(boundaries, boundaries_2025):
    """The 65-unit web geometry is no heavier than the 226-unit map's (the issue's bound)."""
    ours = b2025.web_payload_bytes(boundaries_2025.communes_web)
    theirs = b2025.web_payload_bytes(boundaries.communes_web)
    assert ours <= theirs


# --- download / mirror errors ----------------------------------------------------------------


def test_missing_mirror_file_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv(b2025.MIRROR_ENV, str(tmp_path / "empty"))
    with pytest.raises(BoundaryError, match=r"has no 20_lang_son\.geojson"):
        b2025.fetch_sources(tmp_path / "cache")


def test_tampered_mirror_file_fails_hash(tmp_path, monkeypatch, mirror_2025):
    mirror = mirror_2025
    copy = tmp_path / "mirror"
    shutil.copytree(mirror, copy)
    target = copy / "wards" / "06001_doan_ket.geojson"
    target.write_bytes(target.read_bytes() + b"\n")
    monkeypatch.setenv(b2025.MIRROR_ENV, str(copy))
    with pytest.raises(BoundaryError, match="does not have the expected sha256"):
        b2025.fetch_sources(tmp_path / "cache")


def test_file_not_matching_unit_list_is_listed(tmp_path, mirror_2025):
    mirror = mirror_2025
    paths = {f"wards/{p.name}": p for p in (mirror / "wards").glob("*.geojson")}
    wrong = tmp_path / "06001_doan_ket.geojson"
    data = json.loads(paths["wards/06001_doan_ket.geojson"].read_text(encoding="utf-8"))
    data["features"][0]["properties"]["fullName"] = "Xã Đoàn Kết Mới"
    wrong.write_text(json.dumps(data), encoding="utf-8")
    paths["wards/06001_doan_ket.geojson"] = wrong
    del paths["wards/06004_quoc_khanh.geojson"]
    with pytest.raises(
        BoundaryError, match=r"2 problem\(s\).*Đoàn Kết Mới.*06004 Xã Quốc Khánh: no boundary file"
    ):
        b2025.read_unit_files(paths)
