"""Deciding a table's unit vintage on the whole table; notices for rows naming former units."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ntm_geo.geo.units import official_units
from ntm_geo.geo.vintage_match import detect_vintage
from ntm_geo.geo.vintages import units_2025


@pytest.fixture(autouse=True)
def _data(boundaries, boundaries_2025):
    """Former-unit notices use the crosswalk, which needs both boundary sets."""


def test_2025_table_with_codes_and_names():
    u = units_2025()
    d = detect_vintage(list(u["commune_code"]), list(u["name_with_type"]))
    assert d.vintage == "2025" and not d.tie and d.notices == []
    assert d.scores["2025"] == 130 and d.coverage["2025"] == 1.0


def test_2025_codes_only_tie_decided_by_coverage():
    """Every 2025 code is also a 2015 code: codes alone tie, coverage (65/65 vs 65/226) decides."""
    u = units_2025()
    d = detect_vintage(list(u["commune_code"]), [None] * 65)
    assert d.tie and d.vintage == "2025"
    assert "scores tied; chosen by coverage" in d.message("en")


def test_2025_names_without_type_or_code():
    d = detect_vintage([None] * 65, list(units_2025()["name"]))
    assert d.vintage == "2025"


def test_2015_table_stays_2015():
    o = official_units()
    assert detect_vintage(list(o["commune_code"]), list(o["name_with_type"])).vintage == "2015"
    assert detect_vintage(list(o["commune_code"]), [""] * 226).vintage == "2015"


def test_code_kept_by_another_unit_is_not_remapped_row_by_row():
    """05986 is Xã Hoàng Đồng in 2015 and Phường Tam Thanh in 2025: the pair decides, and a row
    naming the former commune gets a notice instead of being silently mapped."""
    d = detect_vintage(["05986", None], ["Phường Tam Thanh", "Xã Hoàng Đồng"])
    assert d.vintage == "2025"
    assert [(n.row, n.message_vi) for n in d.notices] == [
        (1, "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15")
    ]


def test_former_unit_merged_before_2024_notice():
    u = units_2025()
    d = detect_vintage([*u["commune_code"], None], [*u["name_with_type"], "Xã Vĩnh Tiến"])
    (notice,) = d.notices
    assert notice.row == 65
    assert "merged before 2024" in notice.message_en and "Xã Đoàn Kết" in notice.message_en


def test_unknown_row_gets_no_invented_notice():
    u = units_2025()
    d = detect_vintage([*u["commune_code"], "99999"], [*u["name_with_type"], "Xã Không Có"])
    assert d.vintage == "2025" and d.notices == []


def test_lengths_must_agree():
    with pytest.raises(ValueError, match=r"codes \(1\) and names \(2\)"):
        detect_vintage(["05986"], ["a", "b"])


# --- a real file, through the importer's reader and the command line ---------------------------

FIXTURE = Path(__file__).parent / "data" / "vintage" / "poverty_2026_units_2025.csv"


def test_2026_poverty_table_on_2025_units_is_detected():
    """A 2026 table keyed by the 65 units of 2025 (synthetic values), with a row naming a former
    commune: 2025 detected on the whole table, the former commune named with its new unit."""
    from ntm_geo.datasets.importing.reading import read_table
    from ntm_geo.geo.vintage_match import detect_table_vintage

    d = detect_table_vintage(read_table(FIXTURE.read_bytes(), FIXTURE.name))
    assert d.vintage == "2025" and d.coverage["2025"] == 1.0
    assert [(n.row, n.message_en) for n in d.notices] == [
        (67, "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15")
    ]


def test_table_without_unit_columns():
    """(The reader itself refuses such a file; a RawTable built elsewhere is checked too.)"""
    from ntm_geo.datasets.importing.reading import RawTable
    from ntm_geo.errors import DataError
    from ntm_geo.geo.vintage_match import detect_table_vintage

    raw = RawTable("x.csv", None, (), "utf-8", 1, 1, ("Năm",), ("year",), ((2, ("2015",)),))
    with pytest.raises(DataError, match="x.csv: no column of unit codes or unit names"):
        detect_table_vintage(raw)


def test_cli_vintage(capsys):
    from ntm_geo.__main__ import main

    assert main(["vintage", str(FIXTURE), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Table matched to 2025 units")
    assert "Row 67: Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15" in out
    assert main(["vintage", str(FIXTURE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["vintage"] == "2025" and data["former_units"][0]["row"] == 67
    assert main(["vintage", "missing.csv"]) == 2
    assert "missing.csv: cannot read the file" in capsys.readouterr().err
