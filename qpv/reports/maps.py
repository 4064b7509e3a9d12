"""The deck's territory map as a reportlab vector Drawing (shapely, no geopandas nor matplotlib) from the store's
display contours: no tiles, WebGL or network. Geometries are projected onto the page, clipped to the map frame, and
drawn as even-odd paths so that holes stay holes. The inset that locates one QPV is qpv.reports.inset (pure Python).

shapes: rows of the map_shapes query (territory_code, name, kind, display_geom as WKB), a DataFrame.
"""

import math
from typing import TYPE_CHECKING

import numpy as np
import shapely

from qpv.present.fmt import count_text, format_value
from qpv.present.names import display_name
from qpv.present.palette import MISSING, NEUTRAL, REFERENCE
from qpv.reports.inset import BASE_FILL, BASE_LINE, border
from qpv.reports.legend import colour_bar, gradient_colour, legend_box, scale_bounds
from qpv.reports.planar import MIN_SPAN, Frame
from qpv.reports.vector import BOLD, INCH, Sketch, colour, hatch_lines, measure, polygon_path

if TYPE_CHECKING:
    import pandas as pd

MAX_LABELS = 10  # above this many QPV with a figure, the map names none (the colour bar reads them)
BAR_ROOM = 160.0  # points right of a territory map: the colour bar, its ticks and its title
SHAPES_SOURCE = "Contours : ANCT, QPV 2024 ; IGN Admin Express 2018 (communes)"


def geometries(shapes: "pd.DataFrame") -> "pd.DataFrame":
    """Decode the WKB contours once: add a shapely ``geom`` column, drop rows without one."""
    shapes = shapes[shapes["display_geom"].notna()].copy()
    shapes["geom"] = shapely.from_wkb([bytes(blob) for blob in shapes["display_geom"]])
    return shapes


def _view_box(frame: Frame):
    """Return a frame's view as a shapely box in degrees."""
    return shapely.box(*frame.view)


def _project(frame: Frame, geoms) -> np.ndarray:
    """Project geometries onto the page (points, y upwards) and clip them to the frame."""
    x0, y0 = frame.view[0], frame.view[1]
    moved = shapely.transform(np.asarray(geoms, dtype=object),
                              lambda c: (c - (x0, y0)) * frame.scale + (frame.left, frame.bottom_y))
    return shapely.clip_by_rect(moved, frame.left, frame.bottom_y, frame.left + frame.width,
                                frame.bottom_y + frame.height)


def fitted_box(bounds, pad: float, width: float, height: float) -> tuple[float, float]:
    """Shrink a width × height box to the proportions of the bounds as drawn (true at their latitude)."""
    xmin, ymin, xmax, ymax = bounds
    stretch = 1 / math.cos(math.radians((ymin + ymax) / 2))
    span_x, span_y = max(xmax - xmin, MIN_SPAN), max((ymax - ymin) * stretch, MIN_SPAN)
    ratio = (span_y + 2 * pad * span_x) / (span_x * (1 + 2 * pad))
    return (width, width * ratio) if width * ratio <= height else (height / ratio, height)


def _rings(geom) -> list[np.ndarray]:
    """List the exterior and interior rings of a (multi)polygon, as coordinate arrays."""
    rings = []
    for part in getattr(geom, "geoms", [geom]):
        if part.geom_type == "Polygon" and not part.is_empty:
            rings.append(shapely.get_coordinates(part.exterior))
            rings.extend(shapely.get_coordinates(ring) for ring in part.interiors)
    return rings


def _draw(sketch: Sketch, frame: Frame, geoms, fills, stroke: str, line: float, opacity: float = 1.0,
          hatch: bool = False) -> None:
    """Draw polygons clipped to the frame, each with its fill (one colour or one per geometry)."""
    geoms = list(geoms)
    if not geoms:
        return
    fills = fills if isinstance(fills, list) else [fills] * len(geoms)
    for geom, fill in zip(_project(frame, geoms), fills, strict=True):
        rings = _rings(geom)
        if not rings:
            continue
        sketch.add(polygon_path(rings, fillColor=colour(fill), fillOpacity=opacity,
                                strokeColor=colour(stroke), strokeWidth=line, strokeLineJoin=1))
        if hatch:
            for hatching in hatch_lines(geom, 3.2, NEUTRAL, 0.5):
                sketch.add(hatching)


