import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import NOT_ASSESSED
from ntm_geo.maps.themes import THEMES, VARIABLES, compute_view, join_dataset, theme, variable


@pytest.fixture
def units():
    return gpd.GeoDataFrame(
        {
            "commune_code": ["00001", "00002", "00003", "00004"],
            "name_with_type": ["Xã A", "Xã B", "Phường C", "Xã <script>D</script>"],
            "district_code": ["178", "178", "178", "180"],
            "assessed": [True, True, False, True],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs="EPSG:4326",
    )


@pytest.fixture
def dataset():
    rows = []
    for code, met, pov in [("00001", 19, 5.0), ("00002", 3, 30.0), ("00003", None, 2.0)]:  # 00004: no row
        row = {"commune_code": code, "criteria_met": met, "poverty_rate_pct": pov}
        for n in range(1, 20):
            row[f"c{n:02d}"] = None if met is None else (n <= met)
        rows.append(row)
    df = pd.DataFrame(rows)
    df["criteria_met"] = df["criteria_met"].astype("Int64")
    for n in range(1, 20):
        df[f"c{n:02d}"] = df[f"c{n:02d}"].astype("boolean")
    return df


def test_join_keeps_all_units_and_counts_infrastructure_criteria(units, dataset):
    joined = join_dataset(units, dataset)
    assert list(joined["commune_code"]) == list(units["commune_code"])
    assert joined.crs == units.crs
    assert joined["infra_criteria_met"].tolist()[:2] == [8, 2]  # 19 met -> all of 2..9; 3 met -> 2, 3
    assert joined["infra_criteria_met"].isna().tolist()[2:] == [True, True]


def test_criteria_view_marks_wards_not_assessed_and_missing_rows_no_data(units, dataset):
    view = compute_view(join_dataset(units, dataset), "criteria_met", lang="vi")
    assert view.classification.yb[2] == NOT_ASSESSED
    assert view.display_values == ("19/19", "3/19", "Không đánh giá", "Không có dữ liệu")
    entries = view.classification.legend_entries("vi")
    assert entries[0][1].startswith("19 tiêu chí") and entries[0][2] == 1
    assert ("Không có dữ liệu" in [e[1] for e in entries]) and entries[-1][2] == 1


def test_single_criterion_and_poverty_views(units, dataset):
    joined = join_dataset(units, dataset)
    c5 = compute_view(joined, "c05", lang="en")
    assert c5.display_values[:3] == ("Met", "Not met", "Not assessed")
    poverty = compute_view(joined, "poverty_rate_pct", scheme="quantiles", k=3, lang="vi")
    assert poverty.display_values[2] == "2,0 %"  # wards have a poverty rate: shown, not "not assessed"
    assert poverty.display_values[3] == "Không có dữ liệu"


def test_variable_missing_from_dataset_is_all_no_data(units, dataset):
    view = compute_view(join_dataset(units, dataset), "car_access_all_season", lang="en")
    assert set(view.display_values) == {"No data", "Not assessed"}


def test_every_theme_variable_is_known_and_labelled():
    for th in THEMES.values():
        assert th.label("vi") and th.label("en")
        for key in th.variables:
            v = VARIABLES[key]
            assert v.theme == th.key and v.label("vi") != v.label("en")
    assert VARIABLES["c17"].label("vi") == "Tiêu chí 17: Môi trường"


def test_unknown_keys_list_allowed():
    with pytest.raises(
        ConfigError,
        match=r"Unknown theme 'wealth'; allowed: NTM criteria met \(criteria\), Poverty rate \(poverty\), "
        r"Infrastructure coverage \(infrastructure\)\..*Chủ đề bản đồ không hợp lệ 'wealth'; các giá trị hợp lệ: "
        r"Tiêu chí nông thôn mới \(criteria\)",
    ):
        theme("wealth")
    with pytest.raises(ConfigError, match="Unknown map variable 'c20'"):
        variable("c20")


def test_real_data_views(boundaries):
    from ntm_geo.datasets.contract import load_illustrative

    joined = join_dataset(boundaries.communes_web, load_illustrative(2015))
    view = compute_view(joined, "criteria_met")
    assert view.classification.counts == (50, 109, 34, 1, 13)  # report's 2015 groups
    assert view.classification.n_not_assessed == 19
    infra = compute_view(joined, "road_hardened_pct", scheme="natural_breaks", k=5)
    assert (
        sum(infra.classification.counts)
        + infra.classification.n_no_data
        + infra.classification.n_not_assessed
        == 226
    )


def test_indicator_without_any_value_is_a_no_data_map_not_an_error(units, dataset):
    joined = join_dataset(units, dataset.assign(road_hardened_pct=float("nan")))
    view = compute_view(joined, "road_hardened_pct", lang="vi")
    assert view.classification.k == 0
    assert set(view.display_values) == {"Không có dữ liệu"}
    assert view.classification.legend_entries("vi") == [("#9e9e9e", "Không có dữ liệu", 4)]


def test_real_2011_infrastructure_indicators_are_no_data(boundaries):
    from ntm_geo.datasets.contract import load_illustrative

    joined = join_dataset(boundaries.communes_web, load_illustrative(2011))
    for key in ("road_hardened_pct", "electricity_hh_pct", "irrigated_cropland_pct", "hygienic_water_hh_pct"):
        view = compute_view(joined, key)
        assert view.classification.n_no_data == 226, key
