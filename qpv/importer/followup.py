"""Preview a follow-up file (statuses, measured values, TFPB table, insertion hours, roadmap) against the store.

The upload is read once (qpv.importer.files), its headers matched to the columns of the programme table its
kind feeds (qpv.store.followup_kinds.KINDS), its cells normalised (dates to AAAA-MM-JJ, vocabulary labels to their
codes, the import's source and « fichier, ligne N » where a line names none), then checked by the very spec
the build uses, with every file in force: a duplicate key, an unknown action or a TFPB subtotal that does
not add up is reported with the uploaded file's name, line and column. The normalised rows are what the
preview shows and what commit saves in data/imports/<id>/suivi.csv.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from qpv.importer.files import csv_bytes, read_table
from qpv.importer.preview import DeclaredSource, _source_problems, _store_ready
from qpv.importer.shapes import Shaped, SourceRow
from qpv.store import paths
from qpv.store.errors import DataError, Problem
from qpv.store.followup import load_with_imports, store_known
from qpv.store.followup_kinds import FOLLOWUP_FILE, KIND_BY_CODE, FollowupKind
from qpv.store.layers import followup_imports, new_import_id, read_meta, source_id_for
from qpv.store.programme import SPEC_BY_TABLE, read_vocabularies
from qpv.store.reader import store_snapshot


@dataclass
class FollowupPreview:
    """What a follow-up import would write: its normalised rows, as saved, and the records the build makes of them."""

    import_id: str
    file_name: str
    sha256: str
    size: int
    kind: str
    sheet: str | None
    rows: list[dict]
    records: list[dict]
    source: dict | None
    base: str = ""
    warnings: list[Problem] = field(default_factory=list)
    mapping = None
    skip_rows = 0
    ignored = 0

    @property
    def shape(self) -> str:
        """Name the kind as import.json records it."""
        return self.kind

    def counts(self) -> dict[str, int]:
        """Count rows read and new (follow-up rows never replace one in force: a repeated key is refused)."""
        return {"rows": len(self.rows), "new": len(self.rows), "changed": 0, "unchanged": 0, "ignored": 0}

    def has_changes(self) -> bool:
        """Tell whether committing would add anything."""
        return bool(self.rows)


def kind_of(code: str, file_name: str) -> FollowupKind:
    """Return a declared kind, or a French refusal listing them."""
    if code not in KIND_BY_CODE:
        raise DataError([Problem(file_name, None, None, f"type de suivi « {code} » inconnu "
                                                        f"(possibles : {', '.join(KIND_BY_CODE)}).")])
    return KIND_BY_CODE[code]


def _columns(kind: FollowupKind, header: list[str], name: str, line: int) -> tuple[dict[int, str], list[Problem]]:
    """Match the header cells to the table's columns; report unknown, repeated and missing columns."""
    matched, problems = {}, []
    for index, cell in enumerate(header):
        column = kind.column_for(cell)
        if not cell.strip():
            continue
        if column is None:
            known = ", ".join(kind.columns())
            problems.append(Problem(name, line, cell, f"colonne inconnue (colonnes possibles : {known}, ou leurs "
                                                      f"noms français : {', '.join(a for a, _ in kind.aliases)})."))
        elif column in matched.values():
            problems.append(Problem(name, line, cell, f"deuxième colonne pour « {column} »."))
        else:
            matched[index] = column
    missing = [column for column in kind.required() if column not in matched.values()]
    if missing:
        problems.append(Problem(name, line, missing[0], f"colonnes manquantes : {', '.join(missing)}."))
    return matched, problems


def _normal(value: str, column: str, labels: dict[str, dict[str, str]]) -> str:
    """Write a cell as the saved file holds it: a date as AAAA-MM-JJ, a vocabulary label as its code."""
    value = value.strip()
    if column in labels and value.lower() in labels[column]:
        return labels[column][value.lower()]
    try:
        return datetime.strptime(value, "%d/%m/%Y").date().isoformat()
    except ValueError:
        return value


