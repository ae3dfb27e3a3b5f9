"""Command line: ``python -m ntm_geo <command> ...``.

Commands are rows of :data:`COMMANDS` — (name, help, configure, handler) — so adding one is one
function pair and one row (or a call to :func:`register`):

``check-report --year {2011,2015} [--dataset CSV] [--json] [--lang {vi,en}]``
    Recompute the report's province figures from a dataset (default: the illustrative one) and
    print them side by side with the report; exit status 1 if any differs.
``crosswalk --from 2015 --to 2025 [--json]``
    For every 2015 unit, its 2025 unit(s) with area shares (:mod:`ntm_geo.cli.crosswalk`).
``carry OUT.csv [--dataset ID] [--year Y]``
    A dataset year carried to the 65 units of 2025, every value marked derived.
``vintage FILE [--json]``
    Which unit vintage a table is keyed by; notices for rows naming former units.
``generate-illustrative [--out DIR] [--seed N]``
    Regenerate the illustrative CSVs (default into ``data/illustrative/``).
``frameworks [--json] [--lang {vi,en}] [--id ID] [--file F.yaml ...]``
    List the criteria frameworks (years, criteria, indicators, sources); see
    :mod:`ntm_geo.cli.frameworks`.

Errors of the application (:class:`~ntm_geo.errors.NtmGeoError`) are printed in both languages
and give exit status 2.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from ntm_geo.bilingual import Bilingual
from ntm_geo.cli import argerrors
from ntm_geo.errors import NtmGeoError

if TYPE_CHECKING:
    import pandas as pd

Handler = Callable[[argparse.Namespace], int]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    configure: Configure
    handler: Handler


COMMANDS: list[Command] = []


def register(name: str, help: str, configure: Configure, handler: Handler) -> None:
    """Add a subcommand (name must be new)."""
    if any(c.name == name for c in COMMANDS):
        raise ValueError(
            f"Command {name!r} is already registered; registered: {', '.join(c.name for c in COMMANDS)}"
        )
    COMMANDS.append(Command(name, help, configure, handler))


# --- check-report ---------------------------------------------------------------------------


def _configure_check(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", type=int, required=True, choices=(2011, 2015), help="report year")
    p.add_argument(
        "--dataset",
        help="table to check: a dataset CSV or any file import-table reads (the Excel or "
        "CSV template, Vietnamese headers...); default: the illustrative dataset",
    )
    p.add_argument("--json", action="store_true", help="print a JSON object keyed by figure key")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the labels (default vi)")


def _json_value(value: float) -> float | int | None:
    if math.isnan(value):
        return None
    return int(value) if float(value).is_integer() else round(value, 4)


def _read_dataset(path_text: str, year: int) -> pd.DataFrame:
    """The table of ``path_text`` read and matched as ``import-table`` does; rows that could not
    be used are counted on stderr (``import-table FILE --dry-run`` lists them)."""
    from pathlib import Path

    from ntm_geo.datasets import schema
    from ntm_geo.datasets.importing.table import import_table
    from ntm_geo.errors import DataError

    path = Path(path_text)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(
            f"{path.name}: file not found.", f"{path.name}: không tìm thấy tệp.", file=path.name
        ) from None
    except OSError as err:
        raise DataError(
            f"{path}: cannot read the file ({err.strerror}).",
            f"{path}: không đọc được tệp ({err.strerror}).",
            file=str(path),
        ) from None
    # only compared, never saved: an export of the illustrative data is read, with a note (stderr)
    report = import_table(data, path.name, year=year, accept_illustrative=True)
    if report.provenance is not None and report.provenance.illustrative:
        print(
            f"Lưu ý: {path.name} được xuất từ dữ liệu minh họa, không phải số liệu thật của tỉnh.\n"
            f"Note: {path.name} is an export of the illustrative data, not the province's real figures.",
            file=sys.stderr,
        )
    if not report.ok_rows():
        raise DataError(
            f"{path.name}: no row could be matched to a unit; see `python -m ntm_geo import-table "
            f"{path} --dry-run`.",
            f"{path.name}: không dòng nào khớp được với đơn vị; xem `python -m ntm_geo import-table "
            f"{path} --dry-run`.",
            file=path.name,
        )
    unused = len(report.unmatched) + len(report.duplicates) + len({i.row for i in report.out_of_range})
    if unused:
        print(
            f"Lưu ý: {unused} dòng không dùng được (xem import-table {path} --dry-run).\n"
            f"Note: {unused} row{'s' if unused != 1 else ''} could not be used (see import-table {path} --dry-run).",
            file=sys.stderr,
        )
    empty = [
        c for c in (*schema.pct_keys(), *schema.column_keys("flag")) if report.table[c].isna().all()
    ]  # not given: no data
    return report.table.drop(columns=empty)


def _check_report(args: argparse.Namespace) -> int:
    from ntm_geo.criteria.report_check import compare
    from ntm_geo.datasets.contract import load_illustrative
    from ntm_geo.datasets.illustrative import load_units

    dataset = _read_dataset(args.dataset, args.year) if args.dataset else load_illustrative(args.year)
    rows = compare(dataset, load_units(), args.year)
    if args.json:
        payload = {
            r.key: {
                "label": Bilingual.of(r, "label").pick(args.lang),
                "report": _json_value(r.report_value),
                "computed": _json_value(r.computed_value),
                "tolerance": r.tolerance,
                "unit": r.unit,
                "ok": r.ok,
            }
            for r in rows
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        head = (
            Bilingual("Số liệu", "Figure").pick(args.lang),
            Bilingual("Báo cáo", "Report").pick(args.lang),
            Bilingual("Tính lại", "Computed").pick(args.lang),
            "",
        )
        table = [
            (
                Bilingual.of(r, "label").pick(args.lang),
                r.value_text(r.report_value, args.lang),
                r.value_text(r.computed_value, args.lang),
                "✓" if r.ok else "✗",
            )
            for r in rows
        ]
        width = [max(len(head[i]), *(len(t[i]) for t in table)) for i in range(3)]
        print(f"{head[0]:<{width[0]}}  {head[1]:>{width[1]}}  {head[2]:>{width[2]}}  {head[3]}")
        for label, rep, comp, mark in table:
            print(f"{label:<{width[0]}}  {rep:>{width[1]}}  {comp:>{width[2]}}  {mark}")
        bad = sum(not r.ok for r in rows)
        summary = Bilingual(
            "{ok}/{n} số liệu khớp với Báo cáo 48/BC-BCĐ năm {year}.",
            "{ok}/{n} figures match report 48/BC-BCĐ for {year}.",
        )
        print("\n" + summary.format(ok=len(rows) - bad, n=len(rows), year=args.year).pick(args.lang))
    return 0 if all(r.ok for r in rows) else 1


# --- generate-illustrative ------------------------------------------------------------------


def _configure_generate(p: argparse.ArgumentParser) -> None:
    from ntm_geo.datasets.contract import ILLUSTRATIVE_DIR as DATA_DIR
    from ntm_geo.datasets.illustrative import SEED

    p.add_argument("--out", default=str(DATA_DIR), help=f"output folder (default {DATA_DIR})")
    p.add_argument("--seed", type=int, default=SEED, help=f"random seed (default {SEED})")


def _generate(args: argparse.Namespace) -> int:
    from ntm_geo.datasets.illustrative import generate_files

    for path in generate_files(args.out, seed=args.seed):
        print(path)
    return 0


register(
    "check-report",
    "compare a dataset with the figures of report 48/BC-BCĐ (2016)",
    _configure_check,
    _check_report,
)
register(
    "generate-illustrative", "regenerate the illustrative per-commune CSVs", _configure_generate, _generate
)


def _configure_build_shapes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="rebuild even when the cache is fresh")
    p.add_argument(
        "--vintage",
        choices=("2015", "2025"),
        default="2015",
        help="unit vintage: 2015 (censusVN2009, default) or 2025 (65 units, NTM_GEO_BOUNDARY_MIRROR_2025)",
    )


def _build_shapes(args: argparse.Namespace) -> int:
    from ntm_geo.geo import boundaries

    if args.vintage == "2025":
        from ntm_geo.cli.crosswalk import build_shapes_2025

        return build_shapes_2025(force=args.force)
    cache = boundaries.shapes_dir()
    if args.force:
        for name in ("lang_son_meta.json",):
            (cache / name).unlink(missing_ok=True)
    fresh = boundaries.cache_is_fresh(cache)
    b = boundaries.load_boundaries(progress=lambda f, m: print(f"[{f:4.0%}] {m}", flush=True))
    report = boundaries.topology_report(b.communes)
    print(f"{'cache' if fresh else 'built'}: {cache}")
    print(
        f"units {len(b.communes)} ({b.communes['unit_type'].value_counts().to_dict()}), districts {len(b.districts_web)}"
    )
    print(
        f"sum of unit areas {report['sum_km2']:.1f} km², union {report['union_km2']:.1f} km², "
        f"overlap ratio {report['overlap_ratio']:.2e}, gaps {int(report['interior_gaps'])}"
    )
    print(f"web simplification: coverage_simplify, tolerance {boundaries.WEB_TOLERANCE_M:.0f} m")
    return 0


register(
    "build-shapes",
    "download/verify communes.rda and build the Lạng Sơn boundary cache in shapes/",
    _configure_build_shapes,
    _build_shapes,
)

from ntm_geo.cli.import_table import IMPORT_TABLE  # noqa: E402 - registered here, after the commands above (their order in --help): import-table (issue 3)

register(*IMPORT_TABLE)
from ntm_geo.cli.export_map import EXPORT_MAP  # noqa: E402 - registered here, after the commands above (their order in --help): export-map (issue 4)

register(*EXPORT_MAP)
from ntm_geo.cli.import_boundaries import IMPORT_BOUNDARIES  # noqa: E402 - registered here, after the commands above (their order in --help): import-boundaries (issue 10)

register(*IMPORT_BOUNDARIES)
from ntm_geo.cli.crosswalk import CARRY, CROSSWALK, VINTAGE  # noqa: E402 - registered here, after the commands above (their order in --help): unit vintages (issue 12)

register(*CROSSWALK)
register(*VINTAGE)
register(*CARRY)
from ntm_geo.cli.frameworks import FRAMEWORKS  # noqa: E402 - registered here, after the commands above (their order in --help): frameworks (issue 13)

register(*FRAMEWORKS)
from ntm_geo.cli.template import TEMPLATE  # noqa: E402 - registered here, after the commands above (their order in --help): template (issue 13)

register(*TEMPLATE)


# --- entry point ----------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """argparse, but its errors are in Vietnamese and English ("Lỗi: …" / "Error: …", as every
    other error of the command line), and a bad argument on a command line that asked for
    ``--json`` also prints the error as JSON on stdout (scripts read stdout); the usage goes to
    stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        vi = argerrors.message_vi(message)
        if "--json" in sys.argv[1:] or "--json" in _ARGV:
            print(
                json.dumps(
                    {
                        "error": {
                            "message_vi": f"Tham số không hợp lệ: {vi}",
                            "message_en": f"Invalid arguments: {message}",
                            "file": None,
                            "row": None,
                            "column": None,
                        }
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {vi}\nError: {message}\n")


_ARGV: list[str] = []


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m ntm_geo", description="ntm-geo command line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for cmd in COMMANDS:
        p = sub.add_parser(cmd.name, help=cmd.help, description=cmd.help)
        cmd.configure(p)
        p.set_defaults(handler=cmd.handler)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    _ARGV[:] = list(argv) if argv is not None else []
    args = build_parser().parse_args(argv)
    try:
        status: int = args.handler(args)  # every command's handler returns its exit status
        return status
    except NtmGeoError as err:
        if getattr(args, "json", False):  # a script asked for JSON: the error is JSON too (stdout)
            print(
                json.dumps(
                    {
                        "error": {
                            "message_vi": err.message_vi,
                            "message_en": err.message_en,
                            "file": err.file,
                            "row": err.row,
                            "column": err.column,
                        }
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        print(f"Lỗi: {err.message_vi}\nError: {err.message_en}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
