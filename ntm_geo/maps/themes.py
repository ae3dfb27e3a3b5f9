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
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from ntm_geo.datasets import schema
from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import (
    NO_DATA,
    NOT_ASSESSED,
    ClassDef,
    Classification,
    classify_binary,
    classify_fixed,
    classify_scheme,
    format_number,
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
        return self.label_vi if lang == "vi" else self.label_en


@dataclass(frozen=True)
class Theme:
    key: str
    label_vi: str
    label_en: str
    variables: tuple[str, ...]  # variable keys; the first is the default

    def label(self, lang: str = "vi") -> str:
        return self.label_vi if lang == "vi" else self.label_en


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
        allowed = ", ".join(THEMES)
        raise ConfigError(
            f"Unknown theme {key!r}; allowed: {allowed}.",
            f"Chủ đề bản đồ không hợp lệ {key!r}; các giá trị hợp lệ: {allowed}.",
        )
    return THEMES[key]


def variable(key: str) -> Variable:
    """Look a variable up; raises :class:`ConfigError` listing the allowed keys."""
    if key not in VARIABLES:
        allowed = ", ".join(VARIABLES)
        raise ConfigError(
            f"Unknown map variable {key!r}; allowed: {allowed}.",
            f"Biến bản đồ không hợp lệ {key!r}; các giá trị hợp lệ: {allowed}.",
        )
    return VARIABLES[key]


def join_dataset(units: gpd.GeoDataFrame, dataset: pd.DataFrame) -> gpd.GeoDataFrame:
    """Join a year's criteria/indicator table to the units by ``commune_code``.

    Parameters
    ----------
    units : GeoDataFrame
        From :mod:`ntm_geo.geo.boundaries` (``commune_code``, ``assessed``, ... , geometry).
    dataset : DataFrame
        One row per unit (``commune_code``; ``c01``..``c19``, ``criteria_met``, indicators).
        Units without a row get NA everywhere (= no data).

    Returns
    -------
    GeoDataFrame
        ``units`` (same order, CRS) plus the dataset columns and ``infra_criteria_met``
        (Int64: number of criteria 2–9 met; NA when any of them is blank).
    """
    data = dataset.drop(columns=[c for c in ("year",) if c in dataset.columns])
    overlap = [c for c in data.columns if c in units.columns and c != "commune_code"]
    joined = units.merge(data.drop(columns=overlap), on="commune_code", how="left")
    present = [c for c in INFRA_CRITERIA if c in joined.columns]
    if len(present) == len(INFRA_CRITERIA):
        block = joined[present].astype("Float64")
        joined["infra_criteria_met"] = block.sum(axis=1, skipna=False).astype("Int64")
    else:
        joined["infra_criteria_met"] = pd.array([pd.NA] * len(joined), dtype="Int64")
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
    var = variable(variable_key)
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
        unit = var.unit_vi if lang == "vi" else var.unit_en
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
    return ChoroplethView(
        var, result, tuple(result.fill_colors()), tuple(_display(values, result, var, lang))
    )


def _has_values(values: pd.Series, assessed: np.ndarray | None) -> bool:
    usable = values.notna().to_numpy(dtype=bool)
    if assessed is not None:
        usable &= assessed
    return bool(usable.any())


def _display(values: pd.Series, result: Classification, var: Variable, lang: str) -> list[str]:
    labels_no = {"vi": "Không có dữ liệu", "en": "No data"}[lang]
    labels_na = {"vi": "Không đánh giá", "en": "Not assessed"}[lang]
    binary = var.binary_labels_vi if lang == "vi" else var.binary_labels_en
    unit = var.unit_vi if lang == "vi" else var.unit_en
    out = []
    for value, cls in zip(values.to_numpy(dtype=float, na_value=np.nan), result.yb, strict=True):
        if cls == NOT_ASSESSED:
            out.append(labels_na)
        elif cls == NO_DATA:
            out.append(labels_no)
        elif var.kind == "binary":
            out.append(binary[int(value)])
        elif var.key == "criteria_met":
            out.append(f"{int(value)}/19")
        elif var.kind == "fixed":
            out.append(f"{int(value)}/8")
        else:
            out.append(f"{format_number(value, lang, var.decimals)}{' ' + unit if unit else ''}")
    return out
