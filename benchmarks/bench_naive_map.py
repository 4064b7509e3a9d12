"""The map against the naive peer: a tutorial-style build (geopandas.read_file + px.choropleth_map, nothing cached).

Run: .venv/bin/python benchmarks/bench_naive_map.py [--runs 9]

Both run in this process, alternating (naive then product, product then naive on the next run), on the
contours of the configured contour folders (QPV_GEO_DIR, else data/geo, else ../shared/geo):

- naive: read the QPV GeoJSON with geopandas (for the CABBALR, its own file qpv2024_cabbalr.geojson when the
  contour folders have it, else the national file), keep the EPCI's QPV, merge the values, px.choropleth_map;
- product: the map_shapes query on the store, to_feature_collection, then the two parts of the Carte's
  MapLibre map (qpv.figures.map_view): map_kept (style, outlines) and map_paint (colours, hover, legend),
  all on every run;
- product with kept outlines: what the Carte page does on a rerun (it keeps the outlines per store
  version, and the browser keeps them too): map_paint only.

Each is timed twice: building the figure, and building then serialising what each sends to the browser on
a run: the naive app through st.plotly_chart (to_dict, validation, plotly.io.to_json), the product as the
Carte page's map component does (the kept part is sent once per session and territory, then kept by the
browser; a rerun sends the paint). Payloads: the naive one
on every run; the product's on a rerun, and on a first view (outlines included). CABBALR uses the
shipped figures (taux d'emploi 2024); France colours all 1 606 drawn QPV with SYNTHETIC values. Prints
medians, min–max and naive / product ratios with the targets of issue 13 (product ≥ 5× faster than the naive
build, France payload ≤ 1,5 MB). Never asserts anything.
"""

import argparse
import sys
import time
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import plotly.tools
from harness import KB, REPO, median, print_facts, private_store, spread
from plotly.io.json import to_json_plotly

sys.path.insert(0, str(REPO))

from qpv.figures.geojson import to_feature_collection  # noqa: E402
from qpv.figures.map_view import map_kept, map_paint  # noqa: E402
from qpv.present.tables import map_values  # noqa: E402
from qpv.store.contours import QPV_LAYER, contour_files  # noqa: E402
from qpv.store.paths import data_dir, geo_file  # noqa: E402
from qpv.store.reader import attach  # noqa: E402

CABBALR, INDICATOR, PERIOD = "200072460", "taux_emploi_15_64", "2024"
TARGET_SPEEDUP, TARGET_FRANCE_MB = 5.0, 1.5
MB = 1024 * KB
KEPT_WORDS = "produit, contours gardés (la page, à chaque réexécution)"
FRANCE_SHAPES = """select g.territory_code, t.name, t.kind, g.display_geom from store.geometries g
                   join store.territories t on t.code = g.territory_code where t.kind = 'qpv' order by 1"""


def streamlit_payload(figure) -> str:
    """Serialise a figure as st.plotly_chart does (plotly.tools then plotly.io.to_json)."""
    return pio.to_json(plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True), validate=False)


def naive_map(qpv_file: Path, values: pd.DataFrame, epci: str | None):
    """The tutorial way: read the file, filter, merge, px.choropleth_map on a tile style (not fetched here)."""
    import geopandas as gpd
    import plotly.express as px

    frame = gpd.read_file(qpv_file)
    if epci:
        frame = frame[frame["siren_epci"].fillna("").str.contains(epci)]
    frame = frame[frame.geometry.notna()].merge(values, left_on="code_qp", right_on="territory_code", how="left")
    centre = frame.geometry.union_all().centroid
    return px.choropleth_map(frame, geojson=frame.geometry, locations=frame.index, color="value",
                             hover_name="lib_qp", map_style="carto-positron", opacity=0.7,
                             center={"lat": centre.y, "lon": centre.x}, zoom=9 if epci else 4.5)


def outlines(con, epci: str | None) -> tuple[dict, dict]:
    """Query the store's display contours and turn them into FeatureCollections (the page keeps these)."""
    from qpv.store.queries import execute

    if epci:
        shapes = execute(con, "map_shapes", database="store", epci=epci)
    else:
        shapes = con.execute(FRANCE_SHAPES).df()
    return (to_feature_collection(shapes[shapes["kind"] == "qpv"]),
            to_feature_collection(shapes[shapes["kind"] == "commune"]))


def product_map(con, values: pd.DataFrame, epci: str | None, shapes: tuple[dict, dict] | None = None):
    """The product's way, as on the Carte page: the display contours and the kept part (unless the outlines are
    given: then the page keeps both), then the paint."""
    qpv, communes = shapes or outlines(con, epci)
    paint = map_paint(qpv, values, unit="%", mode="gap", direction="higher", reference=58.8,
                      reference_label="CA de Béthune-Bruay, Artois-Lys Romane", period=PERIOD,
                      indicator_label="Taux d'emploi des 15-64 ans")
    return {"kept": None if shapes else map_kept(qpv, communes), "paint": paint}


