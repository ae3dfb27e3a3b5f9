"""``python -m ntm_geo export-map``: the app's map exports from the command line, for report writers.

::

    python -m ntm_geo export-map --theme T --year Y [--var V] [--dataset ID|NAME] [--district D]
        [--units 2015|2025] [--former-districts] [--scheme S] [--k K] [--lang vi|en]
        [--size slide|a4] [--format png|pdf|html|gpkg|xlsx|csv] OUT

* ``--theme`` criteria | poverty | infrastructure; ``--var`` one of the theme's variables
  (default: its first, e.g. ``criteria_met``);
* ``--format gpkg``: a GeoPackage for QGIS with the app's style
  (:func:`ntm_geo.exports.geopackage.build_geopackage`); ``xlsx`` / ``csv``: the table behind the
  view in the reader's language, importable again (:func:`ntm_geo.exports.formats.table_export`);
* ``--dataset`` a dataset's id or its name ("NTM 2026"); a dataset keyed by the 2025 units is
  exported on the 65 units of 1 July 2025 (no district level), its criteria against its own
  framework (e.g. "6/10" under 51/2025);
* ``--units 2025``: a 2015 dataset carried to the 65 units of 2025 (every value derived, and the
  file says so); ``--former-districts`` adds the former (2015) district outlines as context;
* ``--district`` a GSO code ("186") or a name ("Hữu Lũng", "huu lung"); 2015 units only;
* ``--format`` defaults to OUT's extension; ``--size`` defaults to ``slide`` (1920×1080) for
  PNG and ``a4`` (portrait, 300 dpi) for PDF; the HTML map has no page size.

The map uses the boundaries the app shows: the replacement set saved on the data page when there
is one (:func:`active_boundaries`), else the built-in censusVN2009 cache. On the 2025 units it uses the 2025
boundary cache (vietnamese-provinces-database, :mod:`ntm_geo.geo.boundaries_2025`).

Every argument is checked before anything is rendered; a bad one stops with exit status 2 and a
message in Vietnamese and English that names the option and lists the allowed values (argparse's
own checks are not used for that reason: its messages are English only). The view's options
(``--theme --var --year --scheme --k --lang --units``) go through the validator links use
(:func:`ntm_geo.views.viewstate.check_query`), so ``--k 9`` and ``?k=9`` get the same reason. On success one line
says what was written: file, bytes, pixels and dpi (PNG), page size (PDF), time taken.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError, allowed_list

if TYPE_CHECKING:  # imported lazily at run time: the CLI starts fast
    from ntm_geo.geo.boundaries import Boundaries
    from ntm_geo.views.viewstate import ViewState

FORMATS = ("png", "pdf", "html", "gpkg", "xlsx", "csv")
PAGE_FORMATS = ("png", "pdf")
DEFAULT_SIZE = {"png": "slide", "pdf": "a4"}


@dataclass(frozen=True)
class ExportRequest:
    """A checked command line: the view to render (built by the links' validator,
    :func:`ntm_geo.views.viewstate.check_query`), how, and where."""

    state: ViewState
    fmt: str
    size: str
    out: Path
    former_districts: bool = False


def _bad(
    option: str, value: object, allowed: str, *, en: str = "is not valid", vi: str = "không hợp lệ"
) -> ConfigError:
    return ConfigError(
        f"{option} {value!r} {en}; allowed: {allowed}.",
        f"{option} {value!r} {vi}; các giá trị hợp lệ: {allowed}.",
    )


def _missing(option: str, allowed: Bilingual) -> ConfigError:
    """``allowed``: :func:`ntm_geo.errors.allowed_list` (each language lists its own names)."""
    return ConfigError(
        f"{option} is required; allowed: {allowed.en}.", f"Thiếu {option}; các giá trị hợp lệ: {allowed.vi}."
    )


def configure(p: argparse.ArgumentParser) -> None:
    """Options of ``export-map`` (all checked by :func:`parse_request`, with bilingual messages)."""
    p.add_argument(
        "out", nargs="?", metavar="OUT", help="output file (.png, .pdf, .html, .gpkg, .xlsx or .csv)"
    )
    p.add_argument("--theme", help="criteria | poverty | infrastructure (required)")
    p.add_argument("--year", help="year of the dataset, e.g. 2015 (required)")
    p.add_argument("--var", help="variable of the theme (default: the theme's first, e.g. criteria_met)")
    p.add_argument("--dataset", default="illustrative", help="dataset id or name (default: illustrative)")
    p.add_argument(
        "--units",
        default="2015",
        help="2015 (226 units, 11 districts; default) | 2025 (65 units, no districts); "
        "a dataset keyed by the 2025 units is always on them",
    )
    p.add_argument(
        "--former-districts",
        action="store_true",
        help="on the 2025 units: draw the former (2015) district outlines as context",
    )
    p.add_argument(
        "--district", default="", help="district code or name to zoom to (default: whole province)"
    )
    p.add_argument("--scheme", default="natural_breaks", help="natural_breaks | quantiles | equal_interval")
    p.add_argument("--k", default="5", help="number of classes, 3-7 (default 5)")
    p.add_argument("--lang", default="vi", help="vi | en (default vi)")
    p.add_argument(
        "--size", help="slide (1920x1080 px) | a4 (portrait, 300 dpi); default slide for png, a4 for pdf"
    )
    p.add_argument(
        "--format", dest="fmt", help="png | pdf | html | gpkg | xlsx | csv (default: from OUT's extension)"
    )


def parse_request(args: argparse.Namespace, boundaries: Boundaries | None = None) -> ExportRequest:
    """Check every option; raises :class:`ConfigError` (bilingual, allowed values listed) on the first bad one."""
    from ntm_geo.datasets import catalog
    from ntm_geo.exports.spec import SIZES, check_view, resolve_district
    from ntm_geo.maps.themes import THEMES
    from ntm_geo.views.viewstate import check_query, theme_label, view_units

    def listing(values: Iterable[object]) -> str:
        return ", ".join(str(v) for v in values)

    # output and format first: a typo there should not cost a render
    if not args.out:
        raise ConfigError(
            "OUT (the output file) is required, e.g. map.png; formats: png, pdf, html, gpkg, xlsx, csv.",
            "Thiếu OUT (tệp kết quả), ví dụ map.png; định dạng: png, pdf, html, gpkg, xlsx, csv.",
        )
    out = Path(args.out)
    if out.is_dir():
        example = str(out / f"map.{(args.fmt or 'png').lower()}")
        raise ConfigError(
            f"OUT {str(out)!r} is a folder; give a file name such as {example!r}.",
            f"OUT {str(out)!r} là thư mục; hãy cho tên tệp, ví dụ {example!r}.",
        )
    fmt = (args.fmt or "").lower()
    if not args.fmt:
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise ConfigError(
                f"Cannot tell the format from OUT {str(out)!r}; give --format or end OUT with one of: .png, .pdf, .html, .gpkg, .xlsx, .csv.",
                f"Không xác định được định dạng từ OUT {str(out)!r}; hãy dùng --format hoặc đặt đuôi tệp: .png, .pdf, .html, .gpkg, .xlsx, .csv.",
            )
    elif fmt not in FORMATS:
        raise _bad("--format", args.fmt, listing(FORMATS))
    if not out.parent.exists():
        raise ConfigError(
            f"The folder of OUT {str(out.parent)!r} does not exist; create it first.",
            f"Thư mục của OUT {str(out.parent)!r} không tồn tại; hãy tạo trước.",
        )
    if fmt not in PAGE_FORMATS:
        if args.size:
            raise ConfigError(
                f"--size applies to png and pdf only, not to {fmt} (it has no page size).",
                f"--size chỉ dùng cho png và pdf, không dùng cho {fmt} (không có khổ trang).",
            )
        size = ""
    else:
        size = args.size or DEFAULT_SIZE[fmt]
        if size not in SIZES:
            raise _bad("--size", size, listing(SIZES))

    if not args.theme:
        raise _missing("--theme", allowed_list(THEMES, theme_label))
    infos = catalog.list_datasets()
    ids = [d.id for d in infos]
    by_name = {n.casefold(): d.id for d in infos for n in (d.name_vi, d.name_en)}
    dataset_id = args.dataset if args.dataset in ids else by_name.get(str(args.dataset).strip().casefold())
    if dataset_id is None:
        raise _bad(
            "--dataset", args.dataset, listing(ids), en="is not a dataset", vi="không phải bộ dữ liệu có sẵn"
        )
    args.dataset = dataset_id
    # the link's validator: the same checks and bilingual reasons as ?theme=…&year=…&k=…
    params = {
        "dataset": dataset_id,
        "theme": str(args.theme),
        "scheme": str(args.scheme),
        "k": str(args.k).strip(),
        "lang": str(args.lang),
        "units": str(getattr(args, "units", "2015") or "2015"),
    }
    if args.var:
        params["var"] = str(args.var)
    if args.year:
        params["year"] = str(args.year).strip()
    state = check_query(params, prefix="--", known_datasets=catalog.dataset_exists)
    if not args.year:
        raise _missing("--year", allowed_list(catalog.get_dataset(dataset_id).years))
    former = bool(getattr(args, "former_districts", False))
    on_2025 = view_units(catalog.get_dataset(dataset_id).vintage, state.units) == "2025"
    if former and not on_2025:
        raise ConfigError(
            "--former-districts applies to the 2025 units only (add --units 2025).",
            "--former-districts chỉ dùng trên đơn vị 2025 (thêm --units 2025).",
        )
    if on_2025 and args.district:
        raise ConfigError(
            f"--district {args.district!r}: the map is on the 65 units of 2025, which have no district "
            "level (since 1 July 2025); leave --district out.",
            f"--district {args.district!r}: bản đồ theo 65 đơn vị 2025, không còn cấp huyện (từ "
            "01/7/2025); bỏ --district.",
        )
    b = boundaries or active_boundaries()
    try:
        district = resolve_district(args.district, b)  # a name ("huu lung") or a code
    except ConfigError as err:
        raise ConfigError(f"--district: {err.message_en}", f"--district: {err.message_vi}") from None
    state = replace(state, district=district)
    check_view(state, b, former_districts=former)  # e.g. a criterion outside the dataset's framework
    return ExportRequest(state, fmt, size, out, former)


def render(request: ExportRequest, boundaries: Boundaries | None = None) -> bytes:
    """The file's bytes (PNG/PDF from :mod:`ntm_geo.exports.static_map`, HTML from :mod:`ntm_geo.exports.formats`)."""
    if request.fmt == "html":
        from ntm_geo.exports.formats import standalone_html

        html = standalone_html(
            request.state, boundaries=boundaries, former_districts=request.former_districts
        )
        return html.encode("utf-8")
    if request.fmt == "gpkg":
        from ntm_geo.exports.geopackage import build_geopackage

        return build_geopackage(
            request.state, boundaries=boundaries, former_districts=request.former_districts
        )
    if request.fmt in ("xlsx", "csv"):
        from ntm_geo.exports.formats import table_export

        return table_export(request.state, request.fmt, boundaries=boundaries)
    from ntm_geo.exports.static_map import render_map

    return render_map(
        request.state,
        request.fmt,
        request.size,
        boundaries=boundaries,
        former_districts=request.former_districts,
    )


