"""Matching rows to units: code first, then district + canonical name; suggestions never applied."""

from __future__ import annotations

import pandas as pd
import pytest

from ntm_geo.datasets.matching import UnitIndex, is_district_heading, normalise_code, unit_type_from_text
from ntm_geo.geo.units import official_units


@pytest.fixture(scope="module")
def index() -> UnitIndex:
    return UnitIndex(official_units())


@pytest.mark.parametrize(
    ("code", "name", "district", "unit_type", "expected"),
    [
        ("06628", None, None, None, ("06628", "code")),
        ("6628", None, None, None, ("06628", "code")),  # lost leading zero
        ("6628.0", None, None, None, ("06628", "code")),
        (" '05971 ", None, None, None, ("05971", "code")),
        ("06628", "Đình Lập", "Huyện Đình Lập", None, ("06628", "code")),
        ("06628", "Dinh Lap", None, None, ("06628", "code")),  # same name without diacritics
        (None, "Xã Hoà Bình", "Văn Quan", None, ("06274", "name")),
        (None, "x. hòa  bình", "H. Chi Lăng", None, ("06508", "name")),
        (None, "P. Chi Lăng", "TP Lạng Sơn", None, ("05983", "name")),
        (None, "Chi Lăng", "Chi Lăng", "Thị trấn", ("06466", "name")),  # type column disambiguates
        (None, "Chi Lăng", "187", "xã", ("06523", "name")),  # district code
        (None, "TT. Đình Lập", "Đình Lập", None, ("06613", "name")),
        (None, "Xã Đình Lập", None, None, ("06628", "name")),  # unique in the province with its type
        (None, "Thị trấn Nông trường Thái Bình", "Đình Lập", None, ("06616", "name")),
        (None, "\u00d0ình Lập", "Đình Lập", "Xã", ("06628", "name")),  # look-alike Đ
        (None, "Hoa\u0300ng Đồng", None, None, ("05986", "name")),  # decomposed Unicode
    ],
)
def test_matches(index, code, name, district, unit_type, expected):
    found = index.match(code, name, district, unit_type)
    assert (found.commune_code, found.rule) == expected


@pytest.mark.parametrize(
    ("code", "name", "district", "column", "reason"),
    [
        (None, "Đình Lập", "Đình Lập", "name", "ambiguous name «Đình Lập»"),
        (None, "Tân Thành", None, "district", "missing district: several units are named «Tân Thành»"),
        (None, "Hòa Bình", "Thành phố Lạng Sơn", "name", "no unit named «Hòa Bình» in Thành phố Lạng Sơn"),
        (None, "Hòa Bình", "Ba Vì", "district", "unknown district «Ba Vì»"),
        ("123456", None, None, "commune_code", "code «123456» is not a 5-digit GSO code"),
        ("01001", None, None, "commune_code", "code 01001 is not a Lạng Sơn commune-level unit"),
        (
            "06628",
            "Xã Bắc Xa",
            None,
            "commune_code",
            "code 06628 is Xã Đình Lập — Huyện Đình Lập but the row gives another name",
        ),
        ("06628", "Thị trấn Đình Lập", None, "commune_code", "code 06628 is Xã Đình Lập"),  # type differs
        (None, None, "Đình Lập", "name", "the row has neither a commune code nor a commune name"),
    ],
)
def test_unmatched_reasons(index, code, name, district, column, reason):
    found = index.match(code, name, district)
    assert found.commune_code is None
    assert found.column == column
    assert found.reason_en.startswith(reason)
    assert found.reason_vi


def test_same_name_in_two_districts_is_never_merged(index):
    a = index.match(None, "Xã Thụy Hùng", "Văn Lãng")
    b = index.match(None, "Xã Thuỵ Hùng", "Cao Lộc")
    assert (a.commune_code, b.commune_code) == ("06136", "06208")
    assert index.match(None, "Xã Thụy Hùng").commune_code is None


def test_suggestions_are_offered_not_applied(index):
    found = index.match(None, "Hoang Van Thu", "Bình Gia")
    assert found.commune_code is None
    assert found.suggestions[0] == ("06100", "Xã Hoàng Văn Thụ — Huyện Bình Gia", 95.0)  # diacritics only
    typo = index.suggest("Xã Kiên Mốc", "189")
    assert typo[0][0] == "06625" and 70 <= typo[0][2] < 100
    assert index.suggest("Zzzz Qqqq") == []


def test_unknown_code_with_a_name_matches_by_name_with_a_note(index):
    found = index.match("99999", "Xã Bắc Xa", "Đình Lập")
    assert (found.commune_code, found.rule) == ("06619", "name")
    assert (
        found.note_en
        == "code 99999 is not a Lạng Sơn commune-level unit (GSO 2015 list); matched by name instead."
    )


def test_custom_unit_table():
    units = pd.DataFrame(
        {
            "commune_code": ["00001", "00002"],
            "name_with_type": ["Xã A Lưới", "Thị trấn A Lưới"],
            "unit_type": ["xa", "thi-tran"],
            "district_code": ["001", "001"],
            "district_name": ["Huyện A", "Huyện A"],
        }
    )
    idx = UnitIndex(units)
    assert idx.match(None, "TT A Lưới", "Huyện A").commune_code == "00002"
    assert idx.match("1", None).commune_code == "00001"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("5971", "05971"),
        ("05971", "05971"),
        ("5971.0", "05971"),
        ("'05971", "05971"),
        ("abc", None),
        ("123456", None),
        ("", None),
        (None, None),
    ],
)
def test_normalise_code(text, code):
    assert normalise_code(text) == code


def test_type_words_and_district_headings():
    assert [unit_type_from_text(t) for t in ("Xã", "phường", "TT", "Thị trấn", "ward", "", "village")] == [
        "xa",
        "phuong",
        "thi-tran",
        "thi-tran",
        "phuong",
        None,
        None,
    ]
    assert is_district_heading("Huyện Tràng Định") and is_district_heading("TP. Lạng Sơn")
    assert is_district_heading("Thành phố Lạng Sơn")
    assert not is_district_heading("Xã Hoàng Văn Thụ") and not is_district_heading("Thị trấn Đình Lập")
