"""The one cache of built boundary sets (ntm_geo.geo.boundary_cache): both vintages use it."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pytest
from shapely.geometry import box

from ntm_geo.geo import boundaries, boundaries_2025
from ntm_geo.geo.boundary_cache import BuiltCache

CACHE = BuiltCache(files={"a": "a.parquet", "b": "b.parquet"}, meta_file="meta.json", what="Test")


@dataclass
class Pair:
    a: gpd.GeoDataFrame
    b: gpd.GeoDataFrame


def _frame(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"k": list(range(n))}, geometry=[box(i, 0, i + 1, 1) for i in range(n)], crs=4326)


def test_built_once_then_loaded_and_rebuilt_when_the_meta_changes(tmp_path):
    builds = []

    def build() -> Pair:
        builds.append(1)
        return Pair(_frame(2), _frame(3))

    meta = {"source": "x", "version": 1}
    assert not CACHE.is_fresh(tmp_path, meta)
    first = CACHE.load_or_build(tmp_path, meta, build, lambda frames: Pair(**frames))
    assert CACHE.is_fresh(tmp_path, meta) and len(builds) == 1
    again = CACHE.load_or_build(tmp_path, meta, build, lambda frames: Pair(**frames))
    assert len(builds) == 1 and len(again.a) == 2 and len(again.b) == 3 and len(first.b) == 3
    assert not CACHE.is_fresh(tmp_path, meta | {"version": 2})
    CACHE.load_or_build(tmp_path, meta | {"version": 2}, build, lambda frames: Pair(**frames))
    assert len(builds) == 2


def test_an_unreadable_cached_file_is_rebuilt_with_a_warning(tmp_path):
    meta = {"v": 1}
    CACHE.load_or_build(tmp_path, meta, lambda: Pair(_frame(1), _frame(1)), lambda f: Pair(**f))
    (tmp_path / "b.parquet").write_bytes(b"truncated")
    with pytest.warns(UserWarning, match=r"Test cache in .* is unreadable .* rebuilding it"):
        rebuilt = CACHE.load_or_build(tmp_path, meta, lambda: Pair(_frame(4), _frame(4)), lambda f: Pair(**f))
    assert len(rebuilt.b) == 4 and CACHE.is_fresh(tmp_path, meta)


def test_both_vintages_keep_their_own_files_in_one_folder():
    ours = set(boundaries._CACHE.files.values()) | {boundaries._CACHE.meta_file}
    theirs = set(boundaries_2025._CACHE.files.values()) | {boundaries_2025._CACHE.meta_file}
    assert not ours & theirs
