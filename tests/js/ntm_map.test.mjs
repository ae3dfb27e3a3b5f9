// Unit tests of the map module (node --test; run by tests/test_map_module.py): its pure parts, and mount with a stubbed page.
import { test } from "node:test";
import assert from "node:assert/strict";
import mount, {
  VERSION, digit, decodeArcs, stitch, latlngs, tooltipRows, unitStyle, legendRows, placeLabels,
  anyPointIn, paddingCandidates, keyTarget, decodeSpec, unpackStyle, labelGap,
} from "../../ntm_geo/maps/static/ntm_map.js";

const TOPO = {
  transform: { scale: [0.5, 0.25], translate: [100, 20] },
  arcs: [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, 0], [0, -4]]],
};

test("the module has a version", () => {
  assert.match(VERSION, /^\d+\.\d+\.\d+$/);
});

test("decodeArcs undoes the delta encoding and gives [lat, lng]", () => {
  const arcs = decodeArcs(TOPO);
  assert.deepEqual(arcs[0], [[20, 100], [20, 101], [21, 101]]);
  assert.deepEqual(arcs[1], [[21, 101], [21, 100], [20, 100]]);
});

test("stitch joins arcs, reverses ~i and keeps shared end points once", () => {
  const arcs = decodeArcs(TOPO);
  const ring = stitch(arcs, [0, 1]);
  assert.equal(ring.length, 5);
  assert.deepEqual(ring[0], ring[4]);
  assert.deepEqual(stitch(arcs, [~1]), arcs[1].slice().reverse());
  assert.deepEqual(latlngs(arcs, { type: "MultiPolygon", arcs: [[[0, 1]]] }), [[ring]]);
});

test("tooltipRows pairs labels with name, group and values; text stays text", () => {
  const unit = { properties: { n: "Xã <b>A</b>", d: 1 } };
  const style = { l: ["Xã", "Huyện", "Số tiêu chí"], v: [null, 17] };
  assert.deepEqual(tooltipRows(unit, ["H0", "Huyện Lộc Bình"], style, 1), [
    ["Xã", "Xã <b>A</b>"], ["Huyện", "Huyện Lộc Bình"], ["Số tiêu chí", "17"],
  ]);
  // a vintage without districts: no group row
  assert.deepEqual(tooltipRows({ properties: { n: "X" } }, [], { l: ["Xã", "v"], v: [null] }, 0), [["Xã", "X"], ["v", ""]]);
});

test("unitStyle picks the mode's style and the palette colour", () => {
  const style = { p: ["#111111", "#222222"], f: "10", m: "02", st: [{ weight: 1 }, { weight: 0.5 }, { weight: 3 }] };
  assert.deepEqual(unitStyle(style, 0), [0, { weight: 1, fillColor: "#222222" }]);
  assert.deepEqual(unitStyle(style, 1), [2, { weight: 3, fillColor: "#111111" }]);
  assert.deepEqual(unitStyle({ ...style, m: "" }, 1), [0, { weight: 1, fillColor: "#111111" }]); // "" = all normal
});

test("digit reads base-36 indices", () => {
  assert.equal(digit("0a", 1), 10);
  assert.equal(digit("", 5), 0);
  assert.equal(digit(undefined, 0), 0);
});

test("legendRows writes counts the Vietnamese way and refuses non-hex colours", () => {
  const rows = legendRows({ entries: [["#006837", "19 tiêu chí", 1234], ["red;x:y", "khác", null]] });
  assert.deepEqual(rows[0], { colour: "#006837", label: "19 tiêu chí", count: "1.234" });
  assert.equal(rows[1].colour, "#d9d9d9");
  assert.equal(rows[1].count, "");
});

const R = (left, top, w = 10, h = 10) => ({ left, top, right: left + w, bottom: top + h });

test("placeLabels culls overlapping labels in priority order", () => {
  const out = placeLabels([R(0, 0), R(5, 5), R(50, 50)], [], "cull");
  assert.deepEqual(out.map((p) => p.hidden), [false, true, false]);
});

test("placeLabels nudges a label off one placed before it, or hides it when crowded", () => {
  const [first, second] = placeLabels([R(0, 0, 40, 10), R(0, 0, 40, 10)], [], "nudge");
  assert.deepEqual(first, { dx: 0, dy: 0, hidden: false });
  assert.ok(second.dy !== 0 && !second.hidden);
  const crowded = placeLabels([R(0, 0, 40, 10)], [R(-100, -100, 300, 300)], "nudge", true);
  assert.equal(crowded[0].hidden, true);
});

test("anyPointIn and paddingCandidates: the fit keeps units clear of corner boxes", () => {
  assert.equal(anyPointIn([5, 5], [R(0, 0)]), true);
  assert.equal(anyPointIn([15, 5], [R(0, 0)]), false);
  assert.equal(anyPointIn([15, 5, 5, 5], [R(0, 0)]), true); // the second point
  // zoom-0 points at scale 4 and origin (10, 0): (3.5, 1) -> (4, 4), inside; (1, 1) -> (-6, 4), not
  assert.equal(anyPointIn([3.5, 1], [R(0, 0)], 4, 10, 0), true);
  assert.equal(anyPointIn([1, 1], [R(0, 0)], 4, 10, 0), false);
  const c = paddingCandidates([{ corner: "topright", width: 300, height: 200 }]);
  assert.deepEqual(c, [
    { tl: [0, 0], br: [0, 0] }, { tl: [0, 0], br: [308, 0] }, { tl: [0, 208], br: [0, 0] },
  ]);
  assert.equal(paddingCandidates([{ corner: "topright", width: 1, height: 1 }, { corner: "bottomleft", width: 1, height: 1 }]).length, 9);
});

