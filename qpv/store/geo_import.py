"""Import official QPV contours into the writable contour folder: any format and CRS, checked, atomic.

``import_contours`` reads a GeoJSON, a GeoPackage or a zipped Shapefile, finds the code
and name columns, reprojects to WGS84, repairs invalid geometry, then writes
qpv2024_france.geojson (QPV_GEO_DIR, else data/geo/, git-ignored) with the reference
properties schema, through a temporary file and ``os.replace``: on any error, nothing in
the folder changes. The build, re-run afterwards, reads the new file with no code change.
"""

import json
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from qpv.store.contours import QPV_LAYER
from qpv.store.csvfiles import read_csv
from qpv.store.errors import DataError, Problem
from qpv.store.geo import geojson_geometries, repair
from qpv.store.territories import QPV_FILE

CODE_PATTERN = re.compile(r"^Q[NP]\d{2}[0-9AB]\d{2,3}[A-Z]?$")  # QN06212M, QN02A01M, QN97101M, QP062001
CODE_COLUMNS = ("code_qp", "code_quartier", "code", "cod_qp", "qp")
NAME_COLUMNS = ("lib_qp", "nom_qp", "libelle_qp", "nom_quartier", "lib_quartier", "nom", "libelle", "name")
SCHEMA = ("code_qp", "lib_qp", "insee_reg", "lib_reg", "insee_dep", "lib_dep", "insee_com", "lib_com", "siren_epci")
DECIMALS = 6  # about 0.1 m: keeps an official full-resolution file faithful
MIN_MATCH = 0.9  # share of a column's values that must look like QPV codes


@dataclass
class ImportReport:
    """What an import found and wrote."""

    source: str
    written: Path
    features: int
    crs: str
    code_field: str
    name_field: str | None
    repaired: list[str] = field(default_factory=list)
    without_geometry: list[str] = field(default_factory=list)
    new_codes: list[str] = field(default_factory=list)
    gone_codes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fail(path: Path, message: str, line: int | None = None, column: str | None = None) -> DataError:
    """Make a one-problem error about the imported file."""
    return DataError([Problem(path.name, line, column, message)])


def _check_json(path: Path) -> None:
    """Refuse a GeoJSON file that is not complete, valid JSON, naming the line where it breaks."""
    try:
        json.loads(path.read_bytes())
    except UnicodeDecodeError as error:
        raise _fail(path, "fichier illisible ou corrompu : encodage autre que UTF-8.") from error
    except json.JSONDecodeError as error:
        message = f"fichier illisible ou corrompu : JSON invalide ou tronqué ({error.msg}, colonne {error.colno})."
        raise _fail(path, message, line=error.lineno) from error


def read_any(path: Path) -> gpd.GeoDataFrame:
    """Read the first layer of a GeoJSON, GeoPackage or zipped Shapefile; refuse what cannot be read."""
    if not path.is_file():
        raise _fail(path, "fichier introuvable.")
    if path.suffix.lower() == ".zip":
        try:
            members = zipfile.ZipFile(path).namelist()
        except zipfile.BadZipFile as error:
            raise _fail(path, "archive .zip illisible ou corrompue.") from error
        if not any(name.lower().endswith(".shp") for name in members):
            raise _fail(path, "l'archive .zip ne contient aucun fichier .shp (Shapefile zippé attendu).")
    if path.suffix.lower() in (".geojson", ".json"):
        _check_json(path)  # GDAL would silently keep the features before a truncation
    try:
        return gpd.read_file(path, engine="pyogrio")
    except Exception as error:  # pyogrio raises several unrelated types for broken files
        message = f"fichier illisible ou corrompu (GeoJSON, GeoPackage ou Shapefile zippé attendu) : {error}"
        raise _fail(path, message) from error


def _text_columns(frame: gpd.GeoDataFrame) -> list[str]:
    """List the attribute columns, geometry excluded."""
    return [c for c in frame.columns if c != frame.geometry.name]


def _code_share(values: pd.Series) -> float:
    """Return the share of non-empty values that look like QPV codes."""
    present = values.dropna().astype(str).str.strip()
    present = present[present != ""]
    return float(present.str.match(CODE_PATTERN).mean()) if len(present) else 0.0


