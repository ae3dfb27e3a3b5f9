"""What real-world files do to text and columns (issue 14, items 5, 6, 7, 10, 11).

Each test fails on the code before the fix; every message names the file, row and column in
Vietnamese and English.
"""

from __future__ import annotations

import unicodedata

import pytest

from ntm_geo.datasets.importing.encodings import TCVN3, repair_mojibake, tcvn3_to_unicode
from ntm_geo.datasets.importing.reading import read_table
from ntm_geo.datasets.importing.report import issue_message
from ntm_geo.datasets.importing.table import import_table
from ntm_geo.errors import DataError
from ntm_geo.geo.units import official_units

UNICODE_TO_TCVN3 = {v: chr(k) for k, v in TCVN3.items()}


def _sloppy_decode(data: bytes, codec: str) -> str:
    """Bytes read as ``codec``, undefined bytes kept as U+0080..U+00FF (as Windows does)."""
    out = []
    for b in data:
        try:
            out.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def _double_encode(text: str, codec: str) -> bytes:
    """UTF-8 text opened as ``codec`` and saved again as UTF-8 (the mojibake of issue 14, item 6)."""
    return _sloppy_decode(text.encode("utf-8"), codec).encode("utf-8")


# ------------------------------------------------------------------ item 5: stray opening quote


def test_stray_opening_quote_is_named_by_row_and_column():
    data = (
        "Huyện,Tên xã,Năm,Số tiêu chí đạt\r\n"
        "Đình Lập,Xã Đình Lập,2015,9\r\n"
        'Văn Lãng,"Xã Tân Tác,2015,10\r\n'
        "Văn Lãng,Xã Hội Hoan,2015,8\r\n"
        "Văn Lãng,Xã Tân Mỹ,2015,7\r\n"
    ).encode()
    with pytest.raises(DataError) as err:
        import_table(data, "quote.csv")
    assert (err.value.row, err.value.column) == (3, "B")
    assert err.value.message_en.startswith(
        'quote.csv, row 3, column «B»: the cell starts with a quote (") that is not closed on its line, '
        "so lines 3–5 were read as one cell"
    )
    assert err.value.message_vi.startswith("quote.csv, dòng 3, cột «B»: ô bắt đầu bằng dấu ngoặc kép")


def test_stray_quote_on_the_last_line_is_named_too():
    data = 'Huyện,Tên xã,Năm\r\nĐình Lập,Xã Đình Lập,2015\r\nVăn Lãng,"Xã Tân Tác,2015\r\n'.encode()
    with pytest.raises(DataError, match=r"last.csv, row 3, column «B»: the cell starts with a quote") as err:
        import_table(data, "last.csv")
    assert err.value.message_vi.startswith("last.csv, dòng 3, cột «B»: ô bắt đầu bằng dấu ngoặc kép")


def test_quoted_cell_with_a_line_break_is_still_read():
    data = 'Mã xã,"Tỷ lệ hộ nghèo\r\n(%)",Năm\r\n06628,"11,9",2015\r\n'.encode()
    report = import_table(data, "two_line_header.csv")
    assert float(report.table["poverty_rate_pct"][0]) == 11.9


# ------------------------------------------------------------------ item 6: double-encoded UTF-8

TEXT = 'Tên xã,Huyện,Năm,Tỷ lệ hộ nghèo (%)\r\nThị trấn Bình Gia,Bình Gia,2015,"11,9"\r\n'


@pytest.mark.parametrize("codec", ["cp1252", "latin-1", "cp1258"])
def test_double_encoded_utf8_is_repaired_with_a_notice(codec):
    data = _double_encode(TEXT, codec)
    assert "Bình Gia" not in data.decode("utf-8")  # really garbled: "BÃ¬nh Gia" / "BĂ¬nh Gia"
    report = import_table(data, "mojibake.csv")
    assert [m["commune_code"] for m in report.matched] == ["06064"]
    notice = next(n for n in report.notices if "wrong encoding" in n.reason_en)
    assert notice.row == 1 and notice.column == "(cột A)"
    assert "6 cell(s) repaired" in notice.reason_en and "» → «Tên xã»" in notice.reason_en
    assert issue_message(notice, "mojibake.csv", "vi").startswith(
        "mojibake.csv, dòng 1, cột «(cột A)»: tệp bị lưu sai bảng mã"
    )


def test_mojibake_repair_of_every_unit_name_both_ways():
    units = official_units()
    names = list(units["name_with_type"]) + list(units["district_name"].unique())
    for codec in ("cp1252", "cp1258"):
        for name in names:
            garbled = _sloppy_decode(name.encode("utf-8"), codec)
            assert repair_mojibake(garbled) == name, (codec, name, garbled)
    assert all(repair_mojibake(n) is None for n in names)  # correct text is never "repaired"


