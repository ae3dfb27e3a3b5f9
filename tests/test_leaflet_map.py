"""The in-page map component's data (app_pages/leaflet_map.py): what the browser receives.

The browser side (drawing, clicks, the first-paint signal, no re-creation on a recolour) is
covered by tests/browser/test_app.py and test_planner.py.
"""

from __future__ import annotations

import json

import pyproj
import pytest

import app_pages.leaflet_map as lm
from ntm_geo.maps import mapview

BOUNDS = (106.0, 21.3, 107.4, 22.6)
SQUARE = {
    "type": "Polygon",
    "coordinates": [[[106.5, 21.8], [106.6, 21.8], [106.6, 21.9], [106.5, 21.9], [106.5, 21.8]]],
}


def _data(bounds=BOUNDS, **kw):
    return lm.component_data(mapview.build_base_map(bounds), key="map", **kw)


def test_data_holds_the_map_script_local_assets_and_no_page_wide_css():
    data = _data(height=480, ready=True, error="Không vẽ được bản đồ")
    assert "L.map(" in data["script"] and "map_div" in data["script"]  # the browser renames it per map
    assert data["js"] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert data["css"] == ["/app/static/vendor/leaflet/leaflet.css"]
    styles = "\n".join(data["styles"])
    assert "#map_div" in styles and ".ntm-tooltip" in styles  # the map's own rules are kept...
    assert "html, body" not in styles and "#map {" not in styles  # ...folium's full-page ones dropped
    assert data["uid"] == "ntm_map_map" and data["height"] == 480 and data["ready"] is True
    assert data["error"] == "Không vẽ được bản đồ"
    json.dumps(data)  # what Streamlit sends: plain JSON


def test_hash_is_stable_for_the_same_map_and_follows_the_extent():
    first, again = _data(), _data()  # two fresh folium maps (random element ids) of the same view
    assert first["hash"] == again["hash"]  # the browser keeps its map
    assert _data((106.2, 21.5, 106.9, 22.0))["hash"] != first["hash"]  # a district zoom does


def test_feature_groups_are_sent_apart_from_the_base_map():
    import folium

    group = folium.FeatureGroup(name="style")
    folium.GeoJson({"type": "Feature", "id": "06040", "geometry": SQUARE, "properties": {}}).add_to(group)
    data = _data(feature_group_to_add=[group])
    assert "feature_group_feature_group_0" in data["groups"] and "06040" in data["groups"]
    assert "06040" not in data["script"]
    assert _data()["groups"] == ""


def test_uid_is_a_safe_dom_id():
    data = lm.component_data(mapview.build_base_map(BOUNDS), key="pl map<x>")
    assert data["uid"] == "ntm_map_pl_map_x_"


@pytest.mark.parametrize(
    ("crs", "expected"), [(4326, True), ("EPSG:4326", True), (3405, False), (32648, False)]
)
def test_is_wgs84(crs, expected):
    assert mapview.is_wgs84(pyproj.CRS.from_user_input(crs)) is expected


def test_payload_adds_texts_css_and_height_without_changing_the_cached_data():
    data = _data(height=480)
    before = json.dumps(data, sort_keys=True)
    out = lm.payload(
        data,
        ready=True,
        error="Lỗi",
        height="min(560px, 80vh)",
        texts={"title": "Số tiêu chí đạt — năm 2015", "note": "<b>x</b>", "caption": ""},
    )
    assert json.dumps(data, sort_keys=True) == before  # the cached dict is not mutated
    assert out["texts"] == {
        "title": "Số tiêu chí đạt — năm 2015",
        "note": "<b>x</b>",
        "caption": "",
    }  # text: the JS sets textContent
    assert out["styles"][-1] == lm.APP_CSS and ".ntm-title" in lm.APP_CSS and ".ntm-map-head" in lm.APP_CSS
    assert out["height"] == "min(560px, 80vh)" and out["ready"] is True and out["error"] == "Lỗi"
    assert lm.payload(data, ready=False, error="", height=None, texts={})["height"] == 480
