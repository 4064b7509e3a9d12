"""The one CSV tokenizer of the project: project files, saved imports and uploads are all split here.

Records are read by the csv module in strict mode over the text with ``newline=""``: only \\n, \\r and
\\r\\n end a line (a form feed, a vertical tab, U+2028, U+2029, NEL or \\x1c–\\x1e stay inside their cell,
as a spreadsheet writes them). Every record keeps the physical line where it starts. What would be read
silently wrong is refused with the line: a quote left open to the end of the file, a stray quote, a
quoted cell that swallowed whole lines of the file, a row wider than any table, a cell larger than the
csv module's limit, a NUL byte.
"""

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_ROW_CELLS = 16_384  # Excel's widest sheet: a physical line with more delimiters is refused before it is split
LINE_BREAKS = re.compile(r"\r\n|\r|\n")


class ParseError(Exception):
    """A CSV text that cannot be read faithfully; carries the line and a French message."""

    def __init__(self, line: int | None, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class Record:
    """One record: the physical line it starts on, its cells, and which cells were quoted (None: none was)."""

    line: int
    cells: list[str]
    quoted: frozenset[int] | None = None


def physical_lines(text: str) -> list[str]:
    """Split text into lines the way the tokenizer counts them (\\n, \\r, \\r\\n only)."""
    return io.StringIO(text, newline="").readlines()


def quoted_cells(raw: str, delimiter: str) -> frozenset[int]:
    """Return the indexes of the cells that start with a quote in the raw text of one well-formed record."""
    quoted, index, position, inside, at_start = set(), 0, 0, False, True
    while position < len(raw):
        char = raw[position]
        if inside:
            if char == '"':
                if raw[position + 1:position + 2] == '"':
                    position += 1
                else:
                    inside = False
        elif char == '"' and at_start:
            quoted.add(index)
            inside = True
        elif char == delimiter:
            index += 1
            at_start = True
            position += 1
            continue
        at_start = False
        position += 1
    return frozenset(quoted)


class _Lines:
    """Feed physical lines to the csv module; refuse a line too wide; keep the raw text of a record on request."""

    def __init__(self, text: str, delimiter: str, keep_raw: bool):
        self.source = io.StringIO(text, newline="")
        self.delimiter = delimiter
        self.keep_raw = keep_raw
        self.raw: list[str] = []
        self.count = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        line = self.source.readline()
        if not line:
            raise StopIteration
        self.count += 1
        if line.count(self.delimiter) >= MAX_ROW_CELLS:
            raise ParseError(self.count, f"plus de {MAX_ROW_CELLS} cellules sur la ligne : ce n'est pas un tableau "
                                         "lisible (séparateur erroné ?).")
        if self.keep_raw:
            self.raw.append(line)
        return line


def _swallowed(cells: list[str], delimiter: str, width: int) -> str | None:
    """Describe a quoted cell spanning lines that holds whole rows of the file (an unclosed quote), else None."""
    need = max(1, width - 1)
    for cell in cells:
        parts = LINE_BREAKS.split(cell)
        if len(parts) > 1 and any(part.count(delimiter) >= need for part in parts):
            return ("une cellule entre guillemets s'étend sur plusieurs lignes et contient des lignes entières du "
                    "fichier : guillemet non fermé ? Les lignes suivantes seraient lues comme une seule cellule.")
    return None


def _one_line_records(text: str, delimiter: str) -> tuple[list[str], list[list[str]]] | None:
    """Split a text whose every record is one physical line in one call of the csv module; None otherwise.

    The same reader over the same lines as _scan: when it reads without error as many records as there are
    lines, record n is line n (a record takes at least one line, a blank line gives an empty record), so no
    cell spans lines and _scan would give the same cells. Otherwise _scan reads it again, with its messages.
    """
    if "\x00" in text:
        return None
    lines = physical_lines(text)
    if any(line.count(delimiter) >= MAX_ROW_CELLS for line in lines):
        return None
    try:
        rows = list(csv.reader(lines, delimiter=delimiter, strict=True))
    except csv.Error:
        return None
    return (lines, rows) if len(rows) == len(lines) else None


def _scan(text: str, delimiter: str, keep_quotes: bool) -> Iterator[tuple[int, list[str], frozenset[int] | None]]:
    """Yield (first line, cells, quoted cells or None) for every record; raise ParseError."""
    fast = _one_line_records(text, delimiter)
    if fast is not None:
        for number, (line, cells) in enumerate(zip(*fast, strict=True), start=1):
            yield number, cells, quoted_cells(line, delimiter) if keep_quotes and '"' in line else None
        return
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ParseError(line, "le fichier contient des octets nuls : ce n'est pas un fichier texte CSV.")
    lines = _Lines(text, delimiter, keep_quotes)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width, start = 0, 1
    while True:
        lines.raw.clear()
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ParseError(start, _explain(str(error), start, lines.count)) from error
        end = reader.line_num
        if width and end > start:
            message = _swallowed(cells, delimiter, width)
            if message:
                raise ParseError(start, message)
        width = width or len(cells)
        quoted = None
        if keep_quotes:
            raw = "".join(lines.raw)
            quoted = quoted_cells(raw, delimiter) if '"' in raw else None
        yield start, cells, quoted
        start = end + 1


def records(text: str, delimiter: str = ",", *, keep_quotes: bool = False) -> Iterator[Record]:
    """Yield every record of a CSV text (a blank line gives an empty record); raise ParseError."""
    for line, cells, quoted in _scan(text, delimiter, keep_quotes):
        yield Record(line, cells, quoted)


def rows_and_lines(text: str) -> tuple[list[list[str]], list[int]]:
    """Return every record of a comma-separated text and the line each starts on, header included.

    When no record spans lines (always so without a quote), record n is physical line n and the csv module
    splits the whole text in one call (the same tokenizer, without per-record bookkeeping).
    """
    fast = _one_line_records(text, ",")
    if fast is not None:
        return fast[1], list(range(1, len(fast[1]) + 1))
    rows, starts = [], []
    for line, cells, _ in _scan(text, ",", False):
        rows.append(cells)
        starts.append(line)
    return rows, starts


def _explain(error: str, start: int, last: int) -> str:
    """Turn a csv module error into French."""
    if "unexpected end of data" in error or "EOF" in error:
        return (f"guillemet ouvert ligne {start} et jamais refermé (jusqu'à la ligne {last}, fin du fichier) : "
                "la suite du fichier serait lue comme une seule cellule.")
    if "expected after" in error:
        return ("guillemet mal placé : une cellule entre guillemets doit être suivie du séparateur "
                "(un guillemet dans une cellule s'écrit \"\").")
    if "field larger than field limit" in error:
        return f"cellule de plus de {csv.field_size_limit():,} caractères : fichier illisible ou guillemet non fermé."
    if "NUL" in error:
        return "le fichier contient des octets nuls : ce n'est pas un fichier texte CSV."
    return f"CSV illisible ({error})."
