"""The planner page in headless Chromium: filter, rank, select in the table and on the map,
shortlist three communes (kept in the link), write notes, export the decision sheet and open it
with openpyxl. Screenshots at 1920×1080 and 1024×768 go to artifacts/screenshots/."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from ntm_geo.datasets import catalog
from ntm_geo.geo.boundaries import load_boundaries
from ntm_geo.maps.themes import join_dataset
from ntm_geo.planning import ranking as pl
from tests.browser import harness
from tests.browser.test_data_page import data_app  # noqa: F401 - a fixture shared with the data page's tests

pytestmark = pytest.mark.browser

DINH_LAP = "189"


def _expected_top3() -> list[tuple[str, str]]:
    """(code, name) of the first three xã of Đình Lập not yet at 19, ranked by the default preset."""
    joined = join_dataset(load_boundaries().communes_web, catalog.load_year("illustrative", 2015))
    table = pl.candidate_table(joined, "vi")
    preset = pl.PRESETS["near_standard"]
    filters = pl.Filters(districts=(DINH_LAP,), not_meeting_standard=True)
    ranked = pl.rank(pl.apply_filters(table, filters), preset.weights).table
    return list(zip(ranked["commune_code"][:3], ranked["name"][:3], strict=True))


def _highlighted(page) -> int:
    return harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-highlight').length")


def _click_commune(page, code: str) -> None:
    """Click the commune ``code`` on the Leaflet map (its GeoJSON feature id is the code)."""
    found = harness.map_frame(page).evaluate(
        """(code) => { let hit = false;
             document.querySelector('.ntm-map-box').__ntmMap.eachLayer(l => { if (!hit && l.feature && l.feature.id === code && l._path) {
               l._path.dispatchEvent(new MouseEvent('click', {bubbles: true, clientX: 1, clientY: 1})); hit = true; } });
             return hit; }""",
        code,
    )
    assert found, f"commune {code} not on the map"


def _selected_text(page) -> str:
    loc = page.get_by_text("Đang chọn:")
    return loc.first.inner_text() if loc.count() else ""


def test_filter_select_shortlist_and_export_decision_sheet(app_server, new_page):
    top3 = _expected_top3()
    page, network = new_page(1920, 1080)
    page.goto(app_server + "/planner")
    harness.wait_for_communes(page, 226, timeout=60)
    assert page.get_by_text("Dữ liệu minh họa:").first.is_visible()

    # filter: district Đình Lập (the default preset already keeps xã below 19 criteria)
    page.get_by_role("combobox", name="Huyện").first.click()
    page.keyboard.type("Đình Lập")
    page.get_by_role("option", name="Huyện Đình Lập", exact=True).click()
    page.keyboard.press("Escape")
    n_filtered = len(
        pl.apply_filters(
            pl.candidate_table(
                join_dataset(load_boundaries().communes_web, catalog.load_year("illustrative", 2015))
            ),
            pl.Filters(districts=(DINH_LAP,), not_meeting_standard=True),
        )
    )
    harness.wait_until(
        lambda: page.get_by_text(f"{n_filtered} xã phù hợp bộ lọc").count() > 0,
        timeout=30,
        what="filtered count",
    )
    _code1, name1 = top3[0]
    harness.wait_until(
        lambda: f"Xếp thứ 1: {name1} (Huyện Đình Lập)" in page.get_by_text("Xếp thứ 1:").first.inner_text(),
        timeout=30,
        what="explanation names the first-ranked xã",
    )

    # table -> map: tick the first row's box; its commune is outlined on the map
    grid = page.locator("[data-testid='stDataFrame']").first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + 35 + 17)
    harness.wait_until(lambda: name1 in _selected_text(page), timeout=30, what="row selection")
    harness.wait_until(lambda: _highlighted(page) == 1, timeout=30, what="one highlighted commune")

    # map -> table: click the next two communes on the map
    for code, name in top3[1:]:
        _click_commune(page, code)
        harness.wait_until(
            lambda name=name: name in _selected_text(page), timeout=30, what=f"{name} selected"
        )
    harness.wait_until(lambda: _highlighted(page) == 3, timeout=30, what="three highlighted communes")
    harness.screenshot(page, "planner-rank-1920x1080")
    page.get_by_role("tab", name="Ma trận tiêu chí").click()
    harness.wait_until(
        lambda: page.get_by_text(f"{n_filtered} xã của bộ lọc, theo thứ tự xếp hạng").count() > 0,
        timeout=30,
        what="gap matrix",
    )
    harness.screenshot(page, "planner-matrix-1920x1080")
    page.get_by_role("tab", name="Tìm và xếp hạng xã").click()
    harness.wait_until(
        lambda: _highlighted(page) == 3, timeout=30, what="selection kept after switching tabs"
    )

    page.get_by_role("button", name="Thêm xã đang chọn vào danh sách đề xuất").click()
    wanted = ",".join(code for code, _ in top3)
    page.wait_for_function(
        "(s) => new URLSearchParams(location.search).get('shortlist') === s", arg=wanted, timeout=30_000
    )
    harness.wait_until(
        lambda: (
            harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-shortlist').length") == 3
        ),
        timeout=30,
        what="shortlist outlines",
    )

    # shortlist tab: comparison, notes, export
    page.get_by_role("tab", name="Danh sách đề xuất").click()
    notes = ["Ưu tiên vốn giao thông, thủy lợi", '=HYPERLINK("http://x")', "Xã điểm đặc biệt khó khăn"]
    boxes = page.locator("textarea")
    harness.wait_until(lambda: boxes.count() == 3, timeout=30, what="three note boxes")
    for i, note in enumerate(notes):
        boxes.nth(i).fill(note)
        boxes.nth(i).press("Control+Enter")
        harness.wait_until(
            lambda i=i: page.locator("textarea").nth(i).input_value() == notes[i], timeout=10, what="note"
        )
    button = page.get_by_role("button", name="Phiếu đề xuất (Excel)")
    harness.wait_until(lambda: button.is_enabled(), timeout=30, what="download button")
    page.wait_for_timeout(500)  # the last note's rerun starts...
    harness.wait_until(
        lambda: page.locator("[data-testid='stStatusWidget']").count() == 0,
        timeout=30,
        what="the app to finish running",
    )  # ...and ends before the export
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Phiếu đề xuất (Excel)").click()
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    assert wb.sheetnames == ["Danh sách xã", "Bản đồ", "Bộ dữ liệu"]
    rows = list(wb["Danh sách xã"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == 3
    assert [r[header.index("Mã xã")] for r in body] == [code for code, _ in top3]
    assert [r[header.index("Xã")] for r in body] == [name for _, name in top3]
    got_notes = [r[header.index("Ghi chú")] for r in body]
    assert got_notes == [notes[0], "'" + notes[1], notes[2]]  # the formula is neutralised
    assert len(wb["Bản đồ"]._images) == 1
    info_sheet = {r[0]: r[1] for r in wb["Bộ dữ liệu"].iter_rows(values_only=True)}
    assert info_sheet["Dữ liệu minh họa?"].startswith("CÓ — DỮ LIỆU MINH HỌA")
    assert info_sheet["Nguồn gốc / ghi chú"].startswith("Dữ liệu minh họa")
    with page.expect_download(timeout=60_000) as png:
        page.get_by_role("button", name="Bản đồ (PNG)").click()
    assert Path(png.value.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    harness.screenshot(page, "planner-shortlist-1920x1080")
    assert network.external() == []


def test_shared_shortlist_link_progress_and_scenario_at_1024(app_server, new_page):
    top3 = _expected_top3()
    page, network = new_page(1024, 768)
    page.goto(app_server + "/planner?shortlist=" + ",".join(c for c, _ in top3) + ",99999")
    harness.wait_for_communes(page, 226, timeout=60)
    harness.wait_until(
        lambda: page.get_by_text("mã xã không hợp lệ đã bỏ qua").count() > 0,
        timeout=30,
        what="notice for the unknown code",
    )
    assert harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-shortlist').length") == 3
    harness.screenshot(page, "planner-rank-1024x768")
    page.get_by_role("tab", name="Danh sách đề xuất").click()
    harness.wait_until(lambda: page.get_by_text("So sánh").count() > 0, timeout=30, what="comparison")
    harness.screenshot(page, "planner-shortlist-1024x768")

    page.get_by_role("tab", name="Theo huyện").click()
    harness.wait_until(
        lambda: page.get_by_text("Tổng hợp theo huyện").count() > 0, timeout=30, what="district table"
    )
    harness.screenshot(page, "planner-districts-1024x768")

    page.get_by_role("tab", name="Mục tiêu 2020 và kịch bản").click()
    harness.wait_until(
        lambda: page.get_by_text("còn thiếu 59 xã so với mục tiêu 72").count() > 0,
        timeout=30,
        what="scenario with no commune marked: 13 of 72",
    )
    page.get_by_role("button", name="Thêm 59 xã gần chuẩn nhất").click()
    harness.wait_until(
        lambda: page.get_by_text("toàn tỉnh có 72 xã đạt chuẩn — đạt mục tiêu 72 xã").count() > 0,
        timeout=30,
        what="scenario reaching 72",
    )
    harness.screenshot(page, "planner-progress-1024x768")
    assert network.external() == []


def test_language_switch_keeps_filters_and_the_open_tab(app_server, new_page):
    page, _ = new_page(1600, 1000)
    page.goto(app_server + "/planner")
    harness.wait_for_communes(page, 226, timeout=60)
    harness.choose_selectbox(page, "Chưa đạt tiêu chí", "2. Giao thông")
    page.get_by_role("combobox", name="Nhóm (số tiêu chí đạt)").first.click()
    page.get_by_role("option", name=pl.group_label("10-14", "vi"), exact=True).click()
    page.keyboard.press("Escape")
    table = pl.candidate_table(
        join_dataset(load_boundaries().communes_web, catalog.load_year("illustrative", 2015))
    )
    n = len(
        pl.apply_filters(table, pl.Filters(groups=("10-14",), criterion_not_met=2, not_meeting_standard=True))
    )
    assert 0 < n < 100
    harness.wait_until(
        lambda: page.get_by_text(f"{n} xã phù hợp bộ lọc").count() > 0, timeout=30, what="filtered count"
    )
    page.get_by_role("tab", name="Ma trận tiêu chí").click()
    harness.wait_until(
        lambda: page.get_by_text(f"{n} xã của bộ lọc").count() > 0, timeout=30, what="gap matrix"
    )

    page.get_by_text("English", exact=True).first.click()
    harness.wait_until(
        lambda: page.get_by_text(f"{n} xã of the filter").count() > 0,
        timeout=60,
        what="the gap matrix tab still open, same filtered set, in English",
    )
    assert page.get_by_role("combobox", name="Criterion not met").input_value() == "2. Transport"
    assert (
        page.get_by_text(pl.group_label("10-14", "en"), exact=True).count() > 0
    )  # the chosen group, translated

    page.get_by_text("Tiếng Việt", exact=True).first.click()
    harness.wait_until(
        lambda: page.get_by_text(f"{n} xã của bộ lọc").count() > 0, timeout=60, what="back in Vietnamese"
    )
    assert page.get_by_role("combobox", name="Chưa đạt tiêu chí").input_value() == "2. Giao thông"


def test_ranking_choice_is_readable_at_1024(app_server, new_page):
    """At 1024×768 every ranking choice is shown whole (a selectbox cut "Nhóm xã phấn đấu đạt chuẩn
    (g"): a radio of short names, the full name and its description in the caption below."""
    page, network = new_page(1024, 768)
    page.goto(app_server + "/planner")
    harness.wait_for_communes(page, 226, timeout=60)
    group = page.get_by_role("radiogroup", name="Cách xếp hạng")
    group.wait_for(timeout=30_000)
    wanted = [
        pl.PRESETS["near_standard"].short_label("vi"),
        pl.PRESETS["especially_difficult"].short_label("vi"),
    ]
    labels = group.locator("label")
    texts = [labels.nth(i).inner_text().strip() for i in range(labels.count())]
    assert texts == [*wanted, "Tự đặt trọng số"], texts
    for i in range(labels.count()):
        box = labels.nth(i).bounding_box()
        assert box is not None and box["x"] + box["width"] <= 1024
        clipped = labels.nth(
            i
        ).evaluate(  # text boxes narrower than their text (the radio's own 1-px input aside)
            "el => [...el.querySelectorAll('*')].filter(e => e.clientWidth > 2 && e.textContent.trim()"
            " && e.scrollWidth > e.clientWidth + 1).map(e => [e.tagName, e.scrollWidth, e.clientWidth])"
        )
        assert not clipped, (texts[i], clipped)
    assert page.get_by_text(pl.PRESETS["near_standard"].label("vi") + ".").first.is_visible()
    group.get_by_text(wanted[1]).click()
    harness.wait_until(
        lambda: page.get_by_text(pl.PRESETS["especially_difficult"].label("vi") + ".").count() > 0,
        timeout=30,
        what="the full name of the chosen preset",
    )
    harness.screenshot(page, "planner-ranking-choice-1024x768")
    assert network.external() == []


def _save_2026_dataset_with_commune_groups(tmp_path, monkeypatch):
    """A 2026 table under 51/2025 (10 criteria) on the 65 units of 2025, with each xã's commune
    group (1–3), saved for ``data_app``."""
    from ntm_geo import auth
    from ntm_geo.datasets import store
    from ntm_geo.datasets.importing.table import import_table
    from ntm_geo.geo.vintages import units_2025
    from tests.browser.test_data_page import PASSWORD

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "ntm_data"))  # the folder data_app gives the app
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    store.configure(None)
    auth.configure(None)
    units = units_2025()
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Năm",
        "Nhóm xã",
        *[f"TC{i}" for i in range(1, 11)],
        "Tỷ lệ hộ nghèo (%)",
    ]
    lines = [",".join(header)]
    for i, (code, name, kind) in enumerate(
        zip(units["commune_code"], units["name_with_type"], units["unit_type"], strict=True)
    ):
        xa = kind == "xa"
        met = ["1" if j < 4 + i % 7 else "0" for j in range(10)] if xa else [""] * 10
        group = str(1 + i % 3) if xa else ""
        lines.append(",".join([code, name, "2026", group, *met, f"{1.5 + (i % 11) * 1.1:.1f}"]))
    report = import_table(("\n".join(lines) + "\n").encode(), "ntm_2026.csv")
    assert report.framework_id == "qd51_2025" and report.ok_rows() == 65
    return store.save_import(
        report.table, 2026, report.to_json(), name="NTM 2026", source="t", uploaded_by="t", password=PASSWORD
    )


