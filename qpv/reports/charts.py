"""Static charts for the PDF exports and print PNG, as reportlab vector Drawings: same colours and wording as the app.

Each builder takes query rows and returns a Drawing (sizes in inches, as the page's design; the caller fits it);
titles and sources are written by the caller beside it, as text. Missing figures are written, never drawn as 0.
"""

import math
import textwrap
from typing import TYPE_CHECKING

from qpv.present.compare import compare_row
from qpv.present.fmt import format_value, is_missing, status_label
from qpv.present.names import display_name
from qpv.present.palette import COMMUNE, FAVOURABLE, JUDGEMENT_COLOUR, JUDGEMENT_LABEL, MISSING, NEUTRAL, REFERENCE
from qpv.present.scales import padded, value_axis, value_ticks
from qpv.present.seekers import bar_label
from qpv.reports.vector import BOLD, FONT, GRID, INCH, ITALIC, Sketch, hatch_box, measure
from qpv.store.records import Record, as_records

if TYPE_CHECKING:  # the deck's dot chart reads a DataFrame; the fiche's charts read records, without pandas
    import pandas as pd

MARKERS = {"favourable": "o", "unfavourable": "D", "near": "s", "descriptive": "s", "unreferenced": "s",
           "unknown": "x"}


def wrapped(text: str, width: int) -> list[str]:
    """Break a label into lines of at most width characters."""
    return textwrap.wrap(text, width, break_on_hyphens=False) or [text]


def _axis(sketch: Sketch, scale, ticks: list[float], labels: list[str], top: float, bottom: float,
          size: float) -> None:
    """Draw light vertical grid lines at the ticks, a base line, and the French tick labels below it."""
    for tick, label in zip(ticks, labels, strict=True):
        x = scale(tick)
        sketch.line(x, top, x, bottom, GRID, 0.6)
        sketch.line(x, bottom, x, bottom + 3, REFERENCE, 0.6)
        sketch.text(x, bottom + 4 + size * 0.7, label, size, anchor="middle")


def _linear(low: float, high: float, x0: float, x1: float):
    """Map values of [low, high] onto [x0, x1] points."""
    span = (high - low) or 1.0
    return lambda value: x0 + (float(value) - low) / span * (x1 - x0)


def _legend(sketch: Sketch, items: list[tuple[str, str, str]], x: float, top: float, size: float) -> None:
    """Write the legend: (marker kind, colour, label) items, three to a line."""
    columns = min(len(items), 3)
    step = (sketch.width - x) / max(columns, 1)
    for index, (kind, fill, label) in enumerate(items):
        row, column = divmod(index, columns)
        left, middle = x + column * step, top + row * size * 1.6
        if kind == "|":
            sketch.line(left + size * 0.5, middle - size * 0.8, left + size * 0.5, middle + size * 0.8, fill, 2.5)
        else:
            sketch.marker(kind, left + size * 0.5, middle, size * 1.3, fill)
        sketch.text(left + size * 1.6, middle, label, size * 0.85)


def comparison_chart(rows: "pd.DataFrame", *, width: float = 7.2, size: float = 10.0, min_height: float = 0.0):
    """Dot chart of one indicator: one line per QPV, the agglomeration as a dashed line; missing is written, not 0."""
    rows = rows.reset_index(drop=True)
    unit = rows["unit"].iloc[0]
    names = [wrapped(display_name(n), 26) for n in rows["qpv_name"]]
    verdicts = [compare_row(row).verdict for _, row in rows.iterrows()]
    communes = rows[rows["commune_value"].notna()] if "commune_value" in rows else rows.iloc[:0]
    legend = _dot_legend(rows, verdicts, communes)
    head, foot = size * 2.0, size * 2.2 + math.ceil(len(legend) / 3) * size * 1.6
    pitch = max(0.42 * INCH * size / 10, (min_height * INCH - head - foot) / max(len(rows), 1))
    sketch = Sketch(width * INCH, head + pitch * len(rows) + foot)
    x0 = max(measure(line, size) for lines in names for line in lines) + size
    x1, bottom = sketch.width - size * 0.5, head + pitch * len(rows)
    reference = rows["epci_value"].dropna()
    reference = float(reference.iloc[0]) if len(reference) else None
    spec = value_axis([*rows["value"], *communes["commune_value"]], reference, unit)
    scale = _linear(*padded(*spec[0], 0.03, 0.18), x0, x1) if spec else None
    if spec:
        _axis(sketch, scale, spec[1], spec[2], head * 0.75, bottom, size * 0.9)
    sketch.line(x0, bottom, x1, bottom, REFERENCE, 0.8)
    if spec and reference is not None:
        _reference_line(sketch, scale(reference), format_value(reference, unit), head, bottom, size)
    for index, row in rows.iterrows():
        middle = head + pitch * (index + 0.5)
        sketch.lines(x0 - size * 0.6, middle, names[index], size, anchor="end")
        _dot(sketch, row, verdicts[index], scale, x0, middle, size)
    if legend:
        _legend(sketch, list(legend.values()), x0, bottom + size * 3.0, size)
    return sketch.drawing


