"""Derive territories (QPV, communes, EPCI) and their parent links from the reference tables (no contours needed)."""

from pathlib import Path

from qpv.store.csvfiles import Row, read_csv
from qpv.store.errors import Problem

QPV_FILE = "reference/qpv2024.csv"
COMMUNES_FILE = "reference/communes.csv"
EPCI_FILE = "reference/epci.csv"
UNKNOWN_EPCI = {"", "NA"}
REFERENCE_FILES = (EPCI_FILE, COMMUNES_FILE, QPV_FILE)


def _split(text: str | None) -> list[str]:
    """Split a comma-separated cell into trimmed parts."""
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _population(row: Row) -> int | None:
    """Read the municipal population of a row, None when empty."""
    text = row.get("population_municipale")
    return int(text) if text.isdigit() else None


def territory(code: str, name: str, kind: str, population: int | None = None, source: str | None = None,
              communes: str | None = None) -> dict:
    """Make one row of the territories table."""
    return {"code": code, "name": name, "kind": kind, "communes": communes, "population": population,
            "population_source_id": source if population is not None else None}


def read_territories(data_dir: Path) -> tuple[dict[str, dict], set[tuple[str, str]], list[Problem]]:
    """Return territories by code, (child, parent) links, and problems found."""
    territories: dict[str, dict] = {}
    links: set[tuple[str, str]] = set()
    epci_rows, problems = read_csv(data_dir / EPCI_FILE, ["siren", "nom", "population_municipale"])
    for row in epci_rows:
        territories[row.get("siren")] = territory(row.get("siren"), row.get("nom"), "epci", _population(row),
                                                  "cog_epci_2026")
    commune_rows, more = read_csv(data_dir / COMMUNES_FILE, ["code", "nom", "siren_epci", "population_municipale"])
    problems += more
    for row in commune_rows:
        territories[row.get("code")] = territory(row.get("code"), row.get("nom"), "commune", _population(row),
                                                 "cog_communes_2026")
        if row.get("siren_epci") in territories:
            links.add((row.get("code"), row.get("siren_epci")))
    qpv_rows, more = read_csv(data_dir / QPV_FILE, ["code_qp", "lib_qp", "insee_com", "lib_com", "siren_epci"])
    problems += more
    for row in qpv_rows:
        problems += _add_qpv(row, territories, links)
    return territories, links, problems


def _add_qpv(row: Row, territories: dict, links: set) -> list[Problem]:
    """Add one QPV, the communes it lists that are not known yet, and its links to communes and EPCI."""
    code = row.get("code_qp")
    territories[code] = territory(code, row.get("lib_qp"), "qpv", communes=row.get("lib_com") or None)
    commune_codes, commune_names = _split(row.get("insee_com")), _split(row.get("lib_com"))
    epcis = [s for s in _split(row.get("siren_epci")) if s not in UNKNOWN_EPCI]
    problems = []
    for siren in epcis:
        if siren not in territories:
            problems.append(row.problem("siren_epci", f"EPCI {siren} du QPV {code} absent de data/{EPCI_FILE}."))
        else:
            links.add((code, siren))
    for position, commune in enumerate(commune_codes):
        if commune not in territories:
            name = commune_names[position] if len(commune_names) == len(commune_codes) else commune
            territories[commune] = territory(commune, name, "commune")
            if len(epcis) == 1 and epcis[0] in territories:
                links.add((commune, epcis[0]))
        links.add((code, commune))
    return problems
