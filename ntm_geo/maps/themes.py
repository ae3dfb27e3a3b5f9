"""Map themes and their variables, and the computation of one choropleth view.

Three themes (lookup tables, not if/elif chains):

* ``criteria`` — number of the 19 national criteria met (fixed classes of the report:
  19 / 15–18 / 10–14 / 5–9 / < 5), or one chosen criterion as met / not met;
* ``poverty`` — poverty rate (% of households), classes from a mapclassify scheme;
* ``infrastructure`` — number of the infrastructure criteria 2–9 met, and each 2015 indicator
  (% rural road hardened, % households using electricity, % cropland irrigated, % households
  with hygienic water, all-season car access to the commune centre).

Palettes are ColorBrewer schemes (Cynthia Brewer, colorbrewer2.org) taken from
:func:`branca.utilities.color_brewer`; the sequential schemes used and the blue/orange pair
for yes/no are colour-blind safe.

Criteria frameworks (issue 13): the criteria theme follows the framework of the table
(:mod:`ntm_geo.criteria.frameworks`). :func:`join_dataset` records it in a ``framework_id``
column (the dataset's year decides unless given), :func:`compute_view` then labels the
criteria with that framework's names (the schema registry's columns of that framework) and
classes the number met over 0–N (N = 19, or 10 under 51/2025, :func:`criteria_classes`); the
infrastructure count uses the framework's "infrastructure" group (criteria 2–9 of the
19-criteria frameworks) and is "no data" under a framework without one. :data:`VARIABLES` keeps
the registry's default framework for callers that name none.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import Framework, default_framework
from ntm_geo.criteria.frameworks import framework as framework_by_id
from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError, unknown_key
from ntm_geo.maps.classify import (
    NO_DATA,
    NOT_ASSESSED,
    ClassDef,
    Classification,
    classify_binary,
    classify_fixed,
    classify_scheme,
    format_number,
    not_assessed_label,
)

YES_COLOR = "#2166ac"  # ColorBrewer RdBu blue: met / yes
NO_COLOR = "#f4a582"  # ColorBrewer RdBu orange: not met / no

INFRA_CRITERIA = tuple(f"c{n:02d}" for n in range(2, 10))

CRITERIA_CLASSES = (
    ClassDef(0, 4, "< 5 tiêu chí", "< 5 criteria"),
    ClassDef(5, 9, "5–9 tiêu chí", "5–9 criteria"),
    ClassDef(10, 14, "10–14 tiêu chí", "10–14 criteria"),
    ClassDef(15, 18, "15–18 tiêu chí", "15–18 criteria"),
    ClassDef(19, 19, "19 tiêu chí (đạt chuẩn NTM)", "19 criteria (meets the NTM standard)"),
)
INFRA_CLASSES = (
    ClassDef(0, 1, "0–1 tiêu chí", "0–1 criteria"),
    ClassDef(2, 3, "2–3 tiêu chí", "2–3 criteria"),
    ClassDef(4, 5, "4–5 tiêu chí", "4–5 criteria"),
    ClassDef(6, 7, "6–7 tiêu chí", "6–7 criteria"),
    ClassDef(8, 8, "Cả 8 tiêu chí", "All 8 criteria"),
)


def criteria_classes(n: int) -> tuple[ClassDef, ...]:
    """Fixed classes of "criteria met" over 0–``n``: the report's classes for 19 (< 5, 5–9,
    10–14, 15–18, 19); for another ``n``, 0–(n-1) split into four near-equal ranges, and ``n``
    alone (meets the standard).

    >>> [(c.low, c.high) for c in criteria_classes(10)]
    [(0, 2), (3, 5), (6, 7), (8, 9), (10, 10)]
    """
    if n == 19:
        return CRITERIA_CLASSES
    if n < 1:
        raise ConfigError(
            f"A framework needs at least one criterion (got {n}).",
            f"Bộ tiêu chí cần ít nhất một tiêu chí ({n}).",
        )
    parts = [p for p in np.array_split(np.arange(n), min(4, n)) if len(p)]
    out = []
    for p in parts:
        low, high = int(p[0]), int(p[-1])
        span = f"{low}" if low == high else f"{low}–{high}"
        out.append(ClassDef(low, high, f"{span} tiêu chí", f"{span} criteria"))
    out.append(ClassDef(n, n, f"{n} tiêu chí (đạt chuẩn NTM)", f"{n} criteria (meets the NTM standard)"))
    return tuple(out)


@dataclass(frozen=True)
class Variable:
    """One mappable variable.

    ``kind`` is "fixed" (``classes`` given), "scheme" (mapclassify) or "binary" (met/not met);
    ``assessed_only`` marks variables that exist only for xã (others are *not assessed*);
    ``unit_vi``/``unit_en`` are appended to values ("%"); ``palette`` is a ColorBrewer name.
    """

    key: str
    theme: str
    label_vi: str
    label_en: str
    kind: str
    palette: str
    assessed_only: bool
    unit_vi: str = ""
    unit_en: str = ""
    classes: tuple[ClassDef, ...] = ()
    binary_labels_vi: tuple[str, str] = ("Chưa đạt", "Đạt")
    binary_labels_en: tuple[str, str] = ("Not met", "Met")
    decimals: int = 1

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)

    def unit(self, lang: str = "vi") -> str:
        """The unit appended to values ("%"; empty for counts and yes/no)."""
        return Bilingual(self.unit_vi, self.unit_en).pick(lang)

    def binary_labels(self, lang: str = "vi") -> tuple[str, str]:
        """(not met / no, met / yes) in ``lang``."""
        no, yes = (
            Bilingual(vi, en) for vi, en in zip(self.binary_labels_vi, self.binary_labels_en, strict=True)
        )
        return no.pick(lang), yes.pick(lang)


@dataclass(frozen=True)
class Theme:
    key: str
    label_vi: str
    label_en: str
    variables: tuple[str, ...]  # variable keys; the first is the default

    def label(self, lang: str = "vi") -> str:
        return Bilingual(self.label_vi, self.label_en).pick(lang)


def _variables() -> dict[str, Variable]:
    total = schema.column("criteria_met").label
    table = [
        Variable(
            "criteria_met",
            "criteria",
            total.vi,
            total.en,
            "fixed",
            "YlGn",
            True,
            classes=CRITERIA_CLASSES,
            decimals=0,
        ),
    ]
    for c in schema.criterion_columns():
        table.append(Variable(c.key, "criteria", c.label.vi, c.label.en, "binary", "", True))
    table.append(
        Variable(
            "infra_criteria_met",
            "infrastructure",
            "Số tiêu chí hạ tầng đạt (tiêu chí 2–9)",
            "Infrastructure criteria met (criteria 2–9)",
            "fixed",
            "PuBu",
            True,
            classes=INFRA_CLASSES,
            decimals=0,
        )
    )
    table += [_indicator_variable(c) for c in schema.value_columns() if c.theme is not None]
    return {v.key: v for v in table}


def _indicator_variable(c: schema.Column) -> Variable:
    """The map variable of an indicator or flag of the schema registry."""
    if c.kind == "flag":
        no, yes = c.yes_no
        return Variable(
            c.key,
            str(c.theme),
            c.label.vi,
            c.label.en,
            "binary",
            "",
            c.assessed_only,
            binary_labels_vi=(no.vi, yes.vi),
            binary_labels_en=(no.en, yes.en),
        )
    return Variable(
        c.key,
        str(c.theme),
        c.label.vi,
        c.label.en,
        "scheme",
        c.palette,
        c.assessed_only,
        unit_vi=c.unit,
        unit_en=c.unit,
    )


def _themes(variables: dict[str, Variable]) -> dict[str, Theme]:
    def of(theme_key: str) -> tuple[str, ...]:
        return tuple(v.key for v in variables.values() if v.theme == theme_key)

    return {
        "criteria": Theme("criteria", "Tiêu chí nông thôn mới", "NTM criteria met", of("criteria")),
        "poverty": Theme("poverty", "Tỷ lệ hộ nghèo", "Poverty rate", of("poverty")),
        "infrastructure": Theme("infrastructure", "Hạ tầng", "Infrastructure coverage", of("infrastructure")),
    }


#: Map variables by key, and themes: built from the schema registry (an indicator with a
#: ``theme`` is a variable of that theme), rebuilt in place when the registry changes.
VARIABLES: dict[str, Variable] = _variables()
THEMES: dict[str, Theme] = _themes(VARIABLES)


def _registry_changed() -> None:
    VARIABLES.clear()
    VARIABLES.update(_variables())
    THEMES.clear()
    THEMES.update(_themes(VARIABLES))


schema.on_change(_registry_changed)


def theme(key: str) -> Theme:
    """Look a theme up; raises :class:`ConfigError` listing the allowed keys."""
    if key not in THEMES:
        what = Bilingual("Chủ đề bản đồ", "theme")
        raise unknown_key(key, THEMES, what, lambda k, lang: THEMES[k].label(lang))
    return THEMES[key]


def framework_variables(fw: Framework) -> dict[str, Variable]:
    """The criteria variables of a framework: ``criteria_met`` (0–N, :func:`criteria_classes`)
    and one met/not-met variable per criterion, labelled as the schema registry labels that
    framework's columns."""
    schema.register_framework(fw.id, fw.criteria)
    total = schema.column("criteria_met", framework=fw.id).label
    n = len(fw.criteria)
    out = {
        "criteria_met": Variable(
            "criteria_met",
            "criteria",
            total.vi,
            total.en,
            "fixed",
            "YlGn",
            True,
            classes=criteria_classes(n),
            decimals=0,
        )
    }
    for c in schema.criterion_columns(fw.id):
        out[c.key] = Variable(c.key, "criteria", c.label.vi, c.label.en, "binary", "", True)
    return out


