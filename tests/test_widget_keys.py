"""Widgets keyed by meaning keep their choice across a language switch (issue 11 item 3).

AppTest sends back each widget's *formatted label*, as the browser does, so the run after a
language switch sees the old language's label -- the case that made the pages key every widget
per language (``theme@vi``/``theme@en``, a new widget in the browser at each switch). The
language switch of each page is also covered in the browser (tests/browser: map, years, planner).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

_SCRIPT = """
import streamlit as st
from app_pages.common import lang, lang_keyed, remember, view_widget, view_widgets_done

LABELS = {"vi": {"criteria": "Tiêu chí", "poverty": "Hộ nghèo"}, "en": {"criteria": "Criteria", "poverty": "Poverty"}}
L = lang()
options = ["criteria", "poverty"]
theme = st.radio("theme", options, format_func=lambda k: LABELS[L][k], key=view_widget("theme", options, "criteria"))
remember("theme", theme)
view_widgets_done()
st.radio("mode", options, format_func=lambda k: LABELS[L][k], **lang_keyed("yr_mode", "criteria"))
"""


def test_view_widgets_keep_their_choice_and_their_key_across_a_language_switch():
    at = AppTest.from_string(_SCRIPT, default_timeout=30).run()
    for key in ("view.theme", "yr_mode.widget"):
        at.radio(key=key).set_value("poverty")
    at.run()
    assert at.session_state["view"].theme == "poverty" and at.session_state["yr_mode"] == "poverty"
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    theme, mode = at.radio(key="view.theme"), at.radio(key="yr_mode.widget")  # the same keys in English
    assert theme.value == "poverty" and mode.value == "poverty"
    assert theme.options == ["Criteria", "Poverty"] and mode.options == ["Criteria", "Poverty"]
    assert at.session_state["view"].theme == "poverty" and at.session_state["yr_mode"] == "poverty"
    at.session_state["lang"] = "vi"  # and back
    at.run()
    assert at.radio(key="view.theme").value == "poverty" and at.radio(key="yr_mode.widget").value == "poverty"


_VIEW_SCRIPT = """
import streamlit as st
from app_pages.common import map_view, remember

for name, value in st.session_state.get("steps", []):
    remember(name, value)
st.session_state["shown"] = map_view()
"""


def test_the_map_pages_view_is_one_viewstate_and_each_theme_keeps_its_variable():
    from ntm_geo.views.viewstate import DEFAULT, ViewState

    at = AppTest.from_string(_VIEW_SCRIPT, default_timeout=30).run()
    assert at.session_state["shown"] == DEFAULT  # before any link or widget
    at.session_state["steps"] = [
        ("theme", "criteria"),
        ("variable_criteria", "c03"),
        ("theme", "infrastructure"),
        ("variable_infrastructure", "road_hardened_pct"),
        ("year", 2011),
        ("theme", "criteria"),  # back to criteria: its own variable, c03, comes back
    ]
    at.run()
    shown = at.session_state["shown"]
    assert isinstance(shown, ViewState)
    assert (shown.theme, shown.var, shown.year) == ("criteria", "c03", 2011)
