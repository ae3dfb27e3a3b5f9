"""The test command fails loudly without a boundary source (issue 14, item 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_suite_stops_without_boundary_source(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("NTM_GEO_TEST_DOWNLOAD",)}
    env["NTM_GEO_BOUNDARY_MIRROR"] = str(tmp_path / "nowhere")
    env["NTM_GEO_SHAPES_DIR"] = str(tmp_path / "shapes")
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_background.py"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "need the censusVN2009 boundary file" in proc.stdout + proc.stderr
    assert "passed" not in proc.stdout and "skipped" not in proc.stdout
