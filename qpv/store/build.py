"""Build the DuckDB store from the versioned files: checked, idempotent, atomic, under the writer protocol.

A build reads every input file once (qpv.store.inputs): the store records the digests of the very bytes it
was built from, so a file that changes during a build leaves the store stale rather than wrongly up to date.
It writes a new store beside the old one and swaps it in (readers keep the file they opened). Contours are
recomputed only when their files, the territories or the contour code changed: otherwise the display
geometry is copied from the previous store.
"""

import hashlib
import secrets
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from qpv.store import arrow, paths
from qpv.store.attach import attach_file
from qpv.store.contours import contour_files
from qpv.store.dataset import Dataset, load_dataset
from qpv.store.errors import DataError
from qpv.store.freshness import store_meta
from qpv.store.inputs import build_code, fingerprint, manifest_json, read_bytes, recording
from qpv.store.recovery import open_writes
from qpv.store.schema import SCHEMA_VERSION, create_schema, create_views
from qpv.store.territories import REFERENCE_FILES
from qpv.store.validate import FIGURE_MACROS, MEMORY_LIMIT, RECORD_COLUMNS
from qpv.store.writer import swap_store, temporary_store

CONTOUR_CODE = ("geo.py", "contours.py")
__all__ = ["build", "build_code", "build_locked", "meta_values"]


KEY_MATCH = " and ".join(f"imported.{c} = shipped.{c}" for c in
                        ("territory_code", "indicator_id", "period", "breakdown", "category"))
RECORD = ("territory_code, indicator_id, period, breakdown, category, "
          "case when status = 'publie' then figure(value) end as value, status, source_id, source_ref, "
          "nullif(note, '') as note, layer")
# The shipped layer (0) is large, the imports (layers 1…n) are small: the shipped rows an import hides are
# found by hash semi- and anti-joins against the imports only; among imports, the latest layer wins.
OBSERVATION_SQL = f"""
create temp view checked_rows as select {RECORD} from input_rows;

create temp table imported_rows as select * from checked_rows where layer > 0;

insert into observations by name
select {", ".join(RECORD_COLUMNS)} from checked_rows as shipped
where shipped.layer = 0 and not exists (select 1 from imported_rows as imported where {KEY_MATCH});

insert into observations by name
select {", ".join(RECORD_COLUMNS)} from (
    select *, row_number() over (
        partition by territory_code, indicator_id, period, breakdown, category order by layer desc) as rank
    from imported_rows
) where rank = 1;

insert into import_observations by name
select layer_ids.import_id, {", ".join(RECORD_COLUMNS)}
from imported_rows inner join layer_ids using (layer);

insert into base_observations by name
select {", ".join(RECORD_COLUMNS)} from checked_rows as shipped
where shipped.layer = 0 and exists (select 1 from imported_rows as imported where {KEY_MATCH});

drop table imported_rows;
drop view checked_rows;
"""


def _write_observations(con: duckdb.DuckDBPyConnection, dataset: Dataset) -> None:
    """Write the observations in force, every import's rows, and the shipped rows imports hide."""
    for macro in FIGURE_MACROS:
        con.execute(macro)
    con.register("input_rows", dataset.observations)
    con.register("layer_ids", pa.table({"layer": arrow.integers(list(dataset.layer_ids)),
                                        "import_id": arrow.strings(list(dataset.layer_ids.values()))}))
    for statement in OBSERVATION_SQL.split(";"):
        if statement.strip():
            con.execute(statement)
    con.unregister("input_rows")
    con.unregister("layer_ids")


def contours_digest(manifest: dict[str, list[str]], files: dict[str, bytes]) -> str:
    """Hash what the contours table depends on: contour files, territories and the contour code."""
    digest = hashlib.sha256(SCHEMA_VERSION.encode())
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    for name in REFERENCE_FILES:
        digest.update(name.encode() + b"\0" + manifest.get(name, ["", ""])[1].encode())
    for path in build_code():
        if path.name in CONTOUR_CODE:
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _reuse_contours(con: duckdb.DuckDBPyConnection, previous: Path, digest: str) -> list[str] | None:
    """Copy the geometries of the previous store when they were computed from the same inputs; None otherwise."""
    meta = store_meta(previous)
    if not meta or meta.get("contours_digest") != digest:
        return None
    try:
        attach_file(con, previous, "previous")
        try:
            con.execute("insert into geometries select * from previous.geometries")
        finally:
            con.execute("detach previous")
    except (duckdb.Error, OSError):  # gone or unreadable: the contours are computed again
        con.execute("delete from geometries")
        return None
    return [name for name in meta.get("contours", "").split(",") if name]


def _write(con: duckdb.DuckDBPyConnection, dataset: Dataset, contours: dict[str, bytes], manifest: dict,
           previous: Path) -> None:
    """Write the checked dataset, then the contours, into an empty schema, then the views and meta."""
    create_schema(con)
    for name, records in dataset.vocabularies.items():
        arrow.insert_records(con, name, records)
    arrow.insert_records(con, "sources", dataset.sources)
    arrow.insert_records(con, "indicators", dataset.indicators)
    arrow.insert_records(con, "territories", list(dataset.territories.values()))
    links = [{"child_code": child, "parent_code": parent} for child, parent in sorted(dataset.links)]
    arrow.insert_records(con, "territory_links", links)
    _write_observations(con, dataset)
    arrow.insert_records(con, "statements", dataset.statements)
    arrow.insert_records(con, "imports", dataset.imports)
    for table, records in dataset.programme.items():  # objectives, GUSP charter, follow-up, TFPB, insertion
        arrow.insert_records(con, table, records)
    digest = contours_digest(manifest, contours)
    layers = _reuse_contours(con, previous, digest)
    if layers is None:
        from qpv.store.geo import load_geometries  # geopandas: loaded only when contours must be computed

        layers = load_geometries(con, contours)
    create_views(con)
    meta = meta_values(manifest, layers, digest)
    arrow.insert_records(con, "meta", [{"key": key, "value": value} for key, value in meta.items()])


def meta_values(manifest: dict, layers: list[str], digest: str) -> dict[str, str]:
    """Describe a store: what it was built from, when, its contours, and a unique id of this version."""
    return {
        "schema_version": SCHEMA_VERSION, "inputs": fingerprint(manifest), "manifest": manifest_json(manifest),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"), "contours": ",".join(layers),
        "contours_digest": digest, "store_id": secrets.token_hex(8),
    }


def build_locked(data_dir: Path, db_path: Path) -> Path:
    """Build the store beside the old one, then swap it in; the caller holds the write lock."""
    with recording(data_dir) as inputs:
        dataset, problems = load_dataset(data_dir)
        if problems:
            raise DataError(problems)
        contours = {name: read_bytes(path) for name, path in sorted(contour_files(data_dir).items())}
        contours = {name: content for name, content in contours.items() if content is not None}
        manifest = inputs.manifest()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_store(db_path)
    try:
        with duckdb.connect(str(temporary), config={"memory_limit": MEMORY_LIMIT}) as con:
            con.execute("set enable_progress_bar = false")
            _write(con, dataset, contours, manifest, db_path)
            con.execute("checkpoint")
        swap_store(temporary, db_path)
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    return db_path


def build(data_dir: Path | None = None, db_path: Path | None = None) -> Path:
    """Build the store under the write lock (finishing an interrupted write first); raise DataError on bad input."""
    data_dir = data_dir or paths.data_dir()
    db_path = db_path or paths.database_path(data_dir)
    with open_writes(data_dir, db_path):
        return build_locked(data_dir, db_path)
