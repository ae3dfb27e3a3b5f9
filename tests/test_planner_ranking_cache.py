"""The planner's cached ranking (app_pages.planner_sections.ranking_cache.planner_ranking): keyed by what the ranking
depends on, and forgotten with the other data caches when a dataset is saved, replaced or deleted
(a re-imported dataset keeps its id: a stale ranking would rank the old numbers)."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

import app_pages.common as common
from app_pages.planner_sections.ranking_cache import planner_ranking
from ntm_geo.planning import ranking as pl

POVERTY_FIRST = pl.RankingWeights(closeness=0.0, poverty=1.0)


@pytest.fixture()
def table(boundaries) -> pd.DataFrame:
    common.clear_data_caches()
    return pl.apply_filters(common.candidates("illustrative", 2015, "vi"), pl.Filters())


def _order(result: pl.RankingResult) -> list[str]:
    return list(result.table["commune_code"])


def test_a_saved_dataset_change_clears_the_cached_ranking(table):
    key = ("illustrative", 2015, "2015", "vi", pl.Filters(), POVERTY_FIRST)
    first = planner_ranking(*key, _table=table)
    assert_frame_equal(first.table, pl.rank(table, POVERTY_FIRST).table)
    # the dataset is imported again under the same id, with other poverty rates
    reimported = table.assign(poverty_rate_pct=table["poverty_rate_pct"].to_numpy()[::-1])
    assert _order(pl.rank(reimported, POVERTY_FIRST)) != _order(first)
    assert _order(planner_ranking(*key, _table=reimported)) == _order(first)  # same key: cached
    common.clear_data_caches()  # what the data page does after a save, a replacement or a deletion
    fresh = planner_ranking(*key, _table=reimported)
    assert_frame_equal(fresh.table, pl.rank(reimported, POVERTY_FIRST).table)


def test_other_weights_or_filters_are_ranked_anew(table):
    by_poverty = planner_ranking(
        "illustrative", 2015, "2015", "vi", pl.Filters(), POVERTY_FIRST, _table=table
    )
    closest = pl.RankingWeights()
    by_closeness = planner_ranking("illustrative", 2015, "2015", "vi", pl.Filters(), closest, _table=table)
    assert_frame_equal(by_closeness.table, pl.rank(table, closest).table)
    assert _order(by_closeness) != _order(by_poverty)
    district = pl.Filters(districts=("189",))
    narrowed = pl.apply_filters(table, district)
    in_district = planner_ranking("illustrative", 2015, "2015", "vi", district, closest, _table=narrowed)
    assert_frame_equal(in_district.table, pl.rank(narrowed, closest).table)


def test_a_cached_ranking_is_a_copy(table):
    key = ("illustrative", 2015, "2015", "vi", pl.Filters(), POVERTY_FIRST)
    planner_ranking(*key, _table=table).table.loc[0, "score"] = -1.0
    assert planner_ranking(*key, _table=table).table.loc[0, "score"] != -1.0
