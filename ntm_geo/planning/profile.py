"""The profile of one commune: its criteria (✓/✗), indicators, population and area.

The criteria are those of the table's framework (19, or 10 under 51/2025; ``framework_id`` of
the joined table, :func:`ntm_geo.maps.themes.join_dataset`); under a framework whose thresholds
are set per commune group (51/2025: xã nhóm 1, 2, 3) the commune's group is shown when the table
gives it (``commune_group``).

Pure function of one row of a joined table (:func:`ntm_geo.maps.themes.join_dataset`), returning a
value the interface only displays. Every text that may come from a data file is escaped for
Markdown by :func:`escape_markdown` before it is placed in the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import load_criteria
from ntm_geo.criteria.frameworks import HOME_REGION, Framework
from ntm_geo.criteria.frameworks import framework as framework_by_id
from ntm_geo.datasets import schema
from ntm_geo.i18n import t
from ntm_geo.maps.classify import format_number
from ntm_geo.maps.themes import VARIABLES

#: The framework of a table that names none (2011-2015: the 19 criteria of 491/342).
DEFAULT_FRAMEWORK_ID = "qd491_342"


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


def markdown_table(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` ready for a static Markdown table (``st.table``) in a narrow column: every cell
    escaped (:func:`escape_markdown`: a threshold ">= 95" is no quote, a name from a framework file
    no link) and, after the first column, spaces made non-breaking, so that "32,3 %" and
    "✗ Chưa đạt" stay on one line and the long first column (the names) wraps instead.
    """
    out = table.map(escape_markdown)
    for name in out.columns[1:]:
        out[name] = out[name].str.replace(" ", "\u00a0", regex=False)
    return out


@dataclass(frozen=True)
class CommuneProfile:
    """What the profile panel shows.

    ``header_md`` and ``facts_md`` are Markdown with all data text escaped; ``criteria`` is a
    DataFrame (one row per criterion of the framework: criterion, status) or ``None`` for units
    not assessed; ``indicators`` has one row per indicator of :func:`indicator_keys` (label,
    formatted value with unit). ``criteria_total`` is the framework's number of criteria (19 or
    10), ``framework_id`` its id ("" when the table names none: the 19 criteria of 491/342 are
    shown), ``commune_group`` the commune's group (1-3) when the table gives one;
    ``framework_indicators`` the framework's indicators the table has a column for, with value,
    threshold and ✓/✗ (:func:`framework_indicator_rows`), or None.
    """

    code: str
    header_md: str
    facts_md: str
    assessed: bool
    criteria_met: int | None
    meets_standard: bool
    criteria: pd.DataFrame | None
    indicators: pd.DataFrame
    criteria_total: int = 19
    framework_id: str = ""
    commune_group: int | None = None
    framework_indicators: pd.DataFrame | None = None


def threshold_area(framework: Framework, commune_group: int | None) -> str | None:
    """The threshold area a commune of this province is held to under ``framework``: Lạng Sơn's
    region (:data:`ntm_geo.criteria.frameworks.HOME_REGION`) for a region-kind framework, the
    commune's group (``"g1"``..``"g3"``) for a commune-group one (None when the table gives no
    group), None when the framework sets no areas."""
    if framework.area_kind == "region":
        return HOME_REGION if any(a.key == HOME_REGION for a in framework.areas) else None
    if framework.area_kind == "commune_group" and commune_group is not None:
        return f"g{commune_group}"
    return None


