"""Saved datasets and boundaries: one SQLite file in a data folder (stdlib :mod:`sqlite3`).

Where: ``<data dir>/ntm_geo.sqlite3``; the data dir is the value passed to :func:`configure`
(the app passes ``st.secrets["data_dir"]`` when set), else ``$NTM_GEO_DATA_DIR``, else
``ntm_data/`` in the repository (git-ignored). Nothing is created until the first save, so
viewing never writes.

What: per dataset its name, source, uploader, UTC time of upload, years, content sha256 and,
per year, the table (Parquet bytes: the exact dtypes of the dataset contract, see
:mod:`ntm_geo.datasets.contract`) and the match report (JSON, from the import). Replacement boundaries
(GeoParquet bytes, the commune contract of :mod:`ntm_geo.geo.boundaries`) with their match report;
the latest saved set is the active one.

Safety: every write is one ``BEGIN IMMEDIATE … COMMIT`` transaction, so a write interrupted by
an error or a crash leaves the previous state; the database runs in WAL mode (readers never
block the writer). Writes need the editor password (:mod:`ntm_geo.auth`); reads do not.
Dataset ids are ``<slug>-<n>`` with ``n`` from an AUTOINCREMENT counter: an id is never reused,
even after its dataset is deleted, so an old shared link can never show other data.

Loading: a table saved while a framework indicator had its own column (``c04_2``, ``c11_1``,
``c17_1`` of 491/342 and 1980, now linked to ``electricity_hh_pct``, ``poverty_rate_pct``,
``hygienic_water_hh_pct``) is read with that column folded into the registry column
(:func:`ntm_geo.datasets.framework_indicators.fold_linked_columns`); where both hold different
values the registry column's is kept, and a former value outside the registry column's valid range
or not a number is left out (empty); the dataset's note says so (:attr:`DatasetRecord.notes`,
shown with its maps) and the load is logged (logger ``ntm_geo.datasets.store``, WARNING).

Why over 500 lines: this is the only module that knows the SQLite schema. Every statement on the
database (datasets, their years, replacement boundaries) and the one transaction helper are
here, so a schema change is made and reviewed in one file.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ntm_geo import auth
from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.frameworks import Framework, all_frameworks, builtin_frameworks, default_framework
from ntm_geo.datasets import framework_indicators, schema
from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.datasets.importing.report import usable_values
from ntm_geo.errors import ConfigError, DataError, NtmGeoError
from ntm_geo.geo.units import ascii_fold
from ntm_geo.geo.vintages import get_vintage

DATA_ENV = "NTM_GEO_DATA_DIR"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2] / "ntm_data"
DB_FILE = "ntm_geo.sqlite3"
SCHEMA_VERSION = 1
MAX_NAME_CHARS = 200

_configured_dir: Path | None = None
log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS dataset_years (
    dataset_id TEXT NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
    year INTEGER NOT NULL,
    n_rows INTEGER NOT NULL,
    table_parquet BLOB NOT NULL,
    report_json TEXT NOT NULL,
    PRIMARY KEY (dataset_id, year)
);
CREATE TABLE IF NOT EXISTS boundary_sets (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    source_crs TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    report_json TEXT NOT NULL,
    geoparquet BLOB NOT NULL
);
"""


# ---------------------------------------------------------------- where
def configure(data_dir: str | os.PathLike[str] | None) -> None:
    """Use ``data_dir`` (e.g. from ``st.secrets``) instead of ``$NTM_GEO_DATA_DIR``; None resets."""
    global _configured_dir
    _configured_dir = Path(data_dir).expanduser() if data_dir else None


def data_dir() -> Path:
    """The data folder: :func:`configure` value, else ``$NTM_GEO_DATA_DIR``, else ``ntm_data/``."""
    if _configured_dir is not None:
        return _configured_dir
    env = os.environ.get(DATA_ENV)
    return Path(env).expanduser() if env else DEFAULT_DATA_DIR


def db_path() -> Path:
    """The SQLite file (may not exist yet)."""
    return data_dir() / DB_FILE


def is_configured() -> bool:
    """True when a database file exists (something may have been saved); reads never create it."""
    return db_path().is_file()


