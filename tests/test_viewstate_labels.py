"""Link notices name the allowed values by their labels in the notice's language, each with the
value a link holds in parentheses (issue 11): a Vietnamese official cannot read ``natural_breaks``
or ``poverty_rate_pct``, and an editor still needs the key to fix the link."""

from __future__ import annotations

import pytest

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError, allowed_list, unknown_key, unknown_reason
from ntm_geo.maps.classify import SCHEMES
from ntm_geo.maps.themes import THEMES, VARIABLES
from ntm_geo.views.slides import parse_slide, parse_slides
from ntm_geo.views.viewstate import check_query, from_query


def _notice(query: dict[str, str]):
    _, notices = from_query(query)
    (notice,) = notices
    return notice


def test_an_unknown_theme_lists_the_themes_by_name_in_each_language():
    notice = _notice({"theme": "zzz"})
    assert notice.reason_vi == (
        "chủ đề không hợp lệ; các giá trị hợp lệ: Tiêu chí nông thôn mới (criteria), "
        "Tỷ lệ hộ nghèo (poverty), Hạ tầng (infrastructure)"
    )
    assert notice.reason_en == (
        "unknown theme; allowed: NTM criteria met (criteria), Poverty rate (poverty), "
        "Infrastructure coverage (infrastructure)"
    )


def test_an_unknown_scheme_lists_the_schemes_by_their_labels():
    notice = _notice({"scheme": "jenks"})
    assert notice.message("vi") == (
        "scheme='jenks': phương pháp phân lớp không hợp lệ; các giá trị hợp lệ: "
        "Ngắt tự nhiên (Jenks) (natural_breaks), Phân vị (số đơn vị bằng nhau) (quantiles), "
        "Khoảng đều (equal_interval)"
    )
    assert "Natural breaks (Jenks) (natural_breaks)" in notice.message("en")
    assert all(SCHEMES[k][1] not in notice.reason_en for k in SCHEMES)  # no Vietnamese in English


def test_a_variable_of_another_theme_names_the_theme_and_its_variables():
    notice = _notice({"theme": "poverty", "var": "c01"})
    assert notice.reason_vi == (
        "chỉ tiêu không thuộc chủ đề Tỷ lệ hộ nghèo (poverty); các giá trị hợp lệ: Tỷ lệ hộ nghèo (poverty_rate_pct)"
    )
    criteria = _notice({"var": "poverty_rate_pct"})  # the default theme: criteria, 20 variables
    for key in THEMES["criteria"].variables:
        assert f"{VARIABLES[key].label('vi')} ({key})" in criteria.reason_vi
        assert f"{VARIABLES[key].label('en')} ({key})" in criteria.reason_en
    assert "Tiêu chí 1: Quy hoạch (c01)" in criteria.reason_vi


def test_an_unknown_language_names_each_language_by_its_own_name():
    notice = _notice({"lang": "fr"})
    assert notice.reason_vi == "ngôn ngữ không hợp lệ; các giá trị hợp lệ: Tiếng Việt (vi), English (en)"
    assert notice.reason_en == "unknown language; allowed: Tiếng Việt (vi), English (en)"


def test_the_command_line_gets_the_same_labelled_lists():
    with pytest.raises(ConfigError) as err:
        check_query({"theme": "zzz", "scheme": "x"}, prefix="--")
    assert "--theme 'zzz': unknown theme; allowed: NTM criteria met (criteria)" in err.value.message_en
    assert (
        "--scheme 'x': phương pháp phân lớp không hợp lệ; các giá trị hợp lệ: Ngắt tự nhiên (Jenks) (natural_breaks)"
        in err.value.message_vi
    )


def test_a_slide_with_an_unknown_variable_lists_the_variables_by_name_but_the_notice_stays_short():
    with pytest.raises(ConfigError) as err:
        parse_slide("foo.2015")
    assert (
        "(hợp lệ: Số tiêu chí đạt (0–19) (criteria_met), Tiêu chí 1: Quy hoạch (c01)," in err.value.message_vi
    )
    assert (
        "(allowed: Criteria met (0–19) (criteria_met), Criterion 1: Planning (c01)," in err.value.message_en
    )
    _, notices = parse_slides("foo.2015~criteria_met.2015")
    (notice,) = notices
    assert (notice.reason_vi, notice.reason_en) == ("chỉ tiêu 'foo' không tồn tại", "unknown variable 'foo'")


def test_allowed_list_without_labels_lists_the_keys_and_with_labels_name_then_key():
    assert allowed_list([2011, 2015]) == Bilingual("2011, 2015", "2011, 2015")
    named = allowed_list(["a", "b"], lambda k, lang: f"{k}-{lang}")
    assert named == Bilingual("a-vi (a), b-vi (b)", "a-en (a), b-en (b)")
    reason = unknown_reason(Bilingual("loại", "kind"), ["a"], lambda k, lang: k.upper())
    assert reason == Bilingual("loại không hợp lệ; các giá trị hợp lệ: A (a)", "unknown kind; allowed: A (a)")
    err = unknown_key("x", ["a"], Bilingual("Loại", "kind"), lambda k, lang: k.upper())
    assert (err.message_en, err.message_vi) == (
        "Unknown kind 'x'; allowed: A (a).",
        "Loại không hợp lệ 'x'; các giá trị hợp lệ: A (a).",
    )
