"""Crosswalk 2015 → 2025: overlay, legal mapping, slivers vs splits, the command line."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from ntm_geo.__main__ import main
from ntm_geo.errors import ConfigError
from ntm_geo.geo import crosswalk as cwm


@pytest.fixture(scope="module")
def cw(boundaries, boundaries_2025):
    return cwm.build_crosswalk("2015", "2025")


# --- the legal mapping (data) ----------------------------------------------------------------


def test_legal_mapping_matches_vietnamadminunits():
    """data/legal_2024_2025.tsv is converter_2025.json of vietnamadminunits, keyed by GSO code."""
    import pathlib

    import vietnamadminunits
    from vietnamadminunits.database import query

    data = json.loads(
        (pathlib.Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json").read_text()
    )
    new_code = {
        r["wardKey"]: r["wardCode"]
        for r in query("SELECT wardKey, wardCode FROM admin_units WHERE provinceKey='tinhlangson'")
    }
    old_code = {
        f"tinhlangson_{r['districtKey']}_{r['wardKey']}": r["wardCode"]
        for r in query(
            "SELECT districtKey, wardKey, wardCode FROM admin_units_legacy WHERE provinceKey='tinhlangson'"
        )
    }
    theirs = set()
    for new_key, olds in data["DICT_PROVINCE_WARD_NO_DIVIDED"]["tinhlangson"].items():
        theirs |= {(old_code[o], new_code[new_key], False) for o in olds}
    for old, news in data["DICT_PROVINCE_WARD_DIVIDED"]["tinhlangson"].items():
        theirs |= {(old_code[old], new_code[n["newWardKey"]], n["isDefaultNewWard"]) for n in news}
    legal = cwm.legal_mapping_2025()
    ours = {
        (r.former_code, r.new_code, bool(r.main) and bool(r.split)) for r in legal.itertuples(index=False)
    }
    assert ours == theirs
    assert legal["former_code"].nunique() == 194 and legal["new_code"].nunique() == 65
    assert sorted(legal.loc[legal["split"], "former_code"].unique()) == ["06079", "06622", "06625"]


# --- reconcile on tiny hand-made pieces ------------------------------------------------------


def test_reconcile_sliver_part_and_weights(monkeypatch):
    legal = pd.DataFrame(
        {
            "former_code": ["A", "B", "B"],
            "new_code": ["X", "X", "Y"],
            "split": [False, True, True],
            "main": [True] * 3,
        }
    )
    monkeypatch.setattr(cwm, "_legal", lambda: legal)
    pieces = pd.DataFrame(
        {
            "from_code": ["A", "A", "A", "B", "B", "C", "C"],
            "to_code": ["X", "Y", "Z", "X", "Y", "X", "Y"],
            "area_km2": [70, 25, 5, 60, 40, 90, 10],
            "area_share": [0.70, 0.25, 0.05, 0.6, 0.4, 0.9, 0.1],
        }
    )
    status = pd.Series({"A": "code_reused", "B": "persisting", "C": "merged_before_2024"})
    out = cwm.reconcile(pieces, status).set_index(["from_code", "to_code"])
    assert out.loc[("A", "X"), "kind"] == "legal"
    assert out.loc[("A", "Y"), "kind"] == "part"  # 25 % outside the legal mapping: a real part
    assert out.loc[("A", "Z"), "kind"] == "sliver"  # 5 %: boundary mismatch
    assert out.loc[("A", "X"), "weight"] == pytest.approx(0.70 / 0.95)
    assert out.loc[("A", "Z"), "weight"] == 0
    assert out.loc[("B", "Y"), "weight"] == pytest.approx(0.4)  # legal split: by area share
    assert not out.loc[("C", "X"), "legal"]  # a merged unit's code is not in the legal mapping
    assert out.loc[("C", "Y"), "kind"] == "sliver" and out.loc[("C", "X"), "weight"] == 1.0
    assert out.groupby(level=0)["weight"].sum().tolist() == pytest.approx([1, 1, 1])


def test_overlay_on_squares():
    sq = lambda x0, x1: shapely.box(x0, 0, x1, 1)  # noqa: E731  tiny fixture
    src = gpd.GeoDataFrame({"commune_code": ["a", "b"]}, geometry=[sq(0, 1), sq(1, 2)], crs=32648)
    dst = gpd.GeoDataFrame({"commune_code": ["X"]}, geometry=[sq(0, 1.5)], crs=32648)
    out = cwm.overlay(src, dst).set_index("from_code")
    assert out.loc["a", "area_share"] == pytest.approx(1.0, abs=1e-3)
    assert out.loc["b", "area_share"] == pytest.approx(0.5, abs=1e-3)


def test_unknown_pair():
    with pytest.raises(ConfigError, match="No crosswalk from 2025 to 2015; available: 2015 → 2025"):
        cwm.build_crosswalk("2025", "2015")
    with pytest.raises(ConfigError, match="Unknown unit vintage '2019'"):
        cwm.build_crosswalk("2019", "2025")


# --- the real crosswalk ----------------------------------------------------------------------


def test_every_unit_weighted_once(cw):
    assert len(cw.units) == 226 and cw.units["from_code"].is_unique
    assert cw.pieces.groupby("from_code")["weight"].sum().to_numpy() == pytest.approx([1.0] * 226)
    assert cw.units["status"].value_counts().to_dict() == {
        "persisting": 181,
        "merged_before_2024": 32,
        "code_reused": 13,
    }


def test_main_target_agrees_with_legal_mapping(cw):
    """For all 194 codes of the legal mapping, the overlay's largest piece is a legal target."""
    pieces = cw.pieces[cw.pieces["area_share"] > 0]
    largest = pieces.sort_values("area_share").groupby("from_code").tail(1).set_index("from_code")
    codes = cwm.legal_mapping_2025()["former_code"].unique()
    assert len(codes) == 194
    assert largest.loc[codes, "legal"].all()


