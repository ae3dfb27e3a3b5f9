"""The map legend: rows (colour, label, count) checked, and drawn as a Leaflet control in the HTML export.

:func:`check_legend` is shared with the map component's spec (:mod:`ntm_geo.maps.mapbuild`);
:func:`legend_element` is the folium element of the standalone HTML export.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence

import branca.element
from jinja2 import Template  # the class branca.element uses (and imports without re-exporting)

from ntm_geo.errors import ConfigError
from ntm_geo.maps.mapstyle import HEX_COLOUR, LEGEND_CLASS


class _Legend(branca.element.MacroElement):
    """A Leaflet control in the top-right (the empty corner of Lạng Sơn, which runs north-west to south-east); follows its parent feature group on/off the map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var host = {{ this._parent.get_name() }};
            var legend = L.control({position: "topright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                div.innerHTML = {{ this.html_js }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            if (host instanceof L.Map) {
                legend.addTo(host);
            } else {
                host.on("add", function () { legend.addTo(host._map); });
                host.on("remove", function () { legend.remove(); });
                if (host._map) { legend.addTo(host._map); }
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, inner_html: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement.__init__ is not annotated
        self._name = "NtmLegend"
        self.css_class = LEGEND_CLASS
        # JSON string literal, and no "</" so it can never close the <script> it sits in.
        self.html_js = json.dumps(inner_html).replace("</", "<\\/")


def check_legend(entries: Sequence[tuple[str, str, int | None]], font_px: int) -> None:
    """Check legend rows (colour, label, count) and the font size.

    Raises
    ------
    ConfigError
        If ``entries`` is empty, a colour is not hex, a count is negative, or ``font_px`` is out
        of range (8-40).
    """
    if not entries:
        raise ConfigError(
            "legend_element: entries is empty; give at least one (colour, label, count).",
            "legend_element: danh sách chú giải rỗng; cần ít nhất một (màu, nhãn, số lượng).",
        )
    if isinstance(font_px, bool) or not isinstance(font_px, int) or not 8 <= font_px <= 40:
        raise ConfigError(
            f"legend_element: font_px must be an integer from 8 to 40, got {font_px!r}.",
            f"legend_element: font_px phải là số nguyên từ 8 đến 40, nhận được {font_px!r}.",
        )
    for colour, label, count in entries:
        if not isinstance(colour, str) or not HEX_COLOUR.match(colour):
            raise ConfigError(
                f"legend_element: colour {colour!r} of entry {label!r} is not a hex colour like '#1a9850'.",
                f"legend_element: màu {colour!r} của mục {label!r} không phải mã màu dạng '#1a9850'.",
            )
        if count is not None and (isinstance(count, bool) or int(count) != count or count < 0):
            raise ConfigError(
                f"legend_element: count {count!r} of entry {label!r} must be a whole number >= 0 or None.",
                f"legend_element: số lượng {count!r} của mục {label!r} phải là số nguyên >= 0 hoặc None.",
            )


def legend_element(
    title: str,
    entries: Sequence[tuple[str, str, int | None]],
    *,
    note: str | None = None,
    font_px: int = 14,
) -> branca.element.MacroElement:
    """A legend box (swatch, label, count) in the map's top-right corner.

    Add it to the choropleth feature group (``fg.add_child(legend)``) so ``st_folium`` swaps it
    with the colours; added to a ``folium.Map`` it is fixed on that map (standalone export).

    Parameters
    ----------
    title : str
        Heading, e.g. the indicator and its unit ("Tỷ lệ hộ nghèo (%)").
    entries : list of (colour, label, count)
        ``colour`` hex ``#rrggbb``; ``label`` the class text; ``count`` number of communes or
        ``None`` to hide it. Include ``(NO_DATA_FILL, NO_DATA_LABEL, n)`` and
        ``(..., NOT_ASSESSED_LABEL, n)`` lines when they apply.
    note : str, optional
        Small print under the entries (source, year, classification scheme).
    font_px : int, default 14
        Base font size in CSS px (8-40); 16-18 reads well on a projector.

    Returns
    -------
    branca.element.MacroElement
        All text HTML-escaped.

    Raises
    ------
    ConfigError
        If ``entries`` is empty, a colour is not hex, a count is negative, or ``font_px`` is out
        of range.
    """
    check_legend(entries, font_px)
    rows = []
    for colour, label, count in entries:
        count_cell = "" if count is None else f"{int(count):,}".replace(",", ".")
        rows.append(
            '<tr><td style="padding:2px 6px 2px 0">'
            f'<span style="display:inline-block;width:1.4em;height:1em;background:{colour};'
            'border:1px solid #666;vertical-align:middle"></span></td>'
            f'<td style="padding:2px 8px 2px 0">{html.escape(str(label))}</td>'
            f'<td style="padding:2px 0;text-align:right;font-variant-numeric:tabular-nums">'
            f"{count_cell}</td></tr>"
        )
    note_html = (
        f'<div style="margin-top:4px;font-size:0.8em;color:#444;max-width:22em">{html.escape(note)}</div>'
        if note
        else ""
    )
    inner = (
        f'<div style="background:rgba(255,255,255,0.94);padding:8px 10px;border-radius:4px;'
        f"box-shadow:0 1px 4px rgba(0,0,0,0.35);font-size:{font_px}px;line-height:1.3;"
        f'color:#111;max-height:60vh;overflow:auto">'
        f'<div style="font-weight:700;margin-bottom:4px;max-width:22em">{html.escape(title)}</div>'
        f'<table style="border-collapse:collapse">{"".join(rows)}</table>{note_html}</div>'
    )
    return _Legend(inner)
