"""The 2025 map (65 units) beside the 2015 map (226 units), in one run: payload and painted time.

Both maps are built the same way, with the app's own pipeline (``join_dataset`` ->
``compute_view`` -> ``build_view_layers``), for the illustrative 2015 data — on the 2025 units
*carried* by :func:`ntm_geo.datasets.carry.carry_to_2025` (labelled illustrative and derived) —
and the poverty rate (a variable both vintages have under the same name). Each is written as an
offline HTML page (Leaflet inlined, like the HTML export) to ``artifacts/bench/`` and opened in
headless Chromium from disk; the 2025 page also carries the 2015 district borders as a
switchable layer ("former districts", off by default). Printed per vintage:

* ``topology`` — bytes of the compact TopoJSON geometry (what the map page sends once per map);
* ``html`` — bytes of the whole offline page (Leaflet included);
* ``painted`` — median milliseconds from navigation until every unit's path is in the page;
* ``vertices`` of the web geometry.

Run from the repository root (boundary mirrors as for the tests)::

    python bench/vintage_maps.py [--runs 5] [--screenshots]

``--screenshots`` also saves the 2025 page at 1024×768 and 1920×1080 in
``artifacts/screenshots/`` (with the former district borders switched on in the second).
This measures the map pages as files, not the Streamlit app (whose map page shows the 2025 units
with ``units=2025``; its figures are bench/run_bench.py's job).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import folium  # noqa: E402  after the path set-up above
import shapely  # noqa: E402

from ntm_geo.datasets.carry import carry_to_2025  # noqa: E402
from ntm_geo.datasets.contract import load_illustrative  # noqa: E402
from ntm_geo.geo.boundaries import load_boundaries  # noqa: E402
from ntm_geo.geo.boundaries_2025 import load_boundaries_2025, web_payload_bytes  # noqa: E402
from ntm_geo.i18n import t  # noqa: E402
from ntm_geo.maps.mapbuild import build_view_layers  # noqa: E402
from ntm_geo.maps.mapview import build_base_map, map_html  # noqa: E402
from ntm_geo.maps.themes import compute_view, join_dataset  # noqa: E402

OUT = REPO / "artifacts" / "bench"
SHOTS = REPO / "artifacts" / "screenshots"
VARIABLE = "poverty_rate_pct"


def build_page(vintage: str) -> tuple[str, int, int, int]:
    """(html, topology bytes, vertices, units) of one vintage's offline poverty map."""
    b15 = load_boundaries()
    data = load_illustrative(2015)
    if vintage == "2015":
        units, table_data, outlines = b15.communes_web, data, b15.districts_web
        source = t("illustrative_data", "vi")
    else:
        b25 = load_boundaries_2025()
        carried = carry_to_2025(data)
        units, table_data = b25.communes_web.assign(district_name=""), carried.table
        outlines = b25.districts_web  # none: no district level in 2025
        source = t("illustrative_data", "vi") + " · số liệu suy ra / derived (2015 → 2025)"
    table = join_dataset(units, table_data)
    view = compute_view(table, VARIABLE, scheme="natural_breaks", k=5, lang="vi")
    layers = build_view_layers(
        table, outlines, view, year=2015, source=source, lang="vi", scheme="natural_breaks", district="",
        highlight=set(),
    )  # fmt: skip
    m = build_base_map(layers.bounds, tiles=None)
    m.add_child(layers.communes)
    if vintage == "2015":
        m.add_child(layers.outlines)
    else:
        former = folium.FeatureGroup(name="Ranh giới huyện cũ (2015) / former districts", show=False)
        folium.GeoJson(
            b15.districts_web[["district_name", "geometry"]],
            style_function=lambda _f: {"color": "#333", "weight": 2, "dashArray": "6 4", "fill": False},
            tooltip=folium.GeoJsonTooltip(["district_name"], labels=False),
        ).add_to(former)
        former.add_to(m)
        folium.LayerControl(collapsed=False).add_to(m)
    page = map_html(m, inline=True)
    vertices = int(shapely.get_num_coordinates(units.geometry.to_numpy()).sum())
    return page, web_payload_bytes(units), vertices, len(units)


def painted_ms(page, url: str, units: int) -> float:
    """Milliseconds from navigation until ``units`` unit paths exist in the map."""
    started = time.perf_counter()
    page.goto(url)
    page.wait_for_function(
        f"document.querySelectorAll('path.leaflet-interactive').length >= {units}", timeout=60_000
    )
    return (time.perf_counter() - started) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(REPO / "tests" / "browser"))
    from harness import chromium_path

    OUT.mkdir(parents=True, exist_ok=True)
    pages = {}
    for vintage in ("2015", "2025"):
        html, topo, vertices, units = build_page(vintage)
        path = OUT / f"vintage_map_{vintage}.html"
        path.write_text(html, encoding="utf-8")
        pages[vintage] = (path, topo, vertices, units, len(html.encode()))
    results = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.route("http*://**", lambda route: route.abort())  # offline: nothing may be fetched
        for vintage, (path, *_rest) in pages.items():
            units = pages[vintage][3]
            times = [painted_ms(page, path.as_uri(), units) for _ in range(args.runs)]
            results[vintage] = statistics.median(times)
        if args.screenshots:
            SHOTS.mkdir(parents=True, exist_ok=True)
            url = pages["2025"][0].as_uri()
            for (w, h), former in (((1024, 768), False), ((1920, 1080), True)):
                shot = browser.new_page(viewport={"width": w, "height": h})
                shot.goto(url)
                shot.wait_for_function("document.querySelectorAll('path.leaflet-interactive').length >= 65")
                if former:
                    shot.get_by_text("former districts").click()
                    shot.wait_for_timeout(300)
                shot.screenshot(path=str(SHOTS / f"map-2025-{w}x{h}.png"))
                shot.close()
        browser.close()
    print(f"{'vintage':8} {'units':>5} {'vertices':>9} {'topology B':>11} {'html B':>10} {'painted ms':>11}")
    for vintage, (_path, topo, vertices, units, size) in pages.items():
        print(f"{vintage:8} {units:>5} {vertices:>9} {topo:>11} {size:>10} {results[vintage]:>11.0f}")
    ratio = pages["2025"][1] / pages["2015"][1]
    print(f"2025 / 2015: topology {ratio:.2f}x, painted {results['2025'] / results['2015']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
