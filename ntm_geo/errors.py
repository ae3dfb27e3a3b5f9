"""One exception type for the whole application.

Every error raised on purpose by :mod:`ntm_geo` is a :class:`NtmGeoError` (or a subclass). It carries
a Vietnamese message (``message_vi``, shown first in the UI) and an English one (``message_en``),
plus optional location fields (``file``, ``row``, ``column``) so the interface can say *where*
the problem is. ``str(err)`` is the English message followed by the Vietnamese one, so logs and
``pytest.raises(match=...)`` can match either.
"""

from __future__ import annotations

from collections.abc import Iterable

from ntm_geo.bilingual import Bilingual


class NtmGeoError(Exception):
    """Base error of ntm-geo with bilingual messages.

    Parameters
    ----------
    message_en : str
        What went wrong and how to fix it, in English.
    message_vi : str
        The same in Vietnamese (shown first in the UI).
    file, row, column : optional
        Where the problem is (file name, 1-based row number, column name), when it applies.
    """

    def __init__(
        self,
        message_en: str,
        message_vi: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message_en = message_en
        self.message_vi = message_vi
        self.file = file
        self.row = row
        self.column = column
        super().__init__(f"{message_en} | {message_vi}")

    def message(self, lang: str = "vi") -> str:
        """The message in ``lang`` ("vi" or "en")."""
        return Bilingual(self.message_vi, self.message_en).pick(lang)


class BoundaryError(NtmGeoError):
    """The boundary file is missing, corrupt, or cannot be matched to the official unit list."""


class DataError(NtmGeoError):
    """A criteria/indicator table is malformed or inconsistent."""


class ConfigError(NtmGeoError):
    """An unknown key (theme, scheme, year, criterion...) or a bad setting."""


def unknown_key(key: object, allowed: Iterable[object], what: Bilingual) -> ConfigError:
    """The error of a lookup table that does not know ``key``: what was looked up, the key, and
    every allowed key ("Unknown unit type 'x'; allowed: xa, phuong, thi-tran." and "Loại đơn vị
    không hợp lệ 'x'; các giá trị hợp lệ: …"). ``what`` is the looked-up thing as each language
    names it in that sentence (``Bilingual("Loại đơn vị", "unit type")``).

    >>> unknown_key("x", ["a", "b"], Bilingual("Loại cột", "column kind")).message_en
    "Unknown column kind 'x'; allowed: a, b."
    """
    listed = ", ".join(map(str, allowed))
    return ConfigError(
        f"Unknown {what.en} {key!r}; allowed: {listed}.",
        f"{what.vi} không hợp lệ {key!r}; các giá trị hợp lệ: {listed}.",
    )
