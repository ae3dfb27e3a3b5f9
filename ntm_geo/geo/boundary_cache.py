"""The cache of built boundary sets: GeoParquet files plus a JSON file saying what built them.

Both boundary sets (:mod:`ntm_geo.geo.boundaries`, 2015; :mod:`ntm_geo.geo.boundaries_2025`)
are built once from their sources (tens of seconds) and then loaded from ``shapes/``
(git-ignored) in well under a second. A :class:`BuiltCache` names the files; its meta file holds
what the build depends on (source hash or commit, build version, tolerances…): the cache is
fresh only when every file exists and the saved meta equals the current one, so a change of
source or processing rebuilds it. A truncated or foreign file is rebuilt, with a warning, rather
than failing the app.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd

Built = TypeVar("Built")


@dataclass(frozen=True)
class BuiltCache:
    """The files of one built boundary set in a cache folder.

    Attributes
    ----------
    files : mapping of str to str
        Attribute of the built value (``communes``, ``communes_web`` …) -> GeoParquet file name.
    meta_file : str
        Name of the JSON file holding the build's meta (plus ``built_seconds``).
    what : str
        What the set is, for the warning ("Boundary", "2025 boundary").
    """

    files: Mapping[str, str]
    meta_file: str
    what: str

    def is_fresh(self, cache: Path, meta: Mapping[str, object]) -> bool:
        """True when every file exists and the saved meta has ``meta``'s values."""
        saved_file = cache / self.meta_file
        if not saved_file.exists() or not all((cache / f).exists() for f in self.files.values()):
            return False
        try:
            saved = json.loads(saved_file.read_text(encoding="utf-8"))
        except ValueError:
            return False
        return all(saved.get(k) == v for k, v in meta.items())

    def load_or_build(
        self,
        cache: Path,
        meta: Mapping[str, object],
        build: Callable[[], Built],
        assemble: Callable[[dict[str, Any]], Built],
    ) -> Built:
        """The set from ``cache`` when fresh (``assemble`` gets the frames by attribute), else
        ``build()``, written to ``cache`` with ``meta`` and the seconds the build took.

        An unreadable cached file is warned about (``UserWarning``) and the set rebuilt.
        """
        if self.is_fresh(cache, meta):
            try:
                return assemble({attr: gpd.read_parquet(cache / name) for attr, name in self.files.items()})
            except Exception as exc:  # truncated or foreign file: rebuild rather than fail
                warnings.warn(
                    f"{self.what} cache in {cache} is unreadable ({exc}); rebuilding it.", stacklevel=3
                )
                (cache / self.meta_file).unlink(missing_ok=True)
        started = time.perf_counter()
        built = build()
        cache.mkdir(parents=True, exist_ok=True)
        for attr, name in self.files.items():
            getattr(built, attr).to_parquet(cache / name, index=False)
        saved = dict(meta) | {"built_seconds": round(time.perf_counter() - started, 1)}
        (cache / self.meta_file).write_text(json.dumps(saved, indent=2), encoding="utf-8")
        return built
