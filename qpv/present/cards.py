"""Headline cards of a QPV profile: its figure, the reference, the gap in words."""

from dataclasses import dataclass

import pandas as pd

from qpv.present.compare import compare_words, verdict
from qpv.present.fmt import format_value, status_label
from qpv.present.palette import JUDGEMENT_COLOUR

SIGNS = {"favourable": "▲ favorable", "unfavourable": "▼ défavorable", "level": "= au niveau",
         "descriptive": "● descriptif", "unknown": ""}


@dataclass(frozen=True)
class Card:
    """What one headline card shows."""

    label: str
    value: str
    reference: str
    comparison: str
    judgement: str
    sign: str
    colour: str
    source: str


def _reference_text(row: pd.Series) -> str:
    """Name the reference figures shown under the value."""
    parts = []
    if pd.notna(row["epci_value"]):
        parts.append(f"Agglomération : {format_value(row['epci_value'], row['unit'])}")
    if pd.notna(row.get("commune_value")):
        parts.append(f"{row['commune_name']} : {format_value(row['commune_value'], row['unit'])}")
    return " · ".join(parts) or "Pas de valeur de référence"


def headline_cards(frame: pd.DataFrame) -> list[Card]:
    """Build the cards of one QPV from its qpv_comparison rows; skip indicators with nothing to show."""
    cards = []
    for _, row in frame.sort_values("sort_order").iterrows():
        if pd.isna(row["value"]) and pd.isna(row["epci_value"]):
            continue
        judgement = verdict(row["gap"], row["direction"], row["unit"])
        if pd.isna(row["value"]):
            value, comparison = status_label(row["status"]), ""
        else:
            value = format_value(row["value"], row["unit"])
            comparison = (compare_words(row["value"], row["epci_value"], row["unit"], row["direction"])
                          if pd.notna(row["epci_value"]) else "")
        cards.append(Card(
            label=row["short_label"], value=value, reference=_reference_text(row), comparison=comparison,
            judgement=judgement, sign=SIGNS[judgement] if comparison else "",
            colour=JUDGEMENT_COLOUR[judgement], source=row["source_label"] if pd.notna(row["source_label"]) else "",
        ))
    return cards
