"""Load and check every input file of the store: vocabularies, catalogue, territories, figures, statements, imports."""

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from qpv.store import arrow
from qpv.store.csvcolumns import read_columns
from qpv.store.csvfiles import Row, display_name, parse_number, read_csv
from qpv.store.errors import Problem
from qpv.store.followup import programme_layers
from qpv.store.followup_kinds import FOLLOWUP_FILE, KIND_BY_CODE
from qpv.store.freshness import observation_files
from qpv.store.inputs import recording
from qpv.store.layers import (
    ROWS_FILE,
    history_record,
    import_folders,
    imports_dir,
    read_meta,
    source_record,
    stray_folders,
)
from qpv.store.programme import load_programme
from qpv.store.territories import read_territories
from qpv.store.validate import OBSERVATION_COLUMNS, RECORD_KEY, ROW_COLUMNS, Catalog, connect, validate_table
from qpv.store.vocabulary import read_vocabularies


@dataclass
class Dataset:
    """Everything the build writes, already checked."""

    vocabularies: dict[str, list[dict]]
    sources: list[dict]
    indicators: list[dict]
    territories: dict[str, dict]
    links: set[tuple[str, str]]
    observations: pa.Table | None  # every row of every layer (text cells, layer 0: shipped files), once checked
    statements: list[dict]
    imports: list[dict] = field(default_factory=list)
    programme: dict[str, list[dict]] = field(default_factory=dict)  # qpv.store.programme tables
    layer_ids: dict[int, str] = field(default_factory=dict)  # layer number → import id
    manifest: dict[str, list[str]] = field(default_factory=dict)  # files read: name → [path, sha256]

    def catalog(self) -> Catalog:
        """Return what observations may refer to."""
        return Catalog(
            territories=self.territories,
            indicators={i["id"]: i for i in self.indicators},
            categories={(c["breakdown"], c["category"]) for c in self.vocabularies["categories"]},
            sources={s["id"] for s in self.sources},
            statuses={v["code"] for v in self.vocabularies["statuses"]},
        )

    def codes(self, vocabulary: str) -> set[str]:
        """Return the codes of one vocabulary."""
        return {record["code"] for record in self.vocabularies[vocabulary]}


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


def _read_indicators(data_dir: Path, units: set[str], directions: set[str]) -> tuple[list[dict], list[Problem]]:
    """Read data/indicators.csv; units and directions come from the vocabularies."""
    columns = ["id", "label", "short_label", "unit", "definition", "direction", "theme",
               "min_value", "max_value", "sort_order"]
    rows, problems = read_csv(data_dir / "indicators.csv", columns)
    problems += _unique(rows, "id")
    records = []
    for row in rows:
        if row.get("unit") not in units:
            problems.append(row.problem("unit", f"unité « {row.get('unit')} » inconnue ({', '.join(sorted(units))})."))
        if row.get("direction") not in directions:
            problems.append(row.problem("direction", f"sens attendu : {', '.join(sorted(directions))}."))
        for column in ("label", "short_label", "definition", "theme"):
            if not row.get(column):
                problems.append(row.problem(column, "champ obligatoire vide."))
        record = {c: row.get(c) for c in columns}
        for column in ("min_value", "max_value", "sort_order"):
            record[column] = parse_number(row.get(column)) if row.get(column) else None
        records.append(record)
    return records, problems


def _read_statements(data_dir: Path, catalog: Catalog, sections: set[str]) -> tuple[list[dict], list[Problem]]:
    """Read data/statements.csv, the text the convention states for each QPV."""
    columns = ["territory_code", "section", "rank", "text", "source_id", "source_ref"]
    rows, problems = read_csv(data_dir / "statements.csv", columns)
    for row in rows:
        if row.get("territory_code") not in catalog.territories:
            problems.append(row.problem("territory_code", f"territoire « {row.get('territory_code')} » inconnu."))
        if row.get("section") not in sections:
            problems.append(row.problem("section", f"rubrique « {row.get('section')} » inconnue."))
        if row.get("source_id") not in catalog.sources:
            problems.append(row.problem("source_id", f"source « {row.get('source_id')} » absente de data/sources.csv."))
    records = [{**{c: row.get(c) for c in columns}, "rank": int(row.get("rank") or 0)} for row in rows]
    return records, problems


@dataclass
class Layers:
    """What the saved imports add to the dataset: sources, history rows and observation rows, in id order."""

    sources: list[dict]
    imports: list[dict]
    tables: list[tuple[str, pa.Table]]  # (import id, its rows as text columns with their line)
    programme: dict[str, list[Path]] = field(default_factory=dict)  # follow-up: table → rows files


