"""Read an uploaded XLSX workbook with bounded memory: sizes and dimensions checked before any cell is read.

A small file can declare millions of cells (615 Ko for one row of 5,5 million cells took 5 Go with a plain
read, because a row is built whole before it can be cut). So, in this order, and aborting at the first
excess: the zip members' declared sizes (which bound what decompression may produce), the number of shared
strings (streamed), the sheet's declared dimension, then a streaming pass over the sheet's XML (iterparse)
counting rows and cells; only then does openpyxl read the cells, limited to the first MAX_COLUMNS columns.
"""

import io
import re
import zipfile
from datetime import date, datetime
from xml.etree.ElementTree import ParseError, iterparse

from qpv.store.errors import DataError, Problem

MAX_ROWS = 200_000
MAX_COLUMNS = 1_000       # columns kept per row
MAX_ROW_CELLS = 16_384    # cells a row may declare (Excel's widest sheet)
MAX_CELLS = 3_000_000     # cells a sheet may hold, empty styled cells included
MAX_MEMBERS = 2_000
MAX_MEMBER_BYTES = 256 * 1024 * 1024   # one decompressed part
MAX_TOTAL_BYTES = 512 * 1024 * 1024    # all decompressed parts
MAX_RATIO = 200                        # decompressed / compressed, beyond which a part is a zip bomb
SHARED_STRINGS = "xl/sharedStrings.xml"
DIMENSION = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")


def _fail(name: str, message: str) -> DataError:
    """Make an error carrying one problem about the workbook."""
    return DataError([Problem(name, None, None, message)])


def _column_number(letters: str) -> int:
    """Turn column letters into a number (A → 1, XFD → 16384)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_archive(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a workbook whose parts would decompress beyond the limits (declared sizes bound decompression)."""
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise _fail(name, f"classeur de {len(members)} parties : au-delà de {MAX_MEMBERS}, illisible sans risque.")
    total = 0
    for member in members:
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > MAX_MEMBER_BYTES or (member.file_size > 16 * 1024 * 1024 and ratio > MAX_RATIO):
            size = f"{member.file_size / 1024 / 1024:,.0f}".replace(",", "\u202f")
            raise _fail(name, f"la partie « {member.filename} » du classeur se décompresse en {size} Mo : trop "
                              "grande pour être lue (découper le fichier ou l'exporter en CSV).")
    if total > MAX_TOTAL_BYTES:
        raise _fail(name, "le classeur décompressé dépasse 512 Mo : le découper ou l'exporter en CSV.")


def _count(archive: zipfile.ZipFile, part: str, tag: str, limit: int) -> int:
    """Count the elements of one tag in a part, streaming; stop as soon as the limit is passed."""
    count = 0
    with archive.open(part) as stream:
        for _, element in iterparse(stream, events=("end",)):
            if element.tag.rsplit("}", 1)[-1] == tag:
                count += 1
                if count > limit:
                    return count
                element.clear()
    return count


def check_shared_strings(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a workbook with more shared strings than a sheet may hold cells (openpyxl loads them all)."""
    if SHARED_STRINGS in archive.namelist() and _count(archive, SHARED_STRINGS, "si", MAX_CELLS) > MAX_CELLS:
        raise _fail(name, f"plus de {MAX_CELLS:,} textes dans le classeur : le découper.".replace(",", "\u202f"))


def check_dimension(ref: str | None, name: str, skip_rows: int) -> None:
    """Refuse a sheet whose declared dimension (A1:K500) exceeds the limits."""
    match = DIMENSION.match(ref or "")
    if not match or not match.group(3):
        return
    rows, columns = int(match.group(4)), _column_number(match.group(3))
    if rows > MAX_ROWS + skip_rows + 1 or columns > MAX_ROW_CELLS or rows * min(columns, MAX_COLUMNS) > MAX_CELLS:
        raise _fail(name, f"la feuille se déclare de dimension {ref} ({rows:,} lignes, {columns:,} colonnes) : "
                          f"au-delà de {MAX_ROWS:,} lignes ou {MAX_CELLS:,} cellules, le fichier doit être "
                          "découpé.".replace(",", "\u202f"))


def scan_sheet(archive: zipfile.ZipFile, part: str, name: str, skip_rows: int) -> None:
    """Stream the sheet's XML once, counting rows and cells; abort at the first row or cell beyond the limits."""
    rows = cells = in_row = 0
    with archive.open(part) as stream:
        for event, element in iterparse(stream, events=("start", "end")):
            tag = element.tag.rsplit("}", 1)[-1]
            if event == "start":
                if tag == "dimension":
                    check_dimension(element.get("ref"), name, skip_rows)
                elif tag == "row":
                    rows, in_row = rows + 1, 0
                    if rows > MAX_ROWS + skip_rows + 1 or int(element.get("r") or 0) > MAX_ROWS + skip_rows + 1:
                        raise _fail(name, f"plus de {MAX_ROWS:,} lignes : découper le fichier.".replace(",", "\u202f"))
                continue
            if tag == "c":
                cells, in_row = cells + 1, in_row + 1
                if in_row > MAX_ROW_CELLS or cells > MAX_CELLS:
                    raise _fail(name, f"la ligne {rows} porte plus de {min(in_row, MAX_ROW_CELLS):,} cellules (au plus "
                                      f"{MAX_ROW_CELLS:,} par ligne et {MAX_CELLS:,} en tout) : fichier à découper ou "
                                      "à exporter en CSV.".replace(",", "\u202f"))
            elif tag == "row":
                element.clear()


def cell_text(value) -> str:
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


def _open(content: bytes, name: str):
    """Check the archive, then open the workbook read-only (workbook part, styles and shared strings only)."""
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        check_archive(archive, name)
        check_shared_strings(archive, name)
        return archive, load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except DataError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, OSError, ValueError, TypeError, ParseError) as error:
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}) : "
                          "le réenregistrer depuis le tableur, ou l'exporter en CSV.") from error
    except Exception as error:  # noqa: BLE001 (openpyxl raises many kinds on a damaged file)
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}).") from error


def xlsx_lines(content: bytes, name: str, sheet: str | None, skip_rows: int = 0) -> tuple[str, list]:
    """Read one sheet (the named one, else the first) as its title and (row number, cells), within the limits."""
    archive, workbook = _open(content, name)
    try:
        if sheet and sheet not in workbook.sheetnames:
            raise _fail(name, f"feuille « {sheet} » absente (feuilles : {', '.join(workbook.sheetnames)}).")
        worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
        scan_sheet(archive, worksheet._worksheet_path, name, skip_rows)  # the part openpyxl is about to read
        lines = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
            if number > MAX_ROWS + skip_rows + 1:
                raise _fail(name, f"plus de {MAX_ROWS:,} lignes : découper le fichier.".replace(",", "\u202f"))
            lines.append((number, [cell_text(v) for v in values]))
        return worksheet.title, lines
    except DataError:
        raise
    except Exception as error:  # noqa: BLE001 (a damaged sheet fails while streaming its rows)
        raise _fail(name, f"classeur XLSX illisible ({type(error).__name__}).") from error
    finally:
        workbook.close()
        archive.close()
