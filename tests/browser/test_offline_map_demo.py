"""The map machinery in a real browser, on the fixture app (five made-up communes).

Proves: the map paints with no internet (every request goes to 127.0.0.1), recolouring swaps the
layer without reloading the map iframe (a JS variable and the user's zoom survive), names are
escaped, and a click reports the commune code back to Python.
"""

from __future__ import annotations

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

GREEN = ["#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c"]
RED = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]
COMPONENT_INDEX = "/component/streamlit_folium.st_folium/index.html"


def test_map_paints_offline_and_recolours_without_reload(fixture_server, new_page):
    page, network = new_page(1280, 900)
    page.goto(fixture_server)

    fills = harness.wait_for_communes(page, 5)
    assert fills == GREEN
    frame = harness.folium_frame(page)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") == 2
    assert frame.evaluate("document.querySelectorAll('path.ntm-dimmed').length") == 1
    assert "Xanh / Green" in frame.inner_text(".ntm-legend")
    harness.screenshot(page, "fixture-green")

    # Mark the iframe's window and zoom in, as a user would, then recolour.
    frame.evaluate("window.__ntmMarker = 'kept'; map_div.setZoom(map_div.getZoom() + 1)")
    zoom = frame.evaluate("map_div.getZoom()")
    loads_before = sum(COMPONENT_INDEX in url for url in network.urls)

    harness.choose_selectbox(page, "Palette", "Đỏ / Red")
    assert harness.wait_for_fills_change(page, fills) == RED

    assert frame.evaluate("window.__ntmMarker") == "kept", "the map iframe was reloaded"
    assert frame.evaluate("map_div.getZoom()") == zoom, "the user's zoom was reset"
    assert sum(COMPONENT_INDEX in url for url in network.urls) == loads_before
    assert frame.evaluate("document.querySelectorAll('.ntm-legend').length") == 1
    assert "Đỏ / Red" in frame.inner_text(".ntm-legend")
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") == 2
    harness.screenshot(page, "fixture-red")

    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in network.urls)
    assert network.external() == [], f"requests left this machine: {network.external()}"


def test_tooltip_escapes_names_and_click_returns_code(fixture_server, new_page):
    page, network = new_page(1000, 800)
    page.goto(fixture_server)
    harness.wait_for_communes(page, 5)
    frame = harness.folium_frame(page)

    # The third commune is named "<script>alert('x')</script>".
    frame.locator("path.ntm-commune").nth(2).hover()
    tooltip = frame.locator(".ntm-tooltip")
    tooltip.wait_for(state="visible")
    assert "<script>alert('x')</script>" in tooltip.inner_text()
    assert tooltip.locator("script").count() == 0

    frame.locator("path.ntm-commune").nth(2).click()
    page.get_by_text("06007").wait_for()
    assert network.external() == []
