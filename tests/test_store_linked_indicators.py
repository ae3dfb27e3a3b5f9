"""A dataset saved while indicators 4.2, 11.1 and 17.1 had their own columns (``c04_2``, ``c11_1``,
``c17_1``) is read with them folded into the registry columns they are now linked to
(``electricity_hh_pct``, ``poverty_rate_pct``, ``hygienic_water_hh_pct``): the profile and the map
show the values; where both columns disagree the registry column wins and the dataset says so."""

from __future__ import annotations

import io
import logging
import sqlite3

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from ntm_geo import auth
from ntm_geo.criteria.frameworks import framework
from ntm_geo.datasets import catalog, framework_indicators, store
from ntm_geo.datasets.contract import load_illustrative
from ntm_geo.geo.units import official_units
from ntm_geo.maps.themes import compute_view, join_dataset
from ntm_geo.planning.profile import commune_profile

PW = "editor-pw"
WARD, XA, XA2, XA3 = "05971", "06628", "06619", "06622"  # Phường Hoàng Văn Thụ; Xã Đình Lập …


@pytest.fixture(autouse=True)
def _store(tmp_path, monkeypatch):
    monkeypatch.setenv(store.DATA_ENV, str(tmp_path / "data"))
    monkeypatch.setenv(auth.PASSWORD_ENV, PW)
    store.configure(None)
    auth.configure(None)
    yield tmp_path / "data"
    store.configure(None)


def old_table() -> pd.DataFrame:
    """The 2015 illustrative table as the store briefly saved it: the three linked quantities in
    the framework's own columns, the registry columns empty except for two disagreements."""
    table = load_illustrative(2015).set_index("commune_code")
    old = {"c04_2": "electricity_hh_pct", "c11_1": "poverty_rate_pct", "c17_1": "hygienic_water_hh_pct"}
    for key, column in old.items():
        table[key] = table[column]
        table[column] = np.nan
    table.loc[WARD, "c11_1"] = 3.5  # only the old column: read into poverty_rate_pct
    table.loc[XA, ["c11_1", "poverty_rate_pct"]] = [12.0, 11.9]  # both, differing: 11.9 kept
    table.loc[XA2, ["c11_1", "poverty_rate_pct"]] = [20.0, 20.0]  # both, agreeing: nothing to say
    table.loc[XA3, ["c17_1", "hygienic_water_hh_pct"]] = [80.0, 85.0]  # 85 kept
    return table.reset_index()


def save_old(_store) -> str:
    """Save a dataset, then overwrite its 2015 table in the SQLite file with :func:`old_table`."""
    info = store.save_dataset("NTM 2015 cũ", "VPĐP", "cli:test", {2015: load_illustrative(2015)}, password=PW)
    buffer = io.BytesIO()
    old_table().to_parquet(buffer, index=False)
    with sqlite3.connect(_store / store.DB_FILE) as conn:
        conn.execute(
            "UPDATE dataset_years SET table_parquet = ? WHERE dataset_id = ? AND year = 2015",
            (buffer.getvalue(), info.id),
        )
    return info.id


def test_old_indicator_columns_are_read_into_the_registry_columns(_store, caplog):
    dataset_id = save_old(_store)
    with caplog.at_level(logging.WARNING, logger="ntm_geo.datasets.store"):
        table = catalog.load_year(dataset_id, 2015).set_index("commune_code")
    assert not {"c04_2", "c11_1", "c17_1"} & set(table.columns)  # one column per quantity
    ref = load_illustrative(2015).set_index("commune_code")
    assert table.loc[WARD, "poverty_rate_pct"] == 3.5
    assert table.loc[XA, "poverty_rate_pct"] == 11.9 and table.loc[XA2, "poverty_rate_pct"] == 20.0
    assert table.loc[XA3, "hygienic_water_hh_pct"] == 85.0
    others = table.index.difference([WARD, XA, XA2, XA3])
    for column in ("poverty_rate_pct", "electricity_hh_pct", "hygienic_water_hh_pct"):
        pd.testing.assert_series_equal(table.loc[others, column], ref.loc[others, column])
    assert table["poverty_rate_pct"].dtype == "float64"
    # the disagreements: logged, and in the dataset's note shown with its maps
    assert [r.getMessage() for r in caplog.records] == [
        f"dataset {dataset_id}: 2015: the former column c11_1 (indicator 11.1) and «Poverty rate» "
        "(poverty_rate_pct) differ for 1 unit(s) (06628); the values of «Poverty rate» are used.",
        f"dataset {dataset_id}: 2015: the former column c17_1 (indicator 17.1) and «Households with hygienic "
        "water» (hygienic_water_hh_pct) differ for 1 unit(s) (06622); the values of «Households with hygienic "
        "water» are used.",
    ]
    info = catalog.get_dataset(dataset_id)
    assert (
        "Năm 2015: cột cũ c11_1 (chỉ tiêu 11.1) và cột «Tỷ lệ hộ nghèo» (poverty_rate_pct) khác nhau ở 1 đơn vị (06628)"
        in info.note_vi
    )
    assert info.note_en.startswith("Source: VPĐP. Uploaded by cli:test") and "c17_1" in info.note_en


