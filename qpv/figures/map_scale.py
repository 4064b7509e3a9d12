"""What the QPV maps show, whoever draws them: each QPV's figure and hover text, the colour scale and its bar.

The plotly map (qpv.figures.map: Présentation) and the Carte's own MapLibre map (qpv.figures.map_view) both
build on these, so a QPV has the same colour, the same range, the same ticks and the same words on both.
"""

import math

import pandas as pd

from qpv.figures.style import wrap
from qpv.present.compare import compare, gap_unit
from qpv.present.fmt import format_value, is_missing, status_label
from qpv.present.palette import FAVOURABLE, REFERENCE, SEQUENTIAL, UNFAVOURABLE
from qpv.present.scales import MIN_SPAN, MIN_SPAN_SHARE, gap_ticks, snapped, value_range, value_ticks
from qpv.present.text import html_text

# Diverging, low end first: orange-brown (ColorBrewer PuOr) to blue (RdBu), light centre.
ORANGE_TO_BLUE = [UNFAVOURABLE, "#e08214", "#fdb863", "#f7f7f7", "#92c5de", "#4393c3", FAVOURABLE]
# Symmetric, non-judgemental: ColorBrewer PRGn, purple below, green above.
PURPLE_TO_GREEN = ["#762a83", "#af8dc3", "#e7d4e8", "#f7f7f7", "#d9f0d3", "#7fbf7b", "#1b7837"]
HIGHLIGHT = "#d6006e"  # magenta: in no scale of the map, so a chosen QPV stands out on any fill
POINT_ZOOM = 8.5  # below this zoom a QPV is a few pixels wide: draw a dot as well
VALUES_COLUMNS = ("territory_name", "value", "status", "reference_value", "source_label", "period", "note")


def _scale(colours: list[str]) -> list[list]:
    """Spread colours evenly over [0, 1] as a Plotly colourscale."""
    return [[i / (len(colours) - 1), colour] for i, colour in enumerate(colours)]


def colourscale(mode: str, direction: str) -> list[list]:
    """Pick the colourscale: sequential for values; for gaps, blue on the favourable side."""
    if mode == "value":
        return SEQUENTIAL
    if direction == "higher":
        return _scale(ORANGE_TO_BLUE)
    if direction == "lower":
        return _scale(ORANGE_TO_BLUE[::-1])
    return _scale(PURPLE_TO_GREEN)


def _number(value) -> float:
    """Read a figure as a float; NaN when it is missing or not a number."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def align(values: pd.DataFrame, features: list[dict], reference: float | None) -> list[dict]:
    """One record per drawn QPV: its figure, status, reference and gap; absent QPV read as missing.

    Plain records, not a frame: a territory has a few dozen QPV and this runs on every rerun of the map.
    """
    columns = [c for c in VALUES_COLUMNS if c in values]
    rows = {}
    for record in values[["territory_code", *columns]].to_dict("records"):
        rows.setdefault(record["territory_code"], record)
    records = []
    for feature in features:
        code = feature["id"]
        row = {column: None for column in VALUES_COLUMNS} | rows.get(code, {})
        name = row["territory_name"]
        if is_missing(name):
            name = (feature.get("properties") or {}).get("name")
        value, reference_value = _number(row["value"]), _number(row["reference_value"])
        if math.isnan(reference_value) and reference is not None:
            reference_value = float(reference)
        published = not math.isnan(value)
        status = "publie" if published else "non_disponible" if is_missing(row["status"]) else row["status"]
        records.append(row | {
            "territory_code": code, "territory_name": code if is_missing(name) else name, "value": value,
            "reference_value": reference_value, "gap": value - reference_value,
            "status": "non_disponible" if not published and status == "publie" else status,
        })
    return records


def hover_text(row: dict, *, unit: str, direction: str, reference_label: str, indicator_label: str) -> str:
    """Write the hover box of one QPV: name, figure, reference, gap and verdict in the rule's words, caveat, source."""
    lines = [f"<b>{html_text(row['territory_name'])}</b> ({row['territory_code']})"]
    figure = format_value(row["value"], unit) if row["status"] == "publie" else status_label(row["status"])
    lines.append(f"{indicator_label} : {figure}")
    if not math.isnan(row["reference_value"]):
        lines.append(f"{html_text(reference_label)} : {format_value(row['reference_value'], unit)}")
    comparison = compare(row["value"], row["reference_value"], unit, direction)
    if comparison.gap is not None:
        lines += [f"{comparison.symbol} {comparison.sentence}", f"Écart : {comparison.summary}"]
    if not is_missing(row["period"]) and row["period"]:
        lines.append(f"Période : {row['period']}")
    if isinstance(row["note"], str) and row["note"]:
        lines.append(f"Note : {wrap(html_text(row['note']), 60)}")
    if not is_missing(row["source_label"]) and row["source_label"]:
        lines.append(f"Source : {html_text(row['source_label'])}")
    return "<br>".join(lines)


