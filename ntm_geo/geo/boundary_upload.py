"""Replacement commune boundaries uploaded by the province: read, reproject, check, match, save.

Accepted files (at most :data:`MAX_BYTES`): a **zipped shapefile** (``.shp`` + ``.shx`` + ``.dbf``,
``.prj`` and ``.cpg`` when present, possibly in a sub-folder of the zip), a **GeoPackage**
(``.gpkg``, one polygon layer) or **GeoJSON**. A file whose first bytes do not fit its extension
is refused.

Reading and content checks are in :mod:`ntm_geo.geo.upload_files`, coordinates and the check
against the map in :mod:`ntm_geo.geo.boundary_crs`; their public names are re-exported here.

Matching
--------
Features are matched to the 226 official units as uploaded tables are
(:class:`ntm_geo.datasets.matching.UnitIndex`): by GSO code (``commune_code``/``MA_XA``/...) unless
the feature's name names another unit, or by district + canonical name
(:func:`ntm_geo.geo.units.split_unit_name`), never by similarity: fuzzy candidates (rapidfuzz)
are only suggestions the user confirms (``confirmed={feature: code}``). Each matched polygon is
then checked against the boundaries in use (:func:`misplaced_units`), and the median offset from
them measured (a CRS that fits clearly better is suggested).

The result is a GeoDataFrame in the commune contract of :mod:`ntm_geo.geo.boundaries`
(:data:`~ntm_geo.geo.boundaries.COMMUNE_COLUMNS`, EPSG:4326) plus a match report; it can be saved
only when every official unit has exactly one polygon, in its place, and the CRS is not in
question (:attr:`BoundaryImport.complete`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import store
from ntm_geo.datasets.matching import Match, UnitIndex, normalise_code
from ntm_geo.errors import BoundaryError, DataError
from ntm_geo.geo import boundaries as bnd
from ntm_geo.geo import boundary_crs as boundary_crs
from ntm_geo.geo import safe_ogr as safe_ogr
from ntm_geo.geo import upload_files as upload_files
from ntm_geo.geo.boundary_crs import CRS_CHOICES as CRS_CHOICES
from ntm_geo.geo.boundary_crs import PROVINCE_BBOX as PROVINCE_BBOX
from ntm_geo.geo.boundary_crs import VN2000_LANG_SON_TM3 as VN2000_LANG_SON_TM3
from ntm_geo.geo.boundary_crs import VN2000_TOWGS84 as VN2000_TOWGS84
from ntm_geo.geo.boundary_crs import crs_suggestion, median_offset_m
from ntm_geo.geo.boundary_crs import datum_shift_m as datum_shift_m
from ntm_geo.geo.boundary_crs import misplaced_units as misplaced_units
from ntm_geo.geo.boundary_crs import to_wgs84 as to_wgs84
from ntm_geo.geo.units import official_units
from ntm_geo.geo.upload_files import CODE_COLUMNS, DISTRICT_COLUMNS, NAME_COLUMNS, find_column
from ntm_geo.geo.upload_files import EXTENSIONS as EXTENSIONS
from ntm_geo.geo.upload_files import MAX_BYTES as MAX_BYTES
from ntm_geo.geo.upload_files import MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES
from ntm_geo.geo.upload_files import MAX_ZIP_MEMBERS as MAX_ZIP_MEMBERS
from ntm_geo.geo.upload_files import RawBoundaries as RawBoundaries
from ntm_geo.geo.upload_files import read_file as read_file


# ---------------------------------------------------------------- errors
def _error(filename: str, en: str, vi: str) -> BoundaryError:
    return BoundaryError(f"{filename}: {en}", f"{filename}: {vi}", file=filename)


# ---------------------------------------------------------------- matching
def _cell(value: Any) -> str | None:
    """A feature attribute as the text a table cell would hold (None when empty)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    return text or None


