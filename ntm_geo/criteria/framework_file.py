"""Criteria frameworks, the file: read one framework file and validate it field by field.

A file is read only up to :data:`MAX_BYTES`, must be UTF-8, and is parsed with a safe YAML loader
that refuses anchors/aliases (no "billion laughs"); nothing in it is executed. Every format error
is a :class:`FrameworkError` whose Vietnamese and English message names the file, the field path
(``criteria[2].indicators[0].thresholds.g3.value``) and, where the YAML has it, the line.
The format itself is described in :mod:`ntm_geo.criteria.frameworks`; the checker and its
messages are :mod:`ntm_geo.criteria.framework_checks`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ntm_geo.criteria.framework_checks import (
    SAFE_LOADER,
    Checker,
    FrameworkError,
    field_lines,
    first_alias_line,
    kind_en,
    kind_vi,
)
from ntm_geo.criteria.framework_model import (
    Criterion,
    Framework,
    Group,
    Indicator,
    Level,
    Source,
    Threshold,
    ThresholdArea,
)

FORMAT = "ntm-geo/criteria-framework/1"
#: Largest framework file read (bytes); the national ones are about 10 kB.
MAX_BYTES = 512 * 1024
#: Comparison operators a threshold may use: a commune meets it when ``value <op> threshold``.
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
AREA_KINDS: tuple[str, ...] = ("region", "commune_group", "none")
#: How sure the file is of an indicator's threshold (optional ``confidence`` of an indicator).
CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")

_ID = re.compile(r"^[a-z0-9_]{2,40}$")
_TOP_KEYS = (
    "format",
    "id",
    "decision",
    "title_vi",
    "title_en",
    "years",
    "signed",
    "in_force",
    "source",
    "in_force_source",
    "indicator_count",
    "indicator_count_source",
    "levels",
    "threshold_areas",
    "groups",
    "criteria",
    "notes",
    "not_found",
    "sources",
)


def parse_framework(data: bytes, file: str, *, builtin: bool = False) -> Framework:
    """The framework described by ``data`` (the bytes of a framework file named ``file``).

    Raises
    ------
    FrameworkError
        The file is over :data:`MAX_BYTES`, not UTF-8, not YAML, uses anchors/aliases, or breaks
        the format; the message (vi/en) names ``file`` and the field path.
    """
    ck = Checker(file)
    if len(data) > MAX_BYTES:
        raise ck.fail(
            "",
            f"the file has {len(data):,} bytes; a framework file may have at most {MAX_BYTES:,}.",
            f"tệp có {len(data):,} byte; tệp bộ tiêu chí tối đa {MAX_BYTES:,} byte.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ck.fail(
            "",
            f"not UTF-8 text (byte {err.start + 1}); save the file as UTF-8.",
            f"không phải văn bản UTF-8 (byte {err.start + 1}); hãy lưu tệp dạng UTF-8.",
        ) from None
    try:
        alias_line = first_alias_line(text)
        raw = None if alias_line else yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f" (line {mark.line + 1})" if mark is not None else ""
        line_vi = f" (dòng {mark.line + 1})" if mark is not None else ""
        problem = getattr(err, "problem", None) or "syntax error"
        raise ck.fail(
            "", f"not valid YAML{line}: {problem}.", f"không phải YAML hợp lệ{line_vi}: {problem}."
        ) from None
    if alias_line:
        raise ck.fail(
            "",
            f"not valid YAML (line {alias_line}): anchors/aliases (&name, *name) are not allowed.",
            f"không phải YAML hợp lệ (dòng {alias_line}): không được dùng anchor/alias (&tên, *tên).",
        )
    ck.lines = field_lines(text)
    d = ck.mapping(raw, "")
    ck.unknown(d, _TOP_KEYS, "")
    if d.get("format") != FORMAT:
        raise ck.fail(
            "format",
            f"must be {FORMAT!r} (found {d.get('format')!r}).",
            f"phải là {FORMAT!r} (đang là {d.get('format')!r}).",
        )

    # sources first: every other part refers to them
    sources: list[Source] = []
    for i, s in enumerate(ck.seq(d.get("sources"), "sources", allow_empty=False)):
        p = f"sources[{i}]"
        s = ck.mapping(s, p)
        ck.unknown(s, ("key", "title", "url"), p)
        key = ck.key(s, "key", p)
        if any(x.key == key for x in sources):
            raise ck.fail(f"{p}.key", f"duplicate source key {key!r}.", f"khóa nguồn {key!r} bị trùng.")
        url = ck.text(s, "url", p, required=False)
        if url is not None and not re.match(r"^https?://[^\s]+$", url):
            raise ck.fail(
                f"{p}.url", f"{url!r} is not an http(s) address.", f"{url!r} không phải địa chỉ http(s)."
            )
        sources.append(Source(key, ck.text(s, "title", p) or "", url))
    source_keys = [s.key for s in sources]

    def src(m: Mapping[str, Any], path: str, key: str = "source", required: bool = True) -> str | None:
        if m.get(key) is None and not required:
            return None
        return ck.ref(m, key, path, source_keys, "source", "nguồn")

    fid = ck.key(d, "id", "", _ID)
    decision = ck.text(d, "decision", "") or ""
    years_raw = d.get("years")
    if (
        not isinstance(years_raw, list)
        or len(years_raw) != 2
        or not all(type(y) is int for y in years_raw)
        or not 2000 <= years_raw[0] <= years_raw[1] <= 2100
    ):
        raise ck.fail(
            "years",
            f"expected [first, last] years between 2000 and 2100, first <= last; found {years_raw!r}.",
            f"cần [năm đầu, năm cuối] trong khoảng 2000-2100, năm đầu <= năm cuối; đang là {years_raw!r}.",
        )
    count = d.get("indicator_count")
    if count is not None and (type(count) is not int or count < 0):
        raise ck.fail(
            "indicator_count",
            f"expected a whole number >= 0 or null, found {count!r}.",
            f"cần một số nguyên >= 0 hoặc null, đang là {count!r}.",
        )

    levels: list[Level] = []
    for i, lv in enumerate(ck.seq(d.get("levels"), "levels", allow_empty=False)):
        p = f"levels[{i}]"
        lv = ck.mapping(lv, p)
        ck.unknown(lv, ("key", "name_vi", "name_en", "source", "decision", "note"), p)
        levels.append(
            Level(
                ck.key(lv, "key", p),
                ck.text(lv, "name_vi", p) or "",
                ck.text(lv, "name_en", p) or "",
                src(lv, p) or "",
                ck.text(lv, "decision", p, required=False),
                ck.text(lv, "note", p, required=False),
            )
        )

    ta = ck.mapping(d.get("threshold_areas") or {"kind": "none", "items": []}, "threshold_areas")
    ck.unknown(ta, ("kind", "items"), "threshold_areas")
    kind = ck.ref(ta, "kind", "threshold_areas", AREA_KINDS, "area kind", "loại vùng")
    areas: list[ThresholdArea] = []
    for i, a in enumerate(ck.seq(ta.get("items"), "threshold_areas.items")):
        p = f"threshold_areas.items[{i}]"
        a = ck.mapping(a, p)
        ck.unknown(a, ("key", "name_vi", "name_en", "source", "definition_vi", "definition_en"), p)
        key = ck.key(a, "key", p)
        if any(x.key == key for x in areas):
            raise ck.fail(f"{p}.key", f"duplicate area key {key!r}.", f"khóa vùng/nhóm xã {key!r} bị trùng.")
        areas.append(
            ThresholdArea(
                key,
                ck.text(a, "name_vi", p) or "",
                ck.text(a, "name_en", p) or "",
                src(a, p) or "",
                ck.text(a, "definition_vi", p, required=False),
                ck.text(a, "definition_en", p, required=False),
            )
        )

    groups: list[Group] = []
    for i, g in enumerate(ck.seq(d.get("groups"), "groups")):
        p = f"groups[{i}]"
        g = ck.mapping(g, p)
        ck.unknown(g, ("key", "name_vi", "name_en", "source"), p)
        groups.append(
            Group(
                ck.key(g, "key", p),
                ck.text(g, "name_vi", p) or "",
                ck.text(g, "name_en", p) or "",
                src(g, p) or "",
            )
        )

    criteria: list[Criterion] = []
    for i, c in enumerate(ck.seq(d.get("criteria"), "criteria", allow_empty=False)):
        p = f"criteria[{i}]"
        c = ck.mapping(c, p)
        ck.unknown(c, ("number", "key", "name_vi", "name_en", "group", "source", "indicators"), p)
        number = c.get("number")
        if type(number) is not int or number != i + 1:
            raise ck.fail(
                f"{p}.number",
                f"criteria are numbered 1, 2, 3… in order; this one must be {i + 1}, found {number!r}.",
                f"các tiêu chí đánh số 1, 2, 3… theo thứ tự; tiêu chí này phải là {i + 1}, đang là {number!r}.",
            )
        key = ck.text(c, "key", p) or ""
        if key != f"c{number:02d}":
            raise ck.fail(
                f"{p}.key",
                f"criterion {number}'s column key must be 'c{number:02d}', found {key!r}.",
                f"khóa cột của tiêu chí {number} phải là 'c{number:02d}', đang là {key!r}.",
            )
        group = None
        if groups:
            group = ck.ref(c, "group", p, [g.key for g in groups], "group", "nhóm")
        elif c.get("group") is not None:
            raise ck.fail(
                f"{p}.group",
                "this file lists no groups; remove the field or add the group under `groups`.",
                "tệp không có danh sách nhóm; bỏ trường này hoặc thêm nhóm vào `groups`.",
            )
        indicators: list[Indicator] = []
        for j, ind in enumerate(ck.seq(c.get("indicators"), f"{p}.indicators")):
            q = f"{p}.indicators[{j}]"
            ind = ck.mapping(ind, q)
            ck.unknown(
                ind,
                (
                    "number",
                    "name_vi",
                    "name_en",
                    "unit",
                    "thresholds",
                    "source",
                    "note",
                    "confidence",
                    "column",
                ),
                q,
            )
            inum = ck.text(ind, "number", q) or ""
            if not re.fullmatch(rf"{number}\.\d{{1,2}}", inum):
                raise ck.fail(
                    f"{q}.number",
                    f"indicator numbers of criterion {number} are '{number}.1', '{number}.2'…; found {inum!r}.",
                    f"chỉ tiêu của tiêu chí {number} đánh số '{number}.1', '{number}.2'…; đang là {inum!r}.",
                )
            if any(x.number == inum for x in indicators):
                raise ck.fail(f"{q}.number", f"duplicate indicator {inum!r}.", f"chỉ tiêu {inum!r} bị trùng.")
            thresholds = []
            th = ck.mapping(ind.get("thresholds") or {}, f"{q}.thresholds")
            for area, t in th.items():
                r = f"{q}.thresholds.{area}"
                if area not in [a.key for a in areas]:
                    raise ck.fail(
                        r,
                        f"{area!r} is not a key of `threshold_areas` ({', '.join(a.key for a in areas) or 'none'}).",
                        f"{area!r} không phải khóa trong `threshold_areas` ({', '.join(a.key for a in areas) or 'không có'}).",
                    )
                t = ck.mapping(t, r)
                ck.unknown(t, ("op", "value"), r)
                op = ck.ref(t, "op", r, OPERATORS, "operator", "phép so sánh")
                value = t.get("value")
                if type(value) not in (int, float) or value != value:
                    raise ck.fail(
                        f"{r}.value",
                        f"expected a number, found {kind_en(value)} {value!r}.",
                        f"cần một số, đang là {kind_vi(value)} {value!r}.",
                    )
                assert isinstance(value, (int, float))
                thresholds.append((str(area), Threshold(op, float(value))))
            indicators.append(
                Indicator(
                    inum,
                    ck.text(ind, "name_vi", q) or "",
                    ck.text(ind, "name_en", q) or "",
                    src(ind, q) or "",
                    ck.text(ind, "unit", q, required=False),
                    ck.text(ind, "note", q, required=False),
                    tuple(thresholds),
                    None
                    if ind.get("confidence") is None
                    else ck.ref(ind, "confidence", q, CONFIDENCE, "confidence", "mức tin cậy"),
                    _linked_column(ck, ind, q, inum),
                )
            )
        criteria.append(
            Criterion(
                number,
                key,
                ck.text(c, "name_vi", p) or "",
                ck.text(c, "name_en", p) or "",
                src(c, p) or "",
                group,
                tuple(indicators),
            )
        )
    if count is not None and count < sum(len(c.indicators) for c in criteria):
        raise ck.fail(
            "indicator_count",
            f"states {count} indicators but the file lists {sum(len(c.indicators) for c in criteria)}.",
            f"ghi {count} chỉ tiêu nhưng tệp liệt kê {sum(len(c.indicators) for c in criteria)}.",
        )

    def texts(key: str) -> tuple[str, ...]:
        out = []
        for i, t in enumerate(ck.seq(d.get(key), key)):
            if not isinstance(t, str) or not t.strip():
                raise ck.fail(f"{key}[{i}]", "expected non-empty text.", "cần một chuỗi chữ không rỗng.")
            out.append(unicodedata.normalize("NFC", t.strip()))
        return tuple(out)

    return Framework(
        id=fid,
        decision=decision,
        title_vi=ck.text(d, "title_vi", "") or "",
        title_en=ck.text(d, "title_en", "") or "",
        years=(years_raw[0], years_raw[1]),
        criteria=tuple(criteria),
        levels=tuple(levels),
        sources=tuple(sources),
        area_kind=kind,
        areas=tuple(areas),
        groups=tuple(groups),
        signed=ck.date(d, "signed"),
        in_force=ck.date(d, "in_force"),
        source=src(d, "", "source", required=False),
        in_force_source=src(d, "", "in_force_source", required=False),
        indicator_count=count,
        indicator_count_source=src(d, "", "indicator_count_source", required=count is not None),
        notes=texts("notes"),
        not_found=texts("not_found"),
        file=file,
        builtin=builtin,
    )


def _linked_column(ck: Checker, ind: Mapping[str, Any], path: str, number: str) -> str | None:
    """The registry column an indicator declares (``column: poverty_rate_pct``), checked: it must be
    an indicator of the schema registry (:func:`ntm_geo.datasets.schema.linkable_columns`) with the
    indicator's unit."""
    key = ck.text(ind, "column", path, required=False)
    if key is None:
        return None
    from ntm_geo.datasets.schema import linkable_columns

    found = linkable_columns().get(key)
    if found is None:
        known = ", ".join(linkable_columns())
        raise ck.fail(
            f"{path}.column",
            f"indicator {number}: {key!r} is not an indicator column of the schema registry; known: {known}.",
            f"chỉ tiêu {number}: {key!r} không phải cột chỉ số trong danh mục cột; các cột hiện có: {known}.",
        )
    unit = ind.get("unit") or ""
    if unit != found.unit:
        raise ck.fail(
            f"{path}.column",
            f"indicator {number} is in {unit or 'no unit'!r} but column {key!r} is in "
            f"{found.unit or 'no unit'!r}; link a column with the same unit, or remove `column`.",
            f"chỉ tiêu {number} tính bằng {unit or 'không đơn vị'!r} nhưng cột {key!r} tính bằng "
            f"{found.unit or 'không đơn vị'!r}; hãy chọn cột cùng đơn vị hoặc bỏ trường `column`.",
        )
    return key


def load_framework(path: str | os.PathLike[str], *, builtin: bool = False) -> Framework:
    """Read and validate one framework file (a province's own, or a national one).

    Raises
    ------
    FrameworkError
        Unreadable file or a format error; the message names the file (its name only, never the
        folder) and the field.
    """
    p = Path(path)
    try:
        with p.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise FrameworkError(
            f"{p.name}: cannot read the framework file ({err.strerror}).",
            f"{p.name}: không đọc được tệp bộ tiêu chí ({err.strerror}).",
            file=p.name,
        ) from None
    return parse_framework(data, p.name, builtin=builtin)
