"""The planner page's words, Vietnamese and English (registered with :func:`ntm_geo.i18n.register`)."""

from __future__ import annotations

from ntm_geo.i18n import register

STRINGS: dict[str, tuple[str, str]] = {
    "pl_title": ("Lập kế hoạch: chọn xã", "Planner: choosing communes"),
    "pl_title_target": (
        "Lập kế hoạch: chọn xã, theo dõi mục tiêu {year}",
        "Planner: choosing communes, tracking the {year} targets",
    ),
    "pl_commune_groups": ("Nhóm xã (1, 2, 3)", "Commune group (1, 2, 3)"),
    "pl_no_data_weight": (
        "Bộ dữ liệu không có số liệu cho thành phần này.",
        "The dataset has no data for this component.",
    ),
    "pl_tab_commune_groups": ("🏘️ Theo nhóm xã", "🏘️ Commune groups"),
    "pl_group_table": ("Tổng hợp theo nhóm xã", "Summary by commune group"),
    "pl_group_chart": (
        "Số xã đạt chuẩn theo nhóm xã, {before} và {now}",
        "Xã meeting the standard by commune group, {before} and {now}",
    ),
    "pl_group_one_year": (
        "Số xã đạt chuẩn theo nhóm xã, {now} (bộ dữ liệu không có năm nào trước đó để so sánh)",
        "Xã meeting the standard by commune group, {now} (the dataset has no earlier year to compare)",
    ),
    "pl_poverty_note_plain": (
        "Tỷ lệ hộ nghèo của nhóm: bình quân các xã (đơn vị 2025 không có dân số điều tra 2009).",
        "Poverty rate of a group: plain mean of its units (the 2025 units have no 2009 census population).",
    ),
    "pl_filters": ("Bộ lọc", "Filters"),
    "pl_districts": ("Huyện", "Districts"),
    "pl_groups": ("Nhóm (số tiêu chí đạt)", "Group (criteria met)"),
    "pl_not_standard": (
        "Chỉ xã chưa đạt chuẩn (dưới {total} tiêu chí)",
        "Only xã not yet meeting the standard (< {total})",
    ),
    "pl_criterion_not_met": ("Chưa đạt tiêu chí", "Criterion not met"),
    "pl_any": ("— bất kỳ —", "— any —"),
    "pl_choose": ("Chọn (để trống: tất cả)", "Choose (empty: all)"),
    "pl_choose_xa": ("Chọn xã…", "Choose communes…"),
    "pl_flags": ("Đặc điểm (cột có/không)", "Flags (yes/no columns)"),
    "pl_flag_yes": ("{label}: có", "{label}: yes"),
    "pl_flag_no": ("{label}: không", "{label}: no"),
    "pl_tab_rank": ("🎯 Tìm và xếp hạng xã", "🎯 Find and rank"),
    "pl_tab_matrix": ("▦ Ma trận tiêu chí", "▦ Criteria gap matrix"),
    "pl_tab_shortlist": ("📋 Danh sách đề xuất", "📋 Shortlist"),
    "pl_tab_districts": ("🏘️ Theo huyện", "🏘️ Districts"),
    "pl_tab_progress": ("📈 Mục tiêu 2020 và kịch bản", "📈 2020 targets and scenario"),
    "pl_preset": ("Cách xếp hạng", "Ranking"),
    "pl_custom": ("Tự đặt trọng số", "Custom weights"),
    "pl_weights": ("Trọng số (0–10)", "Weights (0–10)"),
    "pl_count": (
        "{n} xã phù hợp bộ lọc (trên {total} xã); {na} {kinds} {where} không đánh giá theo bộ "
        "tiêu chí ({listed} có trong bảng).",
        "{n} xã match the filters (of {total}); {na} {kinds} {where} are not assessed against the "
        "criteria ({listed} listed).",
    ),
    "pl_kinds_towns": ("phường, thị trấn", "wards/townships"),
    "pl_kinds_wards": ("phường", "wards"),  # the 2025 units: no thị trấn since 1 July 2025
    "pl_where_province": ("của tỉnh", "of the province"),
    "pl_where_districts": ("của huyện đã chọn", "of the chosen districts"),
    "pl_table_help": (
        "Chọn dòng (ô bên trái) để tô đậm xã trên bản đồ; bấm vào bản đồ để chọn dòng. Bấm tiêu đề cột để sắp xếp.",
        "Select rows (left boxes) to outline them on the map; click the map to select a row. Click a header to sort.",
    ),
    "pl_selected": ("Đang chọn: {names}", "Selected: {names}"),
    "pl_add_selected": ("➕ Thêm xã đang chọn vào danh sách đề xuất", "➕ Add selected to the shortlist"),
    "pl_add_top": ("➕ Thêm {n} xã xếp hạng cao nhất", "➕ Add the {n} best ranked"),
    "pl_clear_selection": ("Bỏ chọn", "Clear selection"),
    "pl_outside": (
        "{name} không nằm trong bộ lọc hiện tại (hoặc không được đánh giá).",
        "{name} is outside the current filters (or not assessed).",
    ),
    "pl_map_caption": (
        "Màu: số tiêu chí đạt. Viền đen đậm: xã đang chọn; viền tím nét đứt: danh sách đề xuất.",
        "Colour: criteria met. Thick black border: selected; dashed purple: shortlist.",
    ),
    "pl_matrix_caption": (
        "{n} xã của bộ lọc, theo thứ tự xếp hạng. ✓ đạt, ✗ chưa đạt; bấm tiêu đề cột để sắp xếp. Dòng cuối: số xã chưa đạt từng tiêu chí.",
        "{n} xã of the filters, in ranking order. ✓ met, ✗ not met; click a header to sort. Last line: xã not meeting each criterion.",
    ),
    "pl_not_met_row": ("Số xã chưa đạt", "Xã not meeting"),
    "pl_shortlist": ("Danh sách xã đề xuất", "Shortlisted communes"),
    "pl_shortlist_help": (
        "Danh sách nằm trong liên kết của trang: chia sẻ liên kết để người khác thấy đúng danh sách này.",
        "The shortlist is kept in this page's link: share the link to show the same list.",
    ),
    "pl_shortlist_empty": (
        "Chưa có xã nào. Thêm xã từ bảng xếp hạng (tab đầu) hoặc chọn ở ô trên.",
        "No commune yet. Add communes from the ranking (first tab) or pick them above.",
    ),
    "pl_compare": ("So sánh", "Comparison"),
    "pl_notes": ("Ghi chú cho từng xã", "Note per commune"),
    "pl_note_for": ("Ghi chú — {name}", "Note — {name}"),
    "pl_note_label": ("Ghi chú", "Note"),
    "pl_export": ("Xuất phiếu đề xuất", "Export the decision sheet"),
    "pl_download_xlsx": ("⬇️ Phiếu đề xuất (Excel)", "⬇️ Decision sheet (Excel)"),
    "pl_download_png": ("⬇️ Bản đồ (PNG)", "⬇️ Map (PNG)"),
    "pl_png_title": ("Các xã đề xuất — {year} — {source}", "Shortlisted communes — {year} — {source}"),
    "pl_district_table": ("Tổng hợp theo huyện", "Summary by district"),
    "pl_district_chart": (
        "Số xã đạt chuẩn theo huyện, {before} và {now}",
        "Xã meeting the standard by district, {before} and {now}",
    ),
    "pl_district_one_year": (
        "Số xã đạt chuẩn theo huyện, {now} (bộ dữ liệu không có năm nào trước đó để so sánh)",
        "Xã meeting the standard by district, {now} (the dataset has no earlier year to compare)",
    ),
    "pl_series_year": ("Năm {year}", "{year}"),
    "pl_xa": ("Số xã", "Xã"),
    "pl_meeting": ("Xã đạt chuẩn", "Meeting the standard"),
    "pl_meeting_before": ("Xã đạt chuẩn {year}", "Meeting {year}"),
    "pl_meeting_change": ("Tăng số xã đạt chuẩn", "Change in xã meeting"),
    "pl_mean": ("Bình quân tiêu chí/xã", "Mean criteria per xã"),
    "pl_mean_change": ("Tăng bình quân từ {year}", "Mean change since {year}"),
    "pl_poverty_change": ("Thay đổi hộ nghèo từ {year} (điểm %)", "Poverty change since {year} (pp)"),
    "pl_poverty_note": (
        "Tỷ lệ hộ nghèo của huyện: bình quân các xã, phường, thị trấn theo dân số 2009.",
        "District poverty rate: mean of its units weighted by 2009 population.",
    ),
    "pl_progress_chart": (
        "Số xã theo nhóm: 2011, 2015, mục tiêu 2020 và kịch bản",
        "Xã per group: 2011, 2015, 2020 target and scenario",
    ),
    "pl_series_2011": ("Năm 2011", "2011"),
    "pl_series_2015": ("Năm 2015", "2015"),
    "pl_series_target": ("Mục tiêu 2020", "2020 target"),
    "pl_series_scenario": ("Kịch bản 2020", "2020 scenario"),
    "pl_mean_metric": ("Bình quân tiêu chí/xã {label}", "Mean criteria per xã {label}"),
    "pl_criteria_progress": (
        "Số xã đạt từng tiêu chí, 2011 và 2015",
        "Xã meeting each criterion, 2011 and 2015",
    ),
    "pl_scenario": (
        "Kịch bản: những xã dự kiến đạt chuẩn vào năm 2020",
        "Scenario: xã expected to reach the standard by 2020",
    ),
    "pl_scenario_pick": (
        "Xã dự kiến đạt chuẩn (19 tiêu chí) vào năm 2020",
        "Xã expected to meet all 19 criteria by 2020",
    ),
    "pl_scenario_shortlist": ("Thêm danh sách đề xuất", "Add the shortlist"),
    "pl_scenario_nearest": ("Thêm {n} xã gần chuẩn nhất", "Add the {n} xã nearest the standard"),
    "pl_scenario_clear": ("Xóa", "Clear"),
    "pl_group": ("Nhóm", "Group"),
    "pl_now": ("2015", "2015"),
    "pl_projected": ("Dự kiến 2020", "Projected 2020"),
    "pl_target": ("Mục tiêu 2020", "2020 target"),
    "pl_difference": ("Chênh lệch so với mục tiêu", "Difference from target"),
    "pl_no_year": ("Bộ dữ liệu này không có số liệu năm {year}.", "This dataset has no {year} table."),
    "pl_criterion_col": ("Tiêu chí", "Criterion"),
    "pl_count_col": ("Số xã", "Xã"),
    "pl_year_col": ("Năm", "Year"),
}
register(STRINGS)