def _row(
    i: int,
    code: str | None,
    name: str,
    district: str,
    rule: str | None,
    reason: tuple[str, str] | None,
    suggestions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "row": i + 1,
        "code": code,
        "name": name,
        "district": district,
        "rule": rule,
        "reason_vi": reason[0] if reason else "",
        "reason_en": reason[1] if reason else "",
        "suggestions": suggestions or [],
    }


@lru_cache(maxsize=1)
def _unit_index() -> UnitIndex:
    return UnitIndex(official_units())


def _suggestions(match: Match) -> list[dict[str, Any]]:
    """The match's suggestions as report rows (code, name, district, score)."""
    by_code = official_units().set_index("commune_code")
    return [
        {
            "code": code,
            "name": by_code.at[code, "name_with_type"],
            "district": by_code.at[code, "district_name"],
            "score": round(float(score)),
        }
        for code, _, score in match.suggestions
    ]


#: rule of :class:`ntm_geo.datasets.matching.Match` -> rule in the boundary report
_RULES = {"code": "code", "name": "district+name"}


def match_features(
    features: gpd.GeoDataFrame, filename: str, confirmed: Mapping[int, str] | None = None
) -> tuple[list[str | None], dict[str, Any]]:
    """Match each feature to an official unit; returns (unit code per feature or None, report).

    The rules are those of uploaded tables (:class:`ntm_geo.datasets.matching.UnitIndex`): GSO
    code — refused when the feature's name or district names another unit (codes shifted by a
    row) —, then district + canonical name (type word respected when written; a name unique in
    the province needs no district), then a user-confirmed suggestion (``confirmed``: 1-based
    feature number -> code). Report keys: ``matched`` (``rule`` "code", "district+name" or
    "confirmed"), ``unmatched`` (with reason and fuzzy ``suggestions``), ``duplicates`` (features
    claiming one unit), ``units_without_feature``; each row has ``row`` (1-based feature number),
    ``code``, ``name``, ``district`` (as written), ``rule``, ``reason_vi``, ``reason_en``.
    """
    official = official_units()
    index = _unit_index()
    columns = [c for c in features.columns if c != features.geometry.name]
    code_col = find_column(columns, CODE_COLUMNS)
    name_col = find_column(columns, NAME_COLUMNS)
    district_col = find_column(columns, DISTRICT_COLUMNS)
    if code_col is None and name_col is None:
        raise _error(
            filename,
            f"no unit code or name column found among: {', '.join(columns) or '(none)'}. Name "
            "the code column commune_code (or MA_XA) and the name column TEN_XA (with HUYEN for the district).",
            f"không thấy cột mã hay tên đơn vị trong các cột: {', '.join(columns) or '(không có)'}. Hãy "
            "đặt tên cột mã là commune_code (hoặc MA_XA) và cột tên là TEN_XA (kèm cột HUYEN).",
        )
    confirmed = {int(k): str(v) for k, v in (confirmed or {}).items()}

    assigned: list[str | None] = []
    rows: list[dict[str, Any]] = []
    for i, feature in enumerate(features.itertuples(index=False)):
        values = feature._asdict()
        name = _cell(values.get(name_col)) if name_col else None
        district = _cell(values.get(district_col)) if district_col else None
        raw_code = _cell(values.get(code_col)) if code_col else None
        shown = (name or "", district or "")
        if feature_geometry_empty(values[features.geometry.name]):
            assigned.append(None)
            rows.append(
                _row(
                    i,
                    normalise_code(raw_code),
                    *shown,
                    None,
                    ("đối tượng không có hình học", "empty geometry"),
                )
            )
            continue
        match = index.match(code=raw_code, name=name, district=district)
        if match.commune_code is not None:
            assigned.append(match.commune_code)
            note = (match.note_vi, match.note_en or "") if match.note_vi else None
            rows.append(_row(i, match.commune_code, *shown, _RULES[match.rule or "name"], note))
        elif index.has(confirmed.get(i + 1, "")):
            assigned.append(confirmed[i + 1])
            rows.append(_row(i, confirmed[i + 1], *shown, "confirmed", None))
        else:
            assigned.append(None)
            reason = (match.reason_vi or "", match.reason_en or "")
            rows.append(_row(i, normalise_code(raw_code), *shown, None, reason, _suggestions(match)))

    counts = pd.Series([c for c in assigned if c is not None]).value_counts()
    twice = set(counts[counts > 1].index)
    report = {
        "matched": [r for r, c in zip(rows, assigned, strict=True) if c is not None and c not in twice],
        "unmatched": [r for r, c in zip(rows, assigned, strict=True) if c is None],
        "duplicates": [
            r
            | {
                "reason_vi": "nhiều đối tượng cùng khớp một đơn vị",
                "reason_en": "several features match this unit",
            }
            for r, c in zip(rows, assigned, strict=True)
            if c in twice
        ],
        "units_without_feature": [
            {"code": u.commune_code, "name": u.name_with_type, "district": u.district_name}
            for u in official.itertuples()
            if u.commune_code not in set(assigned)
        ],
    }
    return assigned, report


