"""Presentation rules of the programme: action statuses, damaged texts, objective lines, TFPB gaps, insertion shares.

Pure functions on query results, shared by the pages, the slides and the bilan PDF, so that an action,
an objective or an amount reads the same way everywhere. Comparisons with the agglomeration go through
qpv.present.compare, the one comparison rule.
"""

import re
from dataclasses import dataclass, field

import pandas as pd

from qpv.present.compare import compare_row, format_gap
from qpv.present.fmt import MISSING, SPACE, digits, format_value, is_missing
from qpv.present.text import caption_line, markdown_text
from qpv.store import vocabulary

NO_STATUS = "statut non renseigné"
TIMELINE_YEARS = tuple(range(2023, 2031))  # the contrat de ville runs 2024-2030; the charter's roadmaps start in 2023
# Colour and marker per status: the marker shape tells the status without colour (RGAA).
STATUS_STYLE = {
    "prevue": ("#5f6b7a", "circle-open"),
    "en_cours": ("#2b6cb0", "circle"),
    "realisee": ("#542788", "star"),
    "reportee": ("#b35806", "triangle-right"),
    "abandonnee": ("#1a202c", "x"),
    None: ("#8a939f", "circle-open-dot"),
}
STATE_MARKS = {
    "fragment": "[fragment : texte coupé à l'extraction]",
    "altere": "[libellé altéré à l'extraction]",
    "emprunte": "[repris d'un autre tableau du document]",
}


def status_label(status) -> str:
    """Name an action status in French from its vocabulary; a missing status says so."""
    if is_missing(status):
        return NO_STATUS
    return vocabulary.labels("action_statuses").get(status, str(status))


def status_style(status) -> tuple[str, str]:
    """Return the colour and the marker symbol of a status."""
    return STATUS_STYLE.get(None if is_missing(status) else status, STATUS_STYLE[None])


def shown_text(text, state: str, lost: str = "perdu à l'extraction") -> str:
    """Write a text as the document lets us read it: marked when cut, altered or borrowed; lost says so."""
    if state == "perdu":
        return f"[{lost}]"
    if state == "non_renseigne" or is_missing(text) or not str(text).strip():
        return "non renseigné dans la fiche"
    mark = STATE_MARKS.get(state)
    return f"{text} {mark}" if mark else str(text)


def action_fiche_markdown(action: pd.Series, fields: pd.DataFrame) -> str:
    """Write an action and its fiche as one markdown block: title, where it comes from, then each field, cited."""
    year = int(action["year"]) if not is_missing(action["year"]) else MISSING
    blocks = [f"### {markdown_text(action['title'])}",  # under the page section « Fiche d'une action » (h2)
              caption_line(f"{markdown_text(action['qpv_name'])} · {markdown_text(action['theme_label'])} · "
                          f"feuille de route : {year} · statut : {markdown_text(status_label(action['status']))} · "
                          f"Source : {markdown_text(action['source_label'])}")]
    if isinstance(action["year_note"], str):
        blocks.append(caption_line(markdown_text(action["year_note"])))
    for (label, _), part in fields.groupby(["field_label", "sort_order"], sort=False):
        texts = [markdown_text(shown_text(t, s)) for t, s in zip(part["text"], part["text_state"], strict=True)]
        body = "\n".join(f"- {t}" for t in texts) if len(texts) > 1 else texts[0]
        notes = markdown_text(" ".join(dict.fromkeys(n for n in part["note"] if isinstance(n, str))))
        sources = markdown_text("; ".join(dict.fromkeys(part["source_label"])))
        blocks.append(f"**{markdown_text(label)}**  \n{body}\n\n"
                      + caption_line(f"Source : {sources}{f' · {notes}' if notes else ''}"))
    return "\n\n".join(blocks)


def plural(count: int, word: str, plural_word: str | None = None) -> str:
    """Write « 1 action », « 3 actions », « aucune action »."""
    if count == 0:
        return f"aucune {word}" if word.endswith("e") or word == "action" else f"aucun {word}"
    return f"{count} {word if count == 1 else plural_word or word + 's'}"


