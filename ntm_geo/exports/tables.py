"""Exports of the table behind a map view, in the reader's language.

* :func:`column_label` — the one lookup of column headers (Vietnamese/English: "Mã xã (GSO)",
  "TC1. Quy hoạch" from the schema registry, "Tên đơn vị" for unit attributes), used by the
  tables, the GeoPackage aliases and the QML.
* :func:`value_words`, :func:`localized_table` — coded values as words (unit types, Đạt/Chưa
  đạt, Có/Không) that the importer reads back; numbers stay numbers, codes stay text.
* :func:`table_csv_bytes_localized` — the reader's CSV: title, note, provenance rows
  (:mod:`ntm_geo.datasets.provenance`), the header in the reader's language over a row of machine
  keys, one row per unit. :func:`table_csv_bytes` — a plain CSV (machine keys, optional note).

CSV is written as UTF-8 **with BOM** so Excel shows Vietnamese correctly, and every text cell
that begins with ``=``, ``+``, ``-``, ``@`` (or a tab/carriage return) is prefixed with an
apostrophe so a spreadsheet never runs it as a formula (CSV/formula injection; OWASP).
Numbers are left as numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.datasets.provenance import Provenance
from ntm_geo.errors import ConfigError

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CellValue: TypeAlias = bool | int | float | Decimal | str | datetime | date | time | timedelta | None
"""A value an openpyxl cell stores as that type (pandas' Timestamp is a datetime)."""


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot start a spreadsheet formula."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    out.columns = [
        "'" + c if isinstance(c, str) and c.startswith(FORMULA_PREFIXES) else c for c in out.columns
    ]
    return out


def table_csv_bytes(df: pd.DataFrame, *, note: str | None = None) -> bytes:
    """CSV bytes (UTF-8 with BOM). ``note`` (e.g. "Dữ liệu minh họa: …") becomes a first
    comment line starting with ``#`` so the provenance travels with the file."""
    body = neutralise_formulas(df).to_csv(index=False, lineterminator="\r\n")
    head = f"# {note}\r\n" if note else ""
    return ("\ufeff" + head + str(body)).encode("utf-8")


# --------------------------------------------------------------------------- labels

#: Columns outside the dataset schema (unit attributes, map classes) -> (Vietnamese, English)
#: header. Dataset columns (codes, criteria, indicators, flags) take their header from the schema
#: registry (:func:`ntm_geo.datasets.schema.header`).
_LABELS: dict[str, tuple[str, str]] = {
    "name": ("Tên", "Name"),
    "name_with_type": ("Tên đơn vị", "Unit name"),
    "district_code": ("Mã huyện", "District code"),
    "district_name": ("Huyện", "District"),
    "unit_type": ("Loại đơn vị", "Unit type"),
    "population_2009": ("Dân số 2009 (người)", "Population 2009 (people)"),
    "area_km2": ("Diện tích (km²)", "Area (km²)"),
    "assessed": ("Thuộc diện đánh giá NTM", "Assessed against the NTM criteria"),
    "commune_group": ("Nhóm xã", "Commune group"),
    "framework_id": ("Bộ tiêu chí (mã)", "Criteria framework (id)"),
    "derived": ("Số liệu suy ra", "Derived value"),
    "map_value": ("Giá trị trên bản đồ", "Value on the map"),
    "map_class": ("Lớp bản đồ (số)", "Map class (number)"),
    "class_label": ("Lớp chú giải", "Legend class"),
    "class_color": ("Màu", "Colour"),
    "class_low": ("Cận dưới của lớp", "Class lower bound"),
    "class_high": ("Cận trên của lớp", "Class upper bound"),
}
#: Short headers for the on-screen table (narrow columns): key -> (vi, en); criteria "TC1"/"C1".
_SHORT: dict[str, tuple[str, str]] = {
    "name_with_type": ("Đơn vị", "Unit"),
    "district_code": ("Mã huyện", "District code"),
    "unit_type": ("Loại", "Type"),
    "commune_code": ("Mã xã", "Code"),
}


def _registered(framework: str | None) -> str:
    """``framework`` (default: 491/342) once the schema registry knows its criteria (a province's
    own framework is registered on first use); ConfigError for an unknown id."""
    from ntm_geo.criteria.frameworks import framework as framework_by_id
    from ntm_geo.datasets import schema

    if framework is None:
        return schema.DEFAULT_FRAMEWORK
    if framework not in schema.FRAMEWORKS:
        schema.register_framework(framework, framework_by_id(framework).criteria)
    return framework


