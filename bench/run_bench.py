"""Benchmark ntm-geo's map against a naive ``gdf.explore()`` peer and an empty Streamlit page.

Run from the repository root (see ``bench/README.md``)::

    python bench/run_bench.py                 # defaults: --runs 5 --server-runs 3 --cold-runs 1
    python bench/run_bench.py --json artifacts/bench/figures.json

Figures (medians over ``--runs`` unless said otherwise), printed as a table with the ratios
and the targets (PASS/MISS):

1. payload bytes: (a) Python side: the JSON of the map's component data (``json.dumps`` as
   Streamlit serialises it: ours = what ``app_pages.leaflet_map`` sends -- the spec: styles,
   legend, bounds, texts -- PLUS the two files the browser fetches once on a first visit: the
   topology and the map module; peer = the arguments ``st_folium`` sends -- the whole explore()
   map); (b) browser side: bytes of websocket frames the page received from navigation until
   the map is painted (ours: no geometry there any more, see 1a);
2. Python build time (warm caches): ours = join + classify + spec (``build_view_spec``) +
   payload (``leaflet_map.payload``); peer = explore() +
   st_folium's rendering;
3. navigation -> painted map in Chromium (fresh context each run; measured with the page's own
   clock, polled on every animation frame, no fixed sleeps);
4. cold first run: ``streamlit run app.py`` with an empty ``NTM_GEO_SHAPES_DIR``, process start
   -> painted (includes building the boundary cache);
5. warm start: (a) a new Python process importing the core, loading cached boundaries and the
   dataset, computing the default view; (b) ``streamlit run`` process start -> health OK ->
   painted, cache present;
6. framework floor: navigation -> painted for ``bench/empty_app.py``; and for
   ``bench/empty_nodelay_app.py``, the same page with the app's one server fix (TCP_NODELAY,
   ``app_pages/server_socket.py``), so the ratio can be read against either floor; and
   ``bench/map_only_app.py``, a page holding nothing but the default map (same fix): what the
   map component itself costs over that floor, and what the rest of the app adds;
7. a rerun that only recolours (ours: theme criteria -> poverty; a warm-up rerun first, not
   counted): websocket bytes of the rerun and of the map's message; in the page's own clock
   (``RECOLOUR_INIT_JS``): click -> the map's message (a: server), message -> fills changed
   (b: client; split into Streamlit handing the data to the map module and the module's
   restyle), the next frame; whether the map was kept (the same element: not re-created).

Runs of the apps are interleaved (ours, peer, empty, ours, ...) because the machine is noisy.
Every server started here is stopped at the end, also on error or Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.browser import harness  # noqa: E402  (reuse launch args, server start, network log)

DEFAULT_MIRROR = Path("/work/shared/boundaries/censusVN2009")
OUT_DIR = Path(os.environ.get("NTM_GEO_BENCH_OUT") or REPO / "artifacts" / "bench")
N_COMMUNES = 226
VIEWPORT = {"width": 1400, "height": 900}
FOLIUM_IFRAME = f"iframe[title*='{harness.FOLIUM_FRAME_HINT}']"


# --------------------------------------------------------------------------- apps


@dataclass(frozen=True)
class App:
    name: str
    script: Path
    frame_selector: str | None  # iframe holding the painted elements (None: the page itself)
    selector: str  # elements that must be painted
    count: int  # how many of them
    text: str | None = None  # text the first element must contain (empty page)


APPS = (
    App("ours", REPO / "app.py", None, harness.COMMUNE_SELECTOR, N_COMMUNES),
    App("peer", REPO / "bench" / "peer_app.py", FOLIUM_IFRAME, "path.leaflet-interactive", N_COMMUNES),
    App("empty", REPO / "bench" / "empty_app.py", None,
        '[data-testid="stMain"] [data-testid="stMarkdownContainer"]', 1, "bench-empty-ready"),
    App("empty_nd", REPO / "bench" / "empty_nodelay_app.py", None,
        '[data-testid="stMain"] [data-testid="stMarkdownContainer"]', 1, "bench-empty-ready"),
    App("map_only", REPO / "bench" / "map_only_app.py", None, harness.COMMUNE_SELECTOR, N_COMMUNES),
)  # fmt: skip
NAMES = tuple(a.name for a in APPS)

# Runs in the page on every animation frame; returns performance.now() (ms since navigation
# start of the top document) once `count` matching elements have a non-empty box. The map
# iframe is same-origin (/component/...), so the top page reads its document directly.
PAINTED_JS = """([frameSel, sel, count, text]) => {
    let doc = document;
    if (frameSel) {
        const f = document.querySelector(frameSel);
        doc = f && f.contentDocument;
        if (!doc) return false;
    }
    const els = doc.querySelectorAll(sel);
    if (els.length < count) return false;
    let painted = 0;
    for (const el of els) {
        const b = el.getBBox ? el.getBBox() : el.getBoundingClientRect();
        if (b.width > 0 && b.height > 0) painted++;
    }
    if (painted < count) return false;
    if (text && !els[0].textContent.includes(text)) return false;
    return performance.now();
}"""


# --------------------------------------------------------------------------- helpers


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def quiet_streamlit_logs() -> None:
    """st_folium called outside ``streamlit run`` warns 'missing ScriptRunContext' each call."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated(f"signal {signum}")


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- 1a + 2: Python side


