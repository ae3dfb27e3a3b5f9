"""Exports of datasets under the 318 (2022) and 51/2025 (2026) frameworks: every header, legend,
tooltip and attribute alias names the criteria of the dataset's own framework (never the 19 of
491/342), the header block names the framework, concepts the framework lacks are left out, and
the Excel/CSV tables import back (trial 6, finding 3)."""

from __future__ import annotations

import csv
import io
import sqlite3
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from ntm_geo.criteria.frameworks import framework
from ntm_geo.datasets import catalog
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.exports.formats import standalone_html, table_export
from ntm_geo.exports.geopackage import LAYER_COMMUNES, build_geopackage
from ntm_geo.exports.qgis_style import class_labels
from ntm_geo.exports.static_map import prepare
from ntm_geo.exports.static_map.legend import legend_rows
from ntm_geo.exports.view_data import export_data
from ntm_geo.maps.classify import NOT_ASSESSED, not_assessed_label
from ntm_geo.planning.candidates import candidate_table
from ntm_geo.views.viewstate import ViewState
from tests.test_exports_2025 import PASSWORD, save_2026
from tests.years_data import save_years


@pytest.fixture(scope="module")
def saved(tmp_path_factory, boundaries, boundaries_2025) -> dict[int, str]:
    """Year -> id of a saved dataset in one temporary store: 2022 (19 criteria, read under 318 by
    its year, on the 2015 units) and 2026 (51/2025, 10 criteria and commune groups, 2025 units)."""
    from ntm_geo import auth
    from ntm_geo.datasets import store

    mp = pytest.MonkeyPatch()
    mp.setenv("NTM_GEO_DATA_DIR", str(tmp_path_factory.mktemp("store") / "data"))
    mp.setenv("NTM_GEO_EDITOR_PASSWORD", PASSWORD)
    store.configure(None)
    auth.configure(None)
    info_2022 = save_years((2022,), password=PASSWORD)
    info_2026 = save_2026()  # asserts the table is read under 51/2025
    yield {2022: info_2022.id, 2026: info_2026.id}
    mp.undo()
    store.configure(None)
    auth.configure(None)


FRAMEWORK = {2022: "qd318", 2026: "qd51_2025"}
#: Names of these frameworks' criteria that differ from 491/342's (data/frameworks/qd318.yaml,
#: qd51_2025.yaml), as the reader's header gives them.
OWN_NAMES = {
    (2022, "vi"): ["TC3. Thủy lợi và phòng, chống thiên tai", "TC11. Nghèo đa chiều"],
    (2022, "en"): ["C3 Irrigation and disaster prevention", "C11 Multidimensional poverty"],
    (2026, "vi"): ["TC2. Hạ tầng kinh tế - xã hội", "TC7. Khoa học công nghệ và chuyển đổi số"],
    (2026, "en"): ["C2 Socio-economic infrastructure", "C7 Science, technology and digital transformation"],
}
#: Names 491/342 gives these columns: never in an export of the other frameworks.
NAMES_491 = [
    "Chợ nông thôn",
    "Rural market",
    "Bưu điện",
    "Post and telecommunications",
    "Hộ nghèo",
    "Poor households",
]


def _rows(data: bytes, fmt: str = "xlsx") -> list[list[object]]:
    if fmt == "csv":
        return [list(r) for r in csv.reader(io.StringIO(data.decode("utf-8-sig"))) if r]
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def _header(rows: list[list[object]]) -> tuple[list[object], list[object], list[list[object]]]:
    """(machine keys, reader's header, rows above the keys)."""
    i = next(i for i, r in enumerate(rows) if r[0] == "commune_code")
    return rows[i], rows[i + 1], rows[:i]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("year", [2022, 2026])
