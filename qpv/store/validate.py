"""Validate observation rows against the catalogue, set-wise in DuckDB: codes, units, ranges, duplicates, sources.

One validator for every path: the files of data/ (check, build), the saved imports, and an upload's
preview. Rows arrive as an Arrow table of text columns with their file, line, layer and ordinal; SQL
flags the rows that break a rule (a handful of joins and window functions over the whole table), and
French messages are written only for those rows, in the order of the files.
"""

import difflib
import math
import operator
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import duckdb
import numpy as np
import pyarrow as pa

from qpv.store import arrow
from qpv.store.errors import Problem
from qpv.store.numbers import THOUSANDS_DOT, foreign_digits

OBSERVATION_COLUMNS = [
    "territory_code", "indicator_id", "period", "breakdown", "category",
    "value", "unit", "status", "source_id", "source_ref",
]
ROW_COLUMNS = [*OBSERVATION_COLUMNS, "note"]
PERIOD_PATTERN = re.compile(r"[0-9]{4}(-[0-9]{4})?")
ROW_KEY = ("territory_code", "indicator_id", "period", "breakdown", "category")
RECORD_KEY = ROW_KEY
RECORD_COLUMNS = ["territory_code", "indicator_id", "period", "breakdown", "category", "value", "status",
                  "source_id", "source_ref", "note"]
FIRST_YEAR = 1950
COUNT_UNIT = "nombre"  # figures of this unit are counts: whole numbers
MAX_PROBLEMS = 10_000
MEMORY_LIMIT = "256MB"  # DuckDB's share of a check or build at national scale (500 Mo in all is the target)
MAX_SUGGESTED = 200  # distinct unknown codes that get « codes proches »
SQL_FILE = os.path.join(os.path.dirname(__file__), "validate.sql")
# How a value of a project file becomes a number, for the validator and the build alike (= parse_plain).
FIGURE_MACROS = (
    "create or replace temp macro cleaned(text) as "
    "replace(regexp_replace(text, '[ \\x{00A0}\\x{202F}]', '', 'g'), ',', '.')",
    "create or replace temp macro figure(text) as "
    "case when regexp_full_match(cleaned(text), '[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?') "
    "and isfinite(try_cast(cleaned(text) as double)) then try_cast(cleaned(text) as double) end",
)


@dataclass(frozen=True)
class Catalog:
    """What observations may refer to."""

    territories: dict[str, dict]
    indicators: dict[str, dict]
    categories: set[tuple[str, str]]
    sources: set[str]
    statuses: set[str]


def fr(number: float) -> str:
    """Write a number the French way for messages (decimal comma, no trailing zeros)."""
    return f"{number:.6g}".replace(".", ",")


def last_year() -> int:
    """Return the latest plausible year of a period: next year (a figure is never from further ahead)."""
    return date.today().year + 1


def period_problem(text: str) -> str | None:
    """Say what is wrong with a period (2024 or 2023-2024, years 1950 to next year, in order), None when fine."""
    expected = "attendu : 2024 ou 2023-2024"
    if foreign_digits(text):
        return f"période « {text} » écrite avec des chiffres autres que 0-9 ({expected}, en chiffres 0 à 9)."
    if not PERIOD_PATTERN.fullmatch(text):
        return f"période « {text} » invalide ({expected})."
    years = [int(part) for part in text.split("-")]
    if any(not FIRST_YEAR <= year <= last_year() for year in years):
        return f"période « {text} » invraisemblable : années de {FIRST_YEAR} à {last_year()} ({expected})."
    if len(years) == 2 and years[0] >= years[1]:
        return f"période « {text} » à l'envers ou vide : la première année précède la seconde ({expected})."
    return None


def _suggest(code: str, known: dict[str, dict]) -> str:
    """Suggest the closest known codes to an unknown one."""
    close = difflib.get_close_matches(code, list(known), n=12, cutoff=0.6)
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([code, c])))[:3]
    return f" Codes proches : {', '.join(close)}." if close else ""


@lru_cache(maxsize=1)
def _sql() -> list[str]:
    """Read the flagging statements, one by one."""
    with open(SQL_FILE, encoding="utf-8") as handle:
        text = "\n".join(line for line in handle.read().splitlines() if not line.lstrip().startswith("--"))
    return [statement.strip() for statement in text.split(";") if statement.strip()]


