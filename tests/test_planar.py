"""The inset's pure-Python geometry agrees with shapely (GEOS): WKB decoding, bounds, label points, clipping to the
map frame, hatching; the inset draws its QPV, the QPV around it and the communes' names."""

import random

import duckdb
import pytest
import shapely
from reportlab.graphics.shapes import Path, String

from qpv.reports.inset import inset_map
from qpv.reports.planar import bounds, clip_ring, interior_point, read_polygons
from qpv.reports.vector import hatch_box, hatch_lines
from qpv.store.queries import execute_records


@pytest.fixture(scope="module")
def contours(store) -> list[bytes]:
    """Every display contour of the session store (the CABBALR's communes and QPV, the QPV of France)."""
    with duckdb.connect(str(store), read_only=True) as con:
        rows = con.execute("select display_geom from geometries where display_geom is not null").fetchall()
    return [bytes(row[0]) for row in rows]


def test_label_points_and_bounds_are_those_of_geos(contours):
    geoms = shapely.from_wkb(contours)
    assert len(contours) > 100
    for blob, geom, point in zip(contours, geoms, shapely.point_on_surface(geoms), strict=True):
        polygons = read_polygons(blob)
        assert interior_point(polygons) == (point.x, point.y)
        assert bounds(polygons) == tuple(shapely.bounds(geom))


def test_big_endian_wkb_reads_the_same(contours):
    geom = shapely.from_wkb(contours[0])
    assert read_polygons(shapely.to_wkb(geom, byte_order=0)) == read_polygons(contours[0])


def _clipped_area(blob: bytes, edges) -> float:
    """Return the area left of a contour once its rings are cut to edges (holes subtracted)."""
    area = 0.0
    for polygon in read_polygons(blob):
        rings = [clip_ring(ring, edges) for ring in polygon]
        if rings[0]:
            area += sum((1 if index == 0 else -1) * shapely.Polygon(ring).area
                        for index, ring in enumerate(rings) if ring)
    return area


def test_clipping_to_the_frame_keeps_what_geos_keeps(contours):
    for blob in contours[:300]:
        geom = shapely.from_wkb(blob)
        x0, y0, x1, y1 = geom.bounds
        edges = (x0 + (x1 - x0) * 0.3, y0 + (y1 - y0) * 0.2, x1 - (x1 - x0) * 0.1, y1 - (y1 - y0) * 0.4)
        assert _clipped_area(blob, edges) == pytest.approx(shapely.clip_by_rect(geom, *edges).area, rel=1e-9,
                                                           abs=1e-15)
    inside = read_polygons(contours[0])[0][0]
    assert clip_ring(inside, (-180, -90, 180, 90)) == inside  # a ring inside the frame is drawn as it is
    assert clip_ring(inside, (100, 0, 101, 1)) == []  # a ring outside it is not drawn


def test_bar_hatching_is_the_hatching_of_the_maps():
    rng = random.Random(3)
    for _ in range(100):
        x0, y0, width, height = rng.uniform(0, 500), rng.uniform(0, 500), rng.uniform(1, 200), rng.uniform(1, 30)
        ours = [(line.x1, line.y1, line.x2, line.y2) for line in hatch_box(x0, y0, x0 + width, y0 + height, 4.5)]
        geos = [(line.x1, line.y1, line.x2, line.y2) for line in hatch_lines(shapely.box(x0, y0, x0 + width,
                                                                                        y0 + height), 4.5)
                if abs(line.x2 - line.x1) > 1e-9]  # GEOS keeps lines that only touch a corner: they draw nothing
        assert len(ours) == len(geos)
        assert all(a == pytest.approx(b, abs=1e-9) for mine, theirs in zip(ours, geos, strict=True)
                   for a, b in zip(mine, theirs, strict=True))


def test_the_inset_draws_its_qpv_its_neighbours_and_the_communes_names(store):
    with duckdb.connect(str(store), read_only=True) as con:
        shapes = execute_records(con, "map_shapes", epci="200072460")
    drawing = inset_map(shapes, "QN06212M", size_in=3.0)
    paths = [shape for shape in drawing.contents if isinstance(shape, Path)]
    names = {shape.text for shape in drawing.contents if isinstance(shape, String)}
    assert len(paths) > 3 and "Bruay-la-Buissière" in names
    assert all(0 <= x <= drawing.width for path in paths for x in path.points[::2])  # clipped to the frame
    missing = inset_map(shapes, "QN99999X")
    assert "Contour non disponible" in {shape.text for shape in missing.contents if isinstance(shape, String)}
