"""The one comparison rule: a value against its reference gives a gap, a verdict and a sentence.

Every surface (cards, charts, map, slides, PDF, downloads) asks this module, so that the
same figure reads the same way everywhere.

Verdicts: ``favourable`` / ``unfavourable`` (the indicator has a direction and the gap does
not round to zero at the precision shown), ``level`` (the gap rounds to zero), ``descriptive``
(the indicator has no favourable direction), ``unknown`` (the value is missing) and
``unreferenced`` (the value has no reference to compare with).
"""

from qpv.present.fmt import MISSING, SPACE, default_decimals, digits, is_missing, signed

AVERAGE = "la moyenne de l'agglomération"
RATIO_ABOVE = 1.5  # from this ratio on, a comparison reads « 1,6 fois la moyenne »
RATIO_BELOW = 0.5  # up to this ratio, it reads « 2 fois moins que la moyenne »
VERDICT_WORDS = {"favourable": "plus favorable", "unfavourable": "moins favorable"}


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
    number = signed(float(gap), places, plus=True)
    return f"{number}{SPACE}{words}" if words else number


def shown_gap(gap: float, unit: str) -> float:
    """Round a gap to the precision it is shown at."""
    return round(float(gap), gap_decimals(float(gap), unit))


def verdict(gap, direction: str, unit: str = "%") -> str:
    """Judge a gap: favourable, unfavourable, level (rounds to zero), descriptive (no direction) or unknown."""
    if is_missing(gap):
        return "unknown"
    if direction not in ("higher", "lower"):
        return "descriptive"
    shown = shown_gap(gap, unit)
    if shown == 0:
        return "level"
    return "favourable" if (shown > 0) == (direction == "higher") else "unfavourable"


def value_verdict(value, gap, direction: str, unit: str = "%") -> str:
    """Judge a figure: unknown when missing, unreferenced when it has no reference, else its gap's verdict."""
    if is_missing(value):
        return "unknown"
    if is_missing(gap):
        return "unreferenced"
    return verdict(gap, direction, unit)


def judgement(gap: float, direction: str, unit: str = "%") -> str:
    """Say in words whether a gap is favourable, given the indicator's direction; empty otherwise."""
    return VERDICT_WORDS.get(verdict(gap, direction, unit), "")


def _ratio_text(ratio: float) -> str:
    """Write a ratio with one decimal, without a trailing « ,0 »: « 1,6 », « 2 »."""
    text = digits(ratio, 1)
    return text[:-2] if text.endswith(",0") else text


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
    words_of_verdict = judgement(gap, direction, unit) if with_judgement else ""
    return f"{words} ({words_of_verdict})" if words_of_verdict else words
