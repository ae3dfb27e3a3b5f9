"""The schema registry (ntm_geo.datasets.schema): one table of every dataset column, read by
importing, the contract, the store, the template, themes, exports, the profile and planning."""

import csv
import io
import subprocess
import sys

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS, load_criteria
from ntm_geo.datasets import contract, schema, store, template
from ntm_geo.datasets.importing import registry as import_registry
from ntm_geo.datasets.importing.headers import header_field
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import ConfigError
from ntm_geo.exports import tables
from ntm_geo.maps import themes
from ntm_geo.planning import profile, ranking

SCHOOLS = schema.Column(
    "school_solid_pct",
    "indicator",
    "float64",
    Bilingual("Trường học kiên cố", "Schools built solid"),
    Bilingual("Tỷ lệ trường kiên cố (%)", "Schools built solid (%)"),
    unit="%",
    valid_range=(0.0, 100.0),
    aliases=("trường kiên cố", "solid schools"),
    theme="infrastructure",
    palette="Greens",
)


def test_every_column_is_documented_once():
    cols = schema.columns()
    keys = [c.key for c in cols]
    assert len(keys) == len(set(keys))
    assert keys[:2] == ["commune_code", "year"]
    for c in cols:
        assert c.kind in schema.KINDS
        assert c.label.vi and c.label.en and c.header.vi and c.header.en, c.key
        if c.kind == "indicator":
            assert c.unit and c.valid_range is not None and c.palette, c.key
        if c.kind in ("criterion", "total"):
            assert c.framework == schema.DEFAULT_FRAMEWORK


def test_criterion_columns_are_generated_from_the_framework():
    crit = schema.criterion_columns()
    assert tuple(c.key for c in crit) == CRITERION_COLUMNS
    assert [c.number for c in crit] == [c.number for c in load_criteria()]
    assert crit[3].label.pick("vi") == "Tiêu chí 4: Điện"
    assert schema.column("criteria_met").valid_range == (0.0, 19.0)


def test_a_framework_of_ten_criteria_gives_ten_columns(monkeypatch):
    ten = [c for c in load_criteria()][:10]
    monkeypatch.setitem(schema.FRAMEWORKS, "test-10", lambda: ten)
    assert schema.column_keys("criterion", framework="test-10") == tuple(f"c{n:02d}" for n in range(1, 11))
    total = schema.column("criteria_met", framework="test-10")
    assert total.valid_range == (0.0, 10.0) and total.framework == "test-10"
    assert "(0–10)" in total.label.pick("en")


def test_unknown_keys_kinds_and_frameworks_list_the_allowed_ones():
    with pytest.raises(ConfigError, match="Unknown dataset column 'nope'; allowed: commune_code, year, c01"):
        schema.column("nope")
    with pytest.raises(ConfigError, match="Unknown column kind 'size'; allowed: key, criterion"):
        schema.column_keys("size")
    with pytest.raises(
        ConfigError, match="Unknown criteria framework 'x'; allowed: qd491_342, qd1980, qd318, qd51_2025"
    ):
        schema.criterion_columns("x")
    with pytest.raises(ConfigError, match="unknown kind 'weird'"):
        schema.Column("a", "weird", "float64", Bilingual("a", "a"), Bilingual("a", "a"))
    with (
        pytest.raises(ConfigError, match="Cannot add column 'poverty_rate_pct'"),
        schema.extended(schema.column("poverty_rate_pct")),
    ):
        pass


def test_the_column_lists_of_every_part_are_the_registry():
    assert schema.column_keys() == import_registry.TABLE_COLUMNS
    assert schema.pct_keys() == import_registry.PCT_COLUMNS
    assert contract.FLAG_COLUMNS == import_registry.FLAG_COLUMNS == schema.column_keys("flag")
    assert ("commune_code", "year", *CRITERION_COLUMNS, "criteria_met") == contract.REQUIRED_COLUMNS
    assert (
        tuple(c.key for c in schema.value_columns() if c.theme == "infrastructure")
        == ranking.INDICATOR_COLUMNS
    )
    for key in schema.pct_keys():
        assert header_field(schema.header(key, "vi")) == key
        assert header_field(schema.header(key, "en")) == key
        assert tables.column_label(key, "vi") == schema.header(key, "vi")  # the exports' one label lookup
        assert tables.column_label(key, "en") == schema.header(key, "en")
        assert ranking.column_label(key, "en") == schema.header(key, "en")
    for var in themes.VARIABLES.values():
        if var.key in schema.column_keys("indicator", "flag"):
            assert var.label("vi") == schema.label(var.key, "vi")


