"""The map page of a 2026 dataset on the 65 units of 2025: the export panel prepares every file and
each button downloads it (PNG on the 65 units, GeoPackage of 65 features, Excel and HTML of the 65
units); the old "exports use the 2015 units" notice is gone."""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import pytest
from openpyxl import load_workbook
from PIL import Image

from tests.browser import harness
from tests.browser import test_data_page as data_page

pytestmark = pytest.mark.browser
data_app = data_page.data_app  # the app with an editor password and a temporary data folder


def _download(page, label: str) -> bytes:
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name=re.compile(re.escape(label))).first.click()
    return Path(info.value.path()).read_bytes()


def test_map_page_of_a_2025_dataset_downloads_every_export(
    boundaries_2025, data_app, new_page, tmp_path, monkeypatch
):
    from ntm_geo.geo.vintages import units_2025

    info = data_page._save_2026_dataset_on_2025_units(tmp_path, monkeypatch)
    server = data_app()
    page, network = new_page(1280, 900)
    page.goto(f"{server.base_url}/?dataset={info.id}&year=2026&theme=criteria")
    harness.wait_for_communes(page, 65)
    assert page.get_by_text("use the 2015 units", exact=False).count() == 0
    assert page.get_by_text("Xuất bản đồ và đối chiếu", exact=False).count() == 0
    page.get_by_text("⬇️ Tải bản đồ và bảng số liệu", exact=True).first.click()
    page.get_by_role("button", name="Tạo tệp").click()
    harness.wait_until(
        lambda: page.get_by_role("button", name=re.compile("Bảng CSV")).count() > 0,
        timeout=180,
        what="download buttons",
    )
    assert page.get_by_text("65 đơn vị 2025 (không còn cấp huyện)", exact=False).count() > 0
    png = Image.open(io.BytesIO(_download(page, "PNG trình chiếu 1920×1080")))
    assert png.size == (1920, 1080)
    gpkg = tmp_path / "download.gpkg"
    gpkg.write_bytes(_download(page, "GeoPackage cho QGIS"))
    communes = gpd.read_file(gpkg, layer="communes")
    assert len(communes) == 65 and communes.crs.to_epsg() == 4326 and "district_name" not in communes
    book = load_workbook(io.BytesIO(_download(page, "Bảng Excel")))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    keys = next(i for i, r in enumerate(rows) if r[0] == "commune_code")
    assert len(rows) - keys - 2 == 65 and "district_name" not in rows[keys]
    html = _download(page, "Bản đồ HTML").decode("utf-8")
    assert all(code in html for code in units_2025()["commune_code"])
    harness.screenshot(page, "map-2025-dataset-exports")
    assert network.external() == []