@contextmanager
def _connect(*, write: bool) -> Iterator[sqlite3.Connection]:
    path = db_path()
    if write:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(
                f"Cannot create the data folder {path.parent} ({exc}). Set {DATA_ENV} (or data_dir in "
                "Streamlit secrets) to a writable folder.",
                f"Không tạo được thư mục dữ liệu {path.parent} ({exc}). Hãy đặt {DATA_ENV} (hoặc data_dir "
                "trong secrets của Streamlit) trỏ tới một thư mục ghi được.",
            ) from exc
    conn = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            if write:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(_SCHEMA)
                if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                    conn.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(
                f"{path} is not a readable ntm-geo database ({exc}). Move it away (the app then starts "
                "with no saved data) or restore it from a backup.",
                f"{path} không phải cơ sở dữ liệu ntm-geo đọc được ({exc}). Hãy chuyển tệp đi chỗ khác "
                "(ứng dụng sẽ bắt đầu lại không có dữ liệu đã lưu) hoặc khôi phục từ bản sao lưu.",
                file=str(path),
            ) from exc
        version = row[0] if row else None
        if version is not None and version > SCHEMA_VERSION:
            raise ConfigError(
                f"{path} was written by a newer ntm-geo (schema {version}; this version reads up to "
                f"{SCHEMA_VERSION}). Update the app.",
                f"{path} được ghi bởi phiên bản ntm-geo mới hơn (lược đồ {version}; bản này đọc tới "
                f"{SCHEMA_VERSION}). Hãy cập nhật ứng dụng.",
                file=str(path),
            )
        if write:
            _add_vintage_column(conn)
        yield conn
    finally:
        conn.close()


def _add_vintage_column(conn: sqlite3.Connection) -> None:
    """Databases written before datasets recorded their unit vintage get the column (all 2015)."""
    if not _has_vintage_column(conn):
        conn.execute("ALTER TABLE datasets ADD COLUMN vintage TEXT NOT NULL DEFAULT '2015'")


def _has_vintage_column(conn: sqlite3.Connection) -> bool:
    return any(row[1] == "vintage" for row in conn.execute("PRAGMA table_info(datasets)"))


@contextmanager
def _transaction() -> Iterator[sqlite3.Connection]:
    """One write transaction: all or nothing."""
    with _connect(write=True) as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


# ---------------------------------------------------------------- records
@dataclass(frozen=True)
class DatasetRecord:
    """A saved dataset's metadata (what the data page lists)."""

    id: str
    name: str
    source: str
    uploaded_by: str
    uploaded_at: str  # ISO 8601, UTC ("2016-05-05T08:00:00+00:00")
    sha256: str  # of the content (see content_sha256)
    years: tuple[int, ...]
    rows: tuple[int, ...]  # rows per year, same order as years
    vintage: str = "2015"  # unit vintage the tables are keyed by (ntm_geo.geo.vintages)
    notes: tuple[Bilingual, ...] = ()  # problems met reading its tables (see _load_notes)

    def info(self) -> DatasetInfo:
        """As the catalogue shows it (never illustrative; note says source, uploader and time,
        then any :attr:`notes`)."""
        when = self.uploaded_at[:16].replace("T", " ")
        return DatasetInfo(
            id=self.id,
            name_vi=self.name,
            name_en=self.name,
            years=self.years,
            source=self.source,
            illustrative=False,
            note_vi=" ".join(
                [
                    f"Nguồn: {self.source}. Tải lên bởi {self.uploaded_by}, {when} UTC.",
                    *(n.vi for n in self.notes),
                ]
            ),
            note_en=" ".join(
                [
                    f"Source: {self.source}. Uploaded by {self.uploaded_by}, {when} UTC.",
                    *(n.en for n in self.notes),
                ]
            ),
            vintage=self.vintage,
        )


@dataclass(frozen=True)
class BoundaryRecord:
    """A saved set of replacement boundaries."""

    id: str
    name: str
    source_crs: str
    uploaded_by: str
    uploaded_at: str
    sha256: str


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def slug(name: str) -> str:
    """Short ASCII id stem of a name: "Kết quả NTM 2015" -> "ket-qua-ntm-2015" (at most 24 chars)."""
    text = ascii_fold(unicodedata.normalize("NFKC", name)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:24].strip("-")
    return text or "dataset"


