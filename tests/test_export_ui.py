"""The export panel in a running Streamlit script (AppTest): lazy rendering, cached files, buttons."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest


def _script(district: str = "", lang: str = "vi") -> str:
    return (
        "from app_pages.export_ui import render_exports\n"
        "from ntm_geo.views.viewstate import ViewState\n"
        "render_exports(ViewState(year=2015, theme='poverty', var='poverty_rate_pct', scheme='quantiles', "
        f"k=4, district={district!r}, lang={lang!r}))\n"
    )


def _downloads(at: AppTest) -> list:
    return [el for el in at.get("download_button")]


def test_nothing_is_rendered_until_prepare(boundaries, monkeypatch):
    import app_pages.export_ui as ui

    calls = []
    monkeypatch.setattr(ui, "render_map", lambda *a, **k: calls.append(a) or b"")
    monkeypatch.setattr(ui, "standalone_html", lambda *a, **k: calls.append(a) or "")
    at = AppTest.from_string(_script(), default_timeout=120).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Tạo tệp"]
    assert _downloads(at) == [] and calls == []


def test_prepare_shows_seven_downloads(boundaries):
    at = AppTest.from_string(_script("186"), default_timeout=240).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [d.proto.label for d in _downloads(at)]
    assert len(labels) == 7
    names = sorted(label.split(" · ")[0] for label in labels)
    assert names == sorted(
        [
            "PNG trình chiếu 1920×1080",
            "PNG A4 300 dpi",
            "PDF A4",
            "Bản đồ HTML (không cần mạng)",
            "GeoPackage cho QGIS (có sẵn màu)",
            "Bảng Excel",
            "Bảng CSV",
        ]
    )
    assert any("26 đơn vị (Huyện Hữu Lũng)" in c.value for c in at.caption)
    # a rerun keeps the files (no button to press again)
    at.run()
    assert len(_downloads(at)) == 7 and not at.button


def test_a_file_that_cannot_be_made_says_why_and_the_others_stay(boundaries, monkeypatch):
    """A GeoPackage of a variable without values is refused; the other files are still offered."""
    script = (
        "from app_pages.export_ui import render_exports\n"
        "from ntm_geo.views.viewstate import ViewState\n"
        "render_exports(ViewState(year=2011, theme='infrastructure', var='road_hardened_pct', "
        "scheme='quantiles', k=4, district='186', lang='en'))\n"
    )
    import app_pages.export_ui as ui

    monkeypatch.setattr(ui, "render_map", lambda *a, **k: b"png")  # the pictures are tested elsewhere
    monkeypatch.setattr(ui, "standalone_html", lambda *a, **k: "<html></html>")
    at = AppTest.from_string(script, default_timeout=240).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [d.proto.label for d in _downloads(at)]
    assert len(labels) == 6 and not any(label.startswith("GeoPackage") for label in labels)
    assert any(
        c.value.startswith(
            "GeoPackage for QGIS (styled): not available — Dataset 'illustrative', year 2011: "
            "variable 'road_hardened_pct'"
        )
        for c in at.caption
    )


def test_the_export_key_is_the_view_a_link_encodes_without_selection_or_tiles():
    """Files are keyed by the page's ViewState; a selected commune or the tiles make no new files."""
    from dataclasses import replace

    from app_pages.export_ui import export_view
    from ntm_geo.views.viewstate import ViewState

    base = ViewState(year=2011, theme="poverty", var="poverty_rate_pct", district="186", lang="en")
    busy = replace(base, communes=("06628",), tiles="osm", shortlist=("06628",))
    assert export_view(busy) == export_view(base)
    assert export_view(base).district == "186" and export_view(base).lang == "en"
    assert export_view(replace(base, k=4)) != export_view(base)
