"""Slide sequences for presentation mode: compact view specs that live in the URL.

A *slide* is one screen of the presentation, written as a short spec so a whole sequence fits
in the ``slides`` URL parameter (specs joined by ``~``; the characters allowed are those of
:data:`ntm_geo.views.viewstate._SLIDES`, ``[A-Za-z0-9_.:~-]``)::

    criteria_met.2015            one map: variable key . year
    criteria_met.2015.d189       the same, zoomed to one district (3-digit GSO code)
    compare:year                 criteria met, 2011 and 2015 side by side (same extent)
    compare:criteria_met.2015:poverty_rate_pct.2015   two views side by side
    change                       criteria gained, first -> last year of the dataset, per xã
    change:2016:2019             criteria gained between any two years the dataset has
    change.d186                  the same for one district

``compare:year`` and ``change`` name no year: they mean the first and the last year of the
dataset shown (2011 and 2015 for the illustrative data), so the default sequence
(:func:`default_slides`) fits any dataset; a link keeps their short form.

Variables are the keys of :data:`ntm_geo.maps.themes.VARIABLES` (the theme follows from the
variable). Parsing one spec (:func:`parse_slide`) raises :class:`~ntm_geo.errors.ConfigError`
with a bilingual message; parsing a link (:func:`parse_slides`) never raises: bad specs are
dropped with a :class:`~ntm_geo.views.viewstate.Notice`, and a link with no usable spec falls back to
:data:`DEFAULT_SLIDES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import ILLUSTRATIVE
from ntm_geo.errors import ConfigError, allowed_list
from ntm_geo.i18n import register, t
from ntm_geo.maps.themes import VARIABLES, year_variable
from ntm_geo.views.viewstate import _SLIDES, UNUSED, Notice, ViewState, variable_label

SEPARATOR = "~"
MAX_SLIDES = 50  # the ``slide`` URL parameter accepts 1-50
_CHANGE = re.compile(r"^change:(\d{4}):(\d{4})$")


def end_years(years: Iterable[int] | None = None) -> tuple[int, int]:
    """The first and last of ``years`` (default: the illustrative dataset's): the two years
    ``compare:year`` and ``change`` mean."""
    have = sorted(set(ILLUSTRATIVE.years if years is None else years))
    return (have[0], have[-1])


_DISTRICT = re.compile(r"^d(\d{3})$")

register(
    {
        "slide_map": ("{variable} — {year}", "{variable} — {year}"),
        "slide_compare": ("So sánh: {left} | {right}", "Compare: {left} | {right}"),
        "slide_change": ("Số tiêu chí tăng thêm {before} → {after}", "Criteria gained {before} → {after}"),
        "slide_district": ("{title} — huyện {district}", "{title} — district {district}"),
    }
)


@dataclass(frozen=True)
class SlideMap:
    """One map of a slide: a variable key of :data:`~ntm_geo.maps.themes.VARIABLES` and a year (the
    rest of the view -- dataset, scheme, language -- is the presentation's :class:`ViewState`)."""

    var: str
    year: int

    @property
    def theme(self) -> str:
        return VARIABLES[self.var].theme

    def spec(self) -> str:
        return f"{self.var}.{self.year}"


@dataclass(frozen=True)
class Slide:
    """One slide.

    ``kind`` is ``"map"`` (one view in ``views``), ``"compare"`` (two views, same extent) or
    ``"change"`` (criteria gained from ``views[0].year`` to ``views[1].year``, both
    ``criteria_met``); ``district`` is a 3-digit GSO code or ``""`` for the whole province.
    ``short``: written as ``compare:year`` / ``change`` (first and last year of the dataset).
    """

    kind: str
    views: tuple[SlideMap, ...] = ()
    district: str = ""
    short: bool = field(default=False, compare=False)

    def spec(self) -> str:
        """The compact text form (inverse of :func:`parse_slide`)."""
        if self.kind == "change":
            text = "change" if self.short else f"change:{self.views[0].year}:{self.views[1].year}"
        elif self.kind == "compare":
            left, right = self.views
            text = "compare:year" if self.short else f"compare:{left.spec()}:{right.spec()}"
        else:
            text = self.views[0].spec()
        return f"{text}.d{self.district}" if self.district else text

    def years(self) -> set[int]:
        """The dataset years this slide needs."""
        return {v.year for v in self.views}

    def label(self, lang: str = "vi", district_name: str = "") -> str:
        """Short human label, e.g. "Số tiêu chí đạt (0–19) — 2015"."""
        if self.kind == "change":
            text = t("slide_change", lang, before=self.views[0].year, after=self.views[1].year)
        else:
            parts = [
                t("slide_map", lang, variable=year_variable(v.var, v.year).label(lang), year=v.year)
                for v in self.views
            ]
            text = parts[0] if self.kind == "map" else t("slide_compare", lang, left=parts[0], right=parts[1])
        if self.district:
            text = t("slide_district", lang, title=text, district=district_name or self.district)
        return text


class _SlideError(ConfigError):
    """A bad slide spec; ``why_vi``/``why_en`` are the short reasons shown in link notices."""

    def __init__(self, message_en: str, message_vi: str, why_en: str, why_vi: str) -> None:
        super().__init__(message_en, message_vi)
        self.why_en, self.why_vi = why_en, why_vi


def _bad(spec: str, why_en: str, why_vi: str, allowed: Bilingual | None = None) -> ConfigError:
    """A bad slide spec. ``allowed`` (:func:`ntm_geo.errors.allowed_list`) goes in the message,
    not in the short reason a link notice shows (every variable of every theme is too long a list
    for a notice on a projector)."""
    more_en = f" (allowed: {allowed.en})" if allowed else ""
    more_vi = f" (hợp lệ: {allowed.vi})" if allowed else ""
    return _SlideError(
        f"Slide {spec[:80]!r}: {why_en}{more_en}. Write a slide as VARIABLE.YEAR (e.g. criteria_met.2015), "
        f"optionally .dDDD for a district, or 'change', 'compare:year', 'compare:VAR.YEAR:VAR.YEAR'.",
        f"Trang chiếu {spec[:80]!r}: {why_vi}{more_vi}. Viết trang chiếu dạng CHỈ_TIÊU.NĂM (ví dụ criteria_met.2015), "
        f"có thể thêm .dDDD cho một huyện, hoặc 'change', 'compare:year', 'compare:CHỈ_TIÊU.NĂM:CHỈ_TIÊU.NĂM'.",
        why_en,
        why_vi,
    )


def _map_spec(text: str, spec: str, years: Iterable[int] | None = None) -> SlideMap:
    var, _, year = text.rpartition(".")
    if not var:
        raise _bad(spec, "not of the form VARIABLE.YEAR", "không có dạng CHỈ_TIÊU.NĂM")
    if var not in VARIABLES:
        listed = allowed_list(VARIABLES, variable_label)
        raise _bad(spec, f"unknown variable {var!r}", f"chỉ tiêu {var!r} không tồn tại", listed)
    _check_year(year, spec, years)
    return SlideMap(var, int(year))


def _check_year(year: str, spec: str, years: Iterable[int] | None) -> None:
    known = set(catalog.all_years() if years is None else years)
    if not (year.isdigit() and int(year) in known):
        listed = ", ".join(map(str, sorted(known)))
        raise _bad(spec, f"year {year!r} must be one of {listed}", f"năm {year!r} phải là một trong {listed}")


def parse_slide(
    spec: str, known_districts: Iterable[str] | None = None, *, years: Iterable[int] | None = None
) -> Slide:
    """Parse one slide spec (see the module docstring).

    ``years``: the years of the dataset shown (default: every year some dataset has, and the
    illustrative dataset's first and last for ``change`` and ``compare:year``).

    Raises
    ------
    ConfigError
        Unknown form, variable, year or district (message names the spec and the allowed forms).
    """
    years = None if years is None else tuple(years)
    text = str(spec).strip()
    if not text or not _SLIDES.match(text) or SEPARATOR in text:
        raise _bad(
            text,
            "empty or has characters other than letters, digits and _ . : -",
            "rỗng hoặc có ký tự ngoài chữ, số và _ . : -",
        )
    district = ""
    head, _, tail = text.rpartition(".")
    if head and (m := _DISTRICT.match(tail)):
        district, text = m.group(1), head
        if known_districts is not None and district not in set(known_districts):
            raise _bad(spec, f"unknown district code {district!r}", f"mã huyện {district!r} không tồn tại")
    if text in ("change", "compare:year"):
        if years is not None and len(set(years)) < 2:
            raise _bad(spec, "the dataset has only one year", "bộ dữ liệu chỉ có một năm")
        pair = tuple(SlideMap("criteria_met", y) for y in end_years(years))
        return Slide("change" if text == "change" else "compare", pair, district, short=True)
    if m := _CHANGE.match(text):
        before, after = m.group(1), m.group(2)
        for year in (before, after):
            _check_year(year, spec, years)
        if int(before) >= int(after):
            raise _bad(spec, "the first year must be before the second", "năm đầu phải trước năm sau")
        return Slide(
            "change", (SlideMap("criteria_met", int(before)), SlideMap("criteria_met", int(after))), district
        )
    if text.startswith("compare:"):
        parts = text.split(":")
        if len(parts) != 3:
            raise _bad(
                spec,
                "a comparison needs two views, compare:VAR.YEAR:VAR.YEAR",
                "so sánh cần hai bản đồ, compare:CHỈ_TIÊU.NĂM:CHỈ_TIÊU.NĂM",
            )
        left, right = _map_spec(parts[1], spec, years), _map_spec(parts[2], spec, years)
        if left == right:
            raise _bad(spec, "the two views are the same", "hai bản đồ giống nhau")
        return Slide("compare", (left, right), district)
    if ":" in text:
        raise _bad(spec, "unknown slide form", "dạng trang chiếu không hợp lệ")
    return Slide("map", (_map_spec(text, spec, years),), district)


def default_specs(years: Iterable[int] | None = None) -> tuple[str, ...]:
    """The default presentation of a dataset with ``years`` (default: the illustrative one's).

    Two years or more: criteria met in the first year → the last → both side by side →
    criteria gained → poverty (last year) → infrastructure (last year) → one district (Đình
    Lập, last year). One year: its criteria, poverty, infrastructure and the district.
    """
    first, last = end_years(years)
    tail = (f"poverty_rate_pct.{last}", f"infra_criteria_met.{last}", f"criteria_met.{last}.d189")
    if first == last:
        return (f"criteria_met.{last}", *tail)
    return (f"criteria_met.{first}", f"criteria_met.{last}", "compare:year", "change", *tail)


def default_slides(years: Iterable[int] | None = None) -> tuple[Slide, ...]:
    """:func:`default_specs` parsed for a dataset with ``years``."""
    years = tuple(ILLUSTRATIVE.years if years is None else years)
    return tuple(parse_slide(s, years=years) for s in default_specs(years))


DEFAULT_SPECS = default_specs()
"""The illustrative data's presentation: criteria met 2011 → 2015 → both side by side → criteria
gained → poverty 2015 → infrastructure 2015 → one district (Đình Lập)."""

DEFAULT_SLIDES: tuple[Slide, ...] = default_slides()


def format_slides(slides: Iterable[Slide], years: Iterable[int] | None = None) -> str:
    """The ``slides`` URL value; ``""`` for the default sequence of a dataset with ``years``
    (:func:`default_slides`; kept out of the link)."""
    slides = tuple(slides)
    return "" if slides == default_slides(years) else SEPARATOR.join(s.spec() for s in slides)


def parse_slides(
    raw: str,
    *,
    known_districts: Iterable[str] | None = None,
    years: Iterable[int] | None = None,
) -> tuple[tuple[Slide, ...], list[Notice]]:
    """Parse the ``slides`` URL value; never raises.

    Parameters
    ----------
    raw : str
        Specs joined by ``~``; ``""`` means :func:`default_slides` of ``years``.
    known_districts : iterable of str, optional
        District codes that exist; slides naming another are dropped.
    years : iterable of int, optional
        Years the chosen dataset has; slides needing another year are dropped, and ``change``
        / ``compare:year`` mean its first and last year.

    Returns
    -------
    (slides, notices)
        At least one slide (the dataset's defaults when nothing usable is left).
    """
    notices: list[Notice] = []
    districts = set(known_districts) if known_districts is not None else None
    have = tuple(sorted(set(years))) if years is not None else None
    if not raw:
        return default_slides(have), notices
    slides: list[Slide] = []
    specs = [s for s in str(raw).split(SEPARATOR) if s]
    if len(specs) > MAX_SLIDES:
        notices.append(
            Notice(
                "slides",
                f"{len(specs)}",
                f"chỉ dùng {MAX_SLIDES} trang chiếu đầu",
                f"only the first {MAX_SLIDES} slides are used",
            )
        )
        specs = specs[:MAX_SLIDES]
    for spec in specs:
        try:
            slide = parse_slide(spec, districts, years=have)
        except _SlideError as err:
            other = None
            if have is not None:  # a good slide of another dataset: say which year is missing
                try:
                    other = parse_slide(spec, districts)
                except _SlideError:
                    other = None
            missing = ", ".join(map(str, sorted(other.years() - set(have or ())))) if other else ""
            if missing:
                vi, en = f"bộ dữ liệu không có năm {missing}", f"the dataset has no year {missing}"
            else:
                vi, en = err.why_vi, err.why_en
            notices.append(Notice("slides", spec, vi, en))
            continue
        slides.append(slide)
    if not slides:
        vi, en = (
            "không còn trang chiếu hợp lệ; dùng trình tự mặc định",
            "no valid slide left; using the default sequence",
        )
        if notices and notices[-1].value == str(raw):  # one slide, refused: one notice says both
            last = notices.pop()
            vi, en = (
                f"{last.reason_vi}; dùng trình tự mặc định",
                f"{last.reason_en}; using the default sequence",
            )
        notices.append(Notice("slides", str(raw), vi, en))
        return default_slides(have), notices
    return tuple(slides), notices


_VIEW_PARAMS = ("theme", "var", "year", "district")


def with_slide_hint(notices: Iterable[Notice], asked: ViewState) -> list[Notice]:
    """The presentation's link notices, the first unused map-view parameter saying how to show it.

    A map-page link opened on ``/present`` (``?theme=poverty&year=2011&district=186``) shows the
    slide sequence, not that map: :func:`ntm_geo.views.links.parse_link` says so for each such
    parameter (kind ``unused``); the first one of a map view (theme, variable, year or district)
    also gives the ``slides`` value that shows it (``slides=poverty_rate_pct.2011.d186``).

    Parameters
    ----------
    notices : iterable of Notice
        :attr:`ntm_geo.views.links.Link.notices` of the link on the ``present`` page.
    asked : ViewState
        :attr:`ntm_geo.views.links.Link.asked` (every valid value of the link).

    Returns
    -------
    list of Notice
        ``notices`` in the same order, one of them with the suggestion (none without a map view).
    """
    out = list(notices)
    for i, notice in enumerate(out):
        if notice.kind == UNUSED and notice.param in _VIEW_PARAMS:
            spec = Slide("map", (SlideMap(asked.var, asked.year),), asked.district).spec()
            out[i] = replace(
                notice,
                reason_vi=f"{notice.reason_vi}; để chiếu bản đồ này, dùng slides={spec}",
                reason_en=f"{notice.reason_en}; to show this map, use slides={spec}",
            )
            break
    return out


def slide_index(number: int, count: int) -> tuple[int, list[Notice]]:
    """0-based index of the 1-based ``slide`` number, clamped to ``count`` slides (with a notice)."""
    if 1 <= number <= count:
        return number - 1, []
    return 0, [
        Notice(
            "slide",
            str(number),
            f"chỉ có {count} trang chiếu; mở trang 1",
            f"there are only {count} slides; opening slide 1",
        )
    ]
