"""python -m ntm_geo import-boundaries: text and JSON reports, exit status, saving (the attacks are
in tests/test_boundary_upload_security.py, through the library and this command)."""

from __future__ import annotations

import json
import warnings

import pyogrio
import pytest

from ntm_geo import __main__ as cli


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@pytest.fixture(scope="module")
def gpkg(boundaries, tmp_path_factory):
    path = tmp_path_factory.mktemp("b") / "ranh_gioi.gpkg"
    frame = boundaries.communes[["commune_code", "name_with_type", "district_name", "geometry"]]
    pyogrio.write_dataframe(frame.to_crs("EPSG:3405"), path)
    return path


def test_complete_file_dry_run_json_exit_0(gpkg, capsys):
    status = cli.main(["import-boundaries", str(gpkg), "--dry-run", "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 0 and payload["complete"] and payload["saved"] is None
    assert len(payload["matched"]) == 226 and "VN-2000" in payload["source_crs"]


def test_subset_is_incomplete_exit_1_text_report(boundaries, tmp_path, capsys):
    path = tmp_path / "x.geojson"
    pyogrio.write_dataframe(boundaries.communes[["commune_code", "geometry"]].head(3), path)
    status = cli.main(["import-boundaries", str(path), "--lang", "en"])
    out = capsys.readouterr().out
    assert status == 1
    assert "3 matched, 0 unmatched, 0 duplicates, 223 units without a polygon" in out
    assert "nothing saved" in out


def test_missing_file_and_oversize_are_json_errors(tmp_path, capsys, monkeypatch):
    status = cli.main(["import-boundaries", str(tmp_path / "none.zip"), "--json"])
    payload = json.loads(capsys.readouterr().out)
    assert status == 2 and payload["error"]["file"] == "none.zip"
    assert "cannot read the file" in payload["error"]["message_en"]
    assert str(tmp_path) not in json.dumps(payload)
    from ntm_geo.geo import boundary_upload as bu

    monkeypatch.setattr(bu.upload_files, "MAX_BYTES", 10)
    big = tmp_path / "big.geojson"
    big.write_bytes(b"{" + b" " * 100)
    assert cli.main(["import-boundaries", str(big), "--json"]) == 2
    assert "the limit is 0 MB" in json.loads(capsys.readouterr().out)["error"]["message_en"]


def test_save_with_the_editor_password(gpkg, tmp_path, capsys, monkeypatch):
    from ntm_geo import auth
    from ntm_geo.datasets import store

    monkeypatch.setenv("NTM_GEO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NTM_GEO_EDITOR_PASSWORD", "s3cret")
    store.configure(None)
    auth.configure(None)
    status = cli.main(["import-boundaries", str(gpkg), "--name", "Ranh giới 2020", "--lang", "en"])
    out = capsys.readouterr().out
    assert status == 0 and "Saved boundaries «Ranh giới 2020» (id boundaries-1)" in out
    assert len(store.active_boundaries()) == 226
