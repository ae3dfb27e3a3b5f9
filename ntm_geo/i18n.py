"""Interface strings, Vietnamese first, English second.

One table: key -> (Vietnamese, English). :func:`t` looks a key up and formats it; an unknown
key or language raises :class:`~ntm_geo.errors.ConfigError` (a test checks every key has both
languages and the same ``{placeholders}``).
"""

from __future__ import annotations

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError

LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("Bản đồ nông thôn mới tỉnh Lạng Sơn", "New Rural Development map — Lạng Sơn province"),
    "app_caption": (
        "Chương trình MTQG xây dựng nông thôn mới: kết quả theo xã, giai đoạn 2011–2015",
        "National Target Program on New Rural Development: results by commune, 2011–2015",
    ),
    "language": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "year": ("Năm", "Year"),
    "theme": ("Chủ đề bản đồ", "Map theme"),
    "variable": ("Chỉ tiêu", "Indicator"),
    "criterion_view": ("Hiển thị", "Show"),
    "all_criteria": ("Số tiêu chí đạt (0–19)", "Number of criteria met (0–19)"),
    "scheme": ("Phương pháp phân lớp", "Classification scheme"),
    "k": ("Số lớp", "Number of classes"),
    "district": ("Huyện / thành phố", "District"),
    "all_districts": ("Toàn tỉnh (11 huyện, thành phố)", "Whole province (11 districts)"),
    "no_values_year": (
        "Bộ dữ liệu này không có số liệu «{variable}» cho năm {year}: mọi đơn vị hiện màu «Không có dữ liệu». "
        "Hãy chọn năm khác hoặc chỉ tiêu khác.",
        "This dataset has no «{variable}» values for {year}: every unit shows as «No data». "
        "Choose another year or indicator.",
    ),
    "loading_controls": ("Đang tải các tùy chọn bản đồ…", "Loading the map options…"),
    "map_error": (
        "Không vẽ được bản đồ: trình duyệt không tải được tệp của bản đồ (thư viện Leaflet, mô-đun bản đồ"
        " hoặc ranh giới) từ ứng dụng. Hãy tải lại trang;"
        " nếu vẫn lỗi, chạy lại `python -m ntm_geo.maps.webassets` trên máy chủ.",
        "The map could not be drawn: the browser could not load the map's files (Leaflet, the map module"
        " or the boundaries) from the app. Reload the page;"
        " if it persists, run `python -m ntm_geo.maps.webassets` on the server.",
    ),
    "tiles": ("Nền bản đồ OpenStreetMap (cần internet)", "OpenStreetMap background (needs internet)"),
    "map_title": ("{variable} — năm {year} — {source}", "{variable} — {year} — {source}"),
    "tooltip_commune": ("Xã/phường/thị trấn", "Commune"),
    # the 65 units of 1 July 2025 have no thị trấn (abolished with the district level)
    "tooltip_commune_2025": ("Xã/phường", "Commune"),
    "tooltip_district": ("Huyện", "District"),
    "tooltip_value": ("Giá trị", "Value"),
    "legend_counts": ("Số đơn vị trong ngoặc", "Unit counts in brackets"),
    "legend_counts_district": ("số đơn vị trong huyện đang chọn", "unit counts for the selected district"),
    "loading_boundaries": (
        "Lần chạy đầu: đang chuyển đổi ranh giới xã (khoảng 30 giây, chỉ một lần)…",
        "First run: converting commune boundaries (about 30 s, once only)…",
    ),
    "profile": ("Hồ sơ xã", "Commune profile"),
    "profile_below": ("Hồ sơ {name} ở bên dưới bản đồ ↓", "The profile of {name} is below the map ↓"),
    "profile_hint": (
        "Bấm vào một xã trên bản đồ để xem hồ sơ: tiêu chí (✓/✗), chỉ tiêu hạ tầng, dân số.",
        "Click a commune on the map to see its profile: criteria (✓/✗), indicators, population.",
    ),
    "pick_commune": ("Chọn xã", "Pick a commune"),
    "pick_from_list": ("Chọn xã từ danh sách", "Pick a commune from a list"),
    "none": ("— chưa chọn —", "— none —"),
    "population": ("Dân số (Tổng điều tra 2009)", "Population (2009 census)"),
    "area": ("Diện tích", "Area"),
    "unit_type": ("Loại đơn vị", "Unit type"),
    "criteria_met_of": ("Đạt {n}/19 tiêu chí", "{n} of 19 criteria met"),
    "criteria_met_of_total": ("Đạt {n}/{total} tiêu chí", "{n} of {total} criteria met"),
    "framework_is": ("Bộ tiêu chí: QĐ {decision}", "Criteria framework: Decision {decision}"),
    "commune_group_is": ("Nhóm xã: {group}", "Commune group: {group}"),
    "meets_standard": ("Đạt chuẩn nông thôn mới", "Meets the NTM standard"),
    "not_assessed_unit": (
        "Phường (và thị trấn, đến 1/7/2025) không đánh giá theo Bộ tiêu chí quốc gia về nông thôn mới.",
        "Wards (and, until 1 July 2025, townships) are not assessed against the national NTM criteria.",
    ),
    "criterion": ("Tiêu chí", "Criterion"),
    "group": ("Nhóm", "Group"),
    "status": ("Kết quả", "Status"),
    "met": ("✓ Đạt", "✓ Met"),
    "not_met": ("✗ Chưa đạt", "✗ Not met"),
    "no_data": ("Không có dữ liệu", "No data"),
    "indicators": ("Chỉ tiêu", "Indicators"),
    "value": ("Giá trị", "Value"),
    "threshold": ("Ngưỡng", "Threshold"),
    "report_check": ("Đối chiếu với Báo cáo 48/BC-BCĐ", "Check against Report 48/BC-BCĐ"),
    "report_check_intro": (
        "Mỗi số liệu cấp tỉnh của báo cáo, bên cạnh giá trị tính từ bộ dữ liệu đang dùng.",
        "Each province figure of the report beside the value computed from the loaded dataset.",
    ),
    "report_all_ok": ("Tất cả {n} số liệu khớp với báo cáo.", "All {n} figures match the report."),
    "report_some_differ": (
        "{bad}/{n} số liệu khác với báo cáo.",
        "{bad} of {n} figures differ from the report.",
    ),
    "figure": ("Số liệu", "Figure"),
    "report_value": ("Báo cáo", "Report"),
    "computed_value": ("Tính từ dữ liệu", "Computed"),
    "match": ("Khớp", "Match"),
    "table": ("Bảng số liệu của bản đồ", "Table behind the map"),
    "download_csv": ("Tải CSV", "Download CSV"),
    "source_line": (
        "Ranh giới: censusVN2009 (M. Choisy, L. Contamin, giấy phép MIT), Tổng điều tra 2009; mã đơn vị: Tổng cục Thống kê 2015.",
        "Boundaries: censusVN2009 (M. Choisy, L. Contamin, MIT licence), 2009 census; unit codes: GSO 2015.",
    ),
    "boundary_error": ("Không tải được ranh giới", "Could not load the boundaries"),
    "dataset": ("Bộ dữ liệu", "Dataset"),
    "illustrative_data": ("Dữ liệu minh họa", "Illustrative data"),
    "link_one_profile": (
        "trang bản đồ chỉ mở hồ sơ một xã ({code}); các mã sau bị bỏ qua",
        "the map page opens one commune's profile ({code}); the others are ignored",
    ),
    "share_link": ("🔗 Chia sẻ liên kết tới đúng bản đồ này", "🔗 Share a link to exactly this map"),
    "share_link_help": (
        "Sao chép liên kết (nút ở góc phải ô trên). Người mở liên kết sẽ thấy đúng chủ đề, năm, bộ dữ liệu, cách phân lớp, huyện và xã đang chọn.",
        "Copy the link (button at the right of the box above). Whoever opens it sees the same theme, year, dataset, classes, district and selected commune.",
    ),
    "page_map": ("Bản đồ", "Map"),
    "page_present": ("Trình chiếu", "Presentation"),
    "page_planner": ("Lập kế hoạch", "Planner"),
    "page_data": ("Dữ liệu của tỉnh", "Province data"),
    "page_years": ("Theo năm", "Over the years"),
    "no_tiles_note": (
        "Không dùng nền bản đồ: bản đồ chạy hoàn toàn không cần internet.",
        "No background tiles: the map works fully offline.",
    ),
}


