"""Hostile boundary uploads (issue 10, items 1 and 5): files that are not what they say.

Every attack file is made here, in the test (nothing hostile is committed): a GDAL OGR VRT
disguised as each accepted member type, a GDAL "streamed algorithm" disguised as GeoJSON, a plain
SQLite database disguised as a GeoPackage, an SSRF VRT aimed at a local ``http.server`` that must
receive no request, zips with false size headers, bombs, too many members and odd member names.
Each attack is run through :func:`ntm_geo.geo.boundary_upload.import_boundaries` and through the
command line (``python -m ntm_geo import-boundaries``): the secret never appears anywhere, no
temp or server path appears in any message, the exit status is 2 with a JSON error object.
"""

from __future__ import annotations

import http.server
import io
import json
import sqlite3
import struct
import threading
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest

from ntm_geo import __main__ as cli
from ntm_geo.errors import BoundaryError
from ntm_geo.geo import boundary_upload as bu

SECRET = "hunter2-editor-password"


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture
def secrets_file(tmp_path: Path) -> Path:
    """A stand-in for ``.streamlit/secrets.toml`` (read by the VRT through GDAL's CSV driver)."""
    folder = tmp_path / "server" / ".streamlit"
    folder.mkdir(parents=True)
    path = folder / "secrets.toml"
    path.write_text(
        f'editor_password,WKT\n"{SECRET}","POLYGON((106.7 21.8,106.8 21.8,106.8 21.9,106.7 21.8))"\n'
    )
    return path


def vrt(source: str) -> bytes:
    """An OGR VRT layer reading ``source`` (a file through the CSV driver, or a URL).

    On the code before the fix, the ``.shp`` variant returned the secret as a feature attribute
    and the URL variant made GDAL send a HEAD request."""
    return (
        "<OGRVRTDataSource><OGRVRTLayer name='communes'>"
        f"<SrcDataSource>{source}</SrcDataSource><SrcLayer>secrets</SrcLayer>"
        "<GeometryType>wkbPolygon</GeometryType>"
        "<GeometryField encoding='WKT' field='WKT'/>"
        "</OGRVRTLayer></OGRVRTDataSource>"
    ).encode()


@pytest.fixture(scope="module")
def small_shapefile(tmp_path_factory, boundaries) -> dict[str, bytes]:
    """The members of a genuine two-commune shapefile (.shp, .shx, .dbf, .prj, .cpg)."""
    folder = tmp_path_factory.mktemp("genuine")
    frame = boundaries.communes[["commune_code", "name_with_type", "geometry"]].head(2)
    pyogrio.write_dataframe(frame, folder / "xa.shp", encoding="UTF-8")
    return {p.suffix: p.read_bytes() for p in folder.iterdir()}


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def shapefile_with(small_shapefile: dict[str, bytes], ext: str, content: bytes) -> bytes:
    members = {f"xa{e}": b for e, b in small_shapefile.items()}
    members[f"xa{ext}"] = content
    return zipped(members)


def assert_refused_cleanly(data: bytes, filename: str, tmp_path: Path, match: str) -> BoundaryError:
    """Refused with a BoundaryError naming ``match``; no secret, no path in either language."""
    with pytest.raises(BoundaryError, match=match) as info:
        bu.import_boundaries(data, filename)
    err = info.value
    for text in (err.message_en, err.message_vi, str(err)):
        assert SECRET not in text
        assert str(tmp_path) not in text and "/tmp" not in text and "Traceback" not in text
    return err


def run_cli(capsys, path: Path, *args: str) -> tuple[int, dict, str]:
    status = cli.main(["import-boundaries", str(path), "--dry-run", "--json", *args])
    out = capsys.readouterr()
    return status, json.loads(out.out), out.err


def assert_cli_refuses(capsys, tmp_path: Path, data: bytes, name: str, match: str) -> dict:
    path = tmp_path / "upload" / name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    status, payload, err = run_cli(capsys, path)
    assert status == 2
    assert set(payload) == {"error"}
    assert set(payload["error"]) == {"message_vi", "message_en", "file", "row", "column"}
    assert payload["error"]["file"] == name
    text = json.dumps(payload, ensure_ascii=False) + err
    assert match in payload["error"]["message_en"]
    assert SECRET not in text and str(tmp_path / "server") not in text and "Traceback" not in text
    return payload


# ---------------------------------------------------------------- item 1: VRT disguised as each type
@pytest.mark.parametrize("ext", [".shp", ".shx", ".dbf"])
def test_vrt_disguised_as_a_shapefile_member_is_refused(small_shapefile, secrets_file, tmp_path, capsys, ext):
    data = shapefile_with(small_shapefile, ext, vrt(f"CSV:{secrets_file}"))
    err = assert_refused_cleanly(data, "ranh_gioi.zip", tmp_path, match=f"xa{ext} .*is not a")
    assert "VRT" in err.message_en and "VRT" in err.message_vi
    assert_cli_refuses(capsys, tmp_path, data, "ranh_gioi.zip", f"xa{ext}")


