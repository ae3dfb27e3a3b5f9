"""The state of a map view, and its encoding as short, readable URL query parameters.

A shared link must reproduce exactly the view that was shared, so every choice that changes what
is shown lives in :class:`ViewState` and round-trips through the URL::

    ?dataset=illustrative&year=2011&theme=poverty&scheme=quantiles&k=4&district=186&lang=en

Only values that differ from the defaults are written, so links stay short; no base64, no data.
Parsing is defensive: URL parameters are hostile input. An unknown parameter, a malformed or
unknown value (wrong year, theme, commune code, injected text) is **ignored** and reported as a
:class:`Notice` (the raw text is kept for the message; the UI must escape it); the rest of the
link still applies. Parsing never raises.

Parameters (all optional):

=============  ===============================================================================
``dataset``    dataset id (``illustrative`` or a saved dataset's id)
``year``       a year the dataset has (2011 or 2015 for the illustrative data); another
               year opens the nearest one the dataset has, with a notice
``theme``      ``criteria`` | ``poverty`` | ``infrastructure``
``var``        a variable of that theme (``criteria_met``, ``c01``..``c19``, ``road_hardened_pct`` …)
``scheme``     ``natural_breaks`` | ``quantiles`` | ``equal_interval``
``k``          number of classes, 3–7
``district``   3-digit GSO district code
``communes``   selected commune codes, comma-separated (5 digits each)
``shortlist``  planner's shortlist, commune codes, comma-separated
``lang``       ``vi`` | ``en``
``mode``       ``present`` for presentation mode; ``multiples`` for small multiples (years page)
``slide``      slide number in presentation mode, 1-based
``slides``     the slide sequence: view names separated by ``~`` (see :mod:`ntm_geo.views.slides`)
``compare``    second view for side-by-side comparison, e.g. ``year:2011`` or ``theme:poverty``
``panels``     years of the small multiples, comma-separated (at most 6, years of the dataset)
``tiles``      ``osm``: OpenStreetMap background tiles (needs internet); absent = no background
``units``      unit vintage: ``2015`` (226 units, default) or ``2025`` (65 units, data carried)
=============  ===============================================================================

Why over 500 lines: the view's fields, their defaults, their URL encoding and the defensive parser
of every parameter (with its notice) are one contract: a parameter is added, encoded, parsed and
reported in one place, so a link and its view cannot drift apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Literal

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import ILLUSTRATIVE
from ntm_geo.errors import allowed_list, unknown_reason
from ntm_geo.geo.vintages import DEFAULT_VINTAGE, VINTAGES
from ntm_geo.i18n import LANGUAGES
from ntm_geo.maps.classify import K_RANGE, SCHEMES, scheme_label
from ntm_geo.maps.themes import THEMES, VARIABLES

LANGS: tuple[str, ...] = ("vi", "en")
MAX_CODES = 226  # a link can name at most every unit once
_CODE = re.compile(r"^\d{5}$")
_DISTRICT = re.compile(r"^\d{3}$")
_DATASET = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_SLIDES = re.compile(r"^[A-Za-z0-9_.:~-]{1,500}$")
_COMPARE = re.compile(r"^(year|theme|var):[A-Za-z0-9_]{1,40}$")


@dataclass(frozen=True)
class ViewState:
    """Everything that decides what a map view shows. Defaults = the app's opening view."""

    dataset: str = "illustrative"
    year: int = max(ILLUSTRATIVE.years)  # the newest year of the dataset the app opens with
    theme: str = "criteria"
    var: str = "criteria_met"
    scheme: str = "natural_breaks"
    k: int = 5
    district: str = ""
    communes: tuple[str, ...] = ()
    shortlist: tuple[str, ...] = ()
    lang: str = "vi"
    mode: str = ""
    slide: int = 1
    slides: str = ""
    compare: str = ""
    panels: tuple[int, ...] = ()
    tiles: str = ""
    units: str = DEFAULT_VINTAGE
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # not encoded

    @property
    def present(self) -> bool:
        return self.mode == "present"

    def map_key(self) -> ViewState:
        """Only what decides a map's colours and legend (dataset, year, variable, scheme, k,
        language, unit vintage): the key caches of joined and classified frames use, so a
        selection, a shortlist or a slide number does not make a new entry."""
        return ViewState(
            dataset=self.dataset,
            year=self.year,
            theme=self.theme,
            var=self.var,
            scheme=self.scheme,
            k=self.k,
            lang=self.lang,
            units=self.units,
        )


DEFAULT = ViewState()