def guess_code_field(frame: gpd.GeoDataFrame, path: Path, code_field: str | None) -> str:
    """Return the code column: the one given, else the one whose values look like QN06212M."""
    columns = _text_columns(frame)
    if code_field:
        if code_field not in columns:
            raise _fail(path, f"colonne « {code_field} » absente ; colonnes vues : {', '.join(columns) or 'aucune'}.")
        return code_field
    shares = {c: _code_share(frame[c]) for c in columns}
    candidates = [c for c in columns if shares[c] >= MIN_MATCH]
    if not candidates:
        seen = ", ".join(columns) or "aucune"
        raise _fail(path, f"aucune colonne ne porte de code de QPV (comme QN06212M) ; colonnes vues : {seen}. "
                          "Indiquez-la avec --code-field.")
    preferred = [c for c in candidates if c.lower() in CODE_COLUMNS]
    return (preferred or sorted(candidates, key=lambda c: -shares[c]))[0]


def guess_name_field(frame: gpd.GeoDataFrame, code_field: str) -> str | None:
    """Return the name column by its usual names (lib_qp, nom_qp, …), None when there is none."""
    by_lower = {c.lower(): c for c in _text_columns(frame) if c != code_field}
    return next((by_lower[n] for n in NAME_COLUMNS if n in by_lower), None)


def _looks_lonlat(frame: gpd.GeoDataFrame) -> bool:
    """Tell whether every coordinate lies within longitude/latitude bounds."""
    xmin, ymin, xmax, ymax = frame.total_bounds
    return bool(-180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90)


def to_wgs84(frame: gpd.GeoDataFrame, path: Path, report_notes: list[str]) -> tuple[gpd.GeoDataFrame, str]:
    """Reproject to EPSG:4326; a file with no CRS passes only if its coordinates look like lon/lat."""
    unknown = "système de coordonnées inconnu"
    if frame.crs is None:
        if not _looks_lonlat(frame):
            raise _fail(path, f"{unknown} (pas de .prj ?) et coordonnées qui ne sont pas des "
                              "longitudes/latitudes : impossible de placer les contours.")
        report_notes.append("aucun système de coordonnées déclaré : coordonnées lues comme longitude/latitude.")
        return frame.set_crs(4326), "non déclaré (lu comme EPSG:4326)"
    if frame.crs.is_geographic and not _looks_lonlat(frame):
        raise _fail(path, f"{unknown} ou erroné : le fichier se dit en longitude/latitude ({frame.crs.to_string()}) "
                          "mais ses coordonnées n'en sont pas (GeoJSON en Lambert-93 sans déclaration ?).")
    name = frame.crs.to_string()
    return (frame if frame.crs.equals("EPSG:4326") else frame.to_crs(4326)), name


def check_codes(codes: pd.Series, path: Path, column: str) -> list[Problem]:
    """Report empty, malformed and duplicate codes, by entity number."""
    problems, first = [], {}
    for number, code in enumerate(codes, start=1):
        if not CODE_PATTERN.match(code):
            problems.append(Problem(path.name, None, column, f"entité {number} : code « {code} » invalide "
                                                              "(attendu : un code comme QN06212M)."))
        elif code in first:
            problems.append(Problem(path.name, None, column, f"entité {number} : code {code} en double "
                                                              f"(déjà à l'entité {first[code]})."))
        first.setdefault(code, number)
    return problems


def _entity_problem(path: Path, number: int, code: str, message: str) -> Problem:
    """Locate a geometry problem by entity number and code."""
    return Problem(path.name, None, "geometry", f"entité {number} ({code}) : {message}")


def check_geometries(frame: gpd.GeoDataFrame, codes: pd.Series, path: Path) -> tuple[np.ndarray, np.ndarray, list]:
    """Refuse non-polygonal geometry, repair invalid polygons; return geometries, repaired mask, problems."""
    geoms = frame.geometry.to_numpy()
    problems = [
        _entity_problem(path, number, code, f"géométrie {geom.geom_type}, un contour (Polygon) est attendu.")
        for number, (geom, code) in enumerate(zip(geoms, codes, strict=True), start=1)
        if geom is not None and not geom.is_empty and geom.geom_type not in ("Polygon", "MultiPolygon")
    ]
    if problems:
        return geoms, np.zeros(len(geoms), dtype=bool), problems
    repaired, broken = repair(geoms)
    problems = [
        _entity_problem(path, number, codes.iloc[number - 1], "géométrie invalide, sans surface après réparation.")
        for number in (np.flatnonzero(broken & shapely.is_missing(repaired)) + 1).tolist()
    ]
    return repaired, broken, problems