def _in_view(frame: Frame, geoms) -> np.ndarray:
    """Tell, for each geometry, whether it meets the frame's view."""
    return shapely.intersects(np.asarray(geoms, dtype=object), _view_box(frame))


def territory_map(shapes: "pd.DataFrame", rows: "pd.DataFrame", *, width: float = 9.0, height: float = 5.6):
    """Colour every QPV of the territory by its figure on an honest scale (the agglomeration on it); QPV without
    one grey and hatched, labelled with values."""
    shapes = geometries(shapes)
    qpv = shapes[shapes["kind"] == "qpv"].merge(rows[["qpv_code", "value", "qpv_name"]], how="left",
                                                 left_on="territory_code", right_on="qpv_code")
    unit = rows["unit"].iloc[0]
    references = rows["epci_value"].dropna().tolist() if "epci_value" in rows else []
    reference = float(references[0]) if references else None
    low, high = scale_bounds(qpv["value"], reference, unit)
    bounds = shapely.total_bounds(qpv["geom"].to_numpy())
    box_width, box_height = fitted_box(bounds, 0.05, width * INCH - BAR_ROOM, height * INCH - 1)
    sketch = Sketch(width * INCH, max(box_height + 1, 220.0))  # the page's height, less what the map leaves
    frame = Frame(bounds, 0.05, 0.5, 0.5, box_width, box_height, sketch.height)
    communes = shapes[shapes["kind"] == "commune"]
    _draw(sketch, frame, communes[_in_view(frame, communes["geom"].to_numpy())]["geom"], BASE_FILL, BASE_LINE, 0.5)
    known, unknown = qpv[qpv["value"].notna()], qpv[qpv["value"].isna()]
    _draw(sketch, frame, unknown["geom"], MISSING, NEUTRAL, 0.6, hatch=True)
    _draw(sketch, frame, known["geom"], [gradient_colour(v, low, high) for v in known["value"]], REFERENCE, 0.9)
    _value_labels(sketch, frame, known, unit)
    border(sketch, frame)
    colour_bar(sketch, frame.left + frame.width + 70, frame.top + frame.height * 0.2, frame.height * 0.6,
               (low, high), reference, unit, f"{rows['short_label'].iloc[0]} ({rows['period'].iloc[0]})")
    legend_box(sketch, frame.left + 8, frame.top + frame.height - 8,
               f"non renseigné ({count_text(len(unknown), 'QPV', 'QPV')})")
    return sketch.drawing


def _value_labels(sketch: Sketch, frame: Frame, known: "pd.DataFrame", unit: str) -> None:
    """Write each QPV's name and figure in a column on the right, a leader line to its outline."""
    if known.empty or len(known) > MAX_LABELS:
        return
    points = shapely.point_on_surface(known["geom"].to_numpy())
    order = np.argsort([-point.y for point in points])
    slots = np.linspace(frame.top + 0.12 * frame.height, frame.top + 0.88 * frame.height, len(known) + 2)[1:-1]
    right = frame.left + frame.width * 0.98
    for slot, index in zip(slots, order, strict=True):
        row, point = known.iloc[index], points[index]
        label = f"{display_name(row['qpv_name'])} : {format_value(row['value'], unit)}"
        box_width = measure(label, 9, BOLD) + 8
        x, middle = frame.point(point.x, point.y)
        sketch.line(x, middle, right - box_width, slot, REFERENCE, 0.8)
        sketch.rect(right - box_width, slot - 8, box_width, 16, fill="#ffffff", stroke=BASE_LINE, line=0.8,
                    radius=3)
        sketch.text(right - 4, slot, label, 9, font=BOLD, anchor="end")