def infra_criteria(framework: str | None = None) -> tuple[int, ...]:
    """Numbers of the framework's infrastructure criteria (group ``infrastructure``: 2–9 of the
    19-criteria frameworks 491/342, 1980 and 318; none under 51/2025, whose criterion 2 is the
    whole infrastructure): what ``infra_criteria_met`` counts. Default framework: 491/342."""
    from ntm_geo.criteria.frameworks import framework as framework_by_id

    fw = framework_by_id(_registered(framework))
    return tuple(c.number for c in fw.criteria if c.group == "infrastructure")


def _infra_label(framework: str | None, lang: str) -> str:
    numbers = infra_criteria(framework)
    if not numbers:
        return Bilingual("Tiêu chí hạ tầng đạt", "Infrastructure criteria met").pick(lang)
    contiguous = list(numbers) == list(range(numbers[0], numbers[-1] + 1))
    span = f"{numbers[0]}–{numbers[-1]}" if contiguous else ", ".join(map(str, numbers))
    return Bilingual(f"Tiêu chí hạ tầng đạt ({span})", f"Infrastructure criteria met ({span})").pick(lang)


def column_label(
    key: str,
    lang: str = "vi",
    *,
    short: bool = False,
    default: str | None = None,
    framework: str | None = None,
) -> str:
    """The reader's header of a column: ``column_label("c01") == "TC1. Quy hoạch"``.

    The one lookup of column labels for the exports (tables, GeoPackage aliases, QML): dataset
    columns from the schema registry (:func:`ntm_geo.datasets.schema.column` under ``framework``),
    unit attributes and map classes from :data:`_LABELS`.

    Parameters
    ----------
    key : str
        A column of the dataset contract (``commune_code``, ``c01``..``c19``, ``poverty_rate_pct`` …)
        or of the exports (``map_value``, ``map_class``, ``class_label`` …).
    lang : str
        "vi" or "en".
    short : bool
        Narrow headers for the screen ("TC1", "Đơn vị").
    default : str, optional
        Returned for a key without a label (instead of raising).
    framework : str, optional
        Id of the table's criteria framework (``qd318``, ``qd51_2025`` …): the criteria are named
        as that framework names them ("TC3. Thủy lợi và phòng, chống thiên tai" under 318) and
        ``infra_criteria_met`` gives its infrastructure criteria. Default: 491/342.

    Raises
    ------
    ConfigError
        Unknown key and no ``default`` (lists the known keys); unknown ``framework``.
    """
    from ntm_geo.criteria.framework import CRITERION_COLUMNS
    from ntm_geo.datasets import schema

    fid = _registered(framework)
    if short and key in CRITERION_COLUMNS:
        return Bilingual("TC{n}", "C{n}").format(n=int(key[1:])).pick(lang)
    if short and key in _SHORT:
        return Bilingual(*_SHORT[key]).pick(lang)
    if key == "infra_criteria_met":
        return _infra_label(fid, lang)
    if key in _LABELS:
        return Bilingual(*_LABELS[key]).pick(lang)
    try:
        return schema.column(key, fid).header.pick(lang)
    except ConfigError:
        if default is not None:
            return default
        allowed = ", ".join([*_LABELS, "infra_criteria_met", *schema.column_keys(framework=fid)])
        raise ConfigError(
            f"No label for column {key!r}; known columns: {allowed}.",
            f"Không có nhãn cho cột {key!r}; các cột đã biết: {allowed}.",
        ) from None


_FLAG_WORDS = {True: ("Có", "Yes"), False: ("Không", "No")}


def value_words(key: str, value: object, lang: str = "vi") -> object:
    """A coded value as the reader's word: unit type ``phuong`` -> "Phường", criterion True ->
    "Đạt", flag False -> "Không" (the schema's yes/no words, which the importer reads back); NA
    stays NA; other values are returned unchanged."""
    from ntm_geo.datasets import schema
    from ntm_geo.geo.units import UNIT_TYPES

    if value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value)):
        return value
    if key == "unit_type":
        return Bilingual(*UNIT_TYPES[value][:2]).pick(lang) if value in UNIT_TYPES else value
    if key in ("assessed", "derived"):
        return Bilingual(*_FLAG_WORDS[bool(value)]).pick(lang)
    if key in schema.column_keys("criterion", "flag"):
        return schema.column(key).yes_no[int(bool(value))].pick(lang)
    return value


