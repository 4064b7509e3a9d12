"""Turn a tidy file (the export's columns) or a wide file (one row per territory) into observation rows."""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal

from qpv.importer.files import Table
from qpv.importer.mapping import ColumnMapping, Mapping, territory_column
from qpv.present.text import restore_formula
from qpv.store.csvfiles import Row
from qpv.store.errors import Problem
from qpv.store.numbers import MARKERS_HELP, canonical, foreign_digits, marker_status, parse_decimal, split_unit
from qpv.store.validate import Catalog, period_problem

TIDY_REQUIRED = ["territory_code", "indicator_id", "period", "value"]
ONE = Decimal(1)
WHOLE = re.compile(r"[+-]?[0-9]+")
DIGITS = re.compile(r"[0-9]+")
# Columns that never hold a bare number: digits there, right after an integer value, are a split decimal.
TEXT_AFTER_VALUE = {"unit", "status", "note", "breakdown", "category", "source_id"}


@dataclass(frozen=True)
class SourceRow(Row):
    """An observation row that reports problems in the uploaded file's own column names."""

    aliases: dict = field(default_factory=dict, compare=False, hash=False)

    def problem(self, column: str | None, message: str) -> Problem:
        """Make a problem located at this row, in the file's column for that field."""
        return Problem(self.file, self.line, self.aliases.get(column, column) if column else None, message)


@dataclass
class Context:
    """What shaping needs: the catalogue, the import's source id, whether to skip territories outside the store."""

    catalog: Catalog
    source_id: str
    skip_unknown: bool = False