def framework_indicator_rows(
    row: pd.Series, framework: Framework, commune_group: int | None, lang: str = "vi"
) -> pd.DataFrame | None:
    """One row per indicator of ``framework`` whose column the table has (its own ``c10_1`` for
    10.1, or the registry column it is linked to, ``poverty_rate_pct`` for 11.1 of 491/342:
    :attr:`ntm_geo.criteria.frameworks.Indicator.data_column`): the indicator, its value (with the
    unit), the threshold for the commune's area (:func:`threshold_area`; "—" when the framework
    file gives none) and ✓/✗ against it. None when the table has no such column."""
    area = threshold_area(framework, commune_group)
    rows = []
    for ind in framework.indicators:
        if ind.data_column not in row.index:
            continue
        value = row.get(ind.data_column)
        unit = f" {ind.unit}" if ind.unit else ""
        th = ind.threshold(area) if area is not None else None
        has_value = value is not None and not pd.isna(value)
        shown = f"{format_number(float(value), lang, 1)}{unit}" if has_value else t("no_data", lang)
        if th is None:
            status = "—"
        elif not has_value:
            status = t("no_data", lang)
        else:
            status = t("met", lang) if th.met(float(value)) else t("not_met", lang)
        rows.append(
            {
                t("indicators", lang): f"{ind.number} {ind.name(lang)}",
                t("value", lang): shown,
                t("threshold", lang): f"{th.op} {format_number(th.value, lang, 1)}{unit}" if th else "—",
                t("status", lang): status,
            }
        )
    return pd.DataFrame(rows) if rows else None


def _row_framework(row: pd.Series, framework: Framework | None) -> Framework | None:
    if framework is not None:
        return framework
    fid = row.get("framework_id")
    return framework_by_id(fid) if isinstance(fid, str) and fid else None


def commune_profile(row: pd.Series, lang: str = "vi", framework: Framework | None = None) -> CommuneProfile:
    """Build the profile of one unit.

    Parameters
    ----------
    row : Series
        One row of a joined table: ``commune_code``, ``name_with_type``, ``district_name``,
        ``population_2009`` (people), ``area_km2`` (km²), ``assessed``, ``criteria_met``,
        ``c01``..``c19`` and the indicator columns (missing ones count as no data); optional
        ``framework_id`` and ``commune_group``.
    lang : "vi" or "en"
    framework : Framework, optional
        The criteria framework (default: the row's ``framework_id``, else 491/342's 19 criteria).
    """
    fw = _row_framework(row, framework)
    code = str(row["commune_code"])
    district = row.get("district_name")  # none on the 2025 units (no district level)
    where = f" · {escape_markdown(district)}" if isinstance(district, str) and district else ""
    header = f"**{escape_markdown(row['name_with_type'])}**{where} · `{code}`"
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
    group_value = row.get("commune_group")
    commune_group = int(group_value) if group_value is not None and pd.notna(group_value) else None
    if fw is not None:
        facts += f" · {t('framework_is', lang, decision=escape_markdown(fw.decision))}"
        if commune_group is not None and fw.area_kind == "commune_group":
            area_item = next((a for a in fw.areas if a.key == f"g{commune_group}"), None)
            name = (
                Bilingual(area_item.name_vi, area_item.name_en).pick(lang)
                if area_item
                else str(commune_group)
            )
            facts += f" · {t('commune_group_is', lang, group=escape_markdown(name))}"
    assessed = bool(row["assessed"])
    met = row.get("criteria_met")
    criteria_met = int(met) if assessed and pd.notna(met) else None
    criteria = None
    if assessed:
        rows = []
        items = fw.criteria if fw is not None else load_criteria()
        for c in items:
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
            shown = var.binary_labels(lang)[int(bool(value))]
        else:
            unit = var.unit(lang)
            shown = f"{format_number(float(value), lang, var.decimals)} {unit}".strip()
        indicators.append({t("indicators", lang): var.label(lang), t("value", lang): shown})
    indicator_framework = fw if fw is not None else framework_by_id(DEFAULT_FRAMEWORK_ID)
    return CommuneProfile(
        code=code,
        header_md=header,
        facts_md=facts,
        assessed=assessed,
        criteria_met=criteria_met,
        meets_standard=criteria_met == (len(fw.criteria) if fw is not None else 19),
        criteria=criteria,
        indicators=pd.DataFrame(indicators),
        criteria_total=len(fw.criteria) if fw is not None else 19,
        framework_id=fw.id if fw is not None else "",
        commune_group=commune_group,
        framework_indicators=framework_indicator_rows(row, indicator_framework, commune_group, lang),
    )
