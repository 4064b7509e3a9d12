"""Fiche quartier: headline cards, job seekers, what the convention states, definitions and sources."""

import streamlit as st

from qpv.app.db import run_query
from qpv.app.programme_ui import programme_section
from qpv.app.selection import focus_qpv, set_focus
from qpv.app.ui import chart_block, empty_state, evolution_block, page_header, render_cards
from qpv.figures.jobseekers import build_job_seekers
from qpv.present.cards import headline_cards
from qpv.present.fmt import format_int
from qpv.present.tables import comparison_table, job_seekers_table
from qpv.present.text import html_text, markdown_text
from qpv.reports.fiche import fiche_pdf
from qpv.reports.inputs import load_fiche

selection = st.session_state["selection"]
names = selection.qpv_names
if not names:
    page_header("Fiche quartier", selection)
    empty_state("Ce territoire ne compte aucun quartier prioritaire.")
    st.stop()

page_header("Fiche quartier", selection)
current = focus_qpv(selection)
codes = list(names)
chosen = st.selectbox("Quartier", codes, index=codes.index(current) if current in codes else 0,
                      format_func=lambda code: f"{names[code]} ({code})")
if chosen != selection.focus:
    set_focus(chosen)
st.header(names[chosen], divider="gray")
st.download_button(
    "Fiche en PDF (A4, avec sources)", icon=":material/picture_as_pdf:", on_click="ignore",
    data=lambda: fiche_pdf(load_fiche(run_query, chosen, period=selection.period, epci=selection.epci)),
    file_name=f"fiche-{chosen}-{selection.period}.pdf", mime="application/pdf",
)

frame = run_query("qpv_comparison", epci=selection.epci, period=selection.period)
rows = frame[frame["qpv_code"] == chosen]
if not rows.empty:
    st.caption(f"Communes : {markdown_text(rows['communes'].iloc[0])} · Code QPV : {markdown_text(chosen)}")

st.subheader("Les chiffres clés face à l'agglomération")
cards = headline_cards(rows)
if rows["value"].notna().any():
    render_cards(cards)
else:
    empty_state(f"Aucun chiffre n'est renseigné pour {names[chosen]} sur la période {selection.period} : "
                "les valeurs de l'agglomération figurent sur la page Comparer.")

if selection.indicator:
    series = run_query("indicator_series", indicator=selection.indicator, codes=[chosen, selection.epci])
    evolution_block(selection, series, key="fiche_evolution")

seekers = run_query("job_seekers", qpv=chosen, period=selection.period)
if not seekers.empty:
    st.subheader("Les demandeurs d'emploi")
    total = seekers["total_count"].dropna()
    source = "; ".join(dict.fromkeys(seekers["source_label"].dropna()))
    total_text = f"{format_int(total.iloc[0])} inscrits · " if not total.empty else ""
    chart_block(
        build_job_seekers(seekers, title="Demandeurs d'emploi par sexe, âge et niveau de formation",
                          subtitle=f"{total_text}Période {selection.period} · Source : {html_text(source)} · "
                                   "hachuré : effectif ou part calculé à partir du total"),
        job_seekers_table(seekers), selection=selection, sources=seekers["source_label"].tolist(), key="seekers",
    )

programme_section(chosen, rows)

statements = run_query("qpv_statements", qpv=chosen)
if not statements.empty:
    st.subheader("Ce que dit la convention")
    for (section, label), part in statements.groupby(["section", "section_label"], sort=False):
        with st.expander(label, expanded=section == "irritants"):
            for text, source in zip(part["text"], part["source_label"], strict=True):
                st.markdown(f"- {markdown_text(text)}  \n  <small>{html_text(source)}</small>", unsafe_allow_html=True)

st.subheader("Définitions et sources des chiffres de cette fiche")
shown = rows[rows["value"].notna() | rows["epci_value"].notna()]
st.dataframe(comparison_table(shown)[["Indicateur", "Valeur affichée", "Source", "Source de la référence"]],
             hide_index=True)
catalog = run_query("indicator_catalog")
for _, row in catalog[catalog["indicator_id"].isin(shown["indicator_id"])].iterrows():
    label, unit, definition = (markdown_text(row[c]) for c in ("label", "unit", "definition"))
    st.markdown(f"**{label}** ({unit}) — {definition}")
