import re
from pathlib import Path

from ntm_geo.settings import SETTINGS

REPO = Path(__file__).resolve().parent.parent


def test_every_setting_the_code_reads_is_documented():
    used = set()
    for path in [
        *REPO.joinpath("ntm_geo").rglob("*.py"),
        *REPO.joinpath("app_pages").rglob("*.py"),
        REPO / "app.py",
    ]:
        used |= set(re.findall(r"NTM_GEO_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    listed = {s.env for s in SETTINGS}
    assert used <= listed, f"undocumented settings: {sorted(used - listed)}"


def test_readme_lists_every_setting():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for s in SETTINGS:
        assert f"`{s.env}`" in readme, s.env
        if s.secret:
            assert f"`{s.secret}`" in readme, s.secret
