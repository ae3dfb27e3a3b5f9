import numpy as np
import pandas as pd
import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.maps.classify import (
    NO_DATA,
    NO_DATA_COLOR,
    NOT_ASSESSED,
    NOT_ASSESSED_COLOR,
    SCHEMES,
    ClassDef,
    check_scheme,
    classify_binary,
    classify_fixed,
    classify_scheme,
    format_number,
    scheme_label,
    spread,
)

PALETTE = ["#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
CLASSES = (ClassDef(0, 4, "<5", "<5"), ClassDef(5, 9, "5-9", "5-9"), ClassDef(10, 19, "10+", "10+"))


def test_fixed_classes_special_classes_and_counts():
    values = pd.Series([0, 4, 5, 19, None, 7], dtype="Float64")
    assessed = [True, True, True, True, True, False]
    result = classify_fixed(values, CLASSES, ["#a00000", "#b00000", "#c00000"], assessed)
    assert list(result.yb) == [0, 0, 1, 2, NO_DATA, NOT_ASSESSED]
    assert result.counts == (2, 1, 1)
    assert (result.n_no_data, result.n_not_assessed) == (1, 1)
    assert result.fill_colors()[4:] == [NO_DATA_COLOR, NOT_ASSESSED_COLOR]
    legend = result.legend_entries("en")
    assert legend[0] == ("#c00000", "10+", 1)  # highest class first
    assert legend[-2:] == [
        (NO_DATA_COLOR, "No data", 1),
        (NOT_ASSESSED_COLOR, "Not assessed (wards, townships)", 1),
    ]


def test_not_assessed_is_never_zero():
    # a ward with criteria_met 0 in the file is still "not assessed"
    result = classify_fixed(pd.Series([0, 0]), CLASSES, ["#1", "#2", "#3"], [True, False])
    assert list(result.yb) == [0, NOT_ASSESSED]
    assert result.counts[0] == 1


def test_fixed_value_outside_classes_raises():
    with pytest.raises(ConfigError, match="Value 25.0 falls in no class"):
        classify_fixed(pd.Series([25]), CLASSES, ["#1", "#2", "#3"])
    with pytest.raises(ConfigError, match="3 classes but 2 colours"):
        classify_fixed(pd.Series([1]), CLASSES, ["#1", "#2"])


def test_binary():
    result = classify_binary(
        pd.Series([1, 0, None], dtype="boolean"), ("Chưa đạt", "Đạt"), ("Not met", "Met"), ("#o", "#y")
    )
    assert list(result.yb) == [1, 0, NO_DATA]
    assert result.legend_entries("vi")[:2] == [("#y", "Đạt", 1), ("#o", "Chưa đạt", 1)]


@pytest.mark.parametrize("scheme", list(SCHEMES))
def test_schemes_cover_all_values_with_k_classes(scheme):
    rng = np.random.default_rng(42)
    values = pd.Series(rng.gamma(2.0, 6.0, 60))
    result = classify_scheme(values, scheme, 5, PALETTE, unit="%")
    assert result.k == 5 and sum(result.counts) == 60
    assert result.classes[0].low == pytest.approx(values.min())
    assert result.classes[-1].high == pytest.approx(values.max())
    for value, cls in zip(values, result.yb, strict=True):
        c = result.classes[cls]
        assert c.low - 1e-9 <= value <= c.high + 1e-9
    assert result.classes[0].label_en.startswith("[") and result.classes[1].label_en.startswith("(")
    assert result.classes[0].label_en.endswith("%")


def test_quantiles_equal_counts_and_labels_use_vietnamese_decimal_comma():
    values = pd.Series(np.arange(1, 101) / 10)
    result = classify_scheme(values, "quantiles", 4, PALETTE, unit="%")
    assert result.counts == (25, 25, 25, 25)
    assert result.classes[0].label_vi == "[0,1 – 2,6] %"
    assert result.classes[0].label_en == "[0.1 – 2.6] %"


def test_natural_breaks_finds_obvious_groups():
    values = pd.Series([1, 1.2, 1.1, 10, 10.5, 11, 30, 31, 29.5])
    result = classify_scheme(values, "natural_breaks", 3, PALETTE)
    assert result.counts == (3, 3, 3)


def test_too_few_distinct_values_reduces_k_with_a_note():
    result = classify_scheme(pd.Series([5.0, 5.0, 7.0, 7.0]), "quantiles", 5, PALETTE)
    assert result.k == 2
    assert "reduced from 5 to 2" in result.note_en and "giảm từ 5 xuống 2" in result.note_vi


def test_all_values_equal_gives_one_class():
    result = classify_scheme(pd.Series([3.0, 3.0, None]), "equal_interval", 3, PALETTE)
    assert result.k == 1 and result.counts == (2,) and result.n_no_data == 1


def test_scheme_errors():
    with pytest.raises(
        ConfigError,
        match=r"Unknown classification scheme 'jenks'; allowed: Natural breaks \(Jenks\) \(natural_breaks\), "
        r"Quantiles \(equal counts\) \(quantiles\), Equal interval \(equal_interval\)\..*"
        r"Phương pháp phân lớp không hợp lệ 'jenks'; các giá trị hợp lệ: Ngắt tự nhiên \(Jenks\) \(natural_breaks\)",
    ):
        check_scheme("jenks")
    with pytest.raises(ConfigError, match="k=9 is outside 3–7"):
        classify_scheme(pd.Series([1.0, 2.0]), "quantiles", 9, PALETTE)
    with pytest.raises(ConfigError, match="no value to classify"):
        classify_scheme(pd.Series([None, None], dtype="Float64"), "quantiles", 3, PALETTE)
    assert scheme_label("quantiles", "en") == "Quantiles (equal counts)"


def test_format_number_and_spread():
    assert format_number(1474000.5, "vi", 1) == "1.474.000,5"
    assert format_number(1474000.5, "en", 1) == "1,474,000.5"
    assert spread(PALETTE, 3) == [PALETTE[0], PALETTE[3], PALETTE[6]]
    assert spread(PALETTE, 7) == PALETTE


def test_ties_that_merge_classes_are_noted():
    values = pd.Series([9.9] * 40 + [10.0] * 30 + list(np.linspace(1, 40, 30)))
    result = classify_scheme(values, "quantiles", 7, PALETTE)
    assert result.k < 7
    assert f"only {result.k} classes could be formed instead of 7" in result.note_en
    assert "thay vì 7" in result.note_vi


def test_legend_counts_within_a_subset_keep_all_classes():
    values = pd.Series([0, 4, 5, 19, None, 7], dtype="Float64")
    result = classify_fixed(values, CLASSES, ["#1", "#2", "#3"], [True, True, True, True, True, False])
    inside = [True, False, False, True, False, True]
    entries = result.legend_entries("en", within=inside)
    assert [e[2] for e in entries] == [1, 0, 1, 1]  # 10+, 5-9, <5, not assessed; no "no data" row
    assert [e[1] for e in entries][:3] == ["10+", "5-9", "<5"]