def read_layers(data_dir: Path) -> tuple[Layers, list[Problem]]:
    """Read every import in force, in id order; report unreadable ones and stray folders."""
    layers, problems = Layers([], [], []), []
    for folder in stray_folders(data_dir):
        message = "dossier inattendu : un import porte un identifiant comme 20261123T120501Z-1a2b3c."
        problems.append(Problem(display_name(folder), None, None, message))
    for folder in import_folders(imports_dir(data_dir)):
        meta, more = read_meta(folder)
        problems += more
        kind = KIND_BY_CODE.get((meta or {}).get("shape"))
        if kind is not None:  # a follow-up import: its rows are one more file of a programme table
            layers.programme.setdefault(kind.table, []).append(folder / FOLLOWUP_FILE)
            layers.sources += [source for source in [source_record(meta)] if source]
            layers.imports.append(history_record(meta))
            continue
        table, more = read_import_rows(folder)
        problems += more
        if meta is None or table is None:
            continue
        source = source_record(meta)
        if source:
            layers.sources.append(source)
        layers.imports.append(history_record(meta))
        layers.tables.append((folder.name, table))
    return layers, problems


def read_import_rows(folder: Path) -> tuple[pa.Table | None, list[Problem]]:
    """Read the saved rows of one import with the project's CSV reader, as text columns with their line."""
    return read_columns(folder / ROWS_FILE, ROW_COLUMNS, OBSERVATION_COLUMNS)


def load_dataset(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read every input file once (recording its digest); return the dataset and all problems found."""
    with recording(data_dir) as inputs:
        dataset, problems = _load(data_dir)
    dataset.manifest = inputs.manifest()
    return dataset, problems


def _load(data_dir: Path) -> tuple[Dataset, list[Problem]]:
    """Read and check every input file."""
    vocabularies, problems = read_vocabularies(data_dir)
    sources, more = _read_sources(data_dir)
    problems += more
    layers, more = read_layers(data_dir)
    sources += layers.sources
    problems += more
    codes = {name: {record["code"] for record in records} for name, records in vocabularies.items()
             if name != "categories"}
    indicators, more = _read_indicators(data_dir, codes["units"], codes["directions"])
    problems += more
    territories, links, more = read_territories(data_dir)
    problems += more
    dataset = Dataset(vocabularies, sources, indicators, territories, links, None, [], layers.imports)
    catalog = dataset.catalog()
    dataset.statements, more = _read_statements(data_dir, catalog, codes["sections"])
    problems += more
    # Shipped files form one layer (a conflict between them is an error); each import then supersedes by key.
    tables = []
    for path in observation_files(data_dir):
        table, more = read_columns(path, ROW_COLUMNS, OBSERVATION_COLUMNS)
        problems += more
        if table is not None:
            tables.append(tag_rows(table, display_name(path), 0))
    for layer, (import_id, table) in enumerate(layers.tables, start=1):
        dataset.layer_ids[layer] = import_id
        tables.append(tag_rows(table, display_name(data_dir / "imports" / import_id / "observations.csv"), layer))
    dataset.observations, more = validate_files(tables, catalog, records=False)
    problems += more
    known = {"territories": set(catalog.territories), "sources": catalog.sources, "indicators": set(catalog.indicators)}
    dataset.programme, more = load_programme(data_dir, known, programme_layers(data_dir, layers.programme))
    problems += more
    return dataset, problems


def tag_rows(table: pa.Table, name: str, layer: int) -> tuple[pa.Table, str]:
    """Mark the rows of one file with its layer; return them with the file's name (numbered by validate_files)."""
    return table.append_column("layer", arrow.integers(np.full(table.num_rows, layer, dtype=np.int32))), name


def validate_files(tables: list[tuple[pa.Table, str]], catalog: Catalog,
                   records: bool = True) -> tuple[pa.Table, list[Problem]]:
    """Validate the rows of every observation file together, numbered in file order; locate each problem.

    Return the valid records, or (records=False, for the large check of a build) the rows as read: when no
    problem is found every row is valid, and the build reads its values with the validator's own figure().
    """
    files = [name for _, name in tables]
    tagged = [table.append_column("file_index", arrow.integers(np.full(table.num_rows, index, dtype=np.int32)))
              for index, (table, _) in enumerate(tables)]
    if not tagged:
        empty = {c: arrow.strings([]) for c in ROW_COLUMNS}
        tagged = [pa.table(empty | {"line": arrow.integers([]), "layer": arrow.integers([]),
                                    "file_index": arrow.integers([])})]
    rows = pa.concat_tables(tagged)
    rows = rows.append_column("ordinal", arrow.integers(np.arange(rows.num_rows), pa.int64()))
    valid, found = validate_table(rows, catalog, files, records)
    indexes, lines = rows.column("file_index"), rows.column("line")
    problems = [Problem(files[indexes[o].as_py()], lines[o].as_py(), column, message) for o, column, message in found]
    return (valid if records else rows), problems


def observation_count(dataset: Dataset) -> int:
    """Count the observations in force: one per key, whatever layer holds it (imports are few: joined against)."""
    if dataset.observations is None or dataset.observations.num_rows == 0:
        return 0
    keys = ", ".join(RECORD_KEY)
    match = " and ".join(f"i.{c} = s.{c}" for c in RECORD_KEY)
    with connect() as con:
        con.register("input_rows", dataset.observations)
        return con.execute(f"""
            with imported as (select {keys} from input_rows where layer > 0)
            select (select count(*) from input_rows as s where s.layer = 0
                    and not exists (select 1 from imported as i where {match}))
                 + (select count(*) from (select distinct {keys} from imported))
        """).fetchone()[0]
