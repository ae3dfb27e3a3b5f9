"""Slide sequences for presentation mode: compact view specs that live in the URL.

A *slide* is one screen of the presentation, written as a short spec so a whole sequence fits
in the ``slides`` URL parameter (specs joined by ``~``; the characters allowed are those of
:data:`ntm_geo.views.viewstate._SLIDES`, ``[A-Za-z0-9_.:~-]``)::

    criteria_met.2015            one map: variable key . year
    criteria_met.2015.d189       the same, zoomed to one district (3-digit GSO code)
    compare:year                 criteria met, 2011 and 2015 side by side (same extent)
    compare:criteria_met.2015:poverty_rate_pct.2015   two views side by side
    change                       criteria gained 2011 -> 2015 per xã (see ntm_geo.maps.change)
    change.d186                  the same for one district

Variables are the keys of :data:`ntm_geo.maps.themes.VARIABLES` (the theme follows from the
variable). Parsing one spec (:func:`parse_slide`) raises :class:`~ntm_geo.errors.ConfigError`
with a bilingual message; parsing a link (:func:`parse_slides`) never raises: bad specs are
dropped with a :class:`~ntm_geo.views.viewstate.Notice`, and a link with no usable spec falls back to
:data:`DEFAULT_SLIDES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import ILLUSTRATIVE
from ntm_geo.errors import ConfigError
from ntm_geo.i18n import register, t
from ntm_geo.maps.themes import VARIABLES, year_variable
from ntm_geo.views.viewstate import _SLIDES, Notice

SEPARATOR = "~"
MAX_SLIDES = 50  # the ``slide`` URL parameter accepts 1-50
#: The change map compares these two years: the first and last of the illustrative dataset.
CHANGE_YEARS: tuple[int, int] = (min(ILLUSTRATIVE.years), max(ILLUSTRATIVE.years))

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
class MapSpec:
    """One choropleth: a variable key of :data:`~ntm_geo.maps.themes.VARIABLES` and a year."""

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
    ``"change"`` (criteria gained between :data:`CHANGE_YEARS`; ``views`` empty);
    ``district`` is a 3-digit GSO code or ``""`` for the whole province.
    """

    kind: str
    views: tuple[MapSpec, ...] = ()
    district: str = ""

    def spec(self) -> str:
        """The compact text form (inverse of :func:`parse_slide`)."""
        if self.kind == "change":
            text = "change"
        elif self.kind == "compare":
            left, right = self.views
            if left.var == right.var == "criteria_met" and (left.year, right.year) == CHANGE_YEARS:
                text = "compare:year"
            else:
                text = f"compare:{left.spec()}:{right.spec()}"
        else:
            text = self.views[0].spec()
        return f"{text}.d{self.district}" if self.district else text

    def years(self) -> set[int]:
        """The dataset years this slide needs."""
        return set(CHANGE_YEARS) if self.kind == "change" else {v.year for v in self.views}

    def label(self, lang: str = "vi", district_name: str = "") -> str:
        """Short human label, e.g. "Số tiêu chí đạt (0–19) — 2015"."""
        if self.kind == "change":
            text = t("slide_change", lang, before=CHANGE_YEARS[0], after=CHANGE_YEARS[1])
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


def _bad(spec: str, why_en: str, why_vi: str) -> ConfigError:
    return _SlideError(
        f"Slide {spec[:80]!r}: {why_en}. Write a slide as VARIABLE.YEAR (e.g. criteria_met.2015), "
        f"optionally .dDDD for a district, or 'change', 'compare:year', 'compare:VAR.YEAR:VAR.YEAR'.",
        f"Trang chiếu {spec[:80]!r}: {why_vi}. Viết trang chiếu dạng CHỈ_TIÊU.NĂM (ví dụ criteria_met.2015), "
        f"có thể thêm .dDDD cho một huyện, hoặc 'change', 'compare:year', 'compare:CHỈ_TIÊU.NĂM:CHỈ_TIÊU.NĂM'.",
        why_en.split(" (allowed")[0],
        why_vi.split(" (hợp lệ")[0],
    )


