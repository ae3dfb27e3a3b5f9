"""Issue 11, item 1: no module over ~500 lines without a reason written at its top, anywhere in
``ntm_geo/`` and the Streamlit pages (``app.py``, ``app_pages/``)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted([*(ROOT / "ntm_geo").rglob("*.py"), *(ROOT / "app_pages").rglob("*.py"), ROOT / "app.py"])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_under_500_lines_or_says_why_at_its_top(path):
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= 500:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert "Why over 500 lines" in doc, (
        f"{path.relative_to(ROOT)}: {text.count(chr(10))} lines, no reason at its top"
    )
