import re

import pandas as pd
import pytest

from ntm_geo.errors import ConfigError
from ntm_geo.exports.tables import neutralise_formulas, table_csv_bytes
from ntm_geo.i18n import STRINGS, t


def test_every_string_has_both_languages_and_same_placeholders():
    for key, (vi, en) in STRINGS.items():
        assert vi and en, key
        assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en)), key


def test_register_adds_and_refuses_conflicts():
    from ntm_geo.i18n import register

    register({"test_only_key": ("Thử", "Test")})
    assert t("test_only_key", "en") == "Test"
    register({"test_only_key": ("Thử", "Test")})  # same text again: fine
    with pytest.raises(ConfigError, match="registered twice"):
        register({"test_only_key": ("Khác", "Other")})
    del STRINGS["test_only_key"]


def test_t_formats_and_rejects_unknowns():
    assert t("criteria_met_of", "vi", n=7) == "Đạt 7/19 tiêu chí"
    assert t("criteria_met_of", "en", n=7) == "7 of 19 criteria met"
    with pytest.raises(ConfigError, match="Unknown language 'fr'; allowed: vi, en"):
        t("year", "fr")
    with pytest.raises(ConfigError, match="No interface text 'nope'"):
        t("nope")


def test_csv_has_bom_note_and_no_formulas():
    df = pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "Xã Hòa Bình", "-5", "@SUM(A1)"], "value": [1.5, -2.0, 3.0, 4.0]}
    )
    data = table_csv_bytes(df, note="Dữ liệu minh họa")
    assert data.startswith("\ufeff".encode())
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "# Dữ liệu minh họa"
    assert lines[2].startswith("\"'=HYPERLINK") and "Xã Hòa Bình" in lines[3]
    assert lines[4].startswith("'-5") and lines[5].startswith("'@SUM")
    assert lines[3].endswith(",-2.0")  # numbers stay numbers
    assert neutralise_formulas(df)["value"].tolist() == [1.5, -2.0, 3.0, 4.0]