def _catalog_tables(catalog: Catalog) -> dict[str, pa.Table]:
    """Turn the catalogue into small Arrow tables for the flagging query."""
    indicators = list(catalog.indicators.values())
    return {
        "known_territories": pa.table({"code": arrow.strings(list(catalog.territories))}),
        "known_indicators": pa.table({
            "id": arrow.strings([i["id"] for i in indicators]), "unit": arrow.strings([i["unit"] for i in indicators]),
            "min_value": arrow.floats([i.get("min_value") for i in indicators]),
            "max_value": arrow.floats([i.get("max_value") for i in indicators])}),
        "known_categories": pa.table({"breakdown": arrow.strings([b for b, _ in catalog.categories]),
                                      "category": arrow.strings([c for _, c in catalog.categories])}),
        "known_sources": pa.table({"id": arrow.strings(sorted(catalog.sources))}),
        "known_statuses": pa.table({"code": arrow.strings(sorted(catalog.statuses))}),
    }


def connect(memory: str = MEMORY_LIMIT) -> duckdb.DuckDBPyConnection:
    """Open a private in-memory database: quiet (no progress bar), its memory bounded (spilled to $TMPDIR beyond)."""
    con = duckdb.connect(config={"memory_limit": memory, "temp_directory": tempfile.gettempdir()})
    con.execute("set enable_progress_bar = false")
    return con


def validate_table(rows: pa.Table, catalog: Catalog, files: list[str],
                   records: bool = True) -> tuple[pa.Table | None, list[tuple[int, str | None, str]]]:
    """Check rows (text columns, line, file_index into files, layer, ordinal); return the valid records (unless
    records is False: a large check needs only the problems) and (ordinal, column, message) problems.

    Records keep their layer and ordinal (in no particular order: sort them by ordinal when it matters); the
    build lets a later layer supersede an earlier one.
    """
    with connect() as con:
        for name, table in _catalog_tables(catalog).items():
            con.register(name, table)
        con.register("input_rows", rows)
        for macro in FIGURE_MACROS:
            con.execute(macro)
        params = {"first_year": FIRST_YEAR, "last_year": last_year(), "count_unit": COUNT_UNIT}
        for statement in _sql():
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement} or None)
        flagged = con.execute(f"select * from flagged order by ordinal limit {MAX_PROBLEMS}").fetchall()
        columns = [d[0] for d in con.description]
        problems = _messages([dict(zip(columns, row, strict=True)) for row in flagged], catalog, files)
        total = con.execute("select count(*) from flagged").fetchone()[0] if len(flagged) == MAX_PROBLEMS else 0
        if total > MAX_PROBLEMS:
            problems.append((flagged[-1][columns.index("ordinal")], None, (
                f"… et d'autres erreurs : {total:,} lignes en erreur, les {MAX_PROBLEMS:,} premières sont "
                "détaillées ci-dessus.").replace(",", "\u202f")))
        valid = con.sql("select * from valid").to_arrow_table() if records else None
    return valid, problems


def _messages(flagged: list[dict], catalog: Catalog, files: list[str]) -> list[tuple[int, str | None, str]]:
    """Write the French message of every rule each flagged row breaks, in the order of the old row checks."""
    problems: list[tuple[int, str | None, str]] = []
    suggested: dict[tuple[str, str], str] = {}

    def suggest(kind: str, code: str, known: dict) -> str:
        if (kind, code) not in suggested:
            suggested[(kind, code)] = _suggest(code, known) if len(suggested) < MAX_SUGGESTED else ""
        return suggested[(kind, code)]

    for row in flagged:
        def add(column: str | None, message: str, ordinal: int = row["ordinal"]) -> None:
            problems.append((ordinal, column, message))

        if row["bad_territory"]:
            code = row["territory_code"]
            add("territory_code", f"territoire « {code} » inconnu.{suggest('t', code, catalog.territories)}")
        if row["bad_indicator"]:
            code = row["indicator_id"]
            add("indicator_id", f"indicateur « {code} » inconnu.{suggest('i', code, catalog.indicators)}")
        if row["bad_category"]:
            add("category", f"ventilation « {row['breakdown']} / {row['category']} » inconnue.")
        if row["bad_period"]:
            add("period", period_problem(row["period"]) or f"période « {row['period']} » invalide.")
        if row["no_source"]:
            add("source_id", "source manquante : chaque chiffre doit citer sa source.")
        elif row["bad_source"]:
            add("source_id", f"source « {row['source_id']} » absente de data/sources.csv.")
        if row["no_reference"]:
            add("source_ref", "référence dans la source manquante (ligne, page ou tableau).")
        _value_messages(row, catalog, add)
        if row["duplicate"]:
            _duplicate_message(row, files, add)
    return problems


