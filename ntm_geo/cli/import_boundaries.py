"""Command ``python -m ntm_geo import-boundaries FILE``: import replacement commune boundaries.

``import-boundaries FILE [--crs KEY] [--encoding E] [--dry-run] [--json] [--name NAME]
[--lang {vi,en}]``

The same code path as the Province data page: :func:`ntm_geo.geo.boundary_upload.import_boundaries`
reads the file (a zipped shapefile, a GeoPackage or GeoJSON: its content checked, opened only by
an allowed GDAL driver in a sandboxed child process), reprojects and matches it, and prints the
match report (or, with ``--json``, an object with ``file``, ``source_crs``, ``encoding``,
``notes``, ``complete``, ``matched``, ``unmatched``, ``duplicates``, ``units_without_feature`` and
``saved``). Unless ``--dry-run``, a complete import is saved as the active boundaries with
:func:`ntm_geo.geo.boundary_upload.save` (editor password from ``$NTM_GEO_EDITOR_PASSWORD``).

Exit status: 0 complete (saved, or checked with ``--dry-run``); 1 read and matched but incomplete
(some unit has no polygon or two: nothing saved); 2 the file is refused or unreadable, or saving
is unavailable — printed in Vietnamese and English; with ``--json`` the error is the object
``{"error": {"message_vi", "message_en", "file", "row", "column"}}`` on standard output, as for
``import-table``.

Registered by :data:`IMPORT_BOUNDARIES` (a row for :func:`ntm_geo.__main__.register`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError

TEXT: dict[str, tuple[str, str]] = {
    "summary": ("Tệp {file}: {summary}.", "File {file}: {summary}."),
    "crs": (
        "Hệ tọa độ đã dùng: {crs}; bảng mã chữ: {encoding}.",
        "CRS used: {crs}; text encoding: {encoding}.",
    ),
    "unmatched": ("Đối tượng không khớp", "Unmatched features"),
    "duplicates": ("Đối tượng trùng đơn vị", "Features matching the same unit"),
    "without": ("Đơn vị chưa có ranh giới", "Units without a polygon"),
    "incomplete": (
        "Chưa đủ: cả 226 đơn vị đều cần đúng một vùng; không lưu.",
        "Incomplete: every one of the 226 units needs exactly one polygon; nothing saved.",
    ),
    "dry_run": ("--dry-run: không lưu.", "--dry-run: nothing saved."),
    "saved": ("Đã lưu ranh giới «{name}» (mã {id}).", "Saved boundaries «{name}» (id {id})."),
}
MAX_LISTED = 50


def _t(key: str, lang: str, **fmt: object) -> str:
    return Bilingual(*TEXT[key]).pick(lang).format(**fmt)


def configure(p: argparse.ArgumentParser) -> None:
    from ntm_geo.geo.boundary_upload import CRS_CHOICES

    p.add_argument("file", help="zipped shapefile (.zip), GeoPackage (.gpkg) or GeoJSON (.geojson/.json)")
    p.add_argument(
        "--crs",
        help=f"CRS of a file without one: {', '.join(CRS_CHOICES)}, or an EPSG code / PROJ string",
    )
    p.add_argument("--encoding", help="shapefile text encoding, overriding .cpg (e.g. utf-8, cp1258)")
    p.add_argument("--dry-run", action="store_true", help="print the report, save nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--name", help="name of the boundary set (default: the file name without extension)")
    p.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the text report (default vi)"
    )


def _read(path: Path) -> bytes:
    """The file's bytes, refusing before reading one that is over the upload limit."""
    from ntm_geo.geo import upload_files

    limit = upload_files.MAX_BYTES
    try:
        size = path.stat().st_size
        if size > limit:
            raise BoundaryError(
                f"{path.name}: the file has {size / 2**20:.1f} MB; the limit is {limit // 2**20} MB.",
                f"{path.name}: tệp có dung lượng {size / 2**20:.1f} MB; giới hạn là {limit // 2**20} MB.",
                file=path.name,
            )
        return path.read_bytes()
    except OSError as err:
        raise BoundaryError(
            f"{path.name}: cannot read the file ({err.strerror}).",
            f"{path.name}: không đọc được tệp ({err.strerror}).",
            file=path.name,
        ) from None


def _print_rows(title: str, rows: list[dict[str, Any]], lang: str) -> None:
    if not rows:
        return
    print(f"\n{title} ({len(rows)}):")
    for r in rows[:MAX_LISTED]:
        where = f"#{r['row']} " if "row" in r else ""
        reason = Bilingual.of(r, "reason").pick(lang)
        print(
            f"  {where}{r.get('code') or '—'} {r.get('name', '')} ({r.get('district', '')}) {reason}".rstrip()
        )
        for s in r.get("suggestions", []):
            print(f"      → {s['code']} {s['name']} ({s['district']}, {s['score']})")
    if len(rows) > MAX_LISTED:
        print(f"  … (+{len(rows) - MAX_LISTED})")


def run(args: argparse.Namespace) -> int:
    """Handler of ``import-boundaries`` (see module docstring for the exit status)."""
    from ntm_geo.geo import boundary_upload as bu

    path = Path(args.file)
    result = bu.import_boundaries(_read(path), path.name, crs=args.crs, encoding=args.encoding)
    lang = args.lang
    status = 0 if result.complete else 1
    saved = None
    if status == 0 and not args.dry_run:
        try:
            user = getpass.getuser()
        except Exception:
            user = "unknown"
        saved = bu.save(
            result, args.name or path.stem, f"cli:{user}", password=os.environ.get("NTM_GEO_EDITOR_PASSWORD")
        )
    r = result.report
    if args.json:
        payload = {
            "file": result.filename,
            "source_crs": result.source_crs,
            "encoding": result.encoding,
            "notes": [{"vi": vi, "en": en} for vi, en in result.notes],
            "complete": result.complete,
            **{key: r[key] for key in ("matched", "unmatched", "duplicates", "units_without_feature")},
            "saved": {"id": saved.id, "name": saved.name} if saved is not None else None,
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return status
    print(_t("summary", lang, file=result.filename, summary=result.summary(lang)))
    print(_t("crs", lang, crs=result.source_crs, encoding=result.encoding or "—"))
    for vi, en in result.notes:
        print(f"  • {vi if lang == 'vi' else en}")
    _print_rows(_t("unmatched", lang), r["unmatched"], lang)
    _print_rows(_t("duplicates", lang), r["duplicates"], lang)
    _print_rows(_t("without", lang), r["units_without_feature"], lang)
    if status == 1:
        print("\n" + _t("incomplete", lang))
    elif args.dry_run:
        print("\n" + _t("dry_run", lang))
    elif saved is not None:
        print("\n" + _t("saved", lang, name=saved.name, id=saved.id))
    return status


#: Row for :func:`ntm_geo.__main__.register`.
IMPORT_BOUNDARIES = (
    "import-boundaries",
    "import replacement commune boundaries (zipped shapefile, GeoPackage, GeoJSON): checks, match report, save",
    configure,
    run,
)

if __name__ == "__main__":  # pragma: no cover - use python -m ntm_geo import-boundaries
    sys.exit("Use: python -m ntm_geo import-boundaries FILE")
