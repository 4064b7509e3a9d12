"""Sources et définitions: the indicator catalogue, every source, the data of the selection."""

import streamlit as st

from qpv.app.db import run_query
from qpv.app.ui import (
    comparison_rows,
    no_figures,
    page_header,
    show_reading_table,
    source_rows,
    table_and_downloads,
)
from qpv.present.compare import GAP_UNITS, VERDICTS
from qpv.present.exports import Download
from qpv.present.fmt import format_date
from qpv.present.tables import cited_labels, comparison_table

selection = st.session_state["selection"]
page_header("Sources et définitions", selection,
            "Chaque chiffre du tableau de bord cite son document source et la ligne où il figure. "
            "Une valeur absente est affichée « non renseigné », jamais 0.")

st.header("Les indicateurs")
catalog = run_query("indicator_catalog")
catalog_table = catalog[["label", "unit", "theme", "direction_label", "definition", "periods", "qpv_count", "sources"]]
show_reading_table(catalog_table.rename(columns={
    "label": "Indicateur", "unit": "Unité", "theme": "Thème", "direction_label": "Sens", "definition": "Définition",
    "periods": "Périodes", "qpv_count": "QPV renseignés", "sources": "Sources"}), "Les indicateurs", key=())

st.header("La règle de comparaison")
st.markdown(
    "Partout (cartes de chiffres, graphiques, carte, diapositives, PDF, téléchargements), un chiffre de quartier "
    "est comparé à la valeur de l'agglomération par la même règle : l'écart est compté en **points** pour une "
    "part (%), en **points d'indice** pour un indice, en **euros** pour un montant ; jamais en « fois la "
    "moyenne ». ▲ signale une valeur au-dessus de l'agglomération, ▼ au-dessous ; le mot dit si c'est "
    f"**{VERDICTS['favourable'].word}** ou **{VERDICTS['unfavourable'].word}** selon le sens de l'indicateur, "
    f"**{VERDICTS['near'].word}** quand l'écart arrondi est de "
    f"{GAP_UNITS['%'].rule} ({GAP_UNITS['indice'].rule} pour un indice, {GAP_UNITS['€'].rule} pour un montant), "
    "et un indicateur sans sens favorable (descriptif) n'est jamais jugé.")

st.header("Les sources")
sources = run_query("source_catalog").assign(published=lambda f: f["published"].map(format_date))
show_reading_table(
    sources[["title", "publisher", "published", "licence", "period_note", "observation_count", "location", "note"]]
    .rename(columns={"title": "Document", "publisher": "Éditeur", "published": "Date", "licence": "Licence",
                     "period_note": "Période", "observation_count": "Chiffres repris", "location": "Emplacement",
                     "note": "Remarque"}), "Les sources", key=(),
)

st.header("Les données de la sélection")
frame = comparison_rows(selection)
if frame.empty:
    no_figures(selection)
    st.stop()
chosen = frame[frame["qpv_code"].isin(selection.qpv_codes)]
st.caption("Les quartiers choisis dans le panneau de gauche, pour chaque indicateur de la période "
           f"{selection.period}. Le fichier XLSX ajoute une feuille « Sources et sélection ».")
table_and_downloads(lambda: comparison_table(chosen),
                    Download("Données de la sélection, tous les indicateurs", selection.context(),
                             source_rows(cited_labels(chosen))),
                    key="selection", label="Tableau des données de la sélection et téléchargements", screen=True)
