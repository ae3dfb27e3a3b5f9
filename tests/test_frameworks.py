"""Criteria frameworks as data (data/frameworks/*.yaml) and their loader's checks."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from ntm_geo.criteria import framework as legacy
from ntm_geo.criteria import frameworks as fw
from ntm_geo.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent

# A small valid province file: a future decision, two commune groups, one indicator with thresholds.
PROVINCE = """\
format: ntm-geo/criteria-framework/1
id: ls_2031
decision: 99/2030/QĐ-UBND
title_vi: Bộ tiêu chí xã nông thôn mới tỉnh Lạng Sơn 2031 - 2035
title_en: Lạng Sơn new rural commune criteria 2031-2035
years: [2031, 2035]
levels:
  - {key: standard, name_vi: Xã đạt chuẩn, name_en: New rural commune, source: s1}
threshold_areas:
  kind: commune_group
  items:
    - {key: g1, name_vi: Xã nhóm 1, name_en: Group 1, source: s1}
    - {key: g3, name_vi: Xã nhóm 3, name_en: Group 3, source: s1}
groups: []
criteria:
  - number: 1
    key: c01
    name_vi: Quy hoạch
    name_en: Planning
    source: s1
    indicators:
      - number: "1.1"
        name_vi: Tỷ lệ hộ nghèo đa chiều
        name_en: Multidimensional poverty rate
        unit: "%"
        thresholds: {g1: {op: "<=", value: 1}, g3: {op: "<=", value: 5.5}}
        source: s1
  - {number: 2, key: c02, name_vi: Hạ tầng, name_en: Infrastructure, source: s1}
sources:
  - {key: s1, title: Quyết định của UBND tỉnh (ví dụ), url: "https://example.org/qd"}
