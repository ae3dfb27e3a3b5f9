"""Front-end helpers shared by the pages: cached core calls, language, widgets keyed by the view.

Caches: ``st.cache_resource`` for read-only shared objects (boundaries, joined tables — never
mutated by a page), ``st.cache_data`` for small derived values (classifications, report rows).

Also the page edge (:func:`run_page`: no traceback ever reaches a visitor), the editor session
of a browser session (:func:`editor_session`, :func:`sign_in`) and one-shot messages that
survive a rerun (:func:`flash`, :func:`show_flash`).
"""

from __future__ import annotations

import importlib
import logging
import re
import secrets as _secrets
import threading
from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from ntm_geo import auth
from ntm_geo.criteria.report_check import compare, display_table
from ntm_geo.datasets import catalog, store
from ntm_geo.errors import NtmGeoError
from ntm_geo.geo import background
from ntm_geo.geo import boundaries as bnd
from ntm_geo.i18n import register, t
from ntm_geo.maps.themes import ChoroplethView
from ntm_geo.planning.profile import escape_markdown
from ntm_geo.views import pipeline
from ntm_geo.views.viewstate import DEFAULT, LANGS, ViewState, view_units

log = logging.getLogger("ntm_geo.app")

register(
    {
        "unexpected_error": (
            "Đã xảy ra lỗi ngoài dự kiến; trang chưa hiển thị hết. Hãy tải lại trang; nếu lỗi còn, báo "
            "quản trị viên mã lỗi **{id}** (chi tiết đã được ghi vào nhật ký của máy chủ).",
            "An unexpected error occurred; the page is incomplete. Reload the page; if it happens again, "
            "give the administrator the error id **{id}** (the details are in the server's log).",
        ),
        "editor_session_ended": (
            "Phiên biên tập đã hết hạn (30 phút không thao tác hoặc 8 giờ sau khi đăng nhập). Hãy đăng "
            "nhập lại.",
            "Your editor session has ended (30 min without activity or 8 h after signing in). Sign in again.",
        ),
    }
)


def run_page(run: Callable[[], None]) -> None:
    """Run a page; anything it raises is logged with a short id (traceback in the server log)
    and shown as a message in both languages naming that id -- never the exception's text, a
    traceback or a server path. Streamlit's own ``st.stop``/``st.rerun`` pass through (they are
    not :class:`Exception`)."""
    try:
        run()
    except Exception:  # the page edge: whatever a page raises, the visitor sees only an id
        error_id = _secrets.token_hex(4)
        log.exception("unexpected error %s on page %s", error_id, st.session_state.get("page_now", "?"))
        first = lang()
        other = next(code for code in LANGS if code != first)  # the message in both languages
        st.error(
            f"{t('unexpected_error', first, id=error_id)}\n\n{t('unexpected_error', other, id=error_id)}"
        )


def flash(kind: str, text: str) -> None:
    """Keep a message (``kind``: "success", "info", "warning", "error"; Markdown, data escaped)
    to show after the next rerun with :func:`show_flash` (a message written just before
    ``st.rerun()`` is never seen)."""
    st.session_state.setdefault("_flash", []).append((kind, text))


def show_flash() -> None:
    """Show and forget the messages kept by :func:`flash`."""
    for kind, text in st.session_state.pop("_flash", []):
        getattr(st, kind)(text)


def session_key() -> str:
    """A random id of this browser session (the sign-in throttle's per-session key)."""
    return st.session_state.setdefault("_session_key", _secrets.token_hex(16))


def editor_session() -> auth.EditorSession | None:
    """This browser session's editor session while it is active (each call counts as activity),
    else None; an ended one is dropped with a notice (:func:`flash`)."""
    editor = st.session_state.get("editor_session")
    if editor is None:
        return None
    if not isinstance(editor, auth.EditorSession) or not editor.touch():
        del st.session_state["editor_session"]
        flash("warning", t("editor_session_ended", lang()))
        return None
    return editor


def sign_in(password: str | None) -> auth.EditorSession:
    """Sign this browser session in (:func:`ntm_geo.auth.sign_in`, throttled per session and per
    client address ``st.context.ip_address``). Raises what that raises."""
    address = st.context.ip_address  # None for this machine (and in AppTest, not a str)
    address = address if isinstance(address, str) else None
    editor = auth.sign_in(password, session_key=session_key(), client_address=address)
    st.session_state["editor_session"] = editor
    return editor


