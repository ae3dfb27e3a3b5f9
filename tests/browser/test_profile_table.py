"""The commune profile's framework-indicator table (value, threshold, ✓/✗) fits a 1024×768
projector: its status column is on screen, not cut off at the edge of its column."""

from __future__ import annotations

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

STATUS_TEXTS = ("✓ Đạt", "✗ Chưa đạt")


def test_the_indicator_status_column_is_visible_at_1024x768(app_server, new_page):
    page, network = new_page(1024, 768)
    page.goto(app_server + "/?communes=06625")  # a link naming Xã Kiên Mộc opens its profile
    harness.wait_for_communes(page, 226)
    # 2015 (491/342): 4.2, 11.1 and 17.1 are judged from the registry's electricity, poverty and
    # hygienic-water columns of the illustrative data
    table = page.locator("[data-testid='stTable']").filter(has_text="11.1").first
    harness.wait_until(table.is_visible, timeout=60, what="the profile's indicator table")
    table.scroll_into_view_if_needed()
    harness.screenshot(page, "profile-indicators-1024x768")
    column = page.locator("[data-testid='stColumn']").filter(has=table).last
    bounds = column.bounding_box()
    header = table.get_by_text("Kết quả", exact=True).first
    cells = [c for text in STATUS_TEXTS for c in table.get_by_text(text, exact=True).all()]
    assert cells, "no ✓/✗ cell in the indicator table"
    for box in [header.bounding_box(), *(c.bounding_box() for c in cells)]:
        assert box is not None and box["width"] > 0
        right = box["x"] + box["width"]
        assert right <= bounds["x"] + bounds["width"] + 1, (box, bounds)  # inside its column
        assert right <= 1024, box  # and on screen
    # every cell of both indicator tables lies inside the column (nothing cut at its right edge)
    widest = column.evaluate(
        """(col) => Math.max(...Array.from(col.querySelectorAll("[data-testid='stTable'] th, "
                 + "[data-testid='stTable'] td")).map((c) => c.getBoundingClientRect().right))"""
    )
    assert widest <= bounds["x"] + bounds["width"] + 1, (widest, bounds)
    # the threshold ">= 95,0 %" is escaped Markdown: shown as "≥ 95,0 %", not as a quote "= 95,0 %"
    assert table.get_by_text("≥ 95,0 %").count() == 1 and table.locator("blockquote").count() == 0
    assert network.external() == []