def test_vrt_disguised_as_geojson_is_refused(secrets_file, tmp_path, capsys):
    data = vrt(f"CSV:{secrets_file}")
    assert_refused_cleanly(data, "x.geojson", tmp_path, match=r"not a \.geojson file")
    assert_cli_refuses(capsys, tmp_path, data, "x.geojson", "not a .geojson file")


def test_vrt_disguised_as_geopackage_is_refused(secrets_file, tmp_path, capsys):
    data = vrt(f"CSV:{secrets_file}")
    assert_refused_cleanly(data, "x.gpkg", tmp_path, match=r"not a \.gpkg file")
    assert_cli_refuses(capsys, tmp_path, data, "x.gpkg", "not a .gpkg file")


def test_gdal_streamed_algorithm_disguised_as_geojson_is_refused(secrets_file, tmp_path, capsys):
    """JSON text that GDAL >= 3.11 would run as a pipeline ('GDALG' driver) reading the secret."""
    data = json.dumps(
        {
            "type": "gdal_streamed_alg",
            "command_line": f"gdal vector pipeline ! read CSV:{secrets_file} ! write --of stream streamed",
        }
    ).encode()
    assert_refused_cleanly(data, "x.geojson", tmp_path, match="not a GeoJSON FeatureCollection")
    assert_cli_refuses(capsys, tmp_path, data, "x.geojson", "not a GeoJSON FeatureCollection")


def test_gdal_streamed_algorithm_passing_the_sniff_is_stopped_by_the_driver_allow_list(tmp_path, capsys):
    """The same pipeline with a decoy Feature passes the first-bytes check; GDAL with every driver
    (this process) runs it and returns the secret, the sandboxed reader has no GDALG driver."""
    secret_csv = tmp_path / "server" / "secrets.csv"
    secret_csv.parent.mkdir()
    secret_csv.write_text(
        f'editor_password,WKT\n"{SECRET}","POLYGON((106.7 21.8,106.8 21.8,106.8 21.9,106.7 21.8))"\n'
    )
    data = json.dumps(
        {
            "type": "gdal_streamed_alg",
            "command_line": f"gdal vector pipeline ! read {secret_csv} ! write --of stream streamed_dataset",
            "features": [{"type": "Feature", "geometry": None, "properties": {}}],
        }
    ).encode()
    (tmp_path / "probe.geojson").write_bytes(data)
    assert SECRET in str(pyogrio.read_dataframe(tmp_path / "probe.geojson").to_dict("records"))  # the danger
    assert_refused_cleanly(data, "x.geojson", tmp_path, match="could not be read as vector data")
    assert_cli_refuses(capsys, tmp_path, data, "x.geojson", "could not be read as vector data")


def test_plain_sqlite_database_is_not_a_geopackage(tmp_path, capsys):
    path = tmp_path / "plain.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE t (x)")
    data = path.read_bytes()
    assert_refused_cleanly(data, "x.gpkg", tmp_path, match="application_id")
    assert_cli_refuses(capsys, tmp_path, data, "x.gpkg", "application_id")


