"""PDF « bilan annuel » of one QPV for the revue de projet and the COPIL: figures, objectives, actions and their
status at the year's end, TFPB and insertion, each figure and each text with its document and line."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm

from qpv.present.fmt import format_value
from qpv.present.programme import (
    actions_words,
    engaged_share,
    euros,
    given_words,
    has_amounts,
    insertion_words,
    objective_tree,
    shown_text,
    status_label,
    tfpb_given_totals,
)
from qpv.reports.fiche import indicator_rows, source_numbers
from qpv.reports.fiche_inputs import FicheInputs, Query, load_fiche, qpv_context
from qpv.reports.pdf import PRODUCT, build_pdf, data_table, gap, styles, text
from qpv.reports.static import ReportError

WIDTH = A4[0] - 2 * 1.4 * cm
DOCUMENTS = ("cv_bruay_2024", "charte_gusp_2023")


@dataclass(frozen=True)
class BilanInputs:
    """Everything the annual bilan of one QPV shows."""

    code: str
    name: str
    communes: str
    epci_name: str
    year: int
    fiche: FicheInputs | None       # the figures of the period shown, None when no period fits the year
    objectives: pd.DataFrame        # qpv_objectives
    actions: pd.DataFrame           # qpv_actions as of the 31 December of the year
    status_log: pd.DataFrame        # action_status_log rows of the year, with action_id
    tfpb: pd.DataFrame              # tfpb_by_axis rows of the QPV for the year
    insertion: pd.DataFrame         # insertion_progress rows of the QPV for the year
    targets: pd.DataFrame           # insertion_targets
    notes: pd.DataFrame             # reading_notes
    sources: pd.DataFrame           # source_catalog


def _figures_period(query: Query, epci: str, year: int) -> str | None:
    """Pick the figures of the year, else the latest period before it; None when there is none."""
    periods = [p for p in query("periods", epci=epci)["period"] if p.isdigit() and int(p) <= year]
    return max(periods, key=int) if periods else None


def load_bilan(query: Query, code: str, year: int) -> BilanInputs:
    """Gather the annual bilan of one QPV for a year, through named queries only."""
    if not 2000 <= year <= 2100:
        raise ReportError(f"Année « {year} » invalide : donnez une année sur quatre chiffres, par exemple 2024.")
    context = qpv_context(query, code, None)
    period = _figures_period(query, context["epci_code"], year)
    actions = query("qpv_actions", qpv_codes=[code], as_of=f"{year}-12-31")
    logs = [query("action_status_log", action=a).assign(action_id=a) for a in actions["action_id"]]
    log = pd.concat(logs, ignore_index=True) if logs else pd.DataFrame(columns=["status_date", "action_id"])
    log = log[pd.to_datetime(log["status_date"]).dt.year == year] if not log.empty else log
    tfpb = query("tfpb_by_axis")
    insertion = query("insertion_progress")
    return BilanInputs(
        code=code, name=context["qpv_name"], communes=context["communes"] or "", epci_name=context["epci_name"],
        year=year, fiche=load_fiche(query, code, period=period) if period else None,
        objectives=query("qpv_objectives", qpv=code), actions=actions, status_log=log,
        tfpb=tfpb[(tfpb["qpv_code"] == code) & (tfpb["year"] == year)],
        insertion=insertion[(insertion["qpv_code"] == code) & (insertion["year"] == year)],
        targets=query("insertion_targets"), notes=query("reading_notes"), sources=query("source_catalog"),
    )


def _figures(inputs: BilanInputs, style: dict) -> list:
    """The QPV's figures against the agglomeration, each with its document and line."""
    story = [text("Les chiffres du quartier face à l'agglomération", style["h2"])]
    if inputs.fiche is None:
        return story + [text(f"Aucun chiffre de l'observatoire ne porte sur {inputs.year} ou une année antérieure.",
                             style["body"])]
    rows = indicator_rows(inputs.fiche, style)
    if not rows:
        return story + [text(f"Aucun chiffre n'est renseigné pour ce quartier sur la période {inputs.fiche.period}.",
                             style["body"])]
    cited = " ".join(part.getPlainText() for row in rows for part in row[4])
    legend = " ; ".join(f"[{n}] {t}" for t, n in source_numbers(inputs.fiche).items() if f"[{n}]" in cited)
    return story + [text(f"Période des chiffres : {inputs.fiche.period}.", style["small"]),
                    data_table(["Indicateur", "Quartier", "Agglomération", "Écart", "Sources (document, ligne)"], rows,
                               [5.3 * cm, 1.9 * cm, 2.8 * cm, 3.9 * cm, WIDTH - 13.9 * cm], style),
                    text(legend, style["source"])]


