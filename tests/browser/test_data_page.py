"""Province data page in a real browser: upload a filled template, read the match report, save,
restart the server, and find the dataset still listed and mapped (226 communes painted).

The app runs with its own editor password and a temporary data folder (not the session
``app_server``, which has neither).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.browser import harness

pytestmark = pytest.mark.browser

PASSWORD = "mật-khẩu-thử"
DATASET_NAME = "Kết quả NTM 2015 <thử>"
BAD_CODE = "06004"  # one xã whose poverty rate is written as 150 %: out of range, row rejected
CRITERIA_FIRST_COLUMN = 6  # F: TC1 ... X: TC19, then 5 percentages, then 2 flags
NO_DATA_GREY = "#9e9e9e"  # ntm_geo.maps.classify.NO_DATA_COLOR
PCT_COLUMNS = (
    "poverty_rate_pct",
    "road_hardened_pct",
    "electricity_hh_pct",
    "irrigated_cropland_pct",
    "hygienic_water_hh_pct",
)


def filled_template(path: Path, bad_code: str | None = BAD_CODE) -> Path:
    """The 2015 Excel template filled with the illustrative 2015 values; the row of ``bad_code``
    gets a poverty rate of 150 %."""
    from ntm_geo.criteria.framework import CRITERION_COLUMNS
    from ntm_geo.datasets.contract import load_illustrative
    from ntm_geo.datasets.template import template_xlsx

    data = load_illustrative(2015).set_index("commune_code")
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(2015, "vi")))
    sheet = book["Dữ liệu"]
    filled = 0
    for row in range(1, sheet.max_row + 1):
        code = sheet.cell(row, 1).value
        if not isinstance(code, str) or code not in data.index:
            continue
        unit = data.loc[code]
        values = (
            [unit[c] for c in CRITERION_COLUMNS]
            + [unit[c] for c in PCT_COLUMNS]
            + [unit["car_access_all_season"], unit["especially_difficult"]]
        )
        for offset, value in enumerate(values):
            if pd.isna(value):
                continue  # blank = not assessed / no data
            is_flag = offset < 19 or offset >= 19 + len(PCT_COLUMNS)
            sheet.cell(row, CRITERIA_FIRST_COLUMN + offset).value = (
                int(bool(value)) if is_flag else float(value)
            )
        if code == bad_code:
            sheet.cell(row, CRITERIA_FIRST_COLUMN + 19).value = 150
        filled += 1
    assert filled == 226
    book.save(path)
    return path


@pytest.fixture
def data_app(tmp_path) -> Iterator:
    """Factory: start (or restart) the real app with an editor password and a temp data folder."""
    from ntm_geo.geo.boundaries import load_boundaries
    from ntm_geo.maps.webassets import install_leaflet

    install_leaflet()
    load_boundaries()
    env = {"NTM_GEO_EDITOR_PASSWORD": PASSWORD, "NTM_GEO_DATA_DIR": str(tmp_path / "ntm_data")}
    servers = []

    def start():
        server = harness.start_streamlit(
            harness.REPO / "app.py",
            cwd=harness.REPO,
            env=env,
            log_path=harness.ARTIFACTS / f"streamlit-data-page-{len(servers)}.log",
        )
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def sign_in(page, password: str = PASSWORD) -> None:
    """Sign in as editor on the data page (the form clears itself on submit)."""
    form = page.locator("[data-testid='stForm']").filter(has_text="Đăng nhập")
    form.get_by_label("Mật khẩu biên tập").fill(password)
    form.get_by_role("button", name="Đăng nhập").click()
    page.get_by_text("Đã đăng nhập biên tập").wait_for(timeout=60_000)


def password_in_page(page) -> bool:
    """Whether the password is in the page's HTML or in the value of any input."""
    values = page.evaluate("[...document.querySelectorAll('input, textarea')].map(e => e.value)")
    return PASSWORD in page.content() or any(PASSWORD in v for v in values)


def test_upload_report_save_restart_and_map(data_app, new_page, tmp_path):
    xlsx = filled_template(tmp_path / "ket_qua_2015.xlsx")
    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    page.get_by_text("1. Tải mẫu nhập liệu").wait_for()
    page.get_by_text("tối đa 10 MB").first.wait_for(timeout=30_000)  # the size limit is stated
    assert page.locator("input[type=file]").count() == 0  # a visitor cannot upload anything
    sign_in(page)
    assert not password_in_page(page)  # the sign-in form was cleared and is gone
    page.locator("input[type=file]").first.set_input_files(str(xlsx))

    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu)").first.wait_for(timeout=60_000)
    counts = page.get_by_text("dòng khớp").first.inner_text()
    assert (
        "225 dòng khớp" in counts
        and "1 dòng có giá trị ngoài khoảng" in counts
        and "0 đơn vị không có dòng" in counts
    )  # the bad row matched; its values were refused
    page.get_by_text("Giá trị ngoài khoảng hoặc không đọc được").first.wait_for()
    page.get_by_text("Tải các dòng bị loại (CSV)").wait_for()
    page.get_by_text("Lưu bộ dữ liệu", exact=True).first.wait_for()
    harness.screenshot(page, "data-page-report")

    page.get_by_label("Tên bộ dữ liệu").fill(DATASET_NAME)
    page.get_by_label("Người tải lên").fill("VP Điều phối")
    page.get_by_role("button", name="Lưu 225 dòng").click()  # no password: the signed-in session
    page.get_by_text("Đã lưu bộ dữ liệu").wait_for(timeout=60_000)
    assert "<thử>" in page.get_by_text("Đã lưu bộ dữ liệu").inner_text()  # shown as text, escaped
    harness.screenshot(page, "data-page-saved")

    server.stop()
    server = data_app()  # a new process: the dataset must come from the SQLite file
    page.goto(f"{server.base_url}/data")
    page.get_by_text("3. Các bộ dữ liệu đã lưu").wait_for()
    page.get_by_text("ket-qua-ntm-2015-thu-1").first.wait_for(state="attached", timeout=30_000)  # grid cell

    page.goto(server.base_url)
    before = harness.wait_for_communes(page, 226)
    assert NO_DATA_GREY not in before  # the illustrative dataset has a value for every xã
    harness.choose_selectbox(page, "Bộ dữ liệu", DATASET_NAME)
    fills = harness.wait_for_fills_change(page, before, timeout=60)
    assert len(fills) == 226
    assert fills.count(NO_DATA_GREY) == 1  # Xã Quốc Khánh: its row was rejected, so "no data", not 0
    page.get_by_text(DATASET_NAME).first.wait_for()  # title / legend name the saved dataset
    assert page.get_by_text("Dữ liệu minh họa:").count() == 0  # a saved dataset is not labelled illustrative
    harness.screenshot(page, "data-page-map-saved-dataset")

    page.goto(f"{server.base_url}/data")  # delete it: the confirmation is seen after the rerun
    sign_in(page)
    page.get_by_text("Xóa bộ dữ liệu").click()
    form = page.locator("[data-testid='stForm']").filter(has_text="Tôi chắc chắn muốn xóa")
    form.get_by_text("Tôi chắc chắn muốn xóa").click()
    form.get_by_role("button", name="Xóa").click()
    page.get_by_text("Đã xóa ket-qua-ntm-2015-thu-1.").wait_for(timeout=60_000)
    page.get_by_text("Chưa có bộ dữ liệu nào được lưu").wait_for()
    assert not password_in_page(page)
    assert network.external() == []


