"""ntm_geo.bilingual: one type for a text in two languages, and no hand-written picks left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from ntm_geo.bilingual import Bilingual

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class _Record:
    name_vi: str
    name_en: str


def test_of_reads_a_records_two_fields_and_a_mappings_two_keys():
    assert Bilingual.of(_Record("Xã", "Commune"), "name") == Bilingual("Xã", "Commune")
    assert Bilingual.of({"reason_vi": "thiếu mã", "reason_en": "no code"}, "reason").pick("en") == "no code"
    assert Bilingual.of({"reason_vi": "thiếu mã"}, "reason").pick("en") == ""  # a JSON row without the text


def test_of_names_a_misspelt_field():
    with pytest.raises(AttributeError, match="nam_vi"):
        Bilingual.of(_Record("Xã", "Commune"), "nam")


def test_format_applies_to_both_texts():
    text = Bilingual("{n} chỉ tiêu", "{n} indicators").format(n=47)
    assert (text("vi"), text("en")) == ("47 chỉ tiêu", "47 indicators")


# the parts of the code issue 11 (item 3) moved to Bilingual / i18n tables
SCOPE = [
    *sorted((ROOT / "app_pages").glob("**/*.py")),
    *sorted((ROOT / "ntm_geo" / "cli").glob("*.py")),
    ROOT / "ntm_geo" / "__main__.py",
    *sorted((ROOT / "ntm_geo" / "criteria").glob("*.py")),
    *sorted((ROOT / "ntm_geo" / "exports").glob("**/*.py")),
    *sorted((ROOT / "ntm_geo" / "geo").glob("*.py")),
    *sorted((ROOT / "ntm_geo" / "datasets").glob("**/*.py")),
    *sorted((ROOT / "ntm_geo" / "planning").glob("*.py")),
    *sorted((ROOT / "ntm_geo" / "maps").glob("*.py")),
    *sorted((ROOT / "ntm_geo" / "views").glob("*.py")),
]
# `x_vi if lang == "vi" else x_en`, `t[0 if vi else 1]`, `"…" if lang == "vi" else "…"` (not a
# language code itself: `"en" if lang == "vi" else "vi"` is the other language, not a text);
# either quote
PICK = re.compile(
    r"""_vi if \w+ == ["']vi["'] else|\[0 if \w+(?: == ["']vi["'])? else 1\]"""
    r"""|(?<!"en)(?<!"vi)(?<!'en)(?<!'vi)["'] if \w+ == ["']vi["'] else ["']"""
)
# a block per language (`if lang == "vi":` … ) or a flag for one (`vi = lang == "vi"`)
BLOCK = re.compile(r"""^\s*(?:el)?if \w+ == ["'](?:vi|en)["']:|^\s*\w+ = \w+ == ["'](?:vi|en)["']\s*$""")


def test_no_hand_written_language_picks_are_left():
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in SCOPE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if PICK.search(line) or BLOCK.search(line)
    ]
    assert found == []


def test_the_guard_sees_each_form():
    for line in (
        'x = a.name_vi if lang == "vi" else a.name_en',
        "y = T[k][0 if vi else 1]",
        'z = "Xã" if L == "vi" else "Commune"',
    ):
        assert PICK.search(line), line
    assert PICK.search("return f\"{self.name_vi if lang == 'vi' else self.name_en}\"")
    for line in ('    if lang == "vi":', "        elif lang == 'en':", '    vi = lang == "vi"'):
        assert BLOCK.search(line), line
    assert not PICK.search('other = "en" if first == "vi" else "vi"')
    assert not BLOCK.search('    if lang not in ("vi", "en"):')
