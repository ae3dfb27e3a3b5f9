"""``python -m ntm_geo crosswalk``: for every unit of one vintage, its unit(s) in another.

::

    python -m ntm_geo crosswalk --from 2015 --to 2025 [--json] [--lang vi|en]

Text output: one line per 2015 unit (code, name, district, status, then each weighted target
with its area share; ``*`` = in the legal mapping of Resolution 1672/NQ-UBTVQH15), then the
figures: legal agreement of the overlay's main target, sliver area, splits, and the units
merged before 2024 placed by the overlay. ``--json`` prints
:meth:`ntm_geo.geo.crosswalk.Crosswalk.to_json` plus ``"summary"`` (the same figures). See
:mod:`ntm_geo.geo.crosswalk` for how the crosswalk is made.

Exit status 0; 2 for an unknown vintage or pair (message in Vietnamese and English).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from ntm_geo.bilingual import Bilingual
from ntm_geo.geo.vintages import VINTAGES


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="source", default="2015", help=f"source vintage ({', '.join(VINTAGES)})")
    p.add_argument("--to", dest="target", default="2025", help=f"target vintage ({', '.join(VINTAGES)})")
    p.add_argument("--json", action="store_true", help="print the crosswalk as JSON")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the text output")


def summary(cw: Any) -> dict[str, Any]:
    """Figures of a crosswalk (:class:`~ntm_geo.geo.crosswalk.Crosswalk`), for the README.

    Keys: ``units``, ``status`` (count per status), ``main_target_legal`` / ``persisting_codes``
    (units whose code is in the legal mapping and whose largest overlay piece is a legal target),
    ``sliver_area_share`` (share of all overlapped area in slivers), ``median_unit_sliver_share``,
    ``split_units`` (codes), ``legal_no_overlap`` (pairs), ``merged_before_2024`` (code, name,
    district, targets).
    """
    pieces, units = cw.pieces, cw.units
    in_legal = units.loc[units["status"] != "merged_before_2024", "from_code"]
    largest = pieces[pieces["area_share"] > 0].sort_values("area_share").groupby("from_code").tail(1)
    largest = largest[largest["from_code"].isin(in_legal)]
    slivers = pieces[pieces["kind"] == "sliver"]
    per_unit = slivers.groupby("from_code")["area_share"].sum().reindex(units["from_code"]).fillna(0.0)
    weighted = pieces[pieces["weight"] > 0].sort_values("weight", ascending=False)
    merged = units[units["status"] == "merged_before_2024"]
    return {
        "units": len(units),
        "status": units["status"].value_counts().to_dict(),
        "main_target_legal": int(largest["legal"].sum()),
        "persisting_codes": len(in_legal),
        "sliver_area_share": round(float(slivers["area_km2"].sum() / pieces["area_km2"].sum()), 4),
        "median_unit_sliver_share": round(float(per_unit.median()), 4),
        "split_units": units.loc[units["split"], "from_code"].tolist(),
        "legal_no_overlap": [
            [r.from_code, r.to_code] for r in pieces[pieces["kind"] == "legal_no_overlap"].itertuples()
        ],
        "merged_before_2024": [
            {
                "code": r.from_code,
                "name": r.name_with_type,
                "district": r.district_name,
                "targets": weighted.loc[weighted["from_code"] == r.from_code, "to_code"].tolist(),
            }
            for r in merged.itertuples()
        ],
    }


def run(args: argparse.Namespace) -> int:
    from ntm_geo.geo.crosswalk import STATUSES, build_crosswalk
    from ntm_geo.geo.vintages import get_vintage

    cw = build_crosswalk(str(args.source), str(args.target))
    figures = summary(cw)
    if args.json:
        print(json.dumps(cw.to_json() | {"summary": figures}, ensure_ascii=False, indent=1))
        return 0
    names = get_vintage(cw.target).load_units().set_index("commune_code")["name_with_type"]
    weighted = cw.pieces[cw.pieces["weight"] > 0]
    for row in cw.units.itertuples(index=False):
        targets = weighted[weighted["from_code"] == row.from_code].sort_values("weight", ascending=False)
        parts = ", ".join(
            f"{t.to_code} {names[t.to_code]}{'*' if t.legal else ''} {t.area_share:.0%}"
            for t in targets.itertuples()
        )
        status = Bilingual(*STATUSES[row.status]).pick(args.lang)
        print(f"{row.from_code} {row.name_with_type} ({row.district_name}; {status}) → {parts}")
    s = figures
    merged = "; ".join(f"{m['code']} {m['name']} → {'+'.join(m['targets'])}" for m in s["merged_before_2024"])
    if args.lang == "vi":
        print(
            f"\n{s['units']} đơn vị {cw.source} → {len(names)} đơn vị {cw.target}. Đích chính theo chồng lớp "
            f"khớp với ánh xạ pháp lý (1672/NQ-UBTVQH15): {s['main_target_legal']}/{s['persisting_codes']} mã. "
            f"Mảnh vụn (< 20 % và ngoài ánh xạ pháp lý): {s['sliver_area_share']:.1%} diện tích. "
            f"Đơn vị bị chia: {', '.join(s['split_units'])}. "
            f"Đích pháp lý không giao nhau: {s['legal_no_overlap']}.\n"
            f"{len(s['merged_before_2024'])} đơn vị đã nhập trước 2024, xếp theo chồng lớp: {merged}"
        )
    else:
        print(
            f"\n{s['units']} units of {cw.source} → {len(names)} units of {cw.target}. Overlay's main target "
            f"agrees with the legal mapping (1672/NQ-UBTVQH15): {s['main_target_legal']}/{s['persisting_codes']} "
            f"codes. Slivers (< 20 % and outside the legal mapping): {s['sliver_area_share']:.1%} of the area. "
            f"Split units: {', '.join(s['split_units'])}. Legal targets without overlap: {s['legal_no_overlap']}.\n"
            f"{len(s['merged_before_2024'])} units merged before 2024, placed by the overlay: {merged}"
        )
    return 0


CROSSWALK = (
    "crosswalk",
    "for every unit of one vintage, its unit(s) in another, with area shares (2015 → 2025)",
    configure,
    run,
)
"""A row for :func:`ntm_geo.__main__.register` (name, help, configure, handler)."""


# --- build-shapes --vintage 2025 -------------------------------------------------------------


def build_shapes_2025(*, force: bool = False) -> int:
    """``build-shapes --vintage 2025``: fetch/verify the 66 files, build the cache, print figures."""
    from ntm_geo.geo import boundaries, boundaries_2025

    cache = boundaries.shapes_dir()
    if force:
        (cache / "lang_son_2025_meta.json").unlink(missing_ok=True)
    fresh = boundaries_2025.cache_is_fresh(cache)
    b = boundaries_2025.load_boundaries_2025(progress=lambda f, m: print(f"[{f:4.0%}] {m}", flush=True))
    report = boundaries.topology_report(b.communes)
    stated = float(b.communes["stated_area_km2"].sum())
    print(f"{'cache' if fresh else 'built'}: {cache}")
    print(f"units {len(b.communes)} ({b.communes['unit_type'].value_counts().to_dict()}), no district level")
    print(
        f"sum of unit areas {report['sum_km2']:.1f} km² (files' stated areas: {stated:.1f}), union "
        f"{report['union_km2']:.1f} km², overlap ratio {report['overlap_ratio']:.2e}, gaps {int(report['interior_gaps'])}"
    )
    print(
        f"web simplification: coverage_simplify, tolerance {boundaries_2025.WEB_TOLERANCE_M:.0f} m, "
        f"payload {boundaries_2025.web_payload_bytes(b.communes_web):,} B"
    )
    return 0


# --- carry --------------------------------------------------------------------------------------


def configure_carry(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", help="CSV file to write, or - for standard output")
    p.add_argument("--dataset", default="illustrative", help="dataset id (default: illustrative)")
    p.add_argument("--year", type=int, default=2015, help="year of the dataset (default 2015)")
    p.add_argument("--from", dest="source", default="2015", help="vintage of the dataset (2015)")
    p.add_argument("--to", dest="target", default="2025", help="vintage to carry it to (2025)")


def run_carry(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from ntm_geo.datasets.carry import carried_csv
    from ntm_geo.geo.crosswalk import _check_pair

    _check_pair(str(args.source), str(args.target))
    data, carried = carried_csv(args.dataset, args.year)
    if args.out == "-":
        sys.stdout.write(data.decode("utf-8-sig"))
    else:
        Path(args.out).write_bytes(data)
        apportioned = int(carried.table["apportioned"].sum())
        print(
            f"{args.out}: {len(carried.table)} đơn vị {carried.target} / units, {apportioned} có giá trị chia theo "
            f"diện tích / with values apportioned by area; không chuyển / not carried: "
            f"{', '.join(carried.not_carried) or '—'}"
        )
    return 0


CARRY = (
    "carry",
    "carry a dataset year from the 2015 units to the 65 units of 2025 (derived values, stated rules) as CSV",
    configure_carry,
    run_carry,
)
"""A row for :func:`ntm_geo.__main__.register`."""


# --- vintage FILE ----------------------------------------------------------------------------


def configure_vintage(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", help="a CSV or Excel table of units (what import-table reads)")
    p.add_argument("--json", action="store_true", help="print the decision as JSON")
    p.add_argument("--lang", choices=("vi", "en"), default="vi", help="language of the text output")


def run_vintage(args: argparse.Namespace) -> int:
    """Say which unit vintage a table is keyed by, and what each former unit named in it became."""
    from pathlib import Path

    from ntm_geo.datasets.importing.reading import read_table
    from ntm_geo.errors import DataError
    from ntm_geo.geo.vintage_match import detect_table_vintage

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError:
        raise DataError(
            f"{path.name}: cannot read the file.", f"{path.name}: không đọc được tệp.", file=path.name
        ) from None
    decision = detect_table_vintage(read_table(data, path.name))
    if args.json:
        payload = {
            "file": path.name,
            "vintage": decision.vintage,
            "scores": decision.scores,
            "coverage": {k: round(v, 4) for k, v in decision.coverage.items()},
            "tie": decision.tie,
            "former_units": [
                {"row": n.row, "value": n.value, "message_vi": n.message_vi, "message_en": n.message_en}
                for n in decision.notices
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=1))
        return 0
    print(decision.message(args.lang))
    for n in decision.notices:
        print(
            f"{Bilingual('Dòng', 'Row').pick(args.lang)} {n.row}: {Bilingual.of(n, 'message').pick(args.lang)}"
        )
    return 0


VINTAGE = (
    "vintage",
    "which unit vintage (2015 or 2025) a table is keyed by, decided on the whole table; notices for former units",
    configure_vintage,
    run_vintage,
)
"""A row for :func:`ntm_geo.__main__.register`."""
