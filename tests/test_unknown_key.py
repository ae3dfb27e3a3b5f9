"""One shape for "unknown key" errors (ntm_geo.errors.unknown_key): what was looked up, the key,
every allowed key, in English and Vietnamese; the lookups of datasets/ and geo/ use it."""

from __future__ import annotations

import pytest

from ntm_geo.bilingual import Bilingual
from ntm_geo.datasets import schema, template
from ntm_geo.errors import ConfigError, unknown_key
from ntm_geo.geo import units, vintages


def test_the_message_names_the_thing_the_key_and_every_allowed_key():
    err = unknown_key("x", ("a", "b"), Bilingual("Loại cột", "column kind"))
    assert isinstance(err, ConfigError)
    assert err.message_en == "Unknown column kind 'x'; allowed: a, b."
    assert err.message_vi == "Loại cột không hợp lệ 'x'; các giá trị hợp lệ: a, b."


@pytest.mark.parametrize(
    ("lookup", "en", "vi"),
    [
        (
            lambda: units.unit_type("huyen"),
            "Unknown unit type 'huyen'; allowed: xa, ",
            "Loại đơn vị không hợp lệ",
        ),
        (
            lambda: vintages.get_vintage("2019"),
            "Unknown unit vintage '2019'; allowed: 2015, 2025.",
            "Bộ đơn vị",
        ),
        (
            lambda: schema.column("nope"),
            "Unknown dataset column 'nope'; allowed: commune_code, year, c01",
            "Cột dữ liệu",
        ),
        (
            lambda: schema.column_keys("weird"),
            "Unknown column kind 'weird'; allowed: key, criterion",
            "Loại cột",
        ),
        (
            lambda: schema.criterion_columns("qd1"),
            "Unknown criteria framework 'qd1'; allowed: qd491_342",
            "Bộ tiêu chí",
        ),
        (
            lambda: template.template_xlsx(2015, lang="fr"),
            "Unknown language 'fr'; allowed: vi, en.",
            "Ngôn ngữ không hợp lệ 'fr'",
        ),
    ],
)
def test_the_lookups_of_datasets_and_geo_share_the_shape(lookup, en, vi):
    with pytest.raises(ConfigError) as err:
        lookup()
    assert err.value.message_en.startswith(en)
    assert err.value.message_vi.startswith(vi)
    assert "các giá trị hợp lệ:" in err.value.message_vi
