"""Time the store at national scale on SYNTHETIC data (printed, never asserted by a test).

Run: .venv/bin/python benchmarks/bench_national.py [--rounds 3] [--keep DOSSIER]

The script writes, in a temporary folder, a copy of data/ whose observation files are replaced by
synthetic figures generated here (every file and every source row is labelled « synthétique »; nothing
is committed): the 1 609 QPV of the reference table, the 833 communes that host them and the 354 EPCI,
13 indicators (job seekers by sex, age and training level), 10 periods, about 670 000 observations.
It then times, each in a fresh process, with its peak memory read from the operating system (wait4):

- ``python -m qpv check``  (target ≤ 5 s)
- ``python -m qpv build``  (target ≤ 10 s and ≤ 500 Mo)
- ``python -m qpv import`` of one national millésime of 20 917 rows (target ≤ 3 s and ≤ 500 Mo)
- ``python -m qpv undo`` of that import
- ``python -m qpv export -o FICHIER``, the full export (target ≤ 2 s)

and, in this same process, a baseline: DuckDB reading the same CSV files raw (no checks), and DuckDB
writing the same rows with COPY, so that each figure comes with its ratio to what the machine can do.
"""

import argparse
import csv
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

PERIODS = [str(year) for year in range(2015, 2025)]
IMPORT_PERIOD = "2025"
SOURCE_ID = "synthetique_national"
SOURCE_ROW = {
    "id": SOURCE_ID, "title": "Données SYNTHÉTIQUES du banc d'essai national (benchmarks/bench_national.py)",
    "short_title": "SYNTHÉTIQUE", "publisher": "Générées par le banc d'essai, aucune valeur réelle",
    "published": "", "licence": "Aucune (données synthétiques)", "location": "dossier temporaire",
    "period_note": "", "note": "Données synthétiques, jamais livrées.",
}
COLUMNS = ["territory_code", "indicator_id", "period", "breakdown", "category", "value", "unit", "status",
           "source_id", "source_ref", "note"]
BREAKDOWNS = [("sexe", "hommes"), ("sexe", "femmes"), ("age", "moins_26"), ("age", "26_49"), ("age", "50_plus"),
              ("niveau_formation", "infra_cap_bep"), ("niveau_formation", "cap_bep"), ("niveau_formation", "bac"),
              ("niveau_formation", "sup_bac")]


def _indicators() -> dict[str, tuple[str, float, float]]:
    """Read id → (unit, min, max) from the shipped catalogue."""
    with (REPO / "data" / "indicators.csv").open(encoding="utf-8") as handle:
        return {row["id"]: (row["unit"], float(row["min_value"]), float(row["max_value"]))
                for row in csv.DictReader(handle)}


