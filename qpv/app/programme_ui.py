"""Streamlit pieces of the programme: filters, an action's fiche, the objectives and actions of a QPV."""

from datetime import date

import pandas as pd
import streamlit as st

from qpv.app.db import per_version, run_query
from qpv.app.ui import empty_state, lazy_expander
from qpv.present.fmt import MISSING
from qpv.present.programme import (
    action_fiche_markdown,
    actions_words,
    cite_lines,
    indicator_progress,
    objective_line,
    objective_tree,
    status_label,
)
from qpv.present.tables import markdown_table
from qpv.present.text import caption_line, markdown_text


def today() -> str:
    """Return today's date as the queries take it."""
    return date.today().isoformat()


def _options(actions: pd.DataFrame, column: str) -> list[str]:
    """List the distinct names of a list column (partners, pilots)."""
    return sorted({name for names in actions[column] for name in names})


def filter_actions(actions: pd.DataFrame, key: str) -> pd.DataFrame:
    """Draw the filters (theme, partner, pilot, status, year) and return the actions they keep."""
    # One horizontal block that wraps on a phone, not five columns: fewer elements to redraw on every rerun.
    row = st.container(horizontal=True)
    themes = row.multiselect("Thématique", sorted(actions["theme_label"].unique()), key=f"{key}_theme",
                             placeholder="Toutes")
    partners = row.multiselect("Partenaire", _options(actions, "partners"), key=f"{key}_partner",
                               placeholder="Tous")
    pilots = row.multiselect("Pilote", _options(actions, "pilots"), key=f"{key}_pilot", placeholder="Tous")
    labels = actions["status"].map(status_label)
    statuses = row.multiselect("Statut", sorted(labels.unique()), key=f"{key}_status", placeholder="Tous")
    years = row.multiselect("Année", sorted(actions["year"].dropna().astype(int).unique()), key=f"{key}_year",
                            placeholder="Toutes")
    keep = pd.Series(True, index=actions.index)
    if themes:
        keep &= actions["theme_label"].isin(themes)
    if partners:
        keep &= actions["partners"].map(lambda names: bool(set(names) & set(partners)))
    if pilots:
        keep &= actions["pilots"].map(lambda names: bool(set(names) & set(pilots)))
    if statuses:
        keep &= labels.isin(statuses)
    if years:
        keep &= actions["year"].isin(years)
    if partners or pilots:
        st.caption("Partenaires et pilotes ne sont connus que pour les actions dotées d'une fiche action.")
    return actions[keep]


def show_fiche(action: pd.Series) -> None:
    """Show an action's fiche: every field of the fiche type, its status history, its indicators against targets.

    Two markdown elements (about twenty before), written once per store version, action and day: a rerun
    redraws less in the browser and the server writes them once.
    """
    fiche, has_fields, follow_up = per_version("action_fiche", (action["action_id"], today()),
                                               lambda: _fiche_markdown(action))
    st.markdown(fiche)
    if not has_fields:
        empty_state("Cette action n'a pas de fiche action dans la charte : seules trois fiches sont remplies "
                    "(foyer féminin, Maison citoyenne, Les Bruaysiens au charbon).")
    st.markdown(follow_up)


def _fiche_markdown(action: pd.Series) -> tuple[str, bool, str]:
    """Return the fiche's markdown, whether the charter fills it, and the markdown of its status and indicators."""
    fields = run_query("action_fiche", action=action["action_id"])
    parts = ["**Historique du statut**"]
    log = run_query("action_status_log", action=action["action_id"])
    if log.empty:
        parts.append(caption_line(markdown_text("Aucun statut n'est connu pour cette action : le document n'en "
                                                "donne pas.")))
    else:
        # A few rows: a markdown table (no data grid nor Arrow reader to load, read as a table by screen readers).
        parts.append(markdown_table(
            log.assign(status_date=log["status_date"].map(lambda d: f"{pd.Timestamp(d):%d/%m/%Y}"))
            [["status_date", "status_label", "author", "source_label", "note"]]
            .rename(columns={"status_date": "Date", "status_label": "Statut", "author": "Auteur",
                             "source_label": "Source", "note": "Remarque"})))
    parts.append("**Indicateurs de l'action et cibles**")
    values = run_query("action_indicator_values", action=action["action_id"])
    if values.empty:
        parts.append(caption_line(markdown_text("La fiche ne fixe aucun indicateur d'évaluation.")))
    else:
        parts.append(markdown_table(indicator_progress(values).drop(columns="id")))
        if values["kind"].isna().all():
            parts.append(caption_line(markdown_text(
                "Aucune cible ni valeur mesurée n'est encore saisie : la fiche nomme ses indicateurs sans en fixer "
                "la cible ; les valeurs viendront des pilotes de l'action.")))
    return action_fiche_markdown(action, fields), not fields.empty, "\n\n".join(parts)


