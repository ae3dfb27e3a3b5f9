"""Years of a dataset, stepping through them, and one classification shared by several years.

The years always come from the data (:mod:`ntm_geo.datasets.catalog`): a dataset may hold any
year from :data:`FIRST_YEAR` on, and every view (map page, links, slides, change map, the
timeline and the small multiples of the "Theo năm / Over the years" page) offers exactly those.

Small multiples put up to :data:`MAX_PANELS` years side by side with **one** classification
computed over the values of every shown year together (:func:`shared_views`), so a colour means
the same range in every panel and one legend serves them all — as DHIS2's thematic maps do for
their timeline and split views. A per-year classification would make a commune that did not
change look as if it had.

Examples
--------
>>> nearest_year(2013, (2011, 2015))
2015
>>> step_year(2015, (2011, 2015, 2017), +1)
2017
>>> spread_years((2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018), 4)
(2011, 2013, 2016, 2018)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from ntm_geo.datasets import catalog
from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import NO_DATA, NOT_ASSESSED, classify_fixed
from ntm_geo.maps.themes import ChoroplethView, compute_view, variable

#: Natural breaks (Fisher-Jenks) cost O(n²): 0.2 s for one year's 226 units but ~4-13 s for
#: four years' 904 on this project's 2-core machines (mapclassify without numba). Over more
#: values the breaks are computed on this many values taken at evenly spaced ranks (the minimum
#: and the maximum included, so every value falls in a class) -- deterministic, so a link
#: always gives the same classes.
JENKS_SAMPLE = 300
FIRST_YEAR = 2011  # the programme's first year (Decision 800/QĐ-TTg of 2010, criteria 491/2009)
MAX_PANELS = 6  # small multiples: at most six maps side by side stay readable at 1024×768


def dataset_years(dataset_id: str) -> tuple[int, ...]:
    """The years ``dataset_id`` has a table for, oldest first (raises ``ConfigError`` when unknown)."""
    return tuple(sorted(catalog.get_dataset(dataset_id).years))


def nearest_year(year: int, years: Iterable[int]) -> int:
    """The year of ``years`` closest to ``year`` (on a tie the later one: newer data).

    Raises
    ------
    ConfigError
        ``years`` is empty.
    """
    have = sorted(set(years))
    if not have:
        raise ConfigError("No year to choose from.", "Không có năm nào để chọn.")
    return min(have, key=lambda y: (abs(y - year), -y))


def step_year(year: int, years: Iterable[int], delta: int, *, wrap: bool = False) -> int:
    """The year ``delta`` places after (``+1``) or before (``-1``) ``year`` in ``years``.

    Stops at the first and last year, or with ``wrap`` goes round (the timeline's play). A
    ``year`` not in ``years`` is first moved to :func:`nearest_year`.
    """
    have = sorted(set(years))
    index = have.index(nearest_year(year, have)) + delta
    if wrap:
        return have[index % len(have)]
    return have[max(0, min(len(have) - 1, index))]


def spread_years(years: Iterable[int], n: int = MAX_PANELS) -> tuple[int, ...]:
    """At most ``n`` of ``years`` spread evenly from the first to the last (both kept), oldest
    first: the small multiples' default choice."""
    have = sorted(set(years))
    if len(have) <= n:
        return tuple(have)
    if n == 1:
        return (have[-1],)
    picks = sorted({have[round(i * (len(have) - 1) / (n - 1))] for i in range(n)})
    return tuple(picks)


def check_panels(years: Sequence[int], available: Iterable[int]) -> tuple[int, ...]:
    """The small multiples' years, sorted, duplicates dropped.

    Raises
    ------
    ConfigError
        No year, more than :data:`MAX_PANELS`, or a year the dataset lacks (listing its years).
    """
    have = set(available)
    chosen = tuple(sorted(set(years)))
    if not chosen:
        raise ConfigError("Choose at least one year.", "Hãy chọn ít nhất một năm.")
    if len(chosen) > MAX_PANELS:
        raise ConfigError(
            f"At most {MAX_PANELS} years side by side ({len(chosen)} chosen).",
            f"Tối đa {MAX_PANELS} năm cạnh nhau (đã chọn {len(chosen)}).",
        )
    missing = [y for y in chosen if y not in have]
    if missing:
        allowed = ", ".join(map(str, sorted(have)))
        raise ConfigError(
            f"The dataset has no table for {', '.join(map(str, missing))}; its years: {allowed}.",
            f"Bộ dữ liệu không có số liệu năm {', '.join(map(str, missing))}; các năm có: {allowed}.",
        )
    return chosen


@dataclass(frozen=True)
class SharedViews:
    """One classification over several years, and each year's view of it.

    Attributes
    ----------
    years : tuple of int
        The years, oldest first.
    overall : ChoroplethView
        The classification of every year's units stacked (``n_years × n_units`` rows, years in
        order): its classes and colours are the shared legend.
    by_year : dict of int to ChoroplethView
        Per year: the same classes and colours, that year's class per unit (``yb``, shape
        ``(n_units,)``, same row order as its joined frame), fills, display values and counts.
    """

    years: tuple[int, ...]
    overall: ChoroplethView
    by_year: Mapping[int, ChoroplethView]

    def legend_rows(self, lang: str = "vi") -> list[tuple[str, str, tuple[int, ...]]]:
        """(colour, label, units per year in :attr:`years` order) per legend row, highest class
        first, "no data" and "not assessed" last when some year has them."""
        rows = self.overall.classification.legend_entries(lang)
        per_year = [dict((c, n) for c, _, n in v.classification.legend_entries(lang)) for v in self._views()]
        return [
            (color, label, tuple(counts.get(color, 0) for counts in per_year)) for color, label, _ in rows
        ]

    def _views(self) -> list[ChoroplethView]:
        return [self.by_year[y] for y in self.years]


def _slice(view: ChoroplethView, start: int, stop: int) -> ChoroplethView:
    c = view.classification
    yb = c.yb[start:stop].copy()
    counts = tuple(int((yb == i).sum()) for i in range(c.k))
    part = replace(
        c,
        yb=yb,
        counts=counts,
        n_no_data=int((yb == NO_DATA).sum()),
        n_not_assessed=int((yb == NOT_ASSESSED).sum()),
    )
    return ChoroplethView(view.variable, part, view.fills[start:stop], view.display_values[start:stop])


def _rank_sample(stacked: pd.DataFrame, column: str, n: int) -> pd.DataFrame:
    """``n`` rows of ``stacked`` at evenly spaced ranks of its values (first and last included)."""
    order = pd.to_numeric(stacked[column].astype("Float64"), errors="coerce").sort_values(na_position="first")
    picks = np.unique(np.linspace(0, len(order) - 1, n).round().astype(int))
    return stacked.loc[order.index[picks]].reset_index(drop=True)


def _classify(stacked: pd.DataFrame, variable_key: str, scheme: str, k: int, lang: str) -> ChoroplethView:
    """:func:`compute_view` of the stacked years; natural breaks over more than
    :data:`JENKS_SAMPLE` values take their classes from a rank sample of them."""
    var = variable(variable_key)
    if scheme != "natural_breaks" or var.kind in ("fixed", "binary"):
        return compute_view(stacked, variable_key, scheme=scheme, k=k, lang=lang)
    # equal intervals are fast; their display values and special classes are those of any scheme
    quick = compute_view(stacked, variable_key, scheme="equal_interval", k=k, lang=lang)
    usable = stacked.loc[quick.classification.yb >= 0]
    if len(usable) <= JENKS_SAMPLE:
        return compute_view(stacked, variable_key, scheme=scheme, k=k, lang=lang)
    sample = compute_view(
        _rank_sample(usable, var.key, JENKS_SAMPLE), variable_key, scheme=scheme, k=k, lang=lang
    )
    c = sample.classification
    values = pd.to_numeric(stacked[var.key].astype("Float64"), errors="coerce")
    assessed = stacked["assessed"].to_numpy(dtype=bool) if var.assessed_only else None
    result = replace(
        classify_fixed(values, c.classes, c.colors, assessed),
        scheme=c.scheme,
        note_vi=c.note_vi,
        note_en=c.note_en,
    )
    return ChoroplethView(var, result, tuple(result.fill_colors()), quick.display_values)


def shared_views(
    joined: Mapping[int, gpd.GeoDataFrame],
    variable_key: str,
    *,
    scheme: str = "natural_breaks",
    k: int = 5,
    lang: str = "vi",
) -> SharedViews:
    """Classify ``variable_key`` once over every year of ``joined`` and split it per year.

    Parameters
    ----------
    joined : mapping of year to GeoDataFrame
        Joined tables (:func:`ntm_geo.maps.themes.join_dataset`, columns ``assessed`` and the
        variable), any number of rows each; a variable missing from a year is "no data" there.
    variable_key, scheme, k, lang
        As :func:`ntm_geo.maps.themes.compute_view`. Fixed and yes/no variables already have
        the same classes every year; data-driven schemes (natural breaks, quantiles, equal
        interval) get their breaks from all years' values together.

    Raises
    ------
    ConfigError
        No year given; or what ``compute_view`` raises (unknown variable or scheme, bad ``k``).
    """
    years = tuple(sorted(joined))
    if not years:
        raise ConfigError("No year to classify.", "Không có năm nào để phân lớp.")
    frames = [pd.DataFrame(joined[y].drop(columns="geometry", errors="ignore")) for y in years]
    stacked = pd.concat(frames, ignore_index=True)
    overall = _classify(stacked, variable_key, scheme, k, lang)
    offsets = np.cumsum([0, *(len(f) for f in frames)])
    by_year = {y: _slice(overall, int(offsets[i]), int(offsets[i + 1])) for i, y in enumerate(years)}
    return SharedViews(years, overall, by_year)
