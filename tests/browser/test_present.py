"""Presentation page and address-bar sync, in headless Chromium against the real app.

URL checks poll the *browser's* ``location`` with ``page.wait_for_function`` (at most 5 s).
Do not poll ``page.url`` between ``time.sleep`` calls: Playwright's sync API refreshes
``page.url`` only while it processes events (during a Playwright call), so such a loop sees the
previous URL until the next click — which looks exactly like "the URL is one rerun late".
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import parse_qsl, urlparse

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

URL_TIMEOUT_MS = 30_000  # the address bar follows within ~0.5 s on a quiet machine; CI may be loaded
DARKEST_GREEN = "#006837"  # YlGn-5 "19 criteria": 13 communes in 2015, none in 2011
POVERTY_LEGEND = "Tỷ lệ hộ nghèo (%)"


def wait_for_query(page, expected: dict[str, str], *, timeout_ms: int = URL_TIMEOUT_MS) -> dict[str, str]:
    """Wait until the address bar's query parameters are exactly ``expected``; return them."""
    page.wait_for_function(
        """(want) => {
            const got = Object.fromEntries(new URLSearchParams(window.location.search).entries());
            const keys = Object.keys(got).sort();
            return JSON.stringify(keys) === JSON.stringify(Object.keys(want).sort())
                && keys.every(k => got[k] === want[k]);
        }""",
        arg=expected,
        timeout=timeout_ms,
    )
    got = dict(parse_qsl(urlparse(page.url).query))  # page.url is fresh after a Playwright call
    assert got == expected
    return got


def _title(page) -> str:
    return harness.wait_until(
        lambda: page.locator(".st-key-ntm_title").inner_text().strip(), timeout=30, what="title"
    )


LIVE_BOXES = (
    "Array.from(document.querySelectorAll('.ntm-map-box')).filter(b => !b.closest('[data-stale=true]'))"
)


class MapView:
    """One live map of the page (the app's map component, in the page, no iframe), read like a
    frame: ``evaluate`` runs with ``document`` scoped to the map's box and ``map`` (or
    ``window.map``) = its Leaflet map; ``inner_text`` reads inside the box."""

    def __init__(self, page, index: int = 0) -> None:
        self.page, self.index = page, index

    def evaluate(self, js: str, arg=None):
        js = js.replace("window.map", "map")
        code = (
            "(arg) => { const box = "
            + LIVE_BOXES.replace("document.", "window.document.")
            + f"[{self.index}];"
            " if (!box) return null;"
            " const map = box.__ntmMap;"
            " const document = {querySelector: (s) => box.querySelector(s),"
            " querySelectorAll: (s) => box.querySelectorAll(s), documentElement: window.document.documentElement};"
            f" const f = ({js}); return typeof f === 'function' ? f(arg) : f; }}"
        )
        return self.page.evaluate(code, arg)

    def query_selector(self, selector: str):
        return self.evaluate("(s) => !!document.querySelector(s)", selector) or None

    def inner_text(self, selector: str) -> str:
        return self.evaluate(
            "(s) => { const e = document.querySelector(s); return e ? e.innerText : ''; }", selector
        )


def _frames(page, n: int):
    """The ``n`` live maps once each has all 226 communes painted (a stale map of the previous
    slide can linger during a rerun: poll until exactly ``n`` live ones are painted)."""

    def ready():
        count = page.evaluate(f"{LIVE_BOXES}.length")
        maps = [MapView(page, i) for i in range(count)]
        return count == n and all(len(harness.painted_fills(m)) == 226 for m in maps) and maps

    return harness.wait_until(ready, timeout=45, what=f"{n} painted map(s)")


