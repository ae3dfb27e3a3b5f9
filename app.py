"""ntm-geo — Streamlit front end. Widgets -> ntm_geo core -> display; heavy work is cached.

Run: ``streamlit run app.py``. When the app reruns (any widget change), the boundaries, the
joined year tables and the classifications come from caches; the folium base map is rebuilt
cheaply and only the commune layer (colours, legend) is swapped in the browser, so the map keeps
its zoom and does not flicker (see :mod:`ntm_geo.mapview`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from ntm_geo import boundaries as bnd
from ntm_geo.classify import SCHEMES, K_RANGE, scheme_label
from ntm_geo.criteria import CRITERION_COLUMNS, load_criteria
from ntm_geo.datasets import load_illustrative
from ntm_geo.errors import NtmGeoError
from ntm_geo.exports import table_csv_bytes
from ntm_geo.i18n import LANGUAGES, t
from ntm_geo.illustrative import ILLUSTRATIVE_NOTE_EN, ILLUSTRATIVE_NOTE_VI
from ntm_geo.profile import commune_profile
from ntm_geo.mapview import build_base_map, choropleth_layer, clicked_commune_code, district_outline_layer, legend_element
from ntm_geo.report_check import compare
from ntm_geo.themes import THEMES, VARIABLES, compute_view, join_dataset
from ntm_geo.webassets import install_leaflet

YEARS = (2015, 2011)
MAP_HEIGHT = 560

st.set_page_config(page_title="NTM Lạng Sơn", page_icon="🗺️", layout="wide")
st.markdown(  # static CSS only: less empty space above the map on a 768-pixel-high projector
    "<style>[data-testid='stMainBlockContainer'], .block-container {padding-top: 3.2rem; padding-bottom: 1rem}"
    " h3 {padding-top: 0.2rem}</style>",
    unsafe_allow_html=True,
)


# ---------------------------------------------------------------- cached core calls
@st.cache_resource(show_spinner=False)
def _boundaries() -> bnd.Boundaries:
    install_leaflet()  # idempotent: the map's scripts are served by this app, never a CDN
    return bnd.load_boundaries()


def get_boundaries(lang: str) -> bnd.Boundaries:
    """Boundaries from the cache; on the very first run, build them with a progress bar."""
    if not bnd.cache_is_fresh():
        bar = st.progress(0.0, text=t("loading_boundaries", lang))
        bnd.load_boundaries(progress=lambda fraction, message: bar.progress(fraction, text=message))
        bar.empty()
    return _boundaries()


@st.cache_resource(show_spinner=False)
def joined_table(year: int):
    """Web-simplified communes joined to the year's illustrative results (read-only, shared)."""
    return join_dataset(_boundaries().communes_web, load_illustrative(year))


@st.cache_data(show_spinner=False)
def view(year: int, variable_key: str, scheme: str, k: int, lang: str):
    return compute_view(joined_table(year), variable_key, scheme=scheme, k=k, lang=lang)


@st.cache_data(show_spinner=False)
def report_rows(year: int, lang: str) -> pd.DataFrame:
    rows = compare(load_illustrative(year), _boundaries().communes.drop(columns="geometry"), year)
    return pd.DataFrame(
        {
            t("figure", lang): [r.label_vi if lang == "vi" else r.label_en for r in rows],
            t("report_value", lang): [r.report_value for r in rows],
            t("computed_value", lang): [r.computed_value for r in rows],
            t("match", lang): ["✓" if r.ok else "✗" for r in rows],
        }
    )


# ---------------------------------------------------------------- sidebar (widgets)
lang = st.sidebar.radio(
    "Ngôn ngữ / Language", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="lang"
)
st.sidebar.title(t("app_title", lang))

try:
    boundaries = get_boundaries(lang)
except NtmGeoError as err:
    st.error(f"**{t('boundary_error', lang)}**\n\n{err.message(lang)}")
    st.stop()

year = st.sidebar.segmented_control(t("year", lang), YEARS, default=2015, key="year") or 2015
theme_key = st.sidebar.radio(
    t("theme", lang), list(THEMES), format_func=lambda k: THEMES[k].label(lang), key="theme"
)
theme = THEMES[theme_key]
if theme_key == "criteria":
    criteria = {c.code: c for c in load_criteria()}
    variable_key = st.sidebar.selectbox(
        t("criterion_view", lang),
        theme.variables,
        format_func=lambda k: t("all_criteria", lang) if k == "criteria_met" else VARIABLES[k].label(lang),
        key="variable_criteria",
    )
elif len(theme.variables) > 1:
    variable_key = st.sidebar.selectbox(
        t("variable", lang), theme.variables, format_func=lambda k: VARIABLES[k].label(lang), key=f"variable_{theme_key}"
    )
else:
    variable_key = theme.variables[0]
variable = VARIABLES[variable_key]

scheme, k = "natural_breaks", 5
if variable.kind == "scheme":
    scheme = st.sidebar.selectbox(
        t("scheme", lang), list(SCHEMES), format_func=lambda s: scheme_label(s, lang), key="scheme"
    )
    k = st.sidebar.select_slider(t("k", lang), options=list(K_RANGE), value=5, key="k")

districts = boundaries.districts_web
district_codes = ["", *districts["district_code"]]
district_names = dict(zip(districts["district_code"], districts["district_name"], strict=True))
district = st.sidebar.selectbox(
    t("district", lang), district_codes,
    format_func=lambda c: district_names.get(c, t("all_districts", lang)), key="district",
)
tiles = st.sidebar.toggle(t("tiles", lang), value=False, key="tiles")

