"""Open an uploaded vector file with GDAL safely: allowed drivers only, in a child process, no network.

GDAL picks a driver from a file's *content*, not its name: a ``.shp`` holding the text of an OGR
VRT (``<OGRVRTDataSource>``) is opened as a VRT, which can read any file the server can (its
``secrets.toml`` through the CSV driver) or send requests to any URL (SSRF); JSON text can be a
GDAL >= 3.11 "streamed algorithm" (driver ``GDALG``) that runs a pipeline. So an uploaded file is
opened here only

* after :mod:`ntm_geo.geo.boundary_upload` has checked its magic bytes,
* at a path this module chose (a file in a fresh temporary folder; never a name from the upload,
  never ``/vsi…``, a URL or an absolute path the upload could name — :func:`read_vector` refuses
  any other path),
* in a **child process** whose GDAL has every vector driver deregistered except
  :data:`ALLOWED_DRIVERS` (GDAL's ``GDAL_SKIP`` option, applied when GDAL registers its drivers —
  the mechanism PostGIS's ``postgis.gdal_enabled_drivers`` uses), and which must open it with the
  driver its extension names (checked with ``read_info``),
* with GDAL's network access off (:data:`NETWORK_OFF`, set for this process at import and passed
  to the child) and the child bounded in time (:data:`READ_TIMEOUT_S`) and, on POSIX, in address
  space (:data:`CHILD_MEMORY_BYTES`) and CPU seconds.

GDAL's own error text can name the temporary file; :func:`scrub` replaces every path by the
uploaded file's name before a message is built.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

from ntm_geo.errors import BoundaryError

#: extension -> the only GDAL driver allowed to open it
ALLOWED_DRIVERS: dict[str, str] = {".shp": "ESRI Shapefile", ".gpkg": "GPKG", ".geojson": "GeoJSON"}

#: GDAL configuration options that keep GDAL off the network (set for the whole process at import)
NETWORK_OFF: dict[str, str] = {
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".ntm-geo-no-network",  # /vsicurl/ opens no real file name
    "CPL_VSIL_CURL_USE_HEAD": "NO",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_CONNECTTIMEOUT": "1",
    "GDAL_DISABLE_READDIR_ON_OPEN": "TRUE",  # no directory listing of the temp folder
    "PROJ_NETWORK": "OFF",  # PROJ: no grid downloads
}
READ_TIMEOUT_S = 60.0
CHILD_MEMORY_BYTES = 3 * 2**30
CHILD_CPU_S = 60

_CHILD = Path(__file__).with_name("_ogr_child.py")

#: peak resident memory (MB) of the last reader child (Linux), for ``bench/boundary_uploads.py``
last_reader_peak_mb: float | None = None


def harden_process() -> None:
    """Turn GDAL's (and PROJ's) network access off in this process and for its children."""
    os.environ.update(NETWORK_OFF)
    pyogrio.set_gdal_config_options(dict(NETWORK_OFF))
    try:
        import pyproj.network

        pyproj.network.set_network_enabled(False)  # type: ignore[attr-defined]  # compiled module, no __all__
    except ImportError:  # pragma: no cover - pyproj is a dependency of geopandas
        pass


harden_process()


def _skip_list() -> str:
    # comma-separated: GDAL then splits on commas only, so "MapInfo File" is one name
    return ",".join(sorted(set(pyogrio.list_drivers()) - set(ALLOWED_DRIVERS.values())))


def _run_child(spec: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, **NETWORK_OFF, "GDAL_SKIP": _skip_list()}
    env.pop("PYTHONSTARTUP", None)
    spec = {
        **spec,
        "allowed": sorted(ALLOWED_DRIVERS.values()),
        "memory": CHILD_MEMORY_BYTES,
        "cpu": CHILD_CPU_S,
    }
    completed = subprocess.run(
        [sys.executable, "-s", str(_CHILD), json.dumps(spec)],
        capture_output=True,
        timeout=READ_TIMEOUT_S,
        env=env,
        check=False,
    )
    lines = completed.stdout.decode("utf-8", "replace").strip().splitlines()
    try:
        answer: dict[str, Any] = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return {"error": f"the reader stopped (exit status {completed.returncode})", "crashed": True}
    global last_reader_peak_mb
    last_reader_peak_mb = answer.get("peak_rss_mb")
    return answer


def child_drivers() -> list[str]:
    """The vector drivers the reading child process has (sorted): :data:`ALLOWED_DRIVERS`' values."""
    return list(_run_child({"op": "drivers"})["drivers"])


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:/vsi\w+/)?(?:[\\/][^\s'\"(),;:]+)+")


def scrub(text: str, folder: Path | str, filename: str) -> str:
    """``text`` with the temp folder replaced by ``filename`` and any other path by ``…``."""
    text = re.sub(re.escape(str(folder)) + r"[\\/]?[^\s'\"(),;:]*", filename, text)
    text = _PATH.sub("…", text)
    return text[:300]


def _error(filename: str, en: str, vi: str) -> BoundaryError:
    return BoundaryError(f"{filename}: {en}", f"{filename}: {vi}", file=filename)


def read_vector(path: Path, filename: str, *, encoding: str | None = None) -> gpd.GeoDataFrame:
    """Read the one polygon layer of ``path`` (a file this module's caller wrote into a fresh
    temporary folder) with the driver its extension names, in a sandboxed child process.

    Parameters
    ----------
    path : a ``.shp``, ``.gpkg`` or ``.geojson`` file in a temporary folder (absolute, local).
    filename : the upload's name, used in messages instead of any path.
    encoding : GDAL text encoding of a shapefile's ``.dbf`` (``"UTF-8"``, ``"ISO-8859-1"``...).

    Returns
    -------
    GeoDataFrame in the file's CRS (``None`` when it has none), attribute columns as read.

    Raises
    ------
    BoundaryError
        A path that is not a local file in a temp folder, an extension without an allowed
        driver, a file GDAL cannot read (its message scrubbed of paths), a GeoPackage with
        several polygon layers, a read over the time or memory budget.
    """
    path = Path(path)
    driver = ALLOWED_DRIVERS.get(path.suffix.lower())
    text = str(path)
    temp_root = Path(tempfile.gettempdir()).resolve()
    if (
        driver is None
        or "/vsi" in text.lower()
        or "://" in text
        or not path.is_file()
        or temp_root not in path.resolve().parents
    ):
        raise _error(
            filename,
            "refused: only a local .shp, .gpkg or .geojson file in the upload folder is opened.",
            "từ chối: chỉ mở tệp .shp, .gpkg hoặc .geojson cục bộ trong thư mục tải lên.",
        )
    out = path.with_name(path.stem + ".read.parquet")
    try:
        answer = _run_child(
            {"op": "read", "path": str(path), "driver": driver, "encoding": encoding, "out": str(out)}
        )
    except subprocess.TimeoutExpired:
        raise _error(
            filename,
            f"reading the file took more than {READ_TIMEOUT_S:.0f} s and was stopped.",
            f"đọc tệp mất hơn {READ_TIMEOUT_S:.0f} giây nên đã dừng.",
        ) from None
    if "polygon_layers" in answer:
        names = ", ".join(answer["polygon_layers"])
        n = len(answer["polygon_layers"])
        raise _error(
            filename,
            f"the GeoPackage has {n} polygon layers ({names}); keep only the commune layer.",
            f"GeoPackage có {n} lớp vùng ({names}); hãy chỉ giữ lớp ranh giới xã.",
        )
    if answer.get("crashed"):
        raise _error(
            filename,
            "reading the file was stopped: it needs more memory or time than an upload may use "
            f"({CHILD_MEMORY_BYTES // 2**30} GB, {CHILD_CPU_S} s of CPU), or it is damaged.",
            "việc đọc tệp đã bị dừng: tệp cần nhiều bộ nhớ hoặc thời gian hơn mức cho phép của một lần "
            f"tải lên ({CHILD_MEMORY_BYTES // 2**30} GB, {CHILD_CPU_S} giây CPU), hoặc tệp bị hỏng.",
        )
    if "error" in answer:
        detail = scrub(str(answer["error"]), path.parent, filename)
        raise _error(
            filename,
            f"could not be read as vector data (GDAL: {detail}).",
            f"không đọc được dữ liệu vector (GDAL: {detail}).",
        )
    frame = gpd.read_parquet(out)
    out.unlink(missing_ok=True)
    return frame
