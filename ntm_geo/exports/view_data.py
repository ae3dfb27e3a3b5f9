"""One step from a view (:class:`~ntm_geo.views.viewstate.ViewState`) to what every export draws or writes.

:func:`export_data` loads the dataset's year, joins it to the units the view is on (the 226
units of 2015 with their 11 districts, or the 65 units of 1 July 2025 with no district level),
classifies the variable with the app's pipeline (:func:`ntm_geo.views.pipeline.classify`: the
same classes, colours and counts as the map page; criteria against the dataset's own framework,
e.g. "6/10" under Decision 51/2025) and says where the values come from:

* a dataset keyed by the 2025 units: its own values (not derived);
* a 2015 dataset asked on the 2025 units: carried by :func:`ntm_geo.datasets.carry.carry_to_2025`
  (area overlay, 2009 population weights) — every value **derived**, and every export says so.

The static map, the standalone HTML, the GeoPackage and the Excel/CSV table all start here.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import Framework
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.errors import ConfigError
from ntm_geo.exports.spec import check_view, on_units
from ntm_geo.geo.boundaries import Boundaries
from ntm_geo.geo.boundary_upload import boundaries_source_line
from ntm_geo.geo.vintages import RESOLUTION_2025, Vintage, get_vintage
from ntm_geo.maps.themes import VARIABLES, ChoroplethView, table_framework, variable
from ntm_geo.views import pipeline
from ntm_geo.views.viewstate import ViewState

__all__ = [
    "FORMER_DISTRICT_LABEL",
    "ExportData",
    "boundaries_for",
    "export_data",
    "former_district_outlines",
]

#: Label of the former (2015) district outlines drawn as context on the 2025 units.
FORMER_DISTRICT_LABEL = Bilingual("huyện cũ (trước 1/7/2025)", "former district (before 1 July 2025)")
DERIVED = Bilingual(
    "Số liệu suy ra từ 226 đơn vị 2015 (chồng lớp diện tích; tỷ lệ gia quyền dân số 2009).",
    "Values derived from the 226 units of 2015 (area overlay; rates weighted by 2009 population).",
)
NO_DISTRICTS = Bilingual(
    f"Từ 01/7/2025 không còn cấp huyện (Nghị quyết {RESOLUTION_2025}).",
    f"No district level since 1 July 2025 (Resolution {RESOLUTION_2025}).",
)


@dataclass(frozen=True, eq=False)
class ExportData:
    """A checked view resolved into the joined, classified table an export is made of.

    Attributes
    ----------
    state : ViewState
        The view, ``units`` set to the vintage drawn (:func:`ntm_geo.exports.spec.on_units`).
    info : DatasetInfo
        The dataset.
    vintage : Vintage
        The units (:data:`ntm_geo.geo.vintages.VINTAGES`).
    dataset : DataFrame
        The year's table as joined: the dataset's own, or carried to the 2025 units.
    joined : GeoDataFrame
        One row per unit of ``vintage`` (code order of the boundaries), EPSG:4326, the units'
        columns (``district_code``/``district_name`` empty on the 2025 units) joined to
        ``dataset`` (:func:`ntm_geo.maps.themes.join_dataset`).
    view : ChoroplethView
        ``state.var`` classified over every unit of the province.
    derived : bool
        The values were derived (carried from the 2015 units, or a table marked ``derived``).
    former_districts : bool
        Export option: draw the former (2015) district outlines (2025 units only).
    """

    state: ViewState
    info: DatasetInfo
    vintage: Vintage
    dataset: pd.DataFrame
    joined: gpd.GeoDataFrame
    view: ChoroplethView
    derived: bool
    former_districts: bool = False

    @property
    def has_districts(self) -> bool:
        """Whether the units have a district level (the 2015 units)."""
        return self.vintage.has_districts

    @property
    def framework(self) -> Framework | None:
        """The criteria framework of the table (e.g. 51/2025), or None."""
        return table_framework(self.joined)

    def source(self, lang: str) -> str:
        """The map's data source label: "Dữ liệu minh họa" or the dataset's name, then the units
        when they are those of 2025 (and "derived" when carried)."""
        text = pipeline.source_label(self.info, lang)
        if self.vintage.key == "2025":
            if self.derived:
                text += " · " + Bilingual(
                    "số liệu suy ra từ đơn vị 2015", "derived from the 2015 units"
                ).pick(lang)
            text += " · " + Bilingual(self.vintage.label_vi, self.vintage.label_en).pick(lang)
        return text

    def boundary_line(self, lang: str) -> str:
        """The boundaries' source line (the active 2015 set, or the 2025 boundary file)."""
        if self.vintage.key == "2025":
            return Bilingual("Ranh giới: ", "Boundaries: ").pick(lang) + self.vintage.source_line(lang) + "."
        return boundaries_source_line(lang)

    def notes(self, lang: str) -> list[str]:
        """Notes every export carries: illustrative data, derived values, no district level."""
        out = []
        if self.info.illustrative:
            out.append(Bilingual(self.info.note_vi, self.info.note_en).pick(lang))
        if self.derived:
            out.append(DERIVED.pick(lang))
        if self.vintage.key == "2025":
            out.append(NO_DISTRICTS.pick(lang))
        return out

    def framework_line(self, lang: str) -> str:
        """ "Bộ tiêu chí: QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí)" when the table has a framework."""
        fw = self.framework
        if fw is None:
            return ""
        first, last = fw.years
        return Bilingual(
            f"Bộ tiêu chí: QĐ {fw.decision} ({first}–{last}, {len(fw.criteria)} tiêu chí)",
            f"Criteria framework: Decision {fw.decision} ({first}–{last}, {len(fw.criteria)} criteria)",
        ).pick(lang)

    def value_columns(self) -> list[str]:
        """The dataset's value columns to export (``commune_code`` and ``year`` left out), without
        criterion columns outside the table's framework (``c11``..``c19`` under 51/2025)."""
        from ntm_geo.criteria.framework import CRITERION_COLUMNS

        fw = self.framework
        outside = set(CRITERION_COLUMNS) - set(fw.criterion_keys) if fw is not None else set()
        return [c for c in self.dataset.columns if c not in ("commune_code", "year") and c not in outside]

    def commune_groups(self) -> dict[int, int]:
        """Units per commune group (nhóm 1/2/3 of 51/2025) when the table gives ``commune_group``."""
        if "commune_group" not in self.joined.columns:
            return {}
        groups = pd.to_numeric(self.joined["commune_group"], errors="coerce").dropna().astype(int)
        return {int(g): int(n) for g, n in groups.value_counts().sort_index().items()}