class ComponentCapture:
    """Stands in for streamlit-folium's component function: keeps the arguments it is sent."""

    def __init__(self) -> None:
        self.args: dict[str, Any] = {}

    def __call__(self, **kwargs: Any) -> Any:
        self.args = {k: v for k, v in kwargs.items() if k != "on_change"}
        return kwargs.get("default")

    def wire_bytes(self) -> int:
        # Streamlit's custom_component serialises the JSON-able arguments with json.dumps.
        return len(json.dumps(self.args).encode("utf-8"))

    def parts(self) -> dict[str, int]:
        return {
            k: len(json.dumps(v).encode("utf-8"))
            for k, v in self.args.items()
            if isinstance(v, str) and len(v) > 200
        }


def python_side(runs: int) -> dict[str, Any]:
    import streamlit_folium

    quiet_streamlit_logs()
    from bench.ours_map import build_ours
    from bench.peer_map import peer_gdf, peer_map, st_folium_kwargs
    from ntm_geo.geo.boundaries import load_boundaries

    capture = ComponentCapture()
    streamlit_folium._component_func = capture  # bench process only
    quiet_streamlit_logs()

    boundaries = load_boundaries()  # warm caches: cached GeoParquet read once, as the app does
    gdf = peer_gdf()

    ours_payload: dict[str, Any] = {}
    try:  # the map's data as the component sends it (compact UTF-8 JSON since 404cacc)
        from ntm_geo.maps.mapbuild import wire_bytes as wire
    except ImportError:  # an older revision (bench --ref): Streamlit's json.dumps of the dict

        def wire(data: dict[str, Any]) -> bytes:
            return json.dumps(data).encode("utf-8")

    def ours() -> dict[str, float]:
        t0 = time.perf_counter()
        built = build_ours(boundaries)
        t1 = time.perf_counter()
        data = built.component_data()  # what app_pages.leaflet_map sends (a components-v2 map)
        t2 = time.perf_counter()
        files = built.first_load_files()  # + what the browser fetches once (topology, module)
        ours_payload["bytes"] = len(wire(data)) + sum(files.values())
        ours_payload["parts"] = {k: len(json.dumps(v).encode("utf-8")) for k, v in data.items()
                                 if len(json.dumps(v)) > 200}  # fmt: skip
        ours_payload["parts"].update(files)
        return {"build_ms": (t1 - t0) * 1e3, "render_ms": (t2 - t1) * 1e3}

    def peer() -> dict[str, float]:
        t0 = time.perf_counter()
        m = peer_map(gdf)
        t1 = time.perf_counter()
        streamlit_folium.st_folium(m, **st_folium_kwargs())
        t2 = time.perf_counter()
        return {"build_ms": (t1 - t0) * 1e3, "render_ms": (t2 - t1) * 1e3}

    out: dict[str, Any] = {}
    for name, fn in (("ours", ours), ("peer", peer)):
        fn()  # warm-up: first call imports mapclassify/matplotlib colormaps, jinja templates...
        payload = (
            (ours_payload["bytes"], ours_payload["parts"])
            if name == "ours"
            else (capture.wire_bytes(), capture.parts())
        )
        out[name] = {"payload_bytes": payload[0], "payload_parts": payload[1],
                     "build_ms": [], "render_ms": [], "total_ms": []}  # fmt: skip
    for _ in range(runs):
        for name, fn in (("ours", ours), ("peer", peer)):
            t = fn()
            out[name]["build_ms"].append(t["build_ms"])
            out[name]["render_ms"].append(t["render_ms"])
            out[name]["total_ms"].append(t["build_ms"] + t["render_ms"])
    return out


# --------------------------------------------------------------------------- 5a: core warm start

CORE_START = r"""
import json, time
t0 = time.perf_counter()
from ntm_geo.geo import boundaries as bnd
from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.maps.themes import compute_view, join_dataset
t1 = time.perf_counter()
b = bnd.load_boundaries()
assert bnd.cache_is_fresh(), "boundary cache missing: warm start would rebuild it"
t2 = time.perf_counter()
d = load_illustrative(2015)
t3 = time.perf_counter()
v = compute_view(join_dataset(b.communes_web, d), "criteria_met", scheme="natural_breaks", k=5, lang="vi")
t4 = time.perf_counter()
assert len(v.fills) == 226
print(json.dumps({"import_ms": (t1 - t0) * 1e3, "load_boundaries_ms": (t2 - t1) * 1e3,
                  "load_dataset_ms": (t3 - t2) * 1e3, "view_ms": (t4 - t3) * 1e3}))
"""


