"""Read the project's CSV files into rows that remember their line numbers."""

import csv
from dataclasses import dataclass
from pathlib import Path

from qpv.store.errors import Problem
from qpv.store.paths import REPO


@dataclass(frozen=True)
class Row:
    """One data row of a CSV file, with its file and 1-based physical line."""

    file: str
    line: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        """Return the stripped cell, '' when absent."""
        return (self.values.get(column) or "").strip()

    def problem(self, column: str | None, message: str) -> Problem:
        """Make a problem located at this row and column."""
        return Problem(self.file, self.line, column, message)


def display_name(path: Path) -> str:
    """Name a file from its data/ folder (data/observations/x.csv), else relative to the repository."""
    parts = path.resolve().parts
    if "data" in parts:
        return "/".join(parts[len(parts) - 1 - parts[::-1].index("data"):])
    try:
        return str(path.resolve().relative_to(REPO))
    except ValueError:
        return path.name


def read_csv(path: Path, required: list[str]) -> tuple[list[Row], list[Problem]]:
    """Read a UTF-8 CSV file; report a missing file, bad encoding, empty file or missing columns."""
    name = display_name(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return [], [Problem(name, None, None, "fichier introuvable.")]
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        return [], [Problem(name, line, None, "le fichier n'est pas encodé en UTF-8.")]
    if not text.strip():
        return [], [Problem(name, None, None, "le fichier est vide.")]
    reader = csv.DictReader(text.splitlines(keepends=True))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [column for column in required if column not in header]
    if missing:
        message = f"colonnes manquantes : {', '.join(missing)} (colonnes lues : {', '.join(header)})."
        return [], [Problem(name, 1, missing[0], message)]
    rows, problems = [], []
    start = 2
    for record in reader:
        if None in record:
            problems.append(Problem(name, start, None, "trop de cellules sur la ligne."))
        values = {(k or "").strip(): v for k, v in record.items() if k is not None}
        if any((v or "").strip() for v in values.values()):
            rows.append(Row(name, start, values))
        start = reader.line_num + 1
    if not rows and not problems:
        problems.append(Problem(name, None, None, "le fichier ne contient aucune ligne de données."))
    return rows, problems


def parse_number(text: str) -> float | None:
    """Parse '40.7', '40,7' or '13 970'; return None when it is not a number."""
    cleaned = text.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None
