"""The new-workbook helper of ntm_geo.exports.tables (openpyxl types ``Workbook.active`` as optional)."""

from __future__ import annotations

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from ntm_geo.errors import ConfigError
from ntm_geo.exports.tables import new_workbook


def test_new_workbook_gives_its_one_worksheet() -> None:
    book, sheet = new_workbook()
    assert isinstance(sheet, Worksheet)
    assert book.worksheets == [sheet]


def test_workbook_without_worksheet_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    class NoSheetBook(openpyxl.Workbook):
        @property
        def active(self) -> None:  # type: ignore[override]  # the case the helper guards against
            return None

    monkeypatch.setattr(openpyxl, "Workbook", NoSheetBook)
    with pytest.raises(ConfigError, match="without a worksheet") as err:
        new_workbook()
    assert "trang tính" in err.value.message("vi")
