"""ntm_geo.maps.mapview: folium maps checked by rendering HTML and asserting on small substrings."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import warnings
from pathlib import Path

import folium
import geopandas
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from ntm_geo.errors import ConfigError, DataError
from ntm_geo.maps import legend, mapstyle, mapview, topology
from ntm_geo.maps.webassets import local_asset_urls

REPO = Path(__file__).resolve().parents[1]
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


def _call(group, fn: str) -> dict:
    """The data of the ``ntmMap.<fn>(...)`` call held by a feature group (or map)."""
    (call,) = [c for c in group._children.values() if getattr(c, "fn", None) == fn]
    return json.loads(call.data_js.replace("<\\/", "</"))


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
    group = _layer(squares)
    topo, style = _call(group, "geometry"), _call(group, "style")
    assert [g["id"] for g in topo["objects"]["c"]["geometries"]] == ["06001", "06004", "06007"]
    assert [g["properties"] for g in topo["objects"]["c"]["geometries"]] == [{}, {}, {}]
    assert style["v"] == [
        ["Xã Một", 12.5],
        ["&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", None],
        [None, 7.0],
    ]
    assert style["k"] == topo["key"]
    json.dumps([topo, style], allow_nan=False)  # strictly valid JSON: no NaN, no numpy types


def test_choropleth_html_has_no_raw_script_and_no_unused_columns(squares):
    page = _render(_layer(squares))
    assert XSS not in page
    assert "alert(\\u0026#x27;x" in page or "alert(&#x27;x" in page
    assert "do not send" not in page
    assert "Xã / Commune" in page or "X\\u00e3 / Commune" in page


def test_choropleth_tooltip_labels_escaped(squares):
    group = _layer(squares, tooltip_columns=[("name", "<b>Tên</b>")])
    assert _call(group, "style")["l"] == ["&lt;b&gt;Tên&lt;/b&gt;"]
    assert (
        _call(group, "style")["v"][1] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    )  # one column: no list
    assert "<b>T" not in _render(group)


def test_choropleth_styles_and_classes(squares):
    style = _call(_layer(squares, dimmed_codes={"06004"}, highlight_codes={"06007"}), "style")
    assert style["m"] == [0, 1, 2]  # normal, dimmed (ntm-dimmed), highlight (ntm-highlight)
    assert style["p"] == ["#1a9850", "#fee08b", "#d73027"]  # lower-cased
    assert style["f"] == [0, 1, 2]
    normal, dimmed, highlight, hover = style["st"]
    assert normal["color"] == "#ffffff" and dimmed["fillOpacity"] == 0.25
    assert highlight["color"] == "#000000" and hover["weight"] == 2.5


def test_choropleth_quantises_coordinates(squares):
    squares.geometry = [
        Polygon([(106.123456789, 21.0), (106.2, 21.0), (106.2, 21.1234567891)]),
        *squares.geometry[1:],
    ]
    (triangle, *_) = topology.decode_topology(_call(_layer(squares), "geometry"))
    xy = set(map(tuple, np.round(np.asarray(triangle.exterior.coords), 9).tolist()))
    # snapped to the 1e-4 grid (the topology may add a neighbour's vertex on a shared edge)
    assert {(106.1235, 21.0), (106.2, 21.0), (106.2, 21.1235)} <= xy
    assert xy <= {(106.1235, 21.0), (106.2, 21.0), (106.2, 21.1235), (106.2, 21.1)}


def test_choropleth_reprojects_to_wgs84(squares):
    (first, *_) = topology.decode_topology(
        _call(_layer(squares.to_crs(3405)), "geometry")
    )  # VN-2000 / UTM 48N
    x, y = first.exterior.coords[0]
    assert 105.9 < x < 106.4 and 20.9 < y < 21.2


def test_choropleth_drops_empty_geometries_with_warning(squares):
    squares.loc[1, "geometry"] = None
    with pytest.warns(UserWarning, match=r"dropped 1 row\(s\) with empty geometry \['06004'\]"):
        topo = _call(_layer(squares), "geometry")
    assert [g["id"] for g in topo["objects"]["c"]["geometries"]] == ["06001", "06007"]


def test_choropleth_null_fill_becomes_no_data(squares):
    squares.loc[2, "fill"] = None
    with pytest.warns(UserWarning, match=r"1 commune\(s\) have no fill in column 'fill'"):
        style = _call(_layer(squares), "style")
    assert style["p"][style["f"][2]] == mapstyle.NO_DATA_FILL


def test_choropleth_orders_by_code(squares):
    shuffled = squares.iloc[[2, 0, 1]]
    style = _call(_layer(shuffled), "style")
    assert style["p"] == ["#1a9850", "#fee08b", "#d73027"]  # palette in code order, not row order


def test_choropleth_popup_escaped(squares):
    group = _layer(squares, popup_column="name")
    assert _call(group, "style")["pu"][1] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"
    page = _render(group)
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
    topo = _call(group, "outlines")
    assert topo["outline"] == {"color": "#333333", "weight": 2.2, "opacity": 0.9}
    (outline,) = topology.decode_topology(topo, "d")
    assert outline.symmetric_difference(districts.geometry.iloc[0]).area < 1e-12
    page = _render(_layer(squares), group)
    # Drawn after (above) the communes; the runtime gives them class ntm-district, fill false,
    # interactive false (static/folium_runtime.js).
    assert page.index("ntmMap.outlines(") > page.index("ntmMap.geometry(")


def test_district_outlines_need_crs(squares):
    with pytest.raises(ConfigError, match=r"district_outline_layer: districts_gdf has no CRS"):
        mapview.district_outline_layer(squares.set_crs(None, allow_override=True), name="d")


# ----------------------------------------------------------------------------- legend

ENTRIES = [
    ("#1a9850", "≥ 19 tiêu chí", 120),
    ("#d73027", XSS, 3),
    (mapstyle.NO_DATA_FILL, mapstyle.NO_DATA_LABEL, 1500),
    ("#ffffff", mapstyle.NOT_ASSESSED_LABEL, None),
]


def _legend_js(element) -> str:
    fg = folium.FeatureGroup(name="c").add_child(element)
    return _render(fg)


def test_legend_entries_counts_and_escaping():
    page = _legend_js(legend.legend_element("Số tiêu chí <đạt>", ENTRIES, note="Nguồn: <x>"))
    assert "ntm-legend" in page and '{position: "topright"}' in page
    assert "Kh\\u00f4ng c\\u00f3 d\\u1eef li\\u1ec7u / No data" in page
    assert "Not assessed" in page
    assert ">120<\\/td>" in page and ">3<\\/td>" in page and ">1.500<\\/td>" in page
    assert "S\\u1ed1 ti\\u00eau ch\\u00ed &lt;\\u0111\\u1ea1t&gt;" in page
    assert "Ngu\\u1ed3n: &lt;x&gt;" in page
    assert XSS not in page and "&lt;script&gt;" in page
    assert "font-size:14px" in page


def test_legend_follows_its_feature_group():
    page = _legend_js(legend.legend_element("T", ENTRIES[:1], font_px=18))
    assert 'host.on("remove"' in page and "font-size:18px" in page


def test_legend_on_map_is_fixed():
    m = mapview.build_base_map(BOUNDS)
    m.add_child(legend.legend_element("T", ENTRIES[:1]))
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
        legend.legend_element("T", entries, **kwargs)


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
    import ntm_geo.maps.mapview
    import ntm_geo.maps.webassets

    for module in (ntm_geo.maps.mapview, ntm_geo.maps.webassets):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"^\s*(import|from)\s+streamlit", source, re.MULTILINE)


# ----------------------------------------------------------------------------- topology


def _grid() -> list:
    """2x2 unit-ish squares sharing edges, an enclave (island in a hole) and a two-part commune."""
    a, b = box(106.0, 21.0, 106.1, 21.1), box(106.1, 21.0, 106.2, 21.1)
    c = box(106.0, 21.1, 106.1, 21.2).difference(box(106.03, 21.13, 106.06, 21.16))
    island = box(106.03, 21.13, 106.06, 21.16)
    d = shapely.MultiPolygon([box(106.1, 21.1, 106.2, 21.2), box(106.3, 21.0, 106.35, 21.05)])
    return [a, b, c, island, d]


def test_topology_round_trip_and_shared_arcs():
    geoms = _grid()
    topo = topology.encode_topology(geoms)
    users = topo.pop("_users")
    decoded = topology.decode_topology(topo)
    for original, back in zip(geoms, decoded, strict=True):
        assert back.is_valid
        assert original.symmetric_difference(back).area < 1e-12
    assert [g["type"] for g in topo["objects"]["c"]["geometries"]] == ["Polygon"] * 4 + ["MultiPolygon"]
    # every shared edge is stored once: each arc is used by 1 or 2 geometries, and the enclave's
    # ring is one closed arc used by both the island and the hole of c
    assert all(1 <= len(u) <= 2 for u in users)
    island_arcs = topo["objects"]["c"]["geometries"][3]["arcs"]
    hole_arcs = topo["objects"]["c"]["geometries"][2]["arcs"][1]
    assert len(island_arcs[0]) == 1 and {island_arcs[0][0], ~island_arcs[0][0]} & set(hole_arcs)
    points = sum(len(a) for a in topo["arcs"])
    assert points < sum(len(shapely.get_coordinates(g)) for g in geoms)
    assert topo["transform"] == {"scale": [1e-4, 1e-4], "translate": [106.0, 21.0]}


def test_topology_is_valid_topojson_read_by_gdal(tmp_path):
    """An independent decoder (GDAL's TopoJSON driver) reads the same shapes."""
    geoms = _grid()
    gdf = geopandas.GeoDataFrame({"commune_code": [f"0600{i}" for i in range(5)]}, geometry=geoms, crs=4326)
    topo = topology.commune_topology(gdf)
    path = tmp_path / "c.topojson"
    path.write_text(json.dumps(topo), encoding="utf-8")
    read = geopandas.read_file(path, layer="c")
    assert len(read) == 5
    for original, back in zip(geoms, read.geometry, strict=True):
        assert original.symmetric_difference(back).area < 1e-12


def test_topology_quantisation_snaps_to_grid_and_drops_slivers():
    tiny = box(106.0, 21.0, 106.00003, 21.00003)  # below one 1e-4 grid step
    topo = topology.encode_topology([box(106.0, 21.0, 106.1, 21.1), tiny])
    assert topo["objects"]["c"]["geometries"][1] == {"type": None}
    assert topology.decode_topology(topo)[1] is None


def test_js_decoder_matches_python(tmp_path):
    """static/folium_runtime.js decodes arcs and stitches rings exactly like decode_topology."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node not installed (the browser tests cover the runtime)")
    topo = topology.encode_topology(_grid())
    topo.pop("_users")
    script = tmp_path / "t.js"
    script.write_text(
        "global.window = {};\n"
        + (REPO / "ntm_geo" / "maps" / "static" / "folium_runtime.js").read_text(encoding="utf-8")
        + f"\nconst topo = {json.dumps(topo)};\n"
        + "const arcs = window.ntmMap.decodeArcs(topo);\n"
        + "const out = topo.objects.c.geometries.map(g => g.type === 'MultiPolygon'\n"
        + "  ? g.arcs.map(p => p.map(r => window.ntmMap.stitch(arcs, r)))\n"
        + "  : [g.arcs.map(r => window.ntmMap.stitch(arcs, r))]);\n"
        + "console.log(JSON.stringify(out));\n",
        encoding="utf-8",
    )
    proc = subprocess.run([node, str(script)], capture_output=True, text=True, check=True, timeout=60)
    js = json.loads(proc.stdout)
    for polys, back in zip(js, topology.decode_topology(topo), strict=True):
        parts = [
            shapely.Polygon([(x, y) for y, x in p[0]], [[(x, y) for y, x in r] for r in p[1:]]) for p in polys
        ]
        assert shapely.union_all(parts).symmetric_difference(back).area < 1e-12


def test_real_communes_topology(boundaries):
    communes = boundaries.communes_web
    topo = topology.commune_topology(communes, name_column="name_with_type", district_column="district_name")
    assert (
        topology.commune_topology(communes, name_column="name_with_type", district_column="district_name")
        is topo
    )
    decoded = topology.decode_topology(topo)
    ordered = communes.sort_values("commune_code")
    assert [g["id"] for g in topo["objects"]["c"]["geometries"]] == ordered["commune_code"].tolist()
    # the quantised coverage is still a clean coverage and every vertex moved by < ~8 m (parts
    # smaller than one grid cell -- one 10 m² sliver of 06055 -- collapse and are dropped)
    assert shapely.coverage_is_valid(np.asarray(decoded, dtype=object))
    for original, back in zip(ordered.geometry, decoded, strict=True):
        kept = shapely.union_all([p for p in shapely.get_parts(original) if p.area > 1e-8])
        assert kept.hausdorff_distance(back) < 0.75e-4
        assert abs(original.area - back.area) < 1e-2 * original.area  # small wards: ~0.3 %
    # shared edges stored once: far fewer points than the communes' own rings
    points = sum(len(a) for a in topo["arcs"])
    assert points < 0.7 * shapely.get_num_coordinates(communes.geometry.values).sum()
    # 11 district borders made of commune arcs only, matching the dissolved districts
    assert len(topo["districts"]) == 11
    borders = topology.decode_topology(topo, "d")
    for name, border in zip(topo["districts"], borders, strict=True):
        district = boundaries.districts_web.loc[
            boundaries.districts_web["district_name"] == name
        ].geometry.iloc[0]
        assert border.hausdorff_distance(district.boundary) < 1e-3
    size = len(json.dumps(topo, separators=(",", ":"), ensure_ascii=False).encode())
    assert size < 90_000, size


def test_commune_topology_is_encoded_once_per_boundary_set(tmp_path, monkeypatch):
    """The encoding (topojson library, slower than reading) is kept beside the boundary cache."""
    monkeypatch.setenv("NTM_GEO_SHAPES_DIR", str(tmp_path))
    gdf = geopandas.GeoDataFrame({"commune_code": [f"0600{i}" for i in range(5)]}, geometry=_grid(), crs=4326)
    topology._TOPO_CACHE.clear()
    first = topology.commune_topology(gdf)
    assert len(list((tmp_path / "topology").glob("*.json"))) == 1
    topology._TOPO_CACHE.clear()  # a new process

    def boom(*args, **kwargs):
        raise AssertionError("encoded again")

    monkeypatch.setattr(mapview, "encode_topology", boom)
    assert topology.commune_topology(gdf) == first


def test_mapview_keeps_its_api_and_each_map_module_is_small():
    """mapview.py (991 lines) was split by job: topology, legend, styles; its API is unchanged."""
    assert set(mapview.__all__) >= {
        "COMMUNE_CLASS", "COORD_DECIMALS", "NOT_ASSESSED_LABEL", "NO_DATA_LABEL", "TILE_PROVIDERS",
        "TOPO_SCALE", "build_base_map", "choropleth_layer", "clicked_commune_code", "commune_topology",
        "decode_topology", "district_outline_layer", "encode_topology", "geometry_element",
        "legend_element", "map_html", "map_payload_bytes", "outline_element", "style_element",
    }  # fmt: skip
    for name in mapview.__all__:
        assert getattr(mapview, name) is not None
    assert mapview.encode_topology is topology.encode_topology
    assert mapview.legend_element is legend.legend_element
    for module in (mapview, topology, legend, mapstyle):
        assert Path(module.__file__).read_text(encoding="utf-8").count("\n") <= 500, module.__name__
