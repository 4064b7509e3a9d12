"""The one comparison rule: a value against its reference gives a gap, its unit, a verdict and a sentence.

Every surface (cards, Comparer, map hovers, slides, fiche PDF, deck PDF, CSV and XLSX downloads) calls
``compare`` (or ``compare_row``) and prints what it returns, so that one figure reads the same way
everywhere. The README section « La règle de comparaison » states the same rule for readers.

- Gap: value − reference, rounded to the precision the figures are shown at, in the unit of
  ``GAP_UNITS``: points for a share (%), points d'indice for an index, euros for money, a plain
  number for counts. No indicator is compared as a ratio: « 1,6 fois la moyenne » never appears.
- Verdict (``VERDICTS``): ``favourable`` / ``unfavourable`` when the indicator has a favourable
  direction and the gap is not near zero; ``near`` (« proche ») when the rounded gap is below the
  unit's threshold (``GapUnit.near``); ``descriptive`` when the indicator has no favourable direction;
  ``unknown`` when the value is missing; ``unreferenced`` when there is no reference to compare with.
- Symbols follow the value (▲ above the reference, ▼ below, = equal), words follow the verdict.
"""

from dataclasses import dataclass

from qpv.present.fmt import MISSING, SPACE, default_decimals, is_missing, signed

REFERENCE_NAME = "la moyenne de l'agglomération"


@dataclass(frozen=True)
class GapUnit:
    """How a gap is counted for one unit of indicator: its words and what counts as « proche »."""

    singular: str  # « point »: used below 2, as French grammar wants (« 1,5 point »)
    plural: str
    near: float  # a rounded gap strictly below this is « proche »
    relative: bool = False  # near is a share of the reference (0.01 = 1 %), not an amount
    rule: str = ""  # the threshold in words, for legends and the README


GAP_UNITS = {
    "%": GapUnit("point", "points", 1.0, rule="moins de 1 point"),
    "indice": GapUnit("point d'indice", "points d'indice", 1.0, rule="moins de 1 point d'indice"),
    "€": GapUnit("€", "€", 0.01, relative=True, rule="moins de 1 % de la valeur de l'agglomération"),
    "nombre": GapUnit("", "", 0.01, relative=True, rule="moins de 1 % de la valeur de l'agglomération"),
}


@dataclass(frozen=True)
class Verdict:
    """The words of one verdict: short (badges, tables, downloads) and long (legends)."""

    word: str
    legend: str


VERDICTS = {
    "favourable": Verdict("favorable", "plus favorable que l'agglomération"),
    "unfavourable": Verdict("défavorable", "moins favorable que l'agglomération"),
    "near": Verdict("proche", "proche de l'agglomération"),
    "descriptive": Verdict("descriptif", "indicateur descriptif : ni favorable ni défavorable"),
    "unknown": Verdict(MISSING, MISSING),
    "unreferenced": Verdict("sans référence", "sans valeur d'agglomération"),
}
SYMBOLS = {1: "▲", -1: "▼", 0: "="}
POSITIONS = {1: "au-dessus de la moyenne", -1: "au-dessous de la moyenne", 0: "au niveau de la moyenne"}


def gap_unit(unit: str) -> GapUnit:
    """Return how gaps of this unit are counted (an unknown unit counts like a plain number)."""
    return GAP_UNITS.get(unit, GAP_UNITS["nombre"])


def unit_words(amount: float, unit: str) -> str:
    """Name the unit of a gap with French agreement: « 1,5 point », « 17,5 points », « 25 points d'indice »."""
    rule = gap_unit(unit)
    return rule.singular if abs(amount) < 2 else rule.plural


def gap_decimals(unit: str, *numbers) -> int:
    """Show a gap with the decimals of the figures it comes from: one for %, none for whole indices and euros."""
    known = [float(n) for n in numbers if not is_missing(n)]
    return max((default_decimals(n, unit) for n in known), default=default_decimals(0.5, unit))


def format_gap(gap, unit: str, decimals: int | None = None) -> str:
    """Write a signed gap with its unit: « +14,4 points », « −25 points d'indice », « 0,0 point », never « +0 »."""
    if is_missing(gap):
        return MISSING
    places = gap_decimals(unit, gap) if decimals is None else decimals
    rounded = round(float(gap), places)
    words = unit_words(rounded, unit)
    number = signed(rounded, places, plus=True)
    return f"{number}{SPACE}{words}" if words else number