"""


def write(tmp_path: Path, text: str, name: str = "ls_2031.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


# --- the national frameworks ---------------------------------------------------------------


def test_four_national_frameworks_cover_2011_to_2030_without_gaps():
    items = fw.builtin_frameworks()
    assert [(f.id, f.years, len(f.criteria)) for f in items] == [
        ("qd491_342", (2011, 2015), 19),
        ("qd1980", (2016, 2020), 19),
        ("qd318", (2021, 2025), 19),
        ("qd51_2025", (2026, 2030), 10),
    ]
    assert all(f.builtin for f in items)


@pytest.mark.parametrize(
    ("year", "decision"),
    [
        (2011, "491/QĐ-TTg; 342/QĐ-TTg"),
        (2015, "491/QĐ-TTg; 342/QĐ-TTg"),
        (2016, "1980/QĐ-TTg"),
        (2017, "1980/QĐ-TTg"),
        (2020, "1980/QĐ-TTg"),
        (2021, "318/QĐ-TTg"),
        (2025, "318/QĐ-TTg"),
        (2026, "51/2025/QĐ-TTg"),
        (2030, "51/2025/QĐ-TTg"),
    ],
)
def test_default_framework_by_year(year, decision):
    assert fw.default_framework(year).decision == decision


@pytest.mark.parametrize("year", [2010, 2031])
def test_year_without_framework_says_which_periods_exist(year):
    with pytest.raises(
        ConfigError, match=rf"No criteria framework covers the year {year}; covered: 2011–2015"
    ):
        fw.default_framework(year)
    with pytest.raises(ConfigError, match=rf"Không có bộ tiêu chí nào áp dụng cho năm {year}"):
        fw.default_framework(year)


def test_491_342_file_is_what_the_legacy_catalogue_reads():
    """One concept, one file: the 2011-2015 catalogue is a view of qd491_342.yaml (was data/criteria.csv)."""
    f = fw.framework("qd491_342")
    assert legacy.CATALOGUE_FILE.name == f.file
    for old, new in zip(legacy.load_criteria(), f.criteria, strict=True):
        assert (old.number, old.code, old.name_vi, old.name_en, old.group) == (
            new.number,
            new.key,
            new.name_vi,
            new.name_en,
            new.group,
        )
        with_threshold = [
            i for i in new.indicators if i.threshold(fw.HOME_REGION) is not None and i.confidence != "low"
        ]
        if old.threshold_pct is not None:
            (ind,) = with_threshold
            t = ind.threshold(fw.HOME_REGION)
            assert (t.op, t.value) == (old.threshold_op, old.threshold_pct)
            assert (ind.name_vi, ind.confidence) == (old.threshold_indicator_vi, old.threshold_confidence)
        else:
            assert with_threshold == []
    assert {g.key for g in f.groups} == set(legacy.GROUPS)


def test_318_and_1980_names_where_the_content_changed():
    f1980, f318 = fw.framework("qd1980"), fw.framework("qd318")
    assert [f1980.criterion(n).name_vi for n in (11, 12, 13)] == [
        "Hộ nghèo",
        "Lao động có việc làm",
        "Tổ chức sản xuất",
    ]
    assert f318.criterion(3).name_vi == "Thủy lợi và phòng, chống thiên tai"
    assert f318.criterion(11).name_vi == "Nghèo đa chiều"
    assert f318.criterion(13).name_vi == "Tổ chức sản xuất và phát triển kinh tế nông thôn"
    assert [lv.key for lv in f318.levels] == ["standard", "advanced", "model"]
    assert f318.levels[2].decision == "319/QĐ-TTg"
    assert f318.area_kind == "region" and len(f318.areas) == 7
    assert f318.indicator_count is None  # 57 is not confirmed by a source found: left empty
    assert any("57" in t for t in f318.not_found)


def test_51_2025_ten_criteria_three_commune_groups():
    f = fw.default_framework(2026)
    assert f.criterion_keys == tuple(f"c{n:02d}" for n in range(1, 11))
    assert f.criterion(6).name_vi == "Giảm nghèo và an sinh xã hội"
    assert f.criterion(10).name_vi == "Tiếp cận pháp luật và an ninh, quốc phòng"
    assert f.indicator_count == 47 and f.source_of(f.indicator_count_source).url.startswith("https://")
    assert f.area_kind == "commune_group"
    assert [a.key for a in f.areas] == ["g1", "g2", "g3"]
    assert "khu vực II và xã khu vực III" in f.areas[2].definition_vi
    assert (f.signed, f.in_force) == ("2025-12-29", "2026-02-15")
    assert [lv.key for lv in f.levels] == ["standard", "modern_pilot"]
    assert f.groups == () and all(c.group is None for c in f.criteria)


def test_every_line_names_a_source_with_a_title():
    for f in fw.builtin_frameworks():
        keys = {s.key for s in f.sources}
        parts = [*f.criteria, *f.levels, *f.areas, *f.groups, *f.indicators]
        assert parts and all(p.source in keys for p in parts), f.id
        assert all(s.title for s in f.sources)
        assert all(s.url for s in f.sources if s.key != "catalogue_2011"), f.id
        assert f.not_found, f"{f.id}: say what could not be found"
        for c in f.criteria:
            assert unicodedata.is_normalized("NFC", c.name_vi)


def test_unknown_framework_and_criterion_list_the_allowed_ones():
    with pytest.raises(ConfigError, match=r"Unknown criteria framework 'qd999'; known: qd491_342, qd1980"):
        fw.framework("qd999")
    with pytest.raises(ConfigError, match=r"has no criterion 11; allowed numbers: 1-10"):
        fw.framework("qd51_2025").criterion(11)


def test_threshold_met():
    t = fw.Threshold("<=", 5.5)
    assert t.met(5.5) and not t.met(5.6)
    assert fw.Threshold(">=", 95).met(95) and not fw.Threshold(">", 95).met(95)


# --- a province's own file -----------------------------------------------------------------


def test_province_file_loads_without_code_change(tmp_path, monkeypatch):
    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path))
    write(tmp_path, PROVINCE)
    f = fw.default_framework(2033)
    assert (f.id, f.builtin, f.file, len(f.criteria)) == ("ls_2031", False, "ls_2031.yaml", 2)
    ind = f.criterion(1).indicators[0]
    assert ind.threshold("g3") == fw.Threshold("<=", 5.5) and ind.threshold("g2") is None
    assert fw.default_framework(2027).id == "qd51_2025"  # the national ones stay
    assert [x.id for x in fw.all_frameworks()][-1] == "ls_2031"


def test_province_file_reusing_a_national_id_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path))
    write(tmp_path, PROVINCE.replace("id: ls_2031", "id: qd318"), "mine.yaml")
    with pytest.raises(
        fw.FrameworkError, match=r"mine.yaml: framework id 'qd318' is already used by qd318.yaml"
    ):
        fw.all_frameworks()


def test_frameworks_dir_that_is_not_a_folder(tmp_path, monkeypatch):
    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path / "nope"))
    with pytest.raises(fw.FrameworkError, match=r"NTM_GEO_FRAMEWORKS_DIR does not name a folder"):
        fw.all_frameworks()


@pytest.mark.parametrize(
    ("old", "new", "field", "en", "vi"),
    [
        ("    name_en: Planning\n", "", "criteria[0].name_en", "is missing; it is required", "bị thiếu"),
        ("    key: c01\n", "    key: c1\n", "criteria[0].key", "must be 'c01', found 'c1'", "phải là 'c01'"),
        (
            "{number: 2, key: c02,",
            "{number: 3, key: c03,",
            "criteria[1].number",
            "must be 2, found 3",
            "phải là 2",
        ),
        (
            "    name_vi: Quy hoạch\n",
            "    name_vi: Quy hoạch\n    nmae_en: x\n",
            "criteria[0].nmae_en",
            "unknown field 'nmae_en'",
            "gõ nhầm",
        ),
        (
            'g3: {op: "<=", value: 5.5}',
            'g2: {op: "<=", value: 5.5}',
            "criteria[0].indicators[0].thresholds.g2",
            "'g2' is not a key of `threshold_areas` (g1, g3)",
            "không phải khóa",
        ),
        (
            '{op: "<=", value: 1}',
            '{op: "=<", value: 1}',
            "criteria[0].indicators[0].thresholds.g1.op",
            "'=<' is not one of the operator keys",
            "phép so sánh",
        ),
        (
            "value: 5.5",
            "value: năm",
            "criteria[0].indicators[0].thresholds.g3.value",
            "expected a number, found text 'năm'",
            "cần một số",
        ),
        (
            'number: "1.1"',
            'number: "2.1"',
            "criteria[0].indicators[0].number",
            "indicator numbers of criterion 1 are '1.1'",
            "đánh số",
        ),
        (
            "years: [2031, 2035]",
            "years: [2035, 2031]",
            "years",
            "first <= last; found [2035, 2031]",
            "năm đầu <= năm cuối",
        ),
        ("years: [2031, 2035]", "years: 2031", "years", "found 2031", "năm đầu"),
        (
            "name_en: New rural commune, source: s1}",
            "name_en: New rural commune, source: s9}",
            "levels[0].source",
            "'s9' is not one of the source keys",
            "nguồn",
        ),
        (
            "format: ntm-geo/criteria-framework/1",
            "format: v2",
            "format",
            "must be 'ntm-geo/criteria-framework/1'",
            "phải là",
        ),
        ("id: ls_2031", "id: LS 2031", "id", "'LS 2031' is not a valid key", "không phải khóa hợp lệ"),
        (
            'url: "https://example.org/qd"',
            'url: "file:///etc/passwd"',
            "sources[0].url",
            "is not an http(s) address",
            "không phải địa chỉ",
        ),
        (
            "groups: []",
            "groups: []\nindicator_count: 0",
            "indicator_count",
            "states 0 indicators but the file lists 1",
            "ghi 0 chỉ tiêu",
        ),
        (
            "    source: s1\n    indicators:",
            "    group: planning\n    source: s1\n    indicators:",
            "criteria[0].group",
            "this file lists no groups",
            "không có danh sách nhóm",
        ),
        (  # one column per quantity: the linked column must be a registry indicator...
            'unit: "%"',
            'unit: "%"\n        column: poverty_rate',
            "criteria[0].indicators[0].column",
            "indicator 1.1: 'poverty_rate' is not an indicator column of the schema registry; known: "
            "poverty_rate_pct, road_hardened_pct",
            "không phải cột chỉ số trong danh mục cột",
        ),
        (  # ... of the indicator's unit
            'unit: "%"',
            'unit: "km"\n        column: poverty_rate_pct',
            "criteria[0].indicators[0].column",
            "indicator 1.1 is in 'km' but column 'poverty_rate_pct' is in '%'",
            "tính bằng 'km' nhưng cột 'poverty_rate_pct' tính bằng '%'",
        ),
    ],
)
def test_bad_field_names_file_and_field_in_both_languages(tmp_path, old, new, field, en, vi):
    assert old in PROVINCE
    path = write(tmp_path, PROVINCE.replace(old, new, 1))
    with pytest.raises(fw.FrameworkError) as info:
        fw.load_framework(path)
    err = info.value
    assert (err.file, err.column) == ("ls_2031.yaml", field)
    assert isinstance(err.row, int) and err.row >= 1  # the line of the field (or its enclosing one)
    assert (
        err.message_en.startswith(f"ls_2031.yaml: field `{field}` (line {err.row}): ")
        and en in err.message_en
    )
    assert (
        err.message_vi.startswith(f"ls_2031.yaml: trường `{field}` (dòng {err.row}): ")
        and vi in err.message_vi
    )
    assert str(tmp_path) not in err.message_en + err.message_vi  # never the server's folder


@pytest.mark.parametrize(
    ("data", "en", "vi"),
    [
        (
            b"a: &x [1]\nb: *x\n",
            "anchors/aliases (&name, *name) are not allowed",
            "không phải YAML hợp lệ (dòng 1)",
        ),
        (
            PROVINCE.encode("cp1258", errors="replace").replace(b"Quy ho", b"Quy \xff"),
            "not UTF-8 text",
            "lưu tệp dạng UTF-8",
        ),
        (b"criteria: [1, 2\n", "not valid YAML", "không phải YAML hợp lệ"),
        (b"- 1\n- 2\n", "expected a mapping", "cần một bảng"),
        (b"x" * (fw.MAX_BYTES + 1), "a framework file may have at most 524,288", "tối đa 524,288 byte"),
        (b"!!python/object/apply:os.system [echo hi]\n", "not valid YAML", "không phải YAML hợp lệ"),
    ],
    ids=["alias", "not-utf8", "not-yaml", "top-level-list", "too-big", "python-tag"],
)
def test_hostile_or_broken_files_are_refused(tmp_path, data, en, vi):
    with pytest.raises(fw.FrameworkError) as info:
        fw.load_framework(write(tmp_path, data, "bad.yaml"))
    assert info.value.file == "bad.yaml"
    assert en in info.value.message_en and vi in info.value.message_vi


def test_missing_file_names_only_the_file(tmp_path):
    with pytest.raises(fw.FrameworkError, match=r"^nope.yaml: cannot read the framework file"):
        fw.load_framework(tmp_path / "nope.yaml")


def test_to_dict_is_the_json_shape():
    d = fw.framework("qd51_2025").to_dict()
    assert d["decision"] == "51/2025/QĐ-TTg" and d["years"] == [2026, 2030]
    assert d["criteria"][0] == {
        "number": 1,
        "key": "c01",
        "name_vi": "Quy hoạch",
        "name_en": "Planning",
        "group": None,
        "source": "vietnamplus_51",
        "indicators": [],
    }
    assert d["criteria_count"] == 10 and d["indicator_count"] == 47
    assert pd.Series([s["url"] for s in d["sources"]]).str.startswith("https://").all()


def test_province_folder_is_read_again_only_when_a_file_changes(tmp_path, monkeypatch):
    import os

    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path))
    path = write(tmp_path, PROVINCE)
    first = fw.province_frameworks()
    assert fw.province_frameworks() is first  # cached: same tuple
    path.write_text(PROVINCE.replace("years: [2031, 2035]", "years: [2031, 2036]"), encoding="utf-8")
    os.utime(path, ns=(1, 2))  # a different modification time
    assert fw.province_frameworks()[0].years == (2031, 2036)


def test_a_broken_province_file_never_hides_the_national_frameworks(tmp_path, monkeypatch):
    monkeypatch.setenv(fw.FRAMEWORKS_DIR_ENV, str(tmp_path))
    write(tmp_path, "format: [", "broken.yaml")
    assert fw.default_framework(2027).id == "qd51_2025" and fw.framework("qd318").years == (2021, 2025)
    with pytest.raises(fw.FrameworkError, match=r"^broken.yaml: not valid YAML"):
        fw.default_framework(2033)  # only a province file could cover it: the error names the file


def test_a_province_indicator_may_be_measured_by_a_registry_column(tmp_path):
    text = PROVINCE.replace('unit: "%"', 'unit: "%"\n        column: road_hardened_pct', 1)
    ind = fw.load_framework(write(tmp_path, text)).criterion(1).indicators[0]
    assert (ind.column, ind.data_column, ind.key) == ("road_hardened_pct", "road_hardened_pct", "c01_1")


def test_the_national_files_link_the_indicators_the_registry_measures():
    """Issue 11 (one owner per concept): 491/342 and 1980's poverty, electricity and water
    indicators are the registry's columns."""
    linked = {(f.id, i.number): i.column for f in fw.builtin_frameworks() for i in f.indicators if i.column}
    assert linked == {
        ("qd491_342", "4.2"): "electricity_hh_pct",
        ("qd491_342", "11.1"): "poverty_rate_pct",
        ("qd491_342", "17.1"): "hygienic_water_hh_pct",
        ("qd1980", "4.2"): "electricity_hh_pct",
        ("qd1980", "11.1"): "poverty_rate_pct",
    }


