"""Static maps (matplotlib + shapely, no geopandas) from the store's display contours: no tiles, WebGL or network.

shapes: rows of the map_shapes query (territory_code, name, kind, display_geom as WKB).
"""

import math

import numpy as np
import pandas as pd
import shapely

from qpv.present.fmt import count_text, format_value
from qpv.present.names import display_name
from qpv.present.palette import FAVOURABLE, MISSING, NEUTRAL, REFERENCE, SEQUENTIAL
from qpv.present.scales import snapped, value_range, value_ticks
from qpv.reports.static import pyplot

BASE_FILL = "#eef0f3"
BASE_LINE = "#8e97a3"
MAX_LABELS = 10  # above this many QPV with a figure, the map names none (the colour bar reads them)
MIN_SPAN = 0.05  # degrees: an inset shows at least about 4 km around its QPV
SHAPES_SOURCE = "Contours : ANCT, QPV 2024 ; IGN Admin Express 2018 (communes)"


def geometries(shapes: pd.DataFrame) -> pd.DataFrame:
    """Decode the WKB contours once: add a shapely ``geom`` column, drop rows without one."""
    shapes = shapes[shapes["display_geom"].notna()].copy()
    shapes["geom"] = shapely.from_wkb([bytes(blob) for blob in shapes["display_geom"]])
    return shapes


def _polygon_patch(geom):
    """Make one matplotlib patch of a (multi)polygon, holes included (as geopandas draws it)."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    parts = [geom] if geom.geom_type == "Polygon" else list(geom.geoms)
    rings = []
    for part in parts:
        rings.append(Path(np.asarray(part.exterior.coords)[:, :2], closed=True))
        rings.extend(Path(np.asarray(ring.coords)[:, :2], closed=True) for ring in part.interiors)
    return PathPatch(Path.make_compound_path(*rings))


def _draw(axis, geoms, **style) -> None:
    """Draw polygons on an axis as one collection; color= fills them (edgecolor kept), as in geopandas' plot."""
    from matplotlib.collections import PatchCollection

    geoms = list(geoms)
    if not geoms:
        return
    if "color" in style:
        style["facecolor"] = style.pop("color")
    axis.add_collection(PatchCollection([_polygon_patch(geom) for geom in geoms], **style), autolim=True)
    axis.autoscale_view()


def _frame(axis, bounds: tuple[float, float, float, float], pad: float, ratio: float) -> None:
    """View bounds with padding in a box of the given height/width ratio, true proportions at that latitude."""
    xmin, ymin, xmax, ymax = bounds
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    stretch = 1 / math.cos(math.radians(cy))  # a degree of latitude is this many degrees of longitude on screen
    width = max(xmax - xmin, (ymax - ymin) * stretch / ratio, MIN_SPAN) * (1 + 2 * pad)
    height = width * ratio / stretch
    axis.set_xlim(cx - width / 2, cx + width / 2)
    axis.set_ylim(cy - height / 2, cy + height / 2)
    axis.set_aspect(stretch)
    axis.set_xticks([])
    axis.set_yticks([])
    axis.set_xlabel("")
    axis.set_ylabel("")
    for spine in axis.spines.values():
        spine.set_visible(True)
        spine.set_color(BASE_LINE)


def _in_view(axis, shapes: pd.DataFrame) -> pd.DataFrame:
    """Keep the shapes whose box meets the current view."""
    (x0, x1), (y0, y1) = axis.get_xlim(), axis.get_ylim()
    box = shapely.box(x0, y0, x1, y1)
    return shapes[shapely.intersects(shapes["geom"].to_numpy(), box)]


def _commune_names(axis, communes: pd.DataFrame, size: float) -> None:
    """Write the names of the communes whose label point falls in the view."""
    from matplotlib import patheffects

    (x0, x1), (y0, y1) = axis.get_xlim(), axis.get_ylim()
    inner = shapely.box(x0 + 0.18 * (x1 - x0), y0 + 0.06 * (y1 - y0), x1 - 0.18 * (x1 - x0), y1 - 0.06 * (y1 - y0))
    for _, row in communes.iterrows():
        point = shapely.point_on_surface(row["geom"])
        if inner.contains(point):
            axis.text(point.x, point.y, row["name"], fontsize=size, color="#3d4550", ha="center", va="center",
                      path_effects=[patheffects.withStroke(linewidth=2.5, foreground="white")])


def inset_map(shapes: pd.DataFrame, code: str, *, size_in: float = 3.2):
    """Locate one QPV: its outline filled dark, other QPV outlined, communes and their names around it."""
    plt = pyplot()
    shapes = geometries(shapes)
    figure, axis = plt.subplots(figsize=(size_in, size_in * 0.72))
    target = shapes[shapes["territory_code"] == code]
    if target.empty:
        axis.text(0.5, 0.5, "Contour non disponible", ha="center", va="center", transform=axis.transAxes)
        axis.set_axis_off()
        return figure
    _frame(axis, shapely.total_bounds(target["geom"].to_numpy()), pad=0.45, ratio=0.72)
    nearby = _in_view(axis, shapes)
    _draw(axis, nearby[nearby["kind"] == "commune"]["geom"], facecolor=BASE_FILL, edgecolor=BASE_LINE, linewidth=0.6)
    others = nearby[(nearby["kind"] == "qpv") & (nearby["territory_code"] != code)]
    _draw(axis, others["geom"], facecolor=MISSING, edgecolor=NEUTRAL, linewidth=0.6)
    _draw(axis, target["geom"], facecolor=FAVOURABLE, edgecolor=REFERENCE, linewidth=1.4, alpha=0.85)
    _commune_names(axis, nearby[nearby["kind"] == "commune"], size=6.5)
    _frame(axis, shapely.total_bounds(target["geom"].to_numpy()), pad=0.45, ratio=0.72)
    figure.tight_layout(pad=0.1)
    return figure


