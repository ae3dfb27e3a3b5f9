"""Criteria frameworks as data: one YAML file per legal basis of the NTM criteria.

A *framework* is the set of national criteria (tiêu chí) a commune is assessed against in a
period, with their indicators (chỉ tiêu) and, where the text gives them, the indicators'
thresholds per region (vùng, 2011-2025) or per commune group (xã nhóm 1/2/3, from 2026). The
national frameworks ship in ``data/frameworks/``:

========================  ==========  ==========  =============================================
file                      years       criteria    legal basis
========================  ==========  ==========  =============================================
``qd491_342.yaml``        2011-2015   19          Decision 491/QĐ-TTg (2009), revised by 342/QĐ-TTg (2013)
``qd1980.yaml``           2016-2020   19          Decision 1980/QĐ-TTg (17/10/2016)
``qd318.yaml``            2021-2025   19          Decision 318/QĐ-TTg (08/3/2022), levels nâng cao (318), kiểu mẫu (319)
``qd51_2025.yaml``        2026-2030   10          Decision 51/2025/QĐ-TTg (29/12/2025, in force 15/02/2026)
========================  ==========  ==========  =============================================

Every criterion, indicator and threshold names its source (a key of the file's ``sources``:
title and URL); what the sources found do not give is listed under ``not_found`` and is never
filled in by guess. A province adds a framework of its own (a provincial set, or a future
decision) by putting a file of the same format in the folder named by ``NTM_GEO_FRAMEWORKS_DIR``
— no code change; every file is validated and a bad one is refused with a Vietnamese and English
message naming the file and the field (``criteria[2].indicators[0].thresholds.g3.value``).

File format (``format: ntm-geo/criteria-framework/1``), keys in order:

``id`` (``[a-z0-9_]``, unique), ``decision``, ``title_vi``, ``title_en``, ``years`` ([first,
last]), optional ``signed``/``in_force`` (ISO dates) with ``source``/``in_force_source``,
``indicator_count`` (the total the text states, or null) with ``indicator_count_source``,
``levels`` (key, name_vi, name_en, source, optional decision, note), ``threshold_areas``
(``kind``: ``region`` | ``commune_group`` | ``none``; ``items``: key, name_vi, name_en, source,
optional definition_vi/en), ``groups`` (content groups: key, name_vi, name_en, source; may be
empty), ``criteria`` (number 1..N in order, key ``c01``..: the dataset column, name_vi, name_en,
group (a group key, or absent when ``groups`` is empty), source, optional ``indicators``: number
``"N.M"``, name_vi, name_en, unit, source, note, ``thresholds``: {area key: {op, value}}),
``notes``, ``not_found`` (lists of text) and ``sources`` (key, title, optional url).

Safety: a file is read only up to :data:`MAX_BYTES`, must be UTF-8, and is parsed with a safe YAML
loader that refuses anchors/aliases (no "billion laughs"); nothing in it is executed.

Examples
--------
>>> fw = default_framework(2027)
>>> fw.decision, fw.years, len(fw.criteria)
('51/2025/QĐ-TTg', (2026, 2030), 10)
>>> default_framework(2017).id
'qd1980'
>>> framework("qd318").criterion(3).name_vi
'Thủy lợi và phòng, chống thiên tai'
"""

from __future__ import annotations

import datetime as _dt
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ntm_geo.errors import ConfigError

FORMAT = "ntm-geo/criteria-framework/1"
FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "data" / "frameworks"
#: Environment variable naming a folder of the province's own framework files (``*.yaml``).
FRAMEWORKS_DIR_ENV = "NTM_GEO_FRAMEWORKS_DIR"
#: Largest framework file read (bytes); the national ones are about 10 kB.
MAX_BYTES = 512 * 1024
#: Comparison operators a threshold may use: a commune meets it when ``value <op> threshold``.
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<", "==")
AREA_KINDS: tuple[str, ...] = ("region", "commune_group", "none")

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


# --- values --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where a line of a framework comes from: a title and, when known, a URL."""

    key: str
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Threshold:
    """A commune meets the indicator when ``value <op> self.value`` (same unit as the indicator)."""

    op: str
    value: float

    def met(self, value: float) -> bool:
        """Whether ``value`` satisfies this threshold."""
        return {
            ">=": value >= self.value,
            ">": value > self.value,
            "<=": value <= self.value,
            "<": value < self.value,
            "==": value == self.value,
        }[self.op]


