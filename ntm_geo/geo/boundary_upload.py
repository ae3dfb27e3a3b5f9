"""Replacement commune boundaries uploaded by the province: read, reproject, check, match, save.

Accepted files (at most :data:`MAX_BYTES`): a **zipped shapefile** (``.shp`` + ``.shx`` + ``.dbf``,
``.prj`` and ``.cpg`` when present, possibly in a sub-folder of the zip), a **GeoPackage**
(``.gpkg``, one polygon layer) or **GeoJSON**. A file whose first bytes do not fit its extension
is refused.

Coordinate systems
------------------
Any CRS PROJ understands: WGS84 lon/lat, WGS84 / UTM, VN-2000 geographic (EPSG:4756), VN-2000 /
UTM 48N and 49N (EPSG:3405, EPSG:3406), and the provincial VN-2000 TM-3° zone of Lạng Sơn
(central meridian 107°15′, k = 0.9999, :data:`VN2000_LANG_SON_TM3`). A file without ``.prj``
raises :class:`~ntm_geo.errors.BoundaryError` asking for the CRS; the caller then passes one of
:data:`CRS_CHOICES` (or any EPSG code / PROJ string) as ``crs=``.

VN-2000 definitions **without datum parameters** (a ``.prj`` written by most GIS software loses
the ``TOWGS84`` clause: Esri WKT has none) are read by PROJ as "WGS84 ellipsoid, no datum shift",
which puts Lạng Sơn features **≈ 224 m** off (measured at 106.76° E, 21.85° N; see
``tests/test_boundary_upload.py``). A transverse Mercator CRS on the WGS84 ellipsoid with scale
factor 0.9999 (the VN-2000 provincial TM-3° convention) or a datum named VN-2000, without a datum
transformation, is therefore completed with the official 7 parameters of Decision
05/2007/QĐ-BTNMT (:data:`VN2000_TOWGS84`) and the report says so, with the shift it corrected.
(EPSG's own transformation 6960 for EPSG:3405/3406 uses the same numbers in the coordinate-frame
convention; the two differ by ≈ 0.8 m here, within the 1 m accuracy EPSG states.)

After reprojection to EPSG:4326 every feature must lie inside Lạng Sơn's bounding box with a
margin (:data:`PROVINCE_BBOX`); otherwise the file is refused with a hint (x/y swapped, wrong UTM
or TM-3° zone, naming the choice that would fit).

Text
----
Shapefile text is decoded from the ``.cpg`` code page; without ``.cpg`` the ``.dbf`` bytes are
tried as UTF-8, then as Windows-1258 (Vietnamese ANSI). GDAL's own CP1258 conversion drops the
last character of every string, so legacy code pages are decoded here in Python; every name is
then normalised to Unicode NFC.

Matching
--------
Features are matched to the 226 official units by GSO code (``commune_code``/``MA_XA``/...), or
by district + canonical name (:func:`ntm_geo.geo.units.split_unit_name`), never by similarity: fuzzy
candidates (rapidfuzz) are only suggestions the user confirms (``confirmed={feature: code}``).
The result is a GeoDataFrame in the commune contract of :mod:`ntm_geo.geo.boundaries`
(:data:`~ntm_geo.geo.boundaries.COMMUNE_COLUMNS`, EPSG:4326) plus a match report; it can be saved
only when every official unit has exactly one polygon.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS, Geod, Transformer

from ntm_geo.datasets import store
from ntm_geo.errors import BoundaryError, DataError
from ntm_geo.geo import boundaries as bnd
from ntm_geo.geo import safe_ogr
from ntm_geo.geo.units import name_key, official_units, split_unit_name

MAX_BYTES = 50 * 1024 * 1024
#: bounds checked on a zip's directory before anything is unpacked (a zip bomb is refused unread)
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024
MAX_ZIP_MEMBERS = 40
EXTENSIONS = (".zip", ".gpkg", ".geojson", ".json")

VN2000_TOWGS84 = (
    "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,-0.00427372,0.252906278"
)
VN2000_LANG_SON_TM3 = (
    f"+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 {VN2000_TOWGS84} "
    "+units=m +no_defs +type=crs"
)

#: CRS a user can pick when the file has none: key -> (label_vi, label_en, definition)
CRS_CHOICES: dict[str, tuple[str, str, str]] = {
    "wgs84": ("WGS84 kinh độ/vĩ độ (EPSG:4326)", "WGS84 lon/lat (EPSG:4326)", "EPSG:4326"),
    "vn2000-lang-son-tm3": (
        "VN-2000 múi 3° Lạng Sơn, KTT 107°15′",
        "VN-2000 TM-3° Lạng Sơn, CM 107°15′",
        VN2000_LANG_SON_TM3,
    ),
    "vn2000-utm48": ("VN-2000 / UTM múi 48N (EPSG:3405)", "VN-2000 / UTM zone 48N (EPSG:3405)", "EPSG:3405"),
    "vn2000-utm49": ("VN-2000 / UTM múi 49N (EPSG:3406)", "VN-2000 / UTM zone 49N (EPSG:3406)", "EPSG:3406"),
    "vn2000": ("VN-2000 kinh độ/vĩ độ (EPSG:4756)", "VN-2000 lon/lat (EPSG:4756)", "EPSG:4756"),
    "wgs84-utm48": ("WGS84 / UTM múi 48N (EPSG:32648)", "WGS84 / UTM zone 48N (EPSG:32648)", "EPSG:32648"),
    "wgs84-utm49": ("WGS84 / UTM múi 49N (EPSG:32649)", "WGS84 / UTM zone 49N (EPSG:32649)", "EPSG:32649"),
}

#: Lạng Sơn (lon_min, lat_min, lon_max, lat_max), EPSG:4326: the units' extent
#: (106.095, 21.325, 107.364, 22.461) plus a 0.1° margin (≈ 10 km).
PROVINCE_BBOX = (105.99, 21.22, 107.47, 22.57)

CODE_COLUMNS = (
    "commune_code",
    "ma_xa",
    "maxa",
    "ma_dvhc",
    "madvhc",
    "ma_gso",
    "ma",
    "code",
    "gso_code",
    "ma_dv",
)
NAME_COLUMNS = ("name_with_type", "ten_xa", "tenxa", "ten_dvhc", "ten", "name", "commune", "commune_vn", "xa")
DISTRICT_COLUMNS = ("district_name", "ten_huyen", "tenhuyen", "huyen", "district", "district_vn")


# ---------------------------------------------------------------- errors
def _error(filename: str, en: str, vi: str) -> BoundaryError:
    return BoundaryError(f"{filename}: {en}", f"{filename}: {vi}", file=filename)


def _crs_list(lang: str) -> str:
    return "; ".join(f"{key} = {v[0] if lang == 'vi' else v[1]}" for key, v in CRS_CHOICES.items())


# ---------------------------------------------------------------- reading
GEOJSON_TYPE = re.compile(rb'"type"\s*:\s*"Feature(?:Collection)?"')
GPKG_APPLICATION_IDS = (b"GPKG", b"GP10", b"GP11")  # GeoPackage 1.2+, 1.0, 1.1 (header offset 68)
DBF_VERSIONS = frozenset(
    {0x02, 0x03, 0x04, 0x05, 0x30, 0x31, 0x32, 0x43, 0x63, 0x83, 0x8B, 0x8E, 0xCB, 0xF5, 0xFB}
)


def _not_kind(filename: str, what: str, kind_en: str, kind_vi: str, data: bytes) -> BoundaryError:
    """``what`` (the content, or a zip member) is not ``kind``: says so, naming a VRT as such."""
    head = data[:256].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"OGRVRTDataSource" in data[:4096]:
        why_en = "it is a GDAL VRT (XML pointing at other files or URLs), which is never opened"
        why_vi = "đây là tệp GDAL VRT (XML trỏ tới tệp hoặc địa chỉ khác), loại tệp không bao giờ được mở"
    else:
        why_en, why_vi = "its first bytes do not match", "các byte đầu không khớp"
    what_vi = "nội dung" if what == "the content" else what
    return _error(
        filename,
        f"{what} is not a {kind_en}: {why_en}; check that the file was not renamed or altered.",
        f"{what_vi} không phải {kind_vi}: {why_vi}; hãy kiểm tra tệp có bị đổi tên đuôi hoặc sửa đổi không.",
    )


def _check_kind(data: bytes, filename: str) -> str:
    """The upload's kind (".zip", ".gpkg" or ".geojson") after checking its size and first bytes."""
    suffix = Path(filename).suffix.lower()
    if len(data) > MAX_BYTES:
        raise _error(
            filename,
            f"the file has {len(data) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB.",
            f"tệp có dung lượng {len(data) / 2**20:.1f} MB; giới hạn là {MAX_BYTES // 2**20} MB.",
        )
    if suffix == ".shp":
        raise _error(
            filename,
            "a .shp file alone has no attributes or CRS: zip it together with its .shx, "
            ".dbf, .prj and .cpg files and upload the .zip.",
            "tệp .shp đứng riêng không có thuộc tính và hệ tọa độ: hãy nén nó cùng các tệp .shx, .dbf, "
            ".prj, .cpg thành một tệp .zip rồi tải lên.",
        )
    if suffix not in EXTENSIONS:
        raise _error(
            filename,
            f"unsupported file type {suffix or '(none)'}; upload {', '.join(EXTENSIONS)}.",
            f"không hỗ trợ loại tệp {suffix or '(không có)'}; hãy tải lên {', '.join(EXTENSIONS)}.",
        )
    if suffix == ".zip":
        if data.startswith(b"PK\x05\x06"):  # end-of-archive record first: no member at all
            raise _error(
                filename,
                "the zip is empty; zip the shapefile's .shp, .shx, .dbf and .prj files.",
                "tệp zip rỗng; hãy nén các tệp .shp, .shx, .dbf và .prj của shapefile.",
            )
        if not data.startswith(b"PK\x03\x04"):
            raise _not_kind(
                filename,
                "the content",
                ".zip file (its first bytes do not match)",
                "tệp .zip (các byte đầu không khớp)",
                data,
            )
        return suffix
    if suffix == ".gpkg":
        if not data.startswith(b"SQLite format 3\x00"):
            raise _not_kind(
                filename,
                "the content",
                ".gpkg file (its first bytes do not match)",
                "tệp .gpkg (các byte đầu không khớp)",
                data,
            )
        if data[68:72] not in GPKG_APPLICATION_IDS:
            raise _error(
                filename,
                "the content is an SQLite database but not a GeoPackage (its application_id is not "
                "'GPKG'); export the layer as a GeoPackage.",
                "nội dung là cơ sở dữ liệu SQLite nhưng không phải GeoPackage (application_id không phải "
                "'GPKG'); hãy xuất lớp dữ liệu thành GeoPackage.",
            )
        return suffix
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        raise _not_kind(
            filename,
            "the content",
            f"{suffix} file (its first bytes do not match)",
            f"tệp {suffix} (các byte đầu không khớp)",
            data,
        )
    if not GEOJSON_TYPE.search(data[: 2**20]):
        raise _error(
            filename,
            'the content is JSON but not a GeoJSON FeatureCollection (no "type": "FeatureCollection" '
            'or "Feature" near its start); export the layer as GeoJSON.',
            'nội dung là JSON nhưng không phải GeoJSON FeatureCollection (không thấy "type": '
            '"FeatureCollection" hay "Feature" ở phần đầu); hãy xuất lớp dữ liệu thành GeoJSON.',
        )
    return ".geojson"