def test_table_headers_name_the_criteria_of_the_dataset_s_framework(saved, year, lang, fmt):
    data = table_export(ViewState(saved[year], year, lang=lang), fmt)
    keys, header, above = _header(_rows(data, fmt))
    fw = framework(FRAMEWORK[year])
    criteria = [k for k in keys if k in fw.criterion_keys]
    assert criteria == list(fw.criterion_keys)  # the framework's criteria, all of them, no other
    named = dict(zip(keys, header, strict=True))
    for c in fw.criteria:  # each criterion's header is that framework's name for it
        assert named[c.key].endswith(c.name(lang)) and str(c.number) in named[c.key]
    for text in OWN_NAMES[(year, lang)]:
        assert text in header
    assert not any(str(h).endswith(old) for h in header for old in NAMES_491)
    # every column has a header in the reader's language, none is left as its machine key
    assert not [k for k, h in named.items() if h == k], named
    # the header block names the framework
    said = "Bộ tiêu chí: QĐ " if lang == "vi" else "Criteria framework: Decision "
    assert any(said + fw.decision in str(r[0]) for r in above), above


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_commune_group_has_a_header_and_infrastructure_count_follows_the_framework(saved, lang):
    keys, header, _ = _header(_rows(table_export(ViewState(saved[2026], 2026, lang=lang), "xlsx")))
    named = dict(zip(keys, header, strict=True))
    assert named["commune_group"] == ("Nhóm xã" if lang == "vi" else "Commune group")
    assert "infra_criteria_met" not in named  # 51/2025 has no block of infrastructure criteria 2–9
    keys, header, _ = _header(_rows(table_export(ViewState(saved[2022], 2022, lang=lang), "xlsx")))
    named = dict(zip(keys, header, strict=True))
    assert named["infra_criteria_met"] == (
        "Tiêu chí hạ tầng đạt (2–9)" if lang == "vi" else "Infrastructure criteria met (2–9)"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("year", [2022, 2026])
def test_round_trip_through_the_importer(saved, year, lang, fmt):
    data = table_export(ViewState(saved[year], year, lang=lang), fmt)
    report = import_table(data, f"export.{fmt}")
    fw = framework(FRAMEWORK[year])
    assert report.year == year and report.framework_id == fw.id
    original = catalog.load_year(saved[year], year).reset_index(drop=True)
    assert report.ok_rows() == len(original)
    assert not report.unmatched and not report.out_of_range and not report.duplicates
    back = report.table.reset_index(drop=True)
    assert list(back["commune_code"]) == list(original["commune_code"])
    for column in [*fw.criterion_keys, "poverty_rate_pct"]:
        pd.testing.assert_series_equal(back[column], original[column], check_dtype=False, check_names=False)
    if year == 2026:
        pd.testing.assert_series_equal(
            back["commune_group"], original["commune_group"], check_dtype=False, check_names=False
        )


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("year", [2022, 2026])
def test_geopackage_aliases_and_style_name_the_framework_s_criteria(saved, year, lang, tmp_path: Path):
    path = tmp_path / "x.gpkg"
    path.write_bytes(build_geopackage(ViewState(saved[year], year, lang=lang)))
    with sqlite3.connect(path) as con:
        aliases = dict(
            con.execute(
                "SELECT column_name, name FROM gpkg_data_columns WHERE table_name = ?", (LAYER_COMMUNES,)
            ).fetchall()
        )
        (qml,) = con.execute(
            "SELECT styleQML FROM layer_styles WHERE f_table_name = ?", (LAYER_COMMUNES,)
        ).fetchone()
    for text in OWN_NAMES[(year, lang)]:
        assert text in aliases.values() and text in qml
    assert not any(str(a).endswith(old) for a in aliases.values() for old in NAMES_491)
    assert not [k for k, a in aliases.items() if a == k and k != "fid"], aliases
    assert ("infra_criteria_met" in aliases) is (year == 2022)


@pytest.mark.parametrize("year", [2022, 2026])
def test_html_and_static_maps_of_a_criterion_use_the_framework_s_name(saved, year):
    c = framework(FRAMEWORK[year]).criteria[6]  # criterion 7: "Chợ nông thôn" under 491/342
    state = ViewState(saved[year], year, var=c.key)
    page = standalone_html(state)
    assert c.name_vi in page and "Chợ nông thôn" not in page
    printed = prepare(state)
    assert c.name_vi in printed.view.variable.label("vi") and c.name_en in printed.view.variable.label("en")


# ---------------------------------------------------------------- no thị trấn on the 2025 units


def test_the_not_assessed_label_names_the_kinds_of_unit_it_holds():
    assert not_assessed_label() == ("Không đánh giá (phường, thị trấn)", "Not assessed (wards, townships)")
    assert not_assessed_label(["phuong", "thi-tran", "phuong"]) == not_assessed_label()
    assert not_assessed_label(["phuong", None, "phuong"]) == (
        "Không đánh giá (phường)",
        "Not assessed (wards)",
    )
    assert not_assessed_label([]) == ("Không đánh giá", "Not assessed")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_legends_of_the_2025_units_say_ward_only(saved, lang, tmp_path: Path):
    """Map/presentation legend, PNG/PDF legend, QGIS classes, HTML map and planner groups of the
    2026 dataset: "(phường)", never thị trấn (abolished on 1 July 2025); 2022 on the 2015 units
    keeps "(phường, thị trấn)"."""
    ward, both = ("(phường)", "(phường, thị trấn)") if lang == "vi" else ("(wards)", "(wards, townships)")
    town = "thị trấn" if lang == "vi" else "township"
    for year, expected in ((2026, ward), (2022, both)):
        state = ViewState(saved[year], year, var="criteria_met", lang=lang)
        data = export_data(state)
        shown = [label for _, label, _ in data.view.classification.legend_entries(lang)]
        assert shown[-1].endswith(expected), shown
        printed = [label for _, label, _ in legend_rows(prepare(state).view, lang, None)]
        assert printed[-1].endswith(expected)
        assert class_labels(data.view, lang)[NOT_ASSESSED].endswith(expected)
        groups = set(candidate_table(data.joined, lang)["group_label"])
        assert any(g.endswith(expected) for g in groups), groups
        if year == 2026:
            assert not any(town in label.lower() for label in [*shown, *printed, *groups])
            assert town not in standalone_html(state).lower()


@pytest.mark.filterwarnings(
    "ignore:The GeoSeries you are attempting to plot is empty"
)  # no districts in 2025
def test_the_decision_sheet_map_of_the_2025_units_has_no_thi_tran(boundaries, boundaries_2025):
    from ntm_geo.planning.decision_sheet import _shortlist_figure

    def legend(b) -> list[str]:
        fig, _ = _shortlist_figure(
            b.communes_web, b.districts_web, [], title="t", note="", lang="vi", width_in=4.0, dpi=50
        )
        return [text.get_text() for text in fig.axes[0].get_legend().get_texts()]

    assert "Xã, phường khác" in legend(boundaries_2025)
    assert "Xã, phường, thị trấn khác" in legend(boundaries)
