"""One view, one pipeline (ntm_geo.views.pipeline): a ViewState resolved into the joined,
classified frame; the exports resolve through it like the app."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.exports import formats, static_map
from ntm_geo.views import pipeline
from ntm_geo.views.viewstate import ViewState

POVERTY_2011 = ViewState(
    year=2011, theme="poverty", var="poverty_rate_pct", scheme="quantiles", k=4, lang="en"
)


def test_resolve_joins_and_classifies_the_view(boundaries):
    r = pipeline.resolve(POVERTY_2011, boundaries.communes_web)
    assert len(r.joined) == 226 and r.joined.crs == boundaries.communes_web.crs
    assert list(r.joined["commune_code"]) == list(boundaries.communes_web["commune_code"])
    assert r.view.variable.key == "poverty_rate_pct" and len(r.view.classification.classes) == 4
    assert sum(r.view.classification.counts) + r.view.classification.n_no_data == 226
    assert r.source == "Illustrative data" and r.info.id == "illustrative"
    # the same view on an already joined frame (a page's cache) gives the same classes
    again = pipeline.resolve(POVERTY_2011, boundaries.communes_web, joined=r.joined)
    assert np.array_equal(again.view.classification.yb, r.view.classification.yb)


def test_resolve_errors_name_the_allowed_values(boundaries):
    with pytest.raises(ConfigError, match="has no table for 2020; its years: 2011, 2015"):
        pipeline.resolve(ViewState(year=2020), boundaries.communes_web)
    with pytest.raises(ConfigError, match="Unknown map variable 'nope'"):
        pipeline.resolve(ViewState(var="nope"), boundaries.communes_web)


def test_map_key_keeps_only_what_changes_the_colours():
    busy = ViewState(
        year=2011, communes=("06625",), shortlist=("06337",), slide=3, mode="present", tiles="osm"
    )
    assert busy.map_key() == ViewState(year=2011)
    assert hash(busy.map_key()) == hash(ViewState(year=2011))
    assert POVERTY_2011.map_key() == POVERTY_2011


def test_static_map_and_html_export_resolve_like_the_app(boundaries):
    spec = ViewState(year=2011, theme="poverty", var="poverty_rate_pct", scheme="quantiles", k=4, lang="en")
    printed = static_map.prepare(spec, boundaries)
    app = pipeline.resolve(spec, boundaries.communes)
    assert np.array_equal(printed.view.classification.yb, app.view.classification.yb)
    assert printed.view.classification.classes == app.view.classification.classes
    html = formats.standalone_html(spec, boundaries=boundaries, today=date(2026, 1, 1))
    web = pipeline.resolve(spec, boundaries.communes_web)
    for cls in web.view.classification.classes:
        assert cls.label_en.split()[0] in html
