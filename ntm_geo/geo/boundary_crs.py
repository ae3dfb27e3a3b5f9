"""Coordinates of an uploaded boundary file: CRS, VN-2000 datum, province check, offset from the map.

Used by :mod:`ntm_geo.geo.boundary_upload`.

Coordinate systems
------------------
Any CRS PROJ understands: WGS84 lon/lat, WGS84 / UTM, VN-2000 geographic (EPSG:4756), VN-2000 /
UTM 48N and 49N (EPSG:3405, EPSG:3406), and the provincial VN-2000 TM-3° zone of Lạng Sơn
(central meridian 107°15′, k = 0.9999, :data:`VN2000_LANG_SON_TM3`). A file without ``.prj``
raises :class:`~ntm_geo.errors.BoundaryError` asking for the CRS; the caller then passes one of
:data:`CRS_CHOICES` (or any EPSG code / PROJ string) as ``crs=``.

VN-2000 definitions **without datum parameters** (a ``.prj`` written by most GIS software loses
the ``TOWGS84`` clause: Esri WKT has none) are read by PROJ as "WGS84 ellipsoid, no datum shift",
which puts Lạng Sơn features **≈ 224 m** off (measured at 106.76° E, 21.85° N; see
``tests/test_boundary_upload.py``). A transverse Mercator CRS on the WGS84 ellipsoid with scale
factor 0.9999 (the VN-2000 provincial TM-3° convention) or a datum named VN-2000, without a datum
transformation, is therefore completed with the official 7 parameters of Decision
05/2007/QĐ-BTNMT (:data:`VN2000_TOWGS84`) and the report says so, with the shift it corrected.
(EPSG's own transformation 6960 for EPSG:3405/3406 uses the same numbers in the coordinate-frame
convention; the two differ by ≈ 0.8 m here, within the 1 m accuracy EPSG states.)

After reprojection to EPSG:4326 every feature must lie inside Lạng Sơn's bounding box with a
margin (:data:`PROVINCE_BBOX`); otherwise the file is refused with a hint (x/y swapped, wrong UTM
or TM-3° zone, naming the choice that would fit).

Checked against the boundaries in use
-------------------------------------
Each matched unit's polygon is compared with the reference polygon of its code
(:func:`misplaced_units`); the median offset from the reference is measured and, for a
projected file clearly off, a CRS of :data:`CRS_CHOICES` that fits better is suggested
(a generic VN-2000 ``.prj`` with k = 0.9996 and no datum parameters: 863 m off).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError
from ntm_geo.geo import boundaries as bnd
from ntm_geo.geo.upload_files import RawBoundaries

VN2000_TOWGS84 = (
    "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278"
)
VN2000_LANG_SON_TM3 = (
    f"+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 {VN2000_TOWGS84} "
    "+units=m +no_defs +type=crs"
)

#: CRS a user can pick when the file has none: key -> (label_vi, label_en, definition)
CRS_CHOICES: dict[str, tuple[str, str, str]] = {
    "wgs84": ("WGS84 kinh độ/vĩ độ (EPSG:4326)", "WGS84 lon/lat (EPSG:4326)", "EPSG:4326"),
    "vn2000-lang-son-tm3": (
        "VN-2000 múi 3° Lạng Sơn, KTT 107°15′",
        "VN-2000 TM-3° Lạng Sơn, CM 107°15′",
        VN2000_LANG_SON_TM3,
    ),
    "vn2000-utm48": ("VN-2000 / UTM múi 48N (EPSG:3405)", "VN-2000 / UTM zone 48N (EPSG:3405)", "EPSG:3405"),
    "vn2000-utm49": ("VN-2000 / UTM múi 49N (EPSG:3406)", "VN-2000 / UTM zone 49N (EPSG:3406)", "EPSG:3406"),
    "vn2000": ("VN-2000 kinh độ/vĩ độ (EPSG:4756)", "VN-2000 lon/lat (EPSG:4756)", "EPSG:4756"),
    "wgs84-utm48": ("WGS84 / UTM múi 48N (EPSG:32648)", "WGS84 / UTM zone 48N (EPSG:32648)", "EPSG:32648"),
    "wgs84-utm49": ("WGS84 / UTM múi 49N (EPSG:32649)", "WGS84 / UTM zone 49N (EPSG:32649)", "EPSG:32649"),
}

#: Lạng Sơn (lon_min, lat_min, lon_max, lat_max), EPSG:4326: the units' extent
#: (106.095, 21.325, 107.364, 22.461) plus a 0.1° margin (≈ 10 km).
PROVINCE_BBOX = (105.99, 21.22, 107.47, 22.57)


# ---------------------------------------------------------------- errors
def _error(filename: str, en: str, vi: str) -> BoundaryError:
    return BoundaryError(f"{filename}: {en}", f"{filename}: {vi}", file=filename)


def _crs_list(lang: str) -> str:
    return "; ".join(f"{key} = {v[0] if lang == 'vi' else v[1]}" for key, v in CRS_CHOICES.items())


# ---------------------------------------------------------------- coordinates
def _is_vn2000_without_datum(crs: CRS) -> bool:
    if crs.is_bound:
        return False
    geodetic = crs.geodetic_crs
    if geodetic is not None and geodetic.to_epsg() == 4756:
        return False
    datum = (crs.datum.name if crs.datum else "").lower()
    if re.search(r"vn[-_ ]?2000|vietnam[-_ ]?2000", datum):
        return True
    params = {
        p.name.lower(): p.value for p in (crs.coordinate_operation.params if crs.coordinate_operation else [])
    }
    scale = params.get("scale factor at natural origin")
    ellipsoid = crs.ellipsoid.name if crs.ellipsoid else ""
    method = crs.coordinate_operation.method_name.lower() if crs.coordinate_operation else ""
    return (
        "transverse mercator" in method
        and scale is not None
        and abs(float(scale) - 0.9999) < 1e-9
        and "WGS 84" in ellipsoid
    )


def _with_vn2000_datum(crs: CRS) -> CRS:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj4 = crs.to_proj4()
    proj4 = re.sub(r"\+(datum|towgs84|nadgrids)=\S+", "", proj4)
    return CRS.from_proj4(f"{proj4} {VN2000_TOWGS84}")


def datum_shift_m(crs_without: CRS, crs_with: CRS, lon: float = 106.76, lat: float = 21.85) -> float:
    """Ground distance (m) between reading VN-2000 coordinates without and with datum parameters."""
    x, y = Transformer.from_crs("EPSG:4326", crs_with, always_xy=True).transform(lon, lat)
    lon2, lat2 = Transformer.from_crs(crs_without, "EPSG:4326", always_xy=True).transform(x, y)
    return float(Geod(ellps="WGS84").inv(lon, lat, lon2, lat2)[2])


def _inside(points: gpd.GeoSeries) -> np.ndarray:
    x0, y0, x1, y1 = PROVINCE_BBOX
    inside = (points.x >= x0) & (points.x <= x1) & (points.y >= y0) & (points.y <= y1)
    return np.asarray(inside, dtype=bool)


def _fitting_choice(features: gpd.GeoDataFrame, tried: CRS) -> str | None:
    points = features.geometry.representative_point()
    for key, (_, _, definition) in CRS_CHOICES.items():
        if CRS(definition) == tried:
            continue
        try:
            moved = gpd.GeoSeries(points.to_numpy(), crs=definition).to_crs(bnd.WEB_CRS)
        except Exception:
            continue
        if _inside(moved).all():
            return key
    return None


def to_wgs84(
    raw: RawBoundaries, filename: str, *, crs: str | None = None
) -> tuple[gpd.GeoDataFrame, str, list[tuple[str, str]]]:
    """Reproject to EPSG:4326 and check the features land in Lạng Sơn.

    Returns (features in EPSG:4326, source CRS description, notes as (vi, en) pairs).

    Raises
    ------
    BoundaryError
        No CRS in the file and none chosen; unknown ``crs``; features outside Lạng Sơn.
    """
    features = raw.features
    notes: list[tuple[str, str]] = []
    if crs:
        definition = CRS_CHOICES[crs][2] if crs in CRS_CHOICES else crs
        try:
            source = CRS(definition)
        except Exception as exc:
            raise _error(
                filename,
                f"unknown CRS {crs!r}; choose one of: {_crs_list('en')}.",
                f"hệ tọa độ {crs!r} không hợp lệ; hãy chọn một trong: {_crs_list('vi')}.",
            ) from exc
        if features.crs is not None and CRS(features.crs) != source:
            notes.append(
                (
                    f"Dùng hệ tọa độ đã chọn ({crs}) thay cho hệ ghi trong tệp.",
                    f"Using the chosen CRS ({crs}) instead of the one in the file.",
                )
            )
        features = features.set_crs(source, allow_override=True)
    elif features.crs is None:
        raise _error(
            filename,
            "the file does not say its coordinate reference system (no .prj). Choose the CRS "
            f"the coordinates were made in: {_crs_list('en')}.",
            f"tệp không ghi hệ tọa độ (thiếu tệp .prj). Hãy chọn hệ tọa độ của dữ liệu: {_crs_list('vi')}.",
        )
    source = CRS(features.crs)
    if _is_vn2000_without_datum(source):
        fixed = _with_vn2000_datum(source)
        shift = (
            datum_shift_m(source, fixed, *features.geometry.union_all().centroid.coords[0])
            if source.is_geographic
            else datum_shift_m(source, fixed, *_centroid_lonlat(features, source))
        )
        notes.append(
            (
                f"Hệ tọa độ VN-2000 trong tệp thiếu tham số chuyển đổi datum; đã áp dụng 7 tham số chính thức "
                f"(QĐ 05/2007/QĐ-BTNMT). Nếu không, ranh giới sẽ lệch khoảng {shift:.0f} m.",
                f"The file's VN-2000 CRS lacks datum parameters; the official 7 parameters (Decision "
                f"05/2007/QĐ-BTNMT) were applied. Without them the boundaries would be off by about {shift:.0f} m.",
            )
        )
        features = features.set_crs(fixed, allow_override=True)
    label = source.name if source.name and source.name != "unknown" else (source.to_proj4() or str(source))
    try:
        moved = features.to_crs(bnd.WEB_CRS)
    except Exception as exc:
        raise _error(
            filename,
            f"cannot reproject from {label} to WGS84 ({exc}).",
            f"không chuyển được từ {label} sang WGS84 ({exc}).",
        ) from exc
    points = moved.geometry.representative_point()
    inside = _inside(points)
    if not inside.all():
        n_out = int((~inside).sum())
        x, y = points[~inside].iloc[0].x, points[~inside].iloc[0].y
        swapped = gpd.GeoSeries(
            shapely.transform(features.geometry.representative_point().to_numpy(), lambda c: c[:, ::-1]),
            crs=features.crs,
        ).to_crs(bnd.WEB_CRS)
        if _inside(swapped).all():
            hint_en, hint_vi = (
                "x and y look swapped (latitude given first): swap the columns or axes and upload again.",
                "x và y có vẻ bị đảo (vĩ độ đứng trước): hãy đổi chỗ hai trục rồi tải lại.",
            )
        else:
            key = _fitting_choice(features, CRS(features.crs))
            if key:
                hint_en = (
                    f"the coordinates fit Lạng Sơn in {CRS_CHOICES[key][1]}: the CRS or zone in the file is "
                    f"probably wrong; choose {key}."
                )
                hint_vi = (
                    f"tọa độ khớp với Lạng Sơn nếu dùng {CRS_CHOICES[key][0]}: hệ tọa độ hoặc múi chiếu ghi "
                    f"trong tệp có lẽ sai; hãy chọn {key}."
                )
            else:
                hint_en = (
                    "check the CRS (a wrong UTM/TM-3° zone or x/y swapped) and that the file is Lạng Sơn's."
                )
                hint_vi = "hãy kiểm tra hệ tọa độ (sai múi UTM/TM-3° hoặc đảo x/y) và tệp có đúng của Lạng Sơn không."
        raise _error(
            filename,
            f"{n_out} of {len(moved)} features land outside Lạng Sơn after reprojection from {label} "
            f"(e.g. feature {int(np.flatnonzero(~inside)[0]) + 1} at lon {x:.4f}, lat {y:.4f}); {hint_en}",
            f"{n_out}/{len(moved)} đối tượng nằm ngoài Lạng Sơn sau khi chuyển từ {label} (ví dụ đối tượng "
            f"{int(np.flatnonzero(~inside)[0]) + 1} ở kinh độ {x:.4f}, vĩ độ {y:.4f}); {hint_vi}",
        )
    return moved, label, notes


def _centroid_lonlat(features: gpd.GeoDataFrame, source: CRS) -> tuple[float, float]:
    centre = features.geometry.union_all().centroid
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Transformer.from_crs(source, "EPSG:4326", always_xy=True).transform(centre.x, centre.y)


# ---------------------------------------------------------------- check against the reference
#: a unit is misplaced when its representative point lies farther than this from the reference
#: polygon of the same code (m), or its area ratio to that polygon is outside AREA_RATIO_RANGE
MISPLACED_BUFFER_M = 1000.0
#: ... or more than this (m) from it while inside another reference unit (small urban wards)
NEIGHBOUR_TOLERANCE_M = 250.0
AREA_RATIO_RANGE = (0.4, 2.5)
#: a median offset from the reference above this (m) questions the CRS (two digitisations of
#: the same boundaries differ by tens of metres; a datum or scale error by hundreds)
OFFSET_QUESTION_M = 100.0


def median_offset_m(points: gpd.GeoSeries, reference_points: gpd.GeoSeries) -> float:
    """Length (m) of the median displacement vector between matched points (both in WORK_CRS)."""
    dx = np.median(points.x.to_numpy() - reference_points.x.to_numpy())
    dy = np.median(points.y.to_numpy() - reference_points.y.to_numpy())
    return float(np.hypot(dx, dy))


def misplaced_units(
    communes: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, rows: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """Units whose uploaded polygon disagrees with the reference polygon of the same code.

    ``communes`` and ``reference`` have ``commune_code`` and polygons (any CRS); ``rows`` maps a
    code to the 1-based feature number in the file. A unit disagrees when its representative
    point is more than :data:`MISPLACED_BUFFER_M` from the reference polygon (or more than
    :data:`NEIGHBOUR_TOLERANCE_M` and inside another reference unit), or its area ratio
    is outside :data:`AREA_RATIO_RANGE` (codes shifted by a row, a wrong file). Each row gives
    ``row``, ``code``, ``name``, ``district``, ``distance_m`` (centroid to centroid),
    ``area_ratio``, ``lies_in`` (code and name of the reference unit holding the point, if any),
    ``reason_vi``, ``reason_en``.
    """
    ref = reference.set_index("commune_code").to_crs(bnd.WORK_CRS)
    up = communes[communes["commune_code"].isin(ref.index)].to_crs(bnd.WORK_CRS)
    if up.empty:
        return []
    ref_geom = gpd.GeoSeries(ref.geometry.loc[up["commune_code"]].to_numpy(), crs=bnd.WORK_CRS)
    points = gpd.GeoSeries(up.geometry.representative_point().to_numpy(), crs=bnd.WORK_CRS)
    gap = points.distance(ref_geom).to_numpy()
    in_other = np.zeros(len(up), dtype=bool)
    near = np.flatnonzero(gap > NEIGHBOUR_TOLERANCE_M)
    if len(near):
        hits = ref.sindex.query(points.iloc[near].to_numpy(), predicate="within")
        in_other[near[np.unique(hits[0])]] = True
    far = (gap > MISPLACED_BUFFER_M) | in_other
    ratio = up.geometry.area.to_numpy() / np.maximum(ref_geom.area.to_numpy(), 1.0)
    odd = (ratio < AREA_RATIO_RANGE[0]) | (ratio > AREA_RATIO_RANGE[1])
    distance = up.geometry.centroid.distance(ref_geom.centroid, align=False).to_numpy()
    out = []
    for i in np.flatnonzero(far | odd):
        unit = up.iloc[i]
        holder = ref.index[ref.geometry.contains(points.iloc[i])]
        lies_in = {"code": holder[0], "name": ref.at[holder[0], "name_with_type"]} if len(holder) else None
        where_en = f"; its polygon lies in {lies_in['name']} ({lies_in['code']})" if lies_in else ""
        where_vi = f"; vùng của nó nằm trong {lies_in['name']} ({lies_in['code']})" if lies_in else ""
        out.append(
            {
                "row": (rows or {}).get(unit["commune_code"]),
                "code": unit["commune_code"],
                "name": unit["name_with_type"],
                "district": unit["district_name"],
                "distance_m": round(float(distance[i])),
                "area_ratio": round(float(ratio[i]), 2),
                "lies_in": lies_in,
                "reason_vi": f"cách ranh giới tham chiếu {distance[i] / 1000:.1f} km, diện tích gấp "
                f"{ratio[i]:.2f} lần{where_vi}",
                "reason_en": f"{distance[i] / 1000:.1f} km from the reference boundary, area "
                f"{ratio[i]:.2f} × the reference{where_en}",
            }
        )
    return out


def crs_suggestion(
    raw: gpd.GeoDataFrame, keep: list[int], codes: list[str], reference: gpd.GeoDataFrame, used: float
) -> tuple[str, float] | None:
    """(key of CRS_CHOICES, median offset in m) of a definition that puts the file's coordinates
    clearly closer to the reference than the one used (``used`` m), or None."""
    if raw.crs is None or not CRS(raw.crs).is_projected:
        return None
    ref = reference.set_index("commune_code").to_crs(bnd.WORK_CRS)
    ref_points = gpd.GeoSeries(ref.geometry.loc[codes].centroid.to_numpy(), crs=bnd.WORK_CRS)
    centres = raw.geometry.iloc[keep].centroid.to_numpy()
    best: tuple[str, float] | None = None
    for key, (_, _, definition) in CRS_CHOICES.items():
        candidate = CRS(definition)
        if not candidate.is_projected or candidate == CRS(raw.crs):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moved = gpd.GeoSeries(centres, crs=candidate).to_crs(bnd.WORK_CRS)
        offset = median_offset_m(moved, ref_points)
        if best is None or offset < best[1]:
            best = (key, offset)
    if best is not None and best[1] < min(used / 2, OFFSET_QUESTION_M):
        return best
    return None


def preview_png(
    communes: gpd.GeoDataFrame,
    reference: gpd.GeoDataFrame,
    *,
    misplaced: list[str] | None = None,
    offset_m: float | None = None,
    lang: str = "vi",
) -> bytes:
    """A PNG (about 640 × 640 px) of the uploaded units over the reference boundaries.

    Reference units in grey, uploaded ones outlined in blue, units in ``misplaced`` (codes) filled
    in red; the title gives the median offset (m). Both frames in any CRS (drawn in
    :data:`ntm_geo.geo.boundaries.WORK_CRS`, metres). For the data page, before saving.
    """
    import io

    from matplotlib.figure import Figure  # no pyplot state: saved through the Agg canvas

    figure = Figure(figsize=(6.4, 6.4), dpi=100)
    axes = figure.add_subplot()
    ref = reference.to_crs(bnd.WORK_CRS)
    up = communes.to_crs(bnd.WORK_CRS)
    ref.plot(ax=axes, facecolor="#f2f2f2", edgecolor="#9e9e9e", linewidth=0.6)
    bad = up[up["commune_code"].isin(misplaced or [])]
    if len(bad):
        bad.plot(ax=axes, facecolor="#e53935", edgecolor="#b71c1c", alpha=0.6, linewidth=0.8)
    up.plot(ax=axes, facecolor="none", edgecolor="#1565c0", linewidth=0.7)
    axes.set_axis_off()
    title = (
        ("Xám: ranh giới đang dùng; xanh: tệp tải lên", "Grey: boundaries in use; blue: the upload")
        if offset_m is None
        else (
            f"Xám: ranh giới đang dùng; xanh: tệp tải lên (lệch trung vị {offset_m:.0f} m)",
            f"Grey: boundaries in use; blue: the upload (median offset {offset_m:.0f} m)",
        )
    )
    axes.set_title(Bilingual(*title).pick(lang), fontsize=9)
    if len(bad):
        axes.text(
            0.01,
            0.01,
            Bilingual("Đỏ: đơn vị lệch chỗ", "Red: units out of place").pick(lang),
            transform=axes.transAxes,
            fontsize=8,
            color="#b71c1c",
        )
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
