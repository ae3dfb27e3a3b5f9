"""ntm_geo.maps.change: criteria gained per xã, classes, not-assessed and no-data handling."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.errors import DataError
from ntm_geo.maps.change import GAIN_CLASSES, change_table, compute_change_view
from ntm_geo.maps.classify import NO_DATA_COLOR, NOT_ASSESSED_COLOR


def _table(met: list, assessed: list[bool], codes: list[str] | None = None) -> gpd.GeoDataFrame:
    codes = codes or [f"0600{i}" for i in range(len(met))]
    return gpd.GeoDataFrame(
        {"commune_code": codes, "assessed": assessed, "criteria_met": pd.array(met, dtype="Int64")},
        geometry=[box(106 + 0.1 * i, 21, 106.1 + 0.1 * i, 21.1) for i in range(len(met))],
        crs=4326,
    )


ASSESSED = [True, True, True, True, False, True]


def test_gain_is_after_minus_before_with_na_for_not_assessed_and_blanks():
    before = _table([2, 5, 7, None, None, 3], ASSESSED)
    after = _table([9, 5, 6, 8, 1, 15], ASSESSED)
    out = change_table(before, after)
    assert out["criteria_gained"].tolist()[:3] == [7, 0, -1]
    assert out["criteria_gained"].isna().tolist() == [False, False, False, True, True, False]
    assert out["criteria_met_before"].tolist()[0] == 2 and out["criteria_met_after"].tolist()[5] == 15
    assert out.crs == after.crs and list(out["commune_code"]) == list(after["commune_code"])


def test_order_of_the_earlier_table_does_not_matter():
    before = _table([1, 2, 3], [True] * 3, ["06001", "06002", "06003"]).iloc[::-1]
    after = _table([4, 4, 4], [True] * 3, ["06001", "06002", "06003"])
    assert change_table(before, after)["criteria_gained"].tolist() == [3, 2, 1]


def test_view_classes_legend_and_display_values():
    out = change_table(_table([2, 5, 7, None, None, 3], ASSESSED), _table([9, 5, 6, 8, 1, 15], ASSESSED))
    view = compute_change_view(out, lang="vi")
    cls = view.classification
    assert cls.counts == (2, 0, 0, 0, 1, 1)  # ≤0: two (0 and -1); +7: one; +12: one
    assert view.fills[3] == NO_DATA_COLOR and view.fills[4] == NOT_ASSESSED_COLOR
    assert view.display_values[0] == "+7 (2 → 9)" and view.display_values[2] == "-1 (7 → 6)"
    assert view.display_values[3] == "Không có dữ liệu" and view.display_values[4] == "Không đánh giá"
    legend = cls.legend_entries("en")
    assert legend[0][1] == "+10 criteria or more" and legend[-1][1].startswith("Not assessed")
    assert view.variable.label("vi") == "Số tiêu chí tăng thêm 2011–2015"
    assert len(set(cls.colors)) == len(GAIN_CLASSES)  # sequential palette, one colour per class


def test_different_units_raise():
    with pytest.raises(DataError, match=r"two years hold different units \(2 differ"):
        change_table(
            _table([1, 2], [True, True], ["06001", "06002"]), _table([1, 2], [True, True], ["06001", "06009"])
        )


def test_missing_column_raises():
    with pytest.raises(DataError, match=r"the before table lacks column\(s\) \['criteria_met'\]"):
        change_table(_table([1], [True]).drop(columns="criteria_met"), _table([1], [True]))


def test_duplicate_codes_raise():
    with pytest.raises(DataError, match=r"the after table has duplicate commune codes \['06001'\]"):
        change_table(_table([1, 2], [True] * 2), _table([1, 2], [True] * 2, ["06001", "06001"]))


def test_real_data_gains_are_plausible(boundaries):
    from ntm_geo.datasets import catalog
    from ntm_geo.maps.themes import join_dataset

    before = join_dataset(boundaries.communes_web, catalog.load_year("illustrative", 2011))
    after = join_dataset(boundaries.communes_web, catalog.load_year("illustrative", 2015))
    view = compute_change_view(change_table(before, after))
    assert view.classification.n_not_assessed == 19  # 5 phường + 14 thị trấn
    assert sum(view.classification.counts) == 207
