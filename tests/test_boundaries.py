import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from shapely.geometry import box

from ntm_geo.errors import BoundaryError
from ntm_geo.geo import boundaries as b


def _census(rows):
    return gpd.GeoDataFrame(
        [
            {"census_id": i, "district_vn": d, "commune_vn": c, "population": p}
            for i, (d, c, p, _) in enumerate(rows)
        ],
        geometry=[g for *_, g in rows],
        crs="EPSG:4326",
    )


def test_match_units_rejects_unknown_and_missing_units_without_guessing():
    census = _census([("Huyện Đình Lập", "Xã Không Có", 100, box(107, 21.5, 107.01, 21.51))])
    with pytest.raises(BoundaryError, match=r"Xã Không Có \(Huyện Đình Lập\): no official unit") as err:
        b.match_units(census)
    assert "Thị trấn Đình Lập (Huyện Đình Lập): no polygon" in str(err.value)
    assert "không khớp được" in err.value.message_vi


def test_match_units_tells_xa_and_thi_tran_of_the_same_name_apart(boundaries):
    communes = boundaries.communes
    both = communes[communes["name"] == "Đình Lập"]
    assert set(both["unit_type"]) == {"xa", "thi-tran"}
    assert both["commune_code"].nunique() == 2


def test_clean_coverage_removes_overlap_and_small_gap():
    # built in metres (UTM 48N near Lạng Sơn): a top and a bottom strip, between them a left
    # block that overlaps the right block by 100 m, a 100 m gap enclosed above the right block
    x0, y0 = 600_000, 2_410_000
    blocks = [
        box(x0, y0 + 1000, x0 + 3000, y0 + 2000),  # top
        box(x0, y0 - 1000, x0 + 3000, y0),  # bottom
        box(x0, y0, x0 + 1600, y0 + 1000),  # left, overlaps "right" by 100 m
        box(x0 + 1500, y0, x0 + 2500, y0 + 900),  # right, 100 m short of the top strip
        box(x0 + 2500, y0, x0 + 3000, y0 + 1000),  # east
    ]
    gdf = gpd.GeoDataFrame({"commune_code": list("12345")}, geometry=blocks, crs="EPSG:32648").to_crs(
        "EPSG:4326"
    )
    before = b.topology_report(gdf)
    assert before["overlap_ratio"] > 1e-3 and before["coverage_valid"] == 0.0
    assert before["interior_gaps"] == 1
    cleaned = b.clean_coverage(gdf, gap_width_m=200)
    after = b.topology_report(cleaned)
    assert abs(after["overlap_ratio"]) < 1e-9
    assert after["coverage_valid"] == 1.0
    assert after["interior_gaps"] == 0
    assert cleaned.crs.to_epsg() == 4326


def test_simplify_and_dissolve_keep_shared_edges():
    xs = [106.00, 106.01, 106.02, 106.03]
    squares = [box(xs[i], 21.8, xs[i + 1], 21.81) for i in range(3)]
    gdf = gpd.GeoDataFrame(
        {
            "district_code": ["1", "1", "2"],
            "district_name": ["A", "A", "B"],
            "population_2009": [1, 2, 3],
            "area_km2": [1.0, 1.0, 1.0],
        },
        geometry=squares,
        crs="EPSG:4326",
    )
    simplified = b.simplify_coverage(gdf, 50)
    assert shapely.coverage_is_valid(simplified.to_crs(b.WORK_CRS).geometry.to_numpy())
    districts = b.dissolve_districts(simplified)
    assert list(districts["district_code"]) == ["1", "2"]
    assert list(districts["population_2009"]) == [3, 3]
    assert districts.geometry.iloc[0].geom_type == "Polygon"


def test_area_km2_is_equal_area():
    square = gpd.GeoDataFrame(
        geometry=[box(600_000, 2_400_000, 610_000, 2_410_000)], crs="EPSG:32648"
    ).to_crs("EPSG:4326")
    assert b.area_km2(square).iloc[0] == pytest.approx(100, rel=1e-3)


