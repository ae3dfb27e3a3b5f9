"""A/B of the theme change (figure 7) of two (or more) copies of the app, reruns interleaved.

    git worktree add /tmp/ab-old <rev>                 # the copy to compare with
    python bench/ab_recolour.py 9 /tmp/ab-old .         # 9 rounds; the first directory is the baseline

Each round runs, per copy and in random order, ``run_bench.rerun_recolour`` (a fresh browser
context: load, wait for the page to settle, switch the theme criteria -> poverty; the page's own
clock) and prints per copy the medians of click -> recoloured, (a) click -> the map's message,
(b) message -> recoloured and message -> the map module called, and the median of the paired
per-round differences of click -> recoloured against the baseline (slow and fast moments of a
shared machine hit both copies of a round alike). Round 0 warms each server up (the first poverty
view of the process) and is not counted. Boundaries come from this repo's ``shapes/`` cache.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.run_bench import rerun_recolour  # noqa: E402
from ntm_geo.geo.boundaries import SHAPES_ENV, shapes_dir  # noqa: E402
from tests.browser import harness  # noqa: E402

FIGURES = ("recolour_ms", "server_ms", "client_ms", "to_data_ms", "ws_bytes")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", type=int)
    parser.add_argument(
        "dirs", nargs="+", type=Path, help="app copies (each with app.py); the first is the baseline"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = {SHAPES_ENV: str(shapes_dir())}
    dirs = [d.resolve() for d in args.dirs]
    servers = []
    runs: dict[Path, list[dict]] = {d: [] for d in dirs}
    try:
        for d in dirs:
            servers.append(harness.start_streamlit(d / "app.py", cwd=d, env=env))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=harness.chromium_path(), headless=True,
                                         args=harness.CHROMIUM_ARGS)  # fmt: skip
            for r in range(args.rounds + 1):  # round 0 warms the caches, not reported
                order = list(zip(dirs, servers, strict=True))
                random.shuffle(order)
                for d, server in order:
                    res = rerun_recolour(browser, server.base_url)
                    if r:
                        runs[d].append(res)
                print(f"round {r}/{args.rounds} done", file=sys.stderr, flush=True)
            browser.close()
    finally:
        for server in servers:
            server.stop()
    base = dirs[0]
    for d in dirs:
        med = {f: statistics.median(x[f] for x in runs[d] if x[f] is not None) for f in FIGURES}
        diffs = [a["recolour_ms"] - b["recolour_ms"] for a, b in zip(runs[d], runs[base], strict=True)]
        print(
            f"{d!s:32s} recolour {med['recolour_ms']:5.0f} ms = (a) {med['server_ms']:4.0f} + (b) "
            f"{med['client_ms']:4.0f} (module called {med['to_data_ms']:4.0f}) ms, {med['ws_bytes'] / 1024:.1f} KiB;"
            f" paired difference median {statistics.median(diffs):+4.0f} ms;"
            f" runs {[round(x['recolour_ms']) for x in runs[d]]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
