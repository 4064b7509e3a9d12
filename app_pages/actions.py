"""Suivi des actions: the GUSP roadmap of a QPV as a timeline, filters, and each action's fiche."""

import streamlit as st

from qpv.app.charts import roadmap_frise
from qpv.app.db import run_query
from qpv.app.programme_ui import (
    filter_actions,
    show_commitments,
    show_fiche,
    show_reading_notes,
    show_theme_items,
    today,
)
from qpv.app.selection import focus_qpv
from qpv.app.ui import empty_state, html_figure_block, lazy_expander, page_header, source_rows
from qpv.present.exports import Download
from qpv.present.programme import TIMELINE_YEARS
from qpv.present.text import markdown_text

selection = st.session_state["selection"]
page_header("Suivi des actions", selection,
            "La feuille de route GUSP de chaque quartier : les actions par thématique et par année, leur statut, "
            "et la fiche de chaque action. Chaque texte cite la charte GUSP de 2023 et sa ligne.")

every = run_query("qpv_actions", qpv_codes=list(selection.qpv_names), as_of=today())
if every.empty:
    empty_state("Aucune action n'est inscrite pour les quartiers de ce territoire. Les feuilles de route livrées "
                "sont celles de la charte GUSP de la CA de Béthune-Bruay (Mont Liébaut et Le Centre).")
    st.stop()
with_actions = list(dict.fromkeys(every["qpv_code"]))
current = focus_qpv(selection)
chosen = st.selectbox("Quartier", with_actions, key="actions_qpv",
                      index=with_actions.index(current) if current in with_actions else 0,
                      format_func=lambda code: f"{selection.qpv_names.get(code, code)} ({code})")
actions = every[every["qpv_code"] == chosen]
shown = filter_actions(actions, key="actions")
name = selection.qpv_names.get(chosen, chosen)
themes = run_query("gusp_themes")

st.header(f"La feuille de route de {markdown_text(name)}")
if shown.empty:
    empty_state("Aucune action ne correspond à ces filtres.")
else:
    sources = list(dict.fromkeys(shown["source_label"]))
    numbers = sorted(int(label.rsplit(" ", 1)[-1]) for label in sources)
    title = f"{name} : actions GUSP par thématique et par année"
    frise, table = roadmap_frise(shown, themes, title)
    html_figure_block(frise, table, key="timeline",
                      subtitle=f"{len(shown)} action(s) · années {TIMELINE_YEARS[0]}-{TIMELINE_YEARS[-1]} · statut au "
                               f"{today()[8:]}/{today()[5:7]}/{today()[:4]} · Source : charte GUSP CABBALR (2023), "
                               f"feuille de route de {shown['commune'].iloc[0]}, lignes {numbers[0]} à {numbers[-1]}",
                      download=Download(title, selection.context(qpv_codes=[chosen]), source_rows(sources)))
    st.caption("Année : colonne de la feuille de route où l'extraction place l'action ; une action qui s'étend "
               "sur plusieurs années ne peut pas se voir dans l'extraction.")

    st.header("Fiche d'une action")
    ids = list(shown["action_id"])
    titles = dict(zip(shown["action_id"], shown["title"], strict=True))
    with_fiche = list(shown[shown["has_fiche"]]["action_id"])
    picked = st.selectbox("Action", ids, key="actions_pick", index=ids.index(with_fiche[0]) if with_fiche else 0,
                          format_func=lambda i: f"{titles[i]}{' (fiche action)' if i in with_fiche else ''}")
    show_fiche(shown[shown["action_id"] == picked].iloc[0])

st.header("Les thématiques, les partenaires et les remarques de lecture")
for label, key, show in (("Les six fiches thématiques de la charte (annexe 3)", "themes", show_theme_items),
                         ("Les signataires et leurs engagements", "partners", show_commitments),
                         ("Remarques de lecture des documents", "notes", show_reading_notes)):
    if (box := lazy_expander(label, key=f"actions_{key}")) is not None:  # long texts: sent once opened
        with box:
            show()
