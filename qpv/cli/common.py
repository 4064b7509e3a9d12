"""What every command of python -m qpv shares: where the files are, and how problems are printed."""

import argparse
import sys
from pathlib import Path

from qpv.store import paths
from qpv.store.errors import Problem


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