def _value_messages(row: dict, catalog: Catalog, add) -> None:
    """Write the status, unit and value messages of one flagged row whose indicator is known."""
    indicator = catalog.indicators.get(row["indicator_id"])
    if indicator is None:
        return
    status, text = row["status"], row["value"]
    if row["bad_status"]:
        add("status", f"statut « {status} » inconnu (attendu : {', '.join(sorted(catalog.statuses))}).")
    if row["bad_unit"]:
        add("unit", f"unité « {row['unit']} » différente de celle de l'indicateur {indicator['id']} "
                    f"({indicator['unit']}).")
    if row["value_given"]:
        add("value", f"une valeur est donnée alors que le statut est « {status} » : laisser vide.")
    if row["not_number"]:
        hint = " Chiffres attendus : 0 à 9." if foreign_digits(text) else ""
        add("value", f"« {text} » n'est pas un nombre (valeur manquante : vide, avec un statut).{hint}")
    number, low, high = row["number"], indicator["min_value"], indicator["max_value"]
    if row["out_of_range"]:
        hint = ""
        if indicator["unit"] == "%" and 0 < number <= 1 and low <= number * 100 <= high:
            hint = f" Valeur exprimée en proportion ? En pourcentage, écrire {fr(number * 100)} et non {fr(number)}."
        add("value", f"{fr(number)} hors de la plage plausible de {indicator['id']} ({fr(low)} à {fr(high)}).{hint}")
    if row["not_integer"]:
        hint = ""
        if THOUSANDS_DOT.fullmatch(text):
            hint = f" Séparateur de milliers ? Écrire {text.replace('.', '')} sans point."
        add("value", f"« {text} » : un effectif ({indicator['id']}) est un nombre entier.{hint}")


def _duplicate_message(row: dict, files: list[str], add) -> None:
    """Write the duplicate or contradiction message of a row repeating an earlier key of its layer."""
    where = f"{files[row['first_file']]}, ligne {row['first_line']}"
    first, value = row["first_value"], row["dup_value"]
    if first == value or (first is None and value is None):
        add(None, f"doublon de {where}.")
        return
    shown = "vide" if first is None else fr(first)
    add("value", f"valeur contradictoire avec {where} ({shown} contre {'vide' if value is None else fr(value)}).")


def rows_table(rows: list) -> tuple[pa.Table, list[str]]:
    """Turn Row objects into the validator's input table (text columns, line, file_index, layer, ordinal)."""
    files = list(dict.fromkeys(row.file for row in rows))
    index = {name: number for number, name in enumerate(files)}
    cells = [row.values for row in rows]
    columns = {column: [(values.get(column) or "").strip() for values in cells] for column in ROW_COLUMNS}
    return pa.table({
        **{column: arrow.strings(values) for column, values in columns.items()},
        "line": arrow.integers(row.line for row in rows),
        "file_index": arrow.integers(index[row.file] for row in rows),
        "layer": arrow.integers(np.zeros(len(rows), dtype=np.int32)),
        "ordinal": arrow.integers(np.arange(len(rows)), pa.int64()),
    }), files


def validate_observations(rows: list, catalog: Catalog) -> tuple[list[dict], list[Problem]]:
    """Return the observation records of Row objects and every problem found, located by each row."""
    table, files = rows_table(rows)
    records, problems = validate_table(table, catalog, files)
    records = records.sort_by("ordinal")
    located = [rows[ordinal].problem(column, message) for ordinal, column, message in problems]
    return [_plain(record) for record in records.select(RECORD_COLUMNS).to_pylist()], located


def _plain(record: dict) -> dict:
    """Normalise a record read back from Arrow (a NaN never stands for a missing value)."""
    value = record["value"]
    if value is not None and not math.isfinite(value):
        record["value"] = None
    return record


# The identity of an observation record: (territory, indicator, period, breakdown, category).
record_key = operator.itemgetter(*RECORD_KEY)
