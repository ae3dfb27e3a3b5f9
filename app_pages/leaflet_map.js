/* ntm-geo: a folium map drawn in the app page itself (Streamlit custom component v2, no iframe).
 *
 * Python (app_pages/leaflet_map.py) renders a folium map the way streamlit-folium does and sends
 * data = {
 *   uid:    DOM-safe id of this map instance ("map_div" in the scripts is replaced by it),
 *   hash:   hash of the base script: a new hash re-creates the map (new bounds, tiles...),
 *   script: folium's script of the base map (Leaflet set-up, geometry, fit to bounds),
 *   groups: script of the feature groups (colours, legend...): re-evaluated when it changes,
 *           the previous groups removed first -- zoom and pan are kept,
 *   styles: CSS texts from the folium header (map id rules, our classes),
 *   js, css: Leaflet's URLs, served by this app (loaded once per page, shared by all maps),
 *   height: map height in px (a number) or a CSS length; cls: extra CSS class of the map box,
 *   ready:  send the trigger "ready" once the map is drawn (the page then shows the rest),
 *   error:  text shown in the box when Leaflet cannot be loaded (the user's language),
 *   texts:  {title, note, caption}: plain texts drawn around the map (a heading and a warning
 *           above it, a caption below; empty = not shown), set as text, never as HTML.
 * }
 * A click on a commune sends the trigger value "click" = {id, n} (n counts clicks, so the same
 * commune twice is two events). Scripts run in a function scope: two maps on one page do not
 * share variables.
 */
// URL -> promise (scripts) or true (stylesheets): each asset is loaded once per page, shared by
// every map on it.
const ASSETS = (window.__ntmAssets = window.__ntmAssets || {});

function loadScript(src) {
  if (!ASSETS[src]) {
    ASSETS[src] = new Promise((resolve, reject) => {
      const el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = () => {
        delete ASSETS[src];  // not remembered: the next attempt asks the server again
        el.remove();
        reject(new Error("ntm-geo: could not load " + src));
      };
      document.head.appendChild(el);
    });
  }
  return ASSETS[src];
}

// One retry after a short wait (a server that has just been installed may place the file a
// moment after the page asked for it), then the error.
async function loadScriptRetry(src) {
  try {
    return await loadScript(src);
  } catch (err) {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return loadScript(src);
  }
}

function loadCss(href) {
  if (ASSETS[href]) return;
  ASSETS[href] = true;
  const el = document.createElement("link");
  el.rel = "stylesheet";
  el.href = href;
  document.head.appendChild(el);
}

function cssLength(h) {
  return typeof h === "number" ? h + "px" : String(h);
}

function runScript(text, uid, map) {
  // `var`s stay local to this function; the map object is returned by name.
  const body = text.split("map_div").join(uid) + "\n;return typeof " + uid + " === 'undefined' ? null : " + uid + ";";
  return new Function(uid, body)(map);
}

export default async function (component) {
  const { data, parentElement: root, setTriggerValue } = component;
  const state = root.__ntm || (root.__ntm = { clicks: 0 });
  const ready = () => {
    if (data.ready && !state.readySent) {
      state.readySent = true;
      setTriggerValue("ready", true);
    }
  };
  // a slow network must not hold the rest of the page back for long either
  if (data.ready && !state.readySent) setTimeout(ready, 8000);
  try {
    drawTexts(root, state, data);
    (data.css || []).forEach(loadCss);
    for (const src of data.js || []) await loadScriptRetry(src);
    draw(data, root, state, setTriggerValue);
  } catch (err) {
    console.error(err);
    if (!root.querySelector(".ntm-map-error")) {
      const box = document.createElement("div");
      box.className = "ntm-map-error";
      box.style.cssText = "padding: 1rem; border: 1px solid #c00; color: #900;";
      box.textContent = (data.error || "The map could not be drawn.") + " (" + err.message + ")";
      if (state.placeholder) state.placeholder.appendChild(box);  // in the map's room
      else root.insertBefore(box, state.foot);
    }
  }
  ready();  // also after an error: the rest of the page must not wait for a map that failed
}

