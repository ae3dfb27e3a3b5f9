"""A fresh clone's first visit: the ~30 s boundary conversion finishes even if its tab is closed
(issue 14, item 14). Before the fix the conversion ran inside the page's script, which Streamlit
stops when the tab goes away, so the cache stayed empty and the next visitor started again."""

from __future__ import annotations

import time

import pytest

from ntm_geo.geo.boundaries import cache_is_fresh
from tests.browser import harness

pytestmark = pytest.mark.browser


def test_conversion_survives_closed_tab(tmp_path, new_page):
    shapes = tmp_path / "shapes"
    shapes.mkdir()
    # the download cache (communes.rda from the mirror) may be reused; the conversion may not
    server = harness.start_streamlit(
        harness.REPO / "app.py",
        log_path=harness.ARTIFACTS / "streamlit-first-run.log",
        env={"NTM_GEO_SHAPES_DIR": str(shapes)},
    )
    try:
        page, _ = new_page(1024, 768)
        page.goto(server.base_url)
        page.get_by_text("ranh giới", exact=False).first.wait_for(timeout=60_000)  # the progress bar
        assert not cache_is_fresh(shapes)
        page.context.close()  # the official closes the tab mid-conversion
        deadline = time.monotonic() + 240
        while not cache_is_fresh(shapes) and time.monotonic() < deadline:
            time.sleep(1)
        assert cache_is_fresh(shapes), "the conversion stopped with its tab:\n" + server.log()[-2000:]
    finally:
        server.stop()
