"""Contours in the store (qpv.store.geo) and the contour importer (qpv.store.geo_import).

Fixtures are made inside the tests, from the shipped files, in tmp_path: Lambert-93
copies of three real QPV, and broken files (truncated JSON, empty collection, …).
"""

import hashlib
import json
import shutil
import zipfile
from pathlib import Path

import duckdb
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from qpv.figures.geojson import place_labels, to_feature_collection
from qpv.store.contours import LAYERS
from qpv.store.errors import DataError
from qpv.store.geo import display_geometries, load_geometries, polygonal_part, repair, simplify_coverage
from qpv.store.geo_import import import_contours
from qpv.store.geo_install import main_import_geo
from qpv.store.schema import SCHEMA_FILE
from tests.conftest import DATA_DIR, GEO_DIR

CABBALR = "200072460"
SEED_QPV = {"QN06208M", "QN06211M", "QN06212M", "QN06213M"}
NULL_QPV = {"QN09105I", "QN09113I", "QN09503I"}
SOURCES = ("anct_qpv2024", "admin_express_2018", "epci_union_cabbalr")
SAMPLE = ["QN06208M", "QN06212M", "QN97101M"]  # two in CABBALR, one overseas

pytestmark = pytest.mark.filterwarnings(  # writing Shapefile fixtures: names cut at 10 characters, no .prj
    "ignore:Column names longer:UserWarning", "ignore:Normalized/laundered:RuntimeWarning",
    "ignore:'crs' was not provided:UserWarning",
)


