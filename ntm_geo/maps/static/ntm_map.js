/* ntm-geo map component: the one module that owns Leaflet in the app (ES module, versioned).
 *
 * Streamlit's public custom components v2 API mounts it (app_pages/leaflet_map.py): the
 * component's inline script only imports this file from the app's static folder, where it is
 * published under a content-hashed name (ntm_geo/maps/webassets.py: publish_map_module), so the
 * browser fetches it once and caches it. Python sends DATA, never code (see MapSpec in
 * ntm_geo/maps/mapspec.py for every field):
 *
 *   spec = {
 *     v: 1,
 *     topology: {url, key}   content-hashed TopoJSON file (static/topo/<sha>.json), fetched
 *                            once per page and cached; object "c" = units (id = unit code,
 *                            properties {n: name, d: group index}), "d" = group borders,
 *                            "districts" = group names (any vintage: nothing here assumes 226
 *                            units or that districts exist);
 *     bounds: [[south, west], [north, east]]  extent to fit (a change re-fits, the map is kept);
 *     style: {p: palette, f: palette index per unit (base-36 string), v: tooltip values per
 *             unit (on the wire packed as {vs, vsep, vx}: see unpackStyle), l: tooltip labels,
 *             m: mode per unit (0 normal, 1 dimmed, 2 highlight; base-36 string, "" = all normal),
 *             st: [normal, dimmed, highlight, hover] path styles}   (units in topology order);
 *     legend: {title, entries: [[colour, label, count|null]], note, font_px, position,
 *              compact, collapsed} | null;
 *     labels: [{items: [[lat, lng, text, cls]], font_px, min_zoom, cull, nudge, hide_crowded}];
 *     texts: [{text, position, font_px (px, or a CSS length), cls}]   boxes on the map (source
 *            line, big year);
 *     outline: path style of group borders | null (no borders drawn);
 *     marked: {codes: [...], style, cls} | null   extra outlines (planner's shortlist);
 *     options: {height, cls, look, tiles: {url, attribution} | null, keyboard, sync, keys,
 *               min_zoom, max_zoom},
 *     page: {title, note, caption}  plain texts drawn around the map (textContent, never HTML),
 *     assets: {js: [...], css: [...]}  Leaflet, served by the app (never a CDN),
 *     ready, error   first-paint signal wanted; text shown when Leaflet cannot be loaded.
 *   }
 *
 * On the wire the spec is compact UTF-8 JSON bytes (mapbuild.wire_bytes), read by decodeSpec.
 *
 * Triggers sent back: "click" = {id, n} (n counts clicks: the same unit twice is two events) and
 * "ready" (once, when the map is drawn or could not be). Every text is set with textContent.
 */

export const VERSION = "2.1.0"; // 2.1: the spec as compact UTF-8 JSON bytes (decodeSpec), packed tooltip values

const MODE_CLASS = ["ntm-commune", "ntm-commune ntm-dimmed", "ntm-commune ntm-highlight"];

// ------------------------------------------------------------------ pure helpers (node tests)

/** TopoJSON arcs -> arrays of [lat, lng] (Leaflet order); arcs are quantised, delta-encoded. */
export function decodeArcs(topo) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  return topo.arcs.map((arc) => {
    let x = 0;
    let y = 0;
    return arc.map(([dx, dy]) => {
      x += dx;
      y += dy;
      return [y * sy + ty, x * sx + tx];
    });
  });
}

/** A ring (or line) from arc indices; ~i is arc i reversed; shared end points kept once. */
export function stitch(arcs, ids) {
  const out = [];
  for (const i of ids) {
    const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    out.push(...(out.length ? a.slice(1) : a));
  }
  return out;
}

/** Leaflet latlngs of a Polygon / MultiPolygon topology geometry. */
export function latlngs(arcs, g) {
  const rings = (poly) => poly.map((r) => stitch(arcs, r));
  return g.type === "MultiPolygon" ? g.arcs.map(rings) : rings(g.arcs);
}

/** Tooltip rows [label, value] of unit i: name, group name, then the style's values. */
export function tooltipRows(topoUnit, groups, style, i) {
  const values = [];
  if (topoUnit.properties && topoUnit.properties.n !== undefined) values.push(topoUnit.properties.n);
  if (topoUnit.properties && topoUnit.properties.d !== undefined) values.push(groups[topoUnit.properties.d]);
  values.push(...((style.v || [])[i] === undefined ? [] : [].concat(style.v[i])));
  return values.map((v, j) => [String((style.l || [])[j] ?? ""), v == null ? "" : String(v)]);
}

/**
 * The spec as Python sent it: compact UTF-8 JSON bytes (mapbuild.wire_bytes; Streamlit hands
 * bytes over as a Uint8Array), a JSON string, or an object already; the style's packed tooltip
 * values are unpacked into the list `v` (unpackStyle).
 */
export function decodeSpec(data) {
  let spec = data;
  if (data instanceof Uint8Array || data instanceof ArrayBuffer) spec = JSON.parse(new TextDecoder().decode(data));
  else if (typeof data === "string") spec = JSON.parse(data);
  return spec && spec.style ? { ...spec, style: unpackStyle(spec.style) } : spec; // (the data handed over stays as it is)
}

