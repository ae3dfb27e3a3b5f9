"""Command ``python -m ntm_geo import-table FILE``: import a commune table from the shell.

``import-table FILE [--year Y] [--sheet S] [--encoding E] [--dry-run] [--json] [--name NAME]
[--source TEXT] [--into ID] [--confirm] [--lang {vi,en}] [--accept-illustrative]``

``--into ID`` adds the table's year to the saved dataset ``ID`` (its other years kept, this year
replaced, its id, name and source kept unless ``--name``/``--source`` are given) — the data page's
"replace/add to" choice; without it every import makes a new dataset, so one table a year
(2016, 2017 …) builds the years the timeline and small multiples step through only with ``--into``.

A table exported from the app's illustrative data (its provenance rows say so,
:mod:`ntm_geo.datasets.provenance`) is refused unless ``--accept-illustrative`` is given; then a
notice in the report says the values are not the province's.

Prints the match report of :func:`ntm_geo.datasets.importing.table.import_table` (or, with ``--json``, the
object of :meth:`~ntm_geo.datasets.importing.report.ImportReport.to_json` plus ``report_check`` and ``saved``),
then — for the report's years (2011, 2015) — the comparison with the province figures of report 48/BC-BCĐ
(:func:`ntm_geo.criteria.report_check.check_table`), and unless ``--dry-run`` saves the table with
:func:`ntm_geo.datasets.store.save_import` (editor password from ``$NTM_GEO_EDITOR_PASSWORD``).

A report that lists points to confirm (:attr:`~ntm_geo.datasets.importing.report.ImportReport.to_confirm`:
a table of 2026 on keyed by the 2015 units, a column named after a criterion of another framework
read under the year's numbering) is printed under «CẦN XÁC NHẬN / TO CONFIRM» and saved only with
``--confirm``.

Exit status: 0 imported (or checked, with ``--dry-run``); 1 nothing could be matched, the table
holds no usable value (:meth:`~ntm_geo.datasets.importing.report.ImportReport.no_usable_value`:
only wards whose criteria are ignored, an unfilled template; with ``--dry-run`` the reason is
printed, status 0), or points to confirm without ``--confirm`` (nothing saved); 2 an error of the file, or saving unavailable (no store, uploads disabled, wrong
password) — printed in Vietnamese and English.

Registered by :data:`IMPORT_TABLE` (a row for :func:`ntm_geo.__main__.register`).
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import sys
from pathlib import Path

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.report_check import FigureComparison, check_table
from ntm_geo.datasets import store
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.datasets.importing.limits import locate
from ntm_geo.datasets.importing.report import ImportReport, RowIssue, issue_message
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import DataError, NtmGeoError

TEXT: dict[str, tuple[str, str]] = {
    "summary": (
        "Tệp {file}{sheet}: năm {year}, {ok} dòng nhập được; {unmatched} dòng không khớp, {dup} dòng trùng, "
        "{bad} dòng có giá trị không hợp lệ, {skipped} dòng bỏ qua; {without} đơn vị không có dòng.",
        "File {file}{sheet}: year {year}, {ok} rows imported; {unmatched} unmatched, {dup} duplicate, "
        "{bad} with invalid values, {skipped} skipped; {without} units without a row.",
    ),
    "rules": (
        "Khớp theo: mã {code}, tên {name}, gợi ý đã xác nhận {confirmed}.",
        "Matched by: code {code}, name {name}, confirmed suggestion {confirmed}.",
    ),
    "unmatched": ("Dòng không khớp", "Unmatched rows"),
    "duplicates": ("Dòng trùng đơn vị", "Rows matching the same unit twice"),
    "out_of_range": ("Giá trị không hợp lệ (dòng không nhập)", "Invalid values (rows not imported)"),
    "skipped": ("Dòng bỏ qua (không phải số liệu xã)", "Skipped rows (not commune data)"),
    "ignored": (
        "Giá trị bỏ qua (dòng vẫn được nhập: phường, thị trấn không thuộc diện đánh giá NTM)",
        "Values ignored (the rows are imported: wards and townships are not assessed for NTM)",
    ),
    "ignored_count": ("{cells} ô, {rows} dòng", "{cells} cells, {rows} row{s}"),
    "ignored_row": (
        "{where}, {unit}: {n} ô tiêu chí bỏ qua: {columns}",
        "{where}, {unit}: {n} criteria cells ignored: {columns}",
    ),
    "more": ("… (+{n}; --json liệt kê tất cả)", "… (+{n}; --json lists them all)"),
    "notices": ("Lưu ý", "Notes"),
    "to_confirm": (
        "CẦN XÁC NHẬN TRƯỚC KHI LƯU (đọc rồi chạy lại với --confirm)",
        "TO CONFIRM BEFORE SAVING (read, then run again with --confirm)",
    ),
    "unconfirmed": (
        "Chưa lưu: báo cáo có {n} điểm cần xác nhận (xem «Cần xác nhận» ở trên). Nếu đúng, chạy lại với --confirm.",
        "Not saved: the report has {n} point(s) to confirm (see «To confirm» above). If they are right, run "
        "again with --confirm.",
    ),
    "without": ("Đơn vị không có dòng nào", "Units without a row"),
    "suggest": ("    gợi ý: {items}", "    suggestions: {items}"),
    "check": (
        "Đối chiếu với Báo cáo 48/BC-BCĐ năm {year}: {ok}/{n} số liệu khớp.",
        "Comparison with report 48/BC-BCĐ for {year}: {ok}/{n} figures match.",
    ),
    "check_skip": ("Không đối chiếu được với báo cáo: {why}", "Report comparison not available: {why}"),
    "nothing": ("Không khớp được dòng nào: không lưu.", "No row could be matched: nothing saved."),
    "dry_run": ("--dry-run: không lưu.", "--dry-run: nothing saved."),
    "saved": (
        "Đã lưu bộ dữ liệu «{name}» (mã {id}, đơn vị hành chính {vintage}).",
        "Saved dataset «{name}» (id {id}, {vintage} units).",
    ),
}
MAX_LISTED = 50
#: Appended to the source of a dataset saved from an illustrative export (``--accept-illustrative``),
#: so every map of it names its origin.
ILLUSTRATIVE_SOURCE_NOTE = (
    "xuất từ dữ liệu minh họa của ntm-geo, nhập theo --accept-illustrative / "
    "exported from ntm-geo's illustrative data, imported with --accept-illustrative"
)


def _t(key: str, lang: str, **fmt: object) -> str:
    return Bilingual(*TEXT[key]).pick(lang).format(**fmt)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="CSV or .xlsx file")
    p.add_argument("--year", type=int, help="year of the table (default: from the 'Năm' column or the title)")
    p.add_argument("--sheet", help="Excel sheet (default: the first with a recognisable header)")
    p.add_argument(
        "--encoding", help="text encoding of a CSV (default: detected), e.g. utf-16, cp1258, tcvn3"
    )
    p.add_argument(
        "--framework",
        help="id of the criteria framework the table follows (default: by the year; see `frameworks`)",
    )
    p.add_argument("--dry-run", action="store_true", help="print the report, save nothing")
    p.add_argument("--json", action="store_true", help="print the report as JSON")
    p.add_argument("--name", help="dataset name (default: the file name without extension)")
    p.add_argument("--source", help="source text shown with the dataset (default: the file name)")
    p.add_argument(
        "--into",
        metavar="ID",
        help="add the table's year to this saved dataset (its other years kept; see export-map "
        "--dataset for the ids) instead of saving a new dataset",
    )
    p.add_argument(
        "--lang", choices=("vi", "en"), default="vi", help="language of the text report (default vi)"
    )
    p.add_argument(
        "--confirm",
        action="store_true",
        help="save although the report lists points to confirm (a 2026+ table on the 2015 units, a "
        "column named after another framework's criterion) — after reading them",
    )
    p.add_argument(
        "--accept-illustrative",
        action="store_true",
        help="import a table exported from the app's illustrative data anyway (refused by default)",
    )


def _comparison(report: ImportReport) -> tuple[list[FigureComparison], str | None]:
    """(rows of :func:`~ntm_geo.criteria.report_check.check_table` — the data page's path too —,
    reason when not available)."""
    from ntm_geo.criteria.report_check import report_years

    years = report_years()
    if report.year not in years:
        listed = ", ".join(map(str, years))
        return [], (
            f"báo cáo không có số liệu năm {report.year} (chỉ có năm {listed}) / the report has no figures "
            f"for {report.year} (only for {listed})"
        )
    if not report.ok_rows():
        return [], None
    from ntm_geo.datasets.illustrative import load_units  # boundaries: loaded only when needed

    try:
        return check_table(report.table, load_units(), report.year), None
    except NtmGeoError as err:
        return [], f"{err.message_vi} / {err.message_en}"


def _json_number(value: float) -> float | int | None:
    if value is None or math.isnan(value):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _print_issues(title: str, issues: list[RowIssue], report: ImportReport, lang: str) -> None:
    if not issues:
        return
    print(f"\n{title} ({len(issues)}):")
    for issue in issues[:MAX_LISTED]:
        print("  " + issue_message(issue, report.file, lang))
        if issue.row in report.suggestions and issue in report.unmatched:
            items = "; ".join(
                f"{code} {label} ({score:.0f})" for code, label, score in report.suggestions[issue.row]
            )
            print(_t("suggest", lang, items=items))
    if len(issues) > MAX_LISTED:
        print("  " + _t("more", lang, n=len(issues) - MAX_LISTED))


def _column_runs(columns: list[str], headers: tuple[str, ...]) -> str:
    """``columns`` (headers of one row's cells, in file order) with every run of three or more
    columns side by side in the file written "first … last": "TC1 … TC5, TC7 … TC19"."""
    position = {h: i for i, h in reversed(list(enumerate(headers)))}  # first column of a header
    runs: list[list[str]] = []
    for col in columns:
        i = position.get(col)
        last = runs[-1][-1] if runs else None
        if i is not None and last is not None and position.get(last) == i - 1:
            runs[-1].append(col)
        else:
            runs.append([col])
    return ", ".join(f"{r[0]} … {r[-1]}" if len(r) >= 3 else ", ".join(r) for r in runs)


def _print_ignored(report: ImportReport, lang: str) -> None:
    """:attr:`~ImportReport.ignored` grouped per row (trial 8, m2): one line per ward or township
    row — where, the unit, how many criteria cells and which columns (runs side by side in the file
    shortened "TC1 … TC19"; the criteria count column named apart) — instead of one sentence per
    cell; the reason is the section's title. At most :data:`MAX_LISTED` rows, then how many more and
    that ``--json`` lists every cell."""
    if not report.ignored:
        return
    from ntm_geo.datasets.importing.units import vintage_units

    names = vintage_units(report.vintage).set_index("commune_code")["name_with_type"]
    headers = report.raw.headers if report.raw is not None else ()
    by_row: dict[int | None, list[RowIssue]] = {}
    for issue in report.ignored:
        by_row.setdefault(issue.row, []).append(issue)
    count = _t("ignored_count", lang, cells=len(report.ignored), rows=len(by_row), s="s"[: len(by_row) > 1])
    print(f"\n{_t('ignored', lang)} ({count}):")
    for row, issues in list(by_row.items())[:MAX_LISTED]:
        code = issues[0].commune_code
        unit = f"{names.get(code, code)} ({code})" if code else "—"
        counts = [i.column for i in issues if report.columns.get(i.column or "") == "criteria_met"]
        cells = [i.column or "" for i in issues if i.column not in counts]
        columns = ", ".join(filter(None, [_column_runs(cells, headers), *map(str, counts)]))
        where = Bilingual(*locate(report.file, issues[0].sheet, row, None)).pick(lang)
        print("  " + _t("ignored_row", lang, where=where, unit=unit, n=len(issues), columns=columns))
    if len(by_row) > MAX_LISTED:
        print("  " + _t("more", lang, n=len(by_row) - MAX_LISTED))


def print_report(report: ImportReport, lang: str = "vi") -> None:
    """The match report as text (the issues listed with file, sheet, row and column)."""
    rules = [m["rule"] for m in report.matched]
    sheet = f" ({report.sheet})" if report.sheet else ""
    print(
        _t(
            "summary",
            lang,
            file=report.file,
            sheet=sheet,
            year=report.year,
            ok=report.ok_rows(),
            unmatched=len(report.unmatched),
            dup=len(report.duplicates),
            bad=len({i.row for i in report.out_of_range}),
            skipped=len(report.skipped),
            without=len(report.units_without_row),
        )
    )
    if report.vintage_vi:  # which unit vintage the rows were matched against, and how (issue 12)
        print(Bilingual.of(report, "vintage").pick(lang))
    if report.framework_id:  # which criteria framework the table was read under, and why (issue 13)
        print(Bilingual.of(report, "framework_reason").pick(lang))
    print(
        _t(
            "rules",
            lang,
            code=rules.count("code"),
            name=rules.count("name"),
            confirmed=rules.count("confirmed_suggestion"),
        )
    )
    _print_issues(_t("to_confirm", lang), report.to_confirm, report, lang)
    _print_issues(_t("unmatched", lang), report.unmatched, report, lang)
    _print_issues(_t("duplicates", lang), report.duplicates, report, lang)
    _print_issues(_t("out_of_range", lang), report.out_of_range, report, lang)
    _print_issues(_t("skipped", lang), report.skipped, report, lang)
    _print_ignored(report, lang)
    _print_issues(_t("notices", lang), report.notices, report, lang)
    if report.units_without_row:  # named as in the JSON report (code, unit, district): no look-up
        named = report.to_json()["units_without_row"]
        listed = ", ".join(
            f"{u['commune_code']} {u['unit']}" if u["unit"] != u["commune_code"] else u["commune_code"]
            for u in named[:MAX_LISTED]
        )
        more = (
            " " + _t("more", lang, n=len(report.units_without_row) - MAX_LISTED)
            if len(report.units_without_row) > MAX_LISTED
            else ""
        )
        print(f"\n{_t('without', lang)} ({len(report.units_without_row)}): {listed}{more}")


def _save(args: argparse.Namespace, report: ImportReport, path: Path) -> DatasetInfo:
    try:
        user = getpass.getuser()
    except Exception:
        user = "unknown"
    into = args.into or None
    old = store.get_record(into) if into else None  # unknown id: ConfigError listing the saved ids
    source = args.source or (old.source if old is not None else path.name)
    if report.provenance is not None and report.provenance.illustrative:  # accepted knowingly: say so
        source += f" — {ILLUSTRATIVE_SOURCE_NOTE}"
    return store.save_import(  # the data page's save path too
        report.table,
        report.year,
        report.to_json(),
        name=args.name or (old.name if old is not None else path.stem),
        source=source,
        uploaded_by=f"cli:{user}",
        password=os.environ.get("NTM_GEO_EDITOR_PASSWORD"),
        into=into,
    )


def run(args: argparse.Namespace) -> int:
    """Handler of ``import-table`` (see module docstring for the exit status)."""
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise DataError(
            f"{path}: cannot read the file ({err.strerror}).",
            f"{path}: không đọc được tệp ({err.strerror}).",
            file=str(path),
        ) from None
    report = import_table(
        data,
        path.name,
        year=args.year,
        sheet=args.sheet,
        encoding=args.encoding,
        framework=args.framework,
        accept_illustrative=args.accept_illustrative,
    )
    rows, why = _comparison(report)
    status = 0 if report.ok_rows() else 1
    empty = report.no_usable_value()  # rows imported but no value at all: never saved (trial 8, M1)
    lang = args.lang
    saved, save_error = None, None
    unconfirmed = report.needs_confirmation() and not args.confirm and not args.dry_run
    if status == 0 and empty is not None and not args.dry_run:  # refused as an unconfirmed table is
        status = 1
    if status == 0 and unconfirmed:  # never saved silently: the editor confirms with --confirm
        status = 1
    if status == 0 and not args.dry_run:
        try:
            saved = _save(args, report, path)
        except NtmGeoError as err:
            save_error = err
    if args.json:
        payload = report.to_json()
        payload["report_check"] = [
            {
                "key": r.key,
                "label": Bilingual.of(r, "label").pick(lang),
                "report": _json_number(r.report_value),
                "computed": _json_number(r.computed_value),
                "tolerance": r.tolerance,
                "unit": r.unit,
                "ok": r.ok,
            }
            for r in rows
        ]
        payload["saved"] = (
            {"id": saved.id, "name": saved.name_vi, "vintage": saved.vintage} if saved is not None else None
        )
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print_report(report, lang)
        if rows:
            print("\n" + _t("check", lang, year=report.year, ok=sum(r.ok for r in rows), n=len(rows)))
            for r in rows:
                label = Bilingual.of(r, "label").pick(lang)
                report_value, computed = (r.value_text(v, lang) for v in (r.report_value, r.computed_value))
                # at the report's precision, as the reader writes numbers; — : the file gives no value
                print(f"  {'✓' if r.ok else '✗'} {label}: {report_value} / {computed}")
        elif why:
            print("\n" + _t("check_skip", lang, why=why))
        if empty is not None:  # said with --dry-run too: the save would be refused
            print("\n" + empty.pick(lang))
        if unconfirmed and report.ok_rows():
            print("\n" + _t("unconfirmed", lang, n=len(report.to_confirm)))
        elif status == 1 and empty is None:
            print("\n" + _t("nothing", lang))
        elif args.dry_run:
            print("\n" + _t("dry_run", lang))
        elif saved is not None:
            print("\n" + _t("saved", lang, name=saved.name_vi, id=saved.id, vintage=saved.vintage))
    if save_error is not None:
        raise save_error
    return status


#: Row for :func:`ntm_geo.__main__.register`.
IMPORT_TABLE = (
    "import-table",
    "import a commune table (CSV/.xlsx): match report, report check, save",
    configure,
    run,
)

if __name__ == "__main__":  # pragma: no cover - use python -m ntm_geo import-table
    sys.exit("Use: python -m ntm_geo import-table FILE")