def test_a_bad_indicator_entry_names_its_line(tmp_path):
    """A province's own file: the error points at the line of the bad indicator field."""
    text = PROVINCE.replace("value: 5.5", "value: năm", 1)
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "value: năm" in t)
    with pytest.raises(fw.FrameworkError) as info:
        fw.load_framework(write(tmp_path, text))
    assert info.value.row == line
    assert f"field `criteria[0].indicators[0].thresholds.g3.value` (line {line}): expected a number" in str(
        info.value.message_en
    )
    text = PROVINCE.replace('number: "1.1"', 'number: "1.1"\n        confidence: sure', 1)
    with pytest.raises(
        fw.FrameworkError,
        match=r"indicators\[0\]\.confidence` \(line \d+\): 'sure' is not one of the confidence keys",
    ):
        fw.load_framework(write(tmp_path, text))


def test_indicators_found_are_recorded_with_thresholds_and_sources():
    """What the search found (issue 13), entry by entry; the counts say what is still missing."""
    f1980, f491 = fw.framework("qd1980"), fw.framework("qd491_342")
    income = f1980.criterion(10).indicators[0]
    assert income.number == "10.1" and income.key == "c10_1"
    assert {a: t.value for a, t in income.thresholds} == {
        "tdmnpb": 36,
        "dbsh": 50,
        "btb": 36,
        "dhntb": 41,
        "tn": 41,
        "dnb": 59,
        "dbscl": 50,
    }
    assert "thuviennhadat.vn" in (f1980.source_of(income.source).url or "")
    electricity = f1980.criterion(4).indicators
    assert [i.number for i in electricity] == ["4.1", "4.2"]
    assert (
        electricity[1].threshold(fw.HOME_REGION) == fw.Threshold(">=", 95) and electricity[0].thresholds == ()
    )
    assert f1980.criterion(11).indicators[0].thresholds == ()  # the level per region was not found
    assert [i.number for i in f491.indicators] == [
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "4.2",
        "10.1",
        "11.1",
        "12.1",
        "17.1",
    ]
    assert {i.confidence for i in f491.criterion(2).indicators[:3]} == {"low"}
    assert f491.criterion(10).indicators[0].thresholds == ()  # a yearly level: a note, not a threshold


def test_indicator_counts_confirmed_or_not():
    """318's 57 and 51/2025's 47: counted from what the files list (0 each: the annexes were not
    readable); 47 is stated by sources, 57 by none found."""
    f318, f51 = fw.framework("qd318"), fw.framework("qd51_2025")
    assert len(f318.indicators) == 0 and f318.indicator_count is None
    assert len(f51.indicators) == 0 and f51.indicator_count == 47
    assert {"vietnamplus_51", "tbtc_51", "vneconomy_51", "quangtri_51"} <= {s.key for s in f51.sources}
    assert any("47" in t and "0" in t for t in f51.not_found)
    assert any("57" in t for t in f318.not_found)
