"""The indicator columns of a criteria framework: ``cNN_M`` per indicator (chỉ tiêu) N.M.

A framework file (``data/frameworks/*.yaml``, or a province's own in ``NTM_GEO_FRAMEWORKS_DIR``,
:mod:`ntm_geo.criteria.frameworks`) lists indicators under its criteria; each is a dataset column
``cNN_M`` (:attr:`ntm_geo.criteria.frameworks.Indicator.key`: ``c04_2`` for indicator 4.2). This
module turns them into schema registry entries (:class:`ntm_geo.datasets.schema.Column`, kind
``indicator``, ``framework`` set) so that the import, the store, the template, the exports and
the profile read them as they read the registry's own indicators.

Units and valid ranges (the import checks every value against them):

=========================  ==============================  ===================================
indicator unit             range                           values read
=========================  ==============================  ===================================
``%``                      0–100                           numbers (``11,9``, ``95%``)
any other unit (e.g.       0 or more                       numbers (``36``, ``1.474.000``)
``triệu đồng/người/năm``)
none (a yes/no standard,   0 or more                       numbers, or Đạt/Chưa đạt, 1/0, x
e.g. 4.1 "Hệ thống điện                                    (stored 1 / 0)
đạt chuẩn")
=========================  ==============================  ===================================

An indicator linked to a registry column (``column: poverty_rate_pct`` in its framework file: the
same quantity, one column per quantity) has no ``cNN_M`` column: its values are the registry
column's, the import reads its headers into that column (:func:`linked_columns`), the template asks
once (the registry column, with the indicator's number and threshold in its comment) and the profile
judges it from the registry column.

Headers the import recognises for indicator N.M (:func:`ntm_geo.datasets.importing.headers.header_field`,
compared folded as every alias): ``cNN_M``, ``Chỉ tiêu N.M``, ``CT N.M``, ``Indicator N.M``, a bare
``N.M`` when some framework lists that indicator, and the indicator's Vietnamese and English names.

Examples
--------
>>> [c.key for c in indicator_columns("qd491_342")][:3]
['c02_1', 'c02_2', 'c02_3']
>>> col = indicator_columns("qd491_342")[4]
>>> col.key, col.unit, col.valid_range, col.label.vi
('c10_1', 'triệu đồng/người/năm', (0.0, inf), 'Chỉ tiêu 10.1: Thu nhập bình quân đầu người khu vực nông thôn')
>>> known_indicator_keys()["c04_2"]
('qd491_342', 'qd1980')
>>> linked_columns("qd491_342")
{'c04_2': 'electricity_hh_pct', 'c11_1': 'poverty_rate_pct', 'c17_1': 'hygienic_water_hh_pct'}
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import Framework, all_frameworks, framework
from ntm_geo.datasets import schema
from ntm_geo.datasets.schema import Column

#: An indicator column key: ``c04_2`` (criterion 4, indicator 2).
KEY_RE = re.compile(r"^c(\d{2})_(\d{1,2})$")
_PCT = (0.0, 100.0)
_NON_NEGATIVE = (0.0, math.inf)


def is_indicator_key(key: str) -> bool:
    """Whether ``key`` is an indicator column (``c04_2``)."""
    return bool(KEY_RE.match(str(key)))


def indicator_number(key: str) -> str:
    """``"c04_2"`` -> ``"4.2"``; ValueError for a key that is not an indicator column."""
    m = KEY_RE.match(key)
    if not m:
        raise ValueError(key)
    return f"{int(m.group(1))}.{int(m.group(2))}"


def _frameworks() -> Sequence[Framework]:
    return all_frameworks()


def indicator_columns(framework_id: str) -> tuple[Column, ...]:
    """The indicator columns of framework ``framework_id``, in criterion order, as registry entries
    (kind ``indicator``, dtype float64, unit and range as in the module docstring, ``framework``
    set, no map theme). An indicator linked to a registry column (:func:`linked_columns`) has none.

    Raises
    ------
    ConfigError
        Unknown framework id (the message lists the known ones).
    """
    fw = framework(framework_id)
    out = []
    for ind in fw.indicators:
        if ind.column is not None:
            continue
        unit = ind.unit or ""
        shown_vi = f" ({unit})" if unit else ""
        out.append(
            Column(
                ind.key,
                "indicator",
                "float64",
                Bilingual(f"Chỉ tiêu {ind.number}: {ind.name_vi}", f"Indicator {ind.number}: {ind.name_en}"),
                Bilingual(
                    f"CT{ind.number}. {ind.name_vi}{shown_vi}", f"I{ind.number} {ind.name_en}{shown_vi}"
                ),
                unit=unit,
                valid_range=_PCT if unit == "%" else _NON_NEGATIVE,
                aliases=(
                    f"chỉ tiêu {ind.number}",
                    f"ct {ind.number}",
                    f"indicator {ind.number}",
                    ind.name_vi,
                    ind.name_en,
                ),
                framework=fw.id,
                in_template=True,
            )
        )
    return tuple(out)


def linked_columns(framework_id: str) -> dict[str, str]:
    """Indicator key (``c11_1``) -> the registry column measuring it (``poverty_rate_pct``), for the
    indicators of framework ``framework_id`` that declare one (``column`` in the framework file).

    Raises
    ------
    ConfigError
        Unknown framework id.
    """
    return {ind.key: ind.column for ind in framework(framework_id).indicators if ind.column is not None}


def known_indicator_keys() -> dict[str, tuple[str, ...]]:
    """Indicator key -> ids of the frameworks listing it (national, then the province's)."""
    out: dict[str, tuple[str, ...]] = {}
    for fw in _frameworks():
        for ind in fw.indicators:
            out[ind.key] = (*out.get(ind.key, ()), fw.id)
    return out


def indicator_names() -> dict[str, str]:
    """Folded-later indicator name (Vietnamese and English, as written) -> key, over every
    framework; a name two frameworks give different keys keeps the first (national first)."""
    out: dict[str, str] = {}
    for fw in _frameworks():
        for ind in fw.indicators:
            for name in (ind.name_vi, ind.name_en):
                out.setdefault(name, ind.key)
    return out


def indicator_column(key: str, framework_id: str) -> Column | None:
    """Indicator column ``key`` (``c04_2``) of ``framework_id`` when it lists it, else of the first
    framework that does (its name and unit), else None; for an indicator linked to a registry
    column (:func:`linked_columns`), that column (``c11_1`` -> ``poverty_rate_pct``)."""
    owners = sorted(known_indicator_keys().get(key, ()), key=lambda f: f != framework_id)
    if not owners:
        return None
    linked = linked_columns(owners[0]).get(key)
    if linked is not None:
        return schema.column(linked)
    return next((c for c in indicator_columns(owners[0]) if c.key == key), None)


@dataclass(frozen=True)
class LinkConflict:
    """Units of a table whose former indicator column (``key``, ``c11_1``) and the registry column
    it is linked to (``column``, ``poverty_rate_pct``) hold different values: the registry
    column's value is kept (:func:`fold_linked_columns`). ``codes``: the units' codes, in order."""

    key: str
    column: str
    codes: tuple[str, ...]

    def message(self, year: int) -> Bilingual:
        """One sentence per language naming the year, both columns and the units (at most 5)."""
        shown = ", ".join(self.codes[:5]) + (f" … (+{len(self.codes) - 5})" if len(self.codes) > 5 else "")
        number = indicator_number(self.key)
        label = schema.column(self.column).label
        return Bilingual(
            f"Năm {year}: cột cũ {self.key} (chỉ tiêu {number}) và cột «{label.vi}» ({self.column}) khác "
            f"nhau ở {len(self.codes)} đơn vị ({shown}); dùng giá trị của cột «{label.vi}».",
            f"{year}: the former column {self.key} (indicator {number}) and «{label.en}» ({self.column}) "
            f"differ for {len(self.codes)} unit(s) ({shown}); the values of «{label.en}» are used.",
        )


@dataclass(frozen=True)
class LinkDropped:
    """Values of a former indicator column (``key``, ``c11_1``) left out when it is folded into its
    registry column (``column``, ``poverty_rate_pct``): outside the column's valid range
    (:attr:`ntm_geo.datasets.schema.Column.valid_range`, e.g. 0–100 %) or not a finite number
    (:func:`fold_linked_columns`). ``values``: (unit code, the number, or None when not a number),
    in table order."""

    key: str
    column: str
    values: tuple[tuple[str, float | None], ...]

    def message(self, year: int) -> Bilingual:
        """One sentence per language naming the year, both columns, the valid range and the units
        with their values (at most 5; a value that is not a number is not echoed)."""
        spec = schema.column(self.column)
        low, high = spec.valid_range or (-math.inf, math.inf)
        span = (
            f"{low:g}–{high:g} {spec.unit}".strip() if high < math.inf else f"≥ {low:g} {spec.unit}".strip()
        )

        def shown(lang: str) -> str:
            nan = Bilingual("không phải số", "not a number").pick(lang)
            items = [
                f"{code} = {value:g}" if value is not None else f"{code}: {nan}"
                for code, value in self.values
            ]
            more = f" … (+{len(items) - 5})" if len(items) > 5 else ""
            return ", ".join(items[:5]) + more

        number = indicator_number(self.key)
        n = len(self.values)
        return Bilingual(
            f"Năm {year}: cột cũ {self.key} (chỉ tiêu {number}) có {n} giá trị ngoài {span} hoặc không phải "
            f"số ({shown('vi')}); các giá trị này bỏ qua (để trống) trong cột «{spec.label.vi}» ({self.column}).",
            f"{year}: the former column {self.key} (indicator {number}) has {n} value(s) outside {span} or not "
            f"a number ({shown('en')}); they are left out (empty) of «{spec.label.en}» ({self.column}).",
        )


#: What folding a former indicator column reports: a disagreement, or values left out.
LinkRemark = LinkConflict | LinkDropped


def fold_linked_columns(
    table: pd.DataFrame, framework_id: str
) -> tuple[pd.DataFrame, tuple[LinkRemark, ...]]:
    """``table`` with each indicator column of ``framework_id`` that is now linked to a registry
    column (:func:`linked_columns`: ``c04_2``, ``c11_1``, ``c17_1`` of 491/342 and 1980) folded
    into that column, and the units where the two disagree.

    A table saved while such indicators still had their own column (``c11_1`` beside
    ``poverty_rate_pct``) would otherwise show nothing for them. Per row, the indicator's value
    fills the registry column where that is empty (NaN; the column is added, float64, when the
    table has none); where both hold values that differ (beyond 1e-9), the registry column's is
    kept and the row's ``commune_code`` is listed in a :class:`LinkConflict`. The indicator's
    values are first checked as the registry column's (its dtype float64 and valid range, owned by
    :mod:`ntm_geo.datasets.schema`: 0–100 for a %): a value out of range or not a finite number is
    left out (empty) and listed in a :class:`LinkDropped` — an old table is never trusted more
    than an import. The indicator column is dropped (one column per quantity). Other columns, and a table without such columns, are
    returned unchanged (a copy only when something changed).

    Raises
    ------
    ConfigError
        Unknown framework id.
    """
    links = {k: c for k, c in linked_columns(framework_id).items() if k in table.columns}
    if not links:
        return table, ()
    out = table.copy()
    conflicts: list[LinkRemark] = []
    for key, column in links.items():
        old = pd.to_numeric(out[key], errors="coerce").astype("float64")
        low, high = schema.column(column).valid_range or (-math.inf, math.inf)
        given = out[key].notna() & (out[key].astype(str).str.strip() != "")  # a blank text is empty
        bad = given & ~(np.isfinite(old) & old.between(low, high))
        if bad.any():
            conflicts.append(
                LinkDropped(
                    key,
                    column,
                    tuple(
                        (str(code), float(v) if np.isfinite(v) else None)
                        for code, v in zip(out.loc[bad, "commune_code"], old[bad], strict=True)
                    ),
                )
            )
            old = old.where(~bad)
        if column not in out.columns:
            out[column] = np.nan
        new = pd.to_numeric(out[column], errors="coerce").astype("float64")
        differ = old.notna() & new.notna() & ~np.isclose(old.fillna(0.0), new.fillna(0.0), rtol=0, atol=1e-9)
        if differ.any():
            conflicts.append(LinkConflict(key, column, tuple(out.loc[differ, "commune_code"].astype(str))))
        out[column] = new.where(new.notna(), old)
        out = out.drop(columns=key)
    return out, tuple(conflicts)
