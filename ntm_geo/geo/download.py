"""Third-party files fetched once, sha256-checked, from their source or from an offline mirror.

Both boundary sets are fetched through :func:`fetch`: the censusVN2009 ``communes.rda``
(:mod:`ntm_geo.geo.boundaries`) and the 66 GeoJSON files of the 2025 units
(:mod:`ntm_geo.geo.boundaries_2025`). A :class:`Source` names the files (relative to a base URL,
each with its sha256), the environment variable of an offline mirror folder holding the same
files under the same names, and how messages call them. pooch downloads (or copies from the
mirror) into a temporary file and keeps it only when its sha256 matches; a verified file already
in the cache is not fetched again.

Every failure raises :class:`~ntm_geo.errors.BoundaryError` in English and Vietnamese saying how
to fix it: the mirror lacks the file (put it there, or unset the variable), the hash differs
(replace the file with the original), the download failed (set the mirror variable).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import BoundaryError


@dataclass(frozen=True)
class Source:
    """A set of third-party files with their hashes.

    Attributes
    ----------
    base_url : str
        URL of the folder; a file's URL is ``base_url + name``.
    files : mapping of str to str
        File name relative to ``base_url`` (may hold a folder, ``wards/x.geojson``) -> sha256 (hex).
    mirror_env : str
        Environment variable naming an offline mirror folder (same names below it).
    what : Bilingual
        What one file is, for messages ("the boundary file" / "tệp ranh giới").
    mirror_holds : Bilingual
        What the mirror must hold and how to check it, for the message when it lacks a file
        ("communes.rda (sha256 …)").
    original : Bilingual
        What to replace a file with when its hash differs ("the original censusVN2009 communes.rda").
    """

    base_url: str
    files: Mapping[str, str]
    mirror_env: str
    what: Bilingual
    mirror_holds: Bilingual
    original: Bilingual


#: ``on_file(i, n)`` is called before the i-th (0-based) of n files is fetched.
OnFile = Callable[[int, int], None]


def _mirror_downloader(source: Source, mirror: Path) -> Callable[..., bool | None]:
    """A pooch downloader that copies ``source``'s files from ``mirror`` instead of downloading."""

    def download(url: str, output_file: str, pooch_obj: object, check_only: bool = False) -> bool | None:
        name = url[len(source.base_url) :] if url.startswith(source.base_url) else url.rsplit("/", 1)[-1]
        copy = mirror / name
        if check_only:
            return copy.exists()
        if not copy.exists():
            env = source.mirror_env
            raise BoundaryError(
                f"{env} points to {mirror}, which has no {name}. Put {source.mirror_holds.en} there "
                f"or unset {env} to download from {source.base_url}.",
                f"{env} trỏ tới {mirror} nhưng thư mục này không có {name}. Hãy chép "
                f"{source.mirror_holds.vi} vào đó hoặc bỏ {env} để tải về từ {source.base_url}.",
                file=name,
            )
        shutil.copyfile(copy, output_file)
        return None

    return download


def fetch(source: Source, folder: Path, on_file: OnFile | None = None) -> dict[str, Path]:
    """Verified local copies of every file of ``source`` in ``folder``, by name.

    Downloads from ``source.base_url``, or copies from ``$<source.mirror_env>`` when that is set;
    either way pooch checks every sha256 before the file is kept.

    Raises
    ------
    BoundaryError
        A file is missing from the mirror, cannot be downloaded, or has another hash.
    """
    import pooch

    mirror = os.environ.get(source.mirror_env)
    downloader = _mirror_downloader(source, Path(mirror)) if mirror else None
    if mirror:  # pooch would log "Downloading from <URL>": it is a local copy here
        pooch.get_logger().setLevel("WARNING")
    names = sorted(source.files)
    paths: dict[str, Path] = {}
    for i, name in enumerate(names):
        if on_file is not None:
            on_file(i, len(names))
        url = source.base_url + name
        digest = source.files[name]
        try:
            path = pooch.retrieve(
                url, known_hash=f"sha256:{digest}", fname=name, path=folder, downloader=downloader
            )
        except BoundaryError:
            raise
        except ValueError as exc:  # pooch: hash mismatch
            where = f"{mirror}/{name}" if mirror else url
            raise BoundaryError(
                f"{source.what.en.capitalize()} {where} does not have the expected sha256 {digest} "
                f"({exc}). Replace it with {source.original.en}.",
                f"{source.what.vi.capitalize()} {where} không đúng mã sha256 {digest}. Hãy thay bằng "
                f"{source.original.vi}.",
                file=where,
            ) from exc
        except Exception as exc:  # network errors and the like
            raise BoundaryError(
                f"Could not download {source.what.en} from {url} ({exc}). Without internet, set "
                f"{source.mirror_env} to a folder that holds {source.mirror_holds.en}.",
                f"Không tải được {source.what.vi} từ {url} ({exc}). Nếu máy không có internet, hãy "
                f"đặt biến môi trường {source.mirror_env} trỏ tới thư mục chứa {source.mirror_holds.vi}.",
                file=url,
            ) from exc
        paths[name] = Path(path)
    return paths
