"""Download buttons for the current map view: static map (PNG slide, PNG A4 300 dpi, PDF), standalone
HTML map, GeoPackage for QGIS (with the app's style), Excel and CSV table (in the reader's
language, importable again, carrying their provenance).

Call from a page, after the view is chosen::

    from app_pages.export_ui import render_exports
    render_exports(current_state(), former_districts=former_districts)  # the page's ViewState

Reruns: nothing is rendered until the user presses **Tạo tệp / Prepare files**; the map page's
reruns only draw a button. The press remembers the view (in ``st.session_state``), so the files
are rendered once (a few seconds, with a progress bar) and then served from ``st.cache_data``,
keyed by the view *and a fingerprint of its data* (a dataset replaced under the same id, or new
boundaries, give new files). When the user changes the view, the buttons give way to the
prepare button again. Download buttons use ``on_click="ignore"``: downloading does not rerun
the page.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pandas as pd
import shapely
import streamlit as st

from app_pages.common import boundaries, joined_table, unit_boundaries
from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import NtmGeoError
from ntm_geo.exports.formats import export_filename, standalone_html, table_export
from ntm_geo.exports.geopackage import build_geopackage
from ntm_geo.exports.spec import on_units
from ntm_geo.exports.static_map import render_map
from ntm_geo.i18n import register, t
from ntm_geo.views.viewstate import ViewState

STRINGS: dict[str, tuple[str, str]] = {
    "exportui_title": ("⬇️ Tải bản đồ và bảng số liệu", "⬇️ Download the map and the table"),
    "exportui_intro": (
        "PNG/PDF cho trình chiếu, HTML mở không cần internet, GeoPackage cho QGIS, bảng Excel/CSV của bản đồ này.",
        "PNG/PDF for slides, HTML that opens offline, GeoPackage for QGIS, Excel/CSV table of this map.",
    ),
    "exportui_prepare": ("Tạo tệp", "Prepare files"),
    "exportui_prepare_help": (
        "Tạo các tệp cho đúng bản đồ đang xem (vài giây).",
        "Render the files for exactly this view (a few seconds).",
    ),
    "exportui_changed": (
        "Bản đồ đã thay đổi: bấm «Tạo tệp» để tạo lại.",
        "The view has changed: press “Prepare files” again.",
    ),
    "exportui_rendering": ("Đang tạo {name}…", "Rendering {name}…"),
    "exportui_png_slide": ("PNG trình chiếu 1920×1080", "PNG slide 1920×1080"),
    "exportui_png_a4": ("PNG A4 300 dpi", "PNG A4 300 dpi"),
    "exportui_pdf": ("PDF A4", "PDF A4"),
    "exportui_html": ("Bản đồ HTML (không cần mạng)", "HTML map (offline)"),
    "exportui_gpkg": ("GeoPackage cho QGIS (có sẵn màu)", "GeoPackage for QGIS (styled)"),
    "exportui_xlsx": ("Bảng Excel", "Excel table"),
    "exportui_csv": ("Bảng CSV", "CSV table"),
    "exportui_table_note": (
        "Bảng: {n} đơn vị{where}; tiêu đề cột tiếng Việt, dòng mã cột phía trên để nhập lại được. "
        "GeoPackage: ranh giới đầy đủ (WGS84 và VN-2000 Lạng Sơn), mọi số liệu, lớp huyện, màu như bản đồ.",
        "Table: {n} units{where}; headers in English over a row of column keys, so it imports again. "
        "GeoPackage: full boundaries (WGS84 and VN-2000 Lạng Sơn), every value, districts, the map's colours.",
    ),
    "exportui_table_note_2025": (
        "Bảng: {n} đơn vị 2025 (không còn cấp huyện); tiêu đề cột tiếng Việt, dòng mã cột phía trên để nhập lại "
        "được. GeoPackage: ranh giới 65 đơn vị (WGS84 và VN-2000 Lạng Sơn), mọi số liệu, màu như bản đồ{former}.",
        "Table: {n} units of 2025 (no district level); headers in English over a row of column keys, so it "
        "imports again. GeoPackage: the 65 unit boundaries (WGS84 and VN-2000 Lạng Sơn), every value, the "
        "map's colours{former}.",
    ),
    "exportui_former": (
        "; ranh giới huyện cũ (trước 1/7/2025)",
        "; former district outlines (before 1 July 2025)",
    ),
    "exportui_unavailable": ("{name}: không tạo được — {why}", "{name}: not available — {why}"),
    "exportui_failed": ("Không tạo được tệp", "Could not create the file"),
}
register(STRINGS)

# (key, label key, mime, extension, size)
FILES: tuple[tuple[str, str, str, str, str], ...] = (
    ("png_slide", "exportui_png_slide", "image/png", "png", "slide"),
    ("png_a4", "exportui_png_a4", "image/png", "png", "a4"),
    ("pdf", "exportui_pdf", "application/pdf", "pdf", "a4"),
    ("html", "exportui_html", "text/html", "html", ""),
    ("gpkg", "exportui_gpkg", "application/geopackage+sqlite3", "gpkg", ""),
    (
        "xlsx",
        "exportui_xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
        "",
    ),
    ("csv", "exportui_csv", "text/csv", "csv", ""),
)


def _fingerprint(dataset_id: str, year: int, units: str = "2015") -> str:
    """Digest of the joined table the view is drawn from (attributes and geometry)."""
    table = joined_table(dataset_id, year, units)
    digest = hashlib.sha256()
    attributes = pd.DataFrame(table.drop(columns="geometry"))
    digest.update(pd.util.hash_pandas_object(attributes.astype(str), index=False).to_numpy().tobytes())
    for wkb in shapely.to_wkb(table.geometry.to_numpy()):
        digest.update(wkb)
    return digest.hexdigest()[:16]


@st.cache_data(show_spinner=False, max_entries=24)
def _file(key: tuple[ViewState, bool, str], which: str) -> bytes:
    """One export file of the view ``key`` = (view, former districts, data fingerprint); cached: a
    view's files are rendered once."""
    state, former, _ = key
    b = unit_boundaries(state.units)  # the 226 units of 2015 or the 65 units of 2025
    if which == "png_slide":
        return render_map(state, "png", "slide", boundaries=b, former_districts=former)
    if which == "png_a4":
        return render_map(state, "png", "a4", boundaries=b, former_districts=former)
    if which == "pdf":
        return render_map(state, "pdf", "a4", boundaries=b, former_districts=former)
    if which == "html":
        return standalone_html(state, boundaries=b, former_districts=former).encode("utf-8")
    if which == "gpkg":
        return build_geopackage(state, boundaries=b, former_districts=former)
    return table_export(state, which, boundaries=b)


