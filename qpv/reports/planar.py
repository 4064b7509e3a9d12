"""Plane geometry for the map insets in pure Python (no numpy, no shapely), so that the fiche command loads neither:
WKB polygons, their bounds, a map frame on the page, clipping to it, and a label point inside a polygon.

The label point is GEOS's interior point (``shapely.point_on_surface``), computed the same way: a horizontal
scan line between the vertices nearest the middle of the polygon's height, then the middle of its widest
section inside (tests/test_planar.py checks both agree on every contour). The deck's territory map keeps shapely.
"""

import math
import struct

Point = tuple[float, float]
Ring = list[Point]
Polygon = list[Ring]  # the exterior ring, then the holes
MIN_SPAN = 0.05  # degrees: an inset shows at least about 4 km around its QPV
POLYGON, MULTIPOLYGON, COLLECTION = 3, 6, 7


def _read(blob: bytes, offset: int) -> tuple[list[Polygon], int]:
    """Read one WKB geometry from offset; return its polygons (none for other kinds) and the offset after it."""
    order = "<" if blob[offset] == 1 else ">"
    kind = struct.unpack_from(f"{order}I", blob, offset + 1)[0]
    offset += 5
    if kind == POLYGON:
        (count,) = struct.unpack_from(f"{order}I", blob, offset)
        offset += 4
        rings = []
        for _ in range(count):
            (points,) = struct.unpack_from(f"{order}I", blob, offset)
            values = struct.unpack_from(f"{order}{2 * points}d", blob, offset + 4)
            rings.append(list(zip(values[::2], values[1::2], strict=True)))
            offset += 4 + 16 * points
        return [rings], offset
    if kind in (MULTIPOLYGON, COLLECTION):
        (count,) = struct.unpack_from(f"{order}I", blob, offset)
        offset += 4
        polygons = []
        for _ in range(count):
            parts, offset = _read(blob, offset)
            polygons += parts
        return polygons, offset
    raise ValueError(f"contour WKB de type {kind} : seuls les polygones 2D sont dessinés")


def read_polygons(blob) -> list[Polygon]:
    """Decode a 2D WKB Polygon, MultiPolygon or collection of them into polygons of (x, y) rings."""
    return [polygon for polygon in _read(bytes(blob), 0)[0] if polygon and polygon[0]]


def bounds(polygons: list[Polygon]) -> tuple[float, float, float, float]:
    """Return (xmin, ymin, xmax, ymax) of the exterior rings of some polygons."""
    xs = [x for polygon in polygons for x, _ in polygon[0]]
    ys = [y for polygon in polygons for _, y in polygon[0]]
    return min(xs), min(ys), max(xs), max(ys)


def overlaps(box: tuple[float, float, float, float], other: tuple[float, float, float, float]) -> bool:
    """Tell whether two (xmin, ymin, xmax, ymax) boxes meet."""
    return box[0] <= other[2] and other[0] <= box[2] and box[1] <= other[3] and other[1] <= box[3]


class Frame:
    """A map frame on the page: a view in degrees, true proportions at its latitude, and its place in points."""

    def __init__(self, bounds, pad: float, left: float, top: float, width: float, height: float, page: float):
        xmin, ymin, xmax, ymax = bounds
        cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        stretch = 1 / math.cos(math.radians(cy))  # a degree of latitude is this many degrees of longitude
        ratio = height / width
        span_x = max(xmax - xmin, (ymax - ymin) * stretch / ratio, MIN_SPAN) * (1 + 2 * pad)
        span_y = span_x * ratio / stretch
        self.view = (cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2)
        self.left, self.top, self.width, self.height = left, top, width, height
        self.bottom_y = page - top - height  # reportlab's y of the frame's lower edge
        self.scale = (width / span_x, width / span_x * stretch)  # points per degree of longitude, of latitude

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Place a point in degrees on the page, top-down (as Sketch draws)."""
        px = self.left + (x - self.view[0]) * self.scale[0]
        return px, self.top + self.height - (y - self.view[1]) * self.scale[1]

    def project(self, ring: Ring) -> Ring:
        """Place a ring in degrees on the page (points, y upwards), as the shapely maps do."""
        (x0, y0), (sx, sy) = self.view[:2], self.scale
        return [((x - x0) * sx + self.left, (y - y0) * sy + self.bottom_y) for x, y in ring]

    def clip(self, polygon: Polygon) -> list[Ring]:
        """Project a polygon and cut it to the frame; rings left with no area are dropped (holes stay holes)."""
        edges = (self.left, self.bottom_y, self.left + self.width, self.bottom_y + self.height)
        exterior = clip_ring(self.project(polygon[0]), edges)
        holes = [clip_ring(self.project(ring), edges) for ring in polygon[1:]] if exterior else []
        return [exterior, *(ring for ring in holes if ring)] if exterior else []


def _cut(ring: Ring, inside, crossing) -> Ring:
    """Keep the part of a closed ring on the inner side of one edge (Sutherland–Hodgman)."""
    kept: Ring = []
    for index, current in enumerate(ring):
        previous = ring[index - 1]
        if inside(current):
            if not inside(previous):
                kept.append(crossing(previous, current))
            kept.append(current)
        elif inside(previous):
            kept.append(crossing(previous, current))
    return kept


def clip_ring(ring: Ring, edges: tuple[float, float, float, float]) -> Ring:
    """Cut a ring to a rectangle (xmin, ymin, xmax, ymax); a ring inside it comes back unchanged, closed."""
    xmin, ymin, xmax, ymax = edges
    points = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else ring

    def at_x(x):
        return lambda a, b: (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))

    def at_y(y):
        return lambda a, b: (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)

    for inside, crossing in ((lambda p: p[0] >= xmin, at_x(xmin)), (lambda p: p[0] <= xmax, at_x(xmax)),
                             (lambda p: p[1] >= ymin, at_y(ymin)), (lambda p: p[1] <= ymax, at_y(ymax))):
        if not points:
            return []
        points = _cut(points, inside, crossing)
    return [*points, points[0]] if len(points) >= 3 else []


def _scan_line(polygon: Polygon) -> float:
    """Pick GEOS's scan line: halfway between the vertices nearest below and above the middle of the height."""
    _, low, _, high = bounds([polygon])
    centre = (low + high) / 2
    for ring in polygon:
        for _, y in ring:
            if y <= centre:
                low = max(low, y)
            elif y < high:
                high = y
    return (high + low) / 2


def _crossings(polygon: Polygon, scan: float) -> list[float]:
    """List where the rings cross the scan line, each crossing counted once, as GEOS counts them."""
    found = []
    for ring in polygon:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > scan and y1 > scan) or (y0 < scan and y1 < scan) or y0 == y1:
                continue
            if (y0 == scan and y1 < scan) or (y1 == scan and y0 < scan):
                continue
            found.append(x0 if x0 == x1 else x0 + (scan - y0) / ((y1 - y0) / (x1 - x0)))
    return sorted(found)


def interior_point(polygons: list[Polygon]) -> Point | None:
    """Return a point inside the polygons as GEOS's point_on_surface does: mid-point of the widest section."""
    best, widest = None, -1.0
    for polygon in polygons:
        scan = _scan_line(polygon)
        point, width = polygon[0][0], 0.0
        crossings = _crossings(polygon, scan)
        for left, right in zip(crossings[::2], crossings[1::2], strict=False):  # an even count
            if right - left > width:
                point, width = ((left + right) / 2, scan), right - left
        if width > widest:
            best, widest = point, width
    return best
