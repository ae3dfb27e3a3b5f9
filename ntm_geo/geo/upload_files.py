"""Reading an uploaded boundary file: what it is, bounded, decoded (for :mod:`ntm_geo.geo.boundary_upload`).

Accepted files (at most :data:`MAX_BYTES`): a **zipped shapefile** (``.shp`` + ``.shx`` + ``.dbf``,
``.prj`` and ``.cpg`` when present, possibly in a sub-folder of the zip), a **GeoPackage**
(``.gpkg``, one polygon layer) or **GeoJSON**. A file whose content does not fit its extension
is refused.

Text
----
Shapefile text is read from GDAL as ISO-8859-1 (the ``.dbf`` bytes, lossless) and decoded here
in Python (GDAL's own CP1258 conversion drops the last character of every string): from the
``.cpg`` code page; without ``.cpg`` the bytes are tried as UTF-8, then as Windows-1258
(Vietnamese ANSI). Unless the user chose an encoding, UTF-8, Windows-1258 and Windows-1252 are
also scored by how many names are official unit names; a better one is used, with a note and a
sample (a ``.cpg`` naming the wrong code page). Every name is then normalised to Unicode NFC.

Safety
------
The upload's content is checked before anything is opened (magic bytes of the file and of every
zip member used; zips bounded before unpacking; a VRT refused under any name), then read by
:mod:`ntm_geo.geo.safe_ogr`: in a child process with only the ESRI Shapefile, GPKG and GeoJSON
GDAL drivers, no network, bounded in time and memory, its error text scrubbed of paths.
"""

from __future__ import annotations

import codecs
import io
import re
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import geopandas as gpd
import pandas as pd

from ntm_geo.errors import BoundaryError
from ntm_geo.geo import safe_ogr
from ntm_geo.geo.units import ascii_fold, name_key, official_units, split_unit_name

MAX_BYTES = 50 * 1024 * 1024
#: bounds checked on a zip's directory before anything is unpacked (a zip bomb is refused unread)
MAX_UNZIPPED_BYTES = 150 * 1024 * 1024
MAX_ZIP_MEMBERS = 40
EXTENSIONS = (".zip", ".gpkg", ".geojson", ".json")

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


#: code pages tried on a shapefile's names when the .cpg (or the detection) may be wrong
CANDIDATE_CODECS = ("utf-8", "cp1258", "cp1252")


def _decoded(value: str, codec: str) -> str | None:
    try:
        return unicodedata.normalize("NFC", value.encode("latin-1").decode(codec))
    except UnicodeError:
        return None


def _better_codec(features: pd.DataFrame, codec: str, how: str) -> tuple[str, tuple[str, str] | None]:
    """(codec, note): the code page under which most names are official unit names (read from
    ISO-8859-1 text holding the .dbf bytes); a note with a sample when it is not ``codec``."""
    columns = [c for c in features.columns if c != features.geometry.name]
    column = find_column(columns, NAME_COLUMNS) or find_column(columns, DISTRICT_COLUMNS)
    if column is None:
        return codec, None
    values = [v for v in features[column] if isinstance(v, str) and any(ord(ch) > 127 for ch in v)][:300]
    if not values:
        return codec, None
    keys = set(official_units()["name_key"]) | set(official_units()["district_key"])

    def score(candidate: str) -> int:
        texts = [_decoded(v, candidate) for v in values]
        if any(t is None for t in texts):
            return -1
        return sum(split_unit_name(t)[1] in keys or name_key(t) in keys for t in texts if t)

    scores = {c: score(c) for c in dict.fromkeys((codec, *CANDIDATE_CODECS))}
    best = max(scores, key=lambda c: (scores[c], c == codec))
    if best == codec or scores[best] <= max(scores[codec], 0):
        return codec, None
    sample = next(v for v in values if _decoded(v, best) != _decoded(v, codec))
    good, bad = (
        _decoded(sample, best),
        _decoded(sample, codec) or sample.encode("latin-1").decode(codec, "replace"),
    )
    said_en = f"the .cpg says {codec}" if how == "cpg" else f"the text looked like {codec}"
    said_vi = f"tệp .cpg ghi {codec}" if how == "cpg" else f"chữ có vẻ là {codec}"
    return best, (
        f"{said_vi} nhưng tên đọc đúng hơn theo {best} ({scores[best]}/{len(values)} tên khớp, so với "
        f"{max(scores[codec], 0)}): ví dụ «{good}» thay vì «{bad}». Đã đọc theo {best}; có thể chọn "
        "bảng mã khác để ghi đè.",
        f"{said_en} but the names decode better as {best} ({scores[best]} of {len(values)} names match, "
        f"against {max(scores[codec], 0)}): e.g. «{good}» instead of «{bad}». Read as {best}; choose "
        "another encoding to override.",
    )


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
    encoding_note: tuple[str, str] | None = None  # (vi, en): the names decode better than .cpg says


def read_file(data: bytes, filename: str, *, encoding: str | None = None) -> RawBoundaries:
    """Read an uploaded boundary file (checks size, type, archive content, geometry type)."""
    suffix = _check_kind(data, filename)
    note: tuple[str, str] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        if suffix == ".zip":
            shp, codec, how = _extract_shapefile(data, filename, Path(tmp), encoding)
            # the .dbf bytes as ISO-8859-1 (lossless), decoded here: codecs can then be compared
            features = safe_ogr.read_vector(shp, filename, encoding="ISO-8859-1")
            if how != "chosen":
                codec, note = _better_codec(features, codec, how)
            features = _nfc_text(features, codec)
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
    return RawBoundaries(features, codec, how, note)


# ---------------------------------------------------------------- attribute columns
def _column_key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", ascii_fold(name)).strip("_")


def find_column(columns: list[str], aliases: tuple[str, ...]) -> str | None:
    keys = {_column_key(c): c for c in columns}
    return next((keys[a] for a in aliases if a in keys), None)
