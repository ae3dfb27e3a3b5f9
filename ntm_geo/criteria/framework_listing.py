"""Criteria frameworks, the listings: a framework as JSON-ready data and as lines of text.

:func:`framework_to_dict` is what ``python -m ntm_geo frameworks --json`` prints per framework
(``{"frameworks": [...]}``), :func:`framework_text` what it prints without ``--json``: the years,
the number of criteria and of indicators (stated by the legal text, and listed in the file),
every criterion with its indicators and their thresholds per region or commune group, the
sources, and what was not found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ntm_geo.bilingual import Bilingual

if TYPE_CHECKING:
    from ntm_geo.criteria.framework_model import Framework, Indicator


def framework_to_dict(fw: Framework) -> dict[str, Any]:
    """JSON-ready description of ``fw``: id, decision, titles, years ``[first, last]``, levels,
    threshold areas, groups, ``criteria`` (number, key, names, group, source, ``indicators``:
    number, key, names, unit, ``thresholds`` {area: {op, value}}, source, note, confidence,
    ``column``: the dataset column holding its values — the registry column it is linked to, e.g.
    ``poverty_rate_pct``, with ``linked`` true, else its own ``cNN_M``), the
    sources (key, title, url), notes and ``not_found``."""

    def src(key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        s = fw.source_of(key)
        return {"key": s.key, "title": s.title, "url": s.url}

    return {
        "id": fw.id,
        "decision": fw.decision,
        "title_vi": fw.title_vi,
        "title_en": fw.title_en,
        "years": list(fw.years),
        "signed": fw.signed,
        "in_force": fw.in_force,
        "builtin": fw.builtin,
        "file": fw.file,
        "levels": [
            {
                "key": lv.key,
                "name_vi": lv.name_vi,
                "name_en": lv.name_en,
                "decision": lv.decision or fw.decision,
            }
            for lv in fw.levels
        ],
        "threshold_areas": {
            "kind": fw.area_kind,
            "items": [
                {
                    "key": a.key,
                    "name_vi": a.name_vi,
                    "name_en": a.name_en,
                    "definition_vi": a.definition_vi,
                    "definition_en": a.definition_en,
                }
                for a in fw.areas
            ],
        },
        "groups": [{"key": g.key, "name_vi": g.name_vi, "name_en": g.name_en} for g in fw.groups],
        "criteria_count": len(fw.criteria),
        "indicator_count": fw.indicator_count,
        "indicators_listed": len(fw.indicators),
        "criteria": [
            {
                "number": c.number,
                "key": c.key,
                "name_vi": c.name_vi,
                "name_en": c.name_en,
                "group": c.group,
                "source": c.source,
                "indicators": [
                    {
                        "number": i.number,
                        "key": i.key,
                        "name_vi": i.name_vi,
                        "name_en": i.name_en,
                        "unit": i.unit,
                        "thresholds": {a: {"op": t.op, "value": t.value} for a, t in i.thresholds},
                        "source": i.source,
                        "note": i.note,
                        "confidence": i.confidence,
                        "column": i.data_column,
                        "linked": i.column is not None,
                    }
                    for i in c.indicators
                ],
            }
            for c in fw.criteria
        ],
        "source": src(fw.source),
        "sources": [{"key": s.key, "title": s.title, "url": s.url} for s in fw.sources],
        "notes": list(fw.notes),
        "not_found": list(fw.not_found),
    }


def _count(fw: Framework, lang: str) -> str:
    """The decision's number of indicators and how many the file describes: "không rõ (tệp có 9)"
    read as "unclear" to a new user (trial6), so both numbers say what they count."""
    listed = len(fw.indicators)
    if fw.indicator_count is None:
        return Bilingual(
            f"tổng số chỉ tiêu: chưa ghi trong tệp; tệp mô tả {listed} chỉ tiêu",
            f"total indicators: not recorded in the file; the file describes {listed}",
        ).pick(lang)
    return Bilingual(
        f"{fw.indicator_count} chỉ tiêu theo quyết định; tệp mô tả {listed}",
        f"{fw.indicator_count} indicators in the decision; the file describes {listed}",
    ).pick(lang)


#: Headings of :func:`framework_text`, in both languages.
TEXT = {
    "levels": Bilingual("cấp", "levels"),
    "thresholds": Bilingual("ngưỡng theo", "thresholds by"),
    "criteria": Bilingual("tiêu chí", "criteria"),
    "file": Bilingual("tệp", "file"),
    "province": Bilingual(" (của tỉnh)", " (province)"),
    "sources": Bilingual("nguồn", "sources"),
    "not_found": Bilingual("chưa tìm thấy", "not found"),
    "no_threshold": Bilingual("không có ngưỡng", "no threshold"),
}


def _value(v: float) -> str:
    return f"{v:g}"


def indicator_line(fw: Framework, ind: Indicator, lang: str = "vi") -> str:
    """ "4.2 Tỷ lệ hộ sử dụng điện … (%): Trung du miền núi phía Bắc >= 95 [backan_…]"; areas
    without a threshold are not listed, and "không có ngưỡng" / "no threshold" when none has one."""
    names = {a.key: Bilingual.of(a, "name").pick(lang) for a in fw.areas}
    unit = f" ({ind.unit})" if ind.unit else ""
    ths = "; ".join(f"{names.get(a, a)} {t.op} {_value(t.value)}" for a, t in ind.thresholds)
    if not ths:
        ths = TEXT["no_threshold"].pick(lang)
    column = f" → {ind.column}" if ind.column else ""
    return f"{ind.number} {ind.name(lang)}{unit}{column}: {ths} [{ind.source}]"


def framework_text(fw: Framework, lang: str = "vi") -> list[str]:
    """The framework as lines of text in ``lang`` ("vi" or "en"): a header line (id, decision,
    years, counts), levels, threshold areas, the criteria with their indicators, the file, the
    sources and what was not found."""

    def say(key: str) -> str:
        return TEXT[key].pick(lang)

    span, counts = f"{fw.years[0]}–{fw.years[1]}", f"{len(fw.criteria)} {say('criteria')}, {_count(fw, lang)}"
    head = Bilingual(
        f"{fw.id}  QĐ {fw.decision}  {span}  {counts}", f"{fw.id}  Decision {fw.decision}  {span}  {counts}"
    ).pick(lang)
    levels = ", ".join(
        Bilingual.of(lv, "name").pick(lang) + (f" ({lv.decision})" if lv.decision else "") for lv in fw.levels
    )
    lines = [head, f"  {say('levels')}: {levels}"]
    if fw.areas:
        lines.append(
            f"  {say('thresholds')}: " + ", ".join(Bilingual.of(a, "name").pick(lang) for a in fw.areas)
        )
    lines.append(f"  {say('criteria')}:")
    for c in fw.criteria:
        lines.append(f"    {c.label(lang)}")
        lines += [f"      {indicator_line(fw, i, lang)}" for i in c.indicators]
    lines.append(f"  {say('file')}: {fw.file}{'' if fw.builtin else say('province')}")
    lines.append(f"  {say('sources')}:")
    lines += [f"    - [{s.key}] {s.title}" + (f" <{s.url}>" if s.url else "") for s in fw.sources]
    if fw.not_found:
        lines.append(f"  {say('not_found')}:")
        lines += [f"    - {t}" for t in fw.not_found]
    return lines