def view_units(dataset_vintage: str, requested: str) -> str:
    """The unit vintage a view of a dataset is drawn on ("2015" | "2025").

    A dataset keyed by the 2025 units (``DatasetInfo.vintage``) is drawn on them whatever was
    asked: its values cannot be carried back to the 226 units of 2015. A 2015 dataset is drawn on
    the units asked (on the 2025 units its values are carried, :mod:`ntm_geo.datasets.carry`).

    >>> view_units("2025", "2015"), view_units("2015", "2025"), view_units("2015", "2015")
    ('2025', '2025', '2015')
    """
    return requested if dataset_vintage == DEFAULT_VINTAGE else dataset_vintage


NoticeKind = Literal["invalid", "unused", "adjusted"]
"""What a :class:`Notice` says of its parameter (one heading per kind where notices are shown)."""
INVALID: NoticeKind = "invalid"
"""Notice kind: the parameter is malformed or names nothing the app has; its default is used."""
UNUSED: NoticeKind = "unused"
"""Notice kind: the parameter is well-formed but the page does not read it; dropped from the address."""
ADJUSTED: NoticeKind = "adjusted"
"""Notice kind: the parameter is valid, but the view shown differs from what it asked (the
nearest year the data has, a theme the 2025 units cannot colour, one profile of several communes)."""
NOTICE_KINDS: tuple[NoticeKind, ...] = (INVALID, UNUSED, ADJUSTED)


@dataclass(frozen=True)
class Notice:
    """One link parameter not shown as given: its name, the raw value (escape before showing),
    why, and which of :data:`NOTICE_KINDS` it is (pages group notices by kind under one heading
    each, :func:`app_pages.urlsync.show_link_notices`)."""

    param: str
    value: str
    reason_vi: str
    reason_en: str
    kind: NoticeKind = INVALID

    @property
    def reason(self) -> Bilingual:
        return Bilingual(self.reason_vi, self.reason_en)

    def message(self, lang: str = "vi") -> str:
        reason = self.reason.pick(lang)
        return f"{self.param}={self.value!r}: {reason}"


def to_query(state: ViewState) -> dict[str, str]:
    """Query parameters of ``state``: only the values that differ from :data:`DEFAULT`."""
    out: dict[str, str] = {}
    for f in fields(ViewState):
        if f.name == "extra":
            continue
        value = getattr(state, f.name)
        if value == getattr(DEFAULT, f.name):
            continue
        if f.name == "var" and value == THEMES[state.theme].variables[0]:
            continue  # the theme's default variable
        out[f.name] = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
    if "var" in out and "theme" not in out and state.theme != DEFAULT.theme:
        out["theme"] = state.theme
    return out


def query_string(state: ViewState) -> str:
    """``?a=b&c=d`` form of :func:`to_query` (empty string for the default view)."""
    from urllib.parse import urlencode

    query = to_query(state)
    return "?" + urlencode(query, safe=",~:") if query else ""


LINK_PARAMS: tuple[str, ...] = tuple(f.name for f in fields(ViewState) if f.name != "extra")
"""Every parameter a link may carry (the encoded :class:`ViewState` fields)."""


def unused_notices(
    params: Mapping[str, str | Iterable[str]],
    notices: Iterable[Notice],
    used: Iterable[str],
    reason_vi: str,
    reason_en: str,
) -> list[Notice]:
    """Notices (kind :data:`UNUSED`) for the well-formed link parameters a page does not use
    (issue 14, item 12). Pages get them through :func:`ntm_geo.views.links.parse_link`.

    :func:`from_query` checks every parameter for every page; a page that reads only some of
    them (the presentation reads ``slides``/``slide``, the years page no ``district``) would
    otherwise drop the rest from its address bar without a word.

    Parameters
    ----------
    params : mapping
        The link's query parameters, as given to :func:`from_query`.
    notices : iterable of Notice
        What :func:`from_query` already reported (those parameters are not reported twice).
    used : iterable of str
        The parameters the page reads.
    reason_vi, reason_en : str
        Why they are not used, in Vietnamese and English.

    Returns
    -------
    list of Notice
        One per unused parameter of :data:`LINK_PARAMS`, in the link's order; unknown
        parameters are :func:`from_query`'s to report.
    """
    reported = {n.param for n in notices}
    skip = reported | set(used)
    return [
        Notice(name, _first(raw).strip()[:80], reason_vi, reason_en, UNUSED)
        for name, raw in params.items()
        if name in LINK_PARAMS and name not in skip
    ]