def _dot_legend(rows: "pd.DataFrame", verdicts: list[str], communes: "pd.DataFrame") -> dict:
    """List the legend entries of the verdicts drawn (not of missing figures), and the commune's mark."""
    legend = {v: (MARKERS[v], JUDGEMENT_COLOUR[v], JUDGEMENT_LABEL[v])
              for v, value in zip(verdicts, rows["value"], strict=True) if not is_missing(value)}
    if not communes.empty:
        legend["commune"] = ("|", COMMUNE, f"commune ({communes['commune_name'].iloc[-1]})")
    return legend


def _dot(sketch: Sketch, row: "pd.Series", verdict: str, scale, x0: float, middle: float, size: float) -> None:
    """Draw one QPV's figure (marker and bold value, its commune's mark), or write why it is missing."""
    if is_missing(row["value"]):
        sketch.text(x0 + 2, middle, status_label(row["status"]), size * 0.9, font=ITALIC, fill=NEUTRAL)
        return
    if "commune_value" in row and not is_missing(row["commune_value"]):
        x = scale(row["commune_value"])
        sketch.line(x, middle - size, x, middle + size, COMMUNE, 2.5)
    x = scale(row["value"])
    sketch.marker(MARKERS[verdict], x, middle, size * 1.3, JUDGEMENT_COLOUR[verdict])
    sketch.text(x + size * 1.2, middle, format_value(row["value"], row["unit"]), size, font=BOLD)


def _reference_line(sketch: Sketch, x: float, value: str, head: float, bottom: float, size: float) -> None:
    """Draw the agglomeration value as a dashed vertical line labelled above the plot, kept on the page."""
    sketch.line(x, head * 0.75, x, bottom, REFERENCE, 1.6, dash=[5, 3])
    label = f"Agglomération : {value}"
    half = measure(label, size * 0.9, BOLD) / 2
    centre = min(max(x, half), sketch.width - half)
    sketch.text(centre, head * 0.4, label, size * 0.9, font=BOLD, anchor="middle")


def _profile_rows(rows: list[Record]) -> list[Record]:
    """Keep a QPV's indicators that have both its figure and the agglomeration's."""
    both = [row for row in rows if not is_missing(row["value"]) and not is_missing(row["epci_value"])]
    return sorted(both, key=lambda row: row["sort_order"])


def profile_chart(rows, *, width: float = 7.2, columns: int = 2):
    """Small multiples, one per indicator: the QPV bar against the agglomeration bar, each on its own scale.

    rows: one QPV's qpv_comparison rows, records or a DataFrame.
    """
    shown = _profile_rows(as_records(rows))
    lines = max(math.ceil(len(shown) / columns), 1)
    panel_height, panel_width = 0.85 * INCH, width * INCH / columns
    sketch = Sketch(width * INCH, panel_height * lines + 4)
    for index, row in enumerate(shown):
        line, column = divmod(index, columns)
        _profile_panel(sketch, row, column * panel_width, line * panel_height + 2, panel_width - 10)
    return sketch.drawing


def _profile_panel(sketch: Sketch, row: Record, left: float, top: float, width: float) -> None:
    """Draw one indicator: the QPV bar, coloured by judgement, over the agglomeration bar."""
    unit, judgement = row["unit"], compare_row(row).verdict
    values = [float(row["value"]), float(row["epci_value"])]
    x0 = left + measure("Agglomération", 7.5) + 5
    high = max(max(values), 0.0) * 1.3 or 1.0
    scale = _linear(0.0, high, x0, left + width)
    title = row["short_label"]
    sketch.text(left, top + 5, title, min(8.5, 8.5 * width / measure(title, 8.5, BOLD)), font=BOLD)
    ticks, labels = value_ticks(0.0, high, unit, 4)
    shown = [i for i, t in enumerate(ticks) if t <= high]
    _axis(sketch, scale, [ticks[i] for i in shown], [labels[i] for i in shown], top + 11, top + 45, 6.5)
    for y, (label, value, fill) in enumerate(zip(("Quartier", "Agglomération"), values,
                                                 (JUDGEMENT_COLOUR[judgement], MISSING), strict=True)):
        middle = top + 20 + y * 15
        sketch.text(x0 - 4, middle, label, 7.5, anchor="end")
        sketch.rect(scale(0), middle - 5, scale(max(value, 0.0)) - scale(0), 10, fill=fill)
        sketch.text(scale(max(value, 0.0)) + 3, middle, format_value(value, unit), 7.5,
                    font=BOLD if y == 0 else FONT)
    sketch.line(x0, top + 45, left + width, top + 45, REFERENCE, 0.6)


