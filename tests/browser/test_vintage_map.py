"""The map page on the 65 units of 2025 (``units=2025``, issue 12), in headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1024, 768)])
def test_2025_map_paints_65_units_offline_and_round_trips(
    boundaries_2025, app_server, new_page, width, height
):
    page, network = new_page(width, height)
    page.goto(app_server + "/?units=2025&theme=poverty")
    fills = harness.wait_for_communes(page, 65)
    assert len(set(fills)) >= 3  # a choropleth, not one colour
    frame = harness.map_frame(page)
    legend = harness.wait_until(lambda: frame.inner_text(".ntm-legend"), timeout=60, what="legend")
    assert "suy ra" in legend and "Dữ liệu minh họa" in legend  # illustrative AND derived
    # no district borders inside the province (at most its own edge, drawn as one outline)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") <= 1
    assert page.get_by_text("Số liệu suy ra từ 226 đơn vị 2015", exact=False).first.is_visible()
    # the source line names the 2025 boundaries, not censusVN2009
    assert page.get_by_text("Ranh giới 65 đơn vị từ 01/7/2025", exact=False).first.is_visible()
    # the address keeps the vintage; the same link in a fresh browser shows the same map
    page.wait_for_function("location.search.includes('units=2025')", timeout=60_000)
    link = page.evaluate("location.href")
    harness.screenshot(page, f"app-2025-{width}x{height}")
    other, _ = new_page(width, height)
    other.goto(link)
    assert harness.wait_for_communes(other, 65) == fills
    assert network.external() == []


def test_2025_unit_details_show_k_of_n(boundaries_2025, app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server + "/?units=2025&theme=poverty")
    harness.wait_for_communes(page, 65)
    harness.choose_selectbox(page, "Đơn vị 2025", "Phường Tam Thanh")
    harness.wait_until(
        lambda: page.get_by_text("Xã Hoàng Đồng", exact=False).first.is_visible(),
        timeout=60,
        what="former units of Phường Tam Thanh",
    )
    assert page.get_by_text("xã cũ đạt", exact=False).first.is_visible()


def test_former_district_outlines_switch(boundaries_2025, app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server + "/?units=2025&theme=poverty")
    harness.wait_for_communes(page, 65)
    frame = harness.map_frame(page)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") <= 1
    page.get_by_text("Ranh giới huyện cũ (2015)", exact=False).first.click()
    harness.wait_until(
        lambda: (
            harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-district').length") >= 11
        ),
        timeout=60,
        what="the 11 former district outlines",
    )
    assert len(harness.painted_fills(harness.map_frame(page))) == 65
    harness.screenshot(page, "app-2025-former-districts-1920x1080")


def test_a_criteria_link_on_2025_units_says_why_the_theme_changed(boundaries_2025, app_server, new_page):
    """`/?units=2025` (criteria by default) opened on poverty without a word (trial 5, M4)."""
    page, _ = new_page(1024, 768)
    page.goto(app_server + "/?units=2025&theme=criteria")
    harness.wait_for_communes(page, 65)
    harness.wait_until(
        lambda: page.get_by_text("xã cũ đạt» ở bảng dưới bản đồ", exact=False).first.is_visible(),
        timeout=60,
        what="the notice saying why the theme changed",
    )
    # a valid parameter the view differs from: its own heading, never "invalid … ignored"
    notice = page.locator("[data-testid='stAlert']").filter(has_text="xã cũ đạt» ở bảng dưới bản đồ").first
    heading = notice.inner_text().split("theme = criteria")[0]  # (after the icon's ligature text)
    assert "Trang hiển thị khác một chút so với liên kết yêu cầu" in heading
    assert page.get_by_text("không hợp lệ và đã được bỏ qua").count() == 0
