"""One exception type for the whole application.

Every error raised on purpose by :mod:`ntm_geo` is a :class:`NtmGeoError` (or a subclass). It carries
a Vietnamese message (``message_vi``, shown first in the UI) and an English one (``message_en``),
plus optional location fields (``file``, ``row``, ``column``) so the interface can say *where*
the problem is. ``str(err)`` is the English message followed by the Vietnamese one, so logs and
``pytest.raises(match=...)`` can match either.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from ntm_geo.bilingual import Bilingual

K = TypeVar("K")


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


def allowed_list(allowed: Iterable[K], label: Callable[[K, str], str] | None = None) -> Bilingual:
    """The allowed keys as each language lists them: ``"key, key"``, or with ``label`` (the key's
    human name in a language, from the key's own registry: ``scheme_label``, a theme's
    ``label``…) ``"Label (key), Label (key)"`` -- the name a reader understands, and the key a
    link or a command line holds, so an editor can still fix it.

    >>> from ntm_geo.maps.classify import scheme_label
    >>> allowed_list(["quantiles", "equal_interval"], scheme_label).vi
    'Phân vị (số đơn vị bằng nhau) (quantiles), Khoảng đều (equal_interval)'
    >>> allowed_list([2011, 2015]).en
    '2011, 2015'
    """
    keys = list(allowed)
    if label is None:
        listed = ", ".join(map(str, keys))
        return Bilingual(listed, listed)
    vi, en = (", ".join(f"{label(k, lang)} ({k})" for k in keys) for lang in ("vi", "en"))
    return Bilingual(vi, en)


def unknown_reason(
    what: Bilingual, allowed: Iterable[K], label: Callable[[K, str], str] | None = None
) -> Bilingual:
    """Why a value was refused, for a message that already shows the value (a link notice,
    ``theme='x': …``): "unknown theme; allowed: …" and "chủ đề không hợp lệ; các giá trị hợp lệ:
    …", the allowed keys listed by :func:`allowed_list` (with ``label``: their names in that
    language, each key in parentheses). ``what`` as each language names the thing in that
    sentence (``Bilingual("chủ đề", "theme")``).

    >>> unknown_reason(Bilingual("loại", "kind"), ["a", "b"], lambda k, lang: k.upper()).en
    'unknown kind; allowed: A (a), B (b)'
    """
    listed = allowed_list(allowed, label)
    return Bilingual(
        f"{what.vi} không hợp lệ; các giá trị hợp lệ: {listed.vi}", f"unknown {what.en}; allowed: {listed.en}"
    )


def unknown_key(
    key: object, allowed: Iterable[K], what: Bilingual, label: Callable[[K, str], str] | None = None
) -> ConfigError:
    """The error of a lookup table that does not know ``key``: what was looked up, the key, and
    every allowed key ("Unknown unit type 'x'; allowed: xa, phuong, thi-tran." and "Loại đơn vị
    không hợp lệ 'x'; các giá trị hợp lệ: …"). ``what`` is the looked-up thing as each language
    names it in that sentence (``Bilingual("Loại đơn vị", "unit type")``); with ``label`` the keys
    are listed by their names in each language, as :func:`allowed_list` does.

    >>> unknown_key("x", ["a", "b"], Bilingual("Loại cột", "column kind")).message_en
    "Unknown column kind 'x'; allowed: a, b."
    """
    listed = allowed_list(allowed, label)
    return ConfigError(
        f"Unknown {what.en} {key!r}; allowed: {listed.en}.",
        f"{what.vi} không hợp lệ {key!r}; các giá trị hợp lệ: {listed.vi}.",
    )
