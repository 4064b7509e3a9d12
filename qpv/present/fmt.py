"""French number formats for every surface: « 40,7 % », « 13 970 € », « 1 609 », « non renseigné ».

Every space inside a formatted figure (thousands separator, before « % » or « € »)
is the regular non-breaking space U+00A0 (``SPACE``), so that a figure never breaks
across lines and renders with every font. Negative numbers use the minus sign U+2212.
"""

import math
import re
import sys
from datetime import date

from qpv.store import vocabulary

SPACE = "\u00a0"
MINUS = "\u2212"
MISSING = "non renseigné"
UNIT_DECIMALS = {"%": 1, "€": 0}


def is_missing(value) -> bool:
    """Tell whether a value is absent: None, NaN or pandas NA."""
    if value is None:
        return True
    pandas = sys.modules.get("pandas")  # no pandas NA can exist before pandas is loaded: commands start without it
    if pandas is not None:
        return bool(pandas.isna(value))
    return isinstance(value, float) and math.isnan(value)


def digits(value: float, decimals: int) -> str:
    """Write |value| with French separators and a fixed number of decimals."""
    text = f"{abs(value):,.{decimals}f}"
    return text.replace(",", SPACE).replace(".", ",")


def signed(value: float, decimals: int, plus: bool = False) -> str:
    """Write a number with a true minus sign, and a plus sign when asked."""
    text = digits(value, decimals)
    if round(value, decimals) == 0:
        return text
    if value < 0:
        return MINUS + text
    return "+" + text if plus else text


def default_decimals(value: float, unit: str) -> int:
    """Pick decimals: one for %, none for €, none for whole counts and indices, else one."""
    if unit in UNIT_DECIMALS:
        return UNIT_DECIMALS[unit]
    return 0 if float(value).is_integer() else 1


def _with_unit(number: str, unit: str) -> str:
    """Append the unit symbol after a non-breaking space; indices and counts have none."""
    return f"{number}{SPACE}{unit}" if unit in ("%", "€") else number


def format_value(value, unit: str, decimals: int | None = None) -> str:
    """Format a figure with its unit: « 40,7 % », « 13 970 € », « 104 »; missing reads « non renseigné »."""
    if is_missing(value):
        return MISSING
    places = default_decimals(value, unit) if decimals is None else decimals
    return _with_unit(signed(float(value), places), unit)


def format_int(number) -> str:
    """Format a whole number with thousands separators: « 1 609 »."""
    return MISSING if is_missing(number) else signed(round(float(number)), 0)


def status_label(status: str | None) -> str:
    """Name a publication status in French from the statuses vocabulary: « secret statistique », « non renseigné »."""
    return vocabulary.labels("statuses").get(status or "non_disponible", MISSING)


def count_text(count: int, singular: str, plural: str | None = None) -> str:
    """Write a count with its noun agreed in French: « 0 quartier », « 1 quartier », « 16 quartiers »."""
    noun = singular if abs(count) < 2 else (plural or f"{singular}s")
    return f"{format_int(count)} {noun}"


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")


def _as_date(value):
    """Read a date: a date or timestamp as is, « 2024-07-09 » without pandas, any other text through pandas."""
    if isinstance(value, date):  # datetime.date, datetime.datetime, pandas.Timestamp
        return value
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        return date.fromisoformat(value)
    import pandas as pd

    return pd.Timestamp(value)


def format_date(value) -> str:
    """Write a date in French words: « 9 juillet 2024 »; empty when missing or unreadable."""
    if value is None or (not isinstance(value, str) and is_missing(value)) or value == "":
        return ""
    try:
        stamp = _as_date(value)
    except (ValueError, TypeError):
        return str(value)
    day = "1er" if stamp.day == 1 else str(stamp.day)
    return f"{day} {MONTHS[stamp.month - 1]} {stamp.year}"
