"""File exports of a map view besides the static map: a standalone HTML map and an Excel table.

* :func:`standalone_html` — the interactive map of the app (same layers, colours, legend and
  tooltips, built by :func:`ntm_geo.maps.mapbuild.build_view_layers`) as **one HTML file that opens
  offline**, e.g. from a USB stick: Leaflet's script and stylesheet (with its images as
  ``data:`` URIs) and the commune data are inlined; no background tiles; no URL is loaded.
  A header gives the title and the "illustrative data" badge, a footer the sources and date.
* :func:`view_table` — the table behind a view (one row per unit, the dataset's columns with
  their contract names so the file can be imported again, plus the shown value).
* :func:`table_xlsx` — that table as an Excel workbook: a header block (title, note), a frozen
  and filtered header row, column widths, numbers stored as numbers, text cells that could start
  a formula neutralised (:func:`ntm_geo.exports.tables.neutralise_formulas`) and always stored as text.
  CSV stays :func:`ntm_geo.exports.tables.table_csv_bytes` (UTF-8 with BOM).
* :func:`table_export` — the reader's Excel or CSV table of a view (headers and coded values in
  the view's language over a row of machine keys, provenance rows): the map page's export menu
  and ``export-map --format xlsx|csv``.

Pure logic: no Streamlit import.

Why over 500 lines: the standalone HTML map and the reader's table share one resolved view
(:func:`~ntm_geo.exports.view_data.export_data`), its provenance rows and its file names; splitting
the two formats would split those helpers across modules that always change together.
"""

from __future__ import annotations

import html
import io
import math
from collections.abc import Sequence
from datetime import date, datetime
from typing import cast

import branca.element
import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ntm_geo.bilingual import Bilingual
from ntm_geo.criteria.framework import CRITERION_COLUMNS
from ntm_geo.datasets import schema
from ntm_geo.datasets.provenance import SHEET as PROVENANCE_SHEET
from ntm_geo.datasets.provenance import Provenance
from ntm_geo.errors import ConfigError
from ntm_geo.exports.static_map import ILLUSTRATIVE_COLOR, day_text, group_line
from ntm_geo.exports.tables import (
    CellValue,
    column_label,
    infra_criteria,
    localized_table,
    neutralise_formulas,
    new_workbook,
    provenance_for,
    table_csv_bytes_localized,
)
from ntm_geo.exports.view_data import FORMER_DISTRICT_LABEL, boundaries_for, export_data
from ntm_geo.geo.boundaries import Boundaries
from ntm_geo.geo.crosswalk import former_districts_2025
from ntm_geo.i18n import register, t
from ntm_geo.maps.mapbuild import build_view_layers
from ntm_geo.maps.mapview import build_base_map, map_html
from ntm_geo.maps.themes import ChoroplethView, table_framework
from ntm_geo.views.viewstate import ViewState

__all__ = [
    "TABLE_COLUMNS",
    "export_filename",
    "standalone_html",
    "table_export",
    "table_xlsx",
    "view_table",
]

STRINGS: dict[str, tuple[str, str]] = {
    "export_offline_note": (
        "Tệp này mở được không cần internet (bản đồ và số liệu nằm trong tệp). Rê chuột lên một xã để xem giá trị.",
        "This file opens without internet (map and data are inside it). Hover over a commune to see its value.",
    ),
    "export_sheet": ("Bảng số liệu", "Data table"),
}
register(STRINGS)

TABLE_COLUMNS: tuple[str, ...] = (
    "commune_code",
    "name_with_type",
    "district_code",
    "district_name",
    "unit_type",
    "population_2009",
    "area_km2",
    "criteria_met",
    "infra_criteria_met",
    *(c.key for c in schema.value_columns() if c.theme is not None),
    *CRITERION_COLUMNS,
)
"""Columns of :func:`view_table` (those present), in this order, before the shown value."""


# --------------------------------------------------------------------------- table


