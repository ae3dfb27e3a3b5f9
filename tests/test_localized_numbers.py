"""Numbers in on-screen tables written as the reader writes them (app_pages/common.py)."""

from __future__ import annotations

import pandas as pd

import app_pages.common as common

FRAME = pd.DataFrame(
    {
        "Xã": ["Xã Kiên Mộc", "Xã Hải Yến"],
        "Tỷ lệ hộ nghèo (%)": [24.7, None],
        "Dân số": [11455, 2847],
        "Diện tích (km²)": [103.25, 7.5],
    }
)


def _cells(lang: str) -> list[str]:
    """The texts of the table's cells as pandas renders them (what st.dataframe shows)."""
    import re

    html = common.localized_numbers(FRAME, lang).to_html()
    return [
        re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>.*?</td>", html, re.DOTALL)
    ]


def test_vietnamese_decimal_comma_and_thousands_dot():
    cells = _cells("vi")
    assert "24,7" in cells and "11.455" in cells and "2.847" in cells  # whole numbers: no decimals
    assert "103,25" in cells and "7,50" in cells  # as many decimals as the column needs
    assert "" in cells  # missing: blank, not "nan"


def test_english_decimal_point_and_thousands_comma():
    cells = _cells("en")
    assert "24.7" in cells and "11,455" in cells and "103.25" in cells


def test_the_values_stay_numbers():
    styler = common.localized_numbers(FRAME, "vi")
    assert styler.data["Dân số"].tolist() == [11455, 2847]  # the table still sorts by value
