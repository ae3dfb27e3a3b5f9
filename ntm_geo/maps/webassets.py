"""Serve the map's JavaScript and CSS from this machine, never from a CDN.

folium points Leaflet, jQuery, Bootstrap and Font Awesome at public CDNs; offline, the map area
stays blank. Our map needs only Leaflet (no markers, no Bootstrap widgets, no jQuery: tooltips,
legend and styling are plain Leaflet), so this module

1. copies Leaflet from the installed PyPI package ``xstatic-leaflet`` (pinned in
   ``requirements.txt``) into ``static/vendor/leaflet/`` (:func:`install_leaflet`; run
   ``python -m ntm_geo.maps.webassets`` at set-up, the app may also call it at start-up: it is a no-op
   when the files are in place);
2. gives the ``default_js`` / ``default_css`` lists that point folium at those files as served by
   Streamlit's static file serving (``[server] enableStaticServing = true``: ``./static/x`` next to
   ``app.py`` is served at ``/app/static/x``) (:func:`local_asset_urls`);
3. inlines the same files into a rendered page for a standalone HTML export that must work from
   a USB stick (:func:`inline_assets`).

How the map reaches the browser (streamlit-folium 0.27, read from its source): ``st_folium``
walks the map's elements, collects every ``default_js`` / ``default_css`` URL into ``js_links`` /
``css_links``, strips ``<script src>`` and ``<link rel=stylesheet>`` from the header, and the
component iframe then appends one ``<script src>`` per link and one ``<link>`` per stylesheet.
So replacing ``default_js`` / ``default_css`` on the map is enough for nothing to be fetched from
another host -- as long as no other element with CDN links (folium plugins, branca colormaps,
which add d3 from a CDN) is added to the map. ``tests/browser`` checks it by recording every
request the page makes.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

import base64
import hashlib
import importlib
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rjsmin

from ntm_geo.errors import ConfigError

__all__ = [
    "LEAFLET_FILES",
    "LEAFLET_PIN",
    "REPO_ROOT",
    "AssetUrls",
    "client_script",
    "inline_assets",
    "install_leaflet",
    "leaflet_source_dir",
    "loader_js",
    "local_asset_urls",
    "map_module_url",
    "publish_topology",
]

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository root: ``app.py`` lives here, so Streamlit serves ``REPO_ROOT / "static"``."""

LEAFLET_PIN = "xstatic-leaflet==1.9.3.0"
"""The requirements line that provides the Leaflet files (Leaflet 1.9.3, as folium 0.20 expects)."""

LEAFLET_FILES: tuple[str, ...] = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
"""Files copied from the package, relative to its data folder (source maps are left out)."""

VENDOR_SUBDIR = "vendor/leaflet"
"""Where the files go, relative to the app's ``static/`` folder."""

DEFAULT_URL_PREFIX = "/app/static"
"""URL path at which Streamlit serves ``static/``; prepend ``server.baseUrlPath`` if one is set."""

_STAMP = ".installed"


@dataclass(frozen=True)
class AssetUrls:
    """The scripts and styles a folium map loads, in folium's ``(name, url)`` form.

    Attributes
    ----------
    js : tuple of (str, str)
        Assigned to the map's ``default_js``.
    css : tuple of (str, str)
        Assigned to the map's ``default_css``.
    """

    js: tuple[tuple[str, str], ...]
    css: tuple[tuple[str, str], ...]

    def urls(self) -> list[str]:
        """Every URL, scripts first."""
        return [url for _, url in self.js] + [url for _, url in self.css]


