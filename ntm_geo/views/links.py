"""Link ⇄ view state for every page: which link parameters a page reads, and the one way to read them.

Every page opens from a link (``/?year=2011&theme=poverty``, ``/present?slides=…``,
``/years?panels=…``, ``/planner?shortlist=…``, ``/data``). Each page declares the parameters it
reads (:data:`PAGE_PARAMS`); :func:`parse_link` gives it

* the view the link asks for, *as that page shows it*: parameters the page does not read are at
  their defaults, so the address the page writes back (:func:`~ntm_geo.views.viewstate.to_query`)
  drops them;
* one list of :class:`~ntm_geo.views.viewstate.Notice` for everything not shown as given, the same
  on every page: malformed or unknown values (kind ``invalid``), well-formed parameters the page
  does not read (kind ``unused``, one wording for all pages: :data:`UNUSED_REASON`), and valid
  values the view differs from (kind ``adjusted``: the nearest year with data …).

The Streamlit side (reading ``st.query_params``, writing the address bar, showing the notices) is
:mod:`app_pages.urlsync`; the encoding of each parameter is :mod:`ntm_geo.views.viewstate`.

>>> link = parse_link({"year": "2011", "slides": "change", "k": "99"}, "map")
>>> link.state.year, link.state.slides, link.state.k
(2011, '', 5)
>>> [(n.param, n.kind) for n in link.notices]
[('k', 'invalid'), ('slides', 'unused')]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from ntm_geo.bilingual import Bilingual
from ntm_geo.views.viewstate import ADJUSTED, LINK_PARAMS, Notice, ViewState, from_query, unused_notices

PAGE_PARAMS: dict[str, frozenset[str]] = {
    "map": frozenset(
        ("dataset", "year", "theme", "var", "scheme", "k", "district", "communes", "lang", "tiles", "units")
    ),
    "present": frozenset(("dataset", "lang", "mode", "slide", "slides")),
    "years": frozenset(("dataset", "year", "theme", "var", "scheme", "k", "mode", "panels", "lang")),
    "planner": frozenset(("dataset", "year", "shortlist", "lang")),
    "data": frozenset(("lang",)),
}
"""The link parameters each page reads (keys: the pages of ``app.py``). ``lang`` is the app's,
read on every page. Every other parameter of :data:`~ntm_geo.views.viewstate.LINK_PARAMS` gets an
``unused`` notice on that page and is dropped from its address."""

UNUSED_REASON = Bilingual(
    "trang này không dùng tham số này; đã bỏ khỏi địa chỉ (tham số của trang khác)",
    "this page does not use this parameter; removed from the address (another page's parameter)",
)
"""Why an unused parameter was dropped: one wording on every page."""


@dataclass(frozen=True)
class Link:
    """A link as one page reads it.

    Attributes
    ----------
    state : ViewState
        The view the page shows: the link's valid values of the parameters the page reads, the
        defaults for the rest (so ``to_query(state)`` is the page's own address).
    notices : tuple of Notice
        Everything not shown as given: ``invalid`` and ``adjusted`` (from
        :func:`~ntm_geo.views.viewstate.from_query`), then ``unused``, each in the link's order.
    asked : ViewState
        Every valid value the link carried, the unused ones included (for a page that suggests
        how to show them, e.g. the presentation's ``slides=`` hint).
    given : frozenset of str
        The names of the parameters the link carried (a default of ``state`` was not asked for).
    """

    state: ViewState
    notices: tuple[Notice, ...]
    asked: ViewState
    given: frozenset[str] = frozenset()


def page_params(page: str) -> frozenset[str]:
    """The parameters ``page`` reads; raises ``ValueError`` naming the pages for an unknown one."""
    try:
        return PAGE_PARAMS[page]
    except KeyError:
        raise ValueError(f"unknown page {page!r}; pages: {', '.join(PAGE_PARAMS)}") from None


def parse_link(
    params: Mapping[str, str | Iterable[str]],
    page: str,
    *,
    known_datasets: Callable[[str], bool] = lambda d: d == "illustrative",
    known_districts: Iterable[str] | None = None,
    known_communes: Iterable[str] | None = None,
    known_years: Iterable[int] | None = None,
) -> Link:
    """Read a link's query parameters for ``page`` (a key of :data:`PAGE_PARAMS`).

    Parameters
    ----------
    params : mapping
        ``st.query_params.to_dict()`` or any ``{name: value or [values]}`` (hostile input).
    page : str
        The page reading the link.
    known_datasets, known_districts, known_communes, known_years
        As for :func:`~ntm_geo.views.viewstate.from_query`.

    Returns
    -------
    Link
        Never raises for any ``params``; an unknown ``page`` raises ``ValueError``.
    """
    used = page_params(page)
    districts = None if known_districts is None else set(known_districts)
    communes = None if known_communes is None else set(known_communes)
    years = None if known_years is None else tuple(known_years)

    def parse(query: Mapping[str, str | Iterable[str]]) -> tuple[ViewState, list[Notice]]:
        return from_query(
            query,
            known_datasets=known_datasets,
            known_districts=districts,
            known_communes=communes,
            known_years=years,
        )

    asked, notices = parse(params)
    # an adjusted value of a parameter this page does not read is reported as not used: "year 1999:
    # opened the nearest year 2011" on the data page, which opens no year, described a view the
    # page does not show (trial 9). A malformed value stays invalid on every page.
    notices = [n for n in notices if n.kind != ADJUSTED or n.param in used]
    # the page's view: parsed from the parameters it reads only, so a dropped one leaves no trace
    # (e.g. the dataset's newest year when the link's year is not the page's)
    state, _ = parse({k: v for k, v in params.items() if k in used})
    unused = unused_notices(params, notices, used, UNUSED_REASON.vi, UNUSED_REASON.en)
    return Link(state, (*notices, *unused), asked, frozenset(params))


__all__ = ["LINK_PARAMS", "PAGE_PARAMS", "UNUSED_REASON", "Link", "page_params", "parse_link"]