@pytest.mark.parametrize(
    ("lang", "message"), [("vi", "Chức năng tải lên đang tắt"), ("en", "Uploads are disabled")]
)
def test_without_password_uploads_are_disabled_with_instructions(monkeypatch, tmp_path, lang, message):
    """No editor password configured: the page says how to enable uploads; uploaders are disabled."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("NTM_GEO_EDITOR_PASSWORD", raising=False)
    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    app = AppTest.from_file(str(harness.REPO / "app_pages" / "data.py"), default_timeout=120)
    app.session_state["lang"] = lang
    app.run()
    assert not app.exception
    (warning,) = [w.value for w in app.warning]
    assert message in warning and "NTM\\_GEO\\_EDITOR\\_PASSWORD" in warning and "secrets\\.toml" in warning
    assert app.get("file_uploader") == []  # no upload widget at all: nothing can be sent or parsed
    assert not (tmp_path / "data").exists()  # viewing the page wrote nothing


@pytest.fixture
def page_test(monkeypatch, tmp_path):
    """The data page in Streamlit's AppTest (no browser), with an editor password, a temp data
    folder and a fresh sign-in throttle."""
    from streamlit.testing.v1 import AppTest

    from ntm_geo import auth

    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(auth, "THROTTLE", auth.Throttle())
    app = AppTest.from_file(str(harness.REPO / "app_pages" / "data.py"), default_timeout=120)
    app.session_state["lang"] = "vi"
    return app


def _submit_password(app, password: str) -> None:
    (field,) = [w for w in app.text_input if w.label == "Mật khẩu biên tập"]
    field.input(password)
    app.button(key="FormSubmitter:signin_form-Đăng nhập").click()
    app.run()


def _signed_in_upload(app, name: str, data: bytes):
    """``app`` run, an editor signed in, ``data`` uploaded as the CSV table ``name``: no exception."""
    app.run()
    _submit_password(app, PASSWORD)
    table, _boundary = app.get("file_uploader")
    table.set_value((name, data, "text/csv")).run()
    assert not app.exception
    return app


def test_a_visitor_gets_no_uploader_until_signed_in_and_wrong_passwords_wait(page_test, caplog):
    app = page_test
    app.run()
    assert not app.exception
    assert app.get("file_uploader") == []  # anonymous: no uploader rendered, nothing parsed
    assert any("Đăng nhập biên tập (ở trên) để tải tệp lên" in c.value for c in app.caption)

    _submit_password(app, "sai")
    (error,) = [e.value for e in app.error]
    assert error.startswith("Sai mật khẩu biên tập")
    assert app.get("file_uploader") == []
    assert "editor sign-in failed: client local" in caplog.text and "sai" not in caplog.text.split()
    _submit_password(app, PASSWORD)  # at once: refused without looking at the password
    assert "hãy chờ 1 giây" in app.error[0].value and app.get("file_uploader") == []
    assert "editor_session" not in app.session_state


def test_signed_in_editor_gets_both_uploaders_and_the_password_is_kept_nowhere(page_test):
    app = page_test
    app.run()
    _submit_password(app, PASSWORD)
    assert not app.exception and not app.error
    assert len(app.get("file_uploader")) == 2  # table and boundaries
    assert "signin_password" not in app.session_state
    assert not [w for w in app.text_input if w.label == "Mật khẩu biên tập"]  # no password field left
    assert PASSWORD not in repr(app.session_state)  # every key and value of the session
    assert "Đã đăng nhập biên tập" in " ".join(c.value for c in app.caption)
    app.button(key="signout").click()
    app.run()
    assert app.get("file_uploader") == []


def test_an_expired_editor_session_loses_the_uploaders_with_a_notice(page_test, monkeypatch):
    from ntm_geo import auth

    app = page_test
    app.run()
    _submit_password(app, PASSWORD)
    assert len(app.get("file_uploader")) == 2
    later = auth.time.monotonic() + auth.IDLE_TIMEOUT_S + 1
    monkeypatch.setattr(auth.time, "monotonic", lambda: later)
    app.run()
    assert app.get("file_uploader") == []
    assert any("Phiên biên tập đã hết hạn" in w.value for w in app.warning)


def _shapefile_zip(folder: Path, *, with_prj: bool) -> Path:
    """The built-in communes in VN-2000 / UTM 48N as a zipped shapefile inside a sub-folder,
    attribute names as an office writes them, UTF-8 declared in a .cpg."""
    import zipfile

    import pyogrio

    from ntm_geo.geo.boundaries import load_boundaries

    communes = load_boundaries().communes[["commune_code", "name_with_type", "district_name", "geometry"]]
    frame = communes.rename(
        columns={"commune_code": "MA_XA", "name_with_type": "TEN_XA", "district_name": "HUYEN"}
    )
    shp = folder / "shp"
    shp.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(frame.to_crs("EPSG:3405"), shp / "xa_lang_son.shp", encoding="UTF-8")
    (shp / "xa_lang_son.cpg").write_text("UTF-8")
    out = folder / ("ranh_gioi.zip" if with_prj else "ranh_gioi_thieu_prj.zip")
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(shp.iterdir()):
            if with_prj or path.suffix != ".prj":
                archive.write(path, "ranh_gioi_xa/" + path.name)
    return out


def test_boundary_upload_refuses_a_shapefile_without_crs_then_saves_and_maps_one(
    data_app, new_page, tmp_path
):
    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    page.get_by_text("Đang dùng ranh giới có sẵn (censusVN2009).").wait_for(timeout=60_000)
    sign_in(page)
    page.get_by_text("Tải lên ranh giới thay thế").click()  # open the expander
    uploader = page.locator("input[type=file]").last

    uploader.set_input_files(str(_shapefile_zip(tmp_path / "a", with_prj=False)))
    error = page.get_by_text("thiếu tệp .prj").first
    error.wait_for(timeout=60_000)
    assert "ranh_gioi_thieu_prj.zip" in error.inner_text()  # the message names the file

    uploader.set_input_files(str(_shapefile_zip(tmp_path / "b", with_prj=True)))
    page.get_by_text("226 khớp, 0 không khớp, 0 trùng, 0 đơn vị chưa có ranh giới").first.wait_for(
        timeout=90_000
    )
    harness.screenshot(page, "data-page-boundaries-report")
    form = page.locator("[data-testid='stForm']").filter(has_text="Lưu và dùng ranh giới này")
    form.get_by_role("button", name="Lưu và dùng ranh giới này").click()
    page.get_by_text("Đã lưu ranh giới").first.wait_for(timeout=90_000)

    page.goto(server.base_url)  # the maps now use the uploaded boundaries (same 226 units)
    fills = harness.wait_for_communes(page, 226, timeout=90)
    assert len(fills) == 226
    page.goto(f"{server.base_url}/data")
    page.get_by_text("Đang dùng ranh giới tải lên: ranh_gioi").first.wait_for(timeout=60_000)
    page.get_by_text("Đăng nhập biên tập").first.wait_for()  # a new page load is a new session
    assert page.get_by_text("Xóa ranh giới đang dùng").count() == 0  # no delete before signing in
    sign_in(page)
    assert "VN-2000 / UTM zone 48N" in page.get_by_text("Đang dùng ranh giới tải lên").first.inner_text()

    page.get_by_text("Tải lên ranh giới thay thế").click()  # delete: back to the built-in boundaries
    form = page.locator("[data-testid='stForm']").filter(has_text="Xóa ranh giới đang dùng")
    form.get_by_role("button", name="Xóa ranh giới đang dùng (quay về bản trước)").click()
    page.get_by_text("Đang dùng ranh giới có sẵn (censusVN2009).").wait_for(timeout=60_000)
    assert network.external() == []


def test_a_page_that_raises_shows_an_error_id_never_a_traceback_or_path(monkeypatch, tmp_path, caplog):
    """app.py runs each page inside one handler (app_pages.common.run_page): an unexpected
    exception is logged with an id and its traceback; the visitor sees only the id, in both
    languages."""
    import re

    from streamlit.testing.v1 import AppTest

    from ntm_geo.datasets import store

    def broken() -> list:
        raise RuntimeError("cannot open /srv/ntm/secret/ntm_data/store.sqlite")

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(store, "list_records", broken)
    app = AppTest.from_file(str(harness.REPO / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("app_pages/data.py")
    app.run()
    assert not app.exception  # nothing left for Streamlit to show with a traceback
    (error,) = [e.value for e in app.error]
    error_id = re.search(r"mã lỗi \*\*([0-9a-f]{8})\*\*", error).group(1)
    assert f"error id **{error_id}**" in error  # Vietnamese first, then English
    shown = " ".join(str(e.value) for e in app.main if hasattr(e, "value"))
    assert "/srv/" not in shown and "Traceback" not in shown and "RuntimeError" not in shown
    assert f"unexpected error {error_id} on page data" in caplog.text
    assert "Traceback" in caplog.text and "/srv/ntm/secret" in caplog.text  # the details go to the log


def test_markdown_in_an_uploaded_cell_is_shown_as_text_and_fetches_nothing(data_app, new_page, tmp_path):
    """A cell ``![](http://127.0.0.1:PORT/x)`` in a row with a suggested match: the suggestion's
    label shows it literally; the browser requests nothing from that address."""
    port = harness.free_port()
    image = f"![](http://127.0.0.1:{port}/x)"
    table = tmp_path / "goi_y.csv"
    table.write_text(
        "Huyện,Tên xã,Năm,Số tiêu chí đạt,Ghi chú\n"
        f"Văn Lãng,Xã Tân Tácc,2015,10,{image}\n"
        "Văn Lãng,Xã Hoàng Việt,2015,12,\n",
        encoding="utf-8",
    )
    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    sign_in(page)
    page.locator("input[type=file]").first.set_input_files(str(table))
    page.get_by_text("Gợi ý khớp (chỉ áp dụng khi bạn xác nhận)").wait_for(timeout=60_000)
    label = page.get_by_text("Dòng 2: Văn Lãng")
    label.wait_for()
    assert page.locator(f"img[src*='127.0.0.1:{port}']").count() == 0
    assert not [u for u in network.urls if f"127.0.0.1:{port}" in u]
    assert image in label.inner_text()  # the cell as written, as text


def test_the_deploy_menu_is_hidden_and_the_uploader_speaks_the_users_language(data_app, new_page):
    """No "Deploy" button or developer menu (client.toolbarMode = "minimal"); the uploader's
    English "Upload" / "10MB per file" replaced by the page's own Vietnamese texts."""
    server = data_app()
    page, _ = new_page(1280, 900)
    page.goto(f"{server.base_url}/data")
    sign_in(page)
    zone = page.locator("[data-testid='stFileUploaderDropzone']").first
    zone.wait_for()
    assert page.locator("[data-testid='stAppDeployButton'], [data-testid='stMainMenu']").count() == 0
    assert page.get_by_text("Deploy", exact=True).count() == 0
    shown = zone.inner_text()
    assert "Upload" not in shown and "per file" not in shown
    assert (
        zone.evaluate("e => getComputedStyle(e, '::before').content")
        == '"Kéo thả tệp vào đây hoặc bấm «Chọn tệp»"'
    )
    button = zone.locator("button [data-has-shortcut]")
    assert button.evaluate("e => getComputedStyle(e, '::after').content") == '"Chọn tệp"'
    page.get_by_text("tối đa 10 MB").first.wait_for()  # the limit, in the label


def test_an_oversized_table_is_refused_on_the_server_before_it_is_read(page_test, monkeypatch):
    """A client that ignores the uploader's 10 MB limit (the browser enforces it too) gets the
    refusal from the server; the table reader is never called."""
    from ntm_geo.datasets.importing import table as importing_table

    def must_not_read(*args, **kwargs):
        raise AssertionError("an oversized upload was read")

    monkeypatch.setattr(importing_table, "import_table", must_not_read)
    app = _signed_in_upload(page_test, "lon.csv", b"x" * (10 * 2**20 + 1))
    assert [e.value for e in app.error] == ["Tệp có 10.0 MB, vượt giới hạn 10 MB."]


def test_what_was_read_from_an_upload_stays_in_the_session_and_goes_with_sign_out(page_test):
    app = page_test
    app.run()
    _submit_password(app, PASSWORD)
    table, _boundary = app.get("file_uploader")
    csv = "Huyện,Tên xã,Năm,Số tiêu chí đạt\nVăn Lãng,Xã Hoàng Việt,2015,12\n".encode()
    table.set_value(("mot_xa.csv", csv, "text/csv")).run()
    assert not app.exception
    assert any("**1** dòng khớp" in m.value for m in app.markdown)  # the match report
    memo = app.session_state["_upload_memo::table"]
    assert memo[1].file == "mot_xa.csv"  # read once, kept for this session only
    app.button(key="signout").click().run()
    assert "_upload_memo::table" not in app.session_state  # freed with the sign-out


def test_a_2026_table_under_51_2025_is_read_saved_and_mapped_over_10_criteria(data_app, new_page, tmp_path):
    """Issue 13: the 2026 template follows Decision 51/2025 (10 criteria) on the 65 units of 2025
    (trial 6, finding 4: it listed the 226 units of 2015); the match report says which framework it
    read the table under; the saved dataset is mapped on the 65 units, criteria met over 0–10."""
    import csv
    import io

    from ntm_geo.datasets.template import template_csv

    text = template_csv(2026).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    assert header[5] == "TC1. Quy hoạch" and header[14] == "TC10. Tiếp cận pháp luật và an ninh, quốc phòng"
    assert header[4] == "Nhóm xã (1/2/3)" and "Huyện/thành phố" not in header and len(body) == 65
    for row in body:
        if row[1] == "Xã":
            row[4] = "1"
            row[5:15] = ["1"] * 6 + ["0"] * 4
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *body])
    path = tmp_path / "ket_qua_2026.csv"
    path.write_bytes(("\ufeff" + out.getvalue()).encode("utf-8"))

    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    page.get_by_text("QĐ 491/QĐ-TTg; 342/QĐ-TTg (2011–2015, 19 tiêu chí)").wait_for(
        timeout=60_000
    )  # 2015 template
    sign_in(page)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu)").first.wait_for(timeout=60_000)
    page.get_by_text(
        "Bộ tiêu chí: QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí), chọn theo năm 2026"
    ).first.wait_for()
    page.get_by_text("Bảng được khớp với Đơn vị hành chính 2025 (65 xã, phường").first.wait_for()
    assert page.get_by_text("Cần xác nhận trước khi lưu").count() == 0  # the template's own units
    page.get_by_label("Tên bộ dữ liệu").fill("NTM 2026")
    page.get_by_role("button", name="Lưu 65 dòng").click()
    page.get_by_text("Đã lưu bộ dữ liệu").wait_for(timeout=60_000)

    page.goto(server.base_url)
    harness.wait_for_communes(page, 226)
    harness.choose_selectbox(page, "Bộ dữ liệu", "NTM 2026")
    fills = harness.wait_for_communes(page, 65)  # the dataset's vintage decides the units
    assert len(fills) == 65 and NO_DATA_GREY not in fills
    page.get_by_text("6–7 tiêu chí").first.wait_for(timeout=30_000)  # the legend's classes are 0–10
    page.get_by_text("10 tiêu chí (đạt chuẩn NTM)").first.wait_for()
    assert page.get_by_text("15–18 tiêu chí").count() == 0
    harness.screenshot(page, "data-page-map-2026-51-2025")
    assert network.external() == []


