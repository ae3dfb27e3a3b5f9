"""Time and peak memory of reading boundary uploads, genuine and hostile (issue 10 items 1 and 5).

Each file is built here from the real boundaries (nothing is written to the repository) and
imported with ``ntm_geo.geo.boundary_upload.import_boundaries`` — the code path of the data page
and of ``import-boundaries`` — in a fresh Python process per file; the bench prints the wall-clock
time, the peak RSS (Linux ``VmHWM``) of that process and of the GDAL reader it starts (the
sandbox child of :mod:`ntm_geo.geo.safe_ogr`), and the outcome (complete, or refused with the first words of the
message). Needs the boundary mirror (``NTM_GEO_BOUNDARY_MIRROR``).

    python bench/boundary_uploads.py
"""

from __future__ import annotations

import io
import json
import resource
import subprocess
import sys
import tempfile
import time
import warnings
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHILD = r"""
import json, sys, time, warnings
warnings.simplefilter("ignore")
sys.path.insert(0, sys.argv[3])
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo import boundary_upload as bu
data = open(sys.argv[1], "rb").read()
t0 = time.perf_counter()
try:
    result = bu.import_boundaries(data, sys.argv[2])
    outcome = "complete" if result.complete else "incomplete: " + result.summary("en")
except NtmGeoError as err:
    outcome = "refused: " + err.message_en[:90]
print(json.dumps({
    "s": round(time.perf_counter() - t0, 2),
    "rss_mb": round(int(next(l for l in open("/proc/self/status") if l.startswith("VmHWM")).split()[1]) / 1024),
    "reader_rss_mb": bu.safe_ogr.last_reader_peak_mb or "-",
    "outcome": outcome,
}))
"""


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def build(folder: Path) -> dict[str, Path]:
    """The bench files: name -> path."""
    import pyogrio

    from ntm_geo.geo import boundary_upload as bu
    from ntm_geo.geo.boundaries import load_boundaries

    communes = load_boundaries().communes
    table = communes[["commune_code", "name_with_type", "district_name", "geometry"]].rename(
        columns={"commune_code": "MA_XA", "name_with_type": "TEN_XA", "district_name": "HUYEN"}
    )
    shp = folder / "shp"
    shp.mkdir()
    pyogrio.write_dataframe(table.to_crs(bu.VN2000_LANG_SON_TM3), shp / "xa.shp", encoding="UTF-8")
    members = {f"xa{p.suffix}": p.read_bytes() for p in shp.iterdir()}
    files: dict[str, bytes] = {
        "genuine.zip": _zip(members),
        "vrt_as_shp.zip": _zip(
            members
            | {
                "xa.shp": b"<OGRVRTDataSource><OGRVRTLayer name='x'><SrcDataSource>CSV:/etc/passwd"
                b"</SrcDataSource></OGRVRTLayer></OGRVRTDataSource>"
            }
        ),
        "bomb.zip": _zip(members | {"pad.bin": b"\0" * (bu.MAX_UNZIPPED_BYTES + 1)}),
        "gdalg.geojson": json.dumps(
            {
                "type": "gdal_streamed_alg",
                "command_line": "gdal vector pipeline ! read /etc/passwd ! write --of stream x",
                "features": [{"type": "Feature"}],
            }
        ).encode(),
    }
    pyogrio.write_dataframe(table.to_crs("EPSG:3405"), folder / "genuine.gpkg")
    pyogrio.write_dataframe(table, folder / "genuine.geojson")
    paths = {name: folder / name for name in ("genuine.gpkg", "genuine.geojson")}
    for name, data in files.items():
        (folder / name).write_bytes(data)
        paths[name] = folder / name
    return paths


def main() -> int:
    warnings.simplefilter("ignore")
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp))
        print(f"{'file':<18} {'bytes':>10} {'s':>6} {'RSS MB':>7} {'reader MB':>9}  outcome")
        for name, path in paths.items():
            t0 = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", CHILD, str(path), name, str(REPO)],
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            wall = time.perf_counter() - t0
            try:
                row = json.loads(done.stdout.strip().splitlines()[-1])
            except (IndexError, json.JSONDecodeError):
                row = {"s": wall, "rss_mb": "?", "reader_rss_mb": "?", "outcome": done.stderr[-200:]}
            print(
                f"{name:<18} {path.stat().st_size:>10,} {row['s']:>6} {row['rss_mb']:>7} "
                f"{row['reader_rss_mb']:>9}  {row['outcome']}"
            )
    print(f"(bench process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