def sign_out() -> None:
    """End this browser session's editor session."""
    st.session_state.pop("editor_session", None)


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
    """Boundaries from the cache; on the very first run, build them with a progress bar.

    The build runs in a background job (:mod:`ntm_geo.geo.background`): closing the tab during the
    ~30 s first conversion stops only this progress bar, never the conversion, and the next visitor
    polls the same job (issue 14, item 14)."""
    if not bnd.cache_is_fresh():
        job = background.start("boundary cache", lambda progress: bnd.load_boundaries(progress=progress))
        bar = st.progress(0.0, text=t("loading_boundaries", lang()))
        while not job.done.wait(0.25):
            bar.progress(
                min(max(job.fraction, 0.0), 1.0), text=job.message or t("loading_boundaries", lang())
            )
        bar.empty()
        job.wait(0)  # re-raises the build's error (shown by boundaries_or_stop)
    return _boundaries()


def boundaries_or_stop(lang: str) -> bnd.Boundaries:
    """:func:`boundaries`, or the error in the user's language and the end of this page run."""
    try:
        return boundaries()
    except NtmGeoError as err:
        st.error(f"**{t('boundary_error', lang)}**\n\n{escape_markdown(err.message(lang))}")
        st.stop()
        raise  # unreachable: st.stop() ends the run


@st.cache_resource(show_spinner="Ranh giới 2025… / 2025 boundaries…")
def _boundaries_2025() -> bnd.Boundaries:
    from ntm_geo.geo.boundaries_2025 import load_boundaries_2025

    return load_boundaries_2025()


def unit_boundaries(units: str = "2015") -> bnd.Boundaries:
    """The boundaries of a unit vintage: "2015" (the active set) or "2025" (65 units, no districts)."""
    return _boundaries_2025() if units == "2025" else _boundaries()


@st.cache_resource(show_spinner=False)
def warm_classifier(delay_s: float = 0.0) -> threading.Timer:
    """Import :mod:`mapclassify` (and with it scipy.stats: 1.5-5 s on this project's machines) in
    a background thread, once per server process, ``delay_s`` seconds from now.

    :func:`ntm_geo.maps.classify.classify_scheme` imports it lazily (the core's warm start stays
    short), so without this the first theme change to a classified variable after a server start
    (poverty, infrastructure, natural breaks) waited for that import: 1.1-1.7 s instead of
    ~0.15 s (``bench/run_bench.py``, figure 7's warm-up rerun). Pages call it once their map is
    on its way, so the import does not compete with the first paint."""
    timer = threading.Timer(delay_s, importlib.import_module, args=("mapclassify",))
    timer.name, timer.daemon = "ntm-warm-mapclassify", True
    timer.start()
    return timer


@st.cache_resource(show_spinner=False)
def joined_table(dataset_id: str, year: int, units: str = "2015"):
    """Web-simplified units joined to a dataset's year table (read-only, shared). On the 2025
    units the table is the dataset carried by :func:`ntm_geo.datasets.carry.carry_to_2025`
    (every value derived; criteria as k of n former communes), unless the dataset is keyed by
    the 2025 units (``DatasetInfo.vintage``): then its own values, not derived. A 2025 dataset is
    always joined to the 2025 units (:func:`ntm_geo.views.viewstate.view_units`)."""
    units = view_units(catalog.get_dataset(dataset_id).vintage, units)
    if units == "2025" and catalog.get_dataset(dataset_id).vintage == "2025":  # keyed by the 2025 units
        return pipeline.join(
            ViewState(dataset=dataset_id, year=year), _boundaries_2025().communes_web.assign(district_name="")
        )
    if units == "2025":
        from ntm_geo.datasets.carry import carry_to_2025

        carried = carry_to_2025(catalog.load_year(dataset_id, year)).table
        return pipeline.join(
            ViewState(dataset=dataset_id, year=year),
            _boundaries_2025().communes_web.assign(district_name=""),
            carried,
        )
    return pipeline.join(ViewState(dataset=dataset_id, year=year), _boundaries().communes_web)


@st.cache_data(show_spinner=False)
def view_of(state: ViewState) -> ChoroplethView:
    """Classification, fill colours, legend and display values of a view (cached per view: pass
    :meth:`ViewState.map_key`, which keeps only what changes the colours)."""
    return pipeline.classify(state, joined_table(state.dataset, state.year, state.units))