# ---------------------------------------------------------------- core
dataset_note = ILLUSTRATIVE_NOTE_VI if lang == "vi" else ILLUSTRATIVE_NOTE_EN
source_label = "Dữ liệu minh họa" if lang == "vi" else "Illustrative data"
table = joined_table(year)
try:
    result = view(year, variable_key, scheme, k, lang)
except NtmGeoError as err:
    st.error(err.message(lang))
    st.stop()

classification = result.classification
title = t("map_title", lang, variable=variable.label(lang), year=year, source=source_label)

# ---------------------------------------------------------------- display
st.markdown(f"#### {title}")
st.warning(dataset_note, icon="⚠️")
if classification.note_vi:
    st.info(classification.note_vi if lang == "vi" else classification.note_en)

layer_gdf = table[["commune_code", "name_with_type", "district_name", "geometry"]].copy()
layer_gdf["fill"] = list(result.fills)
layer_gdf["value"] = list(result.display_values)
in_district = set(table.loc[table["district_code"] == district, "commune_code"]) if district else set()
dimmed = set(table["commune_code"]) - in_district if district else set()
selected = st.session_state.get("selected_commune")

fg = choropleth_layer(
    layer_gdf,
    tooltip_columns=[
        ("name_with_type", t("tooltip_commune", lang)),
        ("district_name", t("tooltip_district", lang)),
        ("value", variable.label(lang)),
    ],
    name="communes",
    dimmed_codes=dimmed,
    highlight_codes={selected} if selected else set(),
)
unit = f" ({variable.unit_vi if lang == 'vi' else variable.unit_en})" if variable.unit_vi else ""
legend_note = f"{year} · {source_label}"
if variable.kind == "scheme":
    legend_note += f" · {scheme_label(scheme, lang)}"
fg.add_child(
    legend_element(f"{variable.label(lang)}{unit}", classification.legend_entries(lang), note=legend_note, font_px=15)
)
outlines = district_outline_layer(districts, name="districts")

# Leaflet fits the bounds to the real map size (unknown here). A district change re-creates the
# map with that district's bounds; colour changes only swap the layer (zoom and pan kept).
if district:
    bounds = tuple(districts.loc[districts["district_code"] == district].total_bounds)
else:
    bounds = tuple(boundaries.communes_web.total_bounds)
base = build_base_map(bounds, tiles="openstreetmap" if tiles else None)

if True:  # the map takes the full width; the commune profile sits under it
    returned = st_folium(
        base,
        feature_group_to_add=[fg, outlines],
        key="map",
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
    )
    st.caption(t("source_line", lang) + " " + ("" if tiles else t("no_tiles_note", lang)))

clicked = clicked_commune_code(returned)
if clicked and clicked != st.session_state.get("last_clicked"):
    st.session_state["last_clicked"] = clicked
    st.session_state["selected_commune"] = clicked
    st.rerun()

# ---------------------------------------------------------------- commune profile
profile_col, details_col = st.columns([1, 1], gap="large")
with profile_col:
    st.subheader(t("profile", lang))
    names = dict(zip(table["commune_code"], table["name_with_type"] + " — " + table["district_name"], strict=True))
    options = ["", *sorted(names, key=names.get)]
    current = st.session_state.get("selected_commune") or ""
    pick = st.selectbox(
        t("pick_commune", lang), options, index=options.index(current) if current in options else 0,
        format_func=lambda c: names.get(c, t("none", lang)),
    )
    if pick != current:
        st.session_state["selected_commune"] = pick or None
        st.rerun()
    if not pick:
        st.caption(t("profile_hint", lang))
    else:
        profile = commune_profile(table.loc[table["commune_code"] == pick].iloc[0], lang)
        st.markdown(profile.header_md)
        st.markdown(profile.facts_md)
        if not profile.assessed:
            st.info(t("not_assessed_unit", lang))
        elif profile.criteria_met is not None:
            done = f" — {t('meets_standard', lang)} ✅" if profile.meets_standard else ""
            st.markdown(f"**{t('criteria_met_of', lang, n=profile.criteria_met)}**{done}")
        if profile.criteria is not None:
            st.dataframe(profile.criteria, hide_index=True, width="stretch", height=38 + 35 * 19)
if pick:
    with details_col:
        st.subheader(t("indicators", lang))
        st.dataframe(profile.indicators, hide_index=True, width="stretch")
        st.caption(f"{source_label}: {dataset_note}")

# ---------------------------------------------------------------- report comparison, table
with st.expander(t("report_check", lang) + f" — {year}", expanded=False):
    st.caption(t("report_check_intro", lang))
    check = report_rows(year, lang)
    bad = int((check[t("match", lang)] == "✗").sum())
    (st.success if bad == 0 else st.error)(
        t("report_all_ok", lang, n=len(check)) if bad == 0 else t("report_some_differ", lang, bad=bad, n=len(check))
    )
    st.dataframe(check, hide_index=True, width="stretch")

with st.expander(t("table", lang), expanded=False):
    shown = table.drop(columns="geometry")
    shown = shown[["commune_code", "name_with_type", "district_name", "unit_type", "population_2009", "area_km2",
                   *[c for c in ("criteria_met", "infra_criteria_met", "poverty_rate_pct", "road_hardened_pct",
                                 "electricity_hh_pct", "irrigated_cropland_pct", "hygienic_water_hh_pct",
                                 "car_access_all_season", *CRITERION_COLUMNS) if c in shown.columns]]]
    shown = shown.assign(**{variable.label(lang): list(result.display_values)})
    st.caption(f"{source_label}: {dataset_note}")
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button(
        t("download_csv", lang),
        data=table_csv_bytes(shown, note=f"{source_label}: {dataset_note}"),
        file_name=f"ntm_lang_son_{year}_{variable_key}.csv",
        mime="text/csv",
    )
