"""Shared fixtures. Tests never touch the network: the boundary file comes from the offline
mirror in ../shared (or $NTM_GEO_BOUNDARY_MIRROR), converted once into the shapes/ cache."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEFAULT_MIRROR = REPO.parent / "shared" / "boundaries" / "censusVN2009"

if not os.environ.get("NTM_GEO_BOUNDARY_MIRROR") and DEFAULT_MIRROR.exists():
    os.environ["NTM_GEO_BOUNDARY_MIRROR"] = str(DEFAULT_MIRROR)


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


def pytest_collection_modifyitems(config, items):
    """Run the browser tier last: fast unit tests report first, and the boundary cache they
    build is ready before the app is started."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