def job_seekers_chart(seekers, *, width: float = 7.2):
    """Horizontal bars of shares by sex, age and training level; derived figures hatched and labelled.

    seekers: job_seekers rows, records or a DataFrame.
    """
    seekers = as_records(seekers)
    breakdowns = list(dict.fromkeys(row["breakdown_label"] for row in seekers))
    parts = {b: [row for row in seekers if row["breakdown_label"] == b] for b in breakdowns}
    columns = [breakdowns] if len(breakdowns) < 3 else [breakdowns[:-1], breakdowns[-1:]]
    pitch, panel = 0.3 * INCH, 34.0  # a bar line; a panel's title and axis
    height = max(sum(panel + pitch * len(parts[b]) for b in column) for column in columns)
    sketch = Sketch(width * INCH, height + 4)
    column_width = sketch.width / len(columns)
    for index, column in enumerate(columns):
        rows = [row for b in column for row in parts[b]]
        left, right = index * column_width, (index + 1) * column_width - 12
        x0 = left + max(measure(str(row["category_label"]), 7.5) for row in rows) + 6
        scale = _linear(0.0, 100.0, x0, _bar_end(x0, right, _seeker_labels(rows), [row["share"] for row in rows]))
        line_pitch = (height - panel * len(column)) / len(rows)
        top = 2.0
        for breakdown in column:
            _seeker_panel(sketch, parts[breakdown], breakdown, scale, top, line_pitch)
            top += panel + line_pitch * len(parts[breakdown])
    return sketch.drawing


def _seeker_labels(part: list[Record]) -> list[str]:
    """Label each bar with its share and count (« calculé » when derived); a missing share reads « non renseigné »."""
    return [status_label(None) if is_missing(row["share"]) else bar_label(row) for row in part]


def _bar_end(x0: float, right: float, labels: list[str], shares) -> float:
    """Place 100 % so that every bar's label ends before right."""
    ends = [x0 + (right - x0 - 4 - measure(label, 7.5)) * 100 / share
            for label, share in zip(labels, shares, strict=True) if not is_missing(share) and share > 0]
    return min([right, *ends])


def _seeker_panel(sketch: Sketch, part: list[Record], breakdown: str, scale, top: float, pitch: float) -> None:
    """Draw the bars of one breakdown on 0-100 %, hatched where the figure is derived; missing is written."""
    labels, x0 = _seeker_labels(part), scale(0)
    sketch.text(x0, top + 8, breakdown, 8.5, font=BOLD)
    bottom = top + 16 + pitch * len(part)
    step = 20 if scale(20) - x0 >= measure("100 %", 6.5) + 6 else 50
    ticks = list(range(0, 101, step))
    _axis(sketch, scale, ticks, [format_value(t, "%", 0) for t in ticks], top + 16, bottom, 6.5)
    for y, row in enumerate(part):
        middle = top + 16 + pitch * (y + 0.5)
        sketch.text(x0 - 4, middle, str(row["category_label"]), 7.5, anchor="end")
        if is_missing(row["share"]):
            sketch.text(x0 + 3, middle, labels[y], 7.5, font=ITALIC, fill=NEUTRAL)
            continue
        derived = bool(row["count_derived"] or row["share_derived"])
        end, half = scale(row["share"]), min(pitch * 0.35, 9.0)
        sketch.rect(x0, middle - half, end - x0, half * 2, fill=NEUTRAL if derived else FAVOURABLE)
        if derived and end > x0:
            base = sketch.height - middle
            for line in hatch_box(x0, base - half, end, base + half, 4.5, "#ffffff", 0.8):
                sketch.add(line)
        sketch.text(end + 3, middle, labels[y], 7.5)
    sketch.line(x0, bottom, scale(100), bottom, REFERENCE, 0.6)
