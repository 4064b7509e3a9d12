"""Command-line interface of python -m qpv: build, check, export, imports, contours and PDF reports."""

import argparse
import sys
from pathlib import Path

import duckdb

from qpv.build import build
from qpv.dataset import load_dataset
from qpv.errors import DataError, Problem
from qpv.importer.commands import add_commands
from qpv.paths import DATA_DIR, database_path
from qpv.reports.cli import add_commands as add_report_commands

EXPORT_COLUMNS = [
    "territory_code", "territory_name", "indicator_id", "indicator_label", "period", "breakdown",
    "category", "value", "unit", "status", "source", "source_id", "source_ref", "note",
]


def report(problems: list[Problem]) -> None:
    """Print problems in French on stderr, one per line, with a count."""
    for problem in problems:
        print(f"ERREUR {problem}", file=sys.stderr)
    plural = "s" if len(problems) > 1 else ""
    print(f"{len(problems)} erreur{plural} : aucune donnée n'a été écrite.", file=sys.stderr)


def command_check(args: argparse.Namespace) -> int:
    """Validate the input files without writing anything."""
    dataset, problems = load_dataset(Path(args.data_dir))
    if problems:
        report(problems)
        return 1
    print(f"Fichiers valides : {len(dataset.observations)} observations, "
          f"{len(dataset.indicators)} indicateurs, {len(dataset.territories)} territoires.")
    return 0


def command_build(args: argparse.Namespace) -> int:
    """Build the store from the files, atomically."""
    try:
        path = build(Path(args.data_dir), Path(args.database) if args.database else None)
    except DataError as error:
        report(error.problems)
        return 1
    print(f"Base construite : {path}")
    return 0


def format_export_value(value) -> str:
    """Write a value with a decimal point and no spurious trailing zeros; empty when missing."""
    return "" if value is None or value != value else f"{value:.10g}"


def command_export(args: argparse.Namespace) -> int:
    """Write every observation as tidy CSV on stdout."""
    from qpv.build import ensure_built
    from qpv.sql import execute

    path = Path(args.database) if args.database else database_path()
    try:
        ensure_built(path, Path(args.data_dir))
    except DataError as error:
        report(error.problems)
        return 1
    with duckdb.connect(str(path), read_only=True) as con:
        frame = execute(con, "observations_export")
    frame["value"] = frame["value"].map(format_export_value)
    try:
        frame[EXPORT_COLUMNS].to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # the reader stopped early (e.g. | head): not an error
        sys.stderr.close()
    return 0


def command_import_geo(args: argparse.Namespace) -> int:
    """Replace the shipped QPV contours with an official file, then rebuild."""
    from qpv.geo_import import main_import_geo

    return main_import_geo(args.file, args.code_field)


def parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    main = argparse.ArgumentParser(prog="python -m qpv", description="Observatoire des quartiers")
    main.add_argument("--data-dir", default=str(DATA_DIR), help="dossier des fichiers sources")
    main.add_argument("--database", default=None, help="fichier DuckDB (défaut : data/qpv.duckdb)")
    commands = main.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="valider les fichiers sans rien écrire").set_defaults(run=command_check)
    commands.add_parser("build", help="construire la base DuckDB").set_defaults(run=command_build)
    commands.add_parser("export", help="toutes les observations en CSV").set_defaults(run=command_export)
    geo = commands.add_parser("import-geo", help="importer des contours officiels de QPV")
    geo.add_argument("file")
    geo.add_argument("--code-field", default=None, help="colonne portant le code du QPV")
    geo.set_defaults(run=command_import_geo)
    add_commands(commands, report)
    add_report_commands(commands)
    return main


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = parser().parse_args(argv)
    return args.run(args)