def feature_geometry_empty(geometry: Any) -> bool:
    return geometry is None or shapely.is_empty(geometry)


# ---------------------------------------------------------------- the whole import
@dataclass(frozen=True)
class BoundaryImport:
    """An uploaded boundary file, reprojected and matched.

    ``communes``: matched units (one row per unit matched exactly once) in the commune contract
    (:data:`ntm_geo.geo.boundaries.COMMUNE_COLUMNS`), EPSG:4326, coverage cleaned, ``area_km2`` in km²
    (equal-area), ``population_2009`` from the built-in census boundaries (people).
    """

    filename: str
    communes: gpd.GeoDataFrame
    report: dict[str, Any]
    source_crs: str
    encoding: str
    notes: tuple[tuple[str, str], ...] = field(default=())

    offset_m: float | None = None

    @property
    def complete(self) -> bool:
        """Every official unit has exactly one polygon, none disagrees with the reference and the
        CRS is not in question (required to save)."""
        r = self.report
        return not (
            r["duplicates"] or r["units_without_feature"] or r.get("misplaced") or r.get("crs_suggestion")
        )

    def summary(self, lang: str = "vi") -> str:
        r = self.report
        n = (len(r["matched"]), len(r["unmatched"]), len(r["duplicates"]), len(r["units_without_feature"]))
        bad = len(r.get("misplaced", []))
        text = Bilingual(
            f"{n[0]} khớp, {n[1]} không khớp, {n[2]} trùng, {n[3]} đơn vị chưa có ranh giới",
            f"{n[0]} matched, {n[1]} unmatched, {n[2]} duplicates, {n[3]} units without a polygon",
        )
        if bad:
            text = Bilingual(
                f"{text.vi}, {bad} đơn vị lệch khỏi ranh giới tham chiếu",
                f"{text.en}, {bad} units disagreeing with the reference boundaries",
            )
        return text.pick(lang)


