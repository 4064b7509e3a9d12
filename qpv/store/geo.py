"""Contours: load the contour files of the geo folders into the store, simplified once for display.

Contours are optional: a layer whose file is in none of the searched folders (``qpv.store.paths.geo_dirs``)
is left out, and the store records which layers it holds (``meta`` key ``contours``), so that maps can say
which file to load and with which command.

Display geometry is computed here, once per build, never at page time:
- repair: ``make_valid``, keeping only polygonal parts;
- coverage simplification (``shapely.coverage_simplify``, Visvalingam-Whyatt) of each
  layer as a whole, so that neighbours keep sharing their edges: no gap, no overlap.
  A layer that is not a valid coverage (the generalised QPV file has slivers of
  overlap between neighbours) is first cleaned with ``shapely.coverage_clean``; if it
  is still not valid, each polygon is simplified alone, topology preserved;
- coordinates rounded to 1e-5 degree (about 1 m), which cuts the JSON payload.
"""

import io
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from qpv.store.contours import LAYERS, Layer
from qpv.store.errors import DataError, Problem

PRECISION = 1e-5  # degree grid of display coordinates (about 1 m)
POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


def polygonal_part(geom: shapely.Geometry | None) -> shapely.Geometry | None:
    """Keep the polygons of a geometry; None when none is left."""
    if geom is None or shapely.get_type_id(geom) in POLYGONAL:
        return geom
    parts = shapely.get_parts(shapely.get_parts(geom))
    polygons = [p for p in parts if shapely.get_type_id(p) == shapely.GeometryType.POLYGON and not p.is_empty]
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def repair(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Make invalid geometries valid and polygonal; return them and a mask of those repaired."""
    geoms = np.array(geoms, dtype=object)
    present = ~shapely.is_missing(geoms)
    broken = present & ~shapely.is_valid(geoms)
    geoms[broken] = shapely.make_valid(geoms[broken])
    geoms[present] = [polygonal_part(g) for g in geoms[present]]
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    geoms[empty] = None
    return geoms, broken


def simplify_coverage(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Simplify polygons as one coverage so that neighbours share their simplified edges."""
    geoms = np.asarray(geoms, dtype=object)
    if len(geoms) == 0:
        return geoms
    if not shapely.coverage_is_valid(geoms):
        cleaned = shapely.coverage_clean(geoms)
        kept = ~shapely.is_empty(cleaned) & shapely.is_valid(cleaned)
        if kept.all() and shapely.coverage_is_valid(cleaned):
            geoms = cleaned
        else:
            return shapely.simplify(geoms, tolerance, preserve_topology=True)
    return shapely.coverage_simplify(geoms, tolerance)


def display_geometries(geoms: np.ndarray, tolerance: float) -> np.ndarray:
    """Return the display version of polygons: coverage-simplified, rounded, still valid."""
    simplified = shapely.set_precision(simplify_coverage(geoms, tolerance), PRECISION)
    lost = shapely.is_empty(simplified) | ~shapely.is_valid(simplified)
    simplified[lost] = shapely.set_precision(geoms[lost], PRECISION)  # too small to simplify
    still_lost = shapely.is_empty(simplified)
    simplified[still_lost] = geoms[still_lost]
    return simplified


def read_layer(content: bytes, code_field: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    """Read the bytes of a GeoJSON layer in WGS84; return codes and repaired geometries, nulls dropped."""
    try:
        frame = gpd.read_file(io.BytesIO(content), engine="pyogrio", columns=[code_field])
    except Exception as error:  # pyogrio raises several unrelated types
        message = f"fichier de contours illisible : {error}"
        raise DataError([Problem(name, None, None, message)]) from error
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms, _ = repair(frame.geometry.values)
    codes = frame[code_field].astype(str).to_numpy()
    kept = ~shapely.is_missing(geoms)
    return codes[kept], geoms[kept]


def layer_frame(layer: Layer, content: bytes) -> pd.DataFrame:
    """Build the geometries rows of one layer from the bytes of its file."""
    codes, geoms = read_layer(content, layer.code_field, layer.file)
    display = display_geometries(geoms, layer.tolerance)
    bounds = shapely.bounds(geoms)
    return pd.DataFrame({
        "territory_code": codes,
        "geom": shapely.to_wkb(geoms),
        "display_geom": shapely.to_wkb(display),
        "xmin": bounds[:, 0], "ymin": bounds[:, 1], "xmax": bounds[:, 2], "ymax": bounds[:, 3],
        "source_id": layer.source_id,
    })


def _check_codes(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, name: str) -> None:
    """Refuse duplicate codes and codes with no territory row, naming each one."""
    known = {row[0] for row in con.execute("select code from territories").fetchall()}
    problems = []
    for code in sorted(set(frame.territory_code[frame.territory_code.duplicated()])):
        problems.append(Problem(name, None, None, f"code {code} présent plusieurs fois."))
    for code in sorted(set(frame.territory_code) - known):
        problems.append(Problem(name, None, None, f"code {code} absent des territoires."))
    if problems:
        raise DataError(problems)


def load_geometries(con: duckdb.DuckDBPyConnection, files: dict[str, bytes | Path]) -> list[str]:
    """Insert the contours of the given files (layer file name → bytes, or path) into geometries; return the layers."""
    for layer in LAYERS:
        if layer.file not in files:
            continue
        content = files[layer.file]
        frame = layer_frame(layer, content if isinstance(content, bytes) else Path(content).read_bytes())
        _check_codes(con, frame, layer.file)
        con.register("geometry_rows", frame)
        try:
            con.execute("insert into geometries by name select * from geometry_rows")
        finally:
            con.unregister("geometry_rows")
    return [layer.file for layer in LAYERS if layer.file in files]


def _split(items: list, counts: np.ndarray) -> list[list]:
    """Cut a flat list into consecutive groups of the given sizes."""
    ends = np.cumsum(counts)
    return [items[start:end] for start, end in zip((ends - counts).tolist(), ends.tolist(), strict=True)]


def geojson_geometries(geoms: np.ndarray, decimals: int = 5) -> list[dict]:
    """Write polygonal geometries as GeoJSON geometry dicts, vectorised (no JSON round trip)."""
    polygons, owner = shapely.get_parts(geoms, return_index=True)
    rings, ring_owner = shapely.get_rings(polygons, return_index=True)
    coords = np.round(shapely.get_coordinates(rings), decimals).tolist()
    by_ring = _split(coords, shapely.get_num_coordinates(rings))
    by_polygon = _split(by_ring, np.bincount(ring_owner, minlength=len(polygons)))
    by_geom = _split(by_polygon, np.bincount(owner, minlength=len(geoms)))
    kinds = shapely.get_type_id(geoms)
    return [
        {"type": "Polygon", "coordinates": parts[0]} if kind == shapely.GeometryType.POLYGON
        else {"type": "MultiPolygon", "coordinates": parts}
        for kind, parts in zip(kinds, by_geom, strict=True)
    ]