def test_mojibake_without_a_sure_repair_is_refused_naming_the_cell():
    garbled = "Thá»\ufffd trấn Bình Gia"  # a byte lost (�) and a repaired part: no sure repair
    data = f"Tên xã,Huyện,Năm\r\nXã Đình Lập,Đình Lập,2015\r\n{garbled},Bình Gia,2015\r\n".encode()
    with pytest.raises(DataError) as err:
        read_table(data, "lost.csv")
    assert (err.value.row, err.value.column) == (3, "A")
    assert "saved with the wrong encoding" in err.value.message_en
    assert "bị lưu sai bảng mã" in err.value.message_vi


# ------------------------------------------------------------------ item 7: TCVN3 and VNI


def test_tcvn3_table_round_trips_every_unit_name():
    units = official_units()
    for name in list(units["name_with_type"]) + list(units["district_name"]):
        lower = unicodedata.normalize("NFC", name.lower())
        typed = "".join(UNICODE_TO_TCVN3.get(ch, ch) for ch in lower)
        assert tcvn3_to_unicode(typed) == lower, name


def test_tcvn3_csv_is_converted_with_a_notice():
    data = "Tªn x·,HuyÖn,N¨m\r\nX· §×nh LËp,§×nh LËp,2015\r\nThÞ trÊn Na D­¬ng,Léc B×nh,2015\r\n".encode(
        "cp1252"
    )
    report = import_table(data, "tcvn3.csv")
    assert report.encoding == "tcvn3"
    assert sorted(m["commune_code"] for m in report.matched) == ["06526", "06628"]
    assert any("TCVN3" in n.reason_en and "converted to Unicode" in n.reason_en for n in report.notices)


def test_tcvn3_cells_of_a_workbook_are_converted():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Tªn x·", "HuyÖn", "N¨m"])
    ws.append(["X· §×nh LËp", "§×nh LËp", 2015])
    ws.append(["ThÞ trÊn Na D\u00ad¬ng", "Léc B×nh", 2015])
    buf = io.BytesIO()
    book.save(buf)
    report = import_table(buf.getvalue(), "tcvn3.xlsx")
    assert sorted(m["commune_code"] for m in report.matched) == ["06526", "06628"]
    assert any("TCVN3" in n.reason_en for n in report.notices)


def test_vni_cells_of_a_workbook_are_refused_with_the_unikey_steps():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["Teân xaõ", "Huyeän", "Naêm"])
    ws.append(["Xaõ Ñình Laäp", "Ñình Laäp", 2015])
    buf = io.BytesIO()
    book.save(buf)
    with pytest.raises(
        DataError,
        match=r"vni.xlsx, sheet «Sheet», row 1, column «B»: the text looks typed with a VNI.*«Huyeän»",
    ):
        import_table(buf.getvalue(), "vni.xlsx")


def test_tcvn3_can_be_named_on_the_command_line_encoding():
    data = "Tªn x·,N¨m\r\nX· B¾c X¹,2015\r\n".encode("cp1252")
    raw = read_table(data, "tcvn3.csv", encoding="tcvn3")
    assert raw.rows[0][1][0] == "Xã Bắc Xạ"


# ------------------------------------------------------------------ item 10: two columns, one field


def test_two_columns_for_one_field_are_compared_not_dropped():
    data = (
        "Mã xã,Năm,Tỷ lệ hộ nghèo (%),Hộ nghèo %\r\n"
        '06628,2015,"11,9",11.9\r\n'  # the same value written two ways: imported
        "06619,2015,20,25\r\n"  # a conflict: reported, not imported
    ).encode()
    report = import_table(data, "two_poverty.csv")
    assert [m["commune_code"] for m in report.matched] == ["06628"]
    conflict = next(i for i in report.out_of_range if i.row == 3)
    assert conflict.column == "Tỷ lệ hộ nghèo (%) / Hộ nghèo %"
    assert "two columns both give poverty_rate_pct and differ" in conflict.reason_en
    assert issue_message(conflict, "two_poverty.csv", "vi").startswith(
        "two_poverty.csv, dòng 3, cột «Tỷ lệ hộ nghèo (%) / Hộ nghèo %»: hai cột cùng cho poverty_rate_pct"
    )
    texts = [n.reason_en for n in report.notices]
    assert not any("not recognised" in t for t in texts)
    assert any("«Hộ nghèo %» gives the same field as column «Tỷ lệ hộ nghèo (%)»" in t for t in texts)


# ------------------------------------------------------------------ item 11: a year without report figures


