"""ntm_geo.mapview: folium maps checked by rendering HTML and asserting on small substrings."""

from __future__ import annotations

import json
import re
import warnings

import folium
import geopandas
import numpy as np
import pytest
from shapely.geometry import Polygon, box

from ntm_geo import mapview
from ntm_geo.errors import ConfigError, DataError
from ntm_geo.webassets import local_asset_urls

XSS = "<script>alert('x')</script>"
BOUNDS = (106.0, 21.0, 106.3, 21.1)


@pytest.fixture
def squares() -> geopandas.GeoDataFrame:
    """Three 0.1° squares in a row near Lạng Sơn, EPSG:4326."""
    return geopandas.GeoDataFrame(
        {
            "commune_code": ["06001", "06004", "06007"],
            "name": ["Xã Một", XSS, None],
            "fill": ["#1A9850", "#fee08b", "#d73027"],
            "value": [np.float64(12.5), np.nan, np.int64(7)],
            "secret": ["do not send", "x", "y"],
        },
        geometry=[box(106.0 + 0.1 * i, 21.0, 106.1 + 0.1 * i, 21.1) for i in range(3)],
        crs=4326,
    )


def _layer(gdf, **kwargs) -> folium.FeatureGroup:
    kwargs.setdefault("tooltip_columns", [("name", "Xã / Commune"), ("value", "Giá trị")])
    return mapview.choropleth_layer(gdf, name="communes", **kwargs)


def _geojson_data(group: folium.FeatureGroup) -> dict:
    (geojson,) = group._children.values()
    return geojson.data


def _render(*layers) -> str:
    m = mapview.build_base_map(BOUNDS)
    for layer in layers:
        layer.add_to(m)
    return mapview.map_html(m)


def _header(page: str) -> str:
    return page.split("</head>")[0]


# ----------------------------------------------------------------------------- base map


def test_base_map_uses_only_local_assets():
    page = _render()
    header = _header(page)
    srcs = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', header)
    assert srcs == [url for url in local_asset_urls().urls()]
    assert "cdn" not in header.lower() and "http" not in " ".join(srcs)
    assert "jquery" not in page.lower() and "bootstrap" not in page.lower()
    assert "background: #f4f3ee" in header
    assert "tile_layer" not in page
    assert '"preferCanvas": false' in page
    assert ".fitBounds(" in page and "[21.0, 106.0]" in page


def test_base_map_cdn_assets_when_asked():
    header = _header(mapview.map_html(mapview.build_base_map(BOUNDS, asset_urls=None)))
    assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in header


@pytest.mark.parametrize("tiles", ["OpenStreetMap", "openstreetmap", "open_street_map"])
def test_base_map_optional_tiles(tiles):
    page = mapview.map_html(mapview.build_base_map(BOUNDS, tiles=tiles))
    assert "tile.openstreetmap.org" in page
    assert "background: #f4f3ee" in page  # what shows when the tiles cannot load


@pytest.mark.parametrize("tiles", ["Google", "CartoDB positron"])
def test_base_map_unknown_tiles(tiles):
    with pytest.raises(ConfigError, match=rf"Unknown tiles '{tiles}'.*\['OpenStreetMap'\]"):
        mapview.build_base_map(BOUNDS, tiles=tiles)


@pytest.mark.parametrize(
    "bounds",
    [(1, 2, 3), (106.3, 21.0, 106.0, 21.1), (0, 0, float("nan"), 1), (500000, 2e6, 6e5, 3e6), "abcd"],
)
def test_base_map_bad_bounds(bounds):
    with pytest.raises(ConfigError, match=r"bounds must be \(minx, miny, maxx, maxy\)"):
        mapview.build_base_map(bounds)


# ----------------------------------------------------------------------------- choropleth


def test_choropleth_properties_are_minimal_escaped_and_json_safe(squares):
    data = _geojson_data(_layer(squares))
    features = data["features"]
    assert [f["id"] for f in features] == ["06001", "06004", "06007"]
    props = [f["properties"] for f in features]
    assert props[0] == {"p0": "Xã Một", "p1": 12.5}
    assert props[1] == {"p0": "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", "p1": None}
    assert props[2] == {"p0": None, "p1": 7.0}
    json.dumps(data, allow_nan=False)  # strictly valid JSON: no NaN, no numpy types


