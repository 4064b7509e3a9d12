"""Read an uploaded CSV or XLSX file into a header and numbered rows of text cells."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from qpv.store.errors import DataError, Problem

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000
DELIMITERS = (";", ",", "\t")
XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Table:
    """The cells of one file or sheet: header, then (line number, cells) for each non-empty row."""

    name: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]]
    sheet: str | None = None

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
    if skip_rows < 0:
        raise _fail(name, "le nombre de lignes à ignorer doit être positif ou nul.")
    lower = name.lower()
    if lower.endswith(".xls") or content.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, "format Excel 97-2003 (.xls) non pris en charge : l'enregistrer en .xlsx ou en CSV.")
    if content.startswith(XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        title, lines = _xlsx_lines(content, name, sheet)
        return _table(name, lines, skip_rows, sheet=title, strict=False)
    if sheet:
        raise _fail(name, f"feuille « {sheet} » demandée, mais le fichier n'est pas un classeur XLSX.")
    return _table(name, _csv_lines(decode(content), name, skip_rows), skip_rows, sheet=None, strict=True)


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
    """Guess the delimiter from the header line: the most frequent of ; , and tab."""
    lines = text.splitlines()
    header = lines[skip_rows] if skip_rows < len(lines) else ""
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_lines(text: str, name: str, skip_rows: int) -> list[tuple[int, list[str]]]:
    """Split CSV text into (physical line, cells), keeping the line where each record starts."""
    if "\x00" in text:
        raise _fail(name, "le fichier contient des octets nuls : ce n'est ni un CSV ni un classeur XLSX lisible.")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text, skip_rows))
    lines, start = [], 1
    try:
        for cells in reader:
            lines.append((start, cells))
            start = reader.line_num + 1
            if len(lines) > MAX_ROWS:
                raise _fail(name, f"plus de {MAX_ROWS} lignes : découper le fichier.")
    except csv.Error as error:
        raise _fail(name, f"CSV illisible ({error}).", line=start) from error
    return lines


def _cell_text(value) -> str:
    """Write a workbook cell as text: integers without .0, dates as ISO, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()[:10]
    return str(value)


def _open_workbook(content: bytes, name: str):
    """Open a workbook read-only, or explain why it cannot be read."""
    from openpyxl import load_workbook

    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}) : "
                          "le réenregistrer depuis le tableur, ou l'exporter en CSV.") from error
    except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds on a damaged file)
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}).") from error


def _xlsx_lines(content: bytes, name: str, sheet: str | None) -> tuple[str, list[tuple[int, list[str]]]]:
    """Read the rows of one sheet (the named one, else the first) as its title and (row number, cells)."""
    workbook = _open_workbook(content, name)
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise _fail(name, f"feuille « {sheet} » absente (feuilles : {', '.join(workbook.sheetnames)}).")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        lines = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise _fail(name, f"plus de {MAX_ROWS} lignes : découper le fichier.")
            lines.append((number, [_cell_text(v) for v in values[:MAX_COLUMNS]]))
        return worksheet.title, lines
    except DataError:
        raise
    except Exception as error:  # noqa: BLE001 (a damaged sheet fails while streaming its rows)
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}).") from error
    finally:
        workbook.close()


def _table(name: str, lines, skip_rows: int, *, sheet: str | None, strict: bool) -> Table:
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
    return Table(name, header, header_line, rows, sheet)


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
