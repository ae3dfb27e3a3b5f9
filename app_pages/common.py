"""Front-end helpers shared by the pages: cached core calls, language, notices.

Caches: ``st.cache_resource`` for read-only shared objects (boundaries, joined tables — never
mutated by a page), ``st.cache_data`` for small derived values (classifications, report rows).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ntm_geo import auth
from ntm_geo.criteria.report_check import compare
from ntm_geo.datasets import catalog, store
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo import boundaries as bnd
from ntm_geo.i18n import t
from ntm_geo.maps.themes import compute_view, join_dataset
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views.viewstate import Notice


def lang() -> str:
    """The interface language chosen in the sidebar ("vi" or "en")."""
    return st.session_state.get("lang", "vi")


def _configure_from_secrets() -> None:
    """Pass the data folder and editor password from Streamlit secrets (when present) to the core."""
    secrets = dict(st.secrets) if st.secrets.load_if_toml_exists() else {}  # none: environment applies
    if secrets.get("data_dir"):
        store.configure(secrets["data_dir"])
    if secrets.get(auth.SECRETS_KEY):
        auth.configure(str(secrets[auth.SECRETS_KEY]))


_configure_from_secrets()


@st.cache_resource(show_spinner=False)
def _boundaries() -> bnd.Boundaries:
    saved = store.active_boundaries()  # replacement boundaries uploaded on the data page
    if saved is not None:
        from ntm_geo.geo.boundary_upload import to_boundaries

        return to_boundaries(saved)
    return bnd.load_boundaries()


def boundaries() -> bnd.Boundaries:
    """Boundaries from the cache; on the very first run, build them with a progress bar."""
    if not bnd.cache_is_fresh():
        bar = st.progress(0.0, text=t("loading_boundaries", lang()))
        bnd.load_boundaries(progress=lambda fraction, message: bar.progress(fraction, text=message))
        bar.empty()
    return _boundaries()


def boundaries_or_stop(lang: str) -> bnd.Boundaries:
    """:func:`boundaries`, or the error in the user's language and the end of this page run."""
    try:
        return boundaries()
    except NtmGeoError as err:
        st.error(f"**{t('boundary_error', lang)}**\n\n{escape_markdown(err.message(lang))}")
        st.stop()
        raise  # unreachable: st.stop() ends the run


@st.cache_resource(show_spinner=False)
def joined_table(dataset_id: str, year: int):
    """Web-simplified communes joined to a dataset's year table (read-only, shared)."""
    return join_dataset(_boundaries().communes_web, catalog.load_year(dataset_id, year))


