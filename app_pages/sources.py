"""Sources et définitions: the indicator catalogue, every source, the data of the selection."""

import streamlit as st

from qpv.app.db import run_query
from qpv.app.ui import number_columns, page_header
from qpv.present.exports import table_csv
from qpv.present.tables import comparison_table
from qpv.present.text import markdown_text

selection = st.session_state["selection"]
page_header("Sources et définitions", selection,
            "Chaque chiffre du tableau de bord cite son document source et la ligne où il figure. "
            "Une valeur absente est affichée « non renseigné », jamais 0.")

st.subheader("Les indicateurs")
catalog = run_query("indicator_catalog")
st.dataframe(
    catalog[["label", "unit", "theme", "direction_label", "definition", "periods", "qpv_count", "sources"]]
    .rename(columns={"label": "Indicateur", "unit": "Unité", "theme": "Thème", "direction_label": "Sens",
                      "definition": "Définition", "periods": "Périodes", "qpv_count": "QPV renseignés",
                      "sources": "Sources"}),
    hide_index=True,
)

st.subheader("Les sources")
sources = run_query("source_catalog")
st.dataframe(
    sources[["title", "publisher", "published", "licence", "period_note", "observation_count", "location", "note"]]
    .rename(columns={"title": "Document", "publisher": "Éditeur", "published": "Date", "licence": "Licence",
                     "period_note": "Période", "observation_count": "Chiffres repris", "location": "Emplacement",
                     "note": "Remarque"}),
    hide_index=True,
)

st.subheader("Les données de la sélection")
frame = run_query("qpv_comparison", epci=selection.epci, period=selection.period)
chosen = frame[frame["qpv_code"].isin(selection.qpv_codes)]
table = comparison_table(chosen)
st.caption(markdown_text(selection.describe()))
st.dataframe(table, hide_index=True, column_config=number_columns(table))
st.download_button(
    "Télécharger les données de la sélection (CSV)",
    table_csv(table, selection=selection.describe(),
              sources=chosen["source_label"].dropna().tolist() + chosen["epci_source_label"].dropna().tolist()),
    file_name="selection-observatoire-quartiers.csv", mime="text/csv", icon=":material/download:",
)
