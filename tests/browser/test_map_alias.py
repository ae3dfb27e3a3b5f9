"""``/map?...`` (older links, addresses typed by hand) opens the map page with that view.

The map is the default page, served at ``/``; Streamlit 1.67 answered ``/map`` with its "Page not
found" dialog over the default page. ``app.py`` (``MAP_ALIAS``) registers ``/map`` as a hidden page
that opens the same view at ``/``, the address the app writes.
"""

from __future__ import annotations

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser


def test_the_map_address_opens_the_map_page_with_the_links_view(app_server, new_page):
    page, network = new_page(1280, 800)
    page.goto("about:blank")
    page.goto(app_server + "/map?theme=poverty&year=2011")
    fills = harness.wait_for_communes(page, 226)
    # the same view at "/", the address the app writes (poll in the page: Playwright's page.url lags)
    page.wait_for_function(
        "location.pathname === '/' && new URLSearchParams(location.search).get('theme') === 'poverty'"
        " && new URLSearchParams(location.search).get('year') === '2011'",
        timeout=60_000,
    )
    assert page.get_by_text("Tỷ lệ hộ nghèo — năm 2011").first.is_visible()
    assert "2011" in harness.map_frame(page).inner_text(".ntm-legend")
    radio = page.get_by_role("radio", name="Tỷ lệ hộ nghèo")
    harness.wait_until(radio.is_checked, timeout=60, what="the theme control on poverty")
    assert page.get_by_text("Page not found").count() == 0  # Streamlit's dialog for unknown pages
    assert page.get_by_text("đã được bỏ qua").count() == 0  # nothing of the link was ignored

    # Back comes to /map with the same view (no redirect loop), and once more leaves the app
    page.go_back()
    page.wait_for_function("location.pathname === '/map'", timeout=60_000)
    harness.wait_until(
        lambda: harness.painted_fills(harness.map_frame(page)) == fills,
        timeout=60,
        what="the poverty 2011 colours on /map",
    )
    harness.wait_until(radio.is_checked, timeout=60, what="the theme control still on poverty")
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2011'", timeout=60_000)
    page.go_back()
    page.wait_for_function("location.href === 'about:blank'", timeout=60_000)
    assert network.external() == []
