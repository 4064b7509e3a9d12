"""What the contrat de ville says of a quarter, laid out as the document does: headings, items, cut fragments.

The statements are quoted word for word from the text extraction of the convention (data/statements.csv);
this module never rewrites them. It only reads their shape: a short line ending with « : » is a heading
of the document (« Les fragilités sociales : »), the lines after it are its items; a line that starts
in lower case begins mid-sentence, and one that ends with a comma stops mid-sentence — the extraction
cut them, and the page marks them « […] » with a note saying so.
"""

from dataclasses import dataclass

import pandas as pd

HEADING_MAX = 90  # characters: longer lines ending with « : » introduce a list, they are not headings
CUT_MARK = "[…]"
CUT_NOTE = "extrait coupé par l'extraction du texte : la phrase complète est dans le document, à la ligne citée"


@dataclass(frozen=True)
class Statement:
    """One line of the convention as the page shows it."""

    text: str  # the quoted text, with « […] » where the extraction cut it
    source: str
    heading: bool = False
    cut: bool = False


def is_heading(text: str) -> bool:
    """Tell whether a line is a heading of the document: short, ending with a colon."""
    stripped = text.strip()
    return stripped.endswith(":") and len(stripped) <= HEADING_MAX


def starts_mid_sentence(text: str) -> bool:
    """Tell whether a line begins in the middle of a sentence (its first letter is lower case)."""
    letters = [c for c in text.strip() if c.isalpha()]
    return bool(letters) and letters[0].islower()


def ends_mid_sentence(text: str) -> bool:
    """Tell whether a line stops in the middle of a sentence (it ends with a comma)."""
    return text.rstrip().endswith(",")


def statement(text: str, source: str) -> Statement:
    """Read the shape of one quoted line and mark what the extraction cut."""
    if is_heading(text):
        return Statement(text.strip().rstrip(":").rstrip(), source, heading=True)
    head, tail = starts_mid_sentence(text), ends_mid_sentence(text)
    shown = text.strip()
    if head:
        shown = f"{CUT_MARK} {shown}"
    if tail:
        shown = f"{shown.rstrip(',')} {CUT_MARK}"
    return Statement(shown, source, cut=head or tail)


def section_statements(rows: pd.DataFrame) -> list[Statement]:
    """Turn the qpv_statements rows of one section, in rank order, into headings and items."""
    return [statement(text, source) for text, source in zip(rows["text"], rows["source_label"], strict=True)]