@dataclass
class Shaped:
    """Rows ready for validation, problems found while reading cells, rows left out, rows citing the import."""

    rows: list[SourceRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: int = 0
    cite_import: int = 0


def _listing(header: list[str], limit: int = 15) -> str:
    """List column names for a message, shortened when there are many."""
    shown = ", ".join(c for c in header[:limit] if c)
    return shown + (f", … ({len(header)} colonnes)" if len(header) > limit else "")


def read_value(text: str, status: str, factor: Decimal = ONE, unit: str = "") -> tuple[str, str, str | None]:
    """Read one cell as (value, status, problem): a number is published, an INSEE marker gives a status.

    A unit symbol after the figure (« 12 % », « 5 € ») is accepted only when it is the indicator's unit.
    """
    marker, shown = marker_status(text), text.strip()
    if marker is not None:
        if status == "publie":
            return "", "non_disponible", f"« {shown} » marque une valeur manquante alors que le statut est « publie »."
        return "", status or marker, None
    body, symbol = split_unit(text)
    if symbol is not None and symbol != unit:
        expected = f"l'unité de l'indicateur est « {unit} »" if unit else "l'unité de l'indicateur n'est pas connue"
        return "", "non_disponible", f"« {shown} » : le symbole « {symbol} » ne correspond pas à l'unité ({expected})."
    number = parse_decimal(body)
    if number is None:
        hint = " Chiffres attendus : 0 à 9." if foreign_digits(shown) else ""
        problem = f"« {shown} » n'est ni un nombre ni une marque de valeur manquante ({MARKERS_HELP}).{hint}"
        return "", "non_disponible", problem
    if status and status != "publie":
        return text.strip(), status, None  # the validator says the value must be left empty
    return canonical(number * factor), "publie", None


def tidy_rows(table: Table, context: Context) -> Shaped:
    """Read a file with the export's columns; unit, status and source may be left out."""
    shaped = Shaped()
    missing = [c for c in TIDY_REQUIRED if c not in table.header]
    if missing:
        shaped.problems.append(Problem(table.name, table.header_line, missing[0], (
            f"colonnes manquantes : {', '.join(missing)} (colonnes lues : {_listing(table.header)}). "
            "Un fichier large (une ligne par territoire, une colonne par indicateur) se lit avec une correspondance.")))
        return shaped
    split_at = _split_position(table)
    values = _Values()
    for line, cells in table.rows:
        split = _split_decimal(table, line, cells, split_at) if split_at is not None else None
        cells = dict(zip(table.header, map(str.strip, cells), strict=True))
        if context.skip_unknown and cells["territory_code"] not in context.catalog.territories:
            shaped.ignored += 1
            continue
        if split:
            shaped.problems.append(Problem(table.name, line, "value", split))
        shaped.rows.append(_tidy_row(table, line, cells, context, shaped, values))
    return shaped


class _Values(dict):
    """Read each distinct (cell, status, unit) once: a national file repeats the same few thousand figures."""

    def __missing__(self, key: tuple[str, str, str]) -> tuple[str, str, str | None]:
        text, status, unit = key
        self[key] = read = read_value(text, status, unit=unit)
        return read


def _split_position(table: Table) -> int | None:
    """Return the value column when a comma may have cut a decimal in two (a text column follows it), else None."""
    if table.delimiter != "," or "value" not in table.header:
        return None
    position = table.header.index("value")
    if position + 1 >= len(table.header) or table.header[position + 1] not in TEXT_AFTER_VALUE:
        return None
    return position


def _split_decimal(table: Table, line: int, cells: list[str], position: int) -> str | None:
    """Catch « 42,5 » cut in two by a comma separator: an integer value, then digits alone in a text column."""
    value, following = cells[position].strip(), cells[position + 1].strip()
    if not WHOLE.fullmatch(value) or not DIGITS.fullmatch(following):
        return None
    quoted = table.quoted.get(line, frozenset())
    if position not in quoted and position + 1 not in quoted:
        return (f"« {value} » puis « {following} » dans la colonne « {table.header[position + 1]} » : la virgule de "
                f"« {value},{following} » a coupé la valeur en deux (fichier séparé par des virgules). Écrire "
                f"\"{value},{following}\" entre guillemets ou {value}.{following}, ou séparer les colonnes par des "
                "points-virgules.")
    return None


def _tidy_row(table: Table, line: int, cells: dict[str, str], context: Context, shaped: Shaped,
              values: _Values) -> SourceRow:
    """Make one observation row from a tidy line; a line without source cites the import's source."""
    indicator = context.catalog.indicators.get(cells["indicator_id"])
    unit = cells.get("unit") or (indicator["unit"] if indicator else "")
    value, status, problem = values[cells["value"], cells.get("status", ""), unit]
    if problem:
        shaped.problems.append(Problem(table.name, line, "value", problem))
    source_id, source_ref = cells.get("source_id", ""), restore_formula(cells.get("source_ref", ""))
    if not source_id:
        source_id, source_ref = context.source_id, source_ref or f"{table.where()}, ligne {line}"
        shaped.cite_import += 1
    return SourceRow(table.name, line, {
        "territory_code": cells["territory_code"], "indicator_id": cells["indicator_id"], "period": cells["period"],
        "breakdown": cells.get("breakdown", ""), "category": cells.get("category", ""), "value": value,
        "unit": unit, "status": status,
        "source_id": source_id, "source_ref": source_ref, "note": restore_formula(cells.get("note", "")),
    })


def check_column(column: str, spec: ColumnMapping, catalog: Catalog) -> list[str]:
    """Check one mapped column against the catalogue; return messages."""
    messages = []
    indicator = catalog.indicators.get(spec.indicator)
    if indicator is None:
        close = difflib.get_close_matches(spec.indicator, list(catalog.indicators), n=3, cutoff=0.6)
        hint = f" Codes proches : {', '.join(close)}." if close else ""
        messages.append(f"indicateur « {spec.indicator} » inconnu.{hint}")
    elif spec.unit != indicator["unit"]:
        expected = f"{spec.indicator} ({indicator['unit']})"
        messages.append(f"unité « {spec.unit} » différente de celle de l'indicateur {expected}.")
    period = period_problem(spec.period)
    if period:
        messages.append(period)
    if (spec.breakdown or spec.category) and (spec.breakdown, spec.category) not in catalog.categories:
        messages.append(f"ventilation « {spec.breakdown} / {spec.category} » inconnue.")
    if spec.factor() is None:
        messages.append(f"échelle « {spec.scale} » invalide (nombre positif, par exemple 100).")
    return messages


def wide_rows(table: Table, mapping: Mapping, context: Context) -> Shaped:
    """Read one row per territory, one column per indicator, as the mapping describes."""
    shaped = Shaped()

    def fail(column: str | None, message: str) -> None:
        message = f"correspondance « {mapping.name} » : {message}"
        shaped.problems.append(Problem(table.name, table.header_line, column, message))

    code_column = territory_column(mapping, table.header)
    if code_column is None:
        wanted = mapping.territory_column or " ou ".join(("CODGEO", "code_qp"))
        fail(mapping.territory_column, f"colonne des codes territoire « {wanted} » absente "
                                       f"(colonnes lues : {_listing(table.header)}).")
    columns = {}
    for column, spec in mapping.columns.items():
        messages = check_column(column, spec, context.catalog)
        if column not in table.header:
            messages.insert(0, f"colonne absente du fichier (colonnes lues : {_listing(table.header)}).")
        for message in messages:
            fail(column, message)
        if not messages:
            columns[column] = spec
    if shaped.problems:
        return shaped
    for line, cells in table.rows:
        _wide_line(table, line, dict(zip(table.header, cells, strict=True)), code_column, columns, context, shaped)
    return shaped


def _wide_line(table: Table, line: int, cells: dict, code_column: str, columns: dict, context: Context,
               shaped: Shaped) -> None:
    """Add one observation row per mapped column of one territory's line."""
    code = cells[code_column].strip()
    if context.skip_unknown and code not in context.catalog.territories:
        shaped.ignored += 1
        return
    for column, spec in columns.items():
        value, status, problem = read_value(cells[column], "", spec.factor(), spec.unit)
        if problem:
            shaped.problems.append(Problem(table.name, line, column, problem))
        values = {
            "territory_code": code, "indicator_id": spec.indicator, "period": spec.period,
            "breakdown": spec.breakdown, "category": spec.category, "value": value, "unit": spec.unit,
            "status": status, "source_id": context.source_id,
            "source_ref": f"{table.where()}, ligne {line}, colonne {column}", "note": spec.note,
        }
        aliases = {name: column for name in values} | {"territory_code": code_column}
        shaped.rows.append(SourceRow(table.name, line, values, aliases))
        shaped.cite_import += 1