def test_an_illustrative_export_is_refused_unless_the_editor_ticks_the_box(page_test):
    """The data page's counterpart of --accept-illustrative: editors only, the notice shown, and the
    saved dataset's source names the illustrative origin."""
    from ntm_geo.datasets import store
    from ntm_geo.datasets.contract import ILLUSTRATIVE

    app = page_test
    app.run()
    assert not [c for c in app.checkbox if c.key == "accept_illustrative"]  # a visitor has no such box
    _submit_password(app, PASSWORD)
    csv = f'"{ILLUSTRATIVE.note_vi}"\nHuyện,Tên xã,Năm,Số tiêu chí đạt\nVăn Lãng,Xã Hoàng Việt,2015,12\n'.encode()
    table, _boundary = app.get("file_uploader")
    table.set_value(("ban_do.csv", csv, "text/csv")).run()
    assert not app.exception
    assert any("DỮ LIỆU MINH HỌA" in e.value and "Nhập có chủ ý" in e.value for e in app.error)
    assert not any("dòng khớp" in m.value for m in app.markdown)  # refused: no match report
    app.checkbox(key="accept_illustrative").check().run()
    assert not app.exception
    assert any("**1** dòng khớp" in m.value for m in app.markdown)
    assert any("được xuất từ dữ liệu minh họa" in w.value for w in app.warning)  # the notice, shown
    (name,) = [w for w in app.text_input if w.label == "Tên bộ dữ liệu"]
    name.input("Thử minh họa")
    (save,) = [b for b in app.button if b.label.startswith("Lưu 1 dòng")]
    save.click().run()
    assert not app.exception
    (info,) = store.list_infos()
    assert "nhập có chủ ý trên trang Dữ liệu" in info.source