def import_boundaries(
    data: bytes,
    filename: str,
    *,
    crs: str | None = None,
    encoding: str | None = None,
    confirmed: Mapping[int, str] | None = None,
    reference: gpd.GeoDataFrame | None = None,
) -> BoundaryImport:
    """Read, reproject, check and match an uploaded boundary file (see the module docstring).

    Parameters
    ----------
    data, filename : the upload's bytes and name (the extension chooses the format).
    crs : key of :data:`CRS_CHOICES`, EPSG code or PROJ string; needed when the file has no CRS.
    encoding : shapefile text codec, overriding ``.cpg`` and detection ("utf-8", "cp1258", ...).
    confirmed : {1-based feature number: unit code} — fuzzy suggestions the user accepted.
    reference : the boundaries in use (for ``population_2009`` and the check of each unit's place,
        :func:`misplaced_units`, and of the CRS: median offset, a better-fitting choice); loaded
        when not given.

    Raises
    ------
    BoundaryError
        Every refusal, naming the file and saying how to fix it.
    """
    raw = read_file(data, filename, encoding=encoding)
    moved, label, notes = to_wgs84(raw, filename, crs=crs)
    codes, report = match_features(moved, filename, confirmed)
    twice = {r["code"] for r in report["duplicates"]}
    keep = [i for i, c in enumerate(codes) if c is not None and c not in twice]
    if not keep:
        raise _error(
            filename,
            "no feature could be matched to a Lạng Sơn unit; check the code and name columns.",
            "không đối tượng nào khớp được với đơn vị của Lạng Sơn; hãy kiểm tra cột mã và cột tên.",
        )
    official = official_units().set_index("commune_code")
    reference = reference if reference is not None else bnd.load_boundaries().communes
    population = dict(zip(reference["commune_code"], reference["population_2009"], strict=True))
    chosen = [codes[i] for i in keep]
    communes = (
        gpd.GeoDataFrame(
            {
                "commune_code": chosen,
                "district_code": official.loc[chosen, "district_code"].to_numpy(),
                "name": official.loc[chosen, "name"].to_numpy(),
                "name_with_type": official.loc[chosen, "name_with_type"].to_numpy(),
                "unit_type": official.loc[chosen, "unit_type"].to_numpy(),
                "district_name": official.loc[chosen, "district_name"].to_numpy(),
                "population_2009": [int(population.get(c, 0)) for c in chosen],
                "assessed": official.loc[chosen, "assessed"].astype(bool).to_numpy(),
            },
            geometry=shapely.make_valid(moved.geometry.iloc[keep].to_numpy()),
            crs=bnd.WEB_CRS,
        )
        .sort_values("commune_code")
        .reset_index(drop=True)
    )
    communes = bnd.clean_coverage(communes)
    communes["area_km2"] = bnd.area_km2(communes).to_numpy()
    communes = communes[bnd.COMMUNE_COLUMNS]
    if raw.encoding_note:
        notes.append(raw.encoding_note)
    elif raw.encoding_how == "detected" and raw.encoding != "ascii":
        notes.append(
            (
                f"Tệp không có .cpg; đã đọc chữ theo bảng mã {raw.encoding}.",
                f"No .cpg in the file; text was read as {raw.encoding}.",
            )
        )
    rows = {str(codes[i]): i + 1 for i in keep}
    report["misplaced"] = misplaced_units(communes, reference, rows)
    ref_points = gpd.GeoSeries(
        reference.set_index("commune_code")
        .loc[communes["commune_code"]]
        .to_crs(bnd.WORK_CRS)
        .centroid.to_numpy(),
        crs=bnd.WORK_CRS,
    )
    offset = median_offset_m(communes.to_crs(bnd.WORK_CRS).centroid.reset_index(drop=True), ref_points)
    notes.append(
        (
            f"Hệ tọa độ đã dùng: {label}. Độ lệch trung vị so với ranh giới tham chiếu: {offset:.0f} m.",
            f"CRS used: {label}. Median offset from the reference boundaries: {offset:.0f} m.",
        )
    )
    suggestion = (
        None if crs else crs_suggestion(raw.features, keep, [str(codes[i]) for i in keep], reference, offset)
    )
    report["crs_suggestion"] = (
        {
            "key": suggestion[0],
            "offset_m": round(suggestion[1], 1),
            "label_vi": CRS_CHOICES[suggestion[0]][0],
            "label_en": CRS_CHOICES[suggestion[0]][1],
        }
        if suggestion
        else None
    )
    if suggestion:
        key, better = suggestion
        notes.append(
            (
                f"Ranh giới lệch {offset:.0f} m so với tham chiếu; nếu đọc theo {CRS_CHOICES[key][0]} thì chỉ "
                f"lệch {better:.0f} m. Tệp .prj có lẽ ghi định nghĩa VN-2000 chung (ví dụ k = 0,9996, không "
                f"có tham số datum): hãy chọn hệ tọa độ {key} rồi nhập lại (hoặc chọn rõ hệ trong tệp nếu "
                "đúng là nó).",
                f"The boundaries are {offset:.0f} m off the reference; read in {CRS_CHOICES[key][1]} they "
                f"would be {better:.0f} m off. The .prj probably holds a generic VN-2000 definition (e.g. "
                f"k = 0.9996, no datum parameters): choose the CRS {key} and import again (or choose the "
                "file's own CRS explicitly if it is right).",
            )
        )
    return BoundaryImport(filename, communes, report, label, raw.encoding, tuple(notes), round(offset, 1))