def theme_variables(theme_key: str, fw: Framework | None = None) -> tuple[str, ...]:
    """The variables a theme offers under framework ``fw`` (default: :data:`THEMES`' list, the
    registry's default framework): the criteria theme lists ``criteria_met`` and the framework's
    criteria."""
    th = theme(theme_key)
    if fw is None or theme_key != "criteria":
        return th.variables
    return ("criteria_met", *fw.criterion_keys)


def year_variable(key: str, year: int) -> Variable:
    """The variable ``key`` as a map of ``year`` shows it: criteria labelled after the year's
    framework ("Số tiêu chí đạt (0–10)" in 2026), other variables as :func:`variable`."""
    try:
        fw = default_framework(int(year))
    except ConfigError:
        fw = None
    return variable(key, fw)


def table_framework(table: pd.DataFrame) -> Framework | None:
    """The framework recorded by :func:`join_dataset` in ``framework_id``, or None."""
    if "framework_id" not in table.columns or not len(table):
        return None
    fid = table["framework_id"].iloc[0]
    return framework_by_id(str(fid)) if isinstance(fid, str) and fid else None


def variable(key: str, fw: Framework | None = None) -> Variable:
    """Look a variable up (its criteria labelled after framework ``fw`` when given); raises
    :class:`ConfigError` listing the allowed keys."""
    if fw is not None:
        own = framework_variables(fw)
        if key in own:
            return own[key]
        if key in schema.column_keys("criterion"):
            raise ConfigError(
                f"Criterion column {key!r} is not part of Decision {fw.decision} ({len(fw.criteria)} criteria); "
                f"allowed: {', '.join(own)}.",
                f"Cột tiêu chí {key!r} không thuộc QĐ {fw.decision} ({len(fw.criteria)} tiêu chí); "
                f"các giá trị hợp lệ: {', '.join(own)}.",
            )
    if key not in VARIABLES:
        allowed = ", ".join(VARIABLES)
        raise ConfigError(
            f"Unknown map variable {key!r}; allowed: {allowed}.",
            f"Biến bản đồ không hợp lệ {key!r}; các giá trị hợp lệ: {allowed}.",
        )
    return VARIABLES[key]