def _territories() -> tuple[list[str], list[str], list[str]]:
    """Return the QPV, the communes hosting one, and the EPCI of the reference tables."""
    with (REPO / "data" / "reference" / "qpv2024.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    communes = sorted({code.strip() for row in rows for code in row["insee_com"].split(",") if code.strip()})
    with (REPO / "data" / "reference" / "epci.csv").open(encoding="utf-8") as handle:
        epcis = [row["siren"] for row in csv.DictReader(handle)]
    return [row["code_qp"] for row in rows], communes, epcis


def _value(generator: random.Random, unit: str, low: float, high: float) -> str:
    """Draw a plausible value of the unit inside the catalogue's range."""
    if unit == "nombre":
        return str(generator.randint(int(low), min(int(high), 20000)))
    if unit == "€":
        return str(generator.randint(max(int(low), 8000), min(int(high), 30000)))
    return f"{generator.uniform(max(low, 1), min(high, 99)):.1f}"


def _rows_for(generator, code: str, period: str, indicators: dict, whole: list[str], broken_down: bool):
    """Yield the synthetic rows of one territory and period."""
    for indicator in whole:
        unit, low, high = indicators[indicator]
        yield [code, indicator, period, "", "", _value(generator, unit, low, high), unit, "publie", SOURCE_ID,
               f"synthétique {period}", ""]
    categories = BREAKDOWNS if broken_down else BREAKDOWNS[:2]
    for indicator in ("demandeurs_emploi", "part_demandeurs_emploi"):
        unit, low, high = indicators[indicator]
        for breakdown, category in categories:
            yield [code, indicator, period, breakdown, category, _value(generator, unit, low, high), unit, "publie",
                   SOURCE_ID, f"synthétique {period}", ""]


def make_national_folder(target: Path, seed: int = 2024) -> dict[str, int]:
    """Write a copy of data/ with synthetic national observations; return counts (labelled synthetic)."""
    shutil.copytree(REPO / "data", target, ignore=shutil.ignore_patterns("*.duckdb*", "imports", "geo", "mappings"))
    for path in (target / "observations").glob("*.csv"):
        path.unlink()
    with (target / "sources.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.DictWriter(handle, fieldnames=list(SOURCE_ROW), lineterminator="\n").writerow(SOURCE_ROW)
    indicators = _indicators()
    qpvs, communes, epcis = _territories()
    whole = [i for i in indicators if i not in ("part_demandeurs_emploi",)]
    generator = random.Random(seed)
    total = 0
    for period in PERIODS:
        path = target / "observations" / f"synthetique_national_{period}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(COLUMNS)
            for code in qpvs:
                for row in _rows_for(generator, code, period, indicators, whole, broken_down=True):
                    writer.writerow(row)
                    total += 1
            for code in communes + epcis:
                for row in _rows_for(generator, code, period, indicators, whole, broken_down=False):
                    writer.writerow(row)
                    total += 1
    return {"qpv": len(qpvs), "communes": len(communes), "epci": len(epcis), "observations": total}


def make_millesime(path: Path, seed: int = 2025) -> int:
    """Write one national millésime (tidy, every QPV × 13 indicators) to import; return its row count."""
    indicators = _indicators()
    qpvs, _, _ = _territories()
    generator = random.Random(seed)
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["territory_code", "indicator_id", "period", "value", "note"])
        for code in qpvs:
            for indicator, (unit, low, high) in indicators.items():
                writer.writerow([code, indicator, IMPORT_PERIOD, _value(generator, unit, low, high), "synthétique"])
                count += 1
    return count


def run(command: list[str], env: dict) -> tuple[float, float, str]:
    """Run python -m qpv COMMAND in a fresh process; return (seconds, peak RSS in Mo, last output line)."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "qpv", *command], cwd=REPO, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = process.stdout.read().decode(), process.stderr.read().decode()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"échec de {' '.join(command)} :\n{out}\n{err}")
    lines = [line for line in (out + err).splitlines() if line.strip()]
    return elapsed, usage.ru_maxrss / 1024, (lines[-1] if lines else "")


def baseline(folder: Path) -> dict[str, float]:
    """Time, in this process, DuckDB reading the same files raw and writing the same rows with COPY."""
    import duckdb

    pattern = str(folder / "observations" / "*.csv")
    timings = {}
    with duckdb.connect() as con:
        con.execute("set enable_progress_bar = false")
        start = time.perf_counter()
        con.execute(f"create table raw as select * from read_csv('{pattern}', all_varchar = true)")  # noqa: S608
        timings["read"] = time.perf_counter() - start
        target = folder.parent / "raw_copy.csv"
        start = time.perf_counter()
        con.execute(f"copy raw to '{target}' (header)")
        timings["copy"] = time.perf_counter() - start
        target.unlink()
    return timings


def machine() -> str:
    """Describe the machine: CPU, cores, memory, Python and DuckDB versions, load."""
    import duckdb

    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    memory = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{model}, {os.cpu_count()} cœurs, {memory} Go ; Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__} ; charge {load}")


def main() -> None:
    """Generate the synthetic folder, time each command, print medians and ratios against the baseline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", default=None, help="garder le dossier synthétique ici (sinon supprimé)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qpv-national-") as temporary:
        root = Path(args.keep) if args.keep else Path(temporary)
        root.mkdir(parents=True, exist_ok=True)
        folder = root / "data"
        if folder.exists():
            shutil.rmtree(folder)
        counts = make_national_folder(folder)
        millesime = root / f"millesime_{IMPORT_PERIOD}_synthetique.csv"
        rows = make_millesime(millesime)
        print(f"Machine : {machine()}")
        print(f"Données SYNTHÉTIQUES : {counts['qpv']} QPV, {counts['communes']} communes, {counts['epci']} EPCI, "
              f"{len(PERIODS)} périodes, {counts['observations']:,} observations ; millésime importé : "
              f"{rows:,} lignes".replace(",", "\u202f"))
        report(folder, millesime, args.rounds)


STEPS = ("check", "build à froid", "build", "import", "undo", "export")
TARGETS = {"check": (5, None, "read"), "build à froid": (10, 500, "read"), "build": (10, 500, "read"),
           "import": (3, 500, "read"), "undo": (None, None, "read"), "export": (2, None, "copy")}


def report(folder: Path, millesime: Path, rounds: int) -> None:
    """Time every command over rounds, each round against its own baseline; print medians and ratios."""
    env = os.environ | {"QPV_DATA_DIR": str(folder), "QPV_DATABASE": str(folder / "qpv.duckdb")}
    source = ["--source-title", "Millésime SYNTHÉTIQUE", "--source-publisher", "banc d'essai",
              "--source-licence", "aucune", "--by", "banc d'essai"]
    commands = {"check": ["check"], "build à froid": ["build"], "build": ["build"],
                "import": ["import", str(millesime), *source], "undo": ["undo", "--by", "banc"],
                "export": ["export", "-o", str(folder.parent / "export.csv")]}
    measures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in STEPS}
    outputs = {}
    for _ in range(rounds):
        reference = baseline(folder)
        for name in STEPS:
            if name == "build à froid":
                (folder / "qpv.duckdb").unlink(missing_ok=True)  # no previous store: contours computed too
            seconds, peak, outputs[name] = run(commands[name], env)
            measures[name].append((seconds, peak, seconds / reference[TARGETS[name][2]]))
    print(f"{'commande':<14} {'médiane':>8} {'min–max':>14} {'pic mémoire':>12} {'cible':>18} {'ratio':>7}")
    for name in STEPS:
        seconds = [m[0] for m in measures[name]]
        limit, memory, _ = TARGETS[name]
        goal = (f"≤ {limit} s" if limit else "—") + (f", ≤ {memory} Mo" if memory else "")
        print(f"{name:<14} {statistics.median(seconds):7.2f}s {min(seconds):6.2f}–{max(seconds):5.2f} s "
              f"{max(m[1] for m in measures[name]):9.0f} Mo {goal:>18} "
              f"{statistics.median(m[2] for m in measures[name]):6.1f}×")
    print("Ratio : durée de la commande / durée de DuckDB, dans la même manche et ce processus, lisant sans contrôle "
          "tous les CSV d'observations (check, build, et import et undo, qui n'ont plus à les relire) ou écrivant "
          "les mêmes lignes par COPY (export) ; médiane des manches. Chaque commande tourne dans un processus neuf "
          "(démarrage de Python compris).")
    for name, last in outputs.items():
        print(f"  {name} : {last[:150]}")


if __name__ == "__main__":
    main()
