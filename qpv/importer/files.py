"""Read an uploaded CSV or XLSX file into a header and numbered rows of text cells.

A CSV upload is split by the project's one tokenizer (qpv.store.csvparse), the same that reads the
saved import back; a workbook goes through qpv.importer.xlsx, which bounds its size before reading cells.
"""

import csv
import io
from dataclasses import dataclass, field

from qpv.importer.xlsx import MAX_CELLS, MAX_COLUMNS, MAX_ROWS, xlsx_lines
from qpv.store.csvparse import ParseError, physical_lines, records
from qpv.store.errors import DataError, Problem

MAX_BYTES = 20 * 1024 * 1024
DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"
__all__ = ["MAX_BYTES", "MAX_CELLS", "MAX_COLUMNS", "MAX_ROWS", "Table", "check_size", "csv_bytes", "decode",
           "read_table"]


@dataclass(frozen=True)
class Table:
    """The cells of one file or sheet: header, then (line number, cells) for each non-empty row."""

    name: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None
    delimiter: str | None = None  # the CSV separator, None for a workbook
    quoted: dict[int, frozenset[int]] = field(default_factory=dict)  # CSV line → cells written between quotes

    def where(self) -> str:
        """Name the file, and the sheet for a workbook, for messages and source references."""
        return f"{self.name}, feuille « {self.sheet} »" if self.sheet else self.name


def _fail(name: str, message: str, line: int | None = None, column: str | None = None) -> DataError:
    """Make an error carrying one problem about the uploaded file."""
    return DataError([Problem(name, line, column, message)])


def check_size(content: bytes, name: str) -> None:
    """Reject an empty upload or one above the size limit."""
    if not content:
        raise _fail(name, "le fichier est vide (0 octet) : rien à importer.")
    if len(content) > MAX_BYTES:
        size = f"{len(content) / 1024 / 1024:.1f}".replace(".", ",")
        raise _fail(name, f"le fichier pèse {size} Mo, au-delà de la limite de {MAX_BYTES // 1024 // 1024} Mo : "
                          "le découper (par exemple un fichier par indicateur) ou retirer les colonnes inutiles.")


def read_table(content: bytes, name: str, *, sheet: str | None = None, skip_rows: int = 0) -> Table:
    """Read a CSV or XLSX upload; skip_rows lines of title come before the header (INSEE files)."""
    check_size(content, name)
    if not isinstance(skip_rows, int) or isinstance(skip_rows, bool) or skip_rows < 0:
        raise _fail(name, "le nombre de lignes à ignorer doit être un entier positif ou nul.")
    lower = name.lower()
    if lower.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, "format Excel 97-2003 (.xls) non pris en charge : l'enregistrer en .xlsx ou en CSV.")
    if content.startswith(XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        title, lines = xlsx_lines(content, name, sheet, skip_rows)
        return _table(name, lines, skip_rows, sheet=title, strict=False)
    if sheet:
        raise _fail(name, f"feuille « {sheet} » demandée, mais le fichier n'est pas un classeur XLSX.")
    text = decode(content)
    if "\x00" in text:
        raise _fail(name, "le fichier contient des octets nuls : ce n'est ni un CSV ni un classeur XLSX lisible.")
    delimiter = _delimiter(text, skip_rows)
    lines, quoted = _csv_lines(text, name, delimiter)
    return _table(name, lines, skip_rows, sheet=None, strict=True, delimiter=delimiter, quoted=quoted)


def decode(content: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252, else Latin-1."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _delimiter(text: str, skip_rows: int) -> str:
    """Guess the delimiter from the header line (counted as the tokenizer counts lines): the most frequent."""
    lines = physical_lines(text[: 1024 * 1024])
    header = lines[skip_rows] if skip_rows < len(lines) else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_lines(text: str, name: str, delimiter: str) -> tuple[list[tuple[int, list[str]]], dict]:
    """Split CSV text into (physical line, cells), and the quoted cells of each line that has some."""
    lines, quoted, cells = [], {}, 0
    try:
        for record in records(text, delimiter, keep_quotes=True):
            lines.append((record.line, record.cells))
            if record.quoted:
                quoted[record.line] = record.quoted
            cells += len(record.cells)
            if len(lines) > MAX_ROWS + 1:
                raise _fail(name, f"plus de {MAX_ROWS:,} lignes : découper le fichier.".replace(",", "\u202f"))
            if cells > MAX_CELLS:
                raise _fail(name, f"plus de {MAX_CELLS:,} cellules : découper le fichier.".replace(",", "\u202f"))
    except ParseError as error:
        raise _fail(name, error.message, line=error.line) from error
    return lines, quoted


def _table(name: str, lines, skip_rows: int, *, sheet: str | None, strict: bool, delimiter: str | None = None,
           quoted: dict | None = None) -> Table:
    """Take the header after the skipped rows; check each row's cell count when strict (CSV)."""
    lines = lines[skip_rows:]
    while lines and not any(c.strip() for c in lines[0][1]):
        lines = lines[1:]
    if not lines:
        skipped = f" après les {skip_rows} lignes ignorées" if skip_rows else ""
        raise _fail(name, f"aucune ligne d'en-tête{skipped} : le fichier ne contient aucune donnée.")
    header_line, header = lines[0][0], [c.strip() for c in lines[0][1]]
    while header and not header[-1]:
        header.pop()
    problems = _header_problems(name, header_line, header)
    rows = []
    for line, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue
        if strict and (len(cells) < len(header) or any(c.strip() for c in cells[len(header):])):
            problems.append(_count_problem(name, line, cells, header))
        rows.append((line, (cells + [""] * len(header))[: len(header)]))
    if problems:
        raise DataError(problems)
    if not rows:
        raise _fail(name, "le fichier ne contient aucune ligne de données sous l'en-tête.", line=header_line)
    return Table(name, header, header_line, rows, sheet, delimiter, quoted or {})


def _header_problems(name: str, line: int, header: list[str]) -> list[Problem]:
    """Report repeated column names in the header."""
    seen: dict[str, int] = {}
    problems = []
    for position, column in enumerate(header, start=1):
        if column and column in seen:
            message = f"colonne « {column} » en double (colonnes {seen[column]} et {position})."
            problems.append(Problem(name, line, column, message))
        seen.setdefault(column, position)
    return problems


def _count_problem(name: str, line: int, cells: list[str], header: list[str]) -> Problem:
    """Describe a row with too many or too few cells."""
    if len(cells) > len(header):
        message = f"trop de cellules sur la ligne ({len(cells)} au lieu de {len(header)})."
    else:
        message = f"ligne incomplète : {len(cells)} cellules au lieu de {len(header)} (fichier tronqué ?)."
    return Problem(name, line, None, message)


def csv_bytes(header, rows) -> bytes:
    """Write rows as the project's CSV (UTF-8, comma, \\n); a cell holding a carriage return is quoted, so that the
    project's reader gives it back whole (the csv module only quotes the characters of its line terminator)."""
    rows = list(rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    if "\r" not in out.getvalue():
        return out.getvalue().encode("utf-8")
    out = io.StringIO(newline="")
    plain, quoted = csv.writer(out, lineterminator="\n"), csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    for row in rows:
        (quoted if any("\r" in str(cell) for cell in row) else plain).writerow(row)
    return out.getvalue().encode("utf-8")