def test_a_2026_table_on_the_2015_units_is_saved_only_once_the_editor_confirms(page_test):
    """Trial 6, finding 4: a 2026 table keyed by the 2015 units (the old 2026 template) was saved
    silently on units that no longer exist. The report says so and offers the 2026 template and the
    map on the 2025 units; saving needs the confirmation box."""
    from ntm_geo.datasets import store
    from ntm_geo.geo.units import official_units

    units = official_units()
    lines = ["Mã xã (GSO),Tên đơn vị,Năm,Tỷ lệ hộ nghèo (%)"]
    lines += [
        f"{c},{n},2026,5.0" for c, n in zip(units["commune_code"], units["name_with_type"], strict=True)
    ]
    app = _signed_in_upload(page_test, "ho_ngheo_2026.csv", "\n".join(lines).encode())
    (warning,) = [w for w in app.warning if "Cần xác nhận trước khi lưu (1)" in w.value]
    assert "không còn vào năm 2026" in warning.value and "65 đơn vị" in warning.value
    assert "units=2025" in warning.value
    (name,) = [w for w in app.text_input if w.label == "Tên bộ dữ liệu"]
    name.input("Hộ nghèo 2026 cũ")
    (save,) = [b for b in app.button if b.label.startswith("Lưu 226 dòng")]
    save.click().run()
    assert any("Chưa lưu" in e.value for e in app.error) and store.list_infos() == []
    app.checkbox(key="confirm_points").check()  # in the form: sent with the submit
    (save,) = [b for b in app.button if b.label.startswith("Lưu 226 dòng")]
    save.click().run()
    assert not app.exception
    (info,) = store.list_infos()
    assert info.name_vi == "Hộ nghèo 2026 cũ"


