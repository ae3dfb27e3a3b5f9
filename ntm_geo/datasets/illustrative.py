"""Illustrative per-commune NTM dataset for Lạng Sơn, calibrated to report 48/BC-BCĐ (2016).

No public per-commune table of NTM results exists, so the project ships an **illustrative**
dataset: one row per commune-level unit (226: 207 xã, 5 phường, 14 thị trấn) for 2011 and 2015,
generated reproducibly (fixed seed, byte-identical files on re-run) and calibrated so that every
province figure of the report holds exactly (see ``data/illustrative/PROVENANCE.md`` and
:mod:`ntm_geo.criteria.report_check`). Individual commune values are *not* real.

Method (one paragraph): a latent "development" score per unit is built from geography — distance
from the unit centroid to the Lạng Sơn city centroid and to its district's thị trấn (metres in
EPSG:32648), population density, a district effect (border and mountain districts lower), the
unit type — plus seeded Gaussian noise. The number of criteria met per xã is drawn to hit the
report's groups and mean exactly and assigned by score rank (the four communes the provincial
newspaper named as appraised for the standard in December 2015 are forced into the 19-criteria
group); criteria are then placed by a Gale-Ryser greedy fill (hardest criterion first, to the xã
with the most criteria still to place), which hits the per-criterion counts exactly. 2011 is a
subset of 2015 (no xã loses a criterion). Indicators are logistic functions of the score and of
the criteria met, with per-unit bounds that make them consistent with the criteria (criterion 4
⇒ electricity ≥ 95 %, criterion 11 ⇔ poverty < 10 %, ...), and a global offset solved by
bisection so the weighted province value equals the report's figure.

Why over 500 lines: one seeded model. Its steps (targets, geography and score, criteria,
indicators) draw from one random stream in a fixed order, which makes the files byte-identical
on a re-run; they read best, and change safely, together.

Column contract of the CSVs (UTF-8, ``\\n`` line ends, sorted by ``commune_code``):

========================  =====================================================================
``commune_code``          5-digit GSO 2015 code (text; keep the leading zero)
``year``                  2011 or 2015
``c01`` .. ``c19``        1 = criterion met, 0 = not met, empty = not assessed (phường, thị trấn)
``criteria_met``          number of criteria met (0-19); empty for phường / thị trấn
``poverty_rate_pct``      poor households, % of households (all 226 units)
``road_hardened_pct``     rural road length hardened, % (2015 only; empty in 2011 = no data)
``electricity_hh_pct``    households using electricity, % (2015 only)
``irrigated_cropland_pct``  cropland irrigated, % (2015 only)
``hygienic_water_hh_pct``   households with hygienic water, % (2015 only)
``car_access_all_season``  1/0 all-season car road to the commune centre (xã, 2015 only)
``especially_difficult``   1/0 especially difficult commune (programme-135 sense; xã; illustrative)
========================  =====================================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ntm_geo.criteria.framework import CRITERION_COLUMNS, criterion
from ntm_geo.criteria.reference import load_reference
from ntm_geo.criteria.report_check import report_years
from ntm_geo.datasets import schema
from ntm_geo.datasets.contract import ILLUSTRATIVE_DIR as DATA_DIR
from ntm_geo.datasets.contract import file_name
from ntm_geo.errors import DataError

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd

#: Default seed: the report's date (05/5/2016).
SEED = 20160505
#: Years generated: those the report gives commune figures for (the reference file: 2011, 2015).
YEARS: tuple[int, ...] = report_years()
PROJECTED_CRS = "EPSG:32648"  # WGS 84 / UTM zone 48N, metres
CITY_DISTRICT = "178"  # Thành phố Lạng Sơn

#: Columns of the generated CSVs, in file order (every column of the schema registry).
COLUMNS: tuple[str, ...] = schema.column_keys()
INDICATORS_2015: tuple[str, ...] = (
    "road_hardened_pct",
    "electricity_hh_pct",
    "irrigated_cropland_pct",
    "hygienic_water_hh_pct",
    "car_access_all_season",
)

#: The four communes Báo Lạng Sơn named as appraised for the NTM standard in December 2015.
NAMED_NTM_2015: Mapping[str, str] = {
    "06505": "Xã Vạn Linh (huyện Chi Lăng)",
    "06628": "Xã Đình Lập (huyện Đình Lập)",
    "06298": "Xã Xuân Mai (huyện Văn Quan)",
    "06235": "Xã Gia Cát (huyện Cao Lộc)",
}

#: Counts (of 207 xã) chosen for the criteria the report does not print (2015).
#: 1: the report says 207/207 xã finished the general plan (quy hoạch chung); we read that as
#: criterion 1 met by all. 10, 11, 12 are chosen so that the 19 counts sum to 1532 = 7.40 x 207.
CHOSEN_COUNTS_2015: Mapping[int, int] = {1: 207, 10: 64, 11: 85, 12: 175}

#: Relative ease of each criterion in 2011 (weights for picking a xã's 2011 criteria among its
#: 2015 ones). The report names transport, irrigation, cultural facilities, housing, environment,
#: income, poverty and health insurance (criterion 15) as unmet almost everywhere in 2011;
#: planning was completed only by 2013.
EASE_2011: Mapping[int, float] = {
    1: 0.25,
    2: 0.1,
    3: 0.15,
    4: 1.0,
    5: 0.4,
    6: 0.1,
    7: 1.2,
    8: 1.6,
    9: 0.15,
    10: 0.1,
    11: 0.1,
    12: 0.8,
    13: 0.5,
    14: 1.2,
    15: 0.15,
    16: 0.4,
    17: 0.1,
    18: 0.6,
    19: 2.0,
}

#: District effect on the latent score: border districts (Tràng Định, Văn Lãng, Lộc Bình,
#: Đình Lập; Cao Lộc partly) and mountain districts (Bình Gia, Bắc Sơn) lower; the city and the
#: National Road 1 corridor (Chi Lăng, Hữu Lũng) higher. Unknown districts: 0.
DISTRICT_EFFECT: Mapping[str, float] = {
    "178": 0.8,
    "180": -0.45,
    "181": -0.45,
    "182": -0.3,
    "183": 0.05,
    "184": 0.0,
    "185": -0.3,
    "186": 0.7,
    "187": 0.4,
    "188": -0.5,
    "189": -0.4,
}
UNIT_TYPE_EFFECT: Mapping[str, float] = {"xa": 0.0, "thi-tran": 1.2, "phuong": 2.0}

#: Share of xã flagged as especially difficult (illustrative; not an official list).
ESPECIALLY_DIFFICULT_SHARE = 0.40

REQUIRED_UNIT_COLUMNS = (
    "commune_code",
    "district_code",
    "unit_type",
    "population_2009",
    "area_km2",
    "geometry",
)


@dataclass(frozen=True)
class Targets:
    """Everything the generator calibrates to.

    Counts are of xã; rates are percent. ``weights`` documents how each province figure is
    computed (the same way in :mod:`ntm_geo.criteria.report_check`).
    """

    n_xa: int
    criteria_2015: Mapping[int, int]
    groups: Mapping[int, tuple[tuple[int, int, int], ...]]  # year -> ((low, high, count), ...)
    total_met: Mapping[int, int]
    poverty_pct: Mapping[int, float]
    poverty_threshold_pct: float
    electricity_threshold_pct: float
    water_threshold_pct: float
    districts_below_10: int | None
    road_hardened_pct: float
    electricity_hh_pct: float
    irrigated_cropland_pct: float
    hygienic_water_hh_pct: float
    car_access_pct: float
    named_full: tuple[str, ...] = field(default=tuple(NAMED_NTM_2015))


#: How each province figure is computed from the per-unit values (key -> (units, weight)).
WEIGHTING: Mapping[str, tuple[str, str]] = {
    c.key: c.weighting for c in schema.value_columns() if c.weighting is not None
} | {"district_poverty_pct": ("all units of the district", "population_2009")}


def report_targets() -> Targets:
    """Targets for the real province (207 xã), from the committed report figures."""
    ref = load_reference()
    counts = {n: c.met for n, c in ref.criteria_met_2015.items()} | dict(CHOSEN_COUNTS_2015)
    groups = {year: tuple((g.low, g.high, g.count) for g in ref.distributions[year].groups) for year in YEARS}
    # 2015: "không còn xã dưới 2 tiêu chí" -> the "<5" group is 2..4.
    groups[2015] = tuple((max(lo, 2), hi, n) for lo, hi, n in groups[2015])
    infra = ref.infrastructure_2015
    n = ref.communes_assessed
    # Smallest total whose mean rounds to the printed mean (2.57 -> 532; 7.4 -> 1532 = sum of counts).
    total = {year: _total_for_mean(ref.distributions[year].mean, n, year) for year in YEARS}
    if sum(counts.values()) != total[2015]:
        total[2015] = sum(counts.values())
    return Targets(
        n_xa=n,
        criteria_2015=counts,
        groups=groups,
        total_met=total,
        poverty_pct={y: ref.poverty_rate_pct[y] for y in YEARS},
        poverty_threshold_pct=_threshold_pct(11),
        electricity_threshold_pct=_threshold_pct(4),
        water_threshold_pct=_threshold_pct(17),
        districts_below_10=ref.districts_below_10pct_poverty_2015,
        road_hardened_pct=float(infra["rural_road_hardened_pct"]),
        electricity_hh_pct=float(infra["households_using_electricity_pct"]),
        irrigated_cropland_pct=float(infra["irrigated_cropland_pct"]),
        hygienic_water_hh_pct=float(infra["households_hygienic_water_pct"]),
        car_access_pct=float(infra["road_car_access_commune_centre_all_season_pct"]),
    )


def _total_for_mean(mean: float, n: int, year: int) -> int:
    decimals = 2 if year == 2011 else 1
    candidates = [t for t in range(0, 19 * n + 1) if round(t / n, decimals) == round(mean, decimals)]
    return min(candidates, key=lambda t: abs(t / n - mean))


def scaled_targets(n_xa: int, n_districts: int) -> Targets:
    """Report targets scaled to a unit table with ``n_xa`` xã (used for small test tables).

    Counts are scaled proportionally (largest remainder); the district-poverty target applies
    only to the full province (11 districts) and is dropped otherwise.
    """
    base = report_targets()
    if n_xa == base.n_xa and n_districts == 11:
        return base
    if n_xa < 1:
        raise DataError(
            "The unit table has no xã (unit_type 'xa'); the illustrative dataset needs at least one.",
            "Bảng đơn vị không có xã nào (unit_type 'xa'); cần ít nhất một xã để sinh dữ liệu minh họa.",
            column="unit_type",
        )
    f = n_xa / base.n_xa
    groups = {y: _scale_groups(g, n_xa) for y, g in base.groups.items()}
    total = {}
    for year, grp in groups.items():
        lo = sum(low * c for low, _, c in grp)
        hi = sum(high * c for _, high, c in grp)
        total[year] = int(min(max(round(base.total_met[year] * f), lo), hi))
    counts = _scale_counts(base.criteria_2015, n_xa, total[2015])
    return replace(
        base, n_xa=n_xa, criteria_2015=counts, groups=groups, total_met=total, districts_below_10=None
    )


def _threshold_pct(number: int) -> float:
    """The percentage threshold of criterion ``number`` (criteria 4, 11 and 17 have one)."""
    pct = criterion(number).threshold_pct
    if pct is None:
        raise DataError(
            f"Criterion {number} has no percentage threshold; the generator needs one.",
            f"Tiêu chí {number} không có ngưỡng tỷ lệ %; bộ sinh dữ liệu cần ngưỡng này.",
        )
    return float(pct)


def _largest_remainder(
    shares: Mapping[int, float], total: int, caps: Mapping[int, int] | None = None
) -> dict[int, int]:
    raw = {k: v * total for k, v in shares.items()}
    out = {k: math.floor(v) for k, v in raw.items()}
    if caps:
        out = {k: min(v, caps[k]) for k, v in out.items()}
    order = sorted(raw, key=lambda k: (-(raw[k] - math.floor(raw[k])), str(k)))
    i = 0
    while sum(out.values()) < total and i < 10 * len(order):
        k = order[i % len(order)]
        if caps is None or out[k] < caps[k]:
            out[k] += 1
        i += 1
    return out


def _scale_groups(groups: tuple[tuple[int, int, int], ...], n: int) -> tuple[tuple[int, int, int], ...]:
    total = sum(c for _, _, c in groups)
    counts = _largest_remainder({i: c / total for i, (_, _, c) in enumerate(groups)}, n)
    return tuple((lo, hi, counts[i]) for i, (lo, hi, _) in enumerate(groups))


def _scale_counts(counts: Mapping[int, int], n: int, total: int) -> dict[int, int]:
    s = sum(counts.values())
    return _largest_remainder({k: v / s for k, v in counts.items()}, total, caps={k: n for k in counts})


# --------------------------------------------------------------------------------------------
# Geography and the latent score
# --------------------------------------------------------------------------------------------


def _check_units(units: pd.DataFrame) -> None:
    missing = [c for c in REQUIRED_UNIT_COLUMNS if c not in units.columns]
    if missing:
        raise DataError(
            f"The unit table lacks column(s) {', '.join(missing)}; pass the GeoDataFrame of "
            "ntm_geo.geo.boundaries.load_communes() (or one with the same columns).",
            f"Bảng đơn vị thiếu cột {', '.join(missing)}; hãy truyền GeoDataFrame của "
            "ntm_geo.geo.boundaries.load_communes() (hoặc bảng có cùng các cột).",
            column=missing[0],
        )
    bad = sorted(set(units["unit_type"]) - set(UNIT_TYPE_EFFECT))
    if bad:
        raise DataError(
            f"Unknown unit_type {bad[0]!r}; allowed: {', '.join(UNIT_TYPE_EFFECT)}.",
            f"unit_type {bad[0]!r} không hợp lệ; giá trị hợp lệ: {', '.join(UNIT_TYPE_EFFECT)}.",
            column="unit_type",
        )
    dup = units["commune_code"][units["commune_code"].duplicated()]
    if len(dup):
        raise DataError(
            f"Duplicate commune_code {dup.iloc[0]!r} in the unit table; each unit must appear once.",
            f"Mã xã {dup.iloc[0]!r} bị lặp trong bảng đơn vị; mỗi đơn vị chỉ được xuất hiện một lần.",
            column="commune_code",
        )
    if getattr(units, "crs", None) is None:
        raise DataError(
            "The unit GeoDataFrame has no CRS; set it (boundaries are EPSG:4326) with set_crs().",
            "GeoDataFrame đơn vị chưa có hệ tọa độ (CRS); hãy đặt bằng set_crs() (ranh giới dùng EPSG:4326).",
            column="geometry",
        )


def geography(units: gpd.GeoDataFrame) -> pd.DataFrame:
    """Distances used by the latent score, one row per unit (index: commune_code).

    Returns columns ``dist_city_km`` (centroid to the centroid of Thành phố Lạng Sơn, or of all
    phường / all units when that district is absent), ``dist_town_km`` (to the nearest thị trấn
    of the same district; to the city for districts without one) and ``density`` (people/km²,
    2009). Distances are computed in EPSG:32648.
    """
    proj = units.to_crs(PROJECTED_CRS)
    cent = proj.geometry.centroid
    xy = np.column_stack([cent.x.to_numpy(), cent.y.to_numpy()])
    district = units["district_code"].astype(str).to_numpy()
    utype = units["unit_type"].to_numpy()
    city_mask = district == CITY_DISTRICT
    if not city_mask.any():
        city_mask = utype == "phuong"
    if not city_mask.any():
        city_mask = np.ones(len(units), dtype=bool)
    city_xy = np.asarray(proj.geometry[city_mask].union_all().centroid.coords[0])
    d_city = np.hypot(*(xy - city_xy).T) / 1000.0
    d_town = d_city.copy()
    for d in np.unique(district):
        towns = xy[(district == d) & (utype == "thi-tran")]
        if len(towns):
            sel = district == d
            diff = xy[sel][:, None, :] - towns[None, :, :]
            d_town[sel] = np.hypot(diff[..., 0], diff[..., 1]).min(axis=1) / 1000.0
    area = units["area_km2"].astype(float).to_numpy()
    density = units["population_2009"].astype(float).to_numpy() / np.maximum(area, 0.01)
    return pd.DataFrame(
        {"dist_city_km": d_city, "dist_town_km": d_town, "density": density},
        index=units["commune_code"].to_numpy(),
    )


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std()
    return (x - x.mean()) / sd if sd > 0 else np.zeros_like(x)


def latent_score(units: gpd.GeoDataFrame, geo: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Development score per unit (higher = more developed), standardised, with seeded noise."""
    district = units["district_code"].astype(str).to_numpy()
    s = (
        -0.7 * _z(np.log1p(geo["dist_city_km"].to_numpy()))
        - 0.6 * _z(np.log1p(geo["dist_town_km"].to_numpy()))
        + 0.5 * _z(np.log(geo["density"].to_numpy()))
        + np.array([DISTRICT_EFFECT.get(d, 0.0) for d in district])
        + np.array([UNIT_TYPE_EFFECT[t] for t in units["unit_type"]])
        + rng.normal(0.0, 0.6, len(units))
    )
    return _z(s)