def _insert_minimal(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert rows, filling every other NOT NULL column with a placeholder (the schema may grow)."""
    required = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = ? and is_nullable = 'NO'", [table],
    ).fetchall()]
    frame = pd.DataFrame([{**{c: "x" for c in required}, **row} for row in rows])  # noqa: F841
    con.execute(f"insert into {table} by name select * from frame")


def _territories(geo_dir: Path) -> list[dict]:
    """List the territories of the three contour files, as the lead's build would."""
    qpv = json.loads((geo_dir / "qpv2024_france.geojson").read_text(encoding="utf-8"))["features"]
    communes = json.loads((geo_dir / "communes_cabbalr.geojson").read_text(encoding="utf-8"))["features"]
    rows = [{"code": f["properties"]["code_qp"], "name": f["properties"]["lib_qp"], "kind": "qpv"} for f in qpv]
    rows += [{"code": f["properties"]["code"], "name": f["properties"]["nom"], "kind": "commune"} for f in communes]
    return rows + [{"code": CABBALR, "name": "CA de Béthune-Bruay, Artois-Lys Romane", "kind": "epci"}]


def layer_files(geo_dir: Path) -> dict[str, Path]:
    """Name the contour files of a folder by layer, as the build finds them."""
    return {layer.file: geo_dir / layer.file for layer in LAYERS if (geo_dir / layer.file).is_file()}


def make_store(path: Path, geo_dir: Path = GEO_DIR) -> duckdb.DuckDBPyConnection:
    """Create a DuckDB with the schema, minimal sources and territories, then load the contours."""
    con = duckdb.connect(str(path))
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    _insert_minimal(con, "sources", [{"id": s} for s in SOURCES])
    _insert_minimal(con, "territories", _territories(geo_dir))
    load_geometries(con, layer_files(geo_dir))
    return con


@pytest.fixture(scope="module")
def geo_store(tmp_path_factory):
    """A store holding the shipped contours, loaded once for the module."""
    con = make_store(tmp_path_factory.mktemp("geo") / "geo.duckdb")
    yield con
    con.close()


@pytest.fixture(scope="module")
def rows(geo_store) -> pd.DataFrame:
    """Every geometries row with its territory kind and name, geometries decoded."""
    frame = geo_store.execute(
        "select g.*, t.kind, t.name from geometries g join territories t on t.code = g.territory_code"
    ).df()
    frame["full"] = shapely.from_wkb([bytes(b) for b in frame["geom"]])
    frame["display"] = shapely.from_wkb([bytes(b) for b in frame["display_geom"]])
    return frame


# --- loading -------------------------------------------------------------------------------------------

def test_counts_by_kind_and_source(rows):
    counts = rows.groupby(["kind", "source_id"]).size().to_dict()
    assert counts == {("qpv", "anct_qpv2024"): 1606, ("commune", "admin_express_2018"): 100,
                      ("epci", "epci_union_cabbalr"): 1}


def test_null_geometries_have_no_row(rows):
    assert NULL_QPV.isdisjoint(rows["territory_code"])


def test_cabbalr_qpv_are_all_there(rows):
    features = json.loads((GEO_DIR / "qpv2024_france.geojson").read_text(encoding="utf-8"))["features"]
    cabbalr = {f["properties"]["code_qp"] for f in features if CABBALR in f["properties"]["siren_epci"].split(",")}
    assert len(cabbalr) == 16
    assert SEED_QPV <= cabbalr
    assert cabbalr <= set(rows["territory_code"])


@pytest.mark.parametrize("column", ["full", "display"])
def test_every_geometry_is_valid_polygonal_and_not_empty(rows, column):
    geoms = rows[column].to_numpy()
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()
    assert set(shapely.get_type_id(geoms)) <= {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}


def test_bbox_columns_match_the_full_geometry(rows):
    bounds = shapely.bounds(rows["full"].to_numpy())
    assert np.allclose(bounds, rows[["xmin", "ymin", "xmax", "ymax"]].to_numpy())


def _overlap_area(geoms: np.ndarray) -> float:
    """Sum the areas where two geometries of the set overlap."""
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    return float(shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum())


def test_display_communes_form_a_coverage_without_overlap(rows):
    communes = rows[rows["kind"] == "commune"]
    display = communes["display"].to_numpy()
    assert shapely.coverage_is_valid(display)
    assert _overlap_area(display) < 1e-9
    full_union, display_union = shapely.union_all(communes["full"].to_numpy()), shapely.union_all(display)
    assert abs(display_union.area - full_union.area) / full_union.area < 0.01  # no gap opened


def test_display_qpv_do_not_overlap_more_than_the_source(rows):
    qpv = rows[rows["kind"] == "qpv"]
    assert _overlap_area(qpv["display"].to_numpy()) <= _overlap_area(qpv["full"].to_numpy()) + 1e-9


def test_display_is_lighter_and_close_to_the_full_shape(rows):
    full, display = rows["full"].to_numpy(), rows["display"].to_numpy()
    assert shapely.get_num_coordinates(display).sum() < shapely.get_num_coordinates(full).sum()
    assert shapely.hausdorff_distance(full, display).max() < 0.003  # about 200 m at most
    ratio = shapely.area(display) / shapely.area(full)
    assert np.median(ratio) == pytest.approx(1, abs=0.02)


def test_unknown_territory_code_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "empty.duckdb"))
    con.execute(SCHEMA_FILE.read_text(encoding="utf-8"))
    _insert_minimal(con, "sources", [{"id": s} for s in SOURCES])
    with pytest.raises(DataError, match="absent des territoires"):
        load_geometries(con, layer_files(GEO_DIR))
    assert con.execute("select count(*) from geometries").fetchone() == (0,)


# --- pure helpers --------------------------------------------------------------------------------------

def test_repair_keeps_polygonal_parts_only():
    bow_tie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
    point = shapely.Point(1, 1)
    repaired, broken = repair(np.array([bow_tie, None, shapely.box(0, 0, 1, 1), point], dtype=object))
    assert broken.tolist() == [True, False, False, False]
    assert repaired[0].is_valid and repaired[0].area == pytest.approx(2)
    assert repaired[1] is None and repaired[3] is None
    mixed = shapely.GeometryCollection([shapely.box(0, 0, 1, 1), shapely.LineString([(0, 0), (5, 5)])])
    assert polygonal_part(mixed).geom_type == "Polygon"


def test_invalid_coverage_is_cleaned_before_simplifying():
    overlapping = np.array([shapely.box(0, 0, 1, 1), shapely.box(0.999, 0, 2, 1)], dtype=object)
    assert not shapely.coverage_is_valid(overlapping)
    result = simplify_coverage(overlapping, 0.01)
    assert shapely.is_valid(result).all()
    assert _overlap_area(result) < 1e-9