def test_a_2016_table_with_491_342_names_shows_each_renamed_column_to_confirm(page_test):
    """Trial 6, finding 10: the 2015 template's headers in a 2016 table are read under 1980; each
    column named after a 491/342 criterion is listed to confirm, and nothing is saved until then."""
    from ntm_geo.datasets import store
    from ntm_geo.datasets.template import template_csv

    text = template_csv(2015).decode("utf-8-sig").replace(",2015,", ",2016,")
    rows = list(csv.reader(io.StringIO(text)))
    rows[1][rows[0].index("Tỷ lệ hộ nghèo (%)")] = "3.5"  # one value: an unfilled table is not saved
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    data = out.getvalue().encode("utf-8")
    app = _signed_in_upload(page_test, "h491_2016.csv", data)
    (warning,) = [w for w in app.warning if "Cần xác nhận trước khi lưu (8)" in w.value]
    assert "**TC7\\. Chợ nông thôn**" in warning.value  # markdown escaped: a header is the user's text
    assert "Cơ sở hạ tầng thương mại nông thôn" in warning.value
    (save,) = [b for b in app.button if b.label.startswith("Lưu 226 dòng")]
    save.click().run()
    assert any("Chưa lưu" in e.value for e in app.error) and store.list_infos() == []


def test_a_2026_poverty_table_on_the_2025_units_is_saved_and_mapped_on_65_units(
    boundaries_2025, data_app, new_page, tmp_path
):
    """Issue 12: a table keyed by the 2025 units (codes and names) is matched to that vintage (and
    says so), a former commune's row is not imported, the saved dataset is drawn on the 65 units."""
    from ntm_geo.geo.vintages import units_2025

    lines = ["Mã đơn vị,Tên đơn vị,Năm,Tỷ lệ hộ nghèo (%)"]
    units = units_2025()
    for i, (code, name) in enumerate(zip(units["commune_code"], units["name_with_type"], strict=True)):
        if code != "05986":  # Phường Tam Thanh: given below under a former commune's name
            lines.append(f"{code},{name},2026,{1.5 + (i % 13) * 0.9:.1f}")
    lines.append(",Xã Hoàng Đồng,2026,3.0")
    path = tmp_path / "ho_ngheo_2026.csv"
    path.write_bytes(("\n".join(lines) + "\n").encode("utf-8"))

    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    sign_in(page)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu)").first.wait_for(timeout=60_000)
    page.get_by_text("Bảng được khớp với Đơn vị hành chính 2025 (65 xã, phường").first.wait_for()
    counts = page.get_by_text("dòng khớp").first.inner_text()
    assert "64 dòng khớp" in counts and "1 không khớp" in counts and "1 đơn vị không có dòng" in counts
    page.get_by_label("Tên bộ dữ liệu").fill("Ho ngheo 2026")
    page.get_by_role("button", name="Lưu 64 dòng").click()
    page.get_by_text("Đã lưu bộ dữ liệu").wait_for(timeout=60_000)
    harness.screenshot(page, "data-page-saved-2025-units")

    page, _ = new_page(1024, 768)
    page.goto(server.base_url)
    harness.wait_for_communes(page, 226)
    harness.choose_selectbox(page, "Bộ dữ liệu", "Ho ngheo 2026")
    harness.wait_for_communes(page, 65)  # the dataset's vintage decides the units
    page.wait_for_function("location.search.includes('units=2025')", timeout=60_000)

    page.goto(f"{server.base_url}/?dataset=ho-ngheo-2026-1&year=2026&theme=poverty&units=2015")
    fills = harness.wait_for_communes(page, 65)  # units=2015 cannot hold a 2025 dataset: 65 units
    assert len(set(fills) - {NO_DATA_GREY}) >= 3 and fills.count(NO_DATA_GREY) == 1  # Tam Thanh: no row
    legend = harness.wait_until(
        lambda: harness.map_frame(page).inner_text(".ntm-legend"), timeout=60, what="legend"
    )
    assert "suy ra" not in legend and "Dữ liệu minh họa" not in legend  # its own values, not carried
    assert page.get_by_text("số liệu của bộ dữ liệu theo đơn vị 2025", exact=False).first.is_visible()
    harness.screenshot(page, "app-2025-dataset-1024x768")
    assert network.external() == []