@dataclass(frozen=True)
class Indicator:
    """One indicator (chỉ tiêu) of a criterion; ``thresholds`` pairs an area key (region or
    commune group of the framework's ``threshold_areas``) with its threshold."""

    number: str
    name_vi: str
    name_en: str
    source: str
    unit: str | None = None
    note: str | None = None
    thresholds: tuple[tuple[str, Threshold], ...] = ()

    def threshold(self, area: str) -> Threshold | None:
        """The threshold for ``area`` (a region or commune-group key), or None when the text found
        gives none."""
        return dict(self.thresholds).get(area)


@dataclass(frozen=True)
class Criterion:
    """One criterion of a framework; ``key`` (``c01``..) is its column in dataset tables."""

    number: int
    key: str
    name_vi: str
    name_en: str
    source: str
    group: str | None = None
    indicators: tuple[Indicator, ...] = ()

    @property
    def code(self) -> str:
        """The dataset column (same as ``key``; the name :mod:`ntm_geo.datasets.schema` reads)."""
        return self.key

    def name(self, lang: str = "vi") -> str:
        return self.name_vi if lang == "vi" else self.name_en

    def label(self, lang: str = "vi") -> str:
        """ "3. Thủy lợi và phòng, chống thiên tai" / "3. Irrigation and disaster prevention"."""
        return f"{self.number}. {self.name(lang)}"


@dataclass(frozen=True)
class Group:
    """A content group of criteria (e.g. "Hạ tầng kinh tế - xã hội")."""

    key: str
    name_vi: str
    name_en: str
    source: str


@dataclass(frozen=True)
class ThresholdArea:
    """A region (vùng) or commune group (xã nhóm) the thresholds are set for."""

    key: str
    name_vi: str
    name_en: str
    source: str
    definition_vi: str | None = None
    definition_en: str | None = None


