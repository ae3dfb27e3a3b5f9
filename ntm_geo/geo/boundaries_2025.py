"""Commune-level boundaries of Lạng Sơn after the 2025 reform (65 units, no district level).

Source
------
65 per-unit GeoJSON files and the province outline of *vietnamese-provinces-database*
(thanglequoc, MIT licence), folder ``json/geojson/20_lang_son/`` at the pinned commit
:data:`SOURCE_COMMIT` (GIS data v4.0.0; upstream derives the geometry from the official
reference map of the new units, sapnhap.bando.com.vn). Legal basis of the units: Resolution
1672/NQ-UBTVQH15 of 16 June 2025, in force 1 July 2025 (61 xã, 4 phường).

Each file is downloaded with a sha256 check (pooch; hashes committed in
``data/boundaries_2025.sha256``) from :data:`SOURCE_BASE_URL`; on a machine without internet,
set ``NTM_GEO_BOUNDARY_MIRROR_2025`` to a folder holding the same files (``wards/…`` and
``20_lang_son.geojson``; the hashes are still checked). The files and anything derived from
them live in the cache folder ``shapes/`` and are never committed.

Processing (once, a few seconds, then cached as GeoParquet):

1. check every file: one feature, its ``code`` equal to the file name's and to a unit of the
   committed list ``data/units_2025.tsv`` (:mod:`ntm_geo.geo.vintages`), its ``fullName``
   the same name (canonical key: upstream writes "xã Bắc Sơn" in lower case and old-style tone
   marks, "Nhất Hoà", where the list, like the maintained lists, has "Nhất Hòa"); any other
   difference raises :class:`~ntm_geo.errors.BoundaryError` listing every problem;
2. clean the coverage in UTM 48N with :func:`shapely.coverage_clean` (gaps narrower than
   :data:`GAP_WIDTH_M` merged into a neighbour: the source has 3 such slivers, overlaps
   ≈ 0.01 km²);
3. areas in km² in the same Albers equal-area CRS as the 2015 set
   (:data:`ntm_geo.geo.boundaries.AREA_CRS`);
4. simplify for the web with :func:`shapely.coverage_simplify` at :data:`WEB_TOLERANCE_M`
   metres. The source has 182,294 vertices; at 140 m the 65-unit web geometry has 10,037 and
   its TopoJSON payload is smaller than the 226-unit map's (measured by
   :func:`web_payload_bytes`; see the README).

Areas (measured on these files): the sum of unit areas is 8,307.7 km² (the file's own sum of
``areaKm2`` is 8,309.7; the province figure is 8,310 km²). Each file's ``areaKm2`` is the
*stated* area of the unit, not the area of its polygon: 46 of 65 polygons are within 0.5 % of
it, 19 are not (up to +8.1 %, Xã Đoàn Kết 168.9 km² vs 156.29). Our area is the polygon's,
computed in an equal-area CRS and equal to the ellipsoidal area (pyproj ``Geod``) to 1e-6.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError
from ntm_geo.geo import boundaries as b2015
from ntm_geo.geo import download
from ntm_geo.geo.boundary_cache import BuiltCache
from ntm_geo.geo.units import split_unit_name

SOURCE_COMMIT = "cd58063299585146ded3981f2272946ef19ced54"
SOURCE_BASE_URL = (
    "https://raw.githubusercontent.com/thanglequoc/vietnamese-provinces-database/"
    f"{SOURCE_COMMIT}/json/geojson/20_lang_son/"
)
SOURCE_CITATION = (
    "vietnamese-provinces-database (thanglequoc), MIT licence, GIS data v4.0.0 @ cd58063 — "
    "units of Resolution 1672/NQ-UBTVQH15 (2025)"
)
OUTLINE_FILE = "20_lang_son.geojson"
MIRROR_ENV = "NTM_GEO_BOUNDARY_MIRROR_2025"
SHA256_FILE = Path(__file__).resolve().parents[2] / "data" / "boundaries_2025.sha256"
UNITS_2025_TSV = SHA256_FILE.with_name("units_2025.tsv")

GAP_WIDTH_M = 50.0
WEB_TOLERANCE_M = 140.0
BUILD_VERSION = 1  # bump when processing changes, to rebuild caches

Progress = Callable[[float, str], None]


def registry() -> dict[str, str]:
    """File name (relative to :data:`SOURCE_BASE_URL`) -> sha256, from ``data/boundaries_2025.sha256``."""
    entries = {}
    for line in SHA256_FILE.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split()
            entries[name] = digest
    return entries


def source() -> download.Source:
    """The 66 files of the 2025 units as :func:`ntm_geo.geo.download.fetch` fetches them."""
    return download.Source(
        base_url=SOURCE_BASE_URL,
        files=registry(),
        mirror_env=MIRROR_ENV,
        what=Bilingual("tệp ranh giới 2025", "the 2025 boundary file"),
        mirror_holds=Bilingual(
            f"các tệp ranh giới 2025 (wards/*.geojson, {OUTLINE_FILE}; mã sha256 trong data/boundaries_2025.sha256)",
            f"the 2025 boundary files (wards/*.geojson, {OUTLINE_FILE}; sha256 in data/boundaries_2025.sha256)",
        ),
        original=Bilingual("tệp gốc", "the original file"),
    )


def fetch_sources(cache: Path | None = None, progress: Progress | None = None) -> dict[str, Path]:
    """Verified local copies of the 66 source files (65 units + outline), by registry name.

    Downloads from :data:`SOURCE_BASE_URL`, or copies from ``$NTM_GEO_BOUNDARY_MIRROR_2025``
    when set; either way pooch checks every sha256 (:func:`ntm_geo.geo.download.fetch`).
    ``progress(fraction, message)`` is called once per file.

    Raises
    ------
    BoundaryError
        A file is missing from the mirror, cannot be downloaded, or has another hash.
    """
    say = progress or (lambda fraction, message: None)

    def on_file(i: int, n: int) -> None:
        say(
            0.6 * i / n,
            f"Tải/kiểm tra tệp ranh giới 2025 {i + 1}/{n}… / Fetching 2025 boundary file {i + 1}/{n}…",
        )

    folder = Path(cache or b2015.shapes_dir()) / "download" / "lang-son-2025"
    return download.fetch(source(), folder, on_file)


def read_unit_files(paths: dict[str, Path]) -> gpd.GeoDataFrame:
    """Read and check the 65 unit files against the committed 2025 unit list.

    Returns
    -------
    GeoDataFrame
        65 rows in code order, EPSG:4326, columns of
        :data:`ntm_geo.geo.boundaries.COMMUNE_COLUMNS` except ``area_km2``:
        ``district_code``/``district_name`` are None (no district level since 1 July 2025),
        ``population_2009`` is missing (<NA>; carry it with :mod:`ntm_geo.geo.crosswalk`),
        plus ``stated_area_km2`` (the file's ``areaKm2``).

    Raises
    ------
    BoundaryError
        Lists every file that is not one feature, whose code or name differs from the unit list,
        and every unit without a file.
    """
    from ntm_geo.geo.vintages import units_2025

    units = units_2025().set_index("commune_code")
    problems: list[str] = []
    rows = []
    seen: set[str] = set()
    for name, path in sorted(paths.items()):
        if not name.startswith("wards/"):
            continue
        label = Path(name).name
        try:
            collection = json.loads(path.read_text(encoding="utf-8"))
            (feature,) = collection["features"]
            props = feature["properties"]
            geom = shapely.geometry.shape(feature["geometry"])
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(f"{label}: not a GeoJSON FeatureCollection of one feature ({exc})")
            continue
        code = str(props.get("code", ""))
        if not label.startswith(code + "_") or code not in units.index:
            problems.append(f"{label}: code {code!r} is not the file's or not in data/units_2025.tsv")
            continue
        seen.add(code)
        expected = units.loc[code]
        if split_unit_name(str(props.get("fullName", ""))) != split_unit_name(expected["name_with_type"]):
            problems.append(
                f"{label}: name {props.get('fullName')!r}, list says {expected['name_with_type']!r}"
            )
            continue
        rows.append(
            {
                "commune_code": code,
                "district_code": None,
                "name": expected["name"],
                "name_with_type": expected["name_with_type"],
                "unit_type": expected["unit_type"],
                "district_name": None,
                "population_2009": pd.NA,
                "assessed": bool(expected["assessed"]),
                "stated_area_km2": float(props.get("areaKm2", "nan")),
                "geometry": shapely.make_valid(geom),
            }
        )
    missing = sorted(set(units.index) - seen)
    problems += [f"{code} {units.at[code, 'name_with_type']}: no boundary file" for code in missing]
    if problems:
        listing = "; ".join(problems)
        raise BoundaryError(
            f"{len(problems)} problem(s) in the 2025 boundary files: {listing}.",
            f"{len(problems)} lỗi trong các tệp ranh giới 2025: {listing}.",
        )
    gdf = gpd.GeoDataFrame(rows, geometry="geometry", crs=b2015.WEB_CRS)
    gdf["population_2009"] = gdf["population_2009"].astype("Int64")
    return gdf.sort_values("commune_code").reset_index(drop=True)


def _no_districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"district_code": [], "district_name": [], "population_2009": [], "area_km2": []},
        geometry=gpd.GeoSeries([], crs=b2015.WEB_CRS),
    )


def build(paths: dict[str, Path], progress: Progress | None = None) -> b2015.Boundaries:
    """Run the processing chain on verified files (see the module docstring); a few seconds.

    Returns a :class:`ntm_geo.geo.boundaries.Boundaries` whose ``communes`` and
    ``communes_web`` have :data:`~ntm_geo.geo.boundaries.COMMUNE_COLUMNS` (+ ``stated_area_km2``)
    and whose ``districts_web`` is empty (no district level in 2025).
    """
    say = progress or (lambda fraction, message: None)
    say(0.65, "Đọc 65 đơn vị 2025… / Reading the 65 units of 2025…")
    communes = read_unit_files(paths)
    say(0.75, "Làm sạch topo, tính diện tích… / Cleaning topology, computing areas…")
    communes = b2015.clean_coverage(communes, GAP_WIDTH_M)
    communes["area_km2"] = b2015.area_km2(communes).to_numpy()
    communes = communes[[*b2015.COMMUNE_COLUMNS[:-1], "stated_area_km2", "geometry"]]
    say(0.9, "Đơn giản hóa cho web… / Simplifying for the web…")
    communes_web = b2015.simplify_coverage(communes, WEB_TOLERANCE_M)
    say(1.0, "Xong / Done")
    return b2015.Boundaries(communes, communes_web, _no_districts())


_CACHE = BuiltCache(
    files={
        "communes": "lang_son_2025_communes.parquet",
        "communes_web": "lang_son_2025_communes_web.parquet",
    },
    meta_file="lang_son_2025_meta.json",
    what="2025 boundary",
)


def _cache_meta() -> dict[str, object]:
    return {
        "source_commit": SOURCE_COMMIT,
        "registry": registry(),
        "units_sha256": hashlib.sha256(UNITS_2025_TSV.read_bytes()).hexdigest(),
        "build_version": BUILD_VERSION,
        "gap_width_m": GAP_WIDTH_M,
        "web_tolerance_m": WEB_TOLERANCE_M,
    }


def cache_is_fresh(cache: Path | None = None) -> bool:
    """True when the cached 2025 GeoParquet files exist and were built by this version."""
    return _CACHE.is_fresh(Path(cache or b2015.shapes_dir()), _cache_meta())


def load_boundaries_2025(cache: Path | None = None, progress: Progress | None = None) -> b2015.Boundaries:
    """The 65 units of 2025, from the cache in ``shapes/`` or built (and cached) first.

    Raises
    ------
    BoundaryError
        The files cannot be had (see :func:`fetch_sources`) or do not match the unit list.
    """
    cache = Path(cache or b2015.shapes_dir())
    return _CACHE.load_or_build(
        cache,
        _cache_meta(),
        lambda: build(fetch_sources(cache, progress), progress),
        lambda frames: b2015.Boundaries(**frames, districts_web=_no_districts()),
    )


def load_outline(cache: Path | None = None) -> shapely.Geometry:
    """The province outline of the same source (EPSG:4326), sha256-checked."""
    path = fetch_sources(cache)[OUTLINE_FILE]
    collection = json.loads(path.read_text(encoding="utf-8"))
    return shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in collection["features"]])


def web_payload_bytes(communes_web: gpd.GeoDataFrame) -> int:
    """Bytes of the map's geometry payload: the compact TopoJSON the map page sends
    (:func:`ntm_geo.maps.topology.encode_topology`, same grid as the 2015 map)."""
    from ntm_geo.maps.topology import encode_topology

    topology = encode_topology(communes_web.geometry)
    topology.pop("_users", None)
    return len(json.dumps(topology, separators=(",", ":")).encode("utf-8"))
