"""Province data page: template, table upload with the match report, saved datasets, boundaries.

Who may do what: viewing (template, saved datasets, the boundaries in use) is open to all.
Uploading, saving, replacing and deleting need an editor **signed in** in this browser session
(:func:`app_pages.common.sign_in`, throttled; the session ends after 30 min idle or 8 h): until
then no file uploader is rendered at all, so the server reads and parses no file for a visitor.
Each save or delete passes the editor session to the store, which re-checks it on the server.
The password is typed once, in a form cleared on submit, and never rendered back.

Reruns: every widget reruns the script. The import of an uploaded file is cached per (bytes,
name, year, confirmed suggestions), so confirming a suggestion re-imports only once. After any
save, replace or delete the map caches of :mod:`app_pages.common` are cleared so no page shows
stale data, and the page reruns with the confirmation kept for it (:func:`~app_pages.common.flash`).

All text from uploads (names, cell values, reasons quoting them, file names) is shown through
``st.dataframe`` or :func:`~ntm_geo.planning.profile.escape_markdown` (widget labels included:
they are Markdown too); never as HTML.

Why over 500 lines: one page with four sections (template, upload with the match report, saved
datasets, boundaries) that share the editor session and the flash message of one rerun; the
parsing, matching and store logic it shows lives in :mod:`ntm_geo.datasets`, not here.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import streamlit as st

from app_pages.common import (
    boundaries,
    clear_data_caches,
    editor_session,
    flash,
    lang,
    show_flash,
    sign_in,
    sign_out,
)
from app_pages.urlsync import read_link, show_link_notices, sync_query
from ntm_geo import auth
from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.report_check import check_table, display_table
from ntm_geo.datasets import store
from ntm_geo.datasets import template as tpl
from ntm_geo.datasets.importing.report import not_used_file_name
from ntm_geo.errors import NtmGeoError
from ntm_geo.exports.tables import table_csv_bytes
from ntm_geo.geo import boundary_upload as bu
from ntm_geo.i18n import register, t
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.viewstate import DEFAULT, to_query

MAX_TABLE_MB = 10
"""Largest table upload (MB): a province table of a few hundred rows is well under 1 MB."""
MAX_BOUNDARY_MB = min(bu.MAX_BYTES // 2**20, 20)
"""Largest boundary upload (MB); ``server.maxUploadSize`` in .streamlit/config.toml is the same."""
TEMPLATE_YEARS = list(range(2011, 2031))
MEMO_PREFIX = "_upload_memo::"
OFFICE_SOURCE = "Văn phòng Điều phối NTM tỉnh Lạng Sơn"  # a new dataset's source when left blank
"""Session-state keys of what was read from this session's uploads (:func:`_session_memo`)."""

