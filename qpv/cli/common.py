"""What every command of python -m qpv shares: where the files are, and how problems are printed."""

import argparse
import logging
import sys
from pathlib import Path

from qpv.store import paths
from qpv.store.errors import DataError, Problem

log = logging.getLogger("qpv.cli")


def machine_errors() -> tuple[type[BaseException], ...]:
    """Name the errors of the machine (disk, rights, memory), DuckDB's included (imported when a command runs)."""
    import duckdb

    return OSError, MemoryError, duckdb.IOException, duckdb.PermissionException, duckdb.OutOfMemoryException


def data_dir(args: argparse.Namespace) -> Path:
    """Return the data folder a command works on (--data-dir, else the setting)."""
    return Path(args.data_dir) if args.data_dir else paths.data_dir()


def database(args: argparse.Namespace) -> Path:
    """Return the store a command works on (--database, else the setting)."""
    return Path(args.database) if args.database else paths.database_path(data_dir(args))


def report(problems: list[Problem]) -> None:
    """Print problems in French on stderr, one per line, with a count."""
    for problem in problems:
        print(f"ERREUR {problem}", file=sys.stderr)
    plural = "s" if len(problems) > 1 else ""
    print(f"{len(problems)} erreur{plural} : aucune donnée n'a été écrite.", file=sys.stderr)


def machine_message(error: BaseException) -> str:
    """Say in French what the machine refused (disk full, rights, memory), without a traceback."""
    import duckdb

    from qpv.store.writer import is_disk_error

    if isinstance(error, MemoryError | duckdb.OutOfMemoryException):
        what = "mémoire insuffisante"
    elif is_disk_error(error):
        what = "disque plein ou droits d'écriture insuffisants"
    else:
        what = "erreur d'entrée-sortie"
    where = f" ({error.filename})" if isinstance(error, OSError) and error.filename else ""
    detail = (error.strerror if isinstance(error, OSError) and error.strerror else str(error)).splitlines()[0][:200]
    return (f"ERREUR opération impossible : {what}{where}. Les données et la base sont restées dans leur état "
            f"précédent. Détail technique : {detail}")


def guarded(run, args: argparse.Namespace) -> int:
    """Run a command; report bad input and machine errors (disk full, permissions) in French, never a traceback."""
    from qpv.store.writer import drain_recoveries

    machine = machine_errors()
    try:
        return run(args)
    except DataError as error:
        report(error.problems)
        return 1
    except machine as error:
        log.debug("échec de la commande %s", getattr(args, "command", "?"), exc_info=True)
        print(machine_message(error), file=sys.stderr)
        return 2
    finally:
        for message in drain_recoveries():
            print(f"REPRISE {message}", file=sys.stderr)