def test_fetch_source_mirror_without_file(tmp_path, monkeypatch):
    monkeypatch.setenv(b.MIRROR_ENV, str(tmp_path / "empty"))
    with pytest.raises(BoundaryError, match="has no communes.rda"):
        b.fetch_source(tmp_path / "cache")


def test_fetch_source_wrong_hash(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "communes.rda").write_bytes(b"not the real file")
    monkeypatch.setenv(b.MIRROR_ENV, str(mirror))
    with pytest.raises(BoundaryError, match="does not have the expected sha256") as err:
        b.fetch_source(tmp_path / "cache")
    assert "không đúng mã sha256" in err.value.message_vi


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_read_census_rda_rejects_other_files(tmp_path):
    bad = tmp_path / "x.rda"
    bad.write_bytes(b"hello")
    with pytest.raises(BoundaryError, match="is not the censusVN2009 communes.rda"):
        b.read_census_rda(bad)


def test_real_boundaries_figures(boundaries):
    communes = boundaries.communes
    assert len(communes) == 226
    assert list(communes.columns) == b.COMMUNE_COLUMNS
    assert communes.crs.to_epsg() == 4326
    assert communes["commune_code"].is_unique
    assert communes["district_code"].nunique() == 11
    assert communes["unit_type"].value_counts().to_dict() == {"xa": 207, "thi-tran": 14, "phuong": 5}
    assert communes["assessed"].sum() == 207
    assert communes["name"].str.contains("\\\\u").sum() == 0  # escapes decoded
    assert (communes["name"] == communes["name"].str.normalize("NFC")).all()
    assert communes["population_2009"].sum() > 700_000
    for gdf in (communes, boundaries.communes_web):
        report = b.topology_report(gdf)
        assert abs(report["overlap_ratio"]) < 1e-3  # sum of areas within 0.1 % of the union
        assert report["interior_gaps"] == 0
        assert report["union_km2"] == pytest.approx(8310, rel=0.01)
    assert len(boundaries.districts_web) == 11
    assert boundaries.districts_web["area_km2"].sum() == pytest.approx(communes["area_km2"].sum())


def test_cache_is_reused(boundaries, tmp_path):
    assert b.cache_is_fresh()
    assert not b.cache_is_fresh(tmp_path)


def test_source_hash_matches_mirror():
    mirror = Path(b.os.environ.get(b.MIRROR_ENV, "/nonexistent")) / "communes.rda"
    if not mirror.exists():
        pytest.skip("no mirror")
    assert hashlib.sha256(mirror.read_bytes()).hexdigest() == b.SOURCE_SHA256


def test_fetch_source_download_failure_says_how_to_work_offline(tmp_path, monkeypatch):
    import pooch

    def offline(*args, **kwargs):
        raise OSError("Temporary failure in name resolution")

    monkeypatch.delenv(b.MIRROR_ENV, raising=False)
    monkeypatch.setattr(pooch, "retrieve", offline)
    with pytest.raises(
        BoundaryError, match="Could not download the boundary file .* set NTM_GEO_BOUNDARY_MIRROR"
    ) as err:
        b.fetch_source(tmp_path / "cache")
    assert "không có internet" in err.value.message_vi


def test_unreadable_cache_is_rebuilt(boundaries, tmp_path):
    import shutil

    cache = tmp_path / "shapes"
    shutil.copytree(b.shapes_dir(), cache, ignore=shutil.ignore_patterns("download"))
    (cache / "download").mkdir()
    shutil.copy(b.shapes_dir() / "download" / "communes.rda", cache / "download" / "communes.rda")
    target = cache / "lang_son_communes.parquet"
    target.write_bytes(target.read_bytes()[:500])  # truncated file, metadata still says "fresh"
    with pytest.warns(UserWarning, match="unreadable .* rebuilding"):
        rebuilt = b.load_boundaries(cache)
    assert len(rebuilt.communes) == 226
    assert b.cache_is_fresh(cache)
    assert len(b.load_boundaries(cache).communes) == 226
