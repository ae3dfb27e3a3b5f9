"""What the planner page computes once per run and hands to each tab (:class:`PlannerContext`)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.planning import ranking as pl
from ntm_geo.planning.candidates import CriterionLike


@dataclass(frozen=True, eq=False)
class PlannerContext:
    """One run of the planner page.

    ``candidates_all``: the candidate table of the dataset year (:func:`pl.candidate_table`);
    ``filtered`` the rows passing the sidebar filters and ``ranking`` their ranking;
    ``xa_names``: code -> "Xã … — place" of every assessed xã; ``criteria`` / ``place`` /
    ``target``: the dataset's framework criteria, what names a unit's place
    (:func:`pl.place_kind`) and the programme target it is measured on (None: no target tab);
    ``summary_by``: "district", "commune_group" or None (no summary tab).
    """

    lang: str
    dataset_id: str
    year: int
    info: DatasetInfo
    units: str
    source_label: str
    table_full: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    candidates_all: pd.DataFrame
    filtered: pd.DataFrame
    ranking: pl.RankingResult
    xa_names: dict[str, str]
    criteria: tuple[CriterionLike, ...]
    place: str
    target: pl.ProgrammeTarget | None
    sel_districts: tuple[str, ...]
    summary_by: str | None

    @property
    def ranked(self) -> pd.DataFrame:
        return self.ranking.table

    @property
    def ranked_codes(self) -> list[str]:
        return list(self.ranking.table["commune_code"])

    @property
    def n_criteria(self) -> int:
        return len(self.criteria)

    @property
    def first_year(self) -> int:
        """The dataset's first year: the summary compares the year shown with it."""
        return min(self.info.years)
