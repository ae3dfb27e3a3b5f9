"""Vietnamese for argparse's own command-line errors (issue: trial 5, C1).

argparse writes its errors ("the following arguments are required: --year", "invalid choice: …")
in English only; the rest of the command line speaks Vietnamese first. :func:`message_vi` turns
each message Python 3.11's argparse emits into Vietnamese, keeping the names and values it quotes;
a message it does not know is kept as is after a Vietnamese lead-in (never dropped).
"""

from __future__ import annotations

import re

_TYPES = {"int": "số nguyên", "float": "số", "Path": "đường dẫn", "str": "chuỗi"}

# (pattern of argparse's English text, Vietnamese template using the pattern's groups)
_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^the following arguments are required: (?P<names>.+)$"), "thiếu tham số bắt buộc: {names}"),
    (re.compile(r"^unrecognized arguments: (?P<args>.+)$"), "tham số không được hỗ trợ: {args}"),
    (
        re.compile(r"^invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)$"),
        "giá trị {value} không hợp lệ (chọn một trong {choices})",
    ),
    (re.compile(r"^invalid (?P<type>\w+) value: (?P<value>.+)$"), "giá trị {value} không phải {type}"),
    (re.compile(r"^expected one argument$"), "cần một giá trị"),
    (re.compile(r"^expected at least one argument$"), "cần ít nhất một giá trị"),
    (re.compile(r"^expected (?P<n>\d+) arguments?$"), "cần {n} giá trị"),
    (re.compile(r"^not allowed with argument (?P<other>.+)$"), "không dùng cùng với {other}"),
    (re.compile(r"^ignored explicit argument (?P<value>.+)$"), "không nhận giá trị {value}"),
    (
        re.compile(r"^ambiguous option: (?P<option>\S+) could match (?P<options>.+)$"),
        "tùy chọn {option} không rõ, có thể là {options}",
    ),
    (re.compile(r"^one of the arguments (?P<names>.+) is required$"), "cần một trong các tham số {names}"),
)
_ARGUMENT = re.compile(r"^argument (?P<name>[^:]+): (?P<rest>.+)$", re.DOTALL)


def message_vi(message: str) -> str:
    """Vietnamese for one argparse error ``message`` (English, as argparse writes it).

    ``"argument --year: invalid choice: 2013 (choose from 2011, 2015)"`` →
    ``"tham số --year: giá trị 2013 không hợp lệ (chọn một trong 2011, 2015)"``. An unknown
    message comes back as ``"tham số không hợp lệ: <message>"``.
    """
    prefix = ""
    text = message.strip()
    if m := _ARGUMENT.match(text):
        prefix, text = f"tham số {m.group('name')}: ", m.group("rest")
    for pattern, template in _MESSAGES:
        if m := pattern.match(text):
            groups = dict(m.groupdict())
            if "type" in groups:
                groups["type"] = _TYPES.get(groups["type"], groups["type"])
            return prefix + template.format(**groups)
    return f"tham số không hợp lệ: {message.strip()}"