@dataclass(frozen=True)
class Comparison:
    """One value against its reference, as every surface shows it."""

    value: float | None
    reference: float | None
    unit: str
    direction: str
    gap: float | None  # rounded to ``decimals``
    decimals: int
    verdict: str

    @property
    def sign(self) -> int:
        """Tell where the value lies: 1 above the reference, -1 below, 0 equal (at the precision shown)."""
        if self.gap is None or self.gap == 0:
            return 0
        return 1 if self.gap > 0 else -1

    @property
    def symbol(self) -> str:
        """Return ▲ (above), ▼ (below) or = (equal): it follows the value, never the verdict."""
        return SYMBOLS[self.sign] if self.gap is not None else ""

    @property
    def gap_text(self) -> str:
        """Write the signed gap: « +14,4 points »; empty when there is nothing to compare."""
        return format_gap(self.gap, self.unit, self.decimals) if self.gap is not None else ""

    @property
    def word(self) -> str:
        """Name the verdict in one word: « favorable », « défavorable », « proche », « descriptif »."""
        return VERDICTS[self.verdict].word

    @property
    def sentence(self) -> str:
        """Say the comparison in plain French: « 14,4 points de plus que la moyenne de l'agglomération »."""
        if self.gap is None:
            return ""
        if self.gap == 0:
            return f"au niveau de {REFERENCE_NAME}"
        amount = format_gap(abs(self.gap), self.unit, self.decimals).lstrip("+")
        return f"{amount} {'de plus' if self.gap > 0 else 'de moins'} que {REFERENCE_NAME}"

    @property
    def badge(self) -> str:
        """Write the symbol and the verdict: « ▲ défavorable », « ▼ proche de la moyenne », « ▲ au-dessus… ».

        A descriptive indicator has no verdict: its badge says where the value lies, in words.
        """
        if self.gap is None:
            return ""
        if self.verdict == "descriptive":
            return f"{self.symbol} {POSITIONS[self.sign]}"
        if self.verdict == "near":
            return f"{self.symbol} proche de la moyenne"
        return f"{self.symbol} {self.word}"

    @property
    def summary(self) -> str:
        """Write the gap and the verdict on one line: « +14,4 points · défavorable »."""
        if self.gap is None:
            return ""
        return f"{self.gap_text} · {self.word}"


def _is_near(gap: float, reference: float, unit: str) -> bool:
    """Tell whether a rounded gap is below the unit's « proche » threshold."""
    rule = gap_unit(unit)
    limit = rule.near * abs(reference) if rule.relative else rule.near
    return abs(gap) < limit


def _verdict(value, reference, gap: float | None, unit: str, direction: str) -> str:
    """Judge a comparison: unknown, unreferenced, descriptive, near, favourable or unfavourable."""
    if is_missing(value):
        return "unknown"
    if gap is None:
        return "unreferenced"
    if direction not in ("higher", "lower"):
        return "descriptive"
    if _is_near(gap, float(reference), unit):
        return "near"
    return "favourable" if (gap > 0) == (direction == "higher") else "unfavourable"


def compare(value, reference, unit: str, direction: str = "none") -> Comparison:
    """Compare a value with its reference (the agglomeration's); pure, the one rule of the product."""
    decimals = gap_decimals(unit, value, reference)
    gap = None
    if not is_missing(value) and not is_missing(reference):
        gap = round(float(value) - float(reference), decimals) + 0.0  # + 0.0 turns −0.0 into 0.0
    return Comparison(
        value=None if is_missing(value) else float(value),
        reference=None if is_missing(reference) else float(reference), unit=unit, direction=direction, gap=gap,
        decimals=decimals, verdict=_verdict(value, reference, gap, unit, direction),
    )


def compare_row(row, value: str = "value", reference: str = "epci_value") -> Comparison:
    """Compare one row of qpv_comparison (value, epci_value, unit, direction) with the agglomeration."""
    return compare(row[value], row[reference], row["unit"], row["direction"])
