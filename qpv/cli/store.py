"""The check, build, export and import-geo commands of python -m qpv."""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from qpv.cli.common import data_dir, database, report
from qpv.store.errors import DataError

EXPORT_COLUMNS = [
    "territory_code", "territory_name", "indicator_id", "indicator_label", "period", "breakdown",
    "category", "value", "unit", "status", "source", "source_id", "source_ref", "note",
]
# A text cell a spreadsheet would run as a formula gets a leading apostrophe (qpv.present.text.neutralise_formula,
# undone by the importer): the same rule, in SQL, for DuckDB's COPY.
# No IN list here (nor list_contains on constants, rewritten as one): DuckDB plans it as a join, and a join
# between the ORDER BY and COPY reorders the rows. The code-point test first spares the pattern most cells:
# every character the rule looks at (tab, CR, apostrophe, +, -, =, @) comes before "A" (65).
NEUTRAL = r"""create or replace temp macro neutral(text) as
    case when ascii(text) < 65 and regexp_matches(text, '^''*[=+\-@\t\r]') then '''' || text else text end"""
EXPORT_SQL = """copy (
    select {columns}
    from export_rows
) to '{target}' (format csv, header true, delimiter ',', quote '"', escape '"')"""


def add_commands(commands) -> None:
    """Declare the check, build, export and import-geo subcommands."""
    commands.add_parser("check", help="valider les fichiers sans rien écrire").set_defaults(run=command_check)
    commands.add_parser("build", help="construire la base DuckDB").set_defaults(run=command_build)
    export = commands.add_parser("export", help="toutes les observations en CSV (sortie standard par défaut)")
    export.add_argument("-o", "--output", default=None, metavar="FICHIER", help="écrire dans ce fichier")
    export.set_defaults(run=command_export)
    geo = commands.add_parser("import-geo", help="importer des contours officiels de QPV")
    geo.add_argument("file")
    geo.add_argument("--code-field", default=None, help="colonne portant le code du QPV")
    geo.set_defaults(run=command_import_geo)


def command_check(args: argparse.Namespace) -> int:
    """Validate the input files without writing anything."""
    from qpv.store.dataset import load_dataset, observation_count

    dataset, problems = load_dataset(data_dir(args))
    if problems:
        report(problems)
        return 1
    print(f"Fichiers valides : {observation_count(dataset)} observations, "
          f"{len(dataset.indicators)} indicateurs, {len(dataset.territories)} territoires.")
    return 0


def command_build(args: argparse.Namespace) -> int:
    """Build the store from the files, atomically."""
    from qpv.store.build import build

    try:
        path = build(data_dir(args), database(args))
    except DataError as error:
        report(error.problems)
        return 1
    print(f"Base construite : {path}")
    return 0


def export_columns() -> str:
    """List the exported columns: text neutralised, values as plain numbers (10 significant digits)."""
    columns = []
    for column in EXPORT_COLUMNS:
        if column == "value":
            columns.append("case when value is not null then format('{:.10g}', value) end as value")
        else:
            columns.append(f"nullif(neutral({column}), '') as {column}")
    return ",\n        ".join(columns)


def write_export(con, target: Path) -> None:
    """Write every observation as tidy CSV with DuckDB's COPY."""
    from qpv.store.queries import query_sql

    con.execute("use store")
    con.execute(NEUTRAL)
    con.execute(f"create or replace temp view export_rows as {query_sql('observations_export')}")
    con.execute(EXPORT_SQL.format(columns=export_columns(), target=str(target).replace("'", "''")))


def command_export(args: argparse.Namespace) -> int:
    """Write every observation as tidy CSV, to a file (-o) or on stdout."""
    from qpv.store.reader import open_store

    try:
        with open_store(data_dir(args), database(args)) as store:
            if args.output:
                target = Path(args.output)
                partial = target.with_name(f".{target.name}.partiel")
                try:
                    write_export(store.con, partial)
                    os.replace(partial, target)  # a failed export never leaves half a file under the name asked
                finally:
                    partial.unlink(missing_ok=True)
                print(f"Export écrit : {target}", file=sys.stderr)
                return 0
            with tempfile.TemporaryDirectory(prefix="qpv-export-") as folder:
                target = Path(folder) / "export.csv"
                write_export(store.con, target)
                _to_stdout(target)
    except DataError as error:
        report(error.problems)
        return 1
    return 0


def _to_stdout(path: Path) -> None:
    """Copy a file to stdout; a reader that stops early (| head) is not an error."""
    try:
        sys.stdout.flush()
        if hasattr(sys.stdout, "buffer"):
            with path.open("rb") as handle:
                shutil.copyfileobj(handle, sys.stdout.buffer, 1024 * 1024)
            sys.stdout.buffer.flush()
        else:
            with path.open(encoding="utf-8", newline="") as handle:
                shutil.copyfileobj(handle, sys.stdout, 1024 * 1024)
    except BrokenPipeError:
        sys.stderr.close()


def command_import_geo(args: argparse.Namespace) -> int:
    """Import official QPV contours into the writable contour folder, then rebuild."""
    from qpv.store.geo_install import main_import_geo

    return main_import_geo(args.file, args.code_field, data_dir=data_dir(args), db_path=database(args))
