"""The change map: criteria gained per xã between any two years of a dataset (e.g. 2011 -> 2015).

Only xã are assessed against the 19 criteria, so phường and thị trấn are *not assessed* here
too (never "0 gained"); a xã with a blank ``criteria_met`` in either year has *no data*.
A xã can lose criteria (the 2013 revision, Decision 342/QĐ-TTg, tightened several), so the
lowest class is "no gain or fewer" (<= 0).

Classes are fixed (comparable between districts and datasets) and coloured with the
sequential ColorBrewer ``YlGnBu`` palette (colour-blind safe, strong dark end on a projector).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from branca.utilities import color_brewer

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import DataError
from ntm_geo.maps.classify import NO_DATA, NOT_ASSESSED, ClassDef, classify_fixed
from ntm_geo.maps.themes import ChoroplethView, Variable

GAIN_CLASSES = (
    ClassDef(-19, 0, "Không tăng (≤ 0)", "No gain (≤ 0)"),
    ClassDef(1, 2, "+1–2 tiêu chí", "+1–2 criteria"),
    ClassDef(3, 4, "+3–4 tiêu chí", "+3–4 criteria"),
    ClassDef(5, 6, "+5–6 tiêu chí", "+5–6 criteria"),
    ClassDef(7, 9, "+7–9 tiêu chí", "+7–9 criteria"),
    ClassDef(10, 19, "+10 tiêu chí trở lên", "+10 criteria or more"),
)
PALETTE = "YlGnBu"


def gain_variable(before: int = 2011, after: int = 2015) -> Variable:
    """The pseudo-variable of the change map (for titles and legends; not a dataset column)."""
    return Variable(
        "criteria_gained", "change",
        f"Số tiêu chí tăng thêm {before}–{after}", f"Criteria gained {before}–{after}",
        "fixed", PALETTE, True, classes=GAIN_CLASSES, decimals=0,
    )  # fmt: skip


def change_table(before: gpd.GeoDataFrame, after: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``after`` (row order, geometry, CRS kept) plus the criteria met in both years and the gain.

    Parameters
    ----------
    before, after : GeoDataFrame
        Joined tables (:func:`ntm_geo.maps.themes.join_dataset`) of the same units for the earlier and
        the later year; columns used: ``commune_code``, ``assessed``, ``criteria_met`` (Int64).

    Returns
    -------
    GeoDataFrame
        With ``criteria_met_before``, ``criteria_met_after`` and ``criteria_gained`` (Int64,
        after - before; NA when either year is blank or the unit is not assessed).

    Raises
    ------
    DataError
        If a table lacks a column used, has duplicate codes, or the two hold different units.
    """
    for name, table in (("before", before), ("after", after)):
        missing = [c for c in ("commune_code", "assessed", "criteria_met") if c not in table.columns]
        if missing:
            raise DataError(
                f"change_table: the {name} table lacks column(s) {missing}; pass joined tables "
                f"from ntm_geo.maps.themes.join_dataset.",
                f"change_table: bảng {'năm trước' if name == 'before' else 'năm sau'} thiếu cột {missing}; "
                f"hãy dùng bảng đã nối từ ntm_geo.maps.themes.join_dataset.",
                column=missing[0],
            )
        if table["commune_code"].duplicated().any():
            dup = sorted(set(table.loc[table["commune_code"].duplicated(), "commune_code"].astype(str)))[:5]
            raise DataError(
                f"change_table: the {name} table has duplicate commune codes {dup}.",
                f"change_table: bảng {'năm trước' if name == 'before' else 'năm sau'} có mã xã trùng {dup}.",
                column="commune_code",
            )
    only = set(after["commune_code"]) ^ set(before["commune_code"])
    if only:
        sample = sorted(map(str, only))[:5]
        raise DataError(
            f"change_table: the two years hold different units ({len(only)} differ, e.g. {sample}); "
            f"compare tables built on the same boundaries.",
            f"change_table: hai năm có đơn vị khác nhau ({len(only)} đơn vị, ví dụ {sample}); "
            f"hãy so sánh hai bảng dùng cùng một bộ ranh giới.",
            column="commune_code",
        )
    earlier = before.set_index("commune_code")["criteria_met"].astype("Int64")
    out = after.copy()
    out["criteria_met_before"] = earlier.reindex(out["commune_code"]).to_numpy()
    out["criteria_met_before"] = out["criteria_met_before"].astype("Int64")
    out["criteria_met_after"] = out["criteria_met"].astype("Int64")
    gained = out["criteria_met_after"] - out["criteria_met_before"]
    gained[~out["assessed"].astype(bool).to_numpy()] = pd.NA
    out["criteria_gained"] = gained.astype("Int64")
    return out


def compute_change_view(
    table: gpd.GeoDataFrame, *, before: int = 2011, after: int = 2015, lang: str = "vi"
) -> ChoroplethView:
    """Classify ``criteria_gained`` of a :func:`change_table` into :data:`GAIN_CLASSES`.

    Display values read "+5 (3 → 8)" (gain, then criteria met in both years).
    """
    var = gain_variable(before, after)
    colors = color_brewer(PALETTE, len(GAIN_CLASSES))
    result = classify_fixed(
        table["criteria_gained"], GAIN_CLASSES, colors, table["assessed"].to_numpy(dtype=bool)
    )
    labels_na = Bilingual("Không đánh giá", "Not assessed").pick(lang)
    labels_no = Bilingual("Không có dữ liệu", "No data").pick(lang)
    shown = []
    for gain, b, a, cls in zip(
        table["criteria_gained"].to_numpy(dtype=float, na_value=np.nan),
        table["criteria_met_before"].to_numpy(dtype=float, na_value=np.nan),
        table["criteria_met_after"].to_numpy(dtype=float, na_value=np.nan),
        result.yb,
        strict=True,
    ):
        if cls == NOT_ASSESSED:
            shown.append(labels_na)
        elif cls == NO_DATA:
            shown.append(labels_no)
        else:
            shown.append(f"{int(gain):+d} ({int(b)} → {int(a)})")
    return ChoroplethView(var, result, tuple(result.fill_colors()), tuple(shown))