def _colours(values: pd.Series, reference: float | None = None, unit: str = ""):
    """Map values to the app's sequential scale on the honest range of qpv.present.scales (reference held)."""
    from matplotlib.colors import LinearSegmentedColormap, Normalize

    cmap = LinearSegmentedColormap.from_list("qpv", [(stop, colour) for stop, colour in SEQUENTIAL])
    bounds = value_range(list(values), reference, unit)
    low, high = snapped(*bounds) if bounds else (0.0, 1.0)
    return cmap, Normalize(low, high)


def _colour_bar(figure, axis, cmap, norm, rows: pd.DataFrame, reference: float | None, unit: str) -> None:
    """Draw the colour bar with French ticks, the agglomeration value marked on it."""
    from matplotlib.cm import ScalarMappable

    bar = figure.colorbar(ScalarMappable(norm=norm, cmap=cmap), ax=axis, orientation="vertical", shrink=0.6,
                          pad=0.02, label=f"{rows['short_label'].iloc[0]} ({rows['period'].iloc[0]})")
    ticks, labels = value_ticks(norm.vmin, norm.vmax, unit)
    bar.set_ticks(ticks, labels=labels)
    if reference is not None:
        bar.ax.axhline(reference, color=REFERENCE, linewidth=2.2)
        bar.ax.annotate(f"agglo. {format_value(reference, unit)}", (0, reference), xycoords=("axes fraction", "data"),
                        xytext=(-4, 0), textcoords="offset points", ha="right", va="center", fontsize=8,
                        fontweight="bold", color=REFERENCE)


def territory_map(shapes: pd.DataFrame, rows: pd.DataFrame, *, width: float = 9.0, height: float = 5.6):
    """Colour every QPV of the territory by its figure on an honest scale (the agglomeration on it); QPV without
    one grey and hatched, labelled with values."""
    from matplotlib.patches import Patch

    plt = pyplot()
    shapes = geometries(shapes)
    qpv = shapes[shapes["kind"] == "qpv"].merge(rows[["qpv_code", "value", "qpv_name"]], how="left",
                                                 left_on="territory_code", right_on="qpv_code")
    unit = rows["unit"].iloc[0]
    references = rows["epci_value"].dropna() if "epci_value" in rows else pd.Series(dtype=float)
    reference = float(references.iloc[0]) if not references.empty else None
    figure, axis = plt.subplots(figsize=(width, height))
    _frame(axis, shapely.total_bounds(qpv["geom"].to_numpy()), pad=0.05, ratio=height / width * 1.12)
    _draw(axis, shapes[shapes["kind"] == "commune"]["geom"], facecolor=BASE_FILL, edgecolor=BASE_LINE, linewidth=0.5)
    cmap, norm = _colours(qpv["value"], reference, unit)
    known, unknown = qpv[qpv["value"].notna()], qpv[qpv["value"].isna()]
    _draw(axis, unknown["geom"], facecolor=MISSING, edgecolor=NEUTRAL, linewidth=0.6, hatch="////")
    _draw(axis, known["geom"], color=[cmap(norm(v)) for v in known["value"]], edgecolor=REFERENCE, linewidth=0.9)
    _value_labels(axis, known, unit)
    _frame(axis, shapely.total_bounds(qpv["geom"].to_numpy()), pad=0.05, ratio=height / width * 1.12)
    _colour_bar(figure, axis, cmap, norm, rows, reference, unit)
    axis.legend(handles=[Patch(facecolor=MISSING, edgecolor=NEUTRAL, hatch="////",
                               label=f"non renseigné ({count_text(len(unknown), 'QPV', 'QPV')})")],
                loc="lower left", frameon=True, fontsize=9)
    figure.tight_layout(pad=0.2)
    return figure


def _value_labels(axis, known: pd.DataFrame, unit: str) -> None:
    """Write each QPV's name and figure in a column on the right, a leader line to its outline."""
    if known.empty or len(known) > MAX_LABELS:
        return
    points = shapely.point_on_surface(known["geom"].to_numpy())
    order = np.argsort([-point.y for point in points])
    (x0, x1), (y0, y1) = axis.get_xlim(), axis.get_ylim()
    slots = np.linspace(y1 - 0.12 * (y1 - y0), y0 + 0.12 * (y1 - y0), len(known) + 2)[1:-1]
    for slot, index in zip(slots, order, strict=True):
        row, point = known.iloc[index], points[index]
        axis.annotate(f"{display_name(row['qpv_name'])} : {format_value(row['value'], unit)}", (point.x, point.y),
                      xytext=(x1 - 0.02 * (x1 - x0), slot), ha="right", va="center", fontsize=9, fontweight="bold",
                      color=REFERENCE, bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": BASE_LINE},
                      arrowprops={"arrowstyle": "-", "color": REFERENCE, "linewidth": 0.8})