@pytest.mark.parametrize(("width", "height"), [(1024, 768), (1920, 1080)])
def test_presentation_fills_the_screen_with_large_text(app_server, new_page, width, height):
    page, network = new_page(width, height)
    page.goto(app_server + "/present")
    fills = harness.wait_for_communes(page, 226)
    assert Counter(fills)[DARKEST_GREEN] == 0  # slide 1: criteria met in 2011
    assert "2011" in _title(page) and "Dữ liệu minh họa" in _title(page)
    # chrome hidden: no header, no sidebar, no page scroll
    assert not page.locator("header[data-testid='stHeader']").is_visible()
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert page.evaluate("document.documentElement.scrollHeight") <= height
    frame = _frames(page, 1)[0]
    harness.wait_until(
        lambda: frame.query_selector(".ntm-district-label .ntm-label-text"), timeout=20, what="labels"
    )
    m = frame.evaluate(
        """() => {
            const box = (el) => { const r = el.getBoundingClientRect(); return [r.width, r.height]; };
            const cells = Array.from(document.querySelectorAll('.ntm-legend td:nth-child(2)'));
            const labels = Array.from(document.querySelectorAll('.ntm-district-label .ntm-label-text'));
            return {
                map: box(document.querySelector('.leaflet-container')),
                legend: cells.map(c => [parseFloat(getComputedStyle(c).fontSize), box(c)[1], c.innerText]),
                labels: labels.map(l => [parseFloat(getComputedStyle(l).fontSize), box(l)[1], l.innerText]),
                frame: [window.innerWidth, window.innerHeight],
            };
        }"""
    )
    assert m["map"][1] >= 0.85 * height and m["map"][0] >= 0.95 * width, m["map"]  # the map fills the screen
    assert len(m["legend"]) >= 5 and all(size >= 24 and h >= 24 for size, h, _ in m["legend"]), m["legend"]
    assert len(m["labels"]) == 11 and all(size >= 24 and h >= 24 for size, h, _ in m["labels"]), m["labels"]
    assert {"Đình Lập", "TP Lạng Sơn", "Tràng Định"} <= {text for *_, text in m["labels"]}
    harness.screenshot(page, f"present-{width}x{height}")
    # commune names appear when zoomed in
    assert frame.evaluate("document.querySelector('.ntm-commune-label').offsetParent") is None

    def visible_commune_labels() -> int:  # zoomed in, off-screen communes are not painted
        f = MapView(page, 0)
        f.evaluate(
            "() => { if (window.map && window.map.getZoom() < 12) window.map.setZoom(12, {animate: false}); }"
        )
        return f.evaluate(
            "Array.from(document.querySelectorAll('.ntm-commune-label .ntm-label-text'))"
            ".filter(e => e.offsetParent && e.style.visibility !== 'hidden').length"
        )

    harness.wait_until(
        lambda: visible_commune_labels() > 5, timeout=45, what="commune labels after zooming in"
    )
    frame.evaluate("() => { const m = window.map; m.setZoom(9, {animate: false}); }")
    harness.wait_until(
        lambda: (
            not frame.evaluate(
                "document.querySelector('.leaflet-container').classList.contains('ntm-zoomed')"
            )
        ),
        timeout=10,
        what="labels hidden again",
    )
    assert network.external() == []