/** Tooltip values packed by mapbuild.pack_values ({vs, vsep, vx}) -> the list v ("" = none). */
export function unpackStyle(style) {
  if (typeof style.vs !== "string") return style;
  const { vs, vsep, vx, ...rest } = style;
  rest.v = vs.split(vsep || "|").map((stem) => (stem === "" ? null : stem + (vx || "")));
  return rest;
}

/** Small index i of a base-36 string ("" or missing: 0), as Python's mapbuild._digits writes it. */
export function digit(text, i) {
  const c = (text || "")[i];
  return c === undefined ? 0 : parseInt(c, 36);
}

/** Path options of unit i for a style spec: [mode, Leaflet path options]. */
export function unitStyle(style, i) {
  const mode = digit(style.m, i);
  const fill = style.p[digit(style.f, i)];
  return [mode, Object.assign({}, style.st[mode], { fillColor: fill })];
}

/** Legend rows: [{colour, label, count}] with counts written the Vietnamese way (1.234). */
export function legendRows(legend) {
  return (legend.entries || []).map(([colour, label, count]) => ({
    colour: /^#[0-9a-fA-F]{3,6}$/.test(colour) ? colour : "#d9d9d9",
    label: String(label),
    count: count == null ? "" : String(Math.trunc(count)).replace(/\B(?=(\d{3})+(?!\d))/g, "."),
  }));
}

function overlapArea(a, b, gap = 0) {
  const w = Math.min(a.right, b.right) - Math.max(a.left, b.left) + gap;
  const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) + gap;
  return w > 0 && h > 0 ? w * h : 0;
}

// (x in label widths, y in label heights), nearest first
const MOVES = [[0, 0], [0, -0.75], [0, 0.75], [-0.3, 0], [0.3, 0], [-0.3, -0.75], [0.3, -0.75],
  [-0.3, 0.75], [0.3, 0.75], [0, -1.25], [0, 1.25], [-0.45, -1.25], [0.45, -1.25],
  [-0.45, 1.25], [0.45, 1.25], [0, -1.7], [0, 1.7]];

/** Clearance kept between two nudged labels: a third of the line height (Vietnamese letters
 * stack their marks above and below the line box: ộ, ạ), at least 4 px. */
export function labelGap(height) {
  return Math.max(4, Math.round(height / 3));
}

/**
 * Label placement on rectangles ({left, right, top, bottom}, in priority order) against rects
 * already taken. mode "cull": a label that overlaps is hidden; "nudge": moved by up to 1.7 line
 * heights / 0.45 widths to the place that overlaps least, keeping labelGap(height) clear of the
 * others (hidden if it still overlaps and hideCrowded). Returns [{dx, dy, hidden}] per label.
 */
export function placeLabels(rects, taken, mode, hideCrowded = false) {
  const placed = taken.slice();
  return rects.map((r0) => {
    if (!r0 || r0.right - r0.left === 0) return { dx: 0, dy: 0, hidden: false };
    if (mode === "cull") {
      const hit = placed.some((k) => overlapArea(r0, k) > 0);
      if (!hit) placed.push(r0);
      return { dx: 0, dy: 0, hidden: hit };
    }
    const w = r0.right - r0.left;
    const h = r0.bottom - r0.top;
    let best = null;
    for (const [mx, my] of MOVES) {
      const dx = mx * w;
      const dy = my * h;
      const r = { left: r0.left + dx, right: r0.right + dx, top: r0.top + dy, bottom: r0.bottom + dy };
      const hit = placed.reduce((sum, k) => sum + overlapArea(r, k, labelGap(h)), 0);
      if (best === null || hit < best.hit) best = { dx, dy, r, hit };
      if (hit === 0) break;
    }
    if (best.hit > 0 && hideCrowded) return { dx: 0, dy: 0, hidden: true };
    placed.push(best.r);
    return { dx: best.dx, dy: best.dy, hidden: false };
  });
}

/**
 * Does any point lie inside any rect? points: flat [x0, y0, x1, y1, ...]; each point is drawn at
 * (x * scale - ox, y * scale - oy) -- Leaflet's pixel coordinates at zoom 0, the zoom's scale 2^z
 * and the view's pixel origin -- and rects are in the map box's pixels.
 */
export function anyPointIn(points, rects, scale = 1, ox = 0, oy = 0) {
  for (const r of rects) {
    for (let i = 0; i < points.length; i += 2) {
      const x = points[i] * scale - ox;
      const y = points[i + 1] * scale - oy;
      if (x > r.left && x < r.right && y > r.top && y < r.bottom) return true;
    }
  }
  return false;
}

/**
 * Fit paddings to try so that the corner boxes (legend, source line...) hide no unit: none
 * first, then each box's width or height on its side, and every combination of those.
 * boxes: [{corner: "topright"|..., width, height}]. Returns [{tl: [x, y], br: [x, y]}].
 */
export function paddingCandidates(boxes) {
  let out = [{ tl: [0, 0], br: [0, 0] }];
  for (const b of boxes) {
    const top = b.corner.startsWith("top");
    const left = b.corner.endsWith("left");
    const options = [null, "x", "y"];
    const next = [];
    for (const c of out) {
      for (const o of options) {
        if (o === null) { next.push(c); continue; }
        const tl = c.tl.slice();
        const br = c.br.slice();
        if (o === "x") (left ? tl : br)[0] = Math.max((left ? tl : br)[0], b.width + 8);
        else (top ? tl : br)[1] = Math.max((top ? tl : br)[1], b.height + 8);
        next.push({ tl, br });
      }
    }
    out = next;
  }
  return out;
}