def test_display_geometries_are_rounded_to_five_decimals():
    square = shapely.box(2.123456789, 50.123456789, 2.2, 50.2)
    coords = shapely.get_coordinates(display_geometries(np.array([square], dtype=object), 1e-4))
    assert np.allclose(coords, np.round(coords, 5), atol=1e-12)


def test_feature_collection_has_codes_bbox_label_and_same_shapes(rows):
    sample = rows[rows["territory_code"].isin(SAMPLE)].sort_values("territory_code")
    collection = to_feature_collection(sample)
    assert [f["id"] for f in collection["features"]] == sorted(SAMPLE)
    for feature, display in zip(collection["features"], sample["display"], strict=True):
        shape = shapely.from_geojson(json.dumps(feature["geometry"]))
        assert shapely.equals_exact(shape, display, tolerance=1e-9)
        assert feature["bbox"] == pytest.approx(list(display.bounds), abs=1e-5)
        assert display.buffer(1e-5).contains(shapely.Point(feature["properties"]["label"]))
        assert feature["properties"]["name"]
    json.dumps(collection)  # serialisable as is
    assert to_feature_collection(sample.iloc[:0]) == {"type": "FeatureCollection", "features": []}


def test_place_labels_name_the_places_with_most_qpv_first(rows):
    qpv = rows[rows["kind"] == "qpv"].assign(commune_name=lambda f: np.where(
        f["territory_code"].str.startswith("QN062"), "Pas-de-Calais", f["territory_code"]))
    labels = place_labels(qpv)
    assert labels.iloc[0]["name"] == "Pas-de-Calais"
    assert 50 < labels.iloc[0]["lat"] < 51 and 1.5 < labels.iloc[0]["lon"] < 3
    assert labels["name"].is_unique


# --- importer ------------------------------------------------------------------------------------------

def _digest(folder: Path) -> dict[str, str]:
    """Hash every file of a folder, hidden ones included."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def geo_dir(tmp_path) -> Path:
    """A copy of the reference contours to import into."""
    target = tmp_path / "geo"
    target.mkdir()
    for path in GEO_DIR.glob("*.geojson"):
        shutil.copy(path, target / path.name)
    return target


@pytest.fixture(scope="module")
def originals() -> gpd.GeoDataFrame:
    """Three real QPV from the shipped file, WGS84."""
    frame = gpd.read_file(GEO_DIR / "qpv2024_france.geojson")
    return frame[frame["code_qp"].isin(SAMPLE)].reset_index(drop=True)


def _lambert93(originals: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject the sample to Lambert-93 with a renamed code column and a name column only."""
    renamed = originals.rename(columns={"code_qp": "identifiant", "lib_qp": "nom_qp"})
    return renamed[["identifiant", "nom_qp", "geometry"]].to_crs(2154)


def _zip_shapefile(frame: gpd.GeoDataFrame, folder: Path) -> Path:
    """Write a Shapefile and zip its parts."""
    frame.to_file(folder / "qpv.shp")
    archive = folder / "qpv.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for part in folder.glob("qpv.*"):
            if part.suffix != ".zip":
                zipped.write(part, part.name)
    return archive


def _assert_reimported(geo_dir: Path, originals: gpd.GeoDataFrame) -> None:
    """Check the written file: sample codes, shipped schema and properties, coordinates close to the originals."""
    written = json.loads((geo_dir / "qpv2024_france.geojson").read_text(encoding="utf-8"))
    assert [f["properties"]["code_qp"] for f in written["features"]] == sorted(SAMPLE)
    expected = originals.set_index("code_qp")
    for feature in written["features"]:
        props = feature["properties"]
        assert list(props) == ["code_qp", "lib_qp", "insee_reg", "lib_reg", "insee_dep", "lib_dep",
                               "insee_com", "lib_com", "siren_epci"]
        assert props["lib_com"] == expected.loc[props["code_qp"], "lib_com"]
        shape = shapely.from_geojson(json.dumps(feature["geometry"]))
        assert shapely.hausdorff_distance(shape, expected.loc[props["code_qp"], "geometry"]) < 1e-5