def test_keys_and_buttons_step_slides_and_the_url_follows(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server + "/present")
    before = harness.wait_for_communes(page, 226)
    page.locator(".st-key-ntm_title").click()  # focus in the main document
    page.wait_for_function("!!window.__ntmKeyHandler")  # the map module's slide keys are on
    page.keyboard.press("ArrowRight")
    wait_for_query(page, {"slide": "2"})
    after = harness.wait_for_fills_change(page, before)
    assert Counter(after)[DARKEST_GREEN] == 13 and "2015" in _title(page)

    page.keyboard.press("PageDown")  # what a presentation clicker sends
    wait_for_query(page, {"slide": "3"})
    left, right = _frames(page, 2)  # side-by-side comparison, same extent
    assert Counter(harness.painted_fills(left))[DARKEST_GREEN] == 0
    assert Counter(harness.painted_fills(right))[DARKEST_GREEN] == 13
    extent = "() => { const m = window.map; return [m.getZoom(), m.getCenter().lat, m.getCenter().lng]; }"

    def same(a, b) -> bool:  # same zoom, centres within 0.003° (< 2 px at the province zoom)
        return a[0] == b[0] and abs(a[1] - b[1]) < 3e-3 and abs(a[2] - b[2]) < 3e-3

    assert same(left.evaluate(extent), right.evaluate(extent)), (
        left.evaluate(extent),
        right.evaluate(extent),
    )
    target = [11, 21.85, 106.75]

    def pan_left_then_right_follows() -> bool:
        # (re)pan the left map only while a late initial fit may still move it; the right map is
        # never touched: it can only get there through the sync
        if not same(left.evaluate(extent), target):
            left.evaluate("() => window.map.setView([21.85, 106.75], 11, {animate: false})")
        return same(right.evaluate(extent), target)

    harness.wait_until(pan_left_then_right_follows, timeout=15, interval=0.5, what="synced pan/zoom")
    harness.screenshot(page, "present-compare-1280x800")

    page.keyboard.press("PageUp")
    wait_for_query(page, {"slide": "2"})
    _frames(page, 1)  # (stepping back before slide 2 is drawn would keep the zoomed comparison maps)
    page.keyboard.press("ArrowRight")
    wait_for_query(page, {"slide": "3"})
    _frames(page, 2)
    page.locator(
        ".st-key-ntm_next:not([data-stale=true]) button[data-testid^=stBaseButton]:visible"
    ).click()  # ▶
    wait_for_query(page, {"slide": "4"})
    frame = _frames(page, 1)[0]
    harness.wait_until(
        lambda: "Số tiêu chí tăng thêm" in frame.inner_text(".ntm-legend"), timeout=30, what="change legend"
    )
    assert "tăng thêm 2011 → 2015" in _title(page)
    # keys also work after a click on the map (focus inside the map)
    page.locator(".ntm-map-box .leaflet-container").last.click(position={"x": 30, "y": 400})
    page.keyboard.press("ArrowRight")
    wait_for_query(page, {"slide": "5"})
    harness.wait_until(
        lambda: POVERTY_LEGEND in _frames(page, 1)[0].inner_text(".ntm-legend"),
        timeout=30,
        what="poverty legend",
    )


def test_link_reopens_the_same_slide_in_a_fresh_browser(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server + "/present?slides=criteria_met.2015~poverty_rate_pct.2011~change&lang=en")
    harness.wait_for_communes(page, 226)
    page.keyboard.press("ArrowRight")
    query = wait_for_query(
        page, {"slides": "criteria_met.2015~poverty_rate_pct.2011~change", "slide": "2", "lang": "en"}
    )
    frame = _frames(page, 1)[0]
    harness.wait_until(
        lambda: "Poverty rate" in frame.inner_text(".ntm-legend"), timeout=30, what="poverty legend"
    )
    fills, legend, title = harness.painted_fills(frame), frame.inner_text(".ntm-legend"), _title(page)
    assert "2011" in title and "Illustrative data" in title
    link = page.url

    other, _ = new_page(1280, 800)  # new browser context: no shared session
    other.goto(link)
    assert harness.wait_for_communes(other, 226) == fills
    assert _frames(other, 1)[0].inner_text(".ntm-legend") == legend
    assert _title(other) == title
    wait_for_query(other, query)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("slides=%3Cscript%3Ealert(1)%3C/script%3E&slide=abc", "slides"),
        ("slides=criteria_met.2099~foo.2015~change.d999&slide=2", "criteria_met.2099"),
        ("slides=change~poverty_rate_pct.2015&slide=9", "chỉ có 2 trang chiếu"),
        # a map-page link on /present: well-formed but not used, said (issue 14, item 12)
        ("theme=poverty&year=2011&district=186", "slides=poverty_rate_pct.2011.d186"),
    ],
)
def test_tampered_presentation_link_opens_a_default_with_a_notice(app_server, new_page, query, shown):
    page, network = new_page(1280, 800)
    page.goto(app_server + "/present?" + query)
    harness.wait_for_communes(page, 226)
    notice = (
        page.locator("[data-testid='stAlert']").filter(has_text="đã được bỏ").first
    )  # "… bỏ qua" (invalid), "… bỏ khỏi địa chỉ" (unused)
    assert not notice.is_visible()  # one collapsed line above the map (trial 8, m5) ...
    page.locator(".st-key-ntm_link_notices summary").click()  # ... the details behind it
    notice.wait_for(state="visible")
    assert shown in notice.inner_text()
    body = page.inner_html("body")
    assert "<script>alert(1)</script>" not in body
    assert page.locator(".st-key-ntm_counter").inner_text().strip().startswith("1 /")
    expected = {"slides": "change~poverty_rate_pct.2015"} if "change~" in query else {}
    wait_for_query(page, expected)  # the cleaned link replaces the tampered one
    assert network.external() == []