def core_warm_start(runs: int, env: dict[str, str]) -> dict[str, Any]:
    walls, stages = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", CORE_START], cwd=REPO, env=env,
                              capture_output=True, text=True, check=False)  # fmt: skip
        walls.append((time.perf_counter() - t0) * 1e3)
        if proc.returncode != 0:
            raise RuntimeError(f"core warm start failed:\n{proc.stderr}")
        stages.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    # One extra run with -X importtime: which imports dominate.
    proc = subprocess.run([sys.executable, "-X", "importtime", "-c", CORE_START], cwd=REPO, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUT_DIR / "importtime_core.txt").write_text(proc.stderr, encoding="utf-8")
    top: list[tuple[str, float]] = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( +)(\S+)", line)
        if m and len(m.group(2)) <= 3:  # top-level imports of the script only
            top.append((m.group(3), int(m.group(1)) / 1e3))
    top.sort(key=lambda x: -x[1])
    return {
        "wall_ms": walls,
        "stages_ms": {k: median([s[k] for s in stages]) for k in stages[0]},
        "top_imports_ms": top[:8],
    }


# --------------------------------------------------------------------------- browser side


@dataclass
class NavResult:
    painted_ms: float  # navigation start -> painted, page clock
    wall_ms: float  # goto() call -> painted seen by Python (for reference)
    ws_bytes: int
    ws_frames: int
    http_bytes: int
    requests: int
    external: list[str] = field(default_factory=list)


def navigate_and_wait(browser, url: str, app: App, timeout_s: float) -> NavResult:
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = context.new_page()
        network = harness.NetworkLog()
        page.on("request", network)
        finished = []
        page.on("requestfinished", lambda request: finished.append(request))
        ws = {"bytes": 0, "frames": 0}

        def on_frame(payload):
            ws["bytes"] += len(payload.encode("utf-8") if isinstance(payload, str) else payload)
            ws["frames"] += 1

        page.on("websocket", lambda sock: sock.on("framereceived", on_frame))
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        handle = page.wait_for_function(
            PAINTED_JS, arg=[app.frame_selector, app.selector, app.count, app.text],
            polling="raf", timeout=timeout_s * 1000,
        )  # fmt: skip
        painted_ms = float(handle.json_value())
        wall_ms = (time.perf_counter() - t0) * 1e3
        ws_bytes, ws_frames = ws["bytes"], ws["frames"]  # frozen at the paint
        http = 0
        for request in finished:
            try:
                sizes = request.sizes()
                http += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            except Exception:
                pass
        return NavResult(painted_ms, wall_ms, ws_bytes, ws_frames, http, len(network.urls),
                         network.external())  # fmt: skip
    finally:
        context.close()


RERUN_CLICK_TEXT = "Tỷ lệ hộ nghèo"  # the theme radio option of the map page (Vietnamese default)
MARK_MAP = "document.querySelector('.ntm-map-box').__ntmBench = 1"  # a re-created map has a new box
MAP_KEPT = "!!(document.querySelector('.ntm-map-box') || {}).__ntmBench"

# Installed before any page script (bench only): timestamps in the page's own clock
# (performance.now(), ms since navigation start) of
# * every pointer click (capture phase, before Streamlit's handlers): `__rc.click`;
# * every websocket message, and whether it carries the map component's element (its bytes hold
#   the component name "ntm_geo.map"): `__rc.msgs` = [[t, bytes, is_map]];
# * the first change of a commune path's `fill` after the click (a MutationObserver: its callback
#   runs right after the task that restyled the paths) and the next animation frame after it
#   (the recoloured map is painted in that frame): `__rc.filled`, `__rc.frame`.
# The map module's own marks (`ntm:data`: the component got the new data; the `ntm:restyle`
# measure: its restyle of the paths) come from ntm_map.js through the User Timing API.
RECOLOUR_INIT_JS = """(() => {
  if (window.top !== window) return;
  const rc = (window.__rc = { click: null, msgs: [], filled: null, frame: null });
  const NAME = new TextEncoder().encode("ntm_geo.map");
  const holds = (buf) => {
    const a = new Uint8Array(buf);
    outer: for (let i = 0; i + NAME.length <= a.length; i++) {
      for (let j = 0; j < NAME.length; j++) if (a[i + j] !== NAME[j]) continue outer;
      return true;
    }
    return false;
  };
  const Native = window.WebSocket;
  window.WebSocket = function (...args) {
    const ws = new Native(...args);
    ws.addEventListener("message", (e) => {
      const t = performance.now();
      const d = e.data;
      rc.msgs.push([t, d.byteLength ?? d.size ?? d.length, d instanceof ArrayBuffer && holds(d)]);
    });
    return ws;
  };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, Native);
  document.addEventListener("click", (e) => { rc.click = performance.now(); rc.filled = rc.frame = null; }, true);
  new MutationObserver((muts) => {
    if (rc.click === null || rc.filled !== null) return;
    if (!muts.some((m) => m.attributeName === "fill" && m.target.classList.contains("ntm-commune"))) return;
    rc.filled = performance.now();
    requestAnimationFrame(() => { rc.frame = performance.now(); });
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["fill"] });
})();"""

