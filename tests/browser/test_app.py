"""The real app in headless Chromium, started as the README says (``streamlit run app.py``).

Checks what a user sees: 226 communes painted with no request leaving the machine, a legend
whose counts match the painted colours, the illustrative-data label, theme switching that
recolours without reloading the map, the district zoom/dim, a click opening the commune
profile, and the English switch. Screenshots at projector sizes go to artifacts/screenshots/.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

MARK_BOX = "document.querySelector('.ntm-map-box').__ntmMarker = 'kept'"  # on the map's own element:
KEPT = "document.querySelector('.ntm-map-box').__ntmMarker"  # a re-created map has a new one
DARKEST_GREEN = "#006837"  # ColorBrewer YlGn-5, class "19 criteria"
NOT_ASSESSED = "#e4e4e4"


def _legend(page) -> str:
    frame = harness.map_frame(page)
    return harness.wait_until(lambda: frame.inner_text(".ntm-legend"), timeout=60, what="legend text")


@pytest.mark.parametrize(("width", "height"), [(1920, 1080), (1024, 768)])
def test_default_view_paints_226_communes_offline_with_legend(app_server, new_page, width, height):
    page, network = new_page(width, height)
    page.goto(app_server)
    fills = harness.wait_for_communes(page, 226)
    counts = Counter(fills)
    # 2015 groups of the report: 13 communes meet all 19; 19 wards/townships are not assessed
    assert counts[DARKEST_GREEN] == 13
    assert counts[NOT_ASSESSED] == 19
    legend = _legend(page)
    for text in ("Số tiêu chí đạt", "19 tiêu chí", "< 5 tiêu chí", "Không đánh giá", "Dữ liệu minh họa"):
        assert text in legend
    assert page.get_by_text("Dữ liệu minh họa:").first.is_visible()
    assert page.get_by_text("năm 2015").first.is_visible()
    frame = harness.map_frame(page)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") == 11
    # the map fills its box: the province's painted extent uses most of the map's width or height
    box = frame.evaluate(
        """() => { const m = document.querySelector('.leaflet-container').getBoundingClientRect();
                   const b = document.querySelector('path.ntm-district').ownerSVGElement.getBBox();
                   return [m.width, m.height, b.width, b.height]; }"""
    )
    assert max(box[2] / box[0], box[3] / box[1]) > 0.6, box
    # the map comes first; the controls follow once it is drawn, without drawing it again
    frame.evaluate(MARK_BOX)
    district = page.get_by_text("Huyện / thành phố", exact=True).first
    harness.wait_until(district.is_visible, timeout=60, what="the sidebar controls after the map")
    # the body below the map comes with the same rerun, a moment after the sidebar (measured up to
    # 1.5 s later on a loaded machine): wait for it rather than look once
    harness.wait_until(
        lambda: page.get_by_text("Hồ sơ xã", exact=True).first.is_visible(),
        timeout=30,
        what="commune profile",
    )
    assert page.get_by_text("Lập kế hoạch", exact=True).first.is_visible()  # the page menu came with them
    assert frame.evaluate(KEPT) == "kept"
    harness.screenshot(page, f"app-default-{width}x{height}")
    assert network.external() == []


def test_switching_theme_recolours_without_reloading_the_map(app_server, new_page):
    page, network = new_page(1920, 1080)
    received = {"bytes": 0}  # websocket bytes from the server (issue 11: a theme change sends <= 12 KiB)
    frames: list[bytes] = []

    def on_frame(payload) -> None:
        data = payload.encode("utf-8") if isinstance(payload, str) else payload
        received["bytes"] += len(data)
        frames.append(data)

    page.on("websocket", lambda sock: sock.on("framereceived", on_frame))
    page.goto(app_server)
    before = harness.wait_for_communes(page, 226)
    frame = harness.map_frame(page)
    frame.evaluate(MARK_BOX)
    page.get_by_text("Hồ sơ xã", exact=True).first.wait_for()  # the page's last section has arrived
    idle = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
    page.wait_for_function(idle, timeout=60_000)
    sent_before, frames_before = received["bytes"], len(frames)

    page.get_by_text("Tỷ lệ hộ nghèo", exact=True).first.click()
    after = harness.wait_for_fills_change(page, before)
    page.wait_for_function(idle, timeout=60_000)
    # the status widget shows only after a delay, so "idle" can be true while the rerun still
    # sends: wait for the sidebar's theme radio (sent after the map) and for the frames to stop
    radio = "Chủ đề bản đồ".encode()
    harness.wait_until(
        lambda: any(radio in f for f in frames[frames_before:]), timeout=60, what="the rerun's theme radio"
    )
    count = -1
    while count != len(frames):  # no new frame for 0.5 s: the rerun is complete
        count = len(frames)
        page.wait_for_timeout(500)
    rerun_bytes = received["bytes"] - sent_before
    assert 2_000 < rerun_bytes <= 12 * 1024, f"theme change sent {rerun_bytes} bytes"
    # the map's message comes before the sidebar's widgets (the theme radio, labelled "Chủ đề bản
    # đồ"): the browser recolours before it renders them again (app_pages/map.py, Controls)
    rerun = frames[frames_before:]
    map_at = next(i for i, f in enumerate(rerun) if b"ntm_geo.map" in f)
    radio_at = next(i for i, f in enumerate(rerun) if radio in f)
    assert map_at < radio_at, f"map message {map_at}, theme radio {radio_at} of {len(rerun)}"
    assert len(after) == 226
    assert NOT_ASSESSED not in after  # wards have a poverty rate: all 226 are coloured
    harness.wait_until(
        lambda: "Tỷ lệ hộ nghèo (%)" in frame.inner_text(".ntm-legend"), timeout=60, what="poverty legend"
    )
    legend = frame.inner_text(".ntm-legend")
    assert "Ngắt tự nhiên" in legend and "%" in legend
    assert frame.evaluate(KEPT) == "kept"  # the same map element: no re-creation, zoom kept
    harness.screenshot(page, "app-poverty-1920x1080")

    page.get_by_text("Hạ tầng", exact=True).first.click()
    infra = harness.wait_for_fills_change(page, after)
    assert len(infra) == 226
    harness.wait_until(
        lambda: "tiêu chí 2–9" in frame.inner_text(".ntm-legend"), timeout=60, what="infrastructure legend"
    )
    assert network.external() == []


def test_district_dims_the_rest_and_click_opens_profile(app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    harness.choose_selectbox(page, "Huyện / thành phố", "Huyện Đình Lập")

    def dimmed() -> int:  # a district change re-fits the map (new extent), recoloured in place
        return harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-dimmed').length")

    harness.wait_until(
        lambda: dimmed() == 226 - 12, timeout=90, what="214 dimmed communes (Đình Lập has 12 units)"
    )
    frame = harness.map_frame(page)
    # (zoomed in, communes far from the district may lie outside the drawn area: not painted)
    harness.wait_until(
        lambda: len(harness.painted_fills(frame, "path.ntm-commune:not(.ntm-dimmed)")) == 12,
        timeout=90,
        what="the district's 12 communes painted",
    )
    # click the largest undimmed commune
    frame.evaluate(
        """() => { const ps = Array.from(document.querySelectorAll('path.ntm-commune:not(.ntm-dimmed)'));
                   ps.sort((a, b) => b.getBBox().width * b.getBBox().height - a.getBBox().width * a.getBBox().height);
                   ps[0].dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1})); }"""
    )
    harness.wait_until(
        lambda: page.get_by_text("Huyện Đình Lập · ").count() > 0, timeout=60, what="profile header"
    )
    harness.wait_until(
        lambda: page.get_by_text("Dân số (Tổng điều tra 2009)").first.is_visible(),
        timeout=60,
        what="profile facts",
    )
    harness.screenshot(page, "app-district-profile-1920x1080")


def test_english_switch(app_server, new_page):
    page, _ = new_page(1024, 768)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    page.get_by_text("English", exact=True).first.click()
    frame = harness.map_frame(page)
    harness.wait_until(
        lambda: "Criteria met" in frame.inner_text(".ntm-legend"), timeout=60, what="English legend"
    )
    assert "Not assessed" in frame.inner_text(".ntm-legend")
    assert page.get_by_text("Illustrative data").first.is_visible()
    harness.screenshot(page, "app-english-1024x768")


def test_shared_link_reproduces_the_view_in_a_fresh_browser(app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    page.get_by_text("Tỷ lệ hộ nghèo", exact=True).first.click()
    harness.choose_selectbox(page, "Phương pháp phân lớp", "Phân vị (số đơn vị bằng nhau)")
    page.get_by_role("radio", name="2011").or_(page.get_by_role("button", name="2011")).first.click()
    frame = harness.map_frame(page)
    harness.wait_until(
        lambda: "Phân vị" in frame.inner_text(".ntm-legend") and "2011" in frame.inner_text(".ntm-legend"),
        timeout=60,
        what="quantile legend for 2011",
    )
    fills = harness.painted_fills(frame)
    legend = frame.inner_text(".ntm-legend")
    # the address bar follows the widgets (poll in the page: Playwright's page.url lags)
    page.wait_for_function(
        "location.search.includes('year=2011') && location.search.includes('scheme=quantiles')"
        " && location.search.includes('theme=poverty')",
        timeout=60_000,
    )
    page.get_by_text("Chia sẻ liên kết").first.click()  # the "copy link" box
    code = page.locator("[data-testid='stCode'] code, [data-testid='stCodeBlock'] code, pre code").first
    shared = harness.wait_until(
        lambda: (txt := code.inner_text().strip()) and "year=2011" in txt and txt,
        timeout=60,
        what="share link",
    )
    assert "scheme=quantiles" in shared and "theme=poverty" in shared and shared.startswith(app_server + "/?")

    other, _ = new_page(1920, 1080)  # a new browser context: no shared session or cache
    other.goto(shared)
    assert harness.wait_for_communes(other, 226) == fills
    assert harness.map_frame(other).inner_text(".ntm-legend") == legend
    assert other.get_by_text("Tỷ lệ hộ nghèo — năm 2011").first.is_visible()


def test_tampered_link_opens_default_view_with_notice(app_server, new_page):
    page, network = new_page(1280, 900)
    page.goto(
        app_server
        + "/?theme=%3Cscript%3Ealert(1)%3C/script%3E&year=abc&k=99&district=000&communes=06625,06337,%3Cb%3Ex"
    )
    fills = harness.wait_for_communes(page, 226)
    assert Counter(fills)[DARKEST_GREEN] == 13  # default view: criteria met, 2015
    notice = page.get_by_text("đã được bỏ qua").first
    assert notice.is_visible()
    body = page.inner_html("body")
    assert "<script>alert(1)</script>" not in body and "<b>x" not in body
    # code 06625 is valid and kept: its profile is shown (the map page shows the first commune's)
    harness.wait_until(
        lambda: page.get_by_text("Xã Kiên Mộc").count() > 0, timeout=60, what="profile of 06625"
    )
    assert "communes=06625" in page.url  # the valid part of the link survives
    assert (
        page.get_by_text("các mã sau bị bỏ qua").count() > 0
    )  # a second valid commune is not dropped silently
    assert network.external() == []


def test_link_parameters_a_page_does_not_use_are_said_and_dropped_on_the_map_and_data_pages(
    app_server, new_page
):
    """`/?slides=zzz` kept the unused slide list in the map page's address bar; `/data?…` left a
    map link's parameters without a word."""
    page, _ = new_page(1024, 768)
    page.goto(app_server + "/?slides=zzz&year=2011")
    harness.wait_for_communes(page, 226)
    notice = page.locator("[data-testid='stAlert']").filter(has_text="Trang này không dùng một số tham số")
    notice.first.wait_for()
    assert "slides" in notice.first.inner_text() and "zzz" in notice.first.inner_text()
    page.wait_for_function("location.search === '?year=2011'", timeout=60_000)  # slides dropped, year kept
    page.goto(app_server + "/data?year=2011&theme=poverty")
    notice = page.locator("[data-testid='stAlert']").filter(has_text="Trang này không dùng một số tham số")
    notice.first.wait_for(timeout=60_000)
    text = notice.first.inner_text()
    assert "year" in text and "2011" in text and "theme" in text and "poverty" in text
    page.wait_for_function("location.search === ''", timeout=60_000)


