"""Planner tools: choosing pilot communes and tracking progress toward a programme's targets — the
public façade of :mod:`ntm_geo.planning`.

Pure functions of joined tables (:func:`ntm_geo.maps.themes.join_dataset`); no Streamlit. The page
``app_pages/planner.py`` only turns widgets into calls of these functions and displays the values.
The work is split by job; this module re-exports each module's public names so callers keep one
import (``from ntm_geo.planning import ranking as pl``):

=====================================  =====================================================
:mod:`ntm_geo.planning.groups`         the report's groups by criteria met (``group_key``)
:mod:`ntm_geo.planning.candidates`     the candidate table and its column headers
:mod:`ntm_geo.planning.filters`        ``Filters`` and ``apply_filters``
:mod:`ntm_geo.planning.scoring`        weights, presets, ``rank`` and its explanation
:mod:`ntm_geo.planning.matrix`         the criteria gap matrix
:mod:`ntm_geo.planning.shortlist`      shortlist rows and the map layer outlining them
:mod:`ntm_geo.planning.progress`       district summary, progress toward targets, scenario
=====================================  =====================================================

Examples
--------
>>> import pandas as pd
>>> t = pd.DataFrame({"criteria_met": [19, 12, 3]})
>>> [group_key(v, True) for v in t["criteria_met"]]
['19', '10-14', '<5']
"""

from __future__ import annotations

from ntm_geo.planning.candidates import (
    INDICATOR_COLUMNS,
    INFRA_TOTAL,
    candidate_table,
    column_label,
    criteria_total,
    flag_columns,
)
from ntm_geo.planning.filters import Filters, apply_filters
from ntm_geo.planning.groups import (
    ALL_MET_GROUP,
    GROUP_BANDS,
    GROUPS,
    NO_DATA_GROUP,
    NOT_ALL_MET_GROUP,
    NOT_ASSESSED_GROUP,
    STANDARD,
    GroupBand,
    group_key,
    group_label,
)
from ntm_geo.planning.matrix import gap_matrix, not_met_counts
from ntm_geo.planning.progress import (
    Progress,
    ScenarioResult,
    district_summary,
    group_counts,
    mean_criteria,
    progress,
    scenario,
    target_2020,
)
from ntm_geo.planning.scoring import (
    COMPONENTS,
    PRESETS,
    Component,
    Preset,
    RankingResult,
    RankingWeights,
    preset,
    rank,
)
from ntm_geo.planning.shortlist import SHORTLIST_CLASS, SHORTLIST_STYLE, shortlist_layer, shortlist_rows

__all__ = [
    "ALL_MET_GROUP",
    "COMPONENTS",
    "GROUPS",
    "GROUP_BANDS",
    "INDICATOR_COLUMNS",
    "INFRA_TOTAL",
    "NOT_ALL_MET_GROUP",
    "NOT_ASSESSED_GROUP",
    "NO_DATA_GROUP",
    "PRESETS",
    "SHORTLIST_CLASS",
    "SHORTLIST_STYLE",
    "STANDARD",
    "Component",
    "Filters",
    "GroupBand",
    "Preset",
    "Progress",
    "RankingResult",
    "RankingWeights",
    "ScenarioResult",
    "apply_filters",
    "candidate_table",
    "column_label",
    "criteria_total",
    "district_summary",
    "flag_columns",
    "gap_matrix",
    "group_counts",
    "group_key",
    "group_label",
    "mean_criteria",
    "not_met_counts",
    "preset",
    "progress",
    "rank",
    "scenario",
    "shortlist_layer",
    "shortlist_rows",
    "target_2020",
]
