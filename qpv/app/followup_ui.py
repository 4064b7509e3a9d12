"""The Données page's follow-up part: which kind of file, its expected columns, and the rows an import writes."""

import pandas as pd
import streamlit as st

from qpv.importer.preview import DeclaredSource, ImportOptions
from qpv.store.followup_kinds import KIND_BY_CODE, KINDS

FIGURES = "chiffres"
CHOICES = {FIGURES: "Des chiffres d'indicateurs (observations)", **{kind.code: kind.label for kind in KINDS}}


def kind_choice() -> str | None:
    """Ask what the file holds; return a follow-up kind, or None for figures."""
    chosen = st.selectbox("Que contient le fichier ?", list(CHOICES), format_func=CHOICES.get, key="donnees_kind")
    if chosen == FIGURES:
        return None
    kind = KIND_BY_CODE[chosen]
    french = {}
    for alias, column in kind.aliases:
        french.setdefault(column, alias)
    required = [french.get(c, c) for c in kind.required()]
    optional = [french[c] for c in kind.columns() if c in french and c not in kind.required()]
    st.caption(f"{kind.hint[:1].upper()}{kind.hint[1:]}. Colonnes obligatoires : {', '.join(required)} ; "
               f"facultatives : {', '.join(dict.fromkeys(optional))}. Les noms de colonnes des fichiers de données "
               f"(`{'`, `'.join(kind.columns())}`) sont aussi acceptés. Une ligne sans `source_id` cite ce fichier "
               "et sa ligne, sous la source déclarée ci-dessous. Dates : AAAA-MM-JJ ou JJ/MM/AAAA.")
    return chosen


def followup_options(upload) -> ImportOptions:
    """Ask for the sheet of a workbook and the document the follow-up comes from (compte rendu de COPIL…)."""
    sheet = st.text_input("Feuille du classeur XLSX (vide : la première)",
                          disabled=not upload.name.lower().endswith(".xlsx"), key="donnees_followup_sheet") or None
    with st.expander("Source déclarée (obligatoire si une ligne n'a pas de source_id)", expanded=True):
        left, right = st.columns(2)
        source = DeclaredSource(
            title=left.text_input("Titre du document (compte rendu du COPIL du…)", key="donnees_followup_title"),
            publisher=right.text_input("Éditeur (CABBALR, bailleur…)", key="donnees_followup_publisher"),
            published=left.text_input("Date (AAAA-MM-JJ)", key="donnees_followup_date"),
            licence=right.text_input("Licence ou diffusion (document interne…)", key="donnees_followup_licence"),
        )
    return ImportOptions(sheet=sheet, source=source)


def show_rows(frame: pd.DataFrame) -> None:
    """Show the rows exactly as the import saves them."""
    st.caption("Les lignes ci-dessous sont exactement celles que l'import enregistre (codes et dates normalisés).")
    st.dataframe(frame, hide_index=True)
