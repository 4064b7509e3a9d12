"""Incremental writes: apply one import, or undo one, on a copy of the store, without rebuilding what did not change.

The copy is changed in one transaction, then swapped into place by the caller (qpv.importer.commit). Only
the observations, the import's history and source rows and the meta rows change: vocabularies, territories
and contours are left as they are. The result is the store a full build from the files would write, table
by table (tests/test_writes.py checks it): the same rows in force, the same import_observations and
base_observations, the same manifest and fingerprint.
"""

import json
from pathlib import Path

import duckdb
import pyarrow as pa

from qpv.store import arrow
from qpv.store.attach import attach
from qpv.store.build import build_locked, meta_values
from qpv.store.followup import load_with_imports, programme_uses, replace_programme, store_known
from qpv.store.followup_kinds import FOLLOWUP_FILE, KIND_BY_CODE
from qpv.store.freshness import input_listing, is_stale, store_meta
from qpv.store.inputs import changed, manifest_json
from qpv.store.layers import META_FILE, ROWS_FILE, followup_imports, history_record, source_id_for, source_record
from qpv.store.validate import RECORD_COLUMNS
from qpv.store.writer import replace_store

KEY = ("territory_code", "indicator_id", "period", "breakdown", "category")
COLUMNS = ", ".join(RECORD_COLUMNS)


def _same_key(left: str, right: str) -> str:
    """Write the join condition on the observation key."""
    return " and ".join(f"{left}.{column} = {right}.{column}" for column in KEY)


APPLY_IMPORT = f"""
insert into base_observations by name
select {COLUMNS} from observations as current
where exists (select 1 from new_rows as new where {_same_key('new', 'current')})
    and not exists (select 1 from import_observations as imported where {_same_key('imported', 'current')});
insert into import_observations by name select $import_id as import_id, {COLUMNS} from new_rows;
delete from observations as current using new_rows as new where {_same_key('new', 'current')};
insert into observations by name select {COLUMNS} from new_rows;
"""

UNDO_IMPORT = f"""
create temp table undone_keys as
select {', '.join(KEY)} from import_observations where import_id = $import_id;
delete from import_observations where import_id = $import_id;
delete from observations as current using undone_keys as undone where {_same_key('undone', 'current')};
insert into observations by name
select {COLUMNS} from (
    select imported.*, row_number() over (partition by {', '.join(f'imported.{c}' for c in KEY)}
                                          order by imported.import_id desc) as rank
    from import_observations as imported
    where exists (select 1 from undone_keys as undone where {_same_key('undone', 'imported')})
) where rank = 1;
insert into observations by name
select {COLUMNS} from base_observations as base
where exists (select 1 from undone_keys as undone where {_same_key('undone', 'base')})
    and not exists (select 1 from import_observations as imported where {_same_key('imported', 'base')});
delete from base_observations as base
where exists (select 1 from undone_keys as undone where {_same_key('undone', 'base')})
    and not exists (select 1 from import_observations as imported where {_same_key('imported', 'base')});
delete from imports where id = $import_id;
drop table undone_keys;
"""

SOURCE_USES = """
select (select count(*) from observations where source_id = $source_id)
     + (select count(*) from import_observations where source_id = $source_id)
     + (select count(*) from base_observations where source_id = $source_id)
     + (select count(*) from statements where source_id = $source_id)
     + (select count(*) from territories where population_source_id = $source_id)
     + (select count(*) from geometries where source_id = $source_id)
"""


def _run(con: duckdb.DuckDBPyConnection, script: str, params: dict) -> None:
    """Run a script statement by statement, each with the parameters it names."""
    for statement in script.split(";"):
        if statement.strip():
            con.execute(statement, {k: v for k, v in params.items() if f"${k}" in statement} or None)


def _update_meta(con: duckdb.DuckDBPyConnection, manifest: dict) -> None:
    """Record the new manifest, fingerprint, time and version id; keep the contours' rows."""
    old = dict(con.execute("select key, value from meta").fetchall())
    values = meta_values(manifest, [name for name in old.get("contours", "").split(",") if name],
                         old.get("contours_digest", ""))
    values["manifest"] = manifest_json(manifest)
    for key, value in values.items():
        con.execute("insert or replace into meta values ($key, $value)", {"key": key, "value": value})


def _record_import(con: duckdb.DuckDBPyConnection, meta: dict) -> None:
    """Open a transaction and write an import's declared source (if any) and its history row."""
    con.execute("set enable_progress_bar = false")
    con.execute("begin transaction")
    source = source_record(meta)
    if source:
        arrow.insert_records(con, "sources", [source])  # as the build writes them
    arrow.insert_records(con, "imports", [history_record(meta)])