// The CSS, the heading and warning above the map and the caption below it: drawn before
// Leaflet is loaded (also when it cannot be) and kept across map re-creations.
function drawTexts(root, state, data) {
  const texts = data.texts || {};
  if (!state.head) {
    state.style = document.createElement("style");
    state.head = document.createElement("div");
    state.head.className = "ntm-map-head";
    state.title = document.createElement("h4");
    state.title.className = "ntm-title";
    state.note = document.createElement("div");
    state.note.className = "ntm-note ntm-note-warning";
    state.note.setAttribute("role", "note");
    const icon = document.createElement("span");
    icon.className = "ntm-note-icon";
    icon.setAttribute("aria-hidden", "true");
    icon.textContent = "warning";
    state.noteText = document.createElement("span");
    state.note.append(icon, state.noteText);
    state.head.append(state.title, state.note);
    state.foot = document.createElement("p");
    state.foot.className = "ntm-caption ntm-map-foot";
    root.prepend(state.style, state.head);
    root.appendChild(state.foot);
  }
  const css = (data.styles || []).join("\n").split("map_div").join(data.uid);
  if (state.style.textContent !== css) state.style.textContent = css;
  const show = (el, text, target) => {
    (target || el).textContent = text || "";
    el.style.display = text ? "" : "none";
  };
  show(state.title, texts.title);
  show(state.note, texts.note, state.noteText);
  show(state.foot, texts.caption);
  state.head.style.display = texts.title || texts.note ? "" : "none";
  if (!state.box && !state.placeholder) {  // the map's room while Leaflet loads: the caption stays put
    state.placeholder = document.createElement("div");
    state.placeholder.className = "ntm-map-placeholder";
    state.placeholder.style.height = cssLength(data.height);
    root.insertBefore(state.placeholder, state.foot);
  }
}

function draw(data, root, state, setTriggerValue) {
  const onClick = (e) => {
    const layer = e.layer || e.sourceTarget;
    const id = layer && layer.feature && layer.feature.id;
    if (id != null) setTriggerValue("click", { id: String(id), n: ++state.clicks });
  };
  const bindClicks = (map) => {
    Object.values(map._layers).forEach((layer) => {
      layer.off("click", onClick);
      layer.on("click", onClick);
    });
  };

  if (state.hash !== data.hash) {
    if (state.map) {
      if (state.observer) state.observer.disconnect();
      state.map.remove();
      state.box.remove();
    }
    const box = document.createElement("div");
    box.className = "ntm-map-box " + (data.cls || "");
    box.style.height = cssLength(data.height);
    box.style.width = "100%";
    box.style.position = "relative";
    const div = document.createElement("div");
    div.id = data.uid;
    div.className = "folium-map";
    box.appendChild(div);
    root.insertBefore(box, state.foot);
    // Leaflet focuses its box on a click (keyboard panning) and then restores the *window's*
    // scroll; here the page scrolls inside Streamlit's main column, which would jump and make
    // the click miss its commune. Focus without scrolling.
    const focus = div.focus.bind(div);
    div.focus = (options) => focus(Object.assign({ preventScroll: true }, options || {}));
    if (state.placeholder) {
      state.placeholder.remove();
      state.placeholder = null;
    }
    const map = runScript(data.script, data.uid, null);
    box.__ntmMap = map;  // for page scripts and browser tests: the Leaflet map of this box
    state.map = map;
    state.box = box;
    state.hash = data.hash;
    state.groups = [];
    state.groupScript = null;
    // the column may change width (sidebar, window): Leaflet must re-measure its box
    state.observer = window.ResizeObserver ? new ResizeObserver(() => map.invalidateSize()) : null;
    if (state.observer) state.observer.observe(div);
  }
  const map = state.map;
  if (state.groupScript !== data.groups) {
    state.groups.forEach((g) => map.removeLayer(g));
    state.groups = [];
    const saved = window.feature_group;
    window.feature_group = [];
    try {
      if (data.groups) runScript(data.groups, data.uid, map);
      state.groups = window.feature_group;
    } finally {
      window.feature_group = saved;
    }
    state.groupScript = data.groups;
  }
  bindClicks(map);
  if (data.height) state.box.style.height = cssLength(data.height);
}