@dataclass(frozen=True)
class Level:
    """A recognition level of the framework: standard, advanced (nâng cao), model (kiểu mẫu),
    modern (hiện đại)…; ``decision`` is set when another decision than the framework's gives it."""

    key: str
    name_vi: str
    name_en: str
    source: str
    decision: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Framework:
    """A criteria framework read from one file (see the module docstring for the format).

    ``years`` is the inclusive period (first, last); ``indicator_count`` the total number of
    indicators the legal text states (None when no source found gives it), which can exceed the
    indicators listed in ``criteria`` (see ``not_found``). ``file`` is the file's name (no folder),
    ``builtin`` whether it ships with the app.
    """

    id: str
    decision: str
    title_vi: str
    title_en: str
    years: tuple[int, int]
    criteria: tuple[Criterion, ...]
    levels: tuple[Level, ...]
    sources: tuple[Source, ...]
    area_kind: str = "none"
    areas: tuple[ThresholdArea, ...] = ()
    groups: tuple[Group, ...] = ()
    signed: str | None = None
    in_force: str | None = None
    source: str | None = None
    in_force_source: str | None = None
    indicator_count: int | None = None
    indicator_count_source: str | None = None
    notes: tuple[str, ...] = ()
    not_found: tuple[str, ...] = ()
    file: str = ""
    builtin: bool = field(default=False, compare=False)

    @property
    def criterion_keys(self) -> tuple[str, ...]:
        """Dataset column names of the criteria, in number order (``("c01", …)``)."""
        return tuple(c.key for c in self.criteria)

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator listed, in criterion order."""
        return tuple(i for c in self.criteria for i in c.indicators)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]

    def criterion(self, number: int) -> Criterion:
        """The criterion with this number; ConfigError listing the allowed numbers otherwise."""
        for c in self.criteria:
            if c.number == number and type(number) is int:
                return c
        n = len(self.criteria)
        raise ConfigError(
            f"Framework {self.decision} has no criterion {number!r}; allowed numbers: 1-{n}.",
            f"Bộ tiêu chí {self.decision} không có tiêu chí {number!r}; số tiêu chí hợp lệ: 1-{n}.",
        )

    def group(self, key: str) -> Group:
        for g in self.groups:
            if g.key == key:
                return g
        raise ConfigError(
            f"Framework {self.decision} has no criteria group {key!r}; groups: {', '.join(g.key for g in self.groups) or '(none)'}.",
            f"Bộ tiêu chí {self.decision} không có nhóm tiêu chí {key!r}; các nhóm: {', '.join(g.key for g in self.groups) or '(không có)'}.",
        )

    def source_of(self, key: str) -> Source:
        return next(s for s in self.sources if s.key == key)

    def label(self, lang: str = "vi") -> str:
        """ "QĐ 51/2025/QĐ-TTg (2026–2030, 10 tiêu chí)" / "Decision … (2026–2030, 10 criteria)"."""
        span = f"{self.years[0]}–{self.years[1]}"
        if lang == "vi":
            return f"QĐ {self.decision} ({span}, {len(self.criteria)} tiêu chí)"
        return f"Decision {self.decision} ({span}, {len(self.criteria)} criteria)"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (what ``python -m ntm_geo frameworks --json`` prints)."""

        def src(key: str | None) -> dict[str, Any] | None:
            if key is None:
                return None
            s = self.source_of(key)
            return {"key": s.key, "title": s.title, "url": s.url}

        return {
            "id": self.id,
            "decision": self.decision,
            "title_vi": self.title_vi,
            "title_en": self.title_en,
            "years": list(self.years),
            "signed": self.signed,
            "in_force": self.in_force,
            "builtin": self.builtin,
            "file": self.file,
            "levels": [
                {
                    "key": lv.key,
                    "name_vi": lv.name_vi,
                    "name_en": lv.name_en,
                    "decision": lv.decision or self.decision,
                }
                for lv in self.levels
            ],
            "threshold_areas": {
                "kind": self.area_kind,
                "items": [
                    {
                        "key": a.key,
                        "name_vi": a.name_vi,
                        "name_en": a.name_en,
                        "definition_vi": a.definition_vi,
                        "definition_en": a.definition_en,
                    }
                    for a in self.areas
                ],
            },
            "groups": [{"key": g.key, "name_vi": g.name_vi, "name_en": g.name_en} for g in self.groups],
            "criteria_count": len(self.criteria),
            "indicator_count": self.indicator_count,
            "indicators_listed": len(self.indicators),
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
                            "name_vi": i.name_vi,
                            "name_en": i.name_en,
                            "unit": i.unit,
                            "thresholds": {a: {"op": t.op, "value": t.value} for a, t in i.thresholds},
                            "source": i.source,
                            "note": i.note,
                        }
                        for i in c.indicators
                    ],
                }
                for c in self.criteria
            ],
            "source": src(self.source),
            "sources": [{"key": s.key, "title": s.title, "url": s.url} for s in self.sources],
            "notes": list(self.notes),
            "not_found": list(self.not_found),
        }


# --- reading and validation ----------------------------------------------------------------


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


