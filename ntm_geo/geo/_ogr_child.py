"""Child process of :mod:`ntm_geo.geo.safe_ogr`: read one uploaded vector file with GDAL.

Run as ``python -s _ogr_child.py SPEC_JSON`` with ``GDAL_SKIP`` naming every vector driver but the
allowed ones; it imports no project module. It limits its own address space and CPU time (POSIX),
checks that GDAL registered no other vector driver, opens the file, checks the driver that
opened it, writes the layer as GeoParquet to ``out`` and prints one JSON line:
``{"ok": true}``, ``{"drivers": [...]}``, ``{"polygon_layers": [...]}`` or ``{"error": "..."}``.
"""

from __future__ import annotations

import json
import sys
import warnings
from typing import Any


def _limit(memory: int, cpu: int) -> None:
    try:
        import resource
    except ImportError:  # Windows: the parent's timeout still bounds the read
        return
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))


def _peak_rss_mb() -> float | None:
    """This process's peak resident memory (MB; Linux ``VmHWM``), reported for the bench."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _answer(payload: dict[str, Any]) -> None:
    print(json.dumps(payload | {"peak_rss_mb": _peak_rss_mb()}, ensure_ascii=False), flush=True)


def main(spec: dict[str, Any]) -> None:
    _limit(int(spec["memory"]), int(spec["cpu"]))
    import pyogrio

    drivers = sorted(pyogrio.list_drivers())
    if spec["op"] == "drivers":
        _answer({"drivers": drivers})
        return
    if set(drivers) - set(spec["allowed"]):  # GDAL_SKIP not applied: fail closed
        _answer({"error": "the reader is not restricted to the allowed drivers"})
        return
    path = spec["path"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = pyogrio.list_layers(path)
            polygonal = [str(n) for n, kind in layers if kind and "polygon" in str(kind).lower()]
            if len(polygonal) > 1:
                _answer({"polygon_layers": polygonal})
                return
            layer = polygonal[0] if polygonal else (str(layers[0][0]) if len(layers) else None)
            info = pyogrio.read_info(path, layer=layer)
            if info.get("driver") != spec["driver"]:
                _answer({"error": f"opened by driver {info.get('driver')}, not {spec['driver']}"})
                return
            frame = pyogrio.read_dataframe(path, layer=layer, encoding=spec.get("encoding"))
        if not hasattr(frame, "geometry"):
            _answer({"error": "the layer has no geometry column"})
            return
        frame.to_parquet(spec["out"])
    except MemoryError:
        _answer({"error": "the file needs more memory than an upload may use"})
        return
    except Exception as exc:  # GDAL: corrupt or unreadable; the parent scrubs paths from the text
        _answer({"error": str(exc)})
        return
    _answer({"ok": True})


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
