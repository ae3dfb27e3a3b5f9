"""Time and peak memory of importing each hostile table upload (issue 10, item 2).

Every file of :mod:`bench.hostile_files` is imported in a fresh subprocess with
``ntm_geo.datasets.importing.table.import_table(data, name, year=2015)`` (the code path of the data page
and of ``import-table``); the parent prints the wall-clock time, the child's peak RSS
(``os.wait4``'s ``ru_maxrss`` of that child), the time of the ``import_table`` call alone (the rest
is starting Python and importing pandas and the app: see ``baseline.csv``) and the outcome (imported, refused with the
first words of the message, or killed at the time/memory guard). Target: each file finishes or is
refused within 10 s and 500 MB.

``--readers`` instead compares the two streaming workbook readers on the raw .xlsx files, each
stopped by the same bounds (2,001 rows, 201 columns, 1,000 consecutive empty rows): openpyxl
``read_only=True`` and python-calamine.

``--src DIR`` imports ``ntm_geo`` from DIR (e.g. ``git archive`` of an older revision) to measure
it before a fix. Guards for the shared machine: ``--timeout`` (default 60 s) and an address-space
limit of ``--max-gb`` (default 3 GB) per child.

    python bench/hostile_uploads.py [--readers] [--src DIR] [--timeout S] [--max-gb G]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.hostile_files import HOSTILE  # noqa: E402  (after the path set-up above)

_IMPORT_CHILD = r"""
import json, sys
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import NtmGeoError
path, name = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
import resource, time
rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    report = import_table(data, name, year=2015)
    out = {"outcome": "imported", "detail": f"{report.ok_rows()} rows, {len(report.unmatched)} unmatched"}
except NtmGeoError as err:
    out = {"outcome": "refused", "detail": err.message_en}
except Exception as err:
    out = {"outcome": "crash", "detail": f"{type(err).__name__}: {err}"}
out["import_s"] = round(time.perf_counter() - t0, 2)
out["rss_before_import_mb"] = round(rss0 / 1024)
print(json.dumps(out))
"""

_READER_CHILD = r"""
import io, json, sys
path, reader = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
MAX_ROWS, MAX_COLS, EMPTY_RUN = 2001, 201, 1000
def bounded(rows):
    n = empty = 0
    for row in rows:
        n += 1
        cells = list(row)[:MAX_COLS]
        empty = empty + 1 if not any(c not in (None, "") for c in cells) else 0
        if n >= MAX_ROWS or empty >= EMPTY_RUN:
            break
    return n
try:
    if reader == "openpyxl":
        import openpyxl
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        ws = book.worksheets[0]
        ws.reset_dimensions()  # never trust the <dimension> the file declares
        n = bounded(ws.iter_rows(max_col=MAX_COLS, values_only=True))
    else:
        from python_calamine import CalamineWorkbook
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        n = bounded(book.get_sheet_by_index(0).iter_rows())
    out = {"outcome": "read", "detail": f"{n} rows"}
except Exception as err:
    out = {"outcome": "crash", "detail": f"{type(err).__name__}: {str(err)[:80]}"}
print(json.dumps(out))
"""


def _limit(max_bytes: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (max_bytes, max_bytes))

    return apply


def run_child(code: str, args: list[str], *, src: Path, timeout: float, max_gb: float) -> dict:
    """Run ``code`` in a fresh interpreter: wall time (s), the child's own peak RSS (MB, from
    ``os.wait4``'s resource usage of that pid) and its JSON outcome."""
    env = dict(os.environ, PYTHONPATH=str(src))
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            cwd=src,
            env=env,
            stdout=out,
            stderr=err,
            text=True,
            preexec_fn=_limit(int(max_gb * 2**30)),
        )
        deadline = start + timeout
        killed = False
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline and not killed:
                proc.kill()
                killed = True
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        text, errors = out.read().strip(), err.read().strip()
    if killed:
        result = {"outcome": "timeout", "detail": f"killed after {timeout:.0f} s"}
    elif text:
        result = json.loads(text.splitlines()[-1])
    else:
        tail = errors.splitlines()[-1:] or [f"exit {proc.returncode}"]
        result = {"outcome": "died", "detail": tail[0][:120]}
    result["seconds"] = round(elapsed, 2)
    result["peak_rss_mb"] = round(usage.ru_maxrss / 1024)  # KiB on Linux
    return result


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--readers", action="store_true", help="compare openpyxl read-only and calamine")
    p.add_argument("--src", type=Path, default=REPO, help="folder to import ntm_geo from")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--max-gb", type=float, default=3.0)
    p.add_argument("--only", help="comma-separated file names")
    args = p.parse_args(argv)
    names = args.only.split(",") if args.only else list(HOSTILE)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in names:
            path = Path(tmp) / name
            path.write_bytes(HOSTILE[name]())
            jobs = (
                [(r, _READER_CHILD, [str(path), r]) for r in ("openpyxl", "calamine")]
                if args.readers
                else [("import_table", _IMPORT_CHILD, [str(path), name])]
            )
            for label, code, child_args in jobs:
                if args.readers and not name.endswith(".xlsx"):
                    continue
                r = run_child(code, child_args, src=args.src, timeout=args.timeout, max_gb=args.max_gb)
                size = path.stat().st_size
                rows.append((name, size, label, r))
                peak = f"{r['peak_rss_mb']:,} MB"
                inner = f"{r['import_s']:6.2f} s" if "import_s" in r else "      —"
                print(
                    f"{name:26} {size / 1024:7,.0f} KB  {label:12} {r['seconds']:6.2f} s (call {inner})  {peak:>8}  "
                    f"{r['outcome']}: {r['detail'][:110]}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