# --------------------------------------------------------------------------------------------
# Criteria
# --------------------------------------------------------------------------------------------


def _row_sums(groups: tuple[tuple[int, int, int], ...], total: int, rng: np.random.Generator) -> np.ndarray:
    """Numbers of criteria met, sorted descending, with exact group counts and exact total."""
    lows = np.concatenate([np.full(c, lo) for lo, _, c in groups]).astype(int)
    highs = np.concatenate([np.full(c, hi) for _, hi, c in groups]).astype(int)
    extra = total - lows.sum()
    if extra < 0 or extra > (highs - lows).sum():
        raise DataError(
            f"Cannot reach {total} criteria in all with groups {groups}; the mean and groups disagree.",
            f"Không thể đạt tổng {total} tiêu chí với các nhóm {groups}; bình quân và các nhóm mâu thuẫn.",
        )
    values = lows.copy()
    for _ in range(extra):
        slack = np.flatnonzero(values < highs)
        values[rng.choice(slack)] += 1
    return np.sort(values)[::-1]


def _gale_ryser_fill(row_sums: np.ndarray, col_sums: Mapping[int, int], keys: np.ndarray) -> np.ndarray:
    """0/1 matrix (rows x 19) with the given row and column sums.

    Columns are filled hardest first; each goes to the rows with the most criteria still to
    place (ties broken by ``keys[:, k]``, higher first). Ryser's greedy: succeeds whenever a
    matrix exists.
    """
    remaining = row_sums.astype(int).copy()
    out = np.zeros((len(row_sums), 19), dtype=int)
    for k in sorted(col_sums, key=lambda k: (col_sums[k], k)):
        need = col_sums[k]
        order = np.lexsort((-keys[:, k - 1], -remaining))
        chosen = order[:need]
        if need and remaining[chosen].min() <= 0:
            raise DataError(
                f"No 0/1 table has these criterion counts and per-commune totals (criterion {k}).",
                f"Không có bảng 0/1 nào khớp số xã đạt từng tiêu chí và tổng tiêu chí mỗi xã (tiêu chí {k}).",
            )
        out[chosen, k - 1] = 1
        remaining[chosen] -= 1
    if remaining.any():
        raise DataError(
            "Criterion counts and per-commune totals do not add up.",
            "Số xã đạt từng tiêu chí và tổng tiêu chí mỗi xã không khớp nhau.",
        )
    return out


