"""The map page's Excel export opened in a real spreadsheet: LibreOffice Calc (headless) converts it
to CSV, and the CSV is what a reader sees (issue 15): the title, the illustrative note, codes with
their leading zeros, headers in the reader's language over the row of machine keys.

Marked ``office`` (needs Debian's ``libreoffice-calc-nogui``; ``.ci/run`` installs it). Skipped,
with the reason, when ``soffice`` is not installed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess

import pytest

from ntm_geo.exports.formats import table_export
from ntm_geo.views.viewstate import ViewState

pytestmark = [
    pytest.mark.office,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed"),
]


def _calc_to_csv(xlsx: bytes, tmp_path) -> list[list[str]]:
    """Convert with LibreOffice headless (UTF-8, comma, every cell as shown); the rows of the CSV."""
    source = tmp_path / "bang.xlsx"
    source.write_bytes(xlsx)
    profile = tmp_path / "lo-profile"  # a private profile: parallel runs never share a lock
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    text = (tmp_path / "bang.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_libreoffice_reads_the_excel_table_in_the_readers_language(boundaries, tmp_path, lang):
    rows = _calc_to_csv(table_export(ViewState(lang=lang), "xlsx", boundaries=boundaries), tmp_path)
    title, note = rows[0][0], rows[1][0]
    if lang == "vi":
        assert title.startswith("Số tiêu chí đạt (0–19) — năm 2015 — Kết quả NTM từng xã (minh họa)")
        assert note.startswith("Dữ liệu minh họa: số liệu từng xã do mô hình")
    else:
        assert title.startswith("Criteria met (0–19) — 2015 — NTM results per commune (illustrative)")
        assert note.startswith("Illustrative data: per-commune values generated")
    keys, headers = rows[3], rows[4]
    assert keys[:3] == ["commune_code", "name_with_type", "district_code"] and keys[-1] == "map_value"
    expected = (
        ["Mã xã (GSO)", "Tên đơn vị", "Mã huyện", "Huyện", "Năm", "Loại đơn vị"]
        if lang == "vi"
        else ["Commune code (GSO)", "Unit name", "District code", "District", "Year", "Unit type"]
    )
    assert headers[:6] == expected
    assert headers[keys.index("c01")] == ("TC1. Quy hoạch" if lang == "vi" else "C1 Planning")
    assert not set(headers) & {"commune_code", "unit_type", "c01", "poverty_rate_pct"}  # no machine key
    body = [dict(zip(keys, r, strict=False)) for r in rows[5:] if any(r)]
    assert len(body) == 226
    assert body[0]["commune_code"] == "05971"  # the leading zero survives the spreadsheet
    assert all(len(r["commune_code"]) == 5 and r["commune_code"].isdigit() for r in body)
    words = {"vi": {"Xã", "Phường", "Thị trấn"}, "en": {"Rural commune", "Ward", "Township"}}[lang]
    assert {r["unit_type"] for r in body} == words