def _codec(name: str) -> str | None:
    text = name.strip().lower().replace("ansi", "").replace("windows-", "cp").replace("windows", "cp").strip()
    text = re.sub(r"^(\d{3,5})$", r"cp\1", text)
    if text in {"cp65001", "utf8"}:
        text = "utf-8"
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def _dbf_encoding(dbf: bytes) -> str:
    body = dbf[32:]
    if all(b < 0x80 for b in body):
        return "ascii"
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1258"


def _shp_ok(content: bytes) -> bool:
    """ESRI shapefile main file or index: file code 9994 (0x0000270A, big-endian), version 1000."""
    return (
        len(content) >= 100
        and content[:4] == b"\x00\x00\x27\x0a"
        and int.from_bytes(content[28:32], "little") == 1000
    )


def _dbf_ok(content: bytes) -> bool:
    """dBase table: a known version byte, a plausible header length, the 0x0D field terminator."""
    if len(content) < 33 or content[0] not in DBF_VERSIONS:
        return False
    header = int.from_bytes(content[8:10], "little")
    if not 33 <= header <= len(content) or int.from_bytes(content[10:12], "little") < 1:
        return False
    return any(content[i] == 0x0D for i in range(32, min(header, len(content)), 32))


def _text_ok(content: bytes, limit: int) -> bool:
    """A small sidecar text (.prj, .cpg): bounded, no NUL, not XML."""
    return len(content) <= limit and b"\x00" not in content and not content.lstrip().startswith(b"<")


