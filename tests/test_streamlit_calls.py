"""Every ``st.<name>`` the Streamlit front uses exists in the installed Streamlit.

A merge once left ``st.captioninfo.note.pick(L)`` (for ``st.caption(info.note.pick(L))``) in the
small multiples of ``app_pages/years.py``: every illustrative-data view of ``/years?mode=multiples``
showed the "unexpected error" box. Ruff does not see a missing module attribute and mypy checks
only ``ntm_geo``, so this test reads the front's sources.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import streamlit

ROOT = Path(__file__).resolve().parents[1]
FRONT = sorted([ROOT / "app.py", *(ROOT / "app_pages").rglob("*.py")])


def _st_attributes(path: Path) -> list[tuple[int, str]]:
    """(line, name) of each ``st.name`` in a module that imports ``streamlit as st``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imports_st = any(
        isinstance(node, ast.Import) and any(a.name == "streamlit" and a.asname == "st" for a in node.names)
        for node in ast.walk(tree)
    )
    if not imports_st:
        return []
    return [
        (node.lineno, node.attr)
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "st"
    ]


@pytest.mark.parametrize("path", FRONT, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_st_attribute_exists(path: Path) -> None:
    missing = [
        f"{path.name}:{line}: st.{name}"
        for line, name in _st_attributes(path)
        if not hasattr(streamlit, name)
    ]
    assert not missing, missing


def test_the_front_is_read() -> None:
    """The check above looks at something: the pages use st.caption among others."""
    names = {name for path in FRONT for _, name in _st_attributes(path)}
    assert {"caption", "warning", "session_state"} <= names