def test_presentation_of_a_2025_dataset_at_1024x768(
    boundaries_2025, data_app, new_page, tmp_path, monkeypatch
):
    """A dataset keyed by the 2025 units is presented on the 65 units (no district outlines), at 1024x768."""
    from ntm_geo import auth
    from ntm_geo.datasets import store
    from ntm_geo.datasets.importing.table import import_table
    from ntm_geo.geo.vintages import units_2025

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "ntm_data"))  # the folder data_app gives the app
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    store.configure(None)
    auth.configure(None)
    lines = ["Mã đơn vị,Năm,Tỷ lệ hộ nghèo (%)"]
    lines += [f"{c},2026,{1.5 + (i % 11) * 1.1:.1f}" for i, c in enumerate(units_2025()["commune_code"])]
    report = import_table(("\n".join(lines) + "\n").encode(), "ho_ngheo_2026.csv")
    assert report.vintage == "2025"
    info = store.save_import(
        report.table,
        2026,
        report.to_json(),
        name="Ho ngheo 2026",
        source="t",
        uploaded_by="t",
        password=PASSWORD,
    )
    server = data_app()
    page, network = new_page(1024, 768)
    page.goto(f"{server.base_url}/present?dataset={info.id}&slides=poverty_rate_pct.2026")
    fills = harness.wait_for_communes(page, 65)
    assert len(set(fills)) >= 3 and NO_DATA_GREY not in fills
    frame = harness.map_frame(page)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") <= 1
    harness.wait_until(
        lambda: "Ranh giới 65 đơn vị từ 01/7/2025" in frame.inner_text("body"), timeout=30, what="source line"
    )
    harness.screenshot(page, "present-2025-dataset-1024x768")
    assert network.external() == []


def _save_2026_dataset_on_2025_units(tmp_path, monkeypatch):
    """A 2026 table under 51/2025 (10 criteria) on the 65 units of 2025, saved for ``data_app``."""
    from ntm_geo import auth
    from ntm_geo.datasets import store
    from ntm_geo.datasets.importing.table import import_table
    from ntm_geo.geo.vintages import units_2025

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "ntm_data"))  # the folder data_app gives the app
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    store.configure(None)
    auth.configure(None)
    units = units_2025()
    header = ["Mã đơn vị", "Tên đơn vị", "Năm", *[f"TC{i}" for i in range(1, 11)], "Tỷ lệ hộ nghèo (%)"]
    lines = [",".join(header)]
    for i, (code, name, kind) in enumerate(
        zip(units["commune_code"], units["name_with_type"], units["unit_type"], strict=True)
    ):
        met = ["1" if j < 4 + i % 7 else "0" for j in range(10)] if kind == "xa" else [""] * 10
        lines.append(",".join([code, name, "2026", *met, f"{1.5 + (i % 11) * 1.1:.1f}"]))
    report = import_table(("\n".join(lines) + "\n").encode(), "ntm_2026.csv")
    assert report.vintage == "2025" and report.framework_id == "qd51_2025" and report.ok_rows() == 65
    info = store.save_import(
        report.table, 2026, report.to_json(), name="NTM 2026", source="t", uploaded_by="t", password=PASSWORD
    )
    return info


def test_planner_on_a_2025_dataset_at_1024x768(boundaries_2025, data_app, new_page, tmp_path, monkeypatch):
    """A 2026 table under 51/2025 (10 criteria) on the 2025 units is planned on the 65 units."""
    info = _save_2026_dataset_on_2025_units(tmp_path, monkeypatch)
    server = data_app()
    page, network = new_page(1024, 768)
    page.goto(f"{server.base_url}/planner?dataset={info.id}")
    fills = harness.wait_for_communes(page, 65)
    assert len(set(fills)) >= 3
    frame = harness.map_frame(page)
    assert frame.evaluate("document.querySelectorAll('path.ntm-district').length") <= 1
    harness.screenshot(page, "planner-2025-dataset-1024x768")
    assert network.external() == []


