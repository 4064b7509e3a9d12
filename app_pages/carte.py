"""Carte: the QPV of the territory coloured by the indicator or by the gap to the agglomeration."""

import streamlit as st

from qpv.app.config import map_tiles
from qpv.app.db import run_query
from qpv.app.selection import set_focus
from qpv.app.ui import chart_block, empty_state, page_header
from qpv.figures.geojson import to_feature_collection
from qpv.figures.map import build_map
from qpv.figures.style import wrap
from qpv.present.fmt import format_value, status_label
from qpv.present.notices import missing_contours, territory_without_contours
from qpv.present.tables import comparison_table, map_values, sources_summary
from qpv.present.text import html_text, markdown_text

MODES = {"value": "Valeur de l'indicateur", "gap": "Écart à l'agglomération"}

selection = st.session_state["selection"]
page_header("Carte des quartiers", selection)
shapes = run_query("map_shapes", epci=selection.epci)
if shapes.empty:
    status = run_query("store_status").iloc[0]
    empty_state(missing_contours() if not status["has_qpv_contours"] else
                territory_without_contours(selection.epci_name))
    st.stop()

frame = run_query("qpv_comparison", epci=selection.epci, period=selection.period)
current = frame[frame["indicator_id"] == selection.indicator]
reference = current["epci_value"].dropna()
mode = st.segmented_control("Colorer selon", list(MODES), format_func=MODES.get,
                            default="gap" if not reference.empty else "value", key="map_mode") or "value"
if current.empty:
    empty_state("Aucun chiffre n'est chargé pour ce territoire : les quartiers sont dessinés sans couleur.")
label = current["label"].iloc[0] if not current.empty else "Quartiers prioritaires"
unit = current["unit"].iloc[0] if not current.empty else "nombre"
if mode == "gap" and reference.empty:
    st.warning("L'agglomération n'a pas de valeur pour cet indicateur : la carte montre les valeurs.")
    mode = "value"
tiles, attribution = map_tiles()
fig = build_map(
    to_feature_collection(shapes[shapes["kind"] == "qpv"]),
    to_feature_collection(shapes[shapes["kind"] == "commune"]),
    map_values(current), unit=unit, mode=mode,
    direction=current["direction"].iloc[0] if not current.empty else "none",
    reference=reference.iloc[0] if not reference.empty else None,
    reference_label=selection.epci_name, period=selection.period or "", indicator_label=label,
    title=wrap(f"{label} : {MODES[mode].lower()}" if not current.empty else label, 60),
    subtitle=wrap(f"Période {selection.period} · Source : {html_text(sources_summary(current))} · contours ANCT 2024"
                  if not current.empty else "Contours ANCT 2024", 90),
    width_hint=560,
    highlight=selection.focus, tiles=tiles, tiles_attribution=attribution,
)
event = chart_block(fig, comparison_table(current), selection=selection,
                    sources=current["source_label"].dropna().tolist() + current["epci_source_label"].dropna().tolist(),
                    key="map", on_select="rerun")
st.caption("Cliquez sur un quartier pour ouvrir sa fiche.")
points = (event or {}).get("selection", {}).get("points", []) if event else []
clicked = [point.get("customdata") or point.get("location") for point in points]
clicked = [code[0] if isinstance(code, list) else code for code in clicked if code]
if clicked and clicked[0] in selection.qpv_names:
    set_focus(clicked[0])
    st.switch_page("app_pages/fiche.py")

missing = current[current["value"].isna()]
if not missing.empty:
    with st.expander(f"Quartiers sans chiffre pour cet indicateur ({len(missing)})"):
        st.markdown("\n".join(f"- {markdown_text(name)} : {status_label(status)}"
                              for name, status in zip(missing["qpv_name"], missing["status"], strict=True)))
if not reference.empty:
    st.caption(f"Moyenne de l'agglomération : {format_value(reference.iloc[0], unit)}.")
