"""Read the project's CSV files (UTF-8, comma): small tables as rows, observation files as columns.

Every file goes through ``qpv.store.inputs.read_bytes`` (read once, hashed for the store's fingerprint) and
``qpv.store.csvparse`` (the tokenizer uploads use too), so a saved import is read back exactly as its preview
was made.
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from qpv.store import arrow
from qpv.store.csvparse import ParseError, records, rows_and_lines, split_rows
from qpv.store.errors import Problem
from qpv.store.inputs import read_bytes
from qpv.store.numbers import parse_plain
from qpv.store.paths import REPO

# Arrow's own allocator keeps freed memory for reuse; the system's gives it back, which keeps a national check
# or build within its memory budget (benchmarks/bench_national.py).
pa.set_memory_pool(pa.system_memory_pool())
# Python's str.strip() characters, so that columns are trimmed exactly as Row.get trims one cell.
# (every code point whose str.isspace() is true; tests/test_parsing.py checks the list is complete).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


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


def _text(path: Path, name: str) -> tuple[str | None, list[Problem]]:
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


def _header(name: str, cells: list[str], required: list[str]) -> tuple[list[str], list[Problem]]:
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
    text, problems = _text(path, name)
    if text is None:
        return [], problems
    try:
        parsed = list(records(text))
    except ParseError as error:
        return [], [Problem(name, error.line, None, error.message)]
    header, problems = _header(name, parsed[0].cells, required)
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


def read_columns(path: Path, columns: list[str], required: list[str]) -> tuple[pa.Table | None, list[Problem]]:
    """Read a large UTF-8 CSV file into an Arrow table of stripped text columns and their line numbers."""
    name = display_name(path)
    text, problems = _text(path, name)
    if text is None:
        return None, problems
    try:
        cells = split_rows(text)
        if cells is None:
            rows, lines = rows_and_lines(text)
            cells = arrow.string_lists(rows)
            del rows
        else:
            lines = None
    except ParseError as error:
        return None, [Problem(name, error.line, None, error.message)]
    del text
    header, problems = _header(name, cells[0].as_py(), required)
    if problems:
        return None, problems
    body = cells.slice(1)
    lines = arrow.integers(np.arange(2, len(cells) + 1)) if lines is None else arrow.integers(lines[1:])
    body, lines, problems = _equal_width(body, lines, len(header), name)
    table = _columns(body, lines, header, columns)
    if table.num_rows == 0 and not problems:
        problems.append(Problem(name, None, None, "le fichier ne contient aucune ligne de données."))
    return table, problems


def _equal_width(body: pa.ListArray, lines: pa.Array, width: int, name: str):
    """Pad short rows and cut long ones to the header's width, reporting long rows with cells beyond it."""
    lengths = arrow.numbers(pc.list_value_length(body))
    odd = np.flatnonzero(lengths != width)
    if len(odd) == 0:
        return body, lines, []
    rows, problems = body.to_pylist(), []
    for index in odd.tolist():
        if len(rows[index]) > width and any(cell.strip() for cell in rows[index][width:]):
            problems.append(Problem(name, lines[index].as_py(), None, "trop de cellules sur la ligne."))
        rows[index] = (rows[index] + [""] * width)[:width]
    return arrow.string_lists(rows), lines, problems


def _columns(body: pa.ListArray, lines: pa.Array, header: list[str], columns: list[str]) -> pa.Table:
    """Turn equal-width rows into trimmed text columns (absent ones empty), dropping rows blank in every column."""
    count = len(body)
    # the index as an Arrow scalar: given a Python int, pyarrow would load pandas to probe it
    trimmed = [pc.utf8_trim(pc.list_element(body, arrow.integers([index])[0]), characters=WHITESPACE) if count
               else arrow.strings([]) for index in range(len(header))]
    trimmed = [array.dictionary_encode() for array in trimmed]  # a few distinct codes, periods, units: compact
    position = {column: index for index, column in enumerate(header)}  # a repeated name: the last one
    blank = np.ones(count, dtype=bool)
    for array in trimmed:
        blank &= _is_empty(array)
    empty = arrow.strings([""] * count).dictionary_encode()
    arrays = [trimmed[position[c]] if c in position else empty for c in columns]
    table = pa.table([*arrays, lines], names=[*columns, "line"])
    return table.filter(arrow.booleans(~blank))


def _is_empty(array: pa.DictionaryArray) -> np.ndarray:
    """Mark the empty cells of a dictionary-encoded column."""
    position = pc.index(array.dictionary, arrow.strings([""])[0]).as_py()
    if position < 0:
        return np.zeros(len(array), dtype=bool)
    return arrow.numbers(array.indices) == position


def parse_number(text: str) -> float | None:
    """Parse '40.7', '40,7' or '13 970' written with the digits 0-9; None when it is not a finite number."""
    return parse_plain(text)
