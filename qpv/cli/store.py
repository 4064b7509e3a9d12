"""The check, build, export and import-geo commands of python -m qpv."""

import argparse
import sys

from qpv.cli.common import data_dir, database, report
from qpv.store.build import build
from qpv.store.dataset import load_dataset
from qpv.store.errors import DataError
from qpv.store.reader import open_store

EXPORT_COLUMNS = [
    "territory_code", "territory_name", "indicator_id", "indicator_label", "period", "breakdown",
    "category", "value", "unit", "status", "source", "source_id", "source_ref", "note",
]


def add_commands(commands) -> None:
    """Declare the check, build, export and import-geo subcommands."""
    commands.add_parser("check", help="valider les fichiers sans rien écrire").set_defaults(run=command_check)
    commands.add_parser("build", help="construire la base DuckDB").set_defaults(run=command_build)
    commands.add_parser("export", help="toutes les observations en CSV").set_defaults(run=command_export)
    geo = commands.add_parser("import-geo", help="importer des contours officiels de QPV")
    geo.add_argument("file")
    geo.add_argument("--code-field", default=None, help="colonne portant le code du QPV")
    geo.set_defaults(run=command_import_geo)


def command_check(args: argparse.Namespace) -> int:
    """Validate the input files without writing anything."""
    dataset, problems = load_dataset(data_dir(args))
    if problems:
        report(problems)
        return 1
    print(f"Fichiers valides : {len(dataset.observations)} observations, "
          f"{len(dataset.indicators)} indicateurs, {len(dataset.territories)} territoires.")
    return 0


def command_build(args: argparse.Namespace) -> int:
    """Build the store from the files, atomically."""
    try:
        path = build(data_dir(args), database(args))
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
    try:
        with open_store(data_dir(args), database(args)) as store:
            frame = store.query("observations_export")
    except DataError as error:
        report(error.problems)
        return 1
    frame["value"] = frame["value"].map(format_export_value)
    try:
        frame[EXPORT_COLUMNS].to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # the reader stopped early (e.g. | head): not an error
        sys.stderr.close()
    return 0


def command_import_geo(args: argparse.Namespace) -> int:
    """Import official QPV contours into the writable contour folder, then rebuild."""
    from qpv.store.geo_import import main_import_geo

    return main_import_geo(args.file, args.code_field, data_dir=data_dir(args), db_path=database(args))
