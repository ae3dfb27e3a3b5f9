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

    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR")
    if not mirror or not (Path(mirror) / "communes.rda").exists():
        pytest.skip("boundary mirror not available: set NTM_GEO_BOUNDARY_MIRROR")
    return load_boundaries()


@pytest.fixture(scope="session")
def mirror_2025() -> Path:
    """The folder of the 2025 boundary files ($NTM_GEO_BOUNDARY_MIRROR_2025); skips without it."""
    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR_2025")
    if not mirror or not (Path(mirror) / "20_lang_son.geojson").exists():
        pytest.skip("2025 boundary mirror not available: set NTM_GEO_BOUNDARY_MIRROR_2025")
    return Path(mirror)


@pytest.fixture(scope="session")
def boundaries_2025():
    """The real processed 2025 boundaries (65 units; built once into shapes/, then cached)."""
    from ntm_geo.geo.boundaries_2025 import load_boundaries_2025

    mirror = os.environ.get("NTM_GEO_BOUNDARY_MIRROR_2025")
    if not mirror or not (Path(mirror) / "20_lang_son.geojson").exists():
        pytest.skip("2025 boundary mirror not available: set NTM_GEO_BOUNDARY_MIRROR_2025")
    return load_boundaries_2025()


def pytest_collection_modifyitems(config, items):
    """Run the browser tier last: fast unit tests report first, and the boundary cache they
    build is ready before the app is started."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
