"""Commune and district boundaries of Lạng Sơn, from the censusVN2009 commune file.

Source
------
``communes.rda`` of the R package *censusVN2009* (Marc Choisy and Lucie Contamin, MIT licence):
11,163 commune-level polygons of Vietnam after the 2008 boundary update, WGS84 lon/lat, with
2009 census population. It is downloaded with a sha256 check (pooch) from :data:`SOURCE_URL`;
on a machine without internet, set ``NTM_GEO_BOUNDARY_MIRROR`` to a folder holding the same
file (the hash is still checked). The file and anything derived from it are third-party data:
they live in the cache folder ``shapes/`` (git-ignored, or ``NTM_GEO_SHAPES_DIR``) and are never
committed.

Processing (once; about 25 s, then cached as GeoParquet and loaded in well under a second):

1. parse the R file with :mod:`rdata`; keep ``province_id == 209`` (Lạng Sơn, 226 units);
2. unescape the ``\\uXXXX`` names and normalise them to Unicode NFC;
3. match each unit to the official GSO 2015 code list (:mod:`ntm_geo.geo.units`) by district and
   canonical name (type word included, so "Xã Đình Lập" and "Thị trấn Đình Lập" stay apart);
   any unit that cannot be matched one-to-one raises :class:`~ntm_geo.errors.BoundaryError`
   listing it, rather than guessing;
4. clean the polygon coverage in a projected CRS (UTM 48N, EPSG:32648) with
   :func:`shapely.coverage_clean`: overlaps removed, shared edges made identical, gaps narrower
   than :data:`GAP_WIDTH_M` merged into a neighbour;
5. compute areas in km² in an Albers equal-area CRS centred on the province (:data:`AREA_CRS`);
6. dissolve districts from communes (:func:`shapely.coverage_union_all`) and simplify both for
   the web with topology-preserving :func:`shapely.coverage_simplify` at
   :data:`WEB_TOLERANCE_M` metres.
"""

from __future__ import annotations

import codecs
import os
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError
from ntm_geo.geo import download
from ntm_geo.geo.boundary_cache import BuiltCache
from ntm_geo.geo.units import official_units, split_unit_name

SOURCE_URL = "https://raw.githubusercontent.com/choisy/censusVN2009/master/data/communes.rda"
SOURCE_SHA256 = "43c143671815f8fc3333e5135410ac43617f540415541c7793889196b6f98be5"
SOURCE_FILE = "communes.rda"
SOURCE_CITATION = "censusVN2009 (M. Choisy, L. Contamin), MIT licence — communes.rda, 2009 census"
MIRROR_ENV = "NTM_GEO_BOUNDARY_MIRROR"
SHAPES_ENV = "NTM_GEO_SHAPES_DIR"
PROVINCE_ID = 209  # Lạng Sơn in censusVN2009

WORK_CRS = "EPSG:32648"  # WGS 84 / UTM zone 48N: metres, for cleaning and simplification
AREA_CRS = (  # Albers equal-area centred on Lạng Sơn: areas in m² without distortion
    "+proj=aea +lat_0=21.8 +lon_0=106.6 +lat_1=21.2 +lat_2=22.4 +datum=WGS84 +units=m +no_defs"
)
WEB_CRS = "EPSG:4326"
GAP_WIDTH_M = 500.0
WEB_TOLERANCE_M = 60.0
BUILD_VERSION = 3  # bump when processing changes, to rebuild caches

DEFAULT_SHAPES_DIR = Path(__file__).resolve().parents[2] / "shapes"

COMMUNE_COLUMNS = [
    "commune_code",
    "district_code",
    "name",
    "name_with_type",
    "unit_type",
    "district_name",
    "population_2009",
    "area_km2",
    "assessed",
    "geometry",
]

Progress = Callable[[float, str], None]


@dataclass(frozen=True)
class Boundaries:
    """The processed boundary set.

    Attributes
    ----------
    communes : GeoDataFrame
        226 rows, CRS EPSG:4326, full (cleaned) resolution; columns :data:`COMMUNE_COLUMNS`:
        ``commune_code`` (str, GSO 2015, 5 digits), ``district_code`` (str, 3 digits),
        ``name`` ("Hoàng Văn Thụ"), ``name_with_type`` ("Phường Hoàng Văn Thụ"),
        ``unit_type`` ("xa" | "phuong" | "thi-tran"), ``district_name``,
        ``population_2009`` (int, people, 2009 census), ``area_km2`` (float, km², equal-area),
        ``assessed`` (bool: True for xã only), ``geometry`` (Polygon/MultiPolygon).
    communes_web : GeoDataFrame
        Same rows and columns, geometry simplified with :data:`WEB_TOLERANCE_M` (coverage-safe).
    districts_web : GeoDataFrame
        11 rows, EPSG:4326: ``district_code``, ``district_name``, ``population_2009``,
        ``area_km2``, ``geometry`` (dissolved from the simplified communes).
    """

    communes: gpd.GeoDataFrame
    communes_web: gpd.GeoDataFrame
    districts_web: gpd.GeoDataFrame


