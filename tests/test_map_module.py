"""The map module ntm_geo/maps/static/ntm_map.js: syntax check and its unit tests, run with node.

``node --check`` catches a syntax error before any browser does; ``node --test tests/js/`` runs
the module's pure parts (topology decoding, tooltip rows, legend rows, label placement, the fit
that keeps units clear of the legend, slide keys). Node is a CI requirement (Debian ``nodejs``,
installed by ``.ci/run``): without it this test fails rather than skips.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
MODULE = REPO / "ntm_geo" / "maps" / "static" / "ntm_map.js"


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: apt-get install nodejs (the map module's checks need it)")
    return node


def test_module_parses():
    done = subprocess.run([_node(), "--check", str(MODULE)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_module_unit_tests_pass():
    done = subprocess.run(
        [_node(), "--test", str(REPO / "tests" / "js")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout


def test_module_passes_eslint():
    """ESLint (pinned in package.json, installed by ``npm ci``; config eslint.config.mjs). CI
    (``NTM_GEO_CI=1``, set by .ci/run) fails without it; a checkout without ``npm ci`` skips."""
    eslint = REPO / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        if os.environ.get("NTM_GEO_CI"):
            pytest.fail("eslint is not installed: run `npm ci` in the repository (package.json)")
        pytest.skip("eslint not installed (run `npm ci`; CI does)")
    done = subprocess.run(
        [_node(), str(eslint), "ntm_geo/maps/static/ntm_map.js", "tests/js/"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_component_loader_passes_eslint():
    """The component's loader template (ntm_geo/maps/static/ntm_loader.js, config eslint.config.mjs)
    and the filled-in, minified script the app sends, under the module's rules."""
    eslint = REPO / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        if os.environ.get("NTM_GEO_CI"):
            pytest.fail("eslint is not installed: run `npm ci` in the repository (package.json)")
        pytest.skip("eslint not installed (run `npm ci`; CI does)")
    from app_pages.leaflet_map import LOADER_JS

    for args, text in (
        (["ntm_geo/maps/static/ntm_loader.js"], None),
        # (minified: the comment that explains the empty catch is gone)
        (
            [
                "--rule",
                '{"no-empty": "off"}',
                "--stdin",
                "--stdin-filename",
                "ntm_geo/maps/static/ntm_loader.js",
            ],
            LOADER_JS,
        ),
    ):
        done = subprocess.run(
            [_node(), str(eslint), *args], input=text, capture_output=True, text=True, timeout=120, cwd=REPO
        )
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def test_module_evaluates_no_code_from_data():
    text = MODULE.read_text(encoding="utf-8")
    for banned in ("new Function", "eval(", "innerHTML", "._layers", "insertAdjacentHTML"):
        assert banned not in text, banned


def test_the_published_minified_module_parses_and_exports_the_same_names(tmp_path):
    import json

    from ntm_geo.maps import webassets

    url = webassets.map_module_url(tmp_path)
    published = tmp_path / url.removeprefix("/app/static/")
    names = (
        "import * as m from "
        + json.dumps(published.as_uri())
        + "; console.log(Object.keys(m).sort().join(','));"
    )
    done = subprocess.run(
        [_node(), "--input-type=module", "-e", names], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "default" in done.stdout and "decodeArcs" in done.stdout and "placeLabels" in done.stdout


def _run_loader(harness_js: str, tmp_path: Path) -> dict:
    """Run the component's loader (``LOADER_JS``, as sent) under ``harness_js`` in node; the JSON
    object of the harness's last output line."""
    import json

    from app_pages.leaflet_map import LOADER_JS

    loader = tmp_path / "loader.mjs"
    loader.write_text(LOADER_JS, encoding="utf-8")
    harness = tmp_path / "harness.mjs"
    harness.write_text(harness_js, encoding="utf-8")
    done = subprocess.run(
        [_node(), str(harness), loader.as_uri()], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


# Runs the component's loader in node with a stubbed page: what it asks for, and how often.
LOADER_HARNESS = r"""
const fetched = [], links = [];
globalThis.window = globalThis;
globalThis.location = { href: "http://127.0.0.1:8501/map" };
globalThis.fetch = (url, init) => { fetched.push([url, init && init.cache]); return Promise.resolve({ ok: true }); };
globalThis.document = {
  createElement: (tag) => ({ tag }),
  head: { append: (el) => links.push([el.tag, el.rel, el.as, el.href]) },
};
const loader = await import(process.argv[2]);
const data = (url) => new TextEncoder().encode(JSON.stringify({ topology: { url }, style: {} }));
const run = (d) => loader.default({ data: d }).catch(() => "module not importable here");
await run(data("/app/static/topo/a.json"));
await run(data("/app/static/topo/a.json"));  // a rerun: nothing asked twice
await run(data("/app/static/topo/b.json"));  // another vintage's topology
await run(new Uint8Array([1, 2, 3]));        // not JSON: the module reports it, the loader goes on
console.log(JSON.stringify({ fetched, links, prefetch: Object.keys(window.__ntmPrefetch) }));
"""


def test_component_loader_asks_once_for_the_topology_and_the_stylesheet(tmp_path: Path):
    out = _run_loader(LOADER_HARNESS, tmp_path)
    assert out["fetched"] == [
        ["/app/static/topo/a.json", "force-cache"],
        ["/app/static/topo/b.json", "force-cache"],
    ]
    assert out["prefetch"] == ["/app/static/topo/a.json", "/app/static/topo/b.json"]  # taken by the module
    assert out["links"] == [
        ["link", "preload", "style", "http://127.0.0.1:8501/app/static/vendor/leaflet/leaflet.css"]
    ]


# The module cannot be imported in node (an http URL): the loader's failure branch, as when the
# browser cannot fetch the module.
LOADER_FAILURE_HARNESS = r"""
globalThis.window = globalThis;
globalThis.location = { href: "http://127.0.0.1:8501/map" };
globalThis.fetch = () => Promise.resolve({ ok: true });
globalThis.document = { createElement: (tag) => ({ tag, style: {} }), head: { append: () => {} } };
const loader = await import(process.argv[2]);
const shown = [], triggers = [];
const component = (spec) => ({
  data: new TextEncoder().encode(JSON.stringify(spec)),
  parentElement: { replaceChildren: (...els) => shown.push(els.map((e) => [e.tag, e.className, e.textContent])) },
  setTriggerValue: (name, value) => triggers.push([name, value]),
});
await loader.default(component({ topology: { url: "/t.json" }, error: "Không vẽ được bản đồ", ready: true }));
await loader.default(component({ topology: { url: "/t.json" }, error: "Không vẽ được bản đồ", ready: false }));
console.log(JSON.stringify({ shown, triggers }));
"""


def test_component_loader_says_so_and_sends_ready_when_the_module_cannot_be_loaded(tmp_path: Path):
    """Before, the loader's import had no handler: Streamlit showed its English "BidiComponent
    Error" and the first paint's controls waited for a "ready" that never came."""
    out = _run_loader(LOADER_FAILURE_HARNESS, tmp_path)
    assert out["shown"] == [[["div", "ntm-map-error", "Không vẽ được bản đồ"]]] * 2
    assert out["triggers"] == [["ready", True]]  # only when the page waits for it