def _actions(inputs: BilanInputs, style: dict) -> list:
    """The roadmap actions with their status at the year's end, and the status changes of the year."""
    story = [text(f"Les actions GUSP et leur statut au 31/12/{inputs.year}", style["h2"])]
    actions = inputs.actions
    if actions.empty:
        return story + [text("Aucune action GUSP n'est inscrite pour ce quartier : la charte GUSP de 2023 couvre "
                             "Mont Liébaut (Béthune) et Le Centre (Bruay-La-Buissière).", style["body"])]
    story.append(text(f"{actions_words(list(actions['status']))}.", style["body"]))
    rows = [[row.theme_label, row.title, str(int(row.year)) if pd.notna(row.year) else "non renseigné",
             status_label(row.status), row.source_label] for row in actions.itertuples()]
    story.append(data_table(["Thématique", "Action", "Année", "Statut", "Source"], rows,
                            [3.8 * cm, 6.2 * cm, 1.4 * cm, 2.6 * cm, WIDTH - 14.0 * cm], style, small=True))
    story.append(text("Année : colonne de la feuille de route où l'extraction place l'action. « Statut non "
                      "renseigné » : le document n'en donne pas et aucun pilote n'en a encore saisi.", style["source"]))
    titles = dict(zip(actions["action_id"], actions["title"], strict=True))
    changes = [[f"{pd.Timestamp(r.status_date):%d/%m/%Y}", titles[r.action_id], r.status_label, r.author,
                r.source_label] for r in inputs.status_log.itertuples()]
    story.append(text(f"Changements de statut en {inputs.year}", style["h3"]))
    if changes:
        story.append(data_table(["Date", "Action", "Statut", "Auteur", "Source"], changes,
                                [2.0 * cm, 5.4 * cm, 2.2 * cm, 4.0 * cm, WIDTH - 13.6 * cm], style, small=True))
    else:
        story.append(text(f"Aucun statut n'a été enregistré en {inputs.year}.", style["body"]))
    return story


def _objectives(inputs: BilanInputs, style: dict) -> list:
    """The objectives tree of the contrat de ville, as the convention words it, damaged cells marked."""
    story = [text("Les objectifs du contrat de ville", style["h2"])]
    if inputs.objectives.empty:
        return story + [text("Aucun objectif du contrat de ville n'est chargé pour ce quartier.", style["body"])]
    for enjeu in objective_tree(inputs.objectives):
        line = enjeu.row["source_label"].rsplit(", ", 1)[-1]
        story.append(text(f"{enjeu.heading()} ({line})", style["h3"]))
        rows = []
        for strategic in enjeu.children:
            for index, operational in enumerate(op for middle in strategic.children for op in middle.children):
                middle = next(m for m in strategic.children if operational in m.children)
                rows.append([strategic.text() if index == 0 else "", middle.text(), operational.text(),
                             operational.row["source_label"].rsplit(", ", 1)[-1]])
        story.append(data_table(["Objectif intercommunal", "Second niveau", "Objectif opérationnel", "Ligne"], rows,
                                [4.4 * cm, 4.6 * cm, 6.4 * cm, WIDTH - 15.4 * cm], style, small=True))
    source = inputs.objectives["source_label"].iloc[0].rsplit(", ", 1)[0]
    return story + [text(f"Source : {source}, ligne indiquée. Mentions entre crochets : texte coupé, perdu ou repris "
                         "d'un autre tableau par l'extraction, jamais complété.", style["source"])]


