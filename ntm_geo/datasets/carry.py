"""Carrying a per-commune dataset from one unit vintage to another (2015 → 2025).

Every value this module produces is **derived**: it was computed from the former units by the
rule of its column's kind, and the result says so (``derived`` column, :attr:`Carried.note_vi`,
:attr:`Carried.note_en` for legends, tooltips, profiles and exports).

The rule per column kind is in ONE place, :data:`CARRY_RULES` (kind → rule). The kind of a
column comes from the schema registry (:mod:`ntm_geo.datasets.schema`, read by
:func:`column_kind`): ``key``, ``criterion``, ``total``, ``indicator``, ``flag``, plus ``count``
(people, households: summed) for the columns the registry does not hold.

Rules (weights ``w`` from :class:`ntm_geo.geo.crosswalk.Crosswalk`: 1 for a former unit that
went whole into the new one; its area share for a split unit — no finer population data exists
here, so population is assumed spread evenly over the former unit's area):

``count``      Σ w·x over the former units (2009 census population: ``population_2009``).
``indicator``  rates (%): mean of the former units **weighted by their 2009 census population**
               (× w for split units); former units without a value are left out of both sums.
``criterion``  never averaged nor summed into a criterion count: ``cNN_met`` = k and ``cNN_of``
               = n, read "k of n former communes met criterion NN" (former xã assessed; a split
               xã counts in each new unit it is part of, and the row is flagged).
``total``      ``criteria_met`` is not carried as a number of criteria (that would invent a
               criterion count for a unit nobody assessed): ``ntm_standard_met`` = k and
               ``ntm_standard_of`` = n, "k of n former communes met the standard (all criteria)".
``flag``       like criteria: ``<flag>_yes`` = k of ``<flag>_of`` = n former units.
``key``        replaced: ``commune_code`` becomes the new unit's code, ``year`` is kept.

Columns of no known kind are not carried and listed in :attr:`Carried.not_carried` (never
dropped silently).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import DataError


@dataclass(frozen=True)
class CarryRule:
    """How one kind of column is carried to another vintage (the stated rule, in both languages)."""

    kind: str
    rule_vi: str
    rule_en: str


CARRY_RULES: dict[str, CarryRule] = {
    "count": CarryRule(
        "count",
        "cộng các đơn vị cũ (đơn vị bị chia: theo tỷ lệ diện tích)",
        "sum over the former units (split units: by area share)",
    ),
    "indicator": CarryRule(
        "indicator",
        "bình quân các đơn vị cũ, gia quyền theo dân số Tổng điều tra 2009 (đơn vị bị chia: dân số × tỷ lệ diện tích)",
        "mean of the former units weighted by 2009 census population (split units: population × area share)",
    ),
    "criterion": CarryRule(
        "criterion",
        "k trên n xã cũ đạt tiêu chí (không tính số tiêu chí cho đơn vị mới)",
        "k of n former communes met the criterion (no criterion count is made up for the new unit)",
    ),
    "total": CarryRule(
        "total",
        "số xã cũ đạt chuẩn NTM (đạt mọi tiêu chí) trên số xã cũ được đánh giá",
        "former communes meeting the NTM standard (all criteria met), k of n assessed",
    ),
    "flag": CarryRule("flag", "k trên n đơn vị cũ có", "k of n former units with the flag"),
    "key": CarryRule("key", "mã đơn vị mới; năm giữ nguyên", "the new unit's code; the year is kept"),
}

_CRITERION = re.compile(r"^c\d{2}$")


def column_kind(name: str) -> str | None:
    """The kind of a dataset column (a key of :data:`CARRY_RULES`), or None when unknown.

    Read from the schema registry (:func:`ntm_geo.datasets.schema.column`: ``key``,
    ``criterion``, ``total``, ``indicator``, ``flag``); columns the registry does not hold
    (``population*``, ``households*``, ``*_count``: people and households, made by the carrying
    itself or by a province's table) are ``count``.
    """
    from ntm_geo.datasets.schema import column
    from ntm_geo.errors import ConfigError

    try:
        return column(name).kind
    except ConfigError:
        pass
    if _CRITERION.match(name):  # a criterion of another framework than the registry's default
        return "criterion"
    if name.startswith(("population", "households")) or name.endswith("_count"):
        return "count"
    return None


@dataclass(frozen=True)
class Carried:
    """A dataset carried to another vintage.

    Attributes
    ----------
    table : DataFrame
        One row per target unit (and year): ``commune_code`` (target vintage), ``year``, the
        carried columns (see the module docstring for their names), ``sources`` (former codes,
        ";"-joined), ``split_sources`` (former codes that were split, ";"-joined, "" if none),
        ``apportioned`` (bool: some value was apportioned by area share), ``derived`` (True).
    kinds : dict
        Input column → kind, for every carried column.
    not_carried : list of str
        Input columns of no known kind.
    source, target : str
        Vintage keys.
    """

    table: pd.DataFrame
    kinds: dict[str, str]
    not_carried: list[str]
    source: str
    target: str
    note_vi: str = field(default="")
    note_en: str = field(default="")

    def rule(self, column: str, lang: str = "vi") -> str:
        """The stated rule that produced ``column``'s values (input column name)."""
        r = CARRY_RULES[self.kinds[column]]
        return Bilingual.of(r, "rule").pick(lang)


def carry_note(lang: str = "vi", source: str = "2015", target: str = "2025") -> str:
    """The sentence that labels carried values as derived (legend notes, tooltips, exports)."""
    return Bilingual(*_note(source, target)).pick(lang)


def _note(source: str, target: str) -> tuple[str, str]:
    return (
        f"Số liệu suy ra: chuyển từ đơn vị {source} sang đơn vị {target} theo bảng chuyển đổi "
        "(chồng lớp diện tích, đối chiếu Nghị quyết 1672/NQ-UBTVQH15); tỷ lệ gia quyền theo dân số 2009; "
        "tiêu chí ghi 'k/n xã cũ đạt'.",
        f"Derived values: carried from {source} units to {target} units by the crosswalk (area overlay "
        "reconciled with Resolution 1672/NQ-UBTVQH15); rates weighted by 2009 population; criteria "
        "shown as 'k of n former communes met'.",
    )


def carry(
    dataset: pd.DataFrame,
    weights: pd.DataFrame,
    population: pd.Series,
    *,
    source: str = "2015",
    target: str = "2025",
    target_codes: list[str] | None = None,
    n_criteria: int | None = None,
) -> Carried:
    """Carry ``dataset`` (one row per former unit and year) to the target vintage.

    Parameters
    ----------
    dataset : DataFrame
        ``commune_code`` (former units), ``year``, and any columns of a known kind.
    weights : DataFrame
        ``from_code``, ``to_code``, ``weight`` (e.g. ``Crosswalk.pieces``; rows of weight 0 are
        ignored), ``split`` optional per row (bool) — when absent, a former unit with more than
        one weighted target is split.
    population : Series
        2009 census population (people) by former code; the weight of rates.
    target_codes : list of str, optional
        Every target unit, so units with no former unit still get a row (all values empty).
    n_criteria : int, optional
        Criteria of the framework (a commune meets the standard when ``criteria_met`` equals
        it); default: the 19 criteria of :mod:`ntm_geo.criteria.framework`.

    Raises
    ------
    DataError
        ``dataset`` lacks ``commune_code``, or names former units the weights do not know
        (listed).
    """
    if "commune_code" not in dataset.columns:
        raise DataError(
            "The dataset has no commune_code column; it cannot be carried to another vintage.",
            "Bộ dữ liệu không có cột commune_code nên không chuyển sang bộ đơn vị khác được.",
            column="commune_code",
        )
    w = weights.loc[weights["weight"] > 0, ["from_code", "to_code", "weight"]]
    unknown = sorted(set(dataset["commune_code"]) - set(w["from_code"]))
    if unknown:
        raise DataError(
            f"{len(unknown)} unit code(s) of the dataset are not {source} units of the crosswalk: {unknown[:10]}.",
            f"{len(unknown)} mã đơn vị của bộ dữ liệu không thuộc bộ đơn vị {source} của bảng chuyển đổi: "
            f"{unknown[:10]}.",
            column="commune_code",
        )
    if n_criteria is None:
        from ntm_geo.criteria.framework import CRITERION_COLUMNS

        n_criteria = len(CRITERION_COLUMNS)
    n_targets = w.groupby("from_code")["to_code"].transform("count")
    w = w.assign(is_split=n_targets > 1)
    kinds = {c: k for c in dataset.columns if (k := column_kind(c)) is not None and k != "key"}
    not_carried = [c for c in dataset.columns if column_kind(c) is None]
    has_year = "year" in dataset.columns
    frame = dataset.merge(w, left_on="commune_code", right_on="from_code", how="inner")
    frame["pop_w"] = frame["commune_code"].map(population).astype(float) * frame["weight"]

    rows = []
    group_keys = ["to_code", "year"] if has_year else ["to_code"]
    for key, g in frame.groupby(group_keys, sort=True):
        if has_year:
            to_code, year = key
        else:
            to_code, year = (key[0] if isinstance(key, tuple) else key), None
        row: dict[str, object] = {"commune_code": to_code}
        if has_year:
            row["year"] = year
        for column, kind in kinds.items():
            values = g[column]
            if kind == "count":
                row[column] = float((values.astype(float) * g["weight"]).sum(min_count=1))
            elif kind == "indicator":
                ok = values.notna() & g["pop_w"].notna() & (g["pop_w"] > 0)
                den = g.loc[ok, "pop_w"].sum()
                row[column] = (
                    float((values[ok].astype(float) * g.loc[ok, "pop_w"]).sum() / den) if den else np.nan
                )
            elif kind in ("criterion", "flag"):
                known = values.dropna().astype(bool)
                suffix = ("_met", "_of") if kind == "criterion" else ("_yes", "_of")
                row[column + suffix[0]] = int(known.sum())
                row[column + suffix[1]] = len(known)
            elif kind == "total":
                known = values.dropna().astype(int)
                row["ntm_standard_met"] = int((known == n_criteria).sum())
                row["ntm_standard_of"] = len(known)
        row["sources"] = ";".join(sorted(g["commune_code"]))
        row["split_sources"] = ";".join(sorted(g.loc[g["is_split"], "commune_code"]))
        row["apportioned"] = bool(g["is_split"].any())
        row["derived"] = True
        rows.append(row)
    table = pd.DataFrame(rows)
    if target_codes is not None:
        have = set(table["commune_code"]) if len(table) else set()
        missing = [c for c in target_codes if c not in have]
        if missing:
            table = pd.concat(
                [table, pd.DataFrame({"commune_code": missing, "derived": True})], ignore_index=True
            )
    for column in table.columns:
        if column.endswith(("_met", "_of", "_yes")):
            table[column] = table[column].astype("Int64")
    note_vi, note_en = _note(source, target)
    return Carried(
        table.sort_values(["commune_code", *(["year"] if has_year else [])]).reset_index(drop=True),
        kinds,
        not_carried,
        source,
        target,
        note_vi,
        note_en,
    )


def carry_to_2025(dataset: pd.DataFrame) -> Carried:
    """Carry a 2015-keyed dataset (e.g. the illustrative one) to the 65 units of 2025.

    Uses :func:`ntm_geo.geo.crosswalk.build_crosswalk` and the 2009 census population of the
    2015 units (censusVN2009); every 2025 unit gets a row. The result's ``population_2009`` is
    added (the 2009 population carried by the ``count`` rule).
    """
    from ntm_geo.geo.crosswalk import build_crosswalk
    from ntm_geo.geo.vintages import get_vintage

    cw = build_crosswalk("2015", "2025")
    population = cw.units.set_index("from_code")["population_2009"].astype(float)
    data = dataset
    if "population_2009" not in data.columns:
        data = data.assign(population_2009=data["commune_code"].map(population))
    codes = get_vintage("2025").load_units()["commune_code"].tolist()
    return carry(data, cw.pieces, population, source="2015", target="2025", target_codes=codes)


def carried_csv(dataset_id: str, year: int) -> tuple[bytes, Carried]:
    """CSV bytes of a dataset year carried to the 2025 units, and the :class:`Carried` result.

    Columns: ``commune_code``, ``name_with_type`` (2025 unit), then the carried columns (see
    :mod:`ntm_geo.datasets.carry`), ``sources``, ``split_sources``, ``apportioned``, ``derived``.
    The first line is a ``#`` comment saying the values are derived (and illustrative, for the
    illustrative dataset) and how.
    """
    from ntm_geo.datasets import catalog
    from ntm_geo.exports.tables import table_csv_bytes
    from ntm_geo.geo.vintages import units_2025

    info = catalog.get_dataset(dataset_id)
    carried = carry_to_2025(catalog.load_year(dataset_id, year))
    names = units_2025().set_index("commune_code")["name_with_type"]
    table = carried.table
    table.insert(1, "name_with_type", table["commune_code"].map(names))
    notes = [carried.note_vi, carried.note_en]
    if info.illustrative:
        notes = [info.note_vi, info.note_en, *notes]
    return table_csv_bytes(table, note=" | ".join(notes)), carried
