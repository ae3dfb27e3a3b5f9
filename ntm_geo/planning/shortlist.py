"""The shortlist: the shortlisted xã side by side with localised headers, and the map layer that
outlines them."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import schema
from ntm_geo.planning.candidates import (
    INDICATOR_COLUMNS,
    column_label,
    criteria_of,
    has_data,
    place_header,
    place_kind,
)

if TYPE_CHECKING:  # folium and geopandas are imported where the map layer is built
    import folium
    import geopandas as gpd


# --------------------------------------------------------------------------- shortlist
def shortlist_rows(table: pd.DataFrame, codes: Iterable[str], lang: str = "vi") -> pd.DataFrame:
    """The shortlisted xã, one row each (in ``codes`` order), with localised column headers.

    Index: ``commune_code``. Columns: name, its place (district, or commune group on the 2025
    units; none when the table has neither, :func:`ntm_geo.planning.candidates.place_kind`),
    criteria met, gap, group, criteria not met, poverty rate (%), population (people), the
    infrastructure indicators, infrastructure criteria met and "especially difficult" — each only
    when ``table`` has data for it — and the criteria of the table's framework (19, or 10 under
    51/2025) as ✓ / ✗ (— = no data). Codes not in ``table`` are skipped. For a side-by-side comparison
    use ``shortlist_rows(...).set_index(<name column>).T``.
    """
    by_code = table.set_index("commune_code")
    wanted = [c for c in codes if c in by_code.index]
    rows = by_code.loc[wanted]
    yes, no = Bilingual("Có", "Yes").pick(lang), Bilingual("Không", "No").pick(lang)

    def yn(v: object) -> str:
        return "—" if pd.isna(v) else (yes if bool(v) else no)

    def num(v: float | None, d: int) -> float | None:
        return None if v is None or pd.isna(v) else round(float(v), d)

    out = pd.DataFrame(index=pd.Index(wanted, name="commune_code"))
    out[column_label("name", lang)] = rows["name"].to_numpy()
    kind = place_kind(table)
    if kind != "none":
        out[place_header(kind, lang)] = rows["place"].to_numpy()
    out[column_label("criteria_met", lang)] = [None if pd.isna(v) else int(v) for v in rows["criteria_met"]]
    out[column_label("gap", lang)] = [None if pd.isna(v) else int(v) for v in rows["gap"]]
    out[column_label("group_label", lang)] = rows["group_label"].to_numpy()
    out[column_label("missing_label", lang)] = rows["missing_label"].to_numpy()
    out[column_label("poverty_rate_pct", lang)] = [num(v, 1) for v in rows["poverty_rate_pct"]]
    if has_data(table, "population"):
        out[column_label("population", lang)] = [None if pd.isna(v) else int(v) for v in rows["population"]]
    for col in INDICATOR_COLUMNS:  # the registry's infrastructure indicators: numbers, then yes/no
        if has_data(table, col):
            numeric = schema.column(col).kind == "indicator"
            out[column_label(col, lang)] = [num(v, 1) if numeric else yn(v) for v in rows[col]]
    if has_data(table, "infra_criteria_met"):
        out[column_label("infra_criteria_met", lang)] = [
            None if pd.isna(v) else int(v) for v in rows["infra_criteria_met"]
        ]
    if has_data(table, "especially_difficult"):
        out[column_label("especially_difficult", lang)] = [yn(v) for v in rows["especially_difficult"]]
    for c in criteria_of(table):
        out[c.label(lang)] = ["—" if pd.isna(v) else ("✓" if bool(v) else "✗") for v in rows[c.code]]
    return out


# --------------------------------------------------------------------------- map layer
SHORTLIST_CLASS = "ntm-shortlist"
SHORTLIST_STYLE = {"color": "#7b3294", "weight": 4, "dashArray": "8 5", "fill": False, "opacity": 1.0}


def shortlist_layer(
    communes: gpd.GeoDataFrame, codes: Iterable[str], *, name: str = "shortlist"
) -> folium.FeatureGroup:
    """A folium FeatureGroup outlining the shortlisted communes (purple dashed border, no fill,
    not interactive so clicks reach the commune below; CSS class ``ntm-shortlist``).

    ``communes``: GeoDataFrame with ``commune_code`` and geometry (reprojected to EPSG:4326).
    Only the geometry is sent to the browser (no text, nothing to escape).
    """
    import folium  # map layer only; the rest of this module needs no folium

    wanted = set(codes)
    gdf = communes.loc[communes["commune_code"].isin(wanted), ["geometry"]]
    gdf = gdf.to_crs(4326) if gdf.crs is not None else gdf
    group = folium.FeatureGroup(name=name)
    if len(gdf):
        style = {**SHORTLIST_STYLE, "className": SHORTLIST_CLASS}
        group.add_child(
            folium.GeoJson(
                gdf.__geo_interface__, name=name, style_function=lambda _: style, interactive=False
            )
        )
    return group