def view(
    dataset_id: str, year: int, variable_key: str, scheme: str, k: int, lang: str, units: str = "2015"
) -> ChoroplethView:
    """:func:`view_of` for callers that hold the view's parts."""
    return view_of(
        ViewState(
            dataset=dataset_id, year=year, var=variable_key, scheme=scheme, k=k, lang=lang, units=units
        ).map_key()
    )


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
    units: str = "2015",
    former_districts: bool = False,
) -> tuple[str, dict]:
    """One view's map for :func:`app_pages.leaflet_map.show_map`: (title, spec).

    The spec is data (:func:`ntm_geo.maps.mapbuild.build_view_spec`): styles, legend, bounds and
    the URL of the topology, published once per boundary set. ``highlight``: unit codes drawn
    with a thick outline. Cached per view for all sessions; cleared with the other data caches
    (:func:`clear_data_caches`).
    """
    from app_pages.leaflet_map import map_spec
    from ntm_geo.maps.mapbuild import build_view_spec

    table = joined_table(dataset_id, year, units)
    if units == "2025" and former_districts:  # outlines of the 2015 districts, along the 2025 unit edges
        from ntm_geo.geo.crosswalk import former_districts_2025

        former = former_districts_2025().set_index("commune_code")["district_name"]
        table = table.assign(district_name=table["commune_code"].map(former) + " (2015)")
    spec = build_view_spec(
        table, unit_boundaries(units).districts_web,
        view(dataset_id, year, variable_key, scheme, k, lang, units),
        year=year, source=source, lang=lang, scheme=scheme, district=district, highlight=set(highlight),
    )  # fmt: skip
    return spec.title, map_spec(spec)


@st.cache_resource(show_spinner=False, max_entries=32)
def shared_views_of(
    dataset_id: str, years: tuple[int, ...], variable_key: str, scheme: str, k: int, lang: str
):
    """One classification of ``variable_key`` over ``years`` of a dataset, split per year
    (:func:`ntm_geo.views.years.shared_views`; read-only, shared): the timeline and the small
    multiples of the years page."""
    from ntm_geo.views.years import shared_views

    joined = {y: joined_table(dataset_id, y) for y in years}
    return shared_views(joined, variable_key, scheme=scheme, k=k, lang=lang)


@st.cache_data(show_spinner=False, max_entries=64)
def timeline_map_data(
    dataset_id: str, year: int, years: tuple[int, ...], variable_key: str, scheme: str, k: int, lang: str,
    *, source: str, key: str = "yr_map",
) -> tuple[str, dict]:  # fmt: skip
    """:func:`map_data` for the years page's timeline: ``year`` coloured with the classes shared
    by all ``years`` (:func:`shared_views_of`), legend at 16 px."""
    from app_pages.leaflet_map import map_spec
    from ntm_geo.maps.mapbuild import build_view_spec

    shared = shared_views_of(dataset_id, years, variable_key, scheme, k, lang)
    spec = build_view_spec(
        joined_table(dataset_id, year), _boundaries().districts_web, shared.by_year[year],
        year=year, source=source, lang=lang, scheme=scheme, legend_font_px=16,
    )  # fmt: skip
    return spec.title, map_spec(spec)


@st.cache_resource(show_spinner=False)
def panels_geometry():
    """The small multiples' SVG outlines of the boundaries in use (:func:`ntm_geo.maps.multiples.panel_geometry`)."""
    from ntm_geo.maps.multiples import panel_geometry

    b = _boundaries()
    return panel_geometry(b.communes_web, b.districts_web)


@st.cache_data(show_spinner=False)
def candidates(dataset_id: str, year: int, lang: str) -> pd.DataFrame:
    """The planner's candidate table of a dataset year (:func:`ntm_geo.planning.ranking.candidate_table`)."""
    from ntm_geo.planning.ranking import candidate_table

    return candidate_table(joined_table(dataset_id, year), lang)


@st.cache_data(show_spinner=False)
def report_rows(dataset_id: str, year: int, lang: str) -> pd.DataFrame:
    """The report comparison as a display table (figure, report, computed, ✓/✗)."""
    rows = compare(catalog.load_year(dataset_id, year), _boundaries().communes.drop(columns="geometry"), year)
    return display_table(rows, lang)


def clear_data_caches(*, boundaries: bool = False) -> None:
    """Forget cached tables and views after a dataset (or, with ``boundaries``, the boundary set)
    was saved, replaced or deleted, so no page serves stale data."""
    joined_table.clear()
    view_of.clear()
    map_data.clear()
    candidates.clear()
    from app_pages.planner_sections.ranking_cache import planner_ranking  # here: off the map page's start

    planner_ranking.clear()  # the planner's rankings of those tables
    report_rows.clear()
    shared_views_of.clear()
    timeline_map_data.clear()
    if boundaries:
        _boundaries.clear()
        panels_geometry.clear()


def map_view() -> ViewState:
    """The map page's view as its widgets last set it (dataset, year, theme, variable, scheme,
    classes, district, unit vintage; :data:`~ntm_geo.views.viewstate.DEFAULT` before any link was
    read). One frozen :class:`ViewState` in the session, the same type links and caches use."""
    view = st.session_state.get("view")
    return view if isinstance(view, ViewState) else DEFAULT