/** Which slide button a key press stands for (keys: {key name: button key}), or null. */
export function keyTarget(event, keys) {
  if (!keys || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  const el = event.target;
  const tag = ((el && el.tagName) || "").toLowerCase();
  if (tag === "input" || tag === "textarea" || tag === "select" || (el && el.isContentEditable)) return null;
  return keys[event.key] || null;
}

// ------------------------------------------------------------------ assets (once per page)

const G = typeof window === "undefined" ? {} : window;
const ASSETS = (G.__ntmAssets = G.__ntmAssets || {});
const TOPOLOGIES = (G.__ntmTopologies = G.__ntmTopologies || {});
const PREFETCH = (G.__ntmPrefetch = G.__ntmPrefetch || {}); // url -> fetch() started by the loader
const SYNC = (G.__ntmSync = G.__ntmSync || {});

// Leaflet (a UMD build: run as a module it sets window.L) is imported, not added as a <script>:
// the component's loader (app_pages/leaflet_map.py) imports the same URL while this module is
// still on its way, and the browser fetches and runs one URL once for both.
function loadScript(src) {
  const url = new URL(src, G.location.href).href;
  if (!ASSETS[url]) {
    ASSETS[url] = import(url).catch(async () => {
      // One retry after a short wait (a server that has just been installed may place the file a
      // moment after the page asked for it), under another URL: the browser remembers a failed
      // import. Then the error.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return import(url + "?retry=1");
    }).catch(() => {
      delete ASSETS[url]; // not remembered: the next draw asks the server again
      throw new Error("ntm-geo: could not load " + src);
    });
  }
  return ASSETS[url];
}

/** Leaflet's stylesheet, once per page; resolves when it applies. The map is drawn after it, so
 * the fit measures the controls (legend, source line) where the stylesheet puts them; without it
 * Leaflet's panes and controls fall out of the box, so a stylesheet that cannot be loaded (one
 * retry, as for the script) is an error the page shows, not a broken map. The loader has
 * preloaded the file. */
function loadCss(href) {
  const link = (url) => new Promise((resolve, reject) => {
    const el = document.createElement("link");
    el.rel = "stylesheet";
    el.href = url;
    el.onload = resolve;
    el.onerror = () => {
      el.remove();
      reject(new Error("ntm-geo: could not load " + href));
    };
    document.head.appendChild(el);
  });
  if (!ASSETS[href]) {
    ASSETS[href] = link(href).catch(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      return link(href + "?retry=1");
    });
    ASSETS[href].catch(() => delete ASSETS[href]); // not remembered: the next draw asks again
  }
  return ASSETS[href];
}

/** The topology at `url` (content-hashed: never changes), fetched once per page (by the loader,
 * while this module was loading, or here). */
function loadTopology(url) {
  if (!TOPOLOGIES[url]) {
    const started = PREFETCH[url];
    delete PREFETCH[url];
    TOPOLOGIES[url] = (started || fetch(url, { cache: "force-cache" })).then((r) => {
      if (!r.ok) throw new Error("ntm-geo: could not load " + url + " (" + r.status + ")");
      return r.json();
    }).then((topo) => ({ topo, arcs: decodeArcs(topo) }));
    TOPOLOGIES[url].catch(() => delete TOPOLOGIES[url]);
  }
  return TOPOLOGIES[url];
}