def _tfpb(inputs: BilanInputs, style: dict) -> list:
    """The landlords' TFPB programmes of the QPV for the year, by axis, with totals."""
    if inputs.tfpb.empty:
        return []
    story = [text(f"Abattement de TFPB {inputs.year}", style["h2"])]
    for _, rows in inputs.tfpb.groupby("programme_id"):
        first = rows.iloc[0]
        story.append(text(f"{first['landlord']} · source : {first['programme_source']}", style["h3"]))
        table = [[f"{r.axis_rank}. {shown_text(r.axis_label, r.label_state)}", euros(r.planned), euros(r.engaged),
                  euros(r.remaining)] for r in rows.itertuples()]
        story.append(data_table(["Axe", "Prévu", "Engagé", "Reste à engager"], table,
                                [9.0 * cm, 2.8 * cm, 2.8 * cm, WIDTH - 14.6 * cm], style, small=True))
        if has_amounts(rows):
            total = tfpb_given_totals(rows)
            share = engaged_share(total["planned"], total["engaged"])
            story.append(text(f"Total ({given_words(total)}) : prévu {euros(total['planned'])}, engagé "
                              f"{euros(total['engaged'])}{f', {share}' if share else ''}. Un axe absent du fichier du "
                              "bailleur reste « non renseigné », jamais 0.", style["body"]))
        else:
            story.append(text("Aucun montant n'est chargé pour ce programme : " + str(first["programme_note"]),
                              style["source"]))
    return story


def _insertion(inputs: BilanInputs, style: dict) -> list:
    """Insertion hours of the year against the ANRU minimum and the territory's ambition."""
    story = [text(f"Clauses d'insertion {inputs.year}", style["h2"])]
    story += [text(f"{t.label} : {format_value(t.share, '%', 0)} des heures travaillées — « {t.text} » "
                   f"({t.source_label})", style["small"]) for t in inputs.targets.itertuples()]
    if inputs.insertion.empty:
        return story + [text("Aucune heure d'insertion n'est chargée pour ce quartier et cette année.", style["body"])]
    rows = [[r.operation, format_value(r.insertion_hours, "nombre"), format_value(r.total_hours, "nombre"),
             insertion_words(r.insertion_share, inputs.targets), r.source_label]
            for r in inputs.insertion.itertuples()]
    return story + [data_table(["Opération", "Heures d'insertion", "Heures travaillées", "Lecture", "Source"], rows,
                               [4.0 * cm, 2.4 * cm, 2.4 * cm, 5.4 * cm, WIDTH - 14.2 * cm], style, small=True)]


def _reading(inputs: BilanInputs, style: dict) -> list:
    """What the reader must know about the documents' extraction."""
    return [text("Remarques de lecture des documents", style["h2"])] + [
        text(f"• {row.text}" + (f" ({row.source_label})" if isinstance(row.source_label, str) else ""), style["small"])
        for row in inputs.notes.itertuples()]


def _sources(inputs: BilanInputs, style: dict) -> list:
    """Every document the bilan cites, with publisher, date and licence."""
    cited = set(DOCUMENTS)
    if inputs.fiche is not None:
        titles = {row[column] for row in inputs.fiche.comparison for column in ("source_title", "epci_source_title")}
        cited |= {row["source_id"] for row in inputs.fiche.sources if row["short_title"] in titles - {None}}
    rows = [[row.title, row.publisher, str(row.published)[:10], row.licence]
            for row in inputs.sources[inputs.sources["source_id"].isin(cited)].itertuples()]
    return [text("Sources", style["h2"]),
            data_table(["Document", "Éditeur", "Date", "Licence"], rows,
                       [7.6 * cm, 5.0 * cm, 2.0 * cm, WIDTH - 14.6 * cm], style, small=True),
            gap(0.15), text("Les numéros de ligne renvoient à l'extraction texte des documents, livrée dans "
                            "data/seeds/. Une valeur absente est écrite « non renseigné », jamais 0.", style["small"])]


def bilan_pdf(inputs: BilanInputs, today: date | None = None) -> bytes:
    """Write the annual bilan of one QPV and return the PDF bytes."""
    today = today or date.today()
    style = styles()
    story = [text(f"BILAN ANNUEL {inputs.year} · REVUE DE PROJET ET COPIL · {PRODUCT.upper()}", style["kicker"]),
             text(inputs.name, style["title"]),
             text(f"QPV {inputs.code} · {inputs.communes} · {inputs.epci_name}", style["subtitle"]),
             *_figures(inputs, style), *_actions(inputs, style), *_objectives(inputs, style), *_tfpb(inputs, style),
             *_insertion(inputs, style), *_reading(inputs, style), *_sources(inputs, style)]
    footer = f"{PRODUCT} · bilan annuel {inputs.year} · {inputs.name} ({inputs.code}) · export du {today:%d/%m/%Y}"
    return build_pdf(story, pagesize=A4, footer=footer, title=f"Bilan annuel {inputs.year} — {inputs.name}")
