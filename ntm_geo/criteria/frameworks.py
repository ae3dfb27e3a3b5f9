"""Criteria frameworks as data: one YAML file per legal basis of the NTM criteria.

A *framework* is the set of national criteria (tiêu chí) a commune is assessed against in a
period, with their indicators (chỉ tiêu) and, where the text gives them, the indicators'
thresholds per region (vùng, 2011-2025) or per commune group (xã nhóm 1/2/3, from 2026). The
national frameworks ship in ``data/frameworks/``:

========================  ==========  ==========  =============================================
file                      years       criteria    legal basis
========================  ==========  ==========  =============================================
``qd491_342.yaml``        2011-2015   19          Decision 491/QĐ-TTg (2009), revised by 342/QĐ-TTg (2013)
``qd1980.yaml``           2016-2020   19          Decision 1980/QĐ-TTg (17/10/2016)
``qd318.yaml``            2021-2025   19          Decision 318/QĐ-TTg (08/3/2022), levels nâng cao (318), kiểu mẫu (319)
``qd51_2025.yaml``        2026-2030   10          Decision 51/2025/QĐ-TTg (29/12/2025, in force 15/02/2026)
========================  ==========  ==========  =============================================

Every criterion, indicator and threshold names its source (a key of the file's ``sources``:
title and URL); what the sources found do not give is listed under ``not_found`` and is never
filled in by guess. A province adds a framework of its own (a provincial set, or a future
decision) by putting a file of the same format in the folder named by ``NTM_GEO_FRAMEWORKS_DIR``
— no code change; every file is validated and a bad one is refused with a Vietnamese and English
message naming the file, the field (``criteria[2].indicators[0].thresholds.g3.value``) and its
line.

File format (``format: ntm-geo/criteria-framework/1``), keys in order:

``id`` (``[a-z0-9_]``, unique), ``decision``, ``title_vi``, ``title_en``, ``years`` ([first,
last]), optional ``signed``/``in_force`` (ISO dates) with ``source``/``in_force_source``,
``indicator_count`` (the total the text states, or null) with ``indicator_count_source``,
``levels`` (key, name_vi, name_en, source, optional decision, note), ``threshold_areas``
(``kind``: ``region`` | ``commune_group`` | ``none``; ``items``: key, name_vi, name_en, source,
optional definition_vi/en), ``groups`` (content groups: key, name_vi, name_en, source; may be
empty), ``criteria`` (number 1..N in order, key ``c01``..: the dataset column, name_vi, name_en,
group (a group key, or absent when ``groups`` is empty), source, optional ``indicators``: number
``"N.M"``, name_vi, name_en, unit, source, note, optional ``confidence`` (``high`` |
``medium`` | ``low``), ``thresholds``: {area key: {op, value}}, optional ``column``: the
schema registry indicator measuring it, same unit (``column: poverty_rate_pct`` for 11.1 "Tỷ lệ hộ
nghèo"; one column per quantity: its values are that column's, and ``c11_1``, "Chỉ tiêu 11.1" or
its name import into it); without ``column`` its column in a table is ``cNN_M``, e.g. ``c04_2``),
``notes``, ``not_found`` (lists of text) and ``sources`` (key, title, optional url).

The job is split: the values are :mod:`~ntm_geo.criteria.framework_model`, reading a file
:mod:`~ntm_geo.criteria.framework_file` (with the checks of
:mod:`~ntm_geo.criteria.framework_checks`), the JSON and text listings
:mod:`~ntm_geo.criteria.framework_listing`; this module is the registry and re-exports them.

Safety: a file is read only up to :data:`MAX_BYTES`, must be UTF-8, and is parsed with a safe YAML
loader that refuses anchors/aliases (no "billion laughs"); nothing in it is executed.

Examples
--------
>>> fw = default_framework(2027)
>>> fw.decision, fw.years, len(fw.criteria)
('51/2025/QĐ-TTg', (2026, 2030), 10)
>>> default_framework(2017).id
'qd1980'
>>> framework("qd318").criterion(3).name_vi
'Thủy lợi và phòng, chống thiên tai'
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ntm_geo.criteria.framework_checks import FrameworkError
from ntm_geo.criteria.framework_file import (
    AREA_KINDS,
    CONFIDENCE,
    FORMAT,
    MAX_BYTES,
    OPERATORS,
    load_framework,
    parse_framework,
)
from ntm_geo.criteria.framework_model import (
    HOME_REGION,
    Criterion,
    Framework,
    Group,
    Indicator,
    Level,
    Source,
    Threshold,
    ThresholdArea,
)
from ntm_geo.errors import ConfigError

__all__ = [
    "AREA_KINDS",
    "CONFIDENCE",
    "FORMAT",
    "FRAMEWORKS_DIR",
    "FRAMEWORKS_DIR_ENV",
    "HOME_REGION",
    "MAX_BYTES",
    "OPERATORS",
    "Criterion",
    "Framework",
    "FrameworkError",
    "Group",
    "Indicator",
    "Level",
    "Source",
    "Threshold",
    "ThresholdArea",
    "all_frameworks",
    "builtin_frameworks",
    "default_framework",
    "framework",
    "load_framework",
    "parse_framework",
    "province_frameworks",
]

FRAMEWORKS_DIR = Path(__file__).resolve().parents[2] / "data" / "frameworks"
#: Environment variable naming a folder of the province's own framework files (``*.yaml``).
FRAMEWORKS_DIR_ENV = "NTM_GEO_FRAMEWORKS_DIR"


def _check_registry(items: Sequence[Framework]) -> None:
    seen: dict[str, Framework] = {}
    for fw in items:
        if fw.id in seen:
            raise FrameworkError(
                f"{fw.file}: framework id {fw.id!r} is already used by {seen[fw.id].file}; give it another `id`.",
                f"{fw.file}: mã bộ tiêu chí {fw.id!r} đã được dùng trong {seen[fw.id].file}; hãy đặt `id` khác.",
                file=fw.file,
                column="id",
            )
        seen[fw.id] = fw


@lru_cache(maxsize=1)
def builtin_frameworks() -> tuple[Framework, ...]:
    """The national frameworks of ``data/frameworks/``, by first year; their periods do not overlap."""
    items = sorted(
        (load_framework(p, builtin=True) for p in sorted(FRAMEWORKS_DIR.glob("*.yaml"))),
        key=lambda f: f.years,
    )
    _check_registry(items)
    for a, b in itertools.pairwise(items):
        if b.years[0] <= a.years[1]:
            raise FrameworkError(
                f"{b.file}: years {b.years} overlap {a.file} {a.years}; national frameworks cover disjoint periods.",
                f"{b.file}: các năm {b.years} trùng với {a.file} {a.years}; các bộ tiêu chí quốc gia không được trùng giai đoạn.",
                file=b.file,
                column="years",
            )
    return tuple(items)


def province_frameworks(folder: str | os.PathLike[str] | None = None) -> tuple[Framework, ...]:
    """The province's own framework files (``*.yaml``) in ``folder`` (default: the folder named by
    ``NTM_GEO_FRAMEWORKS_DIR``; none when it is unset). Each is validated; the first bad file
    raises :class:`FrameworkError` naming it."""
    folder = folder if folder is not None else os.environ.get(FRAMEWORKS_DIR_ENV)
    if not folder:
        return ()
    path = Path(folder)
    if not path.is_dir():
        raise FrameworkError(
            f"{FRAMEWORKS_DIR_ENV} does not name a folder; set it to the folder holding the framework files.",
            f"{FRAMEWORKS_DIR_ENV} không trỏ tới một thư mục; hãy đặt thư mục chứa các tệp bộ tiêu chí.",
        )
    files = sorted(path.glob("*.yaml"))
    stamp = tuple((f.name, f.stat().st_mtime_ns, f.stat().st_size) for f in files)
    return _read_folder(str(path), stamp)


@lru_cache(maxsize=8)
def _read_folder(folder: str, stamp: tuple[tuple[str, int, int], ...]) -> tuple[Framework, ...]:
    """The framework files of ``folder``, read again only when a file's name, time or size changes."""
    return tuple(load_framework(Path(folder) / name) for name, _, _ in stamp)