def objectives_section(qpv: str, comparison: pd.DataFrame, actions: pd.DataFrame) -> None:
    """Show the QPV's objectives tree; a linked objective shows its indicators and the actions serving it.

    Each enjeu's objectives are written once per store version, QPV, figures and day, and sent only while
    its expander is open.
    """
    key = (qpv, tuple(comparison["period"].unique()), tuple(comparison["epci_code"].unique()), today())
    written = per_version("objectives", key, lambda: _objectives_markdown(qpv, comparison, actions))
    if written is None:
        empty_state("Aucun objectif du contrat de ville n'est chargé pour ce quartier.")
        return
    caption, enjeux = written
    st.caption(caption)
    for index, (heading, markdown) in enumerate(enjeux):
        if (box := lazy_expander(heading, key=f"objectives_{index}")) is not None:
            box.markdown(markdown)


def _objectives_markdown(qpv: str, comparison: pd.DataFrame,
                         actions: pd.DataFrame) -> tuple[str, list[tuple[str, str]]] | None:
    """Return the section's caption and (heading, markdown) per enjeu of the QPV's objectives; None for none."""
    objectives = run_query("qpv_objectives", qpv=qpv)
    if objectives.empty:
        return None
    links = run_query("objective_links", qpv=qpv)
    caption = ("Enjeu → objectifs de la stratégie intercommunale (deux niveaux) → objectif opérationnel pour le "
               "quartier, mot pour mot ; les cellules abîmées par l'extraction sont signalées.")
    if links.empty:
        caption += ("\n\nAucun lien entre objectifs, actions et indicateurs n'est encore défini : les documents "
                    "n'en posent pas. Un administrateur les fixe une fois dans data/contrat/liens.csv.")
    enjeux = []
    for enjeu in objective_tree(objectives):
        lines = []
        for strategic in enjeu.children:
            lines.append(f"- **{markdown_text(strategic.text())}**")
            for middle in strategic.children:
                lines.append(f"    - {markdown_text(middle.text())}")
                lines += [f"        - *{markdown_text(_linked_line(op, links, comparison, actions))}*"
                          for op in middle.children]
        note = [caption_line(markdown_text(enjeu.row["note"]))] if isinstance(enjeu.row["note"], str) else []
        source = markdown_text(f"Source : {objectives['source_label'].iloc[0].split(',')[0]}, lignes "
                               f"{_line_span(objectives, enjeu)}")
        enjeux.append((markdown_text(enjeu.heading()), "\n\n".join([*note, "\n".join(lines), caption_line(source)])))
    return caption, enjeux


def _linked_line(node, links: pd.DataFrame, comparison: pd.DataFrame, actions: pd.DataFrame) -> str:
    """Write an operational objective, with its linked indicators and actions when an admin set links."""
    if links.empty:  # the usual case: no administrator has set links yet
        return node.text()
    mine = links[links["objective_id"] == node.row["objective_id"]]
    if mine.empty:
        return node.text()
    indicators = comparison[comparison["indicator_id"].isin(mine[mine["link_kind"] == "indicateur"]["target_id"])]
    served = actions[actions["action_id"].isin(mine[mine["link_kind"] == "action"]["target_id"])]
    return objective_line(node.text(), indicators, list(served["status"]))


