"""Carrying a dataset 2015 → 2025 by the rule of each column kind."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ntm_geo.datasets.carry import CARRY_RULES, carry, carry_to_2025, column_kind
from ntm_geo.errors import DataError

# two former xã (A, B) merged into X; C split 70/30 between X and Y; P a phường into Y
WEIGHTS = pd.DataFrame(
    {
        "from_code": ["A", "B", "C", "C", "P", "A"],
        "to_code": ["X", "X", "X", "Y", "Y", "Y"],
        "weight": [1.0, 1.0, 0.7, 0.3, 1.0, 0.0],  # A's sliver in Y has weight 0
    }
)
POP = pd.Series({"A": 1000.0, "B": 3000.0, "C": 1000.0, "P": 5000.0})


def tiny() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "commune_code": ["A", "B", "C", "P"],
            "year": [2015] * 4,
            "c01": pd.array([True, False, True, pd.NA], dtype="boolean"),
            "c02": pd.array([True, True, True, pd.NA], dtype="boolean"),
            "criteria_met": pd.array([2, 1, 2, pd.NA], dtype="Int64"),
            "poverty_rate_pct": [10.0, 20.0, 40.0, 1.0],
            "especially_difficult": pd.array([True, False, pd.NA, False], dtype="boolean"),
            "population_2009": [1000, 3000, 1000, 5000],
            "remark": ["a", "b", "c", "d"],
        }
    )


@pytest.fixture
def carried():
    return carry(tiny(), WEIGHTS, POP, n_criteria=2, target_codes=["X", "Y", "Z"])


def test_every_kind_has_a_stated_rule():
    for kind in ("count", "indicator", "criterion", "total", "flag", "key"):
        rule = CARRY_RULES[kind]
        assert rule.rule_vi and rule.rule_en
    assert CARRY_RULES["indicator"].rule_en.startswith(
        "mean of the former units weighted by 2009 census population"
    )
    assert [
        column_kind(c) for c in ("c07", "criteria_met", "road_hardened_pct", "especially_difficult", "year")
    ] == [
        "criterion",
        "total",
        "indicator",
        "flag",
        "key",
    ]
    assert column_kind("population_2009") == "count" and column_kind("remark") is None


def test_counts_summed_split_by_area(carried):
    t = carried.table.set_index("commune_code")
    assert t.loc["X", "population_2009"] == pytest.approx(1000 + 3000 + 0.7 * 1000)
    assert t.loc["Y", "population_2009"] == pytest.approx(0.3 * 1000 + 5000)
    assert t["population_2009"].sum() == pytest.approx(POP.sum())  # nothing lost, nothing doubled


def test_rates_weighted_by_2009_population(carried):
    t = carried.table.set_index("commune_code")
    expected = (10 * 1000 + 20 * 3000 + 40 * 700) / (1000 + 3000 + 700)
    assert t.loc["X", "poverty_rate_pct"] == pytest.approx(expected)
    assert t.loc["X", "poverty_rate_pct"] != pytest.approx(np.mean([10, 20, 40]))  # not a plain mean


def test_criteria_k_of_n_never_a_criterion_count(carried):
    t = carried.table.set_index("commune_code")
    assert (t.loc["X", "c01_met"], t.loc["X", "c01_of"]) == (2, 3)  # A and C met, B not
    assert (t.loc["Y", "c01_met"], t.loc["Y", "c01_of"]) == (1, 1)  # C's part; P not assessed
    assert (t.loc["X", "ntm_standard_met"], t.loc["X", "ntm_standard_of"]) == (2, 3)
    assert "criteria_met" not in t.columns and "c01" not in t.columns
    assert (t.loc["X", "especially_difficult_yes"], t.loc["X", "especially_difficult_of"]) == (1, 2)


def test_split_flagged_derived_and_unknown_listed(carried):
    t = carried.table.set_index("commune_code")
    assert t.loc["X", "split_sources"] == "C" and bool(t.loc["X", "apportioned"])
    assert t.loc["X", "sources"] == "A;B;C"
    assert t["derived"].all()
    assert carried.not_carried == ["remark"]
    assert pd.isna(t.loc["Z", "population_2009"])  # a target with no former unit: a row, empty
    assert "derived" in carried.note_en.lower() and "suy ra" in carried.note_vi.lower()
    assert carried.rule("poverty_rate_pct", "en") == CARRY_RULES["indicator"].rule_en


def test_unknown_former_units_are_an_error():
    bad = tiny().assign(commune_code=["A", "B", "C", "Q"])
    with pytest.raises(DataError, match=r"1 unit code\(s\) of the dataset are not 2015 units.*'Q'"):
        carry(bad, WEIGHTS, POP)
    with pytest.raises(DataError, match="no commune_code column"):
        carry(tiny().drop(columns="commune_code"), WEIGHTS, POP)


def test_illustrative_2015_carried_to_65_units(boundaries, boundaries_2025):
    from ntm_geo.datasets.contract import load_illustrative

    data = load_illustrative(2015)
    carried = carry_to_2025(data)
    t = carried.table
    assert len(t) == 65 and t["commune_code"].is_unique and t["derived"].all()
    assert t["population_2009"].sum() == pytest.approx(boundaries.communes["population_2009"].sum())
    assert t["ntm_standard_met"].sum() == (data["criteria_met"] == 19).sum()  # no split xã met all 19
    assert set(t.loc[t["apportioned"], "commune_code"]) >= {"06613", "06625", "06637"}


def test_each_year_carried_on_its_own():
    two = pd.concat([tiny(), tiny().assign(year=2011, poverty_rate_pct=[20.0, 20.0, 20.0, 2.0])])
    t = carry(two, WEIGHTS, POP, n_criteria=2).table.set_index(["commune_code", "year"])
    assert t.loc[("X", 2011), "poverty_rate_pct"] == pytest.approx(20.0)
    assert t.loc[("X", 2015), "poverty_rate_pct"] == pytest.approx((10 * 1000 + 20 * 3000 + 40 * 700) / 4700)
    assert len(t) == 4


def test_cli_carry_writes_derived_csv(boundaries, boundaries_2025, tmp_path, capsys):
    from ntm_geo.__main__ import main

    out = tmp_path / "carried.csv"
    assert main(["carry", str(out), "--year", "2015"]) == 0
    assert "65 đơn vị 2025 / units" in capsys.readouterr().out
    text = out.read_text(encoding="utf-8-sig")
    first, header = text.splitlines()[:2]
    assert first.startswith("# Dữ liệu minh họa") and "Derived values" in first  # illustrative AND derived
    assert header.startswith("commune_code,name_with_type,year,c01_met,c01_of,")
    assert "criteria_met" not in header.split(",")  # never a criterion count for a new unit
    assert header.endswith("sources,split_sources,apportioned,derived")
    assert main(["carry", str(out), "--year", "2019"]) == 2
    assert "has no table for 2019" in capsys.readouterr().err


def test_kinds_come_from_the_schema_registry():
    """A new indicator added to the registry is carried by the indicator rule (population-weighted)."""
    from ntm_geo.bilingual import Bilingual
    from ntm_geo.datasets import schema

    schools = schema.Column(
        "school_solid_pct",
        "indicator",
        "float64",
        Bilingual("Trường học kiên cố", "Schools built solid"),
        Bilingual("Tỷ lệ trường kiên cố (%)", "Schools built solid (%)"),
        unit="%",
        valid_range=(0.0, 100.0),
    )
    assert column_kind("school_solid_pct") is None
    with schema.extended(schools):
        assert column_kind("school_solid_pct") == "indicator"
        carried = carry(tiny().assign(school_solid_pct=[100.0, 0.0, 0.0, 50.0]), WEIGHTS, POP, n_criteria=2)
    x = carried.table.set_index("commune_code").loc["X", "school_solid_pct"]
    assert x == pytest.approx(100 * 1000 / 4700)
