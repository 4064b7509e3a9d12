"""Column mappings of wide files, saved by name as data/mappings/<name>.json and reused."""

import json
import re
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path

from qpv.store.errors import DataError, Problem
from qpv.store.numbers import parse_decimal
from qpv.store.writer import write_file, write_lock

MAPPINGS_FOLDER = "mappings"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
MAX_MAPPING_BYTES = 1024 * 1024
TERRITORY_COLUMNS = ("CODGEO", "codgeo", "code_qp", "CODE_QP", "code_quartier", "territory_code", "siren")


@dataclass
class ColumnMapping:
    """What one column of a wide file holds: an indicator, in a unit, for a period and a category."""

    indicator: str
    unit: str
    period: str
    breakdown: str = ""
    category: str = ""
    scale: str = "1"
    note: str = ""

    def factor(self) -> Decimal | None:
        """Return the scale as an exact number (100 turns 0,407 into 40,7), None when invalid."""
        number = parse_decimal(str(self.scale))
        return number if number is not None and number > 0 else None


@dataclass
class Mapping:
    """How to read a wide file: its territory column, its indicator columns, and reading defaults."""

    name: str
    columns: dict[str, ColumnMapping]
    territory_column: str | None = None
    sheet: str | None = None
    skip_rows: int = 0
    skip_unknown: bool = False
    description: str = ""

    def to_json(self) -> str:
        """Serialise without the name (it is the file name)."""
        data = {k: v for k, v in asdict(self).items() if k != "name"}
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def mappings_dir(data_dir: Path) -> Path:
    """Return data/mappings/."""
    return data_dir / MAPPINGS_FOLDER


def mapping_names(data_dir: Path) -> list[str]:
    """List the saved mappings by name."""
    folder = mappings_dir(data_dir)
    return sorted(p.stem for p in folder.glob("*.json") if NAME_PATTERN.match(p.stem)) if folder.is_dir() else []


def _where(name: str) -> str:
    """Name a mapping file for messages."""
    return f"data/{MAPPINGS_FOLDER}/{name}.json"


def check_name(name: str) -> None:
    """Reject a mapping name that is not a safe file name."""
    if not NAME_PATTERN.match(name or ""):
        raise DataError([Problem(_where(name), None, None, (
            f"nom de correspondance « {name} » invalide : minuscules, chiffres, - et _ (64 caractères au plus)."))])


def load_mapping(data_dir: Path, name: str) -> Mapping:
    """Read a saved mapping; raise DataError naming what is wrong in it."""
    check_name(name)
    path = mappings_dir(data_dir) / f"{name}.json"
    if not path.is_file():
        known = ", ".join(mapping_names(data_dir)) or "aucune"
        raise DataError([Problem(_where(name), None, None, f"correspondance inconnue (enregistrées : {known}).")])
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise DataError([Problem(_where(name), None, None, "correspondance de plus de 1 Mo : fichier erroné.")])
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except RecursionError as error:
        raise DataError([Problem(_where(name), None, None, (
            "JSON illisible : imbrication trop profonde (une correspondance n'a que deux niveaux)."))]) from error
    except (OSError, ValueError) as error:
        raise DataError([Problem(_where(name), None, None, f"JSON illisible ({type(error).__name__}).")]) from error
    return mapping_from_dict(name, data)


def mapping_from_dict(name: str, data) -> Mapping:
    """Build a mapping from its JSON form; raise DataError on a missing or mistyped field."""
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict) or not data["columns"]:
        raise DataError([Problem(_where(name), None, "columns", "« columns » doit associer au moins une colonne.")])
    columns = {}
    for column, spec in data["columns"].items():
        if not isinstance(spec, dict) or not all(isinstance(spec.get(k), str) for k in ("indicator", "unit", "period")):
            problems.append(Problem(_where(name), None, column, "indicator, unit et period attendus (texte)."))
            continue
        known = {k: str(spec[k]) for k in ColumnMapping.__dataclass_fields__ if spec.get(k) is not None}
        columns[str(column)] = ColumnMapping(**known)
    for field in ("territory_column", "sheet", "description"):
        if data.get(field) is not None and not isinstance(data.get(field), str):
            problems.append(Problem(_where(name), None, field, "texte attendu."))
    skip_rows = data.get("skip_rows") or 0
    if not isinstance(skip_rows, int) or isinstance(skip_rows, bool) or skip_rows < 0:
        problems.append(Problem(_where(name), None, "skip_rows", "nombre entier positif ou nul attendu."))
        skip_rows = 0
    if problems:
        raise DataError(problems)
    return Mapping(
        name=name, columns=columns, territory_column=data.get("territory_column") or None,
        sheet=data.get("sheet") or None, skip_rows=skip_rows, skip_unknown=bool(data.get("skip_unknown")),
        description=str(data.get("description") or ""),
    )


def save_mapping(data_dir: Path, mapping: Mapping) -> Path:
    """Write a mapping atomically under data/mappings/ and return its path."""
    check_name(mapping.name)
    folder = mappings_dir(data_dir)
    with write_lock(data_dir):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{mapping.name}.json"
        write_file(path, mapping.to_json().encode("utf-8"))
    return path


def mapping_from_rows(name: str, rows: list[dict], units: dict[str, str], **options) -> Mapping:
    """Build a mapping from the page's editor rows; a blank unit defaults to the indicator's."""
    columns = {}
    for row in rows:
        indicator = str(row.get("indicator") or "").strip()
        if not indicator:
            continue
        columns[str(row["column"])] = ColumnMapping(
            indicator=indicator, unit=str(row.get("unit") or units.get(indicator, "")).strip(),
            period=str(row.get("period") or "").strip(), breakdown=str(row.get("breakdown") or "").strip(),
            category=str(row.get("category") or "").strip(), scale=str(row.get("scale") or "1").strip(),
        )
    if not columns:
        raise DataError([Problem(_where(name), None, None, "choisir un indicateur pour au moins une colonne.")])
    return Mapping(name=name, columns=columns, **options)


def territory_column(mapping: Mapping, header: list[str]) -> str | None:
    """Return the column holding territory codes: the mapping's, else the first usual name present."""
    if mapping.territory_column:
        return mapping.territory_column if mapping.territory_column in header else None
    return next((c for c in TERRITORY_COLUMNS if c in header), None)
