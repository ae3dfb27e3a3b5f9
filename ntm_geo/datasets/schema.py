"""The schema registry: every column a per-commune dataset may hold, in one table.

Each column is a :class:`Column` — key, kind, pandas dtype, unit, valid range, Vietnamese and
English label (map title, profile) and header (tables, template, exports; also an import alias),
import aliases, the map theme that shows it, how the report check aggregates it, and for
criteria the framework they belong to. Every other part reads this table:
importing (:mod:`ntm_geo.datasets.importing`: header aliases, value checks), the contract
(:mod:`ntm_geo.datasets.contract`), the store, the template, map themes, exports, the commune
profile, planning and the report check.

Kinds
-----
``key``        identifies a row: ``commune_code`` (5-digit GSO code, text), ``year``.
``criterion``  one criterion of a criteria framework (1 met / 0 not met / empty = not assessed);
               generated per framework from :mod:`ntm_geo.criteria.framework` (``c01``…), never
               written here one by one.
``total``      ``criteria_met``: number of the framework's criteria met (derived, checked).
``indicator``  a number with a unit (here all percentages 0–100); a framework's (``c04_2``: 4.2)
               come from its file (:mod:`ntm_geo.datasets.framework_indicators`, :func:`column`).
``flag``       a yes/no fact (1 / 0 / empty = no data).

Adding an indicator is one :class:`Column` entry in :data:`_VALUE_COLUMNS` (and its tests): the
template gains a column, the import recognises its header and aliases and checks its range, the
contract and the store type it, the theme named by ``theme`` maps it, exports and the profile
show it. :func:`extended` adds entries for the time of a ``with`` block (tests, plug-ins).

Criteria frameworks
-------------------
Criterion columns come from a framework loader in :data:`FRAMEWORKS` (framework id → function
returning the framework's criteria, each with ``number``, ``code``, ``name_vi``, ``name_en``).
The default is ``"qd491_342"`` (Decisions 491/QĐ-TTg 2009 and 342/QĐ-TTg 2013, 19 criteria, with
the groups and thresholds of ``data/frameworks/qd491_342.yaml``); the national frameworks of ``data/frameworks/``
(:mod:`ntm_geo.criteria.frameworks`, same ids) are registered at import, e.g. ``qd51_2025`` with
10 criteria, whose columns are then ``c01``..``c10`` with ``framework`` set to its id.

One column per quantity: a framework indicator measuring what a registry indicator measures names
it (``column: poverty_rate_pct`` under 11.1 of 491/342, :func:`linkable_columns`) and has no
column of its own (:mod:`ntm_geo.datasets.framework_indicators`).

Why over 500 lines: this is the one table of every column (issue 11, one owner per concept); the
entries of the key, indicator and flag columns alone are ~150 lines of data.

Examples
--------
>>> column("poverty_rate_pct").header.pick("vi"), column("poverty_rate_pct").valid_range
('Tỷ lệ hộ nghèo (%)', (0.0, 100.0))
>>> column_keys("criterion")[:2], len(column_keys("criterion"))
(('c01', 'c02'), 19)
>>> column_keys("flag")
('car_access_all_season', 'especially_difficult')
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal, Protocol

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError, unknown_key

Kind = Literal["key", "criterion", "total", "indicator", "flag"]
KINDS: tuple[str, ...] = ("key", "criterion", "total", "indicator", "flag")
#: The id of 491/342 in ``data/frameworks/qd491_342.yaml`` (one id per framework across the app).
DEFAULT_FRAMEWORK = "qd491_342"


class CriterionLike(Protocol):
    """What the registry needs of a framework's criterion (:class:`ntm_geo.criteria.framework.Criterion`)."""

    @property
    def number(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name_vi(self) -> str: ...
    @property
    def name_en(self) -> str: ...


def _criteria_491_342() -> Sequence[CriterionLike]:
    from ntm_geo.criteria.framework import load_criteria

    return load_criteria()


#: Criteria frameworks: id -> loader of its criteria in number order.
FRAMEWORKS: dict[str, Callable[[], Sequence[CriterionLike]]] = {DEFAULT_FRAMEWORK: _criteria_491_342}


def register_framework(framework_id: str, criteria: Sequence[CriterionLike]) -> None:
    """Add (or keep) a framework's criteria under ``framework_id``: the frameworks of
    ``data/frameworks/`` (:mod:`ntm_geo.criteria.frameworks`: ``qd491_342``, ``qd1980``, ``qd318``,
    ``qd51_2025``) are registered at import; a province's own is registered when it is used."""
    items = tuple(criteria)
    FRAMEWORKS.setdefault(framework_id, lambda: items)


def _register_national_frameworks() -> None:
    from ntm_geo.criteria.frameworks import builtin_frameworks

    for fw in builtin_frameworks():
        register_framework(fw.id, fw.criteria)


@dataclass(frozen=True)
class Column:
    """One dataset column.

    Attributes
    ----------
    key : str
        Column name in every table (CSV, store, joined frame).
    kind : str
        One of :data:`KINDS`.
    dtype : str
        pandas dtype once loaded: ``"string"`` (codes), ``"int64"`` (year), ``"boolean"``
        (criteria, flags; NA = not assessed / no data), ``"Int64"`` (criteria met), ``"float64"``
        (indicators; NaN = no data).
    label : Bilingual
        Name on maps, legends and the profile ("Tỷ lệ hộ nghèo").
    header : Bilingual
        Column header in tables, the template and exports, with the unit ("Tỷ lệ hộ nghèo (%)");
        the import recognises it too (the template adds " (1/0)" to a flag's header).
    unit : str
        Unit of the values (``"%"``; empty for counts, flags and criteria).
    valid_range : (float, float) or None
        Inclusive range of valid values (import and contract reject others).
    aliases : tuple of str
        Further headers the import recognises (compared folded: no diacritics, case, punctuation).
    framework : str or None
        For ``criterion`` and ``total``: the criteria framework id (:data:`FRAMEWORKS`).
    number : int or None
        For ``criterion``: its number in the framework.
    theme : str or None
        Map theme showing the column (:mod:`ntm_geo.maps.themes`), None for none.
    palette : str
        ColorBrewer scheme of its map (``indicator``), e.g. ``"OrRd"``.
    assessed_only : bool
        The value exists only for xã (phường and thị trấn are *not assessed*).
    yes_no : (Bilingual, Bilingual)
        For flags: the texts of no and yes.
    weighting : (str, str) or None
        How the report check aggregates it to the province: (scope — ``"all"`` units or ``"xa"``;
        weight — ``"population_2009"`` (people), ``"area_km2"`` (km²) or ``"count"``).
    in_template : bool
        Whether the import template asks for it.
    """

    key: str
    kind: str
    dtype: str
    label: Bilingual
    header: Bilingual
    unit: str = ""
    valid_range: tuple[float, float] | None = None
    aliases: tuple[str, ...] = ()
    framework: str | None = None
    number: int | None = None
    theme: str | None = None
    palette: str = ""
    assessed_only: bool = False
    yes_no: tuple[Bilingual, Bilingual] = (Bilingual("Không", "No"), Bilingual("Có", "Yes"))
    weighting: tuple[str, str] | None = None
    in_template: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ConfigError(
                f"Column {self.key!r}: unknown kind {self.kind!r}; allowed: {', '.join(KINDS)}.",
                f"Cột {self.key!r}: loại không hợp lệ {self.kind!r}; các loại hợp lệ: {', '.join(KINDS)}.",
            )


_PCT = (0.0, 100.0)

_KEY_COLUMNS: tuple[Column, ...] = (
    Column(
        "commune_code",
        "key",
        "string",
        Bilingual("Mã xã", "Commune code"),
        Bilingual("Mã xã (GSO)", "Commune code (GSO)"),
        aliases=(
            "mã xã",
            "mã đvhc",
            "mã đơn vị hành chính",
            "mã đơn vị",
            "mã số",
            "mã",
            "mã gso",
            "mã xã gso",
            "mã số xã",
            "commune code",
            "code",
            "gso code",
            "unit code",
        ),
    ),
    Column(
        "year",
        "key",
        "int64",
        Bilingual("Năm", "Year"),
        Bilingual("Năm", "Year"),
        aliases=("năm", "year", "năm đánh giá", "năm báo cáo"),
    ),
)

#: Indicators and flags, in table order. One entry per column: add an indicator here.
_VALUE_COLUMNS: tuple[Column, ...] = (
    Column(
        "poverty_rate_pct",
        "indicator",
        "float64",
        Bilingual("Tỷ lệ hộ nghèo", "Poverty rate"),
        Bilingual("Tỷ lệ hộ nghèo (%)", "Poverty rate (%)"),
        unit="%",
        valid_range=_PCT,
        aliases=("tỉ lệ hộ nghèo", "hộ nghèo %", "poverty", "poverty rate", "poor households %"),
        theme="poverty",
        palette="OrRd",
        weighting=("all", "population_2009"),
    ),
    Column(
        "road_hardened_pct",
        "indicator",
        "float64",
        Bilingual("Đường giao thông nông thôn được cứng hóa", "Rural road length hardened"),
        Bilingual("Tỷ lệ cứng hóa đường GTNT (%)", "Rural roads hardened (%)"),
        unit="%",
        valid_range=_PCT,
        aliases=(
            "tỷ lệ cứng hóa đường gtnt",
            "tỉ lệ cứng hóa đường gtnt",
            "tỷ lệ đường được cứng hóa",
            "cứng hóa đường gtnt",
            "đường gtnt cứng hóa",
            "roads hardened",
            "rural roads hardened",
        ),
        theme="infrastructure",
        palette="Blues",
        weighting=("xa", "area_km2"),
    ),
    Column(
        "electricity_hh_pct",
        "indicator",
        "float64",
        Bilingual("Hộ sử dụng điện", "Households using electricity"),
        Bilingual("Tỷ lệ hộ sử dụng điện (%)", "Households using electricity (%)"),
        unit="%",
        valid_range=_PCT,
        aliases=("tỉ lệ hộ sử dụng điện", "hộ sử dụng điện", "hộ dùng điện", "electricity"),
        theme="infrastructure",
        palette="Blues",
        weighting=("all", "population_2009"),
    ),
    Column(
        "irrigated_cropland_pct",
        "indicator",
        "float64",
        Bilingual("Diện tích trồng trọt được tưới tiêu", "Cropland irrigated"),
        Bilingual("Diện tích trồng trọt được tưới tiêu (%)", "Cropland irrigated (%)"),
        unit="%",
        valid_range=_PCT,
        aliases=(
            "tỷ lệ diện tích được tưới",
            "tỉ lệ diện tích được tưới",
            "diện tích được tưới tiêu",
            "tưới tiêu",
            "irrigated",
            "cropland irrigated",
        ),
        theme="infrastructure",
        palette="Blues",
        weighting=("xa", "area_km2"),
    ),
    Column(
        "hygienic_water_hh_pct",
        "indicator",
        "float64",
        Bilingual("Hộ dùng nước hợp vệ sinh", "Households with hygienic water"),
        Bilingual("Tỷ lệ hộ dùng nước hợp vệ sinh (%)", "Households with hygienic water (%)"),
        unit="%",
        valid_range=_PCT,
        aliases=(
            "tỉ lệ hộ dùng nước hợp vệ sinh",
            "hộ dùng nước hợp vệ sinh",
            "nước hợp vệ sinh",
            "tỷ lệ hộ sử dụng nước hợp vệ sinh",
            "hygienic water",
        ),
        theme="infrastructure",
        palette="Blues",
        weighting=("xa", "population_2009"),
    ),
    Column(
        "car_access_all_season",
        "flag",
        "boolean",
        Bilingual("Đường ô tô đến trung tâm xã đi lại 4 mùa", "All-season car access to the commune centre"),
        Bilingual("Đường ô tô 4 mùa", "All-season car access"),
        aliases=(
            "đường ô tô 4 mùa",
            "đường ô tô đến trung tâm xã",
            "đường ô tô 4 mùa đến trung tâm xã",
            "ô tô đi lại 4 mùa",
            "car access",
            "all season car access",
            "all season car road",
        ),
        theme="infrastructure",
        assessed_only=True,
        weighting=("xa", "count"),
    ),
    Column(
        "especially_difficult",
        "flag",
        "boolean",
        Bilingual("Xã đặc biệt khó khăn", "Especially difficult commune"),
        Bilingual("Xã đặc biệt khó khăn", "Especially difficult commune"),
        aliases=("đặc biệt khó khăn", "xã đbkk", "đbkk", "especially difficult"),
    ),
)

_extra: list[Column] = []
_hooks: list[Callable[[], None]] = []


def linkable_columns() -> dict[str, Column]:
    """The registry indicators, by key, a framework indicator may name as the column measuring it
    (``column: poverty_rate_pct`` in a framework file, :mod:`ntm_geo.criteria.frameworks`)."""
    return {c.key: c for c in (*_VALUE_COLUMNS, *_extra) if c.kind == "indicator"}


def _check_framework(framework: str) -> None:
    """Known, or a province's framework (``NTM_GEO_FRAMEWORKS_DIR``) registered on first use."""
    from ntm_geo.criteria.frameworks import all_frameworks

    for found in () if framework in FRAMEWORKS else all_frameworks():
        if found.id == framework:
            register_framework(found.id, found.criteria)
    if framework not in FRAMEWORKS:
        raise unknown_key(framework, FRAMEWORKS, Bilingual("Bộ tiêu chí", "criteria framework"))


def criterion_columns(framework: str = DEFAULT_FRAMEWORK) -> tuple[Column, ...]:
    """The criterion columns of ``framework`` (``c01``…), generated from its criteria.

    Raises
    ------
    ConfigError
        Unknown framework id (the message lists the known ones).
    """
    _check_framework(framework)
    return tuple(
        Column(
            c.code,
            "criterion",
            "boolean",
            Bilingual(f"Tiêu chí {c.number}: {c.name_vi}", f"Criterion {c.number}: {c.name_en}"),
            Bilingual(f"TC{c.number}. {c.name_vi}", f"C{c.number} {c.name_en}"),
            aliases=(c.name_vi, c.name_en),
            framework=framework,
            number=c.number,
            theme="criteria",
            assessed_only=True,
            yes_no=(Bilingual("Chưa đạt", "Not met"), Bilingual("Đạt", "Met")),
        )
        for c in FRAMEWORKS[framework]()
    )


def _total_column(framework: str) -> Column:
    n = len(criterion_columns(framework))
    return Column(
        "criteria_met",
        "total",
        "Int64",
        Bilingual(f"Số tiêu chí đạt (0–{n})", f"Criteria met (0–{n})"),
        Bilingual("Số tiêu chí đạt", "Criteria met"),
        valid_range=(0.0, float(n)),
        aliases=(
            "số tiêu chí đạt",
            "tổng số tiêu chí đạt",
            "số tc đạt",
            "tổng số tc đạt",
            "tiêu chí đạt",
            "số tiêu chí đã đạt",
            "criteria met",
            "number of criteria met",
        ),
        framework=framework,
        theme="criteria",
        assessed_only=True,
        in_template=False,
    )


def columns(framework: str = DEFAULT_FRAMEWORK) -> tuple[Column, ...]:
    """Every column of a dataset under ``framework``, in table order.

    Order: ``commune_code``, ``year``, the criteria, ``criteria_met``, indicators and flags (as
    listed in :data:`_VALUE_COLUMNS`, then entries added by :func:`extended`).
    """
    return (
        *_KEY_COLUMNS,
        *criterion_columns(framework),
        _total_column(framework),
        *_VALUE_COLUMNS,
        *_extra,
    )


def column_keys(*kinds: str, framework: str = DEFAULT_FRAMEWORK) -> tuple[str, ...]:
    """Keys of the columns of the given kinds (all kinds when none is given), in table order.

    Raises
    ------
    ConfigError
        An unknown kind (the message lists :data:`KINDS`).
    """
    for kind in kinds:
        if kind not in KINDS:
            raise unknown_key(kind, KINDS, Bilingual("Loại cột", "column kind"))
    return tuple(c.key for c in columns(framework) if not kinds or c.kind in kinds)


def value_columns(framework: str = DEFAULT_FRAMEWORK) -> tuple[Column, ...]:
    """Indicators and flags (the columns after ``criteria_met``), in table order."""
    return tuple(c for c in columns(framework) if c.kind in ("indicator", "flag"))


def pct_keys() -> tuple[str, ...]:
    """Keys of the indicators measured in percent (0–100)."""
    return tuple(c.key for c in value_columns() if c.unit == "%")


def column(key: str, framework: str = DEFAULT_FRAMEWORK) -> Column:
    """Look a column up by key.

    A framework's indicator (``c04_2``) is found too (:mod:`ntm_geo.datasets.framework_indicators`).

    Raises
    ------
    ConfigError
        An unknown key (the message lists the allowed keys).
    """
    for c in columns(framework):
        if c.key == key:
            return c
    from ntm_geo.datasets.framework_indicators import indicator_column

    found = indicator_column(key, framework)
    if found is not None:
        return found
    raise unknown_key(key, column_keys(framework=framework), Bilingual("Cột dữ liệu", "dataset column"))


def header(key: str, lang: str = "vi") -> str:
    """The table header of column ``key`` in ``lang`` ("Tỷ lệ hộ nghèo (%)")."""
    return column(key).header.pick(lang)


def label(key: str, lang: str = "vi") -> str:
    """The map / profile label of column ``key`` in ``lang`` ("Tỷ lệ hộ nghèo")."""
    return column(key).label.pick(lang)


def on_change(hook: Callable[[], None]) -> None:
    """Call ``hook`` whenever :func:`extended` adds or removes entries (modules that cache
    lookups built from the registry, e.g. the import's alias table, rebuild them in place)."""
    _hooks.append(hook)


def _changed() -> None:
    for hook in _hooks:
        hook()


@contextmanager
def extended(*extra: Column) -> Iterator[None]:
    """Add indicator or flag columns for the time of a ``with`` block (tests, plug-ins).

    Raises
    ------
    ConfigError
        A key that already exists, or a kind other than ``indicator`` / ``flag``.
    """
    existing = set(column_keys())
    for c in extra:
        if c.key in existing or c.kind not in ("indicator", "flag"):
            raise ConfigError(
                f"Cannot add column {c.key!r} ({c.kind}): keys must be new and kinds indicator or flag.",
                f"Không thêm được cột {c.key!r} ({c.kind}): mã cột phải mới, loại là indicator hoặc flag.",
            )
        existing.add(c.key)
    _extra.extend(extra)
    _changed()
    try:
        yield
    finally:
        for c in extra:
            _extra.remove(c)
        _changed()


_register_national_frameworks()  # last: the framework files check their ``column`` against the entries above