def view_value(name: str, default: object) -> object:
    """The canonical value of the view widget ``name``: a :class:`ViewState` field, or
    ``variable_<theme>`` -- the variable last chosen for that theme (each theme keeps its own)."""
    if name.startswith("variable_"):
        return st.session_state.get("view_vars", {}).get(name.removeprefix("variable_"), default)
    return getattr(map_view(), name, default)


def set_map_view(state: ViewState) -> None:
    """Make ``state`` the map page's view (a link was read): its variable is its theme's."""
    st.session_state["view"] = state
    st.session_state["view_vars"] = {state.theme: state.var}


def view_widget(name: str, options: list, default: object) -> str:
    """Session key of a view widget whose option labels depend on the language: ``view.<name>``,
    one key per meaning, the same in every language.

    Streamlit keeps a keyed widget's value as the *formatted label* the browser sends back: on
    the run after a language switch that label (Vietnamese) matches no option (English) and the
    widget would fall back to its default. So on that run -- and whenever the widget holds a
    value that is not one of ``options`` -- the key is set from the canonical view
    (:func:`view_value`, written by :func:`remember`) before the widget is drawn, and the widget
    shows the same choice in the new language. (An earlier version keyed each language
    separately, ``name@vi``/``name@en``: a switch then made a new widget in the browser.)
    """
    ss = st.session_state
    key = f"view.{name}"
    value = view_value(name, default)
    if value not in options:
        value = default
    if ss.get("_view_lang") != lang() or ss.get(key) not in options:
        ss[key] = value
    return key


def remember(name: str, value: object) -> None:
    """Record a view widget's value in the canonical view (:func:`map_view`; see :func:`view_widget`)."""
    ss = st.session_state
    view = map_view()
    if name.startswith("variable_"):
        theme = name.removeprefix("variable_")
        ss.setdefault("view_vars", {})[theme] = value
        if view.theme == theme:
            ss["view"] = replace(view, var=str(value))
        return
    ss["view"] = replace(view, **{name: value})
    if name == "theme" and value in ss.get("view_vars", {}):  # the theme's own variable comes back
        ss["view"] = replace(ss["view"], var=ss["view_vars"][value])


def view_widgets_done() -> None:
    """Call after the page's view widgets: their per-language keys are now current."""
    st.session_state["_view_lang"] = lang()


def lang_keyed(name: str, default: object) -> dict:
    """``key`` and ``on_change`` for a widget whose option labels are translated, when its value
    is kept in ``st.session_state[name]`` (the callback form of :func:`view_widget`, for pages
    whose code reads ``st.session_state[name]``, which outlives the widget across page switches):
    one widget key per meaning, ``name.widget`` in every language, set from
    ``st.session_state[name]`` on every run (so after a language switch it shows the same choice
    in the new language) and written back by the widget's callback.
    Use as ``st.selectbox(..., **lang_keyed("pl_criterion", 0))``."""
    ss = st.session_state
    ss.setdefault(name, default)
    key = widget_key(name)
    ss[key] = list(ss[name]) if isinstance(ss[name], list) else ss[name]

    def store() -> None:
        ss[name] = ss[key]

    return {"key": key, "on_change": store}


def widget_key(name: str) -> str:
    """The widget key :func:`lang_keyed` gives the value kept in ``st.session_state[name]``."""
    return f"{name}.widget"


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
# Without the spaces around punctuation: it is re-sent with every rerun (a theme change <= 12 KiB).
APP_CSS = re.sub(r"\s*([{}:;,>])\s*", r"\1", APP_CSS)


NUMBER_SEPARATORS: dict[str, tuple[str, str]] = {"vi": (",", "."), "en": (".", ",")}
"""Decimal and thousands separators per language (Vietnamese ``11.455,7``; English ``11,455.7``)."""


def localized_numbers(frame: pd.DataFrame, lang: str):
    """``frame`` for ``st.dataframe`` with its numbers written as the reader writes them:
    Vietnamese ``24,7`` and ``11.455``, English ``24.7`` and ``11,455`` (a pandas Styler: only the
    shown text changes, the table still sorts by value). Whole-number columns get no decimals,
    others as many as their values need (at most 2); missing values are blank."""
    decimal, thousands = NUMBER_SEPARATORS[lang]
    styler = frame.style
    for column in frame.select_dtypes("number").columns:
        values = frame[column].dropna().astype(float)
        digits = next((d for d in (0, 1) if ((values.round(d) - values).abs() < 1e-9).all()), 2)
        styler = styler.format(
            subset=[column], precision=digits, decimal=decimal, thousands=thousands, na_rep=""
        )
    return styler
