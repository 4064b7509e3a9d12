"""Follow-up imports: how the store takes one in or out (the kinds of file: qpv.store.followup_kinds).

A follow-up import (a status change, measured values, a landlord's TFPB table, insertion hours, a roadmap) is
an import like any other: a folder data/imports/<id>/ with its import.json (``shape`` names the kind) and its
normalised rows in suivi.csv, written and undone under the writer protocol (lock, journal, recovery). Its rows
are one more layer of a programme table (qpv.store.programme.SPECS): the same spec checks them in the preview,
at commit and at every build. In the store, the programme tables are rewritten from their files on the
private copy, so an incremental write gives the very tables a full build gives.
"""

from pathlib import Path

import duckdb

from qpv.store import arrow
from qpv.store.errors import Problem
from qpv.store.programme import SPEC_BY_TABLE, SPECS, load_programme


def programme_layers(data_dir: Path, imported: dict[str, list[Path]]) -> dict[str, list[Path]]:
    """List the files of each programme table that imports add to: the shipped ones, then the imports' in id order."""
    return {table: SPEC_BY_TABLE[table].files(data_dir) + files for table, files in imported.items() if files}


def store_known(con: duckdb.DuckDBPyConnection, leave_out_source: str | None = None) -> dict[str, set[str]]:
    """Read from a store the codes the programme files refer to: territories, sources, indicators."""
    sources = {row[0] for row in con.execute("select id from sources").fetchall()} - {leave_out_source}
    return {"territories": {row[0] for row in con.execute("select code from territories").fetchall()},
            "sources": sources, "indicators": {row[0] for row in con.execute("select id from indicators").fetchall()}}


def load_with_imports(data_dir: Path, known: dict[str, set[str]], imported: dict[str, list[Path]],
                      extra: dict[str, list] | None = None) -> tuple[dict[str, list[dict]], list[Problem]]:
    """Read every programme table with the follow-up imports given (table → their suivi.csv files), then extra rows."""
    return load_programme(data_dir, known, programme_layers(data_dir, imported), extra)


def replace_programme(con: duckdb.DuckDBPyConnection, tables: dict[str, list[dict]]) -> None:
    """Rewrite every programme table of a private store copy with the records a build would write, in its order.

    One transaction per table (DuckDB checks a foreign key against rows deleted in the same transaction),
    children first; the copy replaces the store only once all are done.
    """
    for spec in reversed(SPECS):
        con.execute(f"delete from {spec.table}")  # table names are constants of SPECS
    for spec in SPECS:
        arrow.insert_records(con, spec.table, tables[spec.table])  # as the build writes it


def programme_uses(con: duckdb.DuckDBPyConnection, source_id: str) -> int:
    """Count the programme rows that cite a source."""
    return sum(con.execute(f"select count(*) from {spec.table} where source_id = $id", {"id": source_id}).fetchone()[0]
               for spec in SPECS if "source_id" in spec.columns)