def _prepare(key: tuple) -> None:
    st.session_state["exportui_ready"] = key


def export_view(state: ViewState) -> ViewState:
    """What of a page's view an export shows: :meth:`ViewState.map_key` (dataset, year, theme,
    variable, scheme, k, language, units) and the district; a selected commune, a shortlist or
    the background tiles do not make new files."""
    return replace(state.map_key(), district=state.district)


def render_exports(state: ViewState, *, former_districts: bool = False) -> None:
    """An expander with a prepare button, then seven download buttons for the page's view.

    Parameters
    ----------
    state : ViewState
        The page's current view, the one its link encodes (``district`` "" for the whole
        province; ``units`` the unit vintage asked — a dataset keyed by the 2025 units is
        exported on them; ``lang`` the language of the files).
    former_districts : bool
        Export option: the former district outlines on the 2025 units.
    """
    view = export_view(state)
    lang = view.lang
    with st.expander(t("exportui_title", lang)):
        st.caption(t("exportui_intro", lang))
        try:
            boundaries()  # first run: builds the boundary cache with a progress bar
            drawn = on_units(view)  # the units it is drawn on (a 2025 dataset: always its own)
            key = (
                view,
                bool(former_districts and drawn.units == "2025"),
                _fingerprint(view.dataset, view.year, view.units),
            )
        except NtmGeoError as err:
            st.error(err.message(lang))
            return
        ready = st.session_state.get("exportui_ready")
        if ready != key:
            if ready is not None and ready[:-1] != key[:-1]:
                st.caption(t("exportui_changed", lang))
            # the callback runs before the rerun, so the button is gone when the files appear
            st.button(
                t("exportui_prepare", lang),
                help=t("exportui_prepare_help", lang),
                key="exportui_prepare",
                icon=":material/build:",
                on_click=_prepare,
                args=(key,),
            )
            return
        files: dict[str, bytes] = {}
        unavailable: dict[str, str] = {}
        bar = st.progress(0.0)
        for i, (which, label, *_rest) in enumerate(FILES):
            bar.progress(i / len(FILES), text=t("exportui_rendering", lang, name=t(label, lang)))
            try:
                files[which] = _file(key, which)
            except NtmGeoError as err:  # e.g. a GeoPackage of a variable the dataset lacks
                unavailable[which] = err.message(lang)
        bar.empty()
        if not files:
            st.error(f"**{t('exportui_failed', lang)}**\n\n{next(iter(unavailable.values()))}")
            return
        columns = st.columns(2)
        shown = [f for f in FILES if f[0] in files]
        for i, (which, label, mime, ext, size) in enumerate(shown):
            data = files[which]
            with columns[i % 2]:
                st.download_button(
                    f"{t(label, lang)} · {_size_text(len(data), lang)}",
                    data=data,
                    file_name=export_filename(drawn, ext, size),
                    mime=mime,
                    key=f"exportui_{which}",
                    on_click="ignore",
                    icon=":material/download:",
                    width="stretch",
                )
        for which, label, *_rest in FILES:
            if which in unavailable:
                st.caption(t("exportui_unavailable", lang, name=t(label, lang), why=unavailable[which]))
        inside = _units_in_view(drawn)
        if drawn.units == "2025":
            former = t("exportui_former", lang) if key[1] else ""
            st.caption(t("exportui_table_note_2025", lang, n=inside, former=former))
        else:
            where = f" ({district_name})" if (district_name := _district_name(drawn)) else ""
            st.caption(t("exportui_table_note", lang, n=inside, where=where))


def _units_in_view(state: ViewState) -> int:
    """Units in the exported table: the district's when one is chosen, else all."""
    units = unit_boundaries(state.units).communes_web
    if state.district:
        return int((units["district_code"] == state.district).sum())
    return len(units)


def _district_name(state: ViewState) -> str:
    if not state.district:
        return ""
    d = unit_boundaries(state.units).districts_web
    names = dict(zip(d["district_code"], d["district_name"], strict=True))
    return names.get(state.district, "")


def _size_text(n: int, lang: str) -> str:
    """ "1,2 MB" / "1.2 MB", "85 kB"."""
    text = f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{max(1, round(n / 1e3))} kB"
    return Bilingual(text.replace(".", ","), text).pick(lang)
