"""ntm_geo.maps.webassets: Leaflet copied from the installed package, local URLs, inlining."""

from __future__ import annotations

import os
import sys

import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.maps import webassets


def test_install_copies_files_and_is_idempotent(tmp_path):
    target = webassets.install_leaflet(tmp_path)
    assert target == tmp_path / "vendor" / "leaflet"
    for name in webassets.LEAFLET_FILES:
        assert (target / name).stat().st_size > 0
    js = (target / "leaflet.js").read_text(encoding="utf-8")
    assert "Leaflet 1.9.3" in js[:200]

    stamp = (target / ".installed").stat().st_mtime_ns
    os.utime(target / "leaflet.js", ns=(1, 1))
    webassets.install_leaflet(tmp_path)  # current: nothing rewritten
    assert (target / ".installed").stat().st_mtime_ns == stamp
    assert (target / "leaflet.js").stat().st_mtime_ns == 1


def test_install_repairs_a_missing_file(tmp_path):
    target = webassets.install_leaflet(tmp_path)
    (target / "leaflet.css").unlink()
    webassets.install_leaflet(tmp_path)
    assert (target / "leaflet.css").is_file()


def test_install_without_package_says_how_to_fix(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xstatic.pkg.leaflet", None)  # import fails
    with pytest.raises(ConfigError, match=r"pip install 'xstatic-leaflet==1\.9\.3\.0'"):
        webassets.install_leaflet(tmp_path)


def test_install_with_incomplete_package(tmp_path, monkeypatch):
    fake = tmp_path / "pkg"
    fake.mkdir()
    monkeypatch.setattr(webassets, "leaflet_source_dir", lambda: fake)
    with pytest.raises(ConfigError, match=r"lacks leaflet\.js, leaflet\.css"):
        webassets.install_leaflet(tmp_path / "static")


def test_local_urls_only_leaflet():
    urls = webassets.local_asset_urls()
    assert urls.js == (("leaflet", "/app/static/vendor/leaflet/leaflet.js"),)
    assert urls.css == (("leaflet_css", "/app/static/vendor/leaflet/leaflet.css"),)
    assert all("http" not in u for u in urls.urls())
    behind_proxy = webassets.local_asset_urls("/ntm/app/static/")
    assert behind_proxy.urls()[0] == "/ntm/app/static/vendor/leaflet/leaflet.js"


@pytest.mark.parametrize("prefix", ["app/static", "https://cdn.example/static", "//cdn/x"])
def test_local_urls_reject_non_local_prefix(prefix):
    with pytest.raises(ConfigError, match="url_prefix must be an absolute URL path"):
        webassets.local_asset_urls(prefix)


def test_inline_assets_replaces_tags():
    urls = webassets.local_asset_urls()
    page = (
        f'<head><script src="{urls.js[0][1]}"></script>'
        f'<link rel="stylesheet" href="{urls.css[0][1]}"/></head>'
    )
    out = webassets.inline_assets(page)
    assert "/app/static/" not in out
    assert "window.L" in out and ".leaflet-container" in out
    assert "url(data:image/png;base64," in out and "url(images/" not in out
    assert "sourceMappingURL" not in out
    assert out.count("</script>") == 1


def test_inline_assets_refuses_page_without_local_urls():
    with pytest.raises(ConfigError, match="references none of"):
        webassets.inline_assets('<script src="https://cdn.jsdelivr.net/leaflet.js"></script>')


def test_main_prints_target(tmp_path, capsys):
    assert webassets.main([str(tmp_path)]) == 0
    assert str(tmp_path / "vendor" / "leaflet") in capsys.readouterr().out


def test_client_script_is_compact_and_safe_to_inline():
    js = webassets.client_script()
    assert "window.ntmMap" not in js and "root.ntmMap = {" in js
    assert "</" not in js  # cannot close the <script> of a standalone export
    assert "/*" not in js and not any(line.startswith("//") for line in js.splitlines())
    assert len(js.encode()) < 5_000
    assert "http" not in js  # nothing fetched


def test_client_script_missing_file(tmp_path, monkeypatch):
    monkeypatch.setattr(webassets, "CLIENT_JS", tmp_path / "nope.js")
    monkeypatch.setattr(webassets, "_CLIENT_CACHE", {})
    with pytest.raises(ConfigError, match=r"map runtime .*nope\.js is missing"):
        webassets.client_script()
