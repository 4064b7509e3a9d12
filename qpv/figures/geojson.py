"""GeoJSON for the maps: contour rows of the store (code, name, WKB) turned into FeatureCollections and place names."""

import numpy as np
import pandas as pd
import shapely

from qpv.store.geo import geojson_geometries

COMMUNES = "Communes"  # the commune layer's trace name (qpv.figures.map_base.commune_layer): the same every run


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


def split_geometry(spec: dict) -> tuple[dict, dict]:
    """Take what does not change with the figures out of a map spec: outlines, commune layer, style, template.

    Traces then refer to one shared collection of outlines ({"$ref": "features"}); the browser puts the
    kept parts back (map.js) before drawing.
    """
    features: dict[str, dict] = {}
    kept: dict = {}
    for index, trace in enumerate(spec["data"]):
        geojson = trace.get("geojson")
        if isinstance(geojson, dict):
            features.update((feature["id"], feature) for feature in geojson.get("features", []))
            trace["geojson"] = {"$ref": "features"}
        if trace.get("name") == COMMUNES:
            kept[COMMUNES] = trace
            spec["data"][index] = {"$ref": COMMUNES}
    layout = spec["layout"]
    for name, holder in (("style", layout.get("map", {})), ("template", layout)):
        if isinstance(holder.get(name), dict):
            kept[name] = holder[name]
            holder[name] = {"$ref": name}
    kept["features"] = {"type": "FeatureCollection", "features": list(features.values())}
    return spec, kept