RECOLOUR_READ_JS = """() => {
  const rc = window.__rc;
  const last = (name, type) => { const e = performance.getEntriesByName(name, type); return e.length ? e[e.length - 1] : null; };
  const data = last("ntm:data", "mark");
  const restyle = last("ntm:restyle", "measure");
  return { click: rc.click, filled: rc.filled, frame: rc.frame,
           map_msgs: rc.msgs.filter(([t, , isMap]) => isMap && t >= rc.click).map(([t, n]) => [t, n]),
           data: data && data.startTime >= rc.click ? data.startTime : null,
           restyle_ms: restyle && restyle.startTime >= rc.click ? restyle.duration : null };
}"""


def rerun_recolour(browser, url: str, timeout_s: float = 60.0) -> dict[str, Any]:
    """Ours only: load, wait for the paint and the end of the page's run, switch the theme
    (criteria -> poverty) and measure, in the page's own clock (:data:`RECOLOUR_INIT_JS`):

    * ``server_ms``: the click -> the websocket message carrying the map's new styles
      (the server's rerun up to the map element, and the transport);
    * ``client_ms``: that message -> the commune paths' fills changed, and ``paint_ms`` to the
      animation frame after it (the browser painting the recoloured map);
    * ``recolour_ms``: click -> fills changed (= server + client); ``to_data_ms``: message ->
      the map module called with the new data (Streamlit's own handling) and ``restyle_ms``: the
      module's restyle of the paths (User Timing measure ``ntm:restyle`` in ntm_map.js);
    * ``ws_bytes``: websocket bytes of the whole rerun (click -> the app idle again + 0.5 s);
    * ``map_kept``: the same map element (not re-created, zoom kept).
    """
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(RECOLOUR_INIT_JS)
        page = context.new_page()
        network = harness.NetworkLog()
        page.on("request", network)
        ws = {"bytes": 0}
        page.on("websocket", lambda sock: sock.on("framereceived", lambda p: ws.__setitem__(
            "bytes", ws["bytes"] + len(p.encode("utf-8") if isinstance(p, str) else p))))  # fmt: skip
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        before = harness.wait_for_communes(page, N_COMMUNES, timeout=timeout_s)
        last_part = page.get_by_text("Hồ sơ xã", exact=True).first  # the page's last section
        last_part.wait_for(timeout=timeout_s * 1000)
        page.wait_for_function(harness.IDLE_JS, timeout=timeout_s * 1000)
        time.sleep(1.0)  # let the first run's trailing messages arrive
        page.evaluate(MARK_MAP)
        b0 = ws["bytes"]
        page.get_by_text(RERUN_CLICK_TEXT, exact=True).first.click()
        harness.wait_for_fills_change(page, before, timeout=timeout_s)
        page.wait_for_function("() => window.__rc.frame !== null", timeout=timeout_s * 1000)
        page.wait_for_function(harness.IDLE_JS, timeout=timeout_s * 1000)
        time.sleep(0.5)  # the last messages of the rerun
        rc = page.evaluate(RECOLOUR_READ_JS)
        if not rc["map_msgs"]:
            raise RuntimeError("recolour: no websocket message with the map's element after the click")
        msg_t, msg_bytes = rc["map_msgs"][0]
        return {
            "ws_bytes": ws["bytes"] - b0,
            "map_msg_bytes": msg_bytes,
            "recolour_ms": rc["filled"] - rc["click"],
            "server_ms": msg_t - rc["click"],
            "client_ms": rc["filled"] - msg_t,
            "paint_ms": rc["frame"] - msg_t,
            "to_data_ms": None if rc["data"] is None else rc["data"] - msg_t,
            "restyle_ms": rc["restyle_ms"],
            "map_kept": page.evaluate(MAP_KEPT),
        }
    finally:
        context.close()


def start_server(app: App, tag: str, env: dict[str, str], timeout: float = 60.0):
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    return harness.start_streamlit(app.script, cwd=REPO, log_path=OUT_DIR / f"streamlit-{app.name}-{tag}.log",
                                   env=env, timeout=timeout)  # fmt: skip


def server_start_and_paint(browser, app: App, tag: str, env: dict[str, str], servers: list,
                           timeout_s: float = 60.0) -> dict[str, Any]:  # fmt: skip
    """``streamlit run`` process start -> health OK -> painted map in a fresh context."""
    t0 = time.perf_counter()
    server = start_server(app, tag, env, timeout=timeout_s)
    servers.append(server)
    t_health = time.perf_counter()
    nav = navigate_and_wait(browser, server.base_url, app, timeout_s)
    t_painted = time.perf_counter()
    return {"server": server, "health_ms": (t_health - t0) * 1e3, "painted_ms": (t_painted - t0) * 1e3,
            "first_nav_ms": nav.painted_ms, "external": nav.external}  # fmt: skip


