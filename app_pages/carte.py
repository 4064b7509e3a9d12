"""Carte: the QPV of the territory coloured by the indicator or by the gap to the agglomeration."""

import hashlib

import pandas as pd
import streamlit as st

from qpv.app.charts import comparison_rows_table
from qpv.app.config import map_tiles
from qpv.app.db import per_version, run_query, store_version
from qpv.app.map_component import map_block
from qpv.app.selection import linked_choice, set_focus
from qpv.app.ui import comparison_rows, empty_state, no_figures, page_header, source_rows
from qpv.figures.geojson import to_feature_collection
from qpv.figures.map_view import map_kept, map_paint
from qpv.present.exports import Download
from qpv.present.fmt import format_value, status_label
from qpv.present.names import with_display_names
from qpv.present.notices import missing_contours, territory_without_contours
from qpv.present.tables import cited_labels, map_values, sources_summary
from qpv.present.text import markdown_text

MODES = {"valeur": "Valeur de l'indicateur", "ecart": "Écart à l'agglomération"}
BUILDER_MODE = {"valeur": "value", "ecart": "gap"}
URL_KEY = "couleur"


def chosen_mode(has_reference: bool) -> str:
    """Read the colouring mode from the widget, else the link; the link keeps it (it is part of the permalink)."""
    default = "ecart" if has_reference else "valeur"
    mode = linked_choice("Colorer selon", MODES, key="map_mode", url_key=URL_KEY, default=default,
                         unknown="Coloration « {value} » inconnue : la carte est colorée selon "
                                 f"{'l’écart à l’agglomération' if has_reference else 'la valeur'}.")
    if mode == "ecart" and not has_reference:
        st.info("L'agglomération n'a pas de valeur pour cet indicateur : la carte montre les valeurs.",
                icon=":material/info:")
        mode = "valeur"
        st.query_params[URL_KEY] = mode  # the link says what is shown; linked_choice wrote the rest
    return mode


def outlines(epci: str) -> tuple[dict, dict]:
    """Return the QPV and commune outlines of a territory (FeatureCollections), made once per store version."""
    def make() -> tuple[dict, dict]:
        shapes = run_query("map_shapes", epci=epci)
        return (to_feature_collection(shapes[shapes["kind"] == "qpv"]),
                to_feature_collection(shapes[shapes["kind"] == "commune"]))

    return per_version("map_outlines", (epci,), make)


def qpv_list(selection) -> pd.DataFrame:
    """List the QPV of the territory (the text alternative of a map without figures)."""
    members = with_display_names(run_query("epci_qpv", epci=selection.epci))
    return pd.DataFrame({"Quartier": members["qpv_name"], "Code QPV": members["qpv_code"],
                         "Communes": members["communes"], "Nom officiel": members["official_name"]})


selection = st.session_state["selection"]
page_header("Carte des quartiers", selection)
frame = comparison_rows(selection)
if frame.empty:
    no_figures(selection)
qpv_shapes, commune_shapes = outlines(selection.epci)
if not qpv_shapes["features"] and not commune_shapes["features"]:
    status = run_query("store_status").iloc[0]
    empty_state(missing_contours() if not status["has_qpv_contours"] else
                territory_without_contours(markdown_text(selection.epci_name)))
    st.stop()

current = frame[frame["indicator_id"] == selection.indicator]
reference = current["epci_value"].dropna()
# The colouring control and its messages vary with the indicator: one container holds them, so the map below
# keeps its place in the page, hence its frame and the outlines it keeps (a shifted element is a new frame).
with st.container():
    mode = chosen_mode(not reference.empty) if not current.empty else "valeur"
label = current["label"].iloc[0] if not current.empty else "Quartiers prioritaires"
unit = current["unit"].iloc[0] if not current.empty else "nombre"
title = (f"{label} : {MODES[mode].lower()}" if not current.empty
         else f"Les quartiers prioritaires de {selection.epci_name}")
subtitle = (f"Période {selection.period} · Source : {sources_summary(current)} · contours ANCT 2024"
            if not current.empty else "Contours ANCT 2024 · aucun chiffre chargé : les quartiers sont dessinés sans "
                                      "couleur")
tiles, attribution = map_tiles()
paint = map_paint(
    qpv_shapes, map_values(current), unit=unit, mode=BUILDER_MODE[mode],
    direction=current["direction"].iloc[0] if not current.empty else "none",
    reference=reference.iloc[0] if not reference.empty else None,
    reference_label=selection.epci_name, period=selection.period or "", indicator_label=label,
    highlight=selection.focus,
)
# Made only while its expander is open (a closed one costs a rerun nothing); kept per rows.
table = (lambda: comparison_rows_table(current)) if not current.empty else (lambda: qpv_list(selection))
download = Download(title, selection.context(indicator=label if not current.empty else None, all_qpv=True),
                    source_rows(cited_labels(current)))
# The map keeps its outlines in the browser: they are sent again only for a new store, territory or tiles.
kept_key = "|".join(map(str, (store_version(), selection.epci, tiles, attribution)))
clicked = map_block(lambda: map_kept(qpv_shapes, commune_shapes, tiles=tiles, tiles_attribution=attribution),
                    paint, table, title=title, subtitle=subtitle, download=download, key="map", level=2,
                    kept_id=hashlib.sha256(kept_key.encode()).hexdigest()[:16])
st.caption("Cliquez sur un quartier pour ouvrir sa fiche. Le tableau sous la carte donne les mêmes chiffres.")
if clicked in selection.qpv_names:
    set_focus(clicked)
    st.switch_page("app_pages/fiche.py")

missing = current[current["value"].isna()]
if not missing.empty:
    with st.expander(f"Quartiers sans chiffre pour cet indicateur ({len(missing)})"):
        st.markdown("\n".join(f"- {markdown_text(name)} : {status_label(status)}"
                              for name, status in zip(missing["qpv_name"], missing["status"], strict=True)))
if not reference.empty:
    st.caption(f"Moyenne de l'agglomération : {format_value(reference.iloc[0], unit)}.")
