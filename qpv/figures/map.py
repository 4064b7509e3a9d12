"""Choropleth map of the QPV over the product's own commune outlines; needs no network.

Built on Plotly's MapLibre traces (``choroplethmap``, ``scattermap``, written as plain dicts and
checked against plotly's schema by tests/test_figure_specs.py) and an
inline style with no remote resource (see ``qpv.figures.map_base``). Layers, bottom
to top: communes (light grey, thin outline, not hoverable), QPV with a figure
(coloured), QPV with no figure (plain grey, one trace per status, in the legend),
the chosen QPV outlined, then place names with a white halo. At national scale,
where a QPV is a few pixels wide, each QPV is also drawn as a dot of the same colour.

Every QPV trace carries ``customdata`` = territory code (and ``locations`` = code),
so that a Streamlit selection (``on_select="rerun"``) returns the clicked QPV.
"""

import math

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from qpv.figures.map_base import (
    LABEL_LAYER,
    anchor,
    commune_labels,
    commune_layer,
    frame_bounds,
    map_style,
    shapes_only,
    view,
)
from qpv.figures.style import unchecked, wrap
from qpv.present.compare import compare, gap_unit
from qpv.present.fmt import format_value, is_missing, status_label
from qpv.present.palette import FAVOURABLE, FONT, MISSING, NEUTRAL, REFERENCE, SEQUENTIAL, UNFAVOURABLE
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


def _largest_gap(z) -> float:
    """Return the largest absolute number of z, 0 when it has none."""
    return max((abs(v) for v in z if not is_missing(v)), default=0.0)


def gap_extent(z, unit: str, reference: float | None) -> float:
    """Half-width of a gap scale: the largest gap, never less than half the minimum honest span."""
    minimum = MIN_SPAN.get(unit, MIN_SPAN_SHARE * abs(reference or 0.0) or 1.0) / 2
    return max(float(_largest_gap(z)), minimum)


def colour_range(mode: str, z: list[float], unit: str, reference: float | None) -> tuple[float, float]:
    """Return the colour range: symmetric around 0 for gaps; holding the reference, honest span for values."""
    if mode == "gap":
        extent = gap_extent(z, unit, reference)
        return -extent, extent
    bounds = value_range(list(z), reference, unit)
    return snapped(*bounds) if bounds else (0.0, 1.0)


def colour_axis(mode: str, direction: str, z: list[float], bar: dict,
                bounds: tuple[float, float] | None = None) -> dict:
    """Share one colour axis between polygons and dots; gaps are centred on 0, symmetric."""
    axis = {"colorscale": colourscale(mode, direction), "colorbar": bar}
    if bounds is not None:
        axis.update(cmin=bounds[0], cmax=bounds[1])
        if mode == "gap":
            axis["cmid"] = 0.0
    elif mode == "gap":
        extent = float(_largest_gap(z)) or 1.0
        axis.update(cmin=-extent, cmid=0.0, cmax=extent)
    return axis


def _polygons(part: list[dict], shapes: dict, z, status: str) -> dict:
    """Draw one group of QPV as polygons: coloured on the shared axis, or plain grey."""
    published = status == "publie"
    colour = {"coloraxis": "coloraxis"} if published else {
        "colorscale": [[0, MISSING], [1, MISSING]], "showscale": False}
    codes = [row["territory_code"] for row in part]
    return dict(
        type="choroplethmap", geojson=shapes_only([shapes[code] for code in codes]), featureidkey="id",
        locations=codes, z=np.asarray(z, dtype=float) if published else [0] * len(part),
        text=[row["hover"] for row in part],
        customdata=codes, hovertemplate="%{text}<extra></extra>",
        marker={"line": {"color": REFERENCE, "width": 0.8}}, unselected={"marker": {"opacity": 0.45}},
        name="QPV" if published else status_label(status), legendgroup=status, showlegend=not published,
        **colour,
    )


def _dots(part: list[dict], shapes: dict, z, status: str) -> dict:
    """Draw one group of QPV as dots, for the national scale; same colours, same hover."""
    published = status == "publie"
    codes = [row["territory_code"] for row in part]
    points = [anchor(shapes[code]) for code in codes]
    marker = {"size": 8, "opacity": 0.9}
    marker.update({"color": np.asarray(z, dtype=float), "coloraxis": "coloraxis"} if published else {"color": MISSING})
    return dict(
        type="scattermap", lon=[p[0] for p in points], lat=[p[1] for p in points], mode="markers", marker=marker,
        text=[row["hover"] for row in part], customdata=codes, hovertemplate="%{text}<extra></extra>",
        name="QPV" if published else status_label(status), legendgroup=status, showlegend=False,
        unselected={"marker": {"opacity": 0.45}},
    )


def qpv_layers(records: list[dict], shapes: dict, mode: str, dots: bool) -> list:
    """Draw QPV with a figure first, then those without, one trace (and dot trace) per status."""
    groups: dict[str, list[dict]] = {}
    for row in records:
        groups.setdefault(row["status"], []).append(row)
    traces = []
    for status, part in groups.items():
        z = [row["gap" if mode == "gap" else "value"] for row in part]
        traces.append(_polygons(part, shapes, z, status))
        if dots:
            traces.append(_dots(part, shapes, z, status))
    return traces


def highlight_layer(shapes: dict, code: str | None) -> list[dict]:
    """Outline one QPV with a thick magenta line, above the others, not hoverable."""
    if not code or code not in shapes:
        return []
    return [dict(
        type="choroplethmap", geojson=shapes_only([shapes[code]]), featureidkey="id", locations=[code], z=[0],
        showscale=False,
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], marker={"line": {"color": HIGHLIGHT, "width": 2}},
        hoverinfo="skip", showlegend=False, name="QPV choisi",
    )]