def browser_side(args, env: dict[str, str]) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    out: dict[str, Any] = {a.name: {"server_health_ms": [], "server_painted_ms": [], "first_nav_ms": [],
                                    "painted_ms": [], "wall_ms": [], "ws_bytes": [], "ws_frames": [],
                                    "http_bytes": [], "requests": [], "external": []}
                           for a in APPS}  # fmt: skip
    servers: list = []
    tmp_shapes = None
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=harness.chromium_path(), headless=True,
                                         args=harness.CHROMIUM_ARGS)  # fmt: skip
            try:
                # 5b: server warm start (also warms each app up), interleaved, fresh processes.
                live: dict[str, Any] = {}
                for r in range(args.server_runs):
                    for app in APPS:
                        log(f"server start {r + 1}/{args.server_runs}: {app.name}")
                        res = server_start_and_paint(browser, app, f"warm{r}", env, servers)
                        o = out[app.name]
                        o["server_health_ms"].append(res["health_ms"])
                        o["server_painted_ms"].append(res["painted_ms"])
                        o["first_nav_ms"].append(res["first_nav_ms"])
                        o["external"].extend(res["external"])
                        if r < args.server_runs - 1:
                            res["server"].stop()
                            servers.remove(res["server"])
                        else:
                            live[app.name] = res["server"]
                # 3 + 1b + 6: navigation -> painted, interleaved A,B,C,A,B,C...
                for i in range(args.runs):
                    for app in APPS:
                        nav = navigate_and_wait(browser, live[app.name].base_url, app, 60.0)
                        o = out[app.name]
                        for k in ("painted_ms", "wall_ms", "ws_bytes", "ws_frames", "http_bytes", "requests"):
                            o[k].append(getattr(nav, k))
                        o["external"].extend(nav.external)
                    log(
                        f"navigation run {i + 1}/{args.runs}: "
                        + ", ".join(f"{a.name} {out[a.name]['painted_ms'][-1]:.0f} ms" for a in APPS)
                    )
                # 7: a rerun that only recolours (ours). One warm-up first, not counted: the
                # server's first poverty view of the process fills its caches (~1-2 s).
                out["rerun"] = []
                for i in range(args.rerun_runs + (1 if args.rerun_runs else 0)):
                    res = rerun_recolour(browser, live["ours"].base_url)
                    log(
                        f"rerun {i}/{args.rerun_runs}{' (warm-up)' if i == 0 else ''}: "
                        f"{res['ws_bytes'] / 1024:.1f} KiB, click -> map message {res['server_ms']:.0f} ms, "
                        f"-> recoloured {res['recolour_ms']:.0f} ms (restyle {res['restyle_ms'] or 0:.1f} ms), "
                        f"map kept: {res['map_kept']}"
                    )
                    if i > 0:
                        out["rerun"].append(res)
                for server in list(servers):
                    server.stop()
                    servers.remove(server)
                # 4: cold first run, empty shapes cache.
                cold = []
                ours = APPS[0]
                for r in range(args.cold_runs):
                    tmp_shapes = tempfile.mkdtemp(prefix="ntm-bench-shapes-")
                    log(f"cold start {r + 1}/{args.cold_runs} (empty NTM_GEO_SHAPES_DIR={tmp_shapes})")
                    res = server_start_and_paint(browser, ours, f"cold{r}", {**env, "NTM_GEO_SHAPES_DIR": tmp_shapes},
                                                 servers, timeout_s=240.0)  # fmt: skip
                    cold.append({k: res[k] for k in ("health_ms", "painted_ms", "first_nav_ms")})
                    out["ours"]["external"].extend(res["external"])
                    res["server"].stop()
                    servers.remove(res["server"])
                    shutil.rmtree(tmp_shapes, ignore_errors=True)
                    tmp_shapes = None
                out["cold"] = cold
            finally:
                browser.close()
    finally:
        for server in servers:
            server.stop()
        if tmp_shapes:
            shutil.rmtree(tmp_shapes, ignore_errors=True)
    return out


# --------------------------------------------------------------------------- report


def fmt_bytes(n: float | None) -> str:
    return "-" if n is None else f"{n / 1024:,.1f} KiB"


def fmt_ms(n: float | None) -> str:
    return "-" if n is None else f"{n:,.0f} ms"


def verdict(ok: bool | None) -> str:
    return "-" if ok is None else ("PASS" if ok else "MISS")


