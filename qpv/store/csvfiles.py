"""Read the project's small CSV files (UTF-8, comma) as rows (large observation files: qpv.store.csvcolumns).

Every file goes through ``qpv.store.inputs.read_bytes`` (read once, hashed for the store's fingerprint) and
``qpv.store.csvparse`` (the tokenizer uploads use too), so a saved import is read back exactly as its preview
was made. No Arrow here: the commands that only read the store list and hash their inputs without loading it.
"""

from dataclasses import dataclass
from pathlib import Path

from qpv.store.csvparse import ParseError, records
from qpv.store.errors import Problem
from qpv.store.inputs import read_bytes
from qpv.store.numbers import parse_plain
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


def read_text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
    """Read and decode one UTF-8 file once; report a missing, undecodable or empty file."""
    content = read_bytes(path)
    if content is None:
        return None, [Problem(name, None, None, "fichier introuvable.")]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        return None, [Problem(name, line, None, "le fichier n'est pas encodé en UTF-8.")]
    if not text.strip():
        return None, [Problem(name, None, None, "le fichier est vide.")]
    return text, []


def check_header(name: str, cells: list[str], required: list[str]) -> tuple[list[str], list[Problem]]:
    """Strip the header cells; report missing required columns."""
    header = [cell.strip() for cell in cells]
    missing = [column for column in required if column not in header]
    if missing:
        message = f"colonnes manquantes : {', '.join(missing)} (colonnes lues : {', '.join(header)})."
        return header, [Problem(name, 1, missing[0], message)]
    return header, []


def read_csv(path: Path, required: list[str]) -> tuple[list[Row], list[Problem]]:
    """Read a small UTF-8 CSV file into rows; report a missing file, bad encoding, empty file or missing columns."""
    name = display_name(path)
    text, problems = read_text(path, name)
    if text is None:
        return [], problems
    try:
        parsed = list(records(text))
    except ParseError as error:
        return [], [Problem(name, error.line, None, error.message)]
    header, problems = check_header(name, parsed[0].cells, required)
    if problems:
        return [], problems
    rows = []
    for record in parsed[1:]:
        if len(record.cells) > len(header):
            problems.append(Problem(name, record.line, None, "trop de cellules sur la ligne."))
        values = dict(zip(header, record.cells, strict=False))
        if any(value.strip() for value in values.values()):
            rows.append(Row(name, record.line, values))
    if not rows and not problems:
        problems.append(Problem(name, None, None, "le fichier ne contient aucune ligne de données."))
    return rows, problems


def parse_number(text: str) -> float | None:
    """Parse '40.7', '40,7' or '13 970' written with the digits 0-9; None when it is not a finite number."""
    return parse_plain(text)
