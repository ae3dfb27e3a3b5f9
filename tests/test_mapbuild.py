"""ntm_geo.maps.mapbuild: the view's layers, and what st_folium sends on first load and on reruns."""

from __future__ import annotations

import json
import logging

import pytest

from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.maps.mapbuild import ViewLayers, build_view_layers, pack_values, wire_bytes
from ntm_geo.maps.mapstyle import NO_DATA_FILL
from ntm_geo.maps.mapview import build_base_map
from ntm_geo.maps.themes import compute_view, join_dataset


@pytest.fixture(scope="module")
def table(boundaries):
    return join_dataset(boundaries.communes_web, load_illustrative(2015))


@pytest.fixture
def sent(monkeypatch):
    """st_folium's component arguments, captured instead of sent to a browser."""
    import streamlit_folium

    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)
    captured: list[dict] = []

    def component(**kwargs):
        captured.append({k: v for k, v in kwargs.items() if k != "on_change"})
        return kwargs.get("default")

    monkeypatch.setattr(streamlit_folium, "_component_func", component)

    def send(base, groups) -> dict:
        streamlit_folium.st_folium(base, feature_group_to_add=groups, key="map", height=560,
                                   returned_objects=["last_active_drawing"], use_container_width=True)  # fmt: skip
        return captured[-1]

    return send


def _layers(table, boundaries, var="criteria_met", **kwargs) -> ViewLayers:
    view = compute_view(table, var, scheme="natural_breaks", k=5, lang=kwargs.get("lang", "vi"))
    kwargs.setdefault("lang", "vi")
    return build_view_layers(table, boundaries.districts_web, view, year=2015, source="Dữ liệu minh họa",
                             scheme="natural_breaks", **kwargs)  # fmt: skip


def _style(group) -> dict:
    (call,) = [c for c in group._children.values() if getattr(c, "fn", None) == "style"]
    return json.loads(call.data_js.replace("<\\/", "</"))


def test_recolour_keeps_the_base_map_and_sends_only_the_style(table, boundaries, sent):
    first = sent(*_split(_layers(table, boundaries)))
    again = sent(*_split(_layers(table, boundaries, "poverty_rate_pct", lang="en", highlight={"06040"})))
    assert again["key"] == first["key"]  # same component key: st_folium keeps the map
    assert again["script"] == first["script"]
    assert again["feature_group"] != first["feature_group"]
    assert len(json.dumps(again["feature_group"])) < 12_000  # no coordinates
    total = len(json.dumps(first).encode())
    assert total < 130_000, total  # the naive explore() map sends ~590 KB
    zoomed = sent(*_split(_layers(table, boundaries, district="178")))
    assert zoomed["key"] != first["key"]  # a district re-fits the map (new bounds)


def _split(layers: ViewLayers):
    return layers.base_map(), layers.feature_groups


def test_self_contained_groups_still_draw_everything(table, boundaries, sent):
    layers = _layers(table, boundaries)
    args = sent(build_base_map(layers.bounds), [layers.communes, layers.outlines])
    assert "ntmMap.geometry(" in args["feature_group"] and "ntmMap.outlines(" in args["feature_group"]
    assert "ntmMap.geometry(" not in args["script"]
    assert len(json.dumps(args).encode()) < 130_000


def test_style_follows_the_topology_order(table, boundaries):
    view = compute_view(table, "criteria_met", scheme="natural_breaks", k=5, lang="vi")
    layers = _layers(table, boundaries, district="178", highlight={"06040"})
    style = _style(layers.style)
    ids = [g["id"] for g in layers.topology["objects"]["c"]["geometries"]]
    assert style["k"] == layers.topology["key"] and len(ids) == 226
    fill_of = dict(zip(table["commune_code"], view.fills, strict=True))
    assert [style["p"][i] for i in style["f"]] == [(fill_of[c] or NO_DATA_FILL).lower() for c in ids]
    district_of = dict(zip(table["commune_code"], table["district_code"], strict=True))
    modes = dict(zip(ids, style["m"], strict=True))
    assert modes["06040"] == 2
    assert all(m == (2 if c == "06040" else 0 if district_of[c] == "178" else 1) for c, m in modes.items())
    names = dict(zip(table["commune_code"], table["name_with_type"], strict=True))
    geometry = layers.topology["objects"]["c"]["geometries"]
    assert all(g["properties"]["n"] == names[g["id"]] for g in geometry)  # no markup in names
    assert len(style["l"]) == 3 and style["l"][2] == view.variable.label(
        "vi"
    )  # tooltip rows: name, district, value


def test_feature_groups_fall_back_to_self_contained(table, boundaries):
    layers = _layers(table, boundaries)
    assert layers.feature_groups == [layers.style]
    legacy = ViewLayers(layers.communes, layers.outlines, layers.bounds, layers.title)
    assert legacy.feature_groups == [layers.communes, layers.outlines]
    assert "ntmMap.geometry(" not in "".join(
        c.data_js for c in legacy.base_map()._children.values() if hasattr(c, "data_js")
    )


