"""The ``units`` link parameter (unit vintage, issue 12)."""

from __future__ import annotations

from ntm_geo.views.viewstate import DEFAULT, from_query, query_string, to_query


def test_units_round_trip_and_default_not_written():
    state, notices = from_query({"units": "2025", "theme": "poverty"})
    assert state.units == "2025" and notices == []
    assert to_query(state) == {"theme": "poverty", "units": "2025"}
    assert from_query(to_query(state))[0] == state
    assert DEFAULT.units == "2015" and "units" not in query_string(DEFAULT)


def test_unknown_units_ignored_with_notice():
    state, (notice,) = from_query({"units": "2019<script>"})
    assert state.units == "2015"
    assert notice.param == "units"
    # each vintage by its name in the notice's language, the value a link holds in parentheses
    assert notice.message("en") == (
        "units='2019<script>': unknown unit vintage; allowed: "
        "2015 units (226 communes, wards, townships; 11 districts) (2015), "
        "2025 units (65 communes and wards; no district level) (2025)"
    )
    assert notice.message("vi") == (
        "units='2019<script>': bộ đơn vị hành chính không hợp lệ; các giá trị hợp lệ: "
        "Đơn vị hành chính 2015 (226 xã, phường, thị trấn; 11 huyện) (2015), "
        "Đơn vị hành chính 2025 (65 xã, phường; không còn cấp huyện) (2025)"
    )
