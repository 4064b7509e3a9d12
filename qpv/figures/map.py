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
from qpv.figures.map_scale import (  # noqa: F401 (ORANGE_TO_BLUE, PURPLE_TO_GREEN, SEQUENTIAL: the map's scales)
    HIGHLIGHT,
    ORANGE_TO_BLUE,
    POINT_ZOOM,
    PURPLE_TO_GREEN,
    SEQUENTIAL,
    colourscale,
    drawn_features,
    largest_gap,
    qpv_records,
    records_reference,
    scale_and_bar,
    shown_numbers,
)
from qpv.figures.style import unchecked
from qpv.present.fmt import status_label
from qpv.present.palette import FONT, MISSING, NEUTRAL, REFERENCE


def colour_axis(mode: str, direction: str, z: list[float], bar: dict,
                bounds: tuple[float, float] | None = None) -> dict:
    """Share one colour axis between polygons and dots; gaps are centred on 0, symmetric."""
    axis = {"colorscale": colourscale(mode, direction), "colorbar": bar}
    if bounds is not None:
        axis.update(cmin=bounds[0], cmax=bounds[1])
        if mode == "gap":
            axis["cmid"] = 0.0
    elif mode == "gap":
        extent = float(largest_gap(z)) or 1.0
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
    features = drawn_features(qpv_shapes)
    shapes = {f["id"]: f for f in features}
    records = qpv_records(features, values, unit=unit, direction=direction, reference=reference,
                          reference_label=reference_label, indicator_label=indicator_label)
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
    z = shown_numbers(records, mode)
    reference = records_reference(records, reference)
    layout = _layout(style, framing, height, top, repr(bounds))
    layout["coloraxis"] = colour_axis(mode, direction, z, *scale_and_bar(mode, z, unit, period, reference,
                                                                           indicator_label))
    if title:
        layout["title"] = {"text": title, "subtitle": {"text": subtitle}, "x": 0.01, "xanchor": "left"}
    return {"data": traces, "layout": layout}




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