def test_a_year_the_report_has_no_figures_for_says_which_checks_cannot_run():
    data = "Mã xã,Năm,Số tiêu chí đạt\r\n06628,2013,9\r\n".encode()
    report = import_table(data, "2013.csv")
    notice = next(n for n in report.notices if n.value == "2013")
    assert "report 48/BC-BCĐ has no figures for 2013 (only for 2011, 2015)" in notice.reason_en
    assert "poverty rate" in notice.reason_en and "cannot run" in notice.reason_en
    assert "Báo cáo 48/BC-BCĐ không có số liệu năm 2013" in notice.reason_vi
    report_2015 = import_table(data.replace(b"2013", b"2015"), "2015.csv")
    assert not any("no figures for" in n.reason_en for n in report_2015.notices)


def test_garbled_text_on_an_instructions_sheet_does_not_refuse_the_table():
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "Hướng dẫn"
    book.active.append(["Xaõ Ñình Laäp"])
    book.active.append(["Huyeän Ñình Laäp"])
    book.active.append(["Teân xaõ"])
    data = book.create_sheet("Số liệu")
    data.append(["Mã xã", "Năm"])
    data.append(["06628", 2015])
    buf = io.BytesIO()
    book.save(buf)
    report = import_table(buf.getvalue(), "two_sheets.xlsx")
    assert report.sheet == "Số liệu" and [m["commune_code"] for m in report.matched] == ["06628"]


def test_repaired_data_cell_notice_names_its_column_header():
    """A repaired cell below the header is named by its header ("cột «Huyện»"), not "(cột A)"."""
    data = "Huyện,Tên xã,Năm,Số tiêu chí đạt\r\nBình Gia,Xã Hoa Thám,2015,10\r\n"
    garbled = (
        data.split("\r\n", 1)[0].encode("utf-8")
        + b"\r\n"
        + _double_encode(data.split("\r\n", 1)[1], "cp1252")
    )
    report = import_table(garbled, "mojibake.csv")
    assert len(report.matched) == 1  # repaired, then matched
    notice = next(n for n in report.notices if "wrong encoding" in n.reason_en)
    assert notice.row == 2 and notice.column == "Huyện"
    assert issue_message(notice, "mojibake.csv", "vi").startswith(
        "mojibake.csv, dòng 2, cột «Huyện»: tệp bị lưu sai"
    )


# ------------------------------------------------------------------ trial 6, finding 5: damaged UTF-8


def _damaged(bom: bool, n: int = 1) -> tuple[bytes, list[int]]:
    """The 2015 CSV template (UTF-8) with the first ``n`` «ệ» after the header each replaced by the
    bytes FF FE 80 (a broken copy/paste); the byte offsets of the damage."""
    from ntm_geo.datasets.template import template_csv

    data = template_csv(2015)
    data = data if bom else data[3:]
    e = "ệ".encode()
    offsets = []
    pos = data.find(b"\r\n")
    for _ in range(n):
        pos = data.find(e, pos + 1)
        data = data[:pos] + b"\xff\xfe\x80" + data[pos + len(e) :]
        offsets.append(pos)
    return data, offsets


@pytest.mark.parametrize("bom", [False, True])
def test_utf8_with_a_few_damaged_bytes_names_the_cell_not_a_vni_font(bom):
    data, (offset,) = _damaged(bom)
    with pytest.raises(DataError) as err:
        import_table(data, "enc_bad.csv", year=2015)
    vi, en = err.value.message_vi, err.value.message_en
    assert (
        "tệp là văn bản UTF-8 nhưng có 3 byte bị hỏng" in vi and "the file is UTF-8 text, but 3 byte(s)" in en
    )
    assert "dòng 10, cột B «Huyện/thành phố»: «Huy���n Tràng Định»" in vi
    assert f"row 10, column B «Huyện/thành phố»: «Huy���n Tràng Định» (byte offset {offset})" in en
    assert err.value.row == 10 and err.value.column == "B"
    assert "Unikey" not in vi + en and "not a VNI/TCVN3 font file" in en  # not the font advice


def test_every_damaged_cell_is_named_up_to_ten():
    data, offsets = _damaged(False, n=12)
    with pytest.raises(DataError) as err:
        import_table(data, "enc_bad.csv", year=2015)
    en = err.value.message_en
    assert "36 byte(s)" in en and en.count("byte offset") == 10 and "(+2 cells)" in en
    assert f"(byte offset {offsets[0]})" in en and f"(byte offset {offsets[9]})" in en


def test_a_vni_csv_still_gets_the_font_advice():
    """Legacy-font bytes are not taken for damaged UTF-8: VNI text read as Windows-1252."""
    lines = ["Huyeän,Teân xaõ,Naêm", "Vaên Laõng,Xaõ Hoaøng Vieät,2015", "Loäc Bình,Xaõ Tónh Baéc,2015"]
    with pytest.raises(DataError) as err:
        import_table("\n".join(lines).encode("cp1252"), "vni.csv")
    assert "Unikey" in err.value.message_vi and "UTF-8 nhưng có" not in err.value.message_vi