def join_dataset(
    units: gpd.GeoDataFrame, dataset: pd.DataFrame, framework: Framework | None = None
) -> gpd.GeoDataFrame:
    """Join a year's criteria/indicator table to the units by ``commune_code``.

    Parameters
    ----------
    units : GeoDataFrame
        From :mod:`ntm_geo.geo.boundaries` (``commune_code``, ``assessed``, ... , geometry).
    dataset : DataFrame
        One row per unit (``commune_code``; ``c01``..``c19``, ``criteria_met``, indicators).
        Units without a row get NA everywhere (= no data).
    framework : Framework, optional
        The table's criteria framework; default: the one its ``framework_id`` column declares,
        else the framework of the table's single ``year`` (none when the table has no year).

    Returns
    -------
    GeoDataFrame
        ``units`` (same order, CRS) plus the dataset columns, ``infra_criteria_met``
        (Int64: number of the framework's infrastructure criteria met — 2–9 of the 19-criteria
        frameworks; NA when any of them is blank or the framework has no such group) and
        ``framework_id`` (str, "" when unknown).
    """
    if framework is None and "framework_id" in dataset.columns:  # declared by the table
        ids = [str(v) for v in dataset["framework_id"].dropna().unique() if str(v)]
        if len(ids) == 1:
            framework = framework_by_id(ids[0])
    if framework is None and "year" in dataset.columns:
        years = pd.to_numeric(dataset["year"], errors="coerce").dropna().unique()
        if len(years) == 1:
            framework = default_framework(int(years[0]))
    data = dataset.drop(columns=[c for c in ("year", "framework_id") if c in dataset.columns])
    overlap = [c for c in data.columns if c in units.columns and c != "commune_code"]
    joined = units.merge(data.drop(columns=overlap), on="commune_code", how="left")
    infra = INFRA_CRITERIA
    if framework is not None:
        infra = tuple(c.key for c in framework.criteria if c.group == "infrastructure")
    present = [c for c in infra if c in joined.columns]
    if infra and len(present) == len(infra):
        block = joined[present].astype("Float64")
        joined["infra_criteria_met"] = block.sum(axis=1, skipna=False).astype("Int64")
    else:
        joined["infra_criteria_met"] = pd.array([pd.NA] * len(joined), dtype="Int64")
    joined["framework_id"] = framework.id if framework is not None else ""
    return gpd.GeoDataFrame(joined, geometry="geometry", crs=units.crs)


