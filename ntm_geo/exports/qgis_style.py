"""The app's style for QGIS, as QML stored in a GeoPackage's ``layer_styles`` table: a categorized
renderer on ``map_class`` with the app's colours and legend labels (the no-data and not-assessed
classes included), white unit edges, field aliases in the export's language; district outlines
(dashed grey for the former districts drawn as context on the 2025 units).

Written for QGIS 3.28 and read by every QGIS 3 (both ``<Option>`` and ``<prop>`` forms of the
symbol properties). Used by :mod:`ntm_geo.exports.geopackage`.

Pure logic: no Streamlit import.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.static_map import DISTRICT_EDGE, EDGE_COLOR, FORMER_EDGE
from ntm_geo.exports.tables import column_label
from ntm_geo.maps.classify import (
    NO_DATA,
    NO_DATA_COLOR,
    NO_DATA_LABEL,
    NOT_ASSESSED,
    NOT_ASSESSED_COLOR,
)
from ntm_geo.maps.themes import ChoroplethView

__all__ = ["class_labels", "district_qml", "legend_classes", "style_qml"]


def class_labels(view: ChoroplethView, lang: str) -> dict[int, str]:
    """Class index -> the legend's label (special classes included)."""

    labels = {
        n: Bilingual(c.label_vi, c.label_en).pick(lang) for n, c in enumerate(view.classification.classes)
    }
    labels[NO_DATA] = Bilingual(*NO_DATA_LABEL).pick(lang)
    labels[NOT_ASSESSED] = Bilingual(*view.classification.not_assessed).pick(lang)
    return labels


def legend_classes(view: ChoroplethView, lang: str) -> list[tuple[int, str, str]]:
    """``(map_class, colour, label)`` in the app legend's order (high values first, then no data
    and not assessed — always listed, so a filtered layer keeps its legend)."""
    labels = class_labels(view, lang)
    result = view.classification
    rows = [(n, result.colors[n], labels[n]) for n in range(result.k)]
    rows.reverse()
    rows.append((NO_DATA, NO_DATA_COLOR, labels[NO_DATA]))
    rows.append((NOT_ASSESSED, NOT_ASSESSED_COLOR, labels[NOT_ASSESSED]))
    return rows


# --------------------------------------------------------------------------- QML


def _rgba(hex_color: str, alpha: int = 255) -> str:
    h = hex_color.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _fill_symbol(name: str, fill: str | None, outline: str, width_mm: float, *, dashed: bool = False) -> str:
    options = {
        "color": _rgba(fill) if fill else "0,0,0,0",
        "style": "solid" if fill else "no",
        "outline_color": _rgba(outline),
        "outline_style": "dash" if dashed else "solid",
        "outline_width": f"{width_mm:g}",
        "outline_width_unit": "MM",
        "joinstyle": "bevel",
    }
    # both forms of the properties: <Option> (QGIS >= 3.26 reads it) and <prop> (older QGIS 3)
    opts = "".join(
        f'<Option type="QString" name={quoteattr(k)} value={quoteattr(v)}/>' for k, v in options.items()
    )
    props = "".join(f"<prop k={quoteattr(k)} v={quoteattr(v)}/>" for k, v in options.items())
    return (
        f'<symbol type="fill" name={quoteattr(name)} alpha="1" clip_to_extent="1" force_rhr="0">'
        f'<layer class="SimpleFill" enabled="1" pass="0" locked="0"><Option type="Map">{opts}</Option>'
        f"{props}</layer></symbol>"
    )


def _aliases(fields: list[str], lang: str, framework: str | None = None) -> str:
    rows = "".join(
        f'<alias field={quoteattr(f)} index="{i}" '
        f"name={quoteattr(column_label(f, lang, default=f, framework=framework))}/>"
        for i, f in enumerate(fields)
    )
    return f"<aliases>{rows}</aliases>"


def style_qml(view: ChoroplethView, lang: str, fields: list[str], framework: str | None = None) -> str:
    """QGIS style (QML) of a commune layer: categorized renderer on ``map_class`` with the app's
    classes (:func:`legend_classes`: colour and legend label each), white unit edges, and the
    field aliases in ``lang`` (criteria named by ``framework``, the layer's framework id)."""
    categories, symbols = [], []
    for n, (value, color, label) in enumerate(legend_classes(view, lang)):
        categories.append(f'<category value="{value}" label={quoteattr(label)} symbol="{n}" render="true"/>')
        symbols.append(_fill_symbol(str(n), color, EDGE_COLOR, 0.2))
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28.0" styleCategories="AllStyleCategories">\n'
        '<renderer-v2 type="categorizedSymbol" attr="map_class" symbollevels="0" enableorderby="0" '
        'forceraster="0" referencescale="-1">\n'
        f"<categories>{''.join(categories)}</categories>\n"
        f"<symbols>{''.join(symbols)}</symbols>\n"
        "</renderer-v2>\n"
        f"{_aliases(fields, lang, framework)}\n"
        "<layerGeometryType>2</layerGeometryType>\n"
        "</qgis>\n"
    )


def district_qml(lang: str, fields: list[str], *, dashed: bool = False) -> str:
    """QGIS style of the district layer: no fill, dark outline (as the app's district lines);
    ``dashed`` grey for the former districts drawn as context on the 2025 units."""
    symbol = (
        _fill_symbol("0", None, FORMER_EDGE, 0.5, dashed=True)
        if dashed
        else _fill_symbol("0", None, DISTRICT_EDGE, 0.6)
    )
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
        '<qgis version="3.28.0" styleCategories="AllStyleCategories">\n'
        '<renderer-v2 type="singleSymbol" symbollevels="0" enableorderby="0" forceraster="0" '
        'referencescale="-1">\n'
        f"<symbols>{symbol}</symbols>\n"
        "</renderer-v2>\n"
        f"{_aliases(fields, lang)}\n"
        "<layerGeometryType>2</layerGeometryType>\n"
        "</qgis>\n"
    )