def _line_span(objectives: pd.DataFrame, enjeu) -> str:
    """Name the lines an enjeu's objectives come from."""
    prefix = enjeu.row["objective_id"]
    refs = objectives[objectives["objective_id"].str.startswith(prefix)]["source_label"]
    numbers = sorted({int(ref.rsplit(" ", 1)[-1]) for ref in refs})
    return f"{numbers[0]} à {numbers[-1]}" if len(numbers) > 1 else str(numbers[0])


def actions_summary(actions: pd.DataFrame) -> None:
    """Show the GUSP actions of a QPV by status, those under way first."""
    if actions.empty:
        empty_state("Aucune action GUSP n'est inscrite pour ce quartier : la charte GUSP de 2023 couvre Mont "
                    "Liébaut (Béthune) et Le Centre (Bruay-La-Buissière).")
        return
    order = {"en_cours": 0, "prevue": 1, "reportee": 2, "realisee": 3, "abandonnee": 4}
    shown = actions.assign(order=actions["status"].map(order).fillna(5)).sort_values(["order", "theme_rank"])
    st.markdown(f"{actions_words(list(actions['status']))} de la feuille de route communale.")
    st.markdown("\n".join(f"- **{status_label(row.status)}** — {markdown_text(row.title)} "
                          f"({markdown_text(row.theme_label)}, {int(row.year) if pd.notna(row.year) else MISSING})"
                          for row in shown.itertuples()))
    st.caption(f"Source : {cite_lines(shown['source_label'])}. Statuts à la date du jour ; "
               "« statut non renseigné » tant qu'aucun pilote n'en a saisi.")


def programme_section(qpv: str, comparison: pd.DataFrame) -> None:
    """The Fiche quartier's section: the GUSP actions under way and their status, then the objectives tree."""
    actions = run_query("qpv_actions", qpv_codes=[qpv], as_of=today())
    st.subheader("Les actions GUSP et leur statut")
    actions_summary(actions)
    if not actions.empty:
        st.page_link("app_pages/actions.py", label="Ouvrir le suivi des actions et leurs fiches",
                     icon=":material/event_note:")
    st.subheader("Les objectifs du contrat de ville")
    objectives_section(qpv, comparison, actions)


def show_theme_items() -> None:
    """Write the six thematic fiches of the GUSP charter (annex 3): each part's headings and lines, cited."""
    items = run_query("gusp_theme_items")
    for (title, kinds, source), part in items.groupby(["theme_title", "gusp_kinds", "theme_source"], sort=False):
        st.markdown(f"**{markdown_text(title)}** — {markdown_text(kinds)}")
        for (label, _), lines in part.groupby(["part_label", "part"], sort=False):
            markdown, last = [f"*{markdown_text(label)}*"], None
            for heading, text in zip(lines["heading"], lines["text"], strict=True):
                if isinstance(heading, str) and heading != last:
                    markdown.append(f"- {markdown_text(heading)}")
                    last = heading
                indent = "    " if isinstance(heading, str) else ""
                markdown.append(f"{indent}- {markdown_text(text)}")
            st.markdown("\n".join(markdown))
        st.caption(f"Source : {markdown_text(source)} et suivantes")


def show_commitments() -> None:
    """Write what each signatory commits to, cited; a text cut at extraction says so."""
    commitments = run_query("partner_commitments")
    for partner, part in commitments.groupby("partner_name", sort=False):
        st.markdown(f"**{markdown_text(partner)}**")
        st.markdown("\n".join(f"- {markdown_text(text)}" + (" \\[fragment : la fin est perdue à l'extraction\\]"
                                             if state == "fragment" else "")
                              for text, state in zip(part["text"], part["text_state"], strict=True)))
        st.caption(f"Source : {markdown_text('; '.join(dict.fromkeys(part['source_label'])))}")


def show_reading_notes() -> None:
    """Write the reading notes on the source documents, each with its source when it has one."""
    for row in run_query("reading_notes").itertuples():
        cited = f" *({markdown_text(row.source_label)})*" if isinstance(row.source_label, str) else ""
        st.markdown(f"- {markdown_text(row.text)}{cited}")
