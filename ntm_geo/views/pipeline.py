"""One view, one pipeline: a :class:`~ntm_geo.views.viewstate.ViewState` resolved into the joined,
classified frame and its legend — load → join → classify, written once.

The map page and the planner (through :mod:`app_pages.common`'s cached wrappers), the
presentation, the standalone HTML export and the static PNG/PDF maps all call
:func:`resolve`; a page passes the frozen ``ViewState`` it shows, and caches key on it.

Examples
--------
>>> from ntm_geo.views.viewstate import ViewState                       # doctest: +SKIP
>>> r = resolve(ViewState(year=2011, theme="poverty", var="poverty_rate_pct"),
...             load_boundaries().communes_web)                          # doctest: +SKIP
>>> r.view.classification.counts, r.source                              # doctest: +SKIP
((45, 61, 52, 40, 28), 'Dữ liệu minh họa')
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.i18n import t
from ntm_geo.maps.themes import ChoroplethView, compute_view, join_dataset
from ntm_geo.views.viewstate import ViewState


@dataclass(frozen=True, eq=False)
class ResolvedView:
    """A view ready to draw or export.

    Attributes
    ----------
    state : ViewState
        The view resolved.
    info : DatasetInfo
        Its dataset (name, source, illustrative or not).
    joined : GeoDataFrame
        The communes given to :func:`resolve` (same rows, order and CRS) joined to the dataset's
        table for ``state.year`` (:func:`ntm_geo.maps.themes.join_dataset`).
    view : ChoroplethView
        ``state.var`` classified (classes, colours, legend labels, display values), in
        ``state.lang``.
    """

    state: ViewState
    info: DatasetInfo
    joined: gpd.GeoDataFrame
    view: ChoroplethView

    @property
    def source(self) -> str:
        """The source line of maps and exports: "Dữ liệu minh họa" or the dataset's name."""
        return source_label(self.info, self.state.lang)


def source_label(info: DatasetInfo, lang: str) -> str:
    """ "Dữ liệu minh họa" / "Illustrative data" for the illustrative dataset, else its name."""
    if info.illustrative:
        return t("illustrative_data", lang)
    return Bilingual(info.name_vi, info.name_en).pick(lang)


def classify(state: ViewState, joined: gpd.GeoDataFrame) -> ChoroplethView:
    """The classification step alone, on an already joined frame (cached separately by pages)."""
    return compute_view(joined, state.var, scheme=state.scheme, k=state.k, lang=state.lang)


def join(state: ViewState, communes: gpd.GeoDataFrame, table: pd.DataFrame | None = None) -> gpd.GeoDataFrame:
    """The load and join steps: ``communes`` joined to ``state.dataset``'s table of ``state.year``
    (``table`` when the caller already has it)."""
    data = catalog.load_year(state.dataset, state.year) if table is None else table
    return join_dataset(communes, data)


def resolve(
    state: ViewState, communes: gpd.GeoDataFrame, *, joined: gpd.GeoDataFrame | None = None
) -> ResolvedView:
    """Load the dataset year of ``state``, join it to ``communes`` and classify ``state.var``.

    Parameters
    ----------
    state : ViewState
        Dataset, year, variable, scheme, k and language are used.
    communes : GeoDataFrame
        Commune polygons (``commune_code``, ``assessed``, geometry; any CRS — the result keeps it):
        ``communes_web`` for maps in the browser, full-resolution ``communes`` for print.
    joined : GeoDataFrame, optional
        The already joined frame for ``(state.dataset, state.year)`` (a page's cache); then
        nothing is loaded.

    Raises
    ------
    ConfigError
        Unknown dataset, a year the dataset lacks, unknown variable or scheme, ``k`` out of range.
    """
    info = catalog.get_dataset(state.dataset)
    frame = join(state, communes) if joined is None else joined
    return ResolvedView(state, info, frame, classify(state, frame))