register(
    {
        "data_title": ("Dữ liệu của tỉnh", "Province data"),
        "data_intro": (
            "Tải mẫu, điền kết quả NTM từng xã, tải lên và kiểm tra trước khi lưu. Xem dữ liệu không cần "
            "mật khẩu; tải lên, lưu, thay thế, xóa cần đăng nhập biên tập.",
            "Download the template, fill in each commune's NTM results, upload and check before saving. "
            "Viewing needs no password; uploading, saving, replacing and deleting need an editor sign-in.",
        ),
        "data_template": ("1. Tải mẫu nhập liệu", "1. Download the template"),
        "data_template_year": ("Năm của mẫu", "Template year"),
        "data_template_xlsx": ("Tải mẫu Excel (.xlsx)", "Download Excel template (.xlsx)"),
        "data_template_csv": ("Tải mẫu CSV", "Download CSV template"),
        "data_upload": ("2. Tải lên bảng số liệu", "2. Upload a table"),
        "data_upload_file": (
            "Tệp CSV hoặc Excel (.xlsx), tối đa {mb} MB",
            "CSV or Excel (.xlsx) file, at most {mb} MB",
        ),
        "data_too_big": (
            "Tệp có {size:.1f} MB, vượt giới hạn {mb} MB.",
            "The file has {size:.1f} MB, over the {mb} MB limit.",
        ),
        "data_year": ("Năm của bảng", "Year of the table"),
        "data_year_auto": ("Tự nhận từ tệp", "From the file"),
        "data_accept_illustrative": (
            "Nhập có chủ ý bảng xuất từ dữ liệu minh họa",
            "Import an export of the illustrative data knowingly",
        ),
        "data_accept_illustrative_help": (
            "Bảng xuất từ dữ liệu minh họa bị từ chối vì số liệu do mô hình sinh ra, không phải số liệu "
            "của tỉnh. Chỉ đánh dấu khi cố ý nhập nó (ví dụ để thử); nguồn của bộ dữ liệu sẽ ghi rõ.",
            "An export of the illustrative data is refused: its values come from a model, not the "
            "province. Tick only to import it on purpose (e.g. to test); the dataset's source will say so.",
        ),
        "data_illustrative_source": (
            "xuất từ dữ liệu minh họa của ntm-geo, nhập có chủ ý trên trang Dữ liệu",
            "exported from ntm-geo's illustrative data, imported knowingly on the data page",
        ),
        "data_report": ("Báo cáo khớp dữ liệu (chưa lưu)", "Match report (not saved yet)"),
        "data_counts": (
            "**{matched}** dòng khớp · **{unmatched}** không khớp · **{duplicates}** trùng · "
            "**{out}** dòng có giá trị ngoài khoảng · **{without}** đơn vị không có dòng — năm {year}",
            "**{matched}** rows matched · **{unmatched}** unmatched · **{duplicates}** duplicates · "
            "**{out}** rows with values out of range · **{without}** units without a row — year {year}",
        ),
        "data_matched": ("Dòng đã khớp", "Matched rows"),
        "data_unmatched": ("Dòng không khớp", "Unmatched rows"),
        "data_suggest": (
            "Gợi ý khớp (chỉ áp dụng khi bạn xác nhận)",
            "Suggested matches (applied only when you confirm)",
        ),
        "data_suggest_row": ("Dòng {row}: {value}", "Row {row}: {value}"),
        "data_no_match": ("— không khớp —", "— no match —"),
        "data_duplicates": ("Dòng trùng đơn vị", "Rows matching an already matched unit"),
        "data_out_of_range": (
            "Giá trị ngoài khoảng hoặc không đọc được",
            "Values out of range or unreadable",
        ),
        "data_ignored": (
            "Giá trị bỏ qua (dòng vẫn được nhập)",
            "Values ignored (the rows are imported)",
        ),
        "data_ignored_note": (
            "Phường, thị trấn không thuộc diện đánh giá NTM: tiêu chí và số tiêu chí đạt ghi cho các đơn vị "
            "này không được dùng (để trống: không đánh giá); các số liệu khác của dòng (hộ nghèo, hạ tầng, "
            "dân số…) vẫn được nhập.",
            "Wards and townships are not assessed for NTM: the criteria and criteria count given for them are "
            "not used (left empty: not assessed); the rows' other values (poverty, infrastructure, "
            "population…) are imported.",
        ),
        "data_rejected_ignored": (
            "Tải các dòng bị loại và giá trị bỏ qua (CSV)",
            "Download rejected rows and ignored values (CSV)",
        ),
        "data_without": ("Đơn vị không có dòng nào", "Units without a row"),
        "data_notices": ("Ghi chú khi đọc tệp", "Notes from reading the file"),
        "data_skipped": ("Dòng bỏ qua (không phải số liệu xã)", "Rows skipped (not commune data)"),
        "data_rejected": ("Tải các dòng bị loại (CSV)", "Download rejected rows (CSV)"),
        "data_rejected_note": (
            "Các dòng bị loại không được lưu; sửa trong tệp rồi tải lên lại.",
            "Rejected rows are not saved; fix them in the file and upload again.",
        ),
        "data_check": (
            "So sánh với báo cáo 48/BC-BCĐ năm {year}",
            "Comparison with report 48/BC-BCĐ for {year}",
        ),
        "data_check_none": (
            "Báo cáo 48/BC-BCĐ chỉ có số liệu năm 2011 và 2015.",
            "Report 48/BC-BCĐ has figures for 2011 and 2015 only.",
        ),
        "data_to_confirm": (
            "Cần xác nhận trước khi lưu ({n})",
            "To confirm before saving ({n})",
        ),
        "data_confirm": (
            "Tôi đã đọc {n} điểm cần xác nhận ở báo cáo trên và vẫn lưu bảng này",
            "I have read the {n} point(s) to confirm in the report above and save this table anyway",
        ),
        "data_confirm_needed": (
            "Chưa lưu: hãy đọc các điểm «Cần xác nhận» ở báo cáo và đánh dấu ô xác nhận.",
            "Not saved: read the points «To confirm» in the report and tick the confirmation box.",
        ),
        "data_save": ("Lưu bộ dữ liệu", "Save the dataset"),
        "data_target": ("Lưu thành", "Save as"),
        "data_new": ("Bộ dữ liệu mới", "A new dataset"),
        "data_replace": (
            "Thêm năm {year} vào: {name} (các năm khác giữ nguyên; năm {year} đã có thì được thay)",
            "Add {year} to: {name} (its other years kept; an existing {year} is replaced)",
        ),
        "data_name": ("Tên bộ dữ liệu", "Dataset name"),
        "data_source": ("Nguồn", "Source"),
        "data_keep_blank": (
            "Để trống khi thêm vào bộ đã lưu: giữ tên và nguồn của bộ đó.",
            "Leave blank when adding to a saved dataset: its name and source are kept.",
        ),
        "data_uploader": ("Người tải lên", "Uploaded by"),
        "data_password": ("Mật khẩu biên tập", "Editor password"),
        "data_save_button": (
            "Lưu {n} dòng (bỏ {rejected} dòng bị loại)",
            "Save {n} rows (leaving out {rejected} rejected)",
        ),
        "data_saved": (
            "Đã lưu bộ dữ liệu {name} (mã {id}). Chọn nó ở trang Bản đồ.",
            "Saved dataset {name} (id {id}). Pick it on the Map page.",
        ),
        "data_nothing": ("Không có dòng nào khớp: không có gì để lưu.", "No row matched: nothing to save."),
        "data_list": ("3. Các bộ dữ liệu đã lưu", "3. Saved datasets"),
        "data_list_empty": (
            "Chưa có bộ dữ liệu nào được lưu (dữ liệu minh họa luôn có sẵn).",
            "No dataset saved yet (the illustrative dataset is always available).",
        ),
        "data_delete": ("Xóa bộ dữ liệu", "Delete a dataset"),
        "data_delete_confirm": ("Tôi chắc chắn muốn xóa", "I am sure I want to delete it"),
        "data_delete_button": ("Xóa", "Delete"),
        "data_deleted": ("Đã xóa {id}.", "Deleted {id}."),
        "data_col_id": ("Mã", "Id"),
        "data_col_name": ("Tên", "Name"),
        "data_col_years": ("Năm", "Years"),
        "data_col_rows": ("Số dòng", "Rows"),
        "data_col_source": ("Nguồn", "Source"),
        "data_col_by": ("Người tải lên", "Uploaded by"),
        "data_col_at": ("Thời điểm (UTC)", "Time (UTC)"),
        "data_col_hash": ("SHA-256 nội dung", "Content SHA-256"),
        "data_bnd": ("4. Ranh giới thay thế", "4. Replacement boundaries"),
        "data_bnd_open": ("Tải lên ranh giới thay thế", "Upload replacement boundaries"),
        "data_bnd_intro": (
            "Shapefile nén .zip (.shp, .shx, .dbf, .prj, .cpg), GeoPackage hoặc GeoJSON, hệ WGS84 hoặc "
            "VN-2000; tối đa {mb} MB. Mỗi đơn vị trong 226 đơn vị cần đúng một vùng.",
            "Zipped shapefile (.shp, .shx, .dbf, .prj, .cpg), GeoPackage or GeoJSON, in WGS84 or VN-2000; "
            "at most {mb} MB. Each of the 226 units needs exactly one polygon.",
        ),
        "data_bnd_file": ("Tệp ranh giới", "Boundary file"),
        "data_bnd_crs": ("Hệ tọa độ", "Coordinate system"),
        "data_bnd_crs_auto": ("Theo tệp (.prj)", "From the file (.prj)"),
        "data_bnd_encoding": ("Bảng mã chữ (shapefile)", "Text encoding (shapefile)"),
        "data_bnd_active": (
            "Đang dùng ranh giới tải lên: {name} ({id}, {at} UTC, hệ gốc {crs}).",
            "Using uploaded boundaries: {name} ({id}, {at} UTC, source CRS {crs}).",
        ),
        "data_bnd_builtin": (
            "Đang dùng ranh giới có sẵn (censusVN2009).",
            "Using the built-in boundaries (censusVN2009).",
        ),
        "data_bnd_save": ("Lưu và dùng ranh giới này", "Save and use these boundaries"),
        "data_bnd_saved": (
            "Đã lưu ranh giới {id}; bản đồ dùng ranh giới này.",
            "Saved boundaries {id}; the maps use them.",
        ),
        "data_bnd_delete": (
            "Xóa ranh giới đang dùng (quay về bản trước)",
            "Delete the active boundaries (back to the previous)",
        ),
        "data_bnd_incomplete": (
            "Chưa lưu được: cần đủ 226 đơn vị, mỗi đơn vị một vùng.",
            "Cannot be saved yet: all 226 units are needed, one polygon each.",
        ),
        "data_rule": ("Cách khớp", "Rule"),
        "data_signin": ("Đăng nhập biên tập", "Editor sign-in"),
        "data_signin_why": (
            "Tải lên, lưu, thay thế và xóa dữ liệu cần đăng nhập bằng mật khẩu biên tập. Phiên đăng "
            "nhập hết hạn sau 30 phút không thao tác hoặc 8 giờ.",
            "Uploading, saving, replacing and deleting data need signing in with the editor password. "
            "The session ends after 30 min without activity or after 8 h.",
        ),
        "data_signin_button": ("Đăng nhập", "Sign in"),
        "data_signed_in": (
            "Đã đăng nhập biên tập; phiên hết hạn sau {minutes} phút nếu không thao tác.",
            "Signed in as editor; the session ends after {minutes} min without activity.",
        ),
        "data_signout": ("Đăng xuất", "Sign out"),
        "data_signin_first": (
            "Đăng nhập biên tập (ở trên) để tải tệp lên.",
            "Sign in as editor (above) to upload a file.",
        ),
        "data_uploader_hint": (
            "Kéo thả tệp vào đây hoặc bấm «Chọn tệp»",
            "Drag a file here or press «Choose file»",
        ),
        "data_uploader_button": ("Chọn tệp", "Choose file"),
    }
)

