"""``python -m ntm_geo export-map``: files written, summary line, and every bilingual error (exit 2)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from ntm_geo.__main__ import build_parser, main
from ntm_geo.cli.export_map import parse_request
from ntm_geo.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    code = main(["export-map", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_png_slide_with_district_name(tmp_path, capsys, boundaries):
    out = tmp_path / "map.png"
    code, stdout, _ = run(
        ["--theme", "poverty", "--year", "2015", "--district", "huu lung", str(out)], capsys
    )
    assert code == 0
    image = Image.open(io.BytesIO(out.read_bytes()))
    assert image.size == (1920, 1080)
    assert stdout.startswith(f"Đã ghi {out}: ")
    assert "byte, PNG 1920×1080 px, 150 dpi" in stdout and "giây" in stdout
    assert [p.name for p in tmp_path.iterdir()] == ["map.png"]  # no temporary file left


def test_pdf_defaults_to_a4(tmp_path, capsys, boundaries):
    out = tmp_path / "map.pdf"
    code, stdout, _ = run(
        ["--theme", "criteria", "--var", "c17", "--year", "2011", "--lang", "en", str(out)], capsys
    )
    assert code == 0
    assert out.read_bytes().startswith(b"%PDF-")
    assert stdout.startswith(f"Wrote {out}: ") and "PDF 1 page, 210×297 mm" in stdout
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # an ordinary file, not private like a temp file


def test_a4_png_and_html_by_format_option(tmp_path, capsys, boundaries):
    png = tmp_path / "a4.png"
    assert run(["--theme", "criteria", "--year", "2015", "--size", "a4", str(png)], capsys)[0] == 0
    image = Image.open(png)
    assert image.size == (2480, 3508) and round(image.info["dpi"][0]) == 300
    html = tmp_path / "map.out"
    code, stdout, _ = run(
        ["--theme", "infrastructure", "--year", "2015", "--format", "html", str(html)], capsys
    )
    assert code == 0 and "HTML" in stdout
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and 'src="http' not in text


def test_parse_request_defaults(tmp_path, boundaries):
    args = build_parser().parse_args(
        ["export-map", "--theme", "criteria", "--year", "2015", str(tmp_path / "a.pdf")]
    )
    request = parse_request(args, boundaries)
    assert (request.fmt, request.size) == ("pdf", "a4")
    assert request.state.var == "criteria_met" and request.state.district == ""
    args = build_parser().parse_args(
        [
            "export-map",
            "--theme",
            "poverty",
            "--year",
            "2011",
            "--district",
            "178",
            "--scheme",
            "quantiles",
            "--k",
            "4",
            str(tmp_path / "a.PNG"),
        ]
    )
    request = parse_request(args, boundaries)
    assert (request.fmt, request.size, request.state.k, request.state.district) == ("png", "slide", 4, "178")


ERRORS = [
    ([], r"OUT \(the output file\) is required", "Thiếu OUT"),
    (
        ["--theme", "criteria", "--year", "2015", "{tmp}/map.txt"],
        r"Cannot tell the format from OUT .*\.png, \.pdf, \.html",
        "Không xác định được định dạng",
    ),
    (
        ["--format", "svg", "{tmp}/map.svg"],
        r"--format 'svg' is not valid; allowed: png, pdf, html",
        "--format 'svg' không hợp lệ",
    ),
    (
        ["--theme", "criteria", "--year", "2015", "{tmp}"],
        r"is a folder; give a file name such as",
        "là thư mục",
    ),
    (["{tmp}/missing/map.png"], r"The folder of OUT .* does not exist; create it first", "không tồn tại"),
    (
        ["--size", "a4", "{tmp}/map.html"],
        r"--size applies to png and pdf only",
        "--size chỉ dùng cho png và pdf",
    ),
    (
        ["--size", "a3", "{tmp}/map.png"],
        r"--size 'a3' is not valid; allowed: slide, a4",
        "các giá trị hợp lệ: slide, a4",
    ),
    (
        ["--year", "2015", "{tmp}/map.png"],
        r"--theme is required; allowed: NTM criteria met \(criteria\), Poverty rate \(poverty\), "
        r"Infrastructure coverage \(infrastructure\)",
        "Thiếu --theme; các giá trị hợp lệ: Tiêu chí nông thôn mới (criteria), Tỷ lệ hộ nghèo (poverty), Hạ tầng",
    ),
    (
        ["--theme", "roads", "{tmp}/map.png"],
        r"--theme 'roads': unknown theme; allowed: NTM criteria met \(criteria\), Poverty rate \(poverty\)",
        "--theme 'roads': chủ đề không hợp lệ; các giá trị hợp lệ: Tiêu chí nông thôn mới (criteria), Tỷ lệ",
    ),
    (
        ["--theme", "poverty", "--var", "c01", "{tmp}/map.png"],
        r"--var 'c01': not a variable of theme Poverty rate \(poverty\); allowed: Poverty rate \(poverty_rate_pct\)",
        "không thuộc chủ đề Tỷ lệ hộ nghèo (poverty); các giá trị hợp lệ: Tỷ lệ hộ nghèo (poverty_rate_pct)",
    ),
    (
        ["--theme", "criteria", "--dataset", "x1", "{tmp}/map.png"],
        r"--dataset 'x1' is not a dataset; allowed: illustrative",
        "không phải bộ dữ liệu có sẵn",
    ),
    (["--theme", "criteria", "{tmp}/map.png"], r"--year is required; allowed: 2011, 2015", "Thiếu --year"),
    (
        ["--theme", "criteria", "--year", "2013", "{tmp}/map.png"],
        r"--year '2013': no data for 2013; years with data: 2011, 2015",
        "--year '2013': không có số liệu năm 2013",
    ),
    (
        ["--theme", "criteria", "--year", "20x5", "{tmp}/map.png"],
        r"--year '20x5': year must be one of 2011, 2015",
        "--year '20x5'",
    ),
    (
        ["--theme", "poverty", "--year", "2015", "--scheme", "jenks", "{tmp}/map.png"],
        r"--scheme 'jenks': unknown classification scheme; allowed: Natural breaks \(Jenks\) \(natural_breaks\), "
        r"Quantiles \(equal counts\) \(quantiles\), Equal interval \(equal_interval\)",
        "--scheme 'jenks': phương pháp phân lớp không hợp lệ; các giá trị hợp lệ: Ngắt tự nhiên (Jenks) (natural_breaks)",
    ),
    (
        ["--theme", "poverty", "--year", "2015", "--k", "9", "{tmp}/map.png"],
        r"--k '9': number of classes must be 3–7",
        "--k '9': số lớp phải từ 3 đến 7",
    ),
    (
        ["--theme", "poverty", "--year", "2015", "--k", "four", "{tmp}/map.png"],
        r"--k 'four': number of classes must be 3–7",
        "--k 'four'",
    ),
    (
        ["--theme", "poverty", "--year", "2015", "--lang", "fr", "{tmp}/map.png"],
        r"--lang 'fr': unknown language; allowed: Tiếng Việt \(vi\), English \(en\)",
        "--lang 'fr': ngôn ngữ không hợp lệ; các giá trị hợp lệ: Tiếng Việt (vi), English (en)",
    ),
    (
        ["--theme", "poverty", "--year", "2015", "--district", "Hà Nội", "{tmp}/map.png"],
        r"--district: Unknown district 'Hà Nội'; use a code or a name: 178 \(Thành phố Lạng Sơn\)",
        "--district: Không có huyện",
    ),
]


@pytest.mark.parametrize(("argv", "en", "vi"), ERRORS, ids=[e[2][:24] for e in ERRORS])
def test_errors_are_bilingual_and_exit_2(argv, en, vi, tmp_path, capsys, boundaries):
    code, stdout, stderr = run([a.replace("{tmp}", str(tmp_path)) for a in argv], capsys)
    assert code == 2
    assert stdout == ""
    lines = stderr.splitlines()
    assert lines[0].startswith("Lỗi: ") and vi in lines[0]
    assert lines[1].startswith("Error: ")
    assert re.search(en, lines[1]), lines[1]
    assert not any(tmp_path.rglob("*.png"))  # nothing written


def test_parse_request_raises_config_error(tmp_path, boundaries):
    args = build_parser().parse_args(["export-map", "--theme", "nope", str(tmp_path / "a.png")])
    with pytest.raises(
        ConfigError, match=r"--theme 'nope': unknown theme.*--theme 'nope': chủ đề không hợp lệ"
    ):
        parse_request(args, boundaries)


def test_write_failure_is_reported(tmp_path, capsys, boundaries, monkeypatch):
    import ntm_geo.cli.export_map as cli

    monkeypatch.setattr(cli, "render", lambda request, boundaries=None: b"x")

    def fail(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cli.tempfile, "mkstemp", fail)
    code, _, stderr = run(["--theme", "criteria", "--year", "2015", str(tmp_path / "a.png")], capsys)
    assert code == 2
    assert "Cannot write OUT" in stderr and "Permission denied" in stderr and "Không ghi được OUT" in stderr


def test_module_entry_point_registers_export_map(tmp_path):
    """``python -m ntm_geo`` (module run as __main__) knows the command."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-m", "ntm_geo", "export-map", "--theme", "x", str(tmp_path / "a.png")],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Error: --theme 'x': unknown theme" in result.stderr


@pytest.mark.parametrize(
    ("option", "value", "param"),
    [
        ("--k", "9", "k"),
        ("--scheme", "jenks", "scheme"),
        ("--lang", "fr", "lang"),
        ("--units", "2030", "units"),
    ],
)
def test_the_command_line_and_a_link_give_the_same_reason(option, value, param, tmp_path, boundaries):
    """``--k 9`` and ``?k=9`` are checked by one validator (views.viewstate) with one wording."""
    from ntm_geo.views.viewstate import from_query

    args = build_parser().parse_args(
        ["export-map", "--theme", "poverty", "--year", "2015", option, value, str(tmp_path / "a.png")]
    )
    with pytest.raises(ConfigError) as err:
        parse_request(args, boundaries)
    _, notices = from_query({param: value})
    assert [n.param for n in notices] == [param]
    assert err.value.message_en == f"{option} {value!r}: {notices[0].reason_en}."
    assert err.value.message_vi == f"{option} {value!r}: {notices[0].reason_vi}."