# ------------------------------------------------------------------ the map component's spec
def _spec(table, boundaries, var="criteria_met", districts=True, **kwargs):
    from ntm_geo.maps.mapbuild import build_view_spec

    view = compute_view(table, var, scheme="natural_breaks", k=5, lang=kwargs.get("lang", "vi"))
    kwargs.setdefault("lang", "vi")
    return build_view_spec(table, boundaries.districts_web if districts else None, view, year=2015,
                           source="Dữ liệu minh họa", scheme="natural_breaks", **kwargs)  # fmt: skip


def test_view_spec_is_data_and_a_theme_change_is_small(table, boundaries):
    spec = _spec(table, boundaries)
    text = json.dumps(spec.spec, ensure_ascii=False)
    assert "<tr" not in text and "function" not in text and "L.map" not in text  # data: no markup, no code
    n = len(spec.topology["objects"]["c"]["geometries"])
    assert len(spec.spec["style"]["f"]) == n == len(spec.spec["style"]["v"])  # one character per unit
    assert spec.spec["style"]["m"] == ""  # nothing dimmed or highlighted: no mode string at all
    (south, west), (north, east) = spec.spec["bounds"]
    assert 21 < south < north < 23 and 106 < west < east < 108
    legend = spec.spec["legend"]
    assert sum(count for *_, count in legend["entries"]) == n  # legend counts = painted units
    # what a theme change sends (the topology is a static file): well under 12 KiB
    poverty = _spec(table, boundaries, "poverty_rate_pct").spec
    assert len(json.dumps(poverty, ensure_ascii=False, separators=(",", ":")).encode()) < 12 * 1024


def test_view_spec_keeps_names_as_text_and_dims_outside_the_district(table, boundaries):
    spec = _spec(table, boundaries, district="186")
    names = [g["properties"]["n"] for g in spec.topology["objects"]["c"]["geometries"]]
    assert all("&" not in name for name in names)  # set with textContent: not HTML-escaped
    modes = spec.spec["style"]["m"]
    inside = int((table["district_code"] == "186").sum())
    assert modes.count("0") == inside and modes.count("1") == len(modes) - inside
    assert "huyện" in spec.spec["legend"]["note"].lower() or "district" in spec.spec["legend"]["note"].lower()


def test_view_spec_without_districts_has_no_group_rows(table, boundaries):
    spec = _spec(table.drop(columns=["district_name"]), boundaries, districts=False)
    assert "d" not in spec.topology["objects"] and spec.spec["style"]["l"][1] != "Huyện"
    assert len(spec.spec["style"]["l"]) == 2


@pytest.mark.parametrize(
    ("values", "packed"),
    [
        (["0,8 %", None, "12,6 %"], {"vs": "0,8||12,6", "vsep": "|", "vx": " %"}),
        (["17", "9"], {"vs": "17|9", "vsep": "|", "vx": ""}),  # no common suffix
        (["0 %", "10 %"], {"vs": "0|10", "vsep": "|", "vx": " %"}),  # every stem stays non-empty
        (["a|b", "c"], {"vs": "a|b~c", "vsep": "~", "vx": ""}),  # a separator no value holds
        ([None, None], {"vs": "|", "vsep": "|", "vx": ""}),
    ],
)
def test_pack_values_joins_stems_and_keeps_the_common_suffix_once(values, packed):
    assert pack_values(values) == packed
    # unpacked as ntm_map.js does (unpackStyle): the same values, None for empty
    stems = packed["vs"].split(packed["vsep"])
    assert [None if s == "" else s + packed["vx"] for s in stems] == values


def test_pack_values_leaves_numbers_and_unseparable_values_as_a_list():
    assert pack_values([17, "x"]) is None  # numbers: JSON keeps their type
    assert pack_values(["|~^`;\t"]) is None


def test_wire_bytes_is_compact_utf8_and_smaller_than_streamlits_json(table, boundaries):
    from app_pages.leaflet_map import payload

    poverty = payload(
        _spec(table, boundaries, "poverty_rate_pct").with_topology_url("/app/static/topo/x.json"),
        ready=False,
        error="Lỗi",
        page={"title": "Tỷ lệ hộ nghèo — năm 2015", "note": "Dữ liệu minh họa", "caption": "Ranh giới"},
    )
    before = json.dumps(poverty, sort_keys=True)
    wire = wire_bytes(poverty)
    assert json.dumps(poverty, sort_keys=True) == before  # the cached spec is not mutated
    assert "Tỷ lệ hộ nghèo".encode() in wire and b"\\u" not in wire and b", " not in wire
    decoded = json.loads(wire)
    style = decoded["style"]
    assert "v" not in style and style["vx"] == " %"
    stems = style["vs"].split(style["vsep"])
    assert [None if s == "" else s + style["vx"] for s in stems] == poverty["style"]["v"]
    assert {k: v for k, v in decoded.items() if k != "style"} == {
        k: v for k, v in poverty.items() if k != "style"
    }
    # Streamlit's json.dumps of the dict (what was sent before) is ~40 % larger
    assert len(wire) < 0.7 * len(json.dumps(poverty).encode())
