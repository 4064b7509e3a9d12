"""The one data-access module of the dashboard: DuckDB connection, named queries, Streamlit caching."""

from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from qpv.store import paths
from qpv.store.build import ensure_built
from qpv.store.queries import execute, query_names, query_sql
from qpv.store.reader import ALIAS, attach

__all__ = ["connection", "query_names", "run_query", "store_version"]


def store_version(path: Path | None = None) -> tuple[str, int, int]:
    """Identify the store file on disk, so that a rebuilt store is reopened and re-queried."""
    path = path or paths.database_path()
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns


@st.cache_resource(show_spinner=False)
def _ensure_store_once() -> None:
    """Build the store at first start when absent or older than its files."""
    ensure_built()


@st.cache_resource(show_spinner=False, max_entries=2)
def _connection(version: tuple[str, int, int]) -> duckdb.DuckDBPyConnection:
    """Open the store read-only, attached to a private database; one connection per store version."""
    return attach(Path(version[0]))


def connection() -> duckdb.DuckDBPyConnection:
    """Return the connection to the current store, building it first if needed."""
    _ensure_store_once()
    return _connection(store_version())


def _freeze(value):
    """Make list parameters hashable for the cache key."""
    return tuple(value) if isinstance(value, list) else value


@st.cache_data(show_spinner=False, max_entries=512)
def _cached(name: str, sql: str, frozen: tuple, version: tuple[str, int, int]) -> pd.DataFrame:
    """Run a query once per (name, SQL text, parameters, store version)."""
    params = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    return execute(_connection(version), name, database=ALIAS, **params)


def run_query(name: str, **params) -> pd.DataFrame:
    """Run queries/{name}.sql with bound $params; cached on name, SQL text, parameters and store version."""
    sql = query_sql(name)
    connection()
    frozen = tuple(sorted((key, _freeze(value)) for key, value in params.items()))
    return _cached(name, sql, frozen, store_version()).copy()