def localized_table(
    table: pd.DataFrame, lang: str = "vi", *, framework: str | None = None
) -> tuple[pd.DataFrame, list[str]]:
    """``table`` (machine-keyed columns) with coded values as words, and the reader's headers
    (criteria named by ``framework``, the table's framework id; default 491/342).

    Returns
    -------
    (DataFrame, list of str)
        The values (same columns, same order; numbers stay numbers, codes stay text with their
        leading zeros) and one header per column (:func:`column_label`; a column without a
        label keeps its own name).
    """
    out = table.copy()
    for column in out.columns:
        if (
            out[column].dtype == object
            or not pd.api.types.is_numeric_dtype(out[column])
            or (pd.api.types.is_bool_dtype(out[column]))
        ):
            out[column] = out[column].astype(object).map(lambda v, c=column: value_words(c, v, lang))
    headers = [column_label(str(c), lang, default=str(c), framework=framework) for c in out.columns]
    return out, headers


def provenance_for(
    info: DatasetInfo, year: int, *, now: datetime | None = None, derived: bool = False
) -> Provenance:
    """The :class:`~ntm_geo.datasets.provenance.Provenance` of an export of ``info`` for ``year``."""
    from ntm_geo import __version__

    stamp = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return Provenance(
        dataset_id=info.id,
        dataset_name=info.name_vi if info.name_vi == info.name_en else f"{info.name_vi} / {info.name_en}",
        year=str(year),
        source=info.source,
        illustrative=bool(info.illustrative),
        derived=bool(derived or getattr(info, "derived", False)),
        app_version=__version__,
        exported_at=stamp.isoformat().replace("+00:00", "Z"),
    )


def table_csv_bytes_localized(
    table: pd.DataFrame,
    *,
    lang: str = "vi",
    title: str | None = None,
    note: str | None = None,
    provenance: Provenance | None = None,
    headers: list[str] | None = None,
    framework: str | None = None,
) -> bytes:
    """The table as CSV (UTF-8 with BOM) in the reader's language, importable again.

    Layout: ``# title``, ``# note`` (when given), the provenance rows
    (``# ntm_geo:provenance,key,value``), an empty line, a row of machine keys (``commune_code``, ``c01`` … — the
    importer reads it), the header in ``lang``, one row per unit (as in the Excel table).
    Text cells are neutralised against formula injection. ``headers`` overrides the reader's
    header (one per column); ``framework`` names the criteria (:func:`localized_table`).
    """
    values, own = localized_table(table, lang, framework=framework)
    headers = own if headers is None else headers
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    for line in (title, note):
        if line:
            writer.writerow([f"# {line}"])
    if provenance is not None:
        for marker, key, value in provenance.rows():
            writer.writerow([f"# {marker}", key, value])
    safe = neutralise_formulas(values)
    # an empty line, then the keys above the reader's header (as in the Excel table): the
    # importer's header search then pairs the keys with the header, not with the line above
    writer.writerow([])
    writer.writerow(_safe_texts([str(c) for c in table.columns]))
    writer.writerow(_safe_texts(headers))
    for record in safe.itertuples(index=False, name=None):
        writer.writerow(
            ["" if v is None or v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v for v in record]
        )
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _safe_texts(texts: list[str]) -> list[str]:
    return ["'" + s if s.startswith(FORMULA_PREFIXES) else s for s in texts]


def new_workbook() -> tuple[Workbook, Worksheet]:
    """A new openpyxl workbook and the worksheet it is created with.

    openpyxl types ``Workbook.active`` as optional (a workbook may have no sheet, or a chart
    sheet, active); a new workbook always has one worksheet, and this checks it.

    Raises
    ------
    ConfigError
        If the installed openpyxl creates a workbook without a worksheet.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    if not isinstance(sheet, Worksheet):
        raise ConfigError(
            "openpyxl created a workbook without a worksheet; check the installed openpyxl.",
            "openpyxl tạo sổ tính không có trang tính; hãy kiểm tra phiên bản openpyxl đã cài.",
        )
    return book, sheet