def view_table(joined: pd.DataFrame, view: ChoroplethView, lang: str = "vi") -> pd.DataFrame:
    """The table behind a map view: one row per unit, same order as the map.

    Parameters
    ----------
    joined : (Geo)DataFrame
        From :func:`ntm_geo.maps.themes.join_dataset` (geometry is dropped).
    view : ChoroplethView
        From :func:`ntm_geo.maps.themes.compute_view` on ``joined``.

    Returns
    -------
    DataFrame
        :data:`TABLE_COLUMNS` that exist (dataset contract names, so the file can be imported
        again; the criterion columns of the table's framework only), the framework's indicator
        columns the table has (``c10_1``; one linked to a registry column is that column), then one column named after
        the variable with the value as the map shows it ("12/19", "Không đánh giá", "11,9 %").
    """
    columns = [c for c in TABLE_COLUMNS if c in joined.columns]
    fw = table_framework(joined)
    if fw is not None:  # only the criteria of the table's framework (10 under 51/2025; issue 13)
        columns = [c for c in columns if c not in CRITERION_COLUMNS or c in fw.criterion_keys]
        if not infra_criteria(fw.id):  # no infrastructure block (51/2025): no "criteria 2–9" count
            columns = [c for c in columns if c != "infra_criteria_met"]
        columns += [  # its own indicator columns (c10_1); a linked one is a registry column already
            i.key for i in fw.indicators if i.column is None and i.key in joined.columns
        ]
    table = pd.DataFrame(joined[columns]).reset_index(drop=True)
    table[view.variable.label(lang)] = list(view.display_values)
    return table


def display_table(table: pd.DataFrame, lang: str = "vi") -> pd.DataFrame:
    """:func:`view_table` for reading on screen: headers in the user's language ("TC1".."TC19"
    for the criteria), unit types as words, yes/no as ✓/✗ (blank = not assessed or no data),
    area rounded to 0.1 km². Numbers stay numbers (the table sorts by value); the export keeps
    :func:`view_table` with the dataset's column names, so it can be imported again."""
    from ntm_geo.geo.units import UNIT_TYPES

    out = table.copy()
    if "unit_type" in out:
        out["unit_type"] = out["unit_type"].map(
            lambda k: Bilingual(*UNIT_TYPES[k][:2]).pick(lang) if k in UNIT_TYPES else k
        )
    if "area_km2" in out:
        out["area_km2"] = out["area_km2"].astype(float).round(1)
    for column in (*CRITERION_COLUMNS, *schema.column_keys("flag")):
        if column in out:
            out[column] = out[column].map(
                lambda v: "" if v is None or pd.isna(v) else ("✓" if bool(v) else "✗")
            )
    return out.rename(
        columns={c: column_label(str(c), lang, short=True, default=str(c)) for c in out.columns}
    )


