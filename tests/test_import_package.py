"""The import package's shape (issue 11, item 1): one module per job, each small enough to read,
the old single module's names still importable from ``ntm_geo.datasets.importing``, and the
project's own code importing from the owners."""

from __future__ import annotations

import ast
import dataclasses
import importlib
from pathlib import Path

import pytest

from ntm_geo.datasets import schema
from ntm_geo.datasets.importing import registry

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ntm_geo" / "datasets" / "importing"

#: Every public name of the single module ``importing.py`` (2,520 lines) this package replaced,
#: and the module that owns it now.
OWNERS = {
    "EMPTY_RUN_END": "limits",
    "EXCEL_EXTENSIONS": "sniff",
    "EXTRA_CRITERION_NAMES": "headers",
    "FIRST_YEAR_2025_UNITS": "units",
    "HEADER_ALIASES": "headers",
    "HEADER_SCAN_ROWS": "headers",
    "IMPORT_TIME_BUDGET_S": "limits",
    "MAX_CELL_CHARS": "limits",
    "MAX_COLUMNS": "limits",
    "MAX_FILE_BYTES": "limits",
    "MAX_MERGED_RANGES": "xlsx_reader",
    "MAX_ROWS": "limits",
    "MAX_SUGGESTED_ROWS": "limits",
    "MAX_XLSX_MEMBER_BYTES": "limits",
    "MAX_XLSX_RATIO": "limits",
    "MAX_XLSX_TOTAL_BYTES": "limits",
    "TCVN3": "encodings",
    "TEXT_EXTENSIONS": "sniff",
    "BudgetSpentError": "limits",
    "ImportBudget": "limits",
    "ImportReport": "report",
    "RawTable": "reading",
    "RowIssue": "report",
    "column_letter": "limits",
    "header_field": "headers",
    "import_table": "table",
    "issue_message": "report",
    "parse_flag": "values",
    "parse_number": "values",
    "read_table": "reading",
    "repair_mojibake": "encodings",
    "tcvn3_to_unicode": "encodings",
    "vintage_units": "units",
}
LIVE = ("PCT_COLUMNS", "INDICATOR_COLUMNS", "FLAG_COLUMNS", "TABLE_COLUMNS")


@pytest.mark.parametrize("name", sorted(OWNERS))
def test_every_name_of_the_old_module_is_still_importable_and_is_the_owners_object(name):
    package = importlib.import_module("ntm_geo.datasets.importing")
    owner = importlib.import_module(f"ntm_geo.datasets.importing.{OWNERS[name]}")
    assert getattr(package, name) is getattr(owner, name)
    assert name in package.__all__


def test_the_registry_column_lists_are_live_through_the_package():
    package = importlib.import_module("ntm_geo.datasets.importing")
    # a new percentage indicator: a copy of the poverty rate's entry under another key
    extra = dataclasses.replace(schema.column("poverty_rate_pct"), key="school_solid_pct", aliases=())
    with schema.extended(extra):
        for name in LIVE:
            assert getattr(package, name) == getattr(registry, name)
        assert "school_solid_pct" in package.TABLE_COLUMNS
        assert "school_solid_pct" in package.PCT_COLUMNS
        assert "school_solid_pct" in registry.INDICATOR_SPECS
    assert "school_solid_pct" not in package.TABLE_COLUMNS
    assert "school_solid_pct" not in registry.INDICATOR_SPECS
    with pytest.raises(AttributeError, match="has no attribute 'NO_SUCH_NAME'"):
        _ = package.NO_SUCH_NAME


def test_the_projects_own_code_imports_from_the_owners_not_the_facade():
    """Only the package's own ``__init__`` re-exports; everyone else names the owner module."""
    offenders = []
    for folder in ("ntm_geo", "app_pages", "tests", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if path == PACKAGE / "__init__.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "ntm_geo.datasets.importing":
                    if path == Path(__file__).resolve():
                        continue
                    named = {a.name for a in node.names}
                    modules = {p.stem for p in PACKAGE.glob("*.py")}
                    if not named <= modules:  # `from ...importing import limits` names an owner
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_a_table_level_issue_has_no_row_and_no_unit():
    from ntm_geo.datasets.importing.report import RowIssue

    issue = RowIssue.about_table("Sheet1", "lý do", "reason", column="Năm", value="2031")
    assert issue == RowIssue(None, "Sheet1", "Năm", None, "2031", "lý do", "reason")
    assert RowIssue.about_table(None, "a", "b") == RowIssue(None, None, None, None, None, "a", "b")