def _assign_criteria(
    codes: np.ndarray, score: np.ndarray, targets: Targets, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """(2011 matrix, 2015 matrix) for the xã in ``codes`` order."""
    n = len(codes)
    rows15 = _row_sums(targets.groups[2015], targets.total_met[2015], rng)
    named = np.isin(codes, targets.named_full)
    order = np.lexsort((-score, ~named))  # named first, then by score
    r15 = np.empty(n, dtype=int)
    r15[order] = rows15
    keys = score[:, None] + rng.normal(0.0, 0.7, (n, 19))
    m15 = _gale_ryser_fill(r15, targets.criteria_2015, keys)

    rows11 = _row_sums(targets.groups[2011], targets.total_met[2011], rng)
    key11 = r15 + rng.normal(0.0, 2.0, n)
    r11 = np.empty(n, dtype=int)
    r11[np.argsort(-key11, kind="stable")] = rows11
    # Repair: nobody may meet more criteria in 2011 than in 2015 (swap values, keep the groups).
    for _ in range(10 * n):
        bad = np.flatnonzero(r11 > r15)
        if not len(bad):
            break
        i = bad[0]
        ok = np.flatnonzero((r11 <= r15[i]) & (r15 >= r11[i]))
        j = ok[np.argmax(r11[ok])]
        r11[i], r11[j] = r11[j], r11[i]
    ease = np.log(np.array([EASE_2011[k] for k in range(1, 20)]))
    m11 = np.zeros_like(m15)
    for i in range(n):
        met = np.flatnonzero(m15[i])
        gumbel = ease[met] - np.log(-np.log(rng.uniform(1e-12, 1.0, len(met))))
        m11[i, met[np.argsort(-gumbel, kind="stable")[: r11[i]]]] = 1
    return m11, m15


# --------------------------------------------------------------------------------------------
# Indicators
# --------------------------------------------------------------------------------------------


def _sigmoid(x: np.ndarray) -> np.ndarray:
    out: np.ndarray = 1.0 / (1.0 + np.exp(-x))
    return out


def _weighted_mean(values: np.ndarray, weights: np.ndarray) -> float:
    return float(np.sum(values * weights) / np.sum(weights))


def _calibrate(
    pred: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    mask: np.ndarray,
    weights: np.ndarray,
    target: float,
    offset: np.ndarray | None = None,
) -> np.ndarray:
    """``clip(100 * sigmoid(a + pred + offset), lo, hi)`` with ``a`` such that the weighted mean
    over ``mask`` equals ``target`` (bisection; the mean is continuous and increasing in ``a``).
    Values are rounded to 0.1 and the rounding drift is corrected by 0.1 steps."""
    off = np.zeros_like(pred) if offset is None else offset

    def values(a: float) -> np.ndarray:
        return np.clip(100.0 * _sigmoid(a + pred + off), lo, hi)

    a_lo, a_hi = -30.0, 30.0
    for _ in range(200):
        mid = 0.5 * (a_lo + a_hi)
        if _weighted_mean(values(mid)[mask], weights[mask]) < target:
            a_lo = mid
        else:
            a_hi = mid
    v = np.round(values(0.5 * (a_lo + a_hi)), 1)
    # Correct rounding drift: nudge the heaviest units with room, 0.1 at a time.
    w = weights * mask
    for _ in range(50):
        err = target - _weighted_mean(v[mask], weights[mask])
        if abs(err) < 0.004:
            break
        step = 0.1 if err > 0 else -0.1
        room = (v + step <= hi + 1e-9) & (v + step >= lo - 1e-9) & mask
        if not room.any():
            break
        i = np.flatnonzero(room)[np.argmax(w[room])]
        if abs(step * w[i] / w.sum()) > abs(err) * 2:
            break
        v[i] = round(v[i] + step, 1)
    return v


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    out: np.ndarray = np.log(p / (1 - p))
    return out


@dataclass(frozen=True)
class _Ctx:
    codes: np.ndarray
    district: np.ndarray
    is_xa: np.ndarray
    pop: np.ndarray
    area: np.ndarray
    score: np.ndarray


def _poverty(
    ctx: _Ctx, m15: np.ndarray, m11: np.ndarray, targets: Targets, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Poverty rates (% households) for 2015 and 2011, all units."""
    n = len(ctx.codes)
    thr = targets.poverty_threshold_pct
    met15 = np.zeros(n)
    met15[ctx.is_xa] = m15.sum(axis=1)
    c11_15 = np.zeros(n, dtype=bool)
    c11_15[ctx.is_xa] = m15[:, 10] == 1
    c11_11 = np.zeros(n, dtype=bool)
    c11_11[ctx.is_xa] = m11[:, 10] == 1
    pred = -(0.9 * ctx.score + 0.04 * met15 + rng.normal(0.0, 0.35, n))
    lo = np.where(ctx.is_xa & ~c11_15, thr, 0.6)
    hi = np.where(ctx.is_xa & c11_15, thr - 0.1, 85.0)
    everyone = np.ones(n, dtype=bool)
    offset = np.zeros(n)
    districts = np.unique(ctx.district)
    want_below = targets.districts_below_10

    # The districts meant to be below the threshold: the best-scoring ones (population-weighted
    # mean score of their xã), so the rural picture, not the district towns, decides.
    def rural_score(d: str) -> float:
        sel = (ctx.district == d) & ctx.is_xa
        sel = sel if sel.any() else ctx.district == d
        return _weighted_mean(ctx.score[sel], ctx.pop[sel])

    below = set(sorted(districts, key=lambda d: -rural_score(d))[: want_below or 0])
    for _ in range(80):
        p15 = _calibrate(pred, lo, hi, everyone, ctx.pop, targets.poverty_pct[2015], offset)
        if want_below is None:
            break
        means = {d: _weighted_mean(p15[ctx.district == d], ctx.pop[ctx.district == d]) for d in districts}
        ranked = sorted(districts, key=lambda d: means[d])
        changed = False
        for d in districts:
            sel = ctx.district == d
            if d in below and means[d] >= thr - 0.3:
                offset[sel] -= 0.15
                changed = True
            elif d not in below and means[d] < thr + 0.3:
                offset[sel] += 0.15
                changed = True
        city = ctx.district == CITY_DISTRICT
        if city.any() and ranked[0] != CITY_DISTRICT:
            offset[city] -= 0.2
            changed = True
        if not changed:
            break
    # 2011: higher everywhere; the larger the gain in criteria, the larger the fall since.
    met11 = np.zeros(n)
    met11[ctx.is_xa] = m11.sum(axis=1)
    gain = met15 - met11
    pred11 = _logit(p15 / 100.0) + 0.12 * _z(gain) + rng.normal(0.0, 0.2, n)
    lo11 = np.where(ctx.is_xa & ~c11_11, np.maximum(p15, thr), p15)
    hi11 = np.where(ctx.is_xa & c11_11, thr - 0.1, 90.0)
    hi11 = np.maximum(hi11, lo11)
    p11 = _calibrate(pred11, lo11, hi11, everyone, ctx.pop, targets.poverty_pct[2011])
    return p15, p11


def _infrastructure(
    ctx: _Ctx, m15: np.ndarray, targets: Targets, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    n = len(ctx.codes)
    xa = ctx.is_xa
    every = np.ones(n, dtype=bool)

    def crit(k: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[xa] = m15[:, k - 1] == 1
        return out

    met = np.zeros(n)
    met[xa] = m15.sum(axis=1)
    base = 0.6 * ctx.score + 0.4 * _z(met) * xa + 0.4 * ctx.score * ~xa

    def noisy(sd: float) -> np.ndarray:
        out: np.ndarray = base + rng.normal(0.0, sd, n)
        return out

    out: dict[str, np.ndarray] = {}
    c2 = crit(2)
    pred = 0.8 * noisy(0.45) + 1.2 * c2
    out["road_hardened_pct"] = _calibrate(
        pred, np.where(c2, 50.0, 1.0), np.full(n, 98.0), xa, ctx.area, targets.road_hardened_pct
    )
    c4 = crit(4)
    pred = 0.9 * noisy(0.4) + 1.0 * c4
    out["electricity_hh_pct"] = _calibrate(
        pred,
        np.where(c4, targets.electricity_threshold_pct, 55.0),
        np.full(n, 100.0),
        every,
        ctx.pop,
        targets.electricity_hh_pct,
    )
    c3 = crit(3)
    pred = 0.6 * noisy(0.5) + 1.0 * c3
    out["irrigated_cropland_pct"] = _calibrate(
        pred, np.where(c3, 75.0, 15.0), np.full(n, 100.0), xa, ctx.area, targets.irrigated_cropland_pct
    )
    c17 = crit(17)
    pred = 0.7 * noisy(0.45) + 1.2 * c17
    out["hygienic_water_hh_pct"] = _calibrate(
        pred,
        np.where(c17, max(targets.water_threshold_pct, 90.0), 30.0),
        np.full(n, 100.0),
        xa,
        ctx.pop,
        targets.hygienic_water_hh_pct,
    )
    # All-season car access: the xã with the lowest road hardening + remoteness lack it (never a
    # xã meeting criterion 2).
    n_xa = int(xa.sum())
    n_without = n_xa - round(targets.car_access_pct / 100.0 * n_xa)
    key = _z(out["road_hardened_pct"]) + ctx.score + rng.normal(0.0, 0.5, n) + 100.0 * c2 + 1000.0 * ~xa
    access = np.ones(n)
    access[np.argsort(key, kind="stable")[:n_without]] = 0
    access[~xa] = np.nan
    out["car_access_all_season"] = access
    return out


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def generate(units: gpd.GeoDataFrame, seed: int = SEED) -> dict[int, pd.DataFrame]:
    """Generate the illustrative dataset for the given units.

    Parameters
    ----------
    units : geopandas.GeoDataFrame
        Unit table as returned by ``ntm_geo.geo.boundaries.load_communes()`` (needs
        ``commune_code``, ``district_code``, ``unit_type``, ``population_2009`` (people),
        ``area_km2`` (km²) and a CRS-aware ``geometry``). Any number of units: with the real 207
        xã the report's figures are hit exactly; other tables get proportionally scaled targets
        (:func:`scaled_targets`).
    seed : int, default :data:`SEED`
        Seed of the only random generator used; same units + same seed -> identical output.

    Returns
    -------
    dict[int, pandas.DataFrame]
        ``{2011: frame, 2015: frame}``, one row per unit sorted by ``commune_code``, columns
        :data:`COLUMNS` (criteria and flags as ``Int64``, rates as float rounded to 0.1).
    """
    _check_units(units)
    units = units.sort_values("commune_code", kind="stable").reset_index(drop=True)
    rng = np.random.default_rng(seed)
    codes = units["commune_code"].astype(str).to_numpy()
    is_xa = (units["unit_type"] == "xa").to_numpy()
    n_districts = units["district_code"].nunique()
    targets = scaled_targets(int(is_xa.sum()), n_districts)

    geo = geography(units)
    score = latent_score(units, geo, rng)
    ctx = _Ctx(
        codes=codes,
        district=units["district_code"].astype(str).to_numpy(),
        is_xa=is_xa,
        pop=units["population_2009"].astype(float).to_numpy(),
        area=units["area_km2"].astype(float).to_numpy(),
        score=score,
    )
    m11, m15 = _assign_criteria(codes[is_xa], score[is_xa], targets, rng)
    p15, p11 = _poverty(ctx, m15, m11, targets, rng)
    infra = _infrastructure(ctx, m15, targets, rng)

    n_difficult = round(ESPECIALLY_DIFFICULT_SHARE * is_xa.sum())
    difficult = np.zeros(len(units))
    xa_idx = np.flatnonzero(is_xa)
    key = score[is_xa] + rng.normal(0.0, 0.35, len(xa_idx))
    difficult[xa_idx[np.argsort(key, kind="stable")[:n_difficult]]] = 1
    difficult[~is_xa] = np.nan

    frames = {}
    for year, matrix, poverty in ((2011, m11, p11), (2015, m15, p15)):
        df = pd.DataFrame({"commune_code": codes, "year": year})
        for k, col in enumerate(CRITERION_COLUMNS):
            values = np.full(len(units), np.nan)
            values[is_xa] = matrix[:, k]
            df[col] = pd.Series(values).astype("Int64")
        met = np.full(len(units), np.nan)
        met[is_xa] = matrix.sum(axis=1)
        df["criteria_met"] = pd.Series(met).astype("Int64")
        df["poverty_rate_pct"] = poverty
        for col in INDICATORS_2015:
            values = infra[col] if year == 2015 else np.full(len(units), np.nan)
            df[col] = pd.Series(values).astype("Int64") if col == "car_access_all_season" else values
        df["especially_difficult"] = pd.Series(difficult).astype("Int64")
        frames[year] = df[list(COLUMNS)]
    return frames


def csv_text(frame: pd.DataFrame) -> str:
    """The CSV text of one generated frame (UTF-8, ``\\n``, empty cells for missing values)."""
    text: str = frame.to_csv(
        index=False, lineterminator="\n", na_rep="", float_format="%.1f"
    )  # no path: a str
    return text


def write_csvs(frames: Mapping[int, pd.DataFrame], out_dir: Path | str = DATA_DIR) -> list[Path]:
    """Write ``lang_son_ntm_<year>.csv`` for each frame into ``out_dir`` (created if needed)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for year in sorted(frames):
        path = out / file_name(year)
        path.write_bytes(csv_text(frames[year]).encode("utf-8"))
        paths.append(path)
    return paths


def load_units() -> gpd.GeoDataFrame:
    """The real 226 units, via ``ntm_geo.geo.boundaries.load_communes()`` (imported lazily)."""
    from ntm_geo.geo.boundaries import load_communes

    return load_communes()


def generate_files(
    out_dir: Path | str = DATA_DIR,
    units: gpd.GeoDataFrame | None = None,
    seed: int = SEED,
    loader: Callable[[], gpd.GeoDataFrame] | None = None,
) -> list[Path]:
    """Generate and write the illustrative CSVs (real units unless ``units`` is given)."""
    if units is None:
        units = (loader or load_units)()
    return write_csvs(generate(units, seed=seed), out_dir)
