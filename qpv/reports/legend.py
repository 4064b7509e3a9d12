"""The map's keys as vector shapes: the sequential colour scale (as the app's), its colour bar with French ticks
and the agglomeration marked on it, and the « non renseigné » swatch."""

from reportlab.graphics.shapes import Group, String
from shapely import box

from qpv.present.fmt import format_value
from qpv.present.palette import MISSING, NEUTRAL, REFERENCE, SEQUENTIAL
from qpv.present.scales import snapped, value_range, value_ticks
from qpv.reports.vector import BOLD, FONT, Sketch, colour, hatch_lines, measure

STEPS = 64  # bands of the colour bar


def scale_bounds(values, reference: float | None, unit: str) -> tuple[float, float]:
    """Return the colour scale's range: the honest range of qpv.present.scales (reference held), on round ticks."""
    bounds = value_range(list(values), reference, unit)
    return snapped(*bounds) if bounds else (0.0, 1.0)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    """Split « #rrggbb » into its three channels."""
    return tuple(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def gradient_colour(value: float, low: float, high: float) -> str:
    """Map a value onto the app's sequential scale (viridis reversed), clamped to [low, high]."""
    share = min(max((float(value) - low) / ((high - low) or 1.0), 0.0), 1.0)
    for (start, first), (end, second) in zip(SEQUENTIAL, SEQUENTIAL[1:], strict=False):
        if share <= end:
            weight = (share - start) / ((end - start) or 1.0)
            mixed = [round(a + (b - a) * weight) for a, b in zip(_rgb(first), _rgb(second), strict=True)]
            return "#{:02x}{:02x}{:02x}".format(*mixed)
    return SEQUENTIAL[-1][1]


def colour_bar(sketch: Sketch, left: float, top: float, height: float, bounds: tuple[float, float],
               reference: float | None, unit: str, title: str) -> None:
    """Draw a vertical colour bar: French ticks on the right, the agglomeration's value as a dark bar, labelled."""
    low, high = bounds
    width, band = 12.0, height / STEPS
    for step in range(STEPS):
        value = high - (step + 0.5) / STEPS * (high - low)
        sketch.rect(left, top + step * band, width, band + 0.4, fill=gradient_colour(value, low, high))
    sketch.rect(left, top, width, height, stroke=NEUTRAL, line=0.5)

    def place(value: float) -> float:
        return top + (high - value) / ((high - low) or 1.0) * height

    ticks, labels = value_ticks(low, high, unit)
    for tick, label in zip(ticks, labels, strict=True):
        sketch.line(left + width, place(tick), left + width + 3, place(tick), REFERENCE, 0.6)
        sketch.text(left + width + 5, place(tick), label, 9.5)
    if reference is not None:
        sketch.line(left - 2, place(reference), left + width + 2, place(reference), REFERENCE, 2.2)
        sketch.text(left - 4, place(reference), f"agglo. {format_value(reference, unit)}", 9, font=BOLD, anchor="end")
    label_x = left + width + 10 + max(measure(label, 9.5) for label in labels)
    rotated = Group(String(0, 0, title, fontName=FONT, fontSize=10, fillColor=colour(REFERENCE), textAnchor="middle"))
    rotated.translate(label_x + 9, sketch.height - (top + height / 2))
    rotated.rotate(90)
    sketch.add(Group(rotated))


def legend_box(sketch: Sketch, left: float, bottom: float, label: str) -> None:
    """Draw the « non renseigné » key in a white box: a grey hatched swatch and its words."""
    width = measure(label, 9) + 34
    sketch.rect(left, bottom - 18, width, 18, fill="#ffffff", stroke="#c9ced6", line=0.6, radius=2)
    swatch = sketch.rect(left + 6, bottom - 13, 18, 8, fill=MISSING, stroke=NEUTRAL, line=0.6)
    for line in hatch_lines(box(swatch.x, swatch.y, swatch.x + 18, swatch.y + 8), 3.2, NEUTRAL, 0.5):
        sketch.add(line)
    sketch.text(left + 28, bottom - 9, label, 9)

