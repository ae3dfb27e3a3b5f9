"""A map view as a GeoPackage for QGIS: units, values, classes, districts, metadata and the app's style.

:func:`build_geopackage` writes (with pyogrio/GDAL, then :mod:`sqlite3` for the GeoPackage
tables GDAL does not write):

``communes`` (EPSG:4326)
    One row per unit of the view (the district's units when ``state.district`` is set; units
    without data are kept with empty values), boundary geometry at full precision (the cleaned
    censusVN2009 polygons, not the web-simplified ones; on the 2025 units the 65 polygons of
    vietnamese-provinces-database). Columns: :data:`UNIT_COLUMNS` (on the 2025 units
    :data:`UNIT_COLUMNS_2025`: no ``district_code``/``district_name``, there is no district level), ``year``,
    every column of the view's dataset (``c01``..``c19`` boolean, ``criteria_met``, ``*_pct`` in %,
    flags), ``infra_criteria_met``, then the map: ``map_value`` (the value as the map shows it),
    ``map_class`` (class index 0..k-1 from low to high; -1 no data, -2 not assessed — the app's
    :data:`~ntm_geo.maps.classify.NO_DATA`, :data:`~ntm_geo.maps.classify.NOT_ASSESSED`),
    ``class_label`` (the legend's label), ``class_color`` (hex), ``class_low``/``class_high``
    (the class's inclusive range; empty for the two special classes).
``communes_vn2000``
    The same rows in the provincial VN-2000 CRS of Lạng Sơn (transverse Mercator, central
    meridian 107°15′, k = 0.9999, false easting 500 km, with the VN-2000 → WGS84 datum shift of
    Decision 05/2007/QĐ-BTNMT): :data:`ntm_geo.geo.boundary_upload.VN2000_LANG_SON_TM3`, metres.
``districts`` (EPSG:4326; 2015 units only)
    The districts dissolved from the full-precision units (``district_code``, ``district_name``,
    ``population_2009``, ``area_km2``, ``units``).
``former_districts`` (EPSG:4326; 2025 units, only with ``former_districts=True``)
    Context: the former (2015) districts along the 2025 unit edges (each 2025 unit in the former
    district holding most of its area, :func:`ntm_geo.exports.view_data.former_district_outlines`):
    ``district_code``, ``district_name`` (2015), ``units`` (2025 units), ``label`` ("huyện cũ
    (trước 1/7/2025)"); dashed grey outline style.
``ntm_metadata`` (no geometry)
    ``key``, ``value``, ``label_vi``, ``label_en``: dataset, year, boundary vintage, unit vintage
    (``unit_vintage`` "2015" | "2025"), criteria framework, source, illustrative, derived
    (values carried from the 2015 units), variable, scheme, classes, app version, export time,
    CRSs — and the
    provenance rows the table exports carry (:mod:`ntm_geo.datasets.provenance`).

Column aliases (Vietnamese and English, :func:`ntm_geo.exports.tables.column_label`) go into the
``gpkg_data_columns`` table (GeoPackage schema extension: ``name`` and ``title`` in the export's
language, ``description`` both) and into the QML. The style — a categorized renderer on
``map_class`` with the app's colours and legend labels, the not-assessed and no-data classes
included; white unit edges — is stored in the ``layer_styles`` table (as QGIS writes it) as the
default style of both commune layers (:mod:`ntm_geo.exports.qgis_style`), so QGIS opens them coloured as in the app; ``districts``
gets an outline style.

Shapefile is not offered: it truncates column names to 10 bytes and cannot hold Vietnamese text
safely (code pages), see the README.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.errors import ConfigError
from ntm_geo.exports.qgis_style import class_labels, district_qml, legend_classes, style_qml
from ntm_geo.exports.tables import column_label, infra_criteria, provenance_for
from ntm_geo.exports.view_data import (
    FORMER_DISTRICT_LABEL,
    ExportData,
    boundaries_for,
    export_data,
    former_district_outlines,
)
from ntm_geo.geo.boundaries import Boundaries
from ntm_geo.geo.boundary_upload import VN2000_LANG_SON_TM3
from ntm_geo.maps.themes import INFRA_CRITERIA, ChoroplethView, variable
from ntm_geo.views.viewstate import ViewState

__all__ = [
    "LAYER_COMMUNES",
    "LAYER_COMMUNES_VN2000",
    "LAYER_DISTRICTS",
    "LAYER_FORMER_DISTRICTS",
    "TABLE_METADATA",
    "build_geopackage",
    "commune_layer",
    "district_qml",
    "legend_classes",
    "require_variable",
    "style_qml",
    "vn2000_crs",
]

LAYER_COMMUNES = "communes"
LAYER_COMMUNES_VN2000 = "communes_vn2000"
LAYER_DISTRICTS = "districts"
LAYER_FORMER_DISTRICTS = "former_districts"
TABLE_METADATA = "ntm_metadata"
STYLE_NAME = "ntm-geo"
UNIT_COLUMNS: tuple[str, ...] = (
    "commune_code",
    "name_with_type",
    "name",
    "district_code",
    "district_name",
    "unit_type",
    "assessed",
    "population_2009",
    "area_km2",
)
UNIT_COLUMNS_2025: tuple[str, ...] = tuple(c for c in UNIT_COLUMNS if not c.startswith("district_"))
"""Unit columns on the 65 units of 2025 (no district level; ``year`` follows ``name``)."""
MAP_COLUMNS: tuple[str, ...] = (
    "map_value",
    "map_class",
    "class_label",
    "class_color",
    "class_low",
    "class_high",
)
VN2000_NAME = "VN-2000 / Lạng Sơn TM-3° (KTT 107°15′, k=0.9999)"


def vn2000_crs() -> CRS:
    """The provincial VN-2000 CRS of Lạng Sơn (:data:`~ntm_geo.geo.boundary_upload.VN2000_LANG_SON_TM3`),
    named so QGIS shows which it is.

    The datum is deliberately *not* named "Vietnam 2000": PROJ would identify it as EPSG:6756 and
    replace the app's datum shift by an EPSG transformation (see :func:`_fix_srs`)."""
    crs = CRS.from_proj4(VN2000_LANG_SON_TM3)
    spec = crs.to_json_dict()
    if spec.get("type") == "BoundCRS":  # the datum shift (towgs84) kept; the projected CRS named
        spec["source_crs"]["name"] = VN2000_NAME
        spec["source_crs"]["base_crs"]["name"] = "VN-2000"
        spec["source_crs"]["base_crs"]["datum"]["name"] = "VN-2000 (QĐ 05/2007/QĐ-BTNMT)"
    return CRS.from_json_dict(spec)