def test_profile_of_a_unit_of_a_2025_dataset_shows_its_10_criteria(
    boundaries_2025, data_app, new_page, tmp_path, monkeypatch
):
    """A 2026 table under 51/2025 on the 2025 units: the map page's profile gives the unit's
    criteria out of 10 (issue 13; the profile used to stop on the 2025 units)."""
    from ntm_geo.geo.vintages import units_2025

    info = _save_2026_dataset_on_2025_units(tmp_path, monkeypatch)
    units = units_2025()
    code, name = next(
        (c, n)
        for c, n, k in zip(units["commune_code"], units["name_with_type"], units["unit_type"], strict=True)
        if k == "xa"
    )
    server = data_app()
    page, network = new_page(1024, 768)
    page.goto(f"{server.base_url}/?dataset={info.id}&communes={code}")
    harness.wait_for_communes(page, 65)
    harness.wait_until(
        lambda: page.get_by_text("/10", exact=False).first.is_visible(), timeout=60, what="criteria out of 10"
    )
    assert page.get_by_text(name, exact=False).first.is_visible()
    assert page.get_by_text("Bộ tiêu chí: QĐ 51/2025", exact=False).first.is_visible()
    # trial 6 (#6): the sidebar says there are no districts, but not that criteria are "k of n
    # former communes": that holds only for values carried from the 2015 units
    harness.wait_until(
        lambda: page.get_by_text("không còn cấp huyện", exact=False).first.is_visible(),
        timeout=30,
        what="note",
    )
    assert page.get_by_text("xã cũ đạt", exact=False).count() == 0
    assert network.external() == []


def _year_csv(folder: Path, year: int) -> Path:
    """The illustrative 2015 table relabelled as ``year`` (one province table a year)."""
    source = harness.REPO / "data" / "illustrative" / "lang_son_ntm_2015.csv"
    path = folder / f"ntm_{year}.csv"
    path.write_text(source.read_text(encoding="utf-8").replace(",2015,", f",{year},"), encoding="utf-8")
    return path


def test_adding_a_year_keeps_the_datasets_name_and_the_years_page_steps_through_both(
    data_app, new_page, tmp_path
):
    """trial6: "Lưu thành: Thay thế …" merged the year but renamed the dataset to the file's name
    (the name field's default), so each year added renamed it; blank now keeps the saved name."""
    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    sign_in(page)
    uploader = page.locator("input[type=file]").first
    uploader.set_input_files(str(_year_csv(tmp_path, 2016)))
    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu)").first.wait_for(timeout=60_000)
    page.get_by_label("Tên bộ dữ liệu").fill("NTM nhiều năm")
    page.get_by_role("button", name="Lưu 226 dòng").click()
    page.get_by_text("Đã lưu bộ dữ liệu NTM nhiều năm (mã ntm-nhieu-nam-1)").wait_for(timeout=60_000)

    uploader.set_input_files(str(_year_csv(tmp_path, 2017)))
    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu) — ntm_2017.csv").wait_for(timeout=60_000)
    harness.choose_selectbox(
        page,
        "Lưu thành",
        "Thêm năm 2017 vào: NTM nhiều năm (ntm-nhieu-nam-1) "
        "(các năm khác giữ nguyên; năm 2017 đã có thì được thay)",
    )
    page.get_by_role("button", name="Lưu 226 dòng").click()  # name and source left blank
    page.get_by_text("Đã lưu bộ dữ liệu NTM nhiều năm (mã ntm-nhieu-nam-1)").wait_for(timeout=60_000)

    page.goto(f"{server.base_url}/years?dataset=ntm-nhieu-nam-1")
    page.get_by_text("Theo năm · 2016–2017").wait_for(timeout=60_000)
    assert network.external() == []


def test_an_indicator_column_uploaded_on_the_data_page_shows_in_the_commune_profile(
    data_app, new_page, tmp_path, monkeypatch
):
    """Issue 13: a 2015 table with indicator columns of 491/342 (c04_2 = 4.2, "Chỉ tiêu 17.1") is
    uploaded and saved on the data page; the commune's profile on the map page shows each
    indicator with its value, the threshold for Lạng Sơn's region and ✓/✗."""
    from ntm_geo.datasets import store

    path = tmp_path / "chi_tieu_2015.csv"
    path.write_text(
        'Mã xã,Năm,c04_2,Chỉ tiêu 17.1 (%)\n06628,2015,"96,5",65\n05971,2015,90,"71,2"\n', encoding="utf-8"
    )
    server = data_app()
    page, network = new_page(1600, 1000)
    page.goto(f"{server.base_url}/data")
    page.get_by_text("1. Tải mẫu nhập liệu").wait_for(timeout=60_000)
    sign_in(page)
    page.locator("input[type=file]").first.set_input_files(str(path))
    page.get_by_text("Báo cáo khớp dữ liệu (chưa lưu)").first.wait_for(timeout=60_000)
    assert page.get_by_text("cột không nhận ra").count() == 0  # c04_2 used to be "not recognised"
    page.get_by_label("Tên bộ dữ liệu").fill("Chỉ tiêu 2015")
    page.get_by_role("button", name="Lưu 2 dòng").click()
    page.get_by_text("Đã lưu bộ dữ liệu").wait_for(timeout=60_000)

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "ntm_data"))  # the folder data_app gives the app
    store.configure(None)
    [record] = store.list_records()
    page.goto(f"{server.base_url}/?dataset={record.id}&year=2015&communes=06628")
    harness.wait_for_communes(page, 226)
    grid = page.locator("[data-testid='stTable']").filter(has_text="4.2 Tỷ lệ hộ sử dụng điện")
    harness.wait_until(lambda: grid.count() == 1, timeout=60, what="the profile's indicator table")
    text = (grid.first.text_content() or "").replace("\xa0", " ")  # values kept on one line by NBSP
    assert "96,5 %" in text and "≥ 95,0 %" in text, text
    # 11.1 is measured by poverty_rate_pct (one column per quantity), which this table lacks
    assert "11.1 Tỷ lệ hộ nghèo" in text and "Không có dữ liệu" in text, text
    assert "17.1 Tỷ lệ hộ được sử dụng nước hợp vệ sinh" in text and "65,0 %" in text, text
    assert text.count("✓ Đạt") == 1 and text.count("✗ Chưa đạt") == 1, text
    grid.first.scroll_into_view_if_needed()
    page.screenshot(path=str(harness.SCREENSHOTS / "map-profile-indicators-2015.png"))
    assert network.external() == []