@pytest.mark.parametrize("kind", ["gpkg", "zip"])
def test_lambert93_file_reimports_to_wgs84(tmp_path, geo_dir, originals, kind):
    frame = _lambert93(originals)
    source = tmp_path / "qpv.gpkg"
    if kind == "gpkg":
        frame.to_file(source, driver="GPKG")
    else:
        source = _zip_shapefile(frame, tmp_path)
    report = import_contours(source, geo_dir=geo_dir, data_dir=DATA_DIR)
    assert report.code_field in ("identifiant", "identifian")  # Shapefile cuts names at 10 characters
    assert report.name_field == "nom_qp"
    assert "2154" in report.crs
    assert report.features == 3 and not report.new_codes and len(report.gone_codes) == 1606
    _assert_reimported(geo_dir, originals)
    assert not [p for p in geo_dir.iterdir() if p.name.startswith(".")]  # no temporary left


def test_reimported_file_loads_into_the_store(tmp_path, geo_dir, originals):
    import_contours(_write_geojson(tmp_path, _lambert93(originals).to_crs(4326)), geo_dir=geo_dir, data_dir=DATA_DIR)
    con = make_store(tmp_path / "store.duckdb", geo_dir)
    codes = {r[0] for r in con.execute("select territory_code from geometries where source_id = 'anct_qpv2024'")
             .fetchall()}
    assert codes == set(SAMPLE)


def test_file_without_crs_is_read_as_lonlat_when_it_looks_so(tmp_path, geo_dir, originals):
    (tmp_path / "shp").mkdir()
    source = _zip_shapefile(originals[["code_qp", "geometry"]].set_crs(None, allow_override=True), tmp_path / "shp")
    report = import_contours(source, geo_dir=geo_dir, data_dir=DATA_DIR)
    assert report.notes and "longitude/latitude" in report.notes[0]
    assert report.name_field is None  # names come from the shipped file
    written = json.loads((geo_dir / "qpv2024_france.geojson").read_text(encoding="utf-8"))
    assert written["features"][0]["properties"]["lib_qp"] == "Quartier Du Mont Liébaut"


def test_invalid_geometry_is_repaired_and_reported(tmp_path, geo_dir):
    bow_tie = shapely.Polygon([(2.6, 50.5), (2.62, 50.52), (2.62, 50.5), (2.6, 50.52), (2.6, 50.5)])
    frame = gpd.GeoDataFrame({"code_qp": ["QN06208M", "QN99901M"]}, geometry=[bow_tie, shapely.box(2, 50, 2.01, 50.01)],
                             crs=4326)
    report = import_contours(_write_geojson(tmp_path, frame), geo_dir=geo_dir, data_dir=DATA_DIR)
    assert report.repaired == ["QN06208M"]
    assert report.new_codes == ["QN99901M"]


def _write_geojson(folder: Path, frame: gpd.GeoDataFrame, crs: bool = True) -> Path:
    """Write a GeoJSON file, with or without its CRS member."""
    path = folder / "import.geojson"
    data = json.loads(frame.to_json(drop_id=True))
    data.pop("crs", None)
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _broken(kind: str, folder: Path, originals: gpd.GeoDataFrame) -> Path:
    """Write one broken import file of the given kind."""
    good = json.loads(originals[["code_qp", "lib_qp", "geometry"]].to_json(drop_id=True))
    path = folder / "broken.geojson"
    if kind == "truncated":
        text = json.dumps(good)
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif kind == "empty":
        path.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    elif kind == "no_code":
        for feature in good["features"]:
            feature["properties"] = {"nom": feature["properties"]["lib_qp"], "surface": 12}
        path.write_text(json.dumps(good), encoding="utf-8")
    elif kind == "duplicate":
        good["features"][2]["properties"]["code_qp"] = good["features"][0]["properties"]["code_qp"]
        path.write_text(json.dumps(good), encoding="utf-8")
    elif kind == "points":
        good["features"][1]["geometry"] = {"type": "Point", "coordinates": [2.6, 50.5]}
        path.write_text(json.dumps(good), encoding="utf-8")
    elif kind == "no_shp":
        path = folder / "archive.zip"
        with zipfile.ZipFile(path, "w") as zipped:
            zipped.writestr("lisez-moi.txt", "pas de Shapefile ici")
    elif kind == "projected_without_crs":
        frame = originals[["code_qp", "geometry"]].to_crs(2154)
        path = _write_geojson(folder, frame, crs=False)
    return path