class _Checker:
    """Walks a parsed file and raises :class:`FrameworkError` naming the file and field path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, path: str, en: str, vi: str) -> FrameworkError:
        where_en = f"{self.file}: field `{path}`: " if path else f"{self.file}: "
        where_vi = f"{self.file}: trường `{path}`: " if path else f"{self.file}: "
        return FrameworkError(where_en + en, where_vi + vi, file=self.file, column=path or None)

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
            ck.unknown(ind, ("number", "name_vi", "name_en", "unit", "thresholds", "source", "note"), q)
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


def _check_registry(items: Sequence[Framework]) -> None:
    seen: dict[str, Framework] = {}
    for fw in items:
        if fw.id in seen:
            raise FrameworkError(
                f"{fw.file}: framework id {fw.id!r} is already used by {seen[fw.id].file}; give it another `id`.",
                f"{fw.file}: mã bộ tiêu chí {fw.id!r} đã được dùng trong {seen[fw.id].file}; hãy đặt `id` khác.",
                file=fw.file,
                column="id",
            )
        seen[fw.id] = fw


@lru_cache(maxsize=1)
def builtin_frameworks() -> tuple[Framework, ...]:
    """The national frameworks of ``data/frameworks/``, by first year; their periods do not overlap."""
    items = sorted(
        (load_framework(p, builtin=True) for p in sorted(FRAMEWORKS_DIR.glob("*.yaml"))),
        key=lambda f: f.years,
    )
    _check_registry(items)
    for a, b in itertools.pairwise(items):
        if b.years[0] <= a.years[1]:
            raise FrameworkError(
                f"{b.file}: years {b.years} overlap {a.file} {a.years}; national frameworks cover disjoint periods.",
                f"{b.file}: các năm {b.years} trùng với {a.file} {a.years}; các bộ tiêu chí quốc gia không được trùng giai đoạn.",
                file=b.file,
                column="years",
            )
    return tuple(items)


def province_frameworks(folder: str | os.PathLike[str] | None = None) -> tuple[Framework, ...]:
    """The province's own framework files (``*.yaml``) in ``folder`` (default: the folder named by
    ``NTM_GEO_FRAMEWORKS_DIR``; none when it is unset). Each is validated; the first bad file
    raises :class:`FrameworkError` naming it."""
    folder = folder if folder is not None else os.environ.get(FRAMEWORKS_DIR_ENV)
    if not folder:
        return ()
    path = Path(folder)
    if not path.is_dir():
        raise FrameworkError(
            f"{FRAMEWORKS_DIR_ENV} does not name a folder; set it to the folder holding the framework files.",
            f"{FRAMEWORKS_DIR_ENV} không trỏ tới một thư mục; hãy đặt thư mục chứa các tệp bộ tiêu chí.",
        )
    files = sorted(path.glob("*.yaml"))
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _read_folder(str(path), stamp)


@lru_cache(maxsize=8)
def _read_folder(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> tuple[Framework, ...]:
    """The framework files of ``folder``, read again only when a file's name, time or size changes."""
    return tuple(load_framework(Path(folder) / name) for name, _, _ in stamp)


def all_frameworks(extra: Sequence[Framework] = ()) -> tuple[Framework, ...]:
    """National frameworks, then the province's (``NTM_GEO_FRAMEWORKS_DIR``), then ``extra``; ids
    must be unique (FrameworkError naming both files otherwise)."""
    items = (*builtin_frameworks(), *province_frameworks(), *extra)
    _check_registry(items)
    return items


def framework(framework_id: str, frameworks: Sequence[Framework] | None = None) -> Framework:
    """The framework with this id; ConfigError listing the known ids otherwise. The national
    frameworks are looked at first, so a broken province file never hides them."""
    if frameworks is None:
        found = next((fw for fw in builtin_frameworks() if fw.id == framework_id), None)
        if found is not None:
            return found
    items = all_frameworks() if frameworks is None else frameworks
    for fw in items:
        if fw.id == framework_id:
            return fw
    raise ConfigError(
        f"Unknown criteria framework {framework_id!r}; known: {', '.join(f.id for f in items)}.",
        f"Không có bộ tiêu chí {framework_id!r}; các bộ hiện có: {', '.join(f.id for f in items)}.",
    )


def default_framework(year: int, frameworks: Sequence[Framework] | None = None) -> Framework:
    """The framework a table of ``year`` is read under when it declares none: the national one
    whose period covers the year (2011-2015 → 491/342, 2016-2020 → 1980, 2021-2025 → 318,
    2026-2030 → 51/2025), else a province framework covering it.

    Raises
    ------
    ConfigError
        No framework covers ``year``; the message lists the periods covered.
    """
    if frameworks is None:  # a national framework first: a broken province file never hides it
        found = next((fw for fw in builtin_frameworks() if fw.covers(year)), None)
        if found is not None:
            return found
    items = all_frameworks() if frameworks is None else frameworks
    covering = sorted((fw for fw in items if fw.covers(year)), key=lambda f: not f.builtin)
    if covering:
        return covering[0]
    spans = ", ".join(f"{f.years[0]}–{f.years[1]} ({f.decision})" for f in items)
    raise ConfigError(
        f"No criteria framework covers the year {year}; covered: {spans}. A province can add one "
        f"(a framework file in {FRAMEWORKS_DIR_ENV}).",
        f"Không có bộ tiêu chí nào áp dụng cho năm {year}; các giai đoạn có: {spans}. Tỉnh có thể bổ sung "
        f"(tệp bộ tiêu chí trong {FRAMEWORKS_DIR_ENV}).",
    )
