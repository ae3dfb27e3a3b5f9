"""The one downloader of third-party files (ntm_geo.geo.download): both boundary sets use it."""

from __future__ import annotations

import hashlib

import pytest

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError
from ntm_geo.geo import boundaries, boundaries_2025, download

ENV = "NTM_GEO_TEST_MIRROR"


def _source(files: dict[str, bytes]) -> download.Source:
    return download.Source(
        base_url="https://example.invalid/data/",
        files={name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
        mirror_env=ENV,
        what=Bilingual("tệp thử", "the test file"),
        mirror_holds=Bilingual("các tệp thử", "the test files"),
        original=Bilingual("tệp gốc", "the original file"),
    )


@pytest.fixture
def mirror(tmp_path, monkeypatch):
    files = {"a.txt": b"alpha\n", "sub/b.txt": b"beta\n"}
    folder = tmp_path / "mirror"
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    monkeypatch.setenv(ENV, str(folder))
    return folder, files


def test_files_are_copied_from_the_mirror_checked_and_then_taken_from_the_cache(tmp_path, mirror):
    folder, files = mirror
    seen = []
    paths = download.fetch(_source(files), tmp_path / "cache", lambda i, n: seen.append((i, n)))
    assert {name: p.read_bytes() for name, p in paths.items()} == files
    assert paths["sub/b.txt"] == tmp_path / "cache" / "sub" / "b.txt"
    assert seen == [(0, 2), (1, 2)]
    (folder / "a.txt").unlink()  # verified copies in the cache are not fetched again
    assert download.fetch(_source(files), tmp_path / "cache")["a.txt"].read_bytes() == b"alpha\n"


def test_a_file_missing_from_the_mirror_is_named_with_the_fix(tmp_path, mirror):
    folder, files = mirror
    (folder / "sub" / "b.txt").unlink()
    with pytest.raises(
        BoundaryError, match=rf"{ENV} points to .*, which has no sub/b.txt. Put the test files"
    ) as err:
        download.fetch(_source(files), tmp_path / "cache")
    assert "không có sub/b.txt" in err.value.message_vi
    assert not (tmp_path / "cache" / "sub" / "b.txt").exists()


def test_a_file_with_another_hash_is_refused_and_not_kept(tmp_path, mirror):
    folder, files = mirror
    (folder / "a.txt").write_bytes(b"tampered\n")
    with pytest.raises(
        BoundaryError, match=r"The test file .*a\.txt does not have the expected sha256"
    ) as err:
        download.fetch(_source(files), tmp_path / "cache")
    assert "Tệp thử" in err.value.message_vi and "không đúng mã sha256" in err.value.message_vi
    assert not (tmp_path / "cache" / "a.txt").exists()


def test_both_boundary_sets_are_sources_of_the_one_downloader():
    assert boundaries.SOURCE.base_url + boundaries.SOURCE_FILE == boundaries.SOURCE_URL
    assert boundaries.SOURCE.files == {boundaries.SOURCE_FILE: boundaries.SOURCE_SHA256}
    source_2025 = boundaries_2025.source()
    assert source_2025.files == boundaries_2025.registry() and len(source_2025.files) == 66
    assert source_2025.mirror_env == boundaries_2025.MIRROR_ENV != boundaries.SOURCE.mirror_env