@dataclass(frozen=True)
class ChoroplethView:
    """Everything a map needs for one variable: classes, a fill colour and a display value per unit."""

    variable: Variable
    classification: Classification
    fills: tuple[str, ...]
    display_values: tuple[str, ...]


def compute_view(
    joined: gpd.GeoDataFrame,
    variable_key: str,
    *,
    scheme: str = "natural_breaks",
    k: int = 5,
    lang: str = "vi",
) -> ChoroplethView:
    """Classify one variable of a joined table (see :func:`join_dataset`).

    Raises
    ------
    ConfigError
        Unknown variable or scheme, or ``k`` out of range (see :mod:`ntm_geo.maps.classify`).
    """
    fw = table_framework(joined)
    var = variable(variable_key, fw)
    assessed = joined["assessed"].to_numpy(dtype=bool) if var.assessed_only else None
    if var.key in joined.columns:
        values = joined[var.key]
    else:
        values = pd.Series([np.nan] * len(joined))
    values = pd.to_numeric(values.astype("Float64"), errors="coerce")
    if var.kind == "fixed":
        colors = color_brewer(var.palette, len(var.classes))
        result = classify_fixed(values, var.classes, colors, assessed)
    elif var.kind == "binary":
        result = classify_binary(
            values, var.binary_labels_vi, var.binary_labels_en, (NO_COLOR, YES_COLOR), assessed
        )
    elif _has_values(values, assessed):
        unit = var.unit(lang)
        result = classify_scheme(
            values,
            scheme,
            k,
            color_brewer(var.palette, 7),
            unit=unit,
            decimals=var.decimals,
            assessed=assessed,
        )
    else:  # e.g. 2015-only indicators in 2011: a map of "no data", not an error page
        result = classify_fixed(values, (), (), assessed)
    if {"unit_type", "assessed"} <= set(
        joined.columns
    ):  # "(phường)" only on the 2025 units: no thị trấn since 1/7/2025
        not_assessed = ~joined["assessed"].to_numpy(dtype=bool)
        result = replace(result, not_assessed=not_assessed_label(joined["unit_type"][not_assessed]))
    n = len(fw.criteria) if fw is not None else 19
    return ChoroplethView(
        var, result, tuple(result.fill_colors()), tuple(_display(values, result, var, lang, n))
    )


def _has_values(values: pd.Series, assessed: np.ndarray | None) -> bool:
    usable = values.notna().to_numpy(dtype=bool)
    if assessed is not None:
        usable &= assessed
    return bool(usable.any())


def _display(values: pd.Series, result: Classification, var: Variable, lang: str, n: int = 19) -> list[str]:
    labels_no = {"vi": "Không có dữ liệu", "en": "No data"}[lang]
    labels_na = {"vi": "Không đánh giá", "en": "Not assessed"}[lang]
    binary = var.binary_labels(lang)
    unit = var.unit(lang)
    out = []
    for value, cls in zip(values.to_numpy(dtype=float, na_value=np.nan), result.yb, strict=True):
        if cls == NOT_ASSESSED:
            out.append(labels_na)
        elif cls == NO_DATA:
            out.append(labels_no)
        elif var.kind == "binary":
            out.append(binary[int(value)])
        elif var.key == "criteria_met":
            out.append(f"{int(value)}/{n}")
        elif var.kind == "fixed":
            out.append(f"{int(value)}/8")
        else:
            out.append(f"{format_number(value, lang, var.decimals)}{' ' + unit if unit else ''}")
    return out
