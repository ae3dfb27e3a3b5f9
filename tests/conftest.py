"""Shared fixtures. Tests never touch the network: the boundary file comes from the offline
mirror in ../shared (or $NTM_GEO_BOUNDARY_MIRROR), converted once into the shapes/ cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = REPO.parent / "shared" / "boundaries" / "censusVN2009"
DEFAULT_MIRROR_2025 = REPO.parent / "shared" / "boundaries" / "lang-son-2025"

if not os.environ.get("NTM_GEO_BOUNDARY_MIRROR") and DEFAULT_MIRROR.exists():
    os.environ["NTM_GEO_BOUNDARY_MIRROR"] = str(DEFAULT_MIRROR)
if not os.environ.get("NTM_GEO_BOUNDARY_MIRROR_2025") and DEFAULT_MIRROR_2025.exists():
    os.environ["NTM_GEO_BOUNDARY_MIRROR_2025"] = str(DEFAULT_MIRROR_2025)


@pytest.fixture(scope="session")
def boundaries():
    """The real processed boundaries (built once into shapes/, then cached)."""
    from ntm_geo.geo.boundaries import load_boundaries

    return load_boundaries()  # pytest_sessionstart made sure a source exists


def boundary_source_problem() -> str | None:
    """Why the boundaries cannot be had offline, or ``None`` (mirror present or cache built).

    Tests never download: without the mirror and without a built cache, the suite stops at once
    with this message (issue 14, item 13: it used to skip ~100 tests and exit 0). Set
    ``NTM_GEO_TEST_DOWNLOAD=1`` on a machine with internet to let the first test download instead.
    """
    from ntm_geo.geo.boundaries import cache_is_fresh

    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR")
    if mirror and (Path(mirror) / "communes.rda").exists():
        return None
    if cache_is_fresh() or os.environ.get("NTM_GEO_TEST_DOWNLOAD") == "1":
        return None
    where = (
        f"NTM_GEO_BOUNDARY_MIRROR={mirror}"
        if mirror
        else f"no NTM_GEO_BOUNDARY_MIRROR, and no {DEFAULT_MIRROR}"
    )
    return (
        f"ntm-geo tests need the censusVN2009 boundary file and found none ({where}; no built cache "
        "in shapes/). Put the repository beside ../shared (as on this project's machines) or set "
        "NTM_GEO_BOUNDARY_MIRROR to a folder holding communes.rda; NTM_GEO_TEST_DOWNLOAD=1 allows a "
        "download where there is internet."
    )


def pytest_sessionstart(session):
    problem = boundary_source_problem()
    if problem:
        pytest.exit(problem, returncode=3)


def _no_2025_source(what: str) -> str:
    return (
        f"{what} needs the 2025 boundary files and found none (NTM_GEO_BOUNDARY_MIRROR_2025="
        f"{os.environ.get('NTM_GEO_BOUNDARY_MIRROR_2025')!r}, no {DEFAULT_MIRROR_2025}). Put the repository "
        "beside ../shared or set NTM_GEO_BOUNDARY_MIRROR_2025 to the folder of SOURCE.md; tests never "
        "download and never skip for want of data (issue 14, item 13)."
    )


@pytest.fixture(scope="session")
def mirror_2025() -> Path:
    """The folder of the 2025 boundary files ($NTM_GEO_BOUNDARY_MIRROR_2025); fails without it."""
    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR_2025")
    if not mirror or not (Path(mirror) / "20_lang_son.geojson").exists():
        pytest.fail(_no_2025_source("This test"))
    return Path(mirror)


@pytest.fixture(scope="session")
def boundaries_2025():
    """The real processed 2025 boundaries (65 units; built once into shapes/, then cached)."""
    from ntm_geo.geo.boundaries_2025 import cache_is_fresh, load_boundaries_2025

    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR_2025")
    if not cache_is_fresh() and (not mirror or not (Path(mirror) / "20_lang_son.geojson").exists()):
        pytest.fail(_no_2025_source("This test"))
    return load_boundaries_2025()


def pytest_collection_modifyitems(config, items):
    """Run the browser tier last: fast unit tests report first, and the boundary cache they
    build is ready before the app is started."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
