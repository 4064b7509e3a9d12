"""Open the store for reading: the one way the command lines, reports and tests read it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from qpv.store import paths
from qpv.store.attach import ALIAS, attach
from qpv.store.freshness import attach_fresh
from qpv.store.queries import execute, execute_records
from qpv.store.records import Record

if TYPE_CHECKING:  # pandas loads on the first query, not with the module
    import pandas as pd


@dataclass
class StoreReader:
    """A read-only view of one store file: run named queries on it."""

    con: duckdb.DuckDBPyConnection
    path: Path

    def query(self, name: str, **params) -> "pd.DataFrame":
        """Run queries/{name}.sql with bound $params."""
        return execute(self.con, name, database=ALIAS, **params)

    def records(self, name: str, **params) -> list[Record]:
        """Run queries/{name}.sql with bound $params; return plain records, without loading pandas."""
        return execute_records(self.con, name, database=ALIAS, **params)


@contextmanager
def open_store(data_dir: Path | None = None, db_path: Path | None = None) -> Iterator[StoreReader]:
    """Build the store first when absent or stale, then open it read-only; raise DataError on bad files."""
    data_dir = data_dir or paths.data_dir()
    path = db_path or paths.database_path(data_dir)
    con = attach_fresh(path, data_dir)
    try:
        yield StoreReader(con, path)
    finally:
        con.close()


@contextmanager
def store_snapshot(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Attach one store file read-only and use it: every query on the connection reads that version."""
    con = attach(path)
    try:
        con.execute(f"use {ALIAS}")
        yield con
    finally:
        con.close()
