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
``year``       a year some dataset has (2011 or 2015 for the illustrative data)
``theme``      ``criteria`` | ``poverty`` | ``infrastructure``
``var``        a variable of that theme (``criteria_met``, ``c01``..``c19``, ``road_hardened_pct`` …)
``scheme``     ``natural_breaks`` | ``quantiles`` | ``equal_interval``
``k``          number of classes, 3–7
``district``   3-digit GSO district code
``communes``   selected commune codes, comma-separated (5 digits each)
``shortlist``  planner's shortlist, commune codes, comma-separated
``lang``       ``vi`` | ``en``
``mode``       ``present`` for presentation mode
``slide``      slide number in presentation mode, 1-based
``slides``     the slide sequence: view names separated by ``~`` (see :mod:`ntm_geo.views.slides`)
``compare``    second view for side-by-side comparison, e.g. ``year:2011`` or ``theme:poverty``
``tiles``      ``osm``: OpenStreetMap background tiles (needs internet); absent = no background
=============  ===============================================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import TypedDict

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import ILLUSTRATIVE
from ntm_geo.maps.classify import K_RANGE, SCHEMES
from ntm_geo.maps.themes import THEMES

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
    tiles: str = ""
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)  # not encoded

    @property
    def present(self) -> bool:
        return self.mode == "present"

    def map_key(self) -> ViewState:
        """Only what decides a map's colours and legend (dataset, year, variable, scheme, k,
        language): the key caches of joined and classified frames use, so a selection, a
        shortlist or a slide number does not make a new entry."""
        return ViewState(
            dataset=self.dataset,
            year=self.year,
            theme=self.theme,
            var=self.var,
            scheme=self.scheme,
            k=self.k,
            lang=self.lang,
        )


DEFAULT = ViewState()


class _ParsedValues(TypedDict, total=False):
    """The fields of :class:`ViewState` a link set, each checked (what :func:`from_query` builds)."""

    dataset: str
    year: int
    theme: str
    var: str
    scheme: str
    k: int
    district: str
    communes: tuple[str, ...]
    shortlist: tuple[str, ...]
    lang: str
    mode: str
    slide: int
    slides: str
    compare: str
    tiles: str


@dataclass(frozen=True)
class Notice:
    """One ignored URL parameter: its name, the raw value (escape before showing) and why."""

    param: str
    value: str
    reason_vi: str
    reason_en: str

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
        out[f.name] = ",".join(value) if isinstance(value, tuple) else str(value)
    if "var" in out and "theme" not in out and state.theme != DEFAULT.theme:
        out["theme"] = state.theme
    return out


def query_string(state: ViewState) -> str:
    """``?a=b&c=d`` form of :func:`to_query` (empty string for the default view)."""
    from urllib.parse import urlencode

    query = to_query(state)
    return "?" + urlencode(query, safe=",~:") if query else ""


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
        Years some dataset has (default: :func:`ntm_geo.datasets.catalog.all_years`).

    Never raises: every problem becomes a :class:`Notice` and the default value is kept.
    """
    notices: list[Notice] = []
    values: _ParsedValues = {}
    years = sorted(set(catalog.all_years() if known_years is None else known_years), reverse=True)
    districts = set(known_districts) if known_districts is not None else None
    communes = set(known_communes) if known_communes is not None else None

    def bad(name: str, raw: str, vi: str, en: str) -> None:
        notices.append(Notice(name, raw[:80], vi, en))

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
            if raw.isdigit() and int(raw) in years:
                values["year"] = int(raw)
            else:
                bad(
                    name,
                    raw,
                    f"năm phải là {', '.join(map(str, years))}",
                    f"year must be one of {', '.join(map(str, years))}",
                )
        elif name == "theme":
            if raw in THEMES:
                values["theme"] = raw
            else:
                bad(name, raw, "chủ đề không hợp lệ", "unknown theme")
        elif name == "var":
            values["var"] = raw  # checked against the theme below
        elif name == "scheme":
            if raw in SCHEMES:
                values["scheme"] = raw
            else:
                bad(name, raw, "phương pháp phân lớp không hợp lệ", "unknown classification scheme")
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
                )
            if name == "communes":
                values["communes"] = tuple(codes)
            else:
                values["shortlist"] = tuple(codes)
        elif name == "lang":
            if raw in LANGS:
                values["lang"] = raw
            else:
                bad(name, raw, "ngôn ngữ phải là vi hoặc en", "language must be vi or en")
        elif name == "mode":
            if raw == "present":
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
        elif name == "tiles":
            if raw == "osm":
                values["tiles"] = raw
            else:
                bad(name, raw, "nền bản đồ chỉ có thể là osm", "background tiles can only be osm")
        elif name == "compare":
            if _COMPARE.match(raw):
                values["compare"] = raw
            else:
                bad(name, raw, "cách so sánh không hợp lệ", "invalid comparison")
        else:
            bad(name, raw, "tham số không được hỗ trợ", "unsupported parameter")

    theme_key = str(values.get("theme", DEFAULT.theme))
    allowed_vars = THEMES[theme_key].variables
    var = values.pop("var", None)
    if var is None:
        values["var"] = allowed_vars[0]
    elif var in allowed_vars:
        values["var"] = var
    else:
        bad(
            "var",
            str(var),
            f"chỉ tiêu không thuộc chủ đề {theme_key}",
            f"not a variable of theme {theme_key}",
        )
        values["var"] = allowed_vars[0]
    return replace(DEFAULT, **values), notices