# ---------------------------------------------------------------- tables
def conform_table(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """A copy of ``table`` in the exact dtypes of the dataset contract (see :mod:`ntm_geo.datasets.contract`).

    ``commune_code`` str; ``year`` int64 (set to ``year`` when missing); every other column of
    the schema registry (:mod:`ntm_geo.datasets.schema`) in its dtype — ``c01``..``c19`` and
    flags "boolean", ``criteria_met`` "Int64", indicators float64; other ``*_pct`` columns and a
    framework's indicator columns (``c04_2``) float64; other columns kept.

    Raises
    ------
    DataError
        A required column is missing, codes repeat, or the year column disagrees with ``year``.
    """
    required = schema.column_keys("criterion", "total")
    missing = [c for c in ("commune_code", *required) if c not in table.columns]
    if missing:
        raise DataError(
            f"The {year} table lacks column(s) {', '.join(missing)}; it cannot be saved.",
            f"Bảng năm {year} thiếu cột {', '.join(missing)}; không lưu được.",
            column=missing[0],
        )
    out = table.reset_index(drop=True).copy()
    out["commune_code"] = out["commune_code"].astype(str)
    if "year" not in out.columns:
        out.insert(1, "year", year)
    out["year"] = pd.to_numeric(out["year"]).astype("int64")
    other = sorted(set(out["year"]) - {year})
    if other:
        raise DataError(
            f"The table given for {year} has rows for year {other[0]}.",
            f"Bảng của năm {year} có dòng của năm {other[0]}.",
            column="year",
        )
    dup = out["commune_code"].duplicated()
    if dup.any():
        code = out.loc[dup, "commune_code"].iloc[0]
        raise DataError(
            f"The {year} table has unit {code} twice; resolve duplicates before saving.",
            f"Bảng năm {year} có đơn vị {code} hai lần; hãy xử lý các dòng trùng trước khi lưu.",
            column="commune_code",
        )
    for col in schema.columns():
        if col.kind == "key" or col.key not in out.columns:
            continue
        if col.dtype == "float64":
            out[col.key] = pd.to_numeric(out[col.key]).astype("float64")
        else:
            out[col.key] = out[col.key].astype(col.dtype)
    for key in out.columns:  # a percentage the registry does not list, a framework indicator (c04_2): numbers
        if (key.endswith("_pct") or framework_indicators.is_indicator_key(key)) and out[
            key
        ].dtype != "float64":
            out[key] = pd.to_numeric(out[key]).astype("float64")
    return out


def content_sha256(tables: Mapping[int, pd.DataFrame]) -> str:
    """sha256 of the tables' content (years in order, CSV text): equal data, equal hash."""
    digest = hashlib.sha256()
    for year in sorted(tables):
        digest.update(f"#year={year}\n".encode())
        digest.update(tables[year].to_csv(index=False, lineterminator="\n").encode("utf-8"))
    return digest.hexdigest()


def _table_blob(table: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _checked_inputs(
    name: str, tables: Mapping[int, pd.DataFrame], reports: Mapping[int, Any] | None
) -> tuple[str, dict[int, pd.DataFrame]]:
    name = (name or "").strip()
    if not name:
        raise DataError("Give the dataset a name before saving.", "Hãy đặt tên cho bộ dữ liệu trước khi lưu.")
    if len(name) > MAX_NAME_CHARS:
        raise DataError(
            f"The dataset name has {len(name)} characters; at most {MAX_NAME_CHARS} are allowed.",
            f"Tên bộ dữ liệu có {len(name)} ký tự; tối đa {MAX_NAME_CHARS} ký tự.",
        )
    if not tables:
        raise DataError("There is no table to save (no year).", "Không có bảng nào để lưu (chưa có năm nào).")
    conformed = {int(year): conform_table(table, int(year)) for year, table in sorted(tables.items())}
    for year, table in conformed.items():
        if table.empty:
            raise DataError(f"The {year} table has no rows.", f"Bảng năm {year} không có dòng nào.")
    extra = sorted(set(reports or {}) - set(conformed))
    if extra:
        raise DataError(
            f"A match report is given for {extra[0]}, which has no table.",
            f"Có báo cáo khớp cho năm {extra[0]} nhưng không có bảng của năm đó.",
        )
    return name, conformed


def _checked_dataset(
    name: str,
    source: str,
    uploaded_by: str,
    tables: Mapping[int, pd.DataFrame],
    reports: Mapping[int, Any] | None,
    password: str | auth.EditorSession | None,
    vintage: str,
) -> tuple[tuple[str, str, str, str, str, str], dict[int, pd.DataFrame]]:
    """What :func:`save_dataset` and :func:`replace_dataset` write, checked (password first):
    the ``datasets`` row (name, source, uploaded_by, uploaded_at, sha256, vintage) and the tables
    in the contract."""
    auth.check_password(password)
    vintage = get_vintage(vintage).key
    name, conformed = _checked_inputs(name, tables, reports)
    row = (
        name,
        (source or "").strip(),
        (uploaded_by or "").strip(),
        _now(),
        content_sha256(conformed),
        vintage,
    )
    return row, conformed


def _write_years(
    conn: sqlite3.Connection,
    dataset_id: str,
    tables: dict[int, pd.DataFrame],
    reports: Mapping[int, Any] | None,
) -> None:
    conn.execute("DELETE FROM dataset_years WHERE dataset_id = ?", (dataset_id,))
    for year, table in tables.items():
        report = json.dumps((reports or {}).get(year, {}), ensure_ascii=False, default=str)
        conn.execute(
            "INSERT INTO dataset_years (dataset_id, year, n_rows, table_parquet, report_json) VALUES (?, ?, ?, ?, ?)",
            (dataset_id, year, len(table), _table_blob(table), report),
        )


def save_dataset(
    name: str,
    source: str,
    uploaded_by: str,
    tables: Mapping[int, pd.DataFrame],
    reports: Mapping[int, Any] | None = None,
    *,
    password: str | auth.EditorSession | None,
    vintage: str = "2015",
) -> DatasetInfo:
    """Save a new dataset (one table per year) in one transaction; returns its catalogue entry.

    Parameters
    ----------
    name, source, uploaded_by : str
        Shown with the dataset (name required, at most :data:`MAX_NAME_CHARS` characters).
    tables : {year: DataFrame}
        Tables in the dataset contract (see :func:`conform_table`).
    reports : {year: dict}, optional
        The import's match report per year (``ImportReport.to_json()``), kept as JSON.
    password : str
        The editor password (:func:`ntm_geo.auth.check_password`).
    vintage : str
        The unit vintage the tables are keyed by ("2015" | "2025", :mod:`ntm_geo.geo.vintages`);
        kept with the dataset (``DatasetInfo.vintage``) so its maps are drawn on those units.

    Raises
    ------
    ConfigError, PasswordError
        Uploads disabled, or wrong password (nothing written); an unknown vintage.
    DataError
        No name, no table, a table outside the contract.
    """
    row, conformed = _checked_dataset(name, source, uploaded_by, tables, reports, password, vintage)
    with _transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO datasets (id, name, source, uploaded_by, uploaded_at, sha256, vintage) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (f"pending-{os.getpid()}", *row),
        )
        seq = cursor.lastrowid
        dataset_id = f"{slug(row[0])}-{seq}"
        conn.execute("UPDATE datasets SET id = ? WHERE seq = ?", (dataset_id, seq))
        _write_years(conn, dataset_id, conformed, reports)
    return get_record(dataset_id).info()


def replace_dataset(
    dataset_id: str,
    name: str,
    source: str,
    uploaded_by: str,
    tables: Mapping[int, pd.DataFrame],
    reports: Mapping[int, Any] | None = None,
    *,
    password: str | auth.EditorSession | None,
    vintage: str = "2015",
) -> DatasetInfo:
    """Replace every table and the metadata of a saved dataset, keeping its id (links keep working).

    Same rules as :func:`save_dataset`; unknown ``dataset_id`` raises :class:`ConfigError`.
    """
    row, conformed = _checked_dataset(name, source, uploaded_by, tables, reports, password, vintage)
    with _transaction() as conn:
        _require(conn, dataset_id)
        conn.execute(
            "UPDATE datasets SET name = ?, source = ?, uploaded_by = ?, uploaded_at = ?, sha256 = ?, vintage = ? "
            "WHERE id = ?",
            (*row, dataset_id),
        )
        _write_years(conn, dataset_id, conformed, reports)
    return get_record(dataset_id).info()


#: Columns an import adds for its match report that are not part of a saved table.
IMPORT_ONLY_COLUMNS: tuple[str, ...] = ("name_as_written", "population")


def save_import(
    table: pd.DataFrame,
    year: int,
    report: Mapping[str, Any] | None,
    *,
    name: str | None,
    source: str | None,
    uploaded_by: str,
    password: str | auth.EditorSession | None,
    into: str | None = None,
    vintage: str | None = None,
) -> DatasetInfo:
    """Save one year's imported table — the one save path of the data page and the command line.

    Drops the import's own columns (:data:`IMPORT_ONLY_COLUMNS`), then saves a new dataset, or
    with ``into`` (a saved dataset's id) merges the year into it: its other years are kept, this
    year's table and match report are replaced, its id stays (links keep working).

    Parameters
    ----------
    table : DataFrame
        ``ImportReport.table`` (one row per matched unit, dataset contract columns).
    year : int
        The table's year.
    report : dict, optional
        ``ImportReport.to_json()``, kept with the year.
    name, source : str or None
        As for :func:`save_dataset`; ``None`` (or blank) with ``into`` keeps the saved dataset's
        name / source (adding a year does not rename it), without ``into`` a name is required.
    uploaded_by, password
        As for :func:`save_dataset`.
    into : str, optional
        Id of the saved dataset to merge into.
    vintage : str, optional
        Unit vintage of the table; default the one the import detected (``report["vintage"]["key"]``),
        else "2015".

    Raises
    ------
    ConfigError, PasswordError, DataError
        As :func:`save_dataset` / :func:`replace_dataset` (nothing written; the password is
        checked before anything is read); DataError also when ``into`` is keyed by another unit
        vintage (its years could not share one map), and when ``table`` has rows but no usable
        value (the rule of :meth:`ImportReport.no_usable_value
        <ntm_geo.datasets.importing.report.ImportReport.no_usable_value>`, its reason from
        ``report`` when given: enforced here, not only by the fronts that disable saving).
    """
    auth.check_password(password)
    if len(table) and not usable_values(table):
        why = (report or {}).get("no_usable_value") or {}
        raise DataError(
            why.get("reason_en") or "The table holds no usable value: nothing to save.",
            why.get("reason_vi") or "Bảng không có giá trị nào dùng được: không có gì để lưu.",
        )
    if vintage is None:
        vintage = str(((report or {}).get("vintage") or {}).get("key") or "2015")
    clean = table.drop(columns=[c for c in IMPORT_ONLY_COLUMNS if c in table.columns])
    name = (name or "").strip() or None
    source = (source or "").strip() or None
    if not into:  # a new dataset: no name is refused by save_dataset ("Give the dataset a name")
        return save_dataset(
            name or "",
            source or "",
            uploaded_by,
            {year: clean},
            {year: dict(report or {})},
            password=password,
            vintage=vintage,
        )
    old = get_record(into)
    name = name if name is not None else old.name
    source = source if source is not None else old.source
    if old.vintage != vintage:
        raise DataError(
            f"Dataset {into} is keyed by the {old.vintage} units, this table by the {vintage} units; "
            "save it as a new dataset.",
            f"Bộ dữ liệu {into} theo đơn vị hành chính {old.vintage}, bảng này theo đơn vị {vintage}; "
            "hãy lưu thành bộ dữ liệu mới.",
        )
    tables = {y: load_table(into, y) for y in old.years if y != year}
    reports: dict[int, Any] = {y: get_report(into, y) for y in tables}
    tables[year], reports[year] = clean, dict(report or {})
    return replace_dataset(  # the year added: name and source as given, else the saved ones
        into, name, source, uploaded_by, tables, reports, password=password, vintage=vintage
    )


def delete_dataset(dataset_id: str, *, password: str | None) -> None:
    """Delete a saved dataset and its tables (its id is never given to another dataset)."""
    auth.check_password(password)
    with _transaction() as conn:
        _require(conn, dataset_id)
        conn.execute("DELETE FROM dataset_years WHERE dataset_id = ?", (dataset_id,))
        conn.execute("DELETE FROM datasets WHERE id = ?", (dataset_id,))


def _unknown(dataset_id: str, known: list[str]) -> ConfigError:
    listing = ", ".join(known) or "—"
    return ConfigError(
        f"No saved dataset {dataset_id!r}; saved: {listing}.",
        f"Không có bộ dữ liệu đã lưu {dataset_id!r}; các bộ đã lưu: {listing}.",
    )


def _require(conn: sqlite3.Connection, dataset_id: str) -> None:
    if conn.execute("SELECT 1 FROM datasets WHERE id = ?", (dataset_id,)).fetchone() is None:
        raise _unknown(dataset_id, [r[0] for r in conn.execute("SELECT id FROM datasets ORDER BY seq")])


def list_records() -> list[DatasetRecord]:
    """Saved datasets, oldest first (empty when nothing was ever saved)."""
    if not is_configured():
        return []
    with _connect(write=False) as conn:
        vintage = "vintage" if _has_vintage_column(conn) else "'2015'"
        heads = conn.execute(
            f"SELECT id, name, source, uploaded_by, uploaded_at, sha256, {vintage} FROM datasets ORDER BY seq"
        ).fetchall()
        years: dict[str, list[tuple[int, int]]] = {}
        for dataset_id, year, n_rows in conn.execute(
            "SELECT dataset_id, year, n_rows FROM dataset_years ORDER BY year"
        ):
            years.setdefault(dataset_id, []).append((year, n_rows))
        notes = _load_notes(conn)
    return [
        DatasetRecord(
            id=head[0],
            name=head[1],
            source=head[2],
            uploaded_by=head[3],
            uploaded_at=head[4],
            sha256=head[5],
            years=tuple(y for y, _ in years.get(head[0], [])),
            rows=tuple(n for _, n in years.get(head[0], [])),
            vintage=head[6],
            notes=notes.get(head[0], ()),
        )
        for head in heads
    ]


def get_record(dataset_id: str) -> DatasetRecord:
    """One saved dataset's metadata; unknown id raises :class:`ConfigError` listing the saved ids."""
    records = list_records()
    for record in records:
        if record.id == dataset_id:
            return record
    raise _unknown(dataset_id, [r.id for r in records])


def list_infos() -> list[DatasetInfo]:
    """Saved datasets as catalogue entries (:class:`~ntm_geo.datasets.contract.DatasetInfo`), oldest first."""
    return [record.info() for record in list_records()]


def _year_row(dataset_id: str, year: int, column: str) -> Any:
    record = get_record(dataset_id)
    if year not in record.years:
        allowed = ", ".join(map(str, record.years))
        raise ConfigError(
            f"Saved dataset {dataset_id!r} has no table for {year}; its years: {allowed}.",
            f"Bộ dữ liệu đã lưu {dataset_id!r} không có bảng năm {year}; các năm có: {allowed}.",
        )
    with _connect(write=False) as conn:
        return conn.execute(
            f"SELECT {column} FROM dataset_years WHERE dataset_id = ? AND year = ?", (dataset_id, year)
        ).fetchone()[0]


def load_table(dataset_id: str, year: int) -> pd.DataFrame:
    """The saved table of ``dataset_id`` for ``year``, in the exact dtypes of the contract.

    A former indicator column now linked to a registry column (``c11_1`` -> ``poverty_rate_pct``)
    is folded into it (:func:`_read_table`); a disagreement, or a former value left out (out of the
    column's range, not a number), is logged (WARNING) and said in the dataset's note
    (:attr:`DatasetRecord.notes`)."""
    table, conflicts = _read_table(_year_row(dataset_id, year, "table_parquet"), year)
    for conflict in conflicts:
        log.warning("dataset %s: %s", dataset_id, conflict.message(year).en)
    return table


def _read_table(blob: bytes, year: int) -> tuple[pd.DataFrame, tuple[framework_indicators.LinkRemark, ...]]:
    """A saved year's Parquet bytes -> (table, what folding its former indicator columns into the
    registry columns they are now linked to reports: disagreements, values left out), under the
    table's framework: its
    ``framework_id`` column, else the year's (:func:`ntm_geo.criteria.frameworks.default_framework`;
    a year no framework covers folds nothing)."""
    table = pd.read_parquet(io.BytesIO(blob))
    fw = _table_framework(table, year)
    if fw is None:
        return table, ()
    return framework_indicators.fold_linked_columns(table, fw.id)


def _table_framework(table: pd.DataFrame, year: int) -> Framework | None:
    if "framework_id" in table.columns:
        ids = [str(v) for v in pd.unique(table["framework_id"].dropna()) if str(v)]
        if len(ids) == 1:
            return next((fw for fw in _frameworks() if fw.id == ids[0]), None)
    try:
        return default_framework(year)
    except ConfigError:  # no framework covers the year: no indicator is linked
        return None


def _frameworks() -> tuple[Framework, ...]:
    try:
        return all_frameworks()
    except NtmGeoError:  # a broken province framework file: the national links still apply
        return builtin_frameworks()


def _load_notes(conn: sqlite3.Connection) -> dict[str, tuple[Bilingual, ...]]:
    """Dataset id -> what its tables' loading reports (:func:`_read_table`'s disagreements, one
    sentence per year and column). Only the years whose Parquet bytes name a linked indicator
    key (``c11_1``; SQLite ``instr`` on the blob, so other datasets cost no table read) are read."""
    keys = sorted({ind.key for fw in _frameworks() for ind in fw.indicators if ind.column is not None})
    if not keys:
        return {}
    where = " OR ".join("instr(table_parquet, CAST(? AS BLOB)) > 0" for _ in keys)
    notes: dict[str, list[Bilingual]] = {}
    for dataset_id, year, blob in conn.execute(
        f"SELECT dataset_id, year, table_parquet FROM dataset_years WHERE {where} ORDER BY year", keys
    ):
        _table, conflicts = _read_table(blob, year)
        notes.setdefault(dataset_id, []).extend(c.message(year) for c in conflicts)
    return {k: tuple(v) for k, v in notes.items() if v}


def get_report(dataset_id: str, year: int) -> dict[str, Any]:
    """The match report saved with that year's table (``{}`` when none was given)."""
    report: dict[str, Any] = json.loads(_year_row(dataset_id, year, "report_json"))
    return report


# ---------------------------------------------------------------- boundaries
def save_boundaries(
    name: str,
    uploaded_by: str,
    communes: Any,
    report: Mapping[str, Any] | None = None,
    *,
    source_crs: str,
    password: str | auth.EditorSession | None,
) -> BoundaryRecord:
    """Save replacement commune boundaries (a GeoDataFrame in the contract of
    :data:`ntm_geo.geo.boundaries.COMMUNE_COLUMNS`, EPSG:4326); the newest saved set is active."""
    auth.check_password(password)
    name = (name or "").strip() or "boundaries"
    if communes is None or len(communes) == 0:
        raise DataError("There are no boundaries to save.", "Không có ranh giới nào để lưu.")
    buffer = io.BytesIO()
    communes.to_parquet(buffer, index=False)
    blob = buffer.getvalue()
    with _transaction() as conn:
        cursor = conn.execute(
            "INSERT INTO boundary_sets (id, name, source_crs, uploaded_by, uploaded_at, sha256, report_json, "
            "geoparquet) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                f"pending-{os.getpid()}",
                name,
                source_crs,
                (uploaded_by or "").strip(),
                _now(),
                hashlib.sha256(blob).hexdigest(),
                json.dumps(dict(report or {}), ensure_ascii=False, default=str),
                blob,
            ),
        )
        seq = cursor.lastrowid
        conn.execute("UPDATE boundary_sets SET id = ? WHERE seq = ?", (f"boundaries-{seq}", seq))
    return list_boundary_sets()[-1]