def test_the_profile_and_the_map_show_the_values_of_the_old_columns(_store):
    dataset_id = save_old(_store)
    units = official_units()
    points = gpd.GeoDataFrame(
        units, geometry=gpd.points_from_xy([106.0] * len(units), [21.8] * len(units)), crs=4326
    )
    joined = join_dataset(points, catalog.load_year(dataset_id, 2015))
    assert joined["framework_id"].iloc[0] == "qd491_342"
    row = joined.set_index("commune_code").loc[WARD].copy()
    row["commune_code"] = WARD
    profile = commune_profile(row, "en", framework("qd491_342"))
    indicators = profile.framework_indicators.set_index("Indicators")["Value"]
    assert indicators.to_dict() == {
        "4.2 Share of households using electricity regularly and safely": "99.9 %",
        "11.1 Share of poor households": "3.5 %",
        "17.1 Share of households with hygienic water": "97.6 %",
    }
    assert profile.indicators.set_index("Indicators").loc["Poverty rate", "Value"] == "3.5 %"
    view = compute_view(joined, "poverty_rate_pct", lang="en")
    shown = dict(zip(joined["commune_code"], view.display_values, strict=True))
    assert shown[WARD].startswith("3.5") and shown[XA].startswith("11.9")


def test_fold_linked_columns_leaves_a_current_table_alone():
    table = load_illustrative(2015)
    folded, conflicts = framework_indicators.fold_linked_columns(table, "qd491_342")
    assert folded is table and conflicts == ()
    # under 51/2025 no indicator is linked: a c04_2 column there is the framework's own, kept
    own = table.assign(c04_2=1.0)
    assert framework_indicators.fold_linked_columns(own, "qd51_2025")[0] is own


def test_folded_old_values_out_of_range_or_not_numbers_are_left_out_and_said(_store, caplog):
    """Trial 8, M3: c11_1 = 250 and −5 were folded into poverty_rate_pct as they were (legend
    "(58,3 – 250,0] %"), and a text in c17_1 became empty without a word. The registry column's
    range (0–100 %) now applies: the values are left out, listed in the note and the log."""
    table = old_table()
    # a text column, as a hand-edited file saves it (Parquet keeps one type per column)
    table["c17_1"] = table["c17_1"].map(lambda v: "" if pd.isna(v) else f"{v:g}")
    at = table.set_index("commune_code").index.get_loc
    table.loc[at(XA), "c11_1"] = 250.0  # the registry column holds 11.9 here: not a disagreement now
    table.loc[at(XA2), ["c11_1", "poverty_rate_pct"]] = [-5.0, np.nan]
    table.loc[at(XA3), ["c17_1", "hygienic_water_hh_pct"]] = ["<b>x</b>", np.nan]
    table.loc[at(WARD), "c17_1"] = " "  # a blank text: empty, nothing to say
    folded, remarks = framework_indicators.fold_linked_columns(table, "qd491_342")
    folded = folded.set_index("commune_code")
    assert folded.loc[XA, "poverty_rate_pct"] == 11.9
    assert np.isnan(folded.loc[XA2, "poverty_rate_pct"]) and np.isnan(
        folded.loc[XA3, "hygienic_water_hh_pct"]
    )
    assert folded["poverty_rate_pct"].max() <= 100 and folded["poverty_rate_pct"].min() >= 0
    dropped = [r for r in remarks if isinstance(r, framework_indicators.LinkDropped)]
    assert [(r.key, r.column, r.values) for r in dropped] == [
        ("c11_1", "poverty_rate_pct", ((XA2, -5.0), (XA, 250.0))),
        ("c17_1", "hygienic_water_hh_pct", ((XA3, None),)),
    ]
    assert not [r for r in remarks if isinstance(r, framework_indicators.LinkConflict)]
    assert dropped[0].message(2015).vi == (
        "Năm 2015: cột cũ c11_1 (chỉ tiêu 11.1) có 2 giá trị ngoài 0–100 % hoặc không phải số (06619 = -5, "
        "06628 = 250); các giá trị này bỏ qua (để trống) trong cột «Tỷ lệ hộ nghèo» (poverty_rate_pct)."
    )
    assert "<b>" not in dropped[1].message(2015).en and "06622: not a number" in dropped[1].message(2015).en

    # saved as the store once held it: the same remarks in the dataset's note and in the log
    info = store.save_dataset("NTM 2015 cũ", "VPĐP", "cli:test", {2015: load_illustrative(2015)}, password=PW)
    buffer = io.BytesIO()
    table.to_parquet(buffer, index=False)
    with sqlite3.connect(_store / store.DB_FILE) as conn:
        conn.execute(
            "UPDATE dataset_years SET table_parquet = ? WHERE dataset_id = ? AND year = 2015",
            (buffer.getvalue(), info.id),
        )
    with caplog.at_level(logging.WARNING, logger="ntm_geo.datasets.store"):
        loaded = catalog.load_year(info.id, 2015).set_index("commune_code")
    assert np.isnan(loaded.loc[XA2, "poverty_rate_pct"]) and loaded.loc[XA, "poverty_rate_pct"] == 11.9
    logged = [r.getMessage() for r in caplog.records]
    assert f"dataset {info.id}: {dropped[0].message(2015).en}" in logged
    assert f"dataset {info.id}: {dropped[1].message(2015).en}" in logged
    note = catalog.get_dataset(info.id).note_vi
    assert dropped[0].message(2015).vi in note and dropped[1].message(2015).vi in note
