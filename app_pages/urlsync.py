"""Keep the browser's address bar equal to the view state (front end; shared by the pages).

Usage, at the end of the widget section of a page (after every widget that changes the view)::

    from app_pages.urlsync import sync_query
    sync_query(to_query(current_state()))

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

from collections.abc import Mapping
from urllib.parse import urlencode, urlsplit

import streamlit as st

SAFE = ",~:"  # characters left unescaped in links (commune lists, slide lists, compare specs)


def sync_query(query: Mapping[str, str]) -> bool:
    """Make the URL's query parameters exactly ``query``; return True when the URL was changed.

    Call it in the script body after the widgets (a callback is not needed). Parameters not in
    ``query`` are removed, so ``query`` must be the complete state of the page
    (:func:`ntm_geo.views.viewstate.to_query`).
    """
    wanted = {str(k): str(v) for k, v in query.items()}
    if st.query_params.to_dict() == wanted:
        return False
    st.query_params.from_dict(wanted)
    return True


def share_url(query: Mapping[str, str]) -> str:
    """The full link to this page with ``query`` (readable: ``,~:`` kept as they are)."""
    base = str(st.context.url or "").split("?")[0]
    if base and not urlsplit(base).path:  # the app's root: "http://host:8501/?..." not "...8501?..."
        base += "/"
    return base + ("?" + urlencode(dict(query), safe=SAFE) if query else "")
