"""Static maps rendered on the server with matplotlib (no browser): PNG for slides, PNG/PDF for reports.

One call, :func:`render_map`, turns the page's view (a :class:`~ntm_geo.views.viewstate.ViewState`:
dataset, year, variable, classification, district, language, units) into the bytes of a finished map page:

* the choropleth of :func:`ntm_geo.maps.themes.compute_view` on the joined commune table — the same
  classes, colours and counts as the interactive map (no data / not assessed included);
* district outlines on top; with a district chosen, the map zooms to it, the other districts are
  dimmed and its communes are labelled (else the district names are); on the 65 units of 2025
  (no district level) the units are labelled, and the former districts drawn dashed when asked;
* title (variable, year, district), dataset name, an orange "Dữ liệu minh họa" badge when the
  dataset is illustrative; a legend with swatches, labels and unit counts; scale bar; north arrow;
  source line (boundaries: censusVN2009, MIT; data source) and export date.

Page sizes (:data:`SIZES`): ``slide`` = 1920×1080 px (16:9, 150 dpi; legend in a side panel) and
``a4`` = A4 portrait at 300 dpi = 2480×3508 px (legend below the map). Portrait because the
reports of the province are A4 portrait and Lạng Sơn is about as wide (132 km) as high (125 km):
the map gets the full page width and the legend never covers the province. A PDF has one page of
the same size (A4: 595.2×841.9 pt).

Geometry is drawn in UTM zone 48N (EPSG:32648, metres), so the scale bar is measured directly in
map units (scale error under 0.05 % across the province) and grid north is true north within
0.6° (meridian convergence at 106.7° E, 22° N) — the arrow points up.

Text uses DejaVu Sans from matplotlib's own data folder (loaded by file path, so a system font
can never replace it): it has every Vietnamese letter (ạ…ỹ, đ, Đ) as a precomposed glyph; all
text is normalised to Unicode NFC before drawing. PDFs embed the font as TrueType (Type 42), so
the Vietnamese text can be searched and copied.

Modules, by job: :mod:`~ntm_geo.exports.static_map.page` (fonts, colours, layouts, text),
:mod:`~ntm_geo.exports.static_map.data` (what is drawn), :mod:`~ntm_geo.exports.static_map.drawing`
(map frame, outlines, scale bar, north arrow), :mod:`~ntm_geo.exports.static_map.labels`
(district and unit names), :mod:`~ntm_geo.exports.static_map.legend` (legend and notes) and
:mod:`~ntm_geo.exports.static_map.render` (the page composed and saved). The view's export checks
are :mod:`ntm_geo.exports.spec`; the data step shared with the other exports is
:mod:`ntm_geo.exports.view_data`.

Pure logic: no Streamlit import; the Agg/PDF canvases are used directly (no pyplot), so renders
in parallel threads do not share state.
"""

from __future__ import annotations

from ntm_geo.exports.spec import (
    FORMATS,
    LANGS,
    SIZES,
    PageSize,
    check_format,
    check_size,
    check_view,
    district_names,
    resolve_district,
)
from ntm_geo.exports.static_map.data import MapData, prepare
from ntm_geo.exports.static_map.legend import group_line
from ntm_geo.exports.static_map.page import (
    DISTRICT_EDGE,
    EDGE_COLOR,
    FONT_BOLD,
    FONT_REGULAR,
    FORMER_EDGE,
    ILLUSTRATIVE_COLOR,
    day_text,
)
from ntm_geo.exports.static_map.render import render_map

__all__ = [
    "DISTRICT_EDGE",
    "EDGE_COLOR",
    "FONT_BOLD",
    "FONT_REGULAR",
    "FORMATS",
    "FORMER_EDGE",
    "ILLUSTRATIVE_COLOR",
    "LANGS",
    "SIZES",
    "MapData",
    "PageSize",
    "check_format",
    "check_size",
    "check_view",
    "day_text",
    "district_names",
    "group_line",
    "prepare",
    "render_map",
    "resolve_district",
]