def synthetic_values(con) -> pd.DataFrame:
    """SYNTHETIC values for every QPV of the store (a tenth secret), for the France case only."""
    codes = con.execute("select code, name from store.territories where kind = 'qpv' order by code").df()
    values = np.random.default_rng(7).normal(55, 10, len(codes)).round(1)
    frame = pd.DataFrame({"territory_code": codes["code"], "territory_name": codes["name"], "value": values,
                          "status": "publie", "reference_value": 58.8, "source_label": "valeurs SYNTHÉTIQUES",
                          "period": PERIOD})
    frame.loc[frame.index % 10 == 0, ["value", "status"]] = [np.nan, "secret"]
    return frame


def page_payload(built: dict, first_view: bool = False) -> str:
    """Serialise a map as the Carte page sends it: the paint, plus the kept part on a first view."""
    return to_json_plotly(built["paint"]) + (to_json_plotly(built["kept"]) if first_view else "")


def timed(make, serialise) -> float:
    """Return the seconds one build (and serialisation, when a serialiser is given) takes."""
    start = time.perf_counter()
    figure = make()
    if serialise:
        serialise(figure)
    return time.perf_counter() - start


def compare(label: str, naive, product, kept, runs: int, target_mb: float | None) -> None:
    """Time naive, product and product with kept outlines alternately, build only and build + serialise."""
    naive_size = len(streamlit_payload(naive()).encode())
    rerun_size, first_size = (len(page_payload(product(), first).encode()) for first in (False, True))
    makers = {"naive": naive, "product": product, "kept": kept}
    print(f"{label}")
    for serialise in (False, True):
        times = {name: [] for name in makers}
        for run in range(runs):
            for name in list(makers) if run % 2 == 0 else list(makers)[::-1]:
                serialiser = (streamlit_payload if name == "naive" else page_payload) if serialise else None
                times[name].append(timed(makers[name], serialiser))
        what = "construction + sérialisation de ce qui part au navigateur" if serialise else "construction de la figure"
        print(f"  {what}, ms")
        for name, words in (("product", "produit"), ("kept", KEPT_WORDS)):
            speedup = median(times["naive"]) / median(times[name])
            print(f"    naïf {spread(times['naive'], 1000)} · {words} {spread(times[name], 1000)} · "
                  f"{speedup:.2f}× plus rapide (cible ≥ {TARGET_SPEEDUP:g}× : "
                  f"{'atteint' if speedup >= TARGET_SPEEDUP else 'NON ATTEINT'})")
    target = ""
    if target_mb is not None:
        target = f" (cible ≤ {target_mb:g} Mo : {'atteint' if first_size / MB <= target_mb else 'NON ATTEINT'})"

    def kb(size: int) -> str:
        return f"{size / KB:,.0f}".replace(",", "\u202f")

    print(f"  charge utile : naïf {kb(naive_size)} Ko à chaque exécution · produit {kb(first_size)} Ko "
          f"à la première vue{target}, puis {kb(rerun_size)} Ko par réexécution\n")


def main() -> None:
    """Compare the naive map with the product's, for the CABBALR and for France."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="mesures par cas (alternées)")
    runs = parser.parse_args().runs
    files = contour_files(data_dir())
    if QPV_LAYER.file not in files:
        raise SystemExit("Contours des QPV introuvables : QPV_GEO_DIR, data/geo ou ../shared/geo (voir README).")
    print_facts("Carte : le produit face à l'application naïve (geopandas.read_file + px.choropleth_map)")
    print(f"Contours : {files[QPV_LAYER.file]} · {runs} mesures alternées par cas, après une mesure de chauffe.\n")
    con = attach(private_store())
    from qpv.store.queries import execute

    comparison = execute(con, "qpv_comparison", database="store", epci=CABBALR, period=PERIOD)
    cabbalr_values = map_values(comparison[comparison["indicator_id"] == INDICATOR])
    france_values = synthetic_values(con)
    qpv_file = files[QPV_LAYER.file]
    local_file = geo_file("qpv2024_cabbalr.geojson", data_dir()) or qpv_file
    print(f"Fichier lu par l'application naïve pour la CABBALR : {local_file}\n")
    compare(f"CABBALR ({len(cabbalr_values)} QPV, chiffres livrés ; le produit dessine aussi les 100 communes)",
            lambda: naive_map(local_file, cabbalr_values, CABBALR), lambda: product_map(con, cabbalr_values, CABBALR),
            partial(product_map, con, cabbalr_values, CABBALR, outlines(con, CABBALR)), runs, None)
    compare("France (tous les QPV dessinés, valeurs SYNTHÉTIQUES)",
            lambda: naive_map(qpv_file, france_values, None), lambda: product_map(con, france_values, None),
            partial(product_map, con, france_values, None, outlines(con, None)), max(3, runs // 3), TARGET_FRANCE_MB)
    print("Chiffres affichés, jamais vérifiés par un test.")


if __name__ == "__main__":
    main()
