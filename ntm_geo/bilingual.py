"""One type for a text in Vietnamese and English, picked by language.

>>> title = Bilingual("Tỷ lệ hộ nghèo", "Poverty rate")
>>> title.pick("vi"), title.pick("en"), title("en")
('Tỷ lệ hộ nghèo', 'Poverty rate', 'Poverty rate')

Records that keep a text as two fields (``name_vi``/``name_en``, as datasets, frameworks and
import reports store them) are read with :meth:`Bilingual.of`:

>>> from types import SimpleNamespace
>>> info = SimpleNamespace(name_vi="Hộ nghèo 2017", name_en="Poor households 2017")
>>> Bilingual.of(info, "name").pick("en")
'Poor households 2017'
>>> Bilingual.of({"reason_vi": "thiếu mã", "reason_en": "no code"}, "reason")("vi")
'thiếu mã'

``"vi"`` gives the Vietnamese text and any other language the English one, as every
``x_vi if lang == "vi" else x_en`` this type replaces did (languages are checked where they
enter: links, widgets, the command line).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """A text in Vietnamese (``vi``) and English (``en``)."""

    vi: str
    en: str

    def pick(self, lang: str) -> str:
        """The text in ``lang`` (``"vi"``; anything else gives English)."""
        return self.vi if lang == "vi" else self.en

    __call__ = pick

    @classmethod
    def of(cls, record: object, name: str) -> Bilingual:
        """The text a record keeps as ``<name>_vi`` and ``<name>_en``: attributes of an object, or
        keys of a mapping (a missing key gives ``""``, as a JSON row without the text).

        Raises ``AttributeError`` naming the field when an object lacks one (a misspelt name)."""
        if isinstance(record, Mapping):
            return cls(str(record.get(f"{name}_vi", "")), str(record.get(f"{name}_en", "")))
        return cls(str(getattr(record, f"{name}_vi")), str(getattr(record, f"{name}_en")))

    def format(self, **values: object) -> Bilingual:
        """Both texts with ``str.format(**values)`` applied."""
        return Bilingual(self.vi.format(**values), self.en.format(**values))
