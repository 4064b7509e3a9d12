"""Extract the names of the EPCI that hold a QPV from @etalab/decoupage-administratif.

Provenance script, run once by a maintainer (not at build or run time):

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-*.tgz
    python scripts/extract_epci_names.py package/data > data/reference/epci.csv
"""

import csv
import json
import sys
from pathlib import Path

QPV_FILE = Path(__file__).resolve().parents[1] / "data" / "geo" / "qpv2024_france.geojson"


def main(package_data: Path) -> None:
    """Write siren, name, type and municipal population of every EPCI named in the QPV file."""
    groups = json.loads((package_data / "epci.json").read_text(encoding="utf-8"))
    groups += json.loads((package_data / "ept.json").read_text(encoding="utf-8"))
    by_siren = {group["code"]: group for group in groups}
    features = json.loads(QPV_FILE.read_text(encoding="utf-8"))["features"]
    sirens = sorted(
        {s.strip() for f in features for s in f["properties"]["siren_epci"].split(",")} - {"NA"}
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["siren", "nom", "type", "population_municipale"])
    for siren in sirens:
        if siren == "217500016":
            writer.writerow([siren, "Ville de Paris", "Commune", ""])
            continue
        group = by_siren[siren]
        writer.writerow([siren, group["nom"], group["type"], group.get("populationMunicipale", "")])


if __name__ == "__main__":
    main(Path(sys.argv[1]))
