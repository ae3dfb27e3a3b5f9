"""Fixtures of the browser tier: a running Streamlit app and headless Chromium (Playwright).

* ``app_server``: the real ``app.py``, started as a user would (``streamlit run app.py``) from the
  repo root after the set-up step ``python -m ntm_geo.maps.webassets``; yields its base URL.
* ``fixture_server``: ``tests/browser/fixture_app.py`` (five made-up communes) run the same way
  from a temporary folder with its own ``static/``; proves the map machinery on its own.
* ``browser``: Chromium from Debian (``/usr/bin/chromium`` or ``$NTM_GEO_CHROMIUM``), headless.
* ``new_page(width, height)``: a fresh page recording every request it and its iframes make.

Helpers (waiting for painted communes, screenshots, selectboxes) are in ``harness.py``.
Servers are session-scoped and terminated at the end; nothing waits with a fixed sleep.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser import harness


def _serve(script: Path, log_name: str, env: dict[str, str] | None = None) -> Iterator[str]:
    log = harness.ARTIFACTS / log_name
    try:
        server = harness.start_streamlit(script, cwd=harness.REPO, log_path=log, env=env)
    except RuntimeError as exc:
        pytest.fail(f"could not start {script}: {exc}")
    try:
        yield server.base_url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_server() -> Iterator[str]:
    """Base URL of the real app (``streamlit run app.py`` in the repo root)."""
    app = harness.REPO / "app.py"
    if not app.exists():
        pytest.skip("app.py does not exist yet")
    from ntm_geo.maps.webassets import install_leaflet

    install_leaflet()  # the documented set-up step: python -m ntm_geo.maps.webassets
    from ntm_geo.geo.boundaries import load_boundaries

    load_boundaries()  # build the shapes/ cache first (a user's first run shows a progress bar)
    yield from _serve(app, "streamlit-app.log")


@pytest.fixture(scope="session")
def fixture_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of ``fixture_app.py`` served from a temporary folder with its own ``static/``."""
    from ntm_geo.maps.webassets import install_leaflet

    folder = tmp_path_factory.mktemp("fixture_app")
    script = folder / "app.py"
    shutil.copyfile(Path(__file__).with_name("fixture_app.py"), script)
    static = folder / "static"
    install_leaflet(static)  # before start: Streamlit looks for static/ when it starts
    yield from _serve(script, "streamlit-fixture.log", env={"NTM_GEO_FIXTURE_STATIC": str(static)})


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium driven by Playwright (sync API)."""
    executable = harness.chromium_path()
    if not Path(executable).exists():
        pytest.skip(f"no Chromium at {executable}: apt-get install chromium or set NTM_GEO_CHROMIUM")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=harness.CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def new_page(browser) -> Iterator[Callable[..., tuple[object, harness.NetworkLog]]]:
    """Factory: ``page, network = new_page(width=1280, height=900)``.

    Each page gets its own context (no shared cache or storage) and a :class:`NetworkLog`
    attached before any navigation. Closed at the end of the test.
    """
    contexts = []

    def make(width: int = 1280, height: int = 900):
        context = browser.new_context(viewport={"width": width, "height": height})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        network = harness.NetworkLog()
        page.on("request", network)
        return page, network

    yield make
    for context in contexts:
        context.close()