def apply_import(store: Path, rows: pa.Table, meta: dict, manifest: dict) -> None:
    """Add one import to a store copy: its source and history rows, its rows over the data in force, the meta."""
    with duckdb.connect(str(store)) as con:
        _record_import(con, meta)
        con.register("new_rows", rows.select(RECORD_COLUMNS))
        _run(con, APPLY_IMPORT, {"import_id": meta["id"]})
        con.unregister("new_rows")
        _update_meta(con, manifest)
        con.execute("commit")
        con.execute("checkpoint")


def apply_undo(store: Path, import_id: str, manifest: dict) -> bool:
    """Take one import out of a store copy, restoring for each of its keys the layer below; False if impossible.

    Impossible when anything else still cites the import's source (a later import, a statement): the caller
    then rebuilds from the files, which explains the problem in French.
    """
    source = {"source_id": source_id_for(import_id)}
    with duckdb.connect(str(store)) as con:
        con.execute("set enable_progress_bar = false")
        if not con.execute("select count(*) from imports where id = $id", {"id": import_id}).fetchone()[0]:
            return False
        # Two transactions on the private copy (DuckDB checks a deleted key against rows deleted in the same
        # transaction): the rows first, then the source once nothing cites it. The copy replaces the store only
        # when both are done.
        con.execute("begin transaction")
        _run(con, UNDO_IMPORT, {"import_id": import_id})
        con.execute("commit")
        if con.execute(SOURCE_USES, source).fetchone()[0]:
            return False
        _drop_source(con, source, manifest)
    return True


def _drop_source(con: duckdb.DuckDBPyConnection, source: dict, manifest: dict) -> None:
    """Delete the source of an undone import (nothing cites it any more) and record the new inputs."""
    con.execute("begin transaction")
    con.execute("delete from sources where id = $source_id", source)
    _update_meta(con, manifest)
    con.execute("commit")
    con.execute("checkpoint")


def apply_followup(store: Path, tables: dict[str, list[dict]], meta: dict, manifest: dict) -> None:
    """Add one follow-up import to a store copy: its source and history rows, the programme tables it changes."""
    with duckdb.connect(str(store)) as con:
        _record_import(con, meta)
        con.execute("commit")
        replace_programme(con, tables)
        con.execute("begin transaction")
        _update_meta(con, manifest)
        con.execute("commit")
        con.execute("checkpoint")


def undo_followup(store: Path, import_id: str, manifest: dict, data_dir: Path) -> bool:
    """Take one follow-up import out of a store copy: the programme tables read again without it; False if impossible
    (a later import cites it): the caller then rebuilds from the files, which explains the problem in French."""
    source = {"source_id": source_id_for(import_id)}
    with duckdb.connect(str(store)) as con:
        con.execute("set enable_progress_bar = false")
        known = store_known(con, source["source_id"])
        tables, problems = load_with_imports(data_dir, known, followup_imports(data_dir))
        if problems:
            return False
        replace_programme(con, tables)
        con.execute("begin transaction")
        con.execute("delete from imports where id = $import_id", {"import_id": import_id})
        con.execute("commit")
        if con.execute(SOURCE_USES, source).fetchone()[0] + programme_uses(con, source["source_id"]):
            return False
        _drop_source(con, source, manifest)
    return True


def _stored_shape(db_path: Path, import_id: str) -> str | None:
    """Return the shape (tidy, wide or a follow-up kind) the store records for an import."""
    with attach(db_path) as con:
        found = con.execute("select shape from store.imports where id = $id", {"id": import_id}).fetchone()
    return found[0] if found else None


def _undo(copy: Path, import_id: str, manifest: dict, data_dir: Path, followup: bool) -> bool:
    """Undo one import on a store copy, by the path its kind takes."""
    if followup:
        return undo_followup(copy, import_id, manifest, data_dir)
    return apply_undo(copy, import_id, manifest)


def remove_import(import_id: str, data_dir: Path, db_path: Path) -> None:
    """Bring the store in line once an import's folder left data/imports/: incrementally when the store held it
    and the files are otherwise what it was built from; else by a full build (which explains any problem)."""
    meta = store_meta(db_path) or {}
    if "manifest" in meta:
        manifest = json.loads(meta["manifest"])
        expected = {name: digest for name, digest in manifest.items()
                    if name not in {f"imports/{import_id}/{file}" for file in (META_FILE, ROWS_FILE, FOLLOWUP_FILE)}}
        followup = _stored_shape(db_path, import_id) in KIND_BY_CODE
        if len(expected) < len(manifest) and not changed(expected, input_listing(data_dir)) and replace_store(
                db_path, lambda copy: _undo(copy, import_id, expected, data_dir, followup)):
            return
    if is_stale(db_path, data_dir):
        build_locked(data_dir, db_path)
