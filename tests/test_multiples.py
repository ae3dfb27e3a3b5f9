"""Small multiples as SVG: geometry written once, one panel per year, one legend, text escaped."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.maps.multiples import WIDTH, panel_geometry, small_multiples_html
from ntm_geo.views.years import shared_views


@pytest.fixture
def units():
    # three 0.1° squares near Lạng Sơn (EPSG:4326), the middle one a ward (not assessed)
    geoms = [box(106.6 + 0.1 * i, 21.8, 106.7 + 0.1 * i, 21.9) for i in range(3)]
    return gpd.GeoDataFrame(
        {"commune_code": ["00001", "00002", "00003"], "assessed": [True, False, True]},
        geometry=geoms,
        crs=4326,
    )


def test_geometry_is_projected_once_and_keeps_its_shape(units):
    geom = panel_geometry(units, units.dissolve())
    assert len(geom.communes) == 3 and len(geom.districts) == 1
    assert all(d.startswith("M") and d.endswith("Z") for d in geom.communes)
    # three 0.1° squares side by side: about 3 times wider than high in metres (cos 21.85° ≈ 0.93)
    assert WIDTH / geom.height == pytest.approx(3 * 0.928, rel=0.03)


def test_one_panel_per_year_and_one_shared_legend(units):
    joined = {
        2016: units.assign(poverty_rate_pct=pd.array([40.0, None, 30.0], dtype="Float64")),
        2019: units.assign(poverty_rate_pct=pd.array([10.0, None, 5.0], dtype="Float64")),
    }
    shared = shared_views(joined, "poverty_rate_pct", scheme="equal_interval", k=3, lang="en")
    names = ["Xã <b>A</b>", "Phường B", "Xã C"]
    out = small_multiples_html(
        panel_geometry(units), shared, names, legend_title="Poverty & rate (%)", lang="en"
    )
    assert out.count('class="ntm-panel"') == 2
    assert 'data-year="2016"' in out and 'data-year="2019"' in out
    assert out.count('class="ntm-shared-legend"') == 1
    assert out.count('class="ntm-sm-commune"') == 6
    assert "<b>" not in out and "Xã &lt;b&gt;A&lt;/b&gt;" in out  # names are text, never markup
    assert "Poverty &amp; rate (%)" in out
    assert "No data</td><td>1</td><td>1</td>" in out  # the blank unit, counted per year
    assert "grid-template-columns: repeat(2," in out
    with pytest.raises(ValueError, match="need 3 units"):
        small_multiples_html(panel_geometry(units), shared, names[:2], legend_title="x")