def _fix_srs(con: sqlite3.Connection, layer: str, crs: CRS) -> None:
    """Store ``crs`` of ``layer`` as PROJ writes it (WKT1 ``definition``, WKT2 ``definition_12_063``).

    The app's datum shift (:data:`~ntm_geo.geo.boundary_upload.VN2000_TOWGS84`, a PROJ
    ``+towgs84``: position-vector rotations) uses the numbers of EPSG's "VN-2000 to WGS 84 (2)",
    which EPSG gives as *coordinate-frame* rotations: the two readings are 0.77 m apart in Lạng Sơn.
    GDAL, handed the CRS by pyogrio, stores the rotations with the sign flipped (EPSG's reading).
    Here the file stores the app's own definition, so GDAL (``ogr2ogr``, tests/test_geopackage.py)
    reprojects the VN-2000 layer onto the WGS84 one within a centimetre. Which reading is right is
    the boundary upload's question (one definition, in :mod:`ntm_geo.geo.boundary_upload`)."""
    (srs_id,) = con.execute(
        "SELECT srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
    ).fetchone()
    con.execute(
        "UPDATE gpkg_spatial_ref_sys SET definition = ?, definition_12_063 = ? WHERE srs_id = ?",
        (crs.to_wkt("WKT1_GDAL"), crs.to_wkt("WKT2_2019"), srs_id),
    )


