"""French number and comparison wording for the interface.

Every space inside a formatted figure (thousands separator, before « % » or « € »)
is the regular non-breaking space U+00A0 (``SPACE``), so that a figure never breaks
across lines and renders with every font. Negative numbers use the minus sign U+2212.
"""

import pandas as pd

SPACE = "\u00a0"
MINUS = "\u2212"
MISSING = "non renseigné"
AVERAGE = "la moyenne de l'agglomération"
STATUS_LABELS = {"publie": "publié", "secret": "secret statistique", "non_disponible": MISSING}
UNIT_DECIMALS = {"%": 1, "€": 0}
RATIO_ABOVE = 1.5  # from this ratio on, a comparison reads « 1,6 fois la moyenne »
RATIO_BELOW = 0.5  # up to this ratio, it reads « 2 fois moins que la moyenne »


def is_missing(value) -> bool:
    """Tell whether a value is absent: None, NaN or pandas NA."""
    return value is None or bool(pd.isna(value))


def _digits(value: float, decimals: int) -> str:
    """Write |value| with French separators and a fixed number of decimals."""
    text = f"{abs(value):,.{decimals}f}"
    return text.replace(",", SPACE).replace(".", ",")


def _signed(value: float, decimals: int, plus: bool = False) -> str:
    """Write a number with a true minus sign, and a plus sign when asked."""
    digits = _digits(value, decimals)
    if round(value, decimals) == 0:
        return digits
    if value < 0:
        return MINUS + digits
    return "+" + digits if plus else digits


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
    return _with_unit(_signed(float(value), places), unit)


def format_int(number) -> str:
    """Format a whole number with thousands separators: « 1 609 »."""
    return MISSING if is_missing(number) else _signed(round(float(number)), 0)


def gap_unit(unit: str) -> str:
    """Name the unit a gap is counted in: points for % and indices, euros, or nothing."""
    return {"%": "points", "indice": "points d'indice", "€": "€"}.get(unit, "")


def gap_decimals(gap: float, unit: str) -> int:
    """Pick the decimals of a gap: one for % and indices, as its value otherwise."""
    return 1 if unit == "indice" else default_decimals(gap, unit)


def format_gap(gap, unit: str, decimals: int | None = None) -> str:
    """Format a signed gap: « +3,2 points », « −18,1 points », « +1 200 € », « +12 »."""
    if is_missing(gap):
        return MISSING
    words = gap_unit(unit)
    places = gap_decimals(gap, unit) if decimals is None else decimals
    number = _signed(float(gap), places, plus=True)
    return f"{number}{SPACE}{words}" if words else number


def status_label(status: str | None) -> str:
    """Name a publication status in French: « secret statistique », « non renseigné »."""
    return STATUS_LABELS.get(status or "non_disponible", MISSING)


def _ratio_text(ratio: float) -> str:
    """Write a ratio with one decimal, without a trailing « ,0 »: « 1,6 », « 2 »."""
    text = _digits(ratio, 1)
    return text[:-2] if text.endswith(",0") else text


def judgement(gap: float, direction: str) -> str:
    """Say in words whether a gap is favourable, given the indicator's direction."""
    if direction not in ("higher", "lower") or gap == 0:
        return ""
    favourable = (gap > 0) == (direction == "higher")
    return "plus favorable" if favourable else "moins favorable"


def position_words(gap: float) -> str:
    """Place a value against the average: above, below or level."""
    if gap > 0:
        return f"au-dessus de {AVERAGE}"
    if gap < 0:
        return f"au-dessous de {AVERAGE}"
    return f"égal à {AVERAGE}"


def _difference_words(gap: float, unit: str) -> str:
    """Say a difference in the unit's own words: « 18,1 points de moins que … »."""
    more_or_less = "de plus" if gap > 0 else "de moins"
    amount = format_gap(abs(gap), unit).lstrip("+")
    return f"{amount} {more_or_less} que {AVERAGE}"


def compare_words(value, reference, unit: str, direction: str = "none", *, with_judgement: bool = False) -> str:
    """Compare a value to the agglomeration average in plain French.

    Rule: when both are positive and the ratio is at least 1.5, say « 1,6 fois la
    moyenne… »; when it is at most 0.5, say « 2 fois moins que la moyenne… »;
    otherwise state the difference in points, euros or units; a difference that
    rounds to zero reads « au niveau de la moyenne… ». With ``with_judgement`` and an
    indicator with a direction (higher, lower), the judgement follows in brackets:
    « (plus favorable) »; by default the wording stays neutral, for pages that show
    the judgement by other means.
    """
    if is_missing(value) or is_missing(reference):
        return "comparaison impossible : valeur non renseignée"
    value, reference = float(value), float(reference)
    gap = value - reference
    if round(gap, gap_decimals(gap, unit)) == 0:
        return f"au niveau de {AVERAGE}"
    ratio = value / reference if value > 0 and reference > 0 else None
    if ratio is not None and ratio >= RATIO_ABOVE:
        words = f"{_ratio_text(ratio)} fois {AVERAGE}"
    elif ratio is not None and ratio <= RATIO_BELOW:
        words = f"{_ratio_text(1 / ratio)} fois moins que {AVERAGE}"
    else:
        words = _difference_words(gap, unit)
    verdict = judgement(gap, direction) if with_judgement else ""
    return f"{words} ({verdict})" if verdict else words
