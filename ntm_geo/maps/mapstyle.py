"""The look of the map's paths and its DOM hooks, shared by the map component and the HTML export.

Path styles of a commune (normal, dimmed, highlighted, hovered) and of a district border, the
CSS classes browser tests find the map's elements by (``ntm-commune``, ``ntm-dimmed``,
``ntm-highlight``, ``ntm-district``, ``ntm-legend``, ``ntm-tooltip``), the no-data fill and the
labels of units without data or not assessed. Colours are hex strings (:data:`HEX_COLOUR`).
"""

from __future__ import annotations

import re

COMMUNE_CLASS = "ntm-commune"
DIMMED_CLASS = "ntm-dimmed"
HIGHLIGHT_CLASS = "ntm-highlight"
DISTRICT_CLASS = "ntm-district"
LEGEND_CLASS = "ntm-legend"
TOOLTIP_CLASS = "ntm-tooltip"

NO_DATA_LABEL = "Không có dữ liệu / No data"
NOT_ASSESSED_LABEL = "Không đánh giá / Not assessed"
NO_DATA_FILL = "#d9d9d9"
"""Fill used (with a warning) for a commune whose fill colour is null."""

BACKGROUND = "#f4f3ee"
"""Map background when there are no tiles (or they fail to load offline)."""

HEX_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

COMMUNE_STYLE = {"color": "#ffffff", "weight": 0.7, "opacity": 1.0, "fillOpacity": 0.85}
DIMMED_STYLE = {"color": "#bbbbbb", "weight": 0.5, "opacity": 1.0, "fillOpacity": 0.25}
HIGHLIGHT_STYLE = {"color": "#000000", "weight": 3.0, "opacity": 1.0, "fillOpacity": 0.9}
HOVER_STYLE = {"color": "#222222", "weight": 2.5, "opacity": 1.0}
DISTRICT_STYLE = {"color": "#333333", "weight": 2.2, "opacity": 0.9, "fill": False}


def style_modes(codes: list[str], dimmed: set[str], highlight: set[str]) -> list[int]:
    """Per commune (in ``codes`` order) the index of its style: 0 normal, 1 dimmed, 2 highlighted."""
    return [2 if c in highlight else 1 if c in dimmed else 0 for c in codes]
