/* ntm-geo map runtime: draws communes from a compact TopoJSON topology and restyles them.
 *
 * Inlined into the base map's script by ntm_geo.maps.mapview.build_base_map (no extra request, no
 * CDN). Three entry points, called by the scripts of the folium elements in ntm_geo.maps.mapview:
 *
 *   ntmMap.geometry(map, host, topo)  decode `topo` (TopoJSON: quantised, delta-encoded arcs,
 *       object "c" = communes with id = commune_code and properties {n: name, d: district
 *       index}, "districts" = district names, object "d" = district borders as arc lists),
 *       add one SVG path per commune (class ntm-commune) and one per district (class
 *       ntm-district, drawn on top, not interactive) to `host` (the map or a feature group).
 *   ntmMap.outlines(map, host, topo)  district borders only (used when they come in their
 *       own feature group).
 *   ntmMap.style(map, host, s)  colours, tooltip values and labels, dimmed / highlighted
 *       classes for the communes drawn by the last ntmMap.geometry on `map`.
 *       s = {k: key of the commune order, p: palette, f: palette index per commune,
 *            v: display value per commune, l: tooltip labels, m: mode per commune
 *            (0 normal, 1 dimmed, 2 highlight), st: [normal, dimmed, highlight, hover] styles}.
 *
 * All text arrives HTML-escaped from Python; it is inserted as HTML only in tooltips.
 */
