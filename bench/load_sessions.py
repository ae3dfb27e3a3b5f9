"""N concurrent sessions opening the map page without browsers, over Streamlit's own protocol.

Browsers on the project's two cores were the bottleneck of a 20-viewer test (median paint 25 s
while the server used 4 CPU-s), so they cannot measure the server. This bench speaks the
protocol of Streamlit's frontend instead (streamlit 1.67,
``streamlit/web/server/starlette/starlette_websocket.py``): a websocket to ``/_stcore/stream``
with the subprotocol ``streamlit`` and a same-origin ``Origin`` header, then one binary
``BackMsg{rerun_script: ClientState{query_string, page_script_hash=""}}`` -- what the frontend
sends when a page is opened -- and it decodes the ``ForwardMsg`` stream that comes back.

Per round of N sessions (all opened at once, after one warm-up session):

- **time to the map's message**: from sending ``rerun_script`` to the ``ForwardMsg`` delta holding
  the map component (``new_element.bidi_component``, ~107 KiB: on a first visit the map page sends the
  map first and stops, the controls follow once the browser says the map is drawn), p50 / p95 /
  max;
- **time to script_finished** of that first run;
- **server CPU per session**: (utime + stime of the server process, from ``/proc/PID/stat``, after
  the round minus before) / N;
- **server RSS** (``VmRSS`` of ``/proc/PID/status``) before, after the round, and 10 s after every
  session closed; and the peak (``VmHWM``).

The bench starts its own server (``tests/browser/harness.start_streamlit``: ``streamlit run app.py``
on a free loopback port) and stops it at the end, also on error or Ctrl-C. Only loopback traffic;
every wait has a deadline.

    python bench/load_sessions.py [--sessions 20,100] [--query "year=2015&theme=criteria"]
                                  [--vary] [--with-uploads] [--timeout 180] [--json FILE]

``--with-uploads`` runs each round (10 rounds of N, 1 s apart) without, then with
``bench/hostile_uploads.py`` importing every hostile table in another process: the other viewers' time to the map during hostile uploads,
as far as CPU contention on the shared cores goes (the import does not run inside this server:
uploads need an editor's sign-in on the data page).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import harness  # noqa: E402  (after the path set-up above)

CLK_TCK = os.sysconf("SC_CLK_TCK")
#: The map's element: the page's Leaflet component (components v2: ``bidi_component``; a v1
#: component would be ``component_instance``).
MAP_ELEMENTS = ("element:bidi_component", "element:component_instance")


def cpu_seconds(pid: int) -> float:
    """utime + stime of ``pid`` (and its threads), seconds, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # fields 14 and 15 of proc(5)


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak) of ``pid``, MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def _back_msg(query: str) -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_script_hash = ""
    msg.rerun_script.context_info.timezone = "Asia/Ho_Chi_Minh"
    msg.rerun_script.context_info.locale = "vi-VN"
    return msg.SerializeToString()


def _kind(frame: bytes) -> str:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(frame)
    kind = msg.WhichOneof("type") or "?"
    if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
        return "element:" + (msg.delta.new_element.WhichOneof("type") or "?")
    return kind


async def session(base_url: str, query: str, timeout: float) -> dict:
    """One page visit: seconds to the map's ForwardMsg and to script_finished, bytes received."""
    import websockets

    url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    out: dict = {"map_s": None, "finished_s": None, "bytes": 0, "messages": 0, "error": None}
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(
                url, subprotocols=["streamlit"], origin=base_url, max_size=64 * 2**20
            ) as ws:
                start = time.perf_counter()
                await ws.send(_back_msg(query))
                async for frame in ws:
                    if isinstance(frame, str):
                        continue
                    out["bytes"] += len(frame)
                    out["messages"] += 1
                    kind = _kind(frame)
                    now = time.perf_counter() - start
                    if kind in MAP_ELEMENTS and out["map_s"] is None:
                        out["map_s"] = now
                    if kind == "script_finished":
                        out["finished_s"] = now
                        break
    except TimeoutError:
        out["error"] = f"no script_finished within {timeout:.0f} s"
    except Exception as err:  # a failed session is counted, not fatal to the round
        out["error"] = f"{type(err).__name__}: {err}"
    return out


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


#: ``--vary``: twelve views (2 years x 3 themes x 2 schemes x the province or one district), so
#: the per-view caches are cold for most sessions of the first round.
VARIED = [
    f"year={y}&theme={t}&scheme={s}" + (f"&district={d}" if d else "")
    for y in (2011, 2015)
    for t in ("criteria", "poverty", "infrastructure")
    for s, d in (("natural_breaks", ""), ("quantiles", "186"))
]


