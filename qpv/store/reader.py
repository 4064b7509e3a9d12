"""Open the store for reading: the one way the command lines, reports and tests read it."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from qpv.store import arrow, paths
from qpv.store.attach import ALIAS, attach
from qpv.store.build import ensure_built
from qpv.store.queries import execute
from qpv.store.validate import RECORD_COLUMNS, RECORD_KEY, Catalog

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


@contextmanager
def store_snapshot(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Attach one store file read-only and use it: every query on the connection reads that version."""
    con = attach(path)
    try:
        con.execute(f"use {ALIAS}")
        yield con
    finally:
        con.close()


def store_catalog(con: duckdb.DuckDBPyConnection) -> Catalog:
    """Read what observations may refer to from the store (the catalogue the build checked the files with)."""
    territories = {code: {"code": code, "name": name} for code, name in
                   con.execute("select code, name from territories").fetchall()}
    indicators = {row[0]: {"id": row[0], "unit": row[1], "min_value": row[2], "max_value": row[3]}
                  for row in con.execute("select id, unit, min_value, max_value from indicators").fetchall()}
    return Catalog(
        territories=territories, indicators=indicators,
        categories=set(con.execute("select breakdown, category from categories").fetchall()),
        sources={row[0] for row in con.execute("select id from sources").fetchall()},
        statuses={row[0] for row in con.execute("select code from statuses").fetchall()},
    )


def current_observations(con: duckdb.DuckDBPyConnection, keys: list[tuple]) -> list[dict]:
    """Return the observations in force for the given keys (territory, indicator, period, breakdown, category)."""
    if not keys:
        return []
    wanted = pa.table({column: arrow.strings([key[i] for key in keys]) for i, column in enumerate(RECORD_KEY)})
    condition = " and ".join(f"o.{c} = w.{c}" for c in RECORD_KEY)
    columns = ", ".join(f"o.{c}" for c in RECORD_COLUMNS)
    con.register("wanted_keys", wanted)
    try:
        return con.sql(f"select {columns} from observations as o semi join wanted_keys as w on {condition}"
                       ).to_arrow_table().to_pylist()
    finally:
        con.unregister("wanted_keys")