def local_asset_urls(url_prefix: str = DEFAULT_URL_PREFIX) -> AssetUrls:
    """Leaflet js+css served by Streamlit from ``static/vendor/leaflet/``.

    Parameters
    ----------
    url_prefix : str, default "/app/static"
        URL path of the app's ``static/`` folder. Absolute (starting with ``/``) because the map is
        rendered inside a component iframe at ``/component/...``, where a relative URL would
        resolve elsewhere. Behind ``server.baseUrlPath = "ntm"`` pass ``"/ntm/app/static"``.

    Returns
    -------
    AssetUrls
        ``js = (("leaflet", ".../leaflet.js"),)``, ``css = (("leaflet_css", ".../leaflet.css"),)``.

    Examples
    --------
    >>> local_asset_urls().js
    (('leaflet', '/app/static/vendor/leaflet/leaflet.js'),)
    """
    if not url_prefix.startswith("/") or "//" in url_prefix:
        raise ConfigError(
            f"url_prefix must be an absolute URL path on this server such as '/app/static', "
            f"got {url_prefix!r}.",
            f"url_prefix phải là đường dẫn tuyệt đối trên máy chủ này, ví dụ '/app/static'; "
            f"nhận được {url_prefix!r}.",
        )
    base = f"{url_prefix.rstrip('/')}/{VENDOR_SUBDIR}"
    return AssetUrls(
        js=(("leaflet", f"{base}/leaflet.js"),),
        css=(("leaflet_css", f"{base}/leaflet.css"),),
    )


CLIENT_JS = Path(__file__).resolve().parent / "static" / "folium_runtime.js"
"""The map runtime (decodes the compact geometry, draws and restyles communes)."""

_CLIENT_CACHE: dict[str, str] = {}


def client_script() -> str:
    """The folium map runtime ``ntm_geo/maps/static/folium_runtime.js`` (standalone HTML export) (~3 KB), to inline in the base map's script.

    Inlined rather than served as ``static/vendor/...``: the st_folium iframe loads its scripts
    one after another, so a separate file would add a request to the chain before the first
    paint, for 3 KB sent once per map. Comment lines and indentation are dropped; ``</`` never
    appears (it could close the ``<script>`` of a standalone export).

    Raises
    ------
    ConfigError
        If the file is missing (a broken installation).
    """
    if "js" not in _CLIENT_CACHE:
        try:
            text = CLIENT_JS.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(
                f"The map runtime {CLIENT_JS} is missing; reinstall ntm-geo from its repository.",
                f"Thiếu tệp chạy bản đồ {CLIENT_JS}; hãy cài lại ntm-geo từ kho mã.",
            ) from exc
        lines = []
        in_comment = False
        for line in text.splitlines():
            stripped = line.strip()
            if in_comment:
                in_comment = "*/" not in stripped
                continue
            if stripped.startswith("/*"):
                in_comment = "*/" not in stripped
                continue
            if not stripped or stripped.startswith("//"):
                continue
            lines.append(stripped)
        _CLIENT_CACHE["js"] = "\n".join(lines).replace("</", "<\\/")
    return _CLIENT_CACHE["js"]


def leaflet_source_dir() -> Path:
    """The data folder of the installed ``xstatic-leaflet`` package.

    Raises
    ------
    ConfigError
        If the package is not installed (the message gives the pip command).
    """
    try:
        xstatic_leaflet = importlib.import_module("xstatic.pkg.leaflet")
    except ImportError as exc:
        raise ConfigError(
            f"The Leaflet web files are missing: package xstatic-leaflet is not installed. "
            f"Run: pip install '{LEAFLET_PIN}' (it is in requirements.txt).",
            f"Thiếu tệp Leaflet cho bản đồ: chưa cài gói xstatic-leaflet. "
            f"Chạy: pip install '{LEAFLET_PIN}' (có trong requirements.txt).",
        ) from exc
    return Path(xstatic_leaflet.BASE_DIR)


def _stamp_text(source: Path) -> str:
    sizes = ",".join(f"{name}:{(source / name).stat().st_size}" for name in LEAFLET_FILES)
    return f"{LEAFLET_PIN}\n{sizes}\n"


