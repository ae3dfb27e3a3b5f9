"""Criteria catalogue of 2011-2015 (a view of data/frameworks/qd491_342.yaml) and its lookup functions."""

from __future__ import annotations

import unicodedata

import pytest

from ntm_geo.criteria import framework as cr
from ntm_geo.errors import ConfigError


def test_nineteen_criteria_in_order():
    items = cr.load_criteria()
    assert [c.number for c in items] == list(range(1, 20))
    assert tuple(c.code for c in items) == cr.CRITERION_COLUMNS
    assert cr.CRITERION_COLUMNS[0] == "c01" and cr.CRITERION_COLUMNS[-1] == "c19"


@pytest.mark.parametrize(
    ("number", "name_vi"),
    [
        (1, "Quy hoạch"),
        (3, "Thủy lợi"),
        (4, "Điện"),
        (6, "Cơ sở vật chất văn hóa"),
        (12, "Lao động có việc làm thường xuyên"),
        (18, "Hệ thống tổ chức chính trị xã hội vững mạnh"),
        (19, "An ninh, trật tự xã hội"),
    ],
)
def test_names_have_diacritics_nfc(number, name_vi):
    c = cr.criterion(number)
    assert c.name_vi == name_vi
    assert unicodedata.is_normalized("NFC", c.name_vi)
    assert c.label("vi").startswith(f"{number}. ")


def test_groups_cover_each_criterion_once():
    numbers = sorted(n for g in cr.GROUPS.values() for n in g.numbers)
    assert numbers == list(range(1, 20))
    for c in cr.load_criteria():
        assert c.number in cr.GROUPS[c.group].numbers
    assert cr.criterion(2).group_label_vi == "Hạ tầng kinh tế - xã hội"
    assert cr.criterion(19).group == "political_security"


def test_thresholds_recorded_with_source():
    elec = cr.criterion(4)
    assert (elec.threshold_op, elec.threshold_pct) == (">=", 95.0)
    assert "491" in elec.threshold_source
    assert cr.criterion(11).meets_threshold(9.9) and not cr.criterion(11).meets_threshold(10.0)
    assert cr.criterion(17).meets_threshold(70.0)
    assert [c.number for c in cr.load_criteria() if c.threshold_pct is not None] == [4, 11, 12, 17]


def test_meets_threshold_without_threshold_raises():
    with pytest.raises(ConfigError, match=r"Criterion 2 has no numeric threshold .*criteria 4, 11, 12, 17"):
        cr.criterion(2).meets_threshold(50)


@pytest.mark.parametrize("bad", [0, 20, -1, "4", 2.5, None])
def test_unknown_criterion_lists_allowed(bad):
    with pytest.raises(ConfigError, match=r"Unknown criterion .*allowed numbers: 1-19"):
        cr.criterion(bad)


def _write_catalogue(tmp_path, monkeypatch, edit):
    text = cr.CATALOGUE_FILE.read_text(encoding="utf-8")
    path = tmp_path / "qd491_342.yaml"
    path.write_text(edit(text), encoding="utf-8")
    monkeypatch.setattr(cr, "CATALOGUE_FILE", path)
    cr.load_criteria.cache_clear()


def test_catalogue_unknown_group(tmp_path, monkeypatch):
    _write_catalogue(
        tmp_path, monkeypatch, lambda t: t.replace("group: planning, source", "group: plannng, source")
    )
    try:
        with pytest.raises(
            ConfigError,
            match=r"qd491_342.yaml: field `criteria\[0\].group` \(line \d+\): 'plannng' is not one of the group keys .*planning",
        ):
            cr.load_criteria()
    finally:
        monkeypatch.undo()
        cr.load_criteria.cache_clear()


def test_catalogue_missing_number(tmp_path, monkeypatch):
    def drop_19(text: str) -> str:
        return "\n".join(line for line in text.splitlines() if "number: 19," not in line) + "\n"

    _write_catalogue(tmp_path, monkeypatch, drop_19)
    try:
        with pytest.raises(ConfigError, match=r"must list criteria 1\.\.19 once each"):
            cr.load_criteria()
    finally:
        monkeypatch.undo()
        cr.load_criteria.cache_clear()


def test_catalogue_is_read_from_the_framework_file(tmp_path, monkeypatch):
    """One owner: a threshold changed in the framework file is what the 2011-2015 catalogue says."""
    _write_catalogue(
        tmp_path,
        monkeypatch,
        lambda t: t.replace(
            'thresholds: {tdmnpb: {op: ">=", value: 95}}', 'thresholds: {tdmnpb: {op: ">=", value: 97}}'
        ),
    )
    try:
        assert cr.criterion(4).threshold_pct == 97.0
    finally:
        monkeypatch.undo()
        cr.load_criteria.cache_clear()
    assert cr.criterion(4).threshold_pct == 95.0
    assert not (cr.CATALOGUE_FILE.parents[1] / "criteria.csv").exists()


def test_low_confidence_thresholds_are_listed_but_not_relied_on():
    from ntm_geo.criteria.frameworks import HOME_REGION, framework

    road = framework("qd491_342").criterion(2).indicators[0]
    assert road.confidence == "low" and road.threshold(HOME_REGION) is not None
    assert cr.criterion(2).threshold_pct is None
