"""One type for a text in Vietnamese and English, picked by language.

>>> title = Bilingual("Tỷ lệ hộ nghèo", "Poverty rate")
>>> title.pick("vi"), title.pick("en"), title("en")
('Tỷ lệ hộ nghèo', 'Poverty rate', 'Poverty rate')

``"vi"`` gives the Vietnamese text and any other language the English one, as every
``x_vi if lang == "vi" else x_en`` this type replaces did (languages are checked where they
enter: links, widgets, the command line).
"""

from __future__ import annotations

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

    def format(self, **values: object) -> Bilingual:
        """Both texts with ``str.format(**values)`` applied."""
        return Bilingual(self.vi.format(**values), self.en.format(**values))
