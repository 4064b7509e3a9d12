"""Downloads a French spreadsheet opens cleanly: CSV (one header row, then data) and XLSX with its context.

CSV: UTF-8 with BOM, « ; » between cells, decimal comma, numbers rounded (no « -18,099999999999994 »),
whole numbers without decimals (« 671 », not « 671,0 »), missing values as empty cells (never 0).
``pandas.read_csv(f, sep=";", decimal=",")`` reads every file back.
XLSX: a « Données » sheet (the same table, numbers as numbers) and a « Sources et sélection » sheet
(what the download holds, the selection, each source with its licence, the date of the export).
A text cell from the data that starts with =, +, -, @ (or a tab or carriage return) never runs as a formula:
in CSV it gets a leading apostrophe, in XLSX it is a text cell, as typed, with Excel's quote prefix; numbers
stay numbers.
"""

import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from qpv.present.text import neutralise_formula as neutralise
from qpv.present.text import restore_formula

PRODUCT = "Observatoire des quartiers"
PRECISION = 6  # decimals kept in downloads: enough for any published figure, none of the float noise
MISSING_NOTE = "Une valeur absente est une cellule vide, jamais 0 : la colonne « Statut » dit pourquoi."


@dataclass(frozen=True)
class Download:
    """What one download holds, for its « Sources et sélection » sheet."""

    title: str  # what the table is: « Taux d'emploi des 15-64 ans : les quartiers face à l'agglomération »
    selection: list[tuple[str, str]]  # (« Territoire », « CA de Béthune-Bruay… »), (« Période », « 2024 »)…
    sources: list[dict] = field(default_factory=list)  # document, publisher, published, licence, cited
    today: date | None = None


def _number(value) -> float | int:
    """Round a number to the kept precision; a whole number becomes an int."""
    rounded = round(float(value), PRECISION) + 0.0
    return int(rounded) if rounded.is_integer() else rounded


def cell(value):
    """Turn one cell into what a download writes: None, a rounded number, or neutralised text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return None if math.isinf(value) else _number(value)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return cell(value.item())
    return neutralise(str(value))


def clean(frame: pd.DataFrame) -> list[list]:
    """Return the cells of a table, row by row, as downloads write them."""
    return [[cell(value) for value in row] for row in frame.itertuples(index=False, name=None)]


def _csv_text(value) -> str:
    """Write one cleaned cell in French CSV: decimal comma, empty when missing, quoted when needed."""
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if any(c in value for c in ';"\n\r'):
        return '"' + value.replace('"', '""') + '"'
    return value


def table_csv(frame: pd.DataFrame) -> bytes:
    """Write a table as a French CSV: one header row, then one line per row; UTF-8 with BOM."""
    lines = [";".join(_csv_text(neutralise(str(c))) for c in frame.columns)]
    lines += [";".join(_csv_text(value) for value in row) for row in clean(frame)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8-sig")


def _decimals(values: list) -> int:
    """Pick the decimals a column of numbers shows in the workbook: as many as its most precise figure."""
    places = [len(repr(v).split(".")[1]) for v in values if isinstance(v, float)]
    return min(max(places, default=0), 3)


def as_text(target) -> None:
    """Store a text cell as typed, never as a formula: a string cell, with Excel's own quote prefix (not shown)
    where the CSV needs an apostrophe."""
    typed = restore_formula(target.value)
    if typed != target.value:
        target.value, target.quotePrefix = typed, True
    target.data_type = "s"


def _data_sheet(sheet, frame: pd.DataFrame) -> None:
    """Fill the « Données » sheet: bold header, frozen, numbers as numbers, formats per column."""
    from openpyxl.styles import Font

    sheet.append([neutralise(str(c)) for c in frame.columns])
    rows = clean(frame)
    for row in rows:
        sheet.append(row)
    for index, column in enumerate(frame.columns, start=1):
        values = [row[index - 1] for row in rows]
        places = _decimals(values)
        width = max([len(str(column))] + [len(str(v)) for v in values if v is not None])
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = min(max(width + 2, 8), 60)
        for row_number, value in enumerate(values, start=2):
            target = sheet.cell(row=row_number, column=index)
            if isinstance(value, int | float):
                target.number_format = "# ##0" if places == 0 else "# ##0." + "0" * places
            elif isinstance(value, str):
                as_text(target)
    for header in sheet[1]:
        header.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _context_rows(download: Download) -> list[list]:
    """List what the « Sources et sélection » sheet says, one line per fact."""
    today = download.today or date.today()
    rows = [["Contenu", download.title], ["Produit", PRODUCT], ["Date de l'export", today.strftime("%d/%m/%Y")]]
    rows += [[label, value] for label, value in download.selection]
    rows += [["Valeurs absentes", MISSING_NOTE], [], ["Sources", ""],
             ["Document", "Éditeur", "Date", "Licence", "Lignes citées"]]
    for source in download.sources:
        rows.append([source.get("document", ""), source.get("publisher", ""), source.get("published", ""),
                     source.get("licence", ""), source.get("cited", "")])
    if not download.sources:
        rows.append(["aucune source : aucun chiffre dans ce téléchargement"])
    return rows


def table_xlsx(frame: pd.DataFrame, download: Download) -> bytes:
    """Write a workbook: the table in « Données », what it holds and where it comes from in « Sources et sélection »."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    data = workbook.active
    data.title = "Données"
    _data_sheet(data, frame)
    context = workbook.create_sheet("Sources et sélection")
    for row in _context_rows(download):
        context.append([neutralise(str(v)) if v is not None else None for v in row])
    for row in context.iter_rows():
        for target in row:
            if isinstance(target.value, str):
                as_text(target)
            target.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (28, 70, 14, 30, 40), strict=True):
        context.column_dimensions[letter].width = width
    for target in context["A"]:
        target.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(title: str, extension: str, limit: int = 60) -> str:
    """Make a readable ASCII file name from a French title: « Écart à l'agglomération » → ecart-a-l-agglomeration."""
    plain = unicodedata.normalize("NFKD", title.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae"))
    ascii_text = plain.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit + 1].rsplit("-", 1)[0]  # cut between words, never inside one
    return f"{slug or 'export'}.{extension}"


def cited_sources(labels: list[str], catalog: pd.DataFrame | None) -> list[dict]:
    """Group cited labels (« Short title, ligne 62 ») by document, with publisher, date and licence from the catalogue.

    catalog: rows of source_catalog (short_title, title, publisher, published, licence), or None.
    """
    by_title: dict[str, list[str]] = {}
    known = list(catalog["short_title"]) if catalog is not None and not catalog.empty else []
    for label in dict.fromkeys(label for label in labels if label):
        title = next((t for t in sorted(known, key=len, reverse=True) if label.startswith(f"{t}, ") or label == t),
                     label.split(", ligne")[0])
        place = label[len(title) + 2:] if label.startswith(f"{title}, ") else ""
        by_title.setdefault(title, [])
        if place:
            by_title[title].append(place)
    rows = []
    for title, places in by_title.items():
        match = catalog[catalog["short_title"] == title] if known else None
        detail = match.iloc[0] if match is not None and not match.empty else {}
        published = detail.get("published") if len(detail) else None
        rows.append({
            "document": detail.get("title", title) if len(detail) else title,
            "publisher": detail.get("publisher", "") if len(detail) else "",
            "published": pd.Timestamp(published).strftime("%d/%m/%Y") if published is not None and pd.notna(
                published) else "",
            "licence": detail.get("licence", "") if len(detail) else "",
            "cited": ", ".join(dict.fromkeys(places)),
        })
    return rows
