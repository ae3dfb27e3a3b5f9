"""Static map export: page sizes, dpi, PDF pages, Vietnamese glyphs, district zoom, errors."""

from __future__ import annotations

import io
import re
import warnings
from datetime import date

import numpy as np
import pytest
from matplotlib.ft2font import FT2Font
from PIL import Image

from ntm_geo.errors import ConfigError
from ntm_geo.exports.static_map import (
    FONT_BOLD,
    FONT_REGULAR,
    SIZES,
    check_view,
    prepare,
    render_map,
    resolve_district,
)
from ntm_geo.exports.static_map.drawing import nice_length
from ntm_geo.exports.static_map.legend import legend_rows
from ntm_geo.exports.static_map.page import Page
from ntm_geo.views.viewstate import ViewState

VIETNAMESE = "ạ ả ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ ẹ ẻ ẽ ế ề ể ễ ệ ỉ ị ọ ỏ ố ồ ổ ỗ ộ ớ ờ ở ỡ ợ ụ ủ ứ ừ ử ữ ự ỳ ỵ ỷ ỹ đ Đ"
VIETNAMESE_ALL = VIETNAMESE + " " + VIETNAMESE.upper() + " à á â ã è é ê ì í ò ó ô õ ù ú ý ă ơ ư Ă Ơ Ư"
A4_PT = (595.28, 841.89)


def _glyph_warnings(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


@pytest.fixture(scope="module")
def renders(boundaries):
    """A few renders shared by the tests (each takes about a second); glyph warnings recorded."""
    cases = {
        "slide_png": (ViewState(), "png", "slide"),
        "a4_png": (ViewState(var="poverty_rate_pct", scheme="quantiles", k=4), "png", "a4"),
        "a4_pdf": (ViewState(district="186", lang="en"), "pdf", "a4"),
        "slide_pdf": (ViewState(var="c17", district="178"), "pdf", "slide"),
    }
    out, caught_all = {}, []
    for name, (spec, fmt, size) in cases.items():
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out[name] = render_map(spec, fmt, size, boundaries=boundaries, today=date(2026, 5, 4))
        caught_all += caught
    out["warnings"] = caught_all
    return out


def test_slide_png_is_exactly_1920_by_1080(renders):
    image = Image.open(io.BytesIO(renders["slide_png"]))
    assert image.format == "PNG"
    assert image.size == (1920, 1080)
    assert image.info["dpi"] == pytest.approx((150, 150), abs=0.1)


def test_a4_png_is_portrait_2480_by_3508_at_300_dpi(renders):
    image = Image.open(io.BytesIO(renders["a4_png"]))
    assert image.size == (2480, 3508) == (SIZES["a4"].width_px, SIZES["a4"].height_px)
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)  # pHYs chunk


def _pdf_pages(data: bytes) -> list[tuple[float, ...]]:
    assert data.startswith(b"%PDF-")
    pages = re.findall(rb"/Type\s*/Page\b(?!s)", data)
    boxes = [tuple(float(v) for v in m.split()) for m in re.findall(rb"/MediaBox\s*\[([^\]]*)\]", data)]
    assert len(pages) == len(boxes)
    return boxes


def test_pdf_has_one_a4_page(renders):
    (box,) = _pdf_pages(renders["a4_pdf"])
    assert box[:2] == (0, 0)
    assert box[2:] == pytest.approx(A4_PT, abs=0.5)  # within 0.2 mm of A4


def test_slide_pdf_has_one_16_by_9_page(renders):
    (box,) = _pdf_pages(renders["slide_pdf"])
    assert box[2] / box[3] == pytest.approx(16 / 9)


def test_pdf_embeds_dejavu_as_truetype(renders):
    data = renders["a4_pdf"]
    assert b"DejaVuSans" in data
    assert b"/FontFile2" in data  # Type 42: text stays searchable


def test_renders_have_no_missing_glyph(renders):
    assert _glyph_warnings(renders["warnings"]) == []


def test_font_has_every_vietnamese_letter():
    for path in (FONT_REGULAR, FONT_BOLD):
        charmap = FT2Font(str(path)).get_charmap()
        missing = [ch for ch in VIETNAMESE_ALL.replace(" ", "") if ord(ch) not in charmap]
        assert missing == [], f"{path.name} lacks {missing}"


@pytest.mark.parametrize("fmt", ["png", "pdf"])
def test_vietnamese_text_renders_without_glyph_warnings(fmt):
    page = Page(SIZES["slide"])
    page.text(0.5, 6, VIETNAMESE_ALL, 14)
    page.text(0.5, 5, VIETNAMESE_ALL, 14, bold=True)
    page.text(0.5, 4, "Xã Hoà Bình".encode().decode(), 14)  # NFD input is normalised to NFC
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page.fig.savefig(io.BytesIO(), format=fmt)
    assert _glyph_warnings(caught) == []


def test_glyph_warning_capture_works():
    """Control: a letter DejaVu Sans lacks does raise the warning the tests look for."""
    page = Page(SIZES["slide"])
    page.text(0.5, 6, "漢", 14)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        page.fig.savefig(io.BytesIO(), format="png")
    assert _glyph_warnings(caught)