def describe(data: bytes, fmt: str, lang: str) -> str:
    """What the bytes are, read back from the file: pixels and dpi, PDF pages and page size."""
    if fmt == "png":
        from PIL import Image

        image = Image.open(io.BytesIO(data))
        dpi = round(image.info.get("dpi", (0, 0))[0])
        return f"PNG {image.width}×{image.height} px, {dpi} dpi"
    if fmt == "pdf":
        pages = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
        box = re.search(rb"/MediaBox\s*\[\s*\S+\s+\S+\s+(\S+)\s+(\S+)\s*\]", data)
        w_mm, h_mm = (round(float(v) / 72 * 25.4) for v in box.groups()) if box else (0, 0)
        word = Bilingual("trang", "page" if pages == 1 else "pages").pick(lang)
        return f"PDF {pages} {word}, {w_mm}×{h_mm} mm"
    if fmt == "gpkg":
        return _describe_gpkg(data).pick(lang)
    if fmt in ("xlsx", "csv"):
        return _describe_table(data, fmt).pick(lang)
    return Bilingual(
        "HTML, mở không cần internet (script, kiểu và dữ liệu nằm trong tệp)",
        "HTML, opens offline (scripts, styles and data inlined)",
    ).pick(lang)


def _describe_gpkg(data: bytes) -> Bilingual:
    """Layers and rows of a GeoPackage, read back with pyogrio from a temporary copy."""
    import pyogrio

    with tempfile.TemporaryDirectory(prefix="ntm_gpkg_") as tmp:
        path = Path(tmp) / "check.gpkg"
        path.write_bytes(data)
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
        units = pyogrio.read_info(path, layer="communes")["features"]
    names = ", ".join(layers)
    return Bilingual(
        f"GeoPackage {units} đơn vị, lớp: {names}; kiểu QGIS như trong ứng dụng",
        f"GeoPackage, {units} units, layers: {names}; QGIS style as in the app",
    )