const CSS = `
.ntm-map-box .leaflet-container { background: #f4f3ee; font-family: inherit; }
.ntm-map-box .leaflet-interactive:focus { outline: none; }
.ntm-tooltip { font-size: 14px; line-height: 1.3; }
.ntm-tooltip table { margin: auto; border-collapse: collapse; }
.ntm-tooltip tr { text-align: left; }
.ntm-tooltip th { padding: 1px 8px 1px 2px; font-weight: 600; }
.ntm-tooltip td { padding: 1px 2px; }
.ntm-legend { transition: opacity 0.12s; }
.ntm-legend.ntm-under-tooltip { opacity: 0.06; }
.ntm-legend-box { background: rgba(255,255,255,0.94); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0,0,0,0.35); line-height: 1.3; color: #111; max-height: 60vh; overflow: auto; }
.ntm-legend-head { display: flex; align-items: flex-start; gap: 6px; font-weight: 700; margin-bottom: 4px; }
.ntm-legend-title { max-width: 22em; }
.ntm-legend-toggle { margin-left: auto; border: 1px solid #999; background: #fff; border-radius: 3px;
  font: inherit; font-size: 0.8em; line-height: 1; padding: 2px 6px; cursor: pointer; }
.ntm-legend.ntm-collapsed table, .ntm-legend.ntm-collapsed .ntm-legend-note { display: none; }
.ntm-legend.ntm-collapsed .ntm-legend-head { margin-bottom: 0; }
.ntm-legend table { border-collapse: collapse; }
.ntm-legend td { padding: 2px 8px 2px 0; }
.ntm-legend td.ntm-count { padding: 2px 0; text-align: right; font-variant-numeric: tabular-nums; }
.ntm-swatch { display: inline-block; width: 1.4em; height: 1em; border: 1px solid #666; vertical-align: middle; }
.ntm-legend-note { margin-top: 4px; font-size: 0.8em; color: #444; max-width: 22em; }
.ntm-legend.ntm-compact .ntm-legend-head, .ntm-legend.ntm-compact .ntm-legend-note { display: none; }
@media (max-height: 820px) { /* a 768-pixel screen: a smaller legend leaves the map more room (not on a projector) */
  .ntm-map-box:not(.ntm-projector) .ntm-legend-box { font-size: 13px !important; padding: 5px 8px; }
  .ntm-map-box:not(.ntm-projector) .ntm-legend td { padding: 1px 6px 1px 0; }
}
.ntm-label { background: none; border: none; width: 0 !important; height: 0 !important; pointer-events: none; }
.ntm-label-text { position: absolute; transform: translate(-50%, -50%); white-space: nowrap; line-height: 1.1;
  font-family: "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #111; font-weight: 700;
  text-shadow: -2px -2px 0 #fff, 2px -2px 0 #fff, -2px 2px 0 #fff, 2px 2px 0 #fff, 0 0 4px #fff, 0 0 6px #fff; }
.ntm-district-label .ntm-label-text { color: #000; letter-spacing: 0.01em; }
.ntm-commune-label .ntm-label-text { font-weight: 600; color: #1a1a1a; }
.ntm-commune-label { display: none; }
.ntm-zoomed .ntm-commune-label, .ntm-commune-label.ntm-always { display: block; }
.ntm-zoomed .ntm-district-label .ntm-label-text { opacity: 0.55; }
.ntm-text { background: rgba(255,255,255,0.92); color: #111; padding: 3px 8px; border-radius: 3px; line-height: 1.25;
  box-shadow: 0 1px 3px rgba(0,0,0,0.3); max-width: 55vw; }
.ntm-text.ntm-big { font-weight: 800; padding: 2px 12px; }
.ntm-projector path.ntm-commune { stroke: #ffffff; stroke-width: 1.6px; fill-opacity: 1; }
.ntm-projector path.ntm-commune.ntm-dimmed { stroke: #cccccc; stroke-width: 0.8px; fill-opacity: 0.25; }
.ntm-projector path.ntm-commune.ntm-highlight { stroke: #000000; stroke-width: 4px; }
.ntm-projector path.ntm-district { stroke: #111111; stroke-width: 3.5px; stroke-opacity: 1; }
.ntm-projector .ntm-legend-box { box-shadow: 0 1px 6px rgba(0,0,0,0.45); }
.ntm-projector .leaflet-control-scale-line { font-size: clamp(14px, 1vw, 20px); line-height: 1.3; padding: 1px 6px;
  border-width: 3px; border-color: #111; color: #111; background: rgba(255,255,255,0.85); }
`;

// User Timing marks for the bench (bench/run_bench.py reads them); nothing else reads them.
const PERF = typeof performance === "undefined" ? null : performance;
function mark(name) {
  if (PERF && PERF.mark) PERF.mark(name);
}
function measure(name, start) {
  if (PERF && PERF.measure) PERF.measure(name, { start, end: PERF.now() });
}