def test_planner_on_a_2026_dataset_reads_its_framework_at_1024(
    boundaries_2025,
    data_app,  # noqa: F811 - the fixture imported below from test_data_page (an app with its own data folder)
    new_page,
    tmp_path,
    monkeypatch,
):
    """Issue 13 (plan26): a 2026 table under 51/2025 on the 2025 units — the planner counts /10, names
    each xã by its commune group (no "Xã … ()"), filters by commune group, and has no 2020 tab."""
    info = _save_2026_dataset_with_commune_groups(tmp_path, monkeypatch)
    server = data_app()
    page, network = new_page(1024, 768)
    page.goto(f"{server.base_url}/planner?dataset={info.id}")
    harness.wait_for_communes(page, 65)
    explanation = page.get_by_text("Xếp thứ 1:").first
    harness.wait_until(
        lambda: "/10 tiêu chí" in explanation.inner_text(), timeout=60, what="/10 in the ranking"
    )
    tabs = [t.inner_text() for t in page.get_by_role("tab").all()]
    assert not any("2020" in t for t in tabs), tabs
    assert any("Theo nhóm xã" in t for t in tabs) and not any("Theo huyện" in t for t in tabs), tabs
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "/19" not in body and "()" not in body and "mục tiêu 2020" not in body.lower()
    # no thị trấn since 1 July 2025 (trial 6, finding 7): "4 phường của tỉnh không đánh giá"
    assert "thị trấn" not in body.lower() and " phường của tỉnh không đánh giá" in body
    assert "(Xã nhóm " in explanation.inner_text()
    sidebar = page.locator("[data-testid='stSidebar']").inner_text()
    assert "Nhóm xã (1, 2, 3)" in sidebar and "dưới 10 tiêu chí" in sidebar and "Huyện" not in sidebar
    harness.screenshot(page, "planner-2026-51-2025-1024x768")

    page.get_by_role("tab", name="Ma trận tiêu chí").click()
    harness.wait_until(
        lambda: page.get_by_text("10. Tiếp cận pháp luật", exact=False).count() > 0, timeout=30, what="matrix"
    )
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "11. " not in body and "()" not in body
    harness.screenshot(page, "planner-2026-matrix-1024x768")
    page.get_by_role("tab", name="Theo nhóm xã").click()
    harness.wait_until(
        lambda: page.get_by_text("Tổng hợp theo nhóm xã").count() > 0,
        timeout=30,
        what="commune group summary",
    )
    harness.screenshot(page, "planner-2026-groups-1024x768")
    assert network.external() == []