def register(strings: dict[str, tuple[str, str]]) -> None:
    """Add a feature's own strings (key -> (Vietnamese, English)) to the table.

    Each feature module keeps its strings beside its code and registers them at import, so
    pages never edit one shared file. A key registered twice with other text raises
    :class:`ConfigError`.
    """
    for key, pair in strings.items():
        if key in STRINGS and STRINGS[key] != pair:
            raise ConfigError(
                f"Interface text {key!r} is registered twice.",
                f"Chuỗi giao diện {key!r} bị khai báo hai lần.",
            )
        STRINGS[key] = pair


def t(key: str, lang: str = "vi", **values: object) -> str:
    """The string ``key`` in ``lang`` ("vi" or "en"), formatted with ``values``.

    Raises
    ------
    ConfigError
        Unknown key or language.
    """
    if lang not in LANGUAGES:
        allowed = ", ".join(LANGUAGES)
        raise ConfigError(
            f"Unknown language {lang!r}; allowed: {allowed}.",
            f"Ngôn ngữ không hợp lệ {lang!r}; các giá trị hợp lệ: {allowed}.",
        )
    if key not in STRINGS:
        raise ConfigError(f"No interface text {key!r}.", f"Không có chuỗi giao diện {key!r}.")
    text = Bilingual(*STRINGS[key]).pick(lang)
    return text.format(**values) if values else text
