"""``python -m ntm_geo template``: the import template of a year's criteria framework, as a file.

::

    python -m ntm_geo template --year 2015 [--framework ID] [--format xlsx|csv] [--lang vi|en] [-o FILE]

Writes the same template the data page offers (:func:`ntm_geo.datasets.template.template_xlsx` /
:func:`~ntm_geo.datasets.template.template_csv`): one row per unit, the criteria of the year's
framework (or ``--framework``, e.g. a province's own in ``NTM_GEO_FRAMEWORKS_DIR``), its indicator
columns with their units and thresholds. The format is ``--format``, else the extension of
``-o`` (``.csv`` or ``.xlsx``), else xlsx; a contradiction (``--format xlsx -o x.csv``) or another
extension stops with exit status 2 before anything is written. Default file: ``mau_ntm_<year>_<framework>.<format>``
in the current folder. Prints the file written, the framework and the units listed (the 226 of
2015 up to 2025, the 65 of 1 July 2025 from 2026: :func:`~ntm_geo.datasets.template.template_units`); an unknown framework or a year
no framework covers stops with exit status 2 and a Vietnamese and English message.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from ntm_geo.datasets.template import table_framework, template_csv, template_units, template_xlsx
from ntm_geo.errors import ConfigError

_FORMATS = ("xlsx", "csv")


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--year", type=int, required=True, help="year of the table (pre-filled; chooses the framework)"
    )
    p.add_argument("--framework", dest="framework_id", help="criteria framework id (default: the year's)")
    p.add_argument(
        "--format",
        choices=_FORMATS,
        help="file format (default: the extension of -o, else xlsx); must agree with -o's extension",
    )
    p.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="sheet names and title (xlsx; default vi)"
    )
    p.add_argument(
        "-o", "--output", type=Path, help="file to write (default mau_ntm_<year>_<framework>.<format>)"
    )


def output_format(output: Path | None, requested: str | None) -> str:
    """The template's file format: ``requested`` (``--format``), else the extension of ``output``
    (``.csv`` → ``"csv"``, ``.xlsx`` → ``"xlsx"``, any case), else ``"xlsx"``.

    Raises :class:`~ntm_geo.errors.ConfigError` (bilingual, naming the file) when ``output`` has
    another extension (an Excel file in ``x.xls`` or ``x.txt`` would not open as what it is
    called), or when ``requested`` contradicts the extension (``--format xlsx -o x.csv``).
    """
    if output is None:
        return requested or "xlsx"
    ext = output.suffix.lower().lstrip(".")
    if ext not in _FORMATS:
        raise ConfigError(
            f"{output.name}: unknown file extension {output.suffix or '(none)'}; "
            f"name the file .xlsx (Excel) or .csv.",
            f"{output.name}: phần mở rộng {output.suffix or '(không có)'} không được hỗ trợ; "
            f"đặt tên tệp .xlsx (Excel) hoặc .csv.",
            file=output.name,
        )
    if requested is not None and requested != ext:
        raise ConfigError(
            f"{output.name}: --format {requested} does not match the file's extension .{ext}; "
            f"drop --format or name the file .{requested}.",
            f"{output.name}: --format {requested} không khớp với phần mở rộng .{ext} của tệp; "
            f"bỏ --format hoặc đặt tên tệp .{requested}.",
            file=output.name,
        )
    return ext


def _run(args: argparse.Namespace) -> int:
    fmt = output_format(args.output, args.format)  # before any work: a mismatch writes nothing
    fw = table_framework(args.year, args.framework_id)
    data = template_xlsx(args.year, args.lang, fw.id) if fmt == "xlsx" else template_csv(args.year, fw.id)
    path: Path = args.output or Path(f"mau_ntm_{args.year}_{fw.id}.{fmt}")
    path.write_bytes(data)
    units = template_units(args.year)
    print(f"{path} — {fw.label('vi')} / {fw.label('en')}; {len(fw.indicators)} chỉ tiêu / indicators")
    print(f"{units.label_vi} / {units.label_en}")
    return 0


#: (name, help, configure, handler) for :func:`ntm_geo.__main__.register`.
TEMPLATE = (
    "template",
    "write the import template (Excel or CSV) of a year's criteria framework",
    _configure,
    _run,
)
