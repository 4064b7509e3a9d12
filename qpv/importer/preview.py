"""Check an uploaded file against the store in force and compare it with the current data, writing nothing.

The file is parsed once, here, into the normalised rows that are both shown and, at commit, saved: the
preview carries them, with the records the validator made of them and the fingerprint of the store they
were compared with (qpv.importer.commit refuses to write them over another state of the store).
"""

import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from qpv.importer.files import check_size, read_table
from qpv.importer.mapping import load_mapping
from qpv.importer.shapes import Context, Shaped, SourceRow, tidy_rows, wide_rows
from qpv.store import paths
from qpv.store.current import current_observations, store_catalog
from qpv.store.errors import DataError, Problem
from qpv.store.freshness import ensure_built
from qpv.store.layers import new_import_id, source_id_for
from qpv.store.reader import store_snapshot
from qpv.store.validate import fr, record_key, validate_observations

NEW, CHANGED, UNCHANGED = "new", "changed", "unchanged"


@dataclass
class DeclaredSource:
    """The document the figures come from, as the admin declares it; becomes a row of sources."""

    title: str = ""
    publisher: str = ""
    published: str = ""
    licence: str = ""
    short_title: str = ""

    def given(self) -> bool:
        """Tell whether any field was filled."""
        return any(v.strip() for v in (self.title, self.publisher, self.published, self.licence, self.short_title))

    def as_json(self) -> dict:
        """Return the fields saved in import.json, the date in ISO form."""
        fields = {"title": self.title, "short_title": self.short_title, "publisher": self.publisher,
                  "licence": self.licence}
        return {k: v.strip() for k, v in fields.items() if v.strip()} | {"published": iso_date(self.published)}


@dataclass
class ImportOptions:
    """How to read the file; None falls back to the mapping's saved value, then to the default."""

    mapping: str | None = None
    sheet: str | None = None
    skip_rows: int | None = None
    skip_unknown: bool | None = None
    source: DeclaredSource = field(default_factory=DeclaredSource)


@dataclass(frozen=True)
class Change:
    """One row of the file compared with the data in force: new, changed or unchanged."""

    kind: str
    line: int
    key: tuple
    territory_name: str
    unit: str
    before: float | None
    before_status: str | None
    after: float | None
    after_status: str


@dataclass
class Preview:
    """What an import would write, and how it compares with the data in force."""

    import_id: str
    file_name: str
    sha256: str
    size: int
    shape: str
    mapping: str | None
    sheet: str | None
    skip_rows: int
    rows: list[dict]
    changes: list[Change]
    ignored: int
    source: dict | None
    warnings: list[Problem] = field(default_factory=list)
    records: list[dict] = field(default_factory=list)  # what the validator made of rows: what the store will hold
    base: str = ""  # fingerprint of the store the rows were compared with

    def counts(self) -> dict[str, int]:
        """Count rows read, new, changed, unchanged and left out."""
        kinds = [c.kind for c in self.changes]
        return {"rows": len(self.rows), "new": kinds.count(NEW), "changed": kinds.count(CHANGED),
                "unchanged": kinds.count(UNCHANGED), "ignored": self.ignored}

    def has_changes(self) -> bool:
        """Tell whether committing would change the data."""
        return any(c.kind != UNCHANGED for c in self.changes)


