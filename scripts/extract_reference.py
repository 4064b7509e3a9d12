"""Write the reference tables of territories (no contours) from the ANCT QPV layer and @etalab/decoupage-administratif.

Provenance script, run once by a maintainer (not at build or run time):

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python scripts/extract_reference.py package/data ../shared/geo/qpv2024_france.geojson

It writes, under data/reference/:
- qpv2024.csv: code, name, communes, EPCI of the 1 609 QPV (attributes of the ANCT layer, no geometry);
- epci.csv: SIREN, name, type and municipal population of every EPCI that holds a QPV;
- communes.csv: code, name, EPCI and municipal population of every member commune of those EPCI.
"""

import csv
import json
import sys
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
QPV_FIELDS = ["code_qp", "lib_qp", "insee_com", "lib_com", "siren_epci", "insee_dep", "lib_dep", "insee_reg", "lib_reg"]
PARIS = "217500016"  # the Ville de Paris carries an EPCI code in the QPV layer but is a commune


def write(path: Path, header: list[str], rows: list[list]) -> None:
    """Write one CSV file, comma-separated, UTF-8, Unix line ends."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def qpv_rows(qpv_file: Path) -> list[list]:
    """Return the attributes of every QPV, sorted by code."""
    features = json.loads(qpv_file.read_text(encoding="utf-8"))["features"]
    rows = [[(f["properties"].get(field) or "") for field in QPV_FIELDS] for f in features]
    return sorted(rows)


def main(package_data: Path, qpv_file: Path) -> None:
    """Write qpv2024.csv, epci.csv and communes.csv."""
    qpv = qpv_rows(qpv_file)
    write(REFERENCE / "qpv2024.csv", QPV_FIELDS, qpv)
    groups = json.loads((package_data / "epci.json").read_text(encoding="utf-8"))
    groups += json.loads((package_data / "ept.json").read_text(encoding="utf-8"))
    by_siren = {group["code"]: group for group in groups}
    sirens = sorted({s.strip() for row in qpv for s in row[QPV_FIELDS.index("siren_epci")].split(",")} - {"NA", ""})
    epci, communes = [], []
    for siren in sirens:
        if siren == PARIS:
            epci.append([siren, "Ville de Paris", "Commune", ""])
            continue
        group = by_siren[siren]
        epci.append([siren, group["nom"], group["type"], group.get("populationMunicipale", "")])
        communes += [[m["code"], m["nom"], siren, m.get("populationMunicipale", "")] for m in group["membres"]]
    write(REFERENCE / "epci.csv", ["siren", "nom", "type", "population_municipale"], epci)
    write(REFERENCE / "communes.csv", ["code", "nom", "siren_epci", "population_municipale"], sorted(communes))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