def boundaries_for(state: ViewState, boundaries: Boundaries | None = None) -> Boundaries:
    """The boundaries ``state`` is drawn on: ``boundaries`` when they are of its units (the 2015
    set has districts, the 2025 set has none), else loaded from the cache of that vintage."""
    units = on_units(state).units
    if boundaries is not None and bool(len(boundaries.districts_web)) == get_vintage(units).has_districts:
        return boundaries
    return get_vintage(units).load_boundaries()


def _year_table(state: ViewState) -> tuple[pd.DataFrame, bool]:
    """The dataset's year on ``state.units``, and whether its values are derived."""
    info = catalog.get_dataset(state.dataset)
    table = catalog.load_year(state.dataset, state.year)
    if state.units == "2025" and info.vintage != "2025":
        from ntm_geo.datasets.carry import carry_to_2025

        return carry_to_2025(table).table, True
    derived = "derived" in table.columns and bool(table["derived"].fillna(False).astype(bool).any())
    return table, derived


def _require_values(data: ExportData) -> None:
    """Refuse a variable with no value in any unit (e.g. the criteria of a carried dataset)."""
    var = data.view.variable
    column = data.joined[var.key] if var.key in data.joined.columns else pd.Series(dtype=float)
    if column.notna().any():
        return
    usable = [
        c for c in data.joined.columns if c in VARIABLES and data.joined[c].notna().any() and c != var.key
    ]
    listing = ", ".join(usable) or "—"
    state = data.state
    raise ConfigError(
        f"Dataset {state.dataset!r}, year {state.year}, {data.vintage.label_en}: variable {var.key!r} "
        f"({var.label_en}) has no value in any unit; nothing to export. Variables with values: {listing}.",
        f"Bộ dữ liệu {state.dataset!r}, năm {state.year}, {data.vintage.label_vi}: biến {var.key!r} "
        f"({var.label_vi}) không có giá trị ở đơn vị nào; không có gì để xuất. Các biến có số liệu: {listing}.",
    )


