"""Link ⇄ state on the Streamlit side: the one module the pages use to read their link, say what
of it they do not show, and keep the browser's address bar equal to their view.

Usage::

    from app_pages.urlsync import read_link, show_link_notices, sync_query, url_changed_outside

    if "my_state" not in st.session_state or url_changed_outside("years"):
        link = read_link("years")            # the page's name in ntm_geo.views.links.PAGE_PARAMS
        ...                                  # link.state -> the page's widgets / session state
        st.session_state["my_notices"] = link.notices
    ...                                      # widgets
    show_link_notices(st.session_state.pop("my_notices", []), L)
    sync_query(to_query(current_state()), "years")  # after every widget that changes the view; the
                                             # page's last write tells Back/Forward from its own

The parsing is pure (:func:`ntm_geo.views.links.parse_link`): each page declares the parameters
it reads, and gets its view with the others at their defaults (dropped from the address it
writes) and one list of notices, grouped here under one heading per kind (ignored, not used by
this page, view adjusted) with the same wording on every page.

How the URL reaches the browser (Streamlit 1.67, read from its source)
----------------------------------------------------------------------
* Backend: any write to ``st.query_params`` (``from_dict``, ``[k] = v``, ``pop``) sends one
  ``ForwardMsg.page_info_changed`` carrying the whole query string, during the script run that
  made it — from the body and from a widget callback alike
  (``runtime/state/query_params.py: _send_query_param_msg``).
* Frontend: ``App.handlePageInfoChanged`` (``static/js/index.*.js``) calls
  ``window.history.pushState`` (``replaceState`` during back/forward navigation) *as soon as the
  message arrives*, if the string differs from ``location.search``. The multipage
  ``maybeUpdatePageUrl`` only pushes on a page change. ``bind="query-params"`` widgets use a
  separate path (``replaceState`` from the widget manager) with the widget's *formatted label*.

So a write in the script body is in the address bar a fraction of a second after the widget
change, in single- and multipage apps alike; measured in the real app and in a 6-line
``st.navigation`` app: 0.1-0.6 s. The "one rerun late" seen earlier was a test artefact:
Playwright's sync API updates ``page.url`` only while it processes events, i.e. during a
Playwright call; a test that polls ``page.url`` between ``time.sleep`` calls sees the old URL
until its next click. Poll with ``page.wait_for_function("location.search === ...")`` (or read
``page.evaluate("location.search")``) instead — see ``tests/browser/test_present.py``.

One write per run, only when the string differs: a write that changes nothing still sends a
message and, from the frontend's point of view, is a no-op; skipping it keeps the browser
history clean (each real change is one ``pushState``, so the Back button steps through views).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ntm_geo.datasets import catalog
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo.units import official_units
from ntm_geo.i18n import register, t
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.links import Link, parse_link
from ntm_geo.views.viewstate import ADJUSTED, INVALID, UNUSED, Notice, NoticeKind

SAFE = ",~:"  # characters left unescaped in links (commune lists, slide lists, compare specs)

register(
    {
        "link_ignored": (
            "Một số tham số của liên kết không hợp lệ và đã được bỏ qua; trang dùng giá trị mặc định cho chúng:",
            "Some link parameters were invalid and have been ignored; the page uses the defaults for them:",
        ),
        "link_unused": (
            "Trang này không dùng một số tham số của liên kết; chúng đã được bỏ khỏi địa chỉ:",
            "This page does not use some of the link's parameters; they have been removed from the address:",
        ),
        "link_notices_compact": (
            "Liên kết: {n} tham số không hiển thị như đã ghi — bấm để xem",
            "Link: {n} parameter(s) not shown as given — click for details",
        ),
        "link_adjusted": (
            "Trang hiển thị khác một chút so với liên kết yêu cầu:",
            "The page shows something slightly different from what the link asked for:",
        ),
    }
)

#: The heading of each kind of notice (:data:`ntm_geo.views.viewstate.NOTICE_KINDS`), in the order shown.
NOTICE_HEADINGS: dict[NoticeKind, str] = {
    INVALID: "link_ignored",
    ADJUSTED: "link_adjusted",
    UNUSED: "link_unused",
}


def read_link(
    page: str,
    query: Mapping[str, str] | None = None,
    *,
    known_communes: Iterable[str] | None = None,
) -> Link:
    """The link of this run (``st.query_params``, or ``query``) as ``page`` reads it
    (:func:`ntm_geo.views.links.parse_link`): dataset ids are checked against the catalogue,
    district and commune codes against the 2015 units (``known_communes`` narrows the communes,
    e.g. the planner's xã only)."""
    from app_pages.common import boundaries  # common's cache; it imports nothing from here

    try:
        districts: set[str] | None = set(boundaries().districts_web["district_code"])
    except NtmGeoError:  # no boundaries (the data page still opens to load them): codes checked by form
        districts = None
    return parse_link(
        st.query_params.to_dict() if query is None else dict(query),
        page,
        known_datasets=catalog.dataset_exists,
        known_districts=districts,
        known_communes=set(official_units()["commune_code"] if known_communes is None else known_communes),
    )


def show_link_notices(notices: Iterable[Notice], lang: str, *, compact: bool = False) -> bool:
    """Say what of the link the page does not show as given: one warning per kind of notice,
    under its own heading (:data:`NOTICE_HEADINGS`); raw values escaped (links are hostile input).

    With ``compact`` (the presentation page: its map fills a 768-pixel projector screen) the
    warnings are inside one collapsed expander whose single line says how many parameters of the
    link are not shown as given (trial 8, m5: two notice boxes pushed the map's lower half off the
    screen). Returns whether anything was shown.
    """
    notices = list(notices)
    if not notices:
        return False
    if not compact:
        _notice_boxes(notices, lang)
        return True
    params = len(dict.fromkeys(n.param for n in notices))
    with (
        st.container(key="ntm_link_notices"),
        st.expander(t("link_notices_compact", lang, n=params), icon=":material/link:"),
    ):
        _notice_boxes(notices, lang)
    return True


def _notice_boxes(notices: list[Notice], lang: str) -> None:
    for kind, heading in NOTICE_HEADINGS.items():
        items = "\n".join(
            f"- **{escape_markdown(n.param)}** = {escape_markdown(n.value)} — "
            f"{escape_markdown(n.reason.pick(lang))}"
            for n in notices
            if (n.kind if n.kind in NOTICE_HEADINGS else INVALID) == kind
        )
        if items:
            st.warning(f"{t(heading, lang)}\n\n{items}", icon=":material/link:")


def sync_query(query: Mapping[str, str], page: str | None = None) -> bool:
    """Make the URL's query parameters exactly ``query``; return True when the URL was changed.

    Call it in the script body after the widgets (a callback is not needed). Parameters not in
    ``query`` are removed, so ``query`` must be the complete state of the page
    (:func:`ntm_geo.views.viewstate.to_query`). With ``page`` (a key of
    :data:`ntm_geo.views.links.PAGE_PARAMS`), ``query`` is remembered as that page's last write
    (:func:`last_synced`), which is how :func:`url_changed_outside` tells Back/Forward from the
    page's own writes.
    """
    wanted = {str(k): str(v) for k, v in query.items()}
    if page is not None:
        st.session_state[_synced_key(page)] = wanted
    if st.query_params.to_dict() == wanted:
        return False
    st.query_params.from_dict(wanted)
    return True


def last_synced(page: str) -> dict[str, str] | None:
    """The query ``page`` last wrote with :func:`sync_query` in this session (None: none yet)."""
    value = st.session_state.get(_synced_key(page))
    return dict(value) if value is not None else None


def _synced_key(page: str) -> str:
    return f"link_synced.{page}"


def share_url(query: Mapping[str, str]) -> str:
    """The full link to this page with ``query`` (readable: ``,~:`` kept as they are)."""
    base = str(st.context.url or "").split("?")[0]
    if base and not urlsplit(base).path:  # the app's root: "http://host:8501/?..." not "...8501?..."
        base += "/"
    return base + ("?" + urlencode(dict(query), safe=SAFE) if query else "")


def url_changed_outside(page: str) -> bool:
    """True when the address bar holds a query ``page`` did not write last (the browser's
    Back/Forward buttons, or a link pasted into the same tab): the page must then show the URL's
    view. A plain switch to this page from the menu (no query) keeps the session's view. The
    page's writes are those of :func:`sync_query` with ``page``."""
    ss = st.session_state
    query = st.query_params.to_dict()
    synced = last_synced(page)
    if synced is None or query == synced:
        return False
    return not bare_query(query) or not ss.get("page_switched", False)


def bare_query(query: Mapping[str, str] | None = None) -> bool:
    """True for the address a switch from the menu leaves: no query, or only the language
    (``?lang=en`` stays in the address in English) -- not a view of its own. ``query``: the
    address bar's (default) or any query."""
    query = st.query_params.to_dict() if query is None else query
    return not {k: v for k, v in query.items() if k != "lang"}