function cssLength(h) {
  return typeof h === "number" ? h + "px" : String(h);
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

// ------------------------------------------------------------------ mount (Streamlit component)

export default async function mount(component) {
  mark("ntm:data"); // (User Timing, read by bench/run_bench.py: the component got new data)
  const { parentElement: root, setTriggerValue } = component;
  const spec = decodeSpec(component.data);
  const state = root.__ntm || (root.__ntm = { clicks: 0 });
  state.setTriggerValue = setTriggerValue;
  const ready = () => {
    if (spec.ready && !state.readySent) {
      state.readySent = true;
      setTriggerValue("ready", true);
    }
  };
  // a slow network must not hold the rest of the page back for long either
  if (spec.ready && !state.readySent) setTimeout(ready, 8000);
  try {
    drawPage(root, state, spec);
    const assets = spec.assets || {};
    const css = Promise.all((assets.css || []).map(loadCss));
    const scripts = (async () => { for (const src of assets.js || []) await loadScript(src); })();
    const [, geo] = await Promise.all([scripts, loadTopology(spec.topology.url), css]);
    draw(root, state, spec, geo);
    if (state.error) { state.error.remove(); state.error = null; }
  } catch (err) {
    // the technical message (the browser's English "Failed to fetch", a URL) is for the console;
    // the reader sees the page's own text alone, in the page's language (trial 8, M4)
    console.error(err);
    if (!state.error) {
      state.error = el("div", "ntm-map-error");
      state.error.style.cssText = "padding: 1rem; border: 1px solid #c00; color: #900;";
      (state.placeholder || state.box || root).appendChild(state.error);
    }
    state.error.textContent = spec.error || "Không vẽ được bản đồ. / The map could not be drawn.";
  }
  ready(); // also after an error: the rest of the page must not wait for a map that failed
}

// The CSS, the heading and warning above the map and the caption below it: drawn before Leaflet
// is loaded (also when it cannot be) and kept across map updates.
function drawPage(root, state, spec) {
  const page = spec.page || {};
  if (!state.head) {
    state.style = el("style");
    state.head = el("div", "ntm-map-head");
    state.title = el("h4", "ntm-title");
    state.note = el("div", "ntm-note ntm-note-warning");
    state.note.setAttribute("role", "note");
    const icon = el("span", "ntm-note-icon", "warning");
    icon.setAttribute("aria-hidden", "true");
    state.noteText = el("span");
    state.note.append(icon, state.noteText);
    state.head.append(state.title, state.note);
    state.foot = el("p", "ntm-caption ntm-map-foot");
    root.prepend(state.style, state.head);
    root.appendChild(state.foot);
  }
  // the page's CSS comes with the first paint only (later runs have it from the page itself)
  if (spec.css) state.pageCss = spec.css;
  const css = CSS + (state.pageCss || "");
  if (state.style.textContent !== css) state.style.textContent = css;
  const show = (node, text, target) => {
    (target || node).textContent = text || "";
    node.style.display = text ? "" : "none";
  };
  show(state.title, page.title);
  show(state.note, page.note, state.noteText);
  show(state.foot, page.caption);
  state.head.style.display = page.title || page.note ? "" : "none";
  const height = cssLength((spec.options || {}).height || 560);
  if (!state.box && !state.placeholder) { // the map's room while Leaflet loads: the caption stays put
    state.placeholder = el("div", "ntm-map-placeholder");
    root.insertBefore(state.placeholder, state.foot);
  }
  if (state.placeholder) state.placeholder.style.height = height;
}

function draw(root, state, spec, geo) {
  const options = spec.options || {};
  state.bounds = spec.bounds; // what fit() needs
  state.outlineStyle = spec.outline || null;
  if (!state.map) createMap(root, state, spec);
  state.box.className = "ntm-map-box " + (options.cls || "") + (options.look ? " ntm-" + options.look : "");
  state.box.style.height = cssLength(options.height || 560);
  if (state.topoUrl !== spec.topology.url) {
    drawUnits(state, geo);
    state.topoUrl = spec.topology.url;
  }
  applyStyle(state, spec.style);
  drawMarked(state, spec.marked);
  drawLegend(state, spec.legend);
  drawTexts(state, spec.texts || []);
  drawTiles(state, options.tiles);
  drawLabels(state, spec.labels || []);
  setSync(state, options.sync);
  setKeys(options.keys);
  const fitKey = JSON.stringify([spec.bounds, spec.topology.url, options.height]);
  if (state.fitKey !== fitKey) {
    state.fitKey = fitKey;
    state.userMoved = false;
    fit(state);
  }
}

function createMap(root, state, spec) {
  const L = window.L;
  const options = spec.options || {};
  const box = el("div", "ntm-map-box");
  box.style.width = "100%";
  box.style.position = "relative";
  const div = el("div", "folium-map ntm-map");
  div.style.cssText = "position: absolute; inset: 0;";
  box.appendChild(div);
  root.insertBefore(box, state.foot);
  // Leaflet focuses its box on a click (keyboard panning) and then restores the *window's*
  // scroll; here the page scrolls inside Streamlit's main column, which would jump and make the
  // click miss its unit. Focus without scrolling.
  const focus = div.focus.bind(div);
  div.focus = (o) => focus(Object.assign({ preventScroll: true }, o || {}));
  if (state.placeholder) {
    state.placeholder.remove();
    state.placeholder = null;
  }
  box.style.height = cssLength(options.height || 560);
  const map = L.map(div, {
    zoomControl: true,
    minZoom: options.min_zoom ?? 6,
    maxZoom: options.max_zoom ?? 16,
    zoomSnap: 0.25, // fit the province snugly instead of to the next whole zoom level
    zoomDelta: 0.5,
    keyboard: options.keyboard !== false,
    attributionControl: true,
    // the SVG covers twice the view each way: a zoomed district still draws its neighbours
    // (dimmed) around it and a pan shows no blank edge (a few hundred paths are cheap)
    renderer: L.svg({ padding: 1 }),
  });
  // metric only (issue 14, item 16); on a projector twice as long, its text larger (CSS below)
  L.control.scale({ imperial: false, maxWidth: options.look === "projector" ? 220 : 100 }).addTo(map);
  box.__ntmMap = map; // for page scripts and browser tests: the Leaflet map of this box
  state.map = map;
  state.box = box;
  map.on("movestart", () => { if (!state.fitting) state.userMoved = true; });
  // the column may change width (sidebar, window): Leaflet re-measures its box, and a map the
  // user has not moved is fitted again
  // (not again for the observer's first call, at the size the map was just fitted to: a second
  // setView re-projects every path, ~15 ms of the first paint)
  state.observer = window.ResizeObserver ? new ResizeObserver(() => {
    map.invalidateSize();
    if (!state.userMoved && !(state.fitSize && map.getSize().equals(state.fitSize))) fit(state);
  }) : null;
  if (state.observer) state.observer.observe(div);
}

function drawUnits(state, geo) {
  const L = window.L;
  const map = state.map;
  if (state.group) map.removeLayer(state.group);
  if (state.outlines) map.removeLayer(state.outlines);
  const { topo, arcs } = geo;
  const units = topo.objects.c.geometries;
  const groups = topo.districts || [];
  const group = L.featureGroup();
  const layers = [];
  // smoothFactor 0, noClip: the rings are already simplified for the web and a few hundred
  // paths are cheap to draw whole (Leaflet's per-path simplification costs first-paint time).
  units.forEach((g, i) => {
    const layer = L.polygon(latlngs(arcs, g), {
      className: "ntm-commune", color: "#ffffff", weight: 0.7, fillColor: "#d9d9d9", fillOpacity: 0.85,
      smoothFactor: 0, noClip: true,
    });
    layer.feature = { type: "Feature", id: g.id, properties: {} };
    layer._ntmIndex = i;
    layer._ntmName = (g.properties || {}).n; // (our own fields, read by page scripts and tests)
    layer._ntmDistrict = (g.properties || {}).d;
    layers.push(layer);
    group.addLayer(layer);
  });
  const tooltip = (layer) => {
    const table = el("table");
    for (const [th, td] of tooltipRows(units[layer._ntmIndex], groups, state.style || {}, layer._ntmIndex)) {
      const tr = el("tr");
      tr.append(el("th", "", th), el("td", "", td));
      table.appendChild(tr);
    }
    return table;
  };
  // One tooltip and one pair of hover handlers for all units (a path's events reach its group).
  group.bindTooltip(tooltip, { sticky: true, className: "ntm-tooltip" });
  // Leaflet draws tooltips under its controls: the legend fades while a tooltip would be hidden.
  const fadeLegends = () => {
    const tip = group.getTooltip();
    const tipEl = tip && tip.isOpen() && tip.getElement();
    const box = tipEl && tipEl.getBoundingClientRect();
    map.getContainer().querySelectorAll(".ntm-legend").forEach((legend) => {
      const r = legend.getBoundingClientRect();
      legend.classList.toggle("ntm-under-tooltip", !!box && overlapArea(box, r) > 0);
    });
  };
  group.on("tooltipopen mousemove", fadeLegends);
  group.on("tooltipclose", () => setTimeout(fadeLegends, 0));
  group.on("mouseover", (e) => e.layer.setStyle((state.style && state.style.st[3]) || {}));
  group.on("mouseout", (e) => e.layer.setStyle(e.layer._ntmStyle || {}));
  group.on("click", (e) => {
    const id = e.layer && e.layer.feature && e.layer.feature.id;
    if (id != null) state.setTriggerValue("click", { id: String(id), n: ++state.clicks });
  });
  map.addLayer(group);
  state.group = group;
  state.layers = layers;
  state.units = units;
  map._ntm = { layers, districts: groups }; // for page scripts and browser tests
  // for the fit's overlap test: each unit's points projected once, at zoom 0 (a zoom z is the
  // same points times 2^z in Leaflet's spherical Mercator), flat [x0, y0, x1, y1, ...]
  state.points0 = layers.map((l) => {
    const lls = l.getLatLngs().flat(3);
    const out = new Float64Array(lls.length * 2);
    lls.forEach((ll, j) => {
      const p = map.project(ll, 0);
      out[2 * j] = p.x;
      out[2 * j + 1] = p.y;
    });
    return out;
  });
  state.outlines = null;
  if (topo.objects.d) {
    const st = Object.assign({ color: "#333333", weight: 2.2, opacity: 0.9 }, state.outlineStyle || {});
    const borders = L.featureGroup();
    for (const g of topo.objects.d.geometries) {
      const common = { className: "ntm-district", interactive: false, smoothFactor: 0, noClip: true };
      const shape = g.type === "MultiLineString" || g.type === "LineString"
        ? L.polyline(g.type === "LineString" ? stitch(arcs, g.arcs) : g.arcs.map((line) => stitch(arcs, line)),
          Object.assign({}, st, common))
        : L.polygon(latlngs(arcs, g), Object.assign({}, st, common, { fill: false }));
      borders.addLayer(shape);
    }
    map.addLayer(borders);
    state.outlines = borders;
  }
  state.appliedStyle = null;
}

function applyStyle(state, style) {
  if (same(state.appliedStyle, style)) return;
  const t0 = PERF ? PERF.now() : 0;
  state.style = style;
  state.layers.forEach((layer, i) => {
    const [mode, opts] = unitStyle(style, i);
    layer._ntmStyle = opts;
    layer._ntmMode = mode;
    layer.setStyle(opts);
    // Leaflet sets a path's class only when it creates the path
    layer.options.className = MODE_CLASS[mode];
    if (layer._path) layer._path.setAttribute("class", MODE_CLASS[mode] + " leaflet-interactive");
  });
  state.appliedStyle = style;
  measure("ntm:restyle", t0);
}

function drawMarked(state, marked) {
  const L = window.L;
  const key = JSON.stringify(marked || null);
  if (state.markedKey === key) return;
  state.markedKey = key;
  if (state.marked) state.map.removeLayer(state.marked);
  state.marked = null;
  if (!marked || !(marked.codes || []).length) return;
  const wanted = new Set(marked.codes.map(String));
  const group = L.featureGroup();
  state.layers.forEach((layer) => {
    if (!wanted.has(String(layer.feature.id))) return;
    group.addLayer(L.polygon(layer.getLatLngs(), Object.assign({}, marked.style || {},
      { className: marked.cls || "ntm-marked", interactive: false, fill: false, smoothFactor: 0, noClip: true })));
  });
  state.map.addLayer(group);
  state.marked = group;
}

function control(position, node) {
  const L = window.L;
  const c = L.control({ position });
  c.onAdd = () => node;
  return c;
}

function drawLegend(state, legend) {
  const L = window.L;
  const key = JSON.stringify(legend || null);
  if (state.legendKey === key) return;
  state.legendKey = key;
  if (state.legend) state.legend.remove();
  state.legend = null;
  if (!legend) return;
  const div = el("div", "ntm-legend" + (legend.compact ? " ntm-compact" : ""));
  const inner = el("div", "ntm-legend-box");
  inner.style.fontSize = (legend.font_px || 14) + "px";
  const head = el("div", "ntm-legend-head");
  head.appendChild(el("div", "ntm-legend-title", legend.title || ""));
  const toggle = el("button", "ntm-legend-toggle");
  toggle.type = "button";
  const setCollapsed = (on) => {
    div.classList.toggle("ntm-collapsed", on);
    toggle.textContent = on ? "+" : "−";
    toggle.setAttribute("aria-expanded", String(!on));
    toggle.title = on ? (legend.show_text || "Hiện chú giải / Show legend") : (legend.hide_text || "Thu gọn chú giải / Hide legend");
    state.legendCollapsed = on;
  };
  toggle.addEventListener("click", () => {
    setCollapsed(!div.classList.contains("ntm-collapsed"));
    state.userMoved = state.userMoved || false;
    if (!state.userMoved) fit(state);
  });
  head.appendChild(toggle);
  inner.appendChild(head);
  const table = el("table");
  for (const row of legendRows(legend)) {
    const tr = el("tr");
    const sw = el("td");
    const swatch = el("span", "ntm-swatch");
    swatch.style.background = row.colour;
    sw.appendChild(swatch);
    tr.append(sw, el("td", "", row.label), el("td", "ntm-count", row.count));
    table.appendChild(tr);
  }
  inner.appendChild(table);
  if (legend.note) inner.appendChild(el("div", "ntm-legend-note", legend.note));
  div.appendChild(inner);
  L.DomEvent.disableClickPropagation(div);
  L.DomEvent.disableScrollPropagation(div);
  setCollapsed(state.legendCollapsed ?? !!legend.collapsed);
  state.legend = control(legend.position || "topright", div).addTo(state.map);
}

function drawTexts(state, texts) {
  const key = JSON.stringify(texts);
  if (state.textsKey === key) return;
  state.textsKey = key;
  (state.texts || []).forEach((c) => c.remove());
  state.texts = texts.map((t) => {
    const div = el("div", "ntm-text " + (t.cls || ""), t.text);
    div.style.fontSize = cssLength(t.font_px || 14); // px, or a CSS length such as clamp(14px, 1vw, 22px)
    return control(t.position || "bottomleft", div).addTo(state.map);
  });
}

function drawTiles(state, tiles) {
  const L = window.L;
  const key = JSON.stringify(tiles || null);
  if (state.tilesKey === key) return;
  state.tilesKey = key;
  if (state.tiles) state.map.removeLayer(state.tiles);
  state.tiles = tiles ? L.tileLayer(tiles.url, { attribution: tiles.attribution || "", maxZoom: 19 }).addTo(state.map) : null;
  if (state.tiles) state.tiles.bringToBack();
}

function drawLabels(state, labels) {
  const L = window.L;
  const map = state.map;
  const key = JSON.stringify(labels);
  if (state.labelsKey === key) return;
  state.labelsKey = key;
  if (state.labelLayer) map.removeLayer(state.labelLayer);
  if (state.labelRefresh) map.off("zoomend resize viewreset", state.labelRefresh);
  const layer = L.layerGroup();
  const sets = labels.map((set) => {
    const texts = set.items.map(([lat, lng, text, cls]) => {
      const t = el("div", "ntm-label-text", text);
      t.style.fontSize = (set.font_px || 18) + "px";
      const icon = L.divIcon({ html: t, className: "ntm-label " + cls, iconSize: null });
      L.marker([lat, lng], { icon, interactive: false, keyboard: false }).addTo(layer);
      return t;
    });
    return { set, texts };
  });
  layer.addTo(map);
  const refresh = () => {
    const container = map.getContainer();
    for (const { set, texts } of sets) {
      if (set.min_zoom != null) container.classList.toggle("ntm-zoomed", map.getZoom() >= set.min_zoom);
      if (!set.cull && !set.nudge) continue;
      texts.forEach((t) => { t.style.visibility = ""; t.style.transform = ""; });
      const taken = [];
      if (set.cull) {
        container.querySelectorAll(".ntm-district-label .ntm-label-text").forEach((d) => {
          if (!texts.includes(d)) taken.push(d.getBoundingClientRect());
        });
      } else {
        container.querySelectorAll(".ntm-text.ntm-big").forEach((c) => taken.push(c.getBoundingClientRect()));
      }
      const rects = texts.map((t) => t.getBoundingClientRect());
      placeLabels(rects, taken, set.cull ? "cull" : "nudge", !!set.hide_crowded).forEach((p, i) => {
        if (p.hidden) texts[i].style.visibility = "hidden";
        else if (p.dx || p.dy) texts[i].style.transform = `translate(-50%, -50%) translate(${p.dx}px,${p.dy}px)`;
      });
    }
  };
  // (deferred: on "zoomend" the markers may not be at their new positions yet)
  const later = () => { setTimeout(refresh, 30); setTimeout(refresh, 350); };
  map.on("zoomend resize viewreset", later);
  state.labelLayer = layer;
  state.labelRefresh = later;
  refresh();
  later();
}

// Two maps of one sync group (side by side) keep the same centre and zoom.
function setSync(state, group) {
  if (state.syncGroup === (group || null)) return;
  if (state.syncGroup && SYNC[state.syncGroup]) SYNC[state.syncGroup].delete(state.map);
  state.syncGroup = group || null;
  if (!group) return;
  const maps = (SYNC[group] = SYNC[group] || new Set());
  maps.add(state.map);
  if (state.map.__ntmSyncOn) return;
  state.map.__ntmSyncOn = true;
  state.map.on("moveend", () => {
    const map = state.map;
    if (map.__ntmSyncing || !state.syncGroup) return;
    for (const other of SYNC[state.syncGroup] || []) {
      if (other === map) continue;
      if (!other.getContainer().isConnected) { SYNC[state.syncGroup].delete(other); continue; }
      const c = map.getCenter();
      const oc = other.getCenter();
      if (other.getZoom() === map.getZoom() && Math.abs(oc.lat - c.lat) < 1e-7 && Math.abs(oc.lng - c.lng) < 1e-7) continue;
      other.__ntmSyncing = true;
      try { other.setView(c, map.getZoom(), { animate: false }); } finally { other.__ntmSyncing = false; }
    }
  });
}

// Slide keys (presentation): one handler per page, replaced by every map that asks for one.
function setKeys(keys) {
  if (G.__ntmKeyHandler) document.removeEventListener("keydown", G.__ntmKeyHandler, true);
  G.__ntmKeyHandler = null;
  if (!keys) return;
  G.__ntmKeyHandler = (e) => {
    const target = keyTarget(e, keys);
    if (!target) return;
    // the visible, live button (Streamlit also keeps a stale one during a rerun)
    const all = Array.from(document.querySelectorAll(".st-key-" + target + " button"));
    const b = all.find((x) => x.offsetParent && !x.closest("[data-stale=true]")) || all.find((x) => x.offsetParent);
    if (b && !b.disabled) { b.click(); e.preventDefault(); }
  };
  document.addEventListener("keydown", G.__ntmKeyHandler, true);
}

// Fit the extent so that no unit hides under a corner box (legend, source line): among the
// paddings of paddingCandidates, the one with the largest zoom that leaves every shown unit clear
// (none when nothing is hidden without padding; issue 14, item 15).
function fit(state) {
  const L = window.L;
  const map = state.map;
  if (!state.bounds || !map) return;
  const bounds = L.latLngBounds(state.bounds);
  const size = map.getSize();
  if (!size.x || !size.y) return;
  const box = map.getContainer().getBoundingClientRect();
  const corners = [];
  map.getContainer().querySelectorAll(".leaflet-control-container .ntm-legend, .leaflet-control-container .ntm-text")
    .forEach((c) => {
      const r = c.getBoundingClientRect();
      if (!r.width) return;
      const top = !!c.closest(".leaflet-top");
      const left = !!c.closest(".leaflet-left");
      corners.push({
        corner: (top ? "top" : "bottom") + (left ? "left" : "right"),
        width: left ? r.right - box.left : box.right - r.left,
        height: top ? r.bottom - box.top : box.bottom - r.top,
        rect: { left: r.left - box.left, right: r.right - box.left, top: r.top - box.top, bottom: r.bottom - box.top },
      });
    });
  const shown = state.points0.filter((_, i) => state.layers[i]._ntmMode !== 1);
  const rects = corners.map((c) => c.rect);
  const view = (cand) => {
    const tl = L.point(cand.tl);
    const br = L.point(cand.br);
    const zoom = map.getBoundsZoom(bounds, false, tl.add(br));
    const sw = map.project(bounds.getSouthWest(), zoom);
    const ne = map.project(bounds.getNorthEast(), zoom);
    const centre = map.unproject(sw.add(ne).divideBy(2).add(br.subtract(tl).divideBy(2)), zoom);
    return { zoom, centre };
  };
  const clear = ({ zoom, centre }) => {
    const origin = map.project(centre, zoom).subtract(size.divideBy(2));
    const scale = map.getZoomScale(zoom, 0);
    return !shown.some((points) => anyPointIn(points, rects, scale, origin.x, origin.y));
  };
  const candidates = paddingCandidates(corners)
    .filter((c) => c.tl[0] + c.br[0] < size.x * 0.6 && c.tl[1] + c.br[1] < size.y * 0.6)
    .map(view);
  const plain = candidates[0];
  const best = clear(plain) ? plain
    : candidates.slice(1).sort((a, b) => b.zoom - a.zoom).find(clear) || plain;
  state.fitting = true;
  state.fitSize = size;
  try { map.setView(best.centre, best.zoom, { animate: false }); } finally { state.fitting = false; }
}
