"""Read large CSV files (observations, saved imports) as Arrow columns: trimmed text and the line of each row.

The same tokenizer as every other file (qpv.store.csvparse): a file without any quote is split in Arrow, one
with quotes record by record by the csv module; both give the same cells (tests/test_parsing.py).
"""

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from qpv.store import arrow
from qpv.store.csvfiles import check_header, display_name, read_text
from qpv.store.csvparse import MAX_ROW_CELLS, ParseError, rows_and_lines
from qpv.store.errors import Problem

# Python's str.strip() characters, so that columns are trimmed exactly as Row.get trims one cell.
# (every code point whose str.isspace() is true; tests/test_parsing.py checks the list is complete).
WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
              "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")


def split_rows(text: str) -> pa.ListArray | None:
    """Split a comma-separated text without any quote into records (header included), in Arrow; None if quoted.

    Without a quote no cell can hold a delimiter or a line break, so the csv module's records are exactly the
    physical lines (ended by \\n, \\r\\n or \\r) cut at each comma: the same result, computed without a
    Python object per cell (tests/test_parsing.py checks both agree). Record n starts on line n.
    """
    if '"' in text or "\x00" in text:
        return None
    source = arrow.strings([text], large=True)
    if "\r" in text:
        lines = pc.split_pattern_regex(source, r"\r\n|\r|\n")[0].values
    else:
        lines = pc.split_pattern(source, "\n")[0].values
    if len(lines) and lines[len(lines) - 1].as_py() == "":
        lines = lines.slice(0, len(lines) - 1)  # the end of the last line, not a line
    cells = pc.split_pattern(lines.cast(pa.string()), ",")
    wide = np.flatnonzero(arrow.numbers(pc.list_value_length(cells)) > MAX_ROW_CELLS)
    if len(wide):
        first = int(wide[0])
        raise ParseError(first + 1, f"plus de {MAX_ROW_CELLS} cellules sur la ligne : ce n'est pas un tableau "
                                    "lisible (séparateur erroné ?).")
    return cells


def read_columns(path: Path, columns: list[str], required: list[str]) -> tuple[pa.Table | None, list[Problem]]:
    """Read a large UTF-8 CSV file into an Arrow table of stripped text columns and their line numbers."""
    name = display_name(path)
    text, problems = read_text(path, name)
    if text is None:
        return None, problems
    try:
        cells = split_rows(text)
        if cells is None:
            rows, lines = rows_and_lines(text)
            if all(len(row) == len(rows[0]) for row in rows):  # as wide as the header: split into columns here
                del text
                return _table_of_rows(rows, arrow.integers(lines[1:]), name, columns, required)
            cells = arrow.string_lists(rows)
            del rows
        else:
            lines = None
    except ParseError as error:
        return None, [Problem(name, error.line, None, error.message)]
    del text
    header, problems = check_header(name, cells[0].as_py(), required)
    if problems:
        return None, problems
    body = cells.slice(1)
    lines = arrow.integers(np.arange(2, len(cells) + 1)) if lines is None else arrow.integers(lines[1:])
    body, lines, problems = _equal_width(body, lines, len(header), name)
    count = len(body)
    # the index as an Arrow scalar: given a Python int, pyarrow would load pandas to probe it
    table = _columns([pc.list_element(body, arrow.integers([index])[0]) if count else arrow.strings([])
                      for index in range(len(header))], lines, header, columns)
    return _checked(table, problems, name)


def _table_of_rows(rows: list[list[str]], lines: pa.Array, name: str, columns: list[str],
                   required: list[str]) -> tuple[pa.Table | None, list[Problem]]:
    """Make the table of rows that all have the header's width, one column at a time (no list array)."""
    header, problems = check_header(name, rows[0], required)
    if problems:
        return None, problems
    body = list(zip(*rows[1:], strict=True)) or [()] * len(header)
    return _checked(_columns([arrow.strings(column) for column in body], lines, header, columns), [], name)


def _checked(table: pa.Table, problems: list[Problem], name: str) -> tuple[pa.Table, list[Problem]]:
    """Report a table without any data row."""
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


def _columns(cells: list[pa.Array], lines: pa.Array, header: list[str], columns: list[str]) -> pa.Table:
    """Turn the text columns of equal-width rows into trimmed columns (absent ones empty), dropping blank rows."""
    count = len(lines)
    # a few distinct codes, periods, units: compact
    trimmed = [pc.utf8_trim(array, characters=WHITESPACE).dictionary_encode() for array in cells]
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
