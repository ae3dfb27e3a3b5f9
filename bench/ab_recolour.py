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

import statistics
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.ab import ab_args, interleaved  # noqa: E402
from bench.run_bench import rerun_recolour  # noqa: E402

FIGURES = ("recolour_ms", "server_ms", "client_ms", "to_data_ms", "ws_bytes")


def main() -> int:
    rounds, dirs = ab_args(__doc__ or "")
    runs = interleaved(dirs, rounds, rerun_recolour)
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