def shapes_dir() -> Path:
    """The cache folder: ``$NTM_GEO_SHAPES_DIR`` or ``shapes/`` beside the package."""
    return Path(os.environ.get(SHAPES_ENV) or DEFAULT_SHAPES_DIR)


#: The censusVN2009 file as :func:`ntm_geo.geo.download.fetch` fetches it.
SOURCE = download.Source(
    base_url=SOURCE_URL[: -len(SOURCE_FILE)],
    files={SOURCE_FILE: SOURCE_SHA256},
    mirror_env=MIRROR_ENV,
    what=Bilingual("tệp ranh giới", "the boundary file"),
    mirror_holds=Bilingual(
        f"{SOURCE_FILE} (sha256 {SOURCE_SHA256})", f"{SOURCE_FILE} (sha256 {SOURCE_SHA256})"
    ),
    original=Bilingual("tệp communes.rda gốc của censusVN2009", "the original censusVN2009 communes.rda"),
)


def fetch_source(cache: Path | None = None) -> Path:
    """Return the path of a verified copy of ``communes.rda`` in the cache.

    Downloads from :data:`SOURCE_URL`, or copies from ``$NTM_GEO_BOUNDARY_MIRROR`` when set;
    either way pooch checks the sha256 (:data:`SOURCE_SHA256`), through
    :func:`ntm_geo.geo.download.fetch`.

    Raises
    ------
    BoundaryError
        The mirror folder lacks the file, the download failed, or the hash differs.
    """
    return download.fetch(SOURCE, Path(cache or shapes_dir()) / "download")[SOURCE_FILE]


def _unescape(text: object) -> str:
    """Decode the literal ``\\uXXXX`` escapes of censusVN2009 names and NFC-normalise."""
    raw = str(text)
    if "\\u" in raw:
        raw = codecs.decode(raw.encode("latin-1", "backslashreplace"), "unicode_escape")
    return unicodedata.normalize("NFC", raw)


def _polygon_of(r_polygons: Any) -> shapely.Geometry:  # an sp::Polygons object as rdata converts it
    shells: list[Any] = []
    holes: list[Any] = []
    for ring in r_polygons.Polygons:
        coords = np.asarray(getattr(ring.coords, "values", ring.coords), dtype=float)
        (holes if bool(np.asarray(ring.hole).ravel()[0]) else shells).append(coords)
    polygons = [shapely.Polygon(s) for s in shells]
    geom = polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)
    for hole in holes:
        geom = geom.difference(shapely.Polygon(hole))
    return shapely.make_valid(geom)


def read_census_rda(path: Path, province_id: int = PROVINCE_ID) -> gpd.GeoDataFrame:
    """Read one province of censusVN2009 ``communes.rda``.

    Returns
    -------
    GeoDataFrame
        EPSG:4326; columns ``census_id`` (int), ``district_vn``, ``commune_vn`` (unescaped, NFC),
        ``population`` (people, 2009), ``geometry``.

    Raises
    ------
    BoundaryError
        The file is not an R data file with a ``communes`` SpatialPolygonsDataFrame.
    """
    import rdata

    try:
        parsed = rdata.parser.parse_file(path)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # sp classes have no Python constructor: fine
            converted = rdata.conversion.convert(parsed)
        spdf = converted["communes"]
        data = spdf.data.reset_index(drop=True)
        polygons = spdf.polygons
    except Exception as exc:
        raise BoundaryError(
            f"{path} is not the censusVN2009 communes.rda file ({exc}).",
            f"{path} không phải tệp communes.rda của censusVN2009 ({exc}).",
            file=str(path),
        ) from exc
    rows = np.flatnonzero(data["province_id"].to_numpy(dtype=float) == province_id)
    table = pd.DataFrame(
        {
            "census_id": data["commune_id"].to_numpy(dtype=float)[rows].astype(int),
            "district_vn": [_unescape(v) for v in data["district_vn"].to_numpy()[rows]],
            "commune_vn": [_unescape(v) for v in data["commune_vn"].to_numpy()[rows]],
            "population": data["population"].to_numpy(dtype=float)[rows],
        }
    )
    geometry = [_polygon_of(polygons[i]) for i in rows]
    return gpd.GeoDataFrame(table, geometry=geometry, crs=WEB_CRS)