def _first(value: str | Iterable[str]) -> str:
    if isinstance(value, str):
        return value
    items = list(value)
    return items[-1] if items else ""


def from_query(
    params: Mapping[str, str | Iterable[str]],
    *,
    known_datasets: Callable[[str], bool] = lambda d: d == "illustrative",
    known_districts: Iterable[str] | None = None,
    known_communes: Iterable[str] | None = None,
    known_years: Iterable[int] | None = None,
    strict: bool = False,
) -> tuple[ViewState, list[Notice]]:
    """Parse URL query parameters into a :class:`ViewState` and the list of what was ignored.

    Parameters
    ----------
    params : mapping
        ``st.query_params`` or any ``{name: value or [values]}``.
    known_datasets : callable(id) -> bool
        Whether a dataset id exists (a deleted dataset's link falls back to the default).
    known_districts, known_communes : iterables of codes, optional
        When given, codes not in them are ignored with a notice.
    known_years : iterable of int, optional
        Years the link may name (default: the years of the link's dataset, from the catalogue).
        A year outside them opens the nearest one, with a notice ("no data for 2013; showing
        2015"); a link with no year opens the dataset's newest year when it lacks the default.
    strict : bool
        A year the data lacks is not replaced by the nearest one but reported as invalid (for
        callers that refuse rather than adjust: :func:`check_query`).

    Never raises: every problem becomes a :class:`Notice` and the default value is kept.
    """
    notices: list[Notice] = []
    values: dict[str, object] = {}
    districts = set(known_districts) if known_districts is not None else None
    communes = set(known_communes) if known_communes is not None else None

    def bad(name: str, raw: str, vi: str, en: str, kind: NoticeKind = INVALID) -> None:
        notices.append(Notice(name, raw[:80], vi, en, kind))

    def unknown(name: str, raw: str, reason: Bilingual) -> None:
        bad(name, raw, reason.vi, reason.en)

    for name, raw_value in params.items():
        raw = _first(raw_value).strip()
        if name == "dataset":
            if _DATASET.match(raw) and known_datasets(raw):
                values["dataset"] = raw
            else:
                bad(
                    name,
                    raw,
                    "bộ dữ liệu không tồn tại (có thể đã bị xóa); dùng dữ liệu minh họa",
                    "no such dataset (it may have been deleted); using the illustrative data",
                )
        elif name == "year":
            values["year"] = raw  # checked against the dataset's years below
        elif name == "theme":
            if raw in THEMES:
                values["theme"] = raw
            else:
                unknown(name, raw, unknown_reason(Bilingual("chủ đề", "theme"), THEMES, theme_label))
        elif name == "var":
            values["var"] = raw  # checked against the theme below
        elif name == "scheme":
            if raw in SCHEMES:
                values["scheme"] = raw
            else:
                what = Bilingual("phương pháp phân lớp", "classification scheme")
                unknown(name, raw, unknown_reason(what, SCHEMES, scheme_label))
        elif name == "k":
            if raw.isdigit() and int(raw) in K_RANGE:
                values["k"] = int(raw)
            else:
                bad(
                    name,
                    raw,
                    f"số lớp phải từ {K_RANGE.start} đến {K_RANGE.stop - 1}",
                    f"number of classes must be {K_RANGE.start}–{K_RANGE.stop - 1}",
                )
        elif name == "district":
            if _DISTRICT.match(raw) and (districts is None or raw in districts):
                values["district"] = raw
            else:
                bad(name, raw, "mã huyện không hợp lệ", "unknown district code")
        elif name in ("communes", "shortlist"):
            # each unknown code is named once (also past the 226th entry); a repeated known code
            # counts once and is said so, not called invalid
            codes: list[str] = []
            rejected: list[str] = []
            repeated: list[str] = []
            for code in raw.split(",") if raw else []:
                code = code.strip()
                if _CODE.match(code) and (communes is None or code in communes):
                    if code not in codes and len(codes) < MAX_CODES:
                        codes.append(code)
                    elif code not in repeated:
                        repeated.append(code)
                elif code not in rejected:
                    rejected.append(code)
            if rejected:
                bad(name, ",".join(rejected), "mã xã không hợp lệ đã bỏ qua", "unknown commune codes ignored")
            if repeated:
                bad(
                    name,
                    ",".join(repeated),
                    "mã xã lặp lại, chỉ tính một lần",
                    "repeated commune codes counted once",
                    ADJUSTED,
                )
            values[name] = tuple(codes)
        elif name == "lang":
            if raw in LANGS:
                values["lang"] = raw
            else:
                unknown(name, raw, unknown_reason(Bilingual("ngôn ngữ", "language"), LANGS, _lang_label))
        elif name == "mode":
            if raw in ("present", "multiples"):
                values["mode"] = raw
            else:
                bad(name, raw, "chế độ không hợp lệ", "unknown mode")
        elif name == "slide":
            if raw.isdigit() and 1 <= int(raw) <= 50:
                values["slide"] = int(raw)
            else:
                bad(name, raw, "số trang chiếu không hợp lệ", "invalid slide number")
        elif name == "slides":
            if _SLIDES.match(raw):
                values["slides"] = raw
            else:
                bad(name, raw, "danh sách trang chiếu không hợp lệ", "invalid slide list")
        elif name == "panels":
            values["panels"] = raw  # checked against the dataset's years below
        elif name == "tiles":
            if raw == "osm":
                values["tiles"] = raw
            else:
                bad(name, raw, "nền bản đồ chỉ có thể là osm", "background tiles can only be osm")
        elif name == "units":
            if raw in VINTAGES:
                values["units"] = raw
            else:
                what = Bilingual("bộ đơn vị hành chính", "unit vintage")
                unknown(name, raw, unknown_reason(what, VINTAGES, vintage_label))
        elif name == "compare":
            if _COMPARE.match(raw):
                values["compare"] = raw
            else:
                bad(name, raw, "cách so sánh không hợp lệ", "invalid comparison")
        else:
            bad(name, raw, "tham số không được hỗ trợ", "unsupported parameter")

    _resolve_year(values, known_years, bad, strict)
    theme_key = str(values.get("theme", DEFAULT.theme))
    allowed_vars = THEMES[theme_key].variables
    var = values.pop("var", None)
    if var is None:
        values["var"] = allowed_vars[0]
    elif var in allowed_vars:
        values["var"] = var
    else:
        named = allowed_list([theme_key], theme_label)  # "Tỷ lệ hộ nghèo (poverty)"
        listed = allowed_list(allowed_vars, variable_label)
        bad(
            "var",
            str(var),
            f"chỉ tiêu không thuộc chủ đề {named.vi}; các giá trị hợp lệ: {listed.vi}",
            f"not a variable of theme {named.en}; allowed: {listed.en}",
        )
        values["var"] = allowed_vars[0]
    return replace(DEFAULT, **values), notices  # type: ignore[arg-type]  # each value was checked above against its field