def actions_words(statuses: list) -> str:
    """Sum up the actions serving an objective: « 3 actions, dont 1 réalisée », « 1 action, en cours »."""
    if not statuses:
        return "aucune action liée"
    known = [s for s in statuses if not is_missing(s)]
    done = sum(1 for s in known if s == "realisee")
    if len(statuses) == 1:
        return f"1 action, {status_label(statuses[0])}"
    if done:
        return f"{len(statuses)} actions, dont {done} réalisée{'s' if done > 1 else ''}"
    going = sum(1 for s in known if s == "en_cours")
    return f"{len(statuses)} actions, dont {going} en cours" if going else f"{len(statuses)} actions, aucune réalisée"


def indicator_words(row: pd.Series) -> str:
    """Write an indicator of the QPV with its gap to the agglomeration: « taux d'emploi 41,3 % (−17,5 points) »."""
    label = str(row["short_label"]).lower()
    value = format_value(row["value"], row["unit"])
    if is_missing(row["value"]) or is_missing(row.get("epci_value")):
        return f"{label} {value}"
    return f"{label} {value} ({compare_row(row).gap_text})"


def objective_line(objective: str, indicators: pd.DataFrame, statuses: list) -> str:
    """Write one objective with what measures it and what serves it, as the Fiche quartier shows it."""
    parts = [indicator_words(row) for _, row in indicators.iterrows()]
    parts.append(f"objectif : {objective[:1].lower()}{objective[1:]}")
    parts.append(actions_words(statuses))
    return " — ".join(parts)


@dataclass
class ObjectiveNode:
    """One objective of the tree with its children."""

    row: dict
    children: list["ObjectiveNode"] = field(default_factory=list)

    def text(self) -> str:
        """Write the objective as it can be read, with its mark when damaged."""
        lost = "intitulé perdu à l'extraction" if self.row["level"] == "enjeu" else "cellule perdue à l'extraction"
        return shown_text(self.row["text"], self.row["text_state"], lost=lost)

    def heading(self) -> str:
        """Title an enjeu once: « ENJEU 1 : … » as the convention words it, else « Enjeu 2 — … »."""
        text = self.text()
        if re.match(rf"enjeu\s*{int(self.row['rank'])}\b", text, flags=re.IGNORECASE):
            return text
        return f"Enjeu {int(self.row['rank'])} — {text}"


def objective_tree(frame: pd.DataFrame) -> list[ObjectiveNode]:
    """Turn qpv_objectives rows into a forest of enjeux, ordered by rank at every level."""
    nodes = {row["objective_id"]: ObjectiveNode(row) for row in frame.to_dict("records")}
    roots = []
    for node in sorted(nodes.values(), key=lambda n: (n.row["depth"], n.row["rank"])):
        parent = nodes.get(node.row["parent_id"]) if not is_missing(node.row["parent_id"]) else None
        (parent.children if parent else roots).append(node)
    return roots


def euros(value) -> str:
    """Write an amount in euros, « 12 500 € », missing as « non renseigné » (never 0)."""
    return format_value(value, "€")


def engaged_share(planned, engaged) -> str:
    """Say how much of the planned amount is engaged: « 80 % du prévu engagé »; empty when unknown."""
    if is_missing(planned) or is_missing(engaged) or float(planned) == 0:
        return ""
    return f"{digits(100 * float(engaged) / float(planned), 0)}{SPACE}% du prévu engagé"


def tfpb_given_totals(frame: pd.DataFrame) -> dict:
    """Add up the axes a landlord's file gives amounts for; say how many of the axes they are (never 0 for the rest)."""
    given = frame[frame["planned"].notna() | frame["engaged"].notna() | frame["remaining"].notna()]
    sums = {column: (float(given[column].sum()) if given[column].notna().all() and not given.empty else None)
            for column in ("planned", "engaged", "remaining")}
    return sums | {"given": len(given), "axes": len(frame)}


def given_words(totals: dict) -> str:
    """Say what a TFPB total adds up: « 8 axes » or « 3 axes renseignés sur 8 (les autres : non renseigné) »."""
    if totals["given"] == totals["axes"]:
        return f"somme des {totals['axes']} axes"
    return f"somme des {plural(totals['given'], 'axe renseigné', 'axes renseignés')} sur {totals['axes']}"