def build_map(qpv_shapes: dict, commune_shapes: dict, values: pd.DataFrame, **options) -> go.Figure:
    """Build the QPV map figure; pure, no Streamlit call. Arguments: see map_spec."""
    spec = map_spec(qpv_shapes, commune_shapes, values, **options)
    return unchecked(spec["data"], spec["layout"])


def map_spec(
    qpv_shapes: dict, commune_shapes: dict, values: pd.DataFrame, *, unit: str, mode: str = "value",
    direction: str = "none", reference: float | None = None, reference_label: str = "Agglomération",
    period: str = "", indicator_label: str = "Valeur", title: str = "", subtitle: str = "",
    labels: pd.DataFrame | None = None, highlight: str | None = None, tiles: str | None = None,
    tiles_attribution: str = "", dots: bool | None = None, height: int = 560, width_hint: int = 700,
) -> dict:
    """Write the QPV map as a plotly spec {"data", "layout"} of plain dicts; outlines shared with the input, no copy.

    The Carte page sends this spec as it is (a Figure would copy every outline twice).

    qpv_shapes, commune_shapes: FeatureCollections from ``qpv.figures.geojson.to_feature_collection``
    (``id`` = code; ``bbox`` and ``properties.label``/``name`` used when present).
    values: columns territory_code, territory_name, value, status, reference_value,
    source_label, period; a drawn QPV absent from values reads « non renseigné ».
    mode: "value" (sequential scale) or "gap" (value − reference, diverging, centred on 0,
    blue on the favourable side given direction "higher"/"lower", purple-green for "none").
    reference: used where a row has no reference_value. labels: place names (name, lon,
    lat, optional priority) written instead of the commune names. highlight: a QPV code to
    outline. tiles: None (offline, blank background) or a raster tile URL template with
    {z}/{x}/{y}; communes are then outlined, not filled. dots: draw each QPV as a dot too;
    None decides from the zoom. width_hint: expected width in pixels, for the zoom.
    """
    if mode not in ("value", "gap"):
        raise ValueError(f"mode inconnu : {mode!r} (attendu : 'value' ou 'gap')")
    features = [f for f in qpv_shapes.get("features", []) if f.get("geometry")]
    shapes = {f["id"]: f for f in features}
    options = {"unit": unit, "direction": direction, "reference_label": reference_label,
               "indicator_label": indicator_label}
    records = [row | {"hover": hover_text(row, **options)} for row in align(values, features, reference)]
    records = ([row for row in records if row["status"] == "publie"]
               + [row for row in records if row["status"] != "publie"])
    top = (78 + 18 * (title.count("<br>") + subtitle.count("<br>"))) if title else 10
    bounds = frame_bounds(features)
    framing = view(bounds, width_hint, height - top) if bounds else {"center": {"lon": 2.5, "lat": 46.6}, "zoom": 4.5}
    dots = framing["zoom"] < POINT_ZOOM if dots is None else dots
    traces = commune_layer(commune_shapes, filled=not tiles) + qpv_layers(records, shapes, mode, dots)
    traces += highlight_layer(shapes, highlight)
    style = map_style(tiles, tiles_attribution, commune_labels(commune_shapes) if labels is None else labels)
    if LABEL_LAYER in style["layers"]:
        for trace in traces:
            trace["below"] = LABEL_LAYER["id"]  # polygons and dots under the names
    z = [row["gap" if mode == "gap" else "value"] for row in records if row["status"] == "publie"]
    if reference is None:
        reference = next((row["reference_value"] for row in records if not math.isnan(row["reference_value"])), None)
    layout = _layout(style, framing, height, top, repr(bounds))
    layout["meta"] = {"width_hint": width_hint}  # the map component zooms out on a narrower frame (phones)
    layout["coloraxis"] = colour_axis(mode, direction, z, *_scale_and_bar(mode, z, unit, period, reference,
                                                                            indicator_label))
    if title:
        layout["title"] = {"text": title, "subtitle": {"text": subtitle}, "x": 0.01, "xanchor": "left"}
    return {"data": traces, "layout": layout}


def _scale_and_bar(mode: str, z: list[float], unit: str, period: str, reference: float | None,
                   label: str) -> tuple[dict, tuple[float, float]]:
    """Compute the honest colour range and its colour bar, the agglomeration marked on value scales."""
    low, high = colour_range(mode, z, unit, reference)
    if mode == "gap":
        ticks = gap_ticks(high)
    else:
        ticks = _with_reference_tick(*value_ticks(low, high, unit), reference, unit, high - low)
    return colourbar(mode, unit, period, ticks=ticks, label=label), (low, high)


def _layout(style: dict, framing: dict, height: int, top: int, revision: str) -> dict:
    """Lay out the offline style and frame, the French number format, the legend and the click mode."""
    return dict(
        map={"style": style, "fitbounds": False, "uirevision": revision, **framing},
        height=height, margin={"l": 0, "r": 0, "t": top, "b": 70}, separators=",\u00a0",
        font={"family": FONT, "color": REFERENCE},
        hoverlabel={"font": {"family": FONT, "color": REFERENCE}, "bgcolor": "white", "bordercolor": NEUTRAL},
        legend={"orientation": "h", "x": 0.01, "y": 0.01, "xanchor": "left", "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.85)", "font": {"color": NEUTRAL}},
        clickmode="event+select", dragmode="pan", paper_bgcolor="white",
    )
