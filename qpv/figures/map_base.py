"""Base map of the QPV map: framing, offline MapLibre style, commune outlines and place names.

The style is written inline and declares no tile, sprite or glyph URL: MapLibre (as
bundled in plotly.js) then draws place names with the browser's own fonts,
so nothing is fetched from the network. Place names are a symbol layer of the style,
with a white halo; choropleth traces are slid below it (``below``) so names stay
readable over the QPV, and MapLibre hides names that would collide.
"""

import math

import numpy as np
import pandas as pd

from qpv.figures.geojson import COMMUNES

BASE_FILL = "#eef0f3"
BASE_LINE = "#8e97a3"
LABEL_COLOUR = "#3d4550"
BACKGROUND = {"id": "background", "type": "background", "paint": {"background-color": "#ffffff"}}
LABEL_LAYER = {
    "id": "place-labels", "type": "symbol", "source": "place-labels",
    "layout": {"text-field": ["get", "name"], "text-size": 12, "text-font": ["Open Sans Regular"],
               "text-max-width": 9, "text-padding": 3, "symbol-sort-key": ["get", "priority"]},
    "paint": {"text-color": LABEL_COLOUR, "text-halo-color": "rgba(255,255,255,0.9)", "text-halo-width": 1.5},
}
METROPOLE = (-5.5, 41.0, 10.0, 51.5)  # lon/lat box of metropolitan France, for the national frame
WORLD_PX = 512  # MapLibre: the world is 512 px wide at zoom 0


def _flatten(nested) -> list[float]:
    """Flatten nested coordinate lists into one list of numbers."""
    if nested and isinstance(nested[0], (int, float)):
        return list(nested)
    return [number for item in nested for number in _flatten(item)]


def bbox(feature: dict) -> list[float]:
    """Return a feature's [xmin, ymin, xmax, ymax], from its bbox member or its coordinates."""
    if "bbox" in feature:
        return feature["bbox"]
    coords = np.array(_flatten(feature["geometry"]["coordinates"])).reshape(-1, 2)
    return [*coords.min(axis=0), *coords.max(axis=0)]


def anchor(feature: dict) -> list[float]:
    """Return a [lon, lat] point for a feature: its label point, else its bbox centre."""
    label = (feature.get("properties") or {}).get("label")
    if label:
        return label
    box = bbox(feature)
    return [(box[0] + box[2]) / 2, (box[1] + box[3]) / 2]


def _inside(box: list[float], area: tuple[float, float, float, float]) -> bool:
    """Tell whether the centre of a box falls inside an area."""
    x, y = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return area[0] <= x <= area[2] and area[1] <= y <= area[3]


def frame_bounds(features: list[dict]) -> tuple[float, float, float, float] | None:
    """Bounds of the features; metropolitan ones only when they sit beside overseas ones."""
    boxes = [bbox(f) for f in features if f.get("geometry")]
    metropole = [b for b in boxes if _inside(b, METROPOLE)]
    if metropole and len(metropole) < len(boxes):
        boxes = metropole
    if not boxes:
        return None
    array = np.array(boxes, dtype=float)
    return array[:, 0].min(), array[:, 1].min(), array[:, 2].max(), array[:, 3].max()


def _mercator_y(lat: float) -> float:
    """Project a latitude to Web Mercator, in world units [0, 1]."""
    lat = max(min(lat, 85.0), -85.0)
    return (1 - math.log(math.tan(math.radians(lat)) + 1 / math.cos(math.radians(lat))) / math.pi) / 2


def _latitude(y: float) -> float:
    """Invert the Web Mercator projection of a latitude."""
    return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y))))


def view(bounds, width: int, height: int, padding: float = 0.06) -> dict:
    """Compute the map centre and zoom that fit bounds in a width x height pixel viewport."""
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    top, bottom = _mercator_y(ymax), _mercator_y(ymin)
    span_x = max((xmax - xmin) / 360, 1e-6) * (1 + 2 * padding)
    span_y = max(bottom - top, 1e-6) * (1 + 2 * padding)
    zoom = math.log2(min(width / (WORLD_PX * span_x), height / (WORLD_PX * span_y)))
    centre = {"lon": round((xmin + xmax) / 2, 5), "lat": round(_latitude((top + bottom) / 2), 5)}
    return {"center": centre, "zoom": round(min(max(zoom, 0.0), 16.0), 2)}


def label_source(labels: pd.DataFrame) -> dict:
    """Turn place names (name, lon, lat, optional priority: lower first) into a GeoJSON source."""
    priority = labels["priority"] if "priority" in labels else pd.Series(0, index=labels.index)
    features = [
        {"type": "Feature", "properties": {"name": str(n), "priority": float(p)},
         "geometry": {"type": "Point", "coordinates": [round(float(x), 5), round(float(y), 5)]}}
        for n, x, y, p in zip(labels["name"], labels["lon"], labels["lat"], priority, strict=True)
    ]
    return {"type": "geojson", "data": {"type": "FeatureCollection", "features": features}}


def map_style(tiles: str | None = None, attribution: str = "", labels: pd.DataFrame | None = None) -> dict:
    """Write the MapLibre style: white background, optional raster tiles, place names on top."""
    sources, layers = {}, [BACKGROUND]
    if tiles:
        if "{z}" not in tiles:
            raise ValueError(f"modèle d'adresse de tuiles sans {{z}}/{{x}}/{{y}} : {tiles!r}")
        sources["tiles"] = {"type": "raster", "tiles": [tiles], "tileSize": 256, "attribution": attribution}
        layers.append({"id": "tiles", "type": "raster", "source": "tiles"})
    if labels is not None and not labels.empty:
        sources[LABEL_LAYER["source"]] = label_source(labels)
        layers.append(LABEL_LAYER)
    return {"version": 8, "sources": sources, "layers": layers}


def commune_labels(communes: dict) -> pd.DataFrame:
    """Take the label point and name of each commune feature; larger communes are named first."""
    rows = []
    for feature in communes.get("features", []):
        properties = feature.get("properties") or {}
        if properties.get("label") and properties.get("name") and feature.get("geometry"):
            box = bbox(feature)
            size = (box[2] - box[0]) * (box[3] - box[1])
            rows.append({"name": properties["name"], "lon": properties["label"][0], "lat": properties["label"][1],
                         "priority": -size})
    return pd.DataFrame(rows, columns=["name", "lon", "lat", "priority"])


def shapes_only(features: list[dict]) -> dict:
    """Keep id and geometry of each feature: the smallest GeoJSON Plotly needs."""
    kept = [{"type": "Feature", "id": f["id"], "geometry": f["geometry"]} for f in features if f.get("geometry")]
    return {"type": "FeatureCollection", "features": kept}


def commune_layer(communes: dict, filled: bool = True) -> list[dict]:
    """Draw the communes with a thin outline, light grey unless over tiles; not hoverable, not selectable."""
    features = [f for f in communes.get("features", []) if f.get("geometry")]
    if not features:
        return []
    fill = BASE_FILL if filled else "rgba(0,0,0,0)"
    return [dict(
        type="choroplethmap", geojson=shapes_only(features), locations=[f["id"] for f in features], featureidkey="id",
        z=[0] * len(features), colorscale=[[0, fill], [1, fill]], showscale=False,
        marker={"line": {"color": BASE_LINE, "width": 0.7}}, hoverinfo="skip", showlegend=False,
        name=COMMUNES, unselected={"marker": {"opacity": 1}},
    )]