def require_variable(dataset: pd.DataFrame, state: ViewState) -> None:
    """Refuse a view whose dataset lacks the chosen variable (rather than writing an empty layer).

    Raises
    ------
    ConfigError
        The dataset has no column for ``state.var`` (for ``infra_criteria_met``: one of the
        criteria 2–9), or no unit has a value for it; the message names the dataset, year and
        variable and lists the variables that do have values.
    """
    var = variable(state.var)
    needed = list(INFRA_CRITERIA) if var.key == "infra_criteria_met" else [var.key]
    missing = [c for c in needed if c not in dataset.columns]
    empty = not missing and not dataset[needed].notna().to_numpy().any()
    if not (missing or empty):
        return
    has = [
        k
        for k in (
            "criteria_met",
            "poverty_rate_pct",
            "road_hardened_pct",
            "electricity_hh_pct",
            "irrigated_cropland_pct",
            "hygienic_water_hh_pct",
            "car_access_all_season",
        )
        if k in dataset.columns and dataset[k].notna().any()
    ]
    listing = ", ".join(has) or "—"
    why_en = f"has no column {', '.join(missing)}" if missing else "has no value in any unit"
    why_vi = f"không có cột {', '.join(missing)}" if missing else "không có giá trị ở đơn vị nào"
    raise ConfigError(
        f"Dataset {state.dataset!r}, year {state.year}: variable {var.key!r} ({var.label_en}) {why_en}; "
        f"nothing to export. Variables with values: {listing}.",
        f"Bộ dữ liệu {state.dataset!r}, năm {state.year}: biến {var.key!r} ({var.label_vi}) {why_vi}; "
        f"không có gì để xuất. Các biến có số liệu: {listing}.",
    )


def commune_layer(
    state: ViewState, boundaries: Boundaries | None = None, *, former_districts: bool = False
) -> tuple[gpd.GeoDataFrame, ChoroplethView, ExportData]:
    """The ``communes`` layer (EPSG:4326, full precision; columns in the module docstring), the
    view it was classified with (all units of the province, as the app does) and the resolved
    export (:class:`~ntm_geo.exports.view_data.ExportData`: dataset, units, derived or not).

    Raises
    ------
    ConfigError
        Invalid ``state`` (:func:`ntm_geo.exports.static_map.check_view`), or the dataset lacks the
        variable (:func:`require_variable`).
    """
    data = export_data(state, boundaries, former_districts=former_districts)
    if data.has_districts:
        require_variable(data.dataset, state)
    view, joined = data.view, data.joined
    result = view.classification
    data_columns = data.value_columns()
    unit_columns = UNIT_COLUMNS if data.has_districts else UNIT_COLUMNS_2025
    layer = pd.DataFrame(joined[[c for c in unit_columns if c in joined.columns]])
    after = "district_name" if data.has_districts else "name"
    layer.insert(layer.columns.get_loc(after) + 1, "year", np.int32(state.year))
    # the count of criteria 2–9 only under a framework with that infrastructure block (not 51/2025)
    infra = ["infra_criteria_met"] if data.framework is None or infra_criteria(data.framework.id) else []
    for column in [*data_columns, *infra]:
        layer[column] = joined[column].array
    if data.framework is not None and "framework_id" not in layer:
        layer["framework_id"] = data.framework.id
    yb = np.asarray(result.yb, dtype=int)
    labels = class_labels(view, state.lang)
    layer["map_value"] = list(view.display_values)
    layer["map_class"] = yb.astype(np.int32)
    layer["class_label"] = [labels[c] for c in yb]
    layer["class_color"] = list(view.fills)
    low = {i: c.low for i, c in enumerate(result.classes)}
    high = {i: c.high for i, c in enumerate(result.classes)}
    layer["class_low"] = pd.array([low.get(c) for c in yb], dtype="Float64")
    layer["class_high"] = pd.array([high.get(c) for c in yb], dtype="Float64")
    out = gpd.GeoDataFrame(layer, geometry=joined.geometry.to_numpy(), crs=joined.crs)
    if state.district:
        out = out[out["district_code"] == state.district]
    return out.reset_index(drop=True), view, data


# --------------------------------------------------------------------------- layers