RULES = {
    "code": ("theo mã", "by code"),
    "name": ("theo huyện + tên", "by district + name"),
    "district+name": ("theo huyện + tên", "by district + name"),
    "confirmed_suggestion": ("gợi ý đã xác nhận", "confirmed suggestion"),
    "confirmed": ("gợi ý đã xác nhận", "confirmed suggestion"),
}

L = lang()
editor = editor_session() if auth.uploads_enabled() else None
if editor is None:  # signed out or ended: forget what was read from this session's uploads
    for _name in [k for k in st.session_state if str(k).startswith(MEMO_PREFIX)]:
        del st.session_state[_name]


def _err(error: NtmGeoError) -> None:
    st.error(escape_markdown(error.message(L)), icon="⛔")


def _issues(rows: list[dict], columns: dict[str, tuple[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    reason = f"reason_{L}"
    keep = [c for c in [*columns, reason] if c in frame.columns]
    labels = {c: Bilingual(*columns[c]).pick(L) for c in columns} | {
        reason: Bilingual("Lý do", "Reason").pick(L)
    }
    # (blank, not "None", where a row has no sheet or no code)
    return (
        frame[keep].astype(object).where(frame[keep].notna(), "").rename(columns=labels)
        if not frame.empty
        else frame
    )


def _session_memo(kind: str, key: tuple, compute):
    """``compute()`` once per ``key`` in this browser session: a rerun (confirming a suggestion,
    a click) re-reads nothing. Only the last result (or error) per ``kind`` is kept, in the
    session's own state, so an upload's tables are freed when the session ends or the editor
    signs out -- never shared with, or held for, other sessions (st.cache_data would)."""
    name = MEMO_PREFIX + kind
    memo = st.session_state.get(name)
    if memo is None or memo[0] != key:
        try:
            memo = (key, compute(), None)
        except NtmGeoError as error:
            memo = (key, None, error)
        st.session_state[name] = memo
    if memo[2] is not None:
        raise memo[2]
    return memo[1]


ISSUE_COLUMNS = {
    "row": ("Dòng", "Row"),
    "sheet": ("Trang tính", "Sheet"),
    "column": ("Cột", "Column"),
    "commune_code": ("Mã", "Code"),
    "value": ("Giá trị", "Value"),
}

st.title(t("data_title", L))
st.caption(t("data_intro", L))
show_flash()
# a map link opened on /data: its parameters are said (this page reads none but the language) and
# dropped from the address
show_link_notices(read_link("data").notices, L)
sync_query(to_query(replace(DEFAULT, lang=L)), "data")
enabled = auth.uploads_enabled()
if not enabled:
    st.warning(escape_markdown(auth.not_configured_error().message(L)), icon="🔒")
elif editor is None:
    with st.expander(t("data_signin", L), expanded=True, icon="🔑"):
        st.caption(t("data_signin_why", L))
        with st.form("signin_form", clear_on_submit=True, enter_to_submit=True):
            typed = st.text_input(t("data_password", L), type="password", key="signin_password")
            signing_in = st.form_submit_button(t("data_signin_button", L), type="primary")
        if signing_in:
            st.session_state.pop("signin_password", None)  # the typed value is kept nowhere
            try:
                editor = sign_in(typed)
            except NtmGeoError as error:
                _err(error)
            else:
                st.rerun()  # the page again, with the upload widgets
            finally:
                del typed
else:
    c_in, c_out = st.columns([4, 1], vertical_alignment="center")
    c_in.caption(t("data_signed_in", L, minutes=auth.IDLE_TIMEOUT_S // 60))
    if c_out.button(t("data_signout", L), key="signout"):
        sign_out()
        st.rerun()
if editor is not None:  # Streamlit's uploader texts are English only ("Upload", "10MB per file"): ours
    st.html(
        "<style>[data-testid='stFileUploaderDropzoneInstructions'],"
        " [data-testid='stFileUploaderDropzone'] button [data-testid='stMarkdownContainer'] {display: none}"
        f" [data-testid='stFileUploaderDropzone'] button [data-has-shortcut]::after"
        f" {{content: '{t('data_uploader_button', L)}'; font-size: 0.875rem}}"
        f" [data-testid='stFileUploaderDropzone']::before {{content: '{t('data_uploader_hint', L)}';"
        " font-size: 0.875rem; opacity: 0.7; flex: 1; align-self: center}</style>"
    )

# ---------------------------------------------------------------- 1. template
st.subheader(t("data_template", L))


@st.cache_data(show_spinner=False, max_entries=8)
def _template(year: int, lang_: str, kind: str) -> bytes:
    return tpl.template_xlsx(year, lang_) if kind == "xlsx" else tpl.template_csv(year)


col_year, col_x, col_c = st.columns([1, 2, 2], vertical_alignment="bottom")
t_year = col_year.selectbox(
    t("data_template_year", L), TEMPLATE_YEARS, index=TEMPLATE_YEARS.index(2015), key="template_year"
)
col_x.download_button(
    t("data_template_xlsx", L),
    _template(t_year, L, "xlsx"),
    file_name=f"mau_ntm_lang_son_{t_year}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
col_c.download_button(
    t("data_template_csv", L),
    _template(t_year, L, "csv"),
    file_name=f"mau_ntm_lang_son_{t_year}.csv",
    mime="text/csv",
)
st.caption(  # the template's criteria (issue 13) and units (trial 6, finding 4: 65 from 2026)
    escape_markdown(
        f"{tpl.table_framework(t_year).label(L)} · {Bilingual.of(tpl.template_units(t_year), 'label').pick(L)}"
    )
)

# ---------------------------------------------------------------- 2. upload and match report
st.subheader(t("data_upload", L))
upload = year_choice = None
accept_illustrative = False
if editor is None:
    st.caption(t("data_upload_file", L, mb=MAX_TABLE_MB) + ". " + t("data_signin_first", L))
else:
    col_file, col_year = st.columns([3, 1])
    upload = col_file.file_uploader(
        t("data_upload_file", L, mb=MAX_TABLE_MB),
        type=["csv", "txt", "tsv", "xlsx", "xlsm"],
        accept_multiple_files=False,
        max_upload_size=MAX_TABLE_MB,
        key="table_file",
    )
    year_choice = col_year.selectbox(
        t("data_year", L),
        [None, *TEMPLATE_YEARS],
        format_func=lambda y: t("data_year_auto", L) if y is None else str(y),
        key="table_year",
    )
    accept_illustrative = st.checkbox(  # editors only: the upload section is drawn for them alone
        t("data_accept_illustrative", L),
        key="accept_illustrative",
        help=t("data_accept_illustrative_help", L),
    )


@st.cache_resource(
    show_spinner="Lần chạy đầu: đang chuẩn bị danh sách đơn vị (một lần) / First run: preparing the unit lists (once)…"
)
def _reference_units_ready() -> bool:
    """The units of both vintages and the former-unit table, built once in the server (on a fresh
    clone from the boundary mirrors) before the first import worker needs them."""
    from ntm_geo.geo.vintage_match import load_reference_units

    load_reference_units()
    return True


def _import(
    data: bytes,
    filename: str,
    year: int | None,
    confirmed: tuple[tuple[int, str], ...],
    accept_illustrative: bool = False,
):
    """The import in a child process at low priority, killed when its time budget runs out, so a
    hostile upload neither holds the server's memory nor slows other viewers' maps
    (:mod:`ntm_geo.datasets.import_worker`; bench/README.md, "Other viewers during hostile uploads")."""
    from ntm_geo.datasets.import_worker import import_in_worker

    _reference_units_ready()
    return import_in_worker(
        data, filename, year=year, confirmed=dict(confirmed), accept_illustrative=accept_illustrative
    )


report = None
if upload is not None and editor is not None:
    if upload.size > MAX_TABLE_MB * 2**20:  # checked on the server, before reading
        st.error(t("data_too_big", L, size=upload.size / 2**20, mb=MAX_TABLE_MB))
    else:
        data = upload.getvalue()
        confirmed_key = f"confirmed::{upload.file_id}"
        confirmed = st.session_state.setdefault(confirmed_key, {})
        try:
            report = _session_memo(
                "table",
                (upload.file_id, year_choice, tuple(sorted(confirmed.items())), accept_illustrative),
                lambda: _import(
                    data, upload.name, year_choice, tuple(sorted(confirmed.items())), accept_illustrative
                ),
            )
        except NtmGeoError as error:
            _err(error)

if report is not None:
    st.markdown(f"#### {t('data_report', L)} — {escape_markdown(report.file)}")
    summary = report.to_json()  # once per rerun (~12 ms for 226 rows): counts, units without a row, the save
    counts = summary["counts"]
    st.markdown(
        t(
            "data_counts",
            L,
            matched=counts["matched"],
            unmatched=counts["unmatched"],
            duplicates=counts["duplicates"],
            out=counts["out_of_range_rows"],
            without=counts["units_without_row"],
            year=report.year,
        )
    )
    if report.provenance is not None and report.provenance.illustrative:  # accepted knowingly: say so
        accepted = next(n for n in report.notices if n.row is None and "illustrative" in n.reason_en)
        st.warning(escape_markdown(Bilingual.of(accepted, "reason").pick(L)))
    if report.to_confirm:  # read and confirmed before saving (trial 6, findings 4 and 10)
        points = "\n".join(
            f"- {'**' + escape_markdown(i.column) + '**: ' if i.column else ''}"
            f"{escape_markdown(Bilingual.of(i, 'reason').pick(L))}"
            for i in report.to_confirm
        )
        st.warning(f"**{t('data_to_confirm', L, n=len(report.to_confirm))}**\n\n{points}", icon="⚠️")
    if report.vintage_vi:  # which unit vintage the rows are matched against, and how (issue 12)
        st.caption(escape_markdown(Bilingual.of(report, "vintage").pick(L)))
    if report.framework_id:  # which criteria framework the table is read under, and why (issue 13)
        st.caption(escape_markdown(Bilingual.of(report, "framework_reason").pick(L)))
    if report.notices:
        with st.expander(t("data_notices", L) + f" ({len(report.notices)})"):
            st.dataframe(
                _issues([i.to_json() for i in report.notices], ISSUE_COLUMNS),
                hide_index=True,
                width="stretch",
            )
    if report.unmatched:
        st.markdown(f"**{t('data_unmatched', L)}** ({len(report.unmatched)})")
        st.dataframe(
            _issues([i.to_json() for i in report.unmatched], ISSUE_COLUMNS), hide_index=True, width="stretch"
        )
    if report.suggestions:
        st.markdown(f"**{t('data_suggest', L)}**")
        confirmed_key = f"confirmed::{upload.file_id}"
        raw_cells = dict(report.raw.rows) if report.raw else {}
        for row, options in list(sorted(report.suggestions.items()))[:40]:
            labels = {code: f"{label} ({score:.0f})" for code, label, score in options}
            written = escape_markdown(" · ".join(str(c) for c in raw_cells.get(row, ()) if c)[:80])
            current = st.session_state[confirmed_key].get(row, "")
            choice = st.selectbox(
                t("data_suggest_row", L, row=row, value=written),
                ["", *labels],
                index=["", *labels].index(current) if current in labels else 0,
                format_func=lambda c, lab=labels: lab.get(c, t("data_no_match", L)),
                key=f"suggest::{upload.file_id}::{row}",
            )
            if choice != current:
                if choice:
                    st.session_state[confirmed_key][row] = choice
                else:
                    st.session_state[confirmed_key].pop(row, None)
                st.rerun()
    if report.duplicates:
        st.markdown(f"**{t('data_duplicates', L)}** ({len(report.duplicates)})")
        st.dataframe(
            _issues([i.to_json() for i in report.duplicates], ISSUE_COLUMNS), hide_index=True, width="stretch"
        )
    if report.out_of_range:
        st.markdown(f"**{t('data_out_of_range', L)}** ({len(report.out_of_range)})")
        st.dataframe(
            _issues([i.to_json() for i in report.out_of_range], ISSUE_COLUMNS),
            hide_index=True,
            width="stretch",
        )
    if report.ignored:  # cells of imported rows not used: a ward's criteria (not assessed)
        st.markdown(f"**{t('data_ignored', L)}** ({len(report.ignored)})")
        st.caption(t("data_ignored_note", L))
        st.dataframe(
            _issues([i.to_json() for i in report.ignored], ISSUE_COLUMNS),
            hide_index=True,
            width="stretch",
        )
    without = summary["units_without_row"]
    if without:
        with st.expander(t("data_without", L) + f" ({len(without)})"):
            st.dataframe(
                _issues(without, {"commune_code": ("Mã", "Code"), "unit": ("Đơn vị", "Unit")}),
                hide_index=True,
                width="stretch",
            )
    if report.skipped:
        with st.expander(t("data_skipped", L) + f" ({len(report.skipped)})"):
            st.dataframe(
                _issues([i.to_json() for i in report.skipped], ISSUE_COLUMNS),
                hide_index=True,
                width="stretch",
            )
    with st.expander(t("data_matched", L) + f" ({len(report.matched)})"):
        matched = pd.DataFrame(report.matched)
        if not matched.empty:
            matched["rule"] = matched["rule"].map(lambda r: Bilingual(*RULES.get(r, (r, r))).pick(L))
            st.dataframe(
                matched.rename(
                    columns={
                        "row": Bilingual(*ISSUE_COLUMNS["row"]).pick(L),
                        "commune_code": Bilingual(*ISSUE_COLUMNS["commune_code"]).pick(L),
                        "rule": t("data_rule", L),
                        "name_as_written": Bilingual("Tên như trong tệp", "Name as written").pick(L),
                    }
                ),
                hide_index=True,
                width="stretch",
            )
    rejected = report.rejected_rows()
    if len(rejected):
        st.download_button(
            t("data_rejected_ignored" if report.ignored else "data_rejected", L),
            table_csv_bytes(rejected),
            # named for what it holds: rows not imported, or only values ignored (trial 8, m1)
            file_name=not_used_file_name(report.file, rejected),
            mime="text/csv",
        )
        if (rejected["issue"] != "ignored").any():  # ignored values: said by data_ignored_note
            st.caption(t("data_rejected_note", L))

    rows = []
    if report.vintage == "2015":  # the report's figures are of the 2015 units
        units = boundaries().communes.drop(columns="geometry")
        try:
            rows = check_table(report.table, units, report.year)
        except NtmGeoError as error:
            _err(error)
    if rows:
        with st.expander(t("data_check", L, year=report.year)):
            st.dataframe(display_table(rows, L), hide_index=True, width="stretch")
    else:
        st.caption(t("data_check_none", L))

    # ------------------------------------------------------------ 3. save
    st.subheader(t("data_save", L))
    records = {r.id: r for r in store.list_records()}
    with st.form("save_form"):
        target = st.selectbox(
            t("data_target", L),
            ["", *records],
            format_func=lambda i: (
                t("data_new", L)
                if not i
                else t("data_replace", L, name=f"{records[i].name} ({i})", year=report.year)
            ),
        )
        # blank = the file's name / the office for a new dataset, the saved ones when adding a year
        # (a default value here renamed the dataset to the file's name on every year added; trial6)
        name = st.text_input(
            t("data_name", L),
            placeholder=Path(report.file).stem,
            max_chars=store.MAX_NAME_CHARS,
        )
        source = st.text_input(t("data_source", L), placeholder=OFFICE_SOURCE)
        if records:
            st.caption(t("data_keep_blank", L))
        uploader = st.text_input(t("data_uploader", L))
        confirmed_points = not report.to_confirm or st.checkbox(
            t("data_confirm", L, n=len(report.to_confirm)), key="confirm_points"
        )
        # rows not imported; a ward's row with ignored criteria is imported (listed, not left out)
        not_imported = rejected.loc[rejected["issue"] != "ignored", "row"]
        n_rejected = len(set(not_imported.dropna()))
        empty = report.no_usable_value()  # the import's rule (the CLI's too): no value, not saved
        submitted = st.form_submit_button(
            t("data_save_button", L, n=len(report.table), rejected=n_rejected),
            type="primary",
            disabled=not len(report.table) or empty is not None,
        )
    if not len(report.table):
        st.warning(t("data_nothing", L))
    elif empty is not None:
        st.warning(empty.pick(L))
    if submitted and empty is not None:  # the button is disabled: never saved by a forged rerun either
        st.error(empty.pick(L))
    elif submitted and not confirmed_points:  # never saved unconfirmed (the CLI's --confirm)
        st.error(t("data_confirm_needed", L))
    elif submitted:
        name_or_none = name.strip() or (None if target else Path(report.file).stem)
        source_or_none = source.strip() or (None if target else OFFICE_SOURCE)
        if report.provenance is not None and report.provenance.illustrative:  # every map names its origin
            kept = source_or_none if source_or_none is not None else records[target].source
            source_or_none = f"{kept} — {t('data_illustrative_source', L)}"
        try:
            info = store.save_import(
                report.table,
                report.year,
                summary,
                name=name_or_none,  # None: the saved dataset's (store.save_import)
                source=source_or_none,
                uploaded_by=uploader,
                password=editor_session(),  # re-checked by the store: signed in and not expired
                into=target or None,
            )
        except NtmGeoError as error:
            _err(error)
        else:
            clear_data_caches()
            flash("success", "✅ " + t("data_saved", L, name=escape_markdown(info.name_vi), id=info.id))
            st.rerun()  # the saved list below shows it; the confirmation stays for that run

# ---------------------------------------------------------------- saved datasets
st.subheader(t("data_list", L))
try:
    records = store.list_records()
except NtmGeoError as error:
    _err(error)
    records = []
if not records:
    st.caption(t("data_list_empty", L))
else:
    st.dataframe(
        pd.DataFrame(
            {
                t("data_col_id", L): [r.id for r in records],
                t("data_col_name", L): [r.name for r in records],
                t("data_col_years", L): [", ".join(map(str, r.years)) for r in records],
                t("data_col_rows", L): [", ".join(map(str, r.rows)) for r in records],
                t("data_col_source", L): [r.source for r in records],
                t("data_col_by", L): [r.uploaded_by for r in records],
                t("data_col_at", L): [r.uploaded_at.replace("T", " ").replace("+00:00", "") for r in records],
                t("data_col_hash", L): [r.sha256 for r in records],
            }
        ),
        hide_index=True,
        width="stretch",
    )
    if editor is not None:
        with st.expander(t("data_delete", L)), st.form("delete_form"):
            victim = st.selectbox(t("data_col_id", L), [r.id for r in records])
            sure = st.checkbox(t("data_delete_confirm", L))
            if st.form_submit_button(t("data_delete_button", L), disabled=False) and sure:
                try:
                    store.delete_dataset(victim, password=editor_session())
                except NtmGeoError as error:
                    _err(error)
                else:
                    clear_data_caches()
                    flash("success", t("data_deleted", L, id=escape_markdown(victim)))
                    st.rerun()

# ---------------------------------------------------------------- 4. boundaries
st.subheader(t("data_bnd", L))
sets = store.list_boundary_sets()
if sets:
    active = sets[-1]
    st.caption(
        t(
            "data_bnd_active",
            L,
            name=escape_markdown(active.name),
            id=active.id,
            at=active.uploaded_at[:16].replace("T", " "),
            crs=escape_markdown(active.source_crs),
        )
    )
else:
    st.caption(t("data_bnd_builtin", L))
with st.expander(t("data_bnd_open", L), expanded=False):
    st.caption(t("data_bnd_intro", L, mb=MAX_BOUNDARY_MB))
    b_file = None
    if editor is None:
        st.caption(t("data_signin_first", L))
    else:
        b_file = st.file_uploader(
            t("data_bnd_file", L),
            type=["zip", "gpkg", "geojson", "json"],
            accept_multiple_files=False,
            max_upload_size=MAX_BOUNDARY_MB,
            key="boundary_file",
        )
    c1, c2 = st.columns(2)
    crs_key = c1.selectbox(
        t("data_bnd_crs", L),
        ["", *bu.CRS_CHOICES],
        format_func=lambda k: (
            t("data_bnd_crs_auto", L) if not k else Bilingual(*bu.CRS_CHOICES[k][:2]).pick(L)
        ),
    )
    encoding = c2.selectbox(
        t("data_bnd_encoding", L),
        ["", "utf-8", "cp1258", "cp1252"],
        format_func=lambda e: e or t("data_year_auto", L),
    )

    def _import_boundaries(data: bytes, filename: str, crs: str, enc: str):
        return bu.import_boundaries(
            data, filename, crs=crs or None, encoding=enc or None, reference=boundaries().communes
        )

    result = None
    if b_file is not None and editor is not None:
        if b_file.size > MAX_BOUNDARY_MB * 2**20:  # checked on the server, before reading
            st.error(t("data_too_big", L, size=b_file.size / 2**20, mb=MAX_BOUNDARY_MB))
        else:
            try:
                result = _session_memo(
                    "boundary",
                    (b_file.file_id, crs_key, encoding),
                    lambda: _import_boundaries(b_file.getvalue(), b_file.name, crs_key, encoding),
                )
            except NtmGeoError as error:
                _err(error)
    if result is not None:
        st.markdown(f"**{escape_markdown(b_file.name)}** — {escape_markdown(result.summary(L))}")
        for note in result.notes:
            st.info(escape_markdown(Bilingual(*note).pick(L)))
        r = result.report
        if r["unmatched"]:
            frame = pd.DataFrame(r["unmatched"])
            frame["suggestions"] = frame["suggestions"].map(
                lambda s: "; ".join(f"{x['name']} — {x['district']} ({x['code']}, {x['score']})" for x in s)
            )
            st.dataframe(
                _issues(
                    frame.to_dict("records"),
                    {
                        "row": ("Đối tượng", "Feature"),
                        "code": ("Mã", "Code"),
                        "name": ("Tên", "Name"),
                        "district": ("Huyện", "District"),
                        "suggestions": ("Gợi ý", "Suggestions"),
                    },
                ),
                hide_index=True,
                width="stretch",
            )
        if r["duplicates"]:
            st.dataframe(
                _issues(
                    r["duplicates"],
                    {"row": ("Đối tượng", "Feature"), "code": ("Mã", "Code"), "name": ("Tên", "Name")},
                ),
                hide_index=True,
                width="stretch",
            )
        if r["units_without_feature"]:
            st.dataframe(pd.DataFrame(r["units_without_feature"]), hide_index=True, width="stretch")
        if r.get("misplaced"):  # polygons not where the reference has the unit (codes shifted?)
            st.dataframe(
                _issues(
                    r["misplaced"],
                    {
                        "row": ("Đối tượng", "Feature"),
                        "code": ("Mã", "Code"),
                        "name": ("Tên", "Name"),
                        "district": ("Huyện", "District"),
                    },
                ),
                hide_index=True,
                width="stretch",
            )
        st.image(  # the upload over the boundaries in use, before saving (issue 14 item 3)
            bu.boundary_crs.preview_png(
                result.communes,
                boundaries().communes,
                misplaced=[m["code"] for m in r.get("misplaced", [])],
                offset_m=result.offset_m,
                lang=L,
            ),
            width=480,
        )
        if not result.complete:
            st.warning(t("data_bnd_incomplete", L))
        else:
            with st.form("boundary_save"):
                b_name = st.text_input(t("data_name", L), value=Path(b_file.name).stem)
                b_by = st.text_input(t("data_uploader", L))
                if st.form_submit_button(t("data_bnd_save", L), type="primary"):
                    try:
                        record = bu.save(result, b_name, b_by, password=editor_session())
                    except NtmGeoError as error:
                        _err(error)
                    else:
                        clear_data_caches(boundaries=True)
                        flash("success", t("data_bnd_saved", L, id=escape_markdown(record.id)))
                        st.rerun()  # the caption above names the boundaries now in use
    if sets and editor is not None:
        with st.form("boundary_delete"):
            if st.form_submit_button(t("data_bnd_delete", L)):
                try:
                    store.delete_boundaries(sets[-1].id, password=editor_session())
                except NtmGeoError as error:
                    _err(error)
                else:
                    clear_data_caches(boundaries=True)
                    flash("success", t("data_deleted", L, id=escape_markdown(sets[-1].id)))
                    st.rerun()
