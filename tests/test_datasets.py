"""Reading and validating dataset CSVs."""

from __future__ import annotations

import pytest

from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.datasets import contract as ds
from ntm_geo.errors import ConfigError, DataError

HEADER = (
    "commune_code,year,"
    + ",".join(CRITERION_COLUMNS)
    + ",criteria_met,poverty_rate_pct,car_access_all_season,note"
)
XA = "05986,2015," + ",".join(["1"] * 5 + ["0"] * 14) + ",5,12.5,1,ok"  # Xã Hoàng Đồng
PHUONG = "05971,2015," + "," * 18 + ",,3.2,,"  # Phường Hoàng Văn Thụ


def write(tmp_path, *lines, name="data.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_valid_file_types(tmp_path):
    df = ds.load_dataset_csv(write(tmp_path, HEADER, XA, PHUONG))
    assert df["commune_code"].tolist() == ["05986", "05971"]
    assert str(df["c01"].dtype) == "boolean" and bool(df["c01"].iloc[0]) and not bool(df["c19"].iloc[0])
    assert df["c01"].isna().iloc[1]
    assert str(df["criteria_met"].dtype) == "Int64" and df["criteria_met"].iloc[0] == 5
    assert df["poverty_rate_pct"].dtype == float and df["poverty_rate_pct"].iloc[1] == 3.2
    assert str(df["car_access_all_season"].dtype) == "boolean"
    assert df["note"].iloc[0] == "ok"  # unknown columns kept


def test_illustrative_loads():
    for year in (2011, 2015):
        df = ds.load_illustrative(year)
        assert len(df) == 226 and df["commune_code"].str.len().eq(5).all()
        assert df["criteria_met"].notna().sum() == 207
    assert ds.ILLUSTRATIVE.illustrative and ds.ILLUSTRATIVE.note_vi.startswith("Dữ liệu minh họa")
    assert ds.ILLUSTRATIVE.years == (2011, 2015)


def test_illustrative_unknown_year():
    with pytest.raises(
        ConfigError, match=r"No illustrative dataset for year 2016; allowed years: 2011, 2015"
    ):
        ds.load_illustrative(2016)


def _expect(path, row, column, pattern):
    with pytest.raises(DataError, match=pattern) as info:
        ds.load_dataset_csv(path)
    err = info.value
    assert (err.row, err.column, err.file) == (row, column, str(path))
    assert err.message_vi and err.message_vi != err.message_en
    return err


def test_missing_column(tmp_path):
    path = write(tmp_path, HEADER.replace(",c07,", ",c7,"), XA)
    _expect(path, 1, "c07", r"data\.csv, row 1, column c07: required column\(s\) missing: c07")


def test_bad_code_format(tmp_path):
    _expect(
        write(tmp_path, HEADER, XA.replace("05986", "5986", 1)),
        2,
        "commune_code",
        r"row 2, column commune_code: code '5986' is not a 5-digit GSO code",
    )


def test_unknown_code(tmp_path):
    _expect(
        write(tmp_path, HEADER, XA, XA.replace("05986", "99999", 1)),
        3,
        "commune_code",
        r"row 3, .*code '99999' is not a Lạng Sơn commune-level unit",
    )


def test_bad_year(tmp_path):
    _expect(
        write(tmp_path, HEADER, XA.replace(",2015,", ",15,", 1)),
        2,
        "year",
        r"year '15' is not a 4-digit year",
    )


def test_duplicate_code(tmp_path):
    _expect(write(tmp_path, HEADER, XA, XA), 3, "commune_code", r"code 05986 appears twice for year 2015")


def test_bad_flag(tmp_path):
    line = XA.replace(",2015,1,", ",2015,yes,", 1)
    _expect(write(tmp_path, HEADER, line), 2, "c01", r"value 'yes' is not 1, 0 or empty")


def test_ward_assessed(tmp_path):
    line = "05971,2015,1," + "," * 17 + ",1,3.2,,"
    _expect(
        write(tmp_path, HEADER, line),
        2,
        "c01",
        r"05971 is a ward \(phường\), not assessed .*leave c01\.\.c19",
    )


def test_township_zero_criteria(tmp_path):
    line = "05995,2015," + ",".join(["0"] * 19) + ",0,3.2,,"  # Thị trấn Thất Khê with "0 criteria"
    _expect(write(tmp_path, HEADER, line), 2, "c01", r"township \(thị trấn\), not assessed")


def test_partial_criteria(tmp_path):
    line = XA.replace(",2015,1,1,", ",2015,1,,", 1)
    _expect(write(tmp_path, HEADER, line), 2, "c02", r"some criteria are empty and others filled")


def test_criteria_met_mismatch(tmp_path):
    line = XA.replace(",5,12.5,", ",6,12.5,", 1)
    _expect(write(tmp_path, HEADER, line), 2, "criteria_met", r"criteria_met is 6 but 5 of c01\.\.c19 are 1")


def test_criteria_met_empty(tmp_path):
    line = XA.replace(",5,12.5,", ",,12.5,", 1)
    _expect(write(tmp_path, HEADER, line), 2, "criteria_met", r"criteria_met is empty but 5 of")


def test_criteria_met_without_criteria(tmp_path):
    line = "05986,2015," + "," * 18 + ",4,12.5,1,"
    _expect(write(tmp_path, HEADER, line), 2, "criteria_met", r"criteria_met is 4 but c01\.\.c19 are empty")


def test_criteria_met_not_number(tmp_path):
    line = XA.replace(",5,12.5,", ",five,12.5,", 1)
    _expect(write(tmp_path, HEADER, line), 2, "criteria_met", r"value 'five' is not a number")


def test_percentage_out_of_range(tmp_path):
    _expect(
        write(tmp_path, HEADER, XA, PHUONG.replace(",3.2,", ",103.2,")),
        3,
        "poverty_rate_pct",
        r"percentage 103\.2 is outside 0-100",
    )


def test_car_access_flag(tmp_path):
    _expect(
        write(tmp_path, HEADER, XA.replace(",12.5,1,", ",12.5,2,")),
        2,
        "car_access_all_season",
        r"value '2' is not 1, 0 or empty",
    )


def test_file_not_found(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: file not found"):
        ds.load_dataset_csv(tmp_path / "nope.csv")


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes((HEADER + "\n" + XA.replace("ok", "Hoàng") + "\n").encode("cp1252"))
    with pytest.raises(DataError, match=r"not UTF-8 text"):
        ds.load_dataset_csv(path)


@pytest.mark.parametrize(
    ("content", "match_en", "match_vi"),
    [
        (None, "is a folder, not a CSV file", "là một thư mục"),
        ("", "the file is empty", "tệp trống"),
        (
            "commune_code,year\n05971,2015\n05974,2015,extra,fields\n",
            "a row has more fields than the header",
            "nhiều cột hơn",
        ),
        ("commune_code;year;c01\n05971;2015;1\n", "separated by ';'", "dấu ';'"),
    ],
)
def test_unreadable_csv_files_give_clear_errors(tmp_path, content, match_en, match_vi):
    from ntm_geo.datasets.contract import load_dataset_csv
    from ntm_geo.errors import DataError

    path = tmp_path / "bad.csv"
    if content is None:
        path.mkdir()
    else:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=match_en) as err:
        load_dataset_csv(path)
    assert match_vi in err.value.message_vi
    assert "bad.csv" in str(err.value)


# --- validation under the year's criteria framework (issue 13) -----------------------------


def test_2026_rows_have_ten_criteria(tmp_path):
    row = "05986,2026," + ",".join(["1"] * 7 + ["0"] * 3 + [""] * 9) + ",7,12.5,1,ok"
    df = ds.load_dataset_csv(write(tmp_path, HEADER, row))
    assert df["criteria_met"].iloc[0] == 7 and df["c11"].isna().iloc[0]


def test_2026_row_with_criterion_11_is_refused(tmp_path):
    row = "05986,2026," + ",".join(["1"] * 11 + [""] * 8) + ",11,12.5,1,ok"
    _expect(
        write(tmp_path, HEADER, row),
        2,
        "c11",
        r"year 2026 is assessed under Decision 51/2025/QĐ-TTg, which has 10 criteria: leave c11 empty",
    )


def test_2026_partial_and_mismatch_count_ten(tmp_path):
    partial = "05986,2026," + ",".join(["1"] * 9 + [""] * 10) + ",9,12.5,1,ok"
    _expect(write(tmp_path, HEADER, partial), 2, "c10", r"fill all 10 \(1/0\)")
    wrong = "05986,2026," + ",".join(["1"] * 10 + [""] * 9) + ",9,12.5,1,ok"
    _expect(write(tmp_path, HEADER, wrong), 2, "criteria_met", r"criteria_met is 9 but 10 of c01..c10 are 1")


def test_2017_row_still_needs_nineteen(tmp_path):
    partial = "05986,2017," + ",".join(["1"] * 10 + [""] * 9) + ",10,12.5,1,ok"
    _expect(write(tmp_path, HEADER, partial), 2, "c11", r"fill all 19 \(1/0\)")


def test_year_without_framework(tmp_path):
    row = "05986,2040," + ",".join(["1"] * 19) + ",19,12.5,1,ok"
    _expect(write(tmp_path, HEADER, row), 2, "year", r"No criteria framework covers the year 2040")