def test_a_ward_with_a_criteria_count_is_imported_and_its_ignored_values_listed(page_test):
    """A phường given "19 criteria" keeps its poverty rate: the report counts its row as matched,
    lists each ignored cell (row, column, unit) under «Giá trị bỏ qua», and the download is the
    list of rows and values not used."""
    from ntm_geo.datasets import store

    tc = ",".join(f"TC{k}" for k in range(1, 20))
    csv = (
        f"Mã xã,Năm,{tc},Số tiêu chí đạt,Tỷ lệ hộ nghèo (%)\n"
        f"06628,2015,{','.join(['1'] * 10 + ['0'] * 9)},10,11.9\n"
        f"05971,2015,{','.join(['1'] * 19)},19,1.2\n"
    ).encode()
    app = _signed_in_upload(page_test, "bao_cao.csv", csv)
    assert any(
        "**2** dòng khớp" in m.value and "**0** dòng có giá trị ngoài khoảng" in m.value for m in app.markdown
    )
    assert any(m.value == "**Giá trị bỏ qua (dòng vẫn được nhập)** (20)" for m in app.markdown)
    assert any("không thuộc diện đánh giá NTM" in c.value for c in app.caption)
    ignored = next(d.value for d in app.dataframe if "Lý do" in d.value.columns and len(d.value) == 20)
    assert ignored.iloc[-1][["Dòng", "Cột", "Mã", "Giá trị"]].tolist() == [
        3,
        "Số tiêu chí đạt",
        "05971",
        "19",
    ]
    assert ignored.iloc[-1]["Lý do"].startswith("Phường Hoàng Văn Thụ (05971) là phường, không thuộc diện")
    (download,) = [b for b in app.get("download_button") if "giá trị bỏ qua" in b.proto.label]
    assert download.proto.label == "Tải các dòng bị loại và giá trị bỏ qua (CSV)"
    assert not any("Các dòng bị loại không được lưu" in c.value for c in app.caption)  # no row rejected
    (name,) = [w for w in app.text_input if w.label == "Tên bộ dữ liệu"]
    name.input("Phường thử")
    (save,) = [b for b in app.button if b.label.startswith("Lưu 2 dòng")]
    assert save.label == "Lưu 2 dòng (bỏ 0 dòng bị loại)"  # the ward's row is saved, not left out
    save.click().run()
    assert not app.exception
    (info,) = store.list_infos()
    saved = store.load_table(info.id, 2015).set_index("commune_code")
    assert saved.loc["05971", "poverty_rate_pct"] == 1.2 and pd.isna(saved.loc["05971", "criteria_met"])


def test_the_report_check_writes_numbers_the_vietnamese_way(page_test):
    """trial 8, m4: the report check said "11.9 / 19.6542" in Vietnamese; now the report's
    precision and a decimal comma."""
    import pandas as pd

    table = pd.read_csv(
        harness.REPO / "data" / "illustrative" / "lang_son_ntm_2015.csv", dtype=str, comment="#"
    )
    table["poverty_rate_pct"] = "19.6542"
    app = page_test
    app.run()
    _submit_password(app, PASSWORD)
    uploader, _boundary = app.get("file_uploader")
    uploader.set_value(("ngheo.csv", table.to_csv(index=False).encode(), "text/csv")).run()
    assert not app.exception
    (check,) = [d.value for d in app.dataframe if "Tính từ dữ liệu" in d.value.columns]
    row = check.set_index("Số liệu").loc["Tỷ lệ hộ nghèo toàn tỉnh"]
    assert row.tolist() == ["11,9", "19,7", "✗"]
    assert check.set_index("Số liệu").loc["Bình quân số tiêu chí/xã"].tolist() == ["7,4", "7,4", "✓"]


def test_a_table_of_wards_only_cannot_be_saved_and_its_download_is_named_not_used(page_test, monkeypatch):
    """Trial 8, M1 and m1: a table whose every row is a phường/thị trấn with criteria (all
    ignored) and no other value used to be saved as an empty dataset ("Lưu 2 dòng" enabled); now
    the save button is disabled and the reason is shown, naming the file. The download of what
    was not used holds only ignored values, so it is named «…_khong_dung.csv», not «…_rejected.csv»."""
    import streamlit as st

    from ntm_geo.datasets import store

    names: list[str] = []  # the file names the page gives its downloads
    download = st.download_button

    def recording(*args, **kwargs):
        names.append(kwargs.get("file_name"))
        return download(*args, **kwargs)

    monkeypatch.setattr(st, "download_button", recording)
    tc = ",".join(f"TC{k}" for k in range(1, 20))
    rows = "".join(f"{code},2015,{','.join(['1'] * 19)},19,\n" for code in ("05971", "06613"))
    csv = f"Mã xã,Năm,{tc},Số tiêu chí đạt,Tỷ lệ hộ nghèo (%)\n{rows}".encode()
    app = _signed_in_upload(page_test, "allwards.csv", csv)
    (save,) = [b for b in app.button if b.label.startswith("Lưu 2 dòng")]
    assert save.disabled
    assert any(
        w.value.startswith(
            "Bảng «allwards.csv» không có giá trị nào dùng được: cả 2 dòng nhập được là phường, thị trấn"
        )
        for w in app.warning
    )
    assert [b.proto.label for b in app.get("download_button") if "bỏ qua" in b.proto.label] == [
        "Tải các dòng bị loại và giá trị bỏ qua (CSV)"
    ]
    assert "allwards_khong_dung.csv" in names and "allwards_rejected.csv" not in names
    assert store.list_infos() == []