# ---------------------------------------------------------------- item 1: SSRF
@pytest.fixture
def local_server():
    """A local HTTP server recording every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self) -> None:
            seen.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.end_headers()
            if self.command == "GET":
                self.wfile.write(b'WKT\n"POLYGON((106.7 21.8,106.8 21.8,106.8 21.9,106.7 21.8))"\n')

        do_GET = do_HEAD = _record

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("ext", [".shp", ".dbf"])
def test_ssrf_vrt_sends_no_request(small_shapefile, local_server, tmp_path, capsys, ext):
    url, seen = local_server
    for source in (f"CSV:/vsicurl/{url}/a.csv", f"{url}/b.geojson"):
        data = shapefile_with(small_shapefile, ext, vrt(source))
        assert_refused_cleanly(data, "x.zip", tmp_path, match="VRT")
        assert_cli_refuses(capsys, tmp_path, data, "x.zip", "VRT")
    assert seen == []


def test_gdal_network_access_is_off_for_the_process():
    as_read = {"NO": False, "TRUE": True, "OFF": False}  # pyogrio returns booleans and numbers parsed
    for key, value in bu.safe_ogr.NETWORK_OFF.items():
        parsed = as_read.get(value, int(value) if value.isdigit() else value)
        assert pyogrio.get_gdal_config_option(key) in (value, parsed), key


def test_child_reader_has_only_the_allowed_drivers():
    assert bu.safe_ogr.child_drivers() == sorted(bu.safe_ogr.ALLOWED_DRIVERS.values())


# ---------------------------------------------------------------- item 5: damaged zips and bombs
def test_zip_with_a_false_size_header_is_refused_without_traceback(small_shapefile, tmp_path, capsys):
    data = bytearray(shapefile_with(small_shapefile, ".dbf", small_shapefile[".dbf"]))
    # corrupt the compressed bytes of the first member: the CRC no longer matches
    offset = 30 + len("xa.cpg") + 2
    data[offset] ^= 0xFF
    data = bytes(data)
    err = assert_refused_cleanly(data, "x.zip", tmp_path, match="damaged")
    assert "CRC" not in err.message_en and "BadZipFile" not in str(err)
    assert_cli_refuses(capsys, tmp_path, data, "x.zip", "damaged")


def test_zip_bomb_is_refused_before_extracting(small_shapefile, tmp_path, capsys):
    members = {f"xa{e}": b for e, b in small_shapefile.items()}
    members["padding.txt"] = b"\x00" * (bu.MAX_UNZIPPED_BYTES + 1)  # compresses ~1000:1
    data = zipped(members)
    assert len(data) < 2 * 2**20
    assert_refused_cleanly(data, "x.zip", tmp_path, match="unpacks to more than")
    assert_cli_refuses(capsys, tmp_path, data, "x.zip", "unpacks to more than")


def test_too_many_members_are_refused(small_shapefile, tmp_path):
    members = {f"xa{e}": b for e, b in small_shapefile.items()}
    members |= {f"f{i}.txt": b"" for i in range(bu.MAX_ZIP_MEMBERS)}
    assert_refused_cleanly(zipped(members), "x.zip", tmp_path, match=f"more than {bu.MAX_ZIP_MEMBERS} files")


@pytest.mark.parametrize("name", ["/etc/xa.shp", "../xa.shp", "/vsicurl/xa.shp"])
def test_absolute_and_parent_member_names_are_refused(small_shapefile, tmp_path, name):
    members = {name[: -len(".shp")] + e: b for e, b in small_shapefile.items()}
    with zipfile.ZipFile(io.BytesIO(zipped(members))) as archive:
        assert any(n.startswith(("/", "..")) for n in archive.namelist()) or "vsi" in name
    assert_refused_cleanly(zipped(members), "x.zip", tmp_path, match="absolute or parent")


def test_empty_zip_says_empty(tmp_path, capsys):
    buffer = io.BytesIO()
    zipfile.ZipFile(buffer, "w").close()
    err = assert_refused_cleanly(buffer.getvalue(), "x.zip", tmp_path, match="the zip is empty")
    assert "renamed" not in err.message_en and "zip rỗng" in err.message_vi
    assert_cli_refuses(capsys, tmp_path, buffer.getvalue(), "x.zip", "the zip is empty")


def test_gdal_error_text_names_no_temp_path(tmp_path):
    """A GeoPackage header over garbage: GDAL's error names the temp file; the message must not."""
    data = b"SQLite format 3\x00" + b"\x00" * 52 + struct.pack(">I", 0x47504B47) + b"\x01" * 500
    err = assert_refused_cleanly(data, "x.gpkg", tmp_path, match="could not be read as vector data")
    assert "x.gpkg" in err.message_en


def test_genuine_files_still_read(small_shapefile, boundaries, tmp_path):
    raw = bu.read_file(zipped({f"a/xa{e}": b for e, b in small_shapefile.items()}), "x.zip")
    assert len(raw.features) == 2 and raw.features.crs is not None
    frame = boundaries.communes[["commune_code", "geometry"]].head(2)
    pyogrio.write_dataframe(frame, tmp_path / "x.gpkg")
    pyogrio.write_dataframe(frame, tmp_path / "x.geojson")
    for name in ("x.gpkg", "x.geojson"):
        got = bu.read_file((tmp_path / name).read_bytes(), name).features
        assert isinstance(got, gpd.GeoDataFrame) and list(got["commune_code"]) == list(frame["commune_code"])


def test_a_reader_over_its_memory_budget_is_stopped_with_a_clear_message(
    small_shapefile, monkeypatch, tmp_path
):
    monkeypatch.setattr(bu.safe_ogr, "CHILD_MEMORY_BYTES", 64 * 2**20)  # too little to even start GDAL
    data = zipped({f"xa{e}": b for e, b in small_shapefile.items()})
    err = assert_refused_cleanly(data, "x.zip", tmp_path, match="needs more memory or time than an upload")
    assert "giây CPU" in err.message_vi
