"""GeoJSON for the maps: contour rows of the store (code, name, WKB) turned into FeatureCollections and place names."""

import numpy as np
import pandas as pd
import shapely

from qpv.store.geo import geojson_geometries

CHUNKS = 7  # 5-bit characters per encoded number: 35 bits hold any zigzagged difference of degrees × 10^5
COMMUNES = "Communes"  # the commune layer's trace name (qpv.figures.map_base.commune_layer)


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


def encoded_features(features: list[dict]) -> list[dict]:
    """Write each feature's rings as encoded polylines: {"type", "encoded": rings (Polygon) or polygons of rings}."""
    rings = [ring for feature in features for ring in _rings(feature["geometry"])]
    texts = iter(encode_rings(rings))
    encoded = []
    for feature in features:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            parts = [next(texts) for _ in geometry["coordinates"]]
        else:
            parts = [[next(texts) for _ in polygon] for polygon in geometry["coordinates"]]
        encoded.append({**feature, "geometry": {"type": geometry["type"], "encoded": parts}})
    return encoded


def _rings(geometry: dict) -> list[list]:
    """List the rings of a Polygon or MultiPolygon, in order."""
    if geometry["type"] == "Polygon":
        return geometry["coordinates"]
    return [ring for polygon in geometry["coordinates"] for ring in polygon]


def encode_rings(rings: list[list[list[float]]], decimals: int = 5) -> list[str]:
    """Encode rings of [lon, lat] with Google's encoded polyline algorithm, vectorised; one string per ring.

    Each number is the difference to the previous point of its ring (the first one to 0), in units of
    10^-decimals degree, zigzag-signed, written 5 bits per character from « ? » (63): lossless at the
    5 decimals the outlines are rounded to, and decoded in the browser by map.js.
    """
    if not rings:
        return []
    lengths = np.array([len(ring) for ring in rings])
    units = np.rint(np.concatenate([np.asarray(ring, dtype=float).reshape(-1, 2) for ring in rings])
                    * 10 ** decimals).astype(np.int64)
    deltas = np.diff(units, axis=0, prepend=np.zeros((1, 2), dtype=np.int64))
    starts = np.cumsum(lengths) - lengths
    deltas[starts] = units[starts]
    values = deltas.ravel()
    signed = np.where(values < 0, ~(values << 1), values << 1)
    chunks = (signed[:, None] >> (5 * np.arange(CHUNKS))) & 31
    count = 1 + ((signed[:, None] >> (5 * np.arange(1, CHUNKS))) > 0).sum(axis=1)
    more = np.arange(CHUNKS)[None, :] < (count - 1)[:, None]
    characters = (chunks | (more * 32)) + 63
    text = characters[np.arange(CHUNKS)[None, :] < count[:, None]].astype(np.uint8).tobytes().decode("ascii")
    ends = np.cumsum(np.add.reduceat(count, 2 * starts))
    return [text[a:b] for a, b in zip(np.concatenate([[0], ends[:-1]]), ends, strict=True)]


def decode_ring(text: str, decimals: int = 5) -> list[list[float]]:
    """Decode one encoded ring back to [lon, lat] points (what map.js does in the browser)."""
    numbers, value, shift = [], 0, 0
    for character in text:
        bits = ord(character) - 63
        value |= (bits & 31) << shift
        shift += 5
        if bits < 32:
            numbers.append(~(value >> 1) if value & 1 else value >> 1)
            value, shift = 0, 0
    points, x, y = [], 0, 0
    for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
        x, y = x + dx, y + dy
        points.append([round(x / 10 ** decimals, decimals), round(y / 10 ** decimals, decimals)])
    return points