def summarise(py: dict, core: dict, br: dict, args) -> dict[str, Any]:
    s: dict[str, Any] = {
        "payload_py_bytes": {"ours": py["ours"]["payload_bytes"], "peer": py["peer"]["payload_bytes"]},
        "payload_parts_py_bytes": {"ours": py["ours"]["payload_parts"], "peer": py["peer"]["payload_parts"]},
        "ws_bytes": {n: median(br[n]["ws_bytes"]) for n in NAMES},
        "http_bytes": {n: median(br[n]["http_bytes"]) for n in NAMES},
        "py_build_ms": {n: median(py[n]["total_ms"]) for n in ("ours", "peer")},
        "py_build_parts_ms": {n: {"build": median(py[n]["build_ms"]), "render": median(py[n]["render_ms"])}
                              for n in ("ours", "peer")},
        "painted_ms": {n: median(br[n]["painted_ms"]) for n in NAMES},
        "painted_runs_ms": {n: br[n]["painted_ms"] for n in NAMES},
        "core_warm_start_ms": median(core["wall_ms"]),
        "core_warm_start_runs_ms": core["wall_ms"],
        "core_stages_ms": core["stages_ms"],
        "core_top_imports_ms": core["top_imports_ms"],
        "server_health_ms": {n: median(br[n]["server_health_ms"]) for n in NAMES},
        "server_painted_ms": {n: median(br[n]["server_painted_ms"]) for n in NAMES},
        "cold": br.get("cold", []),
        "cold_painted_ms": median([c["painted_ms"] for c in br.get("cold", [])]),
        "external_requests": {n: len(br[n]["external"]) for n in NAMES},
        "external_urls": {n: sorted(set(br[n]["external"]))[:20] for n in NAMES},
        "requests_per_load": {n: median(br[n]["requests"]) for n in NAMES},
        "rerun_ws_bytes": median([r["ws_bytes"] for r in br.get("rerun", [])]),
        "rerun_recolour_ms": median([r["recolour_ms"] for r in br.get("rerun", [])]),
        **{f"rerun_{k}": median([r[k] for r in br.get("rerun", []) if r[k] is not None])
           for k in ("server_ms", "client_ms", "paint_ms", "to_data_ms", "restyle_ms", "map_msg_bytes")},
        "rerun_runs": br.get("rerun", []),
        "rerun_map_kept": all(r["map_kept"] for r in br.get("rerun", [])) if br.get("rerun") else None,
        "runs": args.runs, "server_runs": args.server_runs, "cold_runs": args.cold_runs,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "commit": _git_head(),
    }  # fmt: skip
    pp, pw = s["payload_py_bytes"], s["ws_bytes"]
    pm = s["painted_ms"]
    s["ratios"] = {
        "payload_py_ours_over_peer": pp["ours"] / pp["peer"],
        "ws_ours_over_peer": pw["ours"] / pw["peer"],
        "build_ours_over_peer": s["py_build_ms"]["ours"] / s["py_build_ms"]["peer"],
        "painted_ours_over_peer": pm["ours"] / pm["peer"],
        "painted_ours_over_empty": pm["ours"] / pm["empty"],
        "painted_peer_over_empty": pm["peer"] / pm["empty"],
        "painted_ours_over_empty_nd": pm["ours"] / pm["empty_nd"],
        "painted_map_only_over_empty_nd": pm["map_only"] / pm["empty_nd"],
    }
    r = s["ratios"]
    s["targets"] = {
        "payload_py <= 1/3 peer": r["payload_py_ours_over_peer"] <= 1 / 3,
        "ws_bytes <= 1/3 peer": r["ws_ours_over_peer"] <= 1 / 3,
        "painted <= 0.7 x peer": r["painted_ours_over_peer"] <= 0.7,
        "painted <= 1.5 x empty": r["painted_ours_over_empty"] <= 1.5,
        "core warm start < 1 s": s["core_warm_start_ms"] < 1000,
        "theme change <= 12 KiB": None if s["rerun_ws_bytes"] is None else s["rerun_ws_bytes"] <= 12 * 1024,
        "recolour <= 150 ms": None if s["rerun_recolour_ms"] is None else s["rerun_recolour_ms"] <= 150,
        "no external request": sum(s["external_requests"].values()) == 0,
        "painted <= 1.2 x empty (issue 11)": r["painted_ours_over_empty"] <= 1.2,
        "first-load payload <= 0.2 x peer (issue 11)": r["payload_py_ours_over_peer"] <= 0.2,
    }
    return s


def _git_head() -> str | None:
    if os.environ.get("NTM_GEO_BENCH_REF"):
        return os.environ["NTM_GEO_BENCH_REF"]
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return None