def all_frameworks(extra: Sequence[Framework] = ()) -> tuple[Framework, ...]:
    """National frameworks, then the province's (``NTM_GEO_FRAMEWORKS_DIR``), then ``extra``; ids
    must be unique (FrameworkError naming both files otherwise)."""
    items = (*builtin_frameworks(), *province_frameworks(), *extra)
    _check_registry(items)
    return items


def framework(framework_id: str, frameworks: Sequence[Framework] | None = None) -> Framework:
    """The framework with this id; ConfigError listing the known ids otherwise. The national
    frameworks are looked at first, so a broken province file never hides them."""
    if frameworks is None:
        found = next((fw for fw in builtin_frameworks() if fw.id == framework_id), None)
        if found is not None:
            return found
    items = all_frameworks() if frameworks is None else frameworks
    for fw in items:
        if fw.id == framework_id:
            return fw
    raise ConfigError(
        f"Unknown criteria framework {framework_id!r}; known: {', '.join(f.id for f in items)}.",
        f"Không có bộ tiêu chí {framework_id!r}; các bộ hiện có: {', '.join(f.id for f in items)}.",
    )


def default_framework(year: int, frameworks: Sequence[Framework] | None = None) -> Framework:
    """The framework a table of ``year`` is read under when it declares none: the national one
    whose period covers the year (2011-2015 → 491/342, 2016-2020 → 1980, 2021-2025 → 318,
    2026-2030 → 51/2025), else a province framework covering it.

    Raises
    ------
    ConfigError
        No framework covers ``year``; the message lists the periods covered.
    """
    if frameworks is None:  # a national framework first: a broken province file never hides it
        found = next((fw for fw in builtin_frameworks() if fw.covers(year)), None)
        if found is not None:
            return found
    items = all_frameworks() if frameworks is None else frameworks
    covering = sorted((fw for fw in items if fw.covers(year)), key=lambda f: not f.builtin)
    if covering:
        return covering[0]
    spans = ", ".join(f"{f.years[0]}–{f.years[1]} ({f.decision})" for f in items)
    raise ConfigError(
        f"No criteria framework covers the year {year}; covered: {spans}. A province can add one "
        f"(a framework file in {FRAMEWORKS_DIR_ENV}).",
        f"Không có bộ tiêu chí nào áp dụng cho năm {year}; các giai đoạn có: {spans}. Tỉnh có thể bổ sung "
        f"(tệp bộ tiêu chí trong {FRAMEWORKS_DIR_ENV}).",
    )