def test_choropleth_html_has_no_raw_script_and_no_unused_columns(squares):
    page = _render(_layer(squares))
    assert XSS not in page
    assert "alert(\\u0026#x27;x" in page or "alert(&#x27;x" in page
    assert "do not send" not in page
    assert "Xã / Commune" in page or "X\\u00e3 / Commune" in page


def test_choropleth_tooltip_labels_escaped(squares):
    page = _render(_layer(squares, tooltip_columns=[("name", "<b>Tên</b>")]))
    assert "<b>T" not in page
    assert "\\u0026lt;b\\u0026gt;T" in page


def test_choropleth_styles_and_classes(squares):
    page = _render(_layer(squares, dimmed_codes={"06004"}, highlight_codes={"06007"}))
    assert '"className": "ntm-commune", "color": "#ffffff"' in page
    assert '"className": "ntm-commune ntm-dimmed"' in page
    assert '"className": "ntm-commune ntm-highlight", "color": "#000000"' in page
    assert '"fillColor": "#1a9850"' in page  # lower-cased


def test_choropleth_rounds_coordinates(squares):
    squares.geometry = [
        Polygon([(106.123456789, 21.0), (106.2, 21.0), (106.2, 21.1234567891)]),
        *squares.geometry[1:],
    ]
    ring = _geojson_data(_layer(squares))["features"][0]["geometry"]["coordinates"][0]
    assert ring[0] == [106.12346, 21.0]
    assert ring[2] == [106.2, 21.12346]


def test_choropleth_reprojects_to_wgs84(squares):
    data = _geojson_data(_layer(squares.to_crs(3405)))  # VN-2000 / UTM 48N
    x, y = data["features"][0]["geometry"]["coordinates"][0][0]
    assert 105.9 < x < 106.4 and 20.9 < y < 21.2


def test_choropleth_drops_empty_geometries_with_warning(squares):
    squares.loc[1, "geometry"] = None
    with pytest.warns(UserWarning, match=r"dropped 1 row\(s\) with empty geometry \['06004'\]"):
        data = _geojson_data(_layer(squares))
    assert [f["id"] for f in data["features"]] == ["06001", "06007"]


def test_choropleth_null_fill_becomes_no_data(squares):
    squares.loc[2, "fill"] = None
    with pytest.warns(UserWarning, match=r"1 commune\(s\) have no fill in column 'fill'"):
        page = _render(_layer(squares))
    assert f'"fillColor": "{mapview.NO_DATA_FILL}"' in page


def test_choropleth_popup_escaped(squares):
    page = _render(_layer(squares, popup_column="name"))
    assert "bindPopup(" in page and XSS not in page


def test_choropleth_missing_fill_column(squares):
    with pytest.raises(ConfigError, match=r"lacks column\(s\) \['colour'\]") as info:
        _layer(squares, fill_column="colour")
    assert info.value.column == "colour"


def test_choropleth_missing_tooltip_column(squares):
    with pytest.raises(ConfigError, match=r"lacks column\(s\) \['ten_xa'\]"):
        _layer(squares, tooltip_columns=[("ten_xa", "Xã")])


def test_choropleth_bad_fill_colour(squares):
    squares.loc[0, "fill"] = "green"
    with pytest.raises(DataError, match=r"Fill colour 'green' of commune 06001"):
        _layer(squares)


def test_choropleth_duplicate_codes(squares):
    squares.loc[2, "commune_code"] = "06001"
    with pytest.raises(DataError, match=r"commune_code must be unique.*\['06001'\]"):
        _layer(squares)


def test_choropleth_needs_crs(squares):
    with pytest.raises(ConfigError, match=r"has no CRS; set it first"):
        _layer(squares.set_crs(None, allow_override=True))


def test_choropleth_needs_geodataframe(squares):
    with pytest.raises(ConfigError, match="must be a geopandas.GeoDataFrame, got DataFrame"):
        _layer(squares.drop(columns="geometry"))


def test_choropleth_all_empty(squares):
    squares.geometry = [None, None, None]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(DataError, match="no commune with a geometry"):
            _layer(squares)


# ----------------------------------------------------------------------------- outlines


