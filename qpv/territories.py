"""Derive territories (QPV, communes, EPCI) and their parent links from the reference files."""

import json
from pathlib import Path

from qpv.csvfiles import display_name, read_csv
from qpv.errors import Problem

QPV_FILE = "geo/qpv2024_france.geojson"
COMMUNES_FILE = "geo/communes_cabbalr.geojson"
EPCI_FILE = "reference/epci.csv"
UNKNOWN_EPCI = {"", "NA"}


def _split(text: str | None) -> list[str]:
    """Split a comma-separated property into trimmed parts."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _features(path: Path) -> tuple[list[dict], list[Problem]]:
    """Read the features of a GeoJSON file, or report why it cannot be read."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))["features"], []
    except (OSError, ValueError, KeyError, TypeError) as error:
        message = f"fichier GeoJSON illisible ({type(error).__name__})."
        return [], [Problem(display_name(path), None, None, message)]


def read_territories(data_dir: Path) -> tuple[dict[str, dict], set[tuple[str, str]], list[Problem]]:
    """Return territories by code, (child, parent) links, and problems found."""
    territories: dict[str, dict] = {}
    links: set[tuple[str, str]] = set()
    epci_rows, problems = read_csv(data_dir / EPCI_FILE, ["siren", "nom", "population_municipale"])
    for row in epci_rows:
        population = row.get("population_municipale")
        territories[row.get("siren")] = {
            "code": row.get("siren"), "name": row.get("nom"), "kind": "epci", "communes": None,
            "population": int(population) if population else None,
            "population_source_id": "cog_epci_2026" if population else None,
        }
    communes, more = _features(data_dir / COMMUNES_FILE)
    problems += more
    for feature in communes:
        props = feature["properties"]
        territories[props["code"]] = {
            "code": props["code"], "name": props["nom"], "kind": "commune", "communes": None,
            "population": props.get("population_municipale"),
            "population_source_id": "admin_express_2018",
        }
        if props.get("siren_epci") in territories:
            links.add((props["code"], props["siren_epci"]))
    qpvs, more = _features(data_dir / QPV_FILE)
    problems += more
    for index, feature in enumerate(qpvs, start=1):
        problems += _add_qpv(feature["properties"], index, territories, links, data_dir / QPV_FILE)
    return territories, links, problems


def _add_qpv(props: dict, index: int, territories: dict, links: set, path: Path) -> list[Problem]:
    """Add one QPV, the communes it lists, and its links to communes and EPCI."""
    code = props["code_qp"]
    territories[code] = {
        "code": code, "name": props["lib_qp"], "kind": "qpv", "communes": props.get("lib_com"),
        "population": None, "population_source_id": None,
    }
    commune_codes, commune_names = _split(props.get("insee_com")), _split(props.get("lib_com"))
    epcis = [s for s in _split(props.get("siren_epci")) if s not in UNKNOWN_EPCI]
    problems = []
    for siren in epcis:
        if siren not in territories:
            message = f"EPCI {siren} du QPV {code} absent de data/{EPCI_FILE}."
            problems.append(Problem(display_name(path), index, "siren_epci", message))
        else:
            links.add((code, siren))
    for position, commune in enumerate(commune_codes):
        if commune not in territories:
            name = commune_names[position] if len(commune_names) == len(commune_codes) else commune
            territories[commune] = {
                "code": commune, "name": name, "kind": "commune", "communes": None,
                "population": None, "population_source_id": None,
            }
        links.add((code, commune))
        if len(epcis) == 1 and epcis[0] in territories:
            links.add((commune, epcis[0]))
    return problems