def _map_spec(text: str, spec: str) -> MapSpec:
    var, _, year = text.rpartition(".")
    if not var:
        raise _bad(spec, "not of the form VARIABLE.YEAR", "không có dạng CHỈ_TIÊU.NĂM")
    if var not in VARIABLES:
        raise _bad(
            spec,
            f"unknown variable {var!r} (allowed: {', '.join(VARIABLES)})",
            f"chỉ tiêu {var!r} không tồn tại (hợp lệ: {', '.join(VARIABLES)})",
        )
    known = catalog.all_years()
    if not (year.isdigit() and int(year) in known):
        years = ", ".join(map(str, sorted(known)))
        raise _bad(spec, f"year {year!r} must be one of {years}", f"năm {year!r} phải là một trong {years}")
    return MapSpec(var, int(year))


def parse_slide(spec: str, known_districts: Iterable[str] | None = None) -> Slide:
    """Parse one slide spec (see the module docstring).

    Raises
    ------
    ConfigError
        Unknown form, variable, year or district (message names the spec and the allowed forms).
    """
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
    if text == "change":
        return Slide("change", (), district)
    if text == "compare:year":
        return Slide("compare", tuple(MapSpec("criteria_met", y) for y in CHANGE_YEARS), district)
    if text.startswith("compare:"):
        parts = text.split(":")
        if len(parts) != 3:
            raise _bad(
                spec,
                "a comparison needs two views, compare:VAR.YEAR:VAR.YEAR",
                "so sánh cần hai bản đồ, compare:CHỈ_TIÊU.NĂM:CHỈ_TIÊU.NĂM",
            )
        left, right = _map_spec(parts[1], spec), _map_spec(parts[2], spec)
        if left == right:
            raise _bad(spec, "the two views are the same", "hai bản đồ giống nhau")
        return Slide("compare", (left, right), district)
    if ":" in text:
        raise _bad(spec, "unknown slide form", "dạng trang chiếu không hợp lệ")
    return Slide("map", (_map_spec(text, spec),), district)


DEFAULT_SPECS = (
    "criteria_met.2011",
    "criteria_met.2015",
    "compare:year",
    "change",
    "poverty_rate_pct.2015",
    "infra_criteria_met.2015",
    "criteria_met.2015.d189",
)
"""The app's default presentation: criteria met 2011 → 2015 → both side by side → criteria
gained → poverty 2015 → infrastructure 2015 → one district (Đình Lập)."""

DEFAULT_SLIDES: tuple[Slide, ...] = tuple(parse_slide(s) for s in DEFAULT_SPECS)


def format_slides(slides: Iterable[Slide]) -> str:
    """The ``slides`` URL value; ``""`` for :data:`DEFAULT_SLIDES` (kept out of the link)."""
    slides = tuple(slides)
    return "" if slides == DEFAULT_SLIDES else SEPARATOR.join(s.spec() for s in slides)


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
        Specs joined by ``~``; ``""`` means :data:`DEFAULT_SLIDES`.
    known_districts : iterable of str, optional
        District codes that exist; slides naming another are dropped.
    years : iterable of int, optional
        Years the chosen dataset has; slides needing another year are dropped.

    Returns
    -------
    (slides, notices)
        At least one slide (the defaults, filtered by ``years``, when nothing usable is left).
    """
    notices: list[Notice] = []
    districts = set(known_districts) if known_districts is not None else None
    have = set(years) if years is not None else None

    def usable(slide: Slide) -> bool:
        return have is None or slide.years() <= have

    if not raw:
        return tuple(s for s in DEFAULT_SLIDES if usable(s)) or DEFAULT_SLIDES[:1], notices
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
            slide = parse_slide(spec, districts)
        except _SlideError as err:
            notices.append(Notice("slides", spec, err.why_vi, err.why_en))
            continue
        if not usable(slide):
            missing = ", ".join(map(str, sorted(slide.years() - (have or set()))))
            notices.append(
                Notice(
                    "slides", spec, f"bộ dữ liệu không có năm {missing}", f"the dataset has no year {missing}"
                )
            )
            continue
        slides.append(slide)
    if not slides:
        notices.append(
            Notice(
                "slides",
                str(raw),
                "không còn trang chiếu hợp lệ; dùng trình tự mặc định",
                "no valid slide left; using the default sequence",
            )
        )
        return parse_slides("", years=years)[0], notices
    return tuple(slides), notices


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
