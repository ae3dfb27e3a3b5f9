"""Criteria frameworks, the checks: the field-by-field checker a framework file is read with.

:class:`Checker` raises :class:`FrameworkError` with a Vietnamese and an English message naming
the file, the field path (``criteria[2].indicators[0].thresholds.g3.value``) and the line
(:func:`field_lines`); :func:`first_alias_line` finds YAML anchors/aliases before anything is
expanded. Used by :mod:`ntm_geo.criteria.framework_file`.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import yaml

from ntm_geo.errors import ConfigError

KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,40}$")


class FrameworkError(ConfigError):
    """A criteria framework file is unreadable or breaks the format; ``file``, ``row`` (the line,
    when known) and ``column`` (the field path, e.g. ``criteria[2].name_vi``) say where."""


#: libyaml's safe loader when PyYAML was built with it (about 20x faster), else the pure-Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def first_alias_line(text: str) -> int | None:
    """1-based line of the first anchor or alias (``&name``, ``*name``), or None. Aliases allow
    exponential "billion laughs" expansion; parsing events does not expand them."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            mark = event.start_mark
            return int(mark.line) + 1 if mark is not None else 1
    return None


def field_lines(text: str) -> dict[str, int]:
    """1-based line of every field path of a YAML text (``criteria[2].indicators[0].number``):
    the line of a mapping key, or of a list item. Empty when the text does not compose."""
    try:
        root = yaml.compose(text, Loader=SAFE_LOADER)
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


class Checker:
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
                f"expected a mapping (key: value lines), found {kind_en(value)}.",
                f"cần một bảng khóa: giá trị, đang là {kind_vi(value)}.",
            )
        return value

    def seq(self, value: Any, path: str, *, allow_empty: bool = True) -> Sequence[Any]:
        if value is None and allow_empty:
            return ()
        if not isinstance(value, list):
            raise self.fail(
                path,
                f"expected a list (lines starting with '- '), found {kind_en(value)}.",
                f"cần một danh sách (các dòng bắt đầu bằng '- '), đang là {kind_vi(value)}.",
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
                f"expected non-empty text, found {kind_en(value)} {value!r}.",
                f"cần một chuỗi chữ không rỗng, đang là {kind_vi(value)} {value!r}.",
            )
        return unicodedata.normalize("NFC", value.strip())

    def key(self, d: Mapping[str, Any], key: str, path: str, pattern: re.Pattern[str] = KEY_PATTERN) -> str:
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


def kind_en(value: Any) -> str:
    """What ``value`` is, in English words ("a mapping", "text"…), for messages."""
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        int: "a number",
        float: "a number",
        bool: "true/false",
    }.get(type(value), "nothing" if value is None else type(value).__name__)


def kind_vi(value: Any) -> str:
    """What ``value`` is, in Vietnamese words ("một bảng", "chuỗi chữ"…), for messages."""
    return {
        dict: "một bảng",
        list: "một danh sách",
        str: "chuỗi chữ",
        int: "một số",
        float: "một số",
        bool: "true/false",
    }.get(type(value), "rỗng" if value is None else type(value).__name__)