def test_link_notices_leave_the_whole_map_on_a_768_pixel_projector(app_server, new_page):
    """trial 8, m5: on `/present?year=1999&theme=<img…>&slides=99` two notice boxes pushed the
    map's lower half off a 1024×768 projector; now one collapsed line (Vietnamese) and a shorter
    map, and `slides=99` is one item, not two."""
    page, _ = new_page(1024, 768)
    page.goto(app_server + "/present?year=1999&theme=%3Cimg%20src%3Dx%3E&slides=99")
    harness.wait_for_communes(page, 226)
    line = page.locator(".st-key-ntm_link_notices summary")
    assert "Liên kết: 3 tham số không hiển thị như đã ghi" in line.inner_text()
    geometry = page.evaluate(
        """() => {
            const r = (e) => e.getBoundingClientRect();
            const boxes = Array.from(document.querySelectorAll('.ntm-map-box')).filter(b => !b.closest('[data-stale=true]'));
            return {bottoms: boxes.map(b => r(b).bottom), top: r(boxes[0]).top,
                    line: r(document.querySelector('.st-key-ntm_link_notices')).height,
                    height: window.innerHeight, scroll: document.documentElement.scrollHeight};
        }"""
    )
    assert geometry["bottoms"] and all(b <= geometry["height"] for b in geometry["bottoms"]), geometry
    assert geometry["line"] <= 40 and geometry["scroll"] <= geometry["height"], geometry
    assert geometry["bottoms"][0] - geometry["top"] >= 0.75 * geometry["height"], geometry  # still the screen
    harness.screenshot(page, "present-link-notices-1024x768")
    line.click()
    items = page.locator(".st-key-ntm_link_notices li")
    items.last.wait_for(state="visible")
    texts = items.all_inner_texts()
    assert [t.split(" = ")[0] for t in texts] == ["theme", "slides", "year"]
    assert "slides = 99 — không có dạng CHỈ_TIÊU.NĂM; dùng trình tự mặc định" in texts
    assert "<img" not in page.inner_html(".st-key-ntm_link_notices").replace("&lt;img", "")


def test_map_page_url_follows_every_widget_change(app_server, new_page):
    """The lead's map page writes st.query_params in the body/callbacks: the address bar follows."""
    page, _ = new_page(1280, 900)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    page.get_by_text("Tỷ lệ hộ nghèo", exact=True).first.click()
    wait_for_query(page, {"theme": "poverty"})
    page.get_by_role("radio", name="2011").or_(page.get_by_role("button", name="2011")).first.click()
    wait_for_query(page, {"theme": "poverty", "year": "2011"})
    harness.choose_selectbox(page, "Phương pháp phân lớp", "Phân vị (số đơn vị bằng nhau)")
    wait_for_query(page, {"theme": "poverty", "year": "2011", "scheme": "quantiles"})
    page.get_by_text("Tiêu chí nông thôn mới", exact=True).first.click()
    wait_for_query(page, {"year": "2011", "scheme": "quantiles"})


