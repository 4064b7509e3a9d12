"""Command-line interface of python -m qpv: build, check, export, imports, contours and PDF reports."""

import argparse

from qpv.cli import bilan, imports, reports, store
from qpv.cli.common import guarded


def parser() -> argparse.ArgumentParser:
    """Describe the commands and their options."""
    main_parser = argparse.ArgumentParser(prog="python -m qpv", description="Observatoire des quartiers")
    main_parser.add_argument("--data-dir", default=None, help="dossier des fichiers sources (défaut : data/)")
    main_parser.add_argument("--database", default=None, help="fichier DuckDB (défaut : data/qpv.duckdb)")
    commands = main_parser.add_subparsers(dest="command", required=True)
    store.add_commands(commands)
    imports.add_commands(commands)
    reports.add_commands(commands)
    bilan.add_commands(commands)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run one command and return its exit code."""
    args = parser().parse_args(argv)
    return guarded(args.run, args)