def shipped_properties(data_dir: Path) -> dict[str, dict]:
    """Read the attributes of the QPV reference table (data/reference/qpv2024.csv), by code."""
    rows, _ = read_csv(data_dir / QPV_FILE, ["code_qp"])
    return {row.get("code_qp"): {key: row.get(key) or None for key in SCHEMA} for row in rows}


def _properties(row: dict, code: str, name: str | None, shipped: dict, columns: dict) -> dict:
    """Fill the shipped schema: imported column of the same name first, else the shipped value by code."""
    old = shipped.get(code, {})
    props = {}
    for key in SCHEMA:
        value = row.get(columns[key]) if key in columns else old.get(key)
        props[key] = None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
    props["code_qp"] = code
    props["lib_qp"] = name or old.get("lib_qp") or code
    return props


def normalise(frame: gpd.GeoDataFrame, geoms: np.ndarray, codes: pd.Series, name_field: str | None,
              shipped: dict) -> dict:
    """Build the FeatureCollection to write, sorted by code, with the shipped properties schema."""
    by_lower = {c.lower(): c for c in _text_columns(frame)}
    columns = {key: by_lower[key] for key in SCHEMA if key in by_lower and key not in ("code_qp", "lib_qp")}
    rows = frame.drop(columns=frame.geometry.name).to_dict("records")
    names = frame[name_field].astype("string").str.strip() if name_field else pd.Series([None] * len(frame))
    shapes = [None] * len(geoms)
    present = np.flatnonzero(~shapely.is_missing(geoms))
    for index, shape in zip(present, geojson_geometries(geoms[present], DECIMALS), strict=True):
        shapes[index] = shape
    features = [
        {"type": "Feature", "properties": _properties(rows[i], codes.iloc[i], _clean(names.iloc[i]), shipped, columns),
         "geometry": shapes[i]}
        for i in np.argsort(codes.to_numpy(), kind="stable")
    ]
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}
    return {"type": "FeatureCollection", "name": Path(QPV_LAYER.file).stem, "crs": crs, "features": features}


def _clean(name) -> str | None:
    """Turn an empty or missing name into None."""
    return None if name is None or pd.isna(name) or not str(name).strip() else str(name).strip()


def write_atomically(target: Path, content: bytes) -> None:
    """Write bytes beside the target, flush them to disk, then move them into place in one step."""
    temporary = target.with_name(f".{target.name}.tmp{os.getpid()}")
    try:
        with temporary.open("wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def import_contours(path: Path, *, geo_dir: Path, data_dir: Path, code_field: str | None = None) -> ImportReport:
    """Check an official QPV contour file and write it, normalised, into geo_dir."""
    report, content = normalised_contours(path, geo_dir=geo_dir, data_dir=data_dir, code_field=code_field)
    geo_dir.mkdir(parents=True, exist_ok=True)
    write_atomically(report.written, content)
    return report


def normalised_contours(path: Path, *, geo_dir: Path, data_dir: Path,
                        code_field: str | None = None) -> tuple[ImportReport, bytes]:
    """Check an official QPV contour file; return what importing it would write, without writing anything."""
    path = Path(path)
    frame = read_any(path)
    if frame.empty:
        raise _fail(path, "le fichier ne contient aucune entité.")
    code_field = guess_code_field(frame, path, code_field)
    codes = frame[code_field].astype("string").str.strip().fillna("")
    notes: list[str] = []
    frame, crs = to_wgs84(frame, path, notes)
    geoms, broken, problems = check_geometries(frame, codes, path)
    problems = check_codes(codes, path, code_field) + problems
    if problems:
        raise DataError(problems)
    name_field = guess_name_field(frame, code_field)
    shipped = shipped_properties(data_dir)
    collection = normalise(frame, geoms, codes, name_field, shipped)
    content = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return ImportReport(
        source=path.name, written=geo_dir / QPV_LAYER.file, features=len(frame), crs=crs, code_field=code_field,
        name_field=name_field, repaired=sorted(codes[broken]),
        without_geometry=sorted(codes[shapely.is_missing(geoms)]),
        new_codes=sorted(set(codes) - set(shipped)), gone_codes=sorted(set(shipped) - set(codes)), notes=notes,
    ), content
