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
    assert notice.message("en") == "units='2019<script>': unit vintage must be one of 2015, 2025"
