"""The importer in a separate, bounded process (ntm_geo.datasets.import_worker)."""

from __future__ import annotations

import pytest

from bench import hostile_files
from ntm_geo.datasets import import_worker
from ntm_geo.datasets.importing.limits import BudgetSpentError
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import DataError

CSV = 'Mã xã,Tên xã,Năm,Tỷ lệ hộ nghèo (%)\r\n06628,Xã Đình Lập,2015,"11,9"\r\n'.encode()


def test_worker_gives_the_same_report_as_the_importer():
    report = import_worker.import_in_worker(CSV, "ket_qua.csv")
    direct = import_table(CSV, "ket_qua.csv")
    assert report.matched == direct.matched
    assert report.table.equals(direct.table)


def test_worker_passes_the_importers_errors_through_with_their_location():
    data = (
        'Huyện,Tên xã,Năm\r\nĐình Lập,Xã Đình Lập,2015\r\nVăn Lãng,"Xã Tân Tác,2015\r\nA,B,2015\r\n'.encode()
    )
    with pytest.raises(DataError, match=r"q.csv, row 3, column «B»: the cell starts with a quote") as err:
        import_worker.import_in_worker(data, "q.csv")
    assert (err.value.row, err.value.column) == (3, "B")
    assert err.value.message_vi.startswith("q.csv, dòng 3, cột «B»")


def test_worker_is_killed_when_it_does_not_answer(monkeypatch):
    monkeypatch.setattr(import_worker, "WORKER_GRACE_S", 0.0)
    with pytest.raises(BudgetSpentError, match=r"slow.csv: the import took more than 0 s and was stopped"):
        import_worker.import_in_worker(hostile_files.worst_utf8(), "slow.csv", time_budget_s=0.0)


def test_worker_out_of_memory_is_a_clear_error_without_traceback():
    """Under a 64 MB address-space limit the child fails (MemoryError, or a library that cannot
    map its memory): the server gets a bilingual DataError naming the file, nothing else."""
    with pytest.raises(
        DataError,
        match=r"big.xlsx: (reading the file needed more than 64 MB of memory|the file could not be read \(\w+\))",
    ) as err:
        import_worker.import_in_worker(hostile_files.ghost_1048576(), "big.xlsx", memory_bytes=64 * 2**20)
    assert "Traceback" not in str(err.value) and "/" not in err.value.message_en.replace("CSV UTF-8", "")
