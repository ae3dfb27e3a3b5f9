"""Names on a static map: district names (2015 units), unit names (a district's communes, or the
65 units of 2025), moved off each other (:func:`declutter`).
"""

from __future__ import annotations

import geopandas as gpd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from ntm_geo.bilingual import Bilingual
from ntm_geo.exports.static_map.page import CITY_CODE, Page, halo, nfc


def short_district(name: str, lang: str) -> str:
    """A district's name on the map: "Hữu Lũng" (no "Huyện"), "TP. Lạng Sơn" / "Lạng Sơn city"."""
    if name.startswith("Thành phố "):
        city = name.removeprefix("Thành phố ")
        return Bilingual(f"TP. {city}", f"{city} city").pick(lang)
    return name.removeprefix("Huyện ")


def district_labels(
    ax: Axes, districts: gpd.GeoDataFrame, font: FontProperties, pt: float, lang: str
) -> None:
    """District names ("Hữu Lũng", "TP. Lạng Sơn") in bold at each district's representative
    point; the city, small and surrounded by Cao Lộc, just above its outline."""
    font = font.copy()
    font.set_size(pt)
    _, (miny, maxy) = ax.get_xlim(), ax.get_ylim()
    for geom, code, name in zip(
        districts.geometry, districts["district_code"], districts["district_name"], strict=True
    ):
        p = geom.representative_point()
        x, y, va = p.x, p.y, "center"
        if code == CITY_CODE:  # small and surrounded by Cao Lộc: label it just above its outline
            x, y, va = geom.centroid.x, geom.bounds[3] + (maxy - miny) * 0.006, "bottom"
        ax.text(
            x,
            y,
            nfc(short_district(name, lang)),
            fontproperties=font,
            ha="center",
            va=va,
            zorder=6,
            color="#1a1a1a",
            path_effects=halo(3),
        )


def unit_labels(page: Page, ax: Axes, units: gpd.GeoDataFrame, pt: float) -> None:
    """Unit names (without the type word) at each unit's representative point, largest first,
    moved off each other (:func:`declutter`)."""
    font = page.regular.copy()
    font.set_size(pt)
    members = units.assign(_area=units.area).sort_values("_area", ascending=False)
    labels = []
    for geom, name in zip(members.geometry, members["name"], strict=True):
        p = geom.representative_point()
        labels.append(
            ax.text(
                p.x,
                p.y,
                nfc(name),
                fontproperties=font,
                ha="center",
                va="center",
                zorder=6,
                color="#111111",
                path_effects=halo(2.2),
                clip_on=True,
            )
        )
    declutter(page, ax, labels)


def declutter(page: Page, ax: Axes, labels: list[Text]) -> None:
    """Move labels that overlap an earlier one (labels come largest unit first) to a free spot nearby.

    Tries half a line up or down, then a line up or down, then sideways; a label with no free
    spot stays where it was (better an overlap than a missing name).
    """
    renderer = FigureCanvasAgg(page.fig).get_renderer()  # type: ignore[no-untyped-call]  # matplotlib's backend_agg is not annotated
    placed: list[Bbox] = []
    to_data = ax.transData.inverted()
    for label in labels:
        box = label.get_window_extent(renderer).expanded(1.08, 1.15)
        if any(box.overlaps(p) for p in placed):
            x0, y0 = ax.transData.transform(label.get_position())
            w, h = box.width, box.height
            for dx, dy in (
                (0, 0.6 * h),
                (0, -0.6 * h),
                (0, 1.1 * h),
                (0, -1.1 * h),
                (0.55 * w, 0),
                (-0.55 * w, 0),
                (0.45 * w, 0.8 * h),
                (-0.45 * w, -0.8 * h),
                (0.45 * w, -0.8 * h),
                (-0.45 * w, 0.8 * h),
            ):
                moved = box.translated(dx, dy)
                if not any(moved.overlaps(p) for p in placed):
                    new_x, new_y = to_data.transform((x0 + dx, y0 + dy))
                    label.set_position((float(new_x), float(new_y)))
                    box = moved
                    break
        placed.append(box)
