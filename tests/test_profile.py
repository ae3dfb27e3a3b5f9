import pandas as pd

from ntm_geo.planning.profile import commune_profile, escape_markdown


def _row(**extra):
    row = {
        "commune_code": "06625",
        "name_with_type": "Xã Kiên Mộc",
        "district_name": "Huyện Đình Lập",
        "population_2009": 2241,
        "area_km2": 157.63,
        "assessed": True,
        "criteria_met": 19,
        "poverty_rate_pct": 11.9,
        "road_hardened_pct": None,
        "car_access_all_season": True,
    }
    row.update({f"c{n:02d}": True for n in range(1, 20)})
    row.update(extra)
    return pd.Series(row)


def test_profile_of_a_commune_meeting_the_standard():
    p = commune_profile(_row(), "vi")
    assert p.meets_standard and p.criteria_met == 19
    assert len(p.criteria) == 19 and set(p.criteria["Kết quả"]) == {"✓ Đạt"}
    assert p.criteria.iloc[16, 0] == "17. Môi trường"
    assert "**2.241**" in p.facts_md and "157,6 km²" in p.facts_md
    values = dict(zip(p.indicators["Chỉ tiêu"], p.indicators["Giá trị"], strict=True))
    assert values["Tỷ lệ hộ nghèo"] == "11,9 %"
    assert values["Đường giao thông nông thôn được cứng hóa"] == "Không có dữ liệu"
    assert values["Đường ô tô đến trung tâm xã đi lại 4 mùa"] == "Có"


def test_profile_of_a_ward_is_not_assessed_and_english():
    p = commune_profile(_row(assessed=False, criteria_met=None, name_with_type="Phường Tam Thanh"), "en")
    assert not p.assessed and p.criteria is None and p.criteria_met is None and not p.meets_standard
    assert "2,241" in p.facts_md


def test_profile_missing_criterion_is_no_data_not_unmet():
    p = commune_profile(_row(c05=None, criteria_met=18), "en")
    assert p.criteria.iloc[4, 1] == "No data"


def test_hostile_names_are_escaped():
    p = commune_profile(_row(name_with_type="<script>alert(1)</script>[x](javascript:alert(1))"), "vi")
    assert "<script>" not in p.header_md and "](" not in p.header_md
    assert escape_markdown("a*b_c") == "a\\*b\\_c"


def test_profile_header_without_a_district_level():
    """The 2025 units have no district: the header names the unit and its code only (no 'None')."""
    import pandas as pd

    from ntm_geo.planning.profile import commune_profile

    row = pd.Series(
        {"commune_code": "06001", "name_with_type": "Xã Đoàn Kết", "district_name": None, "unit_type": "xa",
         "population_2009": float("nan"), "area_km2": 168.9, "assessed": True, "year": 2026}
    )  # fmt: skip
    header = commune_profile(row, "vi").header_md
    assert header == "**Xã Đoàn Kết** · `06001`"


def test_profile_shows_the_framework_indicators_the_table_has():
    """Indicator columns of the table's framework (c10_1 = indicator 10.1; 4.2 and 11.1 of 1980 are
    the registry's electricity and poverty columns) get value, threshold for Lạng Sơn's region and
    ✓/✗; the others are not listed."""
    p = commune_profile(
        _row(framework_id="qd1980", electricity_hh_pct=93.5, c10_1=38.0, poverty_rate_pct=4.2), "vi"
    )
    rows = p.framework_indicators.set_index("Chỉ tiêu")
    assert list(rows.index) == [
        "4.2 Tỷ lệ hộ sử dụng điện thường xuyên, an toàn từ các nguồn",
        "10.1 Thu nhập bình quân đầu người khu vực nông thôn đến năm 2020",
        "11.1 Tỷ lệ hộ nghèo theo chuẩn nghèo tiếp cận đa chiều giai đoạn 2016-2020",
    ]
    assert list(rows.iloc[0]) == ["93,5 %", ">= 95,0 %", "✗ Chưa đạt"]
    assert list(rows.iloc[1]) == ["38,0 triệu đồng/người/năm", ">= 36,0 triệu đồng/người/năm", "✓ Đạt"]
    assert list(rows.iloc[2]) == ["4,2 %", "—", "—"]  # no threshold found for 11.1: no verdict


def test_profile_judges_indicator_11_1_from_the_poverty_rate_column():
    """491/342's 11.1 (< 10 %) is read from ``poverty_rate_pct``: one column per quantity."""
    rows = commune_profile(_row(poverty_rate_pct=11.9), "en").framework_indicators
    assert list(rows.iloc[0]) == ["11.1 Share of poor households", "11.9 %", "< 10.0 %", "✗ Not met"]
    rows = commune_profile(_row(poverty_rate_pct=7.5), "vi").framework_indicators
    assert list(rows.iloc[0]) == ["11.1 Tỷ lệ hộ nghèo", "7,5 %", "< 10,0 %", "✓ Đạt"]


def test_profile_without_indicator_columns_has_no_framework_indicators():
    row = _row().drop("poverty_rate_pct")
    assert commune_profile(row, "en").framework_indicators is None
    p = commune_profile(_row(poverty_rate_pct=None), "en")  # 491/342 by default; column there but empty
    assert list(p.framework_indicators.iloc[0]) == [
        "11.1 Share of poor households",
        "No data",
        "< 10.0 %",
        "No data",
    ]


def test_commune_group_thresholds_use_the_commune_group():
    from ntm_geo.criteria.frameworks import framework
    from ntm_geo.planning.profile import threshold_area

    f51, f318 = framework("qd51_2025"), framework("qd318")
    assert threshold_area(f51, 3) == "g3" and threshold_area(f51, None) is None
    assert threshold_area(f318, None) == "tdmnpb"


def test_markdown_table_escapes_cells_and_keeps_values_on_one_line():
    from ntm_geo.planning.profile import markdown_table

    shown = commune_profile(_row(poverty_rate_pct=32.3), "vi").framework_indicators
    out = markdown_table(shown)
    assert list(out.columns) == list(shown.columns)
    name, value, threshold, status = out.iloc[0]
    assert name == "11\\.1 Tỷ lệ hộ nghèo"  # Markdown escaped: no list, link or quote
    assert (value, threshold, status) == ("32,3\u00a0%", "\\<\u00a010,0\u00a0%", "✗\u00a0Chưa\u00a0đạt")
