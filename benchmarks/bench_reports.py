"""Time the static exports: the PDF fiche of one QPV and the PDF deck of the CABBALR (printed, never asserted).

Run: .venv/bin/python benchmarks/bench_reports.py  (builds a store from data/ in a temporary folder)
"""

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from qpv.reports.deck_pdf import deck_pdf  # noqa: E402
from qpv.reports.fiche import fiche_pdf  # noqa: E402
from qpv.reports.inputs import load_deck, load_fiche  # noqa: E402
from qpv.store.paths import data_dir  # noqa: E402
from qpv.store.reader import open_store  # noqa: E402

QUARTER = "QN06212M"  # Terrasses Basly
EPCI = "200072460"  # CA de Béthune-Bruay, Artois-Lys Romane
ROUNDS = 3


def timed(label: str, make) -> None:
    """Run make() a few times; print the first (cold) and best (warm) durations and the output size."""
    durations, content = [], b""
    for _ in range(ROUNDS):
        start = time.perf_counter()
        content = make()
        durations.append(time.perf_counter() - start)
    print(f"{label:<45} premier : {durations[0]:6.2f} s · meilleur : {min(durations):6.2f} s · "
          f"{len(content) / 1024:,.0f} Ko".replace(",", "\u00a0"))


def main() -> None:
    """Build a private store, then time the fiche and the deck."""
    with tempfile.TemporaryDirectory() as folder:
        with open_store(data_dir(), Path(folder) / "qpv.duckdb") as store:
            query = store.query
            timed(f"Fiche PDF {QUARTER} (requêtes + rendu)", lambda: fiche_pdf(load_fiche(query, QUARTER)))
            inputs = load_deck(query, epci=EPCI)
            timed(f"Présentation PDF {EPCI} ({len(inputs.slides)} diapositives)",
                  lambda: deck_pdf(load_deck(query, epci=EPCI)))


if __name__ == "__main__":
    main()
