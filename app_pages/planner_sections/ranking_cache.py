"""The planner's ranking, cached (:func:`planner_ranking`); forgotten with the tables it was made
from by :func:`app_pages.common.clear_data_caches`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ntm_geo.planning.filters import Filters
from ntm_geo.planning.scoring import RankingResult, RankingWeights, rank


@st.cache_data(show_spinner=False, max_entries=64)
def planner_ranking(
    dataset_id: str,
    year: int,
    units: str,
    lang: str,
    filters: Filters,
    weights: RankingWeights,
    _table: pd.DataFrame,
) -> RankingResult:
    """The planner's ranking (:func:`ntm_geo.planning.scoring.rank`, ~10-30 ms) of ``_table``,
    cached: a planner rerun that changes neither the data nor the filters nor the weights (a click
    on the map, the shortlist, a tab) reuses it (~1 ms: Streamlit hands out a copy).

    ``_table`` is not hashed (a leading underscore): it must be the candidate table the key
    describes -- :func:`app_pages.common.candidates` of ``dataset_id``, ``year``, ``lang`` on the
    ``units`` vintage, narrowed by ``filters`` (:func:`ntm_geo.planning.filters.apply_filters`).
    A saved, replaced or deleted dataset keeps its id, so
    :func:`app_pages.common.clear_data_caches` forgets these rankings with the tables they were
    made from. At most 64 entries (the weight sliders make a new key at every step)."""
    return rank(_table, weights)
