"""Crosswalk between unit vintages: for every 2015 unit, the 2025 unit(s) it lies in.

How it is made (like a census relationship file or an NHGIS crosswalk: each target with its
weight and how the weight was made):

1. **Areal overlay** of the 226 units of 2015 (censusVN2009 polygons, cleaned) with the 65 units
   of 2025, in the equal-area CRS :data:`ntm_geo.geo.boundaries.AREA_CRS`. ``area_share`` of a
   piece = its area / the 2015 unit's area (km² / km²). The 2009 polygons are coarse and their
   province outline is not the 2025 one, so shares of a unit sum to ``1 - outside_share``
   (median 1.0, min 0.85 at the border).
2. **Legal mapping** (Resolution 1672/NQ-UBTVQH15): the 194 units of 2024 → the 65 units of
   2025, ``data/legal_2024_2025.tsv`` (from ``converter_2025.json`` of the PyPI package
   ``vietnamadminunits`` 1.0.4, MIT, checked in a test). 191 went whole into one new unit; 3
   are listed as split between two (Hồng Phong of Bình Gia; Bính Xá and Kiên Mộc of Đình Lập;
   the overlay confirms the two of Đình Lập, not Hồng Phong: see ``legal_no_overlap``). A 2015
   unit is *legal* for a target when its code is a 2024 code mapped to that target.
3. **Reconciliation** — each piece is one of

   ``legal``
       the target is in the legal mapping of the unit's code;
   ``part``
       not in the legal mapping, but ``area_share >= SLIVER_SHARE`` (20 %): a real part of the
       unit, from a change before 2024 that the legal mapping of 2025 does not describe (e.g.
       Xã Tân Lang, dissolved in 2019 between two units that went to two different 2025
       units); for a unit merged before 2024, its largest piece is its ``main`` target;
   ``sliver``
       not in the legal mapping and ``area_share < SLIVER_SHARE``: boundary mismatch of the
       coarse 2009 polygons, not a split. Slivers get no weight (their area is given to the
       main target).

   ``legal_no_overlap``
       a legal target with no overlap at all (weight 0; one case, see
       :func:`_legal_without_overlap`).

   The rule that tells slivers from splits is therefore: *a piece is a split part when the
   legal mapping says so, or when it holds at least 20 % of the unit; anything else is a
   sliver*. Measured: no piece of a unit whose code and name persist into 2024 is ≥ 20 %
   outside its legal targets (the largest: Xã Tân Yên, 18.9 %), and the overlay's main target
   is a legal target for all 194 persisting codes.

``weight`` is what carrying data uses (:mod:`ntm_geo.datasets.carry`): 1.0 on the main target of
a unit that is not split; for a split unit, the area shares of its legal/part pieces normalised
to sum to 1 (no finer population data exists here: population is assumed uniform within a 2015
unit).

The 32 units of 2015 whose code no longer exists in 2024 (merged in 2019, Resolution
818/NQ-UBTVQH14, or in the 2024 round) are placed by the overlay alone (``status`` =
``merged_before_2024``); 13 more keep a code that a merged 2024 unit of another name took over
(``status`` = ``code_reused``, e.g. 06040 Xã Đại Đồng, whose code is Thị trấn Thất Khê's in 2024).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError
from ntm_geo.geo.boundaries import AREA_CRS
from ntm_geo.geo.units import split_unit_name
from ntm_geo.geo.vintages import RESOLUTION_2019, RESOLUTION_2025, get_vintage

LEGAL_TSV = Path(__file__).resolve().parents[2] / "data" / "legal_2024_2025.tsv"
SLIVER_SHARE = 0.20
SUPPORTED = (("2015", "2025"),)

#: Status of a 2015 unit with respect to the 2024 units of the legal mapping.
STATUSES = {
    "persisting": ("mã và tên còn đến 2024", "code and name persist to 2024"),
    "code_reused": (
        "mã còn, nhưng là của đơn vị khác tên năm 2024",
        "code kept by a 2024 unit of another name",
    ),
    "merged_before_2024": ("đã nhập trước 2024 (không còn mã)", "merged before 2024 (code gone)"),
}


@lru_cache(maxsize=1)
def _legal() -> pd.DataFrame:
    table = pd.read_csv(LEGAL_TSV, sep="\t", dtype=str, keep_default_na=False)
    table["split"] = table["split"] == "yes"
    table["main"] = table["main"] == "yes"
    return table


def legal_mapping_2025() -> pd.DataFrame:
    """The legal mapping 2024 → 2025 (Resolution 1672/NQ-UBTVQH15), one row per (former, new) pair.

    Returns
    -------
    pandas.DataFrame
        197 rows for 194 former units: ``former_code``, ``former_name_with_type``,
        ``former_district_name``, ``new_code``, ``split`` (bool: the former unit was divided),
        ``main`` (bool: the package's default new unit of a divided one). A copy.

    Source: ``data/legal_2024_2025.tsv``, from ``converter_2025.json`` of ``vietnamadminunits``.
    """
    return _legal().copy()


@dataclass(frozen=True)
class Crosswalk:
    """A crosswalk from vintage ``source`` to vintage ``target``.

    Attributes
    ----------
    source, target : str
        Vintage keys ("2015", "2025").
    pieces : DataFrame
        One row per (source unit, target unit) overlap: ``from_code``, ``to_code``,
        ``area_km2`` (km², equal-area), ``area_share`` (of the source unit's area, 0-1),
        ``legal`` (bool), ``kind`` ("legal" | "part" | "sliver" | "legal_no_overlap": a legal
        target the overlay does not reach), ``weight`` (0-1; sums to 1 per source unit).
    units : DataFrame
        One row per source unit (226): ``from_code``, ``name_with_type``, ``district_name``,
        ``area_km2``, ``population_2009`` (people), ``status`` (a key of :data:`STATUSES`),
        ``main_code`` (target holding the largest weight), ``split`` (bool: weight on more than
        one target), ``outside_share`` (share of the unit outside every target, 0-1).
    """

    source: str
    target: str
    pieces: pd.DataFrame
    units: pd.DataFrame

    def to_json(self) -> dict[str, Any]:
        """The JSON object of ``python -m ntm_geo crosswalk --json`` (shares rounded to 4 places).

        ``{"from": "2015", "to": "2025", "sliver_share": 0.2, "units": [{"code", "name",
        "district", "status", "split", "main", "outside_share", "targets": [{"code", "name",
        "area_share", "weight", "legal", "kind"}, ...]}, ...]}``; targets by decreasing share.
        """
        names = get_vintage(self.target).load_units().set_index("commune_code")["name_with_type"]
        by_unit = {code: group for code, group in self.pieces.groupby("from_code", sort=False)}
        units = []
        for row in self.units.itertuples(index=False):
            group = by_unit[row.from_code].sort_values("area_share", ascending=False)
            units.append(
                {
                    "code": row.from_code,
                    "name": row.name_with_type,
                    "district": row.district_name,
                    "status": row.status,
                    "split": bool(row.split),
                    "main": row.main_code,
                    "outside_share": round(float(row.outside_share), 4),
                    "targets": [
                        {
                            "code": p.to_code,
                            "name": names[p.to_code],
                            "area_share": round(float(p.area_share), 4),
                            "weight": round(float(p.weight), 4),
                            "legal": bool(p.legal),
                            "kind": p.kind,
                        }
                        for p in group.itertuples(index=False)
                    ],
                }
            )
        return {"from": self.source, "to": self.target, "sliver_share": SLIVER_SHARE, "units": units}


def _check_pair(source: str, target: str) -> None:
    get_vintage(source), get_vintage(target)
    if (str(source), str(target)) not in SUPPORTED:
        allowed = ", ".join(f"{a} → {b}" for a, b in SUPPORTED)
        raise ConfigError(
            f"No crosswalk from {source} to {target}; available: {allowed}.",
            f"Không có bảng chuyển đổi từ {source} sang {target}; hiện có: {allowed}.",
        )


def _status(units_2015: pd.DataFrame) -> pd.Series:
    legal = _legal().drop_duplicates("former_code").set_index("former_code")["former_name_with_type"]
    status = []
    for code, name in zip(units_2015["commune_code"], units_2015["name_with_type"], strict=True):
        if code not in legal.index:
            status.append("merged_before_2024")
        elif split_unit_name(name) == split_unit_name(legal[code]):  # type and name key
            status.append("persisting")
        else:
            status.append("code_reused")
    return pd.Series(status, index=units_2015.index)


def overlay(source: gpd.GeoDataFrame, target: gpd.GeoDataFrame) -> pd.DataFrame:
    """Areal overlay of two unit coverages in the equal-area CRS.

    Parameters
    ----------
    source, target : GeoDataFrame
        Columns ``commune_code`` and ``geometry`` (any CRS).

    Returns
    -------
    DataFrame
        ``from_code``, ``to_code``, ``area_km2`` (km² of the intersection), ``area_share``
        (intersection / source unit area); pieces of zero area are left out.
    """
    a = source[["commune_code", "geometry"]].rename(columns={"commune_code": "from_code"}).to_crs(AREA_CRS)
    b = target[["commune_code", "geometry"]].rename(columns={"commune_code": "to_code"}).to_crs(AREA_CRS)
    unit_area = pd.Series(a.area.to_numpy() / 1e6, index=a["from_code"])
    pieces = gpd.overlay(a, b, how="intersection", keep_geom_type=True)
    table = pd.DataFrame(
        {"from_code": pieces["from_code"], "to_code": pieces["to_code"], "area_km2": pieces.area / 1e6}
    )
    table = table.groupby(["from_code", "to_code"], as_index=False)["area_km2"].sum()
    table = table[table["area_km2"] > 0]
    table["area_share"] = table["area_km2"] / table["from_code"].map(unit_area)
    return table.reset_index(drop=True)


def reconcile(pieces: pd.DataFrame, status: pd.Series, sliver_share: float = SLIVER_SHARE) -> pd.DataFrame:
    """Classify overlay pieces as legal / part / sliver and give each its carrying weight.

    Parameters
    ----------
    pieces : DataFrame
        From :func:`overlay`.
    status : Series
        Status per source code (index ``from_code``).
    sliver_share : float
        Pieces outside the legal mapping below this share of the unit are slivers.

    Returns
    -------
    DataFrame
        ``pieces`` plus ``legal``, ``kind``, ``weight`` (see :class:`Crosswalk`).
    """
    legal_pairs = set(zip(_legal()["former_code"], _legal()["new_code"], strict=True))
    out = pieces.copy()
    out["legal"] = [
        (f, t) in legal_pairs and status[f] != "merged_before_2024"
        for f, t in zip(out["from_code"], out["to_code"], strict=True)
    ]
    out["kind"] = "sliver"
    out.loc[out["legal"], "kind"] = "legal"
    out.loc[~out["legal"] & (out["area_share"] >= sliver_share), "kind"] = "part"
    # a unit with no legal or part piece (cannot happen with these files, kept for safety): its
    # largest piece is its target
    kept = out["kind"] != "sliver"
    for _code, group in out.groupby("from_code"):
        if not kept[group.index].any():
            out.loc[group["area_share"].idxmax(), "kind"] = "part"
    kept = out["kind"] != "sliver"
    total = out["area_share"].where(kept, 0.0).groupby(out["from_code"]).transform("sum")
    out["weight"] = out["area_share"].where(kept, 0.0) / total
    # slivers' area goes to the main target: a unit kept whole has weight 1 on it
    return out


def _legal_without_overlap(pieces: pd.DataFrame, status: pd.Series) -> pd.DataFrame:
    """Legal targets that the overlay does not reach at all (kind "legal_no_overlap", weight 0).

    Measured: one — the package maps Xã Hồng Phong of Bình Gia (06079) to Xã Hồng Phong *and*
    Xã Đồng Đăng, but no part of it lies in Đồng Đăng (not even a neighbour, ~40 km away); the
    other Xã Hồng Phong, of Cao Lộc (06205), went whole into Đồng Đăng, so this "split" looks
    like a name collision in the source of the mapping. It is kept and shown, not hidden."""
    have = set(zip(pieces["from_code"], pieces["to_code"], strict=True))
    rows = [
        {"from_code": f, "to_code": t, "area_km2": 0.0, "area_share": 0.0, "legal": True}
        for f, t in zip(_legal()["former_code"], _legal()["new_code"], strict=True)
        if f in status.index and status[f] != "merged_before_2024" and (f, t) not in have
    ]
    return pd.DataFrame(rows, columns=["from_code", "to_code", "area_km2", "area_share", "legal"]).assign(
        kind="legal_no_overlap", weight=0.0
    )


@lru_cache(maxsize=4)
def build_crosswalk(source: str = "2015", target: str = "2025") -> Crosswalk:
    """Build the crosswalk ``source`` → ``target`` (about 4 s; cached in the process).

    Raises
    ------
    ConfigError
        Unknown vintage, or a pair without a crosswalk (only 2015 → 2025 exists).
    BoundaryError
        The boundaries of either vintage cannot be had.
    """
    _check_pair(source, target)
    src = get_vintage(source).load_boundaries().communes
    dst = get_vintage(target).load_boundaries().communes
    status = _status(src).set_axis(src["commune_code"])
    pieces = reconcile(overlay(src, dst), status)
    pieces = pd.concat([pieces, _legal_without_overlap(pieces, status)], ignore_index=True)
    main = pieces.sort_values("weight").groupby("from_code").tail(1).set_index("from_code")["to_code"]
    n_weighted = (pieces["weight"] > 0).groupby(pieces["from_code"]).sum()
    covered = pieces.groupby("from_code")["area_share"].sum()
    units = pd.DataFrame(
        {
            "from_code": src["commune_code"].to_numpy(),
            "name_with_type": src["name_with_type"].to_numpy(),
            "district_name": src["district_name"].to_numpy(),
            "area_km2": src["area_km2"].to_numpy(),
            "population_2009": src["population_2009"].to_numpy(),
            "status": status.to_numpy(),
        }
    )
    units["main_code"] = units["from_code"].map(main)
    units["split"] = units["from_code"].map(n_weighted).gt(1)
    units["outside_share"] = (1 - units["from_code"].map(covered)).clip(lower=0.0)
    order = pieces["from_code"].map({c: i for i, c in enumerate(units["from_code"])})
    pieces = (
        pieces.assign(_o=order).sort_values(["_o", "area_share"], ascending=[True, False]).drop(columns="_o")
    )
    return Crosswalk(source, target, pieces.reset_index(drop=True), units)


@dataclass(frozen=True)
class FormerUnit:
    """A unit that no longer exists in 2025 and what it became, for import notices."""

    code: str
    name_with_type: str
    district_name: str
    new_codes: tuple[str, ...]
    new_names: tuple[str, ...]
    basis: str  # "legal" (Resolution 1672) or "overlay"

    def notice(self, lang: str = "vi") -> str:
        """'Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15' (or the overlay's wording)."""
        targets = " + ".join(self.new_names)
        if self.basis == "legal":
            split = Bilingual(" (chia)", " (split)").pick(lang) if len(self.new_codes) > 1 else ""
            return f"{self.name_with_type} → {targets}{split}, {RESOLUTION_2025}"
        return Bilingual(
            f"{self.name_with_type} ({self.district_name}) đã nhập trước 2024 ({RESOLUTION_2019} "
            f"hoặc đợt 2024); theo chồng lớp ranh giới nay thuộc {targets}, {RESOLUTION_2025}",
            f"{self.name_with_type} ({self.district_name}) merged before 2024 ({RESOLUTION_2019} or the "
            f"2024 round); by boundary overlay now in {targets}, {RESOLUTION_2025}",
        ).pick(lang)


def former_units() -> list[FormerUnit]:
    """Every former unit (226 of 2015 and the 2024 units of other names) and its 2025 unit(s).

    Units of 2024 (legal mapping) are given by the legal mapping (basis "legal"); the 2015
    units merged before 2024 by the crosswalk's weighted targets (basis "overlay"). A 2015 unit
    whose code a 2024 unit of another name took over is listed under both names (the 2015 name
    with the overlay's targets). Ordered by code, then name.
    """
    names = get_vintage("2025").load_units().set_index("commune_code")["name_with_type"]
    out: list[FormerUnit] = []
    for code, group in _legal().groupby("former_code", sort=True):
        first = group.iloc[0]
        ordered = group.sort_values("main", ascending=False)["new_code"].tolist()
        out.append(
            FormerUnit(
                code,
                first["former_name_with_type"],
                first["former_district_name"],
                tuple(ordered),
                tuple(names[c] for c in ordered),
                "legal",
            )
        )
    cw = build_crosswalk("2015", "2025")
    weighted = cw.pieces[cw.pieces["weight"] > 0].sort_values("weight", ascending=False)
    for row in cw.units[cw.units["status"] != "persisting"].itertuples(index=False):
        targets = weighted.loc[weighted["from_code"] == row.from_code, "to_code"].tolist()
        out.append(
            FormerUnit(
                row.from_code,
                row.name_with_type,
                row.district_name,
                tuple(targets),
                tuple(names[c] for c in targets),
                "overlay",
            )
        )
    return sorted(out, key=lambda f: (f.code, f.basis != "legal"))


def former_districts_2025() -> pd.DataFrame:
    """For each 2025 unit, the former (2015) district holding most of its area.

    Used to draw the former district outlines along the 2025 unit edges (there is no district
    level since 1 July 2025). Measured: 62 of the 65 units have at least 90 % of their area in
    one former district (median 99.6 %); the three others straddle two (05977 Phường Đông Kinh,
    06286 Xã Khánh Khê, 06316 Xã Tân Đoàn).

    Returns
    -------
    DataFrame
        65 rows: ``commune_code`` (2025), ``district_code``, ``district_name`` (2015 district),
        ``share`` (of the unit's overlapped area in that district, 0-1).
    """
    cw = build_crosswalk("2015", "2025")
    districts = get_vintage("2015").load_units()[["commune_code", "district_code", "district_name"]]
    pieces = cw.pieces.merge(districts, left_on="from_code", right_on="commune_code")
    area = pieces.groupby(["to_code", "district_code", "district_name"], as_index=False)["area_km2"].sum()
    area["share"] = area["area_km2"] / area.groupby("to_code")["area_km2"].transform("sum")
    best = area.sort_values("share").groupby("to_code").tail(1).sort_values("to_code")
    return best.rename(columns={"to_code": "commune_code"})[
        ["commune_code", "district_code", "district_name", "share"]
    ].reset_index(drop=True)
