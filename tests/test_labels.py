"""ntm_geo.maps.labels: the label specs the map module draws (text set with textContent)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import Polygon, box

from ntm_geo.errors import ConfigError
from ntm_geo.maps import labels

XSS = "<script>alert('x')</script>"


@pytest.fixture
def communes() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Một", XSS, "Ba"], "district_code": ["180", "180", "181"]},
        geometry=[box(106, 21, 106.1, 21.1), box(106.1, 21, 106.3, 21.1), box(106.3, 21, 106.4, 21.1)],
        crs=4326,
    )


@pytest.fixture
def districts() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"district_code": ["180", "181"], "district_name": ["Huyện Tràng Định", "Thành phố Lạng Sơn"]},
        geometry=[box(106, 21, 106.3, 21.1), box(106.3, 21, 106.4, 21.1)],
        crs=4326,
    )


def test_short_district_names():
    assert labels.short_district_name("Huyện Đình Lập") == "Đình Lập"
    assert labels.short_district_name("Thành phố Lạng Sơn") == "TP Lạng Sơn"
    assert labels.short_district_name("Cao Lộc") == "Cao Lộc"


def test_label_point_is_inside_even_for_a_u_shape():
    u = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    lat, lon = labels.label_point(u)
    assert u.contains(Polygon([(lon - 1e-6, lat - 1e-6), (lon + 1e-6, lat - 1e-6), (lon, lat + 1e-6)]))


def test_label_point_of_empty_geometry_raises():
    with pytest.raises(ConfigError, match="empty geometry has no label point"):
        labels.label_point(Polygon())


def test_district_labels_short_names_font_and_exclusion(districts):
    spec = labels.district_label_spec(districts, font_px=26, exclude={"180"}, hide_crowded=True)
    assert [i[2] for i in spec["items"]] == ["TP Lạng Sơn"]
    assert spec["items"][0][3] == "ntm-district-label"
    assert spec["font_px"] == 26 and spec["nudge"] and spec["hide_crowded"] and spec["min_zoom"] is None
    json.dumps(spec)  # plain data


def test_commune_labels_are_data_in_priority_order(communes):
    spec = labels.commune_label_spec(communes, always_district="181")
    items = spec["items"]
    assert items[0][2] == "Ba" and items[0][3] == "ntm-commune-label ntm-always"  # selected district first
    assert [i[2] for i in items[1:]] == [XSS, "Một"]  # then the larger unit first; text kept as text
    assert spec["min_zoom"] == 11.0 and spec["cull"] and not spec["nudge"]


def test_labels_reject_bad_font_and_columns(communes, districts):
    with pytest.raises(ConfigError, match="font_px must be an integer from 8 to 60"):
        labels.district_label_spec(districts, font_px=4)
    with pytest.raises(ConfigError, match=r"missing column\(s\) \['district_name'\]"):
        labels.district_label_spec(communes)
    with pytest.raises(ConfigError, match="needs a GeoDataFrame with a CRS"):
        labels.commune_label_spec(communes.set_crs(None, allow_override=True))


def test_real_district_labels_are_inside_their_districts(boundaries):
    districts = boundaries.districts_web
    items = labels.district_label_spec(districts)["items"]
    assert len(items) == 11
    from shapely.geometry import Point

    by_label = {
        labels.short_district_name(n): g
        for n, g in zip(districts["district_name"], districts.geometry, strict=True)
    }
    for lat, lon, label, _ in items:
        assert by_label[label].contains(Point(lon, lat)), label
    areas = [by_label[label].area for _, _, label, _ in items]
    assert areas == sorted(areas)  # smallest first: the browser moves the larger districts' labels


def test_commune_labels_keep_the_type_word_when_two_units_share_a_name(boundaries):
    items = labels.commune_label_spec(boundaries.communes_web)["items"]
    texts = [it[2] for it in items]
    assert "Xã Đình Lập" in texts and "Thị trấn Đình Lập" in texts and "Đình Lập" not in texts
    assert "Hoàng Văn Thụ" in texts  # a unique name stays short