def theme_label(key: str, lang: str) -> str:
    """A theme's name in ``lang`` (:data:`ntm_geo.maps.themes.THEMES`), for "allowed" lists."""
    return THEMES[key].label(lang)


def variable_label(key: str, lang: str) -> str:
    """A map variable's name in ``lang`` (:data:`ntm_geo.maps.themes.VARIABLES`, labelled by the
    schema registry), for "allowed" lists."""
    return VARIABLES[key].label(lang)


def vintage_label(key: str, lang: str) -> str:
    """A unit vintage's name in ``lang`` (:data:`ntm_geo.geo.vintages.VINTAGES`), for "allowed" lists."""
    return Bilingual.of(VINTAGES[key], "label").pick(lang)


def _lang_label(key: str, lang: str) -> str:
    return LANGUAGES[key]  # each language by its own name, in either language


def check_query(
    params: Mapping[str, str | Iterable[str]],
    *,
    prefix: str = "",
    known_datasets: Callable[[str], bool] = lambda d: d == "illustrative",
    known_districts: Iterable[str] | None = None,
    known_years: Iterable[int] | None = None,
) -> ViewState:
    """The view ``params`` describe, refusing what a link would ignore or adjust.

    The same checks and bilingual reasons as :func:`from_query` (``strict``: a year the data lacks
    is an error, not the nearest year), for callers that stop instead of showing a default: the
    command line (``python -m ntm_geo export-map``) builds its view here, so ``--k 9`` and
    ``?k=9`` get the same reason.

    Parameters
    ----------
    params : mapping
        ``{parameter: value}`` with the names of :data:`LINK_PARAMS`.
    prefix : str
        Put before each parameter's name in the message ("--" on the command line).
    known_datasets, known_districts, known_years
        As for :func:`from_query`.

    Raises
    ------
    ntm_geo.errors.ConfigError
        Every invalid or adjusted parameter, each as ``--k '9': number of classes must be 3–7``.

    >>> check_query({"k": "4", "theme": "poverty"}).var
    'poverty_rate_pct'
    >>> check_query({"k": "9"}, prefix="--")
    Traceback (most recent call last):
    ...
    ntm_geo.errors.ConfigError: --k '9': number of classes must be 3–7. | --k '9': số lớp phải từ 3 đến 7.
    """
    from ntm_geo.errors import ConfigError

    state, notices = from_query(
        params,
        known_datasets=known_datasets,
        known_districts=known_districts,
        known_years=known_years,
        strict=True,
    )
    if notices:
        en = "; ".join(f"{prefix}{n.param} {n.value!r}: {n.reason_en}" for n in notices)
        vi = "; ".join(f"{prefix}{n.param} {n.value!r}: {n.reason_vi}" for n in notices)
        raise ConfigError(en + ".", vi + ".")
    return state


