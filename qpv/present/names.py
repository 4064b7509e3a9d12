"""Quarter names as people write them: a display rule, never a rewrite of the official ANCT names.

The ANCT layer capitalises every word (« Quartier Coteau Du Stade Parc-Cité 34 »). Pages, slides,
PDFs and downloads show ``display_name`` (« Quartier Coteau du Stade Parc-Cité 34 »): articles and
prepositions inside a name in lower case, as in French place names. Lists are sorted with
``sort_key``, which ignores accents, case and a leading « Quartier (prioritaire) de ». The official
name stays in the store and in downloads (column « Nom officiel »).
"""

import math
import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # with_display_names reads DataFrames; display_name needs no pandas
    import pandas as pd

PARTICLES = {"de", "du", "des", "la", "le", "les", "aux", "au", "et", "en", "sur", "sous", "à", "lès", "lez"}
COMMON_WORDS = {"prioritaire", "prioritaires"}  # « Quartier Prioritaire De … » reads « Quartier prioritaire de … »
ELIDED = re.compile(r"^([LlDd])['’](.+)$")
SEGMENTS = re.compile(r"(\s+[-–/]\s+|/)")
PREFIX = re.compile(r"^(quartiers?\s+(prioritaires?\s+)?((de|du|des)\s+|d'|d’)?)", re.IGNORECASE)


def _word(word: str, first: bool) -> str:
    """Lower an article or preposition that does not start its segment; keep every other word."""
    if first:
        return word
    elided = ELIDED.match(word)
    if elided:
        return f"{elided.group(1).lower()}'{elided.group(2)}"
    if word.lower() in PARTICLES or word.lower() in COMMON_WORDS:
        return word.lower()
    return word


def _compound(token: str, first: bool) -> str:
    """Treat a hyphenated token part by part: « Jas-De-Bouffan » reads « Jas-de-Bouffan »."""
    parts = token.split("-")
    return "-".join(_word(part, first and index == 0) for index, part in enumerate(parts))


def _segment(segment: str) -> str:
    """Tidy one part of a name between separators (« Centre Ancien - La Gloriette »: two segments)."""
    tokens = segment.split(" ")
    return " ".join(_compound(token, index == 0) for index, token in enumerate(tokens))


def display_name(official) -> str:
    """Return the name to show for an official quarter name; missing stays empty."""
    if official is None or (isinstance(official, float) and math.isnan(official)):
        return ""
    text = re.sub(r"\s+", " ", str(official)).strip()
    parts = SEGMENTS.split(text)
    return "".join(part if SEGMENTS.fullmatch(part) else _segment(part) for part in parts)


def sort_key(name) -> str:
    """Sort key of a quarter name: no « Quartier (prioritaire) de » prefix, no accents, no case."""
    text = PREFIX.sub("", display_name(name)) or display_name(name)
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def sorted_codes(names: dict[str, str]) -> list[str]:
    """Order quarter codes by their names' sort key."""
    return sorted(names, key=lambda code: (sort_key(names[code]), code))


def with_display_names(frame: "pd.DataFrame", column: str = "qpv_name",
                       order: tuple[str, ...] = ()) -> "pd.DataFrame":
    """Show display names in column, keep the official ones in ``official_name``, sort by order then name.

    order: columns that come before the name in the sort (e.g. ``sort_order`` of the indicator).
    """
    if column not in frame or frame.empty:
        return frame.assign(official_name=frame[column] if column in frame else None)
    shown = frame.assign(official_name=frame[column], **{column: frame[column].map(display_name)})
    keys = shown[column].map(sort_key)
    shown = shown.assign(_name_key=keys)
    by = [c for c in order if c in shown] + ["_name_key"]
    return shown.sort_values(by, kind="stable").drop(columns="_name_key").reset_index(drop=True)
