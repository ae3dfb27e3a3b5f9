"""The profile of one commune: its 19 criteria (✓/✗), indicators, population and area.

Pure function of one row of a joined table (:func:`ntm_geo.maps.themes.join_dataset`), returning a
value the interface only displays. Every text that may come from a data file is escaped for
Markdown by :func:`escape_markdown` before it is placed in the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ntm_geo.criteria.framework import load_criteria
from ntm_geo.datasets import schema
from ntm_geo.i18n import t
from ntm_geo.maps.classify import format_number
from ntm_geo.maps.themes import VARIABLES


def indicator_keys() -> tuple[str, ...]:
    """Indicators the profile shows: those of the schema registry that a map theme shows."""
    return tuple(c.key for c in schema.value_columns() if c.theme is not None)


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def escape_markdown(text: object) -> str:
    """Escape Markdown and HTML-significant characters so ``text`` shows literally.

    >>> escape_markdown("<script>[x](http://e)")
    '\\\\<script\\\\>\\\\[x\\\\]\\\\(http\\\\://e\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", str(text))


@dataclass(frozen=True)
class CommuneProfile:
    """What the profile panel shows.

    ``header_md`` and ``facts_md`` are Markdown with all data text escaped; ``criteria`` is a
    DataFrame (19 rows: criterion, status) or ``None`` for units not assessed; ``indicators``
    has one row per indicator of :func:`indicator_keys` (label, formatted value with unit).
    """

    code: str
    header_md: str
    facts_md: str
    assessed: bool
    criteria_met: int | None
    meets_standard: bool
    criteria: pd.DataFrame | None
    indicators: pd.DataFrame


def commune_profile(row: pd.Series, lang: str = "vi") -> CommuneProfile:
    """Build the profile of one unit.

    Parameters
    ----------
    row : Series
        One row of a joined table: ``commune_code``, ``name_with_type``, ``district_name``,
        ``population_2009`` (people), ``area_km2`` (km²), ``assessed``, ``criteria_met``,
        ``c01``..``c19`` and the indicator columns (missing ones count as no data).
    lang : "vi" or "en"
    """
    code = str(row["commune_code"])
    header = (
        f"**{escape_markdown(row['name_with_type'])}** · {escape_markdown(row['district_name'])} · `{code}`"
    )
    population = (
        format_number(float(row["population_2009"]), lang, 0)
        if pd.notna(row.get("population_2009"))
        else t("no_data", lang)
    )
    area = (
        format_number(float(row["area_km2"]), lang, 1)
        if pd.notna(row.get("area_km2"))
        else t("no_data", lang)
    )
    facts = f"{t('population', lang)}: **{population}** · {t('area', lang)}: **{area} km²**"
    assessed = bool(row["assessed"])
    met = row.get("criteria_met")
    criteria_met = int(met) if assessed and pd.notna(met) else None
    criteria = None
    if assessed:
        rows = []
        for c in load_criteria():
            value = row.get(c.code)
            status = (
                t("no_data", lang)
                if pd.isna(value)
                else t("met", lang)
                if bool(value)
                else t("not_met", lang)
            )
            rows.append({t("criterion", lang): c.label(lang), t("status", lang): status})
        criteria = pd.DataFrame(rows)
    indicators = []
    for key in indicator_keys():
        var = VARIABLES[key]
        value = row.get(key)
        if value is None or pd.isna(value):
            shown = t("no_data", lang)
        elif var.kind == "binary":
            shown = (var.binary_labels_vi if lang == "vi" else var.binary_labels_en)[int(bool(value))]
        else:
            unit = var.unit_vi if lang == "vi" else var.unit_en
            shown = f"{format_number(float(value), lang, var.decimals)} {unit}".strip()
        indicators.append({t("indicators", lang): var.label(lang), t("value", lang): shown})
    return CommuneProfile(
        code=code,
        header_md=header,
        facts_md=facts,
        assessed=assessed,
        criteria_met=criteria_met,
        meets_standard=criteria_met == 19,
        criteria=criteria,
        indicators=pd.DataFrame(indicators),
    )
