"""Where do the bytes and the milliseconds of one page load go? (diagnosis for run_bench.py)

    python bench/profile_page.py            # ours and peer, 3 loads each, interleaved
    python bench/profile_page.py --apps ours --loads 1

For each load (fresh context), prints a timeline in the page's clock (ms since navigation
start): websocket open, every ForwardMsg received (decoded: which element, how many bytes),
the component iframe inserted, its document start, leaflet.js fetched, the first and the 226th
commune path painted; and the HTTP resources the page fetched, largest first. Server-side
script time is read from the ForwardMsgs (new_session -> script_finished).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.run_bench import APPS, PAINTED_JS, VIEWPORT, App, start_server  # noqa: E402
from tests.browser import harness  # noqa: E402

# Installed before any page script: records websocket messages and iframe insertions with the
# page clock, and (in every same-origin frame) when Leaflet and the first path appear.
INIT_JS = """(() => {
  const top_ = window.top === window;
  if (top_) {
    window.__ws = [];
    const Native = window.WebSocket;
    window.WebSocket = function (...a) {
      const ws = new Native(...a);
      window.__ws.push({t: performance.now(), kind: "open-call"});
      ws.addEventListener("open", () => window.__ws.push({t: performance.now(), kind: "open"}));
      ws.addEventListener("message", (e) => {
        const n = e.data.byteLength ?? e.data.size ?? e.data.length;
        window.__ws.push({t: performance.now(), kind: "msg", n});
      });
      return ws;
    };
    window.WebSocket.prototype = Native.prototype;
    Object.assign(window.WebSocket, Native);
    window.__iframes = [];
    new MutationObserver((muts) => {
      for (const m of muts) for (const n of m.addedNodes)
        if (n.tagName === "IFRAME") window.__iframes.push({t: performance.now(), title: n.title});
    }).observe(document, {childList: true, subtree: true});
  } else {
    window.__marks = {};
    const mark = (k) => { if (!(k in window.__marks)) window.__marks[k] = performance.timeOrigin + performance.now(); };
    const poll = () => {
      if (window.L) mark("leaflet");
      if (window.map_div) mark("map_div");
      const n = document.querySelectorAll("path").length;
      if (n > 0) mark("first_path");
      if (n >= 226) { mark("all_paths"); return; }
      requestAnimationFrame(poll);
    };
    requestAnimationFrame(poll);
  }
})();"""


def decode(frame: bytes) -> tuple[str, int]:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:
        return "undecodable", len(frame)
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta":
        d = msg.delta
        sub = d.WhichOneof("type")
        if sub == "new_element":
            kind = f"element:{d.new_element.WhichOneof('type')}"
        elif sub == "add_block":
            kind = "block"
        else:
            kind = f"delta:{sub}"
    return kind, len(frame)


def profile(browser, url: str, app: App) -> dict:
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    context.add_init_script(INIT_JS)
    frames: list[bytes] = []
    page.on(
        "websocket",
        lambda ws: ws.on("framereceived", lambda p: frames.append(p if isinstance(p, bytes) else p.encode())),
    )
    finished = []
    page.on("requestfinished", lambda r: finished.append(r))
    page.goto(url, wait_until="commit")
    painted = float(page.wait_for_function(PAINTED_JS, arg=[app.frame_selector, app.selector, app.count, app.text],
                                           polling="raf", timeout=60_000).json_value())  # fmt: skip
    info = page.evaluate(
        """(frameSel) => {
        const f = frameSel && document.querySelector(frameSel);
        const w = f && f.contentWindow;
        const res = performance.getEntriesByType("resource").map(r => ({name: r.name, end: r.responseEnd,
             start: r.startTime, size: r.encodedBodySize}));
        const out = {ws: window.__ws, iframes: window.__iframes, res, fcp: null};
        for (const e of performance.getEntriesByType("paint")) if (e.name === "first-contentful-paint") out.fcp = e.startTime;
        const nav = performance.getEntriesByType("navigation")[0];
        out.dcl = nav.domContentLoadedEventEnd; out.load = nav.loadEventEnd;
        if (w) {
          const off = w.performance.timeOrigin - performance.timeOrigin;
          out.iframe_origin = off;
          out.marks = Object.fromEntries(Object.entries(w.__marks || {}).map(([k, v]) => [k, v - performance.timeOrigin]));
          out.iframe_res = w.performance.getEntriesByType("resource").map(r => ({name: r.name, end: r.responseEnd + off, start: r.startTime + off, size: r.encodedBodySize}));
        }
        return out;
    }""",
        app.frame_selector,
    )
    context.close()
    info["painted"] = painted
    info["frames"] = [decode(f) for f in frames]
    msgs = [w for w in info["ws"] if w["kind"] == "msg"]
    info["msg_times"] = {}
    for w, (kind, _) in zip(msgs, info["frames"], strict=False):  # same order: page listener and Playwright
        info["msg_times"].setdefault(kind, w["t"])
    return info


def report(name: str, infos: list[dict]) -> None:
    med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
    print(f"\n=== {name}: {len(infos)} load(s), medians in ms since navigation start ===")
    keys = {
        "first-contentful-paint": [i["fcp"] for i in infos if i["fcp"]],
        "DOMContentLoaded": [i["dcl"] for i in infos],
        "websocket open": [next((w["t"] for w in i["ws"] if w["kind"] == "open"), None) for i in infos],
        "first ForwardMsg": [next((w["t"] for w in i["ws"] if w["kind"] == "msg"), None) for i in infos],
        "map iframe inserted": [next((f["t"] for f in i["iframes"] if "folium" in (f["title"] or "")), None) for i in infos],
        "iframe document start": [i.get("iframe_origin") for i in infos if i.get("iframe_origin") is not None],
        "leaflet.js loaded (iframe)": [next((r["end"] for r in i.get("iframe_res", []) if r["name"].endswith("leaflet.js")), None) for i in infos],
        "L defined": [i.get("marks", {}).get("leaflet") for i in infos],
        "map_div created": [i.get("marks", {}).get("map_div") for i in infos],
        "first path": [i.get("marks", {}).get("first_path") for i in infos],
        "226 paths (iframe rAF)": [i.get("marks", {}).get("all_paths") for i in infos],
        "map component ForwardMsg": [i["msg_times"].get("element:component_instance") for i in infos],
        "first dataframe ForwardMsg": [i["msg_times"].get("element:dataframe") for i in infos],
        "script_finished ForwardMsg": [i["msg_times"].get("script_finished") for i in infos],
        "painted (bench criterion)": [i["painted"] for i in infos],
        "last ForwardMsg before paint": [max((w["t"] for w in i["ws"] if w["kind"] == "msg" and w["t"] <= i["painted"]), default=None) for i in infos],
    }  # fmt: skip
    for k, vs in keys.items():
        vs = [v for v in vs if v is not None]
        if vs:
            print(f"  {k:32s} {med(vs):8.0f}   runs: {[round(v) for v in vs]}")
    # websocket messages by kind (first load)
    sizes: dict[str, list[int]] = defaultdict(list)
    for kind, n in infos[0]["frames"]:
        sizes[kind].append(n)
    total = sum(n for _, n in infos[0]["frames"])
    print(
        f"  websocket: {len(infos[0]['frames'])} frames, {total / 1024:.1f} KiB (whole load incl. after paint):"
    )
    for kind, ns in sorted(sizes.items(), key=lambda kv: -sum(kv[1]))[:12]:
        print(f"    {kind:34s} x{len(ns):3d} {sum(ns) / 1024:8.1f} KiB")
    res = infos[0]["res"] + infos[0].get("iframe_res", [])
    res.sort(key=lambda r: -r["size"])
    print(
        f"  HTTP: {len(res)} resources, {sum(r['size'] for r in res) / 1024:.0f} KiB encoded body; largest:"
    )
    for r in res[:10]:
        print(f"    {r['size'] / 1024:8.1f} KiB  done {r['end']:6.0f} ms  {r['name'].split('/', 3)[-1][:80]}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--apps", default="ours,peer,empty")
    parser.add_argument("--loads", type=int, default=3)
    parser.add_argument("--timeline", action="store_true", help="print every ForwardMsg's arrival per load")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    from ntm_geo.maps.webassets import install_leaflet

    install_leaflet()
    install_leaflet(REPO / "bench" / "static")
    apps = [a for a in APPS if a.name in args.apps.split(",")]
    env = {"PYTHONPATH": str(REPO)}
    servers = {}
    try:
        for app in apps:
            servers[app.name] = start_server(app, "profile", env)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=harness.chromium_path(), headless=True,
                                         args=harness.CHROMIUM_ARGS)  # fmt: skip
            for app in apps:  # warm-up load per server (fills st.cache_*), not reported
                profile(browser, servers[app.name].base_url, app)
            infos = defaultdict(list)
            for _ in range(args.loads):
                for app in apps:
                    infos[app.name].append(profile(browser, servers[app.name].base_url, app))
            browser.close()
        for app in apps:
            report(app.name, infos[app.name])
            if args.timeline:
                for n, info in enumerate(infos[app.name], 1):
                    msgs = [w for w in info["ws"] if w["kind"] == "msg"]
                    line = ", ".join(
                        f"{w['t']:.0f} {kind} ({size / 1024:.1f} KiB)"
                        for w, (kind, size) in zip(msgs, info["frames"], strict=False)
                    )
                    print(f"  load {n}: {line}; painted {info['painted']:.0f}")
    finally:
        for s in servers.values():
            s.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