def district_layer(communes: gpd.GeoDataFrame, boundaries: Boundaries) -> gpd.GeoDataFrame:
    """Districts dissolved from full-precision units (a coverage: ``shapely.coverage_union_all``)."""
    rows = []
    web = boundaries.districts_web.set_index("district_code")
    for code, group in communes.groupby("district_code", sort=True):
        rows.append(
            {
                "district_code": code,
                "district_name": str(web.loc[code, "district_name"]),
                "population_2009": int(group["population_2009"].sum()),
                "area_km2": float(group["area_km2"].sum()),
                "units": np.int32(len(group)),
                "geometry": shapely.coverage_union_all(group.geometry.to_numpy()),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=communes.crs)


def _metadata(
    state: ViewState,
    info: DatasetInfo,
    view: ChoroplethView,
    units: int,
    stamp: datetime,
    boundary_vintage: str,
    derived: bool,
    data: ExportData,
    district_table: str,
) -> pd.DataFrame:
    from ntm_geo.maps.classify import scheme_label

    provenance = provenance_for(info, state.year, now=stamp, derived=derived)
    var = view.variable
    scheme = view.classification.scheme
    scheme_text = scheme_label(scheme, "en") if scheme not in ("fixed", "binary") else scheme
    rows = [
        ("dataset_id", info.id, "Mã bộ dữ liệu", "Dataset id"),
        ("dataset_name", f"{info.name_vi} / {info.name_en}", "Bộ dữ liệu", "Dataset"),
        ("year", str(state.year), "Năm", "Year"),
        ("vintage", boundary_vintage, "Ranh giới (phiên bản)", "Boundary vintage"),
        ("source", info.source, "Nguồn số liệu", "Data source"),
        (
            "illustrative",
            "illustrative — DỮ LIỆU MINH HỌA, không phải số liệu thật / not real figures"
            if info.illustrative
            else "false",
            "Dữ liệu minh họa",
            "Illustrative data",
        ),
        ("derived", "derived" if provenance.derived else "false", "Dữ liệu suy ra", "Derived data"),
        ("note", (f"{info.note_vi} / {info.note_en}" if info.illustrative else ""), "Ghi chú", "Note"),
        ("variable", f"{var.key}: {var.label_vi} / {var.label_en}", "Biến bản đồ", "Map variable"),
        ("scheme", f"{scheme_text}, k={view.classification.k}", "Phân lớp", "Classification"),
        ("district", state.district or "", "Huyện (mã)", "District (code)"),
        ("unit_vintage", data.vintage.key, "Bộ đơn vị hành chính", "Unit vintage"),
        (
            "unit_vintage_label",
            f"{data.vintage.label_vi} / {data.vintage.label_en}",
            "Bộ đơn vị hành chính",
            "Unit vintage",
        ),
        ("framework", data.framework.decision if data.framework else "", "Bộ tiêu chí", "Criteria framework"),
        ("units", str(units), "Số đơn vị", "Units"),
        (
            "crs",
            f"EPSG:4326 ({LAYER_COMMUNES}{', ' + district_table if district_table else ''}); "
            f"{VN2000_NAME} ({LAYER_COMMUNES_VN2000})",
            "Hệ tọa độ",
            "CRS",
        ),
        ("app_version", provenance.app_version, "Phiên bản ntm-geo", "ntm-geo version"),
        ("exported_at", provenance.exported_at, "Thời điểm xuất (UTC)", "Export time (UTC)"),
    ]
    table = pd.DataFrame(rows, columns=["key", "value", "label_vi", "label_en"])
    marks = pd.DataFrame(
        [(f"provenance.{k}", v, "", "") for _, k, v in provenance.rows()],
        columns=["key", "value", "label_vi", "label_en"],
    )
    return pd.concat([table, marks], ignore_index=True)


def _write_extras(
    path: Path,
    styles: dict[str, str],
    aliases: dict[str, list[str]],
    lang: str,
    vn2000: CRS,
    framework: str | None = None,
) -> None:
    """``layer_styles`` (QGIS's table, default styles), ``gpkg_data_columns`` (aliases; criteria
    named by ``framework``, the layers' framework id), the VN-2000 CRS definition (:func:`_fix_srs`)."""
    con = sqlite3.connect(path)
    try:
        _fix_srs(con, LAYER_COMMUNES_VN2000, vn2000)
        cur = con.cursor()
        cur.execute(
            "CREATE TABLE layer_styles (id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), "
            "f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256), "
            "styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN, description TEXT, "
            "owner TEXT(30), ui TEXT(30), update_time DATETIME DEFAULT CURRENT_TIMESTAMP)"
        )
        for table, qml in styles.items():
            cur.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "styleName, styleQML, styleSLD, useAsDefault, description, owner) "
                "VALUES ('', '', ?, 'geom', ?, ?, '', 1, ?, 'ntm-geo')",
                (table, STYLE_NAME, qml, "Màu như trong ứng dụng / colours as in the app"),
            )
        cur.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles', "
            "strftime('%Y-%m-%dT%H:%M:%fZ','now'))"
        )
        cur.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, "
            "name TEXT, title TEXT, description TEXT, mime_type TEXT, constraint_name TEXT, "
            "CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
            "CONSTRAINT gdc_tn UNIQUE (table_name, name))"
        )
        cur.execute(
            "CREATE TABLE IF NOT EXISTS gpkg_extensions (table_name TEXT, column_name TEXT, "
            "extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL, "
            "CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"
        )
        for ext_table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
            cur.execute(
                "INSERT OR IGNORE INTO gpkg_extensions VALUES (?, NULL, 'gpkg_schema', "
                "'http://www.geopackage.org/spec/#extension_schema', 'read-write')",
                (ext_table,),
            )
        for table, fields in aliases.items():
            for f in fields:
                label = column_label(f, lang, default=f, framework=framework)
                vi = column_label(f, "vi", default=f, framework=framework)
                both = f"{vi} / {column_label(f, 'en', default=f, framework=framework)}"
                cur.execute(
                    "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, title, description) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (table, f, label, label, both),
                )
        con.commit()
    finally:
        con.close()


