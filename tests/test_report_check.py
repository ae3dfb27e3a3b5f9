"""Report figures (reference YAML) and their recomputation from a dataset."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_geo.criteria import reference as rf
from ntm_geo.criteria import report_check as rc
from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.datasets.illustrative import load_units
from ntm_geo.errors import ConfigError, DataError


def test_reference_values():
    ref = rf.load_reference()
    assert ref.communes_assessed == 207 and ref.commune_level_units == 226 and ref.districts == 11
    assert ref.criteria_met_2015[3].met == 53 and "20,77%" in ref.criteria_met_2015[3].note
    assert ref.distributions[2011].mean == 2.57
    assert [(g.low, g.high, g.count) for g in ref.distributions[2015].groups][-1] == (0, 4, 50)
    assert ref.poverty_rate_pct == {2011: 24.06, 2014: 14.09, 2015: 11.9}
    assert ref.districts_below_10pct_poverty_2015 == 5
    assert ref.infrastructure_2015["road_car_access_commune_centre_all_season_pct"] == 93.4
    assert "48/BC-BCĐ" in ref.source_vi and len(ref.district_names_2015) == 11


@pytest.mark.parametrize(
    ("label", "expected"), [("5-9", (5, 9)), ("10", (10, 10)), ("<5", (0, 4)), ("0", (0, 0))]
)
def test_parse_group_label(label, expected):
    assert rf.parse_group_label(label) == expected


def test_parse_group_label_bad():
    with pytest.raises(ConfigError, match=r"Bad group label '5\+'.*write 'a-b', '<n' or 'n'"):
        rf.parse_group_label("5+")


def test_reference_missing_file(tmp_path):
    with pytest.raises(ConfigError, match=r"Reference figures not found: .*missing\.yaml"):
        rf.load_reference(tmp_path / "missing.yaml")


def synthetic_units() -> pd.DataFrame:
    """Units from the official code list with made-up populations/areas (no boundaries needed)."""
    u = pd.read_csv(rf.REFERENCE_YAML.parent / "units_gso2015.tsv", sep="\t", dtype=str)
    return u.rename(columns={"type": "unit_type"}).assign(population_2009=3000, area_km2=40.0)


@pytest.fixture(scope="module")
def real_units():
    try:
        return load_units()
    except Exception as exc:
        pytest.skip(f"real boundaries unavailable (set NTM_GEO_BOUNDARY_MIRROR): {exc}")


@pytest.mark.parametrize("year", [2011, 2015])
def test_committed_dataset_matches_report(real_units, year):
    rows = rc.compare(load_illustrative(year), real_units, year)
    assert rc.all_ok(rows), [r for r in rows if not r.ok]
    keys = [r.key for r in rows]
    assert len(keys) == len(set(keys))
    if year == 2015:
        assert {
            "criterion_02_met",
            "group_19",
            "group_lt5",
            "group_lt2",
            "criteria_mean",
            "poverty_rate_pct",
            "districts_poverty_below_10pct",
            "road_hardened_pct",
            "car_access_all_season_pct",
        } <= set(keys)
        assert not any(k.startswith("criterion_01") or k.startswith("criterion_10") for k in keys)
    else:
        assert set(keys) == {
            "units_in_dataset",
            "communes_assessed",
            "group_10",
            "group_5_9",
            "group_1_4",
            "group_0",
            "criteria_mean",
            "poverty_rate_pct",
        }


def test_counts_do_not_depend_on_weights():
    rows = {r.key: r for r in rc.compare(load_illustrative(2015), synthetic_units(), 2015)}
    assert rows["criterion_17_met"].ok and rows["group_19"].ok and rows["criteria_mean"].ok
    assert rows["criteria_mean"].tolerance == pytest.approx(0.05)
    assert rows["car_access_all_season_pct"].ok  # unweighted share of xã


def test_perturbation_is_detected():
    data = load_illustrative(2015)
    i = data.index[data["c02"].fillna(False).astype(bool)][0]
    data.loc[i, "c02"] = False
    data.loc[i, "criteria_met"] -= 1
    rows = {r.key: r for r in rc.compare(data, synthetic_units(), 2015)}
    assert not rows["criterion_02_met"].ok and rows["criterion_02_met"].computed_value == 18
    assert rows["criterion_03_met"].ok


def test_missing_indicator_column_is_not_ok():
    data = load_illustrative(2015).drop(columns="road_hardened_pct")
    rows = {r.key: r for r in rc.compare(data, synthetic_units(), 2015)}
    assert not rows["road_hardened_pct"].ok and pd.isna(rows["road_hardened_pct"].computed_value)


def test_unknown_year():
    with pytest.raises(ConfigError, match=r"no figures for year 2013; allowed years: 2011, 2015"):
        rc.compare(load_illustrative(2015), synthetic_units(), 2013)


def test_no_rows_for_year():
    with pytest.raises(DataError, match=r"The dataset has no rows for 2011"):
        rc.compare(load_illustrative(2015), synthetic_units(), 2011)


def test_units_missing_column():
    with pytest.raises(DataError, match=r"lacks column\(s\) population_2009 needed for weighting"):
        rc.compare(load_illustrative(2015), synthetic_units().drop(columns="population_2009"), 2015)


def test_code_missing_from_units():
    units = synthetic_units()
    with pytest.raises(DataError, match=r"Commune code 05971 of the dataset is not in the unit table"):
        rc.compare(load_illustrative(2015), units[units.commune_code != "05971"], 2015)


def test_incomplete_dataset_and_blank_flag_column(real_units):
    data = load_illustrative(2015).head(10).copy()
    data["car_access_all_season"] = pd.array([pd.NA] * len(data), dtype="boolean")
    rows = {r.key: r for r in rc.compare(data, real_units, 2015)}
    assert rows["units_in_dataset"].computed_value == 10 and not rows["units_in_dataset"].ok
    assert (
        pd.isna(rows["car_access_all_season_pct"].computed_value) and not rows["car_access_all_season_pct"].ok
    )


def _criteria_only_import(year: int):
    """A table as an office sends it with criteria only, read by the import (indicator columns empty)."""
    from ntm_geo.datasets.importing.table import import_table

    data = load_illustrative(year)[["commune_code", "year", *[f"c{n:02d}" for n in range(1, 20)]]]
    csv = data.astype(object).where(data.notna(), "").replace({True: 1, False: 0}).to_csv(index=False)
    return import_table(csv.encode(), f"criteria_only_{year}.csv")


@pytest.mark.parametrize("year", [2011, 2015])
def test_criteria_only_table_has_no_false_mismatches(real_units, year):
    """Issue 11: the data page listed 31 rows with 2 false ✗ (poverty figures of an absent column),
    the command line 29. One core function now gives both the same rows: an indicator the table
    gives no value at all is "no data", left out — never a mismatch."""
    report = _criteria_only_import(year)
    assert report.table["poverty_rate_pct"].isna().all()  # the import keeps the column, empty
    rows = rc.check_table(report.table, real_units, year)
    keys = {r.key for r in rows}
    assert not keys & {"poverty_rate_pct", "districts_poverty_below_10pct"}
    # every figure the table can give matches; the 2015 infrastructure figures it cannot give
    # are listed without a value ("—"), as the command line always did
    assert all(r.ok for r in rows if r.computed_value == r.computed_value), [r for r in rows if not r.ok]
    unchecked = {r.key for r in rows if r.computed_value != r.computed_value}
    assert unchecked == ({k for k, *_ in rc.INFRASTRUCTURE} if year == 2015 else set())
    again = rc.compare(report.table, real_units, year)  # compare itself agrees
    assert [(r.key, r.ok) for r in rows] == [(r.key, r.ok) for r in again]
    if year == 2015:
        assert len(rows) == 29


def test_check_table_only_for_report_years():
    table = load_illustrative(2015)
    assert rc.report_years() == (2011, 2015)
    assert rc.check_table(table.assign(year=2016), synthetic_units(), 2016) == []
    assert rc.check_table(table.iloc[:0], synthetic_units(), 2015) == []


def test_display_table_is_what_both_pages_show():
    rows = rc.check_table(load_illustrative(2011), synthetic_units(), 2011)
    vi, en = rc.display_table(rows, "vi"), rc.display_table(rows, "en")
    assert list(vi.columns) == ["Số liệu", "Báo cáo", "Tính từ dữ liệu", "Khớp"]
    assert list(en.columns) == ["Figure", "Report", "Computed", "Match"]
    assert len(vi) == len(rows) and set(vi["Khớp"]) <= {"✓", "✗"}
    assert en["Figure"].iloc[0] == rows[0].label_en and vi["Số liệu"].iloc[0] == rows[0].label_vi


def test_display_table_writes_the_numbers_at_the_reports_precision_with_the_languages_separator():
    """trial 8, m4: the data page's and the map page's report check showed "19.6542" in Vietnamese."""
    table = load_illustrative(2015).assign(poverty_rate_pct=19.6542)
    rows = rc.check_table(table, synthetic_units(), 2015)
    vi = rc.display_table(rows, "vi").set_index("Số liệu")
    en = rc.display_table(rows, "en").set_index("Figure")
    assert vi.loc["Tỷ lệ hộ nghèo toàn tỉnh", ["Báo cáo", "Tính từ dữ liệu", "Khớp"]].tolist() == [
        "11,9",
        "19,7",
        "✗",
    ]
    assert en.loc["Poor households, province", ["Report", "Computed"]].tolist() == ["11.9", "19.7"]
    assert vi.loc["Số xã được đánh giá", "Báo cáo"] == "207"
    poverty = next(r for r in rows if r.key == "poverty_rate_pct")
    assert poverty.decimals == 1 and poverty.value_text(float("nan")) == "—"
    assert poverty.value_text(1234.56, "vi") == "1.234,6" and poverty.value_text(1234.56, "en") == "1,234.6"
