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
:mod:`ntm_geo.planning.targets`        which programme target a dataset's framework is measured on
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
    PLACE_KINDS,
    candidate_table,
    column_label,
    criteria_of,
    criteria_total,
    flag_columns,
    has_data,
    place_header,
    place_kind,
    table_framework_of,
    with_former_districts,
    with_place,
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
    group_keys,
    group_label,
)
from ntm_geo.planning.matrix import gap_matrix, not_met_counts
from ntm_geo.planning.progress import (
    SUMMARY_BY,
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
    available_components,
    available_presets,
    preset,
    rank,
)
from ntm_geo.planning.shortlist import SHORTLIST_CLASS, SHORTLIST_STYLE, shortlist_layer, shortlist_rows
from ntm_geo.planning.targets import ProgrammeTarget, report_48_target, target_for

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
    "PLACE_KINDS",
    "PRESETS",
    "SHORTLIST_CLASS",
    "SHORTLIST_STYLE",
    "STANDARD",
    "SUMMARY_BY",
    "Component",
    "Filters",
    "GroupBand",
    "Preset",
    "ProgrammeTarget",
    "Progress",
    "RankingResult",
    "RankingWeights",
    "ScenarioResult",
    "apply_filters",
    "available_components",
    "available_presets",
    "candidate_table",
    "column_label",
    "criteria_of",
    "criteria_total",
    "district_summary",
    "flag_columns",
    "gap_matrix",
    "group_counts",
    "group_key",
    "group_keys",
    "group_label",
    "has_data",
    "mean_criteria",
    "not_met_counts",
    "place_header",
    "place_kind",
    "preset",
    "progress",
    "rank",
    "report_48_target",
    "scenario",
    "shortlist_layer",
    "shortlist_rows",
    "table_framework_of",
    "target_2020",
    "target_for",
    "with_former_districts",
    "with_place",
]
