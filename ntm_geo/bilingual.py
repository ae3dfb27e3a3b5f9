"""One type for a text in Vietnamese and English, picked by language.

>>> title = Bilingual("Tỷ lệ hộ nghèo", "Poverty rate")
>>> title.pick("vi"), title.pick("en"), title("en")
('Tỷ lệ hộ nghèo', 'Poverty rate', 'Poverty rate')

Any language other than ``"en"`` gives the Vietnamese text: Vietnamese is the app's first language.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Bilingual:
    """A text in Vietnamese (``vi``) and English (``en``)."""

    vi: str
    en: str

    def pick(self, lang: str) -> str:
        """The text in ``lang`` (``"vi"`` or ``"en"``; anything else gives Vietnamese)."""
        return self.en if lang == "en" else self.vi

    __call__ = pick

    def format(self, **values: object) -> Bilingual:
        """Both texts with ``str.format(**values)`` applied."""
        return Bilingual(self.vi.format(**values), self.en.format(**values))
