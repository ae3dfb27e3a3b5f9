// ntm-geo map component loader: the inline script of the map component (app_pages/leaflet_map.py
// fills in URLS and minifies it with ntm_geo.maps.webassets.loader_js). It travels with every map
// message, so its names are short. While the map module (URLS.module) loads, it asks once per page
// for Leaflet's script (imported: the module imports the same URL, so one fetch and one run),
// Leaflet's stylesheet (preloaded; the module's <link> takes it) and the view's topology
// (window.__ntmPrefetch, taken by the module). If the module itself cannot be loaded it shows the
// map's error text (d.error) and sends "ready" when the page waits for it (d.ready).
const URLS = { module: "", scripts: [], styles: [] };
const W = window, D = document, asked = new Set(), P = (W.__ntmPrefetch = W.__ntmPrefetch || {});
const abs = (p) => new URL(p, W.location.href).href; // (the inline script has no base URL)
const once = (k, f) => asked.has(k) || (asked.add(k), f(k));
const el = (t, o) => Object.assign(D.createElement(t), o);

export default (c) => {
  let d = {};
  try {
    d = JSON.parse(new TextDecoder().decode(c.data));
  } catch { /* not JSON: the module says so */ }
  URLS.scripts.map((u) => once(abs(u), (k) => import(k).catch(() => 0)));
  URLS.styles.map((u) => once(abs(u), (k) => D.head.append(el("link", { rel: "preload", as: "style", href: k }))));
  if (d.topology) once(d.topology.url, (k) => (P[k] = fetch(k, { cache: "force-cache" })).catch(() => 0));
  return import(abs(URLS.module)).then((m) => m.default(c), () => {
    const e = el("div", { className: "ntm-map-error", textContent: d.error || "" });
    e.style.cssText = "padding:1rem;border:1px solid #c00;color:#900";
    c.parentElement.replaceChildren(e);
    if (d.ready) c.setTriggerValue("ready", true);
  });
};