def test_planner_on_2025_units_without_commune_group_names_the_former_district(
    boundaries_2025,
    data_app,  # noqa: F811 - the fixture imported above from test_data_page
    new_page,
    tmp_path,
    monkeypatch,
):
    """A 2026 table on the 2025 units with no commune group: each xã is named by the former
    district it lies in, labelled as former ("… cũ"; the table's column "Huyện cũ (trước 1/7/2025)"
    is drawn on a canvas: see the screenshot), never "()"."""
    from tests.browser.test_data_page import _save_2026_dataset_on_2025_units

    info = _save_2026_dataset_on_2025_units(tmp_path, monkeypatch)
    server = data_app()
    page, network = new_page(1024, 768)
    page.goto(f"{server.base_url}/planner?dataset={info.id}")
    harness.wait_for_communes(page, 65)
    explanation = page.get_by_text("Xếp thứ 1:").first
    harness.wait_until(
        lambda: "/10 tiêu chí" in explanation.inner_text(), timeout=60, what="/10 in the ranking"
    )
    assert " cũ), " in explanation.inner_text()
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "()" not in body and "/19" not in body
    tabs = [t.inner_text() for t in page.get_by_role("tab").all()]
    assert not any("2020" in t or "huyện" in t.lower() for t in tabs), tabs
    harness.screenshot(page, "planner-2026-former-districts-1024x768")
    assert network.external() == []


