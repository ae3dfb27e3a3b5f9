import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.geo.units import districts, name_key, official_units, split_unit_name, unit_type


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Xã Hoà Bình", "hòa bình"),  # old vs new tone-mark placement
        ("X.Thuỵ Hùng", "thụy hùng"),
        ("TT. Đồng Đăng", "Thị trấn ĐỒNG ĐĂNG"),
        ("\u00d0ình Lập", "Đình Lập"),  # Icelandic eth typed for Đ
        ("Tân  Thành", "tân thành"),
        ("Hoa\u0300ng Đồng", "Hoàng Đồng"),  # decomposed input
        ("NT Thái Bình", "Thị trấn Nông trường Thái Bình"),
        ("P. Chi Lăng", "Phường Chi Lăng"),
        ("TP. Lạng Sơn", "Thành phố Lạng Sơn"),
    ],
)
def test_name_key_equates_spellings(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize(
    ("a", "b"), [("Hòa Bình", "Hoà Binh"), ("Tân Thành", "Tân Thanh"), ("Đình Lập", "Dinh Lap")]
)
def test_name_key_keeps_real_differences(a, b):
    assert name_key(a) != name_key(b)


def test_split_unit_name_keeps_the_type_apart():
    assert split_unit_name("Xã Đình Lập") == ("xa", name_key("Đình Lập"))
    assert split_unit_name("TT. Đình Lập") == ("thi-tran", name_key("Đình Lập"))
    assert split_unit_name("Thị trấn NT Thái Bình") == ("thi-tran", name_key("Thái Bình"))
    assert split_unit_name("Đình Lập") == (None, name_key("Đình Lập"))


def test_official_units_are_the_226_of_the_gso_list():
    units = official_units()
    assert len(units) == 226
    assert units["commune_code"].is_unique
    assert units["commune_code"].str.fullmatch(r"\d{5}").all()
    assert units["unit_type"].value_counts().to_dict() == {"xa": 207, "thi-tran": 14, "phuong": 5}
    assert units["assessed"].sum() == 207
    assert len(districts()) == 11
    # (district, type, key) identifies a unit: Xã Đình Lập and Thị trấn Đình Lập stay apart
    assert not units.duplicated(["district_code", "unit_type", "name_key"]).any()
    # names have single spaces and no space at either end (the GSO file has "Xã  Hoàng Văn Thụ")
    for column in ("name_with_type", "name", "district_name"):
        assert not units[column].str.contains(r"\s\s|^\s|\s$").any(), column
    assert units.set_index("commune_code").loc["06178", ["name_with_type", "name"]].tolist() == [
        "Xã Hoàng Văn Thụ",
        "Hoàng Văn Thụ",
    ]


def test_unit_type_unknown_key_lists_allowed():
    assert unit_type("xa").assessed is True
    assert unit_type("phuong").assessed is False
    with pytest.raises(ConfigError, match="allowed: xa, phuong, thi-tran"):
        unit_type("village")


def test_vietnamese_alphabetical_order():
    from ntm_geo.geo.units import vi_sort_key

    names = [
        "Xã Yên Bình",
        "Xã Đồng Ý",
        "Xã Hữu Liên",
        "Xã Hữu Lân",
        "Xã Ái Quốc",
        "Xã Dân Chủ",
        "Xã Ân Tình",
    ]
    assert sorted(names, key=vi_sort_key) == [
        "Xã Ái Quốc",
        "Xã Ân Tình",
        "Xã Dân Chủ",
        "Xã Đồng Ý",
        "Xã Hữu Lân",
        "Xã Hữu Liên",
        "Xã Yên Bình",
    ]


def test_ascii_fold_is_the_one_accent_folding():
    from ntm_geo.datasets import matching, store
    from ntm_geo.exports import spec as static_map
    from ntm_geo.geo.units import ascii_fold

    assert ascii_fold("Hữu Lũng") == "huu lung" and ascii_fold("ĐÌNH LẬP") == "dinh lap"
    assert ascii_fold("Đình Lập", lower=False) == "Dinh Lap" and ascii_fold("\u00d0ồng Đăng") == "dong dang"
    assert matching.ascii_fold is ascii_fold
    assert (
        static_map._ascii("Đồng Đăng") == "Dong Dang" and store.slug("Kết quả NTM 2015") == "ket-qua-ntm-2015"
    )
