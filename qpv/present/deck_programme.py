"""The revue de projet / COPIL slides: roadmap per QPV, TFPB by axis, insertion against its targets, objectives.

Pure slides (qpv.present.deck.Slide of kind « table »), built from query results and laid out by the
Présentation page and the deck PDF alike. Every row cites its document and line; what is not loaded says
so and why, never 0.
"""

from dataclasses import dataclass, field

import pandas as pd

from qpv.present.deck import Slide
from qpv.present.fmt import MISSING, is_missing
from qpv.present.names import display_name
from qpv.present.programme import (
    actions_words,
    euros,
    given_words,
    has_amounts,
    indicator_words,
    insertion_words,
    objective_tree,
    shown_text,
    status_label,
    tfpb_given_totals,
)

ROWS_PER_SLIDE = 8  # table rows a slide keeps readable from the back of a meeting room


@dataclass(frozen=True)
class ProgrammeRows:
    """What the programme slides show, as the queries return it (one frame per QPV for the objectives)."""

    actions: pd.DataFrame                  # qpv_actions for the deck's QPV, as of the deck's date
    tfpb: pd.DataFrame                     # tfpb_by_axis
    insertion: pd.DataFrame                # insertion_progress
    targets: pd.DataFrame                  # insertion_targets
    objectives: dict[str, pd.DataFrame] = field(default_factory=dict)  # qpv_objectives by QPV code
    links: dict[str, pd.DataFrame] = field(default_factory=dict)       # objective_links by QPV code
    comparison: pd.DataFrame = field(default_factory=pd.DataFrame)    # qpv_comparison, for linked indicators
    as_of: str = ""                        # date of the statuses, in French (« 23/11/2026 »)


def _line(label) -> str:
    """Keep the place of a source label: « Charte GUSP CABBALR (2023), ligne 743 » → « ligne 743 »."""
    return str(label).rsplit(", ", 1)[-1] if isinstance(label, str) else MISSING


def _documents(labels) -> str:
    """Name the documents a set of source labels cite, once each."""
    return "; ".join(dict.fromkeys(str(label).rsplit(", ", 1)[0] for label in labels if isinstance(label, str)))


def _titles(labels) -> list[str]:
    """List the source labels a slide cites, once each; the sources slide finds their documents."""
    return list(dict.fromkeys(str(label) for label in labels if isinstance(label, str)))


def _table(title: str, subtitle: str, columns: list[str], rows: list[list], note: str, labels) -> Slide:
    """Make one table slide, with the documents it cites."""
    return Slide("table", title, subtitle, {"columns": columns, "rows": rows, "note": note,
                                            "documents": _titles(labels)})


