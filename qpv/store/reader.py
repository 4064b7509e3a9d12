"""Open the store for reading: the one way the command lines, reports and tests read it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from qpv.store import paths
from qpv.store.build import ensure_built
from qpv.store.queries import execute

ALIAS = "store"


@dataclass
class StoreReader:
    """A read-only view of one store file: run named queries on it."""

    con: duckdb.DuckDBPyConnection
    path: Path

    def query(self, name: str, **params) -> pd.DataFrame:
        """Run queries/{name}.sql with bound $params."""
        return execute(self.con, name, database=ALIAS, **params)


def attach(path: Path) -> duckdb.DuckDBPyConnection:
    """Attach a store file read-only to a private in-memory database.

    ATTACH rather than duckdb.connect(path): DuckDB's Python client hands back the instance
    already open at a path (duckdb/duckdb#15912), which would keep reading a replaced file.
    """
    con = duckdb.connect()
    con.execute(f"attach $path as {ALIAS} (read_only)", {"path": str(path)})
    return con


@contextmanager
def open_store(data_dir: Path | None = None, db_path: Path | None = None) -> Iterator[StoreReader]:
    """Build the store first when absent or stale, then open it read-only; raise DataError on bad files."""
    data_dir = data_dir or paths.data_dir()
    path = ensure_built(db_path or paths.database_path(data_dir), data_dir)
    con = attach(path)
    try:
        yield StoreReader(con, path)
    finally:
        con.close()