def test_back_and_forward_restore_earlier_planner_views(app_server, new_page):
    """The planner follows the address bar (app_pages.urlsync.url_changed_outside): Back restores
    the previous view (year, shortlist), Forward the next; before, the link was read once per
    session and the planner wrote its own view back over the address Back had restored."""
    top = _expected_top3()[0][0]
    page, _ = new_page(1280, 800)
    page.goto(app_server + f"/planner?shortlist={top}")
    harness.wait_for_communes(page, 226, timeout=60)

    def heading(year: int) -> bool:
        return page.locator("h4").filter(has_text=f"— {year} —").count() > 0

    harness.wait_until(lambda: heading(2015), timeout=60, what="the 2015 heading")

    page.get_by_role("button", name="2011").or_(page.get_by_role("radio", name="2011")).first.click()
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2011'", timeout=60_000)
    harness.wait_until(lambda: heading(2011), timeout=60, what="the 2011 heading")

    page.go_back()  # -> 2015 with the shortlist: the heading, the year control and the address agree
    page.wait_for_function("!new URLSearchParams(location.search).get('year')", timeout=60_000)
    harness.wait_until(lambda: heading(2015), timeout=60, what="2015 again after Back")
    harness.wait_until(
        lambda: "year=2011" not in page.evaluate("location.search"),
        timeout=10,
        what="the planner does not write 2011 back over the address",
    )
    assert f"shortlist={top}" in page.evaluate("location.search")
    harness.wait_until(
        lambda: (
            harness.map_frame(page).evaluate("document.querySelectorAll('path.ntm-shortlist').length") == 1
        ),
        timeout=60,
        what="the shortlisted commune outlined",
    )

    page.go_forward()  # -> 2011 again
    page.wait_for_function("new URLSearchParams(location.search).get('year') === '2011'", timeout=60_000)
    harness.wait_until(lambda: heading(2011), timeout=60, what="2011 again after Forward")