def iso_date(text: str) -> str | None:
    """Read 2024-07-09 or 09/07/2024 as an ISO date; None when empty, the text itself when invalid."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return text


def _source_problems(source: DeclaredSource, shaped: Shaped, name: str, wide: bool) -> list[Problem]:
    """Require a complete declared source when rows cite the import."""
    problems = []
    if source.given():
        for label, value in (("titre", source.title), ("éditeur", source.publisher), ("licence", source.licence)):
            if not value.strip():
                problems.append(Problem(name, None, None, f"source déclarée : {label} obligatoire."))
        published = iso_date(source.published)
        if published is not None and not _is_date(published):
            problems.append(Problem(name, None, None, f"source déclarée : date « {published} » invalide (AAAA-MM-JJ)."))
    elif shaped.cite_import:
        what = ("un fichier large ne cite pas sa source ligne à ligne" if wide
                else f"{shaped.cite_import} ligne(s) sans source_id")
        problems.append(Problem(name, None, None, (
            f"{what} : déclarer la source du fichier (titre, éditeur, date, licence).")))
    return problems


def _is_date(text: str) -> bool:
    """Tell whether text is an ISO date."""
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _same(before: dict, after: dict) -> bool:
    """Tell whether two records carry the same status and value (to 10 significant digits, as exported)."""
    if before["status"] != after["status"]:
        return False
    if before["value"] is None or after["value"] is None:
        return before["value"] is after["value"]
    return f"{before['value']:.10g}" == f"{after['value']:.10g}"


def compare(rows: list[SourceRow], records: list[dict], current: list[dict], territories: dict) -> list[Change]:
    """Classify each record against the data in force: new, changed or unchanged."""
    in_force = {record_key(r): r for r in current}
    changes = []
    for row, record in zip(rows, records, strict=True):
        key = record_key(record)
        before = in_force.get(key)
        kind = NEW if before is None else UNCHANGED if _same(before, record) else CHANGED
        changes.append(Change(
            kind, row.line, key, territories[record["territory_code"]]["name"], row.get("unit"),
            before["value"] if before else None, before["status"] if before else None,
            record["value"], record["status"],
        ))
    return changes


def proportion_warnings(rows: list[SourceRow], changes: list[Change]) -> list[Problem]:
    """Warn when % figures look like proportions (0,407 for 40,7 %), within range but 100 times too small."""
    groups: dict[tuple, list[tuple[SourceRow, Change]]] = {}
    for row, change in zip(rows, changes, strict=True):
        if change.unit == "%" and change.after is not None:
            groups.setdefault((row.get("indicator_id"), row.aliases.get("value", "value")), []).append((row, change))
    warnings = []
    for (indicator, column), members in groups.items():
        values = [c.after for _, c in members]
        if len(values) >= 2 and all(0 <= v <= 1 for v in values) and any(v > 0 for v in values):
            row = members[0][0]
            warnings.append(Problem(row.file, None, column, (
                f"les {len(values)} valeurs de {indicator} sont toutes entre 0 et 1 alors que l'unité est % : "
                f"proportions ? En pourcentage, {fr(values[0])} s'écrit {fr(values[0] * 100)} (échelle × 100).")))
            continue
        for row, change in members:
            if change.before and 0 < change.after <= 1 and abs(change.after * 100 / change.before - 1) < 0.2:
                warnings.append(row.problem("value", (
                    f"{fr(change.after)} contre {fr(change.before)} en base : valeur exprimée en proportion ?")))
    return warnings


def _store_ready(data_dir: Path, db_path: Path) -> None:
    """Bring the store up to date with the files in place; refuse to preview over files with errors."""
    try:
        ensure_built(db_path, data_dir)
    except DataError as error:
        if any(str(p.file).endswith(".qpv-write.lock") for p in error.problems):
            raise
        head = Problem("data/", None, None, "les fichiers en place ont des erreurs (python -m qpv check) : "
                                            "les corriger avant tout import.")
        raise DataError([head, *error.problems]) from error


def prepare(content: bytes, file_name: str, options: ImportOptions, data_dir: Path,
            import_id: str | None = None, db_path: Path | None = None) -> Preview:
    """Read and check a file, compare it with the store in force; raise DataError with every problem."""
    check_size(content, file_name)
    mapping = load_mapping(data_dir, options.mapping) if options.mapping else None
    sheet = options.sheet or (mapping.sheet if mapping else None)
    skip_rows = options.skip_rows if options.skip_rows is not None else (mapping.skip_rows if mapping else 0)
    skip_unknown = options.skip_unknown if options.skip_unknown is not None else bool(mapping and mapping.skip_unknown)
    table = read_table(content, file_name, sheet=sheet, skip_rows=skip_rows)
    db_path = db_path or paths.database_path(data_dir)
    _store_ready(data_dir, db_path)
    with store_snapshot(db_path) as con:
        base = dict(con.execute("select key, value from meta").fetchall()).get("inputs", "")
        import_id = import_id or new_import_id(data_dir)
        catalog = store_catalog(con)
        catalog = replace(catalog, sources=catalog.sources | {source_id_for(import_id)})
        context = Context(catalog, source_id_for(import_id), skip_unknown)
        shaped = wide_rows(table, mapping, context) if mapping else tidy_rows(table, context)
        problems = _source_problems(options.source, shaped, file_name, wide=mapping is not None) + shaped.problems
        records, more = validate_observations(shaped.rows, catalog)
        problems = sorted(problems + more, key=lambda p: p.line or 0)
        if not problems and not records:
            outside = f"les {shaped.ignored} lignes portent sur des territoires hors de l'observatoire"
            problems.append(Problem(file_name, None, None, f"aucune ligne à importer : {outside}."))
        if problems:
            raise DataError(problems)
        current = current_observations(con, [record_key(r) for r in records])
    changes = compare(shaped.rows, records, current, catalog.territories)
    return Preview(
        import_id=import_id, file_name=file_name, sha256=hashlib.sha256(content).hexdigest(), size=len(content),
        shape="wide" if mapping else "tidy", mapping=mapping.name if mapping else None, sheet=table.sheet,
        skip_rows=skip_rows, rows=[row.values for row in shaped.rows], changes=changes,
        ignored=shaped.ignored, source=options.source.as_json() if options.source.given() else None,
        warnings=proportion_warnings(shaped.rows, changes), records=records, base=base,
    )
