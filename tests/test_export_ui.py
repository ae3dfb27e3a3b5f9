"""The export panel in a running Streamlit script (AppTest): lazy rendering, cached files, buttons."""

from __future__ import annotations

import pytest

pytest.importorskip("streamlit.testing.v1")
from streamlit.testing.v1 import AppTest


def _script(district: str = "", lang: str = "vi") -> str:
    return (
        "from app_pages.export_ui import render_exports\n"
        f"render_exports('illustrative', 2015, 'poverty_rate_pct', 'quantiles', 4, {district!r}, {lang!r})\n"
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


def test_prepare_shows_six_downloads(boundaries):
    at = AppTest.from_string(_script("186"), default_timeout=180).run()
    at.button[0].click().run()
    assert not at.exception, at.exception
    labels = [d.proto.label for d in _downloads(at)]
    assert len(labels) == 6
    assert labels[0].startswith("PNG trình chiếu 1920×1080 · ") and labels[-1].startswith("Bảng CSV · ")
    assert any("26 đơn vị (Huyện Hữu Lũng)" in c.value for c in at.caption)
    # a rerun keeps the files (no button to press again)
    at.run()
    assert len(_downloads(at)) == 6 and not at.button
