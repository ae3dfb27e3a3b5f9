"""Map themes and the commune profile under a table's criteria framework (issue 13): a 2026 table
under 51/2025 maps criteria met over 0–10 with its own names, and the profile shows 10 ✓/✗ and the
commune's group."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.criteria.frameworks import framework
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import ConfigError
from ntm_geo.maps.themes import (
    CRITERIA_CLASSES,
    compute_view,
    criteria_classes,
    join_dataset,
    theme_variables,
    variable,
)
from ntm_geo.planning.profile import commune_profile

CRIT = [f"c{n:02d}" for n in range(1, 20)]


@pytest.fixture
def units():
    return gpd.GeoDataFrame(
        {
            "commune_code": ["00001", "00002", "00003"],
            "name_with_type": ["Xã A", "Xã B", "Phường C"],
            "district_code": ["178"] * 3,
            "district_name": ["Huyện X"] * 3,
            "population_2009": [1000, 2000, 3000],
            "area_km2": [10.0, 20.0, 30.0],
            "assessed": [True, True, False],
        },
        geometry=[box(i, 0, i + 1, 1) for i in range(3)],
        crs="EPSG:4326",
    )


def table_2026() -> pd.DataFrame:
    rows = []
    for code, met, group in [("00001", 10, 3), ("00002", 7, 2), ("00003", None, None)]:
        row = {
            "commune_code": code,
            "year": 2026,
            "criteria_met": met,
            "commune_group": group,
            "poverty_rate_pct": 5.0,
        }
        for n in range(1, 20):
            row[f"c{n:02d}"] = None if met is None or n > 10 else (n <= met)
        rows.append(row)
    df = pd.DataFrame(rows)
    df[CRIT] = df[CRIT].astype("boolean")
    df["criteria_met"] = df["criteria_met"].astype("Int64")
    df["commune_group"] = df["commune_group"].astype("Int64")
    return df


def test_criteria_classes_for_10_and_19():
    assert criteria_classes(19) == CRITERIA_CLASSES
    classes = criteria_classes(10)
    assert [(c.low, c.high) for c in classes] == [(0, 2), (3, 5), (6, 7), (8, 9), (10, 10)]
    assert classes[-1].label_vi == "10 tiêu chí (đạt chuẩn NTM)"


def test_2026_table_maps_criteria_met_over_0_to_10(units):
    joined = join_dataset(units, table_2026())
    assert set(joined["framework_id"]) == {"qd51_2025"}
    view = compute_view(joined, "criteria_met", lang="en")
    assert view.variable.label_en == "Criteria met (0–10)"
    assert view.display_values == ("10/10", "7/10", "Not assessed")
    labels = [c.label_en for c in view.variable.classes]
    assert labels[-1] == "10 criteria (meets the NTM standard)" and labels[2] == "6–7 criteria"
    six = compute_view(joined, "c06", lang="vi")
    assert six.variable.label_vi == "Tiêu chí 6: Giảm nghèo và an sinh xã hội"
    assert theme_variables("criteria", framework("qd51_2025")) == ("criteria_met", *CRIT[:10])
    with pytest.raises(ConfigError, match=r"Criterion column 'c11' is not part of Decision 51/2025/QĐ-TTg"):
        compute_view(joined, "c11")


def test_infrastructure_count_follows_the_framework(units):
    joined = join_dataset(units, table_2026())
    assert joined["infra_criteria_met"].isna().all()  # 51/2025 has no 2-9 infrastructure block
    t2017 = table_2026().assign(year=2017)
    t2017[CRIT] = True
    joined = join_dataset(units, t2017)
    assert joined["framework_id"].iloc[0] == "qd1980" and int(joined["infra_criteria_met"].iloc[0]) == 8
    assert variable("c11", framework("qd1980")).label_vi == "Tiêu chí 11: Hộ nghèo"


def test_profile_of_a_2026_commune_shows_10_criteria_and_its_group(units):
    joined = join_dataset(units, table_2026())
    p = commune_profile(joined.iloc[1], "vi")
    assert p.criteria_total == 10 and len(p.criteria) == 10 and p.framework_id == "qd51_2025"
    assert p.criteria_met == 7 and not p.meets_standard
    assert list(p.criteria["Kết quả"]) == ["✓ Đạt"] * 7 + ["✗ Chưa đạt"] * 3
    assert p.criteria.iloc[9, 0] == "10. Tiếp cận pháp luật và an ninh, quốc phòng"
    assert p.commune_group == 2 and "Nhóm xã: Xã nhóm 2" in p.facts_md
    assert "Bộ tiêu chí: QĐ 51/2025/QĐ\\-TTg" in p.facts_md
    first = commune_profile(joined.iloc[0], "en")
    assert first.meets_standard and "Commune group: Commune group 3" in first.facts_md


def test_profile_without_framework_keeps_the_19_criteria():
    row = pd.Series(
        {
            "commune_code": "1",
            "name_with_type": "Xã A",
            "district_name": "H",
            "assessed": True,
            "criteria_met": 19,
            **dict.fromkeys(CRIT, True),
        }
    )
    p = commune_profile(row)
    assert p.criteria_total == 19 and p.meets_standard and p.framework_id == ""


def test_import_reads_the_commune_group_column():
    data = "Mã xã,Năm,Nhóm xã,Quy hoạch\n06628,2026,Xã nhóm 3,1\n06631,2026,2,0\n06634,2026,4,1\n".encode()
    report = import_table(data, "nhom.csv")
    t = report.table.set_index("commune_code")
    assert t.loc["06628", "commune_group"] == 3 and t.loc["06631", "commune_group"] == 2
    assert str(t["commune_group"].dtype) == "Int64"
    (bad,) = report.out_of_range
    assert bad.row == 4 and bad.reason_en == "the commune group must be 1, 2 or 3 (Decision 51/2025/QĐ-TTg)."


def test_planner_counts_the_gap_over_the_framework(units):
    from ntm_geo.planning.ranking import (
        Filters,
        RankingWeights,
        apply_filters,
        candidate_table,
        group_label,
        rank,
    )

    joined = join_dataset(units, table_2026())
    table = candidate_table(joined, "en")
    assert list(table["criteria_total"]) == [10, 10, 10]
    assert list(table["gap"].iloc[:2]) == [0, 3]
    assert table["missing"].iloc[1] == (8, 9, 10)
    assert table["missing_label"].iloc[1].startswith("8. Environment and rural landscape")
    assert list(table["group"]) == ["all_met", "not_all_met", "not_assessed"]
    assert group_label("all_met", "vi") == "Đạt đủ các tiêu chí (đạt chuẩn)"
    left = apply_filters(table, Filters(not_meeting_standard=True, criterion_not_met=9))
    assert list(left["commune_code"]) == ["00002"]
    with pytest.raises(ConfigError, match=r"use a criterion number 1–10"):
        apply_filters(table, Filters(criterion_not_met=11))
    result = rank(left, RankingWeights())
    assert "7/10 criteria met (3 missing)" in result.explanation("en")


def test_the_table_behind_a_2026_map_has_its_ten_criteria(units):
    from ntm_geo.exports.formats import view_table

    joined = join_dataset(units, table_2026())
    table = view_table(joined, compute_view(joined, "criteria_met", lang="vi"), "vi")
    assert [c for c in table.columns if c.startswith("c") and c[1:].isdigit()] == CRIT[:10]
    assert list(table["Số tiêu chí đạt (0–10)"]) == ["10/10", "7/10", "Không đánh giá"]


def test_slides_and_captions_name_the_variable_after_the_year():
    from ntm_geo.maps.themes import year_variable

    assert year_variable("criteria_met", 2026).label_vi == "Số tiêu chí đạt (0–10)"
    assert year_variable("criteria_met", 2015).label_vi == "Số tiêu chí đạt (0–19)"
    assert year_variable("c11", 2022).label_en == "Criterion 11: Multidimensional poverty"
    assert year_variable("poverty_rate_pct", 2040).key == "poverty_rate_pct"


def test_a_declared_framework_travels_with_the_table_to_the_map(units):
    header = "Mã xã,Năm," + ",".join(f"TC{i}" for i in range(1, 20))
    data = f"{header}\n06628,2019,{','.join(['1'] * 19)}\n".encode()
    assert "framework_id" not in import_table(data, "t.csv").table.columns  # the year's default: no column
    table = import_table(data, "t.csv", framework="qd318").table
    assert list(table["framework_id"]) == ["qd318"]
    joined = join_dataset(units, table.assign(commune_code="00001"))
    assert joined["framework_id"].iloc[0] == "qd318"
    assert compute_view(joined, "c03").variable.label_vi == "Tiêu chí 3: Thủy lợi và phòng, chống thiên tai"
