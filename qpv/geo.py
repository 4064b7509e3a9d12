"""Contours: load the shipped GeoJSON files into the store, simplified once for display.

Display geometry is computed here, once per build, never at page time:
- repair: ``make_valid``, keeping only polygonal parts;
- coverage simplification (``shapely.coverage_simplify``, Visvalingam-Whyatt) of each
  layer as a whole, so that neighbours keep sharing their edges: no gap, no overlap.
  A layer that is not a valid coverage (the generalised QPV file has slivers of
  overlap between neighbours) is first cleaned with ``shapely.coverage_clean``; if it
  is still not valid, each polygon is simplified alone, topology preserved;
- coordinates rounded to 1e-5 degree (about 1 m), which cuts the JSON payload.
"""

from dataclasses import dataclass
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from qpv.csvfiles import display_name
from qpv.errors import DataError, Problem

PRECISION = 1e-5  # degree grid of display coordinates (about 1 m)
POLYGONAL = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


@dataclass(frozen=True)
class Layer:
    """One contour file of data/geo and how to store it."""

    file: str
    code_field: str
    source_id: str
    tolerance: float  # coverage_simplify tolerance, in degrees (about sqrt of removed area)


QPV_LAYER = Layer("qpv2024_france.geojson", "code_qp", "anct_qpv2024", 3e-4)
LAYERS = (
    QPV_LAYER,
    Layer("communes_cabbalr.geojson", "code", "admin_express_2018", 3e-4),
    Layer("epci_cabbalr.geojson", "siren", "epci_union_cabbalr", 3e-4),
)


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


def read_layer(path: Path, code_field: str) -> tuple[np.ndarray, np.ndarray]:
    """Read a GeoJSON layer in WGS84; return codes and repaired geometries, nulls dropped."""
    try:
        frame = gpd.read_file(path, engine="pyogrio", columns=[code_field])
    except Exception as error:  # pyogrio raises several unrelated types
        message = f"fichier de contours illisible : {error}"
        raise DataError([Problem(display_name(path), None, None, message)]) from error
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    geoms, _ = repair(frame.geometry.values)
    codes = frame[code_field].astype(str).to_numpy()
    kept = ~shapely.is_missing(geoms)
    return codes[kept], geoms[kept]


def layer_frame(layer: Layer, geo_dir: Path) -> pd.DataFrame:
    """Build the geometries rows of one layer."""
    codes, geoms = read_layer(geo_dir / layer.file, layer.code_field)
    display = display_geometries(geoms, layer.tolerance)
    bounds = shapely.bounds(geoms)
    return pd.DataFrame({
        "territory_code": codes,
        "geom": shapely.to_wkb(geoms),
        "display_geom": shapely.to_wkb(display),
        "xmin": bounds[:, 0], "ymin": bounds[:, 1], "xmax": bounds[:, 2], "ymax": bounds[:, 3],
        "source_id": layer.source_id,
    })


def _check_codes(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, path: Path) -> None:
    """Refuse duplicate codes and codes with no territory row, naming each one."""
    known = {row[0] for row in con.execute("select code from territories").fetchall()}
    problems = []
    for code in sorted(set(frame.territory_code[frame.territory_code.duplicated()])):
        problems.append(Problem(display_name(path), None, None, f"code {code} présent plusieurs fois."))
    for code in sorted(set(frame.territory_code) - known):
        problems.append(Problem(display_name(path), None, None, f"code {code} absent des territoires."))
    if problems:
        raise DataError(problems)


def load_geometries(con: duckdb.DuckDBPyConnection, geo_dir: Path) -> None:
    """Insert the QPV, commune and EPCI contours of geo_dir into the geometries table."""
    for layer in LAYERS:
        frame = layer_frame(layer, geo_dir)
        _check_codes(con, frame, geo_dir / layer.file)
        con.register("geometry_rows", frame)
        try:
            con.execute("insert into geometries by name select * from geometry_rows")
        finally:
            con.unregister("geometry_rows")


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


def to_feature_collection(
    frame: pd.DataFrame, *, code: str = "territory_code", name: str = "name", geometry: str = "display_geom",
) -> dict:
    """Turn rows (code, name, WKB) into a GeoJSON FeatureCollection, id = territory code.

    Each feature also carries its ``bbox`` [xmin, ymin, xmax, ymax] and, in its
    properties, ``name`` and ``label`` (a [lon, lat] point inside the polygon where
    a name can be written). Rows with no geometry are left out.
    """
    frame = frame[frame[geometry].notna()]
    geoms = shapely.from_wkb([bytes(blob) for blob in frame[geometry]])  # DuckDB gives bytearray
    bounds = np.round(shapely.bounds(geoms), 5).tolist()
    labels = np.round(shapely.get_coordinates(shapely.point_on_surface(geoms)), 5).tolist()
    names = frame[name].tolist() if name in frame else [None] * len(frame)
    features = [
        {"type": "Feature", "id": str(c), "bbox": b, "properties": {"name": n, "label": p}, "geometry": g}
        for c, n, b, p, g in zip(frame[code].tolist(), names, bounds, labels, geojson_geometries(geoms), strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def place_labels(frame: pd.DataFrame, *, name: str = "commune_name", geometry: str = "display_geom") -> pd.DataFrame:
    """Name places for a national map from QPV rows: one label per name, where its QPV are.

    Returns columns name, lon, lat (mean of the QPV label points) and priority
    (minus the number of QPV), so that places with more QPV are named first.
    """
    frame = frame[frame[geometry].notna() & frame[name].notna()]
    geoms = shapely.from_wkb([bytes(blob) for blob in frame[geometry]])
    points = shapely.get_coordinates(shapely.point_on_surface(geoms))
    table = pd.DataFrame({"name": frame[name].to_numpy(), "lon": points[:, 0], "lat": points[:, 1]})
    grouped = table.groupby("name", as_index=False).agg(lon=("lon", "mean"), lat=("lat", "mean"), count=("lon", "size"))
    grouped["priority"] = -grouped.pop("count")
    return grouped.sort_values("priority", kind="stable").reset_index(drop=True)
