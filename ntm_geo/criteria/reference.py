"""Province figures of the seed report, as typed values.

Source: Báo cáo số 48/BC-BCĐ, Ban Chỉ đạo xây dựng NTM tỉnh Lạng Sơn, 05/5/2016 — "Tổng kết 5 năm
thực hiện Chương trình MTQG xây dựng nông thôn mới tỉnh Lạng Sơn giai đoạn 2011-2015". The
figures are committed, exactly as printed, in ``data/report_48_2016_lang_son.yaml``; this module
only reads them. Counts are communes (xã, of 207); rates are percent.

Examples
--------
>>> ref = load_reference()
>>> ref.criteria_met_2015[2].met
19
>>> ref.distributions[2011].mean
2.57
>>> [g.label for g in ref.distributions[2015].groups]
['19', '15-18', '10-14', '5-9', '<5']
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from ntm_geo.errors import ConfigError

REFERENCE_YAML = Path(__file__).resolve().parents[2] / "data" / "report_48_2016_lang_son.yaml"

SOURCE_VI = (
    "Báo cáo số 48/BC-BCĐ ngày 05/5/2016 của Ban Chỉ đạo xây dựng nông thôn mới tỉnh Lạng Sơn: "
    "Tổng kết 5 năm thực hiện Chương trình MTQG xây dựng nông thôn mới giai đoạn 2011-2015"
)
SOURCE_EN = (
    "Report No. 48/BC-BCĐ of 5 May 2016, Lạng Sơn Steering Committee for New Rural Development: "
    "five-year review of the NTM national target programme, 2011-2015"
)


@dataclass(frozen=True)
class CriterionCount:
    """Communes (of 207) meeting one criterion at the end of 2015."""

    number: int
    name_vi: str
    met: int
    note: str | None = None


@dataclass(frozen=True)
class GroupCount:
    """Communes whose number of criteria met lies in ``low..high`` (inclusive)."""

    label: str
    low: int
    high: int
    count: int


@dataclass(frozen=True)
class Distribution:
    """Distribution of communes by number of criteria met, for one year (or a target)."""

    year: int | str
    mean: float
    groups: tuple[GroupCount, ...]
    note: str | None = None


@dataclass(frozen=True)
class ReportReference:
    """All figures of report 48/BC-BCĐ that the project checks against."""

    source_vi: str
    source_en: str
    province: str
    districts: int
    communes_assessed: int
    commune_level_units: int
    criteria_met_2015: Mapping[int, CriterionCount]
    distributions: Mapping[int | str, Distribution]
    poverty_rate_pct: Mapping[int, float]
    districts_below_10pct_poverty_2015: int
    infrastructure_2015: Mapping[str, Any]
    pilot_communes_2011_2015: int
    district_names_2015: tuple[str, ...]


def parse_group_label(label: str) -> tuple[int, int]:
    """``"5-9"`` -> (5, 9), ``"10"`` -> (10, 10), ``"<5"`` -> (0, 4).

    Raises
    ------
    ConfigError
        For any other form.
    """
    text = str(label).strip()
    if m := re.fullmatch(r"(\d+)\s*-\s*(\d+)", text):
        return int(m[1]), int(m[2])
    if m := re.fullmatch(r"<\s*(\d+)", text):
        return 0, int(m[1]) - 1
    if re.fullmatch(r"\d+", text):
        return int(text), int(text)
    raise ConfigError(
        f"Bad group label {label!r} in {REFERENCE_YAML.name}; write 'a-b', '<n' or 'n'.",
        f"Nhãn nhóm {label!r} trong {REFERENCE_YAML.name} không hợp lệ; hãy viết 'a-b', '<n' hoặc 'n'.",
    )


def _distribution(year: int | str, raw: Mapping[str, Any]) -> Distribution:
    groups = tuple(
        GroupCount(str(label), *parse_group_label(str(label)), int(count))
        for label, count in raw["groups"].items()
    )
    return Distribution(year=year, mean=float(raw["mean"]), groups=groups, note=raw.get("note"))


@lru_cache(maxsize=4)
def load_reference(path: Path | str = REFERENCE_YAML) -> ReportReference:
    """Read the report figures from ``path`` (default: the committed YAML)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"Reference figures not found: {path}. Restore data/{REFERENCE_YAML.name} from git.",
            f"Không tìm thấy tệp số liệu tham chiếu: {path}. Hãy khôi phục data/{REFERENCE_YAML.name} từ git.",
            file=str(path),
        ) from None
    crit = {
        int(n): CriterionCount(int(n), str(v["name_vi"]), int(v["met"]), v.get("note"))
        for n, v in raw["criteria_met_2015"].items()
    }
    dists = {key: _distribution(key, value) for key, value in raw["criteria_met_distribution"].items()}
    poverty = raw["poverty_rate_pct"]
    return ReportReference(
        source_vi=SOURCE_VI,
        source_en=SOURCE_EN,
        province=str(raw["province"]),
        districts=int(raw["districts"]),
        communes_assessed=int(raw["communes_assessed"]),
        commune_level_units=int(raw["commune_level_units"]),
        criteria_met_2015=MappingProxyType(crit),
        distributions=MappingProxyType(dists),
        poverty_rate_pct=MappingProxyType(
            {int(k): float(v) for k, v in poverty.items() if isinstance(k, int)}
        ),
        districts_below_10pct_poverty_2015=int(poverty["districts_below_10pct_2015"]),
        infrastructure_2015=MappingProxyType(dict(raw["infrastructure_2015"])),
        pilot_communes_2011_2015=int(raw["pilot_communes_2011_2015"]),
        district_names_2015=tuple(raw["district_names_2015"]),
    )