def match_units(census: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Attach GSO 2015 codes to census units by district + canonical name (type word included).

    Parameters
    ----------
    census : GeoDataFrame
        From :func:`read_census_rda` (``district_vn``, ``commune_vn``, ``population``).

    Returns
    -------
    GeoDataFrame
        Same CRS, columns :data:`COMMUNE_COLUMNS` without ``area_km2``, ordered by code.

    Raises
    ------
    BoundaryError
        Some census unit matches no official unit or more than one, or some official unit gets
        no polygon or two. The message lists every such unit; nothing is guessed.
    """
    official = official_units()
    district_of = dict(zip(official["district_key"], official["district_code"], strict=False))
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, row in official.iterrows():
        by_key.setdefault((row["district_code"], row["name_key"]), []).append(i)

    assigned: dict[int, int] = {}
    problems: list[str] = []
    for j, row in census.reset_index(drop=True).iterrows():
        district_code = district_of.get(split_unit_name(row["district_vn"])[1])
        kind, key = split_unit_name(row["commune_vn"])
        candidates = by_key.get((district_code, key), []) if district_code else []
        if kind is not None:
            candidates = [i for i in candidates if official.at[i, "unit_type"] == kind]
        label = f"{row['commune_vn']} ({row['district_vn']})"
        if len(candidates) != 1:
            reason = "no official unit" if not candidates else "several official units"
            problems.append(f"{label}: {reason}")
            continue
        assigned[j] = candidates[0]
    taken = pd.Series(list(assigned.values()))
    for i in taken[taken.duplicated()].unique():
        problems.append(
            f"{official.at[i, 'name_with_type']} ({official.at[i, 'district_name']}): two polygons"
        )
    for i in sorted(set(official.index) - set(assigned.values())):
        problems.append(f"{official.at[i, 'name_with_type']} ({official.at[i, 'district_name']}): no polygon")
    if problems:
        listing = "; ".join(problems)
        raise BoundaryError(
            f"{len(problems)} boundary unit(s) could not be matched to the GSO 2015 code list: {listing}.",
            f"{len(problems)} đơn vị ranh giới không khớp được với danh mục mã GSO 2015: {listing}.",
        )
    census = census.reset_index(drop=True)
    order = list(assigned)
    matched = official.loc[[assigned[j] for j in order]].reset_index(drop=True)
    result = gpd.GeoDataFrame(
        {
            "commune_code": matched["commune_code"],
            "district_code": matched["district_code"],
            "name": matched["name"],
            "name_with_type": matched["name_with_type"],
            "unit_type": matched["unit_type"],
            "district_name": matched["district_name"],
            "population_2009": census.loc[order, "population"].round().astype(int).to_numpy(),
            "assessed": matched["assessed"].astype(bool),
        },
        geometry=census.loc[order, "geometry"].to_numpy(),
        crs=census.crs,
    )
    return result.sort_values("commune_code").reset_index(drop=True)


def clean_coverage(communes: gpd.GeoDataFrame, gap_width_m: float = GAP_WIDTH_M) -> gpd.GeoDataFrame:
    """Make the communes a clean polygonal coverage (no overlaps, no gaps, identical shared edges).

    Works in :data:`WORK_CRS` (metres) and returns the input CRS. Gaps narrower than
    ``gap_width_m`` metres are merged into the neighbour with the longest shared border.
    """
    projected = communes.to_crs(WORK_CRS)
    cleaned = shapely.coverage_clean(projected.geometry.to_numpy(), gap_width=gap_width_m)
    out = communes.copy()
    out["geometry"] = gpd.GeoSeries(cleaned, crs=WORK_CRS).to_crs(communes.crs).to_numpy()
    return out


def area_km2(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Area of each geometry in km², in the equal-area :data:`AREA_CRS`."""
    return gdf.geometry.to_crs(AREA_CRS).area / 1e6


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float = WEB_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Topology-preserving simplification of a coverage (shared edges stay shared).

    ``tolerance_m`` is in metres (applied in :data:`WORK_CRS`); returns the input CRS.
    """
    projected = gdf.to_crs(WORK_CRS)
    simplified = shapely.coverage_simplify(projected.geometry.to_numpy(), tolerance_m)
    out = gdf.copy()
    out["geometry"] = gpd.GeoSeries(simplified, crs=WORK_CRS).to_crs(gdf.crs).to_numpy()
    return out


def dissolve_districts(communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Districts dissolved from a commune coverage.

    Returns an 11-row GeoDataFrame (same CRS): ``district_code``, ``district_name``,
    ``population_2009`` (sum, people), ``area_km2`` (sum, km²), ``geometry``.
    """
    rows = []
    for code, group in communes.groupby("district_code", sort=True):
        rows.append(
            {
                "district_code": code,
                "district_name": group["district_name"].iloc[0],
                "population_2009": int(group["population_2009"].sum()),
                "area_km2": float(group["area_km2"].sum()),
                "geometry": shapely.coverage_union_all(group.geometry.to_numpy()),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=communes.crs)


def build(source: Path, progress: Progress | None = None) -> Boundaries:
    """Run the whole processing chain on a verified ``communes.rda`` (about 25 s)."""
    say = progress or (lambda fraction, message: None)
    say(0.05, "Đọc tệp ranh giới (khoảng 20 giây)… / Reading the boundary file (about 20 s)…")
    census = read_census_rda(source)
    say(0.70, "Khớp mã đơn vị GSO 2015… / Matching GSO 2015 unit codes…")
    communes = match_units(census)
    say(0.80, "Làm sạch topo, tính diện tích… / Cleaning topology, computing areas…")
    communes = clean_coverage(communes)
    communes["area_km2"] = area_km2(communes).to_numpy()
    communes = communes[COMMUNE_COLUMNS]
    say(0.90, "Đơn giản hóa cho web… / Simplifying for the web…")
    communes_web = simplify_coverage(communes)
    districts_web = dissolve_districts(communes_web.assign(area_km2=communes["area_km2"]))
    say(1.0, "Xong / Done")
    return Boundaries(communes, communes_web, districts_web)


_CACHE = BuiltCache(
    files={
        "communes": "lang_son_communes.parquet",
        "communes_web": "lang_son_communes_web.parquet",
        "districts_web": "lang_son_districts_web.parquet",
    },
    meta_file="lang_son_meta.json",
    what="Boundary",
)


def _cache_meta() -> dict[str, object]:
    return {
        "source_sha256": SOURCE_SHA256,
        "build_version": BUILD_VERSION,
        "gap_width_m": GAP_WIDTH_M,
        "web_tolerance_m": WEB_TOLERANCE_M,
    }


def cache_is_fresh(cache: Path | None = None) -> bool:
    """True when the cached GeoParquet files exist and were built by this version."""
    return _CACHE.is_fresh(Path(cache or shapes_dir()), _cache_meta())


def load_boundaries(cache: Path | None = None, progress: Progress | None = None) -> Boundaries:
    """Load the Lạng Sơn boundaries from the cache, building it first when needed.

    Parameters
    ----------
    cache : Path, optional
        Cache folder; default :func:`shapes_dir`.
    progress : callable(fraction, message), optional
        Called during a (re)build so a UI can show progress; not called on a cache hit.

    Raises
    ------
    BoundaryError
        The source file cannot be had (see :func:`fetch_source`) or matched to the code list.
    """
    cache = Path(cache or shapes_dir())
    return _CACHE.load_or_build(
        cache,
        _cache_meta(),
        lambda: build(fetch_source(cache), progress),
        lambda frames: Boundaries(**frames),
    )


def load_communes(cache: Path | None = None) -> gpd.GeoDataFrame:
    """The 226 communes at full resolution (see :class:`Boundaries` for the columns)."""
    return load_boundaries(cache).communes


def topology_report(communes: gpd.GeoDataFrame) -> dict[str, float]:
    """Figures that show the coverage is clean (areas in km², equal-area CRS).

    Returns ``sum_km2`` (sum of unit areas), ``union_km2`` (area of their union),
    ``overlap_ratio`` ((sum - union) / union), ``interior_gaps`` (holes in the union) and
    ``coverage_valid`` (1.0 if :func:`shapely.coverage_is_valid`).
    """
    projected = communes.geometry.to_crs(AREA_CRS)
    union = shapely.union_all(projected.to_numpy())
    parts = getattr(union, "geoms", [union])
    total = float(projected.area.sum())
    return {
        "sum_km2": total / 1e6,
        "union_km2": union.area / 1e6,
        "overlap_ratio": (total - union.area) / union.area,
        "interior_gaps": float(sum(len(p.interiors) for p in parts)),
        "coverage_valid": float(shapely.coverage_is_valid(communes.to_crs(WORK_CRS).geometry.to_numpy())),
    }
