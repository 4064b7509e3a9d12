"""TFPB et insertion: a landlord's TFPB abatement programme by axis and year, and insertion hours against targets."""

import streamlit as st

from qpv.app.db import run_query
from qpv.app.ui import chart_block, empty_state, page_header, show_reading_table, source_rows
from qpv.figures.programme import build_insertion, build_tfpb
from qpv.present.exports import Download
from qpv.present.fmt import format_value
from qpv.present.programme import (
    engaged_share,
    euros,
    given_words,
    has_amounts,
    insertion_words,
    shown_text,
    tfpb_given_totals,
)
from qpv.present.text import markdown_text

TFPB_FILE_HELP = (
    "Les montants viennent du fichier du bailleur, importé par la page **Données** (« Programme TFPB d'un "
    "bailleur ») ou `python -m qpv import FICHIER --suivi tfpb`, avec aperçu, historique et annulation : une "
    "ligne par action, par sous-total d'axe ou pour le total, colonnes `programme_id, year, axis_code, "
    "line_kind, label, planned, engaged, remaining` (ou programme, année, axe, type, libellé, prévu, engagé, "
    "reste). Chaque sous-total est comparé à la somme de ses lignes et le total à la somme des axes : un fichier "
    "qui ne tombe pas juste est refusé avec sa ligne et sa colonne, et rien n'est écrit."
)

selection = st.session_state["selection"]
page_header("TFPB et insertion", selection,
            "L'abattement de taxe foncière sur les propriétés bâties (TFPB) des bailleurs sociaux, axe par axe, "
            "et les heures d'insertion des habitants des quartiers sur les chantiers, face aux objectifs.")

st.header("Abattement de TFPB : programme d'actions par bailleur et par quartier")
axes = run_query("tfpb_by_axis")
axes = axes[axes["qpv_code"].isin(list(selection.qpv_names))]
if axes.empty:
    empty_state("Aucun programme TFPB n'est déclaré pour les quartiers de ce territoire.")
else:
    programmes = axes.drop_duplicates(["programme_id", "year"])
    labels = {(p, y): f"{landlord} — {qpv} ({code}) — {y}" for p, y, landlord, qpv, code in
              zip(programmes["programme_id"], programmes["year"], programmes["landlord"], programmes["qpv_name"],
                  programmes["qpv_code"], strict=True)}
    key = st.selectbox("Programme", list(labels), format_func=labels.get, key="tfpb_programme")
    rows = axes[(axes["programme_id"] == key[0]) & (axes["year"] == key[1])]
    first = rows.iloc[0]
    st.caption(f"Source : {markdown_text(first['programme_source'])} · {markdown_text(first['programme_note'])}")
    if has_amounts(rows):
        total = tfpb_given_totals(rows)
        cols = st.columns(3)
        cols[0].metric("Prévu", euros(total["planned"]))
        cols[1].metric("Engagé", euros(total["engaged"]), engaged_share(total["planned"], total["engaged"]) or None,
                       delta_color="off")
        cols[2].metric("Reste à engager", euros(total["remaining"]))
        st.caption(f"Totaux : {given_words(total)} ; un axe absent du fichier du bailleur reste « non renseigné », "
                   "jamais 0. Sous-totaux et total du fichier vérifiés à l'import.")
        refs = "; ".join(dict.fromkeys(r for r in rows["amount_refs"].dropna()))
        title = f"{first['landlord']} — {first['qpv_name']} : prévu et engagé par axe"
        fig = build_tfpb(rows, title=title,
                         subtitle=f"Année {key[1]} · montants en euros · Source : {refs.replace('|', ', ')}")
        chart_block(fig, rows[["axis_rank", "axis_label", "planned", "engaged", "remaining"]]
                    .rename(columns={"axis_rank": "Axe", "axis_label": "Libellé", "planned": "Prévu (€)",
                                     "engaged": "Engagé (€)", "remaining": "Reste à engager (€)"}),
                    key="tfpb", download=Download(title, selection.context(qpv_codes=[first["qpv_code"]]),
                                                  source_rows([first["programme_source"]])))
    else:
        empty_state("Aucun montant TFPB n'est encore chargé pour ce programme. Le tableau de l'annexe 2 de la "
                    "charte GUSP est trop endommagé par l'extraction pour en reprendre les montants (colonnes "
                    "décalées, sous-totaux qui ne donnent pas le total) : seuls la période, le bailleur et les "
                    "8 axes du cadre national sont repris.")
        st.markdown(TFPB_FILE_HELP)
    st.markdown("**Les 8 axes du cadre national, tels que le tableau les nomme**")
    axes = (rows.assign(label=[shown_text(t, s) for t, s in zip(rows["axis_label"], rows["label_state"], strict=True)])
            [["axis_rank", "label", "planned", "engaged", "remaining", "axis_note"]]
            .assign(planned=lambda f: f["planned"].map(euros), engaged=lambda f: f["engaged"].map(euros),
                    remaining=lambda f: f["remaining"].map(euros), axis_note=lambda f: f["axis_note"].fillna(""))
            .rename(columns={"axis_rank": "Axe", "label": "Libellé", "planned": "Prévu", "engaged": "Engagé",
                             "remaining": "Reste à engager", "axis_note": "Remarque"}))
    show_reading_table(axes, "Les 8 axes du cadre national")

st.header("Clauses d'insertion : heures travaillées par les habitants des quartiers")
targets = run_query("insertion_targets")
for target in targets.itertuples():
    st.markdown(f"- **{markdown_text(target.label)} : {format_value(target.share, '%', 0)}** des heures travaillées — "
                f"« {markdown_text(target.text)} » *({markdown_text(target.source_label)})*")
hours = run_query("insertion_progress")
hours = hours[hours["qpv_code"].isin(list(selection.qpv_names))]
if hours.empty:
    empty_state("Aucune heure d'insertion n'est encore chargée pour les quartiers de ce territoire. Elles "
                "viennent, opération par opération et année par année, d'un fichier importé par la page "
                "**Données** (« Heures d'insertion par opération et année ») ou `python -m qpv import FICHIER "
                "--suivi insertion` : colonnes `operation, territory_code, year, total_hours, insertion_hours` "
                "(ou opération, quartier, année, heures, heures_insertion).")
else:
    title = "Part des heures d'insertion par opération"
    fig = build_insertion(hours, targets, title=title,
                          subtitle=f"Source : {'; '.join(dict.fromkeys(hours['source_label']))}")
    chart_block(fig, hours.assign(Lecture=[insertion_words(s, targets) for s in hours["insertion_share"]]),
                key="insertion", download=Download(title, selection.context(all_qpv=True),
                                                   source_rows(list(dict.fromkeys(hours["source_label"])))))
