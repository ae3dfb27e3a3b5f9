"""Choosing a table's criteria framework from its year and columns; import under that framework."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_geo.criteria.detect import choose_framework, fold
from ntm_geo.datasets.importing.headers import header_field
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import ConfigError, DataError
from tests.import_tables import NAMES_51, csv_bytes

TC19 = [f"TC{i}" for i in range(1, 20)]


@pytest.mark.parametrize("year", range(2016, 2026))
def test_a_2016_2025_table_is_never_read_as_491_342(year):
    choice = choose_framework(year, ["Mã xã", *TC19])
    assert choice.framework.id == ("qd1980" if year <= 2020 else "qd318")
    assert f"chọn theo năm {year}" in choice.reason_vi and f"chosen by the year {year}" in choice.reason_en


@pytest.mark.parametrize(("year", "fid"), [(2011, "qd491_342"), (2015, "qd491_342"), (2026, "qd51_2025")])
def test_other_periods(year, fid):
    assert choose_framework(year, ["Mã xã"]).framework.id == fid


def test_names_of_the_framework_are_evidence():
    choice = choose_framework(
        2023, ["TC3 Thủy lợi và phòng, chống thiên tai", "Nghèo đa chiều", "Giao thông"]
    )
    assert choice.framework.id == "qd318"
    assert choice.evidence == ("TC3 Thủy lợi và phòng, chống thiên tai", "Nghèo đa chiều", "Giao thông")
    assert "tên cột khớp bộ này: 'TC3 Thủy lợi và phòng, chống thiên tai'" in choice.reason_vi


def test_an_older_name_of_the_same_slot_is_read_under_the_year_and_said():
    choice = choose_framework(2022, ["Mã xã", "Hộ nghèo"])
    assert choice.framework.id == "qd318"
    assert "column 'Hộ nghèo' is a criterion name of Decision 491/QĐ-TTg; 342/QĐ-TTg (2011–2015); " in (
        choice.reason_en
    )
    assert "read as criterion 11 (Multidimensional poverty) of Decision 318/QĐ-TTg" in choice.reason_en


@pytest.mark.parametrize(
    ("year", "header", "owner", "chosen"),
    [
        (2017, "Giảm nghèo và an sinh xã hội", "Decision 51/2025/QĐ-TTg (2026–2030)", "1980/QĐ-TTg"),
        (2026, "Nghèo đa chiều", "Decision 318/QĐ-TTg (2021–2025)", "51/2025/QĐ-TTg"),
        (2027, "TC7 Chợ nông thôn", "Decision 491/QĐ-TTg; 342/QĐ-TTg (2011–2015)", "51/2025/QĐ-TTg"),
    ],
)
def test_a_name_numbered_under_another_count_is_refused(year, header, owner, chosen):
    with pytest.raises(DataError) as info:
        choose_framework(year, ["Mã xã", header], file="bang.csv")
    err = info.value
    assert (err.file, err.column) == ("bang.csv", header)
    assert err.message_en.startswith(f"bang.csv: column '{header}' is a criterion of {owner}, but the table")
    assert f"Decision {chosen}" in err.message_en and "numbered differently" in err.message_en
    assert err.message_vi.startswith(f"bang.csv: cột '{header}' là tiêu chí của QĐ")


def test_declared_framework_and_unknown_one():
    choice = choose_framework(2017, ["Nghèo đa chiều"], declared="qd318")
    assert choice.framework.id == "qd318" and "as the table declares (qd318)" in choice.reason_en
    with pytest.raises(ConfigError, match=r"Unknown criteria framework 'qd0'"):
        choose_framework(2017, [], declared="qd0")


def test_year_without_framework_is_a_data_error_on_the_year():
    with pytest.raises(DataError, match=r"No criteria framework covers the year 2036") as info:
        choose_framework(2036, [], file="x.csv")
    assert (info.value.file, info.value.column) == ("x.csv", "year")


def test_fold():
    assert fold("TC11 Nghèo đa chiều (%)") == fold("nghèo đa chiều") == "ngheo da chieu"
    assert fold("3. Thủy lợi và phòng, chống thiên tai") == "thuy loi va phong chong thien tai"


# --- import under the chosen framework -----------------------------------------------------


def test_header_names_of_every_framework_are_recognised():
    assert header_field("Nghèo đa chiều") == "c11"
    assert header_field("Thủy lợi và phòng, chống thiên tai") == "c03"
    assert header_field("Giảm nghèo và an sinh xã hội") == "c06"
    assert header_field("Tiếp cận pháp luật và an ninh, quốc phòng") == "c10"


def test_import_2017_table_under_1980():
    data = csv_bytes(
        ["Mã xã", "Năm", *TC19, "Số tiêu chí đạt"], [["06628", "2017", *["1"] * 12, *["0"] * 7, "12"]]
    )
    report = import_table(data, "nam2017.csv")
    assert report.framework_id == "qd1980"
    assert report.to_json()["framework"]["reason_en"].startswith("Criteria framework: Decision 1980/QĐ-TTg")
    assert int(report.table["criteria_met"].iloc[0]) == 12


def test_import_2026_table_under_51_2025_reads_ten_criteria():
    data = csv_bytes(
        ["Mã xã", "Năm", *NAMES_51, "Số tiêu chí đạt"],
        [["06628", "2026", *["1"] * 7, *["0"] * 3, "7"], ["06631", "2026", *["1"] * 10, "9"]],
    )
    report = import_table(data, "nam2026.csv")
    assert report.framework_id == "qd51_2025"
    row = report.table.iloc[0]
    assert [bool(row[f"c{i:02d}"]) for i in range(1, 11)] == [True] * 7 + [False] * 3
    assert all(pd.isna(row[f"c{i:02d}"]) for i in range(11, 20))
    assert int(row["criteria_met"]) == 7
    (bad,) = report.out_of_range
    assert (
        bad.row == 3
        and "criteria met is given as 9 but 10 of the 10 criterion columns are met" in bad.reason_en
    )


def test_import_2026_criteria_count_range_is_0_to_10():
    data = csv_bytes(["Mã xã", "Năm", "Số tiêu chí đạt"], [["06628", "2026", "11"]])
    (bad,) = import_table(data, "nam2026.csv").out_of_range
    assert "outside 0–10" in bad.reason_en and "nằm ngoài 0–10" in bad.reason_vi


def test_import_2026_table_with_a_criterion_11_column_is_refused():
    data = csv_bytes(["Mã xã", "Năm", *[f"TC{i}" for i in range(1, 12)]], [["06628", "2026", *["1"] * 11]])
    with pytest.raises(DataError) as info:
        import_table(data, "nam2026.csv")
    assert (info.value.file, info.value.column) == ("nam2026.csv", "TC11")
    assert "has 10 criteria" in info.value.message_en and "chỉ có 10 tiêu chí" in info.value.message_vi


def test_import_2015_table_stays_491_342():
    data = csv_bytes(["Mã xã", "Năm", *TC19], [["06628", "2015", *["1"] * 19]])
    report = import_table(data, "nam2015.csv")
    assert report.framework_id == "qd491_342" and int(report.table["criteria_met"].iloc[0]) == 19
