"""Load and check every input file of the store: catalogue, territories, observations, statements, imports."""

from dataclasses import dataclass, field
from pathlib import Path

from qpv.csvfiles import Row, parse_number, read_csv
from qpv.errors import Problem
from qpv.importer.layers import import_files, read_layers
from qpv.territories import read_territories
from qpv.validate import OBSERVATION_COLUMNS, Catalog, validate_layers

UNITS = {"%", "indice", "€", "nombre"}
DIRECTIONS = {"higher", "lower", "none"}
SECTIONS = {"irritants", "opportunites", "enjeux", "objectifs"}


@dataclass
class Dataset:
    """Everything the build writes, already checked."""

    sources: list[dict]
    indicators: list[dict]
    categories: list[dict]
    territories: dict[str, dict]
    links: set[tuple[str, str]]
    observations: list[dict]
    statements: list[dict]
    imports: list[dict] = field(default_factory=list)

    def catalog(self) -> Catalog:
        """Return what observations may refer to."""
        return Catalog(
            territories=self.territories,
            indicators={i["id"]: i for i in self.indicators},
            categories={(c["dimension"], c["category"]) for c in self.categories},
            sources={s["id"] for s in self.sources},
        )


def observation_files(data_dir: Path) -> list[Path]:
    """List the observation files in a stable order."""
    return sorted((data_dir / "observations").glob("*.csv"))


def input_files(data_dir: Path) -> list[Path]:
    """List every file the store is built from."""
    fixed = ["sources.csv", "indicators.csv", "categories.csv", "statements.csv"]
    geo = sorted((data_dir / "geo").glob("*.geojson")) + [data_dir / "reference" / "epci.csv"]
    return [data_dir / name for name in fixed] + geo + observation_files(data_dir) + import_files(data_dir)


def _unique(rows: list[Row], key: str) -> list[Problem]:
    """Report rows whose key repeats an earlier row."""
    first: dict[str, Row] = {}
    problems = []
    for row in rows:
        value = row.get(key)
        if value in first:
            problems.append(row.problem(key, f"« {value} » déjà défini ligne {first[value].line}."))
        first.setdefault(value, row)
    return problems


def _read_sources(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    """Read data/sources.csv."""
    columns = ["id", "title", "short_title", "publisher", "published", "licence", "location", "period_note", "note"]
    rows, problems = read_csv(data_dir / "sources.csv", columns)
    problems += _unique(rows, "id")
    for row in rows:
        for column in ("title", "short_title", "publisher", "licence"):
            if not row.get(column):
                problems.append(row.problem(column, "champ obligatoire vide."))
    return [{c: row.get(c) or None for c in columns} for row in rows], problems


def _read_indicators(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    """Read data/indicators.csv."""
    columns = ["id", "label", "short_label", "unit", "definition", "direction", "theme",
               "min_value", "max_value", "sort_order"]
    rows, problems = read_csv(data_dir / "indicators.csv", columns)
    problems += _unique(rows, "id")
    records = []
    for row in rows:
        if row.get("unit") not in UNITS:
            problems.append(row.problem("unit", f"unité « {row.get('unit')} » inconnue ({', '.join(sorted(UNITS))})."))
        if row.get("direction") not in DIRECTIONS:
            problems.append(row.problem("direction", "sens attendu : higher, lower ou none."))
        for column in ("label", "short_label", "definition", "theme"):
            if not row.get(column):
                problems.append(row.problem(column, "champ obligatoire vide."))
        record = {c: row.get(c) for c in columns}
        for column in ("min_value", "max_value", "sort_order"):
            record[column] = parse_number(row.get(column)) if row.get(column) else None
        records.append(record)
    return records, problems


def _read_categories(data_dir: Path) -> tuple[list[dict], list[Problem]]:
    """Read data/categories.csv."""
    columns = ["dimension", "category", "label", "sort_order"]
    rows, problems = read_csv(data_dir / "categories.csv", columns)
    records = [{**{c: row.get(c) for c in columns}, "sort_order": int(row.get("sort_order") or 0)} for row in rows]
    return records, problems


def _read_statements(data_dir: Path, catalog: Catalog) -> tuple[list[dict], list[Problem]]:
    """Read data/statements.csv, the text the convention states for each quarter."""
    columns = ["territory_code", "section", "rank", "text", "source_id", "source_ref"]
    rows, problems = read_csv(data_dir / "statements.csv", columns)
    for row in rows:
        if row.get("territory_code") not in catalog.territories:
            problems.append(row.problem("territory_code", f"territoire « {row.get('territory_code')} » inconnu."))
        if row.get("section") not in SECTIONS:
            problems.append(row.problem("section", f"rubrique « {row.get('section')} » inconnue."))
        if row.get("source_id") not in catalog.sources:
            problems.append(row.problem("source_id", f"source « {row.get('source_id')} » absente de data/sources.csv."))
    records = [{**{c: row.get(c) for c in columns}, "rank": int(row.get("rank") or 0)} for row in rows]
    return records, problems


def load_dataset(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read every input file; return the dataset and all problems found."""
    sources, problems = _read_sources(data_dir)
    layers, more = read_layers(data_dir)
    sources += layers.sources
    problems += more
    indicators, more = _read_indicators(data_dir)
    problems += more
    categories, more = _read_categories(data_dir)
    problems += more
    territories, links, more = read_territories(data_dir)
    problems += more
    dataset = Dataset(sources, indicators, categories, territories, links, [], [], layers.imports)
    catalog = dataset.catalog()
    dataset.statements, more = _read_statements(data_dir, catalog)
    problems += more
    shipped = []
    for path in observation_files(data_dir):
        file_rows, more = read_csv(path, OBSERVATION_COLUMNS)
        shipped += file_rows
        problems += more
    # Shipped files form one layer (a conflict between them is an error); each import then supersedes by key.
    dataset.observations, more = validate_layers([shipped, *layers.rows], catalog)
    problems += more
    return dataset, problems
