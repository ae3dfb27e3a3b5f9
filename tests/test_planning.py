"""Planner logic on tiny hand-made tables with known answers: candidate table, filters, ranking
(weights, ties, explanation), gap matrix, district summary, progress and the 2020 scenario."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.criteria.reference import Distribution, GroupCount
from ntm_geo.errors import ConfigError
from ntm_geo.planning import ranking as pl


def unit(
    code,
    name,
    *,
    met=None,
    district="189",
    poverty=10.0,
    pop=1000,
    infra_met=None,
    difficult=False,
    unit_type="xa",
    not_met=(),
    car=True,
):
    """One joined-table row: a xã meeting ``met`` criteria (the first ``met`` not in ``not_met``)."""
    assessed = unit_type == "xa"
    row = {
        "commune_code": code,
        "name_with_type": name,
        "district_code": district,
        "district_name": {"189": "Huyện Đình Lập", "178": "Thành phố Lạng Sơn"}[district],
        "unit_type": unit_type,
        "assessed": assessed,
        "population_2009": pop,
        "poverty_rate_pct": poverty,
        "road_hardened_pct": 20.0,
        "electricity_hh_pct": 95.0,
        "irrigated_cropland_pct": 60.0,
        "hygienic_water_hh_pct": 80.0,
    }
    if assessed and met is not None:
        missing = set(not_met) or set(range(met + 1, 20))
        assert len(missing) == 19 - met
        for n, col in enumerate(CRITERION_COLUMNS, start=1):
            row[col] = n not in missing
        row["criteria_met"] = met
        row["infra_criteria_met"] = (
            sum(row[f"c{n:02d}"] for n in range(2, 10)) if infra_met is None else infra_met
        )
        row["car_access_all_season"] = car
        row["especially_difficult"] = difficult
    else:
        for col in CRITERION_COLUMNS:
            row[col] = pd.NA
        row["criteria_met"] = pd.NA
        row["infra_criteria_met"] = pd.NA
        row["car_access_all_season"] = pd.NA
        row["especially_difficult"] = pd.NA
    return row


def joined(rows):
    df = pd.DataFrame(rows)
    for col in (*CRITERION_COLUMNS, "car_access_all_season", "especially_difficult"):
        df[col] = df[col].astype("boolean")
    for col in ("criteria_met", "infra_criteria_met"):
        df[col] = df[col].astype("Int64")
    return df


@pytest.fixture()
def five():
    return joined(
        [
            unit("00001", "Xã An", met=19, poverty=2.0, pop=5000),
            unit("00002", "Xã Bình", met=17, poverty=20.0, pop=3000, difficult=True),
            unit(
                "00003", "Xã Cao", met=12, poverty=40.0, pop=2000, difficult=True, district="178", car=False
            ),
            unit("00004", "Xã Đông", met=3, poverty=60.0, pop=1000, difficult=True),
            unit("00005", "Thị trấn Đình Lập", unit_type="thi-tran", poverty=5.0, pop=4000),
        ]
    )


def test_candidate_table_columns_groups_missing(five):
    t = pl.candidate_table(five, "vi")
    assert list(t["group"]) == ["19", "15-18", "10-14", "<5", "not_assessed"]
    assert list(t["gap"].astype("Float64").fillna(-1)) == [0, 2, 7, 16, -1]
    assert t.loc[1, "missing"] == (18, 19)
    assert t.loc[1, "missing_label"].startswith("18. ")
    assert t.loc[4, "group_label"].startswith("Không đánh giá")
    assert pd.isna(t.loc[4, "criteria_met"])  # never "0 criteria"
    assert t.loc[4, "missing"] == ()
    assert pl.candidate_table(five, "en").loc[0, "group_label"] == "Group 1: 19 criteria (meets the standard)"
    assert t.loc[3, "infra_missing"] == 8 - t.loc[3, "infra_criteria_met"]
    assert pl.flag_columns(t) == ("car_access_all_season", "especially_difficult")


def test_group_key_out_of_range_raises():
    with pytest.raises(ConfigError, match="outside 0–19"):
        pl.group_key(20)
    with pytest.raises(ConfigError, match="Unknown group 'x'"):
        pl.group_label("x")


def test_filters(five):
    t = pl.candidate_table(five)
    codes = lambda f: list(pl.apply_filters(t, f)["commune_code"])  # noqa: E731
    assert codes(pl.Filters()) == list(t["commune_code"])
    assert codes(pl.Filters(districts=("178",))) == ["00003"]
    assert codes(pl.Filters(not_meeting_standard=True)) == ["00002", "00003", "00004"]
    assert codes(pl.Filters(groups=("15-18", "<5"))) == ["00002", "00004"]
    assert codes(pl.Filters(criterion_not_met=18)) == ["00002", "00003", "00004"]
    assert codes(pl.Filters(criterion_not_met=5)) == ["00004"]
    assert codes(pl.Filters(flags=("especially_difficult",))) == ["00002", "00003", "00004"]
    assert codes(pl.Filters(flags=("!car_access_all_season",))) == ["00003"]
    assert codes(
        pl.Filters(flags=("especially_difficult",), districts=("189",), not_meeting_standard=True)
    ) == ["00002", "00004"]


def test_filter_errors(five):
    t = pl.candidate_table(five)
    with pytest.raises(ConfigError, match="Unknown group filter '20'"):
        pl.apply_filters(t, pl.Filters(groups=("20",)))
    with pytest.raises(ConfigError, match="criterion_not_met = 20"):
        pl.apply_filters(t, pl.Filters(criterion_not_met=20))
    with pytest.raises(ConfigError, match="Flag 'remote' is not a yes/no column.*especially_difficult"):
        pl.apply_filters(t, pl.Filters(flags=("remote",)))


def test_rank_closeness_only_orders_by_gap_and_excludes_not_assessed(five):
    r = pl.rank(pl.candidate_table(five), pl.RankingWeights(closeness=1))
    t = r.table
    assert list(t["commune_code"]) == ["00001", "00002", "00003", "00004", "00005"]
    assert list(t["rank"].iloc[:4]) == [1, 2, 3, 4] and pd.isna(t["rank"].iloc[4])
    assert math.isnan(t["score"].iloc[4])
    # closeness = 1 - gap/19 = 1, 17/19, 12/19, 3/19 -> min-max -> 1, 14/16, 9/16, 0 -> x 100
    assert t["score"].iloc[:4].round(6).tolist() == pytest.approx([100, 87.5, 56.25, 0])


def test_rank_weights_are_shares_of_their_sum(five):
    t = pl.candidate_table(five)
    a = pl.rank(t, pl.RankingWeights(closeness=1, poverty=1)).table
    b = pl.rank(t, pl.RankingWeights(closeness=5, poverty=5)).table
    assert a["score"].iloc[:4].tolist() == pytest.approx(b["score"].iloc[:4].tolist())
    # poverty 2, 20, 40, 60 -> 0, 18/58, 38/58, 1; closeness 1, 14/16, 9/16, 0 -> mean x 100
    by = a.set_index("commune_code")["score"]
    assert by["00001"] == pytest.approx(50.0)
    assert by["00004"] == pytest.approx(50.0)
    assert by["00002"] == pytest.approx(50 * (14 / 16 + 18 / 58))
    assert by["00003"] == pytest.approx(50 * (9 / 16 + 38 / 58))
    # 00001 and 00004 tie at 50 points: fewer criteria missing first
    assert list(a["commune_code"].iloc[:4]) == ["00003", "00002", "00001", "00004"]
    poverty_only = pl.rank(t, pl.RankingWeights(closeness=0, poverty=1)).table
    assert list(poverty_only["commune_code"].iloc[:4]) == ["00004", "00003", "00002", "00001"]
    assert poverty_only["p_poverty"].iloc[0] == pytest.approx(100)


def test_rank_tie_break_by_gap_then_code():
    t = pl.candidate_table(
        joined(
            [
                unit("00009", "Xã Chín", met=10, poverty=30.0),
                unit("00003", "Xã Ba", met=10, poverty=30.0),
                unit("00007", "Xã Bảy", met=12, poverty=30.0),
            ]
        )
    )
    r = pl.rank(t, pl.RankingWeights(closeness=0, poverty=1))  # poverty has no spread: all 0 points
    assert list(r.table["commune_code"]) == ["00007", "00003", "00009"]
    assert set(r.table["score"]) == {0.0}
    assert "Tied with Xã Bảy" not in r.explanation_en
    assert "placed first because it has fewer criteria missing" in r.explanation_en
    two = pl.rank(t.iloc[:2], pl.RankingWeights(closeness=0, poverty=1))
    assert list(two.table["commune_code"]) == ["00003", "00009"]
    assert "by commune code (fixed tie-break rule)" in two.explanation_en
    assert "theo mã xã" in two.explanation_vi


def test_rank_explanation_says_what_weights_mean_and_why_first(five):
    r = pl.rank(pl.candidate_table(five), pl.RankingWeights(closeness=3, poverty=1))
    en, vi = r.explanation("en"), r.explanation("vi")
    assert "closeness to the standard 75 %" in en and "poverty rate 25 %" in en
    assert "population" not in en.split("Ranked 1st")[0]  # zero-weight components are not described
    assert "Ranked 1st: Xã An (Huyện Đình Lập)" in en
    assert "Largest contribution: closeness to the standard (75.0 points)" in en
    assert "Ahead of 2nd, Xã Bình (Huyện Đình Lập)" in en
    assert "gần chuẩn 75 %" in vi and "Xếp thứ 1: Xã An" in vi and "75,0 điểm" in vi
    assert "4 xã" in en  # normalised over the four ranked xã


def test_rank_all_zero_weights_and_empty_and_negative(five):
    t = pl.candidate_table(five)
    r = pl.rank(t, pl.RankingWeights(0, 0, 0, 0))
    assert list(r.table["commune_code"].iloc[:4]) == ["00001", "00002", "00003", "00004"]
    assert "All weights are zero" in r.explanation_en
    empty = pl.rank(t.iloc[4:], pl.RankingWeights())
    assert empty.explanation_en == "No xã to rank with these filters."
    assert pd.isna(empty.table["rank"].iloc[0])
    with pytest.raises(ConfigError, match="weight poverty = -1.0; weights must be non-negative"):
        pl.rank(t, pl.RankingWeights(poverty=-1))


def test_presets_lookup_and_filters(five):
    assert set(pl.PRESETS) == {"near_standard", "especially_difficult"}
    p = pl.preset("especially_difficult")
    assert p.label("vi") and p.label("en") and p.description("en")
    t = pl.apply_filters(pl.candidate_table(five), p.filters)
    assert list(t["commune_code"]) == ["00002", "00003", "00004"]
    near = pl.rank(
        pl.apply_filters(pl.candidate_table(five), pl.preset("near_standard").filters),
        pl.preset("near_standard").weights,
    )
    assert near.table["commune_code"].iloc[0] == "00002"  # closest xã not yet at 19
    with pytest.raises(
        ConfigError, match="Unknown ranking preset 'x'; allowed: near_standard, especially_difficult"
    ):
        pl.preset("x")


def test_gap_matrix_and_not_met_counts(five):
    m = pl.gap_matrix(pl.candidate_table(five))
    assert list(m.columns[:5]) == ["commune_code", "name", "district_name", "criteria_met", "gap"]
    assert len(m) == 4 and list(m.columns[5:]) == list(CRITERION_COLUMNS)
    assert m.loc[1, "c18"] == False and m.loc[1, "c17"] == True  # noqa: E712
    counts = pl.not_met_counts(m)
    assert counts["c01"] == 0 and counts["c19"] == 3 and counts["c05"] == 1
    assert (
        next(iter(m.sort_values(["gap", "commune_code"], ascending=[False, True])["commune_code"])) == "00004"
    )


def test_shortlist_rows_order_and_labels(five):
    rows = pl.shortlist_rows(pl.candidate_table(five), ["00003", "00001", "99999"], "en")
    assert list(rows.index) == ["00003", "00001"]
    assert rows.loc["00003", "Commune"] == "Xã Cao"
    assert rows.loc["00003", "Criteria met"] == 12
    assert rows.loc["00003", "All-season car access"] == "No"
    assert rows.loc["00001", "19. " + rows.columns[-1].split(". ", 1)[1]] == "✓"
    side = rows.set_index("Commune").T
    assert list(side.columns) == ["Xã Cao", "Xã An"]


def test_district_summary_weighted_poverty_and_change(five):
    before = joined(
        [
            unit("00001", "Xã An", met=10, poverty=10.0, pop=5000),
            unit("00002", "Xã Bình", met=5, poverty=30.0, pop=3000),
            unit("00003", "Xã Cao", met=2, poverty=50.0, pop=2000, district="178"),
            unit("00004", "Xã Đông", met=0, poverty=70.0, pop=1000, not_met=tuple(range(1, 20))),
            unit("00005", "Thị trấn Đình Lập", unit_type="thi-tran", poverty=6.0, pop=4000),
        ]
    )
    s = pl.district_summary(five, before).set_index("district_code")
    dl = s.loc["189"]
    assert dl["xa"] == 3 and dl["meeting_standard"] == 1 and dl["meeting_standard_2011"] == 0
    assert dl["meeting_standard_change"] == 1
    assert dl["mean_criteria_met"] == pytest.approx((19 + 17 + 3) / 3)
    assert dl["mean_change"] == pytest.approx((19 + 17 + 3) / 3 - 5)
    # population-weighted over all units of the district (the township too)
    assert dl["poverty_rate_pct"] == pytest.approx((2 * 5000 + 20 * 3000 + 60 * 1000 + 5 * 4000) / 13000)
    assert dl["poverty_change_pp"] == pytest.approx(
        dl["poverty_rate_pct"] - (10 * 5000 + 30 * 3000 + 70 * 1000 + 6 * 4000) / 13000
    )
    alone = pl.district_summary(five, None)
    assert alone["mean_change"].isna().all()


def test_progress_counts_means_and_targets(five):
    p = pl.progress(None, five)
    g = p.groups.set_index("group")
    assert list(g["y2015"]) == [1, 1, 1, 0, 1]
    assert list(g["target_2020"]) == [72, 8, 37, 90, 0]
    assert g.loc["19", "to_go"] == 71
    assert p.means["2015"] == pytest.approx((19 + 17 + 12 + 3) / 4)
    assert p.means["2020_target"] == 11.8 and math.isnan(p.means["2011"])
    crit = p.criteria.set_index("number")
    assert crit.loc[19, "met_2015"] == 1 and crit.loc[1, "met_2015"] == 4
    bad = Distribution(2020, 11.8, (GroupCount("19", 19, 19, 72),))
    with pytest.raises(ConfigError, match="lacks group"):
        pl.progress(None, five, bad)


def test_scenario_arithmetic(five):
    s = pl.scenario(five, {"00002", "00004"})
    t = s.table.set_index("group")
    assert list(t["now"]) == [1, 1, 1, 0, 1]
    assert list(t["projected"]) == [3, 0, 1, 0, 0]
    assert list(t["target"]) == [72, 8, 37, 90, 0]
    assert list(t["difference"]) == [-69, -8, -36, -90, 0]
    assert s.projected_mean == pytest.approx((19 + 19 + 12 + 19) / 4)
    assert s.reaching == ("00002", "00004")
    assert "3 xã meeting the standard — 69 short of the target of 72" in s.explanation_en
    assert "(2 new)" in s.explanation_en and "No xã remains below 5 criteria" in s.explanation_en
    assert "còn thiếu 69 xã so với mục tiêu 72" in s.explanation_vi
    again = pl.scenario(five, {"00001"})  # already at 19: nothing changes
    assert list(again.table["projected"]) == list(again.table["now"])
    assert "(0 new)" in again.explanation_en


def test_scenario_rejects_units_that_are_not_xa(five):
    with pytest.raises(ConfigError, match="00005 not an assessed xã"):
        pl.scenario(five, {"00005"})
    with pytest.raises(ConfigError, match="12345 not an assessed xã"):
        pl.scenario(five, ["12345"])


def test_scenario_meeting_target_says_so():
    rows = [unit(f"{i:05d}", f"Xã {i}", met=19) for i in range(72)]
    rows += [unit(f"{i:05d}", f"Xã {i}", met=16) for i in range(72, 80)]
    rows += [unit(f"{i:05d}", f"Xã {i}", met=12) for i in range(80, 117)]
    rows += [unit(f"{i:05d}", f"Xã {i}", met=7) for i in range(117, 207)]
    s = pl.scenario(joined(rows), set())
    assert list(s.table["difference"]) == [0, 0, 0, 0, 0]
    assert "the target of 72 is met." in s.explanation_en


def test_real_illustrative_data_matches_report_groups():
    from ntm_geo.datasets import catalog
    from ntm_geo.geo.units import official_units

    j = official_units().merge(catalog.load_year("illustrative", 2015), on="commune_code", how="left")
    assert pl.group_counts(j) == {"19": 13, "15-18": 1, "10-14": 34, "5-9": 109, "<5": 50}