def test_png_shows_every_legend_colour(renders, boundaries):
    """The choropleth is drawn: each legend colour is painted (swatch and map)."""
    image = np.asarray(Image.open(io.BytesIO(renders["slide_png"])).convert("RGB"))
    colours = {tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in _colours(boundaries, ViewState())}
    flat = image.reshape(-1, 3)
    for rgb in colours:
        assert (np.abs(flat.astype(int) - rgb).max(axis=1) <= 2).sum() > 500, rgb


def _colours(boundaries, spec):
    return [row[0] for row in legend_rows(prepare(spec, boundaries).view, spec.lang, None)]


def test_district_legend_counts_the_district(boundaries):
    spec = ViewState(district="186", var="poverty_rate_pct")
    data = prepare(spec, boundaries)
    inside = (data.communes["district_code"] == "186").to_numpy()
    rows = legend_rows(data.view, "vi", inside)
    assert sum(n for _, _, n in rows) == int(inside.sum()) == 26
    province = legend_rows(data.view, "vi", None)
    assert [r[:2] for r in rows[: data.view.classification.k]] == [
        r[:2] for r in province[: data.view.classification.k]
    ]
    assert data.district_name == "Huyện Hữu Lũng"


def test_province_legend_has_not_assessed_row(boundaries):
    rows = legend_rows(prepare(ViewState(), boundaries).view, "vi", None)
    assert rows[-1][1].startswith("Không đánh giá") and rows[-1][2] == 19
    assert sum(n for _, _, n in rows) == 226


def test_resolve_district_accepts_code_and_names(boundaries):
    assert resolve_district("186", boundaries) == "186"
    assert resolve_district("Hữu Lũng", boundaries) == "186"
    assert resolve_district("huyen huu lung", boundaries) == "186"
    assert resolve_district("Thành phố Lạng Sơn", boundaries) == "178"
    assert resolve_district("", boundaries) == ""


def test_resolve_district_unknown(boundaries):
    with pytest.raises(
        ConfigError, match=r"Unknown district 'Hà Nội'; use a code or a name: 178 \(Thành phố Lạng Sơn\)"
    ):
        resolve_district("Hà Nội", boundaries)
    with pytest.raises(ConfigError, match="Không có huyện 'Hà Nội'; dùng mã hoặc tên"):
        resolve_district("Hà Nội", boundaries)


@pytest.mark.parametrize(
    ("spec", "pattern"),
    [
        (ViewState(lang="fr"), r"Unknown language 'fr'; allowed: vi, en.*Ngôn ngữ không hợp lệ"),
        (ViewState(dataset="nope"), r"Unknown dataset 'nope'; available: illustrative.*Không có bộ dữ liệu"),
        (ViewState(year=2013), r"has no table for 2013; its years: 2011, 2015.*không có số liệu năm 2013"),
        (
            ViewState(var="c20"),
            r"Unknown map variable 'c20'; allowed: criteria_met, c01.*Biến bản đồ không hợp lệ",
        ),
        (
            ViewState(scheme="jenks"),
            r"Unknown classification scheme 'jenks'; allowed: Natural breaks \(Jenks\) \(natural_breaks\).*Phương pháp",
        ),
        (ViewState(k=9), r"k=9 is outside 3–7; allowed: 3, 4, 5, 6, 7.*Số lớp k=9 nằm ngoài"),
        (ViewState(k=True), r"k=True is outside 3–7"),
        (
            ViewState(district="999"),
            r"Unknown district code '999'; allowed: 178 \(Thành phố Lạng Sơn\).*Mã huyện",
        ),
    ],
)
def test_check_view_errors(spec, pattern, boundaries):
    with pytest.raises(ConfigError, match=pattern):
        check_view(spec, boundaries)


def test_render_map_rejects_format_and_size(boundaries):
    with pytest.raises(ConfigError, match=r"Unknown static map format 'svg'; allowed: png, pdf.*Định dạng"):
        render_map(ViewState(), "svg", "slide", boundaries=boundaries)
    with pytest.raises(
        ConfigError, match=r"Unknown page size 'a3'; allowed: slide, a4.*Khổ trang không hợp lệ"
    ):
        render_map(ViewState(), "png", "a3", boundaries=boundaries)


def test_mapspec_is_frozen_and_hashable():
    spec = ViewState()
    with pytest.raises(AttributeError):
        spec.year = 2011  # type: ignore[misc]
    assert {spec: 1}[ViewState()] == 1


def test_no_data_units_get_their_own_legend_row_and_render(boundaries, monkeypatch):
    from ntm_geo.datasets import catalog

    real = catalog.load_year

    def blanked(dataset_id, year):
        table = real(dataset_id, year).copy()
        table.loc[table.index[:10], "poverty_rate_pct"] = float("nan")
        return table

    monkeypatch.setattr(catalog, "load_year", blanked)
    spec = ViewState(var="poverty_rate_pct")
    rows = legend_rows(prepare(spec, boundaries).view, "vi", None)
    assert ("#9e9e9e", "Không có dữ liệu", 10) in rows
    image = Image.open(io.BytesIO(render_map(spec, "png", "slide", boundaries=boundaries)))
    assert image.size == (1920, 1080)


def test_nice_scale_lengths():

    assert [nice_length(m) for m in (31_000, 9_000, 2_100, 650)] == [20_000, 5_000, 2_000, 500]