def _vocabulary_labels(kind: FollowupKind, data_dir: Path) -> dict[str, dict[str, str]]:
    """For each column that takes a vocabulary code, map its French labels (lower case) to the codes."""
    vocabularies, _ = read_vocabularies(data_dir)
    spec = SPEC_BY_TABLE[kind.table]
    return {column: {r["label"].lower(): r["code"] for r in vocabularies[name]} | {r["code"]: r["code"]
                                                                                  for r in vocabularies[name]}
            for column, name in spec.refs.items() if name in vocabularies}


def shape_rows(kind: FollowupKind, content: bytes, file_name: str, sheet: str | None, import_id: str,
               data_dir: Path) -> tuple[Shaped, str | None]:
    """Read the upload into rows of the table's columns, reporting problems in the file's own column names."""
    table = read_table(content, file_name, sheet=sheet)
    matched, problems = _columns(kind, table.header, file_name, table.header_line)
    shaped = Shaped(problems=problems)
    if problems:
        return shaped, table.sheet
    labels = _vocabulary_labels(kind, data_dir)
    aliases = {column: table.header[index].strip() for index, column in matched.items()}
    for line, cells in table.rows:
        values = dict.fromkeys(kind.columns(), "")
        values.update({column: _normal(cells[index] if index < len(cells) else "", column, labels)
                       for index, column in matched.items()})
        if not values["source_id"]:  # the line cites the import: its file and line, after the user's reference
            values["source_id"] = source_id_for(import_id)
            shaped.cite_import += 1
            where = f"{table.where()}, ligne {line}"
            values["source_ref"] = f"{values['source_ref']} ({where})" if values["source_ref"] else where
        shaped.rows.append(SourceRow(file_name, line, values, aliases=aliases))
    return shaped, table.sheet


def prepare_followup(content: bytes, file_name: str, kind_code: str, source: DeclaredSource, data_dir: Path,
                     sheet: str | None = None, import_id: str | None = None,
                     db_path: Path | None = None) -> FollowupPreview:
    """Read and check a follow-up file against every file in force; raise DataError with every problem."""
    kind = kind_of(kind_code, file_name)
    db_path = db_path or paths.database_path(data_dir)
    _store_ready(data_dir, db_path)
    import_id = import_id or new_import_id(data_dir)
    shaped, sheet = shape_rows(kind, content, file_name, sheet, import_id, data_dir)
    if shaped.problems:
        raise DataError(shaped.problems)
    with store_snapshot(db_path) as con:
        base = dict(con.execute("select key, value from meta").fetchall()).get("inputs", "")
        known = store_known(con)
    known["sources"].add(source_id_for(import_id))
    tables, problems = load_with_imports(data_dir, known, followup_imports(data_dir), {kind.table: shaped.rows})
    problems = _source_problems(source, shaped, file_name, wide=False) + problems
    if not shaped.rows:
        problems.append(Problem(file_name, None, None, "le fichier ne contient aucune ligne de données."))
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.file != file_name, p.line or 0)))
    return FollowupPreview(
        import_id=import_id, file_name=file_name, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        kind=kind.code, sheet=sheet, rows=[row.values for row in shaped.rows],
        records=tables[kind.table][-len(shaped.rows):], source=source.as_json() if source.given() else None, base=base)


def followup_csv(preview: FollowupPreview) -> bytes:
    """Write the normalised rows in the columns of the table, as data/imports/<id>/suivi.csv holds them."""
    columns = KIND_BY_CODE[preview.kind].columns()
    return csv_bytes(columns, ([row[column] for column in columns] for row in preview.rows))


def reread_followup(staging: Path, preview: FollowupPreview, db_path: Path,
                    data_dir: Path) -> tuple[dict[str, list[dict]], dict | None, list[Problem]]:
    """Read a staged follow-up import back as the build will: every programme table, with it as the last layer."""
    kind = KIND_BY_CODE[preview.kind]
    meta, problems = read_meta(staging)
    with store_snapshot(db_path) as con:
        known = store_known(con)
    known["sources"].add(source_id_for(preview.import_id))
    imported = followup_imports(data_dir)
    imported.setdefault(kind.table, []).append(staging / FOLLOWUP_FILE)
    tables, more = load_with_imports(data_dir, known, imported)
    if not problems + more and tables[kind.table][-len(preview.rows):] != preview.records:
        more.append(Problem(preview.file_name, None, None, "les lignes relues diffèrent des lignes prévisualisées."))
    return tables, meta, problems + more
