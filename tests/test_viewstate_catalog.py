import pytest

from ntm_geo.datasets import catalog
from ntm_geo.errors import ConfigError
from ntm_geo.views.viewstate import DEFAULT, ViewState, from_query, query_string, to_query

DISTRICTS = ["178", "180", "189"]
COMMUNES = ["05971", "06625", "06628"]


def parse(params):
    return from_query(params, known_districts=DISTRICTS, known_communes=COMMUNES)


def test_default_view_has_an_empty_query():
    assert to_query(DEFAULT) == {}
    assert query_string(DEFAULT) == ""
    assert parse({}) == (DEFAULT, [])


@pytest.mark.parametrize(
    "state",
    [
        ViewState(year=2011, theme="poverty", var="poverty_rate_pct", scheme="quantiles", k=4, lang="en"),
        ViewState(theme="criteria", var="c17", district="189", communes=("06625", "06628")),
        ViewState(
            theme="infrastructure", var="road_hardened_pct", mode="present", slide=3, shortlist=("05971",)
        ),
        ViewState(compare="year:2011", slides="criteria_met.2011~criteria_met.2015"),
        ViewState(year=2011, tiles="osm"),
    ],
)
def test_round_trip(state):
    query = to_query(state)
    again, notices = parse(query)
    assert notices == []
    assert again == state
    assert all("=" not in v and len(v) < 100 for v in query.values())  # short, readable values


def test_query_string_is_readable():
    state = ViewState(
        year=2011, theme="poverty", var="poverty_rate_pct", district="178", communes=("05971", "06625")
    )
    assert query_string(state) == "?year=2011&theme=poverty&district=178&communes=05971,06625"


@pytest.mark.parametrize(
    ("params", "param", "field", "default"),
    [
        ({"year": "2013"}, "year", "year", 2015),
        ({"year": "abc"}, "year", "year", 2015),
        ({"theme": "<script>alert(1)</script>"}, "theme", "theme", "criteria"),
        ({"scheme": "jenks"}, "scheme", "scheme", "natural_breaks"),
        ({"k": "99"}, "k", "k", 5),
        ({"district": "999"}, "district", "district", ""),
        ({"lang": "fr"}, "lang", "lang", "vi"),
        ({"dataset": "deleted-42"}, "dataset", "dataset", "illustrative"),
        ({"mode": "javascript:x"}, "mode", "mode", ""),
        ({"slide": "-1"}, "slide", "slide", 1),
        ({"tiles": "https://evil.example/{z}/{x}/{y}.png"}, "tiles", "tiles", ""),
    ],
)
def test_tampered_values_are_ignored_with_a_notice(params, param, field, default):
    state, notices = parse(params)
    assert getattr(state, field) == default
    assert [n.param for n in notices] == [param]
    assert notices[0].reason_vi and notices[0].reason_en


def test_partial_bad_link_keeps_the_good_parts():
    state, notices = parse(
        {"year": "2011", "theme": "poverty", "var": "c05", "communes": "06625,99999,<b>", "zzz": "1"}
    )
    assert (state.year, state.theme, state.var) == (2011, "poverty", "poverty_rate_pct")
    assert state.communes == ("06625",)
    assert {n.param for n in notices} == {"var", "communes", "zzz"}
    assert "99999" in next(n for n in notices if n.param == "communes").value


def test_repeated_params_take_the_last_and_values_are_truncated():
    state, _ = parse({"year": ["2015", "2011"]})
    assert state.year == 2011
    _, notices = parse({"theme": "x" * 5000})
    assert len(notices[0].value) == 80


def test_catalog_lists_illustrative_first_and_rejects_unknowns():
    infos = catalog.list_datasets()
    assert infos[0].id == "illustrative" and infos[0].illustrative
    assert catalog.dataset_exists("illustrative") and not catalog.dataset_exists("nope")
    assert len(catalog.load_year("illustrative", 2011)) == 226
    with pytest.raises(ConfigError, match="Unknown dataset 'nope'; available: illustrative"):
        catalog.get_dataset("nope")
    with pytest.raises(ConfigError, match="has no table for 2013; its years: 2011, 2015"):
        catalog.load_year("illustrative", 2013)


def test_years_of_saved_datasets_are_accepted():
    state, notices = from_query({"year": "2020"}, known_years=(2011, 2015, 2020))
    assert state.year == 2020 and notices == []
    state, notices = from_query({"year": "2020"})  # the illustrative data has no 2020: nearest year
    assert state.year == 2015
    assert (
        notices[0].reason_en
        == "no data for 2020; showing the nearest year, 2015 (years with data: 2011, 2015)"
    )
    state, notices = from_query({"year": "20x5"})
    assert state.year == 2015 and notices[0].reason_en == "year must be one of 2011, 2015"


def test_repeated_codes_count_once_and_unknown_codes_are_named_even_after_many_repeats():
    raw = ",".join(["06625"] * 50 + ["99999", "99999", "06628"])
    state, notices = parse({"communes": raw})
    assert state.communes == ("06625", "06628")
    by_reason = {n.reason_en: n.value for n in notices}
    assert by_reason["unknown commune codes ignored"] == "99999"  # named once, not cut off
    assert by_reason["repeated commune codes counted once"] == "06625"  # a valid code, not called invalid


def test_years_come_from_the_datasets_not_a_constant(monkeypatch):
    """A saved dataset of 2020 makes 2020 a year of links and slides (there was a YEARS constant)."""
    from dataclasses import replace

    from ntm_geo.datasets import catalog
    from ntm_geo.datasets.contract import ILLUSTRATIVE
    from ntm_geo.views import slides
    from ntm_geo.views.viewstate import from_query

    saved = replace(ILLUSTRATIVE, id="saved-1", years=(2020,), illustrative=False)
    monkeypatch.setattr(catalog, "list_datasets", lambda: [ILLUSTRATIVE, saved])
    assert catalog.all_years() == (2020, 2015, 2011)
    state, notices = from_query({"dataset": "saved-1", "year": "2020"}, known_datasets=catalog.dataset_exists)
    assert state.year == 2020 and notices == []
    assert slides.parse_slide("poverty_rate_pct.2020").views[0].year == 2020
    state, notices = from_query({"dataset": "saved-1", "year": "2011"}, known_datasets=catalog.dataset_exists)
    assert state.year == 2020  # a year of another dataset: the nearest year of this one, said so
    assert notices[0].reason_en.startswith("no data for 2011; showing the nearest year, 2020")
    state, notices = from_query({"dataset": "saved-1"}, known_datasets=catalog.dataset_exists)
    assert state.year == 2020 and notices == []  # no year: the dataset's newest, not 2015
