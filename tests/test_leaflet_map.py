"""The map component's Python side (app_pages/leaflet_map.py): what the browser receives.

The browser side (drawing, clicks, the first-paint signal, no re-creation on a recolour) is
covered by tests/browser/test_app.py, test_planner.py and test_present.py; the module's pure parts
by tests/js (run from test_map_module.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import rjsmin

import app_pages.leaflet_map as lm
from ntm_geo.maps import webassets
from ntm_geo.maps.mapbuild import ViewSpec

TOPO = {
    "type": "Topology",
    "key": "abc",
    "transform": {"scale": [1e-4, 1e-4], "translate": [106.0, 21.0]},
    "arcs": [[[0, 0], [10, 0], [0, 10], [-10, 0], [0, -10]]],
    "objects": {
        "c": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "1"}]}
    },
}


def test_the_component_script_imports_the_published_module_with_leaflet_and_topology_at_once():
    assert lm.MODULE_URL.startswith("/app/static/ntm/ntm_map-") and lm.MODULE_URL.endswith(".js")
    published = webassets.REPO_ROOT / "static" / lm.MODULE_URL.removeprefix("/app/static/")
    source = webassets.MAP_MODULE.read_text(encoding="utf-8")
    assert published.read_text(encoding="utf-8") == rjsmin.jsmin(source)  # versioned by content
    assert len(published.read_bytes()) < 0.75 * len(source.encode())  # comments and indentation dropped
    # small, it travels with every map message: the module owns the logic (the loader only
    # prefetches, and says so when the module fails)
    assert lm.LOADER_JS.startswith("// ") and "\n" in lm.LOADER_JS and len(lm.LOADER_JS.encode()) < 1100
    assert webassets.loader_js(lm.MODULE_URL, webassets.local_asset_urls()) == lm.LOADER_JS
    # Leaflet and the topology are asked for while the module loads (first paint), by the same
    # URL the module imports and through the global the module takes the fetch from
    urls = json.loads(lm.LOADER_JS.split("const URLS=", 1)[1].split(";", 1)[0])
    assert urls == {
        "module": lm.MODULE_URL,
        "scripts": [u for _, u in webassets.local_asset_urls().js],
        "styles": [u for _, u in webassets.local_asset_urls().css],  # preloaded; the module waits
    }
    assert "import(k)" in lm.LOADER_JS and "import(url)" in source
    assert "__ntmPrefetch" in lm.LOADER_JS and "__ntmPrefetch" in source


def test_loader_js_refuses_a_template_without_its_urls_line(tmp_path: Path, monkeypatch):
    from ntm_geo.errors import ConfigError

    broken = tmp_path / "ntm_loader.js"
    broken.write_text("export default () => 0;\n", encoding="utf-8")
    monkeypatch.setattr(webassets, "MAP_LOADER", broken)
    with pytest.raises(ConfigError, match="URLS"):
        webassets.loader_js("/m.js", webassets.local_asset_urls())


def test_publish_topology_writes_one_content_hashed_file(tmp_path: Path):
    url = webassets.publish_topology(TOPO, tmp_path)
    path = tmp_path / url.removeprefix("/app/static/")
    assert url.startswith("/app/static/topo/") and path.is_file()
    assert json.loads(path.read_text(encoding="utf-8")) == TOPO
    before = path.stat().st_mtime_ns
    assert webassets.publish_topology(dict(TOPO), tmp_path) == url  # same content, same file
    assert path.stat().st_mtime_ns == before  # not rewritten
    other = webassets.publish_topology({**TOPO, "key": "def"}, tmp_path)
    assert other != url and len(list((tmp_path / "topo").iterdir())) == 2


def test_map_spec_sends_a_url_not_the_geometry():
    view = ViewSpec({"v": 1, "bounds": [[21, 106], [22, 107]]}, TOPO, "title")
    spec = lm.map_spec(view, texts=[{"text": "Nguồn"}])
    assert spec["topology"]["key"] == "abc" and spec["topology"]["url"].startswith("/app/static/topo/")
    assert "arcs" not in json.dumps(spec) and spec["texts"] == [{"text": "Nguồn"}]
    assert lm.map_spec(view)["topology"] == spec["topology"]  # published once


def test_payload_adds_options_texts_css_and_assets_without_changing_the_cached_spec():
    spec = {"v": 1, "options": {"cls": "x"}}
    before = json.dumps(spec, sort_keys=True)
    out = lm.payload(
        spec, ready=True, error="Lỗi", options={"height": "80vh"}, page={"title": "<b>T</b>"}, page_css=True
    )
    assert json.dumps(spec, sort_keys=True) == before  # the cached dict is not mutated
    assert out["options"] == {"cls": "x", "height": "80vh"}
    assert out["page"] == {"title": "<b>T</b>"}  # text: the module sets textContent
    assert out["css"] == lm.APP_CSS and out["ready"] is True and out["error"] == "Lỗi"
    assert out["assets"] == {
        "js": ["/app/static/vendor/leaflet/leaflet.js"],
        "css": ["/app/static/vendor/leaflet/leaflet.css"],
    }
    json.dumps(out)  # what Streamlit sends: plain JSON
    assert lm.payload(spec, ready=False, error="")["css"] == ""  # later runs: the page has its CSS


def test_tiles_are_opt_in_and_known():
    assert set(lm.TILES) == {"openstreetmap"}
    assert lm.TILES["openstreetmap"]["url"].startswith("https://tile.openstreetmap.org/")


def test_warm_classifier_imports_mapclassify_in_the_background_once():
    """The first classified theme change after a server start no longer waits 1-5 s for the
    mapclassify/scipy import (bench/run_bench.py, figure 7's warm-up rerun): the pages start it
    in a thread once their map is on its way."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from app_pages.common import warm_classifier\n"
        "assert 'mapclassify' not in sys.modules\n"
        "timer = warm_classifier(0.0)\n"
        "assert warm_classifier(0.0) is timer  # once per server process\n"
        "timer.join(120)\n"
        "assert 'mapclassify' in sys.modules and timer.daemon and timer.name == 'ntm-warm-mapclassify'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=180, cwd=webassets.REPO_ROOT
    )
    assert done.returncode == 0, done.stderr[-3000:]
