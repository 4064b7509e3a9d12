"""The one data-access module: DuckDB connection, named queries, Streamlit caching."""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from qpv.build import ensure_built
from qpv.paths import database_path
from qpv.sql import execute, query_names, query_sql

__all__ = ["connection", "execute", "query_names", "run_query", "store_version"]

def store_version(path: Path | None = None) -> tuple[str, int, int]:
    """Identify the store file on disk, so that a rebuilt store is reopened and re-queried."""
    path = path or database_path()
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(show_spinner=False)
def _ensure_store_once() -> None:
    """Build the store at first start when absent or older than its files."""
    ensure_built()


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(version: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    """Open the store read-only; one connection per store version, a cursor per query.

    The file is attached to an in-memory database rather than opened by path: DuckDB's Python
    client reuses an instance already open at the same path (duckdb/duckdb#15912), which would
    keep serving the replaced file after a rebuild.
    """
    con = duckdb.connect()
    con.execute("attach $path as store (read_only)", {"path": version[0]})
    return con


def connection() -> duckdb.DuckDBPyConnection:
    """Return the connection to the current store, building it first if needed."""
    _ensure_store_once()
    return _connection(store_version())


def _freeze(value):
    """Make list parameters hashable for the cache key."""
    return tuple(value) if isinstance(value, list) else value


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, frozen: tuple, version: tuple[str, int, int]) -> pd.DataFrame:
    """Run a query once per (name, parameters, store version)."""
    params = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    return execute(_connection(version), name, database="store", **params)


def run_query(name: str, **params) -> pd.DataFrame:
    """Run queries/{name}.sql with bound $params; cached on name, parameters and store version."""
    query_sql(name)
    connection()
    frozen = tuple(sorted((key, _freeze(value)) for key, value in params.items()))
    return _cached(name, frozen, store_version()).copy()