def install_leaflet(static_dir: Path | str | None = None, *, force: bool = False) -> Path:
    """Copy Leaflet's js, css and images into ``<static_dir>/vendor/leaflet/``.

    Idempotent and cheap when already done (one small stamp file is compared). Each file is
    written to a temporary name and renamed, so a running server never serves half a file.
    Copies rather than symlinks: Streamlit refuses static paths that resolve outside ``static/``.

    Parameters
    ----------
    static_dir : path, optional
        The app's static folder; default ``<repo>/static``.
    force : bool, default False
        Copy even when the stamp says the files are current.

    Returns
    -------
    Path
        The folder holding ``leaflet.js``, ``leaflet.css`` and ``images/``.

    Raises
    ------
    ConfigError
        If ``xstatic-leaflet`` is not installed or one of its files is missing.
    """
    source = leaflet_source_dir()
    missing = [name for name in LEAFLET_FILES if not (source / name).is_file()]
    if missing:
        raise ConfigError(
            f"The installed xstatic-leaflet at {source} lacks {', '.join(missing)}. "
            f"Reinstall it: pip install --force-reinstall '{LEAFLET_PIN}'.",
            f"Gói xstatic-leaflet tại {source} thiếu {', '.join(missing)}. "
            f"Cài lại: pip install --force-reinstall '{LEAFLET_PIN}'.",
        )
    target = Path(static_dir) if static_dir is not None else REPO_ROOT / "static"
    target = target / VENDOR_SUBDIR
    stamp = target / _STAMP
    wanted = _stamp_text(source)
    if (
        not force
        and stamp.is_file()
        and stamp.read_text(encoding="utf-8") == wanted
        and all((target / name).is_file() for name in LEAFLET_FILES)
    ):
        return target
    for name in LEAFLET_FILES:
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
        shutil.copyfile(source / name, tmp)
        os.replace(tmp, dest)
    stamp.write_text(wanted, encoding="utf-8")
    return target


_CSS_URL = re.compile(r"url\((images/[A-Za-z0-9_.-]+\.png)\)")
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


def _inline_css(source: Path) -> str:
    css = (source / "leaflet.css").read_text(encoding="utf-8")

    def data_uri(match: re.Match[str]) -> str:
        png = (source / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(png).decode('ascii')})"

    return _CSS_URL.sub(data_uri, css).replace("</", "<\\/")


def _inline_js(source: Path) -> str:
    js = (source / "leaflet.js").read_text(encoding="utf-8")
    return _SOURCE_MAP.sub("", js).replace("</script", "<\\/script")


def inline_assets(html: str, urls: AssetUrls | None = None) -> str:
    """Replace the local Leaflet ``<script src>`` / ``<link>`` tags of a page by inline copies.

    For a standalone HTML export (opened from disk, no server, no internet). The CSS images are
    inlined as ``data:`` URIs. The page grows by about 170 kB.

    Parameters
    ----------
    html : str
        A page rendered from a map built with ``asset_urls=urls`` (e.g. ``mapview.map_html``).
    urls : AssetUrls, optional
        The URLs to replace; default :func:`local_asset_urls`.

    Returns
    -------
    str
        The page with no reference left to ``leaflet.js`` / ``leaflet.css`` URLs.

    Raises
    ------
    ConfigError
        If the page references none of the URLs (it was built with other assets, e.g. CDN ones).
    """
    urls = urls or local_asset_urls()
    source = leaflet_source_dir()
    found = 0
    for _, url in urls.js:
        tag = f'<script src="{url}"></script>'
        found += html.count(tag)
        html = html.replace(tag, f"<script>{_inline_js(source)}</script>")
    for _, url in urls.css:
        tag = f'<link rel="stylesheet" href="{url}"/>'
        found += html.count(tag)
        html = html.replace(tag, f"<style>{_inline_css(source)}</style>")
    if not found:
        raise ConfigError(
            f"inline_assets: the page references none of {urls.urls()}; build the map with "
            f"build_base_map(..., asset_urls=local_asset_urls()) before exporting.",
            f"inline_assets: trang không tham chiếu tới {urls.urls()}; hãy tạo bản đồ bằng "
            f"build_base_map(..., asset_urls=local_asset_urls()) trước khi xuất.",
        )
    return html


MAP_MODULE = Path(__file__).resolve().parent / "static" / "ntm_map.js"
"""The map component's one JavaScript module (ES module; owns Leaflet in the app)."""

MAP_LOADER = Path(__file__).resolve().parent / "static" / "ntm_loader.js"
"""The map component's inline script (a template: :func:`loader_js` fills in its URLs)."""
_LOADER_URLS = 'const URLS = { module: "", scripts: [], styles: [] };'

MODULE_SUBDIR = "ntm"
TOPOLOGY_SUBDIR = "topo"