async def _uploads_meanwhile(timeout: float, nice: int = 0) -> asyncio.subprocess.Process:
    """``bench/hostile_uploads.py`` (every hostile table, one after another) in its own process,
    at ``nice`` (0: the server's priority)."""
    return await asyncio.create_subprocess_exec(
        *(["nice", "-n", str(nice)] if nice else []),
        sys.executable,
        str(REPO / "bench" / "hostile_uploads.py"),
        "--timeout",
        str(min(timeout, 60)),
        cwd=REPO,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def round_of(
    n: int,
    base_url: str,
    pid: int,
    query: str | list[str],
    timeout: float,
    uploads: bool = False,
    repeats: int = 1,
    nice: int = 0,
) -> dict:
    cpu0, mem0 = cpu_seconds(pid), memory_mb(pid)
    importer = await _uploads_meanwhile(timeout, nice) if uploads else None
    if importer is not None:
        await asyncio.sleep(3)  # the importer's interpreter is up and importing the first file
    wall0 = time.perf_counter()
    queries = [query] if isinstance(query, str) else list(query)
    results: list[dict] = []
    for _ in range(repeats):
        # Repeated rounds (1 s apart) so that, with uploads, several hostile files meet some
        # sessions; the same repeats without uploads give the baseline. Figures over all sessions.
        results += await asyncio.gather(
            *(session(base_url, queries[i % len(queries)], timeout) for i in range(n))
        )
        await asyncio.sleep(1)
    wall = time.perf_counter() - wall0
    cpu1, mem1 = cpu_seconds(pid), memory_mb(pid)
    if importer is not None:
        try:
            await asyncio.wait_for(importer.wait(), timeout=15 * 60)
        except TimeoutError:
            importer.kill()
            await importer.wait()
    await asyncio.sleep(10)  # sessions closed: what the server keeps
    mem2 = memory_mb(pid)
    maps = [r["map_s"] for r in results if r["map_s"] is not None]
    done = [r["finished_s"] for r in results if r["finished_s"] is not None]
    return {
        "sessions": n,
        "hostile_uploads_meanwhile": uploads,
        "uploads_nice": nice if uploads else None,
        "ok": len(maps),
        "errors": sorted({r["error"] for r in results if r["error"]}),
        "wall_s": round(wall, 2),
        "map_p50_s": _pct(maps, 0.5),
        "map_p95_s": _pct(maps, 0.95),
        "map_max_s": max(maps, default=None),
        "finished_p50_s": _pct(done, 0.5),
        "finished_p95_s": _pct(done, 0.95),
        "server_cpu_s": round(cpu1 - cpu0, 2),
        "sessions_opened": len(results),
        "server_cpu_per_session_s": round((cpu1 - cpu0) / len(results), 3),
        "rss_before_mb": round(mem0["VmRSS"]),
        "rss_after_mb": round(mem1["VmRSS"]),
        "rss_10s_after_close_mb": round(mem2["VmRSS"]),
        "rss_peak_mb": round(mem1["VmHWM"]),
        "kib_per_session": round(statistics.mean(r["bytes"] for r in results) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", default="20,100", help="comma-separated N per round")
    p.add_argument("--query", default="year=2015&theme=criteria", help="the page's query string")
    p.add_argument("--vary", action="store_true", help="cycle over 12 views instead of one query")
    p.add_argument(
        "--repeats", type=int, help="rounds of N per figure, 1 s apart (default 1; 10 with --with-uploads)"
    )
    p.add_argument(
        "--uploads-nice", type=int, default=0, help="run the uploads' process at this nice level (e.g. 19)"
    )
    p.add_argument(
        "--with-uploads",
        action="store_true",
        help="also run each round again while bench/hostile_uploads.py imports every hostile table "
        "in another process (CPU contention on the same cores; not inside the server)",
    )
    p.add_argument("--timeout", type=float, default=180.0, help="deadline per session, s")
    p.add_argument("--json", type=Path, help="write the figures here too")
    args = p.parse_args(argv)
    env = {
        "NTM_GEO_BOUNDARY_MIRROR": os.environ.get(
            "NTM_GEO_BOUNDARY_MIRROR", "../shared/boundaries/censusVN2009"
        )
    }
    server = harness.start_streamlit(
        REPO / "app.py", log_path=harness.ARTIFACTS / "bench" / "load_sessions.log", env=env, timeout=120
    )
    rounds = []
    try:
        pid = server.process.pid
        warm = asyncio.run(session(server.base_url, args.query, args.timeout))
        print(
            f"warm-up session: map {warm['map_s']} s, finished {warm['finished_s']} s, error {warm['error']}"
        )
        if warm["map_s"] is None:
            print("the map's message never came; server log tail:\n" + server.log()[-2000:])
            return 1
        plan = [
            (int(x), u)
            for x in args.sessions.split(",")
            for u in ((False, True) if args.with_uploads else (False,))
        ]
        for n, uploads in plan:
            query = VARIED if args.vary else args.query
            repeats = args.repeats or (10 if args.with_uploads else 1)
            r = asyncio.run(
                round_of(n, server.base_url, pid, query, args.timeout, uploads, repeats, args.uploads_nice)
            )
            rounds.append(r)
            print(
                f"N={n:4}{' + hostile uploads' if uploads else ''}: {r['ok']}/{r['sessions_opened']} maps; to the map's message p50 {r['map_p50_s']:.2f} s, "
                f"p95 {r['map_p95_s']:.2f} s, max {r['map_max_s']:.2f} s; script_finished p50 "
                f"{r['finished_p50_s']:.2f} s; server CPU {r['server_cpu_s']:.1f} s = "
                f"{r['server_cpu_per_session_s']:.3f} s/session; RSS {r['rss_before_mb']} -> "
                f"{r['rss_after_mb']} MB (peak {r['rss_peak_mb']}, 10 s after close "
                f"{r['rss_10s_after_close_mb']}); {r['kib_per_session']} KiB/session"
                + (f"; errors: {r['errors']}" if r["errors"] else ""),
                flush=True,
            )
    finally:
        server.stop()
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        queries = VARIED if args.vary else [args.query]
        args.json.write_text(json.dumps({"queries": queries, "rounds": rounds}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
