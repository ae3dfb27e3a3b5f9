"""What a static map draws: :class:`MapData`, made by :func:`prepare` from a view (the units and
districts projected to UTM 48N, EPSG:32648, metres, so the scale bar is measured in map units).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.exports.spec import district_names
from ntm_geo.exports.view_data import ExportData, export_data, former_district_outlines
from ntm_geo.geo.boundaries import WORK_CRS, Boundaries, dissolve_districts, load_boundaries
from ntm_geo.maps.themes import ChoroplethView
from ntm_geo.views.viewstate import ViewState


@dataclass(frozen=True)
class MapData:
    """Everything drawn: projected tables (EPSG:32648), the view, the dataset, labels.

    ``districts`` are the 2015 districts dissolved from ``communes`` (edges match exactly), none
    on the 2025 units — or there, with ``former_districts``, the former districts drawn along the
    2025 unit edges (:func:`ntm_geo.exports.view_data.former_district_outlines`)."""

    communes: gpd.GeoDataFrame  # joined table, UTM 48N, same row order as ``view``
    districts: gpd.GeoDataFrame
    view: ChoroplethView
    info: DatasetInfo
    district_name: str
    data: ExportData

    @property
    def former(self) -> bool:
        """Whether ``districts`` are the former districts (context on the 2025 units)."""
        return not self.data.has_districts and len(self.districts) > 0


def prepare(
    state: ViewState, boundaries: Boundaries | None = None, *, former_districts: bool = False
) -> MapData:
    """Check ``state``, join the dataset to the full-resolution units and classify (as the app
    does); ``former_districts``: the former district outlines on the 2025 units."""
    data = export_data(state, boundaries, former_districts=former_districts)
    communes = data.joined.to_crs(WORK_CRS)
    if data.has_districts:
        districts = dissolve_districts(communes)
        b = boundaries if boundaries is not None and len(boundaries.districts_web) else load_boundaries()
        name = district_names(b).get(state.district, "") if state.district else ""
    elif data.former_districts:
        districts, name = former_district_outlines(communes), ""
    else:
        districts, name = communes.iloc[:0][["geometry"]].assign(district_code="", district_name=""), ""
    return MapData(communes, districts, data.view, data.info, name, data)
