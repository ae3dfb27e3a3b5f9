"""ntm_geo.views.slides: slide specs <-> URL text, validation with notices (never raises on a link)."""

from __future__ import annotations

import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.views import slides as sl
from ntm_geo.views.links import parse_link
from ntm_geo.views.slides import (
    DEFAULT_SLIDES,
    Slide,
    SlideMap,
    format_slides,
    parse_slide,
    parse_slides,
    slide_index,
)
from ntm_geo.views.viewstate import _SLIDES, INVALID, UNUSED, ViewState, from_query, to_query

DISTRICTS = {"178", "186", "189"}


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("criteria_met.2015", Slide("map", (SlideMap("criteria_met", 2015),))),
        ("poverty_rate_pct.2011", Slide("map", (SlideMap("poverty_rate_pct", 2011),))),
        ("c05.2011.d186", Slide("map", (SlideMap("c05", 2011),), "186")),
        ("change", Slide("change", (SlideMap("criteria_met", 2011), SlideMap("criteria_met", 2015)))),
        (
            "change.d189",
            Slide("change", (SlideMap("criteria_met", 2011), SlideMap("criteria_met", 2015)), "189"),
        ),
        (
            "change:2011:2015",
            Slide("change", (SlideMap("criteria_met", 2011), SlideMap("criteria_met", 2015))),
        ),
        ("compare:year", Slide("compare", (SlideMap("criteria_met", 2011), SlideMap("criteria_met", 2015)))),
        (
            "compare:criteria_met.2015:poverty_rate_pct.2015.d178",
            Slide("compare", (SlideMap("criteria_met", 2015), SlideMap("poverty_rate_pct", 2015)), "178"),
        ),
    ],
)
def test_parse_and_format_round_trip(spec, expected):
    slide = parse_slide(spec, DISTRICTS)
    assert slide == expected
    assert slide.spec() == spec
    assert _SLIDES.match(slide.spec())


def test_theme_follows_the_variable():
    assert SlideMap("infra_criteria_met", 2015).theme == "infrastructure"
    assert SlideMap("c12", 2011).theme == "criteria"


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ("criteria_met.2099", "year '2099' must be one of 2011, 2015"),
        ("nonsense.2015", "unknown variable 'nonsense'"),
        ("criteria_met", "not of the form VARIABLE.YEAR"),
        ("change.d999", "unknown district code '999'"),
        ("compare:c01.2015", "a comparison needs two views"),
        ("compare:c01.2015:c01.2015", "the two views are the same"),
        ("show:c01.2015", "unknown slide form"),
        ("", "empty or has characters"),
        ("<b>.2015", "empty or has characters"),
    ],
)
def test_bad_spec_raises_a_bilingual_config_error(spec, match):
    with pytest.raises(ConfigError, match=match) as info:
        parse_slide(spec, DISTRICTS)
    assert "Trang chiếu" in info.value.message_vi and "Slide" in info.value.message_en


def test_default_sequence_is_short_in_the_link_and_tells_the_story():
    kinds = [s.kind for s in DEFAULT_SLIDES]
    assert [s.spec() for s in DEFAULT_SLIDES][:2] == ["criteria_met.2011", "criteria_met.2015"]
    assert kinds.count("compare") == 1 and kinds.count("change") == 1
    assert DEFAULT_SLIDES[-1].district  # ends on one district
    assert format_slides(DEFAULT_SLIDES) == ""  # default: nothing in the URL
    custom = (DEFAULT_SLIDES[3], DEFAULT_SLIDES[0])
    assert format_slides(custom) == "change~criteria_met.2011"
    assert parse_slides(format_slides(custom)) == (custom, [])


def test_bad_link_keeps_the_good_slides_and_says_what_was_ignored():
    got, notices = parse_slides("criteria_met.2099~c05.2011.d186~foo~change.d999", known_districts=DISTRICTS)
    assert got == (Slide("map", (SlideMap("c05", 2011),), "186"),)
    assert [n.value for n in notices] == ["criteria_met.2099", "foo", "change.d999"]
    assert all(n.param == "slides" and n.reason_vi and n.reason_en for n in notices)
    assert "năm '2099'" in notices[0].reason_vi


def test_link_with_nothing_usable_opens_the_default_sequence():
    got, notices = parse_slides("foo~bar")
    assert got == DEFAULT_SLIDES
    assert notices[-1].reason_en == "no valid slide left; using the default sequence"
    assert [n.value for n in notices] == ["foo", "bar", "foo~bar"]


def test_one_refused_slide_is_one_notice():
    """trial 8, m5: 'slides=99' gave two lines for one parameter (its reason, then 'no valid slide
    left'); one says both."""
    got, notices = parse_slides("99", years=[2011, 2015])
    assert got == parse_slides("", years=[2011, 2015])[0]
    assert [(n.param, n.value, n.reason_vi, n.reason_en) for n in notices] == [
        (
            "slides",
            "99",
            "không có dạng CHỈ_TIÊU.NĂM; dùng trình tự mặc định",
            "not of the form VARIABLE.YEAR; using the default sequence",
        )
    ]


def test_slides_needing_a_missing_year_are_dropped():
    got, _ = parse_slides("", years=[2015])
    assert got and all(s.years() == {2015} for s in got)
    got, notices = parse_slides("change~criteria_met.2015", years=[2015])
    assert got == (parse_slide("criteria_met.2015"),)
    assert notices[0].reason_en == "the dataset has no year 2011"


