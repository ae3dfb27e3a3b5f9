"""Helpers to drive a running Streamlit app in headless Chromium (Playwright, sync API).

No fixed sleeps: every wait polls a condition with a deadline. Used by ``conftest.py`` in this
folder; importable on its own for ad-hoc runs from the repo root
(``from tests.browser import harness; harness.start_streamlit(Path("app.py"))``).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-error"}

COMMUNE_SELECTOR = "path.ntm-commune"
FOLIUM_FRAME_HINT = "streamlit_folium"
"""Part of the component iframe's ``title`` (and URL): ``streamlit_folium.st_folium``."""


def chromium_path() -> str:
    """The Chromium binary: ``$NTM_GEO_CHROMIUM`` or Debian's ``/usr/bin/chromium``."""
    return os.environ.get("NTM_GEO_CHROMIUM", "/usr/bin/chromium")


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    condition: Callable[[], object], *, timeout: float, interval: float = 0.1, what: str = ""
) -> object:
    """Poll ``condition`` until it returns a truthy value; raise ``TimeoutError`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_exc: BaseException | None = None
    while time.monotonic() < deadline:
        try:
            value = condition()
            if value:
                return value
        except Exception as exc:
            last_exc = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}: {last_exc!r}")


@dataclass
class StreamlitServer:
    """A ``streamlit run`` child process and where it answers."""

    process: subprocess.Popen
    base_url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate (then kill) the process this object started."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=timeout)


def start_streamlit(
    script: Path,
    *,
    cwd: Path = REPO,
    log_path: Path | None = None,
    extra_args: Sequence[str] = (),
    env: dict[str, str] | None = None,
    timeout: float = 60.0,
) -> StreamlitServer:
    """Run ``streamlit run SCRIPT --server.headless true --server.port PORT`` as a user would.

    Waits (polling, no fixed sleep) until ``/_stcore/health`` answers ``ok``.

    Raises
    ------
    RuntimeError
        If the process exits or the health check does not answer within ``timeout`` seconds;
        the message ends with the server log.
    """
    port = free_port()
    log_path = log_path or ARTIFACTS / f"streamlit-{port}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        *extra_args,
    ]  # fmt: skip
    run_env = {**os.environ, **(env or {})}
    run_env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), run_env.get("PYTHONPATH", "")) if p)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd, cwd=cwd, env=run_env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )  # fmt: skip
    server = StreamlitServer(process, f"http://127.0.0.1:{port}", log_path)
    health = f"{server.base_url}/_stcore/health"

    def healthy() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(health, timeout=2) as resp:
                return resp.status == 200 and resp.read().strip() == b"ok"
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    deadline = time.monotonic() + timeout
    while True:
        try:
            if healthy():
                return server
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}; log:\n{server.log()}") from None
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"no answer from {health} in {timeout}s; log:\n{server.log()}")
        time.sleep(0.2)


@dataclass
class NetworkLog:
    """Every request a page (and its iframes) makes; attach with ``page.on("request", log)``."""

    urls: list[str] = field(default_factory=list)

    def __call__(self, request) -> None:  # playwright.sync_api.Request
        self.urls.append(request.url)

    def external(self) -> list[str]:
        """Requests to anything but this machine (loopback) or in-page schemes."""
        out = []
        for url in self.urls:
            parts = urlparse(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            if parts.hostname not in LOCAL_HOSTS:
                out.append(url)
        return out


def folium_frame(page, *, timeout: float = 30.0):
    """The st_folium component iframe (``playwright.sync_api.Frame``).

    Found through its ``<iframe>`` element: ``page.frames`` is only refreshed while Playwright
    is called, so polling it between ``time.sleep`` calls would never see the frame appear.
    """
    handle = page.wait_for_selector(
        f"iframe[title*='{FOLIUM_FRAME_HINT}']", state="attached", timeout=timeout * 1000
    )
    return handle.content_frame()


MAP_BOX_SELECTOR = ".ntm-map-box"
"""The box of a map drawn in the page itself (``app_pages/leaflet_map.py``, no iframe)."""


def map_frame(page, *, timeout: float = 30.0):
    """Where the map's paths live (``playwright.sync_api.Frame``): the page itself for the app's
    map component (every page), else an ``st_folium`` iframe (the fixture app's demo).

    With one map in the page, ``frame.evaluate("document.querySelectorAll(...)")`` and
    ``frame.inner_text(".ntm-legend")`` read that map, as they read the iframe's document.
    """
    handle = page.wait_for_selector(
        f"{MAP_BOX_SELECTOR}, iframe[title*='{FOLIUM_FRAME_HINT}']", state="attached", timeout=timeout * 1000
    )
    return page.main_frame if handle.evaluate("e => e.tagName !== 'IFRAME'") else handle.content_frame()


def painted_fills(frame, selector: str = COMMUNE_SELECTOR) -> list[str]:
    """``fill`` of every matching SVG path that has a non-empty box (i.e. was painted)."""
    return frame.evaluate(
        """(sel) => Array.from(document.querySelectorAll(sel))
            .filter(p => { const b = p.getBBox(); return b.width > 0 && b.height > 0; })
            .map(p => p.getAttribute('fill'))""",
        selector,
    )


def wait_for_communes(page, n: int, *, timeout: float = 90.0) -> list[str]:
    """Wait until ``n`` commune paths are painted in the map; return their fill colours."""
    frame = map_frame(page, timeout=timeout)
    return wait_until(
        lambda: (fills := painted_fills(frame)) and len(fills) == n and fills,
        timeout=timeout,
        what=f"{n} painted {COMMUNE_SELECTOR} paths",
    )


def wait_for_fills_change(page, before: list[str], *, timeout: float = 30.0) -> list[str]:
    """Wait until the painted commune fills differ from ``before`` (same count); return them."""
    frame = map_frame(page)
    return wait_until(
        lambda: (f := painted_fills(frame)) and len(f) == len(before) and f != before and f,
        timeout=timeout,
        what="commune fills to change",
    )


def screenshot(page, name: str) -> Path:
    """Save a full-page PNG to ``artifacts/screenshots/<name>.png``; return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def choose_selectbox(page, label: str, option: str) -> None:
    """Pick ``option`` in the Streamlit selectbox whose label contains ``label``.

    Streamlit 1.67 renders a selectbox as an ARIA combobox (react-aria) with a listbox of options.
    """
    # A rerun still under way (Streamlit's running indicator) re-renders the selectbox and closes a
    # list opened meanwhile: wait until the app is idle, and open it again if it was closed anyway.
    page.wait_for_function(IDLE_JS, timeout=60_000)
    box = page.get_by_role("combobox", name=label)
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        box.click()
        try:
            wanted.wait_for(timeout=5_000)
            break
        except Exception:  # playwright's TimeoutError: the list did not open; try again
            page.wait_for_function(IDLE_JS, timeout=60_000)
    wanted.click()


#: True while no script run is under way (Streamlit shows its status widget during a run).
IDLE_JS = "!document.querySelector('[data-testid=\"stStatusWidget\"]')"