def test_back_button_returns_to_the_previous_slide_and_menu_switch_keeps_the_map_view(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server + "/present")
    first = harness.wait_for_communes(page, 226)
    page.locator(".st-key-ntm_title").click()
    page.wait_for_function("!!window.__ntmKeyHandler")  # the map module's slide keys are on
    page.keyboard.press("ArrowRight")
    wait_for_query(page, {"slide": "2"})
    harness.wait_for_fills_change(page, first)
    page.go_back()
    page.wait_for_function(
        "new URLSearchParams(location.search).get('slide') !== '2'", timeout=URL_TIMEOUT_MS
    )
    harness.wait_until(
        lambda: harness.painted_fills(_frames(page, 1)[0]) == first, timeout=30, what="slide 1 again"
    )
    assert "2011" in _title(page)

    # the map page's view survives a visit to another page through the menu
    page.goto(app_server + "/?theme=poverty&year=2011")
    harness.wait_until(
        lambda: "Tỷ lệ hộ nghèo (%)" in _frames(page, 1)[0].inner_text(".ntm-legend"),
        timeout=60,
        what="poverty map",
    )
    page.get_by_role("link", name="Trình chiếu").first.click()
    page.wait_for_function("location.pathname.endsWith('/present')", timeout=URL_TIMEOUT_MS)
    harness.wait_for_communes(page, 226)
    page.locator("[data-testid='stPopover'] button").first.click()  # the slide list, with the way out
    page.get_by_role("link", name="Thoát trình chiếu").click()
    page.wait_for_function(
        "new URLSearchParams(location.search).get('theme') === 'poverty'"
        " && new URLSearchParams(location.search).get('year') === '2011'",
        timeout=URL_TIMEOUT_MS,
    )
    harness.wait_until(
        lambda: "2011" in _frames(page, 1)[0].inner_text(".ntm-legend"),
        timeout=60,
        what="the same poverty 2011 map",
    )


# Projector polish (issue 11, item 7): measured in the page, at both projector sizes.
PROJECTOR_LAYOUT = """() => {
    const r = (el) => { const b = el.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
    const source = document.querySelector('.ntm-map-box .ntm-text.ntm-source');
    const scale = document.querySelector('.ntm-map-box .leaflet-control-scale-line');
    const labels = Array.from(document.querySelectorAll('.ntm-map-box .ntm-district-label .ntm-label-text'))
        .filter(e => e.offsetParent && e.style.visibility !== 'hidden')
        .map(e => ({text: e.innerText, ...r(e)}));
    return {
        viewport: [window.innerWidth, window.innerHeight],
        source: {font: parseFloat(getComputedStyle(source).fontSize), ...r(source)},
        scale: {font: parseFloat(getComputedStyle(scale).fontSize), width: scale.getBoundingClientRect().width, ...r(scale)},
        labels,
    };
}"""


def _apart(a: dict, b: dict) -> float:
    """Clearance in px between two label boxes (negative: they overlap)."""
    return max(b["left"] - a["right"], a["left"] - b["right"], b["top"] - a["bottom"], a["top"] - b["bottom"])


@pytest.mark.parametrize(("width", "height", "source_px"), [(1024, 768, 14), (1920, 1080, 18)])
def test_projector_source_line_scale_bar_and_district_labels_are_readable(
    app_server, new_page, width, height, source_px
):
    """Slide 1: the source line is >= 18 px at 1920 (14 px at 1024), inside the screen; the scale
    bar is long and large; no two district names touch (a third of a line apart: Vietnamese
    marks stack above and below the line box, 'Cao Lộc' over 'TP Lạng Sơn' at 1024)."""
    page, _ = new_page(width, height)
    page.goto(app_server + "/present")
    harness.wait_for_communes(page, 226)
    harness.wait_until(
        lambda: len(page.evaluate(PROJECTOR_LAYOUT)["labels"]) == 11, timeout=30, what="11 district labels"
    )
    page.wait_for_timeout(500)  # the labels' deferred placement (30 and 350 ms after a move)
    m = page.evaluate(PROJECTOR_LAYOUT)
    vw, vh = m["viewport"]
    source, scale = m["source"], m["scale"]
    assert source["font"] >= source_px, source
    assert source["left"] >= 0 and source["right"] <= vw and source["bottom"] <= vh, (source, m["viewport"])
    assert scale["font"] >= 14 and scale["width"] > 100, scale  # (Leaflet's default: 11 px, at most 100 px)
    assert scale["bottom"] <= vh
    labels = m["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            height_px = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
            assert _apart(a, b) >= height_px / 4, (a, b)
    # the city's name and Cao Lộc's (which wraps around the city) were 17 px apart at 1024: now
    # Cao Lộc's name sits in its wide northern part (labels.DISTRICT_LABEL_OFFSETS)
    by_text = {label["text"]: label for label in labels}
    city, cao_loc = by_text["TP Lạng Sơn"], by_text["Cao Lộc"]
    assert _apart(city, cao_loc) >= 0.75 * (city["bottom"] - city["top"]), (city, cao_loc)
    harness.screenshot(page, f"present-slide1-{width}x{height}")
