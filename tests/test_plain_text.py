"""Plain texts shown with st.html instead of Markdown (app_pages/common.py: plain_text_html)."""

from __future__ import annotations

import pytest

common = pytest.importorskip("app_pages.common")


def test_text_is_escaped_never_read_as_html_or_markdown():
    hostile = 'Nguồn: <img src=x onerror="alert(1)"> **đậm** & [link](javascript:alert(1))'
    out = common.plain_text_html(hostile, "warning")
    assert "<img" not in out and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in out
    assert "**đậm** &amp; [link](javascript:alert(1))" in out  # Markdown stays literal text
    assert out.startswith('<div class="ntm-note ntm-note-warning">')


@pytest.mark.parametrize(
    ("kind", "start"),
    [("title", '<h4 class="ntm-title">'), ("app_title", '<h1 class="ntm-app-title">'), ("caption", '<p class="ntm-caption">')],
)
def test_each_kind_has_its_tag_and_class_and_keeps_diacritics(kind, start):
    out = common.plain_text_html("Số tiêu chí đạt (0–19) — năm 2015", kind)
    assert out.startswith(start) and "Số tiêu chí đạt (0–19) — năm 2015" in out
    assert "ntm-note-icon" not in out  # the warning icon only on warnings


def test_unknown_kind_is_a_key_error():
    with pytest.raises(KeyError):
        common.plain_text_html("x", "headline")