@st.cache_data(show_spinner=False)
def view(dataset_id: str, year: int, variable_key: str, scheme: str, k: int, lang: str):
    """Classification, fill colours and display values of one variable (cached per arguments)."""
    return compute_view(joined_table(dataset_id, year), variable_key, scheme=scheme, k=k, lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def map_data(
    dataset_id: str,
    year: int,
    variable_key: str,
    scheme: str,
    k: int,
    lang: str,
    *,
    source: str,
    district: str = "",
    highlight: tuple[str, ...] = (),
) -> tuple[str, dict]:
    """One view's map for :func:`app_pages.leaflet_map.show_map`: (title, spec).

    The spec is data (:func:`ntm_geo.maps.mapbuild.build_view_spec`): styles, legend, bounds and
    the URL of the topology, published once per boundary set. ``highlight``: unit codes drawn
    with a thick outline. Cached per view for all sessions; cleared with the other data caches
    (:func:`clear_data_caches`).
    """
    from app_pages.leaflet_map import map_spec
    from ntm_geo.maps.mapbuild import build_view_spec

    spec = build_view_spec(
        joined_table(dataset_id, year), _boundaries().districts_web, view(dataset_id, year, variable_key, scheme, k, lang),
        year=year, source=source, lang=lang, scheme=scheme, district=district, highlight=set(highlight),
    )  # fmt: skip
    return spec.title, map_spec(spec)


@st.cache_data(show_spinner=False)
def candidates(dataset_id: str, year: int, lang: str) -> pd.DataFrame:
    """The planner's candidate table of a dataset year (:func:`ntm_geo.planning.ranking.candidate_table`)."""
    from ntm_geo.planning.ranking import candidate_table

    return candidate_table(joined_table(dataset_id, year), lang)


@st.cache_data(show_spinner=False)
def report_rows(dataset_id: str, year: int, lang: str) -> pd.DataFrame:
    """The report comparison as a display table (figure, report, computed, ✓/✗)."""
    rows = compare(catalog.load_year(dataset_id, year), _boundaries().communes.drop(columns="geometry"), year)
    return pd.DataFrame(
        {
            t("figure", lang): [r.label_vi if lang == "vi" else r.label_en for r in rows],
            t("report_value", lang): [r.report_value for r in rows],
            t("computed_value", lang): [r.computed_value for r in rows],
            t("match", lang): ["✓" if r.ok else "✗" for r in rows],
        }
    )


def clear_data_caches(*, boundaries: bool = False) -> None:
    """Forget cached tables and views after a dataset (or, with ``boundaries``, the boundary set)
    was saved, replaced or deleted, so no page serves stale data."""
    joined_table.clear()
    view.clear()
    map_data.clear()
    candidates.clear()
    report_rows.clear()
    if boundaries:
        _boundaries.clear()


def view_widget(name: str, options: list, default: object) -> str:
    """Session key for a view widget whose option labels depend on the language.

    Streamlit keeps a keyed widget's value by its *formatted label*: when the language changes,
    the old label matches no option and the widget shows nothing or returns a stale value. So
    each language gets its own key (``name@vi``, ``name@en``), initialised from the canonical
    view in ``st.session_state["view"]`` (written by :func:`remember`) whenever the language
    changed since the last run or the widget holds a value that is not an option.
    """
    ss = st.session_state
    key = f"{name}@{lang()}"
    value = ss.setdefault("view", {}).get(name, default)
    if value not in options:
        value = default
    if ss.get("_view_lang") != lang() or ss.get(key) not in options:
        ss[key] = value
    return key


def remember(name: str, value: object) -> None:
    """Record a view widget's value as the canonical view (see :func:`view_widget`)."""
    st.session_state.setdefault("view", {})[name] = value


def view_widgets_done() -> None:
    """Call after the page's view widgets: their per-language keys are now current."""
    st.session_state["_view_lang"] = lang()


def lang_keyed(name: str, default: object) -> dict:
    """``key`` and ``on_change`` for a widget whose option labels are translated, when its value
    is kept in ``st.session_state[name]`` (the callback form of :func:`view_widget`, for pages
    whose code reads ``st.session_state[name]``): each language has its own widget key
    ``name@vi|en``, set from ``st.session_state[name]`` on every run and written back by the
    widget's callback. Use as ``st.selectbox(..., **lang_keyed("pl_criterion", 0))``."""
    ss = st.session_state
    ss.setdefault(name, default)
    key = f"{name}@{lang()}"
    ss[key] = list(ss[name]) if isinstance(ss[name], list) else ss[name]

    def store() -> None:
        ss[name] = ss[key]

    return {"key": key, "on_change": store}


def url_changed_outside(synced_key: str) -> bool:
    """True when the address bar holds a query this page did not write last (the browser's
    Back/Forward buttons, or a link pasted into the same tab): the page must then show the URL's
    view. A plain switch to this page from the menu (no query) keeps the session's view.
    ``synced_key`` is where the page stores the query it last wrote."""
    ss = st.session_state
    query = st.query_params.to_dict()
    if synced_key not in ss or query == ss[synced_key]:
        return False
    return not bare_query(query) or not ss.get("page_switched", False)


def bare_query(query: dict) -> bool:
    """True for the address a switch from the menu leaves: no query, or only the language
    (``?lang=en`` stays in the address in English) -- not a view of its own."""
    return not {k: v for k, v in query.items() if k != "lang"}


def show_notices(notices: list[Notice], lang: str) -> None:
    """Say which link parameters were ignored (raw values escaped: links are hostile input)."""
    if notices:
        items = "\n".join(
            f"- **{escape_markdown(n.param)}** = {escape_markdown(n.value)} — "
            f"{escape_markdown(n.reason_vi if lang == 'vi' else n.reason_en)}"
            for n in notices
        )
        st.warning(f"{t('link_ignored', lang)}\n\n{items}", icon=":material/link:")


#: The app's own CSS: less empty space above the map on a 768-pixel projector, and the classes
#: of the texts the map component draws around the map (title, warning, caption:
#: app_pages/leaflet_map.js; plain text, no Markdown: the browser parses each Markdown element,
#: ~20-30 ms each before the map on the bench machine, bench/README.md, session 4). Sent by
#: app.py with ``st.html`` and, for the map page's first paint (which has no other element
#: before the map), by the map component itself.
APP_CSS = (
    "[data-testid='stMainBlockContainer'], .block-container {padding-top: 4.2rem; padding-bottom: 1rem}"
    " h4 {padding-top: 0.2rem}"
    " .ntm-title {font-size: 1.5rem; font-weight: 600; line-height: 1.2; margin: 0; padding: 0.2rem 0 0.25rem}"
    " .ntm-caption {font-size: 0.875rem; line-height: 1.6; margin: 0; opacity: 0.7}"
    " .ntm-note {display: flex; align-items: flex-start; gap: 0.75rem; padding: 1rem; border-radius: 0.5rem;"
    " line-height: 1.5}"
    " .ntm-note-warning {background: rgb(255, 250, 229); color: rgb(149, 107, 15)}"
    " .ntm-note-icon {font-family: 'Material Symbols Rounded'; font-size: 1.25rem; line-height: 1.2;"
    " font-feature-settings: 'liga'; -webkit-font-smoothing: antialiased; user-select: none}"
    " .ntm-map-head {display: flex; flex-direction: column; gap: 1rem; margin-bottom: 1rem}"
    " .ntm-map-foot {margin-top: 1rem}"
    " @media (max-width: 1100px) {[data-testid='stMainBlockContainer'], .block-container"
    " {padding-left: 1rem; padding-right: 1rem}"
    # a 1024-pixel projector: the heading with a district name stays on one line, the map in view
    " .ntm-title {font-size: 1.25rem} .ntm-note {font-size: 0.9rem; padding: 0.75rem 1rem}}"
)


def localized_numbers(frame: pd.DataFrame, lang: str):
    """``frame`` for ``st.dataframe`` with its numbers written as the reader writes them:
    Vietnamese ``24,7`` and ``11.455``, English ``24.7`` and ``11,455`` (a pandas Styler: only the
    shown text changes, the table still sorts by value). Whole-number columns get no decimals,
    others as many as their values need (at most 2); missing values are blank."""
    decimal, thousands = (",", ".") if lang == "vi" else (".", ",")
    styler = frame.style
    for column in frame.select_dtypes("number").columns:
        values = frame[column].dropna().astype(float)
        digits = next((d for d in (0, 1) if ((values.round(d) - values).abs() < 1e-9).all()), 2)
        styler = styler.format(
            subset=[column], precision=digits, decimal=decimal, thousands=thousands, na_rep=""
        )
    return styler