def test_the_contract_does_not_import_the_illustrative_generator():
    code = (
        "import sys, ntm_geo.datasets.contract as c, ntm_geo.datasets.catalog;"
        "print('ntm_geo.datasets.illustrative' in sys.modules, c.ILLUSTRATIVE.years)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "(2011,", "2015)"]  # years read from data/illustrative/


def test_illustrative_years_come_from_the_files(tmp_path):
    for name in ("lang_son_ntm_2015.csv", "lang_son_ntm_2020.csv", "other_2011.csv", "lang_son_ntm_x.csv"):
        (tmp_path / name).write_text("")
    assert contract.illustrative_years(tmp_path) == (2015, 2020)


def _filled_template(value_of: dict[str, str]) -> bytes:
    """The CSV template for 2015 with the given values (header -> text) in its first xã row."""
    text = template.template_csv(2015).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = rows[0]
    first_xa = next(i for i, r in enumerate(rows) if i and r[2] == "Xã")
    for col, value in value_of.items():
        rows[first_xa][header.index(col)] = value
    rows = [rows[0], rows[first_xa], rows[first_xa + 1]]
    rows[2][header.index(next(iter(value_of)))] = "120"  # out of range in the second row
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8")


def test_a_new_indicator_is_one_entry_and_flows_through_template_import_theme_and_store():
    assert "school_solid_pct" not in schema.column_keys()
    with schema.extended(SCHOOLS):
        # template: a column with the registry's header, validated as a percentage in Excel
        assert ("Tỷ lệ trường kiên cố (%)", "Schools built solid (%)") in template.headers()
        assert ("Tỷ lệ trường kiên cố (%)", "Schools built solid (%)", "pct") in template.indicator_columns()
        # import: the template's header and the aliases are recognised, the range is checked
        assert header_field("Trường kiên cố") == "school_solid_pct"
        assert header_field("SOLID SCHOOLS") == "school_solid_pct"
        report = import_table(_filled_template({"Tỷ lệ trường kiên cố (%)": "42,5"}), "t.csv")
        assert report.table["school_solid_pct"].tolist()[0] == 42.5
        assert [i.column for i in report.out_of_range] == ["Tỷ lệ trường kiên cố (%)"]
        assert "school_solid_pct" in import_registry.TABLE_COLUMNS
        # store: typed as the registry says
        typed = store.conform_table(report.table.drop(columns=["name_as_written"]), 2015)
        assert typed["school_solid_pct"].dtype == "float64"
        # theme: a variable of the infrastructure theme, classified with its palette
        assert themes.THEMES["infrastructure"].variables[-1] == "school_solid_pct"
        var = themes.variable("school_solid_pct")
        assert (var.label("en"), var.kind, var.palette, var.unit_vi) == (
            "Schools built solid",
            "scheme",
            "Greens",
            "%",
        )
        units = gpd.GeoDataFrame(
            {"commune_code": ["a", "b", "c"], "assessed": [True, True, True]},
            geometry=[box(i, 0, i + 1, 1) for i in range(3)],
            crs="EPSG:4326",
        )
        data = pd.DataFrame({"commune_code": ["a", "b", "c"], "school_solid_pct": [10.0, 50.0, 90.0]})
        view = themes.compute_view(
            themes.join_dataset(units, data), "school_solid_pct", scheme="quantiles", k=3
        )
        assert view.display_values == ("10,0 %", "50,0 %", "90,0 %")
        # profile lists it
        assert "school_solid_pct" in profile.indicator_keys()
    # gone again after the block
    assert "school_solid_pct" not in schema.column_keys()
    assert "school_solid_pct" not in themes.VARIABLES
    assert "school_solid_pct" not in themes.THEMES["infrastructure"].variables
    assert header_field("Trường kiên cố") is None


def test_the_contract_checks_a_new_indicator_with_its_registry_range(tmp_path):
    from ntm_geo.errors import DataError

    counts = schema.Column(
        "health_staff_per_1000",
        "indicator",
        "float64",
        Bilingual("Nhân viên y tế trên 1000 dân", "Health staff per 1000 people"),
        Bilingual("Nhân viên y tế (/1000 dân)", "Health staff (/1000 people)"),
        unit="/1000",
        valid_range=(0.0, 50.0),
    )
    table = pd.read_csv(
        contract.ILLUSTRATIVE_DIR / contract.file_name(2015), dtype=str, keep_default_na=False
    )
    table["health_staff_per_1000"] = ["2,5"] + ["3"] * (len(table) - 2) + ["60"]
    path = tmp_path / "with_health.csv"
    table.to_csv(path, index=False)
    with (
        schema.extended(counts),
        pytest.raises(DataError, match=r"row 227, column health_staff_per_1000: value 60 is outside 0-50"),
    ):
        contract.load_dataset_csv(path)
    table.loc[len(table) - 1, "health_staff_per_1000"] = "4"
    table.to_csv(path, index=False)
    with schema.extended(counts):
        loaded = contract.load_dataset_csv(path)
    assert (
        loaded["health_staff_per_1000"].dtype == "float64" and loaded["health_staff_per_1000"].iloc[0] == 2.5
    )


def test_the_import_reads_a_new_non_percentage_indicator_with_its_range():
    staff = schema.Column(
        "health_staff_per_1000",
        "indicator",
        "float64",
        Bilingual("Nhân viên y tế trên 1000 dân", "Health staff per 1000 people"),
        Bilingual("Nhân viên y tế (/1000 dân)", "Health staff (/1000 people)"),
        unit="/1000",
        valid_range=(0.0, 50.0),
    )
    csv_text = 'Mã xã,Năm,Nhân viên y tế (/1000 dân)\n05971,2015,"2,5"\n06628,2015,60\n06625,2015,abc\n'
    with schema.extended(staff):
        report = import_table(csv_text.encode(), "staff.csv")
        assert (
            "Nhân viên y tế (/1000 dân)",
            "Health staff (/1000 people)",
            "number",
        ) in template.indicator_columns()
    assert report.table["health_staff_per_1000"].tolist() == [2.5]
    reasons = sorted(i.reason_en for i in report.out_of_range)
    assert reasons == ["not a number (value, 0–50).", "value 60 is outside 0–50 /1000."]