def boundaries_source_line(lang: str = "vi") -> str:
    """The maps' source line, naming the boundaries in use (issue 14 item 4).

    The built-in censusVN2009 boundaries (``i18n`` key ``source_line``), or — when a boundary
    set was uploaded and is active (:func:`ntm_geo.datasets.store.list_boundary_sets`, last one)
    — its name, id, upload date and source CRS. Unit codes are GSO 2015 in both cases.
    """
    from ntm_geo.i18n import t

    sets = store.list_boundary_sets()
    if not sets:
        return t("source_line", lang)
    active = sets[-1]
    day = active.uploaded_at[:10]
    return Bilingual(
        f"Ranh giới: «{active.name}» do tỉnh tải lên ngày {day} ({active.id}; hệ tọa độ gốc "
        f"{active.source_crs}); mã đơn vị: Tổng cục Thống kê 2015.",
        f"Boundaries: «{active.name}», uploaded by the province on {day} ({active.id}; source CRS "
        f"{active.source_crs}); unit codes: GSO 2015.",
    ).pick(lang)


def to_boundaries(communes: gpd.GeoDataFrame) -> bnd.Boundaries:
    """A :class:`~ntm_geo.geo.boundaries.Boundaries` set (web simplification, districts) from saved communes."""
    communes_web = bnd.simplify_coverage(communes)
    return bnd.Boundaries(communes, communes_web, bnd.dissolve_districts(communes_web))


def save(
    result: BoundaryImport, name: str, uploaded_by: str, *, password: str | None
) -> store.BoundaryRecord:
    """Save an import as the active boundaries (editor password; only when :attr:`complete`)."""
    if not result.complete:
        r = result.report
        missing = ", ".join(f"{u['name']} ({u['district']})" for u in r["units_without_feature"][:10])
        wrong = ", ".join(f"{u['name']} ({u['district']})" for u in r.get("misplaced", [])[:10])
        crs_en = crs_vi = ""
        if r.get("crs_suggestion"):
            key = r["crs_suggestion"]["key"]
            crs_en = f" The CRS is in question: import again choosing {key}."
            crs_vi = f" Hệ tọa độ cần xem lại: hãy nhập lại và chọn {key}."
        raise DataError(
            f"{result.filename}: cannot save: {len(r['units_without_feature'])} unit(s) have no polygon "
            f"({missing}), {len(r['duplicates'])} feature(s) claim an already matched unit and "
            f"{len(r.get('misplaced', []))} unit(s) disagree with the reference boundaries ({wrong}). Every "
            f"one of the 226 units needs exactly one polygon, in its place.{crs_en}",
            f"{result.filename}: không lưu được: {len(r['units_without_feature'])} đơn vị chưa có ranh giới "
            f"({missing}), {len(r['duplicates'])} đối tượng trùng đơn vị và {len(r.get('misplaced', []))} "
            f"đơn vị lệch khỏi ranh giới tham chiếu ({wrong}). Cả 226 đơn vị đều cần đúng một vùng, đúng "
            f"vị trí.{crs_vi}",
            file=result.filename,
        )
    return store.save_boundaries(
        name or result.filename,
        uploaded_by,
        result.communes,
        result.report,
        source_crs=result.source_crs,
        password=password,
    )