def _with_reference_tick(ticks: list[float], labels: list[str], reference: float | None, unit: str,
                         span: float) -> tuple[list[float], list[str]]:
    """Mark the agglomeration value on the colour bar, dropping round ticks that would collide with it."""
    if reference is None or pd.isna(reference):
        return ticks, labels
    kept = [(t, label) for t, label in zip(ticks, labels, strict=True) if abs(t - reference) > 0.12 * span]
    kept.append((float(reference), f"<b>agglo. {format_value(reference, unit)}</b>"))
    kept.sort()
    return [t for t, _ in kept], [label for _, label in kept]


def colourbar(mode: str, unit: str, period: str, *, ticks: tuple[list[float], list[str]] | None = None,
              label: str = "") -> dict:
    """Title the colour bar with what is shown, its unit and its period; French tick labels."""
    # Horizontal, under the map: it never covers the QPV, even on a phone.
    common = {"orientation": "h", "len": 0.9, "thickness": 12, "x": 0.5, "xanchor": "center", "y": 0,
              "yanchor": "top", "ypad": 6, "tickfont": {"color": REFERENCE}}
    if ticks:
        common.update(tickmode="array", tickvals=ticks[0], ticktext=ticks[1])
    if mode == "gap":
        counted = gap_unit(unit).plural
        title = f"Écart à la moyenne de l'agglomération{f', en {counted}' if counted else ''}, {period}"
    else:
        unit_text = {"%": "en %", "€": "en €", "indice": "indice", "nombre": "nombre"}.get(unit, unit)
        title = f"{label or 'Valeur'}, {unit_text}, {period}"
    return {"title": {"text": wrap(title, 70), "side": "top", "font": {"color": REFERENCE}}, **common}


def largest_gap(z) -> float:
    """Return the largest absolute number of z, 0 when it has none."""
    return max((abs(v) for v in z if not is_missing(v)), default=0.0)


def gap_extent(z, unit: str, reference: float | None) -> float:
    """Half-width of a gap scale: the largest gap, never less than half the minimum honest span."""
    minimum = MIN_SPAN.get(unit, MIN_SPAN_SHARE * abs(reference or 0.0) or 1.0) / 2
    return max(float(largest_gap(z)), minimum)


def colour_range(mode: str, z: list[float], unit: str, reference: float | None) -> tuple[float, float]:
    """Return the colour range: symmetric around 0 for gaps; holding the reference, honest span for values."""
    if mode == "gap":
        extent = gap_extent(z, unit, reference)
        return -extent, extent
    bounds = value_range(list(z), reference, unit)
    return snapped(*bounds) if bounds else (0.0, 1.0)


def qpv_records(features: list[dict], values: pd.DataFrame, *, unit: str, direction: str,
                reference: float | None, reference_label: str, indicator_label: str) -> list[dict]:
    """Align the figures on the drawn QPV and write each hover text; QPV with a figure first."""
    options = {"unit": unit, "direction": direction, "reference_label": reference_label,
               "indicator_label": indicator_label}
    records = [row | {"hover": hover_text(row, **options)} for row in align(values, features, reference)]
    return [row for row in records if row["status"] == "publie"] + [row for row in records if row["status"] != "publie"]


def shown_numbers(records: list[dict], mode: str) -> list[float]:
    """List the numbers the colours show: each published QPV's gap or value."""
    return [row["gap" if mode == "gap" else "value"] for row in records if row["status"] == "publie"]


def records_reference(records: list[dict], reference: float | None) -> float | None:
    """Return the reference the scale marks: the one given, else the first QPV's own reference."""
    if reference is not None:
        return reference
    return next((row["reference_value"] for row in records if not math.isnan(row["reference_value"])), None)


def drawn_features(shapes: dict) -> list[dict]:
    """Keep the features of a FeatureCollection that have a geometry (those the map draws)."""
    return [f for f in shapes.get("features", []) if f.get("geometry")]


def scale_and_bar(mode: str, z: list[float], unit: str, period: str, reference: float | None,
                  label: str) -> tuple[dict, tuple[float, float]]:
    """Compute the honest colour range and its colour bar, the agglomeration marked on value scales."""
    low, high = colour_range(mode, z, unit, reference)
    if mode == "gap":
        ticks = gap_ticks(high)
    else:
        ticks = _with_reference_tick(*value_ticks(low, high, unit), reference, unit, high - low)
    return colourbar(mode, unit, period, ticks=ticks, label=label), (low, high)