def build_geopackage(
    state: ViewState,
    *,
    boundaries: Boundaries | None = None,
    now: datetime | None = None,
    boundary_vintage: str | None = None,
    former_districts: bool = False,
) -> bytes:
    """The view as GeoPackage bytes (layers and tables in the module docstring).

    Parameters
    ----------
    state : ViewState
        The view as the page shows it (dataset, year, variable, scheme, k, district, language of
        labels and aliases).
    boundaries : Boundaries, optional
        Default: the boundary cache (:func:`ntm_geo.geo.boundaries.load_boundaries`).
    now : datetime, optional
        Export time (default: now, UTC).
    boundary_vintage : str, optional
        Which boundaries these are (default: the maps' source line,
        :func:`ntm_geo.geo.boundary_upload.boundaries_source_line`, in both languages).
    former_districts : bool
        On the 2025 units: add the former (2015) districts layer (``former_districts``).

    Raises
    ------
    ConfigError
        Invalid ``state``, or the dataset lacks the variable (:func:`require_variable`).
    """
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    communes, view, data = commune_layer(state, boundaries, former_districts=former_districts)
    state, info = data.state, data.info
    if data.has_districts:  # all districts: context for a district view
        b = boundaries_for(state, boundaries)
        districts, district_table = district_layer(b.communes, b), LAYER_DISTRICTS
    else:  # no district level since 1 July 2025: the former districts only when asked, named so
        districts = former_district_outlines(data.joined) if data.former_districts else None
        district_table = LAYER_FORMER_DISTRICTS if districts is not None else ""
        if districts is not None:
            districts["label"] = FORMER_DISTRICT_LABEL.pick(state.lang)
    vintage = boundary_vintage or " / ".join(data.boundary_line(lang) for lang in ("vi", "en"))
    meta = _metadata(state, info, view, len(communes), stamp, vintage, data.derived, data, district_table)
    fields = [c for c in communes.columns if c != "geometry"]
    district_fields = [c for c in districts.columns if c != "geometry"] if districts is not None else []
    with tempfile.TemporaryDirectory(prefix="ntm_gpkg_") as tmp:
        path = Path(tmp) / "export.gpkg"
        # GeoPackage 1.2 (read by GDAL 2.x/3.x and every QGIS 3) with the WKT2 CRS column
        options = {"VERSION": "1.2", "CRS_WKT_EXTENSION": "YES"}
        pyogrio.write_dataframe(communes, path, layer=LAYER_COMMUNES, driver="GPKG", dataset_options=options)
        vn2000 = vn2000_crs()
        pyogrio.write_dataframe(communes.to_crs(vn2000), path, layer=LAYER_COMMUNES_VN2000, driver="GPKG")
        if districts is not None:
            pyogrio.write_dataframe(districts, path, layer=district_table, driver="GPKG")
        pyogrio.write_dataframe(meta, path, layer=TABLE_METADATA, driver="GPKG")
        fid = data.framework.id if data.framework is not None else None
        qml = style_qml(view, state.lang, fields, fid)
        styles = {LAYER_COMMUNES: qml, LAYER_COMMUNES_VN2000: qml}
        aliases = {
            LAYER_COMMUNES: fields,
            LAYER_COMMUNES_VN2000: fields,
            TABLE_METADATA: ["key", "value", "label_vi", "label_en"],
        }
        if districts is not None:
            styles[district_table] = district_qml(
                state.lang, district_fields, dashed=district_table == LAYER_FORMER_DISTRICTS
            )
            aliases[district_table] = district_fields
        _write_extras(path, styles, aliases, state.lang, vn2000, fid)
        return path.read_bytes()
