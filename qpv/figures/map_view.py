"""The Carte's map for its own MapLibre component: what the browser keeps, and what a rerun changes.

The Carte draws its map with MapLibre GL JS directly (qpv/app/map_frontend). The outlines, the place names
and the style are written once per territory (``map_kept``); a rerun writes only each QPV's colour and hover
text, the legend and the outlined QPV (``map_paint``), which the browser sets as feature state: no source is
re-tiled, the map repaints once. Colours, range, ticks and hover texts come from qpv.figures.map_scale, as
for the plotly map of the Présentation, so that a QPV reads the same on both.
"""

import pandas as pd
from plotly.colors import sample_colorscale

from qpv.figures.geojson import encoded_features
from qpv.figures.map_base import (
    BASE_FILL,
    BASE_LINE,
    LABEL_LAYER,
    METROPOLE,
    anchor,
    commune_labels,
    frame_bounds,
    map_style,
    shapes_only,
)
from qpv.figures.map_scale import (
    HIGHLIGHT,
    POINT_ZOOM,
    colourscale,
    drawn_features,
    qpv_records,
    records_reference,
    scale_and_bar,
    shown_numbers,
)
from qpv.present.fmt import status_label
from qpv.present.palette import MISSING, REFERENCE

MAP_HEIGHT = 460  # pixels of map above the legend


def map_kept(qpv_shapes: dict, commune_shapes: dict, *, tiles: str | None = None, tiles_attribution: str = "",
             labels: pd.DataFrame | None = None) -> dict:
    """Write what the map keeps across reruns: style, encoded outlines, a dot per QPV, the bounds to frame.

    qpv_shapes, commune_shapes: FeatureCollections from ``qpv.figures.geojson.to_feature_collection``. labels,
    tiles, tiles_attribution: as for ``qpv.figures.map.map_spec``. The bounds are those of the QPV
    (metropolitan ones beside overseas ones), else of the communes, else metropolitan France.
    """
    features, communes = drawn_features(qpv_shapes), drawn_features(commune_shapes)
    bounds = frame_bounds(features) or frame_bounds(communes) or METROPOLE
    style = map_style(tiles, tiles_attribution, commune_labels(commune_shapes) if labels is None else labels)
    return {
        "style": style, "bounds": [round(float(v), 5) for v in bounds], "height": MAP_HEIGHT,
        "qpv": encoded_features(shapes_only(features)["features"]),
        "communes": encoded_features(shapes_only(communes)["features"]),
        "dots": {feature["id"]: anchor(feature) for feature in features}, "dots_below_zoom": POINT_ZOOM,
        "colours": {"commune_fill": "rgba(0,0,0,0)" if tiles else BASE_FILL, "commune_line": BASE_LINE,
                    "qpv_line": REFERENCE, "chosen": HIGHLIGHT},
        "names_layer": LABEL_LAYER["id"] if LABEL_LAYER in style["layers"] else None,
    }


def _position(number: float, low: float, high: float) -> float:
    """Place a number on the colour scale, in [0, 1]; clamped like plotly's cmin and cmax."""
    return min(max((number - low) / ((high - low) or 1.0), 0.0), 1.0)


def colour_bar(scale: list[list], bar: dict, low: float, high: float) -> dict:
    """Write the colour bar as the browser draws it: title, gradient stops and ticks, in percent of its width."""
    ticks = [{"at": round(100 * _position(value, low, high), 2), "text": text.removeprefix("<b>").removesuffix("</b>"),
              "bold": text.startswith("<b>")}
             for value, text in zip(bar.get("tickvals", []), bar.get("ticktext", []), strict=True)
             if low <= value <= high]
    return {"title": bar["title"]["text"].replace("<br>", " "),
            "stops": [[round(100 * float(at), 2), colour] for at, colour in scale], "ticks": ticks}


def map_paint(qpv_shapes: dict, values: pd.DataFrame, *, unit: str, mode: str = "value", direction: str = "none",
              reference: float | None = None, reference_label: str = "Agglomération", period: str = "",
              indicator_label: str = "Valeur", highlight: str | None = None) -> dict:
    """Write what changes with the figures: each QPV's colour and hover text, the legend, the outlined QPV.

    Arguments as for ``qpv.figures.map.map_spec``. A QPV without a figure is grey and its status is listed
    in the legend; the colour bar is left out when no QPV has a figure.
    """
    if mode not in ("value", "gap"):
        raise ValueError(f"mode inconnu : {mode!r} (attendu : 'value' ou 'gap')")
    records = qpv_records(drawn_features(qpv_shapes), values, unit=unit, direction=direction, reference=reference,
                          reference_label=reference_label, indicator_label=indicator_label)
    numbers = shown_numbers(records, mode)
    bar, (low, high) = scale_and_bar(mode, numbers, unit, period, records_reference(records, reference),
                                     indicator_label)
    scale = colourscale(mode, direction)
    colours = iter(sample_colorscale(scale, [_position(number, low, high) for number in numbers]) if numbers else [])
    fill = {row["territory_code"]: next(colours) if row["status"] == "publie" else MISSING for row in records}
    statuses = dict.fromkeys(row["status"] for row in records if row["status"] != "publie")
    return {
        "fill": fill, "hover": {row["territory_code"]: row["hover"] for row in records},
        "chosen": highlight if highlight in fill else None,
        "bar": colour_bar(scale, bar, low, high) if numbers else None,
        "statuses": [{"label": status_label(status), "colour": MISSING} for status in statuses],
    }
