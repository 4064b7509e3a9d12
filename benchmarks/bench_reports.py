"""Time the static exports: the PDF fiche of one QPV and the PDF deck of the CABBALR (printed, never asserted).

Run: .venv/bin/python benchmarks/bench_reports.py [--runs 5]  (builds a store from data/ in a temporary folder)

1. Cold, as a user runs them: `python -m qpv fiche …` and `python -m qpv deck …` in a new process each time,
   start-up included, alternating with the bare interpreter (`python -c pass`, the floor); targets of
   issue 13: fiche ≤ 1 s, deck ≤ 2 s wall.
2. Where the start-up goes: the import time of the heavy libraries and of the commands' modules, each in a
   fresh interpreter (a module's time includes what it imports), and which heavy libraries a cold fiche loads
   (charts and maps are reportlab vector drawings: no matplotlib; its queries are read as records: no pandas).
3. Where the rest goes, warm, in this process: queries (load_fiche, load_deck) and rendering (fiche_pdf, deck_pdf).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import PYTHON, REPO, print_facts, private_store, spread, verdict

sys.path.insert(0, str(REPO))

from qpv.store.reader import open_store  # noqa: E402

QUARTER = "QN06212M"  # Terrasses Basly
EPCI = "200072460"  # CA de Béthune-Bruay, Artois-Lys Romane
TARGETS = {"fiche": 1.0, "deck": 2.0}
MODULES = ["pandas", "duckdb", "pyarrow", "numpy", "reportlab.platypus", "reportlab.graphics.shapes", "shapely",
           "qpv.store.reader", "qpv.cli", "qpv.reports.fiche", "qpv.reports.deck_pdf"]
HEAVY = ("matplotlib", "geopandas", "plotly", "streamlit", "openpyxl")  # never needed by a PDF command
FICHE_HEAVY = (*HEAVY, "pandas", "pyarrow")  # the fiche reads its queries as records (qpv.store.records)


def wall(command: list[str], env: dict) -> float:
    """Run a command to completion; return its wall time in seconds (fail loudly if it fails)."""
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def cold_commands(store: Path, runs: int) -> None:
    """Time the two commands and the bare interpreter in new processes, alternating."""
    env = {**os.environ, "QPV_DATABASE": str(store)}
    with tempfile.TemporaryDirectory() as folder:
        commands = {
            "interpréteur seul (python -c pass)": [PYTHON, "-c", "pass"],
            f"fiche : python -m qpv fiche {QUARTER}": [PYTHON, "-m", "qpv", "fiche", QUARTER, "--pdf",
                                                       f"{folder}/fiche.pdf"],
            f"deck : python -m qpv deck --epci {EPCI}": [PYTHON, "-m", "qpv", "deck", "--epci", EPCI, "--pdf",
                                                         f"{folder}/deck.pdf"],
        }
        times: dict[str, list[float]] = {label: [] for label in commands}
        for command in commands.values():  # warm the file cache once
            wall(command, env)
        for run in range(runs):
            for label in list(commands)[:: 1 if run % 2 == 0 else -1]:
                times[label].append(wall(commands[label], env))
        sizes = {name: (Path(folder) / f"{name}.pdf").stat().st_size // 1024 for name in TARGETS}
    print(f"1. Commandes à froid (nouveau processus, démarrage compris), {runs} mesures alternées, secondes")
    for label, values in times.items():
        name = label.split(" ")[0]
        target = (f" · cible ≤ {TARGETS[name]:g} s : {verdict(sorted(values)[len(values) // 2], TARGETS[name])}"
                  f" · {sizes[name]} Ko" if name in TARGETS else "")
        print(f"  {label:<45} {spread(values, 1, 2)}{target}")


def import_times(runs: int) -> None:
    """Time each heavy import in a fresh interpreter."""
    print(f"\n2. Temps d'import, chacun dans un interpréteur neuf (dépendances comprises), médiane de {runs}, ms")
    code = "import sys, time; start = time.perf_counter(); __import__(sys.argv[1]); print(time.perf_counter() - start)"
    for module in MODULES:
        values = [float(subprocess.run([PYTHON, "-c", code, module], cwd=REPO, check=True, capture_output=True,
                                       text=True).stdout) for _ in range(runs)]
        print(f"  {module:<25} {spread(values, 1000)}")


def fiche_modules(store: Path) -> None:
    """Count the modules a cold fiche command loads, and name the heavy libraries among them."""
    code = ("import sys; from qpv.cli import main; main(['--database', sys.argv[1], 'fiche', sys.argv[2], '--pdf', "
            "sys.argv[3]]); print(len(sys.modules), ' '.join(sorted({m.split('.')[0] for m in sys.modules})))")
    with tempfile.TemporaryDirectory() as folder:
        out = subprocess.run([PYTHON, "-c", code, str(store), QUARTER, f"{folder}/f.pdf"], cwd=REPO, check=True,
                             capture_output=True, text=True).stdout.splitlines()[-1].split()
    heavy = ", ".join(name for name in FICHE_HEAVY if name in out[1:]) or "aucune"
    print(f"  fiche à froid : {out[0]} modules chargés ; bibliothèques lourdes inutiles : {heavy}")


def timed(label: str, make, runs: int) -> None:
    """Run make() a few times in this process; print the first and the median with min–max."""
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        make()
        durations.append(time.perf_counter() - start)
    print(f"  {label:<45} premier {durations[0] * 1000:6.0f} · ensuite {spread(durations[1:] or durations, 1000)}")


def warm_phases(store: Path, runs: int) -> None:
    """Time queries and rendering separately, in this process."""
    from qpv.reports.deck_pdf import deck_pdf
    from qpv.reports.fiche import fiche_pdf
    from qpv.reports.fiche_inputs import load_fiche
    from qpv.reports.inputs import load_deck

    print(f"\n3. Dans ce processus (imports faits), {runs} fois, ms")
    start = time.perf_counter()
    with open_store(db_path=store) as reader:
        print(f"  {'ouverture de la base (open_store)':<45} {(time.perf_counter() - start) * 1000:6.0f}")
        query = reader.query
        timed(f"requêtes de la fiche (load_fiche {QUARTER})", lambda: load_fiche(reader.records, QUARTER), runs)
        fiche = load_fiche(reader.records, QUARTER)  # as the command reads them: records, no pandas
        timed("rendu de la fiche (fiche_pdf)", lambda: fiche_pdf(fiche), runs)
        timed(f"requêtes du diaporama (load_deck {EPCI})", lambda: load_deck(query, epci=EPCI), runs)
        deck = load_deck(query, epci=EPCI)
        timed(f"rendu du diaporama (deck_pdf, {len(deck.slides)} diapositives)", lambda: deck_pdf(deck), runs)


def main() -> None:
    """Build a private store, then time the commands cold, the imports, and the phases warm."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="mesures par cas")
    runs = parser.parse_args().runs
    print_facts("Exports PDF : fiche quartier et diaporama")
    store = private_store()
    cold_commands(store, runs)
    import_times(max(3, runs // 2))
    fiche_modules(store)
    warm_phases(store, max(3, runs // 2))
    print("\nChiffres affichés, jamais vérifiés par un test.")


if __name__ == "__main__":
    main()
