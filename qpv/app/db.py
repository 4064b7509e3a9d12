"""The one data-access module of the dashboard: DuckDB connection, named queries, Streamlit caching.

A script run reads ONE version of the store: the first query of a run pins the store file then in place
(attached read-only, so a store replaced by an import later in the run is not seen), and every other query
of that run reads the same version. Query results are cached per store version (the ``store_id`` written
in the store's meta table by each build or import), so a new store is queried anew at the next run.
Readers never wait for writers: a writer replaces the file in one step, the pinned connection keeps the old one.
"""

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from qpv.store import paths
from qpv.store.attach import ALIAS, attach
from qpv.store.errors import DataError
from qpv.store.freshness import ensure_built
from qpv.store.queries import execute, query_names, query_sql

__all__ = ["Snapshot", "connection", "per_version", "query_names", "run_query", "snapshot", "store_version"]
log = logging.getLogger("qpv.app")
PIN = "_qpv_store_snapshot"
UNAVAILABLE = ("Les données sont momentanément indisponibles (disque plein, droits d'accès ou base en cours de "
               "remplacement). Réessayer dans un moment ; le détail technique est dans le journal du serveur.")


@dataclass(frozen=True)
class Snapshot:
    """One version of the store, attached read-only: the connection and the id of that version."""

    con: duckdb.DuckDBPyConnection
    store_id: str
    path: Path


def _file_key(path: Path) -> tuple[str, int, int, int]:
    """Identify the store file now in place (a rebuilt store is a new file)."""
    stat = path.stat()
    return str(path), stat.st_ino, stat.st_mtime_ns, stat.st_size


@st.cache_resource(show_spinner=False)
def _ensure_store_once() -> None:
    """Build the store at first start when absent or older than its files (under the writer protocol)."""
    ensure_built()


@st.cache_resource(show_spinner=False, max_entries=4)
def _open(file_key: tuple[str, int, int, int]) -> Snapshot:
    """Attach one store file read-only to a private database and read the id of its version."""
    con = attach(Path(file_key[0]))
    meta = dict(con.execute(f"select key, value from {ALIAS}.meta").fetchall())
    return Snapshot(con, meta.get("store_id") or "-".join(map(str, file_key)), Path(file_key[0]))


def _unavailable(error: BaseException) -> None:
    """Say in French that the data cannot be read now, log the details, and stop the page."""
    log.error("lecture de la base impossible", exc_info=error)
    if isinstance(error, DataError):
        st.error("Les fichiers de données ont des erreurs : la base ne peut pas être construite "
                 "(détail : python -m qpv check).")
    else:
        st.error(UNAVAILABLE)
    st.stop()


def snapshot() -> Snapshot:
    """Return the store version this script run reads: pinned at its first query, the same for all others."""
    ctx = get_script_run_ctx()
    run = ctx.cursors if ctx is not None else None  # Streamlit makes a new dict at the start of every run
    pinned = getattr(ctx, PIN, None)
    if pinned is not None and pinned[0] is run:
        return pinned[1]
    try:
        _ensure_store_once()
        current = _open(_file_key(paths.database_path()))
    except (DataError, OSError, duckdb.Error) as error:
        _unavailable(error)
    if ctx is not None:
        setattr(ctx, PIN, (run, current))
    return current


def connection() -> duckdb.DuckDBPyConnection:
    """Return the connection to the store version of this run, building the store first if needed."""
    return snapshot().con


def store_version() -> str:
    """Return the id of the store version this run reads."""
    return snapshot().store_id


def _freeze(value):
    """Make list parameters hashable for the cache key."""
    return tuple(value) if isinstance(value, list) else value


class Kept:
    """Values kept for the server process, in a bounded map: the least recently read one goes first.

    st.cache_resource hashes its arguments with Streamlit's hasher at every call (0.5 to 1 ms, a dozen calls in a
    run of a page); these keys are tuples of strings, which Python compares for next to nothing. Two sessions
    asking for a missing value at once may both build it: the first one kept is the one every reader gets.
    """

    def __init__(self, max_entries: int):
        self._values: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._max_entries = max_entries

    def get(self, key: tuple, build: Callable[[], Any]) -> Any:
        """Return the value kept under key, built (outside the lock) and kept when missing."""
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
        value = build()
        with self._lock:
            value = self._values.setdefault(key, value)
            while len(self._values) > self._max_entries:
                self._values.popitem(last=False)
        return value

    def clear(self) -> None:
        """Forget every value."""
        with self._lock:
            self._values.clear()


# Results are kept as objects, not pickled (st.cache_data unpickled a copy of every result at every read: a tenth
# of a page's script time). A reader gets a shallow copy: with pandas' copy-on-write, nothing it does to it
# reaches the kept frame. The SQL text is part of the key: an edited query file is run anew.
_cached = Kept(max_entries=512)
_derived = Kept(max_entries=1024)  # what pages derive from results (per_version)


def run_query(name: str, **params) -> pd.DataFrame:
    """Run queries/{name}.sql with bound $params on this run's store version; cached per version."""
    sql = query_sql(name)
    current = snapshot()
    frozen = tuple(sorted((key, _freeze(value)) for key, value in params.items()))
    bound = {key: list(value) if isinstance(value, tuple) else value for key, value in frozen}
    try:
        return _cached.get((name, sql, frozen, current.store_id),
                           lambda: execute(current.con, name, database=ALIAS, **bound)).copy(deep=False)
    except (OSError, duckdb.IOException) as error:
        _unavailable(error)


def per_version(name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """Return build() computed once per name, key and store version (charts, outlines, cited sources).

    key must name everything build() reads besides the store (rows, words, selection); build is not hashed.
    The value is shared by every session, not copied: read it, never change it.
    """
    return _derived.get((name, key, store_version()), build)