def test_slivers_are_small_and_persisting_units_not_split(cw):
    slivers = cw.pieces[cw.pieces["kind"] == "sliver"]
    assert (slivers["area_share"] < cwm.SLIVER_SHARE).all()
    share = slivers["area_km2"].sum() / cw.pieces["area_km2"].sum()
    assert 0.005 < share < 0.03  # ~2 % of the area falls in neighbours
    persisting = cw.units[cw.units["status"] == "persisting"]
    split = set(persisting.loc[persisting["split"], "from_code"])
    assert split == {"06622", "06625"}  # only the legal splits of Đình Lập


def test_legal_splits(cw):
    p = cw.pieces.set_index(["from_code", "to_code"])
    assert p.loc[("06622", "06625"), "weight"] == pytest.approx(0.80, abs=0.03)  # Bính Xá → Kiên Mộc
    assert p.loc[("06622", "06613"), "weight"] == pytest.approx(0.20, abs=0.03)  # → Đình Lập
    assert p.loc[("06625", "06637"), "kind"] == "legal" and p.loc[("06625", "06637"), "weight"] > 0.1
    # Hồng Phong (Bình Gia): the mapping's second target is ~40 km away; kept and flagged
    assert p.loc[("06079", "06184"), "kind"] == "legal_no_overlap"
    assert p.loc[("06079", "06079"), "weight"] == 1.0


def test_merged_before_2024_placed_by_overlay(cw):
    merged = cw.units[cw.units["status"] == "merged_before_2024"]
    assert len(merged) == 32
    assert not cw.pieces[cw.pieces["from_code"].isin(merged["from_code"])]["legal"].any()
    main = merged.set_index("from_code")["main_code"]
    assert main["06007"] == "06001"  # Vĩnh Tiến → Khánh Long (2024) → Xã Đoàn Kết


def test_former_unit_notices():
    by_name = {f.name_with_type: f for f in cwm.former_units()}
    assert by_name["Xã Hoàng Đồng"].notice("vi") == "Xã Hoàng Đồng → Phường Tam Thanh, 1672/NQ-UBTVQH15"
    assert (
        by_name["Xã Bính Xá"].notice("en")
        == "Xã Bính Xá → Xã Đình Lập + Xã Kiên Mộc (split), 1672/NQ-UBTVQH15"
    )
    assert "merged before 2024" in by_name["Xã Vĩnh Tiến"].notice("en")
    assert "Xã Đoàn Kết" in by_name["Xã Vĩnh Tiến"].notice("en")


# --- command line ----------------------------------------------------------------------------


def test_cli_json_covers_all_units(cw, capsys):
    assert main(["crosswalk", "--from", "2015", "--to", "2025", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"], data["to"]) == ("2015", "2025")
    assert len(data["units"]) == 226
    hp = next(u for u in data["units"] if u["code"] == "06079")
    assert hp["name"] == "Xã Hồng Phong"
    assert hp["targets"][0] == {
        "code": "06079",
        "name": "Xã Hồng Phong",
        "area_share": hp["targets"][0]["area_share"],
        "weight": 1.0,
        "legal": True,
        "kind": "legal",
    }
    assert 0.95 < hp["targets"][0]["area_share"] <= 1
    assert data["summary"]["main_target_legal"] == 194
    assert len(data["summary"]["merged_before_2024"]) == 32


def test_cli_text_and_errors(cw, capsys):
    assert main(["crosswalk", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "06622 Xã Bính Xá (Huyện Đình Lập; code and name persist to 2024) → 06625 Xã Kiên Mộc*" in out
    assert "194/194 codes" in out
    assert main(["crosswalk", "--from", "2025", "--to", "2015"]) == 2
    assert "No crosswalk from 2025 to 2015" in capsys.readouterr().err


def test_build_shapes_2025(boundaries_2025, capsys):
    assert main(["build-shapes", "--vintage", "2025"]) == 0
    out = capsys.readouterr().out
    assert "units 65 ({'xa': 61, 'phuong': 4}), no district level" in out
    assert "sum of unit areas 8307.7 km²" in out and "gaps 0" in out
    assert "tolerance 140 m" in out


def test_former_districts_of_2025_units(cw):
    f = cwm.former_districts_2025()
    assert len(f) == 65 and f["commune_code"].is_unique
    assert (f["share"] >= 0.9).sum() == 62  # the 2025 units mostly nest in one former district
    assert f.set_index("commune_code").loc["06613", "district_name"] == "Huyện Đình Lập"
    assert f["district_code"].nunique() == 11
