"""Axis and colour ranges that keep a gap honest, and French tick labels, for every chart and map.

Rules, the same on screen and on paper:
- a range always holds every value and the reference (the agglomeration), so the distance to the
  reference is on the scale, not only the spread between quarters;
- a range is never narrower than ``MIN_SPAN`` (10 points for a share, 10 % of the largest magnitude
  otherwise): three quarters at 40,7 %, 41,3 % and 43,0 % do not fill a whole colour scale, and a
  single value never gets « 13 969,6 € … 13 970,4 € »;
- shares stay within 0-100 %;
- tick labels are written by qpv.present.fmt (« 13 000 € », « 5 000 », « 40 % »), never « 13k ».
"""

import math

from qpv.present.fmt import format_value, is_missing, signed

MIN_SPAN = {"%": 10.0}
MIN_SPAN_SHARE = 0.10  # other units: at least 10 % of the largest magnitude
STEPS = (1, 2, 2.5, 5, 10)


def _known(numbers) -> list[float]:
    """Keep the numbers that are present."""
    return [float(n) for n in numbers if not is_missing(n)]


def value_range(values, reference=None, unit: str = "") -> tuple[float, float] | None:
    """Return the (low, high) range of a value axis or colour scale, or None when there is no number."""
    numbers = _known([*values, reference])
    if not numbers:
        return None
    low, high = min(numbers), max(numbers)
    minimum = MIN_SPAN.get(unit, MIN_SPAN_SHARE * max(abs(low), abs(high)) or 1.0)
    if high - low < minimum:
        centre = (low + high) / 2
        low, high = centre - minimum / 2, centre + minimum / 2
    if unit == "%":
        low, high = max(low, 0.0), min(high, 100.0)
        if high - low < minimum:
            low, high = (0.0, minimum) if low == 0.0 else (100.0 - minimum, 100.0)
    elif min(numbers) >= 0 and low < 0:
        low, high = 0.0, high - low
    return low, high


def nice_step(span: float, count: int = 5) -> float:
    """Pick a round tick step (1, 2, 2,5 or 5 times a power of ten) giving about count ticks."""
    if span <= 0:
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(step * power for step in STEPS if step * power >= raw)


def tick_values(low: float, high: float, count: int = 5) -> list[float]:
    """Return round tick positions covering [low, high]."""
    step = nice_step(high - low, count)
    first = math.ceil(low / step - 1e-9) * step
    ticks, tick = [], first
    while tick <= high + 1e-9 * max(1.0, abs(high)):
        ticks.append(round(tick, 10) + 0.0)
        tick += step
    return ticks


def _decimals(ticks: list[float]) -> int:
    """Show as many decimals as the ticks need: none for whole steps, else one or two."""
    for places in (0, 1, 2):
        if all(abs(t - round(t, places)) < 1e-9 for t in ticks):
            return places
    return 2


def value_ticks(low: float, high: float, unit: str, count: int = 5) -> tuple[list[float], list[str]]:
    """Return tick positions and their French labels for a value axis: « 40 % », « 13 000 € », « 5 000 »."""
    ticks = tick_values(low, high, count)
    places = _decimals(ticks)
    return ticks, [format_value(t, unit, places) for t in ticks]


def gap_ticks(extent: float, count: int = 5) -> tuple[list[float], list[str]]:
    """Return symmetric tick positions and labels for a gap scale: « −10 », « 0 », « +10 » (unit in the title)."""
    ticks = tick_values(-extent, extent, count)
    places = _decimals(ticks)
    labels = ["0" if t == 0 else signed(t, places, plus=True) for t in ticks]
    return ticks, labels


def padded(low: float, high: float, left: float = 0.04, right: float = 0.04) -> list[float]:
    """Widen a range a little on each side, so that markers at its ends are not cut."""
    span = high - low
    return [low - left * span, high + right * span]


def snapped(low: float, high: float, count: int = 5) -> tuple[float, float]:
    """Widen a range to the round ticks around it: (40,7 ; 58,8) becomes (40 ; 60)."""
    step = nice_step(high - low, count)
    return math.floor(low / step + 1e-9) * step + 0.0, math.ceil(high / step - 1e-9) * step + 0.0


def value_axis(values, reference=None, unit: str = "", count: int = 5):
    """Return ((low, high), tick positions, tick labels) of an honest value axis, or None without numbers."""
    bounds = value_range(values, reference, unit)
    if bounds is None:
        return None
    low, high = snapped(*bounds, count)
    if unit == "%":
        low, high = max(low, 0.0), min(high, 100.0)
    ticks, labels = value_ticks(low, high, unit, count)
    return (low, high), ticks, labels
