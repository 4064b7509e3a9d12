"""Read figures as French and INSEE files write them: decimal comma, thousands separators, secret markers."""

import re
from decimal import Decimal, InvalidOperation

SECRET_MARKERS = {"s", "secret", "secret statistique", "c"}
# « - » is left out on purpose: INSEE tables use it for « néant » (zero), which must not become a missing value.
MISSING_MARKERS = {"", "nd", "n.d.", "n.d", "ns", "n.s.", "nc", "n.c.", "na", "n/a"}
MARKERS_HELP = "s ou secret pour le secret statistique ; nd, n.d., ns ou vide pour une valeur non disponible"
SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']")
PLAIN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
GROUPED_COMMA = re.compile(r"^[+-]?\d{1,3}(,\d{3}){2,}(\.\d+)?$")
GROUPED_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3}){2,}(,\d+)?$")
MAX_DIGITS = 18


def marker_status(text: str) -> str | None:
    """Return the status an INSEE marker stands for (secret, non_disponible), None for anything else."""
    cleaned = text.strip().lower()
    if cleaned in SECRET_MARKERS:
        return "secret"
    if cleaned in MISSING_MARKERS:
        return "non_disponible"
    return None


def parse_decimal(text: str) -> Decimal | None:
    """Parse « 40,7 », « 13 970 », « 1.234,5 », « 1,234.5 » or « 12 % »; None when it is not a number."""
    cleaned = SPACES.sub("", text.strip()).removesuffix("%").removesuffix("€").replace("\u2212", "-")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(thousands, "").replace(decimal_mark, ".")
    elif GROUPED_COMMA.match(cleaned):
        cleaned = cleaned.replace(",", "")
    elif GROUPED_DOT.match(cleaned):
        cleaned = cleaned.replace(".", "")
    else:
        cleaned = cleaned.replace(",", ".")
    if not PLAIN.match(cleaned):
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


def scaled(number: Decimal, scale: Decimal) -> Decimal:
    """Multiply exactly (0,407 × 100 = 40,7, without binary rounding)."""
    return number * scale