MEMBER_CHECKS = {
    ".shp": (_shp_ok, "shapefile main file (file code 9994)", "tệp chính của shapefile (mã tệp 9994)"),
    ".shx": (_shp_ok, "shapefile index (file code 9994)", "tệp chỉ mục của shapefile (mã tệp 9994)"),
    ".dbf": (_dbf_ok, "dBase attribute table", "bảng thuộc tính dBase"),
    ".prj": (lambda c: _text_ok(c, 64 * 1024), "projection text (.prj)", "văn bản hệ tọa độ (.prj)"),
    ".cpg": (lambda c: _text_ok(c, 64), "code page text (.cpg)", "văn bản bảng mã (.cpg)"),
}


def _damaged(filename: str) -> BoundaryError:
    return _error(
        filename,
        "the zip archive is damaged (a member does not unpack to what its header says); zip the files again.",
        "tệp zip bị hỏng (một tệp bên trong giải nén không khớp với phần đầu của nó); hãy nén lại các tệp.",
    )


def _zip_members(data: bytes, filename: str) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive and its file members, after the bounds: member count, unpacked size, names."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError, EOFError, OSError):
        raise _damaged(filename) from None
    if not members:
        raise _error(
            filename,
            "the zip is empty; zip the shapefile's .shp, .shx, .dbf and .prj files.",
            "tệp zip rỗng; hãy nén các tệp .shp, .shx, .dbf và .prj của shapefile.",
        )
    if len(members) > MAX_ZIP_MEMBERS:
        raise _error(
            filename,
            f"the zip holds {len(members)} files, more than {MAX_ZIP_MEMBERS} files; zip only the "
            "shapefile's .shp, .shx, .dbf, .prj and .cpg.",
            f"tệp zip chứa {len(members)} tệp, nhiều hơn {MAX_ZIP_MEMBERS} tệp; hãy chỉ nén các tệp .shp, "
            ".shx, .dbf, .prj và .cpg của shapefile.",
        )
    if sum(m.file_size for m in members) > MAX_UNZIPPED_BYTES:
        raise _error(
            filename,
            f"the zip unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB.",
            f"tệp zip giải nén ra hơn {MAX_UNZIPPED_BYTES // 2**20} MB.",
        )
    for member in members:
        name = member.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            shown = name if len(name) < 80 else name[:77] + "…"
            raise _error(
                filename,
                f"the zip holds a member with an absolute or parent path ({shown}); zip the files "
                "from inside their folder.",
                f"tệp zip chứa tệp có đường dẫn tuyệt đối hoặc đi ngược thư mục ({shown}); hãy nén các tệp "
                "từ bên trong thư mục của chúng.",
            )
    return archive, members


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, filename: str) -> bytes:
    """A member's bytes, at most its declared size (zipfile checks the CRC at the end)."""
    try:
        with archive.open(member) as handle:
            content = handle.read(member.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise _damaged(filename) from None
    except RuntimeError:  # encrypted member
        raise _error(
            filename,
            "the zip is password-protected; zip the files without a password.",
            "tệp zip có mật khẩu; hãy nén các tệp không đặt mật khẩu.",
        ) from None
    if len(content) > member.file_size:
        raise _damaged(filename)
    return content


def _extract_shapefile(
    data: bytes, filename: str, folder: Path, encoding: str | None
) -> tuple[Path, str, str]:
    """Write the shapefile members of a zip to ``folder`` under fixed names, after checking each
    member's content; return (.shp path, codec, how it was chosen). Members of other kinds
    (.sbn, .qix, .xml...) are ignored and never written."""
    archive, members = _zip_members(data, filename)
    shps = [
        m for m in members if m.filename.lower().endswith(".shp") and "__macosx" not in m.filename.lower()
    ]
    if not shps:
        raise _error(
            filename,
            "the zip holds no .shp file; zip the shapefile's .shp, .shx, .dbf and .prj.",
            "tệp zip không chứa tệp .shp nào; hãy nén các tệp .shp, .shx, .dbf và .prj của shapefile.",
        )
    if len(shps) > 1:
        names = ", ".join(m.filename for m in shps)
        raise _error(
            filename,
            f"the zip holds {len(shps)} shapefiles ({names}); upload one at a time.",
            f"tệp zip chứa {len(shps)} shapefile ({names}); hãy tải lên từng cái một.",
        )
    stem = str(PurePosixPath(shps[0].filename).with_suffix(""))
    found: dict[str, bytes] = {}
    for member in members:
        path = PurePosixPath(member.filename)
        ext = path.suffix.lower()
        if str(path.with_suffix("")) == stem and ext in MEMBER_CHECKS:
            content = _read_member(archive, member, filename)
            check, what_en, what_vi = MEMBER_CHECKS[ext]
            if not check(content):
                raise _not_kind(filename, member.filename, what_en, what_vi, content)
            found[ext] = content
    missing = [ext for ext in (".shx", ".dbf") if ext not in found]
    if missing:
        raise _error(
            filename,
            f"{stem}.shp comes without {' and '.join(missing)}; add the missing file(s) to the zip.",
            f"{stem}.shp thiếu tệp {' và '.join(missing)}; hãy thêm vào tệp zip.",
        )
    for ext in (".shp", ".shx", ".dbf", ".prj"):
        if ext in found:
            (folder / f"layer{ext}").write_bytes(found[ext])
    if encoding:
        codec, how = _codec(encoding), "chosen"
        if codec is None:
            raise _error(
                filename,
                f"unknown text encoding {encoding!r}; use e.g. utf-8 or cp1258.",
                f"bảng mã {encoding!r} không hợp lệ; hãy dùng ví dụ utf-8 hoặc cp1258.",
            )
    elif ".cpg" in found:
        label = found[".cpg"].decode("ascii", "replace").strip()
        codec, how = _codec(label), "cpg"
        if codec is None:
            raise _error(
                filename,
                f"the .cpg names an unknown code page {label!r}; fix the .cpg (e.g. UTF-8 or "
                "1258) or remove it.",
                f"tệp .cpg ghi bảng mã không rõ {label!r}; hãy sửa .cpg (ví dụ UTF-8 "
                "hoặc 1258) hoặc bỏ tệp này.",
            )
    else:
        codec, how = _dbf_encoding(found[".dbf"]), "detected"
    return folder / "layer.shp", codec, how


def _nfc_text(frame: pd.DataFrame, decode: str | None) -> pd.DataFrame:
    """NFC-normalise text columns (and re-decode latin-1-read bytes with ``decode``)."""

    def fix(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if decode:
            value = value.encode("latin-1", "replace").decode(decode, "replace")
        return unicodedata.normalize("NFC", value)

    out = frame.copy()
    renamed = {c: fix(c) for c in out.columns if c != out.geometry.name}
    out = out.rename(columns=renamed)
    for col in out.columns:
        if col != out.geometry.name and (out[col].dtype == object or pd.api.types.is_string_dtype(out[col])):
            out[col] = out[col].map(fix)
    return out


@dataclass(frozen=True)
class RawBoundaries:
    """A boundary file as read, before reprojection checks and matching."""

    features: gpd.GeoDataFrame  # in the file's CRS (None when unknown), NFC text
    encoding: str  # text codec used ("" for formats that define it: GPKG/GeoJSON are UTF-8)
    encoding_how: str  # "cpg", "detected", "chosen" or ""


def read_file(data: bytes, filename: str, *, encoding: str | None = None) -> RawBoundaries:
    """Read an uploaded boundary file (checks size, type, archive content, geometry type)."""
    suffix = _check_kind(data, filename)
    with tempfile.TemporaryDirectory() as tmp:
        if suffix == ".zip":
            shp, codec, how = _extract_shapefile(data, filename, Path(tmp), encoding)
            gdal_encoding = "UTF-8" if codec in {"utf-8", "ascii"} else "ISO-8859-1"
            features = safe_ogr.read_vector(shp, filename, encoding=gdal_encoding)
            features = _nfc_text(features, None if gdal_encoding == "UTF-8" else codec)
        else:
            path = Path(tmp) / f"upload{suffix}"
            path.write_bytes(data)
            features = _nfc_text(safe_ogr.read_vector(path, filename), None)
            codec, how = "utf-8", ""
    if len(features) == 0:
        raise _error(filename, "the file has no features.", "tệp không có đối tượng nào.")
    kinds = set(features.geometry.dropna().geom_type)
    if not kinds or not kinds <= {"Polygon", "MultiPolygon"}:
        shown = ", ".join(sorted(kinds)) or "none"
        raise _error(
            filename,
            f"the geometries are {shown}; commune boundaries must be polygons.",
            f"hình học là {shown}; ranh giới xã phải là vùng (polygon).",
        )
    return RawBoundaries(features, codec, how)


# ---------------------------------------------------------------- coordinates
def _is_vn2000_without_datum(crs: CRS) -> bool:
    if crs.is_bound:
        return False
    geodetic = crs.geodetic_crs
    if geodetic is not None and geodetic.to_epsg() == 4756:
        return False
    datum = (crs.datum.name if crs.datum else "").lower()
    if re.search(r"vn[-_ ]?2000|vietnam[-_ ]?2000", datum):
        return True
    params = {
        p.name.lower(): p.value for p in (crs.coordinate_operation.params if crs.coordinate_operation else [])
    }
    scale = params.get("scale factor at natural origin")
    ellipsoid = crs.ellipsoid.name if crs.ellipsoid else ""
    method = crs.coordinate_operation.method_name.lower() if crs.coordinate_operation else ""
    return (
        "transverse mercator" in method
        and scale is not None
        and abs(scale - 0.9999) < 1e-9
        and "WGS 84" in ellipsoid
    )


def _with_vn2000_datum(crs: CRS) -> CRS:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        proj4 = crs.to_proj4()
    proj4 = re.sub(r"\+(datum|towgs84|nadgrids)=\S+", "", proj4)
    return CRS.from_proj4(f"{proj4} {VN2000_TOWGS84}")


def datum_shift_m(crs_without: CRS, crs_with: CRS, lon: float = 106.76, lat: float = 21.85) -> float:
    """Ground distance (m) between reading VN-2000 coordinates without and with datum parameters."""
    x, y = Transformer.from_crs("EPSG:4326", crs_with, always_xy=True).transform(lon, lat)
    lon2, lat2 = Transformer.from_crs(crs_without, "EPSG:4326", always_xy=True).transform(x, y)
    return float(Geod(ellps="WGS84").inv(lon, lat, lon2, lat2)[2])


def _inside(points: gpd.GeoSeries) -> np.ndarray:
    x0, y0, x1, y1 = PROVINCE_BBOX
    return ((points.x >= x0) & (points.x <= x1) & (points.y >= y0) & (points.y <= y1)).to_numpy()


def _fitting_choice(features: gpd.GeoDataFrame, tried: CRS) -> str | None:
    points = features.geometry.representative_point()
    for key, (_, _, definition) in CRS_CHOICES.items():
        if CRS(definition) == tried:
            continue
        try:
            moved = gpd.GeoSeries(points.to_numpy(), crs=definition).to_crs(bnd.WEB_CRS)
        except Exception:
            continue
        if _inside(moved).all():
            return key
    return None


def to_wgs84(
    raw: RawBoundaries, filename: str, *, crs: str | None = None
) -> tuple[gpd.GeoDataFrame, str, list[tuple[str, str]]]:
    """Reproject to EPSG:4326 and check the features land in Lạng Sơn.

    Returns (features in EPSG:4326, source CRS description, notes as (vi, en) pairs).

    Raises
    ------
    BoundaryError
        No CRS in the file and none chosen; unknown ``crs``; features outside Lạng Sơn.
    """
    features = raw.features
    notes: list[tuple[str, str]] = []
    if crs:
        definition = CRS_CHOICES[crs][2] if crs in CRS_CHOICES else crs
        try:
            source = CRS(definition)
        except Exception as exc:
            raise _error(
                filename,
                f"unknown CRS {crs!r}; choose one of: {_crs_list('en')}.",
                f"hệ tọa độ {crs!r} không hợp lệ; hãy chọn một trong: {_crs_list('vi')}.",
            ) from exc
        if features.crs is not None and CRS(features.crs) != source:
            notes.append(
                (
                    f"Dùng hệ tọa độ đã chọn ({crs}) thay cho hệ ghi trong tệp.",
                    f"Using the chosen CRS ({crs}) instead of the one in the file.",
                )
            )
        features = features.set_crs(source, allow_override=True)
    elif features.crs is None:
        raise _error(
            filename,
            "the file does not say its coordinate reference system (no .prj). Choose the CRS "
            f"the coordinates were made in: {_crs_list('en')}.",
            f"tệp không ghi hệ tọa độ (thiếu tệp .prj). Hãy chọn hệ tọa độ của dữ liệu: {_crs_list('vi')}.",
        )
    source = CRS(features.crs)
    if _is_vn2000_without_datum(source):
        fixed = _with_vn2000_datum(source)
        shift = (
            datum_shift_m(source, fixed, *features.geometry.union_all().centroid.coords[0])
            if source.is_geographic
            else datum_shift_m(source, fixed, *_centroid_lonlat(features, source))
        )
        notes.append(
            (
                f"Hệ tọa độ VN-2000 trong tệp thiếu tham số chuyển đổi datum; đã áp dụng 7 tham số chính thức "
                f"(QĐ 05/2007/QĐ-BTNMT). Nếu không, ranh giới sẽ lệch khoảng {shift:.0f} m.",
                f"The file's VN-2000 CRS lacks datum parameters; the official 7 parameters (Decision "
                f"05/2007/QĐ-BTNMT) were applied. Without them the boundaries would be off by about {shift:.0f} m.",
            )
        )
        features = features.set_crs(fixed, allow_override=True)
    label = source.name if source.name and source.name != "unknown" else (source.to_proj4() or str(source))
    try:
        moved = features.to_crs(bnd.WEB_CRS)
    except Exception as exc:
        raise _error(
            filename,
            f"cannot reproject from {label} to WGS84 ({exc}).",
            f"không chuyển được từ {label} sang WGS84 ({exc}).",
        ) from exc
    points = moved.geometry.representative_point()
    inside = _inside(points)
    if not inside.all():
        n_out = int((~inside).sum())
        x, y = points[~inside].iloc[0].x, points[~inside].iloc[0].y
        swapped = gpd.GeoSeries(
            shapely.transform(features.geometry.representative_point().to_numpy(), lambda c: c[:, ::-1]),
            crs=features.crs,
        ).to_crs(bnd.WEB_CRS)
        if _inside(swapped).all():
            hint_en, hint_vi = (
                "x and y look swapped (latitude given first): swap the columns or axes and upload again.",
                "x và y có vẻ bị đảo (vĩ độ đứng trước): hãy đổi chỗ hai trục rồi tải lại.",
            )
        else:
            key = _fitting_choice(features, CRS(features.crs))
            if key:
                hint_en = (
                    f"the coordinates fit Lạng Sơn in {CRS_CHOICES[key][1]}: the CRS or zone in the file is "
                    f"probably wrong; choose {key}."
                )
                hint_vi = (
                    f"tọa độ khớp với Lạng Sơn nếu dùng {CRS_CHOICES[key][0]}: hệ tọa độ hoặc múi chiếu ghi "
                    f"trong tệp có lẽ sai; hãy chọn {key}."
                )
            else:
                hint_en = (
                    "check the CRS (a wrong UTM/TM-3° zone or x/y swapped) and that the file is Lạng Sơn's."
                )
                hint_vi = "hãy kiểm tra hệ tọa độ (sai múi UTM/TM-3° hoặc đảo x/y) và tệp có đúng của Lạng Sơn không."
        raise _error(
            filename,
            f"{n_out} of {len(moved)} features land outside Lạng Sơn after reprojection from {label} "
            f"(e.g. feature {int(np.flatnonzero(~inside)[0]) + 1} at lon {x:.4f}, lat {y:.4f}); {hint_en}",
            f"{n_out}/{len(moved)} đối tượng nằm ngoài Lạng Sơn sau khi chuyển từ {label} (ví dụ đối tượng "
            f"{int(np.flatnonzero(~inside)[0]) + 1} ở kinh độ {x:.4f}, vĩ độ {y:.4f}); {hint_vi}",
        )
    return moved, label, notes


def _centroid_lonlat(features: gpd.GeoDataFrame, source: CRS) -> tuple[float, float]:
    centre = features.geometry.union_all().centroid
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Transformer.from_crs(source, "EPSG:4326", always_xy=True).transform(centre.x, centre.y)


# ---------------------------------------------------------------- matching
def _column_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", str(name).replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "_", text.encode("ascii", "ignore").decode().lower()).strip("_")


def _find_column(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    keys = {_column_key(c): c for c in columns}
    return next((keys[a] for a in aliases if a in keys), None)


def _code(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    text = str(value).strip()
    text = text[:-2] if re.fullmatch(r"\d+\.0", text) else text
    return text.zfill(5) if re.fullmatch(r"\d{1,5}", text) else None


def _row(
    i: int,
    code: str | None,
    name: str,
    district: str,
    rule: str | None,
    reason: tuple[str, str] | None,
    suggestions: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    return {
        "row": i + 1,
        "code": code,
        "name": name,
        "district": district,
        "rule": rule,
        "reason_vi": reason[0] if reason else "",
        "reason_en": reason[1] if reason else "",
        "suggestions": suggestions or [],
    }


def _suggest(key: str, district_code: str | None, official: pd.DataFrame) -> list[dict[str, Any]]:
    from rapidfuzz import fuzz, process

    pool = official[official["district_code"] == district_code] if district_code else official
    found = process.extract(
        key,
        dict(zip(pool["commune_code"], pool["name_key"], strict=True)),
        scorer=fuzz.WRatio,
        limit=3,
        score_cutoff=70,
    )
    by_code = official.set_index("commune_code")
    return [
        {
            "code": code,
            "name": by_code.at[code, "name_with_type"],
            "district": by_code.at[code, "district_name"],
            "score": round(float(score)),
        }
        for _, score, code in found
    ]


def match_features(
    features: gpd.GeoDataFrame, filename: str, confirmed: Mapping[int, str] | None = None
) -> tuple[list[int | None], dict[str, Any]]:
    """Match each feature to an official unit; returns (unit code per feature or None, report).

    Rules, in order: GSO code; district + canonical name (type word respected when written);
    a user-confirmed suggestion (``confirmed``: 1-based feature number -> code). Report keys:
    ``matched``, ``unmatched`` (with reason and fuzzy ``suggestions``), ``duplicates`` (features
    claiming one unit), ``units_without_feature``; each row has ``row`` (1-based feature number),
    ``code``, ``name``, ``district`` (as written), ``rule``, ``reason_vi``, ``reason_en``.
    """
    official = official_units()
    codes_known = set(official["commune_code"])
    columns = [c for c in features.columns if c != features.geometry.name]
    code_col = _find_column(columns, CODE_COLUMNS)
    name_col = _find_column(columns, NAME_COLUMNS)
    district_col = _find_column(columns, DISTRICT_COLUMNS)
    if code_col is None and name_col is None:
        raise _error(
            filename,
            f"no unit code or name column found among: {', '.join(columns) or '(none)'}. Name "
            "the code column commune_code (or MA_XA) and the name column TEN_XA (with HUYEN for the district).",
            f"không thấy cột mã hay tên đơn vị trong các cột: {', '.join(columns) or '(không có)'}. Hãy "
            "đặt tên cột mã là commune_code (hoặc MA_XA) và cột tên là TEN_XA (kèm cột HUYEN).",
        )
    district_of = dict(zip(official["district_key"], official["district_code"], strict=False))
    by_key: dict[tuple[str, str], list[int]] = {}
    for i, unit in official.iterrows():
        by_key.setdefault((unit["district_code"], unit["name_key"]), []).append(i)
    confirmed = {int(k): str(v) for k, v in (confirmed or {}).items()}

    assigned: list[int | None] = []
    rows: list[dict[str, Any]] = []
    for i, feature in enumerate(features.itertuples(index=False)):
        values = feature._asdict()
        name = str(values.get(name_col) or "") if name_col else ""
        district = str(values.get(district_col) or "") if district_col else ""
        raw_code = values.get(code_col) if code_col else None
        code = _code(raw_code)
        if feature_geometry_empty(values[features.geometry.name]):
            assigned.append(None)
            rows.append(
                _row(i, code, name, district, None, ("đối tượng không có hình học", "empty geometry"))
            )
            continue
        if code in codes_known:
            assigned.append(code)
            rows.append(_row(i, code, name, district, "code", None))
            continue
        district_code = district_of.get(name_key(district)) if district else None
        kind, key = split_unit_name(name) if name else (None, "")
        candidates = by_key.get((district_code, key), []) if district_code else []
        if kind is not None:
            candidates = [c for c in candidates if official.at[c, "unit_type"] == kind]
        bad_code = code_col is not None and str(raw_code or "").strip() not in ("", "nan", "None")
        if len(candidates) == 1:
            unit_code = official.at[candidates[0], "commune_code"]
            assigned.append(unit_code)
            note = (
                (
                    f"mã {raw_code!s} không có trong danh mục; khớp theo huyện và tên",
                    f"code {raw_code!s} is not in the list; matched by district and name",
                )
                if bad_code
                else None
            )
            rows.append(_row(i, unit_code, name, district, "district+name", note))
            continue
        if confirmed.get(i + 1) in codes_known:
            assigned.append(confirmed[i + 1])
            rows.append(_row(i, confirmed[i + 1], name, district, "confirmed", None))
            continue
        if bad_code:
            reason = (
                f"mã {raw_code!s} không có trong danh mục GSO 2015 của Lạng Sơn",
                f"code {raw_code!s} is not in Lạng Sơn's GSO 2015 list",
            )
        elif not name:
            reason = ("không có mã và không có tên", "no code and no name")
        elif not district_code:
            reason = (
                f"không xác định được huyện {district!r}" if district else "thiếu tên huyện để khớp theo tên",
                f"district {district!r} not recognised" if district else "no district to match the name in",
            )
        elif len(candidates) > 1:
            reason = (
                "tên khớp nhiều đơn vị cùng huyện; hãy ghi rõ Xã/Phường/Thị trấn",
                "name matches several units of the district; write Xã/Phường/Thị trấn",
            )
        else:
            reason = (f"không có đơn vị tên {name!r} ở huyện này", f"no unit named {name!r} in that district")
        assigned.append(None)
        rows.append(
            _row(i, code, name, district, None, reason, _suggest(key, district_code, official) if key else [])
        )

    counts = pd.Series([c for c in assigned if c is not None]).value_counts()
    twice = set(counts[counts > 1].index)
    report = {
        "matched": [r for r, c in zip(rows, assigned, strict=True) if c is not None and c not in twice],
        "unmatched": [r for r, c in zip(rows, assigned, strict=True) if c is None],
        "duplicates": [
            r
            | {
                "reason_vi": "nhiều đối tượng cùng khớp một đơn vị",
                "reason_en": "several features match this unit",
            }
            for r, c in zip(rows, assigned, strict=True)
            if c in twice
        ],
        "units_without_feature": [
            {"code": u.commune_code, "name": u.name_with_type, "district": u.district_name}
            for u in official.itertuples()
            if u.commune_code not in set(assigned)
        ],
    }
    return assigned, report


def feature_geometry_empty(geometry: Any) -> bool:
    return geometry is None or shapely.is_empty(geometry)


# ---------------------------------------------------------------- check against the reference
#: a unit is misplaced when its representative point lies farther than this from the reference
#: polygon of the same code (m), or its area ratio to that polygon is outside AREA_RATIO_RANGE
MISPLACED_BUFFER_M = 1000.0
#: ... or more than this (m) from it while inside another reference unit (small urban wards)
NEIGHBOUR_TOLERANCE_M = 250.0
AREA_RATIO_RANGE = (0.4, 2.5)
#: a median offset from the reference above this (m) questions the CRS (two digitisations of
#: the same boundaries differ by tens of metres; a datum or scale error by hundreds)
OFFSET_QUESTION_M = 100.0


def _median_offset_m(points: gpd.GeoSeries, reference_points: gpd.GeoSeries) -> float:
    """Length (m) of the median displacement vector between matched points (both in WORK_CRS)."""
    dx = np.median(points.x.to_numpy() - reference_points.x.to_numpy())
    dy = np.median(points.y.to_numpy() - reference_points.y.to_numpy())
    return float(np.hypot(dx, dy))


def misplaced_units(
    communes: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, rows: Mapping[str, int] | None = None
) -> list[dict[str, Any]]:
    """Units whose uploaded polygon disagrees with the reference polygon of the same code.

    ``communes`` and ``reference`` have ``commune_code`` and polygons (any CRS); ``rows`` maps a
    code to the 1-based feature number in the file. A unit disagrees when its representative
    point is more than :data:`MISPLACED_BUFFER_M` from the reference polygon (or more than
    :data:`NEIGHBOUR_TOLERANCE_M` and inside another reference unit), or its area ratio
    is outside :data:`AREA_RATIO_RANGE` (codes shifted by a row, a wrong file). Each row gives
    ``row``, ``code``, ``name``, ``district``, ``distance_m`` (centroid to centroid),
    ``area_ratio``, ``lies_in`` (code and name of the reference unit holding the point, if any),
    ``reason_vi``, ``reason_en``.
    """
    ref = reference.set_index("commune_code").to_crs(bnd.WORK_CRS)
    up = communes[communes["commune_code"].isin(ref.index)].to_crs(bnd.WORK_CRS)
    if up.empty:
        return []
    ref_geom = gpd.GeoSeries(ref.geometry.loc[up["commune_code"]].to_numpy(), crs=bnd.WORK_CRS)
    points = gpd.GeoSeries(up.geometry.representative_point().to_numpy(), crs=bnd.WORK_CRS)
    gap = points.distance(ref_geom).to_numpy()
    in_other = np.zeros(len(up), dtype=bool)
    near = np.flatnonzero(gap > NEIGHBOUR_TOLERANCE_M)
    if len(near):
        hits = ref.sindex.query(points.iloc[near].to_numpy(), predicate="within")
        in_other[near[np.unique(hits[0])]] = True
    far = (gap > MISPLACED_BUFFER_M) | in_other
    ratio = up.geometry.area.to_numpy() / np.maximum(ref_geom.area.to_numpy(), 1.0)
    odd = (ratio < AREA_RATIO_RANGE[0]) | (ratio > AREA_RATIO_RANGE[1])
    distance = up.geometry.centroid.distance(ref_geom.centroid, align=False).to_numpy()
    out = []
    for i in np.flatnonzero(far | odd):
        unit = up.iloc[i]
        holder = ref.index[ref.geometry.contains(points.iloc[i])]
        lies_in = {"code": holder[0], "name": ref.at[holder[0], "name_with_type"]} if len(holder) else None
        where_en = f"; its polygon lies in {lies_in['name']} ({lies_in['code']})" if lies_in else ""
        where_vi = f"; vùng của nó nằm trong {lies_in['name']} ({lies_in['code']})" if lies_in else ""
        out.append(
            {
                "row": (rows or {}).get(unit["commune_code"]),
                "code": unit["commune_code"],
                "name": unit["name_with_type"],
                "district": unit["district_name"],
                "distance_m": round(float(distance[i])),
                "area_ratio": round(float(ratio[i]), 2),
                "lies_in": lies_in,
                "reason_vi": f"cách ranh giới tham chiếu {distance[i] / 1000:.1f} km, diện tích gấp "
                f"{ratio[i]:.2f} lần{where_vi}",
                "reason_en": f"{distance[i] / 1000:.1f} km from the reference boundary, area "
                f"{ratio[i]:.2f} × the reference{where_en}",
            }
        )
    return out


def _crs_suggestion(
    raw: gpd.GeoDataFrame, keep: list[int], codes: list[str], reference: gpd.GeoDataFrame, used: float
) -> tuple[str, float] | None:
    """(key of CRS_CHOICES, median offset in m) of a definition that puts the file's coordinates
    clearly closer to the reference than the one used (``used`` m), or None."""
    if raw.crs is None or not CRS(raw.crs).is_projected:
        return None
    ref = reference.set_index("commune_code").to_crs(bnd.WORK_CRS)
    ref_points = gpd.GeoSeries(ref.geometry.loc[codes].centroid.to_numpy(), crs=bnd.WORK_CRS)
    centres = raw.geometry.iloc[keep].centroid.to_numpy()
    best: tuple[str, float] | None = None
    for key, (_, _, definition) in CRS_CHOICES.items():
        candidate = CRS(definition)
        if not candidate.is_projected or candidate == CRS(raw.crs):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            moved = gpd.GeoSeries(centres, crs=candidate).to_crs(bnd.WORK_CRS)
        offset = _median_offset_m(moved, ref_points)
        if best is None or offset < best[1]:
            best = (key, offset)
    if best is not None and best[1] < min(used / 2, OFFSET_QUESTION_M):
        return best
    return None


# ---------------------------------------------------------------- the whole import
@dataclass(frozen=True)
class BoundaryImport:
    """An uploaded boundary file, reprojected and matched.

    ``communes``: matched units (one row per unit matched exactly once) in the commune contract
    (:data:`ntm_geo.geo.boundaries.COMMUNE_COLUMNS`), EPSG:4326, coverage cleaned, ``area_km2`` in km²
    (equal-area), ``population_2009`` from the built-in census boundaries (people).
    """

    filename: str
    communes: gpd.GeoDataFrame
    report: dict[str, Any]
    source_crs: str
    encoding: str
    notes: tuple[tuple[str, str], ...] = field(default=())

    offset_m: float | None = None

    @property
    def complete(self) -> bool:
        """Every official unit has exactly one polygon, none disagrees with the reference and the
        CRS is not in question (required to save)."""
        r = self.report
        return not (
            r["duplicates"] or r["units_without_feature"] or r.get("misplaced") or r.get("crs_suggestion")
        )

    def summary(self, lang: str = "vi") -> str:
        r = self.report
        n = (len(r["matched"]), len(r["unmatched"]), len(r["duplicates"]), len(r["units_without_feature"]))
        bad = len(r.get("misplaced", []))
        if lang == "vi":
            text = f"{n[0]} khớp, {n[1]} không khớp, {n[2]} trùng, {n[3]} đơn vị chưa có ranh giới"
            return text + (f", {bad} đơn vị lệch khỏi ranh giới tham chiếu" if bad else "")
        text = f"{n[0]} matched, {n[1]} unmatched, {n[2]} duplicates, {n[3]} units without a polygon"
        return text + (f", {bad} units disagreeing with the reference boundaries" if bad else "")


def import_boundaries(
    data: bytes,
    filename: str,
    *,
    crs: str | None = None,
    encoding: str | None = None,
    confirmed: Mapping[int, str] | None = None,
    reference: gpd.GeoDataFrame | None = None,
) -> BoundaryImport:
    """Read, reproject, check and match an uploaded boundary file (see the module docstring).

    Parameters
    ----------
    data, filename : the upload's bytes and name (the extension chooses the format).
    crs : key of :data:`CRS_CHOICES`, EPSG code or PROJ string; needed when the file has no CRS.
    encoding : shapefile text codec, overriding ``.cpg`` and detection ("utf-8", "cp1258", ...).
    confirmed : {1-based feature number: unit code} — fuzzy suggestions the user accepted.
    reference : the boundaries in use (for ``population_2009`` and the check of each unit's place,
        :func:`misplaced_units`, and of the CRS: median offset, a better-fitting choice); loaded
        when not given.

    Raises
    ------
    BoundaryError
        Every refusal, naming the file and saying how to fix it.
    """
    raw = read_file(data, filename, encoding=encoding)
    moved, label, notes = to_wgs84(raw, filename, crs=crs)
    codes, report = match_features(moved, filename, confirmed)
    twice = {r["code"] for r in report["duplicates"]}
    keep = [i for i, c in enumerate(codes) if c is not None and c not in twice]
    if not keep:
        raise _error(
            filename,
            "no feature could be matched to a Lạng Sơn unit; check the code and name columns.",
            "không đối tượng nào khớp được với đơn vị của Lạng Sơn; hãy kiểm tra cột mã và cột tên.",
        )
    official = official_units().set_index("commune_code")
    reference = reference if reference is not None else bnd.load_boundaries().communes
    population = dict(zip(reference["commune_code"], reference["population_2009"], strict=True))
    chosen = [codes[i] for i in keep]
    communes = (
        gpd.GeoDataFrame(
            {
                "commune_code": chosen,
                "district_code": official.loc[chosen, "district_code"].to_numpy(),
                "name": official.loc[chosen, "name"].to_numpy(),
                "name_with_type": official.loc[chosen, "name_with_type"].to_numpy(),
                "unit_type": official.loc[chosen, "unit_type"].to_numpy(),
                "district_name": official.loc[chosen, "district_name"].to_numpy(),
                "population_2009": [int(population.get(c, 0)) for c in chosen],
                "assessed": official.loc[chosen, "assessed"].astype(bool).to_numpy(),
            },
            geometry=shapely.make_valid(moved.geometry.iloc[keep].to_numpy()),
            crs=bnd.WEB_CRS,
        )
        .sort_values("commune_code")
        .reset_index(drop=True)
    )
    communes = bnd.clean_coverage(communes)
    communes["area_km2"] = bnd.area_km2(communes).to_numpy()
    communes = communes[bnd.COMMUNE_COLUMNS]
    if raw.encoding_how == "detected" and raw.encoding != "ascii":
        notes.append(
            (
                f"Tệp không có .cpg; đã đọc chữ theo bảng mã {raw.encoding}.",
                f"No .cpg in the file; text was read as {raw.encoding}.",
            )
        )
    rows = {codes[i]: i + 1 for i in keep}
    report["misplaced"] = misplaced_units(communes, reference, rows)
    ref_points = gpd.GeoSeries(
        reference.set_index("commune_code")
        .loc[communes["commune_code"]]
        .to_crs(bnd.WORK_CRS)
        .centroid.to_numpy(),
        crs=bnd.WORK_CRS,
    )
    offset = _median_offset_m(communes.to_crs(bnd.WORK_CRS).centroid.reset_index(drop=True), ref_points)
    notes.append(
        (
            f"Hệ tọa độ đã dùng: {label}. Độ lệch trung vị so với ranh giới tham chiếu: {offset:.0f} m.",
            f"CRS used: {label}. Median offset from the reference boundaries: {offset:.0f} m.",
        )
    )
    suggestion = (
        None if crs else _crs_suggestion(raw.features, keep, [codes[i] for i in keep], reference, offset)
    )
    report["crs_suggestion"] = (
        {
            "key": suggestion[0],
            "offset_m": round(suggestion[1], 1),
            "label_vi": CRS_CHOICES[suggestion[0]][0],
            "label_en": CRS_CHOICES[suggestion[0]][1],
        }
        if suggestion
        else None
    )
    if suggestion:
        key, better = suggestion
        notes.append(
            (
                f"Ranh giới lệch {offset:.0f} m so với tham chiếu; nếu đọc theo {CRS_CHOICES[key][0]} thì chỉ "
                f"lệch {better:.0f} m. Tệp .prj có lẽ ghi định nghĩa VN-2000 chung (ví dụ k = 0,9996, không "
                f"có tham số datum): hãy chọn hệ tọa độ {key} rồi nhập lại (hoặc chọn rõ hệ trong tệp nếu "
                "đúng là nó).",
                f"The boundaries are {offset:.0f} m off the reference; read in {CRS_CHOICES[key][1]} they "
                f"would be {better:.0f} m off. The .prj probably holds a generic VN-2000 definition (e.g. "
                f"k = 0.9996, no datum parameters): choose the CRS {key} and import again (or choose the "
                "file's own CRS explicitly if it is right).",
            )
        )
    return BoundaryImport(filename, communes, report, label, raw.encoding, tuple(notes), round(offset, 1))


def boundaries_source_line(lang: str = "vi") -> str:
    """The maps' source line, naming the boundaries in use (issue 14 item 4).

    The built-in censusVN2009 boundaries (``i18n`` key ``source_line``), or — when a boundary
    set was uploaded and is active (:func:`ntm_geo.datasets.store.list_boundary_sets`, last one)
    — its name, id, upload date and source CRS. Unit codes are GSO 2015 in both cases.
    """
    from ntm_geo.i18n import t

    sets = store.list_boundary_sets()
    if not sets:
        return t("source_line", lang)
    active = sets[-1]
    day = active.uploaded_at[:10]
    if lang == "vi":
        return (
            f"Ranh giới: «{active.name}» do tỉnh tải lên ngày {day} ({active.id}; hệ tọa độ gốc "
            f"{active.source_crs}); mã đơn vị: Tổng cục Thống kê 2015."
        )
    return (
        f"Boundaries: «{active.name}», uploaded by the province on {day} ({active.id}; source CRS "
        f"{active.source_crs}); unit codes: GSO 2015."
    )


def to_boundaries(communes: gpd.GeoDataFrame) -> bnd.Boundaries:
    """A :class:`~ntm_geo.geo.boundaries.Boundaries` set (web simplification, districts) from saved communes."""
    communes_web = bnd.simplify_coverage(communes)
    return bnd.Boundaries(communes, communes_web, bnd.dissolve_districts(communes_web))


def save(
    result: BoundaryImport, name: str, uploaded_by: str, *, password: str | None
) -> store.BoundaryRecord:
    """Save an import as the active boundaries (editor password; only when :attr:`complete`)."""
    if not result.complete:
        r = result.report
        missing = ", ".join(f"{u['name']} ({u['district']})" for u in r["units_without_feature"][:10])
        wrong = ", ".join(f"{u['name']} ({u['district']})" for u in r.get("misplaced", [])[:10])
        crs_en = crs_vi = ""
        if r.get("crs_suggestion"):
            key = r["crs_suggestion"]["key"]
            crs_en = f" The CRS is in question: import again choosing {key}."
            crs_vi = f" Hệ tọa độ cần xem lại: hãy nhập lại và chọn {key}."
        raise DataError(
            f"{result.filename}: cannot save: {len(r['units_without_feature'])} unit(s) have no polygon "
            f"({missing}), {len(r['duplicates'])} feature(s) claim an already matched unit and "
            f"{len(r.get('misplaced', []))} unit(s) disagree with the reference boundaries ({wrong}). Every "
            f"one of the 226 units needs exactly one polygon, in its place.{crs_en}",
            f"{result.filename}: không lưu được: {len(r['units_without_feature'])} đơn vị chưa có ranh giới "
            f"({missing}), {len(r['duplicates'])} đối tượng trùng đơn vị và {len(r.get('misplaced', []))} "
            f"đơn vị lệch khỏi ranh giới tham chiếu ({wrong}). Cả 226 đơn vị đều cần đúng một vùng, đúng "
            f"vị trí.{crs_vi}",
            file=result.filename,
        )
    return store.save_boundaries(
        name or result.filename,
        uploaded_by,
        result.communes,
        result.report,
        source_crs=result.source_crs,
        password=password,
    )