(function (root) {
  "use strict";
  if (root.ntmMap) return;

  // TopoJSON arcs -> arrays of [lat, lng] (Leaflet order); arcs are delta-encoded integers.
  function decodeArcs(topo) {
    var s = topo.transform.scale, t = topo.transform.translate;
    return topo.arcs.map(function (arc) {
      var x = 0, y = 0;
      return arc.map(function (p) {
        x += p[0]; y += p[1];
        return [y * s[1] + t[1], x * s[0] + t[0]];
      });
    });
  }

  // A ring (or line) from arc indices; ~i is arc i reversed; shared end points kept once.
  function stitch(arcs, ids) {
    var out = [];
    ids.forEach(function (i) {
      var a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      out.push.apply(out, out.length ? a.slice(1) : a);
    });
    return out;
  }

  function latlngs(arcs, g) {
    var rings = function (poly) { return poly.map(function (r) { return stitch(arcs, r); }); };
    return g.type === "MultiPolygon" ? g.arcs.map(rings) : rings(g.arcs);
  }

  var MODE_CLASS = ["ntm-commune", "ntm-commune ntm-dimmed", "ntm-commune ntm-highlight"];

  // Leaflet sets a path's class only when it creates the path: set the option for paths still
  // to come and the classes of the paths already drawn.
  function setMode(layer, mode, style) {
    layer._ntmStyle = style;
    layer.setStyle(style);
    layer.options.className = MODE_CLASS[mode];
    if (layer._path) layer._path.setAttribute("class", MODE_CLASS[mode] + " leaflet-interactive");
  }

  function tooltipHtml(state, i) {
    var layer = state.layers[i], rows = [];
    if (layer._ntmName !== undefined) rows.push(layer._ntmName);
    if (layer._ntmDistrict !== undefined) rows.push(state.districts[layer._ntmDistrict]);
    rows = rows.concat(state.values[i]);
    return "<table>" + rows.map(function (v, j) {
      return "<tr><th>" + (state.labels[j] || "") + "</th><td>" + (v == null ? "" : v) + "</td></tr>";
    }).join("") + "</table>";
  }

  function geometry(map, host, topo) {
    var arcs = decodeArcs(topo), state = {
      key: topo.key, arcs: arcs, layers: [], byId: {}, districts: topo.districts || [], labels: [], values: [],
      hover: {color: "#222222", weight: 2.5, opacity: 1.0},
    };
    var group = L.featureGroup();
    // smoothFactor 0, noClip: the rings are already simplified for the web (60 m) and 226 paths
    // are cheap to draw whole; Leaflet's per-path simplification and clipping cost ~7 ms of the
    // first paint (bench/README.md).
    topo.objects.c.geometries.forEach(function (g, i) {
      var layer = L.polygon(latlngs(arcs, g), {className: "ntm-commune", color: "#ffffff", weight: 0.7,
                                                fillColor: "#d9d9d9", fillOpacity: 0.85, smoothFactor: 0, noClip: true});
      layer.feature = {type: "Feature", id: g.id, properties: {}};
      layer._ntmName = g.properties.n;
      layer._ntmDistrict = g.properties.d;
      layer._ntmIndex = i;
      state.layers.push(layer);
      state.byId[g.id] = layer;
      group.addLayer(layer);
    });
    // One tooltip and one pair of hover handlers for all communes (a path's mouse events reach its
    // group with e.layer = the commune): 226 tooltips and 452 handlers cost ~10 ms of the first paint.
    group.bindTooltip(function (layer) { return tooltipHtml(state, layer._ntmIndex); }, {sticky: true, className: "ntm-tooltip"});
    // Leaflet draws tooltips under its controls: the legend fades while a tooltip would be hidden
    // under it (a commune near the legend on a small projector screen stays readable).
    var fadeLegends = function () {
      var tip = group.getTooltip(), el = tip && tip.isOpen() && tip.getElement();
      var box = el && el.getBoundingClientRect();
      map.getContainer().querySelectorAll(".ntm-legend").forEach(function (legend) {
        var r = legend.getBoundingClientRect();
        var over = !!box && box.left < r.right && box.right > r.left && box.top < r.bottom && box.bottom > r.top;
        legend.classList.toggle("ntm-under-tooltip", over);
      });
    };
    group.on("tooltipopen mousemove", fadeLegends);
    group.on("tooltipclose", function () { setTimeout(fadeLegends, 0); });
    group.on("mouseover", function (e) { e.layer.setStyle(state.hover); });
    group.on("mouseout", function (e) { e.layer.setStyle(e.layer._ntmStyle || {}); });
    map._ntm = state;
    host.addLayer(group);
    if (topo.objects.d) outlines(map, host, topo, arcs);
    return group;
  }

  function outlines(map, host, topo, arcs) {
    arcs = arcs || (topo.arcs ? decodeArcs(topo) : map._ntm && map._ntm.key === topo.key && map._ntm.arcs);
    if (!arcs) {
      console.error("ntmMap.outlines: no commune geometry with key " + topo.key + " on this map");
      return null;
    }
    var st = topo.outline || {color: "#333333", weight: 2.2, opacity: 0.9};
    var group = L.featureGroup();
    topo.objects.d.geometries.forEach(function (g) {
      var lines = g.arcs.map(function (line) { return stitch(arcs, line); });
      var shape = g.type === "MultiLineString"
        ? L.polyline(lines, L.extend({}, st, {className: "ntm-district", interactive: false, smoothFactor: 0, noClip: true}))
        : L.polygon(latlngs(arcs, g), L.extend({}, st, {className: "ntm-district", interactive: false, fill: false, smoothFactor: 0, noClip: true}));
      group.addLayer(shape);
    });
    host.addLayer(group);
    return group;
  }

  function style(map, host, s) {
    var state = map._ntm;
    if (!state || state.key !== s.k) {
      console.error("ntmMap.style: no commune geometry with key " + s.k + " on this map");
      return;
    }
    state.labels = s.l;
    state.values = s.v;
    state.hover = s.st[3];
    state.layers.forEach(function (layer, i) {
      var mode = s.m[i] || 0;
      setMode(layer, mode, L.extend({}, s.st[mode], {fillColor: s.p[s.f[i]]}));
      if (s.pu) {
        if (s.pu[i] == null) layer.unbindPopup(); else layer.bindPopup(String(s.pu[i]));
      }
    });
  }

  root.ntmMap = {geometry: geometry, outlines: outlines, style: style, decodeArcs: decodeArcs, stitch: stitch};
})(window);