test("keyTarget maps slide keys and ignores typing and modifiers", () => {
  const keys = { ArrowRight: "ntm_next", PageUp: "ntm_prev" };
  assert.equal(keyTarget({ key: "ArrowRight", target: { tagName: "DIV" } }, keys), "ntm_next");
  assert.equal(keyTarget({ key: "PageUp", target: null }, keys), "ntm_prev");
  assert.equal(keyTarget({ key: "ArrowRight", target: { tagName: "INPUT" } }, keys), null);
  assert.equal(keyTarget({ key: "ArrowRight", ctrlKey: true, target: null }, keys), null);
  assert.equal(keyTarget({ key: "x", target: null }, keys), null);
  assert.equal(keyTarget({ key: "ArrowRight", target: null }, null), null);
});

test("decodeSpec reads the compact UTF-8 bytes Python sends and unpacks the tooltip values", () => {
  // as mapbuild.wire_bytes writes it (tests/test_mapbuild.py checks the Python side)
  const wire = '{"v":1,"page":{"title":"Tỷ lệ hộ nghèo"},"style":{"p":["#fff"],"f":"","vs":"0,8||12,6","vsep":"|","vx":" %","l":["Xã"]}}';
  const spec = decodeSpec(new TextEncoder().encode(wire));
  assert.equal(spec.page.title, "Tỷ lệ hộ nghèo");
  assert.deepEqual(spec.style.v, ["0,8 %", null, "12,6 %"]);
  assert.equal(spec.style.vs, undefined);
  assert.deepEqual(spec.style.l, ["Xã"]);
  // a JSON string, or an object (a list of values sent as it is), reads the same way
  assert.deepEqual(decodeSpec(wire).style.v, ["0,8 %", null, "12,6 %"]);
  const plain = { style: { v: [17, null] } };
  assert.deepEqual(decodeSpec(plain).style.v, [17, null]);
  const packed = { style: { vs: "a|", vsep: "|", vx: "" } };
  assert.deepEqual(decodeSpec(packed).style.v, ["a", null]);
  assert.equal(packed.style.vs, "a|"); // the object handed over is not changed
  assert.deepEqual(tooltipRows({ properties: {} }, [], spec.style, 2), [["Xã", "12,6 %"]]);
});

test("unpackStyle: another separator, no suffix", () => {
  assert.deepEqual(unpackStyle({ vs: "a|b~c~", vsep: "~", vx: "" }).v, ["a|b", "c", null]);
});

test("nudged labels keep a third of their height clear: stacked Vietnamese marks do not touch", () => {
  assert.equal(labelGap(26), 9);
  assert.equal(labelGap(6), 4);
  // "Cao Lộc" placed first; "TP Lạng Sơn" 5 px below it (a 4 px gap let them touch at 1024 px)
  const [, second] = placeLabels([R(0, 0, 90, 26), R(0, 31, 140, 26)], [], "nudge");
  assert.ok(second.dx !== 0 || second.dy !== 0, "moved off the label above");
  const moved = R(0 + second.dx, 31 + second.dy, 140, 26);
  const apart = moved.top >= 26 + labelGap(26) || moved.bottom + labelGap(26) <= 0 ||
    moved.left >= 90 + labelGap(26) || moved.right + labelGap(26) <= 0;
  assert.ok(apart, JSON.stringify(second));
});

test("a map that cannot be drawn shows the page's error text alone; the browser's message goes to the console", async () => {
  // trial 8, M4: the text ended with the browser's English error, "… (Failed to fetch)"
  const node = (tag) => ({
    tag, style: {}, children: [], textContent: "",
    setAttribute() {}, append(...c) { this.children.push(...c); }, appendChild(c) { this.children.push(c); },
    prepend(...c) { this.children.unshift(...c); }, insertBefore(c) { this.children.push(c); }, remove() {},
  });
  const saved = { document: globalThis.document, fetch: globalThis.fetch, error: console.error };
  const logged = [];
  globalThis.document = { createElement: node };
  globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));
  console.error = (...args) => logged.push(args);
  try {
    const root = node("div");
    const spec = { topology: { url: "/app/static/topo/missing.json" }, error: "Không vẽ được bản đồ: …", options: { height: 500 } };
    await mount({ parentElement: root, setTriggerValue() {}, data: new TextEncoder().encode(JSON.stringify(spec)) });
    const shown = root.children.flatMap((c) => [c, ...c.children]).filter((c) => c.className === "ntm-map-error");
    assert.equal(shown.length, 1);
    assert.equal(shown[0].textContent, "Không vẽ được bản đồ: …");
    assert.equal(logged.length, 1);
    assert.match(String(logged[0][0]), /Failed to fetch/);
  } finally {
    globalThis.document = saved.document;
    globalThis.fetch = saved.fetch;
    console.error = saved.error;
  }
});