def test_too_many_slides_are_cut_with_a_notice():
    got, notices = parse_slides("~".join(["change"] * 60))
    assert len(got) == sl.MAX_SLIDES
    assert notices[0].reason_en.startswith("only the first 50")


@pytest.mark.parametrize(
    ("number", "count", "index", "n_notices"), [(1, 7, 0, 0), (7, 7, 6, 0), (9, 7, 0, 1)]
)
def test_slide_index_clamps_with_a_notice(number, count, index, n_notices):
    got, notices = slide_index(number, count)
    assert got == index and len(notices) == n_notices


def test_slides_round_trip_through_the_view_state_url():
    state = ViewState(slide=3, slides="change~compare:year~criteria_met.2015.d186")
    query = to_query(state)
    assert query == {"slide": "3", "slides": "change~compare:year~criteria_met.2015.d186"}
    back, notices = from_query(query)
    assert (
        back.slide == 3
        and parse_slides(back.slides)[0] == tuple(parse_slide(s) for s in state.slides.split("~"))
        and notices == []
    )


def test_labels_are_bilingual():
    slide = parse_slide("criteria_met.2015.d189")
    assert slide.label("vi", "Đình Lập") == "Số tiêu chí đạt (0–19) — 2015 — huyện Đình Lập"
    assert slide.label("en", "Đình Lập").endswith("district Đình Lập")
    assert "2011 → 2015" in parse_slide("change").label("vi")
    assert parse_slide("compare:year").label("en").startswith("Compare: Criteria met")


def test_defaults_and_change_follow_the_dataset_years():
    years = (2016, 2017, 2018, 2019)
    got, notices = parse_slides("", years=years)
    assert notices == []
    assert [s.spec() for s in got] == [
        "criteria_met.2016",
        "criteria_met.2019",
        "compare:year",
        "change",
        "poverty_rate_pct.2019",
        "infra_criteria_met.2019",
        "criteria_met.2019.d189",
    ]
    change = next(s for s in got if s.kind == "change")
    assert change.years() == {2016, 2019}
    assert "2016 → 2019" in change.label("vi")
    assert format_slides(got, years) == ""  # the dataset's default stays out of the link
    assert format_slides(got) != ""  # ...but is not the illustrative default


def test_change_between_any_two_years_of_the_dataset():
    years = (2016, 2017, 2018, 2019)
    slide = parse_slide("change:2017:2018.d186", years=years)
    assert slide.years() == {2017, 2018} and slide.district == "186"
    assert slide.spec() == "change:2017:2018.d186"
    got, notices = parse_slides("change:2016:2019~change:2015:2019~change:2019:2016", years=years)
    assert [s.spec() for s in got] == ["change:2016:2019"]
    assert [n.value for n in notices] == ["change:2015:2019", "change:2019:2016"]
    with pytest.raises(ConfigError, match="first year must be before"):
        parse_slide("change:2019:2017", years=years)
    with pytest.raises(ConfigError, match="only one year"):
        parse_slide("change", years=[2017])


def test_one_year_dataset_has_a_default_sequence():
    got, _ = parse_slides("", years=[2026])
    assert [s.kind for s in got] == ["map", "map", "map", "map"] and {y for s in got for y in s.years()} == {
        2026
    }


# ---------------------------------------------------------------- link parameters /present does not use
def test_present_link_notices_name_every_unused_parameter_and_the_slide_that_shows_the_map():
    """Issue 14 item 12: a map link opened on /present was dropped from the address bar silently."""
    query = {"theme": "poverty", "year": "2011", "district": "186", "k": "4", "slides": "change", "foo": "x"}
    link = parse_link(query, "present", known_districts=DISTRICTS)
    notices = sl.with_slide_hint(link.notices, link.asked)
    unused = [n for n in notices if n.kind == UNUSED]
    assert [n.param for n in unused] == ["theme", "year", "district", "k"]  # link order
    assert [n.param for n in notices if n.kind == INVALID] == ["foo"]
    assert all("không dùng tham số này" in n.reason_vi for n in unused)
    assert "slides=poverty_rate_pct.2011.d186" in unused[0].reason_vi
    assert "slides=poverty_rate_pct.2011.d186" in unused[0].reason_en
    assert sum("slides=" in n.reason_vi for n in unused) == 1  # the suggestion once, not per line
    assert link.state.slides == "change" and to_query(link.state) == {"slides": "change"}  # the rest dropped


def test_present_link_notices_are_empty_for_a_presentation_link_and_do_not_repeat_from_query():
    query = {"slides": "change~poverty_rate_pct.2015", "slide": "2", "lang": "en", "dataset": "illustrative"}
    link = parse_link(query, "present", known_districts=DISTRICTS)
    assert sl.with_slide_hint(link.notices, link.asked) == []
    bad = {"theme": "<script>", "k": "99"}  # reported as invalid, not again as unused
    link = parse_link(bad, "present", known_districts=DISTRICTS)
    assert [(n.param, n.kind) for n in link.notices] == [("theme", INVALID), ("k", INVALID)]
    assert sl.with_slide_hint(link.notices, link.asked) == list(link.notices)


def test_present_link_notices_without_a_map_view_suggest_no_slide():
    query = {"k": "4", "units": "2025"}
    link = parse_link(query, "present", known_districts=DISTRICTS)
    unused = sl.with_slide_hint(link.notices, link.asked)
    assert [n.param for n in unused] == ["k", "units"]
    assert not any("slides=" in n.reason_vi for n in unused)