@pytest.mark.parametrize(("kind", "expected"), [
    ("truncated", "fichier illisible ou corrompu"),
    ("empty", "le fichier ne contient aucune entité"),
    ("no_code", "aucune colonne ne porte de code de QPV (comme QN06212M) ; colonnes vues : nom, surface"),
    ("duplicate", "entité 3 : code QN06208M en double (déjà à l'entité 1)"),
    ("points", "entité 2 (QN06212M) : géométrie Point, un contour (Polygon) est attendu"),
    ("no_shp", "l'archive .zip ne contient aucun fichier .shp"),
    ("projected_without_crs", "système de coordonnées inconnu"),
])
def test_broken_file_is_refused_in_french_and_changes_nothing(tmp_path, geo_dir, originals, kind, expected):
    before = _digest(geo_dir)
    source = _broken(kind, tmp_path, originals)
    with pytest.raises(DataError) as caught:
        import_contours(source, geo_dir=geo_dir, data_dir=DATA_DIR)
    messages = [str(p) for p in caught.value.problems]
    assert any(expected in m for m in messages), messages
    assert all(m.startswith(source.name) for m in messages)
    assert _digest(geo_dir) == before


def test_code_field_given_but_absent(tmp_path, geo_dir, originals):
    source = _write_geojson(tmp_path, originals[["code_qp", "geometry"]])
    with pytest.raises(DataError, match="colonne « code » absente ; colonnes vues : code_qp"):
        import_contours(source, geo_dir=geo_dir, data_dir=DATA_DIR, code_field="code")


def test_cli_hook_reports_errors_on_stderr(tmp_path, geo_dir, originals, capsys, monkeypatch):
    monkeypatch.setenv("QPV_GEO_DIR", str(geo_dir))
    calls = []
    monkeypatch.setattr("qpv.store.build.build_locked", lambda *a, **k: calls.append(1))
    before = _digest(geo_dir)
    assert main_import_geo(str(_broken("empty", tmp_path, originals)), None, data_dir=DATA_DIR) == 1
    captured = capsys.readouterr()
    assert "aucune entité" in captured.err and not calls
    assert _digest(geo_dir) == before


def test_cli_hook_prints_a_summary_and_rebuilds(tmp_path, geo_dir, originals, capsys, monkeypatch):
    monkeypatch.setenv("QPV_GEO_DIR", str(geo_dir))
    monkeypatch.setattr("qpv.store.build.build_locked", lambda *a, **k: Path("/tmp/qpv.duckdb"))
    source = _write_geojson(tmp_path, originals[["code_qp", "lib_qp", "geometry"]])
    assert main_import_geo(str(source), "code_qp", data_dir=DATA_DIR) == 0
    out = capsys.readouterr().out
    assert "Contours importés depuis import.geojson : 3 QPV" in out
    assert "Codes disparus (1606)" in out and "Base reconstruite" in out


def test_cli_hook_restores_the_old_file_when_the_build_fails(tmp_path, geo_dir, originals, capsys, monkeypatch):
    def failing_build(*args, **kwargs):
        raise DataError([])

    monkeypatch.setattr("qpv.store.build.build_locked", failing_build)
    monkeypatch.setenv("QPV_GEO_DIR", str(geo_dir))
    before = _digest(geo_dir)
    source = _write_geojson(tmp_path, originals[["code_qp", "lib_qp", "geometry"]])
    assert main_import_geo(str(source), None, data_dir=DATA_DIR) == 1
    assert "Contours précédents remis en place" in capsys.readouterr().err
    assert _digest(geo_dir) == before