def _describe_table(data: bytes, fmt: str) -> Bilingual:
    """Rows of the exported table, read back with the importer's reader."""
    from ntm_geo.datasets.importing.reading import read_table

    rows = len(read_table(data, f"table.{fmt}").rows)
    kind = "Excel" if fmt == "xlsx" else "CSV (UTF-8)"
    return Bilingual(
        f"{kind} {rows} dòng, tiêu đề tiếng Việt, dòng mã cột để nhập lại",
        f"{kind}, {rows} rows, headers in English, a row of column keys for re-import",
    )


def _write(out: Path, data: bytes) -> None:
    """Write atomically (a temporary file in the same folder, then rename): never a half-written file."""
    try:
        fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as an ordinary file (mkstemp makes it private: 0600)
        os.replace(tmp, out)
    except OSError as err:
        if "tmp" in locals() and os.path.exists(tmp):
            os.unlink(tmp)
        raise ConfigError(
            f"Cannot write OUT {str(out)!r}: {err.strerror or err}.",
            f"Không ghi được OUT {str(out)!r}: {err.strerror or err}.",
        ) from None


def active_boundaries() -> Boundaries:
    """The boundaries the app shows: the replacement set saved on the data page when there is one
    (:func:`ntm_geo.datasets.store.active_boundaries`), else the built-in censusVN2009 cache."""
    from ntm_geo.datasets import store
    from ntm_geo.geo.boundaries import load_boundaries

    if store.is_configured():
        saved = store.active_boundaries()
        if saved is not None:
            from ntm_geo.geo.boundary_upload import to_boundaries

            return to_boundaries(saved)
    return load_boundaries()


def _number(n: int, lang: str) -> str:
    """ "1.234.567" (vi) or "1,234,567" (en)."""
    text = f"{n:,}"
    return Bilingual(text.replace(",", "."), text).pick(lang)


def export_map(args: argparse.Namespace) -> int:
    """Handler of ``export-map``: check, render, write, report."""
    started = time.perf_counter()
    boundaries = active_boundaries()
    request = parse_request(args, boundaries)
    data = render(request, boundaries)
    _write(request.out, data)
    seconds = time.perf_counter() - started
    lang = request.state.lang
    what = describe(data, request.fmt, lang)
    size, secs = _number(len(data), lang), f"{seconds:.1f}"
    done = Bilingual(
        f"Đã ghi {request.out}: {size} byte, {what}, {secs.replace('.', ',')} giây.",
        f"Wrote {request.out}: {size} bytes, {what}, {secs} s.",
    )
    print(done.pick(lang))
    return 0


EXPORT_MAP = (
    "export-map",
    "export a map view as PNG (slide or A4 300 dpi), PDF, offline HTML, GeoPackage (QGIS) or Excel/CSV table",
    configure,
    export_map,
)
"""A row for :func:`ntm_geo.__main__.register` (name, help, configure, handler)."""
