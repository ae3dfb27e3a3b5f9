"""Criteria frameworks, the file: read one framework file and validate it field by field.

A file is read only up to :data:`MAX_BYTES`, must be UTF-8, and is parsed with a safe YAML loader
that refuses anchors/aliases (no "billion laughs"); nothing in it is executed. Every format error
is a :class:`FrameworkError` whose Vietnamese and English message names the file, the field path
(``criteria[2].indicators[0].thresholds.g3.value``) and, where the YAML has it, the line.
The format itself is described in :mod:`ntm_geo.criteria.frameworks`.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

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
from ntm_geo.errors import ConfigError

FORMAT = "ntm-geo/criteria-framework/1"
#: Largest framework file read (bytes); the national ones are about 10 kB.
MAX_BYTES = 512 * 1024
#: Comparison operators a threshold may use: a commune meets it when ``value <op> threshold``.
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
AREA_KINDS: tuple[str, ...] = ("region", "commune_group", "none")
#: How sure the file is of an indicator's threshold (optional ``confidence`` of an indicator).
CONFIDENCE: tuple[str, ...] = ("high", "medium", "low")

_ID = re.compile(r"^[a-z0-9_]{2,40}$")
_KEY = re.compile(r"^[a-z0-9_]{1,40}$")
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


class FrameworkError(ConfigError):
    """A criteria framework file is unreadable or breaks the format; ``file`` and ``column`` (the
    field path, e.g. ``criteria[2].name_vi``) say where."""


#: libyaml's safe loader when PyYAML was built with it (about 20x faster), else the pure-Python one.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _first_alias_line(text: str) -> int | None:
    """1-based line of the first anchor or alias (``&name``, ``*name``), or None. Aliases allow
    exponential "billion laughs" expansion; parsing events does not expand them."""
    for event in yaml.parse(text, Loader=_SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            return int(mark.line) + 1 if mark is not None else 1
    return None


def _field_lines(text: str) -> dict[str, int]:
    """1-based line of every field path of a YAML text (``criteria[2].indicators[0].number``):
    the line of a mapping key, or of a list item. Empty when the text does not compose."""
    try:
        root = yaml.compose(text, Loader=_SAFE_LOADER)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                sub = f"{path}.{key.value}" if path else str(key.value)
                lines.setdefault(sub, key.start_mark.line + 1)
                walk(value, sub)
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                sub = f"{path}[{i}]"
                lines.setdefault(sub, item.start_mark.line + 1)
                walk(item, sub)

    if root is not None:
        walk(root, "")
    return lines


class _Checker:
    """Walks a parsed file and raises :class:`FrameworkError` naming the file, the field path and
    (when ``lines`` has it, or that of the nearest enclosing field) the line."""

    def __init__(self, file: str, lines: Mapping[str, int] | None = None) -> None:
        self.file = file
        self.lines = dict(lines or {})

    def line(self, path: str) -> int | None:
        """The line of ``path``, else of its nearest enclosing field that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            cut = max(path.rfind("."), path.rfind("["))
            path = path[:cut] if cut > 0 else ""
        return None

    def fail(self, path: str, en: str, vi: str) -> FrameworkError:
        line = self.line(path) if path else None
        at_en = f" (line {line})" if line else ""
        at_vi = f" (dòng {line})" if line else ""
        where_en = f"{self.file}: field `{path}`{at_en}: " if path else f"{self.file}: "
        where_vi = f"{self.file}: trường `{path}`{at_vi}: " if path else f"{self.file}: "
        return FrameworkError(where_en + en, where_vi + vi, file=self.file, row=line, column=path or None)

    def mapping(self, value: Any, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(
                path,
                f"expected a mapping (key: value lines), found {_kind(value)}.",
                f"cần một bảng khóa: giá trị, đang là {_kind_vi(value)}.",
            )
        return value

    def seq(self, value: Any, path: str, *, allow_empty: bool = True) -> Sequence[Any]:
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list):
            raise self.fail(
                path,
                f"expected a list (lines starting with '- '), found {_kind(value)}.",
                f"cần một danh sách (các dòng bắt đầu bằng '- '), đang là {_kind_vi(value)}.",
            )
        if not value and not allow_empty:
            raise self.fail(
                path, "the list is empty; give at least one item.", "danh sách rỗng; cần ít nhất một mục."
            )
        return value

    def text(self, d: Mapping[str, Any], key: str, path: str, *, required: bool = True) -> str | None:
        value = d.get(key)
        full = f"{path}.{key}" if path else key
        if value is None:
            if required:
                raise self.fail(full, "is missing; it is required.", "bị thiếu; trường này bắt buộc.")
            return None
        if isinstance(value, _dt.date):
            value = value.isoformat()
        if not isinstance(value, str) or not value.strip():
            raise self.fail(
                full,
                f"expected non-empty text, found {_kind(value)} {value!r}.",
                f"cần một chuỗi chữ không rỗng, đang là {_kind_vi(value)} {value!r}.",
            )
        return unicodedata.normalize("NFC", value.strip())

    def key(self, d: Mapping[str, Any], key: str, path: str, pattern: re.Pattern[str] = _KEY) -> str:
        value = self.text(d, key, path)
        assert value is not None
        if not pattern.match(value):
            raise self.fail(
                f"{path}.{key}" if path else key,
                f"{value!r} is not a valid key: use 2-40 lower-case letters a-z, digits and '_'.",
                f"{value!r} không phải khóa hợp lệ: dùng 2-40 chữ thường a-z, chữ số và '_'.",
            )
        return value

    def ref(
        self, d: Mapping[str, Any], key: str, path: str, allowed: Iterable[str], what: str, what_vi: str
    ) -> str:
        value = self.text(d, key, path)
        assert value is not None
        allowed = list(allowed)
        if value not in allowed:
            raise self.fail(
                f"{path}.{key}" if path else key,
                f"{value!r} is not one of the {what} keys of this file ({', '.join(allowed) or 'none'}).",
                f"{value!r} không phải khóa {what_vi} của tệp này ({', '.join(allowed) or 'không có'}).",
            )
        return value

    def date(self, d: Mapping[str, Any], key: str) -> str | None:
        value = self.text(d, key, "", required=False)
        if value is None:
            return None
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                key, f"{value!r} is not a date YYYY-MM-DD.", f"{value!r} không phải ngày dạng YYYY-MM-DD."
            ) from None
        return value

    def unknown(self, d: Mapping[str, Any], allowed: Sequence[str], path: str) -> None:
        extra = [k for k in d if k not in allowed]
        if extra:
            k = extra[0]
            raise self.fail(
                f"{path}.{k}" if path else str(k),
                f"unknown field {k!r} (a typo?); allowed here: {', '.join(allowed)}.",
                f"trường {k!r} không có trong định dạng (gõ nhầm?); trường hợp lệ: {', '.join(allowed)}.",
            )


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
    }.get(type(value), "nothing" if value is None else type(value).__name__)


def _kind_vi(value: Any) -> str:
    return {
        dict: "một bảng",
        list: "một danh sách",
        str: "chuỗi chữ",
        int: "một số",
        float: "một số",
        bool: "true/false",
    }.get(type(value), "rỗng" if value is None else type(value).__name__)


def parse_framework(data: bytes, file: str, *, builtin: bool = False) -> Framework:
    """The framework described by ``data`` (the bytes of a framework file named ``file``).

    Raises
    ------
    FrameworkError
        The file is over :data:`MAX_BYTES`, not UTF-8, not YAML, uses anchors/aliases, or breaks
        the format; the message (vi/en) names ``file`` and the field path.
    """
    ck = _Checker(file)
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
        alias_line = _first_alias_line(text)
        raw = None if alias_line else yaml.load(text, Loader=_SAFE_LOADER)
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
    ck.lines = _field_lines(text)
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
                ind, ("number", "name_vi", "name_en", "unit", "thresholds", "source", "note", "confidence"), q
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
                        f"expected a number, found {_kind(value)} {value!r}.",
                        f"cần một số, đang là {_kind_vi(value)} {value!r}.",
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