def has_amounts(frame: pd.DataFrame) -> bool:
    """Tell whether any TFPB amount is loaded."""
    return bool(frame[["planned", "engaged", "remaining"]].notna().any().any())


def insertion_words(share, targets: pd.DataFrame) -> str:
    """Place an insertion share against each target: « 6,2 % des heures : atteint l'objectif ANRU (5 %), … »."""
    if is_missing(share):
        return MISSING
    words = []
    for _, target in targets.iterrows():
        reached = "atteint" if float(share) >= float(target["share"]) else "n'atteint pas"
        label = f"{target['label'][:1].lower()}{target['label'][1:]}"  # « objectif ANRU (minimum) »
        words.append(f"{reached} {label} ({format_value(target['share'], '%', 0)})")
    return f"{format_value(share, '%')} des heures : {', '.join(words)}"


def cite_lines(labels) -> str:
    """Cite source labels by document: « Charte GUSP CABBALR (2023), lignes 743, 744 et 746 »."""
    places: dict[str, list[str]] = {}
    for label in dict.fromkeys(str(label) for label in labels if isinstance(label, str)):
        document, _, place = label.rpartition(", ")
        places.setdefault(document or place, []).append(place if document else "")
    parts = []
    for document, found in places.items():
        lines = [p.removeprefix("ligne ") for p in found if p.startswith("ligne ") and p[6:].isdigit()]
        if lines and len(lines) == len(found) and len(lines) > 1:
            numbers = sorted(lines, key=int)
            parts.append(f"{document}, lignes {', '.join(numbers[:-1])} et {numbers[-1]}")
        else:
            parts += [f"{document}, {p}" if p else document for p in found]
    return "; ".join(parts)


def _names(values) -> str:
    """Join a list of names, « — » when there is none."""
    names = list(values) if values is not None and not isinstance(values, float) else []
    return ", ".join(names) if names else "—"


def actions_table(actions: pd.DataFrame) -> pd.DataFrame:
    """Lay qpv_actions rows out as the table a page, a download and the bilan show."""
    return pd.DataFrame({
        "Quartier": actions["qpv_name"],
        "Thématique": actions["theme_label"],
        "Action": actions["title"],
        "Année (feuille de route)": actions["year"].astype("Int64"),
        "Statut": [status_label(s) for s in actions["status"]],
        "Date du statut": [MISSING if is_missing(d) else pd.Timestamp(d).strftime("%d/%m/%Y")
                           for d in actions["status_date"]],
        "Pilotes": [_names(v) for v in actions["pilots"]],
        "Partenaires": [_names(v) for v in actions["partners"]],
        "Source": actions["source_label"],
    })


def latest(frame: pd.DataFrame, kind: str):
    """Return the latest row of one kind (cible or mesure), or None."""
    rows = frame[frame["kind"] == kind].sort_values("value_date")
    return None if rows.empty else rows.iloc[-1]


def dated_value(row, unit: str) -> str:
    """Write a target or measured value with its date, « non renseigné » when there is none."""
    if row is None:
        return MISSING
    return f"{format_value(row['value'], unit)} au {pd.Timestamp(row['value_date']):%d/%m/%Y}"


def indicator_progress(values: pd.DataFrame) -> pd.DataFrame:
    """Put each indicator of an action against its target: latest target, latest measure, gap; missing says so."""
    rows = []
    for indicator_id, group in values.groupby("indicator_id", sort=False):
        first, target, measure = group.iloc[0], latest(group, "cible"), latest(group, "mesure")
        unit = first["unit"] if isinstance(first["unit"], str) and first["unit"] in ("%", "€") else "nombre"

        gap = "" if target is None or measure is None else format_gap(measure["value"] - target["value"], unit)
        rows.append({"Indicateur": first["label"], "Cible": dated_value(target, unit),
                     "Valeur mesurée": dated_value(measure, unit),
                     "Écart à la cible": gap, "Source": first["indicator_source"], "id": indicator_id})
    return pd.DataFrame(rows, columns=["Indicateur", "Cible", "Valeur mesurée", "Écart à la cible", "Source", "id"])
