"""Map benchmark: geometry payload and figure build time, against the product's budgets.

Run: python benchmarks/bench_map.py [--runs N]. Prints figures, never asserts. Self-sufficient:
loads the contours found (../shared/geo, data/geo or QPV_GEO_DIR) into an in-memory DuckDB (through
qpv.store.geo.load_geometries), without the full build. The values used for colouring are
synthetic; only the shapes are real.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import plotly.io as pio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qpv.figures.geojson import to_feature_collection  # noqa: E402
from qpv.figures.map import build_map  # noqa: E402
from qpv.store.contours import LAYERS, contour_files  # noqa: E402
from qpv.store.geo import load_geometries  # noqa: E402
from qpv.store.paths import data_dir  # noqa: E402
from qpv.store.schema import SCHEMA_FILE  # noqa: E402

CABBALR = "200072460"
KB, MB = 1024, 1024 * 1024


def _features(name: str) -> list[dict]:
    """Read the features of a contour file found in the contour folders (../shared/geo, data/geo, QPV_GEO_DIR)."""
    files = contour_files(data_dir())
    if name not in files:
        raise SystemExit(f"Fichier de contours {name} introuvable : lancez python -m qpv import-geo, ou QPV_GEO_DIR.")
    return json.loads(files[name].read_text(encoding="utf-8"))["features"]


def _minimal_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert rows, with a placeholder in every other NOT NULL column."""
    required = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? and is_nullable = 'NO'", [table],
    ).fetchall()]
    frame = pd.DataFrame([{**{c: "x" for c in required}, **row} for row in rows])  # noqa: F841
    con.execute(f"insert into {table} by name select * from frame")


def make_store() -> tuple[duckdb.DuckDBPyConnection, float]:
    """Load the shipped contours into an in-memory store; return it and the load time."""
    con = duckdb.connect()
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    _minimal_rows(con, "sources", [{"id": layer.source_id} for layer in LAYERS])
    territories = [{"code": f["properties"]["code_qp"], "name": f["properties"]["lib_qp"], "kind": "qpv"}
                   for f in _features("qpv2024_france.geojson")]
    territories += [{"code": f["properties"]["code"], "name": f["properties"]["nom"], "kind": "commune"}
                    for f in _features("communes_cabbalr.geojson")]
    _minimal_rows(con, "territories", territories + [{"code": CABBALR, "name": "CABBALR", "kind": "epci"}])
    start = time.perf_counter()
    load_geometries(con, contour_files(data_dir()))
    return con, time.perf_counter() - start


def shapes(con: duckdb.DuckDBPyConnection, kind: str, codes: list[str] | None = None) -> pd.DataFrame:
    """Query display geometries of one kind, optionally restricted to codes."""
    sql = ("select g.territory_code, t.name, g.display_geom from geometries g "
           "join territories t on t.code = g.territory_code where t.kind = ? order by g.territory_code")
    frame = con.execute(sql, [kind]).df()
    return frame if codes is None else frame[frame["territory_code"].isin(codes)]


def synthetic_values(collection: dict) -> pd.DataFrame:
    """Make synthetic values for every QPV, a tenth of them secret."""
    codes = [f["id"] for f in collection["features"]]
    values = np.random.default_rng(7).normal(40, 10, len(codes)).round(1)
    frame = pd.DataFrame({"territory_code": codes, "territory_name": [f"QPV {c}" for c in codes], "value": values,
                          "status": "publie", "reference_value": 38.2, "source_label": "valeurs synthétiques",
                          "period": "2024"})
    frame.loc[frame.index % 10 == 0, ["value", "status"]] = [np.nan, "secret"]
    return frame


def median_ms(action, runs: int) -> float:
    """Run once to warm up, then return the median time of runs, in milliseconds."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def line(label: str, measure: float, unit: str, budget: float | None) -> None:
    """Print one measure with its budget and verdict."""
    verdict = "" if budget is None else f"budget < {budget:g} {unit}  {'OK' if measure < budget else 'DÉPASSÉ'}"
    print(f"  {label:<58} {measure:>9.{2 if unit == 's' else 1}f} {unit:<3} {verdict}")


def size(*collections: dict) -> int:
    """Size in bytes of collections serialised as compact JSON."""
    return sum(len(json.dumps(c, ensure_ascii=False, separators=(",", ":")).encode()) for c in collections)


def main() -> None:
    """Measure payloads and build times for CABBALR and for the whole country."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="mesures par durée (médiane)")
    runs = parser.parse_args().runs
    con, load_time = make_store()
    cabbalr_codes = [f["properties"]["code_qp"] for f in _features("qpv2024_france.geojson")
                     if CABBALR in (f["properties"]["siren_epci"] or "").split(",")]
    communes = to_feature_collection(shapes(con, "commune"))
    cabbalr = to_feature_collection(shapes(con, "qpv", cabbalr_codes))
    france = to_feature_collection(shapes(con, "qpv"))
    empty = {"type": "FeatureCollection", "features": []}
    cases = {"CABBALR": (cabbalr, communes), "France": (france, empty)}
    figures = {name: (lambda q=q, c=c: build_map(q, c, synthetic_values(q), unit="%", mode="gap",
                                                 direction="lower", period="2024"))
               for name, (q, c) in cases.items()}
    print(f"Chargement des contours (load_geometries, 3 couches) : {load_time * 1000:.0f} ms")
    print(f"Valeurs de coloration : SYNTHÉTIQUES ; médiane de {runs} mesures après une mesure de chauffe.\n")
    print(f"CABBALR : {len(cabbalr['features'])} QPV + {len(communes['features'])} communes")
    line("(a) géométries d'affichage, GeoJSON sérialisé", size(cabbalr, communes) / KB, "KB", 150)
    line("    figure complète sérialisée (plotly.io.to_json, info)", len(figures["CABBALR"]().to_json()) / KB,
         "KB", None)
    line("(c) construction de la figure, à chaud", median_ms(figures["CABBALR"], runs), "ms", 100)
    line("    requête + to_feature_collection, QPV et communes (info)",
         median_ms(lambda: (to_feature_collection(shapes(con, "commune")),
                            to_feature_collection(shapes(con, "qpv", cabbalr_codes))), runs), "ms", None)
    print(f"\nFrance : {len(france['features'])} QPV (1 609 moins 3 sans géométrie)")
    line("(b) géométries d'affichage, GeoJSON sérialisé", size(france) / MB, "MB", 3)
    figure = figures["France"]()
    line("    figure complète sérialisée (plotly.io.to_json, info)", len(figure.to_json()) / MB, "MB", None)
    line("(d) construction de la figure, à chaud", median_ms(figures["France"], max(3, runs // 3)) / 1000, "s", 1)
    line("    requête + to_feature_collection (info)", median_ms(lambda: to_feature_collection(shapes(con, "qpv")), 3),
         "ms", None)
    line("    sérialisation de la figure, comme Streamlit (info)",
         median_ms(lambda: pio.to_json(figure, validate=False), 3), "ms", None)


if __name__ == "__main__":
    main()
