"""Read figures as French and INSEE files write them: decimal comma, thousands separators, secret markers."""

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation

SECRET_MARKERS = {"s", "secret", "secret statistique", "c"}
# « - » is left out on purpose: INSEE tables use it for « néant » (zero), which must not become a missing value.
MISSING_MARKERS = {"", "nd", "n.d.", "n.d", "ns", "n.s.", "nc", "n.c.", "na", "n/a"}
MARKERS_HELP = "s ou secret pour le secret statistique ; nd, n.d., ns ou vide pour une valeur non disponible"
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
# Digits are the ASCII 0-9 only: Python's \d and float() also read fullwidth or Arabic-Indic digits.
PLAIN = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
GROUPED_COMMA = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3}){2,}(\.[0-9]+)?")
GROUPED_DOT = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3}){2,}(,[0-9]+)?")
THOUSANDS_DOT = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
PROJECT_SPACES = re.compile("[ \u00a0\u202f]")
MAX_DIGITS = 18
UNIT_SYMBOLS = {"%": "%", "€": "€"}  # a suffix written after a figure, and the unit it stands for


def marker_status(text: str) -> str | None:
    """Return the status an INSEE marker stands for (secret, non_disponible), None for anything else."""
    cleaned = text.strip().lower()
    if cleaned in SECRET_MARKERS:
        return "secret"
    if cleaned in MISSING_MARKERS:
        return "non_disponible"
    return None


def foreign_digits(text: str) -> bool:
    """Tell whether text holds digits other than 0-9 (fullwidth ２, Arabic-Indic ٢…)."""
    return any(unicodedata.category(char) == "Nd" and not "0" <= char <= "9" for char in text)


def split_unit(text: str) -> tuple[str, str | None]:
    """Split a trailing unit symbol from a figure: « 12 % » → (« 12 », « % »); (text, None) without one."""
    stripped = text.strip()
    for symbol in UNIT_SYMBOLS:
        if stripped.endswith(symbol):
            return stripped[: -len(symbol)].strip(), symbol
    return stripped, None


def parse_plain(text: str) -> float | None:
    """Parse a figure of a project file: « 40.7 », « 40,7 » or « 13 970 » in digits 0-9; None when not finite."""
    cleaned = PROJECT_SPACES.sub("", text).replace(",", ".")
    if not PLAIN.fullmatch(cleaned):
        return None
    number = float(cleaned)
    return number if math.isfinite(number) else None


def parse_decimal(text: str) -> Decimal | None:
    """Parse « 40,7 », « 13 970 », « 1.234,5 » or « 1,234.5 » (digits 0-9 only); None when it is not a number."""
    cleaned = SPACES.sub("", text.strip()).replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif GROUPED_COMMA.fullmatch(cleaned):
        cleaned = cleaned.replace(",", "")
    elif GROUPED_DOT.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not PLAIN.fullmatch(cleaned):
        return None
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not number.is_finite() or len(number.as_tuple().digits) > MAX_DIGITS or abs(number.adjusted()) > MAX_DIGITS:
        return None
    return number


def canonical(number: Decimal) -> str:
    """Write a number with a decimal point and no trailing zeros: 40.7, 13970, 0.5."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text