def test_report_check_and_table_on_request(app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    assert page.get_by_text("Tất cả 31 số liệu khớp với báo cáo.").count() == 0  # not rendered until asked
    page.get_by_text("Đối chiếu với Báo cáo 48/BC-BCĐ — 2015", exact=True).first.click()
    harness.wait_until(
        lambda: page.get_by_text("Tất cả 31 số liệu khớp với báo cáo.").count() > 0,
        timeout=30,
        what="report check summary",
    )
    page.get_by_text("Bảng số liệu của bản đồ", exact=True).first.click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Tải CSV").click()
    data = Path(download.value.path()).read_bytes()
    assert data.startswith(
        b"\xef\xbb\xbf# D\xe1\xbb\xaf li\xe1\xbb\x87u minh h\xe1\xbb\x8da"
    )  # BOM + "# Dữ liệu minh họa"
    assert data.decode("utf-8-sig").count("\n") == 226 + 2


def test_language_switch_keeps_the_view_and_shows_translated_choices(app_server, new_page):
    page, _ = new_page(1280, 900)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    page.get_by_text("English", exact=True).first.click()
    harness.wait_until(
        lambda: page.get_by_role("radio", name="NTM criteria met").is_checked(),
        timeout=60,
        what="theme radio checked in English",
    )
    page.get_by_text("Poverty rate", exact=True).first.click()
    frame = harness.map_frame(page)
    harness.wait_until(
        lambda: "Poverty rate (%)" in frame.inner_text(".ntm-legend"),
        timeout=60,
        what="poverty legend in English",
    )
    page.get_by_text("Tiếng Việt", exact=True).first.click()
    harness.wait_until(
        lambda: page.get_by_role("radio", name="Tỷ lệ hộ nghèo").is_checked(),
        timeout=60,
        what="poverty still chosen after switching back",
    )
    harness.wait_until(
        lambda: "Tỷ lệ hộ nghèo (%)" in harness.map_frame(page).inner_text(".ntm-legend"),
        timeout=60,
        what="poverty legend in Vietnamese",
    )


def test_back_and_forward_buttons_restore_earlier_views(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server)
    default = harness.wait_for_communes(page, 226)

    page.get_by_text("Tỷ lệ hộ nghèo", exact=True).first.click()
    page.wait_for_function("new URLSearchParams(location.search).get('theme') === 'poverty'", timeout=60_000)
    poverty_2015 = harness.wait_for_fills_change(page, default)
    page.get_by_role("radio", name="2011").or_(page.get_by_role("button", name="2011")).first.click()
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2011'", timeout=60_000)
    harness.wait_for_fills_change(page, poverty_2015)

    page.go_back()  # -> poverty, 2015: map, legend and the year control follow the address bar
    page.wait_for_function("new URLSearchParams(location.search).get('year') !== '2011'", timeout=60_000)
    harness.wait_until(
        lambda: harness.painted_fills(harness.map_frame(page)) == poverty_2015,
        timeout=60,
        what="the poverty 2015 colours again",
    )
    assert "2015" in harness.map_frame(page).inner_text(".ntm-legend")
    assert page.get_by_text("Tỷ lệ hộ nghèo — năm 2015").first.is_visible()

    page.go_back()  # -> the default view
    page.wait_for_function("!new URLSearchParams(location.search).get('theme')", timeout=60_000)
    harness.wait_until(
        lambda: harness.painted_fills(harness.map_frame(page)) == default,
        timeout=60,
        what="the default colours again",
    )
    # the theme control too (it comes just after the map: app_pages/map.py sends the map first)
    radio = page.get_by_role("radio", name="Tiêu chí nông thôn mới")
    harness.wait_until(radio.is_checked, timeout=60, what="the theme control back on criteria")

    page.go_forward()  # -> poverty 2015 again
    page.wait_for_function("new URLSearchParams(location.search).get('theme') === 'poverty'", timeout=60_000)
    harness.wait_until(
        lambda: harness.painted_fills(harness.map_frame(page)) == poverty_2015,
        timeout=60,
        what="forward to poverty 2015",
    )
    radio = page.get_by_role("radio", name="Tỷ lệ hộ nghèo")
    harness.wait_until(radio.is_checked, timeout=60, what="the theme control forward on poverty")


def test_switching_pages_in_english_keeps_the_map_view(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server + "/?year=2011&theme=poverty&district=185&lang=en")
    harness.wait_until(page.get_by_text("Planner", exact=True).first.is_visible, timeout=60, what="the menu")
    assert page.get_by_text("Poverty rate — 2011").count() > 0
    page.locator("[data-testid=stSidebarNav] a").filter(has_text="Planner").first.click()
    page.wait_for_function("location.pathname.includes('planner')", timeout=60_000)
    page.locator("[data-testid=stSidebarNav] a").filter(
        has_text="Map"
    ).first.click()  # from the menu: "/?lang=en"
    page.wait_for_function("!location.pathname.includes('planner')", timeout=60_000)
    harness.wait_until(
        lambda: page.get_by_text("Poverty rate — 2011").count() > 0,
        timeout=60,
        what="the poverty 2011 view again, not the default view",
    )
    page.wait_for_function(
        "location.search.includes('year=2011') && location.search.includes('district=185')", timeout=60_000
    )


@pytest.mark.parametrize("blocked", ["leaflet.js", "leaflet.css"])
def test_map_that_cannot_load_leaflet_says_so_and_the_page_still_works(app_server, new_page, blocked):
    """Leaflet's script or stylesheet missing: the map's error text, and the controls still come
    (without the stylesheet the map was drawn broken, with no word: trial 8)."""
    page, _ = new_page(1280, 800)
    # as if the file were missing (also the module's retry, which asks for <file>?retry=1)
    page.route(f"**/vendor/leaflet/{blocked}*", lambda route: route.abort())
    page.goto(app_server)
    error = page.locator(".ntm-map-error")
    harness.wait_until(lambda: error.count() > 0, timeout=60, what="the map's error message")
    assert (
        "Không vẽ được bản đồ" in error.inner_text()
        and "python -m ntm_geo.maps.webassets" in error.inner_text()
    )
    district = page.get_by_text("Huyện / thành phố", exact=True).first  # the controls still come
    harness.wait_until(district.is_visible, timeout=60, what="the sidebar controls")


def test_map_whose_module_cannot_load_says_so_and_the_page_still_works(app_server, new_page):
    """The map module missing (or the network dropping it): the loader's import failed without a
    handler, so Streamlit showed its English "BidiComponent Error" with the module's URL, and the
    map never sent "ready": the sidebar said "Đang tải các tùy chọn bản đồ…" for ever."""
    page, _ = new_page(1280, 800)
    page.route("**/app/static/ntm/*.js*", lambda route: route.abort())
    page.goto(app_server)
    error = page.locator(".ntm-map-error")
    harness.wait_until(lambda: error.count() > 0, timeout=60, what="the map's error message")
    # the message names the files it may be (it said "Leaflet" whatever failed)
    assert "Không vẽ được bản đồ" in error.inner_text() and "mô-đun bản đồ" in error.inner_text()
    district = page.get_by_text("Huyện / thành phố", exact=True).first  # the controls still come
    harness.wait_until(district.is_visible, timeout=60, what="the sidebar controls")
    assert page.get_by_text("BidiComponent Error").count() == 0


def test_a_real_click_on_the_map_opens_the_profile_without_moving_the_page(app_server, new_page):
    page, _ = new_page(1024, 560)  # a short window: the map's lower edge is below the fold
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    harness.wait_until(
        page.get_by_text("Huyện / thành phố", exact=True).first.is_visible,
        timeout=60,
        what="the controls after the first paint",
    )
    scroller = (
        "(() => { const m = document.querySelector('[data-testid=stMain]'); return m ? m.scrollTop : 0; })()"
    )
    before = page.evaluate(scroller)
    # the mouse, not a synthetic event: press and release on a commune near the top of the map
    box = page.evaluate(
        """() => { const top = document.querySelector('.ntm-map-box').getBoundingClientRect().top;
                   const ps = Array.from(document.querySelectorAll('path.ntm-commune'))
                     .map(p => p.getBoundingClientRect()).filter(r => r.top > top + 60 && r.bottom < 520 && r.width > 20);
                   ps.sort((a, b) => b.width * b.height - a.width * a.height);
                   const r = ps[0]; return [r.left + r.width / 2, r.top + r.height / 2]; }"""
    )
    page.mouse.click(*box)
    harness.wait_until(
        lambda: page.get_by_text("Dân số (Tổng điều tra 2009)").count() > 0,
        timeout=60,
        what="the profile of the clicked commune",
    )
    assert page.evaluate(scroller) == before  # Leaflet's focus on mouse-down no longer scrolls the column
    # the profile opened below the fold: a note says where it is
    harness.wait_until(
        lambda: page.get_by_text("ở bên dưới bản đồ").count() > 0,
        timeout=30,
        what="the note that the profile is below the map",
    )


def test_hovering_a_commune_shows_its_tooltip_and_outline(app_server, new_page):
    page, _ = new_page(1920, 1080)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    # a commune whose path is what the mouse meets at the centre of its box
    target = page.evaluate(
        """() => { const st = document.querySelector('.ntm-map-box').__ntmMap._ntm;
                   for (const layer of st.layers) {
                     const r = layer._path.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
                     if (r.width > 30 && document.elementFromPoint(x, y) === layer._path)
                       return {x, y, name: layer._ntmName, district: st.districts[layer._ntmDistrict], i: st.layers.indexOf(layer)};
                   } return null; }"""
    )
    assert target is not None
    page.mouse.move(target["x"], target["y"])
    tooltip = page.locator(".ntm-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    text = tooltip.inner_text()
    assert target["name"] in text and target["district"] in text and "Số tiêu chí đạt" in text
    stroke = f"document.querySelector('.ntm-map-box').__ntmMap._ntm.layers[{target['i']}]._path.getAttribute('stroke')"
    assert page.evaluate(stroke) == "#222222"  # the hovered commune is outlined
    page.mouse.move(5, 5)  # off the map
    tooltip.wait_for(state="hidden", timeout=10_000)
    assert page.evaluate(stroke) != "#222222"


def test_the_legend_fades_while_a_tooltip_would_be_hidden_under_it(app_server, new_page):
    page, _ = new_page(1024, 768)  # a projector: the legend covers part of the province
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    # a commune left of the legend, at its height, in the map's left half: its tooltip opens to
    # the right, where the legend is
    target = page.evaluate(
        """() => { const box = document.querySelector('.ntm-map-box'), map = box.__ntmMap;
                   const lg = box.querySelector('.ntm-legend').getBoundingClientRect();
                   const mid = map.getContainer().getBoundingClientRect(), cx = mid.left + mid.width / 2;
                   for (const layer of map._ntm.layers) {
                     const r = layer._path.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
                     if (x < cx && x > lg.left - 140 && y > lg.top + 20 && y < lg.bottom - 20
                         && document.elementFromPoint(x, y) === layer._path) return {x, y};
                   } return null; }"""
    )
    assert target is not None
    legend = page.locator(".ntm-map-box .ntm-legend")
    page.mouse.move(target["x"], target["y"])
    page.locator(".ntm-tooltip").wait_for(state="visible", timeout=10_000)
    overlap = page.evaluate(
        """() => { const a = document.querySelector('.ntm-tooltip').getBoundingClientRect();
                   const b = document.querySelector('.ntm-map-box .ntm-legend').getBoundingClientRect();
                   return a.left < b.right && a.right > b.left && a.top < b.bottom && a.bottom > b.top; }"""
    )
    assert overlap  # the case this is about: the tooltip lies under the legend...
    harness.wait_until(
        lambda: "ntm-under-tooltip" in (legend.get_attribute("class") or ""),
        timeout=5,
        what="the legend faded",
    )  # ...which fades
    page.mouse.move(5, 5)  # off the map: the legend comes back
    harness.wait_until(
        lambda: "ntm-under-tooltip" not in (legend.get_attribute("class") or ""),
        timeout=5,
        what="the legend back",
    )


def test_the_openstreetmap_background_is_part_of_the_link(app_server, new_page):
    page, network = new_page(1920, 1080)
    page.goto(app_server + "/?year=2011&tiles=osm")  # a view shared with the background on
    harness.wait_for_communes(page, 226)
    label = page.locator("[data-testid=stSidebar] label").filter(has_text="Nền bản đồ OpenStreetMap")
    harness.wait_until(label.first.is_visible, timeout=60, what="the background toggle")
    toggle = label.first.locator("input")
    assert toggle.is_checked()
    harness.wait_until(
        lambda: any("openstreetmap.org" in u for u in network.external()),
        timeout=30,
        what="the map asking for background tiles",
    )
    assert "tiles=osm" in page.url and "year=2011" in page.url
    label.first.click()  # off again: the link drops it
    page.wait_for_function(
        "!location.search.includes('tiles=osm') && location.search.includes('year=2011')", timeout=30_000
    )
    assert not toggle.is_checked()


def test_the_source_line_under_the_map_does_not_jump_while_the_map_loads(app_server, new_page):
    page, _ = new_page(1024, 768)
    # record where the line under the map is first drawn (before Leaflet has loaded)
    page.add_init_script(
        """new MutationObserver((_, obs) => {
             const el = document.querySelector('.ntm-map-foot');
             if (el && el.textContent && !window.__footTop) { window.__footTop = el.getBoundingClientRect().top; obs.disconnect(); }
           }).observe(document, {childList: true, subtree: true, characterData: true});"""
    )
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    first = page.evaluate("window.__footTop")
    final = page.evaluate("document.querySelector('.ntm-map-foot').getBoundingClientRect().top")
    assert first is not None and abs(final - first) <= 2, (first, final)


def test_an_indicator_without_values_for_the_year_says_so(app_server, new_page):
    page, _ = new_page(1280, 800)
    page.goto(app_server + "/?theme=infrastructure&var=road_hardened_pct&year=2011")
    harness.wait_for_communes(page, 226)
    notice = page.get_by_text(
        "không có số liệu «Đường giao thông nông thôn được cứng hóa» cho năm 2011", exact=False
    )
    harness.wait_until(lambda: notice.count() > 0, timeout=60, what="the no-values notice")
    page.goto(app_server + "/?theme=infrastructure&var=road_hardened_pct&year=2015")
    harness.wait_for_communes(page, 226)
    page.wait_for_timeout(1500)
    assert page.get_by_text("không có số liệu", exact=False).count() == 0  # 2015 has the values


UNITS_UNDER_BOXES = """() => {
    // every 6 px inside each corner box of each live map (legend, source line): is a commune path
    // under it? (elementsFromPoint sees through the box)
    const hits = [];
    for (const box of document.querySelectorAll('.ntm-map-box')) {
        if (box.closest('[data-stale=true]')) continue;
        for (const c of box.querySelectorAll('.leaflet-control-container .ntm-legend, .leaflet-control-container .ntm-text')) {
            const r = c.getBoundingClientRect();
            for (let x = r.left + 1; x < r.right; x += 6) for (let y = r.top + 1; y < r.bottom; y += 6) {
                const p = document.elementsFromPoint(x, y).find(e => e.matches && e.matches('path.ntm-commune'));
                if (p) hits.push([c.className, Math.round(x), Math.round(y)]);
            }
        }
    }
    return hits.slice(0, 5);
}"""


@pytest.mark.parametrize("path", ["/", "/present", "/present?slide=3"])
def test_no_commune_hides_under_the_legend_or_the_source_box_at_1024(app_server, new_page, path):
    """Issue 14, item 15: on a 1024x768 projector the map is fitted beside its corner boxes."""
    page, _ = new_page(1024, 768)
    page.goto(app_server + path)
    harness.wait_for_communes(page, 226 * (2 if "slide=3" in path else 1))
    page.wait_for_timeout(500)  # (a late re-fit after the legend's fonts load)
    assert page.evaluate(UNITS_UNDER_BOXES) == []
    harness.screenshot(page, "clear-boxes-" + ("map" if path == "/" else "present-" + path[-1]) + "-1024x768")


def test_map_page_at_1024_shows_the_map_and_its_source_line_on_screen(app_server, new_page):
    """Issue 11, item 7: on a 768-pixel projector the map's height follows the viewport, so the
    source line under it is on screen (it was cut at the bottom), and no commune hides under the
    (smaller, 13 px) legend."""
    page, _ = new_page(1024, 768)
    page.goto(app_server)
    harness.wait_for_communes(page, 226)
    page.wait_for_timeout(500)  # (a late re-fit after the legend's fonts load)
    m = page.evaluate(
        """() => {
            const r = (s) => { const b = document.querySelector(s).getBoundingClientRect();
                               return {top: b.top, bottom: b.bottom, height: b.height}; };
            return {vh: window.innerHeight, foot: r('.ntm-map-foot'), map: r('.ntm-map-box'),
                    legend: parseFloat(getComputedStyle(document.querySelector('.ntm-legend-box')).fontSize),
                    province: document.querySelector('path.ntm-district').ownerSVGElement.getBBox()};
        }"""
    )
    assert m["foot"]["height"] > 10 and m["foot"]["bottom"] <= m["vh"], m  # the whole source line
    assert m["map"]["height"] >= 360, m
    assert m["legend"] <= 13, m
    assert page.evaluate(UNITS_UNDER_BOXES) == []
    harness.screenshot(page, "app-1024x768")