def _chunks(title: str, subtitle: str, columns: list[str], rows: list[list], note: str, labels) -> list[Slide]:
    """Cut a long table into slides of at most ROWS_PER_SLIDE rows, numbered (1/2)…"""
    size = -(-len(rows) // -(-len(rows) // ROWS_PER_SLIDE)) if rows else 1  # balanced: 10 rows give 5 + 5
    parts = [rows[i:i + size] for i in range(0, len(rows), size)] or [[]]
    return [_table(f"{title}{f' ({n}/{len(parts)})' if len(parts) > 1 else ''}", subtitle, columns, part, note,
                   labels) for n, part in enumerate(parts, start=1)]


def roadmap_slides(actions: pd.DataFrame, code: str, as_of: str) -> list[Slide]:
    """The roadmap of one QPV: its actions by theme and year, with their status as of the deck's date."""
    mine = actions[actions["qpv_code"] == code].sort_values(["theme_rank", "year", "title"], kind="stable")
    if mine.empty:
        return []
    name = display_name(mine["qpv_name"].iloc[0])
    rows = [[row.theme_label, row.title, MISSING if is_missing(row.year) else str(int(row.year)),
             status_label(row.status), _line(row.source_label)] for row in mine.itertuples()]
    known = int(mine["status"].notna().sum())
    recorded = f"{known} action sur {len(mine)} a" if known <= 1 else f"{known} actions sur {len(mine)} ont"
    note = (f"{recorded} un statut enregistré ; « statut non renseigné » tant qu'aucun pilote n'en a saisi. "
            "Année : colonne de la feuille de route où l'extraction place l'action.")
    return _chunks(f"Feuille de route GUSP : {name}",
                   f"{code} · statuts au {as_of} · Source : {_documents(mine['source_label'])}",
                   ["Thématique", "Action", "Année", "Statut", "Ligne"], rows, note, mine["source_label"])


def tfpb_slides(tfpb: pd.DataFrame, codes: list[str]) -> list[Slide]:
    """One slide per TFPB programme of the QPV: amounts by axis and the total, or why none is loaded."""
    slides = []
    for (programme, year), rows in tfpb[tfpb["qpv_code"].isin(codes)].groupby(["programme_id", "year"], sort=False):
        first = rows.iloc[0]
        title = f"TFPB {int(year)} : {first['landlord']}, {display_name(first['qpv_name'])}"
        source = first["programme_source"]
        if not has_amounts(rows):
            slides.append(_table(
                f"{title} — montants non chargés", f"Source : {source}", ["Axe", "Libellé"],
                [[str(int(r.axis_rank)), shown_text(r.axis_label, r.label_state)] for r in rows.itertuples()],
                f"Aucun montant n'est chargé. {first['programme_note']} Les montants viendront du fichier du "
                "bailleur, importé avec aperçu et contrôle des sous-totaux.", [source]))
            continue
        total = tfpb_given_totals(rows)
        table = [[str(int(r.axis_rank)), shown_text(r.axis_label, r.label_state), euros(r.planned), euros(r.engaged),
                  euros(r.remaining)] for r in rows.itertuples()]
        table.append(["", f"Total : {given_words(total)}", euros(total["planned"]), euros(total["engaged"]),
                      euros(total["remaining"])])
        refs = list(rows["amount_refs"].dropna().str.split(" ; ").explode())
        slides.append(_table(title, f"Programme {programme} · montants en euros · Sources : {source} ; "
                                    f"{_documents(refs) or 'fichier du bailleur'}",
                             ["Axe", "Libellé", "Prévu", "Engagé", "Reste à engager"], table,
                             "Un axe absent du fichier du bailleur reste « non renseigné », jamais 0 ; les "
                             "sous-totaux et le total du fichier ont été vérifiés à l'import.", [source, *refs]))
    return slides


def insertion_slide(insertion: pd.DataFrame, targets: pd.DataFrame, codes: list[str]) -> Slide:
    """Insertion hours against the 5 % (ANRU) and 10 % (territory) targets, or the targets alone when none loaded."""
    cited = "; ".join(f"{row.label} {int(row.share)} % ({row.source_label})" for row in targets.itertuples())
    mine = insertion[insertion["qpv_code"].isin(codes)]
    if mine.empty:
        return _table("Clause d'insertion : aucune heure chargée", f"Objectifs : {cited}",
                      ["Objectif", "Part des heures", "Texte"],
                      [[row.label, f"{int(row.share)} %", row.text] for row in targets.itertuples()],
                      "Aucune heure d'insertion n'est encore chargée pour ces quartiers : elles viendront des "
                      "opérations, par fichier importé (heures travaillées, dont heures d'insertion).",
                      targets["source_label"])
    rows = [[row.operation, display_name(row.qpv_name), str(int(row.year)),
             insertion_words(row.insertion_share, targets), _line(row.source_label)] for row in mine.itertuples()]
    return _table("Clause d'insertion : heures des habitants face aux objectifs",
                  f"Objectifs : {cited} · Sources des heures : {_documents(mine['source_label'])}",
                  ["Opération", "Quartier", "Année", "Part des heures d'insertion", "Ligne"], rows, "",
                  [*targets["source_label"], *mine["source_label"]])


def _linked(node, links: pd.DataFrame, comparison: pd.DataFrame, actions: pd.DataFrame) -> str:
    """Write what an admin linked to an objective: its indicators against the agglomeration, the actions serving it."""
    mine = links[links["objective_id"] == node.row["objective_id"]]
    if mine.empty:
        return "aucun lien fixé"
    ids = set(mine.loc[mine["link_kind"] == "indicateur", "target_id"])
    measured = comparison[comparison["indicator_id"].isin(ids)] if not comparison.empty else comparison
    parts = [indicator_words(row) for _, row in measured.iterrows()]
    served = actions[actions["action_id"].isin(mine.loc[mine["link_kind"] == "action", "target_id"])]
    if not served.empty:
        parts.append(actions_words(list(served["status"])))
    return " ; ".join(parts) or "indicateur lié sans chiffre sur la période"


def objective_slides(objectives: pd.DataFrame, links: pd.DataFrame, name: str, code: str,
                     comparison: pd.DataFrame, actions: pd.DataFrame) -> list[Slide]:
    """The operational objectives of one QPV under their enjeu, with the indicators and actions linked to them."""
    if objectives.empty:
        return []
    comparison = comparison[comparison["qpv_code"] == code] if "qpv_code" in comparison else comparison
    rows = []
    for enjeu in objective_tree(objectives):
        operational = [op for strategic in enjeu.children for middle in strategic.children for op in middle.children]
        for index, node in enumerate(operational):
            cells = [enjeu.heading() if index == 0 else "", node.text()]
            cells += [] if links.empty else [_linked(node, links, comparison, actions)]
            rows.append([*cells, _line(node.row["source_label"])])
    columns = ["Enjeu", "Objectif opérationnel", *([] if links.empty else ["Mesuré par, servi par"]), "Ligne"]
    note = ("Aucun lien objectif ↔ indicateur ou action n'est encore fixé : les documents n'en posent pas, un "
            "administrateur les fixe une fois." if links.empty else
            "Écart au quartier face à l'agglomération, selon la règle de comparaison de l'observatoire.")
    return _chunks(f"Objectifs du contrat de ville : {name}",
                   f"{code} · enjeu → objectif opérationnel, mot pour mot, cellules abîmées signalées · Source : "
                   f"{_documents(objectives['source_label'])}", columns, rows, note, objectives["source_label"])


def programme_slides(data: ProgrammeRows, codes: list[str], names: dict[str, str]) -> list[Slide]:
    """The revue de projet slides for the QPV of the deck that the programme covers; none when it covers none."""
    covered = [code for code in codes if code in set(data.actions["qpv_code"]) or not
               data.objectives.get(code, pd.DataFrame()).empty]
    if not covered:
        return []
    slides = [s for code in covered for s in roadmap_slides(data.actions, code, data.as_of)]
    slides += tfpb_slides(data.tfpb, covered)
    slides.append(insertion_slide(data.insertion, data.targets, covered))
    for code in covered:
        objectives = data.objectives.get(code, pd.DataFrame())
        name = display_name(names.get(code, code))
        links = data.links.get(code, pd.DataFrame(columns=["objective_id", "link_kind", "target_id"]))
        slides += objective_slides(objectives, links, name, code, data.comparison, data.actions)
    return slides
