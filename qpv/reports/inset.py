"""The inset map that locates one QPV (PDF fiche, deck, print PNG), as a reportlab vector Drawing, in pure Python:
the contours are decoded, projected, clipped and labelled by qpv.reports.planar, so that the fiche command loads
neither numpy nor shapely. The deck's territory map (qpv.reports.maps) shares the frame and the colours.

shapes: rows of the map_shapes query (territory_code, name, kind, display_geom as WKB), records or a DataFrame.
"""

from qpv.present.palette import FAVOURABLE, MISSING, NEUTRAL, REFERENCE
from qpv.reports.planar import Frame, Polygon, bounds, interior_point, overlaps, read_polygons
from qpv.reports.vector import INCH, Sketch, colour, polygon_path
from qpv.store.records import Record, as_records

BASE_FILL = "#eef0f3"
BASE_LINE = "#8e97a3"


def decoded(shapes) -> list[Record]:
    """Decode the WKB contours of map_shapes rows once: records with their ``polygons`` and ``bounds``."""
    rows = []
    for row in as_records(shapes):
        polygons = read_polygons(row["display_geom"]) if row["display_geom"] is not None else []
        if polygons:
            rows.append({**row, "polygons": polygons, "bounds": bounds(polygons)})
    return rows


def draw_polygons(sketch: Sketch, frame: Frame, shapes: list[list[Polygon]], fill: str, stroke: str, line: float,
                  opacity: float = 1.0) -> None:
    """Draw each shape (its polygons) clipped to the frame as one even-odd path; what falls outside is not drawn."""
    for polygons in shapes:
        rings = [ring for polygon in polygons for ring in frame.clip(polygon)]
        if rings:
            sketch.add(polygon_path(rings, fillColor=colour(fill), fillOpacity=opacity, strokeColor=colour(stroke),
                                    strokeWidth=line, strokeLineJoin=1))


def border(sketch: Sketch, frame: Frame) -> None:
    """Outline the map frame."""
    sketch.rect(frame.left, frame.top, frame.width, frame.height, stroke=BASE_LINE, line=0.8)


def _commune_names(sketch: Sketch, frame: Frame, communes: list[Record], size: float) -> None:
    """Write the names of the communes whose label point falls well inside the view, outlined in white."""
    x0, y0, x1, y1 = frame.view
    inner = (x0 + 0.18 * (x1 - x0), y0 + 0.06 * (y1 - y0), x1 - 0.18 * (x1 - x0), y1 - 0.06 * (y1 - y0))
    for row in communes:
        point = interior_point(row["polygons"])
        if point and inner[0] < point[0] < inner[2] and inner[1] < point[1] < inner[3]:
            x, middle = frame.point(*point)
            sketch.text(x, middle, row["name"], size, fill="#3d4550", anchor="middle", halo=True)


def inset_map(shapes, code: str, *, size_in: float = 3.2):
    """Locate one QPV: its outline filled dark, other QPV outlined, communes and their names around it."""
    shapes = decoded(shapes)
    sketch = Sketch(size_in * INCH, size_in * INCH * 0.72)
    target = [row for row in shapes if row["territory_code"] == code]
    if not target:
        sketch.rect(0.5, 0.5, sketch.width - 1, sketch.height - 1, stroke=BASE_LINE)
        sketch.text(sketch.width / 2, sketch.height / 2, "Contour non disponible", 10, anchor="middle")
        return sketch.drawing
    frame = Frame(bounds([p for row in target for p in row["polygons"]]), 0.45, 0.5, 0.5, sketch.width - 1,
                  sketch.height - 1, sketch.height)
    nearby = [row for row in shapes if overlaps(row["bounds"], frame.view)]  # clipping drops what only its box meets
    communes = [row for row in nearby if row["kind"] == "commune"]
    draw_polygons(sketch, frame, [row["polygons"] for row in communes], BASE_FILL, BASE_LINE, 0.6)
    others = [row["polygons"] for row in nearby if row["kind"] == "qpv" and row["territory_code"] != code]
    draw_polygons(sketch, frame, others, MISSING, NEUTRAL, 0.6)
    draw_polygons(sketch, frame, [row["polygons"] for row in target], FAVOURABLE, REFERENCE, 1.4, opacity=0.85)
    _commune_names(sketch, frame, communes, 7.5)
    border(sketch, frame)
    return sketch.drawing
