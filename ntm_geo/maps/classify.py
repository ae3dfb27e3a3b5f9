"""Classification schemes for choropleths, and the legend built from their result.

Three kinds of classes, all returned as one result type, :class:`Classification`:

* **scheme** classes computed from the data by :mod:`mapclassify` — natural breaks
  (Fisher–Jenks, deterministic), quantiles, equal interval — looked up by name in
  :data:`SCHEMES`;
* **fixed** classes with published boundaries, e.g. the report's groups of communes by the
  number of criteria met (19 / 15–18 / 10–14 / 5–9 / < 5);
* **binary** classes (met / not met, yes / no).

Every unit also falls in one of two special classes: *not assessed* (phường and thị trấn are
not assessed against the NTM criteria — never shown as 0) and *no data* (a blank cell).
The legend labels, colours and counts come from the result, so the interface never
recomputes them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_geo.bilingual import Bilingual
from ntm_geo.errors import ConfigError, unknown_key

#: scheme key -> (name for :func:`mapclassify.classify`, Vietnamese label, English label).
#: Natural breaks use Fisher–Jenks (optimal and deterministic, so a shared link shows the same
#: classes), not mapclassify's randomly seeded ``NaturalBreaks``.
SCHEMES: dict[str, tuple[str, str, str]] = {
    "natural_breaks": ("fisher_jenks", "Ngắt tự nhiên (Jenks)", "Natural breaks (Jenks)"),
    "quantiles": ("quantiles", "Phân vị (số đơn vị bằng nhau)", "Quantiles (equal counts)"),
    "equal_interval": ("equal_interval", "Khoảng đều", "Equal interval"),
}
K_RANGE = range(3, 8)  # allowed class counts for data-driven schemes

NO_DATA = -1
NOT_ASSESSED = -2
NO_DATA_COLOR = "#9e9e9e"  # mid grey: a blank cell
NOT_ASSESSED_COLOR = "#e4e4e4"  # pale grey: phường / thị trấn, outside the NTM assessment
NO_DATA_LABEL = ("Không có dữ liệu", "No data")
NOT_ASSESSED_LABEL = ("Không đánh giá (phường, thị trấn)", "Not assessed (wards, townships)")
"""The not-assessed class on the units of 2011–2025 (:func:`not_assessed_label` for others)."""
#: The unit types outside the NTM assessment, in the order the label names them.
_NOT_ASSESSED_WORDS: dict[str, tuple[str, str]] = {
    "phuong": ("phường", "wards"),
    "thi-tran": ("thị trấn", "townships"),
}


def not_assessed_label(unit_types: Iterable[object] | None = None) -> tuple[str, str]:
    """(Vietnamese, English) label of the not-assessed class, naming the kinds of unit it holds.

    Parameters
    ----------
    unit_types : iterable of str, optional
        ``unit_type`` of the units (``"xa"``, ``"phuong"``, ``"thi-tran"``; others and NA ignored).
        On the 65 units of 1 July 2025 there are no thị trấn (abolished with the district level),
        so the label is "Không đánh giá (phường)". None: the 2011–2025 units (phường, thị trấn).

    Returns
    -------
    (str, str)
        :data:`NOT_ASSESSED_LABEL` for the 2015 units, ``("Không đánh giá (phường)", "Not assessed
        (wards)")`` on the 2025 units; ``("Không đánh giá", "Not assessed")`` when no unit is of a
        not-assessed type.
    """
    if unit_types is None:
        return NOT_ASSESSED_LABEL
    present = {str(u) for u in unit_types if isinstance(u, str)}
    words = [w for key, w in _NOT_ASSESSED_WORDS.items() if key in present]
    if not words:
        return ("Không đánh giá", "Not assessed")
    return (
        f"Không đánh giá ({', '.join(vi for vi, _ in words)})",
        f"Not assessed ({', '.join(en for _, en in words)})",
    )


@dataclass(frozen=True)
class ClassDef:
    """One class: inclusive numeric range [low, high] and its labels."""

    low: float
    high: float
    label_vi: str
    label_en: str


@dataclass(frozen=True)
class Classification:
    """Result of classifying one variable for a set of units.

    Attributes
    ----------
    yb : numpy.ndarray of int, shape (n,)
        Class index per unit (0 = first class), :data:`NO_DATA` or :data:`NOT_ASSESSED`.
    classes : tuple of ClassDef
        The k classes in legend order (low to high values).
    colors : tuple of str
        Hex colour per class, same order.
    counts : tuple of int
        Units per class, same order.
    n_no_data, n_not_assessed : int
        Units in the two special classes.
    scheme : str
        ``"fixed"``, ``"binary"`` or a key of :data:`SCHEMES`.
    note_vi, note_en : str or None
        What was changed to make the classification possible ("k reduced to 3 ...").
    not_assessed : (str, str)
        (Vietnamese, English) label of the not-assessed class (:func:`not_assessed_label`:
        "(phường)" only on the 2025 units).
    """

    yb: np.ndarray
    classes: tuple[ClassDef, ...]
    colors: tuple[str, ...]
    counts: tuple[int, ...]
    n_no_data: int
    n_not_assessed: int
    scheme: str
    note_vi: str | None = None
    note_en: str | None = None
    not_assessed: tuple[str, str] = NOT_ASSESSED_LABEL

    @property
    def k(self) -> int:
        return len(self.classes)

    def fill_colors(self) -> list[str]:
        """Hex colour per unit (special classes included), shape (n,)."""
        lookup = {NO_DATA: NO_DATA_COLOR, NOT_ASSESSED: NOT_ASSESSED_COLOR}
        lookup.update(dict(enumerate(self.colors)))
        return [lookup[int(c)] for c in self.yb]

    def legend_entries(
        self, lang: str = "vi", *, high_first: bool = True, within: Sequence[bool] | None = None
    ) -> list[tuple[str, str, int]]:
        """(colour, label, count) rows for a legend, special classes last (only when present).

        ``within`` (bool per unit, shape (n,)) counts only those units — e.g. the selected
        district — while keeping every class of the whole classification, so colours keep
        their meaning across districts. Classes with no unit inside stay listed (count 0).
        """
        yb = self.yb if within is None else self.yb[np.asarray(within, dtype=bool)]
        counts = [int((yb == i).sum()) for i in range(self.k)]
        rows = [
            (color, Bilingual(c.label_vi, c.label_en).pick(lang), count)
            for c, color, count in zip(self.classes, self.colors, counts, strict=True)
        ]
        if high_first:
            rows.reverse()
        n_no_data, n_not_assessed = int((yb == NO_DATA).sum()), int((yb == NOT_ASSESSED).sum())
        if n_no_data:
            rows.append((NO_DATA_COLOR, Bilingual(*NO_DATA_LABEL).pick(lang), n_no_data))
        if n_not_assessed:
            rows.append((NOT_ASSESSED_COLOR, Bilingual(*self.not_assessed).pick(lang), n_not_assessed))
        return rows


def scheme_label(key: str, lang: str = "vi") -> str:
    """Human label of a scheme key; raises :class:`ConfigError` for an unknown key."""
    check_scheme(key)
    return Bilingual(*SCHEMES[key][1:3]).pick(lang)


def check_scheme(key: str) -> str:
    """Return the scheme key if known, else raise :class:`ConfigError` listing allowed keys."""
    if key not in SCHEMES:
        what = Bilingual("Phương pháp phân lớp", "classification scheme")
        raise unknown_key(key, SCHEMES, what, scheme_label)
    return key


def format_number(value: float, lang: str = "vi", decimals: int = 1) -> str:
    """Format a number with the language's decimal separator (vi: ``11,9``; en: ``11.9``)."""
    en = f"{value:,.{decimals}f}"
    vi = en.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return Bilingual(vi, en).pick(lang)


def _split(values: pd.Series, assessed: Sequence[bool] | None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    numeric = pd.to_numeric(pd.Series(values).astype("Float64"), errors="coerce").to_numpy(
        dtype=float, na_value=np.nan
    )
    not_assessed = np.zeros(len(numeric), bool) if assessed is None else ~np.asarray(assessed, dtype=bool)
    no_data = np.isnan(numeric) & ~not_assessed
    return numeric, no_data, not_assessed


def _finish(
    yb: np.ndarray,
    classes: Sequence[ClassDef],
    colors: Sequence[str],
    no_data: np.ndarray,
    not_assessed: np.ndarray,
    scheme: str,
    note: tuple[str, str] | None = None,
) -> Classification:
    yb = yb.copy()
    yb[no_data] = NO_DATA
    yb[not_assessed] = NOT_ASSESSED
    counts = tuple(int((yb == i).sum()) for i in range(len(classes)))
    return Classification(
        yb=yb,
        classes=tuple(classes),
        colors=tuple(colors),
        counts=counts,
        n_no_data=int(no_data.sum()),
        n_not_assessed=int(not_assessed.sum()),
        scheme=scheme,
        note_vi=note[0] if note else None,
        note_en=note[1] if note else None,
    )


def classify_fixed(
    values: pd.Series,
    classes: Sequence[ClassDef],
    colors: Sequence[str],
    assessed: Sequence[bool] | None = None,
) -> Classification:
    """Put each value in the first class whose inclusive [low, high] range holds it.

    Raises
    ------
    ConfigError
        ``classes`` and ``colors`` differ in length, or a value falls in no class.
    """
    if len(classes) != len(colors):
        raise ConfigError(
            f"{len(classes)} classes but {len(colors)} colours.",
            f"Có {len(classes)} lớp nhưng {len(colors)} màu.",
        )
    numeric, no_data, not_assessed = _split(values, assessed)
    yb = np.full(len(numeric), NO_DATA, dtype=int)
    for i, c in enumerate(classes):
        inside = (numeric >= c.low) & (numeric <= c.high) & (yb == NO_DATA)
        yb[inside] = i
    stray = (yb == NO_DATA) & ~no_data & ~not_assessed
    if stray.any():
        bad = numeric[stray][0]
        raise ConfigError(
            f"Value {bad} falls in no class ({classes[0].low}–{classes[-1].high}).",
            f"Giá trị {bad} không thuộc lớp nào ({classes[0].low}–{classes[-1].high}).",
        )
    return _finish(yb, classes, colors, no_data, not_assessed, "fixed")


def classify_binary(
    values: pd.Series,
    labels_vi: tuple[str, str],
    labels_en: tuple[str, str],
    colors: tuple[str, str],
    assessed: Sequence[bool] | None = None,
) -> Classification:
    """Two classes, false (0) then true (1); labels and colours given in that order."""
    classes = (ClassDef(0, 0, labels_vi[0], labels_en[0]), ClassDef(1, 1, labels_vi[1], labels_en[1]))
    return classify_fixed(values, classes, colors, assessed)


def classify_scheme(
    values: pd.Series,
    scheme: str,
    k: int,
    colors: Sequence[str],
    *,
    unit: str = "",
    decimals: int = 1,
    assessed: Sequence[bool] | None = None,
) -> Classification:
    """Classify with a :mod:`mapclassify` scheme.

    Parameters
    ----------
    values : Series, shape (n,)
        Numbers (NaN/NA = no data).
    scheme : str
        A key of :data:`SCHEMES`.
    k : int
        Number of classes, in :data:`K_RANGE`. Reduced (with a note) when the data has fewer
        distinct values.
    colors : sequence of str
        At least ``k`` hex colours, light to dark; the first ``k`` are spread over it evenly.
    unit : str
        Appended to legend labels ("%").

    Raises
    ------
    ConfigError
        Unknown scheme, ``k`` outside :data:`K_RANGE`, or no value to classify at all.
    """
    import mapclassify

    check_scheme(scheme)
    if k not in K_RANGE:
        raise ConfigError(
            f"Number of classes k={k} is outside {K_RANGE.start}–{K_RANGE.stop - 1}.",
            f"Số lớp k={k} nằm ngoài khoảng {K_RANGE.start}–{K_RANGE.stop - 1}.",
        )
    numeric, no_data, not_assessed = _split(values, assessed)
    usable = ~no_data & ~not_assessed & ~np.isnan(numeric)
    y = numeric[usable]
    if y.size == 0:
        raise ConfigError(
            "There is no value to classify (every unit is blank or not assessed).",
            "Không có giá trị nào để phân lớp (mọi đơn vị đều trống hoặc không đánh giá).",
        )
    note = None
    distinct = np.unique(y).size
    if distinct < k:
        note = (
            f"Chỉ có {distinct} giá trị khác nhau: số lớp giảm từ {k} xuống {max(distinct, 1)}.",
            f"Only {distinct} distinct values: number of classes reduced from {k} to {max(distinct, 1)}.",
        )
        k = max(distinct, 1)
    if k == 1:
        bins = np.array([y.max()])
        yb_used = np.zeros(y.size, dtype=int)
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "Numba not installed": pure Python is fine for n≈226
            result = mapclassify.classify(y, SCHEMES[scheme][0], k=k)
        bins = np.asarray(result.bins, dtype=float)
        yb_used = np.asarray(result.yb, dtype=int)
        if len(bins) < k and note is None:  # tied values: some breaks coincide
            note = (
                f"Nhiều đơn vị có cùng giá trị nên chỉ tạo được {len(bins)} lớp thay vì {k}.",
                f"Many units share the same value, so only {len(bins)} classes could be formed instead of {k}.",
            )
        k = len(bins)
    lows = [float(y.min())] + [float(b) for b in bins[:-1]]
    classes = []
    for i, (low, high) in enumerate(zip(lows, bins, strict=True)):
        opener = "[" if i == 0 else "("
        vi = f"{opener}{format_number(low, 'vi', decimals)} – {format_number(high, 'vi', decimals)}]{' ' + unit if unit else ''}"
        en = f"{opener}{format_number(low, 'en', decimals)} – {format_number(high, 'en', decimals)}]{' ' + unit if unit else ''}"
        classes.append(ClassDef(low, float(high), vi, en))
    palette = spread(colors, k)
    yb = np.full(numeric.size, NO_DATA, dtype=int)
    yb[usable] = yb_used
    return _finish(yb, classes, palette, no_data, not_assessed, scheme, note)


def spread(colors: Sequence[str], k: int) -> list[str]:
    """Pick ``k`` colours spread evenly over a light-to-dark palette (ends included)."""
    if k >= len(colors):
        return list(colors)[:k]
    if k == 1:
        return [colors[len(colors) // 2]]
    step = (len(colors) - 1) / (k - 1)
    return [colors[math.floor(i * step + 0.5)] for i in range(k)]
