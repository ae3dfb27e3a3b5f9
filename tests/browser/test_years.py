"""The "Theo năm / Over the years" page in a real browser: a dataset imported as four yearly
tables (2016-2019) in a temporary data folder; the timeline steps through the years with ◀/▶
(the year in the link, the map's colours changing, zoom kept) and plays; the small multiples of
four years share one legend whose colours are the only ones painted. Screenshots at 1024×768."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser
PW = "years-editor"


@pytest.fixture(scope="module")
def years_server(tmp_path_factory) -> Iterator[tuple[str, str]]:
    """(base URL, dataset id) of the real app whose data folder holds a 2016-2019 dataset."""
    from ntm_geo import auth
    from ntm_geo.datasets import store
    from tests.years_data import save_years

    data = tmp_path_factory.mktemp("years_data")
    auth.configure(PW)
    store.configure(data)
    try:
        info = save_years(password=PW)
    finally:
        store.configure(None)
        auth.configure(None)
    from ntm_geo.maps.webassets import install_leaflet

    install_leaflet()
    server = harness.start_streamlit(
        harness.REPO / "app.py",
        log_path=harness.ARTIFACTS / "streamlit-years.log",
        env={store.DATA_ENV: str(data)},
    )
    try:
        yield server.base_url, info.id
    finally:
        server.stop()


def _year_in_url(page) -> str:
    return page.evaluate("new URLSearchParams(location.search).get('year') || ''")


def test_timeline_steps_through_the_years(years_server, new_page):
    base, dataset = years_server
    page, network = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&year=2016&theme=poverty")
    fills = {2016: harness.wait_for_communes(page, 226)}
    assert _year_in_url(page) == "2016"
    for year in (2017, 2018, 2019):
        page.get_by_role("button", name=re.compile("Năm sau")).click()
        page.wait_for_function(f"new URLSearchParams(location.search).get('year') === '{year}'")
        fills[year] = harness.wait_for_fills_change(page, fills[year - 1])
        title = page.locator(".ntm-title").first.inner_text()
        assert str(year) in title
        assert "theme=poverty" in page.evaluate("location.search")  # the rest of the view is kept
    # one classification over all the years: the legend's colours are the same every year
    legend_colours = page.evaluate(
        "Array.from(document.querySelectorAll('.ntm-legend i, .ntm-legend span[style*=background]'))"
        ".map(e => getComputedStyle(e).backgroundColor)"
    )
    assert legend_colours
    assert page.get_by_role("button", name=re.compile("Năm sau")).is_disabled()  # the last year
    page.get_by_role("button", name=re.compile("Năm trước")).click()
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2018'")
    harness.wait_for_fills_change(page, fills[2019])
    harness.screenshot(page, "years-timeline-1024x768")
    # play: from 2018 to 2019, then it stops by itself
    page.get_by_role("button", name=re.compile("Chạy")).click()
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2019'", timeout=20_000)
    page.get_by_role("button", name=re.compile("Chạy")).wait_for(timeout=20_000)
    assert not network.external()


def test_small_multiples_of_four_years_share_one_legend(years_server, new_page):
    base, dataset = years_server
    page, network = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&theme=poverty&mode=multiples&panels=2016,2017,2018,2019")
    page.wait_for_selector(".ntm-multiples .ntm-panel", timeout=90_000)
    panels = page.evaluate(
        "Array.from(document.querySelectorAll('.ntm-panel')).map(p => [p.dataset.year,"
        " Array.from(p.querySelectorAll('path.ntm-sm-commune')).map(x => x.getAttribute('fill'))])"
    )
    assert [y for y, _ in panels] == ["2016", "2017", "2018", "2019"]
    assert [len(f) for _, f in panels] == [226] * 4
    assert page.locator("table.ntm-shared-legend").count() == 1  # ONE legend for the four maps
    swatches = page.evaluate(
        "Array.from(document.querySelectorAll('table.ntm-shared-legend .ntm-swatch'))"
        ".map(s => s.getAttribute('style').split(':')[1].toLowerCase())"
    )
    painted = {f.lower() for _, fills in panels for f in fills}
    assert painted <= set(swatches)  # every panel is painted with the legend's colours only
    assert len({tuple(f) for _, f in panels}) == 4  # the years differ
    # poverty falls every year: the darkest class holds fewer communes in 2019 than in 2016
    counts = page.evaluate(
        "Array.from(document.querySelectorAll('table.ntm-shared-legend tbody tr')[0].querySelectorAll('td'))"
        ".slice(1).map(td => +td.innerText)"
    )
    assert counts[0] > counts[-1]
    harness.screenshot(page, "years-multiples-1024x768")
    assert not network.external()


def test_link_to_a_year_the_data_lacks_says_so(years_server, new_page):
    base, dataset = years_server
    page, _ = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&year=2011")
    harness.wait_for_communes(page, 226)
    page.get_by_text(re.compile("không có số liệu năm 2011; mở năm gần nhất 2016")).wait_for()
    assert _year_in_url(page) == "2016"


def test_map_link_parts_the_years_page_does_not_use_are_said_not_dropped(years_server, new_page):
    """A map link (district, 2025 units) opened on /years left its address bar without a word."""
    base, dataset = years_server
    page, _ = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&year=2017&district=186&units=2025")
    harness.wait_for_communes(page, 226)
    notice = page.locator("[data-testid='stAlert']").filter(has_text="trang này không dùng tham số này")
    notice.first.wait_for()
    text = notice.first.inner_text()
    assert "district" in text and "186" in text and "units" in text and "2025" in text
    assert _year_in_url(page) == "2017"


def test_planner_district_summary_compares_the_dataset_years(years_server, new_page):
    base, dataset = years_server
    page, _ = new_page(1280, 900)
    page.goto(f"{base}/planner?dataset={dataset}&year=2019")
    harness.wait_for_communes(page, 226, timeout=60)
    page.get_by_role("tab", name="Theo huyện").click()
    page.get_by_text("Số xã đạt chuẩn theo huyện, 2016 và 2019").wait_for(timeout=30_000)


def test_language_switch_keeps_the_year_and_the_view(years_server, new_page):
    base, dataset = years_server
    page, _ = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&year=2017&theme=poverty")
    harness.wait_for_communes(page, 226)
    page.get_by_text("English", exact=True).click()
    page.get_by_role("button", name=re.compile("Next")).wait_for(timeout=30_000)
    page.wait_for_function("new URLSearchParams(location.search).get('lang') === 'en'")
    query = page.evaluate("location.search")
    assert "year=2017" in query and "theme=poverty" in query and f"dataset={dataset}" in query
    harness.wait_until(
        lambda: (
            "2017" in page.locator(".ntm-title").first.inner_text()
            and "overty" in page.locator(".ntm-title").first.inner_text()
        ),
        timeout=30,
        what="English title of the same view",
    )


def test_map_page_offers_the_imported_years_and_a_missing_year_opens_the_nearest(years_server, new_page):
    base, dataset = years_server
    page, _ = new_page(1280, 900)
    page.goto(f"{base}/?dataset={dataset}&year=2021")
    harness.wait_for_communes(page, 226)
    page.get_by_text(re.compile("không có số liệu năm 2021; mở năm gần nhất 2019")).wait_for(timeout=30_000)
    assert "2019" in page.locator(".ntm-title").first.inner_text()
    for year in ("2016", "2017", "2018", "2019"):  # the year control offers the dataset's years
        page.locator("[data-testid='stSidebar']").get_by_text(year, exact=True).first.wait_for(timeout=30_000)


def test_presentation_of_the_dataset_shows_the_change_between_its_first_and_last_year(years_server, new_page):
    base, dataset = years_server
    page, _ = new_page(1280, 800)
    page.goto(f"{base}/present?dataset={dataset}&slide=4")
    harness.wait_for_communes(page, 226)
    page.get_by_text(re.compile("Số tiêu chí tăng thêm 2016 → 2019")).first.wait_for(timeout=30_000)


def test_years_page_has_a_heading_and_fits_a_1024_screen(years_server, new_page):
    """Issue 11, item 7: the page has a heading as the other pages do, and at 1024x768 the map's
    source line is on screen."""
    base, dataset = years_server
    page, _ = new_page(1024, 768)
    page.goto(f"{base}/years?dataset={dataset}&year=2018")
    harness.wait_for_communes(page, 226)
    heading = page.locator("[data-testid='stMain'] h4").first
    harness.wait_until(
        lambda: "Theo năm · 2016–2019" in heading.inner_text(), timeout=30, what="page heading"
    )
    page.wait_for_function(harness.IDLE_JS, timeout=60_000)
    box = page.evaluate(
        """() => ({vh: window.innerHeight,
                   heading: document.querySelector("[data-testid='stMain'] h4").getBoundingClientRect().top,
                   map: document.querySelector('.ntm-map-box').getBoundingClientRect().top,
                   foot: document.querySelector('.ntm-map-foot').getBoundingClientRect().bottom})"""
    )
    assert box["heading"] < box["map"] and box["foot"] <= box["vh"], box
    harness.screenshot(page, "years-timeline-heading-1024x768")