def test_district_outlines_no_fill_not_interactive(squares):
    districts = squares.assign(d="A").dissolve("d").reset_index()
    group = mapview.district_outline_layer(districts, name="districts")
    assert _geojson_data(group)["features"][0]["properties"] == {}
    page = _render(_layer(squares), group)
    assert '"interactive": false' in page
    assert '"className": "ntm-district"' in page and '"fill": false' in page
    # Drawn after (above) the communes.
    assert page.index("ntm-district") > page.index('"className": "ntm-commune"')


def test_district_outlines_need_crs(squares):
    with pytest.raises(ConfigError, match=r"district_outline_layer: districts_gdf has no CRS"):
        mapview.district_outline_layer(squares.set_crs(None, allow_override=True), name="d")


# ----------------------------------------------------------------------------- legend

ENTRIES = [
    ("#1a9850", "≥ 19 tiêu chí", 120),
    ("#d73027", XSS, 3),
    (mapview.NO_DATA_FILL, mapview.NO_DATA_LABEL, 1500),
    ("#ffffff", mapview.NOT_ASSESSED_LABEL, None),
]


def _legend_js(legend) -> str:
    fg = folium.FeatureGroup(name="c").add_child(legend)
    return _render(fg)


def test_legend_entries_counts_and_escaping():
    page = _legend_js(mapview.legend_element("Số tiêu chí <đạt>", ENTRIES, note="Nguồn: <x>"))
    assert "ntm-legend" in page and '{position: "topright"}' in page
    assert "Kh\\u00f4ng c\\u00f3 d\\u1eef li\\u1ec7u / No data" in page
    assert "Not assessed" in page
    assert ">120<\\/td>" in page and ">3<\\/td>" in page and ">1.500<\\/td>" in page
    assert "S\\u1ed1 ti\\u00eau ch\\u00ed &lt;\\u0111\\u1ea1t&gt;" in page
    assert "Ngu\\u1ed3n: &lt;x&gt;" in page
    assert XSS not in page and "&lt;script&gt;" in page
    assert "font-size:14px" in page


def test_legend_follows_its_feature_group():
    page = _legend_js(mapview.legend_element("T", ENTRIES[:1], font_px=18))
    assert 'host.on("remove"' in page and "font-size:18px" in page


def test_legend_on_map_is_fixed():
    m = mapview.build_base_map(BOUNDS)
    m.add_child(mapview.legend_element("T", ENTRIES[:1]))
    assert "host instanceof L.Map" in mapview.map_html(m)


@pytest.mark.parametrize(
    ("entries", "kwargs", "match"),
    [
        ([], {}, "entries is empty"),
        ([("green", "a", 1)], {}, r"colour 'green' of entry 'a' is not a hex colour"),
        ([("#00ff00", "a", -1)], {}, r"count -1 of entry 'a' must be a whole number"),
        ([("#00ff00", "a", 1.5)], {}, r"count 1.5 of entry 'a' must be a whole number"),
        ([("#00ff00", "a", 1)], {"font_px": 4}, r"font_px must be an integer from 8 to 40, got 4"),
    ],
)
def test_legend_errors(entries, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        mapview.legend_element("T", entries, **kwargs)


# ----------------------------------------------------------------------------- rendering


def test_map_html_inline_is_standalone(squares):
    m = mapview.build_base_map(BOUNDS)
    _layer(squares).add_to(m)
    page = mapview.map_html(m, inline=True)
    assert "/app/static/" not in page
    assert not re.search(r"<(script|link)[^>]+(src|href)=", page)
    assert "L.version" in page or "window.L" in page
    assert mapview.map_payload_bytes(m) < len(page.encode())


def test_payload_bytes_small_for_three_squares(squares):
    m = mapview.build_base_map(BOUNDS)
    _layer(squares).add_to(m)
    assert 5_000 < mapview.map_payload_bytes(m) < 20_000


@pytest.mark.parametrize(
    ("result", "code"),
    [
        (None, None),
        ({}, None),
        ({"last_active_drawing": None}, None),
        ({"last_active_drawing": {"id": "06007", "type": "Feature"}}, "06007"),
    ],
)
def test_clicked_commune_code(result, code):
    assert mapview.clicked_commune_code(result) == code


def test_mapview_never_imports_streamlit():
    import ntm_geo.mapview
    import ntm_geo.webassets

    for module in (ntm_geo.mapview, ntm_geo.webassets):
        source = open(module.__file__, encoding="utf-8").read()
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.MULTILINE)