def print_table(s: dict[str, Any]) -> None:
    r, t = s["ratios"], s["targets"]
    rows: list[tuple[str, str, str, str, str, str]] = []

    def row(label, ours, peer, empty="", ratio="", target=""):
        rows.append((label, ours, peer, empty, ratio, target))

    row(
        "1a payload, Python (st_folium args)",
        fmt_bytes(s["payload_py_bytes"]["ours"]),
        fmt_bytes(s["payload_py_bytes"]["peer"]),
        "",
        f"{r['payload_py_ours_over_peer']:.2f}",
        f"<= 0.20  {verdict(t['first-load payload <= 0.2 x peer (issue 11)'])}",
    )
    row(
        "1b websocket bytes to paint",
        fmt_bytes(s["ws_bytes"]["ours"]),
        fmt_bytes(s["ws_bytes"]["peer"]),
        fmt_bytes(s["ws_bytes"]["empty"]),
        f"{r['ws_ours_over_peer']:.2f}",
        f"<= 0.33  {verdict(t['ws_bytes <= 1/3 peer'])}",
    )
    row(
        "   (HTTP bytes to paint, info)",
        fmt_bytes(s["http_bytes"]["ours"]),
        fmt_bytes(s["http_bytes"]["peer"]),
        fmt_bytes(s["http_bytes"]["empty"]),
    )
    po, pp = s["py_build_parts_ms"]["ours"], s["py_build_parts_ms"]["peer"]
    row(
        "2  Python build + render (warm)",
        fmt_ms(s["py_build_ms"]["ours"]),
        fmt_ms(s["py_build_ms"]["peer"]),
        "",
        f"{r['build_ours_over_peer']:.2f}",
    )
    row(
        "   build | st_folium render",
        f"{po['build']:.0f} | {po['render']:.0f} ms",
        f"{pp['build']:.0f} | {pp['render']:.0f} ms",
    )
    row(
        "3  navigation -> painted map",
        fmt_ms(s["painted_ms"]["ours"]),
        fmt_ms(s["painted_ms"]["peer"]),
        fmt_ms(s["painted_ms"]["empty"]),
        f"{r['painted_ours_over_peer']:.2f}",
        f"<= 0.70  {verdict(t['painted <= 0.7 x peer'])}",
    )
    row(
        "   ours / empty page",
        "",
        "",
        "",
        f"{r['painted_ours_over_empty']:.2f}",
        f"<= 1.20  {verdict(t['painted <= 1.2 x empty (issue 11)'])}",
    )
    row("4  cold first run -> painted", fmt_ms(s["cold_painted_ms"]), "", "", "", "")
    row(
        "5a core warm start (new process)",
        fmt_ms(s["core_warm_start_ms"]),
        "",
        "",
        "",
        f"< 1000 ms {verdict(t['core warm start < 1 s'])}",
    )
    row(
        "5b server start -> health",
        fmt_ms(s["server_health_ms"]["ours"]),
        fmt_ms(s["server_health_ms"]["peer"]),
        fmt_ms(s["server_health_ms"]["empty"]),
    )
    row(
        "5b server start -> painted",
        fmt_ms(s["server_painted_ms"]["ours"]),
        fmt_ms(s["server_painted_ms"]["peer"]),
        fmt_ms(s["server_painted_ms"]["empty"]),
    )
    row("6  framework floor (empty page)", "", "", fmt_ms(s["painted_ms"]["empty"]))
    row(
        "6b empty page + TCP_NODELAY (info)",
        "",
        "",
        fmt_ms(s["painted_ms"]["empty_nd"]),
        f"{r['painted_ours_over_empty_nd']:.2f}",
        "ours / it",
    )
    row(
        "6c the map alone + TCP_NODELAY (info)",
        "",
        "",
        fmt_ms(s["painted_ms"]["map_only"]),
        f"{r['painted_map_only_over_empty_nd']:.2f}",
        "it / 6b",
    )
    row(
        "7  theme change: websocket bytes",
        fmt_bytes(s["rerun_ws_bytes"]),
        "",
        "",
        "",
        f"<= 12 KiB {verdict(t['theme change <= 12 KiB'])}",
    )
    row("   (the map's message, bytes)", fmt_bytes(s["rerun_map_msg_bytes"]), "")
    row(
        "7  theme change: click -> recoloured",
        fmt_ms(s["rerun_recolour_ms"]),
        "",
        "",
        "",
        f"<= 150 ms {verdict(t['recolour <= 150 ms'])}",
    )
    row("   (a) click -> map message (server)", fmt_ms(s["rerun_server_ms"]), "")
    row("   (b) map message -> recoloured (client)", fmt_ms(s["rerun_client_ms"]), "")
    row("       message -> module called (Streamlit)", fmt_ms(s["rerun_to_data_ms"]), "")
    restyle = s["rerun_restyle_ms"]
    row("       module's restyle of the paths", "-" if restyle is None else f"{restyle:.1f} ms", "")
    row("       message -> next frame painted", fmt_ms(s["rerun_paint_ms"]), "")
    row(
        "   map kept (not re-created)",
        "-" if s["rerun_map_kept"] is None else ("yes" if s["rerun_map_kept"] else "NO"),
        "",
    )
    row(
        "external requests (all loads)",
        str(s["external_requests"]["ours"]),
        str(s["external_requests"]["peer"]),
        str(s["external_requests"]["empty"]),
        "",
        f"== 0     {verdict(t['no external request'])}",
    )
    head = ("figure (median)", "ours", "peer", "empty", "ours/peer", "target")
    widths = [max(len(x[i]) for x in [head, *rows]) for i in range(6)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    print()
    print(
        f"ntm-geo bench @ {s['commit']} — runs={s['runs']} server-runs={s['server_runs']} "
        f"cold-runs={s['cold_runs']}, {s['machine']['cpus']} CPUs, Python {s['machine']['python']}"
    )
    print(line.format(*head))
    print("  ".join("-" * w for w in widths))
    for x in rows:
        print(line.format(*x))
    print()
    print(
        "payload parts (JSON bytes):",
        "ours",
        {k: v for k, v in s["payload_parts_py_bytes"]["ours"].items()},
        "| peer",
        {k: v for k, v in s["payload_parts_py_bytes"]["peer"].items()},
    )
    print("core warm start stages (median ms):", {k: round(v) for k, v in s["core_stages_ms"].items()})
    print("core top imports (cumulative ms):", [(n, round(ms)) for n, ms in s["core_top_imports_ms"][:5]])
    for c in s["cold"]:
        print(
            f"cold run: health {c['health_ms']:.0f} ms, painted {c['painted_ms']:.0f} ms after process start"
        )
    print("painted runs (ms):", {n: [round(v) for v in vs] for n, vs in s["painted_runs_ms"].items()})
    for name, urls in s["external_urls"].items():
        if urls:
            print(f"external requests from {name}: {urls}")


# --------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median), default 5")
    parser.add_argument("--server-runs", type=int, default=3, help="server warm starts per app, default 3")
    parser.add_argument(
        "--cold-runs", type=int, default=1, help="cold first runs (empty cache), default 1; 0 skips"
    )
    parser.add_argument(
        "--rerun-runs", type=int, default=3, help="theme-change reruns of ours (figure 7), default 3; 0 skips"
    )
    parser.add_argument("--json", type=Path, help="write all figures to this JSON file")
    parser.add_argument(
        "--ref",
        help="benchmark this git revision (exported with `git archive` to a temp "
        "folder, current bench/ copied in) instead of the working tree, which others may be editing",
    )
    args = parser.parse_args(argv)
    if args.ref:
        return run_at_ref(args.ref, sys.argv[1:] if argv is None else argv)
    if args.runs < 1 or args.server_runs < 1 or args.cold_runs < 0:
        parser.error("--runs and --server-runs must be >= 1, --cold-runs >= 0")
    if not Path(harness.chromium_path()).exists():
        parser.error(f"no Chromium at {harness.chromium_path()} (set NTM_GEO_CHROMIUM)")

    signal.signal(signal.SIGTERM, _on_sigterm)
    if not os.environ.get("NTM_GEO_BOUNDARY_MIRROR") and DEFAULT_MIRROR.is_dir():
        os.environ["NTM_GEO_BOUNDARY_MIRROR"] = str(DEFAULT_MIRROR)
    env = {
        "NTM_GEO_BOUNDARY_MIRROR": os.environ.get("NTM_GEO_BOUNDARY_MIRROR", ""),
        "PYTHONPATH": os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH", "")) if p),
    }
    sub_env = {**os.environ, **env}

    from ntm_geo.geo.boundaries import load_boundaries
    from ntm_geo.maps.webassets import install_leaflet

    install_leaflet()  # the documented set-up step (python -m ntm_geo.maps.webassets)
    # Streamlit serves static/ next to the *script*: bench/static/ for the peer and empty apps
    # (same Leaflet files at the same /app/static/vendor/leaflet/ URLs; git-ignored).
    install_leaflet(REPO / "bench" / "static")
    load_boundaries()  # make sure the warm cache exists before anything is timed
    started = time.perf_counter()
    log("python side: payload and build time")
    py = python_side(args.runs)
    log("core warm start (new processes)")
    core = core_warm_start(args.runs, sub_env)
    log("browser side")
    br = browser_side(args, env)
    s = summarise(py, core, br, args)
    s["bench_seconds"] = time.perf_counter() - started
    print_table(s)
    print(f"\n(bench took {s['bench_seconds']:.0f} s)")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(s, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
        print(f"figures written to {args.json}")
    return 0


def run_at_ref(ref: str, argv: list[str]) -> int:
    """Re-run this bench inside a clean export of ``ref`` (uses the warm ``shapes/`` cache)."""
    sha = subprocess.run(["git", "rev-parse", "--short", ref], cwd=REPO, capture_output=True, text=True,
                         check=True).stdout.strip()  # fmt: skip
    rest, skip = [], False
    for a in argv:
        if skip:
            skip = False
        elif a == "--ref":
            skip = True
        elif not a.startswith("--ref="):
            rest.append(a)
    rest = [str(Path(a).resolve()) if i > 0 and rest[i - 1] == "--json" else a for i, a in enumerate(rest)]
    tree = Path(tempfile.mkdtemp(prefix=f"ntm-bench-{sha}-"))
    child = None
    try:
        archive = subprocess.run(["git", "archive", sha], cwd=REPO, capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
        shutil.copytree(
            REPO / "bench",
            tree / "bench",
            dirs_exist_ok=True,
            ignore=shutil.ignore_patterns("static", "__pycache__"),
        )
        fix = tree / "app_pages" / "server_socket.py"
        if not fix.exists():  # the floor with the fix (bench/empty_nodelay_app.py) imports it
            shutil.copy2(REPO / "app_pages" / "server_socket.py", fix)
        env = {**os.environ, "NTM_GEO_BENCH_REF": sha, "NTM_GEO_BENCH_OUT": str(OUT_DIR),
               "NTM_GEO_SHAPES_DIR": os.environ.get("NTM_GEO_SHAPES_DIR") or str(REPO / "shapes")}  # fmt: skip
        log(f"benchmarking {ref} ({sha}) exported to {tree}")
        child = subprocess.Popen(
            [sys.executable, str(tree / "bench" / "run_bench.py"), *rest], cwd=tree, env=env
        )
        return child.wait()
    finally:
        if child is not None and child.poll() is None:
            child.terminate()  # it stops its own servers on SIGTERM
            child.wait(timeout=30)
        shutil.rmtree(tree, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
