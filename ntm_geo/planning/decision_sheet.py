"""The planner's decision sheet: the shortlist as an Excel workbook, and its map as a PNG.

Workbook (:func:`decision_sheet_xlsx`, openpyxl), three sheets:

1. **Shortlist** — one row per shortlisted xã: the comparison columns of
   :func:`ntm_geo.planning.ranking.shortlist_rows` and the planner's note;
2. **Map** — the PNG of :func:`shortlist_map_png` (province, shortlisted xã highlighted);
3. **Dataset** — which dataset, its years, source and provenance; an illustrative dataset is
   labelled as such, with its note.

Every text cell is passed through :func:`ntm_geo.exports.tables.neutralise_formulas` (a cell starting
with ``=``, ``+``, ``-``, ``@`` gets a leading apostrophe, so Excel never runs it), and characters
that XML cannot hold (control characters a note may contain) are removed.

The map is drawn with matplotlib's object API (no pyplot state, safe in a server) in DejaVu Sans,
which has every Vietnamese diacritic.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import cast

import geopandas as gpd
import pandas as pd
from adjustText import adjust_text
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from openpyxl.drawing.image import Image as XLImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ntm_geo.datasets.contract import DatasetInfo
from ntm_geo.exports.tables import CellValue, neutralise_formulas, new_workbook
from ntm_geo.i18n import register, t

FONT = "DejaVu Sans"
SHORTLIST_FILL = "#d7301f"  # ColorBrewer OrRd: shortlisted xã
OTHER_FILL = "#f0f0f0"
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # not allowed in XML 1.0 (openpyxl refuses them)

STRINGS: dict[str, tuple[str, str]] = {
    "ds_sheet_shortlist": ("Danh sách xã", "Shortlist"),
    "ds_sheet_map": ("Bản đồ", "Map"),
    "ds_sheet_dataset": ("Bộ dữ liệu", "Dataset"),
    "ds_title": (
        "Phiếu đề xuất chọn xã — xây dựng nông thôn mới tỉnh Lạng Sơn",
        "Decision sheet — communes proposed for New Rural Development, Lạng Sơn",
    ),
    "ds_number": ("STT", "No."),
    "ds_code": ("Mã xã", "Code"),
    "ds_note": ("Ghi chú", "Note"),
    "ds_field": ("Mục", "Field"),
    "ds_value": ("Nội dung", "Value"),
    "ds_dataset_name": ("Bộ dữ liệu", "Dataset"),
    "ds_dataset_id": ("Mã bộ dữ liệu", "Dataset id"),
    "ds_year": ("Năm số liệu", "Data year"),
    "ds_years": ("Các năm có số liệu", "Years available"),
    "ds_source": ("Nguồn", "Source"),
    "ds_illustrative": ("Dữ liệu minh họa?", "Illustrative data?"),
    "ds_provenance": ("Nguồn gốc / ghi chú", "Provenance / note"),
    "ds_boundaries": ("Ranh giới", "Boundaries"),
    "ds_exported": ("Ngày xuất", "Exported on"),
    "ds_targets": ("Mục tiêu 2020", "2020 targets"),
    "ds_targets_text": (
        "Báo cáo 48/BC-BCĐ (05/5/2016): 72 xã đạt chuẩn (19 tiêu chí), 8 xã 15–18, 37 xã 10–14, 90 xã 5–9, "
        "không còn xã dưới 5 tiêu chí; bình quân 11,8 tiêu chí/xã; chọn 05 xã đặc biệt khó khăn chỉ đạo điểm 2016–2018.",
        "Report 48/BC-BCĐ (5 May 2016): 72 xã meeting the standard (19 criteria), 8 with 15–18, 37 with 10–14, "
        "90 with 5–9, none below 5; mean 11.8 criteria per xã; 5 especially difficult pilot xã for 2016–2018.",
    ),
    "ds_yes_illustrative": (
        "CÓ — DỮ LIỆU MINH HỌA, không phải số liệu thật của từng xã",
        "YES — ILLUSTRATIVE DATA, not the real figures of each commune",
    ),
    "ds_no": ("Không", "No"),
    "ds_no_map": ("Không có hình bản đồ.", "No map image."),
    "ds_map_title": ("Các xã trong danh sách đề xuất", "Shortlisted communes"),
    "ds_map_shortlisted": ("Xã trong danh sách", "Shortlisted"),
    "ds_map_other": ("Xã, phường, thị trấn khác", "Other units"),
    "ds_map_other_2025": ("Xã, phường khác", "Other units"),  # no thị trấn since 1 July 2025
    "ds_boundaries_text_2025": (
        "Ranh giới 65 đơn vị từ 01/7/2025 (Nghị quyết 1672/NQ-UBTVQH15): vietnamese-provinces-database "
        "(thanglequoc, giấy phép MIT), bản cd58063; không còn cấp huyện.",
        "Boundaries of the 65 units from 1 July 2025 (Resolution 1672/NQ-UBTVQH15): "
        "vietnamese-provinces-database (thanglequoc, MIT licence) @cd58063; no district level.",
    ),
    "ds_boundaries_text": (
        "censusVN2009 (M. Choisy, L. Contamin, giấy phép MIT), Tổng điều tra 2009; mã đơn vị: Tổng cục Thống kê 2015.",
        "censusVN2009 (M. Choisy, L. Contamin, MIT licence), 2009 census; unit codes: GSO 2015.",
    ),
}
register(STRINGS)


def _clean(value: object) -> CellValue:
    if isinstance(value, str):
        return _ILLEGAL.sub("", value)
    if value is None or (not isinstance(value, (list, tuple)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar -> Python
        return cast(CellValue, value.item())  # numpy's item() gives a Python bool/int/float/str
    return value  # type: ignore[return-value]  # other types go to openpyxl, which rejects what it cannot store


def _safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Text cells that cannot start a formula and hold only characters XML allows."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(lambda v: _ILLEGAL.sub("", v) if isinstance(v, str) else v)
    out.columns = [_ILLEGAL.sub("", str(c)) for c in out.columns]
    return neutralise_formulas(out)


def _write_table(ws: Worksheet, df: pd.DataFrame, *, start_row: int = 1, header_fill: str = "DDEBF7") -> None:
    bold = Font(bold=True)
    for j, name in enumerate(df.columns, start=1):
        cell = ws.cell(row=start_row, column=j, value=_clean(name))
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor=header_fill)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(df.itertuples(index=False, name=None), start=start_row + 1):
        for j, value in enumerate(row, start=1):
            cell = ws.cell(row=i, column=j, value=_clean(value))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for j, name in enumerate(df.columns, start=1):
        longest = max([len(str(name))] + [len(str(v)) for v in df.iloc[:, j - 1].tolist()])
        ws.column_dimensions[get_column_letter(j)].width = max(6, min(48, longest + 2))


def decision_sheet_xlsx(
    shortlist_table: pd.DataFrame,
    notes: Mapping[str, str],
    dataset_info: DatasetInfo,
    map_png: bytes | None,
    lang: str = "vi",
    *,
    year: int | None = None,
    today: date | None = None,
    with_target: bool = True,
    units: str = "2015",
) -> bytes:
    """The decision sheet as ``.xlsx`` bytes.

    Parameters
    ----------
    shortlist_table : DataFrame
        :func:`ntm_geo.planning.ranking.shortlist_rows` — index ``commune_code``, one row per xã, in the
        shortlist's order, with localised column headers.
    notes : mapping commune_code -> text
        The planner's note per xã (missing = empty). Any text: it is written as text, never a formula.
    dataset_info : DatasetInfo
        The dataset the figures come from (:func:`ntm_geo.datasets.catalog.get_dataset`).
    map_png : bytes or None
        PNG for the map sheet (:func:`shortlist_map_png`); ``None`` writes a line saying there is none.
    lang : "vi" or "en"
    year : the data year shown (written on the dataset sheet).
    today : export date (default: today), for reproducible files in tests.
    with_target : whether the dataset sheet states the 2020 targets of Report 48/BC-BCĐ — only
        for a dataset measured on them (:func:`ntm_geo.planning.targets.target_for`); never for
        2026 data under 51/2025.
    units : the unit vintage the shortlist is on, "2015" (censusVN2009) or "2025" (65 units).
    """
    wb, ws = new_workbook()
    ws.title = t("ds_sheet_shortlist", lang)
    table = shortlist_table.copy()
    codes = [str(c) for c in table.index]
    table.insert(0, t("ds_code", lang), codes)
    table.insert(0, t("ds_number", lang), list(range(1, len(table) + 1)))
    table[t("ds_note", lang)] = [str(notes.get(c, "") or "") for c in codes]
    table = _safe_frame(table.reset_index(drop=True))
    _write_table(ws, table)
    note_col = get_column_letter(len(table.columns))
    ws.column_dimensions[note_col].width = 60
    ws.freeze_panes = "D2"

    ws_map = wb.create_sheet(t("ds_sheet_map", lang))
    ws_map["A1"] = t("ds_map_title", lang)
    ws_map["A1"].font = Font(bold=True, size=14)
    if map_png:
        image = XLImage(io.BytesIO(map_png))
        ws_map.add_image(image, "A3")
    else:
        ws_map["A3"] = t("ds_no_map", lang)

    ws_data = wb.create_sheet(t("ds_sheet_dataset", lang))
    name = dataset_info.name.pick(lang)
    note = dataset_info.note.pick(lang)
    rows = [
        (t("ds_title", lang), ""),
        (t("ds_dataset_name", lang), name),
        (t("ds_dataset_id", lang), dataset_info.id),
        (
            t("ds_illustrative", lang),
            t("ds_yes_illustrative", lang) if dataset_info.illustrative else t("ds_no", lang),
        ),
        (t("ds_year", lang), "" if year is None else str(year)),
        (t("ds_years", lang), ", ".join(map(str, dataset_info.years))),
        (t("ds_source", lang), dataset_info.source),
        (t("ds_provenance", lang), note),
        (
            t("ds_boundaries", lang),
            t("ds_boundaries_text_2025" if units == "2025" else "ds_boundaries_text", lang),
        ),
        *([(t("ds_targets", lang), t("ds_targets_text", lang))] if with_target else []),
        (t("ds_exported", lang), (today or date.today()).isoformat()),
    ]
    frame = _safe_frame(pd.DataFrame(rows, columns=[t("ds_field", lang), t("ds_value", lang)]))
    _write_table(ws_data, frame)
    ws_data.column_dimensions["B"].width = 100
    if dataset_info.illustrative:
        for i in (3, 7):  # the "illustrative?" and provenance rows (sheet row = index + 2: header first)
            ws_data.cell(row=i + 2, column=2).font = Font(bold=True, color="B00000")

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _shortlist_figure(
    communes: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    codes: Iterable[str],
    *,
    title: str,
    note: str,
    lang: str,
    width_in: float,
    dpi: int,
) -> tuple[Figure, list[Text]]:
    """The figure of :func:`shortlist_map_png` and its commune labels (for tests)."""
    code_list = [str(c) for c in codes]
    gdf = communes.to_crs(4326) if communes.crs is not None else communes
    dist = districts.to_crs(4326) if districts.crs is not None else districts
    picked = gdf[gdf["commune_code"].isin(code_list)]
    towns = "unit_type" not in gdf.columns or bool((gdf["unit_type"] == "thi-tran").any())
    other = "ds_map_other" if towns else "ds_map_other_2025"  # no thị trấn on the 2025 units
    minx, miny, maxx, maxy = gdf.total_bounds
    aspect = (maxy - miny) / ((maxx - minx) * 0.93)  # cos(21.8°) ≈ 0.93
    fig = Figure(figsize=(width_in, width_in * aspect * 0.85 + 1.6), dpi=dpi)
    FigureCanvasAgg(fig)  # a renderer, to measure the labels
    ax = fig.add_axes((0.02, 0.1, 0.96, 0.8))
    ax.set_aspect(1 / 0.93)
    ax.set_axis_off()
    gdf.plot(ax=ax, color=OTHER_FILL, edgecolor="#9e9e9e", linewidth=0.3)
    if len(picked):
        picked.plot(ax=ax, color=SHORTLIST_FILL, edgecolor="#000000", linewidth=1.2)
    dist.boundary.plot(ax=ax, color="#333333", linewidth=1.0)
    order = {c: i for i, c in enumerate(code_list, start=1)}
    labels: list[Text] = []
    for _, row in picked.sort_values("commune_code", key=lambda c: c.map(order)).iterrows():
        point = row.geometry.representative_point()
        labels.append(
            ax.text(
                point.x,
                point.y,
                f"{order[row['commune_code']]}. {row['name_with_type']}",
                fontsize=9,
                fontfamily=FONT,
                fontweight="bold",
                zorder=5,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#333333", "alpha": 0.9},
            )
        )
    if len(labels) > 1:  # neighbouring xã: push the boxes apart, a thin line back to each xã
        adjust_text(
            labels, ax=ax, expand=(1.15, 1.4), arrowprops={"arrowstyle": "-", "color": "#333333", "lw": 0.6}
        )
    fig.suptitle(title, fontsize=13, fontfamily=FONT, fontweight="bold", y=0.97)
    ax.legend(
        handles=[
            Patch(facecolor=SHORTLIST_FILL, edgecolor="black", label=t("ds_map_shortlisted", lang)),
            Patch(facecolor=OTHER_FILL, edgecolor="#9e9e9e", label=t(other, lang)),
        ],
        loc="upper right",
        prop={"family": FONT, "size": 9},
        frameon=True,
    )
    if note:
        fig.text(0.02, 0.02, note, fontsize=8, fontfamily=FONT, wrap=True, color="#8a1c1c")
    return fig, labels


def shortlist_map_png(
    communes: gpd.GeoDataFrame,
    districts: gpd.GeoDataFrame,
    codes: Iterable[str],
    *,
    title: str,
    note: str = "",
    lang: str = "vi",
    width_in: float = 8.0,
    dpi: int = 110,
) -> bytes:
    """PNG of the province with the shortlisted xã filled and numbered (1, 2, … in ``codes`` order).

    Parameters
    ----------
    communes : GeoDataFrame
        ``commune_code``, ``name_with_type``, geometry (any CRS; drawn in EPSG:4326 degrees with
        the latitude's aspect correction).
    districts : GeoDataFrame
        District polygons, drawn as thick outlines.
    codes : commune codes of the shortlist, in order (numbers on the map follow it).
    title, note : printed above / below the map (e.g. the illustrative-data label).
    """
    fig, _ = _shortlist_figure(
        communes, districts, codes, title=title, note=note, lang=lang, width_in=width_in, dpi=dpi
    )
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
