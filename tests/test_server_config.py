"""Streamlit server settings that keep the app safe on a network (.streamlit/config.toml),
checked against Streamlit's own option table and the README's Security section."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from streamlit.config import ShowErrorDetailsConfigOptions

REPO = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def _uploader_limits_mb() -> dict[str, int]:
    """The data page's own limits, read from its source (importing the page would run it)."""
    source = (REPO / "app_pages" / "data.py").read_text(encoding="utf-8")
    return {
        "table": int(re.search(r"^MAX_TABLE_MB = (\d+)$", source, re.M).group(1)),
        "boundary": int(re.search(r"^MAX_BOUNDARY_MB = min\(.*, (\d+)\)$", source, re.M).group(1)),
    }


def test_server_refuses_uploads_larger_than_the_biggest_uploader_limit():
    limit = CONFIG["server"]["maxUploadSize"]  # Streamlit's default is 200 MB
    assert limit == max(_uploader_limits_mb().values()) == 20
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"`server.maxUploadSize = {limit}`" in readme  # the README states the limit


def test_no_error_details_and_no_developer_menu_for_visitors():
    assert CONFIG["client"]["showErrorDetails"] == ShowErrorDetailsConfigOptions.NONE.value
    assert CONFIG["client"]["toolbarMode"] == "minimal"  # "viewer" stops the URL following the view