def _resolve_year(
    values: dict[str, object],
    known_years: Iterable[int] | None,
    bad: Callable[..., None],
    strict: bool = False,
) -> None:
    """Check ``values["year"]`` (raw text, if the link had one) against the link's dataset's
    years; a 4-digit year the data lacks becomes the nearest year it has (with a notice)."""
    from ntm_geo.views.years import nearest_year  # years imports themes, as this module does

    if known_years is None:
        dataset = str(values.get("dataset", DEFAULT.dataset))
        known_years = catalog.get_dataset(dataset).years if catalog.dataset_exists(dataset) else ()
    years = sorted(set(known_years))
    if not years:
        values.pop("year", None)
        values.pop("panels", None)
        return
    listed = ", ".join(map(str, years))
    _resolve_panels(values, years, bad)
    raw = values.pop("year", None)
    if raw is None:
        if DEFAULT.year not in years:
            values["year"] = years[-1]  # the dataset's newest year is its opening view
        return
    raw = str(raw)
    if raw.isdigit() and int(raw) in years:
        values["year"] = int(raw)
    elif raw.isdigit() and len(raw) == 4 and strict:
        bad(
            "year",
            raw,
            f"không có số liệu năm {raw}; các năm có: {listed}",
            f"no data for {raw}; years with data: {listed}",
        )
    elif raw.isdigit() and len(raw) == 4:
        near = nearest_year(int(raw), years)
        values["year"] = near
        bad(
            "year",
            raw,
            f"không có số liệu năm {raw}; mở năm gần nhất {near} (các năm có: {listed})",
            f"no data for {raw}; showing the nearest year, {near} (years with data: {listed})",
            ADJUSTED,
        )
    else:
        if DEFAULT.year not in years:
            values["year"] = years[-1]
        bad("year", raw, f"năm phải là một trong {listed}", f"year must be one of {listed}")


def _resolve_panels(values: dict[str, object], years: list[int], bad: Callable[..., None]) -> None:
    """``values["panels"]`` (raw text) to at most six years of ``years``; every item dropped is
    named in a notice with its own reason (trial 8, m6: a malformed item was said to be over the
    cap): not a year (not four digits), a year the dataset has no data for, or over the cap of
    :data:`~ntm_geo.views.years.MAX_PANELS` years. A year given twice is kept once, silently."""
    from ntm_geo.views.years import MAX_PANELS

    raw = values.pop("panels", None)
    if raw is None:
        return
    kept: list[int] = []
    not_year: list[str] = []
    no_data: list[str] = []
    over_cap: list[str] = []
    for item in str(raw).split(","):
        item = item.strip()
        if not item:
            continue
        if not (item.isascii() and item.isdigit() and len(item) == 4):
            not_year.append(item)
        elif int(item) not in years:
            no_data.append(item)
        elif int(item) in kept:
            continue
        elif len(kept) >= MAX_PANELS:
            over_cap.append(item)
        else:
            kept.append(int(item))
    listed = ", ".join(map(str, years))
    if not_year:
        bad(
            "panels",
            ",".join(not_year),
            "bỏ qua: không phải là năm (bốn chữ số, ví dụ 2015)",
            "ignored: not a year (four digits, e.g. 2015)",
        )
    if no_data:
        bad(
            "panels",
            ",".join(no_data),
            f"bỏ qua: không có số liệu năm này (các năm có: {listed})",
            f"ignored: no data for this year (years with data: {listed})",
        )
    if over_cap:
        bad(
            "panels",
            ",".join(over_cap),
            f"bỏ qua: chỉ tối đa {MAX_PANELS} năm cạnh nhau",
            f"ignored: at most {MAX_PANELS} years side by side",
        )
    values["panels"] = tuple(sorted(kept))
