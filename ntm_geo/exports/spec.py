"""What an export shows — the page's :class:`~ntm_geo.views.viewstate.ViewState` — and its checks.

Every export (static PNG/PDF map, standalone HTML, GeoPackage, Excel/CSV table) takes the view a
page shows (a frozen :class:`~ntm_geo.views.viewstate.ViewState`: dataset, year, ``var``, scheme,
k, district, lang, units; its other fields are not used) plus export-only options (page size,
format, ``former_districts``), and checks it with :func:`check_view` before anything is drawn:
unknown keys raise :class:`~ntm_geo.errors.ConfigError` listing the allowed values, in Vietnamese
and English. There is no second description of a view for exports.

Units: a view is on the 2015 units (226, 11 districts) or on the 65 units of 1 July 2025 (no
district level). A dataset keyed by the 2025 units is always exported on them
(:func:`ntm_geo.views.viewstate.view_units`); a 2015 dataset asked on the 2025 units is carried to
them (:mod:`ntm_geo.datasets.carry`, every value derived). :func:`drawn_units` gives the units an
export is drawn on.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import catalog
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.errors import ConfigError
from ntm_geo.geo.boundaries import Boundaries, load_boundaries
from ntm_geo.geo.units import ascii_fold, name_key
from ntm_geo.geo.vintages import VINTAGES, get_vintage
from ntm_geo.maps.classify import K_RANGE, check_scheme
from ntm_geo.maps.themes import variable
from ntm_geo.views.viewstate import ViewState, view_units

__all__ = [
    "FORMATS",
    "LANGS",
    "SIZES",
    "PageSize",
    "check_format",
    "check_size",
    "check_view",
    "district_names",
    "drawn_units",
    "on_units",
    "resolve_district",
]


@dataclass(frozen=True)
class PageSize:
    """A page: pixel size at ``dpi`` (PNG), and the same size in inches (PDF page)."""

    key: str
    width_px: int
    height_px: int
    dpi: int
    label: Bilingual

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_px / self.dpi, self.height_px / self.dpi


SIZES: dict[str, PageSize] = {
    "slide": PageSize(
        "slide", 1920, 1080, 150, Bilingual("Trình chiếu 16:9 (1920×1080 px)", "Slide 16:9 (1920×1080 px)")
    ),
    "a4": PageSize(
        "a4",
        2480,
        3508,
        300,
        Bilingual("A4 dọc, 300 dpi (2480×3508 px)", "A4 portrait, 300 dpi (2480×3508 px)"),
    ),
}
FORMATS: dict[str, str] = {"png": "image/png", "pdf": "application/pdf"}
LANGS = ("vi", "en")


def _allowed(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


def _unknown(what: Bilingual, value: object, allowed: Iterable[object]) -> ConfigError:
    listing = _allowed(allowed)
    return ConfigError(
        f"Unknown {what.en} {value!r}; allowed: {listing}.",
        f"{what.vi} không hợp lệ {value!r}; các giá trị hợp lệ: {listing}.",
    )


def check_size(size: str) -> PageSize:
    """Look a page size up; raises :class:`ConfigError` listing the allowed keys."""
    if size not in SIZES:
        raise _unknown(Bilingual("Khổ trang", "page size"), size, SIZES)
    return SIZES[size]


def check_format(fmt: str) -> str:
    """Check a static map format; raises :class:`ConfigError` listing the allowed formats."""
    if fmt not in FORMATS:
        raise _unknown(Bilingual("Định dạng bản đồ tĩnh", "static map format"), fmt, FORMATS)
    return fmt


def district_names(boundaries: Boundaries) -> dict[str, str]:
    """District code -> name ("186" -> "Huyện Hữu Lũng"), in code order ({} on the 2025 units)."""
    d = boundaries.districts_web.sort_values("district_code")
    return dict(zip(d["district_code"], d["district_name"], strict=True))


def _ascii(text: str) -> str:
    """``text`` without diacritics (đ -> d): "hữu lũng" -> "huu lung"."""
    return ascii_fold(text, lower=False)


def _ascii_key(name: str) -> str:
    """Name key without diacritics or a leading district type word ("Huyen Huu Lung" -> "huu lung")."""
    return re.sub(r"^(huyen|thanh pho|tp\.?|h\.)\s*", "", _ascii(name_key(name)))


def resolve_district(text: str, boundaries: Boundaries) -> str:
    """A district code from a code ("186") or a name ("Hữu Lũng", "huyen huu lung", "TP Lạng Sơn").

    Names are compared with :func:`ntm_geo.geo.units.name_key` (case, tone-mark placement and the
    type word ignored), then without diacritics ("huu lung": typed on a keyboard without
    Vietnamese input) when that is unambiguous. "" stays "" (whole province).

    Raises
    ------
    ConfigError
        No district matches; the message lists every code with its name.
    """
    text = str(text).strip()
    names = district_names(boundaries)
    if not text or text in names:
        return text
    for fold in (name_key, _ascii_key):  # exact letters first, then without tone marks
        hits = [code for code, name in names.items() if fold(name) == fold(text)]
        if len(hits) == 1:
            return hits[0]
    listing = _allowed(f"{code} ({name})" for code, name in names.items())
    raise ConfigError(
        f"Unknown district {text!r}; use a code or a name: {listing}.",
        f"Không có huyện {text!r}; dùng mã hoặc tên: {listing}.",
    )


def drawn_units(state: ViewState, info: DatasetInfo | None = None) -> str:
    """The unit vintage ``state`` is drawn on: the dataset's own when it is keyed by the 2025 units,
    else the one asked (:func:`ntm_geo.views.viewstate.view_units`).

    >>> drawn_units(ViewState(units="2025"))
    '2025'
    """
    info = info or catalog.get_dataset(state.dataset)
    return view_units(info.vintage, str(state.units))


def check_view(
    state: ViewState, boundaries: Boundaries | None = None, *, former_districts: bool = False
) -> DatasetInfo:
    """Check every field of ``state`` an export uses (and ``former_districts``); return the
    dataset's description.

    ``boundaries`` are those of the 2015 units (district codes are checked against them); they are
    not used for a view on the 2025 units. A link's view has passed
    :func:`ntm_geo.views.viewstate.from_query` already; this check is for views built otherwise
    (the command line, tests, other callers) and adds what a link cannot know (the dataset's
    framework is checked by :func:`ntm_geo.exports.view_data.export_data`).

    Raises
    ------
    ConfigError
        Unknown dataset, year not in the dataset, unknown variable or scheme, ``k`` out of
        3–7, unknown unit vintage, unknown district code, a district on the 2025 units (no
        district level), former district outlines asked on the 2015 units, unknown language.
        Each message lists the allowed values.
    """
    if state.lang not in LANGS:
        raise _unknown(Bilingual("Ngôn ngữ", "language"), state.lang, LANGS)
    info = catalog.get_dataset(state.dataset)
    if state.year not in info.years:
        raise ConfigError(
            f"Dataset {state.dataset!r} has no table for {state.year!r}; its years: {_allowed(info.years)}.",
            f"Bộ dữ liệu {state.dataset!r} không có số liệu năm {state.year!r}; các năm có: {_allowed(info.years)}.",
        )
    variable(state.var)
    check_scheme(state.scheme)
    if isinstance(state.k, bool) or not isinstance(state.k, int) or state.k not in K_RANGE:
        lo, hi = K_RANGE.start, K_RANGE.stop - 1
        raise ConfigError(
            f"Number of classes k={state.k!r} is outside {lo}–{hi}; allowed: {_allowed(K_RANGE)}.",
            f"Số lớp k={state.k!r} nằm ngoài khoảng {lo}–{hi}; các giá trị hợp lệ: {_allowed(K_RANGE)}.",
        )
    if str(state.units) not in VINTAGES:
        raise _unknown(Bilingual("Bộ đơn vị hành chính", "unit vintage"), state.units, VINTAGES)
    units = drawn_units(state, info)
    if units == "2025":
        if state.district:
            why = get_vintage("2025")
            raise ConfigError(
                f"District {state.district!r}: the dataset is on the {why.label_en}; since 1 July 2025 "
                'there is no district level, so export the whole province (district "").',
                f"Huyện {state.district!r}: bộ dữ liệu theo {why.label_vi}; từ 01/7/2025 không còn cấp "
                "huyện, hãy xuất cả tỉnh (bỏ chọn huyện).",
            )
        return info
    if former_districts:
        raise ConfigError(
            "Former district outlines are drawn on the 2025 units only (on the 2015 units the districts are current).",
            "Ranh giới huyện cũ chỉ vẽ trên đơn vị 2025 (trên đơn vị 2015 huyện vẫn là huyện hiện hành).",
        )
    if state.district:
        names = district_names(boundaries or load_boundaries())
        if state.district not in names:
            listing = _allowed(f"{code} ({name})" for code, name in names.items())
            raise ConfigError(
                f"Unknown district code {state.district!r}; allowed: {listing}.",
                f"Mã huyện không hợp lệ {state.district!r}; các giá trị hợp lệ: {listing}.",
            )
    return info


def on_units(state: ViewState, info: DatasetInfo | None = None) -> ViewState:
    """``state`` with ``units`` set to the vintage it is drawn on (:func:`drawn_units`)."""
    units = drawn_units(state, info)
    return state if units == state.units else replace(state, units=units)
