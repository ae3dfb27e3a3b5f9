"""Years from the data: nearest year, stepping, the small multiples' choice and shared classes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.maps.themes import compute_view
from ntm_geo.views.years import (
    MAX_PANELS,
    check_panels,
    nearest_year,
    shared_views,
    spread_years,
    step_year,
)


def test_nearest_year_prefers_the_later_on_a_tie():
    assert nearest_year(2013, (2011, 2015)) == 2015
    assert nearest_year(2012, (2011, 2015)) == 2011
    assert nearest_year(2030, (2016, 2017, 2019)) == 2019
    assert nearest_year(2017, [2017]) == 2017
    with pytest.raises(ConfigError, match="No year to choose from"):
        nearest_year(2015, [])


def test_step_year_stops_at_the_ends_or_wraps():
    years = (2016, 2017, 2018, 2019)
    assert step_year(2017, years, +1) == 2018
    assert step_year(2017, years, -1) == 2016
    assert step_year(2019, years, +1) == 2019
    assert step_year(2016, years, -1) == 2016
    assert step_year(2019, years, +1, wrap=True) == 2016
    assert step_year(2015, years, +1) == 2017  # a year the data lacks moves to the nearest first


def test_spread_years_keeps_first_and_last():
    years = range(2011, 2026)
    got = spread_years(years)
    assert len(got) == MAX_PANELS and got[0] == 2011 and got[-1] == 2025
    assert spread_years((2015, 2011)) == (2011, 2015)
    assert spread_years(years, 1) == (2025,)


def test_check_panels():
    assert check_panels([2019, 2016, 2016], range(2016, 2020)) == (2016, 2019)
    with pytest.raises(ConfigError, match="at least one year"):
        check_panels([], [2016])
    with pytest.raises(ConfigError, match="At most 6 years"):
        check_panels(range(2011, 2018), range(2011, 2026))
    with pytest.raises(ConfigError, match="no table for 2020; its years: 2016, 2017"):
        check_panels([2016, 2020], [2016, 2017])


def _joined(values, assessed=None):
    return pd.DataFrame(
        {
            "commune_code": [f"{i:05d}" for i in range(len(values))],
            "assessed": assessed if assessed is not None else [True] * len(values),
            "poverty_rate_pct": pd.array(values, dtype="Float64"),
        }
    )


def test_shared_views_one_classification_over_all_years():
    low = _joined([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    high = _joined([50.0, 55.0, 60.0, 65.0, 70.0, None])
    shared = shared_views({2019: high, 2016: low}, "poverty_rate_pct", scheme="equal_interval", k=3)
    assert shared.years == (2016, 2019)
    classes = shared.overall.classification.classes
    for view in shared.by_year.values():
        assert view.classification.classes == classes  # same breaks in every panel
        assert view.classification.colors == shared.overall.classification.colors
    # all of 2016 is in the lowest class, 2019 in the highest: a per-year scheme would spread both
    assert set(shared.by_year[2016].classification.yb) == {0}
    assert set(shared.by_year[2019].classification.yb[:5]) == {2}
    assert shared.by_year[2019].classification.n_no_data == 1
    own = compute_view(low, "poverty_rate_pct", scheme="equal_interval", k=3)
    assert len(set(own.classification.yb)) == 3  # what the shared classes avoid
    assert shared.by_year[2016].fills == shared.overall.fills[:6]
    rows = shared.legend_rows("en")
    assert [r[2] for r in rows] == [(0, 5), (0, 0), (6, 0), (0, 1)]
    assert rows[-1][1] == "No data"


def test_shared_views_needs_a_year():
    with pytest.raises(ConfigError, match="No year to classify"):
        shared_views({}, "poverty_rate_pct")


def test_shared_views_fixed_classes_and_missing_column():
    a = _joined([1.0, 2.0]).assign(criteria_met=pd.array([19, 5], dtype="Int64"))
    b = _joined([1.0, 2.0])  # no criteria_met at all in that year: no data there
    shared = shared_views({2016: a, 2017: b}, "criteria_met")
    assert shared.by_year[2017].classification.n_no_data == 2
    assert np.all(shared.by_year[2016].classification.yb >= 0)


# ---------------------------------------------------------------- years imported into a data dir
@pytest.fixture
def four_years(tmp_path, monkeypatch):
    """A temp data dir holding a dataset imported as one table per year, 2016-2019."""
    from ntm_geo import auth
    from ntm_geo.datasets import store
    from tests.years_data import save_years

    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(auth.PASSWORD_ENV, "pw")
    store.configure(None)
    auth.configure(None)
    yield save_years(password="pw")
    store.configure(None)


def test_imported_years_are_offered_by_links_slides_and_the_change_map(four_years):
    from ntm_geo.datasets import catalog
    from ntm_geo.geo.boundaries import load_boundaries
    from ntm_geo.maps.change import change_table, compute_change_view
    from ntm_geo.views import pipeline
    from ntm_geo.views.slides import parse_slides
    from ntm_geo.views.viewstate import ViewState, from_query
    from ntm_geo.views.years import dataset_years

    ds = four_years.id
    assert dataset_years(ds) == (2016, 2017, 2018, 2019)
    assert set(catalog.all_years()) == {2011, 2015, 2016, 2017, 2018, 2019}
    # links: year=2017 opens 2017; a year the data lacks opens the nearest, with a notice
    state, notices = from_query({"dataset": ds, "year": "2017"}, known_datasets=catalog.dataset_exists)
    assert (state.dataset, state.year, notices) == (ds, 2017, [])
    state, notices = from_query({"dataset": ds, "year": "2011"}, known_datasets=catalog.dataset_exists)
    assert state.year == 2016 and notices[0].reason_vi.startswith(
        "không có số liệu năm 2011; mở năm gần nhất 2016"
    )
    # slides: the dataset's own default sequence, and a slide of any of its years
    slides, notices = parse_slides("", years=four_years.years)
    assert notices == [] and {y for s in slides for y in s.years()} == {2016, 2019}
    slides, notices = parse_slides("criteria_met.2017~change:2017:2018", years=four_years.years)
    assert notices == [] and [s.spec() for s in slides] == ["criteria_met.2017", "change:2017:2018"]
    # the change map between two imported years
    communes = load_boundaries().communes_web
    before = pipeline.join(ViewState(dataset=ds, year=2017), communes)
    after = pipeline.join(ViewState(dataset=ds, year=2019), communes)
    table = change_table(before, after)
    assert (table["criteria_gained"].dropna() >= 0).all() and table["criteria_gained"].max() > 0
    view = compute_change_view(table, before=2017, after=2019, lang="en")
    assert view.variable.label("en") == "Criteria gained 2017–2019"
    # the shared classes of the small multiples over the four years
    joined = {y: pipeline.join(ViewState(dataset=ds, year=y), communes) for y in dataset_years(ds)}
    shared = shared_views(joined, "poverty_rate_pct", scheme="quantiles", k=5)
    counts = [r[2] for r in shared.legend_rows()]
    assert all(sum(c[i] for c in counts) == 226 for i in range(4))


def test_panels_and_multiples_mode_round_trip_through_the_link():
    from ntm_geo.views.viewstate import ViewState, from_query, to_query

    state = ViewState(mode="multiples", panels=(2011, 2015))
    query = to_query(state)
    assert query == {"mode": "multiples", "panels": "2011,2015"}
    back, notices = from_query(query)
    assert back == state and notices == []
    back, notices = from_query({"panels": "2015,2013,x,2011,2015"})
    assert back.panels == (2011, 2015)  # the illustrative data's years only, each once
    assert [(n.param, n.value) for n in notices] == [("panels", "x"), ("panels", "2013")]


@pytest.mark.parametrize(
    ("panels", "expected"),
    [
        (
            "1999,<b>2015</b>",
            [
                ("<b>2015</b>", "bỏ qua: không phải là năm (bốn chữ số, ví dụ 2015)"),
                ("1999", "bỏ qua: không có số liệu năm này (các năm có: 2011, 2015)"),
            ],
        ),
        ("2015,15,２０１１", [("15,２０１１", "bỏ qua: không phải là năm (bốn chữ số, ví dụ 2015)")]),
    ],
)
def test_each_dropped_panel_has_its_own_reason(panels, expected):
    """trial 8, m6: '/years?panels=1999,<b>2015</b>' said the panels were over the cap of 6 years."""
    from ntm_geo.views.viewstate import from_query

    state, notices = from_query({"mode": "multiples", "panels": panels})
    assert state.panels == ((2015,) if "2015," in panels else ())
    assert [(n.value, n.reason_vi) for n in notices] == expected
    assert all("tối đa" not in n.reason_vi and "at most" not in n.reason_en for n in notices)


def test_panels_over_the_cap_are_named_as_such(monkeypatch):
    from ntm_geo.views import years as yr
    from ntm_geo.views.viewstate import from_query

    monkeypatch.setattr(yr, "MAX_PANELS", 1)
    state, notices = from_query({"panels": "2015,2011,2015"})
    assert state.panels == (2015,)
    assert [(n.value, n.reason_vi, n.reason_en) for n in notices] == [
        ("2011", "bỏ qua: chỉ tối đa 1 năm cạnh nhau", "ignored: at most 1 years side by side")
    ]


def test_natural_breaks_over_many_values_use_a_rank_sample_and_cover_every_value(monkeypatch):
    from ntm_geo.views import years as yr

    rng = np.random.default_rng(3)
    joined = {y: _joined(list(rng.random(100) * 50 + (y - 2016) * 5)) for y in (2016, 2017, 2018, 2019)}
    monkeypatch.setattr(yr, "JENKS_SAMPLE", 60)
    shared = shared_views(joined, "poverty_rate_pct", scheme="natural_breaks", k=5)
    c = shared.overall.classification
    assert c.scheme == "natural_breaks" and c.k == 5
    assert (c.yb >= 0).all()  # the sample holds the minimum and the maximum: no value outside the classes
    assert c.classes[0].low == min(v.min() for v in (j["poverty_rate_pct"] for j in joined.values()))
    again = shared_views(joined, "poverty_rate_pct", scheme="natural_breaks", k=5)
    assert again.overall.classification.classes == c.classes  # deterministic: a link gives the same classes
    monkeypatch.setattr(yr, "JENKS_SAMPLE", 1000)  # all 400 values: the exact breaks
    exact = shared_views(joined, "poverty_rate_pct", scheme="natural_breaks", k=5).overall.classification
    assert exact.classes[0].low == c.classes[0].low and exact.classes[-1].high == c.classes[-1].high


def test_years_page_reports_the_link_parameters_it_does_not_use():
    """A map link (district, units=2025, a commune) opened on /years was dropped without a word."""
    from ntm_geo.views.links import UNUSED_REASON, parse_link
    from ntm_geo.views.viewstate import UNUSED

    query = {"year": "2011", "theme": "poverty", "district": "186", "units": "2025", "communes": "06184"}
    link = parse_link(query, "years", known_districts={"186"}, known_communes={"06184"})
    assert [(n.param, n.value, n.kind) for n in link.notices] == [
        ("district", "186", UNUSED),
        ("units", "2025", UNUSED),
        ("communes", "06184", UNUSED),
    ]
    assert link.notices[0].reason == UNUSED_REASON
    assert link.state.district == "" and link.state.units == "2015" and link.state.communes == ()
    assert link.asked.district == "186"  # what the link asked is kept for hints
