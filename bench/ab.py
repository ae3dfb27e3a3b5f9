"""A/B of the painted-map time of two (or more) copies of the app, loads interleaved.

    git worktree add /tmp/ab-old <rev>          # the copy to compare with
    python bench/ab.py 21 /tmp/ab-old .          # 21 rounds; the first directory is the baseline

Each round opens a fresh browser context per copy, in random order, and waits (as
``run_bench.py`` does, same viewport and criterion) for the 226 commune paths to be painted.
Prints per copy the median time from navigation to painted map and, against the baseline, the
median and mean of the per-round differences (paired: slow and fast moments of a shared machine
hit both copies of a round alike). Boundaries come from this repo's ``shapes/`` cache
(``NTM_GEO_SHAPES_DIR``), so a worktree needs no conversion of its own.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.run_bench import PAINTED_JS, VIEWPORT  # noqa: E402
from ntm_geo.geo.boundaries import SHAPES_ENV, shapes_dir  # noqa: E402
from tests.browser import harness  # noqa: E402

if TYPE_CHECKING:
    from playwright.sync_api import Browser


T = TypeVar("T")


def ab_args(doc: str) -> tuple[int, list[Path]]:
    """The A/B scripts' command line: the number of rounds and the app copies (resolved; the
    first is the baseline)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("rounds", type=int)
    parser.add_argument(
        "dirs", nargs="+", type=Path, help="app copies (each with app.py); the first is the baseline"
    )
    args = parser.parse_args()
    return args.rounds, [d.resolve() for d in args.dirs]


def interleaved(dirs: list[Path], rounds: int, measure: Callable[[Browser, str], T]) -> dict[Path, list[T]]:
    """Start one Streamlit server per copy in ``dirs`` (boundaries from this repo's ``shapes/``),
    then ``rounds + 1`` times call ``measure(browser, base_url)`` once per copy, in random order;
    round 0 warms the caches and is not kept. The servers are stopped whatever happens."""
    from playwright.sync_api import sync_playwright

    env = {SHAPES_ENV: str(shapes_dir())}
    servers = []
    runs: dict[Path, list[T]] = {d: [] for d in dirs}
    try:
        for d in dirs:
            servers.append(harness.start_streamlit(d / "app.py", cwd=d, env=env))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=harness.chromium_path(), headless=True,
                                         args=harness.CHROMIUM_ARGS)  # fmt: skip
            for r in range(rounds + 1):  # round 0 warms the caches, not reported
                order = list(zip(dirs, servers, strict=True))
                random.shuffle(order)
                for d, server in order:
                    res = measure(browser, server.base_url)
                    if r:
                        runs[d].append(res)
                print(f"round {r}/{rounds} done", file=sys.stderr, flush=True)
            browser.close()
    finally:
        for server in servers:
            server.stop()
    return runs


def painted_ms(browser: Browser, base_url: str) -> float:
    """Navigation -> the 226 commune paths painted (ms), in a fresh browser context."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.goto(base_url, wait_until="commit")
    painted = page.wait_for_function(PAINTED_JS, arg=[None, harness.COMMUNE_SELECTOR, 226, None],
                                     polling="raf", timeout=60_000).json_value()  # fmt: skip
    context.close()
    return float(painted)


def main() -> int:
    rounds, dirs = ab_args(__doc__ or "")
    times = interleaved(dirs, rounds, painted_ms)
    base = dirs[0]
    for d in dirs:
        diffs = [a - b for a, b in zip(times[d], times[base], strict=False)]
        print(
            f"{d!s:40s} median {statistics.median(times[d]):6.0f} ms   paired difference: median "
            f"{statistics.median(diffs):+5.0f}, mean {statistics.mean(diffs):+5.0f} ms   "
            f"runs {[round(t) for t in times[d]]}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