def _publish(data: bytes, static_dir: Path | str | None, subdir: str, stem: str, suffix: str) -> str:
    """Write ``data`` once as ``<static_dir>/<subdir>/<stem><sha256[:16]><suffix>``; return the
    path relative to ``static/``. The name changes with the content, so the browser may cache it
    for good; an existing file is not rewritten (written to a temporary name, then renamed)."""
    target = (Path(static_dir) if static_dir is not None else REPO_ROOT / "static") / subdir
    name = f"{stem}{hashlib.sha256(data).hexdigest()[:16]}{suffix}"
    dest = target / name
    if not dest.is_file() or dest.stat().st_size != len(data):
        target.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dest)
    return f"{subdir}/{name}"


def map_module_url(static_dir: Path | str | None = None, url_prefix: str = DEFAULT_URL_PREFIX) -> str:
    """Publish :data:`MAP_MODULE`, minified (comments and indentation dropped by ``rjsmin``:
    34 -> 23 KB), as ``static/ntm/ntm_map-<sha>.js`` and return its URL path (e.g.
    ``/app/static/ntm/ntm_map-0123456789abcdef.js``): versioned by its content.

    Raises
    ------
    ConfigError
        If the module file is missing (a broken installation).
    """
    try:
        data = rjsmin.jsmin(MAP_MODULE.read_text(encoding="utf-8")).encode("utf-8")
    except OSError as exc:
        raise ConfigError(
            f"The map module {MAP_MODULE.name} is missing; reinstall ntm-geo from its repository.",
            f"Thiếu tệp bản đồ {MAP_MODULE.name}; hãy cài lại ntm-geo từ kho mã.",
        ) from exc
    return f"{url_prefix.rstrip('/')}/{_publish(data, static_dir, MODULE_SUBDIR, 'ntm_map-', '.js')}"


def loader_js(module_url: str, assets: AssetUrls) -> str:
    """The map component's inline script: :data:`MAP_LOADER` with the module's and Leaflet's URL
    paths filled in, minified by ``rjsmin`` (it is sent with every map message: ~0.8 KB). It
    starts with a comment line ending in a newline: Streamlit takes a one-line string holding
    "/" for a file path, a string with a newline for inline code.

    Raises
    ------
    ConfigError
        If the template is missing or no longer holds its ``URLS`` line (a broken installation).
    """
    try:
        source = MAP_LOADER.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"The map loader {MAP_LOADER.name} is missing; reinstall ntm-geo from its repository.",
            f"Thiếu tệp bản đồ {MAP_LOADER.name}; hãy cài lại ntm-geo từ kho mã.",
        ) from exc
    if source.count(_LOADER_URLS) != 1:
        raise ConfigError(
            f"The map loader {MAP_LOADER.name} has no line {_LOADER_URLS!r} to fill in.",
            f"Tệp {MAP_LOADER.name} không có dòng {_LOADER_URLS!r} để điền địa chỉ.",
        )
    urls = {"module": module_url, "scripts": [u for _, u in assets.js], "styles": [u for _, u in assets.css]}
    filled = source.replace(_LOADER_URLS, f"const URLS = {json.dumps(urls, separators=(',', ':'))};")
    minified: str = rjsmin.jsmin(filled)
    return "// ntm-geo map loader\n" + minified


def topology_bytes(topo: dict[str, Any]) -> bytes:
    """The topology as the file the browser fetches: compact JSON, UTF-8."""
    return json.dumps(topo, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def publish_topology(
    topo: dict[str, Any], static_dir: Path | str | None = None, url_prefix: str = DEFAULT_URL_PREFIX
) -> str:
    """Write a map topology (:func:`ntm_geo.maps.topology.commune_topology`) once per boundary set
    as ``static/topo/<sha256[:16]>.json`` and return its URL path. The file is derived from the
    boundaries, so ``static/topo/`` is git-ignored like ``shapes/``."""
    path = _publish(topology_bytes(topo), static_dir, TOPOLOGY_SUBDIR, "", ".json")
    return f"{url_prefix.rstrip('/')}/{path}"


def main(argv: list[str] | None = None) -> int:
    """``python -m ntm_geo.maps.webassets [STATIC_DIR]``: place the Leaflet files, print where."""
    args = sys.argv[1:] if argv is None else argv
    target = install_leaflet(args[0] if args else None)
    print(f"Leaflet files in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
