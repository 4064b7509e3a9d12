"""Headline cards of a QPV profile: its figure, the reference, the gap in words, the caveat and the source."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from qpv.present.compare import compare_row
from qpv.present.fmt import format_value, is_missing, status_label
from qpv.present.palette import JUDGEMENT_COLOUR

if TYPE_CHECKING:  # the cards read DataFrame rows; the PDFs import Card without loading pandas
    import pandas as pd


@dataclass(frozen=True)
class Card:
    """What one headline card shows; every comparison word comes from qpv.present.compare."""

    label: str
    value: str
    reference: str
    comparison: str  # the sentence: « 14,4 points de plus que la moyenne de l'agglomération »
    judgement: str  # the verdict code
    sign: str  # the badge: « ▲ défavorable »
    colour: str
    source: str
    note: str = ""  # the caveat stored with the figure, shown wherever the figure is


def _text(value) -> str:
    """Return a cell as text, empty when missing."""
    return "" if is_missing(value) else str(value)


def reference_text(row: "pd.Series") -> str:
    """Name the reference figures shown under the value."""
    parts = []
    if not is_missing(row["epci_value"]):
        parts.append(f"Agglomération : {format_value(row['epci_value'], row['unit'])}")
    if not is_missing(row.get("commune_value")):
        parts.append(f"{row['commune_name']} : {format_value(row['commune_value'], row['unit'])}")
    return " · ".join(parts) or "Pas de valeur de référence"


def source_text(row: "pd.Series") -> str:
    """Cite the figure's document and line, or the reference's when the figure is missing."""
    if _text(row.get("source_label")):
        return row["source_label"]
    if _text(row.get("epci_source_label")):
        return f"{row['epci_source_label']} (valeur de l'agglomération)"
    return "aucune"


def card(row: "pd.Series") -> Card:
    """Build the card of one qpv_comparison row."""
    comparison = compare_row(row)
    value = format_value(row["value"], row["unit"]) if not is_missing(row["value"]) else status_label(row["status"])
    return Card(
        label=row["short_label"], value=value, reference=reference_text(row), comparison=comparison.sentence,
        judgement=comparison.verdict, sign=comparison.badge, colour=JUDGEMENT_COLOUR[comparison.verdict],
        source=source_text(row), note=_text(row.get("note")),
    )


def headline_cards(frame: "pd.DataFrame") -> list[Card]:
    """Build the cards of one QPV from its qpv_comparison rows, in frame order; skip what has nothing to show."""
    return [card(row) for _, row in frame.iterrows()
            if not is_missing(row["value"]) or not is_missing(row["epci_value"])]