def list_boundary_sets() -> list[BoundaryRecord]:
    """Saved boundary sets, oldest first; the last one is active."""
    if not is_configured():
        return []
    with _connect(write=False) as conn:
        try:
            rows = conn.execute(
                "SELECT id, name, source_crs, uploaded_by, uploaded_at, sha256 FROM boundary_sets ORDER BY seq"
            ).fetchall()
        except sqlite3.OperationalError:  # a database that never saved boundaries
            return []
    return [BoundaryRecord(*row) for row in rows]


def active_boundaries() -> Any | None:
    """The active replacement communes (GeoDataFrame, EPSG:4326), or None for the built-in ones."""
    sets = list_boundary_sets()
    if not sets:
        return None
    import geopandas as gpd

    with _connect(write=False) as conn:
        blob = conn.execute("SELECT geoparquet FROM boundary_sets WHERE id = ?", (sets[-1].id,)).fetchone()[0]
    return gpd.read_parquet(io.BytesIO(blob))


def delete_boundaries(boundary_id: str, *, password: str | None) -> None:
    """Delete a saved boundary set (the previous one, or the built-in boundaries, become active)."""
    auth.check_password(password)
    with _transaction() as conn:
        if conn.execute("DELETE FROM boundary_sets WHERE id = ?", (boundary_id,)).rowcount == 0:
            known = ", ".join(r[0] for r in conn.execute("SELECT id FROM boundary_sets ORDER BY seq")) or "—"
            raise ConfigError(
                f"No saved boundary set {boundary_id!r}; saved: {known}.",
                f"Không có bộ ranh giới đã lưu {boundary_id!r}; các bộ đã lưu: {known}.",
            )
