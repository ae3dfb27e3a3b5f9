"""The planner under a dataset's criteria framework and unit vintage (issue 13, plan26): a 2026 table
under Decision 51/2025 (10 criteria, commune groups 1–3) on the 2025 units (no district level) is
ranked, filtered, compared and summarised over its 10 criteria, names each xã by its commune group
(never "Xã A ()"), and gets no 2020 target."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.criteria.frameworks import framework
from ntm_geo.errors import ConfigError
from ntm_geo.maps.themes import join_dataset
from ntm_geo.planning import ranking as pl

CRIT = [f"c{n:02d}" for n in range(1, 20)]


@pytest.fixture
def units_2025() -> gpd.GeoDataFrame:
    """Four units keyed like the 2025 units: no district (district_name ""), no 2009 population."""
    return gpd.GeoDataFrame(
        {
            "commune_code": ["06001", "06002", "06003", "06004"],
            "name_with_type": ["Xã An", "Xã Bình", "Xã Cao", "Phường Đông"],
            "district_code": ["", "", "", ""],
            "district_name": ["", "", "", ""],
            "unit_type": ["xa", "xa", "xa", "phuong"],
            "assessed": [True, True, True, False],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(4)],
        crs="EPSG:4326",
    )


def table_2026(with_group: bool = True) -> pd.DataFrame:
    rows = []
    for code, met, group in [("06001", 10, 1), ("06002", 8, 3), ("06003", 7, 3), ("06004", None, None)]:
        row: dict[str, object] = {
            "commune_code": code,
            "year": 2026,
            "criteria_met": met,
            "poverty_rate_pct": 5.0,
        }
        if with_group:
            row["commune_group"] = group
        for n in range(1, 20):
            row[f"c{n:02d}"] = None if met is None or n > 10 else (n <= met)
        rows.append(row)
    df = pd.DataFrame(rows)
    df[CRIT] = df[CRIT].astype("boolean")
    df["criteria_met"] = df["criteria_met"].astype("Int64")
    if with_group:
        df["commune_group"] = df["commune_group"].astype("Int64")
    return df


@pytest.fixture
def table(units_2025) -> pd.DataFrame:
    return pl.candidate_table(join_dataset(units_2025, table_2026()), "vi")


def test_ranking_text_counts_the_framework_and_names_the_commune_group(table):
    left = pl.apply_filters(table, pl.PRESETS["near_standard"].filters)
    result = pl.rank(left, pl.PRESETS["near_standard"].weights)
    for lang in ("vi", "en"):
        text = result.explanation(lang)
        assert "/10" in text and "/19" not in text and "()" not in text
        assert "/8" not in text  # 51/2025 has no infrastructure block 2–9
    assert "Xã Bình (Xã nhóm 3), " in result.explanation("vi")
    assert "8/10 criteria met (2 missing)" in result.explanation("en")
    # no 2009 population on the 2025 units: its weight is dropped and the text says so
    assert "no data for: population served" in result.explanation("en")
    assert float(result.table["score"].max()) == pytest.approx(100.0)


def test_without_district_or_commune_group_a_name_stands_alone(units_2025):
    table = pl.candidate_table(join_dataset(units_2025, table_2026(with_group=False)), "en")
    assert pl.place_kind(table) == "none" and set(table["place"]) == {""}
    text = pl.rank(table, pl.RankingWeights()).explanation("en")
    assert "Ranked 1st: Xã An, " in text and "()" not in text


def test_place_kind_header_and_commune_group_filter(table):
    assert pl.place_kind(table) == "commune_group"
    assert list(table["place"]) == ["Xã nhóm 1", "Xã nhóm 3", "Xã nhóm 3", ""]
    assert pl.place_header("commune_group", "en") == "Commune group"
    left = pl.apply_filters(table, pl.Filters(commune_groups=(3,)))
    assert list(left["commune_code"]) == ["06002", "06003"]
    with pytest.raises(ConfigError, match=r"Unknown place kind 'ward'"):
        pl.place_header("ward")


def test_groups_filters_and_matrix_follow_the_ten_criteria(table):
    assert pl.group_keys(10) == ("all_met", "not_all_met")
    assert pl.group_keys(19) == tuple(pl.GROUPS)
    left = pl.apply_filters(table, pl.Filters(criterion_not_met=10))
    assert list(left["commune_code"]) == ["06002", "06003"]
    matrix = pl.gap_matrix(table)
    assert [c for c in matrix.columns if c.startswith("c0") or c.startswith("c1")] == CRIT[:10]
    assert list(pl.not_met_counts(matrix).index) == CRIT[:10]
    assert pl.not_met_counts(matrix)[["c08", "c09", "c10"]].tolist() == [1, 2, 2]


def test_shortlist_rows_show_ten_criteria_and_no_district(table):
    rows = pl.shortlist_rows(table, ["06002", "06001"], "vi")
    assert "Huyện" not in rows.columns and list(rows["Nhóm xã"]) == ["Xã nhóm 3", "Xã nhóm 1"]
    criteria = [c for c in rows.columns if c[0].isdigit()]
    assert len(criteria) == 10 and criteria[9] == "10. Tiếp cận pháp luật và an ninh, quốc phòng"
    assert not any("/8" in c for c in rows.columns)  # no infrastructure count under 51/2025
    assert "Dân số 2009" not in rows.columns  # the 2025 units have no census population


def test_summary_by_commune_group_counts_all_ten(units_2025, table):
    joined = join_dataset(units_2025, table_2026())
    summary = pl.district_summary(joined, None, by="commune_group")
    assert list(summary["district_name"]) == ["Xã nhóm 1", "Xã nhóm 3"]
    assert list(summary["meeting_standard"]) == [1, 0] and list(summary["xa"]) == [1, 2]
    assert summary["poverty_rate_pct"].tolist() == [5.0, 5.0]  # plain mean: no population
    with pytest.raises(ConfigError, match=r"no commune group"):
        pl.district_summary(join_dataset(units_2025, table_2026(with_group=False)), None, by="commune_group")


def test_no_2020_target_for_a_later_framework():
    assert pl.target_for(framework("qd491_342")).year == 2020
    assert pl.target_for(framework("qd1980")) is not None  # the target of 2016–2020 itself
    assert pl.target_for(framework("qd318")) is None
    assert pl.target_for(framework("qd51_2025")) is None
    assert pl.target_for(None) is not None  # a table without a framework: the 19 criteria of 491/342


def test_components_and_presets_offered_follow_the_data(table):
    assert pl.available_components(table) == ("closeness", "poverty")
    assert pl.available_presets(table) == ("near_standard",)  # no "especially difficult" column
    assert "1 − criteria missing/10" in pl.COMPONENTS["closeness"].direction("en", 10)


def test_decision_sheet_of_a_2026_shortlist_has_no_2020_target_nor_district(table):
    import io

    import openpyxl

    from ntm_geo.datasets.contract import DatasetInfo
    from ntm_geo.planning.decision_sheet import decision_sheet_xlsx

    info = DatasetInfo("ntm-2026", "NTM 2026", "NTM 2026", (2026,), "t", False, "", "")
    rows = pl.shortlist_rows(table, ["06002"], "en")
    target = pl.target_for(pl.table_framework_of(table))
    data = decision_sheet_xlsx(
        rows, {}, info, None, "en", year=2026, with_target=target is not None, units="2025"
    )
    wb = openpyxl.load_workbook(io.BytesIO(data))
    header = next(wb["Shortlist"].iter_rows(values_only=True))
    assert "District" not in header and "Commune group" in header
    sheet = {r[0]: r[1] for r in wb["Dataset"].iter_rows(values_only=True)}
    assert "2020 targets" not in sheet
    assert sheet["Boundaries"].startswith("Boundaries of the 65 units from 1 July 2025")


def test_every_preset_has_a_short_name_for_a_narrow_control():
    for p in pl.PRESETS.values():
        for lang in ("vi", "en"):
            assert p.short_label(lang) != p.label(lang) and len(p.short_label(lang)) <= 24


def test_former_district_names_a_unit_only_where_it_has_no_place_and_is_labelled_former(units_2025, table):
    bare = pl.candidate_table(join_dataset(units_2025, table_2026(with_group=False)), "vi")
    former = {"06001": "Huyện Đình Lập", "06002": "Huyện Lộc Bình"}
    named = pl.with_former_districts(bare, former, "vi")
    assert pl.place_kind(named) == "former_district"
    assert list(named["place"]) == ["Huyện Đình Lập cũ", "Huyện Lộc Bình cũ", "", ""]
    assert pl.place_header("former_district", "en") == "Former district (before 1 July 2025)"
    assert pl.with_former_districts(bare, former, "en")["place"].iloc[0] == "former Huyện Đình Lập"
    text = pl.rank(named, pl.RankingWeights()).explanation("vi")
    assert "Xã An (Huyện Đình Lập cũ)" in text and "()" not in text
    rows = pl.shortlist_rows(named, ["06003", "06001"], "vi")
    assert list(rows["Huyện cũ (trước 1/7/2025)"]) == ["", "Huyện Đình Lập cũ"]
    assert pl.with_former_districts(table, former, "vi") is table  # a commune group comes first