def _excel_value(value: object) -> CellValue:
    """A cell value openpyxl stores as the right type: numbers as numbers, NA as empty."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters make Excel refuse the file
    return value  # type: ignore[return-value]  # other types go to openpyxl, which rejects what it cannot store


def _text(value: str) -> str:
    """A free text (title, note) that cannot start a formula and has no control characters."""
    cleaned = neutralise_formulas(pd.DataFrame({"v": [ILLEGAL_CHARACTERS_RE.sub("", str(value))]}))
    return str(cleaned["v"].iloc[0])


def _number_format(name: str, series: pd.Series) -> str | None:
    if pd.api.types.is_bool_dtype(series):
        return None
    if pd.api.types.is_integer_dtype(series):
        return "#,##0"
    if pd.api.types.is_float_dtype(series):
        return "0.0" if name.endswith("_pct") else "#,##0.00"
    return None


def _sheet_name(name: str) -> str:
    cleaned = "".join(ch for ch in str(name) if ch not in "[]:*?/\\").strip("'") or "Sheet1"
    return cleaned[:31]


def table_xlsx(
    df: pd.DataFrame,
    *,
    title: str,
    note: str | None = None,
    sheet: str = "Bảng số liệu",
    headers: Sequence[str] | None = None,
    keys: Sequence[str] | None = None,
    provenance: Provenance | None = None,
) -> bytes:
    """The table as an Excel workbook (.xlsx bytes).

    Layout: row 1 the title (bold); row 2 the note when given (e.g. "Dữ liệu minh họa: …",
    wrapped across the table's width); one empty row; then, when ``keys`` are given, a small grey
    row of machine keys (``commune_code``, ``c01`` … — what the importer reads, so the file
    imports again); then the header row (bold, grey, frozen with everything above it, with
    filter buttons) and one row per record. With ``provenance``, a second sheet
    (:data:`ntm_geo.datasets.provenance.SHEET`) holds its rows (read back by the importer).

    Cells: numbers stay numbers (integers ``#,##0``, percentages ``0.0``, other decimals
    ``#,##0.00``), booleans stay TRUE/FALSE, NA becomes an empty cell. Every text cell — header
    and title included — is neutralised against formula injection (a leading ``= + - @`` gets an
    apostrophe, as in the CSV) and stored with the string type, so nothing is ever evaluated.
    Control characters (which Excel rejects) are removed; Vietnamese text is kept as is.

    Parameters
    ----------
    df : DataFrame
        E.g. :func:`view_table`. Column names become the header unless ``headers`` are given.
    title, note : str
        Header block. ``note`` None: no note row.
    sheet : str
        Sheet name (cut to Excel's 31 characters, without ``[]:*?/\\``).
    headers, keys : sequence of str, optional
        The reader's header (one per column) and the machine keys row above it.
    provenance : Provenance, optional
        Where the table comes from (dataset, illustrative …).
    """
    safe = neutralise_formulas(df.reset_index(drop=True))
    header_texts = [str(h) for h in (headers if headers is not None else safe.columns)]
    if len(header_texts) != len(safe.columns) or (keys is not None and len(keys) != len(safe.columns)):
        raise ValueError("headers and keys need one entry per column")
    wb, ws = new_workbook()
    ws.title = _sheet_name(sheet)
    n_cols = max(1, len(safe.columns))
    last_col = get_column_letter(n_cols)

    def put(row: int, col: int, value: object, target: Worksheet = ws) -> Cell | MergedCell:
        cell = target.cell(row=row, column=col)
        stored = _excel_value(value)
        cell.value = stored
        if isinstance(stored, str):
            cell.data_type = "s"  # openpyxl would make "=..." a formula; text stays text
        return cell

    put(1, 1, _text(title)).font = Font(bold=True, size=14)
    header_row = 3
    if note:
        cell = put(2, 1, _text(note))
        cell.font = Font(italic=True, color=ILLUSTRATIVE_COLOR[1:].upper())
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if n_cols > 1:
            ws.merge_cells(f"A2:{last_col}2")
        width_chars = sum(min(40, max(10, len(str(c)) + 2)) for c in header_texts[:n_cols])
        ws.row_dimensions[2].height = 15 * max(1, math.ceil(len(note) * 1.1 / max(width_chars, 40)))
        header_row = 4
    if keys is not None:
        for j, key in enumerate(keys, start=1):
            cell = put(header_row, j, _text(str(key)))
            cell.font = Font(italic=True, size=8, color="777777")
        header_row += 1
    grey = PatternFill("solid", fgColor="E8E8E8")
    rule = Border(bottom=Side(style="thin", color="888888"))
    for j, name in enumerate(header_texts, start=1):
        cell = put(header_row, j, _text(name))
        cell.font = Font(bold=True)
        cell.fill = grey
        cell.border = rule
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    formats = {j: _number_format(str(c), df[c]) for j, c in enumerate(df.columns, start=1)}
    for i, record in enumerate(safe.itertuples(index=False, name=None), start=header_row + 1):
        for j, value in enumerate(record, start=1):
            cell = put(i, j, value)
            fmt = formats[j]
            if fmt and isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                cell.number_format = fmt
    for j, name in enumerate(header_texts, start=1):
        lengths = [min(len(name), 24)] + [
            len(str(v)) for v in safe.iloc[:, j - 1].tolist() if _excel_value(v) is not None
        ]
        ws.column_dimensions[get_column_letter(j)].width = min(50, max(8, max(lengths) + 2))
    ws.freeze_panes = f"A{header_row + 1}"
    last_row = header_row + len(safe)
    ws.auto_filter.ref = f"A{header_row}:{last_col}{max(last_row, header_row)}"
    wb.properties.title = _text(title)[:255]
    wb.properties.creator = "ntm-geo"
    if note:
        wb.properties.description = _text(note)[:1000]
    if provenance is not None:
        meta = wb.create_sheet(PROVENANCE_SHEET)
        for i, row in enumerate(provenance.rows(), start=1):
            for j, value in enumerate(row, start=1):
                put(i, j, _text(value), target=meta)
        meta.column_dimensions["A"].width = 20
        meta.column_dimensions["B"].width = 16
        meta.column_dimensions["C"].width = 80
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def table_export(
    state: ViewState,
    fmt: str,
    *,
    boundaries: Boundaries | None = None,
    now: datetime | None = None,
) -> bytes:
    """The table behind a view as the reader's Excel (``fmt`` "xlsx") or CSV ("csv") file.

    One row per unit (the district's units when ``state.district`` is set; classes are those of
    the whole province, as on the map), headers and coded values in ``state.lang``
    (:func:`ntm_geo.exports.tables.localized_table`) over a row of machine keys, the title, the
    illustrative note when it applies, and the provenance rows
    (:mod:`ntm_geo.datasets.provenance`): importing the file again gives the same values, and
    an illustrative export is refused as province data unless accepted knowingly.

    Raises
    ------
    ConfigError
        Invalid ``state`` or ``fmt`` (messages list the allowed values).
    """
    if fmt not in ("xlsx", "csv"):
        raise ConfigError(
            f"Unknown table format {fmt!r}; allowed: xlsx, csv.",
            f"Định dạng bảng không hợp lệ {fmt!r}; các giá trị hợp lệ: xlsx, csv.",
        )
    data = export_data(state, boundaries, web=True)
    state, info, lang = data.state, data.info, state.lang
    joined, view = data.joined, data.view
    table = view_table(joined, view, lang)
    if not data.has_districts:  # no district level since 1 July 2025: no empty district columns
        table = table.drop(columns=[c for c in ("district_code", "district_name") if c in table])
    # every value of the dataset, also those the map table leaves out (e.g. especially_difficult)
    extras = [c for c in data.value_columns() if c not in table.columns]
    for column in extras:
        table.insert(len(table.columns) - 1, column, joined[column].array)
    title = t("static_title", lang, variable=view.variable.label(lang), year=state.year)
    if state.district:
        inside = joined["district_code"].to_numpy() == state.district
        table = table[inside].reset_index(drop=True)
        title += " — " + str(joined.loc[inside, "district_name"].iloc[0])
    title += " — " + Bilingual(info.name_vi, info.name_en).pick(lang)
    if not data.has_districts:
        title += " — " + Bilingual(data.vintage.label_vi, data.vintage.label_en).pick(lang)
    notes = data.notes(lang)  # illustrative, derived, no district level (none for a 2015 dataset's own)
    if framework := data.framework_line(lang):  # every table names the framework its criteria are of
        notes.append(framework)
    note = " ".join(notes) or None
    provenance = provenance_for(info, state.year, now=now, derived=data.derived)
    label = view.variable.label(lang)
    keyed = table.rename(columns={label: "map_value"})
    after = "district_name" if data.has_districts else "name_with_type"
    keyed.insert(list(keyed.columns).index(after) + 1, "year", state.year)
    if "area_km2" in keyed:
        keyed["area_km2"] = keyed["area_km2"].astype(float).round(2)
    fid = data.framework.id if data.framework is not None else None
    values, headers = localized_table(keyed, lang, framework=fid)
    headers[-1] = f"{column_label('map_value', lang)}: {label}"
    if fmt == "csv":
        return table_csv_bytes_localized(
            keyed, lang=lang, title=title, note=note, provenance=provenance, headers=headers, framework=fid
        )
    return table_xlsx(
        values,
        title=title,
        note=note,
        sheet=t("export_sheet", lang),
        headers=headers,
        keys=list(keyed.columns),
        provenance=provenance,
    )


# --------------------------------------------------------------------------- standalone HTML


def _page_css(map_id: str) -> str:
    """Title bar above the map and a footer below it (flex column; the map takes the rest)."""
    return f"""<style>
html, body {{ height: 100%; margin: 0; }}
body {{ display: flex; flex-direction: column; font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; }}
.ntm-export-header {{ order: -1; flex: 0 0 auto; padding: 8px 14px 6px; border-bottom: 1px solid #ccc; }}
.ntm-export-header h1 {{ font-size: 20px; margin: 0 0 2px; color: #111; }}
.ntm-export-header .sub {{ font-size: 14px; color: #333; }}
.ntm-export-header .badge {{ font-size: 14px; font-weight: 700; color: {ILLUSTRATIVE_COLOR}; }}
#{map_id} {{ flex: 1 1 auto; height: auto !important; min-height: 300px; position: relative !important; }}
.ntm-export-footer {{ order: 1; flex: 0 0 auto; padding: 4px 14px 6px; font-size: 12px; color: #444;
  border-top: 1px solid #ccc; }}
</style>"""


def standalone_html(
    state: ViewState,
    *,
    boundaries: Boundaries | None = None,
    today: date | None = None,
    former_districts: bool = False,
) -> str:
    """The view as one self-contained HTML page (opens from disk with no server and no internet).

    Parameters
    ----------
    state : ViewState
        The view to show, as the page shows it (checked by
        :func:`ntm_geo.exports.static_map.check_view`).
    boundaries : Boundaries, optional
        Already loaded boundaries; default: load from the cache. The web-simplified communes are
        used (as in the app): about 1 MB for the whole file.
    today : date, optional
        Export date printed in the footer (default: today).
    former_districts : bool
        On the 2025 units: name each unit's former (2015) district in its tooltip.

    Returns
    -------
    str
        A complete HTML document; every ``<script>`` and stylesheet is inline, and all text taken
        from data or settings is HTML-escaped.

    Raises
    ------
    ConfigError
        Invalid ``state`` (messages list the allowed values).
    """
    data = export_data(state, boundaries, former_districts=former_districts, web=True)
    state, info, lang = data.state, data.info, state.lang
    table, view, source = data.joined, data.view, data.source(state.lang)
    name = Bilingual(info.name_vi, info.name_en).pick(lang)
    if data.has_districts:
        districts = boundaries_for(state, boundaries).districts_web
    else:  # no district level: outlines only between former districts, when asked
        districts = table.iloc[:0][["geometry"]].assign(district_code="", district_name="")
        if data.former_districts:
            former = former_districts_2025().set_index("commune_code")["district_name"]
            label = FORMER_DISTRICT_LABEL.pick(lang)
            table = table.assign(district_name=table["commune_code"].map(former) + f" — {label}")
    layers = build_view_layers(
        table,
        districts,
        view,
        year=state.year,
        source=source,
        lang=lang,
        scheme=state.scheme,
        district=state.district,
        legend_font_px=15,
    )
    m = build_base_map(layers.bounds, tiles=None)
    m.add_child(layers.communes)
    m.add_child(layers.outlines)
    title = t("static_title", lang, variable=view.variable.label(lang), year=state.year)
    if state.district:
        district_name = dict(zip(districts["district_code"], districts["district_name"], strict=True))
        title += f" — {district_name[state.district]}"
    badges = [t("static_illustrative", lang)] if info.illustrative else []
    if data.derived:
        badges.append(t("static_derived", lang))
    badge = "".join(f'<div class="badge">{html.escape(text)}</div>' for text in badges)
    badge += "".join(f'<div class="sub">{html.escape(text)}</div>' for text in data.notes(lang))
    sub = f"{t('static_province', lang)} · {t('dataset', lang)}: {name}"
    if not data.has_districts:
        sub += " · " + Bilingual(data.vintage.label_vi, data.vintage.label_en).pick(lang)
    if framework := data.framework_line(lang):
        sub += " · " + framework
    if groups := group_line(data.commune_groups(), lang):
        sub += " · " + groups
    header = (
        f'<header class="ntm-export-header"><h1>{html.escape(title)}</h1>'
        f'<div class="sub">{html.escape(sub)}</div>{badge}</header>'
    )
    data_source = name if info.illustrative else f"{name} ({info.source})"
    footer = (
        f'<footer class="ntm-export-footer">{html.escape(data.boundary_line(lang))} '
        f"{html.escape(t('static_data_source', lang, source=data_source))} "
        f"{html.escape(t('static_exported', lang, date=day_text(today or date.today(), lang)))}<br>"
        f"{html.escape(t('export_offline_note', lang))}</footer>"
    )
    # folium.Map adds itself to a branca Figure when created; get_root() is typed as any Element
    root = cast(branca.element.Figure, m.get_root())
    root.header.add_child(branca.element.Element(_page_css(m.get_name())), name="ntm_export_css")
    root.header.add_child(
        branca.element.Element(f"<title>{html.escape(title)}</title>"), name="ntm_export_title"
    )
    root.html.add_child(branca.element.Element(header), name="ntm_export_header")
    root.html.add_child(branca.element.Element(footer), name="ntm_export_footer")
    return map_html(m, inline=True)


# --------------------------------------------------------------------------- names

_EXTENSIONS = {"png": "png", "pdf": "pdf", "html": "html", "gpkg": "gpkg", "xlsx": "xlsx", "csv": "csv"}


def export_filename(state: ViewState, ext: str, size: str = "") -> str:
    """A descriptive ASCII file name: ``ntm_lang_son_illustrative_2015_criteria_met_186_a4.png``;
    ``…_units2025_…`` for a map on the 65 units of 2025 (``state.units``), so a carried export is
    never named like the 2015 one.

    Raises
    ------
    ConfigError
        Unknown extension (lists the allowed ones).
    """
    if ext not in _EXTENSIONS:
        allowed = ", ".join(_EXTENSIONS)
        raise ConfigError(
            f"Unknown export file type {ext!r}; allowed: {allowed}.",
            f"Loại tệp xuất không hợp lệ {ext!r}; các giá trị hợp lệ: {allowed}.",
        )
    units = "units2025" if state.units == "2025" else ""
    parts = ["ntm_lang_son", state.dataset, str(state.year), units, state.var, state.district, size]
    return "_".join(p for p in parts if p) + "." + ext
