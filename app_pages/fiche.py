"""Fiche quartier: headline cards, job seekers, what the convention states, definitions and sources."""

import streamlit as st

from qpv.app.charts import comparison_rows_table, job_seekers_chart, rows_key
from qpv.app.db import per_version, run_query
from qpv.app.programme_ui import programme_section
from qpv.app.selection import focus_qpv, set_focus
from qpv.app.ui import (
    cards_html,
    chart_block,
    comparison_rows,
    empty_state,
    evolution_block,
    lazy_expander,
    no_figures,
    page_header,
    show_reading_table,
    source_rows,
)
from qpv.present.cards import headline_cards
from qpv.present.exports import Download, file_name
from qpv.present.seekers import job_seekers_caption
from qpv.present.statements import CUT_NOTE, section_statements
from qpv.present.text import caption_line, markdown_text
from qpv.reports.static import missing_components


def pdf_button(selection, code: str, name: str) -> None:
    """Offer the PDF fiche, or say in French why it cannot be made (never a button that fails silently)."""
    missing = missing_components()
    if missing:
        st.error(f"Fiche PDF indisponible : composant(s) manquant(s) ({', '.join(missing)}). "
                 "Un administrateur doit lancer bash scripts/setup.sh sur le serveur.", icon=":material/error:")
        return
    if not selection.period:
        st.caption("La fiche PDF sera proposée dès que des chiffres seront chargés pour ce territoire.")
        return

    def make() -> bytes:
        """Build the PDF on click (about a second)."""
        from qpv.reports.fiche import fiche_pdf
        from qpv.reports.fiche_inputs import load_fiche

        return fiche_pdf(load_fiche(run_query, code, period=selection.period, epci=selection.epci))

    st.download_button("Fiche en PDF (A4, avec sources)", make, icon=":material/picture_as_pdf:", on_click="ignore",
                       file_name=file_name(f"fiche-{name}-{code}-{selection.period}", "pdf"), mime="application/pdf")


def statements_markdown(code: str) -> list[tuple[str, str, str]]:
    """Return (section, label, markdown) per section the convention states of the quarter, once per store version."""
    def build() -> list[tuple[str, str, str]]:
        sections = []
        for (section, label), part in run_query("qpv_statements", qpv=code).groupby(["section", "section_label"],
                                                                                  sort=False):
            lines = []
            for item in section_statements(part):
                text, source = markdown_text(item.text), markdown_text(item.source)
                if item.heading:
                    lines.append(f"\n**{text}** {caption_line(f'({source})')}\n")
                else:
                    lines.append(f"- {text}  \n  {caption_line(source)}")
            sections.append((section, label, "\n".join(lines)))
        return sections

    return per_version("fiche_statements", (code,), build)


def statements_block(code: str) -> None:
    """Quote what the convention says of the quarter: its headings as headings, cut fragments marked.

    Each section's quotes are sent only while its expander is open (the irritants are open at first).
    """
    sections = statements_markdown(code)
    if not sections:
        return
    st.subheader("Ce que dit la convention")
    st.caption("Citations mot pour mot du contrat de ville, avec la ligne du document. « […] » marque un " + CUT_NOTE
               + ".")
    for section, label, markdown in sections:
        if (box := lazy_expander(label, key=f"fiche_{section}", expanded=section == "irritants")) is not None:
            box.markdown(markdown)


selection = st.session_state["selection"]
names = selection.qpv_names
page_header("Fiche quartier", selection)
if not names:
    empty_state("Ce territoire ne compte aucun quartier prioritaire.")
    st.stop()

current = focus_qpv(selection)
codes = list(names)
chosen = st.selectbox("Quartier", codes, index=codes.index(current) if current in codes else 0,
                      format_func=lambda code: f"{names[code]} ({code})", placeholder="Choisir un quartier",
                      help="Tapez une partie du nom ou du code pour filtrer la liste.")
if chosen != selection.focus:
    set_focus(chosen)
st.header(markdown_text(names[chosen]), divider="gray")
frame = comparison_rows(selection)
if frame.empty:
    no_figures(selection)
pdf_button(selection, chosen, names[chosen])

rows = frame[frame["qpv_code"] == chosen]
context = run_query("qpv_context", qpv=chosen)
if not context.empty:
    st.caption(f"Communes : {markdown_text(context['communes'].iloc[0])} · Code QPV : {markdown_text(chosen)}")

if not frame.empty:
    st.subheader("Les chiffres clés face à l'agglomération")
    if rows["value"].notna().any():  # the cards' HTML, once per store version and quarter
        st.html(per_version("fiche_cards", (selection.epci, selection.period, chosen),
                            lambda: cards_html(headline_cards(rows))))
    else:
        empty_state(f"Aucun chiffre n'est renseigné pour {markdown_text(names[chosen])} sur la période "
                    f"{selection.period} : "
                    "les valeurs de l'agglomération figurent sur la page Comparer.")

evolution_block(selection, [chosen, selection.epci], key="fiche_evolution", level=3)

seekers = run_query("job_seekers", qpv=chosen, period=selection.period or "")
if not seekers.empty:
    st.subheader("Les demandeurs d'emploi")
    title = f"Demandeurs d'emploi par sexe, âge et niveau de formation : {names[chosen]}"
    chart_block(
        *job_seekers_chart(seekers, chosen, selection.period or "", title, per_version(
            "seekers_caption", (selection.epci, selection.period, chosen),
            lambda: job_seekers_caption(seekers, rows, selection.period))), key="seekers", level=4,
        download=Download(title, selection.context(qpv_codes=[chosen]),
                          source_rows(seekers["source_label"].dropna().tolist())),
    )

programme_section(chosen, rows)

statements_block(chosen)

shown = rows[rows["value"].notna() | rows["epci_value"].notna()]
if not shown.empty:
    st.subheader("Définitions et sources des chiffres de cette fiche")
    show_reading_table(comparison_rows_table(shown)[["Indicateur", "Valeur", "Unité", "Statut", "Note", "Source",
                                                     "Source de la référence"]],
                       "Définitions et sources des chiffres", key=rows_key(shown))
    catalog = run_query("indicator_catalog")
    defined = catalog[catalog["indicator_id"].isin(shown["indicator_id"])]
    st.markdown("\n\n".join(f"**{markdown_text(label)}** ({markdown_text(unit)}) — {markdown_text(definition)}"
                              for label, unit, definition in zip(defined["label"], defined["unit"],
                                                                 defined["definition"], strict=True)))
