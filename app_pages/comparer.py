"""Comparer: each selected QPV against the agglomeration (and commune), indicator by indicator."""

import streamlit as st

from qpv.app.db import run_query
from qpv.app.ui import chart_block, empty_state, evolution_block, number_columns, page_header
from qpv.figures.compare import build_comparison, build_strip
from qpv.present.tables import comparison_table, sources_summary
from qpv.present.text import html_text

selection = st.session_state["selection"]
page_header("Comparer les quartiers à l'agglomération", selection)
frame = run_query("qpv_comparison", epci=selection.epci, period=selection.period)

if frame.empty:
    empty_state("Aucun chiffre n'est encore chargé pour ce territoire et cette période.")
    st.stop()

current = frame[frame["indicator_id"] == selection.indicator]
if not current.empty:
    label = current["label"].iloc[0]
    st.subheader("Tous les quartiers du territoire")
    chart_block(
        build_strip(current, list(selection.qpv_codes), title=f"{label} : tous les QPV du territoire",
                    subtitle=f"Période {selection.period} · {html_text(current['epci_name'].iloc[0])} en trait "
                             f"pointillé · Source : {html_text(sources_summary(current))}"),
        comparison_table(current), selection=selection,
        sources=current["source_label"].dropna().tolist() + current["epci_source_label"].dropna().tolist(),
        key="strip",
    )

if selection.indicator and selection.qpv_codes:
    series = run_query("indicator_series", indicator=selection.indicator, codes=[*selection.qpv_codes, selection.epci])
    evolution_block(selection, series, key="evolution")

st.subheader("Quartiers sélectionnés, indicateur par indicateur")
chosen = frame[frame["qpv_code"].isin(selection.qpv_codes)]
if chosen.empty:
    empty_state("Choisissez un ou plusieurs quartiers dans le panneau de gauche.")
    st.stop()

table = comparison_table(chosen)
st.dataframe(table, hide_index=True, column_config=number_columns(table))

columns = st.columns(2)
for index, (indicator_id, part) in enumerate(chosen.groupby("indicator_id", sort=False)):
    sources = part["source_label"].dropna().tolist() + part["epci_source_label"].dropna().tolist()
    with columns[index % 2]:
        chart_block(
            build_comparison(part, title=part["label"].iloc[0],
                             subtitle=f"Période {selection.period} · Source : {html_text(sources_summary(part))}"),
            comparison_table(part), selection=selection, sources=sources, key=f"cmp_{indicator_id}",
        )