def export_data(
    state: ViewState,
    boundaries: Boundaries | None = None,
    *,
    former_districts: bool = False,
    web: bool = False,
    require_values: bool = False,
) -> ExportData:
    """Check ``state``, join its dataset year to its units and classify (as the map page does).

    Parameters
    ----------
    state : ViewState
        The view to export (dataset, year, var, scheme, k, district, lang, units; checked by
        :func:`ntm_geo.exports.spec.check_view`).
    boundaries : Boundaries, optional
        Boundaries already loaded (the app's cached copy); used when they are of the view's units
        (:func:`boundaries_for`), else those are loaded.
    former_districts : bool
        Export option: the former (2015) district outlines as context (2025 units only).
    web : bool
        Use the web-simplified units (HTML, tables) instead of the full-precision ones (print,
        GeoPackage).
    require_values : bool
        Refuse (:class:`ConfigError`) a variable without a value in any unit (on the 2025 units
        this is always checked: a carried dataset has no criteria to colour).

    Raises
    ------
    ConfigError
        Invalid view; a criterion outside the dataset's framework; a variable without values.
    """
    b2015 = boundaries if boundaries is not None and len(boundaries.districts_web) else None
    info = check_view(state, b2015, former_districts=former_districts)
    state = on_units(state, info)
    vintage = get_vintage(state.units)
    b = boundaries_for(state, boundaries)
    units = b.communes_web if web else b.communes
    table, derived = _year_table(state)
    if state.units == "2025":
        units = units.assign(district_code=None, district_name="")
    joined = pipeline.join(state, units, table)
    variable(state.var, table_framework(joined))  # a criterion of another framework: a clear error
    view = pipeline.classify(state, joined)
    data = ExportData(state, info, vintage, table, joined, view, derived, former_districts)
    if require_values or state.units == "2025":
        _require_values(data)
    return data


def former_district_outlines(joined: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The former (2015) districts drawn along the 2025 unit edges: each 2025 unit goes to the
    former district holding most of its area (:func:`ntm_geo.geo.crosswalk.former_districts_2025`;
    62 of 65 units have ≥ 90 % of their area in one), dissolved as a coverage.

    Returns
    -------
    GeoDataFrame
        One row per former district: ``district_code``, ``district_name`` (2015 name),
        ``units`` (2025 units in it), geometry (CRS of ``joined``).
    """
    from ntm_geo.geo.crosswalk import former_districts_2025

    former = former_districts_2025().set_index("commune_code")
    frame = joined[["commune_code", "geometry"]].assign(
        district_code=joined["commune_code"].map(former["district_code"]),
        district_name=joined["commune_code"].map(former["district_name"]),
    )
    rows = [
        {
            "district_code": code,
            "district_name": str(group["district_name"].iloc[0]),
            "units": len(group),
            "geometry": shapely.coverage_union_all(group.geometry.to_numpy()),
        }
        for code, group in frame.dropna(subset=["district_code"]).groupby("district_code", sort=True)
    ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=joined.crs)
