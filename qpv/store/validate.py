"""Validate observation rows against the catalogue: codes, units, ranges, duplicates, sources."""

import difflib
import math
import os
import re
from dataclasses import dataclass

from qpv.store.csvfiles import Row, parse_number
from qpv.store.errors import Problem

OBSERVATION_COLUMNS = [
    "territory_code", "indicator_id", "period", "breakdown", "category",
    "value", "unit", "status", "source_id", "source_ref",
]
PERIOD_PATTERN = re.compile(r"^\d{4}(-\d{4})?$")
ROW_KEY = ("territory_code", "indicator_id", "period", "breakdown", "category")
RECORD_KEY = ("territory_code", "indicator_id", "period", "breakdown", "category")


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


def _suggest(code: str, known: dict[str, dict]) -> str:
    """Suggest the closest known codes to an unknown one."""
    close = difflib.get_close_matches(code, list(known), n=12, cutoff=0.6)
    close = sorted(close, key=lambda c: -len(os.path.commonprefix([code, c])))[:3]
    return f" Codes proches : {', '.join(close)}." if close else ""


def _check_value(row: Row, indicator: dict, statuses: set[str]) -> tuple[float | None, list[Problem]]:
    """Parse the value and check status, unit and plausible range."""
    text, status, unit = row.get("value"), row.get("status"), row.get("unit")
    problems: list[Problem] = []

    def add(column: str, message: str) -> None:
        problems.append(row.problem(column, message))

    if status not in statuses:
        add("status", f"statut « {status} » inconnu (attendu : {', '.join(sorted(statuses))}).")
    if unit != indicator["unit"]:
        problems.append(row.problem(
            "unit", f"unité « {unit} » différente de celle de l'indicateur {indicator['id']} ({indicator['unit']})."
        ))
    if status != "publie":
        if text:
            add("value", f"une valeur est donnée alors que le statut est « {status} » : laisser vide.")
        return None, problems
    value = parse_number(text)
    if value is None or not math.isfinite(value):
        add("value", f"« {text} » n'est pas un nombre (valeur manquante : vide, avec un statut).")
        return None, problems
    low, high = indicator["min_value"], indicator["max_value"]
    if low is not None and high is not None and not low <= value <= high:
        hint = ""
        if indicator["unit"] == "%" and 0 < value <= 1 and low <= value * 100 <= high:
            hint = f" Valeur exprimée en proportion ? En pourcentage, écrire {fr(value * 100)} et non {fr(value)}."
        problems.append(row.problem(
            "value", f"{fr(value)} hors de la plage plausible de {indicator['id']} ({fr(low)} à {fr(high)}).{hint}"
        ))
    return value, problems


def _check_references(row: Row, catalog: Catalog) -> list[Problem]:
    """Check territory, indicator, breakdown, period and source references."""
    problems: list[Problem] = []

    def add(column: str, message: str) -> None:
        problems.append(row.problem(column, message))

    code = row.get("territory_code")
    if code not in catalog.territories:
        add("territory_code", f"territoire « {code} » inconnu.{_suggest(code, catalog.territories)}")
    indicator = row.get("indicator_id")
    if indicator not in catalog.indicators:
        add("indicator_id", f"indicateur « {indicator} » inconnu.{_suggest(indicator, catalog.indicators)}")
    breakdown, category = row.get("breakdown"), row.get("category")
    if (breakdown or category) and (breakdown, category) not in catalog.categories:
        add("category", f"ventilation « {breakdown} / {category} » inconnue.")
    if not PERIOD_PATTERN.match(row.get("period")):
        add("period", f"période « {row.get('period')} » invalide (attendu : 2024 ou 2023-2024).")
    if not row.get("source_id"):
        add("source_id", "source manquante : chaque chiffre doit citer sa source.")
    elif row.get("source_id") not in catalog.sources:
        add("source_id", f"source « {row.get('source_id')} » absente de data/sources.csv.")
    if not row.get("source_ref"):
        add("source_ref", "référence dans la source manquante (ligne, page ou tableau).")
    return problems


def validate_observations(rows: list[Row], catalog: Catalog) -> tuple[list[dict], list[Problem]]:
    """Return the observation records and every problem found (all of them, not the first)."""
    records, problems, seen = [], [], {}
    for row in rows:
        row_problems = _check_references(row, catalog)
        indicator = catalog.indicators.get(row.get("indicator_id"))
        value = None
        if indicator:
            value, more = _check_value(row, indicator, catalog.statuses)
            row_problems += more
        key = tuple(row.get(c) for c in ROW_KEY)
        if key in seen:
            first, first_value = seen[key]
            if first_value == value:
                row_problems.append(row.problem(None, f"doublon de {first.file}, ligne {first.line}."))
            else:
                shown = "vide" if first_value is None else fr(first_value)
                row_problems.append(row.problem("value", (
                    f"valeur contradictoire avec {first.file}, ligne {first.line} "
                    f"({shown} contre {'vide' if value is None else fr(value)}).")))
        else:
            seen[key] = (row, value)
        problems += row_problems
        if not row_problems:
            records.append(_record(row, value))
    return records, problems


def _record(row: Row, value: float | None) -> dict:
    """Turn a valid row into a record for the observations table."""
    return {
        "territory_code": row.get("territory_code"), "indicator_id": row.get("indicator_id"),
        "period": row.get("period"), "breakdown": row.get("breakdown"), "category": row.get("category"),
        "value": value, "status": row.get("status"), "source_id": row.get("source_id"),
        "source_ref": row.get("source_ref"), "note": row.get("note") or None,
    }


def record_key(record: dict) -> tuple:
    """Return the identity of an observation record: territory, indicator, period, breakdown, category."""
    return tuple(record[c] for c in RECORD_KEY)


def validate_layers(layers: list[list[Row]], catalog: Catalog) -> tuple[list[dict], list[Problem]]:
    """Validate each layer on its own, then let a later layer's row supersede an earlier one with the same key."""
    merged: dict[tuple, dict] = {}
    problems: list[Problem] = []
    for rows in layers:
        records, more = validate_observations(rows, catalog)
        problems += more
        for record in records:
            merged[record_key(record)] = record
    return list(merged.values()), problems
